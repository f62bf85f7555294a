"""Synthetic plans of any size, with the structure of a real exchange programme.

    uv run python benchmarks/synth.py --delegates 200 --activities 2000 --out plan.json
    uv run python benchmarks/synth.py --delegates 10 --activities 60 --flexible 20 --out f.json

Delegations of five travel from home communities in several time zones to host communities
in other zones: each trip has an outbound and a return flight, a stay, and fixed activities
on working days (09:00 to 17:00, no overlaps). ``--flexible`` adds activities with a window
for ``tripplan plan``. The same arguments always give the same plan.
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PLACES = [
    ("bautzen", "Bautzen", "DE", "DE-SN", "Europe/Berlin", "DRS"),
    ("leipzig", "Leipzig", "DE", "DE-SN", "Europe/Berlin", "LEJ"),
    ("jena", "Jena", "DE", "DE-TH", "Europe/Berlin", "ERF"),
    ("boston", "Boston", "US", "US-MA", "America/New_York", "BOS"),
    ("chicago", "Chicago", "US", "US-IL", "America/Chicago", "ORD"),
    ("denver", "Denver", "US", "US-CO", "America/Denver", "DEN"),
    ("seattle", "Seattle", "US", "US-WA", "America/Los_Angeles", "SEA"),
    ("atlanta", "Atlanta", "US", "US-GA", "America/New_York", "ATL"),
]
FLIGHT_HOURS = {"DE": 0, "US": 1}


def _flight(
    ident: str, origin: tuple[str, ...], to: tuple[str, ...], departs: datetime
) -> dict[str, str]:
    """A flight whose arrival is given in the destination's local time."""
    hours = 1.5 if origin[2] == to[2] else 9.5
    start = departs.replace(tzinfo=ZoneInfo(origin[4]))
    end = (start + timedelta(hours=hours)).astimezone(ZoneInfo(to[4]))
    return {
        "id": ident,
        "mode": "flight",
        "from": origin[5],
        "to": to[5],
        "departs": departs.isoformat(timespec="minutes"),
        "arrives": end.replace(tzinfo=None).isoformat(timespec="minutes"),
    }


def synthesise(
    delegates: int, activities: int, flexible: int = 0, seed: int = 2018, costs: bool = False
) -> dict[str, Any]:
    """A plan; ``costs`` adds a budget (invented figures: one funder, fares, lodging) and
    daily allowances (``de-estg`` for German homes, ``flat`` for the others; no foreign rate
    table, so days abroad under ``de-estg`` are reported as missing, never guessed)."""
    rng = random.Random(seed)
    groups = max(1, delegates // 5)
    plan: dict[str, Any] = {
        "version": 1,
        "programme": {
            "name": f"Synthetic exchange {delegates}x{activities}",
            "year": 2018,
            "organiser": "Benchmark",
            "language": "en",
        },
        "communities": [
            {
                "id": ident,
                "name": name,
                "country": country,
                "subdivision": sub,
                "timezone": tz,
                "airports": [iata],
            }
            for ident, name, country, sub, tz, iata in PLACES
        ],
        "delegates": [],
        "delegations": [],
        "trips": [],
    }
    per_trip = [activities // groups + (1 if n < activities % groups else 0) for n in range(groups)]
    flex_per_trip = [
        flexible // groups + (1 if n < flexible % groups else 0) for n in range(groups)
    ]
    for group in range(groups):
        home = PLACES[group % len(PLACES)]
        host = PLACES[(group * 3 + 1) % len(PLACES)]
        if host[0] == home[0]:
            host = PLACES[(group + 4) % len(PLACES)]
        members = []
        for n in range(5 if group < groups - 1 else delegates - 5 * (groups - 1)):
            ident = f"g{group}-d{n}"
            members.append(ident)
            plan["delegates"].append(
                {
                    "id": ident,
                    "name": f"Delegate {n} of group {group}",
                    "home": home[0],
                    "private": {
                        "phone": f"+49 000 {group:04d}{n:02d}",
                        "passport_expiry": "2030-01-01",
                        "esta": "approved",
                    },
                }
            )
        delegation: dict[str, Any] = {
            "id": f"g{group}",
            "name": f"Group {group}",
            "home": home[0],
            "members": members,
        }
        if costs:
            delegation["allowances"] = (
                {"rules": "de-estg", "funder": "fund"}
                if home[2] == "DE"
                else {"rules": "flat", "amount": "40", "partial": "20", "currency": "USD"}
            )
        plan["delegations"].append(delegation)
        count = per_trip[group]
        # Five fixed slots on each working day, then free days for the flexible activities.
        weeks = max(1, -(-(count + 5 * flex_per_trip[group]) // 25))
        first = date(2018, 4, 2) + timedelta(days=7 * (group % 26))  # a Monday
        last = first + timedelta(days=7 * weeks + 4)
        trip: dict[str, Any] = {
            "id": f"trip-{group}",
            "title": f"Visit of group {group} to {host[1]}",
            "kind": "study_tour",
            "delegations": [f"g{group}"],
            "hosts": [host[0]],
            "first_day": first.isoformat(),
            "last_day": (last + timedelta(days=1)).isoformat(),
            "stays": [
                {
                    "community": host[0],
                    "check_in": first.isoformat(),
                    "check_out": last.isoformat(),
                }
            ],
            "legs": [
                _flight("out", home, host, datetime(first.year, first.month, first.day, 7)),
                _flight("back", host, home, datetime(last.year, last.month, last.day, 10)),
            ],
            "activities": [],
        }
        if costs:
            trip["legs"][0]["cost"] = {"amount": "900.00", "currency": "EUR", "per": "person",
                                       "funder": "fund", "invented": True}  # fmt: skip
            trip["stays"][0]["cost"] = {
                "amount": "95.50",
                "currency": "USD",
                "per": "person_night",
                "invented": True,
                "shares": [{"funder": "fund", "percent": "60"}],
            }
            trip["stays"][0]["breakfast"] = True
        workdays = [first + timedelta(days=d) for d in range(1, 7 * weeks + 4)]
        workdays = [d for d in workdays if d.weekday() < 5]
        slots = [(9, 0), (10, 30), (13, 0), (14, 30), (16, 0)]
        kinds = ["meeting", "site_visit", "briefing", "workshop", "meal"]
        for n in range(count):
            day = workdays[n // len(slots)]
            hour, minute = slots[n % len(slots)]
            start = datetime(day.year, day.month, day.day, hour, minute)
            trip["activities"].append(
                {
                    "id": f"a{n}",
                    "title": f"Appointment {n} of group {group}",
                    "kind": kinds[n % len(kinds)],
                    "community": host[0],
                    "venue": f"Venue {rng.randint(1, 4)}",
                    "start": start.isoformat(timespec="minutes"),
                    "end": (start + timedelta(minutes=60)).isoformat(timespec="minutes"),
                    "off_hours_ok": True,
                }
            )
        free_days = workdays[-(-count // len(slots)) :] or workdays[-1:]
        for n in range(flex_per_trip[group]):
            window = free_days[n % len(free_days)]
            trip["activities"].append(
                {
                    "id": f"f{n}",
                    "title": f"Flexible {n} of group {group}",
                    "kind": "workshop",
                    "community": host[0],
                    "duration": f"{rng.choice([30, 45, 60, 90])}m",
                    "window_start": window.isoformat(),
                    "window_end": free_days[-1].isoformat(),
                    "preferred": rng.choice([None, "morning", "afternoon"]),
                }
            )
            if trip["activities"][-1]["preferred"] is None:
                del trip["activities"][-1]["preferred"]
        plan["trips"].append(trip)
    if costs:
        plan["budget"] = {
            "currency": "EUR",
            "invented": True,
            "funders": [{"id": "fund", "name": "Benchmark fund"}],
            "exchange_rates": [
                {"from": "EUR", "to": "USD", "rate": "1.25", "date": "2018-01-01",
                 "source": "invented for the benchmark"}
            ],
        }  # fmt: skip
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, required=True)
    parser.add_argument("--activities", type=int, required=True)
    parser.add_argument("--flexible", type=int, default=0)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--costs", action="store_true", help="add a budget and allowances")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    plan = synthesise(args.delegates, args.activities, args.flexible, args.seed, args.costs)
    args.out.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    print(
        f"wrote {args.out}: {len(plan['delegates'])} delegates, "
        f"{sum(len(t['activities']) for t in plan['trips'])} activities, "
        f"{len(plan['trips'])} trips"
    )


if __name__ == "__main__":
    main()
