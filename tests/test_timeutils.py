"""Zones and wall-clock times, with the DST switches of 2018 in named zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tripplan.timeutils import (
    LocalTimeError,
    abbreviation,
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
            "(end of daylight saving time). Choose a time outside the repeated hour, or say "
            "which one with its UTC offset: 2018-10-28T02:30+02:00 is the first, "
            "2018-10-28T02:30+01:00 the second.",
        ),
        (
            datetime(2018, 11, 4, 1, 30),
            NEW_YORK,
            "2018-11-04 01:30 happens twice in America/New_York: the clocks fall back over it "
            "(end of daylight saving time). Choose a time outside the repeated hour, or say "
            "which one with its UTC offset: 2018-11-04T01:30-04:00 is the first, "
            "2018-11-04T01:30-05:00 the second.",
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


def _written(text: str) -> datetime:
    from tripplan.timeutils import WallTime

    return WallTime.written(datetime.fromisoformat(text))


@pytest.mark.parametrize(
    ("text", "tz", "utc"),
    [
        # New York falls back on 4 Nov 2018: 01:30 happens at 05:30 and again at 06:30 UTC.
        ("2018-11-04T01:30:00-04:00", NEW_YORK, datetime(2018, 11, 4, 5, 30)),
        ("2018-11-04T01:30:00-05:00", NEW_YORK, datetime(2018, 11, 4, 6, 30)),
        # Berlin falls back on 28 Oct 2018: 02:30 CEST, then 02:30 CET.
        ("2018-10-28T02:30:00+02:00", BERLIN, datetime(2018, 10, 28, 0, 30)),
        ("2018-10-28T02:30:00+01:00", BERLIN, datetime(2018, 10, 28, 1, 30)),
        # An offset that is right for an ordinary time is accepted as well.
        ("2018-04-24T09:00:00-04:00", NEW_YORK, datetime(2018, 4, 24, 13, 0)),
    ],
)
def test_an_offset_says_which_repeated_time_is_meant(
    text: str, tz: ZoneInfo, utc: datetime
) -> None:
    assert localize(_written(text), tz).astimezone(UTC) == utc.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "tz", "message"),
    [
        (
            "2018-11-04T01:30:00-06:00",
            NEW_YORK,
            "2018-11-04 01:30-06:00: America/New_York is at UTC-04:00 or -05:00 at that time, "
            "not UTC-06:00; correct the offset or leave it out",
        ),
        (
            "2018-04-24T09:00:00-05:00",
            NEW_YORK,
            "2018-04-24 09:00-05:00: America/New_York is at UTC-04:00 at that time, not "
            "UTC-05:00; correct the offset or leave it out",
        ),
        (
            "2018-03-25T02:30:00+01:00",
            BERLIN,
            "2018-03-25 02:30 does not exist in Europe/Berlin: the clocks jump forward over it "
            "(start of daylight saving time). Choose a time outside the skipped hour.",
        ),
    ],
)
def test_a_wrong_offset_or_a_skipped_time_is_refused(text: str, tz: ZoneInfo, message: str) -> None:
    with pytest.raises(LocalTimeError) as caught:
        localize(_written(text), tz)
    assert str(caught.value) == message


def test_the_repeated_hour_without_offset_says_how_to_write_it() -> None:
    with pytest.raises(LocalTimeError) as caught:
        localize(datetime(2018, 11, 4, 1, 30), NEW_YORK)
    assert str(caught.value) == (
        "2018-11-04 01:30 happens twice in America/New_York: the clocks fall back over it (end "
        "of daylight saving time). Choose a time outside the repeated hour, or say which one "
        "with its UTC offset: 2018-11-04T01:30-04:00 is the first, 2018-11-04T01:30-05:00 the "
        "second."
    )


def test_a_plan_with_a_flight_in_the_repeated_hour(tmp_path: Path) -> None:
    """A real timetable: a flight leaves New York at the second 01:30 of 4 Nov 2018."""
    import json

    from helpers import run, small_plan

    data = small_plan()
    trip = data["trips"][0]
    trip.update(first_day="2018-11-02", last_day="2018-11-05", stays=[], activities=[])
    trip["legs"] = [
        {"id": "out", "mode": "flight", "from": "FRA", "to": "JFK",
         "departs": "2018-11-02T10:30", "arrives": "2018-11-02T13:00"},
        {"id": "back", "mode": "flight", "from": "JFK", "to": "FRA",
         "departs": "2018-11-04T01:30:00-05:00", "arrives": "2018-11-04T15:00"},
    ]  # fmt: skip
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    result = run("itinerary", plan, "--format", "json")
    assert result.exit_code == 0, result.output
    (back,) = [e for e in json.loads(result.stdout)["events"] if e["uid"] == "tour/back"]
    assert back["start"] == "2018-11-04T01:30:00-05:00"
    data["trips"][0]["legs"][1]["departs"] = "2018-11-04T01:30"
    plan.write_text(json.dumps(data), encoding="utf-8")
    ambiguous = run("check", plan)
    assert ambiguous.exit_code == 2
    assert "2018-11-04T01:30-05:00 the second" in ambiguous.stderr


def test_a_zone_is_current_by_the_database_or_its_country_table() -> None:
    """Europe/Amsterdam is a link in the compiled database but the Netherlands' zone in
    zone.tab: accepted. Asia/Calcutta is only an alias: refused, naming its current name."""
    assert zone("Europe/Amsterdam").key == "Europe/Amsterdam"
    assert zone("Pacific/Apia").key == "Pacific/Apia"
    with pytest.raises(ValueError) as alias:
        zone("Asia/Calcutta")
    assert "write its current name 'Asia/Kolkata'" in str(alias.value)
