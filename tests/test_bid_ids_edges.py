"""The bid-id set's remaining set behaviour: built from ids with repeats, compared with things that are not sets,
hashed like the frozenset it equals."""

from __future__ import annotations

from auction.rules.bid_ids import BidIds


def test_a_set_built_from_repeated_ids_holds_each_once_in_first_seen_order() -> None:
    ids = BidIds(["b1", "b2", "b1", "b3", "b2"])
    assert list(ids) == ["b1", "b2", "b3"] and len(ids) == 3
    assert ids == {"b1", "b2", "b3"}
    assert list(ids.added("b4")) == ["b1", "b2", "b3", "b4"]


def test_a_bid_id_set_equals_only_sets() -> None:
    ids = BidIds(["b1"])
    assert ids != ["b1"] and ids != "b1" and ids != ("b1",)
    assert ids == frozenset({"b1"}) and ids == {"b1"}


def test_equal_sets_hash_alike_whatever_their_history() -> None:
    grown = BidIds().added("b1").added("b2")
    built = BidIds(["b2", "b1"])
    assert grown == built and hash(grown) == hash(built) == hash(frozenset({"b1", "b2"}))
    assert {grown: "first"}[built] == "first"
