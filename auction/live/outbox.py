"""What waits to be sent to one connected client: an outbox per subscription to a running auction.

State snapshots coalesce (only the newest waits); an outbox that overflows marks its client as not reading.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field
from typing import Any


class Outbox:
    """Messages waiting to go to one client. ``state`` snapshots coalesce: only the newest is kept."""

    LIMIT = 256  # messages waiting for one client; beyond this it is not reading and is disconnected

    def __init__(self) -> None:
        self._items: deque[dict[str, Any]] = deque()
        self._ready = asyncio.Event()
        self.closed = False
        self.overflowed = False

    def push(self, message: dict[str, Any]) -> None:
        if self.closed:
            return
        if len(self._items) >= self.LIMIT:
            self.overflowed = True
            self.close()
            return
        if message["type"] in ("state", "observer_state"):
            for index, queued in enumerate(self._items):
                if queued["type"] == message["type"]:
                    del self._items[index]
                    break
        self._items.append(message)
        self._ready.set()

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def next(self) -> dict[str, Any] | None:
        """The next message, or None once closed (an overflowed outbox is not drained: the client is dropped)."""
        while not self._items or self.overflowed:
            if self.closed:
                return None
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()


@dataclass(eq=False)
class Subscription:
    bidder: str | None  # None: an observer
    outbox: Outbox = field(default_factory=Outbox)
