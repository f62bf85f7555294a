"""Start-up of a short command as a user meets it: ``uv run python benchmarks/startup.py``.

Paired runs (each round runs every command once, in turn) with bytecode caches as an
installed user has them, the plan's bytes changed before every tripplan run (so nothing
could be remembered between runs), medians of ``--repeat`` rounds. Reports:

- ``tripplan itinerary --format json`` on the bundled plan as a ratio to
  ``python -c "import typer, pydantic, rich"`` (target 2.5; #24) and to ``khal list`` on an
  empty calendar (target 0.6; khal is a development dependency), with the share of it that
  any program pays which validates one pydantic model (:data:`FLOOR`);
- ``tripplan --version`` as a ratio to ``python -c "import typer"`` (target 1.2);
- what each phase of one cold itinerary run costs (``tripplan -v``).

Each figure is given twice: wall clock, and the CPU time (user + system) of the child
process, which a machine shared with other work disturbs much less.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
TRIPPLAN = str(BIN / "tripplan")
KHAL = str(BIN / "khal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tripplan-startup-"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TRIPPLAN_CACHE_DIR"] = str(work / "cache")  # reference data: warm after round one
    env["PYDANTIC_DISABLE_PLUGINS"] = "__all__"  # as tripplan sets it (cli/__init__.py)
    plan = work / "plan.toml"
    original = (ROOT / "data" / "bautzen-2018" / "plan.toml").read_text(encoding="utf-8")
    calendars = work / "calendars" / "empty"
    calendars.mkdir(parents=True)
    config = work / "khal.conf"
    config.write_text(
        f"[calendars]\n[[empty]]\npath = {calendars}\n\n[locale]\ntimeformat = %H:%M\n"
        "dateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n",
        encoding="utf-8",
    )
    commands = {
        "import typer": [PYTHON, "-c", "import typer"],
        "import typer, pydantic, rich": [PYTHON, "-c", "import typer, pydantic, rich"],
        "... and validate one model": [PYTHON, "-c", FLOOR],
        "khal list (empty)": [KHAL, "-c", str(config), "list"],
        "tripplan --version": [TRIPPLAN, "--version"],
        "tripplan itinerary --format json": [TRIPPLAN, "itinerary", str(plan), "-f", "json"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    load = os.getloadavg()[0]
    for round_ in range(args.repeat + 2):  # two warm-up rounds: bytecode and reference data
        for name, command in commands.items():
            if "itinerary" in name:
                plan.write_text(original + f"\n# run {round_}\n", encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            began = time.perf_counter()
            done = subprocess.run(command, capture_output=True, env=env, check=False)
            took = time.perf_counter() - began
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            if done.returncode != 0:
                raise SystemExit(f"{name} failed:\n{done.stderr.decode()[-2000:]}")
            if round_ >= 2:
                times[name].append(took)
                cpu[name].append(used)
    print(f"load average (1 min): {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"{'':<36} {'wall':>7}    {'CPU':>7}")
    for name in commands:
        wall, spent = statistics.median(times[name]), statistics.median(cpu[name])
        print(f"{name:<36} {wall * 1000:7.0f} ms {spent * 1000:7.0f} ms")
    _ratios("wall clock", {name: statistics.median(values) for name, values in times.items()})
    _ratios("CPU time", {name: statistics.median(values) for name, values in cpu.items()})
    print("\nphases of one run (tripplan -v):")
    plan.write_text(original + "\n# phases\n", encoding="utf-8")
    phases = subprocess.run(
        [TRIPPLAN, "itinerary", str(plan), "-f", "json", "-v"],
        capture_output=True, env=env, check=False, text=True,
    )  # fmt: skip
    print(phases.stderr.rstrip())
    shutil.rmtree(work, ignore_errors=True)


FLOOR = (
    "import typer, pydantic, rich\n"
    "from pydantic import BaseModel\n"
    "class One(BaseModel):\n"
    "    x: int = 1\n"
    "One(x=2)\n"
)
"""The least any program that validates with pydantic pays: ``import pydantic`` is lazy, so
the baseline above loads none of pydantic's model machinery; the first model class loads
it, and the first validation builds a schema and pydantic's plugin loader (which imports
``importlib.metadata`` even when plugins are switched off)."""


def _ratios(what: str, median: dict[str, float]) -> None:
    itinerary = median["tripplan itinerary --format json"]
    baseline = median["import typer, pydantic, rich"]
    floor = median["... and validate one model"]
    print(f"\n{what}:")
    print(f"itinerary / import typer, pydantic, rich = {itinerary / baseline:.2f} (target 2.5)")
    print(
        f"  of which pydantic's floor (one model validated) = {floor / baseline:.2f}, "
        f"tripplan's own work = {(itinerary - floor) / baseline:.2f}"
    )
    print(
        f"itinerary / khal list (empty) = {itinerary / median['khal list (empty)']:.2f} "
        "(target 0.6)"
    )
    print(
        f"--version / import typer = "
        f"{median['tripplan --version'] / median['import typer']:.2f} (target 1.2)"
    )


if __name__ == "__main__":
    main()
