"""web/control_api.py over real HTTP: the organiser key, the control body, unknown auctions, live sessions, health.

A refused call records nothing: the auction's journal is read before and after.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

from websockets.asyncio.client import connect

from auction.clock import system_clock
from auction.storage.sql_journal import journal_for
from tests.conftest import Procurement, RunningServer, receive
from tests.test_web_app import ClockedServer, ManualClock


async def call(
    url: str, body: bytes | None = None, key: str | None = None, method: str | None = None
) -> tuple[int, dict[str, Any]]:
    """One HTTP request with urllib (in a thread: the server runs in this event loop); status and JSON body."""
    headers = {"Content-Type": "application/json"}
    if key is not None:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)

    def send() -> tuple[int, dict[str, Any]]:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read())

    return await asyncio.to_thread(send)


def command(kind: str, reason: str = "", **args: object) -> bytes:
    return json.dumps({"command": kind, "reason": reason, "args": args}).encode()


async def journal_types(procurement: Procurement, auction_id: str) -> list[str]:
    return [e.type for e in await journal_for(procurement.engine).read(auction_id)]


UNAUTHORISED = {"ok": False, "code": "unauthorised", "message": "wrong organiser key"}


async def test_a_wrong_or_missing_key_is_refused_and_records_nothing(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, _ = await procurement.auction()
    url = f"{server.settings.base_url}/api/control/{auction_id}"
    before = await journal_types(procurement, auction_id)
    assert await call(url, command("pause", "by someone else"), key="not-the-key") == (401, UNAUTHORISED)
    assert await call(url, command("pause", "no key at all")) == (401, UNAUTHORISED)
    # The key is checked first: without it even a malformed body says nothing more.
    assert await call(url, b"{not json", key="not-the-key") == (401, UNAUTHORISED)
    assert await journal_types(procurement, auction_id) == before


async def test_a_malformed_body_is_refused_and_records_nothing(procurement: Procurement, server: RunningServer) -> None:
    auction_id, _ = await procurement.auction()
    url = f"{server.settings.base_url}/api/control/{auction_id}"
    before = await journal_types(procurement, auction_id)
    shape = {"ok": False, "code": "bad_request", "message": "expected {command, reason, args}"}
    for body in (
        b"[1, 2]",
        json.dumps({"reason": "no command"}).encode(),
        json.dumps({"command": "pause", "args": 5}).encode(),
    ):
        assert await call(url, body, key=procurement.key) == (400, shape)
    # Text that is not JSON is a ValueError too: the answer says where the JSON went wrong.
    status, answer = await call(url, b"{not json", key=procurement.key)
    assert status == 400 and answer["code"] == "bad_request" and "line 1 column 2" in answer["message"]
    status, answer = await call(url, command("explode", "no such command"), key=procurement.key)
    assert status == 400 and answer["code"] == "bad_request" and "unknown command 'explode'" in answer["message"]
    status, answer = await call(url, command("extend", "typo", minutes=5), key=procurement.key)
    assert status == 400 and answer["message"] == "extend takes no argument minutes"
    assert await journal_types(procurement, auction_id) == before


async def test_an_unknown_auction_is_404_after_the_body_is_checked(
    procurement: Procurement, server: RunningServer
) -> None:
    url = f"{server.settings.base_url}/api/control/no-such-auction"
    assert await call(url, command("pause", "why not"), key=procurement.key) == (
        404,
        {"ok": False, "code": "unknown_auction", "message": "no such auction"},
    )
    status, answer = await call(url, b"{not json", key=procurement.key)
    assert status == 400 and answer["code"] == "bad_request"


async def test_an_accepted_control_is_200_with_its_entries_and_a_refused_one_409(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, _ = await procurement.auction()
    url = f"{server.settings.base_url}/api/control/{auction_id}"
    status, refused = await call(url, command("pause"), key=procurement.key)
    assert status == 409 and refused["ok"] is False and refused["code"] == "reason_required"
    assert "AuctionPaused" not in await journal_types(procurement, auction_id)
    status, accepted = await call(url, command("pause", "supplier phoned"), key=procurement.key)
    assert status == 200 and accepted["ok"] is True
    entries = {e.seq: e for e in await journal_for(procurement.engine).read(auction_id)}
    assert [(entries[e["seq"]].type, entries[e["seq"]].hash) for e in accepted["entries"]] == [
        (e["type"], e["hash"]) for e in accepted["entries"]
    ]
    assert "AuctionPaused" in [e["type"] for e in accepted["entries"]]


async def test_live_sessions_need_the_key_and_show_only_their_auction(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    other_id, _ = await procurement.auction(lot="L2")
    base = server.settings.base_url
    assert await call(f"{base}/api/sessions/{auction_id}", key="not-the-key") == (401, UNAUTHORISED)
    async with connect(await server.session_url(procurement.engine, invitations[0])) as ws:
        await receive(ws, "welcome")
        status, mine = await call(f"{base}/api/sessions/{auction_id}", key=procurement.key)
        status_other, other = await call(f"{base}/api/sessions/{other_id}", key=procurement.key)
    assert status == 200 and mine["ok"] is True and mine["duplicates"] == []
    [row] = mine["connections"]
    assert row["role"] == "bidder" and row["supplier_id"] == invitations[0].holder and row["rate_limited"] == 0
    assert status_other == 200 and other == {"ok": True, "connections": [], "duplicates": []}


async def test_health_counts_the_running_auctions_on_the_servers_clock(procurement: Procurement) -> None:
    await procurement.auction()
    await procurement.auction(lot="L2")
    clock = ManualClock(system_clock())
    running = ClockedServer(procurement.settings, clock)
    await running.start()
    try:
        clock.advance(12_345)
        status, answer = await call(f"{running.settings.base_url}/api/health")
    finally:
        await running.stop()
    assert status == 200 and answer == {"ok": True, "auctions": 2, "server_time": clock.now}
