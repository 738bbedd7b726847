"""The live auction: one writer task per auction (decide, journal commit, evolve, answer, publish) and the hub
that runs one for every auction in the database."""
