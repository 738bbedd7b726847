"""Live WebSocket connections: who is connected, duplicates of one bidder, rate limits, revoked sessions.

The organiser sees the live connections (and every duplicate detected) through the control API; the server
closes a connection whose session was revoked or expired within a second (the barred set is refreshed from the
database every second).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auction.storage.access import Access

RATE_PER_S = 20.0  # sustained client messages per second per connection (a bidder needs far fewer)
BURST = 40  # short bursts above the rate that are still fine
DROPS_BEFORE_CLOSE = 200  # messages refused for rate; past this the client is flooding and is disconnected
FLOOD_COOLDOWN_MS = 10_000  # a session cut off for flooding may not reconnect for this long


class RateLimiter:
    """Token bucket: ``allow()`` says whether one more message may be handled now."""

    def __init__(self, rate: float = RATE_PER_S, burst: int = BURST, now: Callable[[], float] = time.monotonic) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._tokens = float(burst)
        self._now = now
        self._last = now()
        self.dropped = 0

    def allow(self) -> bool:
        current = self._now()
        self._tokens = min(self._burst, self._tokens + (current - self._last) * self._rate)
        self._last = current
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        self.dropped += 1
        return False


@dataclass(eq=False)
class Connection:
    id: int
    access: Access
    client: str
    opened_at: int
    limiter: RateLimiter = field(default_factory=RateLimiter)
    barred: bool = False  # the session was revoked or expired while connected
    flooded: bool = False  # sent far more than the rate limit allows: disconnected
    idle: bool = False  # sent nothing for the idle timeout: closed, may reconnect
    close: Callable[[], None] | None = None  # set by the handler: closes this connection from outside

    @property
    def auction_id(self) -> str:
        return self.access.auction_id


class ConnectionRegistry:
    def __init__(self, clock: Callable[[], int]) -> None:
        self._clock = clock
        self._ids = itertools.count(1)
        self._live: dict[int, Connection] = {}
        self.duplicates: list[dict[str, Any]] = []  # every time a bidder had two connections at once
        self._limiters: dict[str, RateLimiter] = {}
        self._cooldown: dict[str, int] = {}  # session hash -> until when reconnecting is refused

    def flooding(self, connection: Connection) -> None:
        """The session flooded: refuse its reconnects for a while, with a fresh bucket after that."""
        self._cooldown[connection.access.session_hash] = self._clock() + FLOOD_COOLDOWN_MS
        self._limiters.pop(connection.access.session_hash, None)

    def cooling_down(self, session_hash: str) -> bool:
        until = self._cooldown.get(session_hash)
        return until is not None and self._clock() < until

    def open(self, access: Access, client: str) -> tuple[Connection, list[Connection]]:
        """Register a connection; returns it and the same bidder's other live connections (if any).

        The rate limit belongs to the session, not the connection: reconnecting does not refill the bucket."""
        limiter = self._limiters.setdefault(access.session_hash, RateLimiter())
        connection = Connection(next(self._ids), access, client, self._clock(), limiter)
        others = [
            c
            for c in self._live.values()
            if access.role == "bidder" and c.access.role == "bidder"
            and c.auction_id == access.auction_id and c.access.supplier_id == access.supplier_id
        ]  # fmt: skip
        if others:
            self.duplicates.append(
                {
                    "auction_id": access.auction_id,
                    "supplier_id": access.supplier_id,
                    "at": connection.opened_at,
                    "clients": [c.client for c in others] + [client],
                    "same_session": all(c.access.session_hash == access.session_hash for c in others),
                }
            )
        self._live[connection.id] = connection
        return connection, others

    def close(self, connection: Connection) -> None:
        self._live.pop(connection.id, None)

    def bar(self, session_hashes: set[str]) -> list[Connection]:
        """Mark connections whose session may no longer act; returns the ones newly barred."""
        hit = []
        for connection in self._live.values():
            if not connection.barred and connection.access.session_hash in session_hashes:
                connection.barred = True
                hit.append(connection)
        return hit

    def live(self, auction_id: str) -> list[dict[str, Any]]:
        rows = []
        for c in self._live.values():
            if c.auction_id != auction_id:
                continue
            rows.append(
                {
                    "connection": c.id,
                    "role": c.access.role,
                    "supplier_id": c.access.supplier_id,
                    "client": c.client,
                    "since": c.opened_at,
                    "rate_limited": c.limiter.dropped,
                }
            )
        return rows
