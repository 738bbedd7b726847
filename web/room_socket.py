"""The WebSocket of the bidder room and of the observer page: ``/ws/bidder/{id}`` and ``/ws/observer/{id}``.

In order: the origin and flooding cool-down are checked before anything else; the session (or a one-time
invitation, exchanged here) is authorised before the socket is accepted; then the client is subscribed to its
auction's views (web.pump sends them) while its frames are read, rate-limited, parsed and handed on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect

from auction.live.outbox import Outbox
from auction.live.runner import AuctionRunner
from auction.storage.access import Access, AccessDenied, check_session, exchange_invitation, hash_secret, mark_connected
from web.connections import DROPS_BEFORE_CLOSE, Connection, ConnectionRegistry
from web.context import LOG_NAME, WebContext, context_of
from web.placing import place
from web.protocol import BadMessage, PingMessage, error_frame, parse_client_message
from web.pump import pump

log = logging.getLogger(LOG_NAME)
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
SENDER_GRACE_S = 2  # when we end a connection, the time its last messages and close frame get to go out
RATE_LIMITED_EVERY = 50  # one rate_limited warning per this many refused messages


async def bidder_socket(websocket: WebSocket) -> None:
    """A supplier's room."""
    await serve_socket(websocket, "bidder")


async def observer_socket(websocket: WebSocket) -> None:
    """An insurer's observer page."""
    await serve_socket(websocket, "observer")


def refusal_at_the_door(
    origin: str | None, session_secret: str, allowed: frozenset[str], registry: ConnectionRegistry
) -> tuple[int, str] | None:
    """The close code and reason for a socket refused before any database work (None: let it in)."""
    if origin is not None and origin.rstrip("/") not in allowed:
        # A page on another site must not drive a bidder's browser into the room (cross-site WebSocket).
        return 4403, "origin not allowed"
    if session_secret and registry.cooling_down(hash_secret(session_secret)):
        # Cut off for flooding moments ago: refused before any database work, and no fresh burst.
        return 1008, "flooding: wait before reconnecting"
    return None


async def authorise(websocket: WebSocket, context: WebContext, auction_id: str, role: str) -> tuple[Access, str | None]:
    """The session (or a one-time invitation secret, exchanged here) → access; the new secret if exchanged."""
    secret = websocket.query_params.get("session", "")
    if secret:
        return await check_session(context.engine, auction_id, secret, role, context.clock()), None
    token = websocket.query_params.get("token", "")
    if not token:
        raise AccessDenied("invalid_invitation", "no invitation or session in the address")
    new_secret, access = await exchange_invitation(context.engine, auction_id, token, role, context.clock())
    await mark_connected(context.engine, access.session_hash, context.clock())
    return access, new_secret


async def serve_socket(websocket: WebSocket, role: str) -> None:
    """Serve one bidder's (``role`` "bidder") or observer's WebSocket from the handshake to the end."""
    context = context_of(websocket)
    refusal = refusal_at_the_door(
        websocket.headers.get("origin"),
        websocket.query_params.get("session", ""),
        context.allowed_origins,
        context.registry,
    )
    if refusal is not None:
        await websocket.close(code=refusal[0], reason=refusal[1])
        return
    auction_id = websocket.path_params["auction_id"]
    try:
        access, new_secret = await authorise(websocket, context, auction_id, role)
        runner = await context.hub.get(auction_id)
        if runner is None:
            raise AccessDenied("unknown_auction", f"there is no auction {auction_id!r}")
    except AccessDenied as denied:
        # Authorised before accept; accepted only to say why, so the room can tell the person.
        await websocket.accept()
        await websocket.send_text(json.dumps(error_frame(denied.code, denied.message)))
        await websocket.close(CLOSE_CODES.get(denied.code, 4401), denied.code)
        return
    await websocket.accept()
    await _serve_admitted(websocket, context, access, new_secret, runner)


async def _serve_admitted(
    websocket: WebSocket, context: WebContext, access: Access, new_secret: str | None, runner: AuctionRunner
) -> None:
    """An accepted socket: registered and subscribed while its frames are read; let go of at the end."""
    client = f"{websocket.client.host}:{websocket.client.port}" if websocket.client else "?"
    connection, others = context.registry.open(access, client)
    if others:
        log.warning(
            "auction %s: supplier %s connected %d times at once", access.auction_id, access.supplier_id, 1 + len(others)
        )
    bidder = access.supplier_id if access.role == "bidder" else None
    greeting = {"type": "session", "session": new_secret} if new_secret is not None else None
    subscription = runner.subscribe(bidder, greeting)
    connection.close = subscription.outbox.close
    sender = asyncio.create_task(pump(websocket, subscription.outbox, connection, context.settings.stalled_client_s))
    try:
        await receive_frames(websocket, context, runner, subscription.outbox, bidder, connection)
        # We end the connection (revoked, flooding): let the last messages and the close frame go out.
        subscription.outbox.close()
        with contextlib.suppress(TimeoutError, Exception):
            await asyncio.wait_for(asyncio.shield(sender), SENDER_GRACE_S)
    except WebSocketDisconnect:
        pass
    finally:
        context.registry.close(connection)
        runner.unsubscribe(subscription)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender


async def receive_frames(
    websocket: WebSocket,
    context: WebContext,
    runner: AuctionRunner,
    outbox: Outbox,
    bidder: str | None,
    connection: Connection,
) -> None:
    """Read the client's frames until it leaves, goes idle, floods or is barred; answer each through ``outbox``.

    ``bidder`` is None for an observer, who may only ping."""
    while True:
        try:
            frame = await asyncio.wait_for(websocket.receive(), context.settings.idle_client_s)
        except TimeoutError:
            outbox.push(error_frame("idle", "nothing received for a long time: closing; reconnect when needed"))
            connection.idle = True
            return
        if frame["type"] == "websocket.disconnect":
            return
        if connection.barred:  # every message is authorised again: a revoked session acts no more
            return
        if not connection.limiter.allow():
            if connection.limiter.dropped > DROPS_BEFORE_CLOSE:
                connection.flooded = True
                context.registry.flooding(connection)
                outbox.push(error_frame("flooding", "far too many messages: the connection is closed"))
                return
            if connection.limiter.dropped % RATE_LIMITED_EVERY == 1:
                outbox.push(error_frame("rate_limited", "too many messages; this one was not handled, slow down"))
            continue
        text = frame.get("text")
        if text is None:
            outbox.push(error_frame("bad_message", "send JSON text frames, not binary"))
            continue
        try:
            message = parse_client_message(text)
        except BadMessage as exc:
            outbox.push(error_frame("bad_message", str(exc)))
            continue
        if isinstance(message, PingMessage):
            outbox.push({"type": "pong", "server_time": context.clock()})
        elif bidder is None:
            outbox.push(error_frame("bad_message", "observers cannot bid"))
        else:
            await place(runner, bidder, message, outbox)
