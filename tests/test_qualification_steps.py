"""The organiser's qualification steps against a real SQLite file: order, messages, the tender's journal.

Each test runs the steps of ``auction.qualification_steps`` the way the CLI does, on a database in ``tmp_path``,
and checks both what the organiser is told (what went wrong and where) and what the tender's hash-chained
journal (stream ``tender:{id}``) records.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.journal.hashing import GENESIS, entry_hash
from auction.journal.port import JournalEntry
from auction.settings import Settings
from auction.steps.auctions import schedule_auction
from auction.steps.qualification import (
    answer_question,
    decide,
    freeze_admission,
    issue_notice,
    load_response_files,
    qualify,
    record_question,
    stored_verdicts,
)
from auction.steps.setup import init_database
from auction.steps.tender_stream import current_criteria, tender_state
from auction.steps.tenders import load_tender_file
from auction.storage.db import make_engine, responses
from auction.storage.sql_journal import SqlJournal
from qualification.admission import admission_hash
from qualification.common.errors import InputError, NotFound, StepOutOfOrder
from qualification.criteria_file import load_criteria
from qualification.tender_journal import stream_for
from qualification.workbook import write_workbook
from scripts.kit.example import EXAMPLE_LATE_REASON, EXAMPLE_REVIEWS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TENDER_ID = "DV-2027"
EVALUATION_DAY = date(2026, 8, 1)
CEST = timezone(timedelta(hours=2))
DEADLINE = datetime(2026, 6, 15, 12, 0, tzinfo=CEST)
REVIEWS = ["sup-bloesemhof/DV-06", "sup-klaverveld/ALG-03"]
JUSTIFICATION = "Gecontroleerd aan de hand van de nagezonden stukken; voldoet aan de eis."


LATE = EXAMPLE_LATE_REASON  # the example's response deadline (15 July 2026) has passed on these clocks


class Clock:
    """A settable server clock (ms since the epoch) that moves on by 1 ms per reading, like a real one."""

    def __init__(self, at: datetime) -> None:
        self.ms = int(at.timestamp() * 1000)

    def __call__(self) -> int:
        self.ms += 1
        return self.ms

    def set(self, at: datetime) -> None:
        self.ms = int(at.timestamp() * 1000)


# ------------------------------------------------------------------------------------------------ fixtures


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    settings = Settings(db_path=tmp_path / "auction.db")
    await init_database(settings)
    made = make_engine(settings.database_url)
    yield made
    await made.dispose()


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """A private copy of examples/ (tender, criteria, contract, responses with their documents)."""
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    return copy


@pytest.fixture
async def loaded(engine: AsyncEngine, examples: Path) -> AsyncEngine:
    """The example tender loaded from the copy; no responses yet."""
    await load_tender_file(engine, examples / "tender.toml")
    return engine


def example_responses(folder: Path = EXAMPLES) -> list[Path]:
    return sorted((folder / "responses").glob("*.json"))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def changed_criteria(examples: Path, name: str, criterion_id: str, setting: str) -> Path:
    """A copy of the example criteria beside the original, with one pick tuned (e.g. ``min = 3000000``)."""
    text = (examples / "criteria.toml").read_text(encoding="utf-8")
    marker = f'id = "{criterion_id}"\n'
    assert marker in text
    path = examples / name
    path.write_text(text.replace(marker, f"{marker}{setting}\n", 1), encoding="utf-8")
    return path


def response_variant(examples: Path, name: str, change: dict[str, Any], supplier: str = "lepelaar") -> Path:
    """A copy of an example response (in the responses folder, so its documents are found) with answers changed.

    ``change`` maps criterion id → new value; an id the response does not answer is added as a new answer.
    """
    document = json.loads((examples / "responses" / f"{supplier}.json").read_text(encoding="utf-8"))
    answered = {answer["criterion"]: answer for answer in document["answers"]}
    for criterion_id, value in change.items():
        if criterion_id in answered:
            answered[criterion_id]["value"] = value
        else:
            document["answers"].append({"criterion": criterion_id, "value": value})
    path = examples / "responses" / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


async def journal_of(engine: AsyncEngine, tender_id: str = TENDER_ID) -> list[JournalEntry]:
    return await SqlJournal(engine).read(stream_for(tender_id))


async def stored_response_count(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(responses))).scalar_one())


async def decide_example_reviews(engine: AsyncEngine, clock: Clock | None = None) -> None:
    for (supplier_id, criterion_id), (outcome, justification) in EXAMPLE_REVIEWS.items():
        if clock is None:
            await decide(engine, TENDER_ID, supplier_id, criterion_id, outcome, justification, override=False)
        else:
            await decide(
                engine, TENDER_ID, supplier_id, criterion_id, outcome, justification, override=False, clock=clock
            )


# ------------------------------------------------------------------------------------------------ happy path


async def test_the_example_runs_from_tender_to_auction_and_the_auction_carries_the_admission_hash(
    engine: AsyncEngine,
) -> None:
    clock = Clock(datetime(2026, 8, 1, 9, 0, tzinfo=CEST))
    await load_tender_file(engine, EXAMPLES / "tender.toml", clock)

    report = await load_response_files(engine, None, example_responses(), clock, late_reason=LATE)
    assert report.opened_now and report.criteria_version == 1
    assert sorted(one.response.supplier.id for one in report.imported) == [
        "sup-bloesemhof",
        "sup-klaverveld",
        "sup-lepelaar",
        "sup-molenwiek",
        "sup-ooievaar",
        "sup-tulpenburg",
    ]
    state = await tender_state(engine, TENDER_ID)
    assert state.criteria is not None and state.criteria.version == 1 and state.criteria.notice is None
    assert state.criteria.criteria_hash == load_criteria(EXAMPLES / "criteria.toml").hash

    verdicts = await qualify(engine, TENDER_ID, EVALUATION_DAY, clock)
    pending = {v.supplier_id: [f.criterion_id for f in v.open_reviews] for v in verdicts if v.open_reviews}
    assert pending == {"sup-bloesemhof": ["DV-06"], "sup-klaverveld": ["ALG-03"]}

    with pytest.raises(StepOutOfOrder) as refused:
        await freeze_admission(engine, TENDER_ID, clock)
    message = str(refused.value)
    assert "2 finding(s) still need review" in message
    for review in REVIEWS:
        assert review in message
    assert "auction review" in message

    await decide_example_reviews(engine, clock)
    frozen = await freeze_admission(engine, TENDER_ID, clock)
    assert frozen.admitted == ["sup-bloesemhof", "sup-klaverveld", "sup-lepelaar", "sup-molenwiek"]
    assert frozen.excluded == ["sup-ooievaar", "sup-tulpenburg"]
    assert frozen.admission_hash == admission_hash(await stored_verdicts(engine, TENDER_ID))

    auction_id = await schedule_auction(engine, TENDER_ID, "L1", "live", clock() + 3_600_000, 600, clock)
    first = (await SqlJournal(engine).read(auction_id))[0]
    assert first.seq == 1 and first.type == "AuctionCreated"
    in_tender_journal = [e for e in await journal_of(engine) if e.type == "AdmissionFrozen"]
    assert len(in_tender_journal) == 1
    assert first.payload["config"]["admission_hash"] == in_tender_journal[0].payload["admission_hash"]
    assert first.payload["config"]["admission_hash"] == frozen.admission_hash
    seated = sorted(seat["bidder"] for seat in first.payload["config"]["seats"])
    assert seated == frozen.admitted


async def test_the_tender_journal_is_a_valid_hash_chain_of_the_steps_in_order(engine: AsyncEngine) -> None:
    clock = Clock(datetime(2026, 8, 1, 9, 0, tzinfo=CEST))
    await load_tender_file(engine, EXAMPLES / "tender.toml", clock)
    paths = example_responses()
    await load_response_files(engine, TENDER_ID, paths, clock, late_reason=LATE)
    await qualify(engine, TENDER_ID, EVALUATION_DAY, clock)
    await decide_example_reviews(engine, clock)
    await freeze_admission(engine, TENDER_ID, clock)

    entries = await journal_of(engine)
    previous = GENESIS
    for number, entry in enumerate(entries, start=1):
        assert entry.stream == stream_for(TENDER_ID)
        assert entry.seq == number
        assert entry.prev_hash == previous
        assert entry.hash == entry_hash(
            entry.stream, entry.seq, entry.recorded_at, entry.type, entry.payload, entry.prev_hash
        ), f"entry {entry.seq} ({entry.type}) does not hash to its stored hash"
        previous = entry.hash

    # Each decision re-evaluates, so a QualificationEvaluated follows every FindingDecided.
    assert [entry.type for entry in entries] == [
        "CriteriaFrozen",
        *["ResponseImported"] * 6,
        "QualificationEvaluated",
        "FindingDecided",
        "QualificationEvaluated",
        "FindingDecided",
        "QualificationEvaluated",
        "AdmissionFrozen",
    ]
    decided = [entry.payload for entry in entries if entry.type == "FindingDecided"]
    assert {(d["supplier_id"], d["criterion_id"]) for d in decided} == set(EXAMPLE_REVIEWS)
    assert all(d["decision"] == "review" and d["previous"] == "needs_review" for d in decided)

    imported = {entry.payload["supplier_id"]: entry.payload for entry in entries if entry.type == "ResponseImported"}
    by_file = {path.name: path for path in paths}
    for supplier_id, payload in imported.items():
        source = by_file[payload["file_name"]]
        assert payload["file_sha256"] == sha256_of(source), supplier_id
        assert payload["format"] == "json" and payload["criteria_version"] == 1
        assert payload["documents"], f"{supplier_id}: no documents listed"
        for document in payload["documents"]:
            on_disk = EXAMPLES / "responses" / document["name"]
            assert document["sha256"] == sha256_of(on_disk), document["name"]
            assert document["size"] == on_disk.stat().st_size
        for name in payload["missing_documents"]:
            assert not (EXAMPLES / "responses" / name).exists(), name
    assert "bloesemhof/polisblad-aansprakelijkheid.pdf" in imported["sup-bloesemhof"]["missing_documents"]
    assert "bloesemhof/polisblad-aansprakelijkheid.pdf" not in {
        d["name"] for d in imported["sup-bloesemhof"]["documents"]
    }
    assert "klaverveld/polisblad-aansprakelijkheid.pdf" in {d["name"] for d in imported["sup-klaverveld"]["documents"]}


# ------------------------------------------------------------------------------------------------ criteria frozen


async def test_reloading_the_tender_with_changed_criteria_after_responses_opened_is_refused(
    loaded: AsyncEngine, examples: Path
) -> None:
    engine = loaded
    await load_response_files(engine, TENDER_ID, example_responses(examples), late_reason=LATE)

    # Before anything is frozen a reload may change the criteria; now it may not.
    changed = changed_criteria(examples, "criteria.toml", "DV-06", "min = 3000000")
    with pytest.raises(StepOutOfOrder) as refused:
        await load_tender_file(engine, examples / "tender.toml")
    message = str(refused.value)
    assert f"criteria of tender {TENDER_ID} are frozen at version 1" in message
    frozen = (await tender_state(engine, TENDER_ID)).criteria
    assert frozen is not None and frozen.criteria_hash[:12] in message
    assert "clarification notice" in message and "auction clarify issue --criteria FILE" in message
    assert (await current_criteria(engine, TENDER_ID)).hash == frozen.criteria_hash

    # The same criteria (as the frozen version) reload fine, also from a file laid out differently.
    changed.write_text(
        "# opnieuw opgemaakt\n" + (EXAMPLES / "criteria.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    again = await load_tender_file(engine, examples / "tender.toml")
    assert again.criteria.hash == frozen.criteria_hash


async def test_before_responses_open_the_tender_may_be_reloaded_with_other_criteria(
    loaded: AsyncEngine, examples: Path
) -> None:
    changed_criteria(examples, "criteria.toml", "DV-06", "min = 3000000")
    again = await load_tender_file(loaded, examples / "tender.toml")
    assert again.criteria["DV-06"].min == 3000000
    assert (await current_criteria(loaded, TENDER_ID))["DV-06"].min == 3000000


# ------------------------------------------------------------------------------------------------ clarification


def tender_without_qualification_section(examples: Path) -> Path:
    """The example tender file with any ``[qualification]`` table taken out, and the ``[timeline]`` after it (the
    timeline's answers term counts from the questions deadline, so it cannot stay without one)."""
    path = examples / "tender.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.split("\n[qualification]\n", 1)[0] + "\n", encoding="utf-8")
    return path


def tender_with_question_deadline(examples: Path) -> Path:
    path = tender_without_qualification_section(examples)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"\n[qualification]\nquestions_until = {DEADLINE.isoformat()}\n", encoding="utf-8")
    return path


async def test_a_clarification_round_from_questions_to_a_criteria_change_and_then_admission(
    engine: AsyncEngine, examples: Path, tmp_path: Path
) -> None:
    clock = Clock(datetime(2026, 6, 20, 9, 0, tzinfo=CEST))
    loaded = await load_tender_file(engine, tender_with_question_deadline(examples), clock)
    assert loaded.tender.qualification.questions_until == DEADLINE

    asker_id, asker = "sup-zonnebloem", "Zonnebloem Dieetzorg B.V."
    # Too late, and "received" in the future: both refused, naming the times.
    with pytest.raises(InputError) as late:
        await record_question(
            engine, TENDER_ID, asker_id, asker, "Mag het later?", datetime(2026, 6, 16, 10, 0, tzinfo=CEST), None, clock
        )
    assert late.value.where == "--received"
    assert "after the question deadline 2026-06-15 12:00 +02:00" in str(late.value)
    assert "2026-06-16 10:00 +02:00" in str(late.value)
    with pytest.raises(InputError) as future:
        await record_question(
            engine, TENDER_ID, asker_id, asker, "Vooruit?", datetime(2026, 6, 21, 10, 0, tzinfo=CEST), None, clock
        )
    assert future.value.where == "--received"
    assert "is in the future" in str(future.value)
    with pytest.raises(InputError, match="no criterion 'XX-01'"):
        await record_question(
            engine, TENDER_ID, asker_id, asker, "Vraag", datetime(2026, 6, 10, 9, 0, tzinfo=CEST), "XX-01", clock
        )
    assert not (await tender_state(engine, TENDER_ID)).questions

    q1 = await record_question(
        engine,
        TENDER_ID,
        asker_id,
        asker,
        "Wij, Zonnebloem Dieetzorg, vragen: mag perceel L1 in twee delen worden geleverd?",
        datetime(2026, 6, 10, 9, 30, tzinfo=CEST),
        "DV-02",
        clock,
    )
    q2 = await record_question(
        engine,
        TENDER_ID,
        "sup-klaverveld",
        "Klaverveld Thuisvoeding B.V.",
        "Telt de zaterdag als werkdag voor de levertijd?",
        DEADLINE,  # exactly at the deadline is on time
        None,
        clock,
    )
    q3 = await record_question(
        engine,
        TENDER_ID,
        asker_id,
        asker,
        "Welke verzekerde aantallen gelden per perceel?",
        datetime(2026, 6, 12, 14, 0, tzinfo=CEST),
        None,
        clock,
    )
    assert (q1, q2, q3) == (1, 2, 3)
    await answer_question(engine, TENDER_ID, q1, "Ja, in ten hoogste twee deelleveringen.", clock)
    await answer_question(engine, TENDER_ID, q2, "Nee, werkdagen zijn maandag tot en met vrijdag.", clock)

    notices = tmp_path / "notices"
    first = await issue_notice(engine, TENDER_ID, notices, date(2026, 6, 22), clock=clock)
    assert (first.number, first.questions, first.held_back, first.criteria_version) == (1, 2, 1, None)
    assert first.markdown == notices / "nota-van-inlichtingen-1.md"
    assert first.html == notices / "nota-van-inlichtingen-1.html"
    markdown = first.markdown.read_text(encoding="utf-8")
    html = first.html.read_text(encoding="utf-8")
    for rendered in (markdown, html):
        assert "Nota van inlichtingen 1" in rendered
        assert "twee deelleveringen" in rendered
        for identity in ("Zonnebloem", "zonnebloem", asker_id, "Klaverveld", "sup-klaverveld"):
            assert identity not in rendered, f"{identity!r} shows in the notice"
        assert "aantallen" not in rendered  # question 3 has no answer yet: held for a later notice

    state = await tender_state(engine, TENDER_ID)
    assert state.criteria is not None and state.criteria.version == 1  # issuing the notice opened responses
    (issued,) = [e for e in await journal_of(engine) if e.type == "NoticeIssued"]
    assert issued.payload["number"] == 1 and issued.payload["questions"] == [1, 2]
    assert issued.payload["markdown_sha256"] == sha256_of(first.markdown)
    assert issued.payload["html_sha256"] == sha256_of(first.html)
    assert issued.payload["criteria_version"] is None and issued.payload["criteria_hash"] is None
    assert state.questions[3].notice is None and state.questions[1].notice == 1

    with pytest.raises(StepOutOfOrder, match="question 1 was published in notice 1"):
        await answer_question(engine, TENDER_ID, q1, "Toch anders.", clock)
    with pytest.raises(NotFound, match="no question 9"):
        await answer_question(engine, TENDER_ID, 9, "Antwoord.", clock)
    with pytest.raises(StepOutOfOrder, match="nothing to publish in notice 2.*1 still unanswered"):
        await issue_notice(engine, TENDER_ID, notices, date(2026, 6, 23), clock=clock)

    # The workbook a supplier downloaded for criteria version 1 …
    v1 = await current_criteria(engine, TENDER_ID)
    workbook = tmp_path / "antwoorden-v1.xlsx"
    write_workbook(
        workbook, v1, tender_id=TENDER_ID, tender_title=loaded.tender.title, criteria_version=1, criteria_hash=v1.hash
    )

    # … then notice 2 publishes the held question and a criteria change (version 2).
    same = examples / "criteria-ongewijzigd.toml"
    shutil.copy(examples / "criteria.toml", same)
    with pytest.raises(InputError, match="the same as the frozen version"):
        await issue_notice(engine, TENDER_ID, notices, date(2026, 6, 25), criteria_path=same, clock=clock)
    await answer_question(
        engine, TENDER_ID, q3, "De aantallen staan per productregel in het aanbestedingsdocument.", clock
    )
    new_criteria = changed_criteria(examples, "criteria-v2.toml", "DV-06", "min = 2000000")
    second = await issue_notice(engine, TENDER_ID, notices, date(2026, 6, 25), criteria_path=new_criteria, clock=clock)
    assert (second.number, second.questions, second.held_back, second.criteria_version) == (2, 1, 0, 2)
    second_md = second.markdown.read_text(encoding="utf-8")
    assert "Nota van inlichtingen 2" in second_md and "DV-06" in second_md and "versie 2" in second_md
    assert "Zonnebloem" not in second_md and "Zonnebloem" not in second.html.read_text(encoding="utf-8")

    state = await tender_state(engine, TENDER_ID)
    v2_hash = load_criteria(new_criteria).hash
    assert state.criteria is not None
    assert (state.criteria.version, state.criteria.criteria_hash, state.criteria.notice) == (2, v2_hash, 2)
    assert (await current_criteria(engine, TENDER_ID))["DV-06"].min == 2000000
    types = [e.type for e in await journal_of(engine)]
    assert types[-2:] == ["NoticeIssued", "CriteriaFrozen"]
    notice_2 = [e for e in await journal_of(engine) if e.type == "NoticeIssued"][-1].payload
    assert (notice_2["criteria_version"], notice_2["criteria_hash"], notice_2["questions"]) == (2, v2_hash, [3])
    assert notice_2["markdown_sha256"] == sha256_of(second.markdown)
    assert notice_2["html_sha256"] == sha256_of(second.html)

    # The version-1 workbook no longer fits, and the organiser is told why.
    with pytest.raises(InputError) as stale:
        await load_response_files(engine, TENDER_ID, [workbook], clock)
    message = str(stale.value)
    assert str(workbook) in message
    assert "generated for criteria version 1; the criteria are now version 2" in message
    assert "nothing was imported" in message
    assert await stored_response_count(engine) == 0

    # The responses, qualification and admission go on with version 2.
    report = await load_response_files(engine, TENDER_ID, example_responses(examples), clock)
    assert report.criteria_version == 2 and not report.opened_now
    clock.set(datetime(2026, 8, 1, 9, 0, tzinfo=CEST))
    await qualify(engine, TENDER_ID, EVALUATION_DAY, clock)
    await decide_example_reviews(engine, clock)
    frozen = await freeze_admission(engine, TENDER_ID, clock)
    assert "sup-klaverveld" in frozen.admitted

    # After the admission freeze nothing that feeds it may change.
    with pytest.raises(StepOutOfOrder) as question_refused:
        await record_question(
            engine, TENDER_ID, asker_id, asker, "Nog een vraag", datetime(2026, 6, 14, 9, 0, tzinfo=CEST), None, clock
        )
    assert "admission list is frozen" in str(question_refused.value)
    assert "questions can no longer change" in str(question_refused.value)
    with pytest.raises(StepOutOfOrder, match="admission list is frozen.*the criteria and notices"):
        await issue_notice(engine, TENDER_ID, notices, date(2026, 8, 2), criteria_path=same, clock=clock)
    with pytest.raises(StepOutOfOrder, match="admission list is frozen.*findings can no longer change"):
        await decide(engine, TENDER_ID, "sup-lepelaar", "DV-02", "fail", JUSTIFICATION, override=True, clock=clock)
    with pytest.raises(StepOutOfOrder, match="admission list is frozen.*responses can no longer change"):
        await load_response_files(engine, TENDER_ID, example_responses(examples)[:1], clock)
    with pytest.raises(StepOutOfOrder, match="admission list is frozen.*the verdicts can no longer change"):
        await qualify(engine, TENDER_ID, EVALUATION_DAY, clock)
    with pytest.raises(StepOutOfOrder, match="admission list is frozen"):
        await freeze_admission(engine, TENDER_ID, clock)
    assert not (notices / "nota-van-inlichtingen-3.md").exists()


async def test_questions_need_a_deadline_in_the_tender(loaded: AsyncEngine, examples: Path) -> None:
    await load_tender_file(loaded, tender_without_qualification_section(examples))
    with pytest.raises(StepOutOfOrder, match=r"no question deadline: add \[qualification\] questions_until"):
        await record_question(
            loaded, TENDER_ID, "sup-x", "X B.V.", "Vraag?", datetime(2026, 6, 1, 9, 0, tzinfo=CEST), None
        )


# ------------------------------------------------------------------------------------------------ import errors


async def assert_nothing_imported(engine: AsyncEngine) -> None:
    assert await stored_response_count(engine) == 0
    assert not [e for e in await journal_of(engine) if e.type == "ResponseImported"]


async def test_a_workbook_for_another_tender_is_refused(loaded: AsyncEngine, tmp_path: Path) -> None:
    criteria = await current_criteria(loaded, TENDER_ID)
    workbook = tmp_path / "ander.xlsx"
    write_workbook(
        workbook,
        criteria,
        tender_id="OTHER",
        tender_title="Een andere aanbesteding",
        criteria_version=1,
        criteria_hash=criteria.hash,
    )
    with pytest.raises(InputError) as refused:
        await load_response_files(loaded, TENDER_ID, [workbook], late_reason=LATE)
    message = str(refused.value)
    assert f'{workbook}: this workbook is for tender "OTHER", not "{TENDER_ID}"' in message
    assert "1 file with problems; nothing was imported" in message
    await assert_nothing_imported(loaded)


async def test_two_files_from_one_supplier_are_refused_naming_both(loaded: AsyncEngine, examples: Path) -> None:
    original = examples / "responses" / "lepelaar.json"
    copy = examples / "responses" / "lepelaar-nogmaals.json"
    shutil.copy(original, copy)
    with pytest.raises(InputError) as refused:
        await load_response_files(loaded, TENDER_ID, [original, copy], late_reason=LATE)
    message = str(refused.value)
    assert f'{copy}: supplier → id: supplier "sup-lepelaar" already responded in {original}' in message
    assert "one response per supplier" in message
    await assert_nothing_imported(loaded)


async def test_one_bad_file_among_good_ones_imports_nothing_and_names_every_problem(
    loaded: AsyncEngine, examples: Path
) -> None:
    good = [p for p in example_responses(examples) if p.stem not in ("molenwiek", "ooievaar")]
    unknown = response_variant(examples, "onbekend.json", {"XX-99": True}, supplier="molenwiek")
    wrong_type = response_variant(examples, "verkeerd-type.json", {"DV-06": "veel"}, supplier="ooievaar")
    with pytest.raises(InputError) as refused:
        await load_response_files(loaded, TENDER_ID, [*good, unknown, wrong_type], late_reason=LATE)
    message = str(refused.value)
    assert refused.value.where == "responses"
    assert "2 files with problems; nothing was imported" in message
    assert (
        f'{unknown}: answers[27] → criterion: unknown criterion id "XX-99" in criteria of tender {TENDER_ID}' in message
    )
    assert f"{wrong_type}: " in message
    assert "(criterion DV-06) → value: expected a number, got 'veel'" in message
    for path in good:
        assert str(path) not in message
    await assert_nothing_imported(loaded)

    # With the two suppliers' own (correct) files instead, the same call imports everything.
    unknown.unlink()
    wrong_type.unlink()
    report = await load_response_files(loaded, TENDER_ID, example_responses(examples), late_reason=LATE)
    assert len(report.imported) == 6 and await stored_response_count(loaded) == 6


async def test_an_expired_certificate_imports_and_then_fails_with_the_date_in_the_reason(
    loaded: AsyncEngine, examples: Path
) -> None:
    expired = response_variant(examples, "lepelaar.json", {"ALG-06": "2026-07-31"})
    await load_response_files(loaded, TENDER_ID, [expired], late_reason=LATE)
    (verdict,) = await qualify(loaded, TENDER_ID, EVALUATION_DAY)
    assert verdict.supplier_id == "sup-lepelaar" and verdict.status == "excluded"
    assert [f.criterion_id for f in verdict.failures] == ["ALG-06"]
    finding = verdict.failures[0]
    assert finding.outcome == finding.evaluated == "fail"
    assert "31 July 2026" in finding.reason_en and "expired" in finding.reason_en
    assert "1 August 2026" in finding.reason_en
    assert "31 juli 2026" in finding.reason_nl and "verlopen" in finding.reason_nl


async def test_a_file_of_an_unknown_type_is_refused_with_the_formats(loaded: AsyncEngine, tmp_path: Path) -> None:
    text_file = tmp_path / "antwoorden.txt"
    text_file.write_text("ALG-01: ja\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        await load_response_files(loaded, TENDER_ID, [text_file], late_reason=LATE)
    assert f"{text_file}: unknown file type: expected .json, .xlsx (the response workbook) or .csv" in str(
        refused.value
    )
    await assert_nothing_imported(loaded)


async def test_loading_no_files_or_before_any_tender_is_refused(engine: AsyncEngine) -> None:
    with pytest.raises(NotFound, match="no tender loaded yet: run `auction tender load FILE` first"):
        await load_response_files(engine, None, example_responses())
    await load_tender_file(engine, EXAMPLES / "tender.toml")
    with pytest.raises(InputError, match="responses: no files given"):
        await load_response_files(engine, TENDER_ID, [])


# ------------------------------------------------------------------------------------------------ decide


@pytest.fixture
async def qualified(loaded: AsyncEngine) -> AsyncEngine:
    await load_response_files(loaded, TENDER_ID, example_responses(), late_reason=LATE)
    await qualify(loaded, TENDER_ID, EVALUATION_DAY)
    return loaded


async def test_deciding_before_qualification_is_refused(loaded: AsyncEngine) -> None:
    await load_response_files(loaded, TENDER_ID, example_responses(), late_reason=LATE)
    with pytest.raises(StepOutOfOrder, match=r"not been qualified yet: run `auction qualify` first"):
        await decide(loaded, TENDER_ID, "sup-bloesemhof", "DV-06", "pass", JUSTIFICATION, override=False)
    with pytest.raises(StepOutOfOrder, match=r"not been qualified yet: run `auction qualify` first"):
        await freeze_admission(loaded, TENDER_ID)


async def test_qualifying_without_responses_is_refused(loaded: AsyncEngine) -> None:
    with pytest.raises(StepOutOfOrder, match=r"no responses loaded yet: run `auction responses load FILE…` first"):
        await qualify(loaded, TENDER_ID, EVALUATION_DAY)


async def test_a_decision_needs_a_written_justification(qualified: AsyncEngine) -> None:
    with pytest.raises(InputError) as refused:
        await decide(qualified, TENDER_ID, "sup-bloesemhof", "DV-06", "pass", "  akkoord   ok  ", override=False)
    assert refused.value.where == "--justification"
    assert "at least 15 characters" in str(refused.value)
    with pytest.raises(InputError, match="outcome: must be pass or fail, got 'maybe'"):
        await decide(qualified, TENDER_ID, "sup-bloesemhof", "DV-06", "maybe", JUSTIFICATION, override=False)
    assert not [e for e in await journal_of(qualified) if e.type == "FindingDecided"]


async def test_a_review_is_only_for_a_finding_that_needs_one(qualified: AsyncEngine) -> None:
    with pytest.raises(StepOutOfOrder) as refused:
        await decide(qualified, TENDER_ID, "sup-lepelaar", "DV-06", "pass", JUSTIFICATION, override=False)
    message = str(refused.value)
    assert "sup-lepelaar/DV-06 does not need review (it is pass)" in message
    assert "auction override" in message
    with pytest.raises(NotFound) as unknown_supplier:
        await decide(qualified, TENDER_ID, "sup-niemand", "DV-06", "pass", JUSTIFICATION, override=False)
    assert "no verdict for supplier 'sup-niemand'" in str(unknown_supplier.value)
    assert "sup-bloesemhof, sup-klaverveld, sup-lepelaar" in str(unknown_supplier.value)
    with pytest.raises(NotFound, match="criterion 'XX-01' is not among the tender's criteria"):
        await decide(qualified, TENDER_ID, "sup-lepelaar", "XX-01", "fail", JUSTIFICATION, override=True)
    with pytest.raises(StepOutOfOrder, match="sup-lepelaar/DV-06 is already pass"):
        await decide(qualified, TENDER_ID, "sup-lepelaar", "DV-06", "pass", JUSTIFICATION, override=True)


async def test_an_override_from_pass_to_fail_excludes_and_keeps_the_machine_outcome(qualified: AsyncEngine) -> None:
    justification = "De opgegeven levertijd bleek bij controle van de leveringsvoorwaarden niet te kloppen."
    verdict = await decide(qualified, TENDER_ID, "sup-lepelaar", "DV-02", "fail", justification, override=True)
    assert verdict.supplier_id == "sup-lepelaar" and verdict.status == "excluded"
    finding = verdict.finding("DV-02")
    assert finding is not None
    assert (finding.outcome, finding.evaluated) == ("fail", "pass")
    assert finding.decision is not None
    assert (finding.decision.outcome, finding.decision.justification) == ("fail", justification)
    assert [f.criterion_id for f in verdict.failures] == ["DV-02"]

    stored = {v.supplier_id: v for v in await stored_verdicts(qualified, TENDER_ID)}
    assert stored["sup-lepelaar"] == verdict
    (decided,) = [e for e in await journal_of(qualified) if e.type == "FindingDecided"]
    assert decided.payload["decision"] == "override"
    assert (decided.payload["outcome"], decided.payload["previous"]) == ("fail", "pass")
    assert decided.payload["justification"] == justification
    assert finding.decision.journal_seq == decided.seq

    await decide_example_reviews(qualified)
    frozen = await freeze_admission(qualified, TENDER_ID)
    assert "sup-lepelaar" in frozen.excluded and "sup-lepelaar" not in frozen.admitted


# ------------------------------------------------------------------------------------------------ stale data
# Found while writing these tests and fixed: a freeze on stale verdicts, and a reload losing the admission hash.


async def test_a_response_replaced_after_qualification_must_be_qualified_again_before_the_freeze(
    qualified: AsyncEngine, examples: Path
) -> None:
    await decide_example_reviews(qualified)
    failing = response_variant(examples, "lepelaar.json", {"DV-06": 1})  # liability insurance of 1 EUR
    await load_response_files(qualified, TENDER_ID, [failing], late_reason=LATE)
    with pytest.raises(StepOutOfOrder, match="auction qualify"):
        await freeze_admission(qualified, TENDER_ID)


async def test_reloading_the_same_tender_after_the_freeze_keeps_the_admission_list(qualified: AsyncEngine) -> None:
    await decide_example_reviews(qualified)
    frozen = await freeze_admission(qualified, TENDER_ID)
    await load_tender_file(qualified, EXAMPLES / "tender.toml")
    auction_id = await schedule_auction(qualified, TENDER_ID, "L1", "live", 2_000_000_000_000, 600)
    first = (await SqlJournal(qualified).read(auction_id))[0]
    assert first.payload["config"]["admission_hash"] == frozen.admission_hash
