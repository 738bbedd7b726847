"""Benchmark of the bid path: N simulated bidders over real WebSockets against a real server process.

Prints acknowledged bids per second and the p50/p99 acknowledgement latency, next to two baselines measured
in the same run on the same machine:
- ``ping``: a WebSocket round trip to the same server with no journal write (the floor for any answer);
- ``append``: bare journal appends (one event, one commit, synchronous=FULL) in one process, no network.
The ratios say how much of the bid path is the durable write and how much is everything else.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402

from auction.clock import system_clock  # noqa: E402
from auction.rules.messages import AuctionPaused  # noqa: E402
from auction.rules.money import format_price, parse_price  # noqa: E402
from auction.settings import Settings  # noqa: E402
from auction.steps.auctions import schedule_auction  # noqa: E402
from auction.steps.invitations import invite  # noqa: E402
from auction.steps.qualification import load_response_files  # noqa: E402
from auction.steps.setup import init_database  # noqa: E402
from auction.steps.tenders import load_tender_file  # noqa: E402
from auction.storage.db import create_schema, make_engine, sqlite_url  # noqa: E402
from auction.storage.sql_journal import SqlJournal  # noqa: E402
from scripts.kit.client import exchange_session, session_ws_url, token_of  # noqa: E402
from scripts.kit.demo import ServerProcess, free_port  # noqa: E402
from scripts.kit.example import EXAMPLE_LATE_REASON, qualify_example, with_timings  # noqa: E402
from scripts.kit.measure import machine, percentile  # noqa: E402

EXAMPLES = ROOT / "examples"
BIDS_PER_S = 15  # per bidder at most: the server allows 20 messages/s per session


def synthetic_responses(count: int, folder: Path) -> list[Path]:
    """``count`` admissible responses: copies of an admitted example supplier under new ids."""
    template = json.loads((EXAMPLES / "responses" / "lepelaar.json").read_text())
    paths = []
    for n in range(count):
        doc = json.loads(json.dumps(template))
        doc["supplier"]["id"] = f"sup-bench-{n:03d}"
        doc["supplier"]["name"] = f"Benchmark Leverancier {n:03d} B.V."
        doc["supplier"]["kvk"] = f"{90000000 + n:08d}"
        doc["supplier"]["agb"] = f"{80000000 + n:08d}"
        path = folder / f"bench-{n:03d}.json"
        path.write_text(json.dumps(doc))
        paths.append(path)
    return paths


def bench_tender(folder: Path) -> Path:
    """The example tender with prices to 4 decimals and a tiny decrement, so thousands of bids fit in one run
    without any bidder reaching the lowest possible price (which would end its bidding early)."""
    text = (EXAMPLES / "tender.toml").read_text(encoding="utf-8")
    text = text.replace("price_decimals = 2", "price_decimals = 4")
    text = re.sub(r"min_decrement = \{[^}]*\}", 'min_decrement = { amount = "0.01" }', text)
    # No extensions: the close stays where it is (a live auction runs by its published tender).
    text = with_timings(text, extension_window="0s", extension="0s", max_extensions=0)
    for name in ("criteria.toml", "conceptcontract.md"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    path = folder / "tender.toml"
    path.write_text(text, encoding="utf-8")
    return path


def next_prices(welcome: dict[str, Any], last: dict[str, int] | None, max_total: int, step: int) -> dict[str, int]:
    """Ceiling prices first; then lower one line (in turn) by enough units to get under ``max_total``."""
    decimals = welcome["price_decimals"]
    lines = [(line["id"], line["volume"], parse_price(line["ceiling"], decimals)) for line in welcome["lines"]]
    if last is None:
        return {line_id: ceiling for line_id, _, ceiling in lines}
    prices = dict(last)
    line_id, volume, _ = lines[step % len(lines)]
    total = sum(prices[i] * v for i, v, _ in lines)
    prices[line_id] -= max(1, -(-(total - max_total) // volume))
    return prices


async def bidder(url: str, stop_at: float, latencies: list[float], errors: list[str]) -> None:
    async with connect(url, compression=None, max_size=2**20) as ws:
        welcome = json.loads(await ws.recv())["auction"]
        decimals = welcome["price_decimals"]
        state = json.loads(await ws.recv())
        while state["phase"] != "open":
            state = json.loads(await ws.recv())
        last: dict[str, int] | None = None
        max_total = parse_price(state["you"]["max_total"], decimals)
        n = 0
        next_send = time.monotonic()
        while time.monotonic() < stop_at:
            # Stay under the server's per-session rate limit (20 messages/s): load comes from many bidders.
            await asyncio.sleep(max(0.0, next_send - time.monotonic()))
            next_send = time.monotonic() + 1 / BIDS_PER_S
            prices = next_prices(welcome, last, max_total, n)
            n += 1
            bid_id = f"{id(ws)}-{n}"
            sent = time.perf_counter()
            payload = {k: format_price(v, decimals) for k, v in prices.items()}
            await ws.send(json.dumps({"type": "bid", "bid_id": bid_id, "prices": payload}))
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "state":
                    max_total = parse_price(message["you"]["max_total"], decimals)
                elif message.get("bid_id") == bid_id:
                    break
            if message["type"] == "bid_accepted":
                latencies.append((time.perf_counter() - sent) * 1000)
                last = prices
                # The state snapshot that follows the receipt says how low the next bid must go.
                while True:
                    update = json.loads(await ws.recv())
                    if update["type"] == "state" and update["seq"] >= message["seq"]:
                        max_total = parse_price(update["you"]["max_total"], decimals)
                        break
            else:
                errors.append(message.get("code", message["type"]))
                if len(errors) > 1000:
                    return


async def pinger(url: str, stop_at: float, latencies: list[float]) -> None:
    async with connect(url, compression=None) as ws:
        await ws.recv()
        await ws.recv()
        while time.monotonic() < stop_at:
            await asyncio.sleep(0.1)  # well under the per-session rate limit
            sent = time.perf_counter()
            await ws.send('{"type":"ping"}')
            while json.loads(await ws.recv())["type"] != "pong":
                pass
            latencies.append((time.perf_counter() - sent) * 1000)


async def baseline_append(folder: Path, seconds: float) -> float:
    engine = make_engine(sqlite_url(folder / "baseline.db"))
    await create_schema(engine)
    journal = SqlJournal(engine)
    count = 0
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        await journal.append("baseline", count, [AuctionPaused(at=system_clock(), reason="x")], system_clock())
        count += 1
    await engine.dispose()
    return count / seconds


@dataclass
class Round:
    latencies: list[float]
    errors: list[str]
    elapsed: float

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


async def bid_round(bidders: int, seconds: float, batch_limit: int | None) -> tuple[Round, list[float], Path]:
    """One fresh database and server; ``batch_limit=1`` makes the server commit each bid on its own."""
    folder = Path(tempfile.mkdtemp(prefix="auction-bench-"))
    settings = Settings(db_path=folder / "auction.db", port=free_port())
    await init_database(settings)
    engine = make_engine(settings.database_url)
    loaded = await load_tender_file(engine, bench_tender(folder))
    await load_response_files(
        engine,
        loaded.tender.id,
        synthetic_responses(bidders, folder),
        documents_dir=EXAMPLES / "responses",
        late_reason=EXAMPLE_LATE_REASON,
    )
    await qualify_example(engine, loaded.tender.id)
    auction_id = await schedule_auction(engine, loaded.tender.id, "L1", "live", system_clock(), int(seconds) + 120)
    invitations = [i for i in await invite(engine, auction_id, settings.base_url) if i.role == "bidder"]
    await engine.dispose()

    env = {"AUCTION_BATCH_LIMIT": str(batch_limit)} if batch_limit else None
    server = ServerProcess(settings, folder / "server.log", env=env)
    server.start()
    urls = [
        session_ws_url(settings.base_url, auction_id, exchange_session(settings.base_url, auction_id, token_of(i.url)))
        for i in invitations
    ]
    try:
        ping_latencies: list[float] = []
        await pinger(urls[0], time.monotonic() + 2, ping_latencies)
        latencies: list[float] = []
        errors: list[str] = []
        started = time.monotonic()
        await asyncio.gather(*(bidder(url, started + seconds, latencies, errors) for url in urls))
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    return Round(latencies, errors, elapsed), ping_latencies, folder


def describe(label: str, result: Round) -> None:
    errors = ", ".join(sorted(set(result.errors))) or "-"
    print(
        f"{label:<22} {len(result.latencies):>7} acked  {result.rate:8.1f} bids/s   "
        f"p50 {percentile(result.latencies, 0.5):7.2f} ms   p99 {percentile(result.latencies, 0.99):7.2f} ms   "
        f"rejected {len(result.errors)} ({errors})"
    )


async def run(bidders: int, seconds: float) -> None:
    baseline, _, _ = await bid_round(bidders, seconds, batch_limit=1)
    grouped, ping_latencies, folder = await bid_round(bidders, seconds, batch_limit=None)
    append_rate = await baseline_append(folder, 3)
    print(f"machine:   {machine()}")
    print(
        f"setup:     {bidders} bidders (each at most {BIDS_PER_S} bids/s), {seconds:.0f} s each round, "
        "one lot of 3 lines, SQLite WAL synchronous=FULL"
    )
    describe("one commit per bid:", baseline)
    describe("group commit:", grouped)
    print(
        f"baseline:  ping round trip p50 {percentile(ping_latencies, 0.5):6.2f} ms   "
        f"p99 {percentile(ping_latencies, 0.99):6.2f} ms;  bare journal append {append_rate:8.1f} commits/s"
    )
    print(
        f"ratios:    group/single bids/s = {grouped.rate / baseline.rate:5.2f}x   "
        f"p99 single/group = {percentile(baseline.latencies, 0.99) / percentile(grouped.latencies, 0.99):5.2f}x   "
        f"group p50 / ping p50 = {percentile(grouped.latencies, 0.5) / percentile(ping_latencies, 0.5):5.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__)
    parser.add_argument("--bidders", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    asyncio.run(run(args.bidders, args.seconds))


if __name__ == "__main__":
    main()
