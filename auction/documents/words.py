"""The wording of the award documents in Dutch and English, and how numbers, money and dates are written.

Every sentence is a template in :data:`WORDS`, once per language, with the same keys in both (a test checks);
:func:`fill` turns a template into document text, keeping data values as separate pieces so the renderers can
escape them. Dutch is formal business Dutch ("Geachte heer/mevrouw", "voornemen tot gunning", "opschortende
termijn"); the English says the same.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

from auction.documents.blocks import Code, Inline, Strong, Text
from auction.rules.money import format_euro, parse_price
from qualification.common.language import Language, day

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


# ------------------------------------------------------------------------------------------- numbers and dates


def _group(digits: str, separator: str) -> str:
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


def number(value: int, language: Language) -> str:
    """2400000 → ``"2.400.000"`` (nl) or ``"2,400,000"`` (en)."""
    sign = "-" if value < 0 else ""
    return sign + _group(str(abs(value)), "." if language == "nl" else ",")


def money(value: str | Decimal, language: Language) -> str:
    """A decimal amount in euros, with at least two decimals: ``"€ 8.870.000,00"`` (nl), ``"€8,870,000.00"`` (en).

    An amount with more decimals (a price with ``price_decimals = 3``) keeps them: ``"€ 2,045"``.
    """
    amount = Decimal(value)
    exponent = amount.as_tuple().exponent
    decimals = max(2, -exponent if isinstance(exponent, int) else 2)
    if language == "nl":
        return format_euro(parse_price(format(amount, "f"), decimals), decimals)
    sign = "-" if amount < 0 else ""
    whole, _, frac = f"{abs(amount):.{decimals}f}".partition(".")
    return f"{sign}€{_group(whole, ',')}.{frac}"


def percent(share: Fraction, language: Language) -> str:
    """A share as a percentage with two decimals (half up): ``"33,51 %"`` (nl), ``"33.51%"`` (en)."""
    value = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(Decimal("0.01"), "ROUND_HALF_UP")
    return f"{str(value).replace('.', ',')} %" if language == "nl" else f"{value}%"


def local_time(ms: int) -> datetime:
    """Milliseconds since the epoch (UTC) as a time in Europe/Amsterdam."""
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(AMSTERDAM)


def moment(ms: int, language: Language) -> str:
    """A time for people, in Dutch time with its zone: ``"29 september 2027 om 17:00 uur (Nederlandse tijd, CEST)"``."""
    when = local_time(ms)
    clock = when.strftime("%H:%M:%S" if when.second else "%H:%M")
    zone = when.tzname() or ""
    if language == "nl":
        return f"{day(when.date(), language)} om {clock} uur (Nederlandse tijd, {zone})"
    return f"{day(when.date(), language)} at {clock} (Amsterdam time, {zone})"


def names(items: Sequence[str], language: Language) -> str:
    """``["A", "B", "C"]`` → ``"A, B en C"`` (nl) or ``"A, B and C"`` (en)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {'en' if language == 'nl' else 'and'} {items[-1]}"


# ---------------------------------------------------------------------------------------------------- templates

Value = Inline | Text | int


def fill(template: str, **values: Value) -> Text:
    """A template with ``{name}`` fields as text; each value stays a piece of its own (escaped when rendered)."""
    out: list[Inline] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        if literal:
            out.append(literal)
        if field is None:
            continue
        value = values[field]
        if isinstance(value, int):
            out.append(str(value))
        elif isinstance(value, str | Strong | Code):
            out.append(value)
        else:
            out.extend(value)
    return tuple(out)


WORDS: dict[Language, dict[str, str]] = {
    "nl": {
        # letters: heading and closing
        "to": "Aan",
        "attention": "T.a.v.",
        "from": "Van",
        "date": "Datum",
        "subject": "Betreft",
        "reference": "Kenmerk",
        "salutation": "Geachte heer/mevrouw,",
        "closing": "Met vriendelijke groet,",
        "on_behalf": "namens {insurers}",
        "thanks": "Wij danken u voor uw deelname aan de veiling.",
        # intention letters
        "title_intention": "Voornemen tot gunning perceel {lot_id} ({lot_name})",
        "subject_intention": "Aanbesteding {tender_id} “{tender_title}”, perceel {lot_id} ({lot_name}): "
        "voornemen tot gunning",
        "intention_to_you": "Namens {insurers} maakt {organiser} hierbij het voornemen bekend om perceel {lot_id} "
        "({lot_name}) van de aanbesteding “{tender_title}” ({tender_id}) aan uw organisatie te gunnen.",
        "intention_to_other": "Namens {insurers} maakt {organiser} hierbij het voornemen bekend om perceel {lot_id} "
        "({lot_name}) van de aanbesteding “{tender_title}” ({tender_id}) te gunnen aan {winner}; tot onze spijt "
        "komt uw inschrijving voor dit perceel daarmee niet voor gunning in aanmerking.",
        "your_rank": "In de veiling {auction_id} eindigde u op plaats {rank} van {count}.",
        "winner_lowest": "Uw inschrijving had bij de sluiting van de veiling het laagste volumegewogen totaal per "
        "jaar.",
        "winner_chosen": "De organisator gaat voorbij aan de beter gerangschikte inschrijving(en), om de volgende "
        "reden: “{reason}”",
        "organiser_reason": "Motivering van de organisator: “{reason}”",
        "no_rights": "Dit is een voornemen; er is nog geen overeenkomst gesloten en aan dit voornemen kunt u geen "
        "rechten ontlenen.",
        "your_offer": "Uw eindinschrijving",
        "offer_total": "Volumegewogen totaal per jaar",
        "offer_last_bid": "Laatste bod geplaatst op",
        "offer_bids": "Aantal geplaatste biedingen",
        "weighted_explained": "Het volumegewogen totaal is de som over alle productregels van de prijs per eenheid "
        "maal het geraamde volume per jaar; op dit totaal is de veiling gerangschikt.",
        "insurers_and_period": "Zorgverzekeraars en looptijd",
        "insurers_explained": "De overeenkomst geldt voor alle deelnemende zorgverzekeraars. Het aandeel van elke "
        "zorgverzekeraar volgt uit zijn aantal verzekerden; volumes en waarden zijn ramingen.",
        "standstill_and_next": "Opschortende termijn en vervolg",
        "standstill_others": "Tijdens de opschortende termijn (standstill-termijn) kunnen de andere inschrijvers "
        "{until} bezwaar maken tegen dit voornemen.",
        "next_steps": "Na afloop van de opschortende termijn wordt de gunning definitief, tenzij een tijdig "
        "ingediend bezwaar daaraan in de weg staat; u ontvangt daarover bericht. Daarna wordt de overeenkomst "
        "ondertekend, op basis van het conceptcontract versie {version} dat bij de aanbesteding is gepubliceerd.",
        "until_deadline": "vóór {deadline}",
        "until_unknown": "vóór het einde van de opschortende termijn",
        "winning_offer": "De winnende inschrijving",
        "bidder": "Inschrijver",
        "place": "Plaats in de veiling",
        "place_value": "{rank} van {count}",
        "why_lowest": "De inschrijving van {winner} had bij de sluiting van de veiling het laagste volumegewogen "
        "totaal per jaar en eindigde daarmee op plaats 1.",
        "why_chosen": "De inschrijving van {winner} eindigde op plaats {rank}. De organisator gaat voorbij aan de "
        "beter gerangschikte inschrijving(en), om de volgende reden: “{reason}”",
        "objection": "Bezwaar maken",
        "objection_how": "Bent u het niet eens met dit voornemen, dan kunt u {until} bezwaar maken. Dien uw "
        "bezwaar schriftelijk in bij {organiser}, onder vermelding van het kenmerk {auction_id}, en geef daarin "
        "aan op welke gronden u bezwaar maakt.",
        "objection_late": "Een bezwaar dat na afloop van de opschortende termijn (standstill-termijn) binnenkomt, "
        "wordt niet in behandeling genomen. Na afloop van deze termijn wordt de gunning definitief, tenzij een "
        "tijdig ingediend bezwaar daaraan in de weg staat.",
        # withheld
        "title_withheld": "Geen gunning perceel {lot_id} ({lot_name})",
        "subject_withheld": "Aanbesteding {tender_id} “{tender_title}”, perceel {lot_id} ({lot_name}): geen gunning",
        "withheld_intro": "Namens {insurers} deelt {organiser} u mee dat perceel {lot_id} ({lot_name}) van de "
        "aanbesteding “{tender_title}” ({tender_id}) niet wordt gegund. Op basis van de veiling {auction_id} wordt "
        "voor dit perceel geen overeenkomst gesloten.",
        "reason": "Reden",
        "quoted": "“{reason}”",
        "withheld_objection_until": "Bent u het niet eens met dit besluit, dan kunt u {until} schriftelijk bezwaar "
        "maken bij {organiser}, onder vermelding van het kenmerk {auction_id} en met opgave van de gronden van uw "
        "bezwaar.",
        "withheld_objection": "Bent u het niet eens met dit besluit, dan kunt u schriftelijk bezwaar maken bij "
        "{organiser}, onder vermelding van het kenmerk {auction_id} en met opgave van de gronden van uw bezwaar.",
        "withheld_next": "Over een eventueel vervolg voor dit perceel wordt u afzonderlijk geïnformeerd.",
        # tables
        "col_line": "Regel",
        "col_description": "Omschrijving",
        "col_unit": "Eenheid",
        "col_volume": "Geraamd volume per jaar",
        "col_price": "Prijs per eenheid",
        "col_value": "Waarde per jaar",
        "col_total": "Totaal per jaar",
        "col_insurer": "Zorgverzekeraar",
        "col_insured": "Verzekerden",
        "col_share": "Aandeel",
        "col_share_exact": "Aandeel (exact)",
        "col_value_year": "Geraamde waarde per jaar",
        "col_value_period": "Geraamde waarde over de looptijd",
        "col_supplier": "Leverancier",
        "col_kvk": "KvK",
        "col_agb": "AGB",
        "col_lots": "Percelen",
        # period and value
        "period": "Looptijd",
        "period_value": "{start} tot en met {end}",
        "period_months": "{start} tot en met {end} ({months} maanden)",
        "contract_value": "Geraamde contractwaarde over de looptijd",
        "value_per_year": "Geraamde waarde per jaar",
        "ranked_figure": "Gerangschikt bedrag (kwaliteitsscore {score})",
        "reserve": "Reserveprijs",
        "reserve_met": "gehaald",
        "reserve_not_met": "niet gehaald: de gunning is voorwaardelijk",
        # summary
        "title_summary": "Contractoverzicht {tender_id}: {tender_title}",
        "tender": "Aanbesteding",
        "tender_value": "{tender_title} ({tender_id})",
        "organiser": "Organisator",
        "concept_contract": "Conceptcontract",
        "concept_value": "versie {version}, SHA-256 {hash}",
        "as_of": "Stand per",
        "summary_intro": "Dit overzicht is bestemd voor de partijen bij de overeenkomst: de deelnemende "
        "zorgverzekeraars en de gecontracteerde leverancier(s). Volumes zijn ramingen per jaar; het aandeel van "
        "een zorgverzekeraar volgt uit zijn aantal verzekerden.",
        "insurers": "Zorgverzekeraars",
        "suppliers": "Leveranciers",
        "lot_heading": "Perceel {lot_id}: {lot_name}",
        "status": "Status",
        "supplier": "Leverancier",
        "supplier_value": "{name} (KvK {kvk}, AGB {agb})",
        "auction": "Veiling",
        "chosen_place": "Plaats van de gekozen inschrijving",
        "motivation": "Motivering",
        "intended_at": "Voornemen tot gunning",
        "standstill_ends": "Einde opschortende termijn",
        "objections": "Ontvangen bezwaren",
        "definitive_at": "Definitief gegund",
        "definitive_reason": "Motivering definitieve gunning",
        "signatory": "Ondertekend door",
        "signed_on": "Datum van ondertekening",
        "signed_at": "Ondertekening vastgelegd",
        "prices_and_volumes": "Prijzen en volumes",
        "per_insurer": "Per zorgverzekeraar",
        "volumes_per_insurer": "Geraamde volumes per zorgverzekeraar (per jaar)",
        "totals_per_insurer": "Totaal per zorgverzekeraar over alle gegunde percelen",
        "phase": "Fase van de veiling",
        # statuses
        "status_intended": "voornemen tot gunning; opschortende termijn tot {deadline}",
        "status_intended_open": "voornemen tot gunning; de opschortende termijn loopt",
        "status_definitive": "definitief gegund",
        "status_signed": "gegund; overeenkomst ondertekend",
        "status_signed_on": "gegund; overeenkomst ondertekend op {date}",
        "status_withheld": "niet gegund",
        "status_none": "nog niet gegund",
        # notice
        "title_notice": "Gunningsbekendmaking {tender_id}: {tender_title}",
        "notice_intro": "In de aanbesteding “{tender_title}” ({tender_id}) koopt {organiser} gezamenlijk in namens "
        "de hieronder genoemde zorgverzekeraars. De prijs is per perceel bepaald in een online omgekeerde veiling "
        "tussen de leveranciers die de kwalitatieve selectie hebben doorstaan. Per perceel sluit de gekozen "
        "leverancier één overeenkomst die geldt voor alle deelnemende zorgverzekeraars.",
        "notice_date": "Datum van deze bekendmaking",
        "insurer_share": "{name} (aandeel {share})",
        "awarded_to": "Gegund aan",
        "intended_to": "Voorgenomen gunning aan",
        "bidders": "Aantal inschrijvers in de veiling",
        "products": "Wat wordt ingekocht",
        "verification": "Controle van de veilinglog",
        "head_signature": "Handtekening van de server over die logregel (Ed25519)",
        "public_key": "Publieke sleutel van de server",
        "journal_head": "Laatste logregel",
        "journal_head_value": "volgnummer {seq}",
        "journal_head_hash": "Hash van de laatste logregel",
        "award_entry": "Het contract berust op de log tot en met",
        "award_entry_value": "volgnummer {seq}, hash {hash}",
        "admission_hash": "Hash van de toelatingslijst",
        "how_to_verify": "Wie over de veilinglog beschikt, controleert deze met {command}. De controle leidt elke "
        "stap van de veiling opnieuw af uit de log, controleert de hashketen en toont aan dat het vastgelegde "
        "contract volgt uit de biedingen. De log is dezelfde als die waarop deze bekendmaking berust wanneer de "
        "laatste logregel het hierboven genoemde volgnummer en de hierboven genoemde hash heeft.",
        "how_to_verify_no_contract": "Wie over de veilinglog beschikt, controleert deze met {command}. De controle "
        "leidt elke stap van de veiling opnieuw af uit de log en controleert de hashketen. De log is dezelfde als "
        "die waarop deze bekendmaking berust wanneer de laatste logregel het hierboven genoemde volgnummer en de "
        "hierboven genoemde hash heeft.",
    },
    "en": {
        "to": "To",
        "attention": "Attn.",
        "from": "From",
        "date": "Date",
        "subject": "Subject",
        "reference": "Reference",
        "salutation": "Dear Sir or Madam,",
        "closing": "Yours faithfully,",
        "on_behalf": "on behalf of {insurers}",
        "thanks": "Thank you for taking part in the auction.",
        "title_intention": "Intention to award lot {lot_id} ({lot_name})",
        "subject_intention": "Tender {tender_id} “{tender_title}”, lot {lot_id} ({lot_name}): intention to award",
        "intention_to_you": "On behalf of {insurers}, {organiser} hereby announces its intention to award lot "
        "{lot_id} ({lot_name}) of the tender “{tender_title}” ({tender_id}) to your organisation.",
        "intention_to_other": "On behalf of {insurers}, {organiser} hereby announces its intention to award lot "
        "{lot_id} ({lot_name}) of the tender “{tender_title}” ({tender_id}) to {winner}; we regret that your offer "
        "for this lot is therefore not eligible for the award.",
        "your_rank": "In the auction {auction_id} you finished in place {rank} of {count}.",
        "winner_lowest": "At the close of the auction your offer had the lowest volume-weighted total per year.",
        "winner_chosen": "The organiser passes over the better-ranked offer(s), for the following reason: “{reason}”",
        "organiser_reason": "The organiser's reasoning: “{reason}”",
        "no_rights": "This is an intention; no contract has been concluded yet and no rights can be derived from "
        "this intention.",
        "your_offer": "Your final offer",
        "offer_total": "Volume-weighted total per year",
        "offer_last_bid": "Last bid placed on",
        "offer_bids": "Number of bids placed",
        "weighted_explained": "The volume-weighted total is the sum over all product lines of the price per unit "
        "times the estimated volume per year; the auction is ranked on this total.",
        "insurers_and_period": "Insurers and period",
        "insurers_explained": "The contract applies to all participating insurers. Each insurer's share follows "
        "from its number of insured members; volumes and values are estimates.",
        "standstill_and_next": "Standstill period and next steps",
        "standstill_others": "During the standstill period the other bidders may object to this intention {until}.",
        "next_steps": "When the standstill period has ended, the award becomes definitive unless an objection "
        "lodged in time stands in the way; you will be informed. The contract is then signed, on the basis of the "
        "concept contract version {version} published with the tender.",
        "until_deadline": "before {deadline}",
        "until_unknown": "before the end of the standstill period",
        "winning_offer": "The winning offer",
        "bidder": "Bidder",
        "place": "Place in the auction",
        "place_value": "{rank} of {count}",
        "why_lowest": "At the close of the auction the offer of {winner} had the lowest volume-weighted total per "
        "year, and so finished in place 1.",
        "why_chosen": "The offer of {winner} finished in place {rank}. The organiser passes over the better-ranked "
        "offer(s), for the following reason: “{reason}”",
        "objection": "How to object",
        "objection_how": "If you disagree with this intention, you may object {until}. Send your objection in "
        "writing to {organiser}, quoting the reference {auction_id}, and state the grounds of your objection.",
        "objection_late": "An objection received after the standstill period has ended will not be considered. "
        "When this period has ended, the award becomes definitive unless an objection lodged in time stands in "
        "the way.",
        "title_withheld": "No award of lot {lot_id} ({lot_name})",
        "subject_withheld": "Tender {tender_id} “{tender_title}”, lot {lot_id} ({lot_name}): no award",
        "withheld_intro": "On behalf of {insurers}, {organiser} informs you that lot {lot_id} ({lot_name}) of the "
        "tender “{tender_title}” ({tender_id}) will not be awarded. No contract for this lot will be concluded on "
        "the basis of the auction {auction_id}.",
        "reason": "Reason",
        "quoted": "“{reason}”",
        "withheld_objection_until": "If you disagree with this decision, you may object in writing to {organiser} "
        "{until}, quoting the reference {auction_id} and stating the grounds of your objection.",
        "withheld_objection": "If you disagree with this decision, you may object in writing to {organiser}, "
        "quoting the reference {auction_id} and stating the grounds of your objection.",
        "withheld_next": "You will be informed separately of any further steps for this lot.",
        "col_line": "Line",
        "col_description": "Description",
        "col_unit": "Unit",
        "col_volume": "Estimated volume per year",
        "col_price": "Price per unit",
        "col_value": "Value per year",
        "col_total": "Total per year",
        "col_insurer": "Insurer",
        "col_insured": "Insured members",
        "col_share": "Share",
        "col_share_exact": "Share (exact)",
        "col_value_year": "Estimated value per year",
        "col_value_period": "Estimated value over the period",
        "col_supplier": "Supplier",
        "col_kvk": "KvK",
        "col_agb": "AGB",
        "col_lots": "Lots",
        "period": "Contract period",
        "period_value": "{start} to {end} inclusive",
        "period_months": "{start} to {end} inclusive ({months} months)",
        "contract_value": "Estimated contract value over the period",
        "value_per_year": "Estimated value per year",
        "ranked_figure": "Ranked figure (quality score {score})",
        "reserve": "Reserve",
        "reserve_met": "met",
        "reserve_not_met": "not met: the award is conditional",
        "title_summary": "Contract summary {tender_id}: {tender_title}",
        "tender": "Tender",
        "tender_value": "{tender_title} ({tender_id})",
        "organiser": "Organiser",
        "concept_contract": "Concept contract",
        "concept_value": "version {version}, SHA-256 {hash}",
        "as_of": "As of",
        "summary_intro": "This summary is for the parties to the contract: the participating insurers and the "
        "contracted supplier(s). Volumes are estimates per year; an insurer's share follows from its number of "
        "insured members.",
        "insurers": "Insurers",
        "suppliers": "Suppliers",
        "lot_heading": "Lot {lot_id}: {lot_name}",
        "status": "Status",
        "supplier": "Supplier",
        "supplier_value": "{name} (KvK {kvk}, AGB {agb})",
        "auction": "Auction",
        "chosen_place": "Place of the chosen offer",
        "motivation": "Reasoning",
        "intended_at": "Intention to award",
        "standstill_ends": "End of the standstill period",
        "objections": "Objections received",
        "definitive_at": "Definitively awarded",
        "definitive_reason": "Reasoning of the definitive award",
        "signatory": "Signed by",
        "signed_on": "Date of signature",
        "signed_at": "Signature recorded",
        "prices_and_volumes": "Prices and volumes",
        "per_insurer": "Per insurer",
        "volumes_per_insurer": "Estimated volumes per insurer (per year)",
        "totals_per_insurer": "Total per insurer over all awarded lots",
        "phase": "Phase of the auction",
        "status_intended": "intention to award; standstill period until {deadline}",
        "status_intended_open": "intention to award; the standstill period is running",
        "status_definitive": "definitively awarded",
        "status_signed": "awarded; contract signed",
        "status_signed_on": "awarded; contract signed on {date}",
        "status_withheld": "not awarded",
        "status_none": "not awarded yet",
        "title_notice": "Award notice {tender_id}: {tender_title}",
        "notice_intro": "In the tender “{tender_title}” ({tender_id}), {organiser} purchases jointly on behalf of the "
        "insurers listed below. For each lot the price was set in an online reverse auction among the suppliers "
        "that passed the qualitative selection. For each lot the chosen supplier concludes one contract that "
        "applies to all participating insurers.",
        "notice_date": "Date of this notice",
        "insurer_share": "{name} (share {share})",
        "awarded_to": "Awarded to",
        "intended_to": "Intended award to",
        "bidders": "Number of bidders in the auction",
        "products": "What is purchased",
        "verification": "Verifying the auction log",
        "head_signature": "The server's signature over that entry (Ed25519)",
        "public_key": "The server's public key",
        "journal_head": "Last log entry",
        "journal_head_value": "sequence number {seq}",
        "journal_head_hash": "Hash of the last log entry",
        "award_entry": "The contract rests on the log up to",
        "award_entry_value": "sequence number {seq}, hash {hash}",
        "admission_hash": "Hash of the admission list",
        "how_to_verify": "Whoever holds the auction log verifies it with {command}. The check re-derives every "
        "step of the auction from the log, checks the hash chain and proves that the recorded contract follows "
        "from the bids. The log is the one this notice rests on when its last entry has the sequence number and "
        "the hash given above.",
        "how_to_verify_no_contract": "Whoever holds the auction log verifies it with {command}. The check "
        "re-derives every step of the auction from the log and checks the hash chain. The log is the one this "
        "notice rests on when its last entry has the sequence number and the hash given above.",
    },
}
