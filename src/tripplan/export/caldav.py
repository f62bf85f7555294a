"""Publish an itinerary to a CalDAV server (RFC 4791), kept exactly in step with the plan.

One calendar collection per calendar that ``export-ics`` would write for the same split
(``tripplan-<split>-<id>``), each event a resource of its own named by its UID, with the
same VEVENT text :mod:`tripplan.export.ics` builds: :func:`~tripplan.export.ics.merge_events`
decides what is added, changed (SEQUENCE + 1) and cancelled, for files and servers alike.

Synchronisation is read first, then write, and every write is conditional: a new event is
created with ``If-None-Match: *``, a changed or cancelled one replaced with ``If-Match``
on the ETag read. A 412 means someone changed that event in between: it is reported and
left alone (``force`` overwrites it). Events tripplan did not create (another PRODID or
UID form) are never touched. Publishing an unchanged plan again writes nothing. Each
write is complete on its own, so a run that stops half-way is completed by running it
again.

Credentials never come from the command line or the plan: see :func:`password_for`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlsplit

from tripplan.errors import OutputError
from tripplan.export.ics import (
    CalendarSpec,
    FileReport,
    MergeAction,
    OldEvent,
    UidScheme,
    calendar_specs,
    default_uid_scheme,
    event_resource,
    is_ours,
    keep_identities,
    merge_events,
    read_events,
    reader_lang,
)
from tripplan.itinerary import Itinerary
from tripplan.messages import Message, msg
from tripplan.vocabulary import Audience, Lang, Split

if TYPE_CHECKING:
    from caldav.collection import Calendar
    from caldav.davclient import DAVClient

PASSWORD_VARIABLE = "TRIPPLAN_CALDAV_PASSWORD"
COLLECTION_PREFIX = "tripplan-"
T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    """Where to publish and as whom. The password is never printed or reported."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_bundle: Path | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class Write:
    """One resource to write: a new event, a changed one, or a cancellation."""

    collection: str
    uid: str
    action: MergeAction  # added, changed or cancelled
    href: str | None  # where the event is now (None: new, at <collection>/<uid>.ics)
    etag: str | None
    body: bytes


@dataclass
class CollectionReport:
    """What publishing did (or, dry, would do) in one calendar collection."""

    collection: str  # its stable name, tripplan-<split>-<id>
    display_name: str
    events: FileReport  # what merging added, changed, cancelled and kept (as for a file)
    url: str | None = None  # None: does not exist yet
    created: bool = False
    foreign: int = 0  # events tripplan did not create, left alone
    conflicts: list[str] = field(default_factory=list)  # changed on the server meanwhile
    overwritten: list[str] = field(default_factory=list)  # conflicts overwritten (--force)

    @property
    def added(self) -> list[str]:
        return self.events.added

    @property
    def changed(self) -> list[str]:
        return self.events.changed

    @property
    def cancelled(self) -> list[str]:
        return self.events.cancelled

    @property
    def unchanged(self) -> int:
        return self.events.unchanged

    def as_dict(self) -> dict[str, object]:
        return {
            "collection": self.collection,
            "display_name": self.display_name,
            "url": self.url,
            "created": self.created,
            "added": self.added,
            "changed": self.changed,
            "cancelled": self.cancelled,
            "unchanged": self.unchanged,
            "foreign": self.foreign,
            "conflicts": self.conflicts,
            "overwritten": self.overwritten,
        }


@dataclass
class PublishResult:
    url: str
    calendars: list[CollectionReport]
    writes: int  # resources written (0 for a dry run)
    dry_run: bool
    skipped: list[str]  # events not placed yet, so not published

    @property
    def conflicts(self) -> list[str]:
        return [uid for c in self.calendars for uid in c.conflicts]

    def as_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "dry_run": self.dry_run,
            "writes": self.writes,
            "calendars": [c.as_dict() for c in self.calendars],
            "not_placed": self.skipped,
        }


class PublishError(OutputError):
    """Publishing stopped: the server cannot be reached, refused, or failed midway."""


# -- credentials -----------------------------------------------------------------------


def password_for(
    url: str, user: str | None, environ: dict[str, str]
) -> tuple[str | None, str | None]:
    """The user name and password for ``url``: the password from ``TRIPPLAN_CALDAV_PASSWORD``,
    else from the ``machine`` entry of ``~/.netrc`` (``NETRC`` names another file), which
    may give the user name too. ``(user, None)`` when neither has one: the caller may ask
    on a terminal. Never from the command line or the plan."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise PublishError(
            msg(
                "the --url contains a user name or password; give the user with --user "
                "and the password in {password_variable}, in ~/.netrc or at the prompt",
                password_variable=str(PASSWORD_VARIABLE),
            )
        )
    password = environ.get(PASSWORD_VARIABLE) or None
    if password is not None:
        return user, password
    import netrc

    path = environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return user, None
    try:
        entry = netrc.netrc(path).authenticators(parts.hostname or "")
    except (netrc.NetrcParseError, OSError) as exc:
        line = getattr(exc, "lineno", None)
        raise PublishError(
            msg(
                "{path}{where} cannot be read as a netrc file; fix it, or set {variable}",
                path=str(path),
                where=msg(" (line {line})", line=line) if line else "",
                variable=PASSWORD_VARIABLE,
            )
        ) from None
    if entry is None:
        return user, None
    login, _, secret = entry
    if user is not None and login and login != user:
        return user, None  # the entry is someone else's
    return (user or login or None), (secret or None)


# -- talking to the server ---------------------------------------------------------------


@dataclass
class _Progress:
    """How far a run got, for the message when it stops: ``doing`` is the current step."""

    doing: Message = field(default_factory=lambda: msg("finding the calendars"))
    done: int = 0
    total: int = 0


@contextmanager
def _server_errors(server: Server, state: _Progress) -> Iterator[None]:
    """Turn whatever the network and the server say into one message (exit 2) that says
    what failed and how far publishing got; never quotes a password or a server's page."""
    import niquests
    from caldav.lib import error

    def fail(what: Message) -> PublishError:
        progress: Message | str = msg(" Nothing was written.") if state.total else ""
        if state.done:
            progress = msg(
                " {done} of {total} changes were written before that; run the same command "
                "again to complete the rest.",
                done=state.done,
                total=state.total,
            )
        return PublishError(msg("{what}{progress}", what=what, progress=progress))

    where = _display_url(server.url)
    try:
        yield
    except niquests.exceptions.SSLError:
        raise fail(
            msg(
                "the TLS certificate of {server} could not be verified; if the server uses a "
                "private certificate authority, give its certificate with --ca-bundle.",
                server=where,
            )
        ) from None
    except (niquests.exceptions.Timeout, TimeoutError):
        raise fail(
            msg(
                "{server} did not answer within {seconds} s.",
                server=where,
                seconds=f"{server.timeout:g}",
            )
        ) from None
    except (niquests.exceptions.ConnectionError, ConnectionError, OSError):
        raise fail(
            msg(
                "cannot reach the CalDAV server at {server}; check the URL and the network.",
                server=where,
            )
        ) from None
    except KeyboardInterrupt:
        if not state.done:
            raise
        raise fail(msg("interrupted while {doing}.", doing=state.doing)) from None
    except error.DAVError as exc:
        if exc.status == 401:
            raise fail(
                msg(
                    "{server} did not accept the user name or password of {user} (401).",
                    server=where,
                    user=_user(server),
                )
            ) from None
        if exc.status == 403:
            raise fail(
                msg(
                    "{server} refused {user} permission (403) for {doing}; ask the server's "
                    "administrator for write access to the calendars.",
                    server=where,
                    user=_user(server),
                    doing=state.doing,
                )
            ) from None
        if exc.status == 404:
            raise fail(
                msg(
                    "{server} has no CalDAV calendars for {user} (404 while {doing}); check "
                    "the URL.",
                    server=where,
                    user=_user(server),
                    doing=state.doing,
                )
            ) from None
        raise fail(
            msg(
                "{server} answered {status} while {doing}.",
                server=where,
                status=_status(exc),
                doing=state.doing,
            )
        ) from None


def _display_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"


def _user(server: Server) -> str | Message:
    return repr(server.user) if server.user else msg("this account")


def _status(exc: Exception) -> str | Message:
    status = getattr(exc, "status", None)
    return f"HTTP {status}" if status else msg("an error")


def _client(server: Server) -> DAVClient:
    from caldav.davclient import DAVClient

    verify: bool | str = str(server.ca_bundle) if server.ca_bundle else True
    return DAVClient(
        url=server.url,
        username=server.user,
        password=server.password,
        ssl_verify_cert=verify,
        timeout=int(max(1, server.timeout)),
        enable_rfc6764=False,
    )


def collection_name(spec: CalendarSpec) -> str:
    """The stable name of a calendar's collection: ``tripplan-<split>-<id>`` (a delegate's
    or a host community's), ``tripplan-all`` for the one calendar of ``--split none``."""
    if spec.split == "none":
        return f"{COLLECTION_PREFIX}all"
    return f"{COLLECTION_PREFIX}{spec.split}-{spec.key}"


@dataclass
class _Held:
    """What the server holds of ours in one collection, by UID: (href, etag, event)."""

    ours: dict[str, tuple[str, str | None, OldEvent]] = field(default_factory=dict)
    foreign: int = 0


def _sync(value: T | Coroutine[Any, Any, T]) -> T:
    """caldav's methods are typed for its async client too; ours is the synchronous one."""
    assert not isinstance(value, Coroutine)
    return value


def _read(calendar: Calendar) -> _Held:
    held = _Held()
    for item in _sync(calendar.get_events()):
        data = item.data
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data or b"")
        try:
            events = read_events(raw) if is_ours(raw) else {}
        except (ValueError, KeyError, TypeError, AttributeError):
            events = {}
        if len(events) != 1:
            held.foreign += 1  # not ours, or not one event of ours: never touched
            continue
        ((uid, event),) = events.items()
        held.ours[uid] = (str(item.url), item.etag, event)
    return held


# -- publishing ----------------------------------------------------------------------------


def publish(
    itinerary: Itinerary,
    server: Server,
    *,
    split: Split,
    audience: Audience,
    lang: Lang,
    now: datetime,
    lang_fixed: bool = True,
    dry_run: bool = False,
    force: bool = False,
    uid_scheme: UidScheme | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> PublishResult:
    """Bring the server's calendars in step with ``itinerary`` (see the module doc).

    ``force`` overwrites events changed on the server since they were read, and lets an
    export replace most earlier UIDs (as ``export-ics --force``)."""
    scheme = uid_scheme or default_uid_scheme(itinerary)
    state = _Progress()
    with _server_errors(server, state):
        client = _client(server)
        principal = client.get_principal()
        existing = {_last_segment(str(c.url)): c for c in _sync(principal.get_calendars())}
        specs = calendar_specs(itinerary, split)
        produced = {collection_name(spec) for spec in specs}
        prefix = f"{COLLECTION_PREFIX}{split}-"
        for name in sorted(existing):
            if split != "none" and name.startswith(prefix) and name not in produced:
                # a delegate or host no longer in the plan: their events are cancelled
                specs.append(CalendarSpec(name, (), split, name.removeprefix(prefix)))
        # ``existing`` is keyed by collection name, as ``collection_name`` gives it
        reports: list[CollectionReport] = []
        writes: list[Write] = []
        made: dict[tuple[object, ...], str] = {}
        for spec in specs:
            name = collection_name(spec)
            calendar = existing.get(name)
            state.doing = msg("reading the calendar {name}", name=name)
            held = _read(calendar) if calendar is not None else _Held()
            language = lang if lang_fixed else reader_lang(itinerary, spec, lang)
            display = _display_name(itinerary, spec, language, calendar)
            merged, file_report = merge_events(
                itinerary,
                spec,
                {uid: event for uid, (_, _, event) in held.ours.items()},
                now=now,
                uid_scheme=scheme,
                audience=audience,
                lang=language,
                scope={itinerary.filters.trip} if itinerary.filters.trip else None,
                blocks_made=made,
            )
            report = CollectionReport(
                name,
                display,
                file_report,
                url=str(calendar.url) if calendar is not None else None,
                foreign=held.foreign,
            )
            reports.append(report)
            for item in merged:
                if item.action == "unchanged":
                    continue
                href, etag, _ = held.ours.get(item.uid, (None, None, None))
                body = event_resource(itinerary, item.text)
                writes.append(Write(name, item.uid, item.action, href, etag, body))
        if not force:
            keep_identities(itinerary, [r.events for r in reports], None)
        result = PublishResult(
            server.url, reports, 0, dry_run, [e.uid for e in itinerary.events if not e.placed]
        )
        if dry_run:
            return result
        by_name = {r.collection: r for r in reports}
        state.total = len(writes)
        for report in reports:
            if report.url is None and (report.added or report.changed or report.cancelled):
                state.doing = msg("creating the calendar {name}", name=report.collection)
                calendar = _sync(
                    principal.make_calendar(name=report.display_name, cal_id=report.collection)
                )
                existing[report.collection] = calendar
                report.url, report.created = str(calendar.url), True
        for number, write in enumerate(writes):
            if progress is not None:
                progress(number, len(writes), write.uid)
            url = write.href or _resource_url(str(existing[write.collection].url), write.uid)
            state.doing = msg("writing {uid} into {name}", uid=write.uid, name=write.collection)
            outcome = _put(client, url, write, force)
            report = by_name[write.collection]
            if outcome == "conflict":
                report.conflicts.append(write.uid)
                _undo(report, write.uid)
            else:
                state.done += 1
                result.writes += 1
                if outcome == "overwritten":
                    report.overwritten.append(write.uid)
        if progress is not None:
            progress(len(writes), len(writes), "")
        return result


def _put(client: DAVClient, url: str, write: Write, force: bool) -> str:
    """PUT one resource, conditionally; ``"conflict"`` on 412 unless ``force``."""
    from caldav.lib import error

    headers = {"Content-Type": "text/calendar; charset=utf-8"}
    if write.action == "added":
        headers["If-None-Match"] = "*"
    elif write.etag:
        headers["If-Match"] = write.etag
    body = write.body.decode("utf-8")
    response = client.put(url, body, headers)
    if response.status == 412:
        if not force:
            return "conflict"
        response = client.put(url, body, {"Content-Type": headers["Content-Type"]})
        outcome = "overwritten"
    else:
        outcome = "written"
    if response.status in (401, 403):
        raise error.AuthorizationError(url, str(response.status), status=response.status)
    if response.status >= 300:
        raise error.PutError(url, str(response.status), status=response.status)
    return outcome


def _undo(report: CollectionReport, uid: str) -> None:
    for done in (report.added, report.changed, report.cancelled):
        if uid in done:
            done.remove(uid)


def _display_name(
    itinerary: Itinerary, spec: CalendarSpec, lang: Lang, calendar: Calendar | None
) -> str:
    if spec.events or calendar is None:
        return spec.title(itinerary, lang)
    return str(calendar.get_display_name() or spec.filename)  # a calendar left over


def _last_segment(url: str) -> str:
    from urllib.parse import unquote

    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def _resource_url(collection_url: str, uid: str) -> str:
    return collection_url.rstrip("/") + "/" + quote(uid, safe="") + ".ics"
