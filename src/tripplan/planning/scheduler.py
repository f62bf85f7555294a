"""Place flexible activities: an exact search on a 15-minute grid, with honest answers.

Interface (small on purpose, so a stronger solver can be plugged in later):

- :func:`build_problem` turns a plan into a :class:`SchedulingProblem`: one :class:`Task`
  per flexible activity, each with every start on the grid that every rule of :data:`rules.RULES`
  admits (its *domain*; the first rule that refuses a start gives the :class:`rules.Refusal`
  for explanations), and the constraints the rules state between tasks (``links``:
  no overlap with a gap for shared people, ``after``, the daily maximum), read by both
  solvers and by :func:`explain`.
- A solver is any callable ``(problem, deadline, max_nodes) -> Outcome``; :func:`search` is
  the built-in one: depth-first search with forward checking and branch and bound, on
  each independent part of the problem apart.
- :func:`schedule` runs both, explains infeasibility and compares with the last placements.

The rules are the same objects ``tripplan check`` reports with (:mod:`tripplan.planning.
rules`), so a schedule passes ``tripplan check``.

Objective, lexicographic, all in minutes so the result is exact and deterministic:

1. *preference*: minutes of each activity outside its preferred time of day
   (morning 08:00–12:00, afternoon 12:00–18:00, evening 18:00–22:00);
2. *evenness*: the sum over delegates and days of the squared daily load (15-minute units;
   the load is what the daily maximum counts, :meth:`rules.DailyMax.counts`, fixed
   appointments included: :attr:`rules.Context.work`), which is smallest when the load is
   spread evenly;
3. *idle gaps*: minutes between appointments within each delegate's day (on days with a
   flexible appointment; free time is no appointment here);
4. *change*: minutes each activity moves from where the last ``--write`` placed it.

"Optimal" is about these four terms. Schedules equal in all four are ties; each solver
breaks them in its own fixed way (the search keeps the first it finds, trying each
activity's starts by preference, load, move and then earliest; CP-SAT minimises the total
of the starts). The search is complete: within its work budget (``max_nodes``, counted,
so the same plan gives the same answer on every machine) it either proves the best
schedule optimal or proves that none exists; when the budget runs out first it says so
and returns the best schedule found, if any. The wall-clock
``time_limit`` is only an outer safety bound, and says so when it strikes.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
import time as clock
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from tripplan.itinerary import uid_of
from tripplan.messages import DayRange, Duration, Items, Message, Number, ShortDay, msg
from tripplan.models import Activity, Plan, Trip
from tripplan.planning import rules
from tripplan.planning.build import build_events
from tripplan.planning.facts import venue_key, window_bounds
from tripplan.planning.rules import Refusal
from tripplan.timeutils import LocalTimeError, days, localize, zone

GRID = timedelta(minutes=15)
PERIODS = {
    "morning": (time(8, 0), time(12, 0)),
    "afternoon": (time(12, 0), time(18, 0)),
    "evening": (time(18, 0), time(22, 0)),
}
Status = Literal["placed", "infeasible", "undecided", "nothing"]
OBJECTIVE = ("preference", "evenness", "idle_gaps", "change")
"""The names of the objective's four terms, in its order (see the module doc): the keys of
the JSON ``objective``, and what a progress display names proven (:func:`describe`, with
``ties``, the last phase of CP-SAT)."""


@dataclass(frozen=True, slots=True)
class Slot:
    """One possible start of a task: absolute minutes, local start and its day."""

    start: int
    end: int
    local: datetime
    day: date
    preference: int  # minutes outside the preferred period


@dataclass
class Task:
    uid: str
    trip: Trip
    activity: Activity
    attendees: tuple[str, ...]
    venue: tuple[str | None, str]
    minutes: int
    working: bool
    busy: bool  # keeps its people busy (free time does not)
    after: tuple[str, ...]  # uids
    previous: int | None  # start minute of the last placement
    fixed_before: tuple[tuple[int, str], ...] = ()  # (end, what) of fixed activities in `after`
    fixed_after: tuple[tuple[int, str], ...] = ()  # (start, what) of fixed ones that follow it
    slots: list[Slot] = field(default_factory=list)
    reasons: dict[date, list[tuple[Refusal, datetime]]] = field(default_factory=dict)
    closed: dict[date, Refusal] = field(default_factory=dict)  # days a rule refuses whole


@dataclass
class SchedulingProblem:
    plan: Plan
    tasks: list[Task]
    context: rules.Context  # everything fixed, as the rules read it (its ``work``: the
    # fixed daily load, which the daily maximum and the evenness term add to)
    links: tuple[rules.Link, ...]  # what the rules demand of two tasks or of a day
    fixed_by_day: dict[tuple[str, date], list[tuple[int, int]]]
    # per delegate and local day: (start, end) of fixed appointments, for idle gaps
    progress: Callable[[int, int, Message | str], None] | None = None
    # told (steps so far, budget, the best objective and what is proven) as a search runs


@dataclass
class Outcome:
    status: Literal["solved", "infeasible", "timeout", "budget"]
    assignment: dict[str, Slot]
    cost: tuple[int, int, int, int] | None
    optimal: bool
    nodes: int
    first_after: float | None = None  # seconds until the first schedule was found
    solver: str = "search"  # which answered: "search", "cp-sat", "auto" (both, in vain)


Solver = Callable[[SchedulingProblem, float, int], Outcome]
Explainer = Callable[[SchedulingProblem, float, int], tuple[list["Task"], bool]]
"""Finds a smallest set of tasks that cannot all be placed, and whether it is minimal."""
MAX_NODES = 300_000
"""The default work budget of a search: nodes of the search tree (a few seconds here)."""


# -- building the problem ---------------------------------------------------------------------


def build_problem(plan: Plan, deadline: float | None = None) -> SchedulingProblem:
    """Tasks with their domains, from everything fixed in the plan.

    Tasks that the rules cannot tell apart (same place, people, length, kind, window and
    trip) share one domain. Building stops with :class:`_Timeout` at ``deadline``
    (``time.monotonic()``), so that ``--time-limit`` bounds preparing the search too."""
    events = build_events(plan)  # the fixed appointments; the checks are not needed here
    flexible = {
        uid_of(t.id, a.id): (t, a) for t in plan.trips for a in t.activities if a.is_flexible
    }
    fixed = [e for e in events if e.timed and e.uid not in flexible]
    fixed_by_uid = {e.uid: e for e in fixed}
    context = rules.Context.of(plan, fixed)
    fixed_by_day: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for event in fixed:
        assert event.start is not None and event.end is not None
        if event.category == "travel" or not rules.busy(event.category, event.kind):
            continue
        span = (rules.minutes(event.start), rules.minutes(event.end))
        for person in event.attendees:
            fixed_by_day[(person, event.start.date())].append(span)
    problem = SchedulingProblem(
        plan=plan,
        tasks=[],
        context=context,
        links=rules.links(plan.settings),
        fixed_by_day=dict(fixed_by_day),
    )
    shared: dict[tuple[object, ...], Task] = {}
    for uid, (trip, activity) in flexible.items():
        assert activity.duration is not None
        task = Task(
            uid=uid,
            trip=trip,
            activity=activity,
            attendees=plan.travellers(trip, activity.participants),
            venue=venue_key(activity),
            minutes=int(activity.duration.total_seconds() // 60),
            working=rules.is_working(activity.kind),
            busy=rules.busy("activity", activity.kind),
            after=tuple(uid_of(trip.id, a) for a in activity.after),
            previous=(
                rules.minutes(plan.at(activity.placed, activity.community))
                if activity.placed is not None
                else None
            ),
            fixed_before=tuple(
                (rules.minutes(e.end), f"'{e.title}'")
                for before in activity.after
                if (e := fixed_by_uid.get(uid_of(trip.id, before))) is not None
                and e.end is not None
            ),
            fixed_after=tuple(
                (rules.minutes(e.start), f"'{e.title}'")
                for other in trip.activities
                if activity.id in other.after
                and (e := fixed_by_uid.get(uid_of(trip.id, other.id))) is not None
                and e.start is not None
            ),
        )
        twin_key = (  # everything a rule may read from the activity itself
            trip.id,
            activity.kind,
            activity.community,
            activity.off_hours_ok,
            activity.preferred,
            activity.window_start,
            activity.window_end,
            task.attendees,
            task.venue,
            task.minutes,
            task.working,
            task.fixed_before,
            task.fixed_after,
        )
        twin = shared.get(twin_key)
        if twin is None:
            _domain(problem, task, deadline)
            shared[twin_key] = task
        else:
            task.slots, task.reasons, task.closed = twin.slots, twin.reasons, twin.closed
            # read only from here on
        problem.tasks.append(task)
    return problem


def _domain(problem: SchedulingProblem, task: Task, deadline: float | None = None) -> None:
    """Every start on the grid of the window's days that every rule admits; for the others,
    the first reason (for a day a rule refuses whole, :func:`rules.closed`, once)."""
    plan = problem.plan
    activity = task.activity
    tz = zone(plan.community(activity.community).timezone)
    first_minute, last_minute = (rules.minutes(bound) for bound in window_bounds(plan, activity))
    first_day, last_day = activity.window_days()
    for day in days(first_day, last_day):
        shut = rules.closed(task, day)
        if shut is not None:
            task.closed[day] = shut
            continue
        if deadline is not None and clock.monotonic() > deadline:
            raise _Timeout
        reasons: list[tuple[Refusal, datetime]] = []
        wall = datetime.combine(day, time(0, 0))
        while wall.date() == day:
            try:
                local = localize(wall, tz)
            except LocalTimeError:
                wall += GRID
                continue
            start = rules.minutes(local)
            end = start + task.minutes
            end_local = datetime.fromtimestamp(end * 60, UTC).astimezone(tz)
            candidate = rules.Candidate(
                problem.context, task, local, end_local, start, end, (first_minute, last_minute)
            )
            reason = rules.refusal(candidate)
            if reason is None:
                task.slots.append(Slot(start, end, local, day, _preference(task, local, end)))
            else:
                reasons.append((reason, local))
            wall += GRID
        task.reasons[day] = reasons
    task.slots.sort(key=_start)  # in time order (the search cuts domains by bisection)


def _preference(task: Task, local: datetime, end: int) -> int:
    preferred = task.activity.preferred
    if preferred is None:
        return 0
    begin, finish = PERIODS[preferred]
    tz = local.tzinfo
    period_start = rules.minutes(datetime.combine(local.date(), begin, tz))
    period_end = rules.minutes(datetime.combine(local.date(), finish, tz))
    start = rules.minutes(local)
    inside = max(0, min(end, period_end) - max(start, period_start))
    return (end - start) - inside


# -- the search -------------------------------------------------------------------------------


class _Timeout(Exception):
    """The wall-clock safety bound struck."""


class _Budget(Exception):
    """The counted work budget ran out."""


@dataclass(frozen=True, slots=True)
class _Domain:
    """The starts a task may still take, with what the lower bound needs of them."""

    slots: list[Slot]
    preference: int  # the smallest preference penalty among them
    moved: int  # the smallest move from the last placement
    days: frozenset[date]

    @classmethod
    def of(cls, task: Task, slots: list[Slot]) -> _Domain:
        """``slots`` in time order: the least move is next to the last placement."""
        previous = task.previous
        moved = 0
        if previous is not None:
            k = bisect.bisect_left(slots, previous, key=_start)
            moved = min(abs(s.start - previous) for s in slots[max(k - 1, 0) : k + 1])
        preference = 0 if task.activity.preferred is None else min(map(_PREFERENCE, slots))
        return cls(slots, preference, moved, frozenset(map(_DAY, slots)))


_PREFERENCE = operator.attrgetter("preference")
_DAY = operator.attrgetter("day")


def _start(slot: Slot) -> int:
    return slot.start


LOAD_UNIT = 15
"""The evenness term counts a day's load in whole units of this many minutes."""


def evenness_cost(minutes: int) -> int:
    """What one person's day with ``minutes`` of load adds to the evenness term: its whole load
    units (:data:`LOAD_UNIT`), squared (convex: smallest when the load is spread evenly). The
    one definition of that cost, read by the search, its bounds and CP-SAT."""
    return (minutes // LOAD_UNIT) ** 2


def _water(load: dict[tuple[str, date], int], person: str, days: set[date], units: int) -> int:
    """The least increase of one person's evenness cost when ``units`` whole load units go
    to ``days``, split freely: each one onto the least loaded day (water-filling, exact for
    a convex cost). A lower bound of any placement of the whole tasks."""
    import heapq

    levels = [load[(person, day)] // LOAD_UNIT for day in days]
    heapq.heapify(levels)
    total = 0
    for _ in range(units):
        level = heapq.heappop(levels)
        total += evenness_cost((level + 1) * LOAD_UNIT) - evenness_cost(level * LOAD_UNIT)
        heapq.heappush(levels, level + 1)
    return total


def search(problem: SchedulingProblem, deadline: float, max_nodes: int = MAX_NODES) -> Outcome:
    """The built-in exact solver: each independent part of the problem on its own.

    Tasks that share no people and no ``after`` link cannot influence each other's cost
    (every term of the objective is a sum over tasks, people and days), so the best
    schedule of the whole is the best of each part, put together. Parts are solved in
    plan order; each gets an equal share of the budget that is left, and what one does not
    use passes on to the next."""
    parts = _parts(problem)
    if len(parts) == 1:
        return _search(problem, deadline, max_nodes)
    placed: dict[str, Slot] = {}
    used = 0
    optimal = True
    firsts: list[float] = []
    for number, part in enumerate(parts):
        share = (max_nodes - used) // (len(parts) - number)
        sub = replace(problem, tasks=part)
        outcome = _search(sub, deadline, max(share, 1))
        used += outcome.nodes
        if outcome.status != "solved":
            return Outcome(outcome.status, {}, None, False, used)
        placed.update(outcome.assignment)
        optimal = optimal and outcome.optimal
        if outcome.first_after is not None:
            firsts.append(outcome.first_after)
    slots = [placed[task.uid] for task in problem.tasks]
    return Outcome("solved", placed, _cost(problem, slots), optimal, used, sum(firsts))


def _parts(problem: SchedulingProblem) -> list[list[Task]]:
    """The tasks in groups that share no participant and no ``after`` link, in plan order."""
    tasks = problem.tasks
    group = list(range(len(tasks)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    owner: dict[str, int] = {}
    index = {t.uid: i for i, t in enumerate(tasks)}
    for i, task in enumerate(tasks):
        links = [owner.setdefault(person, i) for person in task.attendees]
        links += [index[u] for u in task.after if u in index]
        for j in links:
            group[root(j)] = root(i)
    parts: dict[int, list[Task]] = {}
    for i, task in enumerate(tasks):
        parts.setdefault(root(i), []).append(task)
    return list(parts.values())


def _search(problem: SchedulingProblem, deadline: float, max_nodes: int) -> Outcome:
    """Depth-first search with forward checking and branch and bound (see module doc).

    The bound is lexicographic over the whole objective, each term a true lower bound of
    every completion: preference and move each at their domain's best; the daily
    load adds, for every task still open, its cheapest increase of the sum of squares (the
    square is convex, so increases of tasks on one day add up to at most the joint one);
    idle time on a day can shrink at most by the minutes of the tasks that may still come
    that day. A node whose bound cannot beat the best schedule found is not expanded.
    Interchangeable tasks (same rules, same last placement) start in plan order, which
    removes their permutations and no schedule's cost; the order is not strict, since two
    that may overlap (free time) may start together."""
    tasks = problem.tasks
    index = {t.uid: i for i, t in enumerate(tasks)}
    n = len(tasks)
    links = problem.links  # what the rules demand of two tasks or of a day
    apart = [[rules.separation(links, a, b) for b in tasks] for a in tasks]
    limits = rules.daily_limits(links)
    counted = [rules.DailyMax.counts(t) for t in tasks]  # whether it adds to the daily load
    after = next((k for k in links if isinstance(k, rules.After)), rules.After())
    followed = {u for t in tasks for u in t.after}

    def interchangeable(a: Task, b: Task) -> bool:
        return (
            a.slots is b.slots  # the same rules (see build_problem)
            and a.previous == b.previous
            and a.after == b.after
            and a.uid not in followed
            and b.uid not in followed
        )

    twin_before = [
        [i < j and interchangeable(a, b) for j, b in enumerate(tasks)] for i, a in enumerate(tasks)
    ]
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for i, a in enumerate(tasks):
        for j, b in enumerate(tasks):
            if i != j and (
                apart[i][j] is not None
                or b.uid in a.after
                or a.uid in b.after
                or twin_before[i][j]
                or twin_before[j][i]
            ):
                neighbours[i].add(j)
    order_before: list[list[int]] = [
        [index[u] for u in t.after if u in index and rules.follows(links, t, tasks[index[u]])]
        for t in tasks
    ]
    assignment: list[Slot | None] = [None] * n
    load: dict[tuple[str, date], int] = defaultdict(int, problem.context.work)  # and placed
    evenness = [sum(evenness_cost(m) for m in load.values())]  # of `load`, kept current
    added: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)  # busy flexible
    best: list[tuple[tuple[int, int, int, int], list[Slot]]] = []  # (cost, slots in plan order)
    nodes = 0
    stopped: Literal["timeout", "budget"] | None = None
    began = clock.monotonic()
    first_after: list[float] = []

    def compatible(j: int, i: int, slot: Slot, current: list[Slot]) -> list[Slot] | None:
        """The starts task ``j`` keeps once task ``i`` starts at ``slot`` (None: all of
        them): what the constraints between them forbid (each says which starts it forbids,
        :meth:`rules.NoOverlap.forbidden`, :meth:`rules.After.forbidden_later`), and the
        order of interchangeable tasks, cut from ``j``'s starts (in time order) by bisection."""
        forbidden: list[tuple[float, float]] = []
        link = apart[j][i]
        minutes = tasks[j].minutes
        if link is not None:
            forbidden.append(link.forbidden((slot.start, slot.end), minutes))
        if i in order_before[j]:
            forbidden.append(after.forbidden_later(slot.end))
        if j in order_before[i]:
            forbidden.append(after.forbidden_earlier(slot.start, minutes))
        if twin_before[i][j]:  # j starts no earlier than i (at the same time, if both may)
            forbidden.append((-math.inf, slot.start))
        if twin_before[j][i]:  # j starts no later than i
            forbidden.append((slot.start + 1, math.inf))
        if not forbidden:
            return None
        kept: list[Slot] = []
        position = 0
        for low, high in sorted(forbidden):
            first = bisect.bisect_left(current, low, key=_start)
            if first > position:
                kept.extend(current[position:first])
            position = max(position, bisect.bisect_left(current, high, key=_start))
        kept.extend(current[position:])
        return kept

    def increase(i: int, day: date) -> int:
        """How much task ``i`` on ``day`` adds to the sum of squared daily loads."""
        task = tasks[i]
        if not counted[i]:
            return 0
        total = 0
        for person in task.attendees:
            before = load[(person, day)]
            total += evenness_cost(before + task.minutes) - evenness_cost(before)
        return total

    def fits_load(i: int, slot: Slot) -> bool:
        """Whether every daily maximum admits task ``i`` on the day of ``slot`` (``load`` is
        the minutes of each person and day that :meth:`rules.DailyMax.counts`)."""
        task = tasks[i]
        return not any(
            limit.counts(task) and limit.broken(load[(person, slot.day)] + task.minutes)
            for limit in limits
            for person in task.attendees
        )

    def place(i: int, slot: Slot, sign: int) -> None:
        task = tasks[i]
        if counted[i]:
            for person in task.attendees:
                key = (person, slot.day)
                evenness[0] -= evenness_cost(load[key])
                load[key] += sign * task.minutes
                evenness[0] += evenness_cost(load[key])
        if task.busy:
            for person in task.attendees:
                if sign > 0:
                    added[(person, slot.day)].append((slot.start, slot.end))
                else:
                    added[(person, slot.day)].remove((slot.start, slot.end))

    def lower_bound(remaining: list[_Domain | None]) -> tuple[int, int, int, int, int]:
        """(preference, load, idle, moves) at least, and the load bound's part of open
        tasks each on its cheapest day (for the children's bounds)."""
        preference = moved = 0
        each = 0  # every open task on its cheapest day, as if alone
        fill: dict[tuple[str, date], int] = defaultdict(int)
        units: dict[str, int] = defaultdict(int)  # per person: open load units (LOAD_UNIT)
        days: dict[str, set[date]] = defaultdict(set)  # ... and the days they may go to
        for i, slot in enumerate(assignment):
            task = tasks[i]
            if slot is not None:
                preference += slot.preference
                if task.previous is not None:
                    moved += abs(slot.start - task.previous)
                continue
            domain = remaining[i]
            assert domain is not None
            preference += domain.preference
            moved += domain.moved
            if counted[i]:
                each += min(increase(i, day) for day in domain.days)
                for person in task.attendees:
                    units[person] += task.minutes // LOAD_UNIT
                    days[person] |= domain.days
            if task.busy:
                for person in task.attendees:
                    for day in domain.days:
                        fill[(person, day)] += task.minutes
        gaps = 0
        for key, mine in added.items():
            if mine:
                gaps += max(0, _idle(mine + problem.fixed_by_day.get(key, [])) - fill.get(key, 0))
        together = sum(_water(load, person, days[person], units[person]) for person in units)
        return preference, evenness[0] + max(each, together), gaps, moved, each

    def recurse(remaining: list[_Domain | None], depth: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > max_nodes:
            raise _Budget
        if problem.progress is not None and nodes % 4096 == 0:
            problem.progress(nodes, max_nodes, describe(best[0][0], ()) if best else "")
        if nodes % 256 == 0 and clock.monotonic() > deadline:
            raise _Timeout
        if depth == n:
            slots = [s for s in assignment if s is not None]
            value = _cost(problem, slots)
            if not best or value < best[0][0]:  # ties: the first found stays
                best[:] = [(value, list(slots))]
                if problem.progress is not None:
                    problem.progress(nodes, max_nodes, describe(value, proven=()))
                if not first_after:
                    first_after.append(clock.monotonic() - began)
            return
        bound = lower_bound(remaining) if best else None
        if bound is not None and bound[:4] >= best[0][0]:
            return  # no completion of this node beats the best schedule found
        # Most constrained task first; ties in plan order.
        i = min(
            (k for k in range(n) if assignment[k] is None),
            key=lambda k: (len(remaining[k].slots), k),  # type: ignore[union-attr]
        )
        domain = remaining[i]
        assert domain is not None
        previous = tasks[i].previous
        cheapest = {day: increase(i, day) for day in domain.days}
        least = min(cheapest.values())

        def key(s: Slot) -> tuple[int, int, int, int]:
            moved = abs(s.start - previous) if previous is not None else 0
            return (s.preference, cheapest[s.day], moved, s.start)

        for slot in sorted(domain.slots, key=key):
            if bound is not None and best:
                # The child's bound: this task's own terms exactly, the others as here. It
                # grows in the order the slots are tried, so once it cannot win, none can.
                own = key(slot)
                child = (
                    bound[0] - domain.preference + own[0],
                    evenness[0] + bound[4] - least + own[1],
                    bound[2],
                    bound[3] - domain.moved + own[2],
                )
                if child >= best[0][0]:
                    break
            if not fits_load(i, slot):
                continue
            assignment[i] = slot
            place(i, slot, +1)
            pruned = list(remaining)
            pruned[i] = None
            ok = True
            for j in neighbours[i]:
                current = remaining[j]
                if assignment[j] is None and current is not None:
                    kept = compatible(j, i, slot, current.slots)
                    if kept is None:
                        continue
                    if not kept:
                        ok = False
                        break
                    if len(kept) != len(current.slots):
                        pruned[j] = _Domain.of(tasks[j], kept)
            if ok:
                recurse(pruned, depth + 1)
            place(i, slot, -1)
            assignment[i] = None

    try:
        if all(t.slots for t in tasks):
            recurse([_Domain.of(t, t.slots) for t in tasks], 0)
    except _Budget:
        stopped = "budget"
        nodes = max_nodes
    except _Timeout:
        stopped = "timeout"
    if best:
        _, slots = best[0]
        placed = {task.uid: slot for task, slot in zip(tasks, slots, strict=True)}
        return Outcome(
            "solved", placed, _cost(problem, slots), stopped is None, nodes, first_after[0]
        )
    return Outcome(stopped or "infeasible", {}, None, False, nodes)


def _evenness(problem: SchedulingProblem, slots: list[Slot]) -> int:
    load: dict[tuple[str, date], int] = defaultdict(int, problem.context.work)
    for task, slot in zip(problem.tasks, slots, strict=True):
        if rules.DailyMax.counts(task):
            for person in task.attendees:
                load[(person, slot.day)] += task.minutes
    return sum(evenness_cost(minutes) for minutes in load.values())


def _idle(intervals: list[tuple[int, int]]) -> int:
    """Minutes between consecutive appointments of one person's day (the idle-gap term)."""
    ordered = sorted(intervals)
    return sum(max(0, start - end) for (_, end), (start, _) in itertools.pairwise(ordered))


def _cost(problem: SchedulingProblem, slots: list[Slot]) -> tuple[int, int, int, int]:
    tasks = problem.tasks
    preference = sum(s.preference for s in slots)
    evenness = _evenness(problem, slots)
    added: dict[tuple[str, date], list[tuple[int, int]]] = defaultdict(list)
    for task, slot in zip(tasks, slots, strict=True):
        if not task.busy:
            continue  # free time may overlap anything; it is no appointment to wait for
        for person in task.attendees:
            added[(person, slot.day)].append((slot.start, slot.end))
    gaps = sum(_idle(mine + problem.fixed_by_day.get(key, [])) for key, mine in added.items())
    change = sum(
        abs(slot.start - task.previous)
        for task, slot in zip(tasks, slots, strict=True)
        if task.previous is not None
    )
    return preference, evenness, gaps, change


# -- the whole run ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    uid: str
    trip: str  # the trip's id
    item: str  # the activity's id
    title: str
    start: datetime
    end: datetime
    previous: datetime | None

    @property
    def change(self) -> str:
        if self.previous is None:
            return "new"
        if self.previous == self.start:
            return "unchanged"
        return "moved"


@dataclass(frozen=True, slots=True)
class ExplanationLine:
    """One line of an explanation: the reason codes of the refusals and ties it names, in
    the order it first names them (none for a line that names none), and what it says,
    translated when rendered."""

    reasons: tuple[rules.Reason, ...]
    message: Message


def said(message: Message, reasons: Sequence[rules.Reason] = ()) -> ExplanationLine:
    """A line of an explanation: ``message``, with each of ``reasons`` once."""
    return ExplanationLine(tuple(dict.fromkeys(reasons)), message)


@dataclass(frozen=True)
class Result:
    status: Status
    placements: tuple[Placement, ...]
    optimal: bool
    cost: tuple[int, int, int, int] | None
    explanation: tuple[ExplanationLine, ...]
    nodes: int
    elapsed: float
    first_after: float | None = None
    solver: str = "search"  # which answered: "search", "cp-sat", "auto" (both, in vain)


def describe(cost: tuple[int, ...], proven: Sequence[str]) -> Message:
    """The running best objective as a progress display shows it, a message translated
    there: ``best: preference 0, evenness 15,765, idle 30, moves 0 · proven: preference``.
    ``proven`` names the terms proven optimal so far (empty: none), of :data:`OBJECTIVE`
    and ``ties``."""
    labels = (msg("preference"), msg("evenness"), msg("idle"), msg("moves"), msg("ties"))
    terms = dict(zip((*OBJECTIVE, "ties"), labels, strict=True))
    best = Items(
        tuple(
            msg("{term} {value}", term=term, value=Number(value))
            for term, value in zip(terms.values(), cost, strict=False)
        )
    )
    if not proven:
        return msg("best: {terms}", terms=best)
    done = Items(tuple(terms[name] for name in proven))
    return msg("best: {terms} · proven: {proven}", terms=best, proven=done)


def solver_name(solver: str) -> Message | str:
    """The solver that answered (``Outcome.solver``) as a sentence names it: the built-in
    search, CP-SAT, or for ``auto`` when neither found a schedule, both."""
    if solver == "search":
        return msg("the built-in search")
    if solver == "auto":
        return msg("the built-in search or CP-SAT")
    return "CP-SAT" if solver == "cp-sat" else solver


def schedule(
    plan: Plan,
    *,
    time_limit: float = 60.0,
    max_nodes: int = MAX_NODES,
    solver: Solver | None = None,
    progress: Callable[[int, int, Message | str], None] | None = None,
    explainer: Explainer | None = None,
) -> Result:
    """Place every flexible activity of ``plan`` (see the module doc for rules and objective).
    When it is infeasible, ``explainer`` names the activities that conflict (default: the
    deletion filter of :func:`smallest_conflict` with ``solver``)."""
    began = clock.monotonic()
    deadline = began + time_limit
    try:
        problem = build_problem(plan, deadline)
    except _Timeout:
        return Result(
            "undecided",
            (),
            False,
            None,
            (
                said(
                    msg(
                        "The time limit ({seconds} s) ran out while the possible times of the "
                        "activities were being worked out, before the search began. Give it "
                        "more time with --time-limit, or narrow the windows.",
                        seconds=f"{time_limit:g}",
                    )
                ),
            ),
            0,
            clock.monotonic() - began,
        )
    if not problem.tasks:
        return Result("nothing", (), True, None, (), 0, 0.0)
    problem.progress = progress
    solve = solver or search
    outcome = solve(problem, deadline, max_nodes)
    name = outcome.solver
    if outcome.status == "solved":
        placements = tuple(_placement(task, outcome.assignment[task.uid]) for task in problem.tasks)
        return Result(
            "placed",
            placements,
            outcome.optimal,
            outcome.cost,
            (),
            outcome.nodes,
            clock.monotonic() - began,
            outcome.first_after,
            solver=name,
        )
    if outcome.status == "budget":
        return Result(
            "undecided",
            (),
            False,
            None,
            (
                said(
                    msg(
                        "The work budget ({steps} steps) ran out before {solver} found a "
                        "schedule or proved that none exists. Give it more with --max-nodes, "
                        "or widen windows.",
                        steps=Number(max_nodes),
                        solver=solver_name(name),
                    )
                ),
            ),
            outcome.nodes,
            clock.monotonic() - began,
            solver=name,
        )
    if outcome.status == "timeout":
        return Result(
            "undecided",
            (),
            False,
            None,
            (
                said(
                    msg(
                        "The time limit ({seconds} s) ran out before {solver} found a schedule "
                        "or proved that none exists. Give it more time with --time-limit, or "
                        "widen windows.",
                        seconds=f"{time_limit:g}",
                        solver=solver_name(name),
                    )
                ),
            ),
            outcome.nodes,
            clock.monotonic() - began,
            solver=name,
        )
    budget = max(max_nodes // 10, 1_000)
    if explainer is not None:
        core, proven = explainer(problem, deadline, budget)
    else:
        core, proven = smallest_conflict(problem, solve, deadline, budget)
    return Result(
        "infeasible",
        (),
        False,
        None,
        explain(problem, core, proven),
        outcome.nodes,
        clock.monotonic() - began,
        solver=name,
    )


def _placement(task: Task, slot: Slot) -> Placement:
    tz = slot.local.tzinfo
    previous = None
    if task.previous is not None:
        previous = datetime.fromtimestamp(task.previous * 60, UTC).astimezone(tz)
    return Placement(
        uid=task.uid,
        trip=task.trip.id,
        item=task.activity.id,
        title=task.activity.title,
        start=slot.local,
        end=datetime.fromtimestamp(slot.end * 60, UTC).astimezone(tz),
        previous=previous,
    )


# -- explanations ----------------------------------------------------------------------------


def smallest_conflict(
    problem: SchedulingProblem, solve: Solver, deadline: float, max_nodes: int
) -> tuple[list[Task], bool]:
    """The smallest set of tasks found that cannot all be placed, and whether it is proven
    minimal (deletion: drop each task whose removal leaves the rest infeasible; each trial
    search gets ``max_nodes``, so the answer does not depend on the machine)."""
    lonely = [t for t in problem.tasks if not t.slots]
    if lonely:
        return lonely, True
    core = list(problem.tasks)
    proven = True
    for task in list(core):
        trial = [t for t in core if t is not task]
        if not trial:
            continue
        sub = replace(problem, tasks=trial, progress=None)
        outcome = solve(sub, deadline, max_nodes)
        if outcome.status == "infeasible":
            core = trial
        elif outcome.status in ("timeout", "budget"):
            proven = False
    return core, proven


def explain(
    problem: SchedulingProblem, core: list[Task], proven: bool
) -> tuple[ExplanationLine, ...]:
    """Why the tasks of ``core`` cannot all be placed, in terms a coordinator can act on,
    each line with the reason codes it names."""
    if all(not t.slots for t in core):
        return tuple(_alone(problem, task) for task in core)
    if proven:
        head = msg("These {n} activities cannot all be placed together:", n=len(core))
    else:
        head = msg(
            "These {n} activities cannot all be placed together (the smallest set found within "
            "the time limit):",
            n=len(core),
        )
    lines = [said(head)]
    for task in core:
        lines.append(
            said(
                msg(
                    "- {need}; on its own it could start {starts}.",
                    need=_need(problem, task),
                    starts=_ranges(task),
                )
            )
        )
    ties = _ties(problem, core)
    if ties:
        tied = Items(tuple(message for _, message in ties), "; ")
        lines.append(said(msg("They are tied by: {rules}.", rules=tied), [r for r, _ in ties]))
    return tuple(lines)


def _need(problem: SchedulingProblem, task: Task) -> Message:
    first, last = task.activity.window_days()
    return msg(
        "'{title}' ({uid}) needs {duration} on {days} in {place}",
        title=task.activity.title,
        uid=task.uid,
        duration=Duration(timedelta(minutes=task.minutes)),
        days=ShortDay(first) if first == last else DayRange(first, last),
        place=problem.plan.community(task.activity.community).name,
    )


def _alone(problem: SchedulingProblem, task: Task) -> ExplanationLine:
    parts: list[Message] = []
    named: list[rules.Reason] = []  # the reasons said, in order
    for day, reasons in sorted(task.reasons.items()):
        if not reasons:
            continue
        spans: list[tuple[Refusal, datetime, datetime]] = []
        for why, local in reasons:
            if spans and spans[-1][0] == why and local - spans[-1][2] == GRID:
                spans[-1] = (why, spans[-1][1], local)
            else:
                spans.append((why, local, local))
        shown = [
            (why, a, b)
            for why, a, b in spans
            if not (why.reason in rules.EDGES_OF_THE_DAY and len(spans) > 1)
        ] or [spans[0]]
        named.extend(why.reason for why, _, _ in shown)
        summary = tuple(
            msg("{reason} (starts {first}–{last})", reason=why.message, first=f"{a:%H:%M}",
                last=f"{b:%H:%M}")
            if a != b
            else msg("{reason} (starts {first})", reason=why.message, first=f"{a:%H:%M}")
            for why, a, b in shown
        )  # fmt: skip
        parts.append(msg("{day}: {reasons}", day=ShortDay(day), reasons=Items(summary)))
    shut: list[tuple[Refusal, list[date]]] = []  # days refused whole, by the refusal
    for day, why in sorted(task.closed.items()):
        same = next((listed for other, listed in shut if other == why), None)
        if same is None:
            shut.append((why, [day]))
        else:
            same.append(day)
    for why, listed in shut:
        named.append(why.reason)
        shown_days = Items(tuple(ShortDay(d) for d in listed))
        parts.append(msg("{days}: {reason}", days=shown_days, reason=why.message))
    return said(
        msg(
            "{need}, but no start works — {reasons}.",
            need=_need(problem, task),
            reasons=Items(tuple(parts), "; "),
        ),
        named,
    )


def _ranges(task: Task) -> Items:
    by_day: dict[date, list[Slot]] = defaultdict(list)
    for slot in task.slots:
        by_day[slot.day].append(slot)
    parts = []
    for day, slots in sorted(by_day.items()):
        runs: list[list[Slot]] = []
        for slot in slots:
            if runs and timedelta(minutes=slot.start - runs[-1][-1].start) == GRID:
                runs[-1].append(slot)
            else:
                runs.append([slot])
        spans = ", ".join(
            f"{run[0].local:%H:%M}"
            if len(run) == 1
            else f"{run[0].local:%H:%M}–{run[-1].local:%H:%M}"
            for run in runs
        )
        parts.append(msg("{day} {times}", day=ShortDay(day), times=spans))
    return Items(tuple(parts), "; ")


def _ties(problem: SchedulingProblem, core: list[Task]) -> list[tuple[rules.Reason, Message]]:
    """What ties the tasks of ``core`` together: each constraint of ``problem.links`` that
    holds between two of them (the largest gap for a pair), and the daily maxima that count
    one of them, each with its reason code and said by it."""
    links = problem.links
    found = []
    for i, a in enumerate(core):
        for b in core[i + 1 :]:
            link = rules.separation(links, a, b)
            if link is not None:
                found.append(_tie(link, a.activity.id, b.activity.id))
            for later, earlier in ((a, b), (b, a)):
                found.extend(
                    _tie(link, later.activity.id, earlier.activity.id)
                    for link in links
                    if isinstance(link, rules.After) and link.links(later, earlier)
                )
    found.extend(
        _tie(link, "", "")
        for link in rules.daily_limits(links)
        if any(link.counts(task) for task in core)
    )
    return found


def _apart(first: str, second: str, gap: int) -> Message:
    if gap == 0:
        return msg(
            "{first} and {second} share participants and cannot overlap",
            first=first,
            second=second,
        )
    return msg(
        "{first} and {second} share participants and need {gap} between venues",
        first=first,
        second=second,
        gap=Duration(timedelta(minutes=gap)),
    )


def _tie(link: rules.Link, first: str, second: str) -> tuple[rules.Reason, Message]:
    """One constraint that ties activities: its reason code, and what it says by it."""
    match link.reason:
        case rules.Reason.ORDER:
            message = msg("{later} must come after {earlier}", later=first, earlier=second)
        case rules.Reason.DAILY_LOAD:
            assert isinstance(link, rules.DailyMax)
            limit = Duration(timedelta(minutes=link.limit))
            message = msg("nobody works more than {limit} a day", limit=limit)
        case _:
            assert isinstance(link, rules.NoOverlap)
            message = _apart(first, second, link.gap)
    return link.reason, message
