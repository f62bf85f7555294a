"""The command line: exit codes, default plan, usage errors, schema, init, scripted runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from helpers import BUNDLED, ROOT, SMALL_PLAN, run

from tripplan import __version__
from tripplan.errors import ExitCode
from tripplan.loader import validate
from tripplan.planning.build import build_itinerary


def test_exit_codes_are_named() -> None:
    assert [(c.name, int(c)) for c in ExitCode] == [
        ("OK", 0),
        ("PLAN_PROBLEMS", 1),
        ("BAD_INPUT", 2),
        ("INTERNAL_ERROR", 3),
    ]


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"tripplan {__version__}\n")


def test_python_dash_m() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tripplan", "--version"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout) == (0, f"tripplan {__version__}\n")


def test_check_ok_is_exit_0(write_plan) -> None:  # type: ignore[no-untyped-def]
    result = run("check", write_plan(SMALL_PLAN))
    assert result.exit_code == ExitCode.OK
    assert result.stdout == "Findings (0 errors, 0 warnings, 0 notes)\nNo findings.\n"


def test_check_with_errors_is_exit_1(write_plan) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["last_day"] = "2018-04-25"
    result = run("check", write_plan(data), "--format", "json")
    assert result.exit_code == ExitCode.PLAN_PROBLEMS
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["summary"]["errors"] == 2
    assert [f["code"] for f in report["findings"]] == ["outside-trip", "outside-trip"]


def test_bad_input_is_exit_2() -> None:
    result = run("check", "missing.toml")
    assert result.exit_code == ExitCode.BAD_INPUT


def test_usage_errors_are_exit_2() -> None:
    result = run("itinerary", "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
    result = run("itinerary", "--no-such-option")
    assert result.exit_code == 2


def test_unknown_filter_id_is_exit_2_with_suggestion() -> None:
    result = run("itinerary", "--delegate", "bz-stad", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "tripplan: no delegate has the id 'bz-stad'. Did you mean 'bz-stadt'? Known: "
        "bz-stadt, bz-wib-verein, bz-steinhaus, bz-theater, bz-buendnis, us1-a, us1-b, us2-a, "
        "us2-b.\n"
    )


def test_bad_day_is_exit_2() -> None:
    result = run("itinerary", "--day", "24.04.2018", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "tripplan: --day '24.04.2018' is not a date; write it as YYYY-MM-DD\n"
    )
    german = run("itinerary", "--day", "24.04.2018")  # the plan's language
    assert german.stderr.endswith(
        "tripplan: --day '24.04.2018' ist kein Datum; als JJJJ-MM-TT schreiben\n"
    )


def test_default_plan_note_goes_to_stderr(tmp_path: Path) -> None:
    result = run("check")
    assert result.stderr.startswith("using plan: bundled:bautzen-2018/plan.toml")
    (tmp_path / "tripplan.toml").write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("check")
    assert result.stderr.startswith("using plan: tripplan.toml (found ./tripplan.toml)")
    german = run("check", "--lang", "de")  # said before the plan is read: in --lang's language
    assert german.stderr.startswith("Plan: tripplan.toml (./tripplan.toml gefunden)")


def test_verbose_notes_are_in_the_runs_language() -> None:
    """--lang from the start; else the plan's language as soon as it is read (before, the
    reader's choice is unknown: English)."""

    def notes(*args: str) -> list[str]:
        lines = run("check", "--verbose", *args).stderr.splitlines()
        return [line.split("] ", 1)[1] for line in lines if line.startswith("[")]

    assert notes("--lang", "en")[1:] == [
        "loaded and validated (3 trips, 9 delegates)",
        "built and checked (38 events, 13 findings)",
        "done",
    ]
    assert notes()[0].startswith("reference-data cache: ")
    assert notes()[1:] == [  # the bundled plan's language: German
        "geladen und geprüft (3 Reisen, 9 Delegierte)",
        "gebaut und geprüft (38 Termine, 13 Befunde)",
        "fertig",
    ]


def test_plan_from_stdin() -> None:
    result = run("itinerary", "-", "--format", "json", input=json.dumps(SMALL_PLAN))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["programme"]["name"] == "Small exchange"


def test_schema_validates_the_bundled_plan() -> None:
    import tomllib

    result = run("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    with BUNDLED.open("rb") as handle:
        data = tomllib.load(handle)
    checker = jsonschema.FormatChecker()
    plain = json.loads(json.dumps(data, default=lambda v: v.isoformat()))
    jsonschema.validate(plain, schema, format_checker=checker)
    jsonschema.validate(json.loads(json.dumps(SMALL_PLAN)), schema, format_checker=checker)
    assert "additionalProperties" in schema["$defs"]["Community"]
    broken = json.loads(json.dumps(SMALL_PLAN))
    broken["trips"][0]["legs"][0]["departs"] = "2018-04-23 at five"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, format_checker=checker)


def test_init_writes_a_plan_that_passes_check(tmp_path: Path) -> None:
    result = run("init", "starter")
    assert (result.exit_code, result.stdout) == (0, "")  # a note, on standard error
    assert result.stderr == (
        "wrote starter/tripplan.toml; edit it, then run 'tripplan check starter/tripplan.toml'\n"
    )
    assert run("init", "quiet", "--quiet").stderr == ""
    checked = run("check", "starter/tripplan.toml")
    assert checked.exit_code == 0, checked.output
    text = (tmp_path / "starter" / "tripplan.toml").read_text(encoding="utf-8")
    assert re.search(r'\nuid_domain = "[0-9a-f]{12}\.tripplan\.invalid"\n', text)
    again = run("init", "starter")
    assert again.exit_code == 2
    assert again.stderr == (
        "tripplan: starter/tripplan.toml exists already; use --force to overwrite it\n"
    )


def test_the_starter_and_the_complete_example_of_the_docs_are_one_text() -> None:
    from datetime import date

    from tripplan.starter import starter_text

    docs = (ROOT / "docs" / "plan-format.md").read_text(encoding="utf-8")
    example = docs.split("## A complete example", 1)[1].split("```toml\n", 1)[1].split("```")[0]
    year = int(re.search(r"\nyear = (\d{4})\n", example)[1])  # type: ignore[index]
    domain = re.search(r'\nuid_domain = "([^"]+)"\n', example)[1]  # type: ignore[index]
    assert starter_text(date(year - 1, 12, 5), domain) == example


def test_the_starter_is_dated_in_the_coming_year_and_passes_check_in_any_year() -> None:
    import tomllib
    from datetime import date

    from tripplan.starter import starter_text

    for year in range(2026, 2046):  # Easter Monday on the first day (2038), 1 May on the last
        text = starter_text(date(year, 6, 1), "0123456789ab.tripplan.invalid")
        plan = validate(tomllib.loads(text))
        assert plan.programme.year == year + 1
        assert plan.trips[0].first_day == date.fromisocalendar(year + 1, 17, 1)
        findings = build_itinerary(plan).findings
        assert [f.code for f in findings if f.severity == "error"] == [], year
    assert "(to be confirmed)" not in starter_text(date(2026, 1, 1), "x.tripplan.invalid")


def test_internal_errors_have_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from tripplan.planning import build

    def broken(plan: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr(build, "build_itinerary", broken)
    result = run("itinerary", "--lang", "en")
    assert result.exit_code == ExitCode.INTERNAL_ERROR
    assert "Traceback" not in result.output
    assert result.stderr.endswith(
        "tripplan: internal error (ZeroDivisionError). This is a bug in tripplan; run again "
        "with TRIPPLAN_DEBUG=1 for details and report it.\n"
    )
    german = run("itinerary")  # the plan's language
    assert german.stderr.endswith(
        "tripplan: interner Fehler (ZeroDivisionError). Das ist ein Fehler in tripplan; mit "
        "TRIPPLAN_DEBUG=1 noch einmal ausführen, um Einzelheiten zu sehen, und den Fehler "
        "melden.\n"
    )


def test_output_that_cannot_be_written_is_said_in_the_runs_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import errno

    from tripplan.planning import build

    def full(plan: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build, "build_itinerary", full)
    result = run("itinerary", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: cannot write the output: No space left on device"
    )
    german = run("itinerary")  # the plan's language; the system's reason as it gives it
    assert german.stderr.splitlines()[-1] == (
        "tripplan: die Ausgabe kann nicht geschrieben werden: No space left on device"
    )


def test_the_password_is_asked_for_in_the_runs_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import getpass
    from types import SimpleNamespace

    from tripplan.cli import publish

    asked: list[str] = []

    def give_up(prompt: str) -> str:
        asked.append(prompt)
        raise KeyboardInterrupt  # Ctrl-C at the prompt: nothing is sent

    monkeypatch.setattr(getpass, "getpass", give_up)
    on_a_terminal = SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr(publish, "sys", on_a_terminal)
    monkeypatch.delenv("TRIPPLAN_CALDAV_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    url = "https://dav.example.org/"
    english = run("publish", "--url", url, "--user", "coord", "--lang", "en")
    german = run("publish", "--url", url, "--user", "coord")  # the plan's language
    assert asked == [
        "Password for coord at dav.example.org: ",
        "Passwort für coord bei dav.example.org: ",
    ]
    assert english.exit_code == german.exit_code == 130
    assert german.stderr.splitlines()[-1] == "tripplan: unterbrochen; es wurde nichts geschrieben."


def test_an_interrupted_run_says_so_in_its_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from tripplan.planning import build

    def interrupted(plan: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "build_itinerary", interrupted)
    result = run("itinerary", "--lang", "en")
    assert result.exit_code == 130
    assert result.stderr.splitlines()[-1] == "tripplan: interrupted; nothing was written."
    german = run("itinerary")  # the plan's language
    assert german.stderr.splitlines()[-1] == "tripplan: unterbrochen; es wurde nichts geschrieben."


@pytest.mark.slow
def test_example_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "first_and_last.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "bz-stadt: 2018-04-20 05:00 CEST Bautzen → Dresden DRS … "
        "2018-11-09 20:40 CET Berlin → Bautzen"
    )
    assert len(done.stdout.splitlines()) == 9


@pytest.mark.slow
def test_example_script_fails_on_conflicts(write_plan) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["last_day"] = "2018-04-25"
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "first_and_last.py"), str(write_plan(data))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("conflict: 'New York JFK → Frankfurt am Main FRA' (tour/back)")


@pytest.mark.parametrize(
    "args",
    [[], ["itinerary"], ["export-ics"], ["plan"], ["hosts", "confirm"]],
    ids=["tripplan", "itinerary", "export-ics", "plan", "hosts-confirm"],
)
def test_help_snapshots_at_80_columns(args: list[str]) -> None:
    from snapshot import assert_snapshot

    result = run(*args, "--help")
    assert result.exit_code == 0
    assert_snapshot(f"help-{'-'.join(args) or 'tripplan'}.txt", result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_check_json_reports_load_errors_as_json(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["legs"][1]["to"] = "JFX"
    plan = tmp_path / "plan.json"
    text = json.dumps(data, indent=1)
    plan.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '"to": "JFX"' in row)
    result = run("check", plan, "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout) == {
        "version": 1,
        "ok": False,
        "load_errors": [
            {
                "file": str(plan),
                "line": line,
                "path": "trips[0].legs[1].to",
                "message": "'JFX' is not a known IATA airport code; did you mean 'JFK' (New "
                "York, United States)? Check the three-letter code on the booking (e.g. 'FRA' "
                "for Frankfurt).",
                "suggestion": "JFK",
            }
        ],
    }
    assert result.stderr.startswith("tripplan: ")


def test_a_lower_case_airport_code_is_suggested_in_capitals_to_scripts(tmp_path: Path) -> None:
    """The did-you-mean sits inside a larger message; scripts got ``"suggestion": null``."""
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["legs"][1]["from"] = "fra"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    for lang, said in (
        ("en", "'fra' is not a community; airport codes are written in capitals: did you mean "
               "'FRA'?"),
        ("de", "'fra' ist keine Kommune; Flughafencodes werden groß geschrieben: meinten Sie "
               "'FRA'?"),
    ):  # fmt: skip
        result = run("check", plan, "--format", "json", "--lang", lang)
        assert result.exit_code == 2
        (error,) = json.loads(result.stdout)["load_errors"]
        assert (error["path"], error["message"]) == ("trips[0].legs[1].from", said)
        assert error["suggestion"] == "FRA"


# Every command that speaks JSON, with what it needs besides the plan to get to loading it.
SPEAKS_JSON = {
    ("check",): ["--format", "json"],
    ("itinerary",): ["--format", "json"],
    ("programme",): ["--format", "json"],
    ("plan",): ["--format", "json"],
    ("hosts", "brief"): ["host", "--format", "json"],
    ("export-ics",): ["--report", "json"],
    ("publish",): ["--url", "http://127.0.0.1:9/", "--user", "u", "--report", "json"],
    ("booklet",): ["--format", "json"],
    ("costs",): ["--format", "json"],
}


def test_every_command_that_speaks_json_is_listed() -> None:
    import typer.main

    from tripplan.cli import app

    group = typer.main.get_group(app)
    found = set()
    for name, command in group.commands.items():
        for sub, leaf in (getattr(command, "commands", None) or {None: command}).items():
            for param in leaf.params:
                if "json" in [str(c) for c in getattr(param.type, "choices", ())]:
                    found.add((name,) if sub is None else (name, sub))
    assert found == {*SPEAKS_JSON, ("hosts", "confirm")}


@pytest.mark.parametrize("command", sorted(SPEAKS_JSON), ids=" ".join)
def test_a_plan_that_does_not_load_is_json_for_every_command_that_speaks_it(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``export-ics bad.json --report json`` printed nothing on stdout; now each command that
    declares JSON gives the same document as ``check --format json``."""
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", "x")
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["legs"][1]["to"] = "JFX"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    argv = [*command, str(plan), *SPEAKS_JSON[command]]
    if command == ("hosts", "brief"):
        argv = [*command, "host", str(plan), "--format", "json"]
    result = run(*argv)
    assert result.exit_code == 2, result.output
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert [e["path"] for e in document["load_errors"]] == ["trips[0].legs[1].to"]
    assert result.stderr.startswith("tripplan: ")


def test_the_funnel_speaks_json_when_the_command_says_so_whatever_its_options_are_called(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A command states that it answers in JSON (``answers_in_json``); the funnel reads no
    option by its name, and a statement of one run does not carry over to the next."""
    import typer

    from tripplan.cli.app import answers_in_json, funnel
    from tripplan.errors import PlanError, Problem
    from tripplan.messages import msg

    @funnel
    def command(shape: str) -> None:
        answers_in_json(shape == "document")
        raise PlanError([Problem("plan.toml", msg("{text}", text="broken"), line=3)])

    for shape, expected in (("document", 1), ("lines", 0), ("document", 1)):
        with pytest.raises(typer.Exit):
            command(shape=shape)
        out, err = capsys.readouterr()
        assert err == "tripplan: plan.toml (line 3): broken\n"
        assert (json.loads(out) if out else None) == (
            {
                "version": 1,
                "ok": False,
                "load_errors": [
                    {"file": "plan.toml", "line": 3, "path": None, "message": "broken",
                     "suggestion": None}
                ],
            }
            if expected
            else None
        )  # fmt: skip


def test_hosts_confirm_speaks_json_about_a_plan_that_does_not_load(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text("version = 1\n[programme]\nname = 1\n", encoding="utf-8")
    result = run(
        "hosts", "confirm", "host", "--name", "Boise", "--timezone", "America/Boise",
        plan, "--report", "json",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert json.loads(result.stdout)["load_errors"]


def _script(*argv: str, **streams: Any) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "tripplan"
    return subprocess.run(
        [str(script), *argv], text=True, check=False, stderr=subprocess.PIPE, **streams
    )


@pytest.mark.slow
def test_a_full_disk_on_standard_output_is_one_line_and_exit_2() -> None:
    """Said in the run's language (the bundled plan's is German), the system's reason as
    it gives it."""
    english = "tripplan: cannot write the output: No space left on device"
    german = "tripplan: die Ausgabe kann nicht geschrieben werden: No space left on device"
    with open("/dev/full", "w") as full:
        for argv, said in (
            (["itinerary", "--lang", "en"], english),
            (["itinerary", "-f", "json", "--lang", "en"], english),
            (["export-ics", "--out", "-", "--lang", "en"], english),
            (["itinerary"], german),
        ):
            done = _script(*argv, stdout=full)
            assert done.returncode == 2, argv
            assert done.stderr.splitlines()[-1] == said, argv
            assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_closed_standard_output_is_one_line_and_exit_2() -> None:
    done = subprocess.run(
        f"exec '{Path(sys.executable).parent / 'tripplan'}' itinerary >&-",
        shell=True, text=True, check=False, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == "tripplan: cannot write the output: standard output is closed\n"


def test_out_of_memory_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    from tripplan.planning import build

    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(build, "build_itinerary", exhausted)
    result = run("itinerary", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: out of memory: the plan is too large for this machine; split it into "
        "smaller plans"
    )
    german = run("itinerary")  # the plan's language
    assert german.stderr.splitlines()[-1] == (
        "tripplan: nicht genug Arbeitsspeicher: der Plan ist zu groß für diesen Rechner; ihn "
        "in kleinere Pläne aufteilen"
    )


def _commands() -> list[list[str]]:
    import typer.main

    from tripplan.cli import app

    group = typer.main.get_group(app)
    found = []
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found += [[name, sub] for sub in subcommands]
        else:
            found.append([name])
    return found


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_help_teaches_with_examples_and_named_placeholders(command: list[str]) -> None:
    shown = run(*command, "--help")
    assert shown.exit_code == 0
    text = shown.stdout
    examples = text.split("Examples:", 1)[1] if "Examples:" in text else ""
    assert examples.count(f"$ tripplan {' '.join(command)}") >= 1
    assert examples.count("$ ") >= 1 and (examples.count("$ ") >= 2 or len(command) > 1)
    assert not re.search(r"<(str|int|float|text|path)( range)?>", text), text
    assert max(len(line) for line in text.splitlines()) <= 80
    assert run("help", *command).stdout == text  # 'tripplan help X' is 'tripplan X --help'


def test_help_of_an_unknown_command() -> None:
    result = run("help", "nosuch")
    assert result.exit_code == 2
    assert result.stderr.startswith("tripplan: no command 'nosuch'; the commands are: ")


@pytest.mark.parametrize(
    ("env", "argv"),
    [({"NO_COLOR": "1"}, []), ({"NO_COLOR": None}, ["--no-color"])],
    ids=["NO_COLOR", "--no-color"],
)
def test_no_styling_at_all(env: dict[str, str | None], argv: list[str]) -> None:
    from typer.testing import CliRunner

    from tripplan.cli import app

    runner = CliRunner(env={"COLUMNS": "80", "FORCE_COLOR": "1", "NO_COLOR": None})
    styled = runner.invoke(app, ["check", "--lang", "en"])
    assert "\x1b[1m" in styled.stdout  # forced colours: bold headings
    plain = CliRunner(env={"COLUMNS": "80", "FORCE_COLOR": "1", **env}).invoke(
        app, [*argv, "check", "--lang", "en"]
    )
    assert plain.exit_code == styled.exit_code
    assert "\x1b[" not in plain.stdout
    assert "\x1b[" not in plain.stderr


@pytest.mark.parametrize("argv", [["itinerary"], ["check"], ["programme"], ["plan"]])
def test_terminal_output_has_no_trailing_spaces(argv: list[str]) -> None:
    output = run(*argv).stdout
    assert output.strip()
    assert [line for line in output.splitlines() if line.endswith(" ")] == []


def test_a_writing_command_says_when_it_uses_the_bundled_demo_plan(tmp_path: Path) -> None:
    (tmp_path / "exchange.toml").write_text(
        (ROOT / "data" / "bautzen-2018" / "plan.toml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    (tmp_path / "notes.toml").write_text("[other]\nx = 1\n", encoding="utf-8")
    result = run("export-ics", "--out", tmp_path / "out.ics")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:2] == [
        "using plan: bundled:bautzen-2018/plan.toml (the bundled Bautzen 2018 plan)",
        "note: this is the bundled demo plan (Bautzen 2018), not one of yours: there is no "
        "./tripplan.toml here. Did you mean 'tripplan export-ics exchange.toml'?",
    ]
    viewing = run("itinerary")
    assert "bundled demo plan" not in viewing.stderr  # only commands that write say it


def test_the_note_about_unplaced_events_goes_to_stderr(tmp_path: Path) -> None:
    result = run("export-ics", BUNDLED, "--out", tmp_path / "all.ics", "--lang", "en")
    assert result.exit_code == 0
    assert "not exported, no time yet" not in result.stdout
    assert "not exported, no time yet: return-visit/action-plan-review" in result.stderr


def test_the_starter_plan_does_not_say_to_be_confirmed_twice(tmp_path: Path) -> None:
    assert run("init", "s").exit_code == 0
    output = run("itinerary", "s/tripplan.toml", "--lang", "en", "-f", "markdown").stdout
    assert "(to be confirmed) (to be confirmed)" not in output
    assert "Host community (to be confirmed)" in output


def test_edits_report_what_they_changed_as_json(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    confirmed = run(
        "hosts", "confirm", "us-host-1", "--name", "Boise", "--timezone", "America/Boise",
        plan, "--report", "json",
    )  # fmt: skip
    assert confirmed.exit_code == 0, confirmed.output
    document = json.loads(confirmed.stdout)
    assert document["file"] == str(plan)
    assert document["changed"] == [
        {"path": "communities[2].name", "value": "Boise"},
        {"path": "communities[2].timezone", "value": "America/Boise"},
        {"path": "communities[2].placeholder", "removed": True},
        {"path": "communities[2].translations.en.name", "removed": True},
    ]
    assert {"uid": "study-tour/practitioners-1", "start_minutes": 120, "end_minutes": 120} in (
        document["moved"]
    )
    placed = run("plan", plan, "--write", "--report", "json")
    assert placed.exit_code == 0, placed.output
    written = json.loads(placed.stdout)
    assert written["schedule"]["status"] == "placed"
    assert [c["path"] for c in written["changed"]] == [
        "trips[0].activities[5].placed",
        "trips[0].activities[9].placed",
        "trips[1].activities[4].placed",
    ]
    assert "recorded" not in placed.stderr


def test_hosts_confirm_takes_the_plan_like_every_command_and_sets_the_address(
    tmp_path: Path,
) -> None:
    import tomllib

    plan = tmp_path / "plan.toml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    done = run(
        "hosts", "confirm", "us-host-1", plan, "--name", "Boise", "--timezone", "America/Boise",
        "--address", "1 Example Street", "--report", "json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert {"path": "communities[2].address", "value": "1 Example Street"} in (
        json.loads(done.stdout)["changed"]
    )
    community = tomllib.loads(plan.read_text(encoding="utf-8"))["communities"][2]
    assert (community["name"], community["address"]) == ("Boise", "1 Example Street")
    older = run(
        "hosts", "confirm", "us-host-2", "--plan", plan, "--name", "Chicago",
        "--timezone", "America/Chicago",
    )  # fmt: skip
    assert older.exit_code == 2  # the plan is PLAN, as for every command; there is no --plan
    assert "No such option: --plan" in older.stderr and "Possible options" not in older.stderr
    assert "--plan" not in run("hosts", "confirm", "--help").stdout


def _leaf_commands() -> list[tuple[str, Any]]:
    import typer.main

    from tripplan.cli import app

    group = typer.main.get_group(app)
    return [
        (" ".join(filter(None, (name, sub))), leaf)
        for name in group.list_commands(None)
        for sub, leaf in (
            getattr(group.get_command(None, name), "commands", None)
            or {None: group.get_command(None, name)}
        ).items()
    ]


@pytest.mark.parametrize(("name", "command"), _leaf_commands(), ids=lambda v: str(v)[:20])
def test_the_help_of_a_command_names_only_options_it_has(name: str, command: Any) -> None:
    """A shared option says what it does in this command: itinerary's --audience spoke of
    --split, hosts confirm's --report of --write, neither of which they have."""
    from typer._click import Context

    shown = command.get_help(Context(command, info_name=name))
    own = {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", shown))
    assert named - own == set(), name


def test_a_booklet_offers_only_the_splits_it_accepts() -> None:
    shown = run("booklet", "--help")
    assert "--split <none|delegate>" in shown.stdout
    refused = run("booklet", "--split", "community", "--delegate", "bz-stadt")
    assert refused.exit_code == 2
    assert "'community' is not one of 'none', 'delegate'" in refused.output


def test_check_speaks_of_a_table_like_every_command() -> None:
    table = run("check", "--format", "table", "--lang", "en")
    assert table.exit_code == 0, table.output
    assert run("check", "--lang", "en").stdout == table.stdout
    assert "-f, --format <table|json>" in run("check", "--help").stdout
    older = run("check", "--format", "text", "--lang", "en")
    assert older.exit_code == 2
    assert "Invalid value for '--format' / '-f': 'text' is not one of 'table', 'json'." in (
        older.stderr
    )


def test_a_report_is_one_vocabulary_offered_as_far_as_each_command_gives_it() -> None:
    """``--report`` means one thing (vocabulary.Report): commands that write files or a server
    can also say nothing; an edit of the plan file always says what it changed."""
    for command in (["export-ics"], ["publish"]):
        assert "--report <text|json|none>" in run(*command, "--help").stdout, command
    for command in (["plan"], ["hosts", "confirm"]):
        assert "--report <text|json> " in run(*command, "--help").stdout, command
    refused = run("plan", "--report", "none")
    assert refused.exit_code == 2
    assert "'none' is not one of 'text', 'json'." in refused.stderr


def test_the_vocabulary_declares_each_choice_once() -> None:
    """One idea, one enum: no enum of vocabulary.py offers only values that another offers
    too (the output format was seven enums, each a part of the next or the same as one). A
    command that accepts part of a choice offers a Literal of its members (cli/app.py)."""
    import enum
    import inspect

    from tripplan import vocabulary

    enums = [
        kind
        for _, kind in inspect.getmembers(vocabulary, inspect.isclass)
        if issubclass(kind, enum.Enum) and kind.__module__ == vocabulary.__name__
    ]
    assert len(enums) >= 2
    for one in enums:
        for other in enums:
            if one is not other:
                values = {member.value for member in one}
                assert not values <= {member.value for member in other}, (
                    f"{one.__name__} repeats {other.__name__}"
                )


# What each command writes with --format, in the order its help lists them, and its default.
FORMATS = {
    "itinerary": (["table", "json", "markdown", "html"], "table"),
    "check": (["table", "json"], "table"),
    "programme": (["table", "json", "markdown"], "table"),
    "plan": (["table", "json"], "table"),
    "booklet": (["pdf", "html", "json"], "pdf"),
    "costs": (["table", "json", "csv", "xlsx"], "table"),
    "hosts brief": (["table", "json", "markdown", "html", "pdf"], "table"),
}


def test_a_format_is_one_vocabulary_offered_as_far_as_each_command_gives_it() -> None:
    """``--format`` means one thing (vocabulary.Format): each command offers, shows and
    completes the formats it can write and no other, and every format is one's."""
    from typer._click import Context

    from tripplan.vocabulary import Format

    offered = {}
    for name, command in _leaf_commands():
        for param in command.params:
            if "--format" not in param.opts:
                continue
            choices = list(param.type.choices)
            assert all(type(choice) is Format for choice in choices), name
            assert type(param.default) is Format, name
            offered[name] = ([str(choice) for choice in choices], str(param.default))
            context = Context(command, info_name=name)
            completed = [item.value for item in param.shell_complete(context, "")]
            assert completed == offered[name][0], name
            shown = command.get_help(context)
            assert f"-f, --format <{'|'.join(offered[name][0])}>" in shown, name
    assert offered == FORMATS
    assert {value for values, _ in FORMATS.values() for value in values} == set(Format)
    refused = run("booklet", "--format", "markdown")
    assert refused.exit_code == 2
    assert "'markdown' is not one of 'pdf', 'html', 'json'." in refused.stderr


@pytest.mark.parametrize("limit", [45, 64, 300])
def test_the_table_of_commands_says_what_each_command_says(limit: int) -> None:
    """'tripplan --help' and the completion of command names read cli/app.py ``COMMANDS``
    without importing the commands: its summaries are the commands' own, in the same order."""
    from importlib import import_module

    import typer.main

    from tripplan.cli import app
    from tripplan.cli.app import COMMANDS, _summary

    group: Any = typer.main.get_command(app)
    assert list(group.list_commands(None)) == list(COMMANDS)
    for name in COMMANDS:
        command = group.get_command(None, name)
        assert command is not None and command.name == name
        assert _summary(name, limit) == command.get_short_help_str(limit), name
    defined = {
        name
        for module in {module for module, _ in COMMANDS.values()}
        for name in typer.main.get_group(import_module(f"tripplan.cli.{module}").commands).commands
    }
    assert defined == set(COMMANDS)  # no command a module defines is missing from the table


@pytest.mark.parametrize(
    "args",
    [
        ("itinerary", "--format", "json"),
        ("check",),
        ("costs", "--format", "csv"),
        ("plan", "--solver", "search"),
        ("export-ics", "--out", "-"),
        ("booklet", "--delegate", "bz-stadt", "--format", "html", "--out", "-"),
        ("hosts", "brief", "us-host-1", "--format", "markdown"),
        ("programme",),
        ("publish", "--url", "http://example.org/"),  # refused after reading the plan
    ],
)
def test_every_command_resumes_the_collector_once_its_data_is_made(args: tuple[str, ...]) -> None:
    """The console script pauses the cyclic collector while tripplan imports, reads and
    builds; each command resumes it before its other work (solving, writing, a server)."""
    import gc

    from tripplan.cli.app import pause_collector

    assert gc.isenabled()
    try:
        pause_collector()
        assert not gc.isenabled()
        assert run(*args).exit_code in (0, 1, 2)
        assert gc.isenabled(), args
    finally:
        gc.enable()
        gc.unfreeze()


def test_hosts_confirm_resumes_the_collector(tmp_path: Path) -> None:
    import gc

    from tripplan.cli.app import pause_collector

    plan = tmp_path / "plan.toml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        pause_collector()
        result = run("hosts", "confirm", "us-host-1", plan, "--name", "Boise",
                     "--timezone", "America/Boise")  # fmt: skip
        assert result.exit_code == 0, result.output
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_a_program_that_turned_the_collector_off_keeps_it_off() -> None:
    import gc

    from tripplan.cli.app import pause_collector

    try:
        gc.disable()
        pause_collector()
        assert run("itinerary", "--format", "json").exit_code in (0, 1)
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_console_script_ends_with_its_output_whole() -> None:
    """Start-up without the collector and the frozen objects at exit change nothing of what
    a run writes: the same JSON as a run through the library."""
    done = subprocess.run(
        [sys.executable, "-m", "tripplan", "itinerary", str(BUNDLED), "--format", "json"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == run("itinerary", BUNDLED, "--format", "json").stdout


def test_names_in_a_progress_bar_are_shown_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file or event name is plan text: rich markup in it is shown, not obeyed (a stray
    "[/]" would otherwise end the run with rich's MarkupError), and escape sequences in it
    are taken out."""
    import importlib
    import io

    from rich.console import Console

    from tripplan.messages import msg
    from tripplan.vocabulary import Lang

    app = importlib.import_module("tripplan.cli.app")  # the module, not the Typer it holds

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    monkeypatch.setattr(app, "progress_wanted", lambda: True)
    monkeypatch.setattr(app, "stderr_console", lambda: console)
    monkeypatch.setattr(app._Run, "lang", Lang.en)  # as a run in English has it
    with app.progress(msg("calendars")) as update:
        update(1, 2, "[/] [bold]Werkstatt[/bold] \x1b[2J")
    # the bar's last frame, drawn as it stops (and then cleared from the screen)
    assert "calendars" in screen.getvalue()
    assert "1/2 [/] [bold]Werkstatt[/bold] \n" in screen.getvalue()
    assert "\x1b[2J" not in screen.getvalue()  # the name's escape sequence is taken out


@pytest.mark.parametrize(
    "command",
    [
        ("costs", "-f", "json"),
        ("booklet", "--delegate", "ann", "-f", "json"),
        ("booklet", "--split", "delegate", "-f", "json"),
        ("hosts", "brief", "host", "-f", "json"),
    ],
)
def test_a_json_document_for_a_file_leaves_stdout_empty_when_the_plan_does_not_load(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """With --out FILE, standard output carries no document, so none about load errors
    either (without --out, it would be the load-errors document)."""
    plan = tmp_path / "plan.toml"
    plan.write_text("version = 1\n[programme]\nname = 1\n", encoding="utf-8")
    to_file = run(*command, plan, "--out", tmp_path / "out.json")
    assert (to_file.exit_code, to_file.stdout) == (2, "")
    assert not (tmp_path / "out.json").exists()
    on_stdout = run(*command, plan)
    if "--split" in command:  # one booklet per delegate: files in booklets/, never stdout
        assert (on_stdout.exit_code, on_stdout.stdout) == (2, "")
    else:
        assert json.loads(on_stdout.stdout)["load_errors"]
