"""Errors and exit codes.

Core code raises subclasses of :class:`TripplanError`; the CLI maps them to an
:class:`ExitCode` in one place (``cli.app.funnel``). Messages are written for the
coordinator who reads them: what is wrong, where, and what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tripplan.messages import Message


class ExitCode(IntEnum):
    """Exit codes of every ``tripplan`` command."""

    OK = 0
    PLAN_PROBLEMS = 1
    BAD_INPUT = 2
    INTERNAL_ERROR = 3  # a bug in tripplan: reported without a traceback


def closest(value: str, candidates: Iterable[str]) -> str | None:
    """The candidate a typo most likely meant, for "did you mean" hints, or ``None``."""
    import difflib

    found = difflib.get_close_matches(value, sorted(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


class TripplanError(Exception):
    """Base class of every error with a user-facing message: ``text`` is the message (as
    data, translated where it is shown), ``message`` its English form (for logs, tests
    and ``str()``). ``language``: the plan's, when the error arose after the plan was read
    (it is shown in that language unless the reader chose one with ``--lang``)."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str | Message, language: str | None = None) -> None:
        from tripplan.messages import Message, msg, plain

        self.text = message if isinstance(message, Message) else msg("{text}", text=message)
        self.message = plain(self.text)
        self.language = language
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input file: where it is and what to do about it. The message is
    translated where it is shown (the command line), like every text for people."""

    location: str  # "plan.toml › trips[0].legs[1].arrives" or "plan.toml"
    message: Message
    line: int | None = None
    suggestion: str | None = None  # the value a "did you mean" proposes, for scripts

    @property
    def file(self) -> str:
        return self.location.partition(" › ")[0]

    @property
    def path(self) -> str | None:
        return self.location.partition(" › ")[2] or None

    def where(self) -> str:
        """``plan.toml › trips[0].legs[1] (line 12)``."""
        return self.location if self.line is None else f"{self.location} (line {self.line})"


class PlanError(TripplanError):
    """A plan file cannot be used: missing, unreadable, malformed or invalid (``language``:
    the plan's, when it could be parsed)."""

    def __init__(self, problems: list[Problem], language: str | None = None) -> None:
        from tripplan.messages import plain

        self.problems = problems
        message = "\n".join(f"{p.where()}: {plain(p.message)}" for p in problems)
        super().__init__(message, language)


class UsageError(TripplanError):
    """A command was called with options that do not fit together or do not exist."""


class OutputError(TripplanError):
    """An output file or directory cannot be written."""
