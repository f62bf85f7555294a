"""``tripplan publish``: the itinerary's calendars on a CalDAV server."""

# No "from __future__ import annotations" here: typer reads these signatures on every run.

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from tripplan.cli.app import (
    PlanArg,
    QuietOpt,
    TripOpt,
    VerboseOpt,
    _build,
    _language,
    _say,
    _write_stdout,
    app,
    examples,
    funnel,
    progress,
)
from tripplan.cli.files import DEFAULT_AUDIENCE, _now
from tripplan.errors import OutputError, UsageError
from tripplan.vocabulary import Audience, Lang, ReportFormat, Split


@app.command(
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
    split: Annotated[
        Split,
        typer.Option(
            "--split", help="One calendar for all, one per delegate, or one per host community."
        ),
    ] = Split.delegate,
    audience: Annotated[
        Audience | None,
        typer.Option(
            "--audience",
            help="Who reads it. Default as for export-ics: delegates for --split delegate, "
            "hosts for --split community, internal for --split none.",
            show_default=False,
        ),
    ] = None,
    trip: TripOpt = None,
    lang: Annotated[
        Lang | None,
        typer.Option(
            "--lang",
            help="Language of titles and labels. Default: the plan's; with --split delegate, "
            "each delegate's own when the plan's is not one of theirs.",
            show_default=False,
        ),
    ] = None,
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
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="SECONDS", help="How long to wait for each answer."),
    ] = 30.0,
    report: Annotated[
        ReportFormat, typer.Option("--report", help="What was added, changed and cancelled.")
    ] = ReportFormat.text,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Publish calendars to a CalDAV server and keep them in step with the plan."""
    from tripplan.export.caldav import Server, password_for
    from tripplan.export.caldav import publish as publish_to
    from tripplan.itinerary import Filters

    if not url:
        raise UsageError("give the CalDAV server with --url, e.g. --url https://dav.example.org/")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--url must start with https:// (or http://), not {url!r}")
    if ca_bundle is not None and not ca_bundle.is_file():
        raise UsageError(f"--ca-bundle {ca_bundle}: no such file")
    if timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    name, password = password_for(url, user, dict(os.environ))
    if name is not None and password is None:
        password = _ask(name, url)
    selected = _build(plan).select(Filters(trip=trip))
    server = Server(url, name, password, ca_bundle, timeout)
    with progress("events") as update:
        result = publish_to(
            selected,
            server,
            split=split,
            audience=audience or DEFAULT_AUDIENCE[split],
            lang=_language(lang, selected.plan),
            now=_now(),
            lang_fixed=lang is not None,
            dry_run=dry_run,
            force=force,
            progress=update,
        )
    if report is ReportFormat.json:
        from tripplan.render.common import dump_json

        _write_stdout(dump_json(result.as_dict()))
    elif report is ReportFormat.text:
        verbs = ("would add", "would change", "would cancel") if dry_run else (
            "added", "changed", "cancelled"
        )  # fmt: skip
        for c in result.calendars:
            state = " (to be created)" if c.url is None else " (created)" if c.created else ""
            parts = [
                f"{len(c.added)} {verbs[0]}",
                f"{len(c.changed)} {verbs[1]}",
                f"{len(c.cancelled)} {verbs[2]}",
                f"{c.unchanged} unchanged",
            ]
            if c.foreign:
                parts.append(f"{c.foreign} not tripplan's, left alone")
            if c.conflicts:
                parts.append(f"{len(c.conflicts)} changed on the server, left alone")
            typer.echo(f"{c.collection}{state}: {', '.join(parts)}")
        if not dry_run:
            typer.echo(f"{result.writes} events written")
    if result.skipped and report is not ReportFormat.none:
        _say(f"not published, no time yet: {', '.join(result.skipped)}")
    if len(result.conflicts) == 1:
        raise OutputError(
            f"1 event was changed on the server since it was read and was left as it is: "
            f"{result.conflicts[0]}; run again to publish over the new state, or with --force "
            "to overwrite it"
        )
    if result.conflicts:
        raise OutputError(
            f"{len(result.conflicts)} events were changed on the server since they were read "
            f"and were left as they are: {', '.join(result.conflicts)}; run again to publish "
            "over the new state, or with --force to overwrite them"
        )


def _ask(user: str, url: str) -> str | None:
    """The password, asked on a terminal; without a terminal, an error that says where to
    put it."""
    from urllib.parse import urlsplit

    from tripplan.export.caldav import PASSWORD_VARIABLE

    host = urlsplit(url).hostname
    if not sys.stdin.isatty():
        raise UsageError(
            f"no password for {user!r} at {host}: set {PASSWORD_VARIABLE}, add a 'machine "
            f"{host}' entry to ~/.netrc, or run on a terminal to be asked"
        )
    import getpass

    return getpass.getpass(f"Password for {user} at {host}: ") or None
