"""Markdown: a day-by-day document to paste into an e-mail or a wiki."""

from __future__ import annotations

from tripplan.itinerary import Itinerary
from tripplan.render.common import (
    home_time_note,
    laid_out_days,
    lines,
    summary,
    trip_heading,
    window_text,
)
from tripplan.render.escape import markdown as md
from tripplan.render.i18n import label, translate
from tripplan.render.where import day_heading
from tripplan.vocabulary import Lang

__all__ = ["md", "render_markdown"]


def render_markdown(itinerary: Itinerary, lang: Lang, internal: bool = True) -> str:
    itinerary = itinerary.in_language(lang)
    out: list[str] = [f"# {label('itinerary', lang)}: {md(itinerary.plan.programme.name)}", ""]
    grouped = lines(itinerary, lang, internal)
    note = home_time_note(grouped, lang)
    if note:
        out += [md(note), ""]
    if not grouped:
        out += [f"_{label('no_events', lang)}_", ""]
    for day in laid_out_days(itinerary, grouped):
        for trip in day.new_trips:
            out += [f"## {md(trip_heading(itinerary, trip, lang))}", ""]
        out += [f"### {md(day_heading(itinerary, day.day, lang))}", ""]
        for line in day.lines:
            homes = " · ".join(line.home_time.splitlines())
            when = line.time + (f" (· {homes})" if homes else "")
            item = f"- **{md(when)}** {md(line.what)}"
            if line.where:
                item += f" — {md(line.where)}"
            if day.show_who and line.who:
                item += f" — {md(line.who)}"
            for mark in line.marks:
                item += f" _({md(mark)})_"
            if line.notes:
                item += f" — _{md(line.notes)}_"
            out.append(item)
        out.append("")
    unplaced = grouped.get(None, [])
    if unplaced:
        out += [f"## {label('unplaced', lang)}", ""]
        for line in unplaced:
            out.append(
                f"- {md(line.what)} — {md(window_text(line.event, lang))} — {md(line.where)}"
            )
        out.append("")
    out += [f"## {label('findings', lang)}", "", md(summary(itinerary, lang)), ""]
    for finding in itinerary.findings:
        where = f" ({md(str(finding.where))})" if internal and finding.where is not None else ""
        out.append(
            f"- **{md(label(finding.severity, lang))}**: {md(translate(finding.message, lang))}"
            + where
        )
    if itinerary.findings:
        out.append("")
    return "\n".join(out)
