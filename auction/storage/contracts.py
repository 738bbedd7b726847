"""The contracts read model: one row per awarded lot, written in the same transaction as the award event."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from auction.journal.port import JournalEntry
from auction.storage.db import contracts
from qualification.common.canonical import canonical_json


async def project_contracts(conn: AsyncConnection, entries: list[JournalEntry]) -> None:
    """Journal projector: keep one row per lot with the intended, definitive or signed contract."""
    for entry in entries:
        where = contracts.c.auction_id == entry.stream
        if entry.type == "AwardIntended":
            contract = entry.payload["contract"]
            await conn.execute(contracts.delete().where(where))  # a revised intention replaces the earlier one
            await conn.execute(
                contracts.insert().values(
                    auction_id=entry.stream,
                    tender_id=contract["tender_id"],
                    lot_id=contract["lot_id"],
                    supplier_id=contract["supplier"]["id"],
                    document=canonical_json(contract),
                    status="intended",
                    journal_seq=entry.seq,
                    entry_hash=entry.hash,
                    recorded_at=entry.recorded_at,
                )
            )
        elif entry.type == "AwardWithheld":
            await conn.execute(contracts.delete().where(where))
        elif entry.type == "AwardMadeDefinitive":
            await conn.execute(update(contracts).where(where).values(status="definitive"))
        elif entry.type == "ContractSigned":
            await conn.execute(
                update(contracts)
                .where(where)
                .values(status="signed", signatory=entry.payload["signatory"], signed_on=entry.payload["signed_on"])
            )


async def stored_contract(engine: AsyncEngine, auction_id: str) -> dict[str, Any] | None:
    """The contracts table's record of one lot: the contract document plus its ``status``."""
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(contracts.c.document, contracts.c.status).where(contracts.c.auction_id == auction_id)
            )
        ).first()
    return None if row is None else {**json.loads(row[0]), "status": row[1]}


async def contracts_of_tender(engine: AsyncEngine, tender_id: str) -> list[dict[str, Any]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(contracts).where(contracts.c.tender_id == tender_id).order_by(contracts.c.lot_id)
        )
        return [
            {
                **json.loads(r.document),
                "status": r.status,
                "signatory": r.signatory,
                "signed_on": r.signed_on,
                "journal_seq": r.journal_seq,
                "entry_hash": r.entry_hash,
                "recorded_at": r.recorded_at,
            }
            for r in rows
        ]
