"""The corpus of broken plans: each gets exactly its expected message and exit code 2.

``tests/bad_plans/expected.json`` holds, for every file in the folder, the exact standard
error. ``UPDATE_SNAPSHOTS=1 uv run pytest tests/test_bad_plans.py`` rewrites it (review the
diff!). Inputs too large to keep in the repository are made by the tests below.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import SMALL_PLAN, run

CORPUS = Path(__file__).parent / "bad_plans"
EXPECTED = CORPUS / "expected.json"
FILES = sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.json")


def test_the_corpus_is_large_enough() -> None:
    assert len(FILES) >= 40


@pytest.mark.parametrize("name", FILES)
def test_bad_plan(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    expected = json.loads(EXPECTED.read_text(encoding="utf-8")) if EXPECTED.exists() else {}
    result = run("check", name)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        expected[name] = result.stderr
        EXPECTED.write_text(
            json.dumps(dict(sorted(expected.items())), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr == expected[name]
    assert name in result.stderr  # the message names the file


def test_every_expectation_has_its_file() -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert sorted(expected) == FILES


def test_a_50_mb_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.write(b"# " + b"x" * 100 + b"\n")
        handle.truncate(50 * 1024 * 1024)
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"tripplan: {path}: is 50.0 MB; tripplan reads plans of at most 10 MB. Split the "
        "programme into several plans.\n"
    )


def test_a_plan_with_100000_activities_is_refused(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SMALL_PLAN))
    meeting = data["trips"][0]["activities"][0]
    data["trips"][0]["activities"] = [dict(meeting, id=f"a{n}") for n in range(100_000)]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    if path.stat().st_size > 10 * 1024 * 1024:
        assert "tripplan reads plans of at most 10 MB" in result.stderr
    else:
        assert result.stderr == (
            f"tripplan: {path} › activities: the plan has 100,000 activities; tripplan handles "
            "at most 20,000 in one plan. Split the programme into several plans (one per phase "
            "or per delegation).\n"
        )


def test_deep_nesting_beyond_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"tripplan: {path}: ")


def test_a_directory(tmp_path: Path) -> None:
    result = run("check", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"tripplan: {tmp_path}: is a directory; give the plan file inside it, e.g. "
        f"{tmp_path / 'tripplan.toml'}\n"
    )


def _crowd(people: int, activities: int) -> dict[str, Any]:
    """Everyone at every activity: ``people × activities`` attendances."""
    data = json.loads(json.dumps(SMALL_PLAN))
    data["delegates"] = [{"id": f"p{i}", "name": f"P{i}", "home": "home"} for i in range(people)]
    data["delegations"][0]["members"] = [f"p{i}" for i in range(people)]
    meeting = data["trips"][0]["activities"][0]
    data["trips"][0]["activities"] = [dict(meeting, id=f"a{n}") for n in range(activities)]
    return data


def test_a_plan_whose_people_attend_too_many_events_is_refused_up_front(tmp_path: Path) -> None:
    path = tmp_path / "crowd.json"
    path.write_text(json.dumps(_crowd(1000, 101)), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"tripplan: {path}: its people attend 106,000 events in all (each event counted once "
        "per person); tripplan handles at most 100,000. Most of them are in trip 'tour': 106 "
        "legs, activities and stays with up to 1,000 people each. Name the participants of "
        "each activity instead of inviting everyone, or split the programme into several "
        "plans.\n"
    )


def test_thousands_of_dangling_ids_cost_a_few_hints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tripplan import models

    searches: list[str] = []
    real = models.closest

    def counted(value: str, candidates: Any) -> str | None:
        searches.append(value)
        return real(value, candidates)

    monkeypatch.setattr(models, "closest", counted)
    data = json.loads(json.dumps(SMALL_PLAN))
    meeting = data["trips"][0]["activities"][0]
    data["trips"][0]["activities"] = [
        dict(meeting, id=f"a{n}", participants=[f"nobody{n}"]) for n in range(3000)
    ]
    path = tmp_path / "dangling.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "tripplan: the plan has 21 problems:"
    assert len(lines) == 22
    assert lines[-1] == f"  - {path}: … and 2,980 more problems; fix the ones above first"
    assert len(searches) == 20


@pytest.mark.slow
def test_thousands_of_overlaps_are_bounded_and_said(tmp_path: Path) -> None:
    # Every activity at the same time, 30 people each: 44,850 overlapping pairs, whose
    # comparison (31 units of work a pair) would take 1.4 million units, far beyond the check's
    # budget, MAX_OVERLAP_WORK: the sweep stops early and says so.
    from tripplan.planning.rules import MAX_OVERLAP_WORK

    people, activities = 30, 300
    assert activities * (activities - 1) // 2 * (1 + people) > 5 * MAX_OVERLAP_WORK
    data = _crowd(people, activities)
    path = tmp_path / "overlaps.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", path, "--format", "json", "--lang", "en")
    assert result.exit_code == 1
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes.count("double-booked") == 100
    (more,) = [
        f for f in json.loads(result.stdout)["findings"] if f["code"] == "double-booked-more"
    ]
    assert more["message"].startswith("more events overlap for the same people than tripplan lists")
    table = run("check", path, "--lang", "en")
    assert "… and 50 more findings of this kind (double-booked); all of them with" in table.stdout
