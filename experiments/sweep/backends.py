"""Where the runs run: a pool of worker processes here, or a Dask cluster.

:func:`connect` checks the scheduler before anything is written (a bogus name,
an address nobody answers at, a cluster without workers: one line, a
:class:`~experiments.sweep.spec.SpecError`) and keeps one connection for the
whole sweep. Its :class:`Backend` gives executors, says how many workers there
really are, and notices a cluster whose workers have all gone
(:class:`ClusterLost`, within :data:`NO_WORKERS_SECONDS` plus a few seconds).

Worker processes of the local pool end when the process that started them
dies, by any signal, SIGKILL included (:func:`die_with_parent`): on Linux the
kernel sends them SIGKILL (``prctl(PR_SET_PDEATHSIG)``), and everywhere a
watchdog thread checks once a second that their parent is still the one that
started them. (A local Dask cluster's workers already end with their nanny,
which runs in this process; tests/test_sweep.py checks both.)
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from urllib.parse import urlsplit

from experiments.sweep.spec import SpecError

CONNECT_SECONDS = 10  # to reach a scheduler's address
NO_WORKERS_SECONDS = 30  # a cluster without workers this long is reported
WATCH_SECONDS = 5  # how often a running sweep looks at its cluster
PARENT_POLL_SECONDS = 1.0  # how often a worker's watchdog looks for its parent
PR_SET_PDEATHSIG = 1  # linux/prctl.h

SCHEDULERS = "local, dask (a local Dask cluster) or tcp://HOST:PORT (an existing Dask scheduler)"


class ClusterLost(RuntimeError):
    """The Dask cluster has had no workers for :data:`NO_WORKERS_SECONDS`; the runs stop."""


# ------------------------------------------------------------------ workers end with their parent


def die_with_parent(parent: int) -> None:
    """End this process when ``parent`` (the process that started it) dies, by any signal.

    Call it first thing in a worker. Linux: the kernel sends SIGKILL at the
    parent's death. Everywhere: a daemon thread polls ``os.getppid()`` and ends
    the process once its parent has changed (orphans are re-parented).
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    watchdog = threading.Thread(
        target=_watch_parent, args=(parent,), name="parent-watchdog", daemon=True
    )
    watchdog.start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)  # no cleanup to wait for: the results would have nowhere to go


def _worker_init(parent: int) -> None:
    """In a pool worker: end with the parent; Ctrl-C is the parent's; SIGTERM ends it at once.

    A forked worker inherits the command line's handlers (experiments/output.py),
    which turn SIGTERM into an exception; the sweep ends its workers with SIGTERM.
    """
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _fork_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class _Serial(Executor):
    """Runs each task in this process as it is submitted (one worker)."""

    def submit(self, fn, /, *args, **kwargs):
        f = Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt | SystemExit):
                raise
            f.set_exception(err)
        return f


@contextlib.contextmanager
def process_pool(workers: int) -> Iterator[Executor]:
    """A pool of ``workers`` processes that end with this one (one worker: this process)."""
    if workers <= 1:
        yield _Serial()
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_fork_context(),
        initializer=_worker_init,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        # Interrupted (or the caller stopped): end the runs in flight now rather
        # than wait for them; what they would give is not stored anyway.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


# ------------------------------------------------------------------ backends


class Backend:
    """Worker processes on this machine.

    Attributes:
        scheduler: ``local``, ``dask`` or the Dask scheduler's address.
        workers: How many workers run the runs (one: this process).
    """

    def __init__(self, workers: int):
        self.scheduler = "local"
        self.workers = workers

    @contextlib.contextmanager
    def executor(self) -> Iterator[Executor]:
        """An executor; after a broken pool, the next call starts a fresh one."""
        with process_pool(self.workers) as pool:
            yield pool

    def check(self) -> None:
        """Raise :class:`ClusterLost` if the runs can no longer go anywhere."""

    def close(self) -> None:
        """Let go of the workers."""


class DaskBackend(Backend):
    """A Dask cluster: a local one started here, or an existing one at an address."""

    def __init__(self, client, cluster=None, scheduler: str = "dask"):
        self.client, self.cluster, self.scheduler = client, cluster, scheduler
        self.workers = len(client.nthreads())
        self._empty_since: float | None = None

    @contextlib.contextmanager
    def executor(self) -> Iterator[Executor]:
        yield self.client.get_executor(pure=False)

    def check(self) -> None:
        workers = len(self.client.nthreads())
        if workers:
            self._empty_since = None
            return
        now = time.monotonic()
        if self._empty_since is None:
            self._empty_since = now
        elif now - self._empty_since >= NO_WORKERS_SECONDS:
            raise ClusterLost(
                f"the Dask cluster at {self.scheduler} has had no workers for "
                f"{now - self._empty_since:.0f} s; start workers and continue with --resume"
            )

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def check_scheduler(scheduler: str | None, workers: int | None = None) -> str:
    """The scheduler's form checked (nothing is contacted): ``local``, ``dask`` or an address.

    Raises:
        SpecError: Anything else, a malformed address, or ``workers`` with an
            existing cluster (whose workers are its own).
    """
    scheduler = "local" if scheduler is None else scheduler
    if scheduler in ("local", "dask"):
        return scheduler
    if not isinstance(scheduler, str) or not scheduler.startswith("tcp://"):
        raise SpecError(f"--scheduler {scheduler!r}; allowed: {SCHEDULERS}")
    try:
        parts = urlsplit(scheduler)
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None or parts.path not in ("", "/"):
        raise SpecError(
            f"--scheduler {scheduler!r}; allowed: tcp://HOST:PORT with a port from 1 to 65535, "
            f"or {SCHEDULERS.split(' or ')[0]}"
        )
    if workers is not None:
        raise SpecError(
            f"--workers {workers} with --scheduler {scheduler}: an existing cluster's workers are "
            "its own; allowed: leave --workers out"
        )
    return scheduler


def probe(scheduler: str | None, workers: int | None = None) -> str:
    """Check a scheduler without starting anything: its form and, for an address, that
    something listens there (for ``--dry-run``; :func:`connect` checks it all).

    Raises:
        SpecError: As :func:`check_scheduler`, or an address nobody answers at.
    """
    scheduler = check_scheduler(scheduler, workers)
    if scheduler.startswith("tcp://"):
        _reachable(scheduler)
    return scheduler


@contextlib.contextmanager
def connect(workers: int | None, scheduler: str | None) -> Iterator[Backend]:
    """The backend for a sweep, checked: refused with one line before anything runs.

    Args:
        workers: Worker processes here (``local`` and ``dask``; default up to 2).
        scheduler: See :func:`check_scheduler`.

    Raises:
        SpecError: A bogus scheduler, an address that does not answer within
            :data:`CONNECT_SECONDS`, a cluster without workers after
            :data:`NO_WORKERS_SECONDS`, or Dask not installed.
    """
    scheduler = check_scheduler(scheduler, workers)
    workers = workers or min(2, os.cpu_count() or 1)
    if scheduler == "local":
        backend: Backend = Backend(workers)
    else:
        backend = _dask(scheduler, workers)
    try:
        yield backend
    finally:
        backend.close()


def _dask(scheduler: str, workers: int) -> DaskBackend:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SpecError(
            f"--scheduler {scheduler} needs Dask; allowed: pip install -e '.[dask]', "
            "or --scheduler local"
        ) from None
    if scheduler == "dask":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: the machine may be shared
            silence_logs=logging.ERROR,
        )
        return DaskBackend(Client(cluster), cluster)  # its workers end with this process
    _reachable(scheduler)
    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS)
    except (OSError, TimeoutError) as err:
        raise SpecError(
            f"cannot reach the Dask scheduler at {scheduler} ({err}); allowed: the address of "
            "a running scheduler, or --scheduler local"
        ) from None
    try:
        client.wait_for_workers(1, timeout=NO_WORKERS_SECONDS)
    except TimeoutError:
        client.close()
        raise SpecError(
            f"the Dask scheduler at {scheduler} has no workers (waited {NO_WORKERS_SECONDS} s);"
            " allowed: a scheduler with workers (dask worker ADDRESS), or --scheduler local"
        ) from None
    return DaskBackend(client, None, scheduler)


def _reachable(scheduler: str) -> None:
    """Fail fast on an address nobody listens at (Dask itself retries for its whole timeout)."""
    parts = urlsplit(scheduler)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=CONNECT_SECONDS):
            pass
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise SpecError(
            f"cannot reach the Dask scheduler at {scheduler} ({reason}); allowed: the address "
            "of a running scheduler, or --scheduler local"
        ) from None
