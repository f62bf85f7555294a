"""Commands about the whole programme: the overview, and confirming hosts."""

# No "from __future__ import annotations" here: typer reads these signatures on every run,
# and evaluating string annotations each time costs more than the whole --version command.

from typing import Annotated, Any

import typer

from tripplan.cli.app import (
    COMMANDS,
    BriefFormatOpt,
    BriefOutOpt,
    ConfirmReportOpt,
    EditedPlanArg,
    LangOpt,
    PlanArg,
    PlanReportOpt,
    ProgrammeFormatOpt,
    QuietOpt,
    TableOrJsonFormatOpt,
    VerboseOpt,
    _build,
    _language,
    _resume_collector,
    _say,
    _source,
    _t,
    _write_stdout,
    answers_in_json,
    command_module,
    complete_ids,
    deliver,
    echo,
    examples,
    funnel,
    progress,
    show,
    stdout_console,
)
from tripplan.errors import ExitCode, UsageError
from tripplan.messages import msg
from tripplan.render.i18n import label, translate
from tripplan.render.marks import BRIEF
from tripplan.vocabulary import Format, Lang, Report, SolverChoice

commands = command_module()


@commands.command(
    epilog=examples(
        "tripplan programme",
        "tripplan programme plan.toml --format markdown --lang en > programme.md",
    )
)
@funnel
def programme(
    plan: PlanArg = None,
    fmt: ProgrammeFormatOpt = Format.table,
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Overview of the whole exchange: phases, who travels and hosts, timeline, open items."""
    from tripplan.planning.programme import overview

    answers_in_json(fmt is Format.json)
    built = _build(plan)
    language = _language(lang, built.plan)
    summary = overview(built.in_language(language))
    if fmt is Format.json:
        from tripplan.render.programme import render_programme_json

        _write_stdout(render_programme_json(summary, language))
    elif fmt is Format.markdown:
        from tripplan.render.programme import render_programme_markdown

        _write_stdout(render_programme_markdown(summary, language))
    else:
        from tripplan.render.programme import render_programme_table

        show(render_programme_table(summary, language))


hosts_app = typer.Typer(help=COMMANDS["hosts"][1])
commands.add_typer(hosts_app, name="hosts")


@hosts_app.command(
    "brief",
    epilog=examples(
        "tripplan hosts brief us-host-1",
        "tripplan hosts brief bautzen plan.toml --format markdown > bautzen.md",
        "tripplan hosts brief berlin plan.toml --format json --lang en",
    ),
)
@funnel
def hosts_brief(
    host: Annotated[
        str,
        typer.Argument(
            help="Id of the host community.",
            metavar="HOST",
            autocompletion=complete_ids("community"),
        ),
    ],
    plan: PlanArg = None,
    fmt: BriefFormatOpt = Format.table,
    out: BriefOutOpt = None,
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """What one host needs to know: arrivals, head counts, lodging, meals and needs,
    counted and never named."""
    from tripplan.planning.brief import host_brief
    from tripplan.render import brief as render

    answers_in_json(fmt is Format.json and out in (None, "-"))  # a document on stdout
    built = _build(plan)
    language = _language(lang, built.plan)
    brief = host_brief(built.in_language(language), host)
    if fmt is Format.table and out in (None, "-"):
        show(render.render_brief_table(brief, language))
        return
    if fmt is Format.pdf:
        data = render.render_brief_pdf(brief, language)
    elif fmt is Format.html:
        data = render.render_brief_html(brief, language).encode("utf-8")
    elif fmt is Format.markdown:
        data = render.render_brief_markdown(brief, language).encode("utf-8")
    elif fmt is Format.json:
        data = render.render_brief_json(brief, language).encode("utf-8")
    else:
        data = render.render_brief_text(brief, language, stdout_console()).encode("utf-8")

    target = out or (f"brief-{host}.pdf" if fmt is Format.pdf else "-")
    deliver(target, data, kind=BRIEF, binary=fmt is Format.pdf, plan=plan)


@hosts_app.command(
    "confirm",
    epilog=examples(
        "tripplan hosts confirm us-host-1 --name Boise --timezone America/Boise",
        "tripplan hosts confirm us-host-2 plan.toml --name Chicago \\",
        "    --timezone America/Chicago --airport ORD --address 'City Hall'",
    ),
)
@funnel
def hosts_confirm(
    placeholder: Annotated[
        str, typer.Argument(help="Id of the placeholder community.", metavar="PLACEHOLDER")
    ],
    name: Annotated[str, typer.Option("--name", help="The community's real name.", metavar="NAME")],
    timezone: Annotated[
        str, typer.Option("--timezone", help="Its IANA time zone.", metavar="ZONE")
    ],
    plan: EditedPlanArg = None,
    airport: Annotated[
        list[str] | None,
        typer.Option(
            "--airport", help="IATA code of an airport it uses (repeatable).", metavar="IATA"
        ),
    ] = None,
    subdivision: Annotated[
        str | None,
        typer.Option(
            "--subdivision",
            help="ISO 3166-2 code for public holidays, e.g. US-ID.",
            metavar="CODE",
        ),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option("--address", help="Its address, as guests should say it.", metavar="ADDRESS"),
    ] = None,
    report: ConfirmReportOpt = Report.text,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Replace a placeholder host by the real community, editing the plan file in place.

    Comments and layout of a TOML plan are kept. Activities there keep their local
    wall-clock times and move in absolute time; the next export-ics into the same
    directory updates exactly those events.
    """
    from tripplan.edit import confirm_host
    from tripplan.loader import resolve_source
    from tripplan.planning.build import build_itinerary
    from tripplan.planning.compare import moves

    answers_in_json(report is Report.json)
    _resume_collector()
    done = confirm_host(
        resolve_source(plan or "tripplan.toml"),
        placeholder,
        name=name,
        timezone=timezone,
        airports=tuple(airport or ()),
        subdivision=subdivision,
        address=address,
        note=lambda language: label("confirmed", Lang(language)),
    )
    from tripplan.render import changes

    found = moves(build_itinerary(done.before), build_itinerary(done.after))
    if report is Report.json:
        _write_stdout(changes.confirm_json(done.path, done.changes, found))
        return
    language = _language(None, done.after)
    for line in changes.confirm_lines(placeholder, name, timezone, done.path, found, language):
        echo(line)


@commands.command(
    "plan",
    epilog=examples(
        "tripplan plan plan.toml",
        "tripplan plan plan.toml --write",
        "tripplan plan plan.toml --solver search --max-nodes 1000000 -f json",
    ),
)
@funnel
def plan_command(
    plan: PlanArg = None,
    write: Annotated[
        bool,
        typer.Option("--write", help="Record the placements in the plan file (kept layout)."),
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=0.1,
            help="Outer safety bound in seconds (reported if it strikes).",
            metavar="SECONDS",
        ),
    ] = 60.0,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes",
            min=1,
            metavar="STEPS",
            help="Work budget of the search, in steps: the same answer on every machine.",
        ),
    ] = 300_000,
    solver: Annotated[
        SolverChoice,
        typer.Option(
            "--solver",
            help="cp-sat needs OR-Tools (tripplan[solver]); auto uses it when installed.",
        ),
    ] = SolverChoice.auto,
    fmt: TableOrJsonFormatOpt = Format.table,
    lang: LangOpt = None,
    report: PlanReportOpt = Report.text,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Place the flexible activities: exit 0 when placed, 1 when impossible or undecided."""
    from tripplan.loader import read_plan
    from tripplan.planning.cpsat import explainer_for, solver_for
    from tripplan.planning.scheduler import schedule

    answers_in_json(fmt is Format.json or report is Report.json)
    if not 0.1 <= time_limit < float("inf"):  # nan and inf passed the option's range
        raise UsageError(msg("--time-limit must be a finite number of seconds, at least 0.1"))
    solve = solver_for(solver)  # a missing solver is refused before any work
    source = _source(plan, "plan --write" if write else None)
    if write:
        from tripplan.edit import editable

        editable(source, "--write", msg("run 'tripplan plan --write'"))  # before any work
    loaded, read = read_plan(source)  # a --write checks that the file still holds these bytes
    _resume_collector()
    language = _language(lang, loaded)  # the progress display speaks it too
    with progress(msg("placing")) as update:
        result = schedule(
            loaded,
            time_limit=time_limit,
            max_nodes=max_nodes,
            solver=solve,
            progress=update,
            explainer=explainer_for(solver),
        )
    from tripplan.render.schedule import schedule_in_language

    result = schedule_in_language(result, loaded, language)
    written: tuple[Any, ...] = ()
    if write and result.placements:
        from tripplan.edit import write_placements

        placements = {(p.trip, p.item): p.start for p in result.placements}
        note = translate(msg("placed by tripplan plan"), language)
        written = write_placements(source, placements, note, read=read)
    from tripplan.render import changes

    if report is Report.json:
        _write_stdout(changes.placed_json(source.path, written, result, language))
    elif fmt is Format.json:
        from tripplan.render.schedule import render_schedule_json

        _write_stdout(render_schedule_json(result, language))
    else:
        from tripplan.render.schedule import render_schedule_table

        show(render_schedule_table(result, language))
    if written and report is Report.text:
        _say(_t(changes.recorded(len(written), source.label)))
    if result.status in ("infeasible", "undecided"):
        raise typer.Exit(ExitCode.PLAN_PROBLEMS)
