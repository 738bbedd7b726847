"""Invitations: one personal, one-time room link per admitted supplier and observer link per insurer."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.steps.auctions import load_runner
from auction.steps.qualification import supplier_names
from auction.storage.access import hash_secret
from auction.storage.db import invitations
from auction.storage.tenders import get_tender


@dataclass(frozen=True)
class Invitation:
    auction_id: str
    role: str  # "bidder" or "observer"
    holder: str  # supplier id, or insurer id for observers
    holder_name: str
    token: str
    url: str


DEFAULT_INVITATION_VALIDITY_S = 30 * 86400


async def invite(
    engine: AsyncEngine,
    auction_id: str,
    base_url: str,
    clock: Clock = system_clock,
    valid_for_s: int = DEFAULT_INVITATION_VALIDITY_S,
) -> list[Invitation]:
    """Issue fresh invitations for every seat and an observer link per insurer; earlier ones are revoked.

    Each link's secret is one-time (it opens one session) and expires after ``valid_for_s``. Secrets are
    returned once, here, and stored only as hashes.
    """
    runner = await load_runner(engine, auction_id, clock)
    cfg = runner.state.cfg
    names = await supplier_names(engine, cfg.tender_id)
    tender = await get_tender(engine, cfg.tender_id)
    issued: list[Invitation] = []
    now = clock()
    async with engine.begin() as conn:
        await conn.execute(update(invitations).where(invitations.c.auction_id == auction_id).values(revoked=True))
        for seat in cfg.seats:
            token = secrets.token_urlsafe(24)
            await conn.execute(
                invitations.insert().values(
                    token_hash=hash_secret(token),
                    auction_id=auction_id,
                    role="bidder",
                    supplier_id=seat.bidder,
                    created_at=now,
                    revoked=False,
                    expires_at=now + valid_for_s * 1000,
                )
            )
            issued.append(
                Invitation(
                    auction_id,
                    "bidder",
                    seat.bidder,
                    names.get(seat.bidder, seat.bidder),
                    token,
                    f"{base_url}/room/{auction_id}#token={token}",
                )
            )
        for insurer in tender.insurers:
            token = secrets.token_urlsafe(24)
            await conn.execute(
                invitations.insert().values(
                    token_hash=hash_secret(token),
                    auction_id=auction_id,
                    role="observer",
                    supplier_id=None,
                    created_at=now,
                    revoked=False,
                    expires_at=now + valid_for_s * 1000,
                )
            )
            issued.append(
                Invitation(
                    auction_id,
                    "observer",
                    insurer.id,
                    insurer.name,
                    token,
                    f"{base_url}/observe/{auction_id}#token={token}",
                )
            )
    return issued
