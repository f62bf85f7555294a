"""Errors and exit codes.

Core code raises subclasses of :class:`TripplanError`; the CLI maps them to an
:class:`ExitCode` in one place (``cli._funnel``). Messages are written for the
coordinator who reads them: what is wrong, where, and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum


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
    """Base class of every error with a user-facing message."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def render(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in an input file: where it is and what to do about it."""

    location: str  # "plan.toml › trips[0].legs[1].arrives" or "plan.toml"
    message: str
    line: int | None = None

    def render(self) -> str:
        where = self.location if self.line is None else f"{self.location} (line {self.line})"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        """The problem for scripts: file, line, field path, message and a suggestion."""
        file, _, path = self.location.partition(" › ")
        hint = re.search(r"[Dd]id you mean '([^']+)'\?", self.message)
        return {
            "file": file,
            "line": self.line,
            "path": path or None,
            "message": self.message,
            "suggestion": hint.group(1) if hint else None,
        }


class PlanError(TripplanError):
    """A plan file cannot be used: missing, unreadable, malformed or invalid."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


class UsageError(TripplanError):
    """A command was called with options that do not fit together or do not exist."""


class OutputError(TripplanError):
    """An output file or directory cannot be written."""


class PlanHasProblems(TripplanError):
    """The plan loads, but a command found problems that stop it (exit 1)."""

    exit_code = ExitCode.PLAN_PROBLEMS
