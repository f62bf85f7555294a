"""The validated-plan cache: same bytes and same code only, private, never trusted blindly."""

from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import BUNDLED, SMALL_PLAN

from tripplan import loader, plancache
from tripplan.cache import write_blob
from tripplan.errors import PlanError
from tripplan.loader import load_plan
from tripplan.models import Plan


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", str(folder))
    return folder


def _no_validation(*args: Any, **kwargs: Any) -> Plan:
    raise AssertionError("validated again")


def test_an_unchanged_plan_is_not_validated_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_plan(BUNDLED)
    monkeypatch.setattr(loader, "validate", _no_validation)
    second = load_plan(BUNDLED)
    assert second == first
    assert second is not first
    assert second.community("bautzen").name == "Bautzen"
    assert second.delegate(first.delegates[0].id).private == first.delegates[0].private


def test_a_changed_plan_is_validated_again(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(SMALL_PLAN), encoding="utf-8")
    assert load_plan(path).programme.name == "Small exchange"
    broken = json.loads(json.dumps(SMALL_PLAN))
    broken["communities"][0]["timezone"] = "EST"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_plan(path)
    assert "communities[0].timezone" in str(raised.value)


def test_plans_with_problems_are_not_stored(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    broken = json.loads(json.dumps(SMALL_PLAN))
    broken["programme"]["year"] = "2018"
    path.write_text(json.dumps(broken), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(PlanError, match=r"programme\.year"):
            load_plan(path)
    assert not (cache / "plans").exists()


def test_the_same_bytes_read_as_another_format_get_another_key() -> None:
    raw = b'{"version": 1}'
    assert plancache.key(raw, "json") != plancache.key(raw, "toml")
    assert plancache.key(raw, "json") != plancache.key(raw + b" ", "json")


def test_new_zone_rules_give_new_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plancache.zoneinfo, "TZPATH", (str(tmp_path),))
    rules = tmp_path / "tzdata.zi"
    rules.write_text("# version 2018d\n", encoding="utf-8")
    before = plancache.code_fingerprint.__wrapped__()
    rules.write_text("# version 2018e, with new rules\n", encoding="utf-8")
    assert plancache.code_fingerprint.__wrapped__() != before


def test_files_are_for_their_owner_only(cache: Path) -> None:
    load_plan(BUNDLED)
    folder = cache / "plans"
    (stored,) = folder.iterdir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600


def test_only_the_newest_plans_are_kept(cache: Path) -> None:
    for number in range(5):
        write_blob("plans", f"k{number}", b"x", keep=3)
        os.utime(cache / "plans" / f"k{number}", ns=(number * 10**9, number * 10**9))
    write_blob("plans", "k5", b"x", keep=3)
    assert sorted(p.name for p in (cache / "plans").iterdir()) == ["k3", "k4", "k5"]


class _Payload:
    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (os.system, ("touch pwned",))


def test_a_foreign_file_is_never_executed_and_the_plan_validated_instead(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    raw = BUNDLED.read_bytes()
    key = plancache.key(raw, "toml")
    write_blob("plans", key, pickle.dumps(_Payload()), keep=16)
    plan = load_plan(BUNDLED)
    assert plan.programme.year == 2018
    assert not (tmp_path / "pwned").exists()
    assert plancache.load(key) == plan  # replaced by the freshly validated plan


def test_a_broken_file_means_validating_again(cache: Path) -> None:
    key = plancache.key(BUNDLED.read_bytes(), "toml")
    write_blob("plans", key, b"\x80\x05 not a pickle", keep=16)
    assert plancache.load(key) is None
    assert load_plan(BUNDLED).programme.year == 2018


def test_cache_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRIPPLAN_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    load_plan(BUNDLED)
    assert list(tmp_path.iterdir()) == []
