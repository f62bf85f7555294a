"""``tripplan publish`` against real CalDAV servers started by the tests on 127.0.0.1.

The core tests run against Radicale and against Xandikos (over TLS, verified with
``--ca-bundle``); the rights tests (403) need Radicale's rights file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import caldav
import pytest
from caldav_servers import PASSWORD, Running, free_port, start_radicale, start_xandikos
from conftest import BUNDLED, run
from icalendar import Calendar

from tripplan.errors import OutputError
from tripplan.export.caldav import PublishResult, Server, password_for, publish
from tripplan.itinerary import Filters, Itinerary
from tripplan.loader import load_plan
from tripplan.planning.build import build_itinerary
from tripplan.vocabulary import Audience, Split

NOW = datetime(2018, 3, 1, 12, 0, tzinfo=UTC)
DOMAIN = "bautzen-2018.transatlantic-exchange.tripplan"


@pytest.fixture(scope="module", params=["radicale", "xandikos"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    start = start_radicale if request.param == "radicale" else start_xandikos
    running = start(tmp_path_factory.mktemp(request.param))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    running = start_radicale(tmp_path_factory.mktemp("radicale-rights"))
    yield running
    running.stop()


def client(server: Running, user: str = "alice") -> caldav.DAVClient:
    verify: bool | str = str(server.ca_bundle) if server.ca_bundle else True
    return caldav.DAVClient(
        url=server.url, username=user, password=PASSWORD, ssl_verify_cert=verify
    )


@pytest.fixture
def dav(server: Running) -> Iterator[Running]:
    """The server with alice's calendars as a fresh account has them."""
    _clean(server)
    yield server


def _clean(server: Running) -> None:
    for calendar in client(server).get_principal().get_calendars():
        name = str(calendar.url).rstrip("/").rsplit("/", 1)[-1]
        if name.startswith(("tripplan-", "private-")):
            calendar.delete()


def target(server: Running, user: str = "alice", password: str = PASSWORD) -> Server:
    return Server(server.url, user, password, server.ca_bundle, timeout=20)


def itinerary(text: str | None = None, tmp: Path | None = None) -> Itinerary:
    """The bundled plan's itinerary, or that of a changed copy (``text``) saved in ``tmp``."""
    if text is None:
        return build_itinerary(load_plan(BUNDLED)).select(Filters())
    assert tmp is not None
    path = tmp / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return build_itinerary(load_plan(path)).select(Filters())


def do(server: Running, it: Itinerary, split: Split = Split.delegate, **kw: Any) -> PublishResult:
    audience = {
        Split.none: Audience.internal,
        Split.delegate: Audience.delegates,
        Split.community: Audience.hosts,
    }[split]
    return publish(
        it,
        target(server),
        split=split,
        audience=kw.pop("audience", audience),
        lang="de",
        now=kw.pop("now", NOW),
        **kw,
    )


def stored(server: Running, collection: str) -> dict[str, tuple[str, Calendar]]:
    """Every resource of a collection: UID → (ETag, parsed calendar)."""
    principal = client(server).get_principal()
    for calendar in principal.get_calendars():
        if str(calendar.url).rstrip("/").endswith("/" + collection):
            found = {}
            for item in calendar.get_events():
                parsed = Calendar.from_ical(item.data)
                (event,) = parsed.walk("VEVENT")
                found[str(event["uid"])] = (str(item.etag), parsed)
            return found
    raise AssertionError(f"no collection {collection}")


def _event(parsed: Calendar) -> Any:
    (event,) = parsed.walk("VEVENT")
    return event


# -- the core, on both servers --------------------------------------------------------------


def test_first_publish_per_delegate_reads_back_the_itinerarys_instants(dav: Running) -> None:
    result = do(dav, itinerary())
    assert [c.collection for c in result.calendars][:2] == [
        "tripplan-delegate-bz-stadt",
        "tripplan-delegate-bz-wib-verein",
    ]
    assert all(c.created for c in result.calendars)
    assert result.writes == sum(len(c.added) for c in result.calendars) == 179
    for delegate in ("bz-stadt", "us1-a"):
        expected = json.loads(run("itinerary", "--format", "json", "--delegate", delegate).stdout)
        want = {
            f"{e['uid'].replace('/', '.')}@{DOMAIN}": (e["start"], e["end"])
            for e in expected["events"]
            if e["placed"] and e["start"] is not None
        }
        principal = client(dav).get_principal()
        (calendar,) = [
            c for c in principal.get_calendars()
            if str(c.url).rstrip("/").endswith(f"tripplan-delegate-{delegate}")
        ]  # fmt: skip
        assert calendar.get_display_name().startswith("Reiseplan ")
        found = calendar.search(
            start=datetime(2018, 1, 1, tzinfo=UTC),
            end=datetime(2019, 1, 1, tzinfo=UTC),
            event=True,
            expand=False,
        )
        got = {}
        for item in found:
            event = _event(Calendar.from_ical(item.data))
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            if isinstance(start, datetime):
                got[str(event["uid"])] = (start, end)
        assert set(got) == set(want)
        for uid, (start, end) in want.items():
            assert got[uid][0] == datetime.fromisoformat(start), uid
            assert got[uid][1] == datetime.fromisoformat(end), uid
            assert got[uid][0].utcoffset() == datetime.fromisoformat(start).utcoffset(), uid


def test_publish_per_community_names_the_hosts_calendars(dav: Running) -> None:
    result = do(dav, itinerary(), Split.community)
    names = [c.collection for c in result.calendars]
    assert "tripplan-community-bautzen" in names
    assert all(c.added and c.created for c in result.calendars)
    bautzen = stored(dav, "tripplan-community-bautzen")
    assert len(bautzen) == len(result.calendars[names.index("tripplan-community-bautzen")].added)


def test_publishing_an_unchanged_plan_again_writes_nothing(
    dav: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    it = itinerary()
    do(dav, it, Split.none)
    before = stored(dav, "tripplan-all")
    puts: list[str] = []
    original = caldav.DAVClient.put

    def counting(self: caldav.DAVClient, url: str, *args: Any, **kw: Any) -> Any:
        puts.append(url)
        return original(self, url, *args, **kw)

    monkeypatch.setattr(caldav.DAVClient, "put", counting)
    again = do(dav, it, Split.none, now=datetime(2018, 4, 1, tzinfo=UTC))
    assert puts == []
    assert again.writes == 0
    assert again.calendars[0].unchanged == len(before)
    assert {uid: etag for uid, (etag, _) in stored(dav, "tripplan-all").items()} == {
        uid: etag for uid, (etag, _) in before.items()
    }


WALK = f"study-tour.city-walk-1@{DOMAIN}"


def _moved_plan() -> str:
    """The bundled plan with the first city walk an hour later."""
    text = BUNDLED.read_text(encoding="utf-8")
    old = (
        'id = "city-walk-1"\ntitle = "Stadterkundung"\nkind = "free_time"\n'
        'community = "us-host-1"\nstart = 2018-04-21T10:00:00\nend = 2018-04-21T13:00:00'
    )
    assert old in text
    return text.replace(old, old.replace("T10:00", "T11:00").replace("T13:00", "T14:00"))


def _without_walk() -> str:
    text = BUNDLED.read_text(encoding="utf-8")
    begin = text.index('[[trips.activities]]\nid = "city-walk-1"')
    end = text.index("[[", begin + 5)
    return text[:begin] + text[end:]


def test_moving_one_activity_updates_exactly_that_resource(dav: Running, tmp_path: Path) -> None:
    do(dav, itinerary(), Split.none)
    before = stored(dav, "tripplan-all")
    result = do(dav, itinerary(_moved_plan(), tmp_path), Split.none)
    (report,) = result.calendars
    uid = WALK
    assert (report.added, report.changed, report.cancelled) == ([], [uid], [])
    assert result.writes == 1
    after = stored(dav, "tripplan-all")
    assert int(_event(after[uid][1])["sequence"]) == int(_event(before[uid][1])["sequence"]) + 1
    assert after[uid][0] != before[uid][0]
    assert {u for u in after if after[u][0] != before[u][0]} == {uid}


def test_a_removed_activity_is_cancelled_and_a_foreign_event_survives(
    dav: Running, tmp_path: Path
) -> None:
    do(dav, itinerary(), Split.none)
    foreign = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//Phone//EN\r\nBEGIN:VEVENT\r\n"
        "UID:dentist-1@phone.example\r\nDTSTAMP:20180301T000000Z\r\n"
        "DTSTART:20180425T080000Z\r\nDTEND:20180425T090000Z\r\nSUMMARY:Zahnarzt\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    principal = client(dav).get_principal()
    (calendar,) = [c for c in principal.get_calendars() if "tripplan-all" in str(c.url)]
    calendar.add_event(foreign)
    data = _without_walk()
    before = stored(dav, "tripplan-all")
    result = do(dav, itinerary(data, tmp_path), Split.none)
    (report,) = result.calendars
    uid = WALK
    assert report.cancelled == [uid] and report.foreign == 1
    after = stored(dav, "tripplan-all")
    event = _event(after[uid][1])
    assert str(event["status"]) == "CANCELLED"
    assert int(event["sequence"]) == int(_event(before[uid][1])["sequence"]) + 1
    assert after["dentist-1@phone.example"][0] == before["dentist-1@phone.example"][0]
    assert str(_event(after["dentist-1@phone.example"][1])["summary"]) == "Zahnarzt"
    # cancelled once: publishing again writes nothing
    assert do(dav, itinerary(data, tmp_path), Split.none).writes == 0


def test_an_event_changed_on_the_server_meanwhile_is_reported_not_overwritten(
    dav: Running, tmp_path: Path
) -> None:
    do(dav, itinerary(), Split.none)
    uid = WALK

    def someone_edits(done: int, total: int, text: str) -> None:
        if done == 0 and total:
            principal = client(dav).get_principal()
            (calendar,) = [c for c in principal.get_calendars() if "tripplan-all" in str(c.url)]
            event = calendar.get_event_by_uid(uid)
            event.icalendar_component["summary"] = "Edited on a phone"
            event.save()

    result = do(dav, itinerary(_moved_plan(), tmp_path), Split.none, progress=someone_edits)
    assert result.conflicts == [uid] and result.writes == 0
    assert str(_event(stored(dav, "tripplan-all")[uid][1])["summary"]) == "Edited on a phone"
    forced = do(
        dav, itinerary(_moved_plan(), tmp_path), Split.none, force=True, progress=someone_edits
    )
    assert forced.conflicts == [] and forced.calendars[0].overwritten == [uid]
    assert str(_event(stored(dav, "tripplan-all")[uid][1])["summary"]) != "Edited on a phone"


def test_an_interrupted_publish_is_completed_by_running_it_again(
    dav: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    import niquests

    original = caldav.DAVClient.put
    calls = [0]

    def flaky(self: caldav.DAVClient, url: str, *args: Any, **kw: Any) -> Any:
        calls[0] += 1
        if calls[0] == 31:
            raise niquests.exceptions.ReadTimeout("timed out")
        return original(self, url, *args, **kw)

    monkeypatch.setattr(caldav.DAVClient, "put", flaky)
    with pytest.raises(OutputError) as stopped:
        do(dav, itinerary())
    assert stopped.value.message.endswith(
        "did not answer within 20 s. 30 of 179 changes were written before that; run the same "
        "command again to complete the rest."
    )
    monkeypatch.setattr(caldav.DAVClient, "put", original)
    again = do(dav, itinerary())
    assert again.writes == 149
    assert sum(c.unchanged for c in again.calendars) == 30
    assert do(dav, itinerary()).writes == 0
    for uid, (_, parsed) in stored(dav, "tripplan-delegate-bz-stadt").items():
        assert int(_event(parsed)["sequence"]) == 0, uid


def test_no_private_data_reaches_the_server(dav: Running, tmp_path: Path) -> None:
    from test_hardening import _leaks, private_plan

    plan = private_plan(tmp_path)
    it = build_itinerary(load_plan(plan))
    do(dav, it, Split.delegate)
    do(dav, it, Split.community)
    texts = []
    for calendar in client(dav).get_principal().get_calendars():
        texts += [item.data for item in calendar.get_events()]
    assert len(texts) > 100
    assert [leak for text in texts for leak in _leaks(text)] == []


def test_a_dry_run_writes_nothing(dav: Running) -> None:
    result = do(dav, itinerary(), dry_run=True)
    assert result.writes == 0 and all(c.url is None for c in result.calendars)
    names = [str(c.url) for c in client(dav).get_principal().get_calendars()]
    assert not any("tripplan-" in name for name in names)


def test_a_wrong_password_is_one_clear_message(dav: Running) -> None:
    with pytest.raises(OutputError) as refused:
        publish(
            itinerary(),
            target(dav, password="wrong-pw"),
            split=Split.delegate,
            audience=Audience.delegates,
            lang="de",
            now=NOW,
        )
    host = dav.url.rstrip("/")
    assert refused.value.message == (
        f"{host} did not accept the user name or password of 'alice' (401)."
    )
    assert "wrong-pw" not in refused.value.message


# -- failures, rights and the command line ------------------------------------------------


def test_a_server_that_is_down_is_one_clear_message() -> None:
    port = free_port()
    with pytest.raises(OutputError) as down:
        publish(
            itinerary(),
            Server(f"http://127.0.0.1:{port}/", "alice", "x", timeout=5),
            split=Split.delegate,
            audience=Audience.delegates,
            lang="de",
            now=NOW,
        )
    assert down.value.message == (
        f"cannot reach the CalDAV server at http://127.0.0.1:{port}; check the URL and the network."
    )


def test_no_permission_is_one_clear_message(radicale: Running) -> None:
    with pytest.raises(OutputError) as refused:
        publish(
            itinerary(),
            Server(radicale.url, "reader", PASSWORD),
            split=Split.delegate,
            audience=Audience.delegates,
            lang="de",
            now=NOW,
        )
    host = radicale.url.rstrip("/")
    assert refused.value.message == (
        f"{host} refused 'reader' permission (403) for creating the calendar "
        "tripplan-delegate-bz-stadt; ask the server's administrator for write "
        "access to the calendars. Nothing was written."
    )


def test_the_command_publishes_and_reports_json(
    radicale: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clean(radicale)
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    first = run("publish", "--url", radicale.url, "--user", "alice", "--split", "community",
                "--report", "json")  # fmt: skip
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["writes"] > 0 and report["dry_run"] is False
    assert PASSWORD not in first.output
    again = run("publish", "--url", radicale.url, "--user", "alice", "--split", "community")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "0 Termine geschrieben"  # the plan speaks German
    assert "tripplan-community-bautzen: 0 hinzugefügt, 0 geändert, 0 abgesagt" in again.stdout


def test_a_tls_server_is_verified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    xandikos = start_xandikos(tmp_path / "x")
    try:
        refused = run("publish", "--url", xandikos.url, "--user", "alice", "--lang", "en")
        assert refused.exit_code == 2
        assert refused.stderr.splitlines()[-1] == (
            f"tripplan: the TLS certificate of {xandikos.url.rstrip('/')} could not be "
            "verified; if the server uses a private certificate authority, give its "
            "certificate with --ca-bundle."
        )
        trusted = run("publish", "--url", xandikos.url, "--user", "alice", "--ca-bundle",
                      xandikos.ca_bundle, "--dry-run")  # fmt: skip
        assert trusted.exit_code == 0, trusted.output
    finally:
        xandikos.stop()


def test_the_password_comes_from_the_environment_netrc_or_a_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine dav.example.org login coord password from-netrc\n")
    netrc.chmod(0o600)
    url = "https://dav.example.org/"
    assert password_for(url, None, {"NETRC": str(netrc)}) == ("coord", "from-netrc")
    assert password_for(url, "coord", {"NETRC": str(netrc), "TRIPPLAN_CALDAV_PASSWORD": "env"}) == (
        "coord",
        "env",
    )
    assert password_for(url, "other", {"NETRC": str(netrc)}) == ("other", None)
    with pytest.raises(OutputError, match="contains a user name or password"):
        password_for("https://coord:pw@dav.example.org/", None, {})
    monkeypatch.delenv("TRIPPLAN_CALDAV_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "none"))
    asked = run("publish", "--url", url, "--user", "coord")
    assert asked.exit_code == 2
    assert asked.stderr == (
        "tripplan: no password for 'coord' at dav.example.org: set TRIPPLAN_CALDAV_PASSWORD, "
        "add a 'machine dav.example.org' entry to ~/.netrc, or run on a terminal to be asked\n"
    )


def test_the_command_reports_conflicts_and_exits_2(
    radicale: Running, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An event changed on the server between reading and writing: the report lists it,
    the command says what to do, and exits 2; nothing of it was overwritten."""
    import tripplan.export.caldav as publishing

    _clean(radicale)
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    assert (
        run(
            "publish", "--url", radicale.url, "--user", "alice", "--split", "none", "--lang", "en"
        ).exit_code
        == 0
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(_moved_plan(), encoding="utf-8")
    real = publishing._put

    def changed_meanwhile(client: Any, url: str, write: Any, force: bool) -> str:
        return "conflict" if write.uid == WALK and not force else real(client, url, write, force)

    monkeypatch.setattr(publishing, "_put", changed_meanwhile)
    result = run("publish", plan, "--url", radicale.url, "--user", "alice", "--split", "none",
                 "--report", "json", "--lang", "en")  # fmt: skip
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["calendars"][0]["conflicts"] == [WALK]
    assert report["writes"] == 0
    assert result.stderr.splitlines()[-1] == (
        f"tripplan: 1 event was changed on the server since it was read and was left as it is: "
        f"{WALK}; run again to publish over the new state, or with --force to overwrite it"
    )
