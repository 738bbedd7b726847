"""The single writer's group commit, on the in-memory journal: many bids, few commits, every receipt true."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from auction.journal.port import JournalEntry, MemoryJournal
from auction.live.runner import AuctionRunner, Outcome
from auction.rules.messages import Create, Event, PlaceBid, Tick
from tests.factories import T0, make_config


class CountingJournal(MemoryJournal):
    def __init__(self) -> None:
        super().__init__()
        self.appends = 0

    async def append(
        self, stream: str, expected_seq: int, events: Sequence[Event], recorded_at: int
    ) -> list[JournalEntry]:
        self.appends += 1
        await asyncio.sleep(0.01)  # a commit takes time: bids pile up behind it, as on a real disk
        return await super().append(stream, expected_seq, events, recorded_at)


async def open_runner(journal: CountingJournal, bidders: tuple[str, ...]) -> AuctionRunner:
    runner = AuctionRunner("T-L1-live", journal, lambda: T0 + 1000)
    await runner.process(Create(make_config(bidders=bidders, opens_at=T0)))
    await runner.process(Tick())
    runner.start()
    return runner


async def test_waiting_bids_share_one_commit_and_each_receipt_names_its_entry() -> None:
    journal = CountingJournal()
    bidders = tuple(f"s{n}" for n in range(30))
    runner = await open_runner(journal, bidders)
    appends_before = journal.appends
    outcomes = await asyncio.gather(
        *(
            runner.submit(PlaceBid(b, f"bid-{b}", {"A": "1.50", "B": f"{3 + n / 100:.2f}"}))
            for n, b in enumerate(bidders)
        )
    )
    await runner.stop()
    assert all(o.rejection is None and o.receipt is not None for o in outcomes)
    assert journal.appends - appends_before < len(bidders) / 3  # grouped, not one commit per bid
    entries = {e.seq: e for e in await journal.read("T-L1-live")}
    for outcome in outcomes:
        receipt = outcome.receipt
        assert receipt is not None
        entry = entries[receipt["seq"]]
        assert entry.hash == receipt["entry_hash"] and entry.payload["bid_id"] == receipt["bid_id"]
    assert len({o.receipt["seq"] for o in outcomes if o.receipt}) == len(bidders)


async def test_rules_hold_between_bids_of_one_batch() -> None:
    """Inside one commit each bid is decided against the state after the ones before it."""
    journal = CountingJournal()
    runner = await open_runner(journal, ("s1", "s2"))
    first = runner.submit(PlaceBid("s1", "a", {"A": "1.50", "B": "3.00"}))
    same_id_same_bid = runner.submit(PlaceBid("s1", "a", {"A": "1.50", "B": "3.00"}))
    same_id_other_bid = runner.submit(PlaceBid("s1", "a", {"A": "1.00", "B": "3.00"}))
    too_small = runner.submit(PlaceBid("s1", "b", {"A": "1.50", "B": "2.99"}))  # not 1 % below its own first
    other = runner.submit(PlaceBid("s2", "c", {"A": "1.40", "B": "3.00"}))
    results: list[Outcome] = await asyncio.gather(first, same_id_same_bid, same_id_other_bid, too_small, other)
    await runner.stop()
    assert results[0].receipt is not None and results[1].receipt == results[0].receipt
    assert results[2].rejection is not None and results[2].rejection.code == "duplicate_bid_id"
    assert results[3].rejection is not None and results[3].rejection.code == "decrement_too_small"
    assert results[4].receipt is not None
    stored = [e for e in await journal.read("T-L1-live") if e.type == "BidAccepted"]
    assert [e.payload["bid_id"] for e in stored] == ["a", "c"]
