"""Supplier response workbooks (XLSX): a blank workbook per tender, and reading a filled-in one back.

The organiser sends each supplier the workbook made by :func:`write_workbook`; the supplier fills in the yellow
cells and sends it back with the documents it names. :func:`read_workbook` turns it into the same JSON-shaped
response document a response file holds (``docs/qualification.md``), or refuses it with every problem
named by sheet, cell and field, so a supplier can correct the workbook in one go:

    sheet Antwoorden, cell G18 (criterion DV-02) → answer: expected a number such as 2500000 or 12,5 …
    sheet Leverancier, cell B3 (KvK-nummer): must be 8 digits, got '1234'

Layout (row and column numbers are part of the format; ``format_version`` in the hidden sheet Meta names it):

* ``Toelichting``: how to fill it in, in Dutch and then in English.
* ``Leverancier``: one row per supplier field, rows 1-7, label in A, value in B (yellow), hint in C.
* ``Antwoorden``: a header row, then one row per criterion in the criteria's order; columns A-J are
  :data:`ANSWER_COLUMNS`. Only G (answer), H (evidence file name) and I (remark) are filled in.
* ``Meta`` (hidden): ``format``, ``format_version``, ``tender_id``, ``criteria_version``, ``criteria_hash`` as
  key/value rows in A and B; the option lists of long or comma-holding choices in columns D onwards.

Cells other than the yellow ones are locked (sheet protection without a password: it prevents mistakes, it is
no security), and so is the workbook's structure, so sheets cannot be renamed, deleted or unhidden by accident.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped, unused-ignore]
from openpyxl.styles import Alignment, Font, PatternFill, Protection  # type: ignore[import-untyped, unused-ignore]
from openpyxl.workbook.protection import WorkbookProtection  # type: ignore[import-untyped, unused-ignore]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped, unused-ignore]

from qualification.common.errors import InputError
from qualification.common.files import read_limited
from qualification.criteria import CriteriaSet, Criterion
from qualification.reasons import Language, format_number
from qualification.text_answers import (
    EXPECTED,
    build_supplier,
    document_problems,
    in_amsterdam,
    parse_choice,
    parse_text_answer,
    parse_timestamp,
)
from qualification.values import AnswerValue

FORMAT = "dieetveiling-response-workbook"
FORMAT_VERSION = 1

GUIDE_SHEET = "Toelichting"
SUPPLIER_SHEET = "Leverancier"
ANSWERS_SHEET = "Antwoorden"
META_SHEET = "Meta"

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A filled-in workbook is some tens of kilobytes; the documents travel beside it, not inside."""
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""Refuse a zip that unpacks to more than this (a 'zip bomb') before openpyxl unpacks it."""
MAX_ANSWER_ROWS = 10_000

_YELLOW = "FFF59D"
_GREY = "E0E0E0"
_TEXT = "@"
_DATE = "DD-MM-YYYY"
_DATE_TIME = "DD-MM-YYYY HH:MM"
_INLINE_LIST_LIMIT = 250  # Excel refuses an inline list formula longer than 255 characters


@dataclass(frozen=True)
class SupplierRow:
    """One row of the sheet Leverancier: the supplier field it holds and its label."""

    key: str
    label_nl: str
    label_en: str
    hint: str

    @property
    def label(self) -> str:
        return f"{self.label_nl} / {self.label_en}"


SUPPLIER_ROWS: tuple[SupplierRow, ...] = (
    SupplierRow(
        "id",
        "Leverancierscode",
        "Supplier id",
        "Optioneel; leeg wordt het sup-<KvK-nummer>. / Optional; left empty it becomes sup-<KvK number>.",
    ),
    SupplierRow(
        "name",
        "Naam",
        "Name",
        "Statutaire naam zoals ingeschreven bij de KvK. / Legal name as registered with the KvK.",
    ),
    SupplierRow("kvk", "KvK-nummer", "KvK number", "8 cijfers. / 8 digits."),
    SupplierRow("agb", "AGB-code", "AGB code", "8 cijfers (Vektis). / 8 digits (Vektis)."),
    SupplierRow("contact.name", "Contactpersoon", "Contact person", "Voor deze aanbesteding. / For this tender."),
    SupplierRow(
        "contact.email",
        "E-mail",
        "E-mail",
        "E-mailadres van de contactpersoon. / The contact person's e-mail address.",
    ),
    SupplierRow(
        "submitted_at",
        "Datum en tijd van indiening",
        "Date and time of submission",
        "DD-MM-JJJJ UU:MM, Nederlandse tijd. / DD-MM-YYYY HH:MM, Dutch time.",
    ),
)
"""The rows of the sheet Leverancier, in order from row 1."""


@dataclass(frozen=True)
class AnswerColumn:
    """One column of the sheet Antwoorden."""

    letter: str
    heading_nl: str
    heading_en: str
    width: float

    @property
    def heading(self) -> str:
        return f"{self.heading_nl} / {self.heading_en}"

    @property
    def index(self) -> int:
        return ord(self.letter) - ord("A") + 1


ANSWER_COLUMNS: tuple[AnswerColumn, ...] = (
    AnswerColumn("A", "Criterium", "Criterion", 11),
    AnswerColumn("B", "Groep", "Group", 18),
    AnswerColumn("C", "Soort", "Kind", 14),
    AnswerColumn("D", "Vraag (NL)", "Question (Dutch)", 50),
    AnswerColumn("E", "Vraag (EN)", "Question (English)", 50),
    AnswerColumn("F", "Eis", "Requirement", 28),
    AnswerColumn("G", "Antwoord", "Answer", 20),
    AnswerColumn("H", "Bewijsstuk (bestandsnaam)", "Evidence (file name)", 32),
    AnswerColumn("I", "Opmerking", "Remark", 32),
    AnswerColumn("J", "Gevraagd bewijs", "Evidence asked", 40),
)
"""The columns of the sheet Antwoorden: A-F and J are the organiser's, G-I the supplier's."""

_ID, _ANSWER, _EVIDENCE, _REMARK = 1, 7, 8, 9

_KIND_WORDS = {"knock-out": "knock-out", "scored": "gewogen / scored", "informational": "informatief / informational"}


# ── Requirement in words ────────────────────────────────────────────────────────────────────────────────────


def _unit(criterion: Criterion, language: Language) -> str:
    unit = criterion.unit_nl if language == "nl" and criterion.unit_nl else criterion.unit
    return f" {unit}" if unit else ""


def _amount(number: Decimal, criterion: Criterion, language: Language) -> str:
    return format_number(number, language) + _unit(criterion, language)


def _quoted_options(items: Iterable[str]) -> str:
    return ", ".join(f"'{item}'" for item in items)


_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "yes": "ja",
        "no": "nee",
        "yes_or_no": "ja of nee",
        "date": "een datum die niet verstreken is",
        "document": "een bijgevoegd document",
        "between": "tussen {low} en {high}",
        "at_least": "minimaal {low}",
        "at_most": "maximaal {high}",
        "scale": "{worst}: 0 punten; {best}: alle punten",
        "scored_yes_no": "{best}: alle punten; {worst}: 0 punten",
        "a_number": "een getal{unit}",
        "points": "punten per antwoord: {shares}",
        "one_of": "één van: {options}",
    },
    "en": {
        "yes": "yes",
        "no": "no",
        "yes_or_no": "yes or no",
        "date": "a date that has not passed",
        "document": "an attached document",
        "between": "between {low} and {high}",
        "at_least": "at least {low}",
        "at_most": "at most {high}",
        "scale": "{worst}: 0 points; {best}: full points",
        "scored_yes_no": "{best}: full points; {worst}: 0 points",
        "a_number": "a number{unit}",
        "points": "points per answer: {shares}",
        "one_of": "one of: {options}",
    },
}


def _number_requirement(criterion: Criterion, language: Language) -> str:
    words = _WORDS[language]
    low, high = criterion.min, criterion.max
    parts: list[str] = []
    if low is not None and high is not None:
        parts.append(words["between"].format(low=format_number(low, language), high=_amount(high, criterion, language)))
    elif low is not None:
        parts.append(words["at_least"].format(low=_amount(low, criterion, language)))
    elif high is not None:
        parts.append(words["at_most"].format(high=_amount(high, criterion, language)))
    kind: str = criterion.kind
    if kind == "scored" and criterion.score_from is not None and criterion.score_to is not None:
        worst = _amount(criterion.score_from, criterion, language)
        parts.append(words["scale"].format(worst=worst, best=_amount(criterion.score_to, criterion, language)))
    return "; ".join(parts) if parts else words["a_number"].format(unit=_unit(criterion, language))


def requirement_words(criterion: Criterion, language: Language = "nl") -> str:
    """What the answer must be, in Dutch (``"nl"``) or English (``"en"``): ``minimaal 2.500.000 EUR``, ``nee``.

    For a scored criterion it says what earns points, e.g. ``5 werkdagen: 0 punten; 1 werkdagen: alle punten``.
    """
    words = _WORDS[language]
    answer_type: str = criterion.type
    kind: str = criterion.kind
    if answer_type == "yes_no":
        if criterion.expected is None:
            return words["yes_or_no"]
        best, worst = (words["yes"], words["no"]) if criterion.expected else (words["no"], words["yes"])
        return words["scored_yes_no"].format(best=best, worst=worst) if kind == "scored" else best
    if answer_type == "date_not_passed":
        return words["date"]
    if answer_type == "document":
        return words["document"]
    if answer_type == "number":
        return _number_requirement(criterion, language)
    if kind == "scored" and criterion.points:
        shares = ", ".join(
            f"'{option}': {format_number(fraction * 100, language)}%" for option, fraction in criterion.points.items()
        )
        return words["points"].format(shares=shares)
    allowed = criterion.allowed or criterion.options or ()
    if len(allowed) == 1:
        return f"'{allowed[0]}'"
    return words["one_of"].format(options=_quoted_options(allowed))


def _expected(criterion: Criterion) -> str:
    answer_type: str = criterion.type
    if answer_type == "choice" and criterion.options:
        return f"one of {_quoted_options(criterion.options)}"
    return EXPECTED.get(answer_type, "text")


# ── Writing ─────────────────────────────────────────────────────────────────────────────────────────────────


def _guide_lines(
    tender_id: str, tender_title: str, criteria_version: int, evaluation_note: str
) -> list[tuple[str, str]]:
    """(style, text) per row of the sheet Toelichting: Dutch first, then English."""
    lines: list[tuple[str, str]] = [
        ("title", f"Antwoordformulier aanbesteding {tender_id}: {tender_title}"),
        ("text", f"Versie van de criteria: {criteria_version}."),
        ("heading", "Zo vult u dit formulier in"),
        (
            "text",
            "1. Vul alleen de gele cellen in. De andere cellen zijn beveiligd: verander geen vragen of codes"
            " en voeg geen rijen of kolommen toe.",
        ),
        (
            "text",
            "2. Tabblad Leverancier: de gegevens van uw organisatie. Het KvK-nummer en de AGB-code hebben elk"
            " 8 cijfers. De leverancierscode mag leeg blijven.",
        ),
        (
            "text",
            "3. Tabblad Antwoorden: één rij per criterium. Uw antwoord komt in kolom G, de bestandsnaam van"
            " het bewijsstuk in kolom H, een eventuele opmerking in kolom I. Kolom F zegt wat het antwoord moet"
            " zijn, kolom J welk bewijs gevraagd wordt.",
        ),
        ("text", "4. Ja/nee-vragen: kies ja of nee uit de lijst."),
        (
            "text",
            "5. Getallen zonder scheidingsteken voor duizendtallen: 2500000, niet 2.500.000. Decimalen met een"
            " komma of een punt: 12,5.",
        ),
        ("text", "6. Datums als DD-MM-JJJJ (bijvoorbeeld 31-01-2028) of als datumcel."),
        (
            "text",
            "7. Bewijsstuk: de bestandsnaam van het bijgevoegde document, bijvoorbeeld kvk-uittreksel.pdf."
            " Stuur de documenten samen met dit formulier in.",
        ),
        (
            "text",
            "8. Een vraag die u niet beantwoordt, laat u leeg. Een knock-out-criterium zonder antwoord leidt"
            " tot uitsluiting.",
        ),
        ("text", "9. Datum en tijd van indiening: Nederlandse tijd (DD-MM-JJJJ UU:MM)."),
    ]
    if evaluation_note:
        lines.append(("text", f"Beoordeling: {evaluation_note}"))
    lines += [
        ("blank", ""),
        ("title", f"Response workbook for tender {tender_id}: {tender_title}"),
        ("text", f"Criteria version: {criteria_version}."),
        ("heading", "How to fill in this workbook"),
        (
            "text",
            "1. Fill in only the yellow cells. The other cells are protected: do not change questions or codes,"
            " and do not add rows or columns.",
        ),
        (
            "text",
            "2. Sheet Leverancier (Supplier): your organisation's details. The KvK number and the AGB code have"
            " 8 digits each. The supplier id may be left empty.",
        ),
        (
            "text",
            "3. Sheet Antwoorden (Answers): one row per criterion. Your answer goes in column G, the file name"
            " of the evidence in column H, a remark if any in column I. Column F says what the answer must be,"
            " column J which evidence is asked for.",
        ),
        ("text", "4. Yes/no questions: choose ja (yes) or nee (no) from the list."),
        (
            "text",
            "5. Numbers without thousands separators: 2500000, not 2,500,000. Decimals with a comma or a point: 12.5.",
        ),
        ("text", "6. Dates as DD-MM-YYYY (for example 31-01-2028) or as a date cell."),
        (
            "text",
            "7. Evidence: the file name of the attached document, for example kvk-uittreksel.pdf. Send the"
            " documents along with this workbook.",
        ),
        ("text", "8. Leave a question you do not answer empty. A knock-out criterion without an answer excludes you."),
        ("text", "9. Date and time of submission: Dutch time (DD-MM-YYYY HH:MM)."),
    ]
    if evaluation_note:
        lines.append(("text", f"Evaluation: {evaluation_note}"))
    return lines


def _protect(sheet: Any) -> None:
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # False: allowed; suppliers may widen columns and rows
    sheet.protection.formatRows = False


def _write_guide(sheet: Any, lines: list[tuple[str, str]]) -> None:
    sheet.column_dimensions["A"].width = 120
    fonts = {"title": Font(bold=True, size=14), "heading": Font(bold=True)}
    for row, (style, text) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style in fonts:
            cell.font = fonts[style]
    _protect(sheet)


def _input_cell(cell: Any, number_format: str) -> None:
    cell.fill = PatternFill(fill_type="solid", start_color=_YELLOW, end_color=_YELLOW)
    cell.protection = Protection(locked=False)
    cell.number_format = number_format
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_supplier(sheet: Any) -> None:
    for column, width in (("A", 36), ("B", 44), ("C", 64)):
        sheet.column_dimensions[column].width = width
    for row, field in enumerate(SUPPLIER_ROWS, start=1):
        label = sheet.cell(row=row, column=1, value=field.label)
        label.font = Font(bold=True)
        label.alignment = Alignment(wrap_text=True, vertical="top")
        _input_cell(sheet.cell(row=row, column=2), _DATE_TIME if field.key == "submitted_at" else _TEXT)
        hint = sheet.cell(row=row, column=3, value=field.hint)
        hint.alignment = Alignment(wrap_text=True, vertical="top")
    _protect(sheet)


class _Lists:
    """Drop-down lists: inline (``"ja,nee"``) where Excel allows, else a range of the hidden sheet Meta."""

    def __init__(self, answers: Any, meta: Any) -> None:
        self._answers = answers
        self._meta = meta
        self._next_meta_column = 4  # D; A and B hold the keys and values
        self._yes_no: Any = None

    def yes_no(self, coordinate: str) -> None:
        if self._yes_no is None:
            self._yes_no = self._validation('"ja,nee"', "Kies ja of nee. / Choose ja (yes) or nee (no).")
        self._yes_no.add(coordinate)

    def choice(self, coordinate: str, options: tuple[str, ...]) -> None:
        inline = ",".join(options)
        if len(inline) <= _INLINE_LIST_LIMIT and not any("," in option or '"' in option for option in options):
            formula = f'"{inline}"'
        else:
            column = self._next_meta_column
            self._next_meta_column += 1
            for row, option in enumerate(options, start=1):
                self._meta.cell(row=row, column=column, value=option).number_format = _TEXT
            letter = self._meta.cell(row=1, column=column).column_letter
            formula = f"{META_SHEET}!${letter}$1:${letter}${len(options)}"
        validation = self._validation(
            formula, "Kies een antwoord uit de lijst. / Choose one of the answers in the list."
        )
        validation.add(coordinate)

    def _validation(self, formula: str, message: str) -> Any:
        validation = DataValidation(type="list", formula1=formula, allow_blank=True)
        validation.showErrorMessage = True
        validation.errorTitle = "Ongeldig / Invalid"  # Excel allows at most 32 characters
        validation.error = message
        self._answers.add_data_validation(validation)
        return validation


def _answer_format(criterion: Criterion) -> str:
    answer_type: str = criterion.type
    if answer_type == "number":
        return "General"
    if answer_type == "date_not_passed":
        return _DATE
    return _TEXT


def _evidence_asked(criterion: Criterion) -> str:
    asked = criterion.evidence
    if criterion.evidence_required:
        asked = f"{asked} (verplicht / required)" if asked else "Verplicht / required"
    return asked


def _write_answers(sheet: Any, lists: _Lists, criteria: Iterable[Criterion]) -> None:
    header_fill = PatternFill(fill_type="solid", start_color=_GREY, end_color=_GREY)
    for column in ANSWER_COLUMNS:
        sheet.column_dimensions[column.letter].width = column.width
        cell = sheet.cell(row=1, column=column.index, value=column.heading)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row, criterion in enumerate(criteria, start=2):
        kind: str = criterion.kind
        if kind == "scored" and criterion.weight is not None:
            kind_words = f"gewogen / scored (gewicht / weight {format_number(criterion.weight, 'nl')})"
        else:
            kind_words = _KIND_WORDS.get(kind, kind)
        organiser = {
            "A": criterion.id,
            "B": criterion.group,
            "C": kind_words,
            "D": criterion.question_nl,
            "E": criterion.question_en,
            "F": f"{requirement_words(criterion, 'nl')}\n({requirement_words(criterion, 'en')})",
            "J": _evidence_asked(criterion),
        }
        for letter, text in organiser.items():
            cell = sheet[f"{letter}{row}"]
            cell.value = text or None
            cell.number_format = _TEXT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        _input_cell(sheet[f"G{row}"], _answer_format(criterion))
        _input_cell(sheet[f"H{row}"], _TEXT)
        _input_cell(sheet[f"I{row}"], _TEXT)
        answer_type: str = criterion.type
        if answer_type == "yes_no":
            lists.yes_no(f"G{row}")
        elif answer_type == "choice" and criterion.options:
            lists.choice(f"G{row}", criterion.options)
    sheet.freeze_panes = "B2"
    _protect(sheet)


def write_workbook(
    path: Path,
    criteria: CriteriaSet,
    *,
    tender_id: str,
    tender_title: str,
    criteria_version: int,
    criteria_hash: str,
    evaluation_note: str = "",
) -> None:
    """Write the blank response workbook for one tender to ``path`` (``.xlsx``).

    ``criteria_version`` and ``criteria_hash`` are recorded in the hidden sheet Meta; :func:`read_workbook`
    refuses a workbook made for other criteria. ``evaluation_note`` (optional) is shown on the sheet Toelichting.
    """
    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    _write_guide(guide, _guide_lines(tender_id, tender_title, criteria_version, evaluation_note))
    _write_supplier(book.create_sheet(SUPPLIER_SHEET))
    answers = book.create_sheet(ANSWERS_SHEET)
    meta = book.create_sheet(META_SHEET)
    _write_answers(answers, _Lists(answers, meta), criteria)
    meta_rows: tuple[tuple[str, str | int], ...] = (
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("tender_id", tender_id),
        ("criteria_version", criteria_version),
        ("criteria_hash", criteria_hash),
    )
    for row, (key, value) in enumerate(meta_rows, start=1):
        meta.cell(row=row, column=1, value=key)
        meta.cell(row=row, column=2, value=value)
    meta.sheet_state = "hidden"
    _protect(meta)
    book.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


# ── Reading ─────────────────────────────────────────────────────────────────────────────────────────────────


def _open(path: Path) -> Any:
    """The workbook at ``path``; an :class:`InputError` in words when it is not a readable XLSX file."""
    where = str(path)
    data = read_limited(path, MAX_FILE_BYTES, "a response workbook")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            where,
            "not an XLSX workbook: this is an old Excel 97-2003 (.xls) file or a workbook with a password:"
            " save it as 'Excel-werkmap (*.xlsx)' without a password",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(
            where, "not an XLSX workbook (an .xlsx file is a zip archive, this file is not): save it as .xlsx"
        ) from None
    if "mimetype" in names and "content.xml" in names:
        raise InputError(where, "an OpenDocument spreadsheet (.ods), not an XLSX workbook: save it as .xlsx")
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(where, "not acceptable: the workbook unpacks to more than 200 MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel extensions it drops; none matter here
            return load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises many kinds of error on a damaged file; all mean the same to the user
        raise InputError(
            where, "not a readable XLSX workbook (damaged, or not saved by a spreadsheet program)"
        ) from None


def _text_of(value: object) -> str:
    return value.strip() if isinstance(value, str) else "" if value is None else str(value)


def _check_meta(path: Path, book: Any, *, tender_id: str, criteria_hash: str, criteria_version: int) -> None:
    """Refuse a workbook this tool did not make, or made for another tender or other criteria."""
    where = str(path)
    not_ours = "not a response workbook generated by this tool"
    if META_SHEET not in book.sheetnames:
        raise InputError(where, f"{not_ours} (it has no sheet {META_SHEET}): fill in the workbook the organiser sent")
    sheet = book[META_SHEET]
    meta: dict[str, object] = {}
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 50), max_col=2, values_only=True):
        if isinstance(row[0], str):
            meta[row[0].strip()] = row[1]
    if meta.get("format") != FORMAT:
        raise InputError(where, f"{not_ours} (sheet {META_SHEET} does not name the format {FORMAT})")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise InputError(
            where,
            f"workbook format version {_text_of(version) or '?'}, but this tool reads version {FORMAT_VERSION}:"
            " ask for a new workbook",
        )
    their_tender = _text_of(meta.get("tender_id"))
    if their_tender != tender_id:
        raise InputError(where, f'this workbook is for tender "{their_tender}", not "{tender_id}"')
    if _text_of(meta.get("criteria_hash")) != criteria_hash:
        their_version = meta.get("criteria_version")
        shown = _text_of(their_version) or "?"
        if their_version == criteria_version:
            raise InputError(
                where,
                f"this workbook was generated for other criteria than the current ones (both say version {shown}):"
                " ask for a new workbook",
            )
        raise InputError(
            where,
            f"this workbook was generated for criteria version {shown}; the criteria are now version"
            f" {criteria_version} (changed by a clarification notice): ask for a new workbook",
        )


def _show_cell(value: object) -> str:
    """A cell's value in words, for messages."""
    if isinstance(value, bool):
        return f"a yes/no cell ({'WAAR/TRUE' if value else 'ONWAAR/FALSE'})"
    if isinstance(value, datetime):
        return f"the date {value:%d-%m-%Y %H:%M}" if value.time() != time(0) else f"the date {value:%d-%m-%Y}"
    if isinstance(value, date):
        return f"the date {value:%d-%m-%Y}"
    if isinstance(value, time):
        return f"the time {value:%H:%M}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"'{value}'"
    return f"a cell holding a {type(value).__name__}"


def _whole_if_possible(number: int | float) -> int | float:
    """Excel stores every number as a float; a whole one is given back as an int (``2.0`` → ``2``)."""
    if isinstance(number, float) and math.isfinite(number) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def cell_answer(criterion: Criterion, value: object) -> AnswerValue | None:
    """The JSON-like answer in a cell: text as :func:`parse_text_answer` reads it, or a native cell value.

    Native values accepted: a yes/no (boolean) cell for ``yes_no``; a number cell for ``number`` (and as text
    for ``choice`` or ``document``); a date cell (time 00:00) for ``date_not_passed``. ``None`` when empty.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return parse_text_answer(criterion, value)
    answer_type: str = criterion.type
    if isinstance(value, bool):
        if answer_type == "yes_no":
            return value
    elif isinstance(value, int | float):
        if answer_type == "number":
            return _whole_if_possible(value)
        if answer_type in ("choice", "document"):
            text = str(_whole_if_possible(value))
            return parse_choice(criterion, text) if answer_type == "choice" else text
        if answer_type == "date_not_passed":
            raise ValueError(
                f"expected {_expected(criterion)}, got {_show_cell(value)}:"
                " format the cell as a date, or type the date as DD-MM-YYYY"
            )
    elif isinstance(value, datetime):
        if answer_type == "date_not_passed":
            if value.time() != time(0):
                raise ValueError(f"expected a date without a time, got {_show_cell(value)}")
            return value.date().isoformat()
    elif isinstance(value, date) and answer_type == "date_not_passed":
        return value.isoformat()
    raise ValueError(f"expected {_expected(criterion)}, got {_show_cell(value)}")


def _cell_text(value: object) -> str:
    """Free text in a cell (evidence, remark): text, or a number written as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(_whole_if_possible(value))
    raise ValueError(f"expected text, got {_show_cell(value)}")


def _code_text(value: object) -> str:
    """A KvK number or AGB code: text, or a number cell holding all 8 digits (no leading zero lost)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = _whole_if_possible(value)
        if isinstance(number, int) and 10_000_000 <= number <= 99_999_999:
            return str(number)
        raise ValueError(
            f"must be 8 digits, got {_show_cell(value)}: format the cell as text and type all 8 digits"
            " (a number cell drops a leading zero)"
        )
    return _cell_text(value)


def _round_to_second(moment: datetime) -> datetime:
    """Excel keeps times as fractions of a day; 16:52:30 may come back as 16:52:29.999999."""
    rounded = moment.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if moment.microsecond >= 500_000 else rounded


def _submitted_at(value: object) -> str:
    if isinstance(value, datetime):
        moment = _round_to_second(value)
        return (moment if moment.tzinfo is not None else in_amsterdam(moment)).isoformat()
    if isinstance(value, date):
        return in_amsterdam(datetime.combine(value, time(0))).isoformat()
    if isinstance(value, str):
        return parse_timestamp(value).isoformat()
    raise ValueError(f"expected a date and time such as 14-07-2026 16:52, got {_show_cell(value)}")


def _read_supplier(book: Any, problems: list[str]) -> tuple[dict[str, Any], str]:
    """The ``supplier`` object and ``submitted_at`` from the sheet Leverancier; problems are appended."""
    if SUPPLIER_SHEET not in book.sheetnames:
        problems.append(f"sheet {SUPPLIER_SHEET} is missing: use the workbook as the organiser sent it")
        return {}, ""
    sheet = book[SUPPLIER_SHEET]
    rows: dict[str, int] = {}
    for row_number, (label, *_rest) in enumerate(
        sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 100), max_col=1, values_only=True), start=1
    ):
        if isinstance(label, str):
            rows.setdefault(label.split("/")[0].strip().casefold(), row_number)
    values: dict[str, str] = {}
    found: list[tuple[str, str]] = []  # (key, problem), put in row order below
    places: dict[str, str] = {}
    submitted_at = ""
    for field in SUPPLIER_ROWS:
        row = rows.get(field.label_nl.casefold())
        if row is None:
            found.append(
                (
                    field.key,
                    f"sheet {SUPPLIER_SHEET}: no row labelled '{field.label_nl}' in column A:"
                    " use the workbook as the organiser sent it",
                )
            )
            continue
        place = f"sheet {SUPPLIER_SHEET}, cell B{row} ({field.label_nl})"
        places[field.key] = place
        value = sheet.cell(row=row, column=2).value
        try:
            if field.key == "submitted_at":
                if _blank(value):
                    raise ValueError("required, but empty")
                submitted_at = _submitted_at(value)
            else:
                values[field.key] = _code_text(value) if field.key in ("kvk", "agb") else _cell_text(value)
        except ValueError as exc:
            found.append((field.key, f"{place}: {exc}"))
    reported = frozenset(key for key, _ in found)
    supplier, supplier_problems = build_supplier(
        values, lambda key: places.get(key, f"sheet {SUPPLIER_SHEET}"), reported
    )
    order = [field.key for field in SUPPLIER_ROWS]
    found.extend(supplier_problems)
    problems.extend(problem for _, problem in sorted(found, key=lambda item: order.index(item[0])))
    return supplier, submitted_at


def _check_header(sheet: Any, problems: list[str]) -> bool:
    fine = True
    for column in ANSWER_COLUMNS:
        got = _text_of(sheet.cell(row=1, column=column.index).value)
        if got.casefold() != column.heading.casefold():
            problems.append(
                f"sheet {ANSWERS_SHEET}, cell {column.letter}1: expected the column heading '{column.heading}',"
                f" got '{got}': do not insert, delete or move columns"
            )
            fine = False
    return fine


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_answers(book: Any, criteria: CriteriaSet, problems: list[str]) -> list[dict[str, Any]]:
    """The ``answers`` from the sheet Antwoorden, in the criteria's order; problems are appended."""
    if ANSWERS_SHEET not in book.sheetnames:
        problems.append(f"sheet {ANSWERS_SHEET} is missing: use the workbook as the organiser sent it")
        return []
    sheet = book[ANSWERS_SHEET]
    if not _check_header(sheet, problems):
        return []
    if sheet.max_row > MAX_ANSWER_ROWS:
        problems.append(f"sheet {ANSWERS_SHEET}: {sheet.max_row} rows, but a response workbook has one per criterion")
        return []
    seen: dict[str, int] = {}
    found: dict[str, dict[str, Any]] = {}
    rows = sheet.iter_rows(min_row=2, max_row=sheet.max_row, max_col=len(ANSWER_COLUMNS), values_only=True)
    for row, cells in enumerate(rows, start=2):
        raw_id, answer, evidence, remark = cells[_ID - 1], cells[_ANSWER - 1], cells[_EVIDENCE - 1], cells[_REMARK - 1]
        if _blank(raw_id):
            if not (_blank(answer) and _blank(evidence) and _blank(remark)):
                problems.append(
                    f"sheet {ANSWERS_SHEET}, row {row}: an answer, evidence or remark without a criterion id in"
                    " column A"
                )
            continue
        criterion_id = _text_of(raw_id)
        if criterion_id in seen:
            problems.append(
                f"sheet {ANSWERS_SHEET}, cell A{row} (criterion {criterion_id}) → criterion: a second row for"
                f" {criterion_id} (first at row {seen[criterion_id]})"
            )
            continue
        seen[criterion_id] = row
        criterion = criteria.get(criterion_id)
        if criterion is None:
            problems.append(f"sheet {ANSWERS_SHEET}, cell A{row} → criterion: unknown criterion id '{criterion_id}'")
            continue
        entry = _read_answer_row(criterion, row, answer, evidence, remark, problems)
        if entry is not None:
            found[criterion_id] = entry
    for criterion in criteria:
        if criterion.id not in seen:
            problems.append(
                f"sheet {ANSWERS_SHEET}: no row for criterion {criterion.id} (it was deleted):"
                " restore it or ask for a new workbook"
            )
    return [found[criterion.id] for criterion in criteria if criterion.id in found]


def _read_answer_row(
    criterion: Criterion, row: int, answer: object, evidence: object, remark: object, problems: list[str]
) -> dict[str, Any] | None:
    def place(letter: str) -> str:
        return f"sheet {ANSWERS_SHEET}, cell {letter}{row} (criterion {criterion.id})"

    texts: dict[str, str] = {}
    for letter, field, raw in (("H", "evidence", evidence), ("I", "remark", remark)):
        try:
            texts[field] = _cell_text(raw)
        except ValueError as exc:
            problems.append(f"{place(letter)} → {field}: {exc}")
            texts[field] = ""
    try:
        value = cell_answer(criterion, answer)
    except ValueError as exc:
        problems.append(f"{place('G')} → answer: {exc}")
        return None
    if value is None:
        if texts["evidence"]:
            problems.append(
                f"{place('H')} → evidence: names a document, but the answer (G{row}) is empty:"
                " answer the question or clear the evidence"
            )
        if texts["remark"]:
            problems.append(
                f"{place('I')} → remark: there is a remark, but the answer (G{row}) is empty:"
                " answer the question or clear the remark"
            )
        return None
    try:
        criterion.read_answer(value)
    except ValueError as exc:
        problems.append(f"{place('G')} → answer: {exc}")
        return None
    entry: dict[str, Any] = {"criterion": criterion.id, "value": value}
    for field in ("evidence", "remark"):
        if texts[field]:
            entry[field] = texts[field]
    return entry


def read_workbook(
    path: Path, criteria: CriteriaSet, *, tender_id: str, criteria_hash: str, criteria_version: int
) -> dict[str, Any]:
    """Read a filled-in response workbook into a response document (the JSON-shaped dict of a response file).

    Everything is checked and all problems are reported together in one :class:`~auction.errors.InputError`
    (``<path>: <problem>; <problem>; …``), each naming sheet, cell and field; a workbook with any problem yields
    nothing. A workbook that is not ours, or is for another tender or other criteria, is refused on that alone.

    Values: ``yes_no`` → ``true``/``false``; ``number`` → an int when whole, else a float; ``date_not_passed`` →
    ``"YYYY-MM-DD"``; ``choice`` and ``document`` → text. An empty answer cell means "not answered": the criterion
    is left out of ``answers``. ``evidence`` and ``remark`` appear only when filled in. ``submitted_at`` is ISO
    8601 with offset; a time without one (every cell) is Dutch time.
    """
    book = _open(path)
    _check_meta(path, book, tender_id=tender_id, criteria_hash=criteria_hash, criteria_version=criteria_version)
    problems: list[str] = []
    supplier, submitted_at = _read_supplier(book, problems)
    answers = _read_answers(book, criteria, problems)
    document: dict[str, Any] = {
        "supplier": supplier,
        "tender_id": tender_id,
        "submitted_at": submitted_at,
        "answers": answers,
    }
    if not problems:
        problems.extend(document_problems(document))
    if problems:
        raise InputError(str(path), "; ".join(problems))
    return document
