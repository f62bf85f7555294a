"""The rules of a good schedule: each one object, the same for ``check`` and ``plan``.

Every rule in :data:`RULES` does two things: :meth:`Rule.report` finds where a finished
itinerary breaks it (``tripplan check`` runs every rule's report), and :meth:`Rule.admits`
says whether one flexible activity may start at one time given everything fixed in the
plan, and if not, why (``tripplan plan`` keeps only starts every rule admits). Rules that
link two flexible activities say so to the scheduler through :func:`separation`,
:func:`~Order` (``after``) and :data:`DAILY_LOAD` (the daily maximum). Checks and scheduler
iterate over the same list, so they cannot disagree; removing a rule from the list
removes it from both. Both use the predicates at the end of this module.

The rules (documented for coordinators in docs/plan-format.md, "Rules of a good
schedule"):

* **busy** — an appointment occupies its people, except free time and stays;
* **presence** — people must be in the activity's community when it starts, except for a
  call, which they join from wherever they are;
* **working hours** — meetings, workshops, site visits, briefings and calls happen on the
  host's working days and hours, never on a Sunday or public holiday, unless
  ``off_hours_ok``;
* **waking hours** — a flexible activity is placed between 07:00 and 22:00 local time;
* **window** — a flexible activity stays in its window and its trip's days;
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

import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, ClassVar, Literal

from tripplan.itinerary import Event, Finding, uid_of
from tripplan.messages import (
    Day,
    Duration,
    Holiday,
    Message,
    People,
    Span,
    Weekday,
    msg,
    nmsg,
)
from tripplan.models import WEEKDAYS, WORKING_KINDS, Activity, Community, Plan, Settings, Trip
from tripplan.planning.facts import (
    IN_TRANSIT,
    Place,
    Timeline,
    holiday,
    place_name,
    place_order,
    utc,
    venue_key,
    whereabouts,
    window_bounds,
)

if TYPE_CHECKING:
    from tripplan.planning.scheduler import Problem, Task

Checks = Iterator[Finding]
Why = Message
"""Why a start is not admitted (for the scheduler's explanations)."""
OUTSIDE_HOURS = "outside working hours ({hours})"
AT_NIGHT = "at night (outside {hours})"
EDGES_OF_THE_DAY = (OUTSIDE_HOURS, AT_NIGHT)
"""Reasons at the edges of every day: explanations leave them out when others are given."""


def _waking_text() -> str:
    first, last = WAKING_HOURS
    return f"{first:%H:%M}–{last:%H:%M}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible start of one flexible activity, with what the rules read to judge it."""

    problem: Problem
    task: Task
    local: datetime  # the start, local time of the activity's community
    end_local: datetime
    start: int  # absolute minutes
    end: int
    window: tuple[int, int]  # the activity's window, absolute minutes
    timeline: Timeline
    long_haul: tuple[Event, ...]  # the plan's long-haul legs

    @property
    def plan(self) -> Plan:
        return self.problem.plan


class Rule:
    """One rule of a good schedule (see the module doc)."""

    name: ClassVar[str]  # as docs/plan-format.md names it
    codes: ClassVar[tuple[str, ...]]  # the codes of the findings it reports

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Where a finished itinerary breaks the rule."""
        raise NotImplementedError

    def admits(self, candidate: Candidate) -> Why | None:
        """``None`` when the rule admits the start, else why not."""
        return None


class WorkingHours(Rule):
    name = "working hours"
    codes = ("off-hours",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        activities = {(t.id, a.id): a for t in plan.trips for a in t.activities}
        for event in events:
            if event.category != "activity" or event.kind not in WORKING_KINDS:
                continue
            if event.community is None or not event.timed:
                continue
            assert event.start is not None and event.end is not None
            if activities[(event.trip, event.item)].off_hours_ok:
                continue
            community = plan.community(event.community)
            hours = community.working_hours
            day = event.start.date()
            name = holiday(community, day)
            why = off_hours(community, event.kind, False, event.start, event.end, name)
            if why == "sunday":
                reason = msg("on a Sunday")
            elif why == "holiday":
                reason = msg(
                    "on a public holiday in {place} ({holiday})",
                    place=community.name,
                    holiday=Holiday(community.country, community.subdivision, day),
                )
            elif why == "closed":
                reason = msg(
                    "on a {weekday}, when {place} does not receive visitors",
                    weekday=Weekday(day),
                    place=community.name,
                )
            elif why == "hours":
                reason = msg(
                    "outside the working hours of {place} ({hours})",
                    place=community.name,
                    hours=f"{hours.start:%H:%M}–{hours.end:%H:%M}",
                )
            else:
                continue
            yield Finding(
                "off-hours",
                "warning",
                msg(
                    "'{title}' ({uid}) is {reason}: {start}. Move it, or set off_hours_ok = "
                    "true if the hosts agreed.",
                    title=event.title,
                    uid=event.uid,
                    reason=reason,
                    start=event.start,
                ),
                (event.uid,),
            )

    def admits(self, c: Candidate) -> Why | None:
        activity = c.task.activity
        community = c.plan.community(activity.community)
        day = c.local.date()
        name = holiday(community, day) if is_working(activity.kind) else None
        why = off_hours(community, activity.kind, activity.off_hours_ok, c.local, c.end_local, name)
        if why == "sunday":
            return msg("Sunday")
        if why == "holiday":
            holiday_of = Holiday(community.country, community.subdivision, day)
            return msg("public holiday ({holiday})", holiday=holiday_of)
        if why == "closed":
            return msg("{weekday}: no working day for the hosts", weekday=Weekday(day))
        if why == "hours":
            hours = community.working_hours
            return msg(
                "outside working hours ({hours})", hours=f"{hours.start:%H:%M}–{hours.end:%H:%M}"
            )
        return None


def _timed_activities(
    plan: Plan, events: list[Event]
) -> Iterator[tuple[Trip, Activity, Event, dict[str, Event]]]:
    """Every activity that has its time, with its event (and all events by uid)."""
    by_uid = {e.uid: e for e in events}
    for trip in plan.trips:
        for activity in trip.activities:
            event = by_uid[uid_of(trip.id, activity.id)]
            if event.timed:
                yield trip, activity, event, by_uid


class WakingHours(Rule):
    name = "waking hours"
    codes = ("at-night",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Placed flexible activities are not placed at night."""
        for _, activity, event, _ in _timed_activities(plan, events):
            uid = event.uid
            assert event.start is not None and event.end is not None
            if activity.is_flexible and at_night(event.start, event.end):
                yield Finding(
                    "at-night",
                    "warning",
                    msg(
                        "'{title}' ({uid}) is placed at {start}, outside {hours}, where "
                        "'tripplan plan' places flexible activities; run 'tripplan plan "
                        "--write' to place it again.",
                        title=event.title,
                        uid=uid,
                        start=event.start,
                        hours=_waking_text(),
                    ),
                    (uid,),
                )

    def admits(self, c: Candidate) -> Why | None:
        if not at_night(c.local, c.end_local):
            return None
        return msg("at night (outside {hours})", hours=_waking_text())


class Window(Rule):
    name = "window"
    codes = ("outside-window",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Placed flexible activities stay in their window."""
        for _, activity, event, _ in _timed_activities(plan, events):
            uid = event.uid
            assert event.start is not None and event.end is not None
            if activity.is_flexible:
                first, last = window_bounds(plan, activity)
                if utc(event.start) < first or utc(event.end) > last:
                    yield Finding(
                        "outside-window",
                        "error",
                        msg(
                            "'{title}' ({uid}) is placed at {start}, outside its window; run "
                            "'tripplan plan --write' to place it again.",
                            title=event.title,
                            uid=uid,
                            start=event.start,
                        ),
                        (uid,),
                    )

    def admits(self, c: Candidate) -> Why | None:
        first, last = c.window
        if not (first <= c.start and c.end <= last):
            return msg("outside the activity's window")
        if c.end_local.date() > c.task.trip.last_day:
            return msg("after the trip's last day")
        return None


class Order(Rule):
    name = "order"
    codes = ("out-of-order",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Activities start after what they build on has ended."""
        for trip, activity, event, by_uid in _timed_activities(plan, events):
            uid = event.uid
            assert event.start is not None and event.end is not None
            for before_id in activity.after:
                before = by_uid[uid_of(trip.id, before_id)]
                if before.end is not None and utc(before.end) > utc(event.start):
                    yield Finding(
                        "out-of-order",
                        "error",
                        msg(
                            "'{title}' ({uid}) starts {start}, before '{before}' "
                            "({before_uid}) ends at {end}, which it must follow.",
                            title=event.title,
                            uid=uid,
                            start=event.start,
                            before=before.title,
                            before_uid=before.uid,
                            end=before.end,
                        ),
                        (uid, before.uid),
                    )

    def admits(self, c: Candidate) -> Why | None:
        for before_end, before_what in c.task.fixed_before:
            if c.start < before_end:
                return msg("before {what} ends", what=before_what)
        for after_start, after_what in c.task.fixed_after:
            if c.end > after_start:
                return msg("after {what} begins", what=after_what)
        return None


class Presence(Rule):
    name = "presence"
    codes = ("wrong-place",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        for event in events:
            if event.category != "activity" or not event.timed or event.community is None:
                continue
            if not needs_presence(event.kind):
                continue  # participants of a call join from wherever they are
            assert event.start is not None
            absent: dict[Place, list[str]] = defaultdict(list)
            for person in event.attendees:
                place, _ = timeline.where(plan, person, event.start)
                if place != event.community:
                    absent[place].append(person)
            for place, people in sorted(absent.items(), key=lambda item: place_order(item[0])):
                yield Finding(
                    "wrong-place",
                    "error",
                    nmsg(
                        "'{title}' ({uid}) is in {place} at {start}, but {people} is {where} "
                        "then. Add or move a travel leg, or change the participants.",
                        "'{title}' ({uid}) is in {place} at {start}, but {people} are {where} "
                        "then. Add or move a travel leg, or change the participants.",
                        len(people),
                        title=event.title,
                        uid=event.uid,
                        place=place_name(plan, event.community),
                        start=event.start,
                        people=People(tuple(people)),
                        where=whereabouts(plan, place),
                    ),
                    (event.uid, *people),
                )

    def admits(self, c: Candidate) -> Why | None:
        if not needs_presence(c.task.activity.kind):
            return None
        for person in c.task.attendees:
            place, leg = c.timeline.where(c.plan, person, c.local)
            if place is IN_TRANSIT:
                assert leg is not None
                return msg("{person} is travelling ({leg})", person=person, leg=leg.uid)
            if place != c.task.activity.community:
                return msg("{person} is in {place}", person=person, place=place_name(c.plan, place))
        return None


MAX_OVERLAP_WORK = 200_000
"""Work (pairs compared, people matched) the double-booking check may spend: counted, not
timed, so the answer is the same on every machine."""
MAX_CLASHES_LISTED = 100


def busy_event(event: Event) -> bool:
    """Whether a timed event occupies its people (the busy rule)."""
    return event.timed and busy(event.category, event.kind)


def _appointments(events: list[Event]) -> dict[str, list[Event]]:
    """Each person's activities that keep them busy, in time order."""
    per_person: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.category == "activity" and busy_event(event):
            for person in event.attendees:
                per_person[person].append(event)
    for mine in per_person.values():
        mine.sort(key=lambda e: (utc(e.start), e.uid))
    return per_person


class Busy(Rule):
    name = "busy"
    codes = ("double-booked", "double-booked-more")

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Two events at once for the same person: one sweep over all events in time order,
        comparing each with those still under way. Its cost is bounded by
        :data:`MAX_OVERLAP_WORK`; a plan that needs more is told so instead of waited on."""
        busy = sorted((e for e in events if busy_event(e)), key=lambda e: (utc(e.start), e.uid))
        members = {e.uid: frozenset(e.attendees) for e in busy}
        clashes: list[tuple[Event, Event, list[str]]] = []
        active: list[Event] = []
        work = 0
        for event in busy:
            start = utc(event.start)
            active = [other for other in active if utc(other.end) > start]
            for other in active:
                work += 1 + min(len(members[other.uid]), len(members[event.uid]))
                shared = members[other.uid] & members[event.uid]
                if shared:
                    clashes.append((other, event, [p for p in other.attendees if p in shared]))
            if work > MAX_OVERLAP_WORK:
                break
            active.append(event)
        clashes.sort(key=lambda c: (c[0].uid, c[1].uid))
        for first, second, people in clashes[:MAX_CLASHES_LISTED]:
            assert first.start and first.end and second.start and second.end
            yield Finding(
                "double-booked",
                "error",
                msg(
                    "{people} would be in two places at once: '{first}' ({first_span}) overlaps "
                    "'{second}' ({second_span}). Move one of them.",
                    people=People(tuple(people)),
                    first=first.title,
                    first_span=Span(first.start, first.end),
                    second=second.title,
                    second_span=Span(second.start, second.end),
                ),
                (first.uid, second.uid, *people),
            )
        if work > MAX_OVERLAP_WORK or len(clashes) > MAX_CLASHES_LISTED:
            listed = min(len(clashes), MAX_CLASHES_LISTED)
            yield Finding(
                "double-booked-more",
                "error",
                msg(
                    "more events overlap for the same people than tripplan lists: the first "
                    "{listed} overlapping pairs are shown, the rest were not searched. Fix "
                    "those, or check whether the times were entered in the wrong zone, then "
                    "check again.",
                    listed=listed,
                ),
                (),
            )

    def admits(self, c: Candidate) -> Why | None:
        if not c.task.busy:
            return None
        for person in c.task.attendees:
            for busy_start, busy_end, venue, what in c.problem.fixed_busy.get(person, ()):
                if not overlaps((c.start, c.end), (busy_start, busy_end)):
                    continue
                if venue is None and busy_start >= c.start:  # a leg: what is its uid
                    return msg("{person} leaves on {leg}", person=person, leg=what)
                if venue is None:
                    return msg("{person} is travelling ({leg})", person=person, leg=what)
                return msg("{person} is busy ({what})", person=person, what=what)
        return None


class Transfer(Rule):
    name = "transfer"
    codes = ("too-close",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Consecutive appointments at different venues need time to get from one to the other."""
        buffer = plan.settings.transfer_buffer
        found: dict[tuple[str, str], list[str]] = defaultdict(list)
        for person, mine in sorted(_appointments(events).items()):
            for before, after in itertools.pairwise(mine):
                gap = utc(after.start) - utc(before.end)
                if too_close(gap, venue_key(before) == venue_key(after), buffer):
                    found[(before.uid, after.uid)].append(person)
        by_uid = {e.uid: e for e in events}
        for (first, second), people in sorted(found.items()):
            one, two = by_uid[first], by_uid[second]
            assert one.end is not None and two.start is not None
            gap = utc(two.start) - utc(one.end)
            yield Finding(
                "too-close",
                "warning",
                nmsg(
                    "{people} has only {gap} from '{first}' (ends {end}) to '{second}' at "
                    "another venue; allow at least {buffer} to get there.",
                    "{people} have only {gap} from '{first}' (ends {end}) to '{second}' at "
                    "another venue; allow at least {buffer} to get there.",
                    len(people),
                    people=People(tuple(people)),
                    gap=Duration(gap),
                    first=one.title,
                    end=one.end,
                    second=two.title,
                    buffer=Duration(buffer),
                ),
                (first, second, *people),
            )

    def admits(self, c: Candidate) -> Why | None:
        if not c.task.busy:
            return None
        for person in c.task.attendees:
            for busy_start, busy_end, venue, what in c.problem.fixed_busy.get(person, ()):
                if venue is None or venue == c.task.venue:
                    continue  # a leg, or the same venue: no way to go
                if overlaps((c.start, c.end), (busy_start, busy_end), c.problem.buffer):
                    return msg("{person} is busy ({what})", person=person, what=what)
        return None


class Arrival(Rule):
    name = "arrival"
    codes = ("arrival-rest",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        settings = plan.settings
        found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        by_uid = {e.uid: e for e in events}
        activities: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            if event.category == "activity" and event.timed:
                for person in event.attendees:
                    activities[person].append(event)
        for person, legs in sorted(timeline.legs.items()):
            for leg in legs:
                assert leg.start is not None and leg.end is not None
                if not long_haul(settings, leg.start, leg.end):
                    continue
                for event in activities[person]:
                    assert event.start is not None and event.end is not None
                    broken = after_arrival(settings, leg.end, event.kind, event.start, event.end)
                    if broken is not None:
                        found[(broken, event.uid, leg.uid)].append(person)
        for (reason, event_uid, leg_uid), people in sorted(found.items()):
            event, leg = by_uid[event_uid], by_uid[leg_uid]
            assert event.start is not None and event.end is not None and leg.end is not None
            details = dict(
                people=People(tuple(people)),
                landed=leg.end,
                leg=leg.uid,
                title=event.title,
                start=event.start,
                end=event.end,
                rest=Duration(settings.arrival_rest),
                latest=f"{settings.arrival_day_latest:%H:%M}",
            )
            if reason == "rest":
                message = nmsg(
                    "{people} lands at {landed} after a long-haul flight ({leg}); '{title}' at "
                    "{start} leaves less than {rest} of rest. Move it later.",
                    "{people} land at {landed} after a long-haul flight ({leg}); '{title}' at "
                    "{start} leaves less than {rest} of rest. Move it later.",
                    len(people),
                    **details,
                )
            else:
                message = nmsg(
                    "{people} lands at {landed} after a long-haul flight ({leg}); '{title}' ends "
                    "at {end}, after {latest} on the day of arrival. End it earlier or move it "
                    "to the next day.",
                    "{people} land at {landed} after a long-haul flight ({leg}); '{title}' ends "
                    "at {end}, after {latest} on the day of arrival. End it earlier or move it "
                    "to the next day.",
                    len(people),
                    **details,
                )
            yield Finding("arrival-rest", "warning", message, (event.uid, leg.uid, *people))

    def admits(self, c: Candidate) -> Why | None:
        settings = c.plan.settings
        kind = c.task.activity.kind
        for person in c.task.attendees:
            for leg in c.long_haul:
                if person not in leg.attendees or leg.end is None:
                    continue
                broken = after_arrival(settings, leg.end, kind, c.local, c.end_local)
                if broken == "rest":
                    return msg("arrival rest after {leg}", leg=leg.uid)
                if broken == "late":
                    return msg("too late on the day of arrival ({leg})", leg=leg.uid)
        return None


class DailyLoad(Rule):
    name = "daily load"
    codes = ("long-day",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """No delegate works more than the daily maximum (working kinds of appointment)."""
        limit = plan.settings.max_work_per_day
        load: dict[tuple[str, date], timedelta] = defaultdict(timedelta)
        for event in events:
            if event.category != "activity" or not is_working(event.kind) or not event.timed:
                continue
            assert event.start is not None and event.end is not None
            for person in event.attendees:
                load[(person, load_day(event.start))] += utc(event.end) - utc(event.start)
        days: dict[tuple[date, timedelta], list[str]] = defaultdict(list)
        for (person, day), total in sorted(load.items()):
            if total > limit:
                days[(day, total)].append(person)
        for (day, total), people in sorted(days.items()):
            yield Finding(
                "long-day",
                "warning",
                nmsg(
                    "{people} would work {total} on {day}, more than the {limit} a day the plan "
                    "allows. Move something to another day.",
                    "{people} would work {total} on {day}, more than the {limit} a day the plan "
                    "allows. Move something to another day.",
                    len(people),
                    people=People(tuple(people)),
                    total=Duration(total),
                    day=Day(day),
                    limit=Duration(limit),
                ),
                (f"{day.isoformat()}", *people),
            )

    def admits(self, c: Candidate) -> Why | None:
        if not c.task.working:
            return None
        for person in c.task.attendees:
            load = c.problem.fixed_load.get((person, load_day(c.local)), 0)
            if load + c.task.minutes > c.problem.max_load:
                limit = Duration(timedelta(minutes=c.problem.max_load))
                return msg("{person} would work more than {limit}", person=person, limit=limit)
        return None


RULES: tuple[Rule, ...] = (
    WorkingHours(),
    WakingHours(),
    Window(),
    Order(),
    Presence(),
    Busy(),
    Transfer(),
    Arrival(),
    DailyLoad(),
)
"""Every rule, in the order the scheduler asks them (the first that refuses a start
names the reason in explanations)."""


def refusal(candidate: Candidate) -> Why | None:
    """Why the first rule that refuses ``candidate`` does, or ``None`` when all admit it."""
    for rule in RULES:
        why = rule.admits(candidate)
        if why is not None:
            return why
    return None


def separation(problem: Problem, a: Task, b: Task) -> int | None:
    """Minutes that must lie between two flexible activities (the busy rule: none at the
    same venue; the transfer rule: the buffer between venues), or None when they may
    overlap: no shared people, or one of them keeps no one busy."""
    if not (a.busy and b.busy) or not set(a.attendees) & set(b.attendees):
        return None
    return 0 if a.venue == b.venue else problem.buffer


# -- the predicates ---------------------------------------------------------------------

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


ArrivalBreak = Literal["rest", "late"]


def after_arrival(
    settings: Settings, landed: datetime, kind: str, start: datetime, end: datetime
) -> ArrivalBreak | None:
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
