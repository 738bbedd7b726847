"""web/pump.py alone: a one-route app served by uvicorn whose WebSocket runs ``pump`` over an outbox the test
filled, and a real WebSocket client. Proves the order of frames, each close reason and code, the cut-off of a
client that stopped reading, and that the TransportAbort middleware gives the pump its abort."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from auction.live.outbox import Outbox
from auction.storage.access import Access
from tests.conftest import free_port
from web.connections import Connection
from web.pump import ABORT_KEY, TransportAbort, encode_frame, pump

Setup = Callable[[Outbox, Connection], None]


@dataclass
class Stage:
    """What the one route does (``setup`` fills the outbox and marks the connection) and what it saw."""

    setup: Setup = lambda outbox, connection: None
    stalled_s: float = 30.0
    connection: Connection | None = None
    scope_had_abort: bool | None = None
    pumped: asyncio.Event = field(default_factory=asyncio.Event)

    async def endpoint(self, websocket: WebSocket) -> None:
        self.scope_had_abort = ABORT_KEY in websocket.scope
        await websocket.accept()
        outbox = Outbox()
        self.connection = Connection(1, Access("A1", "bidder", "S1", "hash"), "client", 0)
        self.connection.close = outbox.close
        self.setup(outbox, self.connection)
        await pump(websocket, outbox, self.connection, self.stalled_s)
        self.pumped.set()


@pytest.fixture
async def stage() -> AsyncIterator[tuple[Stage, str]]:
    played = Stage()
    app = Starlette(routes=[WebSocketRoute("/ws", played.endpoint)], middleware=[Middleware(TransportAbort)])
    port = free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        ws="websockets-sansio",
        ws_per_message_deflate=False,  # as web.server: what is sent is what travels
        log_level="warning",
        timeout_graceful_shutdown=5,  # a failed test may leave a pump waiting: do not wait for it for ever
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
    yield played, f"ws://127.0.0.1:{port}/ws"
    server.should_exit = True
    await task


async def frames_until_closed(ws: ClientConnection) -> tuple[list[dict[str, Any]], ConnectionClosed]:
    frames = []
    try:
        async with asyncio.timeout(10):
            while True:
                frames.append(json.loads(await ws.recv()))
    except ConnectionClosed as closed:
        return frames, closed
    raise AssertionError("unreachable")


def message(n: int) -> dict[str, Any]:
    return {"type": "pong", "server_time": n}


async def test_frames_go_out_in_order_then_an_idle_close(stage: tuple[Stage, str]) -> None:
    played, url = stage

    def setup(outbox: Outbox, connection: Connection) -> None:
        for n in range(5):
            outbox.push(message(n))
        connection.idle = True
        outbox.close()

    played.setup = setup
    async with connect(url, compression=None) as ws:
        frames, closed = await frames_until_closed(ws)
    assert frames == [message(n) for n in range(5)]
    assert closed.rcvd is not None and (closed.rcvd.code, closed.rcvd.reason) == (1000, "idle")


async def test_an_overflowed_outbox_is_not_drained_and_closes_with_not_reading(stage: tuple[Stage, str]) -> None:
    played, url = stage

    def setup(outbox: Outbox, connection: Connection) -> None:
        for n in range(Outbox.LIMIT + 1):
            outbox.push(message(n))

    played.setup = setup
    async with connect(url, compression=None) as ws:
        frames, closed = await frames_until_closed(ws)
    assert frames == []
    assert closed.rcvd is not None and (closed.rcvd.code, closed.rcvd.reason) == (1008, "not reading")


async def test_a_barred_connection_gets_what_waited_then_the_reason_and_4401(stage: tuple[Stage, str]) -> None:
    played, url = stage

    def setup(outbox: Outbox, connection: Connection) -> None:
        outbox.push(message(1))
        connection.barred = True
        outbox.close()

    played.setup = setup
    async with connect(url, compression=None) as ws:
        frames, closed = await frames_until_closed(ws)
    revoked = {
        "type": "error",
        "code": "session_revoked",
        "message": "your access to this auction was revoked or has expired",
    }
    assert frames == [message(1), revoked]
    assert closed.rcvd is not None and (closed.rcvd.code, closed.rcvd.reason) == (4401, "session_revoked")


async def test_a_flooder_is_closed_with_too_many_messages(stage: tuple[Stage, str]) -> None:
    played, url = stage

    def setup(outbox: Outbox, connection: Connection) -> None:
        connection.flooded = True
        outbox.close()

    played.setup = setup
    async with connect(url, compression=None) as ws:
        frames, closed = await frames_until_closed(ws)
    assert frames == []
    assert closed.rcvd is not None and (closed.rcvd.code, closed.rcvd.reason) == (1008, "too many messages")


async def test_the_middleware_gives_websockets_the_abort(stage: tuple[Stage, str]) -> None:
    played, url = stage
    played.setup = lambda outbox, connection: outbox.close()
    async with connect(url, compression=None) as ws:
        await played.pumped.wait()
        await ws.close()
    assert played.scope_had_abort is True


async def test_a_client_that_stopped_reading_is_cut_off(
    stage: tuple[Stage, str], caplog: pytest.LogCaptureFixture
) -> None:
    """Far more than every buffer between the two ends holds is waiting; the client reads nothing, so a send
    stalls and the pump drops the connection (no close frame) instead of waiting for it."""
    played, url = stage
    big = "x" * 256 * 1024

    def setup(outbox: Outbox, connection: Connection) -> None:
        for n in range(200):  # 50 MB
            outbox.push({"type": "pong", "server_time": n, "padding": big})

    played.setup = setup
    played.stalled_s = 0.5
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # small and fixed: no autotuning
    sock.connect(("127.0.0.1", int(url.split(":")[2].split("/")[0])))
    with caplog.at_level(logging.WARNING, logger="web.app"):
        async with connect(url, sock=sock, compression=None, max_size=2**20, max_queue=1) as ws:
            async with asyncio.timeout(60):
                await played.pumped.wait()
            assert played.connection is not None and played.connection.close is None
            with pytest.raises(ConnectionClosed) as closed:
                async with asyncio.timeout(60):
                    while True:
                        await ws.recv()
    assert closed.value.rcvd is None  # dropped, not closed politely
    assert "connection 1 stopped reading: cut off" in caplog.text


def test_a_message_utf8_cannot_carry_is_sent_as_ascii_json() -> None:
    assert encode_frame({"type": "error", "message": "prijs €"}) == '{"type": "error", "message": "prijs €"}'
    odd = encode_frame({"type": "error", "message": "half a pair \ud800"})
    assert odd == '{"type": "error", "message": "half a pair \\ud800"}'
    assert json.loads(odd)["message"] == "half a pair \ud800"
