"""Organiser controls (start, pause, resume, extend, close, cancel, award) from outside the server.

When the server runs, a control goes to it over HTTP on loopback, so it reaches the auction's single writer
within a second. When no server answers, the control is applied directly to the journal: the journal's
(stream, seq) key turns any clash with another writer into a clean conflict, never a fork.
"""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from auction.clock import Clock, system_clock
from auction.messages import ORGANISER_COMMANDS, Command, Extend
from auction.service import get_setting, load_runner, outcome_summary


class ServerUnreachable(Exception):
    pass


def make_command(kind: str, reason: str, seconds: int = 0) -> Command:
    cls = ORGANISER_COMMANDS[kind]
    return Extend(reason=reason, seconds=seconds) if cls is Extend else cls(reason=reason)


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


async def apply_control(
    engine: AsyncEngine,
    auction_id: str,
    kind: str,
    reason: str,
    key: str | None,
    seconds: int = 0,
    clock: Clock = system_clock,
) -> dict[str, Any]:
    """Apply an organiser control; returns ``{"ok": …, "via": "server"|"journal", …}``."""
    server_url = await get_setting(engine, "server_url")
    if server_url and key:
        try:
            body = {"command": kind, "reason": reason, "seconds": seconds}
            result = await asyncio.to_thread(send_to_server, server_url, key, auction_id, body)
            return {**result, "via": "server"}
        except ServerUnreachable:
            pass  # no server: the journal is the truth, write to it directly
    runner = await load_runner(engine, auction_id, clock)
    outcome = await runner.process(make_command(kind, reason, seconds))
    return {**outcome_summary(outcome), "via": "journal"}
