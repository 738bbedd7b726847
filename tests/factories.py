"""Small builders for core tests: an auction configuration without any files."""

from __future__ import annotations

from auction.rules.config import AuctionConfig, InsurerShare, Line, Seat
from auction.rules.core import INITIAL, AuctionState, decide, evolve
from auction.rules.messages import Command, Create, Event, Rejection

T0 = 1_790_000_000_000  # a fixed "now" (ms); tests move time by adding to it


def make_config(
    *,
    lines: tuple[Line, ...] = (
        Line("A", "drink feed", "bottle", 1000, 200),
        Line("B", "tube feed", "pack", 500, 400),
    ),
    decrement_percent: str | None = "1",
    decrement_amount: int | None = None,
    window_s: int = 60,
    extension_s: int = 60,
    max_extensions: int | None = None,
    practice: bool = False,
    bidders: tuple[str, ...] = ("s1", "s2", "s3"),
    duration_s: int = 600,
    opens_at: int = T0,
    standstill_s: int = 86400,
) -> AuctionConfig:
    return AuctionConfig(
        auction_id="T-L1-live",
        tender_id="T",
        tender_title="Test tender",
        lot_id="L1",
        lot_name="Lot 1",
        practice=practice,
        lines=lines,
        price_decimals=2,
        decrement_percent=decrement_percent if decrement_amount is None else None,
        decrement_amount=decrement_amount,
        extension_window_s=window_s,
        extension_s=extension_s,
        max_extensions=max_extensions,
        show_bidder_count=True,
        show_best_total=False,
        opens_at_ms=opens_at,
        duration_s=duration_s,
        seats=tuple(
            Seat(b, f"Bieder {chr(65 + i)}", f"Supplier {b} B.V.", f"{i + 1:08d}", f"{i + 11:08d}")
            for i, b in enumerate(bidders)
        ),
        insurers=(InsurerShare("i1", "Insurer One", 3), InsurerShare("i2", "Insurer Two", 1)),
        contract_start="2027-01-01",
        contract_end="2028-12-31",
        admission_hash="0" * 64,
        standstill_s=standstill_s,
        on_downtime="extend",
        concept_contract_version="1.0",
        concept_contract_hash="c" * 64,
    )


def run(state: AuctionState, command: Command, now: int) -> tuple[AuctionState, list[Event] | Rejection]:
    """decide then evolve, as the runner does (minus the journal)."""
    result = decide(state, command, now)
    if isinstance(result, Rejection):
        return state, result
    for event in result:
        state = evolve(state, event)
    return state, result


def open_auction(config: AuctionConfig | None = None, now: int = T0) -> AuctionState:
    from auction.rules.messages import Tick

    state, _ = run(INITIAL, Create(config or make_config()), now - 1000)
    state, _ = run(state, Tick(), now)
    return state
