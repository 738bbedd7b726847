"""The documents of qualification: the organiser's report, the findings as CSV, and a letter to each supplier.

Everything here is pure: criteria, verdicts and a :class:`QualificationSummary` (what the tender's journal says:
criteria version, responses received with their documents' hashes, the organiser's decisions, the admission
list) go in; :class:`~auction.documents.Document` objects (Markdown and a self-contained HTML page, built from
the same blocks as the award documents) and CSV text come out. No clock, database or file is read, so the same
inputs always give the same bytes.

* :func:`qualification_report` is for the organiser and anyone who must check the qualification later (an
  auditor, a judge): every supplier, every finding with the answer, outcome and reason, the quality-score
  formula, every organiser decision with its justification beside the rules' own outcome, and the SHA-256 of
  every document judged.
* :func:`findings_csv` is the same findings as a table (one row per supplier × criterion), safe to open in Excel.
* :func:`supplier_letter` is the decision to one supplier: admitted (with its quality score) or excluded (citing
  each failed knock-out criterion with the supplier's own answer and the reason). A letter only ever contains
  that supplier's own data.

The documents are in Dutch by default; ``language="en"`` gives the same in English.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from auction.documents.award import Document
from auction.documents.blocks import (
    Block,
    Code,
    Column,
    Facts,
    Heading,
    Lines,
    Paragraph,
    Strong,
    Table,
    Text,
    render_html,
    render_markdown,
)
from auction.documents.words import AMSTERDAM, WORDS, fill, local_time, moment
from qualification.admission import admission_hash
from qualification.common.language import Language, check_language, day
from qualification.criteria import CriteriaSet, Criterion
from qualification.evaluation import Finding, Verdict
from qualification.reasons import format_number, requirement, show_answer
from qualification.responses import SupplierResponse
from qualification.tender_journal import QualificationState
from qualification.values import show

__all__ = [
    "CSV_COLUMNS",
    "QualificationSummary",
    "ReceivedResponse",
    "RecordedDecision",
    "findings_csv",
    "qualification_report",
    "summary_from_responses",
    "summary_from_state",
    "supplier_letter",
]

# ------------------------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class ReceivedResponse:
    """A supplier's response as received: the file and the documents that came with it (name, SHA-256)."""

    supplier_id: str
    file_name: str
    file_sha256: str | None  # the file as received; None when not known (a response built without the journal)
    format: str  # "json", "xlsx" or "csv"
    criteria_version: int
    documents: tuple[tuple[str, str], ...]  # (name, sha256), sorted by name
    missing_documents: tuple[str, ...] = ()  # named in the answers, not received
    imported_at: datetime | None = None


@dataclass(frozen=True)
class RecordedDecision:
    """One organiser decision on a finding: resolving a review, or overriding the rules' outcome."""

    supplier_id: str
    criterion_id: str
    kind: Literal["review", "override"]
    outcome: str  # "pass" or "fail"
    previous: str  # the outcome before this decision
    justification: str
    decided_at: datetime | None
    journal_seq: int | None  # None when not recorded in a journal


@dataclass(frozen=True)
class QualificationSummary:
    """What the tender's journal says about the qualification, as far as the report needs it."""

    criteria_version: int
    responses: Mapping[str, ReceivedResponse]  # by supplier id
    decisions: tuple[RecordedDecision, ...]  # in the journal's order; the last one on a finding counts
    evaluated_on: date | None = None  # None: the verdicts' own evaluation date
    verdicts_hash: str | None = None
    admission_hash: str | None = None  # set once the admission list is frozen
    admission_frozen_at: datetime | None = None
    journal_seq: int | None = None  # the last entry of the tender's journal the report rests on


def summary_from_state(state: QualificationState) -> QualificationSummary:
    """The summary of a tender's folded journal (:func:`qualification.tender_journal.fold`)."""
    responses = {
        supplier_id: ReceivedResponse(
            supplier_id=supplier_id,
            file_name=event.file_name,
            file_sha256=event.file_sha256,
            format=event.format,
            criteria_version=event.criteria_version,
            documents=tuple(sorted((str(d["name"]), str(d["sha256"])) for d in event.documents)),
            missing_documents=tuple(event.missing_documents),
            imported_at=local_time(event.at),
        )
        for supplier_id, event in state.responses.items()
    }
    decisions = tuple(
        RecordedDecision(
            supplier_id=d.supplier_id,
            criterion_id=d.criterion_id,
            kind="override" if d.decision == "override" else "review",
            outcome=d.outcome,
            previous=d.previous,
            justification=d.justification,
            decided_at=local_time(d.at),
            journal_seq=d.seq,
        )
        for d in state.decisions
    )
    evaluation = state.last_evaluation
    admission = state.admission
    return QualificationSummary(
        criteria_version=evaluation.criteria_version if evaluation is not None else state.criteria_version,
        responses=responses,
        decisions=decisions,
        evaluated_on=date.fromisoformat(evaluation.evaluated_on) if evaluation is not None else None,
        verdicts_hash=evaluation.verdicts_hash if evaluation is not None else None,
        admission_hash=admission.admission_hash if admission is not None else None,
        admission_frozen_at=local_time(admission.at) if admission is not None else None,
        journal_seq=state.seq or None,
    )


def summary_from_responses(
    responses: Iterable[SupplierResponse], verdicts: Iterable[Verdict], criteria_version: int = 1
) -> QualificationSummary:
    """A summary without a journal: documents from the loaded responses, decisions from the verdicts' findings.

    For evaluations done in code (tests, the example without a database). The admission list counts as not
    frozen; a decision's kind is "review" when the rules said ``needs_review``, else "override".
    """
    received: dict[str, ReceivedResponse] = {}
    for response in responses:
        name = response.source.replace("\\", "/").rsplit("/", 1)[-1] if response.source else ""
        received[response.supplier.id] = ReceivedResponse(
            supplier_id=response.supplier.id,
            file_name=name,
            file_sha256=None,
            format=name.rsplit(".", 1)[-1].lower() if "." in name else "",
            criteria_version=criteria_version,
            documents=tuple(sorted((d.name, d.sha256) for d in response.documents)),
        )
    decisions = tuple(
        RecordedDecision(
            supplier_id=verdict.supplier_id,
            criterion_id=finding.criterion_id,
            kind="review" if finding.evaluated == "needs_review" else "override",
            outcome=finding.decision.outcome,
            previous=finding.evaluated,
            justification=finding.decision.justification,
            decided_at=_parse_moment(finding.decision.decided_at),
            journal_seq=finding.decision.journal_seq or None,
        )
        for verdict in sorted(verdicts, key=lambda v: v.supplier_id)
        for finding in verdict.findings
        if finding.decision is not None
    )
    return QualificationSummary(criteria_version=criteria_version, responses=received, decisions=decisions)


def _parse_moment(value: str) -> datetime | None:
    try:
        moment_ = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment_.tzinfo is None:
        moment_ = moment_.replace(tzinfo=AMSTERDAM)
    return moment_.astimezone(AMSTERDAM)


# ------------------------------------------------------------------------------------------------ words

_W: dict[Language, dict[str, str]] = {
    "nl": {
        "title_report": "Kwalificatierapport {tender_id}: {tender_title}",
        "tender": "Aanbesteding",
        "tender_value": "{tender_title} ({tender_id})",
        "organiser": "Organisator",
        "evaluated_on": "Beoordelingsdatum",
        "criteria": "Criteria",
        "criteria_value": "versie {version}, SHA-256 {hash}",
        "verdicts_hash": "Hash van de beoordelingen",
        "admission": "Toelatingslijst",
        "admission_frozen": "vastgesteld op {moment}, hash {hash}",
        "admission_frozen_no_time": "vastgesteld, hash {hash}",
        "admission_open": "nog niet vastgesteld",
        "journal": "Journaal van de aanbesteding",
        "journal_value": "tot en met volgnummer {seq}",
        "intro": "Dit rapport legt vast hoe elke inschrijving is beoordeeld: per leverancier elk criterium met het "
        "antwoord, de uitkomst en de reden, en elk besluit van de organisator met de motivering. Bij een besluit "
        "staan de uitkomst volgens de regels en het besluit van de organisator naast elkaar. Een knock-outcriterium "
        "waaraan niet is voldaan of dat niet is beantwoord, leidt tot uitsluiting; gewogen criteria tellen mee "
        "voor de kwaliteitsscore; informatieve criteria worden beoordeeld en vermeld, maar sluiten niet uit en "
        "tellen niet mee.",
        "provisional": "De toelatingslijst is nog niet vastgesteld. Dit rapport is een tussenstand: uitkomsten "
        "kunnen nog veranderen door besluiten van de organisator.",
        "summary": "Samenvatting",
        "counts": "{admitted} toegelaten, {excluded} uitgesloten, {pending} in afwachting van beoordeling.",
        "col_supplier": "Leverancier",
        "col_id": "Id",
        "col_status": "Status",
        "col_failed": "Niet voldane knock-outcriteria",
        "col_score": "Kwaliteitsscore",
        "col_criterion": "Criterium",
        "col_group": "Groep",
        "col_kind": "Soort",
        "col_question": "Vraag",
        "col_requirement": "Vereiste",
        "col_espd": "ESPD-code",
        "col_weight": "Gewicht",
        "col_scale": "Schaal",
        "col_answer": "Antwoord",
        "col_your_answer": "Uw antwoord",
        "col_outcome": "Uitkomst",
        "col_reason": "Reden",
        "col_fraction": "Behaald deel",
        "col_document": "Document",
        "col_sha": "SHA-256",
        "col_used": "Bij criteria",
        "score_heading": "Kwaliteitsscore",
        "score_formula": "De kwaliteitsscore wordt berekend over de gewogen criteria als 100 × Σ(gewicht × behaald "
        "deel) / Σ gewicht, afgerond op twee decimalen volgens de regel ‘half naar even’ (precies op de helft "
        "wordt afgerond naar het even cijfer).",
        "score_fraction": "Het behaalde deel (van 0 tot en met 1) is het deel van het gewicht dat het antwoord op een "
        "criterium oplevert: bij een ja/nee-vraag het hele gewicht (1) als het antwoord voldoet; bij een getal naar "
        "rato tussen de waarde die niets oplevert (0) en de waarde die het hele gewicht oplevert (1), daarbuiten 0 "
        "of 1; bij een keuzevraag het deel dat bij het gekozen antwoord hoort. Een gewogen criterium waaraan niet "
        "is voldaan, dat niet is beantwoord of dat nog ter beoordeling staat, levert 0 op. De kwaliteitsscore leidt "
        "nooit tot uitsluiting.",
        "score_none": "Deze aanbesteding kent geen gewogen criteria; er is geen kwaliteitsscore.",
        "total_weight": "Som van de gewichten: {total}.",
        "scale_number": "niets bij {low}, het hele gewicht bij {high}, daartussen naar rato",
        "scale_yes_no": "het hele gewicht bij {answer}",
        "scale_pass": "het hele gewicht als het antwoord voldoet",
        "decisions_heading": "Besluiten van de organisator",
        "decisions_intro": "Elk besluit waarmee de organisator een beoordeling heeft afgerond of een uitkomst heeft "
        "gewijzigd, met de motivering en de uitkomst die de regels zelf gaven. Van meerdere besluiten over "
        "dezelfde bevinding geldt het laatste.",
        "no_decisions": "Er zijn geen besluiten van de organisator vastgelegd.",
        "decision_heading": "{supplier_id}, {criterion_id}: {kind}",
        "kind_review": "afronding van een beoordeling",
        "kind_override": "wijziging van de uitkomst",
        "superseded": "vervangen door een later besluit",
        "in_force": "geldt",
        "supplier": "Leverancier",
        "criterion": "Criterium",
        "criterion_value": "{criterion_id}: {question}",
        "rules_outcome": "Uitkomst volgens de regels",
        "previous_outcome": "Uitkomst vóór dit besluit",
        "decided_outcome": "Besluit van de organisator",
        "justification": "Motivering",
        "decided_at": "Vastgelegd op",
        "journal_entry": "Journaalregel",
        "journal_entry_value": "volgnummer {seq}",
        "validity": "Geldigheid",
        "quoted": "“{text}”",
        "supplier_heading": "{name} ({supplier_id})",
        "status": "Status",
        "score": "Kwaliteitsscore",
        "score_value": "{score} (100 × {earned} / {total})",
        "kvk": "KvK",
        "agb": "AGB",
        "response_file": "Antwoordbestand",
        "response_value": "{name} ({format})",
        "response_sha": "SHA-256 van het antwoordbestand",
        "imported_at": "Ingelezen op",
        "answered_version": "Beantwoord op criteria versie",
        "findings": "Bevindingen",
        "by_decision": " (besluit van de organisator; volgens de regels: {evaluated})",
        "evidence": " (bewijs: {name})",
        "documents": "Beoordeelde documenten",
        "no_documents": "Er zijn geen documenten ontvangen.",
        "missing": "Genoemd maar niet ontvangen: {names}.",
        "no_answer": "geen antwoord",
        "none": "geen",
        # letters
        "title_letter": "Besluit kwalificatie {tender_title}",
        "subject_letter": "Aanbesteding {tender_id} “{tender_title}”: besluit kwalificatie",
        "subject_letter_no_id": "Aanbesteding “{tender_title}”: besluit kwalificatie",
        "letter_intro": "{organiser} heeft de inschrijving van {name} voor de aanbesteding “{tender_title}” "
        "beoordeeld aan de hand van de gepubliceerde criteria, naar de stand op de beoordelingsdatum "
        "{evaluated_on}.",
        "letter_admitted": "Wij delen u mee dat uw organisatie is {decision} tot de veilingen van deze aanbesteding: "
        "de oefenveiling en de live veiling. Voor elke veiling ontvangt u een persoonlijke uitnodiging.",
        "admitted_word": "toegelaten",
        "letter_score": "Uw kwaliteitsscore is {score} op een schaal van 0 tot 100. Zo is de score opgebouwd "
        "(100 × Σ(gewicht × behaald deel) / Σ gewicht, afgerond op twee decimalen):",
        "letter_excluded": "Wij delen u mee dat uw organisatie is {decision} van verdere deelname aan deze "
        "aanbesteding; u wordt niet uitgenodigd voor de veilingen.",
        "excluded_word": "uitgesloten",
        "letter_failures_one": "Uw inschrijving voldoet niet aan het volgende knock-outcriterium; dat is de reden "
        "voor de uitsluiting.",
        "letter_failures_many": "Uw inschrijving voldoet niet aan de volgende {count} knock-outcriteria; elk "
        "daarvan is op zichzelf reden voor uitsluiting.",
        "failure_heading": "Criterium {criterion_id} ({group})",
        "question": "Vraag",
        "your_answer": "Uw antwoord",
        "your_evidence": "Uw bewijsstuk",
        "reason": "Reden",
        "letter_decisions": "Besluiten van de organisator over uw inschrijving",
        "letter_decisions_intro": "Bij de volgende criteria heeft de organisator een besluit genomen, met de "
        "motivering die hieronder staat.",
        "objection": "Bezwaar",
        "objection_text": "Bent u het niet eens met dit besluit, dan kunt u schriftelijk bezwaar maken bij "
        "{organiser}, onder vermelding van het kenmerk {reference} en met opgave van de gronden van uw bezwaar. "
        "De termijn voor bezwaar en de wijze van behandeling staan in de aanbestedingsstukken.",
        "thanks": "Wij danken u voor uw inschrijving.",
    },
    "en": {
        "title_report": "Qualification report {tender_id}: {tender_title}",
        "tender": "Tender",
        "tender_value": "{tender_title} ({tender_id})",
        "organiser": "Organiser",
        "evaluated_on": "Evaluation date",
        "criteria": "Criteria",
        "criteria_value": "version {version}, SHA-256 {hash}",
        "verdicts_hash": "Hash of the verdicts",
        "admission": "Admission list",
        "admission_frozen": "frozen on {moment}, hash {hash}",
        "admission_frozen_no_time": "frozen, hash {hash}",
        "admission_open": "not frozen yet",
        "journal": "Tender journal",
        "journal_value": "up to sequence number {seq}",
        "intro": "This report records how every response was evaluated: per supplier every criterion with the "
        "answer, the outcome and the reason, and every decision of the organiser with its justification. Where the "
        "organiser decided, the rules' own outcome and the organiser's decision stand side by side. A knock-out "
        "criterion that is not met or not answered excludes; scored criteria count towards the quality score; "
        "informational criteria are evaluated and reported but neither exclude nor score.",
        "provisional": "The admission list has not been frozen yet. This report is provisional: outcomes may still "
        "change by decisions of the organiser.",
        "summary": "Summary",
        "counts": "{admitted} admitted, {excluded} excluded, {pending} pending review.",
        "col_supplier": "Supplier",
        "col_id": "Id",
        "col_status": "Status",
        "col_failed": "Knock-out criteria not met",
        "col_score": "Quality score",
        "col_criterion": "Criterion",
        "col_group": "Group",
        "col_kind": "Kind",
        "col_question": "Question",
        "col_requirement": "Requirement",
        "col_espd": "ESPD code",
        "col_weight": "Weight",
        "col_scale": "Scale",
        "col_answer": "Answer",
        "col_your_answer": "Your answer",
        "col_outcome": "Outcome",
        "col_reason": "Reason",
        "col_fraction": "Share earned",
        "col_document": "Document",
        "col_sha": "SHA-256",
        "col_used": "For criteria",
        "score_heading": "Quality score",
        "score_formula": "The quality score is computed over the scored criteria as 100 × Σ(weight × share earned) "
        "/ Σ weight, rounded to two decimals half-even (exactly half rounds to the even digit).",
        "score_fraction": "The share earned (from 0 to 1) is the part of the weight the answer to a criterion earns: "
        "for a yes/no question the whole weight (1) when the answer meets the requirement; for a number in "
        "proportion between the value that earns nothing (0) and the value that earns the whole weight (1), beyond "
        "them 0 or 1; for a choice the share that goes with the chosen answer. A scored criterion that is not met, "
        "not answered or still under review earns 0. The quality score never excludes.",
        "score_none": "This tender has no scored criteria; there is no quality score.",
        "total_weight": "Sum of the weights: {total}.",
        "scale_number": "nothing at {low}, the whole weight at {high}, in proportion in between",
        "scale_yes_no": "the whole weight for {answer}",
        "scale_pass": "the whole weight when the answer meets the requirement",
        "decisions_heading": "Decisions of the organiser",
        "decisions_intro": "Every decision by which the organiser resolved a review or changed an outcome, with its "
        "justification and the outcome the rules themselves gave. Of several decisions on one finding the last "
        "one counts.",
        "no_decisions": "No decisions of the organiser were recorded.",
        "decision_heading": "{supplier_id}, {criterion_id}: {kind}",
        "kind_review": "review resolved",
        "kind_override": "outcome overridden",
        "superseded": "replaced by a later decision",
        "in_force": "in force",
        "supplier": "Supplier",
        "criterion": "Criterion",
        "criterion_value": "{criterion_id}: {question}",
        "rules_outcome": "Outcome by the rules",
        "previous_outcome": "Outcome before this decision",
        "decided_outcome": "Decision of the organiser",
        "justification": "Justification",
        "decided_at": "Recorded on",
        "journal_entry": "Journal entry",
        "journal_entry_value": "sequence number {seq}",
        "validity": "Validity",
        "quoted": "“{text}”",
        "supplier_heading": "{name} ({supplier_id})",
        "status": "Status",
        "score": "Quality score",
        "score_value": "{score} (100 × {earned} / {total})",
        "kvk": "KvK",
        "agb": "AGB",
        "response_file": "Response file",
        "response_value": "{name} ({format})",
        "response_sha": "SHA-256 of the response file",
        "imported_at": "Loaded on",
        "answered_version": "Answered against criteria version",
        "findings": "Findings",
        "by_decision": " (decision of the organiser; by the rules: {evaluated})",
        "evidence": " (evidence: {name})",
        "documents": "Documents judged",
        "no_documents": "No documents were received.",
        "missing": "Named but not received: {names}.",
        "no_answer": "no answer",
        "none": "none",
        "title_letter": "Qualification decision {tender_title}",
        "subject_letter": "Tender {tender_id} “{tender_title}”: qualification decision",
        "subject_letter_no_id": "Tender “{tender_title}”: qualification decision",
        "letter_intro": "{organiser} has evaluated the response of {name} to the tender “{tender_title}” against "
        "the published criteria, as they stood on the evaluation date, {evaluated_on}.",
        "letter_admitted": "We inform you that your organisation is {decision} to the auctions of this tender: the "
        "practice auction and the live auction. You will receive a personal invitation for each auction.",
        "admitted_word": "admitted",
        "letter_score": "Your quality score is {score} on a scale of 0 to 100. This is how it is made up "
        "(100 × Σ(weight × share earned) / Σ weight, rounded to two decimals):",
        "letter_excluded": "We inform you that your organisation is {decision} from further participation in this "
        "tender; you will not be invited to the auctions.",
        "excluded_word": "excluded",
        "letter_failures_one": "Your response does not meet the following knock-out criterion; that is the reason "
        "for the exclusion.",
        "letter_failures_many": "Your response does not meet the following {count} knock-out criteria; each of them "
        "is a reason for exclusion on its own.",
        "failure_heading": "Criterion {criterion_id} ({group})",
        "question": "Question",
        "your_answer": "Your answer",
        "your_evidence": "Your evidence",
        "reason": "Reason",
        "letter_decisions": "Decisions of the organiser on your response",
        "letter_decisions_intro": "On the following criteria the organiser took a decision, with the justification "
        "given below.",
        "objection": "Objection",
        "objection_text": "If you disagree with this decision, you may object in writing to {organiser}, quoting the "
        "reference {reference} and stating the grounds of your objection. The period for objections and how they "
        "are handled are set out in the tender documents.",
        "thanks": "Thank you for your response.",
    },
}

_OUTCOME: dict[Language, dict[str, str]] = {
    "nl": {"pass": "voldoet", "fail": "voldoet niet", "needs_review": "ter beoordeling"},
    "en": {"pass": "pass", "fail": "fail", "needs_review": "needs review"},
}
_STATUS: dict[Language, dict[str, str]] = {
    "nl": {"admitted": "toegelaten", "excluded": "uitgesloten", "pending_review": "in afwachting van beoordeling"},
    "en": {"admitted": "admitted", "excluded": "excluded", "pending_review": "pending review"},
}
_KIND: dict[Language, dict[str, str]] = {
    "nl": {"knock-out": "knock-out", "scored": "gewogen", "informational": "informatief"},
    "en": {"knock-out": "knock-out", "scored": "scored", "informational": "informational"},
}
_FORMAT = {"json": "JSON", "xlsx": "Excel-werkmap (XLSX)", "csv": "CSV"}
_FORMAT_EN = {"json": "JSON", "xlsx": "Excel workbook (XLSX)", "csv": "CSV"}
_FOUR_PLACES = Decimal("0.0001")


# ------------------------------------------------------------------------------------------------ helpers


def _document(name: str, title: str, blocks: Sequence[Block], language: Language) -> Document:
    return Document(
        name=name, title=title, markdown=render_markdown(title, blocks), html=render_html(title, blocks, language)
    )


def _question(criterion: Criterion, lang: Language) -> str:
    return criterion.question_nl if lang == "nl" else criterion.question_en


def _outcome(outcome: str, lang: Language) -> str:
    return _OUTCOME[lang].get(outcome, outcome)


def _score(score: Decimal, lang: Language) -> str:
    shown = f"{score:.2f}"
    return shown.replace(".", ",") if lang == "nl" else shown


def _share(value: Decimal, lang: Language) -> str:
    """A fraction or a sum of weighted fractions, to at most four decimals: ``0,6667``, ``38``."""
    return format_number(value.quantize(_FOUR_PLACES).normalize(), lang)


def _when(value: datetime | None, lang: Language) -> str:
    if value is None:
        return "–"
    return moment(round(value.timestamp() * 1000), lang)


def _answer(criterion: Criterion, finding: Finding, lang: Language) -> str:
    """The supplier's answer in words (``'ja'``, ``1.000.000 EUR``, ``30 november 2025``); as given if odd."""
    if finding.answer is None:
        return _W[lang]["no_answer"]
    try:
        return show_answer(criterion, criterion.read_answer(finding.answer), lang)
    except ValueError:
        return show(finding.answer)


def _unit(criterion: Criterion, lang: Language) -> str:
    unit = criterion.unit_nl if lang == "nl" and criterion.unit_nl else criterion.unit
    return f" {unit}" if unit else ""


def _scale(criterion: Criterion, lang: Language) -> str:
    """How a scored criterion's answer earns its weight, in words."""
    w = _W[lang]
    if criterion.type == "number" and criterion.score_from is not None and criterion.score_to is not None:
        unit = _unit(criterion, lang)
        return w["scale_number"].format(
            low=format_number(criterion.score_from, lang) + unit, high=format_number(criterion.score_to, lang) + unit
        )
    if criterion.type == "choice" and criterion.points is not None:
        return "; ".join(f"'{option}': {_share(share, lang)}" for option, share in criterion.points.items())
    if criterion.type == "yes_no" and criterion.expected is not None:
        return w["scale_yes_no"].format(answer=show_answer(criterion, criterion.expected, lang))
    return w["scale_pass"]


def _requirement(criterion: Criterion, today: date, lang: Language) -> str:
    if criterion.type == "number" and criterion.min is None and criterion.max is None:
        return _scale(criterion, lang)  # a scored number without bounds: any number is valid
    return requirement(criterion, today, lang)


def _check(criteria: CriteriaSet, verdicts: Sequence[Verdict]) -> list[Verdict]:
    """The verdicts sorted by supplier; refuses verdicts for other criteria or two for one supplier."""
    seen: set[str] = set()
    for verdict in verdicts:
        if verdict.supplier_id in seen:
            raise ValueError(f"two verdicts for supplier {verdict.supplier_id!r}")
        seen.add(verdict.supplier_id)
        if verdict.criteria_hash != criteria.hash:
            raise ValueError(
                f"the verdict of {verdict.supplier_id!r} was evaluated against other criteria"
                f" (hash {verdict.criteria_hash[:12]}…, these are {criteria.hash[:12]}…)"
            )
    return sorted(verdicts, key=lambda v: v.supplier_id)


def _evaluation_day(verdicts: Sequence[Verdict], summary: QualificationSummary | None) -> date:
    days = {verdict.evaluated_on for verdict in verdicts}
    if len(days) > 1:
        raise ValueError("the verdicts were evaluated on different dates: " + ", ".join(sorted(map(str, days))))
    if summary is not None and summary.evaluated_on is not None:
        if days and summary.evaluated_on not in days:
            raise ValueError(f"the verdicts were evaluated on {days.pop()}, the journal says {summary.evaluated_on}")
        return summary.evaluated_on
    if not days:
        raise ValueError("no verdicts and no evaluation date")
    return days.pop()


def _earned(verdict: Verdict) -> tuple[Decimal, Decimal]:
    """(Σ weight × fraction, Σ weight) over the verdict's scored findings."""
    earned = total = Decimal(0)
    for finding in verdict.findings:
        if finding.kind == "scored" and finding.weight is not None:
            total += finding.weight
            earned += finding.weight * (finding.fraction or Decimal(0))
    return earned, total


def _documents_judged(verdict: Verdict, criteria: CriteriaSet, name: str) -> list[str]:
    """The criteria whose answer or evidence is the document ``name``."""
    used = []
    for finding in verdict.findings:
        criterion = criteria[finding.criterion_id]
        as_answer = criterion.type == "document" and finding.answer == name
        if as_answer or finding.evidence == name:
            used.append(finding.criterion_id)
    return used


# ------------------------------------------------------------------------------------------------ report


def qualification_report(
    tender_title: str,
    tender_id: str,
    organiser: str,
    criteria: CriteriaSet,
    verdicts: Sequence[Verdict],
    state_summary: QualificationSummary,
    language: str = "nl",
) -> Document:
    """The organiser's qualification report: the verdicts, the criteria, the quality-score formula, every
    organiser decision (with the rules' own outcome) and per supplier every finding and the documents judged.

    Refused (``ValueError``) when a verdict was evaluated against other criteria, two verdicts are for one
    supplier, or the frozen admission hash in ``state_summary`` does not follow from the verdicts.
    """
    lang = check_language(language)
    w = _W[lang]
    ordered = _check(criteria, verdicts)
    summary = state_summary
    if summary.admission_hash is not None and summary.admission_hash != admission_hash(ordered):
        raise ValueError("the frozen admission list does not follow from these verdicts (admission hash differs)")
    today = _evaluation_day(ordered, summary)
    title = w["title_report"].format(tender_id=tender_id, tender_title=tender_title)

    facts: list[tuple[str, Text]] = [
        (w["tender"], fill(w["tender_value"], tender_title=tender_title, tender_id=tender_id)),
        (w["organiser"], (organiser,)),
        (w["evaluated_on"], (day(today, lang),)),
        (w["criteria"], fill(w["criteria_value"], version=summary.criteria_version, hash=Code(criteria.hash))),
    ]
    if summary.verdicts_hash is not None:
        facts.append((w["verdicts_hash"], (Code(summary.verdicts_hash),)))
    if summary.admission_hash is None:
        facts.append((w["admission"], (Strong(w["admission_open"]),)))
    elif summary.admission_frozen_at is None:
        facts.append((w["admission"], fill(w["admission_frozen_no_time"], hash=Code(summary.admission_hash))))
    else:
        facts.append(
            (
                w["admission"],
                fill(
                    w["admission_frozen"],
                    moment=_when(summary.admission_frozen_at, lang),
                    hash=Code(summary.admission_hash),
                ),
            )
        )
    if summary.journal_seq is not None:
        facts.append((w["journal"], fill(w["journal_value"], seq=summary.journal_seq)))
    blocks: list[Block] = [Facts(tuple(facts)), Paragraph((w["intro"],))]
    if summary.admission_hash is None:
        blocks.append(Paragraph((Strong(w["provisional"]),)))
    blocks += _summary_blocks(ordered, lang)
    blocks += _criteria_blocks(criteria, today, lang)
    blocks += _score_blocks(criteria, lang)
    blocks += _decision_blocks(criteria, ordered, summary, lang)
    for verdict in ordered:
        blocks += _supplier_blocks(verdict, criteria, summary.responses.get(verdict.supplier_id), lang)
    return _document(f"kwalificatierapport-{tender_id}.{lang}", title, blocks, lang)


def _summary_blocks(verdicts: Sequence[Verdict], lang: Language) -> list[Block]:
    w = _W[lang]
    counts = {
        status: sum(v.status == status for v in verdicts) for status in ("admitted", "excluded", "pending_review")
    }
    rows = tuple(
        (
            (verdict.supplier_name,),
            (Code(verdict.supplier_id),),
            (Strong(_STATUS[lang][verdict.status]),),
            (", ".join(f.criterion_id for f in verdict.failures) or "–",),
            ("–" if verdict.quality_score is None else _score(verdict.quality_score, lang),),
        )
        for verdict in verdicts
    )
    return [
        Heading(2, (w["summary"],)),
        Paragraph(
            fill(
                w["counts"],
                admitted=counts["admitted"],
                excluded=counts["excluded"],
                pending=counts["pending_review"],
            )
        ),
        Table(
            (
                Column(w["col_supplier"]),
                Column(w["col_id"]),
                Column(w["col_status"]),
                Column(w["col_failed"]),
                Column(w["col_score"], "right"),
            ),
            rows,
        ),
    ]


def _criteria_blocks(criteria: CriteriaSet, today: date, lang: Language) -> list[Block]:
    w = _W[lang]
    rows = tuple(
        (
            (Code(criterion.id),),
            (criterion.group,),
            (_KIND[lang][criterion.kind],),
            (_question(criterion, lang),),
            (_requirement(criterion, today, lang),),
            ((Code(criterion.espd_code),) if criterion.espd_code else ("–",)),
        )
        for criterion in criteria
    )
    return [
        Heading(2, (w["criteria"],)),
        Table(
            (
                Column(w["col_criterion"]),
                Column(w["col_group"]),
                Column(w["col_kind"]),
                Column(w["col_question"]),
                Column(w["col_requirement"]),
                Column(w["col_espd"]),
            ),
            rows,
        ),
    ]


def _score_blocks(criteria: CriteriaSet, lang: Language) -> list[Block]:
    w = _W[lang]
    scored = [criterion for criterion in criteria if criterion.scored and criterion.weight is not None]
    blocks: list[Block] = [Heading(2, (w["score_heading"],))]
    if not scored:
        return [*blocks, Paragraph((w["score_none"],))]
    total = sum((criterion.weight for criterion in scored if criterion.weight is not None), Decimal(0))
    rows = tuple(
        (
            (Code(criterion.id),),
            (_question(criterion, lang),),
            (format_number(criterion.weight, lang) if criterion.weight is not None else "–",),
            (_scale(criterion, lang),),
        )
        for criterion in scored
    )
    return [
        *blocks,
        Paragraph((w["score_formula"],)),
        Paragraph((w["score_fraction"],)),
        Table(
            (
                Column(w["col_criterion"]),
                Column(w["col_question"]),
                Column(w["col_weight"], "right"),
                Column(w["col_scale"]),
            ),
            rows,
        ),
        Paragraph((w["total_weight"].format(total=format_number(total, lang)),)),
    ]


def _decision_blocks(
    criteria: CriteriaSet, verdicts: Sequence[Verdict], summary: QualificationSummary, lang: Language
) -> list[Block]:
    w = _W[lang]
    blocks: list[Block] = [Heading(2, (w["decisions_heading"],))]
    if not summary.decisions:
        return [*blocks, Paragraph((w["no_decisions"],))]
    blocks.append(Paragraph((w["decisions_intro"],)))
    by_supplier = {verdict.supplier_id: verdict for verdict in verdicts}
    last: dict[tuple[str, str], int] = {}
    for index, decision in enumerate(summary.decisions):
        last[(decision.supplier_id, decision.criterion_id)] = index
    for index, decision in enumerate(summary.decisions):
        verdict = by_supplier.get(decision.supplier_id)
        finding = verdict.finding(decision.criterion_id) if verdict is not None else None
        criterion = criteria.get(decision.criterion_id)
        kind = w["kind_override"] if decision.kind == "override" else w["kind_review"]
        heading = w["decision_heading"].format(
            supplier_id=decision.supplier_id, criterion_id=decision.criterion_id, kind=kind
        )
        supplier: Text = (
            fill("{name} ({supplier_id})", name=verdict.supplier_name, supplier_id=Code(decision.supplier_id))
            if verdict is not None
            else (Code(decision.supplier_id),)
        )
        rows: list[tuple[str, Text]] = [
            (w["supplier"], supplier),
            (
                w["criterion"],
                fill(
                    w["criterion_value"], criterion_id=Code(decision.criterion_id), question=_question(criterion, lang)
                )
                if criterion is not None
                else (Code(decision.criterion_id),),
            ),
            (w["rules_outcome"], (_outcome(finding.evaluated if finding else decision.previous, lang),)),
        ]
        if decision.previous and (finding is None or decision.previous != finding.evaluated):
            rows.append((w["previous_outcome"], (_outcome(decision.previous, lang),)))
        rows += [
            (w["decided_outcome"], (Strong(_outcome(decision.outcome, lang)),)),
            (w["justification"], fill(w["quoted"], text=decision.justification)),
            (w["decided_at"], (_when(decision.decided_at, lang),)),
        ]
        if decision.journal_seq is not None:
            rows.append((w["journal_entry"], fill(w["journal_entry_value"], seq=decision.journal_seq)))
        in_force = last[(decision.supplier_id, decision.criterion_id)] == index
        rows.append((w["validity"], (w["in_force"] if in_force else w["superseded"],)))
        blocks += [Heading(3, (heading,)), Facts(tuple(rows))]
    return blocks


def _outcome_cell(finding: Finding, lang: Language) -> Text:
    w = _W[lang]
    cell: Text = (Strong(_outcome(finding.outcome, lang)),)
    if finding.decision is not None:
        cell += (w["by_decision"].format(evaluated=_outcome(finding.evaluated, lang)),)
    return cell


def _supplier_blocks(
    verdict: Verdict, criteria: CriteriaSet, response: ReceivedResponse | None, lang: Language
) -> list[Block]:
    w = _W[lang]
    facts: list[tuple[str, Text]] = [
        (w["status"], (Strong(_STATUS[lang][verdict.status]),)),
        (w["kvk"], (verdict.supplier_kvk,)),
        (w["agb"], (verdict.supplier_agb,)),
    ]
    if verdict.quality_score is not None:
        earned, total = _earned(verdict)
        facts.append(
            (
                w["score"],
                fill(
                    w["score_value"],
                    score=Strong(_score(verdict.quality_score, lang)),
                    earned=_share(earned, lang),
                    total=format_number(total, lang),
                ),
            )
        )
    if response is not None:
        formats = _FORMAT if lang == "nl" else _FORMAT_EN
        if response.file_name:
            shown = formats.get(response.format, response.format or "–")
            facts.append((w["response_file"], fill(w["response_value"], name=Code(response.file_name), format=shown)))
        if response.file_sha256:
            facts.append((w["response_sha"], (Code(response.file_sha256),)))
        if response.imported_at is not None:
            facts.append((w["imported_at"], (_when(response.imported_at, lang),)))
        facts.append((w["answered_version"], (str(response.criteria_version),)))
    rows: list[tuple[Text, ...]] = []
    for finding in verdict.findings:
        criterion = criteria[finding.criterion_id]
        answer: Text = (_answer(criterion, finding, lang),)
        if finding.evidence:
            answer += (w["evidence"].format(name=finding.evidence),)
        rows.append(
            (
                (Code(finding.criterion_id),),
                (_question(criterion, lang),),
                answer,
                _outcome_cell(finding, lang),
                (finding.reason_nl if lang == "nl" else finding.reason_en,),
            )
        )
    blocks: list[Block] = [
        Heading(2, fill(w["supplier_heading"], name=verdict.supplier_name, supplier_id=verdict.supplier_id)),
        Facts(tuple(facts)),
        Heading(3, (w["findings"],)),
        Table(
            (
                Column(w["col_criterion"]),
                Column(w["col_question"]),
                Column(w["col_answer"]),
                Column(w["col_outcome"]),
                Column(w["col_reason"]),
            ),
            tuple(rows),
        ),
        Heading(3, (w["documents"],)),
    ]
    documents = _received_documents(verdict, response)
    if documents:
        blocks.append(
            Table(
                (Column(w["col_document"]), Column(w["col_sha"]), Column(w["col_used"])),
                tuple(
                    (
                        (Code(name),),
                        (Code(sha256),),
                        (", ".join(_documents_judged(verdict, criteria, name)) or "–",),
                    )
                    for name, sha256 in documents
                ),
            )
        )
    else:
        blocks.append(Paragraph((w["no_documents"],)))
    if response is not None and response.missing_documents:
        blocks.append(Paragraph((w["missing"].format(names=", ".join(response.missing_documents)),)))
    return blocks


def _received_documents(verdict: Verdict, response: ReceivedResponse | None) -> list[tuple[str, str]]:
    """(name, SHA-256) of every document received; without a record of them, those the findings name."""
    if response is not None:
        return list(response.documents)
    named: dict[str, str] = {}
    for finding in verdict.findings:
        if finding.evidence_sha256:
            name = finding.answer if isinstance(finding.answer, str) and not finding.evidence else finding.evidence
            named[name] = finding.evidence_sha256
    return sorted(named.items())


# ------------------------------------------------------------------------------------------------ CSV

CSV_COLUMNS: tuple[str, ...] = (
    "supplier_id",
    "supplier_name",
    "criterion_id",
    "group",
    "kind",
    "outcome",
    "evaluated_outcome",
    "decision",
    "justification",
    "answer",
    "evidence",
    "evidence_sha256",
    "weight",
    "fraction",
    "reason_nl",
)
"""The columns of :func:`findings_csv`, in order."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading ``= + - @`` (a formula) gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text_ = "true" if value else "false"
    elif isinstance(value, Decimal):
        text_ = format(value, "f")
    else:
        text_ = str(value)
    if text_.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text_):
        return "'" + text_
    return text_


def findings_csv(criteria: CriteriaSet, verdicts: Sequence[Verdict]) -> str:
    """Every finding as CSV (RFC 4180 quoting, ``\\n`` line ends): one row per supplier × criterion.

    Suppliers by id, criteria in the criteria's order. ``outcome`` is what counts, ``evaluated_outcome`` what
    the rules gave; ``decision`` is the organiser's decided outcome (``pass``/``fail``, empty without one).
    Answers are as the supplier wrote them (``true``/``false``, numbers, dates ``YYYY-MM-DD``, text). A cell
    that would start a spreadsheet formula (``= + - @``) is prefixed with ``'``.
    """
    ordered = _check(criteria, verdicts)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for verdict in ordered:
        findings = {finding.criterion_id: finding for finding in verdict.findings}
        for criterion in criteria:
            finding = findings.get(criterion.id)
            if finding is None:
                raise ValueError(f"the verdict of {verdict.supplier_id!r} has no finding for {criterion.id}")
            decision = finding.decision
            writer.writerow(
                [
                    _cell(value)
                    for value in (
                        verdict.supplier_id,
                        verdict.supplier_name,
                        criterion.id,
                        criterion.group,
                        criterion.kind,
                        finding.outcome,
                        finding.evaluated,
                        decision.outcome if decision is not None else "",
                        decision.justification if decision is not None else "",
                        finding.answer,
                        finding.evidence,
                        finding.evidence_sha256,
                        finding.weight,
                        finding.fraction,
                        finding.reason_nl,
                    )
                ]
            )
    return out.getvalue()


# ------------------------------------------------------------------------------------------------ letters


def _letter_date(verdict: Verdict) -> date:
    """The latest of the evaluation date and the dates of the organiser's decisions on this verdict."""
    dates = [verdict.evaluated_on]
    for finding in verdict.findings:
        if finding.decision is not None:
            decided = _parse_moment(finding.decision.decided_at)
            if decided is not None:
                dates.append(decided.date())
    return max(dates)


def supplier_letter(
    verdict: Verdict,
    criteria: CriteriaSet,
    tender_title: str,
    organiser: str,
    language: str = "nl",
    *,
    tender_id: str | None = None,
    dated: date | None = None,
    attention: str | None = None,
) -> Document:
    """The qualification decision to one supplier: admitted or excluded, and why.

    An exclusion cites each failed knock-out criterion: its id, the question, the supplier's own answer (and
    evidence) and the reason. An admission says the supplier is admitted to the practice and live auctions and
    gives its quality score with how it is made up. Every organiser decision on this supplier's findings is
    stated with its justification. The letter contains nothing of any other supplier.

    ``dated`` defaults to the latest of the evaluation date and the decisions' dates; ``attention`` is the
    contact person ("name, e-mail"). Refused (``ValueError``) while the verdict is pending review, or when it was
    evaluated against other criteria.
    """
    lang = check_language(language)
    w = _W[lang]
    letter = WORDS[lang]
    if verdict.status == "pending_review":
        open_ids = ", ".join(f.criterion_id for f in verdict.open_reviews)
        raise ValueError(
            f"the verdict of {verdict.supplier_id!r} is pending review ({open_ids}): no decision to send yet"
        )
    _check(criteria, [verdict])
    when = dated or _letter_date(verdict)
    reference = f"{tender_id}/{verdict.supplier_id}" if tender_id else verdict.supplier_id
    subject = (
        w["subject_letter"].format(tender_id=tender_id, tender_title=tender_title)
        if tender_id
        else w["subject_letter_no_id"].format(tender_title=tender_title)
    )
    heading: list[tuple[str, Text]] = [
        (
            letter["to"],
            fill(
                letter["supplier_value"], name=verdict.supplier_name, kvk=verdict.supplier_kvk, agb=verdict.supplier_agb
            ),
        )
    ]
    if attention:
        heading.append((letter["attention"], (attention,)))
    heading += [
        (letter["from"], (organiser,)),
        (letter["date"], (day(when, lang),)),
        (letter["subject"], (subject,)),
        (letter["reference"], (Code(reference),)),
    ]
    blocks: list[Block] = [
        Facts(tuple(heading)),
        Paragraph((letter["salutation"],)),
        Paragraph(
            fill(
                w["letter_intro"],
                organiser=organiser,
                name=verdict.supplier_name,
                tender_title=tender_title,
                evaluated_on=day(verdict.evaluated_on, lang),
            )
        ),
    ]
    if verdict.admitted:
        blocks.append(Paragraph(fill(w["letter_admitted"], decision=Strong(w["admitted_word"]))))
        blocks += _letter_score(verdict, criteria, lang)
    else:
        blocks.append(Paragraph(fill(w["letter_excluded"], decision=Strong(w["excluded_word"]))))
        blocks += _letter_failures(verdict, criteria, lang)
    blocks += _letter_decisions(verdict, criteria, lang)
    blocks += [
        Heading(2, (w["objection"],)),
        Paragraph(fill(w["objection_text"], organiser=Strong(organiser), reference=Code(reference))),
        Paragraph((w["thanks"],)),
        Lines(((letter["closing"],), (organiser,))),
    ]
    title = w["title_letter"].format(tender_title=tender_title)
    return _document(f"kwalificatie-{verdict.supplier_id}.{lang}", title, blocks, lang)


def _letter_score(verdict: Verdict, criteria: CriteriaSet, lang: Language) -> list[Block]:
    w = _W[lang]
    if verdict.quality_score is None:
        return []
    rows: list[tuple[Text, ...]] = []
    for finding in verdict.findings:
        if finding.kind != "scored" or finding.weight is None:
            continue
        criterion = criteria[finding.criterion_id]
        rows.append(
            (
                (Code(finding.criterion_id),),
                (_question(criterion, lang),),
                (_answer(criterion, finding, lang),),
                (format_number(finding.weight, lang),),
                (_share(finding.fraction or Decimal(0), lang),),
            )
        )
    return [
        Paragraph(fill(w["letter_score"], score=Strong(_score(verdict.quality_score, lang)))),
        Table(
            (
                Column(w["col_criterion"]),
                Column(w["col_question"]),
                Column(w["col_your_answer"]),
                Column(w["col_weight"], "right"),
                Column(w["col_fraction"], "right"),
            ),
            tuple(rows),
        ),
    ]


def _letter_failures(verdict: Verdict, criteria: CriteriaSet, lang: Language) -> list[Block]:
    w = _W[lang]
    failures = verdict.failures
    intro = w["letter_failures_one"] if len(failures) == 1 else w["letter_failures_many"].format(count=len(failures))
    blocks: list[Block] = [Paragraph((intro,))]
    for finding in failures:
        criterion = criteria[finding.criterion_id]
        rows: list[tuple[str, Text]] = [
            (w["question"], (_question(criterion, lang),)),
            (w["your_answer"], (Strong(_answer(criterion, finding, lang)),)),
        ]
        if finding.evidence:
            rows.append((w["your_evidence"], (finding.evidence,)))
        rows.append((w["reason"], (finding.reason_nl if lang == "nl" else finding.reason_en,)))
        if finding.decision is not None:
            rows += [
                (w["rules_outcome"], (_outcome(finding.evaluated, lang),)),
                (w["decided_outcome"], (_outcome(finding.decision.outcome, lang),)),
                (w["justification"], fill(w["quoted"], text=finding.decision.justification)),
            ]
        blocks += [
            Heading(3, fill(w["failure_heading"], criterion_id=finding.criterion_id, group=criterion.group)),
            Facts(tuple(rows)),
        ]
    return blocks


def _letter_decisions(verdict: Verdict, criteria: CriteriaSet, lang: Language) -> list[Block]:
    w = _W[lang]
    decided = [finding for finding in verdict.findings if finding.decision is not None]
    if not decided:
        return []
    blocks: list[Block] = [Heading(2, (w["letter_decisions"],)), Paragraph((w["letter_decisions_intro"],))]
    for finding in decided:
        decision = finding.decision
        assert decision is not None
        criterion = criteria[finding.criterion_id]
        blocks += [
            Heading(3, fill(w["failure_heading"], criterion_id=finding.criterion_id, group=criterion.group)),
            Facts(
                (
                    (w["question"], (_question(criterion, lang),)),
                    (w["your_answer"], (_answer(criterion, finding, lang),)),
                    (w["rules_outcome"], (_outcome(finding.evaluated, lang),)),
                    (w["decided_outcome"], (Strong(_outcome(decision.outcome, lang)),)),
                    (w["justification"], fill(w["quoted"], text=decision.justification)),
                    (w["decided_at"], (_when(_parse_moment(decision.decided_at), lang),)),
                )
            ),
        ]
    return blocks
