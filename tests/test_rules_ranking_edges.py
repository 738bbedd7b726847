"""Ranking and quality weighting at their edges: equal quality-weighted figures after the leader's own re-bid,
a weight of zero, an auction without weighting, and the configuration's derived values outside their format."""

from __future__ import annotations

import dataclasses

import pytest

from auction.rules.config import AuctionConfig
from auction.rules.core import INITIAL
from auction.rules.messages import PlaceBid
from tests.factories import T0, make_config, open_auction, run


def weighted(discount: str, score: str) -> AuctionConfig:
    cfg = dataclasses.replace(make_config(), meat_formula="factor", meat_max_discount_percent=discount)
    return dataclasses.replace(cfg, seats=tuple(dataclasses.replace(s, quality_score=score) for s in cfg.seats))


def test_a_leaders_re_bid_that_keeps_its_weighted_figure_gives_up_its_time_priority() -> None:
    """docs/audit.md, who wins: equal ranked figures rank by the standing offer's seq, and a standing offer is the
    bidder's last bid. With a weight of 0.0001, 4000.00 and 3960.00 both rank as 0.40."""
    state = open_auction(weighted("100", "99.99"))
    state, _ = run(state, PlaceBid("s1", "b1", {"A": "2.00", "B": "4.00"}), T0 + 1000)  # 4000.00 → 0.40
    state, _ = run(state, PlaceBid("s2", "b2", {"A": "1.98", "B": "3.96"}), T0 + 2000)  # 3960.00 → 0.40
    assert state.standing["s1"].ranked == state.standing["s2"].ranked == 40
    assert state.leader() == "s1"  # equal figures: the earlier offer leads
    state, events = run(state, PlaceBid("s1", "b3", {"A": "1.98", "B": "3.96"}), T0 + 3000)  # 3960.00 → 0.40
    assert isinstance(events, list)
    assert state.standing["s1"].ranked == 40
    assert state.leader() == "s2" == state.ranking()[0][0]
    assert [bidder for bidder, _ in state.ranking()] == ["s2", "s1"]


def test_a_weight_of_zero_ranks_every_total_as_zero_and_leaves_only_the_ceiling_as_limit() -> None:
    cfg = weighted("100", "100")
    assert cfg.meat_weight("s1") == 0
    assert cfg.ranked_figure("s1", 385_000) == cfg.ranked_figure("s1", 1) == 0
    # No total is too high to reach a ranked figure of 0 (or any other): the ceiling total is the limit.
    assert cfg.max_total_for_ranked("s1", 0) == cfg.ceiling_total == 400_000
    assert cfg.max_total_for_ranked("s1", -5) == 400_000


def test_without_quality_weighting_no_bidder_has_a_weight_and_the_total_is_the_ranked_figure() -> None:
    cfg = make_config()
    assert cfg.meat_formula is None
    assert [cfg.meat_weight(seat.bidder) for seat in cfg.seats] == [None, None, None]
    assert cfg.ranked_figure("s1", 385_000) == 385_000
    assert cfg.max_total_for_ranked("s1", 385_000) == 385_000


def test_only_the_level_formats_have_price_levels() -> None:
    assert make_config().levels == ()
    assert dataclasses.replace(make_config(), format="rounds").levels == ()
    japanese = dataclasses.replace(make_config(), format="japanese", level_step_percent="10", level_floor_percent="80")
    assert [level.percent for level in japanese.levels] == ["100", "90", "80"]


def test_the_state_has_no_configuration_before_the_auction_is_created() -> None:
    assert INITIAL.config is None
    with pytest.raises(ValueError, match="the auction has not been created"):
        _ = INITIAL.cfg
