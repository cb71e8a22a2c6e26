"""Live runs in worker processes: one per browser tab, forked from a fork server.

In the server process, eight models stepping at once share one core (the
GIL) with the web server, and what they leave behind when their tabs close
stays in the server's heap (about 60 MB after eight ten-year runs, though
every object was freed). A :class:`RemoteRun` keeps the model in a process of
its own: the runs use every core, and a closed tab's process exits and gives
all of its memory back.

The worker processes are forked from a small fork server
(``python -m workshop.worker``) that has imported the model once and runs no
threads, so forking is safe and a new tab's worker starts in a fraction of a
second. (``multiprocessing``'s own fork server would also re-run the web
server's main script in every worker.) It listens on a Unix socket in a
private folder and exits when the server that started it goes away. A worker
wraps a :class:`workshop.live.LiveRun` and takes commands over its socket;
the frames come back the same way and are handed to the page.
"""

from __future__ import annotations

import contextlib
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from workshop.config import Config
from workshop.live import SCALE, Frame, LiveRun, _ignore

_server: ForkServer | None = None
_lock = threading.Lock()


class ForkServer:
    """The fork server process, started by the web server (see the module's docstring)."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="workshop-runs-")  # mode 700: ours alone
        self.address = os.path.join(self.folder, "socket")
        root = Path(__file__).resolve().parent.parent
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workshop.worker", self.address],
            cwd=root,
            stdin=subprocess.PIPE,  # its end of life: EOF when this process exits
            stdout=subprocess.PIPE,
        )
        ready = self.proc.stdout.readline()
        if ready.strip() != b"ready":
            raise RuntimeError(f"the fork server for live runs did not start: {ready!r}")

    def connect(self) -> Connection:
        """A connection to a new worker process."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.address)
        return Connection(sock.detach())


def fork_server() -> ForkServer:
    """The fork server (started on first use)."""
    global _server
    with _lock:
        if _server is None or _server.proc.poll() is not None:
            _server = ForkServer()
        return _server


def start_fork_server() -> None:
    """Start the fork server now (at the web server's start), not when the first tab opens."""
    fork_server()


def serve_forks(address: str) -> None:
    """The fork server's loop: a worker process for every connection, until stdin closes."""
    import model  # noqa: F401  (imported once here; every worker inherits it)
    import workshop.live  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the system
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nobody reads it any more
    while True:
        readable, _, _ = select.select([listener, sys.stdin], [], [])
        if sys.stdin in readable and not os.read(sys.stdin.fileno(), 1024):
            break  # the web server is gone
        if listener in readable:
            sock, _ = listener.accept()
            if os.fork() == 0:  # the worker
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                conn = Connection(sock.detach())
                try:
                    config, levers, scale = conn.recv()
                    _serve(conn, config, levers, scale)
                finally:
                    os._exit(0)
            sock.close()
    listener.close()
    with contextlib.suppress(OSError):
        os.unlink(address)
        os.rmdir(os.path.dirname(address))


def _serve(conn, config: Config, levers, scale: int) -> None:
    """The worker: a LiveRun driven by commands over ``conn`` until told to close."""
    sending = threading.Lock()

    def send(kind: str, payload: Any) -> None:
        with sending:
            conn.send((kind, payload))

    run = LiveRun(config, levers, publish=lambda frame: send("frame", frame), scale=scale)
    send("ready", (run.frame(), run.parameter_values, os.getpid()))
    while True:
        try:
            command, argument = conn.recv()
        except (EOFError, OSError):
            break
        if command == "play":
            run.play(*argument)
        elif command == "pause":
            run.pause()
        elif command == "step":
            run.step()
        elif command == "run_to":
            run.run_to(argument)
            send("frame", run.frame())
        elif command == "regions":
            run.show_regions(argument)
        elif command == "export":
            send("reply", run.export_data())
        elif command == "close":
            break
    run.close()
    conn.close()


class RemoteRun:
    """A :class:`LiveRun` in a worker process, with the same interface for the page.

    Args:
        config: The scenario, seed and levers.
        levers: The lever table.
        publish: Called with each frame (from a thread of this process).
        scale: Households per agent.
    """

    def __init__(
        self,
        config: Config,
        levers,
        publish: Callable[[Frame], None] | None = None,
        scale: int = SCALE,
    ):
        self.config = config.settings()
        self.publish = publish or _ignore
        self._conn = fork_server().connect()
        self._conn.send((self.config, tuple(levers), scale))
        _, (frame, values, self.pid) = self._conn.recv()
        self._frame: Frame = frame
        self.parameter_values: dict[str, Any] = values
        self.error = frame.error
        self.horizon = frame.horizon
        self._replies: queue.Queue = queue.Queue()
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="remote-run", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                kind, payload = self._conn.recv()
            except (EOFError, OSError):
                break
            if kind == "frame":
                with self._arrived:
                    self._frame = payload
                    self._arrived.notify_all()
                self.publish(payload)
            else:
                self._replies.put(payload)
        self._replies.put(None)

    def _send(self, command: str, argument: Any = None) -> bool:
        try:
            self._conn.send((command, argument))
            return True
        except (OSError, ValueError):
            return False

    # the interface of LiveRun

    @property
    def month(self) -> int:
        return self._frame.month

    @property
    def running(self) -> bool:
        return self._frame.state == "running"

    def show_regions(self, wanted: bool) -> None:
        """Include the regional figures in the frames; a fresh frame follows when paused."""
        self._send("regions", wanted)

    def frame(self) -> Frame:
        """The newest frame received."""
        return self._frame

    def step(self) -> None:
        if self.error is None and self.month < self.horizon:
            self._send("step")

    def play(self, months: int | None = None, delay_s: float = 0.0) -> bool:
        if self.error is not None or self.month >= self.horizon:
            return False
        return self._send("play", (months, delay_s))

    def pause(self) -> None:
        self._send("pause")

    def run_to(self, month: int, timeout: float = 120) -> None:
        """Step to ``month`` and wait until its frame is here."""
        target = min(month, self.horizon)
        if self.error is not None or not self._send("run_to", target):
            return
        with self._arrived:
            self._arrived.wait_for(lambda: self._frame.month >= target, timeout)

    def export_data(self, timeout: float = 120) -> dict[str, Any] | None:
        if self.error is not None or not self._send("export"):
            return None
        return self._replies.get(timeout=timeout)

    def close(self) -> None:
        """Let the worker go: it exits and its memory returns to the system."""
        self.publish = lambda frame: None
        self._send("close")
        with contextlib.suppress(OSError):
            self._conn.close()


if __name__ == "__main__":
    serve_forks(sys.argv[1])
