"""A delegate's booklet as a self-contained HTML page (print CSS, a page per day) or as a
PDF typeset with Typst (fonts embedded, no system packages needed)."""

from __future__ import annotations

from tripplan.messages import N_
from tripplan.planning.booklet import Booklet, BookletDay, Entry
from tripplan.render import marks
from tripplan.render.escape import html as escape
from tripplan.render.escape import url as checked_url
from tripplan.render.i18n import (
    clock,
    date_range,
    label,
    long_date,
    short_date,
    translate,
    words,
)
from tripplan.render.typeset import typst_pdf, typst_text
from tripplan.vocabulary import Lang

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


def overview_svg(book: Booklet) -> str:
    """Days across, places down: a filled square where the delegate is that day."""
    cell, left, top = 14, 150, 18
    width = left + cell * len(book.days) + 4
    height = top + cell * len(book.places) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for x, day in enumerate(book.days):
        if day.day.day == 1 or x == 0 or day.day.weekday() == 0:
            parts.append(
                f'<text x="{left + x * cell}" y="12" font-size="9">{day.day:%d.%m.}</text>'
            )
    for y, place in enumerate(book.places):
        py = top + y * cell
        parts.append(f'<text x="0" y="{py + 11}" font-size="10">{escape(place)}</text>')
        for x, day in enumerate(book.days):
            fill = "#24527a" if day.place == place else "#eef1f5"
            parts.append(
                f'<rect x="{left + x * cell}" y="{py}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{fill}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


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
    e = escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        f'<head><meta charset="utf-8">{marks.html_meta(marks.BOOKLET)}',
        f"<title>{e(_word('booklet', lang))}: {e(book.name)}</title>",
        f"<style>{_CSS % {'paper': paper.upper()}}</style></head><body>",
        '<section class="cover">',
        f"<h1>{e(book.programme)}</h1>",
        f"<p>{e(_word('booklet', lang))} {e(_word('for', lang))} "
        f"<strong>{e(book.name)}</strong></p>",
        f"<p>{e(' · '.join(book.trips))}<br>"
        f"{e(date_range(book.first_day, book.last_day, lang))}</p>",
        f"<p>{e(_word('organiser', lang))}: {e(book.organiser)}</p>",
    ]
    if book.supporters:
        out.append(f"<p>{e(_word('supporters', lang))}: {e(', '.join(book.supporters))}</p>")
    if calendar_url:
        out.append(
            f"<figure>{qr_svg(calendar_url)}<figcaption>{e(_word('calendar', lang))}<br>"
            f'<a href="{e(checked_url(calendar_url))}">{e(calendar_url)}</a></figcaption></figure>'
        )
    out += [f"<h2>{e(_word('overview', lang))}</h2>", overview_svg(book), "</section>"]
    for day in book.days:
        out.append(_day_html(day, lang))
    out.append(f'<section class="day"><h2>{e(_word("contacts", lang))}</h2><ul>')
    out += [f"<li>{e(name)}: {e(contact)}</li>" for name, contact in book.contacts]
    out.append("</ul>")
    if book.reminders:
        out.append(f"<h2>{e(_word('reminders', lang))}</h2><ul>")
        out += [f"<li>{e(translate(r, lang))}</li>" for r in book.reminders]
        out.append("</ul>")
    out.append("</section></body></html>")
    return "\n".join(out) + "\n"


def _day_html(day: BookletDay, lang: Lang) -> str:
    e = escape
    rows = []
    for entry in day.entries:
        tbc = f' <span class="tbc">({e(_word("tbc", lang))})</span>' if entry.provisional else ""
        home = _home(entry, lang)
        details = "".join(f'<br><span class="details">{e(d)}</span>' for d in entry.details)
        rows.append(
            f'<tr><td class="time">{e(_time(entry))}'
            + (f'<span class="home">{e(home)}</span>' if home else "")
            + f"</td><td>{e(_title(entry, lang))}{tbc}{details}</td></tr>"
        )
    body = f"<table>{''.join(rows)}</table>" if rows else f"<p>{e(_word('nothing', lang))}</p>"
    place = f" — {e(day.place)}" if day.place else ""
    return f'<section class="day"><h2>{e(long_date(day.day, lang))}{place}</h2>{body}</section>'


def booklet_typst(
    book: Booklet, lang: Lang, paper: str = "a5", calendar_url: str | None = None
) -> str:
    """The booklet as Typst markup."""
    t = typst_text
    out = [
        f'#set page(paper: "{paper}", margin: 12mm)',
        f'#set text(lang: "{lang}", size: 9.5pt)',
        f'#text(size: 18pt, weight: "bold")[{t(book.programme)}]',
        "",
        f"{t(_word('booklet', lang))} {t(_word('for', lang))} *{t(book.name)}*",
        "",
        f"{t(' · '.join(book.trips))} \\",
        f"{t(date_range(book.first_day, book.last_day, lang))}",
        "",
        f"{t(_word('organiser', lang))}: {t(book.organiser)}",
        "",
    ]
    if book.supporters:
        out += [f"{t(_word('supporters', lang))}: {t(', '.join(book.supporters))}", ""]
    if calendar_url:
        import segno

        svg = segno.make(calendar_url, error="m").svg_inline(scale=3).replace('"', '\\"')
        out += [
            f'#image(bytes("{svg}"), format: "svg", width: 3cm)',
            f"{t(_word('calendar', lang))}: {t(calendar_url)}",
            "",
        ]
    svg = overview_svg(book).replace('"', '\\"')
    out += [
        f"== {t(_word('overview', lang))}",
        f'#image(bytes("{svg}"), format: "svg", width: 100%)',
        "",
    ]
    for day in book.days:
        out.append("#pagebreak()")
        place = f" — {t(day.place)}" if day.place else ""
        out.append(f"== {t(long_date(day.day, lang))}{place}")
        if not day.entries:
            out.append(t(_word("nothing", lang)))
            continue
        cells = []
        for entry in day.entries:
            home = _home(entry, lang)
            when = t(_time(entry)) + (f" \\ #text(size: 8pt)[{t(home)}]" if home else "")
            what = f"*{t(_title(entry, lang))}*"
            if entry.provisional:
                what += f" #text(fill: red)[({t(_word('tbc', lang))})]"
            for detail in entry.details:
                what += f" \\ #text(size: 8.5pt)[{t(detail)}]"
            cells.append(f"[{when}], [{what}],")
        out.append("#table(columns: (2.4cm, 1fr), stroke: none, " + " ".join(cells) + ")")
    out += ["#pagebreak()", f"== {t(_word('contacts', lang))}"]
    out += [f"- {t(name)}: {t(contact)}" for name, contact in book.contacts]
    if book.reminders:
        out += ["", f"== {t(_word('reminders', lang))}"]
        out += [f"- {t(translate(r, lang))}" for r in book.reminders]
    return "\n".join(out) + "\n"


def render_booklet_pdf(
    book: Booklet, lang: Lang, paper: str = "a5", calendar_url: str | None = None
) -> bytes:
    """The booklet as PDF, typeset by Typst with its own embedded fonts."""
    return typst_pdf(
        booklet_typst(book, lang, paper, calendar_url), mark=marks.pdf_keywords(marks.BOOKLET)
    )
