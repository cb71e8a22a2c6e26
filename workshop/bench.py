"""Load test of the workshop app: one user, then a room of participants, then memory.

``python -m workshop.bench`` (``make bench-app``, part of ``make bench``)
starts the app as ``make app`` serves it, drives it in Debian's Chromium and
prints:

* one user: seconds from pressing Start to "120/120" at the app's scale (1:20);
* N participants (browser contexts, default 15) pressing Start at once, each
  with a seed of its own (so no two runs are the same and none can be shared):
  each one's seconds to "120/120";
* the server's memory at its start, at its peak, and after every tab closed (a
  closed tab ends its session at once; the figure is polled until it settles,
  at most a minute): the resident set of the web server and its child
  processes (the fork server and the tabs' worker processes; pages they
  share are counted in each, so the peak is an overestimate);
* the machine's load average before and during, since the machine is shared.

Targets: one user under 15 s; each of 15 participants under 60 s; memory
back within 50 MB of the start. ``--check`` exits with status 1 when one is
missed. The browsers run on the same machine as the server, so they compete
with it for the CPU: in a workshop every participant brings their own. The
machine may be shared: the load average before, during and after is printed
beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from workshop.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, Server, month_text, start_text

TARGET_ONE_S = 15.0
TARGET_ROOM_S = 60.0
TARGET_MEMORY_MB = 50.0
START = start_text()  # "Startsituatie jan 2026": the model's default start date
DONE = month_text(120)  # "Afgelopen maand: dec 2035 (120/120)"


@dataclass
class Measurement:
    """What the load test measured."""

    one_user_s: float = float("nan")
    room_s: list[float] = field(default_factory=list)
    memory_start_mb: float = float("nan")
    memory_peak_mb: float = float("nan")
    memory_end_mb: float = float("nan")
    settle_s: float = float("nan")
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_during: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    participants: int = 15

    @property
    def memory_back_mb(self) -> float:
        return self.memory_end_mb - self.memory_start_mb

    def targets(self) -> dict[str, bool]:
        return {
            f"one user under {TARGET_ONE_S:g} s": self.one_user_s < TARGET_ONE_S,
            f"each of {self.participants} under {TARGET_ROOM_S:g} s": bool(self.room_s)
            and max(self.room_s) < TARGET_ROOM_S,
            f"memory back within {TARGET_MEMORY_MB:g} MB": self.memory_back_mb < TARGET_MEMORY_MB,
        }

    def report(self) -> str:
        room = sorted(self.room_s)
        lines = [
            "Workshop app load test (Chromium, 1400x900, app scale 1:20, ten years = 120 months)",
            f"  machine: {os.cpu_count()} cores; load average (1 min) before "
            f"{self.load_before[0]:.2f}, during the room {self.load_during[0]:.2f}, after "
            f"{self.load_after[0]:.2f}",
            f"  one user, ten years:              {self.one_user_s:6.1f} s  "
            f"(target < {TARGET_ONE_S:g} s)",
            f"  {self.participants} participants at once (a seed each), each:   "
            + (f"{room[0]:.1f} to {room[-1]:.1f} s, median {room[len(room) // 2]:.1f} s"
               if room else "-")
            + f"  (target < {TARGET_ROOM_S:g} s)",
            "    every run: " + " ".join(f"{s:.1f}" for s in room),
            f"  server memory: start {self.memory_start_mb:.0f} MB, peak "
            f"{self.memory_peak_mb:.0f} MB, after the tabs closed {self.memory_end_mb:.0f} MB "
            f"({self.memory_back_mb:+.0f} MB, settled in {self.settle_s:.0f} s; "
            f"target < +{TARGET_MEMORY_MB:g} MB)",
        ]  # fmt: skip
        for name, ok in self.targets().items():
            lines.append(f"  {'met ' if ok else 'MISSED'}  {name}")
        return "\n".join(lines)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (MB)."""
    import psutil

    process = psutil.Process(pid)
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total / 2**20


async def _open(browser, url: str):
    """A tab with the app loaded, at its start."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    await page.goto(url, wait_until="networkidle", timeout=120_000)
    await page.locator(".ws-month", has_text=START).wait_for(timeout=120_000)
    return context, page


async def _run(page) -> float:
    """Press Start and wait for the horizon; the seconds it took."""
    began = time.monotonic()
    await page.get_by_role("button", name="▶ Start").click()
    await page.locator(".ws-month", has_text=DONE).wait_for(timeout=600_000)
    return time.monotonic() - began


async def _close(context, page) -> None:
    """Close a tab the way a person does: the page goes away and its browser stays a moment.

    Leaving the page sends Solara's close beacon, which ends the session at once;
    closing the browser context right after can cancel the beacon in flight (the
    session would then end only when the server culls it, ``kernel.cull_timeout``).
    """
    await page.goto("about:blank")
    await asyncio.sleep(1)
    await context.close()


async def _measure(participants: int, log: Path) -> Measurement:
    from playwright.async_api import async_playwright

    m = Measurement(participants=participants, load_before=os.getloadavg())
    with Server(log) as server:
        pid = server.proc.pid
        time.sleep(2)
        m.memory_start_mb = rss_mb(pid)
        peak = [m.memory_start_mb]
        stop = threading.Event()

        def watch():
            while not stop.wait(0.5):
                peak[0] = max(peak[0], rss_mb(pid))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context, page = await _open(browser, server.url)
            m.one_user_s = await _run(page)
            await _close(context, page)

            urls = [f"{server.url}?seed={seed}" for seed in range(1, participants + 1)]
            tabs = await asyncio.gather(*[_open(browser, url) for url in urls])
            load_probe = asyncio.create_task(_load_after(5))
            m.room_s = list(await asyncio.gather(*[_run(page) for _, page in tabs]))
            m.load_during = await load_probe
            for context, page in tabs:
                await _close(context, page)
            await browser.close()
        began = time.monotonic()
        while True:
            time.sleep(2)
            now = rss_mb(pid)
            if now - m.memory_start_mb < TARGET_MEMORY_MB or time.monotonic() - began > 60:
                break
        m.memory_end_mb = now
        m.settle_s = time.monotonic() - began
        m.load_after = os.getloadavg()
        stop.set()
        m.memory_peak_mb = peak[0]
    return m


async def _load_after(seconds: float) -> tuple[float, float, float]:
    await asyncio.sleep(seconds)
    return os.getloadavg()


def measure(participants: int = 15, log: Path | None = None) -> Measurement:
    """Run the load test (needs Chromium and playwright)."""
    if log is None:
        log = Path(tempfile.mkdtemp(prefix="workshop-bench-")) / "server.log"
    return asyncio.run(_measure(participants, log))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workshop.bench", description=__doc__.split(
        "\n")[0])  # fmt: skip
    parser.add_argument("--participants", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("workshop bench: /usr/bin/chromium is not installed; skipped", file=sys.stderr)
        return 0
    m = measure(args.participants)
    print(m.report())
    return 1 if args.check and not all(m.targets().values()) else 0


if __name__ == "__main__":
    sys.exit(main())
