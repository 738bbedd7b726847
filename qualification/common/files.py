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

from qualification.common.errors import InputError

M = TypeVar("M", bound=BaseModel)


def has_lone_surrogate(value: Any) -> bool:
    """JSON may escape half a UTF-16 pair ("\\ud800"): text that cannot be stored, shown or sent as UTF-8.

    Walks the value with an explicit stack: parsed JSON can be nested deeper than Python's recursion limit.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= ch <= "\udfff" for ch in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def read_limited(path: Path, limit: int, kind: str) -> bytes:
    """A file's bytes, refusing a missing, unreadable or larger-than-``limit`` file in words naming ``kind``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    except ValueError:  # a name with a NUL character
        raise InputError(ascii(str(path)), "not a usable file name (it contains a NUL character)") from None
    if len(data) > limit:
        raise InputError(str(path), f"the file is {len(data)} bytes, more than {kind} can be ({limit})")
    return data


def read_document(path: Path) -> dict[str, Any]:
    """Parse a ``.toml`` or ``.json`` file into a dict; syntax errors name the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a folder, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except ValueError:  # a name with a NUL character, e.g. from a path written inside another file
        raise InputError(ascii(str(path)), "not a usable file name (it contains a NUL character)") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    if path.suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(str(path), f"TOML syntax error: {exc}") from None
        except (RecursionError, ValueError):
            raise InputError(str(path), "not acceptable TOML: nested too deeply or a number too long") from None
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, line {exc.lineno} column {exc.colno}", f"JSON syntax error: {exc.msg}") from None
        except (RecursionError, ValueError):
            raise InputError(str(path), "not acceptable JSON: nested too deeply or a number too long") from None
        if not isinstance(data, dict):
            raise InputError(str(path), "the top level must be an object ({...})")
        if has_lone_surrogate(data):
            raise InputError(str(path), "contains invalid Unicode (a lone surrogate escape such as \\ud800)")
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
        try:
            errors = exc.errors()
        except UnicodeEncodeError:  # pydantic cannot render text that is not valid Unicode
            raise InputError(source, "contains text that is not valid Unicode") from None
        problems = [f"{describe_location(data, tuple(err['loc']))}: {err['msg']}" for err in errors]
        raise InputError(source, "; ".join(problems)) from None


def load_model(model: type[M], path: Path) -> M:
    return validate_document(model, read_document(path), str(path))
