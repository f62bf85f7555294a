"""Words shared by the core and the command line: one ``StrEnum`` for each choice.

This module imports nothing, so the command line can use it without slowing its start.
"""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    """Who reads an output: the coordinators, the delegates, or the host communities."""

    internal = "internal"
    delegates = "delegates"
    hosts = "hosts"


class Split(StrEnum):
    """How calendars and booklets are split: one for all, one per delegate, one per host
    community (a booklet is per delegate: ``booklet --split`` offers none and delegate)."""

    none = "none"
    delegate = "delegate"
    community = "community"

    @property
    def readers(self) -> Audience:
        """Who reads the calendars of this split, unless told otherwise: the coordinators
        one for all, each delegate their own, each host community theirs."""
        return _READERS[self]

    def audience(self, chosen: Audience | None, narrowed: Audience | None = None) -> Audience:
        """Who the calendars of this split are for: ``chosen`` (``--audience``,
        ``audience=``); else ``narrowed``, the audience an itinerary was narrowed to (the
        Python API's ``for_audience``); else :attr:`readers`: a delegate's or a host's
        calendar holds no coordinators' notes unless they are asked for."""
        if chosen is not None:
            return chosen
        if narrowed is not None and narrowed is not Audience.internal:
            return narrowed
        return self.readers


class SolverChoice(StrEnum):
    """Which solver ``tripplan plan`` uses: CP-SAT when installed (auto), or one of them."""

    auto = "auto"
    search = "search"
    cp_sat = "cp-sat"


# The one place the languages are declared. Adding a language is one line here and its
# catalog, locale/<code>/LC_MESSAGES/tripplan.po (see docs/translating.md); plans, --lang,
# the catalogs script and every text follow.
class Lang(StrEnum):
    """A language tripplan speaks, by its ISO 639 code."""

    de = "de"
    en = "en"


class Format(StrEnum):
    """What a command writes its output as: a table for the terminal, JSON for scripts,
    Markdown to paste, HTML for a browser or a printout, PDF to print or send, CSV and XLSX
    for a spreadsheet. A command offers only those it can give, and its ``--format`` lists
    only those (``check`` a table or JSON; ``booklet`` PDF, HTML or the JSON both are made
    from)."""

    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    pdf = "pdf"
    csv = "csv"
    xlsx = "xlsx"


class Report(StrEnum):
    """How a command that writes (files, a server, the plan file) reports what it did: text
    for people, one JSON document for scripts, or nothing. A command offers those it can
    give (an edit of the plan file always says what it changed: text or json)."""

    text = "text"
    json = "json"
    none = "none"


class Paper(StrEnum):
    """The paper a booklet is set for."""

    a5 = "a5"
    a4 = "a4"


_READERS = {
    Split.none: Audience.internal,
    Split.delegate: Audience.delegates,
    Split.community: Audience.hosts,
}
