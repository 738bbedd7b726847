"""Organiser controls (start, pause, resume, extend, close, cancel, block, unblock, bid_for, reset, award, …) from
outside the server.

When the server runs, a control goes to it over HTTP on loopback, so it reaches the auction's single writer
within a second. When no server answers, the control is applied directly to the journal: the journal's
(stream, seq) key turns any clash with another writer into a clean conflict, never a fork.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import urllib.error
import urllib.request
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.journal.signing import Signer
from auction.live.runner import outcome_summary
from auction.rules.messages import ORGANISER_COMMANDS, Command
from auction.steps.auctions import load_runner
from auction.storage.server_settings import get_setting
from qualification.common.errors import ServerUnreachable

# Filled in by the auction's writer, never by the caller.
_SHELL_FIELDS = {"reason", "journal_head_seq", "journal_head_hash"}


def make_command(kind: str, reason: str, args: dict[str, Any] | None = None) -> Command:
    """Build an organiser command from its name and arguments; ``ValueError`` says what is wrong."""
    cls = ORGANISER_COMMANDS.get(kind)
    if cls is None:
        raise ValueError(f"unknown command {kind!r} (known: {', '.join(sorted(ORGANISER_COMMANDS))})")
    args = dict(args or {})
    accepted = {f.name: f for f in dataclasses.fields(cls) if f.name not in _SHELL_FIELDS}
    unknown = sorted(set(args) - set(accepted))
    if unknown:
        raise ValueError(f"{kind} takes no argument {', '.join(unknown)}")
    for name, value in args.items():
        expected = int if accepted[name].type in ("int", int) else str
        if type(value) is not expected:
            raise ValueError(f"{kind}: {name} must be {'a whole number' if expected is int else 'text'}")
    return cls(reason=reason, **args)


def send_to_server(
    server_url: str, key: str, auction_id: str, body: dict[str, Any], timeout: float = 5.0
) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{server_url}/api/control/{auction_id}",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as exc:
        try:
            return dict(json.loads(exc.read()))
        except json.JSONDecodeError:
            return {"ok": False, "code": f"http_{exc.code}", "message": str(exc)}
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        raise ServerUnreachable(str(exc)) from exc


def server_get(server_url: str, key: str, path: str, timeout: float = 5.0) -> dict[str, Any]:
    request = urllib.request.Request(f"{server_url}{path}", headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return dict(json.loads(response.read()))
    except urllib.error.HTTPError as exc:
        return {"ok": False, "code": f"http_{exc.code}", "message": exc.read().decode("utf-8", "replace")}
    except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
        raise ServerUnreachable(str(exc)) from exc


async def apply_control(
    engine: AsyncEngine,
    auction_id: str,
    kind: str,
    reason: str,
    key: str | None,
    args: dict[str, Any] | None = None,
    clock: Clock = system_clock,
    signer: Signer | None = None,
) -> dict[str, Any]:
    """Apply an organiser control; returns ``{"ok": …, "via": "server"|"journal", …}``."""
    server_url = await get_setting(engine, "server_url")
    if server_url and key:
        try:
            body = {"command": kind, "reason": reason, "args": args or {}}
            result = await asyncio.to_thread(send_to_server, server_url, key, auction_id, body)
            return {**result, "via": "server"}
        except ServerUnreachable:
            pass  # no server: the journal is the truth, write to it directly
    runner = await load_runner(engine, auction_id, clock, signer)
    try:
        command = make_command(kind, reason, args)
    except ValueError as exc:
        return {"ok": False, "code": "bad_request", "message": str(exc), "via": "journal"}
    outcome = await runner.process(command)
    return {**outcome_summary(outcome), "via": "journal"}
