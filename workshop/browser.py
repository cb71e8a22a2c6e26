"""Serving the app and driving it in Debian's Chromium (browser tests, load test, screenshots).

``Server`` starts ``solara run app.py`` on a free port in a process group of
its own and stops that group (and nothing else) when done. Chromium is the
system's (``/usr/bin/chromium``; Playwright's own download does not work
offline) with the arguments a root user without network needs.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}  # the workshop's projector


def start_text(lang: str = "nl") -> str:
    """The month status of a run not yet started (``Startsituatie jan 2026``): the default
    start date, as the app writes it."""
    from workshop.live import DEFAULT_START
    from workshop.text import month_label, t

    return t("start_state", lang, month=month_label(DEFAULT_START, lang))


def month_text(done: int, total: int = 120, lang: str = "nl") -> str:
    """The month status after ``done`` months (``Afgelopen maand: jan 2026 (1/120)``)."""
    from model.base.calendar import add_months
    from workshop.live import DEFAULT_START
    from workshop.text import month_label, t

    last = month_label(add_months(DEFAULT_START, done - 1), lang)
    return f"{t('last_month', lang)}: {t('month_of', lang, month=last, done=done, total=total)}"


# As ``make app`` serves it: two malloc arenas in the web server, not one per thread.
SERVER_ENV = {"MALLOC_ARENA_MAX": "2"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``solara run app.py`` on a free port; a context manager.

    Args:
        log: File for the server's output.
        production: ``--production`` (as ``make app`` serves it).
        env: Extra environment variables.
    """

    def __init__(self, log: Path, production: bool = True, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = Path(log)
        solara = Path(sys.executable).with_name("solara")
        command = [
            str(solara),
            "run",
            "app.py",
            "--no-open",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        if production:
            command.insert(2, "--production")
        with self.log.open("w") as out:
            self.proc = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, **(env or {})},
            )

    def wait(self, timeout: float = 60) -> None:
        """Until the server answers.

        Raises:
            RuntimeError: It stopped or did not answer in time (with its log).
        """
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"solara run stopped:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"solara run did not answer in {timeout} s:\n{self.log.read_text()}"
                )
            time.sleep(0.3)

    def stop(self) -> None:
        """Stop the server and its children: the process group it leads, which we started."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self) -> Server:
        try:
            self.wait()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def launch(playwright):
    """Debian's Chromium through Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


# What a Dutch page must not show: English words that have no place in Dutch
# text, the word "agent", and the model's code names for parameters.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|with|which|from|this|that|where|when|will|would|homes?|households?|"
    r"seekers?|waiting|lettings?|reception|permit|settings|agents?|press|choose|"
    r"assumptions?|regions?|compare|months?|years?)\b",
    re.IGNORECASE,
)
CODE_NAME = re.compile(
    r"\b(calendar|phases|scale|stock|dwellings|regular|urgent|status_holders|asylum|reception|"
    r"reunification|integration|allocation|policy|geography)\.[a-z_]+"
)

# Elements that scroll sideways, and the page itself (JavaScript for ``page.evaluate``).
SIDEWAYS = """() => {
  const out = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth + 1) out.push('document');
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.clientWidth === 0) continue;
    if (el.closest('.v-slide-group__wrapper, .v-tabs-bar')) continue;  // the tabs' own arrows
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.className || el.tagName);
  }
  return out;
}"""

# Whether an element is on screen and nothing covers its middle (``page.evaluate``).
REACHABLE = """(el) => {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return 'no size';
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return 'off screen';
  const top = document.elementFromPoint(x, y);
  return top && (el.contains(top) || top.contains(el)) ? 'ok' : 'covered';
}"""
