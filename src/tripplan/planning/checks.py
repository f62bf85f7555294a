"""Checks: everything in a plan that a careful coordinator would flag.

Each check yields :class:`~tripplan.itinerary.Finding` values with a severity,
the ids involved (event uids, delegate ids, trip ids) and a message. The
checks only read; they never change the plan. They never put a delegate's
private data into a message: entry checks say *that* something is missing or
fails, never the passport date itself, and their findings are visible only to the
coordinators and the delegate concerned (see ``Finding.visibility``).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tripplan.airports import airport, distance_km, is_code
from tripplan.files import safe_name
from tripplan.itinerary import Event, Finding
from tripplan.models import Plan
from tripplan.planning import rules
from tripplan.planning.facts import (
    IN_TRANSIT,
    Timeline,
    people_list,
    people_list_de,
    place_name,
    place_of,
    utc,
    when,
    when_de,
    whereabouts,
    whereabouts_de,
)
from tripplan.timeutils import format_duration, zone


def check(plan: Plan, events: list[Event]) -> list[Finding]:
    """Run every check over the events of ``plan``."""
    timeline = Timeline.of(plan, events)
    findings: list[Finding] = []
    for rule in (
        _placeholders,
        _unplaced,
        _leg_times,
        _missing_legs,
        _trip_days,
        _connections,
        _lodging,
        _entry,
        _dst_weeks,
        _file_names,
        _two_beds,
        _programme_year,
        _flight_times,
    ):
        findings.extend(rule(plan, events, timeline))
    for each in rules.RULES:  # the rules of a good schedule, the same the scheduler keeps
        findings.extend(each.report(plan, events, timeline))
    return findings


# -- where everyone is ----------------------------------------------------------


Checks = Iterator[Finding]


def _placeholders(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    for community in plan.communities:
        if community.placeholder:
            yield Finding(
                "host-to-be-confirmed",
                "info",
                f"{community.name} is a placeholder to be confirmed; its time zone "
                f"{community.timezone} is assumed. Once the host is known, run 'tripplan "
                f"hosts confirm {community.id}' (or set its name, timezone and airports in the "
                "plan and remove 'placeholder = true').",
                (community.id,),
                de=f"{community.name} ist ein Platzhalter und noch zu bestätigen; die Zeitzone "
                f"{community.timezone} ist angenommen. Sobald die Gastkommune feststeht, "
                f"'tripplan hosts confirm {community.id}' ausführen (oder Name, Zeitzone und "
                "Flughäfen eintragen und 'placeholder = true' entfernen).",
            )


def _unplaced(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    for event in events:
        if not event.placed:
            yield Finding(
                "not-placed",
                "info",
                f"'{event.title}' ({event.uid}) has a window but no time yet; "
                "run 'tripplan plan --write' to place it.",
                (event.uid,),
                de=f"'{event.title}' ({event.uid}) hat ein Zeitfenster, aber noch keinen "
                "Termin; 'tripplan plan --write' plant es ein.",
            )


def _leg_times(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    for event in events:
        if event.category == "travel" and event.timed and utc(event.end) <= utc(event.start):
            assert event.start is not None and event.end is not None
            yield Finding(
                "arrives-before-departure",
                "error",
                f"{event.uid} arrives {when(event.end)} but departs {when(event.start)}, "
                "which is later in absolute time; check the local times and the zones "
                "of both ends.",
                (event.uid,),
                de=f"{event.uid} kommt {when_de(event.end)} an, startet aber "
                f"{when_de(event.start)}, absolut gesehen später; Ortszeiten und Zeitzonen "
                "beider Enden prüfen.",
            )


MAX_OVERLAP_WORK = 200_000
"""Work (pairs compared, people matched) the double-booking check may spend: counted, not
timed, so the answer is the same on every machine."""
MAX_CLASHES_LISTED = 100


def _missing_legs(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    # Legs that leave from somewhere the traveller is not (a leg is missing).
    gaps: dict[tuple[str, str], list[str]] = defaultdict(list)
    legs_by_uid: dict[str, tuple[Event, bool]] = {}
    for person, legs in sorted(timeline.legs.items()):
        for index, leg in enumerate(legs):
            assert leg.origin is not None
            if index == 0:
                here = plan.delegate(person).home
            else:
                previous = legs[index - 1]
                assert previous.destination is not None
                here = place_of(plan, previous.destination)
            if place_of(plan, leg.origin) != here:
                gaps[(leg.uid, here)].append(person)
                first = legs_by_uid.get(leg.uid, (leg, True))[1] and index == 0
                legs_by_uid[leg.uid] = (leg, first)
    for (uid, here), people in sorted(gaps.items()):
        leg, first = legs_by_uid[uid]
        assert leg.origin is not None and leg.start is not None
        yield Finding(
            "missing-leg",
            "warning" if first else "error",
            f"{people_list(people)} {'is' if len(people) == 1 else 'are'} "
            f"{whereabouts(plan, here)} but "
            f"{uid} departs from {place_name(plan, place_of(plan, leg.origin))} at "
            f"{when(leg.start)}; a travel leg between the two is missing.",
            (uid, *people),
            de=f"{people_list_de(people)} {'ist' if len(people) == 1 else 'sind'} "
            f"{whereabouts_de(plan, here)}, aber {uid} startet {when_de(leg.start)} in "
            f"{place_name(plan, place_of(plan, leg.origin))}; dazwischen fehlt eine Reise.",
        )


def _trip_days(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    trips = {t.id: t for t in plan.trips}
    for event in events:
        if event.category == "stay":
            continue
        trip = trips[event.trip]
        days = event.local_days()
        if not days:
            continue
        outside = [d for d in (days[0], days[-1]) if not trip.first_day <= d <= trip.last_day]
        if outside:
            yield Finding(
                "outside-trip",
                "error",
                f"'{event.title}' ({event.uid}) is on {outside[0]:%d %b %Y}, outside the days "
                f"of trip {trip.id} ({trip.first_day:%d %b} – {trip.last_day:%d %b %Y}). "
                "Move it, or widen the trip's first_day/last_day.",
                (event.uid, trip.id),
                de=f"'{event.title}' ({event.uid}) liegt am {outside[0]:%d.%m.%Y} außerhalb "
                f"der Tage der Reise {trip.id} ({trip.first_day:%d.%m.} – "
                f"{trip.last_day:%d.%m.%Y}). Verschieben oder first_day/last_day der Reise "
                "erweitern.",
            )


def _connections(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    seen: set[tuple[str, str]] = set()
    settings = plan.settings
    for _person, legs in sorted(timeline.legs.items()):
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
                yield Finding(
                    "short-connection",
                    "error",
                    f"only {format_duration(gap)} to change from {before.uid} to {after.uid} at "
                    f"{place_name(plan, place_of(plan, after.origin))}; "
                    f"{'an international' if international else 'a'} change needs at least "
                    f"{format_duration(needed)}. Choose a later connection.",
                    (before.uid, after.uid),
                    de=f"nur {format_duration(gap)} zum Umsteigen von {before.uid} auf "
                    f"{after.uid} in {place_name(plan, place_of(plan, after.origin))}; "
                    f"{'ein internationaler Umstieg' if international else 'ein Umstieg'} "
                    f"braucht mindestens {format_duration(needed)}. Eine spätere Verbindung "
                    "wählen.",
                )


def _lodging(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    mine: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        if event.category in ("stay", "travel"):
            for person in event.attendees:
                mine[(event.trip, person)].append(event)
    for trip in plan.trips:
        gaps: dict[tuple[date, ...], list[str]] = defaultdict(list)
        for person in plan.travellers(trip):
            home = plan.delegate(person).home
            missing: list[date] = []
            night = trip.first_day
            while night < trip.last_day:
                if not _sleeps(plan, person, night, home, mine[(trip.id, person)], timeline):
                    missing.append(night)
                night += timedelta(days=1)
            if missing:
                gaps[tuple(missing)].append(person)
        for missing_nights, people in sorted(gaps.items()):
            nights = ", ".join(f"{n:%d %b}" for n in missing_nights[:5])
            nights_de = ", ".join(f"{n:%d.%m.}" for n in missing_nights[:5])
            extra = len(missing_nights) - 5
            more = f" and {extra} more" if extra > 0 else ""
            more_de = f" und {extra} weitere" if extra > 0 else ""
            yield Finding(
                "no-lodging",
                "warning",
                f"{people_list(people)} {'has' if len(people) == 1 else 'have'} nowhere to "
                "sleep on "
                f"trip {trip.id} in the night after {nights}{more}. Add a stay (hotel or host "
                "family) for those nights.",
                (trip.id, *people),
                de=f"{people_list_de(people)} {'hat' if len(people) == 1 else 'haben'} auf der "
                f"Reise {trip.id} keine Unterkunft für die Nacht nach dem {nights_de}{more_de}. "
                "Für diese Nächte eine Unterkunft (Hotel oder Gastfamilie) eintragen.",
            )


def _sleeps(
    plan: Plan, person: str, night: date, home: str, mine: list[Event], timeline: Timeline
) -> bool:
    """Whether ``person`` has a bed in the night after ``night``: a stay, an overnight leg,
    or home. ``mine`` are the person's stays and legs of the trip."""
    for event in mine:
        if event.category == "stay" and event.first_day and event.last_day:
            covered = event.first_day <= night <= event.last_day
        elif event.category == "travel" and event.start and event.end:
            covered = event.start.date() <= night < event.end.date()
        else:
            covered = False
        if covered:
            return True
    probe = datetime.combine(
        night + timedelta(days=1), time(2, 0), zone(plan.community(home).timezone)
    )
    place, _ = timeline.where(plan, person, probe)
    return place == home or place is IN_TRANSIT


COUNTRY_NAMES = {"US": "the US", "DE": "Germany"}
COUNTRY_NAMES_DE = {"US": "in die USA", "DE": "nach Deutschland"}  # with the preposition


def _entry(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
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
        country = COUNTRY_NAMES.get(into, into)
        country_de = COUNTRY_NAMES_DE.get(into, f"nach {into}")
        for person in event.attendees:
            delegate = plan.delegate(person)
            home_country = plan.community(delegate.home).country
            if into == home_country:
                continue
            private = delegate.private
            ids = (event.uid, person)
            if (trip.id, person) not in passports:
                passports.add((trip.id, person))
                if private.passport_expiry is None:
                    yield Finding(
                        "entry-data-missing",
                        "warning",
                        f"{person} enters {country} on {event.uid} but no passport expiry is "
                        "recorded; add private.passport_expiry.",
                        ids,
                        visibility="concerned",  # derived from private data
                        subject=person,
                        de=f"{person} reist mit {event.uid} {country_de} ein, aber es ist "
                        "kein Ablaufdatum des Passes eingetragen; private.passport_expiry "
                        "ergänzen.",
                    )
                elif private.passport_expiry < trip.last_day:
                    yield Finding(
                        "passport-expires",
                        "error",
                        f"{person}'s passport expires before the end of trip {trip.id}; "
                        "a new passport is needed before travel.",
                        ids,
                        visibility="concerned",  # derived from private data
                        subject=person,
                        de=f"Der Pass von {person} läuft vor dem Ende der Reise {trip.id} ab; "
                        "vor der Reise wird ein neuer Pass gebraucht.",
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
                    f"{person}'s ESTA or visa for the US was refused; "
                    "they cannot travel on this trip as planned.",
                    ids,
                    visibility="concerned",  # derived from private data
                    subject=person,
                    de=f"ESTA oder Visum von {person} für die USA wurde abgelehnt; die Reise "
                    "ist so nicht möglich.",
                )
            else:
                yield Finding(
                    "entry-data-missing",
                    "warning",
                    f"{person} enters the US on {event.uid} without an approved ESTA or visa "
                    "on record; update private.esta or private.visa once approved.",
                    ids,
                    visibility="concerned",  # derived from private data
                    subject=person,
                    de=f"{person} reist mit {event.uid} in die USA ein, aber weder ESTA noch "
                    "Visum sind als genehmigt eingetragen; private.esta oder private.visa nach "
                    "der Genehmigung aktualisieren.",
                )


def _usual_gap(first: ZoneInfo, second: ZoneInfo, year: int) -> set[timedelta]:
    """The differences between two zones in mid-winter and mid-summer of ``year``."""
    gaps = set()
    for month in (1, 7):
        moment = datetime(year, month, 15, 12, tzinfo=UTC)
        gaps.add(_offset(moment, second) - _offset(moment, first))
    return gaps


def _offset(moment: datetime, tz: ZoneInfo) -> timedelta:
    return moment.astimezone(tz).utcoffset() or timedelta(0)


def _dst_weeks(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    """Participants in two zones during the weeks when only one of them has switched."""
    for event in events:
        if event.category != "activity" or not event.timed or event.community is None:
            continue
        assert event.start is not None
        here = zone(plan.community(event.community).timezone)
        zones: dict[str, ZoneInfo] = {}
        for person in event.attendees:
            place, _ = timeline.where(plan, person, event.start)
            if place is IN_TRANSIT:
                continue
            tz = plan.endpoint_zone(place)
            if tz.key != here.key:
                zones[tz.key] = tz
        for key in sorted(zones):
            there = zones[key]
            now = _offset(event.start, there) - _offset(event.start, here)
            usual = _usual_gap(here, there, event.start.year)
            if len(usual) == 1 and now not in usual:
                (normal,) = usual
                fewer = abs(normal) > abs(now)
                elsewhere = event.start.astimezone(there)
                yield Finding(
                    "dst-weeks",
                    "warning",
                    f"'{event.title}' ({event.uid}) at {when(event.start)} is {when(elsewhere)} "
                    f"for those in {key}: this week only one of the two zones is on daylight "
                    f"saving time, so the difference is {format_duration(abs(now))}, one hour "
                    f"{'less' if fewer else 'more'} than the usual {format_duration(abs(normal))}. "
                    "Tell everyone the time in their own zone.",
                    (event.uid,),
                    de=f"'{event.title}' ({event.uid}) um {when_de(event.start)} ist "
                    f"{when_de(elsewhere)} für Teilnehmende in {key}: in dieser Woche gilt die "
                    "Sommerzeit nur in einer der beiden Zonen, der Unterschied beträgt "
                    f"{format_duration(abs(now))}, eine Stunde "
                    f"{'weniger' if fewer else 'mehr'} als die üblichen "
                    f"{format_duration(abs(normal))}. Allen die Zeit in ihrer eigenen Zone "
                    "nennen.",
                )


def _file_names(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
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
                    f"the {what} ids {first!r} and {ident!r} would both be written to {name} "
                    f"by 'export-ics --split {what}'; rename one of them.",
                    (first, ident),
                    de=f"Die Kennungen {first!r} und {ident!r} ergäben bei 'export-ics --split "
                    f"{what}' beide die Datei {name}; eine davon umbenennen.",
                )


def _two_beds(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    """A traveller booked into stays in two places for the same night."""
    nights: dict[tuple[str, str, date], list[Event]] = defaultdict(list)
    for event in events:
        if event.category != "stay" or event.first_day is None or event.last_day is None:
            continue
        night = event.first_day
        while night <= event.last_day:
            for person in event.attendees:
                nights[(event.trip, person, night)].append(event)
            night += timedelta(days=1)
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
            f"{people_list(people)} {'is' if len(people) == 1 else 'are'} booked into stays in two "
            f"places for the night after {first:%d %b %Y} ({', '.join(uids)}); correct the "
            "check-in or check-out dates.",
            (*uids, *people),
            de=f"{people_list_de(people)} {'ist' if len(people) == 1 else 'sind'} für die Nacht "
            f"nach dem {first:%d.%m.%Y} an zwei Orten untergebracht ({', '.join(uids)}); An- "
            "oder Abreisedatum korrigieren.",
        )


def _programme_year(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
    """The programme's year is the year its trips take place."""
    year = plan.programme.year
    years = sorted({d.year for t in plan.trips for d in (t.first_day, t.last_day)})
    if years and year not in years:
        said = ", ".join(str(y) for y in years)
        yield Finding(
            "year-mismatch",
            "error",
            f"the programme's year is {year}, but its trips take place in {said}; correct "
            "programme.year or the trips' dates.",
            (),
            de=f"Das Programmjahr ist {year}, die Reisen finden aber {said} statt; "
            "programme.year oder die Reisedaten korrigieren.",
        )


FASTEST_KMH = 1200.0
"""A ground speed no airliner beats, jet stream included: a shorter flight is a typo."""


def _flight_times(plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
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
            f"{event.uid} takes {format_duration(took)} for {km:,.0f} km from {event.origin} to "
            f"{event.destination}; no flight is faster than about {format_duration(fastest)}. "
            "Check the times and the time zones of both airports.",
            (event.uid,),
            de=f"{event.uid} dauert {format_duration(took)} für {km:,.0f} km von "
            f"{event.origin} nach {event.destination}; kein Flug ist schneller als etwa "
            f"{format_duration(fastest)}. Zeiten und Zeitzonen beider Flughäfen prüfen.",
        )
