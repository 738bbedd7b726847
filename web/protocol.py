"""Parsing what clients send (docs/protocol.md). One place turns a frame into a message or a clear error.

It also builds the ``error`` frame the server answers with, so every error a client gets has one shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from qualification.common.errors import USAGE, DieetveilingError
from qualification.common.files import has_lone_surrogate

MAX_LINES = 500
BID_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


@dataclass(frozen=True)
class PingMessage:
    pass


@dataclass(frozen=True)
class BidMessage:
    bid_id: str
    prices: dict[str, str]
    confirmed: bool = False  # the bidder confirmed a bid the room warned was far below its reference


@dataclass(frozen=True)
class AcceptMessage:
    """Japanese and Dutch auctions: accept the price level ``level`` (as numbered in the state message)."""

    bid_id: str
    level: int


@dataclass(frozen=True)
class PassMessage:
    """Fixed-turn rounds: keep the current offer and end one's turn."""


ClientMessage = PingMessage | BidMessage | AcceptMessage | PassMessage


def error_frame(code: str, message: str) -> dict[str, Any]:
    """The server's ``error`` frame: a stable ``code`` for programs and a ``message`` for people."""
    return {"type": "error", "code": code, "message": message}


class BadMessage(DieetveilingError):
    """The frame is not a valid client message; the text says what is wrong."""

    code = "bad_message"
    exit_status = USAGE


def _bid_id(data: dict[str, Any]) -> str:
    bid_id = data.get("bid_id")
    if not isinstance(bid_id, str) or not BID_ID.fullmatch(bid_id):
        raise BadMessage("field 'bid_id' must be 1-64 characters of letters, digits, '_', '.', ':' or '-'")
    return bid_id


def _no_other_fields(data: dict[str, Any], allowed: set[str], what: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadMessage(f"unknown field(s) in {what}: {', '.join(unknown)}")


def parse_client_message(text: str) -> ClientMessage:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadMessage(f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (RecursionError, ValueError):  # nesting too deep, or an integer too long to convert
        raise BadMessage("not acceptable JSON: nested too deeply or a number too long") from None
    if has_lone_surrogate(data):
        # JSON may escape half a UTF-16 pair ("\ud800"); such text cannot be stored or sent back as UTF-8.
        raise BadMessage("the message contains invalid Unicode (a lone surrogate escape)")
    if not isinstance(data, dict):
        raise BadMessage("a message must be a JSON object with a 'type' field")
    kind = data.get("type")
    if kind == "ping":
        return PingMessage()
    if kind == "bid":
        bid_id = _bid_id(data)
        prices = data.get("prices")
        if not isinstance(prices, dict) or not prices:
            raise BadMessage('field \'prices\' must be an object of line id → price string, e.g. {"L1-01": "2.35"}')
        if len(prices) > MAX_LINES:
            raise BadMessage(f"field 'prices' has more than {MAX_LINES} lines")
        for line_id, price in prices.items():
            if not isinstance(price, str):
                raise BadMessage(f'prices → {line_id}: the price must be a string like "2.35", not {json.dumps(price)}')
        confirmed = data.get("confirmed", False)
        if not isinstance(confirmed, bool):
            raise BadMessage("field 'confirmed' must be true or false")
        _no_other_fields(data, {"type", "bid_id", "prices", "confirmed"}, "a bid")
        return BidMessage(bid_id, dict(prices), confirmed)
    if kind == "accept":
        bid_id = _bid_id(data)
        level = data.get("level")
        if type(level) is not int or not 0 <= level < 100_000:
            raise BadMessage("field 'level' must be the number of the level you accept (from the state message)")
        _no_other_fields(data, {"type", "bid_id", "level"}, "an acceptance")
        return AcceptMessage(bid_id, level)
    if kind == "pass":
        _no_other_fields(data, {"type"}, "a pass")
        return PassMessage()
    if kind is None:
        raise BadMessage("the message has no 'type' field")
    raise BadMessage(f"unknown message type {kind!r} (expected 'bid', 'accept', 'pass' or 'ping')")
