"""Benchmark of qualification: ``evaluate_all`` over 1,000 synthetic responses against 60 catalogue criteria.

The criteria are 60 of the built-in catalogue's (every type and kind: yes/no, numbers, dates, documents, choices;
knock-out, scored, informational). The answers are random but seeded: most pass, some fail, some leave a
criterion unanswered, some name evidence that was not sent (so the finding needs review).

Printed, each as median, min and max over the repetitions, with responses per second:
- ``evaluate_all``: the pure evaluation (findings, reasons in two languages, scores, verdicts), in process;
- baselines measured in the same run on the same data: ``check_answers`` alone (reading every answer as its
  criterion's type, which evaluation does first) and a trivial loop that only looks each answer up;
- ``import_responses``: reading the same 1,000 responses from JSON files, with their documents hashed.
The target is under 1 s for the whole set; the exit code is 0 either way (a benchmark prints, it does not judge).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qualification.criteria import CriteriaSet, Criterion  # noqa: E402
from qualification.criteria_file import load_catalogue  # noqa: E402
from qualification.evaluation import evaluate_all  # noqa: E402
from qualification.importing import import_responses  # noqa: E402
from qualification.responses import AttachedDocument, SupplierResponse, check_answers, parse_response  # noqa: E402
from scripts.kit.measure import machine  # noqa: E402

TENDER_ID = "DV-BENCH"
TODAY = date(2026, 8, 1)
TARGET_S = 1.0
FAIL_RATE = 0.004  # per answer: with 60 criteria about one supplier in five fails some criterion
UNANSWERED_RATE = 0.002
MISSING_EVIDENCE_RATE = 0.03  # per answer naming evidence: named but not sent


# ------------------------------------------------------------------------------------------------ criteria


def pick_criteria(count: int) -> CriteriaSet:
    """``count`` criteria of the catalogue in its order, keeping every type and kind: the yes/no knock-out
    questions (most of the catalogue) are the ones left out when the catalogue has more than ``count``."""
    catalogue = load_catalogue()
    if len(catalogue) <= count:
        return CriteriaSet(catalogue.criteria, source="built-in catalogue")
    others = [c for c in catalogue if not (c.type == "yes_no" and c.kind == "knock-out")]
    room = max(0, count - len(others))
    yes_no = [c for c in catalogue if c.type == "yes_no" and c.kind == "knock-out"][:room]
    keep = {c.id for c in [*others, *yes_no][:count]}
    return CriteriaSet(tuple(c for c in catalogue if c.id in keep), source="built-in catalogue")


# ------------------------------------------------------------------------------------------------ answers


def _number(rng: random.Random, criterion: Criterion, passing: bool) -> int | float:
    low = None if criterion.min is None else float(criterion.min)
    high = None if criterion.max is None else float(criterion.max)
    if not passing and (low is not None or high is not None):
        return low - 1 if low is not None else high + 1  # type: ignore[operator]
    if criterion.score_from is not None and criterion.score_to is not None:
        start, end = sorted((float(criterion.score_from), float(criterion.score_to)))
        start, end = start - (end - start) / 4, end + (end - start) / 4  # some answers beyond the scale
    else:
        start = low if low is not None else (high or 0.0) - 100
        end = high if high is not None else start * 3 + 100
    start = start if low is None else max(start, low)
    end = end if high is None else min(end, high)
    value = rng.uniform(start, end)
    return round(value, 1) if rng.random() < 0.5 else min(max(round(value), math.ceil(start)), math.floor(end))


def _value(rng: random.Random, criterion: Criterion, passing: bool) -> Any:
    if criterion.type == "yes_no":
        expected = True if criterion.expected is None else criterion.expected
        return expected if passing else not expected
    if criterion.type == "number":
        return _number(rng, criterion, passing)
    if criterion.type == "date_not_passed":
        days = rng.randint(1, 900)
        return (TODAY + timedelta(days=days) if passing else TODAY - timedelta(days=days)).isoformat()
    if criterion.type == "document":
        return f"docs/{criterion.id.lower()}.pdf"
    options = list(criterion.options or criterion.allowed or ("ja",))
    allowed = [o for o in (criterion.allowed or options) if o not in (criterion.review_answers or ())]
    refused = [o for o in options if criterion.allowed is not None and o not in criterion.allowed]
    if not passing and refused:
        return rng.choice(refused)
    return rng.choice(allowed or options)


def synthetic_documents(criteria: CriteriaSet, count: int, seed: int) -> tuple[list[dict[str, Any]], set[str]]:
    """``count`` response documents (the JSON shape) and the names of the documents that were sent."""
    rng = random.Random(seed)
    sent: set[str] = set()
    documents = []
    for n in range(count):
        answers = []
        for criterion in criteria:
            if rng.random() < UNANSWERED_RATE:
                continue
            answer: dict[str, Any] = {
                "criterion": criterion.id,
                "value": _value(rng, criterion, rng.random() >= FAIL_RATE),
            }
            if criterion.type == "document":
                sent.add(answer["value"])
            elif criterion.evidence:
                if rng.random() < MISSING_EVIDENCE_RATE:
                    answer["evidence"] = f"docs/ontbreekt-{criterion.id.lower()}.pdf"
                else:
                    answer["evidence"] = f"docs/bewijs-{criterion.id.lower()}.pdf"
                    sent.add(answer["evidence"])
            answers.append(answer)
        documents.append(
            {
                "supplier": {
                    "id": f"sup-bench-{n:04d}",
                    "name": f"Benchmark Leverancier {n:04d} B.V.",
                    "kvk": f"{90000000 + n:08d}",
                    "agb": f"{80000000 + n:08d}",
                    "contact": {"name": f"Contact {n}", "email": f"inkoop{n}@leverancier.example"},
                },
                "tender_id": TENDER_ID,
                "submitted_at": "2026-07-01T12:00:00+02:00",
                "answers": answers,
            }
        )
    return documents, sent


def document_bytes(name: str) -> bytes:
    return f"%PDF-1.4 synthetic evidence {name}\n".encode()


def in_memory_responses(
    criteria: CriteriaSet, documents: list[dict[str, Any]], sent: set[str]
) -> list[SupplierResponse]:
    attached = {
        name: AttachedDocument(
            name=name, sha256=hashlib.sha256(document_bytes(name)).hexdigest(), size=len(document_bytes(name))
        )
        for name in sent
    }
    found = []
    for document in documents:
        response = parse_response(document, f"{document['supplier']['id']}.json", TENDER_ID, criteria)
        named = [a.evidence or (a.value if isinstance(a.value, str) else "") for a in response.answers]
        mine = tuple(attached[name] for name in sorted(set(named)) if name in attached)
        found.append(response.model_copy(update={"documents": mine}))
    return found


def write_files(folder: Path, documents: list[dict[str, Any]], sent: set[str]) -> list[Path]:
    (folder / "docs").mkdir(parents=True)
    for name in sent:
        (folder / name).write_bytes(document_bytes(name))
    paths = []
    for document in documents:
        path = folder / f"{document['supplier']['id']}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------------ timing


@dataclass(frozen=True)
class Timing:
    label: str
    seconds: list[float]
    items: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def line(self) -> str:
        ms = [s * 1000 for s in self.seconds]
        return (
            f"{self.label:<26} median {self.median * 1000:9.1f} ms   min {min(ms):9.1f} ms   max {max(ms):9.1f} ms"
            f"   {self.items / self.median:10,.0f} responses/s   ({len(ms)} runs)"
        )


def timed(label: str, repeat: int, items: int, work: Callable[[], object]) -> Timing:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    return Timing(label, seconds, items)


def trivial_loop(criteria: CriteriaSet, found: list[SupplierResponse]) -> int:
    """Only look each criterion's answer up: the floor for anything that visits every answer."""
    seen = 0
    for response in found:
        answers = {answer.criterion: answer for answer in response.answers}
        for criterion in criteria:
            if answers.get(criterion.id) is not None:
                seen += 1
    return seen


def check_all(criteria: CriteriaSet, found: list[SupplierResponse]) -> None:
    for response in found:
        check_answers(criteria, response)


def run(count: int, criteria_count: int, repeat: int, import_repeat: int, seed: int) -> None:
    criteria = pick_criteria(criteria_count)
    documents, sent = synthetic_documents(criteria, count, seed)
    found = in_memory_responses(criteria, documents, sent)
    answers = sum(len(r.answers) for r in found)
    kinds = Counter(c.kind for c in criteria)
    types = Counter(c.type for c in criteria)

    verdicts = evaluate_all(criteria, found, TODAY)  # once to warm up, and to show what was evaluated
    status = Counter(v.status for v in verdicts)
    outcomes = Counter(f.outcome for v in verdicts for f in v.findings)

    trivial = timed("baseline: trivial loop", repeat, count, lambda: trivial_loop(criteria, found))
    checked = timed("baseline: check_answers", repeat, count, lambda: check_all(criteria, found))
    evaluated = timed("evaluate_all", repeat, count, lambda: evaluate_all(criteria, found, TODAY))

    with tempfile.TemporaryDirectory(prefix="bench-qualification-") as tmp:
        paths = write_files(Path(tmp), documents, sent)
        imported = timed(
            "import_responses (JSON)",
            import_repeat,
            count,
            lambda: import_responses(paths, criteria, tender_id=TENDER_ID, criteria_version=1),
        )

    print(f"machine:   {machine()}")
    print(
        f"setup:     {count} responses x {len(criteria)} criteria ({answers:,} answers),"
        f" evaluated on {TODAY}, seed {seed}"
    )
    print(
        "criteria:  "
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        + "; "
        + ", ".join(f"{n} {t}" for t, n in sorted(types.items()))
    )
    print(
        "verdicts:  "
        + ", ".join(f"{status[s]} {s}" for s in ("admitted", "excluded", "pending_review"))
        + "; findings "
        + ", ".join(f"{outcomes[o]:,} {o}" for o in ("pass", "fail", "needs_review"))
    )
    for timing in (evaluated, checked, trivial, imported):
        print(timing.line())
    print(
        f"ratios:    evaluate_all / check_answers = {evaluated.median / checked.median:5.2f}x   "
        f"evaluate_all / trivial loop = {evaluated.median / trivial.median:6.1f}x   "
        f"import / evaluate_all = {imported.median / evaluated.median:5.2f}x"
    )
    verdict = "met" if evaluated.median < TARGET_S else "NOT met"
    print(
        f"target:    evaluate_all under {TARGET_S:.0f} s for the whole set: {verdict} "
        f"(median {evaluated.median:.3f} s, slowest run {max(evaluated.seconds):.3f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/bench-qualification", description=__doc__)
    parser.add_argument("--responses", type=int, default=1000, help="synthetic responses (default 1000)")
    parser.add_argument("--criteria", type=int, default=60, help="criteria from the catalogue (default 60)")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each in-process timing (default 7)")
    parser.add_argument("--import-repeat", type=int, default=3, help="runs of the file import (default 3)")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    run(args.responses, args.criteria, max(1, args.repeat), max(1, args.import_repeat), args.seed)


if __name__ == "__main__":
    main()
