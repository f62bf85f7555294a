"""Edits of plan files in place: the diff of an edit is exactly the values it changes.

A coordinator keeps the plan under version control and writes it in their own order
(legs and activities interleaved by day, comments everywhere). An edit therefore changes
the text surgically: the line of a value is replaced, a new key is added after the last
line of its table, a removed key's lines are dropped; nothing else moves. TOML files may
carry the comment tripplan adds. JSON plans (by suffix or content) are edited as JSON, the
same way. Every edit is verified twice before the file is replaced: the edited text must
parse to exactly the original data with the changes applied, and it must load as a valid
plan. The file is written through a symbolic link to its target and keeps its mode.

Edits never lose each other. An edit holds the plan's lock (an exclusive ``flock`` on the
plan file itself, taken again when the file was replaced while waiting) from reading the
file to replacing it, so two ``hosts confirm`` on one plan run one after the other and the
second sees the first one's change. And an edit checks that the file still holds the bytes
its decision was made from (read at the start of ``plan --write``, and once more just before
the file is replaced, against editors that take no lock); otherwise it stops with "the plan
changed while editing; run again" and changes nothing. Line endings are kept: a plan
written with CRLF gets its new lines with CRLF too.

Why lines and not tomlkit's document model: tomlkit keeps comments, but when it writes a
document back it groups the entries of an array of tables together, so legs and activities
written day by day come out as all legs, then all activities (even for an unchanged
document): every edit would rewrite the coordinator's file. tomlkit is used only to write
a single value (its literal) and to read the comment of one line.
``test_tomlkit_still_regroups_interleaved_tables`` says when that changes.
"""

from __future__ import annotations

import copy
import json
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tripplan.airports import airport
from tripplan.characters import ESCAPED
from tripplan.errors import PlanError, Problem, UsageError
from tripplan.files import atomic_write
from tripplan.loader import (
    PlanSource,
    bundled_plan_path,
    language_of,
    parse,
    plan_format,
    plan_from_bytes,
    read_bytes,
    toml_headers,
    toml_key,
    validate,
)
from tripplan.messages import Items, Message, msg, plain
from tripplan.models import Loc, Plan, loc_to_path
from tripplan.timeutils import zone

BOM = b"\xef\xbb\xbf"


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()
"""The value of a :class:`Change` that removes its key."""


@dataclass(frozen=True)
class Change:
    """Set (or with :data:`DELETE` remove) ``key`` in the table at ``table``."""

    table: Loc
    key: str
    value: Any = DELETE
    comment: str = ""  # TOML only: a comment after the value


class CannotEdit(Exception):
    """The file's layout does not let this change be made in place; ``message`` says why
    (for people, translated where it is shown)."""

    def __init__(self, message: Message) -> None:
        super().__init__(plain(message))
        self.message = message


# -- where edits are allowed ----------------------------------------------------------


def editable(source: PlanSource, what: str, then: Message) -> Path:
    """The path of a plan file that may be edited: not standard input, not the bundled plan.

    Called before any work, so that a command that cannot write says so at once.
    """
    if source.path is None:
        raise UsageError(
            msg("{what} edits a plan file; give its path instead of '-'", what=str(what))
        )
    try:
        regular = stat.S_ISREG(os.stat(source.path).st_mode)
    except OSError:
        regular = True  # missing or unreadable: reading it says so
    if not regular:  # a pipe or device: read once, it could not be replaced or locked
        raise UsageError(
            msg(
                "{what} edits a plan file; {path} is not a regular file",
                what=str(what),
                path=str(source.path),
            )
        )
    if source.path.resolve() == bundled_plan_path().resolve():
        raise UsageError(
            msg(
                "the bundled plan is part of tripplan and is not edited; copy it first, "
                "e.g. 'cp data/bautzen-2018/plan.toml tripplan.toml', then {then}",
                then=then,
            )
        )
    return source.path


# -- one edit at a time ------------------------------------------------------------------

LOCK_WAIT = 60.0
"""Seconds an edit waits for another one on the same plan before it gives up."""


class PlanChanged(PlanError):
    """The plan file changed between reading it and writing the edit: nothing was written."""

    def __init__(self, label: str) -> None:
        super().__init__([Problem(label, msg("the plan changed while editing; run again"))])


@contextmanager
def locked(source: PlanSource) -> Iterator[bytes]:
    """Hold the edit lock of the plan file of ``source``; yields its bytes, read under it.

    The lock is an exclusive ``flock`` on the plan file. An edit replaces the file by
    renaming a new one over it, so a waiter that got the lock of the replaced file lets it
    go and locks the new one.
    """
    assert source.path is not None
    if sys.platform == "win32":  # no flock: the check before writing still guards the edit
        yield read_bytes(source)
        return
    import fcntl

    give_up = time.monotonic() + LOCK_WAIT
    while True:
        read_bytes(source)  # a missing or unreadable file: its own message
        try:
            handle = os.open(source.path, os.O_RDONLY)
        except FileNotFoundError:
            continue  # replaced between reading and opening: again
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > give_up:
                        raise PlanError(
                            [
                                Problem(
                                    source.label,
                                    msg(
                                        "another tripplan has been editing this plan for "
                                        "{seconds} seconds; run again when it is done",
                                        seconds=int(LOCK_WAIT),
                                    ),
                                )
                            ]
                        ) from None
                    time.sleep(0.02)
                except OSError:
                    break  # a file system without locks: the check before writing guards it
            try:
                same = os.path.samestat(os.fstat(handle), os.stat(source.path))
            except OSError:
                same = False
            if same:
                yield read_bytes(source)
                return
        finally:
            os.close(handle)  # lets the lock go


def _unchanged(source: PlanSource, read: bytes) -> None:
    """Stop when the plan file no longer holds the bytes an edit was made from."""
    if read_bytes(source) != read:
        raise PlanChanged(source.label)


# -- one edit, start to end -----------------------------------------------------------


def edit_plan(
    source: PlanSource,
    changes_for: Callable[[Any], list[Change]],
    refusal: Message,
    *,
    read: bytes | None = None,
) -> tuple[Plan, tuple[Change, ...]]:
    """Edit the plan file of ``source`` under its lock, read and parsed once: ``changes_for``
    turns its data into the changes to make. Returns the new plan and the changes made.
    ``refusal`` starts the message when the edited plan would be invalid. ``read`` is the
    file's content the changes were decided from, when that was read earlier: the edit stops
    with :class:`PlanChanged` when the file holds something else now."""
    with locked(source) as raw:
        if read is not None and raw != read:
            raise PlanChanged(source.label)
        return _edit_locked(source, raw, changes_for, refusal)


def _edit_locked(
    source: PlanSource, raw: bytes, changes_for: Callable[[Any], list[Change]], refusal: Message
) -> tuple[Plan, tuple[Change, ...]]:
    assert source.path is not None
    had_bom = raw.startswith(BOM)
    text = raw.removeprefix(BOM).decode("utf-8")
    fmt = plan_format(source, text)
    data = parse(text, fmt, source.label)
    changes = changes_for(data)
    try:
        edited, edited_data = _apply(text, fmt, changes, data)
    except CannotEdit as exc:  # said in the plan's language, as its other problems
        raise PlanError([Problem(source.label, exc.message)], language_of(data)) from None
    try:
        after = validate(edited_data, source.label)
    except PlanError as exc:
        raise PlanError([Problem(source.label, refusal), *exc.problems], exc.language) from None
    _unchanged(source, raw)  # an editor that takes no lock wrote meanwhile
    atomic_write(source.path, (BOM if had_bom else b"") + edited.encode("utf-8"))
    return after, tuple(changes)


def apply_changes(text: str, fmt: str, changes: Iterable[Change]) -> str:
    """``text`` with ``changes`` made in place; :class:`CannotEdit` when that is not safe."""
    data = json.loads(text) if fmt == "json" else _toml_data(text)
    return _apply(text, fmt, list(changes), data)[0]


def _apply(text: str, fmt: str, changes: list[Change], data: Any) -> tuple[str, Any]:
    """The edited text and its data, verified to be ``data`` with exactly ``changes``."""
    expected = copy.deepcopy(data)
    for change in changes:
        table = _table_in(expected, change.table)
        if change.value is DELETE:
            table.pop(change.key, None)
        elif fmt == "json":
            table[change.key] = file_value(change.value)
        else:
            table[change.key] = change.value
    edit = _json_edit if fmt == "json" else _toml_edit
    for change in changes:
        text = edit(text, change)
    deleted = [c.table for c in changes if c.value is DELETE]
    if fmt == "json":  # an object emptied by a deletion goes too, as it does in TOML
        for loc in deleted:
            for gone in _prune(expected, loc):
                key = gone[-1]
                assert isinstance(key, str)
                text = _json_edit(text, Change(gone[:-1], key))
        got = json.loads(text)
    else:  # TOML keeps no trace of a table whose last dotted key went
        got = _toml_data(text)
        for loc in deleted:
            _prune(expected, loc)
            _prune(got, loc)
    if got != expected:
        raise CannotEdit(
            msg(
                "tripplan cannot make this edit in place without changing other values; make "
                "it by hand: {changes}",
                changes=_describe(changes),
            )
        )
    return text, got


def _toml_data(text: str) -> Any:
    import tomllib

    return tomllib.loads(text)


def _prune(data: Any, loc: Loc) -> list[Loc]:
    """Remove the table at ``loc`` if it is empty, then each enclosing one that this
    empties, up to the first element of an array; the paths of the tables removed."""
    removed: list[Loc] = []
    for cut in range(len(loc), 0, -1):
        name = loc[cut - 1]
        if not isinstance(name, str):
            break
        try:
            parent = _table_in(data, loc[: cut - 1])
        except (KeyError, IndexError, TypeError, AssertionError):
            break
        if parent.get(name) != {}:
            break
        del parent[name]
        removed.append(loc[:cut])
    return removed


def _table_in(data: Any, loc: Loc) -> dict[str, Any]:
    for part in loc:
        data = data[part]
    assert isinstance(data, dict)
    return data


def file_value(value: Any) -> Any:
    """The value of a change as a JSON plan holds it (and ``--report json`` shows it): JSON's
    own types, a date and time as written (``2018-04-24T12:00``)."""
    return json.loads(json.dumps(value, default=_json_default))


def _describe(changes: list[Change]) -> Items:
    said: list[Message] = []
    for change in changes:
        where = loc_to_path((*change.table, change.key))
        if change.value is DELETE:
            said.append(msg("remove {path}", path=where))
        else:
            said.append(msg("set {path} = {value}", path=where, value=repr(change.value)))
    return Items(tuple(said), "; ")


# -- TOML -------------------------------------------------------------------------------


def _toml_literal(value: Any) -> str:
    import tomlkit

    literal: str = tomlkit.item(value).as_string()
    return literal.translate(_SHOWN["toml"])


_SHOWN = {
    "toml": {c: f"\\u{c:04X}" if c <= 0xFFFF else f"\\U{c:08X}" for c in ESCAPED},
    "json": {c: json.dumps(chr(c))[1:-1] for c in ESCAPED},
}
"""The characters a file carries as escapes (``tripplan.characters.ESCAPED``), as the
escapes each format reads back as the same character: a value written into a plan file
shows what it holds in an editor or a diff (``hosts confirm --name`` with a right-to-left
override wrote it raw, and the line read differently from what it held). Only string
literals can hold them, and both formats read these escapes in every string tomlkit and
``json.dumps`` write."""


def _toml_edit(text: str, change: Change) -> str:
    lines = text.splitlines(keepends=True)
    eol = "\r\n" if "\r\n" in text else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += eol
    start, end, dotted = _toml_place(lines, change)
    key = ".".join(dotted)
    found = _toml_value_lines(lines, start, end, dotted)
    if change.value is DELETE:
        if found is not None:
            del lines[found[0] : found[1]]
        return "".join(lines)
    comment = f" # {change.comment}" if change.comment else ""
    if found is not None:
        first, last = found
        indent = _indent(lines[first])
        if not comment:
            comment = _trailing_comment("".join(lines[first:last]), dotted)
        lines[first:last] = [f"{indent}{key} = {_toml_literal(change.value)}{comment}{eol}"]
        return "".join(lines)
    at = start
    indent = ""
    for index in range(start, end):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            at = index + 1
            if toml_key(lines[index]) is not None:
                indent = _indent(lines[index])
    lines.insert(at, f"{indent}{key} = {_toml_literal(change.value)}{comment}{eol}")
    return "".join(lines)


def _toml_place(lines: list[str], change: Change) -> tuple[int, int, tuple[str, ...]]:
    """Where ``change`` is made: the lines of the nearest table at or above its table that
    is written with its own header, and the dotted key within it (``translations.en.name``
    in a ``[[communities]]`` table, as plans write translations)."""
    table = change.table
    for cut in range(len(table), 0, -1):
        rest = table[cut:]
        if any(not isinstance(part, str) for part in rest):
            break  # an element of an array is never a dotted key
        try:
            start, end = _toml_span(lines, table[:cut])
        except CannotEdit:
            continue
        return start, end, (*(str(part) for part in rest), change.key)
    return (*_toml_span(lines, table), (change.key,))


def _toml_span(lines: list[str], table: Loc) -> tuple[int, int]:
    """The lines of the table at ``table``: after its header up to the next header."""
    headers = list(toml_headers([line.rstrip("\r\n") for line in lines]))
    for position, (index, loc) in enumerate(headers):
        if loc == table:
            end = headers[position + 1][0] if position + 1 < len(headers) else len(lines)
            return index + 1, end
    raise CannotEdit(
        msg(
            "{table} is not written as its own [table] in this file (perhaps as an inline "
            "table); make the edit by hand",
            table=loc_to_path(table),
        )
    )


def _toml_value_lines(
    lines: list[str], start: int, end: int, dotted: tuple[str, ...]
) -> tuple[int, int] | None:
    """Lines ``[first, last)`` of ``key = value`` (``dotted``: the key's parts) in a table
    (a value may span lines)."""
    import tomllib

    key = ".".join(dotted)
    for first in range(start, end):
        if toml_key(lines[first]) != dotted:
            continue
        for last in range(first + 1, end + 1):
            try:
                tomllib.loads("".join(lines[first:last]))
            except tomllib.TOMLDecodeError:
                continue
            return first, last
        raise CannotEdit(
            msg("the value of {key} cannot be told apart from its neighbours", key=repr(key))
        )
    return None


def _trailing_comment(chunk: str, dotted: tuple[str, ...]) -> str:
    """The comment after a one-line value, to keep it when the value changes."""
    if chunk.count("\n") > 1:
        return ""
    import tomlkit

    item: Any = tomlkit.parse(chunk)
    for part in dotted:
        item = item[part]
    comment = item.trivia.comment
    return f" {comment}" if comment else ""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


# -- JSON -------------------------------------------------------------------------------


@dataclass
class _Member:
    key_start: int
    value_start: int
    value_end: int


@dataclass
class _Object:
    start: int
    end: int  # just after the closing brace
    members: dict[str, _Member]


_WS = re.compile(r"[ \t\n\r]*")


def _json_objects(text: str) -> dict[Loc, _Object]:
    """Every object in a JSON text by its path, with the offsets of its members."""
    decoder = json.JSONDecoder()
    objects: dict[Loc, _Object] = {}

    def value(i: int, loc: Loc) -> int:
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        if text[i] == "{":
            found = _Object(i, i, {})
            objects[loc] = found
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            while text[i] != "}":
                key, after = decoder.raw_decode(text, i)
                colon = _WS.match(text, after).end()  # type: ignore[union-attr]
                start = _WS.match(text, colon + 1).end()  # type: ignore[union-attr]
                end = value(start, (*loc, key))
                found.members[key] = _Member(i, start, end)
                i = _WS.match(text, end).end()  # type: ignore[union-attr]
                if text[i] == ",":
                    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            found.end = i + 1
            return i + 1
        if text[i] == "[":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            number = 0
            while text[i] != "]":
                i = _WS.match(text, value(i, (*loc, number))).end()  # type: ignore[union-attr]
                number += 1
                if text[i] == ",":
                    i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            return i + 1
        scalar_end: int = decoder.raw_decode(text, i)[1]
        return scalar_end

    value(0, ())
    return objects


def _json_edit(text: str, change: Change) -> str:
    objects = _json_objects(text)
    found = objects.get(change.table)
    if found is None:
        raise CannotEdit(
            msg("{table} is not an object in this file", table=loc_to_path(change.table))
        )
    member = found.members.get(change.key)
    if change.value is DELETE:
        if member is None:
            return text
        keys = list(found.members)
        position = keys.index(change.key)
        if position > 0:  # from the end of the previous value: its comma goes too
            cut = found.members[keys[position - 1]].value_end
            return text[:cut] + text[member.value_end :]
        if len(keys) > 1:  # the first member: up to the next key
            return text[: member.key_start] + text[found.members[keys[1]].key_start :]
        return text[: found.start + 1] + text[found.end - 1 :]
    literal = json.dumps(change.value, ensure_ascii=False, default=_json_default).translate(
        _SHOWN["json"]
    )
    if member is not None:
        return text[: member.value_start] + literal + text[member.value_end :]
    key = json.dumps(change.key, ensure_ascii=False)
    if not found.members:
        return text[: found.start + 1] + f"{key}: {literal}" + text[found.end - 1 :]
    last = list(found.members.values())[-1]
    line_start = text.rfind("\n", 0, last.key_start) + 1
    gap = text[line_start : last.key_start]
    eol = "\r\n" if "\r\n" in text else "\n"
    separator = f",{eol}{gap}" if gap.strip() == "" and line_start > found.start else ", "
    return text[: last.value_end] + f"{separator}{key}: {literal}" + text[last.value_end :]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes") if value.tzinfo else f"{value:%Y-%m-%dT%H:%M}"
    raise TypeError(type(value).__name__)


def _as_written(moment: datetime) -> datetime:
    """A placement as a plan writes it: the wall-clock time, with its UTC offset only when
    that time happens twice (the repeated hour at the end of DST)."""
    if moment.tzinfo is None:
        return moment
    other = moment.replace(fold=1 - moment.fold)
    return moment if other.utcoffset() != moment.utcoffset() else moment.replace(tzinfo=None)


# -- the edits tripplan makes -------------------------------------------------------------


@dataclass(frozen=True)
class Confirmed:
    path: Path
    before: Plan
    after: Plan
    changes: tuple[Change, ...]


def confirm_host(
    source: PlanSource,
    placeholder: str,
    *,
    name: str,
    timezone: str,
    airports: tuple[str, ...] = (),
    subdivision: str | None = None,
    address: str | None = None,
    note: Callable[[str], str] = lambda language: "confirmed",
) -> Confirmed:
    """Replace placeholder host ``placeholder`` by the real community, keeping its id.

    Every activity there keeps its local wall-clock time and so moves in absolute time
    when the zone changes; references to the id stay valid.
    """
    path = editable(source, "hosts confirm", msg("confirm hosts in the copy"))
    try:
        zone(timezone)
    except ValueError as exc:
        raise UsageError(msg("--timezone: {exc}", exc=str(exc))) from None
    for code in airports:
        try:
            airport(code)
        except ValueError as exc:
            raise UsageError(msg("--airport: {exc}", exc=str(exc))) from None
    with locked(source) as raw:
        before = plan_from_bytes(raw, source)
        ids = [c.id for c in before.communities]
        language = before.programme.language  # what is said from here on is said in it
        if placeholder not in ids:
            candidates = [c.id for c in before.communities if c.placeholder]
            raise UsageError(
                msg(
                    "no community has the id {placeholder}; placeholders to confirm: {ids}",
                    placeholder=f"{placeholder!r}",
                    ids=", ".join(candidates),
                )
                if candidates
                else msg(
                    "no community has the id {placeholder}, and no placeholder is left to confirm",
                    placeholder=f"{placeholder!r}",
                ),
                language,
            )
        community = before.community(placeholder)
        if not community.placeholder:
            raise UsageError(
                msg(
                    "{placeholder} ({name}) is already confirmed; edit the plan by hand to "
                    "change it",
                    placeholder=f"{placeholder!r}",
                    name=community.called,
                ),
                language,
            )
        table: Loc = ("communities", ids.index(placeholder))
        changes = [
            Change(table, "name", name),
            Change(table, "timezone", timezone, note(before.programme.language)),
            *([Change(table, "airports", list(airports))] if airports else []),
            *([Change(table, "subdivision", subdivision)] if subdivision else []),
            *([Change(table, "address", address)] if address else []),
            Change(table, "placeholder"),
            # a real place keeps its name in every language: the placeholder's translated
            # names go with it
            *(
                Change((*table, "translations", lang), "name")
                for lang, texts in sorted(community.translations.items())
                if texts.name is not None
            ),
        ]
        after, _ = _edit_locked(
            source,
            raw,
            lambda data: changes,
            msg(
                "confirming {id} with time zone {zone} would make the plan invalid, so nothing was "
                "changed. Fix these first:",
                id=repr(placeholder),
                zone=timezone,
            ),
        )
    return Confirmed(path=path, before=before, after=after, changes=tuple(changes))


def write_placements(
    source: PlanSource,
    placements: dict[tuple[str, str], datetime],
    note: str,
    *,
    read: bytes,
) -> tuple[Change, ...]:
    """Record ``placed = <local start>`` for flexible activities, keyed by (trip, activity),
    each with ``note`` as its comment (the caller's words, in the plan's language).
    ``read`` is the file's content the placements were computed from (see
    :func:`tripplan.loader.read_plan`): when the file changed since, nothing is written."""
    editable(source, "--write", msg("run 'tripplan plan --write'"))

    def changes_for(data: Any) -> list[Change]:
        changes = []
        for t, trip in enumerate(data.get("trips", [])):
            for a, activity in enumerate(trip.get("activities", [])):
                when = placements.get((trip.get("id"), activity.get("id")))
                if when is not None:
                    placed = _as_written(when.replace(second=0, microsecond=0))
                    changes.append(Change(("trips", t, "activities", a), "placed", placed, note))
        return changes

    _, changes = edit_plan(
        source,
        changes_for,
        msg("recording the placements would make the plan invalid:"),
        read=read,
    )
    return changes
