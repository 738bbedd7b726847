"""One contract for every journal implementation: in memory and SQL (a real SQLite file)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from auction.journal.hashing import GENESIS, entry_hash
from auction.journal.port import ConcurrencyConflict, Journal, MemoryJournal
from auction.rules.messages import AuctionCreated, AuctionPaused, Event
from auction.storage.db import create_schema, make_engine, sqlite_url
from auction.storage.sql_journal import SqlJournal
from tests.factories import T0, make_config


@pytest.fixture(params=["memory", "sqlite"])
async def journal(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Journal]:
    if request.param == "memory":
        yield MemoryJournal()
        return
    engine = make_engine(sqlite_url(tmp_path / "journal.db"))
    await create_schema(engine)
    yield SqlJournal(engine)
    await engine.dispose()


def events(n: int) -> list[Event]:
    return [AuctionPaused(at=T0 + i, reason=f"r{i}") for i in range(n)]


async def test_sequences_start_at_one_and_have_no_gaps(journal: Journal) -> None:
    first = await journal.append("a", 0, [AuctionCreated(at=T0, config=make_config())], T0)
    more = await journal.append("a", 1, events(3), T0 + 5)
    assert [e.seq for e in first + more] == [1, 2, 3, 4]
    assert [e.seq for e in await journal.read("a")] == [1, 2, 3, 4]
    assert [e.seq for e in await journal.read("a", after_seq=2)] == [3, 4]


async def test_entries_chain_by_hash(journal: Journal) -> None:
    await journal.append("a", 0, events(3), T0)
    stored = await journal.read("a")
    assert stored[0].prev_hash == GENESIS
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_hash == before.hash
    for e in stored:
        assert entry_hash(e.stream, e.seq, e.recorded_at, e.type, e.payload, e.prev_hash) == e.hash


async def test_events_round_trip(journal: Journal) -> None:
    created = AuctionCreated(at=T0, config=make_config())
    await journal.append("a", 0, [created], T0)
    assert (await journal.read("a"))[0].event() == created


async def test_a_stale_writer_gets_a_conflict_and_writes_nothing(journal: Journal) -> None:
    await journal.append("a", 0, events(2), T0)
    with pytest.raises(ConcurrencyConflict):
        await journal.append("a", 1, events(1), T0)
    assert len(await journal.read("a")) == 2


async def test_streams_are_independent(journal: Journal) -> None:
    await journal.append("a", 0, events(2), T0)
    await journal.append("b", 0, events(1), T0)
    assert [e.seq for e in await journal.read("b")] == [1]
    assert await journal.streams() == ["a", "b"]


async def test_concurrent_writers_never_fork_the_stream(tmp_path: Path) -> None:
    """Two SQL journals on one file racing for the same seq: exactly one wins each round."""
    engine = make_engine(sqlite_url(tmp_path / "race.db"))
    await create_schema(engine)
    other = make_engine(sqlite_url(tmp_path / "race.db"))
    one, two = SqlJournal(engine), SqlJournal(other)
    try:
        results = await asyncio.gather(
            one.append("a", 0, events(1), T0), two.append("a", 0, events(1), T0), return_exceptions=True
        )
        assert sum(isinstance(r, ConcurrencyConflict) for r in results) == 1
        assert len(await one.read("a")) == 1
    finally:
        await engine.dispose()
        await other.dispose()
