"""A small on-disk cache of public reference data; never of plans or personal data.

Public holidays of a country and year and airports by IATA code come from well-kept
packages (``holidays``, ``airportsdata``) whose import and set-up cost more than the rest of
a typical command. Their answers depend only on the installed package and the question, so
each answer is kept as one JSON file in ``$TRIPPLAN_CACHE_DIR`` (default:
``$XDG_CACHE_HOME/tripplan`` or ``~/.cache/tripplan``), named
``<package>-<installation>-<question>.json``.

The folder is trusted only while it is safe, checked on every use: a real directory (not a
symbolic link), owned by the user, writable by nobody else. It is created with mode 0700.
Otherwise the cache is skipped silently and every answer is computed. Files are opened
without following symbolic links, must be regular files of the user's, and their content
must have the shape the caller expects; anything else is computed again. Pruning and
``tripplan cache clear`` remove only names this module writes. An empty
``TRIPPLAN_CACHE_DIR`` switches the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tripplan.errors import OutputError
from tripplan.files import atomic_write, is_temporary

PACKAGES = ("airportsdata", "holidays", "babel")
MAX_FILE = 1024 * 1024
_KEY = r"[A-Za-z0-9_.-]{1,80}"
"""A question's key, as it stands in the file's name."""
_NAME = re.compile(rf"^(airportsdata|holidays|babel)-([0-9a-f]{{16}})-{_KEY}\.json$")


def cache_dir() -> Path | None:
    """The configured cache folder, or None when the cache is switched off."""
    configured = os.environ.get("TRIPPLAN_CACHE_DIR")
    if configured == "":
        return None  # caching switched off
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tripplan"


def safe_dir(directory: Path) -> bool:
    """Whether ``directory`` may hold the cache: a real directory of ours that only we write."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _usable_dir(create: bool) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    if create and not os.path.lexists(directory):
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            directory.mkdir(mode=0o700)
        except OSError:
            return None
    return directory if safe_dir(directory) else None


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


def _read(path: Path) -> Any:
    """The JSON in ``path``: a regular file of ours, not followed through a link; else raise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise ValueError("not a cache file of ours")
        if info.st_size > MAX_FILE:
            raise ValueError("too large")
        return json.loads(handle.read(MAX_FILE + 1))


def cached(package: str, key: str, compute: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """``compute()``, remembered on disk per installation of ``package`` and ``key``.

    ``valid`` says whether a value read back has the shape ``compute`` gives; a value
    that does not is computed again.
    """
    assert package in PACKAGES and re.fullmatch(_KEY, key), key
    directory = _usable_dir(create=False)
    stamp = package_stamp(package)
    name = f"{package}-{stamp}-{key}.json"
    if directory is not None:
        try:
            value = _read(directory / name)
        except (OSError, ValueError):
            pass
        else:
            if valid(value):
                return value
    value = compute()
    directory = _usable_dir(create=True)
    if directory is None:
        return value
    with contextlib.suppress(OSError, OutputError):
        _prune(directory, package, stamp)
        payload = json.dumps(value, ensure_ascii=False).encode("utf-8")
        atomic_write(directory / name, payload, mode=0o600, follow_links=False)
    return value


def _prune(directory: Path, package: str, stamp: str) -> None:
    """Remove answers of earlier installations of ``package``: only names we write."""
    for entry in os.scandir(directory):
        match = _NAME.match(entry.name)
        if match and match.group(1) == package and match.group(2) != stamp:
            os.unlink(entry.path)


def _remove_ours(folder: Path, names: re.Pattern[str]) -> int:
    """Remove the regular files in ``folder`` named like ``names`` or like tripplan's
    temporary files, then the folder if that empties it. Returns how many went."""
    removed = 0
    for entry in os.scandir(folder):
        if (names.match(entry.name) or is_temporary(entry.name)) and entry.is_file(
            follow_symlinks=False
        ):
            os.unlink(entry.path)
            removed += 1
    with contextlib.suppress(OSError):
        folder.rmdir()
    return removed


def clear() -> tuple[Path | None, int]:
    """Remove every file this cache wrote.

    Returns the folder and how many files were removed. Files of other programs in the
    folder are left alone; the folder itself is removed when that leaves it empty.
    """
    directory = cache_dir()
    if directory is None or not safe_dir(directory):
        return directory, 0
    return directory, _remove_ours(directory, _NAME)
