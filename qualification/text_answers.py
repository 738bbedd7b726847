"""What a supplier types in a spreadsheet cell or a CSV field, read as the JSON-like values a response holds.

A response file (JSON) carries typed values: ``true``, ``2500000``, ``"2028-01-31"``. A workbook or a CSV file
carries text the way people write it: ``ja``, ``12,5``, ``31-01-2028``. This module turns such text into the
value :meth:`~qualification.criteria.Criterion.read_answer` accepts, or raises :class:`ValueError` whose message
says what was expected and what was given, so the caller can prefix it with the sheet and cell or the line.

Text that is empty (or only spaces) means "not answered": :func:`parse_text_answer` returns ``None`` and the
caller leaves the criterion out of ``answers``; evaluation then reports it as missing.

The supplier fields (KvK number, AGB code, contact …) and the time of submission are read here too, so the
workbook and the CSV reader check them the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from qualification.common.files import describe_location
from qualification.criteria import Criterion
from qualification.responses import ResponseDocument, Supplier
from qualification.values import AnswerValue

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
"""The time zone of a date and time written without an offset (a spreadsheet cell never has one)."""

_YES = frozenset({"ja", "j", "yes", "y", "true"})
_NO = frozenset({"nee", "n", "no", "false"})

_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_DIGITS_AND_SEPARATORS = re.compile(r"^[+-]?\d[\d.,\s'\u00a0\u202f]*\d$")
_AMBIGUOUS_THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_MAX_NUMBER_TEXT = 40  # longer text is no real answer; it also keeps int() far from its digit limit

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DUTCH_DATE_TIME = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")

EXPECTED: dict[str, str] = {
    "yes_no": "ja or nee (yes or no)",
    "number": "a number such as 2500000 or 12,5 (digits, at most one decimal comma or point, no unit)",
    "date_not_passed": "a date written as DD-MM-YYYY or YYYY-MM-DD",
    "document": "the file name of the attached document",
    "choice": "text",
}
"""What each answer type expects, in the words messages use."""


def quoted(text: str) -> str:
    return f"'{text}'"


def parse_yes_no(text: str) -> bool:
    word = text.strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValueError(f"expected {EXPECTED['yes_no']}, got {quoted(text)}")


def _looks_grouped(text: str) -> bool:
    """Digits with separators that can only be thousands groups: ``2.500.000``, ``2 500 000``, ``2,500.50``."""
    if not _DIGITS_AND_SEPARATORS.match(text):
        return False
    separators = [ch for ch in text.lstrip("+-") if not ch.isdigit()]
    return len(separators) > 1 or any(ch not in ".," for ch in separators)


def parse_number(text: str) -> int | float:
    """``2500000`` → 2500000, ``12,5`` or ``12.5`` → 12.5; thousands separators are refused.

    A number with one separator followed by exactly three digits (``2.500``, ``1,250``) is refused as ambiguous:
    in Dutch it is two thousand five hundred, in English two and a half.
    """
    stripped = text.strip()
    if len(stripped) > _MAX_NUMBER_TEXT:
        raise ValueError(f"expected {EXPECTED['number']}, got text of {len(stripped)} characters")
    if _looks_grouped(stripped):
        raise ValueError(f"write the number without thousands separators (2500000, not 2.500.000), got {quoted(text)}")
    if not _NUMBER.match(stripped):
        raise ValueError(f"expected {EXPECTED['number']}, got {quoted(text)}")
    if _AMBIGUOUS_THOUSANDS.match(stripped):
        separator = "," if "," in stripped else "."
        whole = stripped.replace(separator, "")
        fraction = format(Decimal(stripped.replace(",", ".")).normalize(), "f").replace(".", separator)
        raise ValueError(
            f"{quoted(text)} is ambiguous (a thousands separator or a decimal {separator}?):"
            f" write {whole} without the separator, or {fraction} if you meant a decimal number"
        )
    if "," not in stripped and "." not in stripped:
        return int(stripped)
    normal = stripped.replace(",", ".")
    number = float(normal)
    try:
        exact = Decimal(repr(number)) == Decimal(normal)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        exact = False
    if not exact:
        raise ValueError(f"{quoted(text)} has more digits than can be kept exactly (at most 15 significant digits)")
    return number


def parse_date(text: str) -> str:
    """``31-01-2028`` (also ``31-1-2028``) or ``2028-01-31`` → ``"2028-01-31"``."""
    stripped = text.strip()
    iso = _ISO_DATE.match(stripped)
    dutch = _DUTCH_DATE.match(stripped)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dutch:
        day, month, year = (int(part) for part in dutch.groups())
    else:
        raise ValueError(f"expected {EXPECTED['date_not_passed']}, got {quoted(text)}")
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"{quoted(text)} is not a valid calendar date") from None


def parse_choice(criterion: Criterion, text: str) -> str:
    """The trimmed text; when it matches one option apart from upper or lower case, that option's spelling.

    Excel's drop-down list accepts ``Ja`` for the option ``ja``; the supplier meant the option.
    """
    stripped = text.strip()
    options = criterion.options
    if options is None or stripped in options:
        return stripped
    matches = [option for option in options if option.casefold() == stripped.casefold()]
    return matches[0] if len(matches) == 1 else stripped


def parse_text_answer(criterion: Criterion, text: str) -> AnswerValue | None:
    """The JSON-like value of ``text`` for ``criterion``'s answer type; ``None`` when the text is empty.

    ``yes_no``: ja/nee/yes/no/true/false/j/n/y (any case, surrounding spaces ignored) → ``True``/``False``.
    ``number``: digits with at most one decimal separator (``,`` or ``.``) → ``int`` (no separator) or ``float``.
    ``date_not_passed``: ``YYYY-MM-DD`` or ``DD-MM-YYYY`` → the ISO text ``"YYYY-MM-DD"``.
    ``choice``: the trimmed text (see :func:`parse_choice`); ``document`` and any other type: the trimmed text.

    The result still goes through ``criterion.read_answer``, which checks bounds of form (a number too large,
    a choice not among the options, an unsafe document name).
    """
    if not text.strip():
        return None
    answer_type: str = criterion.type
    if answer_type == "yes_no":
        return parse_yes_no(text)
    if answer_type == "number":
        return parse_number(text)
    if answer_type == "date_not_passed":
        return parse_date(text)
    if answer_type == "choice":
        return parse_choice(criterion, text)
    return text.strip()


def in_amsterdam(naive: datetime) -> datetime:
    """A wall-clock time in the Netherlands as an aware datetime; refuses a time skipped when clocks go forward.

    In the hour repeated when the clocks go back, the first (summer time) is taken.
    """
    aware = naive.replace(tzinfo=AMSTERDAM)
    back = aware.astimezone(UTC).astimezone(AMSTERDAM).replace(tzinfo=None)
    if back != naive:
        raise ValueError(f"{naive:%d-%m-%Y %H:%M} does not exist in Dutch time (the clocks were put forward)")
    return aware


def parse_timestamp(text: str) -> datetime:
    """A date and time: ISO 8601 (``2026-07-14T16:52:30+02:00``) or Dutch (``14-07-2026 16:52``).

    Without an offset the time is Dutch time (Europe/Amsterdam). A date without a time is refused: the moment
    of submission decides whether a response was in time.
    """
    stripped = text.strip()
    expected = f"expected a date and time such as 14-07-2026 16:52 or 2026-07-14T16:52:30+02:00, got {quoted(text)}"
    dutch = _DUTCH_DATE_TIME.match(stripped)
    if dutch:
        day, month, year, hour, minute = (int(part) for part in dutch.groups()[:5])
        second = int(dutch.group(6) or 0)
        try:
            moment = datetime(year, month, day, hour, minute, second)
        except ValueError:
            raise ValueError(f"{quoted(text)} is not a valid date and time") from None
    elif _ISO_DATE_TIME.match(stripped):
        try:
            moment = datetime.fromisoformat(stripped)
        except ValueError:
            raise ValueError(expected) from None
    else:
        raise ValueError(expected)
    return moment if moment.tzinfo is not None else in_amsterdam(moment)


# ── Supplier fields ─────────────────────────────────────────────────────────────────────────────────────────

SUPPLIER_KEYS = ("id", "name", "kvk", "agb", "contact.name", "contact.email")
"""The supplier fields a workbook or CSV carries, as dotted paths into the response's ``supplier`` object."""

_OPTIONAL_KEYS = frozenset({"id"})
_ID_RULE = "letters, digits, '_', '.' or '-', starting with a letter or digit, at most 64"


def _pydantic_message(key: str, error: Mapping[str, Any], value: str) -> str:
    if error.get("type") == "string_pattern_mismatch":
        return f"expected {_ID_RULE}, got {quoted(value)}"
    message = str(error.get("msg", "invalid"))
    if key in ("kvk", "agb") and value.isascii() and value.isdigit() and len(value) < 8:
        message += " (a spreadsheet may have dropped a leading zero: format the cell as text)"
    return message


def build_supplier(
    values: Mapping[str, str], where: Callable[[str], str], reported: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The response's ``supplier`` object from trimmed text per key of :data:`SUPPLIER_KEYS`, and the problems.

    An empty ``id`` becomes ``sup-<kvk>``. ``where(key)`` names the place of a field in messages (``sheet
    Leverancier, cell B3 (KvK-nummer)``); each problem is ``(key, where(key) + ": " + what is wrong)``, so the
    caller can put them in the order of its rows. Keys in ``reported`` already have a problem of the caller's
    and are not reported again.
    """
    problems: list[tuple[str, str]] = []
    text = {key: values.get(key, "").strip() for key in SUPPLIER_KEYS}
    for key in SUPPLIER_KEYS:
        if not text[key] and key not in _OPTIONAL_KEYS and key not in reported:
            problems.append((key, f"{where(key)}: required, but empty"))
    defaulted = not text["id"]
    if defaulted:
        text["id"] = f"sup-{text['kvk']}"
    supplier: dict[str, Any] = {
        "id": text["id"],
        "name": text["name"],
        "kvk": text["kvk"],
        "agb": text["agb"],
        "contact": {"name": text["contact.name"], "email": text["contact.email"]},
    }
    try:
        Supplier.model_validate(supplier)
    except ValidationError as exc:
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            if key not in text or key in reported or not text[key] or (key == "id" and defaulted):
                continue  # empty: reported above; a defaulted id is wrong only when the KvK number is
            problems.append((key, f"{where(key)}: {_pydantic_message(key, error, text[key])}"))
    return supplier, problems


def document_problems(document: dict[str, Any]) -> list[str]:
    """What the response model still finds wrong with a document built from a workbook or CSV (normally nothing:
    the readers check every field first; this is the last guard that their output is a valid response)."""
    try:
        ResponseDocument.model_validate(document)
    except ValidationError as exc:
        return [f"{describe_location(document, tuple(err['loc']))}: {err['msg']}" for err in exc.errors()]
    return []
