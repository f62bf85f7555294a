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
        volume = _json("booklet", plan, "--all", "--lang", "en")
        for day in volume["days"]:
            assert len(day["pending"]) == len(set(day["pending"])), day["day"]
        texts = [p["text"] for p in volume["pending"]]
        assert len(texts) == len(set(texts))
    volume = _json("booklet", _goerlitz(tmp_path), "--all", "--lang", "en")
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
