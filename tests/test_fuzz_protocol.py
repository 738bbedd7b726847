"""Property-based fuzzing of everything a client can send: the frame parser, the bid check in the core, and the
real server on 127.0.0.1 (docs/protocol.md).

The contract under test:
- ``parse_client_message`` returns a valid message or raises ``BadMessage`` (whose text can be sent back as UTF-8);
- ``decide`` with any prices returns events or a ``Rejection`` and a rejection changes nothing;
- the server answers every frame of a connected bidder with exactly one ``error`` (bad_message), ``bid_rejected``,
  ``bid_accepted`` (or ``pong`` for a ping), keeps the line open, and stores nothing unless a bid was accepted.

Running Hypothesis against the server: pytest-asyncio runs ``@given`` on an ``async def`` test by wrapping
Hypothesis' inner test so that every example runs to completion in the test's event loop, the same loop the
function-scoped fixtures (``procurement``, ``server``) were set up in. So the fixtures are built once per test
function and shared by its examples (hence ``HealthCheck.function_scoped_fixture`` is suppressed on purpose: one
server per test function is what we want); uvicorn runs whenever an example awaits. Each example reconnects if an
earlier one left the line broken, so a failure is reported for the frame that caused it and shrinks cleanly.
Invitations are one-time, so a client connects with a session (``RunningServer.session_url``), over a few
connections used in turn and paced under the server's per-session rate limit (web/connections.py): a frame
dropped for rate would otherwise look like a missing answer.

The product bugs this fuzzing found are listed in ``KNOWN BUGS`` below, all fixed; each keeps its minimal
regression test (``test_known_bug_*``), and ``known_bugs`` now excuses nothing: the broad properties hold for
every input, and the server properties send these inputs too.
"""

from __future__ import annotations

import asyncio
import copy
import copyreg
import json
import os
import re
import time
import types
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation, Overflow, localcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from auction.journal.port import MemoryJournal
from auction.live.runner import AuctionRunner
from auction.rules.core import INITIAL, AuctionState, decide, evolve
from auction.rules.lifecycle import Phase
from auction.rules.messages import BidAccepted, Cancel, Close, CloseExtended, Create, Pause, PlaceBid, Rejection
from auction.steps.control import apply_control
from auction.storage.sql_journal import journal_for
from tests.conftest import Procurement, RunningServer, receive, receive_state
from tests.factories import T0, make_config, open_auction, run
from web.connections import BURST, RATE_PER_S
from web.protocol import MAX_LINES, BadMessage, BidMessage, PingMessage, parse_client_message

# A folded state holds read-only mappings (mapping proxies), which copy.deepcopy cannot copy by itself; a copy
# for comparison may be a proxy over a fresh dict.
copyreg.pickle(types.MappingProxyType, lambda proxy: (types.MappingProxyType, (dict(proxy),)))


def examples(default: int) -> int:
    """``FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_protocol.py`` fuzzes deeper than the defaults (kept fast)."""
    return int(os.environ.get("FUZZ_EXAMPLES", default))


PURE = settings(max_examples=examples(300), deadline=None, database=None)
POOL = 4  # connections per client in the server tests
AGAINST_SERVER = settings(
    max_examples=examples(150),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

L1_LINES = ("L1-01", "L1-02", "L1-03")
L1_CEILINGS = {"L1-01": 210, "L1-02": 245, "L1-03": 230}  # cents, examples/tender.toml
L2_LINES = ("L2-01", "L2-02", "L2-03")
BID_ID_RULE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")  # docs/protocol.md: 1-64 characters [A-Za-z0-9_.:-]
PING = json.dumps({"type": "ping"})
PRICES_L1 = {"L1-01": "2.00", "L1-02": "2.40", "L1-03": "2.20"}


class _AnyTime:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, int) and other > 0


ANY_TIME = _AnyTime()
BID_CODES = {
    "not_open",
    "paused",
    "closed",
    "cancelled",
    "missing_line",
    "unknown_line",
    "bad_price",
    "above_ceiling",
    "decrement_too_small",
    "duplicate_bid_id",
    "busy",
    "unknown_bidder",
}

# ---------------------------------------------------------------------------- KNOWN BUGS (all fixed)
#
# P-DEEP      parse_client_message("[" * 2000) raises RecursionError (json.loads), not BadMessage. On the server
#             the handler dies ("Exception in ASGI application"): the TCP connection is dropped without a close
#             frame (1006) instead of an error/bad_message answer.
# P-BIGINT    parse_client_message("1" * 4301) raises ValueError ("Exceeds the limit (4300 digits) for integer
#             string conversion"), which is not a JSONDecodeError, so it escapes; on the server as P-DEEP.
# P-SURROGATE an object key holding a lone surrogate (sent escaped, "\ud800") is echoed raw into the error text
#             ('prices → \ud800: …', 'unknown field(s) in a bid: \ud800') or into bid_rejected/unknown_line; the
#             server's sender task then dies on UTF-8 encoding (json.dumps(ensure_ascii=False)) and the client
#             gets no answer to this or any later frame (no pong either).
# P-NEWLINE   BID_ID uses re.match with "$", which also matches before a final "\n": bid_id "b1\n" (and a
#             65-character "a" * 64 + "\n") is accepted, although the protocol allows only [A-Za-z0-9_.:-]{1,64}.
# C-HUGE      a price whose magnitude needs more than ~4300 digits: "1e999999" raises decimal.Overflow in
#             parse_price (scaleb), "1e4300" passes parse_price and then format_price raises ValueError (int → str
#             limit) while building the above_ceiling message. decide raises instead of bad_price/above_ceiling;
#             the server answers error/not_recorded and logs a traceback. Worse, with group commit the exception
#             aborts the whole batch (auction/runner.py _process_bids): another bidder's valid bid decided in the
#             same batch also fails (not_recorded), and the writer then sleeps 0.1 s.
# C-ROUND     parse_price works in the default 28-digit decimal context, so a price with more significant digits
#             is rounded instead of refused: "1.0000000000000000000000000001" is accepted as 1.00 and
#             "2.099999999999999999999999999999" as 2.10, though it has more than price_decimals decimals.

DIGIT_RUN = re.compile(r"\d{4300}")
DEEP = 500  # shallower JSON must never hit the recursion limit (it is ~990 levels at the test's stack depth)


def nesting_depth(text: str) -> int:
    """The deepest run of open brackets in ``text``, ignoring what is inside JSON strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


def has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def _keys(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [k for k in value] + [k for v in value.values() for k in _keys(v)]
    if isinstance(value, list):
        return [k for v in value for k in _keys(v)]
    return []


def price_magnitude(price: object) -> int | None:
    """The decimal exponent of a price string as parse_price reads it (None: not a finite number)."""
    if not isinstance(price, str):
        return None
    try:
        value = Decimal(price.strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return value.adjusted() if value.is_finite() and value else None


def significant_digits(price: str) -> int:
    value = Decimal(price.strip().replace(",", "."))
    return len(value.as_tuple().digits)


def huge_price(prices: Any) -> bool:
    """C-HUGE: a price with a magnitude of more than ~4300 digits."""
    if not isinstance(prices, dict):
        return False
    return any((m := price_magnitude(p)) is not None and m >= 4290 for p in prices.values())


def known_bugs(frame: str) -> set[str]:
    """The known bugs (above) that this text frame runs into: all of them are fixed, so none."""
    return set()


def breaks_the_server(frame: str | bytes) -> bool:
    """Frames the server cannot survive or answers with error/not_recorded (known bugs): not sent by the
    server properties, covered one by one in ``test_known_bugs_on_the_server``."""
    return isinstance(frame, str) and bool(known_bugs(frame) & {"P-BIGINT", "P-DEEP", "P-SURROGATE", "C-HUGE"})


# ------------------------------------------------------------------------------------------- strategies

TRICKS = (
    "\u202e",  # right-to-left override
    "\u202d",
    "\u2066",  # left-to-right isolate
    "\u200d",  # zero-width joiner
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "\x00",
    "\x1b[31m",
    "\u0301",  # combining acute accent
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family emoji, joined
    "\u2028",
    "\ud800",  # lone surrogates (JSON escapes them as \ud800)
    "\udfff",
    "\ud83d",
    "\u0661",  # Arabic-Indic digit one
    "\uff12",  # full-width digit two
    "\U0001d7d0",  # mathematical bold digit two
    "\u0130",
    "\u00a0",
    "\uffff",
)
trick = st.sampled_from(TRICKS)
tricky_text = st.one_of(
    st.text(max_size=12),
    trick,
    st.lists(st.one_of(trick, st.text(max_size=3)), max_size=6).map("".join),
    st.integers(200, 20_000).map(lambda n: "x" * n),
)


class Raw:
    """A token written into the JSON text as is (numbers JSON itself cannot round-trip, e.g. 1e309)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:40]!r}{'…' if len(self.text) > 40 else ''})"


RAW_NUMBERS = (
    "1e309",
    "-1e309",
    "1E400",
    "1e-400",
    "-0",
    "0e0",
    "-0.0",
    "1" + "0" * 400,
    "0." + "0" * 400 + "1",
    "-" + "9" * 1000,
    "1" * 4301,  # P-BIGINT
    "NaN",
    "Infinity",
    "-Infinity",
)


def dumps(value: Any, ensure_ascii: bool = True) -> str:
    """json.dumps that writes ``Raw`` tokens verbatim (and NaN/Infinity as JSON's non-standard literals)."""
    raws: list[str] = []

    def swap(node: Any) -> Any:
        if isinstance(node, Raw):
            raws.append(node.text)
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(node, dict):
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    text = json.dumps(swap(value), ensure_ascii=ensure_ascii)
    for index, raw in enumerate(raws):
        text = text.replace(f'"@@raw{index}@@"', raw, 1)
    return text


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(),  # NaN and ±Infinity are written as JSON's NaN/Infinity literals
    tricky_text,
    st.sampled_from(RAW_NUMBERS).map(Raw),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=12,
)

SPECIAL_PRICES = (
    "0",
    "0.00",
    "-0",
    "-0.00",
    "-1",
    "-2.00",
    "0.001",
    "2.001",
    "1e309",
    "1E+309",
    "-1e309",
    "1e-309",
    "1e999999",  # C-HUGE
    "1e4300",  # C-HUGE
    "9" * 5000,  # C-HUGE
    "1.0000000000000000000000000001",  # C-ROUND
    "2.099999999999999999999999999999",  # C-ROUND
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e3",
    "1e0",
    "2,05",
    "2,0,5",
    "2.0.5",
    " 2.05 ",
    "\t2\n",
    "2.05\u200d",
    "\u202e2.05",
    "\uff12.\uff10\uff15",
    "\u0662.\u0660\u0665",
    "1_0",
    "0x10",
    "+2",
    "2.",
    ".5",
    "",
    " ",
    "2.00\x00",
    "1" * 300,
    "0." + "0" * 300 + "1",
)
price_strings = st.one_of(
    st.sampled_from(SPECIAL_PRICES),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(min_value=0, max_value=10, places=2).map(str),
    st.decimals(min_value=0, max_value=10, places=2).map(lambda d: str(d).replace(".", ",")),
    st.integers(-(10**30), 10**30).map(str),
    st.floats().map(repr),
    tricky_text,
)
prices_as_json = st.one_of(price_strings, price_strings.map(Raw), st.floats(), st.integers(), json_values)
bid_ids = st.one_of(
    st.from_regex(BID_ID_RULE, fullmatch=True),
    st.sampled_from(["", "a" * 64, "a" * 65, "b1\n", "b 1", "b1\u200d", "b\u00fc", "b1\x00", "\u202eb1"]),
    tricky_text,
)
line_keys = st.one_of(
    st.sampled_from(L1_LINES + L2_LINES + ("", "L1-01 ", "l1-01", "L1-01\u200d", "\u202eL1-01", "L1\u201101")),
    tricky_text,
)
message_types = st.one_of(
    st.sampled_from(["bid", "ping", "PING", "Bid", "bid ", "ping\u200d", "ping\x00", "pong", "state", ""]),
    json_values,
)


def deep(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def valid_prices(draw: st.DrawFn, lines: tuple[str, ...] = L1_LINES) -> dict[str, str]:
    return {line: f"{draw(st.integers(1, L1_CEILINGS.get(line, 400))) / 100:.2f}" for line in lines}


@st.composite
def valid_bids(draw: st.DrawFn) -> str:
    bid_id = draw(st.one_of(st.sampled_from(["b1", "b2", "b3"]), st.from_regex(BID_ID_RULE, fullmatch=True)))
    return json.dumps({"type": "bid", "bid_id": bid_id, "prices": draw(valid_prices())})


@st.composite
def mutated_messages(draw: st.DrawFn) -> str:
    """A valid ``bid`` or ``ping`` with up to three mutations, written as JSON text with a few textual tricks."""
    message: dict[str, Any]
    if draw(st.booleans()):
        message = {"type": "bid", "bid_id": draw(st.from_regex(BID_ID_RULE, fullmatch=True))}
        message["prices"] = draw(valid_prices())
    else:
        message = {"type": "ping"}
    for _ in range(draw(st.integers(0, 3))):
        operation = draw(
            st.sampled_from(
                ["drop", "retype", "extra", "price", "bid_id", "line", "type", "nest", "lines", "drop_line"]
            )
        )
        prices = message.get("prices")
        if operation == "drop" and message:
            del message[draw(st.sampled_from(sorted(message)))]
        elif operation == "retype":
            message[draw(st.sampled_from(["type", "bid_id", "prices"]))] = draw(json_values)
        elif operation == "extra":
            name = draw(
                st.one_of(st.sampled_from(["Type", "bid_id ", "price", "__proto__", "seq", "bidder"]), tricky_text)
            )
            message[name] = draw(json_values)
        elif operation == "price" and isinstance(prices, dict) and prices:
            prices[draw(st.sampled_from(sorted(prices)))] = draw(prices_as_json)
        elif operation == "bid_id":
            message["bid_id"] = draw(bid_ids)
        elif operation == "line" and isinstance(prices, dict):
            prices[draw(line_keys)] = draw(st.one_of(price_strings, prices_as_json))
        elif operation == "drop_line" and isinstance(prices, dict) and prices:
            del prices[draw(st.sampled_from(sorted(prices)))]
        elif operation == "type":
            message["type"] = draw(message_types)
        elif operation == "nest":
            field = draw(st.sampled_from(["type", "bid_id", "prices"]))
            message[field] = deep(message.get(field), draw(st.integers(1, 60)))
        elif operation == "lines":
            count = draw(st.sampled_from([0, 1, MAX_LINES - 1, MAX_LINES, MAX_LINES + 1]))
            message["prices"] = {f"X-{n:03d}": "1.00" for n in range(count)}
    text = dumps(message, ensure_ascii=draw(st.booleans()))
    wrapping = draw(st.sampled_from(["plain", "spaces", "bom", "trailing", "twice", "duplicate_key", "cut"]))
    if wrapping == "spaces":
        text = f" \n\t{text}\r\n "
    elif wrapping == "bom":
        text = "\ufeff" + text
    elif wrapping == "trailing":
        text = text + draw(st.sampled_from(["x", "}", ",", " //", "\x00"]))
    elif wrapping == "twice":
        text = text + text
    elif wrapping == "duplicate_key" and text.startswith("{") and len(text) > 2:
        text = '{"type": "ping", ' + text[1:]
    elif wrapping == "cut" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    return text


def nested(max_depth: int) -> st.SearchStrategy[str]:
    return st.integers(1, max_depth).map(lambda n: "[" * n + "]" * n)


common_frames = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from('{}[]":,\\ 0123456789.-+eEtrufalsnNI\u202e\x00')),
    json_values.map(dumps),
    json_values.map(lambda v: dumps(v, ensure_ascii=False)),
    mutated_messages(),
    valid_bids(),
)
text_frames = common_frames | nested(3000)  # P-DEEP beyond ~990


def sendable(frame: str) -> bool:
    """A WebSocket text frame must be UTF-8: a client cannot send a lone surrogate (only its JSON escape)."""
    return not has_lone_surrogate(frame)


server_frames = st.one_of(
    (common_frames | nested(DEEP - 1)).filter(sendable),
    st.binary(max_size=300),
    valid_bids().map(str.encode),  # a valid bid, but in a binary frame
).filter(lambda frame: not breaks_the_server(frame))


# ---------------------------------------------------------------------------------------- parser (pure)


def check_parse(text: str) -> None:
    """parse_client_message returns a valid message or raises BadMessage, with the known bugs' symptoms."""
    bugs = known_bugs(text)
    for bug in sorted(bugs):
        event(f"known bug {bug}")
    try:
        message = parse_client_message(text)
    except BadMessage as exc:
        reply = json.dumps({"type": "error", "code": "bad_message", "message": str(exc)}, ensure_ascii=False)
        assert str(exc)
        if "P-SURROGATE" in bugs and has_lone_surrogate(str(exc)):
            return  # known: the error text echoes the raw key and cannot be sent as UTF-8
        reply.encode("utf-8")  # the server sends this text back: it must be encodable
        event("BadMessage")
        return
    except RecursionError:
        assert "P-DEEP" in bugs, "RecursionError on a shallow frame"
        return
    except ValueError as exc:
        assert "P-BIGINT" in bugs and "Exceeds the limit" in str(exc), f"{type(exc).__name__}: {exc}"
        return
    data = json.loads(text)
    assert isinstance(data, dict)
    event(type(message).__name__)
    if isinstance(message, PingMessage):
        assert data["type"] == "ping"
        return
    assert isinstance(message, BidMessage)
    assert data["type"] == "bid" and set(data) <= {"type", "bid_id", "prices"}
    assert message.bid_id == data["bid_id"]
    if "P-NEWLINE" not in bugs:
        assert BID_ID_RULE.fullmatch(message.bid_id), message.bid_id
    assert message.prices == data["prices"] and 1 <= len(message.prices) <= MAX_LINES
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in message.prices.items())


@PURE
@given(text=st.text())
def test_the_parser_on_arbitrary_text(text: str) -> None:
    check_parse(text)


@PURE
@given(value=json_values, ensure_ascii=st.booleans())
def test_the_parser_on_arbitrary_json_values(value: Any, ensure_ascii: bool) -> None:
    check_parse(dumps(value, ensure_ascii=ensure_ascii))


@settings(PURE, max_examples=examples(600))
@given(frame=mutated_messages())
def test_the_parser_on_mutated_bids_and_pings(frame: str) -> None:
    check_parse(frame)


@PURE
@given(frame=text_frames)
def test_the_parser_on_every_kind_of_frame(frame: str) -> None:
    check_parse(frame)


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "ping"}',
        '{"type": "ping", "extra": 1}',
        '{"type": "bid", "bid_id": "' + "a" * 64 + '", "prices": {"L1-01": "2.00"}}',
        json.dumps({"type": "bid", "bid_id": "b", "prices": {f"X{n}": "1" for n in range(MAX_LINES)}}),
    ],
)
def test_the_parser_accepts_the_documented_edges(frame: str) -> None:
    assert isinstance(parse_client_message(frame), PingMessage | BidMessage)


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "bid", "bid_id": "' + "a" * 65 + '", "prices": {"L1-01": "2.00"}}',
        json.dumps({"type": "bid", "bid_id": "b", "prices": {f"X{n}": "1" for n in range(MAX_LINES + 1)}}),
        '{"type": "bid", "bid_id": "b", "prices": {"L1-01": NaN}}',
        '{"type": "bid", "bid_id": "b", "prices": {"L1-01": 1e309}}',
        '{"type": "bid", "bid_id": "b", "prices": {}}',
        '{"type": "bid", "bid_id": "b", "prices": {"L1-01": "2"}, "bidder": "sup-x"}',
        '{"type": "PING"}',
        "NaN",
    ],
)
def test_the_parser_refuses_the_documented_edges(frame: str) -> None:
    with pytest.raises(BadMessage):
        parse_client_message(frame)


def test_known_bug_deeply_nested_json_is_a_bad_message() -> None:
    with pytest.raises(BadMessage):
        parse_client_message("[" * 2000)


def test_known_bug_a_4301_digit_number_is_a_bad_message() -> None:
    with pytest.raises(BadMessage):
        parse_client_message("1" * 4301)


@pytest.mark.parametrize(
    "frame",
    [
        '{"type": "bid", "bid_id": "b", "prices": {"\\ud800": 1}}',
        '{"type": "bid", "bid_id": "b", "prices": {"L1-01": "2"}, "\\ud800": 1}',
    ],
)
def test_known_bug_the_error_for_a_lone_surrogate_key_can_be_sent(frame: str) -> None:
    with pytest.raises(BadMessage) as refused:
        parse_client_message(frame)
    str(refused.value).encode("utf-8")


def test_known_bug_a_bid_id_with_a_final_newline_is_refused() -> None:
    with pytest.raises(BadMessage):
        parse_client_message('{"type": "bid", "bid_id": "b1\\n", "prices": {"L1-01": "2.00"}}')


# ------------------------------------------------------------------------------------------ core (pure)

CONFIG = make_config()  # lines A (ceiling 2.00, volume 1000) and B (ceiling 4.00, volume 500); seats s1-s3
LINE_IDS = tuple(line.id for line in CONFIG.lines)
OPEN = open_auction(CONFIG)
WITH_BID, _ = run(OPEN, PlaceBid("s1", "first", {"A": "1.50", "B": "3.00"}), T0 + 1000)
PAUSED, _ = run(WITH_BID, Pause("fuzz"), T0 + 2000)
CLOSED, _ = run(WITH_BID, Close("fuzz"), T0 + 2000)
CANCELLED, _ = run(WITH_BID, Cancel("fuzz"), T0 + 2000)
SCHEDULED, _ = run(INITIAL, Create(CONFIG), T0 - 1000)
STATES = {
    "scheduled": SCHEDULED,
    "open": OPEN,
    "with_bid": WITH_BID,
    "paused": PAUSED,
    "closed": CLOSED,
    "cancelled": CANCELLED,
}

core_price_values = st.one_of(
    price_strings,
    st.integers(-(10**30), 10**30),  # ints are price units (the replay's path), never from a client
    st.floats(),
    st.none(),
    st.booleans(),
    st.decimals(allow_nan=True),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)
core_prices = st.one_of(
    st.fixed_dictionaries({line: core_price_values for line in LINE_IDS}),
    st.fixed_dictionaries({line: price_strings for line in LINE_IDS}),
    st.fixed_dictionaries(
        {line: st.decimals(min_value=0, max_value=5, places=2).map(str) for line in LINE_IDS},
        optional={"C": price_strings},
    ),
    # under the ceilings (2.00, 4.00) with 0 to 32 decimals: more than 2 real decimals must be refused (C-ROUND)
    st.fixed_dictionaries(
        {
            line.id: st.integers(0, 32).flatmap(
                lambda places, top=line.ceiling: st.decimals(
                    min_value=Decimal("0.01"), max_value=Decimal(top) / 100, places=places
                ).map(str)
            )
            for line in CONFIG.lines
        }
    ),
    st.dictionaries(st.one_of(st.sampled_from(LINE_IDS), tricky_text), core_price_values, max_size=4),
)


def exact_units(price: str, decimals: int) -> Decimal:
    with localcontext(Context(prec=100_000)):
        return Decimal(price.strip().replace(",", ".")).scaleb(decimals)


@settings(PURE, max_examples=examples(500))
@given(
    state_name=st.sampled_from(["open", "open", "with_bid", "with_bid", "paused", "closed", "cancelled", "scheduled"]),
    bidder=st.sampled_from(["s1", "s2", "s3", "nobody", ""]),
    bid_id=st.one_of(st.sampled_from(["first", "second"]), bid_ids),
    prices=core_prices,
    at=st.integers(0, 700_000),
)
def test_decide_on_any_bid_returns_events_or_a_rejection_that_changes_nothing(
    state_name: str, bidder: str, bid_id: str, prices: dict[str, Any], at: int
) -> None:
    state = STATES[state_name]
    before = copy.deepcopy(state)  # read-only mappings inside copy as plain copies (copyreg, below)
    command = PlaceBid(bidder=bidder, bid_id=bid_id, prices=prices)
    try:
        result = decide(state, command, T0 + at)
    except (Overflow, ValueError) as exc:
        assert huge_price(prices), f"{type(exc).__name__}: {exc}"  # C-HUGE
        event("known bug C-HUGE")
        return
    assert state == before, "decide changed the state it was given"
    event("rejected" if isinstance(result, Rejection) else "accepted")
    if isinstance(result, Rejection):
        assert result.code in BID_CODES and result.message
        json.dumps(result.details)  # sent to the client as is
        return
    assert result and isinstance(result[0], BidAccepted)
    assert all(isinstance(extension, CloseExtended) for extension in result[1:])
    accepted = result[0]
    assert state.phase is Phase.OPEN and (accepted.bid_id, accepted.bidder) == (bid_id, bidder)
    assert bid_id not in state.bid_ids and set(accepted.prices) == set(LINE_IDS) == set(prices)
    for line in CONFIG.lines:
        units = accepted.prices[line.id]
        assert 0 < units <= line.ceiling
        raw = prices[line.id]
        if isinstance(raw, str) and significant_digits(raw) <= 28:  # beyond: C-ROUND
            assert exact_units(raw, CONFIG.price_decimals) == units, f"{raw!r} recorded as {units}"
    assert accepted.total == sum(accepted.prices[line.id] * line.volume for line in CONFIG.lines)
    previous = state.standing.get(bidder)
    if previous is not None:
        assert accepted.total <= previous.total - CONFIG.required_decrement(previous.total)
    after: AuctionState = state
    for recorded in result:
        after = evolve(after, recorded)
    assert after.standing[bidder].bid_id == bid_id


def test_known_bug_a_price_of_1e999999_is_a_bad_price() -> None:
    result = decide(OPEN, PlaceBid("s1", "b", {"A": "1e999999", "B": "1.00"}), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "bad_price"


def test_known_bug_a_price_of_1e4300_is_a_bad_price() -> None:
    # Exponent notation is not a price a bidder types: refused as such (plain decimal notation only).
    result = decide(OPEN, PlaceBid("s1", "b", {"A": "1e4300", "B": "1.00"}), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "bad_price"


async def test_known_bug_a_huge_price_does_not_fail_the_other_bids_of_its_group_commit() -> None:
    runner = AuctionRunner("T-L1-live", MemoryJournal(), lambda: T0 + 1000)
    await runner.process(Create(CONFIG))
    runner.start()
    try:
        honest = asyncio.create_task(runner.submit(PlaceBid("s2", "honest", {"A": "1.50", "B": "3.00"})))
        huge = asyncio.create_task(runner.submit(PlaceBid("s1", "huge", {"A": "1e999999", "B": "1.00"})))
        outcomes = await asyncio.gather(honest, huge, return_exceptions=True)
    finally:
        await runner.stop()
    assert not isinstance(outcomes[0], BaseException) and outcomes[0].receipt is not None, outcomes


def test_known_bug_a_price_with_29_significant_digits_is_not_rounded() -> None:
    result = decide(OPEN, PlaceBid("s1", "b", {"A": "1.0000000000000000000000000001", "B": "1.00"}), T0 + 1000)
    assert isinstance(result, Rejection) and result.code == "bad_price"


# --------------------------------------------------------------------------------------- the real server


class Pacer:
    """Client-side token bucket that stays under the server's per-session rate limit (web/connections.py):
    a frame the server drops for rate would look like a missing answer."""

    def __init__(self) -> None:
        self.rate = RATE_PER_S * 0.9
        self.burst = BURST - 4.0
        self.tokens = self.burst
        self.last = time.monotonic()

    async def take(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            await asyncio.sleep((1 - self.tokens) / self.rate)
            self.tokens = 1.0
            self.last = time.monotonic()
        self.tokens -= 1


@dataclass
class Line:
    """One client (a session, as the room keeps it) on the running server, over a few connections used in turn,
    paced under the session's rate limit. A connection an example left broken is reopened for
    the next example, so a failure is reported for the frame that caused it."""

    server: RunningServer
    procurement: Procurement
    auction_id: str
    url: str
    pool: list[ClientConnection | None] = field(default_factory=lambda: [None] * POOL)
    # The server's rate limit belongs to the session, not the connection: one pacer for the whole pool.
    pacer: Pacer = field(default_factory=Pacer)
    turn: int = 0

    async def open(self, index: int = 0) -> ClientConnection:
        ws = self.pool[index]
        if ws is None or ws.state is not State.OPEN:
            await self.drop(index)
            ws = await connect(self.url, compression=None, max_size=None)
            self.pool[index] = ws
            await receive(ws, "welcome")
        return ws

    async def drop(self, index: int) -> None:
        ws, self.pool[index] = self.pool[index], None
        if ws is not None:
            await ws.close()

    async def close(self) -> None:
        for index in range(POOL):
            await self.drop(index)

    async def stored(self) -> list[tuple[int, str, str]]:
        entries = await journal_for(self.procurement.engine).read(self.auction_id)
        return [(entry.seq, entry.type, entry.hash) for entry in entries]

    async def exchange(self, frame: str | bytes, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Send ``frame`` then a ping; everything but state snapshots that arrives up to the ping's pong.

        The server handles a connection's frames in order and queues each answer before reading the next frame,
        so the answer to ``frame`` comes before that pong. A ``ping`` frame gets its own pong first.
        """
        index = self.turn = (self.turn + 1) % POOL
        ws = await self.open(index)
        try:
            for message in (frame, PING):
                await self.pacer.take()
                await ws.send(message)
            pongs = 2 if isinstance(frame, str) and is_ping(frame) else 1
            answers: list[dict[str, Any]] = []
            async with asyncio.timeout(timeout):
                while pongs:
                    answer = json.loads(await ws.recv())
                    if answer["type"] in ("state", "observer_state", "welcome", "session"):
                        continue
                    answers.append(answer)
                    pongs -= answer["type"] == "pong"
            assert answers.pop()["type"] == "pong"
            return answers
        except BaseException:
            await self.drop(index)  # the next example starts on a fresh connection
            raise


def is_ping(frame: str) -> bool:
    try:
        return isinstance(parse_client_message(frame), PingMessage)
    except Exception:  # BadMessage, or a known bug's exception (P-DEEP, P-BIGINT)
        return False


def expected_answers(frame: str | bytes, role: str) -> set[str]:
    """What the server may answer, judged by the parser (which the fuzz tests above hold to its contract)."""
    if isinstance(frame, bytes):
        return {"error"}
    try:
        message = parse_client_message(frame)
    except BadMessage:
        return {"error"}
    if isinstance(message, PingMessage):
        return {"pong"}
    return {"error"} if role == "observer" else {"bid_rejected", "bid_accepted"}


async def check_exchange(line: Line, frame: str | bytes, role: str = "bidder") -> dict[str, Any]:
    """The server property for one frame; returns the answer."""
    before = await line.stored()
    answers = await line.exchange(frame)
    assert len(answers) == 1, answers
    answer = answers[0]
    if currently_in_test_context():  # also used by plain tests
        event(f"{role}: {answer['type']} {answer.get('code', '')}".strip())
    assert answer["type"] in expected_answers(frame, role), answer
    if answer["type"] == "error":
        assert answer["code"] == "bad_message" and answer["message"]
    if answer["type"] == "bid_rejected":
        assert answer["code"] in BID_CODES and answer["bid_id"] == json.loads(frame)["bid_id"]
    after = await line.stored()
    if answer["type"] != "bid_accepted":
        assert after == before, "the journal changed although no bid was accepted"
    else:
        assert after[: len(before)] == before
        recorded = {seq: (kind, entry_hash) for seq, kind, entry_hash in after}
        assert recorded[answer["seq"]] == ("BidAccepted", answer["entry_hash"])
        assert len(after) - len(before) in (0, 1, 2)  # 0: a retry got its original receipt; 2: with an extension
        if len(after) > len(before):
            assert after[len(before)][0] == answer["seq"]
    return answer


@pytest.fixture
async def bidder_line(procurement: Procurement, server: RunningServer) -> AsyncIterator[Line]:
    auction_id, invitations = await procurement.auction(duration_s=600)
    bidder = next(i for i in invitations if i.role == "bidder")
    line = Line(server, procurement, auction_id, await server.session_url(procurement.engine, bidder))
    await receive_state(await line.open(), lambda m: m["phase"] == "open")
    yield line
    await line.close()


@pytest.fixture
async def observer_line(procurement: Procurement, server: RunningServer) -> AsyncIterator[Line]:
    auction_id, invitations = await procurement.auction(duration_s=600)
    observer = next(i for i in invitations if i.role == "observer")
    line = Line(server, procurement, auction_id, await server.session_url(procurement.engine, observer))
    await receive_state(await line.open(), lambda m: m["phase"] == "open")
    yield line
    await line.close()


@AGAINST_SERVER
@given(frame=server_frames)
async def test_every_bidder_frame_gets_one_answer_and_the_line_stays_open(
    bidder_line: Line, frame: str | bytes
) -> None:
    await check_exchange(bidder_line, frame)


@settings(AGAINST_SERVER, max_examples=examples(60))
@given(frame=st.one_of(valid_bids(), server_frames))
async def test_an_observer_cannot_bid_and_stores_nothing(observer_line: Line, frame: str | bytes) -> None:
    answer = await check_exchange(observer_line, frame, role="observer")
    if isinstance(frame, str) and expected_answers(frame, "bidder") == {"bid_rejected", "bid_accepted"}:
        assert answer["message"] == "observers cannot bid"


@settings(AGAINST_SERVER, max_examples=examples(25))
@given(
    lines=st.sets(st.sampled_from(L1_LINES + L2_LINES), min_size=1).filter(lambda s: s != set(L1_LINES)),
    prices=valid_prices(L1_LINES + L2_LINES),
)
async def test_a_bid_with_another_lots_lines_is_rejected(
    bidder_line: Line, lines: set[str], prices: dict[str, str]
) -> None:
    frame = json.dumps({"type": "bid", "bid_id": "other-lot", "prices": {line: prices[line] for line in sorted(lines)}})
    answer = await check_exchange(bidder_line, frame)
    assert answer["type"] == "bid_rejected", answer
    missing, unknown = sorted(set(L1_LINES) - lines), sorted(lines - set(L1_LINES))
    if missing:
        assert (answer["code"], answer["details"]["lines"]) == ("missing_line", missing)
    else:
        assert (answer["code"], answer["details"]["lines"]) == ("unknown_line", unknown)


REPLAY_SPELLINGS: dict[str, Callable[[str], str]] = {
    "same": lambda price: price,
    "comma": lambda price: price.replace(".", ","),
    "padded": lambda price: f" {price}0 ",
    "short": lambda price: price.rstrip("0").rstrip(".") or "0",
}


@settings(AGAINST_SERVER, max_examples=examples(20))
@given(spelling=st.sampled_from(sorted(REPLAY_SPELLINGS)), reorder=st.booleans())
async def test_a_replayed_bid_gets_its_original_receipt_and_is_stored_once(
    bidder_line: Line, spelling: str, reorder: bool
) -> None:
    # Every example bids 1.5 % below the previous one (the minimum decrement is 0.5 %), so its first send is new.
    accepted = [(seq, h) for seq, kind, h in await bidder_line.stored() if kind == "BidAccepted"]
    level = 0.985 ** (len(accepted) + 1)
    prices = {line: f"{int(ceiling * level) / 100:.2f}" for line, ceiling in L1_CEILINGS.items()}
    bid_id = f"replay-{len(accepted)}"
    first = await check_exchange(bidder_line, json.dumps({"type": "bid", "bid_id": bid_id, "prices": prices}))
    assert first["type"] == "bid_accepted", first
    stored = await bidder_line.stored()
    again = {line: REPLAY_SPELLINGS[spelling](price) for line, price in prices.items()}
    order = sorted(again, reverse=reorder)
    replay = json.dumps({"type": "bid", "bid_id": bid_id, "prices": {line: again[line] for line in order}})
    assert await check_exchange(bidder_line, replay) == first
    changed = dict(prices, **{"L1-01": f"{int(L1_CEILINGS['L1-01'] * level) / 100 - 0.01:.2f}"})
    other = json.dumps({"type": "bid", "bid_id": bid_id, "prices": changed})
    refused = await check_exchange(bidder_line, other)
    assert (refused["type"], refused["code"]) == ("bid_rejected", "duplicate_bid_id")
    assert await bidder_line.stored() == stored


@pytest.fixture
async def closed_line(procurement: Procurement, server: RunningServer) -> AsyncIterator[Line]:
    """An auction that closed on its own clock (scheduled for one second)."""
    auction_id, invitations = await procurement.auction(duration_s=1)
    bidder = next(i for i in invitations if i.role == "bidder")
    line = Line(server, procurement, auction_id, await server.session_url(procurement.engine, bidder))
    await receive_state(await line.open(), lambda m: m["phase"] == "closed", timeout=5)
    yield line
    await line.close()


@settings(AGAINST_SERVER, max_examples=examples(60))
@given(frame=st.one_of(valid_bids(), server_frames))
async def test_no_bid_is_taken_after_the_close(closed_line: Line, frame: str | bytes) -> None:
    answer = await check_exchange(closed_line, frame)
    assert answer["type"] != "bid_accepted"
    if answer["type"] == "bid_rejected":
        assert answer["code"] == "closed", answer


async def test_after_the_organiser_closed_a_retry_gets_its_receipt_and_a_new_bid_is_refused(
    bidder_line: Line,
) -> None:
    first = await check_exchange(bidder_line, json.dumps({"type": "bid", "bid_id": "kept", "prices": PRICES_L1}))
    assert first["type"] == "bid_accepted"
    closed = await apply_control(
        bidder_line.procurement.engine, bidder_line.auction_id, "close", "fuzz", bidder_line.procurement.key
    )
    assert closed["ok"], closed
    await receive_state(await bidder_line.open(1), lambda m: m["phase"] == "closed")
    stored = await bidder_line.stored()
    retry = json.dumps({"type": "bid", "bid_id": "kept", "prices": {**PRICES_L1, "L1-01": "2,0"}})
    assert await check_exchange(bidder_line, retry) == first
    lower = {"L1-01": "1.00", "L1-02": "1.00", "L1-03": "1.00"}
    late = await check_exchange(bidder_line, json.dumps({"type": "bid", "bid_id": "late", "prices": lower}))
    assert (late["type"], late["code"]) == ("bid_rejected", "closed")
    assert await bidder_line.stored() == stored


async def test_oversized_and_undecodable_frames_close_only_that_connection(bidder_line: Line) -> None:
    limit = 64 * 1024
    padded_ping = PING + " " * (limit - len(PING))
    assert await bidder_line.exchange(padded_ping) == [{"type": "pong", "server_time": ANY_TIME}]
    for frame in (
        "x" * (limit + 1),
        PING + " " * (limit + 1 - len(PING)),
        "\u00e9" * (limit // 2 + 1),
        b"\x00" * (limit + 1),
    ):
        ws = await bidder_line.open()
        await ws.send(frame)
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(5):
                while True:
                    await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009, (len(frame), closed.value)
        await bidder_line.close()
    ws = await bidder_line.open()
    await ws.send(b'{"type": "ping"}\xff', text=True)  # a text frame that is not UTF-8 (RFC 6455: 1007)
    with pytest.raises(ConnectionClosed) as closed:
        async with asyncio.timeout(5):
            while True:
                await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1007
    await bidder_line.close()
    assert await bidder_line.exchange(PING) == [{"type": "pong", "server_time": ANY_TIME}]


KNOWN_SERVER_BUGS = [
    pytest.param("[" * 2000, id="P-DEEP"),
    pytest.param("1" * 4301, id="P-BIGINT"),
    pytest.param('{"type": "bid", "bid_id": "b1", "prices": {"\\ud800": 1}}', id="P-SURROGATE-error"),
    pytest.param(
        json.dumps({"type": "bid", "bid_id": "b1", "prices": {**PRICES_L1, "\ud800": "1"}}),
        id="P-SURROGATE-rejection",
    ),
    pytest.param(
        '{"type": "bid", "bid_id": "b1", "prices": {"L1-01": "1e999999", "L1-02": "2.40", "L1-03": "2.20"}}',
        id="C-HUGE-overflow",
    ),
    pytest.param(
        '{"type": "bid", "bid_id": "b1", "prices": {"L1-01": "1e4300", "L1-02": "2.40", "L1-03": "2.20"}}',
        id="C-HUGE-digits",
    ),
]


@pytest.mark.parametrize("frame", KNOWN_SERVER_BUGS)
async def test_known_bugs_on_the_server(bidder_line: Line, frame: str) -> None:
    before = await bidder_line.stored()
    answers = await bidder_line.exchange(frame, timeout=2)
    assert [a["type"] for a in answers] in (["error"], ["bid_rejected"]), answers
    assert answers[0].get("code") in ("bad_message", "unknown_line", "bad_price", "above_ceiling"), answers
    assert await bidder_line.stored() == before
