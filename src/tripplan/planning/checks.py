"""Checks: everything in a plan that a careful coordinator would flag.

Each check yields :class:`~tripplan.itinerary.Finding` values with a severity,
a message and what it is about (event uids, delegate, trip and community ids, a day),
each in its own field. The
checks only read; they never change the plan. They never put a delegate's
private data into a message: entry checks say *that* something is missing or
fails, never the passport date itself, and their findings are visible only to the
coordinators and the delegate concerned (see ``Finding.visibility``).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tripplan.airports import airport, distance_km, is_code, named
from tripplan.files import safe_name
from tripplan.itinerary import Event, Finding
from tripplan.messages import Country, Day, Duration, Items, People, ShortDay, msg, nmsg
from tripplan.models import Plan
from tripplan.planning import rules
from tripplan.planning.costchecks import cost_findings
from tripplan.planning.rules import Checks
from tripplan.planning.whereabouts import (
    IN_TRANSIT,
    Whereabouts,
    place_name,
    place_of,
    utc,
    where_said,
)
from tripplan.timeutils import days, offset_at, zone


def check(plan: Plan, events: list[Event], account: Whereabouts | None = None) -> list[Finding]:
    """Run every check over the events of ``plan`` (``account``: their whereabouts)."""
    account = account or Whereabouts.of(plan, events)
    findings: list[Finding] = list(_stay_elsewhere(account))
    for rule in (
        _placeholders,
        _unplaced,
        _leg_times,
        _missing_legs,
        _connections,
        _lodging,
        _entry,
        _dst_weeks,
        _file_names,
        _two_beds,
        _programme_year,
        _flight_times,
    ):
        findings.extend(rule(plan, events, account))
    for each in rules.RULES:  # the rules of a good schedule, the same the scheduler keeps
        findings.extend(each.report(plan, events, account))
    findings.extend(cost_findings(account))  # planning/costchecks.py (issue 25)
    return findings


# -- where everyone is ----------------------------------------------------------


def _placeholders(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    for community in plan.communities:
        if community.placeholder:
            yield Finding(
                "host-to-be-confirmed",
                "info",
                msg(
                    "{name} is a placeholder to be confirmed; its time zone {zone} is assumed. "
                    "Once the host is known, run 'tripplan hosts confirm {id}' (or set its "
                    "name, timezone and airports in the plan and remove "
                    "'placeholder = true').",
                    name=community.called,
                    zone=community.timezone,
                    id=community.id,
                ),
                communities=(community.id,),
            )


def _unplaced(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    for event in events:
        if not event.placed:
            yield Finding(
                "not-placed",
                "info",
                msg(
                    "'{title}' ({uid}) has a window but no time yet; run 'tripplan plan "
                    "--write' to place it.",
                    title=event.called,
                    uid=event.uid,
                ),
                events=(event.uid,),
            )


def _leg_times(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    for event in events:
        if event.category == "travel" and event.timed and utc(event.end) <= utc(event.start):
            assert event.start is not None and event.end is not None
            yield Finding(
                "arrives-before-departure",
                "error",
                msg(
                    "{uid} arrives {arrives} but departs {departs}, which is later in absolute "
                    "time; check the local times and the zones of both ends.",
                    uid=event.uid,
                    arrives=event.end,
                    departs=event.start,
                ),
                events=(event.uid,),
            )


def _missing_legs(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    # Legs that leave from somewhere the traveller is not, nor a neighbouring town of it
    # (reached on foot): a leg is missing.
    gaps: dict[tuple[str, str], list[str]] = defaultdict(list)
    legs_by_uid: dict[str, tuple[Event, bool]] = {}
    for person, legs in sorted(account.timeline.legs.items()):
        for index, leg in enumerate(legs):
            assert leg.origin is not None
            if index == 0:
                here = plan.delegate(person).home
            else:
                previous = legs[index - 1]
                assert previous.destination is not None
                here = place_of(plan, previous.destination)
            if not account.near(here, place_of(plan, leg.origin)):
                gaps[(leg.uid, here)].append(person)
                first = legs_by_uid.get(leg.uid, (leg, True))[1] and index == 0
                legs_by_uid[leg.uid] = (leg, first)
    for (uid, here), people in sorted(gaps.items()):
        leg, first = legs_by_uid[uid]
        assert leg.origin is not None and leg.start is not None
        yield Finding(
            "missing-leg",
            "warning" if first else "error",
            nmsg(
                "{people} is {where} but {uid} departs from {origin} at {departs}; a travel "
                "leg between the two is missing.",
                "{people} are {where} but {uid} departs from {origin} at {departs}; a travel "
                "leg between the two is missing.",
                len(people),
                people=People(tuple(people)),
                where=where_said(plan, here),
                uid=uid,
                origin=place_name(plan, place_of(plan, leg.origin)),
                departs=leg.start,
            ),
            events=(uid,),
            people=tuple(people),
        )


def _connections(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    seen: set[tuple[str, str]] = set()
    settings = plan.settings
    for _person, legs in sorted(account.timeline.legs.items()):
        for before, after in itertools.pairwise(legs):
            assert before.destination and after.origin and before.origin and after.destination
            if before.kind != "flight" or after.kind != "flight":
                continue
            if place_of(plan, before.destination) != place_of(plan, after.origin):
                continue
            if (before.uid, after.uid) in seen:
                continue
            seen.add((before.uid, after.uid))
            countries = {
                plan.endpoint_country(before.origin),
                plan.endpoint_country(after.destination),
            }
            international = len(countries) > 1
            needed = settings.min_transfer_international if international else settings.min_transfer
            gap = utc(after.start) - utc(before.end)
            if timedelta(0) <= gap < needed:
                change = dict(
                    gap=Duration(gap),
                    first=before.uid,
                    then=after.uid,
                    place=place_name(plan, place_of(plan, after.origin)),
                    needed=Duration(needed),
                )
                yield Finding(
                    "short-connection",
                    "error",
                    msg(
                        "only {gap} to change from {first} to {then} at {place}; an "
                        "international change needs at least {needed}. Choose a later "
                        "connection.",
                        **change,
                    )
                    if international
                    else msg(
                        "only {gap} to change from {first} to {then} at {place}; a change needs "
                        "at least {needed}. Choose a later connection.",
                        **change,
                    ),
                    events=(before.uid, after.uid),
                )


def _lodging(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    for trip in plan.trips:
        gaps: dict[tuple[date, ...], list[str]] = defaultdict(list)
        for person in plan.travellers(trip):
            missing = [
                night
                for night in days(trip.first_day, trip.last_day - timedelta(days=1))
                if not _sleeps(account, person, night)
            ]
            if missing:
                gaps[tuple(missing)].append(person)
        for missing_nights, people in sorted(gaps.items()):
            nights: object = Items(tuple(ShortDay(n) for n in missing_nights[:5]))
            extra = len(missing_nights) - 5
            if extra > 0:
                nights = msg("{nights} and {count} more", nights=nights, count=extra)
            yield Finding(
                "no-lodging",
                "warning",
                nmsg(
                    "{people} has nowhere to sleep on trip {trip} in the night after {nights}. "
                    "Add a stay (hotel or host family) for those nights.",
                    "{people} have nowhere to sleep on trip {trip} in the night after {nights}. "
                    "Add a stay (hotel or host family) for those nights.",
                    len(people),
                    people=People(tuple(people)),
                    trip=trip.id,
                    nights=nights,
                ),
                trip=trip.id,
                people=tuple(people),
            )


def _sleeps(account: Whereabouts, person: str, night: date) -> bool:
    """Whether ``person`` has a bed in the night after ``night``, as the account tells that
    night: a stay, on the way (an overnight leg), or at home (or in a neighbouring town of
    it)."""
    tonight = account.day(person, night).night
    home = account.plan.delegate(person).home
    return (
        tonight.stay is not None or tonight.place is IN_TRANSIT or account.near(tonight.place, home)
    )


def _entry(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    """Crossing a border needs a passport valid for the trip; entering the US also an ESTA
    or a visa. Messages say what is missing or fails, never the private data itself."""
    trips = {t.id: t for t in plan.trips}
    passports: set[tuple[str, str]] = set()
    permits: set[tuple[str, str]] = set()
    for event in events:
        if event.category != "travel" or event.origin is None or event.destination is None:
            continue
        into = plan.endpoint_country(event.destination)
        if into == plan.endpoint_country(event.origin):
            continue
        trip = trips[event.trip]
        country = Country(into)
        for person in event.attendees:
            delegate = plan.delegate(person)
            home_country = plan.community(delegate.home).country
            if into == home_country:
                continue
            private = delegate.private
            if (trip.id, person) not in passports:
                passports.add((trip.id, person))
                if private.passport_expiry is None:
                    yield Finding(
                        "entry-data-missing",
                        "warning",
                        msg(
                            "{uid} takes {person} across a border ({country}), but no passport "
                            "expiry is recorded; add private.passport_expiry.",
                            person=person,
                            country=country,
                            uid=event.uid,
                        ),
                        events=(event.uid,),
                        people=(person,),
                        visibility="concerned",  # derived from private data
                        subject=person,
                    )
                elif private.passport_expiry < trip.last_day:
                    yield Finding(
                        "passport-expires",
                        "error",
                        msg(
                            "{person}'s passport expires before the end of trip {trip}; a new "
                            "passport is needed before travel.",
                            person=person,
                            trip=trip.id,
                        ),
                        events=(event.uid,),
                        people=(person,),
                        visibility="concerned",  # derived from private data
                        subject=person,
                    )
            if into != "US" or (trip.id, person) in permits:
                continue
            permits.add((trip.id, person))
            statuses = {private.esta, private.visa}
            if "approved" in statuses or "not_needed" in statuses:
                continue
            if "refused" in statuses:
                yield Finding(
                    "entry-refused",
                    "error",
                    msg(
                        "{person}'s ESTA or visa for the US was refused; they cannot travel on "
                        "this trip as planned.",
                        person=person,
                    ),
                    events=(event.uid,),
                    people=(person,),
                    visibility="concerned",  # derived from private data
                    subject=person,
                )
            else:
                yield Finding(
                    "entry-data-missing",
                    "warning",
                    msg(
                        "{person} enters the US on {uid} without an approved ESTA or visa on "
                        "record; update private.esta or private.visa once approved.",
                        person=person,
                        uid=event.uid,
                    ),
                    events=(event.uid,),
                    people=(person,),
                    visibility="concerned",  # derived from private data
                    subject=person,
                )


def _usual_gap(first: ZoneInfo, second: ZoneInfo, year: int) -> set[timedelta]:
    """The differences between two zones in mid-winter and mid-summer of ``year``."""
    gaps = set()
    for month in (1, 7):
        moment = datetime(year, month, 15, 12, tzinfo=UTC)
        gaps.add(offset_at(moment, second) - offset_at(moment, first))
    return gaps


def _dst_weeks(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    """Participants in two zones during the weeks when only one of them has switched."""
    for event in events:
        if event.category != "activity" or not event.timed or event.community is None:
            continue
        assert event.start is not None
        here = zone(plan.community(event.community).timezone)
        zones: dict[str, ZoneInfo] = {}
        for person in event.attendees:
            place = account.at(person, event.start).place
            if place is IN_TRANSIT:
                continue
            tz = plan.endpoint_zone(place)
            if tz.key != here.key:
                zones[tz.key] = tz
        for key in sorted(zones):
            there = zones[key]
            now = offset_at(event.start, there) - offset_at(event.start, here)
            usual = _usual_gap(here, there, event.start.year)
            if len(usual) == 1 and now not in usual:
                (normal,) = usual
                fewer = abs(normal) > abs(now)
                elsewhere = event.start.astimezone(there)
                details = dict(
                    title=event.called,
                    uid=event.uid,
                    start=event.start,
                    there=elsewhere,
                    zone=key,
                    now=Duration(abs(now)),
                    usual=Duration(abs(normal)),
                )
                yield Finding(
                    "dst-weeks",
                    "warning",
                    msg(
                        "'{title}' ({uid}) at {start} is {there} for those in {zone}: this week "
                        "only one of the two zones is on daylight saving time, so the "
                        "difference is {now}, one hour less than the usual {usual}. Tell "
                        "everyone the time in their own zone.",
                        **details,
                    )
                    if fewer
                    else msg(
                        "'{title}' ({uid}) at {start} is {there} for those in {zone}: this week "
                        "only one of the two zones is on daylight saving time, so the "
                        "difference is {now}, one hour more than the usual {usual}. Tell "
                        "everyone the time in their own zone.",
                        **details,
                    ),
                    events=(event.uid,),
                )


def _file_names(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    """Two ids that would be written to one calendar file (``alex`` and ``alex.``)."""
    hosts = {h for t in plan.trips for h in t.hosts}
    for what, ids in (
        ("delegate", [d.id for d in plan.delegates]),
        ("community", [c.id for c in plan.communities if c.id in hosts]),
    ):
        seen: dict[str, str] = {}
        for ident in ids:
            name = safe_name(ident, ".ics")
            first = seen.setdefault(name.casefold(), ident)
            if first != ident:
                yield Finding(
                    "file-name-clash",
                    "error",
                    msg(
                        "the {what} ids {first} and {second} would both be written to {name} "
                        "by 'export-ics --split {what}'; rename one of them.",
                        what=what,
                        first=repr(first),
                        second=repr(ident),
                        name=name,
                    ),
                    people=(first, ident) if what == "delegate" else (),
                    communities=(first, ident) if what == "community" else (),
                )


def _two_beds(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    """A traveller booked into stays in two places for the same night."""
    nights: dict[tuple[str, str, date], list[Event]] = defaultdict(list)
    for event in events:
        if event.category != "stay" or event.first_day is None or event.last_day is None:
            continue
        for night in days(event.first_day, event.last_day):
            for person in event.attendees:
                nights[(event.trip, person, night)].append(event)
    clashes: dict[tuple[str, ...], list[tuple[str, date]]] = defaultdict(list)
    for (_, person, night), stays in sorted(nights.items()):
        places = {stay.community for stay in stays}
        if len(places) > 1:
            clashes[tuple(sorted(s.uid for s in stays))].append((person, night))
    for uids, booked in clashes.items():
        people = sorted({person for person, _ in booked})
        first = min(night for _, night in booked)
        yield Finding(
            "two-beds",
            "error",
            nmsg(
                "{people} is booked into stays in two places for the night after {night} "
                "({stays}); correct the check-in or check-out dates.",
                "{people} are booked into stays in two places for the night after {night} "
                "({stays}); correct the check-in or check-out dates.",
                len(people),
                people=People(tuple(people)),
                night=Day(first),
                stays=", ".join(uids),
            ),
            events=uids,
            people=tuple(people),
        )


def _stay_elsewhere(account: Whereabouts) -> Checks:
    """A stay in another community than where the person's legs and events place them that
    night (their last leg or activity of the day is elsewhere, and no leg brings them); a
    stay in a neighbouring town of where they are is reached on foot."""
    plan = account.plan
    wrong: dict[tuple[str, str], dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for event in account.events:
        if event.category != "stay" or event.first_day is None or event.last_day is None:
            continue
        assert event.community is not None
        tz = zone(plan.community(event.community).timezone)
        for night in days(event.first_day, event.last_day):
            probe = datetime.combine(night + timedelta(days=1), time(2, 0), tz)
            for person in event.attendees:
                place = account.at(person, probe).place
                if place is not IN_TRANSIT and not account.near(place, event.community):
                    assert isinstance(place, str)
                    wrong[(event.uid, place)][person].append(night)
    for (uid, place), people in sorted(wrong.items()):
        stay = next(e for e in account.events if e.uid == uid)
        assert stay.community is not None
        first = min(n for nights in people.values() for n in nights)
        yield Finding(
            "stay-elsewhere",
            "error",
            nmsg(
                "{people} sleeps in {stay} ({uid}) in {community} in the night after {night}, "
                "but their travel and appointments place them {where} then; correct the stay "
                "or add the travel leg.",
                "{people} sleep in {stay} ({uid}) in {community} in the night after {night}, "
                "but their travel and appointments place them {where} then; correct the stay "
                "or add the travel leg.",
                len(people),
                people=People(tuple(people)),
                stay=stay.called,
                uid=uid,
                community=place_name(plan, stay.community),
                night=Day(first),
                where=where_said(plan, place),
            ),
            events=(uid,),
            people=tuple(people),
        )


def _programme_year(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    """The programme's year is the year its trips take place."""
    year = plan.programme.year
    years = sorted({d.year for t in plan.trips for d in (t.first_day, t.last_day)})
    if years and year not in years:
        said = ", ".join(str(y) for y in years)
        yield Finding(
            "year-mismatch",
            "error",
            msg(
                "the programme's year is {year}, but its trips take place in {years}; correct "
                "programme.year or the trips' dates.",
                year=year,
                years=said,
            ),
        )


FASTEST_KMH = 1200.0
"""A ground speed no airliner beats, jet stream included: a shorter flight is a typo."""


def _flight_times(plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
    """A flight cannot be faster than an airliner flies between its airports."""
    for event in events:
        if event.kind != "flight" or not event.timed or event.origin is None:
            continue
        if event.destination is None or not (is_code(event.origin) and is_code(event.destination)):
            continue
        km = distance_km(airport(event.origin), airport(event.destination))
        took = utc(event.end) - utc(event.start)
        fastest = timedelta(hours=km / FASTEST_KMH)
        if took <= timedelta(0) or took >= fastest:
            continue  # arrival before departure is a finding of its own
        yield Finding(
            "flight-too-fast",
            "error",
            msg(
                "{uid} takes {took} for {km} km from {origin} to {destination}; no flight is "
                "faster than about {fastest}. Check the times and the time zones of both "
                "airports.",
                uid=event.uid,
                took=Duration(took),
                km=f"{km:,.0f}",
                origin=named(event.origin),
                destination=named(event.destination),
                fastest=Duration(fastest),
            ),
            events=(event.uid,),
        )
