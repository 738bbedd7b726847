"""The auction engine: the pure core, the journal, the per-auction writer, the organiser's services and CLI."""
