"""The HTML booklets and host briefs in a real browser: Debian's chromium, headless and
offline, loads each page without a console error, takes a screenshot and prints it to PDF;
the page's text has every event's local time and title."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from helpers import run

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and os.environ.get("TRIPPLAN_REQUIRE_BROWSER"):
    raise RuntimeError("chromium is required here (.ci/run installs it)")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

OFFLINE = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--proxy-server=127.0.0.1:9",  # nothing may load from elsewhere
    "--enable-logging=stderr",
    "--v=0",
]


def _chromium(page: Path, tmp: Path, *action: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, *OFFLINE, f"--user-data-dir={tmp / 'profile'}", *action, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ("CONSOLE" in line and "ERROR" in line)
            or "Uncaught" in line]  # fmt: skip


def test_a_booklet_loads_prints_and_shows_every_event(tmp_path: Path) -> None:
    page = tmp_path / "booklet.html"
    made = run("booklet", "--delegate", "bz-stadt", "-f", "html", "--lang", "en", "--out", page,
               "--calendar-url", "https://example.org/cal/{delegate}.ics")  # fmt: skip
    assert made.exit_code == 0, made.output
    dom = _chromium(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert _console_errors(dom.stderr) == []
    text = " ".join(dom.stdout.split())
    document = json.loads(
        run("itinerary", "-f", "json", "--delegate", "bz-stadt", "--lang", "en").stdout
    )
    for event in document["events"]:
        if event["start"] is None:
            continue
        start = datetime.fromisoformat(event["start"])
        assert f"{start:%H:%M}" in text, event["uid"]
        assert " ".join(event["title"].split()[:2]) in text, event["uid"]
    shot = tmp_path / "shot.png"
    done = _chromium(page, tmp_path, f"--screenshot={shot}", "--window-size=800,1100")
    assert done.returncode == 0 and shot.stat().st_size > 10_000
    pdf = tmp_path / "printed.pdf"
    done = _chromium(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert done.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    assert len(pypdf.PdfReader(str(pdf)).pages) >= 10  # a page per day, as printed


def test_a_host_brief_loads_without_errors(tmp_path: Path) -> None:
    page = tmp_path / "brief.html"
    made = run("hosts", "brief", "us-host-1", "-f", "html", "--lang", "en", "--out", page)
    assert made.exit_code == 0, made.output
    dom = _chromium(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0
    assert _console_errors(dom.stderr) == []
    assert "Arrivals and departures" in dom.stdout and "Frankfurt am Main FRA" in dom.stdout
