"""Properties of evaluation over generated criteria and responses: determinism and independence of order."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from qualification.admission import admission_hash, admission_list
from qualification.criteria import AnswerType, CriteriaSet, Criterion
from qualification.evaluation import Verdict, evaluate, evaluate_all
from qualification.reasons import format_number
from qualification.responses import Answer, Supplier, SupplierResponse
from qualification.values import AnswerValue

ANSWER_TYPES: tuple[AnswerType, ...] = ("yes_no", "number", "date_not_passed", "choice")
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10_000_000),
    st.floats(min_value=0, max_value=10_000_000, allow_nan=False, allow_infinity=False),
)
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=12)


@st.composite
def criteria_sets(draw: st.DrawFn) -> CriteriaSet:
    count = draw(st.integers(min_value=1, max_value=8))
    items: list[Criterion] = []
    for number in range(count):
        answer_type: AnswerType = draw(st.sampled_from(ANSWER_TYPES))
        fields: dict[str, Any] = {}
        if answer_type == "yes_no":
            fields["expected"] = draw(st.booleans())
        elif answer_type == "number":
            low, high = sorted(draw(st.lists(st.integers(0, 10_000_000), min_size=2, max_size=2)))
            bounds = draw(st.sampled_from(["min", "max", "both"]))
            fields["min"] = low if bounds in ("min", "both") else None
            fields["max"] = high if bounds in ("max", "both") else None
            fields["unit"] = "EUR"
        elif answer_type == "choice":
            options = draw(st.lists(WORDS, min_size=1, max_size=4, unique=True))
            fields["allowed"] = tuple(draw(st.lists(st.sampled_from(options), min_size=1, unique=True)))
            fields["options"] = tuple(options) if draw(st.booleans()) else None
        items.append(
            Criterion(
                id=f"C-{number:02d}",
                group="Test",
                kind=draw(st.sampled_from(["knock-out", "knock-out", "informational"])),
                question_nl=f"Vraag {number}?",
                question_en=f"Question {number}?",
                type=answer_type,
                **fields,
            )
        )
    return CriteriaSet(tuple(items))


def answer_values(criterion: Criterion) -> st.SearchStrategy[AnswerValue]:
    if criterion.type == "yes_no":
        return st.booleans()
    if criterion.type == "number":
        return NUMBERS
    if criterion.type == "date_not_passed":
        return DAYS.map(date.isoformat)
    if criterion.options is not None:
        return st.sampled_from(criterion.options)
    return st.one_of(st.sampled_from(criterion.allowed or ("x",)), WORDS)


@st.composite
def responses(draw: st.DrawFn, criteria: CriteriaSet, supplier_id: str) -> SupplierResponse:
    answers = [
        Answer(criterion=criterion.id, value=draw(answer_values(criterion)))
        for criterion in criteria
        if draw(st.integers(0, 5)) > 0  # now and then a criterion goes unanswered
    ]
    return SupplierResponse(
        supplier=Supplier(
            id=supplier_id,
            name=f"Leverancier {supplier_id} B.V.",
            kvk=draw(st.from_regex(r"[0-9]{8}", fullmatch=True)),
            agb="43000000",
            contact={"name": "Contact", "email": "contact@example.org"},  # type: ignore[arg-type]
        ),
        tender_id="DV-2027",
        submitted_at=datetime(2026, 7, 1, tzinfo=UTC),
        answers=tuple(draw(st.permutations(answers))),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[CriteriaSet, list[SupplierResponse], date]:
    criteria = draw(criteria_sets())
    supplier_ids = draw(st.lists(st.from_regex(r"sup-[a-z]{1,6}", fullmatch=True), min_size=1, max_size=5, unique=True))
    return criteria, [draw(responses(criteria, supplier_id)) for supplier_id in supplier_ids], draw(DAYS)


def with_answers_reordered(response: SupplierResponse, order: list[int]) -> SupplierResponse:
    return response.model_copy(update={"answers": tuple(response.answers[i] for i in order)})


@given(case=cases(), data=st.data())
def test_evaluation_does_not_depend_on_the_order_of_answers(
    case: tuple[CriteriaSet, list[SupplierResponse], date], data: st.DataObject
) -> None:
    criteria, suppliers, today = case
    for response in suppliers:
        order = data.draw(st.permutations(range(len(response.answers))))
        assert evaluate(criteria, with_answers_reordered(response, order), today) == evaluate(criteria, response, today)


@given(case=cases())
def test_evaluation_is_deterministic_and_consistent(
    case: tuple[CriteriaSet, list[SupplierResponse], date],
) -> None:
    criteria, suppliers, today = case
    for response in suppliers:
        verdict = evaluate(criteria, response, today)
        assert evaluate(criteria, response, today) == verdict
        assert [finding.criterion_id for finding in verdict.findings] == list(criteria.ids)
        answered = {answer.criterion for answer in response.answers}
        for finding in verdict.findings:
            assert finding.answered == (finding.criterion_id in answered)
        knock_outs_met = all(f.outcome == "pass" for f in verdict.findings if f.kind == "knock-out")
        assert verdict.admitted == knock_outs_met
        assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict


@given(case=cases(), data=st.data())
def test_evaluate_all_and_the_admission_hash_do_not_depend_on_the_order_of_responses(
    case: tuple[CriteriaSet, list[SupplierResponse], date], data: st.DataObject
) -> None:
    criteria, suppliers, today = case
    shuffled = data.draw(st.permutations(suppliers))
    verdicts = evaluate_all(criteria, suppliers, today)
    assert evaluate_all(criteria, shuffled, today) == verdicts
    assert [verdict.supplier_id for verdict in verdicts] == sorted(r.supplier.id for r in suppliers)
    assert admission_hash(data.draw(st.permutations(verdicts))) == admission_hash(verdicts)
    assert [entry["id"] for entry in admission_list(verdicts)] == [v.supplier_id for v in verdicts if v.admitted]


@given(criteria=criteria_sets(), low=DAYS, high=DAYS)
def test_a_date_answer_that_passes_still_passes_on_any_earlier_day(
    criteria: CriteriaSet, low: date, high: date
) -> None:
    earlier, later = min(low, high), max(low, high)
    for criterion in criteria:
        if criterion.type != "date_not_passed":
            continue
        answer = Answer(criterion=criterion.id, value=later.isoformat())
        response = SupplierResponse(
            supplier=Supplier(
                id="sup-x",
                name="X B.V.",
                kvk="12345678",
                agb="12345678",
                contact={"name": "X", "email": "x@example.org"},  # type: ignore[arg-type]
            ),
            tender_id="DV-2027",
            submitted_at=datetime(2026, 7, 1, tzinfo=UTC),
            answers=(answer,),
        )
        on_day = {f.criterion_id: f.outcome for f in evaluate(criteria, response, later).findings}
        before = {f.criterion_id: f.outcome for f in evaluate(criteria, response, earlier).findings}
        assert on_day[criterion.id] == before[criterion.id] == "pass"


@given(number=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=3))
def test_numbers_in_both_languages_read_back_to_the_same_value(number: Decimal) -> None:
    english = format_number(number, "en")
    dutch = format_number(number, "nl")
    assert Decimal(english.replace(",", "")) == number
    assert Decimal(dutch.replace(".", "").replace(",", ".")) == number
