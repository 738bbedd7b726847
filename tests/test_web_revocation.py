"""web/revocation.py on a real SQLite file: a revoked or expired session's live connection is marked and closed,
once; the watcher keeps going when the database fails."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import system_clock
from auction.live.outbox import Outbox
from auction.steps.invitations import Invitation
from auction.storage.access import exchange_invitation, revoke
from auction.storage.db import make_engine
from tests.conftest import Procurement
from web.connections import Connection, ConnectionRegistry
from web.revocation import close_barred, close_barred_forever

NOW = system_clock()


async def open_connection(procurement: Procurement, registry: ConnectionRegistry, invitation: Invitation) -> Connection:
    """A session opened with ``invitation``, registered as live; its ``close`` closes an outbox."""
    token = invitation.url.split("#token=")[1]
    _, access = await exchange_invitation(procurement.engine, invitation.auction_id, token, "bidder", NOW)
    connection, _ = registry.open(access, "127.0.0.1:1")
    connection.close = Outbox().close
    return connection


def outbox_of(connection: Connection) -> Outbox:
    assert connection.close is not None
    outbox = getattr(connection.close, "__self__", None)
    assert isinstance(outbox, Outbox)
    return outbox


async def test_a_revoked_session_is_closed_once(procurement: Procurement) -> None:
    auction_id, invitations = await procurement.auction()
    registry = ConnectionRegistry(lambda: NOW)
    revoked = await open_connection(procurement, registry, invitations[0])
    kept = await open_connection(procurement, registry, invitations[1])
    assert await close_barred(procurement.engine, registry, NOW) == []
    await revoke(procurement.engine, auction_id, revoked.access.supplier_id)
    assert await close_barred(procurement.engine, registry, NOW) == [revoked]
    assert revoked.barred and outbox_of(revoked).closed
    assert not kept.barred and not outbox_of(kept).closed
    assert await close_barred(procurement.engine, registry, NOW) == []  # marked already: not closed again


async def test_an_expired_session_is_closed_at_its_expiry(procurement: Procurement) -> None:
    _, invitations = await procurement.auction()
    registry = ConnectionRegistry(lambda: NOW)
    connection = await open_connection(procurement, registry, invitations[0])
    far = NOW + 10 * 365 * 24 * 3600 * 1000
    assert await close_barred(procurement.engine, registry, NOW) == []
    assert await close_barred(procurement.engine, registry, far) == [connection]
    assert outbox_of(connection).closed


async def test_a_connection_without_a_closer_is_only_marked(procurement: Procurement) -> None:
    """The pump sets ``close`` to None once it dropped a stalled client: nothing is left to close."""
    _, invitations = await procurement.auction()
    registry = ConnectionRegistry(lambda: NOW)
    connection = await open_connection(procurement, registry, invitations[0])
    connection.close = None
    await revoke(procurement.engine, connection.auction_id, None)
    assert await close_barred(procurement.engine, registry, NOW) == [connection]
    assert connection.barred


@contextlib.asynccontextmanager
async def watching(engine: AsyncEngine, registry: ConnectionRegistry) -> AsyncIterator[asyncio.Task[None]]:
    """The watcher at a hundred rounds a second, cancelled on the way out (as the lifespan does)."""
    task = asyncio.create_task(close_barred_forever(engine, registry, system_clock, every_s=0.01))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_the_watcher_closes_a_revoked_session(procurement: Procurement) -> None:
    _, invitations = await procurement.auction()
    registry = ConnectionRegistry(system_clock)
    connection = await open_connection(procurement, registry, invitations[0])
    async with watching(procurement.engine, registry):
        await revoke(procurement.engine, connection.auction_id, None)
        async with asyncio.timeout(10):
            while not outbox_of(connection).closed:
                await asyncio.sleep(0.01)
    assert connection.barred


async def test_the_watcher_survives_a_failing_database(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'no-tables.db'}")  # no sessions table: every query fails
    try:
        with caplog.at_level(logging.ERROR, logger="web.app"):
            async with watching(broken, ConnectionRegistry(system_clock)) as task:
                async with asyncio.timeout(10):
                    while caplog.text.count("refreshing revoked sessions failed") < 2:
                        await asyncio.sleep(0.01)
                assert not task.done()  # it failed, said so, and tried again
    finally:
        await broken.dispose()
