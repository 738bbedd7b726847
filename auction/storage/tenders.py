"""The loaded tender, read back from the tenders table."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.storage.db import tenders
from auction.tender.file import Tender
from qualification.common.errors import NotFound


async def get_tender(engine: AsyncEngine, tender_id: str | None = None) -> Tender:
    """The tender with this id, or the only tender when there is just one."""
    async with engine.connect() as conn:
        if tender_id is None:
            rows = (await conn.execute(select(tenders.c.document))).all()
            if not rows:
                raise NotFound("no tender loaded yet: run `auction tender load FILE` first")
            if len(rows) > 1:
                raise NotFound("several tenders are loaded: name one with --tender")
            document = rows[0][0]
        else:
            row = (await conn.execute(select(tenders.c.document).where(tenders.c.id == tender_id))).first()
            if row is None:
                raise NotFound(f"no tender {tender_id!r}: run `auction tender load FILE` first")
            document = row[0]
    return Tender.model_validate(json.loads(document))
