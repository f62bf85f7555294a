"""Safe files: atomic writes and file names derived from ids.

Every file tripplan writes is first written to a temporary file beside its target and then
renamed over it, so a reader sees the old file or the new one, never half of one. Temporary
files

* are readable by their owner only (they may hold a whole plan, private data included);
  the file gets its final mode once it has been renamed into place;
* are named ``.<target>.tripplan-<pid>-<random>.tmp``, so that they are recognisable: a
  later run removes those left by a process that no longer runs (``kill -9``, power loss),
  see :func:`sweep`.

A file that exists keeps its mode; a new file gets the mode the user's umask gives (as
``touch`` would), so that a calendar folder can be served by a web server. A symbolic
link to a file is written through: the file it points to is replaced, the link stays.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from tripplan.errors import OutputError
from tripplan.messages import Message, msg

Recognise = Callable[[bytes], bool]
"""Whether a file's bytes (or its first and last megabyte) are one tripplan wrote."""

SAMPLE = 1 << 20
"""How much of a large existing file is read to recognise it: its first and last MiB."""

_WINDOWS_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{n}" for n in range(1, 10)),
    *(f"lpt{n}" for n in range(1, 10)),
}

_TEMPORARY = re.compile(r"^\..+\.tripplan-(\d+)-[0-9a-f]{12}\.tmp$")
STALE_AFTER = 24 * 3600
"""A temporary file this old (seconds) is left over, even if its process id was reused."""


def safe_name(ident: str, suffix: str) -> str:
    """A file name for ``ident`` that stays inside its directory on every system.

    Plan ids are already restricted to letters, digits, ``-``, ``_`` and ``.``;
    this guards the exporters against anything else all the same.
    """
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", ident).strip(".") or "_"
    if stem.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    return f"{stem}{suffix}"


def is_temporary(name: str) -> bool:
    """Whether ``name`` is one of tripplan's temporary files."""
    return _TEMPORARY.match(name) is not None


def sweep(directory: Path) -> list[str]:
    """Remove tripplan's temporary files in ``directory`` whose writer is gone.

    A temporary file is left over when the process named in it no longer runs or when it
    is older than :data:`STALE_AFTER`. Other files are never touched. Returns the names
    removed; any error (a folder that cannot be read) means nothing is removed.
    """
    removed: list[str] = []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMPORARY.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                continue
            if _running(int(match.group(1))) and now - info.st_mtime < STALE_AFTER:
                continue
            os.unlink(entry.path)
            removed.append(entry.name)
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process, or a number no process can have
    return True


def _temporary(directory: Path, name: str) -> tuple[int, Path]:
    """A new temporary file for ``name`` in ``directory``, open for writing, mode 0600."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        path = directory / f".{name}.tripplan-{os.getpid()}-{secrets.token_hex(6)}.tmp"
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue


def default_mode() -> int:
    """The mode a new file gets under the current umask (0644 under the usual 022)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _final_mode(target: Path, mode: int | None) -> int:
    if mode is not None:
        return mode
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return default_mode()


def write_target(path: Path) -> Path:
    """Where writing ``path`` lands: the file a symbolic link points to, else ``path``. A
    link that loops or leads nowhere is refused with one message: tripplan never creates a
    file through a link (it would land wherever the link says, outside the folder named)."""
    if not path.is_symlink():
        return path
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                msg("{path} is a symbolic link that loops; remove it", path=str(path))
            ) from None
        if exc.errno == errno.ENOENT:
            raise OutputError(
                msg("{path} is a symbolic link to {target}, which does not exist; tripplan "
                    "does not create a file through a link: remove the link",
                    path=str(path), target=os.readlink(path))
            ) from None  # fmt: skip
        raise OutputError(
            msg("cannot write {path}: {exc}", path=str(path), exc=str(exc.strerror or exc))
        ) from None
    return Path(os.path.realpath(path))


def _stage(directory: Path, target: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file (mode 0600) for ``target``."""
    fd, temporary = _temporary(directory, target.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _put(temporary: Path, target: Path, mode: int) -> None:
    """Rename a complete temporary file over ``target`` and give it its final mode."""
    os.replace(temporary, target)
    if mode != 0o600:
        os.chmod(target, mode)


def atomic_write(
    path: Path, data: bytes, *, mode: int | None = None, follow_links: bool = True
) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    ``mode`` is the new file's mode; by default an existing file keeps its own and a new
    one gets the umask's. A symbolic link is written through to its target, unless
    ``follow_links`` is false: then the link itself is replaced by the file.
    """
    target = write_target(path) if follow_links else path
    directory = target.parent
    sweep(directory)
    final = _final_mode(target, mode)
    try:
        temporary = _stage(directory, target, data)
    except OSError as exc:
        raise OutputError(
            msg("cannot write {path}: {exc}", path=str(path), exc=str(exc.strerror or exc))
        ) from None
    try:
        _put(temporary, target, final)
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(
                msg("cannot write {path}: {exc}", path=str(path), exc=str(exc.strerror or exc))
            ) from None
        raise


def _sample(path: Path) -> bytes:
    """The bytes of a file to recognise it by: all of it up to 16 MiB, else its first and
    last MiB."""
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= 16 * SAMPLE:
            return handle.read()
        head = handle.read(SAMPLE)
        handle.seek(size - SAMPLE)
        return head + handle.read(SAMPLE)


def _stat_output(path: Path) -> os.stat_result:
    """``os.stat`` of a path to write, a link that loops refused with one message."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                msg("{path} is a symbolic link that loops; remove it or choose another --out",
                    path=str(path))
            ) from None  # fmt: skip
        raise


def check_replaceable(
    path: Path, *, ours: Recognise, what: Message, protect: Iterable[Path] = ()
) -> None:
    """Refuse, with one message, a ``path`` tripplan must not write: a symbolic link that
    loops or leads nowhere, a folder or other non-file, a path whose folder does not exist,
    the plan being read (by any path, link or hard link to it: ``protect``), or an existing
    file that ``ours`` does not recognise as one tripplan wrote (``what``: "booklet")."""
    shown = str(path)
    try:
        info = _stat_output(path)
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise OutputError(
                msg("cannot write {path}: a part of it that should be a folder is a file",
                    path=shown)
            ) from None  # fmt: skip
        if exc.errno != errno.ENOENT:
            raise OutputError(
                msg("cannot write {path}: {exc}", path=shown, exc=str(exc.strerror or exc))
            ) from None
        if path.is_symlink():
            raise OutputError(
                msg("{path} is a symbolic link to {target}, which does not exist; remove the "
                    "link or choose another --out", path=shown, target=os.readlink(path))
            ) from None  # fmt: skip
        folder = path.parent
        if not folder.is_dir():
            raise OutputError(
                msg("cannot write {path}: the folder {folder} does not exist; create it first "
                    "or choose another --out", path=shown, folder=str(folder))
            ) from None  # fmt: skip
        return
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(msg("{path} is a folder; give --out a file name", path=shown))
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(msg("{path} is not a regular file; choose another --out", path=shown))
    for plan in protect:
        try:
            same = os.path.samefile(path, plan)
        except OSError:
            continue
        if same:
            raise OutputError(
                msg("{path} is the plan being read; choose another --out", path=shown)
            )
    try:
        existing = _sample(path)
    except OSError as exc:
        raise OutputError(
            msg("cannot read {path}: {exc}", path=shown, exc=str(exc.strerror or exc))
        ) from None
    if not ours(existing):
        raise OutputError(
            msg("{path} exists and is not a {what} tripplan wrote; tripplan replaces only its "
                "own files: move it away or choose another --out", path=shown, what=what)
        )  # fmt: skip


def prepare_folder(directory: Path) -> None:
    """Make ``directory`` for files to be written into, when it is missing but its own
    folder exists; refuse with one message a loop, a file in its place, a missing parent."""
    shown = str(directory)
    try:
        info = _stat_output(directory)
    except OSError as exc:
        if exc.errno != errno.ENOENT or directory.is_symlink():
            raise OutputError(
                msg("cannot write into {directory}: {exc}", directory=shown,
                    exc=str(exc.strerror or exc))
            ) from None  # fmt: skip
        try:
            directory.mkdir()
        except FileNotFoundError:
            raise OutputError(
                msg("cannot write {path}: the folder {folder} does not exist; create it first "
                    "or choose another --out", path=shown, folder=str(directory.parent))
            ) from None  # fmt: skip
        except OSError as exc:
            raise OutputError(
                msg("cannot write into {directory}: {exc}", directory=shown,
                    exc=str(exc.strerror or exc))
            ) from None  # fmt: skip
        return
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(
            msg("{path} is not a folder; give --out a folder for one file per delegate",
                path=shown)
        )  # fmt: skip


def write_own(
    path: Path,
    data: bytes,
    *,
    ours: Recognise,
    what: Message,
    protect: Iterable[Path] = (),
    private: bool = False,
) -> None:
    """Write ``data`` to ``path`` atomically, refusing what :func:`check_replaceable`
    refuses. ``private`` files (a delegate's own reminders) are created with mode 0600 and
    an earlier one is given that mode; others keep an existing file's mode."""
    check_replaceable(path, ours=ours, what=what, protect=protect)
    atomic_write(path, data, mode=0o600 if private else None)


def write_all(
    directory: Path,
    files: dict[str, bytes],
    *,
    ours: Recognise | None = None,
    what: Message | None = None,
    protect: Iterable[Path] = (),
    private: Callable[[str], bool] = lambda name: False,
) -> list[str]:
    """Write several files into ``directory`` all or nothing, as far as a file system allows.

    Every file is first written to a temporary file beside its target; only when all of
    them are complete are they renamed into place. A failure before that leaves every
    earlier file untouched. Files whose bytes are unchanged are not touched at all.
    Returns the names written.

    With ``ours``, every file is first checked as :func:`check_replaceable` does (nothing is
    written if one is refused); ``private(name)`` says which files get mode 0600.
    """
    sweep(directory)
    protect = list(protect)
    if ours is not None:
        for name in files:
            check_replaceable(
                directory / name, ours=ours, what=what or msg("file"), protect=protect
            )
    staged: list[tuple[Path, Path, str, int]] = []
    try:
        for name, data in files.items():
            target = directory / name
            real = write_target(target)
            if Path(os.path.realpath(real)).parent != Path(os.path.realpath(directory)):
                raise OutputError(
                    msg(
                        "refusing to write {name} outside {directory}",
                        name=f"{name!r}",
                        directory=str(directory),
                    )
                )
            secret = private(name)
            if target.is_file() and target.read_bytes() == data:
                if secret and stat.S_IMODE(os.stat(target).st_mode) != 0o600:
                    os.chmod(write_target(target), 0o600)
                continue
            if target.exists() and not target.is_file():
                raise OutputError(msg("{target} is not a file; move it away", target=str(target)))
            mode = 0o600 if secret else _final_mode(real, None)
            staged.append((_stage(real.parent, real, data), real, name, mode))
    except BaseException as exc:
        for tmp, _, _, _ in staged:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(
                msg(
                    "cannot write into {directory}: {exc}",
                    directory=str(directory),
                    exc=str(exc.strerror or exc),
                )
            ) from None
        raise
    for tmp, target, _, mode in staged:
        _put(tmp, target, mode)
    return [name for _, _, name, _ in staged]
