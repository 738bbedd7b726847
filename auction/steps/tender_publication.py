"""The published tender is binding: publication as a journal event, and no change without a notice.

``auction tender publish`` records the whole tender in the tender's journal (``TenderPublished``, version 1):
insurers and their shares, lots, lines, volumes and ceilings, the auction and award rules, the qualification
dates, the concept contract's version and the SHA-256 of its text, and the criteria version in force. From then
on, loading a tender file that differs in any of these is refused; the only way to change the published tender is
a numbered clarification notice (``auction clarify issue --tender-file FILE``), which states every change in words and
brings the next version into force (``TenderPublished`` version 2, 3 …, naming the notice).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from auction.clock import Clock, system_clock
from auction.journal.port import Recordable
from auction.steps.tender_stream import Write, append_events, current_criteria, find_tender, tender_state
from auction.storage.db import tenders
from auction.tender.changes import Language, describe_concept_change, describe_tender_changes
from auction.tender.file import Tender
from auction.tender.loading import load_tender
from qualification.common.canonical import canonical_hash, canonical_json, file_hash
from qualification.common.errors import InputError, NotFound, StepOutOfOrder
from qualification.tender_journal import CriteriaFrozen, QualificationState, TenderPublished


@dataclass(frozen=True)
class TenderVersion:
    """A tender as it would be published: its document, that document's hash, and its concept contract."""

    tender: Tender
    document: dict[str, Any]
    hash: str
    concept_version: str
    concept_sha256: str

    @classmethod
    def of(cls, tender: Tender, concept_sha256: str) -> TenderVersion:
        document = tender.model_dump(mode="json")
        return cls(tender, document, canonical_hash(document), tender.concept_contract.version, concept_sha256)

    @classmethod
    def from_file(cls, path: Path) -> TenderVersion:
        tender = load_tender(path)
        return cls.of(tender, file_hash(path.parent / tender.concept_contract.file))


def differs(published: TenderPublished, version: TenderVersion) -> bool:
    return published.tender_hash != version.hash or published.concept_contract_sha256 != version.concept_sha256


def changes_in_words(published: TenderPublished, version: TenderVersion, lang: Language) -> tuple[str, ...]:
    """Every difference between the published tender and ``version``, one sentence each (``nl`` or ``en``)."""
    sentences = list(describe_tender_changes(published.tender, version.document, lang))
    if published.concept_contract_sha256 != version.concept_sha256:
        old, new = published.concept_contract_version, version.concept_version
        sentences.append(describe_concept_change(old, new, lang))
    return tuple(sentences)


def check_concept_version(published: TenderPublished, version: TenderVersion, where: str) -> None:
    """A concept contract whose text changes must change its version label, or the contract would name a
    version that means two texts."""
    if version.concept_sha256 != published.concept_contract_sha256 and (
        version.concept_version == published.concept_contract_version
    ):
        raise InputError(
            f"{where}: concept_contract → version",
            f"the concept contract's text changed but its version is still {version.concept_version!r}: "
            "give the changed text a new version",
        )


def refuse_unpublished_change(state: QualificationState, version: TenderVersion) -> None:
    """Loading a tender file after publication: the same tender is fine; any change needs a notice."""
    published = state.published
    if published is None or not differs(published, version):
        return
    listed = "; ".join(changes_in_words(published, version, "en"))
    raise StepOutOfOrder(
        f"tender {version.tender.id} was published (version {published.version}) and is binding; this file differs "
        f"from it: {listed} Publish a change through a clarification notice: "
        "`auction clarify issue --tender-file FILE --out DIR`"
    )


async def publish_tender(engine: AsyncEngine, tender_id: str | None, clock: Clock = system_clock) -> TenderPublished:
    """Publish the loaded tender (version 1); the criteria are frozen with it (version 1) if they are not yet."""
    tender = await find_tender(engine, tender_id)
    state = await tender_state(engine, tender.id)
    if state.published is not None:
        raise StepOutOfOrder(
            f"tender {tender.id} is already published (version {state.published.version}); a change goes "
            "through a clarification notice: `auction clarify issue --tender-file FILE --out DIR`"
        )
    if not tender.lots or any(not lot.lines for lot in tender.lots):
        raise InputError("lots", "a tender is published with at least one lot, each with at least one line")
    async with engine.connect() as conn:
        row = (await conn.execute(select(tenders.c.concept_hash).where(tenders.c.id == tender.id))).first()
    if row is None:  # pragma: no cover - find_tender found the row
        raise NotFound(f"no tender {tender.id!r}")
    version = TenderVersion.of(tender, str(row[0]))
    at = clock()
    events: list[Recordable] = []
    criteria = await current_criteria(engine, tender.id, state)
    frozen = state.criteria
    if frozen is None:
        events.append(CriteriaFrozen(at, 1, criteria.hash, criteria.to_document(), None))
    published = TenderPublished(
        at,
        1,
        None,
        version.hash,
        version.document,
        version.concept_version,
        version.concept_sha256,
        frozen.version if frozen is not None else 1,
        criteria.hash,
    )
    events.append(published)
    await append_events(engine, tender.id, state, events, clock)
    return published


def next_publication(
    state: QualificationState, version: TenderVersion, notice: int, criteria_version: int, criteria_hash: str, at: int
) -> TenderPublished:
    published = state.published
    assert published is not None
    return TenderPublished(
        at,
        published.version + 1,
        notice,
        version.hash,
        version.document,
        version.concept_version,
        version.concept_sha256,
        criteria_version,
        criteria_hash,
    )


def store_version(tender_id: str, version: TenderVersion, source: Path, loaded_at: int) -> Write:
    """The tenders table follows the version in force, in the same transaction as the journal entry."""

    async def write(conn: AsyncConnection) -> None:
        await conn.execute(
            update(tenders)
            .where(tenders.c.id == tender_id)
            .values(
                title=version.tender.title,
                document=canonical_json(version.document),
                hash=version.hash,
                concept_hash=version.concept_sha256,
                source=str(source.resolve()),
                loaded_at=loaded_at,
            )
        )

    return write
