"""Benchmark of the pure core: the cost of one decided bid (``decide`` + ``evolve``), with no I/O at all.

For each format in :data:`FORMATS` and each setup (bidders × lines), a stream of commands is generated
beforehand by running it through the core once, checking that every command has the outcome the generator
meant (accepted, or refused with a given code; a share of the bids break a rule). Then the same stream is run
several times from the same open state, timing ``decide`` and ``evolve``. Printed per setup: the median µs per
bid command over the repetitions (min/max), how much of it is ``decide`` and how much ``evolve``, the cost over
the first and the last tenth of the stream (does a bid get dearer as the auction fills up?), and a baseline
measured in the same run: the same loop over the same commands, with the same clock reads, calling nothing of
the core. The target is at most 50 µs per decided bid.

A bid command is a :class:`PlaceBid` or an :class:`AcceptLevel`, accepted or refused. Some formats also need
ticks (a Japanese or Dutch level ends; the initial-offer stage of rounds ends): they are in the stream and
timed like the rest, their own cost per tick is printed apart, and the headline figure (the one held against
the target) is amortised: everything decided, ticks included, divided by the bid commands.

A setup whose first run is long gets fewer repetitions (``--budget`` seconds of timed runs per setup; the row
says so), which keeps the whole run to about 3 minutes even when a format's cost grows with the auction.
``--quick`` (2,500 bid commands per setup) takes about 20 s; ``--formats`` picks formats by name.

Another format or option is one more :class:`Format` entry in :data:`FORMATS`: a name, a line saying what one
row measures, a function that builds its config and one that generates its command stream.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from auction.rules.bid_ids import BidIds  # noqa: E402
from auction.rules.bid_rules import bid_limit, weighted_total  # noqa: E402
from auction.rules.config import AuctionConfig, InsurerShare, Line, Seat  # noqa: E402
from auction.rules.core import INITIAL, AuctionState, decide, evolve  # noqa: E402
from auction.rules.messages import AcceptLevel, Command, Create, Event, PlaceBid, Rejection, Tick  # noqa: E402
from auction.rules.money import format_price  # noqa: E402
from scripts.kit.measure import machine  # noqa: E402

TARGET_US = 50.0
T0 = 1_790_000_000_000
BID, OTHER = 0, 1  # step kinds: a bid command (counted), or another command (a tick)
Step = tuple[Command, int, int]  # (command, server time in ms, kind)
NO_IDS = BidIds()


@dataclass(frozen=True)
class Setup:
    bidders: int
    lines: int


SETUPS = (Setup(4, 3), Setup(20, 3), Setup(100, 3), Setup(20, 30))


class Sim:
    """Builds a command stream by deciding and folding each command once, from the open state.

    Every command must have the outcome its generator meant (``expect``: None for accepted, else the refusal
    code), so a generator that drifts from the rules fails loudly instead of timing the wrong path.
    """

    def __init__(self, state: AuctionState) -> None:
        self.start = state
        self.state = state
        # In rounds, decide folds the bid into the state it decides on, which costs the core a copy of its log of
        # accepted bid ids on every bid. The generated ids are all different, so that log changes no outcome: the
        # state generated on forgets it, so that generating costs the same whatever keeping it costs the core.
        self.forget_ids = state.cfg.format == "rounds"
        self.steps: list[Step] = []
        self.bids = 0
        self.ids = 0

    def bid_id(self) -> str:
        self.ids += 1
        return f"b{self.ids}"

    def run(self, command: Command, now: int, expect: str | None = None) -> list[Event]:
        result = decide(self.state, command, now)
        if expect is None:
            assert not isinstance(result, Rejection), (command, result)
        else:
            assert isinstance(result, Rejection) and result.code == expect, (command, expect, result)
        kind = OTHER if isinstance(command, Tick) else BID
        self.steps.append((command, now, kind))
        self.bids += kind == BID
        if isinstance(result, Rejection):
            return []
        state = self.state
        for event in result:
            state = evolve(state, event)
        self.state = dataclasses.replace(state, bid_ids=NO_IDS) if self.forget_ids else state
        return result


@dataclass(frozen=True)
class Format:
    name: str
    what: str  # one line: what one row of this format measures
    config: Callable[[Setup, int], AuctionConfig]  # the setup and the number of bid commands wanted
    stream: Callable[[Sim, int, float, random.Random], None]  # fills the Sim with about that many bid commands
    other: str = ""  # what the non-bid steps are ("level ticks"), when there are any


def open_auction(config: AuctionConfig) -> AuctionState:
    state = INITIAL
    for command, now in ((Create(config), T0 - 1000), (Tick(), T0)):
        result = decide(state, command, now)
        assert not isinstance(result, Rejection), result
        for event in result:
            state = evolve(state, event)
    return state


# ------------------------------------------------------------------------------------- reverse English


def english_config(setup: Setup, count: int = 0) -> AuctionConfig:
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
        # Every bid falls in the closing window (the close is 30 s after opening, the window 60 s, the bids come
        # 1 ms apart), so each one ranks the offers and each new lead moves the close: the costliest path.
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


def meat_config(setup: Setup, count: int) -> AuctionConfig:
    """MEAT by factor: every bid is ranked by its total × (1 − 20 % × quality score / 100), a Fraction."""
    config = english_config(setup)
    seats = tuple(
        dataclasses.replace(seat, quality_score=f"{60 + n * 37 % 40}.{n * 13 % 100:02d}")
        for n, seat in enumerate(config.seats)
    )
    return dataclasses.replace(config, seats=seats, meat_formula="factor", meat_max_discount_percent="20")


def strict_config(setup: Setup, count: int) -> AuctionConfig:
    """The decrement against the best offer, equal offers refused, anti-sniping on a change in the top 3, and
    later bids naming only the lines they change."""
    return dataclasses.replace(
        english_config(setup),
        decrement_basis="best",
        ties="refused",
        extension_trigger="top_k",
        extension_top_k=3,
        bid_lines="changed",
    )


def quiet_config(setup: Setup, count: int) -> AuctionConfig:
    """Closing "quiet": every valid bid moves the close to 60 s after it (the latest close is an hour on)."""
    return dataclasses.replace(english_config(setup), closing="quiet", quiet_period_s=60, duration_s=3600)


def english_stream(sim: Sim, count: int, refused_share: float, rng: random.Random) -> None:
    """Bidders in random turn, each lowering one line of its standing offer just enough for the decrement rule
    in force (its own offer, or the best one), ceilings first; with ``bid_lines = "changed"`` a later bid names
    the changed line only. ``refused_share`` of the later bids break a rule and are refused."""
    cfg = sim.state.cfg
    now = T0 + 1000
    for _ in range(count):
        now += 1
        bidder = rng.choice(cfg.seats).bidder
        standing = sim.state.standing.get(bidder)
        if standing is not None and rng.random() < refused_share:
            bid, code = refused_bid(sim.state, bidder, sim.bid_id(), rng)
            sim.run(bid, now, code)
            continue
        prices = improved_prices(sim.state, bidder, rng)
        sim.run(PlaceBid(bidder, sim.bid_id(), bid_texts(sim.state, bidder, prices)), now)


def improved_prices(state: AuctionState, bidder: str, rng: random.Random) -> dict[str, int]:
    """The bidder's standing prices (ceilings at first) with one line lowered just below the limit the rules set
    on its next total, and 0 to 2 price units more."""
    cfg = state.cfg
    standing = state.standing.get(bidder)
    prices = dict(standing.prices) if standing is not None else {line.id: line.ceiling for line in cfg.lines}
    limit = bid_limit(state, bidder)
    if limit is not None:
        line = rng.choice(cfg.lines)
        over = weighted_total(cfg, prices) - limit
        prices[line.id] -= max(0, -(-over // line.volume)) + rng.randint(0, 2)
    return prices


@functools.cache
def price_text(units: int, decimals: int) -> str:
    """:func:`format_price`, remembered: a bidder's unchanged lines are typed again bid after bid."""
    return format_price(units, decimals)


def bid_texts(state: AuctionState, bidder: str, prices: dict[str, int]) -> dict[str, str]:
    """The prices as the bidder types them: every line, or (``bid_lines = "changed"``) the changed ones."""
    cfg = state.cfg
    standing = state.standing.get(bidder)
    if cfg.bid_lines == "changed" and standing is not None:
        prices = {k: v for k, v in prices.items() if standing.prices[k] != v}
    return {k: price_text(v, cfg.price_decimals) for k, v in prices.items()}


def refused_bid(state: AuctionState, bidder: str, bid_id: str, rng: random.Random) -> tuple[PlaceBid, str]:
    """A bid (from a bidder with a standing offer) that breaks one rule, and the refusal code it must get."""
    cfg = state.cfg
    d = cfg.price_decimals
    standing = state.standing[bidder]
    line = rng.choice(cfg.lines)
    changed_only = cfg.bid_lines == "changed"
    texts = {k: price_text(v, d) for k, v in standing.prices.items()}
    if changed_only:  # a later bid naming one line only
        texts = {line.id: texts[line.id]}
    kind = rng.randrange(4 if cfg.decrement_basis == "best" else 3)
    if kind == 3:  # better than its own offer, not better than the best one (when it is not the best itself)
        total = standing.total - line.volume
        own_limit = standing.total - cfg.required_decrement(standing.total)
        if own_limit >= total > (bid_limit(state, bidder) or 0):
            texts[line.id] = format_price(standing.prices[line.id] - 1, d)
            return PlaceBid(bidder, bid_id, texts), "must_beat_best"
        kind = 0
    if kind == 0:  # its standing offer again: the decrement is too small
        return PlaceBid(bidder, bid_id, texts), "decrement_too_small"
    if kind == 1:
        texts[line.id] = format_price(line.ceiling + 1, d)
        return PlaceBid(bidder, bid_id, texts), "above_ceiling"
    texts["no-such-line"] = "1"
    return PlaceBid(bidder, bid_id, texts), "unknown_line"


# ------------------------------------------------------------------------------- Japanese and Dutch


def level_config(fmt: str) -> Callable[[Setup, int], AuctionConfig]:
    """Levels 0.01 % of the ceilings apart (0.001 % if that many do not fit above 10 %), enough of them that
    every bidder can accept ``count`` / bidders levels before the floor (Japanese) or the ceiling (Dutch)."""

    def config(setup: Setup, count: int) -> AuctionConfig:
        levels = count // setup.bidders + 3
        step = Decimal("0.01") if levels * Decimal("0.01") <= 90 else Decimal("0.001")
        return dataclasses.replace(
            english_config(setup),
            format=fmt,
            level_step_percent=str(step),
            level_floor_percent=str(100 - step * levels),
            level_interval_s=30,
        )

    return config


def japanese_stream(sim: Sim, count: int, refused_share: float, rng: random.Random) -> None:
    """Every bidder accepts every level, in random order, 1 ms apart; the level then ends on its tick and the
    next one starts. ``refused_share`` of the acceptances come with a refused one: half of them an acceptance
    of the level before arriving after the tick, half an acceptance sent twice."""
    cfg = sim.state.cfg
    while sim.bids < count:
        state = sim.state
        level = state.level
        assert level is not None and state.closes_at is not None
        now = state.closes_at - cfg.level_interval_s * 1000
        bidders = [seat.bidder for seat in cfg.seats if seat.bidder not in state.dropped]
        rng.shuffle(bidders)
        for bidder in bidders:
            late = level > 0 and rng.random() < refused_share / 2
            if late and sim.bids < count:
                now += 1
                sim.run(AcceptLevel(bidder, sim.bid_id(), level - 1), now, "level_changed")
            if sim.bids < count:
                now += 1
                sim.run(AcceptLevel(bidder, sim.bid_id(), level), now)
            if not late and rng.random() < refused_share / 2 and sim.bids < count:
                now += 1
                sim.run(AcceptLevel(bidder, sim.bid_id(), level), now, "already_accepted")
        if sim.bids < count:
            sim.run(Tick(), state.closes_at)


def dutch_stream(sim: Sim, count: int, refused_share: float, rng: random.Random) -> None:
    """The price rises one level per tick; at every level each bidder's acceptance of the level before arrives
    just after the tick and is refused (the level moved): the most acceptance traffic a Dutch auction can decide
    without closing. At the end one bidder accepts the standing level and wins (the auction closes at once),
    and the others' acceptances of it are refused as too late (``refused_share`` is not used)."""
    cfg = sim.state.cfg
    bidders = [seat.bidder for seat in cfg.seats]
    while sim.bids + 2 * len(bidders) <= count:
        state = sim.state
        assert state.level is not None and state.closes_at is not None
        sim.run(Tick(), state.closes_at)
        now = state.closes_at
        rng.shuffle(bidders)
        for bidder in bidders:
            now += 1
            sim.run(AcceptLevel(bidder, sim.bid_id(), state.level), now, "level_changed")
    level = sim.state.level
    assert level is not None
    now = sim.steps[-1][1] if sim.steps else T0
    rng.shuffle(bidders)
    for n, bidder in enumerate(bidders):
        now += 1
        sim.run(AcceptLevel(bidder, sim.bid_id(), level), now, None if n == 0 else "closed")


# ----------------------------------------------------------------------------------- fixed-turn rounds


def rounds_config(setup: Setup, count: int) -> AuctionConfig:
    """Enough rounds that ``count`` bids on turn fit before the last turn of the last round."""
    return dataclasses.replace(
        english_config(setup),
        format="rounds",
        rounds=count // setup.bidders + 2,
        turn_s=120,
        initial_offers_s=600,
    )


def rounds_stream(sim: Sim, count: int, refused_share: float, rng: random.Random) -> None:
    """Every bidder places an initial offer (ceilings less up to 0.01 % a line), the initial-offer stage ends
    on its tick, then the bidder on turn bids 1 ms into its turn, lowering one line just enough: each bid ends
    the turn and starts the next (the next round's order, worst-ranked first, is computed by the last bid of a
    round). ``refused_share`` of the turns first see a refused bid: half of them from a bidder not on turn,
    half from the bidder on turn, with too small a decrement."""
    cfg = sim.state.cfg
    d = cfg.price_decimals
    now = T0
    for seat in cfg.seats:
        if sim.bids < count:
            now += 1
            texts = {line.id: format_price(line.ceiling - rng.randint(0, 1000), d) for line in cfg.lines}
            sim.run(PlaceBid(seat.bidder, sim.bid_id(), texts), now)
    assert sim.state.closes_at is not None
    sim.run(Tick(), sim.state.closes_at)
    while sim.bids < count:
        state = sim.state
        bidder = state.on_turn
        assert bidder is not None and state.closes_at is not None
        now = state.closes_at - cfg.turn_s * 1000
        if rng.random() < refused_share and sim.bids + 1 < count:
            now += 1
            other = rng.choice([seat.bidder for seat in cfg.seats if seat.bidder != bidder])
            if rng.random() < 0.5:
                prices = improved_prices(state, other, rng)
                sim.run(PlaceBid(other, sim.bid_id(), bid_texts(state, other, prices)), now, "not_your_turn")
            else:
                standing = state.standing[bidder]
                texts = {k: price_text(v, d) for k, v in standing.prices.items()}
                sim.run(PlaceBid(bidder, sim.bid_id(), texts), now, "decrement_too_small")
        now += 1
        prices = improved_prices(state, bidder, rng)
        sim.run(PlaceBid(bidder, sim.bid_id(), bid_texts(state, bidder, prices)), now)


FORMATS: tuple[Format, ...] = (
    Format(
        "english",
        "reverse English, decrement against one's own offer, anti-sniping on a new lead, every line priced",
        english_config,
        english_stream,
    ),
    Format(
        "english MEAT",
        "as english, bids ranked by the MEAT factor (total × quality weight)",
        meat_config,
        english_stream,
    ),
    Format(
        "english strict",
        "as english with decrement against the best offer, ties refused, anti-sniping on a top-3 change, "
        "later bids naming the changed line only",
        strict_config,
        english_stream,
    ),
    Format("english quiet", "as english, closing quiet: every valid bid moves the close", quiet_config, english_stream),
    Format(
        "japanese",
        "bid = an acceptance (every bidder accepts every level; ~10 % refused: late or twice); "
        "a level-end tick per level, amortised into the figure",
        level_config("japanese"),
        japanese_stream,
        "level-end ticks",
    ),
    Format(
        "dutch",
        "bid = an acceptance arriving one level late (refused) and the one that wins at the end; "
        "a level tick per level, amortised into the figure",
        level_config("dutch"),
        dutch_stream,
        "level ticks",
    ),
    Format(
        "rounds",
        "bid = a bid on turn, which ends the turn and starts the next (~10 % refused: not on turn or too "
        "small); one tick ends the initial-offer stage",
        rounds_config,
        rounds_stream,
        "ticks (the end of the initial-offer stage)",
    ),
)


# ------------------------------------------------------------------------------------------- measuring


@dataclass
class Run:
    total: float  # seconds for the whole stream, loop included
    decide: list[float]  # seconds inside decide, per step kind (BID, OTHER)
    evolve: list[float]  # seconds inside evolve, per step kind
    accepted: int  # bid commands accepted
    first: float  # µs per bid command over the first tenth of the stream (ticks in it included)
    last: float  # µs per bid command over the last tenth


def tenths(steps: list[Step]) -> tuple[int, int, int, int]:
    """The steps per tenth, where the last tenth starts, and how many bid commands the first and the last tenth
    of the stream hold (a tenth's time is divided by its bid commands: its ticks are amortised over them)."""
    tenth = max(1, len(steps) // 10)
    last_start = len(steps) - tenth
    first_bids = sum(1 for step in steps[:tenth] if step[2] == BID)
    last_bids = sum(1 for step in steps[last_start:] if step[2] == BID)
    return tenth, last_start, max(1, first_bids), max(1, last_bids)


def time_run(state: AuctionState, steps: list[Step]) -> Run:
    """decide + evolve over every step as the runner does, timing each part."""
    clock = time.perf_counter
    tenth, last_start, first_bids, last_bids = tenths(steps)
    accepted = 0
    in_decide = [0.0, 0.0]
    in_evolve = [0.0, 0.0]
    marks: dict[int, float] = {}
    started = clock()
    for n, (command, now, kind) in enumerate(steps):
        if n in (tenth, last_start):
            marks[n] = clock()
        t0 = clock()
        result = decide(state, command, now)
        t1 = clock()
        in_decide[kind] += t1 - t0
        if isinstance(result, Rejection):
            continue
        accepted += kind == BID
        for event in result:
            state = evolve(state, event)
        in_evolve[kind] += clock() - t1
    ended = clock()
    first = (marks.get(tenth, ended) - started) / first_bids * 1e6
    last = (ended - marks.get(last_start, started)) / last_bids * 1e6
    return Run(ended - started, in_decide, in_evolve, accepted, first, last)


def time_loop(steps: list[Step]) -> float:
    """The baseline: the same loop with the same clock reads and branches, calling nothing of the core."""
    clock = time.perf_counter
    tenth, last_start, _, _ = tenths(steps)
    marks: dict[int, float] = {}
    accepted = 0
    in_decide = [0.0, 0.0]
    in_evolve = [0.0, 0.0]
    started = clock()
    for n, (command, _now, kind) in enumerate(steps):
        if n in (tenth, last_start):
            marks[n] = clock()
        t0 = clock()
        t1 = clock()
        in_decide[kind] += t1 - t0
        if command is None:  # never true
            continue
        accepted += kind == BID
        in_evolve[kind] += clock() - t1
    return clock() - started


def fmt_us(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} µs (min {min(values):6.2f}, max {max(values):6.2f})"


@dataclass(frozen=True)
class Row:
    name: str
    setup: Setup
    median: float  # µs per bid command, ticks amortised
    flat: float  # last/first tenth
    met: bool


def measure(fmt: Format, setup: Setup, count: int, repeats: int, refused_share: float, seed: int, budget: float) -> Row:
    config = fmt.config(setup, count)
    sim = Sim(open_auction(config))
    fmt.stream(sim, count, refused_share, random.Random(seed))
    steps, bids = sim.steps, sim.bids
    ticks = len(steps) - bids
    runs: list[Run] = []
    loops: list[float] = []
    for _ in range(repeats):
        if runs and sum(r.total for r in runs) + runs[-1].total > budget:
            break  # one more repetition would go over the time budget
        gc.collect()
        runs.append(time_run(sim.start, steps))
        loops.append(time_loop(steps) / bids * 1e6)
    done = "" if len(runs) == repeats else f"   ({len(runs)} of {repeats} repetitions: time budget)"
    accepted = runs[0].accepted
    assert all(r.accepted == accepted for r in runs)
    full = [r.total / bids * 1e6 for r in runs]
    median = statistics.median(full)
    loop = statistics.median(loops)
    met = median <= TARGET_US
    flat = statistics.median([r.last / r.first for r in runs])
    prefix = f"{fmt.name:<16} {setup.bidders:>4} bidders {setup.lines:>3} lines"
    print(
        f"{prefix}  {accepted:>6}/{bids} accepted   decide+evolve {fmt_us(full)}   "
        f"{median / TARGET_US:4.2f}× target: {'met' if met else 'MISSED'}{done}"
    )
    pad = " " * len(prefix)
    print(
        f"{pad}  of which decide {statistics.median([r.decide[BID] / bids * 1e6 for r in runs]):6.2f} µs, "
        f"evolve {statistics.median([r.evolve[BID] / bids * 1e6 for r in runs]):6.2f} µs;   "
        f"first tenth {statistics.median([r.first for r in runs]):6.2f} µs/bid, "
        f"last tenth {statistics.median([r.last for r in runs]):6.2f} µs/bid"
    )
    if ticks:
        per_tick = statistics.median([(r.decide[OTHER] + r.evolve[OTHER]) / ticks * 1e6 for r in runs])
        amortised = statistics.median([(r.decide[OTHER] + r.evolve[OTHER]) / bids * 1e6 for r in runs])
        print(
            f"{pad}  {ticks} {fmt.other}: {per_tick:6.2f} µs per tick (decide+evolve), {amortised:5.2f} µs per "
            f"bid amortised (in the figure above); without them {median - amortised:6.2f} µs/bid"
        )
    print(
        f"{pad}  baseline loop (same commands, no core) {loop:5.3f} µs/bid;   "
        f"ratios: full/loop {median / loop:6.0f}x   last/first tenth {flat:5.1f}x"
    )
    return Row(fmt.name, setup, median, flat, met)


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/bench-core", description=__doc__)
    parser.add_argument("--bids", type=int, help="bid commands per setup (default 20000; 2500 with --quick)")
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per setup (default 3)")
    parser.add_argument("--refused", type=float, default=0.1, help="share of bids that break a rule (default 0.1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--budget",
        type=float,
        default=15.0,
        help="seconds of timed runs per setup: no further repetition once one more would exceed it (default 15)",
    )
    parser.add_argument("--quick", action="store_true", help="2500 bid commands per setup: a check in ~20 s")
    parser.add_argument(
        "--formats", help=f"comma-separated formats to run (default all: {', '.join(f.name for f in FORMATS)})"
    )
    args = parser.parse_args()
    count = args.bids or (2500 if args.quick else 20_000)
    formats = FORMATS
    if args.formats:
        wanted = {name.strip() for name in args.formats.split(",")}
        unknown = wanted - {f.name for f in FORMATS}
        if unknown:
            parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
        formats = tuple(f for f in FORMATS if f.name in wanted)
    print(f"machine:   {machine()}")
    print(
        f"setup:     ~{count} bid commands generated beforehand per setup, ~{args.refused:.0%} of them refused "
        f"(dutch: all but one), {args.repeats} repetitions; figures are µs per bid command (median over "
        "repetitions), ticks amortised over the bid commands"
    )
    print(f"target:    ≤ {TARGET_US:.0f} µs per decided bid (decide + evolve)")
    for fmt in formats:
        print(f"format:    {fmt.name:<16} {fmt.what}")
    started = time.perf_counter()
    rows = [
        measure(fmt, setup, count, args.repeats, args.refused, args.seed, args.budget)
        for fmt in formats
        for setup in SETUPS
    ]
    print()
    print(
        f"{'summary':<16} {'bidders':>7} {'lines':>5}   {'µs/bid':>7}   {'× target':>8}   {'last/first':>10}   verdict"
    )
    for row in rows:
        print(
            f"{row.name:<16} {row.setup.bidders:>7} {row.setup.lines:>5}   {row.median:7.2f}   "
            f"{row.median / TARGET_US:8.2f}   {row.flat:10.1f}   {'met' if row.met else 'MISSED'}"
        )
    missed = [row for row in rows if not row.met]
    verdict = "met in every setup" if not missed else f"MISSED in {len(missed)} of {len(rows)} setups"
    print(f"result:    target ≤ {TARGET_US:.0f} µs per bid {verdict} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
