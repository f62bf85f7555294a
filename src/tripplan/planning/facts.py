"""What the rules and the checks read of a plan, and how their messages write it.

Where each delegate is at any moment (:class:`Timeline`), public holidays, activity windows,
venues, and the forms of moments and lists of people in messages, in English and German.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from functools import cache
from typing import Any

from tripplan.airports import named
from tripplan.itinerary import Event
from tripplan.messages import Message, msg
from tripplan.models import Activity, Community, Plan
from tripplan.timeutils import zone


def place_of(plan: Plan, endpoint: str) -> str:
    """Where an endpoint puts someone: its community, or the airport itself."""
    return plan.endpoint_community(endpoint) or endpoint


class Transit(Enum):
    """Where someone is while a leg is under way: on the way, in no community."""

    IN_TRANSIT = "in transit"


IN_TRANSIT = Transit.IN_TRANSIT
Place = str | Transit
"""Where someone is: a community id (or an airport's code), or :data:`IN_TRANSIT`."""


def place_order(place: Place) -> tuple[bool, str]:
    """A sort key for places: communities by id, then on the way."""
    return (place is IN_TRANSIT, place if isinstance(place, str) else "")


@dataclass(frozen=True)
class Timeline:
    """Each delegate's legs in time order, to tell where they are at any moment."""

    legs: dict[str, list[Event]]
    departures: dict[str, list[datetime]]

    @classmethod
    def of(cls, plan: Plan, events: list[Event]) -> Timeline:
        legs: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            if event.category == "travel" and event.timed:
                for person in event.attendees:
                    legs[person].append(event)
        for person_legs in legs.values():
            person_legs.sort(key=lambda e: (utc(e.start), e.uid))
        departures = {p: [utc(e.start) for e in ls] for p, ls in legs.items()}
        return cls(legs=dict(legs), departures=departures)

    def where(self, plan: Plan, person: str, moment: datetime) -> tuple[Place, Event | None]:
        """``(place, leg)``: the place at ``moment`` and the leg that brought them, or
        ``(IN_TRANSIT, leg)`` while a leg is under way."""
        person_legs = self.legs.get(person, [])
        index = bisect.bisect_right(self.departures.get(person, []), utc(moment)) - 1
        if index < 0:
            return plan.delegate(person).home, None
        leg = person_legs[index]
        if utc(leg.end) > utc(moment):
            return IN_TRANSIT, leg
        assert leg.destination is not None
        return place_of(plan, leg.destination), leg


def utc(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.astimezone(UTC)


def place_name(plan: Plan, place: str) -> str | Message:
    """A place as a message names it: a community's name, or an airport's place and country
    with its code (``Bilbao, Spain (BIO)``)."""
    try:
        return plan.community(place).name
    except KeyError:
        return named(place)


# -- the checks -------------------------------------------------------------------


def whereabouts(plan: Plan, place: Place) -> Message:
    """Where someone is, as a sentence's part: ``in Berlin``, or ``travelling``."""
    if place is IN_TRANSIT:
        return msg("travelling")
    return msg("in {place}", place=place_name(plan, place))


HOLIDAY_LANGUAGES = {"en": "en_US", "de": "de"}


@cache
def _holidays(country: str, subdivision: str | None, year: int, lang: str) -> dict[date, str]:
    from tripplan.cache import cached

    key = f"{country}-{subdivision or 'all'}-{year}-{HOLIDAY_LANGUAGES[lang]}"
    table = cached(
        "holidays", key, lambda: _compute_holidays(country, subdivision, year, lang), _valid_table
    )
    return {date.fromisoformat(day): name for day, name in table.items()}


def _valid_table(value: object) -> bool:
    """The shape :func:`_compute_holidays` gives: ISO dates of ``year`` to names."""
    if not isinstance(value, dict):
        return False
    for day, name in value.items():
        if not isinstance(name, str):
            return False
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            return False
    return True


def _compute_holidays(
    country: str, subdivision: str | None, year: int, lang: str
) -> dict[str, str]:
    import holidays

    subdiv = subdivision.split("-", 1)[1] if subdivision else None
    try:
        table: Any = holidays.country_holidays(country, subdiv=subdiv, years=year)
        names = holidays.country_holidays(
            country, subdiv=subdiv, years=year, language=HOLIDAY_LANGUAGES[lang]
        )
    except (NotImplementedError, KeyError):
        return {}
    return {day.isoformat(): str(names.get(day, table[day])) for day in sorted(table)}


def holiday(community: Community, day: date, lang: str = "en") -> str | None:
    """The name of a public holiday of ``community`` on ``day`` (in ``lang``), or ``None``."""
    return holiday_name(community.country, community.subdivision, day, lang)


def holiday_name(country: str, subdivision: str | None, day: date, lang: str) -> str | None:
    """The name of the public holiday of a country (and subdivision) on ``day`` in ``lang``."""
    return _holidays(country, subdivision, day.year, lang).get(day)


def venue_key(event: Event) -> tuple[str | None, str]:
    """Where an appointment is: community and venue (same key: no travel between them)."""
    return (event.community, event.venue.strip().casefold())


def window_bounds(plan: Plan, activity: Activity) -> tuple[datetime, datetime]:
    """The window of a flexible activity in UTC: from its start to the end of its last day
    (or to the exact times given)."""
    tz = zone(plan.community(activity.community).timezone)
    bounds = []
    for value, end_of_day in ((activity.window_start, False), (activity.window_end, True)):
        if isinstance(value, datetime):
            bounds.append(plan.at(value, activity.community).astimezone(UTC))
        else:
            assert value is not None, "only flexible activities have a window"
            day = value + timedelta(days=1) if end_of_day else value
            bounds.append(datetime.combine(day, time(0, 0), tz).astimezone(UTC))
    return bounds[0], bounds[1]


# -- data a coordinator can fix before anything else -----------------------------------
