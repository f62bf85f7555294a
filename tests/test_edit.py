"""Plan edits change exactly the values they mean to: layout, comments, order, links and
modes of the coordinator's file stay as they were."""

from __future__ import annotations

import contextlib
import difflib
import itertools
import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path

import pytest
from helpers import BUNDLED, run

from tripplan import files
from tripplan.edit import DELETE, Change, apply_changes


def _blocks(text: str) -> list[str]:
    """The text cut before each table header, each header with the comments above it."""
    lines = text.splitlines(keepends=True)
    cuts = [0]
    for index, line in enumerate(lines):
        if line.startswith("["):
            start = index
            while start > 0 and lines[start - 1].startswith("#"):
                start -= 1
            if start > cuts[-1]:
                cuts.append(start)
    cuts.append(len(lines))
    return ["".join(lines[a:b]) for a, b in itertools.pairwise(cuts)]


def interleaved_plan() -> str:
    """The bundled plan with the study tour's legs and activities written day by day."""
    blocks = _blocks(BUNDLED.read_text(encoding="utf-8"))
    trip = [i for i, b in enumerate(blocks) if b.lstrip("#= \n").startswith("[[trips]]")]
    first, second = trip[0], trip[1]
    # the comment block announcing the second trip belongs to it
    end = second - 1 if blocks[second - 1].startswith("# ===") else second
    body = blocks[first + 1 : end]
    legs = [b for b in body if b.startswith("[[trips.legs]]")]
    acts = [b for b in body if b.startswith("[[trips.activities]]")]
    rest = [b for b in body if b not in legs and b not in acts]
    order = [
        *legs[:3],
        "# Tag 4: erste Gastkommune\n",
        *acts[:5],
        *legs[3:4],
        *acts[5:8],
        *legs[4:5],
        "# Rückreise\n",
        *acts[8:],
        *legs[5:],
    ]
    assert sorted(order) != sorted(body)
    text = "".join([*blocks[: first + 1], *rest, *order, *blocks[end:]])
    assert tomllib.loads(text) == tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    return text


def _changed(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line.startswith(("- ", "+ "))
    ]


def test_confirm_in_an_interleaved_plan_changes_exactly_the_community(tmp_path: Path) -> None:
    plan = tmp_path / "tripplan.toml"
    before = interleaved_plan()
    plan.write_text(before, encoding="utf-8")
    result = run(
        "hosts", "confirm", "us-host-1", "--name", "Boise, Idaho", "--timezone", "America/Boise",
        "--airport", "BOI", plan,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(_changed(before, plan.read_text(encoding="utf-8"))) == [
        '+ airports = ["BOI"]',
        '+ name = "Boise, Idaho"',
        '+ timezone = "America/Boise" # bestätigt',
        '- name = "US-Gastkommune 1"',
        "- placeholder = true",
        '- timezone = "America/New_York"  # Annahme, bis die Gastkommune feststeht',
        # a real place keeps its name in every language: the placeholder's English name goes
        '- translations.en.name = "US host community 1"',
    ]


def test_plan_write_in_an_interleaved_plan_adds_exactly_the_placements(tmp_path: Path) -> None:
    plan = tmp_path / "tripplan.toml"
    before = interleaved_plan()
    plan.write_text(before, encoding="utf-8")
    result = run("plan", plan, "--write")
    assert result.exit_code == 0, result.output
    after = plan.read_text(encoding="utf-8")
    changed = _changed(before, after)
    assert changed and all(
        re.fullmatch(r"\+ placed = 2018-\d\d-\d\dT\d\d:\d\d:00 # platziert von tripplan plan", c)
        for c in changed
    ), changed
    assert len(changed) == 3
    # each placement sits in its own activity, after its last line
    lines = after.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("placed = "):
            header = max(i for i in range(index) if lines[i].startswith("["))
            assert lines[header] == "[[trips.activities]]"
            assert lines[index - 1].startswith("provisional = ")


def test_a_json_plan_without_suffix_is_edited_as_json(tmp_path: Path) -> None:
    data = json.loads(json.dumps(tomllib.loads(BUNDLED.read_text(encoding="utf-8")), default=str))
    plan = tmp_path / "plan"
    text = json.dumps(data, ensure_ascii=False, indent=4)
    plan.write_text(text, encoding="utf-8")
    result = run(
        "hosts", "confirm", "us-host-2", "--name", "Chicago", "--timezone", "America/Chicago",
        plan,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = plan.read_text(encoding="utf-8")
    assert sorted(_changed(text, after)) == [
        '+             "name": "Chicago",',
        '+             "timezone": "America/Chicago"',
        '-                     "name": "US host community 2"',
        '-                 "en": {',
        "-                 }",
        '-             "name": "US-Gastkommune 2",',
        '-             "placeholder": true',
        '-             "timezone": "America/Chicago",',
        '-             "translations": {',
        "-             },",
    ]
    # the translated name went, and with it the objects it leaves empty (as in TOML)
    assert json.loads(after)["communities"][3] == {
        "id": "us-host-2",
        "name": "Chicago",
        "country": "US",
        "timezone": "America/Chicago",
    }


def test_a_linked_plan_is_edited_at_its_target_and_keeps_its_mode(tmp_path: Path) -> None:
    real = tmp_path / "plans" / "bautzen.toml"
    real.parent.mkdir()
    real.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "tripplan.toml"
    link.symlink_to(real)
    result = run("plan", link, "--write")
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "placed = " in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in real.parent.iterdir()] == ["bautzen.toml"]


@pytest.mark.parametrize("plan", [None, "-"])
def test_plan_write_on_a_plan_it_cannot_write_is_refused_before_any_work(plan: str | None) -> None:
    argv = ["plan", "--write"] if plan is None else ["plan", plan, "--write"]
    result = run(*argv, input=BUNDLED.read_text(encoding="utf-8"))
    assert result.exit_code == 2
    assert result.stdout == ""  # no schedule computed and printed first
    assert "is not edited" in result.stderr or "give its path instead of '-'" in result.stderr


def test_an_inline_table_is_refused_with_a_message() -> None:
    text = 'communities = [{ id = "a", name = "A" }]\n'
    with pytest.raises(Exception, match=r"communities\[0\] is not written as its own \[table\]"):
        apply_changes(text, "toml", [Change(("communities", 0), "name", "B")])


def test_json_edits_keep_the_layout() -> None:
    text = '{"a": {"x": 1,\n  "y": [1, 2]},  "b": {}}'
    assert apply_changes(text, "json", [Change(("a",), "x", 5)]) == (
        '{"a": {"x": 5,\n  "y": [1, 2]},  "b": {}}'
    )
    assert apply_changes(text, "json", [Change(("a",), "x", DELETE)]) == (
        '{"a": {"y": [1, 2]},  "b": {}}'
    )
    assert apply_changes(text, "json", [Change(("b",), "z", "new")]) == (
        '{"a": {"x": 1,\n  "y": [1, 2]},  "b": {"z": "new"}}'
    )
    assert apply_changes(text, "json", [Change(("a",), "z", True)]) == (
        '{"a": {"x": 1,\n  "y": [1, 2],\n  "z": true},  "b": {}}'
    )


def test_a_json_object_emptied_by_a_deletion_goes_with_it() -> None:
    """Up to the first object that keeps a member, or an array's element; an object that
    was empty before (``"b": {}``) stays."""
    text = (
        '{"c": [{"t": {"en": {"name": "N"}}, "id": "x"}], "b": {}, '
        '"k": {"en": {"name": "M", "z": 1}}}'
    )
    assert apply_changes(text, "json", [Change(("c", 0, "t", "en"), "name", DELETE)]) == (
        '{"c": [{"id": "x"}], "b": {}, "k": {"en": {"name": "M", "z": 1}}}'
    )
    assert apply_changes(text, "json", [Change(("k", "en"), "name", DELETE)]) == (
        '{"c": [{"t": {"en": {"name": "N"}}, "id": "x"}], "b": {}, "k": {"en": {"z": 1}}}'
    )
    only = '{"c": [{"t": {"name": "N"}}]}'
    assert apply_changes(only, "json", [Change(("c", 0, "t"), "name", DELETE)]) == '{"c": [{}]}'


def test_toml_edits_keep_multiline_values_and_comments() -> None:
    text = "[t]\nkeep = [\n  1,  # one\n  2,\n]\nx = 1  # mine\n\n# next\n[u]\n"
    assert apply_changes(text, "toml", [Change(("t",), "x", 2)]) == text.replace(
        "x = 1  # mine", "x = 2 # mine"
    )
    assert apply_changes(text, "toml", [Change(("t",), "keep", [3])]) == (
        "[t]\nkeep = [3]\nx = 1  # mine\n\n# next\n[u]\n"
    )
    assert apply_changes(text, "toml", [Change(("t",), "new", "v", "note")]) == (
        '[t]\nkeep = [\n  1,  # one\n  2,\n]\nx = 1  # mine\nnew = "v" # note\n\n# next\n[u]\n'
    )


CRASH = """
import os, sys
from pathlib import Path
from tripplan import files
def crash(*args, **kwargs):
    os.kill(os.getpid(), 9)
files.os.replace = crash
files.atomic_write(Path(sys.argv[1]), b"private plan text")
"""


def test_a_crash_between_writing_and_renaming_leaves_a_private_file_the_next_run_removes(
    tmp_path: Path,
) -> None:
    target = tmp_path / "tripplan.toml"
    target.write_text("old", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", CRASH, str(target)], check=False)
    assert done.returncode == -9
    (left,) = [p for p in tmp_path.iterdir() if p != target]
    assert files.is_temporary(left.name)
    assert stat.S_IMODE(left.stat().st_mode) == 0o600  # never readable by others
    assert target.read_text(encoding="utf-8") == "old"
    files.atomic_write(tmp_path / "other.ics", b"x")  # the next write in that folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.ics", "tripplan.toml"]


def test_a_temporary_file_of_a_running_process_is_left_alone(tmp_path: Path) -> None:
    mine = tmp_path / f".plan.toml.tripplan-{os.getpid()}-0123456789ab.tmp"
    mine.write_text("x", encoding="utf-8")
    lookalike = tmp_path / ".plan.toml.tmp"
    lookalike.write_text("x", encoding="utf-8")
    assert files.sweep(tmp_path) == []
    assert mine.exists() and lookalike.exists()


# -- concurrent edits and line endings ---------------------------------------------------


def _confirm(path: str, placeholder: str, name: str, zone_name: str) -> str:
    """One ``hosts confirm`` through the API; returns "ok" or the error message."""
    from tripplan.edit import confirm_host
    from tripplan.errors import TripplanError
    from tripplan.loader import resolve_source

    try:
        confirm_host(resolve_source(path), placeholder, name=name, timezone=zone_name)
    except TripplanError as exc:
        return exc.message
    return "ok"


def _slow_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every edit waits a moment between deciding and writing, so that two edits started
    together overlap (as two commands a coordinator starts at once do)."""
    import time

    import tripplan.edit

    original = tripplan.edit.atomic_write

    def slow(*args: object, **kwargs: object) -> None:
        time.sleep(0.3)
        original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tripplan.edit, "atomic_write", slow)


@pytest.mark.parametrize("how", ["threads", "processes"])
def test_two_confirms_at_once_lose_neither_edit(
    how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures
    import multiprocessing

    plan = tmp_path / "plan.toml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    _slow_write(monkeypatch)
    jobs = [
        (str(plan), "us-host-1", "Dayton, Ohio", "America/New_York"),
        (str(plan), "us-host-2", "Chicago, Illinois", "America/Chicago"),
    ]
    fork = multiprocessing.get_context("fork")
    pool: concurrent.futures.Executor = (
        concurrent.futures.ThreadPoolExecutor(2)
        if how == "threads"
        else concurrent.futures.ProcessPoolExecutor(2, mp_context=fork)
    )
    with pool:
        results = list(pool.map(_confirm, *zip(*jobs, strict=True)))
    assert results == ["ok", "ok"]
    after = tomllib.loads(plan.read_text(encoding="utf-8"))
    names = {c["id"]: c["name"] for c in after["communities"]}
    assert names["us-host-1"] == "Dayton, Ohio"
    assert names["us-host-2"] == "Chicago, Illinois"
    assert not any(c.get("placeholder") for c in after["communities"])


def test_two_confirms_of_one_placeholder_at_once_the_second_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    plan = tmp_path / "plan.toml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    _slow_write(monkeypatch)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        results = list(
            pool.map(
                _confirm,
                [str(plan)] * 2,
                ["us-host-1"] * 2,
                ["Dayton, Ohio", "Boise, Idaho"],
                ["America/New_York", "America/Boise"],
            )
        )
    assert sorted(r == "ok" for r in results) == [False, True]
    refused = next(r for r in results if r != "ok")
    assert "is already confirmed" in refused
    winner = "Dayton, Ohio" if results[0] == "ok" else "Boise, Idaho"
    after = tomllib.loads(plan.read_text(encoding="utf-8"))
    assert after["communities"][2]["name"] == winner


def test_plan_write_stops_when_the_plan_changed_while_placing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tripplan.planning.scheduler

    plan = tmp_path / "plan.toml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    original = tripplan.planning.scheduler.schedule

    def schedule_while_someone_edits(*args: object, **kwargs: object) -> object:
        result = original(*args, **kwargs)  # type: ignore[arg-type]
        with plan.open("a", encoding="utf-8") as handle:
            handle.write("# a note added in an editor\n")
        return result

    monkeypatch.setattr(tripplan.planning.scheduler, "schedule", schedule_while_someone_edits)
    result = run("plan", plan, "--write")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"tripplan: {plan}: the plan changed while editing; run again\n"
    text = plan.read_text(encoding="utf-8")
    assert "placed = " not in text
    assert text.endswith("# a note added in an editor\n")


def test_an_edit_stops_when_another_writer_replaced_the_file_meanwhile(tmp_path: Path) -> None:
    from tripplan.edit import PlanChanged, write_placements
    from tripplan.loader import read_plan, resolve_source

    plan = tmp_path / "plan.toml"
    plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    source = resolve_source(plan)
    _, read = read_plan(source)
    plan.write_bytes(read.replace(b"US-Gastkommune 1", b"Dayton"))
    with pytest.raises(PlanChanged):
        write_placements(source, {}, "placed", read=read)
    assert b"Dayton" in plan.read_bytes()


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_plan_write_keeps_crlf_line_endings(suffix: str, tmp_path: Path) -> None:
    toml_text = BUNDLED.read_text(encoding="utf-8")
    if suffix == ".json":
        data = json.loads(json.dumps(tomllib.loads(toml_text), default=str))
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:
        text = toml_text
    plan = tmp_path / f"plan{suffix}"
    plan.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    result = run("plan", plan, "--write")
    assert result.exit_code == 0, result.output
    raw = plan.read_bytes()
    assert raw.count(b"placed") == 3
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_tomlkit_still_regroups_interleaved_tables() -> None:
    """Why edit.py edits lines (its docstring): tomlkit writes interleaved arrays of tables
    back grouped. When this fails, tomlkit keeps the order and the line editor may go."""
    import tomlkit

    text = '[[trips]]\nid = "t"\n\n[[trips.legs]]\nid = "a"\n\n[[trips.activities]]\nid = "x"\n'
    text += '\n[[trips.legs]]\nid = "b"\n'
    written = tomlkit.parse(text).as_string()
    assert written != text
    assert written.index('id = "b"') < written.index('id = "x"')  # both legs, then the activity


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX")
def test_an_edit_of_a_pipe_is_refused_before_reading_it(tmp_path: Path) -> None:
    """A named pipe read once could be neither locked nor replaced (the lock's open would
    wait for a writer that never comes): refused at once, with one message."""
    pipe = tmp_path / "plan.toml"
    os.mkfifo(pipe)

    def end_a_wait() -> None:  # a command that reads the pipe waits for a writer forever:
        time.sleep(10)  # this one comes, so such a regression fails here instead of hanging
        with contextlib.suppress(OSError):
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    threading.Thread(target=end_a_wait, daemon=True).start()
    result = run(
        "hosts", "confirm", "us-host-1", pipe, "--name", "Boise", "--timezone", "America/Boise"
    )
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"tripplan: hosts confirm edits a plan file; {pipe} is not a regular file\n"
    )
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_name_with_a_bidi_override_is_written_as_an_escape(tmp_path: Path, suffix: str) -> None:
    """A right-to-left override (or an invisible character) in a value tripplan writes into
    the plan file is written as an escape, so the file shows what it holds (Trojan Source);
    read back, the name is the same."""
    name = "Boise \u202eohadI\u202c\u200b"
    plan = tmp_path / f"plan{suffix}"
    if suffix == ".json":
        data = json.loads(
            json.dumps(tomllib.loads(BUNDLED.read_text(encoding="utf-8")), default=str)
        )
        plan.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        plan.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    result = run(
        "hosts", "confirm", "us-host-1", plan, "--name", name, "--timezone", "America/Boise"
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = plan.read_text(encoding="utf-8")
    assert "\u202e" not in text and "\u202c" not in text and "\u200b" not in text
    if suffix == ".json":
        assert '"name": "Boise \\u202eohadI\\u202c\\u200b"' in text
        assert json.loads(text)["communities"][2]["name"] == name
    else:
        assert 'name = "Boise \\u202EohadI\\u202C\\u200B"' in text
        assert tomllib.loads(text)["communities"][2]["name"] == name


def _with_translation_as(layout: str) -> str:
    text = BUNDLED.read_text(encoding="utf-8")
    old = 'translations.en.name = "US host community 1"\n'
    assert old in text
    if layout == "inline":
        return text.replace(old, 'translations = { en = { name = "US host community 1" } }\n')
    moved = text.replace(old, "")
    anchor = "placeholder = true\n"
    at = moved.index(anchor) + len(anchor)  # the first placeholder: us-host-1
    return (
        moved[:at]
        + '\n[communities.translations.en]\nname = "US host community 1"\n'
        + (moved[at:])
    )


def test_confirm_removes_the_placeholders_name_written_as_a_sub_table(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(_with_translation_as("table"), encoding="utf-8")
    result = run("hosts", "confirm", "us-host-1", plan, "--name", "Boise",
                 "--timezone", "America/Boise")  # fmt: skip
    assert result.exit_code == 0, result.output
    community = tomllib.loads(plan.read_text(encoding="utf-8"))["communities"][2]
    assert community["name"] == "Boise" and "placeholder" not in community
    assert community.get("translations", {}).get("en", {}) == {}


def test_a_layout_the_editor_cannot_change_in_place_is_refused_in_the_plans_language(
    tmp_path: Path,
) -> None:
    """An inline table cannot be edited line by line: nothing is written, and the refusal
    (like every message about a German plan) is in German."""
    plan = tmp_path / "plan.toml"
    before = _with_translation_as("inline")
    plan.write_text(before, encoding="utf-8")
    result = run("hosts", "confirm", "us-host-1", plan, "--name", "Boise",
                 "--timezone", "America/Boise")  # fmt: skip
    assert result.exit_code == 2
    assert "tripplan kann diese Änderung nicht vornehmen, ohne andere Werte zu ändern" in (
        result.stderr
    )
    assert "communities[2].translations.en.name entfernen" in result.stderr
    assert plan.read_text(encoding="utf-8") == before
