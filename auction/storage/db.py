"""The database: tables (SQLAlchemy Core, no ORM mapping of domain objects) and the engine.

SQLite is the embedded default (a file, WAL, ``synchronous=FULL`` so a committed bid survives a power cut);
any SQLAlchemy async URL (e.g. ``postgresql+asyncpg://…``) works for the same tables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

metadata = MetaData()

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

tenders = Table(
    "tenders",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("document", Text, nullable=False),  # the tender file as canonical JSON
    Column("hash", String(64), nullable=False),
    Column("criteria_document", Text, nullable=False),
    Column("criteria_hash", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("loaded_at", BigInteger, nullable=False),
    Column("concept_hash", String(64), nullable=False),  # SHA-256 of the concept contract file
    Column("admission_hash", String(64)),  # set by qualification; frozen once an auction exists
)

responses = Table(
    "responses",
    metadata,
    Column("tender_id", String(64), nullable=False),
    Column("supplier_id", String(64), nullable=False),
    Column("supplier_name", Text, nullable=False),
    Column("document", Text, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("loaded_at", BigInteger, nullable=False),
    Column("raw", LargeBinary),  # the file as received (JSON, XLSX or CSV); its SHA-256 is in the journal
    PrimaryKeyConstraint("tender_id", "supplier_id"),
)

documents = Table(
    # Documents that came with a response (evidence, or the answer to a "document" criterion), kept as
    # received so the record shows exactly which document was judged (its SHA-256 is in the tender's journal).
    "documents",
    metadata,
    Column("tender_id", String(64), nullable=False),
    Column("supplier_id", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
    PrimaryKeyConstraint("tender_id", "supplier_id", "name"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("tender_id", String(64), nullable=False),
    Column("supplier_id", String(64), nullable=False),
    Column("admitted", Boolean, nullable=False),
    Column("verdict", Text, nullable=False),  # JSON: findings with reasons
    Column("evaluated_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("tender_id", "supplier_id"),
)

auctions = Table(
    "auctions",
    metadata,
    Column("id", String(128), primary_key=True),
    Column("tender_id", String(64), nullable=False),
    Column("lot_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),  # "practice" or "live"
    Column("created_at", BigInteger, nullable=False),
)

invitations = Table(
    "invitations",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # SHA-256 of the secret; the secret is never stored
    Column("auction_id", String(128), nullable=False),
    Column("role", String(16), nullable=False),  # "bidder" or "observer"
    Column("supplier_id", String(64)),  # set for bidders
    Column("created_at", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("expires_at", BigInteger, nullable=False),  # after this the link no longer opens a session
    Column("used_at", BigInteger),  # the secret is one-time: exchanged for a session once
)

sessions = Table(
    "sessions",
    metadata,
    Column("session_hash", String(64), primary_key=True),  # SHA-256 of the session secret, never the secret
    Column("auction_id", String(128), nullable=False),
    Column("role", String(16), nullable=False),
    Column("supplier_id", String(64)),
    Column("invitation_hash", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("connected_at", BigInteger),  # first WebSocket with this session; until then the link may be re-used
)

journal = Table(
    "journal",
    metadata,
    Column("stream", String(128), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    Column("type", String(64), nullable=False),
    Column("payload", Text, nullable=False),  # canonical JSON, exactly as hashed
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # (stream, seq) unique: a second writer's append becomes a clean conflict, never a fork.
    PrimaryKeyConstraint("stream", "seq"),
)

contracts = Table(
    "contracts",
    metadata,
    Column("auction_id", String(128), primary_key=True),
    Column("tender_id", String(64), nullable=False),
    Column("lot_id", String(64), nullable=False),
    Column("supplier_id", String(64), nullable=False),
    Column("document", Text, nullable=False),  # the contract as recorded in the AwardIntended event
    Column("status", String(16), nullable=False),  # intended, definitive, signed
    Column("journal_seq", Integer, nullable=False),  # the AwardIntended entry
    Column("entry_hash", String(64), nullable=False),
    Column("recorded_at", BigInteger, nullable=False),
    Column("signatory", Text),
    Column("signed_on", String(10)),
)


publications = Table(
    "publications",
    metadata,
    Column("tender_id", String(64), nullable=False),
    Column("language", String(8), nullable=False),
    Column("html", Text, nullable=False),  # exactly what the server shows at /notice/{tender}
    Column("hash", String(64), nullable=False),  # SHA-256 of the UTF-8 html, recorded in each lot's journal
    Column("published_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("tender_id", "language"),
)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def make_engine(url: str) -> AsyncEngine:
    """Create the engine; for SQLite switch on WAL, full sync and immediate write transactions."""
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so BEGIN IMMEDIATE below is what actually runs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a commit is on disk before we acknowledge a bid
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-append cannot fail halfway on a lock upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


async def create_schema(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
