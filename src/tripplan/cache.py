"""A small on-disk cache for answers that are slow to compute and cannot go stale.

Two kinds of answers are kept in ``$TRIPPLAN_CACHE_DIR`` (default:
``$XDG_CACHE_HOME/tripplan`` or ``~/.cache/tripplan``), written atomically:

* reference data (:func:`cached`): public holidays of a country and year and airports by
  IATA code come from well-kept packages (``holidays``, ``airportsdata``) whose import and
  set-up cost more than the rest of a typical command. Their answers depend only on the
  installed package and the question: one JSON file per question and installation of the
  package (told apart by :func:`file_stamp` of its ``__init__.py``, which costs a ``stat``
  where asking for its version would cost reading every installed distribution).
* validated plans (:func:`read_blob` and :func:`write_blob`, used by
  :mod:`tripplan.plancache`): keyed by a hash of the plan's bytes and of the code that
  validated it. A validated plan holds the delegates' private data, so the directory is
  created readable by its owner only (0700), each file 0600, and only the newest few plans
  are kept.

When the directory cannot be written the cache is skipped, never an error; an empty
``TRIPPLAN_CACHE_DIR`` switches it off.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tripplan.errors import OutputError
from tripplan.files import atomic_write


def cache_dir() -> Path | None:
    configured = os.environ.get("TRIPPLAN_CACHE_DIR")
    if configured == "":
        return None  # caching switched off
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tripplan"


def file_stamp(path: str) -> str:
    """``path:size:mtime``: changes whenever the file is replaced, e.g. by an upgrade."""
    try:
        found = os.stat(path)
    except OSError:
        return f"{path}:-"
    return f"{path}:{found.st_size}:{found.st_mtime_ns}"


def package_stamp(package: str) -> str:
    """A short hash that changes when ``package`` is installed anew (without importing it)."""
    spec = find_spec(package)
    stamp = file_stamp(spec.origin) if spec and spec.origin else "missing"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def cached(package: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered on disk per installation of ``package`` and ``key``."""
    directory = cache_dir()
    if directory is None:
        return compute()
    path = directory / f"{package}-{package_stamp(package)}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(value, ensure_ascii=False).encode("utf-8"))
    except (OSError, OutputError):
        pass
    return value


def read_blob(kind: str, key: str) -> bytes | None:
    """The bytes stored under ``kind/key``, or None (cache off, missing or unreadable)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        return (directory / kind / key).read_bytes()
    except OSError:
        return None


def write_blob(kind: str, key: str, data: bytes, keep: int) -> None:
    """Store ``data`` under ``kind/key`` for the owner only; keep the ``keep`` newest files."""
    directory = cache_dir()
    if directory is None:
        return
    folder = directory / kind
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(folder / key, data)  # a temporary file of mode 0600, renamed
        entries = sorted(
            (entry.stat().st_mtime_ns, entry.name)
            for entry in os.scandir(folder)
            if not entry.name.startswith(".")
        )
        for _, name in entries[:-keep]:
            (folder / name).unlink(missing_ok=True)
    except (OSError, OutputError):
        pass
