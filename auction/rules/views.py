"""What each kind of user may see of an auction, as protocol messages (plain dicts, JSON-ready).

Bidders see the lot, the rules, the clock, their own bids and rank, and what the auction's visibility setting
announces (art. 35(5) of Directive 2014/24/EU): the best offer, the number of bidders, an anonymised ladder of
offers; in a sealed auction only their own bids. They never see another bidder's identity, alias or bid id,
in any phase. Observers (insurers) see aliases. The undisclosed reserve is never in a bidder's message.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from auction.rules.bid_rules import bid_limit, sealed_now
from auction.rules.config import AuctionConfig
from auction.rules.core import AuctionState
from auction.rules.lifecycle import Phase
from auction.rules.money import format_price

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
        "rules": rules_description(cfg),
        "opens_at": cfg.opens_at_ms,
        "duration_s": cfg.duration_s,
    }


TIE_RULE = {"by_time": "earlier", "refused": "refused"}


def rules_description(cfg: AuctionConfig) -> dict[str, Any]:
    """Every rule a bidder must know before the auction opens (the room shows them in Dutch or English)."""
    d = cfg.price_decimals
    rules: dict[str, Any] = {
        "format": cfg.format,
        "ceiling_total": format_price(cfg.ceiling_total, d),
        "decrement_percent": cfg.decrement_percent,
        "decrement_amount": None if cfg.decrement_amount is None else format_price(cfg.decrement_amount, d),
        "decrement_basis": cfg.decrement_basis,
        "bid_lines": cfg.bid_lines,
        "tie_rule": {"japanese": "earliest_acceptance", "dutch": "first_acceptance"}.get(
            cfg.format, TIE_RULE[cfg.ties]
        ),
        "far_below_percent": cfg.far_below_percent,
        # That a reserve applies is announced (the award is conditional if it is not met); its amount never is.
        "reserve_applies": cfg.reserve_total is not None,
        "closing": cfg.closing,
        "quiet_period_s": cfg.quiet_period_s if cfg.closing == "quiet" else None,
        "extension_window_s": cfg.extension_window_s,
        "extension_s": cfg.extension_s,
        "extension_trigger": cfg.extension_trigger,
        "extension_top_k": cfg.extension_top_k,
        "extension_from": cfg.extension_from,
        "max_extensions": cfg.max_extensions,
        "show_bidder_count": cfg.show_bidder_count,
        "show_best_total": cfg.show_best_total,
        "show_ladder": cfg.show_ladder,
        "sealed": cfg.sealed,
        "meat": None
        if cfg.meat_formula is None
        else {
            "formula": cfg.meat_formula,
            "max_discount_percent": cfg.meat_max_discount_percent,
            "bonus_per_point": None if cfg.meat_bonus_per_point is None else format_price(cfg.meat_bonus_per_point, d),
        },
    }
    if cfg.by_levels:
        rules["level_interval_s"] = cfg.level_interval_s
        rules["levels"] = [
            {
                "level": level.index,
                "number": level.index + 1,
                "percent": level.percent,
                "total": format_price(level.total, d),
            }
            for level in cfg.levels
        ]
    if cfg.format == "rounds":
        rules.update(rounds=cfg.rounds, turn_s=cfg.turn_s, initial_offers_s=cfg.initial_offers_s)
    return rules


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
    last_bid = None
    if own is not None:
        last_bid = {
            "bid_id": own.bid_id,
            "prices": {line_id: format_price(units, d) for line_id, units in own.prices.items()},
            "total": format_price(own.total, d),
            "at": own.at,
        }
    limit = bid_limit(state, bidder)
    hidden = sealed_now(state)  # a sealed auction, or the sealed initial-offer stage of rounds
    you: dict[str, Any] = {
        "last_bid": last_bid,
        "rank": None if hidden else state.rank_of(bidder),
        "max_total": format_price(max(limit, 0) if limit is not None else cfg.ceiling_total, d),
        "blocked": bidder in state.blocked,
    }
    if cfg.meat_formula is not None:
        you.update(_own_quality_weighting(state, bidder))
    message: dict[str, Any] = {"type": "state", **_clock(state, seq, now), "you": you, "sealed": hidden}
    if cfg.show_bidder_count:
        message["bidder_count"] = len(cfg.seats)
    best = state.best()
    if cfg.show_best_total and not hidden:
        message["best_total"] = format_price(best.ranked, d) if best is not None else None
    if cfg.show_ladder and not hidden:  # the only view that needs every offer
        ranking = state.ranking()
        message["ladder"] = [
            {"rank": rank, "total": format_price(offer.ranked, d), "you": who == bidder}
            for rank, (who, offer) in enumerate(ranking, start=1)
        ]
    if cfg.by_levels:
        message["level"] = _level_view(state, bidder)
    if cfg.format == "rounds":
        message["round"] = _round_view(state, bidder)
    return message


def _own_quality_weighting(state: AuctionState, bidder: str) -> dict[str, Any]:
    """MEAT: the bidder's own score and weight, its ranked figure and the totals that would beat the next rank
    and the lead ("bid to beat"); figures of other bidders appear only through these totals (not when sealed)."""
    cfg = state.cfg
    d = cfg.price_decimals
    seat = cfg.seat(bidder)
    own = state.standing.get(bidder)
    weight = cfg.meat_weight(bidder)
    view: dict[str, Any] = {
        "quality_score": seat.quality_score if seat else None,
        "weight": _weight_text(cfg, weight),
        "ranked": None if own is None else format_price(own.ranked, d),
        "bid_to_beat": None,
    }
    if sealed_now(state):
        return view
    rank = state.rank_of(bidder)
    # The offer just above this bidder's (for a bidder without an offer: the last one), and the leader's.
    above = state.offer_at(-1 if rank is None else rank - 1) if rank != 1 else None
    leader = state.best() if state.leader() != bidder else None
    limit = bid_limit(state, bidder)

    def to_beat(target: int | None) -> str | None:
        if target is None:
            return None
        total = cfg.max_total_for_ranked(bidder, target - 1)  # strictly better: an equal figure ranks later
        if limit is not None:
            total = min(total, limit)
        total = min(total, cfg.ceiling_total)
        return format_price(total, d) if total > 0 else None

    view["bid_to_beat"] = {
        "next_rank": to_beat(above.ranked if above is not None else None),
        "lead": to_beat(leader.ranked if leader is not None else None),
    }
    return view


def _weight_text(cfg: AuctionConfig, weight: Fraction | None) -> str | None:
    """The factor with four decimals ("0.9120"), or the bonus in euros ("8800.00")."""
    if weight is None:
        return None
    if cfg.meat_formula == "factor":
        return f"{Decimal(weight.numerator) / Decimal(weight.denominator):.4f}"
    return format_price(round(weight), cfg.price_decimals)


def _level_view(state: AuctionState, bidder: str) -> dict[str, Any] | None:
    level = state.current_level
    if level is None:
        return None
    cfg = state.cfg
    d = cfg.price_decimals
    view: dict[str, Any] = {
        "level": level.index,
        "number": level.index + 1,
        "of": len(cfg.levels),
        "percent": level.percent,
        "prices": {line_id: format_price(units, d) for line_id, units in level.prices.items()},
        "total": format_price(level.total, d),
        "ends_at": state.closes_at,
        "accepted": bidder in state.accepted,
        "out": bidder in state.dropped,
    }
    if cfg.format == "japanese" and cfg.show_bidder_count:
        view["bidders_in"] = len(cfg.seats) - len(state.dropped)
    return view


def _round_view(state: AuctionState, bidder: str) -> dict[str, Any]:
    cfg = state.cfg
    order = state.turn_order
    return {
        "round": state.round,
        "of": cfg.rounds,
        "stage": "initial_offers" if state.round == 0 else "turns",
        "your_turn": state.on_turn == bidder,
        "your_position": order.index(bidder) + 1 if bidder in order else None,
        "position": state.turn_position + 1 if state.round > 0 else None,
        "positions": len(order),
        "ends_at": state.closes_at,
    }


def observer_state(state: AuctionState, seq: int, now: int) -> dict[str, Any]:
    """The ``observer_state`` message: the anonymised ladder (aliases, never supplier names)."""
    cfg = state.cfg
    d = cfg.price_decimals
    aliases = {seat.bidder: seat.alias for seat in cfg.seats}
    ladder = [
        {
            "rank": rank,
            "alias": aliases[bidder],
            "total": format_price(bid.total, d),
            "ranked": format_price(bid.ranked, d),
            "at": bid.at,
        }
        for rank, (bidder, bid) in enumerate(state.ranking(), start=1)
    ]
    message: dict[str, Any] = {
        "type": "observer_state",
        **_clock(state, seq, now),
        "format": cfg.format,
        "bid_count": state.bid_count,
        "seats": len(cfg.seats),
        "ladder": ladder,
        "blocked": sorted(aliases[b] for b in state.blocked),
        "awarded": state.contract is not None,
    }
    level = state.current_level
    if level is not None:
        message["level"] = {
            "level": level.index,
            "number": level.index + 1,
            "of": len(cfg.levels),
            "percent": level.percent,
            "total": format_price(level.total, d),
            "ends_at": state.closes_at,
            "accepted": sorted(aliases[b] for b in state.accepted),
            "out": sorted(aliases[b] for b in state.dropped),
        }
    if cfg.format == "rounds":
        on_turn = state.on_turn
        message["round"] = {
            "round": state.round,
            "of": cfg.rounds,
            "stage": "initial_offers" if state.round == 0 else "turns",
            "order": [aliases[b] for b in state.turn_order],
            "on_turn": None if on_turn is None else aliases[on_turn],
            "ends_at": state.closes_at,
        }
    return message
