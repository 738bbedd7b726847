"""Visibility (art. 35(5)): whatever the format and the visibility setting, over every message a bidder or an
observer can receive in any phase, no bidder learns another bidder's identity and nobody learns the reserve.

Random auctions (every format; visibility, MEAT and reserve settings drawn) are driven by random commands; after
every step the ``welcome`` description, each bidder's ``state`` and the ``observer_state`` are rendered as the
server sends them (JSON) and searched for what must not be there.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auction.rules.config import Seat
from auction.rules.core import AuctionState
from auction.rules.messages import (
    AcceptLevel,
    Block,
    Close,
    Command,
    Extend,
    PassTurn,
    Pause,
    PlaceBid,
    Resume,
    Start,
    Tick,
    Unblock,
)
from auction.rules.money import format_price
from auction.rules.views import auction_description, bidder_state, observer_state
from tests.factories import T0, make_config, open_auction, run

# Distinctive identities, so finding one in a message can only mean it leaked.
SUPPLIERS = (
    ("sup-quokka-1187", "Quokka Voeding B.V.", "61187001", "71187001"),
    ("sup-narwal-2298", "Narwal Medisch B.V.", "62298002", "72298002"),
    ("sup-tapir-3309", "Tapir Zorglogistiek B.V.", "63309003", "73309003"),
)
ALIASES = ("Bieder Kiwi", "Bieder Lynx", "Bieder Orka")


def _config(draw: st.DrawFn) -> Any:
    fmt = draw(st.sampled_from(["english", "japanese", "dutch", "rounds"]))
    sealed = draw(st.booleans())
    meat = fmt in ("english", "rounds") and draw(st.booleans())
    seats = tuple(
        Seat(sid, ALIASES[i], name, kvk, agb, quality_score=f"{draw(st.integers(0, 100))}.00")
        for i, (sid, name, kvk, agb) in enumerate(SUPPLIERS)
    )
    base = make_config(bidders=("x",), window_s=30, extension_s=30)
    return dataclasses.replace(
        base,
        format=fmt,
        seats=seats,
        sealed=sealed,
        show_best_total=not sealed and draw(st.booleans()),
        show_bidder_count=not sealed and draw(st.booleans()),
        show_ladder=not sealed and draw(st.booleans()),
        reserve_total=draw(st.none() | st.integers(100_000, 1_000_000)),
        meat_formula="factor" if meat else None,
        meat_max_discount_percent="10" if meat else None,
        level_step_percent="5",
        level_floor_percent="80",
        level_interval_s=10,
        rounds=2,
        turn_s=10,
        initial_offers_s=20,
        far_below_percent=draw(st.none() | st.just("30")),
    )


def _command(draw: st.DrawFn, state: AuctionState, n: int) -> Command:
    bidder = draw(st.sampled_from([s[0] for s in SUPPLIERS]))
    kind = draw(st.sampled_from(["bid", "bid", "bid", "accept", "pass", "tick", "pause", "resume", "extend", "block"]))
    if kind == "bid":
        prices = {line.id: format_price(draw(st.integers(1, line.ceiling)), 2) for line in state.cfg.lines}
        return PlaceBid(bidder, f"b{n}-{bidder}", prices, confirmed=draw(st.booleans()))
    if kind == "accept":
        return AcceptLevel(bidder, f"a{n}-{bidder}", state.level if state.level is not None else 0)
    if kind == "pass":
        return PassTurn(bidder)
    if kind == "pause":
        return Pause("comfort break")
    if kind == "resume":
        return Resume("break over")
    if kind == "extend":
        return Extend("technical question", seconds=15)
    if kind == "block":
        return draw(st.sampled_from([Block("suspected collusion", bidder), Unblock("cleared", bidder)]))
    return Tick()


def _reserve_problems(message: Any, path: str = "") -> list[str]:
    """Any key about the reserve other than the announced ``reserve_applies`` flag is a leak."""
    problems: list[str] = []
    if isinstance(message, dict):
        for key, value in message.items():
            if "reserve" in key and not (key == "reserve_applies" and isinstance(value, bool)):
                problems.append(f"{path}/{key}")
            problems += _reserve_problems(value, f"{path}/{key}")
    elif isinstance(message, list):
        for i, value in enumerate(message):
            problems += _reserve_problems(value, f"{path}[{i}]")
    return problems


def _check_messages(state: AuctionState, seq: int, now: int) -> None:
    cfg = state.cfg
    welcome = {"type": "welcome", "auction": auction_description(cfg)}
    assert not _reserve_problems(welcome)
    welcome_text = json.dumps(welcome, ensure_ascii=False)
    for seat in cfg.seats:
        message = bidder_state(state, seat.bidder, seq, now)
        text = json.dumps(message, ensure_ascii=False) + welcome_text
        for other_id, name, kvk, agb in SUPPLIERS:
            secrets = [name, kvk, agb, *ALIASES] + ([other_id] if other_id != seat.bidder else [])
            for secret in secrets:
                assert secret not in text, f"{seat.bidder} received {secret!r}: {text}"
        for other, offer in state.standing.items():
            if other != seat.bidder:
                assert offer.bid_id not in text, "another bidder's bid id reached a bidder"
        assert not _reserve_problems(message)
        sealed_stage = cfg.format == "rounds" and state.round == 0  # the sealed initial offers of rounds
        assert message["sealed"] is (cfg.sealed or sealed_stage)
        if message["sealed"]:
            assert message["you"]["rank"] is None
            assert not {"best_total", "ladder"} & message.keys()
            assert "bidder_count" not in message or not cfg.sealed
            assert message["you"].get("bid_to_beat") is None
            assert "bidders_in" not in (message.get("level") or {})
        if not cfg.show_ladder:
            assert "ladder" not in message
    observed = json.dumps(observer_state(state, seq, now), ensure_ascii=False)
    for supplier_id, name, kvk, agb in SUPPLIERS:
        for secret in (supplier_id, name, kvk, agb):
            assert secret not in observed, f"an observer received {secret!r}"
    assert not _reserve_problems(json.loads(observed))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_message_reveals_another_bidders_identity_or_the_reserve(data: st.DataObject) -> None:
    cfg = data.draw(st.composite(lambda draw: _config(draw))())
    state = open_auction(cfg)
    now = T0
    seq = 2
    _check_messages(state, seq, now)
    for n in range(data.draw(st.integers(5, 40))):
        now += data.draw(st.sampled_from([0, 500, 3_000, 11_000]))
        command = _command(data.draw, state, n)
        state, result = run(state, command, now)
        if isinstance(result, list):
            seq += len(result)
        elif isinstance(command, PlaceBid | AcceptLevel | PassTurn):  # a refusal goes to the bidder who sent it
            refusal = json.dumps({"message": result.message, "details": result.details}, ensure_ascii=False)
            for supplier_id, name, kvk, agb in SUPPLIERS:
                others = [name, kvk, agb, *ALIASES] + ([supplier_id] if supplier_id != command.bidder else [])
                assert not [s for s in others if s in refusal], f"{command.bidder} was refused with {refusal}"
        _check_messages(state, seq, now)
    state, _ = run(state, Close("end of the test"), now)
    _check_messages(state, seq + 1, now)


def test_a_scheduled_auction_shows_nothing_of_others_before_it_opens() -> None:
    seats = tuple(Seat(s, ALIASES[i], name, kvk, agb) for i, (s, name, kvk, agb) in enumerate(SUPPLIERS))
    cfg = dataclasses.replace(make_config(bidders=("x",)), seats=seats, show_ladder=True, show_best_total=True)
    from auction.rules.core import INITIAL
    from auction.rules.messages import Create

    state, _ = run(INITIAL, Create(cfg), T0 - 60_000)
    _check_messages(state, 1, T0 - 60_000)
    state, _ = run(state, Start("opening early for the test"), T0 - 30_000)
    _check_messages(state, 2, T0 - 30_000)
