"""A supplier's response (RFP answer): who the supplier is and its answer to each criterion.

The supplier writes it (JSON); ``docs/qualification.md`` documents every field. Loading checks the
file's shape, that it is for this tender and that no criterion is answered twice; given the criteria it also
checks that every answer names a known criterion and has the type that criterion asks for, so a response
with a type error is refused before any evaluation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, Field, field_validator
from pydantic_core import PydanticCustomError

from qualification.common.errors import InputError
from qualification.common.files import read_document, validate_document
from qualification.common.models import ID_PATTERN, Frozen
from qualification.criteria import CriteriaSet
from qualification.values import AnswerValue, show

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Contact(Frozen):
    name: str = Field(min_length=1)
    email: str

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        if not _EMAIL.match(value):
            raise PydanticCustomError("email", "expected an e-mail address, got '{value}'", {"value": value})
        return value


class Supplier(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1, description="legal name as registered with the KvK")
    kvk: str = Field(description="KvK (Chamber of Commerce) number, 8 digits")
    agb: str = Field(description="AGB code (Vektis), 8 digits")
    contact: Contact

    @field_validator("kvk", "agb", mode="before")
    @classmethod
    def _text_not_number(cls, value: Any) -> Any:
        # As a JSON number a leading zero would be lost; the registers treat these codes as text.
        if isinstance(value, int) and not isinstance(value, bool):
            raise PydanticCustomError(
                "code_as_number", 'write it as text in quotes: "{value}"', {"value": f"{value:08d}"}
            )
        return value

    @field_validator("kvk", "agb")
    @classmethod
    def _eight_digits(cls, value: str) -> str:
        if len(value) != 8 or not value.isascii() or not value.isdigit():
            raise PydanticCustomError("eight_digits", "must be 8 digits, got '{value}'", {"value": value})
        return value


class Answer(Frozen):
    criterion: str = Field(min_length=1, description="id of the criterion this answers")
    value: AnswerValue
    evidence: str = Field(default="", description="file name of the supporting document, or a note")
    remark: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _scalar(cls, value: Any) -> Any:
        if value is None or not isinstance(value, bool | int | float | str):
            raise PydanticCustomError(
                "answer_value",
                'expected true or false, a number, a date "YYYY-MM-DD" or text, got {got}',
                {"got": show(value)},
            )
        return value


class AttachedDocument(Frozen):
    """A document that came with a response (evidence, or the answer to a ``document`` criterion)."""

    name: str = Field(description="the file name the answers use, relative to the response's folder")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(ge=0)


class ResponseDocument(Frozen):
    """The top level of a response file."""

    supplier: Supplier
    tender_id: str = Field(pattern=ID_PATTERN)
    submitted_at: AwareDatetime
    answers: tuple[Answer, ...]


class SupplierResponse(ResponseDocument):
    """A loaded response: the file's content plus where it came from and the raw document, for storing."""

    source: str = ""
    document: dict[str, Any] = Field(default_factory=dict)
    documents: tuple[AttachedDocument, ...] = Field(default=(), description="documents received, by name")

    def answer_for(self, criterion_id: str) -> Answer | None:
        for answer in self.answers:
            if answer.criterion == criterion_id:
                return answer
        return None

    @property
    def where(self) -> str:
        """How messages name this response: its file, or the supplier when it was built in code."""
        return self.source or f'response of supplier "{self.supplier.id}"'


def _answer_label(index: int, answer: Answer) -> str:
    return f"answers[{index}] (criterion {answer.criterion})"


def answer_problems(response: ResponseDocument, criteria: CriteriaSet | None) -> list[str]:
    """Everything wrong with the answers, one line each; without criteria only repeats are found."""
    problems: list[str] = []
    first_at: dict[str, int] = {}
    for index, answer in enumerate(response.answers):
        label = _answer_label(index, answer)
        if answer.criterion in first_at:
            problems.append(
                f"{label} → criterion: a second answer for {answer.criterion}"
                f" (first at answers[{first_at[answer.criterion]}])"
            )
            continue
        first_at[answer.criterion] = index
        if criteria is None:
            continue
        criterion = criteria.get(answer.criterion)
        if criterion is None:
            where = f" in {criteria.source}" if criteria.source else ""
            problems.append(f'answers[{index}] → criterion: unknown criterion id "{answer.criterion}"{where}')
            continue
        try:
            criterion.read_answer(answer.value)
        except ValueError as exc:
            problems.append(f"{label} → value: {exc}")
    return problems


def check_answers(criteria: CriteriaSet, response: SupplierResponse) -> None:
    """Refuse a response whose answers do not fit the criteria (unknown id, wrong type, repeat).

    ``load_response(..., criteria=...)`` and :func:`qualification.evaluate` call it; call it yourself when
    a response was built in code.
    """
    problems = answer_problems(response, criteria)
    if problems:
        raise InputError(response.where, "; ".join(problems))


def parse_response(
    data: dict[str, Any], source: str, tender_id: str, criteria: CriteriaSet | None = None
) -> SupplierResponse:
    """Check a response document (the JSON shape, whichever file it came from) for tender ``tender_id``.

    An :class:`~auction.errors.InputError` names ``source``, the record and the field. With ``criteria`` the
    answers are also checked against them (see :func:`check_answers`); without, that check happens at evaluation.
    """
    content = validate_document(ResponseDocument, data, source)
    if content.tender_id != tender_id:
        raise InputError(source, f'tender_id: this response is for tender "{content.tender_id}", not for "{tender_id}"')
    response = SupplierResponse(
        supplier=content.supplier,
        tender_id=content.tender_id,
        submitted_at=content.submitted_at,
        answers=content.answers,
        source=source,
        document=data,
    )
    problems = answer_problems(response, criteria)
    if problems:
        raise InputError(source, "; ".join(problems))
    return response


def load_response(path: Path, tender_id: str, criteria: CriteriaSet | None = None) -> SupplierResponse:
    """Load one JSON response file for tender ``tender_id`` (see :func:`parse_response`)."""
    return parse_response(read_document(path), str(path), tender_id, criteria)


def load_responses(
    paths: Iterable[Path], tender_id: str, criteria: CriteriaSet | None = None
) -> list[SupplierResponse]:
    """Load several response files (in the given order); refuse two responses from one supplier."""
    responses: list[SupplierResponse] = []
    seen: dict[str, str] = {}
    for path in paths:
        response = load_response(path, tender_id, criteria)
        supplier_id = response.supplier.id
        if supplier_id in seen:
            raise InputError(
                str(path),
                f'supplier → id: supplier "{supplier_id}" already responded in {seen[supplier_id]};'
                " one response per supplier",
            )
        seen[supplier_id] = str(path)
        responses.append(response)
    return responses


def referenced_documents(response: ResponseDocument, criteria: CriteriaSet) -> list[str]:
    """Every document name the answers refer to (evidence, and answers to ``document`` criteria), once each."""
    names: list[str] = []
    for answer in response.answers:
        criterion = criteria.get(answer.criterion)
        if criterion is not None and criterion.type == "document" and isinstance(answer.value, str):
            names.append(answer.value)
        if answer.evidence:
            names.append(answer.evidence)
    return list(dict.fromkeys(names))
