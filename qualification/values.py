"""Reading a supplier's answer value as the type its criterion asks for.

Answers arrive as JSON scalars. Each reader returns the typed value or raises :class:`ValueError` whose
message says what was expected and what was given (``expected true or false, got 'misschien'``), so the
loader can prefix it with the file, the record and the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

AnswerValue = bool | int | float | str
"""What a supplier may write as an answer's ``value``: a JSON boolean, number or string."""

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def show(value: object) -> str:
    """Render a value the way the supplier wrote it in JSON, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, int | float):
        return repr(value)
    return f"a {type(value).__name__}"


def read_yes_no(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {show(value)}")
    return value


def read_number(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {show(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {show(value)}")
    number = Decimal(str(value))
    if abs(number) >= Decimal(10) ** 15:  # no real answer (euros, days, people) comes near this
        raise ValueError(f"the number {show(value)} is too large")
    return number


def read_date(value: object) -> date:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError(f'expected a date written as "YYYY-MM-DD", got {show(value)}')
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{show(value)} is not a valid calendar date") from None


def read_choice(value: object, options: Sequence[str] | None) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {show(value)}")
    if options is not None and value not in options:
        listed = ", ".join(f"'{option}'" for option in options)
        raise ValueError(f"expected one of {listed}, got {show(value)}")
    return value


def read_document_name(value: object) -> str:
    """The file name of an attached document: a relative path inside the response's folder, no ``..``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected the file name of an attached document, got {show(value)}")
    if not is_safe_document_name(value):
        raise ValueError(f"{show(value)} is not a relative file name (no '..', no leading '/', no '\\\\')")
    return value


def is_safe_document_name(name: str) -> bool:
    """A relative POSIX path that cannot leave the folder it is resolved in."""
    if name.startswith("/") or "\\" in name or len(name) > 255:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))
