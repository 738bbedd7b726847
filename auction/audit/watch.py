"""``auction replay … --watch``: an auction unfolding as it happened, from its journal alone.

The same fold as everywhere (``evolve``); between entries it waits the recorded time, divided by ``speed``.
Bidders appear under their aliases, as observers saw them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from auction.clock import to_iso
from auction.journal.port import JournalEntry
from auction.rules.core import INITIAL, evolve
from auction.rules.messages import (
    AuctionClosed,
    AuctionCreated,
    AuctionOpened,
    AuctionPaused,
    AuctionResumed,
    AwardIntended,
    BidAccepted,
    BidderBlocked,
    BidderDroppedOut,
    BidderUnblocked,
    CloseExtended,
    DowntimeRecorded,
    Event,
    JournalHeadSigned,
    LevelStarted,
    PracticeReset,
    TurnEnded,
    TurnStarted,
)
from auction.rules.money import format_euro


def describe(entry: JournalEntry, event: Event, aliases: dict[str, str], decimals: int, leader: str | None) -> str:
    match event:
        case BidAccepted():
            who = aliases.get(event.bidder, "?")
            lead = "  ← leads" if leader == event.bidder else ""
            by = f" (entered by the organiser: {event.reason})" if event.entered_by == "organiser" else ""
            return f"{who} bids {format_euro(event.total, decimals)}{lead}{by}"
        case AuctionCreated(config=cfg):
            kind = "practice auction" if cfg.practice else "auction"
            return (
                f"{kind} ({cfg.format}) for lot {cfg.lot_id} ({cfg.lot_name}), {len(cfg.seats)} seats, "
                f"{len(cfg.lines)} lines"
            )
        case LevelStarted():
            return (
                f"level {event.level + 1}: {event.percent} % of the ceiling, total {format_euro(event.total, decimals)}"
            )
        case BidderDroppedOut():
            return f"{aliases.get(event.bidder, '?')} dropped out at level {event.level + 1}"
        case TurnStarted():
            return (
                f"round {event.round}, turn {event.position + 1}/{len(event.order)}: {aliases.get(event.bidder, '?')}"
            )
        case TurnEnded():
            return f"{aliases.get(event.bidder, '?')} ends its turn ({event.how})"
        case BidderBlocked() | BidderUnblocked():
            verb = "blocked" if isinstance(event, BidderBlocked) else "unblocked"
            return f"{aliases.get(event.bidder, '?')} {verb}: {event.reason}"
        case PracticeReset():
            return f"practice reset; opens {to_iso(event.opens_at)} ({event.reason})"
        case AuctionOpened():
            return f"opened ({event.by}); closes {to_iso(event.closes_at)}"
        case CloseExtended():
            return f"close moved to {to_iso(event.closes_at)} ({event.by}: {event.reason})"
        case AuctionPaused() | AuctionResumed() | AuctionClosed():
            return f"{event.type.removeprefix('Auction').lower()}: {event.reason}"
        case DowntimeRecorded():
            gone = (event.down_to - event.down_from) / 1000
            return f"server was down {gone:.1f} s; close {to_iso(event.closes_at) if event.closes_at else '-'}"
        case JournalHeadSigned():
            return f"server signed the journal head #{event.head_seq} ({event.reason})"
        case AwardIntended():
            return f"intention to award to {event.contract['supplier']['name']} (rank {event.rank})"
    return getattr(event, "reason", "") or ""


def watch_lines(entries: list[JournalEntry]) -> Iterator[tuple[int, str]]:
    """(recorded time, line) per entry, in order."""
    state = INITIAL
    start = entries[0].recorded_at if entries else 0
    for entry in entries:
        event = entry.event()
        state = evolve(state, event)
        cfg = state.cfg
        aliases = {seat.bidder: seat.alias for seat in cfg.seats}
        text = describe(entry, event, aliases, cfg.price_decimals, state.leader())
        offset = (entry.recorded_at - start) / 1000
        line = f"+{offset:9.3f}s  #{entry.seq:<5} {entry.type:<20} {text}"
        if isinstance(event, BidAccepted):
            ladder = "  ".join(
                f"{rank}.{aliases[b].removeprefix('Bieder ')} {format_euro(bid.total, cfg.price_decimals)}"
                for rank, (b, bid) in enumerate(state.ranking()[:4], start=1)
            )
            line += f"\n{'':19}ladder: {ladder}"
        yield entry.recorded_at, line


def play(
    entries: list[JournalEntry], speed: float, out: Callable[[str], None], sleep: Callable[[float], None] = time.sleep
) -> None:
    previous: int | None = None
    for recorded_at, line in watch_lines(entries):
        if previous is not None and speed > 0:
            sleep(min(5.0, (recorded_at - previous) / 1000 / speed))  # never make anyone wait long
        previous = recorded_at
        out(line)
