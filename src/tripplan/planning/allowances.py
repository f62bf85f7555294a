"""Daily allowances (Tagegeld / per diem) per delegate and calendar day: three rule sets.

Pure and deterministic: the input is, per delegate, the calendar days of each journey away
from home (:class:`DayFacts`: where the person is, where they lodge, where they last worked,
whether they leave or come home that day, the meals provided), as the account of whereabouts
gives them; the output is, per day, the amount with the rule, the place and the rate it came
from and each deduction (:class:`DayAllowance`), so that a finance office can audit it.

Every rule is stated once, in the function that applies it, with its published source.
Amounts are exact decimals; nothing is rounded here (the published amounts are whole euros or
dollars, and the shares and deductions of them are exact cents).

A rate the plan's table does not have is never guessed: the day is returned with
``missing`` set, and ``check`` names the rate.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

from tripplan.messages import Message, msg
from tripplan.models import AllowanceRate, Allowances, Meal

HUNDRED = Decimal(100)
EIGHT_HOURS = timedelta(hours=8)
TWELVE_HOURS = timedelta(hours=12)
TWENTY_FOUR_HOURS = timedelta(hours=24)
HOME_COUNTRY_DE = "DE"
FLIGHT_BETWEEN_COUNTRY = "AT"
"""BMF: the days between the take-off and landing days of a flight over more than two
calendar days take Austria's amount."""

DayShare = Literal["full", "partial", "75%", "none"]

# The paragraphs the rules cite, written as published: a parameter of each rule's text, so
# that every language's text cites them alike.
ESTG_NR_1 = "EStG § 9 Abs. 4a Satz 3 Nr. 1"
ESTG_NR_2 = "EStG § 9 Abs. 4a Satz 3 Nr. 2"
ESTG_NR_3 = "EStG § 9 Abs. 4a Satz 3 Nr. 3"
ESTG_MEALS = "EStG § 9 Abs. 4a Satz 8"
FTR_SHARE = "41 CFR 301-11.101"
FTR_NONE = "41 CFR 301-11.1"
FTR_PLACE = "41 CFR 301-11.7"
FTR_MEALS = "41 CFR 301-11.18"


@dataclass(frozen=True, slots=True)
class Locality:
    """A place as the rules see it: a community (its id) or an airport's city, its country."""

    name: str
    country: str
    community: str | None = None


@dataclass(frozen=True, slots=True)
class ProvidedMeal:
    meal: Meal
    source: Literal["host", "stay"]
    """``host``: a meal event the delegate attends; ``stay``: included in the lodging."""
    what: str = ""
    """The event or stay that provides it (its uid)."""


@dataclass(frozen=True, slots=True)
class DayFacts:
    """One calendar day of one journey away from home, as the rules need it."""

    day: date
    reached: Locality
    """Where the person is at 24:00 local time: the place reached last before midnight (a
    stopover without a night does not count)."""
    lodging: Locality | None
    """Where they lodge the night after this day; None: travelling through the night, or home."""
    work: Locality | None
    """The last place of work that day (where their last programme event was), if any."""
    departs: bool
    """The journey begins this day (they leave home)."""
    returns: bool
    """The journey ends this day (they are home again)."""
    away: timedelta
    """Time away from home this calendar day."""
    in_long_flight: bool = False
    """The whole day lies between the take-off day and the landing day of one flight."""
    meals: tuple[ProvidedMeal, ...] = ()


@dataclass(frozen=True, slots=True)
class Journey:
    """From leaving home to coming home: its days in order."""

    delegate: str
    days: tuple[DayFacts, ...]
    trips: tuple[str, ...] = ()

    @property
    def overnight(self) -> bool:
        return len(self.days) > 1


@dataclass(frozen=True, slots=True)
class Deduction:
    meal: Meal
    amount: Decimal
    rule: Message
    """The rule of the deduction, in words, with its source (translated when shown)."""


@dataclass(frozen=True, slots=True)
class Missing:
    """A rate the table does not have."""

    rules: str
    country: str
    place: str
    year: int
    community: str | None = None  # the place's community (its id), if it is one


@dataclass(frozen=True, slots=True)
class DayAllowance:
    delegate: str
    day: date
    rules: str
    place: Locality
    share: DayShare
    currency: str
    rule: Message
    """Why this share and this place (the rule, in words, with its source; translated when
    shown)."""
    base: Decimal = Decimal(0)
    """The full amount of the place (what the share and the deductions are taken of)."""
    start: Decimal = Decimal(0)
    """The amount after the share, before deductions."""
    deductions: tuple[Deduction, ...] = ()
    result: Decimal = Decimal(0)
    source: str | Message = ""
    """Where the rate comes from: the published source the table cites (as it is), or, for
    a programme's own allowance, a message."""
    missing: Missing | None = None
    trips: tuple[str, ...] = field(default=())


# -- rate tables -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DomesticRate:
    from_year: int
    to_year: int | None
    full: Decimal
    partial: Decimal
    currency: str
    source: str


@cache
def domestic_rates() -> tuple[DomesticRate, ...]:
    """The German domestic amounts by year, from the data file shipped with tripplan
    (``data/allowances/de-estg.toml``; EStG § 9 Abs. 4a Satz 3)."""
    text = (
        resources.files("tripplan")
        .joinpath("data/allowances/de-estg.toml")
        .read_text(encoding="utf-8")
    )
    rows = tomllib.loads(text)["domestic"]
    return tuple(
        DomesticRate(
            int(row["from_year"]),
            int(row["to_year"]) if "to_year" in row else None,
            Decimal(row["full"]),
            Decimal(row["partial"]),
            str(row["currency"]),
            str(row["source"]),
        )
        for row in rows
    )


def domestic_rate(year: int) -> DomesticRate | None:
    for rate in domestic_rates():
        if rate.from_year <= year and (rate.to_year is None or year <= rate.to_year):
            return rate
    return None


def find_rate(
    table: Sequence[AllowanceRate], rules: str, place: Locality, year: int
) -> AllowanceRate | None:
    """The line of the table for ``place``: its own (by community id or name), else the
    country's line without a place (the table's "im Übrigen" / "Other")."""
    country_wide = None
    for rate in table:
        if rate.rules != rules or rate.country != place.country or rate.year != year:
            continue
        if rate.place and rate.place in (place.community, place.name):
            return rate
        if not rate.place:
            country_wide = rate
    return country_wide


# -- the rule sets ---------------------------------------------------------------------


def allowances(
    journeys: Iterable[Journey],
    rule_of: dict[str, Allowances],
    table: Sequence[AllowanceRate],
) -> list[DayAllowance]:
    """Every delegate's allowance for every day away, by the rule set ``rule_of`` names for
    them (delegates without one get none). A calendar day belongs to one journey only; when
    a journey ends and another begins on the same day, it is paid once (the higher amount)."""
    found: dict[tuple[str, date], DayAllowance] = {}
    for journey in journeys:
        rules = rule_of.get(journey.delegate)
        if rules is None:
            continue
        for day in _apply(journey, rules, table):
            key = (day.delegate, day.day)
            other = found.get(key)
            if other is None or _higher(day, other):
                found[key] = day
    return sorted(found.values(), key=lambda d: (d.delegate, d.day))


def _higher(new: DayAllowance, old: DayAllowance) -> bool:
    if old.missing is not None:
        return new.missing is None
    return new.missing is None and new.result > old.result


def _apply(
    journey: Journey, rules: Allowances, table: Sequence[AllowanceRate]
) -> list[DayAllowance]:
    if rules.rules == "de-estg":
        return de_estg(journey, table)
    if rules.rules == "us-federal":
        return us_federal(journey, table)
    return flat(journey, rules)


def de_estg(journey: Journey, table: Sequence[AllowanceRate]) -> list[DayAllowance]:
    """German daily allowances, EStG § 9 Abs. 4a Sätze 2–8 and the BMF letters on travel
    costs abroad (BMF 08.11.2017, IV C 5 - S 2353/08/10006 :008, BStBl 2017 I S. 1457):

    * a calendar day of 24 hours away: the full amount (Satz 3 Nr. 1);
    * the day of departure and the day of return of a journey with a night away: the partial
      amount, whatever the hours (Satz 3 Nr. 2);
    * a single day away more than 8 hours (not 8 hours exactly): the partial amount (Nr. 3);
      away over midnight without a night's lodging, less than 24 hours in all: the hours
      count together, and the partial amount goes to the day with most of them (Nr. 3);
    * abroad, the amount of the place reached last before 24:00 local time; on the day of
      return from abroad and on a single day abroad, the amount of the last place of work
      abroad (BMF letter, introduction); stopovers without a night are not reached;
    * a flight over more than two calendar days: the days between take Austria's amount
      (BMF letter, introduction);
    * meals provided reduce the day's amount by 20 % (breakfast) and 40 % (lunch, dinner) of
      the full amount of that day's place for a full calendar day, also on a partial day,
      never below zero (Satz 8).
    """
    out: list[DayAllowance] = []
    days = journey.days
    total = sum((d.away for d in days), timedelta(0))
    no_night = len(days) == 2 and days[0].lodging is None and total < TWENTY_FOUR_HOURS
    for index, facts in enumerate(days):
        year = facts.day.year
        share: DayShare
        if no_night:
            longer = 0 if days[0].away >= days[1].away else 1
            if index == longer and total > EIGHT_HOURS:
                share = "partial"
                why = msg(
                    "{law}: over midnight without a night's lodging, more than 8 hours in all; "
                    "the day with most of them",
                    law=ESTG_NR_3,
                )
            else:
                share = "none"
                why = (
                    msg(
                        "{law}: over midnight without a night's lodging; the hours count on "
                        "the other day",
                        law=ESTG_NR_3,
                    )
                    if total > EIGHT_HOURS
                    else msg("{law}: 8 hours or less away in all", law=ESTG_NR_3)
                )
        elif journey.overnight:
            share = "full" if 0 < index < len(days) - 1 else "partial"
            why = (
                msg("{law}: a day of 24 hours away", law=ESTG_NR_1)
                if share == "full"
                else msg(
                    "{law}: day of departure or return of a journey with a night away",
                    law=ESTG_NR_2,
                )
            )
        elif facts.away > EIGHT_HOURS:
            share, why = "partial", msg("{law}: one day, more than 8 hours away", law=ESTG_NR_3)
        else:
            share, why = "none", msg("{law}: one day, 8 hours or less away", law=ESTG_NR_3)
        place, where = _de_place(journey, index)
        out.append(_de_day(journey, facts, share, _with_place(why, where), place, year, table))
    return out


def _with_place(why: Message, where: Message | None) -> Message:
    """The rule of the share and, after it, the rule of the place, when one applies."""
    return why if where is None else msg("{rule}; {place}", rule=why, place=where)


def _de_place(journey: Journey, index: int) -> tuple[Locality, Message | None]:
    """The place whose amount applies on day ``index`` (rules in :func:`de_estg`)."""
    facts = journey.days[index]
    if facts.in_long_flight:
        return (
            Locality("Österreich", FLIGHT_BETWEEN_COUNTRY),
            msg(
                "a day between take-off and landing of a flight over more than two calendar "
                "days: Austria's amount (BMF letter)"
            ),
        )
    last = index == len(journey.days) - 1
    if last or not journey.overnight:
        work = _last_work_abroad(journey.days[: index + 1])
        if work is not None:
            return work, msg("return day or single day: the last place of work abroad (BMF)")
    if facts.reached.country != HOME_COUNTRY_DE:
        return (
            facts.reached,
            msg("abroad: the place reached last before 24:00 local time (BMF letter)"),
        )
    return facts.reached, None


def _last_work_abroad(days: Sequence[DayFacts]) -> Locality | None:
    """The last place of work abroad; a journey without any work: the last place abroad it
    reached (None when the last work, or the whole journey, was in Germany)."""
    for facts in reversed(days):
        if facts.work is not None and facts.work.country != HOME_COUNTRY_DE:
            return facts.work
        if facts.work is not None:
            return None  # the last place of work was at home in Germany
    for facts in reversed(days[:-1]):
        if facts.reached.country != HOME_COUNTRY_DE:
            return facts.reached
    return None


def _de_day(
    journey: Journey,
    facts: DayFacts,
    share: DayShare,
    why: Message,
    place: Locality,
    year: int,
    table: Sequence[AllowanceRate],
) -> DayAllowance:
    common = _template(journey, facts, "de-estg", place, share, why)
    full: Decimal | None
    partial: Decimal | None
    if place.country == HOME_COUNTRY_DE:
        domestic = domestic_rate(year)
        if domestic is None:
            return replace(
                common, currency="EUR", missing=Missing("de-estg", place.country, "", year)
            )
        full, partial, currency, source = (
            domestic.full,
            domestic.partial,
            domestic.currency,
            domestic.source,
        )
    else:
        rate = find_rate(table, "de-estg", place, year)
        needs_partial = share == "partial"
        if rate is None or (needs_partial and rate.partial is None):
            return replace(
                common,
                currency=rate.currency if rate else "EUR",
                missing=Missing("de-estg", place.country, place.name, year, place.community),
            )
        full, partial, currency, source = rate.full, rate.partial, rate.currency, rate.source
    if share == "none":
        return replace(common, currency=currency, base=full, source=source)
    start = full if share == "full" else partial
    assert start is not None
    deductions = tuple(
        Deduction(
            meal.meal,
            full * (Decimal(20) if meal.meal == "breakfast" else Decimal(40)) / HUNDRED,
            msg("{law}: 20 % of the full amount of the place", law=ESTG_MEALS)
            if meal.meal == "breakfast"
            else msg("{law}: 40 % of the full amount of the place", law=ESTG_MEALS),
        )
        for meal in _once_each(facts.meals)
    )
    result = max(Decimal(0), start - sum((d.amount for d in deductions), Decimal(0)))
    return replace(
        common,
        currency=currency,
        base=full,
        start=start,
        deductions=deductions,
        result=result,
        source=source,
    )


def _template(
    journey: Journey, facts: DayFacts, rules: str, place: Locality, share: DayShare, why: Message
) -> DayAllowance:
    return DayAllowance(
        delegate=journey.delegate,
        day=facts.day,
        rules=rules,
        place=place,
        share=share,
        currency="",
        rule=why,
        trips=journey.trips,
    )


def _once_each(meals: Iterable[ProvidedMeal], skip_stay: bool = False) -> list[ProvidedMeal]:
    """One deduction per meal of the day: breakfast at the hotel and a breakfast event are
    one breakfast."""
    seen: dict[Meal, ProvidedMeal] = {}
    for meal in meals:
        if skip_stay and meal.source == "stay":
            continue
        seen.setdefault(meal.meal, meal)
    return [seen[m] for m in ("breakfast", "lunch", "dinner") if m in seen]


def us_federal(journey: Journey, table: Sequence[AllowanceRate]) -> list[DayAllowance]:
    """M&IE under the Federal Travel Regulation (41 CFR chapter 301):

    * the rate is that of the place where the traveller lodges that night; a night spent
      travelling: the next place of duty; the last day: the place of the day before
      (41 CFR 301-11.7);
    * 75 % on the day of departure and on the last day of travel; 100 % on full days; a
      journey of more than 12 and less than 24 hours: 75 % for each calendar day; 12 hours or
      less: nothing (41 CFR 301-11.101, 301-11.1);
    * a meal provided is deducted by its amount in the rate's breakdown (FTR Appendix B),
      also on a 75 % day, never leaving less than the incidentals amount (41 CFR 301-11.18);
      a hotel's complimentary breakfast deducts nothing (41 CFR 301-11.17).
    """
    out: list[DayAllowance] = []
    days = journey.days
    total = sum((d.away for d in days), timedelta(0))
    for index, facts in enumerate(days):
        if total >= TWENTY_FOUR_HOURS:
            share: DayShare = "75%" if index in (0, len(days) - 1) else "full"
            why = (
                msg("{law}: first or last day of travel, 75 %", law=FTR_SHARE)
                if share == "75%"
                else msg("{law}: full day of travel, 100 %", law=FTR_SHARE)
            )
        elif total > TWELVE_HOURS:
            share = "75%"
            why = msg("{law}: travel of more than 12 and less than 24 hours", law=FTR_SHARE)
        else:
            share, why = "none", msg("{law}: travel of 12 hours or less, no M&IE", law=FTR_NONE)
        place, where = _us_place(days, index)
        out.append(_us_day(journey, facts, share, _with_place(why, where), place, table))
    return out


def _us_place(days: Sequence[DayFacts], index: int) -> tuple[Locality, Message | None]:
    facts = days[index]
    if index == len(days) - 1 and index > 0:
        before = days[index - 1]
        return (
            before.lodging or before.reached,
            msg("last day: the rate of the place of the day before ({law})", law=FTR_PLACE),
        )
    if facts.lodging is not None:
        return facts.lodging, msg("the rate of the place of lodging ({law})", law=FTR_PLACE)
    for later in days[index + 1 :]:
        if later.lodging is not None or later.work is not None:
            duty = later.lodging or later.work
            assert duty is not None
            return duty, msg("a night travelling: the next place of duty ({law})", law=FTR_PLACE)
    return facts.work or facts.reached, None


def _us_day(
    journey: Journey,
    facts: DayFacts,
    share: DayShare,
    why: Message,
    place: Locality,
    table: Sequence[AllowanceRate],
) -> DayAllowance:
    year = facts.day.year
    common = _template(journey, facts, "us-federal", place, share, why)
    rate = find_rate(table, "us-federal", place, year)
    if rate is None:
        return replace(
            common,
            currency="USD",
            missing=Missing("us-federal", place.country, place.name, year, place.community),
        )
    if share == "none":
        return replace(common, currency=rate.currency, base=rate.full, source=rate.source)
    start = rate.full if share == "full" else rate.full * Decimal(75) / HUNDRED
    breakdown = {"breakfast": rate.breakfast, "lunch": rate.lunch, "dinner": rate.dinner}
    deductions = tuple(
        Deduction(
            meal.meal,
            breakdown[meal.meal] or Decimal(0),
            msg("{law}: the meal's amount in the breakdown", law=FTR_MEALS),
        )
        for meal in _once_each(facts.meals, skip_stay=True)
    )
    floor = rate.incidentals or Decimal(0)
    deducted = start - sum((d.amount for d in deductions), Decimal(0))
    result = max(deducted, min(floor, start)) if deductions else start
    return replace(
        common,
        currency=rate.currency,
        base=rate.full,
        start=start,
        deductions=deductions,
        result=result,
        source=rate.source,
    )


OWN_ALLOWANCE = msg("the programme's own allowance")
"""The source of a flat allowance: the programme's own terms, not a published table."""


def flat(journey: Journey, rules: Allowances) -> list[DayAllowance]:
    """A programme's own allowance: ``amount`` for each day away; on the day of departure and
    of return of a journey with a night away, and on a single day of more than 8 hours,
    ``partial`` when the programme gives one (else ``amount``). The days counted are those of
    the German rules (:func:`de_estg`), as the programme's own terms rarely say more."""
    assert rules.amount is not None and rules.currency is not None
    out: list[DayAllowance] = []
    days = journey.days
    for index, facts in enumerate(days):
        if journey.overnight:
            partial_day = index in (0, len(days) - 1)
        elif facts.away > EIGHT_HOURS:
            partial_day = True
        else:
            out.append(
                DayAllowance(
                    delegate=journey.delegate,
                    day=facts.day,
                    rules="flat",
                    place=facts.reached,
                    share="none",
                    currency=rules.currency,
                    rule=msg("flat: one day, 8 hours or less away"),
                    base=rules.amount,
                    source=OWN_ALLOWANCE,
                    trips=journey.trips,
                )
            )
            continue
        share: DayShare = "partial" if partial_day and rules.partial is not None else "full"
        start = rules.partial if share == "partial" and rules.partial is not None else rules.amount
        out.append(
            DayAllowance(
                delegate=journey.delegate,
                day=facts.day,
                rules="flat",
                place=facts.reached,
                share=share,
                currency=rules.currency,
                rule=msg("flat: the programme's partial-day amount")
                if share == "partial"
                else msg("flat: the programme's amount per day"),
                base=rules.amount,
                start=start,
                result=start,
                source=OWN_ALLOWANCE,
                trips=journey.trips,
            )
        )
    return out
