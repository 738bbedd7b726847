"""Prices as exact integers.

A price is held as an integer number of *price units*: euros × 10**decimals (with 2 decimals, cents).
Volume-weighted totals are integers in the same unit, so ranking never meets a rounding error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


class PriceFormatError(ValueError):
    pass


def parse_price(text: str, decimals: int) -> int:
    """``"2.35"`` → 235 (decimals=2). Refuses more decimals than allowed, negatives, and non-numbers."""
    raw = text.strip().replace(",", ".") if isinstance(text, str) else str(text)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise PriceFormatError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise PriceFormatError(f"{text!r} is not a finite number")
    scaled = value.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise PriceFormatError(f"{text!r} has more than {decimals} decimals")
    if value < 0:
        raise PriceFormatError(f"{text!r} is negative")
    return int(scaled)


def format_price(units: int, decimals: int) -> str:
    """235 → ``"2.35"`` (decimals=2); used in messages, documents and the protocol."""
    sign = "-" if units < 0 else ""
    units = abs(units)
    if decimals == 0:
        return f"{sign}{units}"
    whole, frac = divmod(units, 10**decimals)
    return f"{sign}{whole}.{frac:0{decimals}d}"


def format_euro(units: int, decimals: int) -> str:
    """Dutch notation for people: 1234567 (decimals=2) → ``"€ 12.345,67"``."""
    text = format_price(units, decimals)
    whole, _, frac = text.partition(".")
    negative = whole.startswith("-")
    whole = whole.lstrip("-")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    body = ".".join(groups) + ("," + frac if frac else "")
    return f"€ {'-' if negative else ''}{body}"
