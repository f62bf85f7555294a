"""What several test modules share: the small plan, the bundled plan, a CLI runner at 80
columns, plans with private data, and builders of plans with flexible activities.

A plain module, not a test module: tests import it, never each other (and never conftest,
whose fixtures pytest hands out by name)."""

from __future__ import annotations

import copy
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from tripplan.cli import app
from tripplan.itinerary import Itinerary
from tripplan.loader import bundled_plan_path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = bundled_plan_path()

# Pinned terminal: 80 columns, no colour, no terminal.
CLI_ENV = {"COLUMNS": "80", "LINES": "200", "NO_COLOR": "1", "TERM": "dumb", "TRIPPLAN_DEBUG": None}

SMALL_PLAN: dict[str, Any] = {
    "version": 1,
    "programme": {"name": "Small exchange", "year": 2018, "organiser": "Org", "language": "en"},
    "communities": [
        {
            "id": "home",
            "name": "Bautzen",
            "alt_names": ["Budyšin"],
            "country": "DE",
            "subdivision": "DE-SN",
            "timezone": "Europe/Berlin",
        },
        {
            "id": "host",
            "name": "New York",
            "country": "US",
            "timezone": "America/New_York",
            "airports": ["JFK"],
        },
    ],
    "delegates": [
        {
            "id": "ann",
            "name": "Ann",
            "home": "home",
            "private": {"phone": "+49 1", "passport_expiry": "2025-01-01", "esta": "approved"},
        },
        {
            "id": "ben",
            "name": "Ben",
            "home": "home",
            "private": {"passport_expiry": "2024-01-01", "esta": "approved"},
        },
    ],
    "delegations": [
        {"id": "bz", "name": "Delegation Bautzen", "home": "home", "members": ["ann", "ben"]}
    ],
    "trips": [
        {
            "id": "tour",
            "title": "Study tour",
            "kind": "study_tour",
            "delegations": ["bz"],
            "hosts": ["host"],
            "first_day": "2018-04-23",
            "last_day": "2018-04-26",
            "stays": [{"community": "host", "check_in": "2018-04-23", "check_out": "2018-04-25"}],
            "legs": [
                {
                    "id": "to-fra",
                    "mode": "train",
                    "from": "home",
                    "to": "FRA",
                    "departs": "2018-04-23T05:00",
                    "arrives": "2018-04-23T09:00",
                },
                {
                    "id": "out",
                    "mode": "flight",
                    "from": "FRA",
                    "to": "JFK",
                    "departs": "2018-04-23T10:30",
                    "arrives": "2018-04-23T13:00",
                    "carrier": "LH",
                    "number": "400",
                },
                {
                    "id": "back",
                    "mode": "flight",
                    "from": "JFK",
                    "to": "FRA",
                    "departs": "2018-04-25T18:00",
                    "arrives": "2018-04-26T08:00",
                },
                {
                    "id": "home-again",
                    "mode": "train",
                    "from": "FRA",
                    "to": "home",
                    "departs": "2018-04-26T10:00",
                    "arrives": "2018-04-26T14:00",
                },
            ],
            "activities": [
                {
                    "id": "meet",
                    "title": "Meeting with practitioners",
                    "kind": "meeting",
                    "community": "host",
                    "venue": "City Hall",
                    "start": "2018-04-24T09:00",
                    "end": "2018-04-24T11:00",
                }
            ],
        }
    ],
}


# A change to a copy of the small plan, and what builds the small plan after one (the
# ``small_itinerary`` fixture of conftest).
Mutation = Callable[[dict[str, Any]], Any]
Build = Callable[..., Itinerary]


def small_plan(*mutations: Mutation) -> dict[str, Any]:
    """A fresh copy of the small plan (its data, before validation), changed by each of
    ``mutations`` in turn: what a test varies."""
    data = copy.deepcopy(SMALL_PLAN)
    for mutate in mutations:
        mutate(data)
    return data


def run(*args: str | Path, input: str | None = None) -> Result:
    """Run the CLI as a user would, at 80 columns with colour off."""
    runner = CliRunner(env=CLI_ENV)
    return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


# -- private data, to show that it reaches no output meant for others ------------------------

with BUNDLED.open("rb") as _handle:
    BUNDLED_DATA: dict[str, Any] = json.loads(json.dumps(tomllib.load(_handle), default=str))

MARKERS = {
    "phone": "PRIVATE-PHONE-4711",
    "email": "private-mail-4712@example.invalid",
    "dietary": "PRIVATE-DIET-4713",
    "access": "PRIVATE-ACCESS-4714",
    "emergency_contact": "PRIVATE-EMERGENCY-4715",
}


def private_plan(tmp_path: Path) -> Path:
    """The bundled plan with a marker in every private field of every delegate."""
    data = copy.deepcopy(BUNDLED_DATA)
    for delegate in data["delegates"]:
        delegate.setdefault("private", {}).update(MARKERS)
        delegate["private"]["passport_expiry"] = "2031-07-19"
    path = tmp_path / "tripplan.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def leaks(text: str) -> list[str]:
    """The private markers (and the passport expiry in its spellings) found in ``text``."""
    unfolded = text.replace("\r\n ", "").replace("\n ", "")
    return [
        m for m in [*MARKERS.values(), "2031-07-19", "20310719", "19 Jul 2031"] if m in unfolded
    ]


# -- the small plan with flexible activities, for the scheduler and the solvers --------------

# Rules the scheduler promises; the checks module verifies them on its own.
RULE_CODES = {
    "double-booked",
    "wrong-place",
    "outside-trip",
    "off-hours",
    "arrival-rest",
    "too-close",
    "long-day",
    "out-of-order",
    "outside-window",
    "at-night",
}


def plan_with(*activities: dict[str, Any], meeting: tuple[str, str] | None = None) -> Any:
    """The small plan with ``activities`` added in the host community (a workshop unless
    said otherwise), and its fixed meeting moved to ``meeting`` (start, end) if given."""
    data = small_plan()
    trip = data["trips"][0]
    if meeting:
        trip["activities"][0].update(start=meeting[0], end=meeting[1])
    for activity in activities:
        trip["activities"].append({"community": "host", "kind": "workshop", **activity})
    return data


def flexible(ident: str, duration: str, first: str, last: str, **more: Any) -> dict[str, Any]:
    """A flexible activity: a duration and a window of days instead of a time."""
    return {
        "id": ident,
        "title": ident.capitalize(),
        "duration": duration,
        "window_start": first,
        "window_end": last,
        **more,
    }


def six_workshops() -> dict[str, Any]:
    """Six 90-minute workshops over two days, mornings and afternoons alternately preferred."""
    return plan_with(*(
        flexible(f"x{n}", "90m", "2018-04-24", "2018-04-25",
                 preferred=("morning", "afternoon")[n % 2])
        for n in range(6)
    ))  # fmt: skip


# -- properties whose every example is expensive ---------------------------------------------


def typesetting_examples() -> Any:
    """Settings of a property whose every example typesets a PDF or runs the CLI several
    times: a fifth of the profile's examples (5 in the suite, 200 when thorough), no deadline."""
    from hypothesis import HealthCheck, settings

    return settings(
        max_examples=max(2, settings.default.max_examples // 5),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
