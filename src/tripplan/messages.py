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
    """A length of time: ``1 h 30 min``, its units from the catalog (:func:`duration_message`)."""

    length: timedelta


@dataclass(frozen=True, slots=True)
class People:
    """Ids of people: the first three, then how many more."""

    ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    """Allowed values, quoted: ``'a', 'b' or 'c'`` / ``'a', 'b' oder 'c'``."""

    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Named:
    """A name a language may give otherwise: a placeholder host's (``US-Gastkommune 1``,
    in English ``US host community 1``), chosen when the message is shown."""

    name: str
    translations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Items:
    """Several values joined by the language's list separator (comma)."""

    values: tuple[object, ...]
    separator: str | Message = ", "  # a message (e.g. OR) is translated too


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


class Refused(ValueError):
    """A value refused by a validator, with the message that says why (for people)."""

    def __init__(self, message: Message) -> None:
        super().__init__(plain(message))
        self.message = message


def plain(message: Message) -> str:
    """The message in English, without the catalogs: for logs and ``str()`` of errors.
    What people read is translated (``tripplan.render.i18n.translate``)."""
    template = message.plural if message.plural and message.n != 1 else message.msgid
    return template.format(**{name: _plain_value(value) for name, value in message.params})


def _plain_value(value: object) -> str:
    if isinstance(value, Message):
        return plain(value)
    if isinstance(value, Named):
        return value.name
    if isinstance(value, Duration):
        return plain(duration_message(value.length))
    if isinstance(value, Items):
        return _plain_value(value.separator).join(_plain_value(v) for v in value.values)
    if isinstance(value, Choice):
        quoted = [repr(v) for v in value.values]
        return " or ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
    return str(value)


def duration_message(length: timedelta) -> Message:
    """A length of time in hours and minutes, ``1 h 05 min`` / ``9 h`` / ``50 min``: the
    units are words of the catalog, so that each language writes its own."""
    minutes = int(length.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return msg("{hours} h {minutes} min", hours=hours, minutes=f"{minutes:02d}")
    if hours:
        return msg("{hours} h", hours=hours)
    return msg("{minutes} min", minutes=minutes)


OR = msg(" or ")
"""The separator of alternatives in a list (``'a', 'b' or 'c'``): a message, translated."""


def did_you_mean(value: str, *, sentence: bool = False, bare: bool = False) -> Message:
    """``; did you mean 'x'?`` after a clause, `` Did you mean 'x'?`` as a sentence, or
    ``did you mean 'x'?`` (``bare``) where the message around it says what goes before.
    The proposed value is data: :func:`suggestion_in` finds it again for scripts, wherever
    the message nests it."""
    if sentence:
        return msg(" Did you mean {value}?", value=repr(value))
    if bare:
        return msg("did you mean {value}?", value=repr(value))
    return msg("; did you mean {value}?", value=repr(value))


def did_you_mean_place(value: str, place: object) -> Message:
    """``; did you mean 'BOI' (Boise, United States)?``: a proposed code with what it names."""
    return msg("; did you mean {value} ({place})?", value=repr(value), place=place)


_SUGGESTIONS = (
    "; did you mean {value}?",
    " Did you mean {value}?",
    "did you mean {value}?",
    "; did you mean {value} ({place})?",
)


def suggestion_in(message: Message) -> str | None:
    """The value a "did you mean" anywhere in ``message`` proposes, or ``None``: in the
    message itself, in a message among its parameters, or among the items of a list, at
    any depth (the first, in the order of the parameters)."""
    if message.msgid in _SUGGESTIONS:
        value = dict(message.params)["value"]
        return str(value)[1:-1] if isinstance(value, str) else None
    for _, value in message.params:
        found = _suggestion_in_value(value)
        if found is not None:
            return found
    return None


def _suggestion_in_value(value: object) -> str | None:
    if isinstance(value, Message):
        return suggestion_in(value)
    if isinstance(value, Items):
        for item in value.values:
            found = _suggestion_in_value(item)
            if found is not None:
                return found
    return None
