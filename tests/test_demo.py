"""The main job end to end: `scripts/demo --quick` as a user runs it, then an auditor tampers and replays."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_quick_demo_records_contracts_that_replay_proves_and_tampering_breaks(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "scripts.kit.demo", "--quick", "--data", str(data), "--seed", "7"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert out.count("excluded ") == 2 and out.count("pending review") == 2
    assert "sup-bloesemhof DV-06 → pass" in out and "admission frozen: sup-bloesemhof, sup-klaverveld" in out
    assert "lot L1 (Drinkvoeding)" in out and "lot L2 (Sondevoeding)" in out
    assert "replay:    all verified" in out
    # The ending of the procurement: definitive, signed, documents written, notice served, OCDS valid.
    assert out.count("phase signed") == 2 and "contract (signed)" in out
    assert "award notice served at http://127.0.0.1:" in out
    assert (data / "published" / "final" / "gunningsbekendmaking-DV-2027.nl.html").is_file()
    assert len(list((data / "published" / "intention").glob("voornemen-DV-2027-L*.nl.md"))) >= 4
    if (ROOT.parent / "shared" / "testdata" / "ocds").is_dir():
        assert "OCDS validation: valid against OCDS 1.1.5" in out
    assert (data / "published" / "ocds.json").is_file() and (data / "published" / "bids.csv").is_file()
    db = data / "auction.db"
    assert str(db.resolve()) in out

    verify = [sys.executable, "-m", "auction.cli", "--db", str(db), "replay", "--verify"]
    assert subprocess.run(verify, cwd=ROOT, capture_output=True, text=True).returncode == 0

    with sqlite3.connect(db) as conn:
        seq, payload = conn.execute(
            "SELECT seq, payload FROM journal WHERE stream='DV-2027-L1-live' AND type='BidAccepted' "
            "ORDER BY seq LIMIT 1"
        ).fetchone()
        bid = json.loads(payload)
        bid["total"] -= 1
        conn.execute(
            "UPDATE journal SET payload=? WHERE stream='DV-2027-L1-live' AND seq=?",
            (json.dumps(bid, sort_keys=True, separators=(",", ":")), seq),
        )
    failed = subprocess.run(verify, cwd=ROOT, capture_output=True, text=True)
    assert failed.returncode == 1
    assert f"entry #{seq} (BidAccepted): its content does not match its hash" in failed.stdout


def test_the_demo_runs_in_the_dutch_format_to_a_signed_contract(tmp_path: Path) -> None:
    """The shortest other format (the first acceptance closes each auction): the whole procurement still ends
    signed, published and verified."""
    data = tmp_path / "demo-dutch"
    done = subprocess.run(
        [sys.executable, "-m", "scripts.kit.demo", "--quick", "--format", "dutch", "--data", str(data), "--seed", "3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert "with the dutch format" in out and "level " in out
    assert out.count("phase signed") == 2 and "replay:    all verified" in out
