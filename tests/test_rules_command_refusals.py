"""Commands the core refuses for what they carry, before anything is recorded: a reset into the past, a notice
without its hash, a phone bid without prices or bid id, an acceptance under a used bid id, a price that is not text."""

from __future__ import annotations

import dataclasses

from auction.rules.core import AuctionState, decide
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AcceptLevel,
    Close,
    Command,
    EnterBid,
    IntendAward,
    MakeDefinitive,
    PlaceBid,
    PublishAward,
    Rejection,
    ResetPractice,
)
from tests.factories import T0, make_config, open_auction, run

DAY = 86_400_000


def refusal(state: AuctionState, command: Command, now: int) -> Rejection:
    result = decide(state, command, now)
    assert isinstance(result, Rejection), result
    return result


def test_a_practice_auction_cannot_be_reset_to_open_in_the_past() -> None:
    state = open_auction(make_config(practice=True))
    refused = refusal(state, ResetPractice(reason="again", seconds=-1), T0 + 1000)
    assert refused.code == "bad_reset" and "0 or more seconds" in refused.message
    state, events = run(state, ResetPractice(reason="again", seconds=0), T0 + 1000)
    assert isinstance(events, list) and state.phase is Phase.SCHEDULED and state.cfg.opens_at_ms == T0 + 1000


def test_publishing_the_award_needs_the_notices_full_sha256() -> None:
    state = open_auction()
    state, _ = run(state, PlaceBid("s1", "b1", {"A": "1.90", "B": "3.90"}), T0 + 1000)
    state, _ = run(state, Close(reason="done"), T0 + 2000)
    state, _ = run(state, IntendAward(reason="best offer"), T0 + 3000)
    state, _ = run(state, MakeDefinitive(reason="standstill over"), T0 + 3000 + DAY)
    assert state.phase is Phase.DEFINITIVE
    for notice_hash in ("", "ab" * 31, "ab" * 33):
        refused = refusal(
            state, PublishAward(reason="published", notice_hash=notice_hash, url="https://x"), T0 + 2 * DAY
        )
        assert refused.code == "bad_notice_hash"
    published = decide(state, PublishAward(reason="published", notice_hash="ab" * 32, url="https://x"), T0 + 2 * DAY)
    assert isinstance(published, list) and published[0].type == "AwardPublished"


def test_a_phone_bid_without_any_price_is_refused() -> None:
    state = open_auction()
    for prices in ("", "   "):
        refused = refusal(state, EnterBid(reason="phoned", bidder="s1", bid_id="p1", prices=prices), T0 + 1000)
        assert refused.code == "bad_price" and "no prices given" in refused.message
    assert state.bid_count == 0


def test_a_phone_bid_needs_a_bid_id_so_a_retry_is_recognised() -> None:
    state = open_auction()
    phoned = EnterBid(reason="phoned", bidder="s1", bid_id="", prices="A=1.90,B=3.90")
    refused = refusal(state, phoned, T0 + 1000)
    assert refused.code == "bad_bid" and "needs a bid id" in refused.message
    accepted = decide(state, dataclasses.replace(phoned, bid_id="phone-1"), T0 + 1000)
    assert isinstance(accepted, list) and accepted[0].type == "BidAccepted"


def test_an_acceptance_under_a_bid_id_already_used_is_refused_and_changes_nothing() -> None:
    cfg = dataclasses.replace(make_config(), format="japanese", level_step_percent="5", level_floor_percent="70")
    state, _ = run(open_auction(cfg), AcceptLevel("s1", "a-1", 0), T0 + 1000)
    refused = refusal(state, AcceptLevel("s2", "a-1", 0), T0 + 2000)  # another bidder, the same id
    assert refused.code == "duplicate_bid_id" and refused.details == {"bid_id": "a-1"}
    assert state.accepted == {"s1"}


def test_a_price_sent_as_a_number_is_refused_not_rounded() -> None:
    """Bidders send prices as decimal text ("1.90"); a JSON number (1.9) could have lost digits on the way."""
    state = open_auction()
    refused = refusal(state, PlaceBid("s1", "b1", {"A": 1.9, "B": "3.90"}), T0 + 1000)  # type: ignore[dict-item]
    assert refused.code == "bad_price" and refused.message == "line A: the price must be a decimal string"
