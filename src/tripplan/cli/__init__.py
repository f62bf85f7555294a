"""The ``tripplan`` command line: thin commands over the core, one error funnel.

Only this package imports typer and creates rich consoles. Each command parses its
options, calls one core function and hands the result to a renderer or exporter.
Every :class:`~tripplan.errors.TripplanError` ends in :func:`~tripplan.cli.app.funnel`,
which prints its message and exits with its :class:`~tripplan.errors.ExitCode`.
One module per group of commands defines them; ``app`` (cli/app.py) declares every command
in its table ``COMMANDS`` and imports a command's module only when that command runs.
"""

from __future__ import annotations

import os

# pydantic looks for plugins in every installed distribution's entry points on first use;
# tripplan uses none, and the search costs tens of milliseconds on every run.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from tripplan.cli.app import app, pause_collector

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the ``tripplan`` console script.

    Output that could not be written (``> /dev/full``, a closed pipe) surfaces at the last
    flush, after the command: it ends in a one-line message and exit 2, not a traceback.
    """
    import sys

    if sys.stdout is None:  # started with standard output closed (>&-)
        _stdout_lost(OSError(9, "standard output is closed"))
        sys.exit(2)
    code: int | str | None = 0
    pause_collector()  # until the command's data is made: see its documentation
    try:
        if sys.argv[1:] == ["--version"]:  # answered before typer builds the command line
            from tripplan import __version__

            sys.stdout.write(f"tripplan {__version__}\n")
        else:
            app()
    except SystemExit as exc:
        code = exc.code
    try:
        sys.stdout.flush()
    except OSError as exc:
        _stdout_lost(exc)
        code = 2
    # The command is done and the process ends: nothing it built needs collecting any more.
    # Frozen, its objects are skipped by the interpreter's last collections, which would
    # otherwise walk all of them again (20 of 240 ms of a cold `itinerary --format json`,
    # benchmarks/README.md). Files are closed by the commands, and exit handlers still run.
    import gc

    gc.freeze()
    sys.exit(code)


def _stdout_lost(exc: OSError) -> None:
    import sys

    from tripplan.cli.app import cannot_write

    cannot_write(exc)
    try:  # keep the interpreter from failing again at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        if sys.stdout is not None:
            os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
