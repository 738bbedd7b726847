"""Reading a criteria file: its own criteria, and the ones it picks from the catalogue.

The catalogue (``qualification/catalogue.toml``) holds every criterion drawn from the insurers' purchasing
policies plus the requirements a dieetvoeding tender adds, each with a stable id. A tender's criteria file picks
criteria by id and may tune what a tender decides (thresholds, allowed answers, weights, whether evidence must
be attached, knock-out or not); it cannot reword a question, since suppliers answer the catalogue's words.

```toml
[[pick]]
id = "DV-02"      # delivery time in working days
max = 1           # this tender asks for delivery within 1 working day, not the catalogue's 2
```
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from qualification.common.errors import InputError
from qualification.common.files import describe_location, read_document, validate_document
from qualification.criteria import CriteriaFile, CriteriaSet, Criterion, duplicate_ids

BUILTIN_CATALOGUE = Path(__file__).with_name("catalogue.toml")

TUNABLE = (
    "kind",
    "expected",
    "min",
    "max",
    "allowed",
    "review_answers",
    "evidence",
    "evidence_required",
    "weight",
    "score_from",
    "score_to",
    "points",
)
"""What a pick may change; everything else (questions, type, options, unit, ESPD code) is the catalogue's."""


def load_catalogue(path: Path | None = None) -> CriteriaSet:
    """The built-in catalogue, or another catalogue file in the criteria file format (``[[criteria]]`` only)."""
    catalogue = load_criteria(path or BUILTIN_CATALOGUE)
    return catalogue


def _catalogue_for(document: CriteriaFile, criteria_file: Path) -> tuple[CriteriaSet, Path]:
    if document.catalogue in (None, "builtin"):
        return load_catalogue(), BUILTIN_CATALOGUE
    path = criteria_file.parent / (document.catalogue or "")
    return load_catalogue(path), path


def resolve_picks(document: CriteriaFile, criteria_file: Path) -> tuple[Criterion, ...]:
    """The picked criteria, tuned; every problem named by pick index, id and field, all at once."""
    try:
        catalogue, catalogue_path = _catalogue_for(document, criteria_file)
    except InputError as exc:  # name the criteria file that points at the catalogue, then the catalogue's problem
        raise InputError(str(criteria_file), f"catalogue: {exc}") from None
    picked: list[Criterion] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, pick in enumerate(document.pick):
        criterion_id = pick.get("id")
        label = f'pick[{index}] (id "{criterion_id}")' if isinstance(criterion_id, str) else f"pick[{index}]"
        if not isinstance(criterion_id, str):
            problems.append(f"{label} → id: required, the id of a criterion in the catalogue")
            continue
        if criterion_id in seen:
            problems.append(f"{label} → id: picked twice (first at pick[{seen[criterion_id]}])")
            continue
        seen[criterion_id] = index
        base = catalogue.get(criterion_id)
        if base is None:
            problems.append(f'{label} → id: "{criterion_id}" is not in the catalogue {catalogue_path.name}')
            continue
        strays = sorted(set(pick) - {"id", *TUNABLE})
        if strays:
            problems.append(f"{label}: cannot be tuned: {', '.join(strays)} (tunable: {', '.join(TUNABLE)})")
            continue
        merged: dict[str, Any] = base.model_dump()
        merged.update({key: value for key, value in pick.items() if key != "id"})
        if merged.get("kind") != "scored":  # a pick that makes a scored criterion knock-out drops its scale
            for key in ("weight", "score_from", "score_to", "points"):
                if key not in pick:
                    merged[key] = None
        try:
            picked.append(Criterion.model_validate(merged))
        except ValidationError as exc:
            for error in exc.errors():
                where = describe_location(merged, tuple(error["loc"]))
                problems.append(f"{label} → {where}: {error['msg']}")
    if problems:
        raise InputError(str(criteria_file), "; ".join(problems))
    return tuple(picked)


def load_criteria(path: Path) -> CriteriaSet:
    """Load and check a criteria file; an :class:`~auction.errors.InputError` names file, record and field.

    Call it once per tender, before loading responses (``load_response`` can check answers against it).
    """
    document = validate_document(CriteriaFile, read_document(path), str(path))
    picked = resolve_picks(document, path) if document.pick else ()
    everything = picked + document.criteria
    problems = duplicate_ids(everything)
    if problems:
        raise InputError(str(path), "; ".join(problems))
    return CriteriaSet(criteria=everything, source=str(path))
