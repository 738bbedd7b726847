"""The rules in words (auction/rules_text.py) state every format's own rules, in Dutch and English, with the
configured figures, and never the reserve's amount; award documents say whether the reserve was met."""

from __future__ import annotations

import dataclasses

import pytest

from auction.documents.award import _award_conditions
from auction.rules.config import AuctionConfig
from auction.rules.core import derive_contract
from auction.rules.messages import Close, PlaceBid
from auction.rules.wording import rules_paragraph, rules_sentences
from tests.factories import T0, make_config, open_auction, run


def _config(**changes: object) -> AuctionConfig:
    return dataclasses.replace(make_config(), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_each_format_is_named_with_its_figures(language: str) -> None:
    japanese = rules_paragraph(_config(format="japanese", level_step_percent="2.5", level_interval_s=45), language)
    assert ("Japans" if language == "nl" else "Japanese") in japanese
    assert ("2,5 %" if language == "nl" else "2.5 %") in japanese and "45 sec" in japanese
    dutch = rules_paragraph(_config(format="dutch", level_floor_percent="70"), language)
    assert "70 %" in dutch
    rounds = rules_paragraph(_config(format="rounds", rounds=4, turn_s=90), language)
    assert ("4 rondes" if language == "nl" else "4 rounds") in rounds and "90 sec" in rounds
    english = rules_paragraph(_config(extension_trigger="top_k", extension_top_k=3), language)
    assert ("eerste 3 plaatsen" if language == "nl" else "first 3 places") in english


def test_the_bid_rules_follow_the_settings() -> None:
    text = rules_paragraph(
        _config(decrement_basis="best", ties="refused", bid_lines="changed", far_below_percent="25"), "en"
    )
    assert "below the best offer in the auction" in text
    assert "A bid equal to another is refused." in text
    assert "may name only the lines it changes" in text
    assert "more than 25 % below" in text
    quiet = rules_paragraph(_config(closing="quiet", quiet_period_s=180, duration_s=3600), "nl")
    assert "3 minuten geen geldig bod" in quiet and "60 minuten na de opening" in quiet


def test_levels_formats_do_not_describe_typed_bids() -> None:
    text = " ".join(rules_sentences(_config(format="dutch"), "en"))
    assert "decimals" not in text and "extends the auction" not in text


def test_the_reserve_is_announced_but_its_amount_never_stated() -> None:
    cfg = _config(reserve_total=123_457)  # EUR 1,234.57
    for language in ("nl", "en"):
        text = rules_paragraph(cfg, language)
        assert "1234" not in text.replace(".", "").replace(",", "")
        assert ("reserveprijs" if language == "nl" else "reserve") in text


def test_visibility_is_stated() -> None:
    assert "Sealed auction" in rules_paragraph(_config(sealed=True, show_bidder_count=False), "en")
    assert "every offer without names" in rules_paragraph(_config(show_ladder=True), "en")


def test_award_documents_say_whether_the_reserve_was_met_and_show_the_ranked_figure() -> None:
    cfg = _config(reserve_total=300_000)  # EUR 3,000.00 on the total; the bid below totals 3,800.00
    state = open_auction(cfg)
    state, _ = run(state, PlaceBid("s1", "b1", {"A": "2.00", "B": "3.60"}), T0 + 1000)
    state, _ = run(state, Close("test close"), T0 + 2000)
    contract = derive_contract(state)
    assert isinstance(contract, dict)
    assert contract["reserve"] == {"met": False, "conditional": True}
    rows = dict(_award_conditions(contract, "en"))
    assert "conditional" in str(rows["Reserve"])
    assert "3000" not in str(contract).replace(".", "").replace(",", "")


def test_a_bid_by_phone_names_a_level_only_in_the_level_formats_and_reads_decimal_commas() -> None:
    from auction.rules.messages import EnterBid, Rejection
    from tests.factories import T0

    japanese = open_auction(_config(format="japanese", level_step_percent="5", level_floor_percent="80"))
    _, no_level = run(japanese, EnterBid(reason="phoned at 10:02", bidder="s1", bid_id="p1"), T0 + 1000)
    assert isinstance(no_level, Rejection) and no_level.code == "bad_level"
    with_prices = EnterBid(reason="phoned at 10:02", bidder="s1", bid_id="p1", prices="A=2.00", level=0)
    _, refused = run(japanese, with_prices, T0 + 1000)
    assert isinstance(refused, Rejection) and refused.code == "bad_bid"
    _, accepted = run(japanese, EnterBid(reason="phoned at 10:02", bidder="s1", bid_id="p1", level=0), T0 + 1000)
    assert isinstance(accepted, list) and accepted[0].entered_by == "organiser"  # type: ignore[attr-defined]

    english = open_auction(_config())
    _, level_given = run(english, EnterBid(reason="phoned", bidder="s1", bid_id="p2", prices="A=1,90", level=0), T0)
    assert isinstance(level_given, Rejection) and level_given.code == "wrong_format"
    _, comma = run(english, EnterBid(reason="phoned", bidder="s1", bid_id="p2", prices="A=1,90,B=3,80"), T0 + 10)
    assert isinstance(comma, list) and comma[0].prices == {"A": 190, "B": 380}  # type: ignore[attr-defined]


def test_the_ocds_award_criteria_follow_the_format_and_meat(tmp_path: object) -> None:
    from pathlib import Path

    from auction.documents.ocds.release import _award_criteria
    from auction.tender.loading import load_tender
    from scripts.kit.example import tender_with_rules

    assert isinstance(tmp_path, Path)
    meat = 'min_decrement = { percent = "0.5" }\nmeat = { formula = "factor", max_discount_percent = "10" }'
    rated = _award_criteria(load_tender(tender_with_rules(tmp_path / "meat", meat)))
    assert rated["awardCriteria"] == "ratedCriteria" and "10 %" in rated["awardCriteriaDetails"]
    japanese = 'format = "japanese"\nmin_decrement = { percent = "0.5" }'
    price = _award_criteria(load_tender(tender_with_rules(tmp_path / "jp", japanese)))
    assert price["awardCriteria"] == "priceOnly" and "earliest acceptance" in price["awardCriteriaDetails_en"]
