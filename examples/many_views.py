"""Scripted run: many views over one plan, in one process.

    uv run python examples/many_views.py [PLAN] --out DIR

Loads and checks the plan once, then writes for every delegate their itinerary
(Markdown, for delegates: no internal notes, only their own private findings) and
their calendar, for every host community a brief itinerary (HTML, for hosts) and its
calendar, and prints what the scheduler would do with the flexible activities. This is
the way to many runs over one plan: one process, no cache of the plan on disk.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

import tripplan
from tripplan import Audience, Filters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", nargs="?", default=None)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)

    plan = tripplan.load_plan(args.plan)  # read and validated once
    itinerary = tripplan.build_itinerary(plan)  # checked once
    now = datetime(2018, 3, 1, tzinfo=UTC)  # fixed, so the files are the same every run
    args.out.mkdir(parents=True, exist_ok=True)

    for delegate in plan.delegates:
        mine = itinerary.select(Filters(delegate=delegate.id))
        view = mine.for_audience(Audience.delegates, delegate.id)
        (args.out / f"{delegate.id}.md").write_text(tripplan.render_itinerary(view, "markdown"))
        files = tripplan.export_calendars(view, split="delegate", now=now)
        name = f"{delegate.id}.ics"  # (the others in `files`: what they share with this one)
        (args.out / name).write_bytes(files[name])

    hosts = {host for trip in plan.trips for host in trip.hosts}
    for community in plan.communities:
        if community.id not in hosts:
            continue
        theirs = itinerary.select(Filters(community=community.id))
        view = theirs.for_audience(Audience.hosts)
        (args.out / f"host-{community.id}.html").write_text(tripplan.render_itinerary(view, "html"))
        files = tripplan.export_calendars(view, split="community", now=now)
        name = f"{community.id}.ics"
        (args.out / f"host-{name}").write_bytes(files[name])

    result = tripplan.schedule(plan)
    print(f"{len(plan.delegates)} delegates, {len(hosts)} hosts written to {args.out}")
    print(f"errors: {len(itinerary.errors)}; flexible activities: {result.status}", end="")
    print(" (proven optimal)" if result.optimal else "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
