"""Shared fixtures: a prepared procurement in a real SQLite file, and the real server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import ClientConnection

from auction.clock import system_clock
from auction.settings import Settings
from auction.steps.auctions import schedule_auction
from auction.steps.invitations import Invitation, invite
from auction.steps.qualification import load_response_files
from auction.steps.setup import init_database
from auction.steps.tenders import load_tender_file
from auction.storage.access import exchange_invitation
from auction.storage.db import make_engine
from scripts.kit.example import EXAMPLE_LATE_REASON, qualify_example, tender_with_rules
from web.server import uvicorn_config

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EVALUATION_DAY = date(2026, 8, 1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Procurement:
    settings: Settings
    engine: AsyncEngine
    key: str
    tender_id: str
    admitted: list[str]

    async def auction(
        self, lot: str = "L1", kind: str = "live", opens_in_s: float = 0, duration_s: int = 60
    ) -> tuple[str, list[Invitation]]:
        opens = system_clock() + int(opens_in_s * 1000)
        auction_id = await schedule_auction(self.engine, self.tender_id, lot, kind, opens, duration_s)
        return auction_id, await invite(self.engine, auction_id, self.settings.base_url)


async def prepare(tmp_path: Path, auction_toml: str | None = None, *, tender_file: Path | None = None) -> Procurement:
    """The example procurement up to the frozen admission; ``auction_toml`` replaces the tender's auction rules,
    ``tender_file`` is another tender file altogether."""
    settings = Settings(db_path=tmp_path / "auction.db", port=free_port())
    key = await init_database(settings)
    engine = make_engine(settings.database_url)
    if tender_file is None:
        tender_file = (
            EXAMPLES / "tender.toml" if auction_toml is None else tender_with_rules(tmp_path / "tender", auction_toml)
        )
    loaded = await load_tender_file(engine, tender_file)
    await load_response_files(
        engine,
        loaded.tender.id,
        sorted((EXAMPLES / "responses").glob("*.json")),
        late_reason=EXAMPLE_LATE_REASON,
    )
    verdicts = await qualify_example(engine, loaded.tender.id)
    return Procurement(settings, engine, key, loaded.tender.id, [v.supplier_id for v in verdicts if v.admitted])


@pytest.fixture
async def procurement(tmp_path: Path) -> AsyncIterator[Procurement]:
    prepared = await prepare(tmp_path)
    yield prepared
    await prepared.engine.dispose()


class RunningServer:
    """uvicorn serving ``create_app`` in this event loop, on a free loopback port."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.server: uvicorn.Server | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        config = uvicorn_config(self.settings)
        config.log_level = "warning"
        self.server = uvicorn.Server(config)
        self.task = asyncio.create_task(self.server.serve())
        for _ in range(200):
            if self.server.started:
                return
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.02)
        raise RuntimeError("server did not start")

    async def stop(self) -> None:
        assert self.server is not None and self.task is not None
        self.server.should_exit = True
        await self.task

    @property
    def ws_base(self) -> str:
        return self.settings.base_url.replace("http://", "ws://")

    def bidder_url(self, invitation: Invitation) -> str:
        token = invitation.url.split("#token=")[1]
        return f"{self.ws_base}/ws/bidder/{invitation.auction_id}?token={token}"

    async def session_url(self, engine: AsyncEngine, invitation: Invitation) -> str:
        """Exchange the invitation's one-time secret for a session (as the room does) and return a reusable URL."""
        token = invitation.url.split("#token=")[1]
        secret, _ = await exchange_invitation(engine, invitation.auction_id, token, invitation.role, system_clock())
        return f"{self.ws_base}/ws/{invitation.role}/{invitation.auction_id}?session={secret}"

    def observer_url(self, invitation: Invitation) -> str:
        token = invitation.url.split("#token=")[1]
        return f"{self.ws_base}/ws/observer/{invitation.auction_id}?token={token}"


@pytest.fixture
async def server(procurement: Procurement) -> AsyncIterator[RunningServer]:
    running = RunningServer(procurement.settings)
    await running.start()
    yield running
    await running.stop()


async def receive(ws: ClientConnection, kind: str, timeout: float = 5.0) -> dict[str, Any]:
    """The next message of type ``kind`` (skipping others, e.g. state snapshots)."""
    async with asyncio.timeout(timeout):
        while True:
            message: dict[str, Any] = json.loads(await ws.recv())
            if message["type"] == kind:
                return message


async def receive_state(ws: ClientConnection, predicate: Any, timeout: float = 5.0) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            message: dict[str, Any] = json.loads(await ws.recv())
            if message["type"] in ("state", "observer_state") and predicate(message):
                return message
