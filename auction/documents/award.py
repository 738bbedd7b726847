"""The documents of the award phase: letters to the bidders, the contract summary and the public award notice.

Each document is built once as blocks (:mod:`auction.documents_blocks`) and rendered twice, as Markdown and as
a self-contained HTML page, in Dutch (default) or English (:mod:`auction.documents_text`). The input is a
:class:`~auction.records.ProcurementRecord`; nothing here reads a clock, a database or a file, so the same
record always gives the same documents, byte for byte.

What each document may contain is fixed by the visibility rule (DESIGN §4): a bidder's letter shows its own
offer and rank, the winner's name and total, and never anything of another losing bidder. ``docs/documents.md``
lists, per document, who receives it, what it contains and what it never contains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from auction.documents.blocks import (
    Block,
    Bullets,
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
    text,
)
from auction.documents.records import AwardRecord, LotOutcome, Offer, ProcurementRecord, SupplierIdentity
from auction.documents.words import WORDS, fill, local_time, moment, money, names, number, percent
from auction.tender.file import Lot
from qualification.common.language import Language, check_language, day

__all__ = ["Document", "award_notice", "contract_summary", "intention_letters", "write_documents"]


@dataclass(frozen=True)
class Document:
    name: str  # file stem, e.g. "voornemen-DV-2027-L1-sup-klaverveld.nl"
    title: str
    markdown: str
    html: str  # a complete, self-contained HTML page (inline CSS, lang attribute, no external assets)


def _document(name: str, title: str, blocks: Sequence[Block], language: Language) -> Document:
    return Document(
        name=name,
        title=title,
        markdown=render_markdown(title, blocks),
        html=render_html(title, blocks, language),
    )


# ---------------------------------------------------------------------------------------------- record lookups


def _outcome(record: ProcurementRecord, lot_id: str) -> LotOutcome:
    for outcome in record.lots:
        if outcome.lot.id == lot_id:
            return outcome
    known = ", ".join(outcome.lot.id for outcome in record.lots) or "none"
    raise ValueError(f"lot {lot_id!r} has no live auction in this record (lots with one: {known})")


def _identity(record: ProcurementRecord, supplier_id: str) -> SupplierIdentity:
    identity = record.suppliers.get(supplier_id)
    if identity is not None:
        return identity
    for verdict in record.verdicts:
        if verdict.supplier_id == supplier_id:
            return SupplierIdentity(supplier_id, verdict.supplier_name, verdict.supplier_kvk, verdict.supplier_agb)
    return SupplierIdentity(supplier_id, supplier_id, "", "")


def _contact(record: ProcurementRecord, supplier_id: str) -> tuple[str, str] | None:
    for response in record.responses:
        if response.supplier.id == supplier_id:
            return response.supplier.contact.name, response.supplier.contact.email
    return None


def _contract_supplier(record: ProcurementRecord, contract: dict[str, Any]) -> SupplierIdentity:
    supplier = contract["supplier"]
    if isinstance(supplier, dict):
        return SupplierIdentity(
            str(supplier["id"]), str(supplier["name"]), str(supplier.get("kvk", "")), str(supplier.get("agb", ""))
        )
    return _identity(record, str(supplier))


def _winning_offer(outcome: LotOutcome, supplier_id: str) -> Offer:
    for offer in outcome.offers:
        if offer.supplier_id == supplier_id:
            return offer
    raise ValueError(f"auction {outcome.auction_id}: the contract's supplier {supplier_id!r} has no offer")


def _shares(record: ProcurementRecord) -> dict[str, Fraction]:
    insured = sum(insurer.insured for insurer in record.tender.insurers)
    return {insurer.id: Fraction(insurer.insured, insured) for insurer in record.tender.insurers}


def _insurer_names(record: ProcurementRecord, language: Language) -> str:
    return names([insurer.name for insurer in record.tender.insurers], language)


def _award_conditions(contract: dict[str, Any], lang: Language) -> list[tuple[str, tuple[Any, ...]]]:
    """Rows for what only some auctions have: the quality-weighted figure (MEAT) and whether the reserve was met
    (its amount is never printed)."""
    w = WORDS[lang]
    rows: list[tuple[str, tuple[Any, ...]]] = []
    weighting = contract.get("quality_weighting")
    if weighting:
        rows.append(
            (w["ranked_figure"].format(score=weighting["quality_score"]), (money(weighting["ranked_figure"], lang),))
        )
    reserve = contract.get("reserve")
    if reserve:
        rows.append((w["reserve"], (Strong(w["reserve_met" if reserve["met"] else "reserve_not_met"]),)))
    return rows


def _period(record: ProcurementRecord, contract: dict[str, Any] | None, language: Language) -> Text:
    w = WORDS[language]
    if contract is not None:
        period = contract["period"]
        start, end = day(str(period["start"]), language), day(str(period["end"]), language)
        if period.get("months") is not None:
            return fill(w["period_months"], start=start, end=end, months=int(period["months"]))
        return fill(w["period_value"], start=start, end=end)
    tender_period = record.tender.contract_period
    return fill(w["period_value"], start=day(tender_period.start, language), end=day(tender_period.end, language))


def _deadline(award: AwardRecord, language: Language) -> str:
    w = WORDS[language]
    if award.standstill_ends is None:
        return w["until_unknown"]
    return w["until_deadline"].format(deadline=moment(award.standstill_ends, language))


def _status(award: AwardRecord | None, language: Language) -> str:
    w = WORDS[language]
    if award is None:
        return w["status_none"]
    if award.status == "intended":
        if award.standstill_ends is None:
            return w["status_intended_open"]
        return w["status_intended"].format(deadline=moment(award.standstill_ends, language))
    if award.status == "signed":
        if award.signed_on:
            return w["status_signed_on"].format(date=day(award.signed_on, language))
        return w["status_signed"]
    return w["status_definitive"] if award.status == "definitive" else w["status_withheld"]


def _awarded(outcome: LotOutcome) -> tuple[AwardRecord, dict[str, Any]] | None:
    award = outcome.award
    if award is None or award.status == "withheld":
        return None
    if award.contract is None:
        raise ValueError(f"auction {outcome.auction_id}: the award is {award.status} but has no contract")
    return award, award.contract


# --------------------------------------------------------------------------------------------- shared blocks


def _line_value(price: str, volume: int) -> str:
    return str(Decimal(price) * volume)


def _offer_blocks(lot: Lot, offer: Offer, language: Language) -> list[Block]:
    """A bidder's own final offer: total, when, how many bids, and the price of every line."""
    w = WORDS[language]
    rows: list[tuple[Text, ...]] = []
    for line in lot.lines:
        price = offer.prices.get(line.id)
        rows.append(
            (
                (line.id,),
                (line.description,),
                (line.unit,),
                (number(line.volume, language),),
                (money(price, language) if price is not None else "–",),
                (money(_line_value(price, line.volume), language) if price is not None else "–",),
            )
        )
    rows.append(((Strong(w["col_total"]),), (), (), (), (), (Strong(money(offer.total, language)),)))
    facts: list[tuple[str, tuple[Any, ...]]] = [
        (w["offer_total"], (Strong(money(offer.total, language)),)),
        (w["offer_last_bid"], (moment(offer.at, language),)),
        (w["offer_bids"], (str(offer.bids_placed),)),
    ]
    if offer.ranked:  # quality-weighted: the rank follows this figure, not the total
        facts.append((w["ranked_figure"].format(score=offer.quality_score), (money(offer.ranked, language),)))
    return [
        Facts(tuple(facts)),
        _lines_table(rows, w["col_price"], language),
        Paragraph((w["weighted_explained"],)),
    ]


def _lines_table(rows: Sequence[tuple[Text, ...]], price_title: str, language: Language) -> Table:
    w = WORDS[language]
    return Table(
        (
            Column(w["col_line"]),
            Column(w["col_description"]),
            Column(w["col_unit"]),
            Column(w["col_volume"], "right"),
            Column(price_title, "right"),
            Column(w["col_value"], "right"),
        ),
        tuple(rows),
    )


def _contract_lines_table(contract: dict[str, Any], language: Language) -> Table:
    w = WORDS[language]
    rows: list[tuple[Text, ...]] = [
        (
            (str(line["id"]),),
            (str(line["description"]),),
            (str(line["unit"]),),
            (number(int(line["volume"]), language),),
            (money(str(line["price"]), language),),
            (money(str(line["value"]), language),),
        )
        for line in contract["lines"]
    ]
    rows.append(
        ((Strong(w["col_total"]),), (), (), (), (), (Strong(money(str(contract["total_per_year"]), language)),))
    )
    return _lines_table(rows, w["col_price"], language)


def _insurer_values_table(contract: dict[str, Any], language: Language, *, exact: bool = False) -> Table:
    w = WORDS[language]
    columns = [Column(w["col_insurer"]), Column(w["col_share"], "right")]
    if exact:
        columns.append(Column(w["col_share_exact"], "right"))
    columns += [Column(w["col_value_year"], "right"), Column(w["col_value_period"], "right")]
    rows: list[tuple[Text, ...]] = []
    for insurer in contract["insurers"]:
        share = Fraction(str(insurer["share"]))
        row: list[Text] = [(str(insurer["name"]),), (percent(share, language),)]
        if exact:
            row.append((str(share),))
        row += [
            (money(str(insurer["expected_value_per_year"]), language),),
            (money(str(insurer["expected_value"]), language),),
        ]
        rows.append(tuple(row))
    return Table(tuple(columns), tuple(rows))


def _letter_head(
    record: ProcurementRecord, outcome: LotOutcome, supplier_id: str, dated: int, subject: str, language: Language
) -> list[Block]:
    w = WORDS[language]
    me = _identity(record, supplier_id)
    addressee = fill(w["supplier_value"], name=me.name, kvk=me.kvk, agb=me.agb) if me.kvk else (me.name,)
    rows: list[tuple[str, Text]] = [(w["to"], addressee)]
    contact = _contact(record, supplier_id)
    if contact is not None:
        rows.append((w["attention"], (f"{contact[0]}, {contact[1]}",)))
    rows += [
        (w["from"], (record.tender.organiser,)),
        (w["date"], (day(local_time(dated).date(), language),)),
        (w["subject"], (subject,)),
        (w["reference"], (Code(outcome.auction_id),)),
    ]
    return [Facts(tuple(rows)), Paragraph((w["salutation"],))]


def _closing(record: ProcurementRecord, language: Language) -> list[Block]:
    w = WORDS[language]
    return [
        Paragraph((w["thanks"],)),
        Lines(
            (
                (w["closing"],),
                (record.tender.organiser,),
                fill(w["on_behalf"], insurers=_insurer_names(record, language)),
            )
        ),
    ]


def _sentences(sentences: Sequence[Text]) -> Text:
    """Sentences run on in one paragraph, a space between them."""
    pieces: list[Text] = []
    for index, sentence in enumerate(sentences):
        pieces.append(((" ",) if index else ()) + sentence)
    return text(*pieces)


def _lot_fields(record: ProcurementRecord, outcome: LotOutcome) -> dict[str, str]:
    return {
        "tender_id": record.tender.id,
        "tender_title": record.tender.title,
        "lot_id": outcome.lot.id,
        "lot_name": outcome.lot.name,
    }


# --------------------------------------------------------------------------------------------------- letters


def intention_letters(record: ProcurementRecord, lot_id: str, language: str = "nl") -> dict[str, Document]:
    """One letter per bidder of the lot's live auction (every supplier with a final offer), keyed by supplier id.

    With an intended (or later definitive or signed) award: the winner gets the intention to award it, every
    other bidder the intention with its own offer and rank, the winner's name and total, the reason and how to
    object. With a withheld award: every bidder gets the decision and the reason. A letter never contains
    anything of another losing bidder. Refused (``ValueError``) for a lot without a live auction or an award.
    """
    lang = check_language(language)
    outcome = _outcome(record, lot_id)
    award = outcome.award
    if award is None:
        raise ValueError(f"lot {lot_id!r} ({outcome.auction_id}) has no award yet: nothing to write to the bidders")
    letters: dict[str, Document] = {}
    awarded = _awarded(outcome)
    for offer in outcome.offers:
        if awarded is None:
            letters[offer.supplier_id] = _withheld_letter(record, outcome, award, offer, lang)
            continue
        winner = _contract_supplier(record, awarded[1])
        if offer.supplier_id == winner.id:
            letters[offer.supplier_id] = _winner_letter(record, outcome, award, awarded[1], offer, lang)
        else:
            winning = _winning_offer(outcome, winner.id)
            letters[offer.supplier_id] = _other_letter(record, outcome, award, winner, winning, offer, lang)
    return letters


def _letter_name(stem: str, outcome: LotOutcome, record: ProcurementRecord, supplier_id: str, lang: str) -> str:
    return f"{stem}-{record.tender.id}-{outcome.lot.id}-{supplier_id}.{lang}"


def _rank(award: AwardRecord, contract: dict[str, Any], winning: Offer) -> int:
    if award.rank_chosen is not None:
        return award.rank_chosen
    return int(contract.get("rank", winning.rank))


def _winner_letter(
    record: ProcurementRecord,
    outcome: LotOutcome,
    award: AwardRecord,
    contract: dict[str, Any],
    offer: Offer,
    lang: Language,
) -> Document:
    w = WORDS[lang]
    fields = _lot_fields(record, outcome)
    title = w["title_intention"].format(**fields)
    blocks = _letter_head(
        record, outcome, offer.supplier_id, award.intended_at, w["subject_intention"].format(**fields), lang
    )
    blocks.append(
        Paragraph(
            fill(
                w["intention_to_you"],
                insurers=_insurer_names(record, lang),
                organiser=record.tender.organiser,
                **fields,
            )
        )
    )
    ranking = [fill(w["your_rank"], auction_id=Code(outcome.auction_id), rank=offer.rank, count=len(outcome.offers))]
    if _rank(award, contract, offer) > 1:
        ranking.append(fill(w["winner_chosen"], reason=award.reason))
    else:
        ranking.append((w["winner_lowest"],))
        if award.reason.strip():
            ranking.append(fill(w["organiser_reason"], reason=award.reason))
    blocks.append(Paragraph(_sentences(ranking)))
    blocks.append(Paragraph((w["no_rights"],)))
    blocks.append(Heading(2, (w["your_offer"],)))
    blocks += _offer_blocks(outcome.lot, offer, lang)
    blocks += [
        Heading(2, (w["insurers_and_period"],)),
        Paragraph((w["insurers_explained"],)),
        _insurer_values_table(contract, lang),
        Facts(
            (
                (w["period"], _period(record, contract, lang)),
                (w["value_per_year"], (money(str(contract["total_per_year"]), lang),)),
                (w["contract_value"], (Strong(money(str(contract["contract_value"]), lang)),)),
                *_award_conditions(contract, lang),
            )
        ),
        Heading(2, (w["standstill_and_next"],)),
        Paragraph(fill(w["standstill_others"], until=_deadline(award, lang))),
        Paragraph(fill(w["next_steps"], version=_concept(record, contract)[0])),
    ]
    blocks += _closing(record, lang)
    return _document(_letter_name("voornemen", outcome, record, offer.supplier_id, lang), title, blocks, lang)


def _other_letter(
    record: ProcurementRecord,
    outcome: LotOutcome,
    award: AwardRecord,
    winner: SupplierIdentity,
    winning: Offer,
    offer: Offer,
    lang: Language,
) -> Document:
    """To a bidder that does not win: its own offer and rank, the winner and its total, why, and how to object."""
    w = WORDS[lang]
    assert award.contract is not None
    fields = _lot_fields(record, outcome)
    title = w["title_intention"].format(**fields)
    blocks = _letter_head(
        record, outcome, offer.supplier_id, award.intended_at, w["subject_intention"].format(**fields), lang
    )
    blocks.append(
        Paragraph(
            fill(
                w["intention_to_other"],
                insurers=_insurer_names(record, lang),
                organiser=record.tender.organiser,
                winner=Strong(winner.name),
                **fields,
            )
        )
    )
    blocks.append(Heading(2, (w["your_offer"],)))
    blocks.append(
        Paragraph(fill(w["your_rank"], auction_id=Code(outcome.auction_id), rank=offer.rank, count=len(outcome.offers)))
    )
    blocks += _offer_blocks(outcome.lot, offer, lang)
    rank = _rank(award, award.contract, winning)
    if rank > 1:
        why = [fill(w["why_chosen"], winner=winner.name, rank=rank, reason=award.reason)]
    else:
        why = [fill(w["why_lowest"], winner=winner.name)]
        if award.reason.strip():
            why.append(fill(w["organiser_reason"], reason=award.reason))
    blocks += [
        Heading(2, (w["winning_offer"],)),
        Facts(
            (
                (w["bidder"], (Strong(winner.name),)),
                (w["offer_total"], (Strong(money(winning.total, lang)),)),
                (w["place"], fill(w["place_value"], rank=winning.rank, count=len(outcome.offers))),
            )
        ),
        Paragraph(_sentences(why)),
        Heading(2, (w["objection"],)),
        Paragraph(
            fill(
                w["objection_how"],
                until=_deadline(award, lang),
                organiser=Strong(record.tender.organiser),
                auction_id=Code(outcome.auction_id),
            )
        ),
        Paragraph((w["objection_late"],)),
    ]
    blocks += _closing(record, lang)
    return _document(_letter_name("voornemen", outcome, record, offer.supplier_id, lang), title, blocks, lang)


def _withheld_letter(
    record: ProcurementRecord, outcome: LotOutcome, award: AwardRecord, offer: Offer, lang: Language
) -> Document:
    """No award: the decision, the reason and the bidder's own offer (without rank: nothing about the others)."""
    w = WORDS[lang]
    fields = _lot_fields(record, outcome)
    title = w["title_withheld"].format(**fields)
    blocks = _letter_head(
        record, outcome, offer.supplier_id, award.intended_at, w["subject_withheld"].format(**fields), lang
    )
    blocks += [
        Paragraph(
            fill(
                w["withheld_intro"],
                insurers=_insurer_names(record, lang),
                organiser=record.tender.organiser,
                auction_id=Code(outcome.auction_id),
                **fields,
            )
        ),
        Heading(2, (w["reason"],)),
        Paragraph(fill(w["quoted"], reason=award.reason)),
        Heading(2, (w["your_offer"],)),
        *_offer_blocks(outcome.lot, offer, lang),
        Heading(2, (w["objection"],)),
    ]
    objection = (
        fill(
            w["withheld_objection_until"],
            until=_deadline(award, lang),
            organiser=Strong(record.tender.organiser),
            auction_id=Code(outcome.auction_id),
        )
        if award.standstill_ends is not None
        else fill(
            w["withheld_objection"], organiser=Strong(record.tender.organiser), auction_id=Code(outcome.auction_id)
        )
    )
    blocks += [Paragraph(objection), Paragraph((w["withheld_next"],))]
    blocks += _closing(record, lang)
    return _document(_letter_name("geen-gunning", outcome, record, offer.supplier_id, lang), title, blocks, lang)


# -------------------------------------------------------------------------------------------- contract summary


def _concept(record: ProcurementRecord, contract: dict[str, Any] | None) -> tuple[str, str]:
    if contract is not None and isinstance(contract.get("concept_contract"), dict):
        concept = contract["concept_contract"]
        return str(concept["version"]), str(concept["hash"])
    return record.concept_contract_version, record.concept_contract_hash


def _tender_facts(record: ProcurementRecord, language: Language) -> list[tuple[str, Text]]:
    w = WORDS[language]
    return [
        (w["tender"], fill(w["tender_value"], tender_id=record.tender.id, tender_title=record.tender.title)),
        (w["organiser"], (record.tender.organiser,)),
        (w["period"], _period(record, None, language)),
    ]


def contract_summary(record: ProcurementRecord, language: str = "nl") -> Document:
    """The overview for the parties to the contracts: the insurers with their shares, the contracted suppliers,
    and per lot its status, prices and volumes per line, each insurer's share, volumes and value, the period,
    and who signed when. Losing bidders do not appear in it.
    """
    lang = check_language(language)
    w = WORDS[lang]
    tender = record.tender
    title = w["title_summary"].format(tender_id=tender.id, tender_title=tender.title)
    version, concept_hash = _concept(record, None)
    blocks: list[Block] = [
        Facts(
            (
                *_tender_facts(record, lang),
                (w["concept_contract"], fill(w["concept_value"], version=version, hash=Code(concept_hash))),
                (w["as_of"], (moment(record.generated_at, lang),)),
            )
        ),
        Paragraph((w["summary_intro"],)),
        Heading(2, (w["insurers"],)),
    ]
    shares = _shares(record)
    blocks.append(
        Table(
            (
                Column(w["col_insurer"]),
                Column(w["col_insured"], "right"),
                Column(w["col_share"], "right"),
                Column(w["col_share_exact"], "right"),
            ),
            tuple(
                (
                    (insurer.name,),
                    (number(insurer.insured, lang),),
                    (percent(shares[insurer.id], lang),),
                    (str(shares[insurer.id]),),
                )
                for insurer in tender.insurers
            ),
        )
    )
    suppliers: dict[str, tuple[SupplierIdentity, list[str]]] = {}
    for outcome in record.lots:
        awarded = _awarded(outcome)
        if awarded is not None:
            supplier = _contract_supplier(record, awarded[1])
            suppliers.setdefault(supplier.id, (supplier, []))[1].append(outcome.lot.id)
    if suppliers:
        blocks += [
            Heading(2, (w["suppliers"],)),
            Table(
                (Column(w["col_supplier"]), Column(w["col_kvk"]), Column(w["col_agb"]), Column(w["col_lots"])),
                tuple(
                    ((who.name,), (who.kvk,), (who.agb,), (", ".join(lots),))
                    for who, lots in sorted(suppliers.values(), key=lambda item: item[0].id)
                ),
            ),
        ]
    for outcome in record.lots:
        blocks += _summary_lot(record, outcome, lang)
    blocks += _summary_totals(record, lang)
    return _document(f"contractoverzicht-{tender.id}.{lang}", title, blocks, lang)


def _summary_lot(record: ProcurementRecord, outcome: LotOutcome, lang: Language) -> list[Block]:
    w = WORDS[lang]
    award = outcome.award
    blocks: list[Block] = [Heading(2, fill(w["lot_heading"], lot_id=outcome.lot.id, lot_name=outcome.lot.name))]
    facts: list[tuple[str, Text]] = [(w["status"], (Strong(_status(award, lang)),))]
    awarded = _awarded(outcome)
    if award is None or awarded is None:
        facts.append((w["auction"], (Code(outcome.auction_id),)))
        if award is None:
            facts.append((w["phase"], (outcome.phase,)))
        else:
            facts.append((w["reason"], fill(w["quoted"], reason=award.reason)))
        return [*blocks, Facts(tuple(facts))]
    _, contract = awarded
    supplier = _contract_supplier(record, contract)
    winning = _winning_offer(outcome, supplier.id)
    facts += [
        (w["supplier"], fill(w["supplier_value"], name=Strong(supplier.name), kvk=supplier.kvk, agb=supplier.agb)),
        (w["auction"], (Code(outcome.auction_id),)),
        (
            w["chosen_place"],
            fill(w["place_value"], rank=_rank(award, contract, winning), count=len(outcome.offers)),
        ),
    ]
    if award.reason.strip():
        facts.append((w["motivation"], fill(w["quoted"], reason=award.reason)))
    facts.append((w["intended_at"], (moment(award.intended_at, lang),)))
    if award.standstill_ends is not None:
        facts.append((w["standstill_ends"], (moment(award.standstill_ends, lang),)))
    facts.append((w["objections"], (str(len(award.objections)),)))
    if award.definitive_at is not None:
        facts.append((w["definitive_at"], (moment(award.definitive_at, lang),)))
    if award.definitive_reason:
        facts.append((w["definitive_reason"], fill(w["quoted"], reason=award.definitive_reason)))
    if award.signatory:
        facts.append((w["signatory"], (award.signatory,)))
    if award.signed_on:
        facts.append((w["signed_on"], (day(award.signed_on, lang),)))
    if award.signed_at is not None:
        facts.append((w["signed_at"], (moment(award.signed_at, lang),)))
    blocks += [
        Facts(tuple(facts)),
        Heading(3, (w["prices_and_volumes"],)),
        _contract_lines_table(contract, lang),
        Facts(
            (
                (w["period"], _period(record, contract, lang)),
                (w["value_per_year"], (money(str(contract["total_per_year"]), lang),)),
                (w["contract_value"], (Strong(money(str(contract["contract_value"]), lang)),)),
                *_award_conditions(contract, lang),
            )
        ),
        Heading(3, (w["per_insurer"],)),
        _insurer_values_table(contract, lang, exact=True),
    ]
    volumes_table = _volumes_table(contract, lang)
    if volumes_table is not None:
        blocks += [Heading(3, (w["volumes_per_insurer"],)), volumes_table]
    return blocks


def _volumes_table(contract: dict[str, Any], lang: Language) -> Table | None:
    w = WORDS[lang]
    insurers = [i for i in contract["insurers"] if isinstance(i.get("expected_volumes"), dict)]
    if not insurers:
        return None
    columns = (
        Column(w["col_line"]),
        Column(w["col_description"]),
        Column(w["col_unit"]),
        *(Column(str(insurer["name"]), "right") for insurer in insurers),
    )
    rows = tuple(
        (
            (str(line["id"]),),
            (str(line["description"]),),
            (str(line["unit"]),),
            *(
                (number(int(insurer["expected_volumes"][line["id"]]), lang),)
                if line["id"] in insurer["expected_volumes"]
                else ("–",)
                for insurer in insurers
            ),
        )
        for line in contract["lines"]
    )
    return Table(columns, rows)


def _summary_totals(record: ProcurementRecord, lang: Language) -> list[Block]:
    """Per insurer, the sum over every awarded lot (only when more than one lot is awarded)."""
    w = WORDS[lang]
    contracts = [awarded[1] for outcome in record.lots if (awarded := _awarded(outcome)) is not None]
    if len(contracts) < 2:
        return []
    per_year: dict[str, Decimal] = {}
    per_period: dict[str, Decimal] = {}
    for contract in contracts:
        for insurer in contract["insurers"]:
            key = str(insurer["id"])
            per_year[key] = per_year.get(key, Decimal(0)) + Decimal(str(insurer["expected_value_per_year"]))
            per_period[key] = per_period.get(key, Decimal(0)) + Decimal(str(insurer["expected_value"]))
    rows = tuple(
        ((insurer.name,), (money(per_year[insurer.id], lang),), (Strong(money(per_period[insurer.id], lang)),))
        for insurer in record.tender.insurers
        if insurer.id in per_year
    )
    return [
        Heading(2, (w["totals_per_insurer"],)),
        Table(
            (Column(w["col_insurer"]), Column(w["col_value_year"], "right"), Column(w["col_value_period"], "right")),
            rows,
        ),
    ]


# ------------------------------------------------------------------------------------------------ award notice


def award_notice(record: ProcurementRecord, language: str = "nl") -> Document:
    """The public award notice: what was bought, for which insurers, from whom, for what period, the contract
    value, and per lot the data to verify the auction's log. It names only the chosen suppliers: no losing
    bidder, no rank, no unit price, no objection.
    """
    lang = check_language(language)
    w = WORDS[lang]
    tender = record.tender
    title = w["title_notice"].format(tender_id=tender.id, tender_title=tender.title)
    shares = _shares(record)
    blocks: list[Block] = [
        Paragraph(fill(w["notice_intro"], organiser=tender.organiser, tender_title=tender.title, tender_id=tender.id)),
        Facts((*_tender_facts(record, lang), (w["notice_date"], (day(local_time(record.generated_at).date(), lang),)))),
        Heading(2, (w["insurers"],)),
        Bullets(
            tuple(
                fill(w["insurer_share"], name=insurer.name, share=percent(shares[insurer.id], lang))
                for insurer in tender.insurers
            )
        ),
    ]
    for outcome in record.lots:
        blocks.append(Heading(2, fill(w["lot_heading"], lot_id=outcome.lot.id, lot_name=outcome.lot.name)))
        if outcome.lot.description:
            blocks.append(Paragraph((outcome.lot.description,)))
        blocks += _notice_lot(record, outcome, lang)
    return _document(f"gunningsbekendmaking-{tender.id}.{lang}", title, blocks, lang)


def _notice_lot(record: ProcurementRecord, outcome: LotOutcome, lang: Language) -> list[Block]:
    w = WORDS[lang]
    award = outcome.award
    awarded = _awarded(outcome)
    contract = awarded[1] if awarded is not None else None
    facts: list[tuple[str, Text]] = [(w["status"], (Strong(_status(award, lang)),))]
    if award is not None and contract is not None:
        supplier = _contract_supplier(record, contract)
        facts += [
            (
                w["intended_to" if award.status == "intended" else "awarded_to"],
                fill(w["supplier_value"], name=Strong(supplier.name), kvk=supplier.kvk, agb=supplier.agb),
            ),
            (w["period"], _period(record, contract, lang)),
            (w["value_per_year"], (money(str(contract["total_per_year"]), lang),)),
            (w["contract_value"], (Strong(money(str(contract["contract_value"]), lang)),)),
            *_award_conditions(contract, lang),
        ]
    elif award is not None and award.reason.strip():
        facts.append((w["reason"], fill(w["quoted"], reason=award.reason)))
    facts.append((w["bidders"], (str(len(outcome.offers)),)))
    blocks: list[Block] = [
        Facts(tuple(facts)),
        Heading(3, (w["products"],)),
        Table(
            (
                Column(w["col_line"]),
                Column(w["col_description"]),
                Column(w["col_unit"]),
                Column(w["col_volume"], "right"),
            ),
            tuple(
                ((line.id,), (line.description,), (line.unit,), (number(line.volume, lang),))
                for line in outcome.lot.lines
            ),
        ),
        Heading(3, (w["verification"],)),
    ]
    admission = str(contract["admission_hash"]) if contract is not None and "admission_hash" in contract else None
    version, concept_hash = _concept(record, contract)
    checks: list[tuple[str, Text]] = [
        (w["auction"], (Code(outcome.auction_id),)),
        (w["journal_head"], fill(w["journal_head_value"], seq=outcome.journal_head_seq)),
        (w["journal_head_hash"], (Code(outcome.journal_head_hash),)),
    ]
    head = contract.get("journal_head") if contract is not None else None
    if isinstance(head, dict):
        checks.append(
            (w["award_entry"], fill(w["award_entry_value"], seq=int(head["seq"]), hash=Code(str(head["hash"]))))
        )
        if head.get("signature"):
            # The server's Ed25519 signature over that entry: anyone can check it against the public key.
            checks.append((w["head_signature"], (Code(str(head["signature"])),)))
            checks.append((w["public_key"], (Code(str(head["public_key"])),)))
    checks += [
        (w["admission_hash"], (Code(admission or record.admission_hash),)),
        (w["concept_contract"], fill(w["concept_value"], version=version, hash=Code(concept_hash))),
    ]
    blocks += [
        Facts(tuple(checks)),
        Paragraph(
            fill(
                w["how_to_verify" if contract is not None else "how_to_verify_no_contract"],
                command=Code(f"auction replay {outcome.auction_id} --verify"),
            )
        ),
    ]
    return blocks


# ------------------------------------------------------------------------------------------------------ files


def write_documents(record: ProcurementRecord, out_dir: Path, languages: tuple[str, ...] = ("nl", "en")) -> list[Path]:
    """Write every letter (each lot with an award), the contract summary and the award notice, as ``.md`` and
    ``.html``, in each language, into ``out_dir`` (created if needed). Returns the paths in the order written;
    an existing file of the same name is replaced.
    """
    checked = [check_language(language) for language in languages]
    out_dir.mkdir(parents=True, exist_ok=True)
    documents: list[Document] = []
    for lang in checked:
        for outcome in record.lots:
            if outcome.award is not None:
                documents += intention_letters(record, outcome.lot.id, lang).values()
        documents.append(contract_summary(record, lang))
        documents.append(award_notice(record, lang))
    paths: list[Path] = []
    for document in documents:
        for suffix, content in ((".md", document.markdown), (".html", document.html)):
            path = out_dir / f"{document.name}{suffix}"
            path.write_text(content, encoding="utf-8", newline="\n")
            paths.append(path)
    return paths
