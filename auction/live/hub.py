"""All running auctions of one server process: one :class:`AuctionRunner` (one writer task) per auction.

On start it rebuilds every auction from its journal and resumes it; while running it picks up auctions the
organiser schedules with the CLI (it looks for new ones every second).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock
from auction.journal.port import Journal
from auction.journal.signing import Signer
from auction.live.runner import AuctionRunner
from auction.rules.lifecycle import Phase
from auction.rules.messages import RecordDowntime
from auction.storage.db import auctions
from auction.storage.server_settings import get_setting, put_setting

log = logging.getLogger(__name__)

DISCOVERY_INTERVAL_S = 1.0
RUNNING_PHASES = (Phase.SCHEDULED, Phase.OPEN, Phase.PAUSED)


class AuctionHub:
    def __init__(self, engine: AsyncEngine, journal: Journal, clock: Clock, signer: Signer | None = None) -> None:
        self._engine = engine  # the auctions table and the heartbeat
        self._journal = journal
        self._clock = clock
        self._signer = signer
        self._runners: dict[str, AuctionRunner] = {}
        self._down_since: int | None = None  # the last heartbeat of the previous server process, if any
        self._lock = asyncio.Lock()
        self._discovery: asyncio.Task[None] | None = None

    async def start(self) -> None:
        beat = await get_setting(self._engine, "heartbeat")
        self._down_since = int(beat) if beat else None
        await self.discover()  # every auction that existed is resumed, with the outage recorded first
        self._down_since = None
        # At once, not a second later: a server killed within its first second must not leave the next start
        # to measure the outage from an older life's heartbeat.
        await put_setting(self._engine, "heartbeat", str(self._clock()))
        self._discovery = asyncio.create_task(self._discover_forever(), name="auction-discovery")

    async def stop(self) -> None:
        if self._discovery is not None:
            self._discovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._discovery
        with contextlib.suppress(Exception):
            await put_setting(self._engine, "heartbeat", str(self._clock()))  # a clean stop is downtime too
        for runner in self._runners.values():
            await runner.stop()
        self._runners.clear()

    async def discover(self) -> None:
        async with self._engine.connect() as conn:
            ids = [r[0] for r in await conn.execute(select(auctions.c.id))]
        for auction_id in ids:
            if auction_id not in self._runners:
                await self.get(auction_id)

    async def _discover_forever(self) -> None:
        while True:
            await asyncio.sleep(DISCOVERY_INTERVAL_S)
            try:
                # The heartbeat tells the next start how long the server was gone (at most a second off).
                await put_setting(self._engine, "heartbeat", str(self._clock()))
                await self.discover()
            except Exception:  # a locked or busy database must not stop the server; try again next time
                log.exception("looking for new auctions failed")

    async def get(self, auction_id: str) -> AuctionRunner | None:
        """The running auction, started from its journal if this process has not started it yet."""
        runner = self._runners.get(auction_id)
        if runner is not None:
            return runner
        async with self._lock:
            runner = self._runners.get(auction_id)
            if runner is None:
                candidate = AuctionRunner(auction_id, self._journal, self._clock, self._signer)
                await candidate.load()
                if candidate.state.config is None:
                    return None  # listed but its creation event is not yet committed
                if self._down_since is not None and candidate.state.phase in RUNNING_PHASES:
                    # Before the timer runs: the outage may move the close (tender rule), and it is on record.
                    # The server was certainly alive when it wrote this auction's last entry.
                    down_from = max(self._down_since, candidate.head_time)
                    await candidate.process(RecordDowntime(down_from, self._clock()))
                candidate.start()
                self._runners[auction_id] = candidate
                runner = candidate
                log.info("auction %s loaded at seq %d (%s)", auction_id, runner.seq, runner.state.phase)
        return runner

    def runners(self) -> list[AuctionRunner]:
        return list(self._runners.values())
