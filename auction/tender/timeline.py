"""The published timeline of the procurement (``[timeline]`` in the tender file) and its milestones in order.

The timeline carries the dates of the seed process (policy published, market consultation, the tender's
questions and responses, selection, invitation, practice and live auction, award, publication). Three dates
already have their one place elsewhere in the tender file and are never repeated here: the questions deadline
is ``[qualification] questions_until``, the standstill is ``[award] standstill`` (counted from ``award``) and the
contract starts on ``[contract_period] start``. :func:`milestones` puts all of them in the published order, with
the terms in working days, for the loader's order check and for ``auction tender show``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import AwareDatetime, Field, model_validator

from qualification.common.models import Frozen
from qualification.common.working_days import add_working_days, working_days_between

MAX_SPAN_DAYS = 3 * 366
"""A timeline whose first date lies more than about three years before the contract starts has a typo in a year."""

_ELSEWHERE = {
    "questions_until": "the questions deadline is [qualification] questions_until",
    "standstill": "the standstill is [award] standstill, counted from timeline → award",
    "contract_start": "the contract starts on [contract_period] start",
}


class Timeline(Frozen):
    """``[timeline]``: the published dates. Every field is optional; those given must be in order."""

    policy_published: date | None = Field(default=None, description="the purchasing policy is published")
    consultation_from: date | None = Field(default=None, description="market consultation (RFI) opens")
    consultation_until: date | None = Field(default=None, description="market consultation (RFI) closes")
    answers_within: int | None = Field(
        default=None,
        ge=1,
        le=60,
        description="the answers to the questions are published within this many working days after the deadline",
    )
    responses_until: AwareDatetime | None = Field(
        default=None, description="the response deadline: a response loaded later needs an accepted reason"
    )
    qualification_by: date | None = Field(default=None, description="selection on the qualitative criteria by")
    invitation: date | None = Field(default=None, description="the admitted suppliers are invited")
    practice_auction: date | None = Field(default=None, description="the practice auction (oefenveiling)")
    live_auction: date | None = Field(default=None, description="the live auction")
    award: date | None = Field(default=None, description="the intention to award; the standstill starts")
    contract_published: date | None = Field(default=None, description="the contracted supplier is published")

    @model_validator(mode="before")
    @classmethod
    def _one_truth(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, where in _ELSEWHERE.items():
                if key in data:
                    raise ValueError(f"{key} does not belong in [timeline]: {where}; give it there, once")
        return data

    @model_validator(mode="after")
    def _consultation(self) -> Timeline:
        if (
            self.consultation_from is not None
            and self.consultation_until is not None
            and self.consultation_until < self.consultation_from
        ):
            raise ValueError(
                f"consultation_until ({self.consultation_until}) is before consultation_from"
                f" ({self.consultation_from}): the market consultation must close after it opens; swap or fix them"
            )
        return self


@dataclass(frozen=True)
class Milestone:
    """One line of the published timeline: the field it comes from, its date (or moment), and a term."""

    field: str  # where it is set, e.g. "timeline → award" or "qualification → questions_until"
    label: str  # in words, English
    label_nl: str
    on: date
    at: datetime | None = None  # a deadline with its time, when the file gives one
    until: date | None = None  # the end of a period (the market consultation)
    working_days: int | None = None  # a term in working days, counted from the previous milestone
    days: int | None = None  # a term in calendar days (the standstill)
    group: int = 0  # milestones of a lower group come first; within a group the order is free


def milestones(
    timeline: Timeline | None,
    questions_until: datetime | None,
    standstill_s: int,
    contract_start: date,
) -> list[Milestone]:
    """The published timeline in order, with the dates set elsewhere in the tender file (see the module)."""
    t = timeline or Timeline()
    found: list[Milestone] = []

    def add(milestone: Milestone) -> None:
        found.append(milestone)

    if t.policy_published is not None:
        add(
            Milestone(
                "timeline → policy_published",
                "publication of the policy",
                "publicatie inkoopbeleid",
                t.policy_published,
            )
        )
    if t.consultation_from is not None or t.consultation_until is not None:
        start = t.consultation_from or t.consultation_until
        assert start is not None
        add(
            Milestone(
                "timeline → consultation_from" if t.consultation_from else "timeline → consultation_until",
                "market consultation (RFI)",
                "marktconsultatie (RFI)",
                start,
                until=t.consultation_until,
            )
        )
    if questions_until is not None:
        add(
            Milestone(
                "qualification → questions_until",
                "questions deadline",
                "uiterste moment voor vragen",
                questions_until.date(),
                at=questions_until,
                group=1,
            )
        )
    answers_by: date | None = None
    if t.answers_within is not None and questions_until is not None:
        answers_by = add_working_days(questions_until.date(), t.answers_within)
        add(
            Milestone(
                "timeline → answers_within",
                "publication of the answers (nota van inlichtingen)",
                "publicatie antwoorden (nota van inlichtingen)",
                answers_by,
                working_days=t.answers_within,
                group=2,
            )
        )
    if t.responses_until is not None:
        since = answers_by or (questions_until.date() if questions_until is not None else None)
        add(
            Milestone(
                "timeline → responses_until",
                "response deadline",
                "uiterste moment voor inschrijvingen",
                t.responses_until.date(),
                at=t.responses_until,
                working_days=None if since is None else working_days_between(since, t.responses_until.date()),
                group=3,
            )
        )
    for group, (name, label, label_nl) in enumerate(
        (
            ("qualification_by", "selection on the qualitative criteria", "selectie op kwalitatieve criteria"),
            ("invitation", "invitation of the admitted suppliers", "uitnodiging toegelaten leveranciers"),
            ("practice_auction", "practice auction", "oefenveiling"),
            ("live_auction", "live auction", "veiling"),
            ("award", "intention to award", "voornemen tot gunning"),
        ),
        start=4,
    ):
        value = getattr(t, name)
        if value is not None:
            add(Milestone(f"timeline → {name}", label, label_nl, value, group=group))
    if t.award is not None:
        days = -(-standstill_s // 86400)  # whole days, rounded up
        ends = t.award + timedelta(days=days)
        add(
            Milestone(
                "award → standstill",
                "end of the standstill",
                "einde bezwaartermijn",
                ends,
                days=days,
                working_days=working_days_between(t.award, ends),
                group=9,
            )
        )
    if t.contract_published is not None:
        add(
            Milestone(
                "timeline → contract_published",
                "publication of the contracted supplier",
                "publicatie gecontracteerde leverancier",
                t.contract_published,
                group=10,
            )
        )
    add(Milestone("contract_period → start", "start of the contract", "ingang contract", contract_start, group=11))
    found.sort(key=lambda m: (m.group, m.on))
    return found


def check_order(found: list[Milestone]) -> None:
    """Refuse milestones out of their published order, or a timeline that reaches implausibly far back.

    Dates are compared by calendar day (a deadline's time of day does not count); equal days are allowed.
    """
    for i, earlier in enumerate(found):
        for later in found[i + 1 :]:
            if later.group > earlier.group and later.on < (earlier.until or earlier.on):
                raise ValueError(
                    f"the timeline is out of order: {later.field} ({later.on}) is before {earlier.field}"
                    f" ({earlier.until or earlier.on}), but the {earlier.label} comes before the {later.label}; put"
                    " the dates in the order of the procedure (docs/formats.md, [timeline])"
                )
    first = min(found, key=lambda m: m.on)
    last = found[-1]
    if (last.on - first.on).days > MAX_SPAN_DAYS:
        raise ValueError(
            f"the timeline is not plausible: {first.field} ({first.on}) is more than three years before"
            f" {last.field} ({last.on}); check the years"
        )


def _when(milestone: Milestone) -> str:
    if milestone.until is not None and milestone.until != milestone.on:
        return f"{milestone.on} – {milestone.until}"
    if milestone.at is not None:
        offset = milestone.at.strftime("%z")
        return f"{milestone.at:%Y-%m-%d %H:%M} {offset[:3]}:{offset[3:]}"
    return str(milestone.on)


def _term(milestone: Milestone, language: str) -> str:
    nl = language == "nl"
    if milestone.working_days is None:
        return ""
    n = milestone.working_days
    if milestone.days is not None:
        return f"{milestone.days} dagen ({n} werkdagen)" if nl else f"{milestone.days} days ({n} working days)"
    if milestone.field == "timeline → answers_within":
        return f"binnen {n} werkdagen" if nl else f"within {n} working days"
    return f"{n} werkdagen na de vorige datum" if nl else f"{n} working days after the previous date"


def timeline_lines(found: list[Milestone], language: str = "en") -> list[str]:
    """The published timeline as ``auction tender show`` prints it: date, what, the term, where it is set."""
    lines = []
    for milestone in found:
        label = milestone.label_nl if language == "nl" else milestone.label
        term = _term(milestone, language)
        what = f"{label}, {term}" if term else label
        lines.append(f"{_when(milestone):<25} {what:<62} [{milestone.field}]")
    return lines
