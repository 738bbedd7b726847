"""Model-based Hypothesis state machines over the pure core for the reverse Japanese, Dutch and fixed-turn-rounds
formats.

Each machine keeps its own small model of the format, written from the module docstrings of
:mod:`auction.level_formats` and :mod:`auction.turns` and from ``docs/rules.md`` (sections 3, 4.2–4.4, 5.1 and
7), not from the core's code: for every command it predicts the events the core must record, or that it must
refuse (with one of the codes the rules name), and compares. The real journal, the clock, the tick recorded
before each organiser command and the organiser's common controls are the shared harness's (see
:mod:`tests.machine_harness`).

Inputs: acceptances of the current level, of stale or future levels, by dropped-out, blocked or unknown
bidders, with retried bid ids, by the bidder or entered by the organiser; bids and passes on and off turn;
time steps and jumps to and past deadlines (with or without the tick that records them); the organiser's
pause, resume (with or without a new close), extend, close, cancel, block and unblock in any phase.

Invariants after every step, besides the model agreeing with the core event for event:

- a walk over the recorded events (independent of the model) finds every acceptance at the level's prices, by
  a bidder with a seat, not blocked and (Japanese) not dropped out; every bid in a round ≥ 1 by the bidder on
  turn and with the decrement; no bid outside the open phase or at/after the standing deadline; levels falling
  (Japanese) or rising (Dutch) one by one, one interval each; Dutch: one acceptance, which closes the auction;
  rounds: every round's order worst-ranked first, each eligible bidder one turn per round, the close only
  after the last turn of the last round;
- the journal has no gaps and its hash chain verifies; a replay of it reports no problem and equals the live
  state;
- a deadline never moves earlier, except when a turn begins early by rule (after a bid, a pass or a block) or
  the organiser resumes with a new close;
- the ranking is the model's; at the close the winner (rank 1) is the one the format's rules name (Japanese:
  the last one in, a tie going to the earliest acceptance of the deciding level; Dutch: the first acceptance).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from auction.rules.config import AuctionConfig, Line
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AcceptLevel,
    AuctionCancelled,
    AuctionClosed,
    AuctionCreated,
    AuctionOpened,
    AuctionPaused,
    AuctionResumed,
    BidAccepted,
    BidderBlocked,
    BidderDroppedOut,
    BidderUnblocked,
    Block,
    Cancel,
    Close,
    CloseExtended,
    Command,
    EnterBid,
    Event,
    Extend,
    LevelStarted,
    OrganiserCommand,
    PassTurn,
    Pause,
    PlaceBid,
    Rejection,
    Resume,
    Start,
    TurnEnded,
    TurnStarted,
    Unblock,
)
from tests.factories import T0, make_config, open_auction, run
from tests.machine_harness import (
    LIVE,
    ORGANISER_PHASES,
    PHASE_CODE,
    SEATS,
    TEXT_FORMS,
    WHO,
    ModelMachine,
    bid_refusals,
    bidding_config,
    ev,
    minimum_decrement,
    rarely,
    shown,
    weighted,
    written,
)


def model_levels(cfg: AuctionConfig) -> list[tuple[dict[str, int], int]]:
    """The announced levels as the rules describe them: from 100 % of every ceiling down by the step to the floor
    (the floor itself always included), reversed for Dutch; each price rounded half to even and never below one
    unit; a level whose prices equal the one before is left out. Returns (prices, total) per level."""
    step, floor = Fraction(cfg.level_step_percent), Fraction(cfg.level_floor_percent)
    percents = []
    percent = Fraction(100)
    while percent >= floor:
        percents.append(percent)
        percent -= step
    if percents[-1] != floor:
        percents.append(floor)
    if cfg.format == "dutch":
        percents.reverse()
    levels: list[tuple[dict[str, int], int]] = []
    for percent in percents:
        prices = {line.id: max(1, round(line.ceiling * percent / 100)) for line in cfg.lines}
        if levels and levels[-1][0] == prices:
            continue
        levels.append((prices, weighted(cfg, prices)))
    return levels


def round_order(seats: tuple[str, ...], offers: dict[str, tuple[int, int]], blocked: set[str]) -> tuple[str, ...]:
    """Worst-ranked first: eligible bidders without an offer in seat order, then from the last rank to the first.
    ``offers``: bidder -> (total, acceptance order)."""
    eligible = [b for b in seats if b not in blocked]
    ranked = sorted(offers, key=lambda b: offers[b], reverse=True)
    return (*[b for b in eligible if b not in offers], *[b for b in ranked if b in eligible])


# ------------------------------------------------------------------------------------------------ the model


@dataclass
class Offer:
    prices: dict[str, int]
    total: int
    order: int  # how many bids were accepted before it


class Model:
    """One auction in the Japanese, Dutch or rounds format, as this test reads the rules. Mutable: predictions
    are made on a copy, which replaces the model when the core agrees."""

    def __init__(self, cfg: AuctionConfig) -> None:
        self.cfg = cfg
        self.fmt = cfg.format
        self.levels = model_levels(cfg) if self.fmt in ("japanese", "dutch") else []
        self.seats = tuple(seat.bidder for seat in cfg.seats)
        self.phase = Phase.SCHEDULED
        self.close: int | None = None
        self.paused_at: int | None = None
        self.blocked: set[str] = set()
        self.bid_ids: set[str] = set()
        self.offers: dict[str, Offer] = {}
        self.count = 0
        # Japanese and Dutch
        self.level: int | None = None
        self.took: list[str] = []  # who accepted the standing level, in order
        self.out: set[str] = set()
        self.acceptances: list[tuple[str, int]] = []  # (bidder, level), in order
        # rounds
        self.round = 0
        self.order: tuple[str, ...] = ()
        self.position = 0
        self.on_turn: str | None = None
        # the outcome
        self.winner: str | None = None

    # -------------------------------------------------------------------------------------- helpers

    def clone(self) -> Model:
        """A copy to predict on (offers are replaced, never changed in place; the config and levels are shared)."""
        twin = copy.copy(self)
        twin.blocked, twin.bid_ids, twin.out = set(self.blocked), set(self.bid_ids), set(self.out)
        twin.offers, twin.took, twin.acceptances = dict(self.offers), list(self.took), list(self.acceptances)
        return twin

    def ranking(self) -> list[str]:
        return sorted(self.offers, key=lambda b: (self.offers[b].total, self.offers[b].order))

    def leader(self) -> str | None:
        ranking = self.ranking()
        return ranking[0] if ranking else None

    def closed(self, now: int, by: str, winner: str | None) -> dict[str, Any]:
        self.phase, self.winner = Phase.CLOSED, winner
        return ev("AuctionClosed", now, by=by)

    def closes_on_tick(self, now: int) -> bool:
        return any(e["type"] == "AuctionClosed" for e in self.clone().tick(now))

    def bidder_gate(self, now: int) -> set[str]:
        """Refusal codes that come before any other: bidding is not possible now."""
        if self.phase is not Phase.OPEN:
            return {PHASE_CODE[self.phase]}
        assert self.close is not None
        if now >= self.close:  # the deadline passed but no tick recorded it yet
            if self.closes_on_tick(now):
                return {"closed"}
            return {"turn_ended"} if self.fmt == "rounds" else {"level_ended"}
        return set()

    # -------------------------------------------------------------------------------------- time

    def open(self, now: int, by: str) -> list[dict[str, Any]]:
        self.phase = Phase.OPEN
        if self.fmt == "rounds":  # the sealed initial-offer stage
            self.close = now + self.cfg.initial_offers_s * 1000
            return [ev("AuctionOpened", now, closes_at=self.close, by=by)]
        self.close = now + self.cfg.level_interval_s * 1000
        self.level, self.took = 0, []
        return [
            ev("AuctionOpened", now, closes_at=self.close, by=by),
            ev("LevelStarted", now, level=0, total=self.levels[0][1], ends_at=self.close),
        ]

    def tick(self, now: int) -> list[dict[str, Any]]:
        if self.phase is Phase.SCHEDULED and now >= self.cfg.opens_at_ms:
            return self.open(now, "schedule")
        if self.phase is not Phase.OPEN or self.close is None or now < self.close:
            return []
        if self.fmt == "japanese":
            return self.japanese_level_ends(now)
        if self.fmt == "dutch":
            if self.level is not None and self.level + 1 < len(self.levels):
                return [self.next_level(now)]
            return [self.closed(now, "schedule", None)]
        start = self.close  # a turn that runs out counts as keeping; the next starts when it was due to end
        if self.round == 0:
            return self.next_turn(now, start)
        return [self.end_turn(now, "timeout"), *self.next_turn(now, start)]

    def next_level(self, now: int) -> dict[str, Any]:
        """One level per interval: the next one stands for an interval from the end of this one."""
        assert self.level is not None and self.close is not None
        self.level += 1
        self.close += self.cfg.level_interval_s * 1000
        self.took = []
        return ev("LevelStarted", now, level=self.level, total=self.levels[self.level][1], ends_at=self.close)

    def japanese_level_ends(self, now: int) -> list[dict[str, Any]]:
        """Who is still in and did not accept drops out for good; two or more in and a level below: the next
        level; else the close: one left wins at this level; none left: the bidders of the level before are
        tied and the earliest acceptance of that level wins; at the floor, the earliest acceptance of it."""
        assert self.level is not None
        level = self.level
        still_in = [b for b in self.seats if b not in self.out]
        staying = [b for b in still_in if b in self.took]
        events = []
        for bidder in still_in:
            if bidder not in self.took:
                self.out.add(bidder)
                events.append(ev("BidderDroppedOut", now, bidder=bidder, level=level))
        if len(staying) >= 2 and level + 1 < len(self.levels):
            return [*events, self.next_level(now)]
        if len(staying) == 1:
            winner: str | None = staying[0]
        elif staying:
            winner = self.took[0]
        elif level == 0:
            winner = None
        else:
            winner = next(b for b, at_level in self.acceptances if at_level == level - 1)
        return [*events, self.closed(now, "schedule", winner)]

    def end_turn(self, now: int, how: str) -> dict[str, Any]:
        bidder, self.on_turn = self.on_turn, None
        return ev("TurnEnded", now, round=self.round, bidder=bidder, how=how)

    def next_turn(self, now: int, start: int) -> list[dict[str, Any]]:
        """The next bidder in the round's order who is not blocked; after the round, the next round in a fresh
        worst-ranked-first order; after the last turn of the last round, the close."""
        ends = start + self.cfg.turn_s * 1000
        if self.round > 0:
            for position in range(self.position + 1, len(self.order)):
                if self.order[position] not in self.blocked:
                    self.position, self.on_turn, self.close = position, self.order[position], ends
                    return [self.turn_started(now)]
        if self.round >= self.cfg.rounds:  # the close comes with the last turn's end, timed out or not
            return [self.closed(now, "rounds", self.leader())]
        offers = {b: (o.total, o.order) for b, o in self.offers.items()}
        order = round_order(self.seats, offers, self.blocked)
        if not order:
            return [self.closed(now, "rounds", self.leader())]
        self.round, self.order, self.position, self.on_turn, self.close = self.round + 1, order, 0, order[0], ends
        return [self.turn_started(now)]

    def turn_started(self, now: int) -> dict[str, Any]:
        return ev(
            "TurnStarted",
            now,
            round=self.round,
            position=self.position,
            bidder=self.on_turn,
            order=self.order,
            ends_at=self.close,
        )

    # -------------------------------------------------------------------------------------- bidders

    def accept(
        self, now: int, bidder: str, bid_id: str, level: int, entered_by: str
    ) -> tuple[list[dict[str, Any]] | None, set[str]]:
        gate = self.bidder_gate(now)
        if gate:
            return None, gate
        if self.fmt == "rounds":
            return None, {"wrong_format"}
        reasons = set()
        if bid_id in self.bid_ids:
            reasons.add("duplicate_bid_id")
        if level != self.level:
            reasons.add("level_changed")
        if bidder not in self.seats:
            reasons.add("unknown_bidder")
        elif bidder in self.blocked:
            reasons.add("blocked")
        if self.fmt == "japanese" and bidder in self.out:
            reasons.add("dropped_out")
        if self.fmt == "japanese" and bidder in self.took:
            reasons.add("already_accepted")
        if reasons:
            return None, reasons
        assert self.level is not None
        prices, total = self.levels[self.level]
        self.offers[bidder] = Offer(dict(prices), total, self.count)
        self.count += 1
        self.bid_ids.add(bid_id)
        self.acceptances.append((bidder, self.level))
        self.took.append(bidder)
        events = [
            ev("BidAccepted", now, bid_id=bid_id, bidder=bidder, prices=prices, total=total, entered_by=entered_by)
        ]
        if self.fmt == "dutch":  # the first acceptance wins at that level and closes the auction at once
            events.append(self.closed(now, "acceptance", bidder))
        return events, set()

    def bid(
        self, now: int, bidder: str, bid_id: str, texts: dict[str, str], prices: dict[str, int], entered_by: str
    ) -> tuple[list[dict[str, Any]] | None, set[str]]:
        """``texts``: what is sent; ``prices``: the units the model reads in them (missing where unreadable)."""
        gate = self.bidder_gate(now)
        if gate:
            return None, gate
        if self.fmt != "rounds":
            return None, {"wrong_format"}
        cfg = self.cfg
        reasons = bid_refusals(cfg, bidder, bid_id, texts, prices, self.bid_ids, self.blocked)
        if self.round > 0 and bidder != self.on_turn:
            reasons.add("not_your_turn")
        own = self.offers.get(bidder)
        best = self.offers.get(self.leader() or "")
        if set(prices) >= {line.id for line in cfg.lines}:
            total = weighted(cfg, prices)
            if own is not None and total > own.total - minimum_decrement(cfg, own.total):
                reasons.add("decrement_too_small")
            # The rules that compare with other offers wait until round 1: the initial-offer stage is sealed.
            compared = self.round > 0
            beat = best.total - minimum_decrement(cfg, best.total) if best is not None else None
            if compared and cfg.decrement_basis == "best" and beat is not None and total > beat:
                reasons.add("must_beat_best")
            equal = any(o.total == total for b, o in self.offers.items() if b != bidder)
            if compared and cfg.ties == "refused" and equal:
                reasons.add("tie_refused")
        if reasons:
            return None, reasons
        total = weighted(cfg, prices)
        self.offers[bidder] = Offer(dict(prices), total, self.count)
        self.count += 1
        self.bid_ids.add(bid_id)
        events = [
            ev("BidAccepted", now, bid_id=bid_id, bidder=bidder, prices=prices, total=total, entered_by=entered_by)
        ]
        if self.round > 0:  # a bid on one's turn ends the turn; the next starts now
            events += [self.end_turn(now, "bid"), *self.next_turn(now, now)]
        return events, set()

    def pass_turn(self, now: int, bidder: str) -> tuple[list[dict[str, Any]] | None, set[str]]:
        gate = self.bidder_gate(now)
        if gate:
            return None, gate
        if self.fmt != "rounds":
            return None, {"wrong_format"}
        if bidder in self.blocked:
            return None, {"blocked"}
        if self.round == 0 or bidder != self.on_turn:
            return None, {"not_your_turn"}
        return [self.end_turn(now, "pass"), *self.next_turn(now, now)], set()

    # -------------------------------------------------------------------------------------- organiser

    def organiser(self, now: int, command: OrganiserCommand) -> tuple[list[dict[str, Any]] | None, set[str]]:
        if isinstance(command, EnterBid):
            return self.enter_bid(now, command)
        if self.phase not in ORGANISER_PHASES[type(command)]:
            return None, {"illegal_transition"}
        if not command.reason.strip():
            return None, {"reason_required"}
        if isinstance(command, Pause | Extend | Close) and self.phase is Phase.OPEN and self.closes_on_tick(now):
            return None, {"closed"}  # the close has passed and the next tick records it: no reopening
        match command:
            case Start():
                return self.open(now, "organiser"), set()
            case Pause():
                self.phase, self.paused_at = Phase.PAUSED, now
                return [ev("AuctionPaused", now)], set()
            case Resume(seconds=seconds):
                if seconds < 0:
                    return None, {"bad_resume"}
                assert self.close is not None and self.paused_at is not None
                self.close = now + seconds * 1000 if seconds else self.close + now - self.paused_at
                self.phase, self.paused_at = Phase.OPEN, None
                events = [ev("AuctionResumed", now, closes_at=self.close)]
                if self.fmt == "rounds" and self.round > 0 and self.on_turn in self.blocked:
                    events += [self.end_turn(now, "blocked"), *self.next_turn(now, now)]  # blocked while paused
                return events, set()
            case Extend(seconds=seconds):
                if seconds <= 0:
                    return None, {"bad_extension"}
                assert self.close is not None
                self.close += seconds * 1000
                return [ev("CloseExtended", now, closes_at=self.close, by="organiser")], set()
            case Close():
                return [self.closed(now, "organiser", self.leader())], set()
            case Cancel():
                self.phase = Phase.CANCELLED
                return [ev("AuctionCancelled", now)], set()
            case Block(bidder=bidder):
                if bidder not in self.seats:
                    return None, {"unknown_bidder"}
                if bidder in self.blocked:
                    return None, {"already_blocked"}
                self.blocked.add(bidder)
                events = [ev("BidderBlocked", now, bidder=bidder)]
                if self.phase is Phase.OPEN and self.fmt == "rounds" and self.on_turn == bidder:
                    events += [self.end_turn(now, "blocked"), *self.next_turn(now, now)]
                return events, set()
            case Unblock(bidder=bidder):
                if bidder not in self.seats:
                    return None, {"unknown_bidder"}
                if bidder not in self.blocked:
                    return None, {"not_blocked"}
                self.blocked.discard(bidder)
                return [ev("BidderUnblocked", now, bidder=bidder)], set()
        raise AssertionError(command)

    def enter_bid(self, now: int, command: EnterBid) -> tuple[list[dict[str, Any]] | None, set[str]]:
        """The phone fallback: a bidder's command entered by the organiser, with a reason, under every rule."""
        if self.phase is not Phase.OPEN:
            return None, {PHASE_CODE[self.phase]}
        if not command.reason.strip():
            return None, {"reason_required"}
        gate = self.bidder_gate(now)
        if gate:
            return None, gate
        if not command.bid_id:
            return None, {"bad_bid"}
        if self.fmt != "rounds":  # the level sets the prices: the organiser names the level only
            if command.prices.strip():
                return None, {"bad_bid"}
            if command.level < 0:
                return None, {"bad_level"}
            return self.accept(now, command.bidder, command.bid_id, command.level, "organiser")
        if command.level != -1:
            return None, {"wrong_format"}
        texts = dict(part.split("=") for part in command.prices.split(","))
        prices = {k: round(Fraction(v) * 100) for k, v in texts.items()}
        return self.bid(now, command.bidder, command.bid_id, texts, prices, "organiser")


# ------------------------------------------------------------------------------------------------ configs


@st.composite
def level_configs(draw: st.DrawFn, fmt: str) -> AuctionConfig:
    lines = tuple(
        Line(
            f"L{n}",
            f"line {n}",
            "unit",
            draw(st.sampled_from((1, 3, 250))),
            draw(st.sampled_from((1, 2, 3, 7, 99, 200, 2_500))),
        )
        for n in range(2)
    )
    fewest = 3 if fmt == "japanese" else 2  # Japanese: room to drop out
    config = dataclasses.replace(
        make_config(lines=lines, bidders=SEATS[: draw(st.integers(min_value=fewest, max_value=4))]),
        format=fmt,
        level_step_percent=draw(st.sampled_from(("5", "10", "12.5", "25", "33"))),
        level_floor_percent=draw(st.sampled_from(("40", "50", "75", "90", "100"))),
        level_interval_s=draw(st.sampled_from((5, 10, 30))),
    )
    return config  # tiny ceilings (1, 2, 3 units) at low levels give prices that round to 0: one unit instead


@st.composite
def rounds_configs(draw: st.DrawFn) -> AuctionConfig:
    return dataclasses.replace(
        bidding_config(draw),
        format="rounds",
        decrement_basis=draw(st.sampled_from(("own", "own", "best"))),
        ties=draw(st.sampled_from(("by_time", "by_time", "refused"))),
        rounds=draw(st.integers(min_value=1, max_value=3)),
        turn_s=draw(st.sampled_from((5, 10, 30))),
        initial_offers_s=draw(st.sampled_from((10, 60))),
    )


# ------------------------------------------------------------------------------------------------ the machines


class FormatMachine(ModelMachine):
    """What every format shares: the model's bookkeeping, time, the organiser and the invariants (besides the
    harness's)."""

    STREAM = "sm-formats"
    m: Model

    def setup(self, config: AuctionConfig, lead: int, opened: bool) -> None:
        self.begin_with(Model(config), config, lead, opened)

    def new_id(self) -> str:
        self.counter += 1
        return f"bid-{self.counter}"

    def some_id(self, reuse: int, pick: int) -> str:
        used = sorted(self.m.bid_ids)
        return used[pick % len(used)] if used and reuse == 0 else self.new_id()

    # ------------------------------------------------------------------------------------------ time

    def period_ms(self) -> int:
        """How long a level or turn stands: time steps are scaled to it, so most of them stay within one."""
        return (self.config.turn_s if self.m.fmt == "rounds" else self.config.level_interval_s) * 1000

    @rule(share=st.integers(min_value=0, max_value=1_000), tick=st.booleans())
    def time_passes(self, share: int, tick: bool) -> None:
        """Up to one level's or turn's length (in thousandths of it)."""
        self.now += self.period_ms() * share // 1_000
        if tick:
            self.tick()

    @precondition(lambda self: self.m.phase in (Phase.OPEN, Phase.PAUSED))
    @rule(past=st.integers(min_value=-1, max_value=70_000), tick=st.booleans())
    def reach_the_deadline(self, past: int, tick: bool) -> None:
        """To just before, at, or one or more levels/turns past the standing deadline."""
        assert self.m.close is not None
        self.now = max(self.now, self.m.close + past)
        if tick:
            self.tick()

    # ------------------------------------------------------------------------------------------ organiser

    @precondition(lambda self: self.m.phase is Phase.PAUSED)
    @rule(
        ms=st.integers(min_value=0, max_value=30_000),
        reason=st.sampled_from(("solved", " ")),
        seconds=st.sampled_from((0, 0, 0, 1, 20, -1)),
    )
    def resume(self, ms: int, reason: str, seconds: int) -> None:
        self.now += ms
        self.organiser(Resume(reason=reason, seconds=seconds))

    @precondition(lambda self: self.m.phase in (Phase.OPEN, Phase.PAUSED))
    @rule(seconds=st.integers(min_value=-5, max_value=60), reason=st.sampled_from(("bidder asked", "")))
    def extend(self, seconds: int, reason: str) -> None:
        self.organiser(Extend(reason=reason, seconds=seconds))

    @precondition(lambda self: self.m.phase in LIVE)
    @rule(reason=st.sampled_from(("tender withdrawn", "")), go=st.integers(0, 999))
    def cancel(self, reason: str, go: int) -> None:
        if rarely(go, 15):
            self.organiser(Cancel(reason=reason))

    @precondition(lambda self: self.m.phase in LIVE)
    @rule(who=st.sampled_from(WHO), reason=st.sampled_from(("misconduct", "misconduct", "")), go=st.integers(0, 999))
    def block(self, who: str, reason: str, go: int) -> None:
        if rarely(go, 3):
            self.organiser(Block(reason=reason, bidder=who))

    @precondition(lambda self: self.m.phase in LIVE)
    @rule(who=st.sampled_from(WHO), reason=st.sampled_from(("cleared", "cleared", "")), go=st.integers(0, 999))
    def unblock(self, who: str, reason: str, go: int) -> None:
        if self.m.blocked or rarely(go, 4):
            self.organiser(Unblock(reason=reason, bidder=who))

    # ------------------------------------------------------------------------------------------ invariants

    @invariant()
    def model_matches_core_on_the_format(self) -> None:
        """Besides the harness's ``model_matches_core``."""
        s, m = self.state, self.m
        assert [who for who, _ in s.ranking()] == m.ranking()
        assert {who: bid.total for who, bid in s.ranking()} == {who: o.total for who, o in m.offers.items()}
        if m.fmt == "rounds":
            assert s.round == m.round
            if m.round > 0:
                assert (s.turn_order, s.turn_position) == (m.order, m.position)
        else:
            assert s.level == m.level
            assert s.dropped == frozenset(m.out)
            assert s.accepted == frozenset(m.took)
            assert [(level.prices, level.total) for level in self.config.levels] == m.levels

    @invariant()
    def the_winner_is_the_one_the_rules_name(self) -> None:
        if self.state.phase is Phase.CLOSED:
            assert self.state.leader() == self.m.winner

    @invariant()
    def the_event_log_follows_the_format(self) -> None:
        """A walk over the recorded events alone (not the model): the format's rules hold at every event."""
        walk = LogWalk(self.config, self.m.levels)
        for n, event in enumerate(self.events):
            walk.step(event, self.events[n + 1] if n + 1 < len(self.events) else None)


class LogWalk:
    """Folds the recorded events with its own bookkeeping and asserts each format rule as it goes."""

    def __init__(self, cfg: AuctionConfig, levels: list[tuple[dict[str, int], int]]) -> None:
        self.cfg = cfg
        self.fmt = cfg.format
        self.levels = levels  # the model's own, checked against the config's by model_matches_core_on_the_format
        self.seats = tuple(seat.bidder for seat in cfg.seats)
        self.phase: Phase | None = None
        self.deadline: int | None = None
        self.level: int | None = None
        self.took: set[str] = set()
        self.out: set[str] = set()
        self.blocked: set[str] = set()
        self.offers: dict[str, tuple[int, int]] = {}  # bidder -> (total, order)
        self.accepted = 0
        self.round, self.order, self.position = 0, (), -1
        self.turn: str | None = None

    def rest_blocked(self, upto: int) -> bool:
        return all(self.order[q] in self.blocked for q in range(self.position + 1, upto))

    def step(self, e: Event, following: Event | None) -> None:  # noqa: C901 - one branch per event type
        cfg = self.cfg
        match e:
            case AuctionCreated():
                self.phase = Phase.SCHEDULED
            case AuctionOpened(closes_at=closes_at):
                assert self.phase is Phase.SCHEDULED
                self.phase, self.deadline = Phase.OPEN, closes_at
            case AuctionPaused():
                self.phase = Phase.PAUSED
            case AuctionResumed(closes_at=closes_at):
                self.phase, self.deadline = Phase.OPEN, closes_at
            case CloseExtended(closes_at=closes_at):
                assert self.deadline is not None and closes_at > self.deadline
                self.deadline = closes_at
            case LevelStarted():
                assert cfg.by_levels and self.phase is Phase.OPEN and self.deadline is not None
                if self.level is None:
                    assert e.level == 0 and e.ends_at == self.deadline
                else:
                    assert e.level == self.level + 1
                    assert e.at >= self.deadline and e.ends_at == self.deadline + cfg.level_interval_s * 1000
                    previous = self.levels[self.level][1]
                    assert e.total < previous if self.fmt == "japanese" else e.total > previous
                    if self.fmt == "japanese":
                        assert len(self.took) >= 2  # two or more still in
                assert e.total == self.levels[e.level][1]
                self.level, self.took, self.deadline = e.level, set(), e.ends_at
            case BidderDroppedOut(bidder=bidder, level=level):
                assert self.fmt == "japanese" and level == self.level
                assert self.deadline is not None and e.at >= self.deadline
                assert bidder not in self.took and bidder not in self.out
                self.out.add(bidder)
            case BidAccepted(bidder=bidder, prices=prices, total=total):
                assert self.phase is Phase.OPEN and self.deadline is not None and e.at < self.deadline
                assert bidder in self.seats and bidder not in self.blocked
                if cfg.by_levels:
                    assert self.level is not None and (prices, total) == self.levels[self.level]
                    if self.fmt == "japanese":
                        assert bidder not in self.out and bidder not in self.took  # a dropped-out bidder never bids
                    else:
                        assert self.accepted == 0  # the first acceptance closes a Dutch auction ...
                        assert isinstance(following, AuctionClosed) and following.by == "acceptance"  # ... at once
                    self.took.add(bidder)
                else:
                    assert self.round == 0 or bidder == self.turn  # only the bidder on turn bids in a round
                    assert all(0 < prices[line.id] <= line.ceiling for line in cfg.lines)
                    assert total == weighted(cfg, prices)
                    if bidder in self.offers:
                        previous = self.offers[bidder][0]
                        assert previous - total >= minimum_decrement(cfg, previous)
                    if self.round > 0 and cfg.decrement_basis == "best" and self.offers:
                        best = min(t for t, _ in self.offers.values())
                        assert best - total >= minimum_decrement(cfg, best)
                    if self.round > 0 and cfg.ties == "refused":
                        assert all(t != total for b, (t, _) in self.offers.items() if b != bidder)
                self.offers[bidder] = (total, self.accepted)
                self.accepted += 1
            case TurnStarted():
                assert self.fmt == "rounds" and self.phase is Phase.OPEN and self.turn is None
                if e.round == self.round and self.round > 0:  # the next turn of the same round
                    assert e.order == self.order and e.position > self.position
                    assert self.rest_blocked(e.position)  # only blocked bidders are skipped
                else:  # a new round: the last one was complete, the new order is worst-ranked first
                    assert e.round == self.round + 1 <= cfg.rounds and e.position == 0
                    assert self.rest_blocked(len(self.order))
                    assert e.order == round_order(self.seats, self.offers, self.blocked)
                assert e.bidder == e.order[e.position] and e.bidder not in self.blocked
                self.round, self.order, self.position, self.turn = e.round, e.order, e.position, e.bidder
                self.deadline = e.ends_at
            case TurnEnded(bidder=bidder):
                assert bidder == self.turn and e.round == self.round
                self.turn = None
            case BidderBlocked(bidder=bidder):
                assert bidder in self.seats and bidder not in self.blocked
                self.blocked.add(bidder)
            case BidderUnblocked(bidder=bidder):
                assert bidder in self.blocked
                self.blocked.discard(bidder)
            case AuctionClosed(by=by):
                assert self.phase in (Phase.OPEN, Phase.PAUSED)
                if by == "schedule":
                    assert cfg.by_levels and self.phase is Phase.OPEN
                    assert self.deadline is not None and e.at >= self.deadline
                    if self.fmt == "japanese":
                        assert len(self.took) < 2 or self.level == len(self.levels) - 1
                    if self.fmt == "dutch":
                        assert self.level == len(self.levels) - 1
                elif by == "rounds":  # after the last turn of the last round (or when nobody may bid)
                    assert self.fmt == "rounds" and self.phase is Phase.OPEN
                    assert self.turn is None and self.rest_blocked(len(self.order))
                    assert self.round == cfg.rounds or not round_order(self.seats, self.offers, self.blocked)
                else:
                    assert by == "organiser" or (by == "acceptance" and self.fmt == "dutch")
                self.phase = Phase.CLOSED
            case AuctionCancelled():
                self.phase = Phase.CANCELLED
            case _:
                raise AssertionError(f"unexpected event {e}")


class LevelMachine(FormatMachine):
    """Japanese and Dutch: bidders accept announced levels."""

    TAKES: tuple[str, ...] = ()  # how many of those still in accept a level in ``a_level_passes``, per format

    def accept(self, who: str, level: int, bid_id: str, via: str, reason: str, tick: bool, prices: str = "") -> None:
        if tick:
            self.tick()
        if via == "organiser":
            command: Command = EnterBid(reason=reason, bidder=who, bid_id=bid_id, level=level, prices=prices)
            self.tick()  # the runner records a due deadline first
            self.decide_with_model(command, "organiser", command)
        else:
            self.decide_with_model(AcceptLevel(who, bid_id, level), "accept", who, bid_id, level, "bidder")

    @rule(
        who=st.sampled_from(WHO),
        which=st.sampled_from(("current", "current", "current", "stale", "future", "any")),
        reuse=st.integers(min_value=0, max_value=4),
        pick=st.integers(min_value=0, max_value=10**6),
        advance=st.integers(min_value=0, max_value=3_000),
        tick=st.booleans(),
        via=st.sampled_from(("bidder", "bidder", "bidder", "organiser")),
        reason=st.sampled_from(("phoned in", "phoned in", "", "no-id", "with-prices")),
    )
    def accept_a_level(
        self, who: str, which: str, reuse: int, pick: int, advance: int, tick: bool, via: str, reason: str
    ) -> None:
        self.now += advance
        current = self.m.level if self.m.level is not None else 0
        level = {
            "current": current,
            "stale": current - 1 - pick % 2,
            "future": current + 1 + pick % 2,
            "any": pick % (len(self.m.levels) + 2) - 1,
        }[which]
        bid_id = "" if reason == "no-id" else self.some_id(reuse, pick)
        prices = "L0=1.00" if reason == "with-prices" else ""  # the level sets the prices: naming any is refused
        self.accept(who, level, bid_id, via, reason if reason in ("", "phoned in") else "phoned in", tick, prices)

    @precondition(lambda self: self.m.phase is Phase.OPEN)
    @rule(
        order=st.permutations(SEATS),
        keep=st.integers(min_value=0, max_value=4),
        gap=st.integers(min_value=0, max_value=1_500),
    )
    def bidders_accept_the_level(self, order: list[str], keep: int, gap: int) -> None:
        """Several bidders accept the standing level, one after another, so auctions go on for a while."""
        for who in order[:keep]:
            self.now += gap
            level = self.m.level if self.m.level is not None else 0
            self.accept(who, level, self.new_id(), "bidder", "", False)

    @precondition(lambda self: self.m.phase is Phase.OPEN and bool(self.m.out))
    @rule(pick=st.integers(min_value=0, max_value=3), tick=st.booleans())
    def a_dropped_out_bidder_accepts(self, pick: int, tick: bool) -> None:
        """A bidder that dropped out tries to come back in at the standing level."""
        who = sorted(self.m.out)[pick % len(self.m.out)]
        self.accept(who, self.m.level or 0, self.new_id(), "bidder", "", tick)

    @precondition(lambda self: self.m.phase is Phase.OPEN and self.m.close is not None)
    @rule(
        order=st.permutations(SEATS),
        take=st.integers(min_value=0, max_value=5),
        gap=st.integers(0, 1_000),
        late=st.sampled_from((0, 0, 1, 2_500)),
    )
    def a_level_passes(self, order: list[str], take: int, gap: int, late: int) -> None:
        """Those still in (all, all but one, one or none of them) accept the standing level, then its time runs
        out and the tick records it."""
        while self.m.phase is Phase.OPEN and self.m.close is not None and self.now >= self.m.close:
            self.tick()  # catch up with the levels whose time ran out: the bidders accept the standing one
        still_in = [b for b in order if b in self.m.seats and b not in self.m.out]
        keep = {"all": len(still_in), "all_but_one": len(still_in) - 1, "one": 1, "none": 0}[self.TAKES[take]]
        self.bidders_accept_the_level(still_in, keep, gap)
        if self.m.phase is Phase.OPEN and self.m.close is not None:
            self.now = max(self.now, self.m.close + late)  # the tick is on time, or late
            self.tick()
        if self.m.phase is Phase.OPEN and self.m.out and take % 2:
            self.a_dropped_out_bidder_accepts(take, False)  # and one that dropped out tries to come back

    @precondition(lambda self: self.m.phase in (Phase.SCHEDULED, Phase.OPEN))
    @rule(
        order=st.permutations(SEATS),
        takes=st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=5),
        gap=st.integers(0, 1_000),
        late=st.sampled_from((0, 0, 1, 2_500)),
    )
    def levels_pass(self, order: list[str], takes: list[int], gap: int, late: int) -> None:
        """Several levels in one step (the opening first, when it is due), so runs reach the deeper levels."""
        if self.m.phase is Phase.SCHEDULED:
            self.now = max(self.now, self.config.opens_at_ms)
            self.tick()
        for take in takes:
            if self.m.phase is Phase.OPEN:
                self.a_level_passes(order, take, gap, late)

    @precondition(lambda self: self.m.phase is Phase.OPEN and self.m.close is not None)
    @rule(who=st.sampled_from(SEATS), early=st.integers(min_value=0, max_value=1))
    def accept_at_the_last_moment(self, who: str, early: int) -> None:
        """At the level's last millisecond (accepted) or at its end (too late)."""
        assert self.m.close is not None
        self.now = max(self.now, self.m.close - early)
        self.accept(who, self.m.level or 0, self.new_id(), "bidder", "", False)

    @rule(who=st.sampled_from(WHO), kind=st.sampled_from(("bid", "pass")))
    def wrong_format(self, who: str, kind: str) -> None:
        """Prices typed in, or a turn passed: not how a Japanese or Dutch auction takes bids."""
        if kind == "bid":
            texts = {line.id: shown(line.ceiling) for line in self.config.lines}
            prices = {line.id: line.ceiling for line in self.config.lines}
            bid_id = self.new_id()
            self.decide_with_model(PlaceBid(who, bid_id, texts), "bid", who, bid_id, texts, prices, "bidder")
        else:
            self.decide_with_model(PassTurn(who), "pass_turn", who)


class JapaneseMachine(LevelMachine):
    TAKES = ("all", "all", "all", "all_but_one", "one", "none")  # mostly two or more stay in: levels go on

    @initialize(config=level_configs("japanese"), lead=st.integers(min_value=0, max_value=5_000), opened=st.booleans())
    def create(self, config: AuctionConfig, lead: int, opened: bool) -> None:
        self.setup(config, lead, opened)


class DutchMachine(LevelMachine):
    TAKES = ("none", "none", "none", "none", "one", "all")  # mostly nobody accepts: the price rises

    @initialize(config=level_configs("dutch"), lead=st.integers(min_value=0, max_value=5_000), opened=st.booleans())
    def create(self, config: AuctionConfig, lead: int, opened: bool) -> None:
        self.setup(config, lead, opened)


BID_MODES = ("ceiling", "own_limit", "limit", "undercut_best", "random", "above_ceiling", "zero")


class RoundsMachine(FormatMachine):
    # Besides a resume with a new close, a deadline moves earlier by rule when a turn after a bid, pass or block
    # starts (and ends) early.
    EARLIER_BY_RULE = ("new close", "TurnStarted")

    @initialize(config=rounds_configs(), lead=st.integers(min_value=0, max_value=5_000), opened=st.booleans())
    def create(self, config: AuctionConfig, lead: int, opened: bool) -> None:
        self.setup(config, lead, opened)

    def prices_for(self, who: str, mode: str, line: int, jitter: int, noise: int) -> dict[str, int]:
        cfg = self.config
        ceilings = {ln.id: ln.ceiling for ln in cfg.lines}
        own = self.m.offers.get(who)
        best = self.m.offers.get(self.m.leader() or "")
        target = cfg.lines[line]
        prices = dict(own.prices if own else ceilings)
        if mode == "ceiling":
            prices = dict(ceilings)
        elif mode == "own_limit" and own is not None:
            needed = minimum_decrement(cfg, own.total)
            prices[target.id] -= max(0, -(-needed // target.volume) + jitter)
        elif mode == "limit":  # just within every decrement rule in force (or, with jitter -1, just outside)
            limits = [own.total - minimum_decrement(cfg, own.total)] if own is not None else []
            if best is not None and cfg.decrement_basis == "best" and self.m.round > 0:
                limits.append(best.total - minimum_decrement(cfg, best.total))
            needed = weighted(cfg, prices) - min(limits) if limits else 0
            prices[target.id] -= max(0, -(-needed // target.volume) + jitter)
        elif mode == "own_limit":
            prices[target.id] -= abs(jitter)
        elif mode == "undercut_best" and best is not None:
            prices = dict(best.prices)
            prices[target.id] -= 1 + abs(jitter)
        elif mode == "random":
            prices[target.id] = noise % (target.ceiling + target.ceiling // 5 + 2)
        elif mode == "above_ceiling":
            prices[target.id] = target.ceiling + 1 + abs(jitter)
        elif mode == "zero":
            prices[target.id] = 0
        return prices

    def place(
        self, who: str, mode: str, line: int, jitter: int, noise: int, form: str, reuse: int, via: str, tick: bool
    ) -> None:
        if tick:
            self.tick()
        prices = self.prices_for(who, mode, line, jitter, noise)
        texts, readable = written(prices, self.config.lines[line].id, form)
        bid_id = self.some_id(reuse, noise)
        if via == "organiser" and form == "plain" and not any(v < 0 for v in prices.values()):
            level = 0 if noise % 7 == 3 else -1  # naming a level is for the Japanese and Dutch formats
            command = EnterBid(
                level=level,
                reason="phoned in",
                bidder=who,
                bid_id=bid_id,
                prices=",".join(f"{k}={v}" for k, v in texts.items()),
            )
            self.tick()  # the runner records a due deadline first
            self.decide_with_model(command, "organiser", command)
        else:
            self.decide_with_model(PlaceBid(who, bid_id, texts), "bid", who, bid_id, texts, readable, "bidder")

    @rule(
        who=st.sampled_from(WHO),
        mode=st.sampled_from(BID_MODES),
        line=st.integers(min_value=0, max_value=1),
        jitter=st.integers(min_value=-1, max_value=2),
        noise=st.integers(min_value=0, max_value=10**6),
        form=st.sampled_from(TEXT_FORMS),
        reuse=st.integers(min_value=0, max_value=5),
        via=st.sampled_from(("bidder", "bidder", "organiser")),
        tick=st.booleans(),
    )
    def bid_anyone(
        self, who: str, mode: str, line: int, jitter: int, noise: int, form: str, reuse: int, via: str, tick: bool
    ) -> None:
        self.place(who, mode, line, jitter, noise, form, reuse, via, tick)

    @precondition(lambda self: self.m.phase is Phase.OPEN)
    @rule(
        who=st.sampled_from(SEATS),
        line=st.integers(min_value=0, max_value=1),
        jitter=st.integers(min_value=-1, max_value=2),
        advance=st.integers(min_value=0, max_value=6_000),
    )
    def bid_on_turn(self, who: str, line: int, jitter: int, advance: int) -> None:
        """The bidder on turn (in the initial-offer stage: anyone) improves its offer, around the decrement."""
        self.now += advance
        bidder = self.m.on_turn if self.m.round > 0 and self.m.on_turn else who
        self.place(bidder, "limit", line, jitter, 1, "plain", 1, "bidder", False)

    @precondition(lambda self: self.m.phase in (Phase.SCHEDULED, Phase.OPEN))
    @rule(
        plan=st.lists(st.sampled_from(("bid", "bid", "bid", "pass", "pass", "wait", "block")), min_size=1, max_size=6),
        line=st.integers(min_value=0, max_value=1),
        jitter=st.integers(min_value=0, max_value=2),
        gap=st.integers(min_value=0, max_value=3_000),
    )
    def turns_pass(self, plan: list[str], line: int, jitter: int, gap: int) -> None:
        """Several turns in one step (the opening first, when it is due): the bidder on turn bids, passes or lets
        its time run out; in the initial-offer stage the bidders make offers in seat order, then time runs out."""
        if self.m.phase is Phase.SCHEDULED:
            self.now = max(self.now, self.config.opens_at_ms)
            self.tick()
        for n, step in enumerate(plan):
            while self.m.phase is Phase.OPEN and self.m.close is not None and self.now >= self.m.close:
                self.tick()  # catch up with turns whose time ran out, as the runner does before a command
            if self.m.phase is not Phase.OPEN or self.m.close is None:
                return
            self.now += min(gap, self.m.close - self.now - 1)
            if step == "wait" or (self.m.round == 0 and step != "bid"):
                self.now = self.m.close
                self.tick()
            elif step == "block":  # the organiser blocks the bidder on turn: its turn ends, the next starts
                assert self.m.on_turn is not None
                self.organiser(Block(reason="misconduct", bidder=self.m.on_turn))
            elif self.m.round == 0:
                self.place(
                    self.m.seats[n % len(self.m.seats)], "own_limit", line, jitter, 1, "plain", 1, "bidder", False
                )
            elif step == "bid":
                assert self.m.on_turn is not None
                self.place(self.m.on_turn, "limit", line, jitter, 1, "plain", 1, "bidder", False)
            else:
                assert self.m.on_turn is not None
                self.decide_with_model(PassTurn(self.m.on_turn), "pass_turn", self.m.on_turn)

    @precondition(lambda self: self.m.phase is Phase.OPEN and self.m.round > 0)
    @rule(pick=st.integers(min_value=0, max_value=3), line=st.integers(min_value=0, max_value=1))
    def bid_off_turn(self, pick: int, line: int) -> None:
        """A bidder that is not on turn sends a bid that would otherwise be valid."""
        others = [b for b in self.m.seats if b != self.m.on_turn]
        self.place(others[pick % len(others)], "limit", line, 1, 1, "plain", 1, "bidder", False)

    @precondition(lambda self: self.m.phase in (Phase.OPEN, Phase.PAUSED) and self.m.on_turn is not None)
    @rule(reason=st.sampled_from(("misconduct", "misconduct", "")))
    def block_the_bidder_on_turn(self, reason: str) -> None:
        assert self.m.on_turn is not None
        self.organiser(Block(reason=reason, bidder=self.m.on_turn))

    @rule(who=st.sampled_from(WHO), on_turn=st.booleans(), advance=st.integers(0, 6_000), tick=st.booleans())
    def pass_turn(self, who: str, on_turn: bool, advance: int, tick: bool) -> None:
        self.now += advance
        if tick:
            self.tick()
        bidder = self.m.on_turn if on_turn and self.m.on_turn else who
        self.decide_with_model(PassTurn(bidder), "pass_turn", bidder)

    @precondition(lambda self: self.m.phase is Phase.OPEN and self.m.close is not None)
    @rule(early=st.integers(min_value=0, max_value=1), pass_it=st.booleans())
    def act_at_the_last_moment(self, early: int, pass_it: bool) -> None:
        """At the turn's last millisecond (in time) or at its end (too late)."""
        assert self.m.close is not None
        self.now = max(self.now, self.m.close - early)
        bidder = self.m.on_turn or SEATS[0]
        if pass_it:
            self.decide_with_model(PassTurn(bidder), "pass_turn", bidder)
        else:
            self.place(bidder, "limit", 0, 0, 1, "plain", 1, "bidder", False)

    @rule(who=st.sampled_from(WHO))
    def accept_a_level(self, who: str) -> None:
        """An acceptance of a level: not how an auction in rounds takes bids."""
        bid_id = self.new_id()
        self.decide_with_model(AcceptLevel(who, bid_id, 0), "accept", who, bid_id, 0, "bidder")


MACHINE_SETTINGS = settings(
    max_examples=60, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestJapaneseMachine = JapaneseMachine.TestCase
TestJapaneseMachine.settings = MACHINE_SETTINGS
TestDutchMachine = DutchMachine.TestCase
TestDutchMachine.settings = MACHINE_SETTINGS
TestRoundsMachine = RoundsMachine.TestCase
TestRoundsMachine.settings = MACHINE_SETTINGS


def test_a_level_whose_price_rounds_to_zero_can_be_accepted() -> None:
    """Found by the Dutch machine: ``price_levels`` rounded a small ceiling's price to 0 units at a low level
    (1 unit at 50 % is 0.5, which rounds to 0), a level every acceptance of which was refused. A level's price is
    now at least one unit."""
    lines = (Line("A", "thickener sachet", "sachet", 100, 1), Line("B", "tube feed", "pack", 500, 400))
    config = dataclasses.replace(
        make_config(lines=lines), format="dutch", level_step_percent="10", level_floor_percent="50"
    )
    first = config.levels[0]
    assert first.prices == {"A": 1, "B": 200}  # line A stays at one unit
    state = open_auction(config)
    state, result = run(state, AcceptLevel("s1", "b1", first.index), T0 + 1_000)
    assert not isinstance(result, Rejection), f"{result.code}: {result.message}"
