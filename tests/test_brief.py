"""The host brief: counted, never named; private needs only with consent."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from helpers import SMALL_PLAN, run


def _plan(tmp_path: Path, mutate: Any = None) -> Path:
    data = copy.deepcopy(SMALL_PLAN)
    if mutate:
        mutate(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_brief_counts_arrivals_days_and_appointments(tmp_path: Path) -> None:
    result = run("hosts", "brief", "host", _plan(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert [(m["direction"], m["when"], m["people"]) for m in brief["movements"]] == [
        ("arrival", "2018-04-23T13:00:00-04:00", 2),
        ("departure", "2018-04-25T18:00:00-04:00", 2),
    ]
    assert brief["days"] == [
        {"day": "2018-04-23", "people": 2},
        {"day": "2018-04-24", "people": 2},
        {"day": "2018-04-25", "people": 2},
    ]
    assert [(a["title"], a["start"], a["people"]) for a in brief["appointments"]] == [
        ("Meeting with practitioners", "2018-04-24T09:00:00-04:00", 2)
    ]
    assert brief["lodging"] == [
        {"stay": "New York", "first_night": "2018-04-23", "nights": 2, "people": 2}
    ]


def test_private_needs_reach_hosts_only_with_consent_and_never_with_a_name(
    tmp_path: Path,
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        ann, ben = data["delegates"]
        ann["private"].update(dietary="Vegetarian", share_with_hosts=["dietary"])
        ben["private"].update(dietary="halal, no alcohol", access="step-free access")
        data["communities"][1]["languages"] = ["en"]
        ann["languages"] = ["de"]
        ben["languages"] = ["de", "en"]

    plan = _plan(tmp_path, mutate)
    brief = json.loads(run("hosts", "brief", "host", plan, "-f", "json").stdout)
    assert brief["needs"] == [
        {"kind": "dietary", "shared": {"vegetarian": 1}, "undisclosed": 1},
        {"kind": "access", "shared": {}, "undisclosed": 1},
    ]
    assert brief["interpreting"] == {"de": 1}
    text = run("hosts", "brief", "host", plan, "-f", "markdown").stdout
    assert "- dietary needs: 1 × vegetarian" in text
    assert "- 1 delegate has dietary needs they did not share: ask the coordinator" in text
    assert "- 1 delegate has access needs they did not share: ask the coordinator" in text
    assert "they speak: de (1)" in text
    for secret in ("halal", "alcohol", "step-free", "Ann", "Ben", "ann", "ben"):
        for fmt in ("json", "markdown", "table"):
            assert secret not in run("hosts", "brief", "host", plan, "-f", fmt).stdout, secret


def test_no_private_data_in_any_host_brief(tmp_path: Path) -> None:
    from helpers import leaks, private_plan

    plan = private_plan(tmp_path)
    for host in ("us-host-1", "us-host-2", "bautzen", "berlin"):
        for fmt in ("json", "markdown", "table"):
            result = run("hosts", "brief", host, plan, "-f", fmt)
            assert result.exit_code == 0, result.output
            assert leaks(result.stdout) == [], (host, fmt)


def test_an_unknown_host_is_exit_2(tmp_path: Path) -> None:
    result = run("hosts", "brief", "nowhere", _plan(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: no host community has the id 'nowhere'; hosts: host"
    )
