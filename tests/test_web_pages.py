"""web/pages.py over real HTTP: the front page, the room and observer pages (never cached), the static files,
and the award notice's answer before anything is published."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

from auction.storage.db import publications
from tests.conftest import Procurement, RunningServer
from web.pages import STATIC


async def get(url: str) -> tuple[int, dict[str, str], bytes]:
    def fetch() -> tuple[int, dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    return await asyncio.to_thread(fetch)


async def test_the_front_page_points_to_the_invitation(server: RunningServer) -> None:
    status, headers, body = await get(f"{server.settings.base_url}/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "persoonlijke link uit uw uitnodiging" in body.decode()


async def test_the_room_and_the_observer_page_are_the_static_files_never_cached(
    procurement: Procurement, server: RunningServer
) -> None:
    auction_id, _ = await procurement.auction()
    for path, name in ((f"/room/{auction_id}", "room.html"), (f"/observe/{auction_id}", "observer.html")):
        status, headers, body = await get(server.settings.base_url + path)
        assert status == 200 and headers["cache-control"] == "no-store"
        assert body == (STATIC / name).read_bytes()
    status, _, body = await get(f"{server.settings.base_url}/static/room.html")
    assert status == 200 and body == (STATIC / "room.html").read_bytes()


async def test_an_unpublished_notice_is_404_in_dutch(procurement: Procurement, server: RunningServer) -> None:
    for query in ("", "?lang=en"):
        status, _, body = await get(f"{server.settings.base_url}/notice/{procurement.tender_id}{query}")
        assert status == 404 and "nog geen gunning gepubliceerd" in body.decode()


async def test_a_published_notice_is_served_exactly_as_stored(procurement: Procurement, server: RunningServer) -> None:
    """The publish step itself is tested with the award steps; here the page serves the stored text verbatim."""
    notices = {"nl": "<!doctype html><p>Gunning perceel 1 — €\u00a01,90</p>", "en": "<!doctype html><p>Award lot 1</p>"}
    async with procurement.engine.begin() as conn:
        for language, html in notices.items():
            await conn.execute(
                publications.insert().values(
                    tender_id=procurement.tender_id, language=language, html=html, hash="-", published_at=0
                )
            )
    base = f"{server.settings.base_url}/notice/{procurement.tender_id}"
    for query, language in (("", "nl"), ("?lang=en", "en"), ("?lang=fr", "nl")):
        status, headers, body = await get(base + query)
        assert status == 200 and headers["cache-control"] == "no-cache"
        assert body.decode("utf-8") == notices[language]
