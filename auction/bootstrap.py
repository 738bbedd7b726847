"""The one wiring place: settings → database engine → journal → signer → hub.

The server (:func:`web.app.create_app`) and the CLI (:class:`auction.cli.context.Context`) both build what they
need here, so there is one answer to "which journal, which key, which clock" for the whole product.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.journal.signing import Signer
from auction.live.hub import AuctionHub
from auction.settings import Settings
from auction.steps.setup import load_signer
from auction.storage.db import make_engine
from auction.storage.sql_journal import SqlJournal, journal_for


@dataclass(frozen=True)
class Wiring:
    """Everything a process talks to, built once from the settings."""

    settings: Settings
    clock: Clock
    engine: AsyncEngine
    journal: SqlJournal
    signer: Signer | None  # None until `auction init` has made the server's key

    def hub(self) -> AuctionHub:
        """The live auctions of this process: one writer task per auction, on this journal and key."""
        return AuctionHub(self.engine, self.journal, self.clock, self.signer)

    async def close(self) -> None:
        await self.engine.dispose()


def wire(settings: Settings, clock: Clock = system_clock) -> Wiring:
    engine = make_engine(settings.database_url)
    return Wiring(settings, clock, engine, journal_for(engine), load_signer(settings))


@contextlib.asynccontextmanager
async def wired(settings: Settings, clock: Clock = system_clock) -> AsyncIterator[Wiring]:
    """:func:`wire` for one piece of work; the engine's connections are closed afterwards."""
    wiring = wire(settings, clock)
    try:
        yield wiring
    finally:
        await wiring.close()
