"""Real CalDAV servers for the tests, started on 127.0.0.1 on a free port.

* Radicale, with htpasswd authentication and a rights file: ``alice`` (and each of the
  fresh accounts) may write her own calendars, ``reader`` may only read his.
* Xandikos, an independent implementation, over TLS with a certificate made here for
  127.0.0.1 (the tests verify it with ``--ca-bundle``) and HTTP Basic authentication.
* :class:`Hostile`, a small threaded HTTP server that answers like a broken or hostile one.

The fixtures ``radicale_server`` and ``xandikos_server`` start each real server once per test
session (starting one costs a second or two, publishing into it is what takes time); a test
isolates itself with :meth:`Running.fresh`, which hands it a Radicale account nobody used
yet, or, on Xandikos (one principal only), by deleting tripplan's collections first.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "s3cret-pw"
RIGHTS = """\
[root]
user: .+
collection:
permissions: R

[reader-principal]
user: reader
collection: {user}
permissions: RW

[reader-calendars]
user: reader
collection: {user}/[^/]+
permissions: r
"""


@dataclass
class Running:
    name: str
    url: str
    home: str  # alice's calendar home, as a path
    process: subprocess.Popen[bytes]
    ca_bundle: Path | None = None
    storage: Path | None = None
    data: Path | None = None  # where the server keeps its data (removed at stop if in memory)
    user: str = "alice"  # the account a test publishes as
    spare: list[str] = field(default_factory=list)  # fresh accounts not used yet

    def fresh(self) -> Running:
        """This server as seen from an account no test has used (Radicale), so that a test
        starts with no calendars without deleting any."""
        if not self.spare:
            raise RuntimeError(f"no fresh account left on {self.name}; raise FRESH_USERS")
        user = self.spare.pop(0)
        return replace(self, user=user, home=f"/{user}/", spare=[])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        if self.data is not None and self.data.parent == Path("/dev/shm"):
            shutil.rmtree(self.data, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text(errors='replace')[-2000:]}")


def _fast(tmp: Path) -> Path:
    """Where a server keeps its data: in memory (/dev/shm) when the machine has it, since
    both servers sync every write to disk and the tests write thousands of events; the
    folder goes when the server stops."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        return tmp
    return Path(tempfile.mkdtemp(prefix="tripplan-caldav-", dir=shm))


def _script(name: str) -> str:
    return str(Path(sys.executable).parent / name)


WRITER = """
[{name}-principal]
user: {name}
collection: {{user}}
permissions: RW

[{name}-calendars]
user: {name}
collection: {{user}}/[^/]+
permissions: rw
"""


FRESH_USERS = 40
SESSION_USERS = ("alice", "coordinator")
"""The named accounts of the session's Radicale: ``coordinator`` is the README's, used only
by the test of the README's examples."""
"""Accounts a session's Radicale has for tests that want a fresh one (``Running.fresh``)."""


def start_radicale(tmp: Path, users: tuple[str, ...] = ("alice",), fresh: int = 0) -> Running:
    """Radicale; each of ``users`` (and ``fresh`` more, ``user0``…) may write their own
    calendars, ``reader`` only read."""
    tmp.mkdir(parents=True, exist_ok=True)
    spare = [f"user{n}" for n in range(fresh)]
    users = (*users, *spare)
    htpasswd = tmp / "users"
    htpasswd.write_text("".join(f"{u}:{PASSWORD}\n" for u in (*users, "reader")))
    rights = tmp / "rights"
    rights.write_text(RIGHTS + "".join(WRITER.format(name=u) for u in users))
    data = _fast(tmp)
    port = free_port()
    log = tmp / "radicale.log"
    process = subprocess.Popen(
        [
            _script("radicale"),
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(data / "storage"),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(htpasswd),
            "--auth-htpasswd-encryption",
            "plain",
            "--rights-type",
            "from_file",
            "--rights-file",
            str(rights),
            "--logging-level",
            "warning",
            "--auth-delay",
            "0",  # the first, unauthenticated request is not slowed down
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    _wait(port, process, log)
    url = f"http://127.0.0.1:{port}/"
    return Running("radicale", url, "/alice/", process, None, tmp, data, spare=spare)


def _certificate(directory: Path) -> Path:
    """A self-signed certificate for 127.0.0.1, as a private CA's would be."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certs = directory / "certs"
    certs.mkdir(parents=True, exist_ok=True)
    (certs / "selfsigned.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    pem = certs / "selfsigned.crt"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pem


def start_xandikos(tmp: Path) -> Running:
    tmp.mkdir(parents=True, exist_ok=True)
    users = tmp / "users"
    digest = base64.b64encode(hashlib.sha1(PASSWORD.encode()).digest()).decode()
    users.write_text(f"alice:{{SHA}}{digest}\n")  # a test password; Xandikos reads {SHA}
    state = tmp / "state"
    pem = _certificate(state)
    data = _fast(tmp)
    port = free_port()
    log = tmp / "xandikos.log"
    process = subprocess.Popen(
        [
            _script("xandikos"),
            "serve",
            "-d",
            str(data / "data"),
            "--defaults",
            "--current-user-principal",
            "/alice/",
            "-l",
            "127.0.0.1",
            "-p",
            str(port),
            "--state-dir",
            str(state),
            "--autocert",
            "--htpasswd",
            str(users),
            "--no-detect-systemd",
        ],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    _wait(port, process, log)
    url = f"https://127.0.0.1:{port}/"
    return Running("xandikos", url, "/alice/calendars/", process, pem, tmp, data)


# -- a hostile or broken server -------------------------------------------------------------

BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lolololololololololol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']>\n<d:multistatus xmlns:d="DAV:"><d:response><d:href>&lol9;</d:href></d:response>'
    b"</d:multistatus>\n"
)
"""The "billion laughs": nine levels of ten entities each, some 3 GB once expanded."""


@dataclass
class Hostile:
    """A small HTTP server on 127.0.0.1 that answers every request as ``mode`` says:

    * ``slow``: a status line, then one byte of headers every 0.2 s (for at most 15 s);
    * ``huge``: an XML answer that never ends (1 MiB blocks, at most ``MAX_HUGE`` of them);
    * ``huge-declared``: a Content-Length of 600 MB (and a few bytes of it);
    * ``malformed``, ``odd``, ``bomb``, ``garbage``, ``html``, ``html-500``: that answer
      to everything;
    * ``redirect``: a 307 to ``target`` (another server), keeping the path;
    * ``unauthorized``: 401 with a Basic challenge, for every request;
    * ``echo``, ``echo-500``: the credentials the client sent, in the page.

    ``outlasted`` becomes true when a slow answer ran to its end (the client never gave up).
    """

    mode: str
    target: str = ""
    port: int = 0
    outlasted: bool = False
    requests: int = 0

    MAX_HUGE = 200

    def __enter__(self) -> Hostile:
        import http.server
        import threading

        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def answer(self) -> None:
                owner.requests += 1
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    owner._answer(self)
                self.close_connection = True

            do_GET = do_PUT = do_PROPFIND = do_REPORT = do_OPTIONS = do_MKCALENDAR = answer

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        # Polled every 50 ms (not the default 500 ms), so leaving the block does not wait for
        # the server's loop to notice: a quarter of a second on every use.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _send(self, handler: Any, status: int, body: bytes, kind: str = "text/xml") -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _answer(self, handler: Any) -> None:
        out = handler.wfile
        if self.mode == "slow":
            out.write(b"HTTP/1.1 207 Multi-Status\r\n")
            for _ in range(75):  # 15 s at most
                out.write(b"X")
                out.flush()
                time.sleep(0.2)
            self.outlasted = True
        elif self.mode == "huge":
            handler.send_response(207)
            handler.send_header("Content-Type", "text/xml")
            handler.send_header("Connection", "close")
            handler.end_headers()
            out.write(b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">')
            block = b"<d:response><d:href>/x</d:href></d:response>" * 23000  # ~1 MiB
            for _ in range(self.MAX_HUGE):
                out.write(block)
        elif self.mode == "huge-declared":
            handler.send_response(207)
            handler.send_header("Content-Type", "text/xml")
            handler.send_header("Content-Length", str(600 * 1024 * 1024))
            handler.end_headers()
            out.write(b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">')
        elif self.mode == "malformed":
            self._send(handler, 207, b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:re')
        elif self.mode == "odd":  # well-formed multistatus, but nothing a client expects
            self._send(handler, 207, b'<d:multistatus xmlns:d="DAV:"><d:x>1</d:x><d:response/>'
                       b"<d:response><d:href/><d:propstat><d:status>HTTP/1.1 999 ?</d:status>"
                       b"</d:propstat></d:response></d:multistatus>")  # fmt: skip
        elif self.mode == "bomb":
            self._send(handler, 207, BOMB)
        elif self.mode == "garbage":
            self._send(handler, 207, bytes(range(256)) * 40, "application/octet-stream")
        elif self.mode == "html":
            page = b"<html><head><title>Log in</title></head><body><form></form></body></html>"
            self._send(handler, 200, page, "text/html")
        elif self.mode == "html-500":
            page = b"<html><body><h1>Internal Server Error</h1><p>Traceback ...</p></body></html>"
            self._send(handler, 500, page, "text/html")
        elif self.mode in ("echo", "echo-500"):  # tells the client its own credentials
            sent = handler.headers.get("Authorization", "none").split()[-1]
            try:
                said = base64.b64decode(sent).decode("utf-8", "replace")
            except ValueError:
                said = sent
            page = f"<html><body>you are {said}</body></html>".encode()
            self._send(handler, 500 if self.mode == "echo-500" else 207, page)
        elif self.mode == "redirect":
            handler.send_response(307)
            handler.send_header("Location", self.target.rstrip("/") + handler.path)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        elif self.mode == "unauthorized":
            handler.send_response(401)
            handler.send_header("WWW-Authenticate", 'Basic realm="elsewhere"')
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            raise AssertionError(self.mode)


# -- fixtures: each real server once per session ------------------------------------------


@pytest.fixture(scope="session", name="radicale_server")
def radicale_server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One Radicale for the whole session; take an account with ``.fresh()``."""
    running = start_radicale(
        tmp_path_factory.mktemp("radicale"), users=SESSION_USERS, fresh=FRESH_USERS
    )
    yield running
    running.stop()


@pytest.fixture(scope="session", name="xandikos_server")
def xandikos_server_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """One Xandikos (TLS) for the whole session; one principal, ``alice``."""
    running = start_xandikos(tmp_path_factory.mktemp("xandikos"))
    yield running
    running.stop()
