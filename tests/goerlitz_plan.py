"""A plan that is not the bundled one: Görlitz delegates visit Dayton (Eastern time) and Boise
(Mountain time) across the end of US daylight saving time (4 Nov 2018), with a call hosted
in Boise joined from Dayton, a call hosted in Görlitz joined from Boise, a hotel with an
address and host families without one, and a workshop not yet placed."""

from __future__ import annotations

import copy
from typing import Any

GOERLITZ: dict[str, Any] = {
    "version": 1,
    "programme": {
        "name": "Görlitz – Dayton – Boise 2018",
        "year": 2018,
        "organiser": "Städtepartnerschaftsverein",
        "language": "en",
    },
    "communities": [
        {
            "id": "goerlitz",
            "name": "Görlitz",
            "country": "DE",
            "subdivision": "DE-SN",
            "timezone": "Europe/Berlin",
            "address": "Untermarkt 6, 02826 Görlitz",
        },
        {
            "id": "dayton",
            "name": "Dayton",
            "country": "US",
            "timezone": "America/New_York",
            "airports": ["DAY"],
            "address": "101 W Third St, Dayton",
        },
        {
            "id": "boise",
            "name": "Boise",
            "country": "US",
            "timezone": "America/Boise",
            "airports": ["BOI"],
            "address": "150 N Capitol Blvd, Boise",
        },
    ],
    "delegates": [
        {
            "id": "anna",
            "name": "Anna Nowak",
            "home": "goerlitz",
            "contact": "anna@example.org",
            "private": {"passport_expiry": "2027-01-01", "esta": "approved"},
        },
        {"id": "jens", "name": "Jens Richter", "home": "goerlitz", "private": {"esta": "unknown"}},
    ],
    "delegations": [
        {"id": "gr", "name": "Delegation Görlitz", "home": "goerlitz", "members": ["anna", "jens"]}
    ],
    "trips": [
        {
            "id": "usa",
            "title": "Study tour Dayton and Boise",
            "kind": "study_tour",
            "delegations": ["gr"],
            "hosts": ["dayton", "boise"],
            "first_day": "2018-11-02",
            "last_day": "2018-11-08",
            "stays": [
                {
                    "community": "dayton",
                    "name": "Hotel Downtown",
                    "address": "22 N Jefferson St",
                    "check_in": "2018-11-02",
                    "check_out": "2018-11-05",
                },
                {
                    "community": "boise",
                    "lodging": "host_family",
                    "name": "Host families",
                    "check_in": "2018-11-05",
                    "check_out": "2018-11-07",
                    "provisional": True,
                },
            ],
            "legs": [
                {
                    "id": "to-fra",
                    "mode": "train",
                    "from": "goerlitz",
                    "to": "FRA",
                    "departs": "2018-11-02T04:30",
                    "arrives": "2018-11-02T09:30",
                },
                {
                    "id": "out",
                    "mode": "flight",
                    "from": "FRA",
                    "to": "DAY",
                    "carrier": "LH",
                    "number": "440",
                    "departs": "2018-11-02T11:00",
                    "arrives": "2018-11-02T16:00",
                },
                {
                    "id": "west",
                    "mode": "flight",
                    "from": "DAY",
                    "to": "BOI",
                    "departs": "2018-11-05T08:00",
                    "arrives": "2018-11-05T11:10",
                },
                {
                    "id": "back",
                    "mode": "flight",
                    "from": "BOI",
                    "to": "FRA",
                    "departs": "2018-11-07T17:00",
                    "arrives": "2018-11-08T13:00",
                },
                {
                    "id": "home",
                    "mode": "train",
                    "from": "FRA",
                    "to": "goerlitz",
                    "departs": "2018-11-08T14:30",
                    "arrives": "2018-11-08T19:45",
                },
            ],
            "activities": [
                {
                    "id": "welcome",
                    "title": "Welcome at City Hall",
                    "kind": "reception",
                    "community": "dayton",
                    "venue": "City Hall",
                    "start": "2018-11-03T10:00",
                    "end": "2018-11-03T12:00",
                },
                {
                    "id": "boise-call",
                    "title": "Video call with Boise",
                    "kind": "call",
                    "community": "boise",
                    "start": "2018-11-04T14:00",
                    "end": "2018-11-04T15:00",
                },
                {
                    "id": "goerlitz-call",
                    "title": "Call with Görlitz city hall",
                    "kind": "call",
                    "community": "goerlitz",
                    "start": "2018-11-06T15:30",
                    "end": "2018-11-06T16:00",
                },
                {
                    "id": "library",
                    "title": "Library visit",
                    "kind": "site_visit",
                    "community": "boise",
                    "venue": "Boise Public Library",
                    "start": "2018-11-06T10:00",
                    "end": "2018-11-06T12:00",
                    "provisional": True,
                },
                {
                    "id": "workshop",
                    "title": "Action plan workshop",
                    "kind": "workshop",
                    "community": "boise",
                    "duration": "3h",
                    "window_start": "2018-11-06",
                    "window_end": "2018-11-07",
                },
            ],
        }
    ],
}


def goerlitz() -> dict[str, Any]:
    return copy.deepcopy(GOERLITZ)


def goerlitz_with_zgorzelec() -> dict[str, Any]:
    """The plan with an interpreter from Zgorzelec (PL, across the Neisse) in the delegation:
    she walks over to Görlitz for the train, so Zgorzelec names Görlitz its neighbour."""
    plan = goerlitz()
    plan["communities"].append(
        {
            "id": "zgorzelec",
            "name": "Zgorzelec",
            "country": "PL",
            "timezone": "Europe/Warsaw",
            "neighbours": ["goerlitz"],
        }
    )
    plan["delegates"].append(
        {
            "id": "ola",
            "name": "Ola Kowalska",
            "home": "zgorzelec",
            "private": {"passport_expiry": "2027-01-01", "esta": "approved"},
        }
    )
    plan["delegations"][0]["members"].append("ola")
    return plan
