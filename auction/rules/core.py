"""The pure auction core: ``decide(state, command, now)`` and ``evolve(state, event)``.

No I/O, no clock, no asyncio. The live server and the auditor's replay both fold :func:`evolve` over the
journal, so a replayed outcome equals the live one by construction.

The rules themselves are in ``docs/rules.md``; here they are split by concern:
- :mod:`auction.bid_rules`: what a bid must meet (lines, ceiling, decrement, ties, blocking, whose turn);
- :mod:`auction.level_formats`: the Japanese and Dutch formats (accepting announced price levels);
- :mod:`auction.turns`: fixed-turn rounds;
- this module: the dispatch, the English closing rules (fixed, quiet period, anti-sniping), the organiser's
  controls, the award, and :func:`evolve`.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from auction.rules import level_formats, turns
from auction.rules.bid_rules import BLOCKED, check_bid, checked_bid, far_below_refusal, turn_refusal, weighted_total
from auction.rules.config import AuctionConfig
from auction.rules.lifecycle import BID_REFUSAL_CODE, BIDDER_COMMANDS, Phase, is_allowed, next_phase
from auction.rules.messages import (
    AcceptLevel,
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
    BidderBlocked,
    BidderDroppedOut,
    BidderUnblocked,
    Block,
    Cancel,
    Close,
    CloseExtended,
    Command,
    ContractSigned,
    Create,
    DowntimeRecorded,
    EnterBid,
    Event,
    Extend,
    IntendAward,
    JournalHeadSigned,
    LevelStarted,
    MakeDefinitive,
    ObjectionRecorded,
    OrganiserCommand,
    PassTurn,
    Pause,
    PlaceBid,
    PracticeReset,
    PublishAward,
    RecordDowntime,
    RecordObjection,
    Rejection,
    ResetPractice,
    Resume,
    SignContract,
    Start,
    Tick,
    TurnEnded,
    TurnStarted,
    Unblock,
    WithholdAward,
)
from auction.rules.money import format_price
from auction.rules.state import INITIAL, AuctionState, StandingBid, leader_after

__all__ = [
    "INITIAL",
    "AuctionState",
    "StandingBid",
    "check_bid",
    "decide",
    "derive_contract",
    "downtime_event",
    "evolve",
    "fold",
    "next_deadline",
    "weighted_total",
]


# ------------------------------------------------------------------------------------------------ decide


def decide(state: AuctionState, command: Command, now: int) -> list[Event] | Rejection:
    """Decide what ``command`` does at server time ``now`` (ms): the events to record, or why it is refused.

    Call it from the auction's single writer; record the events durably, then fold them with :func:`evolve`.
    A rejection changes nothing.
    """
    if not is_allowed(state.phase, command.kind):
        if command.kind in BIDDER_COMMANDS:
            code = BID_REFUSAL_CODE.get(state.phase, "not_open")
            return Rejection(code, _BID_REFUSAL_TEXT[code], {"phase": str(state.phase)})
        return Rejection(
            "illegal_transition",
            f"cannot {command.kind} an auction that is {state.phase}",
            {"phase": str(state.phase), "command": command.kind},
        )
    if isinstance(command, OrganiserCommand) and not command.reason.strip():
        return Rejection("reason_required", f"{command.kind} needs a written reason", {"command": command.kind})

    if isinstance(command, Pause | Extend | Close) and _closing_due(state, now):
        # The close has passed but is not recorded yet: pausing or extending now would reopen bidding after the
        # published close (found by the state-machine test). The close is recorded by the next tick.
        return Rejection("closed", "the auction's closing time has passed; it is closing", {"phase": "closed"})
    if command.kind in BIDDER_COMMANDS and _deadline_passed(state, now):
        return _too_late(state)

    match command:
        case Create(config=config):
            return [AuctionCreated(at=now, config=config)]
        case Tick():
            return _tick(state, now)
        case PlaceBid():
            return _place_bid(state, command, now)
        case AcceptLevel():
            if not state.cfg.by_levels:
                return Rejection("wrong_format", "this auction takes bids with prices, not accepted levels", {})
            return level_formats.accept(state, command, now)
        case PassTurn(bidder=bidder):
            return _pass_turn(state, bidder, now)
        case EnterBid():
            return _enter_bid(state, command, now)
        case Start(reason=reason):
            return _opening_events(state, now, "organiser", reason)
        case Pause(reason=reason):
            return [AuctionPaused(at=now, reason=reason)]
        case Resume(reason=reason, seconds=seconds):
            assert state.paused_at is not None and state.closes_at is not None
            if seconds < 0:
                return Rejection("bad_resume", "a new close must be a positive number of seconds from now", {})
            closes_at = now + seconds * 1000 if seconds else state.closes_at + (now - state.paused_at)
            resumed = AuctionResumed(at=now, closes_at=closes_at, reason=reason)
            if state.on_turn is not None and state.on_turn in state.blocked:
                # Blocked while paused on its turn: that turn ends as bidding resumes; the next bidder's starts.
                return _hand_over(state, [resumed], now, "blocked", starts_at=now)
            return [resumed]
        case Extend(reason=reason, seconds=seconds):
            if seconds <= 0:
                return Rejection("bad_extension", "an extension must be a positive number of seconds", {})
            assert state.closes_at is not None
            return [CloseExtended(at=now, closes_at=state.closes_at + seconds * 1000, by="organiser", reason=reason)]
        case Close(reason=reason):
            return [AuctionClosed(at=now, by="organiser", reason=reason)]
        case Cancel(reason=reason):
            return [AuctionCancelled(at=now, reason=reason)]
        case Block() | Unblock():
            return _block(state, command, now)
        case ResetPractice(reason=reason, seconds=seconds):
            if not state.cfg.practice:
                return Rejection("not_practice", "only a practice auction can be reset; a live auction never", {})
            if seconds < 0:
                return Rejection("bad_reset", "the practice auction must open 0 or more seconds from now", {})
            return [PracticeReset(at=now, opens_at=now + seconds * 1000, reason=reason)]
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


def _opening_events(state: AuctionState, now: int, by: str, reason: str) -> list[Event]:
    cfg = state.cfg
    if cfg.by_levels:
        return level_formats.opening_events(state, now, by, reason)
    if cfg.format == "rounds":
        return turns.opening_events(state, now, by, reason)
    first_close = min(cfg.quiet_period_s, cfg.duration_s) if cfg.closing == "quiet" else cfg.duration_s
    return [AuctionOpened(at=now, closes_at=now + first_close * 1000, by=by, reason=reason)]


def _closing_due(state: AuctionState, now: int) -> bool:
    """The auction's deadline has passed and the next tick will close it (not start a next level or turn)."""
    return any(isinstance(event, AuctionClosed) for event in _tick(state, now))


def _deadline_passed(state: AuctionState, now: int) -> bool:
    return state.phase is Phase.OPEN and state.closes_at is not None and now >= state.closes_at


def _too_late(state: AuctionState) -> Rejection:
    """A bid that arrives at or after the standing deadline, before the tick that records it."""
    cfg = state.cfg
    if cfg.by_levels and not _closing_due(state, state.closes_at or 0):
        text = "this price level ended before your acceptance arrived, so it was not accepted" + (
            "; a bidder that had not accepted this level before it ended is out"
            if cfg.format == "japanese"
            else "; you may accept the next level"
        )
        return Rejection("level_ended", text, {})
    if cfg.format == "rounds" and not _closing_due(state, state.closes_at or 0):
        text = "the turn's time ran out before the bid arrived; your offer stands as it was"
        return Rejection("turn_ended", text, {})
    return Rejection("closed", _BID_REFUSAL_TEXT["closed"], {"phase": "closed"})


def _tick(state: AuctionState, now: int) -> list[Event]:
    if state.phase is Phase.SCHEDULED and now >= state.cfg.opens_at_ms:
        return _opening_events(state, now, "schedule", "scheduled")
    if not _deadline_passed(state, now):
        return []
    assert state.closes_at is not None
    cfg = state.cfg
    if cfg.by_levels:
        return level_formats.level_end(state, now)
    if cfg.format == "rounds":
        if state.round == 0:
            return turns.next_turn(state, now, state.closes_at)
        return _hand_over(state, [], now, "timeout", starts_at=state.closes_at)
    return [AuctionClosed(at=now, by="schedule", reason="closing time reached")]


def _place_bid(state: AuctionState, command: PlaceBid, now: int) -> list[Event] | Rejection:
    cfg = state.cfg
    if cfg.by_levels:
        return Rejection("wrong_format", "in this auction you accept the announced price level; prices are set", {})
    if command.bid_id in state.bid_ids:
        return Rejection("duplicate_bid_id", "a bid with this id was already accepted", {"bid_id": command.bid_id})
    checked_total = checked_bid(state, command.bidder, command.prices)
    if isinstance(checked_total, Rejection):
        return checked_total
    checked, total = checked_total
    if not command.confirmed:
        unconfirmed = far_below_refusal(state, command.bidder, total)
        if unconfirmed is not None:
            return unconfirmed
    bid = BidAccepted(
        at=now,
        bid_id=command.bid_id,
        bidder=command.bidder,
        prices=checked,
        total=total,
        entered_by=command.entered_by,
        reason=command.reason,
    )
    events: list[Event] = [bid]
    if cfg.format == "rounds":
        if state.round > 0:  # a bid on one's turn ends the turn
            return _hand_over(state, events, now, "bid", starts_at=now)
        return events
    extension = _quiet_close(state, now) if cfg.closing == "quiet" else _anti_sniping(state, command.bidder, bid, now)
    if extension is not None:
        events.append(extension)
    return events


def _hand_over(state: AuctionState, decided: list[Event], now: int, how: str, starts_at: int) -> list[Event]:
    """Fixed-turn rounds: ``decided`` (a bid, a block, a resume; or nothing), then the end of the turn of the
    bidder on turn (``how``), then the next turn from ``starts_at`` (or the close).

    Only a new round's order depends on what was decided (worst-ranked first, blocked bidders left out); the next
    turn within a round does not, so the events are folded in only at a round's last turn: a bid's fold is the
    costly part of the bid path in this format.
    """
    ended = turns.end_turn(state, now, how)
    basis = fold([*decided, ended], state) if turns.last_turn_of_round(state) else state
    return [*decided, ended, *turns.next_turn(basis, now, starts_at)]


def _pass_turn(state: AuctionState, bidder: str, now: int) -> list[Event] | Rejection:
    if state.cfg.format != "rounds":
        return Rejection("wrong_format", "only an auction in fixed-turn rounds has turns to pass", {})
    if bidder in state.blocked:
        return BLOCKED
    if state.round == 0:
        text = "there are no turns in the initial-offer stage: place or improve your initial offer instead"
        return Rejection("not_your_turn", text, {"round": 0})
    refusal = turn_refusal(state, bidder)
    if refusal is not None:
        return refusal
    return _hand_over(state, [], now, "pass", starts_at=now)


def _enter_bid(state: AuctionState, command: EnterBid, now: int) -> list[Event] | Rejection:
    """The phone fallback: the organiser's bid for a bidder follows every rule a bidder's own bid follows."""
    if not command.bid_id:
        return Rejection("bad_bid", "a bid entered for a bidder needs a bid id (the CLI makes one)", {})
    if state.cfg.by_levels:
        if command.prices.strip():
            return Rejection("bad_bid", "in this format the level sets the prices: name the level only", {})
        if command.level < 0:
            return Rejection("bad_level", "name the level the bidder accepts (as numbered in the auction)", {})
        accept = AcceptLevel(command.bidder, command.bid_id, command.level, "organiser", command.reason)
        return decide(state, accept, now)
    if command.level != -1:
        return Rejection("wrong_format", "this auction takes bids with prices, not accepted levels", {})
    prices: dict[str, str] = {}
    # Prices are separated by commas; a comma inside a price ("2,05") is a decimal comma, as parse_price reads it.
    for part in filter(None, (p.strip() for p in _PRICE_SEPARATOR.split(command.prices))):
        line_id, sep, price = part.partition("=")
        if not sep or not line_id.strip() or not price.strip():
            return Rejection("bad_price", f"{part!r}: write each price as LINE=PRICE, e.g. L1-01=2.05", {})
        prices[line_id.strip()] = price.strip()
    if not prices:
        return Rejection("bad_price", "no prices given: write LINE=PRICE,LINE=PRICE", {})
    bid = PlaceBid(command.bidder, command.bid_id, prices, "organiser", confirmed=True, reason=command.reason)
    return _place_bid(state, bid, now)


_PRICE_SEPARATOR = re.compile(r",(?=\s*[^,=\s][^,=]*=)")


def _block(state: AuctionState, command: Block | Unblock, now: int) -> list[Event] | Rejection:
    bidder = command.bidder
    if state.cfg.seat(bidder) is None:
        return Rejection("unknown_bidder", f"no bidder {bidder!r} has a seat in this auction", {"bidder": bidder})
    if isinstance(command, Unblock):
        if bidder not in state.blocked:
            return Rejection("not_blocked", f"bidder {bidder} is not blocked", {"bidder": bidder})
        return [BidderUnblocked(at=now, bidder=bidder, reason=command.reason)]
    if bidder in state.blocked:
        return Rejection("already_blocked", f"bidder {bidder} is already blocked", {"bidder": bidder})
    blocked = BidderBlocked(at=now, bidder=bidder, reason=command.reason)
    if state.phase is Phase.OPEN and state.on_turn == bidder:  # its turn ends now; the next bidder's starts
        return _hand_over(state, [blocked], now, "blocked", starts_at=now)
    return [blocked]


def _quiet_close(state: AuctionState, now: int) -> CloseExtended | None:
    """Closing "quiet": every valid bid moves the close to a quiet period after it, up to the latest close."""
    cfg = state.cfg
    assert state.closes_at is not None and state.latest_close is not None
    new_close = min(now + cfg.quiet_period_s * 1000, state.latest_close)
    if new_close <= state.closes_at:
        return None
    return CloseExtended(at=now, closes_at=new_close, by="quiet-period", reason="a valid bid restarts the quiet period")


def _anti_sniping(state: AuctionState, bidder: str, bid: BidAccepted, now: int) -> CloseExtended | None:
    cfg = state.cfg
    assert state.closes_at is not None
    if now < state.closes_at - cfg.extension_window_s * 1000:
        return None
    if cfg.max_extensions is not None and state.extensions >= cfg.max_extensions:
        return None
    if not _triggers_extension(state, bidder, cfg.ranked_figure(bidder, bid.total)):
        return None
    base = now if cfg.extension_from == "bid" else state.closes_at
    new_close = base + cfg.extension_s * 1000
    if new_close <= state.closes_at:
        return None
    return CloseExtended(at=now, closes_at=new_close, by="anti-sniping", reason=_TRIGGER_REASON[cfg.extension_trigger])


_TRIGGER_REASON = {
    "improving": "an improving bid in the closing window",
    "lead": "a new lead in the closing window",
    "top_k": "a change in the top ranks in the closing window",
}


def _triggers_extension(state: AuctionState, bidder: str, ranked: int) -> bool:
    trigger = state.cfg.extension_trigger
    if trigger == "improving":
        return True  # every accepted bid improves its bidder's own offer
    best = state.best()
    if trigger == "lead":
        return best is None or (ranked < best.ranked and state.leader() != bidder)
    # top_k: the bid lands within the first K ranks (a new entrant there, or a move within them).
    better = sum(1 for who, s in state.standing.items() if who != bidder and s.ranked <= ranked)
    return better < state.cfg.extension_top_k


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
    contract: dict[str, Any] = {
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
    # Keys added with the auction formats appear only where the rule is used, so a contract from an auction
    # without them is exactly what it was before (and replays of older journals still agree).
    if cfg.meat_formula is not None:
        contract["quality_weighting"] = {
            "formula": cfg.meat_formula,
            "quality_score": seat.quality_score,
            "weight": str(cfg.meat_weight(winner)),
            "ranked_figure": format_price(bid.ranked, d),
        }
    if cfg.reserve_total is not None:
        # The reserve itself stays undisclosed; the record says whether the winning offer met it.
        met = bid.total <= cfg.reserve_total
        contract["reserve"] = {"met": met, "conditional": not met}
    return contract


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
            latest = event.at + state.cfg.duration_s * 1000 if state.cfg.closing == "quiet" else None
            return state.changed(phase=phase, closes_at=closes_at, latest_close=latest)
        case BidAccepted():
            standing = dict(state.standing)
            ranked = state.cfg.ranked_figure(event.bidder, event.total)
            prices = MappingProxyType(dict(event.prices))
            offer = StandingBid(event.bid_id, prices, event.total, event.at, state.bid_count, ranked)
            standing[event.bidder] = offer
            accepted = state.accepted | {event.bidder} if state.level is not None else state.accepted
            return state.changed(
                phase=phase,
                standing=MappingProxyType(standing),
                bid_ids=state.bid_ids.added(event.bid_id),
                bid_count=state.bid_count + 1,
                accepted=accepted,
                leading=leader_after(state, event.bidder, offer, standing),
            )
        case CloseExtended(closes_at=closes_at, by=by):
            extensions = state.extensions + (1 if by == "anti-sniping" else 0)
            latest = state.latest_close
            if by == "organiser" and state.closes_at is not None:
                latest = _shifted(latest, closes_at - state.closes_at)
            return state.changed(phase=phase, closes_at=closes_at, extensions=extensions, latest_close=latest)
        case AuctionPaused():
            return state.changed(phase=phase, paused_at=event.at)
        case AuctionResumed(closes_at=closes_at):
            assert state.closes_at is not None
            latest = _shifted(state.latest_close, closes_at - state.closes_at)
            return state.changed(phase=phase, paused_at=None, closes_at=closes_at, latest_close=latest)
        case LevelStarted(level=level, ends_at=ends_at):
            return state.changed(phase=phase, level=level, closes_at=ends_at, accepted=frozenset())
        case BidderDroppedOut(bidder=bidder):
            return state.changed(phase=phase, dropped=state.dropped | {bidder})
        case TurnStarted():
            return state.changed(
                phase=phase,
                round=event.round,
                turn_order=event.order,
                turn_position=event.position,
                closes_at=event.ends_at,
            )
        case TurnEnded():
            return state  # on record for the audit; the next TurnStarted (or the close) changes the state
        case BidderBlocked(bidder=bidder):
            return state.changed(phase=phase, blocked=state.blocked | {bidder})
        case BidderUnblocked(bidder=bidder):
            return state.changed(phase=phase, blocked=state.blocked - {bidder})
        case PracticeReset(opens_at=opens_at):
            # A fresh start with the same seats and rules; the bid ids stay known so a retried old bid is not
            # taken as new. The journal keeps the whole first run before this event.
            config = dataclasses.replace(state.cfg, opens_at_ms=opens_at)
            return AuctionState(phase=phase, config=config, bid_ids=state.bid_ids, blocked=state.blocked)
        case AuctionClosed() | AuctionCancelled():
            return state.changed(phase=phase)
        case AwardIntended(contract=contract, standstill_ends=standstill_ends):
            return state.changed(phase=phase, contract=contract, standstill_ends=standstill_ends, objections=())
        case AwardWithheld():
            return state.changed(phase=phase, contract=None, standstill_ends=None)
        case ObjectionRecorded(bidder=bidder, text=text, at=at):
            return state.changed(phase=phase, objections=(*state.objections, (bidder, text, at)))
        case AwardMadeDefinitive():
            return state.changed(phase=phase)
        case AwardPublished() | JournalHeadSigned():
            return state.changed(phase=phase)
        case DowntimeRecorded(closes_at=closes_at):
            moved = 0 if closes_at is None or state.closes_at is None else closes_at - state.closes_at
            latest = _shifted(state.latest_close, moved)
            return state.changed(phase=phase, closes_at=closes_at, latest_close=latest)
        case ContractSigned(signatory=signatory, signed_on=signed_on):
            return state.changed(phase=phase, signed=(signatory, signed_on))
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover


def _shifted(moment: int | None, by: int) -> int | None:
    """The latest close moves with the close when time stands still (pause, outage) or the organiser extends."""
    return None if moment is None else moment + by


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
