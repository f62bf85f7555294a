"""How ``tripplan plan`` shows its placements: a table for people, JSON for scripts."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tripplan.planning.scheduler import Placement, Result
from tripplan.render.common import dump_json
from tripplan.render.escape import terminal
from tripplan.render.i18n import clock, short_date, translate
from tripplan.timeutils import abbreviation
from tripplan.vocabulary import Lang

HEADINGS = {
    "de": ("Aktivität", "Beginn", "Ende", "Änderung"),
    "en": ("Activity", "Start", "End", "Change"),
}
CHANGES = {
    "de": {"new": "neu", "unchanged": "unverändert", "moved": "verschoben von"},
    "en": {"new": "new", "unchanged": "unchanged", "moved": "moved from"},
}
STATUS = {
    "de": {
        "placed": "{n} flexible Aktivitäten eingeplant",
        "infeasible": "Keine Einplanung möglich",
        "undecided": "Keine Entscheidung innerhalb des Zeitlimits",
        "nothing": "Der Plan hat keine flexiblen Aktivitäten.",
        "optimal": "bewiesen optimal",
        "best": "beste gefundene Lösung, Optimalität nicht bewiesen",
    },
    "en": {
        "placed": "Placed {n} flexible activities",
        "infeasible": "No schedule exists",
        "undecided": "Undecided within the time limit",
        "nothing": "The plan has no flexible activities.",
        "optimal": "proven optimal",
        "best": "best found, optimality not proven",
    },
}


def _when(placement: Placement, which: str, lang: Lang) -> str:
    moment = placement.start if which == "start" else placement.end
    return f"{short_date(moment.date(), lang)} {clock(moment)} {abbreviation(moment)}"


def _change(placement: Placement, lang: Lang) -> str:
    word = CHANGES[lang][placement.change]
    if placement.change == "moved" and placement.previous is not None:
        previous = placement.previous
        return f"{word} {short_date(previous.date(), lang)} {clock(previous)}"
    return word


def headline(result: Result, lang: Lang) -> str:
    texts = STATUS[lang]
    if result.status == "placed":
        quality = texts["optimal"] if result.optimal else texts["best"]
        return f"{texts['placed'].format(n=len(result.placements))} ({quality})."
    return texts[result.status] + ("." if not texts[result.status].endswith(".") else "")


def render_schedule_table(result: Result, lang: Lang) -> RenderableType:
    parts: list[RenderableType] = [Text(headline(result, lang), style="bold")]
    if result.placements:
        table = Table(show_edge=False, pad_edge=False, expand=True)
        for heading in HEADINGS[lang]:
            table.add_column(heading, overflow="fold")
        for placement in result.placements:
            table.add_row(
                Text(terminal(f"{placement.title}\n({placement.uid})")),
                Text(_when(placement, "start", lang)),
                Text(_when(placement, "end", lang)),
                Text(_change(placement, lang)),
            )
        parts.append(table)
    for line in result.explanation:
        parts.append(Text(terminal(translate(line, lang))))
    return Group(*parts)


def schedule_document(result: Result, lang: Lang = Lang.en) -> dict[str, Any]:
    return {
        "version": 1,
        "status": result.status,
        "optimal": result.optimal,
        "solver": result.solver,
        "objective": (
            dict(zip(("preference", "evenness", "idle_gaps", "change"), result.cost, strict=True))
            if result.cost
            else None
        ),
        "placements": [
            {
                "uid": p.uid,
                "title": p.title,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "timezone": getattr(p.start.tzinfo, "key", None),
                "change": p.change,
                "previous": p.previous.isoformat() if p.previous else None,
            }
            for p in result.placements
        ],
        "explanation": [translate(line, lang) for line in result.explanation],
        "nodes": result.nodes,
        "seconds": round(result.elapsed, 3),
        "first_schedule_after_seconds": (
            round(result.first_after, 3) if result.first_after is not None else None
        ),
    }


def render_schedule_json(result: Result, lang: Lang = Lang.en) -> str:
    return dump_json(schedule_document(result, lang))
