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
from tripplan.models import WEEKDAYS, WORKING_KINDS, Community, Plan, Settings
from tripplan.planning.facts import (
    IN_TRANSIT,
    WEEKDAYS_DE,
    Place,
    Timeline,
    holiday,
    people_list,
    people_list_de,
    place_name,
    place_order,
    span,
    span_de,
    utc,
    venue_key,
    when,
    when_de,
    whereabouts,
    whereabouts_de,
    window_bounds,
)
from tripplan.timeutils import format_duration

if TYPE_CHECKING:
    from tripplan.planning.scheduler import Problem, Task

Checks = Iterator[Finding]
Why = tuple[str, str]
"""Why a start is not admitted, in English and in German (for the scheduler's explanations)."""


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
                reason, reason_de = "on a Sunday", "an einem Sonntag"
            elif why == "holiday":
                reason = f"on a public holiday in {community.name} ({name})"
                reason_de = (
                    f"an einem Feiertag in {community.name} ({holiday(community, day, 'de')})"
                )
            elif why == "closed":
                reason = f"on a {event.start:%A}, when {community.name} does not receive visitors"
                reason_de = (
                    f"an einem {WEEKDAYS_DE[day.weekday()]}, an dem {community.name} keine "
                    "Gäste empfängt"
                )
            elif why == "hours":
                hours_text = f"{hours.start:%H:%M}–{hours.end:%H:%M}"
                reason = f"outside the working hours of {community.name} ({hours_text})"
                reason_de = f"außerhalb der Arbeitszeiten von {community.name} ({hours_text})"
            else:
                continue
            yield Finding(
                "off-hours",
                "warning",
                f"'{event.title}' ({event.uid}) is {reason}: {when(event.start)}. Move it, or set "
                "off_hours_ok = true if the hosts agreed.",
                (event.uid,),
                de=f"'{event.title}' ({event.uid}) liegt {reason_de}: {when_de(event.start)}. "
                "Verschieben oder off_hours_ok = true setzen, wenn die Gastgeber zugestimmt haben.",
            )

    def admits(self, c: Candidate) -> Why | None:
        activity = c.task.activity
        community = c.plan.community(activity.community)
        day = c.local.date()
        name = holiday(community, day) if is_working(activity.kind) else None
        why = off_hours(community, activity.kind, activity.off_hours_ok, c.local, c.end_local, name)
        if why == "sunday":
            return "Sunday", "Sonntag"
        if why == "holiday":
            return f"public holiday ({name})", f"Feiertag ({holiday(community, day, 'de')})"
        if why == "closed":
            return (
                f"{c.local:%A}: no working day for the hosts",
                f"{WEEKDAYS_DE[c.local.weekday()]}: kein Arbeitstag der Gastgeber",
            )
        if why == "hours":
            hours = community.working_hours
            span_text = f"{hours.start:%H:%M}–{hours.end:%H:%M}"
            return (
                f"outside working hours ({span_text})",
                f"außerhalb der Arbeitszeit ({span_text})",
            )
        return None


class WakingHours(Rule):
    name = "waking hours"
    codes = ("at-night",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Placed flexible activities stay in their window and after what they build on."""
        by_uid = {e.uid: e for e in events}
        for trip in plan.trips:
            for activity in trip.activities:
                uid = uid_of(trip.id, activity.id)
                event = by_uid[uid]
                if not event.timed:
                    continue
                assert event.start is not None and event.end is not None
                if activity.is_flexible and at_night(event.start, event.end):
                    first_hour, last_hour = (f"{t:%H:%M}" for t in WAKING_HOURS)
                    yield Finding(
                        "at-night",
                        "warning",
                        f"'{event.title}' ({uid}) is placed at {when(event.start)}, outside "
                        f"{first_hour}–{last_hour}, where 'tripplan plan' places flexible "
                        "activities; run 'tripplan plan --write' to place it again.",
                        (uid,),
                        de=f"'{event.title}' ({uid}) liegt {when_de(event.start)}, außerhalb von "
                        f"{first_hour}–{last_hour}, wo 'tripplan plan' flexible Aktivitäten "
                        "einplant; 'tripplan plan --write' plant es neu ein.",
                    )

    def admits(self, c: Candidate) -> Why | None:
        if not at_night(c.local, c.end_local):
            return None
        first, last = WAKING_HOURS
        text = f"{first:%H:%M}–{last:%H:%M}"
        return f"at night (outside {text})", f"nachts (außerhalb {text})"


class Window(Rule):
    name = "window"
    codes = ("outside-window",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Placed flexible activities stay in their window and after what they build on."""
        by_uid = {e.uid: e for e in events}
        for trip in plan.trips:
            for activity in trip.activities:
                uid = uid_of(trip.id, activity.id)
                event = by_uid[uid]
                if not event.timed:
                    continue
                assert event.start is not None and event.end is not None
                if activity.is_flexible:
                    first, last = window_bounds(plan, activity)
                    if utc(event.start) < first or utc(event.end) > last:
                        yield Finding(
                            "outside-window",
                            "error",
                            f"'{event.title}' ({uid}) is placed at {when(event.start)}, "
                            "outside its "
                            "window; run 'tripplan plan --write' to place it again.",
                            (uid,),
                            de=f"'{event.title}' ({uid}) liegt {when_de(event.start)}, außerhalb "
                            "seines Zeitfensters; 'tripplan plan --write' plant es neu ein.",
                        )

    def admits(self, c: Candidate) -> Why | None:
        first, last = c.window
        if not (first <= c.start and c.end <= last):
            return "outside the activity's window", "außerhalb des Zeitfensters"
        if c.end_local.date() > c.task.trip.last_day:
            return "after the trip's last day", "nach dem letzten Reisetag"
        return None


class Order(Rule):
    name = "order"
    codes = ("out-of-order",)

    def report(self, plan: Plan, events: list[Event], timeline: Timeline) -> Checks:
        """Placed flexible activities stay in their window and after what they build on."""
        by_uid = {e.uid: e for e in events}
        for trip in plan.trips:
            for activity in trip.activities:
                uid = uid_of(trip.id, activity.id)
                event = by_uid[uid]
                if not event.timed:
                    continue
                assert event.start is not None and event.end is not None
                for before_id in activity.after:
                    before = by_uid[uid_of(trip.id, before_id)]
                    if before.end is not None and utc(before.end) > utc(event.start):
                        yield Finding(
                            "out-of-order",
                            "error",
                            f"'{event.title}' ({uid}) starts {when(event.start)}, before "
                            f"'{before.title}' ({before.uid}) ends at {when(before.end)}, which it "
                            "must follow.",
                            (uid, before.uid),
                            de=f"'{event.title}' ({uid}) beginnt {when_de(event.start)}, bevor "
                            f"'{before.title}' ({before.uid}) {when_de(before.end)} endet, auf das "
                            "es folgen soll.",
                        )

    def admits(self, c: Candidate) -> Why | None:
        for before_end, before_what in c.task.fixed_before:
            if c.start < before_end:
                return f"before {before_what} ends", f"bevor {before_what} endet"
        for after_start, after_what in c.task.fixed_after:
            if c.end > after_start:
                return f"after {after_what} begins", f"nachdem {after_what} beginnt"
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
                    f"'{event.title}' ({event.uid}) is in {place_name(plan, event.community)} "
                    f"at {when(event.start)}, but {people_list(people)} "
                    f"{'is' if len(people) == 1 else 'are'} {whereabouts(plan, place)} then. "
                    "Add or move a travel leg, or change the participants.",
                    (event.uid, *people),
                    de=f"'{event.title}' ({event.uid}) findet {when_de(event.start)} in "
                    f"{place_name(plan, event.community)} statt, aber {people_list_de(people)} "
                    f"{'ist' if len(people) == 1 else 'sind'} dann "
                    f"{whereabouts_de(plan, place)}. Eine "
                    "Reise ergänzen oder verschieben oder die Teilnehmenden ändern.",
                )

    def admits(self, c: Candidate) -> Why | None:
        if not needs_presence(c.task.activity.kind):
            return None
        for person in c.task.attendees:
            place, leg = c.timeline.where(c.plan, person, c.local)
            if place is IN_TRANSIT:
                assert leg is not None
                return f"{person} is travelling ({leg.uid})", f"{person} ist unterwegs ({leg.uid})"
            if place != c.task.activity.community:
                name = place_name(c.plan, place)
                return f"{person} is in {name}", f"{person} ist in {name}"
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
                f"{people_list(people)} would be in two places at once: '{first.title}' "
                f"({span(first.start, first.end)}) overlaps '{second.title}' "
                f"({span(second.start, second.end)}). Move one of them.",
                (first.uid, second.uid, *people),
                de=f"{people_list_de(people)} wären zur selben Zeit an zwei Orten: '{first.title}' "
                f"({span_de(first.start, first.end)}) überschneidet sich mit '{second.title}' "
                f"({span_de(second.start, second.end)}). Einen der beiden Termine verschieben.",
            )
        if work > MAX_OVERLAP_WORK or len(clashes) > MAX_CLASHES_LISTED:
            listed = min(len(clashes), MAX_CLASHES_LISTED)
            yield Finding(
                "double-booked-more",
                "error",
                f"more events overlap for the same people than tripplan lists: the first {listed} "
                "overlapping pairs are shown, the rest were not searched. Fix those, or check "
                "whether the times were entered in the wrong zone, then check again.",
                (),
                de="Für dieselben Personen überschneiden sich mehr Termine als tripplan "
                "auflistet: "
                f"die ersten {listed} Paare stehen oben, die übrigen wurden nicht gesucht. Diese "
                "beheben oder prüfen, ob die Zeiten in der falschen Zeitzone eingetragen sind, "
                "dann "
                "erneut prüfen.",
            )

    def admits(self, c: Candidate) -> Why | None:
        if not c.task.busy:
            return None
        for person in c.task.attendees:
            for busy_start, busy_end, venue, what in c.problem.fixed_busy.get(person, ()):
                if not overlaps((c.start, c.end), (busy_start, busy_end)):
                    continue
                if venue is None and busy_start >= c.start:  # a leg: what is its uid
                    return f"{person} leaves on {what}", f"{person} reist mit {what} ab"
                if venue is None:
                    return f"{person} is travelling ({what})", f"{person} ist unterwegs ({what})"
                return f"{person} is busy ({what})", f"{person} hat einen Termin ({what})"
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
                f"{people_list(people)} {'has' if len(people) == 1 else 'have'} only "
                f"{format_duration(gap)} from '{one.title}' (ends {when(one.end)}) to "
                f"'{two.title}' at another venue; allow at least "
                f"{format_duration(buffer)} to get there.",
                (first, second, *people),
                de=f"{people_list_de(people)} {'hat' if len(people) == 1 else 'haben'} nur "
                f"{format_duration(gap)} von '{one.title}' (endet {when_de(one.end)}) bis "
                f"'{two.title}' an einem anderen Ort; mindestens {format_duration(buffer)} für den "
                "Weg einplanen.",
            )

    def admits(self, c: Candidate) -> Why | None:
        if not c.task.busy:
            return None
        for person in c.task.attendees:
            for busy_start, busy_end, venue, what in c.problem.fixed_busy.get(person, ()):
                if venue is None or venue == c.task.venue:
                    continue  # a leg, or the same venue: no way to go
                if overlaps((c.start, c.end), (busy_start, busy_end), c.problem.buffer):
                    return f"{person} is busy ({what})", f"{person} hat einen Termin ({what})"
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
            lands = (
                f"{people_list(people)} {'lands' if len(people) == 1 else 'land'} at "
                f"{when(leg.end)}"
            )
            lands_de = (
                f"{people_list_de(people)} {'landet' if len(people) == 1 else 'landen'} "
                f"{when_de(leg.end)} nach einem Langstreckenflug ({leg.uid})"
            )
            rest = format_duration(settings.arrival_rest)
            latest = f"{settings.arrival_day_latest:%H:%M}"
            if reason == "rest":
                message = (
                    f"{lands} after a long-haul flight ({leg.uid}); '{event.title}' at "
                    f"{when(event.start)} leaves less than {rest} of rest. Move it later."
                )
                message_de = (
                    f"{lands_de}; '{event.title}' um {when_de(event.start)} lässt weniger als "
                    f"{rest} Ruhe. Später legen."
                )
            else:
                message = (
                    f"{lands} after a long-haul flight ({leg.uid}); '{event.title}' ends at "
                    f"{when(event.end)}, after {latest} on the day of arrival. End it earlier or "
                    "move it to the next day."
                )
                message_de = (
                    f"{lands_de}; '{event.title}' endet {when_de(event.end)}, nach {latest} am "
                    "Ankunftstag. Früher beenden oder auf den nächsten Tag legen."
                )
            yield Finding(
                "arrival-rest", "warning", message, (event.uid, leg.uid, *people), de=message_de
            )

    def admits(self, c: Candidate) -> Why | None:
        settings = c.plan.settings
        kind = c.task.activity.kind
        for person in c.task.attendees:
            for leg in c.long_haul:
                if person not in leg.attendees or leg.end is None:
                    continue
                broken = after_arrival(settings, leg.end, kind, c.local, c.end_local)
                if broken == "rest":
                    return f"arrival rest after {leg.uid}", f"Ankunftsruhe nach {leg.uid}"
                if broken == "late":
                    return (
                        f"too late on the day of arrival ({leg.uid})",
                        f"zu spät am Ankunftstag ({leg.uid})",
                    )
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
                f"{people_list(people)} would work {format_duration(total)} on {day:%d %b %Y}, "
                "more "
                f"than the {format_duration(limit)} a day the plan allows. Move something to "
                "another day.",
                (f"{day.isoformat()}", *people),
                de=f"{people_list_de(people)} {'würde' if len(people) == 1 else 'würden'} am "
                f"{day:%d.%m.%Y} {format_duration(total)} arbeiten, mehr als die "
                f"{format_duration(limit)} pro Tag, die der Plan erlaubt. Etwas auf einen anderen "
                "Tag verschieben.",
            )

    def admits(self, c: Candidate) -> Why | None:
        if not c.task.working:
            return None
        for person in c.task.attendees:
            load = c.problem.fixed_load.get((person, load_day(c.local)), 0)
            if load + c.task.minutes > c.problem.max_load:
                limit = format_duration(timedelta(minutes=c.problem.max_load))
                return (
                    f"{person} would work more than {limit}",
                    f"{person} würde mehr als {limit} arbeiten",
                )
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
