"""Scripted run: each delegate's first and last event; exit 1 when the plan has conflicts.

uv run python examples/first_and_last.py [PLAN]
"""

from __future__ import annotations

import sys

import tripplan


def main(argv: list[str]) -> int:
    plan = tripplan.load_plan(argv[1] if len(argv) > 1 else None)
    itinerary = tripplan.build_itinerary(plan)
    for delegate in plan.delegates:
        mine = [e for e in itinerary.for_delegate(delegate.id) if e.start is not None]
        if not mine:
            print(f"{delegate.id}: no timed events")
            continue
        first, last = mine[0], mine[-1]
        assert first.start is not None and last.end is not None
        print(
            f"{delegate.id}: {first.start:%Y-%m-%d %H:%M %Z} {first.title} … "
            f"{last.end:%Y-%m-%d %H:%M %Z} {last.title}"
        )
    for finding in itinerary.errors:
        print(f"conflict: {tripplan.text(finding.message)}", file=sys.stderr)
    return 1 if itinerary.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
