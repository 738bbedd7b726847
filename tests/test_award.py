"""The award steps through the organiser's CLI on a real SQLite file: in order, and each one out of order."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from auction.cli.main import main as cli
from auction.rules.messages import PlaceBid
from auction.steps.auctions import list_auctions, load_runner
from qualification.common.errors import NOT_FOUND, REFUSED, USAGE
from scripts.kit.example import tender_with_timings
from tests.conftest import EXAMPLES, Procurement, prepare

PRICES = {"L1-02": "2.40", "L1-03": "2.20"}


class WallClock:
    """The wall clock the product reads (``auction.clock.system_clock``, i.e. ``time.time_ns``), the CLI's
    commands included: it stands still until the test moves it, so a period ends when the test says, never
    because the machine was slow."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.ns = time.time_ns()
        monkeypatch.setattr(time, "time_ns", lambda: self.ns)

    def advance(self, ms: int) -> None:
        self.ns += ms * 1_000_000


@pytest.fixture
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> WallClock:
    return WallClock(monkeypatch)


async def run(db: Path, *args: str) -> Result:
    # The CLI runs its own event loop, so it runs in a thread beside this test's loop.
    return await asyncio.to_thread(CliRunner().invoke, cli, ["--db", str(db), *args])


@pytest.fixture
async def two_second_standstill(tmp_path: Path) -> AsyncIterator[Procurement]:
    """The example procurement with a tender that publishes a 2-second standstill (a live auction runs by its
    published tender: no override can shorten it)."""
    tender = tender_with_timings(tmp_path / "tender", EXAMPLES / "tender.toml", standstill="2s")
    prepared = await prepare(tmp_path, tender_file=tender)
    yield prepared
    await prepared.engine.dispose()


async def closed_live_auction(procurement: Procurement) -> str:
    db = procurement.settings.db_path
    result = await run(
        db, "schedule", "--kind", "live", "--lot", "L1", "--opens-at", "now", "--duration", "10m",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    auction_id = "DV-2027-L1-live"
    runner = await load_runner(procurement.engine, auction_id)
    for n, (bidder, price) in enumerate(zip(procurement.admitted, ["2.00", "1.95", "1.90"], strict=False)):
        outcome = await runner.process(PlaceBid(bidder, f"b{n}", {"L1-01": price, **PRICES}))
        assert outcome.rejection is None, outcome.rejection
    assert (await run(db, "close", auction_id, "--reason", "test")).exit_code == 0
    return auction_id


async def test_award_steps_in_order_and_out_of_order(two_second_standstill: Procurement, wall_clock: WallClock) -> None:
    procurement = two_second_standstill
    db = procurement.settings.db_path
    auction_id = await closed_live_auction(procurement)
    winner, second, third = procurement.admitted[2], procurement.admitted[1], procurement.admitted[0]

    result = await run(db, "sign", auction_id, "--signatory", "X", "--date", "2027-01-01")
    assert result.exit_code == REFUSED and "cannot sign an auction that is closed" in result.output
    result = await run(db, "object", auction_id, "--supplier", second, "--text", "too early")
    assert result.exit_code == REFUSED and "cannot object an auction that is closed" in result.output

    result = await run(db, "award", auction_id, "--reason", "lowest total")
    assert result.exit_code == 0 and "AwardIntended" in result.output
    shown = await run(db, "contract", "show")
    assert "intended" in shown.output and winner in shown.output

    result = await run(db, "definitive", auction_id, "--reason", "too soon")
    assert result.exit_code == REFUSED and "standstill period has not ended" in result.output
    result = await run(db, "object", auction_id, "--supplier", winner, "--text", "self")
    assert result.exit_code == REFUSED and "intended winner cannot object" in result.output
    result = await run(db, "object", auction_id, "--supplier", third, "--text", "letter of 3 Oct")
    assert result.exit_code == 0 and "ObjectionRecorded" in result.output
    result = await run(db, "publish")
    assert result.exit_code == REFUSED and "no award is definitive yet" in result.output

    wall_clock.advance(2_000)  # the standstill ("2s") is over: the very moment it ends
    result = await run(db, "object", auction_id, "--supplier", second, "--text", "late")
    assert result.exit_code == REFUSED and "standstill period has ended" in result.output
    result = await run(db, "definitive", auction_id, "--reason", "objection answered")
    assert result.exit_code == 0 and "AwardMadeDefinitive" in result.output
    result = await run(db, "sign", auction_id, "--signatory", "J. Jansen", "--date", "2027-10-20")
    assert result.exit_code == 0 and "ContractSigned" in result.output
    shown = await run(db, "contract", "show")
    assert "signed" in shown.output and "2027-10-20 by J. Jansen" in shown.output
    assert (await run(db, "replay", "--verify")).exit_code == 0


async def test_the_next_in_rank_and_no_award(procurement: Procurement) -> None:
    db = procurement.settings.db_path
    auction_id = await closed_live_auction(procurement)  # the example tender's 20 days
    result = await run(db, "award", auction_id, "--rank", "2", "--reason", "winner failed the document check")
    assert result.exit_code == 0
    shown = await run(db, "contract", "show", "--json")
    assert procurement.admitted[1] in shown.output and '"rank": 2' in shown.output
    result = await run(db, "award", auction_id, "--rank", "9", "--reason", "x")
    assert result.exit_code == REFUSED and "no offer at rank 9" in result.output
    result = await run(db, "withhold", auction_id, "--reason", "budget withdrawn")
    assert result.exit_code == 0
    assert (await run(db, "contract", "show")).exit_code == NOT_FOUND
    assert (await run(db, "replay", "--verify")).exit_code == 0


async def test_timing_overrides_are_for_practice_auctions_only(procurement: Procurement) -> None:
    """A live auction runs by the published tender: a shorter standstill or anti-sniping window is refused."""
    db = procurement.settings.db_path
    for option, value in (("--standstill", "1m"), ("--extension-window", "0s"), ("--max-extensions", "0")):
        result = await run(db, "schedule", "--kind", "live", "--opens-at", "now", "--duration", "10m", option, value)
        assert result.exit_code == USAGE and "timing overrides are for practice auctions only" in result.output
    assert not await list_auctions(procurement.engine)  # nothing stored
    result = await run(
        db, "schedule", "--kind", "practice", "--opens-at", "now", "--duration", "10m", "--standstill", "1m"
    )
    assert result.exit_code == 0, result.output


async def test_a_practice_auction_cannot_be_awarded(procurement: Procurement) -> None:
    db = procurement.settings.db_path
    auction_id, _ = await procurement.auction(kind="practice")
    runner = await load_runner(procurement.engine, auction_id)
    await runner.process(PlaceBid(procurement.admitted[0], "p1", {"L1-01": "2.00", **PRICES}))
    assert (await run(db, "close", auction_id, "--reason", "rehearsal over")).exit_code == 0
    result = await run(db, "award", auction_id, "--reason", "x")
    assert result.exit_code == REFUSED and "practice auction never produces a contract" in result.output
