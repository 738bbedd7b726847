"""What a bidder's ``state`` message shows in the settings the other view tests leave out: the bid limit when
the decrement is measured against the best offer (open and sealed), the bonus weighting of MEAT, and a
Japanese auction before its first level."""

from __future__ import annotations

import dataclasses

from auction.rules.config import AuctionConfig
from auction.rules.core import INITIAL, AuctionState
from auction.rules.lifecycle import Phase
from auction.rules.messages import Create, PlaceBid
from auction.rules.views import bidder_state
from tests.factories import T0, make_config, open_auction, run


def _config(**changes: object) -> AuctionConfig:
    return dataclasses.replace(make_config(), **changes)  # type: ignore[arg-type]


def _bid(state: AuctionState, bidder: str, bid_id: str, a: str, b: str, at: int) -> AuctionState:
    state, events = run(state, PlaceBid(bidder, bid_id, {"A": a, "B": b}), at)
    assert isinstance(events, list), events
    return state


def test_with_the_best_as_basis_the_max_total_is_the_best_minus_the_decrement_or_the_own_limit_if_lower() -> None:
    state = open_auction(_config(decrement_basis="best"))  # 1 % decrement
    state = _bid(state, "s1", "b1", "1.90", "3.90", T0 + 1000)  # 3850.00
    # Everyone, the leader too, must beat 3850.00 by 1 %: 3811.50.
    assert bidder_state(state, "s2", 1, T0 + 2000)["you"]["max_total"] == "3811.50"
    assert bidder_state(state, "s1", 1, T0 + 2000)["you"]["max_total"] == "3811.50"
    state = _bid(state, "s2", "b2", "1.90", "3.80", T0 + 3000)  # 3800.00, the best now
    # s1: 1 % below its own 3850.00 would be 3811.50, but 1 % below the best 3800.00 is lower: 3762.00.
    assert bidder_state(state, "s1", 2, T0 + 4000)["you"]["max_total"] == "3762.00"
    # A bid at that limit is accepted, one unit above it is not.
    _, outcome = run(state, PlaceBid("s1", "b3", {"A": "1.85", "B": "3.83"}), T0 + 5000)  # 3765.00
    assert not isinstance(outcome, list) and outcome.code == "must_beat_best"
    assert _bid(state, "s1", "b3", "1.84", "3.84", T0 + 5000).rank_of("s1") == 1  # 3760.00


def test_in_a_sealed_auction_the_best_offer_never_narrows_a_bidders_limit() -> None:
    """A limit below the best offer would tell the bidder what the best offer is."""
    state = open_auction(_config(decrement_basis="best", sealed=True))
    state = _bid(state, "s1", "b1", "1.90", "3.90", T0 + 1000)
    you = bidder_state(state, "s2", 1, T0 + 2000)["you"]
    assert you["max_total"] == "4000.00"  # the ceiling total: 2.00 × 1000 + 4.00 × 500
    assert you["rank"] is None
    assert bidder_state(state, "s1", 1, T0 + 2000)["you"]["max_total"] == "3811.50"  # its own decrement only


def test_with_the_bonus_formula_a_bidder_sees_its_own_bonus_in_euros_and_its_ranked_figure() -> None:
    cfg = _config(meat_formula="bonus", meat_bonus_per_point=500)  # EUR 5.00 per point
    cfg = dataclasses.replace(
        cfg, seats=tuple(dataclasses.replace(seat, quality_score="80") for seat in cfg.seats)
    )  # 80 points: a bonus of EUR 400.00
    state = _bid(open_auction(cfg), "s1", "b1", "1.90", "3.90", T0 + 1000)  # 3850.00
    you = bidder_state(state, "s1", 1, T0 + 2000)["you"]
    assert (you["quality_score"], you["weight"], you["ranked"]) == ("80", "400.00", "3450.00")


def test_a_japanese_auction_shows_no_level_before_it_opens_and_the_first_level_once_open() -> None:
    cfg = _config(format="japanese", level_step_percent="5", level_interval_s=30, level_floor_percent="70")
    scheduled, _ = run(INITIAL, Create(cfg), T0 - 60_000)
    assert scheduled.phase is Phase.SCHEDULED
    before = bidder_state(scheduled, "s1", 1, T0 - 30_000)
    assert before["level"] is None and before["opens_at"] == T0
    level = bidder_state(open_auction(cfg), "s1", 2, T0)["level"]
    assert (level["number"], level["of"], level["percent"], level["total"]) == (1, 7, "100", "4000.00")
    assert (level["ends_at"], level["accepted"], level["out"]) == (T0 + 30_000, False, False)
