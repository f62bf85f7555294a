"""Real CalDAV servers for the tests, started on 127.0.0.1 on a free port.

* Radicale, with htpasswd authentication and a rights file: ``alice`` may write her own
  calendars, ``reader`` may only read his.
* Xandikos, an independent implementation, over TLS with a certificate made here for
  127.0.0.1 (the tests verify it with ``--ca-bundle``) and HTTP Basic authentication.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

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
