"""web/app.py and web/context.py: what ``create_app`` puts on ``app.state`` and what its lifespan starts and stops.

Also the one place the web tests get a server on a clock they set (``ClockedServer``): the only thing mocked.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette

from auction.clock import system_clock
from auction.settings import Settings
from auction.storage.server_settings import get_setting
from tests.conftest import Procurement, RunningServer
from web.app import create_app
from web.context import WebContext, allowed_origins, context_of_app
from web.server import MAX_MESSAGE_BYTES


class ManualClock:
    """The server's clock, moved only by the test (milliseconds since the epoch, like the real one)."""

    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


class ClockedServer(RunningServer):
    """tests/conftest.py's in-process uvicorn server, serving ``create_app(settings, clock)``."""

    def __init__(self, settings: Settings, clock: ManualClock) -> None:
        super().__init__(settings)
        self.clock = clock

    async def start(self) -> None:
        config = uvicorn.Config(
            create_app(self.settings, self.clock),
            host=self.settings.host,
            port=self.settings.port,
            ws="websockets-sansio",
            ws_max_size=MAX_MESSAGE_BYTES,
            ws_per_message_deflate=False,
            log_level="warning",
            lifespan="on",
        )
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        async with asyncio.timeout(10):
            while not self.server.started:
                if self.task.done():
                    self.task.result()
                await asyncio.sleep(0.02)

    @property
    def app(self) -> Starlette:
        assert self.server is not None
        app = self.server.config.app
        assert isinstance(app, Starlette)
        return app


def test_allowed_origins_are_the_public_address_and_the_listening_address() -> None:
    settings = Settings(host="127.0.0.1", port=8123, public_url="https://veiling.example/")
    assert allowed_origins(settings) == {"https://veiling.example", "http://127.0.0.1:8123"}
    assert allowed_origins(Settings(port=8123)) == {"http://127.0.0.1:8123"}


def test_create_app_puts_one_context_on_app_state(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "auction.db", port=8123)
    clock = ManualClock(1_000)
    app = create_app(settings, clock)
    context = context_of_app(app)
    assert context.settings is settings and context.clock is clock
    assert context.allowed_origins == allowed_origins(settings)
    # Code that looks inside the running server (tests, measurements) finds the hub and engine where it did.
    assert app.state.hub is context.hub and app.state.engine is context.engine
    assert context.registry.live("any") == []


def test_an_app_without_a_context_says_so() -> None:
    with pytest.raises(RuntimeError, match="no WebContext"):
        context_of_app(Starlette())


async def test_the_lifespan_starts_the_auctions_and_stops_them(procurement: Procurement) -> None:
    auction_id, _ = await procurement.auction()
    running = ClockedServer(procurement.settings, ManualClock(system_clock()))
    await running.start()
    try:
        context: WebContext = context_of_app(running.app)
        assert [r.auction_id for r in context.hub.runners()] == [auction_id]
        assert await get_setting(procurement.engine, "server_url") == procurement.settings.base_url
    finally:
        await running.stop()
    assert context.hub.runners() == []
