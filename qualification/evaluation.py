"""Evaluating responses against the criteria: one finding per criterion, and a verdict per supplier.

Evaluation is a pure function of the criteria, the response (with the documents that came with it), the
evaluation date (passed in, never read from the clock) and the organiser's recorded decisions, so an auditor
re-running it on the stored files and the tender's journal gets the same verdicts.

A finding is ``pass``, ``fail`` (with the reason in words: which answer, which requirement) or ``needs_review``
(the answer would pass, but its evidence is missing or the answer is one the criterion sends to a person).
The organiser resolves each ``needs_review`` and may override any finding, always with a written justification
(:class:`Decision`); the machine's own outcome stays on the finding beside the decision.

The quality score (``docs/qualification.md``) is ``100 × Σ(weight × fraction) / Σ weight`` over the scored
criteria, where the fraction (0..1) is what the answer earns on that criterion and a failed, unanswered or still
unreviewed scored criterion earns 0. It is rounded half-even to two decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from qualification.common.errors import InputError
from qualification.common.models import ID_PATTERN, Frozen
from qualification.criteria import CriteriaSet, Criterion, Kind
from qualification.reasons import Outcome, Typed, reason, review_reason, score_note
from qualification.responses import Answer, AttachedDocument, SupplierResponse, check_answers
from qualification.values import AnswerValue

Status = Literal["admitted", "excluded", "pending_review"]
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


class Decision(Frozen):
    """The organiser's decision on one finding: resolving a review, or overriding the machine's outcome."""

    supplier_id: str
    criterion_id: str
    outcome: Literal["pass", "fail"]
    justification: str = Field(min_length=1)
    decided_at: str = Field(description="ISO 8601 time the decision was recorded")
    journal_seq: int = Field(default=0, description="seq of the decision in the tender's journal")


class Finding(Frozen):
    """How one answer measured up to one criterion, with the reason in English and Dutch."""

    criterion_id: str
    kind: Kind
    outcome: Outcome = Field(description="the outcome that counts: the organiser's decision if any, else evaluated")
    evaluated: Outcome = Field(description="the outcome the rules gave, before any decision")
    reason_en: str
    reason_nl: str
    answer: AnswerValue | None = Field(description="the supplier's answer as given; null when unanswered")
    evidence: str = Field(default="", description="the evidence the supplier named with the answer")
    evidence_sha256: str | None = Field(default=None, description="SHA-256 of the attached document judged")
    weight: Decimal | None = Field(default=None, description="scored criteria: the criterion's weight")
    fraction: Decimal | None = Field(default=None, description="scored criteria: the share of the weight earned")
    decision: Decision | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def excludes(self) -> bool:
        """A knock-out criterion that failed (including unanswered)."""
        return self.kind == "knock-out" and self.outcome == "fail"

    @property
    def open_review(self) -> bool:
        return self.outcome == "needs_review"


class Verdict(Frozen):
    """The outcome of qualification for one supplier: admitted, excluded or pending review, and why."""

    supplier_id: str = Field(pattern=ID_PATTERN)
    supplier_name: str
    supplier_kvk: str
    supplier_agb: str
    status: Status
    findings: tuple[Finding, ...] = Field(description="one per criterion, in the order of the criteria")
    quality_score: Decimal | None = Field(description="0..100 over the scored criteria; null if none is scored")
    evaluated_on: date
    criteria_hash: str = Field(description="CriteriaSet.hash of the criteria evaluated against")

    @model_validator(mode="after")
    def _status_follows_from_findings(self) -> Verdict:
        if self.status != status_of(self.findings):
            raise ValueError("status does not follow from the findings")
        return self

    @property
    def admitted(self) -> bool:
        return self.status == "admitted"

    @property
    def failures(self) -> tuple[Finding, ...]:
        """The findings that exclude: knock-out criteria failed or not answered."""
        return tuple(finding for finding in self.findings if finding.excludes)

    @property
    def open_reviews(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.open_review)

    def finding(self, criterion_id: str) -> Finding | None:
        return next((f for f in self.findings if f.criterion_id == criterion_id), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` gives back an equal verdict."""
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        """Rebuild a stored verdict; :class:`pydantic.ValidationError` if malformed or inconsistent."""
        return cls.model_validate(dict(data))


def status_of(findings: Iterable[Finding]) -> Status:
    """Excluded by any failed knock-out; else pending while any review is open; else admitted."""
    found = tuple(findings)
    if any(finding.excludes for finding in found):
        return "excluded"
    if any(finding.open_review for finding in found):
        return "pending_review"
    return "admitted"


# ------------------------------------------------------------------------------------------------ rules


def _meets_requirement(criterion: Criterion, typed: Typed, today: date) -> bool:
    if criterion.type == "yes_no":
        return criterion.expected is None or typed == criterion.expected
    if criterion.type == "number":
        assert isinstance(typed, Decimal)
        above_min = criterion.min is None or typed >= criterion.min
        below_max = criterion.max is None or typed <= criterion.max
        return above_min and below_max
    if criterion.type == "date_not_passed":
        assert isinstance(typed, date)
        return typed >= today
    if criterion.type == "document":
        return True  # an unattached document is for review, not a failure: it may have gone astray
    return criterion.allowed is None or typed in criterion.allowed


def _fraction(criterion: Criterion, typed: Typed) -> Decimal:
    """The share of the weight a passing answer earns on a scored criterion."""
    if criterion.type == "number" and criterion.score_from is not None and criterion.score_to is not None:
        assert isinstance(typed, Decimal)
        share = (typed - criterion.score_from) / (criterion.score_to - criterion.score_from)
        return min(Decimal(1), max(Decimal(0), share))
    if criterion.type == "choice" and criterion.points is not None:
        assert isinstance(typed, str)
        return criterion.points.get(typed, Decimal(0))
    return Decimal(1)


def _review_cause(
    criterion: Criterion, answer: Answer, typed: Typed, documents: Mapping[str, AttachedDocument]
) -> tuple[str, str] | None:
    """Why a passing answer still needs a person: (cause, document name), or None."""
    if criterion.type == "document":
        assert isinstance(typed, str)
        return None if typed in documents else ("document_not_attached", typed)
    if criterion.type == "choice" and criterion.review_answers and typed in criterion.review_answers:
        return ("answer_for_review", str(typed))
    if criterion.evidence_required:
        if not answer.evidence:
            return ("no_evidence", "")
        if answer.evidence not in documents:
            return ("evidence_not_attached", answer.evidence)
    return None


def _document_judged(criterion: Criterion, answer: Answer | None, documents: Mapping[str, AttachedDocument]) -> str:
    if answer is None:
        return ""
    name = answer.value if criterion.type == "document" and isinstance(answer.value, str) else answer.evidence
    document = documents.get(name)
    return document.sha256 if document is not None else ""


def judge(
    criterion: Criterion,
    answer: Answer | None,
    today: date,
    documents: Mapping[str, AttachedDocument] | None = None,
    decision: Decision | None = None,
    texts_cache: dict[tuple[object, ...], dict[str, str]] | None = None,
) -> Finding:
    """The finding for one criterion; the answer must already fit its type (see ``check_answers``).

    ``texts_cache`` (one dict per evaluation run) reuses the reason sentences: many suppliers give the same answer,
    and writing the sentences in two languages is most of the cost of evaluating.
    """
    documents = documents or {}
    typed: Typed | None = None if answer is None else criterion.read_answer(answer.value)
    cause: tuple[str, str] | None = None
    if answer is None or typed is None:
        evaluated: Outcome = "fail"
    elif not _meets_requirement(criterion, typed, today):
        evaluated = "fail"
    else:
        cause = _review_cause(criterion, answer, typed, documents)
        evaluated = "needs_review" if cause else "pass"
    outcome: Outcome = decision.outcome if decision is not None else evaluated
    fraction: Decimal | None = None
    if criterion.scored:
        fraction = _fraction(criterion, typed) if outcome == "pass" and typed is not None else Decimal(0)
    key = (criterion.id, type(typed).__name__, str(typed), evaluated, cause, fraction, today)
    texts = texts_cache.get(key) if texts_cache is not None else None
    if texts is None:
        texts = _reason_texts(criterion, typed, evaluated, today, cause, fraction)
        if texts_cache is not None:
            texts_cache[key] = texts
    sha = _document_judged(criterion, answer, documents)
    return Finding(
        criterion_id=criterion.id,
        kind=criterion.kind,
        outcome=outcome,
        evaluated=evaluated,
        reason_en=texts["en"],
        reason_nl=texts["nl"],
        answer=None if answer is None else answer.value,
        evidence="" if answer is None else answer.evidence,
        evidence_sha256=sha or None,
        weight=criterion.weight,
        fraction=fraction,
        decision=decision,
    )


def _reason_texts(
    criterion: Criterion,
    typed: Typed | None,
    evaluated: Outcome,
    today: date,
    cause: tuple[str, str] | None,
    fraction: Decimal | None,
) -> dict[str, str]:
    texts = {}
    for language in ("en", "nl"):
        text = reason(criterion, typed, evaluated, today, language)
        if cause is not None:
            text += review_reason(cause[0], cause[1], language)
        if criterion.scored and fraction is not None and criterion.weight is not None:
            text += score_note(fraction, criterion.weight, language)
        texts[language] = text
    return texts


def quality_score(findings: Iterable[Finding]) -> Decimal | None:
    """``100 × Σ(weight × fraction) / Σ weight`` over the scored findings, half-even to 0.01; None if none."""
    total_weight = Decimal(0)
    earned = Decimal(0)
    for finding in findings:
        if finding.kind == "scored" and finding.weight is not None:
            total_weight += finding.weight
            earned += finding.weight * (finding.fraction or Decimal(0))
    if not total_weight:
        return None
    return (_HUNDRED * earned / total_weight).quantize(_CENT, rounding=ROUND_HALF_EVEN)


def evaluate(
    criteria: CriteriaSet,
    response: SupplierResponse,
    today: date,
    decisions: Mapping[str, Decision] | None = None,
    texts_cache: dict[tuple[object, ...], dict[str, str]] | None = None,
) -> Verdict:
    """Evaluate one response on the evaluation date ``today``, with the organiser's decisions by criterion id.

    Refuses (:class:`~auction.errors.InputError`) a response whose answers do not fit the criteria, rather
    than counting a type error as a failure, and a decision for another supplier or an unknown criterion.
    """
    check_answers(criteria, response)
    decisions = decisions or {}
    for criterion_id, decision in decisions.items():
        if criterion_id not in criteria or decision.supplier_id != response.supplier.id:
            raise InputError(response.where, f"decision on {decision.supplier_id}/{criterion_id} does not fit")
    answers = {answer.criterion: answer for answer in response.answers}
    documents = {document.name: document for document in response.documents}
    findings = tuple(
        judge(criterion, answers.get(criterion.id), today, documents, decisions.get(criterion.id), texts_cache)
        for criterion in criteria
    )
    return Verdict(
        supplier_id=response.supplier.id,
        supplier_name=response.supplier.name,
        supplier_kvk=response.supplier.kvk,
        supplier_agb=response.supplier.agb,
        status=status_of(findings),
        findings=findings,
        quality_score=quality_score(findings),
        evaluated_on=today,
        criteria_hash=criteria.hash,
    )


Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a large set is evaluated (about a hundred times in all)."""


def evaluate_all(
    criteria: CriteriaSet,
    responses: Iterable[SupplierResponse],
    today: date,
    decisions: Iterable[Decision] = (),
    progress: Progress | None = None,
) -> list[Verdict]:
    """Evaluate every response; the verdicts come sorted by supplier id, whatever the order of the inputs.

    Two responses from one supplier are refused, naming both. Of several decisions on one finding the last
    one given counts (the journal's order).
    """
    seen: dict[str, SupplierResponse] = {}
    for response in responses:
        earlier = seen.get(response.supplier.id)
        if earlier is not None:
            raise InputError(
                response.where,
                f'supplier → id: supplier "{response.supplier.id}" already responded in {earlier.where};'
                " one response per supplier",
            )
        seen[response.supplier.id] = response
    by_supplier: dict[str, dict[str, Decision]] = {}
    for decision in decisions:
        if decision.supplier_id not in seen:
            raise InputError("decisions", f'a decision for supplier "{decision.supplier_id}", who did not respond')
        by_supplier.setdefault(decision.supplier_id, {})[decision.criterion_id] = decision
    texts_cache: dict[tuple[object, ...], dict[str, str]] = {}
    verdicts = []
    step = max(1, len(seen) // 100)
    for done, supplier_id in enumerate(sorted(seen), start=1):
        verdicts.append(evaluate(criteria, seen[supplier_id], today, by_supplier.get(supplier_id), texts_cache))
        if progress is not None and (done % step == 0 or done == len(seen)):
            progress(done, len(seen))
    return verdicts
