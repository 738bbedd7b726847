"""The tender file: who buys together, what (lots and product lines), for which period, by which auction rules.

The organiser writes it (TOML); `docs/formats.md` documents every field. Prices in the file are decimal
strings in euros; the model keeps them as integer price units (see :mod:`auction.money`).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from auction.tender.timeline import Milestone, Timeline, check_order, milestones
from qualification.common.models import ID_PATTERN, Frozen

_DURATION = re.compile(r"^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*$")


def parse_duration(text: str) -> int:
    """``"2m"`` → 120, ``"1h30m"`` → 5400, ``"45s"`` → 45, ``"20d"`` → 1728000, ``"90"`` → 90 (seconds)."""
    text = str(text).strip()
    if text.isdigit():
        return int(text)
    match = _DURATION.match(text)
    if not text or not match or not any(match.groups()):
        raise ValueError(f"{text!r} is not a duration like '90s', '2m', '1h30m' or '20d'")
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


class Insurer(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    insured: int = Field(gt=0, description="number of insured members; sets the insurer's share")


class ProductLine(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    description: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    volume: int = Field(gt=0, description="estimated units per year, all insurers together")
    ceiling: str = Field(description="ceiling (starting) price per unit in euros, e.g. '2.10'")


class Lot(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = ""
    lines: tuple[ProductLine, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_line_ids(self) -> Lot:
        ids = [line.id for line in self.lines]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"product line ids must be unique within a lot; repeated: {', '.join(duplicates)}")
        return self


class Decrement(Frozen):
    """The minimum improvement of a bid's ranked figure over its basis: the bidder's own previous bid, or the
    best offer in the auction."""

    percent: str | None = None
    amount: str | None = Field(default=None, description="euros on the volume-weighted total")
    basis: Literal["own", "best"] = Field(default="own", description="measured against one's own bid or the best")

    @model_validator(mode="after")
    def _exactly_one(self) -> Decrement:
        if (self.percent is None) == (self.amount is None):
            raise ValueError("give exactly one of 'percent' or 'amount'")
        return self


def _check_duration(value: str) -> str:
    parse_duration(value)
    return value


class LevelRules(Frozen):
    """Price levels of the Japanese and Dutch formats, in percent of every line's ceiling price."""

    step_percent: str = Field(default="1", description="each level is this many percent of the ceiling lower/higher")
    interval: str = Field(default="30s", description="how long each level stands")
    floor_percent: str = Field(
        default="50", description="Japanese: the lowest level; Dutch: the level the price starts from"
    )

    _interval = field_validator("interval")(_check_duration)


class RoundRules(Frozen):
    """Fixed-turn rounds (as ProZorro runs them)."""

    rounds: int = Field(default=3, ge=1, le=20)
    turn: str = Field(default="2m", description="how long each bidder's turn lasts")
    initial_offers: str = Field(default="10m", description="how long the sealed initial-offer stage lasts")

    _durations = field_validator("turn", "initial_offers")(_check_duration)


class MeatRules(Frozen):
    """Quality-weighted ranking (MEAT, EMVI): the ranked figure combines the price with the quality score."""

    formula: Literal["factor", "bonus"]
    max_discount_percent: str | None = Field(
        default=None, description="factor: a quality score of 100 lowers the ranked figure by this percentage"
    )
    bonus_per_point: str | None = Field(
        default=None, description="bonus: euros taken off the ranked figure per quality point"
    )

    @model_validator(mode="after")
    def _matching_weight(self) -> MeatRules:
        if self.formula == "factor" and (self.max_discount_percent is None or self.bonus_per_point is not None):
            raise ValueError("formula 'factor' takes max_discount_percent (and no bonus_per_point)")
        if self.formula == "bonus" and (self.bonus_per_point is None or self.max_discount_percent is not None):
            raise ValueError("formula 'bonus' takes bonus_per_point (and no max_discount_percent)")
        return self


class AuctionRulesFile(Frozen):
    format: Literal["english", "japanese", "dutch", "rounds"] = "english"
    price_decimals: int = Field(default=2, ge=0, le=4)
    min_decrement: Decrement
    ties: Literal["by_time", "refused"] = Field(
        default="by_time", description="equal ranked figures: the earlier ranks higher, or an equal bid is refused"
    )
    bid_lines: Literal["all", "changed"] = Field(
        default="all", description="a further bid prices every line, or only the lines it changes"
    )
    reserve: str | None = Field(default=None, description="undisclosed reserve on the total; never shown to bidders")
    far_below_percent: str | None = Field(
        default=None, description="the room asks for confirmation of a bid this many percent below its reference"
    )
    closing: Literal["fixed", "quiet"] = Field(
        default="fixed", description="close at the closing time, or after a quiet period without a valid bid"
    )
    quiet_period: str = Field(default="3m", description="closing 'quiet': the auction closes this long after a bid")
    extension_window: str = Field(default="2m", description="a triggering bid this close to the end extends it")
    extension: str = Field(default="2m", description="the close moves to at least this long after that bid")
    extension_trigger: Literal["improving", "lead", "top_k"] = Field(
        default="lead", description="which bids extend: any improving bid, a new leader, a change in the top K"
    )
    extension_top_k: int = Field(default=3, ge=1)
    extension_from: Literal["bid", "close"] = Field(
        default="bid", description="the extension is measured from the triggering bid or from the current close"
    )
    max_extensions: int | None = Field(default=None, ge=0)
    show_bidder_count: bool = True
    show_best_total: bool = False
    show_ladder: bool = Field(default=False, description="bidders see every offer, anonymised, without names")
    sealed: bool = Field(default=False, description="bidders see only their own bids: no rank, no other offer")
    levels: LevelRules = LevelRules()
    rounds: RoundRules = RoundRules()
    meat: MeatRules | None = None
    on_downtime: Literal["extend", "keep"] = Field(
        default="extend", description="after a server outage: move the close by the downtime, or keep it"
    )

    _durations = field_validator("extension_window", "extension", "quiet_period")(_check_duration)

    @model_validator(mode="after")
    def _consistent(self) -> AuctionRulesFile:
        if self.sealed and (self.show_best_total or self.show_ladder or self.show_bidder_count):
            raise ValueError("a sealed auction shows bidders nothing of the others: set show_* to false")
        if self.meat is not None and self.format in ("japanese", "dutch"):
            raise ValueError("quality weighting (meat) needs bids, not accepted levels: use english or rounds")
        if self.format != "english" and self.closing == "quiet":
            raise ValueError("closing 'quiet' is for the english format (the other formats close by their own rule)")
        if self.closing == "quiet" and parse_duration(self.quiet_period) <= 0:
            raise ValueError("closing 'quiet' needs a quiet_period longer than 0 seconds")
        if self.sealed and self.min_decrement.basis == "best":
            # A refusal "your total may be at most …" would tell a bidder the best offer.
            raise ValueError("a sealed auction cannot measure the decrement against the best offer: use basis 'own'")
        if self.sealed and self.ties == "refused":
            # Refusing an equal bid would tell a bidder that another offer has exactly that figure.
            raise ValueError("a sealed auction cannot refuse equal offers: use ties 'by_time'")
        return self


class ConceptContract(Frozen):
    """The draft contract published with the tender; its hash goes into every contract record."""

    version: str = Field(min_length=1)
    file: str = Field(description="path of the concept contract, relative to the tender file")


class AwardRules(Frozen):
    standstill: str = Field(default="20d", description="time for losing bidders to object after the intention")

    @field_validator("standstill")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value


class QualificationRules(Frozen):
    """Deadlines of the qualification stage (``[qualification]`` in the tender file)."""

    questions_until: AwareDatetime | None = Field(
        default=None, description="last moment suppliers may ask questions for the clarification notice"
    )


class ContractPeriod(Frozen):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> ContractPeriod:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class Tender(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    organiser: str = Field(min_length=1)
    currency: str = "EUR"
    criteria: str = Field(description="path of the criteria file, relative to the tender file")
    concept_contract: ConceptContract
    contract_period: ContractPeriod
    insurers: tuple[Insurer, ...] = Field(min_length=1)
    lots: tuple[Lot, ...] = Field(min_length=1)
    auction: AuctionRulesFile
    award: AwardRules = AwardRules()
    qualification: QualificationRules = QualificationRules()
    timeline: Timeline | None = None

    @model_serializer(mode="wrap")
    def _without_absent_timeline(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # A tender without a timeline keeps the document (and so the hash) it had before timelines existed.
        data: dict[str, Any] = handler(self)
        if self.timeline is None:
            data.pop("timeline", None)
        return data

    @model_validator(mode="after")
    def _timeline_in_order(self) -> Tender:
        if self.timeline is None:
            return self
        if self.timeline.answers_within is not None and self.qualification.questions_until is None:
            raise ValueError(
                "timeline → answers_within counts from the questions deadline: set [qualification] questions_until"
            )
        check_order(self.milestones())
        return self

    def milestones(self) -> list[Milestone]:
        """The published timeline in order (empty without ``[timeline]``), with the questions deadline, the
        standstill and the contract start from their own tables."""
        if self.timeline is None:
            return []
        return milestones(
            self.timeline,
            self.qualification.questions_until,
            parse_duration(self.award.standstill),
            self.contract_period.start,
        )

    @model_validator(mode="after")
    def _unique_ids(self) -> Tender:
        for label, ids in (
            ("insurer", [i.id for i in self.insurers]),
            ("lot", [lot.id for lot in self.lots]),
            ("product line", [line.id for lot in self.lots for line in lot.lines]),
        ):
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{label} ids must be unique in the tender; repeated: {', '.join(repeated)}")
        return self

    def lot(self, lot_id: str) -> Lot:
        for lot in self.lots:
            if lot.id == lot_id:
                return lot
        raise KeyError(lot_id)
