"""The itinerary: what planning produces and every renderer and exporter reads.

An :class:`Itinerary` holds the plan it came from, its events in a fixed order
and the findings of the checks. It is plain data: building it is the job of
:mod:`tripplan.planning.build`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import KW_ONLY, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Protocol

from tripplan.errors import UsageError, closest
from tripplan.messages import Message, Named, did_you_mean, msg
from tripplan.models import Activity, Leg, Loc, Plan, Stay, loc_to_path
from tripplan.timeutils import days
from tripplan.vocabulary import Audience

Category = Literal["activity", "travel", "stay"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


Visibility = Literal["everyone", "concerned", "coordinators"]
"""Who may see a finding: every reader; the coordinators and the delegate it is about
(``Finding.subject``), e.g. a finding derived from their private data; the coordinators."""


def uid_of(trip: str, item: str) -> str:
    """The id of an itinerary item in outputs and messages: ``<trip>/<item>``."""
    return f"{trip}/{item}"


def day_span(start: datetime, end: datetime) -> tuple[date, date]:
    """The first and last local date of an appointment from ``start`` to ``end`` (each in
    its own zone): an end at midnight ends the day before."""
    first, last = start.date(), end.date()
    if last > first and end.time() == time(0, 0):
        last -= timedelta(days=1)
    return first, max(last, first)


@dataclass(frozen=True, slots=True)
class Texts:
    """What an event says in one language: its title, venue and public notes."""

    title: str
    venue: str = ""
    public_notes: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """One item of an itinerary: an activity, a travel leg or a stay.

    Timed events have ``start`` and ``end`` as zone-aware datetimes, each in the
    zone where it happens (a flight departs in the origin's zone and arrives in
    the destination's). All-day events (stays, all-day activities) have
    ``first_day`` and ``last_day`` (inclusive) instead. Flexible activities not
    yet placed have neither. ``source`` is the leg, activity or stay of the plan
    it was built from, for whatever the event does not repeat.
    """

    trip: str  # the trip's id
    item: str  # the id of the leg, activity or stay in its trip
    category: Category
    kind: str
    title: str
    attendees: tuple[str, ...]
    source: Leg | Activity | Stay = field(compare=False, repr=False)
    community: str | None = None
    origin: str | None = None
    destination: str | None = None
    venue: str = ""
    start: datetime | None = None
    end: datetime | None = None
    first_day: date | None = None
    last_day: date | None = None
    provisional: bool = False
    public_notes: str = ""
    internal_notes: str = ""
    carrier: str = ""
    number: str = ""
    translations: tuple[tuple[str, Texts], ...] = ()
    """Its texts in the other languages the plan gives them in (made by
    :func:`tripplan.models.in_language`); the fields above are in the plan's language."""

    @property
    def uid(self) -> str:
        """The event's id in outputs: ``<trip>/<item>`` (the one place that writes it)."""
        return uid_of(self.trip, self.item)

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def all_day(self) -> bool:
        return self.first_day is not None

    @property
    def placed(self) -> bool:
        return self.timed or self.all_day

    @property
    def timezone(self) -> str | None:
        return _key(self.start)

    @property
    def end_timezone(self) -> str | None:
        return _key(self.end)

    def local_days(self) -> tuple[date, ...]:
        """The local dates this event touches (start and end date, or its days)."""
        if self.start is not None and self.end is not None:
            return tuple(days(*day_span(self.start, self.end)))
        if self.first_day is not None:
            return tuple(days(self.first_day, self.last_day or self.first_day))
        return ()

    @property
    def called(self) -> Named:
        """Its title for a message (a finding's), with its titles in other languages: the
        message is shown in the reader's."""
        return Named(self.title, tuple((lang, texts.title) for lang, texts in self.translations))

    def in_language(self, lang: str) -> Event:
        """The event as a reader of ``lang`` sees it (the plan's language where the plan
        gives no text in ``lang``)."""
        for code, texts in self.translations:
            if code == lang:
                return replace(
                    self, title=texts.title, venue=texts.venue, public_notes=texts.public_notes
                )
        return self

    def sort_key(self) -> tuple[int, datetime, str]:
        if self.start is not None:
            return (0, self.start.astimezone(UTC), self.uid)
        if self.first_day is not None:
            return (0, datetime.combine(self.first_day, time(0, 0), UTC), self.uid)
        return (1, datetime.min.replace(tzinfo=UTC), self.uid)


def _key(moment: datetime | None) -> str | None:
    if moment is None or moment.tzinfo is None:
        return None
    return getattr(moment.tzinfo, "key", None) or str(moment.tzinfo)


@dataclass(frozen=True, slots=True)
class Where:
    """The file and lines of a plan where the items a finding names are written."""

    file: str
    lines: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.file}:{', '.join(map(str, self.lines))}"


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem or remark about the plan, for the coordinator.

    What it is about, each in its own field: ``events`` (uids), ``people`` (delegate ids),
    ``trip`` (a trip's id, when no event says which), ``communities`` (ids), ``day`` and
    ``parts`` (any other part of the plan, by its field path: a rate, a cost).
    ``where`` is the file and lines of those items in the plan (filled in when the itinerary
    is built from a plan read from a file)."""

    code: str
    severity: Severity
    message: Message  # translated when rendered (tripplan.render.i18n.translate)
    _: KW_ONLY  # what it is about is always named: events=, people=, trip=, ...
    events: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    trip: str | None = None
    communities: tuple[str, ...] = ()
    day: date | None = None
    parts: tuple[Loc, ...] = ()  # other parts of the plan, by field path (a rate, a cost)
    visibility: Visibility = "everyone"
    subject: str | None = None  # the delegate a "concerned" finding is about
    where: Where | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id it names in one list (the ``ids`` key of JSON outputs): events,
        communities, trip, day, people, parts (as field paths)."""
        trip = (self.trip,) if self.trip is not None else ()
        day = (self.day.isoformat(),) if self.day is not None else ()
        parts = tuple(loc_to_path(part) for part in self.parts)
        return (*self.events, *self.communities, *trip, *day, *self.people, *parts)

    def visible_to(self, audience: Audience, delegate: str | None = None) -> bool:
        """Whether ``audience`` may see this finding; ``delegate`` is the one reading."""
        if audience is Audience.internal or self.visibility == "everyone":
            return True
        return (
            self.visibility == "concerned"
            and audience is Audience.delegates
            and delegate is not None
            and self.subject == delegate
        )

    def sort_key(self) -> tuple[int, str, tuple[str, ...], str]:
        return (SEVERITIES.index(self.severity), self.code, self.ids, self.message.key())


@dataclass(frozen=True)
class Filters:
    trip: str | None = None
    delegate: str | None = None
    community: str | None = None
    day: date | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "trip": self.trip,
            "delegate": self.delegate,
            "community": self.community,
            "day": self.day.isoformat() if self.day else None,
        }


class Account(Protocol):
    """What an itinerary asks of its account of whereabouts (made in planning, a later
    stage: :class:`tripplan.planning.whereabouts.Whereabouts`)."""

    def in_language(self, lang: str) -> Account: ...


@dataclass(frozen=True)
class Itinerary:
    """Events of a plan in a fixed order, with the findings of the checks."""

    plan: Plan
    events: tuple[Event, ...]
    findings: tuple[Finding, ...]
    filters: Filters = field(default_factory=Filters)
    audience: Audience = Audience.internal  # who reads it (see for_audience)
    whereabouts: Account | None = field(default=None, compare=False, repr=False)
    """Who is where, of every event (not only the selected ones): a
    :class:`tripplan.planning.whereabouts.Whereabouts`, read with ``whereabouts_of``."""

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def event(self, uid: str) -> Event:
        for event in self.events:
            if event.uid == uid:
                return event
        raise KeyError(uid)

    def select(self, filters: Filters) -> Itinerary:
        """The events (and findings about them) that match every filter given."""
        plan = self.plan
        known_id(filters.trip, [t.id for t in plan.trips], msg("trip"))
        known_id(filters.delegate, [d.id for d in plan.delegates], msg("delegate"))
        known_id(filters.community, [c.id for c in plan.communities], msg("community"))
        events = [e for e in self.events if _matches(plan, e, filters)]
        uids = {e.uid for e in events}
        narrowed = any((filters.trip, filters.delegate, filters.community, filters.day))
        findings = [
            f
            for f in self.findings
            if (
                not narrowed
                or any(uid in uids for uid in f.events)
                or (filters.delegate is not None and filters.delegate in f.people)
                or (filters.trip is not None and f.trip == filters.trip)
            )
            # a finding about one person is not part of another delegate's view
            and (filters.delegate is None or f.subject in (None, filters.delegate))
        ]
        return replace(self, events=tuple(events), findings=tuple(findings), filters=filters)

    def for_audience(self, audience: Audience, delegate: str | None = None) -> Itinerary:
        """Only the findings ``audience`` may see (``delegate``: the delegate who reads).

        Hosts see no finding derived from private data; a delegate sees such findings
        about themselves and nobody else; the coordinators (``internal``) see all.
        """
        findings = tuple(f for f in self.findings if f.visible_to(audience, delegate))
        return replace(self, findings=findings, audience=audience)

    def in_language(self, lang: str) -> Itinerary:
        """The itinerary as a reader of ``lang`` sees it: every event's title, venue and
        public notes and the plan's texts in ``lang`` where the plan gives them
        (:func:`tripplan.models.in_language`). Every view, booklet, brief and calendar in a
        language is made from this."""
        if lang == self.plan.programme.language:
            return self
        return replace(
            self,
            plan=self.plan.in_language(lang),
            events=tuple(event.in_language(lang) for event in self.events),
            whereabouts=self.whereabouts.in_language(lang) if self.whereabouts else None,
        )

    def for_delegate(self, delegate_id: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events if delegate_id in e.attendees)


def places_of(plan: Plan, event: Event) -> set[str | None]:
    """The communities an event is in or travels between (None: an airport of no one's)."""
    places = {event.community}
    for endpoint in (event.origin, event.destination):
        if endpoint is not None:
            places.add(plan.endpoint_community(endpoint))
    return places


def _matches(plan: Plan, event: Event, filters: Filters) -> bool:
    if filters.trip is not None and event.trip != filters.trip:
        return False
    if filters.delegate is not None and filters.delegate not in event.attendees:
        return False
    if filters.community is not None and filters.community not in places_of(plan, event):
        return False
    return filters.day is None or filters.day in event.local_days()


def known_id(value: str | None, known: Iterable[str], what: Message) -> None:
    """Refuse an id a filter names that the plan does not have (``what``: "trip"), with the
    closest known id and the list of them."""
    if value is None:
        return
    ids = list(known)
    if value in ids:
        return
    close = closest(value, ids)
    raise UsageError(
        msg(
            "no {what} has the id {value}.{hint} Known: {known}.",
            what=what,
            value=repr(value),
            hint=did_you_mean(close, sentence=True) if close else "",
            known=", ".join(ids) or msg("none defined"),
        )
    )
