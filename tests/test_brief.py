"""The host brief: counted, never named; private needs only with consent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import run, small_plan


def _plan(tmp_path: Path, mutate: Any = None) -> Path:
    data = small_plan()
    if mutate:
        mutate(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_brief_counts_arrivals_days_and_appointments(tmp_path: Path) -> None:
    result = run("hosts", "brief", "host", _plan(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.output
    brief = json.loads(result.stdout)
    assert brief["version"] == 2
    assert [
        (m["direction"], m["when"], m["zone"], m["carrier"], m["number"], m["people"])
        for m in brief["movements"]
    ] == [
        ("arrival", "2018-04-23T13:00:00-04:00", "EDT", "LH", "400", 2),
        ("departure", "2018-04-25T18:00:00-04:00", "EDT", "", "", 2),
    ]
    assert brief["movements"][0]["pickup"] == [{"delegation": "Delegation Bautzen", "people": 2}]
    assert brief["days"] == [
        {"day": "2018-04-23", "visitors": 2, "arriving": 2, "leaving": 0, "sleeping": 2},
        {"day": "2018-04-24", "visitors": 2, "arriving": 0, "leaving": 0, "sleeping": 2},
        {"day": "2018-04-25", "visitors": 2, "arriving": 0, "leaving": 2, "sleeping": 0},
    ]
    assert [
        (a["title"], a["start"], a["end"], a["venue"], a["visitors"], a["locals"])
        for a in brief["appointments"]
    ] == [
        (
            "Meeting with practitioners",
            "2018-04-24T09:00:00-04:00",
            "2018-04-24T11:00:00-04:00",
            "City Hall",
            2,
            0,
        )
    ]
    assert brief["lodging"] == [
        {
            "stay": "New York",
            "kind": "hotel",
            "address": None,
            "first_night": "2018-04-23",
            "check_out": "2018-04-25",
            "nights": 2,
            "people": 2,
            "room_nights": 4,
            "provisional": False,
        }
    ]


def _needs(data: dict[str, Any]) -> None:
    ann, ben = data["delegates"]
    ann["private"].update(dietary="Vegetarian", share_with_hosts=["dietary"])
    ben["private"].update(dietary="halal, no alcohol", access="step-free access")
    data["communities"][1]["languages"] = ["en"]
    data["programme"].update(coordinator="Exchange office", contact="office@example.org")
    ann["languages"] = ["de"]
    ben["languages"] = ["de", "en"]


def test_consent_means_silence(tmp_path: Path) -> None:
    """#22: a need without consent is never disclosed, not even as a count; a consented
    need is counted as written, never named; the brief ends by naming the coordinator."""
    plan = _plan(tmp_path, _needs)
    brief = json.loads(run("hosts", "brief", "host", plan, "-f", "json").stdout)
    assert brief["needs"] == [{"kind": "dietary", "shared": {"Vegetarian": 1}}]
    assert brief["interpreting"] == [{"language": "de", "name": "German", "visitors": 1}]
    closing = "For any other needs, ask the coordinator: Exchange office, office@example.org."
    assert brief["closing"] == closing
    text = run("hosts", "brief", "host", plan, "-f", "markdown").stdout
    assert "- dietary needs: Vegetarian (1 person)" in text
    assert "they speak: German (1 person)" in text
    assert text.rstrip().endswith(f"- {closing}")
    for fmt in ("json", "markdown", "table", "html"):
        out = run("hosts", "brief", "host", plan, "-f", fmt).stdout
        for secret in ("halal", "alcohol", "step-free", "Ann", "Ben", "ann", "ben"):
            assert secret not in out, (fmt, secret)
        assert "did not share" not in out and "access" not in out.lower(), fmt
    german = run("hosts", "brief", "host", plan, "-f", "markdown", "--lang", "de").stdout
    assert german.rstrip().endswith(
        "- Für alle weiteren Bedürfnisse wenden Sie sich an die Koordination: "
        "Exchange office, office@example.org."
    )


def test_the_bautzen_brief_lists_every_trip_and_counts_visitors_apart() -> None:
    brief = json.loads(run("hosts", "brief", "bautzen", "-f", "json", "--lang", "en").stdout)
    legs = [(m["direction"], m["leg"], m["people"], m["visitors"]) for m in brief["movements"]]
    assert ("departure", "colloquium/train-to-berlin", 9, 4) in legs  # the next trip's train
    assert ("arrival", "return-visit/bus-in", 4, 4) in legs
    assert not [leg for leg in legs if leg[1].startswith("study-tour/")]  # no visitors on it
    workshop = next(a for a in brief["appointments"] if a["event"].endswith("action-plan-review"))
    assert (workshop["visitors"], workshop["locals"], workshop["people"]) == (4, 5, 9)
    assert workshop["window"] == ["2018-11-07T00:00:00+01:00", "2018-11-08T00:00:00+01:00"]
    steinhaus = next(a for a in brief["appointments"] if a["event"].endswith("steinhaus-visit"))
    assert (steinhaus["venue"], steinhaus["end"]) == ("Steinhaus e.V.", "2018-11-06T15:00:00+01:00")
    assert {d["day"]: d["visitors"] for d in brief["days"]} == {
        "2018-11-05": 4,
        "2018-11-06": 4,
        "2018-11-07": 4,
        "2018-11-08": 4,
    }
    (hotel,) = brief["lodging"]
    assert (hotel["check_out"], hotel["room_nights"], hotel["address"]) == ("2018-11-08", 12, None)
    assert len(brief["open_items"]) == len(set(brief["open_items"]))
    text = run("hosts", "brief", "bautzen", "-f", "markdown", "--lang", "en").stdout
    assert "to be scheduled on Wed, Nov 7" in text


def test_no_private_data_in_any_host_brief(tmp_path: Path) -> None:
    from helpers import leaks, private_plan

    plan = private_plan(tmp_path)
    for host in ("us-host-1", "us-host-2", "bautzen", "berlin"):
        for fmt in ("json", "markdown", "table"):
            result = run("hosts", "brief", host, plan, "-f", fmt)
            assert result.exit_code == 0, result.output
            assert leaks(result.stdout) == [], (host, fmt)


def test_an_unknown_host_is_exit_2(tmp_path: Path) -> None:
    result = run("hosts", "brief", "nowhere", _plan(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: no host community has the id 'nowhere'; hosts: host"
    )


def test_the_brief_table_fits_80_columns_and_breaks_no_word() -> None:
    for host in ("us-host-1", "us-host-2", "bautzen", "berlin"):
        out = run("hosts", "brief", host).stdout
        assert max(len(line) for line in out.splitlines()) <= 80, host
    words = set(run("hosts", "brief", "us-host-1").stdout.split())
    for word in (
        "Integrationspraktiker·innen",
        "Ankunft/Abreise",
        "US-Gastkommune",
        "Zimmernächte",
    ):
        assert word in words, word


def test_counts_are_right_aligned_in_every_form() -> None:
    """The terminal right-aligned columns of counts and the other forms did not: the section
    says which columns are counts, and Markdown, HTML and the PDF's template read that."""
    from tripplan import build_itinerary, load_plan
    from tripplan.planning.brief import host_brief
    from tripplan.render.brief import printed_brief
    from tripplan.vocabulary import Lang

    markdown = run("hosts", "brief", "us-host-1", "--format", "markdown", "--lang", "en").stdout
    assert "| When | Arrival/departure | Travel | From/to | People | Pick-up |\n" in markdown
    assert "|---|---|---|---|---:|---|\n" in markdown
    html = run("hosts", "brief", "us-host-1", "--format", "html", "--lang", "en").stdout
    assert '<th class="num">People</th>' in html and '<td class="num">5</td>' in html
    assert "<th>When</th>" in html
    brief = host_brief(build_itinerary(load_plan(None)), "us-host-1")
    sections = printed_brief(brief, Lang.en)["sections"]
    visitors = next(s for s in sections if s["heading"] == "Visitors per day")
    assert visitors["columns"] == ["Day", "Visitors", "Arriving", "Leaving", "Sleeping here"]
    assert visitors["numeric"] == [False, True, True, True, True]


def test_the_table_written_to_a_file_is_plain_text_and_replaced_next_time(tmp_path: Path) -> None:
    """As for costs: --format table --out FILE writes the terminal's table as plain text at
    80 columns; the next run, in either language, knows it as a brief and replaces it; a
    file of someone else's is left alone."""
    target = tmp_path / "brief.txt"
    english = run("hosts", "brief", "us-host-1", "--out", target, "--lang", "en")
    assert english.exit_code == 0, english.output
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[:2] == ["Host brief: US host community 1", "Arrivals and departures"]
    assert "\x1b" not in text and max(len(line) for line in text.splitlines()) <= 80
    german = run("hosts", "brief", "us-host-1", "--out", target)  # the plan's language
    assert german.exit_code == 0, german.output
    assert target.read_text(encoding="utf-8").startswith(
        "Informationen für die Gastgeber: US-Gastkommune 1\n"
    )
    foreign = tmp_path / "notes.txt"
    foreign.write_text("Host briefing notes\n", encoding="utf-8")
    refused = run("hosts", "brief", "us-host-1", "--out", foreign, "--lang", "en")
    assert refused.exit_code == 2
    assert foreign.read_text(encoding="utf-8") == "Host briefing notes\n"
