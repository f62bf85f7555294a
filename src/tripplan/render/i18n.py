"""The rendering edge of language: messages and labels from the catalogs, dates from babel.

Every text for people is looked up here, in the catalog of the reader's language
(``src/tripplan/locale/<lang>/LC_MESSAGES/tripplan.mo``, compiled from the ``.po`` file
with babel's tools; see docs/translating.md), and every value in it is written the way
that language writes it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from tripplan.errors import Problem
from tripplan.messages import (
    N_,
    OR,
    Choice,
    Country,
    Day,
    DayRange,
    Duration,
    Holiday,
    Items,
    Message,
    Named,
    Number,
    People,
    ShortDay,
    Span,
    Weekday,
    duration_message,
    msg,
    nmsg,
)
from tripplan.timeutils import abbreviation
from tripplan.vocabulary import Lang

if TYPE_CHECKING:
    import gettext

    from babel import Locale

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "tripplan"


@cache
def _catalog(lang: Lang) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (English: the message ids themselves)."""
    import gettext

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[str(lang)])


@cache
def country_names(lang: Lang) -> dict[str, str]:
    """Names of countries by ISO code, in ``lang``, from babel's locale data (remembered in
    the reference-data cache: reading them costs more than the rest of a short run)."""
    from tripplan.cache import cached

    def compute() -> dict[str, str]:
        return {code: str(name) for code, name in _locale(lang).territories.items()}

    def valid(value: object) -> bool:
        return isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        )

    names: dict[str, str] = cached("babel", f"territories-{lang}", compute, valid)
    return names


def translate(message: Message, lang: Lang) -> str:
    """``message`` in ``lang``: its text from the catalog, each parameter in that
    language's form."""
    catalog = _catalog(lang)
    if message.plural is not None:
        template = catalog.ngettext(message.msgid, message.plural, message.n)
    else:
        template = catalog.gettext(message.msgid)
    values = {name: value_text(value, lang) for name, value in message.params}
    return template.format(**values)


def duration(length: timedelta, lang: Lang) -> str:
    """A length of time in ``lang``: ``1 h 05 min`` (the units are the catalog's)."""
    return translate(duration_message(length), lang)


def problem_text(problem: Problem, lang: Lang) -> str:
    """``plan.toml › trips[0].legs[1] (line 12): message`` in ``lang``; on one line, whatever
    the file's name holds."""
    from tripplan.render.escape import inert

    where = inert(problem.location)
    if problem.line is not None:
        where += translate(msg(" (line {line})", line=problem.line), lang)
    return f"{where}: {translate(problem.message, lang)}"


def problem_dict(problem: Problem, lang: Lang) -> dict[str, object]:
    """A problem for scripts: file, line, field path, message and a suggestion."""
    return {
        "file": problem.file,
        "line": problem.line,
        "path": problem.path,
        "message": translate(problem.message, lang),
        "suggestion": problem.suggestion,
    }


# How a language writes moments, days and spans: CLDR date patterns, translated in the
# catalog like every text (the German catalog says "dd.MM.y HH:mm" for "dd MMM y HH:mm").
MOMENT = N_("dd MMM y HH:mm")
DAY = N_("dd MMM y")
SHORT_DAY = N_("dd MMM")
RANGE_FIRST = N_("dd")
"""The first day of a range of days of one month or two (``23``–25 Apr)."""


def _pattern(value: date, pattern: str, lang: Lang) -> str:
    """``value`` written with the catalog's form of ``pattern`` in ``lang`` (babel)."""
    from babel.dates import format_date, format_datetime

    form = words(pattern, lang)
    if isinstance(value, datetime):
        return str(format_datetime(value, form, locale=_locale(lang)))
    return str(format_date(value, form, locale=_locale(lang)))


def value_text(value: object, lang: Lang) -> str:
    """One parameter of a message, written for ``lang``: the forms come from the catalog
    and from babel's data for the language, so that a new language needs no code here."""
    if isinstance(value, Message):
        return translate(value, lang)
    if isinstance(value, Named):
        return dict(value.translations).get(str(lang), value.name)
    if isinstance(value, datetime):
        return f"{_pattern(value, MOMENT, lang)} {abbreviation(value)}"
    if isinstance(value, Span):
        start, end = value.start, value.end
        if start.date() == end.date() and start.utcoffset() == end.utcoffset():
            return f"{_pattern(start, MOMENT, lang)}–{end:%H:%M} {abbreviation(end)}"
        return f"{value_text(start, lang)} – {value_text(end, lang)}"
    if isinstance(value, Day):
        return _pattern(value.day, DAY, lang)
    if isinstance(value, ShortDay):
        return _pattern(value.day, SHORT_DAY, lang)
    if isinstance(value, DayRange):
        first, last = value.first, value.last
        same_month = (first.year, first.month) == (last.year, last.month)
        begin = _pattern(first, RANGE_FIRST if same_month else SHORT_DAY, lang)
        return f"{begin}–{_pattern(last, SHORT_DAY, lang)}"  # 23–25 Apr, 28 Apr–2 May
    if isinstance(value, Number):
        from babel.numbers import format_decimal

        return str(format_decimal(value.value, locale=_locale(lang)))
    if isinstance(value, Country):
        return country_names(lang).get(value.code, value.code)
    if isinstance(value, Holiday):
        from tripplan.planning.facts import holiday_name

        return holiday_name(value.country, value.subdivision, value.day, lang) or ""
    if isinstance(value, Weekday):
        from babel.dates import format_date

        return str(format_date(value.day, "EEEE", locale=_locale(lang)))
    if isinstance(value, Duration):
        return duration(value.length, lang)
    if isinstance(value, People):
        names = value.ids
        if len(names) <= 3:
            return ", ".join(names)
        more = msg("{names} and {count} more", names=", ".join(names[:3]), count=len(names) - 3)
        return translate(more, lang)
    if isinstance(value, Choice):
        quoted = [repr(v) for v in value.values]
        if len(quoted) < 2:
            return "".join(quoted)
        joiner = value_text(OR, lang)
        return ", ".join(quoted[:-1]) + joiner + quoted[-1]
    if isinstance(value, Items):
        separator = value_text(value.separator, lang)
        return separator.join(value_text(item, lang) for item in value.values)
    from tripplan.render.escape import inert

    return inert(str(value))  # a value is one line: plan text cannot forge a line of its own


_LABELS: dict[str, str] = {
    # key: the English text, marked for the catalogs (translated by label())
    "itinerary": N_("Itinerary"),
    "findings": N_("Findings"),
    "no_findings": N_("No findings."),
    "no_events": N_("No events match."),
    "unplaced": N_("Not yet placed"),
    "window": N_("window"),
    "provisional": N_("provisional"),
    "tbc": N_("to be confirmed"),
    "began": N_("began {day}"),
    "time": N_("Time"),
    "what": N_("What"),
    "where": N_("Where"),
    "who": N_("Who"),
    "home": N_("home time"),
    "until": N_("until"),
    "check_out": N_("check-out"),
    "visits_in": N_("Visits in"),
    "programme": N_("Programme"),
    "phases": N_("Phases"),
    "phase": N_("Phase"),
    "dates": N_("Dates"),
    "travellers": N_("Travellers"),
    "hosts": N_("Hosts"),
    "items": N_("Items"),
    "open_items": N_("Open items"),
    "no_open_items": N_("Nothing open."),
    "timeline": N_("Timeline"),
    "travels": N_("travels"),
    "hosts_role": N_("hosts"),
    "hosts_and_travels": N_("hosts and travels in the same week"),
    "confirmed": N_("confirmed"),
    "not_placed_n": N_("{n} not placed"),
    "provisional_n": N_("{n} provisional"),
    "unconfirmed-host": N_("host to confirm"),
    "provisional-trip": N_("provisional dates"),
    "provisional-item": N_("provisional items"),
    "not-placed": N_("not placed"),
    "missing-leg": N_("missing leg"),
    "no-legs": N_("no legs"),
    "entry-data": N_("entry"),
    "internal": N_("Internal"),
    "nights": N_("Stay"),
    "all_day": N_("all day"),
    "home_time": N_(
        "Times are those of the place of each event; after · the same time at home (or where "
        "a call is joined from)."
    ),
    "error": N_("error"),
    "warning": N_("warning"),
    "info": N_("info"),
    "people": N_("people"),
    "trip": N_("Trip"),
    "filters": N_("Filter"),
    "conflict": N_("conflict"),
    # kinds of activity
    "meeting": N_("Meeting"),
    "workshop": N_("Workshop"),
    "site_visit": N_("Site visit"),
    "briefing": N_("Briefing"),
    "meal": N_("Meal"),
    "ceremony": N_("Ceremony"),
    "reception": N_("Reception"),
    "call": N_("Call"),
    "free_time": N_("Free time"),
    # modes of travel
    "flight": N_("Flight"),
    "train": N_("Train"),
    "bus": N_("Bus"),
    "car": N_("Car"),
    # lodging
    "hotel": N_("Hotel"),
    "host_family": N_("Host family"),
    "other": N_("Lodging"),
    # kinds of trip
    "study_tour": N_("Study tour"),
    "return_visit": N_("Return visit"),
    "colloquium": N_("Colloquium"),
}


def findings_count(errors: int, warnings: int, infos: int) -> Message:
    """``1 error, 2 warnings, 0 notes``: each count in its plural form."""
    return msg(
        "{errors}, {warnings}, {infos}",
        errors=nmsg("{n} error", "{n} errors", errors),
        warnings=nmsg("{n} warning", "{n} warnings", warnings),
        infos=nmsg("{n} note", "{n} notes", infos),
    )


def label(key: str, lang: Lang) -> str:
    """The label ``key`` in ``lang``; unknown keys come back unchanged."""
    english = _LABELS.get(key)
    if english is None:
        return key
    return words(english, lang)


def reader_language(spoken: tuple[str, ...], default: Lang) -> Lang:
    """The language to write in for a reader who speaks ``spoken`` (ISO 639 codes): the
    default when it is one of theirs (or they say nothing), else the first of theirs
    tripplan speaks."""
    if not spoken or default in spoken:
        return default
    known = {member.value: member for member in Lang}
    return next((known[code] for code in spoken if code in known), default)


def words(english: str, lang: Lang) -> str:
    """A text without parameters (a heading, a column's name; marked with ``N_``) in
    ``lang``."""
    return _catalog(lang).gettext(english)


@cache
def _locale(lang: Lang) -> Locale:
    from babel import Locale

    return Locale.parse(lang)


@cache
def decimal_sign(lang: Lang) -> str:
    """The sign between the whole and the fraction of a number in ``lang``, from babel's
    locale data: ``.`` in English, ``,`` in German."""
    from babel.numbers import get_decimal_symbol

    return str(get_decimal_symbol(_locale(lang)))


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


def language_name(code: str, lang: Lang) -> str:
    """The name of a language by its ISO 639 code, in ``lang`` (babel's locale data):
    ``Deutsch``, ``Obersorbisch``; an unknown code comes back as it is."""
    return str(_locale(lang).languages.get(code, code))
