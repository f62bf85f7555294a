"""The scheduler: unique answers, exact explanations, every rule checked independently."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from helpers import (
    BUNDLED,
    RULE_CODES,
    flexible,
    plan_with,
    run,
    six_workshops,
    small_plan,
)
from hypothesis import given
from hypothesis import strategies as st

from tripplan import build_itinerary, load_plan
from tripplan.loader import validate
from tripplan.messages import Message
from tripplan.planning.scheduler import ExplanationLine, Outcome, SchedulingProblem, schedule
from tripplan.render.i18n import translate
from tripplan.vocabulary import Lang


def _message(line: ExplanationLine | Message) -> Message:
    return line.message if isinstance(line, ExplanationLine) else line


def english(lines: tuple[ExplanationLine | Message, ...]) -> tuple[str, ...]:
    return tuple(translate(_message(line), Lang.en) for line in lines)


def german(lines: tuple[ExplanationLine | Message, ...]) -> tuple[str, ...]:
    return tuple(translate(_message(line), Lang.de) for line in lines)


def starts(data: dict[str, Any], **options: Any) -> dict[str, str]:
    result = schedule(validate(data), **options)
    assert result.status == "placed", result.explanation
    return {p.uid: p.start.strftime("%Y-%m-%d %H:%M %Z") for p in result.placements}


def test_unique_answer_fills_the_afternoon() -> None:
    # Meeting at City Hall 09:00–11:00, then 30 minutes to get elsewhere, then until 17:00.
    data = plan_with(flexible("workshop", "5h30m", "2018-04-24", "2018-04-24"))
    assert starts(data) == {"tour/workshop": "2018-04-24 11:30 EDT"}


def test_unique_answer_with_ordering() -> None:
    data = plan_with(
        flexible("first", "3h", "2018-04-24", "2018-04-24"),
        flexible("second", "2h30m", "2018-04-24", "2018-04-24", after=["first"]),
    )
    assert starts(data) == {
        "tour/first": "2018-04-24 11:30 EDT",
        "tour/second": "2018-04-24 14:30 EDT",
    }


def test_preferred_time_of_day_is_honoured() -> None:
    data = plan_with(
        flexible("talk", "1h", "2018-04-24", "2018-04-24", preferred="afternoon"),
    )
    assert starts(data) == {"tour/talk": "2018-04-24 12:00 EDT"}


def test_arrival_rest_and_working_hours() -> None:
    # Landing 13:00 after a long-haul flight: no work before 17:00, which ends the day.
    data = plan_with(flexible("brief", "1h", "2018-04-23", "2018-04-24"))
    assert starts(data) == {"tour/brief": "2018-04-24 11:30 EDT"}


def test_alone_infeasible_explained_day_by_day() -> None:
    data = plan_with(
        flexible("workshop", "4h", "2018-04-24", "2018-04-25"),
        meeting=("2018-04-24T09:00", "2018-04-24T17:00"),
    )
    data["trips"][0]["legs"][2].update(departs="2018-04-25T11:00", arrives="2018-04-26T01:00")
    result = schedule(validate(data))
    assert result.status == "infeasible"
    assert english(result.explanation) == (
        "'Workshop' (tour/workshop) needs 4 h on 24–25 Apr in New York, but no start works — "
        "24 Apr: ann is busy ('Meeting with practitioners' 09:00–17:00) (starts 09:00–13:00); "
        "25 Apr: ann leaves on tour/back (starts 09:00–10:45), ann is travelling (tour/back) "
        "(starts 11:00–13:00).",
    )


def test_days_outside_the_trip_are_said_once_by_the_trip_days_rule() -> None:
    """The trip days rule refuses the days before the trip whole: no start of theirs is
    tried, and the explanation names them once, after the days whose starts were judged."""
    from tripplan.planning import rules
    from tripplan.planning.scheduler import build_problem

    data = plan_with(flexible("a", "1h", "2018-04-21", "2018-04-23", kind="meal",
                              community="home"))  # fmt: skip
    result = schedule(validate(data))
    assert result.status == "infeasible"
    said = english(result.explanation)
    assert said[0].startswith("'A' (tour/a) needs 1 h on 21–23 Apr in Bautzen, but no start")
    assert said[0].endswith("ann is in New York (starts 19:00–21:00); 21 Apr, 22 Apr: outside "
                            "trip tour.")  # fmt: skip
    assert german(result.explanation)[0].endswith("; 21.04., 22.04.: außerhalb der Reise tour.")
    (task,) = build_problem(validate(data)).tasks
    assert sorted(task.reasons) == [datetime(2018, 4, 23).date()]
    assert {why.reason for why in task.closed.values()} == {rules.Reason.OUTSIDE_TRIP}


def test_together_infeasible_names_the_smallest_set() -> None:
    data = plan_with(
        flexible("a", "3h", "2018-04-24", "2018-04-24"),
        flexible("b", "3h", "2018-04-24", "2018-04-24"),
        flexible("c", "1h", "2018-04-25", "2018-04-25", participants=["ben"]),
    )
    result = schedule(validate(data))
    assert result.status == "infeasible"
    assert english(result.explanation) == (
        "These 2 activities cannot all be placed together:",
        "- 'A' (tour/a) needs 3 h on 24 Apr in New York; on its own it could start 24 Apr "
        "11:30–14:00.",
        "- 'B' (tour/b) needs 3 h on 24 Apr in New York; on its own it could start 24 Apr "
        "11:30–14:00.",
        "They are tied by: a and b share participants and cannot overlap; nobody works more "
        "than 8 h a day.",
    )


def test_undecided_is_never_called_infeasible() -> None:
    data = plan_with(flexible("a", "1h", "2018-04-24", "2018-04-24"))

    def slow(problem: SchedulingProblem, deadline: float, max_nodes: int) -> Outcome:
        return Outcome("timeout", {}, None, False, 1)

    result = schedule(validate(data), solver=slow)
    assert result.status == "undecided"
    assert english(result.explanation) == (
        "The time limit (60 s) ran out before the built-in search found a schedule or proved "
        "that none exists. Give it more time with --time-limit, or widen windows.",
    )
    assert german(result.explanation) == (
        "Das Zeitlimit (60 s) war erreicht, bevor die eingebaute Suche einen Plan gefunden "
        "oder bewiesen hat, dass es keinen gibt. Mit --time-limit mehr Zeit geben oder "
        "Zeitfenster erweitern.",
    )


@pytest.mark.parametrize(
    ("status", "said", "gesagt"),
    [
        (
            "timeout",
            "The time limit (60 s) ran out before CP-SAT found a schedule or proved that none "
            "exists. Give it more time with --time-limit, or widen windows.",
            "Das Zeitlimit (60 s) war erreicht, bevor CP-SAT einen Plan gefunden oder bewiesen "
            "hat, dass es keinen gibt. Mit --time-limit mehr Zeit geben oder Zeitfenster "
            "erweitern.",
        ),
        (
            "budget",
            "The work budget (300,000 steps) ran out before CP-SAT found a schedule or proved "
            "that none exists. Give it more with --max-nodes, or widen windows.",
            "Das Arbeitsbudget (300.000 Schritte) war verbraucht, bevor CP-SAT einen Plan "
            "gefunden oder bewiesen hat, dass es keinen gibt. Mit --max-nodes mehr geben oder "
            "Zeitfenster erweitern.",
        ),
    ],
)
def test_an_undecided_answer_names_the_solver_that_gave_it(
    status: Literal["timeout", "budget"], said: str, gesagt: str
) -> None:
    """CP-SAT's time limit or budget is not said to be the built-in search's."""
    data = plan_with(flexible("a", "1h", "2018-04-24", "2018-04-24"))

    def cp_sat(problem: SchedulingProblem, deadline: float, max_nodes: int) -> Outcome:
        return Outcome(status, {}, None, False, max_nodes, solver="cp-sat")

    result = schedule(validate(data), solver=cp_sat)
    assert (result.status, result.solver) == ("undecided", "cp-sat")
    assert english(result.explanation) == (said,)
    assert german(result.explanation) == (gesagt,)


def test_auto_says_both_ran_out_when_neither_found_a_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """--solver auto: the search ran out of its half of the budget, then CP-SAT of the rest;
    the answer is said of both, not of the search alone."""
    cpsat = pytest.importorskip("tripplan.planning.cpsat")
    data = plan_with(flexible("a", "1h", "2018-04-24", "2018-04-24"))

    def search(problem: SchedulingProblem, deadline: float, max_nodes: int) -> Outcome:
        return Outcome("budget", {}, None, False, max_nodes)

    def cp_sat(
        problem: SchedulingProblem, deadline: float, max_nodes: int, hint: Any = None
    ) -> Outcome:
        return Outcome("budget", {}, None, False, max_nodes, solver="cp-sat")

    monkeypatch.setattr(cpsat, "search", search)
    monkeypatch.setattr(cpsat, "cp_sat", cp_sat)
    result = schedule(validate(data), solver=cpsat.both)
    assert (result.status, result.solver) == ("undecided", "auto")
    assert english(result.explanation) == (
        "The work budget (300,000 steps) ran out before the built-in search or CP-SAT found a "
        "schedule or proved that none exists. Give it more with --max-nodes, or widen windows.",
    )
    assert german(result.explanation)[0].startswith(
        "Das Arbeitsbudget (300.000 Schritte) war verbraucht, bevor die eingebaute Suche oder "
        "CP-SAT einen Plan gefunden"
    )


def test_the_running_best_is_a_message_in_the_readers_language() -> None:
    from tripplan.planning.scheduler import describe

    cost = (0, 15765, 30, 0)
    assert english((describe(cost, ""),)) == (
        "best: preference 0, evenness 15,765, idle 30, moves 0",
    )
    both = (describe(cost, ("preference", "evenness")),)
    assert english(both) == (
        "best: preference 0, evenness 15,765, idle 30, moves 0 · proven: preference, evenness",
    )
    assert german(both) == (
        "bester Plan: Wunschzeit 0, Gleichmäßigkeit 15.765, Leerlauf 30, Verschiebungen 0 · "
        "bewiesen: Wunschzeit, Gleichmäßigkeit",
    )


def test_the_terms_of_the_objective_are_named_once() -> None:
    """JSON's objective, what a progress display names proven and CP-SAT's phases read one
    tuple of names."""
    from tripplan.planning.scheduler import OBJECTIVE, describe
    from tripplan.render.schedule import schedule_document

    assert OBJECTIVE == ("preference", "evenness", "idle_gaps", "change")  # documented keys
    every = (describe((0, 1, 2, 3), (*OBJECTIVE, "ties")),)
    assert english(every) == (
        "best: preference 0, evenness 1, idle 2, moves 3 · proven: preference, evenness, idle, "
        "moves, ties",
    )
    result = schedule(validate(plan_with(flexible("a", "1h", "2018-04-24", "2018-04-24"))))
    assert list(schedule_document(result)["objective"]) == list(OBJECTIVE)


def test_deterministic() -> None:
    plan = load_plan(BUNDLED)
    first, second = schedule(plan), schedule(plan)
    assert first.placements == second.placements
    assert first.cost == second.cost


def test_minimal_change_after_moving_one_fixed_appointment() -> None:
    data = plan_with(
        flexible("a", "2h", "2018-04-24", "2018-04-24", placed="2018-04-24T13:00"),
        flexible("b", "2h", "2018-04-25", "2018-04-25", participants=["ben"],
                 placed="2018-04-25T10:00"),
    )  # fmt: skip
    data["trips"][0]["activities"][0].update(start="2018-04-24T13:00", end="2018-04-24T15:00")
    result = schedule(validate(data))
    changes = {p.uid: (p.change, p.start.strftime("%d %H:%M")) for p in result.placements}
    assert changes == {"tour/a": ("moved", "24 10:30"), "tour/b": ("unchanged", "25 10:00")}


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=2, max_value=12),  # duration in 15-minute units
            st.sampled_from([("2018-04-24", "2018-04-24"), ("2018-04-24", "2018-04-25"),
                             ("2018-04-23", "2018-04-25")]),
            st.sampled_from([None, "morning", "afternoon"]),
            st.sampled_from([[], ["ann"], ["ben"]]),
            st.sampled_from(["workshop", "meeting", "meal", "call", "free_time"]),
            st.booleans(),  # after the fixed meeting
        ),
        min_size=1,
        max_size=4,
    )
)  # fmt: skip
def test_every_schedule_passes_the_checks(specs: list[tuple[Any, ...]]) -> None:
    activities = []
    for n, (units, (first, last), preferred, people, kind, after_fixed) in enumerate(specs):
        activity = flexible(f"x{n}", f"{units * 15}m", first, last, kind=kind)
        if preferred:
            activity["preferred"] = preferred
        if people:
            activity["participants"] = people
        if n and n % 2:
            activity["after"] = [f"x{n - 1}"]
        if after_fixed:
            activity["after"] = [*activity.get("after", []), "meet"]
        activities.append(activity)
    data = plan_with(*activities)
    result = schedule(validate(data), time_limit=5)
    assert result.status in ("placed", "infeasible")
    if result.status != "placed":
        return
    placed = {p.uid.split("/")[1]: p.start for p in result.placements}
    for activity in data["trips"][0]["activities"]:
        if activity["id"] in placed:
            activity["placed"] = placed[activity["id"]].strftime("%Y-%m-%dT%H:%M")
    findings = build_itinerary(validate(data)).findings
    assert [f for f in findings if f.code in RULE_CODES] == []


# -- the command ------------------------------------------------------------------------------


def test_plan_command_and_write(tmp_path: Path) -> None:
    plan = tmp_path / "tripplan.toml"
    shutil.copy(BUNDLED, plan)
    result = run("plan", "--lang", "en", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["status"] == "placed" and document["optimal"] is True
    assert [(p["uid"], p["start"], p["change"]) for p in document["placements"]] == [
        ("study-tour/action-plan-1", "2018-04-24T12:00:00-04:00", "new"),
        ("study-tour/action-plan-2", "2018-04-27T09:00:00-05:00", "new"),
        ("return-visit/action-plan-review", "2018-11-07T12:30:00+01:00", "new"),
    ]
    written = run("plan", "--write")
    assert written.exit_code == 0
    assert "3 Zeiten in tripplan.toml eingetragen" in written.stderr  # the plan's language
    text = plan.read_text(encoding="utf-8")
    assert "placed = 2018-04-24T12:00:00 # platziert von tripplan plan" in text
    assert text.count("# ") == BUNDLED.read_text(encoding="utf-8").count("# ") + 3
    again = json.loads(run("plan", "--format", "json").stdout)
    assert [p["change"] for p in again["placements"]] == ["unchanged"] * 3
    checked = run("check", "--format", "json")
    codes = [f["code"] for f in json.loads(checked.stdout)["findings"]]
    assert "not-placed" not in codes and checked.exit_code == 0
    itinerary = build_itinerary(load_plan(plan))
    workshop = itinerary.event("study-tour/action-plan-1")
    assert workshop.start == datetime.fromisoformat("2018-04-24T12:00:00-04:00")


@pytest.mark.slow
def test_plan_infeasible_exits_1(write_plan) -> None:  # type: ignore[no-untyped-def]
    data = plan_with(flexible("a", "9h", "2018-04-24", "2018-04-24"))
    result = run("plan", write_plan(data), "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.startswith("No schedule exists.\n'A' (tour/a) needs 9 h on 24 Apr")


def test_plan_report_json_is_one_document_in_every_outcome(write_plan) -> None:  # type: ignore[no-untyped-def]
    """``--report json`` is JSON on stdout whatever happens: without --write (that printed the
    table), with no schedule, for a plan read from standard input, and for one that does not
    load (the load-errors document of every command that speaks JSON)."""
    timing = ("seconds", "first_schedule_after_seconds")
    alone = json.loads(run("plan", BUNDLED, "--lang", "en", "--format", "json").stdout)
    placed = run("plan", BUNDLED, "--lang", "en", "--report", "json")
    assert placed.exit_code == 0, placed.output
    document = json.loads(placed.stdout)
    for key in timing:  # the time the search took, different on each run
        del document["schedule"][key], alone[key]
    assert document == {"version": 1, "file": str(BUNDLED), "changed": [], "schedule": alone}
    data = plan_with(
        flexible("a", "3h", "2018-04-24", "2018-04-24"),
        flexible("b", "3h", "2018-04-24", "2018-04-24", after=["a"]),
    )
    piped = run("plan", "-", "--report", "json", input=json.dumps(data))
    assert piped.exit_code == 1
    document = json.loads(piped.stdout)
    assert (document["file"], document["changed"]) == (None, [])
    assert document["schedule"]["status"] == "infeasible"
    data["trips"][0]["activities"][0]["duration"] = "three hours"
    broken = run("plan", write_plan(data), "--report", "json")
    assert broken.exit_code == 2
    assert json.loads(broken.stdout)["load_errors"][0]["path"] == "trips[0].activities[0].duration"


def test_plan_refuses_to_write_the_bundled_plan() -> None:
    result = run("plan", "--write")
    assert result.exit_code == 2
    assert "the bundled plan is part of tripplan and is not edited" in result.stderr


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_time_limit_must_be_positive(limit: str) -> None:
    assert run("plan", "--time-limit", limit).exit_code == 2


def test_nothing_is_placed_at_night() -> None:
    data = plan_with(flexible("dinner", "1h", "2018-04-24", "2018-04-24", kind="meal"))
    result = schedule(validate(data))
    (placement,) = result.placements
    assert placement.start.hour >= 7 and placement.end.hour <= 22
    assert starts(data) == {"tour/dinner": "2018-04-24 07:30 EDT"}


def test_explanations_in_german(write_plan) -> None:  # type: ignore[no-untyped-def]
    data = plan_with(
        flexible("a", "3h", "2018-04-24", "2018-04-24"),
        flexible("b", "3h", "2018-04-24", "2018-04-24", after=["a"]),
    )
    result = run("plan", write_plan(data), "--lang", "de")
    assert result.exit_code == 1
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "Keine Einplanung möglich.",
        "Diese 2 Aktivitäten lassen sich nicht alle zusammen einplanen:",
        "- 'A' (tour/a) braucht 3 h am 24.04. in New York; für sich allein könnte es",
        "beginnen: 24.04. 11:30–14:00.",
        "- 'B' (tour/b) braucht 3 h am 24.04. in New York; für sich allein könnte es",
        "beginnen: 24.04. 11:30–14:00.",
        "Verbunden durch: a und b haben gemeinsame Teilnehmende und dürfen sich nicht",
        "überschneiden; b muss nach a kommen; niemand arbeitet mehr als 8 h am Tag.",
    ]


def test_the_time_limit_bounds_preparing_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """60 activities, each with its own participant, windows over most of a year: working
    out their possible times alone takes longer than the limit. A counted clock (each
    reading advances it 10 ms) keeps the test independent of the machine's speed."""
    import itertools

    from tripplan.planning import scheduler

    ticks = itertools.count()
    monkeypatch.setattr(scheduler.clock, "monotonic", lambda: next(ticks) * 0.01)
    data = small_plan()
    trip = data["trips"][0]
    trip.update(first_day="2018-01-02", last_day="2018-12-30", legs=[])
    trip["stays"] = [{"community": "host", "check_in": "2018-01-02", "check_out": "2018-12-29"}]
    data["communities"][0]["timezone"] = "America/New_York"  # everyone is already there
    data["delegates"] = [{"id": f"p{i}", "name": f"P{i}", "home": "host"} for i in range(60)]
    data["delegations"][0].update(home="host", members=[f"p{i}" for i in range(60)])
    trip["activities"] = [
        {"id": f"f{n}", "title": f"F{n}", "kind": "workshop", "community": "host",
         "duration": "2h", "window_start": "2018-01-03", "window_end": "2018-12-28",
         "participants": [f"p{n}"]}
        for n in range(60)
    ]  # fmt: skip
    result = scheduler.schedule(validate(data), time_limit=1.0)
    assert result.status == "undecided"
    assert english(result.explanation) == (
        "The time limit (1 s) ran out while the possible times of the activities were being "
        "worked out, before the search began. Give it more time with --time-limit, or narrow "
        "the windows.",
    )
    assert next(ticks) < 200  # it stopped at the limit, not after preparing everything


def _placed_and_checked(data: dict[str, Any]) -> list[str]:
    """Schedule, record the placements, and return the codes of scheduling-rule findings."""
    result = schedule(validate(data))
    assert result.status == "placed", result.explanation
    placed = {p.uid: p.start for p in result.placements}
    for trip in data["trips"]:
        for activity in trip["activities"]:
            when = placed.get(f"{trip['id']}/{activity['id']}")
            if when is not None:
                activity["placed"] = when.strftime("%Y-%m-%dT%H:%M")
    return [f.code for f in build_itinerary(validate(data)).findings if f.code in RULE_CODES]


def test_after_a_fixed_activity_is_kept() -> None:
    """The bundled plan's workshop comes after fixed meetings: 'check' agrees with 'plan'."""
    import tomllib

    with BUNDLED.open("rb") as handle:
        data = json.loads(json.dumps(tomllib.load(handle), default=str))
    assert _placed_and_checked(data) == []
    # on the small plan: ann meets 09:00–11:00; ben's workshop comes after that meeting
    data = plan_with(flexible("w", "2h", "2018-04-24", "2018-04-24", after=["meet"],
                              participants=["ben"]))  # fmt: skip
    data["trips"][0]["activities"][0]["participants"] = ["ann"]
    assert starts(data)["tour/w"] == "2018-04-24 11:00 EDT"
    assert _placed_and_checked(data) == []


def test_a_call_is_joined_from_wherever_people_are() -> None:
    """ann and ben are in New York; a call hosted in Bautzen still fits their day there."""
    call = {"id": "c", "title": "Call", "kind": "call", "community": "home", "duration": "1h",
            "window_start": "2018-04-24", "window_end": "2018-04-24"}  # fmt: skip
    data = plan_with()
    data["trips"][0]["activities"].append(call)
    assert _placed_and_checked(data) == []


def test_free_time_keeps_no_one_busy() -> None:
    data = plan_with(
        flexible("walk", "8h", "2018-04-24", "2018-04-24", kind="free_time"),
        meeting=("2018-04-24T09:00", "2018-04-24T17:00"),
    )
    assert _placed_and_checked(data) == []


def test_a_flexible_activity_placed_at_night_is_flagged() -> None:
    def night(start: str) -> list[str]:
        data = plan_with(flexible("w", "1h", "2018-04-24", "2018-04-24", kind="meal",
                                  placed=start))  # fmt: skip
        return [f.code for f in build_itinerary(validate(data)).findings if f.code == "at-night"]

    assert night("2018-04-24T22:30") == ["at-night"]
    assert night("2018-04-24T21:00") == []  # ends at 22:00: a near miss


def test_a_work_budget_gives_the_same_answer_every_time() -> None:
    """Stopped by its budget, the search returns the best schedule found so far, the same
    on every run and every machine, and does not call it optimal."""
    plan = validate(six_workshops())
    runs = [schedule(plan, max_nodes=2_000) for _ in range(3)]
    assert {r.status for r in runs} == {"placed"}
    assert {r.optimal for r in runs} == {False}
    assert {r.nodes for r in runs} == {2_000}
    assert runs[0].placements == runs[1].placements == runs[2].placements
    assert runs[0].cost == runs[1].cost == runs[2].cost


def test_a_budget_that_finds_nothing_is_undecided_never_infeasible() -> None:
    result = schedule(validate(six_workshops()), max_nodes=3)
    assert result.status == "undecided"
    assert english(result.explanation) == (
        "The work budget (3 steps) ran out before the built-in search found a schedule or "
        "proved that none exists. Give it more with --max-nodes, or widen windows.",
    )
    assert german(result.explanation) == (
        "Das Arbeitsbudget (3 Schritte) war verbraucht, bevor die eingebaute Suche einen Plan "
        "gefunden oder bewiesen hat, dass es keinen gibt. Mit --max-nodes mehr geben oder "
        "Zeitfenster erweitern.",
    )


@pytest.mark.slow
def test_plan_json_is_byte_identical_run_after_run(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(six_workshops()), encoding="utf-8")
    outputs = []
    for _ in range(3):
        result = run("plan", plan, "-f", "json", "--max-nodes", "5000")
        document = json.loads(result.stdout)
        for timing in ("seconds", "first_schedule_after_seconds"):
            document.pop(timing, None)
        outputs.append(json.dumps(document, sort_keys=True))
    assert outputs[0] == outputs[1] == outputs[2]


def test_activities_of_different_kinds_never_share_their_possible_times() -> None:
    """Free time keeps no one busy, a meal does: the meal must still keep 30 minutes from
    the meeting at another venue, even with a free-time twin of the same length."""
    data = plan_with(
        flexible("rest", "30m", "2018-04-24", "2018-04-24", kind="free_time"),
        flexible("lunch", "30m", "2018-04-24", "2018-04-24", kind="meal"),
    )
    assert _placed_and_checked(data) == []
    lunch = starts(data)["tour/lunch"]
    assert lunch not in ("2018-04-24 08:45 EDT", "2018-04-24 11:00 EDT")


def test_each_line_of_an_explanation_carries_the_reason_codes_it_names() -> None:
    """In the result and in JSON: the ties by the constraints' codes, an activity that fits
    nowhere by the codes of the refusals it shows (the day outside the trip included), a line
    that names none with none; the terminal shows the messages only."""
    from tripplan.planning.rules import Reason
    from tripplan.render.schedule import schedule_document

    data = plan_with(
        flexible("a", "3h", "2018-04-24", "2018-04-24"),
        flexible("b", "3h", "2018-04-24", "2018-04-24", after=["a"]),
    )
    result = schedule(validate(data))
    assert [line.reasons for line in result.explanation] == [
        (),
        (),
        (),
        (Reason.BUSY, Reason.ORDER, Reason.DAILY_LOAD),
    ]
    document = schedule_document(result, Lang.de)
    assert document["version"] == 2
    assert document["explanation"][0] == {
        "reasons": [],
        "message": "Diese 2 Aktivitäten lassen sich nicht alle zusammen einplanen:",
    }
    assert document["explanation"][-1]["reasons"] == ["busy", "order", "daily-load"]
    assert document["explanation"][-1]["message"].startswith("Verbunden durch: a und b")
    alone = plan_with(flexible("a", "1h", "2018-04-21", "2018-04-23", kind="meal",
                               community="home"))  # fmt: skip
    (line,) = schedule(validate(alone)).explanation
    assert line.reasons == (Reason.TRAVELLING, Reason.ELSEWHERE, Reason.OUTSIDE_TRIP)


def test_every_reason_code_is_documented() -> None:
    from helpers import ROOT

    from tripplan.planning.rules import Reason

    text = (ROOT / "docs" / "json-output.md").read_text(encoding="utf-8")
    for reason in Reason:
        assert f"`{reason}`" in text, reason


def test_explanations_read_the_constraints_of_the_rules_by_their_reason() -> None:
    """The tie between two activities at different venues is the transfer rule's gap, as the
    rule states it; every refused start carries a reason code, and the edges of the day are
    left out by that code."""
    from tripplan.planning import rules
    from tripplan.planning.scheduler import build_problem

    data = plan_with(
        flexible("a", "3h", "2018-04-24", "2018-04-24", venue="Pier"),
        flexible("b", "3h", "2018-04-24", "2018-04-24", venue="Zoo"),
    )
    result = schedule(validate(data))
    assert result.status == "infeasible"
    assert english(result.explanation)[-1] == (
        "They are tied by: a and b share participants and need 30 min between venues; nobody "
        "works more than 8 h a day."
    )
    problem = build_problem(validate(data))
    refusals = [why for task in problem.tasks for day in task.reasons.values() for why, _ in day]
    assert refusals
    assert all(isinstance(why.reason, rules.Reason) for why in refusals)
    assert rules.Reason.OUTSIDE_HOURS in {why.reason for why in refusals}
    assert {rules.Reason.OUTSIDE_HOURS, rules.Reason.AT_NIGHT} == rules.EDGES_OF_THE_DAY
