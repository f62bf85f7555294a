"""A host brief as a terminal table, Markdown or JSON: the same sections in each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tripplan.messages import N_, Items, msg, nmsg
from tripplan.planning.brief import Appointment, HostBrief
from tripplan.render.common import clean, dump_json
from tripplan.render.i18n import clock, label, short_date, translate, words
from tripplan.render.typeset import typeset
from tripplan.vocabulary import Lang

if TYPE_CHECKING:
    from rich.console import Group

_HEADINGS = {
    "movements": N_("Arrivals and departures"),
    "days": N_("People per day"),
    "appointments": N_("Appointments"),
    "meals": N_("Meals"),
    "lodging": N_("Lodging"),
    "needs": N_("Needs"),
    "languages": N_("Interpreting"),
    "open": N_("Open items"),
}


@dataclass(frozen=True)
class _Section:
    key: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    lines: tuple[str, ...] = ()  # sentences, for sections that are no table


def _when(moment: datetime | None, day: date | None, lang: Lang) -> str:
    if moment is not None:
        return f"{short_date(moment.date(), lang)} {clock(moment)}"
    return short_date(day, lang) if day is not None else ""


def _appointment_rows(items: tuple[Appointment, ...], lang: Lang) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            _when(a.start, a.day, lang),
            clean(a.title) + (f" ({label('provisional', lang)})" if a.provisional else ""),
            str(a.people),
        )
        for a in items
    )


def sections(brief: HostBrief, lang: Lang) -> list[_Section]:
    """The brief's sections with their rows, in ``lang``."""

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
            ),
            tuple(
                (
                    _when(m.when, None, lang),
                    t(N_("arrival")) if m.direction == "arrival" else t(N_("departure")),
                    " ".join(p for p in (label(m.mode, lang), m.carrier, m.number) if p),
                    clean(m.other_end),
                    str(m.people),
                )
                for m in brief.movements
            ),
        ),
        _Section(
            "days",
            (t(N_("Day")), t(N_("People"))),
            tuple((short_date(day, lang), str(count)) for day, count in brief.days),
        ),
        _Section(
            "appointments",
            (t(N_("When")), t(N_("What")), t(N_("People"))),
            _appointment_rows(brief.appointments, lang),
        ),
        _Section(
            "meals",
            (t(N_("When")), t(N_("Meal")), t(N_("People"))),
            _appointment_rows(brief.meals, lang),
        ),
        _Section(
            "lodging",
            (t(N_("Stay")), t(N_("First night")), t(N_("Nights")), t(N_("People"))),
            tuple(
                (clean(s.title), short_date(s.first_night, lang), str(s.nights), str(s.people))
                for s in brief.lodging
            ),
        ),
    ]
    needs = []
    for need in brief.needs:
        kind = msg("dietary needs") if need.kind == "dietary" else msg("access needs")
        if need.shared:
            items = Items(tuple(msg("{count} × {need}", count=n, need=text)
                                for text, n in need.shared))  # fmt: skip
            needs.append(translate(msg("{kind}: {items}", kind=kind, items=items), lang))
        if need.undisclosed:
            needs.append(
                translate(
                    nmsg(
                        "{n} delegate has {kind} they did not share: ask the coordinator",
                        "{n} delegates have {kind} they did not share: ask the coordinator",
                        need.undisclosed,
                        kind=kind,
                    ),
                    lang,
                )
            )
    out.append(_Section("needs", (), (), tuple(needs) or (t(N_("No needs recorded.")),)))
    if not brief.languages:
        languages = (t(N_("The host's languages are not recorded (communities.languages).")),)
    elif brief.interpreting:
        spoken = ", ".join(f"{code} ({n})" for code, n in brief.interpreting)
        languages = (
            translate(
                msg(
                    "Some visitors speak none of the host's languages ({host}); they speak: "
                    "{spoken}.",
                    host=", ".join(brief.languages),
                    spoken=spoken,
                ),
                lang,
            ),
        )
    else:
        languages = (
            translate(
                msg("Every visitor speaks one of the host's languages ({host}).",
                    host=", ".join(brief.languages)),
                lang,
            ),
        )  # fmt: skip
    out.append(_Section("languages", (), (), languages))
    opened = tuple(translate(item, lang) for item in brief.open_items)
    out.append(_Section("open", (), (), opened or (label("no_open_items", lang),)))
    return out


def _title(brief: HostBrief, lang: Lang) -> str:
    return translate(msg("Host brief: {name}", name=brief.name), lang)


def render_brief_markdown(brief: HostBrief, lang: Lang) -> str:
    out = [f"# {_title(brief, lang)}", ""]
    for section in sections(brief, lang):
        out += [f"## {words(_HEADINGS[section.key], lang)}", ""]
        if section.columns:
            if not section.rows:
                out += ["–", ""]
                continue
            out.append("| " + " | ".join(section.columns) + " |")
            out.append("|" + "---|" * len(section.columns))
            out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"
                    for row in section.rows]  # fmt: skip
        else:
            out += [f"- {line}" for line in section.lines]
        out.append("")
    return "\n".join(out)


def render_brief_table(brief: HostBrief, lang: Lang) -> Group:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [Text(_title(brief, lang), style="bold")]
    for section in sections(brief, lang):
        heading = words(_HEADINGS[section.key], lang)
        if section.columns:
            table = Table(title=heading, title_justify="left", show_edge=False)
            for column in section.columns:
                table.add_column(column)
            for row in section.rows:
                table.add_row(*(Text(cell) for cell in row))
            parts.append(table)
        else:
            parts.append(Text(heading, style="bold"))
            parts += [Text(f"  {line}") for line in section.lines]
    return Group(*parts)


def render_brief_json(brief: HostBrief, lang: Lang) -> str:
    document: dict[str, Any] = {
        "version": 1,
        "community": brief.community,
        "name": brief.name,
        "trips": list(brief.trips),
        "movements": [
            {
                "direction": m.direction,
                "when": m.when.isoformat(),
                "leg": m.uid,
                "mode": m.mode,
                "carrier": m.carrier,
                "number": m.number,
                "other_end": m.other_end,
                "people": m.people,
            }
            for m in brief.movements
        ],
        "days": [{"day": d.isoformat(), "people": n} for d, n in brief.days],
        "appointments": [_appointment_json(a) for a in brief.appointments],
        "meals": [_appointment_json(a) for a in brief.meals],
        "lodging": [
            {
                "stay": s.title,
                "first_night": s.first_night.isoformat(),
                "nights": s.nights,
                "people": s.people,
            }
            for s in brief.lodging
        ],
        "needs": [
            {"kind": n.kind, "shared": dict(n.shared), "undisclosed": n.undisclosed}
            for n in brief.needs
        ],
        "languages": list(brief.languages),
        "interpreting": dict(brief.interpreting),
        "open_items": [translate(item, lang) for item in brief.open_items],
    }
    return dump_json(document)


def _appointment_json(a: Appointment) -> dict[str, Any]:
    return {
        "event": a.uid,
        "title": a.title,
        "kind": a.kind,
        "start": a.start.isoformat() if a.start else None,
        "day": a.day.isoformat() if a.day else None,
        "people": a.people,
        "provisional": a.provisional,
    }


_BRIEF_CSS = """
@page { size: A4; margin: 15mm; }
body { font-family: "Libertinus Serif", Georgia, serif; max-width: 48rem; margin: 0 auto;
       padding: 1rem; color: #111; }
h2 { border-bottom: 1px solid #999; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .2rem .4rem; border-bottom: 1px solid #ddd; }
section { break-inside: avoid; }
"""


def render_brief_html(brief: HostBrief, lang: Lang) -> str:
    """The brief as one self-contained HTML page that prints well."""
    from html import escape as e

    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(_title(brief, lang))}</title><style>{_BRIEF_CSS}</style></head><body>",
        f"<h1>{e(_title(brief, lang))}</h1>",
    ]
    for section in sections(brief, lang):
        out.append(f"<section><h2>{e(words(_HEADINGS[section.key], lang))}</h2>")
        if section.columns:
            if section.rows:
                out.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in section.columns))
                out += [
                    "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>"
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


def brief_document(brief: HostBrief, lang: Lang) -> dict[str, Any]:
    """What the printed brief shows, as data for its Typst template."""
    return {
        "language": str(lang),
        "title": _title(brief, lang),
        "sections": [
            {
                "heading": words(_HEADINGS[section.key], lang),
                "columns": list(section.columns),
                "rows": [list(row) for row in section.rows],
                "lines": list(section.lines),
            }
            for section in sections(brief, lang)
        ],
    }


def render_brief_pdf(brief: HostBrief, lang: Lang) -> bytes:
    """The brief as PDF, typeset by Typst from its document (``templates/brief.typ``)."""
    return typeset("brief.typ", brief_document(brief, lang))
