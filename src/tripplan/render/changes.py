"""What a command that writes says it did: the lines for people and the JSON documents for
scripts of ``export-ics``, ``plan --write`` and ``hosts confirm``, and the JSON document of a
plan that did not load (for every command that speaks JSON).

The command line only prints what these return; the results they read are declared before
them (:mod:`tripplan.calendar_reports`, :mod:`tripplan.edit`, the scheduler's).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tripplan.messages import Message, msg, nmsg
from tripplan.render.common import dump_json
from tripplan.render.i18n import translate
from tripplan.vocabulary import Lang

if TYPE_CHECKING:
    from tripplan.calendar_reports import FileReport
    from tripplan.edit import Change
    from tripplan.errors import Problem
    from tripplan.planning.compare import Move
    from tripplan.planning.scheduler import Result


def load_errors_json(problems: Iterable[Problem], lang: Lang) -> str:
    """The document a command that speaks JSON prints when the plan does not load."""
    from tripplan.render.i18n import problem_dict

    errors = [problem_dict(p, lang) for p in problems]
    return dump_json({"version": 1, "ok": False, "load_errors": errors})


# -- export-ics -------------------------------------------------------------------------------


def export_json(directory: Path | None, reports: Sequence[FileReport], skipped: list[str]) -> str:
    """``export-ics --report json``: the folder, what changed in each file, what has no time."""
    files = [
        {
            "file": r.file,
            "added": r.added,
            "changed": r.changed,
            "cancelled": r.cancelled,
            "unchanged": r.unchanged,
            "written": r.written,
        }
        for r in reports
    ]
    return dump_json({"directory": str(directory), "files": files, "not_placed": skipped})


def export_lines(directory: Path, reports: Sequence[FileReport], lang: Lang) -> list[str]:
    """One line per calendar file: its path and what changed in it."""
    lines = []
    for r in reports:
        counts = dict(
            added=len(r.added), changed=len(r.changed), cancelled=len(r.cancelled),
            unchanged=r.unchanged,
        )  # fmt: skip
        line = (
            msg("{added} added, {changed} changed, {cancelled} cancelled, {unchanged} "
                "unchanged (written)", **counts)
            if r.written
            else msg("{added} added, {changed} changed, {cancelled} cancelled, {unchanged} "
                     "unchanged (unchanged on disk)", **counts)
        )  # fmt: skip
        lines.append(f"{directory / r.file}: {translate(line, lang)}")
    return lines


def not_exported(skipped: list[str]) -> Message:
    """The note about events without a time yet."""
    return msg("not exported, no time yet: {items}", items=", ".join(skipped))


# -- edits of the plan file ---------------------------------------------------------------------


def _changed(changes: Iterable[Change]) -> list[dict[str, Any]]:
    """What an edit changed in the plan file: each field path and its new value as the file
    holds it (``"removed": true`` for a key taken out)."""
    from tripplan.edit import DELETE, file_value
    from tripplan.models import loc_to_path

    return [
        {"path": loc_to_path((*c.table, c.key)), "removed": True}
        if c.value is DELETE
        else {"path": loc_to_path((*c.table, c.key)), "value": file_value(c.value)}
        for c in changes
    ]


def _moved(found: Iterable[Move]) -> list[dict[str, Any]]:
    return [
        {
            "uid": m.uid,
            "start_minutes": int(m.start.total_seconds() // 60),
            "end_minutes": int(m.end.total_seconds() // 60),
        }
        for m in found
    ]


def confirm_json(path: Path | None, changes: Iterable[Change], found: Iterable[Move]) -> str:
    """``hosts confirm --report json``: the file, what changed in it, which events moved."""
    return dump_json(
        {
            "version": 1,
            "file": str(path),
            "changed": _changed(changes),
            "moved": _moved(found),
        }
    )


def confirm_lines(
    placeholder: str, name: str, zone: str, path: Path | None, found: Sequence[Move], lang: Lang
) -> list[str]:
    """``hosts confirm``: what was confirmed, and each event that moves in absolute time."""
    lines = [
        translate(msg("confirmed {id} as {name} ({zone}) in {file}", id=placeholder, name=name,
                      zone=zone, file=str(path)), lang)
    ]  # fmt: skip
    if not found:
        lines.append(
            translate(
                msg("no event moves in absolute time (the zone's offsets are the same)"), lang
            )
        )
        return lines
    lines.append(
        translate(nmsg("{n} event keeps its local time and moves in absolute time:",
                       "{n} events keep their local times and move in absolute time:",
                       len(found)), lang)
    )  # fmt: skip
    lines += [f"  {move.uid}: {translate(move.describe(), lang)}" for move in found]
    return lines


def placed_json(path: Path | None, changes: Iterable[Change], result: Result, lang: Lang) -> str:
    """``plan --report json``, whatever the outcome: the plan file (``null`` for standard
    input), what ``--write`` changed in it (nothing without ``--write``), and the schedule,
    placed or not."""
    from tripplan.render.schedule import schedule_document

    return dump_json(
        {
            "version": 1,
            "file": str(path) if path is not None else None,
            "changed": _changed(changes),
            "schedule": schedule_document(result, lang),
        }
    )


def recorded(count: int, file: str) -> Message:
    """``plan --write``: the note that placements went into the plan file."""
    return nmsg(
        "recorded {n} placement in {file}", "recorded {n} placements in {file}", count, file=file
    )
