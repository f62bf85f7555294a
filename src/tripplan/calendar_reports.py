"""What ``export-ics`` and ``publish`` did to each calendar: the plain results the exporters
(:mod:`tripplan.export`) fill in and :mod:`tripplan.render` reports, as lines for people and
JSON documents for scripts (``render/changes.py``, ``render/publish.py``).

Declared here, before both stages (render/ may not import export/), so that each field is
declared once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

MergeAction = Literal["added", "changed", "cancelled", "unchanged"]
"""What merging did to an event (the lists of :class:`FileReport` by another name)."""


@dataclass
class FileReport:
    """What merging did in one calendar (a file, or the events of a CalDAV collection)
    compared with its earlier version."""

    file: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    unchanged: int = 0
    written: bool = True
    earlier: list[str] = field(default_factory=list)  # UIDs the earlier file had, not cancelled


@dataclass(frozen=True)
class EventChange:
    """One event publishing adds, changes or cancels (or, dry, would): when it is (in the
    local time of its place), its title, and for a changed one what changed (``fields``:
    ``time``, ``title``, ``place``, ``description``, ``status``, ``other``)."""

    collection: str
    uid: str
    action: MergeAction
    title: str
    start: datetime | date | None
    end: datetime | date | None
    fields: tuple[str, ...] = ()


@dataclass
class CollectionReport:
    """What publishing did (or, dry, would do) in one calendar collection."""

    collection: str  # its stable name, tripplan-<split>-<id>
    display_name: str
    events: FileReport  # what merging added, changed, cancelled and kept (as for a file)
    url: str | None = None  # None: does not exist yet
    created: bool = False
    foreign: int = 0  # events tripplan did not create, left alone
    other_programmes: dict[str, int] = field(default_factory=dict)  # uid domain → events
    changes: list[EventChange] = field(default_factory=list)  # each event added, changed...
    conflicts: list[str] = field(default_factory=list)  # changed on the server meanwhile
    overwritten: list[str] = field(default_factory=list)  # conflicts overwritten (--force)

    @property
    def added(self) -> list[str]:
        return self.events.added

    @property
    def changed(self) -> list[str]:
        return self.events.changed

    @property
    def cancelled(self) -> list[str]:
        return self.events.cancelled

    @property
    def unchanged(self) -> int:
        return self.events.unchanged


@dataclass
class PublishResult:
    """What a run of publish did (or, dry, would do)."""

    url: str
    calendars: list[CollectionReport]
    writes: int  # resources written (0 for a dry run)
    dry_run: bool
    skipped: list[str]  # events not placed yet, so not published

    @property
    def conflicts(self) -> list[str]:
        return [uid for c in self.calendars for uid in c.conflicts]
