"""The pure auction core: ``decide(state, command, now)`` and ``evolve(state, event)``.

No I/O, no clock, no asyncio. The live server and the auditor's replay both fold :func:`evolve` over the
journal, so a replayed outcome equals the live one by construction.

Rules (reverse English auction on one lot):
- a bid prices every line of the lot; each price is > 0, has at most ``price_decimals`` decimals and is at
  most that line's ceiling price;
- the ranked figure is the volume-weighted total (sum of price × estimated volume); lower is better;
- a bidder's next bid must be at least the minimum decrement below its own previous total;
- equal totals rank by time: the earlier total ranks higher;
- a bid that takes the lead within ``extension_window_s`` of the close moves the close to
  ``extension_s`` after that bid (never earlier), at most ``max_extensions`` times;
- at the close the auction stops taking bids; the lowest total wins.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property
from typing import Any

from auction.bid_ids import BidIds
from auction.lifecycle import BID_REFUSAL_CODE, Phase, is_allowed, next_phase
from auction.messages import (
    AttestHead,
    AuctionCancelled,
    AuctionClosed,
    AuctionCreated,
    AuctionOpened,
    AuctionPaused,
    AuctionResumed,
    AwardIntended,
    AwardMadeDefinitive,
    AwardPublished,
    AwardWithheld,
    BidAccepted,
    Cancel,
    Close,
    CloseExtended,
    Command,
    ContractSigned,
    Create,
    DowntimeRecorded,
    Event,
    Extend,
    IntendAward,
    JournalHeadSigned,
    MakeDefinitive,
    ObjectionRecorded,
    OrganiserCommand,
    Pause,
    PlaceBid,
    PublishAward,
    RecordDowntime,
    RecordObjection,
    Rejection,
    Resume,
    SignContract,
    Start,
    Tick,
    WithholdAward,
)
from auction.money import PriceFormatError, format_price, parse_price
from auction.rules import AuctionConfig


@dataclass(frozen=True)
class StandingBid:
    """A bidder's current offer: its last accepted bid (which is also its best, as bids must improve)."""

    bid_id: str
    prices: dict[str, int]
    total: int
    at: int
    order: int  # position of this bid among all accepted bids; breaks ties (earlier wins)


@dataclass(frozen=True)
class AuctionState:
    phase: Phase = Phase.NEW
    config: AuctionConfig | None = None
    closes_at: int | None = None
    paused_at: int | None = None
    extensions: int = 0
    standing: dict[str, StandingBid] = field(default_factory=dict)  # bidder -> standing bid
    bid_ids: BidIds = field(default_factory=BidIds)  # shared append-only log: see auction/bid_ids.py
    bid_count: int = 0
    contract: dict[str, Any] | None = None  # the intended (then definitive, then signed) contract
    standstill_ends: int | None = None
    objections: tuple[tuple[str, str, int], ...] = ()  # (bidder, text, received at)
    signed: tuple[str, str] | None = None  # (signatory, date on the contract)

    @property
    def cfg(self) -> AuctionConfig:
        if self.config is None:
            raise ValueError("the auction has not been created")
        return self.config

    # The ranking is computed once per state (states are immutable): publishing a state to every connected
    # bidder asks each one's rank, and that must not sort the offers once per bidder.
    @cached_property
    def _ranked(self) -> tuple[tuple[str, StandingBid], ...]:
        return tuple(sorted(self.standing.items(), key=lambda item: (item[1].total, item[1].order)))

    @cached_property
    def _ranks(self) -> dict[str, int]:
        return {who: position for position, (who, _) in enumerate(self._ranked, start=1)}

    def ranking(self) -> list[tuple[str, StandingBid]]:
        """Bidders best first: lowest total, then earliest."""
        return list(self._ranked)

    def rank_of(self, bidder: str) -> int | None:
        return self._ranks.get(bidder)

    def leader(self) -> str | None:
        ranking = self.ranking()
        return ranking[0][0] if ranking else None


INITIAL = AuctionState()


# ------------------------------------------------------------------------------------------------ decide


def decide(state: AuctionState, command: Command, now: int) -> list[Event] | Rejection:
    """Decide what ``command`` does at server time ``now`` (ms): the events to record, or why it is refused.

    Call it from the auction's single writer; record the events durably, then fold them with :func:`evolve`.
    A rejection changes nothing.
    """
    if not is_allowed(state.phase, command.kind):
        if isinstance(command, PlaceBid):
            code = BID_REFUSAL_CODE.get(state.phase, "not_open")
            return Rejection(code, _BID_REFUSAL_TEXT[code], {"phase": str(state.phase)})
        return Rejection(
            "illegal_transition",
            f"cannot {command.kind} an auction that is {state.phase}",
            {"phase": str(state.phase), "command": command.kind},
        )
    if isinstance(command, OrganiserCommand) and not command.reason.strip():
        return Rejection("reason_required", f"{command.kind} needs a written reason", {"command": command.kind})

    if isinstance(command, Pause | Extend | Close) and _tick(state, now):
        # The close has passed but is not recorded yet: pausing or extending now would reopen bidding after the
        # published close (found by the state-machine test). The close is recorded by the next tick.
        return Rejection("closed", "the auction's closing time has passed; it is closing", {"phase": "closed"})

    match command:
        case Create(config=config):
            return [AuctionCreated(at=now, config=config)]
        case Tick():
            return _tick(state, now)
        case PlaceBid():
            due = _tick(state, now)
            if due:  # the close has passed but was not yet recorded: the bid is too late
                return Rejection("closed", _BID_REFUSAL_TEXT["closed"], {"phase": "closed"})
            return _place_bid(state, command, now)
        case Start(reason=reason):
            return [AuctionOpened(at=now, closes_at=now + state.cfg.duration_s * 1000, by="organiser", reason=reason)]
        case Pause(reason=reason):
            return [AuctionPaused(at=now, reason=reason)]
        case Resume(reason=reason):
            assert state.paused_at is not None and state.closes_at is not None
            return [AuctionResumed(at=now, closes_at=state.closes_at + (now - state.paused_at), reason=reason)]
        case Extend(reason=reason, seconds=seconds):
            if seconds <= 0:
                return Rejection("bad_extension", "an extension must be a positive number of seconds", {})
            assert state.closes_at is not None
            return [CloseExtended(at=now, closes_at=state.closes_at + seconds * 1000, by="organiser", reason=reason)]
        case Close(reason=reason):
            return [AuctionClosed(at=now, by="organiser", reason=reason)]
        case Cancel(reason=reason):
            return [AuctionCancelled(at=now, reason=reason)]
        case IntendAward():
            return _intend_award(state, command, now)
        case RecordDowntime(down_from=down_from, down_to=down_to):
            return [downtime_event(state, down_from, down_to, now)]
        case AttestHead():
            return [
                JournalHeadSigned(
                    at=now,
                    head_seq=command.head_seq,
                    head_hash=command.head_hash,
                    signature=command.signature,
                    public_key=command.public_key,
                    reason=command.reason,
                )
            ]
        case WithholdAward(reason=reason):
            return [AwardWithheld(at=now, reason=reason)]
        case RecordObjection(bidder=bidder, reason=text):
            return _record_objection(state, bidder, text, now)
        case MakeDefinitive(reason=reason):
            assert state.standstill_ends is not None
            if now < state.standstill_ends:
                return Rejection(
                    "standstill_running",
                    "the standstill period has not ended yet; the award can be made definitive after it",
                    {"standstill_ends": state.standstill_ends},
                )
            return [AwardMadeDefinitive(at=now, objections=len(state.objections), reason=reason)]
        case SignContract():
            return _sign(command, now)
        case PublishAward(notice_hash=notice_hash, url=url, reason=reason):
            if len(notice_hash) != 64:
                return Rejection("bad_notice_hash", "the notice's SHA-256 (64 hex characters) is required", {})
            return [AwardPublished(at=now, notice_hash=notice_hash, url=url, reason=reason)]
    raise TypeError(f"unknown command {command!r}")  # pragma: no cover - the match is exhaustive


_BID_REFUSAL_TEXT = {
    "not_open": "the auction is not open yet",
    "paused": "the auction is paused; bids are not accepted until it resumes",
    "closed": "the auction is closed",
    "cancelled": "the auction was cancelled",
}


def _tick(state: AuctionState, now: int) -> list[Event]:
    if state.phase is Phase.SCHEDULED and now >= state.cfg.opens_at_ms:
        return [AuctionOpened(at=now, closes_at=now + state.cfg.duration_s * 1000, by="schedule", reason="scheduled")]
    if state.phase is Phase.OPEN and state.closes_at is not None and now >= state.closes_at:
        return [AuctionClosed(at=now, by="schedule", reason="closing time reached")]
    return []


def check_bid(state: AuctionState, bidder: str, prices: Mapping[str, str | int]) -> dict[str, int] | Rejection:
    """Check a bid's prices against the rules; returns the prices in units, or the reason it is refused.

    Used by :func:`decide` and by the replay (which re-checks every recorded bid).
    """
    cfg = state.cfg
    if cfg.seat(bidder) is None:
        return Rejection("unknown_bidder", "this bidder has no seat in this auction", {})
    expected = {line.id for line in cfg.lines}
    missing = sorted(expected - set(prices))
    if missing:
        return Rejection("missing_line", f"every line needs a price; missing: {', '.join(missing)}", {"lines": missing})
    unknown = sorted(set(prices) - expected)
    if unknown:
        return Rejection("unknown_line", f"no such line in this lot: {', '.join(unknown)}", {"lines": unknown})
    units: dict[str, int] = {}
    for line in cfg.lines:
        raw = prices[line.id]
        if type(raw) is int:  # a recorded bid (replay) carries price units already
            value = raw
        elif isinstance(raw, str):
            try:
                value = parse_price(raw, cfg.price_decimals)
            except PriceFormatError as exc:
                return Rejection("bad_price", f"line {line.id}: {exc}", {"line": line.id})
        else:
            return Rejection("bad_price", f"line {line.id}: the price must be a decimal string", {"line": line.id})
        if value <= 0:
            return Rejection("bad_price", f"line {line.id}: the price must be more than 0", {"line": line.id})
        if value > line.ceiling:
            return Rejection(
                "above_ceiling",
                f"line {line.id}: {format_price(value, cfg.price_decimals)} is above the ceiling price "
                f"{format_price(line.ceiling, cfg.price_decimals)}",
                {"line": line.id, "ceiling": format_price(line.ceiling, cfg.price_decimals)},
            )
        units[line.id] = value
    total = weighted_total(cfg, units)
    previous = state.standing.get(bidder)
    if previous is not None:
        required = cfg.required_decrement(previous.total)
        limit = previous.total - required
        if total > limit:
            return Rejection(
                "decrement_too_small",
                f"the total {format_price(total, cfg.price_decimals)} must be at most "
                f"{format_price(limit, cfg.price_decimals)} (your previous total "
                f"{format_price(previous.total, cfg.price_decimals)} minus the minimum decrement "
                f"{format_price(required, cfg.price_decimals)})",
                {
                    "total": format_price(total, cfg.price_decimals),
                    "max_total": format_price(limit, cfg.price_decimals),
                    "previous_total": format_price(previous.total, cfg.price_decimals),
                },
            )
    return units


def weighted_total(cfg: AuctionConfig, prices: dict[str, int]) -> int:
    return sum(prices[line.id] * line.volume for line in cfg.lines)


def _place_bid(state: AuctionState, command: PlaceBid, now: int) -> list[Event] | Rejection:
    cfg = state.cfg
    if command.bid_id in state.bid_ids:
        return Rejection("duplicate_bid_id", "a bid with this id was already accepted", {"bid_id": command.bid_id})
    checked = check_bid(state, command.bidder, command.prices)
    if isinstance(checked, Rejection):
        return checked
    total = weighted_total(cfg, checked)
    bid = BidAccepted(
        at=now,
        bid_id=command.bid_id,
        bidder=command.bidder,
        prices=checked,
        total=total,
        entered_by=command.entered_by,
    )
    events: list[Event] = [bid]
    extension = _anti_sniping(state, command.bidder, total, now)
    if extension is not None:
        events.append(extension)
    return events


def _anti_sniping(state: AuctionState, bidder: str, total: int, now: int) -> CloseExtended | None:
    cfg = state.cfg
    assert state.closes_at is not None
    if now < state.closes_at - cfg.extension_window_s * 1000:
        return None
    if cfg.max_extensions is not None and state.extensions >= cfg.max_extensions:
        return None
    ranking = state.ranking()
    takes_lead = (not ranking or total < ranking[0][1].total) and (not ranking or ranking[0][0] != bidder)
    if not takes_lead:
        return None
    new_close = now + cfg.extension_s * 1000
    if new_close <= state.closes_at:
        return None
    return CloseExtended(at=now, closes_at=new_close, by="anti-sniping", reason="a new lead in the closing window")


def derive_contract(
    state: AuctionState, rank: int = 1, journal_head: dict[str, Any] | None = None
) -> dict[str, Any] | Rejection:
    """The contract that follows from the closing ranking: the offer at ``rank`` (1 = best), its prices per line,
    the totals, every insurer's share, volume and value, the period, and what it refers to.

    Replay calls this too, to prove the recorded contract follows from the bids.
    """
    cfg = state.cfg
    if cfg.practice:
        return Rejection("practice_cannot_award", "a practice auction never produces a contract", {})
    ranking = state.ranking()
    if not ranking:
        return Rejection("no_bids", "no bids were accepted: there is nothing to award (withhold the award instead)", {})
    if not 1 <= rank <= len(ranking):
        return Rejection("no_such_rank", f"there is no offer at rank {rank} (ranks 1 to {len(ranking)})", {})
    winner, bid = ranking[rank - 1]
    seat = cfg.seat(winner)
    assert seat is not None
    d = cfg.price_decimals
    months = contract_months(cfg.contract_start, cfg.contract_end)
    contract_value = bid.total * months // 12
    insured_total = sum(i.insured for i in cfg.insurers)
    per_year = split_by_insured(bid.total, cfg)
    per_period = split_by_insured(contract_value, cfg)
    volumes = {line.id: split_by_insured(line.volume, cfg) for line in cfg.lines}
    insurers = [
        {
            "id": insurer.id,
            "name": insurer.name,
            "insured": insurer.insured,
            "share": str(Fraction(insurer.insured, insured_total)),
            "expected_value_per_year": format_price(per_year[n], d),
            "expected_value": format_price(per_period[n], d),
            "expected_volumes": {line.id: volumes[line.id][n] for line in cfg.lines},
        }
        for n, insurer in enumerate(cfg.insurers)
    ]
    return {
        "auction_id": cfg.auction_id,
        "tender_id": cfg.tender_id,
        "lot_id": cfg.lot_id,
        "lot_name": cfg.lot_name,
        "supplier": {"id": winner, "name": seat.name, "kvk": seat.kvk, "agb": seat.agb},
        "rank": rank,
        "winning_bid_id": bid.bid_id,
        "lines": [
            {
                "id": line.id,
                "description": line.description,
                "unit": line.unit,
                "volume": line.volume,
                "price": format_price(bid.prices[line.id], d),
                "value": format_price(bid.prices[line.id] * line.volume, d),
            }
            for line in cfg.lines
        ],
        "total_per_year": format_price(bid.total, d),
        "currency": "EUR",
        "period": {"start": cfg.contract_start, "end": cfg.contract_end, "months": months},
        "contract_value": format_price(contract_value, d),
        "insurers": insurers,
        "concept_contract": {"version": cfg.concept_contract_version, "hash": cfg.concept_contract_hash},
        "admission_hash": cfg.admission_hash,
        # The last entry before the decision, with the server's signature over it when one was made.
        "journal_head": dict(journal_head or {"seq": 0, "hash": "", "signature": "", "public_key": ""}),
    }


def contract_months(start: str, end: str) -> int:
    """Whole months from ``start`` to ``end`` inclusive (2027-01-01 … 2028-12-31 is 24), rounded down."""
    first = date.fromisoformat(start)
    after = date.fromisoformat(end) + timedelta(days=1)
    months = (after.year - first.year) * 12 + (after.month - first.month)
    if after.day < first.day:
        months -= 1
    return max(months, 0)


def split_by_insured(total: int, cfg: AuctionConfig) -> list[int]:
    """Each insurer's part of ``total`` in proportion to its insured members, in whole units.

    Largest remainder: parts are rounded down, the units left over go to the largest remainders (ties to the
    insurer listed first), so the parts always add up to the total exactly.
    """
    weights = [insurer.insured for insurer in cfg.insurers]
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _intend_award(state: AuctionState, command: IntendAward, now: int) -> list[Event] | Rejection:
    head = {
        "seq": command.journal_head_seq,
        "hash": command.journal_head_hash,
        "signature": command.journal_head_signature,
        "public_key": command.journal_head_public_key,
    }
    contract = derive_contract(state, command.rank, head)
    if isinstance(contract, Rejection):
        return contract
    standstill_ends = now + state.cfg.standstill_s * 1000
    return [
        AwardIntended(
            at=now, rank=command.rank, contract=contract, standstill_ends=standstill_ends, reason=command.reason
        )
    ]


def downtime_event(state: AuctionState, down_from: int, down_to: int, now: int) -> DowntimeRecorded:
    """An outage while bidding was open moves the close by its length when the tender says so ("extend"):
    nobody could bid while the server was down. Paused or not yet open: nothing to move. Replay calls it too."""
    rule = state.cfg.on_downtime
    closes_at = state.closes_at
    if state.phase is Phase.OPEN and closes_at is not None and rule == "extend" and closes_at > down_from:
        closes_at = closes_at + max(0, down_to - down_from)
    return DowntimeRecorded(at=now, down_from=down_from, down_to=down_to, closes_at=closes_at, rule=rule)


def _record_objection(state: AuctionState, bidder: str, text: str, now: int) -> list[Event] | Rejection:
    assert state.standstill_ends is not None and state.contract is not None
    if now >= state.standstill_ends:
        return Rejection("standstill_over", "the standstill period has ended: objections are no longer accepted", {})
    if bidder not in state.standing:
        return Rejection("not_a_bidder", "only a bidder with an offer in this auction can object", {"bidder": bidder})
    if bidder == state.contract["supplier"]["id"]:
        return Rejection("winner_cannot_object", "the intended winner cannot object to its own award", {})
    return [ObjectionRecorded(at=now, bidder=bidder, text=text)]


def _sign(command: SignContract, now: int) -> list[Event] | Rejection:
    if not command.signatory.strip():
        return Rejection("signatory_required", "name who signed the contract", {})
    try:
        date.fromisoformat(command.signed_on)
    except ValueError:
        return Rejection("bad_date", f"{command.signed_on!r} is not a date like 2027-09-30", {})
    return [ContractSigned(at=now, signatory=command.signatory, signed_on=command.signed_on, reason=command.reason)]


# ------------------------------------------------------------------------------------------------ evolve


def evolve(state: AuctionState, event: Event) -> AuctionState:
    """Apply one recorded event. Pure; raises :class:`~auction.lifecycle.IllegalTransition` on a corrupt order."""
    phase = next_phase(state.phase, event.type)
    match event:
        case AuctionCreated(config=config):
            return AuctionState(phase=phase, config=config)
        case AuctionOpened(closes_at=closes_at):
            return dataclasses.replace(state, phase=phase, closes_at=closes_at)
        case BidAccepted():
            standing = dict(state.standing)
            standing[event.bidder] = StandingBid(
                event.bid_id, dict(event.prices), event.total, event.at, state.bid_count
            )
            return dataclasses.replace(
                state,
                phase=phase,
                standing=standing,
                bid_ids=state.bid_ids.added(event.bid_id),
                bid_count=state.bid_count + 1,
            )
        case CloseExtended(closes_at=closes_at, by=by):
            extensions = state.extensions + (1 if by == "anti-sniping" else 0)
            return dataclasses.replace(state, phase=phase, closes_at=closes_at, extensions=extensions)
        case AuctionPaused():
            return dataclasses.replace(state, phase=phase, paused_at=event.at)
        case AuctionResumed(closes_at=closes_at):
            return dataclasses.replace(state, phase=phase, paused_at=None, closes_at=closes_at)
        case AuctionClosed() | AuctionCancelled():
            return dataclasses.replace(state, phase=phase)
        case AwardIntended(contract=contract, standstill_ends=standstill_ends):
            return dataclasses.replace(
                state, phase=phase, contract=contract, standstill_ends=standstill_ends, objections=()
            )
        case AwardWithheld():
            return dataclasses.replace(state, phase=phase, contract=None, standstill_ends=None)
        case ObjectionRecorded(bidder=bidder, text=text, at=at):
            return dataclasses.replace(state, phase=phase, objections=(*state.objections, (bidder, text, at)))
        case AwardMadeDefinitive():
            return dataclasses.replace(state, phase=phase)
        case AwardPublished() | JournalHeadSigned():
            return dataclasses.replace(state, phase=phase)
        case DowntimeRecorded(closes_at=closes_at):
            return dataclasses.replace(state, phase=phase, closes_at=closes_at)
        case ContractSigned(signatory=signatory, signed_on=signed_on):
            return dataclasses.replace(state, phase=phase, signed=(signatory, signed_on))
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover


def fold(events: list[Event], state: AuctionState = INITIAL) -> AuctionState:
    for event in events:
        state = evolve(state, event)
    return state


def next_deadline(state: AuctionState) -> int | None:
    """When the core next wants a :class:`Tick` (ms), so the shell can set its one timer."""
    if state.phase is Phase.SCHEDULED:
        return state.cfg.opens_at_ms
    if state.phase is Phase.OPEN:
        return state.closes_at
    return None
