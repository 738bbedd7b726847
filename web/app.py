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
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from auction.bootstrap import wire
from auction.clock import Clock, system_clock
from auction.live.outbox import Outbox
from auction.live.runner import AuctionRunner, Outcome, outcome_summary
from auction.rules.messages import AcceptLevel, Command, PassTurn, PlaceBid
from auction.settings import Settings
from auction.steps.control import make_command
from auction.storage.access import (
    Access,
    AccessDenied,
    barred_sessions,
    check_session,
    exchange_invitation,
    hash_secret,
    mark_connected,
)
from auction.storage.server_settings import get_setting, put_setting
from web.connections import DROPS_BEFORE_CLOSE, Connection, ConnectionRegistry
from web.protocol import AcceptMessage, BadMessage, BidMessage, PassMessage, PingMessage, parse_client_message

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
CLOSE_CODES = {
    "invalid_invitation": 4401,
    "invitation_used": 4401,
    "invitation_expired": 4401,
    "invalid_session": 4401,
    "session_revoked": 4401,
    "session_expired": 4401,
    "invitation_other_auction": 4403,
    "session_other_auction": 4403,
    "unknown_auction": 4404,
}
REFRESH_BARRED_S = 1.0


def create_app(settings: Settings, clock: Clock = system_clock) -> Starlette:
    wiring = wire(settings, clock)
    engine, hub = wiring.engine, wiring.hub()
    registry = ConnectionRegistry(clock)
    allowed_origins = {settings.base_url.rstrip("/"), f"http://{settings.host}:{settings.port}"}

    async def refresh_barred() -> None:
        """Close, within a second, every connection whose session was revoked or expired."""
        while True:
            await asyncio.sleep(REFRESH_BARRED_S)
            try:
                for connection in registry.bar(await barred_sessions(engine, clock())):
                    if connection.close is not None:
                        connection.close()
            except Exception:  # a busy database must not stop the server; try again next second
                log.exception("refreshing revoked sessions failed")

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await hub.start()
        await put_setting(engine, "server_url", settings.base_url)
        watcher = asyncio.create_task(refresh_barred())
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            await hub.stop()
            await wiring.close()

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
        from auction.steps.publication import published_notice

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

    async def organiser_allowed(request: Request) -> bool:
        expected = await get_setting(engine, "organiser_key_hash")
        offered = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return bool(expected and offered and hash_secret(offered) == expected)

    async def control(request: Request) -> Response:
        """Organiser controls from the CLI: ``{"command": "pause", "reason": "…", "args": {…}}``."""
        if not await organiser_allowed(request):
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

    async def session(request: Request) -> Response:
        """Exchange a one-time invitation secret for a session: ``{"auction_id", "token", "role"}``."""
        try:
            body = await request.json()
            auction_id, token, role = str(body["auction_id"]), str(body["token"]), str(body.get("role", "bidder"))
        except (json.JSONDecodeError, KeyError, TypeError):
            return JSONResponse(
                {"ok": False, "code": "bad_request", "message": "expected {auction_id, token, role}"}, 400
            )
        if role not in ("bidder", "observer"):
            return JSONResponse({"ok": False, "code": "bad_request", "message": "role is bidder or observer"}, 400)
        try:
            secret, access = await exchange_invitation(engine, auction_id, token, role, clock())
        except AccessDenied as denied:
            return JSONResponse({"ok": False, "code": denied.code, "message": denied.message}, 403)
        return JSONResponse({"ok": True, "session": secret, "role": access.role, "auction_id": auction_id})

    async def live_sessions(request: Request) -> Response:
        """The organiser's view: who is connected now, and every time one bidder was connected twice."""
        if not await organiser_allowed(request):
            return JSONResponse({"ok": False, "code": "unauthorised", "message": "wrong organiser key"}, 401)
        auction_id = request.path_params["auction_id"]
        duplicates = [d for d in registry.duplicates if d["auction_id"] == auction_id]
        return JSONResponse({"ok": True, "connections": registry.live(auction_id), "duplicates": duplicates})

    async def _authorise(websocket: WebSocket, auction_id: str, role: str) -> tuple[Access, str | None]:
        """The session (or a one-time invitation secret, exchanged here) → access; the new secret if exchanged."""
        secret = websocket.query_params.get("session", "")
        if secret:
            return await check_session(engine, auction_id, secret, role, clock()), None
        token = websocket.query_params.get("token", "")
        if not token:
            raise AccessDenied("invalid_invitation", "no invitation or session in the address")
        new_secret, access = await exchange_invitation(engine, auction_id, token, role, clock())
        await mark_connected(engine, access.session_hash, clock())
        return access, new_secret

    async def _serve_socket(websocket: WebSocket, role: str) -> None:
        origin = websocket.headers.get("origin")
        if origin is not None and origin.rstrip("/") not in allowed_origins:
            # A page on another site must not drive a bidder's browser into the room (cross-site WebSocket).
            await websocket.close(code=4403, reason="origin not allowed")
            return
        auction_id = websocket.path_params["auction_id"]
        secret = websocket.query_params.get("session", "")
        if secret and registry.cooling_down(hash_secret(secret)):
            # Cut off for flooding moments ago: refused before any database work, and no fresh burst.
            await websocket.close(code=1008, reason="flooding: wait before reconnecting")
            return
        try:
            access, new_secret = await _authorise(websocket, auction_id, role)
            runner = await hub.get(auction_id)
            if runner is None:
                raise AccessDenied("unknown_auction", f"there is no auction {auction_id!r}")
        except AccessDenied as denied:
            # Authorised before accept; accepted only to say why, so the room can tell the person.
            await websocket.accept()
            await websocket.send_text(json.dumps({"type": "error", "code": denied.code, "message": denied.message}))
            await websocket.close(CLOSE_CODES.get(denied.code, 4401), denied.code)
            return
        await websocket.accept()
        client = f"{websocket.client.host}:{websocket.client.port}" if websocket.client else "?"
        connection, others = registry.open(access, client)
        if others:
            log.warning(
                "auction %s: supplier %s connected %d times at once", auction_id, access.supplier_id, 1 + len(others)
            )
        bidder = access.supplier_id if role == "bidder" else None
        greeting = {"type": "session", "session": new_secret} if new_secret is not None else None
        subscription = runner.subscribe(bidder, greeting)
        connection.close = subscription.outbox.close
        sender = asyncio.create_task(_pump(websocket, subscription.outbox, connection, settings.stalled_client_s))
        try:
            await _receive(websocket, runner, subscription.outbox, bidder, connection)
            # We end the connection (revoked, flooding): let the last messages and the close frame go out.
            subscription.outbox.close()
            with contextlib.suppress(TimeoutError, Exception):
                await asyncio.wait_for(asyncio.shield(sender), 2)
        except WebSocketDisconnect:
            pass
        finally:
            registry.close(connection)
            runner.unsubscribe(subscription)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sender

    async def _receive(
        websocket: WebSocket, runner: AuctionRunner, outbox: Outbox, bidder: str | None, connection: Connection
    ) -> None:
        while True:
            try:
                frame = await asyncio.wait_for(websocket.receive(), settings.idle_client_s)
            except TimeoutError:
                outbox.push(_error("idle", "nothing received for a long time: closing; reconnect when needed"))
                connection.idle = True
                return
            if frame["type"] == "websocket.disconnect":
                return
            if connection.barred:  # every message is authorised again: a revoked session acts no more
                return
            if not connection.limiter.allow():
                if connection.limiter.dropped > DROPS_BEFORE_CLOSE:
                    connection.flooded = True
                    registry.flooding(connection)
                    outbox.push(_error("flooding", "far too many messages: the connection is closed"))
                    return
                if connection.limiter.dropped % 50 == 1:
                    outbox.push(_error("rate_limited", "too many messages; this one was not handled, slow down"))
                continue
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
            elif bidder is None:
                outbox.push(_error("bad_message", "observers cannot bid"))
            else:
                await _place(runner, bidder, message, outbox)

    async def _place(
        runner: AuctionRunner, bidder: str, message: BidMessage | AcceptMessage | PassMessage, outbox: Outbox
    ) -> None:
        """A bid, an acceptance of a level or a pass: the answer is a receipt (``bid_accepted``, or
        ``pass_accepted``) or ``bid_rejected`` with the reason."""
        bid_id = None if isinstance(message, PassMessage) else message.bid_id
        command: Command
        if isinstance(message, BidMessage):
            command = PlaceBid(bidder, message.bid_id, message.prices, confirmed=message.confirmed)
        elif isinstance(message, AcceptMessage):
            command = AcceptLevel(bidder, message.bid_id, message.level)
        else:
            command = PassTurn(bidder)

        practice = runner.state.cfg.practice  # every answer says whether this is the practice auction

        def reply(outcome: Outcome) -> None:
            if outcome.rejection is not None:
                r = outcome.rejection
                rejected = {"type": "bid_rejected", "bid_id": bid_id, "code": r.code, "message": r.message}
                outbox.push({**rejected, "details": r.details, "practice": practice})
            elif outcome.receipt is not None:
                outbox.push({**outcome.receipt, "practice": practice})
            elif isinstance(message, PassMessage):
                seq = outcome.entries[-1].seq if outcome.entries else None
                outbox.push({"type": "pass_accepted", "seq": seq, "practice": practice})

        try:
            await runner.submit(command, reply)
        except Exception:
            log.exception("%s from %s could not be recorded", command.kind, bidder)
            error = _error("not_recorded", "it could not be recorded; it was NOT accepted - send it again")
            outbox.push({**error, "bid_id": bid_id})

    routes = [
        Route("/", index),
        Route("/room/{auction_id}", room),
        Route("/observe/{auction_id}", observe),
        Route("/notice/{tender_id}", notice),
        Route("/api/health", health),
        Route("/api/control/{auction_id}", control, methods=["POST"]),
        Route("/api/session", session, methods=["POST"]),
        Route("/api/sessions/{auction_id}", live_sessions),
        WebSocketRoute("/ws/bidder/{auction_id}", bidder_socket),
        WebSocketRoute("/ws/observer/{auction_id}", observer_socket),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(TransportAbort)])
    app.state.hub = hub
    app.state.engine = engine
    return app


def _error(code: str, message: str) -> dict[str, Any]:
    return {"type": "error", "code": code, "message": message}


ABORT_KEY = "dieetveiling.abort"


class TransportAbort:
    """ASGI middleware: put the server's "drop this connection now" into the WebSocket scope.

    A polite close waits for the client to read what is buffered, and a client that stopped reading never will;
    ASGI has no abort, so this reaches uvicorn's transport while ``send`` is still uvicorn's own (outermost)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            transport = getattr(getattr(send, "__self__", None), "transport", None)
            if transport is not None:
                scope = {**scope, ABORT_KEY: transport.abort}
        await self.app(scope, receive, send)


def _abort(websocket: WebSocket) -> None:
    abort = websocket.scope.get(ABORT_KEY)
    if abort is not None:
        abort()


async def _pump(websocket: WebSocket, outbox: Outbox, connection: Connection, stalled_s: float) -> None:
    """Send the outbox to the client, in order, one frame at a time; close when told to or when it overflows;
    cut the client off when it has not taken a frame for ``stalled_s`` (it stopped reading)."""
    while True:
        message = await outbox.next()
        if websocket.application_state != WebSocketState.CONNECTED:
            return
        if message is None:
            if connection.barred:
                error = _error("session_revoked", "your access to this auction was revoked or has expired")
                await websocket.send_text(json.dumps(error))
                await websocket.close(4401, "session_revoked")
            elif outbox.overflowed:
                # The client stopped reading: its messages would pile up without end.
                await websocket.close(1008, "not reading")
            elif connection.flooded:
                await websocket.close(1008, "too many messages")
                # Then stop reading: a flooder's buffered frames would otherwise still be read and parsed while
                # the close handshake waits for it (a moment is left for the close frame to go out).
                asyncio.get_running_loop().call_later(0.5, _abort, websocket)
            elif connection.idle:
                await websocket.close(1000, "idle")
            return
        try:
            frame = json.dumps(message, ensure_ascii=False)
            frame.encode("utf-8")
        except UnicodeEncodeError:  # never let odd text in an answer kill the connection's sender
            frame = json.dumps(message, ensure_ascii=True)
        try:
            await asyncio.wait_for(websocket.send_text(frame), stalled_s)
        except TimeoutError:
            log.warning("connection %d stopped reading: cut off", connection.id)
            connection.close = None
            _abort(websocket)
            return
