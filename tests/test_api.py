"""The Python API for scripted runs: one process, one load, the same outputs as the CLI."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, run

import tripplan
from tripplan import Audience, Filters

EPOCH = "1519862400"  # 2018-03-01 00:00 UTC, the example's fixed DTSTAMP


def _example() -> Any:
    spec = importlib.util.spec_from_file_location("many_views", ROOT / "examples" / "many_views.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["many_views"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_many_views_load_the_plan_once_and_match_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tripplan.loader

    loads: list[object] = []
    real = tripplan.loader.load_plan

    def counting(source: object) -> Any:
        loads.append(source)
        return real(source)  # type: ignore[arg-type]

    monkeypatch.setattr(tripplan.loader, "load_plan", counting)
    out = tmp_path / "views"
    assert _example().main(["--out", str(out)]) == 0
    assert len(loads) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"9 delegates, 4 hosts written to {out}",
        "errors: 0; flexible activities: placed (proven optimal)",
    ]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1519862400")
    cli = tmp_path / "cli"
    done = run("export-ics", "--split", "delegate", "--out", cli / "delegates")
    assert done.exit_code == 0, done.output
    for delegate in ("bz-stadt", "us1-a"):
        view = run("itinerary", "-f", "markdown", "--delegate", delegate, "--audience",
                   "delegates").stdout  # fmt: skip
        assert (out / f"{delegate}.md").read_text() == view
        assert (out / f"{delegate}.ics").read_bytes() == (
            cli / "delegates" / f"{delegate}.ics"
        ).read_bytes()
    done = run("export-ics", "--split", "community", "--out", cli / "hosts")
    assert done.exit_code == 0, done.output
    for community in ("bautzen", "us-host-1"):
        view = run("itinerary", "-f", "html", "--community", community, "--audience",
                   "hosts").stdout  # fmt: skip
        assert (out / f"host-{community}.html").read_text() == view
        assert (out / f"host-{community}.ics").read_bytes() == (
            cli / "hosts" / f"{community}.ics"
        ).read_bytes()


def test_a_view_for_delegates_or_hosts_never_shows_private_or_internal_data(
    tmp_path: Path,
) -> None:
    from helpers import leaks, private_plan

    plan = tripplan.load_plan(private_plan(tmp_path))
    itinerary = tripplan.build_itinerary(plan)
    for delegate in plan.delegates:
        view = itinerary.select(Filters(delegate=delegate.id)).for_audience(
            Audience.delegates, delegate.id
        )
        assert view.audience is Audience.delegates
        for fmt in ("markdown", "html", "json"):
            assert leaks(tripplan.render_itinerary(view, fmt)) == []
        for data in tripplan.export_calendars(view, split="delegate").values():
            assert leaks(data.decode()) == []


def test_internal_notes_only_for_the_internal_audience(tmp_path: Path) -> None:
    text = (ROOT / "data" / "bautzen-2018" / "plan.toml").read_text(encoding="utf-8")
    assert 'internal_notes = "' in text
    itinerary = tripplan.build_itinerary(tripplan.load_plan(None))
    note = next(e.internal_notes for e in itinerary.events if e.internal_notes)
    assert note in tripplan.render_itinerary(itinerary, "markdown")
    hosts = itinerary.for_audience(Audience.hosts)
    assert note not in tripplan.render_itinerary(hosts, "markdown")


def test_errors_carry_their_message_as_data(tmp_path: Path) -> None:
    from tripplan.errors import PlanError

    plan = tmp_path / "plan.toml"
    plan.write_text('version = 1\n[programme]\nname = "X"\nyear = 2018\norganiser = "O"\n'
                    'language = "de"\ncolour = 1\n', encoding="utf-8")  # fmt: skip
    with pytest.raises(PlanError) as raised:
        tripplan.load_plan(plan)
    problem = raised.value.problems[0]
    assert (problem.file, problem.path, problem.line) == (str(plan), "programme.colour", 7)
    assert tripplan.text(problem.message, "de").startswith("unbekanntes Feld 'colour'")
    assert tripplan.text(problem.message).startswith("unknown field 'colour'")


def test_calendars_per_delegate_are_for_delegates_unless_told(tmp_path: Path) -> None:
    """As export-ics: a per-delegate or per-host export of an itinerary no reader was chosen
    for holds no coordinator's notes ("Intern: …"); audience="internal" asks for them."""
    itinerary = tripplan.build_itinerary(tripplan.load_plan(None))

    def noted(files: dict[str, bytes]) -> int:
        return sum(b"Intern:" in data for data in files.values())

    assert noted(tripplan.export_calendars(itinerary)) == 1  # one calendar, the coordinators'
    assert noted(tripplan.export_calendars(itinerary, split="delegate")) == 0
    assert noted(tripplan.export_calendars(itinerary, split="community")) == 0
    asked = tripplan.export_calendars(itinerary, split="delegate", audience="internal")
    assert noted(asked) == 5  # the five delegates at an event with a coordinator's note
    tripplan.write_calendars(itinerary, tmp_path / "cal", split="delegate")
    written = {p.name: p.read_bytes() for p in (tmp_path / "cal").glob("*.ics")}
    assert len(written) == 9 and noted(written) == 0
