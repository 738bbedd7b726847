"""The journal: its port and in-memory implementation, the hash chain, signed heads and the JSON Lines export.

Nothing here knows a database; the SQL implementation of the port is in :mod:`auction.storage`."""
