r"""The plan: validated, frozen models of a programme and its trips.

The models are pydantic models as pydantic documents them: frozen, ``extra="forbid"``,
constraints and validators in ``Annotated`` types (``Field``, ``Strict``,
``AfterValidator``, ``BeforeValidator``), checks across fields in ``model_validator``\s,
so a model built in Python is checked as strictly as a loaded one. Validators refuse a
value with :class:`tripplan.messages.Refused`, whose message the loader passes on for
translation. Schemas are built on first validation (``defer_build``), not on import.

Times in a plan are wall-clock times of the place where something happens; :class:`Plan`
checks that each of them exists exactly once in that place's zone and offers the
zone-aware values through :meth:`Plan.at`. Problems that need the whole plan (references,
duplicate ids, DST gaps) are collected together and raised as one :class:`InvalidPlan`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal, Self, TypeVar
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    WithJsonSchema,
    model_validator,
)

from tripplan.airports import airport, is_code, is_known, named
from tripplan.errors import TripplanError, closest
from tripplan.messages import (
    Country,
    Duration,
    Message,
    Named,
    Refused,
    did_you_mean,
    did_you_mean_place,
    msg,
    plain,
)
from tripplan.timeutils import (
    WallTime,
    check_local,
    localize,
    parse_duration,
    zone,
)
from tripplan.vocabulary import Lang

SCHEMA_VERSION = 1
MAX_TRIP_DAYS = 366

Loc = tuple[str | int, ...]


class Origin:
    """Where a plan was read from: the file's label, and the line where any part of it is
    written (``line(("trips", 0, "activities", 2))``), as load errors give it. Set by the
    loader; a plan built in code has none."""

    def __init__(self, label: str, line: Callable[[Loc], int | None]) -> None:
        self.label = label
        self.line = line


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")  # \Z: no newline slips through


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise Refused(
            msg(
                "{value} is not a valid id: use 1 to 64 letters, digits, '-', '_' or "
                "'.', starting with a letter or digit",
                value=f"{value!r}",
            )
        )
    if is_code(value):
        raise Refused(
            msg(
                "{value} looks like an IATA airport code; ids of the plan must not, "
                "write it in lower case or make it longer",
                value=f"{value!r}",
            )
        )
    return value


def _check_version(value: int) -> int:
    if value != SCHEMA_VERSION:
        raise Refused(
            msg(
                "version {value} is not a plan format this tripplan reads; write "
                "version = {schema_version}",
                value=str(value),
                schema_version=str(SCHEMA_VERSION),
            )
        )
    return value


def _non_empty(value: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        raise Refused(msg("add at least one entry"))
    return value


def _check_zone(value: str) -> str:
    zone(value)
    return value


def _check_iata(value: str) -> str:
    """The shape of an airport code; whether the airport exists is checked with the whole
    plan, so that a typo can be matched against the plan's other airports."""
    if not is_code(value):
        raise Refused(
            msg(
                "{value} is not an IATA airport code: write three capital letters",
                value=f"{value!r}",
            )
        )
    return value


def _check_endpoint(value: str) -> str:
    if is_code(value):
        return _check_iata(value)
    return _check_id(value)


def _to_duration(value: Any) -> Any:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise Refused(msg("write a duration with its unit, e.g. '2h', '90m' or '1h30m'"))
    return value


def _wall_time(value: Any) -> Any:
    """A wall-clock time; one written with a UTC offset keeps it (see ``WallTime``)."""
    _clock_edges(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise Refused(msg("write a local date and time such as 2018-04-23T09:00, not a number"))
    if isinstance(value, str) and re.search(r"(Z|[+-]\d\d:?\d\d)\Z", value.strip()):
        try:
            value = datetime.fromisoformat(value.strip().replace("z", "Z"))
        except ValueError:
            return value  # pydantic says what is wrong with it
    if isinstance(value, datetime) and value.tzinfo is not None:
        return WallTime.written(value)
    return value


Id = Annotated[str, AfterValidator(_check_id)]
ZoneName = Annotated[str, AfterValidator(_check_zone)]
Iata = Annotated[str, AfterValidator(_check_iata)]
Endpoint = Annotated[str, AfterValidator(_check_endpoint)]
DurationField = Annotated[
    timedelta,
    BeforeValidator(_to_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(\d+\s*h)?\s*(\d+\s*(m|min))?\s*$|^P(T(\d+H)?(\d+M)?)$",
            "description": "a duration such as '2h', '90m', '1h30m' or 'PT1H30M'",
        }
    ),
]


_CLOCK_EDGE = re.compile(r"(?:^|[T ])(24:00(?::00)?|\d\d:\d\d:60)\s*\Z")


def _clock_edges(value: Any) -> Any:
    """24:00 and leap seconds are no times of day tripplan can use: say so plainly."""
    if isinstance(value, str):
        found = _CLOCK_EDGE.search(value.strip())
        if found and found.group(1).startswith("24"):
            raise Refused(
                msg(
                    "{value}: 24:00 is not a time of day here; write 00:00 of the next day, "
                    "or 23:59",
                    value=f"{value.strip()!r}",
                )
            )
        if found:
            raise Refused(
                msg(
                    "{value}: second 60 (a leap second) is not a time tripplan can use; "
                    "write :59 or the next minute",
                    value=f"{value.strip()!r}",
                )
            )
    return value


def _no_number(example: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise Refused(msg("write it as {example}, not as a number", example=str(example)))
        return _clock_edges(value)

    return BeforeValidator(check)


def _in_range(value: Any) -> Any:
    if not 1900 <= value.year <= 2200:
        raise Refused(
            msg(
                "year {year} is out of range; plans cover the years 1900–2200", year=str(value.year)
            )
        )
    return value


def _naive_time(value: time) -> time:
    if value.tzinfo is not None:
        raise Refused(msg("write a local time of day such as 09:00, without a UTC offset"))
    return value


DateField = Annotated[date, _no_number("a date such as 2018-04-23"), AfterValidator(_in_range)]
LocalTime = Annotated[
    time,
    _no_number("a time of day such as 09:00"),
    AfterValidator(_naive_time),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$"}),
]


def _naive(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = WallTime.written(value)
    _in_range(value)
    return value


LocalDateTime = Annotated[
    datetime,
    BeforeValidator(_wall_time),
    AfterValidator(_naive),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?$",
            "description": "wall-clock time of the place; a UTC offset only to say which "
            "occurrence of a repeated time at the end of DST is meant",
        }
    ),
]
Text = Annotated[str, Field(max_length=10_000)]
Flag = Annotated[bool, Strict()]
"""Booleans are written true or false; "yes" or 1 are refused rather than guessed."""
Name = Annotated[str, Field(min_length=1, max_length=300)]

WeekdayCode = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[WeekdayCode, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TripKind = Literal["study_tour", "return_visit", "colloquium"]
LegMode = Literal["flight", "train", "bus", "car"]
ActivityKind = Literal[
    "meeting",
    "workshop",
    "site_visit",
    "briefing",
    "meal",
    "ceremony",
    "reception",
    "call",
    "free_time",
]
WORKING_KINDS: frozenset[str] = frozenset({"meeting", "workshop", "site_visit", "briefing", "call"})
EntryStatus = Literal["approved", "pending", "refused", "not_needed", "unknown"]
Lodging = Literal["hotel", "host_family", "other"]
TimeOfDay = Literal["morning", "afternoon", "evening"]


class InvalidPlan(TripplanError):
    """Problems that need the whole plan to see; each with its field path."""

    def __init__(self, problems: list[tuple[Loc, Message]], more: int = 0) -> None:
        self.problems = problems
        self.more = more  # problems found beyond those listed
        super().__init__("\n".join(f"{loc_to_path(loc)}: {plain(m)}" for loc, m in problems))


def loc_to_path(loc: Iterable[str | int]) -> str:
    """``("trips", 0, "legs", 1, "to")`` → ``"trips[0].legs[1].to"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


_ALIASES = {"origin": "from", "destination": "to"}
"""Fields written differently in plan files (``from`` is a Python keyword)."""


def alias_of(name: str) -> str:
    return _ALIASES.get(name, name)


class Model(BaseModel):
    """Base of the plan's models: frozen pydantic models that forbid unknown fields. Fields
    spelled differently in plan files (``from``, ``to``) have an alias; Python code may use
    either name."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=alias_of,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        defer_build=True,  # the schema is built on first validation, not on import
    )


# -- texts in more than one language ---------------------------------------------------


_Item = TypeVar("_Item", bound=Model)


class ProgrammeTexts(Model):
    """The programme's texts in another language; what is left out stays in the plan's."""

    name: Name | None = None
    description: Text | None = None


class TripTexts(Model):
    """A trip's texts in another language; what is left out stays in the plan's."""

    title: Name | None = None
    notes: Text | None = None


class ActivityTexts(Model):
    """An activity's texts in another language; what is left out stays in the plan's."""

    title: Name | None = None
    venue: Text | None = None
    public_notes: Text | None = None


class LegTexts(Model):
    """A leg's public notes in another language."""

    public_notes: Text | None = None


class StayTexts(Model):
    """A stay's name (and address as guests should say it) in another language."""

    name: Text | None = None
    address: Text | None = None


class PlaceTexts(Model):
    """A community's address in another language (a place keeps its name; other names of
    it go in ``alt_names``), and a placeholder's name: it describes a host still to be found
    (``US-Gastkommune 1``, ``US host community 1``) and is no place's name yet."""

    address: Text | None = None
    name: Name | None = None


class NameTexts(Model):
    """A delegation's name in another language."""

    name: Name | None = None


class PersonTexts(Model):
    """A delegate's name (a role such as "Representative of the town hall") and role in
    another language."""

    name: Name | None = None
    role: Text | None = None


def in_language(item: _Item, lang: str) -> _Item:
    """``item`` as a reader of ``lang`` sees it: each text the plan gives in ``lang`` (in the
    item's ``translations``) replaces the one in the plan's language; every other text stays
    as the plan's language says it.

    This is the one place where a text is chosen for a language: :meth:`Plan.in_language`
    and the events of an itinerary (``Event.in_language``) are made with it, and every view,
    booklet, brief and calendar reads what they give.
    """
    texts = getattr(item, "translations", None)
    chosen = texts.get(lang) if texts else None
    if chosen is None:
        return item
    update = {name: value for name, value in chosen if value is not None}
    return item.model_copy(update=update) if update else item


class Programme(Model):
    """The exchange programme the plan belongs to."""

    name: Name
    year: Annotated[int, Strict(), Field(ge=1900, le=2200)]
    organiser: Name
    supporters: tuple[Name, ...] = ()
    language: Lang = Lang.en
    description: Text = ""
    coordinator: Name | None = None
    """Who coordinates the programme (a person or an office); hosts are told to ask them.
    Defaults to the organiser."""
    contact: Text = ""
    """The coordinator's public contact (work e-mail or telephone), shown to hosts."""
    translations: dict[Lang, ProgrammeTexts] = Field(default_factory=dict)
    """The name and description in other languages (``translations.en.name = "…"``)."""
    uid_domain: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$")] | None = None
    """Right-hand side of calendar UIDs; defaults to ``<name slug>-<year>.tripplan``.
    Set it once if the programme's name may still change."""

    @property
    def uid_host(self) -> str:
        if self.uid_domain:
            return self.uid_domain
        slug = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")[:60] or "programme"
        year = str(self.year)
        return f"{slug}.tripplan" if year in slug else f"{slug}-{year}.tripplan"


class WorkingHours(Model):
    """When a host community's practitioners can receive visitors."""

    start: LocalTime = time(9, 0)
    end: LocalTime = time(17, 0)
    days: tuple[WeekdayCode, ...] = ("mon", "tue", "wed", "thu", "fri")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.end <= self.start:
            raise Refused(msg("working hours must end after they start (e.g. 09:00 to 17:00)"))
        return self


class Community(Model):
    """A town, city or county that sends or hosts a delegation."""

    id: Id
    name: Name
    alt_names: tuple[Name, ...] = ()
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    subdivision: Annotated[str, Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")] | None = None
    timezone: ZoneName
    airports: tuple[Iata, ...] = ()
    neighbours: tuple[Id, ...] = ()
    """Communities reached on foot (ids; either side may say it): a person goes there for an
    event and back without a travel leg (``neighbours = ["zgorzelec"]`` in Görlitz)."""
    address: Text = ""
    working_hours: WorkingHours = WorkingHours()
    languages: tuple[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], ...] = ()
    """Languages the hosts can work in (ISO 639), to see who needs interpreting."""
    placeholder: Flag = False
    """A host still to be confirmed; its time zone is then an assumption."""
    translations: dict[Lang, PlaceTexts] = Field(default_factory=dict)
    """The address in other languages (``translations.en.address = "Town hall, …"``), and a
    placeholder's name (``translations.en.name = "US host community 1"``)."""

    @property
    def called(self) -> Named:
        """Its name for a message, with a placeholder's names in other languages."""
        return Named(
            self.name,
            tuple((lang, t.name) for lang, t in sorted(self.translations.items()) if t.name),
        )

    @model_validator(mode="after")
    def _check(self) -> Self:
        named = sorted(lang for lang, texts in self.translations.items() if texts.name)
        if named and not self.placeholder:
            raise Refused(
                msg(
                    "translations.{lang}.name: {name} is a place's name and stays the same in "
                    "every language; give other names in alt_names (only a placeholder, which "
                    "describes a host still to be found, has its name translated)",
                    lang=named[0],
                    name=repr(self.name),
                )
            )
        if self.subdivision and not self.subdivision.startswith(self.country + "-"):
            raise Refused(
                msg(
                    "subdivision {subdivision} is not in country {country}; write it as "
                    "'{country2}-XX' (ISO 3166-2, e.g. 'DE-SN' for Saxony)",
                    subdivision=f"{self.subdivision!r}",
                    country=f"{self.country!r}",
                    country2=str(self.country),
                )
            )
        return self


class Organisation(Model):
    """An association, theatre, administration or alliance that delegates belong to."""

    id: Id
    name: Name
    kind: Text = ""
    website: Text = ""


class Private(Model):
    """Personal data of a delegate: only for the coordinator, never for hosts or logs."""

    phone: Text = ""
    email: Text = ""
    passport_expiry: DateField | None = None
    esta: EntryStatus = "unknown"
    visa: EntryStatus = "unknown"
    dietary: Text = ""
    access: Text = ""
    emergency_contact: Text = ""
    share_with_hosts: tuple[Literal["dietary", "access"], ...] = ()
    """What of this block hosts may learn (counted with others, never named); nothing else."""

    def __repr__(self) -> str:  # keep personal data out of logs and tracebacks
        return "Private(<hidden>)"

    __str__ = __repr__


class Delegate(Model):
    """A person who travels; personal data is kept apart in its private table."""

    id: Id
    name: Name
    organisation: Id | None = None
    role: Text = ""
    languages: tuple[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], ...] = ()
    home: Id
    contact: Text = ""
    """Public contact (work e-mail or office), may be shown to hosts."""
    allowances: Allowances | None = None
    """Daily allowances for this delegate, instead of their delegation's (see costs)."""
    private: Private = Private()
    translations: dict[Lang, PersonTexts] = Field(default_factory=dict)
    """Name and role in other languages (``translations.en.role = "…"``)."""


class Delegation(Model):
    """The delegates one community sends, travelling together."""

    id: Id
    name: Name
    home: Id
    members: Annotated[tuple[Id, ...], AfterValidator(_non_empty)]
    lead: Id | None = None
    allowances: Allowances | None = None
    """The rule set of its members' daily allowances (see costs)."""
    translations: dict[Lang, NameTexts] = Field(default_factory=dict)
    """The name in other languages (``translations.en.name = "…"``)."""


class Stay(Model):
    """Where travellers sleep from ``check_in`` to ``check_out``."""

    id: Id | None = None
    """Stable id; defaults to ``stay-<community>-<check_in>``."""
    community: Id
    lodging: Lodging = "hotel"
    name: Text = ""
    address: Text = ""
    check_in: DateField
    check_out: DateField
    travellers: tuple[Id, ...] = ()
    provisional: Flag = False
    breakfast: Flag = False
    """Breakfast is included (reduces a German daily allowance; see costs)."""
    cost: Cost | None = None
    translations: dict[Lang, StayTexts] = Field(default_factory=dict)
    """Name and address in other languages (``translations.en.name = "Host families"``)."""

    @property
    def key(self) -> str:
        return self.id or f"stay-{self.community}-{self.check_in:%Y%m%d}"


class Leg(Model):
    """One journey: departs in the origin's wall-clock time, arrives in the destination's."""

    id: Id
    mode: LegMode
    origin: Endpoint
    """Written ``from`` in plan files."""
    destination: Endpoint
    """Written ``to`` in plan files."""
    departs: LocalDateTime
    arrives: LocalDateTime
    carrier: Text = ""
    number: Text = ""
    travellers: tuple[Id, ...] = ()
    provisional: Flag = False
    public_notes: Text = ""
    internal_notes: Text = ""
    cost: Cost | None = None
    translations: dict[Lang, LegTexts] = Field(default_factory=dict)
    """Public notes in other languages (``translations.en.public_notes = "…"``)."""


class Activity(Model):
    """Something that happens in a community: fixed, all-day, or flexible (to be placed)."""

    id: Id
    title: Name
    kind: ActivityKind = "meeting"
    community: Id
    venue: Text = ""
    participants: tuple[Id, ...] = ()
    start: LocalDateTime | None = None
    end: LocalDateTime | None = None
    day: DateField | None = None
    last_day: DateField | None = None
    duration: DurationField | None = None
    window_start: DateField | LocalDateTime | None = None
    window_end: DateField | LocalDateTime | None = None
    after: tuple[Id, ...] = ()
    preferred: TimeOfDay | None = None
    placed: LocalDateTime | None = None
    """Start chosen by ``tripplan plan --write`` for a flexible activity (local time)."""
    off_hours_ok: Flag = False
    provisional: Flag = False
    public_notes: Text = ""
    internal_notes: Text = ""
    provides_meal: Meal | None = None
    """The hosts provide this meal to the participants (reduces daily allowances)."""
    cost: Cost | None = None
    translations: dict[Lang, ActivityTexts] = Field(default_factory=dict)
    """Title, venue and public notes in other languages (``translations.en.title = "…"``);
    internal notes are for the coordinators and stay in the plan's language."""

    @model_validator(mode="after")
    def _check(self) -> Self:
        fixed = self.start is not None or self.end is not None
        all_day = self.day is not None or self.last_day is not None
        flexible = self.duration is not None or self.window_start is not None
        forms = sum((fixed, all_day, flexible))
        if forms != 1:
            raise Refused(
                msg(
                    "give exactly one of: 'start' and 'end' (a fixed time), 'day' (an "
                    "all-day item, optionally up to 'last_day'), or 'duration' with "
                    "'window_start' and 'window_end' (to be placed by 'tripplan plan')"
                )
            )
        if fixed and (self.start is None or self.end is None):
            raise Refused(msg("a fixed activity needs both 'start' and 'end'"))
        if self.start and self.end and self.end == self.start:
            raise Refused(
                msg(
                    "is zero-length: it starts and ends at {start}; give it an end after its start",
                    start=f"{self.start:%Y-%m-%d %H:%M}",
                )
            )
        if self.start and self.end and self.end < self.start:
            raise Refused(
                msg(
                    "ends ({end}) before it starts ({start}); swap or correct the times",
                    end=f"{self.end:%Y-%m-%d %H:%M}",
                    start=f"{self.start:%Y-%m-%d %H:%M}",
                )
            )
        if all_day:
            if self.day is None:
                raise Refused(msg("an all-day activity needs 'day' (and may have 'last_day')"))
            if self.last_day is not None and self.last_day < self.day:
                raise Refused(msg("'last_day' is before 'day'; swap or correct the dates"))
        if flexible and (
            self.duration is None or self.window_start is None or self.window_end is None
        ):
            raise Refused(
                msg("a flexible activity needs 'duration', 'window_start' and 'window_end'")
            )
        if self.duration is not None and self.duration <= timedelta(0):
            raise Refused(msg("is zero-length: 'duration' must be longer than zero"))
        if self.window_start is not None and self.window_end is not None:
            opens, closes = _window_span(self.window_start, self.window_end)
            if closes <= opens:
                raise Refused(
                    msg(
                        "its window is reversed: 'window_end' ({window_end}) is before "
                        "'window_start' ({window_start}); swap them",
                        window_end=str(_said(self.window_end)),
                        window_start=str(_said(self.window_start)),
                    )
                )
            if self.duration is not None and closes - opens < self.duration:
                raise Refused(
                    msg(
                        "its window ({window_start} to {window_end}) is shorter than its "
                        "duration ({duration}); widen the window or shorten the activity",
                        window_start=str(_said(self.window_start)),
                        window_end=str(_said(self.window_end)),
                        duration=Duration(self.duration),
                    )
                )
        if self.placed is not None and not flexible:
            raise Refused(msg("'placed' is for flexible activities (with 'duration'); remove it"))
        return self

    @property
    def is_flexible(self) -> bool:
        return self.duration is not None

    def window_days(self) -> tuple[date, date]:
        """First and last local day of the window of a flexible activity."""
        assert self.window_start is not None and self.window_end is not None
        first, last = self.window_start, self.window_end
        return (
            first.date() if isinstance(first, datetime) else first,
            last.date() if isinstance(last, datetime) else last,
        )


def _window_span(first: date | datetime, last: date | datetime) -> tuple[datetime, datetime]:
    """A window as wall-clock times: from its first moment to the end of its last day."""
    opens = first if isinstance(first, datetime) else datetime.combine(first, time(0, 0))
    if isinstance(last, datetime):
        return opens, last
    return opens, datetime.combine(last + timedelta(days=1), time(0, 0))


def _said(value: date | datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else f"{value:%Y-%m-%d}"


class Trip(Model):
    """One phase of the programme: travellers, hosts, days, stays, legs and activities."""

    id: Id
    title: Name
    kind: TripKind
    delegations: Annotated[tuple[Id, ...], AfterValidator(_non_empty)]
    hosts: tuple[Id, ...] = ()
    first_day: DateField
    last_day: DateField
    provisional: Flag = False
    notes: Text = ""
    translations: dict[Lang, TripTexts] = Field(default_factory=dict)
    """Title and notes in other languages (``translations.en.title = "…"``)."""
    stays: tuple[Stay, ...] = ()
    legs: tuple[Leg, ...] = ()
    activities: tuple[Activity, ...] = ()


class Settings(Model):
    """Rules of thumb the checks and the scheduler apply."""

    min_transfer: DurationField = timedelta(minutes=45)
    min_transfer_international: DurationField = timedelta(minutes=90)
    long_haul: DurationField = timedelta(hours=6)
    arrival_rest: DurationField = timedelta(hours=4)
    arrival_day_latest: LocalTime = time(20, 0)
    transfer_buffer: DurationField = timedelta(minutes=30)
    max_work_per_day: DurationField = timedelta(hours=8)


class Plan(Model):
    """A whole programme: who, where, when."""

    version: Annotated[int, Strict(), AfterValidator(_check_version)] = 1
    programme: Programme
    settings: Settings = Settings()
    communities: tuple[Community, ...]
    organisations: tuple[Organisation, ...] = ()
    delegates: tuple[Delegate, ...] = ()
    delegations: tuple[Delegation, ...] = ()
    trips: tuple[Trip, ...] = ()
    budget: Budget | None = None

    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin | None:
        """The file it was read from, to say where its parts are written (see Origin): not
        part of the plan's data (a private attribute), so two plans with the same data are
        equal wherever read, and ``dict(plan)`` holds only the plan's fields."""
        return self._origin

    def read_from(self, origin: Origin) -> None:
        """Record where the plan was read from (the loader's job, once)."""
        self._origin = origin

    def __eq__(self, other: object) -> bool:
        """Plans are equal by their data: where each was read from is no part of it."""
        if not isinstance(other, Plan):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in Plan.model_fields)

    def __hash__(self) -> int:
        """Consistent with ``==``: plans equal by their data have the same programme."""
        return hash((self.version, self.programme.name, self.programme.year))

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.communities:
            raise InvalidPlan(
                [
                    (
                        ("communities",),
                        msg("a plan needs at least one community; add [[communities]]"),
                    )
                ]
            )
        problems: list[tuple[Loc, Message]] = []
        more = 0
        for problem in _plan_problems(self, hints=MAX_LISTED):
            if len(problems) < MAX_LISTED:
                problems.append(problem)
            else:
                more += 1
        if problems:
            raise InvalidPlan(problems, more)
        return self

    def in_language(self, lang: str) -> Plan:
        """The plan as a reader of ``lang`` sees it: every text given in ``lang`` in place of
        the plan's language (see :func:`in_language`); the same plan when none is."""
        if lang == self.programme.language:
            return self
        known = self._in_languages
        if lang not in known:
            trips = tuple(
                in_language(trip, lang).model_copy(
                    update={
                        "activities": tuple(in_language(a, lang) for a in trip.activities),
                        "legs": tuple(in_language(leg, lang) for leg in trip.legs),
                        "stays": tuple(in_language(stay, lang) for stay in trip.stays),
                    }
                )
                for trip in self.trips
            )
            update = {
                "programme": in_language(self.programme, lang),
                "communities": tuple(in_language(c, lang) for c in self.communities),
                "delegates": tuple(in_language(d, lang) for d in self.delegates),
                "delegations": tuple(in_language(d, lang) for d in self.delegations),
                "trips": trips,
            }
            copied = self.model_copy(update=update)
            for name in [key for key in vars(copied) if key not in Plan.model_fields]:
                if name != "origin":  # the file it was read from stays
                    del vars(copied)[name]  # look-ups remembered of the plan's own texts
            known[lang] = copied
        return known[lang]

    @cached_property
    def _in_languages(self) -> dict[str, Plan]:
        return {}

    # -- look-ups -------------------------------------------------------------
    @cached_property
    def _communities(self) -> dict[str, Community]:
        return {c.id: c for c in self.communities}

    @cached_property
    def named_in(self) -> frozenset[str]:
        """The languages in which a placeholder host has a name of its own (there, a title
        made of place names reads otherwise)."""
        return frozenset(
            lang for c in self.communities for lang, texts in c.translations.items() if texts.name
        )

    @cached_property
    def _delegates(self) -> dict[str, Delegate]:
        return {d.id: d for d in self.delegates}

    @cached_property
    def _delegations(self) -> dict[str, Delegation]:
        return {d.id: d for d in self.delegations}

    def community(self, community_id: str) -> Community:
        return self._communities[community_id]

    def delegate(self, delegate_id: str) -> Delegate:
        return self._delegates[delegate_id]

    def delegation(self, delegation_id: str) -> Delegation:
        return self._delegations[delegation_id]

    def trip(self, trip_id: str) -> Trip:
        for trip in self.trips:
            if trip.id == trip_id:
                return trip
        raise KeyError(trip_id)

    def delegation_of(self, delegate_id: str) -> Delegation | None:
        """The first delegation (in plan order) that ``delegate_id`` is a member of."""
        found = self.delegations_of(delegate_id)
        return found[0] if found else None

    def delegations_of(self, delegate_id: str) -> tuple[Delegation, ...]:
        """Every delegation ``delegate_id`` is a member of, in plan order."""
        return self._memberships.get(delegate_id, ())

    def delegations_among(self, people: Iterable[str]) -> list[Delegation]:
        """The delegations with a member among ``people``, in plan order."""
        found = {d.id: d for person in people for d in self.delegations_of(person)}
        rank = self._delegation_rank
        return sorted(found.values(), key=lambda d: rank[d.id])

    @cached_property
    def _delegation_rank(self) -> dict[str, int]:
        return {d.id: n for n, d in enumerate(self.delegations)}

    @cached_property
    def _memberships(self) -> dict[str, tuple[Delegation, ...]]:
        found: dict[str, list[Delegation]] = {}
        for delegation in self.delegations:
            for member in dict.fromkeys(delegation.members):
                found.setdefault(member, []).append(delegation)
        return {member: tuple(delegations) for member, delegations in found.items()}

    def expand(self, ids: Iterable[str]) -> tuple[str, ...]:
        """Delegate ids named by ``ids`` (delegation or delegate ids), in plan order."""
        wanted: set[str] = set()
        for ident in ids:
            if ident in self._delegations:
                wanted.update(self._delegations[ident].members)
            else:
                wanted.add(ident)
        order = self._delegate_order
        return tuple(sorted((d for d in wanted if d in order), key=order.__getitem__))

    @cached_property
    def _delegate_order(self) -> dict[str, int]:
        return {d.id: n for n, d in enumerate(self.delegates)}

    def travellers(self, trip: Trip, ids: Iterable[str] = ()) -> tuple[str, ...]:
        """Delegates named by ``ids``, or every traveller of ``trip`` when empty."""
        ids = tuple(ids)
        return self.expand(ids or trip.delegations)

    def endpoint_zone(self, endpoint: str) -> ZoneInfo:
        if endpoint in self._communities:
            return zone(self._communities[endpoint].timezone)
        return zone(airport(endpoint).timezone)

    @cached_property
    def _neighbours(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {c.id: set() for c in self.communities}
        for community in self.communities:
            for other in community.neighbours:
                if other in found and other != community.id:
                    found[community.id].add(other)
                    found[other].add(community.id)
        return {key: frozenset(value) for key, value in found.items()}

    def neighbours(self, community_id: str) -> frozenset[str]:
        """The communities reached on foot from ``community_id`` (symmetric: either of two
        neighbours may list the other)."""
        return self._neighbours.get(community_id, frozenset())

    def endpoint_community(self, endpoint: str) -> str | None:
        """The community a leg's endpoint belongs to (its id, or one listing the airport)."""
        if endpoint in self._communities:
            return endpoint
        for community in self.communities:
            if endpoint in community.airports:
                return community.id
        return None

    def endpoint_country(self, endpoint: str) -> str:
        if endpoint in self._communities:
            return self._communities[endpoint].country
        return airport(endpoint).country

    def endpoint_name(self, endpoint: str) -> str:
        """A community's name, or an airport's place with its code (``Frankfurt am Main
        FRA``; the airport's own name when the airport table gives no city: never the code
        alone)."""
        if endpoint in self._communities:
            return self._communities[endpoint].name
        found = airport(endpoint)
        return f"{found.city.strip() or found.name} {found.iata}"

    def home_zone(self, delegate_id: str) -> ZoneInfo:
        return zone(self.community(self.delegate(delegate_id).home).timezone)

    def at(self, wall: datetime, community_or_airport: str) -> datetime:
        """``wall`` as a zone-aware datetime in the zone of a community or airport."""
        return localize(wall, self.endpoint_zone(community_or_airport))


MAX_LISTED = 20
"""Whole-plan problems listed in full; those beyond are counted, without "did you mean"."""


_WHAT = {
    "community": msg("community"),
    "organisation": msg("organisation"),
    "delegate": msg("delegate"),
    "delegation": msg("delegation"),
    "trip": msg("trip"),
    "delegate or delegation": msg("delegate or delegation"),
    "activity of this trip": msg("activity of this trip"),
    "item": msg(
        "leg, activity or stay (of one trip; stays without an id use 'stay-<community>-<check_in>')"
    ),
}
"""The kinds of id, as messages name them."""


def _plan_problems(plan: Plan, hints: int = MAX_LISTED) -> Iterator[tuple[Loc, Message]]:
    """Every problem that needs the whole plan; only the first ``hints`` unknown ids get a
    "did you mean" (a search each), so that thousands of them cost little."""
    hinted = [0]
    communities = {c.id for c in plan.communities}
    organisations = {o.id for o in plan.organisations}
    delegates = {d.id for d in plan.delegates}
    delegations = {d.id for d in plan.delegations}
    people = delegates | delegations

    for field, what in (
        ("communities", "community"),
        ("organisations", "organisation"),
        ("delegates", "delegate"),
        ("delegations", "delegation"),
        ("trips", "trip"),
    ):
        items = getattr(plan, field)
        yield from _duplicates(
            [((field, i, "id"), item.id) for i, item in enumerate(items)], _WHAT[what]
        )
    for index, delegation in enumerate(plan.delegations):
        if delegation.id in delegates:
            yield (
                ("delegations", index, "id"),
                msg(
                    "{id} is already the id of a delegate; participants name delegates and "
                    "delegations alike, so give the delegation another id",
                    id=f"{delegation.id!r}",
                ),
            )

    def ref(loc: Loc, value: str, known: set[str], what: str) -> Iterator[tuple[Loc, Message]]:
        if value not in known:
            hinted[0] += 1
            yield loc, _unknown(value, known, _WHAT[what], hint=hinted[0] <= hints)

    codes: list[tuple[Loc, str]] = [
        (("communities", c, "airports", a), code)
        for c, community in enumerate(plan.communities)
        for a, code in enumerate(community.airports)
    ] + [
        (("trips", t, "legs", g, alias), getattr(leg, field))
        for t, trip in enumerate(plan.trips)
        for g, leg in enumerate(trip.legs)
        for field, alias in (("origin", "from"), ("destination", "to"))
        if is_code(getattr(leg, field))
    ]
    good = {code for _, code in codes if is_known(code)}
    for where, code in codes:
        if code not in good:
            close = closest(code, good)
            hint: Message | str = did_you_mean_place(close, _place(close)) if close else "."
            yield (
                where,
                msg(
                    "{code} is not a known IATA airport code{hint} Check the three-letter "
                    "code on the booking (e.g. 'FRA' for Frankfurt).",
                    code=f"{code!r}",
                    hint=hint,
                ),
            )

    for c, community in enumerate(plan.communities):
        for n, neighbour in enumerate(community.neighbours):
            yield from ref(("communities", c, "neighbours", n), neighbour, communities, "community")
            if neighbour == community.id:
                yield (
                    ("communities", c, "neighbours", n),
                    msg("a community is not its own neighbour; remove {id}", id=f"{neighbour!r}"),
                )

    for index, delegate in enumerate(plan.delegates):
        loc: Loc = ("delegates", index)
        yield from ref((*loc, "home"), delegate.home, communities, "community")
        if delegate.organisation is not None:
            yield from ref(
                (*loc, "organisation"), delegate.organisation, organisations, "organisation"
            )
    for index, delegation in enumerate(plan.delegations):
        loc = ("delegations", index)
        yield from ref((*loc, "home"), delegation.home, communities, "community")
        for m, member in enumerate(delegation.members):
            yield from ref((*loc, "members", m), member, delegates, "delegate")
        if delegation.lead is not None and delegation.lead not in delegation.members:
            yield (
                (*loc, "lead"),
                msg("{lead} is not one of the delegation's members", lead=f"{delegation.lead!r}"),
            )

    for t, trip in enumerate(plan.trips):
        loc = ("trips", t)
        for d, ident in enumerate(trip.delegations):
            yield from ref((*loc, "delegations", d), ident, delegations, "delegation")
        for h, host in enumerate(trip.hosts):
            yield from ref((*loc, "hosts", h), host, communities, "community")
        if trip.last_day < trip.first_day:
            yield (
                (*loc, "last_day"),
                msg(
                    "last day {last_day} is before first day {first_day}; swap them",
                    last_day=str(trip.last_day),
                    first_day=str(trip.first_day),
                ),
            )
        elif (trip.last_day - trip.first_day).days >= MAX_TRIP_DAYS:
            yield (
                (*loc, "last_day"),
                msg("a trip may last at most a year; split longer stretches into several trips"),
            )
        yield from _duplicates(
            [((*loc, "legs", i, "id"), leg.id) for i, leg in enumerate(trip.legs)]
            + [((*loc, "activities", i, "id"), a.id) for i, a in enumerate(trip.activities)]
            + [((*loc, "stays", i, "id"), s.key) for i, s in enumerate(trip.stays)],
            _WHAT["item"],
        )
        for s, stay in enumerate(trip.stays):
            sloc: Loc = (*loc, "stays", s)
            yield from ref((*sloc, "community"), stay.community, communities, "community")
            if stay.check_out <= stay.check_in:
                yield (
                    (*sloc, "check_out"),
                    msg(
                        "check-out {check_out} is not after check-in {check_in}",
                        check_out=str(stay.check_out),
                        check_in=str(stay.check_in),
                    ),
                )
            for i, ident in enumerate(stay.travellers):
                yield from ref((*sloc, "travellers", i), ident, people, "delegate or delegation")
        for g, leg in enumerate(trip.legs):
            gloc: Loc = (*loc, "legs", g)
            for field, alias in (("origin", "from"), ("destination", "to")):
                endpoint = getattr(leg, field)
                if is_code(endpoint) or endpoint in communities:
                    continue
                if is_code(endpoint.upper()) and is_known(endpoint.upper()):
                    yield (
                        (*gloc, alias),
                        msg(
                            "{endpoint} is not a community; airport codes are written in "
                            "capitals: {suggestion}",
                            endpoint=f"{endpoint!r}",
                            suggestion=did_you_mean(endpoint.upper(), bare=True),
                        ),
                    )
                else:
                    yield from ref((*gloc, alias), endpoint, communities, "community")
            for i, ident in enumerate(leg.travellers):
                yield from ref((*gloc, "travellers", i), ident, people, "delegate or delegation")
            if leg.origin == leg.destination:
                yield (*gloc, "to"), msg("a leg must go somewhere else than where it starts")
            for field, endpoint in (("departs", leg.origin), ("arrives", leg.destination)):
                yield from _dst((*gloc, field), plan, getattr(leg, field), endpoint, communities)
            yield from _lands_before_departing(gloc, plan, leg, communities)
        activity_ids = {a.id for a in trip.activities}
        yield from _after_cycles(trip, loc)
        for a, activity in enumerate(trip.activities):
            aloc: Loc = (*loc, "activities", a)
            yield from ref((*aloc, "community"), activity.community, communities, "community")
            for i, ident in enumerate(activity.participants):
                yield from ref((*aloc, "participants", i), ident, people, "delegate or delegation")
            for i, ident in enumerate(activity.after):
                yield from ref((*aloc, "after", i), ident, activity_ids, "activity of this trip")
                if ident == activity.id:
                    yield (
                        (*aloc, "after", i),
                        msg("an activity cannot come after itself; remove it"),
                    )
            if activity.window_start is not None and activity.window_end is not None:
                # a window that only partly lies in the trip is placed on the days inside
                opens, closes = activity.window_days()
                if closes < trip.first_day or opens > trip.last_day:
                    yield (
                        (*aloc, "window_start"),
                        msg(
                            "its window ({window_start} to {window_end}) has no day in trip "
                            "{id} ({first_day} to {last_day}); the activity could never be "
                            "placed. Move the window into the trip's days.",
                            window_start=str(_said(activity.window_start)),
                            window_end=str(_said(activity.window_end)),
                            id=f"{trip.id!r}",
                            first_day=str(trip.first_day),
                            last_day=str(trip.last_day),
                        ),
                    )
            for field in ("start", "end", "window_start", "window_end", "placed"):
                value = getattr(activity, field)
                if isinstance(value, datetime):
                    yield from _dst((*aloc, field), plan, value, activity.community, communities)
    yield from _budget_problems(plan)


def _after_cycles(trip: Trip, loc: Loc) -> Iterator[tuple[Loc, Message]]:
    """Activities that must each come after the other (through any number of steps)."""
    index = {a.id: n for n, a in enumerate(trip.activities)}
    follows = {a.id: [i for i in a.after if i in index and i != a.id] for a in trip.activities}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in follows:
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, position = stack.pop()
            if position == 0:
                if state.get(node) == 2:
                    continue
                state[node] = 1
                path.append(node)
            if position < len(follows[node]):
                stack.append((node, position + 1))
                nxt = follows[node][position]
                if state.get(nxt) == 1:
                    cycle = path[path.index(nxt) :]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        first = min(cycle, key=index.__getitem__)
                        at = cycle.index(first)
                        ring = [*cycle[at:], *cycle[:at], first]
                        yield (
                            (*loc, "activities", index[first], "after"),
                            msg(
                                "these activities must each come after the other, so none can "
                                "be placed: {ring} (read '→' as 'comes after'); remove one of "
                                "the 'after' "
                                "entries",
                                ring=str(" → ".join(ring)),
                            ),
                        )
                elif state.get(nxt) is None:
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()


def _lands_before_departing(
    loc: Loc, plan: Plan, leg: Leg, communities: set[str]
) -> Iterator[tuple[Loc, Message]]:
    """A leg that lands before it departs (in absolute time) is one problem, with both ends
    named, and the airport of a host it may have meant: tripplan never shows a negative
    travel time."""
    ends = ((leg.departs, leg.origin), (leg.arrives, leg.destination))
    for wall, endpoint in ends:
        if not (endpoint in communities or is_known(endpoint)):
            return  # an unknown end has its own problem
        if check_local(wall, plan.endpoint_zone(endpoint)):
            return  # a time that does not exist there has its own problem
    departs, arrives = (plan.at(wall, endpoint) for wall, endpoint in ends)
    if arrives >= departs:
        return
    hosts = {code for c in plan.communities for code in c.airports}
    hint: Message | str = ""
    for endpoint in (leg.destination, leg.origin):
        if is_code(endpoint) and endpoint not in hosts:
            meant = closest(endpoint, hosts)
            if meant is not None:
                hint = msg(" Did you mean {place}?", place=named(meant))
                break
    yield (
        (*loc, "arrives"),
        msg(
            "lands at {arrives} in {destination}, {early} before it departs at {departs} "
            "from {origin}; check the local times and the airport codes.{hint}",
            arrives=arrives,
            destination=_place_named(plan, leg.destination),
            early=Duration(departs - arrives),
            departs=departs,
            origin=_place_named(plan, leg.origin),
            hint=hint,
        ),
    )


def _place(code: str) -> Message | str:
    """A known airport's place and country, ``Boise, United States``."""
    found = airport(code)
    return msg("{place}, {country}", place=found.city or found.name, country=Country(found.country))


def _place_named(plan: Plan, endpoint: str) -> Message | str:
    """A leg's end as a message names it: a community's name, an airport's place."""
    if endpoint in plan._communities:
        return plan._communities[endpoint].name
    return named(endpoint)


def _dst(
    loc: Loc, plan: Plan, wall: datetime, endpoint: str, communities: set[str]
) -> Iterator[tuple[Loc, Message]]:
    if (not is_code(endpoint) and endpoint not in communities) or (
        is_code(endpoint) and not is_known(endpoint)
    ):
        return
    reason = check_local(wall, plan.endpoint_zone(endpoint))
    if reason:
        yield loc, reason


def _duplicates(items: Sequence[tuple[Loc, str]], what: Message) -> Iterator[tuple[Loc, Message]]:
    seen: dict[str, str] = {}
    for loc, ident in items:
        key = ident.casefold()
        if key in seen:
            first = seen[key]
            same = (
                msg("the same id")
                if first == ident
                else msg("an id that differs only in case ({first})", first=repr(first))
            )
            yield (
                loc,
                msg(
                    "{ident} repeats {same}; every {what} id must be unique (ignoring case, so "
                    "exported file names cannot clash)",
                    ident=repr(ident),
                    same=same,
                    what=what,
                ),
            )
        else:
            seen[key] = ident


def _unknown(value: str, known: set[str], what: Message, hint: bool = True) -> Message:
    close = closest(value, known) if hint else None
    listing = ", ".join(sorted(known)[:8])
    return msg(
        "no {what} has the id {value}.{suggestion} Known: {known}.",
        what=what,
        value=repr(value),
        suggestion=did_you_mean(close, sentence=True) if close else "",
        known=listing or msg("none defined"),
    )


# -- costs -------------------------------------------------------------------------
# What the exchange costs and who pays (issue 25): amounts on legs, stays and activities,
# free items, funders, exchange rates, and the rule sets and rate table of daily allowances.
# Amounts are exact decimals; the engines live in planning/allowances.py and planning/costs.py.

Meal = Literal["breakfast", "lunch", "dinner"]
RuleSet = Literal["de-estg", "us-federal", "flat"]


def _to_decimal(value: Any) -> Any:
    """An amount as written: a string ("123.45") or an integer are exact; a TOML or JSON
    float is read by its shortest decimal form (123.45 stays 123.45); a bool is refused."""
    if isinstance(value, bool):
        raise Refused(msg('write an amount such as "123.45", not true or false'))
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        return value.strip()
    return value


def _finite(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise Refused(msg('write an amount such as "123.45"'))
    return value


Amount = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    AfterValidator(_finite),
    Field(ge=0),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*$"},
                {"type": "number", "minimum": 0},
            ],
            "description": 'an exact amount, best written as a string such as "123.45"',
        }
    ),
]
Rate = Annotated[
    Decimal,
    BeforeValidator(_to_decimal),
    AfterValidator(_finite),
    Field(gt=0),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*$"},
                {"type": "number", "exclusiveMinimum": 0},
            ],
            "description": "an exact positive number, best written as a string",
        }
    ),
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code")]
Source = Annotated[
    str, Field(min_length=1, max_length=2000, description="publisher, title, date and address")
]


class Share(Model):
    """Part of a cost one funder pays: a percentage or an amount in the cost's currency."""

    funder: Id
    percent: Annotated[Amount, Field(le=100)] | None = None
    amount: Amount | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.percent is None) == (self.amount is None):
            raise Refused(msg("give a share either 'percent' or 'amount'"))
        return self


class Cost(Model):
    """An amount with its currency, planned or actual, and who pays it.

    ``per`` says what the amount is counted per: the item as a whole, each traveller, each
    night (of a stay), each traveller and night, or each room and night (``rooms``)."""

    amount: Amount
    currency: Currency
    status: Literal["planned", "actual"] = "planned"
    per: Literal["item", "person", "night", "person_night", "room_night"] = "item"
    rooms: Annotated[int, Strict(), Field(ge=1)] | None = None
    funder: Id | None = None
    shares: tuple[Share, ...] = ()
    invented: Flag = False
    """An example figure, not a quote or an invoice."""
    note: Text = ""

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.funder is not None and self.shares:
            raise Refused(msg("give either 'funder' or 'shares', not both"))
        if self.per == "room_night" and self.rooms is None:
            raise Refused(msg("a cost per room and night needs 'rooms'"))
        if self.rooms is not None and self.per != "room_night":
            raise Refused(msg("'rooms' is only for a cost per room and night"))
        return self


class Allowances(Model):
    """The rule set of daily allowances: ``de-estg`` (German EStG § 9 Abs. 4a),
    ``us-federal`` (Federal Travel Regulation M&IE) or ``flat`` (the programme's own
    ``amount`` per day and ``partial`` per partial day); who pays them."""

    rules: RuleSet
    amount: Amount | None = None
    partial: Amount | None = None
    currency: Currency | None = None
    funder: Id | None = None
    shares: tuple[Share, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.rules == "flat" and (self.amount is None or self.currency is None):
            raise Refused(msg("flat allowances need 'amount' and 'currency'"))
        if self.rules != "flat" and (self.amount is not None or self.partial is not None):
            raise Refused(msg("'amount' and 'partial' are only for flat allowances"))
        if self.funder is not None and self.shares:
            raise Refused(msg("give either 'funder' or 'shares', not both"))
        return self


class Funder(Model):
    id: Id
    name: Name


class ExchangeRate(Model):
    """``1 <from> = <rate> <to>`` on ``date``, as ``source`` published it."""

    base: Currency = Field(alias="from")
    quote: Currency = Field(alias="to")
    rate: Rate
    date: DateField
    source: Source


class AllowanceRate(Model):
    """One line of a published table of daily allowances: for a country (and optionally a
    place in it: a community id or a city as the table names it) and a year, the full and
    partial amount (``de-estg``) or the M&IE rate with its breakdown (``us-federal``)."""

    rules: Literal["de-estg", "us-federal"]
    country: CountryCode
    place: Text = ""
    year: Annotated[int, Strict(), Field(ge=1900, le=2200)]
    currency: Currency
    full: Amount
    partial: Amount | None = None
    breakfast: Amount | None = None
    lunch: Amount | None = None
    dinner: Amount | None = None
    incidentals: Amount | None = None
    lodging: Amount | None = None
    source: Source

    @model_validator(mode="after")
    def _check(self) -> Self:
        parts = (self.breakfast, self.lunch, self.dinner, self.incidentals)
        if self.rules == "us-federal" and any(part is None for part in parts):
            raise Refused(
                msg("a us-federal rate needs its breakdown: breakfast, lunch, dinner, incidentals")
            )
        if self.rules == "us-federal" and sum(p for p in parts if p is not None) != self.full:
            raise Refused(msg("breakfast, lunch, dinner and incidentals must add up to 'full'"))
        return self


class BudgetItem(Model):
    """A cost that is no leg, stay or activity: a visa, insurance, an interpreter…"""

    id: Id
    title: Name
    kind: Literal["visa", "insurance", "interpreter", "material", "other"] = "other"
    trip: Id | None = None
    travellers: tuple[Id, ...] = ()
    cost: Cost


class Budget(Model):
    """Funders, exchange rates, free items and the allowance rate table of a plan."""

    currency: Currency = "EUR"
    """The currency totals are given in."""
    funders: tuple[Funder, ...] = ()
    exchange_rates: tuple[ExchangeRate, ...] = ()
    items: tuple[BudgetItem, ...] = ()
    allowance_rates: tuple[AllowanceRate, ...] = ()
    invented: Flag = False
    """The budget's figures are examples (the allowance rates never are)."""
    note: Text = ""


def _budget_problems(plan: Plan) -> Iterator[tuple[Loc, Message]]:
    """Unknown funders and trips of the budget; duplicate funders and items."""
    budget = plan.budget
    funders = {f.id for f in budget.funders} if budget else set()
    if budget is not None:
        yield from _duplicates(
            [(("budget", "funders", i, "id"), f.id) for i, f in enumerate(budget.funders)],
            msg("funder"),
        )
        yield from _duplicates(
            [(("budget", "items", i, "id"), item.id) for i, item in enumerate(budget.items)],
            msg("budget item"),
        )
    trips = {t.id for t in plan.trips}

    def paid(loc: Loc, who: Cost | Allowances | None) -> Iterator[tuple[Loc, Message]]:
        if who is None:
            return
        named = [((*loc, "funder"), who.funder)] if who.funder else []
        named += [((*loc, "shares", i, "funder"), s.funder) for i, s in enumerate(who.shares)]
        for where, ident in named:
            if ident not in funders:
                yield where, _unknown(ident, funders, msg("funder"), hint=True)

    for i, delegate in enumerate(plan.delegates):
        yield from paid(("delegates", i, "allowances"), delegate.allowances)
    for i, delegation in enumerate(plan.delegations):
        yield from paid(("delegations", i, "allowances"), delegation.allowances)
    for t, trip in enumerate(plan.trips):
        for field in ("stays", "legs", "activities"):
            for n, thing in enumerate(getattr(trip, field)):
                yield from paid(("trips", t, field, n, "cost"), thing.cost)
                cost = thing.cost
                if field != "stays" and cost is not None and "night" in cost.per:
                    yield (
                        ("trips", t, field, n, "cost", "per"),
                        msg(
                            "a cost per night belongs on a stay; here write per = 'item' or "
                            "'person'"
                        ),
                    )
    if budget is not None:
        for i, item in enumerate(budget.items):
            yield from paid(("budget", "items", i, "cost"), item.cost)
            if "night" in item.cost.per:
                yield (
                    ("budget", "items", i, "cost", "per"),
                    msg("a cost per night belongs on a stay; here write per = 'item' or 'person'"),
                )
            if item.trip is not None and item.trip not in trips:
                yield (
                    ("budget", "items", i, "trip"),
                    _unknown(item.trip, trips, msg("trip"), hint=True),
                )
