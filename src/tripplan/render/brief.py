"""A host brief as a terminal table, Markdown or JSON: the same sections in each."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from tripplan.messages import N_, Items, Message, msg, nmsg
from tripplan.messages import Day as MessageDay
from tripplan.planning.brief import (
    BRIEF_VERSION,
    Accommodation,
    Appointment,
    HostBrief,
    Movement,
)
from tripplan.render import marks
from tripplan.render.common import clean, dump_json, plain_text
from tripplan.render.escape import html as e
from tripplan.render.escape import markdown as md
from tripplan.render.escape import terminal
from tripplan.render.i18n import clock, label, language_name, short_date, translate, words
from tripplan.render.typeset import typeset
from tripplan.timeutils import abbreviation
from tripplan.vocabulary import Lang

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, Group, RenderResult

_HEADINGS = {
    "movements": N_("Arrivals and departures"),
    "days": N_("Visitors per day"),
    "appointments": N_("Appointments"),
    "meals": N_("Meals"),
    "lodging": N_("Lodging"),
    "needs": N_("Needs"),
    "languages": N_("Interpreting"),
    "open": N_("Open items"),
    "coordinator": N_("Coordinator"),
}


@dataclass(frozen=True)
class _Section:
    key: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[str, ...] = ()  # sentences, for sections that are no table

    @property
    def numeric(self) -> tuple[bool, ...]:
        """For each column, whether it holds counts only: right-aligned in every form."""
        return tuple(
            bool(self.rows) and all(row[i].isdigit() for row in self.rows)
            for i in range(len(self.columns))
        )


def _when(moment: datetime | None, day: date | None, lang: Lang) -> str:
    if moment is not None:
        return f"{short_date(moment.date(), lang)} {clock(moment)} {abbreviation(moment)}"
    return short_date(day, lang) if day is not None else ""


def _span(a: Appointment, lang: Lang) -> str:
    """``Di., 6. Nov. 09:00–11:00 MEZ``; an all-day item: its days."""
    if a.start is not None and a.end is not None:
        if a.start.date() == a.end.date():
            return f"{_when(a.start, None, lang)[: -len(abbreviation(a.start)) - 1]}–" + (
                f"{clock(a.end)} {abbreviation(a.end)}"
            )
        return f"{_when(a.start, None, lang)} – {_when(a.end, None, lang)}"
    if a.window is not None:
        opens, closes = a.window
        if opens.time() == closes.time() == time(0):  # whole days
            last = closes.date() - timedelta(days=1)
            if last == opens.date():
                return translate(msg("to be scheduled on {day}", day=short_date(last, lang)), lang)
            first_text, last_text = short_date(opens.date(), lang), short_date(last, lang)
        else:
            first_text, last_text = _when(opens, None, lang), _when(closes, None, lang)
        return translate(
            msg(
                "to be scheduled between {opens} and {closes}",
                opens=first_text,
                closes=last_text,
            ),
            lang,
        )
    if a.day is not None and a.last_day is not None and a.last_day != a.day:
        return f"{short_date(a.day, lang)} – {short_date(a.last_day, lang)}"
    return _when(None, a.day, lang)


def _provisional(text: str, provisional: bool, lang: Lang) -> str:
    return text + (f" ({label('provisional', lang)})" if provisional else "")


def _venue(a: Appointment, lang: Lang) -> str:
    """The venue, and who of the visitors joins from elsewhere (a call): no one to meet."""
    venue = clean(a.venue)
    if not a.joining:
        return venue or "–"
    joining = translate(
        nmsg("{n} visitor joins from elsewhere", "{n} visitors join from elsewhere", a.joining),
        lang,
    )
    return f"{venue} ({joining})" if venue else joining


def _appointment_rows(items: tuple[Appointment, ...], lang: Lang) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            _span(a, lang),
            _provisional(clean(a.title), a.provisional, lang),
            _venue(a, lang),
            str(a.visitors),
            str(a.locals),
        )
        for a in items
    )


def _travel(movement: Movement, lang: Lang) -> str:
    """``Flug Lufthansa LH 400``: the mode, carrier and number."""
    parts = (label(movement.mode, lang), clean(movement.carrier), clean(movement.number))
    return " ".join(p for p in parts if p)


def _pickup(movement: Movement, lang: Lang) -> str:
    if not movement.pickup:
        return "–"
    return "; ".join(
        translate(
            nmsg("{n} person of {group}", "{n} people of {group}", n, group=clean(group)), lang
        )
        for group, n in movement.pickup
    )


def _stay_title(stay: Accommodation, lang: Lang) -> str:
    """The stay's name, with its kind unless it is a hotel."""
    kind = "" if stay.kind == "hotel" else f" ({label(stay.kind, lang)})"
    return clean(stay.title) + kind


def closing_line(brief: HostBrief, lang: Lang) -> str:
    """The brief's last line: whom to ask about any other needs."""
    if brief.contact.strip():
        message = msg(
            "For any other needs, ask the coordinator: {coordinator}, {contact}.",
            coordinator=clean(brief.coordinator),
            contact=clean(brief.contact),
        )
    else:
        message = msg(
            "For any other needs, ask the coordinator: {coordinator}.",
            coordinator=clean(brief.coordinator),
        )
    return translate(message, lang)


def sections(brief: HostBrief, lang: Lang) -> list[_Section]:
    """The brief's sections with their rows, in ``lang``; the last line is always
    :func:`closing_line`."""

    def t(english: str) -> str:
        return words(english, lang)

    out = [
        _Section(
            "movements",
            (
                t(N_("When")),
                t(N_("Arrival/departure")),
                t(N_("Travel")),
                t(N_("From/to")),
                t(N_("People")),
                t(N_("Pick-up")),
            ),
            tuple(
                (
                    _when(m.when, None, lang),
                    t(N_("arrival")) if m.direction == "arrival" else t(N_("departure")),
                    _provisional(_travel(m, lang), m.provisional, lang),
                    clean(m.other_end),
                    str(m.people),
                    _pickup(m, lang),
                )
                for m in brief.movements
            ),
        ),
        _Section(
            "days",
            (
                t(N_("Day")),
                t(N_("Visitors")),
                t(N_("Arriving")),
                t(N_("Leaving")),
                t(N_("Sleeping here")),
            ),
            tuple(
                (
                    short_date(d.day, lang),
                    str(d.visitors),
                    str(d.arrivals),
                    str(d.departures),
                    str(d.sleeping),
                )
                for d in brief.days
            ),
        ),
        _Section(
            "appointments",
            (t(N_("When")), t(N_("What")), t(N_("Venue")), t(N_("Visitors")), t(N_("Locals"))),
            _appointment_rows(brief.appointments, lang),
        ),
        _Section(
            "meals",
            (t(N_("When")), t(N_("Meal")), t(N_("Venue")), t(N_("Visitors")), t(N_("Locals"))),
            _appointment_rows(brief.meals, lang),
        ),
        _Section(
            "lodging",
            (
                t(N_("Stay")),
                t(N_("Address")),
                t(N_("First night")),
                t(N_("Check-out")),
                t(N_("Nights")),
                t(N_("People")),
                t(N_("Room nights")),
            ),
            tuple(
                (
                    _provisional(_stay_title(s, lang), s.provisional, lang),
                    clean(s.address) if s.address else label("tbc", lang),
                    short_date(s.first_night, lang),
                    short_date(s.check_out, lang),
                    str(s.nights),
                    str(s.people),
                    str(s.room_nights),
                )
                for s in brief.lodging
            ),
        ),
    ]
    needs = []
    for need in brief.needs:
        kind = msg("dietary needs") if need.kind == "dietary" else msg("access needs")
        items = Items(
            tuple(
                nmsg("{need} ({n} person)", "{need} ({n} people)", n, need=clean(text))
                for text, n in need.shared
            )
        )
        needs.append(translate(msg("{kind}: {items}", kind=kind, items=items), lang))
    out.append(_Section("needs", (), (), tuple(needs) or (t(N_("No needs shared.")),)))
    host = ", ".join(language_name(code, lang) for code in brief.languages)
    if not brief.languages:
        languages = (t(N_("The host's languages are not recorded (communities.languages).")),)
    elif brief.interpreting:
        spoken = Items(
            tuple(
                nmsg(
                    "{language} ({n} person)",
                    "{language} ({n} people)",
                    n,
                    language=language_name(code, lang),
                )
                for code, n in brief.interpreting
            )
        )
        languages = (
            translate(
                msg(
                    "Some visitors speak none of the host's languages ({host}); they speak: "
                    "{spoken}.",
                    host=host,
                    spoken=spoken,
                ),
                lang,
            ),
        )
    else:
        languages = (
            translate(msg("Every visitor speaks one of the host's languages ({host}).",
                          host=host), lang),
        )  # fmt: skip
    out.append(_Section("languages", (), (), languages))
    opened = tuple(dict.fromkeys(clean(translate(item, lang)) for item in brief.open_items))
    out.append(_Section("open", (), (), opened or (label("no_open_items", lang),)))
    out.append(_Section("coordinator", (), (), (closing_line(brief, lang),)))
    return out


def _title(brief: HostBrief, lang: Lang) -> str:
    return translate(_titled(clean(brief.name)), lang)


def _titled(name: str) -> Message:
    return msg("Host brief: {name}", name=name)


def brief_heads() -> tuple[bytes, ...]:
    """How the text form of a brief begins, in every language tripplan speaks: its title
    up to the host's name. ``render.marks`` recognises a brief written as text by it (the
    text carries no mark a reader would not see)."""
    name = "tripplan-host-name"  # plain text: translated as it is, and then cut off
    return tuple(translate(_titled(name), lang).partition(name)[0].encode() for lang in Lang)


def render_brief_text(brief: HostBrief, lang: Lang, console: Any) -> str:
    """The terminal's table as text for a file (:func:`render.common.plain_text`)."""
    return plain_text(render_brief_table(brief, lang), console)


def render_brief_markdown(brief: HostBrief, lang: Lang) -> str:
    out = [marks.markdown_comment(marks.BRIEF), f"# {md(_title(brief, lang))}", ""]
    for section in sections(brief, lang):
        out += [f"## {words(_HEADINGS[section.key], lang)}", ""]
        if section.columns:
            if not section.rows:
                out += ["–", ""]
                continue
            out.append("| " + " | ".join(section.columns) + " |")
            out.append("|" + "".join("---:|" if n else "---|" for n in section.numeric))
            out += ["| " + " | ".join(md(c) for c in row) + " |"
                    for row in section.rows]  # fmt: skip
        else:
            out += [f"- {md(line)}" for line in section.lines]
        out.append("")
    return "\n".join(out)


def render_brief_table(brief: HostBrief, lang: Lang) -> Group:
    from rich.console import Group
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [Text(terminal(_title(brief, lang)), style="bold")]
    for section in sections(brief, lang):
        heading = words(_HEADINGS[section.key], lang)
        if section.columns and section.rows:
            parts.append(_FittedTable(heading, section))
        elif section.columns:  # a table with no rows
            parts += [Text(heading, style="bold"), Padding(Text("–"), (0, 0, 0, 2))]
        else:  # a list: each item after a bullet, its lines wrapped under its first word
            items = Table.grid(padding=(0, 1, 0, 0))
            items.add_column(width=3, justify="right")
            items.add_column()
            for line in section.lines:
                items.add_row("•", Text(terminal(line)))
            parts += [Text(heading, style="bold"), items]
    return Group(*parts)


def _heading_parts(column: str) -> list[str]:
    """A column heading in the pieces it may be broken into: after each slash."""
    return [part for part in re.split(r"(?<=/)", column) if part]


class _FittedTable:
    """A section's table at the console's width: numbers right-aligned, and each column at
    least as wide as its longest word while the width allows (so words are not broken)."""

    def __init__(self, heading: str, section: _Section) -> None:
        self.heading, self.section = heading, section

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.table import Table
        from rich.text import Text

        section = self.section
        columns = [
            (column, [terminal(row[i]) for row in section.rows])
            for i, column in enumerate(section.columns)
        ]
        room = options.max_width - 3 * (len(columns) - 1)  # a separator and two pads each
        # each column as wide as its longest word; when that is too wide, a heading may break
        # after a slash ("Ankunft/" "Abreise"), never inside a word
        longest = [
            max((len(w) for c in [column, *cells] for w in c.split()), default=1)
            for column, cells in columns
        ]
        if sum(longest) > room:
            longest = [
                max(len(w) for c in [*_heading_parts(column), *cells] for w in c.split())
                for column, cells in columns
            ]
        natural = [max(len(c) for c in [column, *cells]) for column, cells in columns]
        widths = list(longest)
        while sum(widths) > room and max(widths) > 4:
            widths[widths.index(max(widths))] -= 1
        while sum(widths) < room:  # the rest to the column needing the most lines
            lines = [
                (max((-(-len(c) // w) for c in cells), default=1), n - w) if n > w else (0, 0)
                for (_, cells), n, w in zip(columns, natural, widths, strict=True)
            ]
            if max(lines) == (0, 0):
                break
            widths[lines.index(max(lines))] += 1
        table = Table(title=self.heading, title_justify="left", show_edge=False, pad_edge=False)
        for (column, _), width, numeric in zip(columns, widths, section.numeric, strict=True):
            heading = column if len(column) <= width else "\n".join(_heading_parts(column))
            table.add_column(
                heading, justify="right" if numeric else "left", width=width, overflow="fold"
            )
        for row in section.rows:
            table.add_row(*(Text(terminal(cell)) for cell in row))
        yield table


def brief_document(brief: HostBrief, lang: Lang) -> dict[str, Any]:
    """The brief as the JSON document of docs/json-output.md (version
    :data:`~tripplan.planning.brief.BRIEF_VERSION`)."""
    return {
        "version": BRIEF_VERSION,
        "community": brief.community,
        "name": brief.name,
        "programme": brief.programme,
        "trips": list(brief.trips),
        "movements": [
            {
                "direction": m.direction,
                "when": m.when.isoformat(),
                "zone": abbreviation(m.when),
                "leg": m.uid,
                "trip": m.trip,
                "mode": m.mode,
                "carrier": m.carrier,
                "number": m.number,
                "other_end": m.other_end,
                "people": m.people,
                "visitors": m.visitors,
                "pickup": [{"delegation": group, "people": n} for group, n in m.pickup],
                "provisional": m.provisional,
            }
            for m in brief.movements
        ],
        "days": [
            {
                "day": d.day.isoformat(),
                "visitors": d.visitors,
                "arriving": d.arrivals,
                "leaving": d.departures,
                "sleeping": d.sleeping,
            }
            for d in brief.days
        ],
        "appointments": [_appointment_json(a) for a in brief.appointments],
        "meals": [_appointment_json(a) for a in brief.meals],
        "lodging": [
            {
                "stay": s.title,
                "kind": s.kind,
                "address": s.address,
                "first_night": s.first_night.isoformat(),
                "check_out": s.check_out.isoformat(),
                "nights": s.nights,
                "people": s.people,
                "room_nights": s.room_nights,
                "provisional": s.provisional,
            }
            for s in brief.lodging
        ],
        "needs": [{"kind": n.kind, "shared": dict(n.shared)} for n in brief.needs],
        "languages": {code: language_name(code, lang) for code in brief.languages},
        "interpreting": [
            {"language": code, "name": language_name(code, lang), "visitors": n}
            for code, n in brief.interpreting
        ],
        "open_items": list(dict.fromkeys(translate(item, lang) for item in brief.open_items)),
        "coordinator": {"name": brief.coordinator, "contact": brief.contact},
        "closing": closing_line(brief, lang),
    }


def render_brief_json(brief: HostBrief, lang: Lang) -> str:
    return dump_json(brief_document(brief, lang))


def _appointment_json(a: Appointment) -> dict[str, Any]:
    return {
        "event": a.uid,
        "title": a.title,
        "kind": a.kind,
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        "day": a.day.isoformat() if a.day else None,
        "last_day": a.last_day.isoformat() if a.last_day else None,
        "venue": a.venue,
        "visitors": a.visitors,
        "joining": a.joining,
        "locals": a.locals,
        "people": a.people,
        "provisional": a.provisional,
        "window": [moment.isoformat() for moment in a.window] if a.window else None,
    }


_BRIEF_CSS = """
@page { size: A4; margin: 15mm; }
.version { color: #555; font-size: .9em; margin-top: -.6rem; }
body { font-family: "Libertinus Serif", Georgia, serif; max-width: 48rem; margin: 0 auto;
       padding: 1rem; color: #111; }
h2 { border-bottom: 1px solid #999; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
th.num, td.num { text-align: right; }
section { break-inside: avoid; }
"""


def render_brief_html(brief: HostBrief, lang: Lang) -> str:
    """The brief as one self-contained HTML page that prints well."""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">{marks.html_meta(marks.BRIEF)}',
        f"<title>{e(_title(brief, lang))}</title><style>{_BRIEF_CSS}</style></head><body>",
        f"<h1>{e(_title(brief, lang))}</h1>",
        f'<p class="version">{e(_version(brief, lang, None))}</p>',
    ]
    for section in sections(brief, lang):
        out.append(f"<section><h2>{e(words(_HEADINGS[section.key], lang))}</h2>")
        if section.columns:
            if section.rows:
                kinds = [' class="num"' if n else "" for n in section.numeric]
                out.append(
                    "<table><tr>"
                    + "".join(
                        f"<th{k}>{e(c)}</th>" for c, k in zip(section.columns, kinds, strict=True)
                    )
                )
                out += [
                    "<tr>"
                    + "".join(f"<td{k}>{e(cell)}</td>" for cell, k in zip(row, kinds, strict=True))
                    + "</tr>"
                    for row in section.rows
                ]
                out.append("</table>")
            else:
                out.append("<p>–</p>")
        else:
            out.append("<ul>" + "".join(f"<li>{e(line)}</li>" for line in section.lines) + "</ul>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _version(brief: HostBrief, lang: Lang, as_of: date | None) -> str:
    """``Transatlantic Exchange 2018 – Bautzen · as of 06 Dec 2018``: which programme, and
    which version of the brief a host holds."""
    made = as_of or date.today()
    made_on = translate(msg("as of {day}", day=MessageDay(made)), lang)
    return f"{clean(brief.programme)} · {made_on}"


def printed_brief(brief: HostBrief, lang: Lang, as_of: date | None = None) -> dict[str, Any]:
    """What the printed brief shows, as data for its Typst template (``templates/brief.typ``):
    the same sections as every other form, every text placed as text."""
    return {
        "language": str(lang),
        "title": _title(brief, lang),
        "version": _version(brief, lang, as_of),
        "author": clean(brief.coordinator),
        "sections": [
            {
                "heading": words(_HEADINGS[section.key], lang),
                "columns": list(section.columns),
                "numeric": list(section.numeric),
                "rows": [list(row) for row in section.rows],
                "lines": list(section.lines),
            }
            for section in sections(brief, lang)
        ],
    }


def render_brief_pdf(brief: HostBrief, lang: Lang) -> bytes:
    """The brief as PDF, typeset by Typst from data (``templates/brief.typ``)."""
    return typeset("brief.typ", printed_brief(brief, lang), mark=marks.pdf_keywords(marks.BRIEF))
