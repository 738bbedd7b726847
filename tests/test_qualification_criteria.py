"""Loading a criteria file: what it accepts, and a precise message for every way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualification.common.errors import InputError
from qualification.criteria import CriteriaSet, Criterion
from qualification.criteria_file import load_criteria

CRITERION = """
[[criteria]]
id = "UIT-01"
group = "Uitsluitende voorwaarden"
kind = "knock-out"
question_nl = "Verkeert uw organisatie in staat van faillissement?"
question_en = "Is your organisation bankrupt?"
{answer}
"""
YES_NO = 'type = "yes_no"\nexpected = false'


def write(tmp_path: Path, text: str, name: str = "criteria.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(InputError) as excinfo:
        load_criteria(path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}: "), message
    return message


def one_criterion(answer: str, extra: str = "") -> str:
    return CRITERION.format(answer=answer) + extra


def test_a_minimal_file_of_each_type_loads(tmp_path: Path) -> None:
    text = (
        one_criterion(YES_NO, 'espd_code = "CRITERION.EXCLUSION.BUSINESS.BANKRUPTCY"\n')
        + one_criterion('type = "number"\nmin = 2500000\nunit = "EUR"').replace("UIT-01", "DV-06")
        + one_criterion('type = "date_not_passed"').replace("UIT-01", "ALG-06")
        + one_criterion('type = "choice"\nallowed = ["ja", "niet van toepassing"]').replace("UIT-01", "ALG-03")
    )
    criteria = load_criteria(write(tmp_path, text))
    assert criteria.ids == ("UIT-01", "DV-06", "ALG-06", "ALG-03")
    assert criteria.source == str(tmp_path / "criteria.toml")
    assert criteria["DV-06"].min == 2500000
    assert criteria.get("XYZ-1") is None
    assert "ALG-06" in criteria and "XYZ-1" not in criteria
    with pytest.raises(KeyError):
        criteria["XYZ-1"]


def test_a_repeated_criterion_id_names_both_records(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion(YES_NO) + one_criterion(YES_NO))
    assert 'criteria[1] (id "UIT-01") → id: the same id as criteria[0]' in refused(path)


def test_an_unknown_answer_type_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion('type = "ja_nee"\nexpected = false'))
    message = refused(path)
    assert 'criteria[0] (id "UIT-01") → type: Input should be' in message
    assert "'yes_no', 'number', 'date_not_passed', 'document' or 'choice'" in message


def test_min_above_max_is_refused_at_max(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion('type = "number"\nmin = 5\nmax = 2\nunit = "werkdagen"'))
    assert 'criteria[0] (id "UIT-01") → max: must not be less than min (5)' in refused(path)


def test_min_equal_to_max_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion('type = "number"\nmin = 2\nmax = 2\nunit = "werkdagen"'))
    assert load_criteria(path)["UIT-01"].max == 2


@pytest.mark.parametrize(
    ("answer", "expected_message"),
    [
        ('type = "yes_no"', ' → expected: required with type "yes_no"'),
        ('type = "yes_no"\nexpected = "false"', " → expected: Input should be a valid boolean"),
        ('type = "number"\nmin = 5', ' → unit: required with type "number"'),
        ('type = "number"\nunit = "EUR"', ': type "number" needs "min", "max" or both'),
        ('type = "number"\nmin = "2500000"\nunit = "EUR"', " → min: must be a number (without quotes)"),
        ('type = "number"\nmax = true\nunit = "EUR"', " → max: must be a number (without quotes)"),
        ('type = "number"\nmin = nan\nunit = "EUR"', " → min: Input should be a finite number"),
        (
            'type = "date_not_passed"\nexpected = true',
            ' → expected: only allowed with type "yes_no", this criterion has type "date_not_passed"',
        ),
        ('type = "yes_no"\nexpected = true\nmin = 1', ' → min: only allowed with type "number"'),
        ('type = "yes_no"\nexpected = true\nallowed = ["ja"]', ' → allowed: only allowed with type "choice"'),
        ('type = "choice"\noptions = ["ja", "nee"]', ': type "choice" needs "allowed"'),
        ('type = "choice"\nallowed = []', " → allowed: must list at least one answer"),
        ('type = "choice"\nallowed = ["ja", "ja"]', " → allowed: repeated: ja"),
        (
            'type = "choice"\noptions = ["ja", "nee"]\nallowed = ["ja", "misschien"]',
            " → allowed: not among the options: misschien",
        ),
    ],
)
def test_fields_that_do_not_fit_the_answer_type_are_named(tmp_path: Path, answer: str, expected_message: str) -> None:
    message = refused(write(tmp_path, one_criterion(answer)))
    assert f'criteria[0] (id "UIT-01"){expected_message}' in message


def test_an_unknown_kind_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion(YES_NO).replace('"knock-out"', '"knockout"'))
    expected = "criteria[0] (id \"UIT-01\") → kind: Input should be 'knock-out', 'scored' or 'informational'"
    assert expected in refused(path)


def test_a_misspelt_field_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion('type = "yes_no"\nexpect = false'))
    assert 'criteria[0] (id "UIT-01") → expect: Extra inputs are not permitted' in refused(path)


def test_a_missing_question_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion(YES_NO).replace('question_en = "Is your organisation bankrupt?"\n', ""))
    assert 'criteria[0] (id "UIT-01") → question_en: Field required' in refused(path)


def test_a_malformed_espd_code_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion(YES_NO, 'espd_code = "BANKRUPTCY"\n'))
    assert 'criteria[0] (id "UIT-01") → espd_code: expected an ESPD code such as' in refused(path)


def test_a_file_without_criteria_is_refused(tmp_path: Path) -> None:
    assert "(top level): the file has no criteria" in refused(write(tmp_path, "criteria = []\n"))
    assert "(top level): the file has no criteria" in refused(write(tmp_path, "# nothing yet\n", "blank.toml"))


def test_a_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, one_criterion('type = "yes_no"\nexpected = '))
    assert "TOML syntax error" in refused(path)
    assert "line 9" in refused(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    assert "file not found" in refused(tmp_path / "absent.toml")


def test_all_problems_of_a_file_are_listed_together(tmp_path: Path) -> None:
    text = one_criterion('type = "number"\nmin = 5\nmax = 2\nunit = "EUR"') + one_criterion('type = "colour"').replace(
        "UIT-01", "UIT-02"
    )
    message = refused(write(tmp_path, text))
    assert 'criteria[0] (id "UIT-01") → max' in message
    assert 'criteria[1] (id "UIT-02") → type' in message


def test_a_criteria_set_built_in_code_refuses_repeated_ids() -> None:
    item = Criterion(
        id="UIT-01",
        group="Test",
        kind="knock-out",
        question_nl="Vraag?",
        question_en="Question?",
        type="yes_no",
        expected=False,
    )
    with pytest.raises(ValueError, match=r'criteria\[1\] \(id "UIT-01"\) → id: the same id as criteria\[0\]'):
        CriteriaSet((item, item))
