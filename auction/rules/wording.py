"""The auction's rules in plain words, Dutch and English, from its configuration.

One source for every place that states the rules to people: the tender's publication (OCDS), the CLI's
``auction rules`` and the documents. The bidder room renders the same rules itself from the ``welcome``
message (web/static/i18n.js); both follow docs/rules.md.
"""

from __future__ import annotations

from auction.rules.config import AuctionConfig
from auction.rules.money import format_price


def _seconds(seconds: int, language: str) -> str:
    if seconds % 60:
        return f"{seconds} {'seconden' if language == 'nl' else 'seconds'}"
    minutes = seconds // 60
    if language == "nl":
        return f"{minutes} {'minuut' if minutes == 1 else 'minuten'}"
    return f"{minutes} {'minute' if minutes == 1 else 'minutes'}"


def _money(units: int, cfg: AuctionConfig, language: str) -> str:
    text = format_price(units, cfg.price_decimals)
    return f"€ {text.replace('.', ',')}" if language == "nl" else f"EUR {text}"


def _number(text: str, language: str) -> str:
    return text.replace(".", ",") if language == "nl" else text


def rules_sentences(cfg: AuctionConfig, language: str = "nl") -> list[str]:
    """Every rule of the auction as a list of sentences in ``language`` ("nl" or "en")."""
    nl = language == "nl"
    out: list[str] = [_format_sentence(cfg, nl)]
    out.append(
        "De rangorde volgt het volumegewogen totaal per jaar (som over de regels van prijs × geschat jaarvolume); "
        "het laagste eerst."
        if nl
        else "Offers rank by the volume-weighted total per year (the sum over the lines of price × estimated "
        "yearly volume), lowest first."
    )
    if cfg.meat_formula is not None:
        out.append(meat_sentence(cfg, language))
    if not cfg.by_levels:
        out += _bid_sentences(cfg, nl)
    if cfg.format == "english":
        out.append(_closing_sentence(cfg, nl))
    if cfg.reserve_total is not None:
        out.append(
            "Er geldt een niet-bekendgemaakte reserveprijs; ligt het winnende totaal erboven, dan is de gunning "
            "voorwaardelijk."
            if nl
            else "An undisclosed reserve applies; if the winning total is above it, the award is conditional."
        )
    out.append(_visibility_sentence(cfg, nl))
    return out


def _format_sentence(cfg: AuctionConfig, nl: bool) -> str:
    if cfg.format == "japanese":
        first, last = cfg.levels[0], cfg.levels[-1]
        interval = _seconds(cfg.level_interval_s, "nl" if nl else "en")
        if nl:
            step, lowest = _number(cfg.level_step_percent, "nl"), _number(last.percent, "nl")
            return (
                f"Japanse omgekeerde veiling: de prijs daalt elke {interval} een stap van {step} % van de "
                f"plafondprijs, van {first.percent} % tot {lowest} %. Wie een niveau niet op tijd "
                "accepteert, valt af en kan niet terugkomen. De laatste bieder die overblijft, wint op dat niveau; "
                "blijft niemand over, dan wint van de bieders van het niveau ervoor wie dat het eerst accepteerde "
                "(ook op het laagste niveau beslist de vroegste acceptatie)."
            )
        return (
            f"Reverse Japanese auction: every {interval} the price falls by {cfg.level_step_percent} % of the ceiling "
            f"price, from {first.percent} % down to {last.percent} %. A bidder that does not accept a level in time "
            "drops out for good. The last bidder left wins at that level; if nobody is left, the earliest "
            "acceptance of the level before wins (at the lowest level too, the earliest acceptance decides)."
        )
    if cfg.format == "dutch":
        first = cfg.levels[0]
        interval = _seconds(cfg.level_interval_s, "nl" if nl else "en")
        if nl:
            return (
                f"Nederlandse (Dutch) omgekeerde veiling: de prijs begint op {_number(first.percent, 'nl')} % van de "
                f"plafondprijs en stijgt elke {interval} met {_number(cfg.level_step_percent, 'nl')} %, tot de "
                "plafondprijs. De eerste bieder die een niveau accepteert, wint op dat niveau; de veiling sluit dan."
            )
        return (
            f"Reverse Dutch auction: the price starts at {first.percent} % of the ceiling price and rises by "
            f"{cfg.level_step_percent} % every {interval}, up to the ceiling. The first bidder to accept a level wins "
            "at that level and the auction closes."
        )
    if cfg.format == "rounds":
        turn = _seconds(cfg.turn_s, "nl" if nl else "en")
        initial = _seconds(cfg.initial_offers_s, "nl" if nl else "en")
        if nl:
            return (
                f"Veiling in vaste beurten: eerst {initial} voor een gesloten beginbod; daarna {cfg.rounds} rondes "
                f"waarin elke bieder één beurt van {turn} krijgt, de laagst gerangschikte eerst (wie nog geen bod "
                "heeft, vóór alle anderen). In zijn beurt verbetert een bieder zijn bod of handhaaft hij het; een "
                "verlopen beurt telt als handhaven. Na de laatste beurt van de laatste ronde sluit de veiling."
            )
        return (
            f"Auction in fixed turns: first {initial} for a sealed initial offer; then {cfg.rounds} rounds in which "
            f"every bidder gets one turn of {turn}, worst-ranked first (bidders without an offer before all others). "
            "On its turn a bidder improves its offer or keeps it; a turn that runs out counts as keeping. The "
            "auction closes after the last turn of the last round."
        )
    return (
        "Online omgekeerde veiling per perceel (open, dalend)."
        if nl
        else "Online reverse auction per lot (open, descending)."
    )


def meat_sentence(cfg: AuctionConfig, language: str = "nl") -> str:
    """How the quality score weighs in the ranking (the auction must use MEAT)."""
    nl = language == "nl"
    if cfg.meat_formula == "factor":
        pct = cfg.meat_max_discount_percent or "0"
        if nl:
            return (
                "De rangorde weegt de kwaliteitsscore mee (beste prijs-kwaliteitverhouding): gerangschikt bedrag = "
                f"totaal × (1 − {_number(pct, 'nl')} % × score/100); elke bieder ziet zijn eigen factor en wat hij "
                "moet bieden om een plaats te stijgen of de leiding te nemen."
            )
        return (
            "Ranking weighs in the quality score (best price-quality ratio): ranked figure = total × "
            f"(1 − {pct} % × score/100); each bidder sees its own factor and the total that beats the next rank "
            "and the lead."
        )
    assert cfg.meat_bonus_per_point is not None
    bonus_nl, bonus_en = _money(cfg.meat_bonus_per_point, cfg, "nl"), _money(cfg.meat_bonus_per_point, cfg, "en")
    if nl:
        return (
            "De rangorde weegt de kwaliteitsscore mee: gerangschikt bedrag = totaal − "
            f"{bonus_nl} × score; elke bieder ziet zijn eigen bonus en wat hij moet bieden om een plaats te "
            "stijgen of de leiding te nemen."
        )
    return (
        f"Ranking weighs in the quality score: ranked figure = total − {bonus_en} × score; each bidder sees its own "
        "bonus and the total that beats the next rank and the lead."
    )


def _bid_sentences(cfg: AuctionConfig, nl: bool) -> list[str]:
    lang = "nl" if nl else "en"
    if cfg.decrement_percent is not None:
        step = f"{_number(cfg.decrement_percent, lang)} %"
    else:
        assert cfg.decrement_amount is not None
        step = _money(cfg.decrement_amount, cfg, lang)
    out = []
    if nl:
        lines = (
            "Een bod prijst elke productregel"
            if cfg.bid_lines == "all"
            else "Het eerste bod prijst elke productregel; een volgend bod mag alleen de gewijzigde regels noemen"
        )
        out.append(f"{lines}, nooit boven de plafondprijs en met ten hoogste {cfg.price_decimals} decimalen.")
        basis = "zijn eigen vorige totaal" if cfg.decrement_basis == "own" else "het beste bod in de veiling"
        out.append(f"Elk volgend bod ligt minstens {step} onder {basis}.")
        out.append(
            "Bij gelijke bedragen gaat het eerdere bod voor."
            if cfg.ties == "by_time"
            else "Een bod dat gelijk is aan een ander bod wordt geweigerd."
        )
        if cfg.far_below_percent is not None:
            out.append(
                f"Een bod dat meer dan {_number(cfg.far_below_percent, lang)} % onder het referentiebedrag ligt, "
                "moet de bieder eerst bevestigen (tegen tikfouten)."
            )
        return out
    lines = (
        "A bid prices every product line"
        if cfg.bid_lines == "all"
        else "The first bid prices every product line; a further bid may name only the lines it changes"
    )
    out.append(f"{lines}, never above the ceiling price and with at most {cfg.price_decimals} decimals.")
    basis = "its own previous total" if cfg.decrement_basis == "own" else "the best offer in the auction"
    out.append(f"Each further bid is at least {step} below {basis}.")
    out.append(
        "On equal figures the earlier bid ranks higher."
        if cfg.ties == "by_time"
        else "A bid equal to another is refused."
    )
    if cfg.far_below_percent is not None:
        out.append(
            f"A bid more than {cfg.far_below_percent} % below its reference must be confirmed first (against typos)."
        )
    return out


_TRIGGER = {
    "nl": {
        "improving": "Elk geldig bod",
        "lead": "Een bod dat de leiding neemt",
        "top_k": "Een bod dat in de eerste {k} plaatsen komt",
    },
    "en": {
        "improving": "Any valid bid",
        "lead": "A bid that takes the lead",
        "top_k": "A bid that lands in the first {k} places",
    },
}


def _closing_sentence(cfg: AuctionConfig, nl: bool) -> str:
    lang = "nl" if nl else "en"
    if cfg.closing == "quiet":
        quiet = _seconds(cfg.quiet_period_s, lang)
        most = _seconds(cfg.duration_s, lang)
        if nl:
            return f"De veiling sluit als er {quiet} geen geldig bod komt, uiterlijk {most} na de opening."
        return f"The auction closes when no valid bid arrives for {quiet}, at the latest {most} after opening."
    trigger = _TRIGGER[lang][cfg.extension_trigger].format(k=cfg.extension_top_k)
    window = _seconds(cfg.extension_window_s, lang)
    extension = _seconds(cfg.extension_s, lang)
    if nl:
        base = "na dat bod" if cfg.extension_from == "bid" else "na de sluitingstijd"
        cap = f" (hoogstens {cfg.max_extensions} keer)" if cfg.max_extensions is not None else ""
        return f"{trigger} in de laatste {window} verlengt de veiling tot {extension} {base}{cap}."
    base = "after that bid" if cfg.extension_from == "bid" else "after the closing time"
    cap = f" (at most {cfg.max_extensions} times)" if cfg.max_extensions is not None else ""
    return f"{trigger} in the last {window} extends the auction to {extension} {base}{cap}."


def _visibility_sentence(cfg: AuctionConfig, nl: bool) -> str:
    if cfg.sealed:
        return (
            "Gesloten veiling: elke bieder ziet alleen zijn eigen biedingen; wie de andere bieders zijn, ziet niemand."
            if nl
            else "Sealed auction: each bidder sees only its own bids; no one sees who the other bidders are."
        )
    seen = ["de eigen rangorde"] if nl else ["its own rank"]
    if cfg.show_bidder_count:
        seen.append("het aantal bieders" if nl else "the number of bidders")
    if cfg.show_best_total:
        seen.append("het beste bod" if nl else "the best offer")
    if cfg.show_ladder:
        seen.append("alle biedingen zonder namen" if nl else "every offer without names")
    joined = ", ".join(seen[:-1]) + (" en " if nl else " and ") + seen[-1] if len(seen) > 1 else seen[0]
    if nl:
        return f"Elke bieder ziet {joined}; wie de andere bieders zijn, ziet niemand."
    return f"Each bidder sees {joined}; no one sees who the other bidders are."


def rules_paragraph(cfg: AuctionConfig, language: str = "nl") -> str:
    return " ".join(rules_sentences(cfg, language))
