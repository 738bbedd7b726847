"""``auction check``: every machine-checkable rule of the procedure, each with its source and its evidence.

The replay proves that each journal is intact and that each auction followed its own recorded settings; this turns
those proofs, and what they rest on, into the rules a supplier, an insurer or a court holds the procurement to
(docs/compliance.md lists every rule, its source and how it is checked). Each rule gives ``pass``, ``warning``
(the rule cannot be shown to hold, or holds only partly) or ``fail``, with the evidence: entry numbers, versions,
auction ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from auction.audit.tender_audit import TenderAuditReport, verify_tender
from auction.audit.verify import AuditReport, verify_auction
from auction.storage.db import auctions

Status = Literal["pass", "warning", "fail"]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    source: str


@dataclass(frozen=True)
class Finding:
    rule: Rule
    status: Status
    evidence: str


PUBLISHED = Rule(
    "published-tender-binding",
    "The published tender binds: it changed only through numbered clarification notices, and the tender in force "
    "is the published version",
    "good faith, Hof Den Haag 9-2-2016 ECLI:NL:GHDHA:2016:1875; Dir. 2014/24/EU art. 35(4), Annex VI",
)
AUCTIONS_PUBLISHED = Rule(
    "auctions-run-published-rules",
    "Every live auction runs exactly the published auction rules (format, decrements, closing, anti-sniping, "
    "visibility, standstill)",
    "Dir. 2014/24/EU art. 35(4) and Annex VI (a)-(f); the tender's own published rules",
)
SEATS = Rule(
    "only-admitted-bidders",
    "Only suppliers on the frozen admission list have a seat, and the admission follows from the verdicts",
    "Dir. 2014/24/EU art. 35(4)-(5): only admissible tenderers are invited; the tender's qualification rules",
)
OWN_RANK = Rule(
    "own-rank-visible",
    "Each bidder can see its own relative rank at all times",
    "Dir. 2014/24/EU art. 35(7), first subparagraph",
)
REPLAY = Rule(
    "auction-outcome-proven",
    "Each auction's journal replays: bids within the rules, closing as announced, the standstill respected, the "
    "award following from the bids, signed by the server",
    "Dir. 2014/24/EU art. 35(8)-(9); the tender's award rules",
)
RULES = (PUBLISHED, AUCTIONS_PUBLISHED, SEATS, OWN_RANK, REPLAY)


async def check_tender(engine: AsyncEngine, tender_id: str) -> list[Finding]:
    """Every rule of :data:`RULES` for one tender and its auctions, in that order."""
    tender = await verify_tender(engine, tender_id)
    async with engine.connect() as conn:
        ids = [
            row.id
            for row in await conn.execute(
                select(auctions.c.id).where(auctions.c.tender_id == tender_id).order_by(auctions.c.id)
            )
        ]
    return findings(tender, [await verify_auction(engine, auction_id) for auction_id in ids])


def findings(tender: TenderAuditReport, reports: list[AuditReport]) -> list[Finding]:
    """The rules judged from audits already made: the tender's and each of its auctions' (``replay --verify``
    has made them, so it does not replay every journal a second time)."""
    return [
        _published(tender),
        _auctions_published(tender, reports),
        _seats(tender),
        _own_rank(reports),
        _replayed(tender, reports),
    ]


def _failed(rule: Rule, problems: list[str]) -> Finding:
    return Finding(rule, "fail", "; ".join(problems))


def _published(tender: TenderAuditReport) -> Finding:
    state = tender.state
    if "chain" in tender.by_check or state is None:
        return _failed(PUBLISHED, tender.by_check.get("chain", ["the tender's journal cannot be read"]))
    if "publication" in tender.by_check:
        return _failed(PUBLISHED, tender.by_check["publication"])
    if state.published is None:
        return Finding(
            PUBLISHED, "warning", "the tender was never published (`auction tender publish`): nothing binds it"
        )
    versions = ", ".join(
        f"version {p.version}" + (f" by notice {p.notice}" if p.notice else " published") for p in state.publications
    )
    return Finding(PUBLISHED, "pass", f"{versions}; the stored tender is version {state.published.version}")


def _auctions_published(tender: TenderAuditReport, reports: list[AuditReport]) -> Finding:
    if "auction_config" in tender.by_check:
        return _failed(AUCTIONS_PUBLISHED, tender.by_check["auction_config"])
    state = tender.state
    live = [r.auction_id for r in reports if r.replay.state.config is not None and not r.replay.state.config.practice]
    if state is None or state.published is None:
        return Finding(AUCTIONS_PUBLISHED, "warning", "no published tender to compare the auctions with")
    if not live:
        return Finding(AUCTIONS_PUBLISHED, "pass", "no live auction yet")
    return Finding(AUCTIONS_PUBLISHED, "pass", f"{', '.join(live)}: configuration equals the published tender")


def _seats(tender: TenderAuditReport) -> Finding:
    problems = tender.by_check.get("seats", []) + tender.by_check.get("qualification", [])
    if problems:
        return _failed(SEATS, problems)
    state = tender.state
    if state is None or state.admission is None:
        return Finding(SEATS, "warning", "the admission list is not frozen yet")
    return Finding(
        SEATS,
        "pass",
        f"admission {state.admission.admission_hash[:12]}… re-derived from the verdicts: "
        f"{len(state.admission.admitted)} admitted, {len(state.admission.excluded)} excluded",
    )


def _own_rank(reports: list[AuditReport]) -> Finding:
    sealed, staged = [], []
    for report in reports:
        cfg = report.replay.state.config
        if cfg is None:
            continue
        if cfg.sealed:
            sealed.append(report.auction_id)
        elif cfg.format == "rounds":
            staged.append(report.auction_id)
    if sealed:
        return Finding(OWN_RANK, "fail", f"{', '.join(sealed)}: sealed (bidders see no rank)")
    if staged:
        return Finding(
            OWN_RANK,
            "warning",
            f"{', '.join(staged)}: fixed-turn rounds show no rank during the sealed initial-offer stage",
        )
    return Finding(OWN_RANK, "pass", f"{len(reports)} auction(s): every bidder's state carries its rank")


def _replayed(tender: TenderAuditReport, reports: list[AuditReport]) -> Finding:
    problems = [f"{r.auction_id}: {p}" for r in reports for p in r.problems]
    if problems:
        return _failed(REPLAY, problems)
    if not reports:
        return Finding(REPLAY, "warning", "no auction yet")
    signed = sum(r.replay.signatures_checked for r in reports)
    return Finding(REPLAY, "pass", f"{len(reports)} auction journal(s) replayed, {signed} server signature(s) valid")


def table(tender_id: str, findings: list[Finding]) -> list[str]:
    """The findings as the CLI prints them: one block per rule."""
    lines = [f"tender {tender_id}: {len(findings)} rules checked"]
    for finding in findings:
        lines.append(f"  {finding.status.upper():<8} {finding.rule.id}: {finding.rule.title}")
        lines.append(f"           source: {finding.rule.source}")
        lines.append(f"           evidence: {finding.evidence}")
    return lines
