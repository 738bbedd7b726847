"""What every command of the CLI shares: the settings, running a step against the database, failing clearly."""

from __future__ import annotations

import asyncio
import sys
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.bootstrap import wired
from auction.settings import Settings
from qualification.common.errors import INTERNAL, NOT_FOUND, USAGE, DieetveilingError

T = TypeVar("T")


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
        """Run one async step against the database; the product's errors end the command with their message and
        exit status (:class:`CommandGroup`)."""
        if not self.settings.db_path.exists():
            fail(f"no database at {self.settings.db_path}: run `auction init` first (or pass --db)", NOT_FOUND)

        async def go() -> T:
            async with wired(self.settings) as wiring:
                return await work(wiring.engine)

        return asyncio.run(go())

    def public_url(self) -> str:
        """Where the server says it is reachable (recorded when it starts), else the default address."""
        from auction.storage.server_settings import get_setting

        async def read() -> str | None:
            async with wired(self.settings) as wiring:
                return await get_setting(wiring.engine, "server_url")

        if not self.settings.db_path.exists():
            return self.settings.base_url
        return asyncio.run(read()) or self.settings.base_url

    def organiser_key(self) -> str | None:
        path = self.settings.organiser_key_path
        return path.read_text().strip() if path.exists() else None


def fail(message: str, status: int = USAGE) -> NoReturn:
    """End the command: the message on stderr, and the exit status that says what kind of failure it was
    (docs/cli.md, "Exit status"; the statuses are in :mod:`qualification.common.errors`)."""
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(status)


class CommandGroup(click.Group):
    """The CLI's main group: every product error ends the command with its own exit status; anything else is a bug,
    reported as one (traceback, exit 70) rather than passed off as a usage error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except DieetveilingError as exc:
            fail(str(exc), exc.exit_status)
        except Exception:
            traceback.print_exc()
            fail("internal error (a bug, not something you did): please report it with the lines above", INTERNAL)


pass_context = click.make_pass_decorator(Context)
