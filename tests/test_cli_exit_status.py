"""The CLI's exit statuses (docs/cli.md, "Exit status"): each kind of failure has its own, so scripts can tell a
refusal by the rules from a missing auction, an unreachable server, a broken journal or a bug."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from auction.cli.main import main as cli
from auction.storage.db import make_engine, sqlite_url
from auction.storage.server_settings import put_setting
from qualification.common.errors import (
    INTERNAL,
    NOT_FOUND,
    REFUSED,
    SERVER_UNREACHABLE,
    USAGE,
    DieetveilingError,
    InputError,
    NotFound,
    Refused,
    ServerUnreachable,
    StepOutOfOrder,
    VerificationFailed,
)
from tests.conftest import EXAMPLES, free_port


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_every_product_error_has_one_base_a_stable_code_and_its_own_status() -> None:
    statuses = {
        InputError("here", "wrong"): ("bad_input", USAGE),
        NotFound("no auction 'x'"): ("not_found", NOT_FOUND),
        StepOutOfOrder("freeze first"): ("step_out_of_order", REFUSED),
        Refused("no", code="decrement_too_small"): ("decrement_too_small", REFUSED),
        ServerUnreachable("nobody"): ("server_unreachable", SERVER_UNREACHABLE),
        VerificationFailed("entry #3"): ("verification_failed", 1),
    }
    for error, (code, status) in statuses.items():
        assert isinstance(error, DieetveilingError)
        assert (error.code, error.exit_status) == (code, status)
    assert len({status for _, status in statuses.values()}) == 5  # refused twice: the rules and the order of steps


def test_usage_mistakes_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run(db, "init").exit_code == 0
    assert run(db, "no-such-command").exit_code == USAGE
    result = run(db, "tender", "load", str(tmp_path / "missing.toml"))
    assert result.exit_code == USAGE and "file not found" in result.output


def test_a_missing_database_or_auction_exits_not_found(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    result = run(db, "auctions")
    assert result.exit_code == NOT_FOUND and "run `auction init` first" in result.output
    assert run(db, "init").exit_code == 0
    result = run(db, "status", "nope")
    assert result.exit_code == NOT_FOUND and "no auction 'nope'" in result.output


def test_a_step_out_of_order_exits_refused(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run(db, "init").exit_code == 0
    assert run(db, "tender", "load", str(EXAMPLES / "tender.toml")).exit_code == 0
    result = run(db, "admission", "freeze")
    assert result.exit_code == REFUSED and "error:" in result.output


def test_no_server_answering_exits_server_unreachable(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    assert run(db, "init").exit_code == 0
    nobody = f"http://127.0.0.1:{free_port()}"  # a port nothing listens on

    async def record_address() -> None:
        engine = make_engine(sqlite_url(db))
        try:
            await put_setting(engine, "server_url", nobody)
        finally:
            await engine.dispose()

    asyncio.run(record_address())
    result = run(db, "sessions", "DV-2027-L1-live")
    assert result.exit_code == SERVER_UNREACHABLE and f"no server answers at {nobody}" in result.output


def test_a_bug_is_reported_as_one_not_as_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception that is not the product's own is a bug: exit 70, the traceback, and a request to report it."""
    import auction.steps.auctions

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in listing auctions")

    db = tmp_path / "a.db"
    assert run(db, "init").exit_code == 0
    monkeypatch.setattr(auction.steps.auctions, "list_auctions", broken)
    result = run(db, "auctions")
    assert result.exit_code == INTERNAL
    assert "internal error (a bug, not something you did)" in result.output
