"""Storage adapters on SQLAlchemy Core: the tables, the SQL journal, sessions and invitations, contracts, settings."""
