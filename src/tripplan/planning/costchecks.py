"""Checks of a plan's costs (issue 25): what ``check`` says about the budget.

* a trip whose travelling delegates have no allowance rule set;
* a place with no rate in the plan's table (which rate, for which days);
* shares of a cost that do not add up to 100 % (or to its amount);
* a rate of the table whose year is no trip's year;
* a currency with no declared exchange rate to the budget's currency.

They run only for plans that keep costs (a ``[budget]`` or any rule set of allowances), so
that plans without costs pay nothing for them. Costs are internal: every finding is for the
coordinators only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from tripplan.itinerary import Finding
from tripplan.messages import People, msg, nmsg
from tripplan.models import Allowances, Cost, Loc, Plan
from tripplan.planning.allowances import HUNDRED, Missing, allowances
from tripplan.planning.costs import journeys, rule_sets
from tripplan.planning.whereabouts import Whereabouts


def cost_findings(account: Whereabouts) -> Iterator[Finding]:
    """The findings about costs, from the account of whereabouts (see the module)."""
    plan = account.plan
    rules = rule_sets(plan)
    if plan.budget is None and not rules:
        return
    budget = plan.budget
    table = budget.allowance_rates if budget else ()
    away = journeys(account)
    for trip in plan.trips:
        people = sorted(
            {j.delegate for j in away if trip.id in j.trips and j.delegate not in rules}
        )
        if people:
            yield Finding(
                "allowance-rule-set-missing",
                "warning",
                msg(
                    "trip {trip}: {people} travel without a rule set for daily allowances; set "
                    "'allowances' on their delegation (de-estg, us-federal or flat)",
                    trip=trip.id,
                    people=People(tuple(people)),
                ),
                trip=trip.id,
                people=tuple(people),
                visibility="coordinators",
            )
    missing: dict[Missing, list[date]] = {}
    for day in allowances(away, rules, table):
        if day.missing is not None:
            missing.setdefault(day.missing, []).append(day.day)
    for gap, days in sorted(missing.items(), key=lambda item: _order(item[0])):
        rule_set, country, year = gap.rules, gap.country, gap.year
        # a community's name as a message gives it (a placeholder's in the reader's language)
        place = plan.community(gap.community).called if gap.community else gap.place
        yield Finding(
            "allowance-rate-missing",
            "warning",
            nmsg(
                "no {rules} rate for {place} ({country}) in {year}: {n} allowance day "
                "cannot be computed; add it to [[budget.allowance_rates]] with its published "
                "source",
                "no {rules} rate for {place} ({country}) in {year}: {n} allowance days "
                "cannot be computed; add it to [[budget.allowance_rates]] with its published "
                "source",
                len(set(days)),
                rules=rule_set,
                place=place or country,
                country=country,
                year=str(year),
            ),
            parts=(("budget", "allowance_rates"),),  # where the rate is to be added
            visibility="coordinators",
        )
    for uid, cost, where in _costs(plan):
        yield from _shares(uid, cost, where)
    years = {
        trip.first_day.year + n
        for trip in plan.trips
        for n in range(trip.last_day.year - trip.first_day.year + 1)
    }
    for index, rate in enumerate(table):
        if rate.year not in years:
            yield Finding(
                "allowance-rate-year",
                "warning",
                msg(
                    "the {rules} rate for {place} ({country}) is for {year}, but no trip is in "
                    "{year}; use the table of the trips' year",
                    rules=rate.rules,
                    place=rate.place or rate.country,
                    country=rate.country,
                    year=str(rate.year),
                ),
                parts=(("budget", "allowance_rates", index),),
                visibility="coordinators",
            )
    if budget is not None:
        declared = {(r.base, r.quote) for r in budget.exchange_rates}
        declared |= {(b, a) for a, b in declared}
        used = {cost.currency for _, cost, _ in _costs(plan)} | {r.currency for r in table}
        for currency in sorted(used - {budget.currency}):
            if (currency, budget.currency) not in declared:
                yield Finding(
                    "exchange-rate-missing",
                    "warning",
                    msg(
                        "costs in {currency} but no exchange rate to {target}; add it to "
                        "[[budget.exchange_rates]] with its date and source",
                        currency=currency,
                        target=budget.currency,
                    ),
                    parts=(("budget", "exchange_rates"),),  # where the rate is to be added
                    visibility="coordinators",
                )


def _costs(plan: Plan) -> Iterator[tuple[str, Cost, Loc]]:
    """Every cost of the plan: its item's id, the cost, and where in the plan it is."""
    for t, trip in enumerate(plan.trips):
        for n, leg in enumerate(trip.legs):
            if leg.cost is not None:
                yield f"{trip.id}/{leg.id}", leg.cost, ("trips", t, "legs", n, "cost")
        for n, activity in enumerate(trip.activities):
            if activity.cost is not None:
                where: Loc = ("trips", t, "activities", n, "cost")
                yield f"{trip.id}/{activity.id}", activity.cost, where
        for n, stay in enumerate(trip.stays):
            if stay.cost is not None:
                yield f"{trip.id}/{stay.key}", stay.cost, ("trips", t, "stays", n, "cost")
    if plan.budget is not None:
        for n, item in enumerate(plan.budget.items):
            yield f"budget/{item.id}", item.cost, ("budget", "items", n)


def _shares(uid: str, who: Cost | Allowances, where: Loc) -> Iterator[Finding]:
    if not who.shares:
        return
    percent = sum((s.percent for s in who.shares if s.percent is not None), Decimal(0))
    amounts = sum((s.amount for s in who.shares if s.amount is not None), Decimal(0))
    whole = who.amount if isinstance(who, Cost) else None
    covered = percent + (amounts / whole * HUNDRED if whole else Decimal(0))
    if covered != HUNDRED:
        yield Finding(
            "shares-not-100",
            "warning",
            msg(
                "the funders' shares of {uid} add up to {percent} %, not 100 %; the rest is "
                "shown as unfunded",
                uid=uid,
                percent=f"{covered.normalize():f}",
            ),
            events=(uid,) if where[0] == "trips" else (),  # a leg, activity or stay
            parts=(where,),
            visibility="coordinators",
        )


def _order(gap: Missing) -> tuple[str, str, str, int]:
    return (gap.rules, gap.country, gap.place, gap.year)
