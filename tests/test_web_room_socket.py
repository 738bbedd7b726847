"""web/room_socket.py: the door (origin, flooding cool-down) alone, then the whole WebSocket over a real server
on a clock the test moves: refusals with their codes, what an observer may send, the flooding cut-off and the
end of its cool-down, the duplicate-connection warning."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from auction.clock import system_clock
from auction.storage.access import Access, hash_secret
from tests.conftest import Procurement, RunningServer, receive, receive_state
from tests.test_web_app import ClockedServer, ManualClock
from web.connections import FLOOD_COOLDOWN_MS, ConnectionRegistry
from web.room_socket import refusal_at_the_door

ALLOWED = frozenset({"https://veiling.example", "http://127.0.0.1:8000"})


def test_the_door_refuses_a_foreign_origin_and_lets_in_ours_and_none() -> None:
    registry = ConnectionRegistry(lambda: 0)
    assert refusal_at_the_door("http://evil.example", "", ALLOWED, registry) == (4403, "origin not allowed")
    assert refusal_at_the_door("https://veiling.example/", "", ALLOWED, registry) is None  # a trailing slash
    assert refusal_at_the_door("http://127.0.0.1:8000", "", ALLOWED, registry) is None
    assert refusal_at_the_door(None, "", ALLOWED, registry) is None  # programs send no Origin; browsers always do


def test_the_door_refuses_a_flooders_session_until_its_cool_down_ends() -> None:
    clock = ManualClock(1_000_000)
    registry = ConnectionRegistry(clock)
    connection, _ = registry.open(Access("A1", "bidder", "S1", hash_secret("flooder")), "c")
    registry.flooding(connection)
    refused = (1008, "flooding: wait before reconnecting")
    assert refusal_at_the_door(None, "flooder", ALLOWED, registry) == refused
    assert refusal_at_the_door(None, "someone-else", ALLOWED, registry) is None
    # The origin is checked first: a foreign page learns nothing about the session.
    assert refusal_at_the_door("http://evil.example", "flooder", ALLOWED, registry) == (4403, "origin not allowed")
    clock.advance(FLOOD_COOLDOWN_MS - 1)
    assert refusal_at_the_door(None, "flooder", ALLOWED, registry) == refused
    clock.advance(1)
    assert refusal_at_the_door(None, "flooder", ALLOWED, registry) is None


@pytest.fixture
async def clocked(procurement: Procurement) -> AsyncIterator[ClockedServer]:
    running = ClockedServer(procurement.settings, ManualClock(system_clock()))
    await running.start()
    yield running
    await running.stop()


async def refused(url: str, **kwargs: Any) -> tuple[list[dict[str, Any]], int, str]:
    """Every frame a refused socket gets, then its close code and reason."""
    frames = []
    async with connect(url, **kwargs) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                frames.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
    assert closed.value.rcvd is not None
    return frames, closed.value.rcvd.code, closed.value.rcvd.reason


async def test_a_foreign_origin_is_refused_at_the_handshake_and_uses_nothing(
    procurement: Procurement, server: RunningServer
) -> None:
    _, invitations = await procurement.auction()
    url = server.bidder_url(invitations[0])
    # Closed before accept: uvicorn answers the handshake with HTTP 403 (the 4403 never reaches the client).
    with pytest.raises(InvalidStatus) as refusal:
        await connect(url, origin="http://evil.example")  # type: ignore[arg-type]
    assert refusal.value.response.status_code == 403
    async with connect(url, origin=server.settings.base_url + "/") as ws:  # type: ignore[arg-type]
        assert json.loads(await ws.recv())["type"] == "session"  # the invitation was still unused


async def test_refusals_after_authorising_say_why_and_close_with_their_code(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    frames, code, reason = await refused(f"{server.ws_base}/ws/bidder/{auction_id}")
    assert frames == [
        {"type": "error", "code": "invalid_invitation", "message": "no invitation or session in the address"}
    ]
    assert (code, reason) == (4401, "invalid_invitation")
    token = invitations[0].url.split("#token=")[1]
    frames, code, reason = await refused(f"{server.ws_base}/ws/bidder/no-such-auction?token={token}")
    assert [f["code"] for f in frames] == ["unknown_auction"] and (code, reason) == (4404, "unknown_auction")
    other_id, _ = await procurement.auction(lot="L2")
    frames, code, reason = await refused(f"{server.ws_base}/ws/bidder/{other_id}?token={token}")
    assert [f["code"] for f in frames] == ["invitation_other_auction"] and code == 4403


async def test_an_observer_may_ping_on_the_servers_clock_but_not_bid(
    procurement: Procurement, clocked: ClockedServer
) -> None:
    _, invitations = await procurement.auction()
    observer = next(i for i in invitations if i.role == "observer")
    async with connect(clocked.observer_url(observer), compression=None) as ws:
        await receive(ws, "welcome")
        clocked.clock.advance(5_000)
        await ws.send('{"type": "ping"}')
        assert await receive(ws, "pong") == {"type": "pong", "server_time": clocked.clock.now}
        await ws.send(json.dumps({"type": "bid", "bid_id": "b1", "prices": {"L1-01": "2.00"}}))
        error = await receive(ws, "error")
        assert error == {"type": "error", "code": "bad_message", "message": "observers cannot bid"}
        await ws.send(b"\x00binary")
        error = await receive(ws, "error")
        assert error == {"type": "error", "code": "bad_message", "message": "send JSON text frames, not binary"}


async def flood(ws: ClientConnection) -> tuple[list[str], int, str]:
    """Pings far faster than the rate limit until the server cuts the line; the error codes and close seen."""
    codes: list[str] = []

    async def read() -> ConnectionClosed:
        try:
            while True:
                message = json.loads(await ws.recv())
                if message["type"] == "error":
                    codes.append(message["code"])
        except ConnectionClosed as closed:
            return closed

    reader = asyncio.create_task(read())
    try:
        while not reader.done():
            await ws.send('{"type":"ping"}')
    except ConnectionClosed:
        pass
    async with asyncio.timeout(10):
        closed = await reader
    assert closed.rcvd is not None
    return codes, closed.rcvd.code, closed.rcvd.reason


async def test_a_flooder_is_cut_off_and_may_come_back_when_its_cool_down_is_over(
    procurement: Procurement, clocked: ClockedServer
) -> None:
    _, invitations = await procurement.auction()
    url = await clocked.session_url(procurement.engine, invitations[0])
    async with connect(url, compression=None) as ws:
        await receive(ws, "welcome")
        codes, code, reason = await flood(ws)
    assert "rate_limited" in codes and codes[-1] == "flooding"
    assert (code, reason) == (1008, "too many messages")
    # Refused at the door (before accept: HTTP 403) for as long as the server's clock says.
    with pytest.raises(InvalidStatus) as refusal:
        await connect(url)
    assert refusal.value.response.status_code == 403
    clocked.clock.advance(FLOOD_COOLDOWN_MS)
    async with connect(url, compression=None) as ws:
        await receive_state(ws, lambda m: m["phase"] == "open")


async def test_a_bidder_connected_twice_is_logged(
    procurement: Procurement, server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    auction_id, invitations = await procurement.auction()
    url = await server.session_url(procurement.engine, invitations[0])
    with caplog.at_level(logging.WARNING, logger="web.app"):
        async with connect(url) as one, connect(url) as two:
            await receive(one, "welcome")
            await receive(two, "welcome")
    warning = f"auction {auction_id}: supplier {invitations[0].holder} connected 2 times at once"
    assert [r.getMessage() for r in caplog.records if r.name == "web.app"] == [warning]
