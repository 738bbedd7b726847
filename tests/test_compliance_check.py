"""``auction check``: each rule of the procedure passes on an honest procurement, and each fails, naming its source,
when the journal or the database is made to break exactly that rule."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, update

from auction.audit.compliance import AUCTIONS_PUBLISHED, OWN_RANK, PUBLISHED, REPLAY, RULES, SEATS, Rule, check_tender
from auction.cli.main import main as cli
from auction.rules.messages import PlaceBid
from auction.steps.auctions import load_runner
from auction.steps.tender_publication import publish_tender
from auction.storage.db import journal, tenders
from auction.storage.tenders import get_tender
from qualification.common.errors import VERIFICATION_FAILED
from tests.conftest import Procurement, prepare
from tests.test_tender_publication import rewrite_journal

PRICES = {"L1-01": "2.00", "L1-02": "2.40", "L1-03": "2.20"}


async def published_with_live_auction(tmp_path: Path, auction_toml: str | None = None) -> tuple[Procurement, str]:
    procurement = await prepare(tmp_path, auction_toml)
    await publish_tender(procurement.engine, procurement.tender_id)
    auction_id, _ = await procurement.auction(lot="L1", kind="live")
    runner = await load_runner(procurement.engine, auction_id)
    await runner.process(PlaceBid(procurement.admitted[0], "b1", PRICES))
    return procurement, auction_id


def status_of(findings: list[Any], rule: Rule) -> tuple[str, str]:
    (finding,) = [f for f in findings if f.rule is rule]
    return finding.status, finding.evidence


async def test_an_honest_procurement_passes_every_rule(tmp_path: Path) -> None:
    procurement, _ = await published_with_live_auction(tmp_path)
    try:
        findings = await check_tender(procurement.engine, procurement.tender_id)
        assert [f.rule for f in findings] == list(RULES)
        assert {f.rule.id: f.status for f in findings} == {rule.id: "pass" for rule in RULES}
        assert all(f.rule.source for f in findings)
    finally:
        await procurement.engine.dispose()


async def test_an_unpublished_tender_is_a_warning_not_a_pass(tmp_path: Path) -> None:
    procurement = await prepare(tmp_path)
    try:
        findings = await check_tender(procurement.engine, procurement.tender_id)
        assert status_of(findings, PUBLISHED)[0] == "warning"
        assert status_of(findings, AUCTIONS_PUBLISHED)[0] == "warning"
    finally:
        await procurement.engine.dispose()


async def test_a_tender_changed_behind_the_journal_fails_the_publication_rule(tmp_path: Path) -> None:
    procurement, _ = await published_with_live_auction(tmp_path)
    try:
        tender = await get_tender(procurement.engine, procurement.tender_id)
        document = tender.model_dump(mode="json")
        document["award"]["standstill"] = "1m"
        async with procurement.engine.begin() as conn:
            await conn.execute(update(tenders).values(document=json.dumps(document)))
        status, evidence = status_of(await check_tender(procurement.engine, procurement.tender_id), PUBLISHED)
        assert status == "fail" and "not the published version 1" in evidence
        assert "ECLI:NL:GHDHA:2016:1875" in PUBLISHED.source
    finally:
        await procurement.engine.dispose()


@pytest.mark.parametrize(
    ("field", "value", "rule", "named"),
    [
        ("extension_window_s", 0, AUCTIONS_PUBLISHED, "extension_window_s is 0, the tender gives 120"),
        ("standstill_s", 60, AUCTIONS_PUBLISHED, "standstill_s is 60, the tender gives 1728000"),
        ("show_ladder", True, AUCTIONS_PUBLISHED, "show_ladder is True, the tender gives False"),
    ],
)
async def test_a_live_auction_configured_otherwise_fails_the_published_rules_rule(
    tmp_path: Path, field: str, value: Any, rule: Rule, named: str
) -> None:
    procurement, auction_id = await published_with_live_auction(tmp_path)
    try:

        def change(payload: dict[str, Any]) -> None:
            payload["config"][field] = value

        await rewrite_journal(procurement.engine, auction_id, 1, change)
        status, evidence = status_of(await check_tender(procurement.engine, procurement.tender_id), rule)
        assert status == "fail" and named in evidence
        assert "Annex VI" in rule.source
    finally:
        await procurement.engine.dispose()


async def test_a_seat_for_a_supplier_not_admitted_fails_the_admission_rule(tmp_path: Path) -> None:
    procurement, auction_id = await published_with_live_auction(tmp_path)
    try:

        def extra_seat(payload: dict[str, Any]) -> None:
            seats = payload["config"]["seats"]
            seats.append({**seats[0], "bidder": "sup-uitgesloten", "alias": "Bieder Z"})

        await rewrite_journal(procurement.engine, auction_id, 1, extra_seat)
        status, evidence = status_of(await check_tender(procurement.engine, procurement.tender_id), SEATS)
        assert status == "fail" and "sup-uitgesloten" in evidence and "not the admitted suppliers" in evidence
        assert "art. 35(4)-(5)" in SEATS.source
    finally:
        await procurement.engine.dispose()


async def test_a_sealed_auction_fails_the_own_rank_rule(tmp_path: Path) -> None:
    procurement, auction_id = await published_with_live_auction(
        tmp_path, 'min_decrement = { percent = "0.5" }\nsealed = true\nshow_bidder_count = false'
    )
    try:
        status, evidence = status_of(await check_tender(procurement.engine, procurement.tender_id), OWN_RANK)
        assert status == "fail" and auction_id in evidence and "sealed" in evidence
        assert "art. 35(7)" in OWN_RANK.source
    finally:
        await procurement.engine.dispose()


async def test_a_removed_bid_fails_the_outcome_rule_and_the_cli_exits_1(tmp_path: Path) -> None:
    procurement, auction_id = await published_with_live_auction(tmp_path)
    try:
        async with procurement.engine.begin() as conn:
            await conn.execute(delete(journal).where(journal.c.stream == auction_id, journal.c.type == "BidAccepted"))
        status, evidence = status_of(await check_tender(procurement.engine, procurement.tender_id), REPLAY)
        assert status == "fail" and auction_id in evidence
        # The CLI runs its own event loop, so it runs in a thread beside this test's loop.
        result = await asyncio.to_thread(CliRunner().invoke, cli, ["--db", str(procurement.settings.db_path), "check"])
        assert result.exit_code == VERIFICATION_FAILED, result.output
        assert "FAIL     auction-outcome-proven" in result.output and "rule(s) FAILED" in result.output
    finally:
        await procurement.engine.dispose()
