"""The one account of who is where: named zones, the 2018 DST switches (US 11 Mar / 4 Nov,
EU 25 Mar / 28 Oct), remote calls, walks to a neighbouring town, home between trips."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from goerlitz_plan import goerlitz_with_zgorzelec
from helpers import SMALL_PLAN, run, small_plan

from tripplan import build_itinerary
from tripplan.loader import validate
from tripplan.planning.whereabouts import IN_TRANSIT, Whereabouts, whereabouts_of
from tripplan.schema import plan_schema

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

PLAN: dict[str, Any] = {
    "version": 1,
    "programme": {"name": "Görlitz exchange", "year": 2018, "organiser": "Org"},
    "communities": [
        {"id": "goerlitz", "name": "Görlitz", "country": "DE", "timezone": "Europe/Berlin"},
        {
            "id": "zgorzelec",
            "name": "Zgorzelec",
            "country": "PL",
            "timezone": "Europe/Warsaw",
            "neighbours": ["goerlitz"],  # across the Neisse on foot; either side may say it
        },
        {
            "id": "dayton",
            "name": "Dayton",
            "country": "US",
            "timezone": "America/New_York",
            "airports": ["DAY"],
        },
        {
            "id": "boise",
            "name": "Boise",
            "country": "US",
            "timezone": "America/Boise",
            "airports": ["BOI"],
        },
    ],
    "delegates": [
        {"id": "g1", "name": "Gerda", "home": "goerlitz"},
        {"id": "g2", "name": "Gustav", "home": "goerlitz"},
        {"id": "z1", "name": "Zofia (interpreter)", "home": "zgorzelec"},
        {"id": "d1", "name": "Dana", "home": "dayton"},
        {"id": "b1", "name": "Bo", "home": "boise"},
    ],
    "delegations": [
        {"id": "gr", "name": "Görlitz", "home": "goerlitz", "members": ["g1", "g2", "z1"]},
        {"id": "dy", "name": "Dayton", "home": "dayton", "members": ["d1"]},
    ],
    "trips": [
        {
            "id": "tour",
            "title": "Study tour",
            "kind": "study_tour",
            "delegations": ["gr"],
            "hosts": ["dayton"],
            "first_day": "2018-03-09",
            "last_day": "2018-03-13",
            "stays": [
                {
                    "community": "dayton",
                    "name": "Hotel",
                    "check_in": "2018-03-09",
                    "check_out": "2018-03-12",
                }
            ],
            "legs": [
                {
                    "id": "to-fra",
                    "mode": "train",
                    "from": "goerlitz",
                    "to": "FRA",
                    "departs": "2018-03-09T01:00",
                    "arrives": "2018-03-09T08:00",
                },
                {
                    "id": "out",
                    "mode": "flight",
                    "from": "FRA",
                    "to": "DAY",
                    "departs": "2018-03-09T10:30",
                    "arrives": "2018-03-09T13:30",
                    "carrier": "LH",
                    "number": "9",
                },
                {
                    "id": "back",
                    "mode": "flight",
                    "from": "DAY",
                    "to": "FRA",
                    "departs": "2018-03-12T18:00",
                    "arrives": "2018-03-13T08:00",
                },
                {
                    "id": "home",
                    "mode": "train",
                    "from": "FRA",
                    "to": "goerlitz",
                    "departs": "2018-03-13T10:00",
                    "arrives": "2018-03-13T16:00",
                },
            ],
            "activities": [
                {
                    "id": "meet",
                    "title": "Meeting",
                    "community": "dayton",
                    "start": "2018-03-11T10:00",
                    "end": "2018-03-11T11:00",
                },
                {
                    "id": "call",
                    "title": "Call with Boise",
                    "kind": "call",
                    "community": "boise",
                    "participants": ["g1", "b1"],
                    "start": "2018-03-12T14:00",
                    "end": "2018-03-12T15:00",
                },
            ],
        },
        {
            "id": "visit",
            "title": "Return visit",
            "kind": "return_visit",
            "delegations": ["dy"],
            "hosts": ["goerlitz"],
            "first_day": "2018-10-25",
            "last_day": "2018-10-30",
            "stays": [
                {
                    "community": "goerlitz",
                    "name": "Guest house",
                    "address": "Obermarkt 1",
                    "check_in": "2018-10-26",
                    "check_out": "2018-10-30",
                }
            ],
            "legs": [
                {
                    "id": "in-flight",
                    "mode": "flight",
                    "from": "DAY",
                    "to": "FRA",
                    "departs": "2018-10-25T18:00",
                    "arrives": "2018-10-26T08:00",
                },
                {
                    "id": "in-train",
                    "mode": "train",
                    "from": "FRA",
                    "to": "goerlitz",
                    "departs": "2018-10-26T10:00",
                    "arrives": "2018-10-26T16:00",
                },
                {
                    "id": "out-train",
                    "mode": "train",
                    "from": "goerlitz",
                    "to": "FRA",
                    "departs": "2018-10-30T06:00",
                    "arrives": "2018-10-30T12:00",
                },
                {
                    "id": "out-flight",
                    "mode": "flight",
                    "from": "FRA",
                    "to": "DAY",
                    "departs": "2018-10-30T14:00",
                    "arrives": "2018-10-30T17:00",
                },
            ],
            "activities": [
                {
                    "id": "workshop",
                    "title": "Workshop",
                    "kind": "workshop",
                    "community": "goerlitz",
                    "participants": ["dy", "g1", "g2", "z1"],
                    "start": "2018-10-28T10:00",
                    "end": "2018-10-28T13:00",
                },
                {
                    "id": "dinner",
                    "title": "Dinner",
                    "kind": "meal",
                    "community": "goerlitz",
                    "participants": ["dy", "g1"],
                    "start": "2018-10-28T19:00",
                    "end": "2018-10-28T21:00",
                },
                {
                    "id": "later",
                    "title": "Site visit",
                    "kind": "site_visit",
                    "community": "goerlitz",
                    "duration": "2h",
                    "window_start": "2018-10-29",
                    "window_end": "2018-10-29",
                },
            ],
        },
    ],
}


@pytest.fixture(scope="module")
def account() -> Whereabouts:
    return whereabouts_of(build_itinerary(validate(copy.deepcopy(PLAN))))


def test_the_itinerary_carries_one_account_made_once() -> None:
    itinerary = build_itinerary(validate(copy.deepcopy(PLAN)))
    assert whereabouts_of(itinerary) is whereabouts_of(itinerary)
    from tripplan.itinerary import Filters

    narrowed = itinerary.select(Filters(trip="visit"))
    assert whereabouts_of(narrowed) is whereabouts_of(itinerary)  # of every event


def test_a_moment_query_knows_transit_places_and_zones(account: Whereabouts) -> None:
    on_the_way = account.at("g1", datetime(2018, 3, 9, 12, 0, tzinfo=UTC))
    assert on_the_way.place is IN_TRANSIT and on_the_way.zone == "Europe/Berlin"
    there = account.at("g1", datetime(2018, 3, 10, 12, 0, tzinfo=UTC))
    assert (there.place, there.zone, there.at_home) == ("dayton", "America/New_York", False)
    at_home = account.at("g1", datetime(2018, 3, 8, 12, 0, tzinfo=UTC))
    assert (at_home.place, at_home.at_home) == ("goerlitz", True)


def test_between_trips_a_person_is_at_home(account: Whereabouts) -> None:
    # the Zgorzelec interpreter's last leg ended in Görlitz; months later she is at home
    later = account.at("z1", datetime(2018, 6, 1, 12, 0, tzinfo=UTC))
    assert (later.place, later.zone, later.at_home) == ("zgorzelec", "Europe/Warsaw", True)
    june = account.day("z1", date(2018, 6, 1))
    assert june.at_home and june.places == ("zgorzelec",) and june.night.at_home


def test_a_walk_to_the_neighbouring_town_needs_no_leg(account: Whereabouts) -> None:
    # EU switch to winter time on 28 Oct 2018: the workshop at 10:00 CET is 09:00 UTC
    during = account.at("z1", datetime(2018, 10, 28, 9, 30, tzinfo=UTC))
    assert during.place == "goerlitz"
    day = account.day("z1", date(2018, 10, 28))
    assert day.places == ("zgorzelec", "goerlitz", "zgorzelec")
    assert not day.at_home and day.night.at_home and day.night.place == "zgorzelec"
    (workshop,) = day.events
    assert workshop.start is not None and workshop.start.isoformat() == "2018-10-28T10:00:00+01:00"
    assert workshop.duration == timedelta(hours=3) and not workshop.remote


def test_a_flight_over_the_date_line_of_midnight_and_the_us_dst_switch(
    account: Whereabouts,
) -> None:
    day = account.day("g1", date(2018, 3, 9))
    assert day.places == ("goerlitz", "FRA", "dayton") and day.zone == "America/New_York"
    flight = next(a for a in day.events if a.event.item == "out")
    assert flight.zones == ("Europe/Berlin", "America/New_York")
    assert flight.duration == timedelta(hours=9)  # CET +1 → EST −5
    assert flight.day_shift == 0
    assert day.night.address is None and day.night.check_out == date(2018, 3, 12)
    assert day.night.stay is not None and day.night.place == "dayton"
    # 11 Mar 2018 US clocks go forward: 10:00 EDT is 14:00 UTC and 15:00 at home (CET)
    sunday = account.day("g1", date(2018, 3, 11))
    (meeting,) = sunday.events
    assert meeting.start is not None and meeting.start.utcoffset() == timedelta(hours=-4)
    assert meeting.home_start is not None and meeting.home_start.hour == 15
    assert meeting.home_shift == 0 and meeting.own_start is None
    back = next(a for a in account.day("g1", date(2018, 3, 12)).events if a.event.item == "back")
    assert back.day_shift == 1
    assert account.day("g1", date(2018, 3, 12)).night.place is IN_TRANSIT


def test_a_call_in_another_zone_at_the_persons_own_time(account: Whereabouts) -> None:
    day = account.day("g1", date(2018, 3, 12))
    call = next(a for a in day.events if a.event.item == "call")
    assert call.remote
    assert call.start is not None and call.start.strftime("%H:%M %Z") == "16:00 EDT"
    assert call.own_start is not None and call.own_start.strftime("%H:%M %Z") == "14:00 MDT"
    joined_in_boise = next(
        a for a in account.day("b1", date(2018, 3, 12)).events if a.event.item == "call"
    )
    assert joined_in_boise.own_start is None and not joined_in_boise.remote


def test_an_overnight_flight_stands_under_its_departure_day(account: Whereabouts) -> None:
    day = account.day("d1", date(2018, 10, 25))
    assert day.places == ("dayton", IN_TRANSIT) and day.zone == "America/New_York"
    (flight,) = day.events
    assert flight.day_shift == 1 and flight.duration == timedelta(hours=8)  # EDT → CEST
    arrival = account.day("d1", date(2018, 10, 26))
    assert arrival.places == (IN_TRANSIT, "FRA", "goerlitz")
    assert arrival.zone == "Europe/Berlin" and arrival.night.address == "Obermarkt 1"
    assert arrival.night.check_in == date(2018, 10, 26)
    assert arrival.night.check_out == date(2018, 10, 30)


def test_pending_activities_keep_their_window(account: Whereabouts) -> None:
    (pending,) = account.pending("d1")
    assert pending.event.item == "later"
    assert pending.window_start.isoformat() == "2018-10-29T00:00:00+01:00"
    assert pending.window_end.isoformat() == "2018-10-30T00:00:00+01:00"


def test_a_host_sees_every_passage_of_every_trip(account: Whereabouts) -> None:
    passages = account.passages("goerlitz")
    assert [(p.direction, p.event.uid, len(p.people), len(p.visitors)) for p in passages] == [
        ("departure", "tour/to-fra", 3, 0),  # the interpreter lives next door: a local
        ("arrival", "tour/home", 3, 0),
        ("arrival", "visit/in-train", 1, 1),
        ("departure", "visit/out-train", 1, 1),
    ]
    assert passages[2].pickup == ("d1",) and passages[2].when.hour == 16
    dayton = account.passages("dayton")  # DAY is Dayton's airport
    assert [p.event.uid for p in dayton] == ["tour/out", "tour/back", "visit/in-flight",
                                             "visit/out-flight"]  # fmt: skip


def test_a_host_day_counts_visitors_and_locals_apart(account: Whereabouts) -> None:
    days = {d.day: d for d in account.host_days("goerlitz")}
    sunday = days[date(2018, 10, 28)]
    # the interpreter lives across the river, in the neighbouring town: a local
    assert sunday.visitors == ("d1",)
    (workshop,) = sunday.appointments
    assert workshop.visitors == ("d1",) and workshop.locals == ("g1", "g2", "z1")
    (dinner,) = sunday.meals
    assert (dinner.visitors, dinner.locals) == (("d1",), ("g1",))
    assert sunday.sleeping == 1
    (booking,) = sunday.lodging
    assert booking.check_out == date(2018, 10, 30) and booking.room_nights == 4
    assert date(2018, 10, 30) in days and days[date(2018, 10, 30)].departures


def test_check_flags_a_stay_where_the_person_is_not() -> None:
    data = small_plan()
    data["trips"][0]["stays"][0]["community"] = "home"  # Bautzen, while they are in New York
    findings = build_itinerary(validate(data)).findings
    found = [f for f in findings if f.code == "stay-elsewhere"]
    assert len(found) == 1 and found[0].severity == "error"
    assert set(found[0].ids) == {"tour/stay-home-20180423", "ann", "ben"}
    assert not [f for f in build_itinerary(validate(SMALL_PLAN)).findings
                if f.code == "stay-elsewhere"]  # fmt: skip


def test_every_timed_event_stands_under_one_day_of_each_attendee() -> None:
    """Over generated plans (named zones, 2018 DST switches): each timed event of a person
    is under exactly one of their days, the date of its start where they are then."""
    from generated import plans
    from hypothesis import HealthCheck, given, settings

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(plans())
    def check(data: dict[str, Any]) -> None:
        itinerary = build_itinerary(validate(data))
        account = whereabouts_of(itinerary)
        for delegate in itinerary.plan.delegates:
            days = account.days(delegate.id)
            assert [d.day for d in days] == sorted({d.day for d in days})
            for event in itinerary.for_delegate(delegate.id):
                if event.start is None:
                    continue
                under = [d.day for d in days for a in d.events if a.event.uid == event.uid]
                where = account.at(delegate.id, event.start)
                expected = event.start.astimezone(ZoneInfo(where.zone)).date()
                assert under == [expected], (delegate.id, event.uid)
                (attended,) = [a for d in days for a in d.events if a.event.uid == event.uid]
                assert attended.start is not None and attended.start == event.start
                assert attended.duration == event.end - event.start if event.end else True

    check()


# -- neighbouring towns (a community's ``neighbours``): Zgorzelec (Europe/Warsaw) and
# Görlitz (Europe/Berlin) across the Neisse, on foot ------------------------------------
def _codes(data: dict[str, Any], person: str) -> set[str]:
    itinerary = build_itinerary(validate(data))
    return {f.code for f in itinerary.findings if person in f.people}


def _without_neighbours(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for community in data["communities"]:
        community.pop("neighbours", None)
    return data


def test_an_interpreter_walks_over_the_border_to_the_train() -> None:
    # her first leg leaves Görlitz (DE); she lives in Zgorzelec (PL): no leg is missing
    data = goerlitz_with_zgorzelec()
    assert "missing-leg" not in _codes(data, "ola")
    assert "missing-leg" in _codes(_without_neighbours(data), "ola")  # Frankfurt is no walk


def test_neighbours_are_symmetric_either_side_may_say_it() -> None:
    data = goerlitz_with_zgorzelec()
    data["communities"][-1].pop("neighbours")
    data["communities"][0]["neighbours"] = ["zgorzelec"]  # Görlitz says it instead
    plan = validate(data)
    assert plan.neighbours("zgorzelec") == {"goerlitz"}
    assert plan.neighbours("goerlitz") == {"zgorzelec"}
    assert plan.neighbours("dayton") == frozenset()
    assert "missing-leg" not in _codes(data, "ola")


def test_a_walk_places_her_there_for_the_event_and_back() -> None:
    account = whereabouts_of(build_itinerary(validate(copy.deepcopy(PLAN))))
    # 28 Oct 2018 (EU winter time from 03:00): the workshop 10:00–13:00 CET in Görlitz
    assert account.at("z1", datetime(2018, 10, 28, 9, 30, tzinfo=UTC)).place == "goerlitz"
    after = account.at("z1", datetime(2018, 10, 28, 13, 30, tzinfo=UTC))
    assert (after.place, after.zone, after.at_home) == ("zgorzelec", "Europe/Warsaw", True)
    assert account.near("zgorzelec", "goerlitz") and account.near("goerlitz", "zgorzelec")
    assert not account.near("zgorzelec", "dayton")


def test_an_activity_in_a_town_that_is_no_neighbour_moves_nobody() -> None:
    data = _without_neighbours(PLAN)
    itinerary = build_itinerary(validate(data))
    account = whereabouts_of(itinerary)
    during = account.at("z1", datetime(2018, 10, 28, 9, 30, tzinfo=UTC))
    assert during.place == "zgorzelec"  # no leg, no neighbour: she is not carried there
    wrong = [f for f in itinerary.findings if f.code == "wrong-place"]
    assert [(f.events, f.people) for f in wrong] == [(("visit/workshop",), ("z1",))]
    assert "wrong-place" not in _codes(copy.deepcopy(PLAN), "z1")  # with the neighbours


def test_no_missing_leg_nor_wrong_place_for_the_zgorzelec_interpreter() -> None:
    codes = _codes(copy.deepcopy(PLAN), "z1")
    assert not codes & {"missing-leg", "wrong-place", "stay-elsewhere", "no-lodging"}
    assert "missing-leg" in _codes(_without_neighbours(PLAN), "z1")


def test_a_stay_in_the_neighbouring_town_is_no_stay_elsewhere() -> None:
    # the Dayton guests come by train to Görlitz and sleep across the river in Zgorzelec
    data = copy.deepcopy(PLAN)
    data["trips"][1]["stays"][0]["community"] = "zgorzelec"
    assert "stay-elsewhere" not in _codes(data, "d1")
    assert "stay-elsewhere" in _codes(_without_neighbours(data), "d1")
    account = whereabouts_of(build_itinerary(validate(data)))
    night = account.day("d1", date(2018, 10, 27)).night
    assert night.place == "zgorzelec" and night.check_out == date(2018, 10, 30)


def test_an_unknown_neighbour_is_a_load_error_with_its_line(tmp_path: Path) -> None:
    data = goerlitz_with_zgorzelec()
    data["communities"][-1]["neighbours"] = ["gorlitz"]
    text = json.dumps(data, indent=2, ensure_ascii=False)
    Path("plan.json").write_text(text, encoding="utf-8")
    line = text.splitlines().index('        "gorlitz"') + 1
    result = run("check", "plan.json", "--lang", "en")
    assert result.exit_code == 2
    assert f"plan.json › communities[3].neighbours[0] (line {line}): " in result.stderr
    assert "'gorlitz'" in result.stderr and "Did you mean 'goerlitz'?" in result.stderr


def test_a_community_is_not_its_own_neighbour() -> None:
    data = goerlitz_with_zgorzelec()
    data["communities"][-1]["neighbours"] = ["zgorzelec"]
    with pytest.raises(Exception, match="not its own neighbour"):
        validate(data)


def test_the_schema_knows_neighbours() -> None:
    community = plan_schema()["$defs"]["Community"]["properties"]
    assert community["neighbours"]["type"] == "array"


def test_the_scheduler_lets_a_neighbour_walk_over_to_a_flexible_activity() -> None:
    # a second interpreter from Zgorzelec with no legs at all joins the site visit in Görlitz
    from tripplan import schedule

    data = copy.deepcopy(PLAN)
    data["delegates"].append({"id": "z2", "name": "Zbigniew", "home": "zgorzelec"})
    later = next(a for a in data["trips"][1]["activities"] if a.get("id") == "later")
    later["participants"] = ["dy", "z2"]
    assert schedule(validate(copy.deepcopy(data))).placements  # placed: she walks over
    assert not schedule(validate(_without_neighbours(data))).placements  # "z2 is in Zgorzelec"


def test_the_night_of_an_eastbound_overnight_flight_is_spent_on_the_way() -> None:
    # LH from US host 2 (America/Chicago) 16:00 CDT on 28 Apr lands in Frankfurt 08:30 CEST:
    # the night after 28 April is on board, not at Frankfurt airport (its end + 2 h, 09:00
    # CEST, was already past the landing)
    from helpers import BUNDLED

    from tripplan import load_plan

    account = whereabouts_of(build_itinerary(load_plan(BUNDLED)))
    day = account.day("bz-stadt", date(2018, 4, 28))
    assert day.zone == "America/Chicago" and day.place is IN_TRANSIT
    assert day.night.place is IN_TRANSIT and not day.night.at_home and day.night.stay is None
    assert account.day("us1-a", date(2018, 11, 4)).night.place is IN_TRANSIT  # EST → CET


def test_a_neighbour_is_a_local_not_a_visitor_of_the_host() -> None:
    # the workshop in Görlitz on 28 Oct: the Zgorzelec interpreter counts with the locals
    account = whereabouts_of(build_itinerary(validate(copy.deepcopy(PLAN))))
    workshop = next(h for h in account.host_events("goerlitz") if h.event.item == "workshop")
    assert workshop.locals == ("g1", "g2", "z1") and workshop.visitors == ("d1",)
    (day,) = [h for h in account.host_days("goerlitz") if h.day == date(2018, 10, 28)]
    assert day.visitors == ("d1",)
    apart = whereabouts_of(build_itinerary(validate(_without_neighbours(PLAN))))
    workshop = next(h for h in apart.host_events("goerlitz") if h.event.item == "workshop")
    assert workshop.visitors == ("z1", "d1")  # no neighbour: she comes from elsewhere


def test_a_journey_ends_when_the_leg_home_ends_in_the_neighbouring_town() -> None:
    # the interpreter's trains end in Görlitz; she walks home to Zgorzelec: two journeys
    # (March and June), not one from March to June
    from tripplan.planning.costs import journeys

    data = copy.deepcopy(PLAN)
    data["trips"].append(
        {
            "id": "june",
            "title": "Day in Frankfurt",
            "kind": "study_tour",
            "delegations": ["gr"],
            "first_day": "2018-06-01",
            "last_day": "2018-06-01",
            "legs": [
                {"id": "go", "mode": "train", "from": "goerlitz", "to": "FRA",
                 "departs": "2018-06-01T05:00", "arrives": "2018-06-01T10:00"},
                {"id": "ret", "mode": "train", "from": "FRA", "to": "goerlitz",
                 "departs": "2018-06-01T15:00", "arrives": "2018-06-01T20:00"},
            ],
        }
    )  # fmt: skip
    account = whereabouts_of(build_itinerary(validate(data)))
    mine = [j for j in journeys(account) if j.delegate == "z1"]
    assert [(j.days[0].day, j.days[-1].day) for j in mine] == [
        (date(2018, 3, 9), date(2018, 3, 13)),
        (date(2018, 6, 1), date(2018, 6, 1)),
    ]


def test_what_an_event_is_made_of_is_read_from_its_source() -> None:
    """The account, the host brief, the costs and the views read an event's activity or
    stay from its typed reference, ``Event.source``, never by looking its id up in the plan
    again: given other items as sources, they tell of those."""
    from dataclasses import replace

    from tripplan.itinerary import Itinerary
    from tripplan.models import Activity, Stay
    from tripplan.planning.brief import host_brief
    from tripplan.planning.costs import journeys
    from tripplan.render.common import window_text

    data = copy.deepcopy(SMALL_PLAN)
    data["trips"][0]["activities"].append(
        {"id": "w", "title": "W", "kind": "workshop", "community": "host", "duration": "1h",
         "window_start": "2018-04-24", "window_end": "2018-04-25"}
    )  # fmt: skip
    plan = validate(data)

    def told(event: Any) -> Any:  # the same item, saying something else
        if isinstance(event.source, Stay):
            return replace(event, source=event.source.model_copy(update={"breakfast": True}))
        if isinstance(event.source, Activity) and event.item == "w":
            later = event.source.model_copy(update={"window_start": date(2018, 4, 25)})
            return replace(event, source=later)
        if isinstance(event.source, Activity):
            return replace(event, source=event.source.model_copy(update={"provides_meal": "lunch"}))
        return event

    events = tuple(told(e) for e in build_itinerary(plan).events)
    (pending,) = [e for e in events if e.item == "w"]
    account = Whereabouts.of(plan, events)
    assert [p.window_start.date() for p in account.pending("ann")] == [date(2018, 4, 25)]
    brief = host_brief(Itinerary(plan, events, ()), "host")
    (waiting,) = [a for a in brief.appointments if a.uid == "tour/w"]
    assert waiting.window is not None and waiting.window[0].date() == date(2018, 4, 25)
    assert "25" in window_text(pending, "en") and "24" not in window_text(pending, "en")
    meals = {(m.meal, m.source) for j in journeys(account) for d in j.days for m in d.meals}
    assert meals == {("lunch", "host"), ("breakfast", "stay")}
