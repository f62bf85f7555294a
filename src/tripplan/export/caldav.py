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

Publishing stays in its own programme: an event is tripplan's to change only when its UID
ends in this plan's ``uid_domain`` (``@<uid_domain>``); events of another programme (another
domain) and events tripplan did not create are counted and never touched, even in a
collection of the same name.

Credentials never come from the command line or the plan: see :func:`password_for` and
:func:`check_url`. Every HTTP exchange goes through :class:`_BoundedAdapter`: each request
ends at ``--timeout`` as a whole (not per read), each answer is read up to
:data:`MAX_RESPONSE_BYTES`, XML answers are parsed without DTDs or entities, and nothing is
sent over plain HTTP to a host that is not this machine unless ``insecure_http``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, urlsplit

from tripplan.calendar_reports import CollectionReport, EventChange, MergeAction, PublishResult
from tripplan.errors import OutputError, UsageError
from tripplan.export.ics import (
    CalendarSpec,
    OldEvent,
    UidScheme,
    calendar_specs,
    default_uid_scheme,
    event_resource,
    keep_identities,
    merge_events,
    read_events,
    reader_lang,
    uid_domain,
)
from tripplan.itinerary import Itinerary
from tripplan.messages import Message, msg
from tripplan.render.marks import CALENDAR, is_ours
from tripplan.vocabulary import Audience, Lang, Split

if TYPE_CHECKING:
    from caldav.collection import Calendar
    from caldav.davclient import DAVClient

PASSWORD_VARIABLE = "TRIPPLAN_CALDAV_PASSWORD"
COLLECTION_PREFIX = "tripplan-"
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
"""The most tripplan reads of one answer of a server (16 MiB, some 5000 events); more
ends the run with a message, so that a broken or hostile server cannot exhaust memory."""
MAX_TIMEOUT = 3600.0
"""The longest ``--timeout`` (seconds): one hour for one request is already generous."""
T = TypeVar("T")


@dataclass(frozen=True)
class Server:
    """Where to publish and as whom. The password is never printed or reported."""

    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_bundle: Path | None = None
    timeout: float = 30.0  # seconds for each whole request: connect, send, answer
    insecure_http: bool = False  # plain http:// to a host that is not this machine
    max_response: int = MAX_RESPONSE_BYTES


@dataclass(frozen=True)
class Write:
    """One resource to write: a new event, a changed one, or a cancellation."""

    collection: str
    uid: str
    action: MergeAction  # added, changed or cancelled
    href: str | None  # where the event is now (None: new, at <collection>/<uid>.ics)
    etag: str | None
    body: bytes


_FIELDS = {
    "dtstart": "time",
    "dtend": "time",
    "duration": "time",
    "summary": "title",
    "location": "place",
    "geo": "place",
    "description": "description",
    "status": "status",
}
_FIELD_ORDER = ("time", "title", "place", "description", "status", "other")
_IGNORED = {"dtstamp", "sequence", "uid", "last-modified", "created"}


def event_change(
    collection: str, uid: str, action: MergeAction, new: str, old: str | None
) -> EventChange:
    """What one write does, read from the VEVENT texts (the new one, and the one on the
    server): for a cancellation the new text is the cancelled event."""
    from icalendar import Event as IEvent

    made = IEvent.from_ical(new)
    found: set[str] = set()
    if action == "changed" and old is not None:
        before = IEvent.from_ical(old)
        for key in set(made) | set(before):
            if key.lower() not in _IGNORED and made.get(key) != before.get(key):
                found.add(_FIELDS.get(key.lower(), "other"))
        alarms = [c.to_ical() for c in made.subcomponents]
        if alarms != [c.to_ical() for c in before.subcomponents]:
            found.add("other")
    fields = [name for name in _FIELD_ORDER if name in found]
    if action == "changed" and not fields:
        fields = ["other"]  # something only the text shows (folding aside): say so

    def when(key: str) -> datetime | date | None:
        value = made.decoded(key) if key in made else None
        return value if isinstance(value, (datetime, date)) else None

    return EventChange(
        collection, uid, action, str(made.get("summary", "")), when("dtstart"), when("dtend"),
        tuple(fields),
    )  # fmt: skip


class PublishError(OutputError):
    """Publishing stopped: the server cannot be reached, refused, or failed midway."""


# -- the server's address and credentials ------------------------------------------------


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (``localhost``, 127.0.0.0/8, ::1): the only hosts
    that get a password over plain HTTP without ``--insecure-http``."""
    import ipaddress

    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, insecure_http: bool = False) -> str:
    """``url`` if it can be a CalDAV server's address, else a :class:`UsageError` that says
    why: only https:// (http:// to this machine, or with ``insecure_http``), a host, a port
    that exists, no user name or password in it."""
    if not url.startswith(("http://", "https://")):
        raise UsageError(
            msg("--url must start with https:// (or http://), not {url}", url=f"{url!r}")
        )
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port
    except ValueError as exc:
        raise UsageError(
            msg("--url {url} is not a valid address ({reason})", url=f"{url!r}", reason=str(exc))
        ) from None
    if not host:
        raise UsageError(msg("--url {url} names no server", url=f"{url!r}"))
    if parts.username or parts.password:
        raise UsageError(
            msg(
                "the --url contains a user name or password; give the user with --user "
                "and the password in {password_variable}, in ~/.netrc or at the prompt",
                password_variable=str(PASSWORD_VARIABLE),
            )
        )
    if parts.scheme == "http" and not insecure_http and not is_loopback(host):
        raise UsageError(
            msg(
                "--url {url} is plain http://, which would send the password unencrypted to "
                "{host}; use https://, or give --insecure-http if the network is really "
                "private",
                url=f"{url!r}",
                host=str(host),
            )
        )
    return url


def password_for(
    url: str, user: str | None, environ: dict[str, str]
) -> tuple[str | None, str | None]:
    """The user name and password for ``url``: the password from ``TRIPPLAN_CALDAV_PASSWORD``,
    else from the ``machine`` entry of ``~/.netrc`` (``NETRC`` names another file), which
    may give the user name too. ``(user, None)`` when neither has one: the caller may ask
    on a terminal. Never from the command line or the plan. A netrc file that others may
    read or write, or that belongs to someone else, is refused (as Python's ``netrc`` does
    for ``~/.netrc``)."""
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
    _private(path)
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


def _private(path: str) -> None:
    """Refuse a netrc file others could read or change, or that is not the user's own."""
    import stat

    if os.name != "posix":
        return
    try:
        status = os.stat(path)
    except OSError:
        return
    if status.st_uid != os.getuid():
        raise PublishError(
            msg(
                "{path} belongs to another user, so its passwords are not used; it must be "
                "your own file (or set {variable})",
                path=str(path),
                variable=PASSWORD_VARIABLE,
            )
        )
    if status.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PublishError(
            msg(
                "{path} can be read or changed by other users (mode {mode}), so its passwords "
                "are not used; make it private with: chmod 600 {path}",
                path=str(path),
                mode=f"{stat.S_IMODE(status.st_mode):04o}",
            )
        )


# -- the transport: every HTTP exchange, bounded ---------------------------------------------


class _Refused(Exception):
    """An answer (or a request) the transport does not let through, by ``reason``:
    ``too-large``, ``not-xml``, ``dtd`` (an XML answer with a DTD: entities, a bomb) or
    ``plain-http`` (a redirect to plain HTTP). Turned into a message by
    :func:`_server_errors`; never quotes the answer."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url


_XML_METHODS = frozenset({"PROPFIND", "REPORT"})


def _check_xml(body: bytes, url: str) -> None:
    """Refuse an answer to PROPFIND or REPORT that is not a WebDAV multistatus document,
    or that has a DTD (entity declarations: a "billion laughs" bomb, external files). Read
    with expat, which never expands an entity here because the DTD is refused first."""
    from xml.parsers import expat

    root: list[str] = []

    def doctype(*_: object) -> None:
        raise _Refused("dtd", url)

    def start(name: str, _: object) -> None:
        if not root:
            root.append(name)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = start
    try:
        parser.Parse(body, True)
    except expat.ExpatError:
        raise _Refused("not-xml", url) from None
    if root != ["DAV: multistatus"]:
        raise _Refused("not-xml", url)


def _bounded_adapter(server: Server) -> Any:
    """A niquests transport adapter for ``server``: the layer where caldav's requests are
    sent (caldav talks HTTP through a niquests ``Session``). For each request it

    * refuses plain HTTP to another machine unless ``server.insecure_http`` (redirects too);
    * ends the whole request (connect, send, headers, body) at ``server.timeout``: a timer
      shuts the connection's socket down, so a server that sends one byte a second cannot
      hold on by resetting a per-read timeout;
    * reads the answer itself, at most ``server.max_response`` bytes (no compression asked);
    * checks that an answer to PROPFIND or REPORT is a multistatus document without a DTD;
    * remembers the last address that answered 401, for the message.
    """
    import socket
    import threading

    import niquests
    from niquests.adapters import HTTPAdapter

    class _BoundedAdapter(HTTPAdapter):
        refused_by: str | None = None  # the last URL that answered 401

        def _sockets(self) -> list[socket.socket]:
            """The sockets of every connection this adapter holds (one request at a time)."""
            found: list[socket.socket] = []
            managers = [self.poolmanager, *getattr(self, "proxy_manager", {}).values()]
            for manager in managers:
                pools = getattr(getattr(manager, "pools", None), "_registry", {})
                for pool in list(pools.values()):
                    conns = getattr(getattr(pool, "pool", None), "_registry", {})
                    for conn in list(conns.values()):
                        sock = getattr(conn, "sock", None)
                        if isinstance(sock, socket.socket):
                            found.append(sock)
            return found

        def _expire(self, expired: threading.Event) -> None:
            expired.set()
            for sock in self._sockets():
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

        def send(
            self, request: niquests.PreparedRequest, *args: Any, **kwargs: Any
        ) -> niquests.Response:
            url = request.url or ""
            parts = urlsplit(url)
            plain = parts.scheme == "http" and not server.insecure_http
            if plain and not is_loopback(parts.hostname):
                raise _Refused("plain-http", url)
            if request.headers is not None:
                request.headers["Accept-Encoding"] = "identity"
            kwargs["stream"] = True
            kwargs["timeout"] = server.timeout
            expired = threading.Event()
            timer = threading.Timer(server.timeout, self._expire, (expired,))
            timer.daemon = True
            timer.start()
            try:
                response = super().send(request, *args, **kwargs)
                body = self._read(response, url)
            except _Refused:
                raise
            except Exception:
                if expired.is_set():
                    raise niquests.exceptions.ReadTimeout(request=request) from None
                raise
            finally:
                timer.cancel()
            if expired.is_set():
                raise niquests.exceptions.ReadTimeout(request=request)
            response._content = body
            response._content_consumed = True
            status = response.status_code or 0
            if status == 401:
                self.refused_by = url
            if request.method in _XML_METHODS and 200 <= status < 300:
                _check_xml(body, url)
            return response

        def _read(self, response: niquests.Response, url: str) -> bytes:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > server.max_response:
                response.close()
                raise _Refused("too-large", url)
            raw = response.raw
            if raw is None:
                return b""
            chunks: list[bytes] = []
            size = 0
            while chunk := raw.read(64 * 1024, decode_content=True):
                size += len(chunk)
                if size > server.max_response:
                    response.close()
                    raise _Refused("too-large", url)
                chunks.append(chunk)
            return b"".join(chunks)

    return _BoundedAdapter(max_retries=0, disable_http3=True)


# -- talking to the server ---------------------------------------------------------------


@dataclass
class _Progress:
    """How far a run got, for the message when it stops: ``doing`` is the current step."""

    doing: Message = field(default_factory=lambda: msg("finding the calendars"))
    done: int = 0
    total: int = 0


@contextmanager
def _server_errors(server: Server, state: _Progress, adapter: Any = None) -> Iterator[None]:
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
    except _Refused as refused:
        raise fail(_refusal(refused, where, server)) from None
    except niquests.exceptions.SSLError as exc:
        if _speaks_no_tls(exc):
            raise fail(
                msg(
                    "{server} does not speak TLS (https); check the address: is it an "
                    "http:// server, or another port?",
                    server=where,
                )
            ) from None
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
    except (AssertionError, AttributeError, IndexError, KeyError, ValueError, TypeError) as exc:
        if not _from_library(exc):
            raise  # a bug of tripplan's: exit 3, as it should
        raise fail(
            msg(
                "{server} answered in a way the CalDAV library could not follow while "
                "{doing}; is the URL a CalDAV server?",
                server=where,
                doing=state.doing,
            )
        ) from None
    except KeyboardInterrupt:
        if not state.done:
            raise
        raise fail(msg("interrupted while {doing}.", doing=state.doing)) from None
    except error.DAVError as exc:
        refused_by = getattr(adapter, "refused_by", None)
        if exc.status == 401 and refused_by and _display_url(refused_by) != where:
            raise fail(
                msg(
                    "{server} sent tripplan on to {target}, which did not accept {user} (401); "
                    "if {target} is the right server, give it as --url.",
                    server=where,
                    target=_display_url(refused_by),
                    user=_user(server),
                )
            ) from None
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
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}"


def _from_library(exc: BaseException) -> bool:
    """Whether ``exc`` was raised inside the caldav library or its XML parser (reading a
    server's answer it did not expect), rather than in tripplan."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return False
    innermost = Path(frames[-1].filename).parts
    return "caldav" in innermost or "lxml" in innermost or "niquests" in innermost


def _speaks_no_tls(exc: Exception) -> bool:
    """Whether a TLS failure means that the other end answered in plain text (an http://
    server behind an https:// address), not that its certificate is wrong."""
    text = str(exc).lower()
    return any(
        sign in text
        for sign in ("wrong version number", "wrong_version_number", "record layer failure",
                     "unknown protocol", "http request", "packet length too long")
    )  # fmt: skip


def _refusal(refused: _Refused, where: str, server: Server) -> Message:
    if refused.reason == "too-large":
        return msg(
            "{server} sent an answer larger than {limit} MiB, so tripplan stopped reading it; "
            "is the URL a CalDAV server?",
            server=where,
            limit=server.max_response // (1024 * 1024) or 1,
        )
    if refused.reason == "plain-http":
        return msg(
            "{server} sent tripplan on to {target}, which is plain http://; tripplan does not "
            "send the password unencrypted (give --insecure-http if the network is really "
            "private).",
            server=where,
            target=_display_url(refused.url),
        )
    if refused.reason == "dtd":
        return msg(
            "{server} answered with XML that declares entities (a DTD), which a CalDAV server "
            "never needs; tripplan does not read it.",
            server=where,
        )
    return msg(
        "{server} did not answer as a CalDAV server does (its answer is not a WebDAV XML "
        "document); check the URL.",
        server=where,
    )


def _user(server: Server) -> str | Message:
    return repr(server.user) if server.user else msg("this account")


def _status(exc: Exception) -> str | Message:
    status = getattr(exc, "status", None)
    return f"HTTP {status}" if status else msg("an error")


def _client(server: Server, adapter: Any) -> DAVClient:
    """caldav's client, talking HTTP only through ``adapter`` (:func:`_bounded_adapter`)."""
    from caldav.davclient import DAVClient

    verify: bool | str = str(server.ca_bundle) if server.ca_bundle else True
    client = DAVClient(
        url=server.url,
        username=server.user,
        password=server.password,
        ssl_verify_cert=verify,
        timeout=server.timeout,  # type: ignore[arg-type]
        enable_rfc6764=False,
    )
    for prefix in ("https://", "http://"):
        client.session.mount(prefix, adapter)
    return client


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
    others: dict[str, int] = field(default_factory=dict)  # another programme's, by domain


def _sync(value: T | Coroutine[Any, Any, T]) -> T:
    """caldav's methods are typed for its async client too; ours is the synchronous one."""
    assert not isinstance(value, Coroutine)
    return value


def _read(calendar: Calendar, domain: str) -> _Held:
    """The events of a collection that belong to this programme (UIDs ending in
    ``@domain``); others are only counted: tripplan's of another programme by their domain,
    and everything else as foreign."""
    held = _Held()
    for item in _sync(calendar.get_events()):
        data = item.data
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data or b"")
        try:
            events = read_events(raw) if is_ours(CALENDAR, raw) else {}
        except (ValueError, KeyError, TypeError, AttributeError):
            events = {}
        if len(events) != 1:
            held.foreign += 1  # not ours, or not one event of ours: never touched
            continue
        ((uid, event),) = events.items()
        other = uid_domain(uid)
        if other != domain:
            held.others[other] = held.others.get(other, 0) + 1  # another programme's
            continue
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
    check_url(server.url, insecure_http=server.insecure_http)
    state = _Progress()
    adapter = _bounded_adapter(server)
    with _server_errors(server, state, adapter):
        client = _client(server, adapter)
        principal = client.get_principal()
        existing = {_last_segment(str(c.url)): c for c in _sync(principal.get_calendars())}
        specs = calendar_specs(itinerary, split)
        produced = {collection_name(spec) for spec in specs}
        prefix = f"{COLLECTION_PREFIX}{split}-"
        domain = itinerary.plan.programme.uid_host
        for name in sorted(existing):
            if split != "none" and name.startswith(prefix) and name not in produced:
                # a delegate or host no longer in the plan: the events this programme put
                # there are cancelled (a collection without any is not this programme's)
                specs.append(CalendarSpec(name, (), split, name.removeprefix(prefix)))
        # ``existing`` is keyed by collection name, as ``collection_name`` gives it
        reports: list[CollectionReport] = []
        writes: list[Write] = []
        made: dict[tuple[object, ...], str] = {}
        for spec in specs:
            name = collection_name(spec)
            calendar = existing.get(name)
            state.doing = msg("reading the calendar {name}", name=name)
            held = _read(calendar, domain) if calendar is not None else _Held()
            if not spec.events and not held.ours:
                continue  # left over, but by another programme (or empty): not ours
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
                other_programmes=held.others,
            )
            reports.append(report)
            for item in merged:
                if item.action == "unchanged":
                    continue
                href, etag, earlier = held.ours.get(item.uid, (None, None, None))
                body = event_resource(itinerary, item.text)
                writes.append(Write(name, item.uid, item.action, href, etag, body))
                old_text = earlier.text if earlier is not None else None
                report.changes.append(
                    event_change(name, item.uid, item.action, item.text, old_text)
                )
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
    report.changes = [change for change in report.changes if change.uid != uid]


def _display_name(
    itinerary: Itinerary, spec: CalendarSpec, lang: Lang, calendar: Calendar | None
) -> str:
    """The collection's display name, as inert as the calendar files' X-WR-CALNAME: a name
    with a control character or U+FFFF made the MKCALENDAR body unwritable."""
    from tripplan.render.escape import inert

    if spec.events or calendar is None:
        return inert(spec.title(itinerary, lang))
    return inert(str(calendar.get_display_name() or spec.filename))  # a calendar left over


def _last_segment(url: str) -> str:
    from urllib.parse import unquote

    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


def _resource_url(collection_url: str, uid: str) -> str:
    return collection_url.rstrip("/") + "/" + quote(uid, safe="") + ".ics"
