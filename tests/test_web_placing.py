"""web/placing.py: which command each bidder message becomes, which frame answers each outcome, and, over a real
server, that every answer says whether the auction is the practice one."""

from __future__ import annotations

import json

from websockets.asyncio.client import connect

from auction.journal.port import JournalEntry
from auction.live.runner import Outcome
from auction.rules.messages import AcceptLevel, PassTurn, PlaceBid, Rejection
from tests.conftest import Procurement, RunningServer, receive, receive_state
from web.placing import answer_for, command_for
from web.protocol import AcceptMessage, BidMessage, PassMessage

PRICES = {"L1-01": "2.00", "L1-02": "2.40", "L1-03": "2.20"}


def entry(seq: int) -> JournalEntry:
    return JournalEntry("A1", seq, 0, "TurnPassed", {}, "prev", f"hash-{seq}")


def test_each_message_becomes_its_command() -> None:
    assert command_for("S1", BidMessage("b1", PRICES, confirmed=True)) == PlaceBid("S1", "b1", PRICES, confirmed=True)
    assert command_for("S1", AcceptMessage("a1", 3)) == AcceptLevel("S1", "a1", 3)
    assert command_for("S1", PassMessage()) == PassTurn("S1")


def test_a_rejection_is_bid_rejected_with_its_reason() -> None:
    outcome = Outcome(rejection=Rejection("paused", "the auction is paused", {"phase": "paused"}))
    assert answer_for(BidMessage("b1", PRICES), outcome, practice=True) == {
        "type": "bid_rejected",
        "bid_id": "b1",
        "code": "paused",
        "message": "the auction is paused",
        "details": {"phase": "paused"},
        "practice": True,
    }
    assert answer_for(PassMessage(), outcome, practice=False)["bid_id"] is None  # type: ignore[index]


def test_a_receipt_is_sent_as_it_is_with_the_practice_flag() -> None:
    receipt = {"type": "bid_accepted", "bid_id": "a1", "seq": 7, "entry_hash": "h"}
    assert answer_for(AcceptMessage("a1", 2), Outcome(receipt=receipt), practice=False) == {
        **receipt,
        "practice": False,
    }


def test_a_pass_is_answered_with_the_sequence_of_its_last_entry() -> None:
    answer = answer_for(PassMessage(), Outcome(entries=[entry(4), entry(5)]), practice=False)
    assert answer == {"type": "pass_accepted", "seq": 5, "practice": False}
    assert answer_for(PassMessage(), Outcome(), practice=True) == {
        "type": "pass_accepted",
        "seq": None,
        "practice": True,
    }
    # A bid always has a receipt or a rejection; without either there is nothing to say.
    assert answer_for(BidMessage("b1", PRICES), Outcome(entries=[entry(1)]), practice=False) is None


async def test_every_answer_says_whether_it_is_the_practice_auction(
    procurement: Procurement, server: RunningServer
) -> None:
    for kind in ("practice", "live"):
        _, invitations = await procurement.auction(kind=kind)
        async with connect(server.bidder_url(invitations[0]), compression=None) as ws:
            await receive_state(ws, lambda m: m["phase"] == "open")
            await ws.send(json.dumps({"type": "bid", "bid_id": "b1", "prices": PRICES}))
            accepted = await receive(ws, "bid_accepted")
            await ws.send(json.dumps({"type": "bid", "bid_id": "b2", "prices": PRICES}))
            rejected = await receive(ws, "bid_rejected")
        assert accepted["bid_id"] == "b1" and accepted["practice"] is (kind == "practice")
        assert rejected["bid_id"] == "b2" and rejected["practice"] is (kind == "practice")
