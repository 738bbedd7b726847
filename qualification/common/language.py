"""The two languages of every document (Dutch and English), and dates written in words."""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

Language = Literal["nl", "en"]


LANGUAGES: tuple[Language, ...] = get_args(Language)


def check_language(language: str) -> Language:
    if language == "nl":
        return "nl"
    if language == "en":
        return "en"
    raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")


_MONTHS: dict[Language, tuple[str, ...]] = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def day(value: str | date, language: Language) -> str:
    """``"2027-09-15"`` → ``"15 september 2027"`` (nl) or ``"15 September 2027"`` (en)."""
    when = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{when.day} {_MONTHS[language][when.month - 1]} {when.year}"
