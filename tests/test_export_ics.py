"""iCalendar export: correct instants in every zone, content, updates, privacy, safe files.

Files are checked with icalendar, with the independent parser vobject, and through a real
calendar client's importer (khal) into a throwaway calendar.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import vobject
from helpers import BUNDLED, SMALL_PLAN, Build, run
from icalendar import Calendar
from snapshot import assert_snapshot

from tripplan import build_itinerary, load_plan
from tripplan.export.ics import export, export_to_path
from tripplan.itinerary import Filters, Itinerary

NOW = datetime(2018, 3, 1, 12, 0, tzinfo=UTC)
LATER = datetime(2018, 3, 2, 9, 30, tzinfo=UTC)


def bundled() -> Itinerary:
    return build_itinerary(load_plan(BUNDLED))


def one_file(itinerary: Itinerary, **options: Any) -> bytes:
    settings: dict[str, Any] = {"split": "none", "audience": "internal", "lang": "en"}
    settings.update(options)
    result = export(itinerary, now=NOW, earlier={}, **settings)
    (data,) = result.files.values()
    return data


def instants_from_json(itinerary: Itinerary) -> dict[str, tuple[datetime, datetime]]:
    from tripplan.render.jsonout import render_json

    document = json.loads(render_json(itinerary, "en"))
    return {
        e["uid"]: (datetime.fromisoformat(e["start"]), datetime.fromisoformat(e["end"]))
        for e in document["events"]
        if e["start"]
    }


def uid_key(uid: str) -> str:
    return uid.split("@", 1)[0].replace(".", "/", 1)


# -- parsing back ------------------------------------------------------------------------


@pytest.mark.parametrize("split", ["none", "delegate", "community"])
def test_every_bundled_file_parses_back_to_the_json_instants(split: str) -> None:
    itinerary = bundled()
    expected = instants_from_json(itinerary)
    result = export(itinerary, split=split, audience="internal", lang="de", now=NOW, earlier={})  # type: ignore[arg-type]
    assert result.files
    for name, data in result.files.items():
        calendar = Calendar.from_ical(data)
        strict = vobject.readOne(data.decode("utf-8"))
        vevents = list(calendar.walk("VEVENT"))
        assert len(vevents) == len(strict.vevent_list), name
        for vevent, other in zip(vevents, strict.vevent_list, strict=True):
            start, end = vevent.decoded("dtstart"), vevent.decoded("dtend")
            assert (other.dtstart.value, other.dtend.value) == (start, end)
            if isinstance(start, datetime):
                assert start.tzinfo is not None and end.tzinfo is not None
                assert (start, end) == expected[uid_key(str(vevent["uid"]))]


def test_flight_starts_in_origin_zone_and_ends_in_destination_zone(small_itinerary: Build) -> None:
    blocks = _events(one_file(small_itinerary()))
    flight = blocks["tour.out@small-exchange-2018.tripplan"]
    assert "\r\nDTSTART;TZID=Europe/Berlin:20180423T103000\r\n" in flight
    assert "\r\nDTEND;TZID=America/New_York:20180423T130000\r\n" in flight


def test_structure_of_a_file() -> None:
    data = one_file(bundled(), lang="de")
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert "METHOD" not in text
    unfolded = text.replace("\r\n ", "")
    tzids = re.findall(r"^TZID:([^\r\n]+)", unfolded, re.M)
    assert tzids == sorted(set(tzids)) == ["America/Chicago", "America/New_York", "Europe/Berlin"]
    for line in unfolded.split("\r\n"):
        if line.startswith("DTSTAMP"):
            assert re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line), line
    # VTIMEZONE DTSTARTs are local by definition; events never float:
    events = unfolded.split("BEGIN:VEVENT")[1:]
    for event in events:
        for line in event.split("\r\n"):
            if line.startswith(("DTSTART", "DTEND")):
                assert ";TZID=" in line or ";VALUE=DATE:" in line, line
    assert "NAME:Reiseplan – Transatlantic Exchange 2018 – Bautzen" in unfolded
    assert "X-WR-CALNAME:Reiseplan – Transatlantic Exchange 2018 – Bautzen" in unfolded


def test_vtimezones_cover_whole_years_the_same_way_in_every_file(tmp_path: Path) -> None:
    text = one_file(bundled()).decode()
    assert text.count("BEGIN:VTIMEZONE") == 3
    berlin = re.search(r"BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n.*?END:VTIMEZONE\r\n", text, re.S)
    assert berlin is not None
    assert berlin[0] == (
        "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n"
        "BEGIN:STANDARD\r\nDTSTART:20180101T000000\r\nTZOFFSETFROM:+0100\r\n"
        "TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n"
        "BEGIN:DAYLIGHT\r\nDTSTART:20180325T020000\r\nTZOFFSETFROM:+0100\r\n"
        "TZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT\r\n"
        "BEGIN:STANDARD\r\nDTSTART:20181028T030000\r\nTZOFFSETFROM:+0200\r\n"
        "TZOFFSETTO:+0100\r\nTZNAME:CET\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n"
    )
    export_to_path(bundled(), tmp_path, split="delegate", audience="delegates", lang="en", now=NOW)
    files = [path.read_bytes().decode() for path in tmp_path.glob("*.ics")]
    assert len(files) == 9
    for data in files:
        if "TZID:Europe/Berlin" in data:
            assert berlin[0] in data


@pytest.mark.parametrize(
    ("tzid", "years"),
    [
        ("Europe/Berlin", (2018, 2018)),  # EU switches: 25 Mar and 28 Oct 2018
        ("America/New_York", (2018, 2018)),  # US switches: 11 Mar and 4 Nov 2018
        ("America/Bogota", (2018, 2018)),  # no DST at all
        ("Pacific/Apia", (2011, 2012)),  # Samoa skipped 30 Dec 2011
        ("Australia/Lord_Howe", (2018, 2019)),  # a half-hour DST
        ("Europe/Amsterdam", (1937, 1940)),  # an offset with seconds (+00:19:32)
    ],
)
def test_vtimezone_matches_zoneinfo_at_every_transition(tzid: str, years: tuple[int, int]) -> None:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from tripplan.export.ics import vtimezone

    tz = ZoneInfo(tzid)
    component = Calendar.from_ical(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n"
        + vtimezone(tzid, *years)
        + "END:VCALENDAR\r\n"
    ).walk("VTIMEZONE")[0]
    observances = component.subcomponents
    first = observances[0]
    assert first.decoded("dtstart") == datetime(years[0], 1, 1)
    starts = []
    for observance in observances[1:]:
        before = observance.decoded("tzoffsetfrom")
        after = observance.decoded("tzoffsetto")
        instant = (observance.decoded("dtstart") - before).replace(tzinfo=UTC)
        starts.append(instant)
        # zoneinfo agrees: the old offset just before the instant, the new one from it on
        assert (instant - timedelta(seconds=1)).astimezone(tz).utcoffset() == before
        assert instant.astimezone(tz).utcoffset() == after
        assert observance.name == ("DAYLIGHT" if instant.astimezone(tz).dst() else "STANDARD")
    # and no change of zoneinfo is missing: sample every 6 hours over the years
    moment = datetime(years[0], 1, 1, tzinfo=UTC)
    changes = []
    while moment.year <= years[1]:
        nxt = moment + timedelta(hours=6)
        if moment.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
            changes.append(nxt)
        moment = nxt
    assert len(changes) == len(starts)
    assert all(
        earlier < start <= later
        for earlier, start, later in zip(
            [c - timedelta(hours=6) for c in changes], starts, changes, strict=True
        )
    )


def test_calendar_syntax_in_a_title_is_text(small_itinerary: Build) -> None:
    def mutate(data: dict[str, Any]) -> None:
        meeting = data["trips"][0]["activities"][0]
        meeting["title"] = ";TZID=Nowhere/Zone:20180101T000000"
        meeting["venue"] = "Hall;TZID=Europe/Paris:"

    text = one_file(small_itinerary(mutate)).decode()
    assert "Nowhere" not in re.findall(r"TZID:([^\r]+)", text)
    assert re.findall(r"(?m)^TZID:([^\r]+)", text) == ["America/New_York", "Europe/Berlin"]
    meeting = {str(e["uid"]).split("@")[0]: e for e in Calendar.from_ical(text).walk("VEVENT")}
    assert str(meeting["tour.meet"]["summary"]) == ";TZID=Nowhere/Zone:20180101T000000"


def test_all_day_stay_has_exclusive_end(small_itinerary: Build) -> None:
    text = one_file(small_itinerary()).decode()
    assert "DTSTART;VALUE=DATE:20180423\r\nDTEND;VALUE=DATE:20180425\r\n" in text
    assert "TRANSP:TRANSPARENT" in text


def test_content_status_categories_alarm_and_escaping(small_itinerary: Build) -> None:
    def mutate(data: dict[str, Any]) -> None:
        meeting = data["trips"][0]["activities"][0]
        meeting["title"] = "Budyšin; Straße, a\\b"
        meeting["public_notes"] = "Line one\nBEGIN:VEVENT"
        meeting["provisional"] = True

    calendar = Calendar.from_ical(one_file(small_itinerary(mutate)))
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    meeting = events["tour.meet"]
    assert str(meeting["summary"]) == "Budyšin; Straße, a\\b"
    assert str(meeting["status"]) == "TENTATIVE"
    assert str(meeting["location"]) == "City Hall, New York"
    assert str(meeting["description"]).startswith("Line one\nBEGIN:VEVENT\nWho: ")
    assert meeting.categories == ["Meeting"]
    assert str(events["tour.out"]["status"]) == "CONFIRMED"
    (alarm,) = events["tour.out"].walk("VALARM")
    assert alarm.decoded("trigger").total_seconds() == -3 * 3600
    assert not list(meeting.walk("VALARM"))
    raw = one_file(small_itinerary(mutate)).decode()
    assert "SUMMARY:Budyšin\\; Straße\\, a\\\\b" in raw
    assert raw.count("\r\nBEGIN:VEVENT\r\n") == 6


def test_golden_file_small_plan(small_itinerary: Build) -> None:
    data = one_file(small_itinerary(), lang="de").decode()
    assert_snapshot("../golden/small-none.ics", data.replace("\r\n", "\n"))


# -- splits and audiences ----------------------------------------------------------------


def test_split_delegate_covers_every_delegate_with_their_own_calendar() -> None:
    result = export(
        bundled(),
        split="delegate",
        audience="delegates",
        lang="de",
        now=NOW,
        earlier={},
        lang_fixed=False,
    )
    assert sorted(result.files) == sorted(
        f"{d}.ics"
        for d in [
            "bz-stadt",
            "bz-wib-verein",
            "bz-steinhaus",
            "bz-theater",
            "bz-buendnis",
            "us1-a",
            "us1-b",
            "us2-a",
            "us2-b",
        ]
    )
    us = result.files["us1-a.ics"].decode().replace("\r\n ", "")
    assert "X-WR-CALNAME:Itinerary Delegate A, US host community 1 – Transatlantic Exchange" in us
    assert "SUMMARY:Flight US host community 1 → Frankfurt am Main FRA" in us
    assert "study-tour." not in us


def test_split_community_gives_each_host_its_visits() -> None:
    result = export(bundled(), split="community", audience="hosts", lang="de", now=NOW, earlier={})
    assert sorted(result.files) == ["bautzen.ics", "berlin.ics", "us-host-1.ics", "us-host-2.ics"]
    bautzen = result.files["bautzen.ics"].decode().replace("\r\n ", "")
    assert "X-WR-CALNAME:Besuche in Bautzen – Transatlantic Exchange 2018 – Bautzen" in bautzen
    assert "SUMMARY:Bus Dresden DRS → Bautzen" in bautzen  # who arrives when
    assert "study-tour." not in bautzen


MARKERS = {
    "phone": "MARKER-PHONE-7781",
    "email": "marker-mail-7782@example.invalid",
    "dietary": "MARKER-DIET-7783",
    "access": "MARKER-ACCESS-7784",
    "emergency_contact": "MARKER-EMERGENCY-7785",
}


@pytest.mark.parametrize("split", ["none", "delegate", "community"])
@pytest.mark.parametrize("audience", ["delegates", "hosts"])
def test_private_data_and_internal_notes_never_reach_hosts_or_delegates(
    split: str, audience: str, small_itinerary: Build
) -> None:
    def mutate(data: dict[str, Any]) -> None:
        for delegate in data["delegates"]:
            delegate["private"].update(MARKERS)
        data["trips"][0]["activities"][0]["internal_notes"] = "MARKER-INTERNAL-7786"

    result = export(
        small_itinerary(mutate), split=split, audience=audience, lang="en", now=NOW, earlier={}
    )  # type: ignore[arg-type]
    everything = b"".join(result.files.values()).decode().replace("\r\n ", "")
    for marker in [*MARKERS.values(), "MARKER-INTERNAL-7786", "2025-01-01", "20250101"]:
        assert marker not in everything


def test_internal_audience_has_internal_notes(small_itinerary: Build) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["trips"][0]["activities"][0]["internal_notes"] = "Ask the mayor"

    text = one_file(small_itinerary(mutate)).decode().replace("\r\n ", "")
    assert "Internal: Ask the mayor" in text


# -- updates -------------------------------------------------------------------------------


def _events(data: bytes) -> dict[str, str]:
    text = data.decode()
    blocks = re.findall(r"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", text, re.S)
    return {
        re.search(r"UID:([^\r]+(?:\r\n [^\r]+)*)", b)[1].replace("\r\n ", ""): b for b in blocks
    }  # type: ignore[index]


def test_updates_keep_uids_bump_sequence_and_cancel_removed_events(
    tmp_path: Path, small_itinerary: Build
) -> None:
    out = tmp_path / "cal.ics"
    first = export_to_path(
        small_itinerary(), out, split="none", audience="internal", lang="en", now=NOW
    )
    before = out.read_bytes()
    assert first.reports[0].added and not first.reports[0].changed

    # Unchanged plan: byte-identical file, nothing rewritten.
    again = export_to_path(
        small_itinerary(), out, split="none", audience="internal", lang="en", now=LATER
    )
    assert out.read_bytes() == before
    assert (again.reports[0].unchanged, again.reports[0].written) == (6, False)

    # One event moves, one disappears.
    def mutate(data: dict[str, Any]) -> None:
        data["trips"][0]["activities"][0]["start"] = "2018-04-24T10:00"
        data["trips"][0]["activities"][0]["end"] = "2018-04-24T12:00"
        data["trips"][0]["legs"].pop()  # home-again

    changed = export_to_path(
        small_itinerary(mutate), out, split="none", audience="internal", lang="en", now=LATER
    )
    report = changed.reports[0]
    uid = "@small-exchange-2018.tripplan"
    assert report.changed == [f"tour.meet{uid}"]
    assert report.cancelled == [f"tour.home-again{uid}"]
    assert report.added == []
    old, new = _events(before), _events(out.read_bytes())
    assert set(old) == set(new)
    for key in old:
        if key not in (f"tour.meet{uid}", f"tour.home-again{uid}"):
            assert new[key] == old[key]
    meeting = Calendar.from_ical(new[f"tour.meet{uid}"].encode())
    assert "SEQUENCE:1\r\n" in new[f"tour.meet{uid}"]
    assert "DTSTAMP:20180302T093000Z\r\n" in new[f"tour.meet{uid}"]
    assert meeting is not None
    gone = new[f"tour.home-again{uid}"]
    assert "STATUS:CANCELLED\r\n" in gone and "SEQUENCE:1\r\n" in gone
    assert "BEGIN:VALARM" not in gone

    # Later runs keep the cancelled event as it is.
    after = out.read_bytes()
    export_to_path(
        small_itinerary(mutate),
        out,
        split="none",
        audience="internal",
        lang="en",
        now=datetime(2018, 3, 5, tzinfo=UTC),
    )
    assert out.read_bytes() == after


def test_removed_delegate_gets_every_event_cancelled(
    tmp_path: Path, small_itinerary: Build
) -> None:
    export_to_path(
        small_itinerary(), tmp_path, split="delegate", audience="delegates", lang="en", now=NOW
    )

    def mutate(data: dict[str, Any]) -> None:
        data["delegates"].pop(1)
        data["delegations"][0]["members"] = ["ann"]

    result = export_to_path(
        small_itinerary(mutate),
        tmp_path,
        split="delegate",
        audience="delegates",
        lang="en",
        now=LATER,
    )
    reports = {r.file: r for r in result.reports}
    assert len(reports["ben.ics"].cancelled) == 6
    text = (tmp_path / "ben.ics").read_text(encoding="utf-8")
    assert text.count("STATUS:CANCELLED") == 6


def test_report_json_from_the_cli(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(SMALL_PLAN), encoding="utf-8")
    first = run(
        "export-ics", plan, "--split", "delegate", "--out", tmp_path / "cals", "--report", "json"
    )
    assert first.exit_code == 0, first.output
    document = json.loads(first.stdout)
    assert [f["file"] for f in document["files"]] == ["ann.ics", "ben.ics"]
    assert len(document["files"][0]["added"]) == 6
    second = json.loads(
        run(
            "export-ics",
            plan,
            "--split",
            "delegate",
            "--out",
            tmp_path / "cals",
            "--report",
            "json",
        ).stdout
    )
    assert second["files"][0] == {
        "file": "ann.ics",
        "added": [],
        "changed": [],
        "cancelled": [],
        "unchanged": 6,
        "written": False,
    }


# -- files ----------------------------------------------------------------------------------


def test_stdout_output(write_plan) -> None:  # type: ignore[no-untyped-def]
    result = run("export-ics", write_plan(SMALL_PLAN), "--out", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")


def test_stdout_needs_a_single_calendar(write_plan) -> None:  # type: ignore[no-untyped-def]
    result = run("export-ics", write_plan(SMALL_PLAN), "--out", "-", "--split", "delegate")
    assert result.exit_code == 2
    assert result.stderr == (
        "tripplan: --out - writes one calendar to standard output; use --split none\n"
    )


def test_split_into_a_file_is_refused(tmp_path: Path, write_plan) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = run("export-ics", write_plan(SMALL_PLAN), "--split", "delegate", "--out", "taken")
    assert result.exit_code == 2
    assert result.stderr == (
        "tripplan: taken is a file, but --split delegate writes one calendar per delegate into "
        "a directory; give a directory with --out\n"
    )


def test_failed_export_leaves_earlier_files_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_to_path(bundled(), tmp_path, split="delegate", audience="delegates", lang="de", now=NOW)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)

    def mutate(data: dict[str, Any]) -> None:
        data["programme"]["name"] = "Renamed, so every file changes"

    text = BUNDLED.read_text(encoding="utf-8").replace(
        'name = "Transatlantic Exchange 2018 – Bautzen"', 'name = "Renamed programme"'
    )
    (tmp_path.parent / "renamed.toml").write_text(text, encoding="utf-8")
    changed = build_itinerary(load_plan(tmp_path.parent / "renamed.toml"))
    from tripplan.errors import OutputError

    with pytest.raises(OutputError, match="No space left on device"):
        export_to_path(
            changed, tmp_path, split="delegate", audience="delegates", lang="de", now=LATER
        )
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # byte-identical, and no temporary files left behind


def test_file_names_are_safe() -> None:
    from tripplan.files import safe_name

    assert safe_name("../etc/passwd", ".ics") == "_etc_passwd.ics"
    assert safe_name("con", ".ics") == "_con.ics"
    assert safe_name("NUL.x", ".ics") == "_NUL.x.ics"
    assert safe_name("bz-stadt", ".ics") == "bz-stadt.ics"


# -- a real calendar client -------------------------------------------------------------------


@pytest.mark.slow
def test_khal_imports_the_calendar_with_the_right_times(tmp_path: Path) -> None:
    calendar_dir = tmp_path / "calendar"
    calendar_dir.mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"""[calendars]
[[trip]]
path = {calendar_dir}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = UTC
local_timezone = UTC
[default]
default_calendar = trip
[sqlite]
path = {tmp_path / "khal.db"}
""",
        encoding="utf-8",
    )
    itinerary = bundled().select(Filters(delegate="us1-a"))
    ics = tmp_path / "us1-a.ics"
    ics.write_bytes(one_file(itinerary, lang="en"))
    khal = [sys.executable, "-m", "khal", "-c", str(config)]
    env = {**os.environ, "TZ": "UTC"}
    done = subprocess.run(
        [*khal, "import", "--batch", str(ics)], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    listing = subprocess.run(
        [
            *khal,
            "list",
            "--format",
            "{start-date} {start-time}|{end-date} {end-time}|{title}",
            "2018-11-01",
            "20d",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    rows = {line.split("|")[2]: line.split("|")[:2] for line in listing.splitlines() if "|" in line}
    expected = instants_from_json(itinerary)
    flight = expected["return-visit/us1-longhaul"]
    assert (
        rows["Flight US host community 1 → Frankfurt am Main FRA"]
        == [
            flight[0].astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            flight[1].astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
        ]
        == ["2018-11-04 23:00", "2018-11-05 06:30"]
    )
    meeting = expected["return-visit/practitioners-bz"]
    assert (
        rows["Exchange with integration practitioners in Bautzen"]
        == [
            meeting[0].astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            meeting[1].astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
        ]
        == ["2018-11-06 08:00", "2018-11-06 10:00"]
    )
    assert rows["Stay: Hotel in Bautzen (to be confirmed)"] == ["2018-11-05 ", "2018-11-07 "]
    assert len(list(calendar_dir.iterdir())) == 13


def test_exporting_one_trip_never_cancels_another_trips_events(tmp_path: Path) -> None:
    export_to_path(bundled(), tmp_path, split="delegate", audience="delegates", lang="de", now=NOW)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    colloquium = bundled().select(Filters(trip="colloquium"))
    result = export_to_path(
        colloquium, tmp_path, split="delegate", audience="delegates", lang="de", now=LATER
    )
    assert all(not r.cancelled and not r.changed and not r.written for r in result.reports)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_icalendar_still_writes_the_spring_onset_late() -> None:
    """Why export/ics.py writes its own VTIMEZONE (see ``vtimezone``): icalendar's
    ``from_tzid`` starts Berlin's 2018 summer time at 03:00 instead of 02:00 (RFC 5545: the
    local time before the change). When this fails, icalendar is right and ours may go."""
    from datetime import date

    from icalendar import Timezone

    from tripplan.export.ics import vtimezone

    theirs = Timezone.from_tzid(
        "Europe/Berlin", first_date=date(2018, 1, 1), last_date=date(2018, 12, 31)
    ).to_ical()
    assert b"DTSTART:20180325T030000" in theirs
    assert "DTSTART:20180325T020000" in vtimezone("Europe/Berlin", 2018, 2018)
