"""At most a few model runs step at once on the server: the others wait their turn.

Fifteen runs stepping at once on a two-core machine share it fifteen ways:
every run takes fifteen times as long, every run sends frames all that time,
and the browsers repaint them all. Stepping at most as many runs as there are
cores, the others waiting a moment, finishes each run sooner and paints far
less. (Measured with ``make bench-app``; docs/app.md has the figures.)

A slot is an exclusive ``flock`` on one of ``n`` files in the fork server's
private folder. The kernel releases a lock when its process ends, also when
it is killed, so a slot is never lost.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

POLL_S = 0.05  # how often a waiting run tries again


def default_count() -> int:
    """Runs stepping at once: ``WORKSHOP_MODEL_RUNS``, else the number of cores."""
    given = os.environ.get("WORKSHOP_MODEL_RUNS", "")
    if given.strip().isdigit() and int(given) > 0:
        return int(given)
    return max(1, os.cpu_count() or 1)


class Slots:
    """``n`` slots shared by every process that opens the same folder.

    Args:
        folder: A folder private to the server (the fork server's).
        n: The number of slots.
    """

    def __init__(self, folder: str | Path, n: int):
        self.paths = [Path(folder) / f"slot-{i}" for i in range(n)]
        for path in self.paths:
            path.touch(exist_ok=True)

    def try_acquire(self) -> int | None:
        """A free slot's locked file descriptor, or None if every slot is taken."""
        for path in self.paths:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            return fd
        return None

    @contextlib.contextmanager
    def held(
        self, stop: threading.Event, waiting: Callable[[], None] = lambda: None
    ) -> Iterator[bool]:
        """Hold a slot for the ``with`` block; yields False if ``stop`` was set while waiting.

        Args:
            stop: Give up waiting when set.
            waiting: Called once if the run has to wait (to tell the page).
        """
        fd = self.try_acquire()
        if fd is None:
            waiting()
            while fd is None and not stop.wait(POLL_S):
                fd = self.try_acquire()
        try:
            yield fd is not None
        finally:
            if fd is not None:
                os.close(fd)  # closing the descriptor releases the lock


class NoSlots:
    """No limit (a run in the server's own thread, and the tests)."""

    @contextlib.contextmanager
    def held(
        self, stop: threading.Event, waiting: Callable[[], None] = lambda: None
    ) -> Iterator[bool]:
        yield not stop.is_set()
