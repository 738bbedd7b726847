"""The harness the model-based Hypothesis state machines over the pure core share (``test_core_state_machine``,
``test_formats_state_machine``, ``test_english_options_state_machine``).

Each machine keeps its own small model of the auction, written from ``docs/rules.md`` (and the module docstrings
of the format modules), not from the core's code: for every command it predicts the events the core must record,
or that it must refuse (with one of the codes the rules name), and compares. Time is a plain variable the rules
move forward. Every decision goes through a real :class:`~auction.journal.MemoryJournal`, so sequence numbers
and hashes are real. Like the runner, the machines record a due deadline (a ``Tick`` at the same time) before
each organiser command; bids are also sent without that tick, since the core must refuse a bid whose deadline
has passed but was not yet recorded.

What lives here:

- :class:`JournalledMachine`: the core's state, the journal and the clock; :meth:`~JournalledMachine.expect`,
  which decides a command, compares it with the prediction, appends it to the journal and evolves the state,
  recording each event's context and each move of the deadline; and the invariants every machine checks after
  every step: the journal has no gaps and its hash chain verifies, a replay of it reports no problem and equals
  the live state (as does a fold of the events), and the deadline never moves earlier except by the machine's
  ``EARLIER_BY_RULE``.
- :class:`ModelMachine`: for a model kept as an object that predicts on a copy of itself (the formats and the
  English options): the tick, the organiser, the organiser's controls whose inputs those machines share, and
  their common invariants: the model's phase, deadline, blocked bidders and accepted bids agree with the core's,
  and no bid is accepted outside the open phase or at/after the standing deadline.
- The models' own helpers (price formatting, weighted totals, the minimum decrement, the refusals any format's
  bid can earn, what the organiser may do in each phase) and the strategies' shared pieces.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
from collections.abc import Collection
from fractions import Fraction
from typing import Any, Protocol, Self

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from auction.audit.replay import replay
from auction.journal.hashing import GENESIS, entry_hash
from auction.journal.port import JournalEntry, MemoryJournal
from auction.rules.config import AuctionConfig, Line
from auction.rules.core import INITIAL, AuctionState, decide, evolve, fold
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AuctionResumed,
    BidAccepted,
    Block,
    Cancel,
    Close,
    Command,
    Create,
    Event,
    Extend,
    OrganiserCommand,
    Pause,
    Rejection,
    Resume,
    Start,
    Tick,
    Unblock,
)
from tests.factories import T0, make_config

SEATS = ("s1", "s2", "s3", "s4")
WHO = (*SEATS, "intruder")  # the last one has no seat
LIVE = (Phase.SCHEDULED, Phase.OPEN, Phase.PAUSED)

# What the organiser's commands may do in each phase (docs/rules.md, section 7), in the model's own words.
ORGANISER_PHASES: dict[type[OrganiserCommand], set[Phase]] = {
    Start: {Phase.SCHEDULED},
    Pause: {Phase.OPEN},
    Resume: {Phase.PAUSED},
    Extend: {Phase.OPEN, Phase.PAUSED},
    Close: {Phase.OPEN, Phase.PAUSED},
    Cancel: {Phase.SCHEDULED, Phase.OPEN, Phase.PAUSED},
    Block: {Phase.SCHEDULED, Phase.OPEN, Phase.PAUSED},
    Unblock: {Phase.SCHEDULED, Phase.OPEN, Phase.PAUSED},
}
# Why a bidder's command is refused when bidding is not possible at all.
PHASE_CODE = {Phase.SCHEDULED: "not_open", Phase.PAUSED: "paused", Phase.CLOSED: "closed", Phase.CANCELLED: "cancelled"}
IGNORED_FIELDS = {"at", "reason", "percent", "config"}  # wording and what the config fixes are left to the core
TEXT_FORMS = ("plain", "plain", "plain", "plain", "missing_line", "extra_line", "garbage")


# ------------------------------------------------------------------------------------------------ the model's helpers


def ev(kind: str, at: int, **values: Any) -> dict[str, Any]:
    """A predicted event: its type, time and the fields the model predicts."""
    return {"type": kind, "at": at, **values}


def projection(event: Event) -> dict[str, Any]:
    """What a model predicts of an event (see :func:`ev`): every field but those in ``IGNORED_FIELDS``."""
    names = [f.name for f in dataclasses.fields(event) if f.name not in IGNORED_FIELDS]
    return {"type": event.type, "at": event.at, **{name: getattr(event, name) for name in names}}


def rarely(draw: int, one_in: int) -> bool:
    """One time in ``one_in``; not on 0 or the range's ends, which Hypothesis favours."""
    return draw % one_in == one_in // 2


def shown(units: int, decimals: int = 2) -> str:
    """The model's own price formatting (not auction.money)."""
    sign = "-" if units < 0 else ""
    whole, frac = divmod(abs(units), 10**decimals)
    return f"{sign}{whole}" + (f".{frac:0{decimals}d}" if decimals else "")


def written(prices: dict[str, int], target: str, form: str) -> tuple[dict[str, str], dict[str, int]]:
    """A bid's prices as a bidder sends them, in one of ``TEXT_FORMS`` (the ``target`` line missing, an unknown
    line added, or the target's price unreadable), and the units the model reads in them (missing where
    unreadable)."""
    texts = {k: shown(v) for k, v in prices.items()}
    readable = dict(prices)
    if form == "missing_line":
        del texts[target], readable[target]
    elif form == "extra_line":
        texts["nope"] = "1.00"
    elif form == "garbage":
        texts[target] = "1.2.3"
        del readable[target]
    return texts, readable


def bid_refusals(
    cfg: AuctionConfig,
    bidder: str,
    bid_id: str,
    texts: dict[str, str],
    prices: dict[str, int],
    bid_ids: Collection[str],
    blocked: Collection[str],
) -> set[str]:
    """The refusal codes of docs/rules.md 3.1–3.3 any format's bid can earn: a bid id used before, a bidder with
    no seat or blocked, a line missing or unknown, a price unreadable, not above 0 or above the line's ceiling.
    ``texts``: what is sent; ``prices``: the units the model reads in them (missing where unreadable)."""
    reasons = set()
    if bid_id in bid_ids:
        reasons.add("duplicate_bid_id")
    if bidder not in {seat.bidder for seat in cfg.seats}:
        reasons.add("unknown_bidder")
    elif bidder in blocked:
        reasons.add("blocked")
    line_ids = {line.id for line in cfg.lines}
    if line_ids - set(texts):
        reasons.add("missing_line")
    if set(texts) - line_ids:
        reasons.add("unknown_line")
    for line in cfg.lines:
        unreadable = line.id in texts and line.id not in prices
        if unreadable or (line.id in prices and prices[line.id] <= 0):
            reasons.add("bad_price")
        elif line.id in prices and prices[line.id] > line.ceiling:
            reasons.add("above_ceiling")
    return reasons


def weighted(cfg: AuctionConfig, prices: dict[str, int]) -> int:
    return sum(prices[line.id] * line.volume for line in cfg.lines)


def minimum_decrement(cfg: AuctionConfig, figure: int) -> int:
    """docs/rules.md 3.4, exactly: a fixed amount, or the percentage of the figure's size rounded up to the unit
    (a MEAT bonus can make a ranked figure negative; the decrement still lowers it)."""
    if cfg.decrement_amount is not None:
        return cfg.decrement_amount
    assert cfg.decrement_percent is not None
    return math.ceil(abs(Fraction(figure)) * Fraction(cfg.decrement_percent) / 100)


def bidding_config(draw: st.DrawFn, **more: st.SearchStrategy[Any]) -> AuctionConfig:
    """Two lines (volume 1, 3 or 250; ceiling 0.50 to 50.00), two to four seats and a minimum decrement by a fixed
    amount or a percentage; ``more``: further ``make_config`` arguments, drawn after these."""
    lines = tuple(
        Line(f"L{n}", f"line {n}", "unit", draw(st.sampled_from((1, 3, 250))), draw(st.integers(50, 5_000)))
        for n in range(2)
    )
    use_amount = draw(st.booleans())
    return make_config(
        lines=lines,
        bidders=SEATS[: draw(st.integers(min_value=2, max_value=4))],
        decrement_percent=None if use_amount else draw(st.sampled_from(("0.5", "1", "10"))),
        decrement_amount=draw(st.sampled_from((1, 7, 500))) if use_amount else None,
        **{name: draw(strategy) for name, strategy in more.items()},
    )


# ------------------------------------------------------------------------------------------------ the machines


class JournalledMachine(RuleBasedStateMachine):
    """The core's state, a real journal and the clock; each machine adds its model, rules and own invariants."""

    STREAM = "sm"  # each machine names its own journal stream
    # Why a deadline may move earlier: "new close" is the organiser's resume with a new close (docs/rules.md 5.1);
    # otherwise the event type that moved it.
    EARLIER_BY_RULE: tuple[str, ...] = ("new close",)

    def begin(self, config: AuctionConfig, lead: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.journal = MemoryJournal()
        self.config = config
        self.now = T0 - 1000 - lead
        self.state: AuctionState = INITIAL
        self.events: list[Event] = []
        self.context: list[tuple[Phase, int | None]] = []  # per event: the core's phase and deadline before it
        self.deadlines: list[tuple[int, str]] = []  # (new deadline, why) each time the deadline moved
        self.counter = 0

    def teardown(self) -> None:
        loop = getattr(self, "loop", None)
        if loop is not None:
            loop.close()

    def entries(self) -> list[JournalEntry]:
        return self.loop.run_until_complete(self.journal.read(self.STREAM))

    def projection(self, event: Event) -> Any:
        """What the model predicts of an event (a machine with predictions of another shape overrides this)."""
        return projection(event)

    def expect(
        self, command: Command, predicted: list[Any] | None, reasons: Collection[str] | None = None
    ) -> list[Event] | Rejection:
        """Decide ``command`` now; ``predicted`` None means it must be refused (with one of ``reasons``, when they
        are given), else the projections of the events it must give, which are then journalled and evolved."""
        before = self.state
        result = decide(self.state, command, self.now)
        if isinstance(result, Rejection):
            assert predicted is None, f"{command} was refused ({result.code}: {result.message}); expected {predicted}"
            if reasons is not None:
                assert result.code in reasons, f"{command} refused as {result.code}; the rules broken are {reasons}"
            assert self.state is before
            return result
        assert predicted is not None, f"{command} should have been refused ({reasons}), but gave {result}"
        assert [self.projection(e) for e in result] == predicted
        if result:
            entries = self.loop.run_until_complete(self.journal.append(self.STREAM, len(self.events), result, self.now))
            assert [e.event() for e in entries] == result  # what the journal holds is what was decided
        new_close = isinstance(command, Resume) and command.seconds > 0
        for event in result:
            self.context.append((self.state.phase, self.state.closes_at))
            previous = self.state.closes_at
            self.state = evolve(self.state, event)
            self.events.append(event)
            if self.state.closes_at != previous and self.state.closes_at is not None:
                why = "new close" if new_close and isinstance(event, AuctionResumed) else event.type
                self.deadlines.append((self.state.closes_at, why))
        return result

    @invariant()
    def deadlines_never_move_earlier(self) -> None:
        for (before, _), (after, why) in zip(self.deadlines, self.deadlines[1:], strict=False):
            if after < before:
                assert why in self.EARLIER_BY_RULE, (before, after, why)

    @invariant()
    def journal_has_no_gaps_and_the_chain_verifies(self) -> None:
        stream, entries = self.STREAM, self.entries()
        assert [e.seq for e in entries] == list(range(1, len(self.events) + 1))
        previous, time = GENESIS, 0
        for entry in entries:
            assert entry.stream == stream
            assert entry.prev_hash == previous
            assert entry.hash == entry_hash(stream, entry.seq, entry.recorded_at, entry.type, entry.payload, previous)
            assert entry.recorded_at >= time
            previous, time = entry.hash, entry.recorded_at

    @invariant()
    def replay_equals_live(self) -> None:
        report = replay(self.STREAM, self.entries())
        assert report.ok, report.problem
        assert report.state == self.state
        assert fold(self.events) == self.state


class PredictingModel(Protocol):
    """What :class:`ModelMachine` needs of a model: it predicts by changing itself, so it predicts on a clone,
    which replaces it when the core agrees. ``tick`` gives the events; the others give (the events, or None for
    a refusal, and the refusal codes that would be right)."""

    phase: Phase
    close: int | None  # the standing deadline
    blocked: set[str]
    bid_ids: set[str]
    count: int  # bids accepted

    def clone(self) -> Self: ...

    def tick(self, now: int) -> list[dict[str, Any]]: ...

    def organiser(self, now: int, command: OrganiserCommand) -> tuple[list[dict[str, Any]] | None, set[str]]: ...


class ModelMachine(JournalledMachine):
    """A machine whose model is a :class:`PredictingModel` (``self.m``): the tick, the organiser, and the rules
    and invariant of the formats' and the English options' machines alike."""

    m: PredictingModel

    def begin_with(self, model: PredictingModel, config: AuctionConfig, lead: int, opened: bool) -> None:
        self.begin(config, lead)
        self.m = model
        self.expect(Create(config), [ev("AuctionCreated", self.now)])
        if opened:  # half the runs start with the auction open, so more of their steps go to bidding
            self.now = config.opens_at_ms
            self.tick()

    def decide_with_model(self, command: Command, how: str, *args: Any) -> bool:
        """Predict with the model's method ``how`` on a copy; keep the copy when the core agrees."""
        model = self.m.clone()
        predicted, reasons = getattr(model, how)(self.now, *args)
        accepted = not isinstance(self.expect(command, predicted, reasons), Rejection)
        if accepted:
            self.m = model
        return accepted

    def tick(self) -> None:
        model = self.m.clone()
        self.expect(Tick(), model.tick(self.now))
        self.m = model

    def organiser(self, command: OrganiserCommand) -> None:
        """As the runner does: first record a deadline that passed, then decide the command at the same time."""
        self.tick()
        self.decide_with_model(command, "organiser", command)

    # ------------------------------------------------------------------------------------------ time

    @precondition(lambda self: self.m.phase is Phase.SCHEDULED)
    @rule(late=st.integers(min_value=-1, max_value=2_000))
    def reach_opening_time(self, late: int) -> None:
        self.now = max(self.now, self.config.opens_at_ms + late)
        self.tick()

    # ------------------------------------------------------------------------------------------ organiser

    @precondition(lambda self: self.m.phase is Phase.SCHEDULED)
    @rule(reason=st.sampled_from(("opening early", "  ")))
    def start(self, reason: str) -> None:
        self.organiser(Start(reason=reason))

    @precondition(lambda self: self.m.phase in LIVE)
    @rule(reason=st.sampled_from(("technical problem", "")), go=st.integers(0, 999))
    def pause(self, reason: str, go: int) -> None:
        if rarely(go, 3):
            self.organiser(Pause(reason=reason))

    @precondition(lambda self: self.m.phase in LIVE)
    @rule(reason=st.sampled_from(("enough", "")), go=st.integers(0, 999))
    def close_now(self, reason: str, go: int) -> None:
        if rarely(go, 10):
            self.organiser(Close(reason=reason))

    @rule(
        kind=st.sampled_from((Start, Pause, Resume, Extend, Close, Cancel, Block, Unblock)),
        reason=st.sampled_from(("any time", "")),
        go=st.integers(0, 999),
    )
    def any_organiser_command(self, kind: type[OrganiserCommand], reason: str, go: int) -> None:
        """Any control in any phase: those the phase does not allow must be refused and change nothing."""
        if rarely(go, 5):
            if kind is Extend:
                self.organiser(Extend(reason=reason, seconds=30))
            elif kind in (Block, Unblock):
                self.organiser(kind(reason=reason, bidder=SEATS[go % 2]))  # type: ignore[call-arg]
            else:
                self.organiser(kind(reason=reason))

    # ------------------------------------------------------------------------------------------ invariants

    @invariant()
    def model_matches_core(self) -> None:
        s, m = self.state, self.m
        assert s.phase is m.phase
        assert s.closes_at == m.close
        assert s.blocked == frozenset(m.blocked)
        assert s.bid_count == m.count
        assert s.bid_ids == frozenset(m.bid_ids)

    @invariant()
    def nothing_accepted_outside_the_open_phase_or_after_the_deadline(self) -> None:
        for event, (phase, deadline) in zip(self.events, self.context, strict=True):
            if isinstance(event, BidAccepted):
                assert phase is Phase.OPEN
                assert deadline is not None and event.at < deadline
