"""Assembling the :class:`~auction.records.ProcurementRecord` from the database, and writing what is published.

Everything is read back from the stored tender, responses, verdicts and the auctions' journals; the journal
is folded with the same ``evolve`` as everywhere else, so documents and exports say what the journal says.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.documents.records import (
    AwardRecord,
    AwardStatus,
    BidRecord,
    LotOutcome,
    Objection,
    Offer,
    ProcurementRecord,
    SupplierIdentity,
)
from auction.rules.core import INITIAL, evolve
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AuctionClosed,
    AuctionOpened,
    AwardIntended,
    AwardMadeDefinitive,
    AwardWithheld,
    BidAccepted,
    ContractSigned,
)
from auction.rules.money import format_price
from auction.steps.auctions import list_auctions
from auction.steps.qualification import stored_responses, stored_verdicts
from auction.steps.tender_stream import current_criteria as stored_criteria
from auction.storage.db import publications, tenders
from auction.storage.sql_journal import journal_for
from auction.storage.tenders import get_tender
from qualification.common.errors import StepOutOfOrder

AWARD_STATUS: dict[Phase, AwardStatus] = {
    Phase.INTENDED: "intended",
    Phase.DEFINITIVE: "definitive",
    Phase.SIGNED: "signed",
    Phase.NO_AWARD: "withheld",
}


async def procurement_record(
    engine: AsyncEngine, tender_id: str | None, public_url: str, clock: Clock = system_clock
) -> ProcurementRecord:
    """The whole procurement as plain data, for letters, the award notice, OCDS and CSV exports."""
    tender = await get_tender(engine, tender_id)
    responses = await stored_responses(engine, tender.id)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(tenders.c.admission_hash, tenders.c.concept_hash).where(tenders.c.id == tender.id)
            )
        ).one()
    lots: list[LotOutcome] = []
    bids: list[BidRecord] = []
    for auction in await list_auctions(engine, tender.id):
        if auction.kind != "live":
            continue  # practice auctions never reach documents or exports
        outcome, lot_bids = await _lot_outcome(engine, auction.id, tender.lot(auction.lot_id))
        lots.append(outcome)
        bids.extend(lot_bids)
    return ProcurementRecord(
        tender=tender,
        criteria=await stored_criteria(engine, tender.id),
        responses=tuple(responses),
        verdicts=tuple(await stored_verdicts(engine, tender.id)),
        suppliers={
            r.supplier.id: SupplierIdentity(r.supplier.id, r.supplier.name, r.supplier.kvk, r.supplier.agb)
            for r in responses
        },
        admission_hash=row[0] or "",
        concept_contract_version=tender.concept_contract.version,
        concept_contract_hash=row[1],
        lots=tuple(sorted(lots, key=lambda lot: lot.lot.id)),
        bids=tuple(bids),
        public_url=public_url,
        generated_at=clock(),
    )


async def _lot_outcome(engine: AsyncEngine, auction_id: str, lot: Any) -> tuple[LotOutcome, list[BidRecord]]:
    entries = await journal_for(engine).read(auction_id)
    state = INITIAL
    opened_at = closed_at = None
    intended: AwardIntended | None = None
    definitive: AwardMadeDefinitive | None = None
    withheld: AwardWithheld | None = None
    signed: tuple[int, ContractSigned] | None = None
    accepted: list[tuple[int, str, BidAccepted]] = []
    bids_per_bidder: dict[str, int] = {}
    for entry in entries:
        event = entry.event()
        state = evolve(state, event)
        if isinstance(event, AuctionOpened):
            opened_at = event.at
        elif isinstance(event, AuctionClosed):
            closed_at = event.at
        elif isinstance(event, BidAccepted):
            accepted.append((entry.seq, entry.hash, event))
            bids_per_bidder[event.bidder] = bids_per_bidder.get(event.bidder, 0) + 1
        elif isinstance(event, AwardIntended):
            intended, definitive, withheld = event, None, None
        elif isinstance(event, AwardMadeDefinitive):
            definitive = event
        elif isinstance(event, AwardWithheld):
            withheld = event
        elif isinstance(event, ContractSigned):
            signed = (event.at, event)
    cfg = state.cfg
    d = cfg.price_decimals
    aliases = {seat.bidder: seat.alias for seat in cfg.seats}
    quality = {seat.bidder: seat.quality_score for seat in cfg.seats}
    offers = tuple(
        Offer(
            rank=rank,
            supplier_id=bidder,
            alias=aliases[bidder],
            total=format_price(bid.total, d),
            prices={line: format_price(units, d) for line, units in bid.prices.items()},
            bid_id=bid.bid_id,
            at=bid.at,
            bids_placed=bids_per_bidder[bidder],
            ranked=format_price(bid.ranked, d) if cfg.meat_formula is not None else "",
            quality_score=quality[bidder] if cfg.meat_formula is not None else "",
        )
        for rank, (bidder, bid) in enumerate(state.ranking(), start=1)
    )
    final_ids = {bid.bid_id for bid in state.standing.values()}
    lot_bids = [
        BidRecord(
            auction_id=auction_id,
            lot_id=cfg.lot_id,
            supplier_id=event.bidder,
            bid_id=event.bid_id,
            seq=seq,
            entry_hash=digest,
            at=event.at,
            total=format_price(event.total, d),
            prices={line: format_price(units, d) for line, units in event.prices.items()},
            entered_by=event.entered_by,
            final=event.bid_id in final_ids,
        )
        for seq, digest, event in accepted
    ]
    award = None
    status = AWARD_STATUS.get(state.phase)
    if status is not None:
        decided = withheld if status == "withheld" and withheld is not None else intended
        assert decided is not None
        award = AwardRecord(
            status=status,
            reason=decided.reason,
            intended_at=decided.at,
            rank_chosen=intended.rank if intended is not None and status != "withheld" else None,
            contract=state.contract,
            standstill_ends=state.standstill_ends,
            objections=tuple(Objection(bidder, at, text) for bidder, text, at in state.objections),
            definitive_at=definitive.at if definitive else None,
            definitive_reason=definitive.reason if definitive else None,
            signed_at=signed[0] if signed else None,
            signatory=signed[1].signatory if signed else None,
            signed_on=signed[1].signed_on if signed else None,
        )
    head = entries[-1]
    outcome = LotOutcome(
        auction_id=auction_id,
        lot=lot,
        phase=str(state.phase),
        opened_at=opened_at,
        closed_at=closed_at,
        offers=offers,
        bid_count=state.bid_count,
        award=award,
        journal_head_seq=head.seq,
        journal_head_hash=head.hash,
    )
    return outcome, lot_bids


def bids_csv(record: ProcurementRecord) -> str:
    """Every accepted live bid, one row each, for the organiser's own analysis (names included: organiser-only)."""
    lines_by_lot = {lot.id: [line.id for line in lot.lines] for lot in record.tender.lots}
    all_lines = [line for lot in record.tender.lots for line in lines_by_lot[lot.id]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["auction_id", "lot_id", "seq", "time_utc_ms", "supplier_id", "supplier_name", "bid_id", "total", "final",
         "entered_by", "entry_hash", *(f"price_{line}" for line in all_lines)]
    )  # fmt: skip
    for bid in record.bids:
        supplier = record.suppliers.get(bid.supplier_id)
        writer.writerow(
            [bid.auction_id, bid.lot_id, bid.seq, bid.at, bid.supplier_id, supplier.name if supplier else "",
             bid.bid_id, bid.total, "yes" if bid.final else "no", bid.entered_by, bid.entry_hash,
             *(bid.prices.get(line, "") for line in all_lines)]
        )  # fmt: skip
    return out.getvalue()


def public_part(record: ProcurementRecord) -> ProcurementRecord:
    """Only the lots whose award is definitive or signed: what may be published."""
    public = tuple(lot for lot in record.lots if lot.award is not None and lot.award.status in ("definitive", "signed"))
    return dataclasses.replace(record, lots=public)


async def publish_notice(
    engine: AsyncEngine, record: ProcurementRecord, key: str | None, clock: Clock = system_clock
) -> dict[str, Any]:
    """Store the public award notice (Dutch and English) for the server to show, and record its hash in the
    journal of every lot it announces. Refused while no award is definitive."""
    from auction.documents.award import award_notice
    from auction.steps.control import apply_control

    public = public_part(record)
    if not public.lots:
        raise StepOutOfOrder("no award is definitive yet: make it definitive after the standstill, then publish")
    url = f"{record.public_url}/notice/{record.tender.id}"
    stored: dict[str, str] = {}
    async with engine.begin() as conn:
        for language in ("nl", "en"):
            html = award_notice(public, language).html
            digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
            await conn.execute(
                publications.delete().where(
                    publications.c.tender_id == record.tender.id, publications.c.language == language
                )
            )
            await conn.execute(
                publications.insert().values(
                    tender_id=record.tender.id, language=language, html=html, hash=digest, published_at=clock()
                )
            )
            stored[language] = digest
    results = {}
    for lot in public.lots:
        results[lot.auction_id] = await apply_control(
            engine,
            lot.auction_id,
            "publish",
            "award notice published",
            key,
            {"notice_hash": stored["nl"], "url": url},
        )
    return {"url": url, "hashes": stored, "lots": results}


async def published_notice(engine: AsyncEngine, tender_id: str, language: str) -> str | None:
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(publications.c.html).where(
                    publications.c.tender_id == tender_id, publications.c.language == language
                )
            )
        ).first()
    return None if row is None else str(row[0])


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
