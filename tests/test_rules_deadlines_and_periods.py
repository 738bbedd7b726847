"""When the core next wants the clock (per phase), and how a contract period that is not a whole number of
months is counted (rounded down, and never below zero), with the contract value that follows from it."""

from __future__ import annotations

import dataclasses

import pytest

from auction.rules.core import INITIAL, contract_months, derive_contract, next_deadline
from auction.rules.lifecycle import Phase
from auction.rules.messages import Close, Create, Pause, PlaceBid
from tests.factories import T0, make_config, open_auction, run


def test_the_next_deadline_is_the_opening_then_the_close_and_none_while_paused_or_closed() -> None:
    scheduled, _ = run(INITIAL, Create(make_config(opens_at=T0 + 5000)), T0)
    assert next_deadline(INITIAL) is None  # nothing created yet: nothing to wait for
    assert next_deadline(scheduled) == T0 + 5000
    state = open_auction()
    assert next_deadline(state) == T0 + 600_000
    paused, _ = run(state, Pause(reason="connection trouble"), T0 + 1000)
    assert paused.phase is Phase.PAUSED and next_deadline(paused) is None  # the clock stands still
    closed, _ = run(state, Close(reason="done"), T0 + 1000)
    assert closed.phase is Phase.CLOSED and next_deadline(closed) is None


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        ("2027-01-01", "2028-12-31", 24),  # whole months, inclusive
        ("2027-01-31", "2027-03-29", 1),  # one month and 29 days: rounded down
        ("2027-01-31", "2027-03-30", 2),  # 31 January to 30 March inclusive ends on the day before 31 March
        ("2027-01-15", "2027-02-13", 0),  # less than a month
        ("2027-03-01", "2027-02-01", 0),  # an end before the start never counts negative months
    ],
)
def test_contract_months_count_whole_months_only(start: str, end: str, months: int) -> None:
    assert contract_months(start, end) == months


def test_the_contract_value_is_the_yearly_total_for_the_whole_months_of_the_period() -> None:
    cfg = dataclasses.replace(make_config(), contract_start="2027-01-31", contract_end="2027-08-29")  # 6 months
    state, _ = run(open_auction(cfg), PlaceBid("s1", "b1", {"A": "1.90", "B": "3.90"}), T0 + 1000)  # 3850.00
    contract = derive_contract(state)
    assert isinstance(contract, dict)
    assert contract["period"] == {"start": "2027-01-31", "end": "2027-08-29", "months": 6}
    assert contract["contract_value"] == "1925.00"  # 3850.00 × 6 / 12
