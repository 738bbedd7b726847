"""Writing the qualification documents of a tender: the report, the findings CSV and the letters to the suppliers.

Reads the tender, its current criteria, the stored verdicts and responses, and the tender's journal; checks that
the stored verdicts are the ones the journal's last evaluation recorded; then renders with
:mod:`qualification.report` (pure) and writes the files. The same database gives the same bytes.

Files, in ``out_dir``:

    kwalificatierapport-<tender>.<lang>.md / .html     the organiser's report
    bevindingen-<tender>.csv                           one row per supplier × criterion
    letters/kwalificatie-<supplier>.<lang>.md / .html  the decision to each supplier

The letters are written only once the admission list is frozen: before that a verdict can still change, and a
letter is a decision sent to a supplier. The report and the CSV can be written as soon as the responses are
qualified (the report then says it is provisional).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from auction.documents.award import Document
from auction.documents.qualification_report import (
    findings_csv,
    qualification_report,
    summary_from_state,
    supplier_letter,
)
from auction.documents.words import local_time
from auction.steps.qualification import stored_responses, stored_verdicts, verdicts_hash
from auction.steps.tender_stream import current_criteria, tender_state
from auction.storage.tenders import get_tender
from qualification.common.errors import StepOutOfOrder
from qualification.common.language import check_language

__all__ = ["LETTERS_DIR", "write_qualification_reports"]

LETTERS_DIR = "letters"


async def write_qualification_reports(
    engine: AsyncEngine,
    tender_id: str | None,
    out_dir: Path,
    languages: Sequence[str] = ("nl", "en"),
) -> list[Path]:
    """Write the qualification report (each language, ``.md`` and ``.html``), the findings CSV and, once the
    admission list is frozen, a letter to every supplier; returns the paths in the order written.

    Raises :class:`~auction.errors.StepOutOfOrder` before the responses are qualified, or when the stored
    verdicts or the criteria no longer match the journal's last evaluation (run ``auction qualify`` again).
    Files of the same name are replaced; ``out_dir`` is created if needed.
    """
    checked = [check_language(language) for language in languages]
    tender = await get_tender(engine, tender_id)
    state = await tender_state(engine, tender.id)
    evaluation = state.last_evaluation
    if evaluation is None:
        raise StepOutOfOrder("the responses have not been qualified yet: run `auction qualify` first")
    criteria = await current_criteria(engine, tender.id)
    verdicts = await stored_verdicts(engine, tender.id)
    if evaluation.criteria_hash != criteria.hash:
        raise StepOutOfOrder("the criteria changed since the last evaluation: run `auction qualify` again")
    if verdicts_hash(verdicts) != evaluation.verdicts_hash:
        raise StepOutOfOrder(
            "the stored verdicts do not match the last evaluation in the journal: run `auction qualify`"
        )
    summary = summary_from_state(state)
    try:
        reports = [
            qualification_report(tender.title, tender.id, tender.organiser, criteria, verdicts, summary, lang)
            for lang in checked
        ]
    except ValueError as exc:  # e.g. a frozen admission list that does not follow from the stored verdicts
        raise StepOutOfOrder(f"the qualification of tender {tender.id} is inconsistent: {exc}") from None
    letters: list[Document] = []
    if state.admission is not None:
        dated = local_time(state.admission.at).date()
        contacts = {
            response.supplier.id: f"{response.supplier.contact.name}, {response.supplier.contact.email}"
            for response in await stored_responses(engine, tender.id)
        }
        for lang in checked:
            for verdict in verdicts:
                letters.append(
                    supplier_letter(
                        verdict,
                        criteria,
                        tender.title,
                        tender.organiser,
                        lang,
                        tender_id=tender.id,
                        dated=dated,
                        attention=contacts.get(verdict.supplier_id),
                    )
                )
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for document in reports:
        paths += _write_document(out_dir, document)
    csv_path = out_dir / f"bevindingen-{tender.id}.csv"
    csv_path.write_text(findings_csv(criteria, verdicts), encoding="utf-8", newline="\n")
    paths.append(csv_path)
    if letters:
        letters_dir = out_dir / LETTERS_DIR
        letters_dir.mkdir(exist_ok=True)
        for document in letters:
            paths += _write_document(letters_dir, document)
    return paths


def _write_document(directory: Path, document: Document) -> list[Path]:
    written = []
    for suffix, content in ((".md", document.markdown), (".html", document.html)):
        path = directory / f"{document.name}{suffix}"
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written
