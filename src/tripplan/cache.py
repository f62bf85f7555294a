"""A small on-disk cache for reference data that is slow to compute and never changes.

Public holidays of a country and year, and airports by IATA code, come from well-kept
packages (``holidays``, ``airportsdata``) whose import and set-up cost more than the rest of a
typical command. Their answers depend only on the package version and the question, so
tripplan keeps them in ``$TRIPPLAN_CACHE_DIR`` (default: ``$XDG_CACHE_HOME/tripplan`` or
``~/.cache/tripplan``), one JSON file per question, written atomically. When the directory
cannot be written the cache is skipped, never an error. No personal data is ever cached.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    configured = os.environ.get("TRIPPLAN_CACHE_DIR")
    if configured == "":
        return None  # caching switched off
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tripplan"


def _package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def cached(package: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered on disk per version of ``package`` and ``key``."""
    directory = cache_dir()
    if directory is None:
        return compute()
    path = directory / f"{package}-{_package_version(package)}-{key}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass
    return value
