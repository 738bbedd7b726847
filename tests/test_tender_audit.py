"""An auditor re-derives the admission list from the tender's journal and the files as received; any change shows."""

from __future__ import annotations

from sqlalchemy import text, update

from auction.audit.tender_audit import tender_streams, verify_tender
from auction.storage.db import documents, responses
from tests.conftest import Procurement


async def test_the_example_qualification_verifies(procurement: Procurement) -> None:
    assert await tender_streams(procurement.engine) == ["DV-2027"]
    report = await verify_tender(procurement.engine, "DV-2027")
    assert report.ok, report.problems
    assert report.state is not None and report.state.admission is not None
    assert len(report.state.decisions) == 2 and report.entries_checked >= 11
    assert "OK: hash chain intact" in "\n".join(report.lines())


async def test_a_swapped_evidence_document_is_found(procurement: Procurement) -> None:
    async with procurement.engine.begin() as conn:
        await conn.execute(
            update(documents)
            .where(documents.c.supplier_id == "sup-lepelaar", documents.c.name == "lepelaar/recallprocedure.pdf")
            .values(content=b"%PDF-1.4 another document")
        )
    report = await verify_tender(procurement.engine, "DV-2027")
    assert report.problems == ["sup-lepelaar: document 'lepelaar/recallprocedure.pdf' is not the document received"]


async def test_a_rewritten_answer_breaks_the_re_derivation(procurement: Procurement) -> None:
    async with procurement.engine.begin() as conn:
        row = (await conn.execute(responses.select().where(responses.c.supplier_id == "sup-ooievaar"))).one()
        await conn.execute(
            update(responses)
            .where(responses.c.supplier_id == "sup-ooievaar")
            .values(document=row.document.replace('"value":true', '"value":false'))
        )
    report = await verify_tender(procurement.engine, "DV-2027")
    assert "sup-ooievaar: the stored response is not the one read when it was received" in report.problems


async def test_an_edited_journal_entry_is_named(procurement: Procurement) -> None:
    async with procurement.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE journal SET payload = replace(payload, 'Polisblad', 'Iets anders')"
                " WHERE stream = 'tender:DV-2027' AND type = 'FindingDecided'"
            )
        )
    report = await verify_tender(procurement.engine, "DV-2027")
    assert len(report.problems) == 1 and "(FindingDecided): its content does not match its hash" in report.problems[0]
