"""Access over real WebSockets: one-time invitations, sessions, expiry, revocation, origin, duplicates, floods."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from auction.steps.invitations import invite
from auction.storage.access import revoke
from tests.conftest import Procurement, RunningServer, receive, receive_state


async def refused(url: str, **kwargs: object) -> tuple[dict[str, object], int]:
    async with connect(url, **kwargs) as ws:  # type: ignore[arg-type]
        error = json.loads(await ws.recv())
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None
    return error, closed.value.rcvd.code


async def test_an_invitation_opens_one_session_and_the_session_reconnects(
    procurement: Procurement, server: RunningServer
) -> None:
    _, invitations = await procurement.auction()
    token_url = server.bidder_url(invitations[0])
    async with connect(token_url) as ws:
        session = json.loads(await ws.recv())
        assert session["type"] == "session" and len(session["session"]) > 30
        await receive(ws, "welcome")
    error, code = await refused(token_url)
    assert error["code"] == "invitation_used" and code == 4401
    session_url = token_url.split("?")[0] + "?session=" + session["session"]
    for _ in range(2):
        async with connect(session_url) as ws:
            assert (await receive(ws, "welcome"))["auction"]["lot_id"] == "L1"


async def test_the_session_endpoint_exchanges_once(procurement: Procurement, server: RunningServer) -> None:
    auction_id, invitations = await procurement.auction()
    token = invitations[0].url.split("#token=")[1]

    def post() -> tuple[int, dict[str, object]]:
        body = json.dumps({"auction_id": auction_id, "token": token, "role": "bidder"}).encode()
        request = urllib.request.Request(
            f"{server.settings.base_url}/api/session", data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    status, first = await asyncio.to_thread(post)
    assert status == 200 and first["ok"]
    # The answer may have been lost: until its session connects, the link may open a new one (the first retires).
    status, again = await asyncio.to_thread(post)
    assert status == 200 and again["session"] != first["session"]
    error, code = await refused(f"{server.ws_base}/ws/bidder/{auction_id}?session={first['session']}")
    assert error["code"] == "session_revoked" and code == 4401
    async with connect(f"{server.ws_base}/ws/bidder/{auction_id}?session={again['session']}") as ws:
        await receive(ws, "welcome")
    status, third = await asyncio.to_thread(post)
    assert status == 403 and third["code"] == "invitation_used"


async def test_a_session_is_for_its_own_auction_only(procurement: Procurement, server: RunningServer) -> None:
    _, practice = await procurement.auction(kind="practice")
    live_id, _ = await procurement.auction(kind="live")
    url = await server.session_url(procurement.engine, practice[0])
    error, code = await refused(f"{server.ws_base}/ws/bidder/{live_id}?session={url.split('session=')[1]}")
    assert error["code"] == "session_other_auction" and code == 4403


async def test_an_expired_invitation_is_refused(procurement: Procurement, server: RunningServer) -> None:
    auction_id, _ = await procurement.auction()
    fresh = await invite(procurement.engine, auction_id, procurement.settings.base_url, valid_for_s=0)
    error, code = await refused(server.bidder_url(fresh[0]))
    assert error["code"] == "invitation_expired" and code == 4401


async def test_revocation_closes_an_open_connection_within_seconds(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    url = await server.session_url(procurement.engine, invitations[0])
    async with connect(url) as ws:
        await receive_state(ws, lambda m: m["phase"] == "open")
        await revoke(procurement.engine, auction_id, invitations[0].holder)
        error = await receive(ws, "error", timeout=5)
        assert error["code"] == "session_revoked"
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    error, _ = await refused(url)
    assert error["code"] == "session_revoked"


async def test_a_foreign_origin_is_refused_before_accept(procurement: Procurement, server: RunningServer) -> None:
    _, invitations = await procurement.auction()
    with pytest.raises(Exception) as refused_handshake:
        async with connect(server.bidder_url(invitations[0]), origin="http://evil.example"):  # type: ignore[arg-type]
            pass
    assert "403" in str(refused_handshake.value)
    async with connect(server.bidder_url(invitations[0]), origin=server.settings.base_url) as ws:  # type: ignore[arg-type]
        assert json.loads(await ws.recv())["type"] == "session"


async def test_a_second_simultaneous_connection_of_one_bidder_is_reported(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    url = await server.session_url(procurement.engine, invitations[0])
    async with connect(url) as one, connect(url) as two:
        await receive(one, "welcome")
        await receive(two, "welcome")

        def sessions() -> dict[str, object]:
            request = urllib.request.Request(
                f"{server.settings.base_url}/api/sessions/{auction_id}",
                headers={"Authorization": f"Bearer {procurement.key}"},
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                return dict(json.loads(response.read()))

        answer = await asyncio.to_thread(sessions)
    duplicates = answer["duplicates"]
    assert isinstance(duplicates, list) and duplicates[0]["supplier_id"] == invitations[0].holder
    assert duplicates[0]["same_session"] is True


async def test_a_flooding_client_is_limited_then_dropped(procurement: Procurement, server: RunningServer) -> None:
    _, invitations = await procurement.auction()
    async with connect(server.bidder_url(invitations[0])) as ws:
        for _ in range(400):
            await ws.send('{"type":"ping"}')
        kinds: list[str] = []
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                message = json.loads(await asyncio.wait_for(ws.recv(), 5))
                kinds.append(message["type"] if message["type"] != "error" else message["code"])
    assert "rate_limited" in kinds
    assert kinds.count("pong") <= 60  # the burst and a little refill, not 400
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008


async def test_an_idle_client_is_closed_and_may_come_back(procurement: Procurement) -> None:
    import dataclasses

    settings = dataclasses.replace(procurement.settings, idle_client_s=0.5)
    running = RunningServer(settings)
    await running.start()
    try:
        _, invitations = await procurement.auction()
        url = await running.session_url(procurement.engine, invitations[0])
        async with connect(url) as ws:
            error = await receive(ws, "error", timeout=5)
            assert error["code"] == "idle"
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000
        async with connect(url) as again:  # nothing final: the same session works again
            await receive(again, "welcome")
    finally:
        await running.stop()
