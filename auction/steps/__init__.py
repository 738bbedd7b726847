"""The organiser's steps, shared by the CLI and the server: set-up, tender, qualification, scheduling,
invitations, controls, practice, publication."""
