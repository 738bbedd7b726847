"""The organiser's CLI end to end on a real SQLite file: each step, and each step out of order."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from auction.cli.main import main as cli
from qualification.common.errors import NOT_FOUND, REFUSED, USAGE
from scripts.kit.example import EXAMPLE_LATE_REASON
from tests.conftest import EXAMPLES


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_the_organiser_steps_in_order(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run(db, "init").exit_code == 0
    assert db.exists() and (tmp_path / "a.db.organiser-key").exists()
    result = run(db, "tender", "load", str(EXAMPLES / "tender.toml"))
    assert result.exit_code == 0 and "tender DV-2027" in result.output
    shown = run(db, "tender", "show").output
    assert "Zorgverzekeraar Waddenzee" in shown and "auction rules (english):" in shown
    assert "Each further bid is at least 0.5 % below its own previous total." in shown
    assert "Elk volgend bod ligt minstens 0,5 % onder" in run(db, "tender", "show", "--language", "nl").output
    responses = sorted(str(p) for p in (EXAMPLES / "responses").glob("*.json"))
    # Today is after the example's published response deadline: refused without a reason, loaded with one.
    late = run(db, "responses", "load", *responses)
    assert late.exit_code == REFUSED and "response deadline was 2026-07-15T12:00:00+02:00" in late.output
    loaded = run(db, "responses", "load", *responses, "--late-reason", EXAMPLE_LATE_REASON).output
    assert "6 responses loaded" in loaded and f"reason on record: {EXAMPLE_LATE_REASON}" in loaded
    result = run(db, "qualify", "--date", "2026-08-01")
    assert "2 admitted, 2 excluded, 2 pending review" in result.output
    assert "excluded" in result.output and "UIT-04" in result.output
    result = run(db, "admission", "freeze")
    assert result.exit_code == REFUSED and "2 finding(s) still need review" in result.output
    result = run(db, "review", "list")
    assert "sup-bloesemhof DV-06" in result.output and "sup-klaverveld ALG-03" in result.output
    result = run(db, "review", "decide", "sup-bloesemhof", "DV-06", "--pass", "--justification", "ok")
    assert result.exit_code == USAGE and "at least 15 characters" in result.output
    justification = "Polisblad nagezonden per e-mail en gecontroleerd."
    result = run(db, "review", "decide", "sup-bloesemhof", "DV-06", "--pass", "--justification", justification)
    assert result.exit_code == 0 and "sup-bloesemhof is now admitted" in result.output
    result = run(db, "review", "decide", "sup-lepelaar", "DV-06", "--pass", "--justification", justification)
    assert result.exit_code == REFUSED and "does not need review" in result.output
    justification = "Minder dan 25 medewerkers: buiten de werkingssfeer van de code."
    assert (
        run(db, "review", "decide", "sup-klaverveld", "ALG-03", "--pass", "--justification", justification).exit_code
        == 0
    )
    result = run(db, "admission", "freeze")
    assert result.exit_code == 0 and "4 admitted, 2 excluded" in result.output
    result = run(db, "schedule", "--kind", "practice", "--lot", "L1", "--opens-at", "+1h", "--duration", "15m")
    assert result.exit_code == 0 and "DV-2027-L1-practice" in result.output
    result = run(db, "invite", "DV-2027-L1-practice", "--base-url", "http://127.0.0.1:9")
    assert result.output.count("/room/DV-2027-L1-practice#token=") == 4
    assert result.output.count("/observe/DV-2027-L1-practice#token=") == 3
    assert "scheduled" in run(db, "auctions").output
    # With no server running, a control is written to the journal directly.
    result = run(db, "start", "DV-2027-L1-practice", "--reason", "everyone is ready")
    assert result.exit_code == 0 and "AuctionOpened (via journal)" in result.output
    result = run(db, "award", "DV-2027-L1-practice", "--reason", "x")
    assert result.exit_code == REFUSED and "cannot award an auction that is open" in result.output
    result = run(db, "close", "DV-2027-L1-practice", "--reason", "rehearsal over")
    assert result.exit_code == 0
    result = run(db, "award", "DV-2027-L1-practice", "--reason", "x")
    assert result.exit_code == REFUSED and "practice auction never produces a contract" in result.output
    assert run(db, "replay", "--verify").exit_code == 0


def test_steps_out_of_order_say_what_comes_first(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    result = run(db, "tender", "show")
    assert result.exit_code == NOT_FOUND and "run `auction init` first" in result.output
    run(db, "init")
    result = run(db, "qualify")
    assert result.exit_code == NOT_FOUND and "no tender loaded yet" in result.output
    run(db, "tender", "load", str(EXAMPLES / "tender.toml"))
    result = run(db, "qualify")
    assert result.exit_code == REFUSED and "no responses loaded yet" in result.output
    result = run(db, "schedule", "--kind", "live")
    assert result.exit_code == REFUSED and "admission list is not frozen yet" in result.output
    responses = sorted(str(p) for p in (EXAMPLES / "responses").glob("*.json"))
    run(db, "responses", "load", *responses, "--late-reason", EXAMPLE_LATE_REASON)
    run(db, "qualify", "--date", "2026-08-01")
    result = run(db, "schedule", "--kind", "live")
    assert result.exit_code == REFUSED and "admission list is not frozen yet" in result.output
    for supplier, criterion in (("sup-bloesemhof", "DV-06"), ("sup-klaverveld", "ALG-03")):
        run(
            db,
            "review",
            "decide",
            supplier,
            criterion,
            "--pass",
            "--justification",
            "Gecontroleerd door de organisator.",
        )
    assert run(db, "admission", "freeze").exit_code == 0
    result = run(db, "schedule", "--kind", "live", "--lot", "L9")
    assert result.exit_code == USAGE and "no lot 'L9'" in result.output
    assert run(db, "schedule", "--kind", "live").exit_code == 0
    result = run(db, "qualify", "--date", "2026-08-01")
    assert result.exit_code == REFUSED and "admission list is frozen" in result.output
    result = run(db, "pause", "DV-2027-L1-live")
    assert result.exit_code == USAGE and "--reason" in result.output
    result = run(db, "status", "nope")
    assert result.exit_code == NOT_FOUND and "no auction 'nope'" in result.output
    result = run(db, "contract", "show")
    assert result.exit_code == NOT_FOUND and "no contract recorded yet" in result.output


def test_a_bad_response_file_loads_nothing(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run(db, "init")
    run(db, "tender", "load", str(EXAMPLES / "tender.toml"))
    broken = tmp_path / "broken.json"
    broken.write_text('{"supplier": ', encoding="utf-8")
    good = str(EXAMPLES / "responses" / "bloesemhof.json")
    result = run(db, "responses", "load", good, str(broken), "--late-reason", EXAMPLE_LATE_REASON)
    assert result.exit_code == USAGE and "broken.json" in result.output and "JSON syntax error" in result.output
    result = run(db, "qualify")
    assert "no responses loaded yet" in result.output
