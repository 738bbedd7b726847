"""Fault run: bidders keep bidding while the server is killed with SIGKILL and restarted, again and again.

Afterwards every receipt (``bid_accepted``) a bidder holds must name its bid in the journal, no bid may be
stored twice, the journal must replay, and the contract must be the best final offer. Prints the figures and
the machine; exits 1 when any check fails. The machinery is shared with tests/test_faults.py (tests/faultkit.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.kit.faultkit import FaultPlan, run_faults, summary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/faults", description=__doc__)
    parser.add_argument("--kills", type=int, default=200, help="how many times to kill the server (default 200)")
    parser.add_argument("--bidders", type=int, default=4, help="bidders bidding throughout (default 4)")
    parser.add_argument("--seed", type=int, default=1, help="seed for every random choice (default 1)")
    parser.add_argument("--data", type=Path, help="folder for the database and server log (default: a temp folder)")
    args = parser.parse_args()
    if args.kills < 0 or args.bidders < 1:
        parser.error("--kills must be at least 0 and --bidders at least 1")
    folder = args.data or Path(tempfile.mkdtemp(prefix="auction-faults-"))
    plan = FaultPlan(kills=args.kills, bidders=args.bidders, seed=args.seed, folder=folder)
    print(f"fault run: {plan.kills} kills, {plan.bidders} bidders, seed {plan.seed}, in {folder}", flush=True)
    report = asyncio.run(run_faults(plan, progress=lambda line: print(line, flush=True)))
    print("\n".join(summary(report)))
    sys.exit(0 if report.ok else 1)


if __name__ == "__main__":
    main()
