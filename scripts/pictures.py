"""The pictures in the README, made from the real output: ``uv run python scripts/pictures.py``.

Renders the cover and the first day of bz-stadt's booklet and the first page of
us-host-1's host brief from the bundled plan as PNG (with Typst, the engine of the PDFs)
into docs/images/ (or the folder given).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(folder: Path) -> list[Path]:
    import tripplan
    from tripplan.planning.booklet import booklet
    from tripplan.planning.brief import host_brief
    from tripplan.render.booklet import booklet_document
    from tripplan.render.brief import printed_brief
    from tripplan.render.typeset import typeset_pages
    from tripplan.vocabulary import Lang

    itinerary = tripplan.build_itinerary(tripplan.load_plan(None))
    mine = itinerary.select(tripplan.Filters(delegate="bz-stadt")).in_language(Lang.de)
    book = typeset_pages("booklet.typ", booklet_document(booklet(mine, "bz-stadt"), Lang.de,
                         "a5", "https://example.org/cal/bz-stadt.ics"))  # fmt: skip
    english = itinerary.in_language(Lang.en)  # the texts a reader of English sees, as the CLI
    brief = typeset_pages("brief.typ", printed_brief(host_brief(english, "us-host-1"), Lang.en))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, pages, page in (
        ("booklet-cover.png", book, 0),
        ("booklet-day.png", book, 1),
        ("host-brief.png", brief, 0),
    ):
        (folder / name).write_bytes(pages[page])
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "images"):
        print(path)
