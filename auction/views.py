"""What each kind of user may see of an auction, as protocol messages (plain dicts, JSON-ready).

Bidders see the lot, the rules, the clock, their own bids and rank, and (if the rules announce it) the number
of bidders and the best total. They never see another bidder's identity. Observers (insurers) see aliases.
"""

from __future__ import annotations

from typing import Any

from auction.core import AuctionState
from auction.lifecycle import Phase
from auction.money import format_price
from auction.rules import AuctionConfig

PROTOCOL_VERSION = 1


def auction_description(cfg: AuctionConfig) -> dict[str, Any]:
    """The static part of an auction, sent once per connection in ``welcome``."""
    d = cfg.price_decimals
    return {
        "id": cfg.auction_id,
        "tender_title": cfg.tender_title,
        "lot_id": cfg.lot_id,
        "lot_name": cfg.lot_name,
        "practice": cfg.practice,
        "currency": "EUR",
        "price_decimals": d,
        "lines": [
            {
                "id": line.id,
                "description": line.description,
                "unit": line.unit,
                "volume": line.volume,
                "ceiling": format_price(line.ceiling, d),
            }
            for line in cfg.lines
        ],
        "rules": {
            "ceiling_total": format_price(cfg.ceiling_total, d),
            "decrement_percent": cfg.decrement_percent,
            "decrement_amount": None if cfg.decrement_amount is None else format_price(cfg.decrement_amount, d),
            "extension_window_s": cfg.extension_window_s,
            "extension_s": cfg.extension_s,
            "max_extensions": cfg.max_extensions,
            "show_bidder_count": cfg.show_bidder_count,
            "show_best_total": cfg.show_best_total,
            "tie_rule": "earlier",
        },
        "opens_at": cfg.opens_at_ms,
        "duration_s": cfg.duration_s,
    }


def _clock(state: AuctionState, seq: int, now: int) -> dict[str, Any]:
    cfg = state.cfg
    return {
        "seq": seq,
        "phase": str(state.phase),
        "practice": cfg.practice,
        "server_time": now,
        "opens_at": cfg.opens_at_ms if state.phase is Phase.SCHEDULED else None,
        "closes_at": state.closes_at,
        "paused": state.phase is Phase.PAUSED,
        # While paused the clock stands still: this is the time that will be left when bidding resumes.
        "remaining_ms": (state.closes_at - state.paused_at)
        if state.closes_at is not None and state.paused_at is not None
        else None,
        "extensions": state.extensions,
    }


def bidder_state(state: AuctionState, bidder: str, seq: int, now: int) -> dict[str, Any]:
    """The ``state`` message for one bidder. Contains no other bidder's id, alias, prices or bid ids."""
    cfg = state.cfg
    d = cfg.price_decimals
    own = state.standing.get(bidder)
    if own is None:
        last_bid = None
        max_total = format_price(cfg.ceiling_total, d)
    else:
        last_bid = {
            "bid_id": own.bid_id,
            "prices": {line_id: format_price(units, d) for line_id, units in own.prices.items()},
            "total": format_price(own.total, d),
            "at": own.at,
        }
        max_total = format_price(own.total - cfg.required_decrement(own.total), d)
    message: dict[str, Any] = {"type": "state", **_clock(state, seq, now)}
    message["you"] = {"last_bid": last_bid, "rank": state.rank_of(bidder), "max_total": max_total}
    if cfg.show_bidder_count:
        message["bidder_count"] = len(cfg.seats)
    if cfg.show_best_total:
        ranking = state.ranking()
        message["best_total"] = format_price(ranking[0][1].total, d) if ranking else None
    return message


def observer_state(state: AuctionState, seq: int, now: int) -> dict[str, Any]:
    """The ``observer_state`` message: the anonymised ladder (aliases, never supplier names)."""
    cfg = state.cfg
    d = cfg.price_decimals
    aliases = {seat.bidder: seat.alias for seat in cfg.seats}
    ladder = [
        {"rank": rank, "alias": aliases[bidder], "total": format_price(bid.total, d), "at": bid.at}
        for rank, (bidder, bid) in enumerate(state.ranking(), start=1)
    ]
    return {
        "type": "observer_state",
        **_clock(state, seq, now),
        "bid_count": state.bid_count,
        "seats": len(cfg.seats),
        "ladder": ladder,
        "awarded": state.contract is not None,
    }
