"""scripts/verify_journal.py, the auditor's own verifier, run as a subprocess on exports of real auctions.

The script may use nothing of ours; these tests may, to build auctions and to tamper with their exports.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from auction.journal.export import journal_jsonl
from auction.journal.hashing import entry_hash
from auction.journal.signing import head_message
from auction.rules.messages import Close, IntendAward, PlaceBid, Tick
from auction.steps.auctions import load_runner
from auction.steps.setup import load_signer
from auction.storage.server_settings import get_setting
from auction.storage.sql_journal import journal_for
from qualification.common.canonical import canonical_json
from tests.conftest import ROOT, Procurement

SCRIPT = ROOT / "scripts" / "verify_journal.py"
PROJECT_PACKAGES = {"auction", "qualification", "web", "tests"}


class Clock:
    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@dataclass
class Exported:
    """An awarded auction's export, parsed: ``lines[0]`` is the header, ``lines[n]`` is entry #n."""

    auction_id: str
    public_key: str
    lines: list[dict[str, Any]]
    receipts: list[dict[str, Any]]
    bidders: list[str]

    def copy(self) -> list[dict[str, Any]]:
        copied: list[dict[str, Any]] = json.loads(json.dumps(self.lines))
        return copied


async def awarded_export(procurement: Procurement) -> Exported:
    """Lot L1, four bids (the last two with equal totals: the earlier ranks first), closed, awarded to rank 1.

    Entries: 1 AuctionCreated, 2 AuctionOpened, 3-6 BidAccepted, 7 AuctionClosed, 8 JournalHeadSigned,
    9 AwardIntended, 10 JournalHeadSigned (the server signs the head again after the award).
    """
    auction_id, _ = await procurement.auction(opens_in_s=0, duration_s=600)
    clock = Clock(4_000_000_000_000)
    runner = await load_runner(procurement.engine, auction_id, clock, load_signer(procurement.settings))
    await runner.process(Tick())
    bidders = procurement.admitted
    bids = [(bidders[0], "2.00"), (bidders[1], "1.95"), (bidders[0], "1.90"), (bidders[2], "1.90")]
    receipts = []
    for n, (bidder, price) in enumerate(bids):
        clock.now += 1000
        outcome = await runner.process(PlaceBid(bidder, f"b{n}", {"L1-01": price, "L1-02": "2.40", "L1-03": "2.20"}))
        assert outcome.rejection is None, outcome.rejection
        assert outcome.receipt is not None
        receipts.append(outcome.receipt)
    clock.now += 1000
    assert (await runner.process(Close(reason="test"))).rejection is None
    clock.now += 1000
    assert (await runner.process(IntendAward(reason="best offer"))).rejection is None
    entries = await journal_for(procurement.engine).read(auction_id)
    assert [e.type for e in entries][-4:] == [
        "AuctionClosed",
        "JournalHeadSigned",
        "AwardIntended",
        "JournalHeadSigned",
    ]
    key = await get_setting(procurement.engine, "signing_public_key")
    assert key
    text = journal_jsonl(auction_id, entries, key, clock.now)
    return Exported(auction_id, key, [json.loads(line) for line in text.splitlines()], receipts, bidders)


@pytest.fixture
async def exported(procurement: Procurement) -> Exported:
    return await awarded_export(procurement)


def write(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(canonical_json(line) + "\n" for line in lines), encoding="utf-8")
    return path


def rehash(lines: list[dict[str, Any]], start: int) -> None:
    """Recompute hash and prev_hash from entry #start on, as someone with database access could."""
    for entry in lines[start:]:
        entry["prev_hash"] = lines[entry["seq"] - 1]["hash"] if entry["seq"] > 1 else "0" * 64
        entry["hash"] = entry_hash(
            entry["stream"], entry["seq"], entry["recorded_at"], entry["type"], entry["payload"], entry["prev_hash"]
        )


def verify(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=60
    )


def failed(result: subprocess.CompletedProcess[str]) -> str:
    """The FAILED line's message, after checking the exit status says so."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "NOT VERIFIED" in result.stdout
    found = re.search(r"FAILED  (.*)", result.stdout)
    assert found, result.stdout
    return found.group(1)


# ------------------------------------------------------------------------------------------- honest exports


async def test_an_honest_export_verifies_with_the_servers_key(exported: Exported, tmp_path: Path) -> None:
    path = write(tmp_path / "journal.jsonl", exported.lines)
    result = verify(path, "--public-key", exported.public_key)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("VERIFIED")
    assert "hash chain: entries #1 to #10" in result.stdout
    assert "signatures: 3 valid" in result.stdout and "(from --public-key)" in result.stdout
    # The tie: bidders[0] and bidders[2] both offer 1.90 on L1-01; bidders[0] bid first and wins.
    assert f"gives rank 1 to {exported.bidders[0]} (bid b2," in result.stdout
    assert "entry #10 comes after the last signed head (#9)" in result.stdout  # the award itself is signed


async def test_without_a_key_option_the_headers_key_is_used_and_said_to_be_so(
    exported: Exported, tmp_path: Path
) -> None:
    result = verify(write(tmp_path / "journal.jsonl", exported.lines))
    assert result.returncode == 0, result.stdout
    assert "from the export's header only" in result.stdout


async def test_the_bidders_receipts_verify(exported: Exported, tmp_path: Path) -> None:
    receipts = tmp_path / "receipts.json"
    receipts.write_text(json.dumps(exported.receipts))
    result = verify(write(tmp_path / "j.jsonl", exported.lines), "--receipts", receipts)
    assert result.returncode == 0, result.stdout
    assert "receipts: 4 of 4 match their entries" in result.stdout


async def test_a_revised_award_to_rank_2_verifies(procurement: Procurement, tmp_path: Path) -> None:
    """The equal total bid later ranks second; an award passed to it follows from the bids too."""
    exported = await awarded_export(procurement)
    clock = Clock(exported.lines[-1]["recorded_at"] + 1000)
    runner = await load_runner(procurement.engine, exported.auction_id, clock, load_signer(procurement.settings))
    assert (await runner.process(IntendAward(reason="winner failed the final check", rank=2))).rejection is None
    entries = await journal_for(procurement.engine).read(exported.auction_id)
    path = tmp_path / "j.jsonl"
    path.write_text(journal_jsonl(exported.auction_id, entries, exported.public_key, clock.now))
    result = verify(path, "--public-key", exported.public_key)
    assert result.returncode == 0, result.stdout
    assert f"entry #11 (AwardIntended) gives rank 2 to {exported.bidders[2]} (bid b3," in result.stdout


# ---------------------------------------------------------------------------------------- tampered exports


def change_a_payload(lines: list[dict[str, Any]]) -> None:
    lines[4]["payload"]["prices"]["L1-01"] = 150


def remove_a_line(lines: list[dict[str, Any]]) -> None:
    del lines[3]


def swap_two_lines(lines: list[dict[str, Any]]) -> None:
    lines[3], lines[4] = lines[4], lines[3]


def remove_a_line_and_renumber(lines: list[dict[str, Any]]) -> None:
    """Each later entry renumbered and its own hash recomputed, but the chain's links left as they were."""
    del lines[3]
    for entry in lines[3:]:
        entry["seq"] -= 1
        entry["hash"] = entry_hash(
            entry["stream"], entry["seq"], entry["recorded_at"], entry["type"], entry["payload"], entry["prev_hash"]
        )


def forge_the_close_signature(lines: list[dict[str, Any]]) -> None:
    lines[8]["payload"]["signature"] = "00" * 64
    rehash(lines, 8)  # so that only the signature is wrong


def forge_the_award_signature(lines: list[dict[str, Any]]) -> None:
    head = lines[9]["payload"]["contract"]["journal_head"]
    head["signature"] = head["signature"][:-2] + ("00" if head["signature"][-2:] != "00" else "01")
    rehash(lines, 9)


def sign_the_head_of_another_journal(lines: list[dict[str, Any]]) -> None:
    lines[8]["payload"]["head_hash"] = "ab" * 32
    rehash(lines, 8)


def give_the_contract_to_the_runner_up(lines: list[dict[str, Any]]) -> None:
    """Changed and re-hashed: chain and signatures still hold, only the winner rule catches it."""
    runner_up = lines[6]["payload"]["bidder"]  # bid b3: the same total as the winner's, but later
    lines[9]["payload"]["contract"]["supplier"]["id"] = runner_up
    rehash(lines, 9)


def raise_a_total(lines: list[dict[str, Any]]) -> None:
    lines[5]["payload"]["total"] -= 1
    rehash(lines, 5)


def write_a_float(lines: list[dict[str, Any]]) -> None:
    lines[3]["payload"]["prices"]["L1-01"] = 2.0


def cut_the_end(lines: list[dict[str, Any]]) -> None:
    del lines[10]


TAMPERING: list[tuple[Callable[[list[dict[str, Any]]], None], str]] = [
    (change_a_payload, "entry #4 (BidAccepted): hash mismatch"),
    (remove_a_line, "entry #4 (BidAccepted): found where entry #3 should be"),
    (swap_two_lines, "entry #4 (BidAccepted): found where entry #3 should be"),
    (remove_a_line_and_renumber, "entry #3 (BidAccepted): prev_hash"),
    (forge_the_close_signature, "entry #8 (JournalHeadSigned): the signature over entry #7 does not verify"),
    (forge_the_award_signature, "entry #9 (AwardIntended): the signature over entry #8 does not verify"),
    (sign_the_head_of_another_journal, "entry #8 (JournalHeadSigned): the signed head (entry #7, abab"),
    (give_the_contract_to_the_runner_up, "entry #9 (AwardIntended): the contract's supplier is"),
    (raise_a_total, "entry #5 (BidAccepted): total"),
    (write_a_float, "line 4 (where entry #3 should be): not valid journal JSON: the number 2.0 is not an integer"),
    (cut_the_end, "header: says 10 entries, the file holds 9"),
]


@pytest.mark.parametrize(("tamper", "message"), TAMPERING, ids=[t.__name__ for t, _ in TAMPERING])
async def test_tampering_is_caught_and_named(
    exported: Exported, tmp_path: Path, tamper: Callable[[list[dict[str, Any]]], None], message: str
) -> None:
    lines = exported.copy()
    tamper(lines)
    path = tmp_path / "journal.jsonl"
    write(path, lines)
    assert failed(verify(path, "--public-key", exported.public_key)).startswith(message)


async def test_the_winner_rule_is_what_catches_a_changed_contract(exported: Exported, tmp_path: Path) -> None:
    lines = exported.copy()
    give_the_contract_to_the_runner_up(lines)
    message = failed(verify(write(tmp_path / "j.jsonl", lines), "--public-key", exported.public_key))
    assert f"but the offer at rank 1 is {exported.bidders[0]}'s bid b2 (entry #5)" in message


async def test_a_wrong_public_key_fails(exported: Exported, tmp_path: Path) -> None:
    other = Ed25519PrivateKey.generate().public_key()
    key = other.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    message = failed(verify(write(tmp_path / "j.jsonl", exported.lines), "--public-key", key))
    assert message.startswith(f"entry #8 (JournalHeadSigned): signed with key {exported.public_key[:16]}")
    assert f"not the expected key {key[:16]}" in message


async def test_signatures_with_no_key_at_all_are_unchecked_and_fail(exported: Exported, tmp_path: Path) -> None:
    lines = exported.copy()
    lines[0]["public_key"] = ""
    message = failed(verify(write(tmp_path / "j.jsonl", lines)))
    assert message.startswith("signatures: 3 unchecked: no public key")


async def test_a_receipt_with_a_wrong_hash_fails(exported: Exported, tmp_path: Path) -> None:
    receipts = json.loads(json.dumps(exported.receipts))
    receipts[1]["entry_hash"] = "0" * 64
    path = tmp_path / "receipts.json"
    path.write_text(json.dumps(receipts))
    message = failed(verify(write(tmp_path / "j.jsonl", exported.lines), "--receipts", path))
    assert message.startswith("receipt 2 (bid 'b1'): entry #4 (BidAccepted) has hash")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("server_time", 1, "entry #3 (BidAccepted) was recorded at"),
        ("bid_id", "b9", "entry #3 (BidAccepted) holds bid 'b0'"),
        ("total", "1.00", "entry #3 (BidAccepted) has total"),
        ("seq", 7, "entry #7 (AuctionClosed) is not a BidAccepted entry"),
        ("auction_id", "DV-2027-L2-live", "is for auction 'DV-2027-L2-live'"),
    ],
)
async def test_a_receipt_that_does_not_match_its_entry_fails(
    exported: Exported, tmp_path: Path, field: str, value: object, message: str
) -> None:
    receipt = dict(exported.receipts[0], **{field: value})
    path = tmp_path / "receipts.json"
    path.write_text(json.dumps([receipt]))
    assert message in failed(verify(write(tmp_path / "j.jsonl", exported.lines), "--receipts", path))


# ------------------------------------------------------------------------------------------- usage errors


async def test_usage_errors_exit_2(exported: Exported, tmp_path: Path) -> None:
    journal = write(tmp_path / "j.jsonl", exported.lines)
    prose = tmp_path / "notes.txt"
    prose.write_text("this is not JSON\n")
    other = tmp_path / "other.jsonl"
    other.write_text('{"format":"something-else","version":1}\n')
    cases: list[tuple[list[str | Path], str]] = [
        ([tmp_path / "missing.jsonl"], "no such file"),
        ([prose], "not a JSON Lines journal export"),
        ([other], "not a journal export"),
        ([journal, "--public-key", "xyz"], "--public-key must be 64 hex digits"),
        ([journal, "--receipts", tmp_path / "missing.json"], "no such file"),
        ([journal, "--receipts", prose], "not a JSON file of receipts"),
        ([], "the following arguments are required"),
    ]
    for args, message in cases:
        result = verify(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr, (args, result.stderr)


# --------------------------------------------------------------------------------------- no code of ours


def test_the_script_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            assert node.module is not None
            imported.add(node.module.split(".")[0])
    assert not imported & PROJECT_PACKAGES
    assert imported - {"__future__"} <= set(sys.stdlib_module_names) | {"cryptography"}, imported
    assert "__import__" not in SCRIPT.read_text() and "import_module" not in SCRIPT.read_text()


BLOCKER = """
import runpy, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {packages!r}:
            raise ImportError("the verifier may not import " + name)
        return None
sys.meta_path.insert(0, Block())
sys.argv = [{script!r}, *sys.argv[1:]]
try:
    runpy.run_path({script!r}, run_name="__main__")
finally:
    assert not {packages!r} & {{m.split(".")[0] for m in sys.modules}}
"""


async def test_the_script_runs_where_the_project_cannot_be_imported(exported: Exported, tmp_path: Path) -> None:
    journal = write(tmp_path / "j.jsonl", exported.lines)
    code = BLOCKER.format(packages=PROJECT_PACKAGES, script=str(SCRIPT))
    result = subprocess.run(
        [sys.executable, "-c", code, str(journal), "--public-key", exported.public_key],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VERIFIED" in result.stdout


# ----------------------------------------------------------------------------- the spec agrees with the code


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("verify_journal", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


VERIFIER = load_script()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_the_scripts_canonical_json_is_the_products(value: Any) -> None:
    assert VERIFIER.canonical_json(value) == canonical_json(value)


def test_the_escapes_the_spec_lists() -> None:
    text = 'q" b\\ n\n r\r t\t b\b f\f nul\x00 us\x1f del\x7f é — 😀 \u2028'
    expected = '"q\\" b\\\\ n\\n r\\r t\\t b\\b f\\f nul\\u0000 us\\u001f del\x7f é — 😀 \u2028"'
    assert VERIFIER.canonical_json(text) == canonical_json(text) == expected
    with pytest.raises(ValueError):
        VERIFIER.canonical_json({"price": 2.5})


def example_blocks() -> tuple[list[dict[str, Any]], str]:
    doc = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```jsonl\n(.*?)```", doc, flags=re.DOTALL)
    return [json.loads(line) for line in block.splitlines()], doc


def test_the_worked_example_in_docs_audit_md_is_right(tmp_path: Path) -> None:
    lines, doc = example_blocks()
    header, entries = lines[0], lines[1:]
    for entry in entries:
        body = {k: entry[k] for k in ("stream", "seq", "recorded_at", "type", "payload", "prev_hash")}
        assert canonical_json(body) in doc  # the hash input shown is byte for byte the real one
        assert hashlib.sha256(canonical_json(body).encode()).hexdigest() == entry["hash"]
        assert entry["hash"] == entry_hash(
            entry["stream"], entry["seq"], entry["recorded_at"], entry["type"], entry["payload"], entry["prev_hash"]
        )
    signed = entries[1]["payload"]
    assert head_message(header["stream"], signed["head_seq"], signed["head_hash"]).decode() in doc
    path = tmp_path / "example.jsonl"
    path.write_text("".join(canonical_json(line) + "\n" for line in lines), encoding="utf-8")
    result = verify(path, "--public-key", header["public_key"])
    assert result.returncode == 0, result.stdout


async def test_a_quality_weighted_award_verifies_by_the_ranked_figure(tmp_path: Path) -> None:
    """MEAT: the standalone verifier ranks by the quality-weighted figure from the recorded config, so the offer
    with the higher total but the better quality score is the rightful winner, and the cheaper one is not."""
    from tests.conftest import prepare

    rules = 'min_decrement = { percent = "0.5" }\nmeat = { formula = "factor", max_discount_percent = "10" }'
    procurement = await prepare(tmp_path, rules)
    try:
        auction_id, _ = await procurement.auction(opens_in_s=0, duration_s=600)
        clock = Clock(4_000_000_000_000)
        runner = await load_runner(procurement.engine, auction_id, clock, load_signer(procurement.settings))
        await runner.process(Tick())
        scores = {seat.bidder: seat.quality_score for seat in runner.state.cfg.seats}
        better, worse = sorted(scores, key=lambda b: float(scores[b] or 0), reverse=True)[:2]
        assert float(scores[better]) > float(scores[worse])
        clock.now += 1000
        rest = {"L1-02": "2.40", "L1-03": "2.20"}
        assert (await runner.process(PlaceBid(better, "q1", {"L1-01": "2.00", **rest}))).receipt
        clock.now += 1000
        assert (await runner.process(PlaceBid(worse, "q2", {"L1-01": "1.99", **rest}))).receipt
        assert runner.state.leader() == better  # a higher total, but the better quality-weighted figure
        clock.now += 1000
        await runner.process(Close(reason="test"))
        clock.now += 1000
        assert (await runner.process(IntendAward(reason="best price-quality ratio"))).rejection is None
        entries = await journal_for(procurement.engine).read(auction_id)
        key = await get_setting(procurement.engine, "signing_public_key")
        assert key
        lines = [json.loads(line) for line in journal_jsonl(auction_id, entries, key, clock.now).splitlines()]
    finally:
        await procurement.engine.dispose()
    result = verify(write(tmp_path / "meat.jsonl", lines), "--public-key", key)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the lowest quality-weighted figure" in result.stdout
