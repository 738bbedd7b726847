"""The example procurement's organiser decisions, shared by the demo, the benchmarks and the tests.

Two example responses need the organiser's review on purpose: Bloesemhof named its insurance policy but did not
send it, and Klaverveld answered "niet van toepassing" to the governance code, which a person must check. The
demo shows the organiser deciding both with a written justification; everything else that needs an admitted
example uses :func:`qualify_example` to get the same decisions.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from auction.steps.qualification import decide, freeze_admission, qualify, stored_verdicts
from qualification.criteria import CriteriaSet
from qualification.criteria_file import load_criteria
from qualification.evaluation import Decision, Verdict, evaluate_all
from qualification.importing import import_responses
from qualification.responses import SupplierResponse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EVALUATION_DAY = date(2026, 8, 1)  # the example tender's qualification date; certificates are judged on it
EXAMPLE_LATE_REASON = (
    "Voorbeeld: de inschrijvingen van de ronde 2026 zijn vóór de termijn ingediend (zie submitted_at) en worden nu"
    " opnieuw geladen om de procedure te tonen."
)
"""The example tender publishes its 2026 response deadline (15 July 2026, 12:00); the demo, the benchmarks and the
tests load its responses later, so they record this reason (``auction responses load --late-reason``)."""

EXAMPLE_REVIEWS: dict[tuple[str, str], tuple[str, str]] = {
    ("sup-bloesemhof", "DV-06"): (
        "pass",
        "Polisblad op 3 augustus 2026 per e-mail nagezonden en gecontroleerd: verzekerd bedrag EUR 5.000.000"
        " per aanspraak, looptijd tot en met 31 december 2027.",
    ),
    ("sup-klaverveld", "ALG-03"): (
        "pass",
        "Klaverveld heeft minder dan 25 medewerkers en valt daarmee buiten de werkingssfeer van de Zorgbrede"
        " Governancecode; de toelichting in de bijgevoegde bestuursverklaring is gecontroleerd.",
    ),
}


async def decide_example_reviews(engine: AsyncEngine, tender_id: str) -> list[tuple[str, str, str]]:
    """Decide the example's open reviews as the organiser did; returns (supplier, criterion, outcome) each."""
    decided = []
    for (supplier_id, criterion_id), (outcome, justification) in EXAMPLE_REVIEWS.items():
        await decide(engine, tender_id, supplier_id, criterion_id, outcome, justification, override=False)
        decided.append((supplier_id, criterion_id, outcome))
    return decided


async def qualify_example(engine: AsyncEngine, tender_id: str, today: date = EVALUATION_DAY) -> list[Verdict]:
    """Qualify the example responses, decide the reviews that are open, freeze the admission list.

    Responses copied from an example supplier that needs no review (the benchmarks') leave nothing to decide.
    """
    results = await qualify(engine, tender_id, today)
    open_reviews = {(v.supplier_id, f.criterion_id) for v in results for f in v.open_reviews}
    for key, (outcome, justification) in EXAMPLE_REVIEWS.items():
        if key in open_reviews:
            await decide(engine, tender_id, *key, outcome, justification, override=False)
    await freeze_admission(engine, tender_id)
    return await stored_verdicts(engine, tender_id)


def example_responses_and_verdicts(
    criteria_path: Path | None = None, today: date = EVALUATION_DAY
) -> tuple[CriteriaSet, list[SupplierResponse], list[Verdict]]:
    """The example's criteria, responses (with documents) and final verdicts, without a database.

    The same decisions as :func:`qualify_example`; for tests of documents and exports built on the example.
    """
    criteria = load_criteria(criteria_path or EXAMPLES / "criteria.toml")
    paths = sorted((EXAMPLES / "responses").glob("*.json"))
    imported = import_responses(paths, criteria, tender_id="DV-2027", criteria_version=1)
    responses = [one.response for one in imported]
    decisions = [
        Decision(
            supplier_id=supplier_id,
            criterion_id=criterion_id,
            outcome="pass" if outcome == "pass" else "fail",
            justification=justification,
            decided_at="2026-08-03T10:00:00+02:00",
        )
        for (supplier_id, criterion_id), (outcome, justification) in EXAMPLE_REVIEWS.items()
    ]
    return criteria, responses, evaluate_all(criteria, responses, today, decisions)


# The example tender's [auction] table for each format, for the demo (`scripts/demo --format …`) and tests.
# Quick variants have one-second levels and turns; the interactive ones leave a person time to act.
FORMAT_RULES: dict[str, dict[bool, str]] = {
    "japanese": {
        True: 'format = "japanese"\nmin_decrement = { percent = "0.5" }\n'
        'levels = { step_percent = "2", interval = "1s", floor_percent = "70" }',
        False: 'format = "japanese"\nmin_decrement = { percent = "0.5" }\n'
        'levels = { step_percent = "2", interval = "15s", floor_percent = "70" }',
    },
    "dutch": {
        True: 'format = "dutch"\nmin_decrement = { percent = "0.5" }\n'
        'levels = { step_percent = "2", interval = "1s", floor_percent = "70" }',
        False: 'format = "dutch"\nmin_decrement = { percent = "0.5" }\n'
        'levels = { step_percent = "2", interval = "15s", floor_percent = "70" }',
    },
    "rounds": {
        True: 'format = "rounds"\nmin_decrement = { percent = "0.5" }\nshow_ladder = true\n'
        'rounds = { rounds = 2, turn = "1s", initial_offers = "2s" }',
        False: 'format = "rounds"\nmin_decrement = { percent = "0.5" }\nshow_ladder = true\n'
        'rounds = { rounds = 3, turn = "30s", initial_offers = "90s" }',
    },
}


def tender_with_rules(folder: Path, auction_toml: str) -> Path:
    """A copy of the example tender (with its criteria and concept contract) in ``folder`` whose ``[auction]``
    table is replaced by ``auction_toml`` (the table's body, without the header)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (EXAMPLES / "tender.toml").read_text(encoding="utf-8")
    start = text.index("[auction]")
    end = text.index("\n[", start + 1)
    (folder / "tender.toml").write_text(f"{text[:start]}[auction]\n{auction_toml.strip()}\n{text[end:]}", "utf-8")
    for name in ("criteria.toml", "conceptcontract.md"):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    return folder / "tender.toml"


def with_timings(
    text: str,
    *,
    extension_window: str | None = None,
    extension: str | None = None,
    max_extensions: int | None = None,
    standstill: str | None = None,
) -> str:
    """A tender file's text with other anti-sniping timings and standstill. A live auction runs by its published
    tender, so the demo's compressed timings and the benchmarks' "no extensions" are published in their tender."""
    quoted = {"extension_window": extension_window, "extension": extension, "standstill": standstill}
    values = {key: f'"{value}"' for key, value in quoted.items() if value is not None}
    if max_extensions is not None:
        values["max_extensions"] = str(max_extensions)
    wanted = {
        "auction": {k: v for k, v in values.items() if k != "standstill"},
        "award": {k: v for k, v in values.items() if k == "standstill"},
    }
    section = ""
    out: list[str] = []

    def close_section() -> None:
        for key, value in wanted.get(section, {}).items():
            out.append(f"{key} = {value}")

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            close_section()
            section = stripped.strip("[]").strip()
        key = stripped.split("=", 1)[0].strip() if "=" in stripped else ""
        if key in wanted.get(section, {}):
            continue
        out.append(line)
    close_section()
    return "\n".join(out) + "\n"


def tender_with_timings(folder: Path, source: Path, **timings: Any) -> Path:
    """A copy of the tender file ``source`` (with its criteria and concept contract) in ``folder``, with the
    timings of :func:`with_timings`."""
    folder.mkdir(parents=True, exist_ok=True)
    text = with_timings(source.read_text(encoding="utf-8"), **timings)
    for name in ("criteria.toml", "conceptcontract.md"):
        if not (folder / name).exists():
            (folder / name).write_bytes((source.parent / name).read_bytes())
    path = folder / "tender.toml"
    path.write_text(text, encoding="utf-8")
    return path
