"""A booklet as a document (JSON), and its two renderings: a PDF typeset with Typst from that
document (``templates/booklet.typ``), and one self-contained HTML page written from it.

The document holds every text the booklet prints, in the booklet's language, beside the
data it was written from (instants, zones, days): ``booklet --format json`` prints it
(docs/json-output.md), the PDF template and the HTML writer only lay it out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree as ET

from tripplan.messages import N_, msg
from tripplan.messages import Day as MessageDay
from tripplan.planning.booklet import Booklet, BookletDay, Entry
from tripplan.render import marks
from tripplan.render.escape import html as escape
from tripplan.render.escape import url as checked_url
from tripplan.render.i18n import (
    clock,
    date_range,
    duration,
    label,
    long_date,
    short_date,
    translate,
    words,
)
from tripplan.render.typeset import printable, typeset
from tripplan.timeutils import abbreviation
from tripplan.vocabulary import Lang

VERSION = 1

_WORDS = {
    "booklet": N_("Travel programme"),
    "volume": N_("Programme of all delegations"),
    "internal": N_("for the coordinators only"),
    "for": N_("for"),
    "organiser": N_("Organiser"),
    "supporters": N_("With the support of"),
    "overview": N_("Where you are"),
    "overview_all": N_("Who is where"),
    "contacts": N_("Contacts"),
    "communities": N_("Host communities (the community's address, not a lodging's)"),
    "reminders": N_("Your own reminders"),
    "home": N_("at home"),
    "host_time": N_("host's time"),
    "calendar": N_("Your calendar: scan to subscribe"),
    "tbc": N_("to be confirmed"),
    "nothing": N_("No appointments."),
    "tonight": N_("Tonight"),
    "address_tbc": N_("address to be confirmed"),
    "lodging_tbc": N_("lodging to be confirmed"),
    "night_home": N_("at home"),
    "night_travel": N_("on the way"),
    "check_in": N_("check-in"),
    "check_out": N_("check-out"),
    "pending": N_("Still to be scheduled"),
    "travel": N_("travel day"),
    "on_the_way": N_("on the way"),
    "remote": N_("joined from where you are"),
    "people": N_("with"),
    "page": N_("page"),
}


def _word(key: str, lang: Lang) -> str:
    return words(_WORDS[key], lang)


def _key(moment: datetime) -> str:
    return getattr(moment.tzinfo, "key", None) or str(moment.tzinfo)


def _weekday(day: date, lang: Lang) -> str:
    from babel.dates import format_date

    return str(format_date(day, "EEE", locale=lang))


def _time(entry: Entry, day_zone: str | None, lang: Lang) -> str:
    """``09:00–11:00`` in the day's zone; ``18:00–19:30 EDT`` in another;
    ``10:30 CEST → 13:30 EDT · 9 h`` across zones; a leg's duration always."""
    start, end = entry.start, entry.end
    if start is None or end is None:
        return label("all_day", lang) if entry.event.first_day is not None else ""
    one_zone = abbreviation(start) == abbreviation(end) and start.utcoffset() == end.utcoffset()
    if one_zone and entry.day_shift == 0:
        text = f"{clock(start)}–{clock(end)}"
        if day_zone is None or _key(start) != day_zone:
            text += f" {abbreviation(start)}"
    else:
        on = f"{_weekday(end.date(), lang)} " if entry.day_shift else ""
        text = f"{clock(start)} {abbreviation(start)} → {on}{clock(end)} {abbreviation(end)}"
    if entry.event.category == "travel" and entry.duration is not None:
        text += f" · {duration(entry.duration, lang)}"
    return text


def _home_time(entry: Entry, lang: Lang) -> str:
    """``at home 00:00 CEST Sat`` when the reader's home is at another offset."""
    start, home = entry.start, entry.home_start
    if start is None or home is None or start.utcoffset() == home.utcoffset():
        return ""
    if (
        entry.remote
        and entry.own_start is not None
        and (entry.own_start.utcoffset() == home.utcoffset())
    ):
        return ""  # the host's time beside it is the home time already
    shift = f" {_weekday(home.date(), lang)}" if entry.home_shift else ""
    return f"{_word('home', lang)} {clock(home)} {abbreviation(home)}{shift}"


def _host_time(entry: Entry, lang: Lang) -> str:
    """A remote event's own time beside the reader's: ``host's time 14:00–15:00 MDT``."""
    if entry.own_start is None or entry.own_end is None or not entry.remote:
        return ""
    start, end = entry.own_start, entry.own_end
    return f"{_word('host_time', lang)} {clock(start)}–{clock(end)} {abbreviation(end)}"


def _what(book: Booklet, entry: Entry, lang: Lang) -> str:
    event = entry.event
    if event.category == "travel":
        service = " ".join(p for p in (event.carrier, event.number) if p)
        kind = label(event.kind, lang) + (f" {service}" if service else "")
        route = ""
        if event.origin is not None and event.destination is not None:
            route = f"{_place(book, event.origin, lang)} → {_place(book, event.destination, lang)}"
        return f"{kind}: {route}" if route else kind
    if event.category == "stay":
        return f"{label(event.kind, lang)}: {event.title}"
    return f"{event.title} ({label(event.kind, lang)})"


def _details(book: Booklet, entry: Entry, lang: Lang) -> list[str]:
    event = entry.event
    out = []
    if event.category == "activity":
        where = _given(event.venue)
        if event.community is not None:
            town = _place(book, event.community, lang)
            where = f"{where}, {town}" if where else town
        if where:
            out.append(where)
        if entry.remote:
            out.append(_word("remote", lang))
    if event.category == "stay":
        out.append(_given(event.venue) or _word("address_tbc", lang))
    if _given(event.public_notes):
        out.append(_given(event.public_notes))
    if entry.people:
        out.append(f"{_word('people', lang)}: {', '.join(entry.people)}")
    return out


def _given(text: str) -> str:
    """A text of the plan as given, or "" when it holds nothing to read. (Not ``strip()``:
    that would drop a U+2028 or U+0085 the reader must see as U+FFFD.)"""
    return text.strip(" \t\r\n") if text.strip() else ""


def _place(book: Booklet, place: str, lang: Lang) -> str:
    if not place:
        return _word("on_the_way", lang)
    name = book.place(place)
    return f"{name} ({label('tbc', lang)})" if place in book.unconfirmed else name


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _entry(book: Booklet, entry: Entry, day_zone: str | None, lang: Lang) -> dict[str, Any]:
    event = entry.event
    return {
        "uid": event.uid,
        "category": event.category,
        "kind": event.kind,
        "start": _iso(event.start),
        "end": _iso(event.end),
        "timezone": event.timezone,
        "end_timezone": event.end_timezone,
        "local_start": _iso(entry.start),
        "local_end": _iso(entry.end),
        "zones": sorted({abbreviation(m) for m in (entry.start, entry.end) if m is not None}),
        "duration_minutes": (
            int(entry.duration.total_seconds() // 60) if entry.duration is not None else None
        ),
        "remote": entry.remote,
        "provisional": event.provisional,
        "time": _time(entry, day_zone, lang),
        "home_time": _home_time(entry, lang),
        "host_time": _host_time(entry, lang),
        "what": _what(book, entry, lang),
        "details": _details(book, entry, lang),
    }


def _tonight(book: Booklet, day: BookletDay, lang: Lang) -> dict[str, Any] | None:
    night = day.night
    if night is None:
        return None
    if night.stay is None:
        if night.at_home:
            return None
        text = _word("night_travel" if not night.place else "lodging_tbc", lang)
        return {"stay": None, "text": text, "provisional": bool(night.place)}
    stay = night.stay
    parts = [f"{label(stay.kind, lang)}: {stay.title}"]
    parts.append(night.address or _word("address_tbc", lang))
    if night.check_in is not None:
        parts.append(f"{_word('check_in', lang)} {short_date(night.check_in, lang)}")
    if night.check_out is not None:
        parts.append(f"{_word('check_out', lang)} {short_date(night.check_out, lang)}")
    return {
        "stay": stay.uid,
        "community": night.place,
        "address": night.address,
        "check_in": night.check_in.isoformat() if night.check_in else None,
        "check_out": night.check_out.isoformat() if night.check_out else None,
        "provisional": night.provisional,
        "text": " · ".join(parts),
    }


def _where(book: Booklet, day: BookletDay, lang: Lang) -> str:
    if day.zone is None:
        return ""
    route = " → ".join(_place(book, p, lang) for p in day.places)
    noon = datetime.combine(day.day, datetime.min.time().replace(hour=12))
    from tripplan.timeutils import zone

    return f"{route} · {abbreviation(noon.replace(tzinfo=zone(day.zone)))}"


def _continued(book: Booklet, day: BookletDay, lang: Lang) -> list[str]:
    """Legs of an earlier day that arrive on this one (an overnight flight is listed once,
    under the day it departs; the day it lands says when it lands)."""
    out = []
    for earlier in book.days:
        if earlier.day >= day.day:
            break
        for entry in earlier.entries:
            if entry.event.category != "travel" or entry.start is None or entry.end is None:
                continue
            if entry.end.date() == day.day:
                out.append(
                    translate(
                        msg(
                            "{what} arrives at {time} (departed {day})",
                            what=_what(book, entry, lang),
                            time=f"{clock(entry.end)} {abbreviation(entry.end)}",
                            day=f"{_weekday(entry.start.date(), lang)} {clock(entry.start)} "
                            f"{abbreviation(entry.start)}",
                        ),
                        lang,
                    )
                )
    return out


def _day(book: Booklet, day: BookletDay, lang: Lang) -> dict[str, Any]:
    pending = [
        _pending_text(book, p.event.title, p.window_start, p.window_end, lang)
        for p in book.pending
        if p.window_start.date() == day.day
    ]
    return {
        "day": day.day.isoformat(),
        "heading": long_date(day.day, lang),
        "where": _where(book, day, lang),
        "timezone": day.zone,
        "travel": day.travelling,
        "entries": [_entry(book, e, day.zone, lang) for e in day.entries],
        "continued": _continued(book, day, lang),
        "pending": pending,
        "tonight": _tonight(book, day, lang),
        "present": [
            {"place": _place(book, place, lang), "people": list(people)}
            for place, people in day.present
        ],
    }


def _shown(book: Booklet, day: BookletDay) -> bool:
    """A day at home without events (or activities still to be scheduled) takes no page."""
    waiting = any(p.window_start.date() == day.day for p in book.pending)
    return not (day.at_home and not day.entries and not waiting)


def _overview(book: Booklet, lang: Lang) -> dict[str, Any]:
    """Days across, places down: where the reader sleeps each night (the coordinator's
    volume: every place someone is), travel days marked."""
    rows: list[str] = []
    cells = []
    for n, day in enumerate(book.days):
        if day.night is not None:
            place = day.night.place
            if day.night.at_home and day.places:
                place = day.places[-1]
            names = [_place(book, place, lang)]
        else:
            names = [_place(book, place, lang) for place, _ in day.present]
        for name in names:
            if name not in rows:
                rows.append(name)
        first = n == 0 or day.day.month != book.days[n - 1].day.month
        cells.append(
            {
                "day": day.day.isoformat(),
                "label": _day_label(day.day, lang) if first else "",
                "number": str(day.day.day),
                "places": [rows.index(name) for name in names],
                "travel": day.travelling,
            }
        )
    return {"places": rows, "days": cells}


def _day_label(day: date, lang: Lang) -> str:
    """The month above its first day in the chart (the day's number is below it)."""
    from babel.dates import format_skeleton

    return str(format_skeleton("MMM", day, locale=lang))


QR_ERROR = "m"
"""The error correction of the booklets' QR codes: 15 % of the code may be damaged."""
QR_BYTES = 2331
"""The most bytes a QR code holds at that error correction (version 40-M)."""


def _qr_code(url: str) -> Any:
    """The booklets' QR code of ``url`` (segno's; DataOverflowError when it is too long)."""
    import segno

    return segno.make(url, error=QR_ERROR)


def fits_qr(url: str) -> bool:
    """Whether ``url`` fits in the booklets' QR code (at most :data:`QR_BYTES`)."""
    import segno

    try:
        _qr_code(url)
    except segno.DataOverflowError:
        return False
    return True


def _qr(url: str) -> dict[str, Any]:
    """A QR code as its size and dark runs ``[row, column, length]``, drawn by the template."""
    matrix = _qr_code(url).matrix
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
    book: Booklet,
    lang: Lang,
    paper: str = "a5",
    calendar_url: str | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """The booklet as a JSON document: what every rendering prints, in ``lang``."""
    texts = {key: _word(key, lang) for key in _WORDS}
    internal = book.delegate is None
    title = (
        f"{texts['volume']}: {book.programme}" if internal else f"{texts['booklet']}: {book.name}"
    )
    trips = [t.title for t in book.trips]
    made = as_of or date.today()
    texts.update(
        {
            "title": title,
            "running_head": _short(
                f"{book.name} · {' · '.join(trips)}"
                if not internal
                else f"{book.programme} · {texts['internal']}"
            ),
            "as_of": translate(msg("as of {day}", day=MessageDay(made)), lang),
            "dates": date_range(book.first_day, book.last_day, lang),
        }
    )
    return {
        "$schema": f"https://tripplan.invalid/schema/booklet-{VERSION}.json",
        "version": VERSION,
        "language": str(lang),
        "audience": "internal" if internal else "delegate",
        "paper": paper,
        "as_of": made.isoformat(),
        "delegate": (
            None
            if book.delegate is None
            else {"id": book.delegate, "name": book.name, "home_timezone": book.home_zone}
        ),
        "programme": {
            "name": book.programme,
            "organiser": book.organiser,
            "supporters": list(book.supporters),
        },
        "trips": [
            {
                "id": t.id,
                "title": t.title,
                "first_day": t.first_day.isoformat(),
                "last_day": t.last_day.isoformat(),
                "provisional": t.provisional,
            }
            for t in book.trips
        ],
        "first_day": book.first_day.isoformat(),
        "last_day": book.last_day.isoformat(),
        "texts": texts,
        "calendar": (
            {"url": calendar_url, "qr": _qr(calendar_url)} if calendar_url is not None else None
        ),
        "overview": _overview(book, lang),
        "days": [_day(book, d, lang) for d in book.days if _shown(book, d)],
        "pending": [
            {
                "uid": p.event.uid,
                "title": p.event.title,
                "window_start": p.window_start.isoformat(),
                "window_end": p.window_end.isoformat(),
                "text": _pending_text(book, p.event.title, p.window_start, p.window_end, lang),
            }
            for p in book.pending
        ],
        "contacts": [{"name": name, "contact": contact} for name, contact in book.contacts],
        "communities": [{"name": n, "address": a} for n, a in book.communities],
        "reminders": [translate(r, lang) for r in book.reminders],
    }


def _short(text: str, most: int = 90) -> str:
    """A running head fits one line: cut at ``most`` characters, with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _moment(moment: datetime, lang: Lang) -> str:
    if moment.hour == 0 and moment.minute == 0:
        return short_date(moment.date(), lang)
    return f"{short_date(moment.date(), lang)} {clock(moment)}"


def _pending_text(book: Booklet, title: str, opens: datetime, closes: datetime, lang: Lang) -> str:
    from datetime import timedelta

    last = closes
    if closes.hour == 0 and closes.minute == 0:
        last = closes - timedelta(days=1)  # a window to the end of a day: that day
    if opens.date() == last.date() and (opens.hour, opens.minute) == (0, 0) and last is not closes:
        return translate(
            msg(
                "{title}: to be scheduled on {day}", title=title, day=short_date(opens.date(), lang)
            ),
            lang,
        )
    return translate(
        msg(
            "{title}: to be scheduled between {first} and {last}",
            title=title,
            first=_moment(opens, lang),
            last=_moment(last, lang),
        ),
        lang,
    )


def render_booklet_json(document: dict[str, Any]) -> str:
    from tripplan.render.common import dump_json

    return dump_json(document)


def render_booklet_pdf(document: dict[str, Any]) -> bytes:
    """The booklet as PDF, typeset by Typst from its document."""
    return typeset("booklet.typ", document, mark=marks.pdf_keywords(marks.BOOKLET))


# -- HTML ---------------------------------------------------------------------------


def overview_svg(document: dict[str, Any]) -> str:
    """The overview chart as SVG, written by an XML writer (which escapes every text)."""
    overview = document["overview"]
    days, places = overview["days"], overview["places"]
    labels = [*places, document["texts"]["travel"]]
    cell, top = 16, 30
    left = 12 + 7 * max((len(label) for label in labels), default=10)  # 11px sans: < 7px a letter
    width = left + cell * len(days) + 4
    height = top + cell * (len(places) + 1) + 4
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "font-family": "sans-serif",
        },
    )
    ET.SubElement(svg, "title").text = printable(document["texts"]["overview"])
    for x, day in enumerate(days):
        cx = left + x * cell
        if day["label"]:
            ET.SubElement(
                svg, "text", {"x": str(cx), "y": "11", "font-size": "10"}
            ).text = printable(day["label"])
        ET.SubElement(svg, "text", {"x": str(cx + 2), "y": "25", "font-size": "9"}).text = day[
            "number"
        ]
    for y, place in enumerate(labels):
        py = top + y * cell
        ET.SubElement(
            svg, "text", {"x": "0", "y": str(py + 11), "font-size": "11"}
        ).text = printable(place)
        for x, day in enumerate(days):
            filled = day["travel"] if y == len(places) else y in day["places"]
            attributes = {
                "x": str(left + x * cell),
                "y": str(py),
                "width": str(cell - 2),
                "height": str(cell - 2),
                "fill": "#1b3d5c" if filled else "#e8ecf1",
            }
            if filled and y == len(places):
                attributes.update({"fill": "#ffffff", "stroke": "#1b3d5c", "stroke-width": "2"})
            ET.SubElement(svg, "rect", attributes)
    return ET.tostring(svg, encoding="unicode")


def qr_svg(url: str) -> str:
    return str(_qr_code(url).svg_inline(scale=3))


_CSS = """
@page { size: %(paper)s; margin: 12mm; }
body { font-family: "Libertinus Serif", Georgia, serif; margin: 0 auto; max-width: 42rem;
       padding: 1rem; color: #111; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { border-bottom: 1px solid #999; }
section.day { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%%; }
td { vertical-align: top; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
td.time { width: 9rem; } .nb { white-space: nowrap; }
.home, .host { color: #444; font-size: .85em; display: block; }
.tbc { font-style: italic; font-weight: bold; border: 1px dashed #333; padding: 0 .2em; }
.details { color: #333; font-size: .9em; }
.where { font-weight: bold; }
.tonight { border: 1px solid #999; padding: .3rem .5rem; margin-top: .6rem; }
.head { color: #555; font-size: .8em; }
svg { max-width: 100%%; height: auto; }
@media print { body { max-width: none; padding: 0; } }
"""


def render_booklet_html(document: dict[str, Any]) -> str:
    """The booklet as one self-contained HTML page, written from its document."""
    doc = document
    texts = doc["texts"]

    e = escape

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(doc["language"])}">',
        f'<head><meta charset="utf-8">{marks.html_meta(marks.BOOKLET)}',
        f"<title>{e(texts['title'])}</title>",
        f"<style>{_CSS % {'paper': doc['paper'].upper()}}</style></head><body>",
        '<section class="cover">',
        f'<p class="head">{e(texts["running_head"])} · {e(texts["as_of"])}</p>',
        f"<h1>{e(doc['programme']['name'])}</h1>",
    ]
    if doc["delegate"] is not None:
        out.append(
            f"<p>{e(texts['booklet'])} {e(texts['for'])} "
            f"<strong>{e(doc['delegate']['name'])}</strong></p>"
        )
    else:
        out.append(f"<p><strong>{e(texts['volume'])}</strong> ({e(texts['internal'])})</p>")
    trips = " · ".join(t["title"] for t in doc["trips"])
    out += [
        f"<p>{e(trips)}<br>{e(texts['dates'])}</p>",
        f"<p>{e(texts['organiser'])}: {e(doc['programme']['organiser'])}</p>",
    ]
    if doc["programme"]["supporters"]:
        supporters = ", ".join(doc["programme"]["supporters"])
        out.append(f"<p>{e(texts['supporters'])}: {e(supporters)}</p>")
    if doc["calendar"] is not None:
        url = doc["calendar"]["url"]
        out.append(
            f"<figure>{qr_svg(url)}<figcaption>{e(texts['calendar'])}<br>"
            f'<a href="{e(checked_url(url))}">{e(url)}</a></figcaption></figure>'
        )
    overview = texts["overview_all"] if doc["delegate"] is None else texts["overview"]
    out += [f"<h2>{e(overview)}</h2>", overview_svg(doc), "</section>"]
    for day in doc["days"]:
        out.append(_day_html(day, texts, e))
    out.append('<section class="day">')
    for key, items in (
        ("contacts", [f"{c['name']}: {c['contact']}" for c in doc["contacts"]]),
        ("communities", [f"{c['name']}: {c['address']}" for c in doc["communities"]]),
        ("pending", [p["text"] for p in doc["pending"]]),
        ("reminders", list(doc["reminders"])),
    ):
        if items:  # a heading and its list, each item escaped as a whole
            out.append(f"<h2>{e(texts[key])}</h2><ul>")
            out += [f"<li>{e(item)}</li>" for item in items]
            out.append("</ul>")
    out.append("</section></body></html>")
    return "\n".join(out) + "\n"


def _unbroken(time: str, e: Any) -> str:
    """A time that breaks only between its parts ("10:30 CEST →" "13:30 EDT" "· 9 h"), as
    the printed booklet does: a narrow screen wraps it, never inside "50 min"."""
    parts = [
        " → ".join(f'<span class="nb">{e(piece)}</span>' for piece in part.split(" → "))
        for part in time.split(" · ")
    ]
    return " ".join(
        part if n == 0 else f'<span class="nb">· {part}</span>' for n, part in enumerate(parts)
    )


def _day_html(day: dict[str, Any], texts: dict[str, str], e: Any) -> str:
    rows = []
    for entry in day["entries"]:
        tbc = f' <span class="tbc">(?) {e(texts["tbc"])}</span>' if entry["provisional"] else ""
        extra = "".join(
            f'<span class="{cls}">{e(entry[key])}</span>'
            for key, cls in (("host_time", "host"), ("home_time", "home"))
            if entry[key]
        )
        details = "".join(f'<br><span class="details">{e(d)}</span>' for d in entry["details"])
        rows.append(
            f'<tr><td class="time">{_unbroken(entry["time"], e)}{extra}</td>'
            f"<td>{e(entry['what'])}{tbc}{details}</td></tr>"
        )
    rows = [
        f'<tr><td class="time"></td><td><em>{e(text)}</em></td></tr>' for text in day["continued"]
    ] + rows
    rows += [
        f'<tr><td class="time"></td><td><em>{e(text)}</em></td></tr>' for text in day["pending"]
    ]
    body = f"<table>{''.join(rows)}</table>" if rows else f"<p>{e(texts['nothing'])}</p>"
    present = "".join(
        f"<li>{e(p['place'])}: {e(', '.join(p['people']))}</li>" for p in day["present"]
    )
    if present:
        body = f"<ul>{present}</ul>" + body
    tonight = ""
    if day["tonight"] is not None:
        provisional = day["tonight"]["provisional"]
        mark = f' <span class="tbc">(?) {e(texts["tbc"])}</span>' if provisional else ""
        tonight = (
            f'<p class="tonight"><strong>{e(texts["tonight"])}:</strong> '
            f"{e(day['tonight']['text'])}{mark}</p>"
        )
    where = f'<p class="where">{e(day["where"])}</p>' if day["where"] else ""
    return f'<section class="day"><h2>{e(day["heading"])}</h2>{where}{body}{tonight}</section>'
