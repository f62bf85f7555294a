"""Safe files: atomic writes and file names derived from ids."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from tripplan.errors import OutputError

_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{n}" for n in range(1, 10)),
    *(f"lpt{n}" for n in range(1, 10)),
}


def safe_name(ident: str, suffix: str) -> str:
    """A file name for ``ident`` that stays inside its directory on every system.

    Plan ids are already restricted to letters, digits, ``-``, ``_`` and ``.``;
    this guards the exporters against anything else all the same.
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", ident).strip(".") or "_"
    if stem.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return f"{stem}{suffix}"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half."""
    directory = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"cannot write into {directory}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise


def write_all(directory: Path, files: dict[str, bytes]) -> list[str]:
    """Write several files into ``directory`` all or nothing, as far as a file system allows.

    Every file is first written to a temporary file beside its target; only when all of
    them are complete are they renamed into place. A failure before that leaves every
    earlier file untouched. Files whose bytes are unchanged are not touched at all.
    Returns the names written.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for name, data in files.items():
            target = directory / name
            if target.resolve().parent != directory.resolve():
                raise OutputError(f"refusing to write {name!r} outside {directory}")
            if target.is_file() and target.read_bytes() == data:
                continue
            if target.exists() and not target.is_file():
                raise OutputError(f"{target} is not a file; move it away")
            fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            staged.append((Path(temporary), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException as exc:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write into {directory}: {exc.strerror or exc}") from None
        raise
    for tmp, target in staged:
        os.replace(tmp, target)
    return [target.name for _, target in staged]
