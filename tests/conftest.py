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

import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from caldav_servers import (  # noqa: F401 (the session servers, for every module)
    radicale_server_fixture,
    xandikos_server_fixture,
)
from helpers import BUNDLED, CLI_ENV, ROOT, SMALL_PLAN, Build, Mutation, run, small_plan
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

# Nor on whether the caller's shell forbids bytecode (PYTHONDONTWRITEBYTECODE, set in many
# containers): with it, each worker and each `python -m tripplan` the tests start would compile
# tripplan and its packages from source again, a quarter of the suite's time. Python's own
# rule applies instead: the first import writes the bytecode to __pycache__ folders (in .venv
# and in the checkout, where git ignores them), and later ones read it.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

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


# -- workers that finish together -----------------------------------------------------------
#
# ``-n auto --dist loadfile``: each module runs whole on one worker, so its module and session
# fixtures (servers, plans) are made once there. "auto" is one worker more than the cores this
# process may use: a good part of the suite waits (on a CalDAV server, a browser, a terminal,
# a subprocess), and a third worker on two cores fills those waits (measured: 54 s with two
# workers, 50 s with three, 50 s with four). The scheduler below differs in two ways:
# the CalDAV publishing tests run as two units, one per real server (each started on the
# worker that runs its unit), and the units are handed out longest first, so that the last
# unit to start is a short one and both workers finish at about the same time.

CALDAV = "test_export_caldav.py"
LONGEST_FIRST = (
    CALDAV,
    f"{CALDAV}::xandikos",
    "test_solvers.py",
    "test_booklet_safety.py",
    "test_terminal.py",
    "test_cli.py",
    "test_hardening.py",
    "test_booklet_truth.py",
    "test_architecture.py",
    "test_surfaces.py",
    "test_browser.py",
    "test_export_ics.py",
    "test_edit.py",
    "test_booklet.py",
    "test_docs.py",
    "test_scheduler.py",
    "test_costs.py",
    "test_bad_plans.py",
    "test_brief.py",
    "test_languages.py",
)
"""The units that take longest (their test time summed from ``--junitxml`` of a run with
three workers, 2026-12-06), longest first; the others
follow in collection order. Only an order: a unit missing here still runs, just later."""


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its module, or for the CalDAV tests against
    Xandikos, ``test_export_caldav.py::xandikos``."""
    module = nodeid.split("::", 1)[0]
    if module.rsplit("/", 1)[-1] == CALDAV and "[xandikos" in nodeid:
        return f"{module}::xandikos"
    return module


def _rank(item: pytest.Item) -> int:
    unit = unit_of(item.nodeid).rsplit("/", 1)[-1]
    return LONGEST_FIRST.index(unit) if unit in LONGEST_FIRST else len(LONGEST_FIRST)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: the cores this process may run on, plus one."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) + 1
    return (os.cpu_count() or 1) + 1


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist loadfile``, the units of :func:`unit_of`, in collection order (which
    :func:`pytest_collection_modifyitems` made longest first)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class Units(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    config.option.loadscopereorder = False  # xdist would order the units by their size
    return Units(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark as slow what the quick inner loop (``uv run pytest -m "not slow"``) leaves out:
    the modules above, every hypothesis property and what is marked ``slow`` by hand. Put
    the longest units first (:data:`LONGEST_FIRST`), each in its own order."""
    for item in items:
        function = getattr(item, "function", None)
        slow = item.path.name in SLOW_MODULES or getattr(item, "originalname", "") in SLOW_TESTS
        if slow or getattr(function, "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
    items.sort(key=_rank)  # stable: each module keeps its order


@pytest.fixture
def small() -> dict[str, Any]:
    """A fresh copy of the small plan, to vary in a test."""
    return small_plan()


@pytest.fixture
def small_itinerary() -> Build:
    """Build the small plan after ``mutate`` changed a fresh copy of it (unchanged if none):
    mutate, validate, build."""

    def build(mutate: Mutation | None = None) -> Itinerary:
        return build_itinerary(validate(small_plan(*([mutate] if mutate else []))))

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
