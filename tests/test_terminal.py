"""tripplan under a real terminal (a pseudo-terminal driven by pexpect): the progress display,
colours on and off, and shell completion in bash. Everything else in the tests runs without
a terminal, where none of this may appear."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from caldav_servers import PASSWORD, Running
from helpers import BUNDLED, run

pexpect = pytest.importorskip("pexpect")

SCRIPT = Path(sys.executable).with_name("tripplan")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _env(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "FORCE_COLOR")}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="40", **more)
    return env


def _terminal(*args: str, **env: str) -> tuple[str, int]:
    """Run tripplan on a terminal; everything it showed there, and its exit code."""
    child = pexpect.spawn(
        str(SCRIPT), list(args), env=_env(**env), encoding="utf-8", dimensions=(40, 100)
    )
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    return child.before, child.exitstatus


def test_export_shows_progress_on_a_terminal(tmp_path: Path) -> None:
    shown, code = _terminal(
        "export-ics",
        str(BUNDLED),
        "--split",
        "delegate",
        "--out",
        str(tmp_path / "cals"),
        "--lang",
        "en",
    )
    assert code == 0
    assert "calendars" in shown and "━" in shown  # the bar, on stderr
    assert "bz-stadt.ics: 25 added" in ANSI.sub("", shown)
    german, code = _terminal(
        "export-ics", str(BUNDLED), "--split", "delegate", "--out", str(tmp_path / "kalender")
    )
    assert code == 0
    assert "Kalender" in german and "━" in german  # the plan's language


def test_no_progress_when_quiet_or_under_ci_or_without_a_terminal(tmp_path: Path) -> None:
    quiet, _ = _terminal(
        "export-ics", str(BUNDLED), "--split", "delegate", "--out", str(tmp_path / "a"), "-q"
    )
    assert "━" not in quiet
    ci, _ = _terminal(
        "export-ics", str(BUNDLED), "--split", "delegate", "--out", str(tmp_path / "b"), CI="1"
    )
    assert "━" not in ci
    piped = run("export-ics", BUNDLED, "--split", "delegate", "--out", tmp_path / "c")
    assert "━" not in piped.output


def test_plan_shows_the_running_best_on_a_terminal() -> None:
    """In the run's language: the plan's (German), or --lang's."""
    shown, code = _terminal("plan", str(BUNDLED), "--solver", "search", "--lang", "en")
    assert code == 0
    text = ANSI.sub("", shown)
    assert "placing" in text
    assert "best: preference" in text
    shown, code = _terminal("plan", str(BUNDLED), "--solver", "search")
    assert code == 0
    text = ANSI.sub("", shown)
    assert "Einplanen" in text
    assert "bester Plan: Wunschzeit" in text


def test_colours_on_a_terminal_and_off_with_no_color() -> None:
    coloured, _ = _terminal("check", str(BUNDLED), "--lang", "en")
    assert "\x1b[1m" in coloured  # bold heading
    for plain, _ in (
        _terminal("--no-color", "check", str(BUNDLED), "--lang", "en"),
        _terminal("check", str(BUNDLED), "--lang", "en", NO_COLOR="1"),
    ):
        assert not re.search(r"\x1b\[[0-9;]*m", plain), plain[:200]
        assert "Findings" in plain


def test_a_cost_table_written_on_a_terminal_is_plain_text_and_replaced_next_time(
    tmp_path: Path,
) -> None:
    """``costs --out FILE`` on a terminal held the table's escape codes, and the next run
    refused to replace the file as not a cost report; now the file is the table as a pipe
    gets it, at 80 columns whatever the terminal's width."""
    target = tmp_path / "costs.txt"
    for _ in range(2):
        shown, code = _terminal("costs", str(BUNDLED), "--lang", "en", "--out", str(target))
        assert code == 0, shown
    piped = run("costs", BUNDLED, "--lang", "en")
    assert target.read_text(encoding="utf-8") == piped.stdout


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_values_and_ids(tmp_path: Path) -> None:
    """The completion script comes from ``tripplan --show-completion`` run inside bash, as a
    user gets it: typer picks the script for the shell it runs under (found by walking up the
    parent processes), so taken in the test process it would be the script for whatever
    started pytest (sh from a script or a CI runner: none at all). The first shell writes it
    to a file, as a user saves it in ~/.bashrc; each shell sources that file."""
    script = tmp_path / "tripplan-completion.bash"
    cases = [
        ("tripplan itin", ("itinerary",)),
        ("tripplan export-ics --split del", ("delegate",)),
        ("tripplan booklet -f ", ("html", "json", "pdf")),  # a booklet's: test_cli, no other
        ("tripplan itinerary plan.toml --delegate bz-st", ("bz-stadt", "bz-steinhaus")),
        ("tripplan itinerary plan.toml --community us-host-", ("us-host-1", "us-host-2")),
    ]
    for typed, expected in cases:  # a fresh shell for each: no keystroke races ahead
        bash = pexpect.spawn(
            "bash",
            ["--norc", "--noprofile"],
            env=_env(PATH=f"{SCRIPT.parent}:{os.environ['PATH']}", PS1="$ "),
            encoding="utf-8",
            dimensions=(40, 200),
            cwd=str(BUNDLED.parent),
        )
        bash.expect_exact("$ ")
        if not script.exists():
            bash.sendline(f"tripplan --show-completion > {script}")
            bash.expect_exact("$ ", timeout=60)
        bash.sendline(f"bind 'set enable-bracketed-paste off'; source {script}")
        bash.expect_exact("$ ", timeout=60)
        bash.sendline("complete -p tripplan")
        bash.expect_exact("complete -o default -F _tripplan_completion tripplan")
        bash.expect_exact("$ ")
        bash.send(typed + "\t\t")
        for word in expected:
            bash.expect_exact(word, timeout=30)
        bash.terminate(force=True)


def test_a_run_that_takes_a_while_says_what_it_is_doing() -> None:
    """Reading and checking a plan shows a status once it takes longer than the delay (here
    none, so that the test does not depend on the machine's speed); by default a second."""
    shown, code = _terminal("check", str(BUNDLED), "--lang", "en", TRIPPLAN_PROGRESS_AFTER="0")
    assert code == 0
    assert "reading and checking the plan" in ANSI.sub("", shown)
    quick, _ = _terminal("check", str(BUNDLED), "--lang", "en", TRIPPLAN_PROGRESS_AFTER="60")
    assert "reading and checking" not in quick
    german, _ = _terminal("check", str(BUNDLED), "--lang", "de", TRIPPLAN_PROGRESS_AFTER="0")
    assert "Plan wird gelesen und geprüft" in ANSI.sub("", german)
    # before the plan is read its language is not known: the line is not in German
    plain, _ = _terminal("check", str(BUNDLED), TRIPPLAN_PROGRESS_AFTER="0")
    assert "reading and checking the plan" in ANSI.sub("", plain)


def test_publish_asks_for_the_password_on_a_terminal_and_shows_progress(
    tmp_path: Path, radicale_server: Running
) -> None:
    """No password in the environment or ~/.netrc: asked without echo; then a progress bar
    while the events are written. The password appears nowhere on the screen."""
    server = radicale_server.fresh()  # the session's Radicale, as an account nobody used
    env = _env(NETRC=str(tmp_path / "no-netrc"))
    env.pop("TRIPPLAN_CALDAV_PASSWORD", None)
    child = pexpect.spawn(
        str(SCRIPT),
        ["publish", str(BUNDLED), "--url", server.url, "--user", server.user, "--lang", "en"],
        env=env,
        encoding="utf-8",
        dimensions=(40, 100),
    )
    child.expect(f"Password for {server.user} at 127.0.0.1: ", timeout=60)
    child.sendline(PASSWORD)
    child.expect(pexpect.EOF, timeout=120)
    child.close()
    shown = child.before
    assert child.exitstatus == 0, shown
    assert PASSWORD not in shown
    assert "events" in shown and "━" in shown  # the bar, on stderr
    assert "179 events written" in ANSI.sub("", shown)
