"""The fault run: bidders keep bidding while the server is killed (SIGKILL) and restarted, again and again.

Afterwards every receipt a bidder holds must name a bid that is in the journal, and the journal must still
replay to the same outcome. Shared by ``tests/test_faults.py`` (the CI-sized run) and ``scripts/faults.py``.

Everything is real: a fresh SQLite file, ``auction serve`` as a child process on 127.0.0.1, bidders as
WebSocket clients in this process, the organiser's close and award over the server's control API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import statistics
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from auction.audit.replay import replay
from auction.audit.verify import verify_auction
from auction.clock import system_clock
from auction.rules.config import AuctionConfig
from auction.rules.messages import AuctionOpened, BidAccepted
from auction.rules.money import format_price, parse_price
from auction.settings import Settings
from auction.steps.auctions import load_runner, schedule_auction
from auction.steps.control import apply_control
from auction.steps.invitations import invite
from auction.steps.qualification import load_response_files
from auction.steps.setup import init_database
from auction.steps.tenders import load_tender_file
from auction.storage.access import exchange_invitation
from auction.storage.contracts import stored_contract
from auction.storage.db import make_engine
from auction.storage.sql_journal import journal_for
from scripts.kit.demo import free_port, serve_command, server_answers
from scripts.kit.example import EXAMPLE_LATE_REASON, qualify_example, tender_with_timings
from scripts.kit.measure import machine, percentile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EVALUATION_DAY = date(2026, 8, 1)  # the example tender's qualification date; certificates are judged on it

# The protocol asks people's clients to wait 0.5 s and double up to 8 s; these bidders are tools on loopback
# and a restart takes about half a second, so they retry sooner (a refused connect costs nothing here) to be
# back as soon as the server is: every second spent reconnecting is a second without faults.
RECONNECT_FIRST_S = 0.02
RECONNECT_MAX_S = 0.1
FLOW_TIMEOUT_S = 20.0  # no receipt this long after a restart: the server or a reconnect is stuck
IN_FLIGHT_TIMEOUT_S = 2.0  # how long a kill waits for a bid to be on its way before it fires anyway
STOP_TIMEOUT_S = 30.0  # for the bidders to settle their last bid once told to stop

Line = tuple[str, int, int]  # line id, volume, ceiling (price units)


class FaultRunError(Exception):
    """The run itself could not go on: the server did not come back, or bids stopped flowing."""


# ------------------------------------------------------------------------------------------------ plan


@dataclass(frozen=True)
class FaultPlan:
    kills: int
    bidders: int
    seed: int
    folder: Path
    kill_after_s: tuple[float, float] = (0.05, 0.6)  # from the first receipt of a server's life to its kill
    # Once the delay has passed the kill waits for a bid on its way and then fires within this many seconds,
    # so kills land before, during and after bids' commits (the window a lost receipt would come from).
    landing_s: float = 0.015
    duration_s: int = 3600  # long enough that the schedule never closes the auction during the run


# ------------------------------------------------------------------------------------------------ prices


def weighted(lines: list[Line], prices: dict[str, int]) -> int:
    return sum(prices[line_id] * volume for line_id, volume, _ in lines)


def next_prices(lines: list[Line], current: dict[str, int], max_total: int) -> dict[str, int] | None:
    """The highest prices, none above ``current``, whose total is at most ``max_total``; None when none exist.

    Stepping down by about the minimum decrement each time stretches a bidder's room below the ceiling over
    as many bids as the rules allow (the example's lot L1 gives a few hundred per bidder).
    """
    total = weighted(lines, current)
    if total <= max_total:  # the first bid: the ceiling prices themselves are allowed
        return dict(current)
    prices = {line_id: max(1, current[line_id] * max_total // total) for line_id, _, _ in lines}
    if weighted(lines, prices) > max_total:
        return None  # every line is at its last unit: this bidder cannot go lower
    # Scaling down rounds each line down; give back whole units, biggest volume first, up to the limit.
    for line_id, volume, _ in sorted(lines, key=lambda line: -line[1]):
        room = max_total - weighted(lines, prices)
        prices[line_id] += min(current[line_id] - prices[line_id], room // volume)
    return prices


def bids_until_floor(cfg: AuctionConfig) -> int:
    """How many bids :func:`next_prices` allows one bidder from the ceiling down (used to pace the bidders)."""
    lines = [(line.id, line.volume, line.ceiling) for line in cfg.lines]
    current = {line_id: ceiling for line_id, _, ceiling in lines}
    max_total = cfg.ceiling_total
    count = 0
    while (prices := next_prices(lines, current, max_total)) is not None:
        count += 1
        current = prices
        total = weighted(lines, prices)
        max_total = total - cfg.required_decrement(total)
    return count


# ------------------------------------------------------------------------------------------------ server


class Server:
    """``auction serve`` as a child process, started, killed and restarted on the same port and database."""

    def __init__(self, settings: Settings, log_path: Path) -> None:
        self.settings = settings
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self, timeout_s: float = 30.0) -> float:
        """Start and wait for ``/api/health``; returns the seconds it took (the restart cost of a crash)."""
        started = time.monotonic()
        # Append: the log of every life of the server stays, so a crash on restart can be read afterwards.
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                serve_command(self.settings), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
            )
        while time.monotonic() - started < timeout_s:
            if self.process.poll() is not None:
                raise FaultRunError(f"the server exited ({self.process.returncode}) at start; see {self.log_path}")
            if await asyncio.to_thread(server_answers, self.settings):
                return time.monotonic() - started
            await asyncio.sleep(0.02)
        raise FaultRunError(f"the server did not answer within {timeout_s:.0f} s; see {self.log_path}")

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a power cut as far as the process is concerned."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        while self.process.poll() is None:
            await asyncio.sleep(0.002)

    async def stop(self, timeout_s: float = 10.0) -> int | None:
        """SIGTERM and wait (SIGKILL after ``timeout_s``); returns the exit code.

        uvicorn shuts down gracefully on SIGTERM and then raises the signal again, so a clean stop exits with
        ``-SIGTERM``; :meth:`stopped_cleanly` tells it from a kill.
        """
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout_s
            while self.process.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def stopped_cleanly(self) -> bool:
        """The last life ended through the app's shutdown (its final words are in the log)."""
        if self.process is None or self.process.returncode not in (0, -signal.SIGTERM):
            return False
        tail = self.log_path.read_bytes()[-2000:].decode("utf-8", "replace")
        return "Application shutdown complete." in tail and f"Finished server process [{self.process.pid}]" in tail


# ----------------------------------------------------------------------------------------------- bidders


@dataclass(frozen=True)
class Receipt:
    """A ``bid_accepted`` as one bidder received it."""

    bidder: str  # the supplier id of the seat that received it
    bid_id: str
    auction_id: str
    seq: int
    entry_hash: str
    server_time: int
    total: str


class Traffic:
    """What the killer sees of the bidders: whether a bid is on its way, and whether receipts arrive."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.flying = asyncio.Event()
        self.acknowledged = asyncio.Event()

    def sent(self) -> None:
        self.in_flight += 1
        self.flying.set()

    def settled(self) -> None:
        self.in_flight -= 1
        if self.in_flight == 0:
            self.flying.clear()

    def receipt(self) -> None:
        self.acknowledged.set()


class Bidder:
    """A real WebSocket client that bids down continuously, reconnects, and re-sends an unanswered bid."""

    def __init__(self, supplier_id: str, url: str, rng: random.Random, think_s: float, traffic: Traffic) -> None:
        self.supplier_id = supplier_id
        self.url = url
        self.rng = rng
        self.think_s = think_s  # mean pause before each new bid
        self.traffic = traffic
        self.receipts: list[Receipt] = []
        self.sent = 0
        self.latencies: list[float] = []  # seconds from sending a bid to its receipt, on one connection
        self._sent_at = 0.0
        self.retries = 0  # unanswered bids sent again after a reconnect, same bid_id and prices
        self.retries_held = 0  # of those, bids the restarted server already held: the kill took only the receipt
        self.rejections: list[dict[str, Any]] = []  # every bid_rejected or error; these bidders never earn one
        self.anomalies: list[str] = []  # answers that contradict the protocol
        self.exhausted = False  # no lower total possible any more (pacing too fast for the run's length)
        self._count = 0
        self._pending: tuple[str, dict[str, str]] | None = None  # decided on, no answer yet
        self._pending_sent = False  # it left on a connection (a send that raised never did)
        self._flying = False
        self._state: dict[str, Any] = {}
        self._lines: list[Line] = []
        self._decimals = 2

    async def run(self, stop: asyncio.Event) -> None:
        """Bid until ``stop`` is set, through any number of server deaths; return once no bid is unanswered."""
        pause = RECONNECT_FIRST_S
        while not (stop.is_set() and self._pending is None):
            try:
                async with connect(self.url, compression=None, open_timeout=5, close_timeout=1) as ws:
                    pause = RECONNECT_FIRST_S
                    await self._session(ws, stop)
                    return
            except (OSError, TimeoutError, WebSocketException):
                pass  # the server died under us or is not listening yet: connect again
            finally:
                if self._flying:  # its answer can no longer come on this connection
                    self._flying = False
                    self.traffic.settled()
            await asyncio.sleep(pause)
            pause = min(pause * 2, RECONNECT_MAX_S)

    async def _session(self, ws: ClientConnection, stop: asyncio.Event) -> None:
        welcome = await self._receive(ws)
        if welcome["type"] != "welcome":  # e.g. the session was refused: final, reconnecting cannot help
            raise FaultRunError(f"{self.supplier_id}: expected welcome, got {welcome}")
        auction = welcome["auction"]
        self._decimals = auction["price_decimals"]
        self._lines = [
            (line["id"], line["volume"], parse_price(line["ceiling"], self._decimals)) for line in auction["lines"]
        ]
        self._state = {}
        while not self._state:  # the state after welcome is this life's view of our own last bid
            await self._receive(ws)
        if self._pending is not None:
            await self._resume(ws, *self._pending)
        while not stop.is_set():
            while self._state["phase"] != "open":
                await self._receive(ws)
            units = self._next_bid()
            if units is None:
                self.exhausted = True
                await stop.wait()
                return
            # Pause before the bid (seeded), so the bidders' room lasts the whole run; stop cuts the pause short.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.rng.uniform(0, 2 * self.think_s))
                return
            self._count += 1
            bid_id = f"{self.supplier_id}-{self._count:05d}"
            payload = {line_id: format_price(price, self._decimals) for line_id, price in units.items()}
            self._pending, self._pending_sent = (bid_id, payload), False
            await self._send(ws, bid_id, payload)
            await self._settle(ws, bid_id, payload)

    async def _resume(self, ws: ClientConnection, bid_id: str, prices: dict[str, str]) -> None:
        """Send the bid that was left without an answer again: same bid_id, same prices."""
        if not self._pending_sent:  # the connection died before it went out: a first send, not a retry
            await self._send(ws, bid_id, prices)
            await self._settle(ws, bid_id, prices)
            return
        # The server holds the bid iff it is our last bid there: we never have two bids outstanding.
        held = (self._state["you"]["last_bid"] or {}).get("bid_id") == bid_id
        seen_seq = self._state["seq"]
        self.retries += 1
        self.retries_held += held
        await self._send(ws, bid_id, prices)
        receipt = await self._settle(ws, bid_id, prices)
        # Held: the original receipt, for an entry we could already see; not held: a new entry after those.
        if receipt is not None and held != (receipt.seq <= seen_seq):
            self.anomalies.append(f"retry of {bid_id}: held={held} but receipt seq {receipt.seq}, seen {seen_seq}")

    def _next_bid(self) -> dict[str, int] | None:
        you = self._state["you"]
        if you["last_bid"] is None:
            current = {line_id: ceiling for line_id, _, ceiling in self._lines}
        else:
            current = {k: parse_price(v, self._decimals) for k, v in you["last_bid"]["prices"].items()}
        return next_prices(self._lines, current, parse_price(you["max_total"], self._decimals))

    async def _send(self, ws: ClientConnection, bid_id: str, prices: dict[str, str]) -> None:
        await ws.send(json.dumps({"type": "bid", "bid_id": bid_id, "prices": prices}))
        self._pending_sent = True
        self._sent_at = time.perf_counter()
        self.sent += 1
        if not self._flying:
            self._flying = True
            self.traffic.sent()

    async def _settle(self, ws: ClientConnection, bid_id: str, prices: dict[str, str]) -> Receipt | None:
        """Wait for the bid's answer; after a receipt, also for the state that shows it (the next limit)."""
        while True:
            message = await self._receive(ws)
            if message["type"] == "error":
                self.rejections.append(message)
                # Nothing was recorded (not_recorded) or the bid was not even read (rate_limited): the
                # protocol says send it again. Any other error means this client is wrong: stop.
                if message.get("code") not in ("not_recorded", "rate_limited"):
                    raise FaultRunError(f"{self.supplier_id}: {message}")
                await asyncio.sleep(0.1)
                await ws.send(json.dumps({"type": "bid", "bid_id": bid_id, "prices": prices}))
                continue
            if message.get("bid_id") != bid_id:
                continue
            self._pending = None
            self._flying = False
            self.traffic.settled()
            if message["type"] != "bid_accepted":
                self.rejections.append(message)
                return None
            self.latencies.append(time.perf_counter() - self._sent_at)
            receipt = Receipt(
                self.supplier_id,
                bid_id,
                message["auction_id"],
                message["seq"],
                message["entry_hash"],
                message["server_time"],
                message["total"],
            )
            self.receipts.append(receipt)
            self.traffic.receipt()
            while self._state["seq"] < receipt.seq:
                await self._receive(ws)
            return receipt

    async def _receive(self, ws: ClientConnection) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message["type"] == "state":
            self._state = message
        return message


# --------------------------------------------------------------------------------------------------- run


@dataclass
class FaultReport:
    plan: FaultPlan
    auction_id: str = ""
    think_s: float = 0.0
    room_bids: int = 0  # bids one bidder can make from the ceiling to the floor
    kills: int = 0
    kills_in_flight: int = 0  # kills that fired while some bid had not been answered yet
    restarts_s: list[float] = field(default_factory=list)
    acknowledged: int = 0
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    retries: int = 0
    retries_held: int = 0
    rejections: Counter[str] = field(default_factory=Counter)
    exhausted: int = 0
    most_bids: int = 0  # the most bids one bidder made (compare with room_bids)
    down_s: float = 0.0  # from each kill until the next life answered, summed
    close_moved_s: float = 0.0  # how far the close moved from where the opening put it (no extensions are set)
    downtime_entries: int = 0
    journal_entries: int = 0
    journal_bids: int = 0
    lost: list[Receipt] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    contract: str = ""
    server_exit: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Prepared:
    settings: Settings
    key: str
    auction_id: str
    seats: list[tuple[str, str]]  # (supplier id, bidder WebSocket URL)
    cfg: AuctionConfig


def synthetic_responses(count: int, folder: Path) -> list[Path]:
    """``count`` admissible responses: an admitted example supplier under new ids, one per bidder."""
    template = json.loads((EXAMPLES / "responses" / "lepelaar.json").read_text())
    paths = []
    for n in range(count):
        document = json.loads(json.dumps(template))
        document["supplier"].update(
            id=f"sup-fault-{n:03d}",
            name=f"Storingstest Leverancier {n:03d} B.V.",
            kvk=f"{91000000 + n:08d}",
            agb=f"{81000000 + n:08d}",
        )
        path = folder / f"fault-{n:03d}.json"
        path.write_text(json.dumps(document))
        paths.append(path)
    return paths


async def prepare(plan: FaultPlan) -> Prepared:
    """A fresh database with one live auction of lot L1, open from now for an hour, no anti-sniping."""
    plan.folder.mkdir(parents=True, exist_ok=True)
    settings = Settings(db_path=plan.folder / "auction.db", port=free_port())
    key = await init_database(settings)
    engine = make_engine(settings.database_url)
    try:
        # No extensions, published in the tender: the close stays where it is, whatever the bids do.
        no_extensions = tender_with_timings(
            plan.folder / "tender", EXAMPLES / "tender.toml", extension_window="0s", extension="0s", max_extensions=0
        )
        loaded = await load_tender_file(engine, no_extensions)
        responses = synthetic_responses(plan.bidders, plan.folder)
        await load_response_files(
            engine,
            loaded.tender.id,
            responses,
            documents_dir=EXAMPLES / "responses",
            late_reason=EXAMPLE_LATE_REASON,
        )
        verdicts = await qualify_example(engine, loaded.tender.id)
        if sum(v.admitted for v in verdicts) != plan.bidders:
            raise FaultRunError("the synthetic suppliers were not all admitted")
        auction_id = await schedule_auction(
            engine,
            loaded.tender.id,
            "L1",
            "live",
            system_clock(),
            plan.duration_s,
            rng=random.Random(plan.seed),
        )
        ws_base = settings.base_url.replace("http://", "ws://")
        seats = []
        for invitation in await invite(engine, auction_id, settings.base_url):
            if invitation.role != "bidder":
                continue
            # Invitation links open one session only. Exchanging them here, before the server runs, keeps the
            # one-time exchange out of the kills' way: every reconnect uses the session.
            session, _ = await exchange_invitation(engine, auction_id, invitation.token, "bidder", system_clock())
            seats.append((invitation.holder, f"{ws_base}/ws/bidder/{auction_id}?session={quote(session)}"))
        cfg = (await load_runner(engine, auction_id)).state.cfg
    finally:
        await engine.dispose()
    return Prepared(settings, key, auction_id, sorted(seats), cfg)


def pace(plan: FaultPlan, room_bids: int) -> float:
    """The mean pause before each bid so that one bidder's room lasts the run with a wide margin.

    A server's life with bids flowing lasts the kill delay plus the waits for the first receipt and for a bid
    on its way (measured: about 0.3 s together); a bidder should use at most half its room over all of them.
    Never below 0.1 s: the server reads at most 20 messages a second from one connection and drops the rest.
    """
    life_s = sum(plan.kill_after_s) / 2 + 0.3
    return max(0.1, (plan.kills + 1) * life_s / (0.5 * room_bids))


async def run_faults(plan: FaultPlan, progress: Callable[[str], None] | None = None) -> FaultReport:
    """Run the whole fault run and check it; problems are listed in the report, never raised."""
    started = time.monotonic()
    report = FaultReport(plan)
    prepared = await prepare(plan)
    report.auction_id = prepared.auction_id
    report.room_bids = bids_until_floor(prepared.cfg)
    report.think_s = pace(plan, report.room_bids)
    rng = random.Random(plan.seed)
    # Separate streams: the kill schedule depends on the seed alone, not on how many bids the bidders made.
    killer = random.Random(rng.getrandbits(64))
    traffic = Traffic()
    bidders = [
        Bidder(supplier, url, random.Random(rng.getrandbits(64)), report.think_s, traffic)
        for supplier, url in prepared.seats
    ]
    server = Server(prepared.settings, plan.folder / "server.log")
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    try:
        report.restarts_s.append(await server.start())
        tasks = [asyncio.create_task(b.run(stop), name=f"bidder:{b.supplier_id}") for b in bidders]
        for number in range(1, plan.kills + 1):
            await _bids_flow(traffic, bidders, tasks, f"after start #{number}")
            delay, landing = killer.uniform(*plan.kill_after_s), killer.uniform(0, plan.landing_s)
            await asyncio.sleep(delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(traffic.flying.wait(), IN_FLIGHT_TIMEOUT_S)
            await asyncio.sleep(landing)
            report.kills_in_flight += traffic.in_flight > 0
            killed_at = time.monotonic()
            await server.kill()
            report.kills += 1
            traffic.acknowledged.clear()  # from here on, a receipt can only come from the next life
            report.restarts_s.append(await server.start())
            report.down_s += time.monotonic() - killed_at
            if progress is not None and (number % 10 == 0 or number == plan.kills):
                acked, retried = sum(len(b.receipts) for b in bidders), sum(b.retries for b in bidders)
                progress(f"  {number:>4} kills, {acked:>5} bids acknowledged, {retried} retries")
        await _bids_flow(traffic, bidders, tasks, "after the last restart")
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), STOP_TIMEOUT_S)
        await _award(prepared, report)
    except Exception as exc:  # reported with the figures so far, not raised: the script still prints them
        report.problems.append(f"the run stopped: {exc!r}")
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        report.server_exit = await server.stop()
    receipts = [r for b in bidders for r in b.receipts]
    report.acknowledged = len(receipts)
    report.sent = sum(b.sent for b in bidders)
    report.latencies = sorted(t for b in bidders for t in b.latencies)
    report.retries = sum(b.retries for b in bidders)
    report.retries_held = sum(b.retries_held for b in bidders)
    report.rejections = Counter(r.get("code", r["type"]) for b in bidders for r in b.rejections)
    report.exhausted = sum(b.exhausted for b in bidders)
    report.most_bids = max((len(b.receipts) for b in bidders), default=0)
    if report.rejections:
        report.problems.append(f"bids were refused: {dict(report.rejections)}")
    report.problems.extend(a for b in bidders for a in b.anomalies)
    if not server.stopped_cleanly():
        report.problems.append(f"the server did not stop cleanly (exit code {report.server_exit}); see its log")
    await check_journal(prepared, receipts, report)
    report.seconds = time.monotonic() - started
    return report


async def _bids_flow(traffic: Traffic, bidders: list[Bidder], tasks: list[asyncio.Task[None]], when: str) -> None:
    """Wait for a receipt from the server's current life (a reconnect that never recovers fails here)."""
    for task in tasks:
        if task.done() and task.exception() is not None:
            raise FaultRunError(f"a bidder failed: {task.exception()!r}")
    if all(b.exhausted for b in bidders):
        return  # nobody can bid any more; the kills go on without bids
    try:
        await asyncio.wait_for(traffic.acknowledged.wait(), FLOW_TIMEOUT_S)
    except TimeoutError:
        raise FaultRunError(f"no bid was acknowledged within {FLOW_TIMEOUT_S:.0f} s {when}") from None


async def _award(prepared: Prepared, report: FaultReport) -> None:
    """Close and record the intention to award through the running server, as the organiser does."""
    engine = make_engine(prepared.settings.database_url)
    try:
        for kind, reason in (("close", "fault run: bidding ends"), ("award", "fault run: the best offer at close")):
            result = await apply_control(engine, prepared.auction_id, kind, reason, prepared.key)
            if not result.get("ok") or result.get("via") != "server":
                report.problems.append(f"{kind} through the server failed: {result}")
    finally:
        await engine.dispose()


async def check_journal(prepared: Prepared, receipts: list[Receipt], report: FaultReport) -> None:
    """Every receipt names its bid in the journal; the journal replays; the contract follows from the bids."""
    auction_id = prepared.auction_id
    engine = make_engine(prepared.settings.database_url)
    try:
        entries = await journal_for(engine).read(auction_id)
        report.journal_entries = len(entries)
        by_seq = {entry.seq: entry for entry in entries}
        bids = [(entry.seq, event) for entry in entries if isinstance(event := entry.event(), BidAccepted)]
        report.journal_bids = len(bids)
        decimals = prepared.cfg.price_decimals

        for receipt in receipts:
            entry = by_seq.get(receipt.seq)
            found = entry.event() if entry is not None else None
            held = (
                entry is not None
                and isinstance(found, BidAccepted)
                and entry.hash == receipt.entry_hash
                and entry.recorded_at == receipt.server_time
                and found.bid_id == receipt.bid_id
                and found.bidder == receipt.bidder
                and format_price(found.total, decimals) == receipt.total
                and receipt.auction_id == auction_id
            )
            if not held:
                report.lost.append(receipt)
        if report.lost:
            report.problems.append(f"{len(report.lost)} acknowledged bid(s) not in the journal: {report.lost[:3]}")

        twice = sorted(bid_id for bid_id, n in Counter(event.bid_id for _, event in bids).items() if n > 1)
        if twice:
            report.problems.append(f"bid ids stored more than once: {twice[:5]}")
        receipted = Counter(r.bid_id for r in receipts)
        if any(n > 1 for n in receipted.values()):
            report.problems.append("a bidder was given two receipts for one bid")
        # Every bid got its answer before the bidders stopped, so the journal holds exactly the receipted bids:
        # none lost, and none recorded that its bidder was never told about.
        unreceipted = sorted({event.bid_id for _, event in bids} - set(receipted))
        if unreceipted:
            report.problems.append(f"bids in the journal without a receipt: {unreceipted[:5]}")

        # With no anti-sniping, only the server's outage rule can move the close: checked against the downtime.
        report.downtime_entries = sum(entry.type == "DowntimeRecorded" for entry in entries)
        opened = next((e.event() for e in entries if e.type == "AuctionOpened"), None)
        closing = next((n for n, e in enumerate(entries) if e.type == "AuctionClosed"), None)
        if isinstance(opened, AuctionOpened) and closing is not None:
            closes_at = replay(auction_id, entries[:closing]).state.closes_at
            report.close_moved_s = ((closes_at or opened.closes_at) - opened.closes_at) / 1000
            # Each outage is measured from the dead server's last sign of life (its last entry or heartbeat, at
            # most a second stale) to the restart: so the close may move by the downtime plus that second.
            if report.downtime_entries != report.kills:
                report.problems.append(f"{report.downtime_entries} outages recorded for {report.kills} kills")
            if not 0 <= report.close_moved_s <= report.down_s + report.kills * 1.0:
                report.problems.append(
                    f"the close moved {report.close_moved_s:.1f} s for {report.down_s:.1f} s of downtime"
                )

        audit = await verify_auction(engine, auction_id)
        if not audit.ok:
            report.problems.append(f"verify_auction: {audit.problems}")
        rebuilt = (await load_runner(engine, auction_id)).state
        if rebuilt != replay(auction_id, entries).state:
            report.problems.append("the state rebuilt by load_runner differs from a fresh replay")

        # The best final offer from the journal alone: each bidder's last bid is its lowest (bids only go
        # down); lowest total wins, the earlier one on a tie.
        final: dict[str, tuple[int, int]] = {}
        for seq, event in bids:
            final[event.bidder] = (event.total, seq)
        contract = await stored_contract(engine, auction_id)
        if not final:
            report.problems.append("no bid was accepted at all")
        elif contract is None:
            report.problems.append("no contract was recorded")
        else:
            winner = min(final, key=lambda bidder: final[bidder])
            best = format_price(final[winner][0], decimals)
            report.contract = f"{contract['supplier']['id']} at {contract['total_per_year']} per year"
            if (contract["supplier"]["id"], contract["total_per_year"]) != (winner, best):
                report.problems.append(f"the contract is {report.contract}, the best final offer {winner} at {best}")
    finally:
        await engine.dispose()


# ------------------------------------------------------------------------------------------------ output


def summary(report: FaultReport) -> list[str]:
    plan = report.plan
    restarts = report.restarts_s[1:] or [float("nan")]
    rejected = ", ".join(f"{code} {n}" for code, n in sorted(report.rejections.items())) or "none"
    lo, hi = plan.kill_after_s
    return [
        f"machine:   {machine()}",
        f"setup:     {plan.bidders} bidders on {report.auction_id}, seed {plan.seed}, kill {lo:.2f}–{hi:.2f} s "
        f"after bids flow; mean pause before a bid {report.think_s * 1000:.0f} ms "
        f"(room: {report.room_bids} bids per bidder); SQLite WAL synchronous=FULL; {plan.folder}",
        f"kills:     {report.kills} survived (SIGKILL), {report.kills_in_flight} with a bid in flight; "
        f"restart p50 {statistics.median(restarts):.2f} s, max {max(restarts):.2f} s",
        f"bids:      {report.acknowledged} acknowledged, {report.sent} sent, rejected: {rejected}; "
        f"at most {report.most_bids} by one bidder"
        + (f"; {report.exhausted} bidder(s) reached the floor" if report.exhausted else ""),
        f"latency:   send → receipt p50 {percentile(report.latencies, 0.5) * 1000:.1f} ms, "
        f"p99 {percentile(report.latencies, 0.99) * 1000:.1f} ms",
        f"retries:   {report.retries} (same bid_id and prices): {report.retries_held} the server already held "
        f"(original receipt), {report.retries - report.retries_held} decided fresh",
        f"journal:   {report.journal_entries} entries, {report.journal_bids} bids, {len(report.lost)} bids lost",
        f"contract:  {report.contract or '-'}",
        f"outages:   {report.down_s:.1f} s down in total; the close moved {report.close_moved_s:.1f} s "
        f"({report.downtime_entries} DowntimeRecorded entries)",
        f"verdict:   {'OK' if report.ok else 'FAILED'}" + "".join(f"\n  ✗ {p}" for p in report.problems),
        f"took:      {report.seconds:.1f} s",
    ]
