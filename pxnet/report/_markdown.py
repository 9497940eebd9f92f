"""Lay a report model out as Markdown.

Text from the data is escaped twice over: ``<``, ``>`` and ``&`` become HTML entities (Markdown viewers pass
raw HTML through, so a place called ``<script>…`` must not become markup) and Markdown's own markup characters
get a backslash, so a name cannot open a link, an emphasis or a table cell.
"""

from __future__ import annotations

import html

from ._model import Block, Cell, Figure, Items, Para, Quote, Report, Section, Span, Table, render_inline

_MARKUP = str.maketrans({c: f"\\{c}" for c in "\\`*[]"})


def escape(text: str) -> str:
    """Plain text made safe for Markdown: no raw HTML, no Markdown markup."""
    return html.escape(text, quote=False).translate(_MARKUP)


# Code spans keep their text (a backtick inside would end the span early); emphasis is escaped text.
_STYLED = {"code": lambda t: f"`{t.replace('`', 'ʼ')}`", "em": lambda t: f"*{escape(t)}*"}


def _inline(parts: tuple[str | Span, ...]) -> str:
    return render_inline(parts, escape, _STYLED)


def _cell(cell: Cell) -> str:
    return _inline(cell.parts).replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> str:
    head = "| " + " | ".join(escape(c).replace("|", "\\|") for c in table.columns) + " |"
    rows = ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join([head, "|" + "---|" * len(table.columns), *rows])


def _block(block: Block, figures: dict[str, str]) -> str | None:
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Para):
        return _inline(block.parts)
    if isinstance(block, Quote):
        return "> " + escape(block.text)
    if isinstance(block, Items):
        return "\n".join(f"- {escape(line)}" for line in block.lines)
    if isinstance(block, Figure):
        if block.key not in figures:
            return None
        image = f"![{escape(block.alt)}]({figures[block.key].replace(' ', '%20').replace(')', '%29')})"
        return image + (f"\n\n*{escape(block.caption)}*" if block.caption else "")
    raise TypeError(f"not a report block: {block!r}")  # pragma: no cover


def _section(section: Section, figures: dict[str, str]) -> list[str]:
    if section.where == "terminal":
        return []
    out = []
    for block in section.blocks:
        text = _block(block, figures)
        if text is not None:
            out += [text, ""]
    for sub in section.subsections:
        out += _section(sub, figures)
    # A section with nothing to show (the maps of a report written without figures) is left out.
    return [f"{'#' * section.level} {escape(section.title)}", "", *out] if out else []


def render_markdown(report: Report, figures: dict[str, str]) -> str:
    """Render the report's document sections as Markdown; ``figures`` maps figure keys to relative paths."""
    parts = [f"# {escape(report.title)}", "", escape(report.byline), ""]
    for section in report.sections:
        parts += _section(section, figures)
    return "\n".join(parts).rstrip("\n") + "\n"
