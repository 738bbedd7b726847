"""Japanese and Dutch auctions: the price moves through announced levels and bidders accept a level.

Reverse Japanese: the price starts at the ceiling and falls one level per interval. Every bidder still in
must accept each level before it ends; one who does not drops out for good. When a level ends with one
bidder in, it wins at that level; when it ends with nobody in, the bidders of the level before are tied and
the earliest acceptance of that level wins; at the floor level, the earliest acceptance of the floor wins.

Reverse Dutch: the price starts at the floor and rises one level per interval; the first bidder to accept a
level wins at that level and the auction closes at once.

Pure functions of the state, called by :mod:`auction.core`.
"""

from __future__ import annotations

from auction.rules.bid_rules import check_bid
from auction.rules.messages import (
    AcceptLevel,
    AuctionClosed,
    AuctionOpened,
    BidAccepted,
    BidderDroppedOut,
    Event,
    LevelStarted,
    Rejection,
)
from auction.rules.state import AuctionState


def opening_events(state: AuctionState, now: int, by: str, reason: str) -> list[Event]:
    first = state.cfg.levels[0]
    ends_at = now + state.cfg.level_interval_s * 1000
    return [
        AuctionOpened(at=now, closes_at=ends_at, by=by, reason=reason),
        LevelStarted(at=now, level=first.index, percent=first.percent, total=first.total, ends_at=ends_at),
    ]


def accept(state: AuctionState, command: AcceptLevel, now: int) -> list[Event] | Rejection:
    level = state.current_level
    assert level is not None
    if command.bid_id in state.bid_ids:
        return Rejection("duplicate_bid_id", "a bid with this id was already accepted", {"bid_id": command.bid_id})
    # Who may accept at all (seat, blocked, dropped out) comes before which level: a blocked bidder hears that.
    checked = check_bid(state, command.bidder, level.prices)
    if isinstance(checked, Rejection):
        return checked
    if command.level != level.index:
        return Rejection(
            "level_changed",
            f"the price moved to level {level.index + 1} ({level.percent} % of the ceiling) before your acceptance "
            f"of level {command.level + 1} arrived; nothing was accepted: accept the current level to stay in",
            {"level": level.index, "sent": command.level},
        )
    bid = BidAccepted(
        at=now,
        bid_id=command.bid_id,
        bidder=command.bidder,
        prices=dict(level.prices),
        total=level.total,
        entered_by=command.entered_by,
        reason=command.reason,
    )
    if state.cfg.format == "dutch":
        return [bid, AuctionClosed(at=now, by="acceptance", reason=f"level {level.index + 1} was accepted")]
    return [bid]


def level_end(state: AuctionState, now: int) -> list[Event]:
    """The standing level's time is up: the next level, drop-outs, or the close."""
    cfg = state.cfg
    level = state.current_level
    assert level is not None and state.closes_at is not None
    has_next = level.index + 1 < len(cfg.levels)
    ends_at = state.closes_at + cfg.level_interval_s * 1000
    if cfg.format == "dutch":
        if has_next:
            return [_start(state, level.index + 1, now, ends_at)]
        return [AuctionClosed(at=now, by="schedule", reason="no bidder accepted any level up to the ceiling")]
    active = [seat.bidder for seat in cfg.seats if seat.bidder not in state.dropped]
    staying = [bidder for bidder in active if bidder in state.accepted]
    events: list[Event] = [
        BidderDroppedOut(at=now, bidder=bidder, level=level.index) for bidder in active if bidder not in state.accepted
    ]
    if len(staying) >= 2 and has_next:
        events.append(_start(state, level.index + 1, now, ends_at))
        return events
    if len(staying) == 1:
        reason = f"one bidder left at level {level.index + 1}"
    elif staying:
        reason = f"the floor level {level.index + 1} was reached with {len(staying)} bidders in"
    elif level.index == 0:
        reason = "no bidder accepted the first level"
    else:
        reason = f"no bidder accepted level {level.index + 1}: the bidders of level {level.index} are tied"
    events.append(AuctionClosed(at=now, by="schedule", reason=reason))
    return events


def _start(state: AuctionState, index: int, now: int, ends_at: int) -> LevelStarted:
    level = state.cfg.levels[index]
    return LevelStarted(at=now, level=index, percent=level.percent, total=level.total, ends_at=ends_at)
