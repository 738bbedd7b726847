"""The criteria file: the questions a supplier must answer and what each answer must be to qualify.

The organiser writes it (TOML, one ``[[criteria]]`` table per criterion); ``docs/qualification.md``
documents every field. Checks that involve more than one field (``expected`` only for ``yes_no``, ``min`` not
above ``max``, ``allowed`` within ``options`` …) are field validators, so an error points at the field that is
wrong: ``criteria[16] (id "DV-02") → max: must not be less than min (5)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, StrictBool, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from qualification.common.canonical import canonical_hash
from qualification.common.errors import InputError
from qualification.common.models import ID_PATTERN, Frozen
from qualification.values import read_choice, read_date, read_document_name, read_number, read_yes_no

AnswerType = Literal["yes_no", "number", "date_not_passed", "document", "choice"]
Kind = Literal["knock-out", "scored", "informational"]

_ESPD_CODE = re.compile(r"^CRITERION(\.[A-Z0-9_-]+)+$")

_FIELDS_OF_TYPE: dict[str, tuple[str, ...]] = {
    "yes_no": ("expected",),
    "number": ("min", "max", "unit", "unit_nl", "score_from", "score_to"),
    "date_not_passed": (),
    "document": (),
    "choice": ("options", "allowed", "review_answers", "points"),
}
_REQUIRED_FOR_TYPE: dict[str, tuple[str, ...]] = {
    "yes_no": ("expected",),
    "number": ("unit",),  # "min"/"max": at least one unless scored, checked on the whole criterion
    "date_not_passed": (),
    "document": (),
    "choice": (),  # "allowed" unless scored, "points" when scored: checked on the whole criterion
}
_SCORING_FIELDS = ("weight", "score_from", "score_to", "points")


def _not_for_this_type(field: str, answer_type: str) -> PydanticCustomError:
    owners = [name for name, fields in _FIELDS_OF_TYPE.items() if field in fields]
    return PydanticCustomError(
        "field_not_for_type",
        'only allowed with type "{owner}", this criterion has type "{answer_type}"',
        {"owner": owners[0] if owners else "?", "answer_type": answer_type},
    )


def _required_for_type(answer_type: str) -> PydanticCustomError:
    return PydanticCustomError(
        "field_required_for_type", 'required with type "{answer_type}"', {"answer_type": answer_type}
    )


class Criterion(Frozen):
    """One question of the criteria file and the answer it requires.

    A ``knock-out`` criterion excludes a supplier whose answer fails or is missing; a ``scored`` one never
    excludes but earns points towards the quality score (``weight``, and per type ``score_from``/``score_to``
    or ``points``); an ``informational`` one is evaluated and reported but neither excludes nor scores.
    """

    id: str = Field(pattern=ID_PATTERN)
    group: str = Field(min_length=1)
    kind: Kind
    question_nl: str = Field(min_length=1)
    question_en: str = Field(min_length=1)
    type: AnswerType
    expected: StrictBool | None = Field(default=None, validate_default=True)
    min: Decimal | None = Field(default=None, validate_default=True)
    max: Decimal | None = Field(default=None, validate_default=True)
    unit: str | None = Field(default=None, min_length=1, validate_default=True)
    unit_nl: str | None = Field(default=None, min_length=1, validate_default=True)
    options: tuple[str, ...] | None = Field(default=None, validate_default=True)
    allowed: tuple[str, ...] | None = Field(default=None, validate_default=True)
    review_answers: tuple[str, ...] | None = Field(
        default=None, validate_default=True, description="choice answers that always need the organiser's review"
    )
    evidence: str = ""
    evidence_required: StrictBool = Field(
        default=False, description="the answer's evidence must name an attached document, else: needs review"
    )
    espd_code: str | None = Field(default=None, description="EU ESPD code of the exclusion ground")
    source: str = Field(default="", description="where the criterion comes from (policy document, section)")
    weight: Decimal | None = Field(default=None, gt=0, validate_default=True)
    score_from: Decimal | None = Field(default=None, validate_default=True, description="answer worth 0 points")
    score_to: Decimal | None = Field(default=None, validate_default=True, description="answer worth full points")
    points: dict[str, Decimal] | None = Field(
        default=None, validate_default=True, description="choice: the fraction (0..1) of the weight per option"
    )

    @field_validator("min", "max", "weight", "score_from", "score_to", mode="before")
    @classmethod
    def _number_not_text(cls, value: Any, info: ValidationInfo) -> Any:
        # Decimal would accept "2500000" or "1e6" as text; in TOML a bound is written as a number. Criteria
        # stored by this tool (JSON, numbers as exact text) are read back with the context {"stored": True}.
        if info.context and info.context.get("stored") and isinstance(value, str):
            return value
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | Decimal)):
            raise PydanticCustomError("bound_type", "must be a number (without quotes)")
        return value

    @field_validator(
        "expected",
        "min",
        "max",
        "unit",
        "unit_nl",
        "options",
        "allowed",
        "review_answers",
        "score_from",
        "score_to",
        "points",
    )
    @classmethod
    def _belongs_to_type(cls, value: Any, info: ValidationInfo) -> Any:
        answer_type = info.data.get("type")
        field = info.field_name
        if answer_type is None or field is None:  # the type itself was invalid; that error is reported
            return value
        if value is not None and field not in _FIELDS_OF_TYPE[answer_type]:
            raise _not_for_this_type(field, answer_type)
        if value is None and field in _REQUIRED_FOR_TYPE[answer_type]:
            raise _required_for_type(answer_type)
        return value

    @field_validator("max")
    @classmethod
    def _max_not_below_min(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        low = info.data.get("min")
        if value is not None and low is not None and value < low:
            raise PydanticCustomError("max_below_min", "must not be less than min ({low})", {"low": str(low)})
        return value

    @field_validator("options", "allowed", "review_answers")
    @classmethod
    def _listed_once(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None:
            if not value:
                raise PydanticCustomError("empty_list", "must list at least one answer")
            repeated = sorted({item for item in value if value.count(item) > 1})
            if repeated:
                raise PydanticCustomError("repeated", "repeated: {items}", {"items": ", ".join(repeated)})
        return value

    @field_validator("allowed", "review_answers")
    @classmethod
    def _allowed_among_options(cls, value: tuple[str, ...] | None, info: ValidationInfo) -> tuple[str, ...] | None:
        options = info.data.get("options")
        if value is not None and options is not None:
            strays = [item for item in value if item not in options]
            if strays:
                raise PydanticCustomError(
                    "not_an_option", "not among the options: {items}", {"items": ", ".join(strays)}
                )
        return value

    @field_validator("points")
    @classmethod
    def _points_per_option(cls, value: dict[str, Decimal] | None, info: ValidationInfo) -> dict[str, Decimal] | None:
        if value is None:
            return value
        options = info.data.get("options")
        if options is not None:
            missing = [option for option in options if option not in value]
            strays = [option for option in value if option not in options]
            if missing or strays:
                raise PydanticCustomError(
                    "points_options",
                    "list every option once: missing {missing}; not an option {strays}",
                    {"missing": ", ".join(missing) or "none", "strays": ", ".join(strays) or "none"},
                )
        wrong = [option for option, fraction in value.items() if not Decimal(0) <= fraction <= Decimal(1)]
        if wrong:
            raise PydanticCustomError(
                "points_range", "points are fractions from 0 to 1; out of range: {items}", {"items": ", ".join(wrong)}
            )
        return value

    @field_validator("weight", "score_from", "score_to", "points")
    @classmethod
    def _only_when_scored(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        if kind is None or info.field_name is None:
            return value
        if value is not None and kind != "scored":
            raise PydanticCustomError(
                "scoring_field", 'only for kind "scored", this criterion is "{kind}"', {"kind": kind}
            )
        if value is None and kind == "scored" and info.field_name == "weight":
            raise PydanticCustomError("weight_required", 'required with kind "scored"')
        return value

    @field_validator("espd_code")
    @classmethod
    def _espd_shape(cls, value: str | None) -> str | None:
        if value is not None and not _ESPD_CODE.match(value):
            raise PydanticCustomError(
                "espd_code",
                "expected an ESPD code such as 'CRITERION.EXCLUSION.BUSINESS.BANKRUPTCY', got '{value}'",
                {"value": value},
            )
        return value

    @model_validator(mode="after")
    def _complete_for_kind(self) -> Criterion:
        scored = self.kind == "scored"
        if self.type == "number" and scored and (self.score_from is None or self.score_to is None):
            raise PydanticCustomError("no_scale", 'a scored number needs "score_from" and "score_to"')
        if self.type == "number" and scored and self.score_from == self.score_to:
            raise PydanticCustomError("flat_scale", '"score_from" and "score_to" must differ')
        if self.type == "number" and not scored and self.min is None and self.max is None:
            raise PydanticCustomError("no_bound", 'type "number" needs "min", "max" or both')
        if self.type == "choice" and scored and self.points is None:
            raise PydanticCustomError("no_points", 'a scored choice needs "points" for its options')
        if self.type == "choice" and not scored and self.allowed is None:
            raise PydanticCustomError("no_allowed", 'type "choice" needs "allowed"')
        if self.type == "choice" and self.points is not None and self.options is None:
            raise PydanticCustomError("points_without_options", '"points" needs "options"')
        return self

    @property
    def scored(self) -> bool:
        return self.kind == "scored"

    def read_answer(self, value: object) -> bool | Decimal | date | str:
        """The answer as this criterion's type; :class:`ValueError` says what was expected instead."""
        if self.type == "yes_no":
            return read_yes_no(value)
        if self.type == "number":
            return read_number(value)
        if self.type == "date_not_passed":
            return read_date(value)
        if self.type == "document":
            return read_document_name(value)
        return read_choice(value, self.options)


class CriteriaFile(Frozen):
    """The top level of a criteria file: criteria picked from a catalogue, criteria of its own, or both."""

    catalogue: str | None = Field(
        default=None, description='"builtin" (the default) or the path of another catalogue, relative to this file'
    )
    pick: tuple[dict[str, Any], ...] = Field(default=(), description="criteria taken from the catalogue, tuned")
    criteria: tuple[Criterion, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> CriteriaFile:
        if not self.criteria and not self.pick:
            raise PydanticCustomError(
                "no_criteria", "the file has no criteria; add [[pick]] tables (from the catalogue) or [[criteria]]"
            )
        return self


@dataclass(frozen=True)
class CriteriaSet:
    """The criteria of a tender, in file order, with lookup by id and a content hash.

    ``source`` is the file the set came from (empty when built in code); it does not enter the hash.
    """

    criteria: tuple[Criterion, ...]
    source: str = ""

    def to_document(self) -> dict[str, Any]:
        """The criteria as stored and hashed: JSON-ready, numbers as exact text (read back by ``from_document``)."""
        return {"criteria": [criterion.model_dump(mode="json") for criterion in self.criteria]}

    @classmethod
    def from_document(cls, document: dict[str, Any], source: str = "") -> CriteriaSet:
        """Rebuild a set stored with :meth:`to_document`; :class:`InputError` if it was damaged."""
        try:
            items = document["criteria"]
            criteria = tuple(Criterion.model_validate(item, context={"stored": True}) for item in items)
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(source or "stored criteria", f"damaged criteria record: {exc}") from None
        return cls(criteria=criteria, source=source)

    def __post_init__(self) -> None:
        problems = duplicate_ids(self.criteria)
        if problems:
            raise ValueError("; ".join(problems))

    @cached_property
    def hash(self) -> str:
        """SHA-256 over the canonical JSON of the criteria (not of the file's layout or comments)."""
        return canonical_hash(self.to_document())

    @cached_property
    def _by_id(self) -> dict[str, Criterion]:
        return {criterion.id: criterion for criterion in self.criteria}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(criterion.id for criterion in self.criteria)

    def get(self, criterion_id: str) -> Criterion | None:
        return self._by_id.get(criterion_id)

    def __getitem__(self, criterion_id: str) -> Criterion:
        return self._by_id[criterion_id]

    def __contains__(self, criterion_id: object) -> bool:
        return criterion_id in self._by_id

    def __iter__(self) -> Iterator[Criterion]:
        return iter(self.criteria)

    def __len__(self) -> int:
        return len(self.criteria)


def duplicate_ids(criteria: tuple[Criterion, ...]) -> list[str]:
    """One problem per repeated id, naming the repeat and where the id first occurred."""
    first_at: dict[str, int] = {}
    problems: list[str] = []
    for index, criterion in enumerate(criteria):
        if criterion.id in first_at:
            first = first_at[criterion.id]
            problems.append(f'criteria[{index}] (id "{criterion.id}") → id: the same id as criteria[{first}]')
        else:
            first_at[criterion.id] = index
    return problems
