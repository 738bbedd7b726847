"""What changed between two versions of the published tender, field by field, in words (Dutch and English).

A published tender changes only through a clarification notice, and the notice must say what changed: this
turns two tender documents (their canonical JSON form) into one sentence per changed field. Lists of records
with an ``id`` (insurers, lots, lines) are matched by id, so a reordered list is no change and a new line is one
addition, not a shift of every line after it.
"""

from __future__ import annotations

from typing import Any, Literal

Language = Literal["nl", "en"]
_ABSENT = object()


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value:
            out[path] = {}
        for key in sorted(value):
            _flatten(value[key], f"{path} → {key}" if path else key, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
        for item in value:
            _flatten({k: v for k, v in item.items() if k != "id"}, f'{path} (id "{item["id"]}")', out)
    else:
        out[path] = value


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field path, old value, new value) for every field that differs; a side that lacks the field has
    :data:`_ABSENT`. Sorted by path."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(old, "", before)
    _flatten(new, "", after)
    changes = []
    for path in sorted(before.keys() | after.keys()):
        a, b = before.get(path, _ABSENT), after.get(path, _ABSENT)
        if a != b:
            changes.append((path, a, b))
    return changes


def describe_tender_changes(old: dict[str, Any], new: dict[str, Any], language: Language) -> tuple[str, ...]:
    """One sentence per changed field of the tender document."""
    sentences = []
    for path, a, b in field_changes(old, new):
        if a is _ABSENT:
            sentences.append(
                f"Toegevoegd: {path} = {_show(b)}." if language == "nl" else f"Added: {path} = {_show(b)}."
            )
        elif b is _ABSENT:
            sentences.append(
                f"Vervallen: {path} (was {_show(a)})." if language == "nl" else f"Removed: {path} (was {_show(a)})."
            )
        elif language == "nl":
            sentences.append(f"Gewijzigd: {path}: was {_show(a)}, wordt {_show(b)}.")
        else:
            sentences.append(f"Changed: {path}: was {_show(a)}, now {_show(b)}.")
    return tuple(sentences)


def describe_concept_change(old_version: str, new_version: str, language: Language) -> str:
    if language == "nl":
        return f"Het conceptcontract is gewijzigd: versie {old_version} wordt versie {new_version}."
    return f"The concept contract changed: version {old_version} becomes version {new_version}."
