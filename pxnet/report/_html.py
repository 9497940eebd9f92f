"""Lay a report model out as one HTML page; every piece of text is escaped, figures are relative links."""

from __future__ import annotations

import html

from ..goals import STATUSES
from ._fonts import FAMILY, font_face
from ._model import Block, Cell, Figure, Items, Para, Quote, Report, Section, Span, Table, render_inline

_CSS = " ".join(
    [
        f"body{{font-family:'{FAMILY}','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;",
        "max-width:1100px;margin:2em auto;padding:0 1em;color:#222}",
        "table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:.9em}",
        "td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}th{background:#f3f3f3}",
        "blockquote{border-left:4px solid #999;margin:.5em 0;padding:.2em .8em;color:#444}img{max-width:100%}",
        "figure{margin:1em 0}figcaption{color:#555;font-size:.9em}",
        ".met{color:#2e7d32}.missed{color:#c62828}.pending{color:#b58500}.not_assessable{color:#777}",
    ]
)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


_STYLED = {"code": lambda t: f"<code>{_esc(t)}</code>", "em": lambda t: f"<em>{_esc(t)}</em>"}


def _inline(parts: tuple[str | Span, ...]) -> str:
    return render_inline(parts, _esc, _STYLED)


def _cell(cell: Cell) -> str:
    # The class is one of the fixed statuses, never text from the data.
    css = f" class='{cell.status}'" if cell.status in STATUSES else ""
    return f"<td{css}>{_inline(cell.parts)}</td>"


def _block(block: Block, figures: dict[str, str]) -> str:
    if isinstance(block, Table):
        head = "".join(f"<th>{_esc(c)}</th>" for c in block.columns)
        rows = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in block.rows)
        return f"<table><tr>{head}</tr>{rows}</table>"
    if isinstance(block, Para):
        return f"<p>{_inline(block.parts)}</p>"
    if isinstance(block, Quote):
        return f"<blockquote>{_esc(block.text)}</blockquote>"
    if isinstance(block, Items):
        return "<ul>" + "".join(f"<li>{_esc(line)}</li>" for line in block.lines) + "</ul>"
    if isinstance(block, Figure):
        if block.key not in figures:
            return ""
        image = f"<img src='{_esc(figures[block.key])}' alt='{_esc(block.alt)}'>"
        if not block.caption:
            return image
        return f"<figure>{image}<figcaption>{_esc(block.caption)}</figcaption></figure>"
    raise TypeError(f"not a report block: {block!r}")  # pragma: no cover


def _section(section: Section, figures: dict[str, str]) -> list[str]:
    if section.where == "terminal":
        return []
    out = [text for text in (_block(b, figures) for b in section.blocks) if text]
    for sub in section.subsections:
        out += _section(sub, figures)
    # A section with nothing to show (the maps of a report written without figures) is left out.
    return [f"<h{section.level}>{_esc(section.title)}</h{section.level}>", *out] if out else []


def render_html(report: Report, figures: dict[str, str], *, embed_font: bool = True) -> str:
    """Render the report's document sections as one HTML page.

    ``embed_font`` embeds the CJK glyphs the page uses (``_fonts``), so it renders without system fonts.
    """
    body = [f"<h1>{_esc(report.title)}</h1>", f"<p>{_esc(report.byline)}</p>"]
    for section in report.sections:
        body += _section(section, figures)
    text = "\n".join(body)
    face = font_face(html.unescape(text)) if embed_font else ""
    lang = "zh-CN" if report.lang == "zh" else "en"
    head = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
        f"<title>{_esc(report.title)}</title>",
        f"<style>{face}{_CSS}</style></head><body>",
    ]
    return "\n".join([*head, text, "</body></html>"])
