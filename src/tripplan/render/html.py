"""HTML: a standalone page of the itinerary, for a browser, an intranet or a printout."""

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
from tripplan.render.escape import html as h
from tripplan.render.i18n import label, translate
from tripplan.render.where import day_heading
from tripplan.vocabulary import Lang

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h2 { margin-top: 2rem; border-bottom: 2px solid #333; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: .25rem .5rem; }
th, td { border-bottom: 1px solid #ddd; }
th:first-child { width: 27%; } th:last-child { width: 30%; }
td { overflow-wrap: break-word; hyphens: auto; }
.home, .who { color: #555; font-size: .9em; }
.mark, .note { font-style: italic; }
.conflict { color: #b00020; font-weight: bold; }
.error { color: #b00020; } .warning { color: #8a6d00; } .info { color: #245; }
""".strip()


def render_html(itinerary: Itinerary, lang: Lang, internal: bool = True) -> str:
    itinerary = itinerary.in_language(lang)
    title = f"{label('itinerary', lang)}: {itinerary.plan.programme.name}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{h(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{h(title)}</h1>",
    ]
    grouped = lines(itinerary, lang, internal)
    note = home_time_note(grouped, lang)
    if note:
        out.append(f'<p class="home">{h(note)}</p>')
    if not grouped:
        out.append(f"<p><em>{h(label('no_events', lang))}</em></p>")
    for day in laid_out_days(itinerary, grouped):
        for trip in day.new_trips:
            out.append(f"<h2>{h(trip_heading(itinerary, trip, lang))}</h2>")
        out.append(f"<h3>{h(day_heading(itinerary, day.day, lang))}</h3>")
        out.append("<table>")
        out.append(
            f"<tr><th>{h(label('time', lang))}</th><th>{h(label('what', lang))}</th>"
            f"<th>{h(label('where', lang))}</th></tr>"
        )
        for line in day.lines:
            homes = "".join(
                f'<br><span class="home">· {h(home)}</span>' for home in line.home_time.splitlines()
            )
            conflict = label("conflict", lang)
            marks = "".join(
                f' <span class="{"conflict" if mark == conflict else "mark"}">[{h(mark)}]</span>'
                for mark in line.marks
            )
            note = (
                f'<br><span class="note">{h(line.notes)}</span>'.replace("\n", "<br>")
                if line.notes
                else ""
            )
            who = (
                f'<br><span class="who">{h(label("who", lang))}: {h(line.who)}</span>'
                if day.show_who and line.who
                else ""
            )
            out.append(
                f'<tr><td class="time">{h(line.time)}{homes}</td>'
                f"<td>{h(line.what)}{marks}{note}{who}</td><td>{h(line.where)}</td></tr>"
            )
        out.append("</table>")
    unplaced = grouped.get(None, [])
    if unplaced:
        out.append(f"<h2>{h(label('unplaced', lang))}</h2>")
        out.append("<ul>")
        for line in unplaced:
            out.append(
                f"<li>{h(line.what)} — {h(window_text(line.event, lang))} — {h(line.where)}</li>"
            )
        out.append("</ul>")
    out.append(f"<h2>{h(label('findings', lang))}</h2>")
    out.append(f"<p>{h(summary(itinerary, lang))}</p>")
    if itinerary.findings:
        out.append("<ul>")
        for finding in itinerary.findings:
            out.append(
                f'<li class="{finding.severity}"><strong>{h(label(finding.severity, lang))}'
                f"</strong>: {h(translate(finding.message, lang))}</li>"
            )
        out.append("</ul>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)
