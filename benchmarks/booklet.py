"""How long the booklets of the bundled plan take: ``uv run python benchmarks/booklet.py``.

Reports the wall time of ``tripplan booklet --split delegate`` (every delegate's PDF) and of
typesetting the booklets in process, each as a ratio to compiling an empty Typst document
with the same engine, measured in this one run (medians of ``--repeat``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRIPPLAN = str(Path(sys.executable).with_name("tripplan"))


def median_of(repeat: int, work: object) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import typst

    import tripplan
    from tripplan.planning.booklet import booklet
    from tripplan.render.booklet import booklet_document, render_booklet_pdf
    from tripplan.vocabulary import Lang

    empty = median_of(args.repeat, lambda: typst.compile(b"", ignore_system_fonts=True))
    itinerary = tripplan.build_itinerary(tripplan.load_plan(None))
    people = [d.id for d in itinerary.plan.delegates if itinerary.for_delegate(d.id)]

    def typeset() -> None:
        for person in people:
            mine = itinerary.select(tripplan.Filters(delegate=person))
            render_booklet_pdf(booklet_document(booklet(mine, person), Lang.de))

    in_process = median_of(args.repeat, typeset)
    out = Path(tempfile.mkdtemp(prefix="tripplan-booklets-"))
    command = [TRIPPLAN, "booklet", "--split", "delegate", "--out", str(out), "-q"]
    whole = median_of(args.repeat, lambda: subprocess.run(command, check=True))
    print(f"empty Typst document:                   {empty * 1000:7.1f} ms")
    print(
        f"{len(people)} booklets typeset in process:        {in_process * 1000:7.1f} ms "
        f"({in_process / empty:.0f} × empty, {in_process / len(people) / empty:.0f} × per booklet)"
    )
    print(f"tripplan booklet --split delegate (all): {whole * 1000:7.1f} ms (budget 2,000 ms)")


if __name__ == "__main__":
    main()
