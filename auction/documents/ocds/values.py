"""Small conversions for the OCDS export (:mod:`auction.ocds`): money, times, calendar dates and two-language texts.

Kept apart so that the tender, qualification and award parts of the export convert values the same way.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from auction.clock import to_iso

# The contract dates in the tender and contract are Dutch calendar days; a day starts and ends in Dutch time.
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def amount(text: str | Decimal) -> int | float:
    """A decimal amount (``"4800000.00"``) as the JSON number OCDS wants in ``value.amount``.

    Call it at the very last step: all sums and products are done on :class:`~decimal.Decimal` (or integer price
    units) first. A whole amount becomes an ``int``, anything else a ``float``, and only when that float reads back
    as exactly the same decimal, so no cent is ever lost silently.
    """
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a decimal amount") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a finite amount")
    if value == value.to_integral_value():
        return int(value)
    number = float(value)
    if Decimal(repr(number)) != value:
        raise ValueError(f"{text!r} cannot be written as a JSON number without losing precision")
    return number


def money(text: str | Decimal, currency: str) -> dict[str, Any]:
    """An OCDS ``Value`` object."""
    return {"amount": amount(text), "currency": currency}


def ms_time(ms: int) -> str:
    """Milliseconds since the epoch as ISO 8601 in UTC (``2026-09-15T10:00:00.000Z``), as everywhere in the project."""
    return to_iso(ms)


def to_ms(moment: datetime) -> int:
    """An aware datetime as milliseconds since the epoch, in integers (no float rounding)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def day_start(day: date) -> str:
    """The first second of a Dutch calendar day, with its UTC offset (``2027-01-01T00:00:00+01:00``)."""
    return datetime.combine(day, time(0, 0, 0), DUTCH_TIME).isoformat()


def day_end(day: date) -> str:
    """The last second of a Dutch calendar day: a period that ends on a date includes that whole day."""
    return datetime.combine(day, time(23, 59, 59), DUTCH_TIME).isoformat()


def texts(field: str, nl: str, en: str) -> dict[str, str]:
    """A text field in Dutch (the release's language) with its English variant in ``<field>_en``.

    OCDS marks a translation by suffixing the field name with a language tag; generated texts exist in both
    languages, so a reader without Dutch is not left out.
    """
    return {field: nl, f"{field}_en": en}
