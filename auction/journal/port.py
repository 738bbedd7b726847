"""The journal port: an append-only, hash-chained log of events per stream (one stream per auction).

Two implementations honour it: :class:`MemoryJournal` here (tests, replay of exports) and
:class:`auction.sql_journal.SqlJournal` (SQLite or PostgreSQL). One contract test suite runs against both.

The append is optimistic: the caller says which sequence number it last saw; if another writer got there
first, :class:`ConcurrencyConflict` is raised and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from auction.journal.hashing import GENESIS, entry_hash
from auction.rules.messages import Event, event_from_payload
from qualification.common.canonical import canonical_json
from qualification.common.errors import DieetveilingError


class Recordable(Protocol):
    """What a journal stores: an event with a type name and a JSON-ready payload (auction or tender events)."""

    @property
    def type(self) -> str: ...

    def payload(self) -> dict[str, Any]: ...


class ConcurrencyConflict(DieetveilingError):
    """Another writer appended to the stream since ``expected_seq``; the append wrote nothing."""

    code = "concurrency_conflict"


@dataclass(frozen=True)
class JournalEntry:
    stream: str
    seq: int  # 1, 2, 3 … without gaps
    recorded_at: int  # server time, ms since the epoch
    type: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def event(self) -> Event:
        return event_from_payload(self.type, self.payload)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stream": self.stream,
            "seq": self.seq,
            "recorded_at": self.recorded_at,
            "type": self.type,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def chain(
    stream: str, last_seq: int, last_hash: str, events: Sequence[Recordable], recorded_at: int
) -> list[JournalEntry]:
    """Turn events into entries that continue the chain after (last_seq, last_hash)."""
    entries = []
    prev = last_hash
    for offset, event in enumerate(events, start=1):
        # Round-trip through canonical JSON so the stored payload is exactly what was hashed.
        payload = json.loads(canonical_json(event.payload()))
        seq = last_seq + offset
        digest = entry_hash(stream, seq, recorded_at, event.type, payload, prev)
        entries.append(JournalEntry(stream, seq, recorded_at, event.type, payload, prev, digest))
        prev = digest
    return entries


class Journal(Protocol):
    async def append(
        self, stream: str, expected_seq: int, events: Sequence[Recordable], recorded_at: int
    ) -> list[JournalEntry]:
        """Append ``events`` after ``expected_seq`` durably (committed when this returns)."""
        ...

    async def read(self, stream: str, after_seq: int = 0) -> list[JournalEntry]:
        """Entries of ``stream`` with seq > after_seq, in order."""
        ...

    async def streams(self) -> list[str]: ...


class MemoryJournal:
    """The journal in a dict: for unit tests and for checking an exported journal."""

    def __init__(self) -> None:
        self._entries: dict[str, list[JournalEntry]] = {}

    async def append(
        self, stream: str, expected_seq: int, events: Sequence[Recordable], recorded_at: int
    ) -> list[JournalEntry]:
        current = self._entries.setdefault(stream, [])
        if len(current) != expected_seq:
            raise ConcurrencyConflict(f"stream {stream}: expected seq {expected_seq}, found {len(current)}")
        last_hash = current[-1].hash if current else GENESIS
        entries = chain(stream, expected_seq, last_hash, events, recorded_at)
        current.extend(entries)
        return entries

    async def read(self, stream: str, after_seq: int = 0) -> list[JournalEntry]:
        return [e for e in self._entries.get(stream, []) if e.seq > after_seq]

    async def streams(self) -> list[str]:
        return sorted(self._entries)
