"""Identity rules over every message a bidder or observer can receive, for every visibility setting."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from auction.rules.core import AuctionState
from auction.rules.messages import Close, IntendAward, PlaceBid
from auction.rules.views import auction_description, bidder_state, observer_state
from tests.factories import T0, make_config, open_auction, run

BIDDERS = ("s1", "s2", "s3", "s4")


@settings(max_examples=60, deadline=None)
@given(
    show_count=st.booleans(),
    show_best=st.booleans(),
    bids=st.lists(st.tuples(st.sampled_from(BIDDERS), st.integers(100, 200), st.integers(300, 400)), max_size=12),
    awarded=st.booleans(),
)
def test_no_message_names_another_bidder(
    show_count: bool, show_best: bool, bids: list[tuple[str, int, int]], awarded: bool
) -> None:
    cfg = dataclasses.replace(make_config(bidders=BIDDERS), show_bidder_count=show_count, show_best_total=show_best)
    state: AuctionState = open_auction(cfg)
    for n, (bidder, a, b) in enumerate(bids):
        prices = {"A": f"{a // 100}.{a % 100:02d}", "B": f"{b // 100}.{b % 100:02d}"}
        state, _ = run(state, PlaceBid(bidder, f"bid-{n}", prices), T0 + 1000 + n)
    if awarded:
        state, _ = run(state, Close(reason="end"), T0 + 5000)
        state, _ = run(state, IntendAward(reason="best"), T0 + 6000)
    welcome = json.dumps(auction_description(cfg))
    for seat in cfg.seats:
        assert seat.bidder not in welcome and seat.alias not in welcome and seat.name not in welcome
    for me in BIDDERS:
        text = json.dumps(bidder_state(state, me, 7, T0 + 7000))
        for seat in cfg.seats:
            assert seat.alias not in text, "bidders never see aliases"
            assert seat.name not in text and seat.kvk not in text
            if seat.bidder != me:
                assert f'"{seat.bidder}"' not in text, f"{me} saw {seat.bidder}"
        assert ("bidder_count" in text) == show_count and ("best_total" in text) == show_best
    observed = json.dumps(observer_state(state, 7, T0 + 7000))
    for seat in cfg.seats:
        assert f'"{seat.bidder}"' not in observed and seat.name not in observed and seat.kvk not in observed
