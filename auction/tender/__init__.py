"""The tender file (TOML) the organiser writes, and the auction configuration each lot derives from it."""
