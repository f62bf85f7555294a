"""Edits of plan files in place: layout and comments stay as the coordinator wrote them.

TOML files are edited with tomlkit, so comments, order and spacing survive; JSON files are
rewritten with two-space indentation (JSON has no comments to keep). Every edit is checked
by loading the edited text as a plan before the file is replaced atomically: an edit that
would make the plan invalid (for instance a time that falls into a DST gap of the new zone)
is refused and the file is left as it was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tripplan.airports import airport
from tripplan.errors import PlanError, Problem, UsageError
from tripplan.files import atomic_write
from tripplan.loader import PlanSource, bundled_plan_path, load_plan, validate
from tripplan.models import Plan
from tripplan.timeutils import zone


@dataclass(frozen=True)
class Confirmed:
    path: Path
    before: Plan
    after: Plan


def confirm_host(
    source: PlanSource,
    placeholder: str,
    *,
    name: str,
    timezone: str,
    airports: tuple[str, ...] = (),
    subdivision: str | None = None,
) -> Confirmed:
    """Replace placeholder host ``placeholder`` by the real community, keeping its id.

    Every activity there keeps its local wall-clock time and so moves in absolute time
    when the zone changes; references to the id stay valid.
    """
    path = _editable(source, "hosts confirm", "confirm hosts in the copy")
    try:
        zone(timezone)
    except ValueError as exc:
        raise UsageError(f"--timezone: {exc}") from None
    for code in airports:
        try:
            airport(code)
        except ValueError as exc:
            raise UsageError(f"--airport: {exc}") from None
    before = load_plan(source)
    try:
        community = before.community(placeholder)
    except KeyError:
        candidates = [c.id for c in before.communities if c.placeholder]
        raise UsageError(
            f"no community has the id {placeholder!r}; placeholders to confirm: "
            f"{', '.join(candidates) or 'none'}"
        ) from None
    if not community.placeholder:
        raise UsageError(
            f"{placeholder!r} ({community.name}) is already confirmed; edit the plan by hand "
            "to change it"
        )
    text = path.read_text(encoding="utf-8-sig")
    changes: dict[str, Any] = {"name": name, "timezone": timezone}
    if airports:
        changes["airports"] = list(airports)
    if subdivision:
        changes["subdivision"] = subdivision
    if path.suffix.lower() == ".json":
        edited = _edit_json(text, placeholder, changes)
        data = json.loads(edited)
    else:
        edited = _edit_toml(text, placeholder, changes, before.programme.language)
        import tomllib

        data = tomllib.loads(edited)
    try:
        after = validate(data, source.label)  # no line numbers: the edit is not on disk
    except PlanError as exc:
        refusal = Problem(
            source.label,
            f"confirming {placeholder!r} with time zone {timezone} would make the plan "
            "invalid, so nothing was changed. Fix these first:",
        )
        raise PlanError([refusal, *exc.problems]) from None
    atomic_write(path, edited.encode("utf-8"))
    return Confirmed(path=path, before=before, after=after)


def _editable(source: PlanSource, what: str, then: str) -> Path:
    """The path of a plan file that may be edited: not standard input, not the bundled plan."""
    if source.path is None:
        raise UsageError(f"{what} edits a plan file; give its path instead of '-'")
    if source.path.resolve() == bundled_plan_path().resolve():
        raise UsageError(
            "the bundled plan is part of tripplan and is not edited; copy it first, e.g. "
            f"'cp data/bautzen-2018/plan.toml tripplan.toml', then {then}"
        )
    return source.path


def _edit_toml(text: str, ident: str, changes: dict[str, Any], lang: str) -> str:
    import tomlkit

    document = tomlkit.parse(text)
    for table in document.get("communities", []):
        if table.get("id") == ident:
            for key, value in changes.items():
                item = tomlkit.item(value)
                if key == "timezone":
                    item.comment("bestätigt" if lang == "de" else "confirmed")
                table[key] = item
            if "placeholder" in table:
                del table["placeholder"]
            break
    return tomlkit.dumps(document)


def _edit_json(text: str, ident: str, changes: dict[str, Any]) -> str:
    data = json.loads(text)
    for community in data.get("communities", []):
        if community.get("id") == ident:
            community.update(changes)
            community.pop("placeholder", None)
            break
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_placements(
    source: PlanSource, placements: dict[tuple[str, str], datetime], lang: str
) -> Plan:
    """Record ``placed = <local start>`` for flexible activities, keyed by (trip, activity)."""
    path = _editable(source, "--write", "run 'tripplan plan --write'")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        for trip in data.get("trips", []):
            for activity in trip.get("activities", []):
                when = placements.get((trip.get("id"), activity.get("id")))
                if when is not None:
                    activity["placed"] = when.strftime("%Y-%m-%dT%H:%M")
        edited = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        import tomllib

        import tomlkit

        document = tomlkit.parse(text)
        note = "platziert von tripplan plan" if lang == "de" else "placed by tripplan plan"
        for trip in document.get("trips", []):
            for activity in trip.get("activities", []):
                when = placements.get((trip.get("id"), activity.get("id")))
                if when is not None:
                    item = tomlkit.item(when.replace(tzinfo=None))
                    item.comment(note)
                    activity["placed"] = item
        edited = tomlkit.dumps(document)
        data = tomllib.loads(edited)
    plan = validate(data, source.label)  # no line numbers: the edit is not on disk
    atomic_write(path, edited.encode("utf-8"))
    return plan
