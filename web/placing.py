"""A bidder's bid, acceptance of a price level or pass: the command it becomes, and the frame that answers it.

The answer is a receipt (``bid_accepted``, or ``pass_accepted``) or ``bid_rejected`` with the reason; each says
whether this is the practice auction. It reaches the bidder's outbox before the state snapshot that shows it.
"""

from __future__ import annotations

import logging
from typing import Any

from auction.live.outbox import Outbox
from auction.live.runner import AuctionRunner, Outcome
from auction.rules.messages import AcceptLevel, Command, PassTurn, PlaceBid
from web.context import LOG_NAME
from web.protocol import AcceptMessage, BidMessage, PassMessage, error_frame

log = logging.getLogger(LOG_NAME)

BidderMessage = BidMessage | AcceptMessage | PassMessage


def command_for(bidder: str, message: BidderMessage) -> Command:
    """The auction command ``bidder`` gives with ``message``."""
    if isinstance(message, BidMessage):
        return PlaceBid(bidder, message.bid_id, message.prices, confirmed=message.confirmed)
    if isinstance(message, AcceptMessage):
        return AcceptLevel(bidder, message.bid_id, message.level)
    return PassTurn(bidder)


def answer_for(message: BidderMessage, outcome: Outcome, practice: bool) -> dict[str, Any] | None:
    """The frame that answers ``message`` with its ``outcome`` (None: nothing to say, which the runner never
    leaves a bid or an acceptance with)."""
    bid_id = None if isinstance(message, PassMessage) else message.bid_id
    if outcome.rejection is not None:
        r = outcome.rejection
        rejected = {"type": "bid_rejected", "bid_id": bid_id, "code": r.code, "message": r.message}
        return {**rejected, "details": r.details, "practice": practice}
    if outcome.receipt is not None:
        return {**outcome.receipt, "practice": practice}
    if isinstance(message, PassMessage):
        seq = outcome.entries[-1].seq if outcome.entries else None
        return {"type": "pass_accepted", "seq": seq, "practice": practice}
    return None


async def place(runner: AuctionRunner, bidder: str, message: BidderMessage, outbox: Outbox) -> None:
    """Hand ``bidder``'s message to the auction's writer and put its answer in ``outbox``; a failure to record
    it is said plainly (the bidder must send it again)."""
    command = command_for(bidder, message)
    practice = runner.state.cfg.practice  # every answer says whether this is the practice auction

    def reply(outcome: Outcome) -> None:
        answer = answer_for(message, outcome, practice)
        if answer is not None:
            outbox.push(answer)

    try:
        await runner.submit(command, reply)
    except Exception:
        log.exception("%s from %s could not be recorded", command.kind, bidder)
        bid_id = None if isinstance(message, PassMessage) else message.bid_id
        error = error_frame("not_recorded", "it could not be recorded; it was NOT accepted - send it again")
        outbox.push({**error, "bid_id": bid_id})
