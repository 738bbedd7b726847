"""Loading the tender file (and the criteria file it names) into the database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.steps.qualification import check_criteria_unchanged
from auction.steps.tender_publication import TenderVersion, refuse_unpublished_change
from auction.steps.tender_stream import tender_state
from auction.storage.db import auctions, tenders
from auction.tender.file import Tender
from auction.tender.loading import load_tender
from qualification.common.canonical import canonical_hash, canonical_json, file_hash
from qualification.common.errors import StepOutOfOrder
from qualification.criteria import CriteriaSet
from qualification.criteria_file import load_criteria


@dataclass(frozen=True)
class LoadedTender:
    tender: Tender
    criteria: CriteriaSet
    hash: str


async def load_tender_file(engine: AsyncEngine, path: Path, clock: Clock = system_clock) -> LoadedTender:
    """Read the tender file and its criteria file and store both. Refused once auctions exist for the tender."""
    tender = load_tender(path)
    criteria_path = path.parent / tender.criteria
    criteria = load_criteria(criteria_path)
    await check_criteria_unchanged(engine, tender.id, criteria)
    concept_hash = file_hash(path.parent / tender.concept_contract.file)
    refuse_unpublished_change(await tender_state(engine, tender.id), TenderVersion.of(tender, concept_hash))
    document = tender.model_dump(mode="json")
    digest = canonical_hash(document)
    async with engine.begin() as conn:
        if (await conn.execute(select(auctions.c.id).where(auctions.c.tender_id == tender.id))).first():
            raise StepOutOfOrder(f"tender {tender.id} already has auctions; its file can no longer change")
        # A reload keeps the frozen admission hash (the journal holds it too; the auctions are seated from it).
        admission = (await conn.execute(select(tenders.c.admission_hash).where(tenders.c.id == tender.id))).scalar()
        await conn.execute(tenders.delete().where(tenders.c.id == tender.id))
        await conn.execute(
            tenders.insert().values(
                id=tender.id,
                title=tender.title,
                document=canonical_json(document),
                hash=digest,
                criteria_document=canonical_json(criteria.to_document()),
                criteria_hash=criteria.hash,
                concept_hash=concept_hash,
                source=str(path.resolve()),
                loaded_at=clock(),
                admission_hash=admission,
            )
        )
    return LoadedTender(tender, criteria, digest)
