"""The ground both packages stand on: errors, reading untrusted files, ids and frozen models, canonical
JSON and hashes, languages and dates in words.

`auction` depends on `qualification`, never the reverse; what both need lives here."""
