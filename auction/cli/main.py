"""``auction``: the organiser's control CLI. Every step of the procurement is a sub-command; see docs/cli.md."""

from __future__ import annotations

import asyncio
import json
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import from_iso, system_clock, to_iso
from auction.rules.money import format_euro
from auction.settings import Settings
from auction.tender.file import parse_duration

if TYPE_CHECKING:
    from auction.rules.config import AuctionConfig
    from auction.rules.state import AuctionState
from auction.cli import qualification as qualification_commands
from auction.cli.context import CommandGroup, Context, fail, pass_context
from qualification.common.errors import NOT_FOUND, REFUSED, SERVER_UNREACHABLE, VERIFICATION_FAILED


@click.group(cls=CommandGroup)
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
    from auction.steps.setup import init_database

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
    from auction.steps.tenders import load_tender_file

    loaded = ctx.run(lambda engine: load_tender_file(engine, file))
    t = loaded.tender
    click.echo(f"tender {t.id}: {t.title}")
    click.echo(f"  {len(t.insurers)} insurers, {len(t.lots)} lots, {len(loaded.criteria.criteria)} criteria")
    click.echo(f"  hash {loaded.hash}")


@tender.command("show")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@click.option(
    "--language", type=click.Choice(["nl", "en"]), default="en", show_default=True, help="Language of the rules."
)
@pass_context
def tender_show(ctx: Context, tender_id: str | None, language: str) -> None:
    """Print the tender: insurers and their shares, lots, lines and ceiling prices, and the auction rules in words
    (as bidders read them before the auction opens)."""
    from auction.rules.wording import rules_sentences
    from auction.storage.tenders import get_tender
    from auction.tender.auction_rules import rules_from_tender

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
    click.echo(f"  auction rules ({t.auction.format}):")
    for sentence in rules_sentences(rules_from_tender(t, t.lots[0].id), language):
        click.echo(f"    - {sentence}")


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


def format_duration(seconds: int) -> str:
    """120 → ``"2m"``, 5430 → ``"1h30m30s"``, 0 → ``"0s"``: the notation --duration and friends accept."""
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def closing_text(cfg: AuctionConfig) -> str:
    """When an auction of this configuration closes, by its format and closing rule (before any extension)."""
    if cfg.by_levels:
        return f"{len(cfg.levels)} price levels of {format_duration(cfg.level_interval_s)} each; " + (
            "closes at the first acceptance" if cfg.format == "dutch" else "closes when one bidder is left"
        )
    if cfg.format == "rounds":
        return (
            f"initial offers for {format_duration(cfg.initial_offers_s)}, then {cfg.rounds} round(s) of one "
            f"{format_duration(cfg.turn_s)} turn per bidder; closes after the last turn"
        )
    closes = to_iso(cfg.opens_at_ms + cfg.duration_s * 1000)
    if cfg.closing == "quiet":
        return f"closes {format_duration(cfg.quiet_period_s)} after the last valid bid, at the latest {closes}"
    if cfg.extension_window_s > 0 and cfg.max_extensions != 0:
        return f"closes {closes} (later after anti-sniping extensions)"
    return f"closes {closes}"


def running_text(cfg: AuctionConfig) -> str:
    """How long bidding runs (formats closing after their duration) and when it closes."""
    if cfg.format == "english":
        return f"runs {format_duration(cfg.duration_s)}, {closing_text(cfg)}"
    return closing_text(cfg)


@main.command()
@click.option("--lot", "lots", multiple=True, help="Lot id; repeat for several; default: every lot.")
@click.option("--kind", type=click.Choice(["practice", "live"]), required=True)
@click.option("--opens-at", default="+1m", show_default=True, help="'now', '+2m', or an ISO time.")
@click.option("--duration", default="10m", show_default=True, help="How long bidding runs, e.g. 10m, 1h.")
@click.option(
    "--stagger",
    help="Close the lots one after another: they open together and each next lot (in the tender's order, or the"
    " order of --lot) runs this much longer than the one before, e.g. 10m. Default: all close together.",
)
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
    stagger: str | None,
    extension_window: str | None,
    extension: str | None,
    max_extensions: int | None,
    standstill: str | None,
    tender_id: str | None,
) -> None:
    """Create the practice or live auction of each lot, with a seat for each admitted supplier."""
    from auction.steps.auctions import TimingOverrides, schedule_lots

    seconds = duration_option("--duration", duration)
    stagger_s = duration_option("--stagger", stagger, positive=False) if stagger else 0
    try:
        timing = TimingOverrides(
            extension_window_s=parse_duration(extension_window) if extension_window else None,
            extension_s=parse_duration(extension) if extension else None,
            max_extensions=max_extensions,
            standstill_s=parse_duration(standstill) if standstill else None,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    opens = parse_when(opens_at)

    scheduled = ctx.run(
        lambda engine: schedule_lots(engine, tender_id, lots, kind, opens, seconds, stagger_s=stagger_s, timing=timing)
    )
    for lot in scheduled:
        cfg = lot.config
        click.echo(f"scheduled {lot.auction_id}: opens {to_iso(opens)}, {running_text(cfg)}")


def duration_option(name: str, text: str, *, positive: bool = True) -> int:
    """A duration option's seconds; a clear usage error (exit 2) when it is not a duration or not positive."""
    try:
        seconds = parse_duration(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=name) from None
    if positive and seconds <= 0:
        raise click.BadParameter(f"{text!r} must be longer than 0 seconds", param_hint=name)
    return seconds


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
    from auction.steps.invitations import invite as run_invite

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
    """List the auctions with their format, phase, close and number of bids."""
    from auction.steps.auctions import list_auctions, load_runner

    async def work(engine: AsyncEngine) -> list[tuple[str, Any]]:
        return [(row.id, (await load_runner(engine, row.id)).state) for row in await list_auctions(engine)]

    for auction_id, state in ctx.run(work):
        close = to_iso(state.closes_at) if state.closes_at else "-"
        # A row whose creation event never made it to the journal (a crash in between) has no configuration.
        fmt, where = (state.cfg.format, position_text(state)) if state.config is not None else ("-", "")
        click.echo(
            f"{auction_id:<28} {fmt:<8} {state.phase:<10} closes {close:<26} {state.bid_count:>5} bids"
            + (f"  {where}" if where else "")
        )


def position_text(state: AuctionState) -> str:
    """Where a Japanese or Dutch auction's price stands, or whose turn it is in rounds (1-based, as in the room)."""
    cfg = state.cfg
    level = state.current_level
    if cfg.by_levels and level is not None:
        return (
            f"level {level.index + 1} of {len(cfg.levels)}: {level.percent} % of the ceiling, "
            f"total {format_euro(level.total, cfg.price_decimals)}"
        )
    if cfg.format == "rounds" and state.phase in ("open", "paused"):
        if state.round == 0:
            return "initial offers (sealed)"
        return (
            f"round {state.round} of {cfg.rounds}, turn {state.turn_position + 1} of {len(state.turn_order)}"
            f" ({state.on_turn})"
        )
    return ""


@main.command()
@click.argument("auction_id")
@pass_context
def status(ctx: Context, auction_id: str) -> None:
    """Show an auction's format, phase, clock, price level or turn, blocked and dropped-out bidders, the reserve
    and the ranking with supplier names (organiser only)."""
    from auction.steps.auctions import load_runner
    from auction.steps.qualification import supplier_names

    async def work(engine: AsyncEngine) -> tuple[Any, dict[str, str], int]:
        runner = await load_runner(engine, auction_id)
        return runner.state, await supplier_names(engine, runner.state.cfg.tender_id), runner.seq

    state, names, seq = ctx.run(work)
    for line in status_lines(auction_id, state, names, seq, system_clock()):
        click.echo(line)


def status_lines(auction_id: str, state: AuctionState, names: dict[str, str], seq: int, now: int) -> list[str]:
    cfg = state.cfg
    d = cfg.price_decimals

    def who(bidder: str) -> str:
        seat = cfg.seat(bidder)
        return f"{seat.alias if seat else '?'} {names.get(bidder, seat.name if seat else bidder)} [{bidder}]"

    lines = [
        f"{auction_id}  {'PRACTICE  ' if cfg.practice else ''}format {cfg.format}  phase {state.phase}"
        f"  journal seq {seq}"
    ]
    if state.phase == "scheduled":
        due = "  (due: it opens at the next tick)" if cfg.opens_at_ms <= now else ""
        lines.append(f"opens at {to_iso(cfg.opens_at_ms)}{due}")
    if state.closes_at:
        running = state.phase in ("open", "paused")
        label = "closes"
        if running and cfg.by_levels:
            label = "level ends"
        elif running and cfg.format == "rounds" and state.round:
            label = "turn ends"
        lines.append(f"{label} at {to_iso(state.closes_at)}  extensions {state.extensions}")
    if state.paused_at is not None:
        lines.append(f"paused since {to_iso(state.paused_at)}")
    where = position_text(state)
    if where:
        lines.append(where)
    if cfg.by_levels and state.level is not None:
        accepted = ", ".join(who(b) for b in sorted(state.accepted)) or "nobody yet"
        lines.append(f"accepted this level: {accepted}")
    if cfg.format == "rounds" and state.round > 0 and state.on_turn:
        lines.append(f"on turn: {who(state.on_turn)}")
    if state.dropped:
        lines.append("dropped out: " + ", ".join(who(b) for b in sorted(state.dropped)))
    if state.blocked:
        lines.append("BLOCKED: " + ", ".join(who(b) for b in sorted(state.blocked)))
    best = state.best()
    if cfg.reserve_total is not None:
        reserve = format_euro(cfg.reserve_total, d)
        if best is None:
            lines.append(f"reserve {reserve} (undisclosed): no offer yet")
        else:
            if best.total <= cfg.reserve_total:
                lines.append(f"reserve {reserve} (undisclosed): met by the best offer")
            else:
                lines.append(
                    f"reserve {reserve} (undisclosed): NOT met by the best offer (an award would be conditional)"
                )
    meat = cfg.meat_formula is not None
    if meat:
        lines.append(f"ranked by quality-weighted figure (MEAT, formula {cfg.meat_formula})")
    for rank, (bidder, bid) in enumerate(state.ranking(), start=1):
        seat = cfg.seat(bidder)
        alias = seat.alias if seat else "?"
        row = f"  {rank}. {alias:<9} {names.get(bidder, bidder):<36} {format_euro(bid.total, d):>18}"
        if meat:
            score = seat.quality_score if seat and seat.quality_score else "-"
            row += f"  ranked {format_euro(bid.ranked, d):>18}  quality {score}"
        lines.append(row)
    if not state.standing:
        lines.append("  no bids yet")
    return lines


@main.command()
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


@main.command("sessions")
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


@main.command()
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


def send_control(
    ctx: Context, auction_id: str, kind: str, reason: str, args: dict[str, Any] | None = None, name: str | None = None
) -> dict[str, Any]:
    """Apply one organiser control and print what the journal recorded, or why it was refused (exit 2)."""
    from auction.steps.control import apply_control
    from auction.steps.setup import load_signer

    key, signer = ctx.organiser_key(), load_signer(ctx.settings)
    result = ctx.run(lambda engine: apply_control(engine, auction_id, kind, reason, key, args, signer=signer))
    if not result.get("ok"):
        hint = ""
        if result.get("code") == "illegal_transition":
            hint = f"; `auction status {auction_id}` shows where it stands, docs/contract.md the order of the steps"
        fail(f"{name or kind} refused: {result.get('message')} ({result.get('code')}){hint}", REFUSED)
    for entry in result.get("entries", []):
        click.echo(f"recorded #{entry['seq']} {entry['type']} (via {result['via']})")
    return result


def current_state(ctx: Context, auction_id: str) -> AuctionState:
    """The auction's state as its journal stands now (after a control: including what it recorded)."""
    from auction.steps.auctions import load_runner

    async def work(engine: AsyncEngine) -> AuctionState:
        return (await load_runner(engine, auction_id)).state

    return ctx.run(work)


REASON = click.option("--reason", required=True, help="Why; recorded in the auction's journal.")
BIDDER = click.option("--bidder", required=True, help="The bidder's supplier id (see `auction status AUCTION`).")


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
_simple_control("close", "Close an auction now.")
_simple_control("cancel", "Cancel an auction; it will never be awarded.")
_simple_control("withhold", "Make no award for a closed live auction (e.g. the reserve was not met), with a reason.")
_simple_control("definitive", "Make the intended award definitive; refused until the standstill period has ended.")


@main.command()
@click.argument("auction_id")
@click.option(
    "--close-in",
    help="Set a new close this long after resuming, e.g. 5m. Default: the time left when it was paused is restored.",
)
@REASON
@pass_context
def resume(ctx: Context, auction_id: str, close_in: str | None, reason: str) -> None:
    """Resume a paused auction; the close moves by the time it stood still, or is set anew with --close-in."""
    args = {"seconds": duration_option("--close-in", close_in)} if close_in is not None else None
    send_control(ctx, auction_id, "resume", reason, args)
    state = current_state(ctx, auction_id)
    if state.closes_at:
        label = "the level ends" if state.cfg.by_levels else "the turn ends" if state.round else "closes"
        click.echo(f"{auction_id} is open again; {label} at {to_iso(state.closes_at)}")


@main.command()
@click.argument("auction_id")
@BIDDER
@REASON
@pass_context
def block(ctx: Context, auction_id: str, bidder: str, reason: str) -> None:
    """Stop one bidder from bidding (e.g. suspected misuse of its link); its standing offer stays.

    The reason goes into the journal and is never shown to other bidders. In rounds, a blocked bidder on turn
    loses its turn. `auction unblock` lets it bid again.
    """
    send_control(ctx, auction_id, "block", reason, {"bidder": bidder})
    click.echo(f"{bidder} is blocked in {auction_id}: its bids are refused until `auction unblock`")


@main.command()
@click.argument("auction_id")
@BIDDER
@REASON
@pass_context
def unblock(ctx: Context, auction_id: str, bidder: str, reason: str) -> None:
    """Let a blocked bidder bid again."""
    send_control(ctx, auction_id, "unblock", reason, {"bidder": bidder})
    click.echo(f"{bidder} may bid again in {auction_id}")


def parse_price_options(options: tuple[str, ...]) -> dict[str, str]:
    """``("L1-01=2.05", "L1-02=2,30")`` → ``{"L1-01": "2.05", "L1-02": "2.30"}``; a decimal comma becomes a point
    (the core's price list separates lines with commas)."""
    prices: dict[str, str] = {}
    for option in options:
        line, sep, price = (part.strip() for part in option.partition("="))
        if not sep or not line or not price:
            raise click.BadParameter(f"{option!r}: write LINE=PRICE, e.g. L1-01=2.05", param_hint="--price")
        if "=" in price or price.count(",") + price.count(".") > 1:
            raise click.BadParameter(
                f"{option!r}: one LINE=PRICE per --price (repeat --price for each line)", param_hint="--price"
            )
        if line in prices:
            raise click.BadParameter(f"line {line} is priced twice", param_hint="--price")
        prices[line] = price.replace(",", ".")
    return prices


@main.command("bid-for")
@click.argument("auction_id")
@BIDDER
@click.option(
    "--price",
    "price_options",
    multiple=True,
    metavar="LINE=PRICE",
    help="A line's price per unit, e.g. L1-01=2.05; repeat for every line (the bid follows every rule of a bid).",
)
@click.option(
    "--level",
    type=click.IntRange(min=1),
    help="Japanese and Dutch auctions: the level the bidder accepts, numbered from 1 as the room shows it.",
)
@REASON
@pass_context
def bid_for(
    ctx: Context, auction_id: str, bidder: str, price_options: tuple[str, ...], level: int | None, reason: str
) -> None:
    """The phone fallback: enter a bid (or accept a level) on a bidder's behalf when its connection fails.

    The bid follows every rule a bidder's own bid follows; the journal records it as entered by the organiser,
    with the reason. Prints the receipt (journal entry and hash) to read back to the bidder, or the refusal.
    """
    prices = parse_price_options(price_options)
    cfg = current_state(ctx, auction_id).cfg
    if cfg.by_levels:
        if level is None:
            fail(f"{auction_id} runs in the {cfg.format} format: give the level the bidder accepts with --level N")
        if prices:
            fail(f"{auction_id} runs in the {cfg.format} format: the level sets the prices; leave out --price")
    else:
        if level is not None:
            fail(f"{auction_id} runs in the {cfg.format} format: bids carry prices; leave out --level")
        if not prices:
            fail("give the bid's prices: --price LINE=PRICE for each line, e.g. --price L1-01=2.05")
    bid_id = f"phone-{secrets.token_hex(6)}"
    args: dict[str, Any] = {"bidder": bidder, "bid_id": bid_id}
    if level is not None:
        args["level"] = level - 1
    else:
        args["prices"] = ",".join(f"{line}={price}" for line, price in prices.items())
    result = send_control(ctx, auction_id, "bid_for", reason, args, name=f"bid for {bidder}")
    accepted = next((e for e in result.get("entries", []) if e["type"] == "BidAccepted"), None)
    state = current_state(ctx, auction_id)
    standing = state.standing.get(bidder)
    click.echo(f"receipt: bid {bid_id} for {bidder}, entered by the organiser")
    if standing is not None and standing.bid_id == bid_id:
        d = state.cfg.price_decimals
        rank = state.rank_of(bidder)
        ranked = f", ranked figure {format_euro(standing.ranked, d)}" if state.cfg.meat_formula else ""
        click.echo(f"  total {format_euro(standing.total, d)}{ranked}, rank {rank} of {len(state.standing)}")
    if accepted is not None:
        click.echo(f"  journal #{accepted['seq']}, entry hash {accepted['hash']}")


@main.group()
def practice() -> None:
    """Practice auctions: a copy of the live auction for bidders to rehearse with, reset as often as needed."""


@practice.command("create")
@click.option("--from", "source", required=True, metavar="LIVE_AUCTION", help="The live auction to copy.")
@click.option(
    "--compress",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Divide every duration (bidding, anti-sniping, quiet period, levels, turns, standstill) by this; "
    "each stays at least 1 s. 1: the real times.",
)
@click.option("--opens-at", default="+1m", show_default=True, help="'now', '+2m', or an ISO time.")
@pass_context
def practice_create(ctx: Context, source: str, compress: int, opens_at: str) -> None:
    """Create the practice auction of a lot as a copy of its live auction's recorded configuration.

    Same lines, rules, seats and aliases as the live auction; its own auction id and journal. Refused when the
    practice auction of the lot exists already (reset it with `auction practice reset`).
    """
    from auction.steps.practice import practice_from_live

    opens = parse_when(opens_at)
    cfg = ctx.run(lambda engine: practice_from_live(engine, source, opens, compress))
    click.echo(
        f"created {cfg.auction_id} from {source}: {cfg.format}, {len(cfg.seats)} seats "
        f"({', '.join(seat.alias for seat in cfg.seats)}), opens {to_iso(cfg.opens_at_ms)}"
    )
    if compress > 1:
        shown = ", ".join(
            f"{name.removesuffix('_s').replace('_', ' ')} {format_duration(getattr(cfg, name))}"
            for name in used_durations(cfg)
        )
        click.echo(f"  every duration divided by {compress}: {shown}")
    click.echo(f"  {running_text(cfg)}")
    click.echo(f"  next: `auction invite {cfg.auction_id}` sends the bidders their practice links")


def used_durations(cfg: AuctionConfig) -> list[str]:
    """The durations (config field names) the auction's format uses."""
    if cfg.by_levels:
        return ["level_interval_s", "standstill_s"]
    if cfg.format == "rounds":
        return ["initial_offers_s", "turn_s", "standstill_s"]
    quiet = ["quiet_period_s"] if cfg.closing == "quiet" else []
    return ["duration_s", *quiet, "extension_window_s", "extension_s", "standstill_s"]


@practice.command("reset")
@click.argument("auction_id")
@click.option(
    "--opens-in", default="1m", show_default=True, help="The practice auction opens this long from now, e.g. 30s."
)
@REASON
@pass_context
def practice_reset(ctx: Context, auction_id: str, opens_in: str, reason: str) -> None:
    """Start a practice auction over: no bids, the same seats and rules, opening --opens-in from now.

    Its journal keeps the earlier run. A live auction is never reset.
    """
    seconds = duration_option("--opens-in", opens_in, positive=False)
    send_control(ctx, auction_id, "reset", reason, {"seconds": seconds}, name="practice reset")
    state = current_state(ctx, auction_id)
    click.echo(f"{auction_id} starts over: opens {to_iso(state.cfg.opens_at_ms)}")


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
    from auction.documents.award import write_documents
    from auction.steps.publication import procurement_record

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


@main.group()
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
    from auction.clock import system_clock
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


# The qualification commands live in their own module.
for _command in (
    qualification_commands.responses,
    qualification_commands.qualify,
    qualification_commands.review,
    qualification_commands.override,
    qualification_commands.admission,
    qualification_commands.clarify,
    qualification_commands.report,
):
    main.add_command(_command)

if __name__ == "__main__":
    main()
