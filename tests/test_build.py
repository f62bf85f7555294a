"""The builder: exact instants across zones and DST, stable ids, determinism."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from helpers import BUNDLED, Build

from tripplan import build_itinerary, load_plan
from tripplan.render.jsonout import render_json


def utc(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.astimezone(UTC).replace(tzinfo=None)


def test_flight_departs_in_origin_zone_and_arrives_in_destination_zone(
    small_itinerary: Build,
) -> None:
    leg = small_itinerary().event("tour/out")
    assert leg.timezone == "Europe/Berlin"
    assert leg.end_timezone == "America/New_York"
    assert leg.start.isoformat() == "2018-04-23T10:30:00+02:00"
    assert leg.end.isoformat() == "2018-04-23T13:00:00-04:00"
    assert utc(leg.start) == datetime(2018, 4, 23, 8, 30)
    assert utc(leg.end) == datetime(2018, 4, 23, 17, 0)


def test_meeting_in_new_york_after_us_dst_switch(small_itinerary: Build) -> None:
    meeting = small_itinerary().event("tour/meet")
    assert utc(meeting.start) == datetime(2018, 4, 24, 13, 0)


def test_bundled_plan_instants() -> None:
    itinerary = build_itinerary(load_plan(BUNDLED))
    # 09:00 in Bautzen on 6 November 2018 (CET, after the EU switch of 28 October) is 08:00 UTC.
    assert utc(itinerary.event("return-visit/practitioners-bz").start) == datetime(
        2018, 11, 6, 8, 0
    )
    # 09:00 in the first US host (assumed New York time) on 24 April 2018 is 13:00 UTC.
    assert utc(itinerary.event("study-tour/policy-1").start) == datetime(2018, 4, 24, 13, 0)
    # The US delegates leave on 4 November, the day the US returns to standard time:
    # 18:00 EST is 23:00 UTC; they land in Frankfurt at 07:30 CET = 06:30 UTC.
    leg = itinerary.event("return-visit/us1-longhaul")
    assert (utc(leg.start), utc(leg.end)) == (
        datetime(2018, 11, 4, 23, 0),
        datetime(2018, 11, 5, 6, 30),
    )
    stay = itinerary.event("study-tour/stay-us-host-1-20180420")
    assert (stay.first_day.isoformat(), stay.last_day.isoformat()) == ("2018-04-20", "2018-04-24")


def test_events_are_in_time_order_with_unplaced_last() -> None:
    events = build_itinerary(load_plan(BUNDLED)).events
    placed = [e for e in events if e.placed]
    assert [e.sort_key() for e in placed] == sorted(e.sort_key() for e in placed)
    assert [e.uid for e in events if not e.placed] == [
        "return-visit/action-plan-review",
        "study-tour/action-plan-1",
        "study-tour/action-plan-2",
    ]
    assert all(e.placed for e in events[: len(placed)])


def test_ids_are_stable_when_another_activity_changes(small_itinerary: Build) -> None:
    before = small_itinerary()

    def rename(data: dict[str, Any]) -> None:
        lunch = {
            "id": "lunch",
            "title": "Lunch",
            "kind": "meal",
            "community": "host",
            "start": "2018-04-24T12:00",
            "end": "2018-04-24T13:00",
        }
        data["trips"][0]["activities"].insert(0, lunch)
        data["trips"][0]["activities"][1]["title"] = "Renamed meeting"

    after = small_itinerary(rename)
    assert {e.uid for e in before.events} <= {e.uid for e in after.events}
    assert after.event("tour/meet").title == "Renamed meeting"


def test_same_input_same_output_byte_for_byte() -> None:
    first = render_json(build_itinerary(load_plan(BUNDLED)), "de")
    second = render_json(build_itinerary(load_plan(BUNDLED)), "de")
    assert first == second


def test_attendees_expand_delegations_in_plan_order() -> None:
    itinerary = build_itinerary(load_plan(BUNDLED))
    assert itinerary.event("return-visit/steinhaus-visit").attendees == (
        "bz-steinhaus",
        "us1-a",
        "us1-b",
        "us2-a",
        "us2-b",
    )
