"""What the exchange costs and who pays: cost lines, daily allowances, totals (pure).

* Each leg, stay, activity and free item with a ``cost`` is one line; its amount is the
  declared amount times its count (travellers, nights, rooms), exact.
* Each day's allowance (:mod:`tripplan.planning.allowances`) is one line of its delegate.
* A line in another currency than the budget's is converted at the plan's declared exchange
  rate (the latest dated on or before the line's first day, else the earliest): the
  converted amount is rounded to the cent, half up, once per line; this is the only rounding.
* A line's converted amount is split among its funders by their shares (percent, or amounts
  in the line's currency); what no share covers is "unfunded". The split is in whole cents
  by the largest-remainder method (each funder first gets its exact part rounded down to the
  cent, the cents left go one each to the largest remainders, ties in the order the funders
  are named), so that the funders' parts of every line, and so the per-funder totals, add up
  to the grand total to the cent.

The days away come from the account of whereabouts, through :func:`journeys`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from tripplan.itinerary import Event, known_id
from tripplan.messages import msg
from tripplan.models import (
    Activity,
    Allowances,
    Cost,
    ExchangeRate,
    Plan,
    Share,
    Stay,
    Trip,
)
from tripplan.planning.allowances import (
    DayAllowance,
    DayFacts,
    Journey,
    Locality,
    ProvidedMeal,
    allowances,
)
from tripplan.planning.whereabouts import PersonDay, Whereabouts, place_of
from tripplan.timeutils import days

CENT = Decimal("0.01")
UNFUNDED = ""
"""The funder key of the part of a cost no funder's share covers."""


# -- who is where: the input of the allowance rules --------------------------------------


def rule_sets(plan: Plan) -> dict[str, Allowances]:
    """Each delegate's allowance rule set: their own, else their first delegation's."""
    found: dict[str, Allowances] = {}
    for delegate in plan.delegates:
        own = delegate.allowances
        if own is None:
            own = next(
                (d.allowances for d in plan.delegations_of(delegate.id) if d.allowances), None
            )
        if own is not None:
            found[delegate.id] = own
    return found


def _place(plan: Plan, endpoint: str) -> Locality:
    community = plan.endpoint_community(endpoint)
    if community is not None:
        found = plan.community(community)
        return Locality(found.name, found.country, found.id)
    return Locality(plan.endpoint_name(endpoint), plan.endpoint_country(endpoint))


def _community_place(plan: Plan, community: str) -> Locality:
    found = plan.community(community)
    return Locality(found.name, found.country, found.id)


def journeys(account: Whereabouts) -> list[Journey]:
    """Each delegate's journeys away from home, day by day, read from the account of
    whereabouts (:mod:`tripplan.planning.whereabouts`): its legs per person, where they are
    and where they sleep each local day, the events of the day. Nothing of who is where is
    worked out again here; this only picks what the allowance rules ask:

    * a journey runs from a leg that leaves home to the leg after which the account has the
      person at home again (or their last leg); a delegate without legs stays at home;
    * the place reached before 24:00 is the last place a leg brought them to by the end of
      the day, not counting a stopover (a place their next leg leaves from, where the account
      has them sleep elsewhere that night);
    * the lodging is the account's night; the place of work, their last in-person event of
      the day; the meals, the events that provide one and the breakfast of the night's stay.
    """
    plan = account.plan
    out: list[Journey] = []
    for delegate in plan.delegates:
        legs = [e for e in account.timeline.legs.get(delegate.id, []) if e.timed]
        current: list[Event] = []
        for leg in legs:
            current.append(leg)
            assert leg.end is not None
            if account.near(account.at(delegate.id, leg.end).place, delegate.home):  # or next door
                out.append(_journey(account, delegate.id, current))
                current = []
        if current:
            out.append(_journey(account, delegate.id, current))
    return out


def _journey(account: Whereabouts, person: str, legs: list[Event]) -> Journey:
    plan = account.plan
    first, last = legs[0], legs[-1]
    assert first.start is not None and last.end is not None
    leaves, back = first.start, last.end
    home_zone = plan.home_zone(person)
    first_day, last_day = leaves.date(), back.astimezone(home_zone).date()
    last_day = max(last_day, first_day)
    known = {d.day: d for d in account.days(person)}

    def local(day: date) -> PersonDay:
        return known.get(day) or account.day(person, day)

    arrivals: list[tuple[datetime, Locality]] = [(leaves, _place(plan, first.origin or ""))]
    for n, leg in enumerate(legs):
        assert leg.end is not None and leg.destination is not None
        following = legs[n + 1] if n + 1 < len(legs) else None
        here = place_of(plan, leg.destination)
        if following is not None and place_of(plan, following.origin or "") == here:
            night = local(leg.end.date()).night
            if night.stay is None or night.place != here:
                continue  # a stopover: not reached
        arrivals.append((leg.end, _place(plan, leg.destination)))
    long_flight_days = {  # the days between a flight's day of departure and of landing
        day
        for leg in legs
        if leg.kind == "flight" and leg.start is not None and leg.end is not None
        for day in days(leg.start.date() + timedelta(days=1), leg.end.date() - timedelta(days=1))
    }
    out: list[DayFacts] = []
    away_days = days(first_day, last_day)
    count = len(away_days)
    for k, day in enumerate(away_days):
        today = local(day)
        reached = arrivals[0][1]
        for moment, place in arrivals:
            if moment.date() <= day:
                reached = place
        work = None
        meals: list[ProvidedMeal] = []
        for seen in today.events:
            event = seen.event
            if event.category != "activity" or seen.remote or event.community is None:
                continue
            if event.kind != "free_time":
                work = _community_place(plan, event.community)
            activity = event.source
            if isinstance(activity, Activity) and activity.provides_meal:
                meals.append(ProvidedMeal(activity.provides_meal, "host", event.uid))
        before = local(day - timedelta(days=1)).night.stay if k > 0 else None
        if before is not None and isinstance(before.source, Stay) and before.source.breakfast:
            meals.insert(0, ProvidedMeal("breakfast", "stay", before.uid))
        night = today.night
        lodging = None
        if night.stay is not None and isinstance(night.place, str):
            lodging = _place(plan, night.place)
        if count == 1:
            away = back - leaves
        elif k == 0:
            away = _midnight_after(leaves) - leaves
        elif k == count - 1:
            away = back - _midnight_before(back.astimezone(home_zone))
        else:
            away = timedelta(hours=24)
        out.append(
            DayFacts(
                day=day,
                reached=reached,
                lodging=lodging,
                work=work,
                departs=k == 0,
                returns=k == count - 1,
                away=away,
                in_long_flight=day in long_flight_days,
                meals=tuple(meals),
            )
        )
    trips = tuple(dict.fromkeys(leg.trip for leg in legs))
    return Journey(person, tuple(out), trips)


def _midnight_after(moment: datetime) -> datetime:
    following = datetime.combine(moment.date() + timedelta(days=1), time(0, 0))
    return following.replace(tzinfo=moment.tzinfo)


def _midnight_before(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), time(0, 0)).replace(tzinfo=moment.tzinfo)


# -- cost lines ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CostLine:
    """One cost: an item's amount, or one day's allowance of one delegate."""

    uid: str
    trip: str | None
    kind: str
    """``leg``, ``stay``, ``activity``, ``item`` or ``allowance``."""
    title: str
    delegate: str | None
    """The delegate the line is for; None: shared by several."""
    count: int
    unit: Decimal
    amount: Decimal
    currency: str
    status: str
    invented: bool
    day: date | None
    converted: Decimal | None = None
    """The amount in the budget's currency, to the cent; None: no exchange rate."""
    rate: ExchangeRate | None = None
    funders: tuple[tuple[str, Decimal], ...] = ()
    """Each funder's part of ``converted`` (``""``: unfunded), adding up to it exactly."""


@dataclass(frozen=True, slots=True)
class CostReport:
    plan: Plan
    """The plan the report is of, its texts in the report's language."""
    currency: str
    lines: tuple[CostLine, ...]
    days: tuple[DayAllowance, ...]
    funder_names: dict[str, str] = field(default_factory=dict)
    missing_rates: tuple[tuple[str, str], ...] = ()
    """Currency pairs (from, to) with no declared exchange rate."""
    filters: dict[str, str | None] = field(default_factory=dict)
    """What the report was narrowed to: ``delegate``, ``funder`` and ``trip`` (or None)."""

    def total(self) -> Decimal:
        return sum((line.converted or Decimal(0) for line in self.lines), Decimal(0))

    def by(self, key: str) -> dict[str, Decimal]:
        """Totals in the budget currency per ``delegate``, ``trip``, ``kind`` or ``funder``."""
        found: dict[str, Decimal] = {}
        for line in self.lines:
            if key == "funder":
                for funder, part in line.funders:
                    found[funder] = found.get(funder, Decimal(0)) + part
                continue
            name = getattr(line, key) or ""
            found[name] = found.get(name, Decimal(0)) + (line.converted or Decimal(0))
        return found

    def by_currency(self) -> dict[str, Decimal]:
        """Totals in each line's own currency (exact, unconverted)."""
        found: dict[str, Decimal] = {}
        for line in self.lines:
            found[line.currency] = found.get(line.currency, Decimal(0)) + line.amount
        return found


def costs_of(
    plan: Plan,
    lang: str,
    delegate: str | None = None,
    funder: str | None = None,
    trip: str | None = None,
) -> CostReport:
    """The cost report of ``plan``, its texts in ``lang``: from its events and their account
    of whereabouts, without the checks (a report of costs needs no findings; ``check`` gives
    them, the cost checks among them)."""
    from tripplan.planning.build import build_events  # build imports the checks, they this

    account = Whereabouts.of(plan, build_events(plan)).in_language(lang)
    return cost_report(account, delegate=delegate, funder=funder, trip=trip)


def cost_report(
    account: Whereabouts,
    delegate: str | None = None,
    funder: str | None = None,
    trip: str | None = None,
) -> CostReport:
    """Every cost line and allowance day of the plan (optionally of one delegate, funder or
    trip), converted and split among the funders."""
    plan = account.plan
    budget = plan.budget
    known_id(delegate, (d.id for d in plan.delegates), msg("delegate"))
    known_id(trip, (t.id for t in plan.trips), msg("trip"))
    known_id(funder, (f.id for f in budget.funders) if budget else (), msg("funder"))
    currency = budget.currency if budget else "EUR"
    rates = budget.exchange_rates if budget else ()
    table = budget.allowance_rates if budget else ()
    raw: list[tuple[CostLine, Cost | Allowances | None]] = []
    for t in plan.trips:
        raw.extend(_trip_lines(plan, t))
    if budget is not None:
        for item in budget.items:
            people = plan.expand(item.travellers)
            first = plan.trip(item.trip).first_day if item.trip else None
            raw.extend(
                (line, item.cost)
                for line in _lines(
                    item.cost, f"budget/{item.id}", item.trip, "item", item.title, people, 1, first
                )
            )
    rules = rule_sets(plan)
    days_paid = allowances(journeys(account), rules, table)
    for paid in days_paid:
        if paid.missing is not None or paid.result == 0:
            continue
        allowance = CostLine(
            uid=f"allowance/{paid.delegate}/{paid.day.isoformat()}",
            trip=_trip_of(plan, paid),
            kind="allowance",
            title=paid.place.name,
            delegate=paid.delegate,
            count=1,
            unit=paid.result,
            amount=paid.result,
            currency=paid.currency,
            status="planned",
            invented=False,
            day=paid.day,
        )
        raw.append((allowance, rules[paid.delegate]))
    missing: set[tuple[str, str]] = set()
    lines: list[CostLine] = []
    for line, who in raw:
        if delegate is not None and line.delegate != delegate:
            continue
        if trip is not None and line.trip != trip:
            continue
        rate, factor = _rate(rates, line.currency, currency, line.day)
        converted = None
        if factor is not None:
            converted = (line.amount * factor).quantize(CENT, rounding=ROUND_HALF_UP)
        else:
            missing.add((line.currency, currency))
        parts: tuple[tuple[str, Decimal], ...] = ()
        if converted is not None:
            parts = split(converted, _weights(who, line.amount))
        done = replace(line, converted=converted, rate=rate, funders=parts)
        if funder is not None and not any(f == funder and p for f, p in parts):
            continue
        lines.append(done)
    shown_days = tuple(
        d
        for d in days_paid
        if (delegate is None or d.delegate == delegate)
        and (trip is None or _trip_of(plan, d) == trip)
    )
    names = {f.id: f.name for f in budget.funders} if budget else {}
    return CostReport(
        plan,
        currency,
        tuple(lines),
        shown_days,
        names,
        tuple(sorted(missing)),
        {"delegate": delegate, "funder": funder, "trip": trip},
    )


def _trip_of(plan: Plan, day: DayAllowance) -> str | None:
    """The trip a day's allowance belongs to: of the journey's trips, the one whose dates
    hold the day (a journey from one trip into the next: each day to its own), else the
    first."""
    for ident in day.trips:
        found = plan.trip(ident)
        if found.first_day <= day.day <= found.last_day:
            return ident
    return day.trips[0] if day.trips else None


def _trip_lines(plan: Plan, trip: Trip) -> Iterable[tuple[CostLine, Cost | None]]:
    for leg in trip.legs:
        if leg.cost is not None:
            people = plan.travellers(trip, leg.travellers)
            title = f"{plan.endpoint_name(leg.origin)} → {plan.endpoint_name(leg.destination)}"
            for line in _lines(
                leg.cost, f"{trip.id}/{leg.id}", trip.id, "leg", title, people, 1,
                leg.departs.date(),
            ):  # fmt: skip
                yield line, leg.cost
    for stay in trip.stays:
        if stay.cost is not None:
            people = plan.travellers(trip, stay.travellers)
            nights = (stay.check_out - stay.check_in).days
            title = stay.name or plan.community(stay.community).name
            for line in _lines(
                stay.cost, f"{trip.id}/{stay.key}", trip.id, "stay", title, people, nights,
                stay.check_in,
            ):  # fmt: skip
                yield line, stay.cost
    for activity in trip.activities:
        if activity.cost is not None:
            people = plan.travellers(trip, activity.participants)
            day = activity.start.date() if activity.start else activity.day or trip.first_day
            for line in _lines(
                activity.cost, f"{trip.id}/{activity.id}", trip.id, "activity", activity.title,
                people, 1, day,
            ):  # fmt: skip
                yield line, activity.cost


def _lines(
    cost: Cost,
    uid: str,
    trip: str | None,
    kind: str,
    title: str,
    people: Sequence[str],
    nights: int,
    day: date | None,
) -> list[CostLine]:
    """A cost as lines: one per traveller when counted per person, else one shared line."""

    def line(delegate: str | None, count: int) -> CostLine:
        return CostLine(
            uid=uid,
            trip=trip,
            kind=kind,
            title=title,
            delegate=delegate,
            count=count,
            unit=cost.amount,
            amount=cost.amount * count,
            currency=cost.currency,
            status=cost.status,
            invented=cost.invented,
            day=day,
        )

    if cost.per == "person":
        return [line(person, 1) for person in people]
    if cost.per == "person_night":
        return [line(person, nights) for person in people]
    if cost.per == "night":
        return [line(None, nights)]
    if cost.per == "room_night":
        return [line(None, nights * (cost.rooms or 1))]
    return [line(people[0] if len(people) == 1 else None, 1)]


def _rate(
    rates: Sequence[ExchangeRate], source: str, target: str, day: date | None
) -> tuple[ExchangeRate | None, Decimal | None]:
    """The declared rate from ``source`` to ``target`` (or its inverse): the latest dated
    on or before ``day``, else the earliest; with the factor to multiply by."""
    if source == target:
        return None, Decimal(1)
    usable = sorted(
        (r for r in rates if {r.base, r.quote} == {source, target}), key=lambda r: r.date
    )
    if not usable:
        return None, None
    chosen = usable[0]
    for candidate in usable:
        if day is None or candidate.date <= day:
            chosen = candidate
    if chosen.base == source:
        return chosen, chosen.rate
    return chosen, Decimal(1) / chosen.rate


def _weights(who: Cost | Allowances | None, amount: Decimal) -> list[tuple[str, Decimal]]:
    """Each funder's exact fraction of a line; what the shares leave is unfunded."""
    if who is None:
        return [(UNFUNDED, Decimal(1))]
    if who.funder is not None:
        return [(who.funder, Decimal(1))]
    if not who.shares:
        return [(UNFUNDED, Decimal(1))]
    out: list[tuple[str, Decimal]] = []
    for share in who.shares:
        out.append((share.funder, _fraction(share, who, amount)))
    covered = sum((w for _, w in out), Decimal(0))
    if covered < 1:
        out.append((UNFUNDED, Decimal(1) - covered))
    return out


def _fraction(share: Share, who: Cost | Allowances, amount: Decimal) -> Decimal:
    """A share's fraction: its percent, or its amount of the declared amount (a cost's
    amount per unit; an allowance's amount of the day)."""
    if share.percent is not None:
        return share.percent / 100
    assert share.amount is not None
    whole = who.amount if isinstance(who, Cost) else amount
    return share.amount / whole if whole else Decimal(0)


def split(
    total: Decimal, weights: Sequence[tuple[str, Decimal]]
) -> tuple[tuple[str, Decimal], ...]:
    """``total`` (whole cents) split by ``weights`` into whole cents that add up to it exactly:
    each part is its exact share rounded down to the cent, and the cents left over go one
    each to the largest remainders (ties: the order of ``weights``). Weights that add up to
    more than 1 are scaled down to add up to 1."""
    cents = int((total / CENT).to_integral_value())
    weight_sum = sum((w for _, w in weights), Decimal(0))
    if not weights or weight_sum <= 0:
        return ((UNFUNDED, total),)
    exact = [Decimal(cents) * w / weight_sum for _, w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_DOWN)) for e in exact]
    left = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    merged: dict[str, int] = {}
    for (name, _), part in zip(weights, floors, strict=True):
        merged[name] = merged.get(name, 0) + part
    return tuple((name, Decimal(part) * CENT) for name, part in merged.items())
