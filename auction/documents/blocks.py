"""The structure every document is built from, and its two renderings: Markdown and a self-contained HTML page.

A document is a title and a list of blocks (heading, paragraph, lines, facts, bullets, table); a block's text
is a tuple of inline pieces: plain text, :class:`Strong` or :class:`Code`. Both renderers walk the same blocks,
so the Markdown and the HTML of a document always say the same thing.

All text is data to the renderers: every piece is escaped (HTML entities; Markdown backslash escapes), so a
name like ``A&B <Voeding> "BV"`` reads as written and never becomes markup. Whitespace inside a piece (a
newline in an organiser's reason) collapses to single spaces, so data cannot break a block's layout.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Code:
    text: str


Inline = str | Strong | Code
Text = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int  # 2 or 3; level 1 is the document's title
    text: Text


@dataclass(frozen=True)
class Paragraph:
    text: Text


@dataclass(frozen=True)
class Lines:
    """Lines kept apart without a blank line between them (an address, a signature)."""

    lines: tuple[Text, ...]


@dataclass(frozen=True)
class Facts:
    """Label–value pairs (a letter's heading, the data of a lot)."""

    rows: tuple[tuple[str, Text], ...]


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Column:
    title: str
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Text, ...], ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"a table row has {len(row)} cells for {len(self.columns)} columns")


Block = Heading | Paragraph | Lines | Facts | Bullets | Table


def text(*pieces: Inline | Sequence[Inline]) -> Text:
    """Flatten pieces and tuples of pieces into one :data:`Text`."""
    out: list[Inline] = []
    for piece in pieces:
        if isinstance(piece, str | Strong | Code):
            out.append(piece)
        else:
            out.extend(piece)
    return tuple(out)


_SPACE = re.compile(r"\s+")


def _flat(value: str) -> str:
    return _SPACE.sub(" ", value)


# ---------------------------------------------------------------------------------------------------- Markdown

# Characters that could start markup anywhere in a line (CommonMark + GFM tables and strikethrough). Any ASCII
# punctuation may be backslash-escaped in CommonMark, and the escape shows as the character itself.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#!])")
# At the start of a line these would make a list item, a rule or a setext heading ("#" and ">" are always escaped).
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d{1,9}(?=[.)](?:\s|$)))")


def _md_escape(value: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _flat(value))


def _md_code(value: str) -> str:
    value = _flat(value)
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _md_inline(piece: Inline) -> str:
    if isinstance(piece, Strong):
        inner = _md_escape(piece.text).strip()
        return f"**{inner}**" if inner else ""
    if isinstance(piece, Code):
        return _md_code(piece.text)
    return _md_escape(piece)


def _md_text(value: Text) -> str:
    """Inline text that does not start a line (a table cell, a fact's value)."""
    return "".join(_md_inline(piece) for piece in value).strip()


def _md_line(value: Text) -> str:
    """Inline text that starts a line of its own: a list marker at its start is escaped."""
    return _MD_LINE_START.sub(_escape_marker, _md_text(value))


def _escape_marker(match: re.Match[str]) -> str:
    # "1. …", "- …" or "> …" at the start of a line would make a list or a quote: escape the marker.
    indent, marker = match.group(1), match.group(2)
    return indent + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def _md_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {_md_text(block.text)}"
    if isinstance(block, Paragraph):
        return _md_line(block.text)
    if isinstance(block, Lines):
        return "\\\n".join(_md_line(line) for line in block.lines)
    if isinstance(block, Facts):
        return "\\\n".join(f"**{_md_escape(label)}:** {_md_text(value)}" for label, value in block.rows)
    if isinstance(block, Bullets):
        return "\n".join(f"- {_md_line(item)}" for item in block.items)
    head = "| " + " | ".join(_md_escape(c.title) for c in block.columns) + " |"
    rule = "| " + " | ".join("---:" if c.align == "right" else "---" for c in block.columns) + " |"
    body = ["| " + " | ".join(_md_text(cell) for cell in row) + " |" for row in block.rows]
    return "\n".join([head, rule, *body])


def render_markdown(title: str, blocks: Sequence[Block]) -> str:
    """The document as CommonMark (with GFM tables), ending in one newline."""
    parts = [f"# {_md_text((title,))}", *(_md_block(block) for block in blocks)]
    return "\n\n".join(parts) + "\n"


# -------------------------------------------------------------------------------------------------------- HTML


def _h(value: str) -> str:
    return html.escape(_flat(value), quote=True)


def _html_inline(piece: Inline) -> str:
    if isinstance(piece, Strong):
        return f"<strong>{_h(piece.text)}</strong>"
    if isinstance(piece, Code):
        return f"<code>{_h(piece.text)}</code>"
    return _h(piece)


def _html_text(value: Text) -> str:
    return "".join(_html_inline(piece) for piece in value).strip()


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_html_text(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        return f"<p>{_html_text(block.text)}</p>"
    if isinstance(block, Lines):
        return '<p class="lines">' + "<br>\n".join(_html_text(line) for line in block.lines) + "</p>"
    if isinstance(block, Facts):
        rows = "\n".join(
            f'<tr><th scope="row">{_h(label)}</th><td>{_html_text(value)}</td></tr>' for label, value in block.rows
        )
        return f'<table class="facts">\n<tbody>\n{rows}\n</tbody>\n</table>'
    if isinstance(block, Bullets):
        items = "\n".join(f"<li>{_html_text(item)}</li>" for item in block.items)
        return f"<ul>\n{items}\n</ul>"
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c.align == "right" else ""}>{_h(c.title)}</th>' for c in block.columns)
    body = "\n".join(
        "<tr>"
        + "".join(
            f"<td{num if c.align == 'right' else ''}>{_html_text(cell)}</td>"
            for c, cell in zip(block.columns, row, strict=True)
        )
        + "</tr>"
        for row in block.rows
    )
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


STYLE = """\
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1b1b1b;
  font: 11pt/1.5 "Segoe UI", "Helvetica Neue", Helvetica, Arial, sans-serif; }
main { max-width: 50rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.55rem; line-height: 1.25; margin: 0 0 1.2rem; padding-bottom: .4rem;
  color: #17406b; border-bottom: 2px solid #17406b; }
h2 { font-size: 1.2rem; margin: 1.8rem 0 .5rem; color: #17406b; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .4rem; }
p { margin: .5rem 0; }
p.lines { margin: .8rem 0; }
ul { margin: .4rem 0 .8rem; padding-left: 1.4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95em; }
th, td { border: 1px solid #c5ced8; padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { background: #edf1f5; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.facts { width: auto; }
table.facts th, table.facts td { border: 0; padding: .1rem 1.2rem .1rem 0; }
table.facts th { font-weight: 600; white-space: nowrap; }
code { font-family: ui-monospace, "Cascadia Mono", Consolas, "Liberation Mono", monospace; font-size: .88em;
  overflow-wrap: anywhere; }
@page { margin: 2cm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; margin: 0; padding: 0; }
  h1, h2, h3 { break-after: avoid; }
  tr, p.lines { break-inside: avoid; }
  thead th { background: none; }
}
"""


def render_html(title: str, blocks: Sequence[Block], language: str) -> str:
    """A complete HTML page: doctype, ``lang``, charset, inline CSS, no external assets, no scripts."""
    body = "\n".join(_html_block(block) for block in blocks)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_h(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(title)}</title>\n"
        f"<style>\n{STYLE}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"<h1>{_h(title)}</h1>\n"
        f"{body}\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
