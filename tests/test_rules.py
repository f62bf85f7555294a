"""Every rule of a good schedule fires, and stays quiet on a near miss.

The small plan: ann and ben fly FRA 10:30 CEST → JFK, landing 23 Apr 2018 13:00 EDT (8 h
30 min, a long-haul flight); they meet practitioners at City Hall, New York, on 24 Apr
09:00–11:00; they fly back on 25 Apr 18:00. Settings are the defaults: 4 h of rest after a
long-haul flight, nothing after 20:00 on the day of arrival, 30 minutes between venues,
8 working hours a day, working hours 09:00–17:00 Monday to Friday.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from helpers import Build, Mutation, small_plan

from tripplan import build_itinerary
from tripplan.itinerary import Itinerary
from tripplan.loader import validate
from tripplan.planning import rules


def codes(itinerary: Itinerary) -> list[str]:
    return [f.code for f in itinerary.findings]


def add(**activity: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        item = {"id": "x", "title": "X", "kind": "workshop", "community": "host", **activity}
        data["trips"][0]["activities"].append(item)

    return mutate


def meeting(**fields: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["trips"][0]["activities"][0].update(fields)

    return mutate


CASES: list[tuple[str, str, Mutation, Mutation]] = [
    # rule's finding, what the case shows, fires, near miss
    ("double-booked", "busy",
     add(start="2018-04-24T10:30", end="2018-04-24T12:00", venue="City Hall"),
     add(start="2018-04-24T11:00", end="2018-04-24T12:00", venue="City Hall")),
    ("double-booked", "free time keeps no one busy",
     add(kind="meeting", start="2018-04-24T10:30", end="2018-04-24T12:00", venue="City Hall"),
     add(kind="free_time", start="2018-04-24T10:30", end="2018-04-24T12:00")),
    ("wrong-place", "presence",
     meeting(start="2018-04-23T11:00", end="2018-04-23T12:00"),  # still in the air
     meeting(start="2018-04-23T14:00", end="2018-04-23T15:00", kind="site_visit")),
    ("wrong-place", "a call is joined from anywhere",
     add(kind="meeting", community="home", start="2018-04-24T14:00", end="2018-04-24T15:00"),
     add(kind="call", community="home", start="2018-04-24T14:00", end="2018-04-24T15:00")),
    ("off-hours", "working hours",
     add(start="2018-04-24T16:30", end="2018-04-24T17:30"),
     add(start="2018-04-24T16:00", end="2018-04-24T17:00")),
    ("off-hours", "off_hours_ok",
     add(start="2018-04-24T17:00", end="2018-04-24T18:00"),
     add(start="2018-04-24T17:00", end="2018-04-24T18:00", off_hours_ok=True)),
    ("at-night", "waking hours (flexible activities)",
     add(kind="meal", duration="1h", window_start="2018-04-24", window_end="2018-04-24",
         placed="2018-04-24T21:30"),
     add(kind="meal", duration="1h", window_start="2018-04-24", window_end="2018-04-24",
         placed="2018-04-24T21:00")),
    ("arrival-rest", "rest after landing",
     add(start="2018-04-23T16:45", end="2018-04-23T17:00", off_hours_ok=True),
     add(start="2018-04-23T17:00", end="2018-04-23T17:15", off_hours_ok=True)),
    ("arrival-rest", "nothing late on the day of arrival",
     add(kind="meal", start="2018-04-23T19:00", end="2018-04-23T20:15"),
     add(kind="meal", start="2018-04-23T19:00", end="2018-04-23T20:00")),
    ("too-close", "transfer between venues",
     add(start="2018-04-24T11:15", end="2018-04-24T12:00", venue="Library"),
     add(start="2018-04-24T11:30", end="2018-04-24T12:00", venue="Library")),
    ("long-day", "daily load",
     add(start="2018-04-24T11:00", end="2018-04-24T17:15", off_hours_ok=True),
     add(start="2018-04-24T11:00", end="2018-04-24T17:00", off_hours_ok=True)),
    ("out-of-order", "order",
     add(duration="1h", window_start="2018-04-24", window_end="2018-04-24",
         placed="2018-04-24T10:30", after=["meet"], participants=["ben"]),
     add(duration="1h", window_start="2018-04-24", window_end="2018-04-24",
         placed="2018-04-24T11:00", after=["meet"], participants=["ben"])),
    ("outside-window", "window",
     add(duration="1h", window_start="2018-04-24T13:00", window_end="2018-04-24T16:00",
         placed="2018-04-24T15:30"),
     add(duration="1h", window_start="2018-04-24T13:00", window_end="2018-04-24T16:00",
         placed="2018-04-24T15:00")),
    ("outside-trip", "trip days (an end at midnight ends the day before)",
     add(kind="meal", community="home", start="2018-04-26T23:00", end="2018-04-27T00:15"),
     add(kind="meal", community="home", start="2018-04-26T23:00", end="2018-04-27T00:00")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "fires", "near_miss"),
    [(code, fires, near) for code, _, fires, near in CASES],
    ids=[why for _, why, _, _ in CASES],
)
def test_a_rule_fires_and_stays_quiet_on_a_near_miss(
    code: str, fires: Mutation, near_miss: Mutation, small_itinerary: Build
) -> None:
    assert code in codes(small_itinerary(fires))
    assert code not in codes(small_itinerary(near_miss))


def test_the_documentation_names_every_rule() -> None:
    from helpers import ROOT

    text = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    for code in {code for code, *_ in CASES}:
        assert f"`{code}`" in text, code
    assert rules.__doc__ is not None
    for name in ("busy", "presence", "working hours", "waking hours", "window", "trip days",
                 "arrival", "transfer", "daily load", "order"):  # fmt: skip
        assert f"**{name}**" in rules.__doc__, name


def test_every_rule_both_reports_and_admits() -> None:
    """Each rule is one object with both halves: what `check` reports, what `plan` admits."""
    assert len({rule.name for rule in rules.RULES}) == len(rules.RULES)
    for rule in rules.RULES:
        assert rule.codes, rule.name
        assert type(rule).report is not rules.Rule.report, rule.name
        assert type(rule).admits is not rules.Rule.admits, rule.name


def test_the_documentation_table_lists_exactly_the_rules() -> None:
    from helpers import ROOT

    text = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    table = text.split("## Rules of a good schedule", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1:4] for line in table.splitlines() if line.startswith("| ")]
    documented = {name.strip(): found for name, _, found in rows[1:]}
    assert set(documented) == {rule.name for rule in rules.RULES}
    for rule in rules.RULES:
        for code in rule.codes:
            if not code.endswith("-more"):  # the note that more pairs exist than are listed
                assert f"`{code}`" in documented[rule.name], (rule.name, code)


def _flexible(ident: str, window: tuple[str, str], duration: str, placed: str,
              **fields: Any) -> dict[str, Any]:  # fmt: skip
    return {"id": ident, "title": ident.upper(), "kind": "meal", "community": "host",
            "duration": duration, "window_start": window[0], "window_end": window[1],
            "placed": placed, **fields}  # fmt: skip


DAY = "2018-04-24"
REMOVED: list[tuple[type[rules.Rule], str, list[dict[str, Any]]]] = [
    # the rule, its finding, flexible activities whose every placement breaks it (placed so)
    (rules.Busy, "double-booked", [
        _flexible("a", (f"{DAY}T13:00", f"{DAY}T15:00"), "90m", f"{DAY}T13:00", venue="Pier"),
        _flexible("b", (f"{DAY}T13:00", f"{DAY}T15:00"), "90m", f"{DAY}T13:30", venue="Pier"),
    ]),
    (rules.Transfer, "too-close", [
        _flexible("a", (f"{DAY}T13:00", f"{DAY}T15:00"), "1h", f"{DAY}T13:00", venue="Pier"),
        _flexible("b", (f"{DAY}T13:00", f"{DAY}T15:00"), "1h", f"{DAY}T14:00", venue="Zoo"),
    ]),
    (rules.Order, "out-of-order", [
        _flexible("a", (f"{DAY}T14:00", f"{DAY}T15:00"), "1h", f"{DAY}T14:00",
                  participants=["ann"]),
        _flexible("b", (f"{DAY}T13:00", f"{DAY}T14:00"), "1h", f"{DAY}T13:00",
                  participants=["ben"], after=["a"]),
    ]),
    (rules.DailyLoad, "long-day", [  # 2 h of meeting and 2 × 3 h 30 min of workshops: 9 h
        _flexible("a", (f"{DAY}T07:00", f"{DAY}T22:00"), "210m", f"{DAY}T11:30",
                  kind="workshop", off_hours_ok=True, participants=["ann"]),
        _flexible("b", (f"{DAY}T07:00", f"{DAY}T22:00"), "210m", f"{DAY}T15:30",
                  kind="workshop", off_hours_ok=True, participants=["ann"]),
    ]),
    (rules.OfficeHours, "off-hours", [
        _flexible("a", (f"{DAY}T17:00", f"{DAY}T19:00"), "1h", f"{DAY}T17:00", kind="workshop"),
    ]),
    (rules.WakingHours, "at-night", [
        _flexible("a", (f"{DAY}T21:30", f"{DAY}T23:00"), "1h", f"{DAY}T21:30"),
    ]),
    (rules.Window, "outside-window", [  # its one start in the window is taken by lunch
        _flexible("a", (f"{DAY}T13:00", f"{DAY}T14:00"), "1h", f"{DAY}T15:00"),
        {"id": "lunch", "title": "Lunch", "kind": "meal", "community": "host",
         "start": f"{DAY}T13:00", "end": f"{DAY}T13:30"},
    ]),
    (rules.Presence, "wrong-place", [  # in Bautzen while both are in New York
        _flexible("a", (f"{DAY}T12:00", f"{DAY}T14:00"), "1h", f"{DAY}T12:00",
                  community="home"),
    ]),
    (rules.Arrival, "arrival-rest", [  # ends after 20:00 on the day of arrival
        _flexible("a", ("2018-04-23T19:00", "2018-04-23T21:00"), "75m", "2018-04-23T19:00"),
    ]),
    (rules.TripDays, "outside-trip", [  # at home the day before; on the trip's first day
        # its window holds only starts before 07:00, at night
        _flexible("a", ("2018-04-22T12:00", "2018-04-23T06:00"), "1h", "2018-04-22T12:00",
                  community="home"),
    ]),
]  # fmt: skip


def _solvers() -> list[Any]:
    """The search, and CP-SAT when installed."""
    from tripplan.planning.scheduler import search

    solvers: list[Any] = [search]
    try:
        from tripplan.planning import cpsat

        if cpsat.available():
            solvers.append(cpsat.cp_sat)
    except ImportError:  # pragma: no cover
        pass
    return solvers


def test_every_rule_is_tried_without_it() -> None:
    assert {rule for rule, _, _ in REMOVED} == {type(rule) for rule in rules.RULES}


@pytest.mark.parametrize(
    ("rule", "code", "activities"), REMOVED, ids=[rule.name for rule, _, _ in REMOVED]
)
def test_without_a_rule_neither_check_nor_plan_keeps_it(
    monkeypatch: pytest.MonkeyPatch,
    rule: type[rules.Rule],
    code: str,
    activities: list[dict[str, Any]],
) -> None:
    """Each rule states its constraints once: taken out of RULES, `check` no longer reports
    it and `plan` (the search, and CP-SAT when installed) no longer keeps it."""
    from tripplan.planning.scheduler import schedule

    solvers = _solvers()
    data = small_plan()
    data["trips"][0]["activities"].extend(copy.deepcopy(activities))
    plan = validate(data)
    assert code in [f.code for f in build_itinerary(plan).findings]
    for solve in solvers:
        assert schedule(plan, solver=solve).status == "infeasible", solve
    monkeypatch.setattr(rules, "RULES", tuple(r for r in rules.RULES if not isinstance(r, rule)))
    assert code not in [f.code for f in build_itinerary(plan).findings]
    for solve in solvers:
        assert schedule(plan, solver=solve).status == "placed", solve


def _fixed(ident: str, start: str, end: str, venue: str) -> dict[str, Any]:
    return {"id": ident, "title": ident.upper(), "kind": "meal", "community": "host",
            "start": f"{DAY}T{start}", "end": f"{DAY}T{end}", "venue": venue}  # fmt: skip


TOO_CLOSE: list[tuple[str, list[dict[str, Any]], list[str]]] = [
    # what the case shows, its activities (c placed where `plan` cannot place it), the
    # findings of `check` with every rule
    ("after two that overlap", [  # B, not A, comes just before C: A ends 10 minutes before it
        _fixed("a", "13:00", "15:00", "Pier"),
        _fixed("b", "13:30", "14:00", "Pier"),
        _flexible("c", (f"{DAY}T15:00", f"{DAY}T16:10"), "1h", f"{DAY}T15:10", venue="Zoo"),
    ], ["double-booked", "too-close"]),
    ("during another", [  # with the busy rule, the overlap is its finding, and only its
        _fixed("a", "13:00", "15:00", "Pier"),
        _flexible("c", (f"{DAY}T14:00", f"{DAY}T15:00"), "1h", f"{DAY}T14:00", venue="Zoo"),
    ], ["double-booked"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("activities", "findings"),
    [(activities, findings) for _, activities, findings in TOO_CLOSE],
    ids=[why for why, _, _ in TOO_CLOSE],
)
def test_check_reports_every_pair_the_transfer_rule_keeps_plan_from(
    monkeypatch: pytest.MonkeyPatch, activities: list[dict[str, Any]], findings: list[str]
) -> None:
    """Transfer's check reports every pair its constraint forbids, not only consecutive
    appointments: without the busy rule, appointments may overlap, and `check` still says
    what `plan` refuses (C too close after A); with it, an overlap is double-booked."""
    from tripplan.planning.scheduler import schedule
    from tripplan.render.i18n import translate

    data = small_plan()
    data["trips"][0]["activities"].extend(copy.deepcopy(activities))
    plan = validate(data)
    found = [f for f in build_itinerary(plan).findings if f.code in ("double-booked", "too-close")]
    assert [f.code for f in found] == findings
    assert found[-1].events == ("tour/a", "tour/c")
    monkeypatch.setattr(rules, "RULES", tuple(r for r in rules.RULES if r.name != "busy"))
    (finding,) = [f for f in build_itinerary(plan).findings if f.code == "too-close"]
    assert finding.events == ("tour/a", "tour/c")
    assert finding.people == ("ann", "ben")
    if len(activities) == 2:  # an overlap at another venue: said as the busy rule says it
        assert translate(finding.message, "en") == (
            "ann, ben would be in two places at once: 'A' (24 Apr 2018 13:00–15:00 EDT) "
            "overlaps 'C' (24 Apr 2018 14:00–15:00 EDT). Move one of them."
        )
    for solve in _solvers():
        assert schedule(plan, solver=solve).status == "infeasible", solve


def test_the_transfer_check_is_bounded_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its sweep counts its work (pairs compared, people matched) and says when it stops."""
    data = small_plan()
    data["trips"][0]["activities"].extend(
        _fixed(f"x{n}", f"{13 + n}:00", f"{13 + n}:45", ("Pier", "Zoo")[n % 2]) for n in range(4)
    )
    plan = validate(data)
    assert [f.code for f in build_itinerary(plan).findings if "too-close" in f.code] == [
        "too-close"
    ] * 3
    monkeypatch.setattr(rules, "MAX_OVERLAP_WORK", 2)  # the first pair is 1 + 2 people
    codes = [f.code for f in build_itinerary(plan).findings if "too-close" in f.code]
    assert codes == ["too-close", "too-close-more"]
