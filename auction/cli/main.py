"""``auction``: the organiser's control CLI. Every step of the procurement is a sub-command; see docs/cli.md."""

from __future__ import annotations

from pathlib import Path

import click

from auction.cli import auctions, audit, award, controls, server, setup
from auction.cli import qualification as qualification_commands
from auction.cli.context import CommandGroup, Context
from auction.settings import Settings


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


# Each module holds the commands of one part of the procedure; `auction --help` lists them all.
for _module in (setup, qualification_commands, auctions, server, controls, award, audit):
    for _command in _module.COMMANDS:
        main.add_command(_command)

if __name__ == "__main__":
    main()
