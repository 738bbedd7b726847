"""The auditor's replay: prove an auction's outcome from its journal alone.

It checks, entry by entry: the sequence has no gaps, each entry links to the previous one's hash, each hash
matches the entry's content, each event can follow the phase it arrives in, each accepted bid obeys the
rules at that moment, and the recorded contract is exactly the one the closing ranking gives. It stops at the
first entry that breaks and names it. The fold is the same ``evolve`` the live server uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from auction.journal.hashing import GENESIS, entry_hash
from auction.journal.port import JournalEntry
from auction.journal.signing import verify_head
from auction.rules import turns
from auction.rules.core import INITIAL, AuctionState, check_bid, derive_contract, downtime_event, evolve, weighted_total
from auction.rules.lifecycle import IllegalTransition, Phase
from auction.rules.messages import (
    AuctionClosed,
    AwardIntended,
    AwardMadeDefinitive,
    BidAccepted,
    BidderDroppedOut,
    DowntimeRecorded,
    Event,
    JournalHeadSigned,
    LevelStarted,
    ObjectionRecorded,
    PracticeReset,
    Rejection,
    TurnStarted,
    UnknownEvent,
)


@dataclass
class ReplayReport:
    stream: str
    entries_checked: int = 0
    state: AuctionState = INITIAL
    problem: str | None = None
    broken_seq: int | None = None
    notes: list[str] = field(default_factory=list)
    signatures_checked: int = 0
    public_keys: set[str] = field(default_factory=set)  # the keys the journal's signatures were made with

    @property
    def ok(self) -> bool:
        return self.problem is None


def replay(stream: str, entries: list[JournalEntry], public_key: str | None = None) -> ReplayReport:
    """Verify and fold ``entries`` (as read from the journal, in seq order).

    With ``public_key``, every signature must be that key's; without it, signatures are checked against the
    key they name (and :attr:`ReplayReport.public_keys` says which keys those were).
    """
    report = ReplayReport(stream)
    hashes: dict[int, str] = {}
    previous_hash = GENESIS
    previous_time = 0
    state = INITIAL
    if not entries:
        report.problem = "the journal has no entries for this auction"
        return report
    for expected_seq, entry in enumerate(entries, start=1):
        problem = check_link(entry, expected_seq, previous_hash, previous_time)
        if problem is None:
            try:
                event = entry.event()
                problem = _check_rules(state, event, (expected_seq - 1, previous_hash))
                if problem is None:
                    problem = _check_signature(stream, event, hashes, public_key, report)
                if problem is None:
                    state = evolve(state, event)
            except (UnknownEvent, IllegalTransition, TypeError, KeyError, ValueError) as exc:
                problem = f"cannot be applied: {exc}"
        if problem is not None:
            report.problem = f"entry #{entry.seq} ({entry.type}): {problem}"
            report.broken_seq = entry.seq
            report.state = state
            return report
        previous_hash = entry.hash
        previous_time = entry.recorded_at
        hashes[entry.seq] = entry.hash
        report.entries_checked += 1
    report.state = state
    return report


def _check_signature(
    stream: str, event: Event, hashes: dict[int, str], public_key: str | None, report: ReplayReport
) -> str | None:
    """Check the server's signatures: over the head at close, and over the head an award rests on."""
    if isinstance(event, JournalHeadSigned):
        signed = (event.head_seq, event.head_hash, event.signature, event.public_key)
    elif isinstance(event, AwardIntended) and event.contract["journal_head"].get("signature"):
        head = event.contract["journal_head"]
        signed = (head["seq"], head["hash"], head["signature"], head["public_key"])
    else:
        return None
    seq, digest, signature, key = signed
    if hashes.get(seq) != digest:
        return f"the signed head (entry #{seq}) is not an entry of this journal"
    if public_key is not None and key != public_key:
        return f"signed with key {key[:16]}…, not the server's key {public_key[:16]}…"
    if not verify_head(key, stream, seq, digest, signature):
        return f"the signature over entry #{seq} does not verify"
    report.signatures_checked += 1
    report.public_keys.add(key)
    return None


def check_link(entry: JournalEntry, expected_seq: int, previous_hash: str, previous_time: int) -> str | None:
    if entry.seq != expected_seq:
        return f"expected entry #{expected_seq} here: an entry is missing or the order was changed"
    if entry.prev_hash != previous_hash:
        return "its link to the previous entry is wrong: an earlier entry was changed, removed or reordered"
    if entry_hash(entry.stream, entry.seq, entry.recorded_at, entry.type, entry.payload, entry.prev_hash) != entry.hash:
        return "its content does not match its hash: the entry was changed after it was written"
    if entry.recorded_at < previous_time:
        return "its time is earlier than the previous entry's"
    return None


def _check_format_events(state: AuctionState, event: Event) -> str | None:
    """The events the core derives from the clock in the Japanese, Dutch and rounds formats follow the rules."""
    if state.config is None:
        return None
    cfg = state.config
    if isinstance(event, LevelStarted):
        expected = 0 if state.level is None else state.level + 1
        if expected >= len(cfg.levels):
            return (
                f"level {event.level + 1} was announced, but the rules have no such level: "
                f"they give {len(cfg.levels)} levels and level {expected} was the last"
            )
        if event.level != expected:
            return f"level {event.level + 1} was announced where level {expected + 1} was due"
        level = cfg.levels[expected]
        if (event.percent, event.total) != (level.percent, level.total):
            return "the announced level's price is not the one the rules give"
        start = event.at if state.level is None else state.closes_at
        if start is None or event.ends_at != start + cfg.level_interval_s * 1000:
            return "the level does not stand for the announced interval"
        if state.level is not None and event.at < (state.closes_at or 0):
            return "a new level was announced before the previous one ended"
        level_end = _level_end_problem(state, closing=False)
        if level_end is not None:
            return level_end
    if isinstance(event, BidderDroppedOut):
        if cfg.format != "japanese" or cfg.seat(event.bidder) is None:
            return f"bidder {event.bidder} was dropped out, but only a bidder with a seat in a Japanese auction can be"
        if state.closes_at is None or event.at < state.closes_at:
            return "a bidder was dropped out before the level ended"
        if event.bidder in state.accepted or event.bidder in state.dropped:
            return f"bidder {event.bidder} was dropped out although it had accepted the level or was already out"
    if isinstance(event, TurnStarted):
        if cfg.format != "rounds" or not 0 <= event.position < len(event.order):
            return f"turn {event.position + 1} of round {event.round} is not a turn of the round's order"
        if event.round == state.round and state.round > 0:
            if event.order != state.turn_order or event.position <= state.turn_position:
                return "a turn was started out of the round's order"
            # Turns skip only blocked bidders: every bidder between the previous turn and this one is blocked.
            passed_over = _not_blocked(state, state.turn_order[state.turn_position + 1 : event.position])
            if passed_over:
                return (
                    f"the turn passed over {_bidders(passed_over)} in round {state.round}, "
                    f"who {'is' if len(passed_over) == 1 else 'are'} not blocked"
                )
        elif event.round == state.round + 1 and event.position == 0:
            # A new round starts only when no bidder after the last turn of the round before may take a turn.
            left = _not_blocked(state, state.turn_order[state.turn_position + 1 :]) if state.round > 0 else []
            if left:
                return (
                    f"round {event.round} was started while {_bidders(left)} (not blocked) still had "
                    f"a turn in round {state.round}"
                )
            if event.round > cfg.rounds:
                return f"round {event.round} was started, but the rules have {cfg.rounds} rounds"
            if event.order != turns.round_order(state):
                return f"round {event.round}'s order is not worst-ranked first"
        else:
            return f"round {event.round} turn {event.position + 1} cannot follow round {state.round}"
        if event.order[event.position] != event.bidder or event.bidder in state.blocked:
            return "the turn was given to the wrong bidder"
    if isinstance(event, AuctionClosed) and event.by == "schedule" and cfg.by_levels and not _early(state, event):
        level_end = _level_end_problem(state, closing=True)
        if level_end is not None:
            return level_end
    if isinstance(event, AuctionClosed) and event.by == "rounds":
        later = [b for b in state.turn_order[state.turn_position + 1 :] if b not in state.blocked]
        if cfg.format != "rounds" or later or (state.round < cfg.rounds and turns.round_order(state)):
            return f"the auction closed by the rounds rule in round {state.round} of {cfg.rounds} with turns left"
    return None


def _level_end_problem(state: AuctionState, *, closing: bool) -> str | None:
    """What the core decides when a level ends (auction.rules.level_formats.level_end), re-checked at the event that
    follows the level (the next ``LevelStarted``, or the close by the schedule).

    Japanese: every bidder still in that did not accept the ending level has been dropped out (a blocked bidder too:
    it cannot accept); the next level starts when two or more bidders are still in and a lower level exists, and
    the auction closes otherwise. Dutch: nobody drops out; the auction closes by the schedule only when the last
    level (the ceiling) ends.
    """
    cfg = state.cfg
    if state.level is None:
        return "the auction closed by the schedule before any level was announced" if closing else None
    number = state.level + 1
    has_next = number < len(cfg.levels)
    if cfg.format == "dutch":
        if closing and has_next:
            return f"the auction closed by the schedule at the end of level {number}, which is not the last level"
        return None
    still_in = [seat.bidder for seat in cfg.seats if seat.bidder not in state.dropped]
    not_accepted = [bidder for bidder in still_in if bidder not in state.accepted]
    if not_accepted:
        return (
            f"level {number} ended without {_bidders(not_accepted)} dropping out, "
            f"though {'it' if len(not_accepted) == 1 else 'they'} did not accept it"
        )
    goes_on = len(still_in) >= 2 and has_next
    if closing and goes_on:
        return (
            f"the auction closed by the schedule at the end of level {number} with {len(still_in)} bidders "
            "still in and a lower level to come: the next level was due"
        )
    if not closing and not goes_on:
        return f"a new level was announced with {len(still_in)} bidder(s) still in at the end of level {number}"
    return None


def _early(state: AuctionState, event: Event) -> bool:
    """Before the deadline in force: the replay names that first (a close "by schedule" before the closing time)."""
    return state.closes_at is None or event.at < state.closes_at


def _not_blocked(state: AuctionState, bidders: tuple[str, ...]) -> list[str]:
    return [bidder for bidder in bidders if bidder not in state.blocked]


def _bidders(bidders: list[str]) -> str:
    return ("bidder " if len(bidders) == 1 else "bidders ") + ", ".join(bidders)


def _check_rules(state: AuctionState, event: Event, head: tuple[int, str]) -> str | None:
    """Re-check what the live core decided, so a rewritten (and re-hashed) journal still cannot lie."""
    problem = _check_format_events(state, event)
    if problem is not None:
        return problem
    if isinstance(event, BidAccepted):
        if state.phase is not Phase.OPEN:
            return f"a bid was accepted while the auction was {state.phase}"
        if state.closes_at is not None and event.at >= state.closes_at:
            return "a bid was accepted at or after the close"
        if event.bid_id in state.bid_ids:
            return f"bid id {event.bid_id} was accepted twice"
        checked = check_bid(state, event.bidder, dict(event.prices))
        if isinstance(checked, Rejection):
            return f"the bid breaks the rules: {checked.message}"
        if weighted_total(state.cfg, checked) != event.total:
            return "the recorded total is not the volume-weighted sum of the prices"
    if (
        isinstance(event, AuctionClosed)
        and event.by == "schedule"
        and (state.closes_at is None or event.at < state.closes_at)
    ):
        return "closed by the schedule before the closing time"
    if isinstance(event, AwardIntended):
        named = event.contract.get("journal_head", {})
        if (named.get("seq"), named.get("hash")) != head:
            return "the contract does not name the journal entry just before it"
        expected = derive_contract(state, event.rank, named)
        if isinstance(expected, Rejection):
            return f"an award was intended but {expected.message}"
        if expected != event.contract:
            keys = expected.keys() | event.contract.keys()
            differing = sorted(k for k in keys if expected.get(k) != event.contract.get(k))
            return f"the recorded contract does not follow from the bids (differs in: {', '.join(differing)})"
        if event.standstill_ends != event.at + state.cfg.standstill_s * 1000:
            return "the standstill period is not the one the tender sets"
    if isinstance(event, PracticeReset) and state.config is not None:
        if not state.config.practice:
            return (
                "a live auction was reset: only a practice auction can be reset (the core refuses it with "
                "not_practice), so the offers before it still stand"
            )
        if event.opens_at < event.at:
            return "the practice auction was reset to open before the reset itself"
    if isinstance(event, DowntimeRecorded):
        expected_close = downtime_event(state, event.down_from, event.down_to, event.at).closes_at
        if expected_close != event.closes_at or event.down_to < event.down_from:
            return "the close after the outage is not what the tender's downtime rule gives"
    if isinstance(event, ObjectionRecorded) and (state.standstill_ends is None or event.at >= state.standstill_ends):
        return "an objection was recorded after the standstill period"
    if isinstance(event, AwardMadeDefinitive) and (state.standstill_ends is None or event.at < state.standstill_ends):
        return "the award was made definitive before the standstill period ended"
    return None


def contract_matches(report: ReplayReport, stored: dict[str, Any] | None) -> str | None:
    """Compare the contracts table's record with the contract the replay derived; None when they agree."""
    derived = report.state.contract
    if derived is None and stored is None:
        return None
    if derived is None:
        return "a contract is stored but the journal records no award"
    if stored is None:
        return "the journal records an award but no contract is stored"
    document = {k: v for k, v in stored.items() if k != "status"}
    if document != derived:
        return "the stored contract differs from the one recorded in the journal"
    if stored.get("status") != str(report.state.phase):
        return f"the stored contract is {stored.get('status')} but the journal says {report.state.phase}"
    return None
