"""Who may enter which auction: one-time invitation secrets exchanged for sessions, expiry and revocation.

An invitation link carries a secret that opens exactly one session, bound to one auction, one role and (for
bidders) one supplier. Only SHA-256 hashes of secrets are stored. The room keeps the session secret and uses it
for every reconnect; a lost session means a new invitation from the organiser (`auction invite`).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.storage.db import auctions, invitations, sessions
from qualification.common.errors import DieetveilingError


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Access:
    auction_id: str
    role: str  # "bidder" or "observer"
    supplier_id: str | None
    session_hash: str = ""


class AccessDenied(DieetveilingError):
    """A room or observer link, or a session, that does not open this auction; ``code`` says why
    (``invitation_expired``, ``session_other_auction``, …)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)


async def _known_auction(engine: AsyncEngine, auction_id: str) -> None:
    async with engine.connect() as conn:
        if (await conn.execute(select(auctions.c.id).where(auctions.c.id == auction_id))).first() is None:
            raise AccessDenied("unknown_auction", f"there is no auction {auction_id!r}")


async def exchange_invitation(
    engine: AsyncEngine, auction_id: str, token: str, role: str, now: int
) -> tuple[str, Access]:
    """Turn a one-time invitation secret into a session; returns (session secret, access)."""
    await _known_auction(engine, auction_id)
    token_hash = hash_secret(token)
    async with engine.begin() as conn:
        row = (await conn.execute(select(invitations).where(invitations.c.token_hash == token_hash))).first()
        if row is None or row.revoked or row.role != role:
            raise AccessDenied(
                "invalid_invitation", "this invitation link is not valid (mistyped, replaced or revoked)"
            )
        if row.auction_id != auction_id:
            raise AccessDenied("invitation_other_auction", "this invitation belongs to another auction")
        if now >= row.expires_at:
            raise AccessDenied(
                "invitation_expired", "this invitation link has expired; ask the organiser for a new one"
            )
        # Mark used in the same statement that checks it, so two simultaneous exchanges cannot both succeed.
        used = await conn.execute(
            update(invitations)
            .where(invitations.c.token_hash == token_hash, invitations.c.used_at.is_(None))
            .values(used_at=now)
        )
        if used.rowcount != 1:
            # Used before. If the session it opened never connected (the answer was lost: a dropped line, a
            # server restart), the link may open a new one and the unused session is retired.
            retired = await conn.execute(
                update(sessions)
                .where(
                    sessions.c.invitation_hash == token_hash,
                    sessions.c.connected_at.is_(None),
                    sessions.c.revoked.is_(False),
                )
                .values(revoked=True)
            )
            if retired.rowcount == 0:
                raise AccessDenied(
                    "invitation_used",
                    "this invitation link was already used to enter; reopen the room in the same browser, "
                    "or ask the organiser for a new link",
                )
        secret = secrets.token_urlsafe(32)
        await conn.execute(
            sessions.insert().values(
                session_hash=hash_secret(secret),
                auction_id=auction_id,
                role=role,
                supplier_id=row.supplier_id,
                invitation_hash=token_hash,
                created_at=now,
                expires_at=row.expires_at,
                revoked=False,
            )
        )
    return secret, Access(auction_id, role, row.supplier_id, hash_secret(secret))


async def check_session(engine: AsyncEngine, auction_id: str, secret: str, role: str, now: int) -> Access:
    """Who this session lets in, for this auction and role; :class:`AccessDenied` says why not."""
    await _known_auction(engine, auction_id)
    session_hash = hash_secret(secret)
    async with engine.connect() as conn:
        row = (await conn.execute(select(sessions).where(sessions.c.session_hash == session_hash))).first()
    if row is None or row.role != role:
        raise AccessDenied("invalid_session", "this session is not valid; open your invitation link again")
    if row.auction_id != auction_id:
        raise AccessDenied("session_other_auction", "this session belongs to another auction")
    if row.revoked:
        raise AccessDenied("session_revoked", "the organiser has revoked your access to this auction")
    if now >= row.expires_at:
        raise AccessDenied("session_expired", "your access to this auction has expired")
    if row.connected_at is None:
        await mark_connected(engine, session_hash, now)
    return Access(auction_id, role, row.supplier_id, session_hash)


async def mark_connected(engine: AsyncEngine, session_hash: str, now: int) -> None:
    """The session is in use: from now on its invitation link cannot open another one."""
    async with engine.begin() as conn:
        await conn.execute(
            update(sessions)
            .where(sessions.c.session_hash == session_hash, sessions.c.connected_at.is_(None))
            .values(connected_at=now)
        )


async def revoke(engine: AsyncEngine, auction_id: str, supplier_id: str | None) -> int:
    """Revoke the invitations and sessions of one supplier (or every one) in an auction; returns sessions hit."""
    async with engine.begin() as conn:
        where_inv = invitations.c.auction_id == auction_id
        where_ses = sessions.c.auction_id == auction_id
        if supplier_id is not None:
            where_inv = where_inv & (invitations.c.supplier_id == supplier_id)
            where_ses = where_ses & (sessions.c.supplier_id == supplier_id)
        await conn.execute(update(invitations).where(where_inv).values(revoked=True))
        result = await conn.execute(update(sessions).where(where_ses).values(revoked=True))
        return int(result.rowcount)


async def barred_sessions(engine: AsyncEngine, now: int) -> set[str]:
    """Hashes of sessions that may no longer act (revoked or expired): open connections holding one are closed."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(sessions.c.session_hash).where(sessions.c.revoked.is_(True) | (sessions.c.expires_at <= now))
        )
        return {r[0] for r in rows}
