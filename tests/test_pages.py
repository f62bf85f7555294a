"""Every page read as its reader would (#23): a delegate alone at a foreign airport, a
volunteer host with a car and a list of names, the coordinator. Each test here failed on
the code before its fix, with the exact text the reader saw."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from goerlitz_plan import goerlitz
from helpers import BUNDLED, run


def _goerlitz(tmp_path: Path) -> Path:
    path = tmp_path / "goerlitz.json"
    path.write_text(json.dumps(goerlitz()), encoding="utf-8")
    return path


def _json(*args: object) -> dict[str, Any]:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def test_the_coordinators_volume_lists_an_activity_to_schedule_once(tmp_path: Path) -> None:
    # was: "Action plan workshop: to be scheduled between Tue, Nov 6 and Wed, Nov 7" twice
    # under 6 Nov (once per delegate), five times in the bundled plan's volume
    for plan in (_goerlitz(tmp_path), BUNDLED):
        volume = _json("booklet", plan, "--lang", "en")
        for day in volume["days"]:
            assert len(day["pending"]) == len(set(day["pending"])), day["day"]
        texts = [p["text"] for p in volume["pending"]]
        assert len(texts) == len(set(texts))
    volume = _json("booklet", _goerlitz(tmp_path), "--lang", "en")
    (nov6,) = [d for d in volume["days"] if d["day"] == "2018-11-06"]
    assert nov6["pending"] == [
        "Action plan workshop: to be scheduled between Tue, Nov 6 and Wed, Nov 7"
    ]


def test_a_delegates_contacts_are_the_others(tmp_path: Path) -> None:
    # was: "Contacts • Anna Nowak: anna@example.org" in Anna Nowak's own booklet
    plan = _goerlitz(tmp_path)
    anna = _json("booklet", plan, "--delegate", "anna", "--lang", "en")
    assert anna["contacts"] == []
    jens = _json("booklet", plan, "--delegate", "jens", "--lang", "en")
    assert [(c["name"], c["contact"]) for c in jens["contacts"]] == [
        ("Anna Nowak", "anna@example.org")
    ]


def test_visitors_per_day_count_visitors_arriving_and_leaving() -> None:
    # was: Bautzen, Thu 8 Nov: "Visitors 4 ... Leaving 9" (the five Bautzen delegates on
    # the train to Berlin live there: they are not visitors leaving)
    brief = _json("hosts", "brief", "bautzen", BUNDLED, "--lang", "en")
    (nov8,) = [d for d in brief["days"] if d["day"] == "2018-11-08"]
    assert nov8 == {"day": "2018-11-08", "visitors": 4, "arriving": 0, "leaving": 4, "sleeping": 0}
    (train,) = [m for m in brief["movements"] if m["direction"] == "departure"]
    assert (train["people"], train["visitors"]) == (9, 4)  # the head count on the train


def test_a_brief_heading_breaks_after_its_slash_never_inside_a_word() -> None:
    # was, at 80 columns: "Ankunft/Abrei" over "se" (Berlin's arrivals and departures)
    result = run("hosts", "brief", "berlin", BUNDLED, "--lang", "de")
    assert result.exit_code == 0, result.output
    header = [line for line in result.stdout.splitlines() if "Ankunft/" in line]
    assert header and "Ankunft/Abrei " not in result.stdout
    assert "Abreise" in result.stdout.splitlines()[result.stdout.splitlines().index(header[0]) + 1]
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_a_booklets_times_break_between_their_parts_never_inside_one(tmp_path: Path) -> None:
    # was, on A5: "05:00–05:50 CEST · 50" over "min", "07:00–08:05 CEST · 1 h" over "05 min"
    pypdf = pytest.importorskip("pypdf")
    pdf = tmp_path / "bz-stadt.pdf"
    result = run("booklet", BUNDLED, "--delegate", "bz-stadt", "--lang", "de", "--out", pdf)
    assert result.exit_code == 0, result.output
    lines = [
        line.strip()
        for page in pypdf.PdfReader(str(pdf)).pages
        for line in page.extract_text().splitlines()
    ]
    document = _json("booklet", BUNDLED, "--delegate", "bz-stadt", "--lang", "de")
    durations = Counter(
        re.sub(r".* · ", "", entry["time"])
        for day in document["days"]
        for entry in day["entries"]
        if " · " in entry["time"]
    )
    assert {"50 min", "1 h 05 min", "9 h"} <= set(durations)
    for duration, entries in durations.items():  # each entry's on one line
        unbroken = re.compile("· " + re.escape(duration) + r"(\s|$)")
        assert sum(bool(unbroken.search(line)) for line in lines) >= entries, duration


def test_the_brief_table_says_when_a_section_is_empty_and_wraps_items_under_their_text() -> None:
    # was: "Mahlzeiten" over a table heading with no rows; a wrapped open item's second
    # line ("Uhrzeit.") at the margin, where it read as an item of its own
    result = run("hosts", "brief", "bautzen", BUNDLED, "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "Mahlzeiten\n  –\nUnterkunft\n" in result.stdout
    assert (
        "  • 'Aktionspläne: Stand und nächste Schritte' hat noch kein Datum und keine\n"
        "    Uhrzeit.\n"
    ) in result.stdout


def test_a_host_sees_who_joins_a_call_from_elsewhere(tmp_path: Path) -> None:
    # was: Boise, "Sun, Nov 4 14:00–15:00 MST │ Video call with Boise │ – │ 2 │ 0" while the
    # two visitors are in Dayton: a host with a car would look for them
    plan = _goerlitz(tmp_path)
    brief = _json("hosts", "brief", "boise", plan, "--lang", "en")
    joining = {a["title"]: (a["visitors"], a["joining"]) for a in brief["appointments"]}
    assert joining == {
        "Video call with Boise": (2, 2),
        "Library visit": (2, 0),
        "Action plan workshop": (2, 0),
    }
    markdown = run("hosts", "brief", "boise", plan, "-f", "markdown", "--lang", "de").stdout
    assert "| Video call with Boise | 2 Gäste nehmen von anderswo teil | 2 | 0 |" in markdown
    table = run("hosts", "brief", "boise", plan, "--lang", "en").stdout
    assert "– │" not in next(line for line in table.splitlines() if "Video call" in line)


def test_a_local_sees_the_day_of_an_activity_not_yet_placed() -> None:
    # was: bz-stadt (who lives in Bautzen) had no 7 Nov at all, neither page nor chart
    # column, though the action plan review for all nine is to be held that day
    book = _json("booklet", BUNDLED, "--delegate", "bz-stadt", "--lang", "en")
    (nov7,) = [d for d in book["days"] if d["day"] == "2018-11-07"]
    assert nov7["where"] == "Bautzen · CET"
    assert nov7["pending"] == [
        "Action plans: progress and next steps: to be scheduled on Wed, Nov 7"
    ]
    assert "7" in [d["number"] for d in book["overview"]["days"] if d["day"] == "2018-11-07"]


def test_the_costs_table_dates_days_in_the_readers_language() -> None:
    # was: "2018-11-08   Berlin (DE)   Teilbetrag (12,00)" (an ISO date in German text)
    result = run("costs", BUNDLED, "--delegate", "bz-stadt", "--trip", "colloquium", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "Do., 8. Nov. 2018   Berlin (DE)" in result.stdout
    assert "2018-11-08" not in result.stdout


def test_a_delegates_itinerary_gives_a_calls_time_where_they_join_it(tmp_path: Path) -> None:
    # was: "14:00–15:00 MST · 22:00–23:00 CET" under "Sunday, November 4, 2018 · Dayton": no
    # Dayton time (16:00 EST); "15:30–16:00 CET" under "Tuesday · Boise": no Boise time (07:30)
    plan = _goerlitz(tmp_path)
    out = run("itinerary", plan, "--delegate", "jens", "--lang", "en").stdout
    assert (
        "14:00–15:00 MST            Video call with Boise (Call)     Boise\n"
        "· 16:00–17:00 EST\n· 22:00–23:00 CET\n" in out
    )
    assert (
        "15:30–16:00 CET            Call with Görlitz city hall      Görlitz\n· 07:30–08:00 MST"
        in out
    )
    markdown = run("itinerary", plan, "--delegate", "jens", "-f", "markdown").stdout
    assert "**14:00–15:00 MST (· 16:00–17:00 EST · 22:00–23:00 CET)** Video call" in markdown


def test_the_itinerary_html_keeps_its_columns_from_day_to_day(tmp_path: Path) -> None:
    # was: each day's table sized to its own content, so Time/What/Where jumped from day to
    # day (What at 22 % one day, 35 % the next)
    html = run("itinerary", _goerlitz(tmp_path), "-f", "html").stdout
    assert "table-layout: fixed;" in html
    assert "th:first-child { width: 27%; } th:last-child { width: 30%; }" in html


def test_the_html_booklet_fits_a_phone_breaking_times_between_their_parts(
    tmp_path: Path,
) -> None:
    # was: td.time { white-space: nowrap } - "10:30 CEST → 13:30 EDT · 9 h" on one line took
    # half a 420 px screen and pushed the page wider than it
    out = tmp_path / "bz-stadt.html"
    assert (
        run("booklet", BUNDLED, "--delegate", "bz-stadt", "-f", "html", "--out", out).exit_code == 0
    )
    html = out.read_text(encoding="utf-8")
    assert "white-space: nowrap; width" not in html
    assert (
        '<td class="time"><span class="nb">10:30 CEST</span> → <span class="nb">13:30 EDT</span>'
        ' <span class="nb">· <span class="nb">9 h</span></span>'
    ) in html


def test_a_printed_brief_says_which_programme_and_version_it_is(tmp_path: Path) -> None:
    # was: "Host brief: Boise" and nothing else: a host with two printouts could not tell the
    # programme or which one is newer; the PDF had no author
    pypdf = pytest.importorskip("pypdf")
    plan = _goerlitz(tmp_path)
    pdf = tmp_path / "boise.pdf"
    assert run("hosts", "brief", "boise", plan, "-f", "pdf", "--out", pdf).exit_code == 0
    reader = pypdf.PdfReader(str(pdf))
    text = reader.pages[0].extract_text()
    assert re.search(r"Görlitz – Dayton – Boise 2018 · as of \d\d \w{3} \d{4}", text)
    assert reader.metadata is not None and reader.metadata.author == "Städtepartnerschaftsverein"
    html = run("hosts", "brief", "boise", plan, "-f", "html").stdout
    assert '<p class="version">Görlitz – Dayton – Boise 2018 · as of ' in html


def test_a_us_host_reads_the_study_tour_in_english() -> None:
    # was: "Host brief: US-Gastkommune 1" in English with "Stadterkundung", "Begegnung mit
    # Geflüchteten", "Hotel (noch offen)": the study tour's texts had no English
    brief = _json("hosts", "brief", "us-host-1", BUNDLED, "--lang", "en")
    titles = [a["title"] for a in brief["appointments"] + brief["meals"]]
    assert titles == [
        "Exploring the town",
        "Exchange with integration practitioners",
        "Meeting refugees",
        "Briefing: local and national immigration policy",
        "Action plan workshop (host community 1)",
        "Welcome dinner with the host community",
    ]
    assert [s["stay"] for s in brief["lodging"]] == ["Hotel (to be confirmed)"]
    assert not any("noch" in item for item in brief["open_items"])
    german = _json("hosts", "brief", "us-host-1", BUNDLED, "--lang", "de")
    assert german["appointments"][0]["title"] == "Stadterkundung"
