"""Response CSV files: the template, reading a filled one back (``,`` or ``;``, with or without BOM), and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from qualification.common.errors import InputError
from qualification.criteria import CriteriaSet, Criterion
from qualification.criteria_file import load_criteria
from qualification.csv_response import HEAD_FIELDS, read_csv_response, write_csv_template

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TENDER_ID = "DV-2027"
KLAVERVELD: dict[str, Any] = json.loads((EXAMPLES / "responses" / "klaverveld.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return load_criteria(EXAMPLES / "criteria.toml")


def as_text(criterion: Criterion, value: Any, dutch: bool) -> str:
    """How a supplier types an answer: ja/nee, a decimal comma in Dutch, dates as DD-MM-YYYY in Dutch."""
    if isinstance(value, bool):
        return ("ja" if value else "nee") if dutch else ("yes" if value else "no")
    if isinstance(value, float):
        return str(value).replace(".", ",") if dutch else str(value)
    if criterion.type == "date_not_passed" and dutch:
        year, month, day = value.split("-")
        return f"{day}-{month}-{year}"
    return str(value)


def head_values(document: dict[str, Any]) -> dict[str, str]:
    supplier = document["supplier"]
    return {
        "tender_id": document["tender_id"],
        "supplier.id": supplier["id"],
        "supplier.name": supplier["name"],
        "supplier.kvk": supplier["kvk"],
        "supplier.agb": supplier["agb"],
        "supplier.contact.name": supplier["contact"]["name"],
        "supplier.contact.email": supplier["contact"]["email"],
        "submitted_at": document["submitted_at"],
    }


def filled_rows(criteria: CriteriaSet, template: Path, dutch: bool = False) -> list[list[str]]:
    """The template's rows with the klaverveld response filled in."""
    rows = list(csv.reader(io.StringIO(template.read_text(encoding="utf-8-sig"), newline="")))
    head = head_values(KLAVERVELD)
    answers = {answer["criterion"]: answer for answer in KLAVERVELD["answers"]}
    for row in rows[1:]:
        if row[0] in head:
            row[1] = head[row[0]]
        elif row[0] in answers:
            answer = answers[row[0]]
            row[1:] = [
                as_text(criteria[row[0]], answer["value"], dutch),
                answer.get("evidence", ""),
                answer.get("remark", ""),
            ]
    return rows


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding=encoding, newline="")
    return path


def filled(tmp_path: Path, criteria: CriteriaSet, **options: Any) -> Path:
    template = tmp_path / "template.csv"
    write_csv_template(template, criteria, TENDER_ID)
    return write_rows(
        tmp_path / "response.csv", filled_rows(criteria, template, options.pop("dutch", False)), **options
    )


def with_lines(tmp_path: Path, criteria: CriteriaSet, edit: Any) -> Path:
    """The filled file as lines (header at index 0 = line 1), edited by ``edit(lines)``."""
    path = filled(tmp_path, criteria)
    lines = path.read_text(encoding="utf-8").splitlines()
    edit(lines)
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def line_of(path: Path, field: str) -> int:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if line.split(",")[0] == field)


def replace_row(field: str, row: str) -> Any:
    def edit(lines: list[str]) -> None:
        index = next(i for i, line in enumerate(lines) if line.split(",")[0] == field)
        lines[index] = row

    return edit


def refused(path: Path, criteria: CriteriaSet, tender_id: str = TENDER_ID) -> str:
    with pytest.raises(InputError) as excinfo:
        read_csv_response(path, criteria, tender_id=tender_id)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: "), message
    return message


# ── Template and round trip ─────────────────────────────────────────────────────────────────────────────────


def test_the_template_has_the_head_rows_and_one_row_per_criterion(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "template.csv"
    write_csv_template(path, criteria, TENDER_ID)
    assert path.read_bytes().startswith(b"\xef\xbb\xbffield,value,evidence,remark\r\n")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[1] == ["tender_id", TENDER_ID, "", ""]
    assert [row[0] for row in rows[1:]] == [*HEAD_FIELDS, *criteria.ids]
    assert all(row[1:] == ["", "", ""] for row in rows[2:])


def test_the_unfilled_template_names_only_the_required_head_values(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "template.csv"
    write_csv_template(path, criteria, TENDER_ID)
    problems = refused(path, criteria).removeprefix(f"{path}: ").split("; ")
    assert problems == [
        f"line {line} ({field}) → value: required, but empty" for line, field in enumerate(HEAD_FIELDS[2:], start=4)
    ]


def test_a_filled_csv_reads_back_as_the_response_file(tmp_path: Path, criteria: CriteriaSet) -> None:
    assert read_csv_response(filled(tmp_path, criteria), criteria, tender_id=TENDER_ID) == KLAVERVELD


def test_semicolons_dutch_numbers_and_dates_and_no_bom(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, delimiter=";", dutch=True)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("field;value;evidence;remark") and "ALG-06;31-01-2028;" in text
    assert read_csv_response(path, criteria, tender_id=TENDER_ID) == KLAVERVELD


def test_a_byte_order_mark_is_accepted(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = filled(tmp_path, criteria, delimiter=";", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_csv_response(path, criteria, tender_id=TENDER_ID) == KLAVERVELD


def test_a_remark_over_several_lines_keeps_the_line_numbers_right(tmp_path: Path, criteria: CriteriaSet) -> None:
    template = tmp_path / "template.csv"
    write_csv_template(template, criteria, TENDER_ID)
    rows = filled_rows(criteria, template)
    alg03 = next(row for row in rows if row[0] == "ALG-03")
    alg03[3] = "Eerste regel.\nTweede regel."
    next(row for row in rows if row[0] == "DV-02")[1] = "twee"
    path = write_rows(tmp_path / "response.csv", rows)
    line = next(
        number for number, text in enumerate(path.read_text().splitlines(), start=1) if text.startswith("DV-02")
    )
    assert f"line {line} (criterion DV-02) → value: expected a number" in refused(path, criteria)


def test_an_empty_supplier_id_becomes_sup_kvk_and_head_rows_may_come_in_any_order(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    def edit(lines: list[str]) -> None:
        lines[2] = "supplier.id,,,"
        lines.append(lines.pop(1))  # tender_id last

    document = read_csv_response(with_lines(tmp_path, criteria, edit), criteria, tender_id=TENDER_ID)
    assert document["supplier"]["id"] == "sup-81275406"


def test_a_missing_criterion_row_is_not_answered(tmp_path: Path, criteria: CriteriaSet) -> None:
    def edit(lines: list[str]) -> None:
        lines[:] = [line for line in lines if not line.startswith("DV-06,")]

    document = read_csv_response(with_lines(tmp_path, criteria, edit), criteria, tender_id=TENDER_ID)
    assert "DV-06" not in [answer["criterion"] for answer in document["answers"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-07-14T16:52:30+02:00", "2026-07-14T16:52:30+02:00"),
        ("14-7-2026 16:52", "2026-07-14T16:52:00+02:00"),
        ("2026-01-14 09:05:00", "2026-01-14T09:05:00+01:00"),
    ],
)
def test_the_time_of_submission(tmp_path: Path, criteria: CriteriaSet, text: str, expected: str) -> None:
    path = with_lines(tmp_path, criteria, replace_row("submitted_at", f"submitted_at,{text},,"))
    assert read_csv_response(path, criteria, tender_id=TENDER_ID)["submitted_at"] == expected


# ── Errors ──────────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("criterion_id", "value", "problem"),
    [
        ("DV-02", "vijf", "expected a number such as 2500000 or 12,5"),
        ("DV-06", "2.500.000", "write the number without thousands separators"),
        ("UIT-04", "misschien", "expected ja or nee (yes or no), got 'misschien'"),
        ("ALG-06", "31/01/2028", "expected a date written as DD-MM-YYYY or YYYY-MM-DD"),
        ("ALG-06", "2025-11-31", "'2025-11-31' is not a valid calendar date"),
        ("ALG-03", "misschien", "expected one of 'ja', 'nee', 'niet van toepassing', got 'misschien'"),
    ],
)
def test_a_wrong_value_names_line_criterion_and_field(
    tmp_path: Path, criteria: CriteriaSet, criterion_id: str, value: str, problem: str
) -> None:
    path = with_lines(tmp_path, criteria, replace_row(criterion_id, f"{criterion_id},{value},,"))
    message = refused(path, criteria)
    assert f"line {line_of(path, criterion_id)} (criterion {criterion_id}) → value: {problem}" in message
    assert message.count(" → ") == 1, message


def test_a_document_value_that_leaves_the_folder_is_refused(tmp_path: Path) -> None:
    try:
        criterion = Criterion(
            id="T-01", group="Test", kind="knock-out", question_nl="Vraag?", question_en="Question?", type="document"
        )
    except ValidationError:
        pytest.skip('the criteria model does not accept type "document" yet')
    criteria = CriteriaSet(criteria=(criterion,))
    rows = [
        ["field", "value", "evidence", "remark"],
        *[[key, value, "", ""] for key, value in head_values(KLAVERVELD).items()],
    ]
    good = write_rows(tmp_path / "good.csv", [*rows, ["T-01", " polis/blad.pdf ", "", ""]])
    assert read_csv_response(good, criteria, tender_id=TENDER_ID)["answers"] == [
        {"criterion": "T-01", "value": "polis/blad.pdf"}
    ]
    bad = write_rows(tmp_path / "bad.csv", [*rows, ["T-01", "../geheim.pdf", "", ""]])
    assert "line 10 (criterion T-01) → value: '../geheim.pdf' is not a relative file name" in refused(bad, criteria)


def test_a_kvk_number_that_lost_its_leading_zero(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("supplier.kvk", "supplier.kvk,1234567,,"))
    message = refused(path, criteria)
    assert "line 5 (supplier.kvk) → value: must be 8 digits, got '1234567' (a spreadsheet may have dropped" in message


def test_a_bad_email_address(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("supplier.contact.email", "supplier.contact.email,geen,,"))
    assert "line 8 (supplier.contact.email) → value: expected an e-mail address, got 'geen'" in refused(path, criteria)


def test_a_response_for_another_tender(tmp_path: Path, criteria: CriteriaSet) -> None:
    message = refused(filled(tmp_path, criteria), criteria, tender_id="DV-2028")
    assert 'line 2 (tender_id) → value: this response is for tender "DV-2027", not for "DV-2028"' in message


def test_an_unknown_field(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, lambda lines: lines.append("ALG-09,ja,,"))
    line = len(path.read_text().splitlines())
    assert f"line {line} → field: unknown field 'ALG-09'" in refused(path, criteria)


def test_a_misspelt_field_gets_a_hint(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("supplier.kvk", "Supplier.KvK,81275406,,"))
    message = refused(path, criteria)
    assert "line 5 → field: unknown field 'Supplier.KvK'" in message
    assert "(did you mean supplier.kvk?)" in message
    assert "supplier.kvk: no row" in message


def test_a_repeated_row(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, lambda lines: lines.append("DV-02,3,,"))
    line = len(path.read_text().splitlines())
    first = line_of(path, "DV-02")
    assert f"line {line} (criterion DV-02) → field: a second row for criterion DV-02 (first at line {first})" in (
        refused(path, criteria)
    )


def test_a_repeated_head_row(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, lambda lines: lines.append("supplier.kvk,81275406,,"))
    assert "(supplier.kvk) → field: a second row for supplier.kvk (first at line 5)" in refused(path, criteria)


def test_missing_required_rows(tmp_path: Path, criteria: CriteriaSet) -> None:
    def edit(lines: list[str]) -> None:
        lines[:] = [line for line in lines if not line.startswith(("submitted_at,", "supplier.agb,", "supplier.id,"))]

    message = refused(with_lines(tmp_path, criteria, edit), criteria)
    assert 'submitted_at: no row, add the row "submitted_at,<value>,," (see the template)' in message
    assert "supplier.agb: no row" in message
    assert "supplier.id" not in message  # optional


def test_a_ragged_row(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("DV-02", "DV-02,2,leveringsvoorwaarden.pdf,,extra"))
    assert f"line {line_of(path, 'DV-02')}: expected 4 fields (field, value, evidence, remark), got 5" in refused(
        path, criteria
    )


def test_evidence_without_a_value(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("DV-07", "DV-07,,jaarverslag.pdf,"))
    assert f"line {line_of(path, 'DV-07')} (criterion DV-07) → evidence: there is evidence, but the value is empty" in (
        refused(path, criteria)
    )


def test_evidence_on_a_head_row(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("supplier.kvk", "supplier.kvk,81275406,kvk.pdf,"))
    assert "line 5 (supplier.kvk) → evidence: only answers have one, leave it empty" in refused(path, criteria)


def test_undecodable_bytes(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("supplier.contact.name", "supplier.contact.name,Noëlle de Wit,,"))
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))  # what Excel's plain "CSV" saves
    message = refused(path, criteria)
    assert "line 7: not UTF-8 text" in message and "CSV UTF-8" in message


def test_a_wrong_header(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, lambda lines: lines.__setitem__(0, "veld,waarde,bewijs,opmerking"))
    assert "line 1: expected the header field,value,evidence,remark, got 'veld,waarde,bewijs,opmerking'" in refused(
        path, criteria
    )


def test_an_empty_file(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n")
    assert "the file is empty" in refused(path, criteria)


def test_an_unterminated_quote(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = with_lines(tmp_path, criteria, replace_row("DV-02", 'DV-02,"2,,'))
    assert "not valid CSV" in refused(path, criteria)


def test_a_file_with_errors_imports_nothing_and_lists_every_problem_in_line_order(
    tmp_path: Path, criteria: CriteriaSet
) -> None:
    def edit(lines: list[str]) -> None:
        replace_row("DV-02", "DV-02,vijf,,")(lines)
        replace_row("supplier.kvk", "supplier.kvk,1234,,")(lines)
        replace_row("UIT-04", "UIT-04,misschien,,")(lines)
        lines.append("ALG-09,ja,,")
        lines[:] = [line for line in lines if not line.startswith("submitted_at,")]

    path = with_lines(tmp_path, criteria, edit)
    problems = refused(path, criteria).removeprefix(f"{path}: ").split("; ")
    assert [problem.split(" ")[0] for problem in problems] == ["submitted_at:", "line", "line", "line", "line"]
    numbers = [int(problem.split(" ")[1]) for problem in problems[1:]]
    assert numbers == sorted(numbers)
