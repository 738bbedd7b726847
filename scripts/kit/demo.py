"""``scripts/demo``: the whole procurement on the example tender, end to end, with simulated bidders.

Everything is real: a fresh SQLite file, the server as its own process on 127.0.0.1, simulated bidders and an
observer as WebSocket clients, organiser controls over the server's control API, and the auditor's replay.
One seat per auction is left free for the person at the keyboard.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from auction.audit.verify import verify_auction
from auction.clock import system_clock
from auction.rules.money import format_euro, parse_price
from auction.settings import Settings
from auction.steps.auctions import schedule_auction
from auction.steps.control import apply_control
from auction.steps.invitations import Invitation, invite
from auction.steps.qualification import freeze_admission, load_response_files, qualify, supplier_names
from auction.steps.tender_publication import publish_tender
from auction.steps.tenders import load_tender_file
from auction.storage.db import make_engine
from scripts.kit.example import (
    EVALUATION_DAY,
    EXAMPLE_LATE_REASON,
    EXAMPLES,
    FORMAT_RULES,
    decide_example_reviews,
    tender_with_rules,
    tender_with_timings,
)
from scripts.kit.simbidder import SimulatedBidder

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Timing:
    lead_s: int  # from scheduling to opening: time to open the room link
    practice_s: int
    live_s: int
    window_s: int
    extension_s: int
    max_extensions: int
    standstill_s: int  # the tender's 20 days, compressed


QUICK = Timing(lead_s=2, practice_s=6, live_s=10, window_s=2, extension_s=2, max_extensions=2, standstill_s=3)
INTERACTIVE = Timing(
    lead_s=60, practice_s=180, live_s=300, window_s=60, extension_s=60, max_extensions=10, standstill_s=60
)


def say(text: str = "") -> None:
    print(text, flush=True)


def step(text: str) -> None:
    say(f"\n▶ {text}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command(settings: Settings) -> list[str]:
    """The command line that runs ``auction serve`` on these settings in a child Python process."""
    return [
        sys.executable, "-m", "auction.cli", "--db", str(settings.db_path),
        "serve", "--host", settings.host, "--port", str(settings.port),
    ]  # fmt: skip


def server_answers(settings: Settings) -> bool:
    """True when the server at these settings answers its health check."""
    try:
        with urllib.request.urlopen(f"{settings.base_url}/api/health", timeout=1) as response:
            return bool(json.loads(response.read())["ok"])
    except (OSError, ValueError):
        return False


class ServerProcess:
    """``auction serve`` as a child process: the demo talks to it only over the network."""

    def __init__(self, settings: Settings, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.settings = settings
        self.log_path = log_path
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        environment = {**os.environ, **(self.env or {})}
        with self.log_path.open("wb") as log:  # the child keeps its own copy of the file descriptor
            self.process = subprocess.Popen(
                serve_command(self.settings), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, env=environment
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start; see {self.log_path}")
            if server_answers(self.settings):
                return
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within 30 s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


async def watch(url: str, label: str, stop: asyncio.Event, latest: dict[str, Any]) -> None:
    """An observer connection (a real client); keeps the newest ``observer_state`` for the progress line."""
    while not stop.is_set():
        try:
            async with connect(url, compression=None) as ws:
                async for frame in ws:
                    message = json.loads(frame)
                    if message["type"] == "session":  # the one-time link was exchanged: reconnect with this
                        url = url.split("?", 1)[0] + "?session=" + message["session"]
                    elif message["type"] == "welcome":
                        latest["welcome"] = message["auction"]
                    elif message["type"] == "observer_state":
                        latest["state"] = message
                        latest["offset"] = message["server_time"] - system_clock()
                        if message["phase"] in ("closed", "awarded", "cancelled"):
                            return
        except (ConnectionClosed, OSError):
            await asyncio.sleep(0.5)


def progress_line(label: str, latest: dict[str, Any]) -> str:
    state = latest.get("state")
    if not state:
        return f"  {label:<34} verbinden…"
    now = system_clock() + latest.get("offset", 0)
    if state["phase"] == "scheduled" and state["opens_at"]:
        clock = f"opens in {max(0, state['opens_at'] - now) // 1000:>3} s"
    elif state["phase"] == "open" and state["closes_at"]:
        clock = f"{max(0, state['closes_at'] - now) / 1000:5.1f} s left"
    else:
        clock = state["phase"]
    leader = state["ladder"][0] if state["ladder"] else None
    lead = f"lead {leader['alias']} {format_euro(parse_price(leader['total'], 2), 2)}" if leader else "no bids yet"
    ext = f" +{state['extensions']} ext" if state["extensions"] else ""
    if state.get("level"):
        level = state["level"]
        ext += f"  level {level['number']}/{level['of']} ({level['percent']} %), {len(level['out'])} out"
    if state.get("round"):
        turn = state["round"]
        ext += "  initial offers" if turn["round"] == 0 else f"  round {turn['round']}/{turn['of']}, {turn['on_turn']}"
    return f"  {label:<34} {clock:<14} {state['bid_count']:>4} bids  {lead}{ext}"


async def run_round(
    kind: str,
    base_url: str,
    invitations: dict[str, list[Invitation]],
    free_seat: str,
    rng: random.Random,
    interactive: bool,
) -> None:
    """Run the simulated bidders and an observer on every auction of this round until all are closed."""
    ws_base = base_url.replace("http://", "ws://")
    tasks: list[asyncio.Task[Any]] = []
    watchers: dict[str, dict[str, Any]] = {}
    stop = asyncio.Event()
    for auction_id, issued in invitations.items():
        for inv in issued:
            token = inv.url.split("#token=")[1]
            if inv.role == "bidder" and inv.holder != free_seat:
                bidder = SimulatedBidder(
                    f"{ws_base}/ws/bidder/{auction_id}?token={token}",
                    random.Random(rng.getrandbits(64)),
                    floor=rng.uniform(0.72, 0.9),
                    think_s=(0.1, 0.6) if not interactive else (1.0, 6.0),
                )
                tasks.append(asyncio.create_task(bidder.run()))
        observer = next(i for i in issued if i.role == "observer")
        latest: dict[str, Any] = {}
        watchers[auction_id] = latest
        token = observer.url.split("#token=")[1]
        tasks.append(
            asyncio.create_task(watch(f"{ws_base}/ws/observer/{auction_id}?token={token}", auction_id, stop, latest))
        )
    last_print = 0.0
    while not all(t.done() for t in tasks):
        await asyncio.sleep(0.25)
        if time.monotonic() - last_print >= (1.0 if not interactive else 5.0):
            last_print = time.monotonic()
            for auction_id, latest in watchers.items():
                say(progress_line(f"[{kind}] {auction_id}", latest))
    stop.set()
    for task in tasks:
        if task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
    for auction_id, latest in watchers.items():
        say(progress_line(f"[{kind}] {auction_id}", latest))


async def award_and_publish(
    engine: AsyncEngine,
    settings: Settings,
    key: str,
    tender: Any,
    names: dict[str, str],
    data_dir: Path,
    timing: Timing,
) -> None:
    """Intention to award → letters → standstill (with one objection) → definitive → signed → published."""
    from auction.documents.award import write_documents
    from auction.documents.ocds.release import release_package
    from auction.steps.publication import bids_csv, procurement_record, publish_notice, write_json

    async def control(auction_id: str, kind: str, reason: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
        result = await apply_control(engine, auction_id, kind, reason, key, args)
        if not result.get("ok"):
            say(f"  {auction_id}: {kind} refused: {result.get('message')}")
        return result

    live = [f"{tender.id}-{lot.id}-live" for lot in tender.lots]
    step("Intention to award (voornemen tot gunning): the best offer of each lot, for all insurers")
    for auction_id in live:
        await control(auction_id, "award", "laagste volumegewogen totaal bij sluiting")
    record = await procurement_record(engine, tender.id, settings.base_url)
    for lot in record.lots:
        contract = lot.award.contract if lot.award else None
        if contract is None:
            continue
        say(
            f"  lot {lot.lot.id} ({lot.lot.name}): {contract['supplier']['name']}, "
            f"{format_euro(parse_price(contract['total_per_year'], 2), 2)} per year, "
            f"{format_euro(parse_price(contract['contract_value'], 2), 2)} over {contract['period']['months']} months"
        )
        for insurer in contract["insurers"]:
            say(
                f"      {insurer['name']:<32} share {insurer['share']:<8} "
                f"{format_euro(parse_price(insurer['expected_value_per_year'], 2), 2)} per year"
            )
    published = data_dir / "published"
    letters = write_documents(record, published / "intention")
    say(f"  {len(letters)} documents (letters to every bidder, summary, notice) in {published / 'intention'}")

    first = record.lots[0]
    loser = next((o.supplier_id for o in first.offers if o.rank > 1), None)
    if loser is not None:
        step(f"Standstill ({timing.standstill_s} s here, 20 days in the tender): one losing bidder objects")
        await control(
            first.auction_id,
            "object",
            "bezwaar ontvangen per brief: de verlengingsregel was onduidelijk",
            {"bidder": loser},
        )
        say(f"  objection of {names[loser]} recorded on {first.auction_id}")
    await asyncio.sleep(timing.standstill_s + 0.5)

    step("Definitive award, signed contract, publication")
    for auction_id in live:
        await control(auction_id, "definitive", "standstill verstreken; bezwaar beantwoord, geen wijziging")
        await control(
            auction_id,
            "sign",
            "contract getekend",
            {"signatory": "J. Jansen (organisator) en directie leverancier", "signed_on": date.today().isoformat()},
        )
    record = await procurement_record(engine, tender.id, settings.base_url)
    notice = await publish_notice(engine, record, key)
    with urllib.request.urlopen(notice["url"], timeout=5) as response:
        served = response.read()
    say(f"  award notice served at {notice['url']} ({len(served):,} bytes, SHA-256 {notice['hashes']['nl'][:16]}…)")
    record = await procurement_record(engine, tender.id, settings.base_url)
    final = write_documents(record, published / "final")
    say(f"  {len(final)} documents (contract summary, award notice, letters) in {published / 'final'}")
    package = release_package(record)
    say(f"  OCDS release package: {write_json(published / 'ocds.json', package)}")
    verdict = ocds_validation(package)
    say(verdict)
    if "FAILED" in verdict:
        raise RuntimeError("the OCDS export does not validate")
    (published / "bids.csv").write_text(bids_csv(record), encoding="utf-8")
    say(f"  bids (organiser only): {published / 'bids.csv'} ({len(record.bids)} bids)")


def ocds_validation(package: dict[str, Any]) -> str:
    """Validate against the OCDS schemas in ../shared/testdata when present (they are test data, not shipped)."""
    schemas = ROOT.parent / "shared" / "testdata" / "ocds"
    if not schemas.is_dir():
        return "  OCDS validation skipped: no schemas at ../shared/testdata/ocds"
    try:
        from auction.documents.ocds.validation import validate_package
    except ImportError:
        return "  OCDS validation skipped: install the test extras (jsonschema)"
    problems = validate_package(package, schemas)
    if problems:
        return "  OCDS validation FAILED:\n" + "\n".join(f"    {p}" for p in problems[:10])
    return "  OCDS validation: valid against OCDS 1.1.5 with the bid and requirements extensions"


async def demo(quick: bool, data_dir: Path, port: int, seed: int | None, auction_format: str = "english") -> int:
    timing = QUICK if quick else INTERACTIVE
    rng = random.Random(seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(db_path=data_dir / "auction.db", port=port)
    started = time.monotonic()

    step(f"Database: {settings.db_path.resolve()} (SQLite, fresh)")
    from auction.steps.setup import init_database

    if settings.db_path.exists():
        for suffix in ("", "-wal", "-shm", ".organiser-key"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(settings.db_path) + suffix).unlink()
    key = await init_database(settings)
    engine = make_engine(settings.database_url)
    server = ServerProcess(settings, data_dir / "server.log")
    try:
        tender_file = EXAMPLES / "tender.toml"
        if auction_format == "english":
            step("Tender: examples/tender.toml")
        else:
            tender_file = tender_with_rules(data_dir / "tender", FORMAT_RULES[auction_format][quick])
            step(f"Tender: examples/tender.toml with the {auction_format} format ({tender_file})")
        # The live auction runs by its published tender: the demo's compressed timings are published in it.
        tender_file = tender_with_timings(
            data_dir / "tender",
            tender_file,
            extension_window=f"{timing.window_s}s",
            extension=f"{timing.extension_s}s",
            max_extensions=timing.max_extensions,
            standstill=f"{timing.standstill_s}s",
        )
        loaded = await load_tender_file(engine, tender_file)
        tender = loaded.tender
        say(
            f"  {tender.title}: {len(tender.lots)} lots, {len(tender.insurers)} insurers, "
            f"{len(loaded.criteria.criteria)} criteria"
        )
        for insurer in tender.insurers:
            say(f"  insurer {insurer.name} ({insurer.insured:,} insured)")
        published = await publish_tender(engine, tender.id)
        say(
            f"  published: version {published.version} (hash {published.tender_hash[:16]}…), binding from now on;"
            f" criteria version {published.criteria_version}, concept contract {published.concept_contract_version}"
        )

        step("Responses: examples/responses/*.json, with their documents")
        # Today is after the example's published response deadline (2026): the load records why it is accepted.
        imported = await load_response_files(
            engine, tender.id, sorted((EXAMPLES / "responses").glob("*.json")), late_reason=EXAMPLE_LATE_REASON
        )
        say(f"  after the response deadline; reason on record: {imported.late_reason}")
        for one in imported.imported:
            missing = f"; required but not received: {', '.join(one.missing_required)}" if one.missing_required else ""
            say(f"  {one.response.supplier.name}: {len(one.response.documents)} documents{missing}")

        step(f"Qualification on {EVALUATION_DAY} (the example's qualification date)")
        verdicts = await qualify(engine, tender.id, EVALUATION_DAY)
        for verdict in verdicts:
            say(f"  {verdict.status.replace('_', ' '):<14} {verdict.supplier_name} (quality {verdict.quality_score})")
            for finding in verdict.failures:
                say(f"            ✗ {finding.criterion_id}: {finding.reason_en}")
            for finding in verdict.open_reviews:
                say(f"            ? {finding.criterion_id}: {finding.reason_en}")
        step("The organiser reviews, with a written justification each (in the tender's journal)")
        for supplier_id, criterion_id, outcome in await decide_example_reviews(engine, tender.id):
            say(f"  {supplier_id} {criterion_id} → {outcome}")
        frozen = await freeze_admission(engine, tender.id)
        say(f"  admission frozen: {', '.join(frozen.admitted)} (hash {frozen.admission_hash[:16]}…)")
        admitted = list(frozen.admitted)
        free_seat = admitted[0]
        names = await supplier_names(engine, tender.id)

        step(f"Server on {settings.base_url} (log: {server.log_path})")
        server.start()

        for kind, duration in (("practice", timing.practice_s), ("live", timing.live_s)):
            length = f"{duration} s" if auction_format == "english" else f"{auction_format} format"
            step(
                f"{'Practice auction (oefenveiling)' if kind == 'practice' else 'Live auction (veiling)'}: "
                f"every lot, {length}, opens in {timing.lead_s} s"
            )
            opens = system_clock() + timing.lead_s * 1000
            invitations: dict[str, list[Invitation]] = {}
            for lot in tender.lots:
                auction_id = await schedule_auction(engine, tender.id, lot.id, kind, opens, duration, rng=rng)
                invitations[auction_id] = await invite(engine, auction_id, settings.base_url)
            say(f"  free seat for you ({names[free_seat]}):")
            for issued in invitations.values():
                mine = next(i for i in issued if i.holder == free_seat)
                observer = next(i for i in issued if i.role == "observer")
                say(f"    room      {mine.url}")
                say(f"    observer  {observer.url}")
            await run_round(kind, settings.base_url, invitations, free_seat, rng, interactive=not quick)

        await award_and_publish(engine, settings, key, tender, names, data_dir, timing)
    finally:
        server.stop()

    step("Audit: replay every auction from its journal")
    failures = 0
    from auction.steps.auctions import list_auctions

    for row in await list_auctions(engine):
        report = await verify_auction(engine, row.id)
        for line in report.lines():
            say(f"  {line}")
        failures += not report.ok
    await engine.dispose()

    step("Summary")
    say(f"  database:  {settings.db_path.resolve()}")
    say(f"  took:      {time.monotonic() - started:.1f} s")
    say(f"  replay:    {'all verified' if not failures else f'{failures} FAILED'}")
    say("  next:      try the CLI on this database, e.g.")
    say(f"             .venv/bin/auction --db {settings.db_path.resolve()} contract show")
    say(f"             .venv/bin/auction --db {settings.db_path.resolve()} replay --verify")
    say(f"             .venv/bin/auction --db {settings.db_path.resolve()} status {tender.id}-L1-live")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/demo", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="compressed times, non-interactive, under a minute")
    parser.add_argument("--data", type=Path, help="folder for the database and server log (default: demo-data/)")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--seed", type=int, help="seed for the simulated bidders (default: random)")
    parser.add_argument(
        "--format",
        choices=["english", "japanese", "dutch", "rounds"],
        default="english",
        help="the auction format (default: english, the example tender's own rules)",
    )
    args = parser.parse_args()
    data_dir = args.data or ROOT / "demo-data" / time.strftime("%Y%m%d-%H%M%S")
    port = args.port or free_port()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    try:
        sys.exit(asyncio.run(demo(args.quick, data_dir, port, args.seed, args.format)))
    except KeyboardInterrupt:
        say("\ninterrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
