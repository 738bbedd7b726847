"""Every auction format in the bidder room and the observer page: real headless Chromium against the real server.

Each test loads a variant of the example tender (its ``[auction]`` table rewritten, as an organiser would write it),
qualifies the example suppliers, schedules the lot and opens the invitation links. Levels and turns are short so
the formats run through in seconds on the real clock. Every bidder page is checked at the end: nothing it shows
and no WebSocket frame it received names another supplier (id or name) or any alias.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, WebSocket, async_playwright, expect
from websockets.asyncio.client import connect

from auction.clock import system_clock
from auction.rules.config import Seat
from auction.steps.auctions import load_runner
from auction.steps.control import apply_control
from auction.steps.invitations import Invitation
from auction.storage.access import exchange_invitation
from auction.storage.sql_journal import journal_for
from tests.conftest import Procurement, RunningServer, prepare, receive, receive_state

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]
ALIAS = re.compile(r"Bieder [A-Z]\b")


# ------------------------------------------------------------------------------------------------ set-up


def auction_rules(**keys: str) -> str:
    """The body of a tender's ``[auction]`` table: the example's decrement and these keys (TOML values)."""
    lines = {"min_decrement": '{ percent = "0.5" }', **keys}
    return "\n".join(f"{key} = {value}" for key, value in lines.items())


Launch = Callable[..., Awaitable[tuple[Procurement, RunningServer]]]


@pytest.fixture
async def launch(tmp_path: Path) -> AsyncIterator[Launch]:
    """``await launch(format='"japanese"', …)``: a prepared procurement with these auction rules, and its server."""
    started: list[tuple[Procurement, RunningServer]] = []

    async def start(**auction: str) -> tuple[Procurement, RunningServer]:
        procurement = await prepare(tmp_path, auction_rules(**auction))
        server = RunningServer(procurement.settings)
        await server.start()
        started.append((procurement, server))
        return procurement, server

    yield start
    for procurement, server in started:
        await server.stop()
        await procurement.engine.dispose()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        await launched.close()


@dataclass
class Room:
    """A bidder's (or observer's) page and every WebSocket frame it received and sent."""

    page: Page
    holder: str
    received: list[str] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # uncaught script errors in the page

    def sent_of(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.sent if frame.get("type") == kind]


async def open_page(browser: Browser, invitation: Invitation) -> Room:
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    room = Room(page, invitation.holder)

    def on_socket(ws: WebSocket) -> None:
        ws.on("framereceived", lambda payload: room.received.append(str(payload)))
        ws.on("framesent", lambda payload: room.sent.append(json.loads(payload)))

    page.on("websocket", on_socket)
    page.on("pageerror", lambda error: room.errors.append(str(error)))
    await page.goto(invitation.url)
    return room


async def schedule(procurement: Procurement, opens_in_s: float = 0) -> tuple[str, list[Invitation], list[Invitation]]:
    auction_id, invitations = await procurement.auction(opens_in_s=opens_in_s, duration_s=120)
    bidders = [i for i in invitations if i.role == "bidder"]
    observers = [i for i in invitations if i.role == "observer"]
    return auction_id, bidders, observers


async def seats_of(procurement: Procurement, auction_id: str) -> tuple[Seat, ...]:
    return (await load_runner(procurement.engine, auction_id)).state.cfg.seats


async def journal(procurement: Procurement, auction_id: str, kind: str) -> list[dict[str, Any]]:
    return [e.payload for e in await journal_for(procurement.engine).read(auction_id) if e.type == kind]


async def start_now(procurement: Procurement, auction_id: str) -> None:
    """The organiser opens the auction (``auction start``) once the rooms are loaded, as in a rehearsal."""
    result = await apply_control(procurement.engine, auction_id, "start", "rooms ready", procurement.key)
    assert result["ok"], result


async def bid_over_socket(
    server: RunningServer, procurement: Procurement, seat: Invitation, prices: dict[str, str]
) -> None:
    """Another supplier bids with its own program (a plain WebSocket client)."""
    token = seat.url.split("#token=")[1]
    secret, _ = await exchange_invitation(procurement.engine, seat.auction_id, token, "bidder", system_clock())
    async with connect(f"{server.ws_base}/ws/bidder/{seat.auction_id}?session={secret}") as ws:
        await receive(ws, "welcome")
        await receive_state(ws, lambda m: m["phase"] == "open")
        await ws.send(json.dumps({"type": "bid", "bid_id": f"ws-{seat.holder}", "prices": prices}))
        answer = json.loads(await ws.recv())
        while answer["type"] == "state":
            answer = json.loads(await ws.recv())
        assert answer["type"] == "bid_accepted", answer


async def assert_nothing_of_others(room: Room, seats: tuple[Seat, ...]) -> None:
    """No page text (hidden parts included) and no received frame names another supplier or any alias."""
    seen = "\n".join([await room.page.content(), await room.page.inner_text("body"), *room.received])
    assert room.received, "the page received no frames"
    assert not room.errors, room.errors
    for seat in seats:
        if seat.bidder != room.holder:
            assert seat.bidder not in seen, f"{seat.bidder} visible to {room.holder}"
            assert seat.name not in seen, f"{seat.name} visible to {room.holder}"
    assert not ALIAS.search(seen), f"an alias is visible to {room.holder}: {ALIAS.search(seen)}"


def at_percent(ceilings: dict[str, str], percent: int) -> dict[str, str]:
    return {line: f"{Decimal(c) * percent / 100:.2f}" for line, c in ceilings.items()}


L1_CEILINGS = {"L1-01": "2.10", "L1-02": "2.45", "L1-03": "2.30"}


async def fill(page: Page, prices: dict[str, str]) -> None:
    for line_id, price in prices.items():
        await page.fill(f'[name="price-{line_id}"]', price)


# ------------------------------------------------------------------------------------------------ the tests


async def test_japanese_levels_drop_out_and_a_winner(launch: Launch, browser: Browser) -> None:
    procurement, _ = await launch(
        format='"japanese"', levels='{ step_percent = "10", interval = "4s", floor_percent = "50" }'
    )
    auction_id, bidders, observers = await schedule(procurement, opens_in_s=600)
    seats = await seats_of(procurement, auction_id)
    a, b = await open_page(browser, bidders[0]), await open_page(browser, bidders[1])
    watcher = await open_page(browser, observers[0])

    # Before the opening: the rules in words, the announced levels, no price entry, no acceptance yet.
    await expect(a.page.locator("#rules-list")).to_contain_text("Japanse veiling")
    await expect(a.page.locator("#rules-list")).to_contain_text("4 seconden")
    await expect(a.page.locator("#levels-rules tbody tr")).to_have_count(6)
    await expect(a.page.locator("#bid-panel")).to_be_hidden()
    await expect(a.page.locator("#level-status")).to_have_attribute("data-status", "waiting")
    await expect(a.page.locator("#accept-button")).to_be_disabled()
    await expect(watcher.page.locator("#format")).to_have_attribute("data-format", "japanese")
    await start_now(procurement, auction_id)

    # Level 1: both accept; the observer sees who.
    for room in (a, b):
        await expect(room.page.locator("#level-number")).to_have_attribute("data-level", "0", timeout=6000)
        await expect(room.page.locator("#level-number")).to_have_text("Niveau 1 van 6")
        await room.page.click("#accept-button")
        await expect(room.page.locator("#level-status")).to_have_attribute("data-status", "accepted")
        await expect(room.page.locator("#accept-button")).to_be_disabled()
    await expect(watcher.page.locator("#obs-accepted")).to_have_text(f"{seats[0].alias}, {seats[1].alias}")

    # Level 2: the two who did not accept level 1 are out; only A accepts.
    await expect(a.page.locator("#level-number")).to_have_attribute("data-level", "1", timeout=6000)
    await expect(b.page.locator("#bidders-in")).to_have_text("Nog 2 bieders in de veiling")
    await expect(b.page.locator("#level-status")).to_have_attribute("data-status", "open")
    await expect(a.page.locator("#level-time-left")).to_have_text(re.compile(r"^00:0[0-4]$"))
    await expect(a.page.locator("#level-lines tr")).to_have_count(3)
    await expect(a.page.locator('#level-lines tr[data-line="L1-01"] .level-price')).to_have_text("€ 1,89")
    await a.page.click("#accept-button")
    await expect(a.page.locator("#level-status")).to_have_attribute("data-status", "accepted")

    # Level 2 ends: B did not accept and is out; A is the one bidder left and wins.
    await expect(b.page.locator("#phase")).to_have_attribute("data-phase", "closed", timeout=7000)
    await expect(b.page.locator("#level-status")).to_have_attribute("data-status", "out")
    await expect(b.page.locator("#level-status")).to_contain_text("uitgevallen")
    await expect(a.page.locator("#phase")).to_have_attribute("data-phase", "closed")
    await expect(a.page.locator("#rank")).to_have_attribute("data-rank", "1")
    await expect(a.page.locator("#level-status")).to_contain_text("positie 1")
    await expect(watcher.page.locator("#obs-out")).to_have_text(", ".join(s.alias for s in seats[1:]))

    assert [m["level"] for m in a.sent_of("accept")] == [0, 1]
    assert [m["level"] for m in b.sent_of("accept")] == [0]
    closed = await journal(procurement, auction_id, "AuctionClosed")
    assert closed[-1]["reason"] == "one bidder left at level 2"
    for room in (a, b):
        await assert_nothing_of_others(room, seats)


async def test_a_dutch_acceptance_closes_the_auction(launch: Launch, browser: Browser) -> None:
    procurement, _ = await launch(
        format='"dutch"', levels='{ step_percent = "25", interval = "20s", floor_percent = "50" }'
    )
    auction_id, bidders, _ = await schedule(procurement, opens_in_s=600)
    seats = await seats_of(procurement, auction_id)
    a, b = await open_page(browser, bidders[0]), await open_page(browser, bidders[1])
    await expect(a.page.locator("#rules-list")).to_contain_text("Hollandse veiling")
    await expect(a.page.locator("#levels-rules tbody tr")).to_have_count(3)
    await expect(b.page.locator("#level-status")).to_have_attribute("data-status", "waiting")
    await start_now(procurement, auction_id)

    await expect(a.page.locator("#level-number")).to_have_attribute("data-level", "0", timeout=5000)
    await expect(a.page.locator("#level-status")).to_contain_text("als eerste accepteert")
    await expect(a.page.locator("#level-percent")).to_have_text("50 % van de maximumprijs")
    await a.page.click("#accept-button")

    await expect(a.page.locator("#phase")).to_have_attribute("data-phase", "closed")
    await expect(a.page.locator("#message")).to_have_attribute("data-kind", "accepted")
    await expect(a.page.locator("#message")).to_contain_text("Niveau 1 geaccepteerd")
    await expect(a.page.locator("#receipts li")).to_have_count(1)
    await expect(a.page.locator("#level-status")).to_contain_text("positie 1")
    await expect(b.page.locator("#phase")).to_have_attribute("data-phase", "closed")
    await expect(b.page.locator("#level-status")).to_have_attribute("data-status", "closed")
    await expect(b.page.locator("#accept-button")).to_be_disabled()

    closed = await journal(procurement, auction_id, "AuctionClosed")
    assert closed[-1]["by"] == "acceptance"
    accepted = await journal(procurement, auction_id, "BidAccepted")
    assert [p["bidder"] for p in accepted] == [seats[0].bidder]
    for room in (a, b):
        await assert_nothing_of_others(room, seats)


async def test_fixed_turns_initial_offers_then_turn_and_pass(launch: Launch, browser: Browser) -> None:
    procurement, server = await launch(format='"rounds"', rounds='{ rounds = 1, turn = "30s", initial_offers = "5s" }')
    auction_id, bidders, observers = await schedule(procurement, opens_in_s=600)
    seats = await seats_of(procurement, auction_id)
    a, b = await open_page(browser, bidders[0]), await open_page(browser, bidders[1])
    watcher = await open_page(browser, observers[0])
    await expect(a.page.locator("#rules-list")).to_contain_text("vaste beurten")
    await expect(a.page.locator("#rules-list")).to_contain_text("5 seconden")
    await expect(a.page.locator("#turn-status")).to_have_attribute("data-turn", "waiting_open")
    await expect(b.page.locator("#turn-status")).to_have_attribute("data-turn", "waiting_open")
    await start_now(procurement, auction_id)

    # The sealed initial-offer stage: everyone may bid; the room shows no rank.
    await expect(a.page.locator("#turn-status")).to_have_attribute("data-turn", "initial", timeout=5000)
    await expect(a.page.locator("#round-stage")).to_have_text("Eerste biedingen (verzegeld)")
    await expect(a.page.locator("#pass-button")).to_be_hidden()
    for room, percent in ((a, 99), (b, 97)):
        await fill(room.page, at_percent(L1_CEILINGS, percent))
        await room.page.click("#bid-submit")
        await expect(room.page.locator("#message")).to_have_attribute("data-kind", "accepted")
    await expect(a.page.locator("#rank-note")).to_contain_text("Verzegelde fase")
    for seat, percent in ((bidders[2], 95), (bidders[3], 93)):
        await bid_over_socket(server, procurement, seat, at_percent(L1_CEILINGS, percent))

    # Round 1, worst offer first: A is on turn, B waits as number 2 with the form disabled.
    await expect(a.page.locator("#turn-status")).to_have_attribute("data-turn", "yours", timeout=8000)
    await expect(a.page.locator("#round-stage")).to_have_text("Ronde 1 van 1")
    await expect(a.page.locator("#pass-button")).to_be_enabled()
    await expect(a.page.locator("#bid-submit")).to_be_enabled()
    await expect(a.page.locator("#turn-time-left")).to_have_text(re.compile(r"^00:[23]\d$"))
    await expect(b.page.locator("#turn-status")).to_have_attribute("data-turn", "waiting")
    await expect(b.page.locator("#turn-status")).to_contain_text("nummer 2 van 4")
    await expect(b.page.locator("#bid-submit")).to_be_disabled()
    await expect(b.page.locator("#pass-button")).to_be_disabled()
    await expect(b.page.locator('[name="price-L1-01"]')).to_be_disabled()
    await expect(b.page.locator("#submit-hint")).to_contain_text("eigen beurt")
    await expect(watcher.page.locator("#obs-on-turn")).to_have_text(seats[0].alias)

    # A keeps its offer: its turn is over and B's begins.
    await a.page.click("#pass-button")
    await expect(a.page.locator("#message")).to_have_attribute("data-code", "pass_accepted")
    await expect(a.page.locator("#turn-status")).to_have_attribute("data-turn", "done")
    await expect(a.page.locator("#bid-submit")).to_be_disabled()
    await expect(b.page.locator("#turn-status")).to_have_attribute("data-turn", "yours")
    await expect(b.page.locator("#pass-button")).to_be_enabled()
    await expect(watcher.page.locator("#obs-on-turn")).to_have_text(seats[1].alias)

    # B improves its offer on its turn, which ends the turn.
    await fill(b.page, at_percent(L1_CEILINGS, 90))
    await b.page.click("#bid-submit")
    await expect(b.page.locator("#message")).to_have_attribute("data-kind", "accepted")
    await expect(b.page.locator("#turn-status")).to_have_attribute("data-turn", "done")

    assert a.sent_of("pass") == [{"type": "pass"}]
    ended = await journal(procurement, auction_id, "TurnEnded")
    assert [(e["bidder"], e["how"]) for e in ended] == [(seats[0].bidder, "pass"), (seats[1].bidder, "bid")]
    for room in (a, b):
        await assert_nothing_of_others(room, seats)


async def test_a_far_below_bid_is_confirmed_and_later_bids_name_changed_lines_only(
    launch: Launch, browser: Browser
) -> None:
    procurement, _ = await launch(
        far_below_percent='"20"',
        bid_lines='"changed"',
        reserve='"4000000.00"',
        sealed="true",
        show_bidder_count="false",
        show_best_total="false",
    )
    auction_id, bidders, _ = await schedule(procurement)
    seats = await seats_of(procurement, auction_id)
    a = await open_page(browser, bidders[0])
    await expect(a.page.locator("#phase")).to_have_attribute("data-phase", "open")
    rules = a.page.locator("#rules-list")
    for text in ("meer dan 20 % onder", "alleen de regels in die u wijzigt", "reserveprijs", "Verzegelde veiling"):
        await expect(rules).to_contain_text(text)

    # 57 % of the ceilings: the server asks for confirmation; "no" sends nothing.
    low = {"L1-01": "1.20", "L1-02": "1.40", "L1-03": "1.30"}
    await fill(a.page, low)
    await a.page.click("#bid-submit")
    dialog = a.page.locator("#confirm-dialog")
    await expect(dialog).to_be_visible()
    await expect(a.page.locator("#confirm-text")).to_contain_text("meer dan 20 % onder")
    await a.page.click("#confirm-cancel")
    await expect(dialog).to_be_hidden()
    await expect(a.page.locator("#message")).to_contain_text("Bod niet verstuurd")
    assert not await journal(procurement, auction_id, "BidAccepted")

    # Again, and confirmed: the same bid (same bid_id, same prices) is sent with confirmed: true.
    await a.page.click("#bid-submit")
    await expect(dialog).to_be_visible()
    await a.page.click("#confirm-send")
    await expect(a.page.locator("#message")).to_have_attribute("data-kind", "accepted")
    first, second, confirmed = a.sent_of("bid")
    assert "confirmed" not in first and "confirmed" not in second and confirmed["confirmed"] is True
    assert first["bid_id"] != second["bid_id"] == confirmed["bid_id"]
    assert second["prices"] == confirmed["prices"] == low
    assert [p["bid_id"] for p in await journal(procurement, auction_id, "BidAccepted")] == [confirmed["bid_id"]]

    # Sealed: no rank. Changed lines: the inputs are empty ("ongewijzigd") and only the filled line is sent.
    await expect(a.page.locator("#rank")).to_have_text("Niet zichtbaar")
    await expect(a.page.locator("#rank-note")).to_contain_text("Verzegelde veiling")
    await expect(a.page.locator('[name="price-L1-02"]')).to_have_attribute("placeholder", "ongewijzigd")
    await fill(a.page, {"L1-01": "1,10"})
    await a.page.click("#bid-submit")
    await expect(a.page.locator("#receipts li")).to_have_count(2)
    assert a.sent_of("bid")[-1]["prices"] == {"L1-01": "1.10"}
    last = (await journal(procurement, auction_id, "BidAccepted"))[-1]
    assert last["prices"] == {"L1-01": 110, "L1-02": 140, "L1-03": 130}

    # The reserve is announced, never its amount.
    seen = await a.page.content() + "".join(a.received)
    assert "4000000" not in seen and "4.000.000" not in seen
    await assert_nothing_of_others(a, seats)


async def test_quality_weighting_ladder_bid_to_beat_english_and_blocking(launch: Launch, browser: Browser) -> None:
    procurement, server = await launch(
        meat='{ formula = "factor", max_discount_percent = "10" }', show_ladder="true", extension_trigger='"top_k"'
    )
    auction_id, bidders, observers = await schedule(procurement)
    seats = await seats_of(procurement, auction_id)
    a = await open_page(browser, bidders[0])
    watcher = await open_page(browser, observers[0])
    await expect(a.page.locator("#phase")).to_have_attribute("data-phase", "open")

    # The bidder's own score and factor, in the rules and the weighting panel.
    score = seats[0].quality_score
    weight = 1 - Fraction(10, 100) * Fraction(Decimal(score)) / 100
    factor = f"{Decimal(weight.numerator) / Decimal(weight.denominator):.4f}".replace(".", ",")
    await expect(a.page.locator("#rules-list")).to_contain_text(f"Uw kwaliteitsscore is {score.replace('.', ',')}")
    await expect(a.page.locator("#rules-list")).to_contain_text("beste 3 posities")
    await expect(a.page.locator("#meat-weight")).to_have_text(factor)

    await fill(a.page, {"L1-01": "2.00", "L1-02": "2.40", "L1-03": "2.20"})
    await a.page.click("#bid-submit")
    await expect(a.page.locator("#message")).to_have_attribute("data-kind", "accepted")
    await expect(a.page.locator("#meat-beat-lead")).to_have_text("U heeft de leiding.")
    await bid_over_socket(server, procurement, bidders[1], {"L1-01": "1.60", "L1-02": "2.00", "L1-03": "1.80"})

    # The ladder without names, own row marked; the totals that would beat the lead.
    ladder = a.page.locator("#bidder-ladder tbody tr")
    await expect(ladder).to_have_count(2)
    await expect(a.page.locator('#bidder-ladder tbody tr[data-you="true"]')).to_have_attribute("data-rank", "2")
    await expect(a.page.locator("#bidder-ladder-figure")).to_have_text("Rangschikkingsbedrag")
    await expect(a.page.locator("#rank")).to_have_attribute("data-rank", "2")
    await expect(a.page.locator("#meat-beat-lead")).to_have_text(re.compile(r"^€ [\d.]+,\d\d$"))
    await expect(a.page.locator("#meat-ranked")).to_have_text(re.compile(r"^€ [\d.]+,\d\d$"))
    await expect(watcher.page.locator("#ladder-ranked-head")).to_be_visible()
    await expect(watcher.page.locator("#ladder tbody tr")).to_have_count(2)

    # The same room in English.
    await a.page.click("#lang-toggle")
    await expect(a.page.locator("#bidder-ladder-title")).to_have_text("Ranking (without names)")
    await expect(a.page.locator("#meat-list")).to_contain_text("Your quality score")
    await expect(a.page.locator("#meat-list")).to_contain_text("To take the lead: total at most")

    # The organiser blocks A: a banner, and no bidding.
    result = await apply_control(
        procurement.engine, auction_id, "block", "test", procurement.key, {"bidder": seats[0].bidder}
    )
    assert result["ok"], result
    await expect(a.page.locator("#blocked-banner")).to_be_visible()
    await expect(a.page.locator("#blocked-banner")).to_contain_text("blocked your bidding")
    await expect(a.page.locator("#bid-submit")).to_be_disabled()
    await expect(watcher.page.locator("#obs-blocked")).to_have_text(seats[0].alias)
    await assert_nothing_of_others(a, seats)
