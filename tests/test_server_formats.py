"""Every format through the real server: WebSocket bidders on 127.0.0.1, a real SQLite journal, real time (levels
and turns of one second), and an audit of the journal afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect

from auction.audit.verify import verify_auction
from auction.steps.invitations import Invitation
from tests.conftest import Procurement, RunningServer, prepare, receive, receive_state


@contextlib.asynccontextmanager
async def running(tmp_path: Path, rules: str) -> AsyncIterator[tuple[Procurement, RunningServer]]:
    """The example procurement with ``rules`` as its [auction] table, and the real server on loopback."""
    procurement = await prepare(tmp_path, rules)
    server = RunningServer(procurement.settings)
    await server.start()
    try:
        yield procurement, server
    finally:
        await server.stop()
        await procurement.engine.dispose()


@pytest.fixture
async def japanese(tmp_path: Path) -> AsyncIterator[tuple[Procurement, RunningServer]]:
    rules = """
format = "japanese"
min_decrement = { percent = "0.5" }
levels = { step_percent = "5", interval = "1s", floor_percent = "80" }
"""
    async with running(tmp_path, rules) as prepared:
        yield prepared


def _bidders(invitations: list[Invitation]) -> list[Invitation]:
    return [i for i in invitations if i.role == "bidder"]


async def _send(ws: ClientConnection, message: dict[str, Any]) -> None:
    await ws.send(json.dumps(message))


async def test_japanese_the_last_bidder_in_wins_and_the_journal_audits(
    japanese: tuple[Procurement, RunningServer],
) -> None:
    procurement, server = japanese
    auction_id, invitations = await procurement.auction(opens_in_s=0.5, duration_s=60)
    first, second = _bidders(invitations)[:2]
    async with connect(server.bidder_url(first)) as a, connect(server.bidder_url(second)) as b:
        welcome = await receive(a, "welcome")
        rules = welcome["auction"]["rules"]
        assert rules["format"] == "japanese" and rules["levels"][1]["percent"] == "95"
        level0 = await receive_state(a, lambda m: m["phase"] == "open" and m["level"] is not None)
        assert level0["level"]["number"] == 1 and level0["level"]["percent"] == "100"
        await _send(a, {"type": "accept", "bid_id": "a-x", "level": 5})  # not the level standing now
        assert (await receive(a, "bid_rejected"))["code"] == "level_changed"
        await _send(a, {"type": "accept", "bid_id": "a-0", "level": 0})
        await _send(b, {"type": "accept", "bid_id": "b-0", "level": 0})
        assert (await receive(a, "bid_accepted"))["bid_id"] == "a-0"
        assert (await receive(b, "bid_accepted"))["bid_id"] == "b-0"
        # Accepting the same level twice is refused with the reason.
        await _send(a, {"type": "accept", "bid_id": "a-0b", "level": 0})
        assert (await receive(a, "bid_rejected"))["code"] == "already_accepted"
        # Level 2: only the first bidder accepts; the second (and the two who never accepted) drop out.
        level1 = await receive_state(a, lambda m: (m.get("level") or {}).get("level") == 1, timeout=5)
        assert level1["level"]["percent"] == "95" and not level1["level"]["accepted"]
        await _send(a, {"type": "accept", "bid_id": "a-1", "level": 1})
        await receive(a, "bid_accepted")
        out = await receive_state(b, lambda m: m["phase"] == "closed", timeout=5)
        assert out["level"]["out"] is True and out["you"]["rank"] == 2
        won = await receive_state(a, lambda m: m["phase"] == "closed", timeout=5)
        assert won["you"]["rank"] == 1
        await _send(b, {"type": "accept", "bid_id": "b-late", "level": 1})
        assert (await receive(b, "bid_rejected"))["code"] == "closed"
    report = await verify_auction(procurement.engine, auction_id)
    assert report.ok, report.problems


async def test_dutch_the_first_acceptance_wins_at_once(tmp_path: Path) -> None:
    rules = """
format = "dutch"
min_decrement = { percent = "0.5" }
levels = { step_percent = "5", interval = "1s", floor_percent = "85" }
"""
    async with running(tmp_path, rules) as (procurement, server):
        auction_id, invitations = await procurement.auction(opens_in_s=0.3, duration_s=60)
        first, second = _bidders(invitations)[:2]
        async with connect(server.bidder_url(first)) as a, connect(server.bidder_url(second)) as b:
            await receive_state(a, lambda m: (m.get("level") or {}).get("level") == 1, timeout=5)
            await _send(a, {"type": "accept", "bid_id": "a-1", "level": 1})
            receipt = await receive(a, "bid_accepted")
            state = await receive_state(b, lambda m: m["phase"] == "closed")
            assert state["you"]["rank"] is None and state["level"]["percent"] == "90"
            await _send(b, {"type": "accept", "bid_id": "b-1", "level": 1})
            assert (await receive(b, "bid_rejected"))["code"] == "closed"
            assert receipt["total"] == (await receive_state(a, lambda m: True))["level"]["total"]
        report = await verify_auction(procurement.engine, auction_id)
        assert report.ok, report.problems


async def test_rounds_turns_go_worst_first_and_only_the_bidder_on_turn_may_act(tmp_path: Path) -> None:
    rules = """
format = "rounds"
min_decrement = { amount = "1000.00" }
rounds = { rounds = 1, turn = "2s", initial_offers = "1s" }
"""
    async with running(tmp_path, rules) as (procurement, server):
        auction_id, invitations = await procurement.auction(opens_in_s=0.3, duration_s=60)
        first, second = _bidders(invitations)[:2]
        async with connect(server.bidder_url(first)) as a, connect(server.bidder_url(second)) as b:
            welcome = await receive(a, "welcome")
            lines = [line["id"] for line in welcome["auction"]["lines"]]
            await receive_state(a, lambda m: m["phase"] == "open")
            # The sealed initial stage: both may bid; a is cheaper, so b (worse) gets the first turn.
            await _send(a, {"type": "bid", "bid_id": "a-0", "prices": {line: "1.90" for line in lines}})
            await _send(b, {"type": "bid", "bid_id": "b-0", "prices": {line: "2.00" for line in lines}})
            await receive(a, "bid_accepted")
            await receive(b, "bid_accepted")
            b_turn = await receive_state(b, lambda m: m["round"]["round"] == 1, timeout=5)
            # Bidders without an offer come first (two of the four admitted never bid), then b, then a.
            assert b_turn["round"]["your_position"] == 3
            a_view = await receive_state(a, lambda m: m["round"]["round"] == 1)
            assert a_view["round"]["your_position"] == 4 and a_view["round"]["your_turn"] is False
            await _send(a, {"type": "pass"})
            refused = await receive(a, "bid_rejected")
            assert refused["code"] == "not_your_turn"
            await receive_state(b, lambda m: m["round"]["your_turn"], timeout=8)
            await _send(b, {"type": "pass"})
            await receive(b, "pass_accepted")
            await receive_state(a, lambda m: m["round"]["your_turn"], timeout=5)
            await _send(a, {"type": "bid", "bid_id": "a-1", "prices": {line: "1.80" for line in lines}})
            await receive(a, "bid_accepted")
            closed = await receive_state(a, lambda m: m["phase"] == "closed", timeout=5)
            assert closed["you"]["rank"] == 1
        report = await verify_auction(procurement.engine, auction_id)
        assert report.ok, report.problems


async def test_a_far_below_bid_needs_confirmation_and_a_retry_returns_the_same_receipt(tmp_path: Path) -> None:
    rules = """
min_decrement = { percent = "0.5" }
far_below_percent = "30"
"""
    async with running(tmp_path, rules) as (procurement, server):
        auction_id, invitations = await procurement.auction(opens_in_s=0, duration_s=60)
        (first,) = _bidders(invitations)[:1]
        async with connect(server.bidder_url(first)) as a:
            welcome = await receive(a, "welcome")
            lines = [line["id"] for line in welcome["auction"]["lines"]]
            await receive_state(a, lambda m: m["phase"] == "open")
            bid = {"type": "bid", "bid_id": "typo-1", "prices": {line: "0.21" for line in lines}}
            await _send(a, bid)
            warned = await receive(a, "bid_rejected")
            assert warned["code"] == "confirm_far_below" and warned["details"]["percent"] == "30"
            await _send(a, {**bid, "confirmed": True})
            receipt = await receive(a, "bid_accepted")
            await _send(a, {**bid, "confirmed": True})
            assert await receive(a, "bid_accepted") == receipt
        await asyncio.sleep(0)
        report = await verify_auction(procurement.engine, auction_id)
        assert report.ok, report.problems
