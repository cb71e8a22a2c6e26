"""One browser tab's state: what it chose, its live run, its comparison, its place in the room.

The live model runs in a worker process (``workshop.worker``). A tab that
closes ends its session, and its worker, at once. A tab whose browser was
killed (or whose laptop went to sleep) closes nothing: its connection just
drops, and Solara keeps the session a while for a reconnect. The session
then lets its worker go after :data:`DISCONNECT_GRACE_S` (the run's 120 MB
come back) and keeps only the last frame; pressing Start or Verder after a
reconnect builds the run again up to the month reached (same seed, same run).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import os
import threading
import time
from collections.abc import Callable, Sequence

import solara

from workshop import comparison as cmp
from workshop import config as cfg
from workshop import export, handout
from workshop import regions as reg
from workshop.levers import Lever, run_title
from workshop.live import SLOW_DELAY_S, Frame, LiveRun
from workshop.room import ROOM, Entry
from workshop.text import t
from workshop.ui import language, same
from workshop.worker import RemoteRun

TABS = ("tab_model", "tab_compare", "tab_regions", "tab_room", "tab_assumptions")
ON_SCREEN = "on-screen"
ROOM_SIDE = "zaal:"  # a comparison side taken from the room: "zaal:<key>"
DISCONNECT_GRACE_S = float(os.environ.get("WORKSHOP_DISCONNECT_GRACE_S", "30"))
ROOM_INTERVAL_S = 1.0  # a running run updates the room at most once a second


class Session:
    """What one browser tab chose and shows.

    Args:
        levers: The lever table.
        charts: The live chart builders (Frame, language) -> Chart.
        comparison_charts: The comparison's chart builders.
        run_class: :class:`RemoteRun` (a worker process) or :class:`LiveRun` (a thread).
    """

    def __init__(self, levers: Sequence[Lever], charts, comparison_charts, run_class=RemoteRun):
        self.run_class = run_class
        self.levers = tuple(levers)
        self.charts = tuple(charts)
        self.comparison_charts = tuple(comparison_charts)
        self.key = ROOM.new_key()
        self.draft = solara.reactive(cfg.Config())
        self.name = solara.reactive("")
        self.frame: solara.Reactive[Frame | None] = solara.reactive(None, equals=same)
        self.speed = solara.reactive("fast")
        self.tab = solara.reactive(0)
        self.notice = solara.reactive("")
        self.error = solara.reactive(None)  # a refused link or file: (Dutch, English) line
        self.side_a = solara.reactive(cfg.DEFAULT_SCENARIO)
        self.side_b = solara.reactive(ON_SCREEN)
        self.years = solara.reactive(cmp.MAX_YEARS)
        self.seeds = solara.reactive(cmp.DEFAULT_SEEDS)
        self.comparison = solara.reactive(None, equals=same)  # Comparison, or a message
        self.job = solara.reactive(None, equals=same)
        self.region_measure = solara.reactive(reg.MEASURES[0].key)
        self.dialog = solara.reactive(False)
        self.sidebar = solara.reactive("auto")  # auto (by the screen), shown or hidden
        self.present = solara.reactive(False)  # presentation mode
        self.locked = solara.reactive(False)  # presentation locked against stray clicks
        self.live: LiveRun | RemoteRun | None = None
        self.run_config: cfg.Config | None = None  # the settings of the run on screen
        self.latest: Frame | None = None  # the newest frame; ``frame`` changes less often
        self.painters: set[Callable[[Frame], None]] = set()
        self.on_apply: Callable[[cfg.Config], None] | None = None  # puts it in the address
        self._room_time = 0.0
        self._closed = threading.Event()

    # the live run

    def apply(self, config: cfg.Config | None = None) -> LiveRun | RemoteRun:
        """Build a new run from the settings (the sidebar's, or ``config``); drop the old one."""
        config = (config or self.draft.value).settings()
        if self.live is not None:
            self.live.close()
        self.run_config = config
        self.live = self.run_class(config, self.levers, publish=self._publish)
        self._show(self.live.frame())
        if self.tab.value == TABS.index("tab_regions"):
            self.live.show_regions(True)
        return self.live

    def _show(self, frame: Frame) -> None:
        self.latest = frame
        self.frame.value = frame
        self.to_room()

    def _publish(self, frame: Frame) -> None:
        """A new frame from the run.

        A change of state (started, paused, finished, a new run) redraws the page
        through ``frame``. While busy (running, or queued for its turn), the
        frames repaint only what shows figures (the painters: charts, figures,
        month, maps) by setting their widgets directly: redrawing the whole page
        through Solara cost about 35 ms a frame, repainting costs the charts' few
        milliseconds.
        """
        self.latest = frame
        shown = self.frame.peek()
        if shown is None or not (frame.busy and shown.busy) or shown.config != frame.config:
            self.frame.value = frame
            self.to_room()
        else:
            for paint in list(self.painters):
                paint(frame)
            if time.monotonic() - self._room_time >= ROOM_INTERVAL_S:
                self.to_room()

    @property
    def dirty(self) -> bool:
        """The sidebar differs from the settings the run on screen was built with."""
        return self.run_config is None or self.run_config != self.draft.value.settings()

    def _running_live(self) -> LiveRun | RemoteRun:
        """The live run of the settings on screen: built again if it was let go."""
        if self.live is None and self.run_config is not None:
            month = self.latest.month if self.latest is not None else 0
            self.apply(self.run_config)
            if month:
                self.live.run_to(month)
                self._show(self.live.frame())
        return self.live

    def play(self, months: int | None = None) -> None:
        live = self.apply() if self.dirty or self._finished() else self._running_live()
        self._remember(live.config)
        live.play(months, SLOW_DELAY_S if self.speed.value == "slow" and months is None else 0.0)

    def step(self) -> None:
        live = self.apply() if self.dirty else self._running_live()
        self._remember(live.config)
        live.step()

    def restart(self) -> None:
        self.apply()

    def _remember(self, config: cfg.Config) -> None:
        """The run's settings (and the group's name) into the address bar."""
        if self.on_apply is not None:
            self.on_apply(dataclasses.replace(config, name=self.name.peek()))

    def pause(self) -> None:
        if self.live is not None:
            self.live.pause()

    def _finished(self) -> bool:
        frame = self.frame.value
        return frame is not None and frame.done

    def recall(self, config: cfg.Config, language_code: str | None = None) -> None:
        """Take a saved configuration: the sidebar, a new run, stepped to the saved month."""
        if language_code:
            language.value = language_code
        self.error.value = None
        self.draft.value = config.settings()
        self.name.value = config.name
        live = self.apply(config)
        if config.month:
            live.run_to(config.month)
            self._show(live.frame())

    def refuse(self, error: cfg.ConfigError) -> None:
        """A link or a file that cannot be used: its one line, and nothing else changes."""
        self.error.value = error.lines
        self.notice.value = ""

    def show_tab(self, index: int) -> None:
        self.tab.value = index
        if self.live is not None:
            self.live.show_regions(index == TABS.index("tab_regions"))

    def parameter_values(self) -> dict:
        return self.live.parameter_values if self.live is not None else {}

    # the room

    def set_name(self, name: str) -> None:
        """The group's name for its run: named runs appear in the room, unnamed ones leave it."""
        self.name.value = cfg.clean_name(name)
        self.to_room()

    def to_room(self) -> None:
        """Tell the room about this tab's run (a named run only)."""
        self._room_time = time.monotonic()
        if self._closed.is_set() or self.run_config is None:
            return
        ROOM.put(
            Entry(
                self.key,
                self.name.peek(),
                self.run_config,
                self.latest,
                self.finished_comparison(),
                self.region_figures,
                self.dirty,
            )
        )

    def region_figures(self):
        """The live run's regional figures (for a handout), or None if it was let go."""
        data = self.live.export_data() if self.live is not None else None
        return data["regions"] if data else None

    # the comparison

    def side(self, choice: str) -> cmp.Side:
        """A comparison side: a scenario, the settings on screen, or a run from the room."""
        if choice == ON_SCREEN:
            config = self.draft.value.settings()
        elif choice.startswith(ROOM_SIDE):
            entry = ROOM.get(choice.removeprefix(ROOM_SIDE))
            if entry is None:
                raise KeyError(choice)
            title = {k: f"{entry.name}: {self.title(entry.config, k)}" for k in ("nl", "en")}
            return cmp.Side(entry.config, title)
        else:
            config = cfg.Config(choice)
        return cmp.Side(config, {k: self.title(config, k) for k in ("nl", "en")})

    def title(self, config: cfg.Config, lang: str) -> str:
        """A run's name: the scenario and the levers moved (``levers.run_title``)."""
        return run_title(config.scenario, config.overrides, self.levers, lang)

    def compare(self) -> None:
        try:
            a, b = self.side(self.side_a.value), self.side(self.side_b.value)
        except KeyError:  # a run that left the room since it was picked
            self.comparison.value = "room_gone"
            return
        request = cmp.Request(a, b, years=self.years.value, seeds=self.seeds.value)
        self.cancel_comparison()

        def done(outcome):
            if self.job.value is job:
                self.job.value = None
            if outcome is not None:
                self.comparison.value = outcome
                self.to_room()

        job = cmp.Job(request, self.levers, done)
        self.job.value = job

    def compare_room(self, first: str, second: str) -> None:
        """Compare two runs of the room (A: the first, B: the second) on the comparison tab."""
        self.side_a.value = ROOM_SIDE + first
        self.side_b.value = ROOM_SIDE + second
        self.show_tab(TABS.index("tab_compare"))
        self.compare()

    def cancel_comparison(self) -> None:
        job = self.job.value
        if job is not None:
            job.cancel()
            self.job.value = None

    # downloads

    def finished_comparison(self) -> cmp.Comparison | None:
        """The last comparison, if it finished (not a message)."""
        outcome = self.comparison.peek()
        return outcome if isinstance(outcome, cmp.Comparison) else None

    def charts_zip(self, lc: str) -> bytes:
        """The live charts and, after a comparison, its charts, as PNG files in a zip."""
        frame = self.latest
        out = [build(frame, lc) for build in self.charts] if frame is not None else []
        comparison = self.finished_comparison()
        if comparison is not None:
            out += [build(comparison, lc) for build in self.comparison_charts]
        return export.charts_zip(out)

    def data_zip(self, saved: cfg.Config, lc: str) -> bytes:
        """The live run's figures and the comparison's as CSV files in a zip."""
        live = self._running_live()
        data = live.export_data() if live is not None else None
        return export.data_zip(data, self.finished_comparison(), saved, self.levers, lc)

    def handout(self, lc: str) -> str:
        """This tab's one-page A4 handout (HTML)."""
        entry = Entry(
            self.key,
            self.name.peek() or t("this_run", lc),
            self.run_config or self.draft.peek().settings(),
            self.latest,
            self.finished_comparison(),
            self.region_figures,
        )
        return handout.document([entry], self.levers, self.charts, lc)

    # the end

    def watch(self, connected: Callable[[], bool]) -> None:
        """Let the worker go when the browser has been gone for ``DISCONNECT_GRACE_S``.

        Args:
            connected: Whether a page of this session is connected now.
        """

        def loop() -> None:
            away = None
            while not self._closed.wait(min(5.0, max(DISCONNECT_GRACE_S / 3, 0.2))):
                if connected():
                    away = None
                elif away is None:
                    away = time.monotonic()
                elif time.monotonic() - away >= DISCONNECT_GRACE_S and not connected():
                    self.suspend()

        threading.Thread(target=loop, name="session-watch", daemon=True).start()

    def suspend(self) -> None:
        """Let the worker go; the last frame stays, and Start builds the run again."""
        live, self.live = self.live, None
        if live is not None:
            live.close()
            release_memory()

    def close(self) -> None:
        """The tab closed: stop the run and the comparison, leave the room, free the memory."""
        self._closed.set()
        ROOM.remove(self.key)
        if self.live is not None:
            self.live.close()
            self.live = None
        self.latest = None
        self.painters.clear()
        job = self.job.peek()
        if job is not None:
            job.cancel()
        release_memory()


def release_memory(delays_s: tuple[float, ...] = (3.0, 20.0)) -> None:
    """Return freed memory to the operating system, a moment after a tab closed.

    Python frees a closed tab's model, but the C allocator keeps the pages
    (one arena per thread that allocated them) unless asked: after eight
    sessions the server stayed about 200 MB above its start. ``malloc_trim``
    (glibc) hands them back; elsewhere this only collects garbage.
    """

    def release() -> None:
        gc.collect()
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)

    for delay in delays_s:  # once the session's objects are gone, and again later
        timer = threading.Timer(delay, release)
        timer.daemon = True
        timer.start()
