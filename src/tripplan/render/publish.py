"""The report of ``tripplan publish``: lines for people and the JSON document for scripts.

A dry run lists every event that would be added, changed or cancelled, calendar by calendar
(day, local time, title, and for a change what changed), in the plan's language; a real
run says the counts. ``--report json`` carries the same events in ``changes``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from tripplan.messages import Items, Message, msg, nmsg
from tripplan.render.common import dump_json
from tripplan.render.escape import terminal
from tripplan.render.i18n import clock, short_date, translate
from tripplan.timeutils import abbreviation
from tripplan.vocabulary import Lang

if TYPE_CHECKING:
    from tripplan.calendar_reports import CollectionReport, EventChange, PublishResult


_FIELD_WORDS: dict[str, Message] = {
    "time": msg("time"),
    "title": msg("title"),
    "place": msg("place"),
    "description": msg("description"),
    "status": msg("status"),
    "other": msg("other details"),
}


def report_json(result: PublishResult) -> str:
    """The document of ``--report json``: per calendar the UIDs added, changed and
    cancelled, and ``changes``, each with its title, start, end and what changed."""
    return dump_json(
        {
            "url": result.url,
            "dry_run": result.dry_run,
            "writes": result.writes,
            "calendars": [_calendar(c) for c in result.calendars],
            "not_placed": result.skipped,
        }
    )


def _calendar(c: CollectionReport) -> dict[str, object]:
    return {
        "collection": c.collection,
        "display_name": c.display_name,
        "url": c.url,
        "created": c.created,
        "added": c.added,
        "changed": c.changed,
        "cancelled": c.cancelled,
        "unchanged": c.unchanged,
        "foreign": c.foreign,
        "other_programmes": dict(sorted(c.other_programmes.items())),
        "changes": [_change(change) for change in c.changes],
        "conflicts": c.conflicts,
        "overwritten": c.overwritten,
    }


def _change(change: EventChange) -> dict[str, object]:
    return {
        "uid": change.uid,
        "action": change.action,
        "title": change.title,
        "start": change.start.isoformat() if change.start is not None else None,
        "end": change.end.isoformat() if change.end is not None else None,
        "changed": list(change.fields),
    }


def report_lines(result: PublishResult, lang: Lang) -> list[str]:
    """The text report: one line per calendar, and on a dry run one indented line per
    event it would add, change or cancel; a real run ends with the number written. Lines
    for a terminal: plan text in them is made inert (:func:`render.escape.terminal`)."""
    lines: list[str] = []
    for calendar in result.calendars:
        lines.append(translate(_calendar_line(calendar, result.dry_run), lang))
        if result.dry_run:
            lines += ["  " + translate(_change_line(c, lang), lang) for c in calendar.changes]
    if not result.dry_run:
        written = nmsg("{n} event written", "{n} events written", result.writes)
        lines.append(translate(written, lang))
    return [terminal(line) for line in lines]


def _calendar_line(c: CollectionReport, dry_run: bool) -> Message:
    state = msg(" (to be created)") if c.url is None else msg(" (created)") if c.created else ""
    counts = dict(
        added=len(c.added), changed=len(c.changed), cancelled=len(c.cancelled),
        unchanged=c.unchanged,
    )  # fmt: skip
    parts: list[Message] = [
        msg("{added} would add, {changed} would change, {cancelled} would cancel, "
            "{unchanged} unchanged", **counts)
        if dry_run
        else msg("{added} added, {changed} changed, {cancelled} cancelled, "
                 "{unchanged} unchanged", **counts)
    ]  # fmt: skip
    if c.foreign:
        parts.append(msg("{count} not tripplan's, left alone", count=c.foreign))
    for domain, count in sorted(c.other_programmes.items()):
        parts.append(
            msg("{count} of another programme (@{domain}), left alone", count=count, domain=domain)
        )
    if c.conflicts:
        parts.append(msg("{count} changed on the server, left alone", count=len(c.conflicts)))
    return msg("{name}{state}: {parts}", name=c.collection, state=state, parts=Items(tuple(parts)))


def _change_line(change: EventChange, lang: Lang) -> Message:
    when = _when(change.start, change.end, lang)
    title = change.title or change.uid
    if change.action == "added":
        return msg("would add: {when} {title}", when=when, title=title)
    if change.action == "cancelled":
        return msg("would cancel: {when} {title}", when=when, title=title)
    fields = Items(tuple(_FIELD_WORDS[name] for name in change.fields))
    return msg("would change: {when} {title} ({fields})", when=when, title=title, fields=fields)


def _when(start: datetime | date | None, end: datetime | date | None, lang: Lang) -> str:
    """``Sa., 21. Apr. 10:00–13:00 EDT`` in the event's own zone; a day for all-day events."""
    if isinstance(start, datetime):
        text = f"{short_date(start.date(), lang)} {clock(start)}"
        if isinstance(end, datetime):
            end = end.astimezone(start.tzinfo) if start.tzinfo is not None else end
            text += f"–{clock(end)}" if end.date() == start.date() else (
                f" – {short_date(end.date(), lang)} {clock(end)}"
            )  # fmt: skip
        zone = abbreviation(start) if start.tzinfo is not None else ""
        return f"{text} {zone}".rstrip()
    if isinstance(start, date):
        return short_date(start, lang)
    return "?"


def not_published(skipped: list[str]) -> Message:
    """The note about events without a time yet (as :func:`render.changes.not_exported`)."""
    return msg("not published, no time yet: {items}", items=", ".join(skipped))


def left_as_changed(conflicts: list[str]) -> Message:
    """Why publishing ends in an error although it wrote: events changed on the server
    since they were read were left as they are."""
    return nmsg(
        "{n} event was changed on the server since it was read and was left as it is: "
        "{events}; run again to publish over the new state, or with --force to overwrite it",
        "{n} events were changed on the server since they were read and were left as they "
        "are: {events}; run again to publish over the new state, or with --force to "
        "overwrite them",
        len(conflicts),
        events=", ".join(conflicts),
    )
