"""The pure rules are pure in fact, not by convention: importing them loads nothing impure, and a folded state
cannot be changed in place (import-linter's contract in pyproject.toml holds the imports statically)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from auction.rules.messages import PlaceBid
from tests.factories import T0, open_auction, run

IMPURE = ("pydantic", "sqlalchemy", "aiosqlite", "asyncio", "starlette", "uvicorn", "websockets", "tomllib", "click")


def test_importing_the_rules_loads_nothing_impure() -> None:
    """Run in a fresh interpreter: this test process has loaded everything already."""
    # Only what the import itself loads counts (a coverage run has loaded tomllib for its own settings before).
    probe = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        "import auction.rules.core, auction.rules.views, auction.rules.wording, auction.audit.replay\n"
        f"print(json.dumps(sorted(m for m in {IMPURE!r} if m in set(sys.modules) - before)))\n"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True).stdout)
    assert loaded == []


def test_a_folded_state_cannot_be_changed_in_place() -> None:
    state = open_auction()
    state, events = run(state, PlaceBid("s1", "b1", {"A": "1.90", "B": "3.90"}), T0 + 1000)
    assert isinstance(events, list)
    offer = state.standing["s1"]
    with pytest.raises(TypeError):
        state.standing["s2"] = offer  # type: ignore[index]
    with pytest.raises(TypeError):
        offer.prices["A"] = 1  # type: ignore[index]
    with pytest.raises(AttributeError):
        state.closes_at = 0  # type: ignore[misc]
    assert state.standing["s1"].prices == {"A": 190, "B": 390}
