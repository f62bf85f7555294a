"""The ``tripplan`` command line: thin commands over the core, one error funnel.

Only this package imports typer and creates rich consoles. Each command parses its
options, calls one core function and hands the result to a renderer or exporter.
Every :class:`~tripplan.errors.TripplanError` ends in :func:`~tripplan.cli.app.funnel`,
which prints its message and exits with its :class:`~tripplan.errors.ExitCode`.
One module per group of commands registers them on the shared ``app``.
"""

from __future__ import annotations

import os

# pydantic looks for plugins in every installed distribution's entry points on first use;
# tripplan uses none, and the search costs tens of milliseconds on every run.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from tripplan.cli import views  # noqa: I001  (registration order is the order in --help)
from tripplan.cli import programme, files, cachecmd
from tripplan.cli.app import app

__all__ = ["app", "cachecmd", "files", "main", "programme", "views"]


def main() -> None:
    """Entry point of the ``tripplan`` console script."""
    app()
