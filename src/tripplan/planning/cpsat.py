"""An exact solver for larger plans: Google OR-Tools' CP-SAT, behind the scheduler's
``Solver`` interface (install with ``pip install 'tripplan[solver]'``; imported only here).

It solves the very :class:`~tripplan.planning.scheduler.SchedulingProblem` the built-in
search solves: every rule about a single activity is already in each task's domain (its
possible starts, worked out with :mod:`tripplan.planning.rules`); the model adds the
constraints the rules state between activities (``problem.links``: ``NoOverlap`` with its
gap, ``After``, ``DailyMax`` per person and day) and the same lexicographic objective (the
scheduler's ``evenness_cost`` included), minimised one term after the other. The cost it
reports is computed by the scheduler's own ``_cost``.

It runs single-threaded with a fixed seed and a budget of *deterministic time* derived from
``max_nodes``, so the same plan gives the same answer on every machine; the wall-clock
deadline is only the outer safety bound.
"""

from __future__ import annotations

import time as clock
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tripplan.errors import UsageError
from tripplan.messages import msg
from tripplan.planning import rules, scheduler
from tripplan.planning.scheduler import (
    LOAD_UNIT,
    MAX_NODES,
    OBJECTIVE,
    Explainer,
    Outcome,
    SchedulingProblem,
    Slot,
    Solver,
    Task,
    _cost,
    describe,
    search,
)

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

NODES_PER_DETERMINISTIC_SECOND = 30_000
"""How ``max_nodes`` turns into CP-SAT's deterministic time (300,000 steps: 10 units)."""


def available() -> bool:
    """Whether OR-Tools is installed (without importing it)."""
    from importlib.util import find_spec

    return find_spec("ortools") is not None


def cp_sat(
    problem: SchedulingProblem,
    deadline: float,
    max_nodes: int = MAX_NODES,
    hint: dict[str, Slot] | None = None,
) -> Outcome:
    """Place the tasks of ``problem`` optimally with CP-SAT, within the budget; ``hint`` is
    a schedule to start from (for instance the built-in search's best)."""
    from ortools.sat.python import cp_model

    tasks = problem.tasks
    if not all(task.slots for task in tasks):
        return Outcome("infeasible", {}, None, False, 0, solver="cp-sat")
    model = cp_model.CpModel()
    base = min(
        [slot.start for task in tasks for slot in task.slots]
        + [start for intervals in problem.fixed_by_day.values() for start, _ in intervals]
    )
    choose = [[model.new_bool_var(f"x{i}_{k}") for k in range(len(t.slots))] for i, t in
              enumerate(tasks)]  # fmt: skip
    starts, ends = [], []
    for i, task in enumerate(tasks):
        model.add_exactly_one(choose[i])
        values = [slot.start - base for slot in task.slots]
        start = model.new_int_var(min(values), max(values), f"s{i}")
        model.add(start == sum(v * x for v, x in zip(values, choose[i], strict=True)))
        starts.append(start)
        ends.append(start + task.minutes)
    if hint:
        for task, row in zip(tasks, choose, strict=True):
            chosen = hint.get(task.uid)
            for slot, x in zip(task.slots, row, strict=True):
                model.add_hint(x, slot == chosen)
    on_day = _placed_on_day(tasks, choose)
    load = _daily_load(tasks, on_day, rules.DailyMax.counts)
    _linking_rules(model, problem, starts, ends, on_day)
    terms = [
        *_objective(model, problem, base, choose, starts, ends, on_day, load),
        sum(starts),  # remaining ties: the earliest starts in total
    ]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    budget = max_nodes / NODES_PER_DETERMINISTIC_SECOND
    spent = 0.0  # deterministic time of all phases
    proven = True
    began = clock.monotonic()
    first_after = 0.0
    found: list[int] | None = None  # the chosen slot of each task, from the last good phase
    for phase, term in enumerate(terms):
        left = deadline - clock.monotonic()
        if left <= 0 or budget <= 0:
            proven = proven and phase == len(terms) - 1
            break
        model.minimize(term)
        solver.parameters.max_deterministic_time = budget
        solver.parameters.max_time_in_seconds = left
        status = solver.solve(model)
        budget -= solver.deterministic_time
        spent += solver.deterministic_time
        if status == cp_model.INFEASIBLE and found is None:
            return Outcome("infeasible", {}, None, False, _steps(spent), solver="cp-sat")
        ties = phase == len(terms) - 1  # proofs are about the objective, not its ties
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            proven = proven and ties
            break
        found = [_chosen(solver, row) for row in choose]
        first_after = first_after or clock.monotonic() - began
        _keep(model, solver, choose)
        value = round(solver.objective_value)
        if problem.progress is not None:
            done = (*OBJECTIVE, "ties")[: phase + 1]
            cost = _cost(problem, [task.slots[k] for task, k in zip(tasks, found, strict=True)])
            problem.progress(_steps(spent), max_nodes, describe(cost, done))
        if status != cp_model.OPTIMAL:
            proven = proven and ties
            break
        model.add(term == value)
    if found is None:
        if clock.monotonic() > deadline:
            return Outcome("timeout", {}, None, False, _steps(spent), solver="cp-sat")
        return Outcome("budget", {}, None, False, _steps(spent), solver="cp-sat")
    slots = [task.slots[k] for task, k in zip(tasks, found, strict=True)]
    placed = {task.uid: slot for task, slot in zip(tasks, slots, strict=True)}
    return Outcome(
        "solved", placed, _cost(problem, slots), proven, _steps(spent), first_after, solver="cp-sat"
    )


def both(problem: SchedulingProblem, deadline: float, max_nodes: int = MAX_NODES) -> Outcome:
    """The built-in search first (a first schedule in moments, and proofs for most plans),
    then, unless it proved its answer, CP-SAT from the search's best. The better answer
    wins; a tie goes to the one that proved it.

    Each gets its share of the work budget and of the time limit: the search half of each;
    CP-SAT the rest of the budget, including the work the search did not use (counted, so the
    same plan gets the same answer on every machine), and the time until ``deadline`` (at
    least half of it: the search cannot take it all)."""
    now = clock.monotonic()
    first = search(problem, now + (deadline - now) / 2, max_nodes // 2)
    if first.status == "infeasible" or (first.status == "solved" and first.optimal):
        return first
    left = max(max_nodes - first.nodes, max_nodes - max_nodes // 2)
    second = cp_sat(problem, deadline, left, first.assignment or None)
    nodes = first.nodes + second.nodes
    if second.status == "infeasible":
        return replace(second, nodes=nodes)
    if second.status == "solved" and (
        first.status != "solved"
        or second.optimal
        or (second.cost is not None and first.cost is not None and second.cost < first.cost)
    ):
        return replace(second, nodes=nodes, first_after=first.first_after or second.first_after)
    if first.status != "solved":  # neither found one: both ran out, the second says of what
        return replace(second, nodes=nodes, solver="auto")
    return replace(first, nodes=nodes)


def _steps(deterministic_seconds: float) -> int:
    return int(deterministic_seconds * NODES_PER_DETERMINISTIC_SECOND)


def _chosen(solver: cp_model.CpSolver, row: list[Any]) -> int:
    return next(k for k, x in enumerate(row) if solver.boolean_value(x))


def _keep(model: cp_model.CpModel, solver: cp_model.CpSolver, choose: list[list[Any]]) -> None:
    """Start the next phase from this solution."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for row in choose:
        for x in row:
            model.add_hint(x, solver.boolean_value(x))


def _placed_on_day(tasks: list[Task], choose: list[list[Any]]) -> list[dict[date, Any]]:
    """For each task, a 0/1 expression per local day: whether it is placed on that day."""
    out: list[dict[date, Any]] = []
    for i, task in enumerate(tasks):
        per_day: dict[date, list[Any]] = defaultdict(list)
        for slot, x in zip(task.slots, choose[i], strict=True):
            per_day[slot.day].append(x)
        out.append({day: sum(xs) for day, xs in per_day.items()})
    return out


def _daily_load(
    tasks: list[Task], on_day: list[dict[date, Any]], counts: Callable[[Task], bool]
) -> dict[tuple[str, date], list[tuple[int, Any]]]:
    """Per delegate and local day, the activities ``counts`` may place there: (minutes,
    whether it is placed there)."""
    load: dict[tuple[str, date], list[tuple[int, Any]]] = defaultdict(list)
    for i, task in enumerate(tasks):
        if counts(task):
            for person in task.attendees:
                for day, present in on_day[i].items():
                    load[(person, day)].append((task.minutes, present))
    return load


def _linking_rules(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    starts: list[Any],
    ends: list[Any],
    on_day: list[dict[date, Any]],
    active: list[Any] | None = None,
) -> None:
    """The constraints the rules state between tasks (``problem.links``); with ``active``
    (a literal per task), each holds only when the tasks it links take part, so that
    assumptions can switch tasks off."""
    tasks = problem.tasks
    links = problem.links
    index = {task.uid: i for i, task in enumerate(tasks)}

    def given(*ids: int) -> list[Any]:
        return [active[k] for k in ids] if active is not None else []

    for i, a in enumerate(tasks):
        for before in a.after:  # order
            if before in index and rules.follows(links, a, tasks[index[before]]):
                j = index[before]
                model.add(starts[i] >= ends[j]).only_enforce_if(given(i, j))
        for j in range(i + 1, len(tasks)):  # busy people are in one place at a time
            link = rules.separation(links, a, tasks[j])
            if link is None:
                continue
            gap = link.gap
            first = model.new_bool_var(f"o{i}_{j}")
            model.add(ends[i] + gap <= starts[j]).only_enforce_if([first, *given(i, j)])
            model.add(ends[j] + gap <= starts[i]).only_enforce_if([~first, *given(i, j)])
    for limit in rules.daily_limits(links):  # a daily maximum, with the fixed work counted
        for key, parts in _daily_load(tasks, on_day, limit.counts).items():
            fixed = problem.context.work.get(key, 0)
            model.add(sum(m * x for m, x in parts) <= max(0, limit.limit - fixed))


def _objective(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    base: int,
    choose: list[list[Any]],
    starts: list[Any],
    ends: list[Any],
    on_day: list[dict[date, Any]],
    load: dict[tuple[str, date], list[tuple[int, Any]]],
) -> list[Any]:
    """The four terms of the scheduler's objective (:data:`~tripplan.planning.scheduler.
    OBJECTIVE`, in that order), as the scheduler's ``_cost`` counts them."""
    tasks = problem.tasks
    preference = sum(
        slot.preference * x
        for task, row in zip(tasks, choose, strict=True)
        for slot, x in zip(task.slots, row, strict=True)
    )
    # evenness: the scheduler's cost of every delegate's load on every day (read when called)
    cost_of = scheduler.evenness_cost
    work = problem.context.work  # the fixed daily load
    evenness: list[Any] = [cost_of(minutes) for key, minutes in work.items() if key not in load]
    for key, parts in load.items():
        fixed = work.get(key, 0)
        most = fixed + sum(m for m, _ in parts)
        minutes = model.new_int_var(0, most, "")
        model.add(minutes == fixed + sum(m * x for m, x in parts))
        units = model.new_int_var(0, most // LOAD_UNIT, "")
        model.add(LOAD_UNIT * units <= minutes)  # units = minutes // LOAD_UNIT, linearly
        model.add(minutes <= LOAD_UNIT * units + LOAD_UNIT - 1)
        costs = [cost_of(u * LOAD_UNIT) for u in range(most // LOAD_UNIT + 1)]
        cost = model.new_int_var(0, max(costs), "")
        model.add_element(units, costs, cost)  # the cost of each number of whole units
        evenness.append(cost)
    return [
        preference,
        sum(evenness),
        _gaps(model, problem, base, starts, ends, on_day),
        _change(model, problem, base, starts),
    ]


def _gaps(
    model: cp_model.CpModel,
    problem: SchedulingProblem,
    base: int,
    starts: list[Any],
    ends: list[Any],
    on_day: list[dict[date, Any]],
) -> Any:
    """Idle minutes on each delegate's days with a flexible appointment: from the first start
    to the last end, less the time in appointments (which never overlap)."""
    tasks = problem.tasks
    horizon = max(slot.end for task in tasks for slot in task.slots) - base + 1
    for intervals in problem.fixed_by_day.values():
        horizon = max(horizon, *(end - base + 1 for _, end in intervals))
    members: dict[tuple[str, date], list[int]] = defaultdict(list)
    for i, task in enumerate(tasks):
        if task.busy:
            for person in task.attendees:
                for day in on_day[i]:
                    members[(person, day)].append(i)
    total = []
    for (person, day), indices in members.items():
        fixed = problem.fixed_by_day.get((person, day), [])
        lows: list[Any] = [start - base for start, _ in fixed]
        highs: list[Any] = [end - base for _, end in fixed]
        busy: list[Any] = [end - start for start, end in fixed]
        presents = []
        for i in indices:
            present = model.new_bool_var("")
            model.add(on_day[i][day] == 1).only_enforce_if(present)
            model.add(on_day[i][day] == 0).only_enforce_if(~present)
            low = model.new_int_var(0, horizon, "")
            model.add(low == starts[i]).only_enforce_if(present)
            model.add(low == horizon).only_enforce_if(~present)
            high = model.new_int_var(0, horizon, "")
            model.add(high == ends[i]).only_enforce_if(present)
            model.add(high == 0).only_enforce_if(~present)
            lows.append(low)
            highs.append(high)
            busy.append(tasks[i].minutes * present)
            presents.append(present)
        first = model.new_int_var(0, horizon, "")
        model.add_min_equality(first, lows)
        last = model.new_int_var(0, horizon, "")
        model.add_max_equality(last, highs)
        anyone = model.new_bool_var("")  # counted only when a flexible one is there
        model.add_max_equality(anyone, presents)
        gap = model.new_int_var(0, horizon, "")
        model.add(gap >= last - first - sum(busy)).only_enforce_if(anyone)
        model.add(gap == 0).only_enforce_if(~anyone)
        total.append(gap)
    return sum(total)


def _change(
    model: cp_model.CpModel, problem: SchedulingProblem, base: int, starts: list[Any]
) -> Any:
    moves = []
    for i, task in enumerate(problem.tasks):
        if task.previous is None:
            continue
        span = max(abs(s.start - task.previous) for s in task.slots)
        moved = model.new_int_var(0, span, "")
        model.add_abs_equality(moved, starts[i] - (task.previous - base))
        moves.append(moved)
    return sum(moves)


def conflict(
    problem: SchedulingProblem, deadline: float, max_nodes: int
) -> tuple[list[Task], bool]:
    """A smallest set of tasks that cannot all be placed, and whether it is proven minimal.

    Each task takes part through an assumption literal; CP-SAT names a set of assumptions
    that is enough for infeasibility (its core), and a deletion pass reduces the core: a
    task is dropped when the rest stays infeasible without it. Every kept task was tested:
    without it the rest of a superset was feasible, so the set is minimal, unless a test
    ran out of budget (then it says so). Deterministic: one worker, a fixed seed and a
    budget of deterministic time."""
    from ortools.sat.python import cp_model

    tasks = problem.tasks
    lonely = [t for t in tasks if not t.slots]
    if lonely:
        return lonely, True
    model = cp_model.CpModel()
    active = [model.new_bool_var(f"a{i}") for i in range(len(tasks))]
    choose = [[model.new_bool_var(f"x{i}_{k}") for k in range(len(t.slots))] for i, t in
              enumerate(tasks)]  # fmt: skip
    starts, ends = [], []
    for i, task in enumerate(tasks):
        model.add(sum(choose[i]) == active[i])  # placed once when it takes part, else not
        values = [slot.start for slot in task.slots]
        start = model.new_int_var(min(values), max(values), f"s{i}")
        chosen = sum(v * x for v, x in zip(values, choose[i], strict=True))
        model.add(start == chosen).only_enforce_if(active[i])
        model.add(start == min(values)).only_enforce_if(~active[i])
        starts.append(start)
        ends.append(start + task.minutes)
    _linking_rules(model, problem, starts, ends, _placed_on_day(tasks, choose), active)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    budget = [max_nodes / NODES_PER_DETERMINISTIC_SECOND]

    def status(members: list[int]) -> int:
        model.clear_assumptions()
        model.add_assumptions([active[k] for k in members])
        solver.parameters.max_deterministic_time = max(budget[0], 1e-6)
        solver.parameters.max_time_in_seconds = max(deadline - clock.monotonic(), 1e-3)
        result = solver.solve(model)
        budget[0] -= solver.deterministic_time
        return int(result)

    everyone = list(range(len(tasks)))
    if status(everyone) != cp_model.INFEASIBLE:
        return list(tasks), False  # not even the whole set was proven infeasible
    core = sorted(  # never empty: with no task, nothing is infeasible
        k for k, literal in enumerate(active)
        if literal.index in set(solver.sufficient_assumptions_for_infeasibility())
    )  # fmt: skip
    proven = True
    for member in list(core):
        trial = [k for k in core if k != member]
        if not trial:
            continue
        answer = status(trial)
        if answer == cp_model.INFEASIBLE:
            core = trial
        elif answer not in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            proven = False
    return [tasks[k] for k in core], proven


def solver_for(choice: str) -> Solver:
    """The solver ``--solver`` names: ``search``, ``cp-sat``, or ``auto`` (CP-SAT when
    OR-Tools is installed, else the built-in search)."""
    if choice == "search" or (choice == "auto" and not available()):
        return search
    if not available():
        raise UsageError(
            msg(
                "--solver cp-sat needs OR-Tools; install it with pip install "
                "'tripplan[solver]' (or uv sync --extra solver), or use --solver search"
            )
        )
    return both if choice == "auto" else cp_sat


def explainer_for(choice: str) -> Explainer | None:
    """How ``--solver`` explains infeasibility: CP-SAT's cores where CP-SAT solves, the
    built-in deletion filter otherwise (None)."""
    return None if solver_for(choice) is search else conflict


__all__ = ["Slot", "available", "both", "conflict", "cp_sat", "explainer_for", "solver_for"]
