"""Words shared by the core and the command line: one ``StrEnum`` for each choice.

This module imports nothing, so the command line can use it without slowing its start.
"""

from __future__ import annotations

from enum import StrEnum


class Audience(StrEnum):
    """Who reads an output: the coordinators, the delegates, or the host communities."""

    internal = "internal"
    delegates = "delegates"
    hosts = "hosts"


class Split(StrEnum):
    """How calendars are split: one for all, one per delegate, one per host community."""

    none = "none"
    delegate = "delegate"
    community = "community"


class SolverChoice(StrEnum):
    """Which solver ``tripplan plan`` uses: CP-SAT when installed (auto), or one of them."""

    auto = "auto"
    search = "search"
    cp_sat = "cp-sat"
