"""Shared fixtures: a small plan to vary and build, files to write it to, an empty working
directory for every test, and the hypothesis profiles.

What tests share that is not a fixture (the plans themselves, the CLI runner) lives in
``helpers.py``; tests import that module, never conftest and never one another.

Hypothesis profiles (``HYPOTHESIS_PROFILE=thorough uv run pytest`` picks one):

- ``suite`` (the default): a few dozen examples per property, for a suite that runs in well
  under a minute;
- ``thorough``: a thousand examples per property, for a change to the solvers, the loader or
  the export (minutes, not seconds).
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from caldav_servers import (  # noqa: F401 (the session servers, for every module)
    radicale_server_fixture,
    xandikos_server_fixture,
)
from helpers import BUNDLED, CLI_ENV, ROOT, SMALL_PLAN, Build, Mutation, run
from hypothesis import HealthCheck, settings

from tripplan.itinerary import Itinerary
from tripplan.loader import validate
from tripplan.planning.build import build_itinerary

# Kept importable from here for modules that have not moved to ``helpers`` yet.
__all__ = ["BUNDLED", "CLI_ENV", "ROOT", "SMALL_PLAN", "run"]

# Tests never write into the user's cache: reference data is cached in a fresh folder (one
# per process: each xdist worker has its own), removed when the process ends.
_CACHE = tempfile.TemporaryDirectory(prefix="tripplan-test-cache-")
os.environ["TRIPPLAN_CACHE_DIR"] = _CACHE.name

# The suite runs the same however it is started: nothing of the caller's environment that
# tripplan reads (a CI runner's CI=1, a developer's password, ~/.netrc or debug switch).
for _variable in (
    "CI",
    "FORCE_COLOR",
    "SOURCE_DATE_EPOCH",
    "TRIPPLAN_CALDAV_PASSWORD",
    "TRIPPLAN_DEBUG",
    "TRIPPLAN_PROGRESS_AFTER",
):
    os.environ.pop(_variable, None)
os.environ["NETRC"] = os.path.join(_CACHE.name, "no-netrc")

# No deadline: a run of the CLI may take a second on a loaded machine; that is not a failure.
for _name, _examples in (("suite", 25), ("thorough", 1000)):
    settings.register_profile(
        _name, max_examples=_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# Modules whose every test starts real programs (servers, a browser, a terminal): "slow".
SLOW_MODULES = {"test_export_caldav.py", "test_terminal.py", "test_browser.py"}
# Tests of other modules that take seconds each (solving the benchmark plans).
SLOW_TESTS = {"test_plan_reaches_cp_sats_optimum_on_the_benchmark_plans"}


def _group(item: pytest.Item) -> str:
    """The xdist group of a test (``--dist loadgroup``: a group runs whole on one worker).

    A module is one group, so that its module fixtures are made once, as ``loadfile`` did;
    except the CalDAV publishing tests, the longest module by far, which run as two groups, one
    per real server (each started once, on the worker that runs its group), so that the two
    workers finish together instead of one waiting for that module."""
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec is not None else {}
    if item.path.name == "test_export_caldav.py" and params.get("server") == "xandikos":
        return "caldav-xandikos"
    return item.path.name


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as slow what the quick inner loop (``uv run pytest -m "not slow"``) leaves out:
    the modules above, every hypothesis property and what is marked ``slow`` by hand. Give
    each test its xdist group (:func:`_group`)."""
    for item in items:
        function = getattr(item, "function", None)
        slow = item.path.name in SLOW_MODULES or getattr(item, "originalname", "") in SLOW_TESTS
        if slow or getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
        item.add_marker(pytest.mark.xdist_group(_group(item)))


@pytest.fixture
def small() -> dict[str, Any]:
    """A fresh deep copy of the small plan, to vary in a test."""
    return copy.deepcopy(SMALL_PLAN)


@pytest.fixture
def small_itinerary() -> Build:
    """Build the small plan after ``mutate`` changed a fresh copy of it (unchanged if none):
    mutate, validate, build."""

    def build(mutate: Mutation | None = None) -> Itinerary:
        data = copy.deepcopy(SMALL_PLAN)
        if mutate is not None:
            mutate(data)
        return build_itinerary(validate(data))

    return build


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


@pytest.fixture(autouse=True)
def _no_local_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in an empty directory so no ./tripplan.toml is picked up."""
    monkeypatch.chdir(tmp_path)
