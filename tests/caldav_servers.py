"""Real CalDAV servers for the tests, started on 127.0.0.1 on a free port.

* Radicale, with htpasswd authentication and a rights file: ``alice`` may write her own
  calendars, ``reader`` may only read his.
* Xandikos, an independent implementation, over TLS with a certificate made here for
  127.0.0.1 (the tests verify it with ``--ca-bundle``) and HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


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


def start_radicale(tmp: Path, users: tuple[str, ...] = ("alice",)) -> Running:
    """Radicale; each of ``users`` may write their own calendars, ``reader`` only read."""
    tmp.mkdir(parents=True, exist_ok=True)
    htpasswd = tmp / "users"
    htpasswd.write_text("".join(f"{u}:{PASSWORD}\n" for u in (*users, "reader")))
    rights = tmp / "rights"
    rights.write_text(RIGHTS + "".join(WRITER.format(name=u) for u in users))
    port = free_port()
    log = tmp / "radicale.log"
    process = subprocess.Popen(
        [
            _script("radicale"),
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(tmp / "storage"),
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
    return Running("radicale", f"http://127.0.0.1:{port}/", "/alice/", process, None, tmp)


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
    port = free_port()
    log = tmp / "xandikos.log"
    process = subprocess.Popen(
        [
            _script("xandikos"),
            "serve",
            "-d",
            str(tmp / "data"),
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
    return Running("xandikos", f"https://127.0.0.1:{port}/", "/alice/calendars/", process, pem, tmp)


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
    * ``unauthorized``: 401 with a Basic challenge, for every request.

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
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
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
