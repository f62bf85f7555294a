"""Booklets: every event on its day's page in local time, fonts embedded, nobody else's
private data, a delegate's own reminders only in their own booklet."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from helpers import BUNDLED, run, small_plan

pypdf = pytest.importorskip("pypdf")


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]


def test_every_event_is_on_its_days_page_in_local_time(tmp_path: Path) -> None:
    out = tmp_path / "bz-stadt.pdf"
    result = run("booklet", "--delegate", "bz-stadt", "--out", out, "--lang", "en")
    assert result.exit_code == 0, result.output
    pages = _pages(out)
    document = json.loads(
        run("itinerary", "-f", "json", "--delegate", "bz-stadt", "--lang", "en").stdout
    )
    timed = [e for e in document["events"] if e["start"] is not None]
    assert timed
    for event in timed:
        start = datetime.fromisoformat(event["start"])
        heading = f"{start:%A}, {start:%B} {start.day}, {start:%Y}"  # babel's long date
        page = next(
            (p for p in pages if any(line.startswith(heading) for line in p.splitlines()[:4])),
            None,
        )  # under the running head
        assert page is not None, heading
        flat = " ".join(page.split())
        assert f"{start:%H:%M}" in flat, (event["uid"], heading)
        title_words = event["title"].split()[:2]
        assert " ".join(title_words) in flat, (event["uid"], title_words)


def test_fonts_are_embedded_and_sorbian_and_german_letters_survive(tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    text = BUNDLED.read_text(encoding="utf-8")
    plan.write_text(
        text.replace('name = "Transatlantic Exchange 2018 – Bautzen"',
                     'name = "Transatlantic Exchange 2018 – Bautzen/Budyšin, Straße"'),
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "b.pdf"
    assert run("booklet", plan, "--delegate", "bz-stadt", "--out", out).exit_code == 0
    reader = pypdf.PdfReader(str(out))
    embedded = set()
    for page in reader.pages:
        for reference in page["/Resources"]["/Font"].values():
            font = reference.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (
                descendant[0].get_object()["/FontDescriptor"]
                if descendant
                else font["/FontDescriptor"]
            ).get_object()
            embedded.add(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert embedded == {True}
    text = " ".join(_pages(out))
    for word in ("Budyšin", "Straße", "Begrüßungsabendessen", "für", "Gastkommune"):
        assert word in text, word


def test_only_the_delegates_own_private_data(tmp_path: Path) -> None:
    from helpers import MARKERS, private_plan

    plan = private_plan(tmp_path)
    for fmt in ("pdf", "html"):
        folder = tmp_path / fmt
        result = run("booklet", plan, "--split", "delegate", "--format", fmt, "--out", folder)
        assert result.exit_code == 0, result.output
        for path in sorted(folder.iterdir()):
            text = " ".join(_pages(path)) if fmt == "pdf" else path.read_text()
            for marker in MARKERS.values():
                assert marker not in text, (path.name, marker)
    own = run("booklet", BUNDLED, "--delegate", "bz-buendnis", "-f", "html", "--lang", "en",
              "--out", tmp_path / "own.html")  # fmt: skip
    assert own.exit_code == 0
    html = (tmp_path / "own.html").read_text()
    # check warns about bz-buendnis (no ESTA on record, no passport expiry): their reminders
    assert "Your ESTA or visa for the United States is not on record as approved" in html
    assert "passport&#x27;s expiry date is not on record" in html
    assert "approved</li>" not in html and "not_needed" not in html
    other = run("booklet", BUNDLED, "--delegate", "bz-stadt", "-f", "html", "--lang", "en",
                "--out", tmp_path / "other.html")  # fmt: skip
    assert other.exit_code == 0
    html = (tmp_path / "other.html").read_text()
    assert "Your own reminders" not in html and "ESTA" not in html  # nothing of theirs


def test_the_html_booklet_is_self_contained_with_a_page_per_day_and_a_qr_code(
    tmp_path: Path,
) -> None:
    out = tmp_path / "b.html"
    result = run("booklet", "--delegate", "us1-a", "-f", "html", "--out", out,
                 "--calendar-url", "https://example.org/cal/{delegate}.ics")  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert "src=" not in html  # no external images, fonts or styles
    assert html.count('<section class="day">') >= 7
    assert "break-before: page" in html and "size: A5" in html
    assert "https://example.org/cal/us1-a.ics" in html and "<svg" in html


def test_a_booklet_is_a_delegates_or_the_coordinators_volume(tmp_path: Path) -> None:
    result = run("booklet", "--lang", "en", "--delegate", "bz-stadt", "--split", "delegate")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: give --delegate ID for one booklet or --split delegate for one per "
        "delegate, not both"
    )
    out = tmp_path / "programme.pdf"
    result = run("booklet", "--lang", "en", "--out", out)
    assert result.exit_code == 0, result.output
    text = " ".join(_pages(out))
    assert "Programme of all delegations" in text and "for the coordinators only" in text
    gone = run("booklet", "--all")  # it said what leaving out --delegate says
    assert gone.exit_code == 2 and "No such option: --all" in gone.stderr


def test_golden_text_of_a_small_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole text of a small plan's booklet (PDF) and host brief (Markdown)."""

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1543622400")  # "as of" 1 Dec 2018

    from snapshot import assert_snapshot

    data = small_plan()
    data["delegates"][0]["contact"] = "ann@example.org"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "ann.pdf"
    assert run("booklet", plan, "--delegate", "ann", "--out", out).exit_code == 0
    assert_snapshot("booklet-small-en.txt", "\n\f\n".join(_pages(out)) + "\n")
    brief = run("hosts", "brief", "host", plan, "-f", "markdown")
    assert_snapshot("brief-small-en.md", brief.stdout)


def test_the_readme_pictures_are_made_by_the_script(tmp_path: Path) -> None:
    import importlib.util

    from helpers import ROOT

    spec = importlib.util.spec_from_file_location("pictures", ROOT / "scripts" / "pictures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    made = module.main(tmp_path)
    assert [p.name for p in made] == ["booklet-cover.png", "booklet-day.png", "host-brief.png"]
    for path in made:
        assert path.read_bytes().startswith(b"\x89PNG")
        assert (ROOT / "docs" / "images" / path.name).exists()


def test_each_booklet_speaks_its_delegates_language(tmp_path: Path) -> None:
    """The bundled plan is German; us1-a speaks English only, so their booklet is English
    (unless --lang says otherwise), while bz-stadt's stays German."""
    folder = tmp_path / "b"
    assert run("booklet", "--split", "delegate", "-f", "html", "--out", folder).exit_code == 0
    assert '<html lang="en">' in (folder / "booklet-us1-a.html").read_text()
    assert '<html lang="de">' in (folder / "booklet-bz-stadt.html").read_text()
    forced = tmp_path / "forced.html"
    assert run("booklet", "--delegate", "us1-a", "-f", "html", "--lang", "de", "--out",
               forced).exit_code == 0  # fmt: skip
    assert '<html lang="de">' in forced.read_text()


def test_no_booklet_for_a_delegate_outside_the_selection(tmp_path: Path) -> None:
    """A booklet's dates come from the trips, never from today's date."""
    result = run("booklet", "--delegate", "us1-a", "--trip", "study-tour", "--lang", "en",
                 "--out", tmp_path / "b.pdf")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: 'us1-a' takes part in nothing of this selection; there is no booklet to make"
    )
    assert not (tmp_path / "b.pdf").exists()


def test_a_source_date_epoch_that_is_no_number_is_said_as_for_calendars(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Booklets and calendars read SOURCE_DATE_EPOCH one way (a booklet ignored a bad one)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    for command in (("booklet", "--delegate", "bz-stadt", "--out", tmp_path / "b.pdf"),
                    ("export-ics", "--out", tmp_path / "c.ics")):  # fmt: skip
        result = run(*command, "--lang", "en")
        assert result.exit_code == 2
        assert result.stderr.splitlines()[-1] == (
            "tripplan: SOURCE_DATE_EPOCH='yesterday' is not a number of seconds since 1970"
        )
    assert list(tmp_path.iterdir()) == []
