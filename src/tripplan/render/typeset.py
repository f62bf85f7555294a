"""Typst, the typesetter of every PDF tripplan writes, run one way only: a template shipped
with tripplan (``render/templates/*.typ``) reads the document to print as JSON from the
compiler's inputs (``sys.inputs.data``) and places its strings as text. No text of a plan is
ever written into Typst markup, code or an SVG string, so no plan can make Typst do anything.

The compiler's root is the template folder: it holds the templates and nothing else, so
neither the current folder nor the plan's folder is readable. Fonts are Typst's own embedded
ones (no system fonts) and the timestamp is fixed: the same bytes on any machine."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tripplan.errors import UsageError
from tripplan.messages import Number, msg

TEMPLATES = Path(__file__).parent / "templates"

MAX_CHARACTERS = 1_000_000
"""The most text one PDF is typeset from. Typst's memory grows with the text it lays out
(about 330 MB more per million characters of a booklet): this keeps a run under 500 MB. A
longer document is refused before anything is typeset, with the numbers."""


def printable(text: str) -> str:
    """Text as it is printed: lone surrogates (a JSON plan can hold them) and control, bidi
    and invisible characters become U+FFFD (render.escape.inert); line breaks are kept."""
    from tripplan.render.escape import inert

    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return inert(text, keep_newlines=True)


def _printable_data(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {printable(str(k)): _printable_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_printable_data(v) for v in value]
    return value


def _characters(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(_characters(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_characters(v) for v in value)
    return 0


def typeset(template: str, data: Mapping[str, Any], mark: str = "") -> bytes:
    """The PDF of ``template`` (a file of :data:`TEMPLATES`) given ``data`` (JSON values);
    ``mark`` (``render.marks.pdf_keywords``) goes into the document's keywords, by which
    tripplan recognises the file as its own. Raises :class:`UsageError` for a document of
    more than :data:`MAX_CHARACTERS`."""
    import typst

    count = _characters(data)
    if count > MAX_CHARACTERS:
        raise UsageError(
            msg(
                "this PDF would hold {count} characters of text; tripplan typesets at most "
                "{limit} in one PDF (about 500 MB of memory): shorten the notes, narrow it "
                "with --trip, or write HTML with --format html",
                count=Number(count),
                limit=Number(MAX_CHARACTERS),
            )
        )
    source = TEMPLATES / template
    text = json.dumps(_printable_data(data), ensure_ascii=True)
    pdf: bytes = typst.compile(
        str(source),
        root=str(TEMPLATES),
        sys_inputs={"data": text, "mark": mark},
        ignore_system_fonts=True,
        timestamp=0,
    )
    return pdf


def typeset_pages(template: str, data: Mapping[str, Any], ppi: float = 80) -> list[bytes]:
    """Each page of ``template`` given ``data`` as PNG (the README's pictures)."""
    import typst

    pages = typst.compile(
        str(TEMPLATES / template),
        root=str(TEMPLATES),
        sys_inputs={"data": json.dumps(_printable_data(data), ensure_ascii=True)},
        ignore_system_fonts=True,
        timestamp=0,
        format="png",
        ppi=ppi,
    )
    return pages if isinstance(pages, list) else [pages]
