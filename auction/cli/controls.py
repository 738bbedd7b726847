"""The organiser's controls of a running auction (`start` … `extend`, `block`, `bid-for`) and practice auctions.

With a server running, a control goes to it over HTTP on loopback; otherwise straight to the journal."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import to_iso
from auction.rules.money import format_euro
from auction.tender.file import parse_duration

if TYPE_CHECKING:
    from auction.rules.config import AuctionConfig
    from auction.rules.state import AuctionState
from auction.cli.auctions import running_text
from auction.cli.context import Context, fail, pass_context
from auction.cli.options import BIDDER, REASON, duration_option, format_duration, parse_price_options, parse_when
from qualification.common.errors import REFUSED


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


def _simple_control(kind: str, help_text: str) -> click.Command:
    @click.argument("auction_id")
    @REASON
    @pass_context
    def command(ctx: Context, auction_id: str, reason: str) -> None:
        send_control(ctx, auction_id, kind, reason)

    command.__doc__ = help_text
    return click.command(kind)(command)


@click.command()
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


@click.command()
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


@click.command()
@click.argument("auction_id")
@BIDDER
@REASON
@pass_context
def unblock(ctx: Context, auction_id: str, bidder: str, reason: str) -> None:
    """Let a blocked bidder bid again."""
    send_control(ctx, auction_id, "unblock", reason, {"bidder": bidder})
    click.echo(f"{bidder} may bid again in {auction_id}")


@click.command("bid-for")
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


@click.group()
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


@click.command()
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


SIMPLE_CONTROLS = (
    _simple_control("start", "Open a scheduled auction now (instead of at its scheduled time)."),
    _simple_control("pause", "Pause bidding: the clock stops and bids are refused until resume."),
    _simple_control("close", "Close an auction now."),
    _simple_control("cancel", "Cancel an auction; it will never be awarded."),
    _simple_control(
        "withhold", "Make no award for a closed live auction (e.g. the reserve was not met), with a reason."
    ),
    _simple_control("definitive", "Make the intended award definitive; refused until the standstill period has ended."),
)


COMMANDS: tuple[click.Command, ...] = (resume, block, unblock, bid_for, practice, extend, *SIMPLE_CONTROLS)
