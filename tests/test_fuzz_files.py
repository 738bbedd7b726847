"""Property-based fuzzing of the files the organiser and the suppliers hand in (docs/formats.md,
docs/qualification.md): the tender file, the criteria file (TOML) and the supplier responses (JSON).

Each example starts from a real example file and mutates it: as data (delete a key, change a value's type, huge /
NaN / negative numbers, unicode tricks, duplicated records and ids, a record swapped for garbage, deep nesting),
written back as TOML or JSON, and/or as bytes (truncated at a random byte, random bytes inserted, including
invalid UTF-8). The mutant is written to a fresh temporary directory and loaded with the real loader.

The property: the loader returns a valid model, or raises ``auction.errors.InputError`` whose message names the
file; never any other exception.

Known product bugs are listed in ``KNOWN BUGS``; each has a minimal regression test marked ``xfail(strict=True)``
(it XPASSes, i.e. fails, once fixed: then remove the mark and its entry in ``known_bug``). The properties accept
exactly these inputs' documented wrong exception and hold every other input to the contract.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from auction.tender.auction_rules import rules_from_tender
from auction.tender.file import Tender
from auction.tender.loading import load_tender
from qualification.common.canonical import canonical_hash
from qualification.common.errors import InputError
from qualification.common.models import ID_PATTERN
from qualification.criteria import CriteriaSet
from qualification.criteria_file import load_criteria
from qualification.evaluation import Verdict, evaluate
from qualification.responses import SupplierResponse, answer_problems, load_response

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TENDER = EXAMPLES / "tender.toml"
CRITERIA = EXAMPLES / "criteria.toml"
RESPONSES = sorted((EXAMPLES / "responses").glob("*.json"))
EVALUATION_DAY = date(2026, 8, 1)
EXAMPLE_CRITERIA = load_criteria(CRITERIA)
# FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_files.py fuzzes deeper than the default (kept under ~10 s).
FILES = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "400")), deadline=None, database=None)

# ---------------------------------------------------------------------------- KNOWN BUGS (all fixed)
#
# F-BIGINT     an integer of more than 4300 digits (`volume = 1111…`, or in a response `"value": 1111…`) makes
#              tomllib / json raise ValueError ("Exceeds the limit (4300 digits) for integer string conversion"),
#              which read_document does not catch (it catches only TOMLDecodeError / JSONDecodeError).
# F-DEEP       deeply nested arrays (`x = [[[[…]]]]`, ~500 levels in TOML, ~1000 in JSON) raise RecursionError
#              out of read_document.
# F-NAN        tender `min_decrement = { percent = "NaN" }` (or "sNaN"): rules_from_tender compares
#              Decimal(0) < Decimal("NaN"), which raises decimal.InvalidOperation.
# F-HUGE       tender `ceiling = "1e999999"` (or `min_decrement = { amount = "1e999999" }`): parse_price raises
#              decimal.Overflow (scaleb beyond the context's Emax), which rules_from_tender does not catch.
# F-LONGPATH   tender `concept_contract = { version = "1.0", file = "<256 × x>" }`: Path.is_file() raises
#              OSError(ENAMETOOLONG) on Python 3.11 instead of returning False.
# F-SURROGATE  a response whose `supplier.contact.email`, `supplier.kvk` or `supplier.agb` holds a lone surrogate
#              (JSON "\ud800"): the field validator's PydanticCustomError carries the value, and rendering the
#              errors in validate_document (exc.errors(), auction/loading.py) raises UnicodeEncodeError.
# Q-HUGE       a response answering a `number` criterion with 1e28 or more (DV-02 `"value": 1e28`) loads, but
#              evaluate() then raises decimal.InvalidOperation: qualification/reasons.py format_number quantizes
#              the answer to a whole number beyond the default 28-digit decimal precision.

DIGIT_RUN = re.compile(rb"\d{4300}")


def nesting_depth(text: bytes) -> int:
    depth = deepest = 0
    for byte in text:
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif byte in b"]}":
            depth = max(0, depth - 1)
    return deepest


def read_any(text: bytes, suffix: str) -> Any:
    """The document as the loader reads it, or None when it cannot be read."""
    try:
        decoded = text.decode("utf-8")
        return tomllib.loads(decoded) if suffix == ".toml" else json.loads(decoded)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(value) if isinstance(value, str) else None
    except (InvalidOperation, ValueError):
        return None


def known_bug(exc: BaseException, text: bytes, suffix: str) -> str | None:
    """Which known bug ``exc`` is: all of them are fixed, so none (any other exception fails the property)."""
    return None


# --------------------------------------------------------------------------------------- writing mutants


class Raw:
    """A token written into the file as is: numbers the data model cannot hold (1e999, 5000 digits), nesting."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:40]!r}{'…' if len(self.text) > 40 else ''})"


def _toml_string(text: str) -> str:
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF:  # lone surrogates: an invalid escape
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


def toml_dumps(document: dict[str, Any]) -> str:
    """TOML with every value inline (``"key" = …``): enough for any shape a mutation produces."""
    return "".join(f"{_toml_string(key)} = {toml_value(value)}\n" for key, value in document.items())


def json_dumps(document: Any, ensure_ascii: bool, indent: int | None) -> str:
    raws: list[str] = []

    def swap(node: Any) -> Any:
        if isinstance(node, Raw):
            raws.append(node.text)
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(node, dict):
            return {k: swap(v) for k, v in node.items()}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    text = json.dumps(swap(document), ensure_ascii=ensure_ascii, indent=indent, default=str)
    for index, raw in enumerate(raws):
        text = text.replace(f'"@@raw{index}@@"', raw, 1)
    return text


# ------------------------------------------------------------------------------------------- strategies

TRICKS = (
    "\u202e",  # right-to-left override
    "\u2067",  # right-to-left isolate
    "\u200d",  # zero-width joiner
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1b[2J",
    "\u0301",
    "\u2028",
    "\ud800",  # lone surrogate (JSON "\ud800"; TOML has no way to write one)
    "\u0661",  # Arabic-Indic digit
    "\uff11",  # full-width digit
    "\u0410",  # Cyrillic A, looks like a Latin A
    "\U0001f600",
    "\r\n",
)
tricky_text = st.one_of(
    st.text(max_size=10),
    st.sampled_from(TRICKS),
    st.lists(st.one_of(st.sampled_from(TRICKS), st.text(max_size=3)), max_size=5).map("".join),
    st.integers(256, 5000).map(lambda n: "x" * n),
)
FIELD_TEXT = (
    "NaN",
    "sNaN",
    "-NaN",
    "Infinity",
    "-1",
    "0",
    "0.00",
    "-0.00",
    "1e999999",
    "1e5000",
    "2.105",
    "2,10",
    " 2.10 ",
    "0.5",
    "100",
    "1e-999999",
    "",
    " ",
    "L1-01",
    "L2-01",
    "DV-2027",
    "DV-2025",
    "ALG-01",
    "zv-waddenzee",
    "sup-klaverveld",
    "81275406",
    "0812754",
    "2028-02-30",
    "2026-07-14T16:52:30",
    "2026-07-14T16:52:30+02:00",
    "ja",
    "nee",
    "misschien",
    "conceptcontract.md",
    "criteria.toml",
    "../tender.toml",
    "/",
    ".",
    "x" * 256,
    "90s",
    "1h30m",
    "0",
    "-5m",
    "\u0661\u0662",
    "CRITERION.EXCLUSION.BUSINESS.BANKRUPTCY",
    "a@b.c",
)
RAW_TOKENS = ("nan", "+inf", "-inf", "1e999", "-0", "0x7fffffffffffffffff", "1_000", "9" * 5000)
numbers = st.one_of(
    st.integers(-(10**20), 10**20),
    st.sampled_from([0, -1, 1, -(2**63), 2**63, 2**64, 10**400]),
    st.floats(),
    st.sampled_from(RAW_TOKENS).map(Raw),
)
scalars = st.one_of(
    st.booleans(),
    numbers,
    tricky_text,
    st.sampled_from(FIELD_TEXT),
    st.dates(),
    st.datetimes(),
    st.times(),
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3), max_leaves=8
)
json_values = st.one_of(st.none(), values)  # json_dumps writes dates and times as strings


PathKey = str | int


def all_paths(node: Any, prefix: tuple[PathKey, ...] = ()) -> list[tuple[PathKey, ...]]:
    found: list[tuple[PathKey, ...]] = []
    items: list[tuple[PathKey, Any]] = []
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    for key, child in items:
        found.append(prefix + (key,))
        found.extend(all_paths(child, prefix + (key,)))
    return found


def parent_of(root: Any, path: tuple[PathKey, ...]) -> Any:
    node = root
    for key in path[:-1]:
        node = node[key]
    return node


def _at(root: Any, path: tuple[PathKey, ...]) -> Any:
    node = root
    for key in path:
        node = node[key]
    return node


MUTATIONS = (
    "delete",
    "same_id",
    "retype",
    "number",
    "unicode",
    "numeric_text",
    "duplicate",
    "garbage",
    "extra",
    "rename",
    "deep",
    "field",
)
NUMERIC_TEXT = ("NaN", "sNaN", "-Infinity", "1e999999", "1e5000", "1e-999999", "-1", "0", "0.00", "2.105", "2,10", "")


def _numeric(value: Any) -> bool:
    return isinstance(value, str) and _decimal(value) is not None


@st.composite
def mutated_document(draw: st.DrawFn, original: dict[str, Any], value_strategy: st.SearchStrategy[Any]) -> Any:
    document: Any = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        paths = all_paths(document)
        if not paths:
            break
        operation = draw(st.sampled_from(MUTATIONS))
        if operation in ("unicode", "numeric_text"):  # type-aware: aim at text, or at numbers written as text
            wanted = _numeric if operation == "numeric_text" else (lambda value: isinstance(value, str))
            paths = [p for p in paths if wanted(_at(document, p))] or paths
        path = draw(st.sampled_from(paths))
        parent, key = parent_of(document, path), path[-1]
        if operation == "delete":
            del parent[key]
        elif operation == "retype":
            parent[key] = draw(value_strategy)
        elif operation == "number":
            parent[key] = draw(numbers)
        elif operation == "field":
            parent[key] = draw(st.sampled_from(FIELD_TEXT))
        elif operation == "numeric_text":
            parent[key] = draw(st.sampled_from(NUMERIC_TEXT))
        elif operation == "unicode":
            current = parent[key]
            if isinstance(current, str):
                at = draw(st.integers(0, len(current)))
                parent[key] = current[:at] + draw(st.sampled_from(TRICKS)) + current[at:]
            else:
                parent[key] = draw(tricky_text)
        elif operation in ("duplicate", "garbage"):
            lists = [p for p in [()] + paths if isinstance(_at(document, p), list) and _at(document, p)]
            if not lists:
                continue
            chosen = _at(document, draw(st.sampled_from(lists)))
            index = draw(st.integers(0, len(chosen) - 1))
            if operation == "duplicate":  # the same record twice: duplicate ids
                chosen.insert(draw(st.integers(0, len(chosen))), copy.deepcopy(chosen[index]))
            else:
                chosen[index] = draw(value_strategy)
        elif operation == "extra":
            dicts = [p for p in [()] + paths if isinstance(_at(document, p), dict)]
            target = _at(document, draw(st.sampled_from(dicts)))
            target[draw(st.one_of(st.sampled_from(["expect", "ID", "id ", "extra"]), tricky_text))] = draw(
                value_strategy
            )
        elif operation == "rename" and isinstance(parent, dict):
            parent[draw(st.one_of(st.sampled_from([str(key).upper(), f"{key}_", f" {key}"]), tricky_text))] = (
                parent.pop(key)
            )
        elif operation == "same_id":  # one record takes another's id (or a second answer to one criterion)
            ids = [p for p in paths if p[-1] in ("id", "criterion") and isinstance(_at(document, p), str)]
            if len(ids) >= 2:
                target, source = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
                parent_of(document, target)[target[-1]] = _at(document, source)
        elif operation == "deep":
            depth = draw(st.integers(1, 1500))
            parent[key] = Raw("[" * depth + "]" * depth)
    return document


INVALID_UTF8 = (b"\xff", b"\xfe", b"\xc3", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\x80")


@st.composite
def byte_mutations(draw: st.DrawFn, text: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["truncate", "insert", "replace", "delete", "duplicate_line"]))
        at = draw(st.integers(min(1, len(text)), len(text)))
        if operation == "truncate":
            text = text[:at]
        elif operation == "insert":
            text = (
                text[:at]
                + draw(st.one_of(st.sampled_from(INVALID_UTF8), st.binary(min_size=1, max_size=8)))
                + text[at:]
            )
        elif operation == "replace" and at < len(text):
            text = text[:at] + draw(st.binary(min_size=1, max_size=1)) + text[at + 1 :]
        elif operation == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        elif operation == "duplicate_line":
            lines = text.splitlines(keepends=True)
            if lines:
                index = draw(st.integers(0, len(lines) - 1))
                lines.insert(index, lines[index])
                text = b"".join(lines)
    return text


@st.composite
def toml_mutants(draw: st.DrawFn, source: Path) -> bytes:
    original = source.read_bytes()
    if draw(st.integers(0, 5)) == 0:  # bytes of the file as written, comments and all
        return draw(byte_mutations(original))
    text = toml_dumps(draw(mutated_document(tomllib.loads(original.decode("utf-8")), values))).encode("utf-8")
    return draw(byte_mutations(text)) if draw(st.integers(0, 7)) == 0 else text


@st.composite
def json_mutants(draw: st.DrawFn) -> bytes:
    original = draw(st.sampled_from(RESPONSES)).read_bytes()
    if draw(st.integers(0, 5)) == 0:
        return draw(byte_mutations(original))
    document = draw(mutated_document(json.loads(original), json_values))
    text = json_dumps(document, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2])))
    # ensure_ascii=False writes a lone surrogate raw: as bytes that is not UTF-8 (the loader must say so)
    content = text.encode("utf-8", "surrogatepass")
    return draw(byte_mutations(content)) if draw(st.integers(0, 7)) == 0 else content


# ----------------------------------------------------------------------------------------- the property


@contextmanager
def written(name: str, content: bytes, with_concept: bool = False) -> Iterator[Path]:
    """The mutant as a file in a fresh directory (``tmp_path`` is per test function, not per example)."""
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory) / "in put ü"
        folder.mkdir()
        if with_concept:
            shutil.copy(EXAMPLES / "conceptcontract.md", folder / "conceptcontract.md")
        path = folder / name
        path.write_bytes(content)
        yield path


def holds(load: Callable[[Path], Any], check: Callable[[Any, Path], None], path: Path, text: bytes) -> None:
    """The loader returns a valid model or raises InputError naming the file; known bugs aside."""
    try:
        result = load(path)
    except InputError as exc:
        assert str(path) in str(exc), f"the message does not name the file: {exc}"
        event("refused (InputError)")
        return
    except Exception as exc:
        bug = known_bug(exc, text, path.suffix)
        if bug is None:
            raise
        event(f"known bug {bug}")
        return
    event("loaded")
    check(result, path)


def valid_tender(tender: Tender, path: Path) -> None:
    assert isinstance(tender, Tender)
    assert re.fullmatch(ID_PATTERN, tender.id)
    assert tender.insurers and tender.lots and all(insurer.insured > 0 for insurer in tender.insurers)
    assert tender.contract_period.end > tender.contract_period.start
    assert (path.parent / tender.concept_contract.file).is_file()
    line_ids = [line.id for lot in tender.lots for line in lot.lines]
    assert len(line_ids) == len(set(line_ids))
    for lot in tender.lots:
        config = rules_from_tender(tender, lot.id, path=str(path))
        assert 0 <= config.price_decimals <= 4
        assert all(line.ceiling > 0 and line.volume > 0 for line in config.lines)
        assert (config.decrement_percent is None) != (config.decrement_amount is None)
    assert len(canonical_hash(tender.model_dump(mode="json"))) == 64  # what load_tender_file stores next


def valid_criteria(criteria: CriteriaSet, path: Path) -> None:
    assert isinstance(criteria, CriteriaSet) and len(criteria) >= 1
    assert len(set(criteria.ids)) == len(criteria) and criteria.source == str(path)
    assert len(criteria.hash) == 64
    for criterion in criteria:
        if criterion.type == "number":
            assert criterion.min is not None or criterion.max is not None
            assert criterion.min is None or criterion.max is None or criterion.min <= criterion.max


def valid_response(response: SupplierResponse, path: Path) -> None:
    assert isinstance(response, SupplierResponse)
    assert response.tender_id == "DV-2027" and response.source == str(path)
    assert len(response.supplier.kvk) == 8 and response.supplier.kvk.isdigit()
    assert answer_problems(response, EXAMPLE_CRITERIA) == []
    try:
        verdict = evaluate(EXAMPLE_CRITERIA, response, EVALUATION_DAY)  # a loaded response can be evaluated
    except InvalidOperation:
        assert any(huge_number_answer(answer.value) for answer in response.answers)  # Q-HUGE
        event("known bug Q-HUGE")
        return
    assert isinstance(verdict, Verdict) and len(verdict.findings) == len(EXAMPLE_CRITERIA)


def huge_number_answer(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 10**28


@FILES
@given(content=toml_mutants(TENDER))
def test_a_mutated_tender_file_loads_or_is_refused_naming_the_file(content: bytes) -> None:
    with written("tender.toml", content, with_concept=True) as path:
        holds(load_tender, valid_tender, path, content)


@FILES
@given(content=toml_mutants(CRITERIA))
def test_a_mutated_criteria_file_loads_or_is_refused_naming_the_file(content: bytes) -> None:
    with written("criteria.toml", content) as path:
        holds(load_criteria, valid_criteria, path, content)


@FILES
@given(content=json_mutants())
def test_a_mutated_response_loads_or_is_refused_naming_the_file(content: bytes) -> None:
    with written("response.json", content) as path:
        holds(lambda p: load_response(p, "DV-2027", criteria=EXAMPLE_CRITERIA), valid_response, path, content)


@pytest.mark.parametrize("source", [TENDER, CRITERIA])
def test_the_toml_writer_round_trips_the_examples(source: Path) -> None:
    original = tomllib.loads(source.read_text(encoding="utf-8"))
    assert tomllib.loads(toml_dumps(original)) == original


def test_the_unmutated_examples_load() -> None:
    with written("tender.toml", TENDER.read_bytes(), with_concept=True) as path:
        valid_tender(load_tender(path), path)
    for source in RESPONSES:
        with written(source.name, source.read_bytes()) as path:
            valid_response(load_response(path, "DV-2027", criteria=EXAMPLE_CRITERIA), path)


# ------------------------------------------------------------------------------ known bugs, one by one


def _tender_with(change: Callable[[dict[str, Any]], None]) -> bytes:
    document = tomllib.loads(TENDER.read_text(encoding="utf-8"))
    change(document)
    return toml_dumps(document).encode("utf-8")


def _response_with(change: Callable[[dict[str, Any]], None]) -> bytes:
    document = json.loads(RESPONSES[0].read_text(encoding="utf-8"))
    change(document)
    return json.dumps(document).encode("utf-8")


def _set(path: tuple[PathKey, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        parent_of(document, path)[path[-1]] = value

    return change


KNOWN_FILE_BUGS = [
    pytest.param("tender.toml", _tender_with(_set(("insurers", 0, "insured"), Raw("1" * 4301))), id="F-BIGINT-toml"),
    pytest.param("criteria.toml", b"criteria = " + b"[" * 1000 + b"]" * 1000 + b"\n", id="F-DEEP-toml"),
    pytest.param("response.json", b"[" * 2000 + b"]" * 2000, id="F-DEEP-json"),
    pytest.param("response.json", b'{"supplier": ' + b"1" * 4301 + b"}", id="F-BIGINT-json"),
    pytest.param("tender.toml", _tender_with(_set(("auction", "min_decrement"), {"percent": "NaN"})), id="F-NAN"),
    pytest.param("tender.toml", _tender_with(_set(("lots", 0, "lines", 0, "ceiling"), "1e999999")), id="F-HUGE"),
    pytest.param(
        "tender.toml",
        _tender_with(_set(("concept_contract",), {"version": "1.0", "file": "x" * 256})),
        id="F-LONGPATH",
    ),
    pytest.param(
        "response.json", _response_with(_set(("supplier", "contact", "email"), "\ud800")), id="F-SURROGATE-email"
    ),
    pytest.param("response.json", _response_with(_set(("supplier", "kvk"), "\ud800")), id="F-SURROGATE-kvk"),
]

LOADERS: dict[str, Callable[[Path], Any]] = {
    "tender.toml": load_tender,
    "criteria.toml": load_criteria,
    "response.json": lambda path: load_response(path, "DV-2027", criteria=EXAMPLE_CRITERIA),
}


def test_known_bug_a_response_with_a_huge_number_is_refused_at_load() -> None:
    def answer_dv02(document: dict[str, Any]) -> None:
        next(a for a in document["answers"] if a["criterion"] == "DV-02")["value"] = 1e28  # delivery in working days

    content = _response_with(answer_dv02)
    with written("response.json", content) as path, pytest.raises(InputError) as refused:
        load_response(path, "DV-2027", criteria=EXAMPLE_CRITERIA)
    assert str(path) in str(refused.value) and "too large" in str(refused.value)


@pytest.mark.parametrize(("name", "content"), KNOWN_FILE_BUGS)
def test_known_bugs_in_the_loaders(name: str, content: bytes) -> None:
    with written(name, content, with_concept=True) as path:
        try:
            LOADERS[name](path)
        except InputError as exc:
            assert str(path) in str(exc)
        else:
            pytest.fail("loaded")


@pytest.mark.parametrize(
    ("catalogue", "said"),
    [("", "is a folder, not a file"), ("\u0000builtin", "NUL character"), ("nowhere.toml", "file not found")],
)
def test_a_catalogue_that_is_a_folder_or_an_impossible_name_is_refused_naming_the_criteria_file(
    tmp_path: Path, catalogue: str, said: str
) -> None:
    """Found by the fuzzer above: `catalogue = ""` pointed at the criteria file's own folder, and a NUL in the name
    raised a ValueError from the file system instead of an InputError."""
    path = tmp_path / "criteria.toml"
    path.write_text(f'catalogue = {json.dumps(catalogue)}\npick = [{{ id = "ALG-01" }}]\n', encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_criteria(path)
    assert str(path) in str(refused.value) and said in str(refused.value)
