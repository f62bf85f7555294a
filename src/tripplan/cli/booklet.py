"""``tripplan booklet``: a printed programme for each delegate."""

# No "from __future__ import annotations" here: typer reads these signatures on every run.

from pathlib import Path
from typing import Annotated

import typer

from tripplan.cli.app import (
    BookletDelegateOpt,
    BookletFormatOpt,
    BookletOutOpt,
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
    _today,
    _write_files,
    answers_in_json,
    command_module,
    deliver,
    examples,
    funnel,
)
from tripplan.errors import UsageError
from tripplan.messages import Number, msg, nmsg
from tripplan.render.escape import url as safe_url
from tripplan.render.i18n import reader_language
from tripplan.render.marks import BOOKLET
from tripplan.vocabulary import Format, Paper, Split

commands = command_module()


@commands.command(
    "booklet",
    epilog=examples(
        "tripplan booklet plan.toml --delegate bz-stadt",
        "tripplan booklet plan.toml --split delegate --out booklets/ --format html",
        "tripplan booklet --split delegate --calendar-url 'https://x.eu/{delegate}'",
        "tripplan booklet --format pdf --out programme.pdf",
        "tripplan booklet --delegate bz-stadt --format json | jq '.days[].where'",
    ),
)
@funnel
def booklet(
    plan: PlanArg = None,
    delegate: BookletDelegateOpt = None,
    split: BookletSplitOpt = Split.none,
    trip: TripOpt = None,
    fmt: BookletFormatOpt = Format.pdf,
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size.")] = Paper.a5,
    calendar_url: Annotated[
        str | None,
        typer.Option(
            "--calendar-url",
            metavar="TEMPLATE",
            help="Address of each delegate's calendar (https, http or webcal), with {delegate} "
            "for the id: printed with a QR code to scan.",
            show_default=False,
        ),
    ] = None,
    out: BookletOutOpt = None,
    lang: ReaderLangOpt = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """A printable programme for a delegate: every day where they are, in their local time
    and home time. Without --lang each booklet speaks its delegate's language when the
    plan's is not one of theirs. Without --delegate: the coordinator's volume."""
    from tripplan.itinerary import Filters
    from tripplan.planning.booklet import booklet as make_booklet
    from tripplan.planning.booklet import programme_volume
    from tripplan.render.booklet import (
        booklet_document,
        render_booklet_html,
        render_booklet_json,
        render_booklet_pdf,
    )

    each = split is Split.delegate
    answers_in_json(fmt is Format.json and out in (None, "-") and not each)  # one on stdout
    if each and delegate is not None:
        raise UsageError(
            msg("give --delegate ID for one booklet or --split delegate for one per delegate, "
                "not both")
        )  # fmt: skip
    if out == "-" and each:
        raise UsageError(msg("--out - writes one booklet to standard output; use --delegate"))
    if calendar_url is not None and "{delegate}" not in calendar_url:
        raise UsageError(msg("--calendar-url needs {{delegate}} where the delegate's id goes"))
    if calendar_url is not None:
        _check_calendar_url(calendar_url)
    built = _build(plan).select(Filters(trip=trip))
    language = _language(lang, built.plan)
    made = _today()
    people: list[str | None] = (
        [d.id for d in built.plan.delegates if built.for_delegate(d.id)] if each else [delegate]
    )
    files: dict[str, bytes] = {}
    private: set[str] = set()
    for person in people:
        if person is None:
            book = programme_volume(built.in_language(language))
            reader, url, name = language, None, "programme"
        else:
            theirs = built.select(Filters(trip=trip, delegate=person))  # an unknown id: a message
            spoken = built.plan.delegate(person).languages
            reader = language if lang is not None else reader_language(spoken, language)
            mine = theirs.in_language(reader)
            book = make_booklet(mine, person)
            url = calendar_url.replace("{delegate}", person) if calendar_url else None
            if url is not None:
                _check_calendar_url(url)
            name = person
        document = booklet_document(book, reader, paper, url, made)
        if fmt is Format.html:
            data = render_booklet_html(document).encode("utf-8")
        elif fmt is Format.json:
            data = render_booklet_json(document).encode("utf-8")
        else:
            data = render_booklet_pdf(document)
        files[f"booklet-{name}.{fmt}"] = data
        if person is None or book.reminders:  # private reminders, or everyone's programme
            private.add(f"booklet-{name}.{fmt}")
    if each:
        where = Path(out or "booklets")
        _write_files(where, files, kind=BOOKLET, plan=plan, private=frozenset(private))
    else:
        ((name, data),) = files.items()
        target = out or ("-" if fmt is Format.json else name)
        deliver(target, data, kind=BOOKLET, binary=fmt is Format.pdf, plan=plan,
                private=name in private)  # fmt: skip
        if target == "-":
            return
        where = Path(target)
    _say(
        _t(
            nmsg(
                "wrote {n} booklet to {where}",
                "wrote {n} booklets to {where}",
                len(files),
                where=str(where),
            )
        )
    )


def _check_calendar_url(url: str) -> None:
    """A calendar's address for a booklet: https, http or webcal with a host, printable
    (render.escape.url, the one check of every linked address), and short enough for a QR
    code; else one message (exit 2)."""
    from tripplan.render.booklet import QR_BYTES, fits_qr

    safe_url(url, "--calendar-url")
    if not fits_qr(url):
        raise UsageError(
            msg(
                "--calendar-url is too long for a QR code: {count} bytes, a QR code holds "
                "at most {limit}; use a shorter address",
                count=Number(len(url.encode("utf-8"))),
                limit=Number(QR_BYTES),
            )
        )
