"""Scheduling auctions, inviting bidders, and looking at auctions: `schedule`, `invite`, `auctions`, `status`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import system_clock, to_iso
from auction.rules.money import format_euro
from auction.tender.file import parse_duration

if TYPE_CHECKING:
    from auction.rules.config import AuctionConfig
    from auction.rules.state import AuctionState
from auction.cli.context import Context, pass_context
from auction.cli.options import duration_option, format_duration, parse_when


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


@click.command()
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
    help="Practice auctions only: override the tender's anti-sniping window (e.g. 10s for a compressed practice).",
)
@click.option("--extension", help="Practice auctions only: override the tender's extension length.")
@click.option(
    "--max-extensions", type=int, help="Practice auctions only: override the tender's maximum number of extensions."
)
@click.option(
    "--standstill",
    help="Practice auctions only: override the tender's standstill after the intention to award (e.g. 1m).",
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


@click.command()
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


@click.command("auctions")
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


@click.command()
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


COMMANDS: tuple[click.Command, ...] = (schedule, invite, list_auctions_command, status)
