"""Time zones, wall-clock times and durations.

Plan files hold wall-clock times of the place where something happens. This
module turns them into zone-aware datetimes and refuses the two kinds of local
time that a DST switch makes unusable: times that do not exist (the clock jumps
over them) and times that exist twice (the clock falls back over them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tripplan.messages import OR, Items, Message, Refused, did_you_mean, msg

UTC = ZoneInfo("UTC")
_ZONE_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")


class LocalTimeError(Refused):
    """A wall-clock time that cannot be placed in its zone unambiguously."""


ABBREVIATIONS = {
    **dict.fromkeys(("EST", "EDT", "EST5EDT"), "America/New_York"),
    **dict.fromkeys(("CST", "CDT", "CST6CDT"), "America/Chicago"),
    "MST": "America/Phoenix",  # the one large US zone on MST all year, without DST
    **dict.fromkeys(("MDT", "MST7MDT"), "America/Denver"),
    **dict.fromkeys(("PST", "PDT", "PST8PDT"), "America/Los_Angeles"),
    **dict.fromkeys(("CET", "CEST", "MET", "MEZ", "MESZ"), "Europe/Berlin"),
    **dict.fromkeys(("GMT", "BST", "WET"), "Europe/London"),
}


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ``ValueError`` with a suggestion when unknown.

    Only region/city names (and ``UTC``) are accepted: abbreviations such as ``EST`` and
    fixed offsets such as ``Etc/GMT+5`` have no daylight saving time and would put every
    summer appointment an hour off.
    """
    if name in ABBREVIATIONS or (name.startswith("Etc/") and name != "Etc/UTC"):
        raise Refused(
            msg(
                "{name} is an abbreviation, a legacy name or a fixed offset, not a place: such "
                "names get daylight saving time wrong or ignore it. Write the zone of a city, "
                "such as {example}.",
                name=repr(name),
                example=repr(ABBREVIATIONS.get(name, "America/New_York")),
            )
        )
    city_shaped = "/" in name or name == "UTC"
    if city_shaped and _ZONE_SHAPE.match(name) and not name.startswith(("posix/", "right/")):
        try:
            found = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
        else:
            canonical, links = _zone_names()
            if not canonical or name in canonical:
                return found
            target = links.get(name)
            while target is not None and target not in canonical:
                target = links.get(target)
            if target:
                raise Refused(
                    msg(
                        "{name} is an old alias of a time zone; write its current name {target} "
                        "(the aliases may disappear from the zone database).",
                        name=repr(name),
                        target=repr(target),
                    )
                )
            raise Refused(
                msg(
                    "{name} is an old alias of a time zone; write its current name, such as "
                    "'America/New_York' (the aliases may disappear from the zone database).",
                    name=repr(name),
                )
            )
    hint = suggest_zone(name)
    raise Refused(
        msg(
            "{name} is not an IANA time zone name.{extra} Write a name such as 'Europe/Berlin' "
            "or 'America/New_York'.",
            name=repr(name),
            extra=did_you_mean(hint, sentence=True) if hint else "",
        )
    )


@cache
def _zone_names() -> tuple[frozenset[str], dict[str, str]]:
    """The canonical zone names (``Zone`` lines of tzdata, and those ``zone.tab`` lists per
    country) and the database's links (alias → target); empty when tzdata is not there."""
    from importlib import resources

    try:
        folder = resources.files("tzdata").joinpath("zoneinfo")
        compiled = folder.joinpath("tzdata.zi").read_text(encoding="utf-8")
        table = folder.joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return frozenset(), {}
    # Read by regular expressions rather than line by line: this runs on every validation
    # of a plan, and the compiled database has some 4,000 lines.
    canonical = {"UTC", *_ZONE_LINE.findall(compiled), *_TABLE_LINE.findall(table)}
    links = {alias: target for target, alias in _LINK_LINE.findall(compiled)}
    return frozenset(canonical), links


_ZONE_LINE = re.compile(r"^Z (\S+)", re.MULTILINE)
_LINK_LINE = re.compile(r"^L (\S+) (\S+)", re.MULTILINE)
_TABLE_LINE = re.compile(r"^[^#\n][^\t\n]*\t[^\t\n]*\t([^\t\n]+)", re.MULTILINE)


def suggest_zone(name: str) -> str | None:
    import difflib
    import zoneinfo

    canonical, _ = _zone_names()
    names = sorted(canonical or zoneinfo.available_timezones())
    lowered = {n.lower(): n for n in names}
    if name.lower() in lowered:
        return lowered[name.lower()]
    tail = {n.rsplit("/", 1)[-1].lower(): n for n in names if "/" in n}
    key = name.replace(" ", "_").lower()
    if key in tail:
        return tail[key]
    region, _, city = name.rpartition("/")
    same_region = {n.rsplit("/", 1)[-1]: n for n in names if n.rpartition("/")[0] == region}
    close = difflib.get_close_matches(city, sorted(same_region), n=1, cutoff=0.75)
    if close:
        return same_region[close[0]]
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.85)
    return close[0] if close else None


class WallTime(datetime):
    """A wall-clock time written with the UTC offset it has in its place.

    Plans write times without offsets; an offset is needed, and allowed, to say which of
    the two occurrences of a time in the repeated hour at the end of DST is meant
    (``2018-11-04T01:30:00-05:00`` is the second 01:30 in New York). The value itself is
    naive; :func:`localize` checks the offset against the zone and uses it.
    """

    offset: timedelta | None = None

    @classmethod
    def written(cls, value: datetime) -> datetime:
        """``value`` as a naive wall-clock time that remembers its offset, if it had one."""
        if value.tzinfo is None:
            return value
        wall = cls(*value.timetuple()[:6], value.microsecond)
        wall.offset = value.utcoffset()
        return wall


def _hhmm(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def localize(wall: datetime, tz: ZoneInfo) -> datetime:
    """Attach ``tz`` to a wall-clock time, refusing DST gaps, and folds unless a
    :class:`WallTime` offset says which occurrence is meant."""
    if wall.tzinfo is not None:
        raise LocalTimeError(msg("expected a wall-clock time without a UTC offset"))
    offset = getattr(wall, "offset", None)
    plain = datetime(*wall.timetuple()[:6], wall.microsecond)
    first = plain.replace(tzinfo=tz, fold=0)
    second = plain.replace(tzinfo=tz, fold=1)
    when = plain.strftime("%Y-%m-%d %H:%M")
    back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if first.utcoffset() != second.utcoffset() and back != plain:
        raise LocalTimeError(
            msg(
                "{when} does not exist in {zone}: the clocks jump forward over it (start of "
                "daylight saving time). Choose a time outside the skipped hour.",
                when=when,
                zone=tz.key,
            )
        )
    candidates = [first] if first.utcoffset() == second.utcoffset() else [first, second]
    if offset is not None:
        for candidate in candidates:
            if candidate.utcoffset() == offset:
                return candidate
        raise LocalTimeError(
            msg(
                "{when}: {zone} is at UTC{offsets} at that time, not UTC{offset}; correct the "
                "offset or leave it out",
                when=f"{when}{_hhmm(offset)}",
                zone=tz.key,
                offsets=Items(tuple(_hhmm(c.utcoffset()) for c in candidates), OR),
                offset=_hhmm(offset),
            )
        )
    if len(candidates) == 1:
        return first
    raise LocalTimeError(
        msg(
            "{when} happens twice in {zone}: the clocks fall back over it (end of daylight "
            "saving time). Choose a time outside the repeated hour, or say which one with its "
            "UTC offset: {first} is the first, {second} the second.",
            when=when,
            zone=tz.key,
            first=f"{plain:%Y-%m-%dT%H:%M}{_hhmm(first.utcoffset())}",
            second=f"{plain:%Y-%m-%dT%H:%M}{_hhmm(second.utcoffset())}",
        )
    )


def check_local(wall: datetime, tz: ZoneInfo) -> Message | None:
    """The reason ``wall`` cannot be localized in ``tz``, or ``None``."""
    try:
        localize(wall, tz)
    except LocalTimeError as exc:
        return exc.message
    return None


_DURATION = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:m|min))?\s*$", re.IGNORECASE)


MAX_DURATION_MINUTES = 366 * 24 * 60
"""The longest duration a plan may give: a year, the longest trip."""


def parse_duration(text: str) -> timedelta:
    """Parse ``"2h"``, ``"90m"``, ``"1h30m"`` or ISO 8601 ``"PT1H30M"``."""
    match = _DURATION.match(text) or re.match(
        r"^P(?:T(?:(\d+)H)?(?:(\d+)M)?)$", text.strip(), re.IGNORECASE
    )
    if match and any(match.groups()):
        hours, minutes = (_bounded(g) for g in match.groups())
        total = hours * 60 + minutes
        if total > MAX_DURATION_MINUTES:
            raise Refused(
                msg(
                    "{text} is longer than {days} days; nothing in a plan lasts that long "
                    "(check the unit: 'h' for hours, 'm' for minutes)",
                    text=repr(text),
                    days=MAX_DURATION_MINUTES // 60 // 24,
                )
            )
        return timedelta(minutes=total)
    raise Refused(
        msg("{text} is not a duration; write it as '2h', '90m' or '1h30m'", text=f"{text!r}")
    )


def _bounded(digits: str | None) -> int:
    """The number ``digits`` spell, at most 10**12 (so that thousands of digits cost nothing)."""
    significant = (digits or "").lstrip("0")
    return int(significant or "0") if len(significant) <= 12 else 10**12


def abbreviation(moment: datetime) -> str:
    """Zone abbreviation at ``moment`` (``CEST``, ``EDT``), or the UTC offset."""
    name = moment.tzname() or ""
    if name and not name.startswith(("+", "-")):
        return name
    offset = moment.utcoffset() or timedelta(0)
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def days(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last`` inclusive."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass(frozen=True)
class Transition:
    """A change of a zone's UTC offset at ``instant`` (UTC)."""

    instant: datetime
    before: timedelta
    after: timedelta
    name: str  # the abbreviation after the change, e.g. CEST
    dst: bool  # whether daylight saving time is in effect after it


@cache
def transitions(name: str, first_year: int, last_year: int) -> tuple[Transition, ...]:
    """Every offset change of zone ``name`` from 1 January of ``first_year`` to the end of
    ``last_year``, found from zoneinfo's own rules (day by day, then to the second)."""
    tz = zone(name)
    start = datetime(first_year, 1, 1, tzinfo=UTC) - timedelta(days=1)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1)
    found: list[Transition] = []
    moment, offset = start, offset_at(start, tz)
    while moment < end:
        following = moment + timedelta(days=1)
        later = offset_at(following, tz)
        if later != offset:
            low, high = int(moment.timestamp()), int(following.timestamp())
            while high - low > 1:  # offset at low is the old one, at high the new one
                middle = (low + high) // 2
                if offset_at(datetime.fromtimestamp(middle, UTC), tz) == offset:
                    low = middle
                else:
                    high = middle
            changed = datetime.fromtimestamp(high, UTC)
            local = changed.astimezone(tz)
            found.append(
                Transition(changed, offset, later, local.tzname() or "", bool(local.dst()))
            )
            offset = later
        moment = following
    return tuple(t for t in found if first_year <= t.instant.year <= last_year)


def offset_at(moment: datetime, tz: ZoneInfo) -> timedelta:
    """The UTC offset of zone ``tz`` at the instant ``moment``."""
    return moment.astimezone(tz).utcoffset() or timedelta(0)
