"""The reference-data cache: where it is, and clearing it."""

# No "from __future__ import annotations" here: typer reads these signatures on every run.

import typer

from tripplan.cache import cache_dir, clear
from tripplan.cli.app import QuietOpt, VerboseOpt, _t, command_module, echo, examples, funnel
from tripplan.messages import msg, nmsg

cache_app = typer.Typer(
    help="The cache of public reference data (holidays, airports); it never holds plans."
)
commands = command_module()
commands.add_typer(cache_app, name="cache")


@cache_app.command("dir", epilog=examples("tripplan cache dir", 'du -sh "$(tripplan cache dir)"'))
@funnel
def cache_dir_command(
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Print the cache folder ('off' when TRIPPLAN_CACHE_DIR is empty)."""

    folder = cache_dir()
    echo(str(folder) if folder is not None else _t(msg("off")))


@cache_app.command("clear", epilog=examples("tripplan cache clear"))
@funnel
def cache_clear(
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Remove every file tripplan keeps in its cache folder (files of others stay)."""

    folder, removed = clear()
    if folder is None:
        echo(_t(msg("the cache is switched off (TRIPPLAN_CACHE_DIR is empty); nothing to clear")))
    else:
        said = nmsg("removed {n} file from {folder}", "removed {n} files from {folder}", removed,
                    folder=str(folder))  # fmt: skip
        echo(_t(said))
