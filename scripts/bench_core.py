"""Benchmark of the pure core: the cost of one decided bid (``decide`` + ``evolve``), with no I/O at all.

For each format in :data:`FORMATS` and each setup (bidders × lines), the bid commands are generated beforehand
(a share of them refused: a too small decrement, above the ceiling, an unknown line), then the same command list
is run several times from the same open state. Printed per setup: the median µs per bid over the repetitions
(min/max), how much of it is ``decide`` and how much ``evolve``, the cost per bid over the first and the last
tenth of the stream (does a bid get dearer as the auction fills up?), and a baseline measured in the same run:
the same loop over the same commands, with the same clock reads, calling nothing of the core. The target is at
most 50 µs per decided bid.

Another format is one more :class:`Format` entry in :data:`FORMATS`: a name, a function that builds its config,
one that opens an auction on it, and one that generates its bid stream.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auction.core import INITIAL, AuctionState, decide, evolve  # noqa: E402
from auction.measure import machine  # noqa: E402
from auction.messages import Create, PlaceBid, Rejection, Tick  # noqa: E402
from auction.money import format_price  # noqa: E402
from auction.rules import AuctionConfig, InsurerShare, Line, Seat  # noqa: E402

TARGET_US = 50.0
T0 = 1_790_000_000_000


@dataclass(frozen=True)
class Setup:
    bidders: int
    lines: int


@dataclass(frozen=True)
class Format:
    name: str
    config: Callable[[Setup], AuctionConfig]
    open: Callable[[AuctionConfig], AuctionState]
    bids: Callable[[AuctionConfig, int, float, random.Random], list[PlaceBid]]


# ------------------------------------------------------------------------------------- reverse English


def english_config(setup: Setup) -> AuctionConfig:
    """A lot of ``setup.lines`` lines with 4 decimals and a fixed decrement, so thousands of bids stay valid."""
    return AuctionConfig(
        auction_id="BENCH-core",
        tender_id="BENCH",
        tender_title="Core benchmark",
        lot_id="L1",
        lot_name="Lot 1",
        practice=False,
        lines=tuple(
            Line(f"L{n:02d}", f"product {n}", "unit", 500 + 250 * (n % 7), 10_000_000) for n in range(setup.lines)
        ),
        price_decimals=4,
        decrement_percent=None,
        decrement_amount=1,
        # Every bid falls in the closing window (the close is 30 s after opening, the window 60 s), so each one
        # ranks the offers and each new lead moves the close: the costliest path a bid can take.
        extension_window_s=60,
        extension_s=60,
        max_extensions=None,
        show_bidder_count=True,
        show_best_total=True,
        opens_at_ms=T0,
        duration_s=30,
        seats=tuple(
            Seat(f"sup-{n:03d}", f"Bieder {n}", f"Leverancier {n} B.V.", f"{n:08d}", f"{n:08d}")
            for n in range(setup.bidders)
        ),
        insurers=(InsurerShare("i1", "Insurer One", 3), InsurerShare("i2", "Insurer Two", 1)),
        contract_start="2027-01-01",
        contract_end="2028-12-31",
        admission_hash="0" * 64,
        standstill_s=86400,
        on_downtime="extend",
        concept_contract_version="1.0",
        concept_contract_hash="c" * 64,
    )


def english_open(config: AuctionConfig) -> AuctionState:
    state = INITIAL
    for command, now in ((Create(config), T0 - 1000), (Tick(), T0)):
        result = decide(state, command, now)
        assert not isinstance(result, Rejection), result
        for event in result:
            state = evolve(state, event)
    return state


def english_bids(config: AuctionConfig, count: int, refused_share: float, rng: random.Random) -> list[PlaceBid]:
    """Bidders in random turn, each lowering one line of its own last bid just enough (ceilings first);
    ``refused_share`` of the commands break a rule and must be refused (the bidder's offer stays as it was)."""
    d = config.price_decimals
    last: dict[str, dict[str, int]] = {}
    bids = []
    for n in range(count):
        bidder = rng.choice(config.seats).bidder
        prices = dict(last.get(bidder) or {line.id: line.ceiling for line in config.lines})
        refused = bidder in last and rng.random() < refused_share
        if bidder in last:
            line = rng.choice(config.lines)
            prices[line.id] -= rng.randint(1, 3)  # volume ≥ 500, decrement 1 unit on the total: always enough
        texts = {k: format_price(v, d) for k, v in prices.items()}
        if refused:
            kind = rng.randrange(3)
            line = rng.choice(config.lines)
            if kind == 0:  # the previous total again: the decrement is too small
                texts = {k: format_price(v, d) for k, v in last[bidder].items()}
            elif kind == 1:
                texts[line.id] = format_price(line.ceiling + 1, d)
            else:
                texts["no-such-line"] = "1"
        else:
            last[bidder] = prices
        bids.append(PlaceBid(bidder=bidder, bid_id=f"b{n}", prices=texts))
    return bids


FORMATS: tuple[Format, ...] = (Format("reverse English", english_config, english_open, english_bids),)
SETUPS = (Setup(4, 3), Setup(20, 3), Setup(100, 3), Setup(20, 30))


# ------------------------------------------------------------------------------------------- measuring


@dataclass
class Run:
    total: float  # seconds for all bids
    decide: float  # of which inside decide
    evolve: float  # of which inside evolve
    accepted: int
    first: float  # µs per bid over the first tenth of the bids
    last: float  # µs per bid over the last tenth


def time_run(state: AuctionState, bids: list[PlaceBid]) -> Run:
    """decide + evolve over every bid as the runner does (time moves 1 ms per bid), timing each part."""
    clock = time.perf_counter
    tenth = max(1, len(bids) // 10)
    now = T0 + 1000
    accepted = 0
    in_decide = in_evolve = 0.0
    marks: dict[int, float] = {}
    started = clock()
    for n, command in enumerate(bids):
        if n % tenth == 0:
            marks[n] = clock()
        now += 1
        t0 = clock()
        result = decide(state, command, now)
        t1 = clock()
        in_decide += t1 - t0
        if isinstance(result, Rejection):
            continue
        accepted += 1
        for event in result:
            state = evolve(state, event)
        in_evolve += clock() - t1
    ended = clock()
    first = (marks.get(tenth, ended) - marks[0]) / tenth * 1e6
    last_start = marks[max(marks)]
    last = (ended - last_start) / (len(bids) - max(marks)) * 1e6
    return Run(ended - started, in_decide, in_evolve, accepted, first, last)


def time_loop(bids: list[PlaceBid]) -> float:
    """The baseline: the same loop with the same clock reads and branches, calling nothing of the core."""
    clock = time.perf_counter
    tenth = max(1, len(bids) // 10)
    now = T0 + 1000
    marks: dict[int, float] = {}
    in_decide = 0.0
    started = clock()
    for n, command in enumerate(bids):
        if n % tenth == 0:
            marks[n] = clock()
        now += 1
        t0 = clock()
        t1 = clock()
        in_decide += t1 - t0
        if command is None:  # never true
            break
    return clock() - started


def fmt_us(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} µs (min {min(values):6.2f}, max {max(values):6.2f})"


def measure(fmt: Format, setup: Setup, count: int, repeats: int, refused_share: float, seed: int) -> bool:
    config = fmt.config(setup)
    state = fmt.open(config)
    bids = fmt.bids(config, count, refused_share, random.Random(seed))
    runs: list[Run] = []
    loops: list[float] = []
    for _ in range(repeats):
        gc.collect()
        runs.append(time_run(state, bids))
        loops.append(time_loop(bids) / count * 1e6)
    full = [r.total / count * 1e6 for r in runs]
    median = statistics.median(full)
    loop = statistics.median(loops)
    target_met = median <= TARGET_US
    accepted = runs[0].accepted
    print(
        f"{fmt.name:<16} {setup.bidders:>4} bidders {setup.lines:>3} lines  "
        f"{accepted:>6}/{count} accepted   decide+evolve {fmt_us(full)}   {'met' if target_met else 'MISSED'}"
    )
    print(
        f"{'':<43} of which decide {statistics.median([r.decide / count * 1e6 for r in runs]):6.2f} µs, "
        f"evolve {statistics.median([r.evolve / count * 1e6 for r in runs]):6.2f} µs;   "
        f"first tenth of the bids {statistics.median([r.first for r in runs]):6.2f} µs/bid, "
        f"last tenth {statistics.median([r.last for r in runs]):6.2f} µs/bid"
    )
    print(
        f"{'':<43} baseline loop (same commands, no core) {loop:5.3f} µs/bid;   "
        f"ratios: full/loop {median / loop:6.0f}x   "
        f"last/first tenth {statistics.median([r.last / r.first for r in runs]):5.1f}x"
    )
    return target_met


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/bench-core", description=__doc__)
    parser.add_argument("--bids", type=int, default=20_000, help="bid commands per setup (default 20000)")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per setup (default 3)")
    parser.add_argument("--refused", type=float, default=0.1, help="share of bids that break a rule (default 0.1)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"machine:   {machine()}")
    print(
        f"setup:     {args.bids} bids generated beforehand per setup, ~{args.refused:.0%} of them refused, "
        f"{args.repeats} repetitions; figures are µs per bid command (median over repetitions)"
    )
    print(f"target:    ≤ {TARGET_US:.0f} µs per decided bid (decide + evolve)")
    results = [
        measure(fmt, setup, args.bids, args.repeats, args.refused, args.seed) for fmt in FORMATS for setup in SETUPS
    ]
    verdict = (
        "met in every setup" if all(results) else f"MISSED in {len(results) - sum(results)} of {len(results)} setups"
    )
    print(f"result:    target ≤ {TARGET_US:.0f} µs per bid {verdict}")


if __name__ == "__main__":
    main()
