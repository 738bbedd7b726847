"""The pages: the server's front page, the bidder room, the observer page and the published award notice.

The room and the observer page are static files (web/static/); what they show arrives over their WebSocket.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from web.context import context_of

STATIC = Path(__file__).parent / "static"


async def index(request: Request) -> Response:
    """A line saying where people should go instead: their personal invitation link."""
    return HTMLResponse(
        "<!doctype html><html lang=nl><meta charset=utf-8><title>Dieetveiling</title>"
        "<p>Veilingserver. Open de persoonlijke link uit uw uitnodiging om de veilingruimte te betreden.</p>"
    )


async def room(request: Request) -> Response:
    """The bidder room (its invitation secret stays in the address's fragment, never sent to us)."""
    return FileResponse(STATIC / "room.html", headers={"Cache-Control": "no-store"})


async def observe(request: Request) -> Response:
    """The observer page for the insurers."""
    return FileResponse(STATIC / "observer.html", headers={"Cache-Control": "no-store"})


async def notice(request: Request) -> Response:
    """The public award notice exactly as published (its SHA-256 is in each lot's journal)."""
    from auction.steps.publication import published_notice

    language = "en" if request.query_params.get("lang") == "en" else "nl"
    html = await published_notice(context_of(request).engine, request.path_params["tender_id"], language)
    if html is None:
        return HTMLResponse(
            "<!doctype html><html lang=nl><meta charset=utf-8><title>Niet gepubliceerd</title>"
            "<p>Voor deze aanbesteding is nog geen gunning gepubliceerd.</p>",
            404,
        )
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})
