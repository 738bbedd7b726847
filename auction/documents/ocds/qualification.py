"""The qualification part of the OCDS export: criteria as requirements, responses as requirement responses.

Follows the OCDS requirements extension (CCCEV): a criterion holds requirement groups, a group holds
requirements, and a submission answers requirements with requirement responses. Each of our criteria is one
question with one required answer, so it becomes one criterion with one group with one requirement; the ids are
derived from the criterion id (``ALG-01``, ``ALG-01-G1``, ``ALG-01-R1``) and so stay the same in every export.

A supplier's response is a request to participate (a submission of type ``expressionOfInterest`` in the bid
extension): it came before, and decided admission to, the auction, where the price bids are made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from auction.documents.ocds.values import amount, day_start, ms_time, texts, to_ms
from qualification.criteria import CriteriaSet, Criterion
from qualification.evaluation import Verdict
from qualification.responses import SupplierResponse
from qualification.values import AnswerValue

ESPD_SCHEME = "ESPD"

_DATA_TYPE = {
    "yes_no": "boolean",
    "number": "number",
    "date_not_passed": "date-time",
    "document": "string",  # the file name of the attached document; the document itself is not published
    "choice": "string",
}
_REGEX_SPECIAL = set("\\^$.|?*+()[]{}/")


def requirement_id(criterion_id: str) -> str:
    return f"{criterion_id}-R1"


def response_submission_id(supplier_id: str) -> str:
    """The id of a supplier's request to participate among ``bids.details`` (auction bids have ``b-…`` ids)."""
    return f"response-{supplier_id}"


def _number(value: Decimal | int | float) -> int | float:
    return amount(Decimal(str(value)))


def _quoted(options: Iterable[str], joiner: str) -> str:
    items = [f"'{option}'" for option in options]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def _pattern(allowed: Iterable[str]) -> str:
    # The requirement's `pattern` lets a machine check a text answer; escape what a regular expression would read
    # as syntax, and nothing else (an escaped space is not valid in every regex dialect).
    def escape(text: str) -> str:
        return "".join("\\" + char if char in _REGEX_SPECIAL else char for char in text)

    return "^(" + "|".join(escape(option) for option in allowed) + ")$"


def _yes_no(value: bool, language: str) -> str:
    if language == "nl":
        return "ja" if value else "nee"
    return "yes" if value else "no"


def _requirement(criterion: Criterion, evaluated_on: date | None) -> dict[str, Any]:
    requirement: dict[str, Any] = {"id": requirement_id(criterion.id), "dataType": _DATA_TYPE[criterion.type]}
    if criterion.type == "yes_no":
        assert criterion.expected is not None
        requirement["expectedValue"] = criterion.expected
        requirement.update(
            texts(
                "description",
                f"Vereist antwoord: {_yes_no(criterion.expected, 'nl')}.",
                f"Required answer: {_yes_no(criterion.expected, 'en')}.",
            )
        )
    elif criterion.type == "number":
        unit_nl = criterion.unit_nl or criterion.unit or ""
        unit_en = criterion.unit or ""
        bounds_nl: list[str] = []
        bounds_en: list[str] = []
        if criterion.min is not None:
            requirement["minValue"] = _number(criterion.min)
            bounds_nl.append(f"minimaal {criterion.min} {unit_nl}".strip())
            bounds_en.append(f"at least {criterion.min} {unit_en}".strip())
        if criterion.max is not None:
            requirement["maxValue"] = _number(criterion.max)
            bounds_nl.append(f"ten hoogste {criterion.max} {unit_nl}".strip())
            bounds_en.append(f"at most {criterion.max} {unit_en}".strip())
        if criterion.score_from is not None and criterion.score_to is not None:
            bounds_nl.append(f"0 punten bij {criterion.score_from}, alle punten bij {criterion.score_to}")
            bounds_en.append(f"0 points at {criterion.score_from}, full points at {criterion.score_to}")
        # The extension has no unit field: the unit goes into the words.
        requirement.update(
            texts(
                "description",
                f"Een getal in {unit_nl}: {' en '.join(bounds_nl)}.",
                f"A number in {unit_en}: {' and '.join(bounds_en)}.",
            )
        )
    elif criterion.type == "document":
        requirement.update(
            texts(
                "description", "Een bij te voegen document (de bestandsnaam).", "A document to attach (its file name)."
            )
        )
    elif criterion.type == "date_not_passed":
        # minValue is a number in the extension, so "not before the evaluation date" can only be said in words.
        when_nl = f"de beoordelingsdatum ({evaluated_on.isoformat()})" if evaluated_on else "de beoordelingsdatum"
        when_en = f"the evaluation date ({evaluated_on.isoformat()})" if evaluated_on else "the evaluation date"
        requirement.update(
            texts(
                "description",
                f"Een datum die op {when_nl} niet verstreken is.",
                f"A date that has not passed on {when_en}.",
            )
        )
    else:
        allowed = criterion.allowed or criterion.options or ()  # a scored choice accepts every option
        requirement["pattern"] = _pattern(allowed)
        if len(allowed) == 1:
            requirement["expectedValue"] = allowed[0]
        offered = criterion.options or allowed
        requirement.update(
            texts(
                "description",
                f"Toegestaan: {_quoted(allowed, 'of')} (keuze uit {_quoted(offered, 'en')}).",
                f"Allowed: {_quoted(allowed, 'or')} (choice of {_quoted(offered, 'and')}).",
            )
        )
    return requirement


def _criterion_description(criterion: Criterion) -> dict[str, str]:
    if criterion.kind == "knock-out":
        kind_nl = "Knock-outcriterium: wie niet voldoet of niet antwoordt, wordt uitgesloten van de veiling."
        kind_en = "Knock-out criterion: a supplier whose answer fails or is missing is excluded from the auction."
    else:
        kind_nl = "Informatief criterium: wordt beoordeeld en gerapporteerd, maar sluit nooit uit."
        kind_en = "Informational criterion: evaluated and reported, but never excludes."
    nl = f"{criterion.group}. {kind_nl}"
    en = f"{criterion.group}. {kind_en}"
    if criterion.evidence:
        nl += f" Bewijs: {criterion.evidence}"
        en += f" Evidence (in Dutch): {criterion.evidence}"
    return texts("description", nl, en)


def tender_criteria(criteria: CriteriaSet, evaluated_on: date | None) -> list[dict[str, Any]]:
    """``tender.criteria``: every criterion of the criteria file, in file order.

    ``evaluated_on`` is the evaluation date of the qualification, which a ``date_not_passed`` criterion refers to
    (``None`` before evaluation).
    """
    result: list[dict[str, Any]] = []
    for criterion in criteria:
        entry: dict[str, Any] = {"id": criterion.id, **texts("title", criterion.question_nl, criterion.question_en)}
        entry.update(_criterion_description(criterion))
        entry["relatesToTenderer"] = True  # every criterion judges the supplier, none a lot or an item
        if criterion.espd_code:
            # The requirements extension has no classification on a criterion (yet); this is the shape ProZorro
            # and the ESPD use for the EU code, so a consumer that knows it can match our criterion to the EU one.
            entry["classification"] = {"scheme": ESPD_SCHEME, "id": criterion.espd_code}
        entry["requirementGroups"] = [
            {"id": f"{criterion.id}-G1", "requirements": [_requirement(criterion, evaluated_on)]}
        ]
        result.append(entry)
    return result


def response_value(criterion: Criterion, value: AnswerValue) -> bool | int | float | str:
    """An answer as the requirement's data type: dates become date-times, numbers exact JSON numbers."""
    if criterion.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    if criterion.type == "date_not_passed" and isinstance(value, str):
        try:
            return day_start(date.fromisoformat(value))
        except ValueError:  # not a date: evaluation refused it already; keep what was written rather than guess
            return value
    return value


def requirement_responses(
    criteria: CriteriaSet, response: SupplierResponse, verdict: Verdict | None
) -> list[dict[str, Any]]:
    """A supplier's answers as requirement responses, with the evaluation's reason when there is a verdict.

    A missing answer has no response (there is no value to give); the verdict's reasons say it was missing. The
    supplier's evidence file names and remarks stay out: they point into the organiser's files, not to public
    documents.
    """
    findings = {finding.criterion_id: finding for finding in verdict.findings} if verdict else {}
    answers = {answer.criterion: answer for answer in response.answers}
    result: list[dict[str, Any]] = []
    for criterion in criteria:
        answer = answers.get(criterion.id)
        if answer is None:
            continue
        entry: dict[str, Any] = {
            "id": f"{response.supplier.id}-{criterion.id}",
            "value": response_value(criterion, answer.value),
            "requirement": {"id": requirement_id(criterion.id)},
        }
        finding = findings.get(criterion.id)
        if finding is not None:
            entry.update(texts("description", finding.reason_nl, finding.reason_en))
        result.append(entry)
    return result


def request_to_participate(
    criteria: CriteriaSet, response: SupplierResponse, verdict: Verdict | None, tenderer: dict[str, Any]
) -> dict[str, Any]:
    """One entry of ``bids.details`` for a supplier's response: ``valid`` when admitted, ``disqualified`` when
    excluded, ``pending`` while not yet evaluated.

    ``tenderer`` is the supplier's organization reference (id and name of its party).
    """
    if verdict is None:
        status = "pending"
        about = texts("description", "Nog niet beoordeeld.", "Not evaluated yet.")
    elif verdict.admitted:
        status = "valid"
        about = texts(
            "description",
            f"Toegelaten tot de veiling na beoordeling op {verdict.evaluated_on.isoformat()}.",
            f"Admitted to the auction after evaluation on {verdict.evaluated_on.isoformat()}.",
        )
    else:
        status = "disqualified"
        failed = ", ".join(finding.criterion_id for finding in verdict.failures)
        about = texts(
            "description",
            f"Uitgesloten na beoordeling op {verdict.evaluated_on.isoformat()}; niet voldaan aan: {failed}.",
            f"Excluded after evaluation on {verdict.evaluated_on.isoformat()}; failed or missing: {failed}.",
        )
    submission: dict[str, Any] = {
        "id": response_submission_id(response.supplier.id),
        "submissionType": "expressionOfInterest",
        "date": ms_time(to_ms(response.submitted_at)),
        "status": status,
        **about,
        "tenderers": [tenderer],
    }
    answered = requirement_responses(criteria, response, verdict)
    if answered:  # the extension wants at least one response in the list, or no list
        submission["requirementResponses"] = answered
    return submission
