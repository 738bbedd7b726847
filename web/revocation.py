"""Closing live connections whose session was revoked or has expired, within a second of it.

Each message a connection sends is also checked against its ``barred`` mark (web.room_socket), so a revoked
session acts no more even before its connection is closed.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock
from auction.storage.access import barred_sessions
from web.connections import Connection, ConnectionRegistry
from web.context import LOG_NAME

log = logging.getLogger(LOG_NAME)
REFRESH_BARRED_S = 1.0


async def close_barred(engine: AsyncEngine, registry: ConnectionRegistry, now: int) -> list[Connection]:
    """Mark the live connections whose session may no longer act at ``now`` and close them; returns those
    newly marked (a connection is closed once, however often this runs)."""
    barred = registry.bar(await barred_sessions(engine, now))
    for connection in barred:
        if connection.close is not None:
            connection.close()
    return barred


async def close_barred_forever(
    engine: AsyncEngine, registry: ConnectionRegistry, clock: Clock, every_s: float = REFRESH_BARRED_S
) -> None:
    """Run :func:`close_barred` every ``every_s`` seconds until cancelled (the server's lifespan owns it)."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await close_barred(engine, registry, clock())
        except Exception:  # a busy database must not stop the server; try again next second
            log.exception("refreshing revoked sessions failed")
