"""Simulated bidders: real WebSocket clients of docs/protocol.md, for the demo, tests and benchmarks.

A simulated bidder has a floor (the lowest total it will accept, as a fraction of the ceiling total). While
the auction is open and it is not leading, it undercuts its own last bid by the minimum decrement plus a
random margin, never below its floor. In a Japanese or Dutch auction it accepts every level whose total is at
or above its floor; in fixed-turn rounds it places an initial offer, then on each of its turns improves its
offer (or keeps it when it leads or is at its floor). Randomness comes from the ``random.Random`` it is given.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from auction.rules.money import format_price, parse_price

TERMINAL = {"closed", "awarded", "cancelled"}


@dataclass
class SimulatedBidder:
    ws_url: str  # ws://host:port/ws/bidder/{auction}?token=…
    rng: random.Random
    floor: float = 0.8  # will not bid a total below floor × ceiling total
    think_s: tuple[float, float] = (0.2, 1.0)
    accepted: int = 0
    rejected: int = 0
    last_state: dict[str, Any] = field(default_factory=dict)
    rejections: list[str] = field(default_factory=list)

    async def run(self) -> None:
        """Bid until the auction closes; reconnects when the connection drops."""
        delay = 0.5
        while True:
            try:
                async with connect(self.ws_url, compression=None, open_timeout=10) as ws:
                    delay = 0.5
                    if await self._session(ws):
                        return
            except (ConnectionClosed, OSError, TimeoutError):
                await asyncio.sleep(delay)
                delay = min(delay * 2, 8.0)

    async def _session(self, ws: ClientConnection) -> bool:
        welcome = json.loads(await ws.recv())
        if welcome.get("type") == "session":
            # The link's secret was one-time: reconnect with the session it was exchanged for.
            self.ws_url = self.ws_url.split("?", 1)[0] + "?session=" + welcome["session"]
            welcome = json.loads(await ws.recv())
        if welcome.get("type") == "error":
            raise RuntimeError(f"simulated bidder refused: {welcome['message']}")
        auction = welcome["auction"]
        decimals = auction["price_decimals"]
        lines = [(line["id"], line["volume"], parse_price(line["ceiling"], decimals)) for line in auction["lines"]]
        ceiling_total = sum(volume * ceiling for _, volume, ceiling in lines)
        floor_total = int(ceiling_total * self.floor)
        pending: set[str] = set()
        bidding: asyncio.Task[None] | None = None
        try:
            async for frame in ws:
                message = json.loads(frame)
                kind = message["type"]
                if kind == "state":
                    self.last_state = message
                    if message["phase"] in TERMINAL:
                        return True
                    if message["phase"] == "open" and bidding is None:
                        bidding = asyncio.create_task(self._bid_loop(ws, lines, decimals, floor_total, pending))
                elif kind == "bid_accepted":
                    self.accepted += 1
                    pending.discard(message["bid_id"])
                elif kind == "bid_rejected":
                    self.rejected += 1
                    self.rejections.append(message["code"])
                    pending.discard(message["bid_id"])
            return False
        finally:
            if bidding is not None:
                bidding.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await bidding

    async def _bid_loop(
        self,
        ws: ClientConnection,
        lines: list[tuple[str, int, int]],
        decimals: int,
        floor_total: int,
        pending: set[str],
    ) -> None:
        acted: set[tuple[int, int | None]] = set()  # the levels accepted / turns taken, so each is acted on once
        while True:
            await asyncio.sleep(self.rng.uniform(*self.think_s))
            state = self.last_state
            if state.get("phase") != "open" or pending:
                continue
            you = state["you"]
            level = state.get("level")
            if level is not None:
                key = (level["level"], None)
                wanted = parse_price(level["total"], decimals) >= floor_total
                if wanted and not (level["accepted"] or level["out"]) and key not in acted:
                    acted.add(key)
                    bid_id = self._bid_id()
                    pending.add(bid_id)
                    await ws.send(json.dumps({"type": "accept", "bid_id": bid_id, "level": level["level"]}))
                continue
            turn = state.get("round")
            if turn is not None and turn["stage"] == "turns":
                key = (turn["round"], turn["position"])
                if not turn["your_turn"] or key in acted:
                    continue
                acted.add(key)
                prices = None if you["rank"] == 1 else self._next_prices(lines, decimals, you, floor_total)
                if prices is None:
                    await ws.send(json.dumps({"type": "pass"}))
                    continue
            elif turn is not None:  # the sealed initial-offer stage: one offer
                if you["last_bid"] is not None:
                    continue
                prices = self._next_prices(lines, decimals, you, floor_total)
            else:
                if you["rank"] == 1:
                    continue
                prices = self._next_prices(lines, decimals, you, floor_total)
            if prices is None:
                continue  # at its floor: this bidder stops improving
            bid_id = self._bid_id()
            pending.add(bid_id)
            await ws.send(json.dumps({"type": "bid", "bid_id": bid_id, "prices": prices}))

    def _bid_id(self) -> str:
        return f"sim-{uuid.UUID(int=self.rng.getrandbits(128))}"

    def _next_prices(
        self, lines: list[tuple[str, int, int]], decimals: int, you: dict[str, Any], floor_total: int
    ) -> dict[str, str] | None:
        max_total = parse_price(you["max_total"], decimals)
        if you["last_bid"] is None:
            current = {line_id: ceiling for line_id, _, ceiling in lines}
        else:
            current = {k: parse_price(v, decimals) for k, v in you["last_bid"]["prices"].items()}
        current_total = sum(current[line_id] * volume for line_id, volume, _ in lines)
        extra = Decimal(str(self.rng.uniform(0.0, 0.015)))
        target = min(max_total, int(Decimal(max_total) * (1 - extra)))
        if target < floor_total:
            target = floor_total
        if target >= current_total and you["last_bid"] is not None:
            return None
        factor = Decimal(target) / Decimal(current_total)
        prices = {line_id: max(1, int(Decimal(current[line_id]) * factor)) for line_id, _, _ in lines}
        total = sum(prices[line_id] * volume for line_id, volume, _ in lines)
        # Rounding down per line keeps the total at or under the target; a last check guards the rule.
        if total > max_total or total < floor_total:
            return None
        return {line_id: format_price(units, decimals) for line_id, units in prices.items()}
