"""Serving the app with uvicorn, with the WebSocket limits the protocol promises."""

from __future__ import annotations

import logging

import uvicorn

from auction.settings import Settings
from web.app import create_app

MAX_MESSAGE_BYTES = 64 * 1024  # a bid for 500 lines fits easily; larger frames are refused (close 1009)


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        ws="websockets-sansio",
        ws_max_size=MAX_MESSAGE_BYTES,
        ws_per_message_deflate=False,  # compression leaks through side channels and costs memory per socket
        ws_ping_interval=20,
        ws_ping_timeout=20,
        access_log=False,  # room URLs carry no secret (the token is in the fragment), but WS URLs do
        log_level="info",
        lifespan="on",
    )


def run_server(settings: Settings) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.Server(uvicorn_config(settings)).run()
