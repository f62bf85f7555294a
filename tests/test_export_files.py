"""Calendar files on disk: what an export may touch, their modes, foreign and damaged files,
stable identities and tentative events at placeholder hosts."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import BUNDLED, SMALL_PLAN, run, small_plan
from icalendar import Calendar


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_trip_export_leaves_files_outside_its_scope_byte_identical(tmp_path: Path) -> None:
    out = tmp_path / "cals"
    assert run("export-ics", BUNDLED, "--split", "delegate", "--out", out).exit_code == 0
    assert run("export-ics", BUNDLED, "--split", "community", "--out", out).exit_code == 0
    before = _snapshot(out)  # both splits in one folder: neither takes over the other's
    assert all(b"STATUS:CANCELLED" not in data for data in before.values())
    titles = {n: str(Calendar.from_ical(d)["X-WR-CALNAME"]) for n, d in before.items()}
    assert any(len(t.encode()) > 70 for t in titles.values())  # long enough to be folded
    for split in ("delegate", "community"):
        result = run("export-ics", BUNDLED, "--trip", "colloquium", "--split", split, "-o", out)
        assert result.exit_code == 0, result.output
        assert _snapshot(out) == before

    # Move the colloquium's opening: only Berlin's calendar changes, its title stays whole.
    text = BUNDLED.read_text(encoding="utf-8").replace(
        "start = 2018-11-09T10:00:00", "start = 2018-11-09T10:30:00", 1
    )
    assert text != BUNDLED.read_text(encoding="utf-8")
    plan = tmp_path / "plan.toml"
    plan.write_text(text, encoding="utf-8")
    result = run("export-ics", plan, "--trip", "colloquium", "--split", "community", "-o", out)
    assert result.exit_code == 0, result.output
    after = _snapshot(out)
    assert {name for name in after if after[name] != before[name]} == {"berlin.ics"}
    assert str(Calendar.from_ical(after["berlin.ics"])["X-WR-CALNAME"]) == titles["berlin.ics"]


def test_a_trip_export_into_the_file_of_a_full_export_keeps_it(tmp_path: Path) -> None:
    out = tmp_path / "all.ics"
    assert run("export-ics", BUNDLED, "--out", out).exit_code == 0
    before = out.read_bytes()
    assert run("export-ics", BUNDLED, "--trip", "study-tour", "--out", out).exit_code == 0
    assert out.read_bytes() == before


def test_new_files_follow_the_umask_and_existing_files_keep_their_mode(
    tmp_path: Path, umask_022: None
) -> None:
    out = tmp_path / "cals"
    plan = _write(tmp_path / "plan.json", SMALL_PLAN)
    assert run("export-ics", plan, "--split", "delegate", "--out", out).exit_code == 0
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {0o644}
    os.chmod(out / "ann.ics", 0o640)
    data = small_plan()
    data["trips"][0]["activities"][0]["venue"] = "Town Hall"
    _write(plan, data)
    assert run("export-ics", plan, "--split", "delegate", "--out", out).exit_code == 0
    assert "Town Hall" in (out / "ann.ics").read_text(encoding="utf-8")
    assert stat.S_IMODE((out / "ann.ics").stat().st_mode) == 0o640
    assert stat.S_IMODE((out / "ben.ics").stat().st_mode) == 0o644


FOREIGN = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//Hand made//EN\r\n"
    "BEGIN:VEVENT\r\nUID:dentist-4711@example.org\r\nDTSTAMP:20180101T000000Z\r\n"
    "DTSTART:20180424T090000Z\r\nSUMMARY:Dentist SECRET-4711\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    ("split", "name"), [("none", "mine.ics"), ("delegate", "ann.ics"), ("none", "tripplan.ics")]
)
def test_a_foreign_calendar_at_a_target_path_is_never_taken_over(
    tmp_path: Path, split: str, name: str
) -> None:
    plan = _write(tmp_path / "plan.json", SMALL_PLAN)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / name
    target.write_bytes(FOREIGN.encode())
    out = target if split == "none" else folder
    result = run("export-ics", plan, "--split", split, "--out", out)
    assert result.exit_code == 2
    assert result.stderr == (
        f"tripplan: {target} is not a calendar that tripplan wrote, so it is not changed; "
        "move it away or choose another --out\n"
    )
    assert target.read_bytes() == FOREIGN.encode()
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_a_file_that_is_no_calendar_is_named_and_not_quoted(tmp_path: Path) -> None:
    plan = _write(tmp_path / "plan.json", SMALL_PLAN)
    target = tmp_path / "notes.ics"
    target.write_text("SECRET-4712 shopping list\n", encoding="utf-8")
    result = run("export-ics", plan, "--out", target)
    assert result.exit_code == 2
    assert str(target) in result.stderr and "SECRET" not in result.stderr
    assert "tripplan.ics" not in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("SEQUENCE:0", "SEQUENCE:many", "a SEQUENCE that is not a number"),
        ("SEQUENCE:0", "SEQUENCE:4294967296", "a SEQUENCE out of range"),
        ("END:VEVENT", "BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VEVENT", "an event inside an event"),
        (
            "DTSTART;TZID=America/New_York",
            "DTSTART;TZID=Nowhere/Zone",
            "a time zone (TZID) that does not exist",
        ),
    ],
)
def test_a_damaged_earlier_export_is_a_problem_with_that_file(
    tmp_path: Path, old: str, new: str, why: str
) -> None:
    plan = _write(tmp_path / "plan.json", SMALL_PLAN)
    target = tmp_path / "cal.ics"
    assert run("export-ics", plan, "--out", target).exit_code == 0
    damaged = target.read_bytes().replace(old.encode(), new.encode(), 1)
    target.write_bytes(damaged)
    result = run("export-ics", plan, "--out", target)
    assert (result.exit_code, result.stderr) == (
        2,
        f"tripplan: {target} was written by tripplan but has since been damaged ({why}); move "
        "it away or delete it, then export again\n",
    )
    assert target.read_bytes() == damaged


def test_what_damaged_an_earlier_export_is_said_in_the_runs_language(tmp_path: Path) -> None:
    """The reason is a message like the sentence around it (it was English in German)."""
    plan = _write(tmp_path / "plan.json", SMALL_PLAN)
    target = tmp_path / "cal.ics"
    assert run("export-ics", plan, "--out", target).exit_code == 0
    target.write_bytes(target.read_bytes().replace(b"SEQUENCE:0", b"SEQUENCE:many", 1))
    result = run("export-ics", plan, "--out", target, "--lang", "de")
    assert (result.exit_code, result.stderr) == (
        2,
        f"tripplan: {target} wurde von tripplan geschrieben, ist aber seither beschädigt (eine "
        "SEQUENCE, die keine Zahl ist); verschieben oder löschen, dann erneut exportieren\n",
    )


def test_renaming_a_programme_without_uid_domain_asks_before_replacing_every_event(
    tmp_path: Path,
) -> None:
    plan = _write(tmp_path / "plan.json", SMALL_PLAN)
    target = tmp_path / "cal.ics"
    assert run("export-ics", plan, "--out", target).exit_code == 0
    before = target.read_bytes()
    renamed = small_plan()
    renamed["programme"]["name"] = "Small exchange, renamed"
    _write(plan, renamed)
    result = run("export-ics", plan, "--out", target)
    assert result.exit_code == 2
    assert result.stderr == (
        f"tripplan: this export would cancel 6 of the 6 events of the earlier export in "
        f"{tmp_path} and add 6 new ones, so calendars that subscribed would lose and re-add "
        "almost everything. The earlier files use UIDs ending in @small-exchange-2018.tripplan, "
        "this plan @small-exchange-renamed-2018.tripplan; to keep the earlier events, set "
        'uid_domain = "small-exchange-2018.tripplan" under [programme]. If that is really '
        "meant, run it again with --force.\n"
    )
    assert target.read_bytes() == before
    renamed["programme"]["uid_domain"] = "small-exchange-2018.tripplan"
    _write(plan, renamed)
    kept = run("export-ics", plan, "--out", target, "--report", "json")
    assert kept.exit_code == 0
    (report,) = json.loads(kept.stdout)["files"]
    assert (report["added"], report["cancelled"], report["unchanged"]) == ([], [], 6)
    del renamed["programme"]["uid_domain"]
    _write(plan, renamed)
    forced = run("export-ics", plan, "--out", target, "--force")
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").count("STATUS:CANCELLED") == 6


def test_events_at_a_placeholder_host_are_tentative() -> None:
    data = small_plan()
    data["communities"][1]["placeholder"] = True
    result = run("export-ics", "-", "--out", "-", input=json.dumps(data))
    assert result.exit_code == 0, result.output
    calendar = Calendar.from_ical(result.stdout)
    status = {str(e["UID"]).split("@")[0]: str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert status == {
        "tour.to-fra": "CONFIRMED",  # Bautzen to Frankfurt: no placeholder involved
        "tour.out": "TENTATIVE",
        "tour.meet": "TENTATIVE",
        "tour.stay-host-20180423": "TENTATIVE",
        "tour.back": "TENTATIVE",
        "tour.home-again": "CONFIRMED",
    }


# -- symbolic links that loop or lead nowhere --------------------------------------------------


def test_a_symbolic_link_that_loops_where_a_calendar_goes_is_one_message(tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    (folder / "bz-stadt.ics").symlink_to("a")
    result = run("export-ics", BUNDLED, "--split", "delegate", "--out", folder, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "bz-stadt.ics is a symbolic link that loops; remove it" in result.stderr
    (folder / "tripplan.ics").symlink_to("tripplan.ics")
    result = run("export-ics", BUNDLED, "--out", folder, "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "tripplan.ics is a symbolic link that loops; remove it" in result.stderr


@pytest.mark.parametrize("command", ["export-ics", "init"])
def test_no_file_is_created_through_a_link_that_leads_nowhere(tmp_path: Path, command: str) -> None:
    elsewhere = tmp_path / "elsewhere" / "planted"
    elsewhere.parent.mkdir()
    folder = tmp_path / "shared"
    folder.mkdir()
    if command == "init":
        (folder / "tripplan.toml").symlink_to(elsewhere)
        args: tuple[Any, ...] = ("init", folder)
        link = folder / "tripplan.toml"
    else:
        link = folder / "cal.ics"
        link.symlink_to(elsewhere)
        args = ("export-ics", BUNDLED, "--out", link, "--lang", "en")
    for force in ((), ("--force",)) if command == "init" else ((),):
        result = run(*args, *force)
        assert result.exit_code == 2, result.output
        assert (
            f"{link} is a symbolic link to {elsewhere}, which does not exist; tripplan does "
            "not create a file through a link: remove the link"
        ) in " ".join(result.stderr.split())
        assert not elsewhere.exists()


def test_a_calendar_on_standard_output_takes_no_json_report() -> None:
    """Standard output holds one document: the calendar (--out -) or the report (--report
    json), never both, and the plan is not read for a call that cannot be carried out."""
    result = run(
        "export-ics", "/nonexistent.toml", "--out", "-", "--report", "json", "--lang", "en"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "tripplan: --out - writes the calendar to standard output, where --report json would "
        "write its report too; leave out one of them\n"
    )
    split = run("export-ics", "--out", "-", "--split", "delegate", "--lang", "en")
    assert split.stderr == (
        "tripplan: --out - writes one calendar to standard output; use --split none\n"
    )
