"""Options and values several commands share: times, durations, prices, the recorded reason."""

from __future__ import annotations

import click

from auction.clock import from_iso, system_clock
from auction.tender.file import parse_duration


def parse_when(text: str) -> int:
    """``now``, ``+30s`` / ``+2m`` (from now), or an ISO time."""
    if text == "now":
        return system_clock()
    if text.startswith("+"):
        return system_clock() + parse_duration(text[1:]) * 1000
    try:
        return from_iso(text)
    except ValueError:
        raise click.BadParameter(f"{text!r}: use 'now', '+2m' or an ISO time like 2027-09-15T10:00:00+02:00") from None


def format_duration(seconds: int) -> str:
    """120 → ``"2m"``, 5430 → ``"1h30m30s"``, 0 → ``"0s"``: the notation --duration and friends accept."""
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def duration_option(name: str, text: str, *, positive: bool = True) -> int:
    """A duration option's seconds; a clear usage error (exit 2) when it is not a duration or not positive."""
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None
    if positive and seconds <= 0:
        raise click.BadParameter(f"{text!r} must be longer than 0 seconds", param_hint=name)
    return seconds


REASON = click.option("--reason", required=True, help="Why; recorded in the auction's journal.")


BIDDER = click.option("--bidder", required=True, help="The bidder's supplier id (see `auction status AUCTION`).")


def parse_price_options(options: tuple[str, ...]) -> dict[str, str]:
    """``("L1-01=2.05", "L1-02=2,30")`` → ``{"L1-01": "2.05", "L1-02": "2.30"}``; a decimal comma becomes a point
    (the core's price list separates lines with commas)."""
    prices: dict[str, str] = {}
    for option in options:
        line, sep, price = (part.strip() for part in option.partition("="))
        if not sep or not line or not price:
            raise click.BadParameter(f"{option!r}: write LINE=PRICE, e.g. L1-01=2.05", param_hint="--price")
        if "=" in price or price.count(",") + price.count(".") > 1:
            raise click.BadParameter(
                f"{option!r}: one LINE=PRICE per --price (repeat --price for each line)", param_hint="--price"
            )
        if line in prices:
            raise click.BadParameter(f"line {line} is priced twice", param_hint="--price")
        prices[line] = price.replace(",", ".")
    return prices
