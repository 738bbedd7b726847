"""Setting up a database: the schema, the organiser's key and the server's signing key beside it."""

from __future__ import annotations

import secrets

from sqlalchemy import select, update

from auction.journal.signing import Signer
from auction.settings import Settings
from auction.storage.access import hash_secret
from auction.storage.db import create_schema, make_engine, settings
from auction.storage.server_settings import get_setting, put_setting


async def init_database(config: Settings) -> str:
    """Create the database (if new), the organiser's key and the server's signing key.

    Returns the organiser key (also written beside the database, readable by its owner only).
    """
    key = await _init_schema_and_organiser_key(config)
    await ensure_signing_key(config)
    return key


async def _init_schema_and_organiser_key(config: Settings) -> str:
    config.db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.database_url)
    try:
        await create_schema(engine)
        async with engine.begin() as conn:
            row = (await conn.execute(select(settings.c.value).where(settings.c.key == "organiser_key_hash"))).first()
            if row is not None and config.organiser_key_path.exists():
                return config.organiser_key_path.read_text().strip()
            key = secrets.token_urlsafe(24)
            if row is None:
                await conn.execute(settings.insert().values(key="organiser_key_hash", value=hash_secret(key)))
            else:
                await conn.execute(
                    update(settings).where(settings.c.key == "organiser_key_hash").values(value=hash_secret(key))
                )
        config.organiser_key_path.write_text(key + "\n")
        config.organiser_key_path.chmod(0o600)
        return key
    finally:
        await engine.dispose()


async def ensure_signing_key(config: Settings) -> Signer:
    """The server's Ed25519 key (created once, beside the database); its public half is stored in settings."""
    path = config.signing_key_path
    signer = Signer.load(path) if path.exists() else Signer.create(path)
    engine = make_engine(config.database_url)
    try:
        if await get_setting(engine, "signing_public_key") != signer.public_key:
            await put_setting(engine, "signing_public_key", signer.public_key)
        return signer
    finally:
        await engine.dispose()


def load_signer(config: Settings) -> Signer | None:
    return Signer.load(config.signing_key_path) if config.signing_key_path.exists() else None
