"""The whole programme: phases, role swap, timeline, open items, confirming hosts, DST weeks."""

from __future__ import annotations

import copy
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from helpers import BUNDLED, SMALL_PLAN, run, small_plan
from snapshot import assert_snapshot

from tripplan import build_itinerary, load_plan
from tripplan.loader import validate
from tripplan.planning.programme import overview
from tripplan.render.i18n import translate
from tripplan.vocabulary import Lang


def test_roles_swap_between_phases() -> None:
    rows = {row.delegation: row for row in overview(build_itinerary(load_plan(BUNDLED))).rows}
    assert [(s.trip, s.role) for s in rows["bautzen-delegation"].spans] == [
        ("study-tour", "travels"),
        ("return-visit", "hosts"),
        ("colloquium", "travels"),
    ]
    assert [(s.trip, s.role) for s in rows["us-host-1-delegation"].spans] == [
        ("study-tour", "hosts"),
        ("return-visit", "travels"),
        ("colloquium", "travels"),
    ]


def test_programme_table_snapshot() -> None:
    result = run("programme")
    assert result.exit_code == 0
    assert_snapshot("programme-bautzen-de.txt", result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_programme_markdown_snapshot() -> None:
    result = run("programme", "--format", "markdown", "--lang", "en")
    assert result.exit_code == 0
    assert_snapshot("programme-bautzen-en.md", result.stdout)


def test_programme_json_open_items() -> None:
    document = json.loads(run("programme", "--format", "json", "--lang", "en").stdout)
    assert [p["trip"] for p in document["phases"]] == ["study-tour", "return-visit", "colloquium"]
    study = document["phases"][0]
    assert study["unconfirmed_hosts"] == ["us-host-1", "us-host-2"]
    assert (study["provisional"], study["not_placed"]) == (True, 2)
    kinds = [item["kind"] for item in document["open_items"]]
    assert kinds.count("provisional-trip") == 3
    assert kinds.count("unconfirmed-host") == 2
    assert kinds.count("not-placed") == 3
    assert kinds.count("entry-data") == 4
    assert {
        "kind": "entry-data",
        "message": "return-visit/us2-longhaul takes us2-b across a border (Germany), but no "
        "passport expiry is recorded; add private.passport_expiry.",
        "ids": ["return-visit/us2-longhaul", "us2-b"],
    } in document["open_items"]


def test_timeline_cells() -> None:
    from tripplan.render.programme import timeline_cells

    rows = {row.delegation: row for row in overview(build_itinerary(load_plan(BUNDLED))).rows}
    cells = timeline_cells(rows["bautzen-delegation"], 2018)
    assert len(cells) == 53
    assert cells[15:17] == "▓▓"  # 20–29 April, provisional
    # the week of 29 Oct – 4 Nov: the guests leave the US on 4 Nov, nobody is in Bautzen yet;
    # the week of 5–11 Nov: Bautzen hosts them 5–8 Nov, then travels to Berlin 8–9 Nov
    assert cells[43:45] == " ◔"  # both trips provisional


def test_the_programme_is_drawn_from_the_account_of_whereabouts() -> None:
    from tripplan.render.programme import legend, timeline_cells

    plan = overview(build_itinerary(load_plan(BUNDLED)))
    rows = {row.delegation: row for row in plan.rows}
    spans = {(s.trip, s.role): (s.first_day, s.last_day) for s in rows["bautzen-delegation"].spans}
    # the bus from Berlin brings the guests on 5 Nov; they leave with the train on 8 Nov
    assert spans[("return-visit", "hosts")] == (date(2018, 11, 5), date(2018, 11, 8))
    # the Bautzen delegates are back home on 9 Nov (the colloquium's trip ends on 10 Nov)
    assert spans[("colloquium", "travels")] == (date(2018, 11, 8), date(2018, 11, 9))
    second = {
        (s.trip, s.role): (s.first_day, s.last_day) for s in rows["us-host-2-delegation"].spans
    }
    # the second US host has visitors only from the domestic flight on 25 April on
    assert second[("study-tour", "hosts")] == (date(2018, 4, 25), date(2018, 4, 28))
    assert timeline_cells(rows["us-host-2-delegation"], 2018)[15:17] == " ○"
    assert legend(Lang.en, plan.rows, 2018)[1] == (
        "◐/◔ hosts and travels in the same week (confirmed/provisional)"
    )
    assert legend(Lang.en)[1:] == []


def test_a_week_of_hosting_and_travelling_is_confirmed_only_when_both_are(
    write_plan: Any,
) -> None:
    """◐ a confirmed week of both roles, ◔ one where either is provisional (as ▓ and ○)."""
    from helpers import BUNDLED_DATA

    from tripplan.render.programme import timeline_cells

    def week_of_both(confirmed: set[str]) -> str:
        data = copy.deepcopy(BUNDLED_DATA)
        for trip in data["trips"]:
            if trip["id"] in confirmed:
                trip["provisional"] = False
        plan = overview(build_itinerary(load_plan(write_plan(data))))
        rows = {row.delegation: row for row in plan.rows}
        return timeline_cells(rows["bautzen-delegation"], 2018)[44]

    assert week_of_both({"return-visit", "colloquium"}) == "◐"
    assert week_of_both({"return-visit"}) == "◔"
    assert week_of_both({"colloquium"}) == "◔"
    assert week_of_both(set()) == "◔"


def test_a_trip_without_legs_is_drawn_over_its_dates() -> None:
    data = small_plan()
    data["trips"][0]["legs"] = []
    trip = data["trips"][0]
    (row,) = [r for r in overview(build_itinerary(validate(data))).rows if r.delegation == "bz"]
    assert [(s.first_day.isoformat(), s.last_day.isoformat()) for s in row.spans] == [
        (trip["first_day"], trip["last_day"])
    ]


def test_us_delegate_sees_their_november_trip_with_home_time() -> None:
    result = run("itinerary", "--delegate", "us2-b", "--day", "2018-11-07", "--lang", "en")
    assert "10:00–12:00 CET" in result.stdout
    assert "· 03:00–05:00 CST" in result.stdout


def test_participants_from_two_zones_see_both_times() -> None:
    result = run("itinerary", "--day", "2018-11-06", "--trip", "return-visit")
    starts = [line[:24].strip() for line in result.stdout.splitlines()]
    index = starts.index("09:00–11:00 CET")
    assert starts[index : index + 3] == [
        "09:00–11:00 CET",
        "· 02:00–04:00 CST",
        "· 03:00–05:00 EST",
    ]


# -- confirming a host ------------------------------------------------------------------------


def _copy_bundled(tmp_path: Path) -> Path:
    plan = tmp_path / "tripplan.toml"
    shutil.copy(BUNDLED, plan)
    return plan


def test_confirm_host_keeps_wall_clock_and_moves_in_absolute_time(tmp_path: Path) -> None:
    plan = _copy_bundled(tmp_path)
    before_text = plan.read_text(encoding="utf-8")
    result = run(
        "hosts", "confirm", "us-host-1", "--name", "Boise, Idaho",
        "--timezone", "America/Boise", "--airport", "BOI", "--subdivision", "US-ID",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "us-host-1 als Boise, Idaho (America/Boise) bestätigt in tripplan.toml",
        "9 Termine behalten ihre Ortszeit und verschieben sich absolut:",
        "  study-tour/out-longhaul: endet +2 h",
    ]
    after_text = plan.read_text(encoding="utf-8")
    # Only the community's own lines changed; every comment is still there.
    changed = [line for line in after_text.splitlines() if line not in before_text.splitlines()]
    assert changed == [
        'name = "Boise, Idaho"',
        'timezone = "America/Boise" # bestätigt',
        'airports = ["BOI"]',
        'subdivision = "US-ID"',
    ]
    assert all(
        line in after_text.splitlines()
        for line in before_text.splitlines()
        if line.startswith("#") and "Annahme" not in line
    )
    before = build_itinerary(load_plan(BUNDLED))
    after = build_itinerary(load_plan(plan))
    old, new = before.event("study-tour/practitioners-1"), after.event("study-tour/practitioners-1")
    assert old.start is not None and new.start is not None
    assert old.start.replace(tzinfo=None) == new.start.replace(tzinfo=None)  # 09:00 local
    assert new.start.isoformat() == "2018-04-23T09:00:00-06:00"
    assert (new.start - old.start).total_seconds() == 2 * 3600


def test_confirm_host_then_export_updates_exactly_the_affected_events(tmp_path: Path) -> None:
    plan = _copy_bundled(tmp_path)
    out = tmp_path / "calendars"
    first = run("export-ics", plan, "--split", "delegate", "--out", out, "--report", "json")
    assert first.exit_code == 0, first.output
    confirm = run("hosts", "confirm", "us-host-1", "--name", "Boise", "--timezone", "America/Boise")
    assert confirm.exit_code == 0, confirm.output
    second = run("export-ics", plan, "--split", "delegate", "--out", out, "--report", "json")
    document = json.loads(second.stdout)
    itinerary = build_itinerary(load_plan(plan))
    affected = {
        e.uid
        for e in itinerary.events
        if e.placed and "us-host-1" in (e.community, e.origin, e.destination)
    }
    for report in document["files"]:
        person = report["file"].removesuffix(".ics")
        expected = sorted(
            f"{uid.replace('/', '.')}@bautzen-2018.transatlantic-exchange.tripplan"
            for uid in affected
            if person in itinerary.event(uid).attendees
        )
        assert sorted(report["changed"]) == expected, person
        assert report["added"] == report["cancelled"] == []
    text = (out / "bz-stadt.ics").read_text(encoding="utf-8")
    assert "DTSTART;TZID=America/Boise:20180423T090000" in text
    assert "SEQUENCE:1" in text


def test_confirm_refuses_an_edit_that_breaks_the_plan(tmp_path: Path) -> None:
    data = small_plan()
    data["communities"][1]["placeholder"] = True
    data["trips"][0]["activities"][0].update(start="2018-03-11T02:30", end="2018-03-11T04:00")
    data["trips"][0].update(first_day="2018-03-10")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    before = plan.read_bytes()
    # 02:30 on 11 March exists in Bogotá (no DST) but not in New York.
    data["communities"][1]["timezone"] = "America/Bogota"
    plan.write_text(json.dumps(data), encoding="utf-8")
    before = plan.read_bytes()
    result = run(
        "hosts", "confirm", "host", "--name", "NY", "--timezone", "America/New_York",
        plan,
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "tripplan: the plan has 2 problems:\n"
        f"  - {plan}: confirming 'host' with time zone America/New_York would make the plan "
        "invalid, so nothing was changed. Fix these first:\n"
        f"  - {plan} › trips[0].activities[0].start: 2018-03-11 02:30 does not exist in "
        "America/New_York: the clocks jump forward over it (start of daylight saving time). "
        "Choose a time outside the skipped hour.\n"
    )
    assert plan.read_bytes() == before


def test_confirm_usage_errors(tmp_path: Path) -> None:
    """Said in the plan's language (German here), as every message after it is read."""
    plan = _copy_bundled(tmp_path)
    result = run("hosts", "confirm", "bautzen", "--name", "B", "--timezone", "Europe/Berlin")
    assert (result.exit_code, result.stderr) == (
        2,
        "tripplan: 'bautzen' (Bautzen) ist schon bestätigt; zum Ändern den Plan von Hand "
        "bearbeiten\n",
    )
    result = run("hosts", "confirm", "nowhere", "--name", "B", "--timezone", "Europe/Berlin")
    assert (result.exit_code, result.stderr) == (
        2,
        "tripplan: keine Kommune hat die Kennung 'nowhere'; zu bestätigende Platzhalter: "
        "us-host-1, us-host-2\n",
    )
    english = tmp_path / "en.toml"
    english.write_text(
        plan.read_text(encoding="utf-8").replace('language = "de"', 'language = "en"', 1),
        encoding="utf-8",
    )
    result = run("hosts", "confirm", "us-host-1", english, "--name", "B", "--timezone",
                 "America/Boise")  # fmt: skip
    assert result.exit_code == 0, result.output
    result = run("hosts", "confirm", "us-host-1", english, "--name", "B", "--timezone",
                 "America/Boise")  # fmt: skip
    assert (result.exit_code, result.stderr) == (
        2,
        "tripplan: 'us-host-1' (B) is already confirmed; edit the plan by hand to change it\n",
    )
    confirmed = run("hosts", "confirm", "us-host-2", english, "--name", "C", "--timezone",
                    "America/Chicago")  # fmt: skip
    assert confirmed.exit_code == 0, confirmed.output
    none_left = run("hosts", "confirm", "nowhere", english, "--name", "B",
                    "--timezone", "Europe/Berlin")  # fmt: skip
    assert (none_left.exit_code, none_left.stderr) == (
        2,
        "tripplan: no community has the id 'nowhere', and no placeholder is left to confirm\n",
    )
    result = run(
        "hosts", "confirm", "us-host-1", "--name", "B", "--timezone", "America/Boise",
        BUNDLED,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "the bundled plan is part of tripplan and is not edited" in result.stderr
    assert plan.read_text(encoding="utf-8") == BUNDLED.read_text(encoding="utf-8")


# -- travel realism --------------------------------------------------------------------------


def test_video_call_in_the_weeks_between_the_dst_switches() -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["trips"][0].update(first_day="2018-10-28", last_day="2018-11-02")
        data["trips"][0]["stays"] = []
        data["trips"][0]["legs"] = []
        data["trips"][0]["activities"] = [
            {
                "id": "call",
                "title": "Video call",
                "kind": "call",
                "community": "home",
                "participants": ["ann"],
                "start": "2018-10-30T16:00",
                "end": "2018-10-30T17:00",
            }
        ]
        data["delegates"].append({"id": "nyc", "name": "Nia", "home": "host"})
        data["trips"][0]["activities"][0]["participants"].append("nyc")

    data = small_plan(mutate)
    findings = build_itinerary(validate(data)).findings
    assert [
        (f.code, f.severity, translate(f.message, Lang.en), f.ids)
        for f in findings
        if f.code == "dst-weeks"
    ] == [
        (
            "dst-weeks",
            "warning",
            "'Video call' (tour/call) at 30 Oct 2018 16:00 CET is 30 Oct 2018 11:00 EDT for "
            "those in America/New_York: this week only one of the two zones is on daylight "
            "saving time, so the difference is 5 h, one hour less than the usual 6 h. Tell "
            "everyone the time in their own zone.",
            ("tour/call",),
        )
    ]
    data["trips"][0].update(first_day="2018-11-06", last_day="2018-11-08")
    data["trips"][0]["activities"][0].update(start="2018-11-06T16:00", end="2018-11-06T17:00")
    assert [f.code for f in build_itinerary(validate(data)).findings] == []


def test_moves_say_which_end_moved() -> None:
    from datetime import timedelta

    from tripplan.planning.compare import Move
    from tripplan.render.i18n import translate
    from tripplan.vocabulary import Lang

    def said(move: Move, lang: Lang = Lang.en) -> str:
        return translate(move.describe(), lang)

    hour = timedelta(hours=1)
    assert said(Move("a", 2 * hour, 2 * hour)) == "+2 h"
    assert said(Move("a", timedelta(0), 2 * hour)) == "ends +2 h"
    assert said(Move("a", -hour, timedelta(0))) == "starts -1 h"
    assert said(Move("a", hour, -hour)) == "starts +1 h, ends -1 h"
    assert said(Move("a", hour, -hour), Lang.de) == "beginnt +1 h, endet -1 h"


# -- #23 item 7: the rest of the views ----------------------------------------------------


def test_an_unconfirmed_host_is_drawn_unconfirmed_on_a_confirmed_trip() -> None:
    from tripplan.render.programme import timeline_cells

    data = small_plan()
    data["communities"][1]["placeholder"] = True
    data["delegates"].append({"id": "cy", "name": "Cy", "home": "host"})
    data["delegations"].append({"id": "ny", "name": "New York", "home": "host", "members": ["cy"]})
    rows = {r.delegation: r for r in overview(build_itinerary(validate(data))).rows}
    hosting = timeline_cells(rows["ny"], 2018)
    assert "○" in hosting and "●" not in hosting
    travelling = timeline_cells(rows["bz"], 2018)
    assert "▓" in travelling and "█" not in travelling  # to a host still to be confirmed
    confirmed = overview(build_itinerary(validate(SMALL_PLAN))).rows[0]
    assert "█" in timeline_cells(confirmed, 2018)


def test_two_home_zones_of_one_offset_show_one_home_time() -> None:
    data = small_plan()
    data["communities"].append(
        {"id": "zg", "name": "Zgorzelec", "country": "PL", "timezone": "Europe/Warsaw"}
    )
    data["delegates"][1]["home"] = "zg"  # Europe/Warsaw: CEST like Europe/Berlin in April
    from tripplan.render.common import times

    itinerary = build_itinerary(validate(data))
    local, home = times(itinerary, itinerary.event("tour/meet"), Lang.en)
    assert (local, home) == ("09:00–11:00 EDT", "15:00–17:00 CEST")


def test_the_not_yet_placed_table_breaks_no_word_at_80_columns() -> None:
    result = run("itinerary", "--lang", "en")
    text = result.stdout
    section = text[text.index("Not yet placed") : text.index("Findings")]
    lines = section.splitlines()
    assert lines[1].split() == ["What", "window", "Where"]
    words = {w for line in lines[3:] for w in line.split()}
    for word in ("plans:", "steps", "(Workshop)", "community", "Bautzen"):
        assert word in words, word
    assert max(len(line) for line in lines) <= 80


def test_an_airport_without_a_city_is_named_by_its_name_in_every_view() -> None:
    # airportsdata gives no city for Schwerin-Parchim (SZW): views printed " SZW" alone
    data = small_plan()
    for leg in data["trips"][0]["legs"]:
        for end in ("from", "to"):
            if leg[end] == "FRA":
                leg[end] = "SZW"
    Path("plan.json").write_text(json.dumps(data), encoding="utf-8")
    named = "Schwerin Parchim Airport SZW"
    outputs = {
        "itinerary": run("itinerary", "plan.json", "--format", "markdown").stdout,
        "itinerary html": run("itinerary", "plan.json", "--format", "html").stdout,
        "brief": run("hosts", "brief", "host", "plan.json", "--format", "markdown").stdout,
        "booklet": run(
            "booklet", "plan.json", "--delegate", "ann", "--format", "html", "-o", "-"
        ).stdout,
        "volume": run("booklet", "plan.json", "--format", "html", "-o", "-").stdout,
        "programme": run("programme", "plan.json", "--format", "markdown").stdout,
    }
    for view, text in outputs.items():
        assert "SZW" in text or view == "programme", view
        bare = text.replace(named, "").replace("Schwerin Parchim Airport, Germany (SZW)", "")
        assert "SZW" not in bare, (
            view,
            bare[max(0, bare.find("SZW") - 80) : bare.find("SZW") + 20],
        )
    assert named in outputs["itinerary"] and named in outputs["booklet"]
