"""What every command of the CLI shares: the settings, running a step against the database, failing clearly."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.bootstrap import wired
from auction.settings import Settings
from qualification.common.errors import InputError, NotFound

T = TypeVar("T")


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
        """Run one async step against the database, turning user errors into clear messages and exit 2."""
        from qualification.common.errors import StepOutOfOrder

        if not self.settings.db_path.exists():
            fail(f"no database at {self.settings.db_path}: run `auction init` first (or pass --db)")

        async def go() -> T:
            async with wired(self.settings) as wiring:
                return await work(wiring.engine)

        try:
            return asyncio.run(go())
        except (InputError, NotFound, StepOutOfOrder) as exc:
            fail(str(exc))

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


def fail(message: str) -> NoReturn:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(2)


pass_context = click.make_pass_decorator(Context)
