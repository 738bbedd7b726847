"""The OCDS 1.1 release package of a whole procurement: tender, qualification, auction offers, awards, contracts.

Call :func:`release_package` with the :class:`~auction.records.ProcurementRecord` whenever the procurement is to
be published as open data (typically after each award step: intention, definitive award, signing); it returns a
JSON-ready dict. The same record always gives the same output, and every id in it is derived from the record, so
two exports of one procurement can be compared and merged by id.

The field-by-field mapping and the reasons behind each choice are in ``docs/ocds.md``. The core schema is
extended with the bid, requirements, lots and techniques extensions (:data:`EXTENSIONS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from auction.documents.ocds.qualification import request_to_participate, tender_criteria
from auction.documents.ocds.values import amount, day_end, day_start, money, ms_time, texts, to_ms
from auction.documents.records import AwardRecord, LotOutcome, ProcurementRecord, SupplierIdentity
from auction.rules.core import contract_months
from auction.rules.money import format_price, parse_price
from auction.rules.wording import meat_sentence, rules_paragraph
from auction.tender.auction_rules import rules_from_tender
from auction.tender.file import Lot, Tender
from qualification.common.canonical import canonical_hash

OCID_PREFIX = "ocds-dvnl00"
"""A placeholder: a publisher must register its own prefix with the Open Contracting Partnership before real use."""

OCDS_VERSION = "1.1"

EXTENSIONS = (
    # The copies of the first two in ../shared/testdata/ocds/ are the extensions' master branch (they carry fields
    # that no tagged version has yet), so the master URLs name exactly what the export is validated against.
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_requirements_extension/master/extension.json",
    # tender.lots, relatedLot(s) and tender.techniques come from these two.
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/master/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_techniques_extension/master/extension.json",
)

KVK_SCHEME = "NL-KVK"  # org-id.guide's code for the Dutch Chamber of Commerce register
AGB_SCHEME = "NL-AGB"  # Vektis' AGB register of Dutch care providers; not (yet) an org-id.guide list
ORGANISER_PARTY_ID = "organiser"

# What an award's step means in OCDS terms. An intention is not in force yet (standstill, objections): pending.
AWARD_STATUS = {"intended": "pending", "definitive": "active", "signed": "active", "withheld": "unsuccessful"}


def ocid(tender_id: str, prefix: str = OCID_PREFIX) -> str:
    """The Open Contracting ID of a tender: the publisher's registered prefix and the tender id."""
    return f"{prefix}-{tender_id}"


def award_id(tender_id: str, lot_id: str) -> str:
    return f"{tender_id}-{lot_id}-award"


def contract_id(tender_id: str, lot_id: str) -> str:
    return f"{tender_id}-{lot_id}-contract"


def release_package(record: ProcurementRecord, *, ocid_prefix: str = OCID_PREFIX) -> dict[str, Any]:
    """The release package of the whole procurement, as a JSON-ready dict.

    Call it after any step worth publishing; each call describes the procurement as it stands in ``record``. The
    package holds one release, a snapshot of everything public so far; a later export with changed content gets
    a new release id, so a consumer can keep both and merge them in date order. ``publishedDate`` is
    ``record.generated_at``. Raises :class:`ValueError` when the record contradicts itself (an offer or award of a
    supplier that never responded, two suppliers with one KvK number).
    """
    release = procurement_release(record, ocid_prefix=ocid_prefix)
    base = record.public_url.rstrip("/")
    return {
        "uri": f"{base}/ocds/{release['id']}.json",
        "version": OCDS_VERSION,
        "extensions": list(EXTENSIONS),
        "publishedDate": ms_time(record.generated_at),
        "publisher": {"name": record.tender.organiser, **({"uri": base} if base else {})},
        "releases": [release],
    }


def procurement_release(record: ProcurementRecord, *, ocid_prefix: str = OCID_PREFIX) -> dict[str, Any]:
    """The single release inside :func:`release_package`; call it directly to embed the release elsewhere (a
    record package, a feed). Its id is the ocid and a digest of its content: same content, same id."""
    export = _Export(record)
    tender = _tender(export)
    bids = _bids(export)
    awards = [_award(export, outcome) for outcome in record.lots if outcome.award is not None]
    contracts = [
        _contract(export, outcome)
        for outcome in record.lots
        if outcome.award is not None and outcome.award.status in ("definitive", "signed")
    ]  # an intention is not a contract yet: the standstill may still change who gets it
    tags = ["tender"] + (["award"] if awards else []) + (["contract"] if contracts else [])
    body: dict[str, Any] = {
        "ocid": ocid(record.tender.id, ocid_prefix),
        "date": ms_time(_latest_change(record)),
        "tag": tags,
        "initiationType": "tender",
        "language": "nl",
        # No release-level `buyer`: it holds one organization, and here every participating insurer is a buyer.
        # All of them are in `parties` with the role buyer.
        "parties": export.parties.listed(),
        "tender": tender,
        "bids": bids,
    }
    if awards:
        body["awards"] = awards
    if contracts:
        body["contracts"] = contracts
    digest = canonical_hash(body)[:16]
    return {"ocid": body["ocid"], "id": f"{body['ocid']}-{digest}", **{k: v for k, v in body.items() if k != "ocid"}}


# ── parties ──────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class _Parties:
    """The parties section, built up as the other sections name organizations; each party appears once."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, party: dict[str, Any], role: str) -> dict[str, Any]:
        """Add ``party`` (or the role to the party already there) and return its organization reference."""
        existing = self.entries.get(party["id"])
        if existing is None:
            existing = {**party, "roles": []}
            self.entries[party["id"]] = existing
        elif existing["name"] != party["name"]:
            raise ValueError(
                f'two organizations share the party id "{party["id"]}": "{existing["name"]}" and "{party["name"]}"'
            )
        if role not in existing["roles"]:
            existing["roles"].append(role)
        return {"id": existing["id"], "name": existing["name"]}

    def listed(self) -> list[dict[str, Any]]:
        return list(self.entries.values())


def _supplier_party(identity: SupplierIdentity) -> dict[str, Any]:
    # The KvK number identifies the company for anyone (org-id convention: scheme-id); the AGB code is how Dutch
    # health care knows the same company.
    return {
        "id": f"{KVK_SCHEME}-{identity.kvk}",
        "name": identity.name,
        "identifier": {"scheme": KVK_SCHEME, "id": identity.kvk, "legalName": identity.name},
        "additionalIdentifiers": [{"scheme": AGB_SCHEME, "id": identity.agb}],
    }


class _Export:
    """What the sections share: the record, lookups by id, the parties and the contract period."""

    def __init__(self, record: ProcurementRecord) -> None:
        self.record = record
        self.tender: Tender = record.tender
        self.currency = record.tender.currency
        self.decimals = record.tender.auction.price_decimals
        period = record.tender.contract_period
        self.months = contract_months(period.start.isoformat(), period.end.isoformat())
        self.responses = {response.supplier.id: response for response in record.responses}
        self.verdicts = {verdict.supplier_id: verdict for verdict in record.verdicts}
        self.identities: dict[str, SupplierIdentity] = {
            response.supplier.id: SupplierIdentity(
                response.supplier.id, response.supplier.name, response.supplier.kvk, response.supplier.agb
            )
            for response in record.responses
        }
        self.identities.update(record.suppliers)  # the record's own table wins over the response files
        # The KvK number is the party id: two suppliers with one number would silently become one party.
        kvks: dict[str, str] = {}
        for supplier_id in sorted(self.identities):
            kvk = self.identities[supplier_id].kvk
            if kvk in kvks:
                raise ValueError(f'suppliers "{kvks[kvk]}" and "{supplier_id}" have the same KvK number {kvk}')
            kvks[kvk] = supplier_id
        self.parties = _Parties()
        self._add_buyers_and_organiser()
        for supplier_id in sorted(self.identities):  # parties in a fixed order: buyers, organiser, suppliers by id
            self.tenderer(supplier_id)

    def _add_buyers_and_organiser(self) -> None:
        organiser_ref: dict[str, Any] | None = None
        for insurer in self.tender.insurers:
            party = {"id": insurer.id, "name": insurer.name}
            self.parties.add(party, "buyer")
            if self.tender.organiser in (insurer.name, insurer.id):
                # One of the insurers runs the procurement for all: one party with both roles.
                organiser_ref = self.parties.add(party, "procuringEntity")
        if organiser_ref is None:
            organiser_ref = self.parties.add(
                {"id": ORGANISER_PARTY_ID, "name": self.tender.organiser}, "procuringEntity"
            )
        self.organiser_ref = organiser_ref

    def identity(self, supplier_id: str, where: str) -> SupplierIdentity:
        identity = self.identities.get(supplier_id)
        if identity is None:
            raise ValueError(f'{where} names supplier "{supplier_id}", who is not among the responding suppliers')
        return identity

    def tenderer(self, supplier_id: str, where: str = "the record") -> dict[str, Any]:
        return self.parties.add(_supplier_party(self.identity(supplier_id, where)), "tenderer")

    def supplier(self, supplier_id: str, where: str) -> dict[str, Any]:
        return self.parties.add(_supplier_party(self.identity(supplier_id, where)), "supplier")

    def period_value(self, total_per_year: str) -> str:
        """A yearly total over the whole contract period, rounded down to the price unit as the contract is."""
        return format_price(parse_price(total_per_year, self.decimals) * self.months // 12, self.decimals)


def _latest_change(record: ProcurementRecord) -> int:
    """The time of the last recorded event: the release's date, so re-exporting unchanged data changes nothing."""
    moments = [to_ms(response.submitted_at) for response in record.responses]
    for outcome in record.lots:
        moments += [m for m in (outcome.opened_at, outcome.closed_at) if m is not None]
        moments += [offer.at for offer in outcome.offers]
        award = outcome.award
        if award is not None:
            moments += [m for m in (award.intended_at, award.definitive_at, award.signed_at) if m is not None]
            moments += [objection.received_at for objection in award.objections]
    return max(moments, default=record.generated_at)


# ── tender ───────────────────────────────────────────────────────────────────────────────────────────────────


def _lot_status(outcome: LotOutcome | None) -> str:
    if outcome is None:
        return "active"
    if outcome.phase == "cancelled":
        return "cancelled"
    if outcome.award is None:
        return "active"
    return {"intended": "active", "definitive": "complete", "signed": "complete", "withheld": "unsuccessful"}[
        outcome.award.status
    ]


def _tender_status(lot_statuses: list[str]) -> str:
    ended = {"complete", "unsuccessful", "cancelled"}
    if any(status not in ended for status in lot_statuses):
        return "active"
    if "complete" in lot_statuses:
        return "complete"  # at least one lot was contracted; the others' ends are in their own status
    return "cancelled" if set(lot_statuses) == {"cancelled"} else "unsuccessful"


def _ceiling_value(export: _Export, lot: Lot) -> str:
    # Ceiling × yearly volume summed over the lines, over the contract period: the most the lot can cost.
    per_year = sum(parse_price(line.ceiling, export.decimals) * line.volume for line in lot.lines)
    return format_price(per_year * export.months // 12, export.decimals)


def _contract_period(start: date, end: date) -> dict[str, Any]:
    return {"startDate": day_start(start), "endDate": day_end(end), "durationInDays": (end - start).days + 1}


def _auction_rules_text(tender: Tender) -> dict[str, str]:
    """The auction rules in words (the same for every lot: only the lines differ), plus who may bid."""
    cfg = rules_from_tender(tender, tender.lots[0].id)
    admitted = {
        "nl": "Alleen leveranciers die de kwalitatieve selectie doorstonden, bieden mee.",
        "en": "Only suppliers that passed the qualitative selection take part.",
    }
    return {language: f"{rules_paragraph(cfg, language)} {admitted[language]}" for language in ("nl", "en")}


def _award_criteria(tender: Tender) -> dict[str, Any]:
    """OCDS award criteria: price only, or rated criteria when the ranking weighs in the quality score (MEAT)."""
    cfg = rules_from_tender(tender, tender.lots[0].id)
    if cfg.meat_formula is not None:
        details = texts("awardCriteriaDetails", meat_sentence(cfg, "nl"), meat_sentence(cfg, "en"))
        return {"awardCriteria": "ratedCriteria", **details}
    if cfg.format == "japanese":
        nl = "De laatste bieder die het dalende prijsniveau accepteert; bij gelijk niveau de vroegste acceptatie."
        en = "The last bidder to accept the falling price level; at the same level the earliest acceptance."
    elif cfg.format == "dutch":
        nl = "De eerste bieder die het stijgende prijsniveau accepteert."
        en = "The first bidder to accept the rising price level."
    else:
        nl = "Laagste volumegewogen totaal per jaar in de veiling; bij gelijke totalen het eerdere bod."
        en = "Lowest volume-weighted total per year in the auction; on equal totals the earlier bid."
    return {"awardCriteria": "priceOnly", **texts("awardCriteriaDetails", nl, en)}


def _lot_auction_text(outcome: LotOutcome | None) -> dict[str, str]:
    if outcome is None or outcome.opened_at is None:
        return texts("description", "De veiling van dit perceel is nog niet geopend.", "Not opened yet.")
    nl = f"Veiling {outcome.auction_id}, geopend {ms_time(outcome.opened_at)}"
    en = f"Auction {outcome.auction_id}, opened {ms_time(outcome.opened_at)}"
    if outcome.closed_at is not None:
        nl += f", gesloten {ms_time(outcome.closed_at)}"
        en += f", closed {ms_time(outcome.closed_at)}"
    nl += f"; {outcome.bid_count} geaccepteerde biedingen van {len(outcome.offers)} bieders."
    en += f"; {outcome.bid_count} accepted bids from {len(outcome.offers)} bidders."
    return texts("description", nl, en)


def _tender_items(export: _Export) -> list[dict[str, Any]]:
    # One item per product line; quantity is the estimated yearly volume (all insurers together) and the unit's
    # value is the ceiling price: the most a bid may ask per unit.
    return [
        {
            "id": line.id,
            "description": line.description,
            "quantity": line.volume,
            "unit": {"name": line.unit, "value": money(line.ceiling, export.currency)},
            "relatedLot": lot.id,
        }
        for lot in export.tender.lots
        for line in lot.lines
    ]


def _tender_documents(export: _Export) -> list[dict[str, Any]]:
    record = export.record
    # Not published as files here; the hashes let anyone holding a copy check that it is the one used.
    return [
        {
            "id": "concept-contract",
            "documentType": "contractDraft",
            **texts("title", "Conceptcontract", "Draft contract"),
            **texts(
                "description",
                f"Versie {record.concept_contract_version}; SHA-256 {record.concept_contract_hash}.",
                f"Version {record.concept_contract_version}; SHA-256 {record.concept_contract_hash}.",
            ),
        },
        {
            "id": "criteria",
            "documentType": "eligibilityCriteria",
            **texts("title", "Criteria kwalitatieve selectie", "Qualitative selection criteria"),
            **texts(
                "description",
                f"{len(record.criteria.criteria)} criteria; SHA-256 {record.criteria.hash}.",
                f"{len(record.criteria.criteria)} criteria; SHA-256 {record.criteria.hash}.",
            ),
        },
        {
            "id": "admission-list",
            "documentType": "evaluationReports",
            **texts("title", "Toelatingslijst veiling", "Auction admission list"),
            **texts(
                "description",
                f"De lijst van toegelaten leveranciers, bevroren met SHA-256 {record.admission_hash}.",
                f"The list of admitted suppliers, frozen with SHA-256 {record.admission_hash}.",
            ),
        },
    ]


def _tender(export: _Export) -> dict[str, Any]:
    record = export.record
    tender = export.tender
    outcomes = {outcome.lot.id: outcome for outcome in record.lots}
    statuses = [_lot_status(outcomes.get(lot.id)) for lot in tender.lots]
    lot_values = [_ceiling_value(export, lot) for lot in tender.lots]
    total = format_price(sum(parse_price(value, export.decimals) for value in lot_values), export.decimals)
    period = _contract_period(tender.contract_period.start, tender.contract_period.end)
    rules = _auction_rules_text(tender)
    insurers = ", ".join(insurer.name for insurer in tender.insurers)
    knock_out = sum(1 for criterion in record.criteria if criterion.kind == "knock-out")
    informational = len(record.criteria.criteria) - knock_out
    evaluated = max((verdict.evaluated_on for verdict in record.verdicts), default=None)
    tenderers = [export.tenderer(supplier_id) for supplier_id in sorted(export.identities)]
    lots = [
        {
            "id": lot.id,
            "title": lot.name,
            **({"description": lot.description} if lot.description else {}),
            "status": status,
            "value": money(value, export.currency),
            "contractPeriod": period,
            "techniques": {
                "hasElectronicAuction": True,
                "electronicAuction": _lot_auction_text(outcomes.get(lot.id)),
            },
        }
        for lot, status, value in zip(tender.lots, statuses, lot_values, strict=True)
    ]
    result: dict[str, Any] = {
        "id": tender.id,
        "title": tender.title,
        **texts(
            "description",
            f"Gezamenlijke inkoop namens {len(tender.insurers)} zorgverzekeraars ({insurers}), uitgevoerd door "
            f"{tender.organiser}. Eén contract per perceel, voor alle deelnemende zorgverzekeraars samen.",
            f"Joint procurement on behalf of {len(tender.insurers)} health insurers ({insurers}), run by "
            f"{tender.organiser}. One contract per lot, for all participating insurers together.",
        ),
        "status": _tender_status(statuses),
        "procuringEntity": export.organiser_ref,
        "items": _tender_items(export),
        "value": money(total, export.currency),
        # Any supplier may respond; only those passing the knock-out criteria are invited to bid: a selective
        # procedure in OCDS terms (the response is the request to participate).
        "procurementMethod": "selective",
        **texts(
            "procurementMethodDetails",
            "Kwalitatieve selectie op knock-outcriteria, gevolgd door een online omgekeerde veiling per perceel "
            "onder de toegelaten leveranciers.",
            "Qualitative selection on knock-out criteria, followed by an online reverse auction per lot among the "
            "admitted suppliers.",
        ),
        "mainProcurementCategory": "goods",
        **_award_criteria(tender),
        "submissionMethod": ["electronicAuction"],
        **texts("submissionMethodDetails", rules["nl"], rules["en"]),
        **texts(
            "eligibilityCriteria",
            f"Kwalitatieve selectie: {knock_out} knock-outcriteria en {informational} informatief; zie "
            "tender.criteria.",
            f"Qualitative selection: {knock_out} knock-out and {informational} informational criteria; see "
            "tender.criteria.",
        ),
        "contractPeriod": period,
        "numberOfTenderers": len(tenderers),
        "documents": _tender_documents(export),
        "lots": lots,
        "techniques": {
            "hasElectronicAuction": True,
            "electronicAuction": texts("description", rules["nl"], rules["en"]),
        },
        "criteria": tender_criteria(record.criteria, evaluated),
    }
    if tenderers:  # uniqueItems lists: leave an empty one out rather than publish "[]"
        result["tenderers"] = tenderers
    return result


# ── bids ─────────────────────────────────────────────────────────────────────────────────────────────────────


def _offer_items(export: _Export, lot: Lot, prices: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "id": line.id,
            "description": line.description,
            "quantity": line.volume,
            "unit": {"name": line.unit, "value": money(prices[line.id], export.currency)},
            "relatedLot": lot.id,
        }
        for line in lot.lines
        if line.id in prices
    ]


def _bids(export: _Export) -> dict[str, Any]:
    record = export.record
    details = [
        request_to_participate(
            record.criteria,
            export.responses[supplier_id],
            export.verdicts.get(supplier_id),
            export.tenderer(supplier_id),
        )
        for supplier_id in sorted(export.responses)
    ]
    admitted = sum(1 for verdict in record.verdicts if verdict.admitted)
    statistics: list[dict[str, Any]] = [
        {"id": "requests", "measure": "requests", "value": len(record.responses)},
        {"id": "qualifiedBidders", "measure": "qualifiedBidders", "value": admitted},
        {"id": "disqualifiedBidders", "measure": "disqualifiedBidders", "value": len(record.verdicts) - admitted},
    ]
    for outcome in record.lots:
        lot = outcome.lot
        # Only each bidder's final offer is listed: the superseded bids are the organiser's detail (an auditor
        # replays them from the journal); their number is public as a statistic.
        for offer in outcome.offers:
            tenderer = export.tenderer(offer.supplier_id, f"the offer {offer.bid_id} in lot {lot.id}")
            details.append(
                {
                    "id": offer.bid_id,
                    "submissionType": "bid",
                    "date": ms_time(offer.at),
                    "status": "valid",
                    **texts(
                        "description",
                        f"Laatste bod in de veiling van perceel {lot.id} ({offer.bids_placed} biedingen geplaatst); "
                        f"totaal per jaar {export.currency} {offer.total}. De waarde geldt voor de hele "
                        f"contractperiode ({export.months} maanden).",
                        f"Final offer in the auction of lot {lot.id} ({offer.bids_placed} bids placed); total per "
                        f"year {export.currency} {offer.total}. The value is for the whole contract period "
                        f"({export.months} months).",
                    ),
                    "tenderers": [tenderer],
                    "value": money(export.period_value(offer.total), export.currency),
                    "items": _offer_items(export, lot, offer.prices),
                    "relatedLots": [lot.id],
                    "hasRank": True,
                    "rank": offer.rank,
                }
            )
        when = {"date": ms_time(outcome.closed_at)} if outcome.closed_at is not None else {}
        statistics += [
            {
                "id": f"{lot.id}-bids",
                "measure": "bids",
                "value": outcome.bid_count,
                **when,
                "notes": "Every accepted bid of the live auction, including those later improved by the same bidder.",
                "relatedLot": lot.id,
            },
            {
                "id": f"{lot.id}-bidders",
                "measure": "bidders",
                "value": len(outcome.offers),
                **when,
                "relatedLot": lot.id,
            },
        ]
        if outcome.offers:
            lowest = min(outcome.offers, key=lambda offer: parse_price(offer.total, export.decimals))
            statistics.append(
                {
                    "id": f"{lot.id}-lowestValidBidValue",
                    "measure": "lowestValidBidValue",
                    "value": amount(export.period_value(lowest.total)),
                    "currency": export.currency,
                    **when,
                    "notes": "The lowest final offer (its total), over the contract period.",
                    "relatedLot": lot.id,
                }
            )
    return {"statistics": statistics, "details": details}


# ── awards and contracts ─────────────────────────────────────────────────────────────────────────────────────


def _contract_items(export: _Export, contract: dict[str, Any], lot_id: str) -> list[dict[str, Any]]:
    return [
        {
            "id": line["id"],
            "description": line["description"],
            "quantity": line["volume"],
            "unit": {"name": line["unit"], "value": money(line["price"], contract.get("currency", export.currency))},
            "relatedLot": lot_id,
        }
        for line in contract["lines"]
    ]


def _contract_supplier_id(contract: dict[str, Any]) -> str:
    supplier = contract["supplier"]
    return str(supplier["id"] if isinstance(supplier, dict) else supplier)


def _sentence(text: str) -> str:
    # The organiser's reasons are free text, often without a full stop; more text follows them.
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _award_texts(outcome: LotOutcome, award: AwardRecord) -> dict[str, str]:
    lot = outcome.lot
    if award.status == "withheld":
        nl = f"Gunning van perceel {lot.id} ({lot.name}) ingehouden. Reden: {_sentence(award.reason)}"
        en = f"Award of lot {lot.id} ({lot.name}) withheld. Reason (organiser's words): {_sentence(award.reason)}"
        return texts("description", nl, en)
    step_nl = {"intended": "Voornemen tot gunning", "definitive": "Definitieve gunning", "signed": "Gunning"}
    step_en = {"intended": "Intention to award", "definitive": "Definitive award", "signed": "Award"}
    nl = f"{step_nl[award.status]} van perceel {lot.id} ({lot.name}). Reden: {_sentence(award.reason)}"
    en = f"{step_en[award.status]} of lot {lot.id} ({lot.name}). Reason (organiser's words): {_sentence(award.reason)}"
    if award.rank_chosen is not None and award.rank_chosen > 1:
        nl += f" Gegund aan het bod op plaats {award.rank_chosen}; de beter gerangschikte zijn gepasseerd."
        en += f" Awarded to the offer ranked {award.rank_chosen}; the better-ranked offers were passed over."
    if award.standstill_ends is not None:
        # Only the number of objections: their texts and authors are between the organiser and the bidders.
        nl += f" Bezwaartermijn tot {ms_time(award.standstill_ends)}; aantal bezwaren: {len(award.objections)}."
        en += f" Objections until {ms_time(award.standstill_ends)}; objections received: {len(award.objections)}."
    if award.definitive_reason:
        nl += f" Definitief: {_sentence(award.definitive_reason)}"
        en += f" Made definitive: {_sentence(award.definitive_reason)}"
    return texts("description", nl, en)


def _award(export: _Export, outcome: LotOutcome) -> dict[str, Any]:
    award = outcome.award
    assert award is not None
    lot = outcome.lot
    status = AWARD_STATUS[award.status]
    # The award date is when the decision was taken: the intention, or the definitive award that replaced it.
    decided = award.definitive_at if status == "active" and award.definitive_at is not None else award.intended_at
    result: dict[str, Any] = {
        "id": award_id(export.tender.id, lot.id),
        **texts("title", f"Perceel {lot.id}: {lot.name}", f"Lot {lot.id}: {lot.name}"),
        **_award_texts(outcome, award),
        "status": status,
        "date": ms_time(decided),
    }
    contract = award.contract
    if status != "unsuccessful":
        if contract is None:
            raise ValueError(f"the award of lot {lot.id} is {award.status} but holds no contract")
        winner = _contract_supplier_id(contract)
        currency = contract.get("currency", export.currency)
        result["value"] = money(contract["contract_value"], currency)
        result["suppliers"] = [export.supplier(winner, f"the award of lot {lot.id}")]
        result["items"] = _contract_items(export, contract, lot.id)
        result["contractPeriod"] = _contract_period(
            date.fromisoformat(contract["period"]["start"]), date.fromisoformat(contract["period"]["end"])
        )
        result["relatedBids"] = [contract["winning_bid_id"]]
    result["relatedLots"] = [lot.id]
    return result


def _contract_texts(contract: dict[str, Any]) -> dict[str, str]:
    currency = contract.get("currency", "EUR")
    shares_nl = "; ".join(
        f"{insurer['name']} {insurer['share']} ({currency} {insurer['expected_value']})"
        for insurer in contract["insurers"]
    )
    head = contract["journal_head"]
    concept = contract["concept_contract"]
    nl = (
        f"Eén contract voor alle deelnemende zorgverzekeraars, elk met zijn aandeel en verwachte waarde over de "
        f"contractperiode: {shares_nl}. "
        f"Totaal per jaar {currency} {contract['total_per_year']}. Conceptcontract versie {concept['version']} "
        f"(SHA-256 {concept['hash']}); toelatingslijst SHA-256 {contract['admission_hash']}; volgt uit het "
        f"veilingjournaal {contract['auction_id']} tot en met regel {head['seq']} (hash {head['hash']})."
    )
    en = (
        f"One contract for all participating insurers, each with its share and expected value over the contract "
        f"period: {shares_nl}. "
        f"Total per year {currency} {contract['total_per_year']}. Draft contract version {concept['version']} "
        f"(SHA-256 {concept['hash']}); admission list SHA-256 {contract['admission_hash']}; follows from the "
        f"auction journal {contract['auction_id']} up to entry {head['seq']} (hash {head['hash']})."
    )
    return texts("description", nl, en)


def _contract(export: _Export, outcome: LotOutcome) -> dict[str, Any]:
    award = outcome.award
    assert award is not None
    contract = award.contract
    if contract is None:
        raise ValueError(f"the award of lot {outcome.lot.id} is {award.status} but holds no contract")
    lot = outcome.lot
    currency = contract.get("currency", export.currency)
    result: dict[str, Any] = {
        "id": contract_id(export.tender.id, lot.id),
        "awardID": award_id(export.tender.id, lot.id),
        **texts("title", f"Contract perceel {lot.id}: {lot.name}", f"Contract for lot {lot.id}: {lot.name}"),
        **_contract_texts(contract),
        "status": "active" if award.status == "signed" else "pending",
        "period": _contract_period(
            date.fromisoformat(contract["period"]["start"]), date.fromisoformat(contract["period"]["end"])
        ),
        "value": money(contract["contract_value"], currency),
        "items": _contract_items(export, contract, lot.id),
        "relatedBids": [contract["winning_bid_id"]],
    }
    if award.status == "signed":
        # The date written on the contract is the signing date; the moment it was recorded is the fallback.
        if award.signed_on:
            result["dateSigned"] = day_start(date.fromisoformat(award.signed_on))
        elif award.signed_at is not None:
            result["dateSigned"] = ms_time(award.signed_at)
    return result
