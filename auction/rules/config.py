"""The configuration one auction runs with: the lot, the rules and the seats, fixed when the auction is created.

It is derived from the tender file (:func:`auction.tender.auction_rules.rules_from_tender`) and stored whole in the
auction's first journal event, so a replay needs nothing but the journal.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, ClassVar


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
    # Quality-weighted auctions (MEAT): the qualification's quality score ("88.00"), frozen with the admission.
    quality_score: str = ""


@dataclass(frozen=True)
class Level:
    """One announced price level of a Japanese or Dutch auction: every line at ``percent`` of its ceiling."""

    index: int
    percent: str  # e.g. "97.5"
    prices: dict[str, int]  # line id -> price units
    total: int


def price_levels(cfg: AuctionConfig) -> tuple[Level, ...]:
    """Levels from the ceiling down to the floor (Japanese) or from the floor up to the ceiling (Dutch).

    Each line's price is its ceiling × percent, rounded half to even to whole price units, and at least one unit.
    A step whose rounded prices equal the previous level's is skipped, so every level really changes the price.
    """
    if not cfg.by_levels:
        return ()
    step = Decimal(cfg.level_step_percent)
    floor = Decimal(cfg.level_floor_percent)
    percents: list[Decimal] = []
    current = Decimal(100)
    while current >= floor:
        percents.append(current)
        current -= step
    if percents[-1] != floor:
        percents.append(floor)
    if cfg.format == "dutch":
        percents.reverse()
    levels: list[Level] = []
    for percent in percents:
        # A price is never below one unit (a bid of 0 is refused): a tiny ceiling at a low level stays at 0.01.
        prices = {line.id: max(1, round(Fraction(line.ceiling) * Fraction(percent) / 100)) for line in cfg.lines}
        if levels and prices == levels[-1].prices:
            continue
        total = sum(prices[line.id] * line.volume for line in cfg.lines)
        levels.append(Level(len(levels), f"{percent.normalize():f}", prices, total))
    return tuple(levels)


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
    # Added with the auction formats (issue 4). The defaults are what journals written before meant.
    format: str = "english"  # "english", "japanese", "dutch" or "rounds"
    decrement_basis: str = "own"  # "own": against one's own previous bid; "best": against the best offer
    ties: str = "by_time"  # "by_time": equal figures rank by time; "refused": an equal bid is refused
    bid_lines: str = "all"  # "all": every bid prices every line; "changed": later bids may name changed lines only
    reserve_total: int | None = None  # undisclosed reserve on the total (price units); never sent to bidders
    far_below_percent: str | None = None  # the room asks to confirm a bid this far below its reference
    closing: str = "fixed"  # "fixed": at the closing time; "quiet": quiet_period_s after the last valid bid
    quiet_period_s: int = 0
    extension_trigger: str = "lead"  # "improving", "lead" or "top_k"
    extension_top_k: int = 3
    extension_from: str = "bid"  # the extension counts from the triggering bid ("bid") or the current close
    show_ladder: bool = False  # bidders see every offer, anonymised
    sealed: bool = False  # bidders see their own bids only
    level_step_percent: str = "1"  # Japanese and Dutch: the step between levels, in percent of the ceiling
    level_interval_s: int = 30
    level_floor_percent: str = "50"  # Japanese: the lowest level; Dutch: the first level
    rounds: int = 3  # fixed-turn rounds
    turn_s: int = 120
    initial_offers_s: int = 600
    meat_formula: str | None = None  # None, "factor" or "bonus"
    meat_max_discount_percent: str | None = None  # factor: the discount at a quality score of 100
    meat_bonus_per_point: int | None = None  # bonus: price units off the ranked figure per quality point

    @property
    def ceiling_total(self) -> int:
        return sum(line.ceiling * line.volume for line in self.lines)

    @property
    def by_levels(self) -> bool:
        """Japanese and Dutch auctions: bidders accept announced price levels instead of typing prices."""
        return self.format in ("japanese", "dutch")

    @cached_property
    def levels(self) -> tuple[Level, ...]:
        """The announced price levels in the order they are offered (Japanese: falling; Dutch: rising)."""
        return price_levels(self)

    @cached_property
    def _meat(self) -> dict[str, Fraction]:
        """Each bidder's own MEAT weight: the factor (formula "factor") or the bonus in units ("bonus")."""
        weights: dict[str, Fraction] = {}
        for seat in self.seats:
            score = Fraction(Decimal(seat.quality_score or "0"))
            if self.meat_formula == "factor":
                assert self.meat_max_discount_percent is not None
                weights[seat.bidder] = 1 - Fraction(Decimal(self.meat_max_discount_percent)) / 100 * score / 100
            elif self.meat_formula == "bonus":
                assert self.meat_bonus_per_point is not None
                weights[seat.bidder] = self.meat_bonus_per_point * score
        return weights

    def meat_weight(self, bidder: str) -> Fraction | None:
        return self._meat.get(bidder)

    def ranked_figure(self, bidder: str, total: int) -> int:
        """The figure bids are ranked by (lower is better): the total, or with MEAT the quality-weighted total,
        rounded half to even to whole price units."""
        if self.meat_formula is None:
            return total
        weight = self._meat[bidder]
        if self.meat_formula == "factor":
            return round(total * weight)
        return total - round(weight)

    def max_total_for_ranked(self, bidder: str, ranked: int) -> int:
        """The highest total whose ranked figure is at most ``ranked`` (the inverse of :meth:`ranked_figure`)."""
        if self.meat_formula is None:
            return ranked
        weight = self._meat[bidder]
        if self.meat_formula == "bonus":
            return ranked + round(weight)
        if weight <= 0:
            return self.ceiling_total
        guess = math.floor(ranked / weight)
        while self.ranked_figure(bidder, guess + 1) <= ranked:
            guess += 1
        while guess > 0 and self.ranked_figure(bidder, guess) > ranked:
            guess -= 1
        return guess

    @cached_property
    def _seats(self) -> dict[str, Seat]:
        return {seat.bidder: seat for seat in self.seats}

    def seat(self, bidder: str) -> Seat | None:
        return self._seats.get(bidder)

    def required_decrement(self, previous_total: int) -> int:
        """How much (price units) a bid must improve on its basis: its own previous total, or the best
        ranked figure (``decrement_basis``)."""
        if self.decrement_amount is not None:
            return self.decrement_amount
        assert self.decrement_percent is not None
        # Of the figure's size: a quality bonus can make a ranked figure negative, and a decrement stays a decrement.
        return math.ceil(abs(Decimal(previous_total)) * Decimal(self.decrement_percent) / 100)

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
