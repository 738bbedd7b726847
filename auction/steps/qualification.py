"""The organiser's qualification steps, over the database and the tender's journal.

Order (each step refuses to run out of order and says what must come first):

    tender load → responses open (criteria frozen, version 1) → questions / clarification notices (a notice may
    publish criteria version 2, 3 …) → responses load → qualify → review / override → admission freeze
    → schedule auctions → invite.

Every decision is an event in the tender's hash-chained journal (``qualification.tender_journal``); the tables
hold content (criteria, response files, documents, verdicts) that the journal's hashes pin down.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from auction.clock import Clock, system_clock
from auction.documents.clarification_notice import render_notice_html, render_notice_markdown
from auction.journal.port import Recordable
from auction.steps.tender_publication import (
    TenderVersion,
    changes_in_words,
    check_concept_version,
    differs,
    next_publication,
    store_version,
)
from auction.steps.tender_stream import (
    append_events,
    current_criteria,
    find_tender,
    refuse_after_admission,
    tender_state,
)
from auction.storage.db import auctions, documents, responses, tenders, verdicts
from qualification import clarification
from qualification.admission import admission_hash, admission_list
from qualification.common.canonical import canonical_hash, canonical_json
from qualification.common.errors import InputError, NotFound, StepOutOfOrder
from qualification.criteria import CriteriaSet
from qualification.criteria_file import load_criteria
from qualification.evaluation import Progress, Verdict, evaluate_all
from qualification.importing import ImportedResponse, import_responses
from qualification.responses import AttachedDocument, SupplierResponse
from qualification.tender_journal import (
    AdmissionFrozen,
    CriteriaFrozen,
    FindingDecided,
    NoticeIssued,
    QualificationEvaluated,
    QualificationState,
    QuestionAnswered,
    QuestionRecorded,
    ResponseImported,
    decisions_until,
)

MIN_JUSTIFICATION = 15
"""A justification shorter than this cannot explain a decision to an excluded supplier or a judge."""


# ------------------------------------------------------------------------------------------------ journal


async def _has_auctions(engine: AsyncEngine, tender_id: str) -> bool:
    async with engine.connect() as conn:
        return (await conn.execute(select(auctions.c.id).where(auctions.c.tender_id == tender_id))).first() is not None


# ------------------------------------------------------------------------------------------------ criteria


async def check_criteria_unchanged(engine: AsyncEngine, tender_id: str, criteria: CriteriaSet) -> None:
    """Refuse a reloaded tender whose criteria differ from the frozen version (only a notice may change them)."""
    state = await tender_state(engine, tender_id)
    frozen = state.criteria
    if frozen is not None and frozen.criteria_hash != criteria.hash:
        raise StepOutOfOrder(
            f"the criteria of tender {tender_id} are frozen at version {frozen.version} (hash"
            f" {frozen.criteria_hash[:12]}…) since responses opened; publish a change in a clarification notice:"
            " `auction clarify issue --criteria FILE`"
        )


async def open_responses(engine: AsyncEngine, tender_id: str | None, clock: Clock = system_clock) -> CriteriaFrozen:
    """Freeze the criteria as version 1: from now on suppliers answer these, and they change only by notice."""
    tender = await find_tender(engine, tender_id)
    state = await tender_state(engine, tender.id)
    if state.criteria is not None:
        raise StepOutOfOrder(f"responses are already open (criteria version {state.criteria.version})")
    criteria = await current_criteria(engine, tender.id, state)
    event = CriteriaFrozen(clock(), 1, criteria.hash, criteria.to_document(), None)
    await append_events(engine, tender.id, state, [event], clock)
    return event


async def _ensure_open(engine: AsyncEngine, tender_id: str, clock: Clock) -> QualificationState:
    state = await tender_state(engine, tender_id)
    if state.criteria is None:
        await open_responses(engine, tender_id, clock)
        state = await tender_state(engine, tender_id)
    return state


# ------------------------------------------------------------------------------------------------ responses


@dataclass(frozen=True)
class ImportReport:
    imported: list[ImportedResponse]
    criteria_version: int
    opened_now: bool  # the criteria were frozen by this import
    late_reason: str | None = None  # after the response deadline: the accepted reason journaled with the responses


async def load_response_files(
    engine: AsyncEngine,
    tender_id: str | None,
    paths: list[Path],
    clock: Clock = system_clock,
    documents_dir: Path | None = None,
    late_reason: str | None = None,
) -> ImportReport:
    """Check and store supplier responses (JSON, XLSX, CSV) and their documents. One bad file stores none.

    Opens responses (freezing the criteria) if that was not done yet. A supplier's new response replaces its
    earlier one until qualification is frozen. Each response is stamped with the server's time of the load; after
    the published response deadline (``[timeline] responses_until``) a load is refused unless the organiser gives
    ``late_reason``, which is journaled with every response of the load.
    """
    tender = await find_tender(engine, tender_id)
    if not paths:
        raise InputError("responses", "no files given")
    state = await tender_state(engine, tender.id)
    opened_now = state.criteria is None
    refuse_after_admission(state, "responses")
    if await _has_auctions(engine, tender.id):
        raise StepOutOfOrder("auctions exist for this tender: responses can no longer be added or changed")
    now = clock()
    reason = check_response_deadline(tender.timeline.responses_until if tender.timeline else None, now, late_reason)
    criteria = await current_criteria(engine, tender.id, state)
    version = state.criteria_version or 1
    # Import first: a refused file must not freeze the criteria. The freeze, if due, goes in with the responses.
    loaded = import_responses(
        paths, criteria, tender_id=tender.id, criteria_version=version, documents_dir=documents_dir
    )

    async def store(conn: AsyncConnection) -> None:
        for one in loaded:
            response = one.response
            mine = (responses.c.tender_id == tender.id) & (responses.c.supplier_id == response.supplier.id)
            await conn.execute(responses.delete().where(mine))
            await conn.execute(
                documents.delete().where(
                    (documents.c.tender_id == tender.id) & (documents.c.supplier_id == response.supplier.id)
                )
            )
            await conn.execute(
                responses.insert().values(
                    tender_id=tender.id,
                    supplier_id=response.supplier.id,
                    supplier_name=response.supplier.name,
                    document=canonical_json(response.document),
                    hash=canonical_hash(response.document),
                    source=response.source,
                    loaded_at=now,
                    raw=one.raw,
                )
            )
            for document in response.documents:
                await conn.execute(
                    documents.insert().values(
                        tender_id=tender.id,
                        supplier_id=response.supplier.id,
                        name=document.name,
                        sha256=document.sha256,
                        size=document.size,
                        content=one.contents[document.name],
                    )
                )

    events: list[Recordable] = (
        [CriteriaFrozen(now, 1, criteria.hash, criteria.to_document(), None)] if opened_now else []
    )
    events += [
        ResponseImported(
            now,
            one.response.supplier.id,
            one.format,
            Path(one.response.source).name,
            one.file_sha256,
            canonical_hash(one.response.document),
            version,
            [document.model_dump() for document in one.response.documents],
            list(one.missing_documents),
            reason,
        )
        for one in loaded
    ]
    await append_events(engine, tender.id, state, events, clock, store)
    return ImportReport(loaded, version, opened_now, reason)


def check_response_deadline(deadline: datetime | None, now_ms: int, late_reason: str | None) -> str | None:
    """The reason to journal with a load at ``now_ms`` (server time): None when on time, the organiser's accepted
    reason when late. A late load without a reason, or a reason for a load on time, is refused."""
    text = None if late_reason is None else " ".join(late_reason.split())
    if deadline is None or now_ms <= int(deadline.timestamp() * 1000):
        if text is not None:
            shown = (
                "the tender publishes no response deadline"
                if deadline is None
                else (f"the response deadline {deadline.isoformat()} has not passed")
            )
            raise InputError("--late-reason", f"{shown}: this load is on time and needs no reason; leave it out")
        return None
    now = datetime.fromtimestamp(now_ms / 1000, tz=deadline.tzinfo).isoformat(timespec="seconds")
    if text is None:
        raise StepOutOfOrder(
            f"the response deadline was {deadline.isoformat()} (timeline → responses_until) and it is now {now}"
            " (server time): a late response is loaded only with the organiser's accepted reason, which is"
            " journaled with it: `auction responses load FILES… --late-reason TEXT`"
        )
    if len(text) < MIN_JUSTIFICATION:
        raise InputError(
            "--late-reason",
            f"a reason of at least {MIN_JUSTIFICATION} characters is required: it must explain to the other suppliers"
            " and to a judge why a response after the deadline of " + deadline.isoformat() + " was accepted",
        )
    return text


async def stored_responses(engine: AsyncEngine, tender_id: str) -> list[SupplierResponse]:
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(responses).where(responses.c.tender_id == tender_id).order_by(responses.c.supplier_id)
            )
        ).all()
        attached: dict[str, list[AttachedDocument]] = {}
        for doc in await conn.execute(
            select(documents.c.supplier_id, documents.c.name, documents.c.sha256, documents.c.size)
            .where(documents.c.tender_id == tender_id)
            .order_by(documents.c.supplier_id, documents.c.name)
        ):
            attached.setdefault(doc.supplier_id, []).append(
                AttachedDocument(name=doc.name, sha256=doc.sha256, size=doc.size)
            )
    found = []
    for row in rows:
        document = json.loads(row.document)
        found.append(
            SupplierResponse.model_validate(
                {
                    **document,
                    "source": row.source,
                    "document": document,
                    "documents": attached.get(row.supplier_id, []),
                }
            )
        )
    return found


async def supplier_names(engine: AsyncEngine, tender_id: str) -> dict[str, str]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(responses.c.supplier_id, responses.c.supplier_name).where(responses.c.tender_id == tender_id)
        )
        return {r[0]: r[1] for r in rows}


# ------------------------------------------------------------------------------------------------ evaluation


def verdicts_hash(results: Sequence[Verdict]) -> str:
    return canonical_hash([verdict.to_dict() for verdict in results])


async def qualify(
    engine: AsyncEngine,
    tender_id: str | None,
    today: date,
    clock: Clock = system_clock,
    progress: Progress | None = None,
) -> list[Verdict]:
    """Evaluate every stored response against the frozen criteria, with the organiser's decisions so far.

    Stores the verdicts and records the evaluation (date, criteria version, hash of the verdicts) in the journal.
    ``progress(done, total)`` is called as responses are evaluated.
    """
    tender = await find_tender(engine, tender_id)
    state = await tender_state(engine, tender.id)
    refuse_after_admission(state, "the verdicts")
    criteria = await current_criteria(engine, tender.id, state)
    found = await stored_responses(engine, tender.id)
    if not found:
        raise StepOutOfOrder("no responses loaded yet: run `auction responses load FILE…` first")
    results = evaluate_all(criteria, found, today, decisions_until(state), progress=progress)
    digest = verdicts_hash(results)
    evaluated_at = clock()

    async def store(conn: AsyncConnection) -> None:
        await conn.execute(verdicts.delete().where(verdicts.c.tender_id == tender.id))
        await conn.execute(
            verdicts.insert(),
            [
                {
                    "tender_id": tender.id,
                    "supplier_id": verdict.supplier_id,
                    "admitted": verdict.admitted,
                    "verdict": canonical_json(verdict.to_dict()),
                    "evaluated_at": evaluated_at,
                }
                for verdict in results
            ],
        )

    counts = {status: sum(v.status == status for v in results) for status in ("admitted", "excluded", "pending_review")}
    event = QualificationEvaluated(
        clock(),
        today.isoformat(),
        state.criteria_version,
        criteria.hash,
        digest,
        counts["admitted"],
        counts["excluded"],
        counts["pending_review"],
    )
    await append_events(engine, tender.id, state, [event], clock, store)
    return results


async def stored_verdicts(engine: AsyncEngine, tender_id: str) -> list[Verdict]:
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(verdicts.c.verdict).where(verdicts.c.tender_id == tender_id).order_by(verdicts.c.supplier_id)
            )
        ).all()
    return [Verdict.from_dict(json.loads(r[0])) for r in rows]


async def decide(
    engine: AsyncEngine,
    tender_id: str | None,
    supplier_id: str,
    criterion_id: str,
    outcome: str,
    justification: str,
    *,
    override: bool,
    clock: Clock = system_clock,
) -> Verdict:
    """Resolve a "needs review" finding (``override=False``) or override a finding, with a justification.

    Recorded in the journal, then the supplier's verdict is evaluated again with the decision in force.
    """
    tender = await find_tender(engine, tender_id)
    state = await tender_state(engine, tender.id)
    refuse_after_admission(state, "findings")
    if outcome not in ("pass", "fail"):
        raise InputError("outcome", f"must be pass or fail, got {outcome!r}")
    text = " ".join(justification.split())
    if len(text) < MIN_JUSTIFICATION:
        raise InputError(
            "--justification",
            f"a written justification of at least {MIN_JUSTIFICATION} characters is required: it must explain the"
            " decision to the supplier and to a judge",
        )
    if state.last_evaluation is None:
        raise StepOutOfOrder("the responses have not been qualified yet: run `auction qualify` first")
    current = {verdict.supplier_id: verdict for verdict in await stored_verdicts(engine, tender.id)}
    verdict = current.get(supplier_id)
    if verdict is None:
        raise NotFound(f"no verdict for supplier {supplier_id!r} (suppliers: {', '.join(sorted(current))})")
    finding = verdict.finding(criterion_id)
    if finding is None:
        raise NotFound(f"criterion {criterion_id!r} is not among the tender's criteria")
    if not override and finding.outcome != "needs_review":
        raise StepOutOfOrder(
            f"{supplier_id}/{criterion_id} does not need review (it is {finding.outcome});"
            " to change it, use `auction override` with a justification"
        )
    if override and finding.outcome == outcome:
        raise StepOutOfOrder(f"{supplier_id}/{criterion_id} is already {outcome}")
    event = FindingDecided(
        clock(), supplier_id, criterion_id, "override" if override else "review", outcome, finding.outcome, text
    )
    await append_events(engine, tender.id, state, [event], clock)
    today = date.fromisoformat(state.last_evaluation.evaluated_on)
    results = await qualify(engine, tender.id, today, clock)
    return next(v for v in results if v.supplier_id == supplier_id)


async def freeze_admission(engine: AsyncEngine, tender_id: str | None, clock: Clock = system_clock) -> AdmissionFrozen:
    """Freeze the admission list: from now on only these suppliers can be invited; its hash enters every auction."""
    tender = await find_tender(engine, tender_id)
    state = await tender_state(engine, tender.id)
    refuse_after_admission(state, "the admission list")
    if state.last_evaluation is None:
        raise StepOutOfOrder("the responses have not been qualified yet: run `auction qualify` first")
    results = await stored_verdicts(engine, tender.id)
    if verdicts_hash(results) != state.last_evaluation.verdicts_hash:
        raise StepOutOfOrder(
            "the stored verdicts do not match the last evaluation in the journal: run `auction qualify`"
        )
    if state.criteria is None or state.last_evaluation.criteria_hash != state.criteria.criteria_hash:
        raise StepOutOfOrder("the criteria changed since the last evaluation: run `auction qualify` again")
    if state.last_response_seq > state.last_evaluation_seq or state.last_decision_seq > state.last_evaluation_seq:
        raise StepOutOfOrder(
            "responses or decisions were recorded after the last evaluation: run `auction qualify` again"
        )
    open_reviews = [f"{v.supplier_id}/{f.criterion_id}" for v in results for f in v.open_reviews]
    if open_reviews:
        shown = ", ".join(open_reviews[:10]) + (" …" if len(open_reviews) > 10 else "")
        raise StepOutOfOrder(
            f"{len(open_reviews)} finding(s) still need review: {shown}; resolve each with `auction review`"
        )
    digest = admission_hash(results)
    event = AdmissionFrozen(
        clock(),
        digest,
        [entry["id"] for entry in admission_list(results)],
        sorted(v.supplier_id for v in results if not v.admitted),
        state.last_evaluation.verdicts_hash,
        state.last_evaluation.evaluated_on,
    )

    async def store(conn: AsyncConnection) -> None:
        await conn.execute(update(tenders).where(tenders.c.id == tender.id).values(admission_hash=digest))

    await append_events(engine, tender.id, state, [event], clock, store)
    return event


# ------------------------------------------------------------------------------------------------ clarification


async def record_question(
    engine: AsyncEngine,
    tender_id: str | None,
    supplier_id: str,
    supplier_name: str,
    text: str,
    received_at: datetime,
    criterion_id: str | None = None,
    clock: Clock = system_clock,
) -> int:
    """Record a supplier's question with the moment it was received; refused after the question deadline."""
    tender = await find_tender(engine, tender_id)
    if tender.qualification.questions_until is None:
        raise StepOutOfOrder("the tender sets no question deadline: add [qualification] questions_until")
    now = datetime.fromtimestamp(clock() / 1000).astimezone()
    try:
        clarification.check_question_deadline(received_at, tender.qualification.questions_until, now)
    except ValueError as exc:
        raise InputError("--received", str(exc)) from None
    if not text.strip():
        raise InputError("question", "the question is empty")
    state = await tender_state(engine, tender.id)
    refuse_after_admission(state, "questions")
    if criterion_id is not None:
        criteria = await current_criteria(engine, tender.id, state)
        if criterion_id not in criteria:
            raise InputError("--criterion", f"no criterion {criterion_id!r} in the tender's criteria")
    number = len(state.questions) + 1
    event = QuestionRecorded(
        clock(),
        number,
        supplier_id,
        supplier_name,
        received_at.isoformat(timespec="minutes"),
        text.strip(),
        criterion_id,
    )
    await append_events(engine, tender.id, state, [event], clock)
    return number


async def answer_question(
    engine: AsyncEngine, tender_id: str | None, number: int, answer: str, clock: Clock = system_clock
) -> None:
    tender = await find_tender(engine, tender_id)
    state = await tender_state(engine, tender.id)
    refuse_after_admission(state, "answers")
    question = state.questions.get(number)
    if question is None:
        raise NotFound(
            f"no question {number} (questions: 1–{len(state.questions)})" if state.questions else "no questions"
        )
    if question.notice is not None:
        raise StepOutOfOrder(f"question {number} was published in notice {question.notice}; answers there are final")
    if not answer.strip():
        raise InputError("answer", "the answer is empty")
    await append_events(engine, tender.id, state, [QuestionAnswered(clock(), number, answer.strip())], clock)


@dataclass(frozen=True)
class IssuedNotice:
    number: int
    markdown: Path
    html: Path
    questions: int
    held_back: int
    criteria_version: int | None
    tender_version: int | None = None  # the version of the published tender this notice brought into force


async def issue_notice(
    engine: AsyncEngine,
    tender_id: str | None,
    out_dir: Path,
    issued_on: date,
    criteria_path: Path | None = None,
    clock: Clock = system_clock,
    tender_path: Path | None = None,
) -> IssuedNotice:
    """Issue the next clarification notice: answered questions, anonymised, and any criteria change.

    With ``criteria_path`` the notice publishes a new version of the criteria, which is frozen with it. With
    ``tender_path`` it publishes a new version of the published tender (the file's differences, in words).
    """
    tender = await find_tender(engine, tender_id)
    state = await _ensure_open(engine, tender.id, clock)
    refuse_after_admission(state, "the criteria and notices")
    old = await current_criteria(engine, tender.id, state)
    new: CriteriaSet | None = load_criteria(criteria_path) if criteria_path is not None else None
    changes: tuple[str, ...] = ()
    if new is not None:
        if new.hash == old.hash:
            raise InputError(
                str(criteria_path), "these criteria are the same as the frozen version; nothing to publish"
            )
        changes = clarification.describe_criteria_changes(old.to_document()["criteria"], new.to_document()["criteria"])
    tender_version: TenderVersion | None = None
    tender_changes: tuple[str, ...] = ()
    if tender_path is not None:
        if state.published is None:
            raise StepOutOfOrder(
                f"tender {tender.id} is not published yet: reload the file with `auction tender load`, then "
                "`auction tender publish`"
            )
        tender_version = TenderVersion.from_file(tender_path)
        if tender_version.tender.id != tender.id:
            raise InputError(str(tender_path), f"this is tender {tender_version.tender.id!r}, not {tender.id!r}")
        if not differs(state.published, tender_version):
            raise InputError(str(tender_path), "this tender is the same as the published version; nothing to publish")
        check_concept_version(state.published, tender_version, str(tender_path))
        tender_changes = changes_in_words(state.published, tender_version, "nl")
    pending = [q for q in state.questions.values() if q.notice is None]
    number = len(state.notices) + 1
    version = state.criteria_version + 1 if new is not None else None
    questions = tuple(
        clarification.Question(
            number=q.number,
            supplier_id=q.supplier_id,
            received_at=datetime.fromisoformat(q.received_at),
            text=q.text,
            criterion_id=q.criterion_id,
            answer=q.answer,
            answered_at=None if q.answered_at is None else _moment(q.answered_at),
        )
        for q in pending
    )
    earlier = [
        clarification.Notice.model_construct(  # the journal keeps no notice content; next_notice reads only these
            number=n.number,
            issued_on=date.fromisoformat(n.issued_on),
            tender_id=tender.id,
            tender_title=tender.title,
            organiser=tender.organiser,
        )
        for n in state.notices
    ]
    try:
        result = clarification.next_notice(
            questions,
            changes,
            earlier=earlier,
            issued_on=issued_on,
            tender_id=tender.id,
            tender_title=tender.title,
            organiser=tender.organiser,
            identities=await _identities(engine, tender.id, state),
            criteria_version=version,
            criteria_hash=new.hash if new is not None else None,
            tender_changes=tender_changes,
            tender_version=state.published.version + 1 if tender_version and state.published else None,
            tender_hash=tender_version.hash if tender_version is not None else None,
        )
    except ValueError as exc:
        raise StepOutOfOrder(str(exc)) from None
    notice = result.notice
    published = [q for q in pending if q.answer is not None]
    markdown = render_notice_markdown(notice)
    html = render_notice_html(notice)
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path = out_dir / f"nota-van-inlichtingen-{number}.md"
    html_path = out_dir / f"nota-van-inlichtingen-{number}.html"
    md_path.write_text(markdown, encoding="utf-8")
    html_path.write_text(html, encoding="utf-8")
    at = clock()
    events: list[Recordable] = [
        NoticeIssued(
            at,
            number,
            issued_on.isoformat(),
            [q.number for q in published],
            text_sha256(markdown),
            text_sha256(html),
            version,
            new.hash if new is not None else None,
        )
    ]
    if new is not None and version is not None:
        events.append(CriteriaFrozen(at, version, new.hash, new.to_document(), number))
    write = None
    if tender_version is not None and tender_path is not None:
        in_force = new if new is not None else old
        criteria_version = version if version is not None else state.criteria_version
        events.append(next_publication(state, tender_version, number, criteria_version, in_force.hash, at))
        write = store_version(tender.id, tender_version, tender_path, at)
    await append_events(engine, tender.id, state, events, clock, write)
    return IssuedNotice(
        number,
        md_path,
        html_path,
        len(published),
        len(pending) - len(published),
        version,
        notice.tender_version,
    )


def text_sha256(text: str) -> str:
    """SHA-256 of a document's text as written (UTF-8), e.g. a clarification notice."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000).astimezone()


async def _identities(engine: AsyncEngine, tender_id: str, state: QualificationState) -> dict[str, list[str]]:
    """Everything that identifies each known supplier: askers' id and name, and responders' full record."""
    known: dict[str, set[str]] = {}
    for q in state.questions.values():
        known.setdefault(q.supplier_id, set()).update(
            clarification.identities_of(supplier_id=q.supplier_id, name=q.supplier_name)
        )
    for response in await stored_responses(engine, tender_id):
        known.setdefault(response.supplier.id, set()).update(clarification.supplier_identities(response.supplier))
    return {supplier_id: sorted(items) for supplier_id, items in known.items()}
