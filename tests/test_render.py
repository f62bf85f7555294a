"""Renderers: table at 80 columns with colour off, JSON against its schema, Markdown, languages."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from helpers import BUNDLED, ROOT, SMALL_PLAN, run, small_plan
from snapshot import assert_snapshot

from tripplan import build_itinerary, load_plan
from tripplan.itinerary import Filters
from tripplan.loader import validate
from tripplan.render.markdown import md, render_markdown

SCHEMA = json.loads((ROOT / "docs" / "itinerary.schema.json").read_text(encoding="utf-8"))


def test_table_snapshot_small_plan_en(write_plan) -> None:  # type: ignore[no-untyped-def]
    result = run("itinerary", write_plan(SMALL_PLAN))
    assert result.exit_code == 0
    assert_snapshot("itinerary-small-en.txt", result.stdout)


def test_table_snapshot_bundled_de() -> None:
    result = run("itinerary")
    assert result.exit_code == 0
    assert result.stderr == (
        "using plan: bundled:bautzen-2018/plan.toml (the bundled Bautzen 2018 plan)\n"
    )
    assert_snapshot("itinerary-bautzen-de.txt", result.stdout)
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "\x1b[" not in result.stdout


def test_table_shows_home_time_beside_local_time() -> None:
    result = run("itinerary", "--trip", "study-tour", "--day", "2018-04-24", "--lang", "en")
    assert "09:00–11:00 EDT" in result.stdout
    assert "· 15:00–17:00 CEST" in result.stdout


def test_table_for_a_us_delegate_in_bautzen_shows_their_home_time() -> None:
    result = run("itinerary", "--delegate", "us1-a", "--day", "2018-11-06", "--lang", "en")
    assert result.exit_code == 0
    assert_snapshot("itinerary-us1-a-2018-11-06-en.txt", result.stdout)
    assert "09:00–11:00 CET" in result.stdout
    assert "· 03:00–05:00 EST" in result.stdout


def test_conflicts_are_highlighted(write_plan) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["activities"].append(
        {
            "id": "x",
            "title": "Clash",
            "community": "host",
            "start": "2018-04-24T10:00",
            "end": "2018-04-24T12:00",
        }
    )
    result = run("itinerary", write_plan(data))
    assert "Clash (Meeting) [conflict]" in result.stdout
    assert "error  ann, ben would be in two places at once" in result.stdout


def test_json_validates_against_its_schema() -> None:
    result = run("itinerary", "--format", "json")
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert list(document) == [
        "$schema",
        "version",
        "programme",
        "language",
        "filters",
        "events",
        "findings",
        "summary",
    ]
    first = document["events"][1]
    assert first["uid"] == "study-tour/out-car"
    assert first["start"] == "2018-04-20T05:00:00+02:00"
    assert first["timezone"] == "Europe/Berlin"


def test_json_two_zone_flight_and_filters() -> None:
    result = run("itinerary", "--format", "json", "--delegate", "bz-stadt", "--day", "2018-04-20")
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert document["filters"] == {
        "trip": None,
        "delegate": "bz-stadt",
        "community": None,
        "day": "2018-04-20",
    }
    flight = next(e for e in document["events"] if e["uid"] == "study-tour/out-longhaul")
    assert (flight["start"], flight["timezone"]) == ("2018-04-20T10:30:00+02:00", "Europe/Berlin")
    assert (flight["end"], flight["end_timezone"]) == (
        "2018-04-20T13:30:00-04:00",
        "America/New_York",
    )


@pytest.mark.parametrize(
    ("option", "value", "uids"),
    [
        ("--trip", "colloquium", 8),
        ("--community", "berlin", 8),
        ("--day", "2018-11-05", 6),
        ("--delegate", "bz-theater", 29),
    ],
)
def test_each_filter(option: str, value: str, uids: int) -> None:
    document = json.loads(run("itinerary", "--format", "json", option, value).stdout)
    assert len(document["events"]) == uids
    key = option.removeprefix("--")
    assert document["filters"][key] == value


def test_community_filter_includes_legs_to_and_from_it() -> None:
    document = json.loads(run("itinerary", "-f", "json", "--community", "berlin").stdout)
    assert "colloquium/us1-home" in [e["uid"] for e in document["events"]]


def test_audience_hides_internal_notes() -> None:
    internal = run("itinerary", "-f", "json").stdout
    delegates = run("itinerary", "-f", "json", "--audience", "delegates").stdout
    assert "Heinrich-Böll-Stiftung anfragen" in internal
    assert "Heinrich-Böll-Stiftung anfragen" not in delegates
    assert "internal_notes" not in delegates


def test_markdown_bundled_en() -> None:
    result = run("itinerary", "--format", "markdown", "--lang", "en", "--trip", "colloquium")
    assert result.exit_code == 0
    assert_snapshot("itinerary-colloquium-en.md", result.stdout)


def test_markdown_de_headings() -> None:
    text = render_markdown(build_itinerary(load_plan(BUNDLED)), "de")
    assert text.startswith("# Reiseplan: Transatlantic Exchange 2018 – Bautzen\n")
    assert "### Montag, 23. April 2018" in text
    assert "## Studienreise in die USA — Studienreise, 20.–29. Apr. 2018, vorläufig" in text
    assert "## Noch nicht eingeplant" in text


def test_english_labels_and_dates() -> None:
    text = render_markdown(build_itinerary(load_plan(BUNDLED)), "en")
    assert "### Monday, April 23, 2018" in text
    assert "## Not yet placed" in text
    assert "Study tour, Apr 20\u2009–\u200929, 2018, provisional" in text


def test_markdown_escapes_plan_text() -> None:
    assert md("*bold* [link](x) <b>") == r"\*bold\* \[link\](x) \<b\>"
    assert md("line\nbreak") == "line break"


def test_provisional_items_of_confirmed_trips_are_marked() -> None:
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["activities"][0]["provisional"] = True
    itinerary = build_itinerary(validate(data)).select(Filters())
    text = render_markdown(itinerary, "de")
    assert "_(vorläufig)_" in text


def test_empty_selection(write_plan) -> None:  # type: ignore[no-untyped-def]
    result = run("itinerary", write_plan(SMALL_PLAN), "--day", "2019-01-01")
    assert "No events match." in result.stdout


def test_snapshots_exist() -> None:
    assert Path(__file__).parent.joinpath("snapshots", "itinerary-bautzen-de.txt").exists()


def test_html_page() -> None:
    result = run("itinerary", "-f", "html", "--trip", "colloquium", "--delegate", "bz-theater")
    assert result.exit_code == 0
    page = result.stdout
    assert page.startswith('<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">')
    assert page.endswith("</body>\n</html>\n")
    assert "<h3>Freitag, 9. November 2018 · Berlin → Bautzen</h3>" in page
    assert '<td class="time">10:00–16:00 CET</td>' in page
    assert page.count("<table>") == page.count("</table>") == 2


def test_html_escapes_plan_text(write_plan) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(SMALL_PLAN))
    data["trips"][0]["activities"][0]["title"] = '<script>alert("x")</script> & "q"\x1b[31m'
    page = run("itinerary", write_plan(data), "-f", "html").stdout
    assert "<script>" not in page and "\x1b" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;q&quot; (Meeting)" in page
    assert "[31m" not in page  # the escape sequence is removed whole, no remnant as text


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_views_show_notes_and_internal_notes_only_internally(fmt: str) -> None:
    args = ("itinerary", "-f", fmt, "--trip", "colloquium", "--day", "2018-11-09", "--lang", "en")
    internal = run(*args).stdout
    hosts = run(*args, "--audience", "hosts").stdout
    assert "Internal: Teilnahme der Politiker·innen" in " ".join(internal.split())
    assert "Teilnahme der Politiker" not in hosts
    public = run(
        "itinerary", "-f", fmt, "--day", "2018-04-20", "--lang", "en", "--audience", "hosts"
    )
    assert "Beispielverbindung" in public.stdout


def test_a_long_id_is_never_broken_in_the_table() -> None:
    """A 60-character trip id in a finding: the line may run past 80 columns, the id stays
    whole (wrapped at spaces only)."""
    data = small_plan()
    long_trip = "a-very-long-trip-identifier-for-the-transatlantic-exchange-18"
    data["trips"][0]["id"] = long_trip
    data["trips"][0]["activities"].append(
        {"id": "flexible-workshop", "title": "W", "kind": "workshop", "community": "host",
         "duration": "1h", "window_start": "2018-04-24", "window_end": "2018-04-24"}
    )  # fmt: skip
    plan = Path("plan.json")
    plan.write_text(json.dumps(data), encoding="utf-8")
    output = run("check", plan, "--lang", "en").stdout
    assert f"{long_trip}/flexible-workshop" in output  # on one line, unbroken


def test_the_heading_of_a_day_is_that_day() -> None:
    """--day 2018-04-29: the flight that left the evening before arrives that day; it is
    shown under 29 April, marked with the day it began."""
    output = run("itinerary", "--day", "2018-04-29", "--lang", "en").stdout
    headings = [line for line in output.splitlines() if line.endswith(", 2018")]
    assert headings == ["Sunday, April 29, 2018"]
    assert "[began Sat, Apr 28]" in output


def test_a_delegates_days_are_headed_with_where_they_are() -> None:
    """Who is where comes from the account of whereabouts (also on a day of travel)."""
    result = run(
        "itinerary",
        "--delegate",
        "us1-a",
        "--trip",
        "return-visit",
        "-f",
        "markdown",
        "--lang",
        "en",
    )
    headings = [line for line in result.stdout.splitlines() if line.startswith("### ")]
    assert headings[:2] == [
        "### Sunday, November 4, 2018 · US host community 1 (to be confirmed) → travelling",
        "### Monday, November 5, 2018 · travelling → Frankfurt am Main FRA → Dresden DRS → Bautzen",
    ]


NOTE_EN = (
    "Times are those of the place of each event; after · the same time at home (or where a "
    "call is joined from)."
)


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_each_view_says_what_the_times_after_a_dot_are_when_it_shows_some(fmt: str) -> None:
    """A delegate read '· 04:15–05:20 EST' under a Frankfurt departure and could not know
    it was the time at home; the note comes once, only where such times are shown."""
    shown = run("itinerary", "--delegate", "us1-a", "--lang", "en", "--format", fmt)
    assert "\n· " in shown.stdout or "(· " in shown.stdout or 'class="home">· ' in shown.stdout
    assert " ".join(shown.stdout.split()).count(NOTE_EN) == 1
    at_home = run(
        "itinerary", "--delegate", "bz-stadt", "--day", "2018-11-06", "--lang", "en",
        "--format", fmt,
    )  # fmt: skip
    assert "·" not in at_home.stdout.replace(" · ", "")  # no time at home to show
    assert "Times are those of the place" not in at_home.stdout
