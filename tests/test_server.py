"""The real server over real WebSocket connections on 127.0.0.1, with a real SQLite file."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from auction.steps.control import apply_control
from auction.steps.invitations import invite
from auction.storage.sql_journal import journal_for
from tests.conftest import Procurement, RunningServer, receive, receive_state

L1_PRICES = {"L1-01": "2.00", "L1-02": "2.40", "L1-03": "2.20"}


def bid(bid_id: str, prices: dict[str, str] | None = None) -> str:
    return json.dumps({"type": "bid", "bid_id": bid_id, "prices": prices or L1_PRICES})


async def open_bidder(server: RunningServer, invitation: Any) -> ClientConnection:
    ws = await connect(server.bidder_url(invitation), compression=None)
    await receive(ws, "welcome")
    await receive_state(ws, lambda m: m["phase"] == "open")
    return ws


async def test_a_bid_is_acknowledged_after_it_is_in_the_journal(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    seat = invitations[0]
    async with connect(server.bidder_url(seat), compression=None) as ws:
        welcome = await receive(ws, "welcome")
        assert welcome["auction"]["lot_id"] == "L1" and len(welcome["auction"]["lines"]) == 3
        await receive_state(ws, lambda m: m["phase"] == "open")
        await ws.send(bid("first"))
        receipt = await receive(ws, "bid_accepted")
        state = await receive_state(ws, lambda m: m["you"]["last_bid"] is not None)
    entries = await journal_for(procurement.engine).read(auction_id)
    recorded = {e.seq: e for e in entries}[receipt["seq"]]
    assert recorded.type == "BidAccepted" and recorded.hash == receipt["entry_hash"]
    assert recorded.payload["bidder"] == seat.holder
    assert state["you"]["rank"] == 1 and state["you"]["last_bid"]["total"] == receipt["total"]


async def test_rank_updates_reach_every_bidder(procurement: Procurement, server: RunningServer) -> None:
    _, invitations = await procurement.auction()
    one, two = (await open_bidder(server, invitations[0]), await open_bidder(server, invitations[1]))
    try:
        await one.send(bid("one-1"))
        await receive(one, "bid_accepted")
        await two.send(bid("two-1", {"L1-01": "1.90", "L1-02": "2.40", "L1-03": "2.20"}))
        await receive(two, "bid_accepted")
        demoted = await receive_state(one, lambda m: m["you"]["rank"] == 2)
        assert demoted["bidder_count"] == len(procurement.admitted)
    finally:
        await one.close()
        await two.close()


async def test_rules_violations_are_rejected_with_their_reason(procurement: Procurement, server: RunningServer) -> None:
    _, invitations = await procurement.auction()
    ws = await open_bidder(server, invitations[0])
    try:
        await ws.send(bid("b1"))
        await receive(ws, "bid_accepted")
        await ws.send(bid("b2", {"L1-01": "1.99", "L1-02": "2.40", "L1-03": "2.20"}))
        rejected = await receive(ws, "bid_rejected")
        assert rejected["bid_id"] == "b2" and rejected["code"] == "decrement_too_small"
        assert rejected["details"]["previous_total"]
        await ws.send(bid("b3", {"L1-01": "9.99", "L1-02": "2.40", "L1-03": "2.20"}))
        assert (await receive(ws, "bid_rejected"))["code"] == "above_ceiling"
    finally:
        await ws.close()


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"type": "shout"}', "unknown message type"),
        ('{"type": "bid", "bid_id": "x"}', "prices"),
        ('{"type": "bid", "bid_id": "x", "prices": {"L1-01": 2.0}}', "must be a string"),
        ('{"type": "bid", "bid_id": "has space", "prices": {"L1-01": "2"}}', "bid_id"),
    ],
)
async def test_malformed_messages_get_a_clear_error_and_the_line_stays_open(
    procurement: Procurement, server: RunningServer, frame: str, expected: str
) -> None:
    _, invitations = await procurement.auction()
    ws = await open_bidder(server, invitations[0])
    try:
        await ws.send(frame)
        error = await receive(ws, "error")
        assert error["code"] == "bad_message" and expected in error["message"]
        await ws.send(json.dumps({"type": "ping"}))
        assert (await receive(ws, "pong"))["server_time"] > 0
    finally:
        await ws.close()


async def test_an_invitation_for_another_auction_is_refused(procurement: Procurement, server: RunningServer) -> None:
    practice_id, practice = await procurement.auction(kind="practice")
    live_id, _ = await procurement.auction(kind="live")
    token = practice[0].url.split("#token=")[1]
    async with connect(f"{server.ws_base}/ws/bidder/{live_id}?token={token}") as ws:
        error = json.loads(await ws.recv())
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert error == {"type": "error", "code": "invitation_other_auction", "message": error["message"]}
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_an_unknown_or_replaced_invitation_is_refused(procurement: Procurement, server: RunningServer) -> None:
    auction_id, first = await procurement.auction()
    await invite(
        procurement.engine, auction_id, procurement.settings.base_url
    )  # re-inviting replaces the earlier links
    for url in (server.bidder_url(first[0]), f"{server.ws_base}/ws/bidder/{auction_id}?token=guess"):
        async with connect(url) as ws:
            error = json.loads(await ws.recv())
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        assert error["code"] == "invalid_invitation"
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_a_retried_bid_gets_its_original_receipt_and_is_stored_once(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, invitations = await procurement.auction()
    ws = await open_bidder(server, invitations[0])
    try:
        await ws.send(bid("same"))
        first = await receive(ws, "bid_accepted")
        await ws.send(bid("same"))
        again = await receive(ws, "bid_accepted")
        await ws.send(bid("same", {"L1-01": "1.00", "L1-02": "1.00", "L1-03": "1.00"}))
        assert (await receive(ws, "bid_rejected"))["code"] == "duplicate_bid_id"
    finally:
        await ws.close()
    assert first == again
    entries = await journal_for(procurement.engine).read(auction_id)
    assert sum(e.type == "BidAccepted" for e in entries) == 1


async def test_a_reconnecting_bidder_gets_its_state_back(procurement: Procurement, server: RunningServer) -> None:
    _, invitations = await procurement.auction()
    url = await server.session_url(procurement.engine, invitations[0])
    ws = await connect(url)
    await receive_state(ws, lambda m: m["phase"] == "open")
    await ws.send(bid("before-drop"))
    receipt = await receive(ws, "bid_accepted")
    await ws.close()
    async with connect(url) as again:
        await receive(again, "welcome")
        state = await receive(again, "state")
    assert state["you"]["last_bid"]["bid_id"] == "before-drop"
    assert state["seq"] >= receipt["seq"] and state["you"]["rank"] == 1


async def test_no_bid_after_the_close(procurement: Procurement, server: RunningServer) -> None:
    _, invitations = await procurement.auction(duration_s=1)
    ws = await open_bidder(server, invitations[0])
    try:
        await receive_state(ws, lambda m: m["phase"] == "closed", timeout=5)
        await ws.send(bid("late"))
        assert (await receive(ws, "bid_rejected"))["code"] == "closed"
    finally:
        await ws.close()


async def test_organiser_controls_reach_the_running_auction(procurement: Procurement, server: RunningServer) -> None:
    auction_id, invitations = await procurement.auction()
    ws = await open_bidder(server, invitations[0])
    try:
        result = await apply_control(procurement.engine, auction_id, "pause", "", procurement.key)
        assert not result["ok"] and result["code"] == "reason_required"
        result = await apply_control(
            procurement.engine, auction_id, "pause", "supplier phoned: outage", procurement.key
        )
        assert result["ok"] and result["via"] == "server"
        await receive_state(ws, lambda m: m["phase"] == "paused")
        await ws.send(bid("while-paused"))
        assert (await receive(ws, "bid_rejected"))["code"] == "paused"
        result = await apply_control(procurement.engine, auction_id, "resume", "outage over", procurement.key)
        assert result["ok"]
        await receive_state(ws, lambda m: m["phase"] == "open")
        result = await apply_control(procurement.engine, auction_id, "pause", "x", "wrong-key")
        assert not result["ok"] and result["code"] == "unauthorised"
    finally:
        await ws.close()
    entries = await journal_for(procurement.engine).read(auction_id)
    assert [e.payload.get("reason") for e in entries if e.type in ("AuctionPaused", "AuctionResumed")] == [
        "supplier phoned: outage",
        "outage over",
    ]


async def test_the_server_resumes_running_auctions_after_a_restart(procurement: Procurement) -> None:
    from tests.conftest import RunningServer

    auction_id, invitations = await procurement.auction(duration_s=120)
    first = RunningServer(procurement.settings)
    await first.start()
    url = await first.session_url(procurement.engine, invitations[0])
    ws = await connect(url)
    await receive_state(ws, lambda m: m["phase"] == "open")
    await ws.send(bid("kept"))
    await receive(ws, "bid_accepted")
    await ws.close()
    await first.stop()
    second = RunningServer(procurement.settings)
    await second.start()
    try:
        async with connect(url) as again:
            await receive(again, "welcome")
            state = await receive(again, "state")
            assert state["phase"] == "open" and state["you"]["last_bid"]["bid_id"] == "kept"
            await again.send(bid("after-restart", {"L1-01": "1.80", "L1-02": "2.40", "L1-03": "2.20"}))
            assert (await receive(again, "bid_accepted"))["bid_id"] == "after-restart"
    finally:
        await second.stop()


async def test_no_frame_to_a_bidder_or_observer_names_a_supplier(
    procurement: Procurement, server: RunningServer
) -> None:
    """Identities never reach bidders (not even aliases) nor observers (aliases only)."""
    from auction.steps.qualification import supplier_names

    names = await supplier_names(procurement.engine, procurement.tender_id)
    auction_id, invitations = await procurement.auction(duration_s=3)
    bidders = [i for i in invitations if i.role == "bidder"]
    observer_invitation = next(i for i in invitations if i.role == "observer")
    frames: dict[str, list[str]] = {}

    async def collect(label: str, url: str, actions: list[str]) -> None:
        frames[label] = []
        async with connect(url) as ws:
            for action in actions:
                await ws.send(action)
            try:
                async with asyncio.timeout(8):
                    async for frame in ws:
                        frames[label].append(str(frame))
                        if json.loads(frame).get("phase") == "closed":
                            return
            except TimeoutError:
                pass

    await asyncio.gather(
        *[
            collect(
                b.holder,
                server.bidder_url(b),
                [bid(f"{b.holder}-1", {"L1-01": f"{1.5 + i / 10:.2f}", "L1-02": "2.40", "L1-03": "2.20"})],
            )
            for i, b in enumerate(bidders)
        ],
        collect("observer", server.observer_url(observer_invitation), []),
    )
    for label, received in frames.items():
        text = "\n".join(received)
        assert received, label
        for supplier_id, name in names.items():
            assert name not in text, f"{label} received the name {name}"
            own = label == supplier_id
            if not own:
                assert supplier_id not in text, f"{label} received the id {supplier_id}"
        if label != "observer":
            assert "Bieder " not in text, f"{label} received an alias"
    assert "Bieder " in "\n".join(frames["observer"])


async def test_invitation_secrets_stay_out_of_the_server_log(
    procurement: Procurement, server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    _, invitations = await procurement.auction()
    token = invitations[0].url.split("#token=")[1]
    with caplog.at_level("INFO"):
        ws = await open_bidder(server, invitations[0])
        await ws.close()
    assert "WebSocket" in caplog.text
    assert token not in caplog.text


async def test_an_outage_is_recorded_and_moves_the_close(procurement: Procurement) -> None:
    """Killed or stopped: on start the server records the downtime and, by the tender's rule, moves the close."""
    from auction.steps.auctions import load_runner

    auction_id, invitations = await procurement.auction(duration_s=120)
    first = RunningServer(procurement.settings)
    await first.start()
    url = await first.session_url(procurement.engine, invitations[0])
    async with connect(url) as ws:
        state = await receive_state(ws, lambda m: m["phase"] == "open")
    close_before = state["closes_at"]
    await asyncio.sleep(1.2)  # one heartbeat
    await first.stop()
    await asyncio.sleep(1.5)  # the outage
    second = RunningServer(procurement.settings)
    await second.start()
    try:
        async with connect(url) as again:
            state = await receive_state(again, lambda m: m["phase"] == "open")
    finally:
        await second.stop()
    entries = await journal_for(procurement.engine).read(auction_id)
    outages = [e.payload for e in entries if e.type == "DowntimeRecorded"]
    assert len(outages) == 1 and outages[0]["rule"] == "extend"
    gone = outages[0]["down_to"] - outages[0]["down_from"]
    assert gone >= 1500 and outages[0]["closes_at"] == close_before + gone
    assert state["closes_at"] == close_before + gone
    runner = await load_runner(procurement.engine, auction_id)
    assert runner.state.closes_at == close_before + gone
