"""``POST /api/session``: the room exchanges its one-time invitation secret for a session it keeps."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from auction.storage.access import AccessDenied, exchange_invitation
from web.context import context_of

ROLES = ("bidder", "observer")


async def session(request: Request) -> Response:
    """Exchange a one-time invitation secret for a session: ``{"auction_id", "token", "role"}``.

    400 for a malformed body or role (the invitation stays unused), 403 with the reason when the invitation
    does not open this auction; otherwise the session secret, the role and the auction."""
    try:
        body = await request.json()
        auction_id, token, role = str(body["auction_id"]), str(body["token"]), str(body.get("role", "bidder"))
    except (json.JSONDecodeError, KeyError, TypeError):
        return JSONResponse({"ok": False, "code": "bad_request", "message": "expected {auction_id, token, role}"}, 400)
    if role not in ROLES:
        return JSONResponse({"ok": False, "code": "bad_request", "message": "role is bidder or observer"}, 400)
    context = context_of(request)
    try:
        secret, access = await exchange_invitation(context.engine, auction_id, token, role, context.clock())
    except AccessDenied as denied:
        return JSONResponse({"ok": False, "code": denied.code, "message": denied.message}, 403)
    return JSONResponse({"ok": True, "session": secret, "role": access.role, "auction_id": auction_id})
