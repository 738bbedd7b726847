"""The state of one auction, as the pure core folds it from the journal: immutable, one value per event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from types import MappingProxyType
from typing import Any

from auction.rules.bid_ids import BidIds
from auction.rules.config import AuctionConfig, Level
from auction.rules.lifecycle import Phase


@dataclass(frozen=True)
class StandingBid:
    """A bidder's current offer: its last accepted bid (which is also its best, as bids must improve)."""

    bid_id: str
    prices: Mapping[str, int]  # read-only (a mapping proxy): a folded state cannot be changed in place
    total: int
    at: int
    order: int  # position of this bid among all accepted bids; breaks ties (earlier wins)
    ranked: int  # the figure bids are ranked by: the total, or with MEAT the quality-weighted total


NO_OFFERS: Mapping[str, StandingBid] = MappingProxyType({})


@dataclass(frozen=True)
class AuctionState:
    phase: Phase = Phase.NEW
    config: AuctionConfig | None = None
    closes_at: int | None = None
    paused_at: int | None = None
    extensions: int = 0
    # bidder -> standing bid; read-only (a mapping proxy): evolve makes a new one, nobody changes it in place
    standing: Mapping[str, StandingBid] = field(default_factory=lambda: NO_OFFERS)
    bid_ids: BidIds = field(default_factory=BidIds)  # shared append-only log: see auction/bid_ids.py
    bid_count: int = 0
    contract: dict[str, Any] | None = None  # the intended (then definitive, then signed) contract
    standstill_ends: int | None = None
    objections: tuple[tuple[str, str, int], ...] = ()  # (bidder, text, received at)
    signed: tuple[str, str] | None = None  # (signatory, date on the contract)
    blocked: frozenset[str] = frozenset()  # bidders the organiser stopped from bidding
    # Closing "quiet": the latest the close may move to (the opening plus the auction's duration).
    latest_close: int | None = None
    # Japanese and Dutch: the level standing now, who accepted it, who dropped out.
    level: int | None = None
    accepted: frozenset[str] = frozenset()
    dropped: frozenset[str] = frozenset()
    # Fixed-turn rounds: 0 is the sealed initial-offer stage; from 1 on, one turn per bidder per round.
    round: int = 0
    turn_order: tuple[str, ...] = ()
    turn_position: int = 0
    leading: str | None = None  # the bidder ranked first, kept up to date by evolve (no sort per bid)

    def changed(self, **changes: Any) -> AuctionState:
        """This state with ``changes``: what ``evolve`` returns for every event.

        ``dataclasses.replace`` re-runs ``__init__`` over every field (5-10 µs, once per event, measured by
        scripts/bench-core). This copies the fields instead and keeps the cached ranking unless the offers change.
        """
        assert changes.keys() <= _FIELDS, sorted(changes.keys() - _FIELDS)
        values = dict(self.__dict__)
        if "standing" in changes:
            values.pop("_ranked", None)
            values.pop("_ranks", None)
        values.update(changes)
        new = object.__new__(AuctionState)
        new.__dict__.update(values)
        return new

    @property
    def cfg(self) -> AuctionConfig:
        if self.config is None:
            raise ValueError("the auction has not been created")
        return self.config

    # The ranking is computed once per state (states are immutable): publishing a state to every connected
    # bidder asks each one's rank, and that must not sort the offers once per bidder.
    @cached_property
    def _ranked(self) -> tuple[tuple[str, StandingBid], ...]:
        return tuple(sorted(self.standing.items(), key=lambda item: (item[1].ranked, item[1].order)))

    @cached_property
    def _ranks(self) -> dict[str, int]:
        return {who: position for position, (who, _) in enumerate(self._ranked, start=1)}

    def ranking(self) -> list[tuple[str, StandingBid]]:
        """Bidders best first: lowest ranked figure, then earliest."""
        return list(self._ranked)

    def rank_of(self, bidder: str) -> int | None:
        return self._ranks.get(bidder)

    def offer_at(self, rank: int) -> StandingBid | None:
        """The standing offer at ``rank`` (1 = best; -1 = last), without copying the ranking."""
        ranked = self._ranked
        index = rank - 1 if rank > 0 else len(ranked) + rank
        return ranked[index][1] if 0 <= index < len(ranked) else None

    def leader(self) -> str | None:
        return self.leading

    def best(self) -> StandingBid | None:
        return None if self.leading is None else self.standing[self.leading]

    @property
    def current_level(self) -> Level | None:
        return None if self.level is None else self.cfg.levels[self.level]

    @property
    def on_turn(self) -> str | None:
        """Fixed-turn rounds: the bidder whose turn it is (None in the initial-offer stage)."""
        if self.round == 0 or not self.turn_order:
            return None
        return self.turn_order[self.turn_position]


_FIELDS = frozenset(f.name for f in fields(AuctionState))

INITIAL = AuctionState()


def leader_after(state: AuctionState, bidder: str, bid: StandingBid, standing: Mapping[str, StandingBid]) -> str:
    """Who ranks first once ``bidder``'s offer is ``bid`` (``standing`` already holds it): one comparison, except
    when the leader's own new bid does not beat its old one on the (ranked, order) key, which only a
    quality-weighted tie can cause; then every offer is compared."""
    leading = state.leading
    if leading is None:
        return bidder
    old = state.standing[leading]
    if (bid.ranked, bid.order) < (old.ranked, old.order):
        return bidder
    if leading != bidder:
        return leading
    return min(standing.items(), key=lambda item: (item[1].ranked, item[1].order))[0]
