"""The rules of a good schedule: each one object, the same for ``check`` and ``plan``.

Every rule in :data:`RULES` does up to three things:

* :meth:`Rule.report` finds where a finished itinerary breaks it (``tripplan check`` runs
  every rule's report);
* :meth:`Rule.admits` says whether one flexible activity may start at one time given
  everything fixed in the plan (the :class:`Context`), and if not, why, as a
  :class:`Refusal` with a :class:`Reason` code (``tripplan plan`` keeps only starts every
  rule admits); :meth:`Rule.closes` says it of a whole day at once, when the rule admits
  no start on it (``tripplan plan`` then tries none of that day's starts, and its
  explanation names the day once);
* :meth:`Rule.constraints` states, once, what the rule demands of two appointments or of a
  day: :class:`NoOverlap` (with a gap), :class:`After`, :class:`DailyMax` per person. Its
  report, its :meth:`~Rule.admits`, the built-in search, CP-SAT and the explanations of
  ``tripplan plan`` all read that one statement (:func:`links`).

Checks and scheduler iterate over the same list at the time they run, so they cannot
disagree: removing a rule from the list removes it from ``check``, from the possible starts
and from the links between flexible activities (tests/test_rules.py shows it for each rule).
This module reads nothing of the scheduler: what the rules need of a flexible activity is the
:class:`Flexible` protocol, and of the plan the :class:`Context`, both defined here.

The rules (documented for coordinators in docs/plan-format.md, "Rules of a good
schedule"):

* **busy** — an appointment occupies its people, except free time and stays;
* **presence** — people must be in the activity's community when it starts, except for a
  call, which they join from wherever they are;
* **working hours** — meetings, workshops, site visits, briefings and calls happen on the
  host's working days and hours, never on a Sunday or public holiday, unless
  ``off_hours_ok``;
* **waking hours** — a flexible activity is placed between 07:00 and 22:00 local time;
* **window** — a flexible activity stays in its window;
* **trip days** — every event of a trip but its stays lies within the trip's days
  (``first_day`` to ``last_day``, in its local time);
* **arrival** — after a long-haul flight no working appointment within
  ``settings.arrival_rest`` of landing, and nothing ending after
  ``settings.arrival_day_latest`` on the day of arrival, both in the local time of the
  airport where the flight lands;
* **transfer** — any two appointments of a person at different venues leave
  ``settings.transfer_buffer`` between them (an overlap is the busy rule's finding);
* **daily load** — at most ``settings.max_work_per_day`` of working appointments a day;
* **order** — an activity starts only after every activity in its ``after`` has ended,
  fixed or flexible.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import ClassVar, Literal, Protocol

from tripplan.itinerary import Event, Finding, day_span, uid_of
from tripplan.messages import (
    Day,
    Duration,
    Holiday,
    Message,
    People,
    ShortDay,
    Span,
    Weekday,
    msg,
    nmsg,
)
from tripplan.models import WEEKDAYS, WORKING_KINDS, Activity, Community, Plan, Settings, Trip
from tripplan.planning.facts import holiday, venue_key, window_bounds
from tripplan.planning.whereabouts import (
    IN_TRANSIT,
    Place,
    Whereabouts,
    place_name,
    place_order,
    utc,
    where_said,
)

Checks = Iterator[Finding]


class Reason(StrEnum):
    """Why a start is refused, or what ties activities together: the code explanations
    group, filter and word by (never a match on a message's text)."""

    SUNDAY = "sunday"
    HOLIDAY = "holiday"
    CLOSED = "closed"
    OUTSIDE_HOURS = "outside-hours"
    AT_NIGHT = "at-night"
    OUTSIDE_WINDOW = "outside-window"
    OUTSIDE_TRIP = "outside-trip"
    AFTER_TRIP = "after-trip"
    BEFORE_PREVIOUS_ENDS = "before-previous-ends"
    AFTER_NEXT_BEGINS = "after-next-begins"
    TRAVELLING = "travelling"
    ELSEWHERE = "elsewhere"
    LEAVES = "leaves"
    BUSY = "busy"
    TRANSFER = "transfer"
    ARRIVAL_REST = "arrival-rest"
    ARRIVAL_LATE = "arrival-late"
    DAILY_LOAD = "daily-load"
    ORDER = "order"


EDGES_OF_THE_DAY = frozenset({Reason.OUTSIDE_HOURS, Reason.AT_NIGHT})
"""Reasons at the edges of every day: explanations leave them out when others are given."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a rule does not admit a start: a code to act on and a message to show."""

    reason: Reason
    message: Message


def _waking_text() -> str:
    first, last = WAKING_HOURS
    return f"{first:%H:%M}–{last:%H:%M}"


# -- what the rules read --------------------------------------------------------------------

Venue = tuple[str | None, str]


class Linked(Protocol):
    """An appointment as the rules that link two of them read it (a flexible activity, or a
    fixed :class:`Commitment`)."""

    @property
    def uid(self) -> str: ...
    @property
    def attendees(self) -> tuple[str, ...]: ...
    @property
    def busy(self) -> bool: ...
    @property
    def working(self) -> bool: ...
    @property
    def venue(self) -> Venue | None: ...  # None: a travel leg, which needs no transfer
    @property
    def after(self) -> tuple[str, ...]: ...  # uids of what it follows


class Flexible(Linked, Protocol):
    """A flexible activity as the rules read it when they judge one of its starts."""

    @property
    def trip(self) -> Trip: ...
    @property
    def activity(self) -> Activity: ...
    @property
    def minutes(self) -> int: ...
    @property
    def fixed_before(self) -> tuple[tuple[int, str], ...]: ...  # (end, what) it follows
    @property
    def fixed_after(self) -> tuple[tuple[int, str], ...]: ...  # (start, what) that follow it


def minutes(moment: datetime) -> int:
    """Absolute minutes (since the epoch, UTC) of an aware moment."""
    return int(moment.astimezone(UTC).timestamp() // 60)


@dataclass(frozen=True, slots=True)
class Commitment:
    """A fixed appointment or travel leg, as the rules that link appointments read it."""

    uid: str
    what: str  # the title and times (for an activity), the uid (for a leg)
    start: int  # absolute minutes
    end: int
    attendees: tuple[str, ...]
    busy: bool
    working: bool
    venue: Venue | None
    after: tuple[str, ...] = ()

    @classmethod
    def of(cls, event: Event) -> Commitment:
        assert event.start is not None and event.end is not None
        leg = event.category == "travel"
        return cls(
            uid=event.uid,
            what=event.uid if leg else f"'{event.title}' {event.start:%H:%M}–{event.end:%H:%M}",
            start=minutes(event.start),
            end=minutes(event.end),
            attendees=event.attendees,
            busy=busy(event.category, event.kind),
            working=event.category == "activity" and is_working(event.kind),
            venue=None if leg else venue_key(event),
        )


@dataclass(frozen=True)
class Context:
    """Everything fixed in a plan that the rules judge a flexible activity's start against."""

    plan: Plan
    account: Whereabouts  # of the fixed events
    long_haul: tuple[Event, ...]  # the plan's long-haul legs
    fixed: Mapping[str, tuple[Commitment, ...]]  # per person, busy appointments and legs
    work: Mapping[tuple[str, date], int]
    """Per person and local day (:func:`load_day`), the minutes of their fixed appointments
    that :meth:`DailyMax.counts`: the fixed daily load, which the daily maximum and the
    evenness term of ``tripplan plan`` both add to."""
    reach: Mapping[str, tuple[tuple[int, ...], tuple[int, ...]]]
    """Per person, the starts of their ``fixed`` appointments (in that order, by start) and
    the latest end among the first n of them: what :meth:`nearby` bisects."""

    def nearby(self, person: str, span: tuple[int, int], gap: int) -> tuple[Commitment, ...]:
        """``person``'s fixed appointments, in order, less those that surely end ``gap``
        minutes or more before ``span`` starts or start ``gap`` or more after it ends: the
        only ones that can come closer to it than ``gap`` (see :func:`overlaps`)."""
        starts, reach = self.reach.get(person, ((), ()))
        first = bisect.bisect_right(reach, span[0] - gap)
        last = bisect.bisect_left(starts, span[1] + gap)
        return self.fixed.get(person, ())[first:last]

    @classmethod
    def of(cls, plan: Plan, fixed: list[Event]) -> Context:
        """The context of ``fixed``: the timed events that are not flexible activities."""
        per_person: dict[str, list[Commitment]] = defaultdict(list)
        work: dict[tuple[str, date], int] = defaultdict(int)
        for event in fixed:
            if not event.timed or not busy(event.category, event.kind):
                continue
            assert event.start is not None
            appointment = Commitment.of(event)
            for person in event.attendees:
                per_person[person].append(appointment)
                if DailyMax.counts(appointment):
                    day = load_day(event.start)
                    work[(person, day)] += appointment.end - appointment.start
        long = tuple(
            leg
            for leg in fixed
            if leg.category == "travel"
            and leg.start is not None
            and leg.end is not None
            and long_haul(plan.settings, leg.start, leg.end)
        )
        ordered = {
            p: tuple(sorted(mine, key=lambda a: (a.start, a.end, a.uid)))
            for p, mine in per_person.items()
        }
        return cls(
            plan=plan,
            account=Whereabouts.of(plan, fixed),
            long_haul=long,
            fixed=ordered,
            work=dict(work),
            reach={
                p: (
                    tuple(a.start for a in mine),
                    tuple(itertools.accumulate((a.end for a in mine), max)),
                )
                for p, mine in ordered.items()
            },
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible start of one flexible activity, with what the rules read to judge it."""

    context: Context
    task: Flexible
    local: datetime  # the start, local time of the activity's community
    end_local: datetime
    start: int  # absolute minutes
    end: int
    window: tuple[int, int]  # the activity's window, absolute minutes

    @property
    def plan(self) -> Plan:
        return self.context.plan


# -- the constraints that link appointments ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoOverlap:
    """Two busy appointments that share a person do not overlap, and leave at least ``gap``
    minutes between them; with ``other_venue``, only appointments at different venues (a
    travel leg has no venue: getting there is its job)."""

    reason: Reason
    gap: int
    other_venue: bool = False

    def links(self, a: Linked, b: Linked) -> bool:
        """Whether the constraint holds between ``a`` and ``b``."""
        return self.applies(a, b) and not set(a.attendees).isdisjoint(b.attendees)

    def applies(self, a: Linked, b: Linked) -> bool:
        """Whether it holds between ``a`` and ``b``, known to share a person."""
        if not (a.busy and b.busy):
            return False
        if self.other_venue:
            return a.venue is not None and b.venue is not None and a.venue != b.venue
        return True

    def broken(self, first: tuple[int, int], second: tuple[int, int]) -> bool:
        """Whether two linked appointments (start, end in minutes) come too close."""
        return overlaps(first, second, self.gap)

    def forbidden(self, placed: tuple[int, int], minutes: int) -> tuple[int, int]:
        """The starts ``[low, high)`` of a linked appointment of ``minutes`` that break it
        next to one ``placed`` (start, end): exactly those :meth:`broken` refuses."""
        return placed[0] - self.gap - minutes + 1, placed[1] + self.gap


@dataclass(frozen=True, slots=True)
class After:
    """An appointment starts only once each appointment in its ``after`` has ended."""

    reason: Reason = Reason.ORDER

    def links(self, later: Linked, earlier: Linked) -> bool:
        """Whether ``later`` must follow ``earlier``."""
        return earlier.uid in later.after

    def broken(self, earlier_end: int, later_start: int) -> bool:
        return later_start < earlier_end

    def forbidden_later(self, earlier_end: int) -> tuple[float, int]:
        """The starts ``[low, high)`` of the later appointment that break it."""
        return -math.inf, earlier_end

    def forbidden_earlier(self, later_start: int, minutes: int) -> tuple[int, float]:
        """The starts ``[low, high)`` of the earlier appointment, of ``minutes``, that break
        it."""
        return later_start - minutes + 1, math.inf


@dataclass(frozen=True, slots=True)
class DailyMax:
    """Per person and local day (of the start), the appointments it counts last at most
    ``limit`` minutes together."""

    reason: Reason
    limit: int

    @staticmethod
    def counts(appointment: Linked) -> bool:
        """Whether ``appointment`` counts to a day's load: its working kinds. The one
        measure of the daily load, whatever the limit (:attr:`Context.work`, the search
        and CP-SAT all count by it)."""
        return appointment.working

    def broken(self, total: int) -> bool:
        return total > self.limit


Link = NoOverlap | After | DailyMax


def links(settings: Settings) -> tuple[Link, ...]:
    """Every constraint the rules of :data:`RULES` state (read when called, so a rule taken
    out of the list takes its constraints with it)."""
    return tuple(link for rule in RULES for link in rule.constraints(settings))


class Rule:
    """One rule of a good schedule (see the module doc)."""

    name: ClassVar[str]  # as docs/plan-format.md names it
    codes: ClassVar[tuple[str, ...]]  # the codes of the findings it reports

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """Where a finished itinerary breaks the rule."""
        raise NotImplementedError

    def admits(self, candidate: Candidate) -> Refusal | None:
        """``None`` when the rule admits the start, else why not."""
        return None

    def closes(self, task: Flexible, day: date) -> Refusal | None:
        """Why the rule admits no start of ``task`` on ``day`` (a local day of its
        community) at all, or ``None``: :meth:`admits` refuses every start of such a day
        with the same reason, so skipping it changes no domain."""
        return None

    def constraints(self, settings: Settings) -> tuple[Link, ...]:
        """What the rule demands of two appointments or of a day (none: a rule about one
        activity at a time, wholly in :meth:`admits`)."""
        return ()


class OfficeHours(Rule):
    """Appointments lie within the host community's working hours (the setting
    :class:`tripplan.models.WorkingHours`), unless allowed off hours."""

    name = "working hours"
    codes = ("off-hours",)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        for activity, event in _timed_activities(events):
            if event.kind not in WORKING_KINDS or activity.off_hours_ok:
                continue
            assert event.start is not None and event.end is not None
            community = plan.community(activity.community)
            hours = community.working_hours
            day = event.start.date()
            name = holiday(community, day)
            why = off_hours(community, event.kind, False, event.start, event.end, name)
            if why == "sunday":
                reason = msg("on a Sunday")
            elif why == "holiday":
                reason = msg(
                    "on a public holiday in {place} ({holiday})",
                    place=community.called,
                    holiday=Holiday(community.country, community.subdivision, day),
                )
            elif why == "closed":
                reason = msg(
                    "on a {weekday}, when {place} does not receive visitors",
                    weekday=Weekday(day),
                    place=community.called,
                )
            elif why == "hours":
                reason = msg(
                    "outside the working hours of {place} ({hours})",
                    place=community.called,
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
                    title=event.called,
                    uid=event.uid,
                    reason=reason,
                    start=event.start,
                ),
                events=(event.uid,),
            )

    def admits(self, c: Candidate) -> Refusal | None:
        activity = c.task.activity
        community = c.plan.community(activity.community)
        day = c.local.date()
        name = holiday(community, day) if is_working(activity.kind) else None
        why = off_hours(community, activity.kind, activity.off_hours_ok, c.local, c.end_local, name)
        if why == "sunday":
            return Refusal(Reason.SUNDAY, msg("Sunday"))
        if why == "holiday":
            holiday_of = Holiday(community.country, community.subdivision, day)
            return Refusal(Reason.HOLIDAY, msg("public holiday ({holiday})", holiday=holiday_of))
        if why == "closed":
            return Refusal(
                Reason.CLOSED,
                msg("{weekday}: no working day for the hosts", weekday=Weekday(day)),
            )
        if why == "hours":
            hours = community.working_hours
            return Refusal(
                Reason.OUTSIDE_HOURS,
                msg(
                    "outside working hours ({hours})",
                    hours=f"{hours.start:%H:%M}–{hours.end:%H:%M}",
                ),
            )
        return None


def _timed_activities(events: list[Event]) -> Iterator[tuple[Activity, Event]]:
    """Every activity that has its time, with its event."""
    for event in events:
        if isinstance(event.source, Activity) and event.timed:
            yield event.source, event


class WakingHours(Rule):
    name = "waking hours"
    codes = ("at-night",)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """Placed flexible activities are not placed at night."""
        for activity, event in _timed_activities(events):
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
                        title=event.called,
                        uid=uid,
                        start=event.start,
                        hours=_waking_text(),
                    ),
                    events=(uid,),
                )

    def admits(self, c: Candidate) -> Refusal | None:
        if not at_night(c.local, c.end_local):
            return None
        return Refusal(Reason.AT_NIGHT, msg("at night (outside {hours})", hours=_waking_text()))


class Window(Rule):
    name = "window"
    codes = ("outside-window",)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """Placed flexible activities stay in their window."""
        for activity, event in _timed_activities(events):
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
                            title=event.called,
                            uid=uid,
                            start=event.start,
                        ),
                        events=(uid,),
                    )

    def admits(self, c: Candidate) -> Refusal | None:
        first, last = c.window
        if not (first <= c.start and c.end <= last):
            return Refusal(Reason.OUTSIDE_WINDOW, msg("outside the activity's window"))
        return None


def in_trip(trip: Trip, day: date) -> bool:
    """Whether ``day`` is one of the days of ``trip`` (the trip days rule)."""
    return trip.first_day <= day <= trip.last_day


class TripDays(Rule):
    name = "trip days"
    codes = ("outside-trip",)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """Every event but a stay lies within its trip's days: its first and last local
        day (:func:`~tripplan.itinerary.day_span`)."""
        trips = {t.id: t for t in plan.trips}
        for event in events:
            if event.category == "stay":
                continue
            trip = trips[event.trip]
            days = event.local_days()
            if not days:
                continue
            outside = [d for d in (days[0], days[-1]) if not in_trip(trip, d)]
            if outside:
                yield Finding(
                    "outside-trip",
                    "error",
                    msg(
                        "'{title}' ({uid}) is on {day}, outside the days of trip {trip} "
                        "({first} – {last}). Move it, or widen the trip's first_day/last_day.",
                        title=event.called,
                        uid=event.uid,
                        day=Day(outside[0]),
                        trip=trip.id,
                        first=ShortDay(trip.first_day),
                        last=Day(trip.last_day),
                    ),
                    events=(event.uid,),
                    trip=trip.id,
                )

    def closes(self, task: Flexible, day: date) -> Refusal | None:
        if in_trip(task.trip, day):
            return None
        return Refusal(Reason.OUTSIDE_TRIP, msg("outside trip {trip}", trip=task.trip.id))

    def admits(self, c: Candidate) -> Refusal | None:
        first, last = day_span(c.local, c.end_local)
        closed = self.closes(c.task, first)
        if closed is not None:
            return closed
        if not in_trip(c.task.trip, last):
            return Refusal(Reason.AFTER_TRIP, msg("after the trip's last day"))
        return None


class Order(Rule):
    name = "order"
    codes = ("out-of-order",)

    def constraints(self, settings: Settings) -> tuple[Link, ...]:
        return (After(),)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """Activities start after what they build on has ended."""
        (after,) = self.constraints(plan.settings)
        assert isinstance(after, After)
        by_uid = {e.uid: e for e in events}
        for activity, event in _timed_activities(events):
            uid = event.uid
            assert event.start is not None and event.end is not None
            for before_id in activity.after:
                before = by_uid[uid_of(event.trip, before_id)]
                if before.end is not None and after.broken(
                    minutes(before.end), minutes(event.start)
                ):
                    yield Finding(
                        "out-of-order",
                        "error",
                        msg(
                            "'{title}' ({uid}) starts {start}, before '{before}' "
                            "({before_uid}) ends at {end}, which it must follow.",
                            title=event.called,
                            uid=uid,
                            start=event.start,
                            before=before.called,
                            before_uid=before.uid,
                            end=before.end,
                        ),
                        events=(uid, before.uid),
                    )

    def admits(self, c: Candidate) -> Refusal | None:
        (after,) = self.constraints(c.plan.settings)
        assert isinstance(after, After)
        for before_end, before_what in c.task.fixed_before:
            if after.broken(before_end, c.start):
                return Refusal(
                    Reason.BEFORE_PREVIOUS_ENDS, msg("before {what} ends", what=before_what)
                )
        for after_start, after_what in c.task.fixed_after:
            if after.broken(c.end, after_start):
                return Refusal(
                    Reason.AFTER_NEXT_BEGINS, msg("after {what} begins", what=after_what)
                )
        return None


class Presence(Rule):
    name = "presence"
    codes = ("wrong-place",)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        for event in events:
            if event.category != "activity" or not event.timed or event.community is None:
                continue
            if not needs_presence(event.kind):
                continue  # participants of a call join from wherever they are
            assert event.start is not None
            absent: dict[Place, list[str]] = defaultdict(list)
            for person in event.attendees:
                place = account.at(person, event.start).place  # walks to a neighbour
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
                        title=event.called,
                        uid=event.uid,
                        place=place_name(plan, event.community),
                        start=event.start,
                        people=People(tuple(people)),
                        where=where_said(plan, place),
                    ),
                    events=(event.uid,),
                    people=tuple(people),
                )

    def admits(self, c: Candidate) -> Refusal | None:
        if not needs_presence(c.task.activity.kind):
            return None
        for person in c.task.attendees:
            position = c.context.account.at(person, c.local)
            place, leg = position.place, position.leg
            if place is IN_TRANSIT:
                assert leg is not None
                return Refusal(
                    Reason.TRAVELLING,
                    msg("{person} is travelling ({leg})", person=person, leg=leg.uid),
                )
            if not c.context.account.near(place, c.task.activity.community):
                return Refusal(
                    Reason.ELSEWHERE,
                    msg("{person} is in {place}", person=person, place=place_name(c.plan, place)),
                )
        return None


MAX_OVERLAP_WORK = 200_000
"""Work (pairs compared, people matched) each check of appointments that come too close
(the busy rule's, the transfer rule's) may spend: counted, not timed, so the answer is the
same on every machine."""
MAX_CLASHES_LISTED = 100


def busy_event(event: Event) -> bool:
    """Whether a timed event occupies its people (the busy rule)."""
    return event.timed and busy(event.category, event.kind)


Pair = tuple[Event, Event, frozenset[str]]  # the earlier, the later, the people they share


def _too_close(link: NoOverlap, settings: Settings, events: list[Event]) -> tuple[list[Pair], bool]:
    """Every pair of timed events that ``link`` forbids (:meth:`NoOverlap.links` and
    :meth:`NoOverlap.broken`, as ``plan`` reads it) and whose finding it is: one sweep over
    the busy events in time order, comparing each with those still within ``link.gap``. A
    pair that a constraint of a smaller gap (of a rule in :data:`RULES`) also forbids is
    that one's finding: an overlap is a double booking before it is a short transfer. The
    work is counted; whether the sweep ended within :data:`MAX_OVERLAP_WORK` comes with
    the pairs it found."""
    narrower = [
        other for other in links(settings) if isinstance(other, NoOverlap) and other.gap < link.gap
    ]
    timed = sorted((e for e in events if busy_event(e)), key=lambda e: (utc(e.start), e.uid))
    appointments = {e.uid: Commitment.of(e) for e in timed}
    members = {e.uid: frozenset(e.attendees) for e in timed}
    pairs: list[Pair] = []
    active: list[Event] = []
    work = 0
    for event in timed:
        later = appointments[event.uid]  # those still under way (or within the gap) stay
        active = [other for other in active if appointments[other.uid].end + link.gap > later.start]
        for other in active:
            earlier = appointments[other.uid]
            work += 1
            if not link.applies(earlier, later):
                continue
            work += min(len(members[other.uid]), len(members[event.uid]))
            shared = members[other.uid] & members[event.uid]
            spans = (earlier.start, earlier.end), (later.start, later.end)
            if not shared or not link.broken(*spans):
                continue
            if not any(n.applies(earlier, later) and n.broken(*spans) for n in narrower):
                pairs.append((other, event, shared))
        if work > MAX_OVERLAP_WORK:
            return pairs, False
        active.append(event)
    return pairs, True


def _two_places(first: Event, second: Event, people: tuple[str, ...]) -> Message:
    """What a finding says of two appointments of ``people`` that overlap."""
    assert first.start and first.end and second.start and second.end
    return msg(
        "{people} would be in two places at once: '{first}' ({first_span}) overlaps "
        "'{second}' ({second_span}). Move one of them.",
        people=People(people),
        first=first.called,
        first_span=Span(first.start, first.end),
        second=second.called,
        second_span=Span(second.start, second.end),
    )


def _against_fixed(link: NoOverlap, c: Candidate) -> Refusal | None:
    """Whether ``link`` refuses the candidate next to a fixed appointment of its people."""
    if not c.task.busy:
        return None
    span = (c.start, c.end)
    for person in c.task.attendees:
        for other in c.context.nearby(person, span, link.gap):  # each shares ``person``
            if not link.broken(span, (other.start, other.end)) or not link.applies(c.task, other):
                continue
            if other.venue is None and other.start >= c.start:
                return Refusal(
                    Reason.LEAVES, msg("{person} leaves on {leg}", person=person, leg=other.what)
                )
            if other.venue is None:
                return Refusal(
                    Reason.TRAVELLING,
                    msg("{person} is travelling ({leg})", person=person, leg=other.what),
                )
            return Refusal(
                link.reason, msg("{person} is busy ({what})", person=person, what=other.what)
            )
    return None


class Busy(Rule):
    name = "busy"
    codes = ("double-booked", "double-booked-more")

    def constraints(self, settings: Settings) -> tuple[Link, ...]:
        return (NoOverlap(Reason.BUSY, 0),)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """Two events at once for the same person (:func:`_too_close`, whose work is bounded
        by :data:`MAX_OVERLAP_WORK`; a plan that needs more is told so instead of waited
        on)."""
        (link,) = self.constraints(plan.settings)
        assert isinstance(link, NoOverlap)
        clashes, complete = _too_close(link, plan.settings, events)
        clashes.sort(key=lambda c: (c[0].uid, c[1].uid))
        for first, second, shared in clashes[:MAX_CLASHES_LISTED]:
            people = tuple(p for p in first.attendees if p in shared)
            yield Finding(
                "double-booked",
                "error",
                _two_places(first, second, people),
                events=(first.uid, second.uid),
                people=people,
            )
        if not complete or len(clashes) > MAX_CLASHES_LISTED:
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
            )

    def admits(self, c: Candidate) -> Refusal | None:
        (link,) = self.constraints(c.plan.settings)
        assert isinstance(link, NoOverlap)
        return _against_fixed(link, c)


class Transfer(Rule):
    name = "transfer"
    codes = ("too-close", "too-close-more")

    def constraints(self, settings: Settings) -> tuple[Link, ...]:
        gap = int(settings.transfer_buffer.total_seconds() // 60)
        return (NoOverlap(Reason.TRANSFER, gap, other_venue=True),)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """Any two appointments of a person at different venues need time to get from one to
        the other: every pair the rule's constraint forbids (:func:`_too_close`; those that
        overlap are the busy rule's finding, while it is a rule)."""
        (link,) = self.constraints(plan.settings)
        assert isinstance(link, NoOverlap)
        pairs, complete = _too_close(link, plan.settings, events)
        buffer = timedelta(minutes=link.gap)
        for one, two, shared in sorted(pairs, key=lambda pair: (pair[0].uid, pair[1].uid)):
            assert one.end is not None and two.start is not None
            people = tuple(sorted(shared))
            gap = utc(two.start) - utc(one.end)
            if gap < timedelta(0):  # the second begins before the first ends
                message = _two_places(one, two, people)
            else:
                message = nmsg(
                    "{people} has only {gap} from '{first}' (ends {end}) to '{second}' at "
                    "another venue; allow at least {buffer} to get there.",
                    "{people} have only {gap} from '{first}' (ends {end}) to '{second}' at "
                    "another venue; allow at least {buffer} to get there.",
                    len(people),
                    people=People(people),
                    gap=Duration(gap),
                    first=one.called,
                    end=one.end,
                    second=two.called,
                    buffer=Duration(buffer),
                )
            yield Finding(
                "too-close",
                "warning",
                message,
                events=(one.uid, two.uid),
                people=people,
            )
        if not complete:
            yield Finding(
                "too-close-more",
                "warning",
                msg(
                    "more appointments at different venues come too close for the same people "
                    "than tripplan lists: those found first are shown, the rest were not "
                    "searched. Fix those, or check whether the times were entered in the wrong "
                    "zone, then check again."
                ),
            )

    def admits(self, c: Candidate) -> Refusal | None:
        (link,) = self.constraints(c.plan.settings)
        assert isinstance(link, NoOverlap)
        return _against_fixed(link, c)


class Arrival(Rule):
    name = "arrival"
    codes = ("arrival-rest",)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        settings = plan.settings
        found: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        by_uid = {e.uid: e for e in events}
        activities: dict[str, list[Event]] = defaultdict(list)
        for event in events:
            if event.category == "activity" and event.timed:
                for person in event.attendees:
                    activities[person].append(event)
        for person, legs in sorted(account.timeline.legs.items()):
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
                title=event.called,
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
            yield Finding(
                "arrival-rest",
                "warning",
                message,
                events=(event.uid, leg.uid),
                people=tuple(people),
            )

    def admits(self, c: Candidate) -> Refusal | None:
        settings = c.plan.settings
        kind = c.task.activity.kind
        for person in c.task.attendees:
            for leg in c.context.long_haul:
                if person not in leg.attendees or leg.end is None:
                    continue
                broken = after_arrival(settings, leg.end, kind, c.local, c.end_local)
                if broken == "rest":
                    return Refusal(
                        Reason.ARRIVAL_REST, msg("arrival rest after {leg}", leg=leg.uid)
                    )
                if broken == "late":
                    return Refusal(
                        Reason.ARRIVAL_LATE,
                        msg("too late on the day of arrival ({leg})", leg=leg.uid),
                    )
        return None


class DailyLoad(Rule):
    name = "daily load"
    codes = ("long-day",)

    def constraints(self, settings: Settings) -> tuple[Link, ...]:
        limit = int(settings.max_work_per_day.total_seconds() // 60)
        return (DailyMax(Reason.DAILY_LOAD, limit),)

    def report(self, plan: Plan, events: list[Event], account: Whereabouts) -> Checks:
        """No delegate works more than the daily maximum (working kinds of appointment)."""
        (link,) = self.constraints(plan.settings)
        assert isinstance(link, DailyMax)
        load: dict[tuple[str, date], int] = defaultdict(int)
        for event in events:
            if event.category != "activity" or not event.timed:
                continue
            appointment = Commitment.of(event)
            if not link.counts(appointment):
                continue
            assert event.start is not None
            for person in event.attendees:
                load[(person, load_day(event.start))] += appointment.end - appointment.start
        days: dict[tuple[date, int], list[str]] = defaultdict(list)
        for (person, day), total in sorted(load.items()):
            if link.broken(total):
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
                    total=Duration(timedelta(minutes=total)),
                    day=Day(day),
                    limit=Duration(timedelta(minutes=link.limit)),
                ),
                day=day,
                people=tuple(people),
            )

    def admits(self, c: Candidate) -> Refusal | None:
        (link,) = self.constraints(c.plan.settings)
        assert isinstance(link, DailyMax)
        if not link.counts(c.task):
            return None
        for person in c.task.attendees:
            load = c.context.work.get((person, load_day(c.local)), 0)
            if link.broken(load + c.task.minutes):
                limit = Duration(timedelta(minutes=link.limit))
                return Refusal(
                    link.reason,
                    msg("{person} would work more than {limit}", person=person, limit=limit),
                )
        return None


RULES: tuple[Rule, ...] = (
    OfficeHours(),
    WakingHours(),
    Window(),
    TripDays(),
    Order(),
    Presence(),
    Busy(),
    Transfer(),
    Arrival(),
    DailyLoad(),
)
"""Every rule, in the order the scheduler asks them (the first that refuses a start
names the reason in explanations)."""


def refusal(candidate: Candidate) -> Refusal | None:
    """Why the first rule that refuses ``candidate`` does, or ``None`` when all admit it."""
    for rule in RULES:
        why = rule.admits(candidate)
        if why is not None:
            return why
    return None


def closed(task: Flexible, day: date) -> Refusal | None:
    """Why the first rule that admits no start of ``task`` on ``day`` does
    (:meth:`Rule.closes`), or ``None`` when the day's starts are each to be judged."""
    for rule in RULES:
        why = rule.closes(task, day)
        if why is not None:
            return why
    return None


def separation(links: tuple[Link, ...], a: Linked, b: Linked) -> NoOverlap | None:
    """The strictest :class:`NoOverlap` of ``links`` between two appointments (the largest
    gap; keeping it keeps every other), or None when they may overlap."""
    found = [link for link in links if isinstance(link, NoOverlap) and link.links(a, b)]
    return max(found, key=lambda link: link.gap) if found else None


def follows(links: tuple[Link, ...], later: Linked, earlier: Linked) -> bool:
    """Whether an :class:`After` of ``links`` makes ``later`` follow ``earlier``."""
    return any(isinstance(link, After) and link.links(later, earlier) for link in links)


def daily_limits(links: tuple[Link, ...]) -> tuple[DailyMax, ...]:
    """The daily maxima of ``links``."""
    return tuple(link for link in links if isinstance(link, DailyMax))


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


def overlaps(first: tuple[int, int], second: tuple[int, int], margin: int = 0) -> bool:
    """Whether two intervals (in any one unit) overlap, or come closer than ``margin``."""
    return first[0] < second[1] + margin and second[0] < first[1] + margin


def load_day(start: datetime) -> date:
    """The day an appointment counts to for the daily load: its local start day."""
    return start.date()
