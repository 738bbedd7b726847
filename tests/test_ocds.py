"""The OCDS export: valid against the official OCDS 1.1.5 schemas with the bid and requirements extensions, and
saying the right things (roles, statuses, amounts, no practice data), the same way every time.

The validator (:mod:`auction.ocds_validation`) is built offline from ``../shared/testdata/ocds/``: the core release
schema with the extensions' JSON Merge Patches applied, and the package schema's reference to the release schema
mapped to that result. The tests below prove it real both ways: the standard's examples pass, broken packages fail.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from auction.documents.ocds.release import EXTENSIONS, procurement_release, release_package
from auction.documents.ocds.validation import merge_patch, validate_package
from auction.documents.ocds.values import amount, to_ms
from auction.documents.records import (
    AwardRecord,
    AwardStatus,
    BidRecord,
    LotOutcome,
    Objection,
    Offer,
    ProcurementRecord,
    SupplierIdentity,
)
from auction.rules.core import contract_months
from auction.rules.money import format_price, parse_price
from auction.tender.file import Lot, Tender
from auction.tender.loading import load_tender
from scripts.kit.example import example_responses_and_verdicts

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT.parent / "shared" / "testdata" / "ocds"

EVALUATION_DAY = date(2026, 8, 1)
ADMITTED = ("sup-bloesemhof", "sup-klaverveld", "sup-lepelaar", "sup-molenwiek")
EXCLUDED = ("sup-ooievaar", "sup-tulpenburg")
KVK_KLAVERVELD = "81275406"


def ms(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return to_ms(datetime(year, month, day, hour, minute, second, tzinfo=UTC))


# ── the offline validator (auction/ocds_validation.py) ─────────────────────────────────────────────────────


def _load(name: str) -> Any:
    return json.loads((TESTDATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def validate() -> Any:
    if not TESTDATA.is_dir():
        pytest.skip(f"the OCDS schemas are not here: {TESTDATA} (../shared/testdata is not part of this repository)")
    return lambda package: validate_package(package, TESTDATA)


# ── hand-built records over the real example files ──────────────────────────────────────────────────────────


@cache
def example_tender() -> Tender:
    return load_tender(ROOT / "examples" / "tender.toml")


def _base_record() -> ProcurementRecord:
    tender = example_tender()
    criteria, found, judged = example_responses_and_verdicts()
    responses, verdicts = tuple(found), tuple(judged)
    suppliers = {
        r.supplier.id: SupplierIdentity(r.supplier.id, r.supplier.name, r.supplier.kvk, r.supplier.agb)
        for r in responses
    }
    return ProcurementRecord(
        tender=tender,
        criteria=criteria,
        responses=responses,
        verdicts=verdicts,
        suppliers=suppliers,
        admission_hash="a" * 64,
        concept_contract_version="1.0",
        concept_contract_hash="c" * 64,
        lots=(),
        bids=(),
        public_url="http://127.0.0.1:8000",
        generated_at=ms(2026, 10, 2, 9),
    )


def _total(lot: Lot, prices: dict[str, str]) -> str:
    return format_price(sum(parse_price(prices[line.id], 2) * line.volume for line in lot.lines), 2)


def make_offers(lot: Lot, priced: list[tuple[str, dict[str, str], int]]) -> tuple[Offer, ...]:
    """Final offers, ranked by total (lowest first), from (supplier, prices per line, time)."""
    ranked = sorted(priced, key=lambda entry: (parse_price(_total(lot, entry[1]), 2), entry[2]))
    return tuple(
        Offer(
            rank=rank,
            supplier_id=supplier,
            alias=f"Bieder {chr(64 + rank)}",
            total=_total(lot, prices),
            prices=prices,
            bid_id=f"b-{lot.id}-{supplier}",
            at=at,
            bids_placed=3,
        )
        for rank, (supplier, prices, at) in enumerate(ranked, start=1)
    )


def make_contract(record: ProcurementRecord, lot: Lot, offer: Offer, head: tuple[int, str]) -> dict[str, Any]:
    """The contract dict the engine records (docs/contract.md), computed the same way for the test."""
    tender = record.tender
    start, end = tender.contract_period.start.isoformat(), tender.contract_period.end.isoformat()
    months = contract_months(start, end)
    total = parse_price(offer.total, 2)
    insured = sum(insurer.insured for insurer in tender.insurers)
    supplier = record.suppliers[offer.supplier_id]
    return {
        "auction_id": f"{tender.id}-{lot.id}-live",
        "tender_id": tender.id,
        "lot_id": lot.id,
        "lot_name": lot.name,
        "supplier": {"id": supplier.id, "name": supplier.name, "kvk": supplier.kvk, "agb": supplier.agb},
        "rank": offer.rank,
        "winning_bid_id": offer.bid_id,
        "lines": [
            {
                "id": line.id,
                "description": line.description,
                "unit": line.unit,
                "volume": line.volume,
                "price": offer.prices[line.id],
                "value": format_price(parse_price(offer.prices[line.id], 2) * line.volume, 2),
            }
            for line in lot.lines
        ],
        "total_per_year": offer.total,
        "currency": "EUR",
        "period": {"start": start, "end": end, "months": months},
        "contract_value": format_price(total * months // 12, 2),
        "insurers": [
            {
                "id": insurer.id,
                "name": insurer.name,
                "insured": insurer.insured,
                "share": str(Fraction(insurer.insured, insured)),
                "expected_value_per_year": format_price(total * insurer.insured // insured, 2),
                "expected_value": format_price(total * months // 12 * insurer.insured // insured, 2),
                "expected_volumes": {line.id: line.volume * insurer.insured // insured for line in lot.lines},
            }
            for insurer in tender.insurers
        ],
        "concept_contract": {"version": record.concept_contract_version, "hash": record.concept_contract_hash},
        "admission_hash": record.admission_hash,
        "journal_head": {"seq": head[0], "hash": head[1]},
    }


def bid_records(outcome: LotOutcome) -> tuple[BidRecord, ...]:
    """Two superseded bids and the final one per bidder, as the journal would hold them."""
    records: list[BidRecord] = []
    seq = 1
    for offer in outcome.offers:
        for step in (2, 1, 0):
            prices = {line: format_price(parse_price(p, 2) + 5 * step, 2) for line, p in offer.prices.items()}
            seq += 1
            records.append(
                BidRecord(
                    auction_id=outcome.auction_id,
                    lot_id=outcome.lot.id,
                    supplier_id=offer.supplier_id,
                    bid_id=offer.bid_id if step == 0 else f"{offer.bid_id}-{step}",
                    seq=seq,
                    entry_hash=f"{seq:064x}",
                    at=offer.at - step * 60_000,
                    total=_total(outcome.lot, prices),
                    prices=prices,
                    entered_by="bidder",
                    final=step == 0,
                )
            )
    return tuple(records)


L1_PRICES = [
    ("sup-klaverveld", {"L1-01": "2.00", "L1-02": "2.30", "L1-03": "2.15"}, ms(2026, 9, 15, 8, 41)),
    ("sup-lepelaar", {"L1-01": "2.02", "L1-02": "2.31", "L1-03": "2.20"}, ms(2026, 9, 15, 8, 44)),
    ("sup-bloesemhof", {"L1-01": "2.05", "L1-02": "2.40", "L1-03": "2.25"}, ms(2026, 9, 15, 8, 30)),
]
L2_PRICES = [
    ("sup-molenwiek", {"L2-01": "4.61", "L2-02": "5.39", "L2-03": "3.05"}, ms(2026, 9, 15, 10, 52)),
    ("sup-lepelaar", {"L2-01": "4.70", "L2-02": "5.45", "L2-03": "3.10"}, ms(2026, 9, 15, 10, 49)),
]


def _outcome(lot: Lot, priced: list[tuple[str, dict[str, str], int]], opened: int) -> LotOutcome:
    """A closed live auction with its final offers and no award yet."""
    offers = make_offers(lot, priced)
    return LotOutcome(
        auction_id=f"DV-2027-{lot.id}-live",
        lot=lot,
        phase="closed",
        opened_at=opened,
        closed_at=opened + 3_600_000,
        offers=offers,
        bid_count=3 * len(offers),
        award=None,
        journal_head_seq=3 * len(offers) + 4,
        journal_head_hash="e" * 64,
    )


def _award(record: ProcurementRecord, outcome: LotOutcome, status: AwardStatus) -> AwardRecord:
    intended = ms(2026, 9, 16, 9)
    definitive = status in ("definitive", "signed")
    return AwardRecord(
        status=status,
        reason="Laagste volumegewogen totaal in de veiling.",
        intended_at=intended,
        rank_chosen=1,
        contract=make_contract(record, outcome.lot, outcome.offers[0], (outcome.journal_head_seq, "e" * 64)),
        standstill_ends=ms(2026, 9, 30, 22),
        objections=(Objection("sup-lepelaar", ms(2026, 9, 20, 12), "Wij betwisten de rangorde."),),
        definitive_at=ms(2026, 10, 1, 8) if definitive else None,
        definitive_reason="Bezwaar ongegrond verklaard." if definitive else None,
        signed_at=ms(2026, 10, 1, 15) if status == "signed" else None,
        signatory="M. de Wit" if status == "signed" else None,
        signed_on="2026-10-01" if status == "signed" else None,
    )


def practice_bid() -> BidRecord:
    return BidRecord(
        auction_id="DV-2027-L1-practice",
        lot_id="L1",
        supplier_id="sup-klaverveld",
        bid_id="b-practice-only",
        seq=2,
        entry_hash="f" * 64,
        at=ms(2026, 9, 8, 9),
        total="1.00",
        prices={"L1-01": "0.01", "L1-02": "0.01", "L1-03": "0.01"},
        entered_by="bidder",
        final=True,
    )


def signed_and_withheld_record() -> ProcurementRecord:
    """Lot L1 awarded definitively and signed; lot L2 withheld after its auction."""
    base = _base_record()
    tender = base.tender
    l1 = _outcome(tender.lot("L1"), L1_PRICES, ms(2026, 9, 15, 8))
    l1 = replace(l1, award=_award(base, l1, "signed"), phase="signed")
    l2 = _outcome(tender.lot("L2"), L2_PRICES, ms(2026, 9, 15, 10))
    withheld = AwardRecord(
        status="withheld",
        reason="Alle biedingen liggen boven het budget van de zorgverzekeraars.",
        intended_at=ms(2026, 9, 16, 10),
        rank_chosen=None,
        contract=None,
        standstill_ends=None,
        objections=(),
        definitive_at=None,
        definitive_reason=None,
        signed_at=None,
        signatory=None,
        signed_on=None,
    )
    l2 = replace(l2, award=withheld, phase="no_award")
    # A practice bid slipped in on purpose: the export must never show practice data, whatever the record holds.
    bids = bid_records(l1) + bid_records(l2) + (practice_bid(),)
    return replace(base, lots=(l1, l2), bids=bids)


def intention_only_record() -> ProcurementRecord:
    """Lot L1 has an intention to award (standstill running); lot L2's auction has not run."""
    base = _base_record()
    l1 = _outcome(base.tender.lot("L1"), L1_PRICES, ms(2026, 9, 15, 8))
    l1 = replace(l1, award=replace(_award(base, l1, "intended"), objections=()), phase="intended")
    return replace(base, lots=(l1,), bids=bid_records(l1), generated_at=ms(2026, 9, 16, 9, 5))


def release_of(package: dict[str, Any]) -> dict[str, Any]:
    (release,) = package["releases"]
    return dict(release)


def party(release: dict[str, Any], party_id: str) -> dict[str, Any]:
    (found,) = [p for p in release["parties"] if p["id"] == party_id]
    return dict(found)


# ── validity ─────────────────────────────────────────────────────────────────────────────────────────────────


def test_signed_and_withheld_procurement_is_valid_ocds(validate: Any) -> None:
    package = release_package(signed_and_withheld_record())
    assert validate(package) == []
    release = release_of(package)
    assert release["tag"] == ["tender", "award", "contract"]
    awards = {award["relatedLots"][0]: award for award in release["awards"]}
    assert awards["L1"]["status"] == "active"
    assert awards["L2"]["status"] == "unsuccessful"
    assert "suppliers" not in awards["L2"] and "value" not in awards["L2"]
    (contract,) = release["contracts"]
    assert contract["awardID"] == awards["L1"]["id"]
    assert contract["status"] == "active"
    assert contract["dateSigned"] == "2026-10-01T00:00:00+02:00"
    assert contract["period"] == {
        "startDate": "2027-01-01T00:00:00+01:00",
        "endDate": "2028-12-31T23:59:59+01:00",
        "durationInDays": 731,
    }
    lots = {lot["id"]: lot for lot in release["tender"]["lots"]}
    assert (lots["L1"]["status"], lots["L2"]["status"], release["tender"]["status"]) == (
        "complete",
        "unsuccessful",
        "complete",
    )


def test_intention_only_procurement_is_valid_ocds(validate: Any) -> None:
    package = release_package(intention_only_record())
    assert validate(package) == []
    release = release_of(package)
    assert release["tag"] == ["tender", "award"]
    (award,) = release["awards"]
    assert award["status"] == "pending"
    assert award["date"] == "2026-09-16T09:00:00.000Z"
    assert "contracts" not in release
    assert release["tender"]["status"] == "active"
    assert {lot["id"]: lot["status"] for lot in release["tender"]["lots"]} == {"L1": "active", "L2": "active"}


def test_a_definitive_award_has_a_pending_contract_until_signed(validate: Any) -> None:
    base = _base_record()
    l1 = _outcome(base.tender.lot("L1"), L1_PRICES, ms(2026, 9, 15, 8))
    l1 = replace(l1, award=_award(base, l1, "definitive"), phase="definitive")
    package = release_package(replace(base, lots=(l1,), bids=bid_records(l1)))
    assert validate(package) == []
    release = release_of(package)
    (award,) = release["awards"]
    (contract,) = release["contracts"]
    assert (award["status"], award["date"]) == ("active", "2026-10-01T08:00:00.000Z")
    assert contract["status"] == "pending" and "dateSigned" not in contract


def test_a_procurement_before_any_auction_is_valid_ocds(validate: Any) -> None:
    package = release_package(_base_record())
    assert validate(package) == []
    release = release_of(package)
    assert release["tag"] == ["tender"]
    assert "awards" not in release and "contracts" not in release


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda p: p["releases"][0]["awards"][0].update(status="granted"), id="award status off codelist"),
        pytest.param(lambda p: p["releases"][0].pop("ocid"), id="release without ocid"),
        pytest.param(lambda p: p["releases"][0]["bids"]["details"][0].update(status="accepted"), id="bid status"),
        pytest.param(
            lambda p: p["releases"][0]["tender"]["criteria"][0]["requirementGroups"][0]["requirements"][0].update(
                dataType="yes/no"
            ),
            id="requirement data type",
        ),
        pytest.param(lambda p: p["releases"][0]["contracts"][0].pop("awardID"), id="contract without awardID"),
        pytest.param(lambda p: p["releases"][0].update(date="1 oktober 2026"), id="release date not a date-time"),
        pytest.param(lambda p: p.pop("publisher"), id="package without publisher"),
    ],
)
def test_a_broken_package_fails_validation(validate: Any, breakage: Any) -> None:
    package = copy.deepcopy(release_package(signed_and_withheld_record()))
    breakage(package)
    assert validate(package) != []


@pytest.mark.parametrize("example", ["award.json", "contract.json", "tender.json"])
def test_the_standards_own_examples_pass(validate: Any, example: str) -> None:
    # The other side of the broken-package test: the validator is not stricter than the standard.
    assert validate(_load(example)) == []


def test_the_package_schema_reaches_the_patched_release_schema(validate: Any) -> None:
    # A bid status exists only in the bid extension: the package-level check (through the mapped reference) must
    # report it as well as the check of the release on its own, so the same problem appears twice.
    package = copy.deepcopy(release_package(intention_only_record()))
    package["releases"][0]["bids"]["details"][0]["status"] = "accepted"
    problems = validate(package)
    assert len(problems) == 2 and problems[0] == problems[1]
    assert problems[0].startswith("releases/0/bids/details/0/status: 'accepted' is not one of")


def test_merge_patch_follows_rfc_7386() -> None:
    target = {"a": {"b": 1, "c": [1, 2]}, "d": "keep", "e": "drop"}
    patch = {"a": {"b": None, "c": [3], "f": {"g": None}}, "e": None}
    assert merge_patch(target, patch) == {"a": {"c": [3], "f": {}}, "d": "keep"}
    assert merge_patch({"a": 1}, ["x"]) == ["x"]


# ── what the export says ─────────────────────────────────────────────────────────────────────────────────────


def test_parties_have_their_roles() -> None:
    record = signed_and_withheld_record()
    release = release_of(release_package(record))
    for insurer in record.tender.insurers:
        assert party(release, insurer.id)["roles"] == ["buyer"]
    organiser = party(release, release["tender"]["procuringEntity"]["id"])
    assert organiser["roles"] == ["procuringEntity"]
    assert organiser["name"] == record.tender.organiser
    winner = party(release, f"NL-KVK-{KVK_KLAVERVELD}")
    assert winner["roles"] == ["tenderer", "supplier"]
    assert winner["identifier"] == {"scheme": "NL-KVK", "id": KVK_KLAVERVELD, "legalName": winner["name"]}
    assert winner["additionalIdentifiers"] == [{"scheme": "NL-AGB", "id": record.suppliers["sup-klaverveld"].agb}]
    tenderers = [p for p in release["parties"] if "tenderer" in p["roles"]]
    assert len(tenderers) == len(record.responses) == 6
    assert [p["id"] for p in release["parties"] if "supplier" in p["roles"]] == [winner["id"]]
    (award,) = [a for a in release["awards"] if a["status"] == "active"]
    assert award["suppliers"] == [{"id": winner["id"], "name": winner["name"]}]
    assert "contactPoint" not in winner  # a contact person's name and e-mail are personal data


def test_an_insurer_that_organises_is_one_party_with_both_roles() -> None:
    record = _base_record()
    record = replace(record, tender=record.tender.model_copy(update={"organiser": "Zorgverzekeraar Waddenzee"}))
    release = release_of(release_package(record))
    assert party(release, "zv-waddenzee")["roles"] == ["buyer", "procuringEntity"]
    assert release["tender"]["procuringEntity"]["id"] == "zv-waddenzee"
    assert not [p for p in release["parties"] if p["id"] == "organiser"]


def test_responses_are_requests_to_participate_and_excluded_ones_are_disqualified() -> None:
    release = release_of(release_package(signed_and_withheld_record()))
    requests = {
        bid["tenderers"][0]["id"]: bid
        for bid in release["bids"]["details"]
        if bid["submissionType"] == "expressionOfInterest"
    }
    record = signed_and_withheld_record()
    status = {
        supplier_id: requests[f"NL-KVK-{record.suppliers[supplier_id].kvk}"]["status"]
        for supplier_id in record.suppliers
    }
    assert status == {**{s: "valid" for s in ADMITTED}, **{s: "disqualified" for s in EXCLUDED}}
    ooievaar = requests[f"NL-KVK-{record.suppliers['sup-ooievaar'].kvk}"]
    assert "ALG-06" in ooievaar["description_en"] and "UIT-04" in ooievaar["description_en"]
    answered = {response["requirement"]["id"]: response for response in ooievaar["requirementResponses"]}
    assert answered["ALG-06-R1"]["value"] == "2025-11-30T00:00:00+01:00"  # a date answer as a date-time
    assert "expired" in answered["ALG-06-R1"]["description_en"]
    # Excluded suppliers never bid: every auction bid is from an admitted supplier.
    admitted_parties = {f"NL-KVK-{record.suppliers[s].kvk}" for s in ADMITTED}
    auction_bids = [bid for bid in release["bids"]["details"] if bid["submissionType"] == "bid"]
    assert auction_bids and all(bid["tenderers"][0]["id"] in admitted_parties for bid in auction_bids)


def test_criteria_map_to_requirements() -> None:
    release = release_of(release_package(signed_and_withheld_record()))
    criteria = {criterion["id"]: criterion for criterion in release["tender"]["criteria"]}
    assert len(criteria) == 27

    def requirement(criterion_id: str) -> dict[str, Any]:
        (group,) = criteria[criterion_id]["requirementGroups"]
        (only,) = group["requirements"]
        return dict(only)

    assert criteria["UIT-01"]["classification"] == {"scheme": "ESPD", "id": "CRITERION.EXCLUSION.BUSINESS.BANKRUPTCY"}
    assert "classification" not in criteria["ALG-01"]
    assert requirement("UIT-01")["dataType"] == "boolean" and requirement("UIT-01")["expectedValue"] is False
    assert requirement("DV-02")["dataType"] == "number" and requirement("DV-02")["maxValue"] == 2
    assert requirement("DV-06")["minValue"] == 2500000 and "maxValue" not in requirement("DV-06")
    assert requirement("ALG-06")["dataType"] == "date-time" and "2026-08-01" in requirement("ALG-06")["description_en"]
    choice = requirement("ALG-03")
    assert choice["dataType"] == "string" and "expectedValue" not in choice
    assert re.match(choice["pattern"], "niet van toepassing") and not re.match(choice["pattern"], "nee")


def test_final_offers_are_valid_bids_and_superseded_bids_are_only_counted() -> None:
    record = signed_and_withheld_record()
    release = release_of(release_package(record))
    auction_bids = [bid for bid in release["bids"]["details"] if bid["submissionType"] == "bid"]
    final_ids = {offer.bid_id for outcome in record.lots for offer in outcome.offers}
    assert {bid["id"] for bid in auction_bids} == final_ids
    assert all(bid["status"] == "valid" for bid in auction_bids)
    superseded = {bid.bid_id for bid in record.bids if not bid.final}
    assert superseded and not superseded & {bid["id"] for bid in release["bids"]["details"]}
    statistics = {statistic["id"]: statistic["value"] for statistic in release["bids"]["statistics"]}
    assert statistics["L1-bids"] == 9 and statistics["L1-bidders"] == 3
    assert (statistics["requests"], statistics["qualifiedBidders"], statistics["disqualifiedBidders"]) == (6, 4, 2)
    winner_bid = next(bid for bid in auction_bids if bid["rank"] == 1 and bid["relatedLots"] == ["L1"])
    (award,) = [a for a in release["awards"] if a["status"] == "active"]
    assert award["relatedBids"] == [winner_bid["id"]]
    assert winner_bid["value"] == award["value"]  # the full-period value, computed as the contract computes it


def test_no_practice_auction_data_appears() -> None:
    record = signed_and_withheld_record()
    assert any("practice" in bid.auction_id for bid in record.bids)  # the record holds one, on purpose
    text = json.dumps(release_package(record))
    assert "practice" not in text and "b-practice-only" not in text


def test_amounts_are_exact_json_numbers() -> None:
    record = signed_and_withheld_record()
    release = release_of(release_package(record))
    (award,) = [a for a in release["awards"] if a["status"] == "active"]
    contract = next(o.award.contract for o in record.lots if o.award and o.award.contract)
    assert contract is not None
    assert award["value"] == {"amount": amount(contract["contract_value"]), "currency": "EUR"}
    assert Decimal(str(award["value"]["amount"])) == Decimal(contract["contract_value"])
    unit_prices = [item["unit"]["value"]["amount"] for item in award["items"]]
    assert unit_prices == [2, 2.3, 2.15]
    assert isinstance(unit_prices[0], int) and isinstance(unit_prices[1], float)
    # the tender's items carry the ceiling price; the tender's value is the ceiling over the contract period
    items = {item["id"]: item for item in release["tender"]["items"]}
    assert items["L1-01"]["unit"]["value"] == {"amount": 2.1, "currency": "EUR"}
    assert items["L1-01"]["quantity"] == 2400000 and items["L1-01"]["relatedLot"] == "L1"
    assert amount("4800000.00") == 4800000 and isinstance(amount("4800000.00"), int)
    with pytest.raises(ValueError, match="without losing precision"):
        amount("12345678901234567.89")


def test_auction_technique_and_method_are_declared() -> None:
    package = release_package(signed_and_withheld_record())
    tender = release_of(package)["tender"]
    assert tender["techniques"]["hasElectronicAuction"] is True
    assert "0.5 %" in tender["techniques"]["electronicAuction"]["description_en"]
    assert tender["submissionMethod"] == ["electronicAuction"]
    assert tender["procurementMethod"] == "selective"
    assert all(lot["techniques"]["hasElectronicAuction"] for lot in tender["lots"])
    assert package["extensions"] == list(EXTENSIONS)
    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2026-10-02T09:00:00.000Z"
    assert release_of(package)["ocid"] == "ocds-dvnl00-DV-2027"


def test_output_is_deterministic() -> None:
    first = json.dumps(release_package(signed_and_withheld_record()))
    again = json.dumps(release_package(signed_and_withheld_record()))  # rebuilt from the files, not the same objects
    assert first == again
    # A later step changes the content, so the release gets a new id while the ids inside stay the same.
    intention = release_of(release_package(intention_only_record()))
    signed = json.loads(first)["releases"][0]
    assert intention["id"] != signed["id"]
    assert intention["awards"][0]["id"] == signed["awards"][0]["id"] == "DV-2027-L1-award"
    # Regenerating later, with nothing new, changes only the package's publishedDate.
    later = replace(signed_and_withheld_record(), generated_at=ms(2026, 12, 1))
    assert release_of(release_package(later)) == signed
    assert procurement_release(later) == signed


def test_an_offer_from_an_unknown_supplier_is_refused() -> None:
    record = signed_and_withheld_record()
    l1 = record.lots[0]
    stranger = replace(l1.offers[1], supplier_id="sup-nobody")
    broken = replace(record, lots=(replace(l1, offers=(l1.offers[0], stranger)), record.lots[1]))
    with pytest.raises(ValueError, match='"sup-nobody"'):
        release_package(broken)


def test_two_suppliers_with_one_kvk_number_are_refused() -> None:
    record = _base_record()
    twin = replace(record.suppliers["sup-lepelaar"], kvk=KVK_KLAVERVELD)
    with pytest.raises(ValueError, match=f"same KvK number {KVK_KLAVERVELD}"):
        release_package(replace(record, suppliers={**record.suppliers, "sup-lepelaar": twin}))
