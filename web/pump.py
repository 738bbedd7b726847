"""The output pump: what waits in a connection's outbox goes to its client, in order, one frame at a time.

It also ends connections: with the reason the rest of the server marked on them (revoked, flooding, idle), when
the outbox overflowed, or, for a client that stopped reading, by dropping the TCP connection at once. ASGI has
no such abort, hence the :class:`TransportAbort` middleware.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketState

from auction.live.outbox import Outbox
from web.connections import Connection
from web.context import LOG_NAME
from web.protocol import error_frame

log = logging.getLogger(LOG_NAME)
ABORT_KEY = "dieetveiling.abort"
FLOODER_ABORT_AFTER_S = 0.5  # the moment a flooder's close frame gets to go out before we stop reading it


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


def abort(websocket: WebSocket) -> None:
    """Drop the connection without a closing handshake (nothing, when the server cannot: no middleware)."""
    drop = websocket.scope.get(ABORT_KEY)
    if drop is not None:
        drop()


def encode_frame(message: dict[str, Any]) -> str:
    """The frame's text: UTF-8 JSON, or all-ASCII JSON when the message holds text UTF-8 cannot carry."""
    try:
        frame = json.dumps(message, ensure_ascii=False)
        frame.encode("utf-8")
    except UnicodeEncodeError:  # never let odd text in an answer kill the connection's sender
        frame = json.dumps(message, ensure_ascii=True)
    return frame


async def pump(websocket: WebSocket, outbox: Outbox, connection: Connection, stalled_s: float) -> None:
    """Send the outbox to the client, in order, one frame at a time; close when told to or when it overflows;
    cut the client off when it has not taken a frame for ``stalled_s`` (it stopped reading)."""
    while True:
        message = await outbox.next()
        if websocket.application_state != WebSocketState.CONNECTED:
            return
        if message is None:
            await _close(websocket, outbox, connection)
            return
        try:
            await asyncio.wait_for(websocket.send_text(encode_frame(message)), stalled_s)
        except TimeoutError:
            log.warning("connection %d stopped reading: cut off", connection.id)
            connection.close = None
            abort(websocket)
            return


async def _close(websocket: WebSocket, outbox: Outbox, connection: Connection) -> None:
    """The outbox was closed: close the connection with the reason it was marked with (none: leave it open
    for the handler, which closes it by returning)."""
    if connection.barred:
        error = error_frame("session_revoked", "your access to this auction was revoked or has expired")
        await websocket.send_text(json.dumps(error))
        await websocket.close(4401, "session_revoked")
    elif outbox.overflowed:
        # The client stopped reading: its messages would pile up without end.
        await websocket.close(1008, "not reading")
    elif connection.flooded:
        await websocket.close(1008, "too many messages")
        # Then stop reading: a flooder's buffered frames would otherwise still be read and parsed while the
        # close handshake waits for it (a moment is left for the close frame to go out).
        asyncio.get_running_loop().call_later(FLOODER_ABORT_AFTER_S, abort, websocket)
    elif connection.idle:
        await websocket.close(1000, "idle")
