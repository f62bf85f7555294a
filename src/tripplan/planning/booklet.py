"""A delegate's booklet, as data: the days of their trips, each event in local time with
their home time beside it, travel and lodging details, where they are each day, the
programme's public contacts, and their own private reminders (never anyone else's)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tripplan.errors import UsageError
from tripplan.itinerary import Event, Itinerary
from tripplan.messages import Message, msg
from tripplan.models import Plan
from tripplan.planning.facts import IN_TRANSIT, Timeline
from tripplan.timeutils import days as days_from
from tripplan.timeutils import zone


@dataclass(frozen=True)
class Entry:
    """One event of a day, as the booklet shows it."""

    uid: str
    title: str
    kind: str
    category: str
    start: datetime | None  # local
    end: datetime | None
    home_start: datetime | None  # the same moment at the delegate's home
    details: tuple[str, ...]  # venue, address, notes
    provisional: bool
    check_out: date | None = None  # for a stay: the day of check-out


@dataclass(frozen=True)
class BookletDay:
    day: date
    place: str  # where the delegate is that day (the night's place)
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Booklet:
    delegate: str  # id
    name: str
    programme: str
    organiser: str
    supporters: tuple[str, ...]
    trips: tuple[str, ...]  # titles
    first_day: date
    last_day: date
    days: tuple[BookletDay, ...]
    places: tuple[str, ...]  # every place of the overview, in order of first visit
    contacts: tuple[tuple[str, str], ...]  # (name, public contact)
    reminders: tuple[Message, ...]  # the delegate's own private reminders


def booklet(itinerary: Itinerary, delegate_id: str) -> Booklet:
    """The booklet of ``delegate_id`` (the itinerary may be narrowed to one trip)."""
    plan = itinerary.plan
    delegate = plan.delegate(delegate_id)
    mine = [e for e in itinerary.events if delegate_id in e.attendees and e.placed]
    home_tz = zone(plan.community(delegate.home).timezone)
    trips = [t for t in plan.trips if any(e.trip == t.id for e in mine)]
    if not trips:
        raise UsageError(
            msg("{id} takes part in nothing of this selection; there is no booklet to make",
                id=repr(delegate_id))
        )  # fmt: skip
    timeline = Timeline.of(plan, list(itinerary.events))
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for event in mine:  # the itinerary's order: by start
        start_day = event.start.date() if event.start is not None else event.first_day
        assert start_day is not None
        by_day[start_day].append(_entry(plan, event, home_tz))  # an overnight leg: once
    days = []
    places: list[str] = []
    trip_days = sorted({day for t in trips for day in days_from(t.first_day, t.last_day)})
    for day in trip_days:
        where, _ = timeline.where(plan, delegate_id, datetime.combine(day, time(12), home_tz))
        place = "" if where is IN_TRANSIT else plan.endpoint_name(where)
        if place and place not in places:
            places.append(place)
        days.append(BookletDay(day, place, tuple(by_day[day])))
    people = {p for t in trips for p in plan.travellers(t)}
    contacts = tuple(
        (d.name, d.contact) for d in plan.delegates if d.id in people and d.contact.strip()
    )
    return Booklet(
        delegate=delegate_id,
        name=delegate.name,
        programme=plan.programme.name,
        organiser=plan.programme.organiser,
        supporters=plan.programme.supporters,
        trips=tuple(t.title for t in trips),
        first_day=trip_days[0],
        last_day=trip_days[-1],
        days=tuple(days),
        places=tuple(places),
        contacts=contacts,
        reminders=tuple(_reminders(plan, delegate_id)),
    )


def _entry(plan: Plan, event: Event, home_tz: ZoneInfo) -> Entry:
    details: list[str] = []  # the title says the route and the flight already
    if event.category != "travel" and event.venue:
        details.append(event.venue)
    if event.community and event.category == "stay":
        address = plan.community(event.community).address
        if address:
            details.append(address)
    if event.public_notes:
        details.append(event.public_notes)
    home_start = event.start.astimezone(home_tz) if event.start is not None else None
    return Entry(
        uid=event.uid,
        title=event.title,
        kind=event.kind,
        category=event.category,
        start=event.start,
        end=event.end,
        home_start=home_start,
        details=tuple(details),
        provisional=event.provisional,
        check_out=(
            event.last_day + timedelta(days=1)
            if event.category == "stay" and event.last_day
            else None
        ),
    )


def _reminders(plan: Plan, delegate_id: str) -> list[Message]:
    """The delegate's own private reminders: for their eyes only (their own booklet)."""
    private = plan.delegate(delegate_id).private
    out = []
    if private.passport_expiry is not None:
        out.append(
            msg("Your passport is valid until {day}.", day=private.passport_expiry.isoformat())
        )
    if private.esta != "unknown":
        out.append(msg("ESTA: {status}", status=private.esta))
    if private.visa != "unknown":
        out.append(msg("Visa: {status}", status=private.visa))
    return out
