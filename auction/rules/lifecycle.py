"""The auction's lifecycle as data: which command is legal in which phase, and where each event leads.

Rules of this file:
- Every phase and every command kind is listed here and nowhere else decides legality by phase.
- ``decide`` asks :func:`check_allowed` before anything else; an illegal move is refused with the phase and
  the command named, and changes nothing.
- ``evolve`` asks :func:`next_phase`; an event that cannot follow the current phase is a corrupt journal.
"""

from __future__ import annotations

from enum import StrEnum

from qualification.common.errors import VERIFICATION_FAILED, DieetveilingError


class Phase(StrEnum):
    NEW = "new"  # before the creation event; only a replay or a fresh store sees it
    SCHEDULED = "scheduled"
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"
    INTENDED = "intended"  # voornemen tot gunning: the standstill runs, losing bidders may object
    DEFINITIVE = "definitive"  # the award is final; the contract awaits signing
    SIGNED = "signed"  # the contract is signed and runs for the contract period
    NO_AWARD = "no_award"  # the organiser withheld the award, with a reason
    CANCELLED = "cancelled"


# Command kinds legal per phase. "tick" (time passing) is legal everywhere and may produce nothing.
ALLOWED_COMMANDS: dict[Phase, frozenset[str]] = {
    Phase.NEW: frozenset({"create", "tick"}),
    Phase.SCHEDULED: frozenset({"downtime", "tick", "start", "cancel", "block", "unblock", "reset"}),
    Phase.OPEN: frozenset(
        {
            "downtime",
            "tick",
            "bid",
            "accept",
            "pass",
            "bid_for",
            "pause",
            "extend",
            "close",
            "cancel",
            "block",
            "unblock",
            "reset",
        }
    ),
    Phase.PAUSED: frozenset({"downtime", "tick", "resume", "extend", "close", "cancel", "block", "unblock", "reset"}),
    Phase.CLOSED: frozenset({"attest", "tick", "award", "withhold", "reset"}),
    Phase.INTENDED: frozenset({"attest", "tick", "award", "withhold", "object", "definitive"}),
    Phase.DEFINITIVE: frozenset({"attest", "tick", "sign", "publish"}),
    Phase.SIGNED: frozenset({"attest", "tick", "publish"}),
    Phase.NO_AWARD: frozenset({"attest", "tick"}),
    Phase.CANCELLED: frozenset({"attest", "tick", "reset"}),
}

# Commands a bidder sends (and the organiser's phone fallback for them): refused with the bidder's reason.
BIDDER_COMMANDS = frozenset({"bid", "accept", "pass", "bid_for"})

# (phase, event type) -> phase after the event. Events that keep the phase map to the same phase.
TRANSITIONS: dict[tuple[Phase, str], Phase] = {
    (Phase.NEW, "AuctionCreated"): Phase.SCHEDULED,
    (Phase.SCHEDULED, "AuctionOpened"): Phase.OPEN,
    (Phase.SCHEDULED, "DowntimeRecorded"): Phase.SCHEDULED,
    (Phase.OPEN, "DowntimeRecorded"): Phase.OPEN,
    (Phase.PAUSED, "DowntimeRecorded"): Phase.PAUSED,
    (Phase.SCHEDULED, "AuctionCancelled"): Phase.CANCELLED,
    (Phase.OPEN, "BidAccepted"): Phase.OPEN,
    (Phase.OPEN, "CloseExtended"): Phase.OPEN,
    (Phase.OPEN, "AuctionPaused"): Phase.PAUSED,
    (Phase.OPEN, "AuctionClosed"): Phase.CLOSED,
    (Phase.OPEN, "AuctionCancelled"): Phase.CANCELLED,
    (Phase.PAUSED, "AuctionResumed"): Phase.OPEN,
    (Phase.PAUSED, "CloseExtended"): Phase.PAUSED,
    (Phase.PAUSED, "AuctionClosed"): Phase.CLOSED,
    (Phase.PAUSED, "AuctionCancelled"): Phase.CANCELLED,
    **{(Phase.OPEN, t): Phase.OPEN for t in ("LevelStarted", "BidderDroppedOut", "TurnStarted", "TurnEnded")},
    **{
        (phase, t): phase
        for phase in (Phase.SCHEDULED, Phase.OPEN, Phase.PAUSED)
        for t in ("BidderBlocked", "BidderUnblocked")
    },
    **{
        (phase, "PracticeReset"): Phase.SCHEDULED
        for phase in (Phase.SCHEDULED, Phase.OPEN, Phase.PAUSED, Phase.CLOSED, Phase.CANCELLED)
    },
    **{
        (phase, "JournalHeadSigned"): phase
        for phase in (Phase.CLOSED, Phase.INTENDED, Phase.DEFINITIVE, Phase.SIGNED, Phase.NO_AWARD, Phase.CANCELLED)
    },
    (Phase.CLOSED, "AwardIntended"): Phase.INTENDED,
    (Phase.CLOSED, "AwardWithheld"): Phase.NO_AWARD,
    (Phase.INTENDED, "AwardIntended"): Phase.INTENDED,  # a revised intention restarts the standstill
    (Phase.INTENDED, "ObjectionRecorded"): Phase.INTENDED,
    (Phase.INTENDED, "AwardWithheld"): Phase.NO_AWARD,
    (Phase.INTENDED, "AwardMadeDefinitive"): Phase.DEFINITIVE,
    (Phase.DEFINITIVE, "ContractSigned"): Phase.SIGNED,
    (Phase.DEFINITIVE, "AwardPublished"): Phase.DEFINITIVE,
    (Phase.SIGNED, "AwardPublished"): Phase.SIGNED,
}

# Why a bid is refused in a phase where bidding is not possible, in words a bidder understands.
BID_REFUSAL_CODE: dict[Phase, str] = {
    Phase.NEW: "not_open",
    Phase.SCHEDULED: "not_open",
    Phase.PAUSED: "paused",
    Phase.CLOSED: "closed",
    Phase.INTENDED: "closed",
    Phase.DEFINITIVE: "closed",
    Phase.SIGNED: "closed",
    Phase.NO_AWARD: "closed",
    Phase.CANCELLED: "cancelled",
}


class IllegalTransition(DieetveilingError):
    """An event that cannot follow the current phase: the journal is corrupt or out of order."""

    code = "illegal_transition"
    exit_status = VERIFICATION_FAILED


def is_allowed(phase: Phase, command_kind: str) -> bool:
    return command_kind in ALLOWED_COMMANDS[phase]


def next_phase(phase: Phase, event_type: str) -> Phase:
    try:
        return TRANSITIONS[(phase, event_type)]
    except KeyError:
        raise IllegalTransition(f"event {event_type} cannot happen in phase {phase}") from None
