"""The floor for ``export-ics --split delegate``: the same calendar files, written by a plain
script with icalendar alone (no validation, no checks, no merging with earlier files).

    uv run python benchmarks/floor.py PLAN.json OUT_DIR

Reads a synthetic plan (benchmarks/synth.py) with ``json``, and for every delegate writes
``<id>.ics`` with one VEVENT per leg, activity and stay they take part in: UID, DTSTAMP,
SEQUENCE, SUMMARY, DTSTART/DTEND in the zone of the place (airports' zones from
airportsdata), LOCATION, CATEGORIES, STATUS, an alarm before each flight, and one
VTIMEZONE per zone. tripplan does all of that and more; ``benchmarks/growth.py`` reports
its time as a ratio to this script's.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo


def main(plan_path: str, out: str) -> None:
    import json

    import airportsdata
    from icalendar import Alarm, Calendar, Event, Timezone

    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    airports = airportsdata.load("IATA")
    zones = {c["id"]: c["timezone"] for c in plan["communities"]}
    members = {g["id"]: g["members"] for g in plan["delegations"]}
    stamp = datetime(2018, 3, 1, tzinfo=UTC)

    def zone_of(place: str) -> ZoneInfo:
        return ZoneInfo(zones[place] if place in zones else airports[place]["tz"])

    events: dict[str, list[Event]] = defaultdict(list)
    used: dict[str, set[str]] = defaultdict(set)
    for trip in plan["trips"]:
        people = [p for g in trip["delegations"] for p in members[g]]
        items = []
        for leg in trip["legs"]:
            start = datetime.fromisoformat(leg["departs"]).replace(tzinfo=zone_of(leg["from"]))
            end = datetime.fromisoformat(leg["arrives"]).replace(tzinfo=zone_of(leg["to"]))
            items.append((leg["id"], f"{leg['from']} → {leg['to']}", start, end, leg["mode"]))
        for activity in trip["activities"]:
            if "start" not in activity:
                continue
            tz = zone_of(activity["community"])
            start = datetime.fromisoformat(activity["start"]).replace(tzinfo=tz)
            end = datetime.fromisoformat(activity["end"]).replace(tzinfo=tz)
            items.append((activity["id"], activity["title"], start, end, activity["kind"]))
        for item, title, start, end, kind in items:
            event = Event()
            event.add("uid", f"{trip['id']}.{item}@floor.invalid")
            event.add("dtstamp", stamp)
            event.add("sequence", 0)
            event.add("summary", title)
            event.add("dtstart", start)
            event.add("dtend", end)
            event.add("categories", [kind])
            event.add("status", "CONFIRMED")
            if kind == "flight":
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", title)
                alarm.add("trigger", -timedelta(hours=3))
                event.add_component(alarm)
            for person in people:
                events[person].append(event)
                used[person] |= {str(start.tzinfo), str(end.tzinfo)}
        for stay in trip.get("stays", []):
            event = Event()
            event.add("uid", f"{trip['id']}.stay-{stay['community']}@floor.invalid")
            event.add("dtstamp", stamp)
            event.add("summary", f"Stay: {stay['community']}")
            event.add("dtstart", date.fromisoformat(stay["check_in"]))
            event.add("dtend", date.fromisoformat(stay["check_out"]))
            for person in people:
                events[person].append(event)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    timezones = {key: Timezone.from_tzid(key) for keys in used.values() for key in keys}
    for person, mine in events.items():
        calendar = Calendar()
        calendar.add("prodid", "-//floor//EN")
        calendar.add("version", "2.0")
        for key in sorted(used[person]):
            calendar.add_component(timezones[key])
        for event in mine:
            calendar.add_component(event)
        (folder / f"{person}.ics").write_bytes(calendar.to_ical())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
