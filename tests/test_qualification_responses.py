"""Loading responses: every way a response file can be wrong is refused with file, record and field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from qualification.common.errors import InputError
from qualification.criteria import CriteriaSet
from qualification.criteria_file import load_criteria
from qualification.evaluation import evaluate
from qualification.responses import load_response, load_responses

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TENDER_ID = "DV-2027"
TEMPLATE: dict[str, Any] = json.loads((EXAMPLES / "responses" / "bloesemhof.json").read_text(encoding="utf-8"))

Mutation = Callable[[dict[str, Any]], object]


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return load_criteria(EXAMPLES / "criteria.toml")


def index_of(document: dict[str, Any], criterion_id: str) -> int:
    return next(i for i, answer in enumerate(document["answers"]) if answer["criterion"] == criterion_id)


def write(tmp_path: Path, mutate: Mutation | None = None, name: str = "response.json") -> Path:
    document = copy.deepcopy(TEMPLATE)
    if mutate is not None:
        mutate(document)
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def set_value(criterion_id: str, value: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document["answers"][index_of(document, criterion_id)]["value"] = value

    return mutate


def refused(path: Path, criteria: CriteriaSet | None = None, tender_id: str = TENDER_ID) -> str:
    with pytest.raises(InputError) as excinfo:
        load_response(path, tender_id, criteria)
    message = str(excinfo.value)
    assert message.startswith(str(path)), message
    return message


def test_the_template_loads_with_and_without_criteria(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write(tmp_path)
    assert load_response(path, TENDER_ID, criteria) == load_response(path, TENDER_ID)
    response = load_response(path, TENDER_ID, criteria)
    assert response.supplier.kvk == "90412873"
    assert response.answer_for("DV-06") is not None
    assert response.answer_for("XYZ-1") is None


@pytest.mark.parametrize(
    ("criterion_id", "value", "expected_problem"),
    [
        ("UIT-02", "misschien", "value: expected true or false, got 'misschien'"),
        ("UIT-02", 0, "value: expected true or false, got 0"),
        ("DV-06", "2 miljoen", "value: expected a number, got '2 miljoen'"),
        ("DV-06", True, "value: expected a number, got true"),
        ("ALG-06", "31-12-2028", "value: expected a date written as \"YYYY-MM-DD\", got '31-12-2028'"),
        ("ALG-06", "20281231", "value: expected a date written as \"YYYY-MM-DD\", got '20281231'"),
        ("ALG-06", 20281231, 'value: expected a date written as "YYYY-MM-DD", got 20281231'),
        ("ALG-06", "2028-02-30", "value: '2028-02-30' is not a valid calendar date"),
        ("ALG-03", "jazeker", "value: expected one of 'ja', 'nee', 'niet van toepassing', got 'jazeker'"),
        ("ALG-03", True, "value: expected text, got true"),
    ],
)
def test_an_answer_of_the_wrong_type_is_refused_at_load(
    tmp_path: Path, criteria: CriteriaSet, criterion_id: str, value: object, expected_problem: str
) -> None:
    path = write(tmp_path, set_value(criterion_id, value))
    index = index_of(TEMPLATE, criterion_id)
    assert f"answers[{index}] (criterion {criterion_id}) → {expected_problem}" in refused(path, criteria)


def test_a_type_error_loaded_without_criteria_is_refused_by_evaluate(tmp_path: Path, criteria: CriteriaSet) -> None:
    path = write(tmp_path, set_value("UIT-02", "misschien"))
    response = load_response(path, TENDER_ID)  # without criteria only the shape is checked
    with pytest.raises(InputError) as excinfo:
        evaluate(criteria, response, date(2026, 8, 1))
    message = str(excinfo.value)
    assert message.startswith(f"{path}: ")
    index = index_of(TEMPLATE, "UIT-02")
    assert f"answers[{index}] (criterion UIT-02) → value: expected true or false, got 'misschien'" in message


def test_an_answer_for_an_unknown_criterion_names_the_answer_and_the_id(tmp_path: Path, criteria: CriteriaSet) -> None:
    def mutate(document: dict[str, Any]) -> None:
        document["answers"][3]["criterion"] = "XYZ-9"

    message = refused(write(tmp_path, mutate), criteria)
    assert f'answers[3] → criterion: unknown criterion id "XYZ-9" in {criteria.source}' in message


def test_a_second_answer_for_one_criterion_is_refused_even_without_criteria(tmp_path: Path) -> None:
    def mutate(document: dict[str, Any]) -> None:
        document["answers"].append({"criterion": "UIT-02", "value": False})

    message = refused(write(tmp_path, mutate))
    last = len(TEMPLATE["answers"])
    first = index_of(TEMPLATE, "UIT-02")
    expected = f"answers[{last}] (criterion UIT-02) → criterion: a second answer for UIT-02"
    assert f"{expected} (first at answers[{first}])" in message


def test_a_response_for_another_tender_is_refused(tmp_path: Path) -> None:
    message = refused(write(tmp_path, lambda d: d.update(tender_id="DV-2025")))
    assert 'tender_id: this response is for tender "DV-2025", not for "DV-2027"' in message


@pytest.mark.parametrize(
    ("mutate", "expected_problem"),
    [
        (lambda d: d["supplier"].update(kvk="1234567"), "supplier → kvk: must be 8 digits, got '1234567'"),
        (lambda d: d["supplier"].update(agb="4301695A"), "supplier → agb: must be 8 digits, got '4301695A'"),
        (
            lambda d: d["supplier"].update(kvk=1234567),
            'supplier → kvk: write it as text in quotes: "01234567"',
        ),
        (lambda d: d["supplier"].update(id="sup bloesemhof"), "supplier → id: String should match pattern"),
        (lambda d: d["supplier"].pop("name"), "supplier → name: Field required"),
        (
            lambda d: d["supplier"]["contact"].update(email="geen e-mail"),
            "supplier → contact → email: expected an e-mail address, got 'geen e-mail'",
        ),
        (
            lambda d: d.update(submitted_at="2026-07-08T10:14:00"),
            "submitted_at: Input should have timezone info",
        ),
        (lambda d: d.update(submitted_at="8 juli 2026"), "submitted_at: Input should be a valid datetime"),
        (lambda d: d["answers"][0].pop("value"), "answers[0] → value: Field required"),
        (
            lambda d: d["answers"][7].update(value=None),
            'answers[7] → value: expected true or false, a number, a date "YYYY-MM-DD" or text, got null',
        ),
        (lambda d: d["answers"][7].update(value=[True]), "answers[7] → value: expected true or false"),
        (
            lambda d: d["answers"][0].update(comment="x"),
            "answers[0] → comment: Extra inputs are not permitted",
        ),
        (lambda d: d.pop("answers"), "answers: Field required"),
    ],
)
def test_a_malformed_response_names_the_field(tmp_path: Path, mutate: Mutation, expected_problem: str) -> None:
    assert expected_problem in refused(write(tmp_path, mutate))


def test_all_answer_problems_are_listed_together(tmp_path: Path, criteria: CriteriaSet) -> None:
    def mutate(document: dict[str, Any]) -> None:
        set_value("UIT-02", "misschien")(document)
        set_value("DV-06", "veel")(document)

    message = refused(write(tmp_path, mutate), criteria)
    assert "(criterion UIT-02) → value" in message
    assert "(criterion DV-06) → value" in message


def test_a_json_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "supplier": {,\n}', encoding="utf-8")
    message = refused(path)
    assert "line 2" in message
    assert "JSON syntax error" in message


def test_a_response_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    assert "the top level must be an object" in refused(path)


def test_two_responses_from_one_supplier_name_both_files(tmp_path: Path, criteria: CriteriaSet) -> None:
    first = write(tmp_path, name="first.json")
    second = write(tmp_path, lambda d: d.update(submitted_at="2026-07-09T09:00:00+02:00"), name="second.json")
    with pytest.raises(InputError) as excinfo:
        load_responses([first, second], TENDER_ID, criteria)
    message = str(excinfo.value)
    assert message.startswith(f"{second}: supplier → id:")
    assert f'supplier "sup-bloesemhof" already responded in {first}' in message


def test_load_responses_keeps_the_given_order(tmp_path: Path) -> None:
    first = write(tmp_path, name="a.json")
    second = write(tmp_path, lambda d: d["supplier"].update(id="sup-anders"), name="b.json")
    loaded = load_responses([second, first], TENDER_ID)
    assert [response.supplier.id for response in loaded] == ["sup-anders", "sup-bloesemhof"]
