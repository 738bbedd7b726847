"""The award-phase documents: letters to the bidders, the contract summary and the public award notice.

The records are built by hand from the real example files (tender, criteria, six responses of which four are
admitted), with distinct prices per bidder so that any leak of another bidder's offer shows up as a substring.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from auction.documents.award import Document, award_notice, contract_summary, intention_letters, write_documents
from auction.documents.blocks import Paragraph, Strong, render_markdown
from auction.documents.records import AwardRecord, LotOutcome, Objection, Offer, ProcurementRecord, SupplierIdentity
from auction.documents.words import WORDS, moment, money, percent
from auction.tender.file import Lot, Tender
from auction.tender.loading import load_tender
from qualification.common.language import LANGUAGES, day
from scripts.kit.example import example_responses_and_verdicts

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AMS = ZoneInfo("Europe/Amsterdam")
ADMITTED = ("sup-bloesemhof", "sup-klaverveld", "sup-lepelaar", "sup-molenwiek")
EXCLUDED = ("sup-ooievaar", "sup-tulpenburg")
WEIRD = 'A&B <Voeding> "BV"'


def ms(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, second, tzinfo=AMS).timestamp() * 1000)


INTENDED_AT = ms(2027, 9, 15, 14, 0)
STANDSTILL_ENDS = ms(2027, 9, 29, 17, 0)
GENERATED_AT = ms(2027, 10, 1, 12, 0)

PRICES: dict[str, dict[str, tuple[str, ...]]] = {
    "L1": {  # lines L1-01, L1-02, L1-03
        "sup-klaverveld": ("2.00", "2.30", "2.10"),
        "sup-bloesemhof": ("2.03", "2.33", "2.17"),
        "sup-lepelaar": ("2.05", "2.37", "2.19"),
        "sup-molenwiek": ("2.07", "2.41", "2.23"),
    },
    "L2": {  # lines L2-01, L2-02, L2-03
        "sup-lepelaar": ("4.40", "5.10", "2.90"),
        "sup-molenwiek": ("4.45", "5.20", "2.95"),
        "sup-bloesemhof": ("4.50", "5.25", "3.00"),
        "sup-klaverveld": ("4.60", "5.35", "3.05"),
    },
}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# ------------------------------------------------------------------------------------------------ the records


@pytest.fixture(scope="module")
def base() -> ProcurementRecord:
    """Qualified, both lots auctioned, no award yet."""
    tender = load_tender(EXAMPLES / "tender.toml")
    criteria, found, judged = example_responses_and_verdicts()
    responses, verdicts = tuple(found), tuple(judged)
    assert tuple(v.supplier_id for v in verdicts if v.admitted) == ADMITTED
    suppliers = {
        r.supplier.id: SupplierIdentity(r.supplier.id, r.supplier.name, r.supplier.kvk, r.supplier.agb)
        for r in responses
    }
    lots = tuple(make_outcome(tender.lot(lot_id), PRICES[lot_id]) for lot_id in ("L1", "L2"))
    return ProcurementRecord(
        tender=tender,
        criteria=criteria,
        responses=responses,
        verdicts=verdicts,
        suppliers=suppliers,
        admission_hash=sha("admission"),
        concept_contract_version="1.0",
        concept_contract_hash=sha("concept contract"),
        lots=lots,
        bids=(),
        public_url="http://127.0.0.1:8000",
        generated_at=GENERATED_AT,
    )


def make_outcome(lot: Lot, prices: dict[str, tuple[str, ...]]) -> LotOutcome:
    totals = {
        supplier: sum((Decimal(p) * line.volume for p, line in zip(ps, lot.lines, strict=True)), Decimal(0))
        for supplier, ps in prices.items()
    }
    ranked = sorted(prices, key=lambda s: totals[s])
    aliases = {s: f"Bieder {chr(65 + i)}" for i, s in enumerate(ADMITTED)}
    offers = tuple(
        Offer(
            rank=rank,
            supplier_id=supplier,
            alias=aliases[supplier],
            total=str(totals[supplier]),
            prices={line.id: p for line, p in zip(lot.lines, prices[supplier], strict=True)},
            bid_id=f"b-{lot.id}-{supplier}",
            at=ms(2027, 9, 15, 10, 20 + rank),
            bids_placed=5 + rank,
        )
        for rank, supplier in enumerate(ranked, start=1)
    )
    return LotOutcome(
        auction_id=f"DV-2027-{lot.id}-live",
        lot=lot,
        phase="closed",
        opened_at=ms(2027, 9, 15, 10, 0),
        closed_at=ms(2027, 9, 15, 10, 30),
        offers=offers,
        bid_count=40,
        award=None,
        journal_head_seq=61,
        journal_head_hash=sha(f"head {lot.id}"),
    )


def make_contract(record: ProcurementRecord, outcome: LotOutcome, supplier_id: str) -> dict[str, Any]:
    """The contract dict as the award records it, for the offer of ``supplier_id``."""
    tender: Tender = record.tender
    offer = next(o for o in outcome.offers if o.supplier_id == supplier_id)
    who = record.suppliers[supplier_id]
    total = Decimal(offer.total)
    insured = sum(i.insured for i in tender.insurers)
    cents = int(total * 100)
    parts = [cents * i.insured // insured for i in tender.insurers]
    parts[0] += cents - sum(parts)
    return {
        "auction_id": outcome.auction_id,
        "tender_id": tender.id,
        "lot_id": outcome.lot.id,
        "lot_name": outcome.lot.name,
        "supplier": {"id": who.id, "name": who.name, "kvk": who.kvk, "agb": who.agb},
        "rank": offer.rank,
        "winning_bid_id": offer.bid_id,
        "lines": [
            {
                "id": line.id,
                "description": line.description,
                "unit": line.unit,
                "volume": line.volume,
                "price": offer.prices[line.id],
                "value": str(Decimal(offer.prices[line.id]) * line.volume),
            }
            for line in outcome.lot.lines
        ],
        "total_per_year": offer.total,
        "currency": "EUR",
        "period": {"start": "2027-01-01", "end": "2028-12-31", "months": 24},
        "contract_value": str(total * 2),
        "insurers": [
            {
                "id": insurer.id,
                "name": insurer.name,
                "insured": insurer.insured,
                "share": str(Fraction(insurer.insured, insured)),
                "expected_value_per_year": str(Decimal(part) / 100),
                "expected_value": str(Decimal(part * 2) / 100),
                "expected_volumes": {line.id: line.volume * insurer.insured // insured for line in outcome.lot.lines},
            }
            for insurer, part in zip(tender.insurers, parts, strict=True)
        ],
        "concept_contract": {"version": record.concept_contract_version, "hash": record.concept_contract_hash},
        "admission_hash": record.admission_hash,
        "journal_head": {"seq": 57, "hash": sha(f"award {outcome.lot.id}")},
    }


def intended(contract: dict[str, Any], rank: int = 1, reason: str = "laagste totaal bij sluiting") -> AwardRecord:
    return AwardRecord(
        status="intended",
        reason=reason,
        intended_at=INTENDED_AT,
        rank_chosen=rank,
        contract=contract,
        standstill_ends=STANDSTILL_ENDS,
        objections=(),
        definitive_at=None,
        definitive_reason=None,
        signed_at=None,
        signatory=None,
        signed_on=None,
    )


def signed(contract: dict[str, Any]) -> AwardRecord:
    return replace(
        intended(contract),
        status="signed",
        objections=(Objection("sup-klaverveld", ms(2027, 9, 20, 9, 0), "bezwaar tegen de rangschikking"),),
        definitive_at=ms(2027, 9, 30, 9, 0),
        definitive_reason="bezwaar ongegrond verklaard",
        signed_at=ms(2027, 10, 1, 11, 0),
        signatory="J. de Vries, directeur",
        signed_on="2027-10-01",
    )


def withheld(reason: str) -> AwardRecord:
    return AwardRecord(
        status="withheld",
        reason=reason,
        intended_at=INTENDED_AT,
        rank_chosen=None,
        contract=None,
        standstill_ends=STANDSTILL_ENDS,
        objections=(),
        definitive_at=None,
        definitive_reason=None,
        signed_at=None,
        signatory=None,
        signed_on=None,
    )


def with_awards(record: ProcurementRecord, **awards: AwardRecord | None) -> ProcurementRecord:
    lots = tuple(replace(o, award=awards.get(o.lot.id, o.award)) for o in record.lots)
    return replace(record, lots=lots)


def awarded(
    record: ProcurementRecord, l1_winner: str = "sup-klaverveld", l1_rank: int = 1, reason: str = ""
) -> ProcurementRecord:
    """L1 intended to ``l1_winner``; L2 signed with sup-lepelaar (its rank 1)."""
    l1, l2 = record.lots
    l1_award = intended(make_contract(record, l1, l1_winner), l1_rank, reason or "laagste totaal bij sluiting")
    return with_awards(record, L1=l1_award, L2=signed(make_contract(record, l2, "sup-lepelaar")))


@pytest.fixture(scope="module")
def record(base: ProcurementRecord) -> ProcurementRecord:
    return awarded(base)


PASSED_OVER = "de inschrijving op plaats 1 kon de vereiste leverzekerheid niet aantonen"


@pytest.fixture(scope="module")
def second_chosen(base: ProcurementRecord) -> ProcurementRecord:
    return awarded(base, "sup-bloesemhof", 2, PASSED_OVER)


NO_AWARD = "alle inschrijvingen liggen boven het beschikbare budget"


@pytest.fixture(scope="module")
def no_award(base: ProcurementRecord) -> ProcurementRecord:
    return with_awards(base, L1=withheld(NO_AWARD))


# -------------------------------------------------------------------------------------------------- helpers


def euro(value: str | Decimal) -> list[str]:
    """Every way an amount could be written in a document."""
    return [money(str(value), "nl"), money(str(value), "en"), str(value)]


def traces(record: ProcurementRecord, lot_id: str, supplier_id: str) -> list[str]:
    """Everything that would reveal a bidder: who it is and what it offered."""
    who = record.suppliers[supplier_id]
    outcome = next(o for o in record.lots if o.lot.id == lot_id)
    found = [who.name, who.name.split()[0], who.id, who.kvk, who.agb]
    offer = next((o for o in outcome.offers if o.supplier_id == supplier_id), None)
    if offer is not None:
        found.append(offer.alias)
        found += euro(offer.total)
        for line in outcome.lot.lines:
            found += euro(offer.prices[line.id])[:2]
            found += euro(Decimal(offer.prices[line.id]) * line.volume)
    return found


def leaks(content: str, record: ProcurementRecord, lot_id: str, supplier_id: str) -> list[str]:
    return [trace for trace in traces(record, lot_id, supplier_id) if trace in content]


def both(document: Document) -> tuple[str, str]:
    return document.markdown, document.html


def visible_text(page: str) -> str:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return " ".join(" ".join(parser.text).split())


class PageParser(HTMLParser):
    ALLOWED = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "br", "ul", "li",
               "table", "thead", "tbody", "tr", "th", "td", "strong", "code"}  # fmt: skip
    VOID = {"meta", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.open: list[str] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.ALLOWED, f"unexpected tag <{tag}>"
        for name, _ in attrs:
            assert name in {"lang", "charset", "name", "content", "class", "scope"}, f"unexpected attribute {name}"
        self.tags.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.text.append(data)

    def close(self) -> None:
        super().close()
        assert not self.open, f"unclosed: {self.open}"


def all_letters(record: ProcurementRecord, lot_id: str) -> dict[str, dict[str, Document]]:
    return {lang: intention_letters(record, lot_id, lang) for lang in LANGUAGES}


# --------------------------------------------------------------------------------------------------- letters


@pytest.mark.parametrize("variant", ["record", "second_chosen"])
@pytest.mark.parametrize("lot_id", ["L1", "L2"])
def test_a_letter_never_shows_another_losing_bidder(variant: str, lot_id: str, request: pytest.FixtureRequest) -> None:
    record: ProcurementRecord = request.getfixturevalue(variant)
    outcome = next(o for o in record.lots if o.lot.id == lot_id)
    assert outcome.award is not None and outcome.award.contract is not None
    winner = outcome.award.contract["supplier"]["id"]
    losers = [o.supplier_id for o in outcome.offers if o.supplier_id != winner]
    assert len(losers) == 3
    for lang, letters in all_letters(record, lot_id).items():
        for reader, other in itertools.permutations(losers, 2):
            for content in both(letters[reader]):
                assert leaks(content, record, lot_id, other) == [], (lang, reader, other)
        for reader in [winner, *losers]:
            for content in both(letters[reader]):
                for excluded in EXCLUDED:
                    assert leaks(content, record, lot_id, excluded) == [], (lang, reader, excluded)
        for loser in losers:  # the winner's letter names no one else either
            for content in both(letters[winner]):
                assert leaks(content, record, lot_id, loser) == [], (lang, loser)


def test_one_letter_per_bidder_and_none_for_the_excluded(record: ProcurementRecord) -> None:
    letters = intention_letters(record, "L1")
    assert sorted(letters) == sorted(ADMITTED)
    assert not set(EXCLUDED) & set(letters)
    assert letters["sup-klaverveld"].name == "voornemen-DV-2027-L1-sup-klaverveld.nl"
    assert intention_letters(record, "L1", "en")["sup-lepelaar"].name == "voornemen-DV-2027-L1-sup-lepelaar.en"


def test_the_winners_letter(record: ProcurementRecord) -> None:
    nl = intention_letters(record, "L1")["sup-klaverveld"]
    en = intention_letters(record, "L1", "en")["sup-klaverveld"]
    assert nl.title == "Voornemen tot gunning perceel L1 (Drinkvoeding)"
    assert en.title == "Intention to award lot L1 (Drinkvoeding)"
    for content in both(nl):
        for phrase in (
            "Geachte heer/mevrouw,",
            "Met vriendelijke groet,",
            "aan uw organisatie te gunnen",
            "Klaverveld Thuisvoeding B.V.",
            "Marco de Wit",
            "Stichting Gezamenlijke Zorginkoop (voorbeeld)",
            "plaats 1 van 4",
            "laagste volumegewogen totaal",
            "€ 8.695.000,00",  # its total
            "€ 2,00",
            "€ 2,30",
            "€ 2,10",  # its prices
            "€ 4.800.000,00",  # a line's value
            "Zorgverzekeraar Waddenzee",
            "Zorgverzekeraar Rivierenland",
            "Zorgverzekeraar Heuvelland",
            "50,00 %",
            "33,51 %",
            "16,49 %",  # shares
            "1 januari 2027 tot en met 31 december 2028 (24 maanden)",
            "€ 17.390.000,00",  # contract value
            "29 september 2027 om 17:00 uur (Nederlandse tijd, CEST)",  # end of standstill
            "opschortende termijn",
            "definitief",
            "ondertekend",
            "conceptcontract versie 1.0",
            "15 september 2027",  # dated on the intention
        ):
            assert phrase in content, phrase
    for content in both(en):
        for phrase in (
            "Dear Sir or Madam,",
            "Yours faithfully,",
            "to your organisation",
            "place 1 of 4",
            "€8,695,000.00",
            "€2.30",
            "50.00%",
            "1 January 2027 to 31 December 2028 inclusive (24 months)",
            "€17,390,000.00",
            "29 September 2027 at 17:00 (Amsterdam time, CEST)",
            "standstill period",
            "definitive",
            "signed",
        ):
            assert phrase in content, phrase


def test_a_losing_bidders_letter(record: ProcurementRecord) -> None:
    nl = intention_letters(record, "L1")["sup-lepelaar"]
    en = intention_letters(record, "L1", "en")["sup-lepelaar"]
    for content in both(nl):
        for phrase in (
            "Lepelaar Dieetservice B.V.",
            "eindigde u op plaats 3 van 4",
            "€ 8.950.500,00",  # its own total
            "€ 2,05",
            "€ 2,37",
            "€ 2,19",  # its own prices
            "te gunnen aan",
            "Klaverveld Thuisvoeding B.V.",  # the winner …
            "€ 8.695.000,00",  # … and its total
            "laagste volumegewogen totaal",
            "bezwaar",
            "schriftelijk",
            "gronden",
            "vóór 29 september 2027 om 17:00 uur",
            "Stichting Gezamenlijke Zorginkoop (voorbeeld)",
            "DV-2027-L1-live",
        ):
            assert phrase in content, phrase
        for price in ("€ 2,00", "€ 2,30", "€ 4.800.000,00"):  # not even the winner's prices
            assert price not in content
    for content in both(en):
        for phrase in (
            "you finished in place 3 of 4",
            "€8,950,500.00",
            "€8,695,000.00",
            "Klaverveld Thuisvoeding B.V.",
            "lowest volume-weighted total",
            "in writing",
            "grounds",
            "before 29 September 2027 at 17:00",
        ):
            assert phrase in content, phrase


def test_a_chosen_second_offer_gives_the_organisers_reason(second_chosen: ProcurementRecord) -> None:
    for lang in LANGUAGES:
        letters = intention_letters(second_chosen, "L1", lang)
        for supplier_id, letter in letters.items():
            for content in both(letter):
                assert PASSED_OVER in content, (lang, supplier_id)
                assert ("laagste volumegewogen" if lang == "nl" else "lowest volume-weighted") not in content
        passed_over = letters["sup-klaverveld"].markdown
        assert ("plaats 1 van 4" if lang == "nl" else "place 1 of 4") in passed_over
        assert "Bloesemhof Voedingszorg B.V." in passed_over
        assert money("8845500.00", lang) in passed_over  # the chosen offer's total
        winner = letters["sup-bloesemhof"].markdown
        assert ("plaats 2 van 4" if lang == "nl" else "place 2 of 4") in winner
        assert ("beter gerangschikte" if lang == "nl" else "better-ranked") in winner


def test_a_withheld_award_tells_every_bidder_with_the_reason(no_award: ProcurementRecord) -> None:
    for lang in LANGUAGES:
        letters = intention_letters(no_award, "L1", lang)
        assert sorted(letters) == sorted(ADMITTED)
        for reader, letter in letters.items():
            assert letter.name == f"geen-gunning-DV-2027-L1-{reader}.{lang}"
            for content in both(letter):
                assert NO_AWARD in content
                assert ("niet wordt gegund" if lang == "nl" else "will not be awarded") in content
                assert money(next(o.total for o in no_award.lots[0].offers if o.supplier_id == reader), lang) in content
                # no rank: it would say something of the others
                assert not re.search(r"\bplaats\b" if lang == "nl" else r"\bplace\b", content, re.IGNORECASE)
                for other in (*ADMITTED, *EXCLUDED):
                    if other != reader:
                        assert leaks(content, no_award, "L1", other) == [], (lang, reader, other)


def test_no_letters_before_an_award(base: ProcurementRecord) -> None:
    with pytest.raises(ValueError, match="no award yet"):
        intention_letters(base, "L1")
    with pytest.raises(ValueError, match="no live auction"):
        intention_letters(base, "L9")
    with pytest.raises(ValueError, match="unknown language"):
        intention_letters(base, "L1", "de")


# ----------------------------------------------------------------------------------------------------- escaping


def renamed(record: ProcurementRecord, supplier_id: str, name: str) -> ProcurementRecord:
    suppliers = dict(record.suppliers)
    suppliers[supplier_id] = replace(suppliers[supplier_id], name=name)
    return replace(record, suppliers=suppliers)


def test_data_is_escaped_in_html_and_markdown(base: ProcurementRecord) -> None:
    record = awarded(renamed(renamed(base, "sup-klaverveld", WEIRD), "sup-molenwiek", "Molen & <b>wiek</b>"))
    tender = record.tender.model_copy(update={"organiser": "Inkoop <&> 'Zorg'"})
    record = replace(record, tender=tender)
    documents = [
        *intention_letters(record, "L1").values(),
        *intention_letters(record, "L1", "en").values(),
        contract_summary(record),
        award_notice(record, "en"),
    ]
    for document in documents:
        assert "<Voeding>" not in document.html and "<b>" not in document.html
        assert "A&amp;B &lt;Voeding&gt; &quot;BV&quot;" in document.html
        shown = visible_text(document.html)  # parses: only our own tags, all closed
        assert WEIRD in shown
        assert "Inkoop <&> 'Zorg'" in shown
        assert "<Voeding>" not in document.markdown and "<b>" not in document.markdown
        assert 'A\\&B \\<Voeding\\> "BV"' in document.markdown
    loser = intention_letters(record, "L1")["sup-molenwiek"]
    assert "Molen &amp; &lt;b&gt;wiek&lt;/b&gt;" in loser.html
    assert "Molen \\& \\<b\\>wiek\\</b\\>" in loser.markdown


def test_markdown_escapes_what_would_become_markup() -> None:
    blocks = [
        Paragraph(("1. not a list",)),
        Paragraph(("- nor this",)),
        Paragraph(("a | b *c* _d_ [e](f) `g` # h", Strong("bold"))),
    ]
    out = render_markdown("T", blocks[:3])
    assert "1\\. not a list" in out
    assert "\\- nor this" in out
    assert "a \\| b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` \\# h**bold**" in out


# ---------------------------------------------------------------------------------------- notice and summary


def test_the_notice_carries_the_verification_data(record: ProcurementRecord) -> None:
    for lang in LANGUAGES:
        notice = award_notice(record, lang)
        assert notice.name == f"gunningsbekendmaking-DV-2027.{lang}"
        for content in both(notice):
            for insurer in record.tender.insurers:
                assert insurer.name in content
            for outcome in record.lots:
                assert outcome.award is not None and outcome.award.contract is not None
                contract = outcome.award.contract
                assert outcome.auction_id in content
                assert f"auction replay {outcome.auction_id} --verify" in content
                assert outcome.journal_head_hash in content
                assert contract["journal_head"]["hash"] in content
                assert contract["supplier"]["name"] in content
                assert money(contract["contract_value"], lang) in content
                for line in outcome.lot.lines:
                    assert line.description in content
            assert ("volgnummer 61" if lang == "nl" else "sequence number 61") in content
            assert record.admission_hash in content
            assert record.concept_contract_hash in content
            assert ("versie 1.0" if lang == "nl" else "version 1.0") in content
            assert ("1 januari 2027 tot en met 31 december 2028" if lang == "nl" else "1 January 2027") in content
            # a public notice: the winners only, no losing bidder, no unit price, no rank
            assert "Bloesemhof" not in content and "Molenwiek" not in content
            assert "Ooievaar" not in content and "Tulpenburg" not in content
            assert money("2.00", lang) not in content and money("4.40", lang) not in content
            assert "Bieder" not in content


def test_the_notice_and_summary_of_a_withheld_lot(no_award: ProcurementRecord) -> None:
    for document in (award_notice(no_award), contract_summary(no_award)):
        content = document.markdown
        assert "niet gegund" in content and NO_AWARD in content
        assert "nog niet gegund" in content  # L2 has no award in this record
        for supplier_id in (*ADMITTED, *EXCLUDED):
            assert leaks(content, no_award, "L1", supplier_id) == [], supplier_id


def test_the_summary_lists_each_insurers_share_and_value(record: ProcurementRecord) -> None:
    for lang in LANGUAGES:
        summary = contract_summary(record, lang)
        assert summary.name == f"contractoverzicht-DV-2027.{lang}"
        for content in both(summary):
            for outcome in record.lots:
                assert outcome.award is not None and outcome.award.contract is not None
                contract = outcome.award.contract
                assert contract["supplier"]["kvk"] in content
                for line in contract["lines"]:
                    assert money(line["price"], lang) in content
                for insurer in contract["insurers"]:
                    assert insurer["name"] in content
                    assert insurer["share"] in content
                    assert percent(Fraction(insurer["share"]), lang) in content
                    assert money(insurer["expected_value_per_year"], lang) in content
                    assert money(insurer["expected_value"], lang) in content
            assert "J. de Vries, directeur" in content
            assert day("2027-10-01", lang) in content
            assert moment(STANDSTILL_ENDS, lang) in content
            assert "Bieder" not in content and "Molenwiek" not in content and "Bloesemhof" not in content
        waddenzee = "1.200.000" if lang == "nl" else "1,200,000"  # half of L1-01's 2.400.000 bottles
        assert waddenzee in summary.markdown


# ------------------------------------------------------------------------------------------ pages and files


def test_html_pages_are_complete_and_self_contained(record: ProcurementRecord) -> None:
    for lang in LANGUAGES:
        documents = [*intention_letters(record, "L1", lang).values(), contract_summary(record, lang)]
        for document in [*documents, award_notice(record, lang)]:
            page = document.html
            assert page.startswith("<!DOCTYPE html>\n")
            assert f'<html lang="{lang}">' in page
            assert '<meta charset="utf-8">' in page
            assert "<style>" in page and "@media print" in page
            for external in ("<script", "<link", "src=", "href=", "url(", "@import"):
                assert external not in page
            visible_text(page)
            assert document.markdown.startswith(f"# {document.title}\n")


def test_write_documents_writes_every_file(record: ProcurementRecord, tmp_path: Path) -> None:
    paths = write_documents(record, tmp_path / "out")
    # per language: 4 letters for each of two lots, the summary and the notice; each as .md and .html
    assert len(paths) == len(set(paths)) == 2 * (8 + 2) * 2
    assert all(path.parent == tmp_path / "out" and path.is_file() for path in paths)
    names = {path.name for path in paths}
    assert "voornemen-DV-2027-L1-sup-klaverveld.nl.md" in names
    assert "voornemen-DV-2027-L2-sup-molenwiek.en.html" in names
    assert "contractoverzicht-DV-2027.nl.html" in names
    assert "gunningsbekendmaking-DV-2027.en.md" in names
    notice = award_notice(record)
    assert (tmp_path / "out" / "gunningsbekendmaking-DV-2027.nl.html").read_text(encoding="utf-8") == notice.html
    only_nl = write_documents(record, tmp_path / "nl", ("nl",))
    assert len(only_nl) == 20 and all(".nl." in path.name for path in only_nl)
    with pytest.raises(ValueError, match="unknown language"):
        write_documents(record, tmp_path / "x", ("fr",))


def test_output_is_deterministic(record: ProcurementRecord, tmp_path: Path) -> None:
    first = write_documents(record, tmp_path / "a")
    second = write_documents(record, tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert award_notice(record) == award_notice(record)
    assert intention_letters(record, "L2", "en") == intention_letters(record, "L2", "en")


# ---------------------------------------------------------------------------------------------------- wording


def test_both_languages_have_every_sentence() -> None:
    assert set(WORDS["nl"]) == set(WORDS["en"])
    for key in WORDS["nl"]:
        fields_nl = {part.split("}")[0] for part in WORDS["nl"][key].split("{")[1:]}
        fields_en = {part.split("}")[0] for part in WORDS["en"][key].split("{")[1:]}
        assert fields_nl == fields_en, key


def test_money_dates_and_shares_are_written_the_local_way() -> None:
    assert money("8870000.00", "nl") == "€ 8.870.000,00"
    assert money("8870000.00", "en") == "€8,870,000.00"
    assert money("2.045", "nl") == "€ 2,045" and money("2.045", "en") == "€2.045"
    assert money("7", "nl") == "€ 7,00" and money("999.5", "en") == "€999.50"
    assert day("2027-09-15", "nl") == "15 september 2027"
    assert day("2027-09-15", "en") == "15 September 2027"
    assert moment(ms(2027, 12, 1, 9, 5), "nl") == "1 december 2027 om 09:05 uur (Nederlandse tijd, CET)"
    assert moment(ms(2027, 9, 29, 17, 0, 30), "en") == "29 September 2027 at 17:00:30 (Amsterdam time, CEST)"
    assert percent(Fraction(1240000, 3700000), "nl") == "33,51 %"
    assert percent(Fraction(1, 2), "en") == "50.00%"
