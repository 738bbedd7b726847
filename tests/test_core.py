"""Worked examples of the reverse English auction rules, on the pure core (no event loop, no I/O)."""

from __future__ import annotations

from auction.rules.core import AuctionState, decide, derive_contract, fold, next_deadline
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AuctionClosed,
    AwardIntended,
    BidAccepted,
    Close,
    CloseExtended,
    Extend,
    IntendAward,
    MakeDefinitive,
    Pause,
    PlaceBid,
    RecordObjection,
    Rejection,
    Resume,
    SignContract,
    Start,
    Tick,
    WithholdAward,
)
from tests.factories import T0, make_config, open_auction, run


def bid(bidder: str, bid_id: str, a: str, b: str) -> PlaceBid:
    return PlaceBid(bidder=bidder, bid_id=bid_id, prices={"A": a, "B": b})


def test_scheduled_auction_opens_at_its_time_and_not_before() -> None:
    from auction.rules.core import INITIAL
    from auction.rules.messages import Create

    state, _ = run(INITIAL, Create(make_config()), T0 - 5000)
    assert state.phase is Phase.SCHEDULED
    assert decide(state, Tick(), T0 - 1) == []
    state, events = run(state, Tick(), T0)
    assert state.phase is Phase.OPEN
    assert state.closes_at == T0 + 600_000
    assert next_deadline(state) == T0 + 600_000


def test_bid_is_ranked_by_volume_weighted_total() -> None:
    state = open_auction()
    # s1: 1.90*1000 + 4.00*500 = 3900.00 ; s2: 2.00*1000 + 3.70*500 = 3850.00 → s2 leads although line A is dearer
    state, events = run(state, bid("s1", "b1", "1.90", "4.00"), T0 + 1000)
    assert isinstance(events, list) and isinstance(events[0], BidAccepted)
    assert events[0].total == 390_000
    state, _ = run(state, bid("s2", "b2", "2.00", "3.70"), T0 + 2000)
    assert state.rank_of("s2") == 1
    assert state.rank_of("s1") == 2
    assert state.rank_of("s3") is None


def test_equal_totals_rank_the_earlier_bid_first() -> None:
    state = open_auction()
    state, _ = run(state, bid("s1", "b1", "1.90", "4.00"), T0 + 1000)
    state, _ = run(state, bid("s2", "b2", "1.90", "4.00"), T0 + 2000)
    assert [who for who, _ in state.ranking()] == ["s1", "s2"]


def test_ceiling_per_line_is_enforced() -> None:
    state = open_auction()
    _, result = run(state, bid("s1", "b1", "2.01", "1.00"), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "above_ceiling"
    assert result.details["line"] == "A"


def test_percent_decrement_against_own_previous_total() -> None:
    state = open_auction()  # 1 % decrement
    state, _ = run(state, bid("s1", "b1", "2.00", "4.00"), T0 + 1000)  # total 4000.00
    _, result = run(state, bid("s1", "b2", "1.99", "3.99"), T0 + 2000)  # 3985.00: only 0.375 % lower
    assert isinstance(result, Rejection) and result.code == "decrement_too_small"
    assert result.details["max_total"] == "3960.00"
    state, result = run(state, bid("s1", "b3", "1.96", "4.00"), T0 + 3000)  # 3960.00: exactly 1 % lower
    assert isinstance(result, list)


def test_absolute_decrement() -> None:
    state = open_auction(make_config(decrement_amount=5_000))  # € 50.00 on the total
    state, _ = run(state, bid("s1", "b1", "2.00", "4.00"), T0 + 1000)
    _, result = run(state, bid("s1", "b2", "2.00", "3.91"), T0 + 2000)  # 45.00 lower
    assert isinstance(result, Rejection) and result.code == "decrement_too_small"
    _, result = run(state, bid("s1", "b3", "2.00", "3.90"), T0 + 2000)  # 50.00 lower
    assert isinstance(result, list)


def test_bad_prices_are_refused_with_the_line_named() -> None:
    state = open_auction()
    cases = {
        ("abc", "1.00"): "bad_price",
        ("1.001", "1.00"): "bad_price",
        ("0", "1.00"): "bad_price",
        ("-1", "1.00"): "bad_price",
    }
    for (a, b), code in cases.items():
        _, result = run(state, bid("s1", "x", a, b), T0 + 1000)
        assert isinstance(result, Rejection) and result.code == code and result.details["line"] == "A"
    _, result = run(state, PlaceBid("s1", "x", {"A": "1.00"}), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "missing_line"
    _, result = run(state, PlaceBid("s1", "x", {"A": "1.00", "B": "1.00", "Z": "1"}), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "unknown_line"
    _, result = run(state, bid("intruder", "x", "1.00", "1.00"), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "unknown_bidder"


def test_a_comma_is_accepted_as_decimal_separator() -> None:
    state = open_auction()
    _, result = run(state, bid("s1", "b1", "1,95", "3,50"), T0 + 1000)
    assert isinstance(result, list) and result[0].prices == {"A": 195, "B": 350}  # type: ignore[attr-defined]


def test_no_bid_before_open_or_after_close() -> None:
    from auction.rules.core import INITIAL
    from auction.rules.messages import Create

    state, _ = run(INITIAL, Create(make_config()), T0 - 5000)
    _, result = run(state, bid("s1", "b1", "1.00", "1.00"), T0 - 10)
    assert isinstance(result, Rejection) and result.code == "not_open"
    state = open_auction()
    # At the closing time a bid is too late even if no tick recorded the close yet.
    _, result = run(state, bid("s1", "b1", "1.00", "1.00"), T0 + 600_000)
    assert isinstance(result, Rejection) and result.code == "closed"
    state, events = run(state, Tick(), T0 + 600_000)
    assert state.phase is Phase.CLOSED and isinstance(events, list) and isinstance(events[0], AuctionClosed)
    _, result = run(state, bid("s1", "b2", "1.00", "1.00"), T0 + 600_001)
    assert isinstance(result, Rejection) and result.code == "closed"


def test_a_new_lead_in_the_closing_window_extends_the_close() -> None:
    state = open_auction(make_config(window_s=60, extension_s=90))
    state, _ = run(state, bid("s1", "b1", "2.00", "4.00"), T0 + 1000)
    close = T0 + 600_000
    # s2 takes the lead 30 s before the close → close moves to 90 s after that bid
    state, events = run(state, bid("s2", "b2", "1.90", "4.00"), close - 30_000)
    assert isinstance(events, list) and isinstance(events[-1], CloseExtended)
    assert state.closes_at == close - 30_000 + 90_000
    assert state.extensions == 1


def test_a_bid_that_does_not_take_the_lead_does_not_extend() -> None:
    state = open_auction(make_config(window_s=60, extension_s=90))
    state, _ = run(state, bid("s1", "b1", "1.50", "3.00"), T0 + 1000)
    state, events = run(state, bid("s2", "b2", "1.90", "4.00"), T0 + 590_000)
    assert isinstance(events, list) and len(events) == 1
    # nor does the leader improving its own lead
    state, events = run(state, bid("s1", "b3", "1.40", "3.00"), T0 + 595_000)
    assert isinstance(events, list) and len(events) == 1
    assert state.closes_at == T0 + 600_000


def test_extensions_stop_at_the_cap() -> None:
    state = open_auction(make_config(window_s=60, extension_s=60, max_extensions=1))
    state, _ = run(state, bid("s1", "b1", "2.00", "4.00"), T0 + 1000)
    state, _ = run(state, bid("s2", "b2", "1.90", "4.00"), T0 + 590_000)
    assert state.extensions == 1
    state, events = run(state, bid("s1", "b3", "1.80", "3.90"), T0 + 640_000)
    assert isinstance(events, list) and len(events) == 1 and state.extensions == 1


def test_pause_stops_the_clock_and_resume_restores_the_time_left() -> None:
    state = open_auction()
    state, _ = run(state, Pause(reason="technical check"), T0 + 100_000)
    _, result = run(state, bid("s1", "b1", "1.00", "1.00"), T0 + 110_000)
    assert isinstance(result, Rejection) and result.code == "paused"
    assert decide(state, Tick(), T0 + 900_000) == []  # no close while paused
    state, _ = run(state, Resume(reason="check done"), T0 + 160_000)
    assert state.closes_at == T0 + 660_000  # 60 s paused → close 60 s later


def test_organiser_controls_need_a_reason_and_a_legal_phase() -> None:
    state = open_auction()
    _, result = run(state, Pause(reason="  "), T0 + 1)
    assert isinstance(result, Rejection) and result.code == "reason_required"
    _, result = run(state, Resume(reason="x"), T0 + 1)
    assert isinstance(result, Rejection) and result.code == "illegal_transition"
    assert result.details == {"phase": "open", "command": "resume"}
    _, result = run(state, Start(reason="x"), T0 + 1)
    assert isinstance(result, Rejection) and result.code == "illegal_transition"
    state, _ = run(state, Extend(reason="bidder asked", seconds=120), T0 + 1)
    assert state.closes_at == T0 + 720_000
    state, _ = run(state, Close(reason="early"), T0 + 2)
    _, result = run(state, Extend(reason="x", seconds=10), T0 + 3)
    assert isinstance(result, Rejection) and result.code == "illegal_transition"


def closed_with_two_offers() -> AuctionState:
    state = open_auction()
    state, _ = run(state, bid("s1", "b1", "1.90", "4.00"), T0 + 1000)
    state, _ = run(state, bid("s2", "b2", "2.00", "3.70"), T0 + 2000)
    state, _ = run(state, Tick(), T0 + 600_000)
    return state


def test_the_intention_to_award_gives_the_contract_to_the_lowest_total_for_all_insurers() -> None:
    state = open_auction()
    state, _ = run(state, bid("s1", "b1", "1.90", "4.00"), T0 + 1000)
    _, result = run(state, IntendAward(reason="x"), T0 + 3000)
    assert isinstance(result, Rejection) and result.code == "illegal_transition"  # not while open
    state = closed_with_two_offers()
    state, events = run(
        state, IntendAward(reason="best offer", journal_head_seq=9, journal_head_hash="ab"), T0 + 601_000
    )
    assert isinstance(events, list) and isinstance(events[0], AwardIntended)
    assert state.phase is Phase.INTENDED and state.standstill_ends == T0 + 601_000 + 86_400_000
    contract = state.contract
    assert contract is not None
    assert contract["supplier"] == {"id": "s2", "name": "Supplier s2 B.V.", "kvk": "00000002", "agb": "00000012"}
    assert contract["total_per_year"] == "3850.00" and contract["rank"] == 1
    assert contract["period"] == {"start": "2027-01-01", "end": "2028-12-31", "months": 24}
    assert contract["contract_value"] == "7700.00"
    assert [line["price"] for line in contract["lines"]] == ["2.00", "3.70"]
    insurers = [(i["share"], i["expected_value_per_year"], i["expected_value"]) for i in contract["insurers"]]
    assert insurers == [("3/4", "2887.50", "5775.00"), ("1/4", "962.50", "1925.00")]
    assert [i["expected_volumes"] for i in contract["insurers"]] == [{"A": 750, "B": 375}, {"A": 250, "B": 125}]
    assert contract["journal_head"] == {"seq": 9, "hash": "ab", "signature": "", "public_key": ""}
    assert contract["concept_contract"] == {"version": "1.0", "hash": "c" * 64}


def test_the_next_in_rank_can_be_chosen_with_a_reason() -> None:
    state = closed_with_two_offers()
    state, _ = run(state, IntendAward(reason="s2 failed the document check", rank=2), T0 + 601_000)
    assert state.contract is not None and state.contract["supplier"]["id"] == "s1" and state.contract["rank"] == 2
    _, result = run(state, IntendAward(reason="x", rank=3), T0 + 602_000)
    assert isinstance(result, Rejection) and result.code == "no_such_rank"


def test_standstill_objections_then_definitive_then_signed() -> None:
    state = closed_with_two_offers()
    state, _ = run(state, IntendAward(reason="best offer"), T0 + 601_000)
    ends = state.standstill_ends
    assert ends is not None
    _, result = run(state, RecordObjection(reason="mine was better", bidder="s2"), ends - 1)
    assert isinstance(result, Rejection) and result.code == "winner_cannot_object"
    _, result = run(state, RecordObjection(reason="?", bidder="s3"), ends - 1)
    assert isinstance(result, Rejection) and result.code == "not_a_bidder"
    state, _ = run(state, RecordObjection(reason="the decrement rule was unclear", bidder="s1"), ends - 1)
    assert state.objections == (("s1", "the decrement rule was unclear", ends - 1),)
    _, result = run(state, RecordObjection(reason="late", bidder="s1"), ends)
    assert isinstance(result, Rejection) and result.code == "standstill_over"
    _, result = run(state, MakeDefinitive(reason="objection answered"), ends - 1)
    assert isinstance(result, Rejection) and result.code == "standstill_running"
    _, result = run(state, SignContract(reason="x", signatory="A. de Vries", signed_on="2026-12-01"), ends)
    assert isinstance(result, Rejection) and result.code == "illegal_transition"
    state, _ = run(state, MakeDefinitive(reason="objection answered"), ends)
    assert state.phase is Phase.DEFINITIVE
    _, result = run(state, SignContract(reason="x", signatory=" ", signed_on="2026-12-01"), ends + 1)
    assert isinstance(result, Rejection) and result.code == "signatory_required"
    _, result = run(state, SignContract(reason="x", signatory="A. de Vries", signed_on="1 december"), ends + 1)
    assert isinstance(result, Rejection) and result.code == "bad_date"
    state, _ = run(state, SignContract(reason="x", signatory="A. de Vries", signed_on="2026-12-01"), ends + 1)
    assert state.phase is Phase.SIGNED and state.signed == ("A. de Vries", "2026-12-01")


def test_a_revised_intention_restarts_the_standstill_and_clears_objections() -> None:
    state = closed_with_two_offers()
    state, _ = run(state, IntendAward(reason="best offer"), T0 + 601_000)
    state, _ = run(state, RecordObjection(reason="objection", bidder="s1"), T0 + 602_000)
    state, _ = run(state, IntendAward(reason="s2 failed the final check", rank=2), T0 + 603_000)
    assert state.standstill_ends == T0 + 603_000 + 86_400_000 and state.objections == ()


def test_the_award_can_be_withheld_with_a_reason() -> None:
    state = closed_with_two_offers()
    state, _ = run(state, IntendAward(reason="best offer"), T0 + 601_000)
    state, _ = run(state, WithholdAward(reason="the budget was withdrawn"), T0 + 602_000)
    assert state.phase is Phase.NO_AWARD and state.contract is None
    _, result = run(state, IntendAward(reason="x"), T0 + 603_000)
    assert isinstance(result, Rejection) and result.code == "illegal_transition"


def test_insurers_parts_add_up_to_the_total_exactly() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from auction.rules.config import InsurerShare
    from auction.rules.core import split_by_insured

    @given(st.integers(0, 10**12), st.lists(st.integers(1, 5_000_000), min_size=1, max_size=6))
    def check(total: int, insured: list[int]) -> None:
        cfg = make_config()
        cfg = cfg.__class__(
            **{
                **cfg.__dict__,
                "insurers": tuple(InsurerShare(f"i{n}", "x", v) for n, v in enumerate(insured)),
            }
        )
        parts = split_by_insured(total, cfg)
        assert sum(parts) == total
        for part, weight in zip(parts, insured, strict=True):
            assert abs(part - total * weight / sum(insured)) < 1 + 1e-6 * total

    check()


def test_practice_auction_never_produces_a_contract() -> None:
    state = open_auction(make_config(practice=True))
    state, _ = run(state, bid("s1", "b1", "1.90", "4.00"), T0 + 1000)
    state, _ = run(state, Close(reason="done"), T0 + 2000)
    _, result = run(state, IntendAward(reason="x"), T0 + 3000)
    assert isinstance(result, Rejection) and result.code == "practice_cannot_award"


def test_award_without_bids_is_refused() -> None:
    state = open_auction()
    state, _ = run(state, Close(reason="done"), T0 + 2000)
    assert isinstance(derive_contract(state), Rejection)


def test_fold_of_the_events_gives_the_same_state() -> None:
    from auction.rules.core import INITIAL
    from auction.rules.messages import Create

    events = []
    state = INITIAL
    for command, now in [
        (Create(make_config()), T0 - 1),
        (Tick(), T0),
        (bid("s1", "b1", "1.90", "4.00"), T0 + 1),
        (bid("s2", "b2", "1.80", "4.00"), T0 + 2),
        (Close(reason="r"), T0 + 3),
        (IntendAward(reason="r"), T0 + 4),
    ]:
        result = decide(state, command, now)
        assert isinstance(result, list)
        events.extend(result)
        state, _ = run(state, command, now)
    assert fold(events) == state
