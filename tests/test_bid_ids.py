"""The shared append-only set of bid ids behaves as an immutable set for every state that holds it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auction.rules.bid_ids import BidIds


def test_older_states_do_not_see_later_bids() -> None:
    empty = BidIds()
    one = empty.added("a")
    two = one.added("b")
    assert list(empty) == [] and list(one) == ["a"] and list(two) == ["a", "b"]
    assert "b" not in one and "b" in two and "a" in two
    branch = one.added("c")  # one was already grown by two: the branch copies, two is untouched
    assert list(branch) == ["a", "c"] and list(two) == ["a", "b"] and "c" not in two
    assert one == frozenset({"a"}) and two == BidIds(["b", "a"]) and not empty
    with pytest.raises(ValueError, match="already accepted"):
        two.added("a")


def test_the_empty_set_is_never_grown_in_place() -> None:
    empty = BidIds()
    empty.added("x")
    assert list(empty.added("y")) == ["y"]


@given(st.lists(st.tuples(st.integers(0, 30), st.text(min_size=1, max_size=3)), max_size=60))
def test_any_history_of_branches_matches_frozensets(steps: list[tuple[int, str]]) -> None:
    versions: list[tuple[BidIds, frozenset[str]]] = [(BidIds(), frozenset())]
    for pick, bid_id in steps:
        shared, plain = versions[pick % len(versions)]
        if bid_id in plain:
            continue
        versions.append((shared.added(bid_id), plain | {bid_id}))
        for shared_version, plain_version in versions:
            assert shared_version == plain_version and len(shared_version) == len(plain_version)
