"""The qualification commands of the ``auction`` CLI: responses, clarification, qualify, review, admission.

Added to the main group by :mod:`auction.cli.main`; see docs/cli.md and docs/qualification.md.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from auction.cli.context import Context, fail, pass_context

TENDER_OPTION = click.option("--tender", "tender_id", help="Tender id (when several are loaded).")


def _console() -> Console:
    # Piped output (a log, a test) gets a wide fixed width, so tables are not squeezed to 80 columns.
    return Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


# ------------------------------------------------------------------------------------------------ responses


@click.group()
def responses() -> None:
    """Open responses (freeze the criteria), hand out workbooks, load the suppliers' responses."""


@responses.command("open")
@TENDER_OPTION
@click.option("--out", type=click.Path(path_type=Path), help="Also write the blank workbook and CSV template here.")
@pass_context
def responses_open(ctx: Context, tender_id: str | None, out: Path | None) -> None:
    """Freeze the criteria as version 1; from now on they change only through a clarification notice."""
    from auction.steps.qualification import open_responses

    frozen = ctx.run(lambda engine: open_responses(engine, tender_id))
    click.echo(f"responses open: criteria version {frozen.version} frozen (hash {frozen.criteria_hash[:16]}…)")
    if out is not None:
        for path in _write_forms(ctx, tender_id, out):
            click.echo(f"  wrote {path}")


def _write_forms(ctx: Context, tender_id: str | None, out: Path) -> list[Path]:
    from auction.steps.tender_stream import current_criteria, tender_state
    from auction.storage.tenders import get_tender
    from qualification.csv_response import write_csv_template
    from qualification.workbook import write_workbook

    async def gather(engine: Any) -> tuple[Any, Any, int]:
        tender = await get_tender(engine, tender_id)
        state = await tender_state(engine, tender.id)
        if state.criteria is None:
            from qualification.common.errors import StepOutOfOrder

            raise StepOutOfOrder("responses are not open yet: run `auction responses open` first")
        return tender, await current_criteria(engine, tender.id), state.criteria_version

    tender, criteria, version = ctx.run(gather)
    out.mkdir(parents=True, exist_ok=True)
    workbook = out / f"antwoordformulier-{tender.id}-v{version}.xlsx"
    template = out / f"antwoordformulier-{tender.id}-v{version}.csv"
    write_workbook(
        workbook,
        criteria,
        tender_id=tender.id,
        tender_title=tender.title,
        criteria_version=version,
        criteria_hash=criteria.hash,
    )
    write_csv_template(template, criteria, tender.id)
    return [workbook, template]


@responses.command("forms")
@TENDER_OPTION
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder for the workbook and template.")
@pass_context
def responses_forms(ctx: Context, tender_id: str | None, out: Path) -> None:
    """Write the blank response workbook (XLSX) and CSV template for the current criteria version."""
    for path in _write_forms(ctx, tender_id, out):
        click.echo(f"wrote {path}")


@responses.command("load")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@TENDER_OPTION
@click.option(
    "--documents",
    "documents_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder the answers' document names are relative to (default: each response file's folder).",
)
@click.option(
    "--late-reason",
    metavar="TEXT",
    help="After the published response deadline: the accepted reason to load these responses anyway (journaled).",
)
@pass_context
def responses_load(
    ctx: Context, files: tuple[Path, ...], tender_id: str | None, documents_dir: Path | None, late_reason: str | None
) -> None:
    """Load responses: JSON, the response workbook (XLSX) or CSV, with their documents. One bad file loads none.

    Each response is stamped with the server's time; after the tender's published response deadline the load is
    refused unless --late-reason gives the organiser's accepted reason."""
    from auction.steps.qualification import load_response_files

    report = ctx.run(
        lambda engine: load_response_files(
            engine, tender_id, list(files), documents_dir=documents_dir, late_reason=late_reason
        )
    )
    if report.late_reason is not None:
        click.echo(f"late: loaded after the response deadline; reason on record: {report.late_reason}")
    if report.opened_now:
        click.echo(f"responses opened: criteria version {report.criteria_version} frozen")
    for one in report.imported:
        supplier = one.response.supplier
        received = len(one.response.documents)
        click.echo(f"  {supplier.id:<24} {supplier.name}  ({one.format}, {received} document(s))")
        for name in one.missing_required:
            click.secho(
                f"      ! required document named but not received: {name} (the finding needs review)", fg="yellow"
            )
        others = len(one.missing_documents) - len(one.missing_required)
        if others:
            click.echo(f"      {others} other document(s) named but not received (not required; on record)")
    click.echo(f"{len(report.imported)} responses loaded")


# ------------------------------------------------------------------------------------------------ qualify


@click.command()
@TENDER_OPTION
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Evaluation date (default: today).")
@pass_context
def qualify(ctx: Context, tender_id: str | None, on: Any) -> None:
    """Evaluate every response: findings per criterion, admitted / excluded / pending review, quality score."""
    from auction.steps.qualification import qualify as run_qualify

    today = on.date() if on else date.today()
    console = _console()
    columns = (TextColumn("evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("evaluating", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        results = ctx.run(lambda engine: run_qualify(engine, tender_id, today, progress=progress))
    table = Table(title=f"Qualification on {today}", title_justify="left")
    for name, justify in (
        ("supplier", "left"),
        ("name", "left"),
        ("status", "left"),
        ("knock-outs failed", "left"),
        ("to review", "right"),
        ("quality", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    styles = {"admitted": "green", "excluded": "red", "pending_review": "yellow"}
    for verdict in results:
        failed = ", ".join(f.criterion_id for f in verdict.failures) or "–"
        score = "–" if verdict.quality_score is None else f"{verdict.quality_score}"
        status = f"[{styles[verdict.status]}]{verdict.status.replace('_', ' ')}[/]"
        table.add_row(verdict.supplier_id, verdict.supplier_name, status, failed, str(len(verdict.open_reviews)), score)
    console.print(table)
    counts = {s: sum(v.status == s for v in results) for s in styles}
    console.print(
        f"{counts['admitted']} admitted, {counts['excluded']} excluded, {counts['pending_review']} pending review"
        f" (evaluated on {today})"
    )
    for verdict in results:
        for finding in verdict.failures:
            console.print(f"  ✗ {verdict.supplier_id} {finding.criterion_id}: {finding.reason_en}", markup=False)
    if counts["pending_review"]:
        console.print("next: `auction review list`, then `auction review decide …` for each")


# ------------------------------------------------------------------------------------------------ review


@click.group()
def review() -> None:
    """Findings that need the organiser's review: list them and decide each, with a justification."""


@review.command("list")
@TENDER_OPTION
@pass_context
def review_list(ctx: Context, tender_id: str | None) -> None:
    """Every open "needs review" finding, with the reason."""
    from auction.steps.qualification import stored_verdicts
    from auction.storage.tenders import get_tender

    async def load(engine: Any) -> list[Any]:
        tender = await get_tender(engine, tender_id)
        return await stored_verdicts(engine, tender.id)

    found = [(v, f) for v in ctx.run(load) for f in v.open_reviews]
    for verdict, finding in found:
        click.echo(f"{verdict.supplier_id} {finding.criterion_id}: {finding.reason_en}")
    click.echo(f"{len(found)} finding(s) need review")


def _decide(
    ctx: Context,
    tender_id: str | None,
    supplier: str,
    criterion: str,
    outcome: str | None,
    justification: str,
    *,
    override: bool,
) -> None:
    from auction.steps.qualification import decide

    if outcome is None:
        fail("say --pass or --fail")

    verdict = ctx.run(
        lambda engine: decide(engine, tender_id, supplier, criterion, outcome, justification, override=override)
    )
    click.echo(f"recorded: {supplier} {criterion} → {outcome}; {supplier} is now {verdict.status.replace('_', ' ')}")


OUTCOME = click.option("--pass", "outcome", flag_value="pass", help="The finding passes.")
OUTCOME_FAIL = click.option("--fail", "outcome", flag_value="fail", help="The finding fails.")
JUSTIFICATION = click.option(
    "--justification", required=True, help="Why (written out: it is in the journal, the report and the letter)."
)


@review.command("decide")
@click.argument("supplier")
@click.argument("criterion")
@OUTCOME
@OUTCOME_FAIL
@JUSTIFICATION
@TENDER_OPTION
@pass_context
def review_decide(
    ctx: Context, supplier: str, criterion: str, outcome: str | None, justification: str, tender_id: str | None
) -> None:
    """Resolve a "needs review" finding as --pass or --fail, with a written justification."""
    _decide(ctx, tender_id, supplier, criterion, outcome, justification, override=False)


@click.command()
@click.argument("supplier")
@click.argument("criterion")
@OUTCOME
@OUTCOME_FAIL
@JUSTIFICATION
@TENDER_OPTION
@pass_context
def override(
    ctx: Context, supplier: str, criterion: str, outcome: str | None, justification: str, tender_id: str | None
) -> None:
    """Override a finding (pass ↔ fail), with a written justification; the rules' own outcome stays on record."""
    _decide(ctx, tender_id, supplier, criterion, outcome, justification, override=True)


# ------------------------------------------------------------------------------------------------ admission


@click.group()
def admission() -> None:
    """The admission list: freeze it before inviting anyone."""


@admission.command("freeze")
@TENDER_OPTION
@pass_context
def admission_freeze(ctx: Context, tender_id: str | None) -> None:
    """Freeze the admission list; refused while any finding needs review. Its hash enters every auction."""
    from auction.steps.qualification import freeze_admission

    frozen = ctx.run(lambda engine: freeze_admission(engine, tender_id))
    click.echo(f"admission frozen: {len(frozen.admitted)} admitted, {len(frozen.excluded)} excluded")
    click.echo(f"  admitted: {', '.join(frozen.admitted) or '–'}")
    click.echo(f"  hash:     {frozen.admission_hash}")


# ------------------------------------------------------------------------------------------------ clarification


@click.group()
def clarify() -> None:
    """The clarification round (nota van inlichtingen): questions, answers, numbered notices."""


@clarify.command("ask")
@click.argument("text")
@click.option("--supplier", required=True, help="Id of the supplier asking (never published).")
@click.option("--name", "supplier_name", required=True, help="The supplier's name (removed from the notice).")
@click.option("--received", required=True, help="When the question arrived, ISO 8601 with offset.")
@click.option("--criterion", help="The criterion the question is about.")
@TENDER_OPTION
@pass_context
def clarify_ask(
    ctx: Context,
    text: str,
    supplier: str,
    supplier_name: str,
    received: str,
    criterion: str | None,
    tender_id: str | None,
) -> None:
    """Record a supplier's question; refused after the tender's question deadline."""
    from auction.steps.qualification import record_question

    try:
        received_at = datetime.fromisoformat(received)
    except ValueError:
        fail(f"--received: expected a time like 2026-06-12T10:30+02:00, got {received!r}")
    if received_at.tzinfo is None:
        fail(f"--received: give the offset too, e.g. {received}+02:00")
    number = ctx.run(
        lambda engine: record_question(engine, tender_id, supplier, supplier_name, text, received_at, criterion)
    )
    click.echo(f"question {number} recorded")


@clarify.command("answer")
@click.argument("number", type=int)
@click.argument("text")
@TENDER_OPTION
@pass_context
def clarify_answer(ctx: Context, number: int, text: str, tender_id: str | None) -> None:
    """Answer question NUMBER (until it is published in a notice)."""
    from auction.steps.qualification import answer_question

    ctx.run(lambda engine: answer_question(engine, tender_id, number, text))
    click.echo(f"question {number} answered")


@clarify.command("list")
@TENDER_OPTION
@pass_context
def clarify_list(ctx: Context, tender_id: str | None) -> None:
    """The questions so far, with their state."""
    from auction.steps.tender_stream import tender_state
    from auction.storage.tenders import get_tender

    async def load(engine: Any) -> Any:
        return await tender_state(engine, (await get_tender(engine, tender_id)).id)

    state = ctx.run(load)
    for q in state.questions.values():
        where = f"notice {q.notice}" if q.notice else ("answered" if q.answer else "open")
        click.echo(f"{q.number:>3}  {q.received_at}  {q.supplier_id:<20} [{where}] {q.text}")
    click.echo(f"{len(state.questions)} question(s); {len(state.notices)} notice(s) issued")


@clarify.command("issue")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder for the notice (MD and HTML).")
@click.option("--criteria", "criteria_path", type=click.Path(path_type=Path), help="Publish these changed criteria.")
@click.option(
    "--tender-file",
    "tender_path",
    type=click.Path(path_type=Path),
    help="Publish this changed tender file (lots, lines, rules, dates, concept contract): its next version.",
)
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Date of the notice (default: today).")
@TENDER_OPTION
@pass_context
def clarify_issue(
    ctx: Context, out: Path, criteria_path: Path | None, tender_path: Path | None, on: Any, tender_id: str | None
) -> None:
    """Issue the next numbered notice: every answered question, anonymised, and any change of the criteria or of
    the published tender, each stated in words."""
    from auction.steps.qualification import issue_notice

    issued_on = on.date() if on else date.today()
    notice = ctx.run(
        lambda engine: issue_notice(engine, tender_id, out, issued_on, criteria_path, tender_path=tender_path)
    )
    click.echo(f"nota van inlichtingen {notice.number}: {notice.questions} question(s)")
    if notice.criteria_version is not None:
        click.echo(f"  criteria version {notice.criteria_version} frozen and published")
    if notice.tender_version is not None:
        click.echo(f"  tender version {notice.tender_version} published")
    if notice.held_back:
        click.echo(f"  {notice.held_back} unanswered question(s) held for a later notice")
    click.echo(f"  wrote {notice.markdown}\n  wrote {notice.html}")


# ------------------------------------------------------------------------------------------------ reports


@click.group()
def report() -> None:
    """Reports for the file and for the suppliers."""


@report.command("qualification")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="Folder for the report and letters.")
@TENDER_OPTION
@pass_context
def report_qualification(ctx: Context, out: Path, tender_id: str | None) -> None:
    """The qualification report (MD, HTML), all findings (CSV) and a letter per supplier (Dutch and English)."""
    from auction.steps.qualification_reports import write_qualification_reports

    written = ctx.run(lambda engine: write_qualification_reports(engine, tender_id, out))
    for path in written:
        click.echo(f"wrote {path}")


COMMANDS: tuple[click.Command, ...] = (responses, qualify, review, override, admission, clarify, report)
