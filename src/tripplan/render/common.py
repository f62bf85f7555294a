"""What every human-readable renderer shares: days, home times, labels of events."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tripplan.characters import ESCAPED
from tripplan.itinerary import Event, Itinerary
from tripplan.models import Activity
from tripplan.planning.whereabouts import whereabouts_of
from tripplan.render.escape import inert
from tripplan.render.i18n import clock, duration, findings_count, label, short_date, translate
from tripplan.timeutils import abbreviation
from tripplan.vocabulary import Lang


@dataclass(frozen=True)
class Line:
    """One event as the text renderers show it."""

    event: Event
    time: str  # "09:00–11:00 EDT" or "10:30 CEST → 13:30 EDT"
    home_time: str  # "15:00–17:00 CEST" or "" when the same
    what: str
    where: str
    who: str
    marks: tuple[str, ...]  # "vorläufig", "Konflikt"
    conflict: bool
    notes: str = ""  # public notes, and internal ones for internal readers


def home_zones(itinerary: Itinerary, event: Event) -> list[ZoneInfo]:
    """The zones the attendees call home: the filtered delegate's, or each one among them."""
    plan = itinerary.plan
    if itinerary.filters.delegate is not None:
        return [plan.home_zone(itinerary.filters.delegate)]
    zones = {plan.home_zone(person).key: plan.home_zone(person) for person in event.attendees}
    return [zones[key] for key in sorted(zones)]


def _span(start: datetime, end: datetime, lang: Lang) -> str:
    if start.utcoffset() == end.utcoffset() and start.date() == end.date():
        return f"{clock(start)}–{clock(end)} {abbreviation(start)}"
    on = f"{short_date(end.date(), lang)} " if end.date() != start.date() else ""
    return f"{clock(start)} {abbreviation(start)} → {on}{clock(end)} {abbreviation(end)}"


def _joined_from(itinerary: Itinerary, event: Event) -> list[ZoneInfo]:
    """The zone the filtered delegate joins a call from when it is not the event's own (a
    call hosted in Boise joined from Dayton): their time goes beside the host's."""
    person = itinerary.filters.delegate
    if person is None or event.category != "activity" or event.start is None:
        return []
    position = whereabouts_of(itinerary).at(person, event.start)
    return [] if position.place == event.community else [ZoneInfo(position.zone)]


def times(itinerary: Itinerary, event: Event, lang: Lang) -> tuple[str, str]:
    """The event's time where it happens, and its time where the filtered delegate joins it
    from and at home, when they differ."""
    if event.start is None or event.end is None:
        if event.first_day is not None:
            return label("all_day", lang), ""
        return "", ""
    local = _span(event.start, event.end, lang)
    homes = []
    for zone in [*_joined_from(itinerary, event), *home_zones(itinerary, event)]:
        start_home, end_home = event.start.astimezone(zone), event.end.astimezone(zone)
        if start_home.utcoffset() == event.start.utcoffset() and (
            end_home.utcoffset() == event.end.utcoffset()
        ):
            continue
        home = _span(start_home, end_home, lang)
        if start_home.date() != event.start.date():
            home = f"{short_date(start_home.date(), lang)} {home}"
        homes.append(home)
    return local, "\n".join(dict.fromkeys(homes))  # zones of the same offset: once


def what(event: Event, lang: Lang) -> str:
    if event.category == "travel":
        assert event.start is not None and event.end is not None
        length = duration(event.end.astimezone(UTC) - event.start.astimezone(UTC), lang)
        service = " ".join(part for part in (event.carrier, event.number) if part)
        service = f" ({service})" if service else ""
        return f"{label(event.kind, lang)}{service} · {length}"
    if event.category == "stay":
        assert event.last_day is not None
        check_out = event.last_day + timedelta(days=1)
        return (
            f"{label('nights', lang)} ({label(event.kind, lang)}): {event.title}, "
            f"{label('check_out', lang)} {short_date(check_out, lang)}"
        )
    return f"{event.title} ({label(event.kind, lang)})"


def place_label(itinerary: Itinerary, endpoint: str, lang: Lang) -> str:
    """A community's name (marked when still to be confirmed) or an airport's."""
    plan = itinerary.plan
    try:
        community = plan.community(endpoint)
    except KeyError:
        return plan.endpoint_name(endpoint)
    return community.name + (f" ({label('tbc', lang)})" if community.placeholder else "")


def where(itinerary: Itinerary, event: Event, lang: Lang) -> str:
    if event.origin is not None and event.destination is not None:
        origin = place_label(itinerary, event.origin, lang)
        return f"{origin} → {place_label(itinerary, event.destination, lang)}"
    if event.community is None:
        return ""
    name = place_label(itinerary, event.community, lang)
    return f"{event.venue}, {name}" if event.venue else name


def who(itinerary: Itinerary, event: Event) -> str:
    """Delegation names when whole delegations attend, else delegate ids."""
    plan = itinerary.plan
    rest = set(event.attendees)
    names: list[str] = []
    for delegation in plan.delegations_among(event.attendees):
        if delegation.members and set(delegation.members) <= rest:
            names.append(delegation.name)
            rest -= set(delegation.members)
    names.extend(person for person in event.attendees if person in rest)
    return ", ".join(names)


def home_time_note(grouped: dict[date | None, list[Line]], lang: Lang) -> str | None:
    """What the times after a · are, for a view that shows some (every view the same)."""
    if any(line.home_time for day in grouped.values() for line in day):
        return label("home_time", lang)
    return None


def lines(itinerary: Itinerary, lang: Lang, internal: bool = True) -> dict[date | None, list[Line]]:
    """Events grouped by the local day they start on (``None``: not yet placed). With a day
    filter, everything is shown under that day; what began earlier says when it began."""
    conflicts = {uid for f in itinerary.errors for uid in f.events}
    provisional_trips = {t.id for t in itinerary.plan.trips if t.provisional}
    grouped: dict[date | None, list[Line]] = {}
    only = itinerary.filters.day
    for event in itinerary.events:
        day = event.start.date() if event.start is not None else event.first_day
        began = day if only is not None and day is not None and day < only else None
        if began is not None:
            day = only
        local, home = times(itinerary, event, lang)
        conflict = event.uid in conflicts
        marks = tuple(
            m
            for m, on in (
                (
                    label("provisional", lang),
                    event.provisional and event.trip not in provisional_trips,
                ),
                (label("conflict", lang), conflict),
                (label("began", lang).format(day=short_date(began, lang)) if began else "", began),
            )
            if on
        )
        grouped.setdefault(day, []).append(
            Line(
                event=event,
                time=local,
                home_time=home,
                what=what(event, lang),
                where=where(itinerary, event, lang),
                who=who(itinerary, event),
                marks=marks,
                conflict=conflict,
                notes=notes(event, lang, internal),
            )
        )
    return grouped


def notes(event: Event, lang: Lang, internal: bool) -> str:
    """An event's public notes, and its internal notes when the reader may see them."""
    parts = [event.public_notes.strip()]
    if internal and event.internal_notes.strip():
        parts.append(f"{label('internal', lang)}: {event.internal_notes.strip()}")
    return "\n".join(part for part in parts if part)


def window_text(event: Event, lang: Lang) -> str:
    """The window of a flexible activity, for the "not yet placed" section."""
    activity = event.source
    assert isinstance(activity, Activity)
    parts = []
    for value in (activity.window_start, activity.window_end):
        if isinstance(value, datetime):
            parts.append(f"{short_date(value.date(), lang)} {clock(value)}")
        elif isinstance(value, date):
            parts.append(short_date(value, lang))
    length = duration(activity.duration, lang) if activity.duration else ""
    return f"{length}, {label('window', lang)} {' – '.join(parts)}"


@dataclass(frozen=True)
class DayLayout:
    """One day of the itinerary as the renderers lay it out."""

    day: date
    lines: list[Line]
    new_trips: list[str]  # trips whose heading goes before this day
    show_who: bool  # whether attendees differ among the events of its trips


def laid_out_days(itinerary: Itinerary, grouped: dict[date | None, list[Line]]) -> list[DayLayout]:
    """The placed days in order, each with the trip headings that start before it."""
    headed: set[str] = set()
    who_trips = trips_needing_who(itinerary)
    laid_out = []
    for day, day_lines in grouped.items():
        if day is None:
            continue
        new = []
        for line in day_lines:
            if line.event.trip not in headed:
                headed.add(line.event.trip)
                new.append(line.event.trip)
        show_who = any(line.event.trip in who_trips for line in day_lines)
        laid_out.append(DayLayout(day, day_lines, new, show_who))
    return laid_out


def trip_heading(itinerary: Itinerary, trip_id: str, lang: Lang) -> str:
    """``Studienreise in die USA — Studienreise, 20.–29. Apr. 2018, vorläufig``."""
    from tripplan.render.i18n import date_range

    trip = itinerary.plan.trip(trip_id)
    parts = [label(trip.kind, lang), date_range(trip.first_day, trip.last_day, lang)]
    if trip.provisional:
        parts.append(label("provisional", lang))
    return f"{trip.title} — {', '.join(parts)}"


def trips_needing_who(itinerary: Itinerary) -> set[str]:
    """Trips whose events shown have different attendees (else a "who" column says nothing)."""
    if itinerary.filters.delegate is not None:
        return set()
    seen: dict[str, set[tuple[str, ...]]] = {}
    for event in itinerary.events:
        seen.setdefault(event.trip, set()).add(event.attendees)
    return {trip for trip, groups in seen.items() if len(groups) > 1}


def summary(itinerary: Itinerary, lang: Lang) -> str:
    counts = {
        s: sum(1 for f in itinerary.findings if f.severity == s)
        for s in ("error", "warning", "info")
    }
    return translate(findings_count(counts["error"], counts["warning"], counts["info"]), lang)


def char_class(codes: list[int]) -> str:
    """A regular-expression class of the code points ``codes``, written as ranges: a class
    of single characters beyond the Latin-1 range (the tag characters) makes ``re`` test
    each of them in turn at every position, 25 times slower on a large document."""
    ranges: list[list[int]] = []
    for code in sorted(set(codes)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return (
        "["
        + "".join(
            re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
            for a, b in ranges
        )
        + "]"
    )


_INERT_IN_JSON = re.compile(char_class(ESCAPED))


def dump_json(document: object) -> str:
    """A JSON document for scripts: UTF-8 text, with C1 controls, bidi controls, invisible
    characters and Unicode line separators escaped as ``\\uXXXX`` so that no output can
    reorder or break a terminal line (the data stays the same; ASCII controls JSON escapes
    itself)."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _INERT_IN_JSON.sub(lambda m: _json_escape(m.group()), text) + "\n"


def _json_escape(char: str) -> str:
    """``\\uXXXX`` for one character (a surrogate pair beyond the basic plane)."""
    units = char.encode("utf-16-be")
    return "".join(
        f"\\u{int.from_bytes(units[i : i + 2], 'big'):04x}" for i in range(0, len(units), 2)
    )


clean = inert
"""The former name of :func:`tripplan.render.escape.inert` (kept for callers not yet moved
to the function of their medium: ``escape.terminal``, ``escape.markdown``, ``escape.html``)."""


TEXT_WIDTH = 80
"""The width of a table written to a file (``--format table --out FILE``)."""


def plain_text(renderable: Any, console: Any) -> str:
    """A rich ``renderable`` as text for a file: laid out by the command line's ``console``
    (render/ makes none) at :data:`TEXT_WIDTH` columns, with UTF-8 box lines, without
    colour or other styles (written on a terminal, a file held its escape codes and was no
    longer one tripplan would know as its own), nothing a terminal would obey, and no
    trailing spaces: the same plan gives the same bytes on any terminal."""
    from tripplan.render.escape import strip_terminal

    options = console.options.update_width(TEXT_WIDTH)
    options.encoding = "utf-8"  # the file's, not the terminal's
    text = "".join(
        strip_terminal(segment.text)
        for segment in console.render(renderable, options)
        if not segment.control
    )
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))
