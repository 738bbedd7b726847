"""One writer per auction: an asyncio task that owns the auction's state.

Commands arrive through one queue. For each: decide → append to the journal (committed) → evolve → answer
the caller → publish fresh views to the connected clients. A bid is acknowledged only after its event is
durable. Deadlines (open, close) are this task's single timer; they reach the core as a ``Tick`` at ``now``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from auction.clock import Clock
from auction.journal.hashing import GENESIS
from auction.journal.port import ConcurrencyConflict, Journal, JournalEntry
from auction.journal.signing import Signer
from auction.live.outbox import Subscription
from auction.rules.config import AuctionConfig
from auction.rules.core import INITIAL, AuctionState, decide, evolve, next_deadline
from auction.rules.lifecycle import Phase
from auction.rules.messages import (
    AcceptLevel,
    AttestHead,
    BidAccepted,
    Command,
    EnterBid,
    Event,
    IntendAward,
    PlaceBid,
    Rejection,
    Tick,
)
from auction.rules.money import PriceFormatError, format_price, parse_price
from auction.rules.views import auction_description, bidder_state, observer_state

log = logging.getLogger(__name__)

QUEUE_LIMIT = 10_000  # commands waiting per auction; beyond this a bidder is told to retry ("busy")


Reply = Callable[["Outcome"], None]
Request = tuple["Command | None", "asyncio.Future[Outcome] | None", "Reply | None"]
# After these events the server signs the journal's head, so every decisive step is covered by a signature.
ATTESTED = {
    "AuctionClosed": "close",
    "AwardIntended": "award",
    "AwardWithheld": "no award",
    "AwardMadeDefinitive": "definitive",
    "ContractSigned": "signed",
    "AwardPublished": "published",
}

# Bids per group commit; more wait for the next one. AUCTION_BATCH_LIMIT=1 gives one commit per bid (the
# benchmark's baseline).
BATCH_LIMIT = max(1, int(os.environ.get("AUCTION_BATCH_LIMIT", "500")))


@dataclass
class Outcome:
    """What a command did: the journal entries it wrote, or the rejection; for bids also the receipt."""

    entries: list[JournalEntry] = field(default_factory=list)
    rejection: Rejection | None = None
    receipt: dict[str, Any] | None = None


class AuctionRunner:
    def __init__(self, auction_id: str, journal: Journal, clock: Clock, signer: Signer | None = None) -> None:
        self.auction_id = auction_id
        self._journal = journal
        self._clock = clock
        self.state: AuctionState = INITIAL
        self.seq = 0
        self.head_hash = GENESIS  # hash of the last journal entry
        self.head_time = 0  # when the last journal entry was written
        self._signer = signer  # signs the journal head at close and at award; None: unsigned (tests)
        self._receipts: dict[str, tuple[str, dict[str, int], dict[str, Any]]] = {}
        self._queue: asyncio.Queue[tuple[Command | None, asyncio.Future[Outcome] | None, Reply | None]] = asyncio.Queue(
            QUEUE_LIMIT
        )
        self._subscriptions: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------------------------------ lifecycle

    async def load(self) -> None:
        """Rebuild the state from the journal (after a restart, or to catch up after a conflict)."""
        for entry in await self._journal.read(self.auction_id, after_seq=self.seq):
            self._apply(entry)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"auction:{self.auction_id}")

    async def stop(self) -> None:
        if self._task is not None:
            await self._queue.put((None, None, None))
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for subscription in list(self._subscriptions):
            subscription.outbox.close()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    # ------------------------------------------------------------------------------------------- commands

    async def submit(self, command: Command, reply: Reply | None = None) -> Outcome:
        """Hand a command to the auction's task and wait for its outcome (after the journal commit).

        ``reply`` is called with the outcome before the new state is published, so the client that sent a bid
        hears its receipt before the state snapshot that shows it.
        """
        if not self.running:
            return await self.process(command, reply)
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        try:
            self._queue.put_nowait((command, future, reply))
        except asyncio.QueueFull:
            outcome = Outcome(rejection=Rejection("busy", "the auction is busy; send the bid again", {}))
            if reply is not None:
                reply(outcome)
            return outcome
        return await future

    async def _run(self) -> None:
        while True:
            try:
                first = await asyncio.wait_for(self._queue.get(), self._seconds_to_deadline())
            except TimeoutError:
                first = (Tick(), None, None)
            batch = [first]
            # Group commit: every bid waiting right now goes into one journal transaction.
            while len(batch) < BATCH_LIMIT and isinstance(batch[-1][0], PlaceBid) and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            stop = batch[-1][0] is None
            if stop:
                batch.pop()
            bids = [item for item in batch if isinstance(item[0], PlaceBid)]
            others = [item for item in batch if not isinstance(item[0], PlaceBid)]
            if bids:
                await self._guarded(self._process_bids, bids)
            for item in others:
                await self._guarded(self._process_one, [item])
            if stop:
                return

    async def _guarded(self, work: Callable[[list[Request]], Awaitable[None]], items: list[Request]) -> None:
        """Run ``work``; if the journal failed, nothing was applied and every waiting caller hears it."""
        try:
            await work(items)
        except Exception as exc:
            log.exception("auction %s: %d command(s) failed", self.auction_id, len(items))
            for _, future, _ in items:
                if future is not None and not future.done():
                    future.set_exception(exc)
            await asyncio.sleep(0.1)  # do not spin on a broken disk

    async def _process_one(self, items: list[Request]) -> None:
        command, future, reply = items[0]
        assert command is not None
        outcome = await self.process(command, reply)
        if future is not None and not future.done():
            future.set_result(outcome)

    async def _process_bids(self, items: list[Request]) -> None:
        """Decide every waiting bid in arrival order against the state as it would be after the ones before it,
        write all their events in one commit, then answer each bidder and publish once."""
        if self.state.phase is not Phase.NEW and await self._decide_and_record(Tick()):
            self._publish()
        now = self._clock()
        provisional = self.state
        events: list[Event] = []
        plans: list[tuple[Request, Outcome | None, int, int]] = []  # request, early outcome, first event, count
        first_in_batch: dict[str, int] = {}  # bid id -> index of the plan that accepted it
        for index, request in enumerate(items):
            command = request[0]
            assert isinstance(command, PlaceBid)
            early = self._repeated_bid(command)
            if early is None and command.bid_id in first_in_batch:
                first = items[first_in_batch[command.bid_id]][0]
                assert isinstance(first, PlaceBid)
                if first.bidder == command.bidder and first.prices == command.prices:
                    plans.append((request, None, 0, 0))  # the same bid twice: the first one's receipt, after commit
                    continue
                early = Outcome(rejection=_duplicate_bid_id(command.bid_id))
            if early is not None:
                plans.append((request, early, 0, 0))
                continue
            decision = decide(provisional, command, now)
            if isinstance(decision, Rejection):
                plans.append((request, Outcome(rejection=decision), 0, 0))
                continue
            for event in decision:
                provisional = evolve(provisional, event)
            first_in_batch[command.bid_id] = index
            plans.append((request, None, len(events), len(decision)))
            events.extend(decision)
        entries: list[JournalEntry] = []
        if events:
            try:
                entries = await self._journal.append(self.auction_id, self.seq, events, now)
            except ConcurrencyConflict:
                # Someone else wrote (the CLI without a server): catch up, then take the bids one by one.
                await self.load()
                for request in items:
                    await self._process_one([request])
                return
            for entry in entries:
                self._apply(entry)
        for (command, future, reply), early, start, count in plans:
            assert isinstance(command, PlaceBid)
            if early is not None:
                outcome = early
            else:
                outcome = Outcome(entries=entries[start : start + count], receipt=self._receipt_for(command))
            if reply is not None:
                reply(outcome)
            if future is not None and not future.done():
                future.set_result(outcome)
        if entries:
            self._publish()

    def _seconds_to_deadline(self) -> float | None:
        if self.state.phase is Phase.NEW:
            return None
        deadline = next_deadline(self.state)
        if deadline is None:
            return None
        return max(0.0, (deadline - self._clock()) / 1000)

    async def process(self, command: Command, reply: Reply | None = None) -> Outcome:
        """decide → journal → evolve → reply → publish, for one command; first record a deadline that passed."""
        due = not isinstance(command, Tick) and self.state.phase is not Phase.NEW
        if due and await self._decide_and_record(Tick()):
            self._publish()
        outcome = self._repeated_bid(command)
        if outcome is None:
            entries = await self._decide_and_record(command)
            if isinstance(entries, Rejection):
                outcome = Outcome(rejection=entries)
            else:
                outcome = Outcome(entries=entries, receipt=self._receipt_for(command))
        if reply is not None:
            reply(outcome)
        if outcome.entries:
            self._publish()
        return outcome

    async def _decide_and_record(self, command: Command) -> list[JournalEntry] | Rejection:
        """Decide at the current time and make the events durable; the state follows only after the commit."""
        for attempt in range(2):
            now = self._clock()
            if isinstance(command, IntendAward):
                # The contract names the journal entry it was decided on, signed, so anyone can check the log.
                command = dataclasses.replace(
                    command,
                    journal_head_seq=self.seq,
                    journal_head_hash=self.head_hash,
                    journal_head_signature=self._signer.sign_head(self.auction_id, self.seq, self.head_hash)
                    if self._signer
                    else "",
                    journal_head_public_key=self._signer.public_key if self._signer else "",
                )
            decision = decide(self.state, command, now)
            if isinstance(decision, Rejection) or not decision:
                return decision if isinstance(decision, Rejection) else []
            try:
                entries = await self._journal.append(self.auction_id, self.seq, decision, now)
            except ConcurrencyConflict:
                if attempt:
                    raise
                await self.load()  # someone else wrote (e.g. the CLI without a server): catch up and decide again
                continue
            for entry in entries:
                self._apply(entry)
            attest = next((e.type for e in entries if e.type in ATTESTED), None)
            if self._signer is not None and attest is not None:
                entries = entries + await self._attest(ATTESTED[attest])
            return entries
        raise AssertionError("unreachable")

    async def _attest(self, reason: str) -> list[JournalEntry]:
        """Sign the journal's head and record the signature as the next entry."""
        assert self._signer is not None
        signature = self._signer.sign_head(self.auction_id, self.seq, self.head_hash)
        attest = AttestHead(self.seq, self.head_hash, signature, self._signer.public_key, reason)
        decision = decide(self.state, attest, self._clock())
        if isinstance(decision, Rejection):  # pragma: no cover - attest is legal in every phase after the close
            raise RuntimeError(decision.message)
        entries = await self._journal.append(self.auction_id, self.seq, decision, self._clock())
        for entry in entries:
            self._apply(entry)
        return entries

    def _apply(self, entry: JournalEntry) -> None:
        event: Event = entry.event()
        self.state = evolve(self.state, event)
        self.seq = entry.seq
        self.head_hash = entry.hash
        self.head_time = entry.recorded_at
        if isinstance(event, BidAccepted):
            self._receipts[event.bid_id] = (event.bidder, dict(event.prices), self._receipt(entry, event))

    def _receipt(self, entry: JournalEntry, event: BidAccepted) -> dict[str, Any]:
        return {
            "type": "bid_accepted",
            "auction_id": self.auction_id,
            "bid_id": event.bid_id,
            "seq": entry.seq,
            "entry_hash": entry.hash,
            "server_time": entry.recorded_at,
            "total": format_price(event.total, self.state.cfg.price_decimals),
        }

    def _receipt_for(self, command: Command) -> dict[str, Any] | None:
        if isinstance(command, PlaceBid | AcceptLevel | EnterBid) and command.bid_id in self._receipts:
            return self._receipts[command.bid_id][2]
        return None

    def _repeated_bid(self, command: Command) -> Outcome | None:
        """A retried bid (same id, same bidder, same prices; or the same bidder's acceptance) gets its original
        receipt and is stored once."""
        if not isinstance(command, PlaceBid | AcceptLevel):
            return None
        known = self._receipts.get(command.bid_id)
        if known is None:
            return None
        bidder, prices, receipt = known
        same = bidder == command.bidder and (
            isinstance(command, AcceptLevel) or _same_prices(command.prices, prices, self.state.cfg)
        )
        if same:
            return Outcome(receipt=receipt)
        return Outcome(rejection=_duplicate_bid_id(command.bid_id))

    # ------------------------------------------------------------------------------------------ publishing

    def subscribe(self, bidder: str | None, greeting: dict[str, Any] | None = None) -> Subscription:
        """Start sending this client the auction's views; ``greeting`` goes before everything else."""
        subscription = Subscription(bidder)
        if greeting is not None:
            subscription.outbox.push(greeting)
        self._subscriptions.add(subscription)
        subscription.outbox.push(self.welcome())
        subscription.outbox.push(self.view(subscription))
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)
        subscription.outbox.close()

    def welcome(self) -> dict[str, Any]:
        return {
            "type": "welcome",
            "protocol": 1,
            "server_time": self._clock(),
            "auction": auction_description(self.state.cfg),
        }

    def view(self, subscription: Subscription) -> dict[str, Any]:
        now = self._clock()
        if subscription.bidder is None:
            return observer_state(self.state, self.seq, now)
        return bidder_state(self.state, subscription.bidder, self.seq, now)

    def _publish(self) -> None:
        if self.state.config is None:
            return
        for subscription in self._subscriptions:
            subscription.outbox.push(self.view(subscription))


def _duplicate_bid_id(bid_id: str) -> Rejection:
    return Rejection("duplicate_bid_id", "this bid id was already used for a different bid", {"bid_id": bid_id})


def _same_prices(submitted: dict[str, str], recorded: dict[str, int], cfg: AuctionConfig) -> bool:
    """The retry names the recorded prices (with ``bid_lines = "changed"`` it may name only some lines)."""
    decimals = cfg.price_decimals
    names_ok = set(submitted) == set(recorded) if cfg.bid_lines == "all" else set(submitted) <= set(recorded)
    if not submitted or not names_ok:
        return False
    try:
        return all(parse_price(str(submitted[k]), decimals) == recorded[k] for k in recorded)
    except PriceFormatError:
        return False


def outcome_summary(outcome: Outcome) -> dict[str, Any]:
    if outcome.rejection is not None:
        r: Rejection = outcome.rejection
        return {"ok": False, "code": r.code, "message": r.message, "details": r.details}
    return {"ok": True, "entries": [{"seq": e.seq, "type": e.type, "hash": e.hash} for e in outcome.entries]}
