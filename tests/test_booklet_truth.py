"""Every page tells the truth: the booklet's JSON agrees with the itinerary's JSON for every
delegate and timed event (instants, zones, the day it stands under), the PDF's page of that
day prints the times and zone abbreviations the JSON gives, and a delegate can follow it
at a foreign airport (zones, remote calls, home time, tonight, reminders)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from goerlitz_plan import goerlitz
from helpers import BUNDLED, run, typesetting_examples
from hypothesis import given
from hypothesis import strategies as st

pypdf = pytest.importorskip("pypdf")


def _flat(text: str) -> str:
    return "".join(text.split())


def _document(plan: Path, person: str, lang: str = "en") -> dict[str, Any]:
    result = run("booklet", plan, "--delegate", person, "-f", "json", "--lang", lang)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _day_texts(pdf: Path, document: dict[str, Any]) -> dict[str, str]:
    """The text of each day's pages (whitespace and page furniture left out), by day."""
    head, as_of = _flat(document["texts"]["running_head"]), _flat(document["texts"]["as_of"])
    page_word = _flat(document["texts"]["page"])
    body = ""
    for page in pypdf.PdfReader(str(pdf)).pages:
        flat = _flat(page.extract_text()).replace(head, "", 1).replace(as_of, "", 1)
        body += re.sub(re.escape(page_word) + r"\d+/\d+$", "", flat)
    out, at = {}, 0
    days = document["days"]
    starts = []
    for day in days:
        at = body.index(_flat(day["heading"]), at)
        starts.append(at)
    for n, day in enumerate(days):
        end = starts[n + 1] if n + 1 < len(days) else len(body)
        out[day["day"]] = body[starts[n] : end]
    return out


def _agrees(plan: Path, person: str, tmp_path: Path) -> int:
    """Checks one delegate's booklet against their itinerary; the number of events checked."""
    document = _document(plan, person)
    itinerary = json.loads(
        run("itinerary", plan, "-f", "json", "--delegate", person, "--lang", "en").stdout
    )
    pdf = tmp_path / f"{person}.pdf"
    assert run("booklet", plan, "--delegate", person, "--lang", "en", "--out", pdf).exit_code == 0
    pages = _day_texts(pdf, document)
    entries = {
        e["uid"]: (day, e) for day in document["days"] for e in day["entries"]
    }  # each event once
    assert len(entries) == sum(len(d["entries"]) for d in document["days"])
    checked = 0
    for event in itinerary["events"]:
        if event["start"] is None:
            continue
        day, entry = entries[event["uid"]]
        assert (entry["start"], entry["end"]) == (event["start"], event["end"]), event["uid"]
        assert (entry["timezone"], entry["end_timezone"]) == (
            event["timezone"],
            event["end_timezone"],
        )
        local = datetime.fromisoformat(entry["local_start"])
        own = datetime.fromisoformat(event["start"])
        assert local == own  # the same instant, told where the delegate is
        assert day["day"] == local.date().isoformat(), event["uid"]
        if not entry["remote"]:
            assert local.utcoffset() == own.utcoffset()
            assert day["day"] == own.date().isoformat()  # the itinerary's day
        text = pages[day["day"]]
        assert _flat(entry["time"]) in text, (event["uid"], entry["time"])
        for zone in entry["zones"]:
            if zone not in day["where"]:  # the heading's zone is said once, in the heading
                assert zone in entry["time"], (event["uid"], zone)
        assert _flat(day["where"]) in text
        checked += 1
    return checked


def test_every_delegates_booklet_agrees_with_their_itinerary(tmp_path: Path) -> None:
    """The bundled plan and the Görlitz → Dayton/Boise plan, every delegate."""
    plan = tmp_path / "goerlitz.json"
    plan.write_text(json.dumps(goerlitz(), ensure_ascii=False), encoding="utf-8")
    import tripplan

    bundled = tripplan.build_itinerary(tripplan.load_plan(BUNDLED))
    everyone = tuple(d.id for d in bundled.plan.delegates if bundled.for_delegate(d.id))
    assert len(everyone) == 9
    checked = 0
    for path, people in ((BUNDLED, everyone), (plan, ("anna", "jens"))):
        for person in people:
            checked += _agrees(path, person, tmp_path)
    assert checked > 30


@typesetting_examples()
@given(shift=st.sampled_from([-8, -7, -2, 0, 1, 2, 140, 141, 142, 143, 145, 358]))
def test_generated_plans_agree_across_daylight_saving_switches(tmp_path: Path, shift: int) -> None:
    """The Görlitz plan moved by ``shift`` days: its trip then spans (or not) the EU switch
    of 28 Oct, the US one of 4 Nov 2018, and the spring ones of 2019 (10 and 31 Mar)."""
    data = goerlitz()
    if shift > 300:
        data["programme"]["year"] = 2019

    def moved(value: str) -> str:
        if "T" in value:
            return (datetime.fromisoformat(value) + timedelta(days=shift)).isoformat()
        return (date.fromisoformat(value) + timedelta(days=shift)).isoformat()

    trip = data["trips"][0]
    for key in ("first_day", "last_day"):
        trip[key] = moved(trip[key])
    for stay in trip["stays"]:
        stay["check_in"], stay["check_out"] = moved(stay["check_in"]), moved(stay["check_out"])
    for leg in trip["legs"]:
        leg["departs"], leg["arrives"] = moved(leg["departs"]), moved(leg["arrives"])
    for activity in trip["activities"]:
        for key in ("start", "end", "window_start", "window_end"):
            if key in activity:
                activity[key] = moved(activity[key])
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert _agrees(plan, "jens", tmp_path) >= 7


@pytest.fixture
def goerlitz_plan(tmp_path: Path) -> Path:
    plan = tmp_path / "goerlitz.json"
    plan.write_text(json.dumps(goerlitz(), ensure_ascii=False), encoding="utf-8")
    return plan


def _day(document: dict[str, Any], day: str) -> dict[str, Any]:
    return next(d for d in document["days"] if d["day"] == day)


def _entry(day: dict[str, Any], uid: str) -> dict[str, Any]:
    return next(e for e in day["entries"] if e["uid"] == uid)


def test_a_delegate_can_follow_the_booklet_at_a_foreign_airport(goerlitz_plan: Path) -> None:
    document = _document(goerlitz_plan, "jens")
    arrival = _day(document, "2018-11-02")
    assert arrival["where"] == "Görlitz → Frankfurt am Main FRA → Dayton · EDT"
    flight = _entry(arrival, "usa/out")
    assert flight["time"] == "11:00 CET → 16:00 EDT · 10 h"
    assert flight["zones"] == ["CET", "EDT"]
    # a call hosted in Boise (Mountain time), joined from Dayton (Eastern) after the US switch
    sunday = _day(document, "2018-11-04")
    assert sunday["where"] == "Dayton · EST"
    call = _entry(sunday, "usa/boise-call")
    assert call["remote"] and call["time"] == "16:00–17:00"
    assert call["host_time"] == "host's time 14:00–15:00 MST"
    assert call["home_time"] == "at home 22:00 CET"
    # a call hosted in Görlitz, joined from Boise: 07:30 there, not 15:30
    call = _entry(_day(document, "2018-11-06"), "usa/goerlitz-call")
    assert call["time"] == "07:30–08:00" and call["host_time"] == "host's time 15:30–16:00 CET"
    assert call["home_time"] == ""  # the host's time is home time already
    # home time with its zone and the day it is at home
    back = _entry(_day(document, "2018-11-07"), "usa/back")
    assert back["time"] == "17:00 MST → Thu 13:00 CET · 12 h"
    assert back["home_time"] == "at home 01:00 CET Thu"
    assert _day(document, "2018-11-07")["tonight"]["text"] == "on the way"
    assert _day(document, "2018-11-08")["continued"] == [
        "Flight: Boise BOI → Frankfurt am Main FRA arrives at 13:00 CET (departed Wed 17:00 MST)"
    ]  # the day it lands says when it lands


def test_tonight_shows_the_lodgings_own_address_never_the_communitys(
    goerlitz_plan: Path,
) -> None:
    document = _document(goerlitz_plan, "jens")
    hotel = _day(document, "2018-11-03")["tonight"]
    assert hotel["text"] == (
        "Hotel: Hotel Downtown · 22 N Jefferson St · check-in Fri, Nov 2 · check-out Mon, Nov 5"
    )
    family = _day(document, "2018-11-05")["tonight"]
    assert family["address"] is None and family["provisional"]
    assert "address to be confirmed" in family["text"] and "Capitol" not in family["text"]
    text = json.dumps(document["days"], ensure_ascii=False)
    assert "150 N Capitol Blvd" not in text and "101 W Third St" not in text
    assert {"name": "Boise", "address": "150 N Capitol Blvd, Boise"} in document["communities"]
    assert "the community's address" in document["texts"]["communities"]


def test_activities_not_yet_placed_are_to_be_scheduled(goerlitz_plan: Path) -> None:
    document = _document(goerlitz_plan, "jens")
    text = "Action plan workshop: to be scheduled between Tue, Nov 6 and Wed, Nov 7"
    assert [p["text"] for p in document["pending"]] == [text]
    assert _day(document, "2018-11-06")["pending"] == [text]
    german = _document(goerlitz_plan, "jens", "de")
    assert german["pending"][0]["text"] == (
        "Action plan workshop: wird noch eingeplant, zwischen Di., 6. Nov. und Mi., 7. Nov."
    )


def test_reminders_come_from_the_checks_findings_about_that_delegate(
    goerlitz_plan: Path,
) -> None:
    """check warns about jens (ESTA unknown, no passport expiry): his reminders say what to
    do, in the booklet's language; anna (all on record) gets none; no raw value anywhere."""
    jens = _document(goerlitz_plan, "jens", "de")
    assert jens["reminders"] == [
        "Für Ihre ESTA oder Ihr Visum für die Vereinigten Staaten ist keine Genehmigung "
        "eingetragen: beantragen Sie es, falls noch nicht geschehen, und geben Sie der "
        "Koordination Bescheid, sobald es genehmigt ist.",
        "Das Ablaufdatum Ihres Passes ist nicht eingetragen: teilen Sie der Koordination mit, "
        "wann er abläuft.",
    ]
    anna = _document(goerlitz_plan, "anna", "de")
    assert anna["reminders"] == []
    for document in (jens, anna):
        text = json.dumps(document, ensure_ascii=False)
        for raw in ('"approved"', "not_needed", "2027-01-01", "private."):
            assert raw not in text.replace('"approved": ', ""), raw


def test_the_pdf_has_page_numbers_a_running_head_as_of_title_and_author(
    goerlitz_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1541030400")  # 1 Nov 2018
    out = tmp_path / "jens.pdf"
    assert run("booklet", goerlitz_plan, "--delegate", "jens", "--out", out).exit_code == 0
    reader = pypdf.PdfReader(str(out))
    assert reader.metadata is not None
    assert reader.metadata.title == "Travel programme: Jens Richter"
    assert reader.metadata.author == "Städtepartnerschaftsverein"
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"page {number} / {total}" in text
        assert "Jens Richter · Study tour Dayton and Boise" in text
        assert "as of 01 Nov 2018" in text


def test_a_day_at_home_without_events_takes_no_page(tmp_path: Path) -> None:
    """bz-stadt is back in Bautzen on 10 Nov, the colloquium's last day, with nothing of
    theirs on it: the overview shows the day, no page is given to it."""
    document = _document(BUNDLED, "bz-stadt")
    paged = {d["day"] for d in document["days"]}
    charted = {d["day"] for d in document["overview"]["days"]}
    assert "2018-11-10" in charted and "2018-11-10" not in paged
    assert charted - paged == {"2018-11-10"}


def test_the_overview_is_in_the_booklets_language_with_travel_days(goerlitz_plan: Path) -> None:
    german = _document(goerlitz_plan, "jens", "de")
    overview = german["overview"]
    assert german["texts"]["travel"] == "Reisetag"
    assert overview["places"] == ["Dayton", "Boise", "unterwegs", "Görlitz"]
    assert [d["travel"] for d in overview["days"]] == [True, False, False, True, False, True, True]
    assert overview["days"][0]["label"] == "Nov"


def test_the_coordinators_volume_has_every_day_who_is_where_and_every_event(
    goerlitz_plan: Path,
) -> None:
    result = run("booklet", goerlitz_plan, "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["audience"] == "internal" and document["delegate"] is None
    itinerary = json.loads(run("itinerary", goerlitz_plan, "-f", "json").stdout)
    uids = {e["uid"] for d in document["days"] for e in d["entries"]}
    assert uids == {e["uid"] for e in itinerary["events"] if e["first_day"] or e["start"]}
    monday = next(d for d in document["days"] if d["day"] == "2018-11-05")
    assert {p["place"] for p in monday["present"]} == {"Boise"}
    assert "with: Delegation Görlitz" in _entry(monday, "usa/west")["details"]  # a whole one
