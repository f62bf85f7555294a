"""A booklet, as data: a delegate's days as they live them (each day where they are, in the
zone where they are, every event at their own time with its own zone beside it when it
differs, home time, tonight's lodging with its own address), the activities still to be
scheduled, the programme's public contacts, and their own reminders from the checks (never
anyone else's). Without a delegate: the coordinator's volume, every day with who is where
and every event with its people.

Language-free: :mod:`tripplan.render.booklet` writes the texts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tripplan.errors import UsageError
from tripplan.itinerary import Event, Finding, Itinerary
from tripplan.messages import Day as MessageDay
from tripplan.messages import Message, msg
from tripplan.models import Plan, Trip
from tripplan.planning.whereabouts import (
    IN_TRANSIT,
    Attendance,
    Pending,
    PersonDay,
    Place,
    whereabouts_of,
)
from tripplan.timeutils import days, zone


@dataclass(frozen=True)
class Entry:
    """One event of a day as the reader lives it."""

    event: Event
    start: datetime | None  # in the zone where the reader is (a leg: where it departs)
    end: datetime | None  # (a leg: where it arrives)
    own_start: datetime | None  # the event's own times, when its zone differs (remote)
    own_end: datetime | None
    duration: timedelta | None
    day_shift: int  # days from the start's date to the end's
    home_start: datetime | None  # the start at the reader's home (None: no one reader)
    home_shift: int  # days from the start's date to its date at home
    remote: bool  # joined from elsewhere: a call hosted in another community
    people: tuple[str, ...] = ()  # the coordinator's volume: who takes part (names)


@dataclass(frozen=True)
class BookletNight:
    """Where the reader sleeps after a day."""

    stay: Event | None  # the booked stay, if any
    place: str  # community id (or airport), "" on the way
    at_home: bool
    address: str | None  # the stay's own address; None: to be confirmed
    check_in: date | None
    check_out: date | None
    provisional: bool


@dataclass(frozen=True)
class BookletDay:
    day: date
    zone: str | None  # the zone the day is told in (None: each event in its own zone)
    places: tuple[str, ...]  # where the reader is, in order ("" on the way)
    travelling: bool
    at_home: bool  # the whole day at home
    entries: tuple[Entry, ...]
    night: BookletNight | None
    present: tuple[tuple[str, tuple[str, ...]], ...] = ()  # volume: place id → names


@dataclass(frozen=True)
class Booklet:
    delegate: str | None  # id; None: the coordinator's volume
    name: str  # the delegate's name, or the programme's
    home_zone: str | None
    programme: str
    organiser: str
    supporters: tuple[str, ...]
    trips: tuple[Trip, ...]
    first_day: date
    last_day: date
    days: tuple[
        BookletDay, ...
    ]  # every day of the trips (the overview); pages skip empty home days
    pending: tuple[Pending, ...]
    contacts: tuple[tuple[str, str], ...]  # (name, public contact)
    communities: tuple[tuple[str, str], ...]  # host communities visited: (name, address)
    reminders: tuple[Message, ...]  # the delegate's own, from the checks' findings about them
    names: dict[str, str]  # place id (community or airport) → its name
    unconfirmed: frozenset[str]  # communities still to be confirmed

    def place(self, place: str) -> str:
        return self.names.get(place, place)


def _trip_days(trips: list[Trip]) -> list[date]:
    return sorted({day for t in trips for day in days(t.first_day, t.last_day)})


def booklet(itinerary: Itinerary, delegate_id: str) -> Booklet:
    """The booklet of ``delegate_id`` (the itinerary may be narrowed to one trip)."""
    plan = itinerary.plan
    delegate = plan.delegate(delegate_id)
    mine = [e for e in itinerary.events if delegate_id in e.attendees]
    trips = [t for t in plan.trips if any(e.trip == t.id and e.placed for e in mine)]
    if not trips:
        raise UsageError(
            msg("{id} takes part in nothing of this selection; there is no booklet to make",
                id=repr(delegate_id))
        )  # fmt: skip
    home = delegate.home
    home_tz = zone(plan.community(home).timezone)
    account = whereabouts_of(itinerary)
    shown = {e.uid for e in mine}
    listed = set(_trip_days(trips))
    days = tuple(
        _day(person_day, shown)
        for person_day in account.days(delegate_id)
        if person_day.day in listed or any(a.event.uid in shown for a in person_day.events)
    )
    people = {p for t in trips for p in plan.travellers(t)}
    return Booklet(
        delegate=delegate_id,
        name=delegate.name,
        home_zone=home_tz.key,
        programme=plan.programme.name,
        organiser=plan.programme.organiser,
        supporters=plan.programme.supporters,
        trips=tuple(trips),
        first_day=days[0].day,
        last_day=days[-1].day,
        days=days,
        pending=tuple(p for p in account.pending(delegate_id) if p.event.uid in shown),
        contacts=tuple(
            (d.name, d.contact)
            for d in plan.delegates
            if d.id in people and d.id != delegate_id and d.contact.strip()
        ),  # the others': the reader knows their own
        communities=_addresses(plan, tuple(c for c in _visited(plan, days) if c != home)),
        reminders=tuple(
            reminder_message(f, plan)
            for f in itinerary.findings
            if f.subject == delegate_id and f.visibility == "concerned"
        ),
        names=_names(plan),
        unconfirmed=frozenset(c.id for c in plan.communities if c.placeholder),
    )


def programme_volume(itinerary: Itinerary) -> Booklet:
    """The coordinator's volume: every day of the selected trips, who is where, every event
    with its people, each at the time of the place where it happens."""
    plan = itinerary.plan
    trips = [t for t in plan.trips if any(e.trip == t.id for e in itinerary.events)]
    if not trips:
        raise UsageError(msg("nothing of this selection takes place; there is no booklet to make"))
    names = {d.id: d.name for d in plan.delegates}
    account = whereabouts_of(itinerary)
    by_day: dict[date, list[Entry]] = defaultdict(list)
    for event in itinerary.events:
        if not event.placed:
            continue
        day = event.start.date() if event.start is not None else event.first_day
        assert day is not None
        people = _who(plan, event.attendees, names)
        by_day[day].append(_entry(event, event.start, event.end, None, people=people))
    travellers = [p for p in plan.delegates if any(p.id in plan.travellers(t) for t in trips)]
    days = []
    for each in _trip_days(trips):
        present: dict[str, list[str]] = {}
        for person in travellers:
            where = _place(account.day(person.id, each).place)
            present.setdefault(where, []).append(person.id)
        days.append(
            BookletDay(
                day=each,
                zone=None,
                places=(),
                travelling=any(e.event.category == "travel" for e in by_day[each]),
                at_home=False,
                entries=tuple(by_day[each]),
                night=None,
                present=tuple((p, _who(plan, tuple(n), names)) for p, n in present.items()),
            )
        )
    travelling = {p for t in trips for p in plan.travellers(t)}
    return Booklet(
        delegate=None,
        name=plan.programme.name,
        home_zone=None,
        programme=plan.programme.name,
        organiser=plan.programme.organiser,
        supporters=plan.programme.supporters,
        trips=tuple(trips),
        first_day=days[0].day,
        last_day=days[-1].day,
        days=tuple(days),
        pending=tuple(
            {
                p.event.uid: p
                for person in sorted({p for e in itinerary.events for p in e.attendees})
                for p in account.pending(person)
                if p.event.uid in {e.uid for e in itinerary.events}
            }.values()  # each activity once, however many people it is for
        ),
        contacts=tuple(
            (d.name, d.contact) for d in plan.delegates if d.id in travelling and d.contact.strip()
        ),
        communities=_addresses(plan, tuple(dict.fromkeys(h for t in trips for h in t.hosts))),
        reminders=(),
        names=_names(plan),
        unconfirmed=frozenset(c.id for c in plan.communities if c.placeholder),
    )


def _who(plan: Plan, people: tuple[str, ...], names: dict[str, str]) -> tuple[str, ...]:
    """People by name, a whole delegation by its name."""
    rest = set(people)
    out: list[str] = []
    for delegation in plan.delegations_among(people):
        if delegation.members and set(delegation.members) <= rest:
            out.append(delegation.name)
            rest -= set(delegation.members)
    out.extend(names[p] for p in people if p in rest)
    return tuple(out)


def _names(plan: Plan) -> dict[str, str]:
    names = {c.id: c.name for c in plan.communities}
    for trip in plan.trips:
        for leg in trip.legs:
            for endpoint in (leg.origin, leg.destination):
                if endpoint not in names:
                    names[endpoint] = plan.endpoint_name(endpoint)
    return names


def _addresses(plan: Plan, ids: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    known = {c.id: c for c in plan.communities}
    return tuple(
        (known[i].name, known[i].address) for i in ids if i in known and known[i].address.strip()
    )


def _visited(plan: Plan, days: tuple[BookletDay, ...]) -> tuple[str, ...]:
    known = {c.id for c in plan.communities}
    out: list[str] = []
    for day in days:
        for place in (*day.places, day.night.place if day.night else ""):
            if place in known and place not in out:
                out.append(place)
    return tuple(out)


def _entry(
    event: Event,
    start: datetime | None,
    end: datetime | None,
    home_tz: ZoneInfo | None,
    remote: bool = False,
    people: tuple[str, ...] = (),
) -> Entry:
    if event.start is None or event.end is None or start is None or end is None:
        return Entry(event, None, None, None, None, None, 0, None, 0, False, people)
    differs = start.tzinfo != event.start.tzinfo or end.tzinfo != event.end.tzinfo
    home_start = start.astimezone(home_tz) if home_tz is not None else None
    return Entry(
        event=event,
        start=start,
        end=end,
        own_start=event.start if differs else None,
        own_end=event.end if differs else None,
        duration=event.end.astimezone(UTC) - event.start.astimezone(UTC),
        day_shift=(end.date() - start.date()).days,
        home_start=home_start,
        home_shift=(home_start.date() - start.date()).days if home_start is not None else 0,
        remote=remote,
        people=people,
    )


def _place(place: Place) -> str:
    return "" if place is IN_TRANSIT else str(place)


def _from(attendance: Attendance) -> Entry:
    a = attendance
    return Entry(
        event=a.event,
        start=a.start,
        end=a.end,
        own_start=a.own_start,
        own_end=a.own_end,
        duration=a.duration,
        day_shift=a.day_shift,
        home_start=a.home_start,
        home_shift=a.home_shift,
        remote=a.remote,
    )


def _day(person_day: PersonDay, shown: set[str]) -> BookletDay:
    """A day of the account of whereabouts, with the events of the selection."""
    night = person_day.night
    stay = night.stay if night.stay is not None and night.stay.uid in shown else None
    # a night leg under way at the end of the day: the night is spent on the way
    place = "" if stay is None and person_day.place is IN_TRANSIT else _place(night.place)
    return BookletDay(
        day=person_day.day,
        zone=person_day.zone,
        places=tuple(_place(p) for p in person_day.places),
        travelling=person_day.travelling,
        at_home=person_day.at_home,
        entries=tuple(_from(a) for a in person_day.events if a.event.uid in shown),
        night=BookletNight(
            stay=stay,
            place=place,
            at_home=night.at_home and place != "",
            address=night.address if stay is not None else None,
            check_in=night.check_in if stay is not None else None,
            check_out=night.check_out if stay is not None else None,
            provisional=(
                stay.provisional if stay is not None else not (night.confirmed or night.at_home)
            ),
        ),
    )


def reminder_message(finding: Finding, plan: Plan) -> Message:
    """What a finding of the checks about a delegate asks of them, said to them (the
    finding's own text is for the coordinator)."""
    person = finding.subject
    if finding.code == "entry-data-missing" and "passport" in finding.message.msgid:
        return msg("Your passport's expiry date is not on record: tell the coordinator when "
                   "it expires.")  # fmt: skip
    if finding.code == "entry-data-missing":
        return msg(
            "Your ESTA or visa for the United States is not on record as approved: apply for "
            "it if you have not, and tell the coordinator once it is approved."
        )
    if finding.code == "passport-expires" and person is not None:
        expiry = plan.delegate(person).private.passport_expiry
        if expiry is not None:
            return msg(
                "Your passport expires on {day}, before the end of the trip: you need a new "
                "passport before you travel.",
                day=MessageDay(expiry),
            )
    if finding.code == "entry-refused":
        return msg(
            "Your ESTA or visa for the United States was refused: talk to the coordinator "
            "before you travel."
        )
    return finding.message
