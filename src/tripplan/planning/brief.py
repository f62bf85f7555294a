"""The brief for one host community, drawn only from the account of whereabouts.

What a volunteer host with a car needs: every arrival and departure through the community
or its airports on any trip that brings visitors (carrier and number, local time, head
count, and how many need a pick-up, by delegation), visitors per day, appointments and
meals with start, end and venue, visitors and locals counted apart, lodging with its
nights, check-out and room nights, interpreting, open items (each once), and the
programme's coordinator to ask.

Everything here is counted, never named: a host learns how many people arrive, sleep, eat
and meet, and from which delegation, not who they are. Private needs reach a host only
with the delegate's consent (``private.share_with_hosts``): consented needs are counted
with their text as the delegate wrote it, never with a name; a need without consent is
never disclosed, not even as a count. Every brief ends with one line asking the host to
take any other need to the coordinator.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from tripplan.errors import UsageError
from tripplan.itinerary import Event, Itinerary
from tripplan.messages import Message, msg
from tripplan.models import Activity, Plan
from tripplan.planning.facts import window_bounds
from tripplan.planning.whereabouts import HostEvent, Passage, Whereabouts, whereabouts_of

Need = Literal["dietary", "access"]
NEEDS: tuple[Need, ...] = ("dietary", "access")

BRIEF_VERSION = 2
"""The version of the brief's JSON (docs/json-output.md)."""


@dataclass(frozen=True)
class Movement:
    """People arriving at or leaving the host community by one leg."""

    direction: Literal["arrival", "departure"]
    when: datetime  # local time at the host's end of the leg
    uid: str
    trip: str
    mode: str
    carrier: str
    number: str
    other_end: str  # the name of where they come from or go to
    people: int
    visitors: int  # of them, people who do not live here
    pickup: tuple[tuple[str, int], ...]  # delegation name → people to fetch
    provisional: bool


@dataclass(frozen=True)
class BriefDay:
    """One day at the host."""

    day: date
    visitors: int
    arrivals: int  # visitors arriving (locals travelling with them are not visitors)
    departures: int  # visitors leaving
    sleeping: int  # people in booked stays in the night after


@dataclass(frozen=True)
class Appointment:
    uid: str
    title: str
    kind: str
    start: datetime | None  # the host's local time
    end: datetime | None
    day: date | None  # an all-day item: its first day
    last_day: date | None
    venue: str
    visitors: int
    locals: int
    provisional: bool
    window: tuple[datetime, datetime] | None = None  # not yet placed: to be held within
    joining: int = 0  # of the visitors, those who join from elsewhere (a call): no one to meet

    @property
    def people(self) -> int:
        return self.visitors + self.locals


@dataclass(frozen=True)
class Accommodation:
    """A stay at the host: its nights, check-out and room nights."""

    title: str
    kind: str  # hotel, host_family, other
    address: str | None  # its own address; None: to be confirmed
    first_night: date
    check_out: date
    nights: int
    people: int
    room_nights: int
    provisional: bool


@dataclass(frozen=True)
class Needs:
    """One kind of need that consenting visitors shared: its texts (as written) and how
    many share each. Needs without consent are not here at all."""

    kind: Need
    shared: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class HostBrief:
    community: str  # id
    name: str
    programme: str
    coordinator: str  # the programme's coordinator (or its organiser)
    contact: str  # their public contact; "" when the plan gives none
    trips: tuple[str, ...]  # ids of the trips it hosts
    movements: tuple[Movement, ...]
    days: tuple[BriefDay, ...]
    appointments: tuple[Appointment, ...]
    meals: tuple[Appointment, ...]
    lodging: tuple[Accommodation, ...]
    needs: tuple[Needs, ...]
    languages: tuple[str, ...]  # the host's, as ISO 639 codes (named when rendered)
    interpreting: tuple[tuple[str, int], ...]  # language → visitors speaking none of the host's
    open_items: tuple[Message, ...]


def host_brief(itinerary: Itinerary, community_id: str) -> HostBrief:
    """The brief of ``community_id`` from the itinerary's account (see the module doc)."""
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
    account = whereabouts_of(itinerary)
    passages = tuple(
        p for p in account.passages(community_id) if p.visitors or p.event.trip in trips
    )
    host_days = account.host_days(community_id)
    appointments = tuple(
        _appointment(plan, h.event, len(h.visitors), len(h.locals), _joining(account, h))
        for h in account.host_events(community_id)
    )
    visitors = sorted(
        {p for d in host_days for p in d.visitors}
        | {p for h in account.host_events(community_id) for p in h.visitors},
        key=[d.id for d in plan.delegates].index,
    )
    programme = plan.programme
    return HostBrief(
        community=community_id,
        name=community.name,
        programme=programme.name,
        coordinator=programme.coordinator or programme.organiser,
        contact=programme.contact,
        trips=trips,
        movements=tuple(_movement(plan, p) for p in passages),
        days=tuple(
            BriefDay(
                day=d.day,
                visitors=len(d.visitors),
                arrivals=sum(len(p.visitors) for p in d.arrivals if p in passages),
                departures=sum(len(p.visitors) for p in d.departures if p in passages),
                sleeping=d.sleeping,
            )
            for d in host_days
            if d.visitors
            or d.sleeping
            or _any(d.arrivals, passages)
            or _any(d.departures, passages)
        ),
        appointments=tuple(a for a in appointments if a.kind != "meal"),
        meals=tuple(a for a in appointments if a.kind == "meal"),
        lodging=tuple(
            Accommodation(
                title=b.stay.title,
                kind=b.stay.kind,
                address=b.stay.venue.strip() or None,
                first_night=b.first_night,
                check_out=b.check_out,
                nights=b.nights,
                people=len(b.people),
                room_nights=b.room_nights,
                provisional=b.stay.provisional,
            )
            for b in account.lodging(community_id)
        ),
        needs=tuple(_needs(plan, visitors)),
        languages=community.languages,
        interpreting=tuple(_interpreting(plan, visitors, community.languages)),
        open_items=tuple(_open(account, community_id)),
    )


def _any(passages: tuple[Passage, ...], kept: tuple[Passage, ...]) -> bool:
    return any(p in kept for p in passages)


def _movement(plan: Plan, passage: Passage) -> Movement:
    event = passage.event
    pickup: Counter[str] = Counter()
    for person in passage.pickup:
        delegation = plan.delegation_of(person)
        pickup[delegation.name if delegation else plan.delegate(person).name] += 1
    return Movement(
        direction=passage.direction,
        when=passage.when,
        uid=event.uid,
        trip=event.trip,
        mode=event.kind,
        carrier=event.carrier,
        number=event.number,
        other_end=plan.endpoint_name(passage.other_end),
        people=len(passage.people),
        visitors=len(passage.visitors),
        pickup=tuple(sorted(pickup.items())),
        provisional=event.provisional,
    )


def _joining(account: Whereabouts, host_event: HostEvent) -> int:
    """Visitors who join a call from where they are (elsewhere when it starts)."""
    event = host_event.event
    if event.start is None or event.community is None:
        return 0
    return sum(
        account.at(person, event.start).place != event.community for person in host_event.visitors
    )


def _appointment(
    plan: Plan, event: Event, visitors: int, locals_: int, joining: int = 0
) -> Appointment:
    window = None
    if not event.placed and event.community is not None:
        assert isinstance(event.source, Activity)  # only an activity waits to be placed
        tz = plan.endpoint_zone(event.community)
        opens, closes = window_bounds(plan, event.source)
        window = (opens.astimezone(tz), closes.astimezone(tz))
    return Appointment(
        window=window,
        uid=event.uid,
        title=event.title,
        kind=event.kind,
        start=event.start,
        end=event.end,
        day=event.first_day,
        last_day=event.last_day,
        venue=event.venue,
        visitors=visitors,
        locals=locals_,
        provisional=event.provisional,
        joining=joining,
    )


def _needs(plan: Plan, visitors: list[str]) -> list[Needs]:
    """Needs the visitors consented to share, grouped ignoring case but written as the
    first of them wrote it; a need without consent is left out entirely."""
    out = []
    for kind in NEEDS:
        shared: Counter[str] = Counter()
        written: dict[str, str] = {}
        for person in visitors:
            private = plan.delegate(person).private
            if kind not in private.share_with_hosts:
                continue
            text = " ".join(getattr(private, kind).split())
            if text:
                written.setdefault(text.casefold(), text)
                shared[text.casefold()] += 1
        if shared:
            out.append(Needs(kind, tuple(sorted((written[k], n) for k, n in shared.items()))))
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


def _open(account: Whereabouts, community_id: str) -> list[Message]:
    plan = account.plan
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
    seen: set[str] = set()
    for host_event in account.host_events(community_id):
        event = host_event.event
        if event.uid in seen:
            continue
        seen.add(event.uid)
        if not event.placed:
            items.append(msg("'{title}' has no date and time yet.", title=event.title))
        elif event.provisional and not community.placeholder:
            items.append(msg("'{title}' is provisional.", title=event.title))
    for booking in account.lodging(community_id):
        if not booking.stay.venue.strip():
            items.append(
                msg("The address of '{title}' is to be confirmed.", title=booking.stay.title)
            )
    unique: dict[str, Message] = {}
    for item in items:
        unique.setdefault(item.key(), item)
    return list(unique.values())
