"""Print branch coverage per package and per layer of ``auction``, from coverage.py's JSON report.

    coverage json -q -o .coverage.json && python -m scripts.kit.coverage_summary .coverage.json

The figure is coverage.py's own (statements and branches together, as ``coverage report --branch`` prints it),
beside the branches alone.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

# The groups printed, most specific first: a file counts towards the first group its path starts with, and
# towards its top-level package.
LAYERS = (
    "auction/rules/",
    "auction/audit/",
    "auction/tender/",
    "auction/journal/",
    "auction/storage/",
    "auction/live/",
    "auction/steps/",
    "auction/documents/",
    "auction/cli/",
)
PACKAGES = ("auction/", "qualification/", "web/")


def main(report_path: str) -> int:
    files = json.loads(Path(report_path).read_text(encoding="utf-8"))["files"]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # statements, covered, branches, covered
    for name, data in files.items():
        summary = data["summary"]
        figures = (
            summary["num_statements"],
            summary["covered_lines"],
            summary.get("num_branches", 0),
            summary.get("covered_branches", 0),
        )
        groups = [g for g in PACKAGES if name.startswith(g)]
        groups += [layer for layer in LAYERS if name.startswith(layer)][:1]
        for group in groups:
            totals[group] = [a + b for a, b in zip(totals[group], figures, strict=True)]
    print("branch coverage (statements and branches together; branches alone):")
    for group in (*PACKAGES, *LAYERS):
        if group not in totals:
            continue
        statements, covered, branches, covered_branches = totals[group]
        together = 100 * (covered + covered_branches) / max(1, statements + branches)
        alone = 100 * covered_branches / max(1, branches)
        indent = "    " if group in LAYERS else "  "
        print(f"{indent}{group:<22} {together:5.1f} %   branches {covered_branches}/{branches} ({alone:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".coverage.json"))
