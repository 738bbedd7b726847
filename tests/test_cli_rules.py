"""The organiser's CLI for the auction formats and rules, on a real SQLite file: blocking, the phone fallback,
resume with a new close, practice auctions copied from the live one (and reset), staggered lots, MEAT seats and
the status of every format. Every error path beside its happy one."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from auction.cli.main import main as cli
from auction.clock import from_iso, system_clock
from auction.rules.config import AuctionConfig
from auction.rules.messages import PlaceBid, Tick
from auction.settings import Settings
from auction.steps.auctions import load_runner
from auction.steps.practice import DURATION_FIELDS, compressed
from auction.steps.qualification import load_response_files, stored_verdicts
from auction.steps.setup import init_database
from auction.steps.tenders import load_tender_file
from auction.storage.db import make_engine
from auction.storage.sql_journal import journal_for
from qualification.common.errors import NOT_FOUND, REFUSED, USAGE
from scripts.kit.example import EXAMPLE_LATE_REASON, qualify_example
from tests.conftest import EXAMPLES, Procurement, RunningServer, free_port

L1 = {"L1-01": "2.00", "L1-02": "2.40", "L1-03": "2.20"}
L1_TOTAL = "€ 8.870.000,00"  # 2.00 × 2,400,000 + 2.40 × 1,100,000 + 2.20 × 650,000


async def run(db: Path, *args: str) -> Result:
    # The CLI runs its own event loop, so it runs in a thread beside this test's loop.
    return await asyncio.to_thread(CliRunner().invoke, cli, ["--db", str(db), *args])


def price_args(prices: dict[str, str]) -> list[str]:
    return [arg for line, price in prices.items() for arg in ("--price", f"{line}={price}")]


async def config_of(p: Procurement, auction_id: str) -> AuctionConfig:
    return (await load_runner(p.engine, auction_id)).state.cfg


async def live(p: Procurement, *extra: str, lot: str = "L1") -> str:
    """Schedule the live auction of ``lot`` through the CLI, open now."""
    result = await run(
        p.settings.db_path, "schedule", "--kind", "live", "--lot", lot, "--opens-at", "now", "--duration", "30m", *extra
    )
    assert result.exit_code == 0, result.output
    return f"{p.tender_id}-{lot}-live"


Variant = Callable[[str], Awaitable[Procurement]]


@pytest.fixture
async def variant(tmp_path: Path) -> AsyncIterator[Variant]:
    """The example procurement with extra ``[auction]`` rules (TOML inserted at the end of that table)."""
    made: list[Procurement] = []

    async def make(extra: str) -> Procurement:
        folder = tmp_path / f"tender{len(made)}"
        folder.mkdir()
        text = (EXAMPLES / "tender.toml").read_text("utf-8")
        assert "\n[award]" in text
        (folder / "tender.toml").write_text(text.replace("\n[award]", f"\n{extra}\n[award]"), "utf-8")
        for name in ("criteria.toml", "conceptcontract.md"):
            shutil.copy(EXAMPLES / name, folder / name)
        settings = Settings(db_path=folder / "auction.db", port=free_port())
        key = await init_database(settings)
        engine = make_engine(settings.database_url)
        loaded = await load_tender_file(engine, folder / "tender.toml")
        paths = sorted((EXAMPLES / "responses").glob("*.json"))
        await load_response_files(engine, loaded.tender.id, paths, late_reason=EXAMPLE_LATE_REASON)
        verdicts = await qualify_example(engine, loaded.tender.id)
        prepared = Procurement(settings, engine, key, loaded.tender.id, [v.supplier_id for v in verdicts if v.admitted])
        made.append(prepared)
        return prepared

    yield make
    for prepared in made:
        await prepared.engine.dispose()


# ---------------------------------------------------------------------------------------------- block


async def test_block_refuses_bids_until_unblock(procurement: Procurement) -> None:
    db, p = procurement.settings.db_path, procurement
    auction_id = await live(p)
    bidder = p.admitted[0]

    result = await run(db, "block", auction_id, "--bidder", bidder)
    assert result.exit_code == USAGE and "--reason" in result.output
    result = await run(db, "block", auction_id, "--reason", "no bidder named")
    assert result.exit_code == USAGE and "--bidder" in result.output
    result = await run(db, "block", auction_id, "--bidder", "sup-nobody", "--reason", "typo")
    assert result.exit_code == REFUSED and "no bidder 'sup-nobody' has a seat" in result.output
    assert "(unknown_bidder)" in result.output
    result = await run(db, "unblock", auction_id, "--bidder", bidder, "--reason", "not blocked yet")
    assert result.exit_code == REFUSED and "(not_blocked)" in result.output
    result = await run(db, "block", "nope", "--bidder", bidder, "--reason", "x")
    assert result.exit_code == NOT_FOUND and "no auction 'nope'" in result.output

    result = await run(db, "block", auction_id, "--bidder", bidder, "--reason", "link shared with a third party")
    assert result.exit_code == 0, result.output
    assert "BidderBlocked (via journal)" in result.output and f"{bidder} is blocked" in result.output
    result = await run(db, "block", auction_id, "--bidder", bidder, "--reason", "again")
    assert result.exit_code == REFUSED and "(already_blocked)" in result.output

    # The bidder's own bid and the organiser's bid for it are both refused.
    runner = await load_runner(p.engine, auction_id)
    outcome = await runner.process(PlaceBid(bidder, "own-1", L1))
    assert outcome.rejection is not None and outcome.rejection.code == "blocked"
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--reason", "phoned")
    assert result.exit_code == REFUSED and f"bid for {bidder} refused" in result.output and "(blocked)" in result.output
    shown = await run(db, "status", auction_id)
    assert "BLOCKED: " in shown.output and bidder in shown.output.split("BLOCKED: ")[1]

    result = await run(db, "unblock", auction_id, "--bidder", bidder, "--reason", "the organiser phoned; resolved")
    assert result.exit_code == 0 and "BidderUnblocked" in result.output and f"{bidder} may bid again" in result.output
    runner = await load_runner(p.engine, auction_id)  # the CLI wrote since: read the journal again
    outcome = await runner.process(PlaceBid(bidder, "own-2", L1))
    assert outcome.rejection is None, outcome.rejection
    assert "BLOCKED" not in (await run(db, "status", auction_id)).output

    entries = await journal_for(p.engine).read(auction_id)
    blocked = [e.payload for e in entries if e.type == "BidderBlocked"]
    assert blocked == [{"at": blocked[0]["at"], "bidder": bidder, "reason": "link shared with a third party"}]
    assert (await run(db, "replay", auction_id, "--verify")).exit_code == 0


# ---------------------------------------------------------------------------------------------- bid-for


async def test_bid_for_is_recorded_as_the_organisers_with_its_reason(procurement: Procurement) -> None:
    db, p = procurement.settings.db_path, procurement
    bidder = p.admitted[1]
    result = await run(
        db, "schedule", "--kind", "live", "--lot", "L1", "--opens-at", "+1h", "--duration", "30m"
    )  # fmt: skip
    auction_id = f"{p.tender_id}-L1-live"
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--reason", "too early")
    assert result.exit_code == REFUSED and "(not_open)" in result.output
    assert (await run(db, "start", auction_id, "--reason", "everyone is here")).exit_code == 0

    reason = "bidder's connection failed; phoned 10:42, prices read back"
    # A decimal comma, as a Dutch organiser may type it, is taken as the decimal point.
    prices = {**L1, "L1-01": "2,00"}
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(prices), "--reason", reason)
    assert result.exit_code == 0, result.output
    assert "BidAccepted (via journal)" in result.output
    assert f"total {L1_TOTAL}, rank 1 of 1" in result.output

    entries = await journal_for(p.engine).read(auction_id)
    accepted = [e for e in entries if e.type == "BidAccepted"]
    assert len(accepted) == 1
    bid = accepted[0]
    assert bid.payload["entered_by"] == "organiser" and bid.payload["reason"] == reason
    assert bid.payload["bidder"] == bidder and bid.payload["bid_id"].startswith("phone-")
    assert bid.payload["prices"] == {"L1-01": 200, "L1-02": 240, "L1-03": 220}
    # The receipt to read back to the bidder names the bid, the journal entry and its hash.
    assert f"receipt: bid {bid.payload['bid_id']} for {bidder}" in result.output
    assert f"journal #{bid.seq}, entry hash {bid.hash}" in result.output

    # Every bid rule applies to it: a repeat of the same total is no improvement.
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--reason", reason)
    assert result.exit_code == REFUSED and "(decrement_too_small)" in result.output
    above = {**L1, "L1-01": "2.11"}
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(above), "--reason", reason)
    assert (
        result.exit_code == REFUSED
        and "above the ceiling price 2.10" in result.output
        and "(above_ceiling)" in result.output
    )
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, "--price", "L1-01=1.50", "--reason", reason)
    assert result.exit_code == REFUSED and "missing: L1-02, L1-03" in result.output
    result = await run(db, "bid-for", auction_id, "--bidder", "sup-nobody", *price_args(L1), "--reason", reason)
    assert result.exit_code == REFUSED and "(unknown_bidder)" in result.output
    result = await run(
        db, "bid-for", auction_id, "--bidder", bidder, *price_args({**L1, "L9-01": "1"}), "--reason", "x"
    )
    assert result.exit_code == REFUSED and "(unknown_line)" in result.output

    # Mistakes in the options are caught before anything is sent.
    for bad, message in (
        (["--price", "L1-01"], "write LINE=PRICE"),
        (["--price", "=2.00"], "write LINE=PRICE"),
        (["--price", "L1-01=2.00,L1-02=2.40"], "one LINE=PRICE per --price"),
        (["--price", "L1-01=2.00", "--price", "L1-01=1.90"], "line L1-01 is priced twice"),
        ([], "give the bid's prices"),
        ([*price_args(L1), "--level", "1"], "bids carry prices; leave out --level"),
        ([*price_args(L1), "--level", "0"], "--level"),
    ):
        result = await run(db, "bid-for", auction_id, "--bidder", bidder, *bad, "--reason", reason)
        assert result.exit_code == USAGE and message in result.output, (bad, result.output)
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1))
    assert result.exit_code == USAGE and "--reason" in result.output
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--reason", "   ")
    assert result.exit_code == REFUSED and "(reason_required)" in result.output
    result = await run(db, "bid-for", "nope", "--bidder", bidder, *price_args(L1), "--reason", reason)
    assert result.exit_code == NOT_FOUND and "no auction 'nope'" in result.output

    assert len([e for e in await journal_for(p.engine).read(auction_id) if e.type == "BidAccepted"]) == 1
    assert (await run(db, "pause", auction_id, "--reason", "phone line check")).exit_code == 0
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--reason", reason)
    assert result.exit_code == REFUSED and "(paused)" in result.output
    assert (await run(db, "replay", auction_id, "--verify")).exit_code == 0


async def test_bid_for_accepts_a_level_numbered_as_in_the_room(variant: Variant) -> None:
    p = await variant('format = "japanese"\n\n[auction.levels]\nstep_percent = "5"\ninterval = "10m"\n')
    db = p.settings.db_path
    auction_id = await live(p)
    bidder = p.admitted[0]
    cfg = await config_of(p, auction_id)

    result = await run(db, "bid-for", auction_id, "--bidder", bidder, "--reason", "phoned")
    assert result.exit_code == USAGE and "runs in the japanese format: give the level" in result.output
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--level", "1", "--reason", "x")
    assert result.exit_code == USAGE and "the level sets the prices; leave out --price" in result.output
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, "--level", "2", "--reason", "phoned")
    assert result.exit_code == REFUSED and "(level_changed)" in result.output

    result = await run(db, "bid-for", auction_id, "--bidder", bidder, "--level", "1", "--reason", "phoned 10:42")
    assert result.exit_code == 0, result.output
    (bid,) = [e for e in await journal_for(p.engine).read(auction_id) if e.type == "BidAccepted"]
    assert bid.payload["entered_by"] == "organiser" and bid.payload["reason"] == "phoned 10:42"
    assert bid.payload["total"] == cfg.levels[0].total
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, "--level", "1", "--reason", "twice")
    assert result.exit_code == REFUSED and "(already_accepted)" in result.output

    shown = (await run(db, "status", auction_id)).output
    assert "format japanese" in shown
    assert f"level 1 of {len(cfg.levels)}: 100 % of the ceiling" in shown
    assert f"accepted this level: {cfg.seat(bidder).alias}" in shown  # type: ignore[union-attr]
    assert "level ends at" in shown

    # The level ends: everyone who did not accept drops out; the status names them.
    runner = await load_runner(p.engine, auction_id, clock=lambda: system_clock() + 11 * 60_000)
    await runner.process(Tick())
    shown = (await run(db, "status", auction_id)).output
    others = [b for b in p.admitted if b != bidder]
    dropped = shown.split("dropped out: ")[1].splitlines()[0]
    assert all(other in dropped for other in others) and bidder not in dropped
    assert "japanese" in (await run(db, "auctions")).output


# ---------------------------------------------------------------------------------------------- resume


async def test_resume_restores_the_time_left_or_sets_a_new_close(
    procurement: Procurement, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The wall clock the product reads (system_clock, i.e. time.time_ns; the CLI's commands included) stands
    # still but for the pause below, so the pause lasts exactly as long as the test says, however slow the machine.
    frozen = [time.time_ns()]
    monkeypatch.setattr(time, "time_ns", lambda: frozen[0])
    db, p = procurement.settings.db_path, procurement
    auction_id = await live(p)
    result = await run(db, "resume", auction_id, "--reason", "not paused")
    assert result.exit_code == REFUSED and "cannot resume an auction that is open" in result.output

    closes = (await load_runner(p.engine, auction_id)).state.closes_at
    assert closes is not None
    assert (await run(db, "pause", auction_id, "--reason", "outage at a bidder")).exit_code == 0
    frozen[0] += 300 * 1_000_000  # paused for 300 ms
    result = await run(db, "resume", auction_id, "--reason", "outage over")
    assert result.exit_code == 0 and "AuctionResumed" in result.output
    moved = (await load_runner(p.engine, auction_id)).state.closes_at
    assert moved == closes + 300
    assert "open again; closes at" in result.output

    assert (await run(db, "pause", auction_id, "--reason", "longer outage")).exit_code == 0
    for bad in ("0", "0s", "soon", "-5m"):
        result = await run(db, "resume", auction_id, "--close-in", bad, "--reason", "x")
        assert result.exit_code == USAGE and "--close-in" in result.output, (bad, result.output)
    before = system_clock()
    result = await run(db, "resume", auction_id, "--close-in", "5m", "--reason", "restart with five minutes")
    after = system_clock()
    assert result.exit_code == 0, result.output
    state = (await load_runner(p.engine, auction_id)).state
    assert state.phase == "open" and state.closes_at is not None
    assert before + 300_000 <= state.closes_at <= after + 300_000
    (resumed,) = [e for e in await journal_for(p.engine).read(auction_id) if e.type == "AuctionResumed"][-1:]
    assert resumed.payload["reason"] == "restart with five minutes"
    assert (await run(db, "replay", auction_id, "--verify")).exit_code == 0


# ---------------------------------------------------------------------------------------------- practice


async def test_practice_create_copies_the_live_auction(procurement: Procurement) -> None:
    db, p = procurement.settings.db_path, procurement
    result = await run(db, "practice", "create", "--from", f"{p.tender_id}-L1-live")
    assert result.exit_code == NOT_FOUND and "no auction 'DV-2027-L1-live'" in result.output
    result = await run(
        db, "schedule", "--kind", "live", "--opens-at", "+2d", "--duration", "45m",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    live_id = f"{p.tender_id}-L1-live"
    live_cfg = await config_of(p, live_id)

    result = await run(db, "practice", "create", "--from", live_id, "--compress", "0")
    assert result.exit_code == USAGE and "--compress" in result.output
    result = await run(db, "practice", "create", "--from", live_id, "--compress", "x")
    assert result.exit_code == USAGE and "--compress" in result.output
    result = await run(db, "practice", "create", "--from", live_id, "--opens-at", "tomorrow")
    assert result.exit_code == USAGE and "'tomorrow': use 'now', '+2m' or an ISO time" in result.output
    result = await run(db, "practice", "create")
    assert result.exit_code == USAGE and "--from" in result.output

    result = await run(db, "practice", "create", "--from", live_id, "--compress", "10", "--opens-at", "+1h")
    assert result.exit_code == 0, result.output
    practice_id = f"{p.tender_id}-L1-practice"
    assert f"created {practice_id} from {live_id}" in result.output
    assert "every duration divided by 10: duration 4m30s, extension window 12s, extension 12s" in result.output
    cfg = await config_of(p, practice_id)
    assert cfg.practice and not live_cfg.practice and cfg.auction_id == practice_id
    assert cfg.seats == live_cfg.seats and cfg.lines == live_cfg.lines and cfg.insurers == live_cfg.insurers
    for name in DURATION_FIELDS:
        assert getattr(cfg, name) == max(1, getattr(live_cfg, name) // 10), name
    assert cfg.duration_s == 270 and cfg.extension_window_s == 12 and cfg.standstill_s == 20 * 86400 // 10
    assert abs(cfg.opens_at_ms - (system_clock() + 3_600_000)) < 60_000
    # Everything else is the live auction's, unchanged.
    same = {f.name for f in dataclasses.fields(AuctionConfig)} - {
        *DURATION_FIELDS,
        "auction_id",
        "practice",
        "opens_at_ms",
    }
    assert {n: getattr(cfg, n) for n in same} == {n: getattr(live_cfg, n) for n in same}

    # Its own journal stream; the live journal is untouched.
    practice_entries = await journal_for(p.engine).read(practice_id)
    assert [e.type for e in practice_entries] == ["AuctionCreated"]
    assert [e.type for e in await journal_for(p.engine).read(live_id)] == ["AuctionCreated"]
    assert "PRACTICE" in (await run(db, "status", practice_id)).output

    result = await run(db, "practice", "create", "--from", live_id)
    assert result.exit_code == REFUSED and f"the practice auction {practice_id} exists already" in result.output
    result = await run(db, "practice", "create", "--from", practice_id)
    assert result.exit_code == USAGE and "is a practice auction; name the live auction" in result.output
    result = await run(db, "schedule", "--kind", "practice", "--lot", "L1")
    assert result.exit_code == REFUSED and f"already scheduled: {practice_id}" in result.output

    # Without --compress: the real times.
    result = await run(db, "practice", "create", "--from", f"{p.tender_id}-L2-live", "--opens-at", "now")
    assert result.exit_code == 0, result.output
    l2_live, l2_practice = (
        await config_of(p, f"{p.tender_id}-L2-live"),
        await config_of(p, f"{p.tender_id}-L2-practice"),
    )
    assert all(getattr(l2_practice, n) == getattr(l2_live, n) for n in DURATION_FIELDS)
    assert "divided" not in result.output
    assert (await run(db, "replay", "--verify")).exit_code == 0


def test_compression_keeps_zero_and_at_least_one_second() -> None:
    from auction.tender.auction_rules import rules_from_tender
    from auction.tender.loading import load_tender

    cfg = rules_from_tender(load_tender(EXAMPLES / "tender.toml"), "L1", duration_s=7)
    cfg = dataclasses.replace(cfg, extension_window_s=0)
    squeezed = compressed(cfg, 1000)
    assert squeezed.extension_window_s == 0 and squeezed.duration_s == 1 and squeezed.extension_s == 1
    assert compressed(cfg, 1) == cfg
    with pytest.raises(Exception, match="1 or more"):
        compressed(cfg, 0)


async def test_schedule_kind_practice_still_works_and_resets(procurement: Procurement) -> None:
    db, p = procurement.settings.db_path, procurement
    result = await run(db, "schedule", "--kind", "practice", "--lot", "L1", "--opens-at", "now", "--duration", "15m")
    assert result.exit_code == 0, result.output
    practice_id = f"{p.tender_id}-L1-practice"
    bidder = p.admitted[0]
    result = await run(db, "bid-for", practice_id, "--bidder", bidder, *price_args(L1), "--reason", "rehearsal")
    assert result.exit_code == 0, result.output
    assert (await run(db, "close", practice_id, "--reason", "rehearsal over")).exit_code == 0

    for bad in ("soon", "-1m"):
        result = await run(db, "practice", "reset", practice_id, "--opens-in", bad, "--reason", "again")
        assert result.exit_code == USAGE and "--opens-in" in result.output
    result = await run(db, "practice", "reset", practice_id)
    assert result.exit_code == USAGE and "--reason" in result.output
    result = await run(db, "practice", "reset", practice_id, "--reason", " ")
    assert result.exit_code == REFUSED and "(reason_required)" in result.output

    before = system_clock()
    result = await run(db, "practice", "reset", practice_id, "--opens-in", "2m", "--reason", "second rehearsal")
    assert result.exit_code == 0 and "PracticeReset (via journal)" in result.output, result.output
    assert f"{practice_id} starts over: opens" in result.output
    state = (await load_runner(p.engine, practice_id)).state
    assert state.phase == "scheduled" and not state.standing and state.bid_count == 0
    assert before + 120_000 <= state.cfg.opens_at_ms <= system_clock() + 120_000
    reset = (await journal_for(p.engine).read(practice_id))[-1]
    assert reset.type == "PracticeReset" and reset.payload["reason"] == "second rehearsal"
    # Opening right away is allowed too.
    result = await run(db, "practice", "reset", practice_id, "--opens-in", "0s", "--reason", "third rehearsal")
    assert result.exit_code == 0, result.output

    live_id = await live(p)
    result = await run(db, "practice", "reset", live_id, "--reason", "never")
    assert (
        result.exit_code == REFUSED and "practice reset refused" in result.output and "(not_practice)" in result.output
    )
    assert (await run(db, "replay", "--verify")).exit_code == 0


# ---------------------------------------------------------------------------------------------- stagger


async def test_stagger_closes_the_lots_one_after_another(procurement: Procurement) -> None:
    db, p = procurement.settings.db_path, procurement
    opens = "2031-03-04T10:00:00+01:00"
    base = ["schedule", "--opens-at", opens, "--duration", "20m"]
    result = await run(db, *base, "--kind", "live", "--stagger", "soon")
    assert result.exit_code == USAGE and "--stagger" in result.output
    result = await run(db, *base, "--kind", "live", "--stagger", "-5m")
    assert result.exit_code == USAGE and "--stagger" in result.output
    result = await run(db, *base, "--kind", "live", "--stagger", "10m", "--lot", "L1", "--lot", "L1")
    assert result.exit_code == USAGE and "named more than once: L1" in result.output
    result = await run(db, *base, "--kind", "live", "--stagger", "10m", "--lot", "L1", "--lot", "L9")
    assert result.exit_code == USAGE and "no lot 'L9'" in result.output
    assert "DV-2027" not in (await run(db, "auctions")).output  # a mistake in the list schedules nothing

    result = await run(db, *base, "--kind", "live", "--stagger", "10m")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "scheduled DV-2027-L1-live: opens 2031-03-04T09:00:00.000Z, runs 20m, closes 2031-03-04T09:20"
    )
    assert lines[1].startswith(
        "scheduled DV-2027-L2-live: opens 2031-03-04T09:00:00.000Z, runs 30m, closes 2031-03-04T09:30"
    )
    l1, l2 = await config_of(p, "DV-2027-L1-live"), await config_of(p, "DV-2027-L2-live")
    assert l1.opens_at_ms == l2.opens_at_ms == from_iso(opens)
    assert (l1.duration_s, l2.duration_s) == (1200, 1800)

    # The order of --lot sets the order of closing.
    result = await run(db, *base, "--kind", "practice", "--stagger", "5m", "--lot", "L2", "--lot", "L1")
    assert result.exit_code == 0, result.output
    assert (await config_of(p, "DV-2027-L2-practice")).duration_s == 1200
    assert (await config_of(p, "DV-2027-L1-practice")).duration_s == 1500
    assert result.output.index("L2-practice") < result.output.index("L1-practice")
    result = await run(db, *base, "--kind", "live", "--lot", "L1")
    assert result.exit_code == REFUSED and "already scheduled: DV-2027-L1-live; nothing was scheduled" in result.output


async def test_without_stagger_the_lots_close_together(procurement: Procurement) -> None:
    db = procurement.settings.db_path
    result = await run(db, "schedule", "--kind", "live", "--opens-at", "2031-03-04T09:00:00Z", "--duration", "20m")
    assert result.exit_code == 0, result.output
    assert result.output.count("closes 2031-03-04T09:20:00.000Z") == 2


async def test_stagger_is_refused_where_the_format_sets_the_close(variant: Variant) -> None:
    p = await variant('format = "rounds"\n')
    result = await run(p.settings.db_path, "schedule", "--kind", "live", "--stagger", "10m")
    assert result.exit_code == USAGE and "a rounds auction closes by its own rule" in result.output
    result = await run(p.settings.db_path, "schedule", "--kind", "live", "--lot", "L1", "--stagger", "10m")
    assert result.exit_code == 0, result.output  # one lot: nothing to stagger
    assert "then 3 round(s) of one 2m turn per bidder" in result.output


# ---------------------------------------------------------------------------------------------- MEAT seats


async def test_seats_carry_the_quality_scores_of_the_verdicts(procurement: Procurement) -> None:
    auction_id, _ = await procurement.auction()
    cfg = await config_of(procurement, auction_id)
    verdicts = {v.supplier_id: v for v in await stored_verdicts(procurement.engine, procurement.tender_id)}
    assert {seat.bidder for seat in cfg.seats} == set(procurement.admitted)
    for seat in cfg.seats:
        score = verdicts[seat.bidder].quality_score
        assert score is not None and seat.quality_score == f"{score:.2f}"
    assert {seat.bidder: seat.quality_score for seat in cfg.seats} == {
        "sup-bloesemhof": "76.00",
        "sup-klaverveld": "39.33",
        "sup-lepelaar": "88.00",
        "sup-molenwiek": "56.00",
    }


async def test_meat_ranks_by_the_quality_weighted_figure_and_status_shows_it(variant: Variant) -> None:
    p = await variant('reserve = "8000000.00"\n\n[auction.meat]\nformula = "factor"\nmax_discount_percent = "10"\n')
    db = p.settings.db_path
    auction_id = await live(p)
    cfg = await config_of(p, auction_id)
    assert {s.bidder: s.quality_score for s in cfg.seats}["sup-lepelaar"] == "88.00"

    shown = (await run(db, "status", auction_id)).output
    assert "reserve € 8.000.000,00 (undisclosed): no offer yet" in shown and "no bids yet" in shown

    # The same prices, Klaverveld (39.33) first, Lepelaar (88.00) later: Lepelaar ranks first on quality.
    runner = await load_runner(p.engine, auction_id)
    assert (await runner.process(PlaceBid("sup-klaverveld", "k1", L1))).rejection is None
    result = await run(db, "bid-for", auction_id, "--bidder", "sup-lepelaar", *price_args(L1), "--reason", "phoned")
    assert result.exit_code == 0, result.output
    state = (await load_runner(p.engine, auction_id)).state
    assert [bidder for bidder, _ in state.ranking()] == ["sup-lepelaar", "sup-klaverveld"]
    lepelaar = state.standing["sup-lepelaar"]
    assert lepelaar.ranked == cfg.ranked_figure("sup-lepelaar", lepelaar.total) == round(lepelaar.total * 0.912)
    assert "ranked figure € 8.089.440,00, rank 1 of 2" in result.output

    shown = (await run(db, "status", auction_id)).output
    assert "ranked by quality-weighted figure (MEAT, formula factor)" in shown
    rows = [line for line in shown.splitlines() if line.startswith("  1.") or line.startswith("  2.")]
    assert "Lepelaar" in rows[0] and "ranked" in rows[0] and "€ 8.089.440,00" in rows[0] and "quality 88.00" in rows[0]
    assert "Klaverveld" in rows[1] and L1_TOTAL in rows[1] and "quality 39.33" in rows[1]
    assert "€ 8.521.142,90" in rows[1]  # 8,870,000.00 × (1 − 10 % × 39.33 / 100)
    assert "reserve € 8.000.000,00 (undisclosed): NOT met" in shown

    cheaper = {"L1-01": "1.70", "L1-02": "2.20", "L1-03": "2.00"}  # total 7,800,000: below the reserve
    result = await run(db, "bid-for", auction_id, "--bidder", "sup-klaverveld", *price_args(cheaper), "--reason", "x")
    assert result.exit_code == 0, result.output
    shown = (await run(db, "status", auction_id)).output
    assert "reserve € 8.000.000,00 (undisclosed): met by the best offer" in shown
    assert (await run(db, "replay", auction_id, "--verify")).exit_code == 0


# ---------------------------------------------------------------------------------------------- status


async def test_status_of_rounds_shows_the_round_and_turn(variant: Variant) -> None:
    p = await variant('format = "rounds"\n\n[auction.rounds]\nrounds = 2\nturn = "1m"\ninitial_offers = "5m"\n')
    db = p.settings.db_path
    auction_id = await live(p)
    shown = (await run(db, "status", auction_id)).output
    assert "phase scheduled" in shown and "(due: it opens at the next tick)" in shown
    await (await load_runner(p.engine, auction_id)).process(Tick())
    shown = (await run(db, "status", auction_id)).output
    assert "format rounds" in shown and "initial offers (sealed)" in shown

    runner = await load_runner(p.engine, auction_id)
    first = p.admitted[0]
    assert (await runner.process(PlaceBid(first, "r0", L1))).rejection is None
    later = await load_runner(p.engine, auction_id, clock=lambda: system_clock() + 6 * 60_000)
    await later.process(Tick())
    state = later.state
    assert state.round == 1 and state.on_turn is not None
    shown = (await run(db, "status", auction_id)).output
    assert f"round 1 of 2, turn 1 of {len(state.turn_order)} ({state.on_turn})" in shown
    assert f"on turn: {state.cfg.seat(state.on_turn).alias}" in shown  # type: ignore[union-attr]
    assert "turn ends at" in shown
    listed = (await run(db, "auctions")).output
    assert "rounds" in listed and "round 1 of 2" in listed

    # Blocking the bidder on turn ends its turn; the status shows who is blocked and who is on turn now.
    on_turn = state.on_turn
    result = await run(db, "block", auction_id, "--bidder", on_turn, "--reason", "misuse")
    assert result.exit_code == 0 and "TurnEnded" in result.output and "TurnStarted" in result.output
    shown = (await run(db, "status", auction_id)).output
    assert "turn 2 of" in shown and on_turn in shown.split("BLOCKED: ")[1]


def test_status_lines_without_a_reserve_or_meat_say_nothing_of_them() -> None:
    from auction.cli.auctions import status_lines
    from auction.rules.config import Seat
    from auction.rules.core import fold
    from auction.rules.messages import AuctionCreated
    from auction.tender.auction_rules import rules_from_tender
    from auction.tender.loading import load_tender

    seats = (Seat("sup-a", "Bieder A", "A B.V.", quality_score="70.00"),)
    cfg = rules_from_tender(load_tender(EXAMPLES / "tender.toml"), "L1", seats=seats, opens_at_ms=0)
    state = fold([AuctionCreated(at=0, config=cfg)])
    lines = status_lines("X", state, {}, 1, now=-1)
    assert lines[0] == "X  format english  phase scheduled  journal seq 1"
    text = "\n".join(lines)
    assert "reserve" not in text and "MEAT" not in text and "BLOCKED" not in text and "no bids yet" in text


async def test_the_new_controls_reach_a_running_server(procurement: Procurement, server: RunningServer) -> None:
    db, p = procurement.settings.db_path, procurement
    auction_id, _ = await p.auction(opens_in_s=0, duration_s=600)
    bidder = p.admitted[0]
    result = await run(db, "block", auction_id, "--bidder", bidder, "--reason", "misuse suspected")
    assert result.exit_code == 0 and "BidderBlocked (via server)" in result.output, result.output
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--reason", "phoned")
    assert result.exit_code == REFUSED and "(blocked)" in result.output
    assert (await run(db, "unblock", auction_id, "--bidder", bidder, "--reason", "cleared")).exit_code == 0
    result = await run(db, "bid-for", auction_id, "--bidder", bidder, *price_args(L1), "--reason", "phoned 10:42")
    assert result.exit_code == 0 and "BidAccepted (via server)" in result.output, result.output
    assert f"total {L1_TOTAL}, rank 1 of 1" in result.output
    assert (await run(db, "pause", auction_id, "--reason", "check")).exit_code == 0
    result = await run(db, "resume", auction_id, "--close-in", "3m", "--reason", "three minutes more")
    assert result.exit_code == 0 and "AuctionResumed (via server)" in result.output
    state = (await load_runner(p.engine, auction_id)).state
    assert state.closes_at is not None and abs(state.closes_at - (system_clock() + 180_000)) < 10_000
    (bid,) = [e for e in await journal_for(p.engine).read(auction_id) if e.type == "BidAccepted"]
    assert bid.payload["entered_by"] == "organiser" and bid.payload["reason"] == "phoned 10:42"
