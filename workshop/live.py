"""The live run: one model per browser tab, stepped in a thread of its own.

The page never touches the model while it steps. A :class:`LiveRun` owns the
model; its thread steps it month by month and hands the page an immutable
:class:`Frame` (the figures so far) a few times a second and when it stops.
The page draws frames: switching language or tab re-draws the last frame and
never waits for the model, and the model never waits for a redraw of every
month. The run stops exactly at the horizon (``calendar.months``), whatever
the speed or the number of months asked for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from model import HousingMarket, ParameterError
from model.base.calendar import DAYS_PER_YEAR, as_date
from model.base.codes import GROUPS as MODEL_GROUPS
from model.inputs.parameters import COARSEST_VALIDATED_SCALE, parameter_specs
from model.reporting.presentation import GROUP_COLORS, GROUP_LABELS
from workshop import columns as col
from workshop import phases
from workshop.charts import Chart, Line
from workshop.config import Config
from workshop.levers import model_parameters, run_title
from workshop.slots import NoSlots
from workshop.text import add_months, month_label, t

SCALE = COARSEST_VALIDATED_SCALE  # households per agent: the coarsest the model vouches for
# The model's default start date (``calendar.start_date``): the start a frame shows
# before its run is built, and the one a run without its own start date begins on.
DEFAULT_START = as_date(parameter_specs()["calendar.start_date"].value)
DEFAULT_HORIZON = int(parameter_specs()["calendar.months"].value)  # months a run lasts
FRAME_INTERVAL_S = 0.25  # at most four redraws a second while running
BUSY_FRAME_INTERVAL_S = 1.0  # once a second when the run had to wait for its turn (a busy room)
REGION_INTERVAL_S = 1.5  # the regional figures are dearer: at most every 1.5 s
SLOW_DELAY_S = 0.25  # the "steady" speed: four months a second
CHUNK_S = 2.0  # a run holds its slot for at most this long before letting others step
ROLLING_MONTHS = 12  # medians over the lettings of the last twelve months


@dataclasses.dataclass(frozen=True)
class Frame:
    """What the page shows of a live run at one moment (immutable).

    Attributes:
        config: The settings the run was built with.
        state: ``ready`` (at the start), ``queued`` (waiting for other runs to step),
            ``running``, ``paused``, ``finished`` or ``error``.
        month: Months simulated (0 at the start).
        horizon: Months in the run (``calendar.months``).
        start: The start date.
        scale: Households per agent.
        series: The monthly figures the page reads (``columns.LIVE_SERIES``),
            the start first.
        stats: The last month's figures (every column of ``month_stats``).
        title: The run's name by language: the scenario's title and the levers
            the room moved (``levers.run_title``).
        description: The scenario's, by language.
        norm_weeks: The outflow norm (weeks after the permit).
        error: The model's message when the settings were refused or a month failed.
        regions: ``monthly_by_region`` so far, when asked for.
        marks: The policy phases within the horizon (``workshop.phases``).
    """

    config: Config
    state: str
    month: int = 0
    horizon: int = 0
    start: dt.date = DEFAULT_START
    scale: int = SCALE
    series: Mapping[str, np.ndarray] = dataclasses.field(default_factory=dict)
    stats: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    title: Mapping[str, str] = dataclasses.field(default_factory=dict)
    description: Mapping[str, str] = dataclasses.field(default_factory=dict)
    norm_weeks: int = 14
    error: str | None = None
    regions: pd.DataFrame | None = None
    marks: tuple[phases.Mark, ...] = ()

    @property
    def done(self) -> bool:
        return self.state == "finished"

    @property
    def busy(self) -> bool:
        """Stepping, or waiting for its turn to step."""
        return self.state in ("running", "queued")

    @property
    def date(self) -> dt.date:
        """The model's clock: the first day after the months simulated."""
        return add_months(self.start, self.month)

    def month_text(self, lang: str) -> str:
        """``Afgelopen maand: jul 2026 (13/120)`` or ``Startsituatie jan 2026``."""
        if self.month == 0:
            return t("start_state", lang, month=month_label(self.start, lang))
        last = month_label(add_months(self.start, self.month - 1), lang)
        text = t("month_of", lang, month=last, done=self.month, total=self.horizon)
        return f"{t('last_month', lang)}: {text}"


class LiveRun:
    """A model built from a configuration, stepped in a thread.

    Args:
        config: The scenario, seed and levers.
        levers: The lever table (``app.LEVERS``).
        publish: Called with each new :class:`Frame` (from the stepping thread).
        scale: Households per agent.
        slots: Limits how many runs step at once (``workshop.slots``); none by default.
    """

    def __init__(
        self,
        config: Config,
        levers,
        publish: Callable[[Frame], None] | None = None,
        scale: int = SCALE,
        slots=None,
    ):
        self.config = config.settings()
        self.levers = tuple(levers)
        self.publish = publish or _ignore
        self.slots = slots or NoSlots()
        self.lock = threading.RLock()
        self.want_regions = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._regions: pd.DataFrame | None = None
        self._regions_month = -1
        self._rows: list[dict[str, float]] = []
        self.error: str | None = None
        self.model: HousingMarket | None = None
        self.horizon = 0
        try:
            parameters = model_parameters(levers, config.overrides, config.scenario)
            self.model = HousingMarket(
                config.scenario,
                rng=config.seed,
                households_per_agent=scale,
                parameters=parameters,
            )
            self.horizon = int(self.model.params["calendar.months"])
            self.marks = phases.of_timeline(self.model.timeline, self.model.params, self.horizon)
            self._record()
        except ParameterError as err:
            self._fail(str(err))
        except (ValueError, TypeError, ArithmeticError, RecursionError, MemoryError) as err:
            self._fail(f"{type(err).__name__}: {err}")

    def _fail(self, message: str) -> None:
        """The settings were refused, or a month could not be computed: an error frame from now."""
        self.error = message
        self.model = None
        self._rows = []

    # ------------------------------------------------------------ reading

    @property
    def month(self) -> int:
        return round(self.model.time) if self.model is not None else 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _record(self) -> None:
        stats = self.model.month_stats
        row = {n: stats.get(n, np.nan) for n in col.LIVE_SERIES}
        row.update(self._rolling_medians())
        self._rows.append(row)

    def _rolling_medians(self) -> dict[str, float]:
        """Per group, the median registration time of the lettings in the last twelve months.

        A month's median of a small group jumps about (status holders: a few
        dozen lettings a month at 1:20); over twelve months it is a figure a
        room can read. The lettings are the model's own (``lettings_log``).
        """
        log = self.model.lettings_log
        months = log["month"]  # counted from the history's start (2022), like the model's clock
        now = self.model.clock.index + 1  # the first month not simulated yet, on that count
        first = np.searchsorted(months, now - ROLLING_MONTHS)  # the log is in month order
        groups = log["group"][first:]
        years = log["registration_days"][first:] / DAYS_PER_YEAR
        out = {}
        for code, group in enumerate(MODEL_GROUPS):
            mine = years[groups == code]
            out[col.registration_rolling(group)] = float(np.median(mine)) if len(mine) else np.nan
        return out

    def frame(self, state: str | None = None, fresh_regions: bool = True) -> Frame:
        """The run as it stands.

        Args:
            state: The state to report (None: ready, paused or finished, by the month).
            fresh_regions: Bring the regional figures up to date (when the page
                asked for them); else the last ones computed.
        """
        if self.model is None:
            return Frame(self.config, "error", error=self.error or "closed")
        with self.lock:
            month = self.month
            if state is None:
                state = "finished" if month >= self.horizon else ("paused" if month else "ready")
            m = self.model
            regions = self._regions
            if self.want_regions and fresh_regions:
                regions = self.regions()
            return Frame(
                config=self.config,
                state=state,
                month=month,
                horizon=self.horizon,
                start=m.start_date,
                scale=m.scale,
                series=col.series(self._rows, col.FRAME_SERIES),
                stats=dict(m.month_stats),
                title={
                    lang: run_title(self.config.scenario, self.config.overrides, self.levers, lang)
                    for lang in ("nl", "en")
                },
                description=dict(m.scenario_def.description),
                norm_weeks=int(m.params["status_holders.outflow_norm_weeks"]),
                regions=regions,
                marks=self.marks,
            )

    @property
    def parameter_values(self) -> dict[str, Any]:
        """Every parameter's value in this run (for the assumptions page)."""
        return dict(self.model.params.values) if self.model is not None else {}

    def show_regions(self, wanted: bool) -> None:
        """Include the regional figures in the frames (the regions tab is open) or not."""
        self.want_regions = wanted
        if wanted and self.model is not None and not self.running:
            self.publish(self.frame())

    def regions(self) -> pd.DataFrame:
        """The regional figures so far (``monthly_by_region``); computed once per month."""
        with self.lock:
            if self._regions_month != self.month:
                self._regions = col.region_frame(self.model)
                self._regions_month = self.month
            return self._regions

    def export_data(self) -> dict[str, Any] | None:
        """The run's monthly figures (every column), per region, and its settings record."""
        if self.model is None:
            return None
        with self.lock:
            results = self.model.results()
            return {
                "monthly": results.monthly,
                "regions": results.monthly_by_region,
                "settings": self.model.settings_record(),
            }

    # ------------------------------------------------------------ stepping

    def _advance(self) -> bool:
        """One month (under the lock); False, with an error frame to come, if it failed."""
        try:
            self.model.step()
            self._record()
        except (ValueError, TypeError, ArithmeticError, RecursionError, MemoryError) as err:
            self._fail(f"{type(err).__name__}: {err}")
            return False
        return True

    def step(self) -> Frame | None:
        """One month now (not while running, not past the horizon); the new frame."""
        if self.model is None or self.running or self.month >= self.horizon:
            return None
        with self.slots.held(self._stop), self.lock:
            self._advance()
        frame = self.frame()
        self.publish(frame)
        return frame

    def play(self, months: int | None = None, delay_s: float = 0.0) -> bool:
        """Step in the background: ``months`` months, or to the horizon. False if it cannot."""
        if self.model is None or self.running or self.month >= self.horizon:
            return False
        target = self.horizon if months is None else min(self.horizon, self.month + months)
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._loop, args=(target, delay_s), name="live-run", daemon=True
        )
        self._thread.start()
        return True

    def _loop(self, target: int, delay_s: float) -> None:
        """Step to ``target``: a stretch of months at a time while holding a slot."""
        last_frame = last_regions = time.monotonic()
        interval = [FRAME_INTERVAL_S]

        def queued() -> None:
            interval[0] = BUSY_FRAME_INTERVAL_S  # a busy room: fewer frames for every browser
            self.publish(self.frame("queued", fresh_regions=False))

        while not self._stop.is_set() and self.model is not None and self.month < target:
            with self.slots.held(self._stop, queued) as holding:
                began = time.monotonic()
                while holding and not self._stop.is_set():
                    with self.lock:
                        if self.model is None or self.month >= target or not self._advance():
                            break
                    now = time.monotonic()
                    if delay_s or now - last_frame >= interval[0]:
                        fresh = now - last_regions >= REGION_INTERVAL_S
                        if fresh:
                            last_regions = now
                        self.publish(self.frame("running", fresh_regions=fresh))
                        last_frame = time.monotonic()
                    if delay_s or now - began >= CHUNK_S:
                        break  # let a waiting run have the slot
            if delay_s:
                self._stop.wait(delay_s)
        if self.model is not None or self.error is not None:
            self.publish(self.frame())  # paused, finished at the horizon, or the error

    def pause(self) -> None:
        """Stop after the month being stepped; the thread then publishes the paused frame.

        Does not wait for the thread: the page calls this from an event handler,
        and the thread may be handing the page a frame at that moment.
        """
        self._stop.set()

    def run_to(self, month: int) -> None:
        """Step to ``month`` (at most the horizon) at once, in this thread."""
        if self.model is None:
            return
        stop = threading.Event()
        with self.slots.held(stop), self.lock:
            while self.model is not None and self.month < min(month, self.horizon):
                if not self._advance():
                    break

    def close(self) -> None:
        """Stop stepping and let the model go (the page closed or a new run replaced it)."""
        self.publish = _ignore
        self._stop.set()
        with self.lock:  # after the month being stepped
            self.model = None
            self._rows = []
            self._regions = None


def _ignore(frame: Frame) -> None:
    pass


# ------------------------------------------------------------------ the live charts


def _x_axis(frame: Frame, lang: str, flow: bool) -> tuple[np.ndarray, tuple]:
    """x positions (decimal years) of the frame's months, and ticks."""
    n = frame.month + 1
    months = np.arange(n) - (1 if flow else 0)  # a flow belongs to the month before the snapshot
    x = frame.start.year + (frame.start.month - 1 + months) / 12
    span = max(frame.horizon, 12)
    first, last = frame.start.year, add_months(frame.start, span).year
    if span > 30:
        ticks = tuple((float(y), str(y)) for y in range(first + 1, last + 1))
    else:
        ticks = tuple(
            (d.year + (d.month - 1) / 12, month_label(d, lang))
            for d in (add_months(frame.start, k) for k in range(0, span + 1, 3))
        )
    return x, ticks


def _group_lines(frame: Frame, column: Callable[[str], str], lang: str, flow: bool):
    lines = []
    for g in col.GROUPS:
        y = np.asarray(frame.series.get(column(g), np.full(frame.month + 1, np.nan)), float)
        if flow:
            y = y.copy()
            y[0] = np.nan  # the start row has no flows
        lines.append(Line(GROUP_LABELS[lang][g], GROUP_COLORS[g], y))
    return tuple(lines)


def _message(frame: Frame, lang: str, flow: bool) -> str:
    if frame.error:
        return t("no_chart", lang)
    if flow and frame.month == 0:
        return t("press_start", lang)
    return ""


def marks(frame: Frame, lang: str) -> tuple[tuple[float, str], ...]:
    """The frame's policy phases as a chart's marks."""
    return tuple((m.x, m.label(lang)) for m in frame.marks)


def _group_chart(
    frame: Frame, lang: str, name: str, column: Callable[[str], str], unit: str, flow: bool,
    panels: bool = False,
) -> Chart:  # fmt: skip
    """One line per group of a monthly figure (``flow``: over the month, so none at start)."""
    x, ticks = _x_axis(frame, lang, flow=flow)
    return Chart(
        name,
        t(f"chart_{name}", lang),
        t(unit, lang),
        x,
        ticks,
        _group_lines(frame, column, lang, flow),
        panels=panels,
        message=_message(frame, lang, flow),
        lang=lang,
        marks=marks(frame, lang),
    )


def lettings_chart(frame: Frame, lang: str) -> Chart:
    """Homes let to each group per month."""
    return _group_chart(frame, lang, "lettings", col.lettings, "unit_households_month", True)


def registration_chart(frame: Frame, lang: str) -> Chart:
    """Median registration time at letting per group, over the last twelve months' lettings."""
    return _group_chart(
        frame, lang, "registration", col.registration_rolling, "unit_registration", True
    )


def waiting_chart(frame: Frame, lang: str) -> Chart:
    """Households waiting per group, each in a panel of its own (their sizes differ 30-fold)."""
    return _group_chart(frame, lang, "waiting", col.waiting, "unit_waiting", False, panels=True)


def reception_chart(frame: Frame, lang: str) -> Chart:
    """Status holders in reception, and those past the outflow norm."""
    x, ticks = _x_axis(frame, lang, flow=False)
    n = frame.month + 1
    color = GROUP_COLORS["status_holder"]
    lines = (
        Line(
            t("in_reception_short", lang),
            color,
            np.asarray(frame.series.get(col.IN_RECEPTION, np.full(n, np.nan)), float),
        ),
        Line(
            t("over_norm", lang, norm=frame.norm_weeks),
            color,
            np.asarray(frame.series.get(col.OVER_NORM, np.full(n, np.nan)), float),
            dash=True,
        ),
    )
    return Chart(
        "reception",
        t("chart_reception", lang),
        t("unit_persons", lang),
        x,
        ticks,
        lines,
        message=_message(frame, lang, False),
        lang=lang,
        marks=marks(frame, lang),
    )


LIVE_CHARTS = (lettings_chart, registration_chart, waiting_chart, reception_chart)
