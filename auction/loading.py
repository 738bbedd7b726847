"""Reading organiser-written files (TOML or JSON) into pydantic models, with errors that point at the field.

Shared by the tender loader here and by ``qualification`` so every bad file is reported the same way:
``<file>: <record> → <field>: <problem>``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from auction.errors import InputError

M = TypeVar("M", bound=BaseModel)


def read_document(path: Path) -> dict[str, Any]:
    """Parse a ``.toml`` or ``.json`` file into a dict; syntax errors name the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    if path.suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(str(path), f"TOML syntax error: {exc}") from None
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, line {exc.lineno} column {exc.colno}", f"JSON syntax error: {exc.msg}") from None
        if not isinstance(data, dict):
            raise InputError(str(path), "the top level must be an object ({...})")
        return data
    raise InputError(str(path), "unknown file type: expected .toml or .json")


def describe_location(data: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into words, naming records by their ``id`` where they have one.

    ``('lots', 1, 'lines', 0, 'volume')`` becomes ``lots[1] (id "L2") → lines[0] (id "L2-01") → volume``.
    """
    parts: list[str] = []
    node: Any = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and 0 <= key < len(node):
                node = node[key]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f' (id "{node["id"]}")'
            else:
                node = None
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return " → ".join(parts) if parts else "(top level)"


def validate_document(model: type[M], data: dict[str, Any], source: str) -> M:
    """Validate ``data`` against ``model``; the first problem becomes an :class:`InputError`.

    All problems are listed in the message so the organiser can fix the file in one go.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [f"{describe_location(data, tuple(err['loc']))}: {err['msg']}" for err in exc.errors()]
        raise InputError(source, "; ".join(problems)) from None


def load_model(model: type[M], path: Path) -> M:
    return validate_document(model, read_document(path), str(path))
