"""The server: ``create_app(settings)`` wires the database, the auctions and the routes.

Starlette's lifespan owns the auction tasks and the revocation watcher. The handlers live in one module per
concept (pages, control_api, session_api, room_socket with placing and pump, revocation) and find what they
share on ``app.state`` (web.context).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from auction.bootstrap import wire
from auction.clock import Clock, system_clock
from auction.settings import Settings
from auction.storage.server_settings import put_setting
from web import control_api, pages, room_socket, session_api
from web.context import WebContext, context_of_app
from web.pump import TransportAbort
from web.revocation import close_barred_forever


def create_app(settings: Settings, clock: Clock = system_clock) -> Starlette:
    """The Starlette app for ``settings``; the auctions start and stop with its lifespan."""
    routes = [
        Route("/", pages.index),
        Route("/room/{auction_id}", pages.room),
        Route("/observe/{auction_id}", pages.observe),
        Route("/notice/{tender_id}", pages.notice),
        Route("/api/health", control_api.health),
        Route("/api/control/{auction_id}", control_api.control, methods=["POST"]),
        Route("/api/session", session_api.session, methods=["POST"]),
        Route("/api/sessions/{auction_id}", control_api.live_sessions),
        WebSocketRoute("/ws/bidder/{auction_id}", room_socket.bidder_socket),
        WebSocketRoute("/ws/observer/{auction_id}", room_socket.observer_socket),
        Mount("/static", StaticFiles(directory=pages.STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(TransportAbort)])
    WebContext.from_wiring(wire(settings, clock)).install(app)
    return app


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    """Start the auctions and the revocation watcher; on the way out stop both and close the database."""
    context = context_of_app(app)
    await context.hub.start()
    await put_setting(context.engine, "server_url", context.settings.base_url)
    watcher = asyncio.create_task(close_barred_forever(context.engine, context.registry, context.clock))
    try:
        yield
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        await context.hub.stop()
        await context.wiring.close()
