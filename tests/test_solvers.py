"""The two solvers cross-checked: the built-in search and CP-SAT answer the same.

For small random plans (a few dozen in the suite, a thousand with
``HYPOTHESIS_PROFILE=thorough``; some across the US switch to daylight saving time on
11 March 2018) both must agree on feasibility, on the optimal objective and on the schedule
itself up to ties (both prefer the earliest starts in total), every schedule must pass
``check`` without a finding of a scheduling rule, and every explanation of an infeasible
plan must be infeasible on its own and minimal: without any one of its activities the rest
can be placed.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import Any

import pytest
from helpers import RULE_CODES, flexible, plan_with, run, six_workshops, small_plan
from hypothesis import given
from hypothesis import strategies as st

from tripplan import build_itinerary
from tripplan.loader import validate
from tripplan.planning import rules, scheduler
from tripplan.planning.scheduler import (
    SchedulingProblem,
    build_problem,
    schedule,
    search,
    smallest_conflict,
)

cpsat = pytest.importorskip("tripplan.planning.cpsat")
pytest.importorskip("ortools")

DAYS_IN_MARCH = {"2018-04-23": "2018-03-10", "2018-04-24": "2018-03-11",
                 "2018-04-25": "2018-03-12", "2018-04-26": "2018-03-13"}  # fmt: skip


def _in_march(data: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(data)
    for april, march in DAYS_IN_MARCH.items():
        text = text.replace(april, march)
    moved: dict[str, Any] = json.loads(text)
    return moved


@st.composite
def small_plans(draw: st.DrawFn) -> dict[str, Any]:
    data = small_plan()
    trip = data["trips"][0]
    meeting = trip["activities"][0]
    meeting.update(
        draw(st.sampled_from([
            {"start": "2018-04-24T09:00", "end": "2018-04-24T11:00"},
            {"start": "2018-04-24T13:00", "end": "2018-04-24T17:00"},
            {"start": "2018-04-25T09:00", "end": "2018-04-25T12:00", "participants": ["ann"]},
        ]))
    )  # fmt: skip
    for n in range(draw(st.integers(min_value=1, max_value=4))):
        first, last = draw(st.sampled_from([("2018-04-24", "2018-04-24"),
                                            ("2018-04-24", "2018-04-25"),
                                            ("2018-04-25", "2018-04-25")]))  # fmt: skip
        activity: dict[str, Any] = {
            "id": f"x{n}",
            "title": f"X{n}",
            "community": "host",
            "kind": draw(st.sampled_from(["workshop", "meeting", "meal", "call", "free_time"])),
            "duration": f"{draw(st.integers(min_value=2, max_value=16)) * 15}m",
            "window_start": first,
            "window_end": last,
        }
        if draw(st.booleans()):
            activity["preferred"] = draw(st.sampled_from(["morning", "afternoon", "evening"]))
        people = draw(st.sampled_from([[], ["ann"], ["ben"]]))
        if people:
            activity["participants"] = people
        after = draw(st.sampled_from([[], ["meet"], *([[f"x{n - 1}"]] if n else [])]))
        if after:
            activity["after"] = after
        if draw(st.integers(min_value=0, max_value=3)) == 0:
            activity["placed"] = f"{first}T{draw(st.sampled_from(['09:00', '14:15']))}"
        trip["activities"].append(activity)
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        data = _in_march(data)
    return data


def _solve_both(problem: SchedulingProblem) -> tuple[Any, Any]:
    deadline = time.monotonic() + 60
    return search(problem, deadline, 200_000), cpsat.cp_sat(problem, deadline, 200_000)


@given(small_plans())
def test_search_and_cp_sat_agree(data: dict[str, Any]) -> None:
    plan = validate(data)
    problem = build_problem(plan)
    ours, theirs = _solve_both(problem)
    assert theirs.status in ("solved", "infeasible") and theirs.status != "budget"
    assert ours.status == theirs.status  # feasibility: always decided, always the same
    if ours.status != "solved":
        return
    assert theirs.optimal  # CP-SAT proves these small plans optimal
    assert theirs.cost is not None and ours.cost is not None
    if ours.optimal:  # when the search proves it too: the same cost (ties each its own way)
        assert ours.cost == theirs.cost
    else:  # the search ran out of budget: its schedule is never better than the optimum
        assert theirs.cost <= ours.cost
    for trip in data["trips"]:
        for activity in trip["activities"]:
            slot = ours.assignment.get(f"{trip['id']}/{activity['id']}")
            if slot is not None:
                activity["placed"] = slot.local.strftime("%Y-%m-%dT%H:%M")
    findings = build_itinerary(validate(data)).findings
    placed = set(ours.assignment)
    assert [f.message for f in findings if f.code in RULE_CODES and placed & set(f.ids)] == []


def test_interchangeable_free_time_may_stay_together_where_it_was_placed() -> None:
    """Two free-time activities alike in every rule, both placed at 09:00 by the last
    --write: free time occupies no one, so both stay (no move). The search ordered such
    twins strictly, moved one by 15 minutes and called that optimal (found by
    test_search_and_cp_sat_agree)."""
    data = small_plan()
    data["trips"][0]["activities"] = [
        {
            "id": f"x{n}",
            "title": f"X{n}",
            "community": "host",
            "kind": "free_time",
            "duration": "30m",
            "window_start": "2018-04-25",
            "window_end": "2018-04-25",
            "preferred": "morning",
            "placed": "2018-04-25T09:00",
        }
        for n in range(2)
    ]
    ours, theirs = _solve_both(build_problem(validate(data)))
    assert ours.status == theirs.status == "solved"
    assert ours.optimal and theirs.optimal
    assert ours.cost == theirs.cost == (0, 0, 0, 0)


@given(small_plans())
def test_every_explanation_is_infeasible_and_minimal(data: dict[str, Any]) -> None:
    plan = validate(data)
    problem = build_problem(plan)
    if search(problem, time.monotonic() + 60, 200_000).status != "infeasible":
        return
    for solve, explain in (
        (search, None),
        (cpsat.cp_sat, None),
        (cpsat.cp_sat, cpsat.conflict),  # CP-SAT's cores from assumptions, made minimal
    ):
        if explain is None:
            core, proven = smallest_conflict(problem, solve, time.monotonic() + 60, 200_000)
        else:
            core, proven = explain(problem, time.monotonic() + 60, 200_000)
        assert proven

        def status(tasks: list[Any], solve: Any = solve) -> str:
            sub = replace(problem, tasks=tasks, progress=None)
            return str(solve(sub, time.monotonic() + 60, 200_000).status)

        assert status(core) == "infeasible"
        if any(not task.slots for task in core):
            assert len(core) == 1 or all(not task.slots for task in core)
            continue
        for task in core:
            rest = [t for t in core if t is not task]
            assert not rest or status(rest) == "solved"


def test_cp_sat_proves_what_the_search_cannot_within_its_budget() -> None:
    plan = validate(six_workshops())
    ours = schedule(plan, max_nodes=100, solver=search)
    theirs = schedule(plan, max_nodes=300_000, solver=cpsat.cp_sat)
    assert (theirs.status, theirs.optimal, theirs.solver) == ("placed", True, "cp-sat")
    assert ours.status == "placed" and not ours.optimal
    assert theirs.cost is not None and ours.cost is not None and theirs.cost <= ours.cost


def test_with_its_default_budget_the_search_proves_what_cp_sat_proves() -> None:
    plan = validate(six_workshops())
    ours = schedule(plan, solver=search)
    theirs = schedule(plan, solver=cpsat.cp_sat)
    assert (ours.status, ours.optimal, theirs.optimal) == ("placed", True, True)
    assert ours.cost == theirs.cost


@pytest.mark.parametrize("meals_count", [False, True])
def test_the_daily_load_is_what_the_daily_maximum_counts_for_both_solvers(
    monkeypatch: pytest.MonkeyPatch, meals_count: bool
) -> None:
    """The fixed daily load (rules.Context.work), the search and CP-SAT all count by
    DailyMax.counts: counting a fixed 5-hour meal on 25 Apr moves a 2-hour workshop, which
    evens the load, from that day to the meeting's day (24 Apr, 2 h of work)."""
    if meals_count:  # every appointment with a venue (not a travel leg)
        monkeypatch.setattr(
            rules.DailyMax, "counts", staticmethod(lambda a: a.busy and a.venue is not None)
        )
    plan = validate(plan_with(
        flexible("w", "2h", "2018-04-24", "2018-04-25"),
        {"id": "lunch", "title": "Lunch", "kind": "meal",
         "start": "2018-04-25T10:00", "end": "2018-04-25T15:00"},
    ))  # fmt: skip
    # each of ann and ben, in quarter hours: 24 Apr 8 (meeting) + 8, 25 Apr 20 (the meal,
    # if counted) + 8
    day, load = ("2018-04-24", 16**2 + 20**2) if meals_count else ("2018-04-25", 2 * 8**2)
    evenness = 2 * load
    for solver in (search, cpsat.cp_sat):
        result = schedule(plan, solver=solver)
        assert (result.status, result.optimal) == ("placed", True), solver
        assert result.cost is not None and result.cost[1] == evenness, solver
        (placement,) = result.placements
        assert placement.start.date().isoformat() == day, solver


@pytest.mark.parametrize("cubes", [False, True])
def test_both_solvers_minimise_the_one_evenness_cost(
    monkeypatch: pytest.MonkeyPatch, cubes: bool
) -> None:
    """scheduler.evenness_cost is the evenness term of the search, of its bounds and of
    CP-SAT: with cubes instead of squares both place a 2-hour workshop of ann and ben and a
    3-hour one of ann the other way round (cubes weigh ann's longest day more)."""
    if cubes:
        unit = scheduler.LOAD_UNIT
        monkeypatch.setattr(scheduler, "evenness_cost", lambda minutes: (minutes // unit) ** 3)

    def fixed(ident: str, start: str, end: str, person: str) -> dict[str, Any]:
        return {"id": ident, "title": ident, "start": start, "end": end, "participants": [person]}

    plan = validate(plan_with(  # before: ann 4 h (24 Apr, with the meeting), 3 h (25 Apr);
        fixed("f1", "2018-04-24T11:00", "2018-04-24T13:00", "ann"),  # ben 2 h, 1 h
        fixed("f2", "2018-04-25T09:00", "2018-04-25T12:00", "ann"),
        fixed("f3", "2018-04-25T09:00", "2018-04-25T10:00", "ben"),
        flexible("both", "2h", "2018-04-24", "2018-04-25"),
        flexible("ann", "3h", "2018-04-24", "2018-04-25", participants=["ann"]),
    ))  # fmt: skip
    days = {"tour/both": "2018-04-24", "tour/ann": "2018-04-25"}
    if not cubes:  # squares: 7 h and 5 h for ann (cubes: 6 h and 6 h)
        days = {"tour/both": "2018-04-25", "tour/ann": "2018-04-24"}
    for solver in (search, cpsat.cp_sat):
        result = schedule(plan, solver=solver)
        assert (result.status, result.optimal) == ("placed", True), solver
        placed = {p.uid: p.start.date().isoformat() for p in result.placements}
        assert placed == days, solver


def test_the_solver_option(tmp_path: Any) -> None:
    plan = tmp_path / "plan.json"
    data = small_plan()
    data["trips"][0]["activities"].append(
        {"id": "w", "title": "W", "kind": "workshop", "community": "host", "duration": "1h",
         "window_start": "2018-04-25", "window_end": "2018-04-25"}
    )  # fmt: skip
    plan.write_text(json.dumps(data), encoding="utf-8")
    answers = {}
    for choice in ("auto", "search", "cp-sat"):
        result = run("plan", plan, "-f", "json", "--solver", choice)
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        answers[choice] = (document["solver"], document["placements"], document["objective"])
    # auto: the search proves this small plan optimal, so CP-SAT is not needed
    assert (answers["auto"][0], answers["search"][0], answers["cp-sat"][0]) == (
        "search",
        "search",
        "cp-sat",
    )
    assert answers["auto"][1:] == answers["search"][1:] == answers["cp-sat"][1:]  # no ties here


def test_cp_sat_without_or_tools_is_refused_before_any_work(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cpsat, "available", lambda: False)
    result = run("plan", "--solver", "cp-sat")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "tripplan: --solver cp-sat needs OR-Tools; install it with pip install "
        "'tripplan[solver]' (or uv sync --extra solver), or use --solver search\n"
    )
    fallback = run("plan", "--solver", "auto", "-f", "json")
    assert json.loads(fallback.stdout)["solver"] == "search"


@pytest.mark.parametrize("solver", ["search", "cp-sat"])
def test_an_unrelated_activity_is_not_part_of_the_explanation(solver: str) -> None:
    """Two 5-hour workshops for ann on one day cannot both fit; ben's call the next day has
    nothing to do with it and must not stay in the smallest set."""
    data = small_plan()
    data["trips"][0]["activities"][0]["participants"] = ["ben"]
    for ident in ("a", "b"):
        data["trips"][0]["activities"].append(
            {"id": ident, "title": ident.upper(), "kind": "workshop", "community": "host",
             "duration": "5h", "window_start": "2018-04-24", "window_end": "2018-04-24",
             "participants": ["ann"]}
        )  # fmt: skip
    data["trips"][0]["activities"].append(
        {"id": "c", "title": "C", "kind": "call", "community": "home", "duration": "1h",
         "window_start": "2018-04-25", "window_end": "2018-04-25", "participants": ["ben"]}
    )  # fmt: skip
    solve = cpsat.solver_for(solver)
    result = schedule(validate(data), solver=solve)
    assert result.status == "infeasible"
    assert result.solver == solver
    problem = build_problem(validate(data))
    core, proven = smallest_conflict(problem, solve, time.monotonic() + 60, 30_000)
    assert proven and [t.uid for t in core] == ["tour/a", "tour/b"]
    if solver == "cp-sat":
        core, proven = cpsat.conflict(problem, time.monotonic() + 60, 30_000)
        assert proven and [t.uid for t in core] == ["tour/a", "tour/b"]


def test_cp_sat_keeps_the_last_good_phase_when_a_later_one_runs_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second phase (evenness) ends without an answer: the schedule returned is the one
    the first phase proved best, not whatever the unfinished phase left behind."""
    from ortools.sat.python import cp_model

    real = cp_model.CpSolver.solve
    calls: list[int] = []

    def second_runs_out(self: Any, model: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            self.parameters.max_deterministic_time = 1e-9
        return real(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", second_runs_out)
    data = small_plan()
    for n in range(4):
        data["trips"][0]["activities"].append(
            {"id": f"x{n}", "title": f"X{n}", "kind": "workshop", "community": "host",
             "duration": "90m", "window_start": "2018-04-24", "window_end": "2018-04-25",
             "preferred": "afternoon"}
        )  # fmt: skip
    problem = build_problem(validate(data))
    outcome = cpsat.cp_sat(problem, time.monotonic() + 60, 300_000)
    assert outcome.status == "solved" and not outcome.optimal
    assert outcome.cost is not None and outcome.cost[0] == 0  # phase one's proven optimum


def test_auto_lets_cp_sat_improve_what_the_search_cannot_prove(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = validate(six_workshops())
    alone = schedule(plan, max_nodes=100, solver=search)
    monkeypatch.setattr(
        cpsat, "search", lambda problem, deadline, _: search(problem, deadline, 100)
    )
    together = schedule(plan, max_nodes=300_000, solver=cpsat.both)
    assert not alone.optimal
    assert (together.status, together.optimal, together.solver) == ("placed", True, "cp-sat")
    assert together.cost is not None and alone.cost is not None
    assert together.cost <= alone.cost


def test_auto_gives_cp_sat_its_share_of_the_time_limit_and_the_work_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A search that uses its whole share of the time leaves CP-SAT the other half of the
    limit (not nothing), and the work the search did not use, counted in steps."""
    from tripplan.planning.scheduler import Outcome

    seen: dict[str, tuple[float, int]] = {}

    def slow_search(problem: SchedulingProblem, deadline: float, max_nodes: int) -> Outcome:
        seen["search"] = (deadline, max_nodes)
        return Outcome("timeout", {}, None, False, 1_000)

    def cp_sat(
        problem: SchedulingProblem, deadline: float, max_nodes: int, hint: Any = None
    ) -> Outcome:
        seen["cp-sat"] = (deadline, max_nodes)
        return Outcome("budget", {}, None, False, max_nodes, solver="cp-sat")

    monkeypatch.setattr(cpsat, "search", slow_search)
    monkeypatch.setattr(cpsat, "cp_sat", cp_sat)
    problem = build_problem(validate(six_workshops()))
    began = time.monotonic()
    cpsat.both(problem, began + 60, 300_000)
    search_deadline, search_budget = seen["search"]
    assert search_budget == 150_000
    assert began + 29 < search_deadline <= time.monotonic() + 30  # half of what was left
    assert seen["cp-sat"] == (began + 60, 299_000)


OPTIMA = {
    5: (0, 15765, 0, 0),
    10: (0, 16025, 0, 0),
    20: (0, 16860, 0, 0),
    24: (0, 17245, 0, 0),
}
"""CP-SAT's lexicographic optimum of the plans of benchmarks/solvers.py, each proven by
CP-SAT alone with 20 times the default budget (see benchmarks/README.md)."""


def _benchmarks() -> Any:
    import importlib
    import sys

    from helpers import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module("solvers")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def test_every_benchmark_plan_up_to_24_activities_has_its_optimum_here() -> None:
    assert {size for size in _benchmarks().SIZES if size <= 24} == set(OPTIMA)


@pytest.mark.slow  # a few seconds each: the search proves plans of 20 and 24 activities
@pytest.mark.parametrize("size", sorted(OPTIMA))
def test_plan_reaches_cp_sats_optimum_on_the_benchmark_plans(size: int) -> None:
    """`plan` as a user runs it (solver auto, default limits) finds CP-SAT's optimum of each
    benchmark plan up to 24 flexible activities, and says it is optimal."""
    result = schedule(
        _benchmarks().plan_of(size),
        solver=cpsat.solver_for("auto"),
        explainer=cpsat.explainer_for("auto"),
    )
    assert (result.status, result.optimal, result.cost) == ("placed", True, OPTIMA[size])
