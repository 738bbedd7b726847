"""Commands (what someone asks of an auction) and events (what the auction recorded).

Both are immutable values. Events carry every figure the core computed (the total, the new close), so
``evolve`` only applies them and a replay needs no rule but the fold.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any, ClassVar

from auction.rules.config import AuctionConfig
from qualification.common.errors import VERIFICATION_FAILED, DieetveilingError

# ---------------------------------------------------------------------------------------------- commands


@dataclass(frozen=True)
class Create:
    kind: ClassVar[str] = "create"
    config: AuctionConfig


@dataclass(frozen=True)
class Tick:
    """Time has passed; the core opens or closes the auction when a deadline is reached."""

    kind: ClassVar[str] = "tick"


@dataclass(frozen=True)
class PlaceBid:
    kind: ClassVar[str] = "bid"
    bidder: str
    bid_id: str
    prices: dict[str, str]  # line id -> price per unit as a decimal string ("2.35")
    entered_by: str = "bidder"  # "bidder", or "organiser" for a bid taken by phone
    confirmed: bool = False  # the bidder confirmed a bid far below its reference (``far_below_percent``)
    reason: str = ""  # a bid entered by the organiser: why (e.g. "bidder's connection failed; phoned 10:42")


@dataclass(frozen=True)
class AcceptLevel:
    """Japanese and Dutch auctions: the bidder accepts the announced price level ``level`` (the one it saw)."""

    kind: ClassVar[str] = "accept"
    bidder: str
    bid_id: str
    level: int
    entered_by: str = "bidder"
    reason: str = ""


@dataclass(frozen=True)
class PassTurn:
    """Fixed-turn rounds: the bidder on turn keeps its offer and ends its turn."""

    kind: ClassVar[str] = "pass"
    bidder: str


@dataclass(frozen=True)
class OrganiserCommand:
    """Base of the organiser's controls; each needs a written reason that goes into the journal."""

    kind: ClassVar[str] = ""
    reason: str


@dataclass(frozen=True)
class Start(OrganiserCommand):
    kind: ClassVar[str] = "start"


@dataclass(frozen=True)
class Pause(OrganiserCommand):
    kind: ClassVar[str] = "pause"


@dataclass(frozen=True)
class Resume(OrganiserCommand):
    """Resume bidding: the time left when paused is restored, or (``seconds`` > 0) the close is set anew."""

    kind: ClassVar[str] = "resume"
    seconds: int = 0


@dataclass(frozen=True)
class Block(OrganiserCommand):
    """Stop a bidder from bidding (its standing offer stays); ``reason`` is recorded, never shown to others."""

    kind: ClassVar[str] = "block"
    bidder: str = ""


@dataclass(frozen=True)
class Unblock(OrganiserCommand):
    kind: ClassVar[str] = "unblock"
    bidder: str = ""


@dataclass(frozen=True)
class EnterBid(OrganiserCommand):
    """The phone fallback: the organiser enters a bid (or, by levels, an acceptance) on a bidder's behalf.

    ``prices`` is "LINE=PRICE,LINE=PRICE"; ``level`` is the accepted level for Japanese and Dutch auctions.
    """

    kind: ClassVar[str] = "bid_for"
    bidder: str = ""
    bid_id: str = ""
    prices: str = ""
    level: int = -1


@dataclass(frozen=True)
class ResetPractice(OrganiserCommand):
    """Reset a practice auction to scheduled, with no bids, opening ``seconds`` from now."""

    kind: ClassVar[str] = "reset"
    seconds: int = 60


@dataclass(frozen=True)
class Extend(OrganiserCommand):
    kind: ClassVar[str] = "extend"
    seconds: int = 0


@dataclass(frozen=True)
class Close(OrganiserCommand):
    kind: ClassVar[str] = "close"


@dataclass(frozen=True)
class Cancel(OrganiserCommand):
    kind: ClassVar[str] = "cancel"


@dataclass(frozen=True)
class IntendAward(OrganiserCommand):
    """Voornemen tot gunning: award the lot to the offer at ``rank`` (1 unless the better ones are passed over).

    The shell fills in the journal head (the last entry before this decision) so the contract can name it.
    """

    kind: ClassVar[str] = "award"
    rank: int = 1
    journal_head_seq: int = 0
    journal_head_hash: str = ""
    journal_head_signature: str = ""
    journal_head_public_key: str = ""


@dataclass(frozen=True)
class WithholdAward(OrganiserCommand):
    kind: ClassVar[str] = "withhold"


@dataclass(frozen=True)
class RecordObjection(OrganiserCommand):
    """A losing bidder's objection, received by the organiser during the standstill; ``reason`` is its text."""

    kind: ClassVar[str] = "object"
    bidder: str = ""


@dataclass(frozen=True)
class MakeDefinitive(OrganiserCommand):
    kind: ClassVar[str] = "definitive"


@dataclass(frozen=True)
class SignContract(OrganiserCommand):
    kind: ClassVar[str] = "sign"
    signatory: str = ""
    signed_on: str = ""  # ISO date on the signed contract


@dataclass(frozen=True)
class PublishAward(OrganiserCommand):
    """The award notice went public; its SHA-256 is recorded so anyone can check the published text."""

    kind: ClassVar[str] = "publish"
    notice_hash: str = ""
    url: str = ""


@dataclass(frozen=True)
class AttestHead:
    """The server's signature over the journal's head (made by the shell, which holds the key)."""

    kind: ClassVar[str] = "attest"
    head_seq: int
    head_hash: str
    signature: str
    public_key: str
    reason: str  # why now: "close"


@dataclass(frozen=True)
class RecordDowntime:
    """The server was down from ``down_from`` to ``down_to`` (its last heartbeat, its restart): record it."""

    kind: ClassVar[str] = "downtime"
    down_from: int
    down_to: int


Command = (
    Create | Tick | PlaceBid | AcceptLevel | PassTurn | AttestHead | RecordDowntime | OrganiserCommand
)  # organiser commands: Start, Pause, … PublishAward
BidderCommand = PlaceBid | AcceptLevel | PassTurn

ORGANISER_COMMANDS: dict[str, type[OrganiserCommand]] = {
    cls.kind: cls
    for cls in (
        Start,
        Pause,
        Resume,
        Extend,
        Close,
        Cancel,
        Block,
        Unblock,
        EnterBid,
        ResetPractice,
        IntendAward,
        WithholdAward,
        RecordObjection,
        MakeDefinitive,
        SignContract,
        PublishAward,
    )
}


@dataclass(frozen=True)
class Rejection:
    """A refused command: a stable ``code`` for programs, a ``message`` for people, ``details`` for both."""

    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------ events


@dataclass(frozen=True)
class Event:
    type: ClassVar[str] = ""
    at: int  # server time, milliseconds since the Unix epoch (UTC)

    # Fields added after journals were first written: left out of the payload while they hold their default, so
    # an event means, and hashes, exactly what the same event meant before the field existed.
    LATER_FIELDS: ClassVar[frozenset[str]] = frozenset()

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        if isinstance(self, AuctionCreated):
            data["config"] = self.config.to_dict()
        for name in self.LATER_FIELDS:
            if data[name] == _DEFAULTS[type(self)][name]:
                del data[name]
        return data


@dataclass(frozen=True)
class AuctionCreated(Event):
    type: ClassVar[str] = "AuctionCreated"
    config: AuctionConfig


@dataclass(frozen=True)
class AuctionOpened(Event):
    type: ClassVar[str] = "AuctionOpened"
    closes_at: int
    by: str  # "schedule" or "organiser"
    reason: str


@dataclass(frozen=True)
class BidAccepted(Event):
    type: ClassVar[str] = "BidAccepted"
    bid_id: str
    bidder: str
    prices: dict[str, int]  # line id -> price units
    total: int  # volume-weighted total, price units
    entered_by: str
    reason: str = ""  # why the organiser entered it (bids entered by the organiser only)
    LATER_FIELDS: ClassVar[frozenset[str]] = frozenset({"reason"})


@dataclass(frozen=True)
class CloseExtended(Event):
    type: ClassVar[str] = "CloseExtended"
    closes_at: int
    by: str  # "anti-sniping" or "organiser"
    reason: str


@dataclass(frozen=True)
class LevelStarted(Event):
    """Japanese and Dutch auctions: a new price level is announced and stands until ``ends_at``."""

    type: ClassVar[str] = "LevelStarted"
    level: int
    percent: str
    total: int
    ends_at: int


@dataclass(frozen=True)
class BidderDroppedOut(Event):
    """Japanese auctions: the bidder did not accept ``level`` in time and is out for good."""

    type: ClassVar[str] = "BidderDroppedOut"
    bidder: str
    level: int


@dataclass(frozen=True)
class TurnStarted(Event):
    """Fixed-turn rounds: ``bidder``'s turn (position ``position`` in ``order``) in ``round`` until ``ends_at``."""

    type: ClassVar[str] = "TurnStarted"
    round: int
    position: int
    bidder: str
    order: tuple[str, ...]  # the round's order: worst-ranked first
    ends_at: int


@dataclass(frozen=True)
class TurnEnded(Event):
    type: ClassVar[str] = "TurnEnded"
    round: int
    bidder: str
    how: str  # "bid", "pass", "timeout" or "blocked"


@dataclass(frozen=True)
class BidderBlocked(Event):
    type: ClassVar[str] = "BidderBlocked"
    bidder: str
    reason: str


@dataclass(frozen=True)
class BidderUnblocked(Event):
    type: ClassVar[str] = "BidderUnblocked"
    bidder: str
    reason: str


@dataclass(frozen=True)
class PracticeReset(Event):
    """A practice auction starts over: no bids, scheduled to open at ``opens_at``."""

    type: ClassVar[str] = "PracticeReset"
    opens_at: int
    reason: str


@dataclass(frozen=True)
class AuctionPaused(Event):
    type: ClassVar[str] = "AuctionPaused"
    reason: str


@dataclass(frozen=True)
class AuctionResumed(Event):
    type: ClassVar[str] = "AuctionResumed"
    closes_at: int  # the close moved by the time the auction stood still
    reason: str


@dataclass(frozen=True)
class AuctionClosed(Event):
    type: ClassVar[str] = "AuctionClosed"
    by: str  # "schedule" or "organiser"
    reason: str


@dataclass(frozen=True)
class AuctionCancelled(Event):
    type: ClassVar[str] = "AuctionCancelled"
    reason: str


@dataclass(frozen=True)
class AwardIntended(Event):
    """Voornemen tot gunning: the contract for every participating insurer, derived by the core from the
    closing ranking, and the end of the standstill period."""

    type: ClassVar[str] = "AwardIntended"
    rank: int
    contract: dict[str, Any]
    standstill_ends: int
    reason: str


@dataclass(frozen=True)
class AwardWithheld(Event):
    type: ClassVar[str] = "AwardWithheld"
    reason: str


@dataclass(frozen=True)
class ObjectionRecorded(Event):
    type: ClassVar[str] = "ObjectionRecorded"
    bidder: str
    text: str


@dataclass(frozen=True)
class AwardMadeDefinitive(Event):
    type: ClassVar[str] = "AwardMadeDefinitive"
    objections: int  # how many objections were on record when the organiser decided
    reason: str


@dataclass(frozen=True)
class ContractSigned(Event):
    type: ClassVar[str] = "ContractSigned"
    signatory: str
    signed_on: str
    reason: str


@dataclass(frozen=True)
class AwardPublished(Event):
    type: ClassVar[str] = "AwardPublished"
    notice_hash: str
    url: str
    reason: str


@dataclass(frozen=True)
class DowntimeRecorded(Event):
    type: ClassVar[str] = "DowntimeRecorded"
    down_from: int
    down_to: int
    closes_at: int | None  # the close after applying the tender's rule (None before opening)
    rule: str  # "extend" or "keep"


@dataclass(frozen=True)
class JournalHeadSigned(Event):
    type: ClassVar[str] = "JournalHeadSigned"
    head_seq: int
    head_hash: str
    signature: str
    public_key: str
    reason: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (
        AuctionCreated,
        AuctionOpened,
        BidAccepted,
        CloseExtended,
        AuctionPaused,
        AuctionResumed,
        AuctionClosed,
        AuctionCancelled,
        AwardIntended,
        AwardWithheld,
        ObjectionRecorded,
        AwardMadeDefinitive,
        ContractSigned,
        AwardPublished,
        JournalHeadSigned,
        DowntimeRecorded,
        LevelStarted,
        BidderDroppedOut,
        TurnStarted,
        TurnEnded,
        BidderBlocked,
        BidderUnblocked,
        PracticeReset,
    )
}


_DEFAULTS: dict[type[Event], dict[str, Any]] = {
    cls: {f.name: f.default for f in fields(cls) if f.default is not MISSING} for cls in EVENT_TYPES.values()
}


class UnknownEvent(DieetveilingError):
    """A journal entry of a type or with fields this version does not know: a corrupt or foreign journal."""

    code = "unknown_event"
    exit_status = VERIFICATION_FAILED


def event_from_payload(event_type: str, payload: dict[str, Any]) -> Event:
    """Rebuild an event from its journal form; unknown types or fields raise (a corrupt or foreign journal)."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEvent(f"unknown event type {event_type!r}")
    names = {f.name for f in fields(cls)}
    # Fields added later have defaults: a journal written before them lacks them, and means the default.
    required = {f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING}
    if not required <= set(payload) <= names:
        raise UnknownEvent(f"{event_type} fields {sorted(payload)} do not match {sorted(names)}")
    values = dict(payload)
    if cls is AuctionCreated:
        values["config"] = AuctionConfig.from_dict(payload["config"])
    if cls is TurnStarted:
        values["order"] = tuple(payload["order"])
    return cls(**values)
