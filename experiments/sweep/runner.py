"""Running the runs: one in a worker (execute), the executors, the progress line."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from experiments.sweep.design import RunTask
from experiments.sweep.spec import SpecError

# ------------------------------------------------------------------ running one


def execute(task: RunTask) -> dict:
    """Run one task in this process and return its outcomes, or the error it raised.

    This is what a worker runs. It never raises for a failing run: the error
    comes back as data, so that the sweep records it and goes on.
    """
    from experiments.outcomes import OUTCOMES, RunView, monthly_long, needs_attribution
    from model.market import HousingMarket

    started = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        model = HousingMarket(
            task.scenario,
            rng=task.seed,
            households_per_agent=task.households_per_agent,
            parameters={**task.parameters, "calendar.months": task.months},
            attribution=needs_attribution(task.outcomes),
        )
        view = RunView(model.run())
        values = {name: float(OUTCOMES[name](view)) for name in task.outcomes}
        series = monthly_long(view, task.series) if task.series else None
    except Exception as err:
        return {
            "ok": False,
            "error": type(err).__name__,
            "message": str(err),
            "traceback": traceback.format_exc(),
            "seconds": time.perf_counter() - started,
            "worker": worker,
        }
    return {
        "ok": True,
        "values": values,
        "series": series,
        "seconds": time.perf_counter() - started,
        "worker": worker,
    }


# ------------------------------------------------------------------ executors


def _fork_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle, SIGTERM ends the worker at once.

    A forked worker inherits the command line's handlers (experiments/output.py),
    which turn SIGTERM into an exception; the sweep ends its workers with SIGTERM.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


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
def executor(workers: int, scheduler: str | None = None) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor for the runs.

    Args:
        workers: Worker processes on this machine (for ``local`` and ``dask``).
        scheduler: None or ``local``: a process pool (one worker: this process);
            ``dask``: a local Dask cluster of ``workers`` processes;
            ``tcp://HOST:PORT``: an existing Dask scheduler (its workers need
            this project installed).
    """
    if scheduler in (None, "local"):
        if workers <= 1:
            yield _Serial()
            return
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=_fork_context(), initializer=_worker_signals
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
        return
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
        client = Client(cluster)
    elif scheduler.startswith("tcp://"):
        cluster = None
        client = Client(scheduler, timeout=30)
    else:
        raise SpecError(
            f"--scheduler {scheduler!r}; allowed: local, dask (a local Dask cluster) or "
            "tcp://HOST:PORT (an existing Dask scheduler)"
        )
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ------------------------------------------------------------------ progress


class Progress:
    """A progress line on stderr: runs done, errors, elapsed, and the time left."""

    def __init__(self, total: int, done_before: int, stream=None):
        self.total, self.done, self.errors = total, done_before, 0
        self.before = done_before
        self.started = time.perf_counter()
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    @staticmethod
    def _clock(seconds: float) -> str:
        seconds = round(seconds)
        h, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s" if m else f"{s}s"

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        new = self.done - self.before
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        left = "?"
        if new:
            left = self._clock(elapsed / new * (self.total - self.done))
        errors = f", {self.errors} failed" if self.errors else ""
        return (
            f"[{bar}] {self.done}/{self.total} runs{errors}, "
            f"{self._clock(elapsed)} elapsed, about {left} left"
        )

    def update(self, ok: bool) -> None:
        self.done += 1
        self.errors += not ok
        now = time.perf_counter()
        if self.tty:
            print("\r" + self.line(), end="", file=self.stream, flush=True)
        elif now - self._last > 30 or self.done == self.total:
            print(self.line(), file=self.stream, flush=True)
            self._last = now

    def close(self) -> None:
        if self.tty:
            print(file=self.stream, flush=True)


def run_all(
    todo: list[RunTask], workers: int, scheduler: str | None, runner
) -> Iterator[tuple[RunTask, dict]]:
    """Yield (task, result) as runs finish, keeping a few per worker in flight.

    A worker process that dies (killed, out of memory) takes only the runs it
    had with it: they come back as errors and the pool is started again.
    """
    queue = list(reversed(todo))
    window = max(2 * workers, 1)
    while queue:
        with executor(workers, scheduler) as pool:
            flying: dict[Future, RunTask] = {}
            broken = False
            while (queue or flying) and not broken:
                while queue and len(flying) < window:
                    task = queue.pop()
                    flying[pool.submit(runner, task)] = task
                finished, _ = wait(list(flying), return_when=FIRST_COMPLETED)
                for f in finished:
                    task = flying.pop(f)
                    try:
                        result = f.result()
                    except BrokenProcessPool:
                        broken = True
                        result = _lost(task, "the worker process died (killed, or out of memory)")
                    except Exception as err:  # a runner that raised, or a lost Dask worker
                        result = _lost(task, str(err), err)
                    yield task, result
            if broken:
                for task in flying.values():  # ran on the broken pool: try them again
                    queue.append(task)


def _lost(task: RunTask, message: str, err: BaseException | None = None) -> dict:
    """The result of a run whose worker raised or died (no result came back)."""
    return {
        "ok": False,
        "error": type(err).__name__ if err is not None else "WorkerError",
        "message": message,
        "traceback": "".join(traceback.format_exception(err)) if err is not None else "",
        "seconds": float("nan"),
        "worker": "",
    }
