"""A model-based Hypothesis state machine over the pure core for the reverse English format with its options.

Every run draws its own rules: the decrement against the bidder's own previous total or the best offer, ties
ranked by time or refused, the anti-sniping trigger (``improving``, ``lead``, ``top_k``) counted from the bid or
from the close, fixed or quiet-period closing, and quality weighting (MEAT, formula ``factor`` or ``bonus``)
with a quality score per seat. The machine's model is written from ``docs/rules.md`` (sections 2, 3, 5 and 7),
not from the core's code: it computes the ranked figure itself and predicts, for every command, the events the
core must record or that it must refuse. The real journal, the clock, the tick recorded before each organiser
command (bids are also sent without it) and the organiser's common controls are the shared harness's (see
:mod:`tests.machine_harness`).

Invariants after every step, besides the model agreeing with the core event for event: a walk over the
recorded events finds every accepted bid within the rules in force (decrements, the best offer, ties, on the
ranked figures it computes itself), inside the open phase and before the deadline, and every automatic move of
the close made by the closing rule in force (anti-sniping only with fixed closing and within
``max_extensions``, the quiet period only with quiet closing and never beyond the latest close); the close never
moves earlier except by the organiser's resume with a new close; the ranking is the lowest ranked figure first
(earlier on a tie); the journal has no gaps and its hash chain verifies; a replay equals the live state.
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from auction.rules.config import AuctionConfig, Line
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AuctionCancelled,
    AuctionClosed,
    AuctionCreated,
    AuctionOpened,
    AuctionPaused,
    AuctionResumed,
    BidAccepted,
    BidderBlocked,
    BidderUnblocked,
    Block,
    Cancel,
    Close,
    CloseExtended,
    EnterBid,
    Event,
    Extend,
    OrganiserCommand,
    Pause,
    PlaceBid,
    Rejection,
    Resume,
    Start,
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
    weighted,
    written,
)

SCORES = ("", "40", "80", "88.50", "100")


# ------------------------------------------------------------------------------------------------ ranked figures


def quality_bonus_or_factor(cfg: AuctionConfig, bidder: str) -> Fraction:
    """Section 2.1: factor = 1 − max_discount/100 × score/100; bonus = bonus_per_point × score, rounded half to
    even to whole units. A seat without a score counts as 0."""
    seat = next(s for s in cfg.seats if s.bidder == bidder)
    score = Fraction(seat.quality_score or "0")
    if cfg.meat_formula == "factor":
        assert cfg.meat_max_discount_percent is not None
        return 1 - Fraction(cfg.meat_max_discount_percent) / 100 * score / 100
    assert cfg.meat_bonus_per_point is not None
    return Fraction(round(cfg.meat_bonus_per_point * score))


def ranked_figure(cfg: AuctionConfig, bidder: str, total: int) -> int:
    if cfg.meat_formula is None:
        return total
    weight = quality_bonus_or_factor(cfg, bidder)
    if cfg.meat_formula == "factor":
        return round(total * weight)  # Fraction: rounds half to even
    return total - int(weight)


def highest_total_ranked_at_most(cfg: AuctionConfig, bidder: str, figure: int) -> int:
    """The bid to beat in the bidder's own terms: the highest total whose ranked figure is at most ``figure``
    (-1 when there is none). Found by bisection: the ranked figure never falls as the total rises."""
    low, high = -1, cfg.ceiling_total
    while low < high:
        middle = (low + high + 1) // 2
        if ranked_figure(cfg, bidder, middle) <= figure:
            low = middle
        else:
            high = middle - 1
    return low


# ------------------------------------------------------------------------------------------------ the model


@dataclass(frozen=True)
class Offer:
    prices: dict[str, int]
    total: int
    ranked: int
    order: int


class EnglishModel:
    """The reverse English format with its options, as this test reads ``docs/rules.md``."""

    def __init__(self, cfg: AuctionConfig) -> None:
        self.cfg = cfg
        self.seats = tuple(seat.bidder for seat in cfg.seats)
        self.phase = Phase.SCHEDULED
        self.close: int | None = None
        self.latest: int | None = None  # quiet closing: the latest the close may move to
        self.paused_at: int | None = None
        self.extensions = 0
        self.blocked: set[str] = set()
        self.bid_ids: set[str] = set()
        self.offers: dict[str, Offer] = {}
        self.count = 0

    def clone(self) -> EnglishModel:
        twin = copy.copy(self)
        twin.blocked, twin.bid_ids, twin.offers = set(self.blocked), set(self.bid_ids), dict(self.offers)
        return twin

    def ranking(self) -> list[str]:
        return sorted(self.offers, key=lambda b: (self.offers[b].ranked, self.offers[b].order))

    def best(self) -> Offer | None:
        ranking = self.ranking()
        return self.offers[ranking[0]] if ranking else None

    def open(self, now: int, by: str) -> list[dict[str, Any]]:
        cfg = self.cfg
        self.phase = Phase.OPEN
        quiet = cfg.closing == "quiet"
        self.close = now + (min(cfg.quiet_period_s, cfg.duration_s) if quiet else cfg.duration_s) * 1000
        self.latest = now + cfg.duration_s * 1000 if quiet else None
        return [ev("AuctionOpened", now, closes_at=self.close, by=by)]

    def tick(self, now: int) -> list[dict[str, Any]]:
        if self.phase is Phase.SCHEDULED and now >= self.cfg.opens_at_ms:
            return self.open(now, "schedule")
        if self.phase is Phase.OPEN and self.close is not None and now >= self.close:
            self.phase = Phase.CLOSED
            return [ev("AuctionClosed", now, by="schedule")]
        return []

    def bid(
        self, now: int, bidder: str, bid_id: str, texts: dict[str, str], prices: dict[str, int], entered_by: str
    ) -> tuple[list[dict[str, Any]] | None, set[str]]:
        cfg = self.cfg
        if self.phase is not Phase.OPEN:
            return None, {PHASE_CODE[self.phase]}
        assert self.close is not None
        if now >= self.close:
            return None, {"closed"}
        reasons = bid_refusals(cfg, bidder, bid_id, texts, prices, self.bid_ids, self.blocked)
        if reasons or not set(prices) >= {line.id for line in cfg.lines}:
            return None, reasons
        total = weighted(cfg, prices)
        ranked = ranked_figure(cfg, bidder, total)
        own, best = self.offers.get(bidder), self.best()
        if own is not None and total > own.total - minimum_decrement(cfg, own.total):
            reasons.add("decrement_too_small")  # 3.4: on the total, against its own previous total
        # 3.4: the best figure minus the decrement of that figure's size (a MEAT bonus above the total makes the
        # figure negative; see test_a_bid_worse_than_the_best_offer_is_refused_even_with_negative_ranked_figures).
        beat = None if best is None else best.ranked - minimum_decrement(cfg, best.ranked)
        if cfg.decrement_basis == "best" and beat is not None and ranked > beat:
            reasons.add("must_beat_best")  # 3.4 basis best: on the ranked figure
        if cfg.ties == "refused" and any(o.ranked == ranked for b, o in self.offers.items() if b != bidder):
            reasons.add("tie_refused")
        if reasons:
            return None, reasons
        events = [
            ev("BidAccepted", now, bid_id=bid_id, bidder=bidder, prices=prices, total=total, entered_by=entered_by)
        ]
        moved = self.move_close(now, bidder, ranked)  # judged on the offers before this bid
        self.offers[bidder] = Offer(dict(prices), total, ranked, self.count)
        self.count += 1
        self.bid_ids.add(bid_id)
        return events + moved, set()

    def move_close(self, now: int, bidder: str, ranked: int) -> list[dict[str, Any]]:
        cfg = self.cfg
        assert self.close is not None
        if cfg.closing == "quiet":  # 5.3: a quiet period after the bid, never beyond the latest close
            assert self.latest is not None
            new_close = min(now + cfg.quiet_period_s * 1000, self.latest)
            if new_close <= self.close:
                return []
            self.close = new_close
            return [ev("CloseExtended", now, closes_at=new_close, by="quiet-period")]
        if now < self.close - cfg.extension_window_s * 1000:  # 5.4: outside the closing window
            return []
        if cfg.max_extensions is not None and self.extensions >= cfg.max_extensions:
            return []
        if cfg.extension_trigger == "lead":
            ranking = self.ranking()
            triggered = not ranking or (ranking[0] != bidder and ranked < self.offers[ranking[0]].ranked)
        elif cfg.extension_trigger == "top_k":
            ahead = sum(1 for b, o in self.offers.items() if b != bidder and o.ranked <= ranked)
            triggered = ahead < cfg.extension_top_k
        else:
            triggered = True
        new_close = (now if cfg.extension_from == "bid" else self.close) + cfg.extension_s * 1000
        if not triggered or new_close <= self.close:
            return []
        self.close = new_close
        self.extensions += 1
        return [ev("CloseExtended", now, closes_at=new_close, by="anti-sniping")]

    def organiser(self, now: int, command: OrganiserCommand) -> tuple[list[dict[str, Any]] | None, set[str]]:
        if isinstance(command, EnterBid):
            if self.phase is not Phase.OPEN:
                return None, {PHASE_CODE[self.phase]}
            if not command.reason.strip():
                return None, {"reason_required"}
            texts = dict(part.split("=") for part in command.prices.split(","))
            prices = {k: int(Decimal(v) * 100) for k, v in texts.items()}
            return self.bid(now, command.bidder, command.bid_id, texts, prices, "organiser")
        if self.phase not in ORGANISER_PHASES[type(command)]:
            return None, {"illegal_transition"}
        if not command.reason.strip():
            return None, {"reason_required"}
        due = self.phase is Phase.OPEN and self.close is not None and now >= self.close
        if isinstance(command, Pause | Extend | Close) and due:
            return None, {"closed"}
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
                new_close = now + seconds * 1000 if seconds else self.close + now - self.paused_at
                if self.latest is not None:  # the latest close moves as much as the close
                    self.latest += new_close - self.close
                self.close, self.phase, self.paused_at = new_close, Phase.OPEN, None
                return [ev("AuctionResumed", now, closes_at=new_close)], set()
            case Extend(seconds=seconds):
                if seconds <= 0:
                    return None, {"bad_extension"}
                assert self.close is not None
                self.close += seconds * 1000
                if self.latest is not None:
                    self.latest += seconds * 1000
                return [ev("CloseExtended", now, closes_at=self.close, by="organiser")], set()
            case Close():
                self.phase = Phase.CLOSED
                return [ev("AuctionClosed", now, by="organiser")], set()
            case Cancel():
                self.phase = Phase.CANCELLED
                return [ev("AuctionCancelled", now)], set()
            case Block(bidder=bidder):
                if bidder not in self.seats:
                    return None, {"unknown_bidder"}
                if bidder in self.blocked:
                    return None, {"already_blocked"}
                self.blocked.add(bidder)
                return [ev("BidderBlocked", now, bidder=bidder)], set()
            case Unblock(bidder=bidder):
                if bidder not in self.seats:
                    return None, {"unknown_bidder"}
                if bidder not in self.blocked:
                    return None, {"not_blocked"}
                self.blocked.discard(bidder)
                return [ev("BidderUnblocked", now, bidder=bidder)], set()
        raise AssertionError(command)


# ------------------------------------------------------------------------------------------------ configs


@st.composite
def english_configs(draw: st.DrawFn) -> AuctionConfig:
    config = bidding_config(
        draw,
        window_s=st.sampled_from((0, 30, 60, 60)),
        extension_s=st.sampled_from((0, 10, 60, 60)),
        max_extensions=st.sampled_from((None, None, 0, 1, 3)),
        duration_s=st.sampled_from((60, 300, 900)),
    )
    meat = draw(st.sampled_from((None, "factor", "bonus")))
    closing = draw(st.sampled_from(("fixed", "fixed", "quiet")))
    return dataclasses.replace(
        config,
        seats=tuple(dataclasses.replace(seat, quality_score=draw(st.sampled_from(SCORES))) for seat in config.seats),
        decrement_basis=draw(st.sampled_from(("own", "own", "best"))),
        ties=draw(st.sampled_from(("by_time", "by_time", "refused"))),
        extension_trigger=draw(st.sampled_from(("improving", "lead", "top_k"))),
        extension_top_k=draw(st.integers(min_value=1, max_value=3)),
        extension_from=draw(st.sampled_from(("bid", "close"))),
        closing=closing,
        quiet_period_s=draw(st.sampled_from((10, 30, 60))) if closing == "quiet" else 0,
        meat_formula=meat,
        meat_max_discount_percent=draw(st.sampled_from(("10", "25", "50"))) if meat == "factor" else None,
        meat_bonus_per_point=draw(st.sampled_from((1, 5, 50))) if meat == "bonus" else None,
    )


BID_MODES = ("ceiling", "own_limit", "beat_best", "take_lead", "match_best", "match_kth", "random", "above_ceiling")


class EnglishOptionsMachine(ModelMachine):
    STREAM = "sm-english-options"
    m: EnglishModel

    @initialize(config=english_configs(), lead=st.integers(min_value=0, max_value=5_000), opened=st.booleans())
    def create(self, config: AuctionConfig, lead: int, opened: bool) -> None:
        self.begin_with(EnglishModel(config), config, lead, opened)

    # ------------------------------------------------------------------------------------------ time

    @rule(ms=st.integers(min_value=0, max_value=10_000), tick=st.booleans())
    def time_passes(self, ms: int, tick: bool) -> None:
        self.now += ms
        if tick:
            self.tick()

    @precondition(lambda self: self.m.phase in (Phase.OPEN, Phase.PAUSED))
    @rule(into=st.integers(min_value=0, max_value=60_000), tick=st.booleans())
    def into_closing_window(self, into: int, tick: bool) -> None:
        assert self.m.close is not None
        start = self.m.close - self.config.extension_window_s * 1000
        self.now = max(self.now, min(start + into, self.m.close - 1))
        if tick:
            self.tick()

    @precondition(lambda self: self.m.phase in (Phase.OPEN, Phase.PAUSED))
    @rule(past=st.integers(min_value=0, max_value=5_000), tick=st.booleans(), go=st.integers(0, 999))
    def reach_the_close(self, past: int, tick: bool, go: int) -> None:
        if rarely(go, 3):  # rarer than bids, so auctions stay open long enough to be interesting
            assert self.m.close is not None
            self.now = max(self.now, self.m.close + past)
            if tick:
                self.tick()

    # ------------------------------------------------------------------------------------------ bids

    def prices_for(self, who: str, mode: str, line: int, jitter: int, noise: int) -> dict[str, int]:
        cfg = self.config
        ceilings = {ln.id: ln.ceiling for ln in cfg.lines}
        own = self.m.offers.get(who)
        best = self.m.best()
        target = cfg.lines[line]
        prices = dict(own.prices if own else ceilings)
        want: int | None = None  # the total to reach, at most
        if mode == "ceiling":
            prices = dict(ceilings)
        elif mode == "own_limit" and own is not None:
            want = own.total - minimum_decrement(cfg, own.total)
        elif mode in ("beat_best", "take_lead", "match_best", "match_kth") and best is not None and who in self.m.seats:
            others = sorted(o.ranked for b, o in self.m.offers.items() if b != who)
            kth = others[min(cfg.extension_top_k, len(others)) - 1] if others else best.ranked
            figure = {
                "beat_best": best.ranked - minimum_decrement(cfg, best.ranked),
                "take_lead": best.ranked - 1,
                "match_best": best.ranked,
                "match_kth": kth,  # equal to the K-th other offer: the edge of the top_k trigger
            }[mode]
            want = highest_total_ranked_at_most(cfg, who, figure)
            if own is not None:
                want = min(want, own.total - minimum_decrement(cfg, own.total))
            matched = [o for b, o in self.m.offers.items() if b != who and o.ranked == figure]
            if mode.startswith("match") and cfg.meat_formula is None and matched:
                return dict(matched[0].prices)  # exactly the same figure
        elif mode == "random":
            prices[target.id] = noise % (target.ceiling + target.ceiling // 5 + 2)
        elif mode == "above_ceiling":
            prices[target.id] = target.ceiling + 1 + abs(jitter)
        if want is not None:  # reach the total wanted as closely as whole units allow: large volumes first
            excess = weighted(cfg, prices) - want
            by_volume = sorted(cfg.lines, key=lambda ln: (-ln.volume, ln.id != target.id))
            for n, ln in enumerate(by_volume):
                units = -(-excess // ln.volume) if n == len(by_volume) - 1 else excess // ln.volume
                cut = max(0, min(units, prices[ln.id] - 1))
                prices[ln.id] -= cut
                excess -= cut * ln.volume
            prices[by_volume[-1].id] -= jitter
        return prices

    def bid(
        self, who: str, mode: str, line: int, jitter: int, noise: int, form: str, reuse: int, via: str, advance: int
    ) -> None:
        self.now += advance
        prices = self.prices_for(who, mode, line, jitter, noise)
        texts, readable = written(prices, self.config.lines[line].id, form)
        self.counter += 1
        used = sorted(self.m.bid_ids)
        bid_id = used[noise % len(used)] if used and reuse == 0 else f"bid-{self.counter}"
        if via == "organiser" and form == "plain" and all(v >= 0 for v in prices.values()):
            command = EnterBid(
                reason="phoned in", bidder=who, bid_id=bid_id, prices=",".join(f"{k}={v}" for k, v in texts.items())
            )
            self.organiser(command)
        else:
            self.decide_with_model(PlaceBid(who, bid_id, texts), "bid", who, bid_id, texts, readable, "bidder")

    @rule(
        who=st.sampled_from(WHO),
        mode=st.sampled_from(BID_MODES),
        line=st.integers(min_value=0, max_value=1),
        jitter=st.integers(min_value=-1, max_value=2),
        noise=st.integers(min_value=0, max_value=10**6),
        form=st.sampled_from(TEXT_FORMS),
        reuse=st.integers(min_value=0, max_value=6),
        via=st.sampled_from(("bidder", "bidder", "bidder", "organiser")),
        advance=st.integers(min_value=0, max_value=3_000),
    )
    def place_bid(
        self, who: str, mode: str, line: int, jitter: int, noise: int, form: str, reuse: int, via: str, advance: int
    ) -> None:
        self.bid(who, mode, line, jitter, noise, form, reuse, via, advance)

    @precondition(lambda self: self.m.phase is Phase.OPEN)
    @rule(
        who=st.sampled_from(SEATS),
        mode=st.sampled_from(("own_limit", "beat_best", "take_lead", "match_best")),
        line=st.integers(min_value=0, max_value=1),
        jitter=st.integers(min_value=0, max_value=1),
        advance=st.integers(min_value=0, max_value=2_000),
    )
    def valid_looking_bid_while_open(self, who: str, mode: str, line: int, jitter: int, advance: int) -> None:
        self.bid(who, mode, line, jitter, 1, "plain", 1, "bidder", advance)

    @precondition(lambda self: self.m.phase in (Phase.SCHEDULED, Phase.OPEN))
    @rule(
        bids=st.lists(
            st.tuples(
                st.sampled_from(SEATS),
                st.sampled_from(("own_limit", "beat_best", "take_lead", "match_best", "match_kth", "ceiling")),
                st.integers(min_value=0, max_value=1),
                st.integers(min_value=0, max_value=1),
            ),
            min_size=1,
            max_size=8,
        ),
        gap=st.integers(min_value=0, max_value=5_000),
        at_the_end=st.booleans(),
    )
    def bidding_war(self, bids: list[tuple[str, str, int, int]], gap: int, at_the_end: bool) -> None:
        """Several bids in one step (after the opening, when it is due), each a little later, before the close;
        perhaps in the closing window (or, closing quiet, within a quiet period of the latest close)."""
        if self.m.phase is Phase.SCHEDULED:
            self.now = max(self.now, self.config.opens_at_ms)
            self.tick()
        if at_the_end and self.m.phase is Phase.OPEN and self.m.close is not None:
            end, stretch = self.m.close, self.config.extension_window_s
            if self.m.latest is not None:
                end, stretch = self.m.latest, self.config.quiet_period_s
            self.now = max(self.now, min(end - stretch * 500, self.m.close - 1))  # halfway into the stretch
        for who, mode, line, jitter in bids:
            if self.m.phase is not Phase.OPEN or self.m.close is None:
                return
            self.now = max(self.now, min(self.now + gap, self.m.close - 1))
            self.bid(who, mode, line, jitter, 1, "plain", 1, "bidder", 0)

    @precondition(lambda self: self.m.phase is Phase.OPEN)
    @rule(
        who=st.sampled_from(SEATS),
        mode=st.sampled_from(("beat_best", "take_lead", "match_best", "match_kth", "own_limit", "ceiling")),
        line=st.integers(min_value=0, max_value=1),
        into=st.integers(min_value=0, max_value=60_000),
    )
    def bid_in_the_closing_window(self, who: str, mode: str, line: int, into: int) -> None:
        """Anti-sniping and the quiet period: move into the closing window (or, closing quiet, to within a quiet
        period of the latest close), then bid."""
        assert self.m.close is not None
        start = self.m.close - self.config.extension_window_s * 1000
        if self.m.latest is not None:
            start = self.m.latest - self.config.quiet_period_s * 1000
        self.now = max(self.now, min(start + into, self.m.close - 1))
        self.bid(who, mode, line, 0, 1, "plain", 1, "bidder", 0)

    @precondition(lambda self: self.m.phase is Phase.OPEN and len(self.m.offers) >= 1)
    @rule(pick=st.integers(min_value=0, max_value=3), kth=st.booleans(), into=st.integers(0, 9_999))
    def equal_figure_late_in_the_window(self, pick: int, kth: bool, into: int) -> None:
        """The edge of the triggers: late in the closing window (where an extension would move the close), a
        bidder matches the best figure or the K-th one."""
        assert self.m.close is not None
        reach = min(self.config.extension_window_s, self.config.extension_s) * 1000
        self.now = max(self.now, self.m.close - reach + into * reach // 10_000)
        if self.now >= self.m.close:
            return
        others = [b for b in self.m.seats if b != self.m.ranking()[0]]
        self.bid(others[pick % len(others)], "match_kth" if kth else "match_best", 0, 0, 1, "plain", 1, "bidder", 0)

    # ------------------------------------------------------------------------------------------ organiser

    @precondition(lambda self: self.m.phase is Phase.PAUSED)
    @rule(
        ms=st.integers(min_value=0, max_value=30_000),
        reason=st.sampled_from(("solved", " ")),
        seconds=st.sampled_from((0, 0, 0, 1, 20, 200, -1)),
    )
    def resume(self, ms: int, reason: str, seconds: int) -> None:
        self.now += ms
        self.organiser(Resume(reason=reason, seconds=seconds))

    @precondition(lambda self: self.m.phase in (Phase.OPEN, Phase.PAUSED))
    @rule(seconds=st.integers(min_value=-5, max_value=120), reason=st.sampled_from(("bidder asked", "")))
    def extend(self, seconds: int, reason: str) -> None:
        self.organiser(Extend(reason=reason, seconds=seconds))

    @precondition(lambda self: self.m.phase in LIVE)
    @rule(reason=st.sampled_from(("tender withdrawn", "")), go=st.integers(0, 999))
    def cancel(self, reason: str, go: int) -> None:
        if rarely(go, 30):
            self.organiser(Cancel(reason=reason))

    @precondition(lambda self: self.m.phase in LIVE)
    @rule(
        who=st.sampled_from(WHO),
        block=st.booleans(),
        reason=st.sampled_from(("misconduct", "")),
        go=st.integers(0, 999),
    )
    def block_or_unblock(self, who: str, block: bool, reason: str, go: int) -> None:
        if block and rarely(go, 3):
            self.organiser(Block(reason=reason, bidder=who))
        elif not block:
            self.organiser(Unblock(reason=reason, bidder=who))

    # ------------------------------------------------------------------------------------------ invariants

    @invariant()
    def model_matches_core_on_the_options(self) -> None:
        """Besides the harness's ``model_matches_core``."""
        s, m = self.state, self.m
        assert s.extensions == m.extensions
        if self.config.closing == "quiet" and m.phase in LIVE:
            assert s.latest_close == m.latest
        assert [(who, bid.total, bid.ranked) for who, bid in s.ranking()] == [
            (who, m.offers[who].total, m.offers[who].ranked) for who in m.ranking()
        ]

    @invariant()
    def the_event_log_follows_the_options(self) -> None:  # noqa: C901 - one branch per event type and rule
        """A walk over the recorded events alone (not the model), with ranked figures computed here."""
        cfg = self.config
        phase: Phase | None = None
        close: int | None = None
        latest: int | None = None
        offers: dict[str, tuple[int, int, int]] = {}  # bidder -> (total, ranked, order)
        blocked: set[str] = set()
        automatic = 0
        previous: Event | None = None
        for n, event in enumerate(self.events):
            match event:
                case AuctionCreated():
                    phase = Phase.SCHEDULED
                case AuctionOpened():
                    phase, close = Phase.OPEN, event.closes_at
                    latest = event.at + cfg.duration_s * 1000
                case AuctionPaused():
                    phase = Phase.PAUSED
                case AuctionResumed():
                    assert close is not None and latest is not None
                    latest += event.closes_at - close
                    phase, close = Phase.OPEN, event.closes_at
                case BidAccepted(bidder=bidder, total=total):
                    assert phase is Phase.OPEN and close is not None and event.at < close
                    assert bidder in {s.bidder for s in cfg.seats} and bidder not in blocked
                    assert all(0 < event.prices[ln.id] <= ln.ceiling for ln in cfg.lines)
                    assert total == weighted(cfg, event.prices)
                    ranked = ranked_figure(cfg, bidder, total)
                    if bidder in offers:
                        own = offers[bidder][0]
                        assert own - total >= minimum_decrement(cfg, own)
                    if cfg.decrement_basis == "best" and offers:
                        best = min(r for _, r, _ in offers.values())
                        assert best - ranked >= minimum_decrement(cfg, best)
                    if cfg.ties == "refused":
                        assert all(r != ranked for b, (_, r, _) in offers.items() if b != bidder)
                    offers[bidder] = (total, ranked, n)
                case CloseExtended(by=by):
                    assert close is not None and latest is not None and event.closes_at > close
                    if by == "organiser":
                        latest += event.closes_at - close
                    else:  # automatic: right after an accepted bid, by the closing rule in force
                        assert isinstance(previous, BidAccepted) and previous.at == event.at
                        if cfg.closing == "quiet":
                            assert by == "quiet-period" and event.closes_at <= latest
                        else:
                            assert by == "anti-sniping"
                            assert event.at >= close - cfg.extension_window_s * 1000
                            automatic += 1
                    close = event.closes_at
                case BidderBlocked(bidder=bidder):
                    blocked.add(bidder)
                case BidderUnblocked(bidder=bidder):
                    blocked.discard(bidder)
                case AuctionClosed(by=by):
                    assert by in ("schedule", "organiser")
                    if by == "schedule":
                        assert phase is Phase.OPEN and close is not None and event.at >= close
                    phase = Phase.CLOSED
                case AuctionCancelled():
                    phase = Phase.CANCELLED
                case _:
                    raise AssertionError(f"unexpected event {event}")
            previous = event
        assert automatic == self.state.extensions
        if cfg.max_extensions is not None:
            assert automatic <= cfg.max_extensions
        expected = sorted(offers, key=lambda b: offers[b][1:])
        assert [who for who, _ in self.state.ranking()] == expected


TestEnglishOptionsMachine = EnglishOptionsMachine.TestCase
TestEnglishOptionsMachine.settings = settings(
    max_examples=60, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def test_a_bid_worse_than_the_best_offer_is_refused_even_with_negative_ranked_figures() -> None:
    """Found while writing the model above: with formula ``bonus`` a bonus larger than the total gives a negative
    ranked figure, and a percentage decrement of a negative figure was negative, so the bid to beat lay *above*
    the best figure and a worse offer was accepted. The decrement is now a percentage of the figure's size."""
    base = make_config(lines=(Line("A", "thickener", "sachet", 1, 1000),), decrement_percent="10")
    seats = tuple(dataclasses.replace(seat, quality_score="100") for seat in base.seats)
    config = dataclasses.replace(
        base, seats=seats, meat_formula="bonus", meat_bonus_per_point=50, decrement_basis="best"
    )
    state = open_auction(config)
    state, _ = run(state, PlaceBid("s1", "b1", {"A": "5.00"}), T0 + 1_000)  # ranked 500 − 5,000 = −4,500
    best = state.best()
    assert best is not None and best.ranked == -4_500
    state, result = run(state, PlaceBid("s2", "b2", {"A": "5.40"}), T0 + 2_000)  # ranked −4,460: worse than best
    assert isinstance(result, Rejection) and result.code == "must_beat_best", result
