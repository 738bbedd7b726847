"""From the tender file to the configuration one lot's auction runs with (:class:`auction.rules.config.AuctionConfig`).

Every setting of the tender's ``[auction]`` section is checked here, with the file, record and field named in the
error, so a configuration that reaches the core is well-formed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from auction.rules.config import AuctionConfig, InsurerShare, Line, Seat
from auction.rules.money import PriceFormatError, parse_price
from auction.tender.file import Tender, parse_duration
from qualification.common.errors import InputError


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
        format=rules.format,
        decrement_basis=rules.min_decrement.basis,
        ties=rules.ties,
        bid_lines=rules.bid_lines,
        reserve_total=_optional_price(rules.reserve, decimals, f"{path}: auction → reserve"),
        far_below_percent=_percent(rules.far_below_percent, f"{path}: auction → far_below_percent", upper=100),
        closing=rules.closing,
        quiet_period_s=parse_duration(rules.quiet_period),
        extension_trigger=rules.extension_trigger,
        extension_top_k=rules.extension_top_k,
        extension_from=rules.extension_from,
        show_ladder=rules.show_ladder,
        sealed=rules.sealed,
        level_step_percent=_percent(rules.levels.step_percent, f"{path}: auction → levels → step_percent", upper=50)
        or "1",
        level_interval_s=_positive_duration(rules.levels.interval, f"{path}: auction → levels → interval"),
        level_floor_percent=_percent(rules.levels.floor_percent, f"{path}: auction → levels → floor_percent", upper=100)
        or "50",
        rounds=rules.rounds.rounds,
        turn_s=_positive_duration(rules.rounds.turn, f"{path}: auction → rounds → turn"),
        initial_offers_s=_positive_duration(rules.rounds.initial_offers, f"{path}: auction → rounds → initial_offers"),
        meat_formula=None if rules.meat is None else rules.meat.formula,
        meat_max_discount_percent=None
        if rules.meat is None
        else _percent(rules.meat.max_discount_percent, f"{path}: auction → meat → max_discount_percent", upper=100),
        meat_bonus_per_point=None
        if rules.meat is None
        else _optional_price(rules.meat.bonus_per_point, decimals, f"{path}: auction → meat → bonus_per_point"),
    )


def _percent(text: str | None, where: str, *, upper: int) -> str | None:
    """A percentage strictly between 0 and ``upper`` (or exactly ``upper``), kept as the tender wrote it."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(where, f"{text!r} is not a number") from None
    if not value.is_finite() or not (Decimal(0) < value <= Decimal(upper)):
        raise InputError(where, f"must be more than 0 and at most {upper}")
    return text


def _optional_price(text: str | None, decimals: int, where: str) -> int | None:
    if text is None:
        return None
    try:
        value = parse_price(text, decimals)
    except PriceFormatError as exc:
        raise InputError(where, str(exc)) from None
    if value <= 0:
        raise InputError(where, "must be > 0")
    return value


def _positive_duration(text: str, where: str) -> int:
    seconds = parse_duration(text)
    if seconds <= 0:
        raise InputError(where, "must be longer than 0 seconds")
    return seconds
