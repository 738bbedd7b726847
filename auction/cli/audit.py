"""The auditor's command: `replay` (with `--verify`, `--receipts`, `--watch`)."""

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

    async def work(engine: AsyncEngine) -> tuple[list[Any], list[str]]:
        from auction.audit.tender_audit import tender_streams, verify_tender

        ids = list(auction_ids) or [row.id for row in await list_auctions(engine)]
        # Without named auctions, every tender's qualification is proved first: the seats rest on it.
        tender_reports = [] if auction_ids else [await verify_tender(engine, t) for t in await tender_streams(engine)]
        reports = tender_reports + [await verify_auction(engine, auction_id) for auction_id in ids]
        problems = await check_receipts(engine, json.loads(receipts.read_text("utf-8"))) if receipts else []
        return reports, problems

    reports, receipt_problems = ctx.run(work)
    broken = 0
    for report in reports:
        for line in report.lines():
            click.echo(line)
        broken += not report.ok
    if not reports:
        fail("nothing to replay: no tender has been qualified and no auction exists", NOT_FOUND)
    if receipts:
        for problem in receipt_problems:
            click.echo(f"  FAILED receipt: {problem}")
        if not receipt_problems:
            click.echo("  receipts: every receipt is in the journal, unchanged")
    if verify and (broken or receipt_problems):
        click.secho(f"{broken} of {len(reports)} journal(s) FAILED verification", fg="red", err=True)
        sys.exit(VERIFICATION_FAILED)
    if verify:
        click.secho(f"all {len(reports)} journal(s) verified (tenders and auctions)", fg="green")


COMMANDS: tuple[click.Command, ...] = (replay,)
