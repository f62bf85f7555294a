"""Texts in two languages: a plan says its titles, venues and notes in more than one
language, and every view and calendar in a language shows that language's text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import BUNDLED, run, small_plan

from tripplan.loader import load_plan, validate
from tripplan.planning.build import build_itinerary
from tripplan.schema import plan_schema

GERMAN = ("Treffen mit Praktiker·innen", "Rathaus", "Studienreise", "Bitte pünktlich")
ENGLISH = ("Meeting with practitioners", "City Hall", "Study tour", "Please be on time")


def two_language_plan() -> dict[str, Any]:
    """The small plan written in German, with English texts for its meeting and its trip."""
    data = small_plan()
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


def test_the_schedule_of_plan_names_activities_in_the_readers_language(tmp_path: Path) -> None:
    data = two_language_plan()
    data["trips"][0]["activities"].append(
        {
            "id": "visit",
            "title": "Besichtigung",
            "translations": {"en": {"title": "Site visit of the works"}},
            "kind": "site_visit",
            "community": "host",
            "duration": "1h",
            "window_start": "2018-04-24",
            "window_end": "2018-04-24",
        }
    )
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    english = run("plan", plan, "--lang", "en", "--format", "json")
    assert json.loads(english.stdout)["placements"][0]["title"] == "Site visit of the works"
    assert "Besichtigung" in run("plan", plan).stdout


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


def test_only_a_placeholder_has_its_name_translated(write_plan: Any) -> None:
    """A place keeps its name in every language (other names go in alt_names); a
    placeholder describes a host still to be found, and English readers read it in English."""
    data = small_plan()
    data["communities"][1]["translations"] = {"de": {"name": "Neu-York"}}
    result = run("check", write_plan(data))
    assert result.exit_code == 2
    assert "communities[1]" in result.stderr
    assert (
        "translations.de.name: 'New York' is a place's name and stays the same in every "
        "language; give other names in alt_names (only a placeholder, which describes a host "
        "still to be found, has its name translated)"
    ) in " ".join(result.stderr.split())
    shown = run("itinerary", "--delegate", "bz-stadt", "--lang", "en", "--trip", "study-tour")
    assert "US host community 1 (to be confirmed)" in shown.stdout
    assert "US-Gastkommune" not in shown.stdout
    german = run("itinerary", "--delegate", "bz-stadt", "--trip", "study-tour")
    assert "US-Gastkommune 1 (noch zu bestätigen)" in german.stdout


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


# -- every count in its plural form --------------------------------------------------------


def test_every_count_goes_through_the_plural_forms(tmp_path: Path) -> None:
    from tripplan.render.i18n import findings_count, translate
    from tripplan.vocabulary import Lang

    assert translate(findings_count(1, 1, 1), Lang.en) == "1 error, 1 warning, 1 note"
    assert translate(findings_count(1, 1, 1), Lang.de) == "1 Fehler, 1 Warnung, 1 Hinweis"
    assert translate(findings_count(2, 0, 3), Lang.en) == "2 errors, 0 warnings, 3 notes"
    assert translate(findings_count(2, 0, 3), Lang.de) == "2 Fehler, 0 Warnungen, 3 Hinweise"

    data = small_plan()
    data["trips"][0]["activities"].append(
        {
            "id": "visit",
            "title": "Visit",
            "kind": "site_visit",
            "community": "host",
            "duration": "1h",
            "window_start": "2018-04-24",
            "window_end": "2018-04-24",
        }
    )
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    placed = run("plan", plan)
    assert placed.stdout.startswith("Placed 1 flexible activity (")
    data["programme"]["language"] = "de"
    plan.write_text(json.dumps(data), encoding="utf-8")
    assert run("plan", plan).stdout.startswith("1 flexible Aktivität eingeplant (")
    written = run("plan", plan, "--write")
    assert "1 Zeit in " in written.output
    booklet = run("booklet", plan, "--delegate", "ann", "--format", "html", "--out", "b.html")
    assert "1 Heft nach b.html geschrieben" in booklet.output
    english = run(
        "booklet", plan, "--delegate", "ann", "-f", "html", "-o", "b.html", "--lang", "en"
    )
    assert "wrote 1 booklet to b.html" in english.output
    verbose = run("check", plan, "--verbose", "--lang", "en")
    assert "loaded and validated (1 trip, 2 delegates)" in verbose.stderr


def test_the_summary_of_a_json_output_is_in_the_language_of_its_findings() -> None:
    """``summary.text`` was English whatever the run's language; it is said like
    ``findings[].message``, in the run's language (here the bundled plan's, German)."""
    for lang, text in (
        ([], "0 Fehler, 0 Warnungen, 0 Hinweise"),
        (["--lang", "en"], "0 errors, 0 warnings, 0 notes"),
    ):
        for command in ("check", "itinerary"):
            result = run(command, "--format", "json", "--trip", "colloquium", *lang)
            assert json.loads(result.stdout)["summary"]["text"] == text, (command, lang)


# -- one declaration of the languages ------------------------------------------------------


def test_a_third_language_is_one_line_and_one_catalog(tmp_path: Path) -> None:
    """A copy of tripplan learns French from one line in ``vocabulary.Lang`` and a French
    catalog made by scripts/catalogs.py: plans in French, ``--lang fr``, texts of the plan in
    French, the catalog's words (the units of a duration too), babel's dates and decimal sign
    (and the CSV separator that goes with it), cost reports it knows again as its own, and
    load errors of a French plan."""
    import os
    import shutil
    import subprocess
    import sys

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po, write_po
    from helpers import ROOT

    copy_root = tmp_path / "copy"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "src" / "tripplan", copy_root / "src" / "tripplan", ignore=ignore)
    shutil.copytree(ROOT / "scripts", copy_root / "scripts", ignore=ignore)
    vocabulary = copy_root / "src" / "tripplan" / "vocabulary.py"
    source = vocabulary.read_text(encoding="utf-8")
    assert source.count('    en = "en"\n') == 1
    vocabulary.write_text(source.replace('    en = "en"\n', '    en = "en"\n    fr = "fr"\n'))
    env = {**os.environ, "PYTHONPATH": str(copy_root / "src"), "COLUMNS": "80", "NO_COLOR": "1"}
    script = [sys.executable, str(copy_root / "scripts" / "catalogs.py")]
    subprocess.run(script, env=env, check=True, capture_output=True)
    po = copy_root / "src" / "tripplan" / "locale" / "fr" / "LC_MESSAGES" / "tripplan.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    french = {
        "Itinerary": "Itinéraire",
        "Meeting": "Réunion",
        "Kind": "Type",  # the first column of a cost report, and its title:
        "Costs": "Coûts",  # how tripplan knows a report it wrote (render.marks)
        "dd MMM y HH:mm": "dd/MM/y HH:mm",
        "{hours} h {minutes} min": "{hours} h {minutes}",
        "unknown field {field}{hint} Remove it or fix its spelling.{allowed}": (
            "champ inconnu {field}{hint} Supprimez-le ou corrigez son orthographe.{allowed}"
        ),
    }
    for message in catalog:
        if message.id in french:
            message.string = french[message.id]
    with po.open("wb") as handle:
        write_po(handle, catalog)
    with po.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)  # as the script compiles it

    data = small_plan()  # written in English, with a French title
    meeting = data["trips"][0]["activities"][0]
    meeting["translations"] = {"fr": {"title": "Rencontre avec des praticiens"}}
    fare = {"amount": "950.00", "currency": "EUR", "per": "person"}
    data["trips"][0]["legs"][1]["cost"] = fare
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")

    def tripplan(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tripplan", *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=False,
        )

    shown = tripplan("itinerary", str(plan), "--format", "markdown", "--lang", "fr")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("# Itinéraire: Small exchange")
    assert "Rencontre avec des praticiens (Réunion)" in shown.stdout
    assert "mardi 24 avril 2018" in shown.stdout  # babel's French, no code for it
    assert "(LH 400) · 8 h 30 —" in shown.stdout  # the units of a duration: the catalog's
    english = tripplan("itinerary", str(plan), "--format", "markdown")
    assert "Meeting with practitioners (Meeting)" in english.stdout
    costs = tripplan("costs", str(plan), "--format", "csv", "--lang", "fr")
    assert costs.returncode == 0, costs.stderr
    fares = [row for row in costs.stdout.splitlines() if "tour/out" in row]
    assert len(fares) == 2 and all(";950,00;" in row for row in fares)  # babel's French
    assert costs.stdout.startswith("\ufeffType;")
    for fmt in ("csv", "table"):  # a French report tripplan wrote is one it may replace
        target = tmp_path / f"costs.{fmt}"
        for _ in range(2):
            written = tripplan("costs", str(plan), "-f", fmt, "--lang", "fr", "--out", str(target))
            assert written.returncode == 0, written.stderr
    data["programme"].update(language="fr", colour="blue")  # a French plan, with a slip
    plan.write_text(json.dumps(data), encoding="utf-8")
    refused = tripplan("check", str(plan))
    assert refused.returncode == 2
    assert "champ inconnu 'colour'" in refused.stderr


def test_the_starter_names_no_list_of_languages() -> None:
    """Which languages tripplan speaks is declared once, in ``vocabulary.Lang``: the
    starter's comment and the docs' field table point to ``--lang`` instead of listing
    codes (they said '"de" or "en"', stale once a language is added)."""
    from tripplan.starter import STARTER
    from tripplan.vocabulary import Lang

    (line,) = (line for line in STARTER.splitlines() if line.startswith("language = "))
    comment = line.split("#", 1)[1]
    assert "--lang" in comment
    assert not any(f'"{lang}"' in comment for lang in Lang)
    docs = (Path(__file__).parents[1] / "docs" / "plan-format.md").read_text(encoding="utf-8")
    (row,) = (row for row in docs.splitlines() if row.startswith("| `language` |"))
    assert not any(f'`"{lang}"` or' in row for lang in Lang)


def test_findings_name_an_activity_by_its_title_in_the_readers_language() -> None:
    """A finding quoted the title in the plan's language, in an English view too."""
    english = " ".join(run("check", "--lang", "en").stdout.split())
    assert "'Action plan workshop (host community 1)' (study-tour/action-plan-1) has a" in english
    assert "Aktionsplan-Workshop" not in english
    german = " ".join(run("check").stdout.split())
    assert "'Aktionsplan-Workshop (Gastkommune 1)' (study-tour/action-plan-1)" in german
