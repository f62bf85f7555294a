"""How ``tripplan plan`` shows its placements: a table for people, JSON for scripts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from tripplan.messages import N_, msg, nmsg
from tripplan.models import Plan
from tripplan.planning.scheduler import OBJECTIVE, Placement, Result
from tripplan.render.common import dump_json
from tripplan.render.escape import terminal
from tripplan.render.i18n import clock, short_date, translate, words
from tripplan.timeutils import abbreviation
from tripplan.vocabulary import Lang

HEADINGS = (N_("Activity"), N_("Start"), N_("End"), N_("Change"))
CHANGES = {"new": N_("new"), "unchanged": N_("unchanged"), "moved": N_("moved from")}


def _when(placement: Placement, which: str, lang: Lang) -> str:
    moment = placement.start if which == "start" else placement.end
    return f"{short_date(moment.date(), lang)} {clock(moment)} {abbreviation(moment)}"


def _change(placement: Placement, lang: Lang) -> str:
    word = words(CHANGES[placement.change], lang)
    if placement.change == "moved" and placement.previous is not None:
        previous = placement.previous
        return f"{word} {short_date(previous.date(), lang)} {clock(previous)}"
    return word


def headline(result: Result, lang: Lang) -> str:
    """What ``plan`` found, in one sentence: how many it placed and how good that is."""
    if result.status == "placed":
        count = len(result.placements)
        placed = nmsg("Placed {n} flexible activity", "Placed {n} flexible activities", count)
        quality = (
            msg("proven optimal") if result.optimal else msg("best found, optimality not proven")
        )
        return translate(msg("{placed} ({quality}).", placed=placed, quality=quality), lang)
    said = {
        "infeasible": msg("No schedule exists."),
        "undecided": msg("Undecided within the time limit."),
        "nothing": msg("The plan has no flexible activities."),
    }
    return translate(said[result.status], lang)


def schedule_in_language(result: Result, plan: Plan, lang: Lang) -> Result:
    """The schedule as a reader of ``lang`` sees it: each placed activity by its title in
    ``lang`` where the plan gives one (see :meth:`tripplan.models.Plan.in_language`)."""
    titles = {
        (trip.id, activity.id): activity.title
        for trip in plan.in_language(lang).trips
        for activity in trip.activities
    }
    placements = tuple(
        replace(p, title=titles.get((p.trip, p.item), p.title)) for p in result.placements
    )
    return replace(result, placements=placements)


def render_schedule_table(result: Result, lang: Lang) -> RenderableType:
    parts: list[RenderableType] = [Text(headline(result, lang), style="bold")]
    if result.placements:
        table = Table(show_edge=False, pad_edge=False, expand=True)
        for heading in HEADINGS:
            table.add_column(words(heading, lang), overflow="fold")
        for placement in result.placements:
            table.add_row(
                Text(terminal(f"{placement.title}\n({placement.uid})")),
                Text(_when(placement, "start", lang)),
                Text(_when(placement, "end", lang)),
                Text(_change(placement, lang)),
            )
        parts.append(table)
    for line in result.explanation:
        parts.append(Text(terminal(translate(line.message, lang))))
    return Group(*parts)


SCHEDULE_VERSION = 2
"""The version of the schedule document (docs/json-output.md); version 1 gave each line of
``explanation`` as a string, without its reason codes."""


def schedule_document(result: Result, lang: Lang = Lang.en) -> dict[str, Any]:
    return {
        "version": SCHEDULE_VERSION,
        "status": result.status,
        "optimal": result.optimal,
        "solver": result.solver,
        "objective": (dict(zip(OBJECTIVE, result.cost, strict=True)) if result.cost else None),
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
        "explanation": [
            {
                "reasons": [str(reason) for reason in line.reasons],
                "message": translate(line.message, lang),
            }
            for line in result.explanation
        ],
        "nodes": result.nodes,
        "seconds": round(result.elapsed, 3),
        "first_schedule_after_seconds": (
            round(result.first_after, 3) if result.first_after is not None else None
        ),
    }


def render_schedule_json(result: Result, lang: Lang = Lang.en) -> str:
    return dump_json(schedule_document(result, lang))
