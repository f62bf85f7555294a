"""``tripplan booklet``: a printed programme for each delegate."""

# No "from __future__ import annotations" here: typer reads these signatures on every run.

from pathlib import Path
from typing import Annotated

import typer

from tripplan.cli.app import (
    BookletSplitOpt,
    PlanArg,
    QuietOpt,
    ReaderLangOpt,
    TripOpt,
    VerboseOpt,
    _build,
    _language,
    _say,
    _t,
    _write_files,
    app,
    complete_ids,
    deliver,
    examples,
    funnel,
)
from tripplan.errors import UsageError
from tripplan.render.marks import BOOKLET
from tripplan.vocabulary import BookletFormat, BookletSplit, Paper


@app.command(
    "booklet",
    epilog=examples(
        "tripplan booklet plan.toml --delegate bz-stadt",
        "tripplan booklet plan.toml --split delegate --out booklets/ --format html",
        "tripplan booklet --delegate alex --calendar-url 'https://x.org/{delegate}'",
    ),
)
@funnel
def booklet(
    plan: PlanArg = None,
    delegate: Annotated[
        str | None,
        typer.Option(
            "--delegate",
            help="The delegate whose booklet to make (id).",
            metavar="DELEGATE",
            autocompletion=complete_ids("delegate"),
        ),
    ] = None,
    split: BookletSplitOpt = BookletSplit.none,
    trip: TripOpt = None,
    fmt: Annotated[
        BookletFormat, typer.Option("--format", "-f", help="PDF, or one HTML page.")
    ] = BookletFormat.pdf,
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size.")] = Paper.a5,
    calendar_url: Annotated[
        str | None,
        typer.Option(
            "--calendar-url",
            metavar="TEMPLATE",
            help="Address of each delegate's calendar, with {delegate} for the id: printed "
            "with a QR code to scan.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            metavar="PATH",
            help="File (one delegate; '-' for standard output) or directory (--split "
            "delegate). Default: booklet-<id>.<format>, or booklets/. Only booklets tripplan "
            "wrote are replaced.",
            show_default=False,
        ),
    ] = None,
    lang: ReaderLangOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """A printable programme for a delegate: every day, in local and home time. Without
    --lang each booklet speaks its delegate's language when the plan's is not one of theirs."""
    from tripplan.itinerary import Filters
    from tripplan.messages import msg
    from tripplan.planning.booklet import booklet as make_booklet
    from tripplan.render.booklet import render_booklet_html, render_booklet_pdf
    from tripplan.render.i18n import reader_language

    each = split is BookletSplit.delegate
    if (delegate is None) == (not each):
        raise UsageError(
            msg("give --delegate ID, or --split delegate for one booklet per delegate")
        )
    if out == "-" and each:
        raise UsageError(msg("--out - writes one booklet to standard output; use --delegate"))
    if calendar_url is not None and "{delegate}" not in calendar_url:
        raise UsageError(msg("--calendar-url needs {{delegate}} where the delegate's id goes"))
    if calendar_url is not None:
        from tripplan.render.escape import url as safe_url

        safe_url(calendar_url, "--calendar-url")
    built = _build(plan).select(Filters(trip=trip))
    language = _language(lang, built.plan)
    people = (
        [delegate]
        if delegate is not None
        else [d.id for d in built.plan.delegates if built.for_delegate(d.id)]
    )
    files: dict[str, bytes] = {}
    private: set[str] = set()
    for person in people:
        assert person is not None
        spoken = built.plan.delegate(person).languages
        reader = language if lang is not None else reader_language(spoken, language)
        mine = built.select(Filters(trip=trip, delegate=person)).in_language(reader)
        book = make_booklet(mine, person)
        url = calendar_url.replace("{delegate}", person) if calendar_url else None
        if fmt is BookletFormat.html:
            data = render_booklet_html(book, reader, paper, url).encode("utf-8")
        else:
            data = render_booklet_pdf(book, reader, paper, url)
        files[f"booklet-{person}.{fmt}"] = data
        if book.reminders:  # the delegate's own private reminders: for their eyes only
            private.add(f"booklet-{person}.{fmt}")
    if each:
        where = Path(out or "booklets")
        _write_files(where, files, kind=BOOKLET, plan=plan, private=frozenset(private))
    else:
        ((name, data),) = files.items()
        target = out or name
        deliver(target, data, kind=BOOKLET, binary=fmt is BookletFormat.pdf, plan=plan,
                private=name in private)  # fmt: skip
        if target == "-":
            return
        where = Path(target)
    _say(_t(msg("wrote {count} booklets to {where}", count=len(files), where=str(where))))
