"""``tripplan publish``: the itinerary's calendars on a CalDAV server."""

# No "from __future__ import annotations" here: typer reads these signatures on every run.

import getpass
import os
import sys
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import typer

from tripplan.cli.app import (
    CalendarAudienceOpt,
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
from tripplan.errors import OutputError, UsageError
from tripplan.messages import msg
from tripplan.vocabulary import Report, Split

commands = command_module()


@commands.command(
    "publish",
    epilog=examples(
        "tripplan publish plan.toml --url https://dav.example.org/ --user coord",
        "tripplan publish plan.toml --url https://dav.example.org --split community",
        "tripplan publish plan.toml --url https://dav.example.org/ --dry-run",
    ),
)
@funnel
def publish(
    plan: PlanArg = None,
    url: Annotated[
        str,
        typer.Option(
            "--url",
            metavar="URL",
            help="The CalDAV server (its base URL; tripplan finds your calendars there).",
            show_default=False,
        ),
    ] = "",
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            metavar="NAME",
            help="User name. The password comes from TRIPPLAN_CALDAV_PASSWORD, ~/.netrc or "
            "a prompt, never from the command line.",
            show_default=False,
        ),
    ] = None,
    split: SplitOpt = Split.delegate,
    audience: CalendarAudienceOpt = None,
    trip: TripOpt = None,
    lang: ReaderLangOpt = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Overwrite events someone changed on the server meanwhile, and allow "
            "replacing most earlier UIDs.",
        ),
    ] = False,
    ca_bundle: Annotated[
        Path | None,
        typer.Option(
            "--ca-bundle",
            metavar="FILE",
            help="Certificates of a private certificate authority (PEM) to verify the server.",
            show_default=False,
        ),
    ] = None,
    insecure_http: Annotated[
        bool,
        typer.Option(
            "--insecure-http",
            help="Allow a plain http:// server that is not this machine (the password "
            "travels unencrypted).",
        ),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            help="How long one request to the server may take as a whole (at most 3600).",
        ),
    ] = 30.0,
    report: ReportOpt = Report.text,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Publish calendars to a CalDAV server and keep them in step with the plan."""
    from tripplan.export.caldav import MAX_TIMEOUT, Server, check_url, password_for
    from tripplan.export.caldav import publish as publish_to
    from tripplan.itinerary import Filters

    answers_in_json(report is Report.json)
    # The plan first: what is wrong with the options is then said in its language.
    selected = _build(plan).select(Filters(trip=trip))
    language = _language(lang, selected.plan)
    if not url:
        raise UsageError(
            msg("give the CalDAV server with --url, e.g. --url https://dav.example.org/")
        )
    check_url(url, insecure_http=insecure_http)
    if ca_bundle is not None and not ca_bundle.is_file():
        raise UsageError(msg("--ca-bundle {ca_bundle}: no such file", ca_bundle=str(ca_bundle)))
    if not 0 < timeout <= MAX_TIMEOUT:  # also refuses nan and inf
        raise UsageError(
            msg(
                "--timeout must be a number of seconds above 0 and at most {most}",
                most=f"{MAX_TIMEOUT:g}",
            )
        )
    name, password = password_for(url, user, dict(os.environ))
    if name is not None and password is None:
        password = _ask(name, url)
    server = Server(url, name, password, ca_bundle, timeout, insecure_http)
    with progress(msg("events")) as update:
        result = publish_to(
            selected,
            server,
            split=split,
            audience=split.audience(audience),
            lang=language,
            now=_now(),
            lang_fixed=lang is not None,
            dry_run=dry_run,
            force=force,
            progress=update,
        )
    from tripplan.render.publish import left_as_changed, not_published, report_json, report_lines

    if report is Report.json:
        _write_stdout(report_json(result))
    elif report is Report.text:
        for line in report_lines(result, language):
            echo(line)
    if result.skipped and report is not Report.none:
        _say(_t(not_published(result.skipped)))
    if result.conflicts:
        raise OutputError(left_as_changed(result.conflicts))


def _ask(user: str, url: str) -> str | None:
    """The password, asked on a terminal; without a terminal, an error that says where to
    put it."""

    from tripplan.export.caldav import PASSWORD_VARIABLE

    host = urlsplit(url).hostname
    if not sys.stdin.isatty():
        raise UsageError(
            msg(
                "no password for {user} at {host}: set {password_variable}, add a "
                "'machine {host}' entry to ~/.netrc, or run on a terminal to be asked",
                user=f"{user!r}",
                host=str(host),
                password_variable=str(PASSWORD_VARIABLE),
            )
        )

    return (
        getpass.getpass(_t(msg("Password for {user} at {host}: ", user=user, host=str(host))))
        or None
    )
