"""Proof by property (#23 item 8): every count in a host brief equals the count a script
computes from the itinerary's JSON (and the plan's homes and airports), over the bundled
plan and generated plans in named zones across the 2018 DST switches."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from generated import plans
from helpers import BUNDLED
from hypothesis import HealthCheck, given, settings

from tripplan import build_itinerary, load_plan
from tripplan.loader import validate
from tripplan.models import Plan
from tripplan.planning.brief import host_brief
from tripplan.render.brief import brief_document
from tripplan.render.jsonout import itinerary_document
from tripplan.vocabulary import Lang


def _expected(plan: Plan, events: list[dict[str, Any]], host: str) -> dict[str, Any]:
    """The brief's counts, from the itinerary's JSON alone (plus homes and airports)."""
    home = {d.id: d.home for d in plan.delegates}
    airports = set(next(c for c in plan.communities if c.id == host).airports)
    hosted = {t.id for t in plan.trips if host in t.hosts}

    def here(endpoint: str | None) -> bool:
        return endpoint == host or endpoint in airports

    def visitors(people: list[str]) -> set[str]:
        return {p for p in people if home[p] != host}

    movements = []
    present: dict[date, set[str]] = defaultdict(set)
    arriving: dict[date, int] = defaultdict(int)
    leaving: dict[date, int] = defaultdict(int)
    sleeping: dict[date, set[str]] = defaultdict(set)
    for e in events:
        if e["category"] == "travel" and e["start"] and e["end"]:
            arrives, leaves = here(e["destination"]), here(e["origin"])
            guests = visitors(e["attendees"])
            if arrives == leaves or not (guests or e["trip"] in hosted):
                continue
            when = datetime.fromisoformat(e["end"] if arrives else e["start"])
            movements.append(
                (e["uid"], "arrival" if arrives else "departure", len(e["attendees"]), len(guests))
            )
            (arriving if arrives else leaving)[when.date()] += len(guests)
            present[when.date()] |= guests
    appointments = {}
    for e in events:
        if e["category"] == "activity" and e["community"] == host:
            guests = visitors(e["attendees"])
            appointments[e["uid"]] = (len(guests), len(e["attendees"]) - len(guests))
            if e["start"] and e["kind"] != "call":
                start = datetime.fromisoformat(e["start"])
                end = datetime.fromisoformat(e["end"]) - timedelta(microseconds=1)
                day = start.date()
                while day <= end.date():
                    present[day] |= guests
                    day += timedelta(days=1)
    lodging = []
    for e in events:
        if e["category"] == "stay" and e["community"] == host:
            first, last = date.fromisoformat(e["first_day"]), date.fromisoformat(e["last_day"])
            nights = (last - first).days + 1
            people = len(e["attendees"])
            lodging.append((e["uid"].split("/", 1)[1], nights, people, nights * people))
            for n in range(nights):
                night = first + timedelta(days=n)
                sleeping[night] |= set(e["attendees"])
                present[night] |= visitors(e["attendees"])
                present[night + timedelta(days=1)] |= visitors(e["attendees"])
    days = {
        d: (len(present[d]), arriving[d], leaving[d], len(sleeping[d]))
        for d in {*present, *arriving, *leaving, *sleeping}
        if present[d] or arriving[d] or leaving[d] or sleeping[d]
    }
    return {
        "movements": movements,
        "appointments": appointments,
        "lodging": lodging,
        "days": days,
    }


def _actual(document: dict[str, Any]) -> dict[str, Any]:
    return {
        "movements": [
            (m["leg"], m["direction"], m["people"], m["visitors"]) for m in document["movements"]
        ],
        "appointments": {
            a["event"]: (a["visitors"], a["locals"])
            for a in document["appointments"] + document["meals"]
        },
        "lodging": [
            (s["stay"], s["nights"], s["people"], s["room_nights"]) for s in document["lodging"]
        ],
        "days": {
            date.fromisoformat(d["day"]): (
                d["visitors"],
                d["arriving"],
                d["leaving"],
                d["sleeping"],
            )
            for d in document["days"]
        },
    }


def _agree(plan: Plan, host: str) -> None:
    itinerary = build_itinerary(plan)
    events = json.loads(json.dumps(itinerary_document(itinerary, Lang.en)))["events"]
    brief = brief_document(host_brief(itinerary, host), Lang.en)
    expected = _expected(plan, events, host)
    actual = _actual(brief)
    # lodging rows are named by the stay's title in the brief: compare the counts
    assert [row[1:] for row in actual["lodging"]] == [row[1:] for row in expected["lodging"]]
    assert actual["movements"] == expected["movements"]
    assert actual["appointments"] == expected["appointments"]
    assert actual["days"] == expected["days"]
    assert sum(d[1] for d in actual["days"].values()) == sum(
        m[2] for m in actual["movements"] if m[1] == "arrival"
    )


def test_the_bundled_briefs_agree_with_the_itinerary() -> None:
    plan = load_plan(BUNDLED)
    for host in sorted({h for t in plan.trips for h in t.hosts}):
        _agree(plan, host)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_generated_briefs_agree_with_the_itinerary(data: dict[str, Any]) -> None:
    _agree(validate(data), "host")
