"""One catalog per language, in step with the code; every message in every language."""

from __future__ import annotations

import gettext
import importlib.util
import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from helpers import ROOT

from tripplan.messages import (
    Country,
    Day,
    DayRange,
    Duration,
    Items,
    Number,
    People,
    ShortDay,
    Span,
    Weekday,
    msg,
    nmsg,
)
from tripplan.render.i18n import LOCALE_DIR, translate
from tripplan.timeutils import zone
from tripplan.vocabulary import Lang


def _script() -> object:
    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["catalogs"] = module
    spec.loader.exec_module(module)
    return module


def _catalog(lang: str) -> dict[object, object]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "tripplan.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle, locale=lang) if m.id}


def test_the_catalogs_are_in_step_with_the_code() -> None:
    """Extracting the messages again, updating and compiling changes no file: a message
    added to the code and not to the catalogs (or a .mo not compiled again) fails here."""
    catalogs = _script()
    files = catalogs.catalogs(catalogs.extract())  # type: ignore[attr-defined]
    stale = [str(path) for path, data in files.items() if path.read_bytes() != data]
    assert stale == [], "run: uv run python scripts/catalogs.py"


TRANSLATED = [lang for lang in Lang if lang is not Lang.en]
"""The languages whose catalogs translate (English's ids are its texts): every one declared."""


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_in_every_catalog_and_translated(lang: Lang) -> None:
    translated, english = _catalog(lang), _catalog("en")
    assert set(translated) == set(english)
    assert len(translated) > 100
    untranslated = [key for key, text in translated.items() if not text or not all(text)]
    assert untranslated == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_placeholder_survives_translation(lang: Lang) -> None:
    for key, text in _catalog(lang).items():
        ids = key if isinstance(key, tuple) else (key,)
        texts = text if isinstance(text, tuple) else (text,)
        wanted = {name for one in ids for name in re.findall(r"\{(\w+)\}", one)}
        for translated in texts:
            assert set(re.findall(r"\{(\w+)\}", str(translated))) <= wanted, key


def test_the_compiled_catalogs_are_what_gettext_reads() -> None:
    german = gettext.translation("tripplan", LOCALE_DIR, languages=["de"])
    assert german.gettext("Itinerary") == "Reiseplan"


BERLIN = zone("Europe/Berlin")
NEW_YORK = zone("America/New_York")


@pytest.mark.parametrize(
    ("value", "english", "deutsch"),
    [
        (datetime(2018, 4, 23, 13, tzinfo=NEW_YORK), "23 Apr 2018 13:00 EDT",
         "23.04.2018 13:00 EDT"),
        (Span(datetime(2018, 4, 24, 9, tzinfo=NEW_YORK),
              datetime(2018, 4, 24, 11, tzinfo=NEW_YORK)),
         "24 Apr 2018 09:00–11:00 EDT", "24.04.2018 09:00–11:00 EDT"),
        (Span(datetime(2018, 3, 24, 22, tzinfo=BERLIN), datetime(2018, 3, 25, 3, tzinfo=BERLIN)),
         "24 Mar 2018 22:00 CET – 25 Mar 2018 03:00 CEST",
         "24.03.2018 22:00 CET – 25.03.2018 03:00 CEST"),
        (Day(date(2018, 11, 4)), "04 Nov 2018", "04.11.2018"),
        (ShortDay(date(2018, 11, 4)), "04 Nov", "04.11."),
        (DayRange(date(2018, 4, 23), date(2018, 4, 25)), "23–25 Apr", "23.–25.04."),
        (Weekday(date(2018, 3, 25)), "Sunday", "Sonntag"),
        (Duration(timedelta(hours=1, minutes=30)), "1 h 30 min", "1 h 30 min"),
        (Number(300_000), "300,000", "300.000"),
        (Country("US"), "United States", "Vereinigte Staaten"),
        (Country("DE"), "Germany", "Deutschland"),
        (People(("ann", "ben")), "ann, ben", "ann, ben"),
        (People(("a", "b", "c", "d", "e")), "a, b, c and 2 more", "a, b, c und 2 weitere"),
        (Items((ShortDay(date(2018, 4, 23)), ShortDay(date(2018, 4, 24)))), "23 Apr, 24 Apr",
         "23.04., 24.04."),
    ],
)  # fmt: skip
def test_each_kind_of_value_in_each_language(value: object, english: str, deutsch: str) -> None:
    message = msg("{people} would be in two places at once: '{first}' ({first_span}) overlaps "
                  "'{second}' ({second_span}). Move one of them.", people=value, first="A",
                  first_span="x", second="B", second_span="y")  # fmt: skip
    assert translate(message, Lang.en).startswith(english + " would be")
    assert translate(message, Lang.de).startswith(deutsch + " wären")


def test_a_duration_is_written_with_the_catalogs_units() -> None:
    """Hours and minutes are words of the catalog (``format_duration`` wrote "h" and "min"
    in every language); plain() for logs writes them in English."""
    from tripplan.messages import duration_message, plain
    from tripplan.render.i18n import duration

    for length, written in (
        (timedelta(hours=9), "9 h"),
        (timedelta(hours=1, minutes=5), "1 h 05 min"),
        (timedelta(minutes=50), "50 min"),
    ):
        assert duration(length, Lang.en) == duration(length, Lang.de) == written
        assert plain(msg("({length})", length=Duration(length))) == f"({written})"
    assert duration_message(timedelta(hours=1, minutes=5)).msgid == "{hours} h {minutes} min"


def test_a_did_you_mean_is_found_wherever_a_message_nests_it() -> None:
    from tripplan.messages import did_you_mean, suggestion_in

    inner = msg("{x} is wrong: {hint}", x="'fra'", hint=did_you_mean("FRA", bare=True))
    assert suggestion_in(msg("{why}", why=inner)) == "FRA"
    assert suggestion_in(msg("{all}", all=Items(("a", inner)))) == "FRA"
    assert suggestion_in(msg("{x} is wrong", x="'did you mean'")) is None


def test_plural_forms_follow_the_number() -> None:
    one = nmsg("{trip}: {n} items are provisional.", "{trip}: {n} items are provisional.", 1,
               trip="T")  # fmt: skip
    assert translate(one, Lang.de) == "T: 1 Termine sind vorläufig."
    sentence = (
        "{people} has nowhere to sleep on trip {trip} in the night after {nights}. Add a stay "
        "(hotel or host family) for those nights.",
        "{people} have nowhere to sleep on trip {trip} in the night after {nights}. Add a stay "
        "(hotel or host family) for those nights.",
    )
    for n, en, de in ((1, "ann has", "ann hat"), (2, "ann, ben have", "ann, ben haben")):
        people = People(("ann", "ben")[:n])
        message = nmsg(*sentence, n, people=people, trip="t", nights="x")
        assert translate(message, Lang.en).startswith(en)
        assert translate(message, Lang.de).startswith(de)


def test_no_text_for_people_outside_the_catalogs() -> None:
    """The core writes no German: no `de=` texts, no `_de` twins, no hand-written lists, and
    no branch on a language (a new one would not take it): the forms come from the catalog
    and babel's locale data."""
    for path in (ROOT / "src" / "tripplan").rglob("*.py"):
        if path.parent.name == "cli":
            continue  # the command line's own words: see docs/translating.md
        text = path.read_text(encoding="utf-8")
        for marker in (
            r"\bde=f?['\"]",
            r"_de\(",
            "WEEKDAYS_DE",
            "COUNTRY_NAMES",
            'lang == "de"',
            r"\bLang\.de\b",
        ):
            assert not re.search(marker, text), (path.name, marker)


def test_the_template_lists_the_messages_of_the_code() -> None:
    template = Path(LOCALE_DIR / "tripplan.pot").read_text(encoding="utf-8")
    assert 'msgid "Itinerary"' in template
    assert "would be in two places at once" in template


def test_a_german_plan_gets_its_load_errors_in_german(tmp_path: Path) -> None:
    from helpers import run

    plan = tmp_path / "plan.toml"
    plan.write_text(
        'version = 1\n\n[programme]\nname = "Austausch"\nyear = 2018\norganiser = "Org"\n'
        'language = "de"\ncolour = "blau"\n\n[[communities]]\nid = "bautzen"\nname = "Bautzen"\n'
        'country = "DEU"\ntimezone = "Europe/Berlin"\n',
        encoding="utf-8",
    )
    german = run("check", plan)
    assert german.exit_code == 2
    assert german.stderr.splitlines() == [
        "tripplan: der Plan hat 2 Probleme:",
        f"  - {plan} › programme.colour (Zeile 8): unbekanntes Feld 'colour'. Entfernen oder "
        "die Schreibweise korrigieren. Hier erlaubt: contact, coordinator, description, language, "
        "name, organiser, "
        "supporters, translations, uid_domain, year.",
        f"  - {plan} › communities[0].country (Zeile 13): 'DEU' ist kein ISO-3166-Ländercode: "
        "zwei Großbuchstaben wie 'DE' oder 'US' schreiben; meinten Sie 'DE'?",
    ]
    english = run("check", plan, "--lang", "en")
    assert english.stderr.splitlines()[0] == "tripplan: the plan has 2 problems:"
    assert "unknown field 'colour'. Remove it or fix its spelling." in english.stderr
    as_json = run("check", plan, "--format", "json", "--lang", "de")
    import json

    errors = json.loads(as_json.stdout)["load_errors"]
    assert [(e["path"], e["suggestion"]) for e in errors] == [
        ("programme.colour", None),
        ("communities[0].country", "DE"),
    ]
    assert errors[0]["message"].startswith("unbekanntes Feld 'colour'")


def test_a_range_of_days_across_two_months_names_both() -> None:
    """23–25 Apr within a month; 28 Apr–02 May across two (it said "28–02 May")."""
    from datetime import date

    from tripplan.messages import DayRange
    from tripplan.render.i18n import value_text
    from tripplan.vocabulary import Lang

    within = DayRange(date(2018, 4, 23), date(2018, 4, 25))
    across = DayRange(date(2018, 4, 28), date(2018, 5, 2))
    assert [value_text(within, lang) for lang in (Lang.en, Lang.de)] == ["23–25 Apr", "23.–25.04."]
    assert [value_text(across, lang) for lang in (Lang.en, Lang.de)] == [
        "28 Apr–02 May",
        "28.04.–02.05.",
    ]
