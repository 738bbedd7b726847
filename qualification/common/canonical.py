"""Canonical JSON and the hashes over it and over files: the same bytes for the same value, on every machine.

canonical_json: keys sorted, no whitespace, UTF-8, non-ASCII kept as is, integers only (no floats). It is what the
journal's entry hash is computed over (`docs/formats.md`, "Journal"). ``canonical_hash`` freezes documents (criteria,
admission lists, tenders); ``file_hash`` is the SHA-256 of a file's bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, e.g. the concept contract a contract refers to."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def canonical_hash(document: Any) -> str:
    """SHA-256 over canonical JSON (sorted keys, no spaces, UTF-8); used to freeze documents."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
