"""Commands that write files: schema, init and export-ics."""

# No "from __future__ import annotations" here: typer reads these signatures on every run,
# and evaluating string annotations each time costs more than the whole --version command.

import sys
from pathlib import Path
from typing import Annotated

import typer

from tripplan.cli.app import (
    CalendarAudienceOpt,
    CalendarsOutOpt,
    PlanArg,
    QuietOpt,
    ReaderLangOpt,
    ReportOpt,
    SplitOpt,
    TripOpt,
    VerboseOpt,
    _build,
    _language,
    _now,
    _say,
    _t,
    _write_stdout,
    answers_in_json,
    command_module,
    echo,
    examples,
    funnel,
    progress,
)
from tripplan.errors import UsageError
from tripplan.messages import msg
from tripplan.vocabulary import Report, Split

commands = command_module()


@commands.command(
    epilog=examples(
        "tripplan schema > tripplan.schema.json",
        "tripplan schema | jq '.properties | keys'",
    )
)
@funnel
def schema(
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Print the JSON Schema of plan files (for editors that validate TOML or JSON)."""
    from tripplan.schema import plan_schema_json

    _write_stdout(plan_schema_json())


@commands.command(
    epilog=examples(
        "tripplan init",
        "tripplan init exchange-2019 && tripplan check exchange-2019/tripplan.toml",
    )
)
@funnel
def init(
    directory: Annotated[
        Path,
        typer.Argument(
            help="Where to write tripplan.toml.", show_default=False, metavar="DIRECTORY"
        ),
    ] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Write a commented starter plan (tripplan.toml) that passes 'tripplan check'."""
    from tripplan.starter import write_starter

    path = write_starter(directory, force=force)
    _say(_t(msg("wrote {path}; edit it, then run 'tripplan check {path}'", path=str(path))))


@commands.command(
    "export-ics",
    epilog=examples(
        "tripplan export-ics plan.toml --out all.ics",
        "tripplan export-ics plan.toml --split delegate --out calendars/",
        "tripplan export-ics plan.toml --trip colloquium --out - > colloquium.ics",
    ),
)
@funnel
def export_ics(
    plan: PlanArg = None,
    trip: TripOpt = None,
    split: SplitOpt = Split.none,
    audience: CalendarAudienceOpt = None,
    out: CalendarsOutOpt = None,
    lang: ReaderLangOpt = None,
    report: ReportOpt = Report.text,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Export even when most earlier events would be replaced by new UIDs."
        ),
    ] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Write iCalendar files: right times in every zone, updates without duplicates."""
    from tripplan.itinerary import Filters

    if out == "-" and split is not Split.none:
        raise UsageError(msg("--out - writes one calendar to standard output; use --split none"))
    if out == "-" and report is Report.json:
        raise UsageError(
            msg(
                "--out - writes the calendar to standard output, where --report json would "
                "write its report too; leave out one of them"
            )
        )
    answers_in_json(report is Report.json)
    selected = _build(plan, writes=None if out == "-" else "export-ics").select(Filters(trip=trip))
    language = _language(lang, selected.plan)
    who_reads = split.audience(audience)
    if out == "-":
        from tripplan.export.ics import export

        result = export(
            selected,
            split=Split.none,
            audience=who_reads,
            lang=language,
            now=_now(),
            earlier={},
        )
        sys.stdout.buffer.write(result.files["tripplan.ics"])
        sys.stdout.flush()
        return
    from tripplan.export.ics import export_to_path

    target = Path(out) if out else Path("tripplan.ics" if split is Split.none else "calendars")
    with progress(msg("calendars")) as update:
        result = export_to_path(
            selected,
            target,
            split=split,
            audience=who_reads,
            lang=language,
            now=_now(),
            lang_fixed=lang is not None,
            force=force,
            progress=update,
        )
    from tripplan.render import changes

    if report is Report.json:
        _write_stdout(changes.export_json(result.directory, result.reports, result.skipped))
    elif report is Report.text:
        assert result.directory is not None
        for line in changes.export_lines(result.directory, result.reports, language):
            echo(line)
    if result.skipped and report is not Report.none:
        _say(_t(changes.not_exported(result.skipped)))
