"""The whole exchange at a glance: phases, who travels and hosts, and what is still open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tripplan.itinerary import Itinerary
from tripplan.messages import Day, Message, ShortDay, msg, nmsg
from tripplan.models import Trip
from tripplan.planning.whereabouts import Whereabouts, whereabouts_of
from tripplan.timeutils import days

OPEN_CODES = {
    "missing-leg": "missing-leg",
    "entry-data-missing": "entry-data",
    "passport-expires": "entry-data",
    "entry-refused": "entry-data",
}


@dataclass(frozen=True)
class Phase:
    trip: str
    title: str
    kind: str
    first_day: date
    last_day: date
    provisional: bool
    travellers: tuple[str, ...]  # delegation ids
    hosts: tuple[str, ...]  # community ids
    unconfirmed_hosts: tuple[str, ...]
    events: int
    provisional_events: int
    not_placed: int
    errors: int


@dataclass(frozen=True)
class PhaseSpan:
    """A delegation's part in one phase: travelling or hosting, from first to last day."""

    trip: str
    role: str  # "travels" or "hosts"
    first_day: date
    last_day: date
    provisional: bool  # the trip is, or its host is still to be confirmed


@dataclass(frozen=True)
class Row:
    delegation: str
    name: str
    spans: tuple[PhaseSpan, ...]


@dataclass(frozen=True)
class OpenItem:
    kind: str  # unconfirmed-host, provisional-trip, provisional-item, not-placed,
    #            missing-leg, no-legs, entry-data
    message: Message  # translated when rendered
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Overview:
    itinerary: Itinerary
    phases: tuple[Phase, ...]
    rows: tuple[Row, ...]
    open_items: tuple[OpenItem, ...]
    year: int


def overview(itinerary: Itinerary) -> Overview:
    """Phases, a timeline row per delegation, and the open items of the programme."""
    plan = itinerary.plan
    phases: list[Phase] = []
    open_items: list[OpenItem] = []
    error_ids = {uid for f in itinerary.errors for uid in f.events}
    for trip in plan.trips:
        events = [e for e in itinerary.events if e.trip == trip.id]
        unconfirmed = tuple(h for h in trip.hosts if plan.community(h).placeholder)
        phases.append(
            Phase(
                trip=trip.id,
                title=trip.title,
                kind=trip.kind,
                first_day=trip.first_day,
                last_day=trip.last_day,
                provisional=trip.provisional,
                travellers=trip.delegations,
                hosts=trip.hosts,
                unconfirmed_hosts=unconfirmed,
                events=len(events),
                provisional_events=sum(1 for e in events if e.provisional),
                not_placed=sum(1 for e in events if not e.placed),
                errors=sum(1 for e in events if e.uid in error_ids),
            )
        )
        if trip.provisional:
            open_items.append(
                OpenItem(
                    "provisional-trip",
                    msg(
                        "{trip}: dates {first} – {last} are provisional.",
                        trip=trip.title,
                        first=ShortDay(trip.first_day),
                        last=Day(trip.last_day),
                    ),
                    (trip.id,),
                )
            )
        else:
            provisional = [e.uid for e in events if e.provisional]
            if provisional:
                open_items.append(
                    OpenItem(
                        "provisional-item",
                        nmsg(
                            "{trip}: {n} items are provisional.",
                            "{trip}: {n} items are provisional.",
                            len(provisional),
                            trip=trip.title,
                        ),
                        (trip.id, *provisional),
                    )
                )
        travelling = plan.travellers(trip)
        legs = whereabouts_of(itinerary).timeline.legs  # of every trip, whatever the selection
        with_legs = {p for p in travelling if any(leg.trip == trip.id for leg in legs.get(p, ()))}
        without = [p for p in travelling if p not in with_legs]
        if without:
            open_items.append(
                OpenItem(
                    "no-legs",
                    msg(
                        "{trip}: no travel legs yet for {people}.",
                        trip=trip.title,
                        people=", ".join(without),
                    ),
                    (trip.id, *without),
                )
            )
    for community in plan.communities:
        hosted = [t.id for t in plan.trips if community.id in t.hosts]
        if community.placeholder and hosted:
            open_items.append(
                OpenItem(
                    "unconfirmed-host",
                    msg(
                        "{name} is still to be confirmed (time zone {zone} assumed); it hosts "
                        "{trips}.",
                        name=community.name,
                        zone=community.timezone,
                        trips=", ".join(hosted),
                    ),
                    (community.id, *hosted),
                )
            )
    for event in itinerary.events:
        if not event.placed:
            open_items.append(
                OpenItem(
                    "not-placed",
                    msg(
                        "'{title}' ({uid}) has no date and time yet.",
                        title=event.title,
                        uid=event.uid,
                    ),
                    (event.uid,),
                )
            )
    for finding in itinerary.findings:
        kind = OPEN_CODES.get(finding.code)
        if kind:
            open_items.append(OpenItem(kind, finding.message, finding.ids))
    return Overview(
        itinerary=itinerary,
        phases=tuple(phases),
        rows=_rows(itinerary),
        open_items=tuple(open_items),
        year=plan.programme.year,
    )


def _rows(itinerary: Itinerary) -> tuple[Row, ...]:
    """Per delegation, the phases it travels in or hosts, drawn from the account of
    whereabouts: it travels on the trip's days on which one of its travelling members is
    away from home, and hosts on the trip's days on which visitors of that trip are in its
    home community. A trip without legs yet (the account cannot place anyone) is drawn over
    its dates. A span is provisional when its trip is, or when the host is still to be
    confirmed."""
    plan = itinerary.plan
    account = whereabouts_of(itinerary)
    rows = []
    for delegation in plan.delegations:
        spans = []
        for trip in plan.trips:
            if delegation.id in trip.delegations:
                role = "travels"
                unconfirmed = any(plan.community(h).placeholder for h in trip.hosts)
            elif delegation.home in trip.hosts:
                role = "hosts"
                unconfirmed = plan.community(delegation.home).placeholder
            else:
                continue
            on = _days(account, trip, role, delegation.members, delegation.home)
            if not on:
                continue  # the trip's people are placed, and not here nor away
            provisional = trip.provisional or unconfirmed
            spans.append(PhaseSpan(trip.id, role, on[0], on[-1], provisional))
        rows.append(Row(delegation.id, delegation.name, tuple(spans)))
    return tuple(rows)


def _days(
    account: Whereabouts, trip: Trip, role: str, members: tuple[str, ...], home: str
) -> list[date]:
    """The days of ``trip`` on which the delegation travels (a travelling member is away
    from home) or hosts (a traveller of the trip is a visitor in ``home``), in order; all
    the trip's days when no traveller of it has a leg on it yet."""
    travellers = account.plan.travellers(trip)
    trip_days = days(trip.first_day, trip.last_day)
    legs = account.timeline.legs
    placed = any(leg.trip == trip.id for person in travellers for leg in legs.get(person, ()))
    if not placed:
        return list(trip_days)
    if role == "travels":
        going = [m for m in members if m in travellers]
        return [d for d in trip_days if any(not account.day(m, d).at_home for m in going)]
    visiting = set(travellers)
    hosted = {
        host_day.day
        for host_day in account.host_days(home)
        if visiting.intersection(host_day.visitors)
    }
    return [d for d in trip_days if d in hosted]
