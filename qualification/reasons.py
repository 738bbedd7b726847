"""The words of a finding, in English and Dutch: which answer, to which question, against which requirement.

Numbers follow each language's convention (``2,500,000 EUR`` / ``2.500.000 EUR``), dates are written out
(``31 March 2028`` / ``31 maart 2028``), so a supplier can read the reason for an exclusion as it stands.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from qualification.common.language import day as calendar_day
from qualification.criteria import Criterion

Language = Literal["en", "nl"]
Outcome = Literal["pass", "fail", "needs_review"]
Typed = bool | Decimal | date | str

# One sentence per finding: a head (the answer and the question) and a tail (the requirement, or how a failed
# number or date falls short). Templates are filled with str.format.
_PHRASES: dict[Language, dict[str, str]] = {
    "en": {
        "yes": "'yes'",
        "no": "'no'",
        "or": " or ",
        "answer": "Answer {answer} to '{question}'",
        "no_answer": "No answer to '{question}'",
        "required": "; required: {requirement}.",
        "below": " is below the minimum of {bound}.",
        "above": " is above the maximum of {bound}.",
        "expired": " is before the evaluation date, {today}: expired.",
        "not_allowed": " is not one of the allowed answers: {allowed}.",
        "between": "between {low} and {high}{unit}",
        "at_least": "at least {low}{unit}",
        "at_most": "at most {high}{unit}",
        "not_before": "not before the evaluation date, {today}",
        "informational": " (Informational criterion; does not exclude.)",
        "a_document": "an attached document",
        "document_not_attached": " Needs review: the document '{name}' was named but not received.",
        "answer_for_review": " Needs review: the answer '{name}' is always checked by the organiser.",
        "no_evidence": " Needs review: no evidence document was named.",
        "evidence_not_attached": " Needs review: the evidence '{name}' was named but not received.",
        "score": " Scored: {fraction} of weight {weight}.",
    },
    "nl": {
        "yes": "'ja'",
        "no": "'nee'",
        "or": " of ",
        "answer": "Antwoord {answer} op '{question}'",
        "no_answer": "Geen antwoord op '{question}'",
        "required": "; vereist: {requirement}.",
        "below": " ligt onder het minimum van {bound}.",
        "above": " ligt boven het maximum van {bound}.",
        "expired": " ligt vóór de beoordelingsdatum, {today}: verlopen.",
        "not_allowed": " is geen van de toegestane antwoorden: {allowed}.",
        "between": "tussen {low} en {high}{unit}",
        "at_least": "minimaal {low}{unit}",
        "at_most": "maximaal {high}{unit}",
        "not_before": "niet vóór de beoordelingsdatum, {today}",
        "informational": " (Informatief criterium; leidt niet tot uitsluiting.)",
        "a_document": "een bijgevoegd document",
        "document_not_attached": " Ter beoordeling: het document '{name}' is genoemd maar niet ontvangen.",
        "answer_for_review": " Ter beoordeling: het antwoord '{name}' wordt altijd door de organisator beoordeeld.",
        "no_evidence": " Ter beoordeling: er is geen bewijsstuk genoemd.",
        "evidence_not_attached": " Ter beoordeling: het bewijsstuk '{name}' is genoemd maar niet ontvangen.",
        "score": " Gewogen: {fraction} van gewicht {weight}.",
    },
}


def format_number(number: Decimal, language: Language) -> str:
    """``Decimal("2500000")`` → ``2,500,000`` (en) or ``2.500.000`` (nl); trailing zeros dropped."""
    whole = number == number.to_integral_value()
    number = number.quantize(Decimal(1)) if whole else number.normalize()
    text = f"{number:,f}"
    if language == "nl":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def format_date(day: date, language: Language) -> str:
    return calendar_day(day, language)  # the same words as the award documents


def _quoted_list(items: tuple[str, ...], language: Language) -> str:
    quoted = [f"'{item}'" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + _PHRASES[language]["or"] + quoted[-1]


def _unit(criterion: Criterion, language: Language) -> str:
    unit = criterion.unit_nl if language == "nl" and criterion.unit_nl else criterion.unit
    return f" {unit}" if unit else ""


def _number_with_unit(number: Decimal, criterion: Criterion, language: Language) -> str:
    return format_number(number, language) + _unit(criterion, language)


def requirement(criterion: Criterion, today: date, language: Language) -> str:
    """What the answer must be, e.g. ``at least 2,500,000 EUR`` or ``'nee'``."""
    words = _PHRASES[language]
    if criterion.type == "yes_no":
        return words["yes"] if criterion.expected else words["no"]
    if criterion.type == "number":
        low = format_number(criterion.min, language) if criterion.min is not None else ""
        high = format_number(criterion.max, language) if criterion.max is not None else ""
        which = "between" if low and high else "at_least" if low else "at_most"
        return words[which].format(low=low, high=high, unit=_unit(criterion, language))
    if criterion.type == "date_not_passed":
        return words["not_before"].format(today=format_date(today, language))
    if criterion.type == "document":
        return words["a_document"]
    if criterion.allowed is None and criterion.options is not None:  # a scored choice: every option is valid
        return _quoted_list(criterion.options, language)
    return _quoted_list(criterion.allowed or (), language)


def show_answer(criterion: Criterion, typed: Typed, language: Language) -> str:
    """The supplier's answer in words: ``'ja'``, ``1.000.000 EUR``, ``30 november 2025``, ``'nee'``."""
    if isinstance(typed, bool):
        return _PHRASES[language]["yes" if typed else "no"]
    if isinstance(typed, Decimal):
        return _number_with_unit(typed, criterion, language)
    if isinstance(typed, date):
        return format_date(typed, language)
    return f"'{typed}'"


def _tail(criterion: Criterion, typed: Typed, outcome: Outcome, today: date, language: Language) -> str:
    words = _PHRASES[language]
    if outcome == "fail" and isinstance(typed, Decimal):
        if criterion.min is not None and typed < criterion.min:
            return words["below"].format(bound=_number_with_unit(criterion.min, criterion, language))
        if criterion.max is not None and typed > criterion.max:
            return words["above"].format(bound=_number_with_unit(criterion.max, criterion, language))
    if outcome == "fail" and isinstance(typed, date):
        return words["expired"].format(today=format_date(today, language))
    if outcome == "fail" and criterion.type == "choice":
        return words["not_allowed"].format(allowed=_quoted_list(criterion.allowed or (), language))
    return words["required"].format(requirement=requirement(criterion, today, language))


def reason(criterion: Criterion, typed: Typed | None, outcome: Outcome, today: date, language: Language) -> str:
    """One sentence: the answer (or its absence), the question, and the requirement it met or missed."""
    words = _PHRASES[language]
    question = criterion.question_en if language == "en" else criterion.question_nl
    if typed is None:
        text = words["no_answer"].format(question=question)
        text += words["required"].format(requirement=requirement(criterion, today, language))
    else:
        text = words["answer"].format(answer=show_answer(criterion, typed, language), question=question)
        text += _tail(criterion, typed, outcome, today, language)
    if criterion.kind == "informational":
        text += words["informational"]
    return text


def review_reason(cause: str, name: str, language: Language) -> str:
    """The sentence added when a passing answer still needs the organiser: what is missing or unclear."""
    return _PHRASES[language][cause].format(name=name)


def score_note(fraction: Decimal, weight: Decimal, language: Language) -> str:
    """``Scored: 0.75 of weight 10.`` — the share of the weight this answer earned."""
    shown = format_number(fraction.quantize(Decimal("0.0001")).normalize(), language)
    return _PHRASES[language]["score"].format(fraction=shown, weight=format_number(weight, language))
