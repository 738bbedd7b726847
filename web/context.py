"""What every handler of the server shares, built once by ``create_app`` and kept on ``app.state``.

Handlers are plain module functions; they find the process's parts (settings, clock, database, live auctions,
live connections, the origins a browser may come from) through the request or WebSocket they serve, so each
handler module can be imported and tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from auction.bootstrap import Wiring
from auction.clock import Clock
from auction.live.hub import AuctionHub
from auction.settings import Settings
from web.connections import ConnectionRegistry

# Every web module logs under the name the server has always used: operators filter and read it in the log
# format of web.server ("%(name)s"), so splitting the code into modules must not rename it.
LOG_NAME = "web.app"


def allowed_origins(settings: Settings) -> frozenset[str]:
    """The origins whose pages may open a WebSocket: the public address and the address the server listens on."""
    return frozenset({settings.base_url.rstrip("/"), f"http://{settings.host}:{settings.port}"})


@dataclass(frozen=True, eq=False)
class WebContext:
    """The parts of one server process that its handlers share."""

    wiring: Wiring
    hub: AuctionHub
    registry: ConnectionRegistry
    allowed_origins: frozenset[str]

    @classmethod
    def from_wiring(cls, wiring: Wiring) -> WebContext:
        """The live auctions, an empty connection registry and the allowed origins, on ``wiring``'s parts."""
        return cls(wiring, wiring.hub(), ConnectionRegistry(wiring.clock), allowed_origins(wiring.settings))

    @property
    def settings(self) -> Settings:
        return self.wiring.settings

    @property
    def clock(self) -> Clock:
        return self.wiring.clock

    @property
    def engine(self) -> AsyncEngine:
        return self.wiring.engine

    def install(self, app: Starlette) -> None:
        """Put this context on ``app.state``; ``hub`` and ``engine`` stay there too for code that looks inside."""
        app.state.context = self
        app.state.hub = self.hub
        app.state.engine = self.engine


def context_of_app(app: Starlette) -> WebContext:
    """The context :meth:`WebContext.install` put on ``app``."""
    context = getattr(app.state, "context", None)
    if not isinstance(context, WebContext):
        raise RuntimeError("this app has no WebContext on app.state (build it with web.app.create_app)")
    return context


def context_of(connection: HTTPConnection) -> WebContext:
    """The context of the app serving this request or WebSocket."""
    return context_of_app(connection.app)
