"""The clarification round ("nota van inlichtingen"): suppliers' questions, the answers, and the numbered notices.

Before the responses are due, a supplier may ask questions about the tender until the question deadline. The
organiser records each question (:func:`receive_question`, which applies :func:`check_question_deadline`),
answers it (:func:`answer_question`), and issues a numbered, dated notice to all suppliers (:func:`next_notice`)
with every answered question not yet published. A notice may also publish a change to the qualification criteria
(:func:`describe_criteria_changes` puts it in words); it is the only way the frozen criteria may change.

Questions are published anonymised (:func:`anonymise`, with the identities from :func:`identities_of` or
:func:`supplier_identities`): a notice never shows who asked, neither by name, KvK or AGB number, contact,
e-mail address nor supplier id, and lists questions by number, never grouped by supplier.

Everything here is pure: no clock, no files, no journal. Times are passed in, and the same notice always renders
to the same bytes, in Dutch (rendered by :mod:`auction.documents.clarification_notice`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import AwareDatetime, Field, field_validator, model_validator

from qualification.common.models import ID_PATTERN, Frozen
from qualification.reasons import format_number
from qualification.responses import Supplier

__all__ = [
    "MARKER",
    "Notice",
    "NoticeResult",
    "Question",
    "anonymise",
    "answer_question",
    "check_question_deadline",
    "describe_criteria_changes",
    "identities_of",
    "next_notice",
    "receive_question",
    "supplier_identities",
]

MARKER = "[leverancier]"
"""What every supplier identity in a published question or answer is replaced with."""


# ------------------------------------------------------------------------------------------------------ data


class Question(Frozen):
    """A supplier's question, its answer once given, and the notice that published it.

    ``number`` counts the tender's questions from 1 in the order they were recorded. ``notice`` is set when a
    notice publishes the question; from then on the answer is final.
    """

    number: int = Field(ge=1)
    supplier_id: str = Field(pattern=ID_PATTERN)
    received_at: AwareDatetime
    text: str
    criterion_id: str | None = Field(default=None, pattern=ID_PATTERN)
    answer: str | None = None
    answered_at: AwareDatetime | None = None
    notice: int | None = Field(default=None, ge=1)

    @field_validator("text", "answer")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty")
        return value

    @model_validator(mode="after")
    def _answer_consistent(self) -> Question:
        if (self.answer is None) != (self.answered_at is None):
            raise ValueError("answer and answered_at go together: give both or neither")
        if self.answered_at is not None and self.answered_at < self.received_at:
            raise ValueError(
                f"question {self.number} answered at {_when(self.answered_at)}, "
                f"before it was received at {_when(self.received_at)}"
            )
        if self.notice is not None and self.answer is None:
            raise ValueError(f"question {self.number} is in notice {self.notice} but has no answer")
        return self


class Notice(Frozen):
    """A clarification notice ("Nota van inlichtingen {number}") as issued to all suppliers.

    ``questions`` are the questions it publishes, in number order, each answered and carrying this notice's
    number; their text and answer are the anonymised, published wording. ``supplier_id`` stays on each question
    for the organiser's record: the renderings never show it, and the record itself is not for publication.
    ``criteria_changes`` are Dutch sentences (:func:`describe_criteria_changes`); with changes, the notice names
    the new criteria version and hash, without changes it names neither.
    """

    number: int = Field(ge=1)
    issued_on: date
    tender_id: str = Field(pattern=ID_PATTERN)
    tender_title: str = Field(min_length=1)
    organiser: str = Field(min_length=1)
    questions: tuple[Question, ...] = ()
    criteria_changes: tuple[str, ...] = ()
    criteria_version: int | None = Field(default=None, ge=1)
    criteria_hash: str | None = Field(default=None, min_length=1)
    # A change of the published tender itself (lots, lines, rules, timeline, concept contract): Dutch sentences
    # and the version of the published tender this notice brings into force.
    tender_changes: tuple[str, ...] = ()
    tender_version: int | None = Field(default=None, ge=2)
    tender_hash: str | None = Field(default=None, min_length=1)

    @field_validator("tender_title", "organiser")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("criteria_changes", "tender_changes")
    @classmethod
    def _sentences(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not sentence.strip() for sentence in value):
            raise ValueError("a criteria change must not be empty")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Notice:
        if not self.questions and not self.criteria_changes and not self.tender_changes:
            raise ValueError(f"notice {self.number} has neither questions nor criteria or tender changes")
        if bool(self.tender_changes) != (self.tender_version is not None and self.tender_hash is not None):
            raise ValueError(
                f"notice {self.number}: a change of the tender needs its sentences, the new version and its hash"
            )
        numbers = [question.number for question in self.questions]
        if numbers != sorted(set(numbers)):
            raise ValueError(f"notice {self.number}: questions must be in number order, each once: {numbers}")
        for question in self.questions:
            if question.answer is None:
                raise ValueError(f"notice {self.number}: question {question.number} has no answer")
            if question.notice != self.number:
                raise ValueError(
                    f"notice {self.number}: question {question.number} is marked as published in "
                    f"notice {question.notice}"
                )
        has_criteria = self.criteria_version is not None or self.criteria_hash is not None
        if self.criteria_changes and (self.criteria_version is None or self.criteria_hash is None):
            raise ValueError(f"notice {self.number} changes the criteria: give the new criteria version and hash")
        if has_criteria and not self.criteria_changes:
            raise ValueError(
                f"notice {self.number} names a criteria version or hash but no criteria change; "
                "give both with the changes, or neither"
            )
        return self


@dataclass(frozen=True)
class NoticeResult:
    """What :func:`next_notice` issues: the notice, all questions updated, and those still waiting for an answer."""

    notice: Notice
    questions: tuple[Question, ...]  # every question given, in number order; the published ones carry the notice
    still_open: tuple[int, ...]  # numbers of the unanswered questions, for a later notice

    @property
    def open_count(self) -> int:
        return len(self.still_open)


# ----------------------------------------------------------------------------------------------------- rules


def _when(moment: datetime) -> str:
    """``2026-06-16 10:00 +02:00``: the time as given, with its offset (seconds only when there are any)."""
    shown = moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second or moment.microsecond else "%Y-%m-%d %H:%M")
    offset = moment.utcoffset()
    if offset is None:
        return f"{shown} (no time zone)"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{shown} {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _aware(moment: datetime, what: str) -> None:
    if moment.utcoffset() is None:
        raise ValueError(f"{what} {moment.isoformat()} has no time zone; give it with its offset (e.g. +02:00)")


def check_question_deadline(received_at: datetime, deadline: datetime, now: datetime) -> None:
    """Refuse a question received after the question deadline, or "received" after ``now`` (in the future).

    A question received exactly at the deadline is on time. All three times must carry a time zone.
    """
    _aware(received_at, "received_at")
    _aware(deadline, "the question deadline")
    _aware(now, "now")
    if received_at > now:
        raise ValueError(f"question received {_when(received_at)} is in the future (now is {_when(now)})")
    if received_at > deadline:
        raise ValueError(f"question received {_when(received_at)}, after the question deadline {_when(deadline)}")


def receive_question(
    questions: Sequence[Question],
    *,
    supplier_id: str,
    received_at: datetime,
    text: str,
    deadline: datetime,
    now: datetime,
    criterion_id: str | None = None,
    criterion_ids: Collection[str] | None = None,
) -> Question:
    """A new question, numbered after the tender's ``questions`` so far; the deadline is checked.

    With ``criterion_ids`` (the ids of the current criteria), a ``criterion_id`` not among them is refused.
    """
    check_question_deadline(received_at, deadline, now)
    if not text.strip():
        raise ValueError(f"the question of supplier {supplier_id!r} is empty")
    if criterion_id is not None and criterion_ids is not None and criterion_id not in criterion_ids:
        raise ValueError(f"the question is about criterion {criterion_id!r}, which is not among the criteria")
    number = max((question.number for question in questions), default=0) + 1
    return Question(
        number=number,
        supplier_id=supplier_id,
        received_at=received_at,
        text=text.strip(),
        criterion_id=criterion_id,
    )


def answer_question(question: Question, text: str, at: datetime) -> Question:
    """The question with ``text`` as its answer, given at ``at``.

    Answering again before the question is published replaces the answer; once a notice has published it, the
    answer is final and a new answer is refused.
    """
    if question.notice is not None:
        raise ValueError(
            f"question {question.number} was already published in notice {question.notice}; "
            "a published answer cannot be changed"
        )
    if not text.strip():
        raise ValueError(f"the answer to question {question.number} is empty")
    _aware(at, "the answer time")
    if at < question.received_at:
        raise ValueError(
            f"answer to question {question.number} at {_when(at)} is before the question was received "
            f"({_when(question.received_at)})"
        )
    return question.model_copy(update={"answer": text.strip(), "answered_at": at})


def next_notice(
    questions: Sequence[Question],
    criteria_changes: Sequence[str] = (),
    *,
    earlier: Sequence[Notice],
    issued_on: date,
    tender_id: str,
    tender_title: str,
    organiser: str,
    identities: Mapping[str, Iterable[str]],
    criteria_version: int | None = None,
    criteria_hash: str | None = None,
    tender_changes: Sequence[str] = (),
    tender_version: int | None = None,
    tender_hash: str | None = None,
) -> NoticeResult:
    """The next notice: every answered question not yet in a notice, anonymised, and the criteria changes.

    ``questions`` are all the tender's questions so far; ``earlier`` the notices issued before (numbered 1, 2, …),
    so this one is number ``len(earlier) + 1``. ``identities`` maps each supplier id to the strings that identify
    that supplier (:func:`supplier_identities`); every supplier who asked a published question must be in it. The
    identities of all suppliers given are removed from every published question and answer, so a question that
    names another supplier does not show that one either.

    Unanswered questions stay for a later notice (``still_open``). A notice with neither questions nor criteria
    changes is refused.
    """
    numbers = [question.number for question in questions]
    repeated = sorted({number for number in numbers if numbers.count(number) > 1})
    if repeated:
        raise ValueError(f"question numbers given more than once: {', '.join(map(str, repeated))}")
    for position, notice in enumerate(earlier, start=1):
        if notice.number != position:
            raise ValueError(f"the earlier notices must be numbered 1, 2, …; number {position} is {notice.number}")
        if notice.tender_id != tender_id:
            raise ValueError(f"earlier notice {notice.number} is for tender {notice.tender_id}, not {tender_id}")
    number = len(earlier) + 1
    if earlier and issued_on < earlier[-1].issued_on:
        raise ValueError(
            f"notice {number} dated {issued_on.isoformat()} would be before notice {earlier[-1].number} "
            f"({earlier[-1].issued_on.isoformat()})"
        )
    ordered = sorted(questions, key=lambda question: question.number)
    for question in ordered:
        if question.notice is not None and question.notice >= number:
            raise ValueError(
                f"question {question.number} is marked as published in notice {question.notice}, "
                f"but only {len(earlier)} notices were issued before"
            )
    due = [question for question in ordered if question.notice is None and question.answer is not None]
    still_open = tuple(question.number for question in ordered if question.answer is None)
    changes = tuple(" ".join(sentence.split()) for sentence in criteria_changes)
    tender_sentences = tuple(" ".join(sentence.split()) for sentence in tender_changes)
    if not due and not changes and not tender_sentences:
        waiting = f" ({len(still_open)} still unanswered)" if still_open else ""
        raise ValueError(
            f"nothing to publish in notice {number}: no answered question awaits publication{waiting} "
            "and no criteria or tender change is given"
        )
    missing = sorted({question.supplier_id for question in due if question.supplier_id not in identities})
    if missing:
        raise ValueError(
            f"no identities given for supplier(s) {', '.join(missing)}, who asked a question to publish; "
            "pass at least their names so the questions can be anonymised"
        )
    everyone = [identity for supplier_id, names in identities.items() for identity in (supplier_id, *names)]
    for question in due:
        answered = question.answered_at.date() if question.answered_at is not None else issued_on
        if answered > issued_on:
            raise ValueError(
                f"question {question.number} was answered on {answered.isoformat()}, "
                f"after the notice date {issued_on.isoformat()}: date the notice on or after the answer"
            )
    # The organiser's record keeps the original wording; the notice has the anonymised one.
    published = {question.number: question.model_copy(update={"notice": number}) for question in due}
    notice = Notice(
        number=number,
        issued_on=issued_on,
        tender_id=tender_id,
        tender_title=tender_title,
        organiser=organiser,
        questions=tuple(
            question.model_copy(
                update={
                    "text": anonymise(question.text, everyone),
                    "answer": anonymise(question.answer or "", everyone),
                }
            )
            for question in published.values()
        ),
        criteria_changes=changes,
        criteria_version=criteria_version,
        criteria_hash=criteria_hash,
        tender_changes=tender_sentences,
        tender_version=tender_version,
        tender_hash=tender_hash,
    )
    updated = tuple(published.get(question.number, question) for question in ordered)
    return NoticeResult(notice=notice, questions=updated, still_open=still_open)


# ------------------------------------------------------------------------------------------------ anonymity

# Legal forms written after a Dutch or foreign company name, and the ones written before it.
_SUFFIXES = (
    "B.V.",
    "BV",
    "N.V.",
    "NV",
    "V.O.F.",
    "VOF",
    "C.V.",
    "CV",
    "U.A.",
    "UA",
    "W.A.",
    "B.A.",
    "GmbH",
    "AG",
    "Ltd.",
    "Ltd",
    "Limited",
    "Inc.",
    "Inc",
    "LLC",
    "S.A.",
    "SA",
    "S.p.A.",
    "SpA",
    "S.L.",
    "SL",
    "SAS",
    "in oprichting",
    "i.o.",
)
_PREFIXES = ("Stichting", "Vereniging", "Coöperatie", "Coöperatieve", "Cooperatie", "Cooperatieve", "Maatschap")
_SUFFIX = re.compile(r"[\s,]+(?:" + "|".join(re.escape(suffix) for suffix in _SUFFIXES) + r")[\s,.]*$", re.IGNORECASE)
_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(prefix) for prefix in _PREFIXES) + r")\s+", re.IGNORECASE)
_TRADE_NAME = re.compile(r"\s+(?:h\.?o\.?d\.?n\.?|handelend onder de naam)\s+", re.IGNORECASE)

# An identity shorter than this is only replaced as a whole word ("ABC" in "ABC levert", not in "fABCriek");
# a longer one wherever it occurs, together with the rest of the word (and the whole e-mail address) it is in.
_MIN_INSIDE_WORD = 4
_WORD_CHAR = re.compile(r"\w")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _without_legal_form(name: str) -> str:
    bare = " ".join(name.split())
    while True:
        shorter = _PREFIX.sub("", _SUFFIX.sub("", bare)).strip(" ,")
        if shorter == bare or not shorter:
            return bare
        bare = shorter


def identities_of(
    *,
    supplier_id: str | None = None,
    name: str | None = None,
    kvk: str | None = None,
    agb: str | None = None,
    contact_name: str | None = None,
    email: str | None = None,
    others: Iterable[str] = (),
) -> tuple[str, ...]:
    """The strings that identify a supplier, for :func:`anonymise`; sorted, each once.

    From the name also the name without its legal form ("Klaverveld Thuisvoeding B.V." → "Klaverveld
    Thuisvoeding", "Stichting Zorgvoeding" → "Zorgvoeding") and the trade name after "h.o.d.n."; from the e-mail
    address also its domain. A shorter trade name ("Klaverveld") cannot be derived safely from the legal name:
    pass it in ``others``.
    """
    found: list[str] = [value for value in (supplier_id, kvk, agb, contact_name, email) if value]
    found.extend(others)
    if name:
        for part in (name, *_TRADE_NAME.split(name)):
            found.extend((part, _without_legal_form(part)))
    if email and "@" in email:
        found.append(email.rsplit("@", 1)[1])
    unique: dict[str, str] = {}
    for value in found:
        tidy = " ".join(value.split())
        if tidy:
            unique.setdefault(tidy.casefold(), tidy)
    return tuple(sorted(unique.values(), key=lambda value: (value.casefold(), value)))


def supplier_identities(supplier: Supplier, *, others: Iterable[str] = ()) -> tuple[str, ...]:
    """:func:`identities_of` a supplier of a response: id, name (with and without legal form), KvK, AGB, contact.

    ``others``: further names the supplier is known by, such as a shorter trade name.
    """
    return identities_of(
        supplier_id=supplier.id,
        name=supplier.name,
        kvk=supplier.kvk,
        agb=supplier.agb,
        contact_name=supplier.contact.name,
        email=supplier.contact.email,
        others=others,
    )


@dataclass(frozen=True)
class _Identity:
    pattern: re.Pattern[str]  # matched against the case-folded text
    whole_word: bool
    starts_word: bool
    ends_word: bool


def _compile(identities: Iterable[str]) -> list[_Identity]:
    by_folded: dict[str, str] = {}
    for identity in identities:
        tidy = " ".join(identity.split())
        if tidy:
            by_folded.setdefault(tidy.casefold(), tidy)
    compiled: list[_Identity] = []
    for folded, tidy in sorted(by_folded.items(), key=lambda item: (-len(item[1]), item[0])):
        pattern = re.compile(r"\s+".join(re.escape(word) for word in folded.split()))
        compiled.append(
            _Identity(
                pattern=pattern,
                whole_word=len(tidy) < _MIN_INSIDE_WORD,
                starts_word=bool(_WORD_CHAR.match(folded[0])),
                ends_word=bool(_WORD_CHAR.match(folded[-1])),
            )
        )
    return compiled


def _fold(value: str) -> tuple[str, list[int], list[int]]:
    """The case-folded text; for each of its characters the index of the character it came from; and for each
    character of ``value`` (and its end) where its folded form starts."""
    pieces: list[str] = []
    owner: list[int] = []
    first: list[int] = []
    for index, char in enumerate(value):
        folded = char.casefold()
        first.append(len(owner))
        pieces.append(folded)
        owner.extend([index] * len(folded))
    first.append(len(owner))
    return "".join(pieces), owner, first


def _is_word(value: str, index: int) -> bool:
    return 0 <= index < len(value) and bool(_WORD_CHAR.match(value[index]))


def _spans(value: str, identity: _Identity) -> list[tuple[int, int]]:
    """Where ``identity`` occurs in ``value``, as spans of ``value`` to replace, left to right, not overlapping."""
    folded, owner, first = _fold(value)
    emails = [match.span() for match in _EMAIL.finditer(value)]
    spans: list[tuple[int, int]] = []
    position = 0
    while (match := identity.pattern.search(folded, position)) is not None:
        start, end = owner[match.start()], owner[match.end() - 1] + 1
        position = match.start() + 1
        if start < (spans[-1][1] if spans else 0):
            continue
        split_start = match.start() > 0 and owner[match.start() - 1] == start
        split_end = match.end() < len(folded) and owner[match.end()] == end - 1
        if identity.whole_word:
            if (
                split_start
                or split_end
                or (identity.starts_word and _is_word(value, start - 1))
                or (identity.ends_word and _is_word(value, end))
            ):
                continue
        else:
            while _is_word(value, start - 1):
                start -= 1
            while _is_word(value, end):
                end += 1
        for email_start, email_end in emails:  # a match in an e-mail address takes the whole address
            if email_start < end and start < email_end:
                start, end = min(start, email_start), max(end, email_end)
        spans.append((start, end))
        position = max(position, first[end])
    return spans


def anonymise(text: str, identities: Iterable[str]) -> str:
    """``text`` with every occurrence of each identity replaced by :data:`MARKER` ("[leverancier]").

    Matching ignores case and treats any run of white space as one space; longer identities go first, so
    "Klaverveld Thuisvoeding B.V." becomes one marker, not a marker followed by "Thuisvoeding B.V.". An identity
    of four characters or more is also found inside a word, and then the whole word goes ("Klaverveldzorg",
    "NL12345678B01"); a shorter one only as a word of its own. An e-mail address that contains an identity is
    replaced as a whole. The result does not contain any identity of four characters or more, in any case
    (unless the identity is a piece of the marker itself, such as "leve", or contains "[" or "]").
    """
    compiled = _compile(identities)
    pieces: list[tuple[str, bool]] = [(text, False)]  # (text, is a marker); markers are never searched again
    changed = True
    while changed:
        changed = False
        for identity in compiled:
            replaced: list[tuple[str, bool]] = []
            for piece, is_marker in pieces:
                spans = [] if is_marker else _spans(piece, identity)
                if not spans:
                    replaced.append((piece, is_marker))
                    continue
                changed = True
                cursor = 0
                for start, end in spans:
                    replaced.extend(((piece[cursor:start], False), (MARKER, True)))
                    cursor = end
                replaced.append((piece[cursor:], False))
            pieces = [(piece, is_marker) for piece, is_marker in replaced if piece]
    return "".join(piece for piece, _ in pieces)


# ------------------------------------------------------------------------------------------ criteria changes

_LABELS = {
    "group": "groep",
    "kind": "soort",
    "question_nl": "vraag",
    "question_en": "vraag (Engels)",
    "type": "soort antwoord",
    "expected": "vereist antwoord",
    "min": "min",
    "max": "max",
    "unit": "eenheid (Engels)",
    "unit_nl": "eenheid",
    "options": "antwoordmogelijkheden",
    "allowed": "toegestane antwoorden",
    "review_answers": "antwoorden die beoordeling vragen",
    "evidence": "bewijsstuk",
    "evidence_required": "bewijsstuk verplicht",
    "espd_code": "ESPD-code",
    "source": "bron",
    "weight": "weging",
    "score_from": "antwoord voor 0 punten",
    "score_to": "antwoord voor alle punten",
    "points": "punten per antwoord",
}
_VALUES_NL = {
    "kind": {"knock-out": "knock-out", "scored": "gewogen", "informational": "informatief"},
    "type": {"yes_no": "ja/nee", "number": "getal", "date_not_passed": "datum (niet verstreken)", "choice": "keuze"},
}
_NUMBER_TEXT = re.compile(r"^-?\d+(?:\.\d+)?$")
_NONE = "(geen)"


def _canonical(value: Any) -> Any:
    """A form that compares equal when two values read the same (5, 5.0, Decimal("5"), "5"; list or tuple)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        try:
            return ("number", Decimal(str(value)).normalize())
        except InvalidOperation:
            return ("text", str(value))
    if isinstance(value, str):
        if _NUMBER_TEXT.match(value):
            return ("number", Decimal(value).normalize())
        return ("text", " ".join(value.split()))
    if isinstance(value, Mapping):
        return ("map", tuple(sorted((str(key), _canonical(item)) for key, item in value.items())))
    if isinstance(value, list | tuple):
        return ("list", tuple(_canonical(item) for item in value))
    return ("other", json.dumps(value, sort_keys=True, default=str))


def _show(field: str, value: Any) -> str:
    """A criterion's value in Dutch: numbers as ``2.500.000`` or ``0,5``, yes/no as ja/nee, text in quotes."""
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float | Decimal) or (isinstance(value, str) and _NUMBER_TEXT.match(value)):
        try:
            return format_number(Decimal(str(value)), "nl")
        except InvalidOperation:
            return str(value)
    if isinstance(value, str):
        tidy = " ".join(value.split())
        return _VALUES_NL.get(field, {}).get(tidy, f"'{tidy}'")
    if isinstance(value, Mapping):
        if not value:
            return _NONE
        return ", ".join(f"'{key}' = {_show(field, value[key])}" for key in sorted(value, key=str))
    if isinstance(value, list | tuple):
        return ", ".join(_show(field, item) for item in value) if value else _NONE
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _by_id(criteria: Sequence[Mapping[str, Any]], which: str) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for index, criterion in enumerate(criteria):
        criterion_id = criterion.get("id")
        if not isinstance(criterion_id, str) or not criterion_id:
            raise ValueError(f"{which} criteria[{index}] has no id")
        if criterion_id in found:
            raise ValueError(f"{which} criteria: id {criterion_id} occurs more than once")
        found[criterion_id] = criterion
    return found


def _field_order(field: str) -> tuple[int, str]:
    order = list(_LABELS)
    return (order.index(field), field) if field in _LABELS else (len(order), field)


def describe_criteria_changes(old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The differences between two versions of the criteria as Dutch sentences, one per criterion, by id.

    ``"Criterium DV-02 is gewijzigd: max van 5 naar 3."`` (several fields in one sentence, separated by ``;``),
    ``"Criterium KB-04 is toegevoegd: <question_nl>"``, ``"Criterium DV-07 is vervallen."``. Criteria are plain
    dicts (``Criterion.model_dump(mode="json")``); a field that is missing counts as not set. The order of the
    criteria in the file is not a change.
    """
    before = _by_id(old, "old")
    after = _by_id(new, "new")
    sentences: list[str] = []
    for criterion_id in sorted(before.keys() | after.keys()):
        if criterion_id not in after:
            sentences.append(f"Criterium {criterion_id} is vervallen.")
            continue
        if criterion_id not in before:
            question = after[criterion_id].get("question_nl")
            if not isinstance(question, str) or not question.strip():
                raise ValueError(f"new criterion {criterion_id} has no question_nl")
            sentences.append(f"Criterium {criterion_id} is toegevoegd: {' '.join(question.split())}")
            continue
        was, now = before[criterion_id], after[criterion_id]
        parts: list[str] = []
        for field in sorted((was.keys() | now.keys()) - {"id"}, key=_field_order):
            old_value, new_value = was.get(field), now.get(field)
            if _canonical(old_value) == _canonical(new_value):
                continue
            label = _LABELS.get(field, field)
            parts.append(f"{label} van {_show(field, old_value)} naar {_show(field, new_value)}")
        if parts:
            sentences.append(f"Criterium {criterion_id} is gewijzigd: {'; '.join(parts)}.")
    return tuple(sentences)


# ------------------------------------------------------------------------------------------------ rendering
