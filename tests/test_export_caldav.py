"""``tripplan publish`` against real CalDAV servers started by the tests on 127.0.0.1.

The core tests run against Radicale and against Xandikos (over TLS, verified with
``--ca-bundle``); the rights tests (403) need Radicale's rights file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import caldav
import pytest
from caldav_servers import PASSWORD, Hostile, Running, free_port
from helpers import BUNDLED, leaks, private_plan, run
from icalendar import Calendar

from tripplan.calendar_reports import PublishResult
from tripplan.errors import OutputError
from tripplan.export.caldav import Server, password_for, publish
from tripplan.itinerary import Filters, Itinerary
from tripplan.loader import load_plan
from tripplan.planning.build import build_itinerary
from tripplan.vocabulary import Audience, Lang, Split

NOW = datetime(2018, 3, 1, 12, 0, tzinfo=UTC)
DOMAIN = "bautzen-2018.transatlantic-exchange.tripplan"


@pytest.fixture(params=["radicale", "xandikos"])
def server(request: pytest.FixtureRequest) -> Running:
    """Each real server (started once per session), fresh for this test: a new Radicale
    account, or Xandikos with tripplan's collections deleted. Only the server a test runs
    against is started (the suite's two workers run the two servers' tests; conftest)."""
    running: Running = request.getfixturevalue(f"{request.param}_server")
    if request.param == "radicale":
        return running.fresh()
    _clean(running)
    return running


@pytest.fixture
def radicale(radicale_server: Running) -> Running:
    """Radicale (with its rights file), as a fresh account sees it."""
    return radicale_server.fresh()


def client(server: Running, user: str | None = None) -> caldav.DAVClient:
    verify: bool | str = str(server.ca_bundle) if server.ca_bundle else True
    return caldav.DAVClient(
        url=server.url, username=user or server.user, password=PASSWORD, ssl_verify_cert=verify
    )


@pytest.fixture
def dav(server: Running) -> Running:
    """The server with the account's calendars as a fresh account has them."""
    return server


def _clean(server: Running) -> None:
    for calendar in client(server).get_principal().get_calendars():
        name = str(calendar.url).rstrip("/").rsplit("/", 1)[-1]
        if name.startswith(("tripplan-", "private-")):
            calendar.delete()


def target(server: Running, user: str | None = None, password: str = PASSWORD) -> Server:
    return Server(server.url, user or server.user, password, server.ca_bundle, timeout=20)


def itinerary(
    text: str | None = None, tmp: Path | None = None, trip: str | None = None
) -> Itinerary:
    """The bundled plan's itinerary (or one ``trip`` of it: the colloquium has every
    delegate in 45 calendar resources, the whole plan 179), or that of a changed copy
    (``text``) saved in ``tmp``."""
    if text is None:
        return build_itinerary(load_plan(BUNDLED)).select(Filters(trip=trip))
    assert tmp is not None
    path = tmp / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return build_itinerary(load_plan(path)).select(Filters(trip=trip))


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
        do(dav, itinerary(trip="colloquium"))
    assert stopped.value.message.endswith(
        "did not answer within 20 s. 30 of 45 changes were written before that; run the same "
        "command again to complete the rest."
    )
    monkeypatch.setattr(caldav.DAVClient, "put", original)
    again = do(dav, itinerary(trip="colloquium"))
    assert again.writes == 15
    assert sum(c.unchanged for c in again.calendars) == 30
    assert do(dav, itinerary(trip="colloquium")).writes == 0
    for uid, (_, parsed) in stored(dav, "tripplan-delegate-bz-stadt").items():
        assert int(_event(parsed)["sequence"]) == 0, uid


def test_no_private_data_reaches_the_server(radicale: Running, tmp_path: Path) -> None:
    """Everything both splits send, read back from the server. What leaks is what tripplan
    sends, the same to every server, so one server proves it (Radicale: the other costs
    five seconds more and proves nothing more)."""
    plan = private_plan(tmp_path)
    it = build_itinerary(load_plan(plan))
    do(radicale, it, Split.delegate)
    do(radicale, it, Split.community)
    texts = []
    for calendar in client(radicale).get_principal().get_calendars():
        texts += [item.data for item in calendar.get_events()]
    assert len(texts) > 100
    assert [leak for text in texts for leak in leaks(text)] == []


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
        f"{host} did not accept the user name or password of '{dav.user}' (401)."
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
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    first = run("publish", "--url", radicale.url, "--user", radicale.user, "--split", "community",
                "--report", "json")  # fmt: skip
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert report["writes"] > 0 and report["dry_run"] is False
    assert PASSWORD not in first.output
    again = run("publish", "--url", radicale.url, "--user", radicale.user, "--split", "community")
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == "0 Termine geschrieben"  # the plan speaks German
    assert "tripplan-community-bautzen: 0 hinzugefügt, 0 geändert, 0 abgesagt" in again.stdout


@pytest.mark.parametrize("server", ["xandikos"], indirect=True)  # the server over TLS
def test_a_tls_server_is_verified(server: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    xandikos = server  # its collections of tripplan deleted
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
    asked = run("publish", "--url", url, "--user", "coord", "--lang", "en")
    assert asked.exit_code == 2
    assert asked.stderr.splitlines()[-1] == (
        "tripplan: no password for 'coord' at dav.example.org: set TRIPPLAN_CALDAV_PASSWORD, "
        "add a 'machine dav.example.org' entry to ~/.netrc, or run on a terminal to be asked"
    )
    # in the plan's language (German) without --lang, as every message of a run
    german = run("publish", "--url", url, "--user", "coord")
    assert german.stderr.splitlines()[-1] == (
        "tripplan: kein Passwort für 'coord' bei dav.example.org: TRIPPLAN_CALDAV_PASSWORD "
        "setzen, einen Eintrag 'machine dav.example.org' in ~/.netrc ergänzen oder in einem "
        "Terminal ausführen, um gefragt zu werden"
    )
    plain = run("publish", "--url", "http://example.org/")
    assert plain.exit_code == 2
    assert plain.stderr.splitlines()[-1].startswith(
        "tripplan: --url 'http://example.org/' ist unverschlüsseltes http://"
    )


def test_the_command_reports_conflicts_and_exits_2(
    radicale: Running, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An event changed on the server between reading and writing: the report lists it,
    the command says what to do, and exits 2; nothing of it was overwritten."""
    import tripplan.export.caldav as publishing

    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    assert (
        run(
            "publish",
            "--url",
            radicale.url,
            "--user",
            radicale.user,
            "--split",
            "none",
            "--lang",
            "en",
        ).exit_code
        == 0
    )
    plan = tmp_path / "plan.toml"
    plan.write_text(_moved_plan(), encoding="utf-8")
    real = publishing._put

    def changed_meanwhile(client: Any, url: str, write: Any, force: bool) -> str:
        return "conflict" if write.uid == WALK and not force else real(client, url, write, force)

    monkeypatch.setattr(publishing, "_put", changed_meanwhile)
    result = run("publish", plan, "--url", radicale.url, "--user", radicale.user, "--split", "none",
                 "--report", "json", "--lang", "en")  # fmt: skip
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["calendars"][0]["conflicts"] == [WALK]
    assert report["writes"] == 0
    assert result.stderr.splitlines()[-1] == (
        f"tripplan: 1 event was changed on the server since it was read and was left as it is: "
        f"{WALK}; run again to publish over the new state, or with --force to overwrite it"
    )


# -- a programme stays in its own events (#22.4) --------------------------------------------


def _programme_b(tmp: Path, small: dict[str, Any], *, members: tuple[str, ...]) -> Itinerary:
    """The small plan as another programme (its own uid_domain), whose delegate Ann has the
    id ``bz-stadt`` that the Bautzen plan uses too; ``members`` of its delegation."""
    data = json.loads(json.dumps(small))
    data["programme"]["uid_domain"] = "small.example.org"
    data["delegates"][0]["id"] = "bz-stadt"
    data["delegates"] = [d for d in data["delegates"] if d["id"] in members]
    data["delegations"][0]["members"] = list(members)
    path = tmp / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return build_itinerary(load_plan(path)).select(Filters())


def _everything(server: Running) -> dict[str, dict[str, tuple[str, Calendar]]]:
    """Every tripplan collection of the account: name → UID → (ETag, calendar)."""
    names = [
        str(c.url).rstrip("/").rsplit("/", 1)[-1]
        for c in client(server).get_principal().get_calendars()
    ]
    return {name: stored(server, name) for name in names if name.startswith("tripplan-")}


def test_a_second_programme_leaves_the_first_alone(
    radicale: Running, tmp_path: Path, small: dict[str, Any]
) -> None:
    """Publishing another programme (another uid_domain) into the same account cancels
    nothing of the first, even in a collection both use (a delegate id they share); when it
    drops its delegate, only its own events in that collection are cancelled."""
    do(radicale, itinerary(trip="colloquium"))
    first = _everything(radicale)
    assert all(uid.endswith("@" + DOMAIN) for uid in first["tripplan-delegate-bz-stadt"])

    second = do(radicale, _programme_b(tmp_path, small, members=("bz-stadt", "ben")))
    reports = {c.collection: c for c in second.calendars}
    assert sorted(reports) == ["tripplan-delegate-ben", "tripplan-delegate-bz-stadt"]
    shared = reports["tripplan-delegate-bz-stadt"]
    assert shared.cancelled == [] and shared.added
    assert shared.other_programmes == {DOMAIN: len(first["tripplan-delegate-bz-stadt"])}
    after = _everything(radicale)
    for name, events in first.items():
        for uid, (etag, _) in events.items():
            assert after[name][uid][0] == etag, (name, uid)  # not written, not cancelled

    third = do(radicale, _programme_b(tmp_path, small, members=("ben",)))
    reports = {c.collection: c for c in third.calendars}
    assert sorted(reports) == ["tripplan-delegate-ben", "tripplan-delegate-bz-stadt"]
    assert sorted(reports["tripplan-delegate-bz-stadt"].cancelled) == sorted(shared.added)
    final = _everything(radicale)
    for name, events in first.items():
        for uid, (etag, parsed) in events.items():
            assert final[name][uid][0] == etag, (name, uid)
            assert str(_event(parsed).get("status", "")) != "CANCELLED"
    for uid in shared.added:
        assert str(_event(final["tripplan-delegate-bz-stadt"][uid][1])["status"]) == "CANCELLED"


# -- credentials (#22.5) ---------------------------------------------------------------------


def test_plain_http_is_refused_unless_this_machine_or_insecure_http(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tripplan.errors import UsageError
    from tripplan.export.caldav import check_url

    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    refused = run("publish", "--url", "http://192.0.2.1/dav/", "--user", "coord",
                  "--timeout", "1", "--lang", "en")  # fmt: skip
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[-1] == (
        "tripplan: --url 'http://192.0.2.1/dav/' is plain http://, which would send the "
        "password unencrypted to 192.0.2.1; use https://, or give --insecure-http if the "
        "network is really private"
    )
    for url in ("http://localhost:5232/", "http://127.0.0.2/", "http://[::1]:5232/"):
        assert check_url(url) == url
    assert check_url("http://dav.example.org/", insecure_http=True) == "http://dav.example.org/"
    with pytest.raises(UsageError):
        check_url("http://dav.example.org/")


def test_a_redirect_to_plain_http_elsewhere_is_not_followed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The transport checks every request, redirects too: the password never goes out in
    clear to another machine (192.0.2.1 is never contacted)."""
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    with Hostile("redirect", target="http://192.0.2.1/") as hostile:
        result = run("publish", "--url", hostile.url, "--user", "alice", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"tripplan: {hostile.url.rstrip('/')} sent tripplan on to http://192.0.2.1, which is "
        "plain http://; tripplan does not send the password unencrypted (give "
        "--insecure-http if the network is really private)."
    )


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o602])
def test_a_netrc_others_can_read_or_change_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login alice password from-netrc\n")
    netrc.chmod(mode)
    with pytest.raises(OutputError) as refused:
        password_for("http://127.0.0.1:5232/", None, {"NETRC": str(netrc)})
    assert refused.value.message == (
        f"{netrc} can be read or changed by other users (mode {mode:04o}), so its passwords "
        f"are not used; make it private with: chmod 600 {netrc}"
    )
    assert "from-netrc" not in refused.value.message
    monkeypatch.delenv("TRIPPLAN_CALDAV_PASSWORD", raising=False)
    monkeypatch.setenv("NETRC", str(netrc))
    result = run("publish", "--url", "http://127.0.0.1:5232/", "--lang", "en")
    assert result.exit_code == 2 and "chmod 600" in result.stderr
    netrc.chmod(0o600)
    assert password_for("http://127.0.0.1:5232/", None, {"NETRC": str(netrc)}) == (
        "alice",
        "from-netrc",
    )


def test_the_password_never_appears_even_when_the_server_echoes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    for mode in ("echo", "echo-500"):
        with Hostile(mode) as hostile:
            for report in ("text", "json"):
                result = run("publish", "--url", hostile.url, "--user", "alice",
                             "--report", report, "--lang", "en")  # fmt: skip
                assert result.exit_code == 2, result.output
                assert PASSWORD not in result.output
                assert hostile.requests  # it was asked, with the password


# -- a hostile or broken server (#22.6) --------------------------------------------------------

ANSWERS = {
    "malformed": "did not answer as a CalDAV server does (its answer is not a WebDAV XML "
    "document); check the URL.",
    "garbage": "did not answer as a CalDAV server does (its answer is not a WebDAV XML "
    "document); check the URL.",
    "html": "did not answer as a CalDAV server does (its answer is not a WebDAV XML "
    "document); check the URL.",
    "bomb": "answered with XML that declares entities (a DTD), which a CalDAV server never "
    "needs; tripplan does not read it.",
    "html-500": "answered HTTP 500 while finding the calendars.",
    "huge": "sent an answer larger than 16 MiB, so tripplan stopped reading it; is the URL a "
    "CalDAV server?",
    "huge-declared": "sent an answer larger than 16 MiB, so tripplan stopped reading it; is "
    "the URL a CalDAV server?",
    "slow": "did not answer within 1 s.",
}


@pytest.mark.parametrize("mode", sorted(ANSWERS))
def test_a_hostile_server_gives_one_message_naming_it(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    with Hostile(mode) as hostile:
        result = run("publish", "--url", hostile.url, "--user", "alice", "--timeout", "1",
                     "--lang", "en")  # fmt: skip
        assert not hostile.outlasted  # a slow server was left at the timeout, not waited out
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == f"tripplan: {hostile.url.rstrip('/')} {ANSWERS[mode]}"


def test_an_answer_the_caldav_library_cannot_follow_is_a_message(tmp_path: Path) -> None:
    """Well-formed XML of the wrong shape never reaches exit 3, and the library's own log
    lines (tracebacks of its "deviations") do not reach the terminal: one message."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "TRIPPLAN_CALDAV_PASSWORD": PASSWORD, "NETRC": str(tmp_path / "no")}
    with Hostile("odd") as hostile:
        done = subprocess.run(
            [sys.executable, "-m", "tripplan", "publish", str(BUNDLED), "--url", hostile.url,
             "--user", "alice", "--lang", "en"],
            check=False, capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"tripplan: {hostile.url.rstrip('/')} answered an error while finding the calendars.\n"
    )


def test_memory_stays_bounded_on_an_endless_answer() -> None:
    """200 MiB offered; tripplan reads 16 MiB and stops (today: all of it, and more)."""
    import tracemalloc

    with Hostile("huge") as hostile:
        tracemalloc.start()
        try:
            with pytest.raises(OutputError, match="larger than 16 MiB"):
                publish(
                    itinerary(),
                    Server(hostile.url, "alice", PASSWORD, timeout=60),
                    split=Split.delegate,
                    audience=Audience.delegates,
                    lang="en",
                    now=NOW,
                )
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 80 * 1024 * 1024


# -- usage and addresses (#22.9) --------------------------------------------------------------


@pytest.mark.parametrize("seconds", ["inf", "nan", "0", "-1", "1e9"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_a_usage_error(seconds: str) -> None:
    result = run("publish", "--url", "http://127.0.0.1:9/", "--timeout", seconds,
                 "--lang", "en")  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "tripplan: --timeout must be a number of seconds above 0 and at most 3600"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [("http://[::1", "Invalid IPv6 URL"), ("http://127.0.0.1:99999/", "Port out of range 0-65535")],
)
def test_a_malformed_url_is_a_message(url: str, reason: str) -> None:
    result = run("publish", "--url", url, "--user", "alice", "--lang", "en")
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[-1]
        == f"tripplan: --url {url!r} is not a valid address ({reason})"
    )


def test_https_to_a_plain_http_server_says_it_speaks_no_tls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    with Hostile("html") as hostile:
        url = hostile.url.replace("http://", "https://")
        result = run("publish", "--url", url, "--user", "alice", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"tripplan: {url.rstrip('/')} does not speak TLS (https); check the address: is it "
        "an http:// server, or another port?"
    )


def test_a_401_from_a_redirect_target_names_the_host_that_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    with Hostile("unauthorized") as elsewhere:
        target = f"http://localhost:{elsewhere.port}"
        with Hostile("redirect", target=target + "/") as hostile:
            result = run("publish", "--url", hostile.url, "--user", "alice", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"tripplan: {hostile.url.rstrip('/')} sent tripplan on to {target}, which did not "
        f"accept 'alice' (401); if {target} is the right server, give it as --url."
    )


# -- a dry run shows the change (#22.11) ---------------------------------------------------


def test_a_dry_run_lists_each_event_it_would_add_change_or_cancel(
    radicale: Running, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIPPLAN_CALDAV_PASSWORD", PASSWORD)
    base = ("--url", radicale.url, "--user", radicale.user, "--split", "none")
    first = run("publish", *base, "--dry-run")
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0].startswith("tripplan-all (wird angelegt): 35 würden hinzugefügt, ")
    assert sum(line.startswith("  würde hinzufügen: ") for line in lines) == 35
    assert "  würde hinzufügen: Sa., 21. Apr. 10:00–13:00 EDT Stadterkundung" in lines

    assert run("publish", *base).exit_code == 0
    moved = tmp_path / "moved.toml"
    moved.write_text(_moved_plan(), encoding="utf-8")
    dry = run("publish", moved, *base, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines()[1:] == [
        "  würde ändern: Sa., 21. Apr. 11:00–14:00 EDT Stadterkundung (Zeit)"
    ]
    english = run("publish", moved, *base, "--dry-run", "--report", "json")
    (calendar,) = json.loads(english.stdout)["calendars"]
    assert calendar["changes"] == [
        {
            "uid": WALK,
            "action": "changed",
            "title": "Stadterkundung",
            "start": "2018-04-21T11:00:00-04:00",
            "end": "2018-04-21T14:00:00-04:00",
            "changed": ["time"],
        }
    ]
    gone = tmp_path / "gone.toml"
    gone.write_text(_without_walk(), encoding="utf-8")
    cancel = run("publish", gone, *base, "--dry-run")
    assert cancel.stdout.splitlines()[1:] == [
        "  würde absagen: Sa., 21. Apr. 10:00–13:00 EDT Stadterkundung"
    ]
    assert stored(radicale, "tripplan-all")[WALK][1] is not None  # nothing was written


def test_the_json_report_of_publish_is_built_in_render_from_the_result() -> None:
    """Every field of a publish result, in the order of ``--report json`` (the result is
    declared once, in tripplan.calendar_reports; render/publish.py writes its document)."""
    from zoneinfo import ZoneInfo

    from tripplan.calendar_reports import CollectionReport, EventChange, FileReport
    from tripplan.render.publish import report_json

    start = datetime(2018, 11, 3, 10, tzinfo=ZoneInfo("America/New_York"))
    events = FileReport("bz-stadt.ics", added=["a@x"], changed=["c@x"], cancelled=["d@x"])
    events.unchanged = 4
    report = CollectionReport(
        "tripplan-delegate-bz-stadt", "Reiseplan", events, url="https://dav/c/", created=True,
        foreign=2, other_programmes={"z.org": 1, "b.org": 3}, conflicts=["e@x"],
        overwritten=["f@x"],
    )  # fmt: skip
    report.changes.append(EventChange(report.collection, "a@x", "added", "Walk", start, None))
    report.changes.append(
        EventChange(report.collection, "c@x", "changed", "Talk", start.date(), None, ("time",))
    )
    result = PublishResult("https://dav/", [report], 3, False, ["tour/later"])
    assert json.loads(report_json(result)) == {
        "url": "https://dav/",
        "dry_run": False,
        "writes": 3,
        "calendars": [
            {
                "collection": "tripplan-delegate-bz-stadt",
                "display_name": "Reiseplan",
                "url": "https://dav/c/",
                "created": True,
                "added": ["a@x"],
                "changed": ["c@x"],
                "cancelled": ["d@x"],
                "unchanged": 4,
                "foreign": 2,
                "other_programmes": {"b.org": 3, "z.org": 1},
                "changes": [
                    {"uid": "a@x", "action": "added", "title": "Walk",
                     "start": "2018-11-03T10:00:00-04:00", "end": None, "changed": []},
                    {"uid": "c@x", "action": "changed", "title": "Talk", "start": "2018-11-03",
                     "end": None, "changed": ["time"]},
                ],
                "conflicts": ["e@x"],
                "overwritten": ["f@x"],
            }
        ],
        "not_placed": ["tour/later"],
    }  # fmt: skip
    (calendar,) = json.loads(report_json(result))["calendars"]
    assert list(calendar["other_programmes"]) == ["b.org", "z.org"]
    assert list(calendar) == [
        "collection", "display_name", "url", "created", "added", "changed", "cancelled",
        "unchanged", "foreign", "other_programmes", "changes", "conflicts", "overwritten",
    ]  # fmt: skip


def test_dry_run_lines_keep_plan_text_inert_on_a_terminal() -> None:
    """A title is plan text: escape sequences and bidi controls never reach the terminal.
    The walk is on the Saturday before the US switch back (America/New_York, EDT)."""
    from zoneinfo import ZoneInfo

    from tripplan.calendar_reports import CollectionReport, EventChange, FileReport
    from tripplan.render.publish import report_lines

    zone = ZoneInfo("America/New_York")
    start, end = datetime(2018, 11, 3, 10, tzinfo=zone), datetime(2018, 11, 3, 13, tzinfo=zone)
    title = "Walk\x1b]8;;https://evil.example\x07 here\x1b]8;;\x07\u202e\x1b[2J"
    report = CollectionReport("tripplan-all", "x", FileReport("all.ics"), url="u")
    report.events.added.append("tour.walk@x")
    report.changes.append(EventChange("tripplan-all", "tour.walk@x", "added", title, start, end))
    lines = report_lines(PublishResult("u", [report], 0, True, []), "en")
    assert lines == [
        "tripplan-all: 1 would add, 0 would change, 0 would cancel, 0 unchanged",
        "  would add: Sat, Nov 3 10:00–13:00 EDT Walk here\ufffd",
    ]


def test_what_changed_is_read_from_the_two_events() -> None:
    from tripplan.export.caldav import event_change

    def vevent(**props: str) -> str:
        lines = {"UID": "tour.walk@x", "DTSTAMP": "20180301T120000Z", "SEQUENCE": "0",
                 "DTSTART;TZID=Europe/Berlin": "20180325T010000",
                 "DTEND;TZID=Europe/Berlin": "20180325T040000", "SUMMARY": "Walk",
                 "LOCATION": "Market", **props}  # fmt: skip
        body = "".join(f"{k}:{v}\r\n" for k, v in lines.items())
        return f"BEGIN:VEVENT\r\n{body}END:VEVENT\r\n"

    old = vevent()
    moved = event_change("c", "tour.walk@x", "changed", vevent(SUMMARY="Tour", LOCATION="Hall",
                         SEQUENCE="1", DTSTAMP="20180302T120000Z"), old)  # fmt: skip
    assert moved.fields == ("title", "place")
    # across the EU spring switch (Europe/Berlin, 25 Mar 2018): 01:00 CET to 04:00 CEST
    assert isinstance(moved.start, datetime) and isinstance(moved.end, datetime)
    assert moved.start.utcoffset() != moved.end.utcoffset()
    later = event_change(
        "c",
        "tour.walk@x",
        "changed",
        vevent(**{"DTEND;TZID=Europe/Berlin": "20180325T050000", "DESCRIPTION": "Bring shoes"}),
        old,
    )
    assert later.fields == ("time", "description")
    same = event_change("c", "tour.walk@x", "changed", vevent(SEQUENCE="3"), old)
    assert same.fields == ("other",)
    added = event_change("c", "tour.walk@x", "added", old, None)
    assert (added.title, added.fields) == ("Walk", ())


def test_a_name_with_control_characters_still_makes_its_calendar(
    radicale: Running, tmp_path: Path
) -> None:
    """The collection's display name is as inert as a calendar file's name: a delegate or
    programme name with a NUL, an escape sequence, a bidi override or U+FFFF made the
    MKCALENDAR body unwritable ("answered in a way the CalDAV library could not follow")."""
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace(
        'name = "Vertreter·in Stadtverwaltung Bautzen"',
        'name = "Stadt\\u0000 \\u001b[31mrot \\u202eRLO \\uffff Ende"',
        1,
    )
    assert "\\u202eRLO" in text
    result = do(radicale, itinerary(text, tmp_path, trip="colloquium"))
    assert result.writes > 0
    (calendar,) = [
        c
        for c in client(radicale).get_principal().get_calendars()
        if str(c.url).rstrip("/").endswith("/tripplan-delegate-bz-stadt")
    ]
    name = str(calendar.get_display_name())
    assert "Stadt\ufffd rot \ufffdRLO \ufffd Ende" in name  # the escape removed whole


def test_events_left_as_changed_are_counted_in_both_languages() -> None:
    from tripplan.render.i18n import translate
    from tripplan.render.publish import left_as_changed, not_published

    two = left_as_changed(["a@x", "b@x"])
    assert translate(two, Lang.en) == (
        "2 events were changed on the server since they were read and were left as they "
        "are: a@x, b@x; run again to publish over the new state, or with --force to "
        "overwrite them"
    )
    assert translate(two, Lang.de).startswith(
        "2 Termine wurden auf dem Server geändert, seit sie gelesen wurden, und blieben"
    )
    assert translate(not_published(["tour/x"]), Lang.en) == ("not published, no time yet: tour/x")
