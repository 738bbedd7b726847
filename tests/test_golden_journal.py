"""The golden journal: the journal format, pinned byte for byte.

Every auction format and every award step is driven through the real runner, on the in-memory journal, with a
fixed clock and a fixed signing key. Each auction's JSON Lines export must equal the file checked in under
``tests/golden/``, and the standalone verifier (``scripts/verify_journal.py``) must accept that file.

A change to an event's name, a field, its canonical JSON, the entry hash, a stream name or the signed head
changes these bytes and fails this test. When such a change is meant (the journal format is a promise to
auditors), regenerate the files on purpose and update ``docs/audit.md`` in the same commit:

    GOLDEN_REGENERATE=1 .venv/bin/python -m pytest tests/test_golden_journal.py
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from auction.journal.export import journal_jsonl
from auction.journal.port import MemoryJournal
from auction.journal.signing import Signer
from auction.live.runner import AuctionRunner, Outcome
from auction.rules.messages import (
    AcceptLevel,
    Block,
    Cancel,
    Close,
    Command,
    Create,
    EnterBid,
    Extend,
    IntendAward,
    MakeDefinitive,
    PassTurn,
    Pause,
    PlaceBid,
    PublishAward,
    RecordDowntime,
    RecordObjection,
    ResetPractice,
    Resume,
    SignContract,
    Start,
    Tick,
    Unblock,
    WithholdAward,
)
from tests.factories import T0, make_config

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
VERIFIER = ROOT / "scripts" / "verify_journal.py"
REGENERATE = os.environ.get("GOLDEN_REGENERATE") == "1"
# A fixed key: Ed25519 signatures are deterministic, so the signed heads are the same bytes on every run.
SIGNER = Signer(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
SECOND = 1000
MINUTE = 60 * SECOND


class Drive:
    """The runner at a clock the scenario moves by hand; every command must be accepted unless said otherwise."""

    def __init__(self, auction_id: str) -> None:
        self.now = T0 - MINUTE
        self.journal = MemoryJournal()
        self.runner = AuctionRunner(auction_id, self.journal, lambda: self.now, SIGNER)

    def at(self, offset_ms: int) -> Drive:
        assert T0 + offset_ms >= self.now, "a scenario's clock never runs backwards"
        self.now = T0 + offset_ms
        return self

    async def do(self, command: Command) -> Outcome:
        outcome = await self.runner.process(command)
        assert outcome.rejection is None, f"{command!r} was refused: {outcome.rejection}"
        return outcome

    async def settle(self) -> None:
        """Record every deadline that has passed by now (one Tick records one step)."""
        while (await self.runner.process(Tick())).entries:
            pass

    async def refused(self, command: Command, code: str) -> None:
        outcome = await self.runner.process(command)
        assert outcome.rejection is not None and outcome.rejection.code == code, outcome

    async def award_steps(self, at: int, *, objection_by: str | None = None) -> None:
        """Intention to award, an objection in the standstill, definitive, signed, published."""
        await self.at(at).do(IntendAward(reason="best offer per the published rules"))
        if objection_by is not None:
            await self.at(at + MINUTE).do(RecordObjection(reason="the extension was unfair", bidder=objection_by))
        await self.at(at + 2 * 86_400 * SECOND).do(MakeDefinitive(reason="objection answered; standstill over"))
        await self.at(at + 3 * 86_400 * SECOND).do(
            SignContract(reason="signed by both", signatory="J. de Vries", signed_on="2026-10-01")
        )
        await self.at(at + 4 * 86_400 * SECOND).do(
            PublishAward(reason="published", notice_hash="ab" * 32, url="https://example.org/gunning")
        )

    async def export(self) -> str:
        entries = await self.journal.read(self.runner.auction_id)
        return journal_jsonl(self.runner.auction_id, entries, SIGNER.public_key, T0 + 30 * 86_400 * SECOND)


async def english_with_every_control() -> Drive:
    """Reverse English: bids, an anti-sniping extension, pause and resume, extend, block and unblock, a bid by
    phone, a recorded outage, the close, and every award step with an objection."""
    drive = Drive("T-L1-live")
    await drive.do(Create(make_config(bidders=("s1", "s2", "s3"), duration_s=600)))
    await drive.at(0).do(Tick())
    await drive.at(10 * SECOND).do(PlaceBid("s1", "b1", {"A": "1.90", "B": "3.90"}))
    await drive.at(20 * SECOND).do(PlaceBid("s2", "b2", {"A": "1.80", "B": "3.80"}))
    await drive.at(25 * SECOND).refused(PlaceBid("s2", "b3", {"A": "1.80", "B": "3.79"}), "decrement_too_small")
    await drive.at(30 * SECOND).do(Block(reason="unusual bidding pattern", bidder="s3"))
    await drive.at(40 * SECOND).do(Unblock(reason="explained by phone", bidder="s3"))
    await drive.at(50 * SECOND).do(Pause(reason="a bidder reports a broken connection"))
    await drive.at(2 * MINUTE).do(Resume(reason="connection restored"))
    await drive.at(3 * MINUTE).do(
        EnterBid(reason="s3's connection failed; phoned 10:03", bidder="s3", bid_id="phone-1", prices="A=1.70,B=3.70")
    )
    await drive.at(4 * MINUTE).do(RecordDowntime(down_from=T0 + 4 * MINUTE - 20 * SECOND, down_to=T0 + 4 * MINUTE))
    await drive.at(5 * MINUTE).do(Extend(reason="more time asked by two bidders", seconds=120))
    await drive.runner.process(Tick())
    # A bid in the last minute that takes the lead extends the close.
    close = drive.runner.state.closes_at
    assert close is not None
    await drive.at(close - T0 - 30 * SECOND).do(PlaceBid("s1", "b4", {"A": "1.60", "B": "3.60"}))
    assert drive.runner.state.closes_at is not None and drive.runner.state.closes_at > close
    await drive.at(drive.runner.state.closes_at - T0).do(Tick())
    await drive.award_steps(drive.now - T0 + MINUTE, objection_by="s2")
    return drive


async def english_meat_quiet_withheld() -> Drive:
    """Reverse English with MEAT (factor), the decrement against the best offer, refused ties, an undisclosed
    reserve that is not met, quiet-period closing; the organiser withholds the award."""
    config = dataclasses.replace(
        make_config(bidders=("s1", "s2"), duration_s=600),
        auction_id="T-L2-live",
        lot_id="L2",
        decrement_basis="best",
        ties="refused",
        reserve_total=100_000,
        closing="quiet",
        quiet_period_s=120,
        meat_formula="factor",
        meat_max_discount_percent="10",
    )
    config = dataclasses.replace(
        config,
        seats=tuple(dataclasses.replace(s, quality_score=q) for s, q in zip(config.seats, ("80", "60"), strict=True)),
    )
    drive = Drive("T-L2-live")
    await drive.do(Create(config))
    await drive.at(0).do(Tick())
    await drive.at(10 * SECOND).do(PlaceBid("s1", "m1", {"A": "1.95", "B": "3.95"}))
    await drive.at(20 * SECOND).do(PlaceBid("s2", "m2", {"A": "1.80", "B": "3.80"}))
    await drive.at(60 * SECOND).do(PlaceBid("s1", "m3", {"A": "1.80", "B": "3.75"}))
    await drive.at(4 * MINUTE).do(Tick())
    assert drive.runner.state.phase.value == "closed"
    await drive.at(5 * MINUTE).do(WithholdAward(reason="the reserve was not met"))
    return drive


async def japanese() -> Drive:
    """Reverse Japanese: falling levels, a bidder who does not accept drops out, the last one standing wins."""
    config = dataclasses.replace(
        make_config(bidders=("s1", "s2", "s3")),
        auction_id="T-L1-japanese",
        format="japanese",
        level_step_percent="5",
        level_interval_s=30,
        level_floor_percent="70",
    )
    drive = Drive("T-L1-japanese")
    await drive.do(Create(config))
    await drive.at(0).do(Tick())
    for bidder in ("s1", "s2", "s3"):
        await drive.at(5 * SECOND).do(AcceptLevel(bidder, f"{bidder}-0", 0))
    await drive.at(35 * SECOND).do(Tick())
    await drive.do(AcceptLevel("s1", "s1-1", 1))
    await drive.do(EnterBid(reason="s2 phoned in its acceptance", bidder="s2", bid_id="s2-1", level=1))
    await drive.at(65 * SECOND).do(Tick())
    await drive.do(AcceptLevel("s2", "s2-2", 2))
    await drive.at(95 * SECOND).do(Tick())
    assert drive.runner.state.phase.value == "closed"
    await drive.award_steps(2 * MINUTE)
    return drive


async def dutch() -> Drive:
    """Reverse Dutch: the price rises from the floor; the first acceptance wins and closes the auction."""
    config = dataclasses.replace(
        make_config(bidders=("s1", "s2")),
        auction_id="T-L1-dutch",
        format="dutch",
        level_step_percent="10",
        level_interval_s=20,
        level_floor_percent="60",
    )
    drive = Drive("T-L1-dutch")
    await drive.do(Create(config))
    await drive.at(0).do(Tick())
    await drive.at(45 * SECOND).settle()
    await drive.do(AcceptLevel("s2", "d-1", drive.runner.state.level))
    assert drive.runner.state.phase.value == "closed"
    await drive.award_steps(MINUTE)
    return drive


async def rounds() -> Drive:
    """Fixed-turn rounds: the sealed initial offers, then turns worst first, a pass and a timed-out turn, closed
    by the rounds."""
    config = dataclasses.replace(
        make_config(bidders=("s1", "s2", "s3")),
        auction_id="T-L1-rounds",
        format="rounds",
        rounds=2,
        turn_s=60,
        initial_offers_s=120,
    )
    drive = Drive("T-L1-rounds")
    await drive.do(Create(config))
    await drive.at(0).do(Tick())
    await drive.at(10 * SECOND).do(PlaceBid("s1", "r1", {"A": "1.90", "B": "3.90"}))
    await drive.at(20 * SECOND).do(PlaceBid("s2", "r2", {"A": "1.85", "B": "3.85"}))
    await drive.at(2 * MINUTE).do(Tick())
    offset = 2 * MINUTE
    prices = {"s1": 185, "s2": 180, "s3": 200}
    for _ in range(12):
        if drive.runner.state.phase.value != "open":
            break
        turn = drive.runner.state.on_turn
        offset += 5 * SECOND
        if turn == "s3":
            await drive.at(offset).do(PassTurn("s3"))
        elif turn is not None and prices[turn] > 170:
            prices[turn] -= 5
            cents = prices[turn]
            await drive.at(offset).do(
                PlaceBid(turn, f"{turn}-{cents}", {"A": f"{cents / 100:.2f}", "B": f"{(cents + 200) / 100:.2f}"})
            )
        else:
            offset += 60 * SECOND  # the bidder lets its turn run out and keeps its offer
            await drive.at(offset).do(Tick())
    assert drive.runner.state.phase.value == "closed"
    await drive.award_steps(offset + MINUTE)
    return drive


async def practice_reset_and_cancel() -> Drive:
    """A practice auction: started early by the organiser, reset for a second rehearsal, then cancelled."""
    config = dataclasses.replace(make_config(bidders=("s1", "s2"), practice=True), auction_id="T-L1-practice")
    drive = Drive("T-L1-practice")
    await drive.do(Create(dataclasses.replace(config, opens_at_ms=T0 + 10 * MINUTE)))
    await drive.at(0).do(Start(reason="everyone is here early"))
    await drive.at(30 * SECOND).do(PlaceBid("s1", "p1", {"A": "1.50", "B": "3.00"}))
    await drive.at(MINUTE).do(ResetPractice(reason="second rehearsal", seconds=60))
    await drive.at(2 * MINUTE + 10 * SECOND).settle()
    await drive.do(PlaceBid("s2", "p2", {"A": "1.70", "B": "3.50"}))
    await drive.at(3 * MINUTE).do(Close(reason="rehearsal done"))
    await drive.at(4 * MINUTE).refused(Cancel(reason="not needed"), "illegal_transition")
    return drive


async def cancelled_live() -> Drive:
    """A live auction cancelled while open."""
    drive = Drive("T-L3-live")
    await drive.do(Create(dataclasses.replace(make_config(), auction_id="T-L3-live", lot_id="L3")))
    await drive.at(0).do(Tick())
    await drive.at(MINUTE).do(PlaceBid("s1", "c1", {"A": "1.50", "B": "3.00"}))
    await drive.at(2 * MINUTE).do(Cancel(reason="the lot is withdrawn from the tender"))
    return drive


SCENARIOS: dict[str, Callable[[], Awaitable[Drive]]] = {
    "english-every-control": english_with_every_control,
    "english-meat-quiet-withheld": english_meat_quiet_withheld,
    "japanese": japanese,
    "dutch": dutch,
    "rounds": rounds,
    "practice-reset": practice_reset_and_cancel,
    "cancelled": cancelled_live,
}

UNSIGNED = {"cancelled"}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
async def test_journal_export_equals_the_golden_file(name: str) -> None:
    drive = await SCENARIOS[name]()
    exported = await drive.export()
    golden = GOLDEN / f"{name}.jsonl"
    if REGENERATE:
        golden.write_text(exported, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing; run with GOLDEN_REGENERATE=1 to write it on purpose"
    expected = golden.read_text(encoding="utf-8")
    assert exported == expected, (
        f"the journal of scenario {name!r} differs from {golden.name}: the journal format changed. If that is "
        "meant, regenerate with GOLDEN_REGENERATE=1 and update docs/audit.md in the same commit."
    )


async def tender_journal(folder: Path) -> str:
    """The example procurement's tender stream, every kind of tender event: published, a question answered in a
    notice, a notice that publishes a tender change (version 2), responses, qualification, reviews, admission."""
    from datetime import UTC, date, datetime

    from auction.settings import Settings
    from auction.steps.qualification import (
        answer_question,
        decide,
        freeze_admission,
        issue_notice,
        load_response_files,
        qualify,
        record_question,
    )
    from auction.steps.setup import init_database
    from auction.steps.tender_publication import publish_tender
    from auction.steps.tenders import load_tender_file
    from auction.storage.db import make_engine
    from auction.storage.sql_journal import journal_for
    from scripts.kit.example import EVALUATION_DAY, EXAMPLE_REVIEWS, EXAMPLES
    from tests.test_tender_publication import tender_copy

    ticks = iter(range(1_781_085_600_000, 1_781_085_600_000 + 10**9, SECOND))  # 2026-06-10 10:00 UTC, +1 s a step

    def clock() -> int:
        return next(ticks)

    settings = Settings(db_path=folder / "auction.db")
    await init_database(settings)
    engine = make_engine(settings.database_url)
    try:
        await load_tender_file(engine, EXAMPLES / "tender.toml", clock)
        await publish_tender(engine, "DV-2027", clock)
        received = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
        await record_question(
            engine,
            "DV-2027",
            "sup-klaverveld",
            "Klaverveld Thuisvoeding B.V.",
            "Mag het polisblad in het Engels?",
            received,
            "DV-06",
            clock,
        )
        await answer_question(engine, "DV-2027", 1, "Ja.", clock)
        changed = tender_copy(folder / "changed", ('ceiling = "2.10"', 'ceiling = "2.05"'))
        await issue_notice(engine, "DV-2027", folder / "notices", date(2026, 6, 10), clock=clock, tender_path=changed)
        await load_response_files(engine, "DV-2027", sorted((EXAMPLES / "responses").glob("*.json")), clock=clock)
        await qualify(engine, "DV-2027", EVALUATION_DAY, clock)
        for (supplier_id, criterion_id), (outcome, justification) in EXAMPLE_REVIEWS.items():
            await decide(
                engine, "DV-2027", supplier_id, criterion_id, outcome, justification, override=False, clock=clock
            )
        await freeze_admission(engine, "DV-2027", clock)
        entries = await journal_for(engine).read("tender:DV-2027")
    finally:
        await engine.dispose()
    return journal_jsonl("tender:DV-2027", entries, SIGNER.public_key, T0 + 30 * 86_400 * SECOND)


async def test_the_tender_journal_equals_the_golden_file(tmp_path: Path) -> None:
    exported = await tender_journal(tmp_path)
    golden = GOLDEN / "tender.jsonl"
    if REGENERATE:
        golden.write_text(exported, encoding="utf-8")
    assert exported == golden.read_text(encoding="utf-8"), (
        "the tender journal differs from tender.jsonl: its format changed. If that is meant, regenerate with "
        "GOLDEN_REGENERATE=1 and update docs/qualification.md and docs/audit.md in the same commit."
    )
    kinds = {json.loads(line)["type"] for line in exported.splitlines()[1:]}
    from qualification.tender_journal import TENDER_EVENT_TYPES

    assert kinds == set(TENDER_EVENT_TYPES), sorted(set(TENDER_EVENT_TYPES) - kinds)
    # The server signs auction heads only; the tender stream carries no signature, and the standalone verifier
    # says so instead of calling it verified.
    result = subprocess.run(
        [sys.executable, str(VERIFIER), str(golden), "--public-key", SIGNER.public_key],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "signatures: none" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_standalone_verifier_accepts_the_golden_file(name: str) -> None:
    golden = GOLDEN / f"{name}.jsonl"
    result = subprocess.run(
        [sys.executable, str(VERIFIER), str(golden), "--public-key", SIGNER.public_key],
        capture_output=True,
        text=True,
        check=False,
    )
    if name in UNSIGNED:
        # The server signs at the close and at award steps; a journal that never got there has no signature, and
        # the verifier says so rather than calling it verified.
        assert result.returncode == 1 and "signatures: none" in result.stdout, result.stdout + result.stderr
    else:
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_golden_files_cover_every_event_type() -> None:
    from auction.rules.messages import Event

    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        for sub in list(found):
            found |= subclasses(sub)
        return found

    known = {cls.__name__ for cls in subclasses(Event)}
    seen = set()
    for golden in GOLDEN.glob("*.jsonl"):
        for line in golden.read_text(encoding="utf-8").splitlines()[1:]:
            seen.add(json.loads(line)["type"])
    assert known - seen == set(), f"no golden journal holds {sorted(known - seen)}"


async def test_a_changed_event_field_fails_the_golden_comparison(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard itself: a field written into every bid (here ``reason``, which the format leaves out while it is
    empty) is what a careless change looks like; the export no longer equals the golden file."""
    from auction.rules.messages import BidAccepted

    monkeypatch.setattr(BidAccepted, "LATER_FIELDS", frozenset())
    drive = await cancelled_live()
    assert '"reason":""' in await drive.export()
    assert await drive.export() != (GOLDEN / "cancelled.jsonl").read_text(encoding="utf-8")
