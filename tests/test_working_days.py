"""Dutch working days: known holidays from ``holidays.NL`` and the arithmetic's properties (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualification.common.working_days import (
    add_working_days,
    holiday_name,
    is_working_day,
    working_days_between,
)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
counts = st.integers(min_value=0, max_value=400)


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 4, 3), "Good Friday (a day off in the calendar we follow)"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 4, 27), "King's Day on a Monday"),
        (date(2026, 5, 14), "Ascension Day"),
        (date(2026, 5, 25), "Whit Monday"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2025, 5, 5), "Liberation Day in a lustrum year (2025)"),
    ],
)
def test_dutch_public_holidays_are_not_working_days(day: date, why: str) -> None:
    assert day.weekday() < 5, why
    assert not is_working_day(day), why
    assert holiday_name(day) is not None


def test_liberation_day_is_a_day_off_only_every_fifth_year() -> None:
    assert not is_working_day(date(2025, 5, 5)) and not is_working_day(date(2020, 5, 5))
    assert is_working_day(date(2026, 5, 5)) and is_working_day(date(2027, 5, 5))  # Tuesday, Wednesday
    assert holiday_name(date(2026, 5, 5)) is None


def test_kings_day_moves_to_saturday_26_april_when_the_27th_is_a_sunday() -> None:
    assert date(2025, 4, 27).weekday() == 6
    assert holiday_name(date(2025, 4, 26)) is not None and holiday_name(date(2025, 4, 27)) is None
    # A weekend either way, so Friday 25 April 2025 plus one working day is Monday 28 April.
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 28)
    # In 2026 King's Day is a Monday: Friday 24 April plus one is Tuesday 28 April.
    assert add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 6, 12), 1, date(2026, 6, 15)),  # Friday → Monday
        (date(2026, 6, 15), 5, date(2026, 6, 22)),  # the example's answers term
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # over Ascension Day
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Good Friday, the weekend and Easter Monday
        (date(2026, 5, 22), 1, date(2026, 5, 26)),  # over Whit Monday
        (date(2026, 12, 24), 1, date(2026, 12, 28)),  # over Christmas (Friday) and the weekend
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # over New Year's Day (Friday) and the weekend
        (date(2026, 6, 13), 0, date(2026, 6, 13)),  # zero: the day itself, even a Saturday
    ],
)
def test_add_working_days_over_known_holidays(start: date, n: int, expected: date) -> None:
    assert add_working_days(start, n) == expected
    assert working_days_between(start, expected) == n


def test_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative, got -1"):
        add_working_days(date(2026, 6, 15), -1)


@given(days, counts)
def test_counting_the_days_added_gives_n_back(day: date, n: int) -> None:
    later = add_working_days(day, n)
    assert working_days_between(day, later) == n
    assert later >= day
    if n:
        assert is_working_day(later)
        # … and it is the first such day: the day before has one working day fewer.
        assert working_days_between(day, later - timedelta(days=1)) == n - 1


@given(days, counts)
def test_adding_is_monotonic(day: date, n: int) -> None:
    assert add_working_days(day, n + 1) > add_working_days(day, n)


@given(days, days, days)
def test_counts_add_up_and_reverse_sign(a: date, b: date, c: date) -> None:
    assert working_days_between(a, b) + working_days_between(b, c) == working_days_between(a, c)
    assert working_days_between(b, a) == -working_days_between(a, b)


@given(days, st.integers(min_value=0, max_value=120))
def test_the_count_equals_counting_day_by_day(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    by_hand = sum(is_working_day(a + timedelta(days=i)) for i in range(1, span + 1))
    assert working_days_between(a, b) == by_hand
    assert 0 <= by_hand <= span


@given(days)
def test_a_week_has_at_most_five_working_days(day: date) -> None:
    assert 0 <= working_days_between(day, day + timedelta(days=7)) <= 5
