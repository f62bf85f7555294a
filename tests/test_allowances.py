"""Daily allowances by the rules' own cases, each to the cent with the rule it follows.

Rates used here are published figures only:

* German domestic amounts: EStG § 9 Abs. 4a Satz 3 (2014–2019: 24 € / 12 €; from 2020:
  28 € / 14 €), shipped in data/allowances/de-estg.toml.
* Foreign amounts 2019 from the BMF letter of 28.11.2018 (IV C 5 - S 2353/08/10006 :009,
  BStBl 2018 I S. 1354): Belgium 42/28, France (Paris) 58/39, France (im Übrigen) 44/29,
  Austria 40/27; Austria 2018 full amount 36 (the 2019 letter: "bisher 36").
* US M&IE breakdowns as GSA publishes them (gsa.gov/mie, CONUS tiers): $68 = 16 + 19 + 28 + 5
  and $74 = 18 + 20 + 31 + 5; used as table lines of a fictitious place ("Tier 68") so that
  no real city is given a rate it did not have.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tripplan.messages import Message, plain
from tripplan.models import AllowanceRate, Allowances
from tripplan.planning.allowances import (
    DayFacts,
    Journey,
    Locality,
    ProvidedMeal,
    allowances,
    de_estg,
    domestic_rate,
    flat,
    us_federal,
)

D = Decimal
H = timedelta(hours=1)
BAUTZEN = Locality("Bautzen", "DE", "bautzen")
BERLIN = Locality("Berlin", "DE", "berlin")
BRUSSELS = Locality("Brüssel", "BE")
PARIS = Locality("Paris", "FR")
LYON_AREA = Locality("Dijon", "FR")
VIENNA = Locality("Wien", "AT")
TIER68 = Locality("Tier 68", "US", "tier68")
TIER74 = Locality("Tier 74", "US", "tier74")
BMF_2019 = "BMF 28.11.2018, IV C 5 - S 2353/08/10006 :009, BStBl 2018 I S. 1354"
GSA = "GSA M&IE breakdown, CONUS tier (gsa.gov/mie)"

TABLE = (
    AllowanceRate(
        rules="de-estg", country="BE", year=2019, currency="EUR", full=D(42), partial=D(28),
        source=BMF_2019,
    ),
    AllowanceRate(
        rules="de-estg", country="FR", place="Paris", year=2019, currency="EUR", full=D(58),
        partial=D(39), source=BMF_2019,
    ),
    AllowanceRate(
        rules="de-estg", country="FR", year=2019, currency="EUR", full=D(44), partial=D(29),
        source=BMF_2019,
    ),
    AllowanceRate(
        rules="de-estg", country="AT", year=2019, currency="EUR", full=D(40), partial=D(27),
        source=BMF_2019,
    ),
    AllowanceRate(
        rules="de-estg", country="AT", year=2018, currency="EUR", full=D(36), source=BMF_2019
    ),
    AllowanceRate(
        rules="us-federal", country="US", place="tier68", year=2018, currency="USD",
        full=D(68), breakfast=D(16), lunch=D(19), dinner=D(28), incidentals=D(5), source=GSA,
    ),
    AllowanceRate(
        rules="us-federal", country="US", place="tier74", year=2018, currency="USD",
        full=D(74), breakfast=D(18), lunch=D(20), dinner=D(31), incidentals=D(5), source=GSA,
    ),
)  # fmt: skip


def day(
    when: date,
    reached: Locality = BERLIN,
    *,
    away: timedelta = 24 * H,
    lodging: Locality | None = None,
    work: Locality | None = None,
    meals: tuple[str, ...] = (),
    stay_meals: tuple[str, ...] = (),
    long_flight: bool = False,
) -> DayFacts:
    return DayFacts(
        day=when,
        reached=reached,
        lodging=lodging,
        work=work,
        departs=False,
        returns=False,
        away=away,
        in_long_flight=long_flight,
        meals=tuple(ProvidedMeal(m, "host") for m in meals)  # type: ignore[arg-type]
        + tuple(ProvidedMeal(m, "stay") for m in stay_meals),  # type: ignore[arg-type]
    )


def trip(*days: DayFacts) -> Journey:
    return Journey("ann", days, ("t",))


def results(days: list[object]) -> list[Decimal | None]:
    return [None if d.missing else d.result for d in days]  # type: ignore[attr-defined]


APR = date(2019, 4, 1)
APR18 = date(2018, 4, 1)


def nth(n: int, start: date = APR) -> date:
    return start + timedelta(days=n)


# -- de-estg: domestic --------------------------------------------------------------


def test_domestic_amounts_by_year_come_from_the_statute() -> None:
    assert (domestic_rate(2014).full, domestic_rate(2014).partial) == (D(24), D(12))  # type: ignore[union-attr]
    assert (domestic_rate(2019).full, domestic_rate(2019).partial) == (D(24), D(12))  # type: ignore[union-attr]
    assert (domestic_rate(2020).full, domestic_rate(2020).partial) == (D(28), D(14))  # type: ignore[union-attr]
    assert domestic_rate(2013) is None  # the old three-step rule: not shipped


def test_de_single_day_of_exactly_8_hours_pays_nothing_more_than_8_is_required() -> None:
    (paid,) = de_estg(trip(day(APR18, away=8 * H)), TABLE)
    assert (paid.share, paid.result) == ("none", D("0"))


def test_de_single_day_of_8_hours_1_minute_pays_the_partial_amount_12_00() -> None:
    (paid,) = de_estg(trip(day(APR18, away=8 * H + timedelta(minutes=1))), TABLE)
    assert (paid.share, paid.result) == ("partial", D("12.00"))


def test_de_single_day_over_8_hours_in_2020_pays_14_00() -> None:
    (paid,) = de_estg(trip(day(date(2020, 3, 2), away=9 * H)), TABLE)
    assert paid.result == D("14.00")


def test_de_departure_and_return_day_partial_whatever_the_hours_12_00_each() -> None:
    """Satz 3 Nr. 2: a journey with a night away; 1 hour away on each day still counts."""
    days = (day(APR18, away=1 * H, lodging=BERLIN), day(nth(1, APR18), away=1 * H))
    paid = de_estg(trip(*days), TABLE)
    assert results(paid) == [D("12.00"), D("12.00")]
    assert [d.share for d in paid] == ["partial", "partial"]


def test_de_day_of_24_hours_between_pays_the_full_amount_24_00() -> None:
    paid = de_estg(trip(day(APR18), day(nth(1, APR18)), day(nth(2, APR18))), TABLE)
    assert results(paid) == [D("12.00"), D("24.00"), D("12.00")]


def test_de_day_of_24_hours_in_2020_pays_28_00() -> None:
    start = date(2020, 6, 1)
    paid = de_estg(trip(day(start), day(start + timedelta(1)), day(start + timedelta(2))), TABLE)
    assert results(paid) == [D("14.00"), D("28.00"), D("14.00")]


def test_de_breakfast_on_a_partial_day_deducts_20_percent_of_the_full_amount_7_20() -> None:
    """BMF example: 12 € − 20 % of 24 € = 7.20 €."""
    paid = de_estg(trip(day(APR18), day(nth(1, APR18), stay_meals=("breakfast",))), TABLE)
    assert paid[1].result == D("7.20")
    assert [(d.meal, d.amount) for d in paid[1].deductions] == [("breakfast", D("4.80"))]


def test_de_lunch_and_dinner_on_a_full_day_deduct_40_percent_each_4_80() -> None:
    paid = de_estg(
        trip(day(APR18), day(nth(1, APR18), meals=("lunch", "dinner")), day(nth(2, APR18))), TABLE
    )
    assert paid[1].result == D("4.80")


def test_de_all_meals_on_a_partial_day_never_below_zero() -> None:
    """12 € − 4.80 − 9.60 − 9.60 would be −12 €: the allowance is 0 €."""
    paid = de_estg(
        trip(day(APR18, meals=("breakfast", "lunch", "dinner")), day(nth(1, APR18))), TABLE
    )
    assert paid[0].result == D("0")
    assert sum(d.amount for d in paid[0].deductions) == D("24.00")


def test_de_all_meals_on_a_full_day_leave_exactly_zero() -> None:
    meals = ("breakfast", "lunch", "dinner")
    paid = de_estg(trip(day(APR18), day(nth(1, APR18), meals=meals), day(nth(2, APR18))), TABLE)
    assert paid[1].result == D("0.00")


def test_de_breakfast_at_the_hotel_and_a_breakfast_event_are_one_breakfast() -> None:
    paid = de_estg(
        trip(day(APR18), day(nth(1, APR18), meals=("breakfast",), stay_meals=("breakfast",))),
        TABLE,
    )
    assert paid[1].result == D("7.20")


# -- de-estg: abroad ------------------------------------------------------------------


def test_de_departure_day_takes_the_place_reached_before_midnight_belgium_28_00() -> None:
    paid = de_estg(trip(day(APR, BRUSSELS), day(nth(1), BRUSSELS), day(nth(2), BERLIN)), TABLE)
    assert (paid[0].place, paid[0].result) == (BRUSSELS, D("28.00"))


def test_de_a_day_in_two_countries_takes_the_one_reached_last_paris_58_00() -> None:
    """Brussels in the morning, Paris reached before 24:00: the day is Paris's."""
    paid = de_estg(trip(day(APR, BRUSSELS), day(nth(1), PARIS), day(nth(2), BERLIN)), TABLE)
    assert (paid[1].place, paid[1].result) == (PARIS, D("58.00"))


def test_de_return_day_takes_the_last_place_of_work_abroad_paris_39_00() -> None:
    """Home reached before midnight, but the day of return is paid as Paris."""
    paid = de_estg(trip(day(APR, PARIS, work=PARIS), day(nth(1), BERLIN, work=PARIS)), TABLE)
    assert (paid[1].place, paid[1].result) == (PARIS, D("39.00"))


def test_de_return_day_without_work_takes_the_last_work_abroad_before_it_brussels_28_00() -> None:
    paid = de_estg(
        trip(
            day(APR, BRUSSELS, work=BRUSSELS),
            day(nth(1), LYON_AREA),
            day(nth(2), BERLIN),
        ),
        TABLE,
    )
    assert (paid[2].place, paid[2].result) == (BRUSSELS, D("28.00"))


def test_de_single_day_abroad_over_8_hours_takes_the_last_place_of_work_28_00() -> None:
    (paid,) = de_estg(trip(day(APR, BERLIN, away=11 * H, work=BRUSSELS)), TABLE)
    assert (paid.place, paid.result) == (BRUSSELS, D("28.00"))


def test_de_single_day_abroad_of_8_hours_pays_nothing() -> None:
    (paid,) = de_estg(trip(day(APR, BERLIN, away=8 * H, work=BRUSSELS)), TABLE)
    assert paid.result == D("0")


def test_de_arrival_after_midnight_local_leaves_the_first_day_at_home_12_00() -> None:
    """Landing in Paris at 00:30: on the day of departure Paris was not reached before 24:00."""
    paid = de_estg(trip(day(APR, BERLIN), day(nth(1), PARIS), day(nth(2), BERLIN)), TABLE)
    assert (paid[0].place, paid[0].result) == (BERLIN, D("12.00"))
    assert paid[1].result == D("58.00")


def test_de_flight_over_three_calendar_days_the_day_between_takes_austria_40_00() -> None:
    paid = de_estg(
        trip(day(APR, BERLIN), day(nth(1), BERLIN, long_flight=True), day(nth(2), PARIS),
             day(nth(3), BERLIN)),
        TABLE,
    )  # fmt: skip
    assert (paid[1].place.country, paid[1].result) == ("AT", D("40.00"))
    assert "Austria" in plain(paid[1].rule)


def test_de_flight_over_three_calendar_days_in_2018_austria_full_36_00() -> None:
    paid = de_estg(
        trip(day(APR18), day(nth(1, APR18), long_flight=True), day(nth(2, APR18))), TABLE
    )
    assert paid[1].result == D("36.00")


def test_de_meal_abroad_deducts_of_the_full_amount_of_that_place_46_40() -> None:
    paid = de_estg(
        trip(day(APR, PARIS), day(nth(1), PARIS, stay_meals=("breakfast",)), day(nth(2), BERLIN)),
        TABLE,
    )
    assert paid[1].result == D("46.40")  # 58 − 20 % of 58


def test_de_dinner_on_a_partial_day_abroad_deducts_40_percent_of_the_full_15_80() -> None:
    paid = de_estg(trip(day(APR, PARIS, meals=("dinner",)), day(nth(1), PARIS)), TABLE)
    assert paid[0].result == D("15.80")  # 39 − 40 % of 58 (23.20)


def test_de_lunch_and_dinner_on_a_partial_day_abroad_never_below_zero() -> None:
    paid = de_estg(trip(day(APR, PARIS, meals=("lunch", "dinner")), day(nth(1), PARIS)), TABLE)
    assert paid[0].result == D("0")


def test_de_a_country_without_a_rate_is_missing_never_guessed() -> None:
    (paid,) = de_estg(trip(day(APR, BERLIN, away=10 * H, work=Locality("Roma", "IT"))), TABLE)
    assert paid.missing is not None
    assert (paid.missing.country, paid.missing.place, paid.missing.year) == ("IT", "Roma", 2019)


def test_de_a_rate_without_its_partial_amount_is_missing_on_a_partial_day() -> None:
    """Austria 2018: only the full amount is verified; a partial day there has no rate."""
    vienna_2018 = de_estg(trip(day(APR18, VIENNA), day(nth(1, APR18), VIENNA)), TABLE)
    assert all(d.missing is not None for d in vienna_2018)


def test_de_two_journeys_on_one_day_pay_that_day_once_the_higher() -> None:
    """Home in the morning from Brussels, off to Paris in the evening: one day, one amount."""
    first = Journey("ann", (day(APR, BRUSSELS, work=BRUSSELS), day(nth(1), BERLIN)), ("a",))
    second = Journey("ann", (day(nth(1), PARIS), day(nth(2), PARIS)), ("b",))
    paid = allowances([first, second], {"ann": Allowances(rules="de-estg")}, TABLE)
    assert [(d.day, d.result) for d in paid] == [
        (APR, D("28.00")),
        (nth(1), D("39.00")),  # Paris's partial amount, higher than Brussels's 28
        (nth(2), D("39.00")),
    ]


def test_de_the_rule_and_its_source_come_with_every_day() -> None:
    paid = de_estg(trip(day(APR, PARIS), day(nth(1), PARIS)), TABLE)
    assert "EStG § 9 Abs. 4a Satz 3 Nr. 2" in plain(paid[0].rule)
    assert paid[0].source == BMF_2019
    domestic = de_estg(trip(day(APR18, away=9 * H)), TABLE)[0]
    assert "EStG § 9 Abs. 4a" in domestic.source


def test_the_rules_of_a_day_are_said_in_the_readers_language_citing_alike() -> None:
    """The rule of a day and of each deduction are messages: a German reader reads them in
    German, and every language cites the paragraph as it is published."""
    from tripplan.render.i18n import translate
    from tripplan.vocabulary import Lang

    paid = de_estg(trip(day(APR, PARIS, meals=("dinner",)), day(nth(1), PARIS)), TABLE)
    rule, (deduction,) = paid[0].rule, paid[0].deductions
    assert translate(rule, Lang.en) == (
        "EStG § 9 Abs. 4a Satz 3 Nr. 2: day of departure or return of a journey with a night "
        "away; abroad: the place reached last before 24:00 local time (BMF letter)"
    )
    assert translate(rule, Lang.de) == (
        "EStG § 9 Abs. 4a Satz 3 Nr. 2: An- oder Abreisetag einer Reise mit Übernachtung; im "
        "Ausland: der vor 24:00 Uhr Ortszeit zuletzt erreichte Ort (BMF-Schreiben)"
    )
    assert translate(deduction.rule, Lang.de) == (
        "EStG § 9 Abs. 4a Satz 8: 40 % des vollen Betrags des Ortes"
    )
    (us,) = us_federal(us_trip(day(APR, TIER68, away=13 * H, lodging=None)), TABLE)
    assert translate(us.rule, Lang.de).startswith("41 CFR 301-11.101: Reise von mehr als 12")
    (own,) = flat(trip(day(APR, away=9 * H)), FLAT)
    assert translate(own.rule, Lang.de) == "flat: der Teilbetrag des Programms für einen Teiltag"
    assert isinstance(own.source, Message)
    assert translate(own.source, Lang.de) == "das eigene Tagegeld des Programms"


# -- us-federal -----------------------------------------------------------------------


def us_trip(*days: DayFacts) -> Journey:
    return Journey("us", days, ("t",))


def test_us_first_and_last_day_75_percent_55_50_full_day_74_00() -> None:
    paid = us_federal(
        us_trip(day(APR18, lodging=TIER74), day(nth(1, APR18), lodging=TIER74), day(nth(2, APR18))),
        TABLE,
    )  # fmt: skip
    assert results(paid) == [D("55.50"), D("74"), D("55.50")]
    assert [d.share for d in paid] == ["75%", "full", "75%"]


def test_us_meal_on_a_75_percent_day_deducts_its_full_breakdown_amount_37_50() -> None:
    """41 CFR 301-11.18: 75 % of 74 = 55.50, breakfast provided: −18 (not 75 % of 18)."""
    paid = us_federal(
        us_trip(day(APR18, lodging=TIER74, meals=("breakfast",)), day(nth(1, APR18))), TABLE
    )
    assert paid[0].result == D("37.50")


def test_us_all_meals_on_a_full_day_leave_the_incidentals_5_00() -> None:
    paid = us_federal(
        us_trip(day(APR18, lodging=TIER74), day(nth(1, APR18), lodging=TIER74,
                meals=("breakfast", "lunch", "dinner")), day(nth(2, APR18))),
        TABLE,
    )  # fmt: skip
    assert paid[1].result == D("5")


def test_us_meals_on_a_75_percent_day_never_leave_less_than_incidentals_5_00() -> None:
    paid = us_federal(
        us_trip(day(APR18, lodging=TIER74, meals=("lunch", "dinner")), day(nth(1, APR18))), TABLE
    )
    assert paid[0].result == D("5")  # 55.50 − 51 = 4.50 < 5


def test_us_hotel_complimentary_breakfast_deducts_nothing_74_00() -> None:
    paid = us_federal(
        us_trip(day(APR18, lodging=TIER74), day(nth(1, APR18), lodging=TIER74,
                stay_meals=("breakfast",)), day(nth(2, APR18))),
        TABLE,
    )  # fmt: skip
    assert paid[1].result == D("74") and paid[1].deductions == ()


def test_us_trip_of_13_hours_without_a_night_pays_75_percent_51_00() -> None:
    (paid,) = us_federal(us_trip(day(APR18, TIER68, away=13 * H, work=TIER68)), TABLE)
    assert (paid.share, paid.result) == ("75%", D("51.00"))


def test_us_trip_of_12_hours_exactly_pays_nothing() -> None:
    (paid,) = us_federal(us_trip(day(APR18, TIER68, away=12 * H, work=TIER68)), TABLE)
    assert (paid.share, paid.result) == ("none", D("0"))


def test_us_the_rate_is_that_of_the_lodging_place_not_where_the_day_ended() -> None:
    paid = us_federal(
        us_trip(day(APR18, TIER68, lodging=TIER74), day(nth(1, APR18), lodging=TIER74),
                day(nth(2, APR18))),
        TABLE,
    )  # fmt: skip
    assert (paid[0].place, paid[0].result) == (TIER74, D("55.50"))


def test_us_a_night_travelling_takes_the_next_place_of_duty() -> None:
    paid = us_federal(
        us_trip(day(APR18, TIER68), day(nth(1, APR18), lodging=TIER74), day(nth(2, APR18))),
        TABLE,
    )
    assert (paid[0].place, paid[0].result) == (TIER74, D("55.50"))


def test_us_the_last_day_takes_the_previous_days_place() -> None:
    paid = us_federal(
        us_trip(day(APR18, lodging=TIER68), day(nth(1, APR18), lodging=TIER74),
                day(nth(2, APR18), TIER68)),
        TABLE,
    )  # fmt: skip
    assert (paid[2].place, paid[2].result) == (TIER74, D("55.50"))


def test_us_a_place_without_a_rate_is_missing_never_guessed() -> None:
    paid = us_federal(us_trip(day(APR18, lodging=BAUTZEN), day(nth(1, APR18))), TABLE)
    assert paid[0].missing is not None and paid[0].missing.place == "Bautzen"


# -- flat -----------------------------------------------------------------------------


FLAT = Allowances(rules="flat", amount=D("30"), partial=D("15"), currency="EUR")


def test_flat_partial_amount_on_departure_and_return_full_between() -> None:
    paid = flat(trip(day(APR), day(nth(1)), day(nth(2))), FLAT)
    assert results(paid) == [D("15"), D("30"), D("15")]


def test_flat_without_a_partial_amount_pays_the_amount_every_day() -> None:
    rules = Allowances(rules="flat", amount=D("30"), currency="EUR")
    paid = flat(trip(day(APR), day(nth(1))), rules)
    assert results(paid) == [D("30"), D("30")]


def test_flat_single_day_of_8_hours_pays_nothing_over_8_the_partial() -> None:
    assert flat(trip(day(APR, away=8 * H)), FLAT)[0].result == D("0")
    assert flat(trip(day(APR, away=9 * H)), FLAT)[0].result == D("15")


def test_a_delegate_without_a_rule_set_gets_no_allowance() -> None:
    assert allowances([trip(day(APR), day(nth(1)))], {}, TABLE) == []


@pytest.mark.parametrize("rules", ["de-estg", "us-federal"])
def test_each_rule_set_gives_every_day_exactly_one_share(rules: str) -> None:
    days = [day(nth(k), lodging=TIER74) for k in range(5)]
    paid = allowances([trip(*days)], {"ann": Allowances(rules=rules)}, TABLE)  # type: ignore[arg-type]
    assert [d.day for d in paid] == [d.day for d in days]


def test_de_over_midnight_without_a_night_the_day_with_most_hours_gets_12_00() -> None:
    """EStG § 9 Abs. 4a Satz 3 Nr. 3: 20:00 to 06:00, no lodging: 10 hours in all; 6 of
    them on the second day, which gets the partial amount, the first nothing."""
    paid = de_estg(trip(day(APR18, away=4 * H), day(nth(1, APR18), away=6 * H)), TABLE)
    assert [(d.share, d.result) for d in paid] == [("none", D("0")), ("partial", D("12.00"))]


def test_de_over_midnight_without_a_night_8_hours_in_all_pays_nothing() -> None:
    paid = de_estg(trip(day(APR18, away=5 * H), day(nth(1, APR18), away=3 * H)), TABLE)
    assert results(paid) == [D("0"), D("0")]


def test_de_over_midnight_with_a_nights_lodging_pays_both_days_partial() -> None:
    paid = de_estg(
        trip(day(APR18, away=4 * H, lodging=BERLIN), day(nth(1, APR18), away=6 * H)), TABLE
    )
    assert results(paid) == [D("12.00"), D("12.00")]


def test_de_return_day_of_a_journey_without_work_takes_the_last_place_abroad_39_00() -> None:
    paid = de_estg(trip(day(APR, PARIS), day(nth(1), PARIS), day(nth(2), BERLIN)), TABLE)
    assert (paid[2].place, paid[2].result) == (PARIS, D("39.00"))
