"""Fixed-turn rounds: who may bid or pass during a round. Only the bidder on turn; the others hear when their turn
is (or that it is over); a blocked bidder can do neither; a bidder left out of a round's order because it was
blocked when the round began waits for the next round, whose order takes it in again; a round that no bidder may
take closes the auction. Passing is for rounds only."""

from __future__ import annotations

import dataclasses

from auction.rules.config import AuctionConfig
from auction.rules.core import AuctionState, decide
from auction.rules.messages import AuctionClosed, Block, PassTurn, PlaceBid, Rejection, Tick, TurnStarted, Unblock
from tests.factories import T0, make_config, open_auction, run

SECOND = 1000


def rounds_config() -> AuctionConfig:
    return dataclasses.replace(make_config(), format="rounds", rounds=2, turn_s=60, initial_offers_s=120)


def round_one_without_s3() -> AuctionState:
    """s1 and s2 make initial offers; s3 is blocked when round 1 begins and unblocked during s1's turn."""
    state = open_auction(rounds_config())
    state, _ = run(state, PlaceBid("s1", "r1", {"A": "1.90", "B": "3.90"}), T0 + 10 * SECOND)  # 3850.00
    state, _ = run(state, PlaceBid("s2", "r2", {"A": "1.85", "B": "3.85"}), T0 + 20 * SECOND)  # 3775.00
    state, _ = run(state, Block(reason="checking a complaint", bidder="s3"), T0 + 30 * SECOND)
    state, events = run(state, Tick(), T0 + 120 * SECOND)
    assert isinstance(events, list) and events[-1] == TurnStarted(
        T0 + 120 * SECOND, round=1, position=0, bidder="s1", order=("s1", "s2"), ends_at=T0 + 180 * SECOND
    )
    state, _ = run(state, Unblock(reason="complaint resolved", bidder="s3"), T0 + 125 * SECOND)
    return state


def refused(state: AuctionState, command: PassTurn | PlaceBid) -> Rejection:
    result = decide(state, command, T0 + 130 * SECOND)
    assert isinstance(result, Rejection), result
    assert result.code == "not_your_turn"
    return result


def test_a_bidder_whose_turn_is_still_to_come_hears_which_turn_is_its_own() -> None:
    state = round_one_without_s3()
    assert refused(state, PassTurn("s2")).message == "it is not your turn: yours is turn 2 of 2 in round 1"
    refused(state, PlaceBid("s2", "x", {"A": "1.80", "B": "3.80"}))


def test_a_bidder_whose_turn_is_over_hears_so() -> None:
    state, _ = run(round_one_without_s3(), PassTurn("s1"), T0 + 126 * SECOND)
    assert state.on_turn == "s2"
    assert refused(state, PassTurn("s1")).message == "it is not your turn: you have had your turn in round 1"


def test_a_bidder_left_out_of_the_round_waits_for_the_next_round_and_goes_first_there() -> None:
    state = round_one_without_s3()
    refused(state, PlaceBid("s3", "x", {"A": "1.80", "B": "3.80"}))
    refused(state, PassTurn("s3"))
    state, _ = run(state, PassTurn("s1"), T0 + 130 * SECOND)
    state, events = run(state, PassTurn("s2"), T0 + 140 * SECOND)
    assert isinstance(events, list)
    started = events[-1]
    # Round 2 is worst-ranked first: s3, without an offer, before s1 (3850.00) and s2 (3775.00).
    assert isinstance(started, TurnStarted) and (started.round, started.order) == (2, ("s3", "s1", "s2"))
    state, accepted = run(state, PlaceBid("s3", "s3-1", {"A": "1.80", "B": "3.80"}), T0 + 150 * SECOND)
    assert isinstance(accepted, list) and state.rank_of("s3") == 1


def test_a_blocked_bidder_can_neither_bid_nor_pass_and_hears_that_it_is_blocked() -> None:
    state = open_auction(rounds_config())
    state, _ = run(state, Block(reason="checking a complaint", bidder="s2"), T0 + 10 * SECOND)
    for command in (PassTurn("s2"), PlaceBid("s2", "x", {"A": "1.80", "B": "3.80"})):
        result = decide(state, command, T0 + 20 * SECOND)
        assert isinstance(result, Rejection) and result.code == "blocked"


def test_passing_is_refused_outside_fixed_turn_rounds() -> None:
    result = decide(open_auction(), PassTurn("s1"), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "wrong_format"


def test_a_round_that_no_bidder_may_take_closes_the_auction() -> None:
    """Every bidder is blocked when the initial-offer stage ends: there is no order for round 1."""
    state = open_auction(rounds_config())
    state, _ = run(state, PlaceBid("s1", "r1", {"A": "1.90", "B": "3.90"}), T0 + 10 * SECOND)
    for bidder in ("s1", "s2", "s3"):
        state, _ = run(state, Block(reason="all under review", bidder=bidder), T0 + 20 * SECOND)
    state, events = run(state, Tick(), T0 + 120 * SECOND)
    assert events == [AuctionClosed(T0 + 120 * SECOND, by="rounds", reason="no bidder may take a turn")]
    assert state.phase.value == "closed" and state.rank_of("s1") == 1  # s1's offer stands and can win


def test_a_bidder_left_out_of_the_round_is_not_told_it_had_its_turn() -> None:
    message = refused(round_one_without_s3(), PassTurn("s3")).message
    assert "you have had your turn" not in message
