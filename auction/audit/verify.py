"""Verifying one auction from the database: the journal replay plus the records kept beside it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.audit.replay import ReplayReport, contract_matches, replay
from auction.clock import to_iso
from auction.rules.money import format_euro, parse_price
from auction.storage.contracts import stored_contract
from auction.storage.db import tenders
from auction.storage.server_settings import get_setting
from auction.storage.sql_journal import journal_for


@dataclass
class AuditReport:
    auction_id: str
    replay: ReplayReport
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        state = self.replay.state
        head = f"{self.auction_id}: {self.replay.entries_checked} entries checked"
        if state.config is not None:
            head += f", phase {state.phase}, {state.bid_count} bids"
            if state.closes_at:
                head += f", closes {to_iso(state.closes_at)}"
        out = [head]
        if state.contract is not None and state.config is not None:
            decimals = state.config.price_decimals
            total = format_euro(parse_price(state.contract["total_per_year"], decimals), decimals)
            supplier = state.contract["supplier"]
            out.append(f"  contract ({state.phase}): {supplier['name']} [{supplier['id']}], {total} per year")
        out.extend(f"  FAILED: {p}" for p in self.problems)
        if self.ok:
            signed = f", {self.replay.signatures_checked} signature(s) valid" if self.replay.signatures_checked else ""
            out.append(f"  OK: hash chain intact{signed}, every bid within the rules, outcome follows from the bids")
        return out


async def verify_auction(engine: AsyncEngine, auction_id: str) -> AuditReport:
    entries = await journal_for(engine).read(auction_id)
    # Signatures must be the key this database's server signs with, not merely some valid key.
    result = replay(auction_id, entries, public_key=await get_setting(engine, "signing_public_key"))
    report = AuditReport(auction_id, result)
    if result.problem is not None:
        report.problems.append(result.problem)
        return report
    mismatch = contract_matches(result, await stored_contract(engine, auction_id))
    if mismatch:
        report.problems.append(mismatch)
    cfg = result.state.config
    if cfg is not None:
        async with engine.connect() as conn:
            admission = (
                await conn.execute(select(tenders.c.admission_hash).where(tenders.c.id == cfg.tender_id))
            ).scalar()
        if admission != cfg.admission_hash:
            report.problems.append("the auction's seats do not come from the tender's current admission list")
    return report


async def check_receipts(engine: AsyncEngine, receipts: Any) -> list[str]:
    """Each receipt a bidder holds must name a BidAccepted entry with that hash, bid id and time."""
    if not isinstance(receipts, list):
        return ["the receipts file must hold a JSON list of bid_accepted messages"]
    problems = []
    journals: dict[str, dict[int, Any]] = {}
    for number, receipt in enumerate(receipts, start=1):
        try:
            stream, seq = str(receipt["auction_id"]), int(receipt["seq"])
            if stream not in journals:
                journals[stream] = {e.seq: e for e in await journal_for(engine).read(stream)}
            entry = journals[stream].get(seq)
            if entry is None:
                problems.append(f"receipt {number}: {stream} has no entry #{seq}")
            elif entry.hash != receipt["entry_hash"]:
                problems.append(f"receipt {number}: entry #{seq} of {stream} has another hash: it was changed")
            elif entry.type != "BidAccepted" or entry.payload.get("bid_id") != receipt["bid_id"]:
                problems.append(f"receipt {number}: entry #{seq} of {stream} is not bid {receipt['bid_id']!r}")
            elif entry.recorded_at != receipt["server_time"]:
                problems.append(f"receipt {number}: entry #{seq} was recorded at another time")
        except (KeyError, TypeError, ValueError):
            problems.append(f"receipt {number}: not a bid_accepted message (auction_id, seq, entry_hash, bid_id, …)")
    return problems
