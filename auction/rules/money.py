"""Prices as exact integers.

A price is held as an integer number of *price units*: euros × 10**decimals (with 2 decimals, cents).
Volume-weighted totals are integers in the same unit, so ranking never meets a rounding error.
"""

from __future__ import annotations

import re

from qualification.common.errors import USAGE, DieetveilingError


class PriceFormatError(DieetveilingError, ValueError):
    """Not a price: the message says what was expected."""

    code = "bad_price"
    exit_status = USAGE


# Plain decimal notation only: ASCII digits, one "." or "," and no sign, exponent, underscore or other script's
# digits (Python's Decimal would accept "1_0", "1e3" and "٢"; a bidder typing those made a mistake).
_PRICE = re.compile(r"[0-9]{1,12}(?:[.,][0-9]{1,30})?")


_PLAIN_PRICE = re.compile(r"([0-9]{1,12})(?:[.,]([0-9]{1,30}))?")
_SCALE: tuple[int, ...] = tuple(10**n for n in range(31))


def parse_price(text: str, decimals: int) -> int:
    """``"2.35"`` → 235 (decimals=2). Refuses more decimals than allowed, negatives, and non-numbers."""
    # The common case in one match (a bid prices every line: this runs once per line per bid); anything else,
    # including every refusal, takes the careful path below.
    plain = _PLAIN_PRICE.fullmatch(text) if type(text) is str else None
    if plain is not None:
        whole: str = plain.group(1)
        fraction: str = plain.group(2) or ""
        if len(fraction) <= decimals:
            cents = int(fraction) * _SCALE[decimals - len(fraction)] if fraction else 0
            return int(whole) * _SCALE[decimals] + cents
    raw = text.strip() if isinstance(text, str) else str(text)
    if raw.startswith("-") and _PRICE.fullmatch(raw[1:]):
        raise PriceFormatError(f"{_shown(text)} is negative")
    if not _PRICE.fullmatch(raw):
        raise PriceFormatError(f"{_shown(text)} is not a price like 2.35 (digits, one decimal point or comma)")
    whole, _, fraction = raw.replace(",", ".").partition(".")
    if len(fraction.rstrip("0")) > decimals:
        raise PriceFormatError(f"{_shown(text)} has more than {decimals} decimals")
    scale: int = 10**decimals
    return int(whole) * scale + int((fraction + "0" * decimals)[:decimals] or "0")


def _shown(text: object) -> str:
    """The input as it can safely be shown in a message: quoted, shortened, with odd characters escaped."""
    shown = ascii(text) if isinstance(text, str) else repr(text)
    return shown if len(shown) <= 40 else shown[:37] + "…'"


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
