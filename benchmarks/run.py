"""Benchmarks that report ratios measured in one run: ``uv run python benchmarks/run.py``.

Every figure is the median of repeated runs of a command, divided by the median of a
baseline measured in the same run on the same machine, so the numbers travel between
machines better than seconds do. Budgets (from the speed issue):

- start-up: ``tripplan --version`` and ``--help`` at most 1.3 x ``python -c "import typer"``;
  ``tripplan itinerary --format json`` (bundled plan) at most 1.8 x
  ``python -c "import typer, pydantic, rich"``;
- growth: for synthetic plans of 200 delegates / 2,000 activities and double that,
  ``itinerary --format json`` and ``export-ics --split delegate`` grow at most 2.3 x, the larger
  run takes under 5 s and its peak memory stays under 300 MB;
- the scheduler on 20, 50 and 100 flexible activities (seconds, and status).

Every run validates its plan: tripplan keeps no plans between runs (it once did, and that
stored personal data; see the privacy issue). Only public reference data (holidays,
airports) is cached, and it is warm in every figure, as on a user's machine.

Options: ``--repeat N`` (default 7), ``--quick`` (fewer repeats, for a smoke test).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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
SCRIPT = Path(PYTHON).with_name("tripplan")  # the console script users run
TRIPPLAN = [str(SCRIPT)] if SCRIPT.is_file() else [PYTHON, "-m", "tripplan"]


def timed(command: list[str], repeat: int, env: dict[str, str]) -> tuple[float, int]:
    """Median wall time in seconds and peak memory (max RSS, KiB) of ``command``."""
    times = []
    peak = 0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return statistics.median(times), peak


def interleaved(
    commands: dict[str, list[str]], repeat: int, env: dict[str, str]
) -> dict[str, float]:
    """Median seconds of each command, run in turns so that a slow moment hits them all."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            times[name].append(timed(command, 1, env)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss(command: list[str], env: dict[str, str]) -> int:
    """Peak RSS (KiB) of one run of ``command``, measured in a fresh child process."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", probe, *command], capture_output=True, text=True, env=env, check=True
    )
    return int(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else args.repeat
    env = {**os.environ, "TRIPPLAN_CACHE_DIR": tempfile.mkdtemp(prefix="tripplan-cache-")}
    # A user's Python keeps bytecode in __pycache__; without it every run compiles every
    # module again (some sandboxes set PYTHONDONTWRITEBYTECODE, doubling every figure).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows: list[tuple[str, str, str, str]] = []

    # Warm the reference-data cache and the bytecode caches once, as a user's machine is.
    for warm in ([PYTHON, "-c", "import typer, pydantic.main, rich"], [*TRIPPLAN, "--help"]):
        subprocess.run(warm, capture_output=True, env=env, check=False)
    subprocess.run(
        [*TRIPPLAN, "itinerary", "-f", "json"], capture_output=True, env=env, check=False
    )

    itinerary = [*TRIPPLAN, "itinerary", "-f", "json"]
    startup = interleaved(
        {
            "typer": [PYTHON, "-c", "import typer"],
            "trio": [PYTHON, "-c", "import typer, pydantic, rich"],
            "version": [*TRIPPLAN, "--version"],
            "help": [*TRIPPLAN, "--help"],
            "itinerary": itinerary,
        },
        repeat * 2,
        env,
    )
    for label, name, base, budget in (
        ("tripplan --version", "version", "typer", 1.3),
        ("tripplan --help", "help", "typer", 1.3),
        ("itinerary --format json (bundled)", "itinerary", "trio", 1.8),
    ):
        seconds, ratio = startup[name], startup[name] / startup[base]
        if budget is None:
            rows.append((label, f"{seconds * 1000:.0f} ms", f"{ratio:.2f} x", ""))
            continue
        verdict = "ok" if ratio <= budget else "OVER"
        rows.append((label, f"{seconds * 1000:.0f} ms", f"{ratio:.2f} x (≤ {budget})", verdict))
    rows.append(("baseline: import typer", f"{startup['typer'] * 1000:.0f} ms", "1.00 x", ""))
    rows.append(
        (
            "baseline: import typer, pydantic, rich",
            f"{startup['trio'] * 1000:.0f} ms",
            "1.00 x",
            "",
        )
    )

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        sizes = ((200, 2000), (400, 4000))
        plans = []
        for delegates, activities in sizes:
            path = folder / f"plan-{delegates}.json"
            path.write_text(json.dumps(synthesise(delegates, activities)), encoding="utf-8")
            plans.append(path)
        for label, make in (
            ("itinerary --format json", lambda p, o: [*TRIPPLAN, "itinerary", str(p), "-f", "json"]),  # noqa: E501
            (
                "export-ics --split delegate",
                lambda p, o: [*TRIPPLAN, "export-ics", str(p), "--split", "delegate",
                              "--out", str(o), "--report", "none"],
            ),
        ):  # fmt: skip
            results = []
            for n, plan in enumerate(plans):
                runs = max(2, repeat // 2)
                out = folder / f"out-{label[:6]}-{n}"
                seconds = []
                for attempt in range(runs):
                    target = out / str(attempt)  # a fresh directory: a first export each time
                    value, _ = timed(make(plan, target), 1, env)
                    seconds.append(value)
                results.append(statistics.median(seconds))
            growth = results[1] / results[0]
            memory = peak_rss(make(plans[1], folder / "rss"), env) / 1024
            rows.append(
                (
                    f"{label}: 200/2,000 → 400/4,000",
                    f"{results[0]:.2f} s → {results[1]:.2f} s",
                    f"{growth:.2f} x (≤ 2.3)",
                    "ok" if growth <= 2.3 and results[1] < 5 else "OVER",
                )
            )
            rows.append(
                (
                    f"{label}: peak memory (larger)",
                    f"{memory:.0f} MB",
                    "(< 300 MB)",
                    "ok" if memory < 300 else "OVER",
                )
            )

        for flexible in (20, 50, 100):
            path = folder / f"flex-{flexible}.json"
            path.write_text(json.dumps(synthesise(20, 60, flexible=flexible)), encoding="utf-8")
            start = time.perf_counter()
            done = subprocess.run(
                [*TRIPPLAN, "plan", str(path), "-f", "json", "--time-limit", "10"],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            seconds = time.perf_counter() - start
            result = json.loads(done.stdout)
            quality = "optimal" if result["optimal"] else "best in 10 s"
            first = result["first_schedule_after_seconds"]
            rows.append(
                (
                    f"plan: {flexible} flexible activities",
                    f"first {first:.2f} s, all {seconds:.2f} s"
                    if first is not None
                    else f"{seconds:.2f} s",
                    f"{result['status']}, {quality}",
                    "",
                )
            )

    width = max(len(r[0]) for r in rows)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    for label, value, ratio, verdict in rows:
        print(f"{label:<{width}}  {value:>22}  {ratio:<24} {verdict}")


if __name__ == "__main__":
    main()
