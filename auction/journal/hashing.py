"""Canonical JSON and the journal's hash chain. `docs/formats.md` ("Journal") states the same rules in words.

entry_hash = SHA-256( canonical_json({"stream", "seq", "recorded_at", "type", "payload", "prev_hash"}) )
canonical_json: keys sorted, no whitespace, UTF-8, non-ASCII kept as is, integers only (no floats).
The first entry of a stream has prev_hash = GENESIS (64 zeros).
"""

from __future__ import annotations

import hashlib
from typing import Any

from qualification.common.canonical import canonical_json

GENESIS = "0" * 64


def entry_hash(stream: str, seq: int, recorded_at: int, event_type: str, payload: Any, prev_hash: str) -> str:
    body = {
        "stream": stream,
        "seq": seq,
        "recorded_at": recorded_at,
        "type": event_type,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
