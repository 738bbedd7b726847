"""A read-only picture of a whole procurement, for documents and exports (letters, award notice, OCDS, CSV).

Built from the database by :func:`auction.publication.procurement_record`; the document and export modules
take it as plain data and never touch the database themselves.

Money is a decimal string in euros (``"1234567.80"``); times are integer milliseconds since the epoch (UTC);
dates are ISO strings (``"2027-01-01"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from auction.tender.file import Lot, Tender
from qualification.criteria import CriteriaSet
from qualification.evaluation import Verdict
from qualification.responses import SupplierResponse

AwardStatus = Literal["intended", "definitive", "signed", "withheld"]


@dataclass(frozen=True)
class SupplierIdentity:
    id: str
    name: str  # legal name
    kvk: str  # Chamber of Commerce number, 8 digits
    agb: str  # AGB code, 8 digits


@dataclass(frozen=True)
class Offer:
    """One bidder's final offer in a live auction (its last accepted bid)."""

    rank: int  # 1 = best (lowest ranked figure: the total, or with MEAT the quality-weighted total; ties: earlier)
    supplier_id: str
    alias: str  # "Bieder A" …: what observers saw
    total: str  # volume-weighted total per year, euros
    prices: dict[str, str]  # line id -> price per unit, euros
    bid_id: str
    at: int
    bids_placed: int  # how many bids this bidder placed in the auction
    ranked: str = ""  # quality-weighted auctions (MEAT): the figure the rank follows, euros; else empty
    quality_score: str = ""  # MEAT: the bidder's quality score the ranked figure used


@dataclass(frozen=True)
class Objection:
    supplier_id: str
    received_at: int
    text: str


@dataclass(frozen=True)
class AwardRecord:
    """Where the award of one lot stands: intention → (standstill, objections) → definitive → signed."""

    status: AwardStatus
    reason: str  # the organiser's written reason for the intention (or for withholding)
    intended_at: int
    rank_chosen: int | None  # 1 normally; > 1 when the better-ranked were passed over (with reason); None if withheld
    contract: dict[str, Any] | None  # the contract record (docs/contract.md); None when withheld
    standstill_ends: int | None  # objections until then; definitive only after it
    objections: tuple[Objection, ...]
    definitive_at: int | None
    definitive_reason: str | None
    signed_at: int | None
    signatory: str | None
    signed_on: str | None  # the date on the signed contract


@dataclass(frozen=True)
class LotOutcome:
    """The live auction of one lot and what came of it."""

    auction_id: str
    lot: Lot
    phase: str  # the auction's phase (open, closed, intended, definitive, signed, no_award, …)
    opened_at: int | None
    closed_at: int | None
    offers: tuple[Offer, ...]  # final offers, best first
    bid_count: int
    award: AwardRecord | None
    journal_head_seq: int  # the auction journal's last entry: lets anyone check an export of the log
    journal_head_hash: str


@dataclass(frozen=True)
class BidRecord:
    """Every accepted bid of every live auction, in journal order (organiser-only data)."""

    auction_id: str
    lot_id: str
    supplier_id: str
    bid_id: str
    seq: int  # journal sequence number of the entry holding the bid
    entry_hash: str
    at: int
    total: str
    prices: dict[str, str]
    entered_by: str  # "bidder", or "organiser" for a bid taken by phone
    final: bool  # True for the bidder's last bid in that auction (the one that ranks)


@dataclass(frozen=True)
class ProcurementRecord:
    tender: Tender
    criteria: CriteriaSet
    responses: tuple[SupplierResponse, ...]
    verdicts: tuple[Verdict, ...]
    suppliers: dict[str, SupplierIdentity]  # every supplier that responded, by id
    admission_hash: str
    concept_contract_version: str
    concept_contract_hash: str  # SHA-256 of the concept contract file
    lots: tuple[LotOutcome, ...]  # live auctions only; practice auctions never appear here
    bids: tuple[BidRecord, ...]  # live auctions only
    public_url: str  # where the server publishes the award notice, e.g. http://127.0.0.1:8000
    generated_at: int
