"""``tripplan costs`` against ``tripplan check`` on the same synthetic plans.

    uv run python benchmarks/costs.py [--repeat N]

Synthetic plans with a budget and daily allowances (benchmarks/synth.py ``--costs``) of
800 delegates / 8,000 activities and 1,600 delegates / 16,000 activities: the time of
``check`` and of ``costs`` (CSV, JSON, the terminal table of totals per delegate and the one
with ``--days``, 80 columns) on both, each command's growth (larger / smaller;
linear is 2 ×) and, on the larger plan, ``costs`` as a ratio to ``check`` (budget ≤ 1).
Medians of ``--repeat`` runs, measured in this one run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from growth import TRIPPLAN, median  # noqa: E402
from synth import synthesise  # noqa: E402

SIZES = ((800, 8_000), (1_600, 16_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["COLUMNS"] = "80"  # the tables are laid out for an 80-column terminal
    work = Path(tempfile.mkdtemp(prefix="tripplan-costs-"))
    plans = {}
    for delegates, activities in SIZES:
        path = work / f"plan-{activities}.json"
        plan = synthesise(delegates, activities, costs=True)
        path.write_text(json.dumps(plan), encoding="utf-8")
        plans[activities] = path
    seconds: dict[str, dict[int, float]] = {}
    for name, argv in (
        ("check", ["check"]),
        ("costs --format csv", ["costs", "--format", "csv"]),
        ("costs --format json", ["costs", "--format", "json"]),
        ("costs (table)", ["costs"]),
        ("costs --days (table)", ["costs", "--days"]),
    ):
        seconds[name] = {}
        for size, path in plans.items():
            command = [*TRIPPLAN, argv[0], str(path), *argv[1:]]
            seconds[name][size] = median(command, args.repeat)
    small, large = SIZES[0][1], SIZES[1][1]
    print("| command | 800 × 8,000 | 1,600 × 16,000 | growth |")
    print("|---|---|---|---|")
    for name, times in seconds.items():
        print(
            f"| `{name}` | {times[small]:.2f} s | {times[large]:.2f} s | "
            f"{times[large] / times[small]:.2f} × |"
        )
    for name in list(seconds)[1:]:
        ratio = seconds[name][large] / seconds["check"][large]
        print(f"\n`{name}` / `check` on the larger plan: {ratio:.2f} × (budget ≤ 1)")


if __name__ == "__main__":
    main()
