"""The first commands: `init` (database and keys) and `tender load` / `tender show`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click

from auction.cli.context import Context, pass_context


@click.command()
@pass_context
def init(ctx: Context) -> None:
    """Create the database (if new) and the organiser key beside it."""
    from auction.steps.setup import init_database

    asyncio.run(init_database(ctx.settings))
    click.echo(f"database: {ctx.settings.db_path.resolve()}")
    click.echo(f"organiser key: {ctx.settings.organiser_key_path.resolve()} (keep it private)")


@click.group()
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


@tender.command("publish")
@click.option("--tender", "tender_id", help="Tender id (when several are loaded).")
@pass_context
def tender_publish(ctx: Context, tender_id: str | None) -> None:
    """Publish the loaded tender: it is journaled whole and binding; from now on it changes only through a
    clarification notice (`auction clarify issue --tender-file FILE`)."""
    from auction.steps.tender_publication import publish_tender

    published = ctx.run(lambda engine: publish_tender(engine, tender_id))
    click.echo(f"tender published: version {published.version}, hash {published.tender_hash}")
    click.echo(
        f"  concept contract version {published.concept_contract_version} "
        f"(SHA-256 {published.concept_contract_sha256[:16]}…), criteria version {published.criteria_version}"
    )


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
    from auction.tender.timeline import timeline_lines

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
    found = t.milestones()
    if found:
        click.echo(
            "  tijdlijn (gepubliceerd; termijnen in Nederlandse werkdagen):"
            if language == "nl"
            else "  timeline (published; terms in Dutch working days):"
        )
        for text in timeline_lines(found, language):
            click.echo(f"    {text}")


COMMANDS: tuple[click.Command, ...] = (init, tender)
