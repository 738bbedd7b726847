"""Response workbooks: the blank workbook's layout, reading a filled one back, and every way it can be wrong.

A supplier's filling-in is simulated with openpyxl the way Excel stores it: ``ja`` picked from the list,
numbers and dates as number and date cells, the time of submission as a date-time cell without offset.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from qualification.common.errors import InputError
from qualification.criteria import CriteriaSet, Criterion
from qualification.criteria_file import load_criteria
from qualification.responses import load_response
from qualification.text_answers import parse_date, parse_number, parse_text_answer, parse_timestamp
from qualification.workbook import (
    ANSWER_COLUMNS,
    FORMAT,
    SUPPLIER_ROWS,
    read_workbook,
    requirement_words,
    write_workbook,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TENDER_ID = "DV-2027"
VERSION = 3
KLAVERVELD: dict[str, Any] = json.loads((EXAMPLES / "responses" / "klaverveld.json").read_text(encoding="utf-8"))
SUBMITTED = datetime(2026, 7, 14, 16, 52, 30)  # as Excel holds it: no offset, Dutch time

Edit = Callable[[Any], object]


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return load_criteria(EXAMPLES / "criteria.toml")


def blank(tmp_path: Path, criteria: CriteriaSet, name: str = "blank.xlsx", **overrides: Any) -> Path:
    path = tmp_path / name
    arguments: dict[str, Any] = {
        "tender_id": TENDER_ID,
        "tender_title": "Dieetvoeding thuis 2027",
        "criteria_version": VERSION,
        "criteria_hash": criteria.hash,
    }
    arguments.update(overrides)
    write_workbook(path, criteria, **arguments)
    return path


def cell_value(criterion: Criterion, value: Any) -> Any:
    """How Excel would hold the supplier's answer: list text for yes/no, number and date cells."""
    if criterion.type == "yes_no":
        return "ja" if value else "nee"
    if criterion.type == "date_not_passed":
        return datetime.fromisoformat(value)
    return value


def rows_by_id(sheet: Any) -> dict[str, int]:
    return {row[0].value: row[0].row for row in sheet.iter_rows(min_row=2) if row[0].value}


def fill(path: Path, criteria: CriteriaSet, document: dict[str, Any] = KLAVERVELD) -> Path:
    """Fill the blank workbook at ``path`` with a response document, as a supplier would in Excel."""
    book = openpyxl.load_workbook(path)
    supplier = book["Leverancier"]
    person = document["supplier"]
    for row, value in enumerate(
        (
            person["id"],
            person["name"],
            person["kvk"],
            person["agb"],
            person["contact"]["name"],
            person["contact"]["email"],
            SUBMITTED,
        ),
        start=1,
    ):
        supplier.cell(row=row, column=2, value=value)
    sheet = book["Antwoorden"]
    rows = rows_by_id(sheet)
    for answer in document["answers"]:
        row = rows[answer["criterion"]]
        sheet[f"G{row}"] = cell_value(criteria[answer["criterion"]], answer["value"])
        sheet[f"H{row}"] = answer.get("evidence")
        sheet[f"I{row}"] = answer.get("remark")
    book.save(path)
    return path


def filled(tmp_path: Path, criteria: CriteriaSet, edit: Edit | None = None, name: str = "filled.xlsx") -> Path:
    path = fill(blank(tmp_path, criteria, name=name), criteria)
    if edit is not None:
        change(path, edit)
    return path


def change(path: Path, edit: Edit) -> None:
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)


@dataclass(frozen=True)
class General:
    """A number typed in a cell whose format the supplier set to General (in a date cell it would be a date)."""

    number: int


def put(cell: Any, value: Any) -> None:
    if isinstance(value, General):
        cell.number_format = "General"
        value = value.number
    cell.value = value


def answer_cell(criterion_id: str, value: Any, column: str = "G") -> Edit:
    def edit(book: Any) -> None:
        sheet = book["Antwoorden"]
        put(sheet[f"{column}{rows_by_id(sheet)[criterion_id]}"], value)

    return edit


def supplier_cell(row: int, value: Any) -> Edit:
    def edit(book: Any) -> None:
        put(book["Leverancier"].cell(row=row, column=2), value)

    return edit


def read(path: Path, criteria: CriteriaSet, **overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {"tender_id": TENDER_ID, "criteria_hash": criteria.hash, "criteria_version": VERSION}
    arguments.update(overrides)
    return read_workbook(path, criteria, **arguments)


def refused(path: Path, criteria: CriteriaSet, **overrides: Any) -> str:
    with pytest.raises(InputError) as excinfo:
        read(path, criteria, **overrides)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: "), message
    assert "Traceback" not in message
    return message


def row_of(criteria: CriteriaSet, criterion_id: str) -> int:
    return criteria.ids.index(criterion_id) + 2


def one_criterion(**fields: Any) -> CriteriaSet:
    base: dict[str, Any] = {
        "id": "T-01",
        "group": "Test",
        "kind": "knock-out",
        "question_nl": "Vraag?",
        "question_en": "Question?",
    }
    base.update(fields)
    return CriteriaSet(criteria=(Criterion(**base),))


def document_criterion() -> CriteriaSet:
    try:
        return one_criterion(type="document", evidence="Polisblad")
    except ValidationError:
        pytest.skip('the criteria model does not accept type "document" yet')


# ── Round trip ──────────────────────────────────────────────────────────────────────────────────────────────


def test_a_filled_workbook_reads_back_as_the_response_file(tmp_path: Path, criteria: CriteriaSet) -> None:
    assert read(filled(tmp_path, criteria), criteria) == KLAVERVELD


def test_what_is_read_loads_as_a_response_file(tmp_path: Path, criteria: CriteriaSet) -> None:
    document = read(filled(tmp_path, criteria), criteria)
    path = tmp_path / "klaverveld.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    response = load_response(path, TENDER_ID, criteria)
    assert response.supplier.kvk == "81275406"
    assert response.submitted_at.isoformat() == "2026-07-14T16:52:30+02:00"
    assert response.answer_for("DV-07") is None  # left empty: not answered


@pytest.mark.parametrize(
    ("criterion_id", "cell", "value"),
    [
        ("ALG-01", "JA", True),
        ("ALG-01", " Yes ", True),
        ("ALG-01", "j", True),
        ("ALG-01", True, True),
        ("UIT-01", "Nee", False),
        ("UIT-01", "n", False),
        ("UIT-01", "false", False),
        ("UIT-01", False, False),
        ("DV-06", "2500000", 2500000),
        ("DV-06", 2500000.0, 2500000),
        ("DV-02", "1,5", 1.5),
        ("DV-02", "1.5", 1.5),
        ("DV-02", 1.5, 1.5),
        ("DV-07", "-3.25", -3.25),
        ("ALG-06", "31-01-2028", "2028-01-31"),
        ("ALG-06", "1-2-2028", "2028-02-01"),
        ("ALG-06", "2028-01-31", "2028-01-31"),
        ("ALG-06", date(2028, 1, 31), "2028-01-31"),
        ("ALG-03", " niet van toepassing ", "niet van toepassing"),
        ("ALG-03", "Niet van toepassing", "niet van toepassing"),
    ],
)
def test_every_way_of_writing_an_answer(
    tmp_path: Path, criteria: CriteriaSet, criterion_id: str, cell: Any, value: Any
) -> None:
    document = read(filled(tmp_path, criteria, answer_cell(criterion_id, cell)), criteria)
    answer = next(item for item in document["answers"] if item["criterion"] == criterion_id)
    assert answer["value"] == value
    assert type(answer["value"]) is type(value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(2026, 1, 14, 9, 5), "2026-01-14T09:05:00+01:00"),
        (datetime(2026, 7, 14, 16, 52, 29, 999_700), "2026-07-14T16:52:30+02:00"),
        ("14-07-2026 16:52", "2026-07-14T16:52:00+02:00"),
        ("2026-07-14T16:52:30+02:00", "2026-07-14T16:52:30+02:00"),
        ("2026-07-14T14:52:30Z", "2026-07-14T14:52:30+00:00"),
    ],
)
def test_the_time_of_submission_is_dutch_time_unless_it_has_an_offset(
    tmp_path: Path, criteria: CriteriaSet, cell: Any, expected: str
) -> None:
    document = read(filled(tmp_path, criteria, supplier_cell(7, cell)), criteria)
    assert document["submitted_at"] == expected


def test_an_empty_supplier_id_becomes_sup_kvk(tmp_path: Path, criteria: CriteriaSet) -> None:
    document = read(filled(tmp_path, criteria, supplier_cell(1, None)), criteria)
    assert document["supplier"]["id"] == "sup-81275406"


def test_a_kvk_number_cell_with_all_eight_digits_is_accepted(tmp_path: Path, criteria: CriteriaSet) -> None:
    document = read(filled(tmp_path, criteria, supplier_cell(3, 81275406)), criteria)
    assert document["supplier"]["kvk"] == "81275406"


def test_a_blank_workbook_answers_nothing_and_names_the_empty_supplier_cells(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    message = refused(blank(tmp_path, criteria), criteria)
    for cell, label in (("B2", "Naam"), ("B3", "KvK-nummer"), ("B4", "AGB-code"), ("B5", "Contactpersoon")):
        assert f"sheet Leverancier, cell {cell} ({label}): required, but empty" in message
    assert "cell B6 (E-mail): required, but empty" in message
    assert "cell B7 (Datum en tijd van indiening): required, but empty" in message
    assert "B1" not in message  # the supplier id is optional
    assert "Antwoorden" not in message  # unanswered criteria are not an error
    assert message.index("B2") < message.index("B7")  # in the order of the rows


# ── Layout ──────────────────────────────────────────────────────────────────────────────────────────────────


def test_the_blank_workbook_has_its_sheets_meta_and_columns(tmp_path: Path, criteria: CriteriaSet) -> None:
    book = openpyxl.load_workbook(blank(tmp_path, criteria))
    assert book.sheetnames == ["Toelichting", "Leverancier", "Antwoorden", "Meta"]
    meta = book["Meta"]
    assert meta.sheet_state == "hidden"
    assert {row[0]: row[1] for row in meta.iter_rows(max_col=2, values_only=True) if row[0]} == {
        "format": FORMAT,
        "format_version": 1,
        "tender_id": TENDER_ID,
        "criteria_version": VERSION,
        "criteria_hash": criteria.hash,
    }
    sheet = book["Antwoorden"]
    assert [cell.value for cell in sheet[1]] == [column.heading for column in ANSWER_COLUMNS]
    assert [sheet.cell(row=row, column=1).value for row in range(2, len(criteria) + 2)] == list(criteria.ids)
    assert sheet.max_row == len(criteria) + 1
    assert sheet.freeze_panes == "B2"
    row = row_of(criteria, "DV-06")
    assert sheet[f"B{row}"].value == "Dieetvoeding"
    assert sheet[f"C{row}"].value == "knock-out"
    assert sheet[f"D{row}"].value == criteria["DV-06"].question_nl
    assert sheet[f"E{row}"].value == criteria["DV-06"].question_en
    assert sheet[f"F{row}"].value.startswith("minimaal 2.500.000 EUR")
    assert sheet[f"J{row}"].value.startswith(criteria["DV-06"].evidence)
    assert sheet[f"C{row_of(criteria, 'DV-07')}"].value.startswith("informatief")
    assert [row.label.split(" / ")[0] for row in SUPPLIER_ROWS] == [
        "Leverancierscode",
        "Naam",
        "KvK-nummer",
        "AGB-code",
        "Contactpersoon",
        "E-mail",
        "Datum en tijd van indiening",
    ]


def test_only_the_yellow_cells_are_unlocked_and_the_sheets_are_protected(tmp_path: Path, criteria: CriteriaSet) -> None:
    book = openpyxl.load_workbook(blank(tmp_path, criteria))
    assert book.security.lockStructure
    for name in ("Toelichting", "Leverancier", "Antwoorden", "Meta"):
        assert book[name].protection.sheet, name
    sheet = book["Antwoorden"]
    for column in ANSWER_COLUMNS:
        for row in (1, 2, len(criteria) + 1):
            locked = sheet[f"{column.letter}{row}"].protection.locked
            assert locked == (row == 1 or column.letter not in "GHI"), f"{column.letter}{row}"
    assert sheet["G2"].fill.fgColor.rgb.endswith("FFF59D")
    supplier = book["Leverancier"]
    assert [supplier.cell(row=row, column=2).protection.locked for row in range(1, 8)] == [False] * 7
    assert supplier["A3"].protection.locked
    assert supplier["B3"].number_format == "@"  # KvK and AGB are text: a leading zero stays


def test_yes_no_and_choice_answers_have_a_drop_down_list(tmp_path: Path, criteria: CriteriaSet) -> None:
    sheet = openpyxl.load_workbook(blank(tmp_path, criteria))["Antwoorden"]
    lists = {validation.formula1: validation for validation in sheet.data_validations.dataValidation}
    assert set(lists) == {'"ja,nee"', '"ja,nee,niet van toepassing"'}
    assert f"G{row_of(criteria, 'ALG-01')}" in lists['"ja,nee"']
    assert f"G{row_of(criteria, 'DV-06')}" not in lists['"ja,nee"']
    assert f"G{row_of(criteria, 'ALG-03')}" in lists['"ja,nee,niet van toepassing"']
    assert all(validation.showErrorMessage for validation in lists.values())


def test_options_that_cannot_be_listed_inline_are_listed_on_the_meta_sheet(tmp_path: Path) -> None:
    options = ("ja, volledig", "ja, gedeeltelijk", "nee")
    criteria = one_criterion(type="choice", options=options, allowed=("ja, volledig",))
    path = blank(tmp_path, criteria)
    book = openpyxl.load_workbook(path)
    (validation,) = book["Antwoorden"].data_validations.dataValidation
    assert validation.formula1 == "Meta!$D$1:$D$3"
    assert [book["Meta"].cell(row=row, column=4).value for row in (1, 2, 3)] == list(options)
    fill(path, criteria, {**KLAVERVELD, "answers": [{"criterion": "T-01", "value": "Ja, gedeeltelijk"}]})
    assert read(path, criteria)["answers"] == [{"criterion": "T-01", "value": "ja, gedeeltelijk"}]


def test_the_explanation_is_in_dutch_then_english(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = blank(tmp_path, criteria, evaluation_note="beoordelingsdatum 1 augustus 2026")
    text = "\n".join(str(row[0]) for row in openpyxl.load_workbook(path)["Toelichting"].iter_rows(values_only=True))
    for phrase in (
        "Vul alleen de gele cellen in",
        "2500000, niet 2.500.000",
        "DD-MM-JJJJ",
        "Stuur de documenten samen met dit formulier in",
        "Fill in only the yellow cells",
        "2500000, not 2,500,000",
        "Send the documents along with this workbook",
        "Dieetvoeding thuis 2027",
        "beoordelingsdatum 1 augustus 2026",
    ):
        assert phrase in text, phrase
    assert text.index("Vul alleen") < text.index("Fill in only")


@pytest.mark.parametrize(
    ("fields", "dutch", "english"),
    [
        ({"type": "yes_no", "expected": True}, "ja", "yes"),
        ({"type": "yes_no", "expected": False}, "nee", "no"),
        ({"type": "number", "min": 2500000, "unit": "EUR"}, "minimaal 2.500.000 EUR", "at least 2,500,000 EUR"),
        (
            {"type": "number", "max": 5, "unit": "working days", "unit_nl": "werkdagen"},
            "maximaal 5 werkdagen",
            "at most 5 working days",
        ),
        ({"type": "number", "min": 1, "max": 2.5, "unit": "EUR"}, "tussen 1 en 2,5 EUR", "between 1 and 2.5 EUR"),
        ({"type": "date_not_passed"}, "een datum die niet verstreken is", "a date that has not passed"),
        (
            {
                "type": "choice",
                "options": ("ja", "nee", "niet van toepassing"),
                "allowed": ("ja", "niet van toepassing"),
            },
            "één van: 'ja', 'niet van toepassing'",
            "one of: 'ja', 'niet van toepassing'",
        ),
    ],
)
def test_the_requirement_in_words(fields: dict[str, Any], dutch: str, english: str) -> None:
    (criterion,) = one_criterion(**fields)
    assert requirement_words(criterion, "nl") == dutch
    assert requirement_words(criterion, "en") == english


def test_a_scored_yes_no_says_which_answer_earns_the_points() -> None:
    try:
        (criterion,) = one_criterion(kind="scored", type="yes_no", expected=True, weight=10)
    except ValidationError:
        pytest.skip("the criteria model has no scored criteria yet")
    assert requirement_words(criterion) == "ja: alle punten; nee: 0 punten"
    assert requirement_words(criterion, "en") == "yes: full points; no: 0 points"


def test_the_requirement_of_a_document_criterion() -> None:
    (criterion,) = document_criterion()
    assert requirement_words(criterion) == "een bijgevoegd document"


def test_a_scored_number_says_what_earns_points() -> None:
    try:
        (criterion,) = one_criterion(
            kind="scored", type="number", weight=20, score_from=5, score_to=1, unit="working days", unit_nl="werkdagen"
        )
    except ValidationError:
        pytest.skip("the criteria model has no scored criteria yet")
    assert requirement_words(criterion) == "5 werkdagen: 0 punten; 1 werkdagen: alle punten"


# ── The file itself ─────────────────────────────────────────────────────────────────────────────────────────


def test_a_file_that_is_not_a_zip_is_refused_in_words(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "response.xlsx"
    path.write_text("field,value\n", encoding="utf-8")
    assert "not an XLSX workbook" in refused(path, criteria)


def test_an_old_xls_file_is_named_as_such(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "response.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert ".xls" in refused(path, criteria)


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "response.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a readable XLSX workbook" in refused(path, criteria)


def test_a_damaged_workbook_is_refused_without_a_traceback(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "XLSX" in refused(path, criteria)


def test_a_missing_file_is_refused(tmp_path: Path, criteria: CriteriaSet) -> None:
    assert "file not found" in refused(tmp_path / "nowhere.xlsx", criteria)


def test_a_workbook_without_meta_is_not_ours(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    assert "not a response workbook generated by this tool" in refused(path, criteria)


def test_a_workbook_with_another_format_is_not_ours(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, lambda book: book["Meta"].cell(row=1, column=2, value="something-else"))
    assert "not a response workbook generated by this tool" in refused(path, criteria)


def test_a_workbook_for_another_tender_is_refused(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria)
    assert refused(path, criteria, tender_id="DV-2028").endswith('this workbook is for tender "DV-2027", not "DV-2028"')


def test_a_workbook_for_older_criteria_asks_for_a_new_one(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria)
    message = refused(path, criteria, criteria_hash="0" * 64, criteria_version=VERSION + 1)
    assert message.endswith(
        f"generated for criteria version {VERSION}; the criteria are now version {VERSION + 1}"
        " (changed by a clarification notice): ask for a new workbook"
    )


def test_a_changed_hash_under_the_same_version_is_refused_too(tmp_path: Path, criteria: CriteriaSet) -> None:
    message = refused(filled(tmp_path, criteria), criteria, criteria_hash="0" * 64)
    assert "other criteria" in message and "ask for a new workbook" in message


def test_a_workbook_of_another_format_version_asks_for_a_new_one(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, lambda book: book["Meta"].cell(row=2, column=2, value=2))
    assert refused(path, criteria).endswith(
        "workbook format version 2, but this tool reads version 1: ask for a new workbook"
    )


def test_an_opendocument_spreadsheet_is_named_as_such(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "response.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert "OpenDocument spreadsheet (.ods)" in refused(path, criteria)


@pytest.mark.parametrize("sheet", ["Leverancier", "Antwoorden"])
def test_a_missing_sheet_is_named(tmp_path: Path, criteria: CriteriaSet, sheet: str) -> None:
    path = filled(tmp_path, criteria, lambda book: book.remove(book[sheet]))
    assert f"sheet {sheet} is missing" in refused(path, criteria)


# ── Rows of the sheet Antwoorden ────────────────────────────────────────────────────────────────────────────


def test_a_deleted_row_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, lambda book: book["Antwoorden"].delete_rows(row_of(criteria, "DV-02")))
    assert "sheet Antwoorden: no row for criterion DV-02" in refused(path, criteria)


def test_an_unknown_criterion_id_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    row = len(criteria) + 2
    path = filled(tmp_path, criteria, lambda book: book["Antwoorden"].append(["ALG-09", *[None] * 5, "ja"]))
    assert f"sheet Antwoorden, cell A{row} → criterion: unknown criterion id 'ALG-09'" in refused(path, criteria)


def test_a_repeated_row_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    row = len(criteria) + 2
    path = filled(tmp_path, criteria, lambda book: book["Antwoorden"].append(["DV-02", *[None] * 5, 3]))
    first = row_of(criteria, "DV-02")
    expected = (
        f"sheet Antwoorden, cell A{row} (criterion DV-02) → criterion: a second row for DV-02 (first at row {first})"
    )
    assert expected in refused(path, criteria)


def test_an_answer_without_a_criterion_id_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    row = len(criteria) + 2
    path = filled(tmp_path, criteria, lambda book: book["Antwoorden"].append([None, *[None] * 5, "ja"]))
    assert f"sheet Antwoorden, row {row}: an answer, evidence or remark without a criterion id" in refused(
        path, criteria
    )


def test_moved_columns_are_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, lambda book: book["Antwoorden"].insert_cols(4))
    message = refused(path, criteria)
    assert "sheet Antwoorden, cell D1: expected the column heading 'Vraag (NL) / Question (Dutch)'" in message
    assert "do not insert, delete or move columns" in message


@pytest.mark.parametrize(
    ("criterion_id", "cell", "problem"),
    [
        ("DV-02", "vijf", "expected a number such as 2500000 or 12,5"),
        ("DV-06", "2.500.000", "write the number without thousands separators"),
        ("DV-06", "2,500,000", "write the number without thousands separators"),
        ("DV-06", "2 500 000", "write the number without thousands separators"),
        ("DV-06", "2.500", "'2.500' is ambiguous"),
        ("DV-06", "10000000000000000", "the number 10000000000000000 is too large"),
        ("DV-06", True, "expected a number"),
        ("DV-06", datetime(2028, 1, 31), "expected a number"),
        ("UIT-04", "misschien", "expected ja or nee (yes or no), got 'misschien'"),
        ("UIT-04", 1, "expected ja or nee (yes or no), got the number 1"),
        ("ALG-06", "31/01/2028", "expected a date written as DD-MM-YYYY or YYYY-MM-DD, got '31/01/2028'"),
        ("ALG-06", "31-11-2025", "'31-11-2025' is not a valid calendar date"),
        (
            "ALG-06",
            General(46053),
            "expected a date written as DD-MM-YYYY or YYYY-MM-DD, got the number 46053: format the cell as a date",
        ),
        ("ALG-06", datetime(2028, 1, 31, 13, 0), "expected a date without a time"),
        ("ALG-03", "misschien", "expected one of 'ja', 'nee', 'niet van toepassing', got 'misschien'"),
        ("ALG-03", True, "expected one of 'ja', 'nee', 'niet van toepassing', got a yes/no cell"),
    ],
)
def test_a_wrong_answer_names_sheet_cell_criterion_and_field(
    tmp_path: Path, criteria: CriteriaSet, criterion_id: str, cell: Any, problem: str
) -> None:
    message = refused(filled(tmp_path, criteria, answer_cell(criterion_id, cell)), criteria)
    assert (
        f"sheet Antwoorden, cell G{row_of(criteria, criterion_id)} (criterion {criterion_id}) → answer: {problem}"
        in (message)
    )
    assert message.count(" → ") == 1, message  # nothing else is wrong


def test_evidence_without_an_answer_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, answer_cell("DV-07", "klaverveld/jaarverslag.pdf", column="H"))
    row = row_of(criteria, "DV-07")
    assert f"sheet Antwoorden, cell H{row} (criterion DV-07) → evidence: names a document, but the answer (G{row})" in (
        refused(path, criteria)
    )


def test_a_remark_without_an_answer_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, answer_cell("DV-07", "Wij leveren pas sinds 2026.", column="I"))
    assert f"cell I{row_of(criteria, 'DV-07')} (criterion DV-07) → remark:" in refused(path, criteria)


def test_an_emptied_answer_is_not_answered(tmp_path: Path, criteria: CriteriaSet) -> None:
    def empty_dv06(book: Any) -> None:
        for column in "GHI":
            answer_cell("DV-06", "   " if column == "G" else None, column)(book)

    document = read(filled(tmp_path, criteria, empty_dv06), criteria)
    assert "DV-06" not in [answer["criterion"] for answer in document["answers"]]


# ── Supplier fields ─────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("row", "cell", "problem"),
    [
        (3, "1234", "sheet Leverancier, cell B3 (KvK-nummer): must be 8 digits, got '1234'"),
        (3, 1234567, "sheet Leverancier, cell B3 (KvK-nummer): must be 8 digits, got the number 1234567"),
        (4, "4302271X", "sheet Leverancier, cell B4 (AGB-code): must be 8 digits, got '4302271X'"),
        (4, "4302271", "(a spreadsheet may have dropped a leading zero: format the cell as text)"),
        (6, "aanbesteding.klaverveld", "sheet Leverancier, cell B6 (E-mail): expected an e-mail address"),
        (2, "  ", "sheet Leverancier, cell B2 (Naam): required, but empty"),
        (5, None, "sheet Leverancier, cell B5 (Contactpersoon): required, but empty"),
        (1, "sup klaverveld", "sheet Leverancier, cell B1 (Leverancierscode): expected letters, digits"),
        (7, "gisteren", "sheet Leverancier, cell B7 (Datum en tijd van indiening): expected a date and time"),
        (7, "2026-07-14", "cell B7 (Datum en tijd van indiening): expected a date and time"),
        (7, "29-03-2026 02:30", "does not exist in Dutch time"),
        (7, General(46217), "cell B7 (Datum en tijd van indiening): expected a date and time such as 14-07-2026 16:52"),
    ],
)
def test_a_wrong_supplier_field_names_its_cell(
    tmp_path: Path, criteria: CriteriaSet, row: int, cell: Any, problem: str
) -> None:
    message = refused(filled(tmp_path, criteria, supplier_cell(row, cell)), criteria)
    assert problem in message
    assert message.count("sheet Leverancier") == 1, message


def test_a_relabelled_supplier_row_is_reported(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(
        tmp_path, criteria, lambda book: book["Leverancier"].cell(row=3, column=1, value="Kamer van Koophandel")
    )
    assert "sheet Leverancier: no row labelled 'KvK-nummer' in column A" in refused(path, criteria)


# ── All problems at once ────────────────────────────────────────────────────────────────────────────────────


def test_a_workbook_with_errors_imports_nothing_and_lists_every_problem(tmp_path: Path, criteria: CriteriaSet) -> None:
    def many(book: Any) -> None:
        supplier_cell(3, "1234")(book)
        supplier_cell(6, "geen e-mail")(book)
        answer_cell("DV-02", "vijf")(book)
        answer_cell("ALG-06", "31-11-2025")(book)
        answer_cell("UIT-04", "misschien")(book)
        answer_cell("DV-07", "bewijs.pdf", column="H")(book)
        book["Antwoorden"].append(["ALG-09"])

    message = refused(filled(tmp_path, criteria, many), criteria)
    problems = message.removeprefix(f"{tmp_path / 'filled.xlsx'}: ").split("; ")
    assert len(problems) == 7, problems
    assert [problem.split(",")[0] for problem in problems] == ["sheet Leverancier"] * 2 + ["sheet Antwoorden"] * 5


# ── document answers ────────────────────────────────────────────────────────────────────────────────────────


def test_a_document_answer_is_the_file_name(tmp_path: Path) -> None:
    criteria = document_criterion()
    path = blank(tmp_path, criteria)
    fill(path, criteria, {**KLAVERVELD, "answers": [{"criterion": "T-01", "value": " polis/blad.pdf "}]})
    assert read(path, criteria)["answers"] == [{"criterion": "T-01", "value": "polis/blad.pdf"}]


def test_a_document_answer_that_leaves_the_folder_is_refused(tmp_path: Path) -> None:
    criteria = document_criterion()
    path = blank(tmp_path, criteria)
    fill(path, criteria, {**KLAVERVELD, "answers": [{"criterion": "T-01", "value": "../geheim.pdf"}]})
    assert "sheet Antwoorden, cell G2 (criterion T-01) → answer: '../geheim.pdf' is not a relative file name" in (
        refused(path, criteria)
    )


# ── Text answers ────────────────────────────────────────────────────────────────────────────────────────────


def test_empty_text_is_not_answered() -> None:
    (criterion,) = one_criterion(type="yes_no", expected=True)
    assert parse_text_answer(criterion, "  ") is None


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_whole_numbers_read_back_exactly(number: int) -> None:
    assert parse_number(str(number)) == number


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimal_comma_and_point_read_the_same(number: Decimal) -> None:
    text = format(number, "f")
    if "." not in text or len(text.split(".")[1]) == 3:
        return
    assert Decimal(repr(parse_number(text))) == number
    assert parse_number(text.replace(".", ",")) == parse_number(text)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_dutch_and_iso_dates_read_the_same(day: date) -> None:
    assert parse_date(day.strftime("%d-%m-%Y")) == parse_date(day.isoformat()) == day.isoformat()


def test_a_time_in_the_repeated_autumn_hour_is_summer_time() -> None:
    assert parse_timestamp("25-10-2026 02:30").isoformat() == "2026-10-25T02:30:00+02:00"
