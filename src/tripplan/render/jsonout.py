"""JSON for scripts: a documented, versioned document (``docs/json-output.md``)."""

from __future__ import annotations

from typing import Any

from tripplan.itinerary import Event, Finding, Itinerary
from tripplan.models import loc_to_path
from tripplan.render.common import dump_json, summary
from tripplan.render.i18n import translate
from tripplan.vocabulary import Lang

SCHEMA = "https://tripplan.invalid/schema/itinerary-1.json"
VERSION = 1


def _iso(event: Event, which: str) -> str | None:
    moment = getattr(event, which)
    return None if moment is None else moment.isoformat()


def event_json(event: Event, internal: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uid": event.uid,
        "title": event.title,
        "category": event.category,
        "kind": event.kind,
        "trip": event.trip,
        "community": event.community,
        "origin": event.origin,
        "destination": event.destination,
        "venue": event.venue,
        "start": _iso(event, "start"),
        "end": _iso(event, "end"),
        "timezone": event.timezone,
        "end_timezone": event.end_timezone,
        "all_day": event.all_day,
        "first_day": event.first_day.isoformat() if event.first_day else None,
        "last_day": event.last_day.isoformat() if event.last_day else None,
        "placed": event.placed,
        "attendees": list(event.attendees),
        "provisional": event.provisional,
        "carrier": event.carrier,
        "number": event.number,
        "public_notes": event.public_notes,
    }
    if internal:
        data["internal_notes"] = event.internal_notes
    return data


def finding_json(finding: Finding, lang: Lang, internal: bool = True) -> dict[str, Any]:
    """One finding as JSON outputs give it (docs/json-output.md, "Findings"); where the plan
    file is (a path on the coordinator's machine) only for the coordinators."""
    where = finding.where if internal else None
    return {
        "severity": finding.severity,
        "code": finding.code,
        "message": translate(finding.message, lang),
        "ids": list(finding.ids),
        "events": list(finding.events),
        "people": list(finding.people),
        "trip": finding.trip,
        "communities": list(finding.communities),
        "day": finding.day.isoformat() if finding.day is not None else None,
        "parts": [loc_to_path(part) for part in finding.parts],
        "where": {"file": where.file, "lines": list(where.lines)} if where else None,
    }


def itinerary_document(itinerary: Itinerary, lang: Lang, internal: bool = True) -> dict[str, Any]:
    itinerary = itinerary.in_language(lang)
    programme = itinerary.plan.programme
    counts = {
        s: sum(1 for f in itinerary.findings if f.severity == s)
        for s in ("error", "warning", "info")
    }
    return {
        "$schema": SCHEMA,
        "version": VERSION,
        "programme": {
            "name": programme.name,
            "year": programme.year,
            "organiser": programme.organiser,
            "language": programme.language,
        },
        "language": lang,
        "filters": itinerary.filters.as_dict(),
        "events": [event_json(e, internal) for e in itinerary.events],
        "findings": [finding_json(f, lang, internal) for f in itinerary.findings],
        "summary": {
            "errors": counts["error"],
            "warnings": counts["warning"],
            "info": counts["info"],
            "text": summary(itinerary, lang),
        },
    }


def render_json(itinerary: Itinerary, lang: Lang, internal: bool = True) -> str:
    document = itinerary_document(itinerary, lang, internal)
    return dump_json(document)


def render_check_json(itinerary: Itinerary, lang: Lang) -> str:
    """``check --format json``: whether the plan is fine, its summary and its findings."""
    document = itinerary_document(itinerary, lang)
    return dump_json(
        {
            "version": document["version"],
            "ok": not itinerary.errors,
            "summary": document["summary"],
            "findings": document["findings"],
        }
    )
