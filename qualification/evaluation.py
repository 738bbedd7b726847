"""Evaluating responses against the criteria: one finding per criterion, and a verdict per supplier.

Evaluation is a pure function of the criteria, the response and the evaluation date (passed in, never read
from the clock), so an auditor re-running it on the stored files gets the same verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, model_validator

from auction.errors import InputError
from auction.tender import ID_PATTERN, Frozen
from qualification.criteria import CriteriaSet, Criterion, Kind
from qualification.reasons import Outcome, reason
from qualification.responses import Answer, SupplierResponse, check_answers
from qualification.values import AnswerValue


class Finding(Frozen):
    """How one answer measured up to one criterion, with the reason in English and Dutch."""

    criterion_id: str
    kind: Kind
    outcome: Literal["pass", "fail", "missing"]
    reason_en: str
    reason_nl: str
    answer: AnswerValue | None = Field(description="the supplier's answer as given; null when missing")
    evidence: str = Field(default="", description="the evidence the supplier named with the answer")

    @property
    def excludes(self) -> bool:
        """A knock-out criterion that was failed or left unanswered."""
        return self.kind == "knock-out" and self.outcome != "pass"


class Verdict(Frozen):
    """The outcome of qualification for one supplier: admitted or not, and why, criterion by criterion."""

    supplier_id: str = Field(pattern=ID_PATTERN)
    supplier_name: str
    supplier_kvk: str
    supplier_agb: str
    admitted: bool
    findings: tuple[Finding, ...] = Field(description="one per criterion, in the order of the criteria file")
    evaluated_on: date
    criteria_hash: str = Field(description="CriteriaSet.hash of the criteria evaluated against")

    @model_validator(mode="after")
    def _admitted_follows_from_findings(self) -> Verdict:
        if self.admitted != (not self.failures):
            raise ValueError("admitted does not follow from the findings")
        return self

    @property
    def failures(self) -> tuple[Finding, ...]:
        """The findings that exclude: knock-out criteria failed or not answered."""
        return tuple(finding for finding in self.findings if finding.excludes)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; :meth:`from_dict` gives back an equal verdict."""
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Verdict:
        """Rebuild a stored verdict; :class:`pydantic.ValidationError` if malformed or inconsistent."""
        return cls.model_validate(dict(data))


def _passes(criterion: Criterion, typed: bool | Decimal | date | str, today: date) -> bool:
    if criterion.type == "yes_no":
        return typed == criterion.expected
    if criterion.type == "number":
        assert isinstance(typed, Decimal)
        above_min = criterion.min is None or typed >= criterion.min
        below_max = criterion.max is None or typed <= criterion.max
        return above_min and below_max
    if criterion.type == "date_not_passed":
        assert isinstance(typed, date)
        return typed >= today
    return typed in (criterion.allowed or ())


def judge(criterion: Criterion, answer: Answer | None, today: date) -> Finding:
    """The finding for one criterion; the answer must already fit its type (see ``check_answers``)."""
    if answer is None:
        typed = None
        outcome: Outcome = "missing"
    else:
        typed = criterion.read_answer(answer.value)
        outcome = "pass" if _passes(criterion, typed, today) else "fail"
    return Finding(
        criterion_id=criterion.id,
        kind=criterion.kind,
        outcome=outcome,
        reason_en=reason(criterion, typed, outcome, today, "en"),
        reason_nl=reason(criterion, typed, outcome, today, "nl"),
        answer=None if answer is None else answer.value,
        evidence="" if answer is None else answer.evidence,
    )


def evaluate(criteria: CriteriaSet, response: SupplierResponse, today: date) -> Verdict:
    """Evaluate one response on the evaluation date ``today``.

    Refuses (:class:`~auction.errors.InputError`) a response whose answers do not fit the criteria, rather
    than counting a type error as a failure. A supplier is admitted when no knock-out criterion fails or is
    missing.
    """
    check_answers(criteria, response)
    answers = {answer.criterion: answer for answer in response.answers}
    findings = tuple(judge(criterion, answers.get(criterion.id), today) for criterion in criteria)
    return Verdict(
        supplier_id=response.supplier.id,
        supplier_name=response.supplier.name,
        supplier_kvk=response.supplier.kvk,
        supplier_agb=response.supplier.agb,
        admitted=not any(finding.excludes for finding in findings),
        findings=findings,
        evaluated_on=today,
        criteria_hash=criteria.hash,
    )


def evaluate_all(criteria: CriteriaSet, responses: Iterable[SupplierResponse], today: date) -> list[Verdict]:
    """Evaluate every response; the verdicts come sorted by supplier id, whatever the order of the responses.

    Two responses from one supplier are refused, naming both.
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
    return [evaluate(criteria, seen[supplier_id], today) for supplier_id in sorted(seen)]
