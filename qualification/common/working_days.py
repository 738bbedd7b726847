"""Dutch working days: the terms of a tender (answers within 5 working days, …) are counted in them.

A working day is a Monday to Friday that is not a Dutch public holiday. The holidays come from the ``holidays``
package (``holidays.NL``, category ``public``), a well-kept calendar, not a table of ours: New Year's Day, Good
Friday, Easter Monday, King's Day (27 April, or Saturday 26 April when the 27th is a Sunday), Liberation Day
(5 May) only in every fifth year (2025, 2030, …), Ascension Day, Whit Monday and both days of Christmas.

Two choices follow the package and are on purpose: Liberation Day counts as a day off only every fifth year, as
most collective agreements give it (the Algemene termijnenwet names it every year); and Good Friday counts as a
day off, which gives a supplier one day more, never less, on a term that spans it. docs/formats.md says so too.

The module is pure: no clock; the same dates give the same answers.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_in(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=year, categories=("public",)).keys())


def holiday_name(day: date) -> str | None:
    """The Dutch public holiday on ``day`` (its English name), or None."""
    found = holidays.country_holidays("NL", years=day.year, categories=("public",)).get(day)
    return None if found is None else str(found)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Dutch public holiday."""
    return day.weekday() < 5 and day not in _holidays_in(day.year)


def add_working_days(day: date, n: int) -> date:
    """The day ``n`` working days after ``day`` (``day`` itself not counted); ``day`` unchanged for ``n = 0``.

    Friday 12 June 2026 plus 1 working day is Monday 15 June; Wednesday 13 May 2026 plus 1 is Friday 15 May
    (Thursday 14 May is Ascension Day).
    """
    if n < 0:
        raise ValueError(f"a number of working days cannot be negative, got {n}")
    current = day
    left = n
    while left:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def working_days_between(a: date, b: date) -> int:
    """The working days after ``a`` up to and including ``b``; negative (the same count) when ``b`` is before ``a``.

    So ``working_days_between(a, add_working_days(a, n)) == n`` and counts add up:
    ``between(a, b) + between(b, c) == between(a, c)``.
    """
    if b < a:
        return -working_days_between(b, a)
    whole_weeks, rest = divmod((b - a).days, 7)
    count = whole_weeks * 5
    for offset in range(1, rest + 1):
        if (a + timedelta(days=offset)).weekday() < 5:
            count += 1
    holidays_in_range = sum(
        1
        for year in range(a.year, b.year + 1)
        for holiday in _holidays_in(year)
        if a < holiday <= b and holiday.weekday() < 5
    )
    return count - holidays_in_range
