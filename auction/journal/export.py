"""The journal as JSON Lines, for auditors: everything needed to verify it without our code (docs/audit.md).

Line 1 is a header; every further line is one entry exactly as stored, each in canonical JSON.
"""

from __future__ import annotations

from auction.journal.port import JournalEntry
from qualification.common.canonical import canonical_json

FORMAT = "dieetveiling-journal"
VERSION = 1


def journal_jsonl(stream: str, entries: list[JournalEntry], public_key: str | None, exported_at: int) -> str:
    header = {
        "format": FORMAT,
        "version": VERSION,
        "stream": stream,
        "public_key": public_key or "",
        "exported_at": exported_at,
        "entries": len(entries),
    }
    lines = [canonical_json(header)]
    lines.extend(canonical_json(entry.to_dict()) for entry in entries)
    return "\n".join(lines) + "\n"
