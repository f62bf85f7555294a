"""The programme overview for the terminal, for Markdown and for JSON."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tripplan.planning.programme import Overview, Phase, Row
from tripplan.render.common import dump_json, place_label
from tripplan.render.escape import markdown as md
from tripplan.render.escape import markdown_block, terminal
from tripplan.render.i18n import date_range, label, month_abbreviations, translate
from tripplan.timeutils import days
from tripplan.vocabulary import Lang

WEEKS = 53
GLYPHS = {
    ("travels", False): "█",
    ("travels", True): "▓",
    ("hosts", False): "●",
    ("hosts", True): "○",
}
LABEL_WIDTH = 24


def _dates(phase: Phase, lang: Lang) -> str:
    text = date_range(phase.first_day, phase.last_day, lang)
    return f"{text}, {label('provisional' if phase.provisional else 'confirmed', lang)}"


def _hosts(overview: Overview, phase: Phase, lang: Lang) -> str:
    return ", ".join(place_label(overview.itinerary, h, lang) for h in phase.hosts)


def _travellers(overview: Overview, phase: Phase) -> str:
    plan = overview.itinerary.plan
    return ", ".join(plan.delegation(d).name for d in phase.travellers)


def _items(phase: Phase, lang: Lang) -> str:
    parts = []
    if phase.provisional_events:
        parts.append(label("provisional_n", lang).format(n=phase.provisional_events))
    if phase.not_placed:
        parts.append(label("not_placed_n", lang).format(n=phase.not_placed))
    return f"{phase.events} ({', '.join(parts)})" if parts else str(phase.events)


BOTH = {False: "◐", True: "◔"}
"""A week in which the delegation both hosts and travels (hosts, then leaves with them):
confirmed, or provisional (less filled, as ○ and ▓ are)."""


def timeline_cells(row: Row, year: int) -> str:
    """One character per week of ``year``: █/▓ travels (confirmed/provisional), ●/○ hosts,
    ◐/◔ both in one week. A week is provisional when any of its spans of that role is (of
    either role, for ◔)."""
    weeks: list[dict[str, bool]] = [{} for _ in range(WEEKS)]
    start = date(year, 1, 1)
    for span in row.spans:
        for day in days(span.first_day, span.last_day):
            if day.year == year:
                roles = weeks[min((day - start).days // 7, WEEKS - 1)]
                roles[span.role] = roles.get(span.role, False) or span.provisional
    cells = []
    for roles in weeks:
        if len(roles) > 1:
            cells.append(BOTH[any(roles.values())])
        elif roles:
            ((role, provisional),) = roles.items()
            cells.append(GLYPHS[(role, provisional)])
        else:
            cells.append(" ")
    return "".join(cells)


def month_ruler(year: int, lang: Lang) -> str:
    ruler = [" "] * WEEKS
    for month, name in enumerate(month_abbreviations(lang), start=1):
        week = (date(year, month, 1) - date(year, 1, 1)).days // 7
        for offset, char in enumerate(name):
            if week + offset < WEEKS:
                ruler[week + offset] = char
    return "".join(ruler)


def legend(lang: Lang, rows: tuple[Row, ...] = (), year: int = 0) -> list[str]:
    """The legend's lines: the glyphs of each role, and ◐/◔ when a week of ``rows`` has
    both."""
    travels, hosts = label("travels", lang), label("hosts_role", lang)
    both = f"{label('confirmed', lang)}/{label('provisional', lang)}"
    lines = [f"█/▓ {travels} ({both})   ●/○ {hosts} ({both})"]
    cells = "".join(timeline_cells(row, year) for row in rows)
    if any(glyph in cells for glyph in BOTH.values()):
        lines.append(f"{BOTH[False]}/{BOTH[True]} {label('hosts_and_travels', lang)} ({both})")
    return lines


def _fit(row: Row) -> str:
    """The delegation's name, or its id when the name is too long for the label column."""
    name = terminal(row.name)
    if len(name) <= LABEL_WIDTH - 1:
        return name
    ident = terminal(row.delegation)
    return ident if len(ident) <= LABEL_WIDTH - 1 else ident[: LABEL_WIDTH - 2] + "…"


def render_programme_table(overview: Overview, lang: Lang) -> RenderableType:
    plan = overview.itinerary.plan
    parts: list[RenderableType] = [
        Text(f"{label('programme', lang)}: {terminal(plan.programme.name)}", style="bold"),
        Text(terminal(f"{plan.programme.organiser} · {', '.join(plan.programme.supporters)}")),
        Text(""),
        Text(label("phases", lang), style="bold underline"),
    ]
    table = Table(show_edge=False, pad_edge=False, expand=True)
    table.add_column(label("phase", lang), ratio=3, overflow="fold")
    table.add_column(label("dates", lang), ratio=2, overflow="fold")
    table.add_column(f"{label('travellers', lang)} → {label('hosts', lang)}", ratio=4)
    table.add_column(label("items", lang), ratio=2, overflow="fold")
    for phase in overview.phases:
        style = "italic" if phase.provisional else ""
        table.add_row(
            Text(terminal(f"{phase.title}\n({label(phase.kind, lang)})")),
            Text(_dates(phase, lang), style=style),
            Text(terminal(f"{_travellers(overview, phase)} → {_hosts(overview, phase, lang)}")),
            Text(_items(phase, lang), style="red" if phase.errors else ""),
        )
    parts += [
        table,
        Text(""),
        Text(f"{label('timeline', lang)} {overview.year}", style="bold underline"),
    ]
    lines = [Text(" " * LABEL_WIDTH + month_ruler(overview.year, lang), style="dim")]
    for row in overview.rows:
        lines.append(Text(f"{_fit(row):<{LABEL_WIDTH}}{timeline_cells(row, overview.year)}"))
    lines += [Text(line, style="dim") for line in legend(lang, overview.rows, overview.year)]
    parts += [*lines, Text(""), Text(label("open_items", lang), style="bold underline")]
    if not overview.open_items:
        parts.append(Text(label("no_open_items", lang)))
    else:
        items = Table(box=None, show_header=False, pad_edge=False, show_edge=False)
        items.add_column(no_wrap=True, style="yellow")
        items.add_column(overflow="fold")
        for item in overview.open_items:
            items.add_row(
                Text(label(item.kind, lang)), Text(terminal(translate(item.message, lang)))
            )
        parts.append(items)
    return Group(*parts)


def render_programme_markdown(overview: Overview, lang: Lang) -> str:
    plan = overview.itinerary.plan
    out = [f"# {label('programme', lang)}: {md(plan.programme.name)}", ""]
    out += [f"## {label('phases', lang)}", ""]
    out.append(
        f"| {label('phase', lang)} | {label('dates', lang)} | {label('travellers', lang)} | "
        f"{label('hosts', lang)} | {label('items', lang)} |"
    )
    out.append("|---|---|---|---|---|")
    for phase in overview.phases:
        out.append(
            f"| {md(phase.title)} ({md(label(phase.kind, lang))}) | {md(_dates(phase, lang))} | "
            f"{md(_travellers(overview, phase))} | {md(_hosts(overview, phase, lang))} | "
            f"{md(_items(phase, lang))} |"
        )
    out += ["", f"## {label('timeline', lang)} {overview.year}", ""]
    timeline = [" " * LABEL_WIDTH + month_ruler(overview.year, lang)]
    for row in overview.rows:
        timeline.append(f"{_fit(row):<{LABEL_WIDTH}}{timeline_cells(row, overview.year)}")
    timeline += legend(lang, overview.rows, overview.year)
    out += [*markdown_block(timeline), "", f"## {label('open_items', lang)}", ""]
    if not overview.open_items:
        out.append(label("no_open_items", lang))
    for item in overview.open_items:
        out.append(f"- **{md(label(item.kind, lang))}**: {md(translate(item.message, lang))}")
    out.append("")
    return "\n".join(out)


def programme_document(overview: Overview, lang: Lang = Lang.en) -> dict[str, Any]:
    plan = overview.itinerary.plan
    return {
        "version": 1,
        "language": lang,
        "programme": {
            "name": plan.programme.name,
            "year": plan.programme.year,
            "organiser": plan.programme.organiser,
            "supporters": list(plan.programme.supporters),
        },
        "phases": [
            {
                "trip": p.trip,
                "title": p.title,
                "kind": p.kind,
                "first_day": p.first_day.isoformat(),
                "last_day": p.last_day.isoformat(),
                "provisional": p.provisional,
                "travellers": list(p.travellers),
                "hosts": list(p.hosts),
                "unconfirmed_hosts": list(p.unconfirmed_hosts),
                "events": p.events,
                "provisional_events": p.provisional_events,
                "not_placed": p.not_placed,
                "errors": p.errors,
            }
            for p in overview.phases
        ],
        "timeline": [
            {
                "delegation": row.delegation,
                "name": row.name,
                "spans": [
                    {
                        "trip": s.trip,
                        "role": s.role,
                        "first_day": s.first_day.isoformat(),
                        "last_day": s.last_day.isoformat(),
                        "provisional": s.provisional,
                    }
                    for s in row.spans
                ],
            }
            for row in overview.rows
        ],
        "open_items": [
            {"kind": i.kind, "message": translate(i.message, lang), "ids": list(i.ids)}
            for i in overview.open_items
        ],
    }


def render_programme_json(overview: Overview, lang: Lang = Lang.en) -> str:
    document = programme_document(overview, lang)
    return dump_json(document)
