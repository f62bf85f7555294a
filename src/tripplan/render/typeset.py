"""Typst, the typesetter of every PDF tripplan writes: escaping text for its markup, and
one way to compile (its own embedded fonts only, a fixed timestamp: the same bytes on any
machine)."""

from __future__ import annotations


def typst_text(text: str) -> str:
    """Text for Typst markup, every special character escaped."""
    special = "\\#*_`$<>@[]=-+/~\"'"
    return "".join("\\" + c if c in special else c for c in text)


def typst_pdf(source: str, mark: str | None = None) -> bytes:
    """Typst markup typeset as PDF; ``mark`` (``render.marks.pdf_keywords``) goes into the
    document's keywords, by which tripplan recognises the file as its own."""
    import typst

    if mark is not None:
        source = f'#set document(keywords: ("{mark}",))\n' + source
    pdf: bytes = typst.compile(source.encode("utf-8"), ignore_system_fonts=True, timestamp=0)
    return pdf
