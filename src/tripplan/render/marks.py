"""How tripplan recognises the booklets and host briefs it wrote, so that ``--out`` replaces
only those and never a file of someone else's.

Every booklet and brief carries a mark of its kind: an HTML ``<meta name="generator">``
tag, a first-line Markdown comment, or the PDF's keywords (its document information).
A host brief or booklet in JSON is recognised by its form (an object with its sections).
A calendar carries its ``PRODID`` (written by ``export.ics``).
"""

from __future__ import annotations

import json
import re
from typing import Literal

Kind = Literal["tripplan booklet", "tripplan host brief", "tripplan costs", "tripplan calendar"]
BOOKLET: Kind = "tripplan booklet"
BRIEF: Kind = "tripplan host brief"
COSTS: Kind = "tripplan costs"
CALENDAR: Kind = "tripplan calendar"
PRODID = "-//tripplan//tripplan itinerary export//EN"
"""The mark of a calendar tripplan wrote (its ``PRODID`` line, RFC 5545 §3.7.3)."""
_PRODID_LINE = re.compile(rb"(?m)^PRODID:" + re.escape(PRODID.encode()) + rb"\r?$")
COSTS_SCHEMA = "https://tripplan.invalid/schema/costs-1.json"

_JSON_KEYS: dict[str, set[str]] = {
    "tripplan host brief": {"version", "community", "movements", "days", "lodging"},
    "tripplan booklet": {"version", "audience", "paper", "days", "texts", "overview"},
}


def html_meta(kind: Kind) -> str:
    """The tag in the ``<head>`` of an HTML page of ``kind``."""
    return f'<meta name="generator" content="{kind}">'


def markdown_comment(kind: Kind) -> str:
    """The first line of a Markdown document of ``kind`` (invisible when rendered)."""
    return f"<!-- generator: {kind} -->"


def pdf_keywords(kind: Kind) -> str:
    """The keywords of a PDF of ``kind`` (Typst's ``document(keywords: ...)``)."""
    return kind


def is_ours(kind: Kind, data: bytes) -> bool:
    """Whether ``data`` (a file's bytes, or its first and last megabyte) is a ``kind`` that
    tripplan wrote."""
    head = data[:65536]
    if kind == COSTS:
        return _is_costs(data)
    if kind == CALENDAR:  # lines may be folded (a CRLF or LF and one space)
        unfolded = data[:4000].replace(b"\r\n ", b"").replace(b"\n ", b"")
        return _PRODID_LINE.search(unfolded) is not None
    if head.startswith(b"%PDF-"):
        return f"/Keywords({pdf_keywords(kind)})".encode() in data[-(1 << 20) :]
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text.startswith(markdown_comment(kind).encode()):
        return True
    if text[:15].lower().startswith(b"<!doctype html") or text[:5].lower() == b"<html":
        head_end = text.lower().find(b"</head>")
        return html_meta(kind).encode() in text[: head_end if head_end >= 0 else len(text)]
    if text.startswith(b"{"):
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):
            return False
        return isinstance(document, dict) and document.keys() >= _JSON_KEYS[kind]
    if kind == BRIEF:  # its text form: by its title, as render.brief writes it
        from tripplan.render.brief import brief_heads

        return text.startswith(brief_heads())
    return False


def _is_costs(data: bytes) -> bool:
    """A cost report tripplan wrote: its JSON (by ``$schema``), its workbook (by the
    keywords of its document properties), its CSV or its table (by how they begin)."""
    if data.startswith(b"PK"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                core = book.read("docProps/core.xml")
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False
        return f"<cp:keywords>{COSTS}</cp:keywords>".encode() in core
    text = data[:65536].lstrip(b"\xef\xbb\xbf")
    if text.lstrip().startswith(b"{"):
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):
            return False
        return isinstance(document, dict) and document.get("$schema") == COSTS_SCHEMA
    # A CSV carries no mark a spreadsheet would not show, so its header is its mark, and a
    # table its title: as render.costs writes them, in every language (read only here, as
    # render.costs reads its marks from this module).
    from tripplan.render.costs import report_heads

    return text.startswith(report_heads())
