"""The bidder room in real headless Chromium (Debian's package, driven by Playwright) against the real server."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect
from websockets.asyncio.client import connect

from auction.storage.sql_journal import journal_for
from tests.conftest import Procurement, RunningServer, receive, receive_state

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        await launched.close()


async def open_room(browser: Browser, url: str) -> Page:
    page = await browser.new_page(viewport={"width": 1280, "height": 800})
    await page.goto(url)
    return page


async def fill_prices(page: Page, prices: dict[str, str]) -> None:
    for line_id, price in prices.items():
        await page.fill(f'[name="price-{line_id}"]', price)


async def test_a_bidder_opens_the_room_bids_and_sees_its_rank(
    procurement: Procurement, server: RunningServer, browser: Browser
) -> None:
    auction_id, invitations = await procurement.auction(duration_s=120)
    seat, rival = invitations[0], invitations[1]
    page = await open_room(browser, seat.url)
    await expect(page.locator("#connection")).to_have_attribute("data-state", "open")
    await expect(page.locator("#phase")).to_have_attribute("data-phase", "open")
    await expect(page.locator("#practice-banner")).to_be_hidden()
    await expect(page.locator("body")).to_contain_text("Drinkvoeding")
    await expect(page.locator("#time-left")).not_to_have_text("")

    # A price above the ceiling is caught in the page; nothing is sent.
    await fill_prices(page, {"L1-01": "2.50", "L1-02": "2.40", "L1-03": "2.20"})
    await page.click("#bid-submit")
    await expect(page.locator("#message")).to_have_attribute("data-kind", "invalid")
    assert not [e for e in await journal_for(procurement.engine).read(auction_id) if e.type == "BidAccepted"]

    # A valid bid (Dutch decimal comma) is accepted, with a receipt, and the rank shows.
    await fill_prices(page, {"L1-01": "2,00", "L1-02": "2,40", "L1-03": "2,20"})
    await page.click("#bid-submit")
    await expect(page.locator("#message")).to_have_attribute("data-kind", "accepted")
    await expect(page.locator("#rank")).to_have_attribute("data-rank", "1")
    accepted = [e for e in await journal_for(procurement.engine).read(auction_id) if e.type == "BidAccepted"]
    assert len(accepted) == 1 and accepted[0].payload["prices"] == {"L1-01": 200, "L1-02": 240, "L1-03": 220}
    await expect(page.locator("#receipts")).to_contain_text(accepted[0].hash[:12])

    # Another bidder takes the lead over a real WebSocket: the room shows rank 2 without a reload.
    async with connect(server.bidder_url(rival)) as ws:
        await receive(ws, "welcome")
        await receive_state(ws, lambda m: m["phase"] == "open")
        await ws.send(
            json.dumps(
                {"type": "bid", "bid_id": "rival-1", "prices": {"L1-01": "1.90", "L1-02": "2.40", "L1-03": "2.20"}}
            )
        )
        await receive(ws, "bid_accepted")
    await expect(page.locator("#rank")).to_have_attribute("data-rank", "2")
    await page.close()


async def test_the_practice_room_carries_an_unmistakable_banner(
    procurement: Procurement, server: RunningServer, browser: Browser
) -> None:
    _, invitations = await procurement.auction(kind="practice", duration_s=120)
    page = await open_room(browser, invitations[0].url)
    await expect(page.locator("#practice-banner")).to_be_visible()
    await expect(page.locator("#practice-banner")).to_contain_text("OEFENVEILING")
    await page.close()


async def test_a_wrong_link_is_explained_and_not_retried(
    procurement: Procurement, server: RunningServer, browser: Browser
) -> None:
    auction_id, _ = await procurement.auction(duration_s=120)
    page = await open_room(browser, f"{server.settings.base_url}/room/{auction_id}#token=not-a-real-token")
    await expect(page.locator("#connection")).to_have_attribute("data-state", "failed")
    await expect(page.locator("body")).to_contain_text("ongeldig")
    await page.close()
