"""The auditor's replay on a real SQLite file: an honest journal verifies; any tampering is caught and named."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from auction.audit.verify import verify_auction
from auction.cli.main import main as cli
from auction.journal.hashing import entry_hash
from auction.journal.signing import verify_head
from auction.rules.messages import Close, IntendAward, PlaceBid, Tick
from auction.steps.auctions import load_runner
from auction.steps.setup import load_signer
from auction.storage.sql_journal import journal_for
from qualification.common.canonical import canonical_json
from tests.conftest import Procurement


class FakeClock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


async def finished_auction(procurement: Procurement) -> str:
    """An awarded live auction of lot L1 with three bids, driven through the runner with a fake clock."""
    auction_id, _ = await procurement.auction(opens_in_s=0, duration_s=600)
    clock = FakeClock(4_000_000_000_000)
    runner = await load_runner(procurement.engine, auction_id, clock, load_signer(procurement.settings))
    await runner.process(Tick())
    bidders = procurement.admitted
    for n, (bidder, price) in enumerate([(bidders[0], "2.00"), (bidders[1], "1.95"), (bidders[0], "1.90")]):
        clock.now += 1000
        outcome = await runner.process(PlaceBid(bidder, f"b{n}", {"L1-01": price, "L1-02": "2.40", "L1-03": "2.20"}))
        assert outcome.rejection is None, outcome.rejection
    clock.now += 1000
    await runner.process(Close(reason="test"))
    outcome = await runner.process(IntendAward(reason="best offer"))
    assert outcome.rejection is None
    return auction_id


def db(procurement: Procurement) -> sqlite3.Connection:
    return sqlite3.connect(procurement.settings.db_path)


async def test_an_honest_journal_verifies(procurement: Procurement) -> None:
    auction_id = await finished_auction(procurement)
    report = await verify_auction(procurement.engine, auction_id)
    assert report.ok, report.problems
    assert report.replay.state.contract is not None
    assert report.replay.state.contract["supplier"]["id"] == procurement.admitted[0]
    head = report.replay.state.contract["journal_head"]
    entries = await journal_for(procurement.engine).read(auction_id)
    types = [e.type for e in entries]
    intended = types.index("AwardIntended")
    before = entries[intended - 1]  # the entry before the intention: the signature over the close
    assert (head["seq"], head["hash"]) == (before.seq, before.hash)
    assert verify_head(head["public_key"], auction_id, before.seq, before.hash, head["signature"])
    assert types[-4:] == ["AuctionClosed", "JournalHeadSigned", "AwardIntended", "JournalHeadSigned"]
    assert report.replay.signatures_checked == 3


async def test_a_changed_entry_is_named(procurement: Procurement) -> None:
    auction_id = await finished_auction(procurement)
    with db(procurement) as conn:
        (payload,) = conn.execute("SELECT payload FROM journal WHERE stream=? AND seq=4", (auction_id,)).fetchone()
        changed = json.loads(payload)
        changed["prices"]["L1-01"] = 150
        conn.execute("UPDATE journal SET payload=? WHERE stream=? AND seq=4", (canonical_json(changed), auction_id))
    report = await verify_auction(procurement.engine, auction_id)
    assert not report.ok
    assert report.problems[0].startswith("entry #4 (BidAccepted): its content does not match its hash")


async def test_a_removed_entry_is_named(procurement: Procurement) -> None:
    auction_id = await finished_auction(procurement)
    with db(procurement) as conn:
        conn.execute("DELETE FROM journal WHERE stream=? AND seq=3", (auction_id,))
    report = await verify_auction(procurement.engine, auction_id)
    assert report.problems[0].startswith("entry #4 (BidAccepted): expected entry #3 here")


async def test_reordered_entries_are_named(procurement: Procurement) -> None:
    auction_id = await finished_auction(procurement)
    with db(procurement) as conn:
        conn.execute("UPDATE journal SET seq=-1 WHERE stream=? AND seq=3", (auction_id,))
        conn.execute("UPDATE journal SET seq=3 WHERE stream=? AND seq=4", (auction_id,))
        conn.execute("UPDATE journal SET seq=4 WHERE stream=? AND seq=-1", (auction_id,))
    report = await verify_auction(procurement.engine, auction_id)
    assert report.problems[0].startswith(
        "entry #3 (BidAccepted): its link to the previous entry is wrong"
    ) or report.problems[0].startswith("entry #3 (BidAccepted): its content does not match its hash")


async def test_a_rewritten_and_rehashed_journal_still_cannot_break_the_rules(
    procurement: Procurement,
) -> None:
    """Someone with database access changes the winning bid and recomputes every hash after it."""
    auction_id = await finished_auction(procurement)
    with db(procurement) as conn:
        rows = conn.execute(
            "SELECT seq, recorded_at, type, payload, prev_hash FROM journal WHERE stream=? ORDER BY seq",
            (auction_id,),
        ).fetchall()
        previous = None
        for seq, recorded_at, kind, payload, prev_hash in rows:
            data = json.loads(payload)
            if seq == 5:  # the third bid: no longer a decrement on the bidder's own previous 2.00
                data["prices"]["L1-01"] = 199
                data["total"] = 199 * 2400000 + 240 * 1100000 + 220 * 650000
            prev = previous or prev_hash
            digest = entry_hash(auction_id, seq, recorded_at, kind, data, prev)
            conn.execute(
                "UPDATE journal SET payload=?, prev_hash=?, hash=? WHERE stream=? AND seq=?",
                (canonical_json(data), prev, digest, auction_id, seq),
            )
            previous = digest
    report = await verify_auction(procurement.engine, auction_id)
    assert report.problems[0].startswith("entry #5 (BidAccepted): the bid breaks the rules")


async def test_a_forged_signature_is_caught(procurement: Procurement) -> None:
    auction_id = await finished_auction(procurement)
    with db(procurement) as conn:
        seq, payload = conn.execute(
            "SELECT seq, payload FROM journal WHERE stream=? AND type='JournalHeadSigned'", (auction_id,)
        ).fetchone()
        data = json.loads(payload)
        data["signature"] = "00" * 64
        rows = conn.execute(
            "SELECT seq, recorded_at, type, payload, prev_hash FROM journal WHERE stream=? AND seq>=? ORDER BY seq",
            (auction_id, seq),
        ).fetchall()
        previous = None
        for row_seq, recorded_at, kind, row_payload, prev_hash in rows:  # re-hash so only the signature is wrong
            content = data if row_seq == seq else json.loads(row_payload)
            prev = previous or prev_hash
            digest = entry_hash(auction_id, row_seq, recorded_at, kind, content, prev)
            conn.execute(
                "UPDATE journal SET payload=?, prev_hash=?, hash=? WHERE stream=? AND seq=?",
                (canonical_json(content), prev, digest, auction_id, row_seq),
            )
            previous = digest
    report = await verify_auction(procurement.engine, auction_id)
    assert report.problems[0].startswith(f"entry #{seq} (JournalHeadSigned): the signature over entry #{seq - 1}")


async def test_a_changed_contract_record_is_caught(procurement: Procurement) -> None:
    auction_id = await finished_auction(procurement)
    with db(procurement) as conn:
        (document,) = conn.execute("SELECT document FROM contracts WHERE auction_id=?", (auction_id,)).fetchone()
        contract = json.loads(document)
        contract["total_per_year"] = "1.00"
        conn.execute("UPDATE contracts SET document=? WHERE auction_id=?", (canonical_json(contract), auction_id))
    report = await verify_auction(procurement.engine, auction_id)
    assert report.problems == ["the stored contract differs from the one recorded in the journal"]


@pytest.mark.parametrize("tamper", [False, True])
async def test_cli_replay_verify_exit_status(procurement: Procurement, tamper: bool) -> None:
    auction_id = await finished_auction(procurement)
    if tamper:
        with db(procurement) as conn:
            conn.execute("UPDATE journal SET recorded_at = recorded_at + 1 WHERE stream=? AND seq=6", (auction_id,))
    db_path: Path = procurement.settings.db_path
    # The CLI runs its own event loop, so it runs in a thread beside this test's loop.
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["--db", str(db_path), "replay", auction_id, "--verify"])
    if tamper:
        assert result.exit_code == 1
        assert "entry #6 (AuctionClosed): its content does not match its hash" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert "verified" in result.output


async def test_watch_shows_the_auction_unfolding_from_the_journal(procurement: Procurement) -> None:
    from auction.audit.watch import play

    auction_id = await finished_auction(procurement)
    lines: list[str] = []
    waits: list[float] = []
    play(await journal_for(procurement.engine).read(auction_id), 1000, lines.append, waits.append)
    text = "\n".join(lines)
    assert "opened (schedule)" in text and "← leads" in text and "ladder: 1." in text
    assert "intention to award to" in text and "server signed the journal head" in text
    assert "Bieder " in text and procurement.admitted[0] not in text  # aliases, as observers saw it
    assert len(waits) == len(lines) - 1 and all(w >= 0 for w in waits)


async def test_a_bidders_receipts_are_checked_against_the_journal(procurement: Procurement) -> None:
    from auction.audit.verify import check_receipts

    auction_id, _ = await procurement.auction(duration_s=600)
    runner = await load_runner(procurement.engine, auction_id, FakeClock(4_000_000_000_000))
    await runner.process(Tick())
    outcome = await runner.process(
        PlaceBid(procurement.admitted[0], "mine", {"L1-01": "2.00", "L1-02": "2.40", "L1-03": "2.20"})
    )
    receipt = outcome.receipt
    assert receipt is not None
    assert await check_receipts(procurement.engine, [receipt]) == []
    forged = {**receipt, "entry_hash": "f" * 64}
    assert "was changed" in (await check_receipts(procurement.engine, [forged]))[0]
    missing = {**receipt, "seq": 99}
    assert "has no entry #99" in (await check_receipts(procurement.engine, [missing]))[0]
    assert "not a bid_accepted" in (await check_receipts(procurement.engine, [{"x": 1}]))[0]
