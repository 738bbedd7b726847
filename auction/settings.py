"""Where things are: the database file, the server's address, the organiser's key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = Path("var/auction.db")


@dataclass(frozen=True)
class Settings:
    db_path: Path = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None  # the address bidders use; defaults to http://host:port
    # A client whose socket takes no data for this long has stopped reading: it is cut off (the same as the
    # keepalive ping timeout, which cannot end such a connection by itself: its close waits for the buffer).
    stalled_client_s: float = 20.0
    # A client that sends nothing at all (not even the room's ping every 15 s) for this long is closed (1000,
    # "idle"); it may reconnect at any time. Keeps forgotten connections from piling up.
    idle_client_s: float = 600.0

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.db_path}"

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def signing_key_path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".signing-key")

    @property
    def organiser_key_path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".organiser-key")
