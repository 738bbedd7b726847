"""The clarification notice ("nota van inlichtingen") as suppliers read it: Markdown and HTML, in Dutch.

The notice itself (its questions, anonymised, and the changes it publishes) is made by
:func:`qualification.clarification.next_notice`; this renders it. The same notice always renders to the same
bytes, so the SHA-256 of both files in the tender's journal (``NoticeIssued``) pins what was published.
"""

from __future__ import annotations

import re

from auction.documents.blocks import Block, Bullets, Code, Facts, Heading, Paragraph, Strong, Text, text
from auction.documents.blocks import render_html as render_html_page
from auction.documents.blocks import render_markdown as render_markdown_page
from qualification.clarification import MARKER, Notice, Question, anonymise
from qualification.common.language import day

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def notice_title(notice: Notice) -> str:
    return f"Nota van inlichtingen {notice.number}"


def _paragraphs(value: str) -> list[str]:
    """Text split at blank lines; line breaks within a paragraph become spaces when rendered."""
    return [part.strip() for part in _PARAGRAPH_BREAK.split(value) if part.strip()]


def _question_blocks(question: Question) -> list[Block]:
    # Belt and braces: the published wording is anonymised already; the asker's id never shows in any case.
    hide = (question.supplier_id,)
    heading: Text = (f"Vraag {question.number}",)
    if question.criterion_id is not None:
        heading = text(heading, f" (criterium {question.criterion_id})")
    blocks: list[Block] = [Heading(3, heading)]
    blocks.extend(Paragraph((part,)) for part in _paragraphs(anonymise(question.text, hide)))
    answer = _paragraphs(anonymise(question.answer or "", hide))
    blocks.append(Paragraph(text(Strong("Antwoord:"), f" {answer[0]}" if answer else "")))
    blocks.extend(Paragraph((part,)) for part in answer[1:])
    return blocks


def _notice_blocks(notice: Notice) -> list[Block]:
    blocks: list[Block] = [
        Facts(
            (
                ("Aanbesteding", (notice.tender_title,)),
                ("Kenmerk", (notice.tender_id,)),
                ("Uitgegeven door", (notice.organiser,)),
                ("Datum", (day(notice.issued_on, "nl"),)),
            )
        ),
        Paragraph(
            (
                f"Deze nota van inlichtingen maakt deel uit van de aanbestedingsstukken van {notice.tender_title}. "
                "Bij tegenstrijdigheid gaat deze nota voor op de eerder gepubliceerde aanbestedingsstukken en gaat "
                "een latere nota voor op een eerdere.",
            )
        ),
        Paragraph(
            (
                "De vragen worden geanonimiseerd gepubliceerd: gegevens waaraan de vragensteller te herkennen is, "
                f"zijn vervangen door {MARKER}. De vragen zijn genummerd in de volgorde van ontvangst.",
            )
        ),
    ]
    if notice.questions:
        blocks.append(Heading(2, ("Vragen en antwoorden",)))
        for question in notice.questions:
            blocks.extend(_question_blocks(question))
    if notice.tender_changes:
        blocks.append(Heading(2, ("Wijzigingen in de aanbestedingsstukken",)))
        blocks.append(Bullets(tuple((sentence,) for sentence in notice.tender_changes)))
        blocks.append(
            Paragraph(
                (
                    f"Vanaf deze nota geldt versie {notice.tender_version} van de gepubliceerde aanbesteding; zij "
                    "vervangt de eerder gepubliceerde versie. Met de hash hieronder controleert u dat u de geldende "
                    "versie gebruikt.",
                )
            )
        )
        blocks.append(
            Facts(
                (
                    ("Versie van de aanbesteding", (str(notice.tender_version),)),
                    ("Hash van de aanbesteding (SHA-256)", (Code(notice.tender_hash or ""),)),
                )
            )
        )
    if notice.criteria_changes:
        blocks.append(Heading(2, ("Wijzigingen in de criteria",)))
        blocks.append(Bullets(tuple((sentence,) for sentence in notice.criteria_changes)))
        blocks.append(
            Paragraph(
                (
                    f"Vanaf deze nota gelden de criteria in versie {notice.criteria_version}; zij vervangen de "
                    "eerder gepubliceerde criteria. Met de hash hieronder controleert u dat u de geldende versie "
                    "gebruikt.",
                )
            )
        )
        blocks.append(
            Facts(
                (
                    ("Versie van de criteria", (str(notice.criteria_version),)),
                    ("Hash van de criteria (SHA-256)", (Code(notice.criteria_hash or ""),)),
                )
            )
        )
    return blocks


def render_notice_markdown(notice: Notice) -> str:
    """The notice as Markdown (CommonMark), in Dutch; every text from data is escaped, the same notice gives the
    same bytes."""
    return render_markdown_page(notice_title(notice), _notice_blocks(notice))


def render_notice_html(notice: Notice) -> str:
    """The notice as a standalone HTML page (``lang="nl"``, inline style, no scripts); every text from data is
    escaped with :func:`html.escape`, the same notice gives the same bytes."""
    return render_html_page(notice_title(notice), _notice_blocks(notice), "nl")
