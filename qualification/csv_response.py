"""Supplier responses as CSV: a template per tender, and reading a filled-in one back.

For suppliers who prefer a plain file to the workbook (``qualification.workbook``). One row per field:

    field,value,evidence,remark
    tender_id,DV-2027,,
    supplier.id,sup-klaverveld,,
    supplier.name,Klaverveld Thuisvoeding B.V.,,
    supplier.kvk,81275406,,
    supplier.agb,43022718,,
    supplier.contact.name,Marco de Wit,,
    supplier.contact.email,aanbesteding@klaverveld.example,,
    submitted_at,2026-07-14T16:52:30+02:00,,
    ALG-01,ja,klaverveld/kvk-uittreksel.pdf,
    DV-06,2500000,klaverveld/polisblad-aansprakelijkheid.pdf,

The delimiter is ``,`` or ``;`` (Dutch Excel saves with ``;``), taken from the header line. The file is UTF-8,
with or without a byte order mark. Values are read as in the workbook (:mod:`qualification.text_answers`):
``ja``/``nee``, ``12,5``, ``31-01-2028``. A criterion with an empty value, or without a row, is not answered.
``supplier.id`` may be left empty (it becomes ``sup-<kvk>``); the other supplier rows, ``tender_id`` and
``submitted_at`` are required. Every problem is reported, by line and field, in one
:class:`~auction.errors.InputError`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qualification.common.errors import InputError
from qualification.common.files import read_limited
from qualification.criteria import CriteriaSet, Criterion
from qualification.text_answers import build_supplier, document_problems, parse_text_answer, parse_timestamp

HEADER = ("field", "value", "evidence", "remark")
SUPPLIER_FIELDS = (
    "supplier.id",
    "supplier.name",
    "supplier.kvk",
    "supplier.agb",
    "supplier.contact.name",
    "supplier.contact.email",
)
HEAD_FIELDS = ("tender_id", *SUPPLIER_FIELDS, "submitted_at")
"""The rows before the answers, in template order; all required except ``supplier.id``."""

MAX_FILE_BYTES = 5 * 1024 * 1024


def write_csv_template(path: Path, criteria: Iterable[Criterion], tender_id: str, *, delimiter: str = ",") -> None:
    """Write a blank response CSV: the header, ``tender_id`` filled in, the other head rows and one row per
    criterion with empty values. UTF-8 with a byte order mark, so Excel recognises the encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for field in HEAD_FIELDS:
        writer.writerow((field, tender_id if field == "tender_id" else "", "", ""))
    for criterion in criteria:
        writer.writerow((criterion.id, "", "", ""))
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def _decode(path: Path) -> str:
    where = str(path)
    data = read_limited(path, MAX_FILE_BYTES, "a response CSV")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            where,
            f"line {line}: not UTF-8 text (byte {exc.start}): save the file as 'CSV UTF-8 (door komma's"
            " gescheiden)' / 'CSV UTF-8 (comma delimited)'",
        ) from None


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """(line number, fields) per record after the header; blank records are left out."""
    where = str(path)
    if not text.strip():
        raise InputError(where, "the file is empty: expected the header field,value,evidence,remark")
    first_line = text.splitlines()[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for fields in reader:
            records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(where, f"line {reader.line_num}: not valid CSV: {exc}") from None
    header = [field.strip().casefold() for field in records[0][1]] if records else []
    if tuple(header) != HEADER:
        expected = delimiter.join(HEADER)
        raise InputError(where, f"line 1: expected the header {expected}, got '{first_line.strip()}'")
    return [(number, fields) for number, fields in records[1:] if any(field.strip() for field in fields)]


def read_csv_response(path: Path, criteria: CriteriaSet, *, tender_id: str) -> dict[str, Any]:
    """Read a response CSV into a response document (the JSON-shaped dict of a response file).

    The result and its value types are those of :func:`qualification.workbook.read_workbook`. Problems name the
    line and the field: ``line 12 (criterion DV-02) → value: expected a number …``; all are listed, in line order,
    in one :class:`~auction.errors.InputError`, and a file with any problem yields nothing.
    """
    records = _rows(path, _decode(path))
    problems: list[tuple[int, str]] = []  # (line, problem); line 0 for a row that is missing
    head: dict[str, str] = {}
    lines: dict[str, int] = {}
    answers: dict[str, dict[str, Any]] = {}
    for line, fields in records:
        if len(fields) != len(HEADER):
            problems.append(
                (
                    line,
                    f"line {line}: expected {len(HEADER)} fields (field, value, evidence, remark), got {len(fields)}",
                )
            )
            continue
        name, value, evidence, remark = (field.strip() for field in fields)
        criterion = criteria.get(name) if name not in HEAD_FIELDS else None
        label = f"line {line} (criterion {name})" if criterion is not None else f"line {line} ({name})"
        if name in lines:
            what = f"criterion {name}" if criterion is not None else name
            problems.append((line, f"{label} → field: a second row for {what} (first at line {lines[name]})"))
            continue
        lines[name] = line
        if name in HEAD_FIELDS:
            head[name] = value
            for extra, text in (("evidence", evidence), ("remark", remark)):
                if text:
                    problems.append((line, f"{label} → {extra}: only answers have one, leave it empty"))
            continue
        if criterion is None:
            problems.append((line, f"line {line} → field: {_unknown(name, criteria)}"))
            continue
        try:
            entry = _answer(criterion, label, value, evidence, remark)
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        if entry is not None:
            answers[name] = entry
    submitted_at = _head(head, lines, tender_id, problems)
    supplier_values = {field.removeprefix("supplier."): head.get(field, "") for field in SUPPLIER_FIELDS}
    missing = frozenset(field.removeprefix("supplier.") for field in SUPPLIER_FIELDS if field not in head)
    supplier, supplier_problems = build_supplier(
        supplier_values, lambda key: f"line {lines.get('supplier.' + key)} (supplier.{key}) → value", missing
    )
    problems.extend((lines.get(f"supplier.{key}", 0), problem) for key, problem in supplier_problems)
    document: dict[str, Any] = {
        "supplier": supplier,
        "tender_id": head.get("tender_id", ""),
        "submitted_at": submitted_at,
        "answers": [answers[criterion.id] for criterion in criteria if criterion.id in answers],
    }
    if not problems:
        problems.extend((0, problem) for problem in document_problems(document))
    if problems:
        ordered = sorted(problems, key=lambda item: item[0])  # stable: same line keeps the order found
        raise InputError(str(path), "; ".join(problem for _, problem in ordered))
    return document


def _unknown(name: str, criteria: CriteriaSet) -> str:
    if not name:
        return "empty, expected a criterion id or one of " + ", ".join(HEAD_FIELDS)
    near = [known for known in (*HEAD_FIELDS, *criteria.ids) if known.casefold() == name.casefold()]
    hint = f" (did you mean {near[0]}?)" if near else ""
    return f"unknown field '{name}': not a criterion id or one of the supplier rows{hint}"


def _head(head: dict[str, str], lines: dict[str, int], tender_id: str, problems: list[tuple[int, str]]) -> str:
    """Check ``tender_id`` and read ``submitted_at``; missing head rows are reported here too."""
    for field in HEAD_FIELDS:
        if field not in head and field != "supplier.id":
            problems.append((0, f'{field}: no row, add the row "{field},<value>,," (see the template)'))
    if "tender_id" in head:
        line = lines["tender_id"]
        place = f"line {line} (tender_id) → value"
        if not head["tender_id"]:
            problems.append((line, f"{place}: required, but empty"))
        elif head["tender_id"] != tender_id:
            problems.append(
                (line, f'{place}: this response is for tender "{head["tender_id"]}", not for "{tender_id}"')
            )
    if "submitted_at" not in head:
        return ""
    line = lines["submitted_at"]
    place = f"line {line} (submitted_at) → value"
    if not head["submitted_at"]:
        problems.append((line, f"{place}: required, but empty"))
        return ""
    try:
        return parse_timestamp(head["submitted_at"]).isoformat()
    except ValueError as exc:
        problems.append((line, f"{place}: {exc}"))
        return ""


def _answer(criterion: Criterion, label: str, value: str, evidence: str, remark: str) -> dict[str, Any] | None:
    """The answer object of one criterion row; ``None`` when not answered; :class:`ValueError` with the
    problems (several joined by ``; ``) when it is wrong."""
    try:
        parsed = parse_text_answer(criterion, value)
        if parsed is not None:
            criterion.read_answer(parsed)
    except ValueError as exc:
        raise ValueError(f"{label} → value: {exc}") from None
    if parsed is None:
        unanswered = [
            f"{label} → {field}: there is {what}, but the value is empty: answer the question or clear the {field}"
            for field, text, what in (("evidence", evidence, "evidence"), ("remark", remark, "a remark"))
            if text
        ]
        if unanswered:
            raise ValueError("; ".join(unanswered))
        return None
    entry: dict[str, Any] = {"criterion": criterion.id, "value": parsed}
    if evidence:
        entry["evidence"] = evidence
    if remark:
        entry["remark"] = remark
    return entry
