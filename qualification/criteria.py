"""The criteria file: the questions a supplier must answer and what each answer must be to qualify.

The organiser writes it (TOML, one ``[[criteria]]`` table per criterion); ``docs/formats-qualification.md``
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
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, StrictBool, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from auction.errors import InputError
from auction.loading import read_document, validate_document
from auction.tender import ID_PATTERN, Frozen, canonical_hash
from qualification.values import read_choice, read_date, read_number, read_yes_no

AnswerType = Literal["yes_no", "number", "date_not_passed", "choice"]
Kind = Literal["knock-out", "informational"]

_ESPD_CODE = re.compile(r"^CRITERION(\.[A-Z0-9_-]+)+$")

_FIELDS_OF_TYPE: dict[str, tuple[str, ...]] = {
    "yes_no": ("expected",),
    "number": ("min", "max", "unit", "unit_nl"),
    "date_not_passed": (),
    "choice": ("options", "allowed"),
}
_REQUIRED_FOR_TYPE: dict[str, tuple[str, ...]] = {
    "yes_no": ("expected",),
    "number": ("unit",),  # "min"/"max": at least one, checked on the whole criterion
    "date_not_passed": (),
    "choice": ("allowed",),
}


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

    A ``knock-out`` criterion excludes a supplier whose answer fails or is missing; an ``informational`` one
    is evaluated and reported the same way but never excludes.
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
    evidence: str = ""
    espd_code: str | None = Field(default=None, description="EU ESPD code of the exclusion ground")

    @field_validator("min", "max", mode="before")
    @classmethod
    def _number_not_text(cls, value: Any) -> Any:
        # Decimal would accept "2500000" or "1e6" as text; in TOML a bound is written as a number.
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | Decimal)):
            raise PydanticCustomError("bound_type", "must be a number (without quotes)")
        return value

    @field_validator("expected", "min", "max", "unit", "unit_nl", "options", "allowed")
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

    @field_validator("options", "allowed")
    @classmethod
    def _listed_once(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None:
            if not value:
                raise PydanticCustomError("empty_list", "must list at least one answer")
            repeated = sorted({item for item in value if value.count(item) > 1})
            if repeated:
                raise PydanticCustomError("repeated", "repeated: {items}", {"items": ", ".join(repeated)})
        return value

    @field_validator("allowed")
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
    def _number_has_a_bound(self) -> Criterion:
        if self.type == "number" and self.min is None and self.max is None:
            raise PydanticCustomError("no_bound", 'type "number" needs "min", "max" or both')
        return self

    def read_answer(self, value: object) -> bool | Decimal | date | str:
        """The answer as this criterion's type; :class:`ValueError` says what was expected instead."""
        if self.type == "yes_no":
            return read_yes_no(value)
        if self.type == "number":
            return read_number(value)
        if self.type == "date_not_passed":
            return read_date(value)
        return read_choice(value, self.options)


class CriteriaFile(Frozen):
    """The top level of a criteria file."""

    criteria: tuple[Criterion, ...]

    @field_validator("criteria")
    @classmethod
    def _not_empty(cls, value: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
        # A validator, not min_length: pydantic would also report "0 items" when any criterion is invalid.
        if not value:
            raise PydanticCustomError("no_criteria", "the file has no criteria; add a [[criteria]] table")
        return value


@dataclass(frozen=True)
class CriteriaSet:
    """The criteria of a tender, in file order, with lookup by id and a content hash.

    ``source`` is the file the set came from (empty when built in code); it does not enter the hash.
    """

    criteria: tuple[Criterion, ...]
    source: str = ""

    def __post_init__(self) -> None:
        problems = duplicate_ids(self.criteria)
        if problems:
            raise ValueError("; ".join(problems))

    @cached_property
    def hash(self) -> str:
        """SHA-256 over the canonical JSON of the criteria (not of the file's layout or comments)."""
        return canonical_hash({"criteria": [criterion.model_dump(mode="json") for criterion in self.criteria]})

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


def load_criteria(path: Path) -> CriteriaSet:
    """Load and check a criteria file; an :class:`~auction.errors.InputError` names file, record and field.

    Call it once per tender, before loading responses (``load_response`` can check answers against it).
    """
    document = validate_document(CriteriaFile, read_document(path), str(path))
    problems = duplicate_ids(document.criteria)
    if problems:
        raise InputError(str(path), "; ".join(problems))
    return CriteriaSet(criteria=document.criteria, source=str(path))
