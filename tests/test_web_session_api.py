"""web/session_api.py over real HTTP: POST /api/session exchanges an invitation for a session, once, and
refuses a malformed body, a bad role or an unknown token without using the invitation up."""

from __future__ import annotations

import json
from typing import Any

from websockets.asyncio.client import connect

from tests.conftest import Procurement, RunningServer, receive
from tests.test_web_control_api import call


def token_of(invitation: Any) -> str:
    return str(invitation.url.split("#token=")[1])


async def exchange(server: RunningServer, body: object) -> tuple[int, dict[str, Any]]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await call(f"{server.settings.base_url}/api/session", raw)


async def test_a_bad_role_is_refused_and_leaves_the_invitation_unused(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    body = {"auction_id": auction_id, "token": token_of(invitations[0])}
    assert await exchange(server, {**body, "role": "organiser"}) == (
        400,
        {"ok": False, "code": "bad_request", "message": "role is bidder or observer"},
    )
    status, answer = await exchange(server, body)  # the role defaults to bidder
    assert status == 200 and answer["role"] == "bidder" and answer["auction_id"] == auction_id


async def test_a_malformed_body_is_refused(procurement: Procurement, server: RunningServer) -> None:
    auction_id, invitations = await procurement.auction()
    shape = {"ok": False, "code": "bad_request", "message": "expected {auction_id, token, role}"}
    for body in (b"{not json", b"[]", {"auction_id": auction_id}, {"token": token_of(invitations[0])}):
        assert await exchange(server, body) == (400, shape)


async def test_an_unknown_token_or_auction_is_refused_with_its_reason(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    status, answer = await exchange(server, {"auction_id": auction_id, "token": "no-such-token", "role": "bidder"})
    assert status == 403 and answer["ok"] is False and answer["code"] == "invalid_invitation"
    status, answer = await exchange(server, {"auction_id": "nope", "token": token_of(invitations[0])})
    assert status == 403 and answer["code"] == "unknown_auction"
    # A bidder's link asked for as an observer's is not valid either.
    status, answer = await exchange(
        server, {"auction_id": auction_id, "token": token_of(invitations[0]), "role": "observer"}
    )
    assert status == 403 and answer["code"] == "invalid_invitation"


async def test_the_session_it_gives_opens_the_observer_page(procurement: Procurement, server: RunningServer) -> None:
    auction_id, invitations = await procurement.auction()
    observer = next(i for i in invitations if i.role == "observer")
    status, answer = await exchange(server, {"auction_id": auction_id, "token": token_of(observer), "role": "observer"})
    assert status == 200 and answer["ok"] is True and answer["role"] == "observer"
    async with connect(f"{server.ws_base}/ws/observer/{auction_id}?session={answer['session']}") as ws:
        welcome = await receive(ws, "welcome")
    assert welcome["auction"]["lot_id"] == "L1"
