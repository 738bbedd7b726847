"""From the close to the contract and its publication: `award`, `object`, `definitive`, `sign`, `documents`,
`publish`, `export`, `contract show`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.cli.context import Context, fail, pass_context
from auction.cli.controls import send_control
from auction.cli.options import REASON
from auction.clock import system_clock
from qualification.common.errors import NOT_FOUND, REFUSED


@click.command()
@click.argument("auction_id")
@click.option("--rank", default=1, show_default=True, help="Award the offer at this rank (2: pass over the best).")
@REASON
@pass_context
def award(ctx: Context, auction_id: str, rank: int, reason: str) -> None:
    """Record the intention to award (voornemen tot gunning) a closed live auction; the standstill starts.

    The best offer wins; with --rank 2 (and a reason, e.g. the winner failed the final check of its documents)
    the next in rank. Running it again revises the intention and restarts the standstill.
    """
    send_control(ctx, auction_id, "award", reason, {"rank": rank})


@click.command("object")
@click.argument("auction_id")
@click.option("--supplier", required=True, help="The objecting supplier's id.")
@click.option("--text", required=True, help="The objection as received (summary and where the letter is filed).")
@pass_context
def object_command(ctx: Context, auction_id: str, supplier: str, text: str) -> None:
    """Record a losing bidder's objection, received during the standstill period."""
    send_control(ctx, auction_id, "object", text, {"bidder": supplier})


@click.command()
@click.argument("auction_id")
@click.option("--signatory", required=True, help="Who signed for the supplier and the insurers.")
@click.option("--date", "signed_on", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Date on the contract.")
@click.option("--reason", default="contract signed", show_default=True)
@pass_context
def sign(ctx: Context, auction_id: str, signatory: str, signed_on: Any, reason: str) -> None:
    """Record the signed contract of a definitive award; it then runs for the contract period."""
    send_control(ctx, auction_id, "sign", reason, {"signatory": signatory, "signed_on": signed_on.date().isoformat()})


@click.command()
@click.option("--out", type=click.Path(path_type=Path), help="Folder (default: published/ beside the database).")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def documents(ctx: Context, out: Path | None, tender_id: str | None) -> None:
    """Write the award documents as they stand, in Dutch and English, Markdown and HTML: each bidder's letter
    with the intention to award, the contract summary for the parties, and the award notice."""
    from auction.documents.award import write_documents
    from auction.steps.publication import procurement_record

    url = ctx.public_url()
    record = ctx.run(lambda engine: procurement_record(engine, tender_id, url))
    folder = out or ctx.settings.db_path.parent / "published" / record.tender.id
    for path in write_documents(record, folder):
        click.echo(str(path))


@click.command()
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def publish(ctx: Context, tender_id: str | None) -> None:
    """Publish the award notice of every definitive award: the server shows it at /notice/TENDER, and its hash
    goes into each lot's journal."""
    from auction.steps.publication import procurement_record, publish_notice

    url, key = ctx.public_url(), ctx.organiser_key()

    async def work(engine: AsyncEngine) -> dict[str, Any]:
        record = await procurement_record(engine, tender_id, url)
        return await publish_notice(engine, record, key)

    result = ctx.run(work)
    for auction_id, outcome in result["lots"].items():
        if not outcome.get("ok"):
            fail(f"{auction_id}: publication refused: {outcome.get('message')}", REFUSED)
        click.echo(f"{auction_id}: recorded #{outcome['entries'][0]['seq']} AwardPublished")
    click.echo(f"published at {result['url']} (SHA-256 nl {result['hashes']['nl']})")


@click.group()
def export() -> None:
    """Data for others (OCDS) and for the organiser's own analysis (CSV of bids)."""


@export.command("ocds")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The JSON file to write.")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def export_ocds(ctx: Context, out: Path, tender_id: str | None) -> None:
    """Write the OCDS 1.1.5 release package of the whole procurement (see docs/ocds.md)."""
    from auction.documents.ocds.release import release_package
    from auction.steps.publication import procurement_record, write_json

    url = ctx.public_url()
    record = ctx.run(lambda engine: procurement_record(engine, tender_id, url))
    click.echo(str(write_json(out, release_package(record))))


@export.command("journal")
@click.argument("auction_id")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The JSON Lines file to write.")
@pass_context
def export_journal(ctx: Context, auction_id: str, out: Path) -> None:
    """Write an auction's journal as JSON Lines with every hash and signature (see docs/audit.md)."""
    from auction.journal.export import journal_jsonl
    from auction.steps.auctions import get_auction
    from auction.storage.server_settings import get_setting
    from auction.storage.sql_journal import journal_for

    async def work(engine: AsyncEngine) -> str:
        await get_auction(engine, auction_id)
        entries = await journal_for(engine).read(auction_id)
        return journal_jsonl(auction_id, entries, await get_setting(engine, "signing_public_key"), system_clock())

    text = ctx.run(work)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    click.echo(f"{out}: {text.count(chr(10)) - 1} entries")


@export.command("bids")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The CSV file to write.")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def export_bids(ctx: Context, out: Path, tender_id: str | None) -> None:
    """Write every accepted bid of the live auctions as CSV, with supplier names (organiser only: keep private)."""
    from auction.steps.publication import bids_csv, procurement_record

    url = ctx.public_url()
    record = ctx.run(lambda engine: procurement_record(engine, tender_id, url))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(bids_csv(record), encoding="utf-8")
    click.echo(f"{out}: {len(record.bids)} bids")


@click.group()
def contract() -> None:
    """Show recorded contracts."""


@contract.command("show")
@click.argument("auction_id", required=False)
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def contract_show(ctx: Context, auction_id: str | None, tender_id: str | None, as_json: bool) -> None:
    """Print the contract of one auction, or of every awarded lot of the tender."""
    from auction.steps.qualification import supplier_names
    from auction.storage.contracts import contracts_of_tender, stored_contract
    from auction.storage.tenders import get_tender

    async def work(engine: AsyncEngine) -> tuple[list[dict[str, Any]], dict[str, str]]:
        t = await get_tender(engine, tender_id)
        if auction_id:
            found = await stored_contract(engine, auction_id)
            records = [found] if found else []
        else:
            records = await contracts_of_tender(engine, t.id)
        return records, await supplier_names(engine, t.id)

    records, names = ctx.run(work)
    if not records:
        fail("no contract recorded yet: close the live auction and run `auction award AUCTION --reason …`", NOT_FOUND)
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    for record in records:
        print_contract(record, names)


def print_contract(record: dict[str, Any], names: dict[str, str]) -> None:
    supplier = record["supplier"]
    click.echo(f"Contract {record['tender_id']} lot {record['lot_id']} ({record['lot_name']}): {record['status']}")
    click.echo(f"  supplier: {supplier['name']} [{supplier['id']}], KvK {supplier['kvk']}, AGB {supplier['agb']}")
    click.echo(
        f"  period:   {record['period']['start']} – {record['period']['end']} ({record['period']['months']} months)"
    )
    if record.get("signatory"):
        click.echo(f"  signed:   {record['signed_on']} by {record['signatory']}")
    for line in record["lines"]:
        click.echo(
            f"  {line['id']:<7} {line['description']:<58} {line['volume']:>10,} × € {line['price']:>7} "
            f"= € {line['value']:>14}"
        )
    click.echo(f"  total per year: € {record['total_per_year']}")
    for insurer in record["insurers"]:
        click.echo(
            f"  for {insurer['name']:<34} share {insurer['share']:<17} expected € {insurer['expected_value']} per year"
        )


COMMANDS: tuple[click.Command, ...] = (award, object_command, sign, documents, publish, export, contract)
