"""The configuration one auction runs with: the lot, the rules and the seats, fixed when the auction is created.

It is derived from the tender file (:func:`rules_from_tender`) and stored whole in the auction's first journal
event, so a replay needs nothing but the journal.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from auction.errors import InputError
from auction.money import PriceFormatError, parse_price
from auction.tender import Tender, parse_duration


@dataclass(frozen=True)
class Line:
    id: str
    description: str
    unit: str
    volume: int
    ceiling: int  # price units per unit of product


@dataclass(frozen=True)
class Seat:
    """A bidder's place in an auction. ``alias`` is what observers see; bidders see no one else at all."""

    bidder: str  # supplier id
    alias: str
    # The legal identity, from the frozen admission list: the contract names it. Never sent to bidders.
    name: str = ""
    kvk: str = ""
    agb: str = ""


@dataclass(frozen=True)
class InsurerShare:
    id: str
    name: str
    insured: int


@dataclass(frozen=True)
class AuctionConfig:
    auction_id: str
    tender_id: str
    tender_title: str
    lot_id: str
    lot_name: str
    practice: bool
    lines: tuple[Line, ...]
    price_decimals: int
    decrement_percent: str | None  # e.g. "0.5": at least 0.5 % below one's own previous total
    decrement_amount: int | None  # price units on the total
    extension_window_s: int
    extension_s: int
    max_extensions: int | None
    show_bidder_count: bool
    show_best_total: bool
    opens_at_ms: int
    duration_s: int
    seats: tuple[Seat, ...]
    insurers: tuple[InsurerShare, ...]
    contract_start: str
    contract_end: str
    admission_hash: str  # hash of the frozen admission list the seats come from
    standstill_s: int  # after an intention to award, losing bidders may object for this long
    on_downtime: str  # "extend": a server outage moves the close by its length; "keep": it does not
    concept_contract_version: str
    concept_contract_hash: str

    @property
    def ceiling_total(self) -> int:
        return sum(line.ceiling * line.volume for line in self.lines)

    def seat(self, bidder: str) -> Seat | None:
        for seat in self.seats:
            if seat.bidder == bidder:
                return seat
        return None

    def required_decrement(self, previous_total: int) -> int:
        """How much (price units on the total) a bidder must improve on its own previous total."""
        if self.decrement_amount is not None:
            return self.decrement_amount
        assert self.decrement_percent is not None
        return math.ceil(Decimal(previous_total) * Decimal(self.decrement_percent) / 100)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    # Fields added after journals were first written, with the value older journals meant (upcasting).
    LATER_FIELDS: ClassVar[dict[str, Any]] = {"on_downtime": "extend"}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuctionConfig:
        values = {**cls.LATER_FIELDS, **data}
        values["lines"] = tuple(Line(**line) for line in data["lines"])
        values["seats"] = tuple(Seat(**seat) for seat in data["seats"])
        values["insurers"] = tuple(InsurerShare(**ins) for ins in data["insurers"])
        return cls(**values)


def rules_from_tender(
    tender: Tender,
    lot_id: str,
    *,
    path: str = "tender",
    auction_id: str = "",
    practice: bool = False,
    opens_at_ms: int = 0,
    duration_s: int = 600,
    seats: tuple[Seat, ...] = (),
    admission_hash: str = "",
    concept_contract_hash: str = "",
) -> AuctionConfig:
    """Build the auction configuration for one lot; bad prices name the lot, line and field."""
    lot = tender.lot(lot_id)
    rules = tender.auction
    decimals = rules.price_decimals
    lines = []
    for index, line in enumerate(lot.lines):
        try:
            ceiling = parse_price(line.ceiling, decimals)
        except PriceFormatError as exc:
            raise InputError(
                f'{path}: lots (id "{lot.id}") → lines[{index}] (id "{line.id}") → ceiling', str(exc)
            ) from None
        if ceiling <= 0:
            raise InputError(f'{path}: lots (id "{lot.id}") → lines[{index}] (id "{line.id}") → ceiling', "must be > 0")
        lines.append(Line(line.id, line.description, line.unit, line.volume, ceiling))
    percent = rules.min_decrement.percent
    amount = None
    if percent is not None:
        try:
            value = Decimal(percent)
        except InvalidOperation:
            raise InputError(f"{path}: auction → min_decrement → percent", f"{percent!r} is not a number") from None
        if not value.is_finite() or not (Decimal(0) < value < Decimal(100)):
            raise InputError(f"{path}: auction → min_decrement → percent", "must be between 0 and 100")
    else:
        assert rules.min_decrement.amount is not None
        try:
            amount = parse_price(rules.min_decrement.amount, decimals)
        except PriceFormatError as exc:
            raise InputError(f"{path}: auction → min_decrement → amount", str(exc)) from None
        if amount <= 0:
            raise InputError(f"{path}: auction → min_decrement → amount", "must be > 0")
    return AuctionConfig(
        auction_id=auction_id,
        tender_id=tender.id,
        tender_title=tender.title,
        lot_id=lot.id,
        lot_name=lot.name,
        practice=practice,
        lines=tuple(lines),
        price_decimals=decimals,
        decrement_percent=percent,
        decrement_amount=amount,
        extension_window_s=parse_duration(rules.extension_window),
        extension_s=parse_duration(rules.extension),
        max_extensions=rules.max_extensions,
        show_bidder_count=rules.show_bidder_count,
        show_best_total=rules.show_best_total,
        opens_at_ms=opens_at_ms,
        duration_s=duration_s,
        seats=seats,
        insurers=tuple(InsurerShare(i.id, i.name, i.insured) for i in tender.insurers),
        contract_start=tender.contract_period.start.isoformat(),
        contract_end=tender.contract_period.end.isoformat(),
        admission_hash=admission_hash,
        standstill_s=parse_duration(tender.award.standstill),
        on_downtime=rules.on_downtime,
        concept_contract_version=tender.concept_contract.version,
        concept_contract_hash=concept_contract_hash,
    )
