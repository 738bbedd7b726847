"""Verifying a tender's qualification from its journal: chain, criteria, received files, verdicts, admission.

An auditor who trusts nothing re-derives the admission list: the hash chain must be intact; every frozen criteria
version must hash to what the journal says; every stored response file and document must hash to what was
recorded when it arrived; evaluating the stored responses again, with the decisions in the journal, on the
recorded evaluation date, must give the verdicts whose hash was recorded; and the admission list frozen in the
journal must follow from those verdicts and be the one the auctions were seated from. Once the tender is published,
every version must hash to its record and come with its notice, the database's tender must be the version in force,
and every live auction's recorded configuration must be exactly what that published version prescribes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.audit.replay import check_link
from auction.journal.hashing import GENESIS
from auction.rules.config import AuctionConfig
from auction.storage.db import auctions, documents, responses, tenders
from auction.storage.sql_journal import SqlJournal
from auction.tender.auction_rules import rules_from_tender
from auction.tender.file import Tender
from qualification.admission import admission_hash
from qualification.common.canonical import canonical_hash
from qualification.criteria import CriteriaSet
from qualification.evaluation import evaluate_all
from qualification.tender_journal import STREAM_PREFIX, QualificationState, decisions_until, fold, stream_for


@dataclass
class TenderAuditReport:
    tender_id: str
    entries_checked: int = 0
    problems: list[str] = field(default_factory=list)
    state: QualificationState | None = None
    # The same problems by what they break: "chain", "qualification", "publication", "auction_config", "seats"
    # (``auction check`` reports them by rule).
    by_check: dict[str, list[str]] = field(default_factory=dict)

    def problem(self, check: str, message: str) -> None:
        self.problems.append(message)
        self.by_check.setdefault(check, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        head = f"tender {self.tender_id}: {self.entries_checked} qualification entries checked"
        state = self.state
        if state is not None:
            head += f", criteria version {state.criteria_version}, {len(state.responses)} responses"
            head += f", {len(state.decisions)} decision(s), {len(state.notices)} notice(s)"
            if state.published is not None:
                head += f", published tender version {state.published.version}"
        out = [head]
        out.extend(f"  FAILED: {problem}" for problem in self.problems)
        if self.ok:
            frozen = "admission frozen" if state is not None and state.admission else "admission not frozen yet"
            out.append(f"  OK: hash chain intact, files as received, verdicts re-derived, {frozen}")
        return out


async def tender_streams(engine: AsyncEngine) -> list[str]:
    """The tenders that have a qualification journal."""
    streams = await SqlJournal(engine).streams()
    return [stream.removeprefix(STREAM_PREFIX) for stream in streams if stream.startswith(STREAM_PREFIX)]


async def verify_tender(engine: AsyncEngine, tender_id: str) -> TenderAuditReport:
    report = TenderAuditReport(tender_id)
    entries = await SqlJournal(engine).read(stream_for(tender_id))
    previous_hash, previous_time = GENESIS, 0
    for expected_seq, entry in enumerate(entries, start=1):
        problem = check_link(entry, expected_seq, previous_hash, previous_time)
        if problem is not None:
            report.problem("chain", f"entry #{entry.seq} ({entry.type}): {problem}")
            return report
        previous_hash, previous_time = entry.hash, entry.recorded_at
        report.entries_checked += 1
    try:
        state = fold([(entry.seq, entry.type, entry.payload) for entry in entries])
    except (TypeError, ValueError, KeyError) as exc:
        report.problem("qualification", f"the journal cannot be read back: {exc}")
        return report
    report.state = state
    _check_criteria(state, report)
    _check_publications(state, report)
    await _check_stored_tender(engine, tender_id, state, report)
    await _check_live_auctions(engine, tender_id, state, report)
    await _check_files(engine, tender_id, state, report)
    if not report.problems:
        await _check_verdicts(engine, tender_id, state, report)
    return report


def _check_criteria(state: QualificationState, report: TenderAuditReport) -> None:
    notices = {notice.number for notice in state.notices}
    for index, version in enumerate(state.criteria_versions, start=1):
        if version.version != index:
            report.problem("qualification", f"criteria version {version.version} out of order (expected {index})")
        if canonical_hash(version.criteria) != version.criteria_hash:
            report.problem("qualification", f"criteria version {version.version} does not hash to its recorded hash")
        if index > 1 and version.notice not in notices:
            report.problem(
                "qualification", f"criteria version {version.version} was not published by a clarification notice"
            )


def _check_publications(state: QualificationState, report: TenderAuditReport) -> None:
    """Each published version hashes to its recorded hash, versions count 1, 2, 3 …, and every version after the
    first came with the clarification notice it names."""
    notices = {notice.number for notice in state.notices}
    for index, version in enumerate(state.publications, start=1):
        if version.version != index:
            report.problem("publication", f"published tender version {version.version} out of order (expected {index})")
        if canonical_hash(version.tender) != version.tender_hash:
            report.problem(
                "publication", f"published tender version {version.version} does not hash to its recorded hash"
            )
        if index > 1 and version.notice not in notices:
            report.problem(
                "publication", f"published tender version {version.version} was not published by a clarification notice"
            )


async def _check_stored_tender(
    engine: AsyncEngine, tender_id: str, state: QualificationState, report: TenderAuditReport
) -> None:
    """The tender the database holds (which auctions are scheduled from) is the published version in force."""
    published = state.published
    if published is None:
        return
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                select(tenders.c.document, tenders.c.hash, tenders.c.concept_hash).where(tenders.c.id == tender_id)
            )
        ).first()
    if row is None:
        report.problem("publication", "the published tender is not stored")
        return
    if canonical_hash(json.loads(row.document)) != published.tender_hash or row.hash != published.tender_hash:
        report.problem(
            "publication",
            f"the stored tender is not the published version {published.version} (hash "
            f"{published.tender_hash[:12]}…): it was changed without a clarification notice",
        )
    if row.concept_hash != published.concept_contract_sha256:
        report.problem(
            "publication",
            f"the stored concept contract hash is not the published one (version "
            f"{published.concept_contract_version}, SHA-256 {published.concept_contract_sha256[:12]}…)",
        )


async def _check_live_auctions(
    engine: AsyncEngine, tender_id: str, state: QualificationState, report: TenderAuditReport
) -> None:
    """Each live auction's recorded configuration (its first journal entry) equals what the published tender in
    force when it was created prescribes for its lot, given its seats, opening and duration; the first difference
    is named. (Practice auctions may be compressed and are not compared.)"""
    if not state.publications:
        return
    async with engine.connect() as conn:
        live = [
            row.id
            for row in await conn.execute(
                select(auctions.c.id).where(auctions.c.tender_id == tender_id, auctions.c.kind == "live")
            )
        ]
    journal = SqlJournal(engine)
    for auction_id in sorted(live):
        entries = (await journal.read(auction_id))[:1]
        if not entries or entries[0].type != "AuctionCreated":
            report.problem("auction_config", f"{auction_id}: the journal does not begin with the auction's creation")
            continue
        created = entries[0]
        in_force = [p for p in state.publications if p.at <= created.recorded_at]
        if not in_force:
            report.problem("auction_config", f"{auction_id}: created before the tender was published")
            continue
        published = in_force[-1]
        try:
            recorded = AuctionConfig.from_dict(created.payload["config"])
            prescribed = rules_from_tender(
                Tender.model_validate(published.tender),
                recorded.lot_id,
                auction_id=recorded.auction_id,
                opens_at_ms=recorded.opens_at_ms,
                duration_s=recorded.duration_s,
                seats=recorded.seats,
                admission_hash=recorded.admission_hash,
                concept_contract_hash=published.concept_contract_sha256,
            )
        except (KeyError, TypeError, ValueError) as exc:
            report.problem(
                "auction_config", f"{auction_id}: its configuration cannot be compared with the tender: {exc}"
            )
            continue
        differing = [
            name
            for name in (f.name for f in dataclasses.fields(AuctionConfig))
            if getattr(recorded, name) != getattr(prescribed, name)
        ]
        if differing:
            first = differing[0]
            report.problem(
                "auction_config",
                f"{auction_id} (entry #1): its configuration is not what the published tender (version "
                f"{published.version}) prescribes: {first} is {getattr(recorded, first)!r}, the tender gives "
                f"{getattr(prescribed, first)!r}" + (f" (also: {', '.join(differing[1:])})" if differing[1:] else ""),
            )
        if state.admission is not None and {seat.bidder for seat in recorded.seats} != set(state.admission.admitted):
            report.problem(
                "seats",
                f"{auction_id}: its seats ({', '.join(sorted(s.bidder for s in recorded.seats))}) are not the "
                f"admitted suppliers ({', '.join(sorted(state.admission.admitted))})",
            )
        if state.admission is not None and recorded.admission_hash != state.admission.admission_hash:
            report.problem("seats", f"{auction_id}: its seats do not come from the frozen admission list")


async def _check_files(
    engine: AsyncEngine, tender_id: str, state: QualificationState, report: TenderAuditReport
) -> None:
    async with engine.connect() as conn:
        rows = {
            row.supplier_id: row
            for row in await conn.execute(select(responses).where(responses.c.tender_id == tender_id))
        }
        stored_docs = {
            (row.supplier_id, row.name): row
            for row in await conn.execute(select(documents).where(documents.c.tender_id == tender_id))
        }
    for supplier_id, imported in sorted(state.responses.items()):
        row = rows.get(supplier_id)
        if row is None:
            report.problem("qualification", f"{supplier_id}: the response recorded in the journal is not stored")
            continue
        if row.raw is None or hashlib.sha256(row.raw).hexdigest() != imported.file_sha256:
            report.problem("qualification", f"{supplier_id}: the stored response file is not the file received")
        if canonical_hash(json.loads(row.document)) != imported.response_hash:
            report.problem(
                "qualification", f"{supplier_id}: the stored response is not the one read when it was received"
            )
        for document in imported.documents:
            stored = stored_docs.get((supplier_id, document["name"]))
            if stored is None or hashlib.sha256(stored.content).hexdigest() != document["sha256"]:
                report.problem(
                    "qualification", f"{supplier_id}: document {document['name']!r} is not the document received"
                )
    for supplier_id in sorted(set(rows) - set(state.responses)):
        report.problem("qualification", f"{supplier_id}: a stored response that the journal never recorded")


async def _check_verdicts(
    engine: AsyncEngine, tender_id: str, state: QualificationState, report: TenderAuditReport
) -> None:
    from auction.steps.qualification import stored_responses, stored_verdicts, verdicts_hash

    evaluation = state.last_evaluation
    if evaluation is None:
        return
    version = next((v for v in state.criteria_versions if v.criteria_hash == evaluation.criteria_hash), None)
    if version is None:
        report.problem("qualification", "the last evaluation used criteria that were never frozen")
        return
    criteria = CriteriaSet.from_document(version.criteria)
    found = await stored_responses(engine, tender_id)
    try:
        again = evaluate_all(
            criteria,
            found,
            date.fromisoformat(evaluation.evaluated_on),
            decisions_until(state, state.last_evaluation_seq),
        )
    except Exception as exc:  # noqa: BLE001 - any failure to re-evaluate is itself the finding
        report.problem("qualification", f"the responses cannot be evaluated again: {exc}")
        return
    if verdicts_hash(again) != evaluation.verdicts_hash:
        report.problem("qualification", "evaluating the stored responses again does not give the recorded verdicts")
    stored = await stored_verdicts(engine, tender_id)
    if verdicts_hash(stored) != evaluation.verdicts_hash:
        report.problem("qualification", "the stored verdicts are not the ones recorded by the last evaluation")
    if state.admission is not None:
        if state.admission.verdicts_hash != evaluation.verdicts_hash:
            report.problem("qualification", "the admission list was frozen on other verdicts than the last evaluation")
        if admission_hash(again) != state.admission.admission_hash:
            report.problem(
                "qualification", "the frozen admission list does not follow from the responses and decisions"
            )
        async with engine.connect() as conn:
            current = (await conn.execute(select(tenders.c.admission_hash).where(tenders.c.id == tender_id))).scalar()
        if current != state.admission.admission_hash:
            report.problem("qualification", "the tender's admission hash is not the one frozen in the journal")
