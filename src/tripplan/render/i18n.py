"""Labels in German and English, and dates formatted with babel."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING

from tripplan.vocabulary import Lang

if TYPE_CHECKING:
    from babel import Locale


_LABELS: dict[str, tuple[str, str]] = {
    # key: (de, en)
    "itinerary": ("Reiseplan", "Itinerary"),
    "findings": ("Hinweise der Prüfung", "Findings"),
    "no_findings": ("Keine Hinweise.", "No findings."),
    "more_findings": (
        "… und {count} weitere Hinweise dieser Art ({code}); alle mit --format json",
        "… and {count} more findings of this kind ({code}); all of them with --format json",
    ),
    "no_events": ("Keine Termine für diese Auswahl.", "No events match."),
    "unplaced": ("Noch nicht eingeplant", "Not yet placed"),
    "window": ("Zeitfenster", "window"),
    "provisional": ("vorläufig", "provisional"),
    "tbc": ("noch zu bestätigen", "to be confirmed"),
    "began": ("begonnen {day}", "began {day}"),
    "time": ("Zeit", "Time"),
    "what": ("Was", "What"),
    "where": ("Wo", "Where"),
    "who": ("Wer", "Who"),
    "home": ("Heimatzeit", "home time"),
    "until": ("bis", "until"),
    "check_out": ("Abreise", "check-out"),
    "visits_in": ("Besuche in", "Visits in"),
    "programme": ("Programm", "Programme"),
    "phases": ("Phasen", "Phases"),
    "phase": ("Phase", "Phase"),
    "dates": ("Daten", "Dates"),
    "travellers": ("Reisende", "Travellers"),
    "hosts": ("Gastgeber", "Hosts"),
    "items": ("Termine", "Items"),
    "open_items": ("Offene Punkte", "Open items"),
    "no_open_items": ("Keine offenen Punkte.", "Nothing open."),
    "timeline": ("Zeitleiste", "Timeline"),
    "travels": ("reist", "travels"),
    "hosts_role": ("ist Gastgeber", "hosts"),
    "confirmed": ("bestätigt", "confirmed"),
    "not_placed_n": ("{n} ohne Termin", "{n} not placed"),
    "provisional_n": ("{n} vorläufig", "{n} provisional"),
    "unconfirmed-host": ("Gastgeber offen", "host to confirm"),
    "provisional-trip": ("vorläufige Daten", "provisional dates"),
    "provisional-item": ("vorläufige Termine", "provisional items"),
    "not-placed": ("ohne Termin", "not placed"),
    "missing-leg": ("fehlende Reise", "missing leg"),
    "no-legs": ("keine Reise", "no legs"),
    "entry-data": ("Einreise", "entry"),
    "internal": ("Intern", "Internal"),
    "nights": ("Übernachtung", "Stay"),
    "all_day": ("ganztägig", "all day"),
    "error": ("Fehler", "error"),
    "warning": ("Warnung", "warning"),
    "info": ("Hinweis", "info"),
    "people": ("Pers.", "people"),
    "trip": ("Reise", "Trip"),
    "filters": ("Auswahl", "Filter"),
    "conflict": ("Konflikt", "conflict"),
    "summary": (
        "{errors} Fehler, {warnings} Warnungen, {infos} Hinweise",
        "{errors} errors, {warnings} warnings, {infos} notes",
    ),
    # kinds of activity
    "meeting": ("Treffen", "Meeting"),
    "workshop": ("Workshop", "Workshop"),
    "site_visit": ("Besuch vor Ort", "Site visit"),
    "briefing": ("Briefing", "Briefing"),
    "meal": ("Essen", "Meal"),
    "ceremony": ("Feierstunde", "Ceremony"),
    "reception": ("Empfang", "Reception"),
    "call": ("Videokonferenz", "Call"),
    "free_time": ("Freizeit", "Free time"),
    # modes of travel
    "flight": ("Flug", "Flight"),
    "train": ("Zug", "Train"),
    "bus": ("Bus", "Bus"),
    "car": ("Auto", "Car"),
    # lodging
    "hotel": ("Hotel", "Hotel"),
    "host_family": ("Gastfamilie", "Host family"),
    "other": ("Unterkunft", "Lodging"),
    # kinds of trip
    "study_tour": ("Studienreise", "Study tour"),
    "return_visit": ("Gegenbesuch", "Return visit"),
    "colloquium": ("Kolloquium", "Colloquium"),
}


def label(key: str, lang: Lang) -> str:
    """The label ``key`` in ``lang``; unknown keys come back unchanged."""
    pair = _LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "de" else pair[1]


@cache
def _locale(lang: Lang) -> Locale:
    from babel import Locale

    return Locale.parse(lang)


def long_date(day: date, lang: Lang) -> str:
    """``Montag, 23. April 2018`` / ``Monday, April 23, 2018``."""
    from babel.dates import format_date

    return str(format_date(day, "full", locale=_locale(lang)))


def short_date(day: date, lang: Lang) -> str:
    """``Mo., 23. Apr.`` / ``Mon, Apr 23``."""
    from babel.dates import format_skeleton

    return str(format_skeleton("MMMEd", day, locale=_locale(lang)))


def clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


def date_range(first: date, last: date, lang: Lang) -> str:
    """``20.–29. Apr. 2018`` / ``Apr 20 – 29, 2018``."""
    from babel.dates import format_interval

    return str(format_interval(first, last, "yMMMd", locale=_locale(lang)))


def month_abbreviations(lang: Lang) -> list[str]:
    """Three-letter month names: ``Jan``, ``Feb``, … (``Mär``, ``Okt`` in German)."""
    from babel.dates import get_month_names

    names = get_month_names("abbreviated", locale=_locale(lang))
    return [str(names[m]).rstrip(".")[:3] for m in range(1, 13)]
