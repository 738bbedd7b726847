"""The organiser's steps, as functions over the database. The CLI and the web app both call these.

Order of the steps (each refuses to run out of order, saying what must come first):
init → load tender → open responses → load responses → qualify → review → freeze admission → schedule auctions
→ invite → (serve / run) → award. The qualification steps are in :mod:`auction.qualification_steps`.
"""

from __future__ import annotations

import dataclasses
import json
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.access import hash_secret
from auction.clock import Clock, system_clock
from auction.contracts import project_contracts
from auction.db import (
    auctions,
    create_schema,
    invitations,
    make_engine,
    settings,
    tenders,
)
from auction.errors import InputError, NotFound, StepOutOfOrder
from auction.hashing import canonical_json
from auction.messages import Create, Rejection
from auction.qualification_steps import (
    check_criteria_unchanged,
    current_criteria,
    stored_verdicts,
    supplier_names,
)
from auction.rules import AuctionConfig, Seat, rules_from_tender
from auction.runner import AuctionRunner, Outcome
from auction.settings import Settings
from auction.signing import Signer
from auction.sql_journal import SqlJournal
from auction.tender import Tender, canonical_hash, file_hash, load_tender
from qualification import (
    CriteriaSet,
    admission_list,
    load_criteria,
)


def journal_for(engine: AsyncEngine) -> SqlJournal:
    return SqlJournal(engine, projector=project_contracts)


# ---------------------------------------------------------------------------------------------- database


async def init_database(config: Settings) -> str:
    """Create the database (if new), the organiser's key and the server's signing key.

    Returns the organiser key (also written beside the database, readable by its owner only).
    """
    key = await _init_schema_and_organiser_key(config)
    await ensure_signing_key(config)
    return key


async def _init_schema_and_organiser_key(config: Settings) -> str:
    config.db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.database_url)
    try:
        await create_schema(engine)
        async with engine.begin() as conn:
            row = (await conn.execute(select(settings.c.value).where(settings.c.key == "organiser_key_hash"))).first()
            if row is not None and config.organiser_key_path.exists():
                return config.organiser_key_path.read_text().strip()
            key = secrets.token_urlsafe(24)
            if row is None:
                await conn.execute(settings.insert().values(key="organiser_key_hash", value=hash_secret(key)))
            else:
                await conn.execute(
                    update(settings).where(settings.c.key == "organiser_key_hash").values(value=hash_secret(key))
                )
        config.organiser_key_path.write_text(key + "\n")
        config.organiser_key_path.chmod(0o600)
        return key
    finally:
        await engine.dispose()


async def ensure_signing_key(config: Settings) -> Signer:
    """The server's Ed25519 key (created once, beside the database); its public half is stored in settings."""
    path = config.signing_key_path
    signer = Signer.load(path) if path.exists() else Signer.create(path)
    engine = make_engine(config.database_url)
    try:
        if await get_setting(engine, "signing_public_key") != signer.public_key:
            await put_setting(engine, "signing_public_key", signer.public_key)
        return signer
    finally:
        await engine.dispose()


async def get_setting(engine: AsyncEngine, key: str) -> str | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(settings.c.value).where(settings.c.key == key))).first()
    return None if row is None else str(row[0])


async def put_setting(engine: AsyncEngine, key: str, value: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(settings.delete().where(settings.c.key == key))
        await conn.execute(settings.insert().values(key=key, value=value))


# ------------------------------------------------------------------------------------------------ tender


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
                concept_hash=file_hash(path.parent / tender.concept_contract.file),
                source=str(path.resolve()),
                loaded_at=clock(),
                admission_hash=admission,
            )
        )
    return LoadedTender(tender, criteria, digest)


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


# Qualification lives in auction.qualification_steps; these names stay importable from here.
stored_criteria = current_criteria


# ------------------------------------------------------------------------------------------ auctions


@dataclass(frozen=True)
class TimingOverrides:
    """Compressed anti-sniping timings for a practice run or a demo; the rest of the rules stay the tender's."""

    extension_window_s: int | None = None
    extension_s: int | None = None
    max_extensions: int | None = None
    standstill_s: int | None = None

    def apply(self, config: AuctionConfig) -> AuctionConfig:
        changes = {k: v for k, v in dataclasses.asdict(self).items() if v is not None}
        return dataclasses.replace(config, **changes)


def auction_id_for(tender_id: str, lot_id: str, kind: str) -> str:
    return f"{tender_id}-{lot_id}-{kind}"


async def schedule_auction(
    engine: AsyncEngine,
    tender_id: str | None,
    lot_id: str,
    kind: str,
    opens_at_ms: int,
    duration_s: int,
    clock: Clock = system_clock,
    rng: random.Random | None = None,
    timing: TimingOverrides | None = None,
) -> str:
    """Create the auction for one lot: seats for the admitted suppliers (aliases in random order) with their
    quality scores, rules from the tender, the admission hash; written as the auction's first journal event."""
    if kind not in ("practice", "live"):
        raise InputError("--kind", "must be 'practice' or 'live'")
    if duration_s <= 0:
        raise InputError("--duration", "must be positive")
    tender = await get_tender(engine, tender_id)
    _check_lot(tender, lot_id)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(tenders.c.admission_hash, tenders.c.concept_hash).where(tenders.c.id == tender.id)
            )
        ).one()
        digest, concept_hash = row[0], row[1]
    verdicts = await stored_verdicts(engine, tender.id)
    admitted = admission_list(verdicts)
    if not digest:
        raise StepOutOfOrder(
            "the admission list is not frozen yet: run `auction qualify`, resolve reviews,"
            " then `auction admission freeze`"
        )
    if not admitted:
        raise StepOutOfOrder("no supplier was admitted: there is no one to invite")
    # The quality score weighs the ranked figure of a quality-weighted (MEAT) auction; it is frozen with the seat.
    scores = {v.supplier_id: quality_score_text(v.quality_score) for v in verdicts}
    # Aliases in a random order, so "Bieder A" says nothing about a supplier's name or file order.
    shuffled = list(admitted)
    (rng or random.SystemRandom()).shuffle(shuffled)
    seats = tuple(
        Seat(s["id"], f"Bieder {chr(ord('A') + i)}", s["name"], s["kvk"], s["agb"], scores.get(s["id"], ""))
        for i, s in enumerate(shuffled)
    )
    auction_id = auction_id_for(tender.id, lot_id, kind)
    config = rules_from_tender(
        tender,
        lot_id,
        auction_id=auction_id,
        practice=kind == "practice",
        opens_at_ms=opens_at_ms,
        duration_s=duration_s,
        seats=tuple(sorted(seats, key=lambda s: s.alias)),
        admission_hash=digest,
        concept_contract_hash=concept_hash,
    )
    if timing is not None:
        config = timing.apply(config)
    return await create_auction(engine, config, kind, clock)


def quality_score_text(score: Decimal | None) -> str:
    """A verdict's quality score as a seat carries it: two decimals ("88.00"); "" when nothing was scored."""
    return "" if score is None else f"{score:.2f}"


def _check_lot(tender: Tender, lot_id: str) -> None:
    try:
        tender.lot(lot_id)
    except KeyError:
        raise InputError(
            "--lot",
            f"tender {tender.id} has no lot {lot_id!r} (lots: {', '.join(lot.id for lot in tender.lots)})",
        ) from None


async def create_auction(engine: AsyncEngine, config: AuctionConfig, kind: str, clock: Clock = system_clock) -> str:
    """Register the auction and write its configuration as the first event of its own journal stream."""
    auction_id = config.auction_id
    async with engine.begin() as conn:
        if (await conn.execute(select(auctions.c.id).where(auctions.c.id == auction_id))).first():
            raise StepOutOfOrder(f"auction {auction_id} already exists")
        await conn.execute(
            auctions.insert().values(
                id=auction_id, tender_id=config.tender_id, lot_id=config.lot_id, kind=kind, created_at=clock()
            )
        )
    runner = AuctionRunner(auction_id, journal_for(engine), clock)
    outcome = await runner.process(Create(config))
    if outcome.rejection is not None:  # pragma: no cover - a fresh stream always accepts Create
        raise StepOutOfOrder(outcome.rejection.message)
    return auction_id


@dataclass(frozen=True)
class ScheduledLot:
    auction_id: str
    config: AuctionConfig


async def schedule_lots(
    engine: AsyncEngine,
    tender_id: str | None,
    lot_ids: Sequence[str],
    kind: str,
    opens_at_ms: int,
    duration_s: int,
    *,
    stagger_s: int = 0,
    clock: Clock = system_clock,
    timing: TimingOverrides | None = None,
) -> list[ScheduledLot]:
    """Schedule several lots (default: every lot, in the tender's order). They open together; with
    ``stagger_s`` the k-th lot (from 0) runs ``duration_s + k × stagger_s``, so the lots close one after another.

    Every lot is checked before any auction is created, so a mistake in the list creates none.
    """
    if stagger_s < 0:
        raise InputError("--stagger", "must be 0 or more")
    tender = await get_tender(engine, tender_id)
    chosen = list(lot_ids) or [lot.id for lot in tender.lots]
    repeated = sorted({lot for lot in chosen if chosen.count(lot) > 1})
    if repeated:
        raise InputError("--lot", f"named more than once: {', '.join(repeated)}")
    for lot_id in chosen:
        _check_lot(tender, lot_id)
    if stagger_s and len(chosen) > 1 and tender.auction.format != "english":
        raise InputError(
            "--stagger",
            f"a {tender.auction.format} auction closes by its own rule (levels or turns), not after its duration;"
            " schedule the lots with different --opens-at instead",
        )
    async with engine.connect() as conn:
        ids = [auction_id_for(tender.id, lot_id, kind) for lot_id in chosen]
        existing = (await conn.execute(select(auctions.c.id).where(auctions.c.id.in_(ids)))).scalars().all()
    if existing:
        raise StepOutOfOrder(f"already scheduled: {', '.join(sorted(existing))}; nothing was scheduled")
    scheduled = []
    for k, lot_id in enumerate(chosen):
        duration = duration_s + k * stagger_s
        auction_id = await schedule_auction(
            engine, tender.id, lot_id, kind, opens_at_ms, duration, clock=clock, timing=timing
        )
        runner = await load_runner(engine, auction_id, clock)
        scheduled.append(ScheduledLot(auction_id, runner.state.cfg))
    return scheduled


@dataclass(frozen=True)
class AuctionRow:
    id: str
    tender_id: str
    lot_id: str
    kind: str


async def list_auctions(engine: AsyncEngine, tender_id: str | None = None) -> list[AuctionRow]:
    query = select(auctions).order_by(auctions.c.tender_id, auctions.c.kind.desc(), auctions.c.lot_id)
    if tender_id is not None:
        query = query.where(auctions.c.tender_id == tender_id)
    async with engine.connect() as conn:
        return [AuctionRow(r.id, r.tender_id, r.lot_id, r.kind) for r in await conn.execute(query)]


async def get_auction(engine: AsyncEngine, auction_id: str) -> AuctionRow:
    async with engine.connect() as conn:
        row = (await conn.execute(select(auctions).where(auctions.c.id == auction_id))).first()
    if row is None:
        raise NotFound(f"no auction {auction_id!r} (see `auction auctions`)")
    return AuctionRow(row.id, row.tender_id, row.lot_id, row.kind)


def load_signer(config: Settings) -> Signer | None:
    return Signer.load(config.signing_key_path) if config.signing_key_path.exists() else None


async def load_runner(
    engine: AsyncEngine, auction_id: str, clock: Clock = system_clock, signer: Signer | None = None
) -> AuctionRunner:
    await get_auction(engine, auction_id)
    runner = AuctionRunner(auction_id, journal_for(engine), clock, signer)
    await runner.load()
    return runner


# ------------------------------------------------------------------------------------------ invitations


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


# ---------------------------------------------------------------------------------------------- award


def outcome_summary(outcome: Outcome) -> dict[str, Any]:
    if outcome.rejection is not None:
        r: Rejection = outcome.rejection
        return {"ok": False, "code": r.code, "message": r.message, "details": r.details}
    return {"ok": True, "entries": [{"seq": e.seq, "type": e.type, "hash": e.hash} for e in outcome.entries]}
