"""Text for people, as data: a message id and its parameters, translated when rendered.

Core code never writes a sentence in a language. It builds a :class:`Message` with
:func:`msg` (or :func:`nmsg` when the sentence depends on a number): the message id is the
English text with named ``{placeholders}``, the parameters are values — plain strings and
numbers, moments, spans, days, durations, lists of people, or other messages. The
rendering edge (:func:`tripplan.render.i18n.translate`) looks the id up in the catalog of
the reader's language (``src/tripplan/locale/<lang>/LC_MESSAGES/tripplan.po``) and writes
every parameter the way that language writes it.

``msg`` and ``nmsg`` are the keywords babel's extractor looks for (see docs/translating.md).
This module imports nothing, so any stage may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class Span:
    """From ``start`` to ``end``: ``24 Apr 2018 09:00–11:00 EDT``."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Day:
    """A date in a sentence: ``24 Apr 2018`` / ``24.04.2018``."""

    day: date


@dataclass(frozen=True, slots=True)
class ShortDay:
    """A date without its year, in a list of dates: ``24 Apr`` / ``24.04.``."""

    day: date


@dataclass(frozen=True, slots=True)
class DayRange:
    """Days from ``first`` to ``last`` of one month or two: ``23–25 Apr`` / ``23.–25.04.``."""

    first: date
    last: date


@dataclass(frozen=True, slots=True)
class Number:
    """A whole number with the language's digit grouping: ``300,000`` / ``300.000``."""

    value: int


@dataclass(frozen=True, slots=True)
class Weekday:
    """The name of the weekday of a date: ``Sunday`` / ``Sonntag``."""

    day: date


@dataclass(frozen=True, slots=True)
class Country:
    """A country by its ISO code, named in the reader's language: ``United States``."""

    code: str


@dataclass(frozen=True, slots=True)
class Holiday:
    """The public holiday of a country (and subdivision) on a day, in the reader's language."""

    country: str
    subdivision: str | None
    day: date


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time: ``1 h 30 min``."""

    length: timedelta


@dataclass(frozen=True, slots=True)
class People:
    """Ids of people: the first three, then how many more."""

    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Items:
    """Several values joined by the language's list separator (comma)."""

    values: tuple[object, ...]
    separator: str = ", "


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence for people: its id (the English text with ``{placeholders}``), its
    parameters, and for a sentence that depends on a number, its plural form and that
    number."""

    msgid: str
    params: tuple[tuple[str, object], ...] = ()
    plural: str | None = None
    n: int = 1

    def key(self) -> str:
        """A stable text for ordering, the same in every language."""
        return self.msgid + "\x00" + repr(self.params)


def N_(msgid: str) -> str:
    """Marks a text without parameters (a label) for extraction; translated when shown."""
    return msgid


def msg(msgid: str, **params: object) -> Message:
    """A message; ``msgid`` must be a literal so that it can be extracted."""
    return Message(msgid, tuple(sorted(params.items())))


def nmsg(singular: str, plural: str, n: int, **params: object) -> Message:
    """A message whose words depend on ``n`` (``is``/``are``); ``n`` is also a parameter."""
    return Message(singular, tuple(sorted({"n": n, **params}.items())), plural, n)
