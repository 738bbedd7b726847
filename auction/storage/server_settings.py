"""The server's settings table: small named values (the organiser key's hash, the signing public key, the
server's address, its heartbeat).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.storage.db import settings


async def get_setting(engine: AsyncEngine, key: str) -> str | None:
    async with engine.connect() as conn:
        row = (await conn.execute(select(settings.c.value).where(settings.c.key == key))).first()
    return None if row is None else str(row[0])


async def put_setting(engine: AsyncEngine, key: str, value: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(settings.delete().where(settings.c.key == key))
        await conn.execute(settings.insert().values(key=key, value=value))
