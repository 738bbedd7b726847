"""The example tender's criteria and six responses: four admitted, two excluded for the right reasons."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from qualification.admission import admission_hash, admission_list
from qualification.criteria import CriteriaSet
from qualification.criteria_file import load_criteria
from qualification.evaluation import Verdict, evaluate_all
from qualification.importing import import_responses
from qualification.responses import load_responses
from scripts.kit.example import EXAMPLE_REVIEWS, example_responses_and_verdicts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CRITERIA = EXAMPLES / "criteria.toml"
RESPONSES = sorted((EXAMPLES / "responses").glob("*.json"))
TENDER_ID = "DV-2027"
EVALUATION_DATE = date(2026, 8, 1)

ADMITTED = ["sup-bloesemhof", "sup-klaverveld", "sup-lepelaar", "sup-molenwiek"]
EXCLUDED_FOR = {"sup-ooievaar": {"ALG-06", "UIT-04"}, "sup-tulpenburg": {"DV-02", "DV-06"}}


@pytest.fixture(scope="module")
def criteria() -> CriteriaSet:
    return load_criteria(CRITERIA)


def verdicts_on(criteria: CriteriaSet, today: date) -> list[Verdict]:
    """The example's verdicts with its documents and the organiser's two review decisions (auction/example.py)."""
    return example_responses_and_verdicts(CRITERIA, today)[2]


def test_without_the_organiser_two_example_findings_wait_for_review(criteria: CriteriaSet) -> None:
    imported = import_responses(RESPONSES, criteria, tender_id=TENDER_ID, criteria_version=1)
    verdicts = evaluate_all(criteria, [one.response for one in imported], EVALUATION_DATE)
    waiting = {(v.supplier_id, f.criterion_id) for v in verdicts for f in v.open_reviews}
    assert waiting == set(EXAMPLE_REVIEWS)
    assert {v.supplier_id for v in verdicts if v.status == "pending_review"} == {"sup-bloesemhof", "sup-klaverveld"}


def test_the_tender_file_points_at_the_criteria_and_the_responses_answer_that_tender() -> None:
    tender = tomllib.loads((EXAMPLES / "tender.toml").read_text(encoding="utf-8"))
    assert (EXAMPLES / tender["criteria"]).resolve() == CRITERIA.resolve()
    assert tender["id"] == TENDER_ID
    assert len(RESPONSES) == 6


def test_the_example_criteria_cover_the_policy_groups_and_carry_espd_codes(criteria: CriteriaSet) -> None:
    groups = {criterion.group for criterion in criteria}
    assert groups == {
        "Algemeen",
        "Uitsluitende voorwaarden",
        "Kwaliteit",
        "Toegankelijkheid en doelmatigheid",
        "Dieetvoeding",
        "Kwaliteitsbeoordeling",
    }
    assert 15 <= sum(criterion.kind == "knock-out" for criterion in criteria) <= 23
    assert sum(criterion.kind == "scored" for criterion in criteria) == 4
    assert {criterion.type for criterion in criteria} == {"yes_no", "number", "date_not_passed", "choice", "document"}
    assert criteria["UIT-01"].espd_code == "CRITERION.EXCLUSION.BUSINESS.BANKRUPTCY"
    assert criteria["ALG-05"].espd_code == "CRITERION.EXCLUSION.CONTRIBUTIONS.PAYMENT_OF_TAXES"


def test_every_espd_code_is_one_the_eu_publishes() -> None:
    published_file = Path(__file__).resolve().parents[2] / "shared/testdata/criteria/prozorro_article_17_exclusion.json"
    if not published_file.exists():
        pytest.skip(f"third-party test data not present: {published_file}")
    published = {entry["classification"]["id"] for entry in json.loads(published_file.read_text(encoding="utf-8"))}
    used = {criterion.espd_code for criterion in load_criteria(CRITERIA) if criterion.espd_code}
    assert used
    assert used <= published


def test_four_suppliers_are_admitted_and_two_excluded(criteria: CriteriaSet) -> None:
    verdicts = verdicts_on(criteria, EVALUATION_DATE)
    assert [verdict.supplier_id for verdict in verdicts if verdict.admitted] == ADMITTED
    excluded = {verdict.supplier_id: verdict for verdict in verdicts if not verdict.admitted}
    assert set(excluded) == set(EXCLUDED_FOR)
    for supplier_id, criterion_ids in EXCLUDED_FOR.items():
        assert {finding.criterion_id for finding in excluded[supplier_id].failures} == criterion_ids


@pytest.mark.parametrize("today", [date(2026, 6, 1), date(2026, 8, 1), date(2027, 1, 1), date(2027, 6, 30)])
def test_the_outcome_holds_across_the_qualification_window(criteria: CriteriaSet, today: date) -> None:
    verdicts = verdicts_on(criteria, today)
    assert [verdict.supplier_id for verdict in verdicts if verdict.admitted] == ADMITTED
    failures = {verdict.supplier_id: {f.criterion_id for f in verdict.failures} for verdict in verdicts}
    assert {supplier: ids for supplier, ids in failures.items() if ids} == EXCLUDED_FOR


def test_the_excluded_suppliers_are_told_why_in_both_languages(criteria: CriteriaSet) -> None:
    verdicts = {verdict.supplier_id: verdict for verdict in verdicts_on(criteria, EVALUATION_DATE)}
    ooievaar = {finding.criterion_id: finding for finding in verdicts["sup-ooievaar"].failures}
    assert ooievaar["UIT-04"].answer is True
    assert ooievaar["UIT-04"].reason_nl == (
        "Antwoord 'ja' op 'Staat uw organisatie onder verscherpt toezicht van de Inspectie Gezondheidszorg en"
        " Jeugd (IGJ)?'; vereist: 'nee'."
    )
    assert "30 November 2025" in ooievaar["ALG-06"].reason_en
    assert "expired" in ooievaar["ALG-06"].reason_en
    assert "verlopen" in ooievaar["ALG-06"].reason_nl

    tulpenburg = {finding.criterion_id: finding for finding in verdicts["sup-tulpenburg"].failures}
    assert tulpenburg["DV-06"].answer == 1000000
    assert "1,000,000 EUR" in tulpenburg["DV-06"].reason_en
    assert "below the minimum of 2,500,000 EUR" in tulpenburg["DV-06"].reason_en
    assert "1.000.000 EUR" in tulpenburg["DV-06"].reason_nl
    assert "ligt onder het minimum van 2.500.000 EUR" in tulpenburg["DV-06"].reason_nl
    assert "above the maximum of 2 working days" in tulpenburg["DV-02"].reason_en
    assert "ligt boven het maximum van 2 werkdagen" in tulpenburg["DV-02"].reason_nl


def test_the_boundary_answers_in_the_example_pass(criteria: CriteriaSet) -> None:
    klaverveld = next(v for v in verdicts_on(criteria, EVALUATION_DATE) if v.supplier_id == "sup-klaverveld")
    findings = {finding.criterion_id: finding for finding in klaverveld.findings}
    assert (findings["DV-06"].answer, findings["DV-06"].outcome) == (2500000, "pass")
    assert (findings["DV-02"].answer, findings["DV-02"].outcome) == (2, "pass")
    assert (findings["ALG-03"].answer, findings["ALG-03"].outcome) == ("niet van toepassing", "pass")
    # An unanswered informational question is reported, but does not exclude.
    assert findings["DV-07"].outcome == "fail" and not findings["DV-07"].answered
    assert klaverveld.admitted


def test_every_verdict_has_one_finding_per_criterion_in_file_order(criteria: CriteriaSet) -> None:
    for verdict in verdicts_on(criteria, EVALUATION_DATE):
        assert tuple(finding.criterion_id for finding in verdict.findings) == criteria.ids
        assert verdict.criteria_hash == criteria.hash
        assert verdict.evaluated_on == EVALUATION_DATE


def test_verdicts_survive_a_round_trip_through_json(criteria: CriteriaSet) -> None:
    for verdict in verdicts_on(criteria, EVALUATION_DATE):
        stored = json.loads(json.dumps(verdict.to_dict()))
        assert Verdict.from_dict(stored) == verdict


def test_the_admission_list_names_the_admitted_suppliers(criteria: CriteriaSet) -> None:
    verdicts = verdicts_on(criteria, EVALUATION_DATE)
    listed = admission_list(verdicts)
    assert [entry["id"] for entry in listed] == ADMITTED
    assert listed[0] == {
        "id": "sup-bloesemhof",
        "name": "Bloesemhof Voedingszorg B.V.",
        "kvk": "90412873",
        "agb": "43016952",
    }
    digest = admission_hash(verdicts)
    assert len(digest) == 64
    assert digest == admission_hash(list(reversed(verdicts)))
    assert digest != admission_hash([v for v in verdicts if v.supplier_id != "sup-molenwiek"])


def test_the_responses_keep_their_source_and_raw_document(criteria: CriteriaSet) -> None:
    responses = load_responses(RESPONSES, TENDER_ID, criteria)
    for path, response in zip(RESPONSES, responses, strict=True):
        assert response.source == str(path)
        assert response.document == json.loads(path.read_text(encoding="utf-8"))
        assert response.supplier.id.startswith("sup-")


def test_the_criteria_hash_follows_content_not_layout(criteria: CriteriaSet, tmp_path: Path) -> None:
    text = CRITERIA.read_text(encoding="utf-8")
    relaid = tmp_path / "criteria.toml"
    relaid.write_text("# another comment\n\n" + text.replace("\n\n", "\n\n\n"), encoding="utf-8")
    assert load_criteria(relaid).hash == criteria.hash

    changed = tmp_path / "changed.toml"
    changed.write_text(text.replace('id = "DV-06"', 'id = "DV-06"\nmin = 3000000'), encoding="utf-8")
    assert load_criteria(changed).hash != criteria.hash
