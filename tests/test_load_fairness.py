"""Fairness under load, CI-sized (scripts/flood is the full-sized measurement, and lends these tests its clients).

- A client flooding the server with frames is refused and dropped, and no honest bid is refused or lost meanwhile.
- A client that stops reading costs the others nothing: they keep getting receipts, the server keeps at most a
  bounded amount for it (its outbox, its transport buffer), and lets go of it: the keepalive ping drops it, or,
  once the buffers toward it are full (when the ping's polite close cannot finish), the stall cut-off does.

Behaviour only: no latency is asserted. The server runs in this process (as in tests/conftest.py) so the tests can
look at its per-connection state: the runner's subscriptions and uvicorn's connections.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import logging
import socket
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pytest
import uvicorn
from starlette.applications import Starlette

from auction.live.outbox import Outbox, Subscription
from auction.live.runner import AuctionRunner
from auction.rules.messages import BidAccepted
from auction.settings import Settings
from auction.storage.db import make_engine
from auction.storage.sql_journal import journal_for
from tests.conftest import ROOT, RunningServer
from web.connections import BURST, RATE_PER_S
from web.server import uvicorn_config


def _load_flood_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("flood_script", ROOT / "scripts" / "flood.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


flood = _load_flood_script()

HONEST = 5
PACE = 15.0  # bids per second per honest bidder: three quarters of the per-connection limit (20/s)
FLOOD_FRAMES = 5000
PING_S = 1.0  # keepalive ping interval and timeout for the tests that wait for it (the server's default is 20 s)


class ErrorLog(logging.Handler):
    """Collects every ERROR (and worse) the server logs, uvicorn's own included."""

    NAMES = ("", "uvicorn", "uvicorn.error")

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def attach(self) -> None:
        for name in self.NAMES:
            logging.getLogger(name).addHandler(self)

    def detach(self) -> None:
        for name in self.NAMES:
            logging.getLogger(name).removeHandler(self)

    def lines(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" for r in self.records]


class TunedServer(RunningServer):
    """tests/conftest.py's in-process server, with a chosen keepalive ping and stall cut-off (the time a send to a
    client may wait before the server gives up on it), that lets a test see inside."""

    def __init__(self, settings: Settings, ping_s: float | None = None, stalled_s: float | None = None) -> None:
        if stalled_s is not None:
            settings = dataclasses.replace(settings, stalled_client_s=stalled_s)
        super().__init__(settings)
        self.ping_s = ping_s
        self.app: Starlette | None = None
        self.errors = ErrorLog()

    async def start(self) -> None:
        config = uvicorn_config(self.settings)
        config.log_level = "warning"
        if self.ping_s is not None:
            config.ws_ping_interval = self.ping_s
            config.ws_ping_timeout = self.ping_s
        self.app = cast(Starlette, config.app)
        self.errors.attach()
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        async with asyncio.timeout(10):
            while not self.server.started:
                if self.task.done():
                    self.task.result()
                await asyncio.sleep(0.02)

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(super().stop(), 20)
        finally:
            self.errors.detach()

    def runner(self) -> AuctionRunner:
        assert self.app is not None
        runners: list[AuctionRunner] = self.app.state.hub.runners()
        assert len(runners) == 1
        return runners[0]

    def subscriptions(self, supplier_id: str) -> list[Subscription]:
        return [s for s in self.runner()._subscriptions if s.bidder == supplier_id]

    def connection_from(self, port: int) -> Any:
        """uvicorn's protocol object for the WebSocket whose client end is on ``port`` (None once it is gone)."""
        assert self.server is not None
        for protocol in self.server.server_state.connections:
            if getattr(protocol, "client", None) == ("127.0.0.1", port):
                return protocol
        return None


@dataclass
class Arena:
    setup: Any  # flood.Setup
    server: TunedServer
    honest_urls: list[str]
    extra_urls: list[str]

    @property
    def extra_supplier(self) -> str:
        return str(self.setup.extra[0].holder)


@pytest.fixture
def stalled_s() -> float:
    """The server's stall cut-off in the tests with a stalled reader (parametrize to change it)."""
    return PING_S


@pytest.fixture
async def arena(tmp_path: Path, request: pytest.FixtureRequest, stalled_s: float) -> AsyncIterator[Arena]:
    """A fresh live auction (bench's tender) with HONEST honest seats and one extra seat for the troublemaker,
    served in this process; sessions exchanged for every seat. With the extra seat ``stalled``: a keepalive ping
    every PING_S seconds, answer expected within PING_S, and the stall cut-off ``stalled_s``."""
    extra = getattr(request, "param", "flood-00")
    setup = await flood.prepare(tmp_path, HONEST, [extra], 120)
    if extra == "stalled":
        server = TunedServer(setup.settings, ping_s=PING_S, stalled_s=stalled_s)
    else:
        server = TunedServer(setup.settings)
    await server.start()
    try:
        honest = [await asyncio.to_thread(flood.session_url, setup, i) for i in setup.honest]
        others = [await asyncio.to_thread(flood.session_url, setup, i) for i in setup.extra]
        yield Arena(setup, server, honest, others)
    finally:
        await server.stop()
    assert server.errors.lines() == [], "the server logged errors"


async def journal_bids(arena: Arena) -> list[BidAccepted]:
    engine = make_engine(arena.setup.settings.database_url)
    try:
        entries = await journal_for(engine).read(arena.setup.auction_id)
    finally:
        await engine.dispose()
    return [e for e in (entry.event() for entry in entries) if isinstance(e, BidAccepted)]


def assert_honest_bidders_were_served(honest: Any) -> None:
    assert honest.errors == Counter(), "an honest bidder was told off (rate_limited / flooding / ...)"
    assert honest.rejected == Counter(), "an honest bid was rejected"
    assert honest.unanswered == 0, "an honest bid got no answer"
    assert honest.disconnected == Counter(), "an honest bidder was disconnected"
    per_bidder = Counter(bid_id.split("-")[0] for bid_id in honest.accepted)
    assert len(per_bidder) == HONEST and min(per_bidder.values()) >= 1, per_bidder


# --------------------------------------------------------------------------------------------------- flood


async def test_a_flood_is_refused_and_dropped_while_every_honest_bid_is_accepted(arena: Arena) -> None:
    honest = flood.HonestStats()
    flooded = flood.FloodStats()
    go, stop, bidders = await flood.start_honest(arena.honest_urls, PACE, honest)
    stop_flood = asyncio.Event()
    flooding = asyncio.create_task(flood.flooder(arena.extra_urls[0], "f", stop_flood, flooded, until_dropped=True))
    go.set()
    flood_started = time.monotonic()
    try:
        # At least FLOOD_FRAMES frames, a few reconnections, and the honest bidders well under way meanwhile.
        async with asyncio.timeout(60):
            while flooded.sent < FLOOD_FRAMES or flooded.connections < 3 or len(honest.accepted) < 10 * HONEST:
                assert not flooding.done(), flooding
                await asyncio.sleep(0.02)
    finally:
        stop_flood.set()
        await flooding
        flood_ended = time.monotonic()
        stop.set()
        await asyncio.gather(*bidders)

    # The honest bidders: every bid they placed, during the flood, was answered with a receipt.
    assert_honest_bidders_were_served(honest)
    assert any(flood_started <= t <= flood_ended for t in honest.acked_at), "no honest bid was placed during the flood"

    # The flooder: told to slow down, then dropped with 1008, again on every reconnection.
    assert flooded.sent >= FLOOD_FRAMES
    assert flooded.connections >= 3
    assert flooded.closes == Counter({"1008": flooded.connections})
    assert flooded.errors["flooding"] == flooded.connections
    assert flooded.errors["rate_limited"] >= flooded.connections
    # ... and only what the limit lets through was handled: a burst per connection plus the steady rate.
    assert flooded.handled <= flooded.connections * BURST + RATE_PER_S * flooded.seconds

    # The journal: exactly the honest bids (each once) and the few flood bids that got their receipt (the server
    # ended every flood connection, so each accepted flood bid's receipt reached the flooder first).
    recorded = await journal_bids(arena)
    flood_ids = [e.bid_id for e in recorded if e.bidder == arena.extra_supplier]
    honest_ids = [e.bid_id for e in recorded if e.bidder != arena.extra_supplier]
    assert sorted(honest_ids) == sorted(honest.accepted)
    assert sorted(flood_ids) == sorted(flooded.accepted)
    assert len(flood_ids) <= flooded.handled


# ------------------------------------------------------------------------------------------ stalled reader


@dataclass
class Watch:
    """What the server kept for the stalled reader, sampled every 20 ms."""

    outbox_peak: int = 0
    buffer_peak: int = 0  # bytes in uvicorn's transport write buffer for it
    paused_at: float | None = None  # its transport stopped taking writes (the buffers to the reader are full)
    dropped_at: float | None = None  # the server no longer holds a subscription for it
    pushes: list[float] = field(default_factory=list)  # when a message was put in its outbox


async def watch_reader(arena: Arena, reader: Any, done: Callable[[Watch], bool], timeout: float) -> Watch:
    """Sample the server's side of the reader's connection until ``done`` (or ``timeout`` seconds)."""
    watch = Watch()
    supplier = arena.server.subscriptions(arena.extra_supplier)
    assert len(supplier) == 1
    outbox = supplier[0].outbox
    push = outbox.push

    def counting_push(message: dict[str, Any]) -> None:
        watch.pushes.append(time.monotonic())
        push(message)

    outbox.push = counting_push  # type: ignore[method-assign]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done(watch):
        now = time.monotonic()
        protocol = arena.server.connection_from(reader.local_port)
        watch.outbox_peak = max(watch.outbox_peak, len(outbox._items))
        if protocol is not None:
            watch.buffer_peak = max(watch.buffer_peak, protocol.transport.get_write_buffer_size())
            if not protocol.writable.is_set() and watch.paused_at is None:
                watch.paused_at = now
        if not arena.server.subscriptions(arena.extra_supplier) and watch.dropped_at is None:
            watch.dropped_at = now
        await asyncio.sleep(0.02)
    return watch


async def wait_until_full(reader: Any, timeout: float = 10) -> float:
    """When the reader's receive buffer stopped filling (bytes waiting, none added for 0.3 s)."""
    async with asyncio.timeout(timeout):
        last, since = -1, time.monotonic()
        while True:
            unread = reader.unread_bytes()
            if unread != last:
                last, since = unread, time.monotonic()
            elif unread > 0 and time.monotonic() - since >= 0.3:
                return since
            await asyncio.sleep(0.02)


@pytest.fixture
async def stalled(arena: Arena) -> AsyncIterator[tuple[Any, Any, list[asyncio.Task[None]], asyncio.Event]]:
    """Honest bidders bidding, and a reader that sent one bid and never reads again."""
    honest = flood.HonestStats()
    go, stop, bidders = await flood.start_honest(arena.honest_urls, PACE, honest)
    go.set()
    reader = flood.StalledReader(arena.extra_urls[0])
    try:
        await reader.start()
        yield reader, honest, bidders, stop
    finally:
        stop.set()
        await asyncio.gather(*bidders)
        reader.close()


@pytest.mark.parametrize("arena", ["stalled"], indirect=True)
async def test_a_reader_that_stops_reading_delays_no_one_and_is_dropped(
    arena: Arena, stalled: tuple[Any, Any, list[asyncio.Task[None]], asyncio.Event]
) -> None:
    reader, honest, bidders, stop = stalled
    full_at = await wait_until_full(reader)
    watch = await watch_reader(arena, reader, lambda w: w.dropped_at is not None, timeout=10 * PING_S + 5)
    assert watch.dropped_at is not None, "the server still holds the reader long after its ping went unanswered"
    # While its socket was full and the server still had it, the others kept getting receipts.
    assert any(full_at <= t <= watch.dropped_at for t in honest.acked_at)
    # The server kept a bounded amount for it meanwhile.
    assert watch.outbox_peak <= Outbox.LIMIT
    assert watch.buffer_peak <= 64 * 1024 + 4096  # uvicorn's high-water mark plus one message
    drained = await reader.drain()  # the connection is over: closed (keepalive ping timeout) or cut off
    assert (drained.close_code is not None and drained.eof) or drained.reset, drained
    stop.set()
    await asyncio.gather(*bidders)
    assert_honest_bidders_were_served(honest)
    # Its one bid is in the journal, once, next to every honest bid.
    recorded = await journal_bids(arena)
    assert [e.bid_id for e in recorded if e.bidder == arena.extra_supplier] == [reader.bid_id]
    assert sorted(e.bid_id for e in recorded if e.bidder != arena.extra_supplier) == sorted(honest.accepted)


def squeeze(arena: Arena, reader: Any) -> None:
    """Make the server's buffers toward the reader small, as a busy auction fills them after a while (the kernel
    grows a loopback send buffer to megabytes; at 20 s pings it takes a few hundred states a second to fill
    it before the server's ping times out): SO_SNDBUF 4 KiB, and a transport high-water mark of 8 KiB."""
    protocol = arena.server.connection_from(reader.local_port)
    assert protocol is not None
    protocol.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    protocol.transport.set_write_buffer_limits(high=8192)


STALL_S = 6.0  # long enough a stall for more messages to be meant for the reader than an outbox holds


@pytest.mark.parametrize("stalled_s", [STALL_S])
@pytest.mark.parametrize("arena", ["stalled"], indirect=True)
async def test_when_the_buffers_to_a_stalled_reader_are_full_its_outbox_stays_bounded_until_it_is_cut_off(
    arena: Arena, stalled: tuple[Any, Any, list[asyncio.Task[None]], asyncio.Event]
) -> None:
    reader, honest, bidders, stop = stalled
    squeeze(arena, reader)
    watch = await watch_reader(arena, reader, lambda w: w.dropped_at is not None, timeout=STALL_S + 10)
    assert watch.paused_at is not None, "the buffers toward the reader never filled"
    # The keepalive ping went unanswered long before, but its close waits for the buffer to drain, which a
    # reader that stopped never does: the server's stall cut-off ends the connection.
    assert watch.dropped_at is not None, "the server still holds a reader whose buffers stayed full"
    assert watch.dropped_at - watch.paused_at > 2 * PING_S
    # Until then: more messages were meant for it than an outbox holds, yet its state snapshots coalesced into
    # a bounded outbox, and the transport buffer stayed at its high-water mark.
    assert sum(1 for t in watch.pushes if watch.paused_at < t < watch.dropped_at) > Outbox.LIMIT
    assert watch.outbox_peak <= Outbox.LIMIT
    assert watch.buffer_peak <= 8192 + 4096
    # ... and the others kept getting receipts all along.
    assert any(watch.paused_at < t < watch.dropped_at for t in honest.acked_at)
    stop.set()
    await asyncio.gather(*bidders)
    assert_honest_bidders_were_served(honest)
    assert not arena.server.subscriptions(arena.extra_supplier)
    assert arena.server.connection_from(reader.local_port) is None
