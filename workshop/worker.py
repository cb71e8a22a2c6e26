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
second. The fork server has also run the default run's history once (every
run starts in January 2022 and runs to its start date, ``model.history_cache``):
the workers inherit that state, so a tab's first run does not spend a second
on it. (``multiprocessing``'s own fork server would also re-run the web
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
from workshop.slots import Slots, default_count

LOST = "worker process ended unexpectedly"
_server: ForkServer | None = None
_lock = threading.Lock()


class ForkServer:
    """The fork server process, started by the web server (see the module's docstring)."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="workshop-runs-")  # mode 700: ours alone
        self.address = os.path.join(self.folder, "socket")
        root = Path(__file__).resolve().parent.parent
        self.slots = default_count()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "workshop.worker", self.address, str(self.slots)],
            cwd=root,
            stdin=subprocess.PIPE,  # its end of life: EOF when this process exits
            stdout=subprocess.PIPE,
        )
        ready = self.proc.stdout.readline()
        if ready.strip() != b"ready":
            raise RuntimeError(f"the fork server for live runs did not start: {ready!r}")

    def connect(self) -> socket.socket:
        """A socket connected to a new worker process."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.address)
        return sock


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


def serve_forks(address: str, slots: int) -> None:
    """The fork server's loop: a worker process for every connection, until stdin closes.

    Args:
        address: The Unix socket to listen on (in a private folder).
        slots: How many workers may step their model at once (``workshop.slots``).
    """
    import model  # noqa: F401  (imported once here; every worker inherits it)
    import workshop.live  # noqa: F401

    LiveRun(Config(), (), scale=SCALE).close()  # the default history, kept for every worker

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the system
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)
    shared = Slots(os.path.dirname(address), slots)
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
                try:
                    _serve(Connection(sock.detach()), shared)
                finally:
                    os._exit(0)
            sock.close()
    listener.close()
    with contextlib.suppress(OSError):
        os.unlink(address)
        os.rmdir(os.path.dirname(address))


class _Channel:
    """The worker's end of the connection: frames from the stepping thread, replies from
    the command loop, and a close that never races a send."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.lock = threading.Lock()
        self.closed = False

    def send(self, kind: str, payload: Any) -> None:
        with self.lock:
            if self.closed:
                return
            try:
                self.conn.send((kind, payload))
            except (OSError, ValueError):
                self.closed = True  # the page has gone

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self.conn.close()


def _serve(conn: Connection, slots: Slots) -> None:
    """The worker: a LiveRun driven by commands over ``conn`` until told to close."""
    channel = _Channel(conn)
    try:
        config, levers, scale = conn.recv()
    except (EOFError, OSError):
        channel.close()
        return
    run = LiveRun(config, levers, lambda frame: channel.send("frame", frame), scale, slots)
    channel.send("ready", (run.frame(), run.parameter_values, os.getpid()))
    commands = {
        "play": lambda argument: run.play(*argument),
        "pause": lambda argument: run.pause(),
        "step": lambda argument: run.step(),
        "run_to": lambda argument: (run.run_to(argument), channel.send("frame", run.frame())),
        "regions": run.show_regions,
        "export": lambda argument: channel.send("reply", run.export_data()),
    }
    while True:
        try:
            command, argument = conn.recv()
        except (EOFError, OSError):
            break
        if command == "close":
            break
        commands[command](argument)
    run.close()
    channel.close()


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
        self._sock = fork_server().connect()
        self._conn = Connection(os.dup(self._sock.fileno()))
        self._sending = threading.Lock()
        self._closed = False
        try:
            self._conn.send((self.config, tuple(levers), scale))
            _, (frame, values, self.pid) = self._conn.recv()
        except (EOFError, OSError):  # the worker died before it could answer
            frame, values, self.pid = Frame(self.config, "error", error=LOST), {}, 0
        self._frame: Frame = frame
        self.parameter_values: dict[str, Any] = values
        self.horizon = frame.horizon
        self._replies: queue.Queue = queue.Queue()
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, name="remote-run", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        """Frames and replies from the worker, until its end (or ours) closes."""
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
        if not self._closed and self._frame.state != "error":  # the worker died mid-run
            self._frame = Frame(self.config, "error", error=LOST)
            self.publish(self._frame)
        self._replies.put(None)
        with self._sending:
            self._closed = True
            self._conn.close()  # only this thread reads: no receive races the close
            self._sock.close()

    def _send(self, command: str, argument: Any = None) -> bool:
        with self._sending:
            if self._closed:
                return False
            try:
                self._conn.send((command, argument))
                return True
            except (OSError, ValueError):
                return False

    # the interface of LiveRun

    @property
    def error(self) -> str | None:
        return self._frame.error

    @property
    def month(self) -> int:
        return self._frame.month

    @property
    def running(self) -> bool:
        return self._frame.busy

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
        """Let the worker go: it exits and its memory returns to the system.

        The socket is shut down, not closed: the reader thread then sees the end
        and closes the connection itself (closing it here, under a receive in
        progress, made that receive fail with a TypeError).
        """
        self.publish = _ignore
        self._send("close")
        with self._sending:
            self._closed = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)


if __name__ == "__main__":
    serve_forks(sys.argv[1], int(sys.argv[2]))
