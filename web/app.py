"""The server: ``create_app(settings)`` wires the database, the auctions and the routes.

Starlette's lifespan owns the auction tasks. The WebSocket handlers are thin: authenticate, parse a frame into
a command, hand it to the auction's single writer, send back what it answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from auction.clock import Clock, system_clock
from auction.control import make_command
from auction.db import make_engine
from auction.hub import AuctionHub
from auction.messages import PlaceBid
from auction.runner import AuctionRunner, Outbox, Outcome
from auction.service import (
    AccessDenied,
    check_invitation,
    get_setting,
    hash_secret,
    load_signer,
    outcome_summary,
    put_setting,
)
from auction.settings import Settings
from web.protocol import BadMessage, BidMessage, PingMessage, parse_client_message

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
CLOSE_CODES = {"invalid_invitation": 4401, "invitation_other_auction": 4403, "unknown_auction": 4404}


def create_app(settings: Settings, clock: Clock = system_clock) -> Starlette:
    engine = make_engine(settings.database_url)
    hub = AuctionHub(engine, clock, load_signer(settings))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await hub.start()
        await put_setting(engine, "server_url", settings.base_url)
        try:
            yield
        finally:
            await hub.stop()
            await engine.dispose()

    async def index(request: Request) -> Response:
        return HTMLResponse(
            "<!doctype html><html lang=nl><meta charset=utf-8><title>Dieetveiling</title>"
            "<p>Veilingserver. Open de persoonlijke link uit uw uitnodiging om de veilingruimte te betreden.</p>"
        )

    async def room(request: Request) -> Response:
        return FileResponse(STATIC / "room.html", headers={"Cache-Control": "no-store"})

    async def observe(request: Request) -> Response:
        return FileResponse(STATIC / "observer.html", headers={"Cache-Control": "no-store"})

    async def notice(request: Request) -> Response:
        """The public award notice exactly as published (its SHA-256 is in each lot's journal)."""
        from auction.publication import published_notice

        language = "en" if request.query_params.get("lang") == "en" else "nl"
        html = await published_notice(engine, request.path_params["tender_id"], language)
        if html is None:
            return HTMLResponse(
                "<!doctype html><html lang=nl><meta charset=utf-8><title>Niet gepubliceerd</title>"
                "<p>Voor deze aanbesteding is nog geen gunning gepubliceerd.</p>",
                404,
            )
        return HTMLResponse(html, headers={"Cache-Control": "no-cache"})

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True, "auctions": len(hub.runners()), "server_time": clock()})

    async def control(request: Request) -> Response:
        """Organiser controls from the CLI: ``{"command": "pause", "reason": "…", "seconds": 60}``."""
        expected = await get_setting(engine, "organiser_key_hash")
        offered = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not expected or not offered or hash_secret(offered) != expected:
            return JSONResponse({"ok": False, "code": "unauthorised", "message": "wrong organiser key"}, 401)
        try:
            body = await request.json()
            command = make_command(str(body["command"]), str(body.get("reason", "")), dict(body.get("args") or {}))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            message = str(exc) if isinstance(exc, ValueError) else "expected {command, reason, args}"
            return JSONResponse({"ok": False, "code": "bad_request", "message": message}, 400)
        runner = await hub.get(request.path_params["auction_id"])
        if runner is None:
            return JSONResponse({"ok": False, "code": "unknown_auction", "message": "no such auction"}, 404)
        outcome = await runner.submit(command)
        return JSONResponse(outcome_summary(outcome), 200 if outcome.rejection is None else 409)

    async def bidder_socket(websocket: WebSocket) -> None:
        await _serve_socket(websocket, "bidder")

    async def observer_socket(websocket: WebSocket) -> None:
        await _serve_socket(websocket, "observer")

    async def _serve_socket(websocket: WebSocket, role: str) -> None:
        auction_id = websocket.path_params["auction_id"]
        token = websocket.query_params.get("token", "")
        try:
            access = await check_invitation(engine, auction_id, token, role)
            runner = await hub.get(auction_id)
            if runner is None:
                raise AccessDenied("unknown_auction", f"there is no auction {auction_id!r}")
        except AccessDenied as denied:
            # Accept only to say why, so the room can tell the person rather than show a silent failure.
            await websocket.accept()
            await websocket.send_text(json.dumps({"type": "error", "code": denied.code, "message": denied.message}))
            await websocket.close(CLOSE_CODES[denied.code], denied.code)
            return
        await websocket.accept()
        subscription = runner.subscribe(access.supplier_id if role == "bidder" else None)
        sender = asyncio.create_task(_pump(websocket, subscription.outbox))
        try:
            await _receive(websocket, runner, subscription.outbox, access.supplier_id if role == "bidder" else None)
        except WebSocketDisconnect:
            pass
        finally:
            runner.unsubscribe(subscription)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    async def _receive(websocket: WebSocket, runner: AuctionRunner, outbox: Outbox, bidder: str | None) -> None:
        while True:
            frame = await websocket.receive()
            if frame["type"] == "websocket.disconnect":
                return
            text = frame.get("text")
            if text is None:
                outbox.push(_error("bad_message", "send JSON text frames, not binary"))
                continue
            try:
                message = parse_client_message(text)
            except BadMessage as exc:
                outbox.push(_error("bad_message", str(exc)))
                continue
            if isinstance(message, PingMessage):
                outbox.push({"type": "pong", "server_time": clock()})
            elif isinstance(message, BidMessage):
                if bidder is None:
                    outbox.push(_error("bad_message", "observers cannot bid"))
                    continue
                await _place(runner, bidder, message, outbox)

    async def _place(runner: AuctionRunner, bidder: str, message: BidMessage, outbox: Outbox) -> None:
        def reply(outcome: Outcome) -> None:
            if outcome.rejection is not None:
                r = outcome.rejection
                outbox.push(
                    {
                        "type": "bid_rejected",
                        "bid_id": message.bid_id,
                        "code": r.code,
                        "message": r.message,
                        "details": r.details,
                    }
                )
            elif outcome.receipt is not None:
                outbox.push(outcome.receipt)

        try:
            await runner.submit(PlaceBid(bidder=bidder, bid_id=message.bid_id, prices=message.prices), reply)
        except Exception:
            log.exception("bid %s could not be recorded", message.bid_id)
            error = _error("not_recorded", "the bid could not be recorded; it was NOT accepted - send it again")
            outbox.push({**error, "bid_id": message.bid_id})

    routes = [
        Route("/", index),
        Route("/room/{auction_id}", room),
        Route("/observe/{auction_id}", observe),
        Route("/notice/{tender_id}", notice),
        Route("/api/health", health),
        Route("/api/control/{auction_id}", control, methods=["POST"]),
        WebSocketRoute("/ws/bidder/{auction_id}", bidder_socket),
        WebSocketRoute("/ws/observer/{auction_id}", observer_socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.hub = hub
    app.state.engine = engine
    return app


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}


async def _pump(websocket: WebSocket, outbox: Outbox) -> None:
    """Send the outbox to the client, in order, one frame at a time."""
    while True:
        message = await outbox.next()
        if message is None or websocket.application_state != WebSocketState.CONNECTED:
            return
        await websocket.send_text(json.dumps(message, ensure_ascii=False))
