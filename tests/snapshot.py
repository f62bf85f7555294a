"""Golden-file comparison: ``UPDATE_SNAPSHOTS=1 uv run pytest`` rewrites them."""

from __future__ import annotations

import os
from pathlib import Path

SNAPSHOTS = Path(__file__).parent / "snapshots"


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def assert_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(_normal(actual), encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; write it with UPDATE_SNAPSHOTS=1"
    expected = path.read_text(encoding="utf-8")
    assert _normal(actual) == expected, f"output differs from {path}"
