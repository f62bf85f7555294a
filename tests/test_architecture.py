"""Data flows one way: no module imports from a stage after its own; typer only in the CLI."""

from __future__ import annotations

import ast
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tripplan"
TESTS = Path(__file__).resolve().parent

# Each stage may import from its own stage and the ones before it.
STAGES: dict[str, int] = {
    "errors": 0,
    "characters": 0,
    "vocabulary": 0,
    "messages": 0,
    "timeutils": 1,
    "airports": 1,
    "files": 1,
    "cache": 1,
    "models": 2,
    "loader": 3,
    "schema": 3,
    "starter": 3,
    "edit": 3,
    "itinerary": 4,
    "calendar_reports": 4,
    "planning": 5,
    "render": 6,
    "export": 7,
    "cli": 8,
}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "tripplan" or len(parts) < 2:
        return None
    return STAGES.get(parts[1])


def _modules() -> list[Path]:
    return sorted(
        p
        for p in PACKAGE.rglob("*.py")
        if p.name not in {"__init__.py", "__main__.py"} or p.parent != PACKAGE
    )


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_from_a_later_stage(path: Path) -> None:
    relative = path.relative_to(PACKAGE).with_suffix("")
    own = STAGES[relative.parts[0]]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            stage = _stage(name)
            assert stage is None or stage <= own, f"{relative} (stage {own}) imports {name}"
            if name.split(".")[0] == "typer":
                assert relative.parts[0] == "cli", f"{relative} imports typer"


def test_only_the_cli_creates_consoles() -> None:
    """Rich consoles are made in one place, cli/app.py (its docstring says so)."""
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts == ("cli", "app.py"):
            continue
        assert "Console(" not in path.read_text(encoding="utf-8"), path


def _params(paths: list[Path]) -> list[Any]:
    return [pytest.param(path, id=path.name) for path in paths]


@pytest.mark.parametrize("path", _params(sorted(TESTS.glob("*.py"))))
def test_tests_import_no_test_module(path: Path) -> None:
    """A test module shares through fixtures (conftest, which pytest loads itself) and plain
    helper modules (helpers, snapshot, caldav_servers); importing another test module or
    conftest runs it a second time under another name and ties the two together."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top != "conftest" and not top.startswith("test_"), f"{path.name} imports {name}"


def test_properties_take_their_number_of_examples_from_the_profile() -> None:
    """``HYPOTHESIS_PROFILE`` (suite or thorough, tests/conftest.py) decides how many examples
    a property tries; a count written at one test (``max_examples`` of its ``@settings``) would
    override both."""
    written = re.compile(r"max_examples\s*=")
    for path in sorted(TESTS.glob("test_*.py")):
        assert not written.search(path.read_text(encoding="utf-8")), path.name


CLI_MODULES = sorted((PACKAGE / "cli").glob("*.py"))


@pytest.mark.parametrize("path", _params(CLI_MODULES))
def test_the_command_line_builds_no_document(path: Path) -> None:
    """Commands print what render/ made: no JSON document is put together in cli/ (neither
    serialised there nor written as a dict literal with a version)."""
    text = path.read_text(encoding="utf-8")
    assert "dump_json" not in text and "json.dumps" not in text, path.name
    assert not re.search(r"[{,]\s*\"version\":", text), path.name


def test_shared_options_are_declared_once() -> None:
    """--split, --audience, --lang, --report, --delegate and --out mean one thing each:
    declared in cli/app.py (with the help each command needs), used by every command that
    takes them."""
    for path in CLI_MODULES:
        if path.name == "app.py":
            continue
        text = path.read_text(encoding="utf-8")
        for option in ("--split", "--audience", "--lang", "--report", "--delegate", "--out"):
            assert not re.search(rf'typer\.Option\(\s*"{option}"', text), (path.name, option)


@functools.cache  # the package parsed once for every name
def _top_level_names() -> dict[str, list[str]]:
    """Each name defined at the top of a module of the package: the modules defining it
    (once each: a function's typing overloads are one definition)."""
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = str(path.relative_to(PACKAGE))
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names = []
            if isinstance(node, ast.ClassDef | ast.FunctionDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            for name in names:
                if module not in found.setdefault(name, []):
                    found[name].append(module)
    return found


def _commands_and_api() -> set[tuple[str, str]]:
    """Names that repeat a name on purpose: each command function (its name is the
    command's), and what the package's ``__init__`` offers to programs."""
    repeated = set()
    for path in (PACKAGE / "cli").glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                "command" in ast.unparse(d) for d in node.decorator_list
            ):
                repeated.add((node.name, str(path.relative_to(PACKAGE))))
    init = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in init.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            repeated |= {(ast.literal_eval(e), "__init__.py") for e in node.value.elts}  # type: ignore[attr-defined]
    return repeated


PER_MODULE = {
    "__all__": "a module's public names",
    "commands": "each command module's group of commands (cli/app.py: command_module)",
    "VERSION": "the version of the document format a renderer writes",
    "SCHEMA": "the schema address of the document a renderer writes",
}
"""Names every module of a kind has for its own thing, as ``__all__``."""


def test_a_public_name_means_one_thing() -> None:
    """A public name is defined in one module (Day meant a date in a message, a date field,
    a laid-out day and a booklet's day; Place a place of the allowance rules and a place
    of the account): the exceptions are the names each module has for its own thing, the
    command functions named after their commands, and the package's API."""
    purposeful = _commands_and_api()
    twice = {
        name: modules
        for name, modules in _top_level_names().items()
        if not name.startswith("_") and name not in PER_MODULE
        and len([m for m in modules if (name, m) not in purposeful]) > 1
    }  # fmt: skip
    assert twice == {}


@pytest.mark.parametrize(
    "name", ["Day", "Problem", "WorkingHours", "place_name", "_days", "days",
             "Appointment", "Span", "Line", "Night", "Pending", "_trip_days"]
)  # fmt: skip
def test_a_name_means_one_thing(name: str) -> None:
    """Names that meant several things (a date in a message, a date field, a laid-out day and
    a booklet's day were all ``Day``) are defined once in the package."""
    assert len(_top_level_names().get(name, [])) <= 1, _top_level_names()[name]


def test_the_days_from_first_to_last_are_counted_in_one_place() -> None:
    """``timeutils.days(first, last)``; the loop was written four times."""
    loop = re.compile(r"range\(\(\s*(\w+\.)*last\w*\s*-\s*(\w+\.)*first\w*\s*\)\.days \+ 1\)")
    for path in PACKAGE.rglob("*.py"):
        if path.name != "timeutils.py":
            assert not loop.search(path.read_text(encoding="utf-8")), path


def test_command_modules_do_not_postpone_annotations() -> None:
    """typer reads every command's signature on every run; string annotations cost it an eval
    each time (12 ms instead of 8 ms for --version), so command modules evaluate them once."""
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^@\w+\.command\(", text, re.M):
            future = [
                alias.name
                for node in ast.parse(text).body
                if isinstance(node, ast.ImportFrom) and node.module == "__future__"
                for alias in node.names
            ]
            assert "annotations" not in future, path


HEAVY = [
    "icalendar",
    "babel",
    "holidays",
    "airportsdata",
    "tomllib",
    "tripplan.models",
    "caldav",
    "niquests",
]


def _imported(argv: list[str], watched: list[str], env: dict[str, str] | None = None) -> list[str]:
    """Which of ``watched`` a run of ``tripplan *argv`` imports (in a fresh interpreter)."""
    code = (
        "import sys, json, io, contextlib\n"
        "from tripplan.cli import main\n"
        f"sys.argv = ['tripplan', *{argv!r}]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        f"print(json.dumps([m for m in {watched!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


@pytest.mark.slow
def test_version_imports_no_heavy_module() -> None:
    assert _imported(["--version"], HEAVY) == []


COMMAND_MODULES = [
    f"tripplan.cli.{path.stem}"
    for path in sorted((PACKAGE / "cli").glob("*.py"))
    if path.stem not in ("__init__", "app")
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["itinerary", "--help"], "views"),
        (["check", "--help"], "views"),
        (["export-ics", "--help"], "files"),
        (["hosts", "confirm", "--help"], "programme"),
        (["cache", "dir"], "cachecmd"),
        (["--help"], None),
        (["--version"], None),
    ],
)
def test_a_run_loads_only_the_module_of_its_command(argv: list[str], module: str | None) -> None:
    """Commands are loaded lazily (cli/app.py ``COMMANDS``): a run imports the module of the
    command it runs and no other; 'tripplan --help' reads the table and imports none."""
    expected = [f"tripplan.cli.{module}"] if module else []
    assert _imported(argv, COMMAND_MODULES) == expected


def _bound(node: ast.Import | ast.ImportFrom) -> set[str]:
    return {(alias.asname or alias.name).split(".")[0] for alias in node.names}


def test_no_command_imports_again_what_its_module_imports() -> None:
    """A name a command module imports at its top and a function imports again is local to
    the whole function: where the function's own import is skipped (in an ``if``), the name
    is unbound (``UnboundLocalError``, exit 3)."""
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set().union(
            *(_bound(n) for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom))
        )
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef):
                inner = set().union(
                    *(
                        _bound(n)
                        for n in ast.walk(function)
                        if isinstance(n, ast.Import | ast.ImportFrom)
                    )
                )
                assert not inner & top, (path.name, function.name, sorted(inner & top))


@pytest.mark.slow
def test_the_help_of_a_command_reads_no_plan() -> None:
    """A command module imports at its top what costs nothing (messages, errors, the
    shared options); the plan models, the renderers of one format and the exporters are
    imported by the command when it runs, so its --help (and the completion of its options)
    starts as fast as 'tripplan --help'."""
    from tripplan.cli.app import COMMANDS

    for name in COMMANDS:
        assert _imported([name, "--help"], ["pydantic", "rich", "tripplan.models"]) == [], name


CALENDAR_AND_DATES = ["icalendar", "babel", "tomlkit"]
CACHED = ["pydantic", "pydantic_core", "rich", "tomllib", "holidays", "airportsdata"]


@pytest.fixture(scope="module")
def json_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], list[str]]:
    """What two runs of ``itinerary --format json`` import, one after the other, the first
    into an empty reference-data cache, as a user's first and second run (the two tests below
    read them: two fresh interpreters instead of four)."""
    env = {**os.environ, "TRIPPLAN_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    argv = ["itinerary", "--format", "json"]
    watched = [*CACHED, *CALENDAR_AND_DATES]
    return _imported(argv, watched, env), _imported(argv, watched, env)


@pytest.mark.slow
def test_json_itinerary_imports_no_calendar_or_date_formatting_library(
    json_runs: tuple[list[str], list[str]],
) -> None:
    """With the reference data (holidays, airports, country names) cached, as after a
    user's first run, JSON needs neither icalendar nor babel nor tomlkit."""
    _, second = json_runs
    assert [m for m in second if m in CALENDAR_AND_DATES] == []


@pytest.mark.slow
def test_a_repeated_json_itinerary_takes_reference_data_from_the_cache(
    json_runs: tuple[list[str], list[str]],
) -> None:
    """Holidays and airports come from the reference-data cache; the plan is validated anew."""
    first, second = json_runs
    # the first run fills the reference-data cache
    assert [m for m in first if m in CACHED] == [
        "pydantic",
        "pydantic_core",
        "tomllib",
        "holidays",
        "airportsdata",
    ]
    assert [m for m in second if m in CACHED] == ["pydantic", "pydantic_core", "tomllib"]


def test_the_rules_import_nothing_that_uses_them() -> None:
    """The rules own the context they judge by (``rules.Context``, ``rules.Flexible``): they
    import neither the scheduler nor the solvers, the checks or the builder that read them,
    not even for type checking (that was a cycle: build → checks → rules ⇢ scheduler →
    build)."""
    users = {"scheduler", "cpsat", "checks", "build"}
    path = PACKAGE / "planning" / "rules.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            assert not (parts[:2] == ["tripplan", "planning"] and set(parts[2:3]) & users), name
