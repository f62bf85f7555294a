"""Read plan files (TOML or JSON) into a validated :class:`~tripplan.models.Plan`.

Every way a file can be wrong ends in one :class:`~tripplan.errors.PlanError`
listing each problem as ``file › field.path (line N): what is wrong and what to
do``. Personal data from a delegate's ``private`` block is never echoed.
"""

from __future__ import annotations

import json
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tripplan.errors import PlanError, Problem, closest
from tripplan.messages import (
    OR,
    Choice,
    Items,
    Message,
    Number,
    Refused,
    did_you_mean,
    msg,
    nmsg,
    suggestion_in,
)
from tripplan.models import InvalidPlan, Loc, Model, Origin, Plan, loc_to_path
from tripplan.vocabulary import Lang

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 32
LIMITS = {"trips": 1_000, "activities": 20_000, "legs": 20_000, "delegates": 5_000}
DEFAULT_NAME = "tripplan.toml"
BUNDLED = "bautzen-2018/plan.toml"


@dataclass(frozen=True)
class PlanSource:
    """Where a plan comes from: a file, standard input, or the bundled example."""

    path: Path | None  # None for standard input
    label: str  # what messages call it
    why: Message  # why this one was chosen (for the "using plan" note)


def bundled_plan_path() -> Path:
    """The bundled Bautzen 2018 plan: inside the wheel, or in the source checkout."""
    packaged = Path(__file__).parent / "data" / BUNDLED
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / BUNDLED


def resolve_source(plan: str | Path | None, cwd: Path | None = None) -> PlanSource:
    """The plan a command uses: PLAN, else ``./tripplan.toml``, else the bundled plan."""
    if plan is not None and str(plan) == "-":
        return PlanSource(None, "<stdin>", msg("read from standard input"))
    if plan is not None:
        path = Path(plan)
        return PlanSource(path, str(path), msg("given on the command line"))
    local = (cwd or Path.cwd()) / DEFAULT_NAME
    if local.is_file():
        return PlanSource(local, DEFAULT_NAME, msg("found ./{name}", name=DEFAULT_NAME))
    path = bundled_plan_path()
    return PlanSource(path, "bundled:bautzen-2018/plan.toml", msg("the bundled Bautzen 2018 plan"))


def load_plan(plan: str | Path | PlanSource | None) -> Plan:
    """Load and validate a plan; raise :class:`PlanError` with every problem found.

    Nothing of the plan is stored anywhere: a script that needs a plan many times loads
    it once and keeps the :class:`Plan` (see :mod:`tripplan`).
    """
    source = plan if isinstance(plan, PlanSource) else resolve_source(plan)
    return plan_from_bytes(read_bytes(source), source)


def read_plan(source: PlanSource) -> tuple[Plan, bytes]:
    """The plan of ``source`` and the bytes it was read from: an edit made later checks that
    the file still holds them (see :mod:`tripplan.edit`)."""
    raw = read_bytes(source)
    return plan_from_bytes(raw, source), raw


def plan_from_bytes(raw: bytes, source: PlanSource) -> Plan:
    """The plan in ``raw``, the bytes read from ``source`` (which names it in messages)."""
    text = _decode(raw, source.label)
    fmt = plan_format(source, text)
    return validate(parse(text, fmt, source.label), source.label, text, fmt)


def validate(data: Any, label: str = "<plan>", text: str | None = None, fmt: str = "toml") -> Plan:
    """Validate already-parsed plan data (a dict as from TOML or JSON).

    ``text`` is the file the data came from, used only to find line numbers for messages.
    """
    if not isinstance(data, dict):
        raise PlanError(
            [
                Problem(
                    label,
                    msg('a plan must be a table/object at the top level, e.g. {{"programme": …}}'),
                )
            ]
        )
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise PlanError(
            [
                Problem(
                    label,
                    msg(
                        "data is nested more than {levels} levels deep, more than any plan "
                        "needs; look for stray brackets",
                        levels=MAX_DEPTH,
                    ),
                )
            ]
        )
    _check_size(data, label)
    from pydantic import ValidationError

    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        lines = _lines(text, fmt)
        errors = exc.errors()
        problems = _merge_alternatives(
            [_from_pydantic(_untagged(err), label, lines) for err in errors[:MAX_PROBLEMS]]
        )
        if len(errors) > MAX_PROBLEMS:
            problems.append(_more(label, len(errors) - MAX_PROBLEMS))
    except InvalidPlan as exc:
        lines = _lines(text, fmt)
        problems = [_problem(label, loc, message, lines) for loc, message in exc.problems]
        if exc.more:
            problems.append(_more(label, exc.more))
    else:
        _check_attendance(plan, label)
        if text is not None:
            plan.read_from(Origin(label, _locator(text, fmt)))
        return plan
    raise PlanError(problems, language_of(data))


def language_of(data: dict[str, Any]) -> str | None:
    """The language a plan that does not load says it is written in, if it says so."""
    programme = data.get("programme")
    language = programme.get("language") if isinstance(programme, dict) else None
    return language if language in set(Lang) else None


MAX_ATTENDANCES = 100_000
"""People × events they attend: what checking and rendering a plan costs grows with it."""


def _check_attendance(plan: Plan, label: str) -> None:
    """Refuse, before any work, a plan whose people attend more events than tripplan
    handles in seconds; say which trip and which number."""
    sizes = {d.id: len(d.members) for d in plan.delegations}

    def people(ids: tuple[str, ...], everyone: int) -> int:
        return sum(sizes.get(i, 1) for i in ids) if ids else everyone

    total = 0
    biggest: tuple[int, str, int, int] = (0, "", 0, 0)
    for trip in plan.trips:
        everyone = people(trip.delegations, 0)
        counts = [
            *(people(leg.travellers, everyone) for leg in trip.legs),
            *(people(activity.participants, everyone) for activity in trip.activities),
            *(people(stay.travellers, everyone) for stay in trip.stays),
        ]
        attended = sum(counts)
        total += attended
        if attended > biggest[0]:
            biggest = (attended, trip.id, len(counts), max(counts, default=0))
    if total > MAX_ATTENDANCES:
        _, trip_id, count, widest = biggest
        raise PlanError(
            [
                Problem(
                    label,
                    msg(
                        "its people attend {total} events in all (each event counted once per "
                        "person); tripplan handles at most {limit}. Most of them are in trip "
                        "{trip}: {count} legs, activities and stays with up to {widest} people "
                        "each. Name the participants of each activity instead of inviting "
                        "everyone, or split the programme into several plans.",
                        total=Number(total),
                        limit=Number(MAX_ATTENDANCES),
                        trip=repr(trip_id),
                        count=Number(count),
                        widest=Number(widest),
                    ),
                )
            ]
        )


MAX_PROBLEMS = 20
"""Problems reported in full; the rest are counted (a "did you mean" costs a search each)."""


def _more(label: str, count: int) -> Problem:
    return Problem(
        label,
        nmsg(
            "… and {count} more problem; fix the ones above first",
            "… and {count} more problems; fix the ones above first",
            count,
            count=Number(count),
        ),
    )


def _locator(text: str, fmt: str) -> Callable[[Loc], int | None]:
    """The line of a field path in ``text``, as load errors find it; the file is scanned
    once, on the first question (most runs ask none)."""
    found: list[dict[Loc, int]] = []

    def line(loc: Loc) -> int | None:
        if not found:
            found.append(_lines(text, fmt))
        return _line_of(loc, found[0])

    return line


def _lines(text: str | None, fmt: str) -> dict[Loc, int]:
    if text is None:
        return {}
    return _json_lines(text) if fmt == "json" else _toml_lines(text)


def _check_size(data: dict[str, Any], label: str) -> None:
    """Refuse plans too large to check within the speed budget, before validating them."""
    counts = {"trips": 0, "activities": 0, "legs": 0, "delegates": 0}
    trips = data.get("trips")
    if isinstance(trips, list):
        counts["trips"] = len(trips)
        for trip in trips:
            if isinstance(trip, dict):
                for key in ("activities", "legs"):
                    items = trip.get(key)
                    if isinstance(items, list):
                        counts[key] += len(items)
    delegates = data.get("delegates")
    if isinstance(delegates, list):
        counts["delegates"] = len(delegates)
    for key, limit in LIMITS.items():
        if counts[key] > limit:
            raise PlanError(
                [
                    Problem(
                        f"{label} › {key}",
                        msg(
                            "the plan has {count} {what}; tripplan handles at most {limit} in "
                            "one plan. Split the programme into several plans (one per phase "
                            "or per delegation).",
                            count=Number(counts[key]),
                            what=key,
                            limit=Number(limit),
                        ),
                    )
                ]
            )


# -- reading ------------------------------------------------------------------


def read_bytes(source: PlanSource) -> bytes:
    """The bytes of a plan file (or standard input), refused with a message when they cannot
    be read or are more than any plan needs."""
    if source.path is None:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = source.path
        if path.is_dir():
            raise PlanError(
                [
                    Problem(
                        source.label,
                        msg(
                            "is a directory; give the plan file inside it, e.g. {example}",
                            example=str(path / DEFAULT_NAME),
                        ),
                    )
                ]
            )
        if not path.exists():
            raise PlanError(
                [
                    Problem(
                        source.label,
                        msg(
                            "no such file; check the path, or run 'tripplan init' to write a "
                            "starter plan"
                        ),
                    )
                ]
            )
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise PlanError([_too_big(source.label, size)])
            with path.open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise PlanError(
                [
                    Problem(
                        source.label,
                        msg(
                            "cannot be read ({reason}); check its permissions",
                            reason=str(exc.strerror or exc),
                        ),
                    )
                ]
            ) from None
    if len(data) > MAX_BYTES:
        raise PlanError([_too_big(source.label, len(data))])
    return data


def _too_big(label: str, size: int) -> Problem:
    return Problem(
        label,
        msg(
            "is {size} MB; tripplan reads plans of at most {limit} MB. Split the programme "
            "into several plans.",
            size=f"{size / 1024 / 1024:.1f}",
            limit=MAX_BYTES // 1024 // 1024,
        ),
    )


def _decode(raw: bytes, label: str) -> str:
    if not raw.strip():
        raise PlanError(
            [
                Problem(
                    label,
                    msg(
                        "is empty; a plan needs at least [programme] and [[communities]] (run "
                        "'tripplan init' for a starter plan)"
                    ),
                )
            ]
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanError([Problem(label, msg("is saved as UTF-16; save it as UTF-8 instead"))])
    if b"\x00" in raw[:8192]:
        raise PlanError([Problem(label, msg("is a binary file, not a TOML or JSON plan"))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError(
            [
                Problem(
                    label,
                    msg(
                        "is not UTF-8 (byte {byte} at offset {offset}); save the file as UTF-8",
                        byte=f"0x{raw[exc.start]:02x}",
                        offset=exc.start,
                    ),
                    line,
                )
            ]
        ) from None
    return text.removeprefix("\ufeff")


def plan_format(source: PlanSource, text: str) -> str:
    """``"json"`` or ``"toml"``: by the file's suffix, else by its content."""
    if source.path is not None:
        suffix = source.path.suffix.lower()
        if suffix == ".json":
            return "json"
        if suffix == ".toml":
            return "toml"
    return "json" if text.lstrip().startswith(("{", "[")) and not _looks_toml(text) else "toml"


_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
_TOML_HEADER = re.compile(rf"^\[\[?\s*{_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*\s*\]\]?\s*(#.*)?$")


def _looks_toml(text: str) -> bool:
    """Whether text that starts with ``[`` is TOML: its first line is a table header
    (``[programme]``, ``["programme"]``, ``[[trips]]``), which no JSON document starts with."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return bool(_TOML_HEADER.match(first))


def parse(text: str, fmt: str, label: str) -> Any:
    """The data of a plan's text in ``fmt``; :class:`PlanError` when it is not TOML/JSON.

    Every refusal names the line, and where it can the field, like the plan's other
    problems: a JSON key written twice, a number of thousands of digits, a TOML time
    written without seconds."""
    try:
        if fmt == "json":
            return _parse_json(text, label)
        return _parse_toml(text, label)
    except RecursionError:
        raise PlanError(
            [
                Problem(
                    label,
                    msg(
                        "is nested too deeply; plans use at most {levels} levels", levels=MAX_DEPTH
                    ),
                )
            ]
        ) from None


_HUGE_NUMBER = msg(
    "contains a number with thousands of digits, far more than any plan needs; look for a "
    "pasted value where a year, a version or a count belongs"
)


def _parse_json(text: str, label: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        loc, line = _json_flaw(text, "key")
        message = msg(
            "the key {key} appears twice in one object; JSON readers disagree on which one "
            "counts, so keep only the one you mean",
            key=repr(exc.key),
        )
        raise PlanError([_at(label, loc, message, line)]) from None
    except json.JSONDecodeError as exc:
        raise PlanError(
            [
                Problem(
                    label,
                    msg(
                        "is not valid JSON: {detail} (column {column})",
                        detail=exc.msg,
                        column=exc.colno,
                    ),
                    exc.lineno,
                )
            ]
        ) from None
    except ValueError:  # Python refuses to read integers of more than 4,300 digits
        loc, line = _json_flaw(text, "number")
        raise PlanError([_at(label, loc, _HUGE_NUMBER, line)]) from None


def _at(label: str, loc: Loc | None, message: Message, line: int | None) -> Problem:
    path = loc_to_path(loc) if loc else ""
    return Problem(f"{label} › {path}" if path else label, message, line)


def _json_flaw(text: str, kind: str) -> tuple[Loc | None, int | None]:
    """Where in a JSON text that Python's reader refused the first key written twice in one
    object (``kind`` "key") or number too long to read ("number") is: its field path and
    line. ``(None, None)`` if it cannot be told."""
    decoder = json.JSONDecoder()
    space = re.compile(r"[ \t\n\r]*")

    def skip(i: int) -> int:
        found = space.match(text, i)
        return found.end() if found else i

    def value(i: int, loc: Loc) -> int:
        i = skip(i)
        if text[i] == "{":
            seen: set[str] = set()
            i = skip(i + 1)
            while text[i] != "}":
                key_at = i
                key, i = decoder.raw_decode(text, i)
                if kind == "key" and key in seen:
                    raise _Flaw((*loc, key), key_at)
                seen.add(key)
                i = value(skip(i) + 1, (*loc, key))
                i = skip(i)
                if text[i] == ",":
                    i = skip(i + 1)
            return i + 1
        if text[i] == "[":
            i = skip(i + 1)
            number = 0
            while text[i] != "]":
                i = skip(value(i, (*loc, number)))
                number += 1
                if text[i] == ",":
                    i = skip(i + 1)
            return i + 1
        try:
            end: int = decoder.raw_decode(text, i)[1]
        except ValueError:
            raise _Flaw(loc, i) from None
        return end

    try:
        value(0, ())
    except _Flaw as found:
        return found.loc, text.count("\n", 0, found.offset) + 1
    except (ValueError, IndexError, RecursionError):
        pass
    return None, None


class _Flaw(Exception):
    def __init__(self, loc: Loc, offset: int) -> None:
        self.loc = loc
        self.offset = offset


_NO_SECONDS = re.compile(r"""=\s*(?P<value>(?:\d{4}-\d{2}-\d{2}[Tt ])?\d{2}:\d{2})(?![:\d])""")


def _parse_toml(text: str, label: str) -> Any:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", detail)
        line = int(match.group(1)) if match else None
        lines = text.splitlines()
        written = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
        short = _NO_SECONDS.search(written.split("#", 1)[0])
        if short and line is not None:
            value = short.group("value")
            loc = _toml_loc(lines, line - 1)
            if "private" in loc:  # a passport's expiry is not repeated; an example instead
                example = "2027-03-26T09:30" if "T" in value.upper() else "09:30"
                found = msg(
                    "the time is written without quotes and without seconds, which TOML "
                    "does not read (it is private, so it is not repeated here); write it in "
                    "quotes, as {quoted}, or with seconds, as {seconds}",
                    quoted=f'"{example}"',
                    seconds=f"{example}:00",
                )
            else:
                found = msg(
                    "the time {value} is written without quotes and without seconds, which "
                    "TOML does not read; write it in quotes, {quoted}, or with seconds, "
                    "{seconds}",
                    value=value,
                    quoted=f'"{value}"',
                    seconds=f"{value}:00",
                )
            raise PlanError([_at(label, loc, found, line)]) from None
        if match:
            found = msg(
                "is not valid TOML: {detail} (column {column})",
                detail=detail[: match.start()].strip(),
                column=match.group(2),
            )
        else:
            found = msg("is not valid TOML: {detail}", detail=detail)
        raise PlanError([Problem(label, found, line)]) from None
    except ValueError:  # Python refuses to read integers of more than 4,300 digits
        raise PlanError([_toml_huge_number(text, label)]) from None


def _toml_huge_number(text: str, label: str) -> Problem:
    """The huge-number refusal at the line (and field) that holds the number."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if re.search(r"\d{1000,}", line):
            return _at(label, _toml_loc(lines, index), _HUGE_NUMBER, index + 1)
    return Problem(label, _HUGE_NUMBER)


def _toml_loc(lines: list[str], index: int) -> Loc:
    """The field a TOML line sets (or the table it opens or is in)."""
    table: Loc = ()
    for at, loc in toml_headers(lines[: index + 1]):
        table = loc
        if at == index:
            return table
    key = toml_key(lines[index])
    return (*table, *key) if key else table


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


def _depth(value: Any) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
    return deepest


# -- messages -----------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    """A problem pydantic found: where, what, and the hints that may say how to fix it."""

    location: str
    line: int | None
    base: Message
    hints: tuple[Message, ...]


def _from_pydantic(err: Any, label: str, lines: dict[Loc, int]) -> _Found:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    private = "private" in loc
    hints: list[Message] = []
    if kind == "missing":
        base = msg("is required but missing; add '{field}'", field=str(loc[-1]))
    elif kind == "extra_forbidden":
        known = _fields_at(loc[:-1])
        close = closest(str(loc[-1]), known)
        base = msg(
            "unknown field {field}{hint} Remove it or fix its spelling.{allowed}",
            field=repr(loc[-1]),
            hint=did_you_mean(close) if close else ".",
            allowed=msg(" Allowed here: {fields}.", fields=", ".join(known)) if known else "",
        )
    elif kind in _TABLE_KINDS:
        got = "" if private else msg(" (got {value})", value=_short(err["input"]))
        base = msg("write a table (TOML) or an object (JSON) here{got}", got=got)
    else:
        error = err.get("ctx", {}).get("error")
        if isinstance(error, Refused):
            base = _private_message(loc) if private else error.message
        elif private and (kind == "value_error" or kind.startswith("assertion")):
            base = _private_message(loc)  # a validator's text may quote the value
        else:
            base = _pydantic_message(kind, err)
            validator = kind == "value_error" or kind.startswith("assertion")
            if (
                not (private or validator)
                and "input" in err
                and not isinstance(err["input"], dict | list)
            ):
                base = msg("{problem} (got {value})", problem=base, value=_short(err["input"]))
        if kind == "string_pattern_mismatch":
            base, hint = _pattern_hint(loc, base, err.get("input"))
            hints += hint
        elif kind in ("literal_error", "enum") and isinstance(err.get("input"), str):
            hints += _choice_hint(err["input"], str(err.get("ctx", {}).get("expected", "")))
        for prefix, hint_message in _HINTS.items():
            if kind.startswith(prefix):
                hints.append(hint_message)
                break
    problem = _problem(label, loc, base, lines)
    return _Found(problem.location, problem.line, base, tuple(hints))


def _joined(base: Message, hints: Sequence[Message]) -> Message:
    """``problem; hint`` (or ``problem; hint or hint`` for alternatives)."""
    if not hints:
        return base
    return msg("{problem}; {hints}", problem=base, hints=Items(tuple(hints), OR))


_PYDANTIC = {
    "bool_type": msg("Input should be a valid boolean"),
    "bool_parsing": msg("Input should be a valid boolean, unable to interpret input"),
    "int_type": msg("Input should be a valid integer"),
    "int_parsing": msg("Input should be a valid integer, unable to parse string as an integer"),
    "int_from_float": msg("Input should be a valid integer, got a number with a fractional part"),
    "float_type": msg("Input should be a valid number"),
    "float_parsing": msg("Input should be a valid number, unable to parse string as a number"),
    "string_type": msg("Input should be a valid string"),
    "date_type": msg("Input should be a valid date"),
    "datetime_type": msg("Input should be a valid datetime"),
    "time_type": msg("Input should be a valid time"),
    "tuple_type": msg("Input should be a valid tuple"),
    "list_type": msg("Input should be a valid list"),
}
"""pydantic's own messages, for the catalogs; the others come with their details below."""


def _pydantic_message(kind: str, err: Any) -> Message:
    """pydantic's message for an error of ``kind``, as a message of the catalogs."""
    ctx = err.get("ctx", {})
    if kind in _PYDANTIC:
        return _PYDANTIC[kind]
    if kind in ("literal_error", "enum"):
        choices = tuple(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return msg("Input should be {choices}", choices=Choice(choices))
    if kind == "string_pattern_mismatch":
        return msg("String should match pattern '{pattern}'", pattern=str(ctx.get("pattern")))
    if kind in ("date_parsing", "date_from_datetime_parsing"):
        return msg("Input should be a valid date or datetime, {error}", error=str(ctx.get("error")))
    if kind in ("datetime_parsing", "datetime_from_date_parsing"):
        return msg("Input should be a valid datetime, {error}", error=str(ctx.get("error")))
    if kind == "time_parsing":
        return msg("Input should be in a valid time format, {error}", error=str(ctx.get("error")))
    if kind == "string_too_short":
        return msg("String should have at least {count} characters", count=ctx.get("min_length"))
    if kind == "string_too_long":
        return msg("String should have at most {count} characters", count=ctx.get("max_length"))
    if kind == "too_short":
        return msg("List should have at least {count} items", count=ctx.get("min_length"))
    if kind.startswith(("greater_than", "less_than")):
        return msg("{text}", text=str(err["msg"]))  # our fields say their ranges themselves
    text = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return msg("{text}", text=text)  # a message pydantic gives rarely: as it says it


_TAG = re.compile(r"[\[(]|^(?:date|datetime|time|timedelta|str|int|float|bool|none)$")
"""A step of an error's location that names a member of a union, not a field."""


def _untagged(err: Any) -> Any:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _TAG.search(p)))
    return {**err, "loc": loc}


def _merge_alternatives(found: list[_Found]) -> list[Problem]:
    """A value that fits none of a field's forms gets one problem that names them all."""
    merged: dict[tuple[str, int | None], list[_Found]] = {}
    for one in found:
        merged.setdefault((one.location, one.line), []).append(one)
    out = []
    for (location, line), group in merged.items():
        base = group[0].base
        hints = list(dict.fromkeys(h for one in group for h in one.hints))
        message = _joined(base, hints)
        out.append(Problem(location, message, line, suggestion_in(message)))
    return out


_PRIVATE_HINTS = {
    "passport_expiry": msg("write the date as YYYY-MM-DD, in the years 1900–2200"),
}


def _private_message(loc: Loc) -> Message:
    """What is wrong with a private value, without repeating the value."""
    field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    hint = _PRIVATE_HINTS.get(field, msg("check what is written there"))
    return msg(
        "this value is not accepted (it is private, so it is not repeated here); {hint}",
        hint=hint,
    )


_HINTS = {
    "int_": msg("write a whole number"),
    "float_": msg("write a number"),
    "bool_": msg("write true or false"),
    "date_": msg("write a date as YYYY-MM-DD"),
    "datetime_": msg("write a wall-clock time as YYYY-MM-DDTHH:MM"),
    "time_": msg("write a time of day as HH:MM"),
    "string_type": msg("write text in quotes"),
    "string_too_short": msg("write at least one character"),
    "string_too_long": msg("shorten the text"),
    "tuple_type": msg('write a list, e.g. ["a", "b"]'),
    "list_type": msg('write a list, e.g. ["a", "b"]'),
    "too_short": msg("add at least one entry"),
}
_TABLE_KINDS = {"model_type", "model_attributes_type", "dict_type"}
"""pydantic's "Input should be a dictionary or an instance of WorkingHours", said for people."""


def _pattern_hint(loc: Loc, base: Message, value: object = None) -> tuple[Message, list[Message]]:
    field = str(loc[-1]) if not isinstance(loc[-1], int) else str(loc[-2])
    hints = {
        "country": msg("write an ISO 3166 country code such as 'DE' or 'US'"),
        "subdivision": msg("write an ISO 3166-2 code such as 'DE-SN'"),
        "languages": msg("write ISO 639 language codes such as 'de' or 'en'"),
    }
    if field == "country" and isinstance(value, str):
        code = _country_code(value)
        return (
            msg(
                "{value} is not an ISO 3166 country code: write two capital letters such as "
                "'DE' or 'US'{hint}",
                value=_short(value),
                hint=did_you_mean(code) if code else "",
            ),
            [],
        )
    if field in {"currency", "from", "to"} and isinstance(value, str):
        upper = value.upper()
        return (
            msg(
                "{value} is not an ISO 4217 currency code: write three capital letters such "
                "as 'EUR' or 'USD'{hint}",
                value=_short(value),
                hint=did_you_mean(upper) if len(upper) == 3 and upper.isalpha() else "",
            ),
            [],
        )
    return base, [hints[field]] if field in hints else []


def _country_code(value: str) -> str | None:
    """The two-letter code for a three-letter one or a lower-case one ('USA', 'deu', 'us')."""
    if len(value) == 2 and value.isalpha():
        return value.upper()
    from babel.core import get_global

    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    found = aliases.get(value.upper())
    return found[0] if found and len(found[0]) == 2 else None


def _choice_hint(value: str, expected: str) -> list[Message]:
    """ "did you mean 'workshop'?" for a slip in case or spelling of an allowed value."""
    choices = re.findall(r"'([^']*)'", expected)
    for choice in choices:
        if choice.casefold() == value.casefold().replace(" ", "_").replace("-", "_"):
            return [did_you_mean(choice, bare=True)]
    close = closest(value.lower(), choices)
    return [did_you_mean(close, bare=True)] if close else []


def _problem(label: str, loc: Loc, message: Message, lines: dict[Loc, int]) -> Problem:
    path = loc_to_path(loc)
    where = f"{label} › {path}" if path else label
    return Problem(where, message, _line_of(loc, lines), suggestion_in(message))


def _short(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"  # as plan files write it
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(loc: Loc) -> list[str]:
    """The field names (as written in plan files) of the model at ``loc``."""
    model: Any = Plan
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = _field_types(model).get(str(part))
        if annotation is None:
            return []
        model = _model_in(annotation)
        if model is None:
            return []
    return sorted(_field_types(model))


def _field_types(model: type[Model]) -> dict[str, Any]:
    """The fields of ``model`` by the names plan files use, with their types."""
    return {field.alias or name: field.annotation for name, field in model.model_fields.items()}


def _model_in(annotation: Any) -> type[Model] | None:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (tuple, list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-.\"']+)\s*=")


def toml_headers(lines: list[str]) -> Iterator[tuple[int, Loc]]:
    """``(index, path)`` of each table header line: the concrete path of the table it opens
    (``[[trips.activities]]`` after the second ``[[trips]]`` opens ``("trips", 1,
    "activities", n)``). Lines inside multi-line strings are not told apart."""
    counters: dict[Loc, int] = {}
    last_element: dict[Loc, Loc] = {}  # array path without indices -> concrete element
    for index, line in enumerate(lines):
        header = _HEADER.match(line)
        if not header:
            continue
        keys = tuple(k.strip().strip("\"'") for k in header.group(2).split("."))
        concrete: Loc = ()
        for depth, key in enumerate(keys):
            prefix = keys[: depth + 1]
            if depth < len(keys) - 1 and prefix in last_element:
                concrete = last_element[prefix]
            else:
                concrete = (*concrete, key)
        if header.group(1) == "[[":
            number = counters.get(concrete, 0)
            counters[concrete] = number + 1
            concrete = (*concrete, number)
            last_element[keys] = concrete
        yield index, concrete


def toml_key(line: str) -> tuple[str, ...] | None:
    """The dotted key a ``key = value`` line sets, or None."""
    key = _KEY.match(line)
    return tuple(k.strip().strip("\"'") for k in key.group(1).split(".")) if key else None


def _toml_lines(text: str) -> dict[Loc, int]:
    """Map field paths to the line where a TOML file sets them (tables and keys)."""
    found: dict[Loc, int] = {}
    lines = text.splitlines()
    headers = dict(toml_headers(lines))
    current: Loc = ()
    for index, line in enumerate(lines):
        if index in headers:
            current = headers[index]
            found.setdefault(current, index + 1)
            continue
        parts = toml_key(line)
        if parts:
            found.setdefault((*current, *parts), index + 1)
    return found


def _line_of(loc: Loc, lines: dict[Loc, int]) -> int | None:
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _json_lines(text: str) -> dict[Loc, int]:
    """Map field paths to the line where a JSON file starts their value."""
    found: dict[Loc, int] = {}
    stack: list[list[Any]] = []  # [kind, loc, key or index, expecting a key]
    line, i, n = 1, 0, len(text)

    def here() -> Loc:
        if not stack:
            return ()
        kind, loc, position, _ = stack[-1]
        return (*loc, position) if kind == "arr" or position is not None else loc

    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
        elif char == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if stack and stack[-1][0] == "obj" and stack[-1][3]:
                try:
                    stack[-1][2] = json.loads(text[i : j + 1])
                except ValueError:
                    stack[-1][2] = text[i + 1 : j]
                stack[-1][3] = False
            else:
                found.setdefault(here(), line)
            i = j
        elif char == ",":
            if stack:
                if stack[-1][0] == "obj":
                    stack[-1][3] = True
                else:
                    stack[-1][2] += 1
        elif char in "{[":
            loc = here()
            found.setdefault(loc, line)
            stack.append(["obj", loc, None, True] if char == "{" else ["arr", loc, 0, False])
        elif char in "}]":
            if stack:
                stack.pop()
        elif char not in " \t\r:":
            found.setdefault(here(), line)
            while i + 1 < n and text[i + 1] not in ",}]\n \t\r":
                i += 1
        i += 1
    return found
