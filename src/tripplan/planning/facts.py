"""What the rules and the checks read of a plan: public holidays (names in the reader's
language), activity windows and venues. Who is where is :mod:`tripplan.planning.whereabouts`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Any

from tripplan.itinerary import Event
from tripplan.models import Activity, Community, Plan
from tripplan.timeutils import zone

__all__ = ["holiday", "holiday_name", "venue_key", "window_bounds"]


@cache
def _holidays(country: str, subdivision: str | None, year: int, lang: str) -> dict[date, str]:
    from tripplan.cache import cached

    key = f"{country}-{subdivision or 'all'}-{year}-{lang}"
    table = cached(
        "holidays", key, lambda: _compute_holidays(country, subdivision, year, lang), _valid_table
    )
    return {date.fromisoformat(day): name for day, name in table.items()}


def _valid_table(value: object) -> bool:
    """The shape :func:`_compute_holidays` gives: ISO dates of ``year`` to names."""
    if not isinstance(value, dict):
        return False
    for day, name in value.items():
        if not isinstance(name, str):
            return False
        try:
            date.fromisoformat(day)
        except (TypeError, ValueError):
            return False
    return True


def _compute_holidays(
    country: str, subdivision: str | None, year: int, lang: str
) -> dict[str, str]:
    import holidays

    subdiv = subdivision.split("-", 1)[1] if subdivision else None
    try:
        table: Any = holidays.country_holidays(country, subdiv=subdiv, years=year)
        language = _holiday_language(table.supported_languages, lang)
        names = (
            holidays.country_holidays(country, subdiv=subdiv, years=year, language=language)
            if language
            else table
        )
    except (NotImplementedError, KeyError):
        return {}
    return {day.isoformat(): str(names.get(day, table[day])) for day in sorted(table)}


def _holiday_language(supported: tuple[str, ...], lang: str) -> str | None:
    """Which of a country's languages of holiday names is ``lang``: the code itself, or its
    form in the region where it is most spoken (``en`` → ``en_US``, by babel's data), or
    any regional form; ``None`` when the names are not given in it."""
    if lang in supported:
        return lang
    from babel.core import get_global

    likely = str(get_global("likely_subtags").get(lang, ""))
    region = likely.rsplit("_", maxsplit=1)[-1] if likely else ""
    if f"{lang}_{region}" in supported:
        return f"{lang}_{region}"
    return next((code for code in sorted(supported) if code.split("_")[0] == lang), None)


def holiday(community: Community, day: date, lang: str = "en") -> str | None:
    """The name of a public holiday of ``community`` on ``day`` (in ``lang``), or ``None``."""
    return holiday_name(community.country, community.subdivision, day, lang)


def holiday_name(country: str, subdivision: str | None, day: date, lang: str) -> str | None:
    """The name of the public holiday of a country (and subdivision) on ``day`` in ``lang``."""
    return _holidays(country, subdivision, day.year, lang).get(day)


def venue_key(appointment: Event | Activity) -> tuple[str | None, str]:
    """Where an appointment is: community and venue (same key: no travel between them)."""
    return (appointment.community, appointment.venue.strip().casefold())


def window_bounds(plan: Plan, activity: Activity) -> tuple[datetime, datetime]:
    """The window of a flexible activity in UTC: from its start to the end of its last day
    (or to the exact times given)."""
    tz = zone(plan.community(activity.community).timezone)
    bounds = []
    for value, end_of_day in ((activity.window_start, False), (activity.window_end, True)):
        if isinstance(value, datetime):
            bounds.append(plan.at(value, activity.community).astimezone(UTC))
        else:
            assert value is not None, "only flexible activities have a window"
            day = value + timedelta(days=1) if end_of_day else value
            bounds.append(datetime.combine(day, time(0, 0), tz).astimezone(UTC))
    return bounds[0], bounds[1]
