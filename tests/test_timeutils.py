"""Zones and wall-clock times, with the DST switches of 2018 in named zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tripplan.timeutils import (
    LocalTimeError,
    abbreviation,
    format_duration,
    localize,
    parse_duration,
    zone,
)

BERLIN = zone("Europe/Berlin")
NEW_YORK = zone("America/New_York")
SAMOA = zone("Pacific/Apia")
BOGOTA = zone("America/Bogota")


@pytest.mark.parametrize(
    ("wall", "tz", "utc"),
    [
        # US switch, 11 March 2018: EST until 02:00, EDT after.
        (datetime(2018, 3, 10, 9, 0), NEW_YORK, datetime(2018, 3, 10, 14, 0)),
        (datetime(2018, 3, 12, 9, 0), NEW_YORK, datetime(2018, 3, 12, 13, 0)),
        # EU switch, 25 March 2018: CET until 02:00, CEST after.
        (datetime(2018, 3, 24, 9, 0), BERLIN, datetime(2018, 3, 24, 8, 0)),
        (datetime(2018, 3, 26, 9, 0), BERLIN, datetime(2018, 3, 26, 7, 0)),
        # The study tour: 09:00 in New York on 24 April 2018 is 13:00 UTC.
        (datetime(2018, 4, 24, 9, 0), NEW_YORK, datetime(2018, 4, 24, 13, 0)),
        # EU back to CET on 28 October, US back to EST on 4 November.
        (datetime(2018, 10, 29, 9, 0), BERLIN, datetime(2018, 10, 29, 8, 0)),
        (datetime(2018, 11, 3, 9, 0), NEW_YORK, datetime(2018, 11, 3, 13, 0)),
        (datetime(2018, 11, 5, 9, 0), NEW_YORK, datetime(2018, 11, 5, 14, 0)),
        # The return visit: 09:00 in Bautzen on 6 November 2018 is 08:00 UTC.
        (datetime(2018, 11, 6, 9, 0), BERLIN, datetime(2018, 11, 6, 8, 0)),
        # Bogotá has no DST; Samoa is UTC+13 after its DST ended on 1 April 2018.
        (datetime(2018, 4, 24, 9, 0), BOGOTA, datetime(2018, 4, 24, 14, 0)),
        (datetime(2018, 4, 24, 9, 0), SAMOA, datetime(2018, 4, 23, 20, 0)),
    ],
)
def test_localize_gives_the_right_instant(wall: datetime, tz: object, utc: datetime) -> None:
    moment = localize(wall, tz)  # type: ignore[arg-type]
    assert moment.astimezone(UTC).replace(tzinfo=None) == utc
    assert moment.replace(tzinfo=None) == wall


@pytest.mark.parametrize(
    ("wall", "tz", "message"),
    [
        (
            datetime(2018, 3, 25, 2, 30),
            BERLIN,
            "2018-03-25 02:30 does not exist in Europe/Berlin: the clocks jump forward over it "
            "(start of daylight saving time). Choose a time outside the skipped hour.",
        ),
        (
            datetime(2018, 3, 11, 2, 15),
            NEW_YORK,
            "2018-03-11 02:15 does not exist in America/New_York: the clocks jump forward over "
            "it (start of daylight saving time). Choose a time outside the skipped hour.",
        ),
        (
            datetime(2018, 10, 28, 2, 30),
            BERLIN,
            "2018-10-28 02:30 happens twice in Europe/Berlin: the clocks fall back over it "
            "(end of daylight saving time). Choose a time outside the repeated hour.",
        ),
        (
            datetime(2018, 11, 4, 1, 30),
            NEW_YORK,
            "2018-11-04 01:30 happens twice in America/New_York: the clocks fall back over it "
            "(end of daylight saving time). Choose a time outside the repeated hour.",
        ),
    ],
)
def test_localize_refuses_gaps_and_folds(wall: datetime, tz: object, message: str) -> None:
    with pytest.raises(LocalTimeError) as info:
        localize(wall, tz)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_samoa_skipped_30_december_2011() -> None:
    with pytest.raises(LocalTimeError, match="does not exist in Pacific/Apia"):
        localize(datetime(2011, 12, 30, 12, 0), SAMOA)


def test_unknown_zone_suggests_the_right_name() -> None:
    with pytest.raises(ValueError) as info:
        zone("europe/berlin")
    assert str(info.value) == (
        "'europe/berlin' is not an IANA time zone name. Did you mean 'Europe/Berlin'? "
        "Write a name such as 'Europe/Berlin' or 'America/New_York'."
    )
    with pytest.raises(ValueError, match="Did you mean 'America/New_York'"):
        zone("New York")
    with pytest.raises(ValueError, match="not an IANA time zone name"):
        zone("../../etc/passwd")


def test_abbreviations_follow_dst() -> None:
    assert abbreviation(localize(datetime(2018, 4, 24, 9), NEW_YORK)) == "EDT"
    assert abbreviation(localize(datetime(2018, 11, 6, 9), BERLIN)) == "CET"
    assert abbreviation(localize(datetime(2018, 4, 24, 9), BERLIN)) == "CEST"
    assert abbreviation(localize(datetime(2018, 4, 24, 9), BOGOTA)) == "UTC-5"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("2h", 120), ("90m", 90), ("1h30m", 90), ("1h 30min", 90), ("PT4H", 240), ("PT45M", 45)],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


def test_parse_duration_refuses_nonsense() -> None:
    with pytest.raises(ValueError) as info:
        parse_duration("two hours")
    assert str(info.value) == "'two hours' is not a duration; write it as '2h', '90m' or '1h30m'"


def test_format_duration() -> None:
    assert format_duration(timedelta(hours=9)) == "9 h"
    assert format_duration(timedelta(hours=1, minutes=5)) == "1 h 05 min"
    assert format_duration(timedelta(minutes=50)) == "50 min"
