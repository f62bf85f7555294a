"""The reference-data cache: a folder of ours only, links never followed, shapes checked,
only our own names pruned or cleared, and never a plan."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import BUNDLED
from typer.testing import CliRunner

from tripplan import airports
from tripplan.cache import cache_dir, cached, clear, package_stamp
from tripplan.cli import app
from tripplan.loader import load_plan


def _valid(value: object) -> bool:
    return isinstance(value, dict) and value.get("answer") == 42


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(path))
    return path


def _counting() -> tuple[list[int], Callable[[], dict[str, int]]]:
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    return calls, compute


def test_remembers_in_a_private_folder_and_survives_a_broken_file(folder: Path) -> None:
    calls, compute = _counting()
    assert cached("holidays", "k", compute, _valid) == {"answer": 42}
    assert cached("holidays", "k", compute, _valid) == {"answer": 42}
    assert len(calls) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (file,) = folder.glob("holidays-*-k.json")
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    file.write_text("{broken", encoding="utf-8")
    assert cached("holidays", "k", compute, _valid) == {"answer": 42}
    assert len(calls) == 2


def test_a_value_of_the_wrong_shape_is_computed_again(folder: Path) -> None:
    calls, compute = _counting()
    cached("holidays", "k", compute, _valid)
    (file,) = folder.glob("holidays-*-k.json")
    file.write_text('{"answer": "planted"}', encoding="utf-8")
    assert cached("holidays", "k", compute, _valid) == {"answer": 42}
    assert len(calls) == 2


def test_off_or_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", "")
    assert cached("holidays", "k", lambda: [1], lambda v: True) == [1]
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(blocker / "below"))
    assert cached("holidays", "k", lambda: [2], lambda v: True) == [2]
    assert not (blocker / "below").exists()


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_folder_others_can_write_is_not_used(folder: Path, mode: int) -> None:
    folder.mkdir(mode=0o700)
    os.chmod(folder, mode)
    calls, compute = _counting()
    cached("holidays", "k", compute, _valid)
    cached("holidays", "k", compute, _valid)
    assert len(calls) == 2
    assert list(folder.iterdir()) == []


def test_a_linked_folder_is_not_used(tmp_path: Path, folder: Path) -> None:
    real = tmp_path / "elsewhere"
    real.mkdir(mode=0o700)
    folder.symlink_to(real)
    _, compute = _counting()
    cached("holidays", "k", compute, _valid)
    assert list(real.iterdir()) == []


def test_a_folder_of_another_user_is_not_used(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)
    _, compute = _counting()
    cached("holidays", "k", compute, _valid)
    assert list(folder.iterdir()) == []


def test_a_linked_file_is_neither_read_nor_written_through(tmp_path: Path, folder: Path) -> None:
    folder.mkdir(mode=0o700)
    planted = tmp_path / "planted.json"
    planted.write_text('{"answer": 42, "planted": true}', encoding="utf-8")
    link = folder / f"holidays-{package_stamp('holidays')}-k.json"
    link.symlink_to(planted)
    calls, compute = _counting()
    assert cached("holidays", "k", compute, _valid) == {"answer": 42}
    assert len(calls) == 1
    assert json.loads(planted.read_text(encoding="utf-8"))["planted"] is True
    assert not link.is_symlink()  # replaced by our own file, the target untouched


def test_a_planted_airport_in_an_unsafe_folder_is_ignored(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another local user plants FRA in Tokyo: a folder they can write is never read."""
    folder.mkdir(mode=0o700)
    row = {"name": "Frankfurt", "city": "Frankfurt", "country": "DE", "tz": "Asia/Tokyo"}
    name = f"airportsdata-{package_stamp('airportsdata')}-iata-FRA.json"
    (folder / name).write_text(json.dumps(row), encoding="utf-8")
    os.chmod(folder, 0o777)
    airports._row.cache_clear()
    try:
        assert airports.airport("FRA").timezone == "Europe/Berlin"
    finally:
        airports._row.cache_clear()


def test_pruning_and_clearing_touch_only_our_names(folder: Path) -> None:
    """TRIPPLAN_CACHE_DIR=. in a folder of plans: the plans survive every run and a clear."""
    folder.mkdir(mode=0o700)
    plans = folder / "plans"
    plans.mkdir(mode=0o700)
    for n in range(20):
        (plans / f"plan-{n}.toml").write_text("x", encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    old = folder / "holidays-0000000000000000-k.json"  # an earlier installation's answer
    old.write_text("{}", encoding="utf-8")
    hashed = plans / ("ab" * 32)  # someone's file with a name like a hash: not ours either
    hashed.write_bytes(b"theirs")
    cached("holidays", "k", lambda: {"answer": 42}, _valid)
    assert not old.exists()
    assert len(list(plans.iterdir())) == 21
    directory, removed = clear()
    assert (directory, removed) == (folder, 1)
    assert len(list(plans.iterdir())) == 21
    assert (folder / "notes.json").exists()


def test_loading_a_plan_stores_nothing_of_it(folder: Path) -> None:
    load_plan(BUNDLED)
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_text(encoding="utf-8")
            assert "0000101" not in content and "passport" not in content


def test_cache_commands(folder: Path) -> None:
    runner = CliRunner()
    cached("holidays", "k", lambda: {"answer": 42}, _valid)
    shown = runner.invoke(app, ["cache", "dir"])
    assert (shown.exit_code, shown.output) == (0, f"{folder}\n")
    cleared = runner.invoke(app, ["cache", "clear"])
    assert (cleared.exit_code, cleared.output) == (0, f"removed 1 file from {folder}\n")
    assert not folder.exists()
    assert cache_dir() == folder
