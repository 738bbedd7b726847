"""The practice auction as a copy of the live one: the same lot, lines, rules, seats and aliases.

Bidders rehearse exactly what they will meet: the configuration is taken from the live auction's recorded
``AuctionCreated`` event (its journal, not the tender file), with ``practice=True``, its own auction id and journal
stream, and optionally every duration divided by a factor so a rehearsal of an hour takes minutes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.rules.config import AuctionConfig
from auction.rules.messages import AuctionCreated
from auction.steps.auctions import auction_id_for, create_auction, get_auction
from auction.storage.db import auctions
from auction.storage.sql_journal import journal_for
from qualification.common.errors import InputError, StepOutOfOrder

# Every duration of the configuration, in seconds: what --compress divides.
DURATION_FIELDS = (
    "duration_s",
    "extension_window_s",
    "extension_s",
    "quiet_period_s",
    "level_interval_s",
    "turn_s",
    "initial_offers_s",
    "standstill_s",
)


def compressed(config: AuctionConfig, factor: int) -> AuctionConfig:
    """Every duration divided by ``factor`` (rounded down, at least 1 s); a duration of 0 (e.g. no
    anti-sniping window) stays 0. ``factor`` 1 changes nothing."""
    if factor < 1:
        raise InputError("--compress", "must be a whole number of 1 or more")
    changes: dict[str, Any] = {}
    for name in DURATION_FIELDS:
        seconds: int = getattr(config, name)
        changes[name] = max(1, seconds // factor) if seconds > 0 else 0
    return dataclasses.replace(config, **changes)


async def recorded_config(engine: AsyncEngine, auction_id: str) -> AuctionConfig:
    """The configuration an auction was created with, from the first event of its journal."""
    await get_auction(engine, auction_id)
    entries = await journal_for(engine).read(auction_id)
    event = entries[0].event() if entries else None
    if not isinstance(event, AuctionCreated):
        raise StepOutOfOrder(f"auction {auction_id} has no AuctionCreated event at the start of its journal")
    return event.config


async def practice_from_live(
    engine: AsyncEngine,
    live_auction_id: str,
    opens_at_ms: int,
    compress: int = 1,
    clock: Clock = system_clock,
) -> AuctionConfig:
    """Create the practice auction of the live auction's lot from the live auction's recorded configuration."""
    row = await get_auction(engine, live_auction_id)
    if row.kind != "live":
        raise InputError("--from", f"{live_auction_id} is a {row.kind} auction; name the live auction of the lot")
    live = await recorded_config(engine, live_auction_id)
    if live.practice:  # pragma: no cover - a live row always holds a live configuration
        raise InputError("--from", f"{live_auction_id} is a practice auction; name the live auction of the lot")
    practice_id = auction_id_for(live.tender_id, live.lot_id, "practice")
    async with engine.connect() as conn:
        if (await conn.execute(select(auctions.c.id).where(auctions.c.id == practice_id))).first():
            raise StepOutOfOrder(
                f"the practice auction {practice_id} exists already: start it over with"
                f" `auction practice reset {practice_id} --reason …`"
            )
    config = dataclasses.replace(live, auction_id=practice_id, practice=True, opens_at_ms=opens_at_ms)
    config = compressed(config, compress)
    await create_auction(engine, config, "practice", clock)
    return config
