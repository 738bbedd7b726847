"""The worked examples of docs/rules.md, one test each, with the doc's numbers, on the pure core.

Every example uses the doc's example lot (tests.factories.make_config: line A 1,000 × ceiling 2.00, line B
500 × ceiling 4.00, bidders s1, s2, s3, 1 % decrement), an auction opening at 10:00:00 (T0) and running
10 minutes, and anti-sniping with a 2-minute window and a 2-minute extension. A rule and its example change
together: when a test here fails, the doc or the code is wrong.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from auction.rules.config import AuctionConfig, Line, price_levels
from auction.rules.core import INITIAL, AuctionState, decide, derive_contract
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AcceptLevel,
    AuctionCancelled,
    AuctionClosed,
    AuctionOpened,
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
    Create,
    DowntimeRecorded,
    EnterBid,
    Event,
    Extend,
    IntendAward,
    LevelStarted,
    PassTurn,
    Pause,
    PlaceBid,
    PracticeReset,
    RecordDowntime,
    Rejection,
    ResetPractice,
    Resume,
    Tick,
    TurnEnded,
    TurnStarted,
    Unblock,
)
from auction.tender.file import AuctionRulesFile, Tender
from tests.conftest import EXAMPLES
from tests.factories import T0, make_config, open_auction, run

RULES_MD = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


# ------------------------------------------------------------------------------------------------ helpers


def at(clock: str) -> int:
    """Server time (ms) of a wall-clock moment of the examples: the auction opens at 10:00:00 (T0)."""
    hours, minutes, seconds = (int(part) for part in clock.split(":"))
    return T0 + ((hours - 10) * 3600 + minutes * 60 + seconds) * 1000


def config(**changes: Any) -> AuctionConfig:
    """The doc's example auction (window and extension 2 minutes), with the given fields changed."""
    return dataclasses.replace(make_config(window_s=120, extension_s=120), **changes)


def scored(cfg: AuctionConfig, scores: dict[str, str]) -> AuctionConfig:
    """The seats with the given quality scores (MEAT)."""
    seats = tuple(dataclasses.replace(seat, quality_score=scores.get(seat.bidder, "")) for seat in cfg.seats)
    return dataclasses.replace(cfg, seats=seats)


def bid(bidder: str, bid_id: str, a: str, b: str, *, confirmed: bool = False) -> PlaceBid:
    return PlaceBid(bidder=bidder, bid_id=bid_id, prices={"A": a, "B": b}, confirmed=confirmed)


def accepted(state: AuctionState, command: Command, now: int) -> tuple[AuctionState, list[Event]]:
    """Run a command that must be accepted; its events."""
    state, result = run(state, command, now)
    assert isinstance(result, list), result
    return state, result


def refused(state: AuctionState, command: Command, now: int, code: str) -> Rejection:
    """Run a command that must be refused with ``code``; the state must not change."""
    after, result = run(state, command, now)
    assert isinstance(result, Rejection), result
    assert result.code == code, result
    assert after is state
    return result


def contract_of(state: AuctionState) -> dict[str, Any]:
    contract = derive_contract(state)
    assert isinstance(contract, dict), contract
    return contract


def ranking(state: AuctionState) -> list[str]:
    return [bidder for bidder, _ in state.ranking()]


# ------------------------------------------------------------------------------ 1. How an auction runs


def test_example_1_1_a_practice_auction_is_reset() -> None:
    """docs/rules.md, section 1, example 1.1."""
    state = open_auction(config(practice=True, auction_id="T-L1-practice"))
    state, _ = accepted(state, Block(reason="rehearse a block", bidder="s3"), at("10:00:30"))
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, _ = accepted(state, Close(reason="rehearsal done"), at("10:05:00"))
    refused(state, IntendAward(reason="try"), at("10:05:30"), "practice_cannot_award")

    state, events = accepted(state, ResetPractice(reason="second rehearsal", seconds=240), at("10:06:00"))
    assert events == [PracticeReset(at=at("10:06:00"), opens_at=at("10:10:00"), reason="second rehearsal")]
    assert state.phase is Phase.SCHEDULED
    assert state.standing == {} and state.bid_count == 0
    assert state.blocked == {"s3"}

    state, events = accepted(state, Tick(), at("10:10:00"))
    assert events == [AuctionOpened(at=at("10:10:00"), closes_at=at("10:20:00"), by="schedule", reason="scheduled")]
    refused(state, bid("s1", "b1", "1.90", "4.00"), at("10:11:00"), "duplicate_bid_id")
    state, _ = accepted(state, bid("s1", "b2", "1.90", "4.00"), at("10:11:00"))
    assert state.standing["s1"].total == 390_000


def test_example_1_2_a_live_auction_is_never_reset() -> None:
    """docs/rules.md, section 1, example 1.2."""
    state = open_auction(config())
    refused(state, ResetPractice(reason="start over"), at("10:01:00"), "not_practice")
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, _ = accepted(state, Close(reason="done"), at("10:05:00"))
    refused(state, ResetPractice(reason="start over"), at("10:06:00"), "not_practice")
    state, _ = accepted(state, IntendAward(reason="best offer"), at("10:07:00"))
    refused(state, ResetPractice(reason="start over"), at("10:08:00"), "illegal_transition")


# -------------------------------------------------------------------------------- 2. The ranked figure


def test_example_2_1_the_volume_weighted_total_ranks() -> None:
    """docs/rules.md, section 2, example 2.1."""
    state = open_auction(config())
    state, events = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    assert isinstance(events[0], BidAccepted) and events[0].total == 390_000
    state, events = accepted(state, bid("s2", "b2", "2.00", "3.70"), at("10:02:00"))
    assert isinstance(events[0], BidAccepted) and events[0].total == 385_000
    assert ranking(state) == ["s2", "s1"]


FACTOR = {"meat_formula": "factor", "meat_max_discount_percent": "10"}
BONUS = {"meat_formula": "bonus", "meat_bonus_per_point": 500}
SCORES = {"s1": "80", "s2": "40"}


def meat_auction(rules: dict[str, Any], **changes: Any) -> AuctionState:
    """Examples 2.2 and 2.4: s1 bids 4,000.00, s2 bids 3,850.00."""
    state = open_auction(scored(config(**rules, **changes), SCORES))
    state, _ = accepted(state, bid("s1", "b1", "2.00", "4.00"), at("10:01:00"))
    state, _ = accepted(state, bid("s2", "b2", "1.90", "3.90"), at("10:02:00"))
    return state


def test_example_2_2_the_factor_formula_changes_the_order() -> None:
    """docs/rules.md, section 2.1, example 2.2."""
    state = meat_auction(FACTOR)
    assert state.cfg.meat_weight("s1") == Fraction(92, 100)
    assert state.cfg.meat_weight("s2") == Fraction(96, 100)
    assert (state.standing["s1"].total, state.standing["s1"].ranked) == (400_000, 368_000)
    assert (state.standing["s2"].total, state.standing["s2"].ranked) == (385_000, 369_600)
    assert ranking(state) == ["s1", "s2"]
    # Without quality weighting the same bids rank the other way round.
    plain = open_auction(config())
    plain, _ = accepted(plain, bid("s1", "b1", "2.00", "4.00"), at("10:01:00"))
    plain, _ = accepted(plain, bid("s2", "b2", "1.90", "3.90"), at("10:02:00"))
    assert ranking(plain) == ["s2", "s1"]


def test_example_2_3_the_ranked_figure_is_rounded_half_to_even() -> None:
    """docs/rules.md, section 2.1, example 2.3."""
    cfg = scored(config(**FACTOR), {**SCORES, "s3": "88.50"})
    assert cfg.meat_weight("s3") == Fraction(9115, 10000)
    assert cfg.ranked_figure("s3", 385_000) == 350_928  # 3,509.275 → 3,509.28
    assert cfg.ranked_figure("s3", 387_000) == 352_750  # 3,527.505 → 3,527.50
    unscored = scored(config(**FACTOR), {"s2": "40"})
    assert unscored.meat_weight("s1") == 1
    assert unscored.ranked_figure("s1", 385_000) == 385_000


def test_example_2_4_the_bonus_formula_changes_the_order() -> None:
    """docs/rules.md, section 2.1, example 2.4."""
    state = meat_auction(BONUS)
    assert state.cfg.meat_weight("s1") == 40_000 and state.cfg.meat_weight("s2") == 20_000
    assert state.standing["s1"].ranked == 360_000
    assert state.standing["s2"].ranked == 365_000
    assert ranking(state) == ["s1", "s2"]


def test_example_2_5_the_bid_to_beat() -> None:
    """docs/rules.md, section 2.1, example 2.5."""
    state = open_auction(scored(config(**FACTOR, decrement_basis="best"), SCORES))
    state, _ = accepted(state, bid("s1", "b1", "2.00", "4.00"), at("10:01:00"))
    assert state.standing["s1"].ranked == 368_000
    cfg = state.cfg
    assert cfg.required_decrement(368_000) == 3_680
    assert cfg.max_total_for_ranked("s2", 368_000 - 3_680) == 379_500
    # Only taking the lead (no decrement): a ranked figure of at most 3,679.99.
    assert cfg.max_total_for_ranked("s2", 367_999) == 383_332
    assert cfg.ranked_figure("s2", 383_332) == 367_999
    assert cfg.ranked_figure("s2", 383_333) == 368_000

    rejection = refused(state, bid("s2", "b2", "1.90", "3.80"), at("10:02:00"), "must_beat_best")
    assert rejection.details == {"total": "3800.00", "max_total": "3795.00"}
    state, events = accepted(state, bid("s2", "b3", "1.90", "3.79"), at("10:02:10"))
    assert isinstance(events[0], BidAccepted) and events[0].total == 379_500
    assert state.standing["s2"].ranked == 364_320
    assert ranking(state) == ["s2", "s1"]


# ----------------------------------------------------------------------------- 3. What a bid must meet


def test_example_3_1_prices() -> None:
    """docs/rules.md, section 3.2, example 3.1."""
    state = open_auction(config())
    rejection = refused(state, bid("s1", "x", "2.01", "4.00"), at("10:01:00"), "above_ceiling")
    assert rejection.details == {"line": "A", "ceiling": "2.00"}
    assert refused(state, bid("s1", "x", "1.905", "4.00"), at("10:01:00"), "bad_price").details == {"line": "A"}
    assert refused(state, bid("s1", "x", "0", "4.00"), at("10:01:00"), "bad_price").details == {"line": "A"}
    state, events = accepted(state, bid("s1", "b1", "1,90", "4,00"), at("10:01:00"))
    assert isinstance(events[0], BidAccepted) and events[0].prices == {"A": 190, "B": 400}


def test_example_3_2_a_later_bid_may_name_only_the_changed_lines() -> None:
    """docs/rules.md, section 3.3, example 3.2."""
    state = open_auction(config(bid_lines="changed"))
    first = PlaceBid("s1", "b0", {"B": "3.80"})
    assert refused(state, first, at("10:01:00"), "missing_line").details == {"lines": ["A"]}
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, events = accepted(state, PlaceBid("s1", "b2", {"B": "3.80"}), at("10:02:00"))
    assert isinstance(events[0], BidAccepted)
    assert events[0].prices == {"A": 190, "B": 380} and events[0].total == 380_000

    every = open_auction(config())
    every, _ = accepted(every, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    refused(every, PlaceBid("s1", "b2", {"B": "3.80"}), at("10:02:00"), "missing_line")


def test_example_3_3_a_percentage_decrement_against_the_own_previous_total() -> None:
    """docs/rules.md, section 3.4, example 3.3."""
    state = open_auction(config())
    state, _ = accepted(state, bid("s1", "b1", "2.00", "4.00"), at("10:01:00"))
    rejection = refused(state, bid("s1", "b2", "1.99", "3.99"), at("10:02:00"), "decrement_too_small")
    assert rejection.details == {"total": "3985.00", "max_total": "3960.00", "previous_total": "4000.00"}
    state, _ = accepted(state, bid("s1", "b3", "1.96", "4.00"), at("10:02:00"))
    assert state.standing["s1"].total == 396_000

    assert config(decrement_percent="0.5").required_decrement(385_500) == 1_928  # 19.275 → 19.28

    behind = open_auction(config())
    behind, _ = accepted(behind, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    behind, _ = accepted(behind, bid("s2", "b2", "1.85", "4.00"), at("10:02:00"))
    behind, _ = accepted(behind, bid("s1", "b3", "1.86", "4.00"), at("10:03:00"))
    assert behind.standing["s1"].total == 386_000 and ranking(behind) == ["s2", "s1"]


def test_example_3_4_an_amount_decrement() -> None:
    """docs/rules.md, section 3.4, example 3.4."""
    state = open_auction(config(decrement_percent=None, decrement_amount=5_000))
    state, _ = accepted(state, bid("s1", "b1", "2.00", "4.00"), at("10:01:00"))
    rejection = refused(state, bid("s1", "b2", "2.00", "3.91"), at("10:02:00"), "decrement_too_small")
    assert rejection.details["max_total"] == "3950.00"
    state, events = accepted(state, bid("s1", "b3", "2.00", "3.90"), at("10:02:00"))
    assert isinstance(events[0], BidAccepted) and events[0].total == 395_000


def test_example_3_5_the_decrement_measured_against_the_best_offer() -> None:
    """docs/rules.md, section 3.4, example 3.5."""
    state = open_auction(config(decrement_basis="best"))
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    rejection = refused(state, bid("s2", "b2", "1.90", "3.93"), at("10:02:00"), "must_beat_best")
    assert rejection.details == {"total": "3865.00", "max_total": "3861.00"}
    state, _ = accepted(state, bid("s2", "b3", "1.90", "3.92"), at("10:02:00"))
    assert ranking(state) == ["s2", "s1"]
    rejection = refused(state, bid("s1", "b4", "1.90", "3.85"), at("10:03:00"), "must_beat_best")
    assert rejection.details == {"total": "3825.00", "max_total": "3821.40"}


def test_example_3_6_ties_by_time_or_refused() -> None:
    """docs/rules.md, section 3.5, example 3.6."""
    by_time = open_auction(config())
    by_time, _ = accepted(by_time, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    by_time, _ = accepted(by_time, bid("s2", "b2", "1.90", "4.00"), at("10:02:00"))
    assert ranking(by_time) == ["s1", "s2"]

    no_ties = open_auction(config(ties="refused"))
    no_ties, _ = accepted(no_ties, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    refused(no_ties, bid("s2", "b2", "1.90", "4.00"), at("10:02:00"), "tie_refused")
    no_ties, events = accepted(no_ties, bid("s2", "b3", "1.90", "3.99"), at("10:02:00"))
    assert isinstance(events[0], BidAccepted) and events[0].total == 389_500


def test_example_3_7_a_bid_far_below_its_reference_needs_confirmation() -> None:
    """docs/rules.md, section 3.7, example 3.7."""
    hidden = open_auction(config(far_below_percent="20"))
    rejection = refused(hidden, bid("s2", "b1", "1.50", "3.30"), at("10:01:00"), "confirm_far_below")
    assert rejection.details == {"reference": "4000.00", "percent": "20"}
    _, events = accepted(hidden, bid("s2", "b1", "1.50", "3.30", confirmed=True), at("10:01:00"))
    assert isinstance(events[0], BidAccepted) and events[0].total == 315_000
    accepted(hidden, bid("s2", "b2", "1.60", "3.20"), at("10:01:00"))  # exactly 20 % below: no question

    hidden, _ = accepted(hidden, bid("s1", "b3", "1.90", "4.00"), at("10:02:00"))
    rejection = refused(hidden, bid("s1", "b4", "1.50", "3.20"), at("10:03:00"), "confirm_far_below")
    assert rejection.details["reference"] == "3900.00"

    shown = open_auction(config(far_below_percent="20", show_best_total=True))
    shown, _ = accepted(shown, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    accepted(shown, bid("s2", "b2", "1.50", "3.30"), at("10:02:00"))
    rejection = refused(shown, bid("s2", "b3", "1.50", "3.20"), at("10:02:00"), "confirm_far_below")
    assert rejection.details["reference"] == "3900.00"


# ---------------------------------------------------------------------------------- 4.2 Reverse Japanese


def japanese(**changes: Any) -> AuctionConfig:
    """Example 4.1: levels of 5 % from 100 % down to 85 %, 30 seconds each."""
    return config(format="japanese", level_step_percent="5", level_floor_percent="85", level_interval_s=30, **changes)


def accept(bidder: str, bid_id: str, level: int) -> AcceptLevel:
    """``level`` is the doc's level number (counting from 1); the command carries the index."""
    return AcceptLevel(bidder=bidder, bid_id=bid_id, level=level - 1)


def all_accept_level_1(state: AuctionState) -> AuctionState:
    for n, bidder in enumerate(("s1", "s2", "s3"), start=1):
        state, _ = accepted(state, accept(bidder, f"{bidder}-1", 1), at(f"10:00:0{4 + n}"))
    return state


def test_example_4_1_the_japanese_levels() -> None:
    """docs/rules.md, section 4.2, example 4.1."""
    cfg = japanese()
    assert [(level.index, level.percent, level.prices, level.total) for level in cfg.levels] == [
        (0, "100", {"A": 200, "B": 400}, 400_000),
        (1, "95", {"A": 190, "B": 380}, 380_000),
        (2, "90", {"A": 180, "B": 360}, 360_000),
        (3, "85", {"A": 170, "B": 340}, 340_000),
    ]
    created, _ = run(INITIAL, Create(cfg), at("09:59:00"))
    state, events = accepted(created, Tick(), at("10:00:00"))
    assert state.level == 0 and state.closes_at == at("10:00:30")
    assert events == [
        AuctionOpened(at=at("10:00:00"), closes_at=at("10:00:30"), by="schedule", reason="scheduled"),
        LevelStarted(at=at("10:00:00"), level=0, percent="100", total=400_000, ends_at=at("10:00:30")),
    ]


def test_example_4_2_level_rounding_and_skipped_steps() -> None:
    """docs/rules.md, section 4.2, example 4.2."""
    two = config(
        format="japanese",
        level_step_percent="5",
        level_floor_percent="95",
        lines=(Line("A", "x", "unit", 100, 210), Line("B", "y", "unit", 100, 230)),
    )
    assert [level.prices for level in price_levels(two)] == [{"A": 210, "B": 230}, {"A": 200, "B": 218}]

    one = config(format="japanese", level_step_percent="1", lines=(Line("A", "x", "unit", 100, 50),))
    first = [(level.percent, level.prices["A"]) for level in price_levels(one)[:4]]
    assert first == [("100", 50), ("98", 49), ("97", 48), ("94", 47)]

    coarse = config(format="japanese", level_step_percent="3", level_floor_percent="50")
    percents = [level.percent for level in price_levels(coarse)]
    assert percents[:3] == ["100", "97", "94"] and percents[-3:] == ["55", "52", "50"]


def test_example_4_3_a_normal_japanese_win() -> None:
    """docs/rules.md, section 4.2, example 4.3."""
    state = all_accept_level_1(open_auction(japanese()))
    state, events = accepted(state, Tick(), at("10:00:30"))
    assert events == [LevelStarted(at=at("10:00:30"), level=1, percent="95", total=380_000, ends_at=at("10:01:00"))]
    state, _ = accepted(state, accept("s1", "s1-2", 2), at("10:00:40"))
    state, _ = accepted(state, accept("s2", "s2-2", 2), at("10:00:45"))
    state, events = accepted(state, Tick(), at("10:01:00"))
    assert events == [
        BidderDroppedOut(at=at("10:01:00"), bidder="s3", level=1),
        LevelStarted(at=at("10:01:00"), level=2, percent="90", total=360_000, ends_at=at("10:01:30")),
    ]
    state, _ = accepted(state, accept("s1", "s1-3", 3), at("10:01:10"))
    state, events = accepted(state, Tick(), at("10:01:30"))
    assert events == [
        BidderDroppedOut(at=at("10:01:30"), bidder="s2", level=2),
        AuctionClosed(at=at("10:01:30"), by="schedule", reason="one bidder left at level 3"),
    ]
    contract = contract_of(state)
    assert contract["supplier"]["id"] == "s1" and contract["total_per_year"] == "3600.00"
    assert [line["price"] for line in contract["lines"]] == ["1.80", "3.60"]


def test_example_4_4_nobody_accepts_the_next_level() -> None:
    """docs/rules.md, section 4.2, example 4.4: the earliest acceptance of the level before wins."""
    state = all_accept_level_1(open_auction(japanese()))
    state, _ = accepted(state, Tick(), at("10:00:30"))
    state, _ = accepted(state, accept("s2", "s2-2", 2), at("10:00:40"))
    state, _ = accepted(state, accept("s1", "s1-2", 2), at("10:00:50"))
    state, events = accepted(state, Tick(), at("10:01:00"))
    assert events[0] == BidderDroppedOut(at=at("10:01:00"), bidder="s3", level=1)
    state, events = accepted(state, Tick(), at("10:01:30"))
    assert events == [
        BidderDroppedOut(at=at("10:01:30"), bidder="s1", level=2),
        BidderDroppedOut(at=at("10:01:30"), bidder="s2", level=2),
        AuctionClosed(
            at=at("10:01:30"),
            by="schedule",
            reason="no bidder accepted level 3: the bidders of level 2 are tied",
        ),
    ]
    assert ranking(state) == ["s2", "s1", "s3"]
    contract = contract_of(state)
    assert contract["supplier"]["id"] == "s2" and contract["total_per_year"] == "3800.00"


def test_example_4_5_the_floor_is_reached() -> None:
    """docs/rules.md, section 4.2, example 4.5: the earliest acceptance of the floor wins."""
    state = open_auction(japanese())
    state, _ = accepted(state, accept("s1", "s1-1", 1), at("10:00:05"))
    state, _ = accepted(state, accept("s2", "s2-1", 1), at("10:00:06"))
    state, events = accepted(state, Tick(), at("10:00:30"))
    assert events[0] == BidderDroppedOut(at=at("10:00:30"), bidder="s3", level=0)
    for level, accepts, ends in ((2, "10:00:35", "10:01:00"), (3, "10:01:05", "10:01:30")):
        state, _ = accepted(state, accept("s1", f"s1-{level}", level), at(accepts))
        state, _ = accepted(state, accept("s2", f"s2-{level}", level), at(accepts))
        state, events = accepted(state, Tick(), at(ends))
        assert [type(event) for event in events] == [LevelStarted]
    assert state.level == 3 and state.closes_at == at("10:02:00")
    state, _ = accepted(state, accept("s2", "s2-4", 4), at("10:01:35"))
    state, _ = accepted(state, accept("s1", "s1-4", 4), at("10:01:40"))
    state, events = accepted(state, Tick(), at("10:02:00"))
    assert events == [
        AuctionClosed(at=at("10:02:00"), by="schedule", reason="the floor level 4 was reached with 2 bidders in")
    ]
    contract = contract_of(state)
    assert contract["supplier"]["id"] == "s2" and contract["total_per_year"] == "3400.00"


def test_example_4_6_refused_acceptances() -> None:
    """docs/rules.md, section 4.2, example 4.6."""
    state = all_accept_level_1(open_auction(japanese()))
    state, _ = accepted(state, Tick(), at("10:00:30"))
    state, _ = accepted(state, accept("s1", "s1-2", 2), at("10:00:40"))
    state, _ = accepted(state, accept("s2", "s2-2", 2), at("10:00:45"))
    refused(state, accept("s3", "s3-2", 2), at("10:01:00"), "level_ended")  # the end is not recorded yet
    refused(state, bid("s1", "x", "1.90", "3.80"), at("10:00:50"), "wrong_format")
    state, _ = accepted(state, Tick(), at("10:01:00"))
    refused(state, accept("s3", "s3-3", 3), at("10:01:05"), "dropped_out")
    rejection = refused(state, accept("s1", "s1-late", 2), at("10:01:05"), "level_changed")
    assert rejection.details == {"level": 2, "sent": 1}
    state, _ = accepted(state, accept("s1", "s1-3", 3), at("10:01:10"))
    refused(state, accept("s1", "s1-3b", 3), at("10:01:15"), "already_accepted")


# ------------------------------------------------------------------------------------- 4.3 Reverse Dutch


def dutch() -> AuctionConfig:
    """Example 4.7: levels of 5 % rising from 90 % to the ceiling, 30 seconds each."""
    return config(format="dutch", level_step_percent="5", level_floor_percent="90", level_interval_s=30)


def test_example_4_7_the_first_acceptance_wins_and_closes() -> None:
    """docs/rules.md, section 4.3, example 4.7."""
    state = open_auction(dutch())
    assert [(level.percent, level.total) for level in state.cfg.levels] == [
        ("90", 360_000),
        ("95", 380_000),
        ("100", 400_000),
    ]
    state, events = accepted(state, Tick(), at("10:00:30"))
    assert events == [LevelStarted(at=at("10:00:30"), level=1, percent="95", total=380_000, ends_at=at("10:01:00"))]
    state, events = accepted(state, accept("s2", "s2-2", 2), at("10:00:42"))
    assert events == [
        BidAccepted(
            at=at("10:00:42"),
            bid_id="s2-2",
            bidder="s2",
            prices={"A": 190, "B": 380},
            total=380_000,
            entered_by="bidder",
        ),
        AuctionClosed(at=at("10:00:42"), by="acceptance", reason="level 2 was accepted"),
    ]
    refused(state, accept("s1", "s1-2", 2), at("10:00:43"), "closed")
    contract = contract_of(state)
    assert contract["supplier"]["id"] == "s2" and contract["total_per_year"] == "3800.00"


def test_example_4_8_nobody_accepts_up_to_the_ceiling() -> None:
    """docs/rules.md, section 4.3, example 4.8."""
    state = open_auction(dutch())
    state, _ = accepted(state, Tick(), at("10:00:30"))
    state, _ = accepted(state, Tick(), at("10:01:00"))
    assert state.level == 2 and state.closes_at == at("10:01:30")
    state, events = accepted(state, Tick(), at("10:01:30"))
    assert events == [
        AuctionClosed(at=at("10:01:30"), by="schedule", reason="no bidder accepted any level up to the ceiling")
    ]
    assert state.phase is Phase.CLOSED and state.bid_count == 0
    refused(state, IntendAward(reason="best offer"), at("10:02:00"), "no_bids")


# ------------------------------------------------------------------------------------ 4.4 Fixed-turn rounds


def rounds_auction() -> AuctionState:
    """Example 4.9 up to the start of round 1: two rounds of 1-minute turns after a 5-minute initial stage."""
    state = open_auction(config(format="rounds", rounds=2, turn_s=60, initial_offers_s=300))
    assert state.closes_at == at("10:05:00") and state.round == 0
    state, events = accepted(state, bid("s3", "s3-0", "1.80", "4.00"), at("10:01:00"))
    assert [type(event) for event in events] == [BidAccepted]  # no turns in the initial-offer stage
    state, events = accepted(state, bid("s2", "s2-0", "1.90", "4.00"), at("10:02:00"))
    assert [type(event) for event in events] == [BidAccepted]
    refused(state, PassTurn("s1"), at("10:03:00"), "not_your_turn")
    state, events = accepted(state, Tick(), at("10:05:00"))
    assert events == [
        TurnStarted(at("10:05:00"), round=1, position=0, bidder="s1", order=("s1", "s2", "s3"), ends_at=at("10:06:00"))
    ]
    return state


def test_example_4_9_a_full_run_of_fixed_turn_rounds() -> None:
    """docs/rules.md, section 4.4, example 4.9."""
    state = rounds_auction()
    order = ("s1", "s2", "s3")
    rejection = refused(state, bid("s3", "s3-1", "1.70", "4.00"), at("10:05:10"), "not_your_turn")
    assert rejection.message == "it is not your turn: yours is turn 3 of 3 in round 1"

    state, events = accepted(state, bid("s1", "s1-1", "1.85", "4.00"), at("10:05:20"))
    assert events[1:] == [
        TurnEnded(at=at("10:05:20"), round=1, bidder="s1", how="bid"),
        TurnStarted(at("10:05:20"), round=1, position=1, bidder="s2", order=order, ends_at=at("10:06:20")),
    ]
    state, events = accepted(state, PassTurn("s2"), at("10:05:30"))
    assert events == [
        TurnEnded(at=at("10:05:30"), round=1, bidder="s2", how="pass"),
        TurnStarted(at("10:05:30"), round=1, position=2, bidder="s3", order=order, ends_at=at("10:06:30")),
    ]
    state, events = accepted(state, Tick(), at("10:06:30"))
    round_2 = ("s2", "s1", "s3")
    assert events == [
        TurnEnded(at=at("10:06:30"), round=1, bidder="s3", how="timeout"),
        TurnStarted(at("10:06:30"), round=2, position=0, bidder="s2", order=round_2, ends_at=at("10:07:30")),
    ]

    state, events = accepted(state, bid("s2", "s2-2", "1.70", "4.00"), at("10:07:00"))
    assert events[1:] == [
        TurnEnded(at=at("10:07:00"), round=2, bidder="s2", how="bid"),
        TurnStarted(at("10:07:00"), round=2, position=1, bidder="s1", order=round_2, ends_at=at("10:08:00")),
    ]
    rejection = refused(state, bid("s2", "s2-3", "1.60", "4.00"), at("10:07:05"), "not_your_turn")
    assert rejection.message == "it is not your turn: you have had your turn in round 2"
    state, _ = accepted(state, PassTurn("s1"), at("10:07:10"))
    assert state.on_turn == "s3" and state.closes_at == at("10:08:10")
    state, events = accepted(state, bid("s3", "s3-2", "1.65", "4.00"), at("10:08:00"))
    assert events[1:] == [
        TurnEnded(at=at("10:08:00"), round=2, bidder="s3", how="bid"),
        AuctionClosed(at=at("10:08:00"), by="rounds", reason="the last turn of round 2 ended"),
    ]
    assert [(who, offer.total) for who, offer in state.ranking()] == [("s3", 365_000), ("s2", 370_000), ("s1", 385_000)]
    assert contract_of(state)["supplier"]["id"] == "s3"


def test_example_4_10_a_blocked_bidder_is_skipped() -> None:
    """docs/rules.md, section 4.4, example 4.10."""
    state = rounds_auction()
    state, events = accepted(state, Block(reason="suspected collusion", bidder="s2"), at("10:05:10"))
    assert events == [BidderBlocked(at=at("10:05:10"), bidder="s2", reason="suspected collusion")]
    state, events = accepted(state, PassTurn("s1"), at("10:05:20"))
    assert events == [
        TurnEnded(at=at("10:05:20"), round=1, bidder="s1", how="pass"),
        TurnStarted(at("10:05:20"), round=1, position=2, bidder="s3", order=("s1", "s2", "s3"), ends_at=at("10:06:20")),
    ]
    state, events = accepted(state, Tick(), at("10:06:20"))
    assert events[1] == TurnStarted(
        at("10:06:20"), round=2, position=0, bidder="s1", order=("s1", "s3"), ends_at=at("10:07:20")
    )
    assert ranking(state) == ["s3", "s2"]  # s2's offer stays in the ranking
    state, events = accepted(state, Block(reason="left the call", bidder="s1"), at("10:06:30"))
    assert events == [
        BidderBlocked(at=at("10:06:30"), bidder="s1", reason="left the call"),
        TurnEnded(at=at("10:06:30"), round=2, bidder="s1", how="blocked"),
        TurnStarted(at("10:06:30"), round=2, position=1, bidder="s3", order=("s1", "s3"), ends_at=at("10:07:30")),
    ]


# --------------------------------------------------------------------------- 5. Closing and extensions


def two_offers(cfg: AuctionConfig) -> AuctionState:
    """s1 bids 3,900.00 at 10:01:00 and s2 3,850.00 at 10:02:00, long before the closing window."""
    state = open_auction(cfg)
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, _ = accepted(state, bid("s2", "b2", "1.85", "4.00"), at("10:02:00"))
    assert state.closes_at == at("10:10:00")
    return state


def test_example_5_1_a_bid_at_the_deadline_is_refused_before_the_close_is_recorded() -> None:
    """docs/rules.md, section 5.1, example 5.1."""
    state = open_auction(config())
    refused(state, bid("s1", "b1", "1.90", "4.00"), at("10:10:00"), "closed")
    refused(state, Pause(reason="check"), at("10:10:00"), "closed")
    state, events = accepted(state, Tick(), at("10:10:00"))
    assert events == [AuctionClosed(at=at("10:10:00"), by="schedule", reason="closing time reached")]


QUIET_REASON = "a valid bid restarts the quiet period"


def test_example_5_2_quiet_period_closing() -> None:
    """docs/rules.md, section 5.3, example 5.2."""
    state = open_auction(config(closing="quiet", quiet_period_s=120))
    assert (state.closes_at, state.latest_close) == (at("10:02:00"), at("10:10:00"))
    state, events = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:30"))
    assert events[1:] == [
        CloseExtended(at=at("10:01:30"), closes_at=at("10:03:30"), by="quiet-period", reason=QUIET_REASON)
    ]
    state, events = accepted(state, bid("s2", "b2", "1.85", "4.00"), at("10:03:00"))
    assert events[1:] == [
        CloseExtended(at=at("10:03:00"), closes_at=at("10:05:00"), by="quiet-period", reason=QUIET_REASON)
    ]
    refused(state, bid("s2", "b3", "1.85", "3.99"), at("10:04:00"), "decrement_too_small")
    state, events = accepted(state, Tick(), at("10:05:00"))
    assert events == [AuctionClosed(at=at("10:05:00"), by="schedule", reason="closing time reached")]
    assert state.extensions == 0


def test_example_5_3_the_quiet_period_never_passes_the_latest_close() -> None:
    """docs/rules.md, section 5.3, example 5.3."""
    start = open_auction(config(closing="quiet", quiet_period_s=300))
    assert start.closes_at == at("10:05:00")
    start, _ = accepted(start, bid("s1", "b1", "1.90", "4.00"), at("10:04:00"))
    assert start.closes_at == at("10:09:00")

    state, _ = accepted(start, bid("s2", "b2", "1.85", "4.00"), at("10:08:00"))
    assert state.closes_at == at("10:10:00")
    state, events = accepted(state, bid("s1", "b3", "1.80", "4.00"), at("10:09:30"))
    assert [type(event) for event in events] == [BidAccepted]

    extended, _ = accepted(start, Extend(reason="bidder asked", seconds=60), at("10:05:30"))
    assert (extended.closes_at, extended.latest_close) == (at("10:10:00"), at("10:11:00"))
    extended, _ = accepted(extended, bid("s2", "b2", "1.85", "4.00"), at("10:08:00"))
    assert extended.closes_at == at("10:11:00")

    paused, _ = accepted(start, Pause(reason="check"), at("10:06:00"))
    paused, _ = accepted(paused, Resume(reason="check done"), at("10:07:00"))
    assert (paused.closes_at, paused.latest_close) == (at("10:10:00"), at("10:11:00"))
    paused, _ = accepted(paused, bid("s2", "b2", "1.85", "4.00"), at("10:08:00"))
    assert paused.closes_at == at("10:11:00")


TRIGGER_CASES = [
    # (bidder, price of A (B stays 4.00), rank after the bid, the close under: improving, lead, top_k with K = 2)
    ("s3", "1.88", 2, ("10:10:30", "10:10:00", "10:10:30")),
    ("s3", "1.95", 3, ("10:10:30", "10:10:00", "10:10:00")),
    ("s3", "1.80", 1, ("10:10:30", "10:10:30", "10:10:30")),
    ("s2", "1.80", 1, ("10:10:30", "10:10:00", "10:10:30")),
]


@pytest.mark.parametrize(("bidder", "a", "rank", "closes"), TRIGGER_CASES)
@pytest.mark.parametrize("trigger", ["improving", "lead", "top_k"])
def test_example_5_4_the_anti_sniping_triggers(
    bidder: str, a: str, rank: int, closes: tuple[str, ...], trigger: str
) -> None:
    """docs/rules.md, section 5.4, example 5.4 (the table)."""
    state = two_offers(config(extension_trigger=trigger, extension_top_k=2))
    state, events = accepted(state, bid(bidder, "late", a, "4.00"), at("10:08:30"))
    assert state.rank_of(bidder) == rank
    expected = closes[["improving", "lead", "top_k"].index(trigger)]
    assert state.closes_at == at(expected)
    if expected == "10:10:00":
        assert [type(event) for event in events] == [BidAccepted]
    else:
        assert events[1:] == [
            CloseExtended(
                at=at("10:08:30"),
                closes_at=at(expected),
                by="anti-sniping",
                reason={
                    "improving": "an improving bid in the closing window",
                    "lead": "a new lead in the closing window",
                    "top_k": "a change in the top ranks in the closing window",
                }[trigger],
            )
        ]
        assert state.extensions == 1


def test_example_5_4_the_first_bid_takes_the_lead_and_the_window_has_a_start() -> None:
    """docs/rules.md, section 5.4, example 5.4 (after the table)."""
    state = open_auction(config())
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:09:00"))
    assert state.closes_at == at("10:11:00")

    state = two_offers(config())
    state, events = accepted(state, bid("s3", "early", "1.80", "4.00"), at("10:07:59"))
    assert [type(event) for event in events] == [BidAccepted] and state.leader() == "s3"
    assert state.closes_at == at("10:10:00")


@pytest.mark.parametrize(
    ("extension_from", "after_s2", "s1_at", "after_s1"),
    [("bid", "10:10:30", "10:10:00", "10:12:00"), ("close", "10:12:00", "10:11:00", "10:14:00")],
)
def test_example_5_5_the_extension_from_the_bid_or_the_close(
    extension_from: str, after_s2: str, s1_at: str, after_s1: str
) -> None:
    """docs/rules.md, section 5.4, example 5.5."""
    state = open_auction(config(extension_from=extension_from))
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, _ = accepted(state, bid("s2", "b2", "1.85", "4.00"), at("10:08:30"))
    assert state.closes_at == at(after_s2)
    state, _ = accepted(state, bid("s1", "b3", "1.80", "4.00"), at(s1_at))
    assert state.closes_at == at(after_s1) and state.extensions == 2


def test_example_5_6_the_close_never_moves_earlier() -> None:
    """docs/rules.md, section 5.4, example 5.6."""
    state = open_auction(config(extension_s=30))
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, events = accepted(state, bid("s2", "b2", "1.85", "4.00"), at("10:08:30"))
    assert [type(event) for event in events] == [BidAccepted] and state.closes_at == at("10:10:00")
    state, events = accepted(state, bid("s1", "b3", "1.80", "4.00"), at("10:09:45"))
    assert isinstance(events[-1], CloseExtended) and state.closes_at == at("10:10:15")


def test_example_5_7_at_most_max_extensions() -> None:
    """docs/rules.md, section 5.4, example 5.7."""
    state = open_auction(config(max_extensions=1))
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, _ = accepted(state, bid("s2", "b2", "1.85", "4.00"), at("10:08:30"))
    assert state.closes_at == at("10:10:30") and state.extensions == 1
    state, events = accepted(state, bid("s1", "b3", "1.80", "4.00"), at("10:10:00"))
    assert [type(event) for event in events] == [BidAccepted] and state.closes_at == at("10:10:30")
    refused(state, bid("s2", "b4", "1.75", "4.00"), at("10:10:30"), "closed")
    state, _ = accepted(state, Tick(), at("10:10:30"))
    assert state.phase is Phase.CLOSED and state.leader() == "s1"


@pytest.mark.parametrize(("rule", "close"), [("extend", "10:12:00"), ("keep", "10:10:00")])
def test_example_5_8_a_server_outage(rule: str, close: str) -> None:
    """docs/rules.md, section 5.5, example 5.8."""
    state = open_auction(config(on_downtime=rule))
    down = RecordDowntime(down_from=at("10:05:00"), down_to=at("10:07:00"))
    state, events = accepted(state, down, at("10:07:00"))
    assert events == [
        DowntimeRecorded(
            at=at("10:07:00"), down_from=at("10:05:00"), down_to=at("10:07:00"), closes_at=at(close), rule=rule
        )
    ]
    assert state.closes_at == at(close)


# ------------------------------------------------------------------------------ 7. The organiser's controls


def test_example_7_1_pause_and_resume() -> None:
    """docs/rules.md, section 7, example 7.1."""
    state = open_auction(config())
    state, _ = accepted(state, Pause(reason="technical check"), at("10:03:00"))
    refused(state, bid("s1", "b1", "1.90", "4.00"), at("10:04:00"), "paused")
    assert decide(state, Tick(), at("10:20:00")) == []
    state, events = accepted(state, Resume(reason="check done"), at("10:05:00"))
    assert events == [AuctionResumed(at=at("10:05:00"), closes_at=at("10:12:00"), reason="check done")]


def test_example_7_2_resume_with_a_new_close() -> None:
    """docs/rules.md, section 7, example 7.2."""
    state = open_auction(config())
    state, _ = accepted(state, Pause(reason="technical check"), at("10:03:00"))
    refused(state, Resume(reason="back", seconds=-1), at("10:05:00"), "bad_resume")
    state, events = accepted(state, Resume(reason="back, shortened", seconds=120), at("10:05:00"))
    assert events == [AuctionResumed(at=at("10:05:00"), closes_at=at("10:07:00"), reason="back, shortened")]


def test_example_7_3_extend_close_and_cancel() -> None:
    """docs/rules.md, section 7, example 7.3."""
    state = open_auction(config())
    state, events = accepted(state, Extend(reason="bidders asked", seconds=120), at("10:04:00"))
    assert events == [
        CloseExtended(at=at("10:04:00"), closes_at=at("10:12:00"), by="organiser", reason="bidders asked")
    ]
    assert state.extensions == 0
    refused(state, Extend(reason="more", seconds=0), at("10:04:30"), "bad_extension")
    refused(state, Pause(reason="  "), at("10:04:30"), "reason_required")
    closed, events = accepted(state, Close(reason="all bidders agreed"), at("10:05:00"))
    assert events == [AuctionClosed(at=at("10:05:00"), by="organiser", reason="all bidders agreed")]
    assert closed.phase is Phase.CLOSED

    cancelled, events = accepted(open_auction(config()), Cancel(reason="lot withdrawn"), at("10:05:00"))
    assert events == [AuctionCancelled(at=at("10:05:00"), reason="lot withdrawn")]
    assert cancelled.phase is Phase.CANCELLED
    refused(cancelled, bid("s1", "b1", "1.90", "4.00"), at("10:06:00"), "cancelled")


def test_example_7_4_block_and_unblock() -> None:
    """docs/rules.md, section 7, example 7.4."""
    state = open_auction(config())
    state, _ = accepted(state, bid("s2", "b1", "1.85", "4.00"), at("10:01:00"))
    state, events = accepted(state, Block(reason="unusual bidding pattern", bidder="s2"), at("10:02:00"))
    assert events == [BidderBlocked(at=at("10:02:00"), bidder="s2", reason="unusual bidding pattern")]
    refused(state, bid("s2", "b2", "1.80", "4.00"), at("10:03:00"), "blocked")
    assert state.leader() == "s2"
    refused(state, Block(reason="again", bidder="s2"), at("10:03:00"), "already_blocked")
    refused(state, Block(reason="who?", bidder="s9"), at("10:03:00"), "unknown_bidder")
    state, events = accepted(state, Unblock(reason="explained by phone", bidder="s2"), at("10:04:00"))
    assert events == [BidderUnblocked(at=at("10:04:00"), bidder="s2", reason="explained by phone")]
    state, _ = accepted(state, bid("s2", "b2", "1.80", "4.00"), at("10:05:00"))
    assert state.standing["s2"].total == 380_000
    refused(state, Unblock(reason="again", bidder="s2"), at("10:05:00"), "not_blocked")


def test_example_7_5_a_bid_entered_for_a_bidder() -> None:
    """docs/rules.md, section 7, example 7.5."""
    state = open_auction(config(far_below_percent="20"))
    reason = "s1's connection failed; bid taken by phone at 10:03"
    refused(state, bid("s1", "own", "1.50", "3.00"), at("10:04:00"), "confirm_far_below")
    phone = EnterBid(reason=reason, bidder="s1", bid_id="phone-1", prices="A=1.50,B=3.00")
    _, events = accepted(state, phone, at("10:04:00"))
    assert events == [
        BidAccepted(
            at=at("10:04:00"),
            bid_id="phone-1",
            bidder="s1",
            prices={"A": 150, "B": 300},
            total=300_000,
            entered_by="organiser",
            reason=reason,
        )
    ]
    refused(state, dataclasses.replace(phone, prices="A:1.50"), at("10:04:00"), "bad_price")
    refused(state, dataclasses.replace(phone, prices="A=2.10,B=3.00"), at("10:04:00"), "above_ceiling")

    levels = open_auction(japanese())
    _, events = accepted(levels, EnterBid(reason=reason, bidder="s2", bid_id="phone-2", level=0), at("10:00:10"))
    assert events == [
        BidAccepted(
            at=at("10:00:10"),
            bid_id="phone-2",
            bidder="s2",
            prices={"A": 200, "B": 400},
            total=400_000,
            entered_by="organiser",
            reason=reason,
        )
    ]


# ------------------------------------------------------------------------------------------- 8. The award


def test_example_8_1_the_award_with_quality_weighting() -> None:
    """docs/rules.md, section 8, example 8.1."""
    state, _ = accepted(meat_auction(FACTOR), Tick(), at("10:10:00"))
    contract = contract_of(state)
    assert contract["supplier"]["id"] == "s1" and contract["total_per_year"] == "4000.00"
    assert contract["quality_weighting"] == {
        "formula": "factor",
        "quality_score": "80",
        "weight": "23/25",
        "ranked_figure": "3680.00",
    }
    assert "reserve" not in contract

    state, _ = accepted(meat_auction(BONUS), Tick(), at("10:10:00"))
    weighting = contract_of(state)["quality_weighting"]
    assert (weighting["weight"], weighting["ranked_figure"]) == ("40000", "3600.00")


@pytest.mark.parametrize(("s2_b", "met"), [("3.70", False), ("3.60", True)])
def test_example_8_2_the_reserve(s2_b: str, met: bool) -> None:
    """docs/rules.md, section 8, example 8.2: s2 bids 3,850.00 (not met) or 3,800.00 (exactly the reserve)."""
    state = open_auction(config(reserve_total=380_000))
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))
    state, _ = accepted(state, bid("s2", "b2", "2.00", s2_b), at("10:02:00"))
    state, _ = accepted(state, Tick(), at("10:10:00"))
    contract = contract_of(state)
    assert contract["supplier"]["id"] == "s2"
    assert contract["total_per_year"] == ("3800.00" if met else "3850.00")
    assert contract["reserve"] == {"met": met, "conditional": not met}
    assert "quality_weighting" not in contract


# ----------------------------------------------------------------------------------------- 9. Settings


def doc_toml_examples() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", RULES_MD.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_examples_9_1_to_9_3_the_settings_load() -> None:
    """docs/rules.md, section 9, examples 9.1–9.3: every TOML example is a valid `[auction]` table."""
    blocks = doc_toml_examples()
    assert len(blocks) == 3
    loaded = [AuctionRulesFile.model_validate(tomllib.loads(block)["auction"]) for block in blocks]
    assert [rules.format for rules in loaded] == ["english", "japanese", "rounds"]
    english, japanese_rules, rounds = loaded
    assert english.meat is not None and english.meat.formula == "factor"
    assert english.min_decrement.basis == "best" and english.closing == "quiet"
    assert japanese_rules.levels.step_percent == "0.5"
    assert rounds.sealed and not rounds.show_bidder_count and rounds.rounds.rounds == 3


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"sealed": True}, "a sealed auction shows bidders nothing of the others"),
        ({"sealed": True, "show_bidder_count": False, "show_ladder": True}, "a sealed auction shows bidders nothing"),
        (
            {"format": "japanese", "meat": {"formula": "factor", "max_discount_percent": "10"}},
            "quality weighting (meat) needs bids, not accepted levels",
        ),
        (
            {"format": "dutch", "meat": {"formula": "bonus", "bonus_per_point": "5.00"}},
            "quality weighting (meat) needs bids, not accepted levels",
        ),
        ({"format": "rounds", "closing": "quiet"}, "closing 'quiet' is for the english format"),
        ({"closing": "quiet", "quiet_period": "0s"}, "closing 'quiet' needs a quiet_period longer than 0 seconds"),
        (
            {"sealed": True, "show_bidder_count": False, "min_decrement": {"percent": "1", "basis": "best"}},
            "a sealed auction cannot measure the decrement against the best offer",
        ),
        (
            {"sealed": True, "show_bidder_count": False, "ties": "refused"},
            "a sealed auction cannot refuse equal offers",
        ),
        ({"min_decrement": {"percent": "1", "amount": "50.00"}}, "give exactly one of 'percent' or 'amount'"),
        ({"min_decrement": {}}, "give exactly one of 'percent' or 'amount'"),
        ({"meat": {"formula": "factor"}}, "formula 'factor' takes max_discount_percent"),
        (
            {"meat": {"formula": "bonus", "bonus_per_point": "5.00", "max_discount_percent": "10"}},
            "formula 'bonus' takes bonus_per_point",
        ),
    ],
)
def test_section_9_combinations_the_loader_refuses(table: dict[str, Any], message: str) -> None:
    """docs/rules.md, section 9: the combinations the tender loader refuses, with its message."""
    with pytest.raises(ValidationError, match=re.escape(message)):
        AuctionRulesFile.model_validate({"min_decrement": {"percent": "1"}, **table})


# ----------------------------------------------------------------------------- leaks and dead ends refused


def test_a_quiet_period_of_zero_is_refused_by_the_loader() -> None:
    """docs/rules.md, section 9: with quiet closing the first close is min(quiet_period, duration) after the
    opening, so a quiet period of 0 would close the auction at once; the loader refuses it."""
    data = tomllib.loads((EXAMPLES / "tender.toml").read_text(encoding="utf-8"))
    data["auction"].update(closing="quiet", quiet_period="0s")
    with pytest.raises(ValidationError, match="quiet_period longer than 0"):
        Tender.model_validate(data)


def test_a_sealed_auction_never_discloses_the_best_offer_through_the_decrement_rule() -> None:
    """docs/rules.md, section 6: in a sealed auction a bidder sees its own bids only, no other offer."""
    sealed = {"sealed": True, "show_bidder_count": False, "min_decrement": {"percent": "1", "basis": "best"}}
    try:
        AuctionRulesFile.model_validate(sealed)
    except ValidationError:
        return  # the combination is refused: fixed in the loader
    state = open_auction(config(sealed=True, show_bidder_count=False, decrement_basis="best"))
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), at("10:01:00"))  # the best offer: 3,900.00
    _, result = run(state, bid("s2", "b2", "1.90", "3.93"), at("10:02:00"))
    assert isinstance(result, list) or "3861.00" not in (result.message + repr(result.details))


def test_a_bidder_blocked_on_its_turn_while_paused_loses_the_turn_when_bidding_resumes() -> None:
    """docs/rules.md, section 4.4 (found by the rounds state machine: the turn used to survive the pause)."""
    cfg = config(format="rounds", rounds=1, turn_s=60, initial_offers_s=60)
    state = open_auction(cfg)
    state, _ = accepted(state, bid("s1", "b1", "1.90", "4.00"), T0 + 1_000)
    state, _ = accepted(state, bid("s2", "b2", "2.00", "3.90"), T0 + 2_000)
    state, _ = run(state, Tick(), T0 + 60_000)  # round 1: s3 (no offer) first, then s2, then s1
    assert state.on_turn == "s3"
    state, _ = run(state, Pause("a question from a bidder"), T0 + 61_000)
    state, _ = run(state, Block("suspected collusion, under review", "s3"), T0 + 62_000)
    assert state.on_turn == "s3"  # paused: nothing moves yet
    _, passing = run(state, PassTurn("s3"), T0 + 62_500)
    assert isinstance(passing, Rejection) and passing.code == "paused"
    state, events = run(state, Resume("question answered"), T0 + 70_000)
    assert [e.type for e in events] == ["AuctionResumed", "TurnEnded", "TurnStarted"]  # type: ignore[union-attr]
    assert events[1].how == "blocked" and state.on_turn == "s2"  # type: ignore[index, union-attr]
    assert state.closes_at == T0 + 70_000 + 60_000
