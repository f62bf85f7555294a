"""Each kind of finding of the checks, with its exact message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from helpers import SMALL_PLAN, Build, Mutation, small_plan

from tripplan import itinerary
from tripplan.loader import validate
from tripplan.planning.build import build_itinerary
from tripplan.planning.facts import holiday
from tripplan.render.i18n import translate
from tripplan.vocabulary import Lang


@dataclass(frozen=True)
class Finding:
    """A finding as the coordinator reads it: in English, its German beside it."""

    code: str
    severity: str
    message: str
    ids: tuple[str, ...] = ()
    visibility: str = "everyone"
    subject: str | None = None
    de: str = field(default="", compare=False)

    def text(self, lang: str) -> str:
        return self.de if lang == "de" else self.message


def read(finding: itinerary.Finding) -> Finding:
    return Finding(
        finding.code,
        finding.severity,
        translate(finding.message, Lang.en),
        finding.ids,
        finding.visibility,
        finding.subject,
        translate(finding.message, Lang.de),
    )


Findings = Callable[[Mutation], list[Finding]]


@pytest.fixture
def findings(small_itinerary: Build) -> Findings:
    """The findings on the small plan after a change, as the coordinator reads them."""
    return lambda mutate: [read(f) for f in small_itinerary(mutate).findings]


def activity(**fields: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        item = {"id": "x", "title": "Workshop", "kind": "workshop", "community": "host"}
        data["trips"][0]["activities"].append({**item, **fields})

    return mutate


def test_the_small_plan_is_clean(findings: Findings) -> None:
    assert findings(lambda d: None) == []


def test_double_booking(findings: Findings) -> None:
    assert findings(activity(start="2018-04-24T10:00", end="2018-04-24T12:00")) == [
        Finding(
            "double-booked",
            "error",
            "ann, ben would be in two places at once: 'Meeting with practitioners' "
            "(24 Apr 2018 09:00–11:00 EDT) overlaps 'Workshop' (24 Apr 2018 10:00–12:00 EDT). "
            "Move one of them.",
            ("tour/meet", "tour/x", "ann", "ben"),
        )
    ]


def test_double_booking_includes_travel(findings: Findings) -> None:
    result = findings(activity(start="2018-04-25T17:00", end="2018-04-25T19:00", off_hours_ok=True))
    assert [f.code for f in result] == ["double-booked"]
    assert result[0].ids == ("tour/x", "tour/back", "ann", "ben")


def test_activity_where_the_participants_are_not(findings: Findings) -> None:
    assert findings(
        activity(community="home", start="2018-04-24T10:00", end="2018-04-24T12:00")
    ) == [
        Finding(
            "wrong-place",
            "error",
            "'Workshop' (tour/x) is in Bautzen at 24 Apr 2018 10:00 CEST, but ann, ben are in "
            "New York then. Add or move a travel leg, or change the participants.",
            ("tour/x", "ann", "ben"),
        )
    ]


def test_outside_the_trip_days(findings: Findings) -> None:
    result = findings(lambda d: d["trips"][0].update(last_day="2018-04-25"))
    assert result[0] == Finding(
        "outside-trip",
        "error",
        "'New York JFK → Frankfurt am Main FRA' (tour/back) is on 26 Apr 2018, outside the days "
        "of trip tour (23 Apr – 25 Apr 2018). Move it, or widen the trip's first_day/last_day.",
        ("tour/back", "tour"),
    )


def test_a_leg_that_lands_before_it_departs_is_one_load_error_naming_both_ends() -> None:
    from tripplan.errors import PlanError

    data = small_plan()
    data["trips"][0]["legs"][1].update(arrives="2018-04-23T04:00")
    with pytest.raises(PlanError) as refused:
        validate(data)
    (problem,) = refused.value.problems
    assert problem.location == "<plan> › trips[0].legs[1].arrives"
    assert translate(problem.message, Lang.en) == (
        "lands at 23 Apr 2018 04:00 EDT in New York, United States (JFK), 30 min before it "
        "departs at 23 Apr 2018 10:30 CEST from Frankfurt am Main, Germany (FRA); check the "
        "local times and the airport codes."
    )


def test_short_connection(findings: Findings) -> None:
    def mutate(data: dict[str, Any]) -> None:
        legs = data["trips"][0]["legs"]
        legs[0].update(to="DRS", arrives="2018-04-23T07:00")
        legs.insert(
            1,
            {
                "id": "feeder",
                "mode": "flight",
                "from": "DRS",
                "to": "FRA",
                "departs": "2018-04-23T09:00",
                "arrives": "2018-04-23T10:00",
            },
        )

    assert findings(mutate) == [
        Finding(
            "short-connection",
            "error",
            "only 30 min to change from tour/feeder to tour/out at Frankfurt am Main, Germany "
            "(FRA); an international change needs at least 1 h 30 min. Choose a later "
            "connection.",
            ("tour/feeder", "tour/out"),
        )
    ]


def test_outside_working_hours(findings: Findings) -> None:
    assert findings(activity(start="2018-04-24T18:00", end="2018-04-24T19:00")) == [
        Finding(
            "off-hours",
            "warning",
            "'Workshop' (tour/x) is outside the working hours of New York (09:00–17:00): "
            "24 Apr 2018 18:00 EDT. Move it, or set off_hours_ok = true if the hosts agreed.",
            ("tour/x",),
        )
    ]


def test_off_hours_ok_silences_the_warning(findings: Findings) -> None:
    assert (
        findings(activity(start="2018-04-24T18:00", end="2018-04-24T19:00", off_hours_ok=True))
        == []
    )


def test_sunday(findings: Findings) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["trips"][0]["last_day"] = "2018-04-29"
        data["trips"][0]["stays"][0]["check_out"] = "2018-04-30"
        data["trips"][0]["legs"] = data["trips"][0]["legs"][:2]
        activity(start="2018-04-29T10:00", end="2018-04-29T11:00")(data)

    assert findings(mutate) == [
        Finding(
            "off-hours",
            "warning",
            "'Workshop' (tour/x) is on a Sunday: 29 Apr 2018 10:00 EDT. Move it, or set "
            "off_hours_ok = true if the hosts agreed.",
            ("tour/x",),
        )
    ]


@pytest.mark.parametrize(
    ("day", "name"),
    [(date(2018, 10, 31), "Reformation Day"), (date(2018, 11, 21), "Repentance and Prayer Day")],
)
def test_public_holidays_of_saxony(day: date, name: str, findings: Findings) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["trips"].append(
            {
                "id": "home-visit",
                "title": "Visit to Bautzen",
                "kind": "return_visit",
                "delegations": ["bz"],
                "hosts": ["home"],
                "first_day": day.isoformat(),
                "last_day": day.isoformat(),
                "activities": [
                    {
                        "id": "hol",
                        "title": "Round table",
                        "community": "home",
                        "start": f"{day.isoformat()}T10:00",
                        "end": f"{day.isoformat()}T12:00",
                    }
                ],
            }
        )

    result = findings(mutate)
    assert [f.code for f in result] == ["off-hours"]
    assert result[0].message.startswith(
        f"'Round table' (home-visit/hol) is on a public holiday in Bautzen ({name}): "
    )
    assert holiday(validate(SMALL_PLAN).community("home"), day) == name


def test_night_without_lodging(findings: Findings) -> None:
    assert findings(lambda d: d["trips"][0].update(stays=[])) == [
        Finding(
            "no-lodging",
            "warning",
            "ann, ben have nowhere to sleep on trip tour in the night after 23 Apr, 24 Apr. Add a "
            "stay (hotel or host family) for those nights.",
            ("tour", "ann", "ben"),
        )
    ]


def test_missing_leg(findings: Findings) -> None:
    assert findings(lambda d: d["trips"][0]["legs"].pop(0)) == [
        Finding(
            "missing-leg",
            "warning",
            "ann, ben are in Bautzen but tour/out departs from Frankfurt am Main, Germany (FRA) "
            "at 23 Apr 2018 10:30 CEST; a travel leg between the two is missing.",
            ("tour/out", "ann", "ben"),
        )
    ]


def test_arrival_rest_after_long_haul(findings: Findings) -> None:
    assert findings(activity(start="2018-04-23T15:00", end="2018-04-23T16:00")) == [
        Finding(
            "arrival-rest",
            "warning",
            "ann, ben land at 23 Apr 2018 13:00 EDT after a long-haul flight (tour/out); "
            "'Workshop' at 23 Apr 2018 15:00 EDT leaves less than 4 h of rest. Move it later.",
            ("tour/x", "tour/out", "ann", "ben"),
        )
    ]


def test_nothing_late_on_the_day_of_arrival(findings: Findings) -> None:
    result = findings(
        activity(kind="meal", title="Dinner", start="2018-04-23T19:30", end="2018-04-23T21:00")
    )
    assert [f.message for f in result] == [
        "ann, ben land at 23 Apr 2018 13:00 EDT after a long-haul flight (tour/out); 'Dinner' "
        "ends at 23 Apr 2018 21:00 EDT, after 20:00 on the day of arrival. End it earlier or "
        "move it to the next day."
    ]


def test_entry_requirements(findings: Findings) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["delegates"][0]["private"].update(passport_expiry="2018-04-25", esta="refused")
        data["delegates"][1]["private"] = {}

    assert findings(mutate) == [
        Finding(
            "entry-refused",
            "error",
            "ann's ESTA or visa for the US was refused; they cannot travel on this trip as "
            "planned.",
            ("tour/out", "ann"),
            visibility="concerned",
            subject="ann",
        ),
        Finding(
            "passport-expires",
            "error",
            "ann's passport expires before the end of trip tour; a new passport is needed "
            "before travel.",
            ("tour/out", "ann"),
            visibility="concerned",
            subject="ann",
        ),
        Finding(
            "entry-data-missing",
            "warning",
            "ben enters the US on tour/out without an approved ESTA or visa on record; update "
            "private.esta or private.visa once approved.",
            ("tour/out", "ben"),
            visibility="concerned",
            subject="ben",
        ),
        Finding(
            "entry-data-missing",
            "warning",
            "tour/out takes ben across a border (United States), but no passport expiry is "
            "recorded; add private.passport_expiry.",
            ("tour/out", "ben"),
            visibility="concerned",
            subject="ben",
        ),
    ]


def test_unplaced_flexible_activity_and_placeholder_host(findings: Findings) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["communities"][1]["placeholder"] = True
        activity(duration="3h", window_start="2018-04-24", window_end="2018-04-25")(data)

    assert findings(mutate) == [
        Finding(
            "host-to-be-confirmed",
            "info",
            "New York is a placeholder to be confirmed; its time zone America/New_York is "
            "assumed. Once the host is known, run 'tripplan hosts confirm host' (or set its "
            "name, timezone and airports in the plan and remove 'placeholder = true').",
            ("host",),
        ),
        Finding(
            "not-placed",
            "info",
            "'Workshop' (tour/x) has a window but no time yet; run 'tripplan plan --write' to "
            "place it.",
            ("tour/x",),
        ),
    ]


def test_bundled_plan_has_no_errors() -> None:
    from tripplan.loader import load_plan

    itinerary = build_itinerary(load_plan(None))
    assert itinerary.errors == ()
    assert {f.code for f in itinerary.findings} == {
        "allowance-rate-missing",  # BMF 2018 for the USA, State Dept. 2018 for Germany: unverified
        "entry-data-missing",
        "host-to-be-confirmed",
        "not-placed",
    }


def test_messages_in_german(findings: Findings) -> None:
    (clash,) = findings(activity(start="2018-04-24T10:00", end="2018-04-24T12:00"))
    assert clash.text("de") == (
        "ann, ben wären zur selben Zeit an zwei Orten: 'Meeting with practitioners' "
        "(24.04.2018 09:00–11:00 EDT) überschneidet sich mit 'Workshop' (24.04.2018 "
        "10:00–12:00 EDT). Einen der beiden Termine verschieben."
    )
    assert clash.text("en") == clash.message


def test_holiday_names_in_both_languages() -> None:
    home = validate(SMALL_PLAN).community("home")
    assert holiday(home, date(2018, 11, 21), "de") == "Buß- und Bettag"
    assert holiday(home, date(2018, 11, 21), "en") == "Repentance and Prayer Day"
    assert holiday(home, date(2018, 11, 22), "de") is None


def test_every_finding_has_a_german_message(findings: Findings) -> None:
    def mutate(data: dict[str, Any]) -> None:
        data["communities"][1]["placeholder"] = True
        data["trips"][0]["stays"] = []
        data["delegates"][1]["private"] = {}
        activity(start="2018-04-23T15:00", end="2018-04-23T21:00")(data)

    result = findings(mutate)
    assert {f.code for f in result} >= {"no-lodging", "arrival-rest", "entry-data-missing"}
    for finding in result:
        assert finding.de and finding.de != finding.message, finding.code


# -- data a coordinator can fix first: each check fires, and stays quiet on a near miss --------


def _codes(findings: Findings, mutate: Mutation, code: str) -> list[Finding]:
    return [f for f in findings(mutate) if f.code == code]


def _second_ann(name: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data["delegates"].append({"id": name, "name": "Ann Two", "home": "home"})
        data["delegations"][0]["members"].append(name)

    return mutate


def test_ids_that_share_a_calendar_file_name(findings: Findings) -> None:
    (clash,) = _codes(findings, _second_ann("ann."), "file-name-clash")
    assert clash.message == (
        "the delegate ids 'ann' and 'ann.' would both be written to ann.ics by "
        "'export-ics --split delegate'; rename one of them."
    )
    assert clash.severity == "error"
    assert _codes(findings, _second_ann("ann-2"), "file-name-clash") == []


def _stay_at_home(check_in: str, check_out: str) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        data["trips"][0]["stays"].append(
            {"community": "home", "check_in": check_in, "check_out": check_out}
        )

    return mutate


def test_stays_in_two_places_on_one_night(findings: Findings) -> None:
    (clash,) = _codes(findings, _stay_at_home("2018-04-24", "2018-04-26"), "two-beds")
    assert clash.message == (
        "ann, ben are booked into stays in two places for the night after 24 Apr 2018 "
        "(tour/stay-home-20180424, tour/stay-host-20180423); correct the check-in or "
        "check-out dates."
    )
    # the host stay ends on the 25th: a stay at home from then on is a near miss
    assert _codes(findings, _stay_at_home("2018-04-25", "2018-04-26"), "two-beds") == []


def test_programme_year_against_the_trips(findings: Findings) -> None:
    (wrong,) = _codes(findings, lambda d: d["programme"].update(year=2019), "year-mismatch")
    assert wrong.message == (
        "the programme's year is 2019, but its trips take place in 2018; correct "
        "programme.year or the trips' dates."
    )

    def new_year(data: dict[str, Any]) -> None:  # a trip over New Year touches both years
        data["programme"]["year"] = 2019
        data["trips"][0]["last_day"] = "2019-01-02"

    assert _codes(findings, new_year, "year-mismatch") == []


def _flight(arrives: str) -> Callable[[dict[str, Any]], None]:
    """FRA 10:30 CEST to SEA (8,197 km): the fastest possible is about 6 h 49 min."""

    def mutate(data: dict[str, Any]) -> None:
        data["communities"][1].update(airports=["SEA"], timezone="America/Los_Angeles")
        data["trips"][0]["legs"][1].update(to="SEA", arrives=arrives)
        data["trips"][0]["legs"][2]["from"] = "SEA"
        data["trips"][0]["legs"][2]["departs"] = "2018-04-25T13:00"

    return mutate


def test_a_flight_faster_than_any_airliner(findings: Findings) -> None:
    # 45 minutes: 10:30 CEST is 01:30 PDT
    (fast,) = _codes(findings, _flight("2018-04-23T02:15"), "flight-too-fast")
    assert fast.message == (
        "tour/out takes 45 min for 8,197 km from Frankfurt am Main, Germany (FRA) to Seattle, "
        "United States (SEA); no flight is faster than about 6 h 49 min. Check the times and "
        "the time zones of both airports."
    )
    assert _codes(findings, _flight("2018-04-23T08:30"), "flight-too-fast") == []  # 7 h: possible


def test_every_event_keeps_a_typed_reference_to_its_source() -> None:
    plan = validate(small_plan())
    built = build_itinerary(plan)
    trip = plan.trips[0]
    assert built.event("tour/meet").source is trip.activities[0]
    assert built.event("tour/out").source is trip.legs[1]
    (stay,) = [e for e in built.events if e.category == "stay"]
    assert stay.source is trip.stays[0]


def test_a_finding_names_events_people_trip_communities_and_day_apart() -> None:
    def mutate(data: dict[str, Any]) -> None:
        activity(start="2018-04-24T10:00", end="2018-04-24T18:00", off_hours_ok=True)(data)
        data["trips"][0]["stays"] = []
        data["communities"][1]["placeholder"] = True

    built = build_itinerary(validate(small_plan(mutate)))
    by_code = {f.code: f for f in built.findings}
    booked = by_code["double-booked"]
    assert (booked.events, booked.people, booked.trip, booked.day) == (
        ("tour/meet", "tour/x"),
        ("ann", "ben"),
        None,
        None,
    )
    long_day = by_code["long-day"]
    assert (long_day.events, long_day.people, long_day.day) == (
        (),
        ("ann", "ben"),
        date(2018, 4, 24),
    )
    lodging = by_code["no-lodging"]
    assert (lodging.events, lodging.trip, lodging.people) == ((), "tour", ("ann", "ben"))
    assert by_code["host-to-be-confirmed"].communities == ("host",)
    assert booked.where is None  # a plan built in code has no file


def test_a_finding_says_in_which_file_and_lines_what_it_names_is_written(
    write_plan: Callable[..., Any],
) -> None:
    """As load errors do: a coordinator with a long plan goes to the line, not the id."""
    import json

    from helpers import run

    data = small_plan(activity(start="2018-04-24T10:00", end="2018-04-24T12:00"))
    text = json.dumps(data, indent=2)
    path = write_plan(text)
    lines = text.splitlines()
    meet = lines.index('          "id": "meet",')  # the line before: where its object opens
    workshop = lines.index('          "id": "x",')
    ann = lines.index('      "id": "ann",')
    ben = lines.index('      "id": "ben",')
    where = f"{path}:{meet}, {workshop}, {ann}, {ben}"
    table = run("check", path)
    assert f"Move one of them. ({where})" in " ".join(table.stdout.split())
    document = json.loads(run("check", path, "--format", "json").stdout)
    (booked,) = [f for f in document["findings"] if f["code"] == "double-booked"]
    assert booked["where"] == {"file": str(path), "lines": [meet, workshop, ann, ben]}
    assert (booked["events"], booked["people"]) == (["tour/meet", "tour/x"], ["ann", "ben"])
    assert booked["ids"] == ["tour/meet", "tour/x", "ann", "ben"]  # as before, for scripts
    markdown = run("itinerary", path, "--format", "markdown").stdout
    assert f"Move one of them. ({where})" in markdown.replace("\\", "")
    hosts = run("itinerary", path, "--format", "markdown", "--audience", "hosts").stdout
    assert str(path) not in hosts  # a path of the coordinator's machine is theirs alone
