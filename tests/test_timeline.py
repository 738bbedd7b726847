"""The published timeline (``[timeline]``): dates in order, one truth per date, late responses only with a reason."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.cli.main import main as cli
from auction.settings import Settings
from auction.steps.qualification import load_response_files
from auction.steps.setup import init_database
from auction.steps.tender_stream import tender_state
from auction.steps.tenders import load_tender_file
from auction.storage.db import make_engine, responses
from auction.storage.sql_journal import SqlJournal
from auction.tender.loading import load_tender
from qualification.common.canonical import canonical_hash
from qualification.common.errors import InputError, StepOutOfOrder
from qualification.tender_journal import ResponseImported, fold, stream_for
from scripts.kit.example import EXAMPLE_LATE_REASON
from tests.conftest import EXAMPLES

EXAMPLE = (EXAMPLES / "tender.toml").read_text(encoding="utf-8")
CEST = timezone(timedelta(hours=2))
DEADLINE = datetime(2026, 7, 15, 12, 0, tzinfo=CEST)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tender.toml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "conceptcontract.md").write_text("# Concept\n", encoding="utf-8")
    return path


def refused(tmp_path: Path, old: str, new: str) -> str:
    assert old in EXAMPLE, old
    path = write(tmp_path, EXAMPLE.replace(old, new, 1))
    with pytest.raises(InputError) as error:
        load_tender(path)
    message = str(error.value)
    assert str(path) in message
    return message


# ------------------------------------------------------------------------------------------------ the file


def test_the_example_timeline_is_the_2026_cycle_in_order() -> None:
    tender = load_tender(EXAMPLES / "tender.toml")
    found = {m.field: m for m in tender.milestones()}
    assert found["qualification → questions_until"].at == tender.qualification.questions_until
    answers = found["timeline → answers_within"]
    assert (answers.on, answers.working_days) == (date(2026, 6, 22), 5)
    assert found["timeline → responses_until"].at == DEADLINE
    assert found["timeline → qualification_by"].on == date(2026, 8, 1)
    standstill = found["award → standstill"]
    assert (standstill.on, standstill.days, standstill.working_days) == (date(2026, 9, 30), 20, 14)
    assert found["contract_period → start"].on == tender.contract_period.start == date(2027, 1, 1)
    ordered = [m.on for m in tender.milestones()]
    groups = [m.group for m in tender.milestones()]
    assert groups == sorted(groups) and ordered[-1] == date(2027, 1, 1)


def test_a_tender_without_a_timeline_keeps_its_document_and_hash(tmp_path: Path) -> None:
    text = EXAMPLE.split("\n# De gepubliceerde planning", 1)[0] + "\n"
    assert "[timeline]" not in text
    without = load_tender(write(tmp_path, text))
    document = without.model_dump(mode="json")
    assert "timeline" not in document and without.milestones() == []
    # The example's published hash before timelines existed (tests/golden/tender.jsonl, version 1, until then).
    assert canonical_hash(document) == "50de283ad1f3c24e83c6223ed7c4898803c86b11a74d0b82ab86f05fc41361f2"
    assert "timeline" in load_tender(EXAMPLES / "tender.toml").model_dump(mode="json")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "practice_auction = 2026-09-01",
            "practice_auction = 2026-09-20",
            "timeline → live_auction (2026-09-08) is before timeline → practice_auction (2026-09-20), but the "
            "practice auction comes before the live auction; put the dates in the order of the procedure",
        ),
        (
            "responses_until = 2026-07-15T12:00:00+02:00",
            "responses_until = 2026-06-18T12:00:00+02:00",
            "timeline → responses_until (2026-06-18) is before timeline → answers_within (2026-06-22)",
        ),
        (
            "contract_published = 2026-10-01",
            "contract_published = 2026-09-25",
            "timeline → contract_published (2026-09-25) is before award → standstill (2026-09-30)",
        ),
        (
            "award = 2026-09-10",
            "award = 2026-12-20",
            "timeline → contract_published (2026-10-01) is before timeline → award (2026-12-20)",
        ),
        (
            "consultation_until = 2026-04-30",
            "consultation_until = 2026-07-30",
            "qualification → questions_until (2026-06-15) is before timeline → consultation_from (2026-07-30)",
        ),
        (
            "consultation_until = 2026-04-30",
            "consultation_until = 2026-02-27",
            "consultation_until (2026-02-27) is before consultation_from (2026-03-02): the market consultation must"
            " close after it opens",
        ),
        (
            "policy_published = 2026-04-01",
            "policy_published = 2016-04-01",
            "timeline → policy_published (2016-04-01) is more than three years before contract_period → start"
            " (2027-01-01); check the years",
        ),
        ("answers_within = 5", "answers_within = 0", "timeline → answers_within: Input should be greater than"),
        ("answers_within = 5", "answers_within = 90", "timeline → answers_within: Input should be less than"),
        (
            "answers_within = 5",
            "answers_within = 5\nquestions_until = 2026-06-15T12:00:00+02:00",
            "timeline: Value error, questions_until does not belong in [timeline]: the questions deadline is"
            " [qualification] questions_until; give it there, once",
        ),
        (
            "award = 2026-09-10",
            'award = 2026-09-10\nstandstill = "20d"',
            "standstill does not belong in [timeline]: the standstill is [award] standstill",
        ),
        (
            "responses_until = 2026-07-15T12:00:00+02:00",
            "responses_until = 2026-07-15T12:00:00",
            "timeline → responses_until: Input should have timezone info",
        ),
        ("live_auction = 2026-09-08", "live_auction = 2026-09-31", "TOML syntax error: Invalid date"),
    ],
)
def test_a_timeline_out_of_order_or_out_of_reason_is_refused_naming_the_fields(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    message = refused(tmp_path, old, new)
    assert expected in message, message


def test_an_answers_term_needs_the_questions_deadline(tmp_path: Path) -> None:
    message = refused(
        tmp_path,
        "questions_until = 2026-06-15T12:00:00+02:00",
        "# no questions deadline",
    )
    assert "timeline → answers_within counts from the questions deadline: set [qualification] questions_until" in (
        message
    )


def test_a_partial_timeline_is_checked_on_the_dates_it_gives(tmp_path: Path) -> None:
    head = EXAMPLE.split("\n[timeline]\n", 1)[0]
    path = write(tmp_path, head + "\n[timeline]\nlive_auction = 2026-09-08\naward = 2026-09-10\n")
    tender = load_tender(path)
    assert [m.field for m in tender.milestones()] == [
        "qualification → questions_until",
        "timeline → live_auction",
        "timeline → award",
        "award → standstill",
        "contract_period → start",
    ]
    path = write(tmp_path, head + "\n[timeline]\nlive_auction = 2027-02-01\n")
    with pytest.raises(InputError, match=r"contract_period → start \(2027-01-01\) is before timeline → live_auction"):
        load_tender(path)


def test_tender_show_prints_the_timeline_with_its_terms(tmp_path: Path) -> None:
    db = tmp_path / "a.db"

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    run("init")
    run("tender", "load", str(EXAMPLES / "tender.toml"))
    shown = run("tender", "show")
    assert "timeline (published; terms in Dutch working days):" in shown
    assert "2026-03-02 – 2026-04-30" in shown and "market consultation (RFI)" in shown
    assert "2026-06-22" in shown and "within 5 working days" in shown
    assert "2026-07-15 12:00 +02:00" in shown and "response deadline" in shown
    assert "2026-09-30" in shown and "20 days (14 working days)" in shown and "[award → standstill]" in shown
    assert "2027-01-01" in shown and "[contract_period → start]" in shown
    dutch = run("tender", "show", "--language", "nl")
    assert "tijdlijn (gepubliceerd; termijnen in Nederlandse werkdagen):" in dutch
    assert "binnen 5 werkdagen" in dutch and "20 dagen (14 werkdagen)" in dutch


# ------------------------------------------------------------------------------------------------ late responses


class Clock:
    def __init__(self, at: datetime) -> None:
        self.ms = int(at.timestamp() * 1000)

    def __call__(self) -> int:
        self.ms += 1
        return self.ms


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    settings = Settings(db_path=tmp_path / "auction.db")
    await init_database(settings)
    made = make_engine(settings.database_url)
    await load_tender_file(made, EXAMPLES / "tender.toml")
    yield made
    await made.dispose()


def example_responses() -> list[Path]:
    return sorted((EXAMPLES / "responses").glob("*.json"))


async def stored(engine: AsyncEngine) -> tuple[int, int]:
    """(responses stored, entries in the tender's journal)."""
    async with engine.connect() as conn:
        count = (await conn.execute(select(func.count()).select_from(responses))).scalar_one()
    return count, len(await SqlJournal(engine).read(stream_for("DV-2027")))


async def test_a_response_on_time_carries_no_late_reason_and_hashes_as_before(engine: AsyncEngine) -> None:
    at_deadline = Clock(DEADLINE - timedelta(milliseconds=1))  # its first reading is the deadline itself
    report = await load_response_files(engine, None, example_responses()[:1], at_deadline)
    assert report.late_reason is None
    (entry,) = [e for e in await SqlJournal(engine).read(stream_for("DV-2027")) if e.type == "ResponseImported"]
    assert "late_reason" not in entry.payload
    assert entry.payload["at"] == int(DEADLINE.timestamp() * 1000)
    event = ResponseImported(**entry.payload)
    assert event.late_reason is None and event.payload() == entry.payload


async def test_a_late_response_without_a_reason_is_refused_and_nothing_is_stored(engine: AsyncEngine) -> None:
    late = Clock(DEADLINE + timedelta(hours=2))
    with pytest.raises(StepOutOfOrder) as error:
        await load_response_files(engine, None, example_responses(), late)
    message = str(error.value)
    assert "the response deadline was 2026-07-15T12:00:00+02:00 (timeline → responses_until)" in message
    assert "it is now 2026-07-15T14:00:00+02:00 (server time)" in message
    assert "--late-reason TEXT" in message
    assert await stored(engine) == (0, 0)  # not even the criteria were frozen


async def test_a_late_response_with_an_accepted_reason_is_journaled_with_it(engine: AsyncEngine) -> None:
    late = Clock(DEADLINE + timedelta(days=1))
    reason = "  De upload van de leverancier  liep vast door een storing bij de organisator (ticket 4711).  "
    report = await load_response_files(engine, None, example_responses()[:2], late, late_reason=reason)
    tidy = "De upload van de leverancier liep vast door een storing bij de organisator (ticket 4711)."
    assert report.late_reason == tidy
    entries = [e for e in await SqlJournal(engine).read(stream_for("DV-2027")) if e.type == "ResponseImported"]
    assert [e.payload["late_reason"] for e in entries] == [tidy, tidy]
    loaded_at = int((DEADLINE + timedelta(days=1)).timestamp() * 1000) + 1  # the clock's first reading
    assert all(e.payload["at"] == loaded_at <= e.recorded_at for e in entries)  # the server's time of the load
    state = await tender_state(engine, "DV-2027")
    assert {r.late_reason for r in state.responses.values()} == {tidy}
    assert fold([(e.seq, e.type, e.payload) for e in entries]).responses.keys() == state.responses.keys()


@pytest.mark.parametrize(
    ("moment", "reason", "error", "expected"),
    [
        (DEADLINE + timedelta(days=1), "te laat", InputError, "--late-reason: a reason of at least 15 characters"),
        (DEADLINE + timedelta(days=1), "   ", InputError, "--late-reason: a reason of at least 15 characters"),
        (
            DEADLINE - timedelta(days=1),
            EXAMPLE_LATE_REASON,
            InputError,
            "--late-reason: the response deadline 2026-07-15T12:00:00+02:00 has not passed: this load is on time",
        ),
    ],
)
async def test_a_bad_late_reason_is_refused_and_nothing_is_stored(
    engine: AsyncEngine, moment: datetime, reason: str, error: type[Exception], expected: str
) -> None:
    with pytest.raises(error) as refused_load:
        await load_response_files(engine, None, example_responses(), Clock(moment), late_reason=reason)
    assert expected in str(refused_load.value)
    assert await stored(engine) == (0, 0)


async def test_a_tender_without_a_response_deadline_needs_no_reason_and_takes_none(tmp_path: Path) -> None:
    folder = tmp_path / "examples"
    shutil.copytree(EXAMPLES, folder)
    tender = folder / "tender.toml"
    tender.write_text(EXAMPLE.replace("responses_until = 2026-07-15T12:00:00+02:00", ""), encoding="utf-8")
    settings = Settings(db_path=tmp_path / "auction.db")
    await init_database(settings)
    engine = make_engine(settings.database_url)
    try:
        await load_tender_file(engine, tender)
        with pytest.raises(InputError, match="the tender publishes no response deadline: this load is on time"):
            await load_response_files(engine, None, example_responses(), late_reason=EXAMPLE_LATE_REASON)
        report = await load_response_files(engine, None, example_responses())
        assert len(report.imported) == 6 and report.late_reason is None
    finally:
        await engine.dispose()


def test_the_cli_option_records_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "a.db"

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        return result.exit_code, result.output

    run("init")
    run("tender", "load", str(EXAMPLES / "tender.toml"))
    files = [str(p) for p in example_responses()]
    status, output = run("responses", "load", *files[:1], "--late-reason", "kort")
    assert status == 2 and "a reason of at least 15 characters" in output
    status, output = run("responses", "load", *files[:1], "--late-reason", EXAMPLE_LATE_REASON)
    assert status == 0
    assert f"late: loaded after the response deadline; reason on record: {EXAMPLE_LATE_REASON}" in output
