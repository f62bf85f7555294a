"""Characters that reorder, hide or split text, named once for every medium.

``render.escape`` makes them inert in what tripplan shows (U+FFFD); ``edit`` writes them as
escapes (``\\u202E``) into a plan file, so that the file shows what it holds (a reviewer
reading a diff sees no reordered line: Trojan Source, CVE-2021-42574).
"""

from __future__ import annotations

C1 = [*range(0x80, 0xA0)]
"""The C1 control characters (U+0080–U+009F): no text shows them."""

C0_C1 = [*range(0x00, 0x20), 0x7F, *C1]
"""Control characters (C0, DEL and C1)."""

BIDI = [
    *range(0x202A, 0x202F),  # embeddings and overrides (LRE RLE PDF LRO RLO)
    *range(0x2066, 0x206A),  # isolates (LRI RLI FSI PDI)
    0x200E,  # left-to-right mark
    0x200F,  # right-to-left mark
    0x061C,  # Arabic letter mark
]
"""Bidirectional controls: they reorder what a reader sees (Trojan Source)."""

INVISIBLE = [
    *range(0x200B, 0x200E),  # zero-width space, non-joiner, joiner
    *range(0x2060, 0x2065),  # word joiner, invisible operators
    0xFEFF,  # zero-width no-break space (byte order mark)
    0x180E,  # Mongolian vowel separator
    0x2028,  # line separator
    0x2029,  # paragraph separator
    *range(0xE0000, 0xE0080),  # tag characters (invisible ASCII)
]
"""Zero-width and invisible characters, and Unicode line breaks: they hide or split text."""

NONCHARACTERS = [
    *range(0xFDD0, 0xFDF0),
    *(plane + last for plane in range(0, 0x110000, 0x10000) for last in (0xFFFE, 0xFFFF)),
]
"""Unicode noncharacters (U+FDD0–U+FDEF, U+FFFE and U+FFFF of every plane): never meant
for interchange; XML (a workbook, an SVG) cannot carry U+FFFE and U+FFFF at all."""

ESCAPED = [*C1, *BIDI, *INVISIBLE]
"""What a text file tripplan writes carries as an escape, never raw (a JSON document, a value
written into a plan): C0 controls the formats escape themselves, these they would not."""
