"""``auction``: the organiser's control CLI. Every step of the procurement is a sub-command; see docs/cli.md."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import from_iso, system_clock, to_iso
from auction.db import make_engine
from auction.errors import InputError, NotFound
from auction.money import format_euro
from auction.settings import Settings
from auction.tender import parse_duration

T = TypeVar("T")


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
        """Run one async step against the database, turning user errors into clear messages and exit 2."""
        from auction.errors import StepOutOfOrder

        if not self.settings.db_path.exists():
            fail(f"no database at {self.settings.db_path}: run `auction init` first (or pass --db)")

        async def go() -> T:
            engine = make_engine(self.settings.database_url)
            try:
                return await work(engine)
            finally:
                await engine.dispose()

        try:
            return asyncio.run(go())
        except (InputError, NotFound, StepOutOfOrder) as exc:
            fail(str(exc))

    def public_url(self) -> str:
        """Where the server says it is reachable (recorded when it starts), else the default address."""
        from auction.service import get_setting

        async def read() -> str | None:
            engine = make_engine(self.settings.database_url)
            try:
                return await get_setting(engine, "server_url")
            finally:
                await engine.dispose()

        if not self.settings.db_path.exists():
            return self.settings.base_url
        return asyncio.run(read()) or self.settings.base_url

    def organiser_key(self) -> str | None:
        path = self.settings.organiser_key_path
        return path.read_text().strip() if path.exists() else None


def fail(message: str) -> NoReturn:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(2)


pass_context = click.make_pass_decorator(Context)


@click.group()
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    envvar="AUCTION_DB",
    default="var/auction.db",
    show_default=True,
    help="The SQLite database file (also from $AUCTION_DB).",
)
@click.pass_context
def main(ctx: click.Context, db: Path) -> None:
    """Run a joint reverse auction for medical nutrition (dieetvoeding), from tender to contract."""
    ctx.obj = Context(Settings(db_path=db))


# ------------------------------------------------------------------------------------------------- setup


@main.command()
@pass_context
def init(ctx: Context) -> None:
    """Create the database (if new) and the organiser key beside it."""
    from auction.service import init_database

    asyncio.run(init_database(ctx.settings))
    click.echo(f"database: {ctx.settings.db_path.resolve()}")
    click.echo(f"organiser key: {ctx.settings.organiser_key_path.resolve()} (keep it private)")


@main.group()
def tender() -> None:
    """Load and show the tender (lots, lines, insurers, rules)."""


@tender.command("load")
@click.argument("file", type=click.Path(path_type=Path))
@pass_context
def tender_load(ctx: Context, file: Path) -> None:
    """Load a tender file (TOML, see docs/formats.md) and the criteria file it names."""
    from auction.service import load_tender_file

    loaded = ctx.run(lambda engine: load_tender_file(engine, file))
    t = loaded.tender
    click.echo(f"tender {t.id}: {t.title}")
    click.echo(f"  {len(t.insurers)} insurers, {len(t.lots)} lots, {len(loaded.criteria.criteria)} criteria")
    click.echo(f"  hash {loaded.hash}")


@tender.command("show")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def tender_show(ctx: Context, tender_id: str | None) -> None:
    """Print the tender: insurers and their shares, lots, lines and ceiling prices."""
    from auction.service import get_tender

    t = ctx.run(lambda engine: get_tender(engine, tender_id))
    total = sum(i.insured for i in t.insurers)
    click.echo(f"{t.id}: {t.title}  ({t.contract_period.start} – {t.contract_period.end})")
    for insurer in t.insurers:
        click.echo(
            f"  insurer {insurer.id:<18} {insurer.name:<34} {insurer.insured:>10,} insured  "
            f"{100 * insurer.insured / total:5.1f} %"
        )
    for lot in t.lots:
        click.echo(f"  lot {lot.id}: {lot.name}")
        for line in lot.lines:
            click.echo(f"    {line.id:<7} {line.description:<62} {line.volume:>10,} × ceiling {line.ceiling}")


# ---------------------------------------------------------------------------------------------- auctions


def parse_when(text: str) -> int:
    """``now``, ``+30s`` / ``+2m`` (from now), or an ISO time."""
    if text == "now":
        return system_clock()
    if text.startswith("+"):
        return system_clock() + parse_duration(text[1:]) * 1000
    try:
        return from_iso(text)
    except ValueError:
        raise click.BadParameter(f"{text!r}: use 'now', '+2m' or an ISO time like 2027-09-15T10:00:00+02:00") from None


@main.command()
@click.option("--lot", "lots", multiple=True, help="Lot id; repeat for several; default: every lot.")
@click.option("--kind", type=click.Choice(["practice", "live"]), required=True)
@click.option("--opens-at", default="+1m", show_default=True, help="'now', '+2m', or an ISO time.")
@click.option("--duration", default="10m", show_default=True, help="How long bidding runs, e.g. 10m, 1h.")
@click.option(
    "--extension-window",
    help="Override the tender's anti-sniping window (e.g. 10s for a compressed practice).",
)
@click.option("--extension", help="Override the tender's extension length.")
@click.option("--max-extensions", type=int, help="Override the tender's maximum number of extensions.")
@click.option(
    "--standstill", help="Override the tender's standstill after the intention to award (e.g. 1m for a drill)."
)
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def schedule(
    ctx: Context,
    lots: tuple[str, ...],
    kind: str,
    opens_at: str,
    duration: str,
    extension_window: str | None,
    extension: str | None,
    max_extensions: int | None,
    standstill: str | None,
    tender_id: str | None,
) -> None:
    """Create the practice or live auction of each lot, with a seat for each admitted supplier."""
    from auction.service import TimingOverrides, get_tender, schedule_auction

    try:
        seconds = parse_duration(duration)
        timing = TimingOverrides(
            extension_window_s=parse_duration(extension_window) if extension_window else None,
            extension_s=parse_duration(extension) if extension else None,
            max_extensions=max_extensions,
            standstill_s=parse_duration(standstill) if standstill else None,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    opens = parse_when(opens_at)

    async def work(engine: AsyncEngine) -> list[str]:
        t = await get_tender(engine, tender_id)
        chosen = list(lots) or [lot.id for lot in t.lots]
        return [await schedule_auction(engine, t.id, lot, kind, opens, seconds, timing=timing) for lot in chosen]

    for auction_id in ctx.run(work):
        click.echo(f"scheduled {auction_id}: opens {to_iso(opens)}, runs {duration}")


@main.command()
@click.argument("auction_id")
@click.option("--base-url", help="Address bidders reach the server at (default: http://127.0.0.1:8000).")
@click.option("--valid-for", default="30d", show_default=True, help="How long the links can be used, e.g. 14d.")
@click.option("--json", "as_json", is_flag=True, help="Print the invitations as JSON.")
@pass_context
def invite(ctx: Context, auction_id: str, base_url: str | None, valid_for: str, as_json: bool) -> None:
    """Issue personal room links for every admitted supplier and observer links for the insurers.

    Each link opens one session (in one browser) and expires after --valid-for. Earlier links of this auction
    stop working. The secrets are shown once; only their hashes are stored.
    """
    from auction.service import invite as run_invite

    try:
        seconds = parse_duration(valid_for)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    url = base_url or ctx.settings.base_url
    issued = ctx.run(lambda engine: run_invite(engine, auction_id, url, valid_for_s=seconds))
    if as_json:
        click.echo(json.dumps([i.__dict__ for i in issued], indent=2))
        return
    for inv in issued:
        click.echo(f"{inv.role:<9} {inv.holder_name:<36} {inv.url}")


@main.command("auctions")
@pass_context
def list_auctions_command(ctx: Context) -> None:
    """List the auctions with their phase, close and number of bids."""
    from auction.service import list_auctions, load_runner

    async def work(engine: AsyncEngine) -> list[tuple[str, Any]]:
        return [(row.id, (await load_runner(engine, row.id)).state) for row in await list_auctions(engine)]

    for auction_id, state in ctx.run(work):
        close = to_iso(state.closes_at) if state.closes_at else "-"
        click.echo(f"{auction_id:<28} {state.phase:<10} closes {close:<26} {state.bid_count:>5} bids")


@main.command()
@click.argument("auction_id")
@pass_context
def status(ctx: Context, auction_id: str) -> None:
    """Show an auction's phase, clock and ranking with supplier names (organiser only)."""
    from auction.qualification_steps import supplier_names
    from auction.service import load_runner

    async def work(engine: AsyncEngine) -> tuple[Any, dict[str, str], int]:
        runner = await load_runner(engine, auction_id)
        return runner.state, await supplier_names(engine, runner.state.cfg.tender_id), runner.seq

    state, names, seq = ctx.run(work)
    cfg = state.cfg
    click.echo(f"{auction_id}  {'PRACTICE  ' if cfg.practice else ''}phase {state.phase}  journal seq {seq}")
    if state.closes_at:
        click.echo(f"closes at {to_iso(state.closes_at)}  extensions {state.extensions}")
    for rank, (bidder, bid) in enumerate(state.ranking(), start=1):
        alias = cfg.seat(bidder).alias if cfg.seat(bidder) else "?"
        click.echo(
            f"  {rank}. {alias:<9} {names.get(bidder, bidder):<36} {format_euro(bid.total, cfg.price_decimals):>18}"
        )
    if not state.standing:
        click.echo("  no bids yet")


@main.command()
@click.argument("auction_id")
@click.option("--supplier", help="Only this supplier (default: everyone in the auction).")
@pass_context
def revoke(ctx: Context, auction_id: str, supplier: str | None) -> None:
    """Revoke invitations and sessions: open connections are closed within a second; new links need `invite`."""
    from auction.access import revoke as run_revoke
    from auction.service import get_auction

    async def work(engine: AsyncEngine) -> int:
        await get_auction(engine, auction_id)
        return await run_revoke(engine, auction_id, supplier)

    count = ctx.run(work)
    click.echo(f"revoked {count} session(s) and every invitation of {supplier or 'all suppliers'} in {auction_id}")


@main.command("sessions")
@click.argument("auction_id")
@pass_context
def sessions_command(ctx: Context, auction_id: str) -> None:
    """Who is connected to a running auction now, and every time one bidder was connected twice at once."""
    from auction.control import ServerUnreachable, server_get

    url, key = ctx.public_url(), ctx.organiser_key()
    try:
        answer = server_get(url, key or "", f"/api/sessions/{auction_id}")
    except ServerUnreachable:
        fail(f"no server answers at {url}: start it with `auction serve`")
    if not answer.get("ok"):
        fail(str(answer.get("message")))
    for c in answer["connections"]:
        since = to_iso(c["since"])
        click.echo(
            f"  {c['role']:<8} {c['supplier_id'] or '-':<24} {c['client']:<22} since {since}  "
            f"rate-limited {c['rate_limited']}"
        )
    if not answer["connections"]:
        click.echo("  nobody connected")
    for d in answer["duplicates"]:
        kind = "same session (two tabs?)" if d["same_session"] else "DIFFERENT sessions"
        click.echo(f"  DUPLICATE {d['supplier_id']} at {to_iso(d['at'])}: {kind}, from {', '.join(d['clients'])}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--public-url", help="The address bidders use, if not http://HOST:PORT.")
@pass_context
def serve(ctx: Context, host: str, port: int, public_url: str | None) -> None:
    """Run the auction server (bidder rooms, observers, organiser controls)."""
    from web.server import run_server

    if not ctx.settings.db_path.exists():
        fail(f"no database at {ctx.settings.db_path}: run `auction init` first (or pass --db)")
    run_server(Settings(db_path=ctx.settings.db_path, host=host, port=port, public_url=public_url))


def send_control(ctx: Context, auction_id: str, kind: str, reason: str, args: dict[str, Any] | None = None) -> None:
    """Apply one organiser control and print what the journal recorded, or why it was refused."""
    from auction.control import apply_control
    from auction.service import load_signer

    key, signer = ctx.organiser_key(), load_signer(ctx.settings)
    result = ctx.run(lambda engine: apply_control(engine, auction_id, kind, reason, key, args, signer=signer))
    if not result.get("ok"):
        hint = ""
        if result.get("code") == "illegal_transition":
            hint = f"; `auction status {auction_id}` shows where it stands, docs/contract.md the order of the steps"
        fail(f"{kind} refused: {result.get('message')} ({result.get('code')}){hint}")
    for entry in result.get("entries", []):
        click.echo(f"recorded #{entry['seq']} {entry['type']} (via {result['via']})")


REASON = click.option("--reason", required=True, help="Why; recorded in the auction's journal.")


def _simple_control(kind: str, help_text: str) -> None:
    @click.argument("auction_id")
    @REASON
    @pass_context
    def command(ctx: Context, auction_id: str, reason: str) -> None:
        send_control(ctx, auction_id, kind, reason)

    command.__doc__ = help_text
    main.command(kind)(command)


_simple_control("start", "Open a scheduled auction now (instead of at its scheduled time).")
_simple_control("pause", "Pause bidding: the clock stops and bids are refused until resume.")
_simple_control("resume", "Resume a paused auction; the close moves by the time it stood still.")
_simple_control("close", "Close an auction now.")
_simple_control("cancel", "Cancel an auction; it will never be awarded.")
_simple_control("withhold", "Make no award for a closed live auction (e.g. the reserve was not met), with a reason.")
_simple_control("definitive", "Make the intended award definitive; refused until the standstill period has ended.")


@main.command()
@click.argument("auction_id")
@click.option("--by", required=True, help="How much later the auction closes, e.g. 2m.")
@REASON
@pass_context
def extend(ctx: Context, auction_id: str, by: str, reason: str) -> None:
    """Move the close of an open or paused auction later."""
    try:
        seconds = parse_duration(by)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    send_control(ctx, auction_id, "extend", reason, {"seconds": seconds})


@main.command()
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


@main.command("object")
@click.argument("auction_id")
@click.option("--supplier", required=True, help="The objecting supplier's id.")
@click.option("--text", required=True, help="The objection as received (summary and where the letter is filed).")
@pass_context
def object_command(ctx: Context, auction_id: str, supplier: str, text: str) -> None:
    """Record a losing bidder's objection, received during the standstill period."""
    send_control(ctx, auction_id, "object", text, {"bidder": supplier})


@main.command()
@click.argument("auction_id")
@click.option("--signatory", required=True, help="Who signed for the supplier and the insurers.")
@click.option("--date", "signed_on", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Date on the contract.")
@click.option("--reason", default="contract signed", show_default=True)
@pass_context
def sign(ctx: Context, auction_id: str, signatory: str, signed_on: Any, reason: str) -> None:
    """Record the signed contract of a definitive award; it then runs for the contract period."""
    send_control(ctx, auction_id, "sign", reason, {"signatory": signatory, "signed_on": signed_on.date().isoformat()})


@main.command()
@click.option("--out", type=click.Path(path_type=Path), help="Folder (default: published/ beside the database).")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def documents(ctx: Context, out: Path | None, tender_id: str | None) -> None:
    """Write the award documents as they stand, in Dutch and English, Markdown and HTML: each bidder's letter
    with the intention to award, the contract summary for the parties, and the award notice."""
    from auction.documents import write_documents
    from auction.publication import procurement_record

    url = ctx.public_url()
    record = ctx.run(lambda engine: procurement_record(engine, tender_id, url))
    folder = out or ctx.settings.db_path.parent / "published" / record.tender.id
    for path in write_documents(record, folder):
        click.echo(str(path))


@main.command()
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def publish(ctx: Context, tender_id: str | None) -> None:
    """Publish the award notice of every definitive award: the server shows it at /notice/TENDER, and its hash
    goes into each lot's journal."""
    from auction.publication import procurement_record, publish_notice

    url, key = ctx.public_url(), ctx.organiser_key()

    async def work(engine: AsyncEngine) -> dict[str, Any]:
        record = await procurement_record(engine, tender_id, url)
        return await publish_notice(engine, record, key)

    result = ctx.run(work)
    for auction_id, outcome in result["lots"].items():
        if not outcome.get("ok"):
            fail(f"{auction_id}: publication refused: {outcome.get('message')}")
        click.echo(f"{auction_id}: recorded #{outcome['entries'][0]['seq']} AwardPublished")
    click.echo(f"published at {result['url']} (SHA-256 nl {result['hashes']['nl']})")


@main.group()
def export() -> None:
    """Data for others (OCDS) and for the organiser's own analysis (CSV of bids)."""


@export.command("ocds")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The JSON file to write.")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def export_ocds(ctx: Context, out: Path, tender_id: str | None) -> None:
    """Write the OCDS 1.1.5 release package of the whole procurement (see docs/ocds.md)."""
    from auction.ocds import release_package
    from auction.publication import procurement_record, write_json

    url = ctx.public_url()
    record = ctx.run(lambda engine: procurement_record(engine, tender_id, url))
    click.echo(str(write_json(out, release_package(record))))


@export.command("journal")
@click.argument("auction_id")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The JSON Lines file to write.")
@pass_context
def export_journal(ctx: Context, auction_id: str, out: Path) -> None:
    """Write an auction's journal as JSON Lines with every hash and signature (see docs/audit.md)."""
    from auction.clock import system_clock
    from auction.export import journal_jsonl
    from auction.service import get_auction, get_setting, journal_for

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
    from auction.publication import bids_csv, procurement_record

    url = ctx.public_url()
    record = ctx.run(lambda engine: procurement_record(engine, tender_id, url))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(bids_csv(record), encoding="utf-8")
    click.echo(f"{out}: {len(record.bids)} bids")


@main.group()
def contract() -> None:
    """Show recorded contracts."""


@contract.command("show")
@click.argument("auction_id", required=False)
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def contract_show(ctx: Context, auction_id: str | None, tender_id: str | None, as_json: bool) -> None:
    """Print the contract of one auction, or of every awarded lot of the tender."""
    from auction.contracts import contracts_of_tender, stored_contract
    from auction.qualification_steps import supplier_names
    from auction.service import get_tender

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
        fail("no contract recorded yet: close the live auction and run `auction award AUCTION --reason …`")
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


@main.command()
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
    from auction.audit import check_receipts, verify_auction
    from auction.service import journal_for, list_auctions

    if watch:
        from auction.watch import play

        if len(auction_ids) != 1:
            fail("--watch shows one auction: name it")
        entries = ctx.run(lambda engine: journal_for(engine).read(auction_ids[0]))
        if not entries:
            fail(f"no journal for {auction_ids[0]!r}")
        play(entries, speed, click.echo)
        return

    async def work(engine: AsyncEngine) -> tuple[list[Any], list[str]]:
        from auction.tender_audit import tender_streams, verify_tender

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
        fail("nothing to replay: no tender has been qualified and no auction exists")
    if receipts:
        for problem in receipt_problems:
            click.echo(f"  FAILED receipt: {problem}")
        if not receipt_problems:
            click.echo("  receipts: every receipt is in the journal, unchanged")
    if verify and (broken or receipt_problems):
        click.secho(f"{broken} of {len(reports)} journal(s) FAILED verification", fg="red", err=True)
        sys.exit(1)
    if verify:
        click.secho(f"all {len(reports)} journal(s) verified (tenders and auctions)", fg="green")


# The qualification commands live in their own module; importing it registers them on `main`.
import auction.cli_qualification  # noqa: E402,F401

if __name__ == "__main__":
    # Under `python -m auction.cli` this file runs as __main__; the commands are registered on the module
    # `auction.cli`, so run that one.
    from auction.cli import main as registered_main

    registered_main()
