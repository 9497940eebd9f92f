"""Lay a report model out as terminal text: its terminal sections, tables padded by display width."""

from __future__ import annotations

import textwrap
import unicodedata

from ._model import Block, Cell, Figure, Items, Para, Quote, Report, Section, Span, Table, walk

_ANSI = {"met": "\033[32m", "missed": "\033[31m", "pending": "\033[33m", "not_assessable": "\033[90m"}
_RESET = "\033[0m"


def width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, columns: int) -> str:
    return text + " " * max(columns - width(text), 0)


def _plain(parts: tuple[str | Span, ...]) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in parts)


def _cell(cell: Cell) -> str:
    return cell.short if cell.short is not None else _plain(cell.parts)


def _table(table: Table, *, color: bool) -> list[str]:
    texts = [[_cell(c) for c in row] for row in table.rows]
    widths = [max([width(h), *(width(r[i]) for r in texts)]) + 2 for i, h in enumerate(table.columns)]
    lines = ["".join(_pad(h, w) for h, w in zip(table.columns, widths, strict=True)).rstrip()]
    for row, cells in zip(texts, table.rows, strict=True):
        out = ""
        for text, cell, w in zip(row, cells, widths, strict=True):
            padded = _pad(text, w)
            out += f"{_ANSI[cell.status]}{padded}{_RESET}" if color and cell.status in _ANSI else padded
        lines.append(out.rstrip())
    return lines


def _block(block: Block, *, color: bool) -> list[str]:
    if isinstance(block, Table):
        return _table(block, color=color)
    if isinstance(block, Para):
        return textwrap.wrap(_plain(block.parts), 110) or [""]
    if isinstance(block, Quote):
        return [f"  {block.text}"]
    if isinstance(block, Items):
        return [f"- {line}" for line in block.lines]
    if isinstance(block, Figure):
        return []
    raise TypeError(f"not a report block: {block!r}")  # pragma: no cover


def _shown(sections: list[Section]) -> list[Section]:
    """Return the terminal sections and their subsections (a document section hides its subsections too)."""
    return [s for top in sections if top.where != "document" for s in walk([top]) if s.where != "document"]


def render_terminal(report: Report, *, color: bool = False) -> str:
    """Render the report's terminal sections as text (ANSI colours for statuses if ``color``)."""
    lines = [report.terminal_title or report.title]
    for section in _shown(report.sections):
        lines.append("")
        if section.title:
            lines.append(f"{section.title}:")
        for k, block in enumerate(section.blocks):
            out = _block(block, color=color)
            if out and k and not isinstance(block, Items):
                lines.append("")
            lines += out
    return "\n".join(lines)
