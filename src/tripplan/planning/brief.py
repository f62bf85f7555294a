"""The brief for one host community: who arrives when, how many at what, what they need.

Everything here is counted, never named: a host learns how many people arrive on which
flight, sleep, eat and meet, not who they are. Private needs reach a host only with the
delegate's consent (``private.share_with_hosts``); without it the brief says how many
delegates have such needs and asks the host to talk to the coordinator.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from tripplan.errors import UsageError
from tripplan.itinerary import Event, Itinerary, places_of
from tripplan.messages import Message, msg
from tripplan.models import Plan

Need = Literal["dietary", "access"]
NEEDS: tuple[Need, ...] = ("dietary", "access")


@dataclass(frozen=True)
class Movement:
    """People arriving at or leaving the host community by one leg."""

    direction: Literal["arrival", "departure"]
    when: datetime  # local time at the host's end of the leg
    uid: str
    mode: str
    carrier: str
    number: str
    other_end: str  # where they come from or go to
    people: int


@dataclass(frozen=True)
class Appointment:
    uid: str
    title: str
    kind: str
    start: datetime | None
    day: date | None
    people: int
    provisional: bool


@dataclass(frozen=True)
class Lodging:
    title: str
    first_night: date
    nights: int
    people: int


@dataclass(frozen=True)
class Needs:
    """One kind of need: what consenting delegates said (text → how many), and how many
    others have such a need without consent to share it."""

    kind: Need
    shared: tuple[tuple[str, int], ...]
    undisclosed: int


@dataclass(frozen=True)
class HostBrief:
    community: str  # id
    name: str
    trips: tuple[str, ...]
    movements: tuple[Movement, ...]
    days: tuple[tuple[date, int], ...]  # people present per local day
    appointments: tuple[Appointment, ...]
    meals: tuple[Appointment, ...]
    lodging: tuple[Lodging, ...]
    needs: tuple[Needs, ...]
    languages: tuple[str, ...]  # the host's, as recorded
    interpreting: tuple[tuple[str, int], ...]  # language → people who speak none of the host's
    open_items: tuple[Message, ...]


def host_brief(itinerary: Itinerary, community_id: str) -> HostBrief:
    """The brief of ``community_id`` from a whole itinerary (see the module doc)."""
    plan = itinerary.plan
    try:
        community = plan.community(community_id)
    except KeyError:
        hosts = sorted({h for t in plan.trips for h in t.hosts})
        raise UsageError(
            msg(
                "no host community has the id {id}; hosts: {hosts}",
                id=repr(community_id),
                hosts=", ".join(hosts),
            )
        ) from None
    trips = tuple(t.id for t in plan.trips if community_id in t.hosts)
    if not trips:
        raise UsageError(msg("{name} hosts no trip of this plan", name=community.name))
    events = [e for e in itinerary.events if e.trip in trips]
    movements = tuple(sorted(_movements(plan, events, community_id), key=lambda m: (m.when, m.uid)))
    appointments = tuple(
        _appointment(e) for e in events if e.category == "activity" and e.community == community_id
    )
    visitors = sorted(
        {p for e in events if community_id in places_of(plan, e) for p in e.attendees}
    )
    return HostBrief(
        community=community_id,
        name=community.name,
        trips=trips,
        movements=movements,
        days=tuple(_days(plan, events, community_id)),
        appointments=tuple(a for a in appointments if a.kind != "meal"),
        meals=tuple(a for a in appointments if a.kind == "meal"),
        lodging=tuple(
            Lodging(e.title, e.first_day, (e.last_day - e.first_day).days + 1, len(e.attendees))
            for e in events
            if e.category == "stay" and e.community == community_id and e.first_day and e.last_day
        ),
        needs=tuple(_needs(plan, visitors)),
        languages=community.languages,
        interpreting=tuple(_interpreting(plan, visitors, community.languages)),
        open_items=tuple(_open(plan, events, community_id)),
    )


def _movements(plan: Plan, events: list[Event], community_id: str) -> list[Movement]:
    found = []
    for event in events:
        if event.category != "travel" or event.start is None or event.end is None:
            continue
        assert event.origin is not None and event.destination is not None
        arrives = plan.endpoint_community(event.destination) == community_id
        leaves = plan.endpoint_community(event.origin) == community_id
        if arrives == leaves:
            continue  # neither, or a leg within the host's own area
        found.append(
            Movement(
                direction="arrival" if arrives else "departure",
                when=event.end if arrives else event.start,
                uid=event.uid,
                mode=event.kind,
                carrier=event.carrier,
                number=event.number,
                other_end=plan.endpoint_name(event.origin if arrives else event.destination),
                people=len(event.attendees),
            )
        )
    return found


def _appointment(event: Event) -> Appointment:
    return Appointment(
        uid=event.uid,
        title=event.title,
        kind=event.kind,
        start=event.start,
        day=event.first_day,
        people=len(event.attendees),
        provisional=event.provisional,
    )


def _days(plan: Plan, events: list[Event], community_id: str) -> list[tuple[date, int]]:
    """People present on each local day: at an appointment there, or staying there."""
    present: dict[date, set[str]] = defaultdict(set)
    for event in events:
        if community_id not in places_of(plan, event):
            continue
        if event.category == "travel" and event.start and event.end and event.origin:
            leaves = plan.endpoint_community(event.origin) == community_id  # the host's end only
            days: tuple[date, ...] = ((event.start if leaves else event.end).date(),)
        else:
            days = event.local_days()
        for day in days:
            present[day].update(event.attendees)
        if event.category == "stay" and event.last_day is not None:
            present[event.last_day + timedelta(days=1)].update(event.attendees)  # check-out
    return [(day, len(people)) for day, people in sorted(present.items())]


def _needs(plan: Plan, visitors: list[str]) -> list[Needs]:
    out = []
    for kind in NEEDS:
        shared: Counter[str] = Counter()
        undisclosed = 0
        for person in visitors:
            private = plan.delegate(person).private
            text = getattr(private, kind).strip()
            if not text:
                continue
            if kind in private.share_with_hosts:
                shared[text.casefold()] += 1
            else:
                undisclosed += 1
        if shared or undisclosed:
            out.append(Needs(kind, tuple(sorted(shared.items())), undisclosed))
    return out


def _interpreting(
    plan: Plan, visitors: list[str], languages: tuple[str, ...]
) -> list[tuple[str, int]]:
    """For each language of visitors who speak none of the host's: how many speak it."""
    if not languages:
        return []
    spoken: Counter[str] = Counter()
    for person in visitors:
        theirs = plan.delegate(person).languages
        if theirs and not set(theirs) & set(languages):
            spoken.update(theirs)
    return sorted(spoken.items())


def _open(plan: Plan, events: list[Event], community_id: str) -> list[Message]:
    items: list[Message] = []
    community = plan.community(community_id)
    if community.placeholder:
        items.append(
            msg(
                "{name} is still to be confirmed (time zone {zone} assumed).",
                name=community.name,
                zone=community.timezone,
            )
        )
    for event in events:
        if event.community != community_id:
            continue
        if not event.placed:
            items.append(msg("'{title}' has no date and time yet.", title=event.title))
        elif event.provisional and not community.placeholder:
            items.append(msg("'{title}' is provisional.", title=event.title))
    return items
