"""Every re-check of the auditor's replay, each caught by a journal forged to break exactly that rule.

Each forgery starts from a golden journal (``tests/golden/*.jsonl``: honest auctions with every event type), changes
what the lie needs, and re-hashes the chain from the changed entry on; the signatures after it are made again
with the server's own key, as a forger who stole it would. So, unless the forgery is about the chain or the
signatures, the chain and every signature hold (asserted) and only the rule is broken. The replay must stop at
the forged entry and name the rule; where the standalone verifier (``scripts/verify_journal.py``) re-checks the
same rule (chain, signatures, bid totals and ids, the award), it must refuse the export and name the entry too.

Golden entries used (``T0`` = 1790000000000, times below are offsets from it in seconds):

- english-every-control: #3 b1 s1 (1.90/3.90, 3850.00) · #4 b2 s2 (3700.00) · #5 s3 blocked · #6 unblocked ·
  #7 paused · #8 resumed (close 670) · #9 s3's phone bid (3550.00) · #10 outage 220-240 (close 690) · #11 extended
  (close 810) · #12 b4 s1 (3400.00) at 780 · #13 anti-sniping (close 840) · #14 closed by schedule at 840 ·
  #15 signed head #14 · #16 AwardIntended (standstill to 87300) · #17 signed · #18 objection by s2 · #19 definitive.
- japanese: #3 level 1 (0-30) · #4-#6 all accept · #7 level 2 (35, ends 60) · #8 s1, #9 s2 accept · #10 s3 out ·
  #11 level 3 (65, ends 90) · #12 s2 accepts · #13 s1 out · #14 closed.
- dutch: #3 level 1 (0-20) · #4 level 2 · #5 level 3 (ends 60) · #6 s2 accepts · #7 closed by acceptance.
- rounds: #3 r1 s1, #4 r2 s2 (initial offers) · #5 round 1 turn s3 (order s3 s1 s2) · #6 pass · #7 turn s1 ·
  #8 bid · #9 ended · #10 turn s2 · #11 bid · #12 ended · #13 round 2 turn s3 · … · #21 closed by the rounds.
- practice-reset: #3 p1 · #4 PracticeReset (opens at 120) · #5 reopened at 130 · #6 p2 · #7 closed.
- cancelled: #3 c1 · #4 cancelled.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from auction.audit.replay import contract_matches, replay
from auction.rules.core import derive_contract, fold
from tests.forgery import SERVER, STRANGER, Forgery, chain_problems, signature_problems

T0 = 1_790_000_000_000
S = 1000  # one second, in ms


def at(seconds: float) -> int:
    return T0 + int(seconds * S)


Forge = Callable[[Forgery], int]  # forges a golden journal in place; returns the seq of the forged entry


def on(golden: str) -> Callable[[Forge], Forge]:
    """Mark which golden journal a forgery starts from (english-every-control unless marked)."""

    def mark(forge: Forge) -> Forge:
        forge.golden = golden  # type: ignore[attr-defined]
        return forge

    return mark


@dataclasses.dataclass(frozen=True)
class Case:
    """One forgery: how it is forged (and so from which golden journal), and what must be said about it."""

    id: str
    forge: Forge
    problem: str  # a distinctive part of the replay's problem
    verifier: str | None = None  # the same for scripts/verify_journal.py, where it re-checks the rule

    @property
    def golden(self) -> str:
        return str(getattr(self.forge, "golden", "english-every-control"))


def forged(case: Case) -> tuple[Forgery, int]:
    forgery = Forgery.golden(case.golden)
    return forgery, case.forge(forgery)


def assert_replay_names(forgery: Forgery, seq: int, *problems: str) -> None:
    report = forgery.replay()
    assert report.broken_seq == seq, report.problem
    assert report.problem is not None
    assert report.problem.startswith(f"entry #{seq} ({forgery.type_of(seq)}): "), report.problem
    assert all(problem in report.problem for problem in problems), report.problem
    position = next(index for index, entry in enumerate(forgery.entries) if entry["seq"] == seq)
    assert report.entries_checked == position  # every entry before the forged one held


def assert_verifier_names(forgery: Forgery, seq: int, problem: str, tmp_path: Path) -> None:
    result = forgery.verify_standalone(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    failed = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("FAILED")]
    assert len(failed) == 1, result.stdout
    assert failed[0].startswith(f"FAILED  entry #{seq} ({forgery.type_of(seq)}): "), result.stdout
    assert problem in failed[0], result.stdout
    assert "NOT VERIFIED" in result.stdout


def rule_only(forgery: Forgery) -> None:
    """The forgery is well made: the hash chain holds and every signature verifies with the server's key."""
    assert chain_problems(forgery) == []
    assert signature_problems(forgery) == []


def bid(at_ms: int, bid_id: str, bidder: str, a: int, b: int) -> dict[str, Any]:
    """A BidAccepted payload for the two-line golden lots (A: 1000 bottles, B: 500 packs), its total right."""
    prices = {"A": a, "B": b}
    return {
        "at": at_ms,
        "bid_id": bid_id,
        "bidder": bidder,
        "entered_by": "bidder",
        "prices": prices,
        "total": a * 1000 + b * 500,
    }


def cases(table: list[Case]) -> Any:
    return pytest.mark.parametrize("case", table, ids=[case.id for case in table])


def test_the_golden_journals_replay_cleanly_and_re_hashing_them_changes_nothing() -> None:
    """The ground every forgery stands on: the honest journals verify, and the forging helper's re-hash and
    re-sign of an unchanged journal reproduces it byte for byte (so a forgery differs only where it was forged)."""
    for name in (
        "english-every-control",
        "english-meat-quiet-withheld",
        "japanese",
        "dutch",
        "rounds",
        "practice-reset",
        "cancelled",
    ):
        forgery = Forgery.golden(name)
        original = forgery.export_text()
        forgery.rehash(1)
        assert forgery.export_text() == original
        report = forgery.replay()
        assert report.ok, report.problem
        assert report.entries_checked == len(forgery.entries)


def test_an_empty_journal_is_refused() -> None:
    report = replay("T-L1-live", [], SERVER.public_key)
    assert not report.ok
    assert report.problem == "the journal has no entries for this auction"
    assert report.broken_seq is None


# ------------------------------------------------------------------------------------------------ the chain


def chain_entry_removed(f: Forgery) -> int:
    """s3's phone bid (#9) is taken out and the chain re-linked around it; the numbers are left as they were."""
    f.remove(9, renumber=False)
    f.rehash(9)
    return 10  # the entry now where #9 should be


def chain_entries_swapped(f: Forgery) -> int:
    """Two bids change places (seq and all), re-linked: b2 now comes first in the chain."""
    f.entries[2], f.entries[3] = f.entries[3], f.entries[2]
    f.rehash(3)
    return 4


def chain_link_skips_an_entry(f: Forgery) -> int:
    """#9 links to #7, as if the resume (#8) were not there; #9's own hash is made to fit."""
    f.entry(9)["prev_hash"] = f.entry(7)["hash"]
    f.seal(9)
    f.rehash(10)
    return 9


def chain_content_changed(f: Forgery) -> int:
    """s3's phone bid gets a lower price and nothing is re-hashed."""
    f.payload(9, "BidAccepted")["prices"]["A"] = 150
    return 9


def chain_time_goes_back(f: Forgery) -> int:
    """The phone bid is recorded before the resume that precedes it."""
    f.entry(9)["recorded_at"] = at(110)
    f.rehash(9)
    return 9


CHAIN = [
    Case("seq-order:entry-removed", chain_entry_removed, "expected entry #9 here", "found where entry #9 should be"),
    Case(
        "seq-order:entries-swapped", chain_entries_swapped, "expected entry #3 here", "found where entry #3 should be"
    ),
    Case(
        "prev-hash-link:skips-an-entry",
        chain_link_skips_an_entry,
        "its link to the previous entry is wrong",
        "is not the hash of entry #8",
    ),
    Case("entry-hash:content-changed", chain_content_changed, "its content does not match its hash", "hash mismatch"),
    Case(
        "time-goes-backwards",
        chain_time_goes_back,
        "its time is earlier than the previous entry's",
        "recorded_at is earlier than entry #8's",
    ),
]


@cases(CHAIN)
def test_a_broken_chain_is_named(case: Case, tmp_path: Path) -> None:
    forgery, seq = forged(case)
    assert chain_problems(forgery)  # the forgery is about the chain itself
    assert_replay_names(forgery, seq, case.problem)
    assert case.verifier is not None
    assert_verifier_names(forgery, seq, case.verifier, tmp_path)


# ------------------------------------------------------------------------------------------------ signatures


def head_not_in_journal(f: Forgery) -> int:
    """The close's signature names entry #14 with the hash of #13 (validly signed, but over no real entry)."""
    f.sign(f.payload(15, "JournalHeadSigned"), 14, f.entry(13)["hash"])
    f.rehash(15)
    return 15


def head_signed_with_another_key(f: Forgery) -> int:
    """The close is re-signed with a key of the forger's own, named in the entry."""
    f.sign(f.payload(15, "JournalHeadSigned"), 14, f.entry(14)["hash"], STRANGER)
    f.rehash(15)
    return 15


def head_signature_does_not_verify(f: Forgery) -> int:
    """The close's entry carries the server's real signature, but over another entry (#13)."""
    f.payload(15, "JournalHeadSigned")["signature"] = SERVER.sign_head(f.stream, 13, f.entry(13)["hash"])
    f.rehash(15)
    return 15


def award_head_signed_with_another_key(f: Forgery) -> int:
    """The journal head in the intention's contract is signed with the forger's key."""
    f.sign(f.payload(16, "AwardIntended")["contract"]["journal_head"], 15, f.entry(15)["hash"], STRANGER)
    f.rehash(16)
    return 16


def award_head_signature_does_not_verify(f: Forgery) -> int:
    """The intention's journal head names #15, its signature is the server's over #14."""
    head = f.payload(16, "AwardIntended")["contract"]["journal_head"]
    head["signature"] = SERVER.sign_head(f.stream, 14, f.entry(14)["hash"])
    f.rehash(16)
    return 16


SIGNATURES = [
    Case(
        "signed-head-not-in-journal",
        head_not_in_journal,
        "the signed head (entry #14) is not an entry of this journal",
        "the signed head (entry #14",
    ),
    Case(
        "signed-with-wrong-key:head-entry",
        head_signed_with_another_key,
        f"signed with key {STRANGER.public_key[:16]}…, not the server's key",
        "not the expected key",
    ),
    Case(
        "bad-signature:head-entry",
        head_signature_does_not_verify,
        "the signature over entry #14 does not verify",
        "the signature over entry #14 does not verify",
    ),
    Case(
        "signed-with-wrong-key:award-contract",
        award_head_signed_with_another_key,
        f"signed with key {STRANGER.public_key[:16]}…, not the server's key",
        "not the expected key",
    ),
    Case(
        "bad-signature:award-contract",
        award_head_signature_does_not_verify,
        "the signature over entry #15 does not verify",
        "the signature over entry #15 does not verify",
    ),
]


@cases(SIGNATURES)
def test_a_bad_signature_is_named(case: Case, tmp_path: Path) -> None:
    forgery, seq = forged(case)
    assert chain_problems(forgery) == []  # the chain holds: only the signature is wrong
    assert signature_problems(forgery)
    assert_replay_names(forgery, seq, case.problem)
    assert case.verifier is not None
    assert_verifier_names(forgery, seq, case.verifier, tmp_path)


def test_without_an_expected_key_a_valid_signature_of_any_key_passes_and_the_report_names_that_key() -> None:
    """The replay given no key checks each signature against the key it names; the caller must then compare
    ``public_keys`` with the server's published key (the forger's key shows up there)."""
    forgery = Forgery.golden("english-every-control")
    seq = head_signed_with_another_key(forgery)
    assert not forgery.replay().ok  # with the server's key: refused (above)
    report = forgery.replay(public_key=None)
    assert report.ok, report.problem
    assert report.public_keys == {STRANGER.public_key, SERVER.public_key}
    assert seq == 15 and report.signatures_checked == 6


# ------------------------------------------------------------------------------------- Japanese and Dutch levels


@on("japanese")
def level_skipped(f: Forgery) -> int:
    """Level 2 is skipped: level 3 (90 %, its true total) is announced straight after level 1."""
    f.payload(7, "LevelStarted").update(level=2, percent="90", total=360_000)
    f.rehash(7)
    return 7


@on("dutch")
def level_beyond_the_last(f: Forgery) -> int:
    """The Dutch price keeps rising past the ceiling: levels 4 and 5 (90 %, 100 %) as the rules give them, then a
    sixth level the rules do not have."""
    f.truncate(5)
    for number, (start, percent, total) in enumerate([(60, "90", 360_000), (80, "100", 400_000)], start=3):
        f.insert(
            number + 3,
            "LevelStarted",
            {"at": at(start), "ends_at": at(start + 20), "level": number, "percent": percent, "total": total},
        )
    f.insert(8, "LevelStarted", {"at": at(100), "ends_at": at(120), "level": 5, "percent": "110", "total": 440_000})
    f.rehash(6)
    return 8


@on("japanese")
def level_price_changed(f: Forgery) -> int:
    """Level 2 is announced at a total one unit below the one the rules give."""
    f.payload(7, "LevelStarted")["total"] = 379_999
    f.rehash(7)
    return 7


@on("japanese")
def level_interval_changed(f: Forgery) -> int:
    """Level 2 stands 30 s from its announcement (35 s) instead of from the end of level 1 (30 s)."""
    f.payload(7, "LevelStarted")["ends_at"] = at(65)
    f.rehash(7)
    return 7


@on("japanese")
def first_level_interval_changed(f: Forgery) -> int:
    """The first level stands 40 s, not the configured 30 s."""
    f.payload(3, "LevelStarted")["ends_at"] = at(40)
    f.rehash(3)
    return 3


@on("japanese")
def level_announced_early(f: Forgery) -> int:
    """Level 2 is announced at 25 s, while level 1 stands until 30 s (its end stays right)."""
    f.set_time(7, at(25))
    f.rehash(7)
    return 7


LEVELS = [
    Case("wrong-level:a-level-skipped", level_skipped, "level 3 was announced where level 2 was due"),
    Case("wrong-level:beyond-the-last", level_beyond_the_last, "level 6 was announced"),
    Case("wrong-price", level_price_changed, "the announced level's price is not the one the rules give"),
    Case("wrong-interval:next-level", level_interval_changed, "the level does not stand for the announced interval"),
    Case(
        "wrong-interval:first-level",
        first_level_interval_changed,
        "the level does not stand for the announced interval",
    ),
    Case("announced-early", level_announced_early, "a new level was announced before the previous one ended"),
]


@cases(LEVELS)
def test_a_forged_price_level_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


# ------------------------------------------------------------------------------------------------- drop-outs


@on("japanese")
def dropped_before_the_level_ended(f: Forgery) -> int:
    """s3 is dropped out at 55 s, while level 2 stands until 60 s."""
    f.set_time(10, at(55))
    f.rehash(10)
    return 10


@on("japanese")
def dropped_although_accepted(f: Forgery) -> int:
    """s1, who accepted level 2 (#8), is dropped out at its end instead of s3."""
    f.payload(10, "BidderDroppedOut")["bidder"] = "s1"
    f.rehash(10)
    return 10


@on("japanese")
def dropped_although_already_out(f: Forgery) -> int:
    """At the end of level 3, s3 (out since level 2) is dropped out again instead of s1."""
    f.payload(13, "BidderDroppedOut")["bidder"] = "s3"
    f.rehash(13)
    return 13


@on("japanese")
def dropped_before_any_level(f: Forgery) -> int:
    """A drop-out recorded before the auction opened: no level has ended."""
    f.insert(2, "BidderDroppedOut", {"at": at(-30), "bidder": "s3", "level": 0})
    f.rehash(2)
    return 2


DROP_OUTS = [
    Case("before-the-level-ended", dropped_before_the_level_ended, "a bidder was dropped out before the level ended"),
    Case("before-any-level", dropped_before_any_level, "a bidder was dropped out before the level ended"),
    Case(
        "bidder-had-accepted",
        dropped_although_accepted,
        "bidder s1 was dropped out although it had accepted the level or was already out",
    ),
    Case(
        "bidder-already-out",
        dropped_although_already_out,
        "bidder s3 was dropped out although it had accepted the level or was already out",
    ),
]


@cases(DROP_OUTS)
def test_a_forged_drop_out_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


# ---------------------------------------------------------------------------------------- fixed-turn rounds


@on("rounds")
def turn_repeated(f: Forgery) -> int:
    """After s3's turn in round 1, s3 gets the first turn again."""
    f.payload(7, "TurnStarted").update(position=0, bidder="s3")
    f.rehash(7)
    return 7


@on("rounds")
def order_changed_mid_round(f: Forgery) -> int:
    """Halfway through round 1 the order becomes s3, s2, s1, and s2 gets the second turn."""
    f.payload(7, "TurnStarted").update(order=["s3", "s2", "s1"], bidder="s2")
    f.rehash(7)
    return 7


@on("rounds")
def round_order_not_worst_first(f: Forgery) -> int:
    """Round 1 starts with the best offer (s2), although s3 (no offer) and then s1 (the worst) come first."""
    f.payload(5, "TurnStarted").update(order=["s2", "s1", "s3"], bidder="s2")
    f.rehash(5)
    return 5


@on("rounds")
def round_skipped(f: Forgery) -> int:
    """After the initial offers, round 2 starts (round 1 never happened)."""
    f.payload(5, "TurnStarted")["round"] = 2
    f.rehash(5)
    return 5


@on("rounds")
def new_round_starts_mid_order(f: Forgery) -> int:
    """Round 2 starts with the second turn (s1), passing over s3's first turn."""
    f.payload(13, "TurnStarted").update(position=1, bidder="s1")
    f.rehash(13)
    return 13


@on("rounds")
def turn_given_to_the_wrong_bidder(f: Forgery) -> int:
    """The second turn of round 1 is s1's by the order, but s2 gets it."""
    f.payload(7, "TurnStarted")["bidder"] = "s2"
    f.rehash(7)
    return 7


@on("rounds")
def turn_given_to_a_blocked_bidder(f: Forgery) -> int:
    """s1 is blocked after s3's turn, and still gets its turn."""
    f.insert(7, "BidderBlocked", {"at": at(125), "bidder": "s1", "reason": "unusual bidding pattern"})
    f.rehash(7)
    return 8


TURNS = [
    Case("out-of-order:turn-repeated", turn_repeated, "a turn was started out of the round's order"),
    Case(
        "out-of-order:order-changed-mid-round", order_changed_mid_round, "a turn was started out of the round's order"
    ),
    Case("round-order-not-worst-first", round_order_not_worst_first, "round 1's order is not worst-ranked first"),
    Case("impossible-round:round-skipped", round_skipped, "round 2 turn 1 cannot follow round 0"),
    Case("impossible-turn:new-round-mid-order", new_round_starts_mid_order, "round 2 turn 2 cannot follow round 1"),
    Case("wrong-bidder", turn_given_to_the_wrong_bidder, "the turn was given to the wrong bidder"),
    Case("blocked-bidder", turn_given_to_a_blocked_bidder, "the turn was given to the wrong bidder"),
]


@cases(TURNS)
def test_a_forged_turn_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


@on("rounds")
def closed_by_rounds_with_a_turn_left(f: Forgery) -> int:
    """The auction closes "by the rounds" where s2's last turn of round 1 should start."""
    f.replace(10, "AuctionClosed", {"at": at(130), "by": "rounds", "reason": "the last turn of round 2 ended"})
    f.rehash(10)
    return 10


@on("rounds")
def closed_by_rounds_with_a_round_left(f: Forgery) -> int:
    """The auction closes "by the rounds" after round 1 of 2."""
    f.replace(13, "AuctionClosed", {"at": at(135), "by": "rounds", "reason": "the last turn of round 2 ended"})
    f.rehash(13)
    return 13


def english_closed_by_rounds(f: Forgery) -> int:
    """An English auction claims to have closed by the rounds rule, which it does not have."""
    f.payload(14, "AuctionClosed")["by"] = "rounds"
    f.rehash(14)
    return 14


CLOSED_BY_ROUNDS = [
    Case(
        "turns-left-in-the-round",
        closed_by_rounds_with_a_turn_left,
        "the auction closed by the rounds rule in round 1 of 2 with turns left",
    ),
    Case(
        "a-round-left",
        closed_by_rounds_with_a_round_left,
        "the auction closed by the rounds rule in round 1 of 2 with turns left",
    ),
    Case("not-a-rounds-auction", english_closed_by_rounds, "the auction closed by the rounds rule in round 0"),
]


@cases(CLOSED_BY_ROUNDS)
def test_a_close_by_the_rounds_with_turns_left_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


# ------------------------------------------------------------------------------------------------------ bids


def bid_while_paused(f: Forgery) -> int:
    f.insert(8, "BidAccepted", bid(at(60), "x1", "s2", 175, 375))
    f.rehash(8)
    return 8


@on("practice-reset")
def bid_while_scheduled(f: Forgery) -> int:
    """A practice bid between the reset and the reopening."""
    f.insert(5, "BidAccepted", bid(at(100), "x1", "s2", 175, 375))
    f.rehash(5)
    return 5


def bid_after_the_close(f: Forgery) -> int:
    """A bid slipped in after the close was recorded (before its signature)."""
    f.insert(15, "BidAccepted", bid(at(840), "x1", "s2", 150, 350))
    f.rehash(15)
    return 15


@on("cancelled")
def bid_after_cancel(f: Forgery) -> int:
    f.insert(5, "BidAccepted", bid(at(180), "x1", "s2", 150, 350))
    f.rehash(5)
    return 5


def bid_at_the_close(f: Forgery) -> int:
    """b4 is moved to 810 s, exactly the close then in force (the journal ends there)."""
    f.truncate(12)
    f.set_time(12, at(810))
    f.rehash(12)
    return 12


def bid_id_repeated(f: Forgery) -> int:
    """s2's bid reuses s1's bid id b1."""
    f.payload(4, "BidAccepted")["bid_id"] = "b1"
    f.rehash(4)
    return 4


@on("practice-reset")
def bid_id_repeated_across_a_practice_reset(f: Forgery) -> int:
    """A bid id stays used after a practice reset: p2 is renamed to the first run's p1."""
    f.payload(6, "BidAccepted")["bid_id"] = "p1"
    f.rehash(6)
    return 6


def bid_total_wrong(f: Forgery) -> int:
    """b1's prices stay, its total is one unit lower than the volume-weighted sum."""
    f.payload(3, "BidAccepted")["total"] = 384_999
    f.rehash(3)
    return 3


OUT_OF_TIME = [
    Case("accepted-while-paused", bid_while_paused, "a bid was accepted while the auction was paused"),
    Case("accepted-while-scheduled", bid_while_scheduled, "a bid was accepted while the auction was scheduled"),
    Case("accepted-while-closed", bid_after_the_close, "a bid was accepted while the auction was closed"),
    Case("accepted-while-cancelled", bid_after_cancel, "a bid was accepted while the auction was cancelled"),
    Case("accepted-at-the-close", bid_at_the_close, "a bid was accepted at or after the close"),
]


@cases(OUT_OF_TIME)
def test_a_bid_accepted_while_bidding_was_not_open_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


BID_RECORDS = [
    Case("repeated-bid-id", bid_id_repeated, "bid id b1 was accepted twice", "bid id 'b1' was accepted twice"),
    Case(
        "repeated-bid-id:across-a-practice-reset",
        bid_id_repeated_across_a_practice_reset,
        "bid id p1 was accepted twice",
        "bid id 'p1' was accepted twice",
    ),
    Case(
        "wrong-total",
        bid_total_wrong,
        "the recorded total is not the volume-weighted sum of the prices",
        "total 384999 is not the volume-weighted sum of the prices (385000)",
    ),
]


@cases(BID_RECORDS)
def test_a_forged_bid_record_is_named_by_the_replay_and_the_standalone_verifier(case: Case, tmp_path: Path) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)
    assert case.verifier is not None
    assert_verifier_names(forgery, seq, case.verifier, tmp_path)


def rewrite_bid(seq: int, golden: str = "english-every-control", **changes: Any) -> Forge:
    """Forge the bid at ``seq``: new prices and/or bidder, id; the total is made to fit the prices."""

    def forge(f: Forgery) -> int:
        payload = f.payload(seq, "BidAccepted")
        payload.update(changes)
        prices = payload["prices"]
        payload["total"] = sum(prices.get(line, 0) * volume for line, volume in (("A", 1000), ("B", 500)))
        f.rehash(seq)
        return seq

    return on(golden)(forge)


def bid_by_a_blocked_bidder(f: Forgery) -> int:
    """s3 bids while it is blocked (between #5 and #6)."""
    f.insert(6, "BidAccepted", bid(at(35), "x1", "s3", 175, 375))
    f.rehash(6)
    return 6


BROKEN_BID_RULES = [
    Case(
        "decrement-too-small",
        rewrite_bid(12, prices={"A": 190, "B": 385}),
        "must be at most 3811.50 (your previous total 3850.00 minus the minimum decrement",
    ),
    Case("above-the-ceiling", rewrite_bid(3, prices={"A": 201, "B": 390}), "is above the ceiling price"),
    Case("price-not-above-zero", rewrite_bid(3, prices={"A": 0, "B": 390}), "the price must be more than 0"),
    Case("a-line-without-price", rewrite_bid(3, prices={"A": 190}), "every line needs a price"),
    Case("a-line-not-in-the-lot", rewrite_bid(3, prices={"A": 190, "B": 390, "C": 1}), "no such line in this lot"),
    Case("bidder-without-a-seat", rewrite_bid(3, bidder="s9"), "this bidder has no seat in this auction"),
    Case("bidder-blocked", bid_by_a_blocked_bidder, "the organiser has blocked your bidding"),
    Case(
        "best-decrement:not-below-the-best",
        rewrite_bid(7, "english-meat-quiet-withheld", prices={"A": 185, "B": 390}),
        "a bid must beat the best offer by the minimum decrement",
    ),
    Case(
        "japanese:not-the-level-prices",
        rewrite_bid(8, "japanese", prices={"A": 185, "B": 380}),
        "an acceptance must carry exactly the prices of the current level",
    ),
    Case(
        "japanese:accepted-after-dropping-out",
        rewrite_bid(12, "japanese", bidder="s3", bid_id="s3-2"),
        "you did not accept an earlier level in time",
    ),
    Case(
        "japanese:accepted-twice",
        rewrite_bid(9, "japanese", bidder="s1", bid_id="s1-1b"),
        "you have already accepted this level",
    ),
    Case("rounds:not-on-turn", rewrite_bid(8, "rounds", bidder="s2", bid_id="s2-180"), "it is not your turn"),
]


@cases(BROKEN_BID_RULES)
def test_a_bid_that_breaks_the_rules_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, "the bid breaks the rules: ", case.problem)


# ---------------------------------------------------------------------------------------- closing by schedule


def closed_by_schedule_early(f: Forgery) -> int:
    """The close "by schedule" is recorded one millisecond before the closing time (840 s)."""
    f.set_time(14, at(840) - 1)
    f.rehash(14)
    return 14


@on("cancelled")
def closed_by_schedule_before_opening(f: Forgery) -> int:
    """A scheduled auction claims to have closed by its schedule before it ever opened."""
    f.replace(2, "AuctionClosed", {"at": at(0), "by": "schedule", "reason": "closing time reached"})
    f.rehash(2)
    return 2


@on("english-meat-quiet-withheld")
def quiet_close_early(f: Forgery) -> int:
    """Quiet-period closing: the close comes before the quiet period after the last bid has run (180 s)."""
    f.set_time(9, at(170))
    f.rehash(9)
    return 9


CLOSED_EARLY = [
    Case("before-the-closing-time", closed_by_schedule_early, "closed by the schedule before the closing time"),
    Case("quiet-period-not-over", quiet_close_early, "closed by the schedule before the closing time"),
    Case("before-opening", closed_by_schedule_before_opening, "closed by the schedule before the closing time"),
]


@cases(CLOSED_EARLY)
def test_a_close_by_the_schedule_before_the_closing_time_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


# ------------------------------------------------------------------------------------------------ the contract

AWARD = 16  # english-every-control: the AwardIntended entry


def contract_names_an_older_head(f: Forgery) -> int:
    """The contract names the close (#14), validly signed, instead of the entry just before it (#15)."""
    f.sign(f.payload(AWARD, "AwardIntended")["contract"]["journal_head"], 14, f.entry(14)["hash"])
    f.rehash(AWARD)
    return AWARD


def award_at_a_rank_nobody_holds(f: Forgery) -> int:
    """Rank 4 of 3 offers, the contract saying so too."""
    payload = f.payload(AWARD, "AwardIntended")
    payload["rank"] = payload["contract"]["rank"] = 4
    f.rehash(AWARD)
    return AWARD


def contract_changed(path: str, value: Any) -> Forge:
    """Forge one field of the intended contract (``path`` like "supplier" or "lines.0.price")."""

    def forge(f: Forgery) -> int:
        node: Any = f.payload(AWARD, "AwardIntended")["contract"]
        *parents, last = path.split(".")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value
        f.rehash(AWARD)
        return AWARD

    return forge


def standstill_shortened(f: Forgery) -> int:
    """The standstill ends one hour after the intention instead of the tender's 24 hours."""
    payload = f.payload(AWARD, "AwardIntended")
    payload["standstill_ends"] = payload["at"] + 3600 * S
    f.rehash(AWARD)
    return AWARD


S3 = {"id": "s3", "name": "Supplier s3 B.V.", "kvk": "00000003", "agb": "00000013"}

CONTRACT = [
    Case(
        "wrong-journal-head",
        contract_names_an_older_head,
        "the contract does not name the journal entry just before it",
        "contract.journal_head does not name the entry just before it",
    ),
    Case(
        "award-without-a-valid-offer:rank-beyond-the-offers",
        award_at_a_rank_nobody_holds,
        "an award was intended but there is no offer at rank 4 (ranks 1 to 3)",
        "awards rank 4, but the bids give ranks 1 to 3",
    ),
    Case(
        "contract-not-from-the-bids:another-supplier",
        contract_changed("supplier", S3),
        "the recorded contract does not follow from the bids (differs in: supplier)",
        "the contract's supplier is 's3', but the offer at rank 1 is s1's bid b4 (entry #12)",
    ),
    Case(
        "contract-not-from-the-bids:another-winning-bid",
        contract_changed("winning_bid_id", "b1"),
        "(differs in: winning_bid_id)",
        "the contract's winning bid is 'b1'",
    ),
    Case(
        "contract-not-from-the-bids:total",
        contract_changed("total_per_year", "3300.00"),
        "(differs in: total_per_year)",
        "total_per_year '3300.00', but the offer at rank 1",
    ),
    Case(
        "contract-not-from-the-bids:line-price",
        contract_changed("lines.0.price", "1.50"),
        "(differs in: lines)",
        "line A is priced '1.50' in the contract",
    ),
    Case(
        "contract-not-from-the-bids:insurer-share",
        contract_changed("insurers.0.expected_value", "6000.00"),
        "(differs in: insurers)",
    ),
    Case("wrong-standstill", standstill_shortened, "the standstill period is not the one the tender sets"),
]


@cases(CONTRACT)
def test_a_forged_award_is_named(case: Case, tmp_path: Path) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)
    if case.verifier is not None:  # the verifier re-checks the journal head and the award's rank and offer
        assert_verifier_names(forgery, seq, case.verifier, tmp_path)


def test_an_award_in_a_practice_auction_is_named() -> None:
    """A practice auction never produces a contract: an intention recorded after its close (with the contract a
    live auction with the same bids would have had, and a signed journal head) is refused."""
    forgery = Forgery.golden("practice-reset")
    closed = forgery.replay().state
    head = {"seq": 8, "hash": forgery.entry(8)["hash"], "signature": "", "public_key": ""}
    forgery.sign(head, 8, forgery.entry(8)["hash"])
    live = closed.changed(config=dataclasses.replace(closed.cfg, practice=False))
    contract = derive_contract(live, 1, head)
    assert isinstance(contract, dict)
    payload = {"at": at(240), "contract": contract, "rank": 1, "reason": "best offer", "standstill_ends": at(86_640)}
    forgery.insert(9, "AwardIntended", payload)
    forgery.rehash(9)
    rule_only(forgery)
    assert_replay_names(forgery, 9, "an award was intended but a practice auction never produces a contract")


# ---------------------------------------------------------------------------------------------------- downtime


def downtime_close_moved_too_far(f: Forgery) -> int:
    """A 20 s outage moves the close by 30 s (to 700 s instead of 690 s)."""
    f.payload(10, "DowntimeRecorded")["closes_at"] = at(700)
    f.rehash(10)
    return 10


def downtime_ending_before_it_began(f: Forgery) -> int:
    """An outage from 240 s back to 220 s, the close left as it was."""
    f.payload(10, "DowntimeRecorded").update(down_from=at(240), down_to=at(220), closes_at=at(670))
    f.rehash(10)
    return 10


def downtime_while_paused_moves_the_close(f: Forgery) -> int:
    """An outage while paused (nobody could bid anyway) is recorded as moving the close."""
    f.insert(
        8,
        "DowntimeRecorded",
        {"at": at(100), "down_from": at(60), "down_to": at(90), "closes_at": at(630), "rule": "extend"},
    )
    f.rehash(8)
    return 8


DOWNTIME = [
    Case(
        "close-moved-by-more-than-the-outage",
        downtime_close_moved_too_far,
        "the close after the outage is not what the tender's downtime rule gives",
    ),
    Case(
        "outage-ends-before-it-began",
        downtime_ending_before_it_began,
        "the close after the outage is not what the tender's downtime rule gives",
    ),
    Case(
        "close-moved-while-paused",
        downtime_while_paused_moves_the_close,
        "the close after the outage is not what the tender's downtime rule gives",
    ),
]


@cases(DOWNTIME)
def test_a_close_after_an_outage_not_per_the_rule_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


# ------------------------------------------------------------------------------------- standstill: objections


def objection_at_the_end_of_the_standstill(f: Forgery) -> int:
    f.set_time(18, f.payload(AWARD)["standstill_ends"])
    f.rehash(18)
    return 18


def definitive_just_before_the_standstill_ends(f: Forgery) -> int:
    f.set_time(19, f.payload(AWARD)["standstill_ends"] - 1)
    f.rehash(19)
    return 19


def objection_without_an_intention(f: Forgery) -> int:
    """An objection recorded right after the close, before any intention to award."""
    f.insert(16, "ObjectionRecorded", {"at": at(850), "bidder": "s2", "text": "too late"})
    f.rehash(16)
    return 16


STANDSTILL = [
    Case(
        "objection-after-the-standstill",
        objection_at_the_end_of_the_standstill,
        "an objection was recorded after the standstill period",
    ),
    Case(
        "objection-with-no-standstill",
        objection_without_an_intention,
        "an objection was recorded after the standstill period",
    ),
    Case(
        "definitive-before-the-standstill-ended",
        definitive_just_before_the_standstill_ends,
        "the award was made definitive before the standstill period ended",
    ),
]


@cases(STANDSTILL)
def test_a_step_outside_the_standstill_rules_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


# ---------------------------------------------------------------------------------------- events that cannot apply


def unknown_event_type(f: Forgery) -> int:
    f.entry(7)["type"] = "AuctionSuspended"
    f.rehash(7)
    return 7


def unknown_field(f: Forgery) -> int:
    f.payload(7, "AuctionPaused")["by"] = "organiser"
    f.rehash(7)
    return 7


def missing_field(f: Forgery) -> int:
    del f.payload(7, "AuctionPaused")["reason"]
    f.rehash(7)
    return 7


def skipped_a_phase(f: Forgery) -> int:
    """The contract is signed straight after the intention, without the definitive award."""
    f.replace(
        19,
        "ContractSigned",
        {"at": at(173_700), "reason": "signed", "signatory": "J. de Vries", "signed_on": "2026-10-01"},
    )
    f.rehash(19)
    return 19


def second_creation(f: Forgery) -> int:
    f.insert(3, "AuctionCreated", dict(f.payload(1, "AuctionCreated"), at=at(5)))
    f.rehash(3)
    return 3


def config_without_lines(f: Forgery) -> int:
    del f.payload(1, "AuctionCreated")["config"]["lines"]
    f.rehash(1)
    return 1


@on("japanese")
def level_number_as_text(f: Forgery) -> int:
    f.payload(7, "LevelStarted")["level"] = "1"
    f.rehash(7)
    return 7


UNAPPLIABLE = [
    Case("unknown-type", unknown_event_type, "cannot be applied: unknown event type 'AuctionSuspended'"),
    Case("unknown-field", unknown_field, "cannot be applied: AuctionPaused fields"),
    Case("missing-field", missing_field, "cannot be applied: AuctionPaused fields"),
    Case(
        "illegal-transition:signed-before-definitive",
        skipped_a_phase,
        "cannot be applied: event ContractSigned cannot happen in phase intended",
    ),
    Case(
        "illegal-transition:created-twice",
        second_creation,
        "cannot be applied: event AuctionCreated cannot happen in phase open",
    ),
    Case("malformed-config", config_without_lines, "cannot be applied: 'lines'"),
    Case("malformed-field-type", level_number_as_text, "cannot be applied: "),
]


@cases(UNAPPLIABLE)
def test_an_event_that_cannot_be_applied_is_named(case: Case) -> None:
    forgery, seq = forged(case)
    rule_only(forgery)
    assert_replay_names(forgery, seq, case.problem)


# ------------------------------------------------------------------------------- the stored contract (database)


def replayed(name: str) -> Any:
    report = Forgery.golden(name).replay()
    assert report.ok
    return report


def test_the_stored_contract_equals_the_journals() -> None:
    report = replayed("english-every-control")
    assert report.state.contract is not None
    assert contract_matches(report, {**report.state.contract, "status": "signed"}) is None
    assert contract_matches(replayed("cancelled"), None) is None  # no award, nothing stored


@pytest.mark.parametrize(
    ("name", "stored", "problem"),
    [
        pytest.param(
            "cancelled",
            {"supplier": {"id": "s1"}, "status": "intended"},
            "a contract is stored but the journal records no award",
            id="stored-without-an-award",
        ),
        pytest.param(
            "english-every-control",
            None,
            "the journal records an award but no contract is stored",
            id="award-without-a-stored-contract",
        ),
        pytest.param(
            "english-every-control",
            {"total_per_year": "1.00", "status": "signed"},
            "the stored contract differs from the one recorded in the journal",
            id="stored-contract-differs",
        ),
        pytest.param(
            "english-every-control",
            {"status": "definitive"},
            "the stored contract is definitive but the journal says signed",
            id="stored-status-differs",
        ),
    ],
)
def test_a_stored_contract_that_does_not_match_the_journal_is_named(
    name: str, stored: dict[str, Any] | None, problem: str
) -> None:
    report = replayed(name)
    record = stored
    if stored is not None and report.state.contract is not None:
        record = {**report.state.contract, **stored}
    assert contract_matches(report, record) == problem


# ------------------------------------------------ forgeries these tests found the replay let through (fixed)


def test_a_turn_that_passes_over_a_bidder_who_is_not_blocked_is_named() -> None:
    """Round 1's order is s3, s1, s2; after s3's turn, s2 gets the next one and s1 (not blocked) never has a turn."""
    forgery = Forgery.golden("rounds")
    forgery.payload(7, "TurnStarted").update(position=2, bidder="s2")
    forgery.truncate(7)  # (s1's bid on its own turn, #8, would then be refused as out of turn)
    forgery.rehash(7)
    rule_only(forgery)
    assert_replay_names(forgery, 7, "turn")


def test_a_bidder_who_did_not_accept_a_level_but_stays_in_is_named() -> None:
    """s3 did not accept level 2; its drop-out (#10) is removed, and it accepts level 3."""
    forgery = Forgery.golden("japanese")
    forgery.remove(10, renumber=True)  # level 3 starts at #10 now, s2 accepts it at #11
    forgery.insert(12, "BidAccepted", bid(at(70), "s3-2", "s3", 180, 360))
    forgery.truncate(12)
    forgery.rehash(10)
    rule_only(forgery)
    report = forgery.replay()
    assert report.broken_seq in (10, 12), report.problem  # the level started without the drop-out, or the bid


def live_auction_reset_and_re_awarded() -> Forgery:
    """After the anti-sniping extension (#13), a forged reset wipes s1's winning offer and s3's; the auction
    reopens, only s2 bids, it closes, and s2 is awarded the contract that follows from those bids. Entries #1 to
    #13 are untouched, so every receipt s1 holds still matches; every hash and signature holds."""
    forgery = Forgery.golden("english-every-control")
    forgery.truncate(13)
    forged = [
        ("PracticeReset", {"at": at(800), "opens_at": at(800), "reason": "second rehearsal"}),
        ("AuctionOpened", {"at": at(800), "by": "schedule", "closes_at": at(1400), "reason": "scheduled"}),
        ("BidAccepted", bid(at(810), "b5", "s2", 180, 380)),
        ("AuctionClosed", {"at": at(1400), "by": "schedule", "reason": "closing time reached"}),
        (
            "JournalHeadSigned",
            {"at": at(1400), "head_seq": 17, "head_hash": "", "public_key": "", "reason": "close", "signature": "x"},
        ),
    ]
    for seq, (event_type, payload) in enumerate(forged, start=14):
        forgery.insert(seq, event_type, payload)
    forgery.rehash(14)
    head = {"seq": 18, "hash": forgery.entry(18)["hash"], "signature": "", "public_key": ""}
    forgery.sign(head, 18, forgery.entry(18)["hash"])
    # The contract the forged bids give, folded without the replay's checks (which now refuse the reset).
    contract = derive_contract(fold([entry.event() for entry in forgery.journal_entries()]), 1, head)
    assert isinstance(contract, dict) and contract["supplier"]["id"] == "s2"
    award = {"at": at(1460), "contract": contract, "rank": 1, "reason": "best offer", "standstill_ends": at(87_860)}
    forgery.insert(19, "AwardIntended", award)
    forgery.rehash(19)
    rule_only(forgery)
    assert forgery.entries[:13] == Forgery.golden("english-every-control").entries[:13]
    return forgery


def test_a_practice_reset_in_a_live_auction_is_named() -> None:
    forgery = live_auction_reset_and_re_awarded()
    report = forgery.replay()
    assert report.broken_seq == 14, f"the replay accepts s2's award: {report.state.contract}"


def test_the_standalone_verifier_refuses_a_practice_reset_in_a_live_auction(tmp_path: Path) -> None:
    forgery = live_auction_reset_and_re_awarded()
    assert_verifier_names(forgery, 14, "practice", tmp_path)


def test_a_level_beyond_the_last_is_named_as_one_the_rules_do_not_have() -> None:
    forgery = Forgery.golden("dutch")
    seq = level_beyond_the_last(forgery)
    report = forgery.replay()
    assert report.broken_seq == seq
    assert report.problem is not None and "where level 6 was due" not in report.problem
