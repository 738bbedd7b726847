"""No acknowledged bid is ever lost when the server is killed: the CI-sized fault run (tests/faultkit.py).

Fifty times the server process is killed with SIGKILL while bidders bid, and restarted on the same database.
Timing is real, so how many bids and retries there are varies from run to run; what is asserted holds for
every run: every receipt names its bid in the journal, nothing is stored twice, the journal replays to the
live state, and the contract is the best final offer.
"""

from __future__ import annotations

from pathlib import Path

from scripts.kit.faultkit import FaultPlan, run_faults, summary


async def test_no_acknowledged_bid_is_lost_when_the_server_is_killed_fifty_times(tmp_path: Path) -> None:
    # A shorter life per server than the script's default (0.05–0.6 s) keeps fifty kills well within a minute;
    # each kill still waits for a bid on its way and lands around its commit.
    plan = FaultPlan(kills=50, bidders=4, seed=2027, folder=tmp_path, kill_after_s=(0.05, 0.3))
    report = await run_faults(plan)
    figures = "\n".join(summary(report))
    print(figures)  # shown with -s, and by pytest when an assertion fails
    assert report.problems == [], figures
    assert report.kills == 50, figures
    assert report.lost == [], figures
    # Every bid was answered before the bidders stopped, so the journal holds exactly the receipted bids.
    assert report.acknowledged == report.journal_bids > 0, figures
    assert not report.rejections, figures
    # The run did what it is for: unanswered bids were sent again after a kill (each one stored once).
    assert report.retries > 0, figures
