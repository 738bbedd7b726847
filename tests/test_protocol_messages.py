"""The client messages of docs/protocol.md ("Bidder → server") as the server parses them: the documented frames
become messages, and a frame that breaks the documented form is refused with a reason."""

from __future__ import annotations

import json

import pytest

from web.protocol import AcceptMessage, BadMessage, BidMessage, PassMessage, PingMessage, parse_client_message


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ({"type": "ping"}, PingMessage()),
        (
            {"type": "bid", "bid_id": "b-5f0c", "prices": {"L1-01": "2.04", "L1-02": "3.10"}},
            BidMessage("b-5f0c", {"L1-01": "2.04", "L1-02": "3.10"}, confirmed=False),
        ),
        (
            {"type": "bid", "bid_id": "b-5f0c", "prices": {"L1-01": "2,04"}, "confirmed": True},
            BidMessage("b-5f0c", {"L1-01": "2,04"}, confirmed=True),
        ),
        (
            {"type": "bid", "bid_id": "b-1", "prices": {"L1-01": "2.04"}, "confirmed": False},
            BidMessage("b-1", {"L1-01": "2.04"}),
        ),
        ({"type": "accept", "bid_id": "a-81c2", "level": 0}, AcceptMessage("a-81c2", 0)),
        ({"type": "accept", "bid_id": "a-81c2", "level": 12}, AcceptMessage("a-81c2", 12)),
        ({"type": "pass"}, PassMessage()),
    ],
)
def test_the_documented_frames_parse(frame: dict[str, object], expected: object) -> None:
    assert parse_client_message(json.dumps(frame)) == expected


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ({"type": "bid", "bid_id": "b-1", "prices": {"L1-01": "2.04"}, "confirmed": "yes"}, "confirmed"),
        ({"type": "bid", "bid_id": "b-1", "prices": {"L1-01": "2.04"}, "confirm": True}, "unknown field"),
        ({"type": "accept", "bid_id": "a-1"}, "level"),
        ({"type": "accept", "bid_id": "a-1", "level": "1"}, "level"),
        ({"type": "accept", "bid_id": "a-1", "level": 1.0}, "level"),
        ({"type": "accept", "bid_id": "a-1", "level": True}, "level"),
        ({"type": "accept", "bid_id": "a-1", "level": -1}, "level"),
        ({"type": "accept", "level": 1}, "bid_id"),
        ({"type": "accept", "bid_id": "a-1", "level": 1, "prices": {}}, "unknown field"),
        ({"type": "pass", "bid_id": "p-1"}, "unknown field"),
        ({"type": "withdraw"}, "unknown message type"),
    ],
)
def test_a_frame_off_the_documented_form_is_refused_with_its_reason(frame: dict[str, object], reason: str) -> None:
    with pytest.raises(BadMessage, match=reason):
        parse_client_message(json.dumps(frame))
