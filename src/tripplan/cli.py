"""The ``tripplan`` command line: thin commands over the core, one error funnel.

Only this module imports typer and creates rich consoles. Each command parses
its options, calls one core function and hands the result to a renderer or
exporter. Every :class:`~tripplan.errors.TripplanError` ends in :func:`funnel`,
which prints its message and exits with its :class:`~tripplan.errors.ExitCode`.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from tripplan import __version__
from tripplan.errors import ExitCode, PlanError, TripplanError, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from tripplan.itinerary import Itinerary
    from tripplan.loader import PlanSource
    from tripplan.models import Plan

app = typer.Typer(
    name="tripplan",
    help="Plan delegation trips of municipal exchange programmes: itineraries and "
    "calendar files that are right across time zones.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])
INTERNAL_ERROR = 3


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, emoji=False)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _say(message: str) -> None:
    """A note on stderr (never on stdout, which belongs to the output)."""
    from rich.text import Text

    stderr_console().print(Text(message, style="dim"))


def _error(message: str) -> None:
    from rich.text import Text

    text = Text("tripplan: ", style="bold red")
    text.append(message)
    stderr_console().print(text)


def funnel(command: F) -> F:
    """Map every error of a command to its message and exit code: the one funnel."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from rich.text import Text

        try:
            return command(*args, **kwargs)
        except PlanError as exc:
            count = len(exc.problems)
            if count == 1:
                _error(exc.problems[0].render())
            else:
                _error(f"the plan has {count} problems:")
                for problem in exc.problems:
                    stderr_console().print(Text(f"  - {problem.render()}"))
            raise typer.Exit(exc.exit_code) from None
        except TripplanError as exc:
            _error(exc.render())
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            _error("interrupted; nothing was written.")
            raise typer.Exit(130) from None
        except Exception as exc:
            if os.environ.get("TRIPPLAN_DEBUG"):
                raise
            _error(
                f"internal error ({type(exc).__name__}). This is a bug in tripplan; "
                "run again with TRIPPLAN_DEBUG=1 for details and report it."
            )
            raise typer.Exit(INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]


# -- shared options -------------------------------------------------------------

PlanArg = Annotated[
    str | None,
    typer.Argument(
        help="Plan file (TOML or JSON); '-' reads standard input. Default: ./tripplan.toml "
        "if it exists, else the bundled Bautzen 2018 plan.",
        show_default=False,
    ),
]


class Lang(StrEnum):
    de = "de"
    en = "en"


class ItineraryFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


class Audience(StrEnum):
    internal = "internal"
    delegates = "delegates"
    hosts = "hosts"


LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of headings, dates and labels. Default: the plan's."),
]
TripOpt = Annotated[str | None, typer.Option("--trip", help="Only this trip (id).")]


def _source(plan: str | None) -> PlanSource:
    from tripplan.loader import resolve_source

    source = resolve_source(plan)
    if plan is None:
        _say(f"using plan: {source.label} ({source.why})")
    return source


def _load(plan: str | None) -> Plan:
    from tripplan.loader import load_plan

    return load_plan(_source(plan))


def _build(plan: str | None) -> Itinerary:
    from tripplan.planning.build import build_itinerary

    return build_itinerary(_load(plan))


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--day {value!r} is not a date; write it as YYYY-MM-DD") from None


def _write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


# -- commands --------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tripplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Plan delegation trips of municipal exchange programmes."""


@app.command()
@funnel
def itinerary(
    plan: PlanArg = None,
    trip: TripOpt = None,
    delegate: Annotated[
        str | None, typer.Option("--delegate", help="Only this delegate's events (id).")
    ] = None,
    community: Annotated[
        str | None, typer.Option("--community", help="Only events in or to this community.")
    ] = None,
    day: Annotated[
        str | None, typer.Option("--day", help="Only this local day (YYYY-MM-DD).")
    ] = None,
    fmt: Annotated[
        ItineraryFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ItineraryFormat.table,
    lang: LangOpt = None,
    audience: Annotated[
        Audience,
        typer.Option("--audience", help="Who reads it: internal notes only for 'internal'."),
    ] = Audience.internal,
) -> None:
    """Show the itinerary: every leg, activity and stay, day by day, in local time."""
    from tripplan.itinerary import Filters

    selected = _build(plan).select(
        Filters(trip=trip, delegate=delegate, community=community, day=_parse_day(day))
    )
    language = lang.value if lang else selected.plan.programme.language
    internal = audience is Audience.internal
    if fmt is ItineraryFormat.json:
        from tripplan.render.jsonout import render_json

        _write_stdout(render_json(selected, language, internal))
    elif fmt is ItineraryFormat.markdown:
        from tripplan.render.markdown import render_markdown

        _write_stdout(render_markdown(selected, language))
    else:
        from tripplan.render.table import render_table

        stdout_console().print(render_table(selected, language))


@app.command()
@funnel
def check(
    plan: PlanArg = None,
    trip: TripOpt = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.text
    ),
    lang: LangOpt = None,
) -> None:
    """Check the plan: exit 0 when it has no errors, 1 when it has, 2 when it cannot be read."""
    from tripplan.itinerary import Filters

    built = _build(plan)
    selected = built.select(Filters(trip=trip)) if trip else built
    language = lang.value if lang else selected.plan.programme.language
    if fmt is CheckFormat.json:
        import json

        from tripplan.render.jsonout import itinerary_document

        document = itinerary_document(selected, language)
        report = {
            "version": document["version"],
            "ok": not selected.errors,
            "summary": document["summary"],
            "findings": document["findings"],
        }
        _write_stdout(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        from tripplan.render.table import render_findings

        stdout_console().print(render_findings(selected, language))
    if selected.errors:
        raise typer.Exit(ExitCode.PLAN_PROBLEMS)


@app.command()
@funnel
def schema() -> None:
    """Print the JSON Schema of plan files (for editors that validate TOML or JSON)."""
    from tripplan.schema import plan_schema_json

    _write_stdout(plan_schema_json())


@app.command()
@funnel
def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to write tripplan.toml.", show_default=False)
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter plan (tripplan.toml) that passes 'tripplan check'."""
    from tripplan.starter import write_starter

    path = write_starter(directory, force=force)
    typer.echo(f"wrote {path}; edit it, then run 'tripplan check {path}'")


class Split(StrEnum):
    none = "none"
    delegate = "delegate"
    community = "community"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    none = "none"


DEFAULT_AUDIENCE = {
    Split.none: Audience.internal,
    Split.delegate: Audience.delegates,
    Split.community: Audience.hosts,
}


def _now() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (for reproducible exports)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970"
            ) from None
    return datetime.now(UTC)


@app.command("export-ics")
@funnel
def export_ics(
    plan: PlanArg = None,
    trip: TripOpt = None,
    split: Annotated[
        Split,
        typer.Option(
            "--split", help="One calendar for all, one per delegate, or one per host community."
        ),
    ] = Split.none,
    audience: Annotated[
        Audience | None,
        typer.Option(
            "--audience",
            help="Who reads it. Default: internal for --split none, delegates for --split "
            "delegate, hosts for --split community. Internal notes only for 'internal'.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            help="File (--split none; '-' for standard output) or directory. Default: "
            "tripplan.ics, or calendars/ when split.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            help="Language of titles and labels. Default: the plan's; with --split delegate, "
            "each delegate's own when the plan's is not one of theirs.",
            show_default=False,
        ),
    ] = None,
    report: Annotated[
        ReportFormat, typer.Option("--report", help="What was added, changed and cancelled.")
    ] = ReportFormat.text,
) -> None:
    """Write iCalendar files: right times in every zone, updates without duplicates."""
    from tripplan.itinerary import Filters

    selected = _build(plan).select(Filters(trip=trip))
    language = lang.value if lang else selected.plan.programme.language
    who_reads = (audience or DEFAULT_AUDIENCE[split]).value
    if out == "-":
        if split is not Split.none:
            raise UsageError("--out - writes one calendar to standard output; use --split none")
        from tripplan.export.ics import export

        result = export(
            selected,
            split="none",
            audience=who_reads,  # type: ignore[arg-type]
            lang=language,
            now=_now(),
            earlier={},
        )
        sys.stdout.buffer.write(result.files["tripplan.ics"])
        sys.stdout.flush()
        return
    from tripplan.export.ics import export_to_path

    target = Path(out) if out else Path("tripplan.ics" if split is Split.none else "calendars")
    result = export_to_path(
        selected,
        target,
        split=split.value,
        audience=who_reads,  # type: ignore[arg-type]
        lang=language,
        now=_now(),
        lang_fixed=lang is not None,
    )
    if report is ReportFormat.json:
        import json

        document = {
            "directory": str(target if split is not Split.none else target.parent),
            "files": [r.as_dict() for r in result.reports],
            "not_placed": result.skipped,
        }
        _write_stdout(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif report is ReportFormat.text:
        base = (
            target
            if split is not Split.none
            else (target.parent if not target.is_dir() else target)
        )
        for r in result.reports:
            state = "written" if r.written else "unchanged on disk"
            typer.echo(
                f"{base / r.file}: {len(r.added)} added, {len(r.changed)} changed, "
                f"{len(r.cancelled)} cancelled, {r.unchanged} unchanged ({state})"
            )
        if result.skipped:
            typer.echo(f"not exported, no time yet: {', '.join(result.skipped)}")


def main() -> None:
    """Entry point of the ``tripplan`` console script."""
    app()
