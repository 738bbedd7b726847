"""The rules in words for the settings the other wording tests leave out: a decrement in euros, both quality
weightings (MEAT), the far-below confirmation in Dutch, quiet closing in English, and a visibility setting that
shows the best offer but not the number of bidders."""

from __future__ import annotations

import dataclasses

import pytest

from auction.rules.config import AuctionConfig
from auction.rules.wording import meat_sentence, rules_paragraph, rules_sentences
from tests.factories import make_config


def _config(**changes: object) -> AuctionConfig:
    return dataclasses.replace(make_config(), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Elk volgend bod ligt minstens € 12,50 onder zijn eigen vorige totaal."),
        ("en", "Each further bid is at least EUR 12.50 below its own previous total."),
    ],
)
def test_a_fixed_decrement_is_stated_as_money_in_the_languages_own_notation(language: str, sentence: str) -> None:
    cfg = make_config(decrement_amount=1250)  # price units with 2 decimals: EUR 12.50
    assert sentence in rules_sentences(cfg, language)


def test_the_factor_weighting_is_one_of_the_rules_with_its_maximum_discount() -> None:
    cfg = _config(meat_formula="factor", meat_max_discount_percent="12.5")
    dutch = rules_sentences(cfg, "nl")
    english = rules_sentences(cfg, "en")
    assert meat_sentence(cfg, "nl") in dutch and meat_sentence(cfg, "en") in english
    assert "totaal × (1 − 12,5 % × score/100)" in meat_sentence(cfg, "nl")
    assert "total × (1 − 12.5 % × score/100)" in meat_sentence(cfg, "en")
    # The weighting comes right after the ranking rule it qualifies.
    assert dutch.index(meat_sentence(cfg, "nl")) == 2 and english.index(meat_sentence(cfg, "en")) == 2


@pytest.mark.parametrize(
    ("language", "formula"),
    [("nl", "gerangschikt bedrag = totaal − € 80,00 × score"), ("en", "ranked figure = total − EUR 80.00 × score")],
)
def test_the_bonus_weighting_states_the_bonus_per_point_in_money(language: str, formula: str) -> None:
    cfg = _config(meat_formula="bonus", meat_bonus_per_point=8000)
    sentence = meat_sentence(cfg, language)
    assert formula in sentence
    assert ("eigen bonus" if language == "nl" else "its own bonus") in sentence
    assert sentence in rules_sentences(cfg, language)


def test_the_far_below_confirmation_is_stated_in_dutch_with_a_decimal_comma() -> None:
    text = rules_paragraph(_config(far_below_percent="12.5"), "nl")
    assert "Een bod dat meer dan 12,5 % onder het referentiebedrag ligt, moet de bieder eerst bevestigen" in text


def test_without_far_below_percent_no_confirmation_is_mentioned() -> None:
    for language, word in (("nl", "bevestigen"), ("en", "confirmed")):
        assert word not in rules_paragraph(make_config(), language)


def test_quiet_closing_is_stated_in_english_with_its_two_durations() -> None:
    text = rules_paragraph(_config(closing="quiet", quiet_period_s=90, duration_s=1800), "en")
    assert "The auction closes when no valid bid arrives for 90 seconds, at the latest 30 minutes after opening." in (
        text
    )
    assert "extends the auction" not in text  # quiet closing has no anti-sniping extension


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Elke bieder ziet de eigen rangorde en het beste bod; wie de andere bieders zijn, ziet niemand."),
        ("en", "Each bidder sees its own rank and the best offer; no one sees who the other bidders are."),
    ],
)
def test_visibility_shows_the_best_offer_without_the_number_of_bidders(language: str, sentence: str) -> None:
    cfg = _config(show_bidder_count=False, show_best_total=True)
    assert rules_sentences(cfg, language)[-1] == sentence


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Elke bieder ziet de eigen rangorde; wie de andere bieders zijn, ziet niemand."),
        ("en", "Each bidder sees its own rank; no one sees who the other bidders are."),
    ],
)
def test_visibility_with_nothing_but_the_own_rank(language: str, sentence: str) -> None:
    cfg = _config(show_bidder_count=False, show_best_total=False, show_ladder=False)
    assert rules_sentences(cfg, language)[-1] == sentence
