"""The terminal view: a rich table per day, local times, home times, findings."""

from __future__ import annotations

import textwrap
from collections import Counter

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from tripplan.itinerary import Itinerary
from tripplan.messages import Number, nmsg
from tripplan.render.common import (
    Line,
    home_time_note,
    laid_out_days,
    lines,
    summary,
    trip_heading,
    window_text,
)
from tripplan.render.escape import terminal
from tripplan.render.i18n import label, translate
from tripplan.render.where import day_heading
from tripplan.vocabulary import Lang

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_table(itinerary: Itinerary, lang: Lang, internal: bool = True) -> RenderableType:
    """A rich renderable of the itinerary, grouped by local day."""
    itinerary = itinerary.in_language(lang)
    parts: list[RenderableType] = [_title(itinerary, lang)]
    grouped = lines(itinerary, lang, internal)
    note = home_time_note(grouped, lang)
    if note:
        parts.append(Text(note, style="dim"))
    if not grouped:
        parts.append(Text(label("no_events", lang), style="italic"))
    for day in laid_out_days(itinerary, grouped):
        for trip in day.new_trips:
            parts.append(Text(""))
            parts.append(Text(terminal(trip_heading(itinerary, trip, lang)), style="bold reverse"))
        parts.append(Text(terminal(day_heading(itinerary, day.day, lang)), style="bold underline"))
        parts.append(_day_table(day.lines, lang, day.show_who))
    unplaced = grouped.get(None, [])
    if unplaced:
        parts.append(Text(label("unplaced", lang), style="bold underline"))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
        table.add_column(label("what", lang), ratio=3, overflow="fold")
        table.add_column(label("window", lang), ratio=2, overflow="fold")
        table.add_column(label("where", lang), ratio=2, overflow="fold")
        for line in unplaced:
            table.add_row(
                Text(terminal(line.what)),
                Text(terminal(window_text(line.event, lang))),
                Text(terminal(line.where)),
            )
        parts.append(table)
    parts.append(render_findings(itinerary, lang, internal))
    return Group(*parts)


def _title(itinerary: Itinerary, lang: Lang) -> Text:
    plan = itinerary.plan
    title = Text(f"{label('itinerary', lang)}: {terminal(plan.programme.name)}", style="bold")
    chosen = {k: v for k, v in itinerary.filters.as_dict().items() if v}
    if chosen:
        title.append(
            f"  ({label('filters', lang)}: "
            + ", ".join(f"{k}={terminal(v)}" for k, v in chosen.items())
            + ")",
            style="dim",
        )
    return title


def _new_table(lang: Lang) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=True)
    table.add_column(label("time", lang), width=24, overflow="fold")
    table.add_column(label("what", lang), ratio=3, overflow="fold")
    table.add_column(label("where", lang), ratio=2, overflow="fold")
    return table


def _day_table(day_lines: list[Line], lang: Lang, show_who: bool) -> Table:
    table = _new_table(lang)
    for line in day_lines:
        when = Text(line.time)
        for home in line.home_time.splitlines():
            when.append(f"\n· {home}", style="dim")
        what = Text(terminal(line.what), style="bold red" if line.conflict else "")
        for mark in line.marks:
            what.append(f" [{mark}]", style="red" if mark == label("conflict", lang) else "italic")
        if line.notes:
            what.append(f"\n{terminal(line.notes, keep_newlines=True)}", style="italic")
        if show_who and line.who:
            what.append(f"\n{label('who', lang)}: {terminal(line.who)}", style="dim")
        table.add_row(when, what, Text(terminal(line.where)))
    return table


def render_findings(itinerary: Itinerary, lang: Lang, internal: bool = True) -> RenderableType:
    """The findings, each with the file and lines of what it names (for the coordinators:
    ``internal``; the path is of their machine)."""
    heading = Text(f"{label('findings', lang)} ({summary(itinerary, lang)})", style="bold")
    if not itinerary.findings:
        return Group(heading, Text(label("no_findings", lang)))
    rows: list[tuple[str, str, str]] = []
    shown: Counter[str] = Counter()
    for finding in itinerary.findings:
        shown[finding.code] += 1
        if shown[finding.code] > FINDINGS_PER_KIND:
            continue
        where = f" ({finding.where})" if internal and finding.where is not None else ""
        rows.append(
            (
                label(finding.severity, lang),
                _SEVERITY_STYLE[finding.severity],
                translate(finding.message, lang) + where,
            )
        )
    for code, count in shown.items():
        if count > FINDINGS_PER_KIND:
            more = nmsg(
                "… and {count} more finding of this kind ({code}); all of them with --format json",
                "… and {count} more findings of this kind ({code}); all of them with --format json",
                count - FINDINGS_PER_KIND,
                count=Number(count - FINDINGS_PER_KIND),
                code=code,
            )
            rows.append(("", "italic", translate(more, lang)))
    return Group(heading, _Findings(rows))


class _Findings:
    """Findings laid out at the console's width, wrapped at spaces only: an id (which has
    no spaces) is never broken; a line holding one longer than the width runs past it."""

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self.rows = rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = max(len(severity) for severity, _, _ in self.rows) + 2
        width = max(20, options.max_width - indent)
        for severity, style, message in self.rows:
            lines = textwrap.wrap(
                terminal(message), width, break_long_words=False, break_on_hyphens=False
            ) or [""]
            first = Text(severity.ljust(indent), style=style if severity else "")
            first.append(lines[0], style="italic" if not severity else "")
            first.no_wrap, first.overflow = True, "ignore"
            yield first
            for line in lines[1:]:
                rest = Text(" " * indent + line, style="italic" if not severity else "")
                rest.no_wrap, rest.overflow = True, "ignore"
                yield rest


FINDINGS_PER_KIND = 50
"""Findings of one kind listed on a terminal; a plan with thousands is told how many more."""
