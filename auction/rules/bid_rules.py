"""Whether a bid may be accepted in the current state: every rule a bid must meet, in one place.

:func:`check_bid` is called by the core before it accepts a bid and by the replay for every recorded bid, so
the auditor checks exactly the rules the server applied. Rules that concern the bidder's intent rather than
the offer (the far-below confirmation) are in :func:`far_below_refusal` and are not re-checked by a replay.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from auction.rules.config import AuctionConfig
from auction.rules.messages import Rejection
from auction.rules.money import PriceFormatError, format_price, parse_price
from auction.rules.state import AuctionState


def check_bid(state: AuctionState, bidder: str, prices: Mapping[str, str | int]) -> dict[str, int] | Rejection:
    """Check a bid against the rules in force; returns every line's price in units, or why it is refused.

    ``prices`` holds decimal strings from a bidder, or price units from a recorded bid (replay). With
    ``bid_lines = "changed"`` a later bid may leave out lines; they keep the bidder's standing prices.
    """
    checked = checked_bid(state, bidder, prices)
    return checked if isinstance(checked, Rejection) else checked[0]


def checked_bid(
    state: AuctionState, bidder: str, prices: Mapping[str, str | int]
) -> tuple[dict[str, int], int] | Rejection:
    """:func:`check_bid` with the volume-weighted total it computed (the core needs both, once per bid)."""
    cfg = state.cfg
    if cfg.seat(bidder) is None:
        return Rejection("unknown_bidder", "this bidder has no seat in this auction", {})
    if bidder in state.blocked:
        return BLOCKED
    eligible = _eligible(state, bidder)
    if eligible is not None:
        return eligible
    units = _line_prices(cfg, state, bidder, prices)
    if isinstance(units, Rejection):
        return units
    if cfg.by_levels:
        level = state.current_level
        if level is None or units != level.prices:
            return Rejection("not_the_level", "an acceptance must carry exactly the prices of the current level", {})
        return units, level.total
    total = weighted_total(cfg, units)
    ranked = cfg.ranked_figure(bidder, total)
    refusal = _decrement_refusal(state, bidder, total)
    if not sealed_now(state):  # comparing with others would tell a bidder about offers it may not see
        refusal = refusal or _best_refusal(state, bidder, total, ranked) or _tie_refusal(state, bidder, ranked)
    return refusal or (units, total)


def sealed_now(state: AuctionState) -> bool:
    """Bidders see nothing of the others: a sealed auction, or the initial-offer stage of fixed-turn rounds."""
    return state.cfg.sealed or (state.cfg.format == "rounds" and state.round == 0)


def weighted_total(cfg: AuctionConfig, prices: Mapping[str, int]) -> int:
    return sum(prices[line.id] * line.volume for line in cfg.lines)


def _eligible(state: AuctionState, bidder: str) -> Rejection | None:
    """Format rules on who may bid now: levels (not dropped out, not twice), turns (only the bidder on turn)."""
    cfg = state.cfg
    if cfg.format == "japanese":
        if bidder in state.dropped:
            return Rejection(
                "dropped_out", "you did not accept an earlier level in time and are out of this auction", {}
            )
        if bidder in state.accepted:
            return Rejection("already_accepted", "you have already accepted this level; wait for the next one", {})
    if cfg.format == "rounds":
        return turn_refusal(state, bidder)
    return None


BLOCKED = Rejection(
    "blocked", "the organiser has blocked your bidding; call the organiser to hear why and what to do", {}
)


def turn_refusal(state: AuctionState, bidder: str) -> Rejection | None:
    """Fixed-turn rounds, from round 1 on: only the bidder on turn may bid or pass; the others hear when."""
    if state.round == 0 or state.on_turn == bidder:
        return None
    position = _turn_position(state, bidder)
    if position is None:
        # Not in this round's order: the bidder was blocked when the round began (the order leaves blocked
        # bidders out), so it had no turn in it; a later round's order takes it in again.
        text = (
            f"it is not your turn: you are not in the order of round {state.round}, as you were blocked when it began"
        )
        if state.round < state.cfg.rounds:
            text += f"; you will have a turn in round {state.round + 1}"
        else:
            text += f"; round {state.round} is the last round, so you have no turn left"
    elif position < state.turn_position:
        text = f"it is not your turn: you have had your turn in round {state.round}"
    else:
        of = len(state.turn_order)
        text = f"it is not your turn: yours is turn {position + 1} of {of} in round {state.round}"
    return Rejection("not_your_turn", text, {"round": state.round})


def _turn_position(state: AuctionState, bidder: str) -> int | None:
    try:
        return state.turn_order.index(bidder)
    except ValueError:
        return None


def _line_prices(
    cfg: AuctionConfig, state: AuctionState, bidder: str, prices: Mapping[str, str | int]
) -> dict[str, int] | Rejection:
    expected = {line.id for line in cfg.lines}
    standing = state.standing.get(bidder)
    carried = standing.prices if standing is not None and cfg.bid_lines == "changed" else {}
    missing = sorted(expected - set(prices) - set(carried))
    if missing:
        text = "every line needs a price" if not carried else "every line needs a price in your first bid"
        return Rejection("missing_line", f"{text}; missing: {', '.join(missing)}", {"lines": missing})
    unknown = sorted(set(prices) - expected)
    if unknown:
        return Rejection("unknown_line", f"no such line in this lot: {', '.join(unknown)}", {"lines": unknown})
    units: dict[str, int] = {}
    for line in cfg.lines:
        if line.id not in prices:
            units[line.id] = carried[line.id]
            continue
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
    return units


def bid_limit(state: AuctionState, bidder: str) -> int | None:
    """The highest total the bidder's next bid may have under the decrement rule (None: only the ceiling)."""
    cfg = state.cfg
    own = state.standing.get(bidder)
    limits = []
    if own is not None:
        limits.append(own.total - cfg.required_decrement(own.total))
    best = state.best()
    if cfg.decrement_basis == "best" and best is not None and not sealed_now(state):
        limits.append(cfg.max_total_for_ranked(bidder, best.ranked - cfg.required_decrement(best.ranked)))
    return min(limits) if limits else None


def _decrement_refusal(state: AuctionState, bidder: str, total: int) -> Rejection | None:
    cfg = state.cfg
    d = cfg.price_decimals
    own = state.standing.get(bidder)
    if own is not None:
        required = cfg.required_decrement(own.total)
        limit = own.total - required
        if total > limit:
            return Rejection(
                "decrement_too_small",
                f"the total {format_price(total, d)} must be at most {format_price(limit, d)} (your previous "
                f"total {format_price(own.total, d)} minus the minimum decrement {format_price(required, d)})",
                {
                    "total": format_price(total, d),
                    "max_total": format_price(limit, d),
                    "previous_total": format_price(own.total, d),
                },
            )
    return None


def _best_refusal(state: AuctionState, bidder: str, total: int, ranked: int) -> Rejection | None:
    cfg = state.cfg
    d = cfg.price_decimals
    best = state.best()
    if cfg.decrement_basis == "best" and best is not None:
        required = cfg.required_decrement(best.ranked)
        if ranked > best.ranked - required:
            # Said in the bidder's own terms (its price total), so no other bidder's figure is disclosed beyond
            # what the rule itself implies.
            limit = cfg.max_total_for_ranked(bidder, best.ranked - required)
            return Rejection(
                "must_beat_best",
                f"a bid must beat the best offer by the minimum decrement: your total may be at most "
                f"{format_price(max(limit, 0), d)}",
                {"total": format_price(total, d), "max_total": format_price(max(limit, 0), d)},
            )
    return None


def _tie_refusal(state: AuctionState, bidder: str, ranked: int) -> Rejection | None:
    if state.cfg.ties != "refused":
        return None
    for other, standing in state.standing.items():
        if other != bidder and standing.ranked == ranked:
            return Rejection(
                "tie_refused",
                "another offer has exactly this ranked figure; equal offers are not allowed: bid a different amount",
                {},
            )
    return None


def far_below_reference(state: AuctionState, bidder: str) -> int:
    """What a new bid's ranked figure is compared with for the typo check: the best offer when bidders see it,
    else the bidder's own previous bid, else the ceiling."""
    cfg = state.cfg
    best = state.best()
    if best is not None and (cfg.show_best_total or cfg.show_ladder) and not sealed_now(state):
        return best.ranked
    own = state.standing.get(bidder)
    if own is not None:
        return own.ranked
    return cfg.ranked_figure(bidder, cfg.ceiling_total)


def far_below_refusal(state: AuctionState, bidder: str, total: int) -> Rejection | None:
    """A bid (of volume-weighted ``total``) more than ``far_below_percent`` below its reference needs the bidder's
    confirmation first."""
    cfg = state.cfg
    if cfg.far_below_percent is None:
        return None
    reference = far_below_reference(state, bidder)
    ranked = cfg.ranked_figure(bidder, total)
    threshold = Decimal(reference) * (1 - Decimal(cfg.far_below_percent) / 100)
    if Decimal(ranked) >= threshold:
        return None
    d = cfg.price_decimals
    return Rejection(
        "confirm_far_below",
        f"this bid is more than {cfg.far_below_percent} % below {format_price(reference, d)}: is it a typo? "
        "Check the prices and send it again, confirmed, if they are right",
        {"reference": format_price(reference, d), "percent": cfg.far_below_percent},
    )
