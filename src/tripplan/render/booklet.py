"""A delegate's booklet as a document (JSON), and its two renderings: a PDF typeset with
Typst from that document (``templates/booklet.typ``), and one self-contained HTML page.

The document holds every text the booklet prints, in the booklet's language, beside the
data it was written from (instants, zones, days): ``booklet --format json`` prints it, the
PDF template and the HTML writer only lay it out."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any
from xml.etree import ElementTree as ET

from tripplan.messages import N_
from tripplan.planning.booklet import Booklet, Day, Entry
from tripplan.render.i18n import (
    clock,
    date_range,
    label,
    long_date,
    short_date,
    translate,
    words,
)
from tripplan.render.typeset import inert, typeset
from tripplan.vocabulary import Lang

PAPERS = ("a5", "a4")
VERSION = 1

_WORDS = {
    "booklet": N_("Travel programme"),
    "for": N_("for"),
    "organiser": N_("Organiser"),
    "supporters": N_("With the support of"),
    "overview": N_("Where you are"),
    "contacts": N_("Contacts"),
    "reminders": N_("Your own reminders"),
    "home": N_("home"),
    "calendar": N_("Your calendar: scan to subscribe"),
    "tbc": N_("to be confirmed"),
    "nothing": N_("No appointments."),
}


def _word(key: str, lang: Lang) -> str:
    return words(_WORDS[key], lang)


def _time(entry: Entry) -> str:
    if entry.start is None or entry.end is None:
        return ""
    later = (entry.end.date() - entry.start.date()).days
    return f"{clock(entry.start)}–{clock(entry.end)}" + (f" (+{later})" if later > 0 else "")


def _home(entry: Entry, lang: Lang) -> str:
    if entry.start is None or entry.home_start is None:
        return ""
    if entry.start.utcoffset() == entry.home_start.utcoffset():
        return ""
    return f"{clock(entry.home_start)} {_word('home', lang)}"


def _title(entry: Entry, lang: Lang) -> str:
    if entry.category == "travel":
        return f"{label(entry.kind, lang)}: {entry.title}"
    if entry.category == "stay":
        title = f"{label('nights', lang)}: {entry.title}"
        if entry.check_out is not None:
            title += f" ({label('check_out', lang)} {short_date(entry.check_out, lang)})"
        return title
    return entry.title


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _entry(entry: Entry, lang: Lang) -> dict[str, Any]:
    return {
        "uid": entry.uid,
        "category": entry.category,
        "kind": entry.kind,
        "start": entry.start.isoformat() if entry.start is not None else None,
        "end": entry.end.isoformat() if entry.end is not None else None,
        "time": _time(entry),
        "home_time": _home(entry, lang),
        "title": _title(entry, lang),
        "details": list(entry.details),
        "provisional": entry.provisional,
    }


def _day(day: Day, lang: Lang) -> dict[str, Any]:
    return {
        "day": day.day.isoformat(),
        "heading": long_date(day.day, lang),
        "where": day.place,
        "entries": [_entry(e, lang) for e in day.entries],
    }


def _overview(book: Booklet) -> dict[str, Any]:
    """Days across, places down: where the delegate is each day."""
    return {
        "places": list(book.places),
        "days": [
            {
                "day": day.day.isoformat(),
                "label": f"{day.day:%d.%m.}"
                if day.day.day == 1 or n == 0 or day.day.weekday() == 0
                else "",
                "place": book.places.index(day.place) if day.place in book.places else None,
            }
            for n, day in enumerate(book.days)
        ],
    }


def _qr(url: str) -> dict[str, Any]:
    """A QR code as its size and dark runs ``[row, column, length]``, drawn by the template."""
    import segno

    matrix = segno.make(url, error="m").matrix
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append([y, start, x - start])
            else:
                x += 1
    return {"size": len(matrix), "runs": runs}


def booklet_document(
    book: Booklet, lang: Lang, paper: str = "a5", calendar_url: str | None = None
) -> dict[str, Any]:
    """The booklet as a JSON document: what every rendering prints, in ``lang``."""
    texts = {key: _word(key, lang) for key in _WORDS}
    return {
        "$schema": f"https://tripplan.invalid/schema/booklet-{VERSION}.json",
        "version": VERSION,
        "language": str(lang),
        "paper": paper,
        "delegate": {"id": book.delegate, "name": book.name},
        "programme": {
            "name": book.programme,
            "organiser": book.organiser,
            "supporters": list(book.supporters),
        },
        "trips": list(book.trips),
        "first_day": book.first_day.isoformat(),
        "last_day": book.last_day.isoformat(),
        "dates": date_range(book.first_day, book.last_day, lang),
        "texts": texts,
        "calendar": (
            {"url": calendar_url, "qr": _qr(calendar_url)} if calendar_url is not None else None
        ),
        "overview": _overview(book),
        "days": [_day(d, lang) for d in book.days],
        "contacts": [{"name": name, "contact": contact} for name, contact in book.contacts],
        "reminders": [translate(r, lang) for r in book.reminders],
    }


def render_booklet_pdf(
    book: Booklet, lang: Lang, paper: str = "a5", calendar_url: str | None = None
) -> bytes:
    """The booklet as PDF, typeset by Typst from its document."""
    return typeset("booklet.typ", booklet_document(book, lang, paper, calendar_url))


# -- HTML ---------------------------------------------------------------------------


def overview_svg(document: dict[str, Any]) -> str:
    """The overview chart as SVG, written by an XML writer (which escapes every text)."""
    overview = document["overview"]
    days, places = overview["days"], overview["places"]
    cell, left, top = 14, 150, 18
    width = left + cell * len(days) + 4
    height = top + cell * len(places) + 4
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
        },
    )
    for x, day in enumerate(days):
        if day["label"]:
            text = ET.SubElement(
                svg, "text", {"x": str(left + x * cell), "y": "12", "font-size": "9"}
            )
            text.text = inert(day["label"])
    for y, place in enumerate(places):
        py = top + y * cell
        text = ET.SubElement(svg, "text", {"x": "0", "y": str(py + 11), "font-size": "10"})
        text.text = inert(place)
        for x, day in enumerate(days):
            ET.SubElement(
                svg,
                "rect",
                {
                    "x": str(left + x * cell),
                    "y": str(py),
                    "width": str(cell - 2),
                    "height": str(cell - 2),
                    "fill": "#24527a" if day["place"] == y else "#eef1f5",
                },
            )
    return ET.tostring(svg, encoding="unicode")


def qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=3))


_CSS = """
@page { size: %(paper)s; margin: 12mm; }
body { font-family: "Libertinus Serif", Georgia, serif; margin: 0 auto; max-width: 42rem;
       padding: 1rem; color: #111; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 1px solid #999; }
section.day { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%%; }
td { vertical-align: top; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
td.time { white-space: nowrap; width: 6.5rem; }
.home { color: #555; font-size: .85em; display: block; }
.tbc { color: #a33; font-weight: bold; }
.details { color: #333; font-size: .9em; }
@media print { body { max-width: none; padding: 0; } }
"""


def render_booklet_html(
    book: Booklet, lang: Lang, paper: str = "a5", calendar_url: str | None = None
) -> str:
    """The booklet as one self-contained HTML page, written from its document."""
    doc = booklet_document(book, lang, paper, calendar_url)
    texts = doc["texts"]

    def e(text: str) -> str:
        return escape(inert(text))

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(doc["language"])}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(texts['booklet'])}: {e(doc['delegate']['name'])}</title>",
        f"<style>{_CSS % {'paper': paper.upper()}}</style></head><body>",
        '<section class="cover">',
        f"<h1>{e(doc['programme']['name'])}</h1>",
        f"<p>{e(texts['booklet'])} {e(texts['for'])} "
        f"<strong>{e(doc['delegate']['name'])}</strong></p>",
        f"<p>{e(' · '.join(doc['trips']))}<br>{e(doc['dates'])}</p>",
        f"<p>{e(texts['organiser'])}: {e(doc['programme']['organiser'])}</p>",
    ]
    if doc["programme"]["supporters"]:
        supporters = ", ".join(doc["programme"]["supporters"])
        out.append(f"<p>{e(texts['supporters'])}: {e(supporters)}</p>")
    if doc["calendar"] is not None:
        url = doc["calendar"]["url"]
        out.append(
            f"<figure>{qr_svg(url)}<figcaption>{e(texts['calendar'])}<br>"
            f'<a href="{e(url)}">{e(url)}</a></figcaption></figure>'
        )
    out += [f"<h2>{e(texts['overview'])}</h2>", overview_svg(doc), "</section>"]
    for day in doc["days"]:
        rows = []
        for entry in day["entries"]:
            tbc = f' <span class="tbc">({e(texts["tbc"])})</span>' if entry["provisional"] else ""
            home = entry["home_time"]
            details = "".join(f'<br><span class="details">{e(d)}</span>' for d in entry["details"])
            rows.append(
                f'<tr><td class="time">{e(entry["time"])}'
                + (f'<span class="home">{e(home)}</span>' if home else "")
                + f"</td><td>{e(entry['title'])}{tbc}{details}</td></tr>"
            )
        body = f"<table>{''.join(rows)}</table>" if rows else f"<p>{e(texts['nothing'])}</p>"
        place = f" — {e(day['where'])}" if day["where"] else ""
        out.append(f'<section class="day"><h2>{e(day["heading"])}{place}</h2>{body}</section>')
    out.append(f'<section class="day"><h2>{e(texts["contacts"])}</h2><ul>')
    out += [f"<li>{e(c['name'])}: {e(c['contact'])}</li>" for c in doc["contacts"]]
    out.append("</ul>")
    if doc["reminders"]:
        out.append(f"<h2>{e(texts['reminders'])}</h2><ul>")
        out += [f"<li>{e(r)}</li>" for r in doc["reminders"]]
        out.append("</ul>")
    out.append("</section></body></html>")
    return "\n".join(out) + "\n"
