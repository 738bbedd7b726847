"""The web edge: the Starlette app, its WebSocket endpoints and the static bidder room."""
