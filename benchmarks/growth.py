"""How tripplan's cost grows with the plan, and how close the export is to its floor.

    uv run python benchmarks/growth.py [--repeat N]

Synthetic plans of 8,000 and 16,000 activities (benchmarks/synth.py, 5 people each, 1,600
and 3,200 delegates; 18,000 or more would pass the limit of 100,000 attendances, legs and
stays included): the time of ``check``, ``itinerary --format json`` and ``export-ics
--split delegate`` on both, the growth (larger / smaller), and the export of the larger plan
as a ratio to ``benchmarks/floor.py`` writing the same calendars with icalendar alone. All
medians of ``--repeat`` runs, measured in this one run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synth import synthesise  # noqa: E402

PYTHON = sys.executable
TRIPPLAN = [str(Path(PYTHON).with_name("tripplan"))]
SIZES = (8_000, 16_000)
"""Activities of 5 people each; with the legs and stays of 3,200 delegates, 16,000 stay
under the 100,000 attendances a plan may have (18,000 already pass it: 100,800)."""


def median(command: list[str], repeat: int, clean: Path | None = None) -> float:
    times = []
    for _ in range(repeat):
        if clean is not None:
            shutil.rmtree(clean, ignore_errors=True)
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - began)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()[-2000:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tripplan-growth-"))
    plans = {}
    for activities in SIZES:
        path = work / f"plan-{activities}.json"
        path.write_text(json.dumps(synthesise(activities // 5, activities)), encoding="utf-8")
        plans[activities] = path
    rows = []
    for name, argv in (
        ("check", ["check"]),
        ("itinerary --format json", ["itinerary", "--format", "json"]),
        (
            "export-ics --split delegate",
            ["export-ics", "--split", "delegate", "--report", "none", "--out"],
        ),
    ):
        seconds = {}
        for size, plan in plans.items():
            out = work / f"out-{size}"
            command = [*TRIPPLAN, *argv[:1], str(plan), *argv[1:]]
            if name.startswith("export"):
                command.append(str(out))
            clean = out if name.startswith("export") else None
            seconds[size] = median(command, args.repeat, clean)
        rows.append((name, seconds[SIZES[0]], seconds[SIZES[1]]))
    floor_out = work / "floor"
    floor = median([PYTHON, str(HERE / "floor.py"), str(plans[SIZES[1]]), str(floor_out)],
                   args.repeat, floor_out)  # fmt: skip
    print(f"{'command':<30} {SIZES[0]:>8,} {SIZES[1]:>8,} {'growth':>7}")
    for name, small, large in rows:
        print(f"{name:<30} {small:>7.2f}s {large:>7.2f}s {large / small:>6.2f}x")
    export = rows[-1][2]
    print(
        f"floor (icalendar alone, {SIZES[1]:,}): {floor:.2f}s; "
        f"export / floor = {export / floor:.2f}x"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
