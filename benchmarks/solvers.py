"""The solvers of ``tripplan plan`` on synthetic plans of 5 to 80 flexible activities.

    uv run python benchmarks/solvers.py            # default budget (--max-nodes 300,000)
    uv run python benchmarks/solvers.py --max-nodes 3000000 --sizes 5 10 20

For each size and backend (the search alone, CP-SAT alone, and ``auto``, what ``tripplan
plan`` runs by default: the search, then CP-SAT unless the search proved its answer):
seconds to the first schedule, seconds to the proven optimum (or "not proven" when the
budget ran out first), the objective found, the work counted, and each time as a ratio to
the smallest case of the same backend, all measured in this one run with the default time
limit of ``tripplan plan`` (60 s). Plans come from
``benchmarks/synth.py`` (10 delegates, 60 fixed activities, the same plan for the same
size every time). Preparing the problem (working out every possible start) is timed apart.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import synthesise

from tripplan.loader import validate
from tripplan.models import Plan
from tripplan.planning import cpsat
from tripplan.planning.scheduler import MAX_NODES, build_problem, search

SIZES = (5, 10, 20, 24, 40, 80)
TIME_LIMIT = 60.0  # as tripplan plan's --time-limit


def plan_of(size: int) -> Plan:
    """The benchmark's plan with ``size`` flexible activities (the same every time)."""
    return validate(synthesise(delegates=10, activities=60, flexible=size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-nodes", type=int, default=MAX_NODES)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    args = parser.parse_args()
    backends = [("search", search)]
    if cpsat.available():
        backends += [("cp-sat", cpsat.cp_sat), ("auto", cpsat.both)]
    rows = []
    for size in args.sizes:
        plan = plan_of(size)
        began = time.perf_counter()
        problem = build_problem(plan)
        prepared = time.perf_counter() - began
        for name, solve in backends:
            began = time.perf_counter()
            outcome = solve(problem, time.monotonic() + TIME_LIMIT, args.max_nodes)
            took = time.perf_counter() - began
            first = outcome.first_after
            proven = took if outcome.optimal else None
            cost = ", ".join(map(str, outcome.cost)) if outcome.cost else "-"
            rows.append((size, name, prepared, first, proven, outcome.nodes, outcome.status, cost))
    smallest = {name: next(r for r in rows if r[1] == name) for name, _ in backends}
    print(f"budget: {args.max_nodes:,} steps; times in seconds (ratio to {args.sizes[0]})")
    print(f"{'size':>4} {'solver':<7} {'prepare':>15} {'first schedule':>17} "
          f"{'proven optimum':>17} {'steps':>9}  objective")  # fmt: skip
    for size, name, prepared, first, proven, nodes, status, cost in rows:
        base = smallest[name]
        print(f"{size:>4} {name:<7} {_cell(prepared, base[2], status):>15} "
              f"{_cell(first, base[3], status):>17} {_cell(proven, base[4], status):>17} "
              f"{nodes:>9,}  {cost}")  # fmt: skip


def _cell(value: float | None, reference: float | None, status: str) -> str:
    if value is None:
        return "not proven" if status == "solved" else status
    ratio = value / reference if reference else float("nan")
    return f"{value:7.2f} ({ratio:5.1f}x)"


if __name__ == "__main__":
    main()
