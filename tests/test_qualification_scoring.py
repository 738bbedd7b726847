"""The quality score, worked by hand (``qualification/evaluation.py``, docs/qualification.md "Quality score"):

    quality score = 100 × Σ(weight × fraction) / Σ weight   over the scored criteria, half-even to 0.01

and properties of evaluation over generated criteria (every type and kind, scored ones included), responses with
documents and the organiser's decisions: deterministic, independent of input order, score within 0 … 100.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualification.criteria import AnswerType, CriteriaSet, Criterion, Kind
from qualification.criteria_file import load_catalogue
from qualification.evaluation import Decision, Verdict, evaluate, evaluate_all, quality_score
from qualification.responses import Answer, AttachedDocument, Supplier, SupplierResponse
from qualification.values import AnswerValue

TODAY = date(2026, 8, 1)
SHA = "ab" * 32


def criterion(criterion_id: str, answer_type: AnswerType, kind: Kind = "scored", **fields: Any) -> Criterion:
    return Criterion(
        id=criterion_id,
        group="Kwaliteitsbeoordeling",
        kind=kind,
        question_nl=f"Vraag {criterion_id}?",
        question_en=f"Question {criterion_id}?",
        type=answer_type,
        **fields,
    )


def response(
    answers: dict[str, AnswerValue],
    documents: tuple[str, ...] = (),
    evidence: dict[str, str] | None = None,
    supplier_id: str = "sup-test",
) -> SupplierResponse:
    evidence = evidence or {}
    return SupplierResponse(
        supplier=Supplier(
            id=supplier_id,
            name=f"Leverancier {supplier_id} B.V.",
            kvk="12345678",
            agb="87654321",
            contact={"name": "Test Persoon", "email": "test@example.org"},  # type: ignore[arg-type]
        ),
        tender_id="DV-2027",
        submitted_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
        answers=tuple(
            Answer(criterion=cid, value=value, evidence=evidence.get(cid, "")) for cid, value in answers.items()
        ),
        documents=tuple(AttachedDocument(name=name, sha256=SHA, size=10) for name in documents),
    )


def verdict_of(
    items: tuple[Criterion, ...],
    answers: dict[str, AnswerValue],
    documents: tuple[str, ...] = (),
    decisions: dict[str, Decision] | None = None,
) -> Verdict:
    return evaluate(CriteriaSet(items), response(answers, documents), TODAY, decisions)


def score_and_fraction(item: Criterion, value: AnswerValue | None) -> tuple[Decimal | None, Decimal | None]:
    verdict = verdict_of((item,), {} if value is None else {item.id: value})
    (finding,) = verdict.findings
    return verdict.quality_score, finding.fraction


# ------------------------------------------------------------------------------------------------ numbers

DELIVERY = criterion("KB-04", "number", unit="working days", unit_nl="werkdagen", score_from=5, score_to=1, weight=10)
GRADE = criterion("KB-03", "number", unit="grade", score_from=6, score_to=9, weight=15)


@pytest.mark.parametrize(
    ("days", "fraction", "score"),
    [
        (5, "0", "0.00"),  # score_from: worth nothing, but still a pass
        (4, "0.25", "25.00"),
        (2, "0.75", "75.00"),
        (1.5, "0.875", "87.50"),
        (1, "1", "100.00"),  # score_to: full points
    ],
)
def test_a_scored_number_where_lower_is_better_earns_linearly(days: float, fraction: str, score: str) -> None:
    assert score_and_fraction(DELIVERY, days) == (Decimal(score), Decimal(fraction))
    (finding,) = verdict_of((DELIVERY,), {"KB-04": days}).findings
    assert finding.outcome == "pass"


@pytest.mark.parametrize(
    ("item", "value", "fraction"),
    [
        (DELIVERY, 0, "1"),  # faster than the best scored: clamped to full points, not 125 %
        (DELIVERY, 0.5, "1"),
        (DELIVERY, 7, "0"),  # slower than the worst scored: clamped to nothing, not negative
        (DELIVERY, 30, "0"),
        (GRADE, 10, "1"),
        (GRADE, 9.5, "1"),
        (GRADE, 5.9, "0"),
        (GRADE, 1, "0"),
        (GRADE, 8.1, "0.7"),  # within the scale: (8.1 − 6) / (9 − 6)
    ],
)
def test_a_scored_number_is_clamped_to_the_scale(item: Criterion, value: float, fraction: str) -> None:
    score, earned = score_and_fraction(item, value)
    assert earned == Decimal(fraction)
    assert score == (100 * Decimal(fraction)).quantize(Decimal("0.01"))
    assert score is not None and Decimal(0) <= score <= Decimal(100)


def test_the_score_note_says_what_the_answer_earned() -> None:
    (finding,) = verdict_of((DELIVERY,), {"KB-04": 2}).findings
    assert finding.reason_en.endswith(" Scored: 0.75 of weight 10.")
    assert finding.reason_nl.endswith(" Gewogen: 0,75 van gewicht 10.")
    assert (finding.weight, finding.fraction) == (Decimal(10), Decimal("0.75"))


# ------------------------------------------------------------------------------------------------ other types

MANUFACTURERS = criterion(
    "KB-07",
    "choice",
    options=("één", "twee", "drie of meer"),
    points={"één": Decimal(0), "twee": Decimal("0.5"), "drie of meer": Decimal(1)},
    weight=10,
)


@pytest.mark.parametrize(("value", "score"), [("één", "0.00"), ("twee", "50.00"), ("drie of meer", "100.00")])
def test_a_scored_choice_earns_its_points(value: str, score: str) -> None:
    verdict = verdict_of((MANUFACTURERS,), {"KB-07": value})
    assert verdict.quality_score == Decimal(score)
    assert verdict.findings[0].outcome == "pass" and verdict.admitted


CO2_PLAN = criterion("KB-01", "yes_no", expected=True, weight=10)


def test_a_scored_yes_no_earns_all_or_nothing_and_never_excludes() -> None:
    assert score_and_fraction(CO2_PLAN, True) == (Decimal("100.00"), Decimal(1))
    verdict = verdict_of((CO2_PLAN,), {"KB-01": False})
    (finding,) = verdict.findings
    assert (finding.outcome, finding.fraction, verdict.quality_score) == ("fail", Decimal(0), Decimal("0.00"))
    assert verdict.admitted and not verdict.failures


@pytest.mark.parametrize("item", [DELIVERY, MANUFACTURERS, CO2_PLAN])
def test_an_unanswered_scored_criterion_earns_nothing_and_never_excludes(item: Criterion) -> None:
    verdict = verdict_of((item,), {})
    (finding,) = verdict.findings
    assert (finding.outcome, finding.answered, finding.fraction) == ("fail", False, Decimal(0))
    assert verdict.quality_score == Decimal("0.00")
    assert verdict.admitted


RECALL_PLAN = criterion("KB-10", "document", weight=5)


def test_a_scored_document_earns_full_points_when_attached_and_nothing_while_under_review() -> None:
    attached = verdict_of((RECALL_PLAN,), {"KB-10": "recall.pdf"}, documents=("recall.pdf",))
    assert (attached.findings[0].outcome, attached.quality_score) == ("pass", Decimal("100.00"))
    assert attached.findings[0].evidence_sha256 == SHA

    missing = verdict_of((RECALL_PLAN,), {"KB-10": "recall.pdf"})
    (finding,) = missing.findings
    assert (finding.outcome, finding.fraction, missing.quality_score) == ("needs_review", Decimal(0), Decimal("0.00"))
    assert missing.status == "pending_review"

    decision = Decision(
        supplier_id="sup-test",
        criterion_id="KB-10",
        outcome="pass",
        justification="Per e-mail nagezonden en gecontroleerd.",
        decided_at="2026-08-03T08:00:00Z",
    )
    reviewed = verdict_of((RECALL_PLAN,), {"KB-10": "recall.pdf"}, decisions={"KB-10": decision})
    assert (reviewed.findings[0].outcome, reviewed.findings[0].evaluated) == ("pass", "needs_review")
    assert (reviewed.quality_score, reviewed.status) == (Decimal("100.00"), "admitted")


def test_no_scored_criterion_means_no_score() -> None:
    knock_out = criterion("ALG-01", "yes_no", kind="knock-out", expected=True)
    assert verdict_of((knock_out,), {"ALG-01": True}).quality_score is None


# ------------------------------------------------------------------------------------------------ the total


def test_the_documented_worked_example_scores_76() -> None:
    catalogue = load_catalogue()
    items = (
        catalogue["KB-01"],
        catalogue["KB-02"],
        catalogue["KB-03"].model_copy(update={"weight": Decimal(20)}),
        catalogue["KB-04"],
    )
    verdict = verdict_of(items, {"KB-01": True, "KB-02": 40, "KB-03": 8.1, "KB-04": 1})
    assert [f.fraction for f in verdict.findings] == [Decimal(1), Decimal("0.4"), Decimal("0.7"), Decimal(1)]
    assert verdict.quality_score == Decimal("76.00")  # 100 × (10 + 4 + 14 + 10) / 50


# A yes_no worth 3 (passed) and a 0 → 12,500 scale worth 5: 100 × (3 + 5 × answer / 12500) / 8 = 37.5 + answer / 200,
# so whole answers land on exact ties (37.505, 37.515 …) where half-even and half-up disagree.
TIE_ITEMS = (
    criterion("KB-01", "yes_no", expected=True, weight=3),
    criterion("KB-02", "number", unit="units", score_from=0, score_to=12500, weight=5),
)


@pytest.mark.parametrize(
    ("answer", "exact", "rounded"),
    [
        (0, "37.5", "37.50"),
        (1, "37.505", "37.50"),  # a tie: half-even keeps the even 0 (half-up would give 37.51)
        (3, "37.515", "37.52"),  # a tie: half-even goes up to the even 2
        (5, "37.525", "37.52"),  # a tie: half-even keeps the even 2 (half-up would give 37.53)
        (7, "37.535", "37.54"),
        (2, "37.51", "37.51"),
        (1.5, "37.5075", "37.51"),  # not a tie: nearest
    ],
)
def test_the_weighted_total_is_normalised_and_rounded_half_even(answer: float, exact: str, rounded: str) -> None:
    verdict = verdict_of(TIE_ITEMS, {"KB-01": True, "KB-02": answer})
    earned = sum((f.weight or 0) * (f.fraction or 0) for f in verdict.findings)
    assert 100 * earned / 8 == Decimal(exact)
    assert verdict.quality_score == Decimal(rounded)
    assert str(verdict.quality_score) == rounded  # always two decimals


def test_a_score_that_does_not_divide_evenly_is_rounded_to_the_cent() -> None:
    items = (
        criterion("KB-01", "yes_no", expected=True, weight=1),
        criterion("KB-06", "yes_no", expected=True, weight=2),
    )
    assert verdict_of(items, {"KB-01": True, "KB-06": False}).quality_score == Decimal("33.33")
    assert verdict_of(items, {"KB-01": False, "KB-06": True}).quality_score == Decimal("66.67")


def test_knock_out_and_informational_criteria_do_not_enter_the_score() -> None:
    items = (
        CO2_PLAN,
        criterion("ALG-01", "yes_no", kind="knock-out", expected=True),
        criterion("DV-07", "number", kind="informational", min=0, unit="clients"),
    )
    passing = verdict_of(items, {"KB-01": True, "ALG-01": True, "DV-07": 10})
    failing = verdict_of(items, {"KB-01": True, "ALG-01": False})
    assert passing.quality_score == failing.quality_score == Decimal("100.00")
    assert failing.status == "excluded"  # excluded, but the score is still reported


def test_quality_score_of_findings_directly() -> None:
    findings = verdict_of(TIE_ITEMS, {"KB-01": True, "KB-02": 1}).findings
    assert quality_score(findings) == Decimal("37.50")
    assert quality_score(()) is None


# ------------------------------------------------------------------------------------------------ properties

TYPES: tuple[AnswerType, ...] = ("yes_no", "number", "date_not_passed", "document", "choice")
KINDS: tuple[Kind, ...] = ("knock-out", "scored", "informational")
DOCUMENTS = ("a.pdf", "b.pdf", "map/c.pdf")
DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
WORDS = st.text(alphabet="abcdefghij ", min_size=1, max_size=8).filter(str.strip)
FRACTIONS = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 100)
NUMBERS = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False),
)


@st.composite
def criteria_items(draw: st.DrawFn, number: int) -> Criterion:
    kind: Kind = draw(st.sampled_from(KINDS))
    answer_type: AnswerType = draw(st.sampled_from(TYPES))
    fields: dict[str, Any] = {}
    if answer_type == "yes_no":
        fields["expected"] = draw(st.booleans())
    elif answer_type == "number":
        fields["unit"] = "EUR"
        low, high = sorted(draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2)))
        bounds = draw(st.sampled_from(["min", "max", "both"] + (["none"] if kind == "scored" else [])))
        fields["min"] = low if bounds in ("min", "both") else None
        fields["max"] = high if bounds in ("max", "both") else None
        if kind == "scored":
            start, end = draw(st.lists(st.integers(-1000, 1000), min_size=2, max_size=2, unique=True))
            fields["score_from"], fields["score_to"] = start, end
    elif answer_type == "choice":
        options = draw(st.lists(WORDS, min_size=1, max_size=4, unique=True))
        fields["options"] = tuple(options)
        if kind == "scored":
            fields["points"] = {option: draw(FRACTIONS) for option in options}
        if kind != "scored" or draw(st.booleans()):
            fields["allowed"] = tuple(draw(st.lists(st.sampled_from(options), min_size=1, unique=True)))
        if draw(st.booleans()):
            fields["review_answers"] = tuple(draw(st.lists(st.sampled_from(options), min_size=1, unique=True)))
    if kind == "scored":
        fields["weight"] = draw(st.integers(min_value=1, max_value=40))
    if answer_type != "document":
        fields["evidence_required"] = draw(st.booleans())
    return criterion(f"C-{number:02d}", answer_type, kind=kind, **fields)


@st.composite
def criteria_sets(draw: st.DrawFn) -> CriteriaSet:
    count = draw(st.integers(min_value=1, max_value=8))
    return CriteriaSet(tuple(draw(criteria_items(number)) for number in range(count)))


def answer_values(item: Criterion) -> st.SearchStrategy[AnswerValue]:
    if item.type == "yes_no":
        return st.booleans()
    if item.type == "number":
        return NUMBERS
    if item.type == "date_not_passed":
        return DAYS.map(date.isoformat)
    if item.type == "document":
        return st.sampled_from(DOCUMENTS)
    return st.sampled_from(item.options or ("x",))


@st.composite
def responses_to(draw: st.DrawFn, criteria: CriteriaSet, supplier_id: str) -> SupplierResponse:
    answers = [
        Answer(
            criterion=item.id,
            value=draw(answer_values(item)),
            evidence=draw(st.sampled_from(("", *DOCUMENTS))),
        )
        for item in criteria
        if draw(st.integers(0, 5)) > 0  # now and then a criterion goes unanswered
    ]
    attached = draw(st.lists(st.sampled_from(DOCUMENTS), unique=True))
    return SupplierResponse(
        supplier=Supplier(
            id=supplier_id,
            name=f"Leverancier {supplier_id} B.V.",
            kvk="12345678",
            agb="87654321",
            contact={"name": "Contact", "email": "contact@example.org"},  # type: ignore[arg-type]
        ),
        tender_id="DV-2027",
        submitted_at=datetime(2026, 7, 1, tzinfo=UTC),
        answers=tuple(answers),
        documents=tuple(AttachedDocument(name=name, sha256=SHA, size=len(name)) for name in attached),
    )


Case = tuple[CriteriaSet, list[SupplierResponse], list[Decision], date]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    criteria = draw(criteria_sets())
    supplier_ids = draw(st.lists(st.from_regex(r"sup-[a-z]{1,6}", fullmatch=True), min_size=1, max_size=5, unique=True))
    found = [draw(responses_to(criteria, supplier_id)) for supplier_id in supplier_ids]
    findings = [(supplier_id, criterion_id) for supplier_id in supplier_ids for criterion_id in criteria.ids]
    decided = draw(st.lists(st.sampled_from(findings), unique=True, max_size=6))
    decisions = [
        Decision(
            supplier_id=supplier_id,
            criterion_id=criterion_id,
            outcome=draw(st.sampled_from(["pass", "fail"])),
            justification="Beoordeeld door de organisator.",
            decided_at="2026-08-03T08:00:00Z",
            journal_seq=seq,
        )
        for seq, (supplier_id, criterion_id) in enumerate(decided, start=10)
    ]
    return criteria, found, decisions, draw(DAYS)


def reordered(response: SupplierResponse, order: list[int]) -> SupplierResponse:
    return response.model_copy(update={"answers": tuple(response.answers[i] for i in order)})


@settings(deadline=None)
@given(case=cases())
def test_evaluation_is_deterministic(case: Case) -> None:
    criteria, found, decisions, today = case
    verdicts = evaluate_all(criteria, found, today, decisions)
    assert evaluate_all(criteria, found, today, decisions) == verdicts
    assert [v.supplier_id for v in verdicts] == sorted(r.supplier.id for r in found)
    for verdict in verdicts:
        assert Verdict.from_dict(json.loads(json.dumps(verdict.to_dict()))) == verdict


@settings(deadline=None)
@given(case=cases(), data=st.data())
def test_evaluation_does_not_depend_on_the_order_of_responses_answers_or_decisions(
    case: Case, data: st.DataObject
) -> None:
    criteria, found, decisions, today = case
    expected = evaluate_all(criteria, found, today, decisions)
    shuffled = [
        reordered(response, data.draw(st.permutations(range(len(response.answers)))))
        for response in data.draw(st.permutations(found))
    ]
    assert evaluate_all(criteria, shuffled, today, decisions) == expected
    assert evaluate_all(criteria, found, today, data.draw(st.permutations(decisions))) == expected
    assert evaluate_all(criteria, shuffled, today, data.draw(st.permutations(decisions))) == expected


@settings(deadline=None)
@given(case=cases())
def test_the_quality_score_stays_within_0_and_100(case: Case) -> None:
    criteria, found, decisions, today = case
    scored = any(item.scored for item in criteria)
    for verdict in evaluate_all(criteria, found, today, decisions):
        if not scored:
            assert verdict.quality_score is None
            continue
        assert verdict.quality_score is not None
        assert Decimal(0) <= verdict.quality_score <= Decimal(100)
        assert verdict.quality_score == verdict.quality_score.quantize(Decimal("0.01"))
        for finding in verdict.findings:
            if finding.kind == "scored":
                assert finding.fraction is not None and Decimal(0) <= finding.fraction <= Decimal(1)
                if finding.outcome != "pass":
                    assert finding.fraction == 0
            else:
                assert finding.fraction is None


@settings(deadline=None)
@given(case=cases(), expected=st.booleans(), position=st.integers(min_value=0))
def test_adding_a_passing_knock_out_criterion_never_changes_the_score(
    case: Case, expected: bool, position: int
) -> None:
    criteria, found, decisions, today = case
    added = criterion("KO-NEW", "yes_no", kind="knock-out", expected=expected)
    items = list(criteria.criteria)
    items.insert(position % (len(items) + 1), added)
    wider = CriteriaSet(tuple(items))
    answered = [
        response.model_copy(update={"answers": (*response.answers, Answer(criterion="KO-NEW", value=expected))})
        for response in found
    ]
    before = evaluate_all(criteria, found, today, decisions)
    after = evaluate_all(wider, answered, today, decisions)
    for old, new in zip(before, after, strict=True):
        assert new.quality_score == old.quality_score
        finding = new.finding("KO-NEW")
        assert finding is not None and finding.outcome == "pass"
        assert new.status == old.status
