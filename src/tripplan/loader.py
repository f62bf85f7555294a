"""Read plan files (TOML or JSON) into a validated :class:`~tripplan.models.Plan`.

Every way a file can be wrong ends in one :class:`~tripplan.errors.PlanError`
listing each problem as ``file › field.path (line N): what is wrong and what to
do``. Personal data from a delegate's ``private`` block is never echoed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import sys
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tripplan.errors import PlanError, Problem, closest
from tripplan.models import InvalidPlan, Loc, Model, Plan, alias_of, loc_to_path

if TYPE_CHECKING:
    from pydantic import TypeAdapter

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
    why: str  # why this one was chosen (for the "using plan" note)

    @property
    def is_stdin(self) -> bool:
        return self.path is None


def bundled_plan_path() -> Path:
    """The bundled Bautzen 2018 plan: inside the wheel, or in the source checkout."""
    packaged = Path(__file__).parent / "data" / BUNDLED
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / BUNDLED


def resolve_source(plan: str | Path | None, cwd: Path | None = None) -> PlanSource:
    """The plan a command uses: PLAN, else ``./tripplan.toml``, else the bundled plan."""
    if plan is not None and str(plan) == "-":
        return PlanSource(None, "<stdin>", "read from standard input")
    if plan is not None:
        path = Path(plan)
        return PlanSource(path, str(path), "given on the command line")
    local = (cwd or Path.cwd()) / DEFAULT_NAME
    if local.is_file():
        return PlanSource(local, DEFAULT_NAME, f"found ./{DEFAULT_NAME}")
    path = bundled_plan_path()
    return PlanSource(path, "bundled:bautzen-2018/plan.toml", "the bundled Bautzen 2018 plan")


def load_plan(plan: str | Path | PlanSource | None) -> Plan:
    """Load and validate a plan; raise :class:`PlanError` with every problem found.

    Nothing of the plan is stored anywhere: a script that needs a plan many times loads
    it once and keeps the :class:`Plan` (see :mod:`tripplan`).
    """
    source = plan if isinstance(plan, PlanSource) else resolve_source(plan)
    raw = _read_bytes(source)
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
                    label, 'a plan must be a table/object at the top level, e.g. {"programme": …}'
                )
            ]
        )
    depth = _depth(data)
    if depth > MAX_DEPTH:
        raise PlanError(
            [
                Problem(
                    label,
                    f"data is nested more than {MAX_DEPTH} levels deep, more than any plan "
                    "needs; look for stray brackets",
                )
            ]
        )
    _check_size(data, label)
    from pydantic import ValidationError

    try:
        plan = _plan_adapter().validate_python(data)
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
        problems = [_problem(label, loc, msg, lines) for loc, msg in exc.problems]
        if exc.more:
            problems.append(_more(label, exc.more))
    else:
        _check_attendance(plan, label)
        return plan
    raise PlanError(problems)


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
                    f"its people attend {total:,} events in all (each event counted once per "
                    f"person); tripplan handles at most {MAX_ATTENDANCES:,}. Most of them are in "
                    f"trip {trip_id!r}: {count:,} legs, activities and stays with up to "
                    f"{widest:,} people each. Name the participants of each activity instead "
                    "of inviting everyone, or split the programme into several plans.",
                )
            ]
        )


MAX_PROBLEMS = 20
"""Problems reported in full; the rest are counted (a "did you mean" costs a search each)."""


def _more(label: str, count: int) -> Problem:
    return Problem(label, f"… and {count:,} more problems; fix the ones above first")


@functools.cache
def _plan_adapter() -> TypeAdapter[Plan]:
    """pydantic's validator of :class:`Plan`, built on first use (it imports all of pydantic)."""
    from pydantic import TypeAdapter

    return TypeAdapter(Plan)


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
                        f"the plan has {counts[key]:,} {key}; tripplan handles at most "
                        f"{limit:,} in one plan. Split the programme into several plans "
                        "(one per phase or per delegation).",
                    )
                ]
            )


# -- reading ------------------------------------------------------------------


def _read_bytes(source: PlanSource) -> bytes:
    if source.path is None:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = source.path
        if path.is_dir():
            raise PlanError(
                [
                    Problem(
                        source.label,
                        f"is a directory; give the plan file inside it, e.g. {path / DEFAULT_NAME}",
                    )
                ]
            )
        if not path.exists():
            raise PlanError(
                [
                    Problem(
                        source.label,
                        "no such file; check the path, or run "
                        "'tripplan init' to write a starter plan",
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
                        f"cannot be read ({exc.strerror or exc}); check its permissions",
                    )
                ]
            ) from None
    if len(data) > MAX_BYTES:
        raise PlanError([_too_big(source.label, len(data))])
    return data


def _too_big(label: str, size: int) -> Problem:
    return Problem(
        label,
        f"is {size / 1024 / 1024:.1f} MB; tripplan reads plans of at most "
        f"{MAX_BYTES // 1024 // 1024} MB. Split the programme into several plans.",
    )


def _decode(raw: bytes, label: str) -> str:
    if not raw.strip():
        raise PlanError(
            [
                Problem(
                    label,
                    "is empty; a plan needs at least [programme] and [[communities]] "
                    "(run 'tripplan init' for a starter plan)",
                )
            ]
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PlanError([Problem(label, "is saved as UTF-16; save it as UTF-8 instead")])
    if b"\x00" in raw[:8192]:
        raise PlanError([Problem(label, "is a binary file, not a TOML or JSON plan")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError(
            [
                Problem(
                    label,
                    f"is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                    "save the file as UTF-8",
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
    """The data of a plan's text in ``fmt``; :class:`PlanError` when it is not TOML/JSON."""
    try:
        if fmt == "json":
            try:
                return json.loads(text, object_pairs_hook=_unique_keys)
            except _DuplicateKey as exc:
                raise PlanError(
                    [
                        Problem(
                            label,
                            f"the key {exc.key!r} appears twice in one object; JSON readers "
                            "disagree on which one counts, so keep only the one you mean",
                        )
                    ]
                ) from None
            except json.JSONDecodeError as exc:
                raise PlanError(
                    [
                        Problem(
                            label, f"is not valid JSON: {exc.msg} (column {exc.colno})", exc.lineno
                        )
                    ]
                ) from None
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            match = re.search(r"\(at line (\d+), column (\d+)\)", message)
            line = int(match.group(1)) if match else None
            if match:
                message = message[: match.start()].strip() + f" (column {match.group(2)})"
            raise PlanError([Problem(label, f"is not valid TOML: {message}", line)]) from None
    except RecursionError:
        raise PlanError(
            [Problem(label, f"is nested too deeply; plans use at most {MAX_DEPTH} levels")]
        ) from None
    except ValueError:  # Python refuses to read integers of more than 4,300 digits
        raise PlanError(
            [
                Problem(
                    label,
                    "contains a number with thousands of digits, far more than any plan needs; "
                    "look for a pasted value where a year, a version or a count belongs",
                )
            ]
        ) from None


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


def _from_pydantic(err: Any, label: str, lines: dict[Loc, int]) -> Problem:
    loc: Loc = tuple(err["loc"])
    kind = err["type"]
    private = "private" in loc
    if kind == "unexpected_keyword_argument":
        kind = "extra_forbidden"  # pydantic's name for it on dataclasses
    if kind == "missing":
        message = f"is required but missing; add '{loc[-1]}'"
    elif kind == "extra_forbidden":
        known = _fields_at(loc[:-1])
        close = closest(str(loc[-1]), known)
        hint = f"; did you mean {close!r}?" if close else "."
        listing = f" Allowed here: {', '.join(known)}." if known else ""
        message = f"unknown field {loc[-1]!r}{hint} Remove it or fix its spelling.{listing}"
    elif kind in _TABLE_KINDS:
        got = "" if private else f" (got {_short(err['input'])})"
        message = f"write a table (TOML) or an object (JSON) here{got}"
    else:
        message = str(err["msg"])
        if private and (kind == "value_error" or kind.startswith("assertion")):
            message = _private_message(loc)  # a validator's text may quote the value
        elif kind == "value_error" or kind.startswith("assertion"):
            message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        elif not private and "input" in err and not isinstance(err["input"], dict | list):
            message = f"{message} (got {_short(err['input'])})"
        if kind == "string_pattern_mismatch":
            message = _pattern_hint(loc, message, err.get("input"))
        elif kind == "literal_error" and isinstance(err.get("input"), str):
            message += _choice_hint(err["input"], str(err.get("ctx", {}).get("expected", "")))
        for prefix, hint in _HINTS.items():
            if kind.startswith(prefix):
                message = f"{message}; {hint}"
                break
    # A model-level error carries the model's path; name the model, not a field.
    return _problem(label, loc, message, lines)


_TAG = re.compile(r"[\[(]|^(?:date|datetime|time|timedelta|str|int|float|bool|none)$")
"""A step of an error's location that names a member of a union, not a field."""


def _untagged(err: Any) -> Any:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _TAG.search(p)))
    return {**err, "loc": loc}


def _merge_alternatives(problems: list[Problem]) -> list[Problem]:
    """A value that fits none of a field's forms gets one problem that names them all."""
    merged: dict[tuple[str, int | None], list[Problem]] = {}
    for problem in problems:
        merged.setdefault((problem.location, problem.line), []).append(problem)
    out = []
    for (location, line), group in merged.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        base = group[0].message.split("; ")[0]
        hints = list(dict.fromkeys(p.message.split("; ", 1)[1] for p in group if "; " in p.message))
        message = f"{base}; {' or '.join(hints)}" if hints else base
        out.append(Problem(location, message, line))
    return out


_PRIVATE_HINTS = {
    "passport_expiry": "write the date as YYYY-MM-DD, in the years 1900–2200",
}


def _private_message(loc: Loc) -> str:
    """What is wrong with a private value, without repeating the value."""
    field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    hint = _PRIVATE_HINTS.get(field, "check what is written there")
    return f"this value is not accepted (it is private, so it is not repeated here); {hint}"


_HINTS = {
    "int_": "write a whole number",
    "float_": "write a number",
    "bool_": "write true or false",
    "date_": "write a date as YYYY-MM-DD",
    "datetime_": "write a wall-clock time as YYYY-MM-DDTHH:MM",
    "time_": "write a time of day as HH:MM",
    "string_type": "write text in quotes",
    "string_too_short": "write at least one character",
    "string_too_long": "shorten the text",
    "tuple_type": 'write a list, e.g. ["a", "b"]',
    "list_type": 'write a list, e.g. ["a", "b"]',
    "too_short": "add at least one entry",
}
_TABLE_KINDS = {"dataclass_type", "dict_type"}
"""pydantic's "Input should be a dictionary or an instance of WorkingHours", said for people."""


def _pattern_hint(loc: Loc, message: str, value: object = None) -> str:
    field = str(loc[-1]) if not isinstance(loc[-1], int) else str(loc[-2])
    hints = {
        "country": "write an ISO 3166 country code such as 'DE' or 'US'",
        "subdivision": "write an ISO 3166-2 code such as 'DE-SN'",
        "languages": "write ISO 639 language codes such as 'de' or 'en'",
    }
    if field == "country" and isinstance(value, str):
        code = _country_code(value)
        hint = f"; did you mean {code!r}?" if code else ""
        return (
            f"{_short(value)} is not an ISO 3166 country code: write two capital letters such "
            f"as 'DE' or 'US'{hint}"
        )
    return f"{message}; {hints[field]}" if field in hints else message


def _country_code(value: str) -> str | None:
    """The two-letter code for a three-letter one or a lower-case one ('USA', 'deu', 'us')."""
    if len(value) == 2 and value.isalpha():
        return value.upper()
    from babel.core import get_global

    aliases: Mapping[str, list[str]] = get_global("territory_aliases")
    found = aliases.get(value.upper())
    return found[0] if found and len(found[0]) == 2 else None


def _choice_hint(value: str, expected: str) -> str:
    """ "; did you mean 'workshop'?" for a slip in case or spelling of an allowed value."""
    choices = re.findall(r"'([^']*)'", expected)
    for choice in choices:
        if choice.casefold() == value.casefold().replace(" ", "_").replace("-", "_"):
            return f"; did you mean {choice!r}?"
    close = closest(value.lower(), choices)
    return f"; did you mean {close!r}?" if close else ""


def _problem(label: str, loc: Loc, message: str, lines: dict[Loc, int]) -> Problem:
    path = loc_to_path(loc)
    where = f"{label} › {path}" if path else label
    return Problem(where, message, _line_of(loc, lines))


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
    """The fields of ``model`` by the names plan files use, with their resolved types."""
    hints = typing.get_type_hints(model, include_extras=True)
    return {alias_of(f.name): hints[f.name] for f in dataclasses.fields(typing.cast(Any, model))}


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
