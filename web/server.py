"""Serving the app with uvicorn, with the WebSocket limits the protocol promises."""

from __future__ import annotations

import logging
import re

import uvicorn

from auction.settings import Settings
from web.app import create_app

MAX_MESSAGE_BYTES = 64 * 1024  # a bid for 500 lines fits easily; larger frames are refused (close 1009)


class RedactTokens(logging.Filter):
    """uvicorn logs each WebSocket's path, query string included: hide the invitation secrets in it."""

    PATTERN = re.compile(r"((?:token|session)=)[^&\s\"']+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self.PATTERN.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = self.PATTERN.sub(r"\1…", record.msg)
        return True


def redact_tokens_in_logs() -> None:
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())


def uvicorn_config(settings: Settings) -> uvicorn.Config:
    config = uvicorn.Config(
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
    redact_tokens_in_logs()  # after the Config above (re)configured uvicorn's loggers
    return config


def run_server(settings: Settings) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.Server(uvicorn_config(settings)).run()
