"""One browser tab's state: what it chose, its live run, its comparison."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import threading
from collections.abc import Callable, Sequence

import solara
import solara.lab

from workshop import comparison as cmp
from workshop import config as cfg
from workshop import export
from workshop import regions as reg
from workshop.levers import Lever
from workshop.live import SLOW_DELAY_S, Frame, LiveRun
from workshop.ui import language, same, scenario_title, side_title
from workshop.worker import RemoteRun

TABS = ("tab_model", "tab_compare", "tab_regions", "tab_assumptions")
ON_SCREEN = "on-screen"


class Session:
    """What one browser tab chose and shows.

    Args:
        levers: The lever table.
        charts: The live chart builders (Frame, language) -> Chart.
        comparison_charts: The comparison's chart builders.
    """

    def __init__(self, levers: Sequence[Lever], charts, comparison_charts, run_class=RemoteRun):
        self.run_class = run_class
        self.levers = tuple(levers)
        self.charts = tuple(charts)
        self.comparison_charts = tuple(comparison_charts)
        self.draft = solara.reactive(cfg.Config())
        self.frame: solara.Reactive[Frame | None] = solara.reactive(None, equals=same)
        self.speed = solara.reactive("fast")
        self.tab = solara.reactive(0)
        self.notice = solara.reactive("")
        self.side_a = solara.reactive(cfg.DEFAULT_SCENARIO)
        self.side_b = solara.reactive(ON_SCREEN)
        self.years = solara.reactive(cmp.MAX_YEARS)
        self.seeds = solara.reactive(cmp.DEFAULT_SEEDS)
        self.comparison = solara.reactive(None, equals=same)  # Comparison, or a message
        self.job = solara.reactive(None, equals=same)
        self.region_measure = solara.reactive(reg.MEASURES[0].key)
        self.dialog = solara.reactive(False)
        self.live: LiveRun | RemoteRun | None = None
        self.latest: Frame | None = None  # the newest frame; ``frame`` changes less often
        self.painters: set[Callable[[Frame], None]] = set()
        self.on_apply: Callable[[cfg.Config], None] | None = None  # puts it in the address

    # the live run

    def apply(self, config: cfg.Config | None = None) -> LiveRun | RemoteRun:
        """Build a new run from the settings (the sidebar's, or ``config``); drop the old one."""
        config = (config or self.draft.value).settings()
        if self.live is not None:
            self.live.close()
        self.live = self.run_class(config, self.levers, publish=self._publish)
        self._show(self.live.frame())
        if self.tab.value == TABS.index("tab_regions"):
            self.live.show_regions(True)
        return self.live

    def _show(self, frame: Frame) -> None:
        self.latest = frame
        self.frame.value = frame

    def _publish(self, frame: Frame) -> None:
        """A new frame from the run.

        A change of state (started, paused, finished, a new run) redraws the page
        through ``frame``. While running, the frames repaint only what shows
        figures (the painters: charts, figures, month, maps) by setting their
        widgets directly: redrawing the whole page through Solara cost about
        35 ms a frame, repainting costs the charts' few milliseconds.
        """
        self.latest = frame
        shown = self.frame.peek()
        if (
            shown is None
            or frame.state != "running"
            or shown.state != "running"
            or shown.config != frame.config
        ):
            self.frame.value = frame
        else:
            for paint in list(self.painters):
                paint(frame)

    @property
    def dirty(self) -> bool:
        """The sidebar differs from the settings the run on screen was built with."""
        return self.live is None or self.live.config != self.draft.value.settings()

    def play(self, months: int | None = None) -> None:
        live = self.apply() if self.dirty or self._finished() else self.live
        self._remember(live.config)
        live.play(months, SLOW_DELAY_S if self.speed.value == "slow" and months is None else 0.0)

    def step(self) -> None:
        live = self.apply() if self.dirty else self.live
        self._remember(live.config)
        live.step()

    def _remember(self, config: cfg.Config) -> None:
        if self.on_apply is not None:
            self.on_apply(config)

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
        self.draft.value = config.settings()
        live = self.apply(config)
        if config.month:
            live.run_to(config.month)
            self._show(live.frame())

    def show_tab(self, index: int) -> None:
        self.tab.value = index
        if self.live is not None:
            self.live.show_regions(index == TABS.index("tab_regions"))

    # the comparison

    def side(self, choice: str) -> cmp.Side:
        """A comparison side from the A/B choice: a scenario, or the settings on screen."""
        if choice == ON_SCREEN:
            config = self.draft.value.settings()
            return cmp.Side(config, {k: side_title(config, self.levers, k) for k in ("nl", "en")})
        config = cfg.Config(choice)
        return cmp.Side(config, {k: scenario_title(choice, k) for k in ("nl", "en")})

    def compare(self) -> None:
        request = cmp.Request(
            self.side(self.side_a.value),
            self.side(self.side_b.value),
            years=self.years.value,
            seeds=self.seeds.value,
        )
        self.cancel_comparison()

        def done(outcome):
            if self.job.value is job:
                self.job.value = None
            if outcome is not None:
                self.comparison.value = outcome

        job = cmp.Job(request, self.levers, done)
        self.job.value = job

    def cancel_comparison(self) -> None:
        job = self.job.value
        if job is not None:
            job.cancel()
            self.job.value = None

    # downloads

    def finished_comparison(self) -> cmp.Comparison | None:
        """The last comparison, if it finished (not a message)."""
        outcome = self.comparison.value
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
        live = self.live.export_data() if self.live is not None else None
        return export.data_zip(live, self.finished_comparison(), saved, lc)

    def summary(self, saved: cfg.Config, lc: str) -> str:
        """The one-page summary (HTML)."""
        frame = self.latest
        comparison = self.finished_comparison()
        return export.summary_html(
            frame,
            [build(frame, lc) for build in self.charts],
            saved,
            self.levers,
            lc,
            comparison,
            [build(comparison, lc) for build in self.comparison_charts] if comparison else [],
        )

    def close(self) -> None:
        """The tab closed: stop the run and the comparison, and give the memory back."""
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
