"""The tender's journal (stream ``tender:{id}``): reading it into its state, appending to it atomically with the
tables beside it, and what the organiser's tender steps all need first (the tender, its current criteria)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from auction.clock import Clock
from auction.journal.port import ConcurrencyConflict, Recordable
from auction.storage.db import tenders
from auction.storage.sql_journal import SqlJournal
from auction.tender.file import Tender
from qualification.common.errors import NotFound, StepOutOfOrder
from qualification.criteria import CriteriaSet
from qualification.tender_journal import (
    QualificationState,
    fold,
    stream_for,
)


async def tender_state(engine: AsyncEngine, tender_id: str) -> QualificationState:
    entries = await SqlJournal(engine).read(stream_for(tender_id))
    return fold([(entry.seq, entry.type, entry.payload) for entry in entries])


Write = Callable[[AsyncConnection], Awaitable[None]]


async def append_events(
    engine: AsyncEngine,
    tender_id: str,
    state: QualificationState,
    events: Sequence[Recordable],
    clock: Clock,
    write: Write | None = None,
) -> None:
    """Append to the tender's journal; ``write`` updates the tables in the same transaction (both or neither)."""

    async def project(conn: AsyncConnection, _entries: object) -> None:
        if write is not None:
            await write(conn)

    try:
        await SqlJournal(engine, project).append(stream_for(tender_id), state.seq, events, clock())
    except ConcurrencyConflict:
        raise StepOutOfOrder("another organiser step changed this tender at the same time; run it again") from None


async def find_tender(engine: AsyncEngine, tender_id: str | None) -> Tender:
    from auction.storage.tenders import get_tender  # the tender table is the service's

    return await get_tender(engine, tender_id)


def refuse_after_admission(state: QualificationState, what: str) -> None:
    if state.admission is not None:
        raise StepOutOfOrder(
            f"the admission list is frozen (hash {state.admission.admission_hash[:12]}…): {what} can no longer change"
        )


async def current_criteria(engine: AsyncEngine, tender_id: str, state: QualificationState | None = None) -> CriteriaSet:
    """The tender's criteria: the latest frozen version once responses are open, else as loaded with the tender.

    Pass the ``state`` a step has already read, so the journal is not read twice.
    """
    frozen = (state or await tender_state(engine, tender_id)).criteria
    if frozen is not None:
        return CriteriaSet.from_document(frozen.criteria, source=f"criteria of tender {tender_id} v{frozen.version}")
    async with engine.connect() as conn:
        row = (
            await conn.execute(select(tenders.c.criteria_document, tenders.c.source).where(tenders.c.id == tender_id))
        ).first()
    if row is None:
        raise NotFound(f"no tender {tender_id!r}: run `auction tender load FILE` first")
    return CriteriaSet.from_document(json.loads(row[0]), source=f"criteria of tender {tender_id}")
