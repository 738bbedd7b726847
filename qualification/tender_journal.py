"""The tender's audit journal: every qualification decision as an event, and the state they fold into.

It is the same hash-chained journal as the auctions' (stream ``tender:{id}``), so one verification proves both.
What the organiser decides here — the tender published (and each later version with the notice that published
it), the criteria frozen, questions and clarification notices, responses received
(with the hashes of their documents), each review and override with its justification, the admission list —
is an event; the database tables beside it hold content (files, verdicts) and are checked against the hashes.

The module is pure: :func:`fold` turns the entries' (type, payload) pairs into a :class:`QualificationState`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

from qualification.evaluation import Decision

STREAM_PREFIX = "tender:"


def stream_for(tender_id: str) -> str:
    return f"{STREAM_PREFIX}{tender_id}"


@dataclass(frozen=True)
class TenderEvent:
    type: ClassVar[str] = ""
    # Fields added after the format was first published: left out of the payload while they are None, so every
    # event written before they existed (and every event that does not use them) hashes exactly as before.
    LATER_FIELDS: ClassVar[frozenset[str]] = frozenset()
    at: int  # server time, milliseconds since the Unix epoch (UTC)

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        for name in self.LATER_FIELDS:
            if data[name] is None:
                del data[name]
        return data


@dataclass(frozen=True)
class CriteriaFrozen(TenderEvent):
    """A version of the criteria, fixed: version 1 when responses open, later ones only through a notice."""

    type: ClassVar[str] = "CriteriaFrozen"
    version: int
    criteria_hash: str
    criteria: dict[str, Any]
    notice: int | None  # the clarification notice that published this version; None for version 1


@dataclass(frozen=True)
class QuestionRecorded(TenderEvent):
    type: ClassVar[str] = "QuestionRecorded"
    number: int
    supplier_id: str
    supplier_name: str
    received_at: str  # ISO 8601 with offset
    text: str
    criterion_id: str | None


@dataclass(frozen=True)
class QuestionAnswered(TenderEvent):
    type: ClassVar[str] = "QuestionAnswered"
    number: int
    answer: str


@dataclass(frozen=True)
class NoticeIssued(TenderEvent):
    type: ClassVar[str] = "NoticeIssued"
    number: int
    issued_on: str  # ISO date
    questions: list[int]
    markdown_sha256: str
    html_sha256: str
    criteria_version: int | None
    criteria_hash: str | None


@dataclass(frozen=True)
class ResponseImported(TenderEvent):
    type: ClassVar[str] = "ResponseImported"
    supplier_id: str
    format: str  # "json", "xlsx" or "csv"
    file_name: str
    file_sha256: str  # the file as received
    response_hash: str  # canonical JSON of the response as read: what was evaluated
    criteria_version: int
    documents: list[dict[str, Any]]  # {"name", "sha256", "size"} per document received
    missing_documents: list[str]  # named in the answers, not received
    # Loaded (``at``) after the published response deadline: the organiser's accepted reason. Absent when on time.
    late_reason: str | None = None
    LATER_FIELDS: ClassVar[frozenset[str]] = frozenset({"late_reason"})


@dataclass(frozen=True)
class QualificationEvaluated(TenderEvent):
    type: ClassVar[str] = "QualificationEvaluated"
    evaluated_on: str  # ISO date
    criteria_version: int
    criteria_hash: str
    verdicts_hash: str
    admitted: int
    excluded: int
    pending_review: int


@dataclass(frozen=True)
class FindingDecided(TenderEvent):
    """The organiser resolved a review or overrode a finding; the justification is required."""

    type: ClassVar[str] = "FindingDecided"
    supplier_id: str
    criterion_id: str
    decision: str  # "review" (resolving needs_review) or "override"
    outcome: str  # "pass" or "fail"
    previous: str  # the outcome before this decision
    justification: str


@dataclass(frozen=True)
class AdmissionFrozen(TenderEvent):
    type: ClassVar[str] = "AdmissionFrozen"
    admission_hash: str
    admitted: list[str]
    excluded: list[str]
    verdicts_hash: str
    evaluated_on: str


@dataclass(frozen=True)
class TenderPublished(TenderEvent):
    """A version of the published tender: what the suppliers were told, whole. Version 1 is the publication;
    later versions only come with the clarification notice (``notice``) that published the change."""

    type: ClassVar[str] = "TenderPublished"
    version: int
    notice: int | None
    tender_hash: str  # canonical_hash of ``tender``
    tender: dict[str, Any]  # the tender document: insurers, lots, lines, volumes, ceilings, auction and award rules
    concept_contract_version: str
    concept_contract_sha256: str  # of the concept contract's text as published
    criteria_version: int
    criteria_hash: str


TENDER_EVENT_TYPES: dict[str, type[TenderEvent]] = {
    cls.type: cls
    for cls in (
        TenderPublished,
        CriteriaFrozen,
        QuestionRecorded,
        QuestionAnswered,
        NoticeIssued,
        ResponseImported,
        QualificationEvaluated,
        FindingDecided,
        AdmissionFrozen,
    )
}


@dataclass
class QuestionState:
    number: int
    supplier_id: str
    supplier_name: str
    received_at: str
    text: str
    criterion_id: str | None
    answer: str | None = None
    answered_at: int | None = None
    notice: int | None = None


@dataclass
class DecisionState:
    supplier_id: str
    criterion_id: str
    decision: str
    outcome: str
    previous: str
    justification: str
    at: int
    seq: int


@dataclass
class QualificationState:
    """What the tender's journal says so far."""

    seq: int = 0
    criteria_versions: list[CriteriaFrozen] = field(default_factory=list)
    questions: dict[int, QuestionState] = field(default_factory=dict)
    notices: list[NoticeIssued] = field(default_factory=list)
    responses: dict[str, ResponseImported] = field(default_factory=dict)
    decisions: list[DecisionState] = field(default_factory=list)
    last_evaluation: QualificationEvaluated | None = None
    last_evaluation_seq: int = 0
    last_response_seq: int = 0
    last_decision_seq: int = 0
    admission: AdmissionFrozen | None = None
    publications: list[TenderPublished] = field(default_factory=list)

    @property
    def published(self) -> TenderPublished | None:
        """The published tender in force (the latest version), or None before publication."""
        return self.publications[-1] if self.publications else None

    @property
    def criteria(self) -> CriteriaFrozen | None:
        return self.criteria_versions[-1] if self.criteria_versions else None

    @property
    def criteria_version(self) -> int:
        return self.criteria_versions[-1].version if self.criteria_versions else 0


def fold(entries: list[tuple[int, str, dict[str, Any]]]) -> QualificationState:
    """The state after the journal's entries, given as (seq, type, payload); unknown types raise ValueError."""
    state = QualificationState()
    for seq, event_type, payload in entries:
        cls = TENDER_EVENT_TYPES.get(event_type)
        if cls is None:
            raise ValueError(f"entry {seq}: unknown tender event type {event_type!r}")
        event: Any = cls(**payload)
        state.seq = seq
        if isinstance(event, TenderPublished):
            state.publications.append(event)
        elif isinstance(event, CriteriaFrozen):
            state.criteria_versions.append(event)
        elif isinstance(event, QuestionRecorded):
            state.questions[event.number] = QuestionState(
                event.number, event.supplier_id, event.supplier_name, event.received_at, event.text, event.criterion_id
            )
        elif isinstance(event, QuestionAnswered):
            state.questions[event.number].answer = event.answer
            state.questions[event.number].answered_at = event.at
        elif isinstance(event, NoticeIssued):
            state.notices.append(event)
            for number in event.questions:
                state.questions[number].notice = event.number
        elif isinstance(event, ResponseImported):
            state.responses[event.supplier_id] = event
            state.last_response_seq = seq
        elif isinstance(event, QualificationEvaluated):
            state.last_evaluation = event
            state.last_evaluation_seq = seq
        elif isinstance(event, FindingDecided):
            state.last_decision_seq = seq
            state.decisions.append(
                DecisionState(
                    event.supplier_id,
                    event.criterion_id,
                    event.decision,
                    event.outcome,
                    event.previous,
                    event.justification,
                    event.at,
                    seq,
                )
            )
        elif isinstance(event, AdmissionFrozen):
            state.admission = event
    return state


def decisions_until(state: QualificationState, seq: int | None = None) -> list[Decision]:
    """The organiser's decisions recorded before entry ``seq`` (all when None), as evaluation takes them.

    The time is the journal's, in UTC, so re-evaluating anywhere gives byte-identical verdicts.
    """
    return [
        Decision(
            supplier_id=d.supplier_id,
            criterion_id=d.criterion_id,
            outcome="pass" if d.outcome == "pass" else "fail",
            justification=d.justification,
            decided_at=datetime.fromtimestamp(d.at / 1000, tz=UTC).isoformat(timespec="seconds"),
            journal_seq=d.seq,
        )
        for d in state.decisions
        if seq is None or d.seq < seq
    ]
