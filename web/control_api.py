"""The organiser's HTTP API, used by the CLI: the controls of a running auction, its live connections, health.

Every organiser call carries the organiser key (``Authorization: Bearer …``), checked against its stored hash.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from auction.live.runner import outcome_summary
from auction.steps.control import make_command
from auction.storage.access import hash_secret
from auction.storage.server_settings import get_setting
from web.context import context_of


def _unauthorised() -> Response:
    return JSONResponse({"ok": False, "code": "unauthorised", "message": "wrong organiser key"}, 401)


async def organiser_allowed(request: Request) -> bool:
    """Whether the request carries the organiser key (there is none before ``auction init`` made one)."""
    expected = await get_setting(context_of(request).engine, "organiser_key_hash")
    offered = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    return bool(expected and offered and hash_secret(offered) == expected)


async def health(request: Request) -> Response:
    """Whether the server answers, how many auctions it runs, and its time (for the CLI and monitoring)."""
    context = context_of(request)
    return JSONResponse({"ok": True, "auctions": len(context.hub.runners()), "server_time": context.clock()})


async def control(request: Request) -> Response:
    """Organiser controls from the CLI: ``{"command": "pause", "reason": "…", "args": {…}}``.

    401 without the key, 400 for a body that is no command, 404 for an unknown auction, 409 when the auction
    refuses the command (the body says why); 200 with the journal entries written otherwise."""
    if not await organiser_allowed(request):
        return _unauthorised()
    try:
        body = await request.json()
        command = make_command(str(body["command"]), str(body.get("reason", "")), dict(body.get("args") or {}))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        message = str(exc) if isinstance(exc, ValueError) else "expected {command, reason, args}"
        return JSONResponse({"ok": False, "code": "bad_request", "message": message}, 400)
    runner = await context_of(request).hub.get(request.path_params["auction_id"])
    if runner is None:
        return JSONResponse({"ok": False, "code": "unknown_auction", "message": "no such auction"}, 404)
    outcome = await runner.submit(command)
    return JSONResponse(outcome_summary(outcome), 200 if outcome.rejection is None else 409)


async def live_sessions(request: Request) -> Response:
    """The organiser's view: who is connected now, and every time one bidder was connected twice."""
    if not await organiser_allowed(request):
        return _unauthorised()
    registry = context_of(request).registry
    auction_id = request.path_params["auction_id"]
    duplicates = [d for d in registry.duplicates if d["auction_id"] == auction_id]
    return JSONResponse({"ok": True, "connections": registry.live(auction_id), "duplicates": duplicates})
