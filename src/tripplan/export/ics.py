"""iCalendar export (RFC 5545) with icalendar 7: right times everywhere, updates not duplicates.

The exporter is pure: :func:`export` turns an itinerary into calendar files
(name → bytes), given the earlier export of each file, the moment ``now`` and a UID
scheme. :func:`export_to_path` reads the earlier files from disk and writes the new ones
atomically (:func:`tripplan.files.write_all`).

Updates. A VEVENT is *unchanged* when regenerating it with the SEQUENCE and DTSTAMP
of the earlier export reproduces the earlier bytes exactly; it is then kept byte for
byte. A changed event keeps its UID and gets SEQUENCE + 1 and a new DTSTAMP. An event
that is gone from the plan stays in the file as STATUS:CANCELLED with SEQUENCE + 1 (once),
so calendars that import or subscribe drop it instead of keeping a ghost.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from tripplan.calendar_reports import FileReport, MergeAction
from tripplan.errors import OutputError
from tripplan.files import safe_name
from tripplan.itinerary import Event, Itinerary, places_of
from tripplan.messages import Message, Refused, msg
from tripplan.render.common import place_label, where, who
from tripplan.render.escape import inert
from tripplan.render.i18n import label, reader_language
from tripplan.render.marks import CALENDAR, PRODID, is_ours
from tripplan.vocabulary import Audience, Lang, Split

if TYPE_CHECKING:
    from icalendar import Component
    from icalendar import Event as IEvent

CRLF = "\r\n"
UidScheme = Callable[[Event], str]

ALARM_BEFORE = {
    "flight": timedelta(hours=3),
    "train": timedelta(hours=1),
    "bus": timedelta(hours=1),
    "car": timedelta(minutes=30),
}


def default_uid_scheme(itinerary: Itinerary) -> UidScheme:
    """``<trip>-<item>@<uid_domain>``: derived from the plan's ids, never random."""
    domain = itinerary.plan.programme.uid_host

    def uid(event: Event) -> str:
        return f"{event.trip}.{event.item}@{domain}"

    return uid


@dataclass(frozen=True)
class CalendarSpec:
    """One calendar file to write: its name, whose it is, and its events."""

    filename: str
    events: tuple[Event, ...]
    split: Split
    key: str  # delegate or community id; "all" for one calendar
    old_title: str = ""  # for a file left by an earlier export

    def title(self, itinerary: Itinerary, lang: Lang) -> str:
        """The calendar's name (X-WR-CALNAME and NAME): whose calendar it is."""
        plan = itinerary.plan.in_language(lang)
        programme = plan.programme.name
        if self.old_title:
            return self.old_title
        if self.split == "delegate":
            name = plan.delegate(self.key).name
            return f"{label('itinerary', lang)} {name} – {programme}"
        if self.split == "community":
            place = place_label(itinerary, self.key, lang)
            return f"{label('visits_in', lang)} {place} – {programme}"
        title = f"{label('itinerary', lang)} – {programme}"
        if itinerary.filters.trip:
            title += f" – {plan.trip(itinerary.filters.trip).title}"
        return title


@dataclass
class ExportResult:
    files: dict[str, bytes]
    reports: list[FileReport]
    skipped: list[str]  # events not placed yet, so not exported
    directory: Path | None = None  # where the files were written, if they were


def calendar_specs(
    itinerary: Itinerary, split: Split, filename: str = "tripplan.ics"
) -> list[CalendarSpec]:
    """The calendar files of an itinerary for one way of splitting it (``filename``: the
    one file of ``split="none"``)."""
    plan = itinerary.plan
    placed = tuple(e for e in itinerary.events if e.placed)
    if split == "none":
        return [CalendarSpec(filename, placed, split, "all")]
    specs: list[CalendarSpec] = []
    if split == "delegate":
        attended: dict[str, list[Event]] = {}
        for event in placed:
            for person in event.attendees:
                attended.setdefault(person, []).append(event)
        for delegate in plan.delegates:
            mine = tuple(attended.get(delegate.id, ()))
            if mine:
                specs.append(CalendarSpec(safe_name(delegate.id, ".ics"), mine, split, delegate.id))
        return specs
    hosts = [c for c in plan.communities if any(c.id in t.hosts for t in plan.trips)]
    for community in hosts:
        hosted_trips = {t.id for t in plan.trips if community.id in t.hosts}
        mine = tuple(
            e for e in placed if e.trip in hosted_trips and community.id in places_of(plan, e)
        )
        if mine:
            specs.append(CalendarSpec(safe_name(community.id, ".ics"), mine, split, community.id))
    return specs


def _no_clashes(specs: list[CalendarSpec]) -> None:
    """Two calendars must never share a file name, not even on a case-insensitive disk."""
    seen: dict[str, str] = {}
    for spec in specs:
        key = spec.filename.casefold()
        if key in seen:
            raise OutputError(
                msg(
                    "the ids {key} and {key2} would both be written to {filename}; rename "
                    "one of them in the plan",
                    key=f"{seen[key]!r}",
                    key2=f"{spec.key!r}",
                    filename=str(spec.filename),
                )
            )
        seen[key] = spec.key


# -- building VEVENTs --------------------------------------------------------------


def _summary(event: Event, lang: Lang) -> str:
    if event.category == "travel":
        return f"{label(event.kind, lang)} {event.title}"
    if event.category == "stay":
        return f"{label('nights', lang)}: {event.title}"
    return event.title


def _description(itinerary: Itinerary, event: Event, audience: Audience, lang: Lang) -> str:
    parts: list[str] = []
    if event.public_notes:
        parts.append(event.public_notes)
    people = who(itinerary, event)
    if people:
        parts.append(f"{label('who', lang)}: {people}")
    if event.provisional:
        parts.append(f"({label('provisional', lang)})")
    if audience == "internal" and event.internal_notes:
        parts.append(f"{label('internal', lang)}: {event.internal_notes}")
    return "\n".join(parts)


def build_vevent(
    itinerary: Itinerary,
    event: Event,
    *,
    uid: str,
    sequence: int,
    stamp: datetime,
    audience: Audience,
    lang: Lang,
) -> IEvent:
    from icalendar import Alarm
    from icalendar import Event as IEvent

    event = event.in_language(lang)
    vevent = IEvent()
    vevent.add("uid", uid)
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", sequence)
    vevent.add("summary", inert(_summary(event, lang)))
    if event.start is not None and event.end is not None:
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end)
    else:
        assert event.first_day is not None and event.last_day is not None
        vevent.add("dtstart", event.first_day)
        vevent.add("dtend", event.last_day + timedelta(days=1))
        vevent.add("transp", "TRANSPARENT")
    location = where(itinerary, event, lang)
    if location:
        vevent.add("location", inert(location))
    description = _description(itinerary, event, audience, lang)
    if description:
        vevent.add("description", inert(description, keep_newlines=True))
    vevent.add("categories", [label(event.kind, lang)])
    vevent.add("x-tripplan-trip", event.trip)
    vevent.add("status", "TENTATIVE" if event.provisional else "CONFIRMED")
    if event.category == "travel":
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", inert(_summary(event, lang)))
        alarm.add("trigger", -ALARM_BEFORE.get(event.kind, timedelta(hours=1)))
        vevent.add_component(alarm)
    return vevent


def _block(component: Component) -> str:
    return str(component.to_ical(), "utf-8")


# -- reading an earlier export ------------------------------------------------------


@dataclass(frozen=True)
class OldEvent:
    uid: str
    sequence: int
    stamp: datetime
    status: str
    trip: str  # X-TRIPPLAN-TRIP: the trip it belongs to
    order: str  # DTSTART in UTC (ISO 8601), for the order of events in the file
    text: str  # the VEVENT block as it stands in the file, CRLF line ends


_BEGIN = "BEGIN:VEVENT"
_END = "END:VEVENT"


MAX_SEQUENCE = 2**31 - 1
_NO_STAMP = datetime(1970, 1, 1, tzinfo=UTC)  # an event without DTSTAMP: regenerated anyway
_OUR_UID = re.compile(r"^[A-Za-z0-9_.-]+@([A-Za-z0-9][A-Za-z0-9.-]*)$")


def read_earlier(data: bytes, name: str) -> dict[str, OldEvent]:
    """The VEVENTs of an earlier export, by UID, with their exact text.

    ``name`` is how messages call the file. A file that is not a calendar tripplan wrote
    (by its PRODID and the form of its UIDs), or that is malformed, is an
    :class:`OutputError` that names the file and never quotes it.
    """
    if not is_ours(CALENDAR, data):
        raise OutputError(
            msg(
                "{name} is not a calendar that tripplan wrote, so it is not changed; "
                "move it away or choose another --out",
                name=str(name),
            )
        )
    try:
        return read_events(data)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OutputError(
            msg(
                "{name} was written by tripplan but has since been damaged ({exc}); "
                "move it away or delete it, then export again",
                name=str(name),
                exc=_why(exc),
            )
        ) from None


def _why(exc: Exception) -> Message:
    if isinstance(exc, _Damaged):
        return exc.message
    return msg("it cannot be read as a calendar")


class _Damaged(Refused):
    """What is wrong with an earlier file: a message that quotes none of its content,
    translated with the one it is said in."""


def read_events(data: bytes) -> dict[str, OldEvent]:
    from icalendar import Calendar
    from icalendar import Event as IEvent

    text = data.decode("utf-8")
    Calendar.from_ical(text)
    events: dict[str, OldEvent] = {}
    lines = text.split(CRLF) if CRLF in text else text.split("\n")
    current: list[str] | None = None
    for line in lines:
        if line == _BEGIN:
            if current is not None:
                raise _Damaged(msg("an event inside an event"))
            current = [line]
        elif current is not None:
            current.append(line)
            if line == _END:
                block = CRLF.join(current) + CRLF
                if not all(_known_zone(z) for z in _TZID.findall(block.replace(CRLF + " ", ""))):
                    raise _Damaged(msg("a time zone (TZID) that does not exist"))
                parsed = IEvent.from_ical(block)
                uid = str(parsed.get("uid", ""))
                if not _OUR_UID.match(uid):
                    raise _Damaged(msg("an event without a UID of tripplan's form"))
                try:
                    sequence = int(str(parsed.get("sequence", 0)))
                except ValueError:
                    raise _Damaged(msg("a SEQUENCE that is not a number")) from None
                if not 0 <= sequence <= MAX_SEQUENCE:
                    raise _Damaged(msg("a SEQUENCE out of range"))
                stamp = parsed.decoded("dtstamp") if "dtstamp" in parsed else None
                start = parsed.decoded("dtstart") if "dtstart" in parsed else None
                events[uid] = OldEvent(
                    uid=uid,
                    sequence=sequence,
                    stamp=stamp if isinstance(stamp, datetime) else _NO_STAMP,
                    status=str(parsed.get("status", "")),
                    trip=str(parsed.get("x-tripplan-trip", "")),
                    order=_start_key(start),
                    text=block,
                )
                current = None
    if current is not None:
        raise _Damaged(msg("an event that does not end"))
    return events


def _known_zone(name: str) -> bool:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _split_of(data: bytes) -> str | None:
    """The split a tripplan file belongs to (None: not ours; ``""``: an older file that
    does not say, taken to belong to any split)."""
    if not is_ours(CALENDAR, data):
        return None
    match = re.search(rb"(?m)^X-TRIPPLAN-SPLIT:([a-z]+)\r?$", data[:4000])
    return match.group(1).decode() if match else ""


def uid_domain(uid: str) -> str:
    match = _OUR_UID.match(uid)
    return match.group(1) if match else ""


# -- assembling files -----------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    """One VEVENT of a calendar after merging with what an earlier export left."""

    order: tuple[str, str]  # (start in UTC, UID): the order of events in a file
    uid: str
    text: str  # the VEVENT block, CRLF line ends
    action: MergeAction


def merge_events(
    itinerary: Itinerary,
    spec: CalendarSpec,
    old: dict[str, OldEvent],
    *,
    now: datetime,
    uid_scheme: UidScheme,
    audience: Audience,
    lang: Lang,
    scope: set[str] | None = None,
    blocks_made: dict[tuple[object, ...], str] | None = None,
) -> tuple[list[Merged], FileReport]:
    """The events of one calendar, merged with the earlier ones (``old``, by UID).

    The update rules of every calendar tripplan writes, a file or a CalDAV collection: an
    event is *unchanged* when regenerating it with its earlier SEQUENCE and DTSTAMP gives
    the earlier event again (property order and line folding aside, which servers may
    change); a changed one keeps its UID and gets SEQUENCE + 1 and a new DTSTAMP; one gone
    from the plan becomes STATUS:CANCELLED with SEQUENCE + 1, once. ``scope`` names the
    trips this export speaks for (``None``: the whole plan); earlier events of other trips
    are kept as they are. ``blocks_made`` caches VEVENT texts across calendars.
    """
    stamp = now.astimezone(UTC).replace(microsecond=0)
    report = FileReport(spec.filename)
    report.earlier = [uid for uid, event in old.items() if event.status != "CANCELLED"]
    merged: list[Merged] = []
    seen: set[str] = set()
    for event in spec.events:
        uid = uid_scheme(event)
        seen.add(uid)
        previous = old.get(uid)

        def make(sequence: int, when: datetime, event: Event = event, uid: str = uid) -> str:
            key = (uid, sequence, when, audience, lang)
            text = blocks_made.get(key) if blocks_made is not None else None
            if text is None:
                text = _block(
                    build_vevent(
                        itinerary,
                        event,
                        uid=uid,
                        sequence=sequence,
                        stamp=when,
                        audience=audience,
                        lang=lang,
                    )
                )
                if blocks_made is not None:
                    blocks_made[key] = text
            return text

        order = (_start_key(event.start or event.first_day), uid)
        if previous is None:
            merged.append(Merged(order, uid, make(0, stamp), "added"))
            report.added.append(uid)
        elif same_event(make(previous.sequence, previous.stamp), previous.text):
            merged.append(Merged(order, uid, previous.text, "unchanged"))
            report.unchanged += 1
        else:
            merged.append(Merged(order, uid, make(previous.sequence + 1, stamp), "changed"))
            report.changed.append(uid)
    for uid, previous in sorted(old.items()):
        if uid in seen:
            continue
        order = (previous.order, uid)
        if (scope is not None and previous.trip not in scope) or previous.status == "CANCELLED":
            merged.append(Merged(order, uid, previous.text, "unchanged"))  # left as it is
            report.unchanged += 1
        else:
            merged.append(Merged(order, uid, _cancel(previous, stamp), "cancelled"))
            report.cancelled.append(uid)
    merged.sort(key=lambda item: item.order)
    return merged, report


def same_event(made: str, earlier: str) -> bool:
    """Whether two VEVENT texts say the same, whatever the order of their properties and
    the folding of their lines (a CalDAV server may store an event re-serialised)."""
    return made == earlier or _canonical(made) == _canonical(earlier)


def _canonical(text: str) -> tuple[object, ...]:
    lines = text.replace("\r\n", "\n").replace("\n ", "").replace("\n\t", "").split("\n")
    stack: list[list[object]] = [[]]
    for line in lines:
        if not line:
            continue
        if line.startswith("BEGIN:"):
            stack.append([line])
        elif line.startswith("END:") and len(stack) > 1:
            done = stack.pop()
            stack[-1].append(tuple(sorted(map(repr, done))))
        else:
            stack[-1].append(line)
    return tuple(sorted(map(repr, stack[0])))


def render_calendar(
    itinerary: Itinerary,
    spec: CalendarSpec,
    *,
    earlier: bytes | None,
    now: datetime,
    uid_scheme: UidScheme,
    audience: Audience,
    lang: Lang,
    scope: set[str] | None = None,
    blocks_made: dict[tuple[object, ...], str] | None = None,
    label: str | None = None,
) -> tuple[bytes, FileReport]:
    """One calendar file, merged with its earlier export when there is one
    (:func:`merge_events`). A trip-scoped export (``scope``) in which nothing of its trips
    changes keeps the file's bytes, title included. ``label`` is how messages call the
    file (default: its name).
    """
    old = read_earlier(earlier, label or spec.filename) if earlier is not None else {}
    merged, report = merge_events(
        itinerary,
        spec,
        old,
        now=now,
        uid_scheme=uid_scheme,
        audience=audience,
        lang=lang,
        scope=scope,
        blocks_made=blocks_made,
    )
    if scope is not None and earlier is not None:
        if not (report.added or report.changed or report.cancelled):
            report.written = False
            return earlier, report  # nothing of this export's trips changed here
        title = _old_title(earlier, spec.title(itinerary, lang))
    else:
        title = spec.title(itinerary, lang)
    body = "".join(item.text for item in merged)
    data = _wrap(title, body, itinerary, spec.split).encode("utf-8")
    report.written = earlier != data
    return data, report


def _start_key(start: object) -> str:
    """Events are ordered by their start in UTC (all-day ones at midnight UTC), then UID."""
    if isinstance(start, datetime):
        return start.astimezone(UTC).isoformat()
    if isinstance(start, date):
        return datetime.combine(start, datetime.min.time(), UTC).isoformat()
    return ""


def _cancel(previous: OldEvent, stamp: datetime) -> str:
    from icalendar import Event as IEvent

    parsed = IEvent.from_ical(previous.text)
    for key in ("status", "sequence", "dtstamp"):
        parsed.pop(key, None)
    parsed.add("dtstamp", stamp)
    parsed.add("sequence", previous.sequence + 1)
    parsed.add("status", "CANCELLED")
    # Drop alarms: nobody should be reminded of a cancelled departure.
    parsed.subcomponents = [c for c in parsed.subcomponents if c.name != "VALARM"]
    return _block(parsed)


_TZID = re.compile(
    r'(?m)^(?:DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE)[^:\r\n]*?;TZID="?([^:;"\r\n]+)'
)
"""The zones of date-time properties; text in a SUMMARY or LOCATION is never read as one."""
_DAY = re.compile(r"^(?:DTSTART|DTEND)[^:]*:(\d{8})", re.M)


def _wrap(title: str | None, body: str, itinerary: Itinerary, split: Split | None) -> str:
    """A VCALENDAR around VEVENT texts, with the VTIMEZONE of every zone they use; a
    calendar file has a ``title`` and a ``split``, a CalDAV resource (one event) neither."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if title is not None:
        calendar.add("name", inert(title))
        calendar.add("x-wr-calname", inert(title))
    if split is not None:
        calendar.add("x-tripplan-split", str(split))  # which export the file belongs to
        calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT12H")
    unfolded = body.replace(CRLF + " ", "")
    tzids = sorted(set(_TZID.findall(unfolded)))
    days = [date(int(d[:4]), int(d[4:6]), int(d[6:])) for d in set(_DAY.findall(unfolded))]
    first, last = _years(itinerary, days)
    head = _block(calendar).removesuffix("END:VCALENDAR" + CRLF)
    zones = "".join(vtimezone(tzid, first, last) for tzid in tzids)
    return head + zones + body + "END:VCALENDAR" + CRLF


def event_resource(itinerary: Itinerary, vevent: str) -> bytes:
    """One event as a calendar object of its own (a CalDAV resource, RFC 4791 4.1)."""
    return _wrap(None, vevent, itinerary, None).encode("utf-8")


@functools.cache
def vtimezone(tzid: str, first_year: int, last_year: int) -> str:
    """The VTIMEZONE of ``tzid`` for whole calendar years, from zoneinfo's rules.

    Per RFC 5545 each observance starts at the local time of the offset *before* the
    change (``TZOFFSETFROM``): Berlin's 2018 spring switch is ``DTSTART:20180325T020000``
    with ``TZOFFSETFROM:+0100``. The first observance is the one in force on 1 January.

    Written here rather than taken from icalendar's ``Timezone.from_tzid``, which writes
    every spring onset one hour late (Berlin 2018: ``DTSTART:20180325T030000``, the wall
    clock *after* the change); a client that follows the file would put events of the
    night of the switch an hour off. ``test_icalendar_still_writes_the_spring_onset_late``
    says when that is fixed and this writer can go.
    """
    from tripplan.timeutils import transitions, zone

    tz = zone(tzid)
    opening = datetime(first_year, 1, 1, tzinfo=tz)
    offset = opening.utcoffset() or timedelta(0)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    lines += _observance(
        bool(opening.dst()), opening.replace(tzinfo=None), offset, offset, opening.tzname() or ""
    )
    for change in transitions(tzid, first_year, last_year):
        local = (change.instant + change.before).replace(tzinfo=None)
        lines += _observance(change.dst, local, change.before, change.after, change.name)
    lines.append("END:VTIMEZONE")
    return CRLF.join(lines) + CRLF


def _observance(
    dst: bool, start: datetime, before: timedelta, after: timedelta, name: str
) -> list[str]:
    kind = "DAYLIGHT" if dst else "STANDARD"
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{start:%Y%m%dT%H%M%S}",
        f"TZOFFSETFROM:{_utc_offset(before)}",
        f"TZOFFSETTO:{_utc_offset(after)}",
    ]
    if name:
        lines.append(f"TZNAME:{name}")
    return [*lines, f"END:{kind}"]


def _utc_offset(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _years(itinerary: Itinerary, days: Iterable[date]) -> tuple[int, int]:
    """The calendar years the VTIMEZONEs cover: those of the plan's trips and of every event
    in the file, whole, so that every file of a plan defines a zone the same way."""
    years = {d.year for d in days}
    for trip in itinerary.plan.trips:
        years |= {trip.first_day.year, trip.last_day.year}
    if not years:
        years = {itinerary.plan.programme.year}
    return min(years), max(years)


def export(
    itinerary: Itinerary,
    *,
    split: Split,
    audience: Audience,
    lang: Lang,
    now: datetime,
    earlier: dict[str, bytes],
    uid_scheme: UidScheme | None = None,
    lang_fixed: bool = True,
    location: Path | None = None,
    force: bool = False,
    filename: str = "tripplan.ics",
    progress: Callable[[int, int, str], None] | None = None,
) -> ExportResult:
    """Every calendar file of the export, merged with the earlier files given by name.

    Earlier tripplan files of the same split that this export no longer produces (a
    delegate removed from the plan) are kept with all their events cancelled; files
    tripplan did not write are never taken over. ``location`` is the folder messages
    name. An export that would replace most events of the earlier files by new UIDs (a
    changed ``uid_domain``, a renamed programme without one) is refused unless ``force``.
    """
    scheme = uid_scheme or default_uid_scheme(itinerary)
    files: dict[str, bytes] = {}
    reports: list[FileReport] = []
    specs = calendar_specs(itinerary, split, filename)
    _no_clashes(specs)
    made: dict[tuple[object, ...], str] = {}
    produced = {spec.filename for spec in specs}
    for name, data in sorted(earlier.items()):
        if name not in produced and split != "none" and _split_of(data) in ("", split):
            specs.append(CalendarSpec(name, (), split, name, _old_title(data, name)))
    for number, spec in enumerate(specs):
        if progress is not None:
            progress(number, len(specs), spec.filename)
        data, report = render_calendar(
            itinerary,
            spec,
            earlier=earlier.get(spec.filename),
            now=now,
            uid_scheme=scheme,
            audience=audience,
            lang=lang if lang_fixed else reader_lang(itinerary, spec, lang),
            scope={itinerary.filters.trip} if itinerary.filters.trip else None,
            blocks_made=made,
            label=str(location / spec.filename) if location else spec.filename,
        )
        files[spec.filename] = data
        reports.append(report)
    if not force:
        keep_identities(itinerary, reports, location)
    skipped = [e.uid for e in itinerary.events if not e.placed]
    return ExportResult(files=files, reports=reports, skipped=skipped)


def keep_identities(itinerary: Itinerary, reports: list[FileReport], location: Path | None) -> None:
    """Refuse an export that would cancel most earlier events and add them again."""
    cancelled = sum(len(r.cancelled) for r in reports)
    added = sum(len(r.added) for r in reports)
    replaced = min(cancelled, added)
    active = [uid for report in reports for uid in report.earlier]
    if len(active) < 2 or replaced * 2 <= len(active):
        return
    domains = Counter(uid_domain(uid) for uid in active)
    old, _ = domains.most_common(1)[0]
    new = itinerary.plan.programme.uid_host
    where = msg(" in {folder}", folder=str(location)) if location else ""
    cause = (
        msg(
            " The earlier files use UIDs ending in @{old}, this plan @{new}; to keep the "
            'earlier events, set uid_domain = "{old}" under [programme].',
            old=old,
            new=new,
        )
        if old != new
        else ""
    )
    raise OutputError(
        msg(
            "this export would cancel {cancelled} of the {active} events of the earlier "
            "export{where} and add {added} new ones, so calendars that subscribed would lose "
            "and re-add almost everything.{cause} If that is really meant, run it again with "
            "--force.",
            cancelled=cancelled,
            active=len(active),
            where=where,
            added=added,
            cause=cause,
        )
    )


def reader_lang(itinerary: Itinerary, spec: CalendarSpec, default: Lang) -> Lang:
    """A delegate's calendar speaks their language when the plan's is not one of theirs."""
    if spec.split != "delegate":
        return default
    try:
        spoken = itinerary.plan.delegate(spec.key).languages
    except KeyError:
        return default
    return reader_language(spoken, default)


def _old_title(data: bytes, default: str) -> str:
    """The calendar name (X-WR-CALNAME) of an earlier file, unfolded and unescaped."""
    from icalendar import Calendar

    try:
        name = Calendar.from_ical(data.decode("utf-8")).get("x-wr-calname")
    except ValueError:
        return default
    return str(name) if name else default


# -- files on disk -------------------------------------------------------------------


def export_to_path(
    itinerary: Itinerary,
    out: Path,
    *,
    split: Split,
    audience: Audience,
    lang: Lang,
    now: datetime,
    uid_scheme: UidScheme | None = None,
    lang_fixed: bool = True,
    force: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> ExportResult:
    """Export into ``out`` (a file for ``split="none"``, else a directory), merging with
    what an earlier export left there, and write every file atomically."""
    from tripplan.files import write_all

    if split == "none":
        if out.is_dir():
            out = out / "tripplan.ics"
        directory, only = out.parent, out.name
    else:
        if out.exists() and not out.is_dir():
            raise OutputError(
                msg(
                    "{out} is a file, but --split {split} writes one calendar per {split} "
                    "into a directory; give a directory with --out",
                    out=str(out),
                    split=str(split),
                )
            )
        directory, only = out, None
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            msg(
                "cannot create {directory}: {exc}",
                directory=str(directory),
                exc=str(exc.strerror or exc),
            )
        ) from None
    result = export(
        itinerary,
        split=split,
        audience=audience,
        lang=lang,
        now=now,
        earlier=_earlier_files(directory, only),
        uid_scheme=uid_scheme,
        lang_fixed=lang_fixed,
        location=directory,
        force=force,
        filename=only or "tripplan.ics",
        progress=progress,
    )
    written = set(write_all(directory, result.files))
    result.directory = directory
    for report in result.reports:
        report.written = report.file in written
    return result


def _earlier_files(directory: Path, only: str | None) -> dict[str, bytes]:
    names = [only] if only is not None else sorted(p.name for p in directory.glob("*.ics"))
    found: dict[str, bytes] = {}
    for name in names:
        path = directory / name
        if path.is_file():
            try:
                found[name] = path.read_bytes()
            except OSError as exc:
                raise OutputError(
                    msg("cannot read {path}: {exc}", path=str(path), exc=str(exc.strerror or exc))
                ) from None
        elif path.exists():
            raise OutputError(
                msg("{path} is not a file; move it away or choose another --out", path=str(path))
            )
    return found
