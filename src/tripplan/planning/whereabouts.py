"""The one account of whereabouts: who is where, when, and where they sleep.

Computed once from a plan's events (:meth:`Whereabouts.of`, done by
:func:`tripplan.planning.build.build_itinerary`, which hands it to the checks and keeps it
on the :class:`~tripplan.itinerary.Itinerary`); every view asks it instead of working it
out again from the raw events. It is pure data and deterministic.

The API (all types frozen)::

    account = whereabouts_of(itinerary)      # the itinerary's account (built once)
    account.at(person, instant) -> Position  # where P is at an instant
    account.near(here, there) -> bool        # the same place, or neighbours (on foot)
    account.days(person) -> tuple[PersonDay, ...]   # every local day of P's trips
    account.day(person, day) -> PersonDay    # any local day (at home between trips)
    account.pending(person) -> tuple[Pending, ...]  # activities not yet placed
    account.host_days(community) -> tuple[HostDay, ...]
    account.passages(community) -> tuple[Passage, ...]   # arrivals and departures
    account.host_events(community) -> tuple[HostEvent, ...]
    account.lodging(community) -> tuple[Booking, ...]
    account.in_language(lang) -> Whereabouts    # the same, with texts in another language
    account.timeline                         # the raw legs in order (Timeline), for the rules
    where_said(plan, place) -> Message       # "in Berlin" / "travelling", for messages

How it decides:

* **Where** a person is follows their travel legs (:class:`Timeline`): at home before the
  first leg; :data:`IN_TRANSIT` while a leg is under way; at the community of a leg's
  destination (or its airport, when the airport belongs to no community) after it. Once
  the trip of the last leg is over for them (past the end of its last day, or of the
  check-out day of a stay of theirs on it that ends later), they are **at home** again.
  During an in-person activity (not a ``call``) in a neighbouring community of where they
  are (``neighbours`` of a community, either side may say it; :meth:`Whereabouts.near`)
  they are there, and back afterwards: a neighbouring town is reached on foot, no leg is
  invented. An activity in any other community does not move them (``check`` says a leg
  is missing). A ``call`` is joined from wherever the person is.
* A person's **local day** is a date in the zone where they are: a timed event stands
  under the date of its start in the zone where the person is at that instant (during a
  leg: the zone it departs from). A :class:`PersonDay` lists the places of that day in
  order, its zone (where the person ends the day, or where a night leg left from), the
  events (:class:`Attendance`: start and end in the zone where the person is, the event's
  own zone beside them when it differs, duration, day shift, home time) and the night
  (:class:`Night`: the stay, its own address or ``None`` for "to be confirmed", check-in,
  check-out; never a community's address).
* For a **host community**: its visitors are people who do not live there (nor in a
  neighbouring town: they are locals) and are there
  that day (or sleep there); its passages are every leg of any trip that starts or ends
  at the community or at one of its airports; its appointments and meals count visitors
  and locals apart; its lodging lists each night's people and check-out, and room nights
  (one room per person and night).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Literal
from zoneinfo import ZoneInfo

from tripplan.airports import named
from tripplan.itinerary import Event, Itinerary
from tripplan.messages import Message, Named, msg
from tripplan.models import Activity, Plan
from tripplan.timeutils import days

# -- places ---------------------------------------------------------------------------


class Transit(Enum):
    """Where someone is while a leg is under way: on the way, in no community."""

    IN_TRANSIT = "in transit"


IN_TRANSIT = Transit.IN_TRANSIT
Place = str | Transit
"""Where someone is: a community id (or an airport's code), or :data:`IN_TRANSIT`."""


def place_of(plan: Plan, endpoint: str) -> str:
    """Where an endpoint puts someone: its community, or the airport itself."""
    return plan.endpoint_community(endpoint) or endpoint


def place_order(place: Place) -> tuple[bool, str]:
    """A sort key for places: communities by id, then on the way."""
    return (place is IN_TRANSIT, place if isinstance(place, str) else "")


def place_name(plan: Plan, place: str) -> Named | Message | str:
    """A place as a message names it: a community's name (a placeholder's in the reader's
    language), or an airport's place and country with its code (``Bilbao, Spain (BIO)``)."""
    try:
        return plan.community(place).called
    except KeyError:
        return named(place)


def where_said(plan: Plan, place: Place) -> Message:
    """Where someone is, as a sentence's part: ``in Berlin``, or ``travelling``."""
    if place is IN_TRANSIT:
        return msg("travelling")
    return msg("in {place}", place=place_name(plan, place))


def utc(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.astimezone(UTC)


def zone_key(moment: datetime) -> str:
    """The IANA name of an aware datetime's zone."""
    return getattr(moment.tzinfo, "key", None) or str(moment.tzinfo)


@dataclass(frozen=True)
class Timeline:
    """Each delegate's legs in time order, to tell where their legs put them at any moment
    (the raw answer: :meth:`Whereabouts.at` adds the end of trips and walks)."""

    legs: dict[str, list[Event]]
    departures: dict[str, list[datetime]]

    @classmethod
    def of(cls, events: Iterable[Event]) -> Timeline:
        legs: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            if event.category == "travel" and event.timed:
                for person in event.attendees:
                    legs[person].append(event)
        for person_legs in legs.values():
            person_legs.sort(key=lambda e: (utc(e.start), e.uid))
        departures = {p: [utc(e.start) for e in ls] for p, ls in legs.items()}
        return cls(legs=dict(legs), departures=departures)

    def last_leg(self, person: str, moment: datetime) -> Event | None:
        """The last leg of ``person`` that departed at or before ``moment``, if any."""
        index = bisect.bisect_right(self.departures.get(person, []), utc(moment)) - 1
        return self.legs[person][index] if index >= 0 else None

    def where(self, plan: Plan, person: str, moment: datetime) -> tuple[Place, Event | None]:
        """``(place, leg)``: the place at ``moment`` and the leg that brought them, or
        ``(IN_TRANSIT, leg)`` while a leg is under way."""
        leg = self.last_leg(person, moment)
        if leg is None:
            return plan.delegate(person).home, None
        if utc(leg.end) > utc(moment):
            return IN_TRANSIT, leg
        assert leg.destination is not None
        return place_of(plan, leg.destination), leg


# -- the account's records ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """Where a person is at one instant."""

    place: Place
    zone: str  # IANA zone of the place (on the way: the zone the leg left from)
    at_home: bool
    leg: Event | None = None  # the leg under way, or the last leg that brought them


@dataclass(frozen=True, slots=True)
class Attendance:
    """One timed or all-day event as a person lives it."""

    event: Event
    start: datetime | None  # in the zone where the person is then (a leg: where it departs)
    end: datetime | None  # in the zone where the person is then (a leg: where it arrives)
    own_start: datetime | None  # the event's own times, only when its zone differs
    own_end: datetime | None
    duration: timedelta | None
    day_shift: int  # days from the start's local date to the end's (+1: ends next day)
    home_start: datetime | None  # the start at the person's home
    home_shift: int  # days from the start's local date to its date at home
    remote: bool  # joined from elsewhere (a call hosted in another community)

    @property
    def zones(self) -> tuple[str, ...]:
        """The zones of start and end (one when both are the same)."""
        if self.start is None or self.end is None:
            return ()
        first, last = zone_key(self.start), zone_key(self.end)
        return (first,) if first == last else (first, last)


@dataclass(frozen=True, slots=True)
class Night:
    """Where a person sleeps in the night after a day."""

    day: date
    stay: Event | None  # the booked stay, if any
    place: Place  # the community of the stay, home, where they are, or IN_TRANSIT
    at_home: bool
    address: str | None  # the stay's own address; None: to be confirmed
    check_in: date | None
    check_out: date | None
    confirmed: bool  # a stay not provisional (False without a stay away from home)


@dataclass(frozen=True, slots=True)
class PersonDay:
    """One local day of one person."""

    person: str
    day: date
    zone: str  # the zone the day is told in
    places: tuple[Place, ...]  # in order (IN_TRANSIT between places only when overnight)
    place: Place  # where the day ends
    at_home: bool  # the whole day at home
    travelling: bool  # a leg departs or arrives on this day
    events: tuple[Attendance, ...]
    night: Night


@dataclass(frozen=True, slots=True)
class Pending:
    """An activity not yet placed: to be scheduled between two instants (the community's
    local time)."""

    event: Event
    window_start: datetime
    window_end: datetime


@dataclass(frozen=True, slots=True)
class Passage:
    """A leg arriving at or leaving a host community (or one of its airports)."""

    direction: Literal["arrival", "departure"]
    event: Event
    when: datetime  # the local time at the community's end
    other_end: str  # the endpoint at the other end (community id or airport code)
    people: tuple[str, ...]
    visitors: tuple[str, ...]  # those who do not live there
    pickup: tuple[str, ...]  # arriving visitors whose journey ends at this endpoint


@dataclass(frozen=True, slots=True)
class HostEvent:
    """An appointment or meal in a host community, visitors and locals apart."""

    event: Event
    visitors: tuple[str, ...]
    locals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Booking:
    """A stay in a community: its nights, people and room nights."""

    stay: Event
    first_night: date
    nights: int
    check_out: date
    people: tuple[str, ...]

    @property
    def room_nights(self) -> int:
        """One room per person and night."""
        return self.nights * len(self.people)


@dataclass(frozen=True, slots=True)
class HostDay:
    """One local day of a host community."""

    community: str
    day: date
    visitors: tuple[str, ...]  # present that day, living elsewhere
    arrivals: tuple[Passage, ...]
    departures: tuple[Passage, ...]
    appointments: tuple[HostEvent, ...]
    meals: tuple[HostEvent, ...]
    lodging: tuple[Booking, ...]  # stays with a night after this day
    sleeping: int  # people sleeping there in the night after this day (booked stays)


# -- the account ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Walks:
    """One person's timed events in order of start: which in-person activity covers an
    instant, and which starts and ends fall in a span."""

    starts: list[datetime]  # in-person activities (not calls): UTC starts, in order
    ends: list[datetime]  # their UTC ends
    reach: list[datetime]  # the latest end among the first n
    communities: list[str]
    moments: list[tuple[datetime, datetime, bool]]  # every start and end: UTC, as given, leg
    keys: list[datetime]  # the UTC instants of ``moments``

    @classmethod
    def of(cls, events: Iterable[Event], instants: dict[str, tuple[datetime, datetime]]) -> _Walks:
        """``instants``: each timed event's start and end in UTC, by uid."""
        events = [e for e in events if e.uid in instants]
        walks = sorted(
            (*instants[e.uid], e.uid, e.community)
            for e in events
            if e.category == "activity" and e.kind != "call" and e.community
        )
        reach: list[datetime] = []
        for _, end, _, _ in walks:
            reach.append(max(reach[-1], end) if reach else end)
        moments = sorted(
            (
                (instant, moment, e.category == "travel")
                for e in events
                for instant, moment in zip(instants[e.uid], (e.start, e.end), strict=True)
                if moment is not None
            ),
            key=lambda m: m[0],
        )
        return cls(
            starts=[w[0] for w in walks],
            ends=[w[1] for w in walks],
            reach=reach,
            communities=[str(w[3]) for w in walks],
            moments=moments,
            keys=[m[0] for m in moments],
        )

    def covering(self, instant: datetime) -> str | None:
        """The community of the in-person activity under way at ``instant``, if any."""
        moment = utc(instant)
        index = bisect.bisect_right(self.starts, moment) - 1
        while index >= 0 and self.reach[index] > moment:
            if self.ends[index] > moment:
                return self.communities[index]
            index -= 1
        return None

    def moments_between(self, start: datetime, end: datetime) -> list[tuple[datetime, bool]]:
        """Starts and ends of events from ``start`` (inclusive) to ``end``, with whether
        each belongs to a leg."""
        first = bisect.bisect_left(self.keys, utc(start))
        last = bisect.bisect_left(self.keys, utc(end))
        return [(m[1], m[2]) for m in self.moments[first:last]]


@dataclass(frozen=True, eq=False)  # one account is itself: compared and hashed by identity
class Whereabouts:
    """Who is where: see the module documentation."""

    plan: Plan
    events: tuple[Event, ...]
    timeline: Timeline
    _mine: dict[str, tuple[Event, ...]] = field(repr=False)
    _trip_ends: dict[tuple[str, str], date] = field(repr=False)
    _walks: dict[str, _Walks] = field(repr=False)  # in-person activities by start (on use)
    _instants: dict[str, tuple[datetime, datetime]] = field(repr=False)  # uid → UTC span
    _days: dict[str, tuple[PersonDay, ...]] = field(repr=False)
    _hosted: dict[str, tuple[HostDay, ...]] = field(repr=False)
    _places: dict[str, str] = field(repr=False)  # endpoint → place
    _zones: dict[str, str] = field(repr=False)  # place → zone
    _homes: dict[str, str] = field(repr=False)  # person → home community
    _under: dict[str, dict[date, list[Event]]] = field(repr=False)  # person → day → events
    _trip_spans: dict[str, list[tuple[date, date]]] = field(repr=False)  # person → trips' days
    _languages: dict[str, Whereabouts] = field(default_factory=dict, repr=False)
    _positions: dict[tuple[str, datetime], Position] = field(default_factory=dict, repr=False)
    """Every answer of :meth:`at`, by person and UTC instant: the account asks the same
    instants again and again (a day's midnight ends one day and starts the next; an event's
    start tells its day, its zone and whether it is attended in person)."""
    _legs: dict[str, list[tuple[datetime, str, datetime | None]]] = field(
        default_factory=dict, repr=False
    )  # person → for each leg of the timeline: its UTC end, its place, the UTC end of its trip
    _person_days: dict[tuple[str, date], PersonDay] = field(default_factory=dict, repr=False)
    """Every answer of :meth:`day`, by person and day (the checks and the costs ask a day
    between trips, or a trip's first day, many times)."""

    @classmethod
    def of(cls, plan: Plan, events: Iterable[Event]) -> Whereabouts:
        """The account of ``events`` (all events of the plan, in the itinerary's order)."""
        events = tuple(events)
        mine: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            for person in event.attendees:
                mine[person].append(event)
        ends = _trip_ends(plan, mine)
        trips = {trip.id: trip for trip in plan.trips}
        spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
        for person, trip_id in ends:
            if trip_id in trips:
                spans[person].append((trips[trip_id].first_day, trips[trip_id].last_day))
        account = cls(
            plan=plan,
            events=events,
            timeline=Timeline.of(events),
            _mine={p: tuple(es) for p, es in mine.items()},
            _trip_ends=ends,
            _trip_spans=dict(spans),
            _walks={},
            _instants={
                e.uid: (utc(e.start), utc(e.end))
                for e in events
                if e.start is not None and e.end is not None
            },
            _days={},
            _hosted={},
            _places={},
            _zones={},
            _homes={d.id: d.home for d in plan.delegates},
            _under={},
        )
        return account

    def in_language(self, lang: str) -> Whereabouts:
        """The same account with every event's texts in ``lang`` (for
        :meth:`tripplan.itinerary.Itinerary.in_language`); made once per language."""
        if lang == self.plan.programme.language:
            return self
        if lang not in self._languages:
            self._languages[lang] = Whereabouts.of(
                self.plan.in_language(lang), (event.in_language(lang) for event in self.events)
            )
        return self._languages[lang]

    # -- one person -------------------------------------------------------------------

    def at(self, person: str, instant: datetime) -> Position:
        """Where ``person`` is at ``instant`` (see the module documentation)."""
        moment = utc(instant)
        key = (person, moment)
        found = self._positions.get(key)
        if found is None:
            found = self._positions[key] = self._at(person, moment)
        return found

    def _at(self, person: str, moment: datetime) -> Position:
        """:meth:`at` for an instant in UTC, worked out."""
        home = self._homes[person]
        index = bisect.bisect_right(self.timeline.departures.get(person, []), moment) - 1
        leg = None
        place: Place = home
        if index >= 0:
            leg = self.timeline.legs[person][index]
            end, place, end_of_trip = self._leg_facts(person)[index]
            if end > moment:
                assert leg.start is not None
                return Position(IN_TRANSIT, zone_key(leg.start), False, leg)
            if place != home and end_of_trip is not None and moment >= end_of_trip:
                place = home
        walked = self._walks_of(person).covering(moment)
        if walked is not None and self.near(place, walked):
            place = walked  # there in person: walked over to a neighbouring town
        return Position(place, self._zone_of(place), place == home, leg)

    def _leg_facts(self, person: str) -> list[tuple[datetime, str, datetime | None]]:
        """For each of ``person``'s legs (in the timeline's order): its end in UTC, the place
        it brings them to, and the end of its trip for them in UTC (midnight after the last
        day they are away, or after the leg's own end, whichever is later), if they are on
        the trip."""
        facts = self._legs.get(person)
        if facts is None:
            facts = []
            for leg in self.timeline.legs.get(person, []):
                assert leg.end is not None and leg.destination
                last_day = self._trip_ends.get((person, leg.trip))
                end_of_trip = None
                if last_day is not None:
                    end_of_trip = utc(
                        datetime.combine(
                            max(last_day, leg.end.date()) + timedelta(days=1),
                            time(0),
                            leg.end.tzinfo,
                        )
                    )
                facts.append((utc(leg.end), self._place(leg.destination), end_of_trip))
            self._legs[person] = facts
        return facts

    def near(self, here: Place, there: Place) -> bool:
        """Whether someone at ``here`` is at ``there`` or reaches it on foot (the same
        place, or two neighbouring communities: see ``Community.neighbours``); no leg is
        needed between the two."""
        if here == there:
            return True
        if here is IN_TRANSIT or there is IN_TRANSIT:
            return False
        assert isinstance(here, str) and isinstance(there, str)
        return there in self.plan.neighbours(here)

    def days(self, person: str) -> tuple[PersonDay, ...]:
        """Every local day of ``person``'s trips and events, in order (worked out once), and
        the days an activity of theirs not yet placed may take (a local at home included)."""
        if person not in self._days:
            under = self._standing(person)
            waiting = {
                d
                for p in self.pending(person)
                for d in days(
                    p.window_start.date(), (p.window_end - timedelta(microseconds=1)).date()
                )
            }
            self._days[person] = tuple(
                self.day(person, d) for d in sorted({*under, *self._trip_days(person), *waiting})
            )
        return self._days[person]

    def day(self, person: str, day: date) -> PersonDay:
        """``person``'s local day ``day`` (any day: between trips they are at home), worked
        out once."""
        key = (person, day)
        found = self._person_days.get(key)
        if found is None:
            found = self._person_days[key] = self._day(person, day)
        return found

    def _day(self, person: str, day: date) -> PersonDay:
        """:meth:`day`, worked out."""
        home = self._homes[person]
        home_tz = self._zone_info(home)
        start = self._day_start(person, day)
        end = self._day_start(person, day + timedelta(days=1))
        tz = zone_key(start)
        places: list[Place] = []
        travelling = False
        points = [start]
        for moment, travel in self._walks_of(person).moments_between(start, end):
            points.append(moment)
            travelling = travelling or travel
        points.sort(key=utc)
        for point in points:
            position = self.at(person, point)
            if position.place is IN_TRANSIT:
                if point is start:  # the day begins on the way
                    places.append(IN_TRANSIT)
                continue
            if not places or places[-1] != position.place:
                places.append(position.place)
        last = self.at(person, end - timedelta(microseconds=1))
        if last.place is IN_TRANSIT:
            places.append(IN_TRANSIT)
        elif not places or places[-1] != last.place:
            places.append(last.place)
        ground = [p for p in places if p is not IN_TRANSIT]
        if ground and last.place is not IN_TRANSIT:
            tz = self._zone_of(last.place)
        events = tuple(
            self._attendance(person, event, home_tz)
            for event in self._standing(person).get(day, ())
        )
        return PersonDay(
            person=person,
            day=day,
            zone=tz,
            places=tuple(places),
            place=last.place,
            at_home=places == [home] and not travelling,
            travelling=travelling,
            events=events,
            night=self._night(person, day, end),
        )

    def pending(self, person: str) -> tuple[Pending, ...]:
        """``person``'s activities not yet placed, each with its window."""
        from tripplan.planning.facts import window_bounds

        out = []
        for event in self._mine.get(person, ()):
            if event.category != "activity" or event.placed or event.community is None:
                continue
            activity = event.source
            if not isinstance(activity, Activity) or activity.window_start is None:
                continue
            opens, closes = window_bounds(self.plan, activity)
            tz = self._zone_info(event.community)
            out.append(Pending(event, opens.astimezone(tz), closes.astimezone(tz)))
        return tuple(out)

    # -- one host community ------------------------------------------------------------

    def passages(self, community: str) -> tuple[Passage, ...]:
        """Every leg of any trip that arrives at or leaves ``community`` (or its airports)."""
        out: list[Passage] = []
        for event in self.events:
            if event.category != "travel" or event.start is None or event.end is None:
                continue
            assert event.origin is not None and event.destination is not None
            arrives = self._place(event.destination) == community
            leaves = self._place(event.origin) == community
            if arrives == leaves:
                continue  # neither, or within the community's own area
            people = event.attendees
            visitors = tuple(p for p in people if not self._lives(p, community))
            if arrives:
                pickup = tuple(
                    p
                    for p in visitors
                    if event.kind in ("flight", "train") and self._ends(p, event)
                )
                out.append(
                    Passage("arrival", event, event.end, event.origin, people, visitors, pickup)
                )
            else:
                out.append(
                    Passage(
                        "departure", event, event.start, event.destination, people, visitors, ()
                    )
                )
        out.sort(key=lambda p: (utc(p.when), p.event.uid))
        return tuple(out)

    def host_events(self, community: str) -> tuple[HostEvent, ...]:
        """Appointments and meals in ``community`` (all trips), visitors and locals apart."""
        out = []
        for event in self.events:
            if event.category == "activity" and event.community == community:
                here = tuple(p for p in event.attendees if self._lives(p, community))
                away = tuple(p for p in event.attendees if not self._lives(p, community))
                out.append(HostEvent(event, away, here))
        return tuple(out)

    def lodging(self, community: str) -> tuple[Booking, ...]:
        """Stays in ``community``, with their nights and people."""
        out = []
        for event in self.events:
            if (
                event.category == "stay"
                and event.community == community
                and event.first_day is not None
                and event.last_day is not None
            ):
                nights = (event.last_day - event.first_day).days + 1
                check_out = event.last_day + timedelta(days=1)
                out.append(Booking(event, event.first_day, nights, check_out, event.attendees))
        return tuple(out)

    def host_days(self, community: str) -> tuple[HostDay, ...]:
        """Each local day on which anything happens in ``community`` or visitors are there."""
        if community in self._hosted:
            return self._hosted[community]
        tz = self._zone_info(community)
        visitors: dict[date, set[str]] = defaultdict(set)
        touching = {
            person
            for event in self.events
            if event.community == community
            or (event.origin is not None and self._place(event.origin) == community)
            or (event.destination is not None and self._place(event.destination) == community)
            for person in event.attendees
        }
        for person in sorted(touching):
            if self._lives(person, community):
                continue
            for person_day in self.days(person):
                if community in person_day.places or person_day.night.place == community:
                    visitors[person_day.day].add(person)
        passages = self.passages(community)
        arrivals: dict[date, list[Passage]] = defaultdict(list)
        departures: dict[date, list[Passage]] = defaultdict(list)
        for passage in passages:
            target = arrivals if passage.direction == "arrival" else departures
            target[passage.when.astimezone(tz).date()].append(passage)
        meetings: dict[date, list[HostEvent]] = defaultdict(list)
        for host_event in self.host_events(community):
            for each in host_event.event.local_days():
                meetings[each].append(host_event)
        beds: dict[date, list[Booking]] = defaultdict(list)
        for booking in self.lodging(community):
            for night in days(booking.first_night, booking.check_out - timedelta(days=1)):
                beds[night].append(booking)
        order = self._person_order
        out = []
        for each in sorted({*visitors, *arrivals, *departures, *meetings, *beds}):
            booked = beds.get(each, [])
            out.append(
                HostDay(
                    community=community,
                    day=each,
                    visitors=tuple(sorted(visitors.get(each, ()), key=order.__getitem__)),
                    arrivals=tuple(arrivals.get(each, ())),
                    departures=tuple(departures.get(each, ())),
                    appointments=tuple(m for m in meetings.get(each, ()) if m.event.kind != "meal"),
                    meals=tuple(m for m in meetings.get(each, ()) if m.event.kind == "meal"),
                    lodging=tuple(booked),
                    sleeping=len({p for b in booked for p in b.people}),
                )
            )
        self._hosted[community] = tuple(out)
        return self._hosted[community]

    # -- helpers -------------------------------------------------------------------------

    @property
    def _person_order(self) -> dict[str, int]:
        return {d.id: n for n, d in enumerate(self.plan.delegates)}

    def _walks_of(self, person: str) -> _Walks:
        if person not in self._walks:
            self._walks[person] = _Walks.of(self._mine.get(person, ()), self._instants)
        return self._walks[person]

    def _lives(self, person: str, community: str) -> bool:
        """Whether ``person`` lives in ``community`` or a neighbouring town of it (a local,
        not a visitor: no bed, no pick-up)."""
        return self.near(self._homes[person], community)

    def _place(self, endpoint: str) -> str:
        if endpoint not in self._places:
            self._places[endpoint] = place_of(self.plan, endpoint)
        return self._places[endpoint]

    def _zone_info(self, place: str) -> ZoneInfo:
        return ZoneInfo(self._zone_of(place))

    def _zone_of(self, place: Place) -> str:
        assert isinstance(place, str)
        if place not in self._zones:
            self._zones[place] = self.plan.endpoint_zone(place).key
        return self._zones[place]

    def _trip_days(self, person: str) -> set[date]:
        """The days of the trips ``person`` travels on."""
        return {
            day for first, last in self._trip_spans.get(person, ()) for day in days(first, last)
        }

    def _standing(self, person: str) -> dict[date, list[Event]]:
        """``person``'s events (not stays) by the local day each stands under; a timed
        event's last day is listed too (with no event), so that the day is told."""
        if person in self._under:
            return self._under[person]
        under: dict[date, list[Event]] = defaultdict(list)
        for event in self._mine.get(person, ()):
            if event.category == "stay":
                for each in event.local_days():
                    under.setdefault(each, [])
            elif event.start is not None and event.end is not None:
                under[self._start_day(person, event)].append(event)
                last = event.end - timedelta(microseconds=1)  # an end at 00:00: the day before
                if event.category != "travel":
                    last = last.astimezone(self._person_zone(person, last))
                under.setdefault(last.date(), [])
            else:
                for each in event.local_days():
                    under[each].append(event)
        self._under[person] = dict(under)
        return self._under[person]

    def _day_start(self, person: str, day: date) -> datetime:
        """Midnight at the start of ``day`` where ``person`` is then."""
        tz = self._zone_info(self._homes[person])
        for _ in range(3):
            start = datetime.combine(day, time(0), tz)
            position = self.at(person, start)
            found = ZoneInfo(position.zone)
            if found.key == tz.key:
                return start
            tz = found
        return datetime.combine(day, time(0), tz)

    def _person_zone(self, person: str, instant: datetime) -> ZoneInfo:
        return ZoneInfo(self.at(person, instant).zone)

    def _start_day(self, person: str, event: Event) -> date:
        """The local date ``event`` stands under for ``person``."""
        assert event.start is not None
        if event.category == "travel":
            return event.start.date()
        return event.start.astimezone(self._person_zone(person, event.start)).date()

    def _attendance(self, person: str, event: Event, home_tz: ZoneInfo) -> Attendance:
        if event.start is None or event.end is None:
            return Attendance(event, None, None, None, None, None, 0, None, 0, False)
        if event.category == "travel":
            start, end = event.start, event.end
        else:
            start = event.start.astimezone(self._person_zone(person, event.start))
            end = event.end.astimezone(ZoneInfo(zone_key(start)))
        differs = zone_key(start) != zone_key(event.start) or zone_key(end) != zone_key(event.end)
        home_start = event.start.astimezone(home_tz)
        remote = (
            event.category == "activity"
            and event.community is not None
            and self.at(person, event.start).place != event.community
        )
        return Attendance(
            event=event,
            start=start,
            end=end,
            own_start=event.start if differs else None,
            own_end=event.end if differs else None,
            duration=utc(event.end) - utc(event.start),
            day_shift=(end.date() - start.date()).days,
            home_start=home_start,
            home_shift=(home_start.date() - start.date()).days,
            remote=remote,
        )

    def _ends(self, person: str, leg: Event) -> bool:
        """Whether ``person``'s journey ends with ``leg`` (no leg of theirs leaves its
        destination before the end of the next day)."""
        legs = self.timeline.legs.get(person, [])
        at = legs.index(leg) if leg in legs else -1
        if at < 0 or at + 1 >= len(legs):
            return True
        following = legs[at + 1]
        return following.origin != leg.destination or utc(following.start) - utc(
            leg.end
        ) > timedelta(hours=12)

    def _night(self, person: str, day: date, end: datetime) -> Night:
        home = self.plan.delegate(person).home
        for event in self._mine.get(person, ()):
            if (
                event.category == "stay"
                and event.first_day is not None
                and event.last_day is not None
                and event.first_day <= day <= event.last_day
            ):
                assert event.community is not None
                return Night(
                    day=day,
                    stay=event,
                    place=event.community,
                    at_home=event.community == home,
                    address=event.venue.strip() or None,
                    check_in=event.first_day,
                    check_out=event.last_day + timedelta(days=1),
                    confirmed=not event.provisional,
                )
        position = self.at(person, end - timedelta(microseconds=1))
        if position.place is not IN_TRANSIT:  # on the way at midnight: the night is, too
            position = self.at(person, end + timedelta(hours=2))
        return Night(
            day=day,
            stay=None,
            place=position.place,
            at_home=position.at_home,
            address=None,
            check_in=None,
            check_out=None,
            confirmed=position.at_home,
        )


def _trip_ends(plan: Plan, mine: dict[str, list[Event]]) -> dict[tuple[str, str], date]:
    """For each person and trip, the last day they are away: the trip's last day, or the
    check-out of a stay of theirs that ends later."""
    ends = {(p, t.id): t.last_day for t in plan.trips for p in plan.travellers(t)}
    for person, events in mine.items():
        for event in events:
            if event.category == "stay" and event.last_day is not None:
                key = (person, event.trip)
                check_out = event.last_day + timedelta(days=1)
                ends[key] = max(ends.get(key, check_out), check_out)
    return ends


def whereabouts_of(itinerary: Itinerary) -> Whereabouts:
    """The account of ``itinerary``: the one :func:`build_itinerary` made (of every event,
    whatever the itinerary's selection), or, for an itinerary made otherwise, one of its
    events."""
    if isinstance(itinerary.whereabouts, Whereabouts):
        return itinerary.whereabouts
    return Whereabouts.of(itinerary.plan, itinerary.events)
