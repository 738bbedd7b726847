"""Fixed-turn rounds, as ProZorro runs them.

The auction opens with a sealed initial-offer stage (round 0): every bidder may place an offer, and sees
nothing of the others. Then come ``rounds`` rounds; in each, every bidder gets one timed turn, worst-ranked
first (bidders without an offer before all others, in seat order). On its turn a bidder may improve its offer
(one bid, which ends the turn) or keep it (pass); a turn that runs out counts as keeping. The auction closes
when the last turn of the last round ends.

Pure functions of the state, called by :mod:`auction.core`, which folds the events it has decided so far
before asking for the next turn (a bid in the last turn of a round changes the next round's order).
"""

from __future__ import annotations

from auction.rules.messages import AuctionClosed, AuctionOpened, Event, TurnEnded, TurnStarted
from auction.rules.state import AuctionState


def opening_events(state: AuctionState, now: int, by: str, reason: str) -> list[Event]:
    return [AuctionOpened(at=now, closes_at=now + state.cfg.initial_offers_s * 1000, by=by, reason=reason)]


def round_order(state: AuctionState) -> tuple[str, ...]:
    """Worst-ranked first: bidders without an offer (seat order), then from the last rank up to the first."""
    cfg = state.cfg
    eligible = [seat.bidder for seat in cfg.seats if seat.bidder not in state.blocked]
    without = [bidder for bidder in eligible if bidder not in state.standing]
    ranked = [bidder for bidder, _ in reversed(state.ranking()) if bidder in eligible]
    return (*without, *ranked)


def end_turn(state: AuctionState, now: int, how: str) -> TurnEnded:
    bidder = state.on_turn
    assert bidder is not None
    return TurnEnded(at=now, round=state.round, bidder=bidder, how=how)


def last_turn_of_round(state: AuctionState) -> bool:
    """No eligible bidder comes after the one on turn: what happens next depends on the ranking."""
    return all(bidder in state.blocked for bidder in state.turn_order[state.turn_position + 1 :])


def next_turn(state: AuctionState, now: int, starts_at: int) -> list[Event]:
    """The turn after the one just ended (or after the initial-offer stage), starting at ``starts_at``."""
    cfg = state.cfg
    ends_at = starts_at + cfg.turn_s * 1000
    if state.round > 0:
        for position in range(state.turn_position + 1, len(state.turn_order)):
            bidder = state.turn_order[position]
            if bidder not in state.blocked:
                return [TurnStarted(now, state.round, position, bidder, state.turn_order, ends_at)]
    if state.round >= cfg.rounds:
        return [AuctionClosed(at=now, by="rounds", reason=f"the last turn of round {cfg.rounds} ended")]
    order = round_order(state)
    if not order:
        return [AuctionClosed(at=now, by="rounds", reason="no bidder may take a turn")]
    return [TurnStarted(now, state.round + 1, 0, order[0], order, ends_at)]
