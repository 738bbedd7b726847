"""`auction`: the organiser's control CLI (docs/cli.md)."""
