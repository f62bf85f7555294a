"""Texts in two languages: a plan says its titles, venues and notes in more than one
language, and every view and calendar in a language shows that language's text."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import BUNDLED, SMALL_PLAN, run

from tripplan.loader import load_plan, validate
from tripplan.planning.build import build_itinerary
from tripplan.schema import plan_schema

GERMAN = ("Treffen mit Praktiker·innen", "Rathaus", "Studienreise", "Bitte pünktlich")
ENGLISH = ("Meeting with practitioners", "City Hall", "Study tour", "Please be on time")


def two_language_plan() -> dict[str, Any]:
    """The small plan written in German, with English texts for its meeting and its trip."""
    data = copy.deepcopy(SMALL_PLAN)
    data["programme"]["language"] = "de"
    trip = data["trips"][0]
    trip.update(title="Studienreise", translations={"en": {"title": "Study tour"}})
    meeting = trip["activities"][0]
    meeting.update(
        title="Treffen mit Praktiker·innen",
        venue="Rathaus",
        public_notes="Bitte pünktlich",
        translations={
            "en": {
                "title": "Meeting with practitioners",
                "venue": "City Hall",
                "public_notes": "Please be on time",
            }
        },
    )
    return data


def _outputs(plan: Path, tmp_path: Path, lang: list[str]) -> dict[str, str]:
    """Every view and calendar of the small plan that shows the meeting, as text."""
    found: dict[str, str] = {}
    for fmt in ("table", "markdown", "html", "json"):
        result = run("itinerary", plan, "--format", fmt, *lang)
        assert result.exit_code in (0, 1), result.output
        found[f"itinerary {fmt}"] = result.stdout
    for fmt in ("markdown", "json", "html"):
        result = run("hosts", "brief", "host", plan, "--format", fmt, *lang)
        assert result.exit_code == 0, result.output
        found[f"brief {fmt}"] = result.stdout
    calendar = tmp_path / f"calendar{len(lang)}.ics"
    result = run("export-ics", plan, "--out", calendar, *lang)
    assert result.exit_code == 0, result.output
    found["calendar"] = calendar.read_text(encoding="utf-8").replace("\r\n ", "")
    booklet = tmp_path / f"booklet{len(lang)}.html"
    result = run("booklet", plan, "--delegate", "ann", "--format", "html", "--out", booklet, *lang)
    assert result.exit_code == 0, result.output
    found["booklet"] = booklet.read_text(encoding="utf-8")
    return found


def test_every_view_and_calendar_in_a_language_uses_its_texts(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(two_language_plan()), encoding="utf-8")
    for lang, shown, hidden in (([], GERMAN, ENGLISH), (["--lang", "en"], ENGLISH, GERMAN)):
        for what, text in _outputs(plan, tmp_path, lang).items():
            for words in shown[:1]:
                assert words in text, (lang, what, words)
            for words in hidden:
                assert words not in text, (lang, what, words)
    overview = run("programme", plan, "--format", "markdown", "--lang", "en")
    assert "Study tour" in overview.stdout and "Studienreise" not in overview.stdout


def test_a_text_not_given_in_a_language_falls_back_to_the_plans() -> None:
    data = two_language_plan()
    del data["trips"][0]["activities"][0]["translations"]["en"]["venue"]
    itinerary = build_itinerary(validate(data))
    english = itinerary.in_language("en").event("tour/meet")
    assert (english.title, english.venue) == ("Meeting with practitioners", "Rathaus")
    german = itinerary.in_language("de").event("tour/meet")
    assert (german.title, german.venue) == ("Treffen mit Praktiker·innen", "Rathaus")
    assert itinerary.in_language("de") is itinerary  # the plan's own language: as it is


def test_a_translation_of_an_unknown_text_or_language_is_refused() -> None:
    data = two_language_plan()
    data["trips"][0]["activities"][0]["translations"]["en"]["internal_notes"] = "x"
    data["trips"][0]["translations"]["fr"] = {"title": "Voyage d'études"}
    with pytest.raises(Exception) as refused:
        validate(data)
    said = str(refused.value)
    assert "translations.en.internal_notes" in said
    assert "translations.fr" in said


def test_the_schema_and_the_starter_offer_translations() -> None:
    schema = json.dumps(plan_schema())
    for model in ("ActivityTexts", "TripTexts", "StayTexts", "LegTexts", "ProgrammeTexts"):
        assert model in schema
    from tripplan.starter import STARTER

    assert "translations.de.title" in STARTER
    docs = (Path(__file__).parents[1] / "docs" / "plan-format.md").read_text(encoding="utf-8")
    assert "## Texts in two languages" in docs


def test_the_bundled_plan_speaks_english_to_the_us_delegates(tmp_path: Path) -> None:
    """Everything a US delegate's booklet and calendar show of the plan's own texts is in
    English: their booklet and calendar speak English (the plan is German)."""
    plan = load_plan(BUNDLED)
    itinerary = build_itinerary(plan)
    german = {
        text
        for event in itinerary.events
        for text in (event.title, event.venue, event.public_notes)
        if text
    }
    english = itinerary.in_language("en")
    for person in ("us1-a", "us2-b"):
        for event in english.for_delegate(person):
            if event.category == "travel":
                continue  # named by places and carriers
            for text in (event.title, event.venue, event.public_notes):
                assert not text or text not in german or text in ("Steinhaus e.V.",), (
                    person,
                    event.uid,
                    text,
                )
    result = run("booklet", "--delegate", "us1-a", "--format", "html", "--out", "b.html")
    assert result.exit_code == 0, result.output
    page = Path("b.html").read_text(encoding="utf-8")
    assert "Reception at the town hall" in page and "Empfang im Rathaus" not in page
