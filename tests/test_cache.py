"""The reference-data cache: remembers answers per package version, never fails a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tripplan.cache import cached


def test_cache_remembers_and_survives_a_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"answer": 42}

    assert cached("holidays", "k", compute) == {"answer": 42}
    assert cached("holidays", "k", compute) == {"answer": 42}
    assert len(calls) == 1
    (file,) = tmp_path.glob("holidays-*-k.json")
    file.write_text("{broken", encoding="utf-8")
    assert cached("holidays", "k", compute) == {"answer": 42}
    assert len(calls) == 2


def test_cache_off_or_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", "")
    assert cached("holidays", "k", lambda: [1]) == [1]
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(blocker / "below"))
    assert cached("holidays", "k", lambda: [2]) == [2]
    assert not (blocker / "below").exists()
