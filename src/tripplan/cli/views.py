"""Commands that show a plan: itinerary and check."""

# No "from __future__ import annotations" here: typer reads these signatures on every run,
# and evaluating string annotations each time costs more than the whole --version command.

from typing import Annotated, Any

import typer

from tripplan.cli.app import (
    AudienceOpt,
    DelegateOpt,
    ItineraryFormatOpt,
    LangOpt,
    PlanArg,
    QuietOpt,
    TableOrJsonFormatOpt,
    TripOpt,
    VerboseOpt,
    _build,
    _language,
    _parse_day,
    _write_stdout,
    answers_in_json,
    command_module,
    complete_ids,
    examples,
    funnel,
    show,
)
from tripplan.errors import ExitCode, UsageError
from tripplan.messages import msg
from tripplan.vocabulary import Audience, Format

commands = command_module()


@commands.command(
    epilog=examples(
        "tripplan itinerary",
        "tripplan itinerary plan.toml --delegate bz-stadt --day 2018-04-24",
        "tripplan itinerary --community us-host-1 --audience hosts -f html > h.html",
    )
)
@funnel
def itinerary(
    plan: PlanArg = None,
    trip: TripOpt = None,
    delegate: DelegateOpt = None,
    community: Annotated[
        str | None,
        typer.Option(
            "--community",
            help="Only events in or to this community.",
            metavar="COMMUNITY",
            autocompletion=complete_ids("community"),
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option("--day", help="Only this local day.", metavar="DAY (YYYY-MM-DD)"),
    ] = None,
    fmt: ItineraryFormatOpt = Format.table,
    lang: LangOpt = None,
    audience: AudienceOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Show the itinerary: every leg, activity and stay, day by day, in local time."""
    answers_in_json(fmt is Format.json)
    audience = audience or Audience.internal
    from tripplan.itinerary import Filters

    selected = (
        _build(plan)
        .select(Filters(trip=trip, delegate=delegate, community=community, day=_parse_day(day)))
        .for_audience(audience, delegate)
    )
    language = _language(lang, selected.plan)
    internal = audience is Audience.internal
    if fmt is Format.json:
        from tripplan.render.jsonout import render_json

        _write_stdout(render_json(selected, language, internal))
    elif fmt is Format.html:
        from tripplan.render.html import render_html

        _write_stdout(render_html(selected, language, internal))
    elif fmt is Format.markdown:
        from tripplan.render.markdown import render_markdown

        _write_stdout(render_markdown(selected, language, internal))
    else:
        from tripplan.render.table import render_table

        show(render_table(selected, language, internal))


@commands.command(
    epilog=examples(
        "tripplan check plan.toml",
        "tripplan check plan.toml --format json | jq '.findings[].message'",
        "tripplan check - < plan.json && echo 'no errors'",
    )
)
@funnel
def check(
    plan: PlanArg = None,
    trip: TripOpt = None,
    fmt: TableOrJsonFormatOpt = Format.table,
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Check the plan: exit 0 when it has no errors, 1 when it has, 2 when it cannot be read."""
    from tripplan.itinerary import Filters

    answers_in_json(fmt is Format.json)
    built = _build(plan)
    selected = built.select(Filters(trip=trip)) if trip else built
    language = _language(lang, selected.plan)
    if fmt is Format.json:
        from tripplan.render.jsonout import render_check_json

        _write_stdout(render_check_json(selected, language))
    else:
        from tripplan.render.table import render_findings

        show(render_findings(selected, language))
    if selected.errors:
        raise typer.Exit(ExitCode.PLAN_PROBLEMS)


@commands.command(
    "help",
    epilog=examples("tripplan help", "tripplan help export-ics", "tripplan help hosts confirm"),
)
@funnel
def help_command(
    ctx: typer.Context,
    command: Annotated[
        list[str] | None, typer.Argument(help="The command to explain.", metavar="COMMAND")
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Show the help of a command: 'tripplan help plan' is 'tripplan plan --help'."""

    parent = ctx.parent
    assert parent is not None
    target: Any = parent.command
    here = parent
    for name in command or []:
        found = target.get_command(here, name) if hasattr(target, "get_command") else None
        if found is None:
            known = (
                ", ".join(target.list_commands(here)) if hasattr(target, "list_commands") else ""
            )
            raise UsageError(
                msg(
                    "no command {name}; the commands are: {known}",
                    name=f"{name!r}",
                    known=str(known),
                )
            )
        here = type(ctx)(found, info_name=name, parent=here)
        target = found
    typer.echo(target.get_help(here))
