"""Fairness under load, CI-sized (scripts/flood is the full-sized measurement, and lends these tests its clients).

- A client flooding the server with frames is refused and dropped, and no honest bid is refused or lost meanwhile;
  its session's reconnects are refused for the cool-down.
- A client that stops reading costs the others nothing: they keep getting receipts, the server keeps at most a
  bounded amount for it (its outbox, its transport buffer), and lets go of it: the keepalive ping drops it, or,
  once the buffers toward it are full (when the ping's polite close cannot finish), the stall cut-off does.

Behaviour only: nothing here asserts a latency, a rate reached or how much fits in a time window, so a slow or
loaded machine only makes the tests take longer. Every wait is for an event, bounded by a generous budget that
only a broken mechanism exhausts. Where a mechanism runs on a clock, the test owns that clock:

- the auction's clock (``create_app``'s ``clock``: cool-downs, the auction's own deadlines) stands still unless
  the test moves it, so a cool-down ends when the test says, and the auction never closes under a slow test;
- in the stalled-reader tests the server's keepalive ping and stall cut-off are an hour or more on the event
  loop's clock, which the test moves forward past them once it has seen what it wants to see while the server
  still holds the reader, so the order of events never depends on how fast the machine is.

The server runs in this process (as in tests/conftest.py) so the tests can look at its per-connection state: the
runner's subscriptions and uvicorn's connections.
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
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pytest
import uvicorn
from starlette.applications import Starlette
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from auction.clock import system_clock
from auction.live.outbox import Outbox
from auction.live.runner import AuctionRunner
from auction.rules.messages import BidAccepted
from auction.settings import Settings
from auction.storage.db import make_engine
from auction.storage.sql_journal import journal_for
from tests.conftest import ROOT, RunningServer
from web.app import create_app
from web.connections import BURST, DROPS_BEFORE_CLOSE, FLOOD_COOLDOWN_MS, RATE_PER_S
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
BUDGET_S = 120.0  # the most any one wait may take: only a mechanism that broke comes near it
FLOOD_CONNECTIONS = 3  # the flooder's connections, each cut off, each followed by a refused cool-down
# The server tells a client over the rate limit ``rate_limited`` at its 1st refused message and every 50th after
# (web/: the WebSocket handler); one refused message past DROPS_BEFORE_CLOSE it gets ``flooding`` instead and is
# cut off. So this many notices per connection say it was cut off after exactly the documented number.
RATE_LIMITED_NOTICES = len(range(1, DROPS_BEFORE_CLOSE + 1, 50))
HOLD_S = 3600.0  # keepalive ping interval and timeout in the stalled-reader tests (the server's default is 20 s)
CUTOFF_S = 10 * HOLD_S  # the stall cut-off there: later than the ping and its timeout together
IDLE_S = 100 * HOLD_S  # the idle timeout there: later than everything the tests move the loop's clock past
ACKS_WHILE_HELD = 2  # receipts every honest bidder gets while the server holds the stalled reader


class ManualClock:
    """The auction's clock (epoch ms) for ``create_app``: it stands still until the test moves it."""

    def __init__(self) -> None:
        self.now = system_clock()

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


class LoopClock:
    """The event loop's clock, which the server's own timers run on (uvicorn's keepalive ping, the stall
    cut-off): real time plus what the test adds. Only ever moved forward; left as it is when the test ends (the
    loop is the test's own)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.added = 0.0
        real = loop.time
        loop.time = lambda: real() + self.added  # type: ignore[method-assign]

    def advance(self, seconds: float) -> None:
        self.added += seconds


async def until(
    condition: Callable[[], bool], what: str, budget_s: float = BUDGET_S, each: Callable[[], None] | None = None
) -> None:
    """Wait for ``condition`` however long this machine takes, but at most ``budget_s`` (then fail with ``what``).
    ``each`` runs at every look (to sample or check something meanwhile)."""
    deadline = time.monotonic() + budget_s
    while True:
        if each is not None:
            each()
        if condition():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"not within {budget_s:g} s: {what}")
        await asyncio.sleep(0.02)


class ServerLog(logging.Handler):
    """Collects every WARNING (and worse) the server logs, uvicorn's own included."""

    NAMES = ("", "uvicorn", "uvicorn.error")

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def attach(self) -> None:
        for name in self.NAMES:
            logging.getLogger(name).addHandler(self)

    def detach(self) -> None:
        for name in self.NAMES:
            logging.getLogger(name).removeHandler(self)

    def errors(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" for r in self.records if r.levelno >= logging.ERROR]

    def warnings(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.levelno == logging.WARNING]


class TunedServer(RunningServer):
    """tests/conftest.py's in-process server on the test's auction clock, with a chosen keepalive ping and stall
    cut-off (the time a send to a client may wait before the server gives up on it), that lets a test see inside."""

    def __init__(
        self,
        settings: Settings,
        clock: ManualClock,
        ping_s: float | None = None,
        stalled_s: float | None = None,
        idle_s: float | None = None,
    ) -> None:
        if stalled_s is not None:
            settings = dataclasses.replace(settings, stalled_client_s=stalled_s)
        if idle_s is not None:
            settings = dataclasses.replace(settings, idle_client_s=idle_s)
        super().__init__(settings)
        self.clock = clock
        self.ping_s = ping_s
        self.app: Starlette | None = None
        self.log = ServerLog()

    async def start(self) -> None:
        config = uvicorn_config(self.settings)
        await cast(Starlette, config.app).state.engine.dispose()  # the product's app, on the system clock: unused
        config.app = create_app(self.settings, self.clock)
        config.log_level = "warning"
        if self.ping_s is not None:
            config.ws_ping_interval = self.ping_s
            config.ws_ping_timeout = self.ping_s
        self.app = cast(Starlette, config.app)
        self.log.attach()
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        await until(self.started, "the server started", budget_s=60)

    def started(self) -> bool:
        assert self.server is not None and self.task is not None
        if self.task.done():
            self.task.result()
        return self.server.started

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(super().stop(), 60)
        finally:
            self.log.detach()

    def runner(self) -> AuctionRunner:
        assert self.app is not None
        runners: list[AuctionRunner] = self.app.state.hub.runners()
        assert len(runners) == 1
        return runners[0]

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
    clock: ManualClock
    honest_urls: list[str]
    extra_urls: list[str]

    @property
    def extra_supplier(self) -> str:
        return str(self.setup.extra[0].holder)


@pytest.fixture
async def loop_clock() -> LoopClock:
    return LoopClock(asyncio.get_running_loop())


@pytest.fixture
async def arena(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Arena]:
    """A fresh live auction (bench's tender) with HONEST honest seats and one extra seat for the troublemaker,
    served in this process on a ManualClock; sessions exchanged for every seat. With the extra seat ``stalled``
    (and the ``loop_clock`` fixture): the keepalive ping every HOLD_S, answer expected within HOLD_S, the stall
    cut-off CUTOFF_S and the idle timeout IDLE_S, none of which comes due unless the test moves the loop's clock."""
    extra = getattr(request, "param", "flood-00")
    setup = await flood.prepare(tmp_path, HONEST, [extra], 120)
    clock = ManualClock()
    if extra == "stalled":
        server = TunedServer(setup.settings, clock, ping_s=HOLD_S, stalled_s=CUTOFF_S, idle_s=IDLE_S)
    else:
        server = TunedServer(setup.settings, clock)
    await server.start()
    try:
        honest = [await asyncio.to_thread(flood.session_url, setup, i) for i in setup.honest]
        others = [await asyncio.to_thread(flood.session_url, setup, i) for i in setup.extra]
        yield Arena(setup, server, clock, honest, others)
    finally:
        await server.stop()
    assert server.log.errors() == [], "the server logged errors"


async def journal_bids(arena: Arena) -> list[BidAccepted]:
    engine = make_engine(arena.setup.settings.database_url)
    try:
        entries = await journal_for(engine).read(arena.setup.auction_id)
    finally:
        await engine.dispose()
    return [e for e in (entry.event() for entry in entries) if isinstance(e, BidAccepted)]


def acks_after(honest: Any, moment: float) -> Counter[str]:
    """Per honest bidder: how many of its bids were acknowledged after ``moment`` (time.monotonic())."""
    acked = zip(honest.accepted, honest.acked_at, strict=True)
    return Counter(bid_id.split("-")[0] for bid_id, at in acked if at > moment)


def every_bidder_acked_after(honest: Any, moment: float, times: int = 1) -> bool:
    per_bidder = acks_after(honest, moment)
    return len(per_bidder) == HONEST and min(per_bidder.values()) >= times


def assert_honest_bidders_were_served(honest: Any) -> None:
    assert honest.errors == Counter(), "an honest bidder was told off (rate_limited / flooding / ...)"
    assert honest.rejected == Counter(), "an honest bid was rejected"
    assert honest.unanswered == 0, "an honest bid got no answer"
    assert honest.disconnected == Counter(), "an honest bidder was disconnected"
    per_bidder = Counter(bid_id.split("-")[0] for bid_id in honest.accepted)
    assert len(per_bidder) == HONEST and min(per_bidder.values()) >= 1, per_bidder


async def assert_journal_holds_exactly(arena: Arena, honest: Any, extra_bids: list[str]) -> None:
    """Every acknowledged honest bid is in the journal once, and nothing else is but ``extra_bids``."""
    recorded = await journal_bids(arena)
    assert sorted(e.bid_id for e in recorded if e.bidder != arena.extra_supplier) == sorted(honest.accepted)
    assert sorted(e.bid_id for e in recorded if e.bidder == arena.extra_supplier) == sorted(extra_bids)


# --------------------------------------------------------------------------------------------------- flood


async def refusal(url: str) -> int | None:
    """Connect with this session now: the HTTP status the server refused the WebSocket with (None: let in)."""
    try:
        async with connect(url, compression=None, open_timeout=BUDGET_S, ping_interval=None):
            return None
    except InvalidStatus as refused:
        return refused.response.status_code


async def test_a_flood_is_refused_and_dropped_while_every_honest_bid_is_accepted(arena: Arena) -> None:
    honest = flood.HonestStats()
    flooded = flood.FloodStats()
    url = arena.extra_urls[0]
    go, stop, bidders = await flood.start_honest(arena.honest_urls, PACE, honest)
    stop_flood = asyncio.Event()
    flooding = asyncio.create_task(flood.flooder(url, "f", stop_flood, flooded, until_dropped=True))
    go.set()
    refused_after_cut_off: list[int | None] = []
    try:
        for n in range(1, FLOOD_CONNECTIONS + 1):
            await until(lambda n=n: flooded.connections >= n, f"the flooder's connection {n} was let in")
            if n == 1:
                flood_began = time.monotonic()
            assert not flooding.done(), flooding
            # It floods (it reconnects at once, and the server lets it in only after the cool-down) ...
            await until(lambda n=n: sum(flooded.closes.values()) >= n, f"the server ended flood connection {n}")
            # ... and is cut off; its reconnects are refused, however long it tries, until the cool-down is over.
            tries = flooded.failed_connects
            await until(lambda tries=tries: flooded.failed_connects > tries, "the flooder tried to reconnect")
            refused_after_cut_off.append(await refusal(url))
            arena.clock.advance(FLOOD_COOLDOWN_MS - 1)
            refused_after_cut_off.append(await refusal(url))
            assert flooded.connections == n, "a reconnect was let in during the cool-down"
            if n < FLOOD_CONNECTIONS:
                arena.clock.advance(1)  # the cool-down is over: its next reconnect is let in (with a fresh bucket)
        # Meanwhile every honest bidder had bids acknowledged (it still tries to reconnect, and is refused).
        await until(lambda: every_bidder_acked_after(honest, flood_began), "every honest bidder bid during the flood")
    finally:
        stop_flood.set()
        await flooding
        stop.set()
        await asyncio.gather(*bidders)

    # The honest bidders: every bid they placed, during the flood, was answered with a receipt.
    assert_honest_bidders_were_served(honest)

    # The flooder: told to slow down, then, one refused message past the limit, told off and dropped with 1008,
    # on every connection; refused (HTTP 403, before the WebSocket opens) for the whole cool-down after each.
    assert flooded.connections == FLOOD_CONNECTIONS
    assert flooded.closes == Counter({"1008": FLOOD_CONNECTIONS})
    assert flooded.errors["flooding"] == FLOOD_CONNECTIONS
    assert flooded.errors["rate_limited"] == FLOOD_CONNECTIONS * RATE_LIMITED_NOTICES
    assert refused_after_cut_off == [403] * (2 * FLOOD_CONNECTIONS)
    assert flooded.failed_connects >= FLOOD_CONNECTIONS
    # ... and only what the limit lets through was handled: a burst per connection plus the steady rate (over
    # however long the flood took: a slower machine only makes this bound looser).
    assert flooded.handled <= flooded.connections * BURST + RATE_PER_S * flooded.seconds

    # The journal: exactly the honest bids (each once) and the few flood bids that got their receipt (the server
    # ended every flood connection, so each accepted flood bid's receipt reached the flooder first).
    await assert_journal_holds_exactly(arena, honest, flooded.accepted)
    assert len(flooded.accepted) <= flooded.handled


# ------------------------------------------------------------------------------------------ stalled reader


class ReaderWatch:
    """What the server keeps for the stalled reader, looked at whenever ``sample`` is called."""

    def __init__(self, arena: Arena, reader: Any) -> None:
        self.arena = arena
        self.reader = reader
        subscriptions = [s for s in arena.server.runner()._subscriptions if s.bidder == arena.extra_supplier]
        assert len(subscriptions) == 1
        self.subscription = subscriptions[0]
        self.outbox = self.subscription.outbox
        self.pushed: list[str] = []  # the type of every message put in its outbox since the watch began
        self.outbox_peak = 0
        self.states_waiting_peak = 0  # state snapshots waiting in its outbox at once
        self.buffer_peak = 0  # bytes in uvicorn's transport write buffer for it
        push = self.outbox.push

        def counting_push(message: dict[str, Any]) -> None:
            self.pushed.append(message["type"])
            push(message)

        self.outbox.push = counting_push  # type: ignore[method-assign]

    def protocol(self) -> Any:
        return self.arena.server.connection_from(self.reader.local_port)

    def held(self) -> bool:
        """The server still publishes to it (the runner holds its subscription)."""
        return self.subscription in self.arena.server.runner()._subscriptions

    def gone(self) -> bool:
        return not self.held() and self.protocol() is None

    def paused(self) -> bool:
        """Its transport takes no more writes: the buffers toward the reader are full."""
        protocol = self.protocol()
        return protocol is not None and not protocol.writable.is_set()

    def sample(self) -> None:
        waiting = list(self.outbox._items)
        self.outbox_peak = max(self.outbox_peak, len(waiting))
        self.states_waiting_peak = max(self.states_waiting_peak, sum(1 for m in waiting if m["type"] == "state"))
        protocol = self.protocol()
        if protocol is not None:
            self.buffer_peak = max(self.buffer_peak, protocol.transport.get_write_buffer_size())


async def wait_until_full(reader: Any) -> float:
    """When the reader's receive buffer stopped filling (bytes waiting, none added for 0.3 s): a marker only."""
    state = {"last": -1, "since": time.monotonic()}

    def settled() -> bool:
        unread = reader.unread_bytes()
        if unread != state["last"]:
            state["last"], state["since"] = unread, time.monotonic()
            return False
        return unread > 0 and time.monotonic() - state["since"] >= 0.3

    await until(settled, "the stalled reader's receive buffer filled")
    return float(state["since"])


async def move_server_clock(loop_clock: LoopClock, seconds: float) -> None:
    """Move the loop's clock forward; returns once every timer that came due by it has run (the loop runs its
    timers in the order they are due, and this coroutine's own short sleep comes due after all of them)."""
    loop_clock.advance(seconds)
    await asyncio.sleep(0.02)


@pytest.fixture
async def stalled(
    arena: Arena, loop_clock: LoopClock
) -> AsyncIterator[tuple[Any, Any, list[asyncio.Task[None]], asyncio.Event]]:
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
    arena: Arena, loop_clock: LoopClock, stalled: tuple[Any, Any, list[asyncio.Task[None]], asyncio.Event]
) -> None:
    reader, honest, bidders, stop = stalled
    full_at = await wait_until_full(reader)
    watch = ReaderWatch(arena, reader)

    def still_held() -> None:
        watch.sample()
        assert watch.held(), "the server let go of the reader before its ping was due"

    # Its socket is full and it reads nothing, yet every honest bidder keeps getting receipts while the server
    # still holds it (however long those take here: the server's ping is not due until the test moves its clock).
    await until(
        lambda: every_bidder_acked_after(honest, full_at, ACKS_WHILE_HELD),
        "every honest bidder's bids acknowledged while the stalled reader is held",
        each=still_held,
    )
    assert watch.held() and watch.protocol() is not None
    stop.set()
    await asyncio.gather(*bidders)
    assert_honest_bidders_were_served(honest)

    # Its keepalive ping comes due and goes unanswered: the server closes the connection and lets go of it.
    protocol = watch.protocol()
    await move_server_clock(loop_clock, HOLD_S)  # the ping goes out
    await move_server_clock(loop_clock, HOLD_S)  # no answer in time
    assert protocol.close_sent, "the keepalive ping did not time out"
    await until(watch.gone, "the server let go of the reader after its keepalive ping timed out", each=watch.sample)
    assert "stopped reading: cut off" not in " ".join(arena.server.log.warnings()), "cut off, not closed"
    # Meanwhile it kept a bounded amount for it.
    assert watch.outbox_peak <= Outbox.LIMIT
    assert watch.buffer_peak <= 64 * 1024 + 4096  # uvicorn's high-water mark plus one message
    # Reading at last, the reader finds its receipt, then the keepalive's close (1011) and the end of the stream.
    drained = await reader.drain(timeout=BUDGET_S)
    assert drained.messages["bid_accepted"] == 1, drained
    assert (drained.close_code, drained.eof) == (1011, True), drained
    # Its one bid is in the journal, once, next to every honest bid.
    await assert_journal_holds_exactly(arena, honest, [reader.bid_id])


def squeeze(arena: Arena, reader: Any) -> None:
    """Make the server's buffers toward the reader small, as a busy auction fills them after a while (the kernel
    grows a loopback send buffer to megabytes; at 20 s pings it takes a few hundred states a second to fill
    it before the server's ping times out): SO_SNDBUF 4 KiB, and a transport high-water mark of 8 KiB."""
    protocol = arena.server.connection_from(reader.local_port)
    assert protocol is not None
    protocol.transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    protocol.transport.set_write_buffer_limits(high=8192)


@pytest.mark.parametrize("arena", ["stalled"], indirect=True)
async def test_when_the_buffers_to_a_stalled_reader_are_full_its_outbox_stays_bounded_until_it_is_cut_off(
    arena: Arena, loop_clock: LoopClock, stalled: tuple[Any, Any, list[asyncio.Task[None]], asyncio.Event]
) -> None:
    reader, honest, bidders, stop = stalled
    squeeze(arena, reader)
    watch = ReaderWatch(arena, reader)
    await until(watch.paused, "the buffers toward the reader filled", each=watch.sample)
    paused_at, pushed_before = time.monotonic(), len(watch.pushed)

    def blocked_and_bounded() -> None:
        watch.sample()
        assert watch.held(), "the server let go of the reader before its ping or cut-off was due"
        assert watch.paused(), "the buffers toward a reader that reads nothing drained"
        assert not watch.outbox.overflowed, "its outbox overflowed: its state snapshots did not coalesce"

    # With its buffers full, the server's sends to it wait. Meanwhile more messages are meant for it than an outbox
    # holds, yet its state snapshots coalesce (at most one waits) into a bounded outbox, the transport buffer stays
    # at its high-water mark, and every honest bidder keeps getting receipts: nobody waits on it.
    await until(
        lambda: (
            len(watch.pushed) - pushed_before > Outbox.LIMIT
            and every_bidder_acked_after(honest, paused_at, ACKS_WHILE_HELD)
        ),
        f"more than {Outbox.LIMIT} messages meant for the blocked reader, and receipts for every honest bidder",
        each=blocked_and_bounded,
    )
    assert watch.states_waiting_peak <= 1
    assert watch.outbox_peak <= Outbox.LIMIT
    assert watch.buffer_peak <= 8192 + 4096
    stop.set()
    await asyncio.gather(*bidders)
    assert_honest_bidders_were_served(honest)

    # Its keepalive ping comes due and goes unanswered, but the close it starts waits for the buffer to drain,
    # which a reader that stopped never does: the server still holds it ...
    protocol = watch.protocol()
    await move_server_clock(loop_clock, HOLD_S)  # the ping goes out
    await move_server_clock(loop_clock, HOLD_S)  # no answer in time
    assert protocol.close_sent, "the keepalive ping did not time out"
    await asyncio.sleep(0.1)  # let whatever that close set going run (it can never finish: nothing drains)
    assert watch.held() and watch.protocol() is protocol
    assert protocol.transport.is_closing() and protocol.transport.get_write_buffer_size() > 0
    # ... until the stall cut-off ends the connection (not the outbox: it never overflowed).
    await move_server_clock(loop_clock, CUTOFF_S)
    await until(watch.gone, "the stall cut-off let go of the reader", each=watch.sample)
    assert any("stopped reading: cut off" in line for line in arena.server.log.warnings())
    assert not watch.outbox.overflowed
    drained = await reader.drain(timeout=BUDGET_S)  # cut off: no close frame ever reached it
    assert drained.close_code is None and (drained.eof or drained.reset), drained
    assert drained.messages["bid_accepted"] == 1, drained
    await assert_journal_holds_exactly(arena, honest, [reader.bid_id])
