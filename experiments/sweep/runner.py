"""Running the runs: one in a worker (execute), the executors, the progress line."""

from __future__ import annotations

import os
import socket
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool

from experiments.sweep.backends import WATCH_SECONDS, Backend
from experiments.sweep.design import RunTask

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


def run_all(todo: list[RunTask], backend: Backend, runner) -> Iterator[tuple[RunTask, dict]]:
    """Yield (task, result) as runs finish, keeping a few per worker in flight.

    A worker process that dies (killed, out of memory) takes only the runs it
    had with it: they come back as errors and the pool is started again. A
    Dask cluster that has lost all its workers raises
    :class:`~experiments.sweep.backends.ClusterLost` (the finished runs stay).
    """
    queue = list(reversed(todo))
    while queue:
        with backend.executor() as pool:
            flying: dict[Future, RunTask] = {}
            broken = False
            while (queue or flying) and not broken:
                while queue and len(flying) < max(2 * backend.workers, 1):
                    task = queue.pop()
                    flying[pool.submit(runner, task)] = task
                finished, _ = wait(list(flying), WATCH_SECONDS, return_when=FIRST_COMPLETED)
                if not finished:
                    backend.check()
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
