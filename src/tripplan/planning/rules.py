"""The rules of a good schedule, each written once.

``tripplan check`` reports where a finished itinerary breaks a rule; ``tripplan plan`` only
considers placements that keep every rule. Both call the predicates below, so they cannot
disagree about what a rule says. Each predicate judges one appointment (or a pair) from its
times and the plan's settings; the callers add what they need around it (the check builds a
message, the scheduler a short reason for its explanations).

The rules (documented for coordinators in docs/plan-format.md, "Rules"):

* **busy** — an appointment occupies its people, except free time and stays;
* **presence** — people must be in the activity's community when it starts, except for a
  call, which they join from wherever they are;
* **working hours** — meetings, workshops, site visits, briefings and calls happen on the
  host's working days and hours, never on a Sunday or public holiday, unless
  ``off_hours_ok``;
* **waking hours** — a flexible activity is placed between 07:00 and 22:00 local time;
* **arrival** — after a long-haul flight no working appointment within
  ``settings.arrival_rest`` of landing, and nothing ending after
  ``settings.arrival_day_latest`` on the day of arrival, both in the local time of the
  airport where the flight lands;
* **transfer** — consecutive appointments at different venues leave
  ``settings.transfer_buffer`` between them;
* **daily load** — at most ``settings.max_work_per_day`` of working appointments a day;
* **order** — an activity starts only after every activity in its ``after`` has ended,
  fixed or flexible.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from tripplan.models import WEEKDAYS, WORKING_KINDS, Community, Settings

WAKING_HOURS = (time(7, 0), time(22, 0))
"""Flexible activities are placed in these local hours only."""


def busy(category: str, kind: str) -> bool:
    """Whether an appointment of this category and kind occupies its people."""
    return category != "stay" and kind != "free_time"


def needs_presence(kind: str) -> bool:
    """Whether the participants must be in the activity's community (calls: no)."""
    return kind != "call"


def is_working(kind: str) -> bool:
    """Whether an appointment is work for the hosts (and counts to the daily load)."""
    return kind in WORKING_KINDS


OffHours = Literal["sunday", "holiday", "closed", "hours"]


def off_hours(
    community: Community,
    kind: str,
    off_hours_ok: bool,
    start: datetime,
    end: datetime,
    holiday_name: str | None,
) -> OffHours | None:
    """Why a working appointment from ``start`` to ``end`` (local times of ``community``)
    is outside the host's working time, or ``None``. ``holiday_name`` is the public
    holiday on the start's day, if any."""
    if not is_working(kind) or off_hours_ok:
        return None
    hours = community.working_hours
    day = start.date()
    if day.weekday() == 6:
        return "sunday"
    if holiday_name:
        return "holiday"
    if WEEKDAYS[day.weekday()] not in hours.days:
        return "closed"
    if start.time() < hours.start or end.date() > day or end.time() > hours.end:
        return "hours"
    return None


def at_night(start: datetime, end: datetime) -> bool:
    """Whether a flexible activity from ``start`` to ``end`` (local) leaves the waking hours."""
    first, last = WAKING_HOURS
    return start.time() < first or end.date() > start.date() or end.time() > last


def long_haul(settings: Settings, departs: datetime, arrives: datetime) -> bool:
    """Whether a leg is long enough for the arrival rules to apply."""
    return arrives.astimezone(UTC) - departs.astimezone(UTC) >= settings.long_haul


Arrival = Literal["rest", "late"]


def after_arrival(
    settings: Settings, landed: datetime, kind: str, start: datetime, end: datetime
) -> Arrival | None:
    """Whether an appointment breaks the arrival rules of a long-haul flight that landed at
    ``landed`` (aware, in the landing airport's zone): ``"rest"`` for work too soon after
    landing, ``"late"`` for anything that ends after ``settings.arrival_day_latest`` of the
    arrival day. Both are measured in the landing airport's local time."""
    if start.astimezone(UTC) < landed.astimezone(UTC):
        return None
    rest_until = landed.astimezone(UTC) + settings.arrival_rest
    if is_working(kind) and start.astimezone(UTC) < rest_until:
        return "rest"
    arrival_day = landed.date()
    if start.astimezone(landed.tzinfo).date() != arrival_day:
        return None
    latest = datetime.combine(arrival_day, settings.arrival_day_latest, landed.tzinfo)
    return "late" if end.astimezone(UTC) > latest.astimezone(UTC) else None


def too_close(gap: timedelta, same_venue: bool, buffer: timedelta) -> bool:
    """Whether ``gap`` between two consecutive appointments is too short to change venue."""
    return not same_venue and timedelta(0) <= gap < buffer


def overlaps(first: tuple[int, int], second: tuple[int, int], margin: int = 0) -> bool:
    """Whether two intervals (in any one unit) overlap, or come closer than ``margin``."""
    return first[0] < second[1] + margin and second[0] < first[1] + margin


def load_day(start: datetime) -> date:
    """The day an appointment counts to for the daily load: its local start day."""
    return start.date()
