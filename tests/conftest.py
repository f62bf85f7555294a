"""Shared fixtures: a small plan to vary, the bundled plan, and a CLI runner at 80 columns."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from tripplan.cli import app
from tripplan.loader import bundled_plan_path

# Tests never write into the user's cache: reference data is cached in a fresh folder.
os.environ["TRIPPLAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="tripplan-test-cache-")

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


@pytest.fixture
def small() -> dict[str, Any]:
    """A fresh deep copy of the small plan, to vary in a test."""
    return copy.deepcopy(SMALL_PLAN)


@pytest.fixture
def write_plan(tmp_path: Path) -> Callable[..., Path]:
    """Write a plan (dict → JSON, str → as given) into tmp_path and return its path."""

    def write(data: dict[str, Any] | str | bytes, name: str = "plan.json") -> Path:
        path = tmp_path / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        elif isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return write


def run(*args: str | Path, input: str | None = None) -> Result:
    """Run the CLI as a user would, at 80 columns with colour off."""
    runner = CliRunner(env=CLI_ENV)
    return runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture(autouse=True)
def _no_local_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in an empty directory so no ./tripplan.toml is picked up."""
    monkeypatch.chdir(tmp_path)
