"""Airports by IATA code, from the ``airportsdata`` package (loaded on first use)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tripplan.messages import Country, Message, Refused, msg


@dataclass(frozen=True, slots=True)
class Airport:
    iata: str
    name: str
    city: str
    country: str
    timezone: str
    latitude: float
    longitude: float


@cache
def _table() -> dict[str, dict[str, object]]:
    import airportsdata

    table: dict[str, dict[str, object]] = dict(airportsdata.load("IATA"))  # type: ignore[arg-type]
    return table


def _lookup(code: str) -> dict[str, object] | None:
    row = _table().get(code)
    if row is None:
        return None
    found: dict[str, object] = {key: str(row[key]) for key in _TEXT}
    found.update((key, float(str(row[key]))) for key in _NUMBERS)
    return found


_TEXT = ("name", "city", "country", "tz")
_NUMBERS = ("lat", "lon")


def _valid_row(value: object) -> bool:
    """The shape :func:`_lookup` gives: None, or the fields as text and numbers."""
    return value is None or (
        isinstance(value, dict)
        and sorted(value) == sorted((*_TEXT, *_NUMBERS))
        and all(isinstance(value[key], str) for key in _TEXT)
        and all(isinstance(value[key], int | float) for key in _NUMBERS)
    )


@cache
def _row(code: str) -> dict[str, object] | None:
    from tripplan.cache import cached

    found: dict[str, object] | None = cached(
        "airportsdata", f"iata-{code}", lambda: _lookup(code), _valid_row
    )
    return found


_CODE = re.compile(r"[A-Z]{3}\Z")


def is_code(text: str) -> bool:
    """Whether ``text`` has the form of an IATA airport code: three capital letters."""
    return _CODE.match(text) is not None


def is_known(code: str) -> bool:
    """Whether ``code`` is an IATA code of a known airport."""
    return is_code(code) and _row(code) is not None


def airport(code: str) -> Airport:
    """The airport with IATA ``code``; ``ValueError`` when there is none."""
    row = _row(code) if is_code(code) else None
    if row is None:
        raise Refused(
            msg(
                "{code} is not a known IATA airport code. Check the three-letter code "
                "on the booking (e.g. 'FRA' for Frankfurt).",
                code=f"{code!r}",
            )
        )
    return Airport(
        iata=code,
        name=str(row["name"]),
        city=str(row["city"]),
        country=str(row["country"]),
        timezone=str(row["tz"]),
        latitude=float(str(row["lat"])),
        longitude=float(str(row["lon"])),
    )


def named(code: str) -> Message | str:
    """An airport as a message names it: its place and country with its code, ``Bilbao,
    Spain (BIO)`` (the country in the reader's language); a code tripplan does not know
    stays as it is."""
    if not is_known(code):
        return code
    found = airport(code)
    return msg(
        "{place}, {country} ({code})",
        place=found.city.strip() or found.name,
        country=Country(found.country),
        code=code,
    )


def distance_km(first: Airport, second: Airport) -> float:
    """Great-circle distance between two airports (haversine, mean Earth radius)."""
    import math

    lat1, lat2 = math.radians(first.latitude), math.radians(second.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(second.longitude - first.longitude)
    a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
