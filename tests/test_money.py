"""Prices: the one-match fast path of ``parse_price`` agrees with plain decimal arithmetic, and everything it
does not handle still gets the careful path's answer or refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auction.rules.money import PriceFormatError, parse_price


@given(
    whole=st.integers(0, 10**12 - 1),
    fraction=st.text("0123456789", max_size=6),
    comma=st.booleans(),
    decimals=st.integers(0, 4),
)
def test_a_plain_price_is_its_decimal_value_in_units(whole: int, fraction: str, comma: bool, decimals: int) -> None:
    text = f"{whole}{(',' if comma else '.') + fraction if fraction else ''}"
    exact = Decimal(f"{whole}.{fraction or '0'}") * 10**decimals
    if exact == exact.to_integral_value():
        assert parse_price(text, decimals) == int(exact)
    else:
        with pytest.raises(PriceFormatError, match="decimals"):
            parse_price(text, decimals)


@pytest.mark.parametrize("text", ["", " ", "1.", ".5", "1.2.3", "-1.00", "1e3", "1_0", "٢", "+1", "1 000"])
def test_anything_else_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(PriceFormatError):
        parse_price(text, 2)


def test_surrounding_spaces_and_trailing_zeros_are_accepted() -> None:
    assert parse_price(" 2.35 ", 2) == 235
    assert parse_price("2.3500", 2) == 235
    assert parse_price("7", 0) == 7
