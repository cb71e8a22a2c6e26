"""Results folders that are replaced whole or not at all.

Every command that writes a results folder (``run``, ``compare``) writes it
through :func:`replacing`::

    with replacing(Path("output/run"), option="--out", marks=("run.json",)) as tmp:
        ...  # simulate, then write every file into tmp
    # output/run now holds exactly the files written into tmp

Guarantee: a crash, SIGTERM or SIGKILL at any moment leaves the folder
holding the complete earlier result or the complete new one, never a mix.
How:

* **A lock per folder.** ``.NAME.lock`` next to the folder is locked with
  ``flock`` before the simulation starts and held until the new folder is in
  place. A second run on the same folder fails at once (:class:`OutputError`)
  instead of mixing. The kernel releases the lock when the process dies, even
  on SIGKILL, so a killed run never blocks the next one.
* **A hidden temporary folder.** The new result is written into
  ``.NAME-tmp-<pid>-<random>`` in the same parent (the same file system), and
  flushed to disk.
* **One swap.** On Linux ``renameat2(RENAME_EXCHANGE)`` swaps the new folder
  and the earlier one in one atomic step; the earlier one, now under the
  temporary name, is then deleted. A folder that did not exist yet is made by
  a plain rename. Where ``renameat2`` is unavailable (another OS, an old C
  library, a file system that refuses it) the earlier folder is renamed to
  ``.NAME-old-<pid>``, the new one to NAME, and the old one is deleted; a kill
  between those two renames leaves NAME missing and the complete earlier
  result under ``.NAME-old-<pid>``, which the next run puts back first.
* **Leftovers.** Under the lock, the next run removes temporary folders left
  by a killed run and old folders that were not deleted.
* **Interrupts.** Inside :func:`interrupts_raise`, Ctrl-C and SIGTERM raise
  :class:`Interrupted`: the temporary folder is removed and the earlier
  result stays. A signal that arrives during the swap is held until the swap
  is done, and then says so (``Interrupted.written``).

The folder given must be new, empty, or an earlier result (it holds one of
``marks``), so that a mistyped ``--out`` never deletes unrelated files.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

AT_FDCWD = -100
# File names have at most 255 bytes; ".NAME-tmp-<pid>-<random>" needs room for the suffix.
MAX_NAME_BYTES = 200
RENAME_EXCHANGE = 2


class OutputError(Exception):
    """The output folder cannot be written; the message names it and what is allowed."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM.

    Attributes:
        signum: The signal received.
        written: The folder, when the signal came during its swap and the new
            result is complete in place; None when nothing was written.
    """

    def __init__(self, signum: int, written: Path | None = None):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.written = written


# ------------------------------------------------------------------ interrupts

_held = {"depth": 0, "pending": None}


def _raise_interrupted(signum, frame):
    if _held["depth"]:
        _held["pending"] = signum
        return
    raise Interrupted(signum)


@contextlib.contextmanager
def interrupts_raise() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise :class:`Interrupted` inside this block.

    Outside the main thread (where Python cannot set signal handlers) this
    does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_held(folder: Path) -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done; then raise, saying it was written."""
    _held["depth"] += 1
    try:
        yield
    finally:
        _held["depth"] -= 1
        signum = None
        if not _held["depth"]:
            signum, _held["pending"] = _held["pending"], None
    if signum is not None:
        raise Interrupted(signum, written=folder)


# ------------------------------------------------------------------ the lock

_locks_held: set[int] = set()


def _close_locks_in_child() -> None:
    # A forked worker shares the lock; closing its copy lets the lock go when the
    # run itself dies, even while workers live on.
    for fd in _locks_held:
        with contextlib.suppress(OSError):
            os.close(fd)
    _locks_held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_locks_in_child)


def _lock(path: Path, folder_shown: str, option: str) -> int:
    """Lock ``path`` (created if needed); fail at once if another run holds it."""
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as err:
            raise OutputError(
                f"{option} '{folder_shown}': cannot create files in '{path.parent}' "
                f"({err.strerror}); allowed: a folder in a place you can write to"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise OutputError(
                f"output folder '{folder_shown}' is being written by another run (pid {holder}); "
                "allowed: one run per output folder at a time"
            ) from None
        # The previous holder may have removed the file between our open and flock.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            _locks_held.add(fd)
            return fd
        os.close(fd)


def _unlock(path: Path, fd: int) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
    _locks_held.discard(fd)
    os.close(fd)


# ------------------------------------------------------------------ renames


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]  # fmt: skip
    renameat2.restype = ctypes.c_int
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _rename(src: Path, dst: Path) -> None:
    os.rename(src, dst)


def _discard(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _flush_tree(folder: Path) -> None:
    for root, dirs, files in os.walk(folder):
        for name in files:
            _fsync(Path(root, name))
        for name in dirs:
            _fsync(Path(root, name))
    _fsync(folder)


def swap_in(new: Path, target: Path) -> None:
    """Put the folder ``new`` at ``target``, replacing whatever folder was there."""
    name = target.name
    if not target.exists():
        _rename(new, target)
    elif _exchange(new, target):
        _discard(new)  # the earlier result, now under the temporary name
    else:
        old = target.with_name(f".{name}-old-{os.getpid()}")
        _rename(target, old)
        try:
            _rename(new, target)
        except OSError:
            _rename(old, target)
            raise
        _discard(old)
    _fsync(target.parent)


# ------------------------------------------------------------------ the folder


def _leftovers(parent: Path, name: str, kind: str) -> list[Path]:
    pattern = re.compile(
        rf"\.{re.escape(name)}-{kind}-\d+" + (r"-[0-9a-f]+" if kind == "tmp" else "")
    )
    try:
        return [p for p in parent.iterdir() if pattern.fullmatch(p.name)]
    except FileNotFoundError:
        return []


def tidy(target: Path) -> None:
    """Restore or remove what killed runs left beside ``target`` (call under its lock)."""
    parent, name = target.parent, target.name
    for tmp in _leftovers(parent, name, "tmp"):
        _discard(tmp)
    olds = sorted(_leftovers(parent, name, "old"), key=lambda p: p.stat().st_mtime)
    if olds and not target.exists():
        _rename(olds.pop(), target)  # killed between the fallback's two renames
    for old in olds:
        _discard(old)


def check_target(out: Path, option: str = "--out", marks: tuple[str, ...] = ()) -> Path:
    """The absolute folder to write, its parents created; OutputError if it cannot be.

    Args:
        out: The folder as given.
        option: The command-line option that gave it (named in messages).
        marks: File names of which an earlier result holds at least one. An
            existing folder that is not empty must hold one of them.
    """
    shown = str(out)
    if not shown.strip():
        raise OutputError(f"{option} is empty; allowed: the path of a folder")
    target = Path(os.path.abspath(out))
    if target.parent == target:
        raise OutputError(f"{option} '{shown}' is the root folder; allowed: a folder below it")
    if Path.cwd() == target or target in Path.cwd().parents:
        raise OutputError(
            f"{option} '{shown}' is the current folder or holds it, which would be replaced; "
            "allowed: a folder inside it"
        )
    if len(target.name.encode()) > MAX_NAME_BYTES:
        raise OutputError(
            f"{option} '{shown[:40]}...': the folder's name has {len(target.name.encode())} "
            f"bytes; allowed: at most {MAX_NAME_BYTES} (a hidden temporary folder gets the "
            "name and a suffix)"
        )
    if target.is_symlink():  # a link to a folder: write the folder it points to
        target = Path(os.path.realpath(target))
    if target.exists() and not target.is_dir():
        raise OutputError(
            f"{option} '{shown}' is a file; allowed: a folder (new or earlier output)"
        )
    ancestor = target.parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputError(
            f"{option} '{shown}' is under '{ancestor}', which is a file; "
            "allowed: a folder whose parents are folders"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(
            f"{option} '{shown}': cannot create '{target.parent}' ({err.strerror}); "
            "allowed: a folder in a place you can write to"
        ) from None
    if target.is_dir() and marks:
        entries = {p.name for p in target.iterdir()}
        if entries and not entries & set(marks):
            raise OutputError(
                f"{option} '{shown}' holds other files (none of {', '.join(marks)}), which "
                "would be deleted; allowed: a new or empty folder, or an earlier result"
            )
    return target


@contextlib.contextmanager
def replacing(out: Path, option: str = "--out", marks: tuple[str, ...] = ()) -> Iterator[Path]:
    """Lock ``out``, yield an empty temporary folder, and put it in place of ``out``.

    On leaving the block normally the folder written replaces ``out`` whole;
    on an exception (an error, Ctrl-C, SIGTERM) it is removed and ``out``
    stays as it was.

    Args:
        out: The results folder.
        option: The command-line option that gave it (named in messages).
        marks: See :func:`check_target`.

    Raises:
        OutputError: ``out`` cannot be written, or another run is writing it.
    """
    target = check_target(out, option, marks)
    lock_path = target.with_name(f".{target.name}.lock")
    fd = _lock(lock_path, str(out), option)
    try:
        tidy(target)
        if target.exists() and not target.is_dir():  # appeared before we held the lock
            raise OutputError(f"{option} '{out}' is a file; allowed: a folder")
        while True:
            tmp = target.with_name(f".{target.name}-tmp-{os.getpid()}-{secrets.token_hex(4)}")
            try:
                tmp.mkdir()
                break
            except FileExistsError:
                continue
        try:
            yield tmp
            _flush_tree(tmp)
        except BaseException:
            _discard(tmp)
            raise
        with _signals_held(target):
            try:
                swap_in(tmp, target)
            except BaseException:
                _discard(tmp)  # the new result, or after a swap the earlier one
                raise
    finally:
        _unlock(lock_path, fd)
