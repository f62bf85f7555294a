"""Hostile and broken input: fuzzing, injection, privacy in every output, safe files."""

from __future__ import annotations

import copy
import json
import logging
import os
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import BUNDLED, BUNDLED_DATA, MARKERS, SMALL_PLAN, leaks, private_plan, run, small_plan
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from tripplan import build_itinerary
from tripplan.export.ics import export
from tripplan.loader import validate
from tripplan.render.jsonout import render_json

# tests/test_export_caldav.py (being reworked elsewhere) still imports these two from here.
_leaks = leaks
__all__ = ["_leaks", "private_plan"]

NOW = datetime.fromisoformat("2018-03-01T12:00:00+00:00")


# -- fuzzing ---------------------------------------------------------------------------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.sampled_from(["", "Europe/Berln", "JFX", "2018-03-25T02:30", "2018-02-30", "../x",
                     "us-host-1", "bautzen-delegation", "P1D", "9999-12-31T23:59"]),
    # the classes of the second corpus: each must end in a message, never a crash
    st.sampled_from(["9999999999999h", "96360000h", "US/Arizona", "MST", "USA", "Workshop",
                     "jfk", "ann\n", "2018-04-24T24:00", "2018-04-24T23:59:60",
                     "2018-11-04T01:30:00-05:00", "2018-11-04T01:30:00-06:00",
                     ";TZID=Nowhere/Zone:", "A\u202eB\u2028C\u0085D\u200f", "0h"]),
    st.integers(min_value=10**20, max_value=10**30),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)  # fmt: skip


@given(data=st.data())
def test_mutations_of_the_bundled_plan_never_crash(
    data: st.DataObject, tmp_path_factory: Any
) -> None:
    plan = copy.deepcopy(BUNDLED_DATA)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(plan)
        path = data.draw(st.sampled_from(paths))
        parent: Any = plan
        for part in path[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "delete", "duplicate"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[path[-1]] = data.draw(JUNK)
    file = tmp_path_factory.mktemp("fuzz") / "plan.json"
    file.write_text(json.dumps(plan), encoding="utf-8")
    out = str(file.parent / "calendars")
    for command in (
        ["check"],
        ["itinerary", "-f", "json"],
        ["programme", "-f", "markdown"],
        ["export-ics", "--split", "delegate", "--out", out, "--report", "none"],
        ["plan", "--time-limit", "1", "-f", "json"],
    ):
        result = run(*command, file)
        assert result.exit_code in (0, 1, 2), result.output
        if result.exit_code == 2:
            assert result.stderr.startswith("tripplan: ")
        assert "Traceback" not in result.output


ZONES = ["Europe/Berlin", "America/New_York", "America/Chicago", "America/Bogota", "Pacific/Apia"]


@st.composite
def valid_plans(draw: st.DrawFn) -> dict[str, Any]:
    zones = draw(st.lists(st.sampled_from(ZONES), min_size=2, max_size=3, unique=True))
    communities = [
        {"id": f"c{n}", "name": f"Community {n}", "country": "DE", "timezone": tz}
        for n, tz in enumerate(zones)
    ]
    delegates = [{"id": f"d{n}", "name": f"Delegate {n}", "home": "c0"} for n in range(2)]
    day = draw(
        st.dates(min_value=datetime(2018, 1, 1).date(), max_value=datetime(2018, 12, 20).date())
    )
    activities = []
    for n in range(draw(st.integers(min_value=0, max_value=4))):
        offset = draw(st.integers(min_value=0, max_value=5))
        hour = draw(st.integers(min_value=0, max_value=21))
        minutes = draw(st.sampled_from([0, 15, 30, 45]))
        length = draw(st.integers(min_value=1, max_value=8)) * 15
        start = datetime(day.year, day.month, day.day, hour, minutes) + timedelta(days=offset)
        end = start + timedelta(minutes=length)
        activities.append(
            {
                "id": f"a{n}",
                "title": draw(st.text(min_size=1, max_size=20).filter(str.strip)),
                "community": draw(st.sampled_from([c["id"] for c in communities])),
                "kind": draw(st.sampled_from(["meeting", "meal", "call", "free_time"])),
                "start": start.isoformat(timespec="minutes"),
                "end": end.isoformat(timespec="minutes"),
            }
        )
    return {
        "programme": {"name": "Fuzz", "year": 2018, "organiser": "Org"},
        "communities": communities,
        "delegates": delegates,
        "delegations": [{"id": "g", "name": "G", "home": "c0", "members": ["d0", "d1"]}],
        "trips": [
            {
                "id": "t",
                "title": "Trip",
                "kind": "study_tour",
                "delegations": ["g"],
                "first_day": day.isoformat(),
                "last_day": (day + timedelta(days=7)).isoformat(),
                "activities": activities,
            }
        ],
    }


@given(valid_plans())
def test_valid_plans_are_deterministic_and_round_trip_through_ics(data: dict[str, Any]) -> None:
    from tripplan.errors import PlanError

    try:
        plan = validate(data)
    except PlanError as exc:  # a DST gap or fold the strategy hit: refused with a message
        assert all(p.message for p in exc.problems)
        return
    first = render_json(build_itinerary(plan), "en")
    assert render_json(build_itinerary(validate(copy.deepcopy(data))), "en") == first
    document = json.loads(first)
    expected = {
        e["uid"].replace("/", ".", 1): (e["start"], e["end"])
        for e in document["events"]
        if e["start"]
    }
    result = export(
        build_itinerary(plan), split="none", audience="internal", lang="en", now=NOW, earlier={}
    )
    (ics,) = result.files.values()
    found = {}
    for vevent in Calendar.from_ical(ics).walk("VEVENT"):
        key = str(vevent["uid"]).split("@")[0]
        found[key] = (vevent.decoded("dtstart").isoformat(), vevent.decoded("dtend").isoformat())
    assert found == expected


# -- injection -------------------------------------------------------------------------------

NASTY = (
    "Evil\nBEGIN:VEVENT\r\nUID:evil@x\nEND:VEVENT; a,b\\c <b>*x*</b> [l](http://x) | # "
    "\x07\x1b[31mred\x1b[0m \u200fRLM \u202eRLO\u202c 🎉 " + "ß" * 100
)


def nasty_plan() -> dict[str, Any]:
    data = small_plan()
    meeting = data["trips"][0]["activities"][0]
    meeting.update(title=NASTY, venue=NASTY, public_notes=NASTY, internal_notes=NASTY)
    data["programme"]["name"] = "Prog\n# injected heading"
    return data


def test_injection_is_inert_in_ics() -> None:
    itinerary = build_itinerary(validate(nasty_plan()))
    result = export(itinerary, split="none", audience="internal", lang="en", now=NOW, earlier={})
    (data,) = result.files.values()
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 6
    assert not any(line.startswith("UID:evil") for line in lines)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", text.replace("\r\n", ""))
    assert "\u202e" not in text
    calendar = Calendar.from_ical(data)
    meeting = next(e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("tour.meet@"))
    summary = str(meeting["summary"])
    assert summary.startswith("Evil BEGIN:VEVENT UID:evil@x END:VEVENT; a,b\\c <b>*x*</b>")
    assert "\u200f" not in summary and "�RLM" in summary
    assert "🎉" in summary and "ß" * 100 in summary
    assert str(meeting["description"]).startswith("Evil\nBEGIN:VEVENT\nUID:evil@x\nEND:VEVENT")


def test_injection_is_inert_in_markdown(write_plan: Any) -> None:
    result = run("itinerary", write_plan(nasty_plan()), "-f", "markdown")
    assert result.exit_code == 0
    text = result.stdout
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert text.splitlines()[0] == "# Itinerary: Prog # injected heading"  # mid-line: inert
    assert not any(line.startswith("# injected") for line in text.splitlines())
    items = [line for line in text.splitlines() if line.startswith("- **")]
    assert len(items) == 6 + 0  # one line per event, findings separate
    meeting = next(line for line in items if "Evil" in line)
    assert "\\<b\\>\\*x\\*\\</b\\>" in meeting and "\\[l\\](http://x)" in meeting
    assert "\n" not in meeting


def test_injection_is_inert_in_the_table(write_plan: Any) -> None:
    result = run("itinerary", write_plan(nasty_plan()))
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\u202e" not in result.stdout


# -- privacy ---------------------------------------------------------------------------------


def test_private_data_reaches_no_output_and_no_log(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    plan = private_plan(tmp_path)
    outputs: list[str] = []
    for audience in ("internal", "delegates", "hosts"):
        for fmt in ("table", "json", "markdown", "html"):
            outputs.append(run("itinerary", plan, "-f", fmt, "--audience", audience).output)
        for split in ("none", "delegate", "community"):
            out = tmp_path / f"ics-{audience}-{split}"
            target = out / "x.ics" if split == "none" else out
            result = run(
                "export-ics", plan, "--split", split, "--audience", audience, "--out", target
            )
            assert result.exit_code == 0, result.output
            outputs.append(result.output)
            outputs += [p.read_text(encoding="utf-8") for p in out.rglob("*.ics")]
    for fmt in ("table", "json"):
        outputs.append(run("check", plan, "-f", fmt).output)
    for fmt in ("table", "json", "markdown"):
        outputs.append(run("programme", plan, "-f", fmt).output)
    outputs.append(run("plan", plan, "-f", "json").output)
    outputs.append(run("export-ics", plan, "--out", "-").output)
    for text in outputs:
        assert leaks(text) == []
    assert leaks(caplog.text) == []


def test_private_data_reaches_no_error_message(tmp_path: Path) -> None:
    data = json.loads(private_plan(tmp_path).read_text(encoding="utf-8"))
    data["delegates"][0]["private"]["passport_expiry"] = MARKERS["phone"]
    data["delegates"][1]["private"]["phone"] = 4711
    data["delegates"][2]["private"]["visa"] = MARKERS["dietary"]
    data["delegates"][3]["private"]["unknown"] = MARKERS["access"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    assert "private.passport_expiry" in result.stderr
    assert leaks(result.output) == [] and "4711" not in result.output


def test_private_block_is_hidden_in_reprs() -> None:
    plan = validate(json.loads(json.dumps(BUNDLED_DATA)))
    text = repr(plan) + str(plan.delegates[0])
    assert "+49 3591" not in text and "Private(<hidden>)" in text


# -- files -----------------------------------------------------------------------------------


def test_reserved_file_names(tmp_path: Path) -> None:
    data = small_plan()
    data["delegates"][0]["id"] = "con"
    data["delegations"][0]["members"] = ["con", "ben"]
    itinerary = build_itinerary(validate(data))
    result = export(
        itinerary, split="delegate", audience="delegates", lang="en", now=NOW, earlier={}
    )
    assert sorted(result.files) == ["_con.ics", "ben.ics"]


def test_output_below_a_file_is_a_clear_error(tmp_path: Path, write_plan: Any) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = run("export-ics", write_plan(SMALL_PLAN), "--split", "delegate", "--out", "taken/cals")
    assert result.exit_code == 2
    assert result.stderr == "tripplan: cannot create taken/cals: Not a directory\n"


def test_failed_write_of_placements_leaves_the_plan_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    plan = tmp_path / "tripplan.toml"
    shutil.copy(BUNDLED, plan)
    before = plan.read_bytes()

    def broken(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    result = run("plan", "--write", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"tripplan: cannot write {plan}: No space left on device\n")
    assert plan.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tripplan.toml"]


def test_ids_that_would_share_a_file_name_are_refused(write_plan: Any) -> None:
    data = small_plan()
    data["delegates"][1]["id"] = "ann."
    data["delegations"][0]["members"] = ["ann", "ann."]
    result = run("export-ics", write_plan(data), "--split", "delegate", "--out", "cals")
    assert result.exit_code == 2
    assert result.stderr == (
        "tripplan: the ids 'ann' and 'ann.' would both be written to ann.ics; rename one of "
        "them in the plan\n"
    )
    assert not Path("cals").exists() or not list(Path("cals").iterdir())


PRIVATE_CODES = {"entry-data-missing", "entry-refused", "passport-expires"}


def _private_findings(output: str) -> set[tuple[str, tuple[str, ...], str]]:
    document = json.loads(output)
    return {
        (f["code"], tuple(f["ids"]), f["message"])
        for f in document["findings"]
        if f["code"] in PRIVATE_CODES
    }


def test_findings_from_private_data_reach_only_those_who_may_see_them() -> None:
    """The bundled plan: bz-buendnis has no passport date and no ESTA, bz-steinhaus a
    pending ESTA, us2-b no passport date. Hosts never see such findings; a delegate sees
    only their own."""
    everyone = _private_findings(run("itinerary", "-f", "json").stdout)
    assert {ids[1] for _, ids, _ in everyone} == {"bz-buendnis", "bz-steinhaus", "us2-b"}
    for fmt in ("table", "markdown", "html"):
        for argv in (
            ["--community", "us-host-1", "--audience", "hosts"],
            ["--audience", "hosts"],
            ["--audience", "delegates"],
            ["--audience", "delegates", "--delegate", "bz-stadt"],
        ):
            output = run("itinerary", "-f", fmt, "--lang", "en", *argv).stdout
            assert "ESTA" not in output and "passport" not in output, (fmt, argv)
            assert "bz-buendnis enters" not in output
    hosts = run("itinerary", "-f", "json", "--community", "us-host-1", "--audience", "hosts")
    assert _private_findings(hosts.stdout) == set()
    own = run("itinerary", "-f", "json", "--audience", "delegates", "--delegate", "bz-buendnis")
    assert _private_findings(own.stdout) == {
        finding for finding in everyone if finding[1][1] == "bz-buendnis"
    }
    assert len(_private_findings(own.stdout)) == 2
    other = run("itinerary", "-f", "json", "--audience", "delegates", "--delegate", "bz-stadt")
    assert _private_findings(other.stdout) == set()
    internal = run("itinerary", "-f", "json", "--delegate", "bz-steinhaus")
    assert {ids[1] for _, ids, _ in _private_findings(internal.stdout)} == {"bz-steinhaus"}


@pytest.mark.parametrize("value", ["1871-07-19", "2871-07-19"])
def test_a_private_value_out_of_range_is_not_quoted(tmp_path: Path, value: str) -> None:
    data = json.loads(private_plan(tmp_path).read_text(encoding="utf-8"))
    data["delegates"][0]["private"]["passport_expiry"] = value
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", path, "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        f"tripplan: {path} › delegates[0].private.passport_expiry (line 1): this value is not "
        "accepted (it is private, so it is not repeated here); write the date as YYYY-MM-DD, in "
        "the years 1900–2200\n"
    )
    assert value[:4] not in result.output


INVISIBLE = "\u0085\u200e\u200f\u061c\u2028\u2029\u202a\u202e\u2066\u2069"


@pytest.mark.parametrize(
    "argv",
    [
        ["itinerary", "-f", "json"],
        ["check", "-f", "json"],
        ["programme", "-f", "json"],
        ["plan", "-f", "json"],
    ],
)
def test_json_output_escapes_what_would_reorder_or_break_a_line(
    tmp_path: Path, argv: list[str]
) -> None:
    data = copy.deepcopy(BUNDLED_DATA)
    data["trips"][0]["activities"][0]["title"] = f"A{INVISIBLE}B"
    data["trips"][0]["activities"][0]["public_notes"] = f"note{INVISIBLE}"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run(argv[0], plan, *argv[1:])
    assert result.exit_code in (0, 1), result.output
    assert not any(ch in result.stdout for ch in INVISIBLE)
    if argv[0] == "itinerary":
        titles = [e["title"] for e in json.loads(result.stdout)["events"]]
        assert f"A{INVISIBLE}B" in titles  # escaped, not lost: the data is the same
        assert "\\u202e" in result.stdout


def test_a_private_time_without_seconds_is_not_quoted(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(
        'version = 1\n\n[[delegates]]\nid = "ann"\n\n[delegates.private]\n'
        "passport_expiry = 2031-07-13T10:45\n",
        encoding="utf-8",
    )
    result = run("check", path, "--lang", "en")
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        f"tripplan: {path} › delegates[0].private.passport_expiry (line 7): the time is "
        "written without quotes and without seconds, which TOML does not read (it is private, "
        'so it is not repeated here); write it in quotes, as "2027-03-26T09:30", or with '
        "seconds, as 2027-03-26T09:30:00"
    )
    assert "2031" not in result.output and "10:45" not in result.output
