"""The server and who is connected to it: `serve`, `sessions`, `revoke`."""

from __future__ import annotations

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.cli.context import Context, fail, pass_context
from auction.clock import to_iso
from auction.settings import Settings
from qualification.common.errors import NOT_FOUND, REFUSED, SERVER_UNREACHABLE


@click.command()
@click.argument("auction_id")
@click.option("--supplier", help="Only this supplier (default: everyone in the auction).")
@pass_context
def revoke(ctx: Context, auction_id: str, supplier: str | None) -> None:
    """Revoke invitations and sessions: open connections are closed within a second; new links need `invite`."""
    from auction.steps.auctions import get_auction
    from auction.storage.access import revoke as run_revoke

    async def work(engine: AsyncEngine) -> int:
        await get_auction(engine, auction_id)
        return await run_revoke(engine, auction_id, supplier)

    count = ctx.run(work)
    click.echo(f"revoked {count} session(s) and every invitation of {supplier or 'all suppliers'} in {auction_id}")


@click.command("sessions")
@click.argument("auction_id")
@pass_context
def sessions_command(ctx: Context, auction_id: str) -> None:
    """Who is connected to a running auction now, and every time one bidder was connected twice at once."""
    from auction.steps.control import server_get
    from qualification.common.errors import ServerUnreachable

    url, key = ctx.public_url(), ctx.organiser_key()
    try:
        answer = server_get(url, key or "", f"/api/sessions/{auction_id}")
    except ServerUnreachable:
        fail(f"no server answers at {url}: start it with `auction serve`", SERVER_UNREACHABLE)
    if not answer.get("ok"):
        fail(str(answer.get("message")), NOT_FOUND if answer.get("code") == "unknown_auction" else REFUSED)
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


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--public-url", help="The address bidders use, if not http://HOST:PORT.")
@pass_context
def serve(ctx: Context, host: str, port: int, public_url: str | None) -> None:
    """Run the auction server (bidder rooms, observers, organiser controls)."""
    from web.server import run_server

    if not ctx.settings.db_path.exists():
        fail(f"no database at {ctx.settings.db_path}: run `auction init` first (or pass --db)", NOT_FOUND)
    run_server(Settings(db_path=ctx.settings.db_path, host=host, port=port, public_url=public_url))


COMMANDS: tuple[click.Command, ...] = (revoke, sessions_command, serve)
