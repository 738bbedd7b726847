"""Evaluation rules per answer type, with their boundaries, and what a verdict contains."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from qualification.common.errors import InputError
from qualification.criteria import CriteriaSet, Criterion
from qualification.evaluation import Finding, Verdict, evaluate, evaluate_all
from qualification.responses import Answer, Supplier, SupplierResponse
from qualification.values import AnswerValue

TODAY = date(2026, 8, 1)


def criterion(criterion_id: str, answer_type: str, **fields: Any) -> Criterion:
    return Criterion(
        id=criterion_id,
        group="Test",
        kind=fields.pop("kind", "knock-out"),
        question_nl=fields.pop("question_nl", f"Vraag {criterion_id}?"),
        question_en=fields.pop("question_en", f"Question {criterion_id}?"),
        type=answer_type,  # type: ignore[arg-type]
        **fields,
    )


def response(answers: dict[str, AnswerValue], supplier_id: str = "sup-test") -> SupplierResponse:
    return SupplierResponse(
        supplier=Supplier(
            id=supplier_id,
            name=f"Testleverancier {supplier_id} B.V.",
            kvk="12345678",
            agb="87654321",
            contact={"name": "Test Persoon", "email": "test@example.org"},  # type: ignore[arg-type]
        ),
        tender_id="DV-2027",
        submitted_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
        answers=tuple(Answer(criterion=cid, value=value) for cid, value in answers.items()),
    )


def finding_for(item: Criterion, value: AnswerValue | None, today: date = TODAY) -> Finding:
    answers = {} if value is None else {item.id: value}
    verdict = evaluate(CriteriaSet((item,)), response(answers), today)
    (finding,) = verdict.findings
    assert verdict.admitted == (finding.outcome == "pass" or item.kind == "informational")
    return finding


# yes_no -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "value", "outcome"),
    [(False, False, "pass"), (False, True, "fail"), (True, True, "pass"), (True, False, "fail")],
)
def test_yes_no_passes_only_the_expected_answer(expected: bool, value: bool, outcome: str) -> None:
    finding = finding_for(criterion("UIT-04", "yes_no", expected=expected), value)
    assert finding.outcome == outcome
    assert finding.answer is value


def test_yes_no_reason_names_answer_question_and_requirement() -> None:
    item = criterion(
        "UIT-04",
        "yes_no",
        expected=False,
        question_nl="Staat uw organisatie onder verscherpt toezicht van de IGJ?",
        question_en="Is your organisation under enhanced supervision by the IGJ?",
    )
    finding = finding_for(item, True)
    assert finding.reason_nl == (
        "Antwoord 'ja' op 'Staat uw organisatie onder verscherpt toezicht van de IGJ?'; vereist: 'nee'."
    )
    assert finding.reason_en == (
        "Answer 'yes' to 'Is your organisation under enhanced supervision by the IGJ?'; required: 'no'."
    )


# number -------------------------------------------------------------------------------------------------

LIABILITY = criterion("DV-06", "number", min=2500000, unit="EUR")
DELIVERY = criterion("DV-02", "number", max=2, unit="working days", unit_nl="werkdagen")
RANGE = criterion("DV-09", "number", min=1, max=3, unit="days", unit_nl="dagen")


@pytest.mark.parametrize(
    ("item", "value", "outcome"),
    [
        (LIABILITY, 2500000, "pass"),  # exactly the minimum
        (LIABILITY, 2500000.0, "pass"),
        (LIABILITY, 2499999.99, "fail"),
        (LIABILITY, 10_000_000, "pass"),
        (LIABILITY, 0, "fail"),
        (DELIVERY, 2, "pass"),  # exactly the maximum
        (DELIVERY, 0, "pass"),
        (DELIVERY, 2.01, "fail"),
        (DELIVERY, 4, "fail"),
        (RANGE, 1, "pass"),
        (RANGE, 3, "pass"),
        (RANGE, 0.5, "fail"),
        (RANGE, 3.5, "fail"),
    ],
)
def test_number_passes_within_its_bounds_inclusive(item: Criterion, value: float, outcome: str) -> None:
    assert finding_for(item, value).outcome == outcome


def test_number_reasons_state_amount_and_bound_in_each_language() -> None:
    below = finding_for(LIABILITY, 1000000)
    assert below.reason_en == "Answer 1,000,000 EUR to 'Question DV-06?' is below the minimum of 2,500,000 EUR."
    assert below.reason_nl == "Antwoord 1.000.000 EUR op 'Vraag DV-06?' ligt onder het minimum van 2.500.000 EUR."
    above = finding_for(DELIVERY, 4)
    assert above.reason_en == "Answer 4 working days to 'Question DV-02?' is above the maximum of 2 working days."
    assert above.reason_nl == "Antwoord 4 werkdagen op 'Vraag DV-02?' ligt boven het maximum van 2 werkdagen."
    within = finding_for(RANGE, 2.5)
    assert within.reason_en == "Answer 2.5 days to 'Question DV-09?'; required: between 1 and 3 days."
    assert within.reason_nl == "Antwoord 2,5 dagen op 'Vraag DV-09?'; vereist: tussen 1 en 3 dagen."


# date_not_passed ----------------------------------------------------------------------------------------

CERTIFICATE = criterion("ALG-06", "date_not_passed")


@pytest.mark.parametrize(
    ("expiry", "outcome"),
    [(TODAY, "pass"), (TODAY + timedelta(days=1), "pass"), (TODAY - timedelta(days=1), "fail")],
)
def test_date_passes_on_and_after_the_evaluation_date(expiry: date, outcome: str) -> None:
    assert finding_for(CERTIFICATE, expiry.isoformat()).outcome == outcome


def test_the_same_certificate_passes_before_its_expiry_and_fails_after() -> None:
    assert finding_for(CERTIFICATE, "2027-03-31", today=date(2027, 3, 31)).outcome == "pass"
    assert finding_for(CERTIFICATE, "2027-03-31", today=date(2027, 4, 1)).outcome == "fail"


def test_date_reasons_write_the_dates_out() -> None:
    expired = finding_for(CERTIFICATE, "2025-11-30")
    assert expired.answer == "2025-11-30"
    assert expired.reason_en == (
        "Answer 30 November 2025 to 'Question ALG-06?' is before the evaluation date, 1 August 2026: expired."
    )
    assert expired.reason_nl == (
        "Antwoord 30 november 2025 op 'Vraag ALG-06?' ligt vóór de beoordelingsdatum, 1 augustus 2026: verlopen."
    )
    valid = finding_for(CERTIFICATE, "2028-03-31")
    assert valid.reason_nl.endswith("; vereist: niet vóór de beoordelingsdatum, 1 augustus 2026.")


# choice -------------------------------------------------------------------------------------------------

GOVERNANCE = criterion(
    "ALG-03", "choice", options=("ja", "nee", "niet van toepassing"), allowed=("ja", "niet van toepassing")
)
FREE_CHOICE = criterion("ALG-09", "choice", allowed=("ISO 9001", "HKZ"))


@pytest.mark.parametrize(
    ("item", "value", "outcome"),
    [
        (GOVERNANCE, "ja", "pass"),
        (GOVERNANCE, "niet van toepassing", "pass"),
        (GOVERNANCE, "nee", "fail"),
        (FREE_CHOICE, "HKZ", "pass"),
        (FREE_CHOICE, "hkz", "fail"),  # exact match: the organiser's spelling is the answer
        (FREE_CHOICE, "eigen systeem", "fail"),
    ],
)
def test_choice_passes_only_allowed_answers(item: Criterion, value: str, outcome: str) -> None:
    assert finding_for(item, value).outcome == outcome


def test_choice_reason_lists_the_allowed_answers() -> None:
    finding = finding_for(GOVERNANCE, "nee")
    assert finding.reason_en == (
        "Answer 'nee' to 'Question ALG-03?' is not one of the allowed answers: 'ja' or 'niet van toepassing'."
    )
    assert finding.reason_nl == (
        "Antwoord 'nee' op 'Vraag ALG-03?' is geen van de toegestane antwoorden: 'ja' of 'niet van toepassing'."
    )


# missing answers and informational criteria --------------------------------------------------------------


def test_a_missing_answer_to_a_knock_out_criterion_excludes() -> None:
    finding = finding_for(LIABILITY, None)
    assert finding.outcome == "fail" and not finding.answered
    assert finding.answer is None
    assert finding.excludes
    assert finding.reason_en == "No answer to 'Question DV-06?'; required: at least 2,500,000 EUR."
    assert finding.reason_nl == "Geen antwoord op 'Vraag DV-06?'; vereist: minimaal 2.500.000 EUR."


@pytest.mark.parametrize("value", [None, 5, 50])
def test_an_informational_criterion_never_excludes(value: int | None) -> None:
    item = criterion("DV-07", "number", kind="informational", max=10, unit="deliveries", unit_nl="leveringen")
    finding = finding_for(item, value)
    assert not finding.excludes
    assert finding.reason_nl.endswith("(Informatief criterium; leidt niet tot uitsluiting.)")


# verdicts -----------------------------------------------------------------------------------------------

CRITERIA = CriteriaSet((GOVERNANCE, CERTIFICATE, criterion("UIT-04", "yes_no", expected=False), LIABILITY))


def test_a_verdict_has_one_finding_per_criterion_in_criteria_order_and_lists_its_failures() -> None:
    answers: dict[str, AnswerValue] = {"UIT-04": True, "DV-06": 2500000, "ALG-03": "ja"}
    verdict = evaluate(CRITERIA, response(answers), TODAY)
    assert [f.criterion_id for f in verdict.findings] == ["ALG-03", "ALG-06", "UIT-04", "DV-06"]
    assert [f.outcome for f in verdict.findings] == ["pass", "fail", "fail", "pass"]
    assert [f.criterion_id for f in verdict.failures] == ["ALG-06", "UIT-04"]
    assert not verdict.admitted
    assert verdict.supplier_id == "sup-test"
    assert verdict.supplier_name == "Testleverancier sup-test B.V."
    assert verdict.criteria_hash == CRITERIA.hash


def test_a_supplier_answering_everything_as_required_is_admitted() -> None:
    answers: dict[str, AnswerValue] = {"UIT-04": False, "DV-06": 3e6, "ALG-03": "ja", "ALG-06": "2026-08-01"}
    verdict = evaluate(CRITERIA, response(answers), TODAY)
    assert verdict.admitted
    assert verdict.failures == ()


def test_evaluate_refuses_an_answer_of_the_wrong_type_instead_of_failing_it() -> None:
    with pytest.raises(InputError) as excinfo:
        evaluate(CRITERIA, response({"UIT-04": "misschien"}), TODAY)
    assert 'response of supplier "sup-test"' in str(excinfo.value)
    assert "answers[0] (criterion UIT-04) → value: expected true or false, got 'misschien'" in str(excinfo.value)


def test_evaluate_refuses_an_answer_to_an_unknown_criterion() -> None:
    with pytest.raises(InputError, match=r'answers\[0\] → criterion: unknown criterion id "KWA-99"'):
        evaluate(CRITERIA, response({"KWA-99": True}), TODAY)


def test_evaluate_all_sorts_by_supplier_and_refuses_two_responses_from_one_supplier() -> None:
    first, second = response({}, "sup-b"), response({}, "sup-a")
    assert [v.supplier_id for v in evaluate_all(CRITERIA, [first, second], TODAY)] == ["sup-a", "sup-b"]
    with pytest.raises(InputError, match='supplier "sup-b" already responded'):
        evaluate_all(CRITERIA, [first, second, response({"UIT-04": False}, "sup-b")], TODAY)


def test_a_stored_verdict_whose_admission_contradicts_its_findings_is_refused() -> None:
    stored = evaluate(CRITERIA, response({"UIT-04": True}), TODAY).to_dict()
    assert stored["status"] == "excluded"
    stored["status"] = "admitted"
    with pytest.raises(ValidationError, match="status does not follow from the findings"):
        Verdict.from_dict(stored)


def test_verdicts_and_findings_are_immutable() -> None:
    verdict = evaluate(CRITERIA, response({"UIT-04": True}), TODAY)
    with pytest.raises(ValidationError):
        verdict.admitted = True
    with pytest.raises(ValidationError):
        verdict.findings[0].outcome = "pass"
