"""Validated plans, remembered so that a repeated command skips validation and pydantic.

Validating a plan imports the whole of pydantic and builds its validators: on a typical plan
that costs more than everything else a command does. A coordinator runs many commands on a
plan that has not changed since the last one, so a plan that validated is stored as the
frozen model objects it became, under a SHA-256 of

* the plan's bytes and its format (TOML or JSON),
* the code that validated it: every module of tripplan, the installed pydantic,
  pydantic-core, airportsdata and tzdata (each by size and modification time of its files
  or package), the Python version, and the system's zone rules (``tzdata.zi`` in each
  ``zoneinfo.TZPATH`` directory).

Any change to any of these gives another key, so a stored plan is never used for a plan or
a tripplan that differs from the one that validated it. Plans with problems are never
stored: every error message comes from a fresh validation. Reading back accepts only the
plan's own classes and date and time values (a restricted unpickler); anything else, or a
broken file, means validating again. Storage rules (owner-only files, the newest
:data:`KEEP` plans) are those of :mod:`tripplan.cache`.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import zoneinfo
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tripplan import models
from tripplan.cache import file_stamp, package_stamp, read_blob, write_blob
from tripplan.models import Plan

KIND = "plans"
KEEP = 16
"""How many validated plans are kept (the most recently validated)."""
FORMAT = 1
"""Bumped when the stored form changes."""
DEPENDENCIES = ("pydantic", "pydantic_core", "airportsdata", "tzdata")

_ALLOWED: dict[tuple[str, str], Any] = {
    ("datetime", cls.__name__): cls for cls in (date, datetime, time, timedelta)
}
_ALLOWED.update(
    (("tripplan.models", name), value)
    for name, value in vars(models).items()
    if isinstance(value, type) and issubclass(value, models.Model) and value is not models.Model
)


def key(raw: bytes, fmt: str) -> str:
    """The cache key of a plan file's bytes read as ``fmt``."""
    digest = hashlib.sha256(f"{FORMAT}\0{fmt}\0{code_fingerprint()}\0".encode())
    digest.update(raw)
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """Sizes and modification times of everything that decides what a valid plan is."""
    parts = [sys.version]
    package = Path(__file__).parent
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        python = sorted(name for name in files if name.endswith(".py"))
        parts.extend(file_stamp(os.path.join(folder, name)) for name in python)
    parts.extend(f"{name}:{package_stamp(name)}" for name in DEPENDENCIES)
    parts.extend(file_stamp(os.path.join(folder, "tzdata.zi")) for folder in zoneinfo.TZPATH)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def load(cache_key: str) -> Plan | None:
    """The plan validated earlier under ``cache_key``, or None."""
    data = read_blob(KIND, cache_key)
    if data is None:
        return None
    try:
        plan = _Unpickler(io.BytesIO(data)).load()
    except Exception:  # a broken or foreign file: validate again
        return None
    return plan if isinstance(plan, Plan) else None


def store(cache_key: str, plan: Plan) -> None:
    write_blob(KIND, cache_key, pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL), KEEP)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[module, name]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a plan") from None
