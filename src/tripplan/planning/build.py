"""Build the :class:`~tripplan.itinerary.Itinerary` of a plan (pure, deterministic)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, timedelta
from typing import Any

from tripplan.itinerary import Event, Finding, Itinerary, Texts, Where, uid_of
from tripplan.models import Activity, Leg, Loc, Plan, Stay, Trip, in_language
from tripplan.planning.checks import check
from tripplan.planning.whereabouts import Whereabouts


def build_events(plan: Plan) -> list[Event]:
    """Every leg, activity and stay of every trip, in time order (no checks)."""
    events: list[Event] = []
    for trip in plan.trips:
        events.extend(_leg(plan, trip, leg) for leg in trip.legs)
        events.extend(_activity(plan, trip, activity) for activity in trip.activities)
        events.extend(_stay(plan, trip, stay) for stay in trip.stays)
    events.sort(key=Event.sort_key)
    return events


def build_itinerary(plan: Plan) -> Itinerary:
    """Every leg, activity and stay of every trip, in time order, with the check findings."""
    events = build_events(plan)
    account = Whereabouts.of(plan, events)  # the one account of who is where
    findings = sorted(check(plan, events, account), key=lambda f: f.sort_key())
    if plan.origin is not None:
        findings = _located(plan, findings)
    return Itinerary(plan=plan, events=tuple(events), findings=tuple(findings), whereabouts=account)


def _located(plan: Plan, findings: list[Finding]) -> list[Finding]:
    """Each finding with the file and lines where the items it names are written."""
    origin = plan.origin
    assert origin is not None
    places: dict[str, Loc] = {}  # what a finding may name, by the id it names it with
    for t, trip in enumerate(plan.trips):
        places[trip.id] = ("trips", t)
        for n, leg in enumerate(trip.legs):
            places[uid_of(trip.id, leg.id)] = ("trips", t, "legs", n)
        for n, activity in enumerate(trip.activities):
            places[uid_of(trip.id, activity.id)] = ("trips", t, "activities", n)
        for n, stay in enumerate(trip.stays):
            places[uid_of(trip.id, stay.key)] = ("trips", t, "stays", n)
    people = {d.id: ("delegates", n) for n, d in enumerate(plan.delegates)}
    communities = {c.id: ("communities", n) for n, c in enumerate(plan.communities)}
    located = []
    for finding in findings:
        named = [
            *(places.get(uid) for uid in finding.events),
            *(communities.get(c) for c in finding.communities),
            places.get(finding.trip) if finding.trip is not None else None,
            *(people.get(p) for p in finding.people),
            *finding.parts,
        ]
        lines = [origin.line(loc) for loc in named if loc is not None]
        unique = tuple(dict.fromkeys(line for line in lines if line is not None))
        located.append(replace(finding, where=Where(origin.label, unique)) if unique else finding)
    return located


def _assumed(plan: Plan, community: str | None) -> bool:
    """Whether ``community`` is a placeholder host: what happens there is not confirmed."""
    return community is not None and plan.community(community).placeholder


def _translations(
    plan: Plan, item: Activity | Leg | Stay, texts: Callable[[Any, Plan], Texts]
) -> tuple[tuple[str, Texts], ...]:
    """An event's texts (``texts`` of the item and of the plan, both in a language) in each
    other language the plan gives: the item's own, and those in which a placeholder host
    has its name (a leg's or an unnamed stay's title is made of place names)."""
    languages = sorted((set(item.translations) | plan.named_in) - {plan.programme.language})
    return tuple(
        (lang, texts(in_language(item, lang), plan.in_language(lang))) for lang in languages
    )


def _leg_title(plan: Plan, leg: Leg) -> str:
    origin, destination = plan.endpoint_name(leg.origin), plan.endpoint_name(leg.destination)
    flight = " ".join(part for part in (leg.carrier, leg.number) if part)
    return f"{origin} → {destination}" + (f" ({flight})" if flight else "")


def _leg(plan: Plan, trip: Trip, leg: Leg) -> Event:
    title = _leg_title(plan, leg)
    return Event(
        item=leg.id,
        category="travel",
        kind=leg.mode,
        title=title,
        trip=trip.id,
        attendees=plan.travellers(trip, leg.travellers),
        source=leg,
        origin=leg.origin,
        destination=leg.destination,
        start=plan.at(leg.departs, leg.origin),
        end=plan.at(leg.arrives, leg.destination),
        provisional=leg.provisional
        or trip.provisional
        or _assumed(plan, plan.endpoint_community(leg.origin))
        or _assumed(plan, plan.endpoint_community(leg.destination)),
        public_notes=leg.public_notes,
        internal_notes=leg.internal_notes,
        carrier=leg.carrier,
        number=leg.number,
        translations=_translations(
            plan, leg, lambda it, shown: Texts(_leg_title(shown, it), "", it.public_notes)
        ),
    )


def _activity(plan: Plan, trip: Trip, activity: Activity) -> Event:
    start = end = None
    if activity.start is not None and activity.end is not None:
        start = plan.at(activity.start, activity.community)
        end = plan.at(activity.end, activity.community)
    elif activity.placed is not None and activity.duration is not None:
        start = plan.at(activity.placed, activity.community)
        end = (start.astimezone(UTC) + activity.duration).astimezone(start.tzinfo)
    return Event(
        item=activity.id,
        category="activity",
        kind=activity.kind,
        title=activity.title,
        trip=trip.id,
        attendees=plan.travellers(trip, activity.participants),
        source=activity,
        community=activity.community,
        venue=activity.venue,
        start=start,
        end=end,
        first_day=activity.day,
        last_day=activity.last_day or activity.day,
        provisional=activity.provisional or trip.provisional or _assumed(plan, activity.community),
        public_notes=activity.public_notes,
        internal_notes=activity.internal_notes,
        translations=_translations(
            plan, activity, lambda it, _: Texts(it.title, it.venue, it.public_notes)
        ),
    )


def _stay(plan: Plan, trip: Trip, stay: Stay) -> Event:
    kind = stay.lodging
    return Event(
        item=stay.key,
        category="stay",
        kind=kind,
        title=_stay_title(plan, stay),
        trip=trip.id,
        attendees=plan.travellers(trip, stay.travellers),
        source=stay,
        community=stay.community,
        venue=stay.address,
        first_day=stay.check_in,
        last_day=stay.check_out - timedelta(days=1),
        provisional=stay.provisional or trip.provisional or _assumed(plan, stay.community),
        translations=_translations(
            plan, stay, lambda it, shown: Texts(_stay_title(shown, it), it.address)
        ),
    )


def _stay_title(plan: Plan, stay: Stay) -> str:
    return stay.name or plan.community(stay.community).name
