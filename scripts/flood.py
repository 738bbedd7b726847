"""Fairness under load: do honest bidders notice a flooding client, or a client that stops reading?

Three rounds, each on a fresh database and a fresh server process (``auction serve``), in one run:

1. ``no flood``: N honest bidders, each placing bids at a steady pace (well under the per-session limit of
   20 messages a second), measuring the time from sending a bid to its ``bid_accepted``;
2. ``flood``: the same, while one or more flooding clients, each with a valid bidder session of its own
   admitted seat, send pings, malformed frames and valid-looking bids as fast as they can from a separate
   process (``--flood-rate`` caps them), reconnecting at once whenever the server drops them;
3. ``stalled reader``: the same, while one more bidder connects, sends one bid and then never reads its socket
   again (a raw TCP client with a small receive buffer, so the buffers between it and the server really fill).

Prints the machine, the rounds, p99(flood) / p99(no flood) against the target of at most 1.2x, how the server
treated the flooders, and when and how it let go of the stalled reader. Exits 1 when something did not hold.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import itertools
import json
import os
import random
import socket
import struct
import sys
import tempfile
import termios
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402  (scripts/bench.py: synthetic_responses, bench_tender, next_prices)
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402
from websockets.client import ClientProtocol  # noqa: E402
from websockets.exceptions import ConnectionClosed, InvalidHandshake  # noqa: E402
from websockets.frames import Frame, Opcode  # noqa: E402
from websockets.http11 import Response  # noqa: E402
from websockets.uri import parse_uri  # noqa: E402

from auction.clock import system_clock  # noqa: E402
from auction.rules.messages import BidAccepted  # noqa: E402
from auction.rules.money import format_price, parse_price  # noqa: E402
from auction.settings import Settings  # noqa: E402
from auction.steps.auctions import schedule_auction  # noqa: E402
from auction.steps.control import server_get  # noqa: E402
from auction.steps.invitations import Invitation, invite  # noqa: E402
from auction.steps.qualification import load_response_files  # noqa: E402
from auction.steps.setup import init_database  # noqa: E402
from auction.steps.tenders import load_tender_file  # noqa: E402
from auction.storage.db import make_engine  # noqa: E402
from auction.storage.sql_journal import journal_for  # noqa: E402
from qualification.common.errors import ServerUnreachable  # noqa: E402
from scripts.kit.client import exchange_session, session_ws_url, token_of  # noqa: E402
from scripts.kit.demo import ServerProcess, free_port  # noqa: E402
from scripts.kit.example import EXAMPLE_LATE_REASON, qualify_example  # noqa: E402
from scripts.kit.measure import machine, percentile  # noqa: E402

EVALUATION_DAY = date(2026, 8, 1)  # the example tender's qualification date
TARGET_P99_RATIO = 1.2
SERVER_PING_S = 20  # web/server.py: the server pings every 20 s and waits 20 s for the answer
STALL_CUTOFF_S = Settings().stalled_client_s  # a send that waits this long: the server cuts the client off
ANSWER_TIMEOUT_S = 30.0  # an honest bid without any answer after this long counts as unanswered


# ------------------------------------------------------------------------------------------ honest bidders


@dataclass
class HonestStats:
    """What the honest bidders saw, all together."""

    ready: int = 0
    latencies: list[float] = field(default_factory=list)  # ms from sending a bid to its bid_accepted
    acked_at: list[float] = field(default_factory=list)  # time.monotonic() of each bid_accepted
    accepted: list[str] = field(default_factory=list)  # bid ids
    rejected: Counter[str] = field(default_factory=Counter)  # bid_rejected codes
    errors: Counter[str] = field(default_factory=Counter)  # error codes (rate_limited, flooding, ...)
    unanswered: int = 0
    disconnected: Counter[str] = field(default_factory=Counter)  # close code (or exception) -> count

    @property
    def rate_refused(self) -> int:
        return self.errors["rate_limited"] + self.errors["flooding"]


async def _next_json(ws: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await ws.recv())
    return message


class _Inbox:
    """An honest bidder's reading side: reads every message as it comes (as a real client does, so the server
    never waits on this client), hands each bid's answer to whoever waits for it, keeps the newest state."""

    def __init__(self, ws: ClientConnection, decimals: int, state: dict[str, Any], stats: HonestStats) -> None:
        self.ws = ws
        self.decimals = decimals
        self.stats = stats
        self.max_total = parse_price(state["you"]["max_total"], decimals)
        self.seq = int(state["seq"])
        self.changed = asyncio.Event()
        self.answers: dict[str, asyncio.Future[tuple[dict[str, Any], float]]] = {}

    async def run(self) -> None:
        try:
            async for frame in self.ws:
                received = time.perf_counter()
                message = json.loads(frame)
                kind = message["type"]
                if kind == "state":
                    self.max_total = parse_price(message["you"]["max_total"], self.decimals)
                    self.seq = max(self.seq, int(message["seq"]))
                    self.changed.set()
                elif kind == "error":
                    self.stats.errors[message.get("code", "?")] += 1
                elif message.get("bid_id") in self.answers:
                    future = self.answers.pop(message["bid_id"])
                    if not future.done():
                        future.set_result((message, received))
        finally:
            for future in self.answers.values():
                if not future.done():
                    future.set_exception(ConnectionError("the connection ended before the answer"))

    def answer(self, bid_id: str) -> asyncio.Future[tuple[dict[str, Any], float]]:
        future: asyncio.Future[tuple[dict[str, Any], float]] = asyncio.get_running_loop().create_future()
        self.answers[bid_id] = future
        return future

    async def state_after(self, seq: int) -> None:
        while self.seq < seq:
            self.changed.clear()
            await self.changed.wait()


async def honest_bidder(
    url: str, name: str, go: asyncio.Event, stop: asyncio.Event, pace: float, stats: HonestStats
) -> None:
    """Connect, wait for the auction to open and for ``go``, then bid ``pace`` times a second until ``stop``.

    One bid at a time: send, wait for its answer, and after a receipt for the state that says how low the next
    bid must go (the prices come from ``bench.next_prices``). Messages are read all the time, by a task of their
    own; the latency is from just before sending to the moment the receipt was read."""
    interval = 1.0 / pace
    try:
        async with connect(url, compression=None, max_size=2**20, open_timeout=30) as ws:
            welcome = (await _next_json(ws))["auction"]
            decimals = welcome["price_decimals"]
            state = await _next_json(ws)
            while state.get("type") != "state" or state["phase"] != "open":
                state = await _next_json(ws)
            inbox = _Inbox(ws, decimals, state, stats)
            reading = asyncio.create_task(inbox.run())
            try:
                stats.ready += 1
                await go.wait()
                last: dict[str, int] | None = None
                next_at = time.monotonic() + random.uniform(0, interval)  # spread the bidders over the interval
                n = 0
                while not stop.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), max(0.0, next_at - time.monotonic()))
                    if stop.is_set():
                        break
                    next_at = max(next_at + interval, time.monotonic())  # never catch up in a burst
                    prices = bench.next_prices(welcome, last, inbox.max_total, n)
                    n += 1
                    bid_id = f"{name}-{n}"
                    payload = {k: format_price(v, decimals) for k, v in prices.items()}
                    answer = inbox.answer(bid_id)
                    sent = time.perf_counter()
                    await ws.send(json.dumps({"type": "bid", "bid_id": bid_id, "prices": payload}))
                    try:
                        async with asyncio.timeout(ANSWER_TIMEOUT_S):
                            message, received = await answer
                            if message["type"] == "bid_accepted":
                                stats.latencies.append((received - sent) * 1000)
                                stats.acked_at.append(time.monotonic())
                                stats.accepted.append(bid_id)
                                last = prices
                                await inbox.state_after(message["seq"])  # it says how low the next bid must go
                            else:
                                stats.rejected[message.get("code", message["type"])] += 1
                    except TimeoutError:
                        stats.unanswered += 1
                        return
                    except ConnectionError:  # the server closed the connection
                        stats.disconnected[str(ws.close_code)] += 1
                        return
            finally:
                await ws.close()  # still reading meanwhile, so the closing handshake is not held up
                with contextlib.suppress(ConnectionClosed):
                    await reading
    except ConnectionClosed as closed:
        stats.disconnected[str(closed.rcvd.code if closed.rcvd else "no close frame")] += 1
    except (OSError, InvalidHandshake) as exc:
        stats.disconnected[type(exc).__name__] += 1


async def start_honest(
    urls: list[str], pace: float, stats: HonestStats, timeout: float = 60
) -> tuple[asyncio.Event, asyncio.Event, list[asyncio.Task[None]]]:
    """Connect every honest bidder and wait until all are in the open auction; returns (go, stop, tasks)."""
    go, stop = asyncio.Event(), asyncio.Event()
    tasks = [asyncio.create_task(honest_bidder(url, f"h{i}", go, stop, pace, stats)) for i, url in enumerate(urls)]
    deadline = time.monotonic() + timeout
    while stats.ready < len(urls):
        if time.monotonic() > deadline or all(t.done() for t in tasks):
            raise RuntimeError(f"only {stats.ready} of {len(urls)} honest bidders got into the open auction")
        await asyncio.sleep(0.05)
    return go, stop, tasks


# ------------------------------------------------------------------------------------------------ flooders


@dataclass
class FloodStats:
    """How the server treated the flooding clients."""

    sent: int = 0  # frames sent
    connections: int = 0  # connections opened (every one got welcome)
    failed_connects: int = 0
    closes: Counter[str] = field(default_factory=Counter)  # close code the server sent -> count
    errors: Counter[str] = field(default_factory=Counter)  # error codes received: rate_limited, flooding, bad_message
    pongs: int = 0
    accepted: list[str] = field(default_factory=list)  # bid ids the server accepted from the flood
    rejected: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    best_step: int = 0  # the lowest price step of an accepted flood bid (see flood_frames)

    @property
    def handled(self) -> int:
        """Messages the server handled (answered), as opposed to refused for rate."""
        answered = self.pongs + len(self.accepted) + sum(self.rejected.values()) + self.errors["bad_message"]
        return answered + self.errors["not_recorded"]

    def to_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "connections": self.connections,
            "failed_connects": self.failed_connects,
            "closes": dict(self.closes),
            "errors": dict(self.errors),
            "pongs": self.pongs,
            "accepted": self.accepted,
            "rejected": dict(self.rejected),
            "seconds": self.seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FloodStats:
        return cls(
            sent=data["sent"],
            connections=data["connections"],
            failed_connects=data["failed_connects"],
            closes=Counter(data["closes"]),
            errors=Counter(data["errors"]),
            pongs=data["pongs"],
            accepted=list(data["accepted"]),
            rejected=Counter(data["rejected"]),
            seconds=data["seconds"],
        )

    def add(self, other: FloodStats) -> None:
        self.sent += other.sent
        self.connections += other.connections
        self.failed_connects += other.failed_connects
        self.closes.update(other.closes)
        self.errors.update(other.errors)
        self.pongs += other.pongs
        self.accepted.extend(other.accepted)
        self.rejected.update(other.rejected)
        self.seconds = max(self.seconds, other.seconds)


def flood_frames(welcome: dict[str, Any], tag: str, counter: Iterator[int], stats: FloodStats) -> Iterator[str | bytes]:
    """An endless mix: 3 pings, 5 malformed frames and 2 valid-looking bids in every 10 frames.

    The bids name every line with well-formed prices, one to four steps below the flooder's last accepted bid (a
    step: one unit less on one line), so most bids the server lets through are accepted and written. The step is
    the bid id's last part; ``counter`` numbers the bids across reconnections."""
    decimals = welcome["price_decimals"]
    ceilings = [(line["id"], parse_price(line["ceiling"], decimals)) for line in welcome["lines"]]

    def bid() -> str:
        n = next(counter)
        step = stats.best_step + 1 + n % 4
        prices = {
            line_id: format_price(ceiling - (step + i) // len(ceilings), decimals)
            for i, (line_id, ceiling) in enumerate(ceilings)
        }
        return json.dumps({"type": "bid", "bid_id": f"flood-{tag}-{n}-{step}", "prices": prices})

    while True:
        yield '{"type":"ping"}'
        yield "{not json"
        yield bid()
        yield '{"type":"ping"}'
        yield b"\x00\xffbinary"
        yield '{"type":"bid","bid_id":"flood-without-prices"}'
        yield bid()
        yield '{"type":"launch"}'
        yield '{"type":"ping"}'
        yield "[1, 2, 3]"


async def _count_replies(ws: ClientConnection, stats: FloodStats, welcome: asyncio.Future[dict[str, Any]]) -> None:
    try:
        async for frame in ws:
            message = json.loads(frame)
            kind = message.get("type")
            if kind == "welcome" and not welcome.done():
                welcome.set_result(message["auction"])
            elif kind == "pong":
                stats.pongs += 1
            elif kind == "error":
                stats.errors[message.get("code", "?")] += 1
            elif kind == "bid_accepted":
                stats.accepted.append(message["bid_id"])
                stats.best_step = max(stats.best_step, int(message["bid_id"].rsplit("-", 1)[1]))
            elif kind == "bid_rejected":
                stats.rejected[message.get("code", "?")] += 1
    except ConnectionClosed:
        pass
    finally:
        if not welcome.done():
            welcome.set_exception(ConnectionError("closed before the welcome"))


async def flooder(
    url: str,
    tag: str,
    stop: asyncio.Event,
    stats: FloodStats,
    max_frames: int | None = None,
    connected: asyncio.Event | None = None,
    until_dropped: bool = False,
    rate: float | None = None,
) -> None:
    """Send frames as fast as the connection takes them; when the server drops the connection, reconnect at once.

    Ends at ``stop`` (with ``until_dropped``: once the server has dropped the connection in use then, so every
    connection was ended by the server); with ``max_frames``, once that many frames are sent and the server has
    dropped the connection they went on; at once when the server refuses the session (close 4400-4499).
    ``rate``: at most this many frames a second (default: as fast as the connection takes them)."""
    started = time.monotonic()
    counter = itertools.count(1)
    try:
        while not stop.is_set() and (max_frames is None or stats.sent < max_frames):
            try:
                async with connect(url, compression=None, max_size=2**20, open_timeout=10, ping_interval=None) as ws:
                    welcome: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
                    reading = asyncio.create_task(_count_replies(ws, stats, welcome))
                    try:
                        lines = await asyncio.wait_for(asyncio.shield(welcome), 10)
                    except (TimeoutError, ConnectionError):
                        await ws.close()
                        await reading
                        stats.failed_connects += 1
                        if ws.close_code is not None and 4400 <= ws.close_code <= 4499:
                            stats.closes[str(ws.close_code)] += 1
                            return  # refused for good: the session is not valid
                        continue
                    stats.connections += 1
                    if connected is not None:
                        connected.set()
                    frames = flood_frames(lines, tag, counter, stats)
                    with contextlib.suppress(ConnectionClosed):
                        while until_dropped or not stop.is_set():
                            await ws.send(next(frames))
                            stats.sent += 1
                            if stats.sent % 50 == 0:
                                ahead = stats.sent / rate - (time.monotonic() - started) if rate else 0.0
                                await asyncio.sleep(max(0.0, ahead))  # and let the replies be counted
                    await ws.close()
                    await reading
                    stats.closes[str(ws.close_code)] += 1
            except (OSError, InvalidHandshake, TimeoutError):
                stats.failed_connects += 1
                await asyncio.sleep(0.05)
    finally:
        stats.seconds = time.monotonic() - started


async def flood_worker(urls: list[str], seconds: float, rate: float | None) -> None:
    """The flood in its own process: prints ``ready`` once every flooder is connected, then its stats as JSON."""
    stop = asyncio.Event()
    all_stats = [FloodStats() for _ in urls]
    connected = [asyncio.Event() for _ in urls]
    tasks = [
        asyncio.create_task(flooder(url, f"f{i}", stop, all_stats[i], connected=connected[i], rate=rate))
        for i, url in enumerate(urls)
    ]
    async with asyncio.timeout(30):
        await asyncio.gather(*(c.wait() for c in connected))
    print("ready", flush=True)
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(*tasks)
    total = FloodStats()
    for one in all_stats:
        total.add(one)
    print(json.dumps(total.to_json()), flush=True)


# ------------------------------------------------------------------------------------------ stalled reader

TCP_STATES = {1: "ESTABLISHED", 4: "FIN_WAIT1", 5: "FIN_WAIT2", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK"}


@dataclass
class Drained:
    """What a stalled reader finds in its socket once it reads again."""

    messages: Counter[str] = field(default_factory=Counter)
    close_code: int | None = None
    close_reason: str = ""
    eof: bool = False
    reset: bool = False  # the server aborted the connection (TCP reset)


class StalledReader:
    """A bidder that connects, sends one bid and then never reads its socket again.

    A raw TCP socket with a small receive buffer; the WebSocket handshake and frames come from the ``websockets``
    sans-I/O protocol. Nothing reads the socket after the bid, so pings go unanswered and everything the server
    sends piles up: first in this socket's receive buffer, then in the server's send buffers."""

    def __init__(self, url: str, receive_buffer: int = 4096) -> None:
        self.url = url
        self.receive_buffer = receive_buffer
        self.protocol = ClientProtocol(parse_uri(url), max_size=2**22)
        self.sock: socket.socket | None = None
        self.bid_id = "stalled-1"
        self.stopped_reading_at = 0.0

    @property
    def local_port(self) -> int:
        assert self.sock is not None
        return int(self.sock.getsockname()[1])

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        uri = parse_uri(self.url)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)  # before connect: the window
        sock.setblocking(False)
        self.sock = sock
        await loop.sock_connect(sock, (uri.host, uri.port))
        self.protocol.send_request(self.protocol.connect())
        await loop.sock_sendall(sock, b"".join(self.protocol.data_to_send()))
        welcome: dict[str, Any] | None = None
        state: dict[str, Any] | None = None
        async with asyncio.timeout(10):
            while welcome is None or state is None:
                data = await loop.sock_recv(sock, 1024)
                if not data:
                    raise ConnectionError("the server closed the connection during the handshake")
                self.protocol.receive_data(data)
                for event in self.protocol.events_received():
                    if isinstance(event, Response) and event.status_code != 101:
                        raise ConnectionError(f"handshake refused: HTTP {event.status_code}")
                    if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                        message = json.loads(bytes(event.data))
                        if message["type"] == "welcome":
                            welcome = message["auction"]
                        elif message["type"] == "state":
                            state = message
        assert welcome is not None
        prices = {line["id"]: line["ceiling"] for line in welcome["lines"]}  # its first bid: the ceilings
        self.protocol.send_text(json.dumps({"type": "bid", "bid_id": self.bid_id, "prices": prices}).encode())
        await loop.sock_sendall(sock, b"".join(self.protocol.data_to_send()))
        self.stopped_reading_at = time.monotonic()

    def unread_bytes(self) -> int:
        """Bytes waiting in this socket's kernel receive buffer."""
        assert self.sock is not None
        try:
            raw = fcntl.ioctl(self.sock.fileno(), termios.FIONREAD, b"\0\0\0\0")
            return int(struct.unpack("i", raw)[0])
        except OSError:
            return -1

    def tcp_state(self) -> str:
        assert self.sock is not None
        try:
            state = self.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
        except OSError:
            return "?"
        return TCP_STATES.get(state, str(state))

    async def drain(self, timeout: float = 5.0) -> Drained:
        """Read everything now: what did the server send, and did it close (with which code)?"""
        assert self.sock is not None
        loop = asyncio.get_running_loop()
        drained = Drained()
        with contextlib.suppress(TimeoutError, OSError):
            async with asyncio.timeout(timeout):
                while True:
                    try:
                        data = await loop.sock_recv(self.sock, 65536)
                    except ConnectionResetError:
                        drained.reset = True
                        break
                    if not data:
                        drained.eof = True
                        self.protocol.receive_eof()
                    else:
                        self.protocol.receive_data(data)
                    for event in self.protocol.events_received():
                        if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                            drained.messages[json.loads(bytes(event.data))["type"]] += 1
                    if self.protocol.close_rcvd is not None:
                        drained.close_code = self.protocol.close_rcvd.code
                        drained.close_reason = self.protocol.close_rcvd.reason
                    if drained.eof:
                        break
        return drained

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()


# ------------------------------------------------------------------------------------------------- rounds


@dataclass
class Setup:
    settings: Settings
    auction_id: str
    organiser_key: str
    honest: list[Invitation]
    extra: list[Invitation]  # the flooders' or the stalled reader's seats


async def prepare(folder: Path, bidders: int, extra: list[str], duration_s: int) -> Setup:
    """A fresh database: bench's tender, ``bidders`` admitted suppliers plus one per name in ``extra`` (their
    own seats), and a live auction that opens now."""
    settings = Settings(db_path=folder / "auction.db", port=free_port())
    key = await init_database(settings)
    paths = bench.synthetic_responses(bidders + len(extra), folder)
    for path, name in zip(paths[bidders:], extra, strict=True):
        doc = json.loads(path.read_text())
        doc["supplier"]["id"] = f"sup-{name}"
        doc["supplier"]["name"] = f"{name.capitalize()} Leverancier B.V."
        path.write_text(json.dumps(doc))
    engine = make_engine(settings.database_url)
    try:
        loaded = await load_tender_file(engine, bench.bench_tender(folder))
        await load_response_files(
            engine,
            loaded.tender.id,
            paths,
            documents_dir=bench.EXAMPLES / "responses",
            late_reason=EXAMPLE_LATE_REASON,
        )
        verdicts = await qualify_example(engine, loaded.tender.id)
        if sum(v.admitted for v in verdicts) != len(paths):
            raise RuntimeError("not every synthetic supplier was admitted")
        auction_id = await schedule_auction(engine, loaded.tender.id, "L1", "live", system_clock(), duration_s)
        invitations = [i for i in await invite(engine, auction_id, settings.base_url) if i.role == "bidder"]
    finally:
        await engine.dispose()
    extra_ids = {f"sup-{name}" for name in extra}
    honest = sorted((i for i in invitations if i.holder not in extra_ids), key=lambda i: i.holder)
    others = sorted((i for i in invitations if i.holder in extra_ids), key=lambda i: i.holder)
    return Setup(settings, auction_id, key, honest, others)


def session_url(setup: Setup, invitation: Invitation) -> str:
    base = setup.settings.base_url
    return session_ws_url(base, setup.auction_id, exchange_session(base, setup.auction_id, token_of(invitation.url)))


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def server_problems(log_path: Path) -> list[str]:
    """Lines of the server's log that speak of an exception or an error."""
    markers = ("Traceback", "ERROR", "Exception", "CRITICAL")
    return [line for line in log_path.read_text(errors="replace").splitlines() if any(m in line for m in markers)]


@dataclass
class Round:
    label: str
    honest: HonestStats
    elapsed: float
    rss: list[int]  # KiB, sampled every 0.25 s
    problems: list[str]
    journal_bids: Counter[str]  # "honest" / the extra seats' supplier id -> BidAccepted events in the journal
    flood: FloodStats | None = None
    reader: list[str] = field(default_factory=list)  # the stalled reader's story, one line each
    server_cpu: float = 0.0  # seconds of CPU the server used while the honest bidders bid

    @property
    def rate(self) -> float:
        return len(self.honest.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def p99(self) -> float:
        return percentile(self.honest.latencies, 0.99)


async def journal_bid_counts(setup: Setup) -> Counter[str]:
    engine = make_engine(setup.settings.database_url)
    try:
        entries = await journal_for(engine).read(setup.auction_id)
    finally:
        await engine.dispose()
    extra = {i.holder for i in setup.extra}
    counts: Counter[str] = Counter()
    for entry in entries:
        event = entry.event()
        if isinstance(event, BidAccepted):
            counts[event.bidder if event.bidder in extra else "honest"] += 1
    return counts


async def sample_rss(pid: int, samples: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(rss_kib(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def run_round(kind: str, args: argparse.Namespace) -> Round:
    """``kind``: ``plain``, ``flood`` or ``stall``."""
    folder = Path(tempfile.mkdtemp(prefix=f"auction-flood-{kind}-"))
    extra = [f"flood-{i:02d}" for i in range(args.flooders)] if kind == "flood" else ["stalled"] * (kind == "stall")
    longest = max(args.seconds, args.reader_seconds if kind == "stall" else 0)
    setup = await prepare(folder, args.bidders, extra, int(longest) + 120)
    server = ServerProcess(setup.settings, folder / "server.log")
    server.start()
    assert server.process is not None
    pid = server.process.pid
    stats = HonestStats()
    rss: list[int] = []
    stop_sampling = asyncio.Event()
    flood: FloodStats | None = None
    story: list[str] = []
    try:
        honest_urls = [session_url(setup, i) for i in setup.honest]
        extra_urls = [session_url(setup, i) for i in setup.extra]
        go, stop, tasks = await start_honest(honest_urls, args.pace, stats)
        sampler = asyncio.create_task(sample_rss(pid, rss, stop_sampling))
        worker: asyncio.subprocess.Process | None = None
        if kind == "flood":
            worker = await asyncio.create_subprocess_exec(
                sys.executable,
                __file__,
                "--flood-worker",
                "--seconds",
                str(args.seconds + 1),
                "--nice",
                str(args.flood_nice),
                "--flood-rate",
                str(args.flood_rate),
                *extra_urls,
                stdout=asyncio.subprocess.PIPE,
            )
            assert worker.stdout is not None
            if (await asyncio.wait_for(worker.stdout.readline(), 60)).strip() != b"ready":
                raise RuntimeError("the flood worker did not start")
            await asyncio.sleep(0.5)  # the flood is at full speed before the honest bidders start
        started = time.monotonic()
        cpu_before = cpu_seconds(pid)
        go.set()
        if kind == "stall":
            story = await stalled_reader_story(setup, extra_urls[0], started, pid, args)
        else:
            await asyncio.sleep(args.seconds)
        stop.set()
        server_cpu = cpu_seconds(pid) - cpu_before
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
        if worker is not None:
            assert worker.stdout is not None
            output = await asyncio.wait_for(worker.stdout.read(), 60)
            await worker.wait()
            flood = FloodStats.from_json(json.loads(output.decode().strip().splitlines()[-1]))
        stop_sampling.set()
        await sampler
    finally:
        stop_sampling.set()
        server.stop()
    label = {"plain": "no flood", "flood": "flood", "stall": "stalled reader"}[kind]
    counts = await journal_bid_counts(setup)
    problems = server_problems(folder / "server.log")
    return Round(label, stats, elapsed, rss, problems, counts, flood, story, server_cpu)


def live_connections(setup: Setup, supplier_id: str) -> int | None:
    """How many connections the server holds for this supplier now (the organiser's sessions API)."""
    try:
        answer = server_get(setup.settings.base_url, setup.organiser_key, f"/api/sessions/{setup.auction_id}")
    except ServerUnreachable:
        return None
    return sum(1 for c in answer.get("connections", []) if c.get("supplier_id") == supplier_id)


async def stalled_reader_story(setup: Setup, url: str, started: float, pid: int, args: argparse.Namespace) -> list[str]:
    """Run the stalled reader while the honest bidders bid; returns what happened to it, line by line.

    The round lasts at least ``--seconds`` and at most ``--reader-seconds``: long enough for the server's ping
    (every 20 s, answer within 20 s) to give up on the reader."""
    reader = StalledReader(url)
    await reader.start()
    supplier = setup.extra[0].holder
    story = [f"connected, sent bid {reader.bid_id} and stopped reading at {reader.stopped_reading_at - started:+.1f} s"]
    peak_unread, full_at, gone_at = 0, None, None
    last_unread, same_since = -1, time.monotonic()
    while True:
        now = time.monotonic()
        unread = reader.unread_bytes()
        if unread != last_unread:
            last_unread, same_since = unread, now
        elif full_at is None and unread > 0 and now - same_since > 1.0:
            full_at = same_since  # the receive buffer stopped filling: the socket is full
        peak_unread = max(peak_unread, unread)
        live = await asyncio.to_thread(live_connections, setup, supplier)
        if gone_at is None and live == 0:
            gone_at = now
            story.append(
                f"the server dropped it at {gone_at - started:+.1f} s (the reader's socket: {reader.tcp_state()}, "
                f"{reader.unread_bytes()} bytes unread)"
            )
        elapsed = now - started
        if elapsed >= args.seconds and (gone_at is not None or elapsed >= args.reader_seconds):
            break
        await asyncio.sleep(0.25)
    if full_at is not None:
        story.insert(1, f"its receive buffer filled ({peak_unread} bytes unread) at {full_at - started:+.1f} s")
    else:
        story.insert(1, f"its receive buffer held {peak_unread} bytes unread at most")
    if gone_at is None:
        story.append(
            f"the server still held its connection after {time.monotonic() - started:.0f} s "
            f"(ping every {SERVER_PING_S} s, answer expected within {SERVER_PING_S} s, stall cut-off "
            f"{STALL_CUTOFF_S:g} s); the reader's socket: {reader.tcp_state()}"
        )
    rss_now = rss_kib(pid)
    drained = await reader.drain()
    got = ", ".join(f"{n} {kind}" for kind, n in sorted(drained.messages.items())) or "nothing"
    close = f"close {drained.close_code} {drained.close_reason!r}" if drained.close_code else "no close frame"
    end = "EOF" if drained.eof else "connection reset" if drained.reset else "no EOF within 5 s"
    story.append(f"reading it at last: {got}; {close}; {end}")
    story.append(f"server RSS when the reader was drained: {rss_now / 1024:.1f} MiB")
    reader.close()
    return story


# --------------------------------------------------------------------------------------------------- report


def describe(result: Round) -> str:
    h = result.honest
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(h.rejected.items())) or "0"
    trouble = []
    if h.rate_refused:
        trouble.append(f"rate-refused {h.rate_refused}")
    if h.unanswered:
        trouble.append(f"unanswered {h.unanswered}")
    if h.disconnected:
        trouble.append(f"disconnected {dict(h.disconnected)}")
    rss = f"server RSS {min(result.rss) / 1024:.0f}-{max(result.rss) / 1024:.0f} MiB" if result.rss else ""
    rss += f", CPU {100 * result.server_cpu / result.elapsed:.0f}%" if result.elapsed else ""
    return (
        f"{result.label + ':':<16} {len(h.latencies):>6} acked {result.rate:7.1f} bids/s   "
        f"p50 {percentile(h.latencies, 0.5):7.2f} ms   p99 {result.p99:7.2f} ms   rejected {rejected}   "
        f"{'   '.join(trouble) or 'no rate refusals, none unanswered'}   {rss}"
    )


def report(rounds: list[Round], args: argparse.Namespace) -> bool:
    plain, flood, stall = rounds
    pace = f"{args.flood_rate:g} frames/s each" if args.flood_rate else "each as fast as it can"
    print(f"machine:   {machine()}; load average before the run {args.load}")
    print(
        f"setup:     {args.bidders} honest bidders, each {args.pace:g} bids/s (the server allows 20 messages/s per "
        f"connection), {args.seconds:g} s per round, bench's tender (one lot of 3 lines), SQLite WAL, one server "
        f"process per round; {args.flooders} flooder(s) in a separate process (nice {args.flood_nice}), {pace}"
    )
    for result in rounds:
        print(describe(result))
    ok = True
    ratio = flood.p99 / plain.p99 if plain.p99 else float("nan")
    verdict = "holds" if ratio <= TARGET_P99_RATIO else "MISSED"
    ok &= ratio <= TARGET_P99_RATIO
    print(f"ratio:     p99 flood / no flood = {ratio:.2f}x (target <= {TARGET_P99_RATIO}x): {verdict}")
    print(
        f"           p99 stalled reader / no flood = {stall.p99 / plain.p99 if plain.p99 else float('nan'):.2f}x; "
        f"bids/s flood / no flood = {flood.rate / plain.rate if plain.rate else float('nan'):.2f}x"
    )
    if flood.flood is not None:
        f = flood.flood
        errors = ", ".join(f"{k} {v}" for k, v in sorted(f.errors.items()))
        closes = ", ".join(f"{k}: {v}" for k, v in sorted(f.closes.items()))
        flood_in_journal = sum(flood.journal_bids.values()) - flood.journal_bids["honest"]
        per_connection = f.handled / f.connections if f.connections else 0.0
        print(
            f"flooders:  sent {f.sent} frames in {f.seconds:.1f} s ({f.sent / f.seconds:.0f}/s) over {f.connections} "
            f"connections ({f.failed_connects} failed connects); closes by code: {closes}"
        )
        print(
            f"           errors received: {errors}; handled {f.handled} ({f.handled / f.seconds:.0f}/s, "
            f"{per_connection:.0f} per connection): {f.pongs} pongs, {len(f.accepted)} bids accepted, "
            f"rejected {dict(f.rejected)}; flood bids in the journal {flood_in_journal}"
        )
    print("stalled:   " + "\n           ".join(stall.reader))
    for result in rounds:
        journal_honest = result.journal_bids["honest"]
        if journal_honest != len(result.honest.accepted):
            ok = False
            receipts = len(result.honest.accepted)
            print(f"JOURNAL:   {result.label}: {journal_honest} honest bids in the journal, {receipts} receipts")
        h = result.honest
        if h.rate_refused or h.unanswered or h.disconnected:
            ok = False
        if result.problems:
            ok = False
            print(f"SERVER LOG ({result.label}): {len(result.problems)} problem line(s), first: {result.problems[0]}")
    if not any(r.problems for r in rounds):
        print("server:    no exception or error in any round's server log")
    return ok


async def run(args: argparse.Namespace) -> bool:
    rounds = []
    for kind in ("plain", "flood", "stall"):
        rounds.append(await run_round(kind, args))
        print(f"  ... {describe(rounds[-1])}", file=sys.stderr, flush=True)
    return report(rounds, args)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="scripts/flood", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--bidders", type=int, default=50, help="honest bidders (default 50)")
    parser.add_argument("--seconds", type=float, default=10, help="honest bidding per round (default 10)")
    parser.add_argument("--flooders", type=int, default=1, help="flooding clients, each its own seat (default 1)")
    parser.add_argument("--pace", type=float, default=5, help="bids per second per honest bidder (default 5)")
    parser.add_argument(
        "--reader-seconds",
        type=float,
        default=2 * SERVER_PING_S + 15,
        help="how long the stalled-reader round may wait for the server to drop the reader (default 55)",
    )
    parser.add_argument(
        "--flood-nice",
        type=int,
        default=10,
        help="niceness of the flood process, so it does not starve the server "
        "of this machine's CPU the way a remote attacker could not (default 10; 0 to compete at full strength)",
    )
    parser.add_argument(
        "--flood-rate",
        type=float,
        default=0,
        help="frames per second per flooder (default 0: as fast as the connection takes them)",
    )
    parser.add_argument("--flood-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--nice", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("urls", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flood_worker:
        if args.nice:
            os.nice(args.nice)
        asyncio.run(flood_worker(args.urls, args.seconds, args.flood_rate or None))
        return
    if args.bidders < 1 or args.flooders < 1 or args.seconds <= 0 or args.pace <= 0:
        parser.error("--bidders, --flooders, --seconds and --pace must be positive")
    args.load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    sys.exit(0 if asyncio.run(run(args)) else 1)


if __name__ == "__main__":
    main()
