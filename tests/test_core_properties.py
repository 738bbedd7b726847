"""Hypothesis stateful tests of the auction invariants, on the pure core and the in-memory journal's chain."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from auction.audit.replay import replay
from auction.journal.port import JournalEntry, chain
from auction.rules.core import INITIAL, AuctionState, decide, evolve, fold
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AuctionClosed,
    BidAccepted,
    Close,
    Command,
    Create,
    Event,
    Pause,
    PlaceBid,
    Rejection,
    Resume,
    Tick,
)
from tests.factories import T0, make_config

BIDDERS = ("s1", "s2", "s3")
CONFIG = make_config(window_s=30, extension_s=30, max_extensions=5, duration_s=120)


class AuctionMachine(RuleBasedStateMachine):
    """Random commands at random times; after each, the live state must match what the rules allow."""

    @initialize()
    def create(self) -> None:
        self.now = T0 - 1000
        self.state: AuctionState = INITIAL
        self.entries: list[JournalEntry] = []
        self.bid_counter = 0
        self.apply(Create(CONFIG))

    def apply(self, command: Command) -> list[Event] | Rejection:
        before = self.state
        result = decide(self.state, command, self.now)
        if isinstance(result, Rejection):
            assert self.state is before  # a rejection changes nothing
            return result
        last_hash = self.entries[-1].hash if self.entries else "0" * 64
        self.entries += chain("m", len(self.entries), last_hash, result, self.now)
        for event in result:
            self.check_event(self.state, event)
            self.state = evolve(self.state, event)
        return result

    def check_event(self, state: AuctionState, event: Event) -> None:
        if isinstance(event, BidAccepted):
            assert state.phase is Phase.OPEN, "a bid was accepted outside the open phase"
            assert state.closes_at is not None and event.at < state.closes_at, "a bid was accepted after the close"
            for line in CONFIG.lines:
                assert 0 < event.prices[line.id] <= line.ceiling
            previous = state.standing.get(event.bidder)
            if previous is not None:
                assert event.total <= previous.total - CONFIG.required_decrement(previous.total)
        if isinstance(event, AuctionClosed) and event.by == "schedule":
            assert state.closes_at is not None and event.at >= state.closes_at

    @rule(seconds=st.integers(min_value=0, max_value=40))
    def time_passes(self, seconds: int) -> None:
        self.now += seconds * 1000
        self.apply(Tick())

    @rule(bidder=st.sampled_from(BIDDERS), a=st.integers(1, 230), b=st.integers(1, 430))
    def place_bid(self, bidder: str, a: int, b: int) -> None:
        self.bid_counter += 1
        self.now += 100
        prices = {"A": f"{a // 100}.{a % 100:02d}", "B": f"{b // 100}.{b % 100:02d}"}
        result = self.apply(PlaceBid(bidder, f"b{self.bid_counter}", prices))
        if isinstance(result, list):
            assert self.state.standing[bidder].total == a * 1000 + b * 500

    @rule(bidder=st.sampled_from(BIDDERS))
    def repeat_bid_id(self, bidder: str) -> None:
        if self.state.bid_ids:
            used = sorted(self.state.bid_ids)[0]
            result = decide(self.state, PlaceBid(bidder, used, {"A": "0.01", "B": "0.01"}), self.now)
            assert isinstance(result, Rejection)

    @precondition(lambda self: self.state.phase is Phase.OPEN)
    @rule()
    def pause(self) -> None:
        self.apply(Pause(reason="check"))

    @precondition(lambda self: self.state.phase is Phase.PAUSED)
    @rule(seconds=st.integers(0, 30))
    def resume(self, seconds: int) -> None:
        self.now += seconds * 1000
        left_before = (self.state.closes_at or 0) - (self.state.paused_at or 0)
        self.apply(Resume(reason="go on"))
        assert (self.state.closes_at or 0) - self.now == left_before

    @rule()
    def close(self) -> None:
        self.apply(Close(reason="organiser"))

    @invariant()
    def sequences_have_no_gaps(self) -> None:
        assert [e.seq for e in self.entries] == list(range(1, len(self.entries) + 1))

    @invariant()
    def replay_equals_live(self) -> None:
        report = replay("m", self.entries)
        assert report.ok, report.problem
        assert report.state == self.state
        assert fold([e.event() for e in self.entries]) == self.state

    @invariant()
    def ranking_is_by_total_then_time(self) -> None:
        ranking = self.state.ranking()
        keys = [(bid.total, bid.order) for _, bid in ranking]
        assert keys == sorted(keys)


TestAuctionMachine = AuctionMachine.TestCase
TestAuctionMachine.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
