"""``tripplan costs``: what the exchange costs, with daily allowances, for a finance office."""

# No "from __future__ import annotations" here: typer reads these signatures on every run.

from typing import Annotated

import typer

from tripplan.cli.app import (
    CostsDelegateOpt,
    CostsFormatOpt,
    CostsOutOpt,
    LangOpt,
    PlanArg,
    QuietOpt,
    TripOpt,
    VerboseOpt,
    _language,
    _load,
    _resume_collector,
    _say,
    _t,
    answers_in_json,
    command_module,
    deliver,
    examples,
    funnel,
    show,
    stdout_console,
)
from tripplan.messages import msg
from tripplan.render.marks import COSTS
from tripplan.vocabulary import Format

commands = command_module()


@commands.command(
    "costs",
    epilog=examples(
        "tripplan costs",
        "tripplan costs plan.toml --delegate bz-stadt --format json",
        "tripplan costs --trip study-tour --days",
        "tripplan costs --funder hbs --format csv --out hbs.csv",
    ),
)
@funnel
def costs(
    plan: PlanArg = None,
    delegate: CostsDelegateOpt = None,
    funder: Annotated[
        str | None,
        typer.Option("--funder", help="Only what this funder pays (id).", metavar="FUNDER"),
    ] = None,
    trip: TripOpt = None,
    days: Annotated[
        bool,
        typer.Option(
            "--days",
            help="In the table, each delegate's allowance day by day, with place, share and "
            "deductions (the default with --delegate; JSON, CSV and XLSX always have them).",
        ),
    ] = False,
    fmt: CostsFormatOpt = Format.table,
    out: CostsOutOpt = None,
    lang: LangOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Costs per item, daily allowances per delegate and day (with the rule, place and
    deductions they come from) and totals per funder, trip and currency. Internal: for the
    coordinators and the finance office."""
    from tripplan.planning.costs import costs_of
    from tripplan.render import costs as render

    answers_in_json(fmt is Format.json and out in (None, "-"))  # a document on stdout
    loaded = _load(plan, building=True)
    language = _language(lang, loaded)
    report = costs_of(loaded, language, delegate=delegate, funder=funder, trip=trip)
    _resume_collector()
    shown = report.plan  # texts in the reader's language
    data: bytes
    each_day = days or delegate is not None
    if fmt is Format.table and out in (None, "-"):
        show(render.render_costs_table(report, shown, language, days=each_day))
        return
    if fmt is Format.table:
        text = render.render_costs_text(report, shown, language, stdout_console(), days=each_day)
        data = text.encode("utf-8")
    elif fmt is Format.json:
        data = render.render_costs_json(report, shown, language).encode("utf-8")
    elif fmt is Format.csv:
        data = render.render_costs_csv(report, language)
    else:
        data = render.render_costs_xlsx(report, shown, language)
    target = out or ("costs.xlsx" if fmt is Format.xlsx else "-")
    deliver(target, data, kind=COSTS, binary=fmt is Format.xlsx, plan=plan, private=True)
    if target != "-":
        _say(_t(msg("wrote the costs to {where}", where=target)))
