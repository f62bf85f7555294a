"""Plan text made inert for each medium tripplan writes: one function per medium.

Plan text is data, never code. Whatever a plan says (a title, a name, a note), every output
places it as text of its medium, through exactly one of these functions:

* :func:`inert` — the shared first step: C0 and C1 control characters, bidi embeddings,
  overrides, isolates and marks, zero-width and invisible characters, Unicode line and
  paragraph separators, tag characters and noncharacters become U+FFFD (visible: a reader
  sees that something was there); line breaks become spaces unless kept.
* :func:`terminal` — for every line printed on a terminal (tables, notes, errors): escape
  sequences (CSI such as colours and cursor moves, OSC such as window titles and OSC 8
  links, DCS, SOS, PM and APC strings) are removed whole, then :func:`inert`.
* :func:`markdown` — one line of Markdown text: no raw HTML, no link or image, no entity,
  no emphasis, code or table cell break, and nothing at its start that opens a block
  (heading, list, quote, fence, indented code).
* :func:`markdown_block` — preformatted lines (a timeline) as a code block they cannot close.
* :func:`html` — HTML text and attribute values: :func:`inert`, then ``& < > " '`` escaped.
* :func:`spreadsheet` — a text cell of a CSV file or a workbook: :func:`inert`, and a cell
  that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@`` at its start, also
  after spaces or in full width) gets a leading apostrophe, so it stays text.
* :func:`url` — the one check of an address that is placed in a link or a QR code: only
  ``https``, ``http`` and ``webcal``, with a host, and no space or control character.

Calendars (iCalendar) use :func:`inert` and the icalendar library's own escaping; JSON uses
``render.common.dump_json``; Typst documents get their text as data (``render.typeset``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tripplan.characters import BIDI, C0_C1, INVISIBLE, NONCHARACTERS
from tripplan.errors import UsageError
from tripplan.messages import msg

_INERT = dict.fromkeys([*C0_C1, *BIDI, *INVISIBLE, *NONCHARACTERS], "\ufffd")

_SEQUENCE = re.compile(
    r"""
      (?:\x1b\[|\x9b) [\x30-\x3f]* [\x20-\x2f]* [\x40-\x7e]?       # CSI ... final
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])                      # OSC DCS SOS PM APC ...
        [^\x07\x1b\x9c\n]* (?:\x07|\x1b\\|\x9c)?                   # ... up to BEL or ST
    | \x1b [\x20-\x2f]* [\x30-\x7e]?                               # any other ESC sequence
    """,
    re.VERBOSE,
)


_JOINER = re.compile("[\u200c\u200d]")
_INERT_BUT_JOINERS = {c: r for c, r in _INERT.items() if c not in (0x200C, 0x200D)}


def _shown(char: str) -> bool:
    return not char.isspace() and ord(char) not in _INERT


def _joiners(text: str, lone: str) -> str:
    """``text`` with each zero-width joiner and non-joiner that joins nothing made ``lone``.

    The two join or part the letters of Persian, Arabic and the Indic scripts
    (``می‌خواهم``) and the parts of an emoji (👩‍👩‍👧): between two shown characters, one
    of them beyond ASCII, they stay. Anywhere else (at an edge, beside a space, another
    invisible character or between two ASCII letters, where they join nothing) they would
    only hide a difference, and go as the other invisible characters do."""
    if "\u200c" not in text and "\u200d" not in text:
        return text

    def keep(found: re.Match[str]) -> str:
        at = found.start()
        if 0 < at < len(text) - 1:
            before, after = text[at - 1], text[at + 1]
            if _shown(before) and _shown(after) and not (before.isascii() and after.isascii()):
                return found.group()
        return lone

    return _JOINER.sub(keep, text)


def inert(text: str, keep_newlines: bool = False) -> str:
    """``text`` with terminal escape sequences removed whole (so no remnant of one, such as
    an OSC 8 link's address, is left as text) and every other control, bidi and invisible
    character replaced by U+FFFD (a joiner only where it joins nothing: :func:`_joiners`);
    line breaks (CR, LF, CRLF) become spaces unless ``keep_newlines`` (then each is
    ``\\n``). Text made inert stays inert in every medium."""
    text = _SEQUENCE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if keep_newlines:
        return "\n".join(
            _joiners(line, "\ufffd").translate(_INERT_BUT_JOINERS) for line in text.split("\n")
        )
    return _joiners(text.replace("\n", " "), "\ufffd").translate(_INERT_BUT_JOINERS)


def terminal(text: str, keep_newlines: bool = False) -> str:
    """Text for a terminal: escape sequences removed whole (colours, cursor moves, titles,
    OSC 8 links), then :func:`inert`."""
    return inert(text, keep_newlines)


def strip_terminal(text: str) -> str:
    """The last guard before bytes reach a terminal: escape sequences removed, and every
    control, bidi or invisible character but the line feed removed (not replaced: rich has
    already laid the line out, where such characters take no room)."""
    if text.isprintable() or text == "\n":
        return text  # every character removed below is unprintable (Cc, Cf, Zl, Zp)
    text = _joiners(_SEQUENCE.sub("", text), "")
    return "".join(c for c in text if c == "\n" or ord(c) not in _INERT_BUT_JOINERS)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&!])")
_MARKDOWN_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def markdown(text: str) -> str:
    """Plan text as one line of inert Markdown text (CommonMark and GitHub's): no raw HTML,
    no link, image, autolink or entity, no emphasis or code, no table cell break, and no
    heading, list, quote or fence at its start. The reader sees the text as written."""
    line = inert(text).strip()
    line = _MARKDOWN_SPECIAL.sub(r"\\\1", line)
    return _MARKDOWN_BLOCK_START.sub(_escape_block_start, line)


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\" + match.group(1)
    return f"{match.group(2)}\\{match.group(3)}"


def markdown_block(lines: list[str]) -> list[str]:
    """Lines of preformatted text as a fenced Markdown code block that no line can close:
    the fence is longer than any run of backticks in them; each line is :func:`inert`."""
    body = [inert(line) for line in lines]
    longest = max((len(run) for line in body for run in re.findall("`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence, *body, fence]


def html(text: str) -> str:
    """Plan text for HTML text or a quoted attribute value: :func:`inert`, then
    ``& < > " '`` escaped."""
    from html import escape  # imported here: most commands write no HTML (1.5 ms of a run)

    return escape(inert(text), quote=True)


_FORMULA_START = re.compile("^[ \ufffd]*[=+\\-@\uff1d\uff0b\uff0d\uff20\u2212]")
"""What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or a DDE call):
``=``, ``+``, ``-``, ``@`` at its start, also after spaces or a former control character
(now U+FFFD), and their full-width forms and the minus sign, which some locales accept."""


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read the text cell ``text`` (already :func:`inert`) as a
    formula."""
    return bool(_FORMULA_START.match(text))


def spreadsheet(text: str) -> str:
    """Plan text for a text cell of a CSV file: :func:`inert`, and an apostrophe before a
    cell a spreadsheet would read as a formula (``=HYPERLINK(…)``, ``+cmd|…``, ``-2+3``,
    ``@SUM(…)``), so it shows as written and never runs. A workbook writes its text cells
    as strings with Excel's quote prefix instead (``render.costs``), using
    :func:`formula_like`."""
    text = inert(text)
    return "'" + text if formula_like(text) else text


URL_SCHEMES = ("https", "http", "webcal")
"""The only schemes tripplan places in a link or a QR code."""


def url(address: str, option: str = "--calendar-url") -> str:
    """``address`` when it is a web or calendar address that is safe to link: scheme
    ``https``, ``http`` or ``webcal``, a host, no space, control, bidi or invisible
    character. Anything else (``javascript:``, ``data:``, ``file:``) is a
    :class:`~tripplan.errors.UsageError` naming ``option``."""
    if any(c.isspace() or ord(c) in _INERT for c in address):
        raise UsageError(
            msg(
                "{option} must not contain spaces or control characters; percent-encode them (%20)",
                option=option,
            )
        )
    try:
        parts = urlsplit(address)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in URL_SCHEMES or not host:
        raise UsageError(
            msg(
                "{option} must be an https, http or webcal address with a host, "
                "such as https://example.org/{{delegate}}.ics",
                option=option,
            )
        )
    return address
