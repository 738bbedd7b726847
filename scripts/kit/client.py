"""For programs that act as clients (simulated bidders, benchmarks, fault runs): open a session from an
invitation the way the room does (docs/protocol.md, "Connecting")."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import quote


def exchange_session(base_url: str, auction_id: str, token: str, role: str = "bidder") -> str:
    """Trade the one-time invitation secret for a session secret (POST /api/session)."""
    body = json.dumps({"auction_id": auction_id, "token": token, "role": role}).encode("utf-8")
    request = urllib.request.Request(
        f"{base_url}/api/session", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return str(json.loads(response.read())["session"])
    except urllib.error.HTTPError as exc:
        answer = json.loads(exc.read() or b"{}")
        raise PermissionError(f"{answer.get('code')}: {answer.get('message')}") from None


def session_ws_url(base_url: str, auction_id: str, session: str, role: str = "bidder") -> str:
    ws_base = base_url.replace("https://", "wss://").replace("http://", "ws://")
    return f"{ws_base}/ws/{role}/{quote(auction_id)}?session={quote(session)}"


def token_of(invitation_url: str) -> str:
    """The secret in an invitation link (``…#token=SECRET``)."""
    return invitation_url.split("#token=", 1)[1]
