"""The contracts read model: one row per awarded lot, written in the same transaction as the award event."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from auction.db import contracts
from auction.hashing import canonical_json
from auction.journal import JournalEntry


async def project_contracts(conn: AsyncConnection, entries: list[JournalEntry]) -> None:
    """Journal projector: store each recorded award as the contract for all participating insurers."""
    for entry in entries:
        if entry.type != "AwardRecorded":
            continue
        contract = entry.payload["contract"]
        await conn.execute(
            contracts.insert().values(
                auction_id=entry.stream,
                tender_id=contract["tender_id"],
                lot_id=contract["lot_id"],
                supplier_id=contract["supplier"],
                document=canonical_json(contract),
                journal_seq=entry.seq,
                entry_hash=entry.hash,
                recorded_at=entry.recorded_at,
            )
        )


async def stored_contract(engine: AsyncEngine, auction_id: str) -> dict[str, Any] | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(contracts.c.document).where(contracts.c.auction_id == auction_id))).first()
    return None if row is None else dict(json.loads(row[0]))


async def contracts_of_tender(engine: AsyncEngine, tender_id: str) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(contracts).where(contracts.c.tender_id == tender_id).order_by(contracts.c.lot_id)
        )
        return [
            {
                **json.loads(r.document),
                "journal_seq": r.journal_seq,
                "entry_hash": r.entry_hash,
                "recorded_at": r.recorded_at,
            }
            for r in rows
        ]
