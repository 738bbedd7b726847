"""Loading the tender file: the example loads; every kind of mistake is named by file, record and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from auction.tender.auction_rules import rules_from_tender
from auction.tender.file import parse_duration
from auction.tender.loading import load_tender
from qualification.common.errors import InputError
from tests.conftest import EXAMPLES

EXAMPLE = (EXAMPLES / "tender.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "tender.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (tmp_path / "conceptcontract.md").write_text("# Concept\n", encoding="utf-8")
    return path


def test_the_example_tender_loads() -> None:
    tender = load_tender(EXAMPLES / "tender.toml")
    assert [lot.id for lot in tender.lots] == ["L1", "L2"]
    assert len(tender.insurers) == 3
    config = rules_from_tender(tender, "L1")
    assert config.ceiling_total == 210 * 2400000 + 245 * 1100000 + 230 * 650000
    assert config.decrement_percent == "0.5" and config.extension_window_s == 120


@pytest.mark.parametrize(
    ("change", "where", "problem"),
    [
        (("volume = 520000", "volume = 0"), 'lots[1] (id "L2") → lines[0] (id "L2-01") → volume', "greater than 0"),
        (
            ('ceiling = "2.45"', 'ceiling = "2.455"'),
            'lots (id "L1") → lines[1] (id "L1-02") → ceiling',
            "more than 2 decimals",
        ),
        (('ceiling = "2.45"', 'ceiling = "twee"'), 'lots (id "L1") → lines[1] (id "L1-02") → ceiling', "not a price"),
        (('id = "L2-03"', 'id = "L2-02"'), "lots[1]", "repeated: L2-02"),
        (("insured = 610000", "insured = -5"), 'insurers[2] (id "zv-heuvelland") → insured', "greater than 0"),
        (("end = 2028-12-31", "end = 2026-12-31"), "contract_period", "end must be after start"),
        (('min_decrement = { percent = "0.5" }', "min_decrement = { }"), "auction → min_decrement", "exactly one"),
        (('extension = "2m"', 'extension = "soon"'), "auction → extension", "not a duration"),
        (('name = "Drinkvoeding"', 'naam = "Drinkvoeding"'), 'lots[0] (id "L1")', "naam"),
    ],
)
def test_mistakes_name_the_file_record_and_field(
    tmp_path: Path, change: tuple[str, str], where: str, problem: str
) -> None:
    old, new = change
    assert old in EXAMPLE
    path = write(tmp_path, EXAMPLE.replace(old, new, 1))
    with pytest.raises(InputError) as error:
        load_tender(path)
    message = str(error.value)
    assert str(path) in message and where in message and problem in message, message


def test_a_missing_concept_contract_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    (tmp_path / "conceptcontract.md").unlink()
    with pytest.raises(InputError, match="concept_contract → file: no such file"):
        load_tender(path)


def test_a_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE.replace('title = "', "title = ", 1))
    with pytest.raises(InputError) as error:
        load_tender(path)
    assert "TOML syntax error" in str(error.value) and "line 5" in str(error.value)


def test_a_missing_file_and_a_wrong_type_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_tender(tmp_path / "nope.toml")
    with pytest.raises(InputError, match="expected .toml or .json"):
        load_tender(write(tmp_path, "x", "tender.txt"))


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("45s", 45), ("2m", 120), ("1h30m", 5400)])
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "m", "2 minutes", "-1"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
