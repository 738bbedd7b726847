"""Scheduling the practice and live auction of each lot, and finding them again.

Order of the organiser's steps (each refuses to run out of order, saying what must come first):
init → load tender → open responses → load responses → qualify → review → freeze admission → schedule auctions
→ invite → (serve / run) → award. Each step has its module in :mod:`auction.steps`.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.journal.signing import Signer
from auction.live.runner import AuctionRunner
from auction.rules.config import AuctionConfig, Seat
from auction.rules.messages import Create
from auction.steps.qualification import stored_verdicts
from auction.storage.db import auctions, tenders
from auction.storage.sql_journal import journal_for
from auction.storage.tenders import get_tender
from auction.tender.auction_rules import rules_from_tender
from auction.tender.file import Tender
from qualification.admission import admission_list
from qualification.common.errors import InputError, NotFound, StepOutOfOrder

# ---------------------------------------------------------------------------------------------- database


# ------------------------------------------------------------------------------------------------ tender


# ------------------------------------------------------------------------------------------ auctions


@dataclass(frozen=True)
class TimingOverrides:
    """Compressed anti-sniping timings and standstill for a practice auction (never a live one, which runs by the
    published tender); the rest of the rules stay the tender's."""

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
    if kind == "live" and timing is not None and timing != TimingOverrides():
        raise InputError(
            "--extension-window/--extension/--max-extensions/--standstill",
            "timing overrides are for practice auctions only: a live auction runs by the published tender "
            "(change the tender's timings through a clarification notice)",
        )
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


async def load_runner(
    engine: AsyncEngine, auction_id: str, clock: Clock = system_clock, signer: Signer | None = None
) -> AuctionRunner:
    await get_auction(engine, auction_id)
    runner = AuctionRunner(auction_id, journal_for(engine), clock, signer)
    await runner.load()
    return runner


# ------------------------------------------------------------------------------------------ invitations


# ---------------------------------------------------------------------------------------------- award
