"""The auditor's commands: `replay` (with `--verify`, `--receipts`, `--watch`) and `check` (every machine-checkable
rule of the procedure, with its source and evidence)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.cli.context import Context, fail, pass_context
from qualification.common.errors import NOT_FOUND, VERIFICATION_FAILED


@click.command()
@click.argument("auction_ids", nargs=-1)
@click.option("--verify", is_flag=True, help="Check the chain, signatures, rules and contract; exit 1 on any break.")
@click.option(
    "--receipts",
    type=click.Path(path_type=Path, exists=True),
    help="A bidder's receipts (JSON list of bid_accepted messages) to check against the journal.",
)
@click.option("--watch", is_flag=True, help="Show one auction unfold as it happened, from the journal alone.")
@click.option("--speed", default=10.0, show_default=True, help="With --watch: how many times faster than real time.")
@pass_context
def replay(
    ctx: Context, auction_ids: tuple[str, ...], verify: bool, receipts: Path | None, watch: bool, speed: float
) -> None:
    """Re-derive auctions from their journal alone (default: every auction) and prove the outcome."""
    from auction.audit.verify import check_receipts, verify_auction
    from auction.steps.auctions import list_auctions
    from auction.storage.sql_journal import journal_for

    if watch:
        from auction.audit.watch import play

        if len(auction_ids) != 1:
            fail("--watch shows one auction: name it")
        entries = ctx.run(lambda engine: journal_for(engine).read(auction_ids[0]))
        if not entries:
            fail(f"no journal for {auction_ids[0]!r}", NOT_FOUND)
        play(entries, speed, click.echo)
        return

    async def work(engine: AsyncEngine) -> tuple[list[Any], list[str], list[str], int]:
        from auction.audit.compliance import findings, table
        from auction.audit.tender_audit import tender_streams, verify_tender

        rows = await list_auctions(engine)
        ids = list(auction_ids) or [row.id for row in rows]
        # Without named auctions, every tender's qualification is proved first: the seats rest on it.
        tenders = [] if auction_ids else await tender_streams(engine)
        tender_reports = [await verify_tender(engine, t) for t in tenders]
        auction_reports = {auction_id: await verify_auction(engine, auction_id) for auction_id in ids}
        reports = tender_reports + list(auction_reports.values())
        problems = await check_receipts(engine, json.loads(receipts.read_text("utf-8"))) if receipts else []
        # With --verify, the rules of the procedure too (`auction check`), judged from the audits just made: a
        # failed rule fails the verification.
        checked: list[str] = []
        failed_rules = 0
        for tender_id, tender_report in zip(tenders, tender_reports, strict=True) if verify else ():
            own = [auction_reports[row.id] for row in sorted(rows, key=lambda r: r.id) if row.tender_id == tender_id]
            judged = findings(tender_report, own)
            checked.extend(table(tender_id, judged))
            failed_rules += sum(f.status == "fail" for f in judged)
        return reports, problems, checked, failed_rules

    reports, receipt_problems, checked, failed_rules = ctx.run(work)
    broken = 0
    for report in reports:
        for line in report.lines():
            click.echo(line)
        broken += not report.ok
    if not reports:
        fail("nothing to replay: no tender has been qualified and no auction exists", NOT_FOUND)
    for line in checked:
        click.echo(line)
    if receipts:
        for problem in receipt_problems:
            click.echo(f"  FAILED receipt: {problem}")
        if not receipt_problems:
            click.echo("  receipts: every receipt is in the journal, unchanged")
    if verify and (broken or receipt_problems or failed_rules):
        click.secho(
            f"{broken} of {len(reports)} journal(s) FAILED verification"
            + (f"; {failed_rules} rule(s) of the procedure FAILED (see `auction check`)" if failed_rules else ""),
            fg="red",
            err=True,
        )
        sys.exit(VERIFICATION_FAILED)
    if verify:
        click.secho(f"all {len(reports)} journal(s) verified (tenders and auctions)", fg="green")


@click.command()
@click.option("--tender", "tender_id", help="Tender id (default: every tender).")
@pass_context
def check(ctx: Context, tender_id: str | None) -> None:
    """Check every machine-checkable rule of the procedure (docs/compliance.md): pass, warning or fail per rule,
    with its source and the evidence; exit 1 if any rule fails."""
    from auction.audit.compliance import check_tender, table
    from auction.audit.tender_audit import tender_streams

    async def work(engine: AsyncEngine) -> list[tuple[str, list[Any]]]:
        tenders = [tender_id] if tender_id else await tender_streams(engine)
        return [(t, await check_tender(engine, t)) for t in tenders]

    results = ctx.run(work)
    if not results:
        fail("nothing to check: no tender has a journal yet (`auction tender publish`)", NOT_FOUND)
    failed = 0
    for tender, findings in results:
        for line in table(tender, findings):
            click.echo(line)
        failed += sum(f.status == "fail" for f in findings)
    if failed:
        click.secho(f"{failed} rule(s) FAILED", fg="red", err=True)
        sys.exit(VERIFICATION_FAILED)
    click.secho("no rule failed", fg="green")


COMMANDS: tuple[click.Command, ...] = (replay, check)
