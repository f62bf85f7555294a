"""Shared pieces of the command line: the app, consoles, options and the error funnel.

Only the command line (:mod:`tripplan.cli`) imports typer; of it, only this module creates
rich consoles (:func:`stdout_console`, :func:`stderr_console`) and declares the options
several commands share. Each command parses its options, calls one core function and hands
the result to a renderer or exporter. Every :class:`~tripplan.errors.TripplanError` ends in
:func:`funnel`, which prints its message and exits with its
:class:`~tripplan.errors.ExitCode`.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterator, MutableMapping
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

import typer
import typer.main
from typer.core import TyperGroup

from tripplan import __version__
from tripplan.errors import ExitCode, PlanError, TripplanError, UsageError
from tripplan.vocabulary import Audience, Format, Lang, Report, Split

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console

    from tripplan.itinerary import Itinerary
    from tripplan.loader import PlanSource
    from tripplan.messages import Message
    from tripplan.models import Plan
    from tripplan.render.marks import Kind

# -- the commands, each loaded only when it runs --------------------------------------

# Every command and group of commands, in the order of 'tripplan --help': the module of
# tripplan.cli that defines it, and the first sentence of its help, which 'tripplan --help'
# shows (tests/test_cli.py holds it equal to the command's own). A run imports only the module of
# the command it runs: 'tripplan itinerary' never reads how to publish or print a booklet.
COMMANDS: dict[str, tuple[str, str]] = {
    "itinerary": (
        "views",
        "Show the itinerary: every leg, activity and stay, day by day, in local time.",
    ),
    "check": (
        "views",
        "Check the plan: exit 0 when it has no errors, 1 when it has, 2 when it cannot be read.",
    ),
    "help": (
        "views",
        "Show the help of a command: 'tripplan help plan' is 'tripplan plan --help'.",
    ),
    "programme": (
        "programme",
        "Overview of the whole exchange: phases, who travels and hosts, timeline, open items.",
    ),
    "plan": (
        "programme",
        "Place the flexible activities: exit 0 when placed, 1 when impossible or undecided.",
    ),
    "schema": (
        "files",
        "Print the JSON Schema of plan files (for editors that validate TOML or JSON).",
    ),
    "init": (
        "files",
        "Write a commented starter plan (tripplan.toml) that passes 'tripplan check'.",
    ),
    "export-ics": (
        "files",
        "Write iCalendar files: right times in every zone, updates without duplicates.",
    ),
    "publish": (
        "publish",
        "Publish calendars to a CalDAV server and keep them in step with the plan.",
    ),
    "booklet": (
        "booklet",
        "A printable programme for a delegate: every day where they are, in their local time "
        "and home time.",
    ),
    "costs": (
        "costs",
        "Costs per item, daily allowances per delegate and day (with the rule, place and "
        "deductions they come from) and totals per funder, trip and currency.",
    ),
    "hosts": ("programme", "Host communities: their briefs; confirm placeholder hosts."),
    "cache": (
        "cachecmd",
        "The cache of public reference data (holidays, airports); it never holds plans.",
    ),
}


def command_module() -> typer.Typer:
    """The commands one module of tripplan.cli defines (``commands = command_module()``, then
    ``@commands.command()``); typer builds them only when :data:`COMMANDS` sends a run there."""
    return typer.Typer(rich_markup_mode=None, add_completion=False)


class _Loaded(MutableMapping[str, Any]):
    """The root's click commands by name: every name of :data:`COMMANDS`, each built from its
    module on first use (with the other commands of that module)."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            module = importlib.import_module(f"tripplan.cli.{COMMANDS[name][0]}")
            self._built.update(typer.main.get_group(module.commands).commands)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        raise TypeError("the commands of tripplan are declared in COMMANDS")

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _Commands(TyperGroup):
    """The ``tripplan`` group: a command's module is imported when that command runs (or its
    help is shown); ``tripplan --help`` and the completion of command names read the short
    help of :data:`COMMANDS` and import none."""

    def __init__(self, **attrs: Any) -> None:
        if attrs.get("commands"):
            raise TypeError("tripplan's commands are declared in COMMANDS, not on the app")
        super().__init__(**attrs)
        self.commands = _Loaded()

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, _summary(name, formatter.width - 6 - max(map(len, COMMANDS))))
                for name in COMMANDS]  # fmt: skip
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        from typer._click.shell_completion import CompletionItem  # typer's own click

        names = [
            CompletionItem(name, help=_summary(name, 45))
            for name in COMMANDS
            if name.startswith(incomplete)
        ]
        return names + super(TyperGroup, self).shell_complete(ctx, incomplete)  # the options


def _summary(name: str, limit: int) -> str:
    """A command's help in a list of commands, cut to ``limit`` as typer cuts it."""
    from typer.core import TyperCommand

    return TyperCommand(name=name, help=COMMANDS[name][1]).get_short_help_str(limit)


app = typer.Typer(
    cls=_Commands,
    name="tripplan",
    help="Plan delegation trips of municipal exchange programmes: itineraries and "
    "calendar files that are right across time zones.",
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

F = TypeVar("F", bound=Callable[..., Any])


def unstyled() -> bool:
    """No styling at all (colour, bold, italics): ``NO_COLOR`` or ``--no-color``."""
    return bool(os.environ.get("NO_COLOR"))


def _console(stderr: bool) -> Console:
    """A rich console: no guessed highlighting, emoji or markup (a plain string is printed
    as written, so plan text such as '[/]' or '[link=…]' can never be read as rich markup);
    no styling at all when unstyled()."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        highlight=False,
        markup=False,
        soft_wrap=stderr,  # messages wrap as the terminal likes; tables keep their layout
        emoji=False,
        color_system=None if unstyled() else "auto",
    )


def stdout_console() -> Console:
    return _console(stderr=False)


def stderr_console() -> Console:
    return _console(stderr=True)


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.M)


def show(renderable: Any) -> None:
    """Print a rich renderable on stdout, with no trailing spaces on any line. Every piece of
    text is passed through :func:`~tripplan.render.escape.strip_terminal` after layout: no
    escape sequence, control or bidi character a renderer missed reaches the terminal."""
    console = stdout_console()
    with console.capture() as captured:
        console.print(_Inert(renderable), crop=False)  # a long id may run past the width
    _write_stdout(_TRAILING.sub(r"\1", captured.get()))


class _Inert:
    """A renderable whose text segments are stripped of anything a terminal would obey
    (rich's own styles are applied afterwards, from the segments' styles)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.segment import Segment

        from tripplan.render.escape import strip_terminal

        for segment in console.render(self.inner, options):
            if segment.control:
                yield segment
            else:
                yield Segment(strip_terminal(segment.text), segment.style)


def echo(text: str) -> None:
    """A line for the user on stdout (not a document), inert for the terminal."""
    from tripplan.render.escape import terminal

    typer.echo(terminal(text, keep_newlines=True))


class _Run:
    """How talkative this run is: set once per command by :func:`funnel`."""

    quiet = False
    verbose = False
    began = 0.0
    lang = Lang.en  # the run's language, once the plan says it (see _language)
    chosen: Lang | None = None  # the reader's, with --lang
    json = False  # the output is one JSON document (see answers_in_json)


def answers_in_json(wanted: bool) -> None:
    """The command states, once its options are parsed and before it reads the plan, whether
    its output is one JSON document (``--format json``, ``--report json``): a plan that does
    not load is then a JSON document on stdout too (``load_errors``, see :func:`funnel`), so
    that a script always gets JSON."""
    _Run.json = wanted


def pause_collector() -> None:
    """The cyclic garbage collector paused while tripplan makes its own data (called by the
    console script's ``main``, not by a program that uses :data:`app`): the command's
    modules, the validated plan and the itinerary are tens of thousands to millions of
    objects that live as long as the process and hold no garbage cycles (on a plan of
    16,000 activities, collections during reading and building took 1.45 of 8.3 s and found
    5 objects to free). Every command resumes it with :func:`_resume_collector` once its
    data is made (:func:`_load`, :func:`_build`, ``costs``, ``plan``, ``hosts confirm``),
    before any other work (solving, exporting, talking to a server)."""
    import gc

    if gc.isenabled():
        gc.disable()
        _Collector.paused = True


def _resume_collector() -> None:
    """The data is made: it is frozen (no later collection walks it again) and the
    collector runs again."""
    if _Collector.paused:
        import gc

        gc.freeze()
        gc.enable()
        _Collector.paused = False


class _Collector:
    paused = False


def _say(message: str) -> None:
    """A note on stderr (never on stdout, which belongs to the output), unless --quiet.
    Plain text: rich costs more to import than the note is worth."""
    if not _Run.quiet:
        from tripplan.render.escape import terminal

        sys.stderr.write(terminal(message, keep_newlines=True) + "\n")
        sys.stderr.flush()


def _t(message: Message) -> str:
    """A message in the run's language (the plan's, or --lang), for notes and reports on the
    terminal (made inert for it)."""
    from tripplan.render.escape import terminal
    from tripplan.render.i18n import translate

    return terminal(translate(message, _Run.lang), keep_newlines=True)


def _detail(message: Message) -> None:
    """A note for --verbose only: which plan, which cache, how long each phase took
    (translated only when it is shown)."""
    if _Run.verbose and not _Run.quiet:
        import time

        sys.stderr.write(f"[{time.perf_counter() - _Run.began:6.2f} s] {_t(message)}\n")
        sys.stderr.flush()


@contextlib.contextmanager
def working(what: Message) -> Iterator[None]:
    """A status line on stderr for work that may take a while (``what``, in the run's
    language as the work begins: before a plan is read, --lang's or English), shown only
    once it has taken a second (``TRIPPLAN_PROGRESS_AFTER`` seconds; 0: at once), so
    quick runs stay quiet."""
    if not progress_wanted():
        yield
        return
    import threading

    shown: list[Any] = []
    finished = threading.Event()
    lock = threading.Lock()
    label = _t(what)  # in the run's language as the work begins, however late it is shown

    def start() -> None:
        with lock:
            if not finished.is_set():  # never after the work is done
                status = stderr_console().status(label)
                status.start()
                shown.append(status)

    delay = float(os.environ.get("TRIPPLAN_PROGRESS_AFTER", "1.0"))
    timer = threading.Timer(delay, start)
    timer.daemon = True
    if delay <= 0:  # at once, before the work: not raced against it by a thread
        start()
    else:
        timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            finished.set()
            for status in shown:
                status.stop()
            shown.clear()


def _no_progress(done: int, total: int, text: Message | str = "") -> None:
    """Where no progress display is wanted."""


def progress_wanted() -> bool:
    """A progress display on stderr: on a terminal, not --quiet, not under CI."""
    return sys.stderr.isatty() and not _Run.quiet and not os.environ.get("CI")


@contextlib.contextmanager
def progress(what: Message) -> Iterator[Callable[[int, int, Message | str], None]]:
    """A rich progress bar on stderr while the block runs, labelled ``what``; yields
    ``update(done, total, text)``, ``text`` a message or a name (of a file, an event). Both
    are shown in the run's language. Where no display is wanted, ``update`` does nothing."""
    if not progress_wanted():
        yield _no_progress
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from tripplan.render.escape import terminal

    with Progress(  # labels and names are plan text: shown as they are, never read as markup
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[text]}", markup=False),
        console=stderr_console(),
        transient=True,
    ) as bar:
        task = bar.add_task(_t(what), total=None, text="")

        def update(done: int, total: int, text: Message | str = "") -> None:
            shown = terminal(text) if isinstance(text, str) else _t(text)
            bar.update(task, completed=done, total=total or None, text=shown)

        yield update


def _error(message: str) -> None:
    """``tripplan: message`` on stderr, the message inert for a terminal. Plain writes, no
    rich: the error path must work when memory is short or an import would fail. The prefix
    is bold red on a terminal only."""
    message = _inert(message)
    prefix = "tripplan:"
    if sys.stderr.isatty() and not os.environ.get("NO_COLOR"):
        prefix = f"\x1b[1;31m{prefix}\x1b[0m"
    _error_line(f"{prefix} {message}")


def funnel(command: F) -> F:
    """Map every error of a command to its message and exit code: the one funnel.

    A plan that does not load is a JSON document on stdout as well (``load_errors``) when
    the command said it answers in JSON (:func:`answers_in_json`).
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        import time

        from tripplan.messages import msg

        _Run.quiet = bool(kwargs.get("quiet"))
        _Run.chosen = Lang(kwargs["lang"]) if kwargs.get("lang") else None
        _Run.lang = _Run.chosen or Lang.en  # until the plan says its own
        _Run.json = False
        _Run.verbose = bool(kwargs.get("verbose"))
        _Run.began = time.perf_counter()
        try:
            done = command(*args, **kwargs)
            _detail(msg("done"))
            return done
        except PlanError as exc:
            from tripplan.messages import nmsg
            from tripplan.render.i18n import problem_text, translate

            lang = _Run.chosen or Lang(exc.language or "en")
            if _Run.json:
                from tripplan.render.changes import load_errors_json

                _write_stdout(load_errors_json(exc.problems, lang))
            count = len(exc.problems)
            if count == 1:
                _error(problem_text(exc.problems[0], lang))
            else:
                said = nmsg("the plan has {n} problem:", "the plan has {n} problems:", count)
                _error(translate(said, lang))
                for problem in exc.problems:
                    _error_line(f"  - {_inert(problem_text(problem, lang))}")
            raise typer.Exit(exc.exit_code) from None
        except TripplanError as exc:
            from tripplan.render.i18n import translate

            _error(translate(exc.text, _Run.chosen or Lang(exc.language or _Run.lang)))
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            _error_of_run(msg("interrupted; nothing was written."))
            raise typer.Exit(130) from None
        except MemoryError:
            _error_of_run(
                msg(
                    "out of memory: the plan is too large for this machine; split it into "
                    "smaller plans"
                )
            )
            raise typer.Exit(ExitCode.BAD_INPUT) from None
        except OSError as exc:  # writing the output failed: a full disk, a closed pipe
            cannot_write(exc)
            raise typer.Exit(ExitCode.BAD_INPUT) from None
        except Exception as exc:
            if os.environ.get("TRIPPLAN_DEBUG"):
                raise
            _error_of_run(
                msg(
                    "internal error ({kind}). This is a bug in tripplan; run again with "
                    "TRIPPLAN_DEBUG=1 for details and report it.",
                    kind=type(exc).__name__,
                )
            )
            raise typer.Exit(ExitCode.INTERNAL_ERROR) from None

    return wrapper  # type: ignore[return-value]


def _error_of_run(message: Message) -> None:
    """An error of the run itself (not of its plan or options), in the run's language; in
    English should the catalog fail to be read: the error path must work when memory is
    short or an import would fail."""
    try:
        from tripplan.render.i18n import translate

        text = translate(message, _Run.lang)
    except Exception:  # pragma: no cover - memory or an installation is broken
        from tripplan.messages import plain

        text = plain(message)
    _error(text)


def cannot_write(exc: OSError) -> None:
    """The output could not be written (a full disk, a closed pipe): the system's reason,
    as it gives it."""
    from tripplan.messages import msg

    _error_of_run(msg("cannot write the output: {reason}", reason=exc.strerror or str(exc)))


def _inert(text: str) -> str:
    """Text of an error made inert for a terminal (by a plainer rule should even the import
    fail: the error path must not)."""
    try:
        from tripplan.render.escape import terminal
    except Exception:  # pragma: no cover - memory or an installation is broken
        return "".join(c if c == "\n" or c.isprintable() else "\ufffd" for c in text)
    return terminal(text, keep_newlines=True)


def _error_line(text: str) -> None:
    with contextlib.suppress(OSError):  # nowhere left to say it; the exit code still tells
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def examples(*commands: str) -> str:
    """The epilog of a command's --help: real examples, one per line, kept as written."""
    lines = "\n".join(
        f"    {command.strip()}" if command.startswith(" ") else f"  $ {command}"
        for command in commands
    )
    return f"Examples:\n\n\b\n{lines}"


# -- shared options -------------------------------------------------------------

PlanArg = Annotated[
    str | None,
    typer.Argument(
        help="Plan file (TOML or JSON); '-' reads standard input. Default: ./tripplan.toml "
        "if it exists, else the bundled Bautzen 2018 plan.",
        show_default=False,
        metavar="PLAN",
    ),
]
EditedPlanArg = Annotated[
    str | None,
    typer.Argument(
        help="Plan file to edit (TOML or JSON). Default: ./tripplan.toml.",
        show_default=False,
        metavar="PLAN",
    ),
]


QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="Only the output and errors: no notes.")
]
VerboseOpt = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Say which plan and cache, and time each phase."),
]
# The options several commands share, each declared once; a command offers only the
# values it accepts (a booklet is per delegate: no --split community), and its help says
# what the option does in that command.
LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", help="Language of headings, dates and labels. Default: the plan's."),
]
ReaderLangOpt = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of titles and labels. Default: the plan's; with --split delegate, "
        "each delegate's own when the plan's is not one of theirs.",
        show_default=False,
    ),
]
SplitOpt = Annotated[
    Split,
    typer.Option(
        "--split", help="One calendar for all, one per delegate, or one per host community."
    ),
]
BookletSplitOpt = Annotated[
    Literal[Split.none, Split.delegate],
    typer.Option("--split", help="'delegate': one booklet for every delegate."),
]
AudienceOpt = Annotated[
    Audience | None,
    typer.Option(
        "--audience",
        help="Who reads it: internal notes and findings from private data only for "
        "'internal' (with --delegate, also that delegate's own). Default: internal.",
        show_default=False,
    ),
]
CalendarAudienceOpt = Annotated[
    Audience | None,
    typer.Option(
        "--audience",
        help="Who reads the calendars: internal notes only for 'internal'. Default: "
        "internal; delegates for --split delegate, hosts for --split community.",
        show_default=False,
    ),
]
ReportOpt = Annotated[
    Report, typer.Option("--report", help="What was added, changed and cancelled.")
]
ConfirmReportOpt = Annotated[
    Literal[Report.text, Report.json],
    typer.Option(
        "--report",
        help="What changed in the plan file and which events move: text, or one JSON "
        "document for scripts.",
    ),
]
PlanReportOpt = Annotated[
    Literal[Report.text, Report.json],
    typer.Option(
        "--report",
        help="text: a note of what --write recorded; json: one JSON document whatever "
        "happens, with the schedule and what --write changed in the plan file.",
    ),
]


def _format(help: str = "Output format.") -> Any:
    """``--format``/``-f``: what a command writes; the ``Literal`` of its annotation lists the
    formats the command can give, in the order its help shows them."""
    return typer.Option("--format", "-f", help=help)


# check and plan: a table for people, JSON for scripts.
TableOrJsonFormatOpt = Annotated[Literal[Format.table, Format.json], _format()]
ProgrammeFormatOpt = Annotated[Literal[Format.table, Format.json, Format.markdown], _format()]
ItineraryFormatOpt = Annotated[
    Literal[Format.table, Format.json, Format.markdown, Format.html], _format()
]
BriefFormatOpt = Annotated[
    Literal[Format.table, Format.json, Format.markdown, Format.html, Format.pdf], _format()
]
BookletFormatOpt = Annotated[
    Literal[Format.pdf, Format.html, Format.json],
    _format("PDF, one HTML page, or the JSON they are made of."),
]
CostsFormatOpt = Annotated[Literal[Format.table, Format.json, Format.csv, Format.xlsx], _format()]


def _out(help: str, metavar: str) -> Any:
    """``--out``/``-o``: where a command writes; its help says where by default."""
    return typer.Option("--out", "-o", metavar=metavar, help=help, show_default=False)


CalendarsOutOpt = Annotated[
    str | None,
    _out(
        "File (--split none; '-' for standard output) or directory. Default: tripplan.ics, "
        "or calendars/ when split.",
        "PATH",
    ),
]
BookletOutOpt = Annotated[
    str | None,
    _out(
        "File (one booklet; '-' for standard output) or directory (--split delegate). "
        "Default: booklet-<id>.<format> (JSON: standard output), or booklets/. Only "
        "booklets tripplan wrote are replaced.",
        "PATH",
    ),
]
BriefOutOpt = Annotated[
    str | None,
    _out(
        "Where to write it ('-': standard output). Default: standard output; for pdf "
        "brief-<host>.pdf. Only briefs tripplan wrote are replaced.",
        "PATH",
    ),
]
CostsOutOpt = Annotated[
    str | None,
    _out(
        "Write to this file instead of standard output (xlsx: default costs.xlsx).",
        "FILE",
    ),
]


def complete_ids(kind: str) -> Callable[[typer.Context, str], list[str]]:
    """Shell completion of ids (``trip``, ``delegate``, ``community``) from the plan the
    command line names, or the default plan; nothing when it cannot be read. Runs only
    while the shell completes, never in an ordinary run."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from tripplan.loader import load_plan, resolve_source

        try:
            plan = load_plan(resolve_source(ctx.params.get("plan")))
        except Exception:  # a broken plan completes nothing; the command will say why
            return []
        ids = {
            "trip": [t.id for t in plan.trips],
            "delegate": [d.id for d in plan.delegates],
            "community": [c.id for c in plan.communities],
        }[kind]
        return [ident for ident in ids if ident.startswith(incomplete)]

    return complete


TripOpt = Annotated[
    str | None,
    typer.Option(
        "--trip", help="Only this trip (id).", metavar="TRIP", autocompletion=complete_ids("trip")
    ),
]


def _delegate(help: str) -> Any:
    """``--delegate``: a delegate of the plan by id (completed from the plan)."""
    return typer.Option(
        "--delegate", help=help, metavar="DELEGATE", autocompletion=complete_ids("delegate")
    )


DelegateOpt = Annotated[str | None, _delegate("Only this delegate's events (id).")]
CostsDelegateOpt = Annotated[
    str | None, _delegate("Only this delegate's costs and allowances (id).")
]
BookletDelegateOpt = Annotated[
    str | None,
    _delegate(
        "The delegate whose booklet to make (id). Without it: the coordinator's volume of "
        "the whole programme."
    ),
]


def _source(plan: str | None, writes: str | None = None) -> PlanSource:
    """The plan of a command; said on stderr when it was not named. ``writes`` is the
    command line of a command that writes files: it says plainly when it would use the
    bundled demo plan, and suggests plan files in the folder."""
    from tripplan.loader import resolve_source
    from tripplan.messages import did_you_mean, msg

    source = resolve_source(plan)
    if plan is None:
        _say(_t(msg("using plan: {plan} ({why})", plan=source.label, why=source.why)))
    else:
        _detail(msg("plan: {plan}", plan=source.label))
    if plan is None and writes is not None and source.label.startswith("bundled:"):
        mine = _plan_files_here()
        hint = did_you_mean(f"tripplan {writes} {mine[0]}", sentence=True) if mine else ""
        _say(
            _t(
                msg(
                    "note: this is the bundled demo plan (Bautzen 2018), not one of yours: "
                    "there is no ./tripplan.toml here.{hint}",
                    hint=hint,
                )
            )
        )
    return source


def _plan_files_here() -> list[str]:
    """TOML and JSON files in the current folder that look like plans (cheaply)."""
    from pathlib import Path

    found = []
    for path in sorted(Path.cwd().iterdir()):
        if path.suffix.lower() not in (".toml", ".json") or not path.is_file():
            continue
        try:
            head = path.read_bytes()[:4096].decode("utf-8", "replace")
        except OSError:
            continue
        if "[programme]" in head or '"programme"' in head:
            found.append(path.name)
    return found


def _load(plan: str | None, writes: str | None = None, *, building: bool = False) -> Plan:
    """The plan of a command, read and validated; ``building``: an itinerary is built from
    it next (the collector stays paused until then, see :func:`pause_collector`)."""
    from tripplan.cache import cache_dir
    from tripplan.loader import load_plan
    from tripplan.messages import msg, nmsg

    source = _source(plan, writes)
    folder = cache_dir()
    _detail(msg("reference-data cache: {folder}", folder=str(folder) if folder else msg("off")))
    loaded = load_plan(source)
    _language(_Run.chosen, loaded)  # from here on, its notes too
    trips = nmsg("{n} trip", "{n} trips", len(loaded.trips))
    delegates = nmsg("{n} delegate", "{n} delegates", len(loaded.delegates))
    _detail(msg("loaded and validated ({trips}, {delegates})", trips=trips, delegates=delegates))
    if not building:
        _resume_collector()
    return loaded


def _build(plan: str | None, writes: str | None = None) -> Itinerary:
    from tripplan.messages import msg, nmsg
    from tripplan.planning.build import build_itinerary

    with working(msg("reading and checking the plan …")):
        built = build_itinerary(_load(plan, writes, building=True))
    _resume_collector()
    events = nmsg("{n} event", "{n} events", len(built.events))
    findings = nmsg("{n} finding", "{n} findings", len(built.findings))
    _detail(msg("built and checked ({events}, {findings})", events=events, findings=findings))
    return built


def _language(lang: Lang | None, plan: Plan) -> Lang:
    """The language of a run: ``--lang``, else the plan's (also that of its messages)."""
    _Run.lang = lang or Lang(plan.programme.language)
    return _Run.lang


def _parse_day(value: str | None) -> date | None:
    from tripplan.messages import msg

    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            msg("--day {value} is not a date; write it as YYYY-MM-DD", value=f"{value!r}")
        ) from None


def _write_stdout(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (binary documents are not sent there)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def _plan_paths(plan: str | None) -> list[Path]:
    """The file of the plan a command reads (to never write over it), if it is one."""
    from tripplan.loader import resolve_source

    path = resolve_source(plan).path
    return [path] if path is not None else []


def _now() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (for reproducible exports)."""
    return _source_date() or datetime.now(UTC)


def _today() -> date:
    """Today (where the machine is), or the day of SOURCE_DATE_EPOCH when set."""
    fixed = _source_date()
    return fixed.date() if fixed else date.today()


def _source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org), when set: a number of seconds since
    1970, else a usage error."""
    from tripplan.messages import msg

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            msg(
                "SOURCE_DATE_EPOCH={epoch} is not a number of seconds since 1970",
                epoch=f"{epoch!r}",
            )
        ) from None


def _what(kind: str) -> Message:
    from tripplan.messages import msg
    from tripplan.render.marks import BOOKLET, COSTS

    if kind == COSTS:
        return msg("cost report")
    return msg("booklet") if kind == BOOKLET else msg("host brief")


def deliver(
    out: str,
    data: bytes,
    *,
    kind: Kind,
    binary: bool,
    plan: str | None,
    private: bool = False,
) -> None:
    """Write one document a command made (a booklet, a brief): ``-`` is standard output
    (a binary document only when that is not a terminal); anything else a file, replaced
    only when it is a ``kind`` tripplan wrote and never the plan being read (see
    :func:`tripplan.files.write_own`). ``private`` documents are created 0600."""
    from functools import partial
    from pathlib import Path

    from tripplan.messages import msg
    from tripplan.render.marks import is_ours

    if out == "-":
        if binary and _stdout_is_terminal():
            from tripplan.render.marks import COSTS

            if kind == COSTS:  # the one binary document that is not a PDF: a workbook
                raise UsageError(
                    msg("a workbook is binary and standard output is a terminal; redirect "
                        "it (> {example}) or give --out FILE", example="costs.xlsx")
                )  # fmt: skip
            raise UsageError(
                msg("a PDF is binary and standard output is a terminal; redirect it "
                    "(> {example}) or give --out FILE", example="file.pdf")
            )  # fmt: skip
        if binary:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            _write_stdout(data.decode("utf-8"))
        return
    from tripplan.files import write_own

    write_own(
        Path(out),
        data,
        ours=partial(is_ours, kind),
        what=_what(kind),
        protect=_plan_paths(plan),
        private=private,
    )


def _write_files(
    directory: Path,
    files: dict[str, bytes],
    *,
    kind: Kind,
    plan: str | None,
    private: frozenset[str] = frozenset(),
) -> None:
    """Write ``files`` (name → bytes) into ``directory`` (made if it is missing but its
    folder is not), all or nothing, replacing only files of ``kind`` tripplan wrote; the
    names in ``private`` are created 0600."""
    from functools import partial

    from tripplan.files import prepare_folder, write_all
    from tripplan.render.marks import is_ours

    prepare_folder(directory)
    write_all(
        directory,
        files,
        ours=partial(is_ours, kind),
        what=_what(kind),
        protect=_plan_paths(plan),
        private=private.__contains__,
    )


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
    no_color: Annotated[
        bool,
        typer.Option(
            "--no-color", help="No colour or other styling (as with NO_COLOR=1).", is_eager=True
        ),
    ] = False,
) -> None:
    """Plan delegation trips of municipal exchange programmes."""
    if no_color:
        os.environ["NO_COLOR"] = "1"
