"""The journal on SQLAlchemy (SQLite by default). See :mod:`auction.journal` for the contract."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from auction.journal.hashing import GENESIS
from auction.journal.port import ConcurrencyConflict, JournalEntry, Recordable, chain
from auction.storage.contracts import project_contracts
from auction.storage.db import journal
from qualification.common.canonical import canonical_json

# Called inside the append's transaction, so read models (e.g. the contracts table) commit with the events.
Projector = Callable[[AsyncConnection, list[JournalEntry]], Awaitable[None]]


def _parse(text: str) -> dict[str, Any]:
    # A damaged payload must still reach the replay, which then reports the broken hash at this entry.
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {"__unparseable__": text}
    return value if isinstance(value, dict) else {"__not_an_object__": value}


class SqlJournal:
    def __init__(self, engine: AsyncEngine, projector: Projector | None = None) -> None:
        self._engine = engine
        self._projector = projector

    async def append(
        self, stream: str, expected_seq: int, events: Sequence[Recordable], recorded_at: int
    ) -> list[JournalEntry]:
        try:
            async with self._engine.begin() as conn:
                row = (
                    await conn.execute(
                        select(journal.c.seq, journal.c.hash)
                        .where(journal.c.stream == stream)
                        .order_by(journal.c.seq.desc())
                        .limit(1)
                    )
                ).first()
                last_seq, last_hash = (row[0], row[1]) if row else (0, GENESIS)
                if last_seq != expected_seq:
                    raise ConcurrencyConflict(f"stream {stream}: expected seq {expected_seq}, found {last_seq}")
                entries = chain(stream, last_seq, last_hash, events, recorded_at)
                await conn.execute(
                    journal.insert(),
                    [
                        {
                            "stream": e.stream,
                            "seq": e.seq,
                            "recorded_at": e.recorded_at,
                            "type": e.type,
                            "payload": canonical_json(e.payload),
                            "prev_hash": e.prev_hash,
                            "hash": e.hash,
                        }
                        for e in entries
                    ],
                )
                if self._projector is not None:
                    await self._projector(conn, entries)
        except IntegrityError as exc:
            raise ConcurrencyConflict(f"stream {stream}: another writer appended first") from exc
        return entries

    async def read(self, stream: str, after_seq: int = 0) -> list[JournalEntry]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                select(journal).where(journal.c.stream == stream, journal.c.seq > after_seq).order_by(journal.c.seq)
            )
            return [
                JournalEntry(r.stream, r.seq, r.recorded_at, r.type, _parse(r.payload), r.prev_hash, r.hash)
                for r in rows
            ]

    async def streams(self) -> list[str]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(select(journal.c.stream).distinct().order_by(journal.c.stream))
            return [r[0] for r in rows]


def journal_for(engine: AsyncEngine) -> SqlJournal:
    return SqlJournal(engine, projector=project_contracts)
