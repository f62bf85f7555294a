"""How events move in absolute time between two versions of a plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta

from tripplan.itinerary import Itinerary
from tripplan.messages import Duration, Message, msg


@dataclass(frozen=True)
class Move:
    uid: str
    start: timedelta  # how far the start moved (later is positive)
    end: timedelta

    def describe(self) -> Message:
        """``+2 h`` when the whole event moved; else which end moved (``ends +2 h``)."""
        if self.start == self.end:
            return _signed(self.start)
        if not self.start:
            return msg("ends {shift}", shift=_signed(self.end))
        if not self.end:
            return msg("starts {shift}", shift=_signed(self.start))
        return msg("starts {start}, ends {end}", start=_signed(self.start), end=_signed(self.end))


def _signed(delta: timedelta) -> Message:
    if delta < timedelta(0):
        return msg("-{length}", length=Duration(-delta))
    return msg("+{length}", length=Duration(delta))


def moves(before: Itinerary, after: Itinerary) -> list[Move]:
    """Timed events present in both itineraries whose start or end moved, in ``after``'s order."""
    old = {e.uid: e for e in before.events if e.start is not None and e.end is not None}
    found = []
    for event in after.events:
        previous = old.get(event.uid)
        if previous is None or event.start is None or event.end is None:
            continue
        assert previous.start is not None and previous.end is not None
        start = event.start.astimezone(UTC) - previous.start.astimezone(UTC)
        end = event.end.astimezone(UTC) - previous.end.astimezone(UTC)
        if start or end:
            found.append(Move(event.uid, start, end))
    return found
