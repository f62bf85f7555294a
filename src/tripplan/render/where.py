"""Where a delegate is, as the itinerary views write it: taken from the account of
whereabouts (:mod:`tripplan.planning.whereabouts`), never worked out here."""

from __future__ import annotations

from datetime import date

from tripplan.itinerary import Itinerary
from tripplan.messages import msg
from tripplan.planning.whereabouts import IN_TRANSIT, whereabouts_of
from tripplan.render.common import place_label
from tripplan.render.i18n import long_date, translate
from tripplan.vocabulary import Lang


def places_of_day(itinerary: Itinerary, day: date, lang: Lang) -> str:
    """With a delegate filter, where that delegate is on ``day`` (``Bautzen → FRA → New
    York``, ``… → travelling``); otherwise nothing."""
    person = itinerary.filters.delegate
    if person is None:
        return ""
    places = whereabouts_of(itinerary).day(person, day).places
    return " → ".join(
        translate(msg("travelling"), lang) if place is IN_TRANSIT else place_label(
            itinerary, place, lang)
        for place in places
        if place is IN_TRANSIT or isinstance(place, str)
    )  # fmt: skip


def day_heading(itinerary: Itinerary, day: date, lang: Lang) -> str:
    """The day's long date, and where the filtered delegate is that day."""
    where = places_of_day(itinerary, day, lang)
    return long_date(day, lang) + (f" · {where}" if where else "")
