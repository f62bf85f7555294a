"""Every class of loader error: exact message, exit code 2, no traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import BUNDLED, SMALL_PLAN, Mutation, run, small_plan
from pydantic import TypeAdapter

import tripplan
from tripplan.errors import ExitCode, PlanError
from tripplan.loader import MAX_BYTES, load_plan, resolve_source
from tripplan.models import Plan


def _set(path: str, value: Any) -> Mutation:
    """A mutation that sets ``value`` at a dotted path like ``trips.0.legs.1.to``."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return mutate


_DELETE = object()

JSON_CASES: list[tuple[str, Mutation, str]] = [
    (
        "missing field",
        _set("communities.0.timezone", _DELETE),
        "plan.json › communities[0].timezone: is required but missing; add 'timezone'",
    ),
    (
        "unknown field with suggestion",
        _set("communities.0.timezon", "Europe/Berlin"),
        "plan.json › communities[0].timezon: unknown field 'timezon'; did you mean 'timezone'? "
        "Remove it or fix its spelling. Allowed here: address, airports, alt_names, country, id, "
        "languages, name, neighbours, placeholder, subdivision, timezone, translations, "
        "working_hours.",
    ),
    (
        "misspelt time zone",
        _set("communities.1.timezone", "America/NewYork"),
        "plan.json › communities[1].timezone: 'America/NewYork' is not an IANA time zone name. "
        "Did you mean 'America/New_York'? Write a name such as 'Europe/Berlin' or "
        "'America/New_York'.",
    ),
    (
        "unknown IATA code",
        _set("trips.0.legs.2.to", "JFX"),
        "plan.json › trips[0].legs[2].to: 'JFX' is not a known IATA airport code; did you mean "
        "'JFK' (New York, United States)? Check the three-letter code on the booking (e.g. "
        "'FRA' for Frankfurt).",
    ),
    (
        "IATA code in lower case",
        _set("communities.1.airports", ["jfk"]),
        "plan.json › communities[1].airports[0]: 'jfk' is not an IATA airport code: write three "
        "capital letters",
    ),
    (
        "wall-clock time in a DST gap",
        _set("trips.0.legs.0.departs", "2018-03-25T02:30"),
        "plan.json › trips[0].legs[0].departs: 2018-03-25 02:30 does not exist in Europe/Berlin: "
        "the clocks jump forward over it (start of daylight saving time). Choose a time outside "
        "the skipped hour.",
    ),
    (
        "ambiguous wall-clock time",
        _set("trips.0.legs.2.departs", "2018-11-04T01:30"),
        "plan.json › trips[0].legs[2].departs: 2018-11-04 01:30 happens twice in "
        "America/New_York: the clocks fall back over it (end of daylight saving time). Choose a "
        "time outside the repeated hour, or say which one with its UTC offset: "
        "2018-11-04T01:30-04:00 is the first, 2018-11-04T01:30-05:00 the second.",
    ),
    (
        "dangling reference",
        _set("trips.0.activities.0.community", "hots"),
        "plan.json › trips[0].activities[0].community: no community has the id 'hots'. Did you "
        "mean 'host'? Known: home, host.",
    ),
    (
        "ids that differ only in case",
        lambda d: d["delegates"].append(dict(d["delegates"][1], id="Ann")),
        "plan.json › delegates[2].id: 'Ann' repeats an id that differs only in case ('ann'); "
        "every delegate id must be unique (ignoring case, so exported file names cannot clash)",
    ),
    (
        "duplicate id",
        lambda d: d["trips"][0]["activities"].append(dict(d["trips"][0]["activities"][0])),
        "plan.json › trips[0].activities[1].id: 'meet' repeats the same id; every leg, activity "
        "or stay (of one trip; stays without an id use 'stay-<community>-<check_in>') id must be "
        "unique (ignoring case, so exported file names cannot clash)",
    ),
    (
        "dates reversed",
        _set("trips.0.first_day", "2018-04-27"),
        "plan.json › trips[0].last_day: last day 2018-04-26 is before first day 2018-04-27; "
        "swap them",
    ),
    (
        "trip longer than a year",
        _set("trips.0.last_day", "2019-04-26"),
        "plan.json › trips[0].last_day: a trip may last at most a year; split longer stretches "
        "into several trips",
    ),
    (
        "end before start",
        _set("trips.0.activities.0.end", "2018-04-24T08:00"),
        "plan.json › trips[0].activities[0]: ends (2018-04-24 08:00) before it starts "
        "(2018-04-24 09:00); swap or correct the times",
    ),
    (
        "check-out before check-in",
        _set("trips.0.stays.0.check_out", "2018-04-23"),
        "plan.json › trips[0].stays[0].check_out: check-out 2018-04-23 is not after check-in "
        "2018-04-23",
    ),
    (
        "wrong type",
        _set("programme.year", "twenty"),
        "plan.json › programme.year: Input should be a valid integer (got 'twenty'); write a "
        "whole number",
    ),
    (
        "a UTC offset on a wall-clock time",
        _set("trips.0.activities.0.start", "2018-04-24T09:00+02:00"),
        "plan.json › trips[0].activities[0].start: 2018-04-24 09:00+02:00: America/New_York is at "
        "UTC-04:00 at that time, not UTC+02:00; correct the offset or leave it out",
    ),
    (
        "lead outside the delegation",
        _set("delegations.0.lead", "zoe"),
        "plan.json › delegations.0.lead: 'zoe' is not one of the delegation's members".replace(
            "delegations.0", "delegations[0]"
        ),
    ),
    (
        "activity in two forms",
        _set("trips.0.activities.0.duration", "2h"),
        "plan.json › trips[0].activities[0]: give exactly one of: 'start' and 'end' (a fixed "
        "time), 'day' (an all-day item, optionally up to 'last_day'), or 'duration' with "
        "'window_start' and 'window_end' (to be placed by 'tripplan plan')",
    ),
    (
        "subdivision of another country",
        _set("communities.0.subdivision", "US-NY"),
        "plan.json › communities[0]: subdivision 'US-NY' is not in country 'DE'; write it as "
        "'DE-XX' (ISO 3166-2, e.g. 'DE-SN' for Saxony)",
    ),
    (
        "id shaped like an airport code",
        _set("communities.1.id", "NYC"),
        "plan.json › communities[1].id: 'NYC' looks like an IATA airport code; ids of the plan "
        "must not, write it in lower case or make it longer",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "message"), [c[1:] for c in JSON_CASES], ids=[c[0] for c in JSON_CASES]
)
def test_bad_json_plan(mutate: Mutation, message: str) -> None:
    data = small_plan(mutate)
    Path("plan.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("check", "plan.json")
    assert result.exit_code == ExitCode.BAD_INPUT
    # Compact JSON is one line, so every field is on line 1.
    assert result.stderr == f"tripplan: {message.replace(':', ' (line 1):', 1)}\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output


FILE_CASES: list[tuple[str, str, bytes | None, str]] = [
    (
        "TOML syntax error",
        "plan.toml",
        b'version = 1\n[programme\nname = "x"\n',
        "plan.toml (line 2): is not valid TOML: Expected ']' at the end of a table declaration "
        "(column 11)",
    ),
    (
        "JSON syntax error",
        "plan.json",
        b'{"version": 1,\n "programme": }',
        "plan.json (line 2): is not valid JSON: Expecting value (column 15)",
    ),
    (
        "empty file",
        "plan.toml",
        b"",
        "plan.toml: is empty; a plan needs at least [programme] and [[communities]] (run "
        "'tripplan init' for a starter plan)",
    ),
    (
        "binary file",
        "plan.toml",
        b"\x00\x01\x02abc",
        "plan.toml: is a binary file, not a TOML or JSON plan",
    ),
    (
        "not UTF-8",
        "plan.toml",
        "version = 1\n# Budy\xe1in\n".encode("latin-1"),
        "plan.toml (line 2): is not UTF-8 (byte 0xe1 at offset 18); save the file as UTF-8",
    ),
    (
        "a list at the top",
        "plan.json",
        b"[1, 2]",
        'plan.json: a plan must be a table/object at the top level, e.g. {"programme": …}',
    ),
    (
        "missing file",
        "nowhere.toml",
        None,
        "nowhere.toml: no such file; check the path, or run 'tripplan init' to write a starter "
        "plan",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES]
)
def test_bad_plan_file(name: str, content: bytes | None, message: str) -> None:
    if content is not None:
        Path(name).write_bytes(content)
    result = run("check", name)
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr == f"tripplan: {message}\n"


def test_directory_instead_of_file(tmp_path: Path) -> None:
    Path("plans").mkdir()
    result = run("check", "plans")
    assert result.exit_code == 2
    assert result.stderr == (
        "tripplan: plans: is a directory; give the plan file inside it, e.g. plans/tripplan.toml\n"
    )


def test_too_big_file_is_refused_without_reading_it() -> None:
    with open("big.toml", "wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    result = run("check", "big.toml")
    assert result.exit_code == 2
    assert result.stderr == (
        "tripplan: big.toml: is 10.0 MB; tripplan reads plans of at most 10 MB. Split the "
        "programme into several plans.\n"
    )


def test_toml_errors_carry_line_numbers() -> None:
    text = BUNDLED.read_text(encoding="utf-8").replace(
        'id = "domestic"\nmode = "flight"\nfrom = "us-host-1"\nto = "us-host-2"',
        'id = "domestic"\nmode = "flight"\nfrom = "us-host-1"\nto = "us-host-3"',
    )
    Path("plan.toml").write_text(text, encoding="utf-8")
    line = text.splitlines().index('to = "us-host-3"') + 1
    result = run("check", "plan.toml", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (
        f"tripplan: plan.toml › trips[0].legs[3].to (line {line}): no community has the id "
        "'us-host-3'. Did you mean 'us-host-2'? Known: bautzen, berlin, us-host-1, us-host-2.\n"
    )


def test_json_errors_carry_line_numbers() -> None:
    data = small_plan()
    data["trips"][0]["legs"][2]["to"] = "J F"
    data["trips"][0]["activities"][0]["kind"] = "party"
    text = json.dumps(data, indent=2, ensure_ascii=False)
    Path("plan.json").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    leg = lines.index('          "to": "J F",') + 1
    kind = lines.index('          "kind": "party",') + 1
    result = run("check", "plan.json")
    assert result.stderr.splitlines()[1:] == [
        f"  - plan.json › trips[0].legs[2].to (line {leg}): 'J F' is not a valid id: use 1 to 64 "
        "letters, digits, '-', '_' or '.', starting with a letter or digit",
        f"  - plan.json › trips[0].activities[0].kind (line {kind}): Input should be 'meeting', "
        "'workshop', 'site_visit', 'briefing', 'meal', 'ceremony', 'reception', 'call' or "
        "'free_time' (got 'party')",
    ]


def test_several_problems_are_all_listed() -> None:
    data = small_plan()
    data["communities"][0]["timezone"] = "Mars/Olympus"
    del data["delegates"][1]["name"]
    Path("plan.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("check", "plan.json")
    assert result.exit_code == 2
    assert result.stderr == (
        "tripplan: the plan has 2 problems:\n"
        "  - plan.json › communities[0].timezone (line 1): 'Mars/Olympus' is not an IANA time "
        "zone name. Write a name such as 'Europe/Berlin' or 'America/New_York'.\n"
        "  - plan.json › delegates[1].name (line 1): is required but missing; add 'name'\n"
    )


def test_private_values_are_never_echoed() -> None:
    data = small_plan()
    data["delegates"][0]["private"]["passport_expiry"] = "SECRET-PASSPORT-123"
    data["delegates"][0]["private"]["phone"] = 4917012345
    Path("plan.json").write_text(json.dumps(data), encoding="utf-8")
    result = run("check", "plan.json")
    assert result.exit_code == 2
    assert "SECRET-PASSPORT-123" not in result.output
    assert "4917012345" not in result.output
    assert "delegates[0].private.passport_expiry" in result.stderr


def test_bom_and_crlf_are_accepted() -> None:
    text = BUNDLED.read_text(encoding="utf-8").replace("\n", "\r\n")
    Path("plan.toml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    plan = load_plan("plan.toml")
    assert plan.programme.name == "Transatlantic Exchange 2018 – Bautzen"


def test_toml_and_json_give_the_same_plan() -> None:
    toml_plan = load_plan(BUNDLED)
    dumped = TypeAdapter(Plan).dump_json(toml_plan, by_alias=True)
    Path("plan.json").write_bytes(dumped)
    assert load_plan("plan.json") == toml_plan


def test_stdin_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("check", "-", input=json.dumps(SMALL_PLAN))
    assert result.exit_code == 0, result.output
    result = run("check", "-", input=BUNDLED.read_text(encoding="utf-8"))
    assert result.stdout.splitlines()[0] == (
        "Hinweise der Prüfung (0 Fehler, 8 Warnungen, 5 Hinweise)"
    )
    assert result.stderr == ""  # a plan given as '-' needs no "using plan" note


def test_default_plan_is_local_then_bundled(tmp_path: Path) -> None:
    assert resolve_source(None, tmp_path).path == BUNDLED
    (tmp_path / "tripplan.toml").write_text("x", encoding="utf-8")
    source = resolve_source(None, tmp_path)
    assert source.path == tmp_path / "tripplan.toml"
    assert tripplan.messages.plain(source.why) == "found ./tripplan.toml"


def test_public_api_load_plan() -> None:
    plan = tripplan.load_plan(BUNDLED)
    assert [t.id for t in plan.trips] == ["study-tour", "return-visit", "colloquium"]
    with pytest.raises(PlanError) as info:
        tripplan.load_plan("missing.toml")
    assert info.value.problems[0].location == "missing.toml"


def test_a_window_partly_outside_its_trip_is_placed_on_the_days_inside(tmp_path: Path) -> None:
    data = small_plan()
    # the trip ends on 26 April; the window runs on to the 28th
    data["trips"][0]["activities"].append(
        {
            "id": "tour-of-works",
            "title": "Tour of the works",
            "kind": "site_visit",
            "community": "host",
            "duration": "2h",
            "window_start": "2018-04-24",
            "window_end": "2018-04-28",
        }
    )
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    checked = run("check", path)
    assert "outside trip" not in checked.output and "no day in trip" not in checked.output
    assert checked.exit_code in (0, 1), checked.output
    placed = run("plan", path, "--format", "json")
    assert placed.exit_code == 0, placed.output
    document = json.loads(placed.stdout)
    (placement,) = [p for p in document["placements"] if p["title"] == "Tour of the works"]
    assert "2018-04-24" <= placement["start"][:10] <= "2018-04-26"


def test_a_window_with_no_day_in_its_trip_is_refused_once(tmp_path: Path) -> None:
    data = small_plan()
    data["trips"][0]["activities"].append(
        {
            "id": "late",
            "title": "Late",
            "community": "host",
            "duration": "1h",
            "window_start": "2018-04-27",
            "window_end": "2018-04-28",
        }
    )
    with pytest.raises(PlanError) as refused:
        tripplan.loader.validate(data)
    (problem,) = refused.value.problems
    assert problem.location == "<plan> › trips[0].activities[1].window_start"
    said = tripplan.messages.plain(problem.message)
    assert "has no day in trip 'tour' (2018-04-23 to 2018-04-26)" in said


@pytest.mark.parametrize(
    ("text", "where", "line"),
    [
        ('{"version": 1,\n "programme": {"name": "a",\n  "name": "b"}}', "programme.name", 3),
        ('{"version": 1,\n "programme": {"year": ' + "9" * 5000 + "}}", "programme.year", 2),
    ],
)
def test_json_refusals_of_pythons_reader_name_line_and_field(
    text: str, where: str, line: int, tmp_path: Path
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as refused:
        load_plan(path)
    (problem,) = refused.value.problems
    assert (problem.location, problem.line) == (f"{path} › {where}", line)


@pytest.mark.parametrize(
    ("value", "quoted", "seconds"),
    [
        ("2027-03-26T09:30", '"2027-03-26T09:30"', "2027-03-26T09:30:00"),
        ("2027-03-26 09:30", '"2027-03-26 09:30"', "2027-03-26 09:30:00"),
        ("09:30", '"09:30"', "09:30:00"),
    ],
)
def test_a_toml_time_without_seconds_says_how_to_write_it(
    value: str, quoted: str, seconds: str, tmp_path: Path
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(
        f'version = 1\n\n[[trips]]\nid = "t"\n\n[[trips.activities]]\nstart = {value}\n',
        encoding="utf-8",
    )
    with pytest.raises(PlanError) as refused:
        load_plan(path)
    (problem,) = refused.value.problems
    assert (problem.location, problem.line) == (f"{path} › trips[0].activities[0].start", 7)
    said = tripplan.messages.plain(problem.message)
    assert "Expected newline" not in said
    assert f"write it in quotes, {quoted}, or with seconds, {seconds}" in said


def _boise_with_bio(arrives: str) -> dict[str, Any]:
    """The small plan hosted in Boise, its flight booked to 'BIO' (Bilbao) for 'BOI'."""
    data = small_plan()
    data["communities"][1].update(name="Boise", timezone="America/Boise", airports=["BOI"])
    legs = data["trips"][0]["legs"]
    legs[1].update(to="BIO", arrives=arrives)
    legs[2]["from"] = "BIO"
    return data


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "lands at 23 Apr 2018 09:00 CEST in Bilbao, Spain (BIO), 1 h 30 min before it "
            "departs at 23 Apr 2018 10:30 CEST from Frankfurt am Main, Germany (FRA); check the "
            "local times and the airport codes. Did you mean Boise, United States (BOI)?",
        ),
        (
            "de",
            "landet 23.04.2018 09:00 CEST in Bilbao, Spanien (BIO), 1 h 30 min bevor er "
            "23.04.2018 10:30 CEST in Frankfurt am Main, Deutschland (FRA) startet; die "
            "Ortszeiten und die Flughafencodes prüfen. Meinten Sie Boise, Vereinigte Staaten "
            "(BOI)?",
        ),
    ],
)
def test_a_leg_that_lands_before_it_departs_is_one_problem_naming_the_airports(
    lang: str, said: str, tmp_path: Path
) -> None:
    data = _boise_with_bio("2018-04-23T09:00")
    data["programme"]["language"] = lang
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    for command in ("check", "itinerary", "programme"):
        result = run(command, path)
        assert result.exit_code == 2, result.output
        (line,) = result.stderr.splitlines()
        assert line.endswith(f": {said}")
        assert "trips[0].legs[1].arrives" in line
        assert not re.search(r"-\s?\d+\s?h", result.output)  # never a negative duration


def test_a_message_names_an_airport_with_its_place_and_country() -> None:
    from tripplan.planning.build import build_itinerary
    from tripplan.render.i18n import translate
    from tripplan.vocabulary import Lang

    plan = tripplan.loader.validate(_boise_with_bio("2018-04-23T13:00"))
    said = [translate(f.message, Lang.en) for f in build_itinerary(plan).findings]
    assert any("are in Bilbao, Spain (BIO) then" in line for line in said), said
    assert not any(re.search(r"\bBIO\b(?! ?\))", line) for line in said), said
