"""Generated plans for properties: a delegation from Bautzen to one US host in a named zone,
on trips that span the 2018 daylight-saving switches (US 11 Mar / 4 Nov, EU 25 Mar / 28 Oct),
with activities of every kind. Shared by the brief's and the account's properties."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

HOSTS = [
    ("America/New_York", "JFK"),
    ("America/Chicago", "ORD"),
    ("America/Denver", "DEN"),
    ("America/Boise", "BOI"),
    ("America/Los_Angeles", "LAX"),
]
# trips that span the 2018 switches: US 11 Mar / 4 Nov, EU 25 Mar / 28 Oct
STARTS = [date(2018, 3, 8), date(2018, 3, 23), date(2018, 10, 26), date(2018, 11, 2)]
KINDS = ["meeting", "workshop", "meal", "site_visit", "reception"]


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    timezone, airport = draw(st.sampled_from(HOSTS))
    first = draw(st.sampled_from(STARTS))
    nights = draw(st.integers(1, 5))
    last = first + timedelta(days=nights)
    guests = draw(st.integers(1, 4))
    hosts = draw(st.integers(0, 3))
    delegates = [{"id": f"g{n}", "name": f"Guest {n}", "home": "home"} for n in range(guests)]
    delegates += [{"id": f"h{n}", "name": f"Host {n}", "home": "host"} for n in range(hosts)]
    people = [d["id"] for d in delegates]
    activities = []
    for n in range(draw(st.integers(0, 5))):
        day = first + timedelta(days=draw(st.integers(0, nights)))
        hour = draw(st.integers(8, 20))
        attending = draw(st.lists(st.sampled_from(people), min_size=1, unique=True))
        activities.append(
            {
                "id": f"a{n}",
                "title": f"Item {n}",
                "kind": draw(st.sampled_from(KINDS)),
                "community": "host",
                "participants": attending,
                "start": f"{day}T{hour:02}:00",
                "end": f"{day}T{hour + 1:02}:30",
                "off_hours_ok": True,
            }
        )
    stays = []
    split = draw(st.integers(1, nights))
    middle = first + timedelta(days=split)
    stays.append({"community": "host", "check_in": str(first), "check_out": str(middle)})
    if split < nights:
        stays.append(
            {
                "community": "host",
                "name": "Second hotel",
                "address": "Main St 1",
                "check_in": str(first + timedelta(days=split)),
                "check_out": str(last),
            }
        )
    return {
        "version": 1,
        "programme": {"name": "Generated", "year": 2018, "organiser": "Org"},
        "communities": [
            {"id": "home", "name": "Home", "country": "DE", "timezone": "Europe/Berlin"},
            {
                "id": "host",
                "name": "Host",
                "country": "US",
                "timezone": timezone,
                "airports": [airport],
            },
        ],
        "delegates": delegates,
        "delegations": [
            {
                "id": "guests",
                "name": "Guests",
                "home": "home",
                "members": [f"g{n}" for n in range(guests)],
            }
        ],
        "trips": [
            {
                "id": "visit",
                "title": "Visit",
                "kind": "study_tour",
                "delegations": ["guests"],
                "hosts": ["host"],
                "first_day": str(first),
                "last_day": str(last + timedelta(days=1)),
                "stays": stays,
                "legs": [
                    {
                        "id": "out",
                        "mode": "flight",
                        "from": "FRA",
                        "to": airport,
                        "departs": f"{first}T09:00",
                        "arrives": f"{first}T15:00",
                        "carrier": "LH",
                        "number": "1",
                    },
                    {
                        "id": "back",
                        "mode": "flight",
                        "from": airport,
                        "to": "FRA",
                        "departs": f"{last}T17:00",
                        "arrives": f"{last + timedelta(days=1)}T09:00",
                    },
                ],
                "activities": activities,
            }
        ],
    }
