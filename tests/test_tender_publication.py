"""The published tender is binding: publication is journaled whole, a changed file is refused after it, a change
goes only through a numbered clarification notice that states it, and the audit catches a tender edited in the
database behind the journal's back."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.audit.replay import replay
from auction.audit.tender_audit import verify_tender
from auction.cli.main import main as cli
from auction.journal.hashing import GENESIS, entry_hash
from auction.settings import Settings
from auction.steps.qualification import issue_notice
from auction.steps.setup import init_database
from auction.steps.tender_publication import publish_tender
from auction.steps.tender_stream import tender_state
from auction.steps.tenders import load_tender_file
from auction.storage.db import journal, make_engine, tenders
from auction.storage.sql_journal import journal_for
from auction.storage.tenders import get_tender
from qualification.common.canonical import canonical_json
from qualification.common.errors import REFUSED, VERIFICATION_FAILED, InputError, StepOutOfOrder
from tests.conftest import EXAMPLES, prepare

TENDER_ID = "DV-2027"


def tender_copy(folder: Path, *edits: tuple[str, str], concept: str | None = None) -> Path:
    """The example tender in ``folder``, with text ``edits`` (old, new) applied and another concept contract."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (EXAMPLES / "tender.toml").read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (folder / "tender.toml").write_text(text, encoding="utf-8")
    (folder / "criteria.toml").write_bytes((EXAMPLES / "criteria.toml").read_bytes())
    contract = (EXAMPLES / "conceptcontract.md").read_text(encoding="utf-8")
    (folder / "conceptcontract.md").write_text(contract if concept is None else contract + concept, encoding="utf-8")
    return folder / "tender.toml"


# The careful user's scenario of the issue: stricter decrement, the best offer and ladder shown, a lower ceiling.
CHANGED = (
    ('min_decrement = { percent = "0.5" }', 'min_decrement = { percent = "5" }'),
    ("show_best_total = false", "show_best_total = true\nshow_ladder = true"),
    ('ceiling = "2.10"', 'ceiling = "1.50"'),
)
PENALTY = "\n\n## Boete\n\nBij te late levering is de leverancier een boete verschuldigd.\n"


@pytest.fixture
async def published(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    settings = Settings(db_path=tmp_path / "auction.db")
    await init_database(settings)
    engine = make_engine(settings.database_url)
    await load_tender_file(engine, EXAMPLES / "tender.toml")
    await publish_tender(engine, TENDER_ID)
    yield engine
    await engine.dispose()


async def test_publication_journals_the_whole_tender_with_its_contract_and_criteria(published: AsyncEngine) -> None:
    state = await tender_state(published, TENDER_ID)
    assert state.published is not None and state.published.version == 1 and state.published.notice is None
    document = state.published.tender
    assert [lot["id"] for lot in document["lots"]] == ["L1", "L2"]
    assert document["lots"][0]["lines"][0]["ceiling"] == "2.10"
    assert document["auction"]["min_decrement"] == {"percent": "0.5", "amount": None, "basis": "own"}
    assert state.published.concept_contract_version == "1.0"
    assert state.criteria is not None and state.published.criteria_hash == state.criteria.criteria_hash
    with pytest.raises(StepOutOfOrder, match="already published"):
        await publish_tender(published, TENDER_ID)
    assert (await verify_tender(published, TENDER_ID)).ok


async def test_the_same_file_reloads_but_a_changed_one_is_refused_naming_each_change(
    published: AsyncEngine, tmp_path: Path
) -> None:
    await load_tender_file(published, EXAMPLES / "tender.toml")  # unchanged: fine
    seq = (await tender_state(published, TENDER_ID)).seq
    changed = tender_copy(tmp_path / "changed", *CHANGED, concept=PENALTY)
    with pytest.raises(StepOutOfOrder) as refused:
        await load_tender_file(published, changed)
    message = str(refused.value)
    assert "published (version 1) and is binding" in message
    assert 'auction → min_decrement → percent: was "0.5", now "5"' in message
    assert "auction → show_ladder" in message and "auction → show_best_total" in message
    assert 'lots (id "L1") → lines (id "L1-01") → ceiling: was "2.10", now "1.50"' in message
    assert "concept contract changed" in message
    assert "auction clarify issue --tender-file" in message
    # Nothing stored: the tender in force is the published one, and the journal has no new entry.
    assert (await get_tender(published, TENDER_ID)).auction.min_decrement.percent == "0.5"
    assert (await tender_state(published, TENDER_ID)).seq == seq


async def test_a_notice_publishes_the_change_in_words_and_brings_version_2_into_force(
    published: AsyncEngine, tmp_path: Path
) -> None:
    changed = tender_copy(tmp_path / "changed", *CHANGED, ('version = "1.0"', 'version = "1.1"'), concept=PENALTY)
    issued = await issue_notice(published, TENDER_ID, tmp_path / "notices", date(2026, 6, 20), tender_path=changed)
    assert issued.tender_version == 2
    markdown = issued.markdown.read_text(encoding="utf-8").replace("\\_", "_")  # Markdown escapes underscores
    assert "Wijzigingen in de aanbestedingsstukken" in markdown
    assert 'auction → min_decrement → percent: was "0.5", wordt "5"' in markdown
    assert 'lots (id "L1") → lines (id "L1-01") → ceiling: was "2.10", wordt "1.50"' in markdown
    assert "Het conceptcontract is gewijzigd: versie 1.0 wordt versie 1.1." in markdown
    state = await tender_state(published, TENDER_ID)
    assert state.published is not None and (state.published.version, state.published.notice) == (2, 1)
    assert (await get_tender(published, TENDER_ID)).auction.min_decrement.percent == "5"
    await load_tender_file(published, changed)  # the file now matches the version in force
    report = await verify_tender(published, TENDER_ID)
    assert report.ok, report.problems


async def test_a_changed_concept_contract_must_change_its_version(published: AsyncEngine, tmp_path: Path) -> None:
    same_label = tender_copy(tmp_path / "same-label", concept=PENALTY)
    with pytest.raises(InputError, match=r"concept_contract → version: .*text changed but its version is still '1.0'"):
        await issue_notice(published, TENDER_ID, tmp_path / "notices", date(2026, 6, 20), tender_path=same_label)
    assert (await tender_state(published, TENDER_ID)).published.version == 1  # type: ignore[union-attr]


async def test_a_notice_that_changes_nothing_is_refused(published: AsyncEngine, tmp_path: Path) -> None:
    same = tender_copy(tmp_path / "same")
    with pytest.raises(InputError, match="same as the published version; nothing to publish"):
        await issue_notice(published, TENDER_ID, tmp_path / "notices", date(2026, 6, 20), tender_path=same)
    assert not (tmp_path / "notices").exists()  # refused before anything was written


async def test_a_tender_edited_in_the_database_fails_the_audit(published: AsyncEngine) -> None:
    tender = await get_tender(published, TENDER_ID)
    document = tender.model_dump(mode="json")
    document["lots"][0]["lines"][0]["ceiling"] = "1.50"
    async with published.begin() as conn:
        await conn.execute(update(tenders).where(tenders.c.id == TENDER_ID).values(document=json.dumps(document)))
    report = await verify_tender(published, TENDER_ID)
    assert not report.ok
    assert any("not the published version 1" in problem for problem in report.problems)


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_the_cli_publishes_refuses_a_changed_reload_and_replay_catches_an_edit(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run(db, "init").exit_code == 0
    assert run(db, "tender", "load", str(EXAMPLES / "tender.toml")).exit_code == 0
    result = run(db, "tender", "publish")
    assert result.exit_code == 0 and "tender published: version 1" in result.output
    result = run(db, "tender", "load", str(tender_copy(tmp_path / "changed", *CHANGED)))
    assert result.exit_code == REFUSED and "is binding" in result.output
    assert run(db, "replay", "--verify").exit_code == 0
    import sqlite3

    with sqlite3.connect(db) as conn:
        document = json.loads(conn.execute("select document from tenders").fetchone()[0])
        document["auction"]["min_decrement"]["percent"] = "5"
        conn.execute("update tenders set document = ?", (json.dumps(document),))
    result = run(db, "replay", "--verify")
    assert result.exit_code == VERIFICATION_FAILED and "not the published version 1" in result.output


async def rewrite_journal(engine: AsyncEngine, stream: str, seq: int, change: Callable[[dict[str, Any]], None]) -> None:
    """What someone with write access to the database could do: change one entry's payload and re-hash the chain
    from there on, so every link and hash is intact."""
    async with engine.begin() as conn:
        rows = (await conn.execute(select(journal).where(journal.c.stream == stream).order_by(journal.c.seq))).all()
        previous = GENESIS
        for row in rows:
            payload = json.loads(row.payload)
            if row.seq == seq:
                change(payload)
            digest = entry_hash(stream, row.seq, row.recorded_at, row.type, payload, previous)
            await conn.execute(
                update(journal)
                .where(journal.c.stream == stream, journal.c.seq == row.seq)
                .values(payload=canonical_json(payload), prev_hash=previous, hash=digest)
            )
            previous = digest


async def test_a_live_auction_configured_otherwise_than_published_fails_the_audit(tmp_path: Path) -> None:
    """A hand-edited auction configuration, re-hashed with the chain intact: the replay of the auction alone
    passes (it follows its own recorded settings), the tender's audit names the difference."""
    procurement = await prepare(tmp_path)
    try:
        await publish_tender(procurement.engine, procurement.tender_id)
        auction_id, _ = await procurement.auction(lot="L1", kind="live", opens_in_s=3600)
        assert (await verify_tender(procurement.engine, procurement.tender_id)).ok

        def stricter(payload: dict[str, Any]) -> None:
            payload["config"]["decrement_percent"] = "5"

        await rewrite_journal(procurement.engine, auction_id, 1, stricter)
        entries = await journal_for(procurement.engine).read(auction_id)
        assert replay(auction_id, entries).ok  # on its own, the forged journal is consistent
        report = await verify_tender(procurement.engine, procurement.tender_id)
        assert not report.ok
        (problem,) = report.problems
        assert problem.startswith(f"{auction_id} (entry #1): its configuration is not what the published tender")
        assert "decrement_percent is '5', the tender gives '0.5'" in problem
    finally:
        await procurement.engine.dispose()
