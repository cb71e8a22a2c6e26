"""The workshop page (Solara): controls, four tabs, save and export.

One :class:`Session` per browser tab holds what that tab chose and shows; the
components below read it. The live model runs in a worker process of its own
(:class:`workshop.worker.RemoteRun` around a :class:`workshop.live.LiveRun`)
and is never read while it steps: the page draws the frames the run hands
over. Solara's reactive values are per browser
tab, so participants never see each other's runs.

Layout for a 1400 x 900 projector: settings in the sidebar, four tabs (Model,
Vergelijken, Regio's, Aannames) in the main area, each fitting without
scrolling inside a box (the assumptions tab is a page to scroll through).
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import html
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

import solara
import solara.lab
from solara.alias import rv

from model import ParameterError, scenario_names
from model.inputs.policy import load_scenario
from model.reporting.presentation import GROUP_COLORS, GROUP_LABELS
from workshop import assumptions as asm
from workshop import columns as col
from workshop import comparison as cmp
from workshop import config as cfg
from workshop import export
from workshop import regions as reg
from workshop.charts import svg
from workshop.errors import explain
from workshop.levers import DelayLever, Lever, value_text
from workshop.live import SLOW_DELAY_S, Frame, LiveRun
from workshop.text import money, number, t
from workshop.worker import RemoteRun, start_fork_server

language = solara.reactive("nl")  # per browser tab, like every solara.reactive

TABS = ("tab_model", "tab_compare", "tab_regions", "tab_assumptions")
ON_SCREEN = "on-screen"

CSS = """
.v-navigation-drawer__content { padding: 0 6px !important; }
.ws-lever-head { display: flex; justify-content: space-between; align-items: baseline;
                 font-size: 13.5px; flex-wrap: nowrap; }
.ws-scenario .ws-value { color: #666; }
.ws-own .ws-value { font-weight: 700; color: #000; }
.ws-lever .v-input__slot { min-height: 18px !important; margin-bottom: 0 !important; }
.ws-lever .v-input { margin-top: -4px !important; padding-top: 0 !important; }
.ws-lever .v-messages { display: none !important; }
.ws-lever .v-input__control { min-height: 22px !important; }
.ws-lever .v-slider { min-height: 22px !important; }
.ws-back { min-width: 20px !important; height: 18px !important; padding: 0 4px !important; }
.ws-kpi { border-radius: 6px; padding: 3px 9px; background: #f3f4f6; flex: 1 1 0; }
.ws-kpi b { font-size: 19px; }
.ws-small { font-size: 12px; color: #555; }
.ws-chart { background: white; border: 1px solid #e6e6e6; border-radius: 6px; padding: 2px; }
.ws-verdicts { padding-left: 18px; }
.ws-verdicts li { margin: 2px 0; font-size: 14px; }
table.compare { border-collapse: collapse; font-size: 12.5px; width: 100%; }
table.compare td, table.compare th { padding: 1px 4px; text-align: right; white-space: nowrap; }
table.compare td:first-child { white-space: normal; }
table.compare td:first-child, table.compare th:first-child { text-align: left; }
.better { background: #d8f0d8; } .worse { background: #f8d7d4; } .noise { color: #888; }
.changed { background: #e8eaf6; }
.v-tab { text-transform: none !important; font-size: 16px !important;
         letter-spacing: 0 !important; }
.v-btn { text-transform: none !important; letter-spacing: 0 !important; }
.solara-content-main > .v-content__wrap > div { padding-top: 0 !important; }
"""


def lang() -> str:
    return language.value


def T(key: str, **fields: Any) -> str:
    return t(key, lang(), **fields)


def same(a: Any, b: Any) -> bool:
    return a is b


# ------------------------------------------------------------------ the session


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


def scenario_title(name: str, language_code: str) -> str:
    try:
        return load_scenario(name).title[language_code]
    except ParameterError:
        return f"{name} (?)"


def side_title(config: cfg.Config, levers, language_code: str) -> str:
    title = scenario_title(config.scenario, language_code)
    moved = sum(1 for lever in levers if lever.key in config.overrides)
    return t("own_levers", language_code, title=title, n=moved) if moved else title


@solara.component
def Live(session: Session, render: Callable[[Frame], str], classes=(), style=None):
    """HTML drawn from the newest frame, and repainted by the run while it steps."""
    session.frame.value  # noqa: B018 (drawn again on every change of state)
    latest = solara.use_ref(render)
    latest.current = render
    frame = session.latest
    element = solara.HTML(
        tag="div",
        unsafe_innerHTML=render(frame) if frame is not None else "",
        classes=list(classes),
        style=style,
    )

    def attach():
        widget = solara.get_widget(element)

        def paint(frame: Frame) -> None:
            widget.unsafe_innerHTML = latest.current(frame)

        session.painters.add(paint)
        return lambda: session.painters.discard(paint)

    solara.use_effect(attach, [])


# ------------------------------------------------------------------ the sidebar


@solara.component
def LeverControl(session: Session, lever: Lever):
    """A lever: its name, its value (grey: from the scenario; bold: the room's), a slider."""
    config = session.draft.value
    scenario = config.scenario
    positions = lever.positions_for(scenario)
    own = lever.key in config.overrides
    value = config.overrides[lever.key] if own else lever.scenario_value(scenario)
    index = lever.nearest(value, scenario)
    if own or isinstance(lever, DelayLever):
        shown = value_text(lever, value, scenario, lang())
    else:
        shown = lever.scenario_text(scenario, lang())

    def move(i: int) -> None:
        session.draft.value = session.draft.value.with_lever(lever.key, positions[i])

    def back() -> None:
        session.draft.value = session.draft.value.with_lever(lever.key, None)

    tip = f"{lever.explanation(lang())} ({T('lever_own') if own else T('lever_from_scenario')})"
    with solara.Column(gap="0px", classes=["ws-lever", "ws-own" if own else "ws-scenario"]):
        with solara.Row(gap="4px", justify="space-between", classes=["ws-lever-head"]):
            solara.HTML(
                tag="span",
                unsafe_innerHTML=html.escape(lever.label(lang())),
                attributes={"title": tip},
            )
            with solara.Row(gap="0px", style={"align-items": "baseline"}):
                solara.HTML(
                    tag="span",
                    unsafe_innerHTML=html.escape(shown),
                    classes=["ws-value"],
                    attributes={"title": tip},
                )
                if own:
                    solara.Button(
                        "↺",
                        on_click=back,
                        text=True,
                        x_small=True,
                        classes=["ws-back"],
                        attributes={"title": T("lever_back")},
                    )
        solara.SliderInt(
            "", value=index, min=0, max=len(positions) - 1, on_value=move, thumb_label=False
        )


@solara.component
def Controls(session: Session):
    """The sidebar: scenario, levers, seed, speed, and the run's buttons.

    Only :func:`RunControls` reads the run's frames, so that a new frame
    redraws the buttons and the month, not every lever.
    """
    config = session.draft.value
    titles = {scenario_title(n, lang()): n for n in scenario_names()}
    current = scenario_title(config.scenario, lang())

    def pick(title: str) -> None:
        name = titles[title]
        session.draft.value = cfg.Config(name, session.draft.value.seed)

    solara.Select(T("scenario"), values=list(titles), value=current, on_value=pick)
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<b>{html.escape(T('levers'))}</b> <span class='ws-small'>"
        f"{html.escape(T('levers_legend'))}</span>",
    )
    with solara.Column(gap="0px"):
        for lever in session.levers:
            try:
                acts = lever.acts_in(config.scenario)
            except ParameterError:
                acts = False
            if acts:
                LeverControl(session, lever)
    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.InputInt(
            T("seed"),
            value=config.seed,
            dense=True,
            style={"max-width": "110px"},
            on_value=lambda s: session.draft.set(
                cfg.Config(session.draft.value.scenario, int(s or 0), session.draft.value.levers)
            ),
        )
        speeds = {T("speed_fast"): "fast", T("speed_slow"): "slow"}
        names = {v: k for k, v in speeds.items()}
        solara.ToggleButtonsSingle(
            value=names[session.speed.value],
            values=list(speeds),
            on_value=lambda s: session.speed.set(speeds[s]),
            dense=True,
        )
    RunControls(session)


@solara.component
def RunControls(session: Session):
    """Start, pause, a month, a year, restart; the month reached; "settings changed"."""
    session.draft.value  # noqa: B018 (redrawn when the settings change: "changed" and the labels)
    frame = session.frame.value
    dirty = session.dirty and frame is not None
    if dirty:
        solara.Warning(T("changed"), dense=True, icon=True)
    running = frame is not None and frame.state == "running"
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        if running:
            solara.Button("❚❚ " + T("pause"), on_click=session.pause, color="primary")
        elif dirty:
            solara.Button("▶ " + T("restart_new"), on_click=session.play, color="primary")
        else:
            label = T("start") if frame is None or frame.month == 0 or frame.done else T("continue")
            solara.Button("▶ " + label, on_click=session.play, color="primary")
        done = frame is not None and frame.done and not dirty
        solara.Button(
            T("one_month"), on_click=session.step, disabled=running or done, outlined=True
        )
        solara.Button(
            T("one_year"),
            on_click=lambda: session.play(12),
            disabled=running or done,
            outlined=True,
        )
        solara.Button(
            "↺ " + T("restart"), on_click=lambda: session.apply(), disabled=running, outlined=True
        )
    if frame is not None and not frame.error:
        Live(session, lambda f: month_html(f, lang()), style={"margin-top": "6px"})
        if frame.done:
            solara.HTML(
                tag="div", unsafe_innerHTML=html.escape(T("finished")), classes=["ws-small"]
            )
    if session.notice.value:
        solara.Info(session.notice.value, dense=True)


def month_html(frame: Frame, language_code: str) -> str:
    """The month reached and a progress bar."""
    share = 100 * frame.month / max(frame.horizon, 1)
    return (
        f"<div class='ws-month'><b>{html.escape(frame.month_text(language_code))}</b></div>"
        "<div style='height:5px;background:#d6e4f5;margin-top:4px'>"
        f"<div style='height:5px;width:{share:.1f}%;background:#1976d2'></div></div>"
    )


# ------------------------------------------------------------------ the model tab


def kpi(title: str, value: str, note: str = "", color: str = "#444") -> str:
    """A figure in a small card: what it is (in the group's colour), the number, a note."""
    return (
        f"<div class='ws-kpi'><div class='ws-small' style='color:{color};font-weight:600'>"
        f"{html.escape(title)}</div><b>{html.escape(value)}</b>"
        f"<div class='ws-small'>{html.escape(note)}</div></div>"
    )


def kpis_html(frame: Frame, language_code: str) -> str:
    """Last month's figures per group, reception and its cost, as a row of cards."""
    if frame.error:
        return ""
    s, lc = frame.stats, language_code
    cards = []
    for g in col.GROUPS:
        housed = s.get(col.lettings(g)) if frame.month else None
        cards.append(
            kpi(
                GROUP_LABELS[lc][g],
                number(housed, lc),
                f"{t('housed_last_month', lc)}; {number(s.get(col.waiting(g)), lc)} "
                f"{t('waiting_now', lc)}",
                GROUP_COLORS[g],
            )
        )
    cards.append(
        kpi(
            t("in_reception", lc),
            number(s.get(col.IN_RECEPTION), lc),
            f"{t('persons', lc)}; {number(s.get(col.OVER_NORM), lc)} "
            f"> {frame.norm_weeks} {t('weeks', lc)}",
            GROUP_COLORS["status_holder"],
        )
    )
    cost = s.get(col.RECEPTION_COST, float("nan")) * 12
    cards.append(kpi(t("reception_cost", lc), money(cost, lc), t("per_year_now", lc)))
    return "<div style='display:flex;gap:6px;margin:2px 0 4px 0'>" + "".join(cards) + "</div>"


@solara.component
def ErrorBox(message: str):
    with solara.Column(gap="2px"):
        solara.Error(f"{T('invalid')}: {explain(message, lang())}", classes=["ws-error"])
        solara.Text(T("fix_and_start"))
        with solara.Details(T("technical")):
            solara.Text(message)


@solara.component
def ModelTab(session: Session):
    frame = session.frame.value
    about = solara.use_reactive(False)
    if frame is None:
        return
    if frame.error:
        ErrorBox(frame.error)
    title = frame.title.get(lang(), frame.config.scenario) if frame.title else ""
    with solara.Row(gap="12px", style={"align-items": "baseline"}):
        solara.HTML(
            tag="div", unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(title)}</b>"
        )
        if frame.description:
            solara.Button(
                ("▾ " if about.value else "▸ ") + T("about_scenario"),
                text=True,
                small=True,
                on_click=lambda: about.set(not about.value),
            )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(T("scale_note", k=frame.scale)),
            classes=["ws-small"],
        )
    if frame.description and about.value:
        solara.HTML(
            tag="div",
            unsafe_innerHTML=html.escape(frame.description[lang()]),
            style={"font-size": "14px", "max-width": "960px"},
        )
    Live(session, lambda f: kpis_html(f, lang()))
    with solara.GridFixed(columns=2):
        for build in session.charts:
            Live(
                session,
                lambda f, build=build: svg(build(f, lang()), 480, 262),
                classes=["ws-chart"],
            )


# ------------------------------------------------------------------ the comparison tab


@solara.component
def CompareTab(session: Session):
    names = scenario_names()
    choices = {scenario_title(n, lang()): n for n in names}
    choices[
        t("on_screen", lang(), title=side_title(session.draft.value, session.levers, lang()))
    ] = ON_SCREEN
    label_of = {v: k for k, v in choices.items()}
    job = session.job.value
    with solara.Row(gap="10px", style={"align-items": "center", "flex-wrap": "nowrap"}):
        for side, key in ((session.side_a, "side_a"), (session.side_b, "side_b")):
            solara.Select(
                T(key),
                values=list(choices),
                value=label_of.get(side.value, next(iter(choices))),
                on_value=lambda v, side=side: side.set(choices[v]),
                style={"width": "290px", "flex": "0 0 290px"},
            )
        solara.Select(
            T("years"),
            values=[str(y) for y in cmp.YEAR_CHOICES],
            value=str(session.years.value),
            on_value=lambda v: session.years.set(int(v)),
            style={"width": "70px", "flex": "0 0 70px"},
        )
        solara.Select(
            T("seeds"),
            values=[str(s) for s in cmp.SEED_CHOICES],
            value=str(session.seeds.value),
            on_value=lambda v: session.seeds.set(int(v)),
            style={"width": "120px", "flex": "0 0 120px"},
        )
        if job is None:
            solara.Button(T("compare"), on_click=session.compare, color="primary")
        else:
            solara.Button(T("cancel"), on_click=session.cancel_comparison, outlined=True)
    solara.HTML(
        tag="div",
        unsafe_innerHTML=html.escape(T("horizon_cap", years=cmp.MAX_YEARS)),
        classes=["ws-small"],
    )
    if job is not None:
        ComparisonProgress(job)
    outcome = session.comparison.value
    if outcome is None:
        if job is None:
            solara.Info(T("compare_hint"))
        return
    if isinstance(outcome, str):
        ErrorBox(outcome)
        return
    if isinstance(outcome, Exception):
        solara.Error(str(outcome))
        return
    ComparisonView(outcome, session.comparison_charts)


@solara.component
def ComparisonProgress(job: cmp.Job):
    """The comparison's progress bar, redrawn twice a second while it runs."""
    _, set_tick = solara.use_state(0)

    def poll():
        stop = threading.Event()

        def loop():
            n = 0
            while not stop.wait(0.5):
                n += 1
                set_tick(n)

        threading.Thread(target=loop, daemon=True).start()
        return stop.set

    solara.use_effect(poll, [job])
    request = job.request
    solara.ProgressLinear(100 * job.progress)
    solara.Text(
        T(
            "comparing",
            runs=2 * request.seeds + 2,
            years=request.years,
            seconds=round(request.estimate_s()),
        )
    )


@solara.component
def ComparisonView(comparison: cmp.Comparison, chart_builders):
    e = html.escape
    request = comparison.request
    with solara.Row(gap="16px", style={"align-items": "flex-start"}):
        with solara.Column(style={"flex": "0 0 32%"}, gap="4px"):
            solara.HTML(
                tag="div",
                unsafe_innerHTML=f"A: <b>{e(request.a.title[lang()])}</b><br>"
                f"B: <b>{e(request.b.title[lang()])}</b><br>"
                f"<span class='ws-small'>{e(export.setup_text(comparison, lang()))}</span>",
            )
            items = "".join(
                f"<li>{export.verdict_html(name, phrases, lang())}</li>"
                for _, name, phrases in cmp.verdicts(comparison, lang())
            )
            solara.HTML(
                tag="div",
                unsafe_innerHTML=f"<b>{e(T('verdicts'))}</b><ul class='ws-verdicts'>{items}</ul>",
                classes=["ws-verdict-box"],
            )
        with solara.Column(style={"flex": "1 1 66%", "min-width": "0"}, gap="2px"):
            solara.HTML(tag="div", unsafe_innerHTML=export.table_html(comparison, lang()))
            solara.HTML(tag="div", unsafe_innerHTML=e(T("band_note")), classes=["ws-small"])
    with solara.GridFixed(columns=3):
        for build in chart_builders:
            solara.HTML(
                tag="div",
                unsafe_innerHTML=svg(build(comparison, lang()), 400, 205),
                classes=["ws-chart"],
            )


# ------------------------------------------------------------------ the regions tab


@solara.component
def RegionsTab(session: Session):
    session.frame.value  # noqa: B018 (redrawn on a change of state)
    frame = session.latest
    outcome = session.comparison.value
    comparison = outcome if isinstance(outcome, cmp.Comparison) else None
    frames = {"live": frame.regions if frame is not None else None}
    if comparison is not None:
        frames.update({"A": comparison.regions["A"], "B": comparison.regions["B"]})
    measures = reg.available(frames.values()) or list(reg.MEASURES[:1])
    by_label = {m.label[lang() == "en"]: m for m in measures}
    measure = next((m for m in measures if m.key == session.region_measure.value), measures[0])
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(T('regions_title'))}</b>",
    )
    solara.Select(
        T("regions_measure"),
        values=list(by_label),
        value=measure.label[lang() == "en"],
        on_value=lambda v: session.region_measure.set(by_label[v].key),
        style={"max-width": "520px"},
    )
    Live(session, lambda f: regions_html(f, comparison, measure, lang()))


def regions_html(
    frame: Frame | None, comparison: cmp.Comparison | None, measure: reg.Measure, lc: str
) -> str:
    """The legend and the tile maps: the run on screen, and A and B of the last comparison."""
    e = html.escape
    frames = {"live": frame.regions if frame is not None else None}
    if comparison is not None:
        frames.update({"A": comparison.regions["A"], "B": comparison.regions["B"]})
    values = reg.values_by_map(measure, frames)
    scale = reg.shared_scale([v for v in values.values() if v is not None])
    maps = []
    if values["live"] is not None and frame is not None and frame.month:
        title = t("regions_policy_live", lc, title=frame.title.get(lc, ""))
        maps.append(("live", title, None, frame.month_text(lc)))
    if comparison is not None:
        for side, request_side in (("A", comparison.request.a), ("B", comparison.request.b)):
            if values.get(side) is not None:
                title = t("regions_policy_side", lc, side=side, title=request_side.title[lc])
                reference = values["A"] if side == "B" else None
                maps.append(
                    (side, title, reference, t("after_years", lc, years=comparison.request.years))
                )
    out = [
        f"<div class='ws-small'>{e(measure.unit[lc == 'en'])}</div>{reg.legend(measure, scale, lc)}"
    ]
    if not maps:
        out.append(f"<p>{e(t('regions_empty', lc))}</p>")
    out.append("<div style='display:flex;gap:14px;align-items:flex-start'>")
    for key, title, reference, note in maps:
        out.append(
            "<div style='flex:1 1 0;max-width:330px'>"
            + reg.tile_map(measure, values[key], title, lc, scale, reference, key)
            + f"<div class='ws-small'>{e(note)}</div></div>"
        )
    out.append("</div>")
    note = (
        t("regions_seed_note", lc, seed=1)
        if comparison is not None
        else t("regions_compare_hint", lc)
    )
    out.append(f"<div class='ws-small'>{e(note)}</div>")
    return "".join(out)


# ------------------------------------------------------------------ the assumptions tab


@solara.component
def AssumptionsTab(session: Session):
    show = solara.use_reactive("all")
    session.frame.value  # noqa: B018 (a new run may have other values)
    values = {}
    if session.live is not None:
        values = session.live.parameter_values
    counts = asm.counts()
    points = "".join(f"<li>{html.escape(p[lang() == 'en'])}</li>" for p in asm.KEY_POINTS)
    legend = " ".join(
        f"<span style='background:{asm.KIND_COLORS[k]};padding:1px 8px;border-radius:8px'>"
        f"{html.escape(T('kind_' + k))}: {counts[k]}</span>"
        for k in asm.KINDS
    )
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(T('assumptions_title'))}</b>"
        f"<ul style='font-size:15px'>{points}</ul><div>{legend} "
        f"<span class='ws-small'>{html.escape(T('sources_language'))}</span></div>",
    )
    options = {
        T("show_all"): "all",
        T("show_assumed"): "assumption",
        T("show_calibrated"): "calibrated",
        T("show_changed"): "changed",
    }
    names = {v: k for k, v in options.items()}
    with solara.Row(style={"align-items": "center"}):
        solara.Text(T("show") + ":")
        solara.ToggleButtonsSingle(
            value=names[show.value],
            values=list(options),
            on_value=lambda v: show.set(options[v]),
            dense=True,
        )
    groups = asm.items(values, lang(), show.value)
    with rv.ExpansionPanels(multiple=True, accordion=True):
        for section, section_items in groups.items():
            with rv.ExpansionPanel():
                rv.ExpansionPanelHeader(children=[f"{section} ({len(section_items)})"])
                with rv.ExpansionPanelContent():
                    solara.HTML(tag="div", unsafe_innerHTML=asm.section_html(section_items, lang()))
    solara.HTML(
        tag="div",
        unsafe_innerHTML=html.escape(asm.regions_source(lang())),
        classes=["ws-small"],
        style={"margin-top": "8px"},
    )


# ------------------------------------------------------------------ save, recall, export


@solara.component
def SaveDialog(session: Session):
    """Save the settings (link, file), recall them (file), download charts, data, summary.

    Its content is drawn only while it is open: it reads the run's frames.
    """
    if session.dialog.value:
        SaveDialogContent(session)


@solara.component
def SaveDialogContent(session: Session):
    router = solara.use_router()
    session.frame.value  # noqa: B018 (redrawn on a change of state)
    frame = session.latest
    config = session.draft.value
    month = frame.month if frame is not None and not session.dirty else 0
    saved = cfg.Config(config.scenario, config.seed, config.levers, month)
    link = f"{router.path or '/'}?{saved.to_query(lang())}"
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")

    def on_file(info) -> None:
        try:
            recalled, code = cfg.from_json(info["data"], [lever.key for lever in session.levers])
        except cfg.ConfigError as err:
            session.notice.value = T("recall_failed", why=str(err))
            return
        session.recall(recalled, code)
        session.notice.value = T("recalled", name=info["name"])
        session.dialog.value = False

    def charts():
        frame = session.latest
        out = [build(frame, lang()) for build in session.charts] if frame is not None else []
        outcome = session.comparison.value
        if isinstance(outcome, cmp.Comparison):
            out += [build(outcome, lang()) for build in session.comparison_charts]
        return export.charts_zip(out)

    def data():
        live = session.live.export_data() if session.live is not None else None
        outcome = session.comparison.value
        comparison = outcome if isinstance(outcome, cmp.Comparison) else None
        return export.data_zip(live, comparison, saved, lang())

    def summary():
        frame = session.latest
        outcome = session.comparison.value
        comparison = outcome if isinstance(outcome, cmp.Comparison) else None
        return export.summary_html(
            frame,
            [build(frame, lang()) for build in session.charts],
            saved,
            session.levers,
            lang(),
            comparison,
            [build(comparison, lang()) for build in session.comparison_charts]
            if comparison is not None
            else [],
        ).encode("utf-8")

    with (
        rv.Dialog(v_model=session.dialog.value, on_v_model=session.dialog.set, max_width=640),
        solara.Card(T("save_recall")),
    ):
        solara.Text(T("link_help"), style={"font-size": "13px"})
        solara.InputText(T("link"), value=link, disabled=False, classes=["ws-link"])
        with solara.Row(gap="8px", style={"flex-wrap": "wrap", "margin": "6px 0"}):
            solara.FileDownload(
                saved.to_json(lang()),
                f"instellingen-{stamp}.json",
                label=T("save_file"),
                mime_type="application/json",
            )
        solara.FileDrop(label=T("recall_file"), on_file=on_file, lazy=False)
        solara.HTML(
            tag="div",
            unsafe_innerHTML=f"<b>{html.escape(T('export'))}</b>",
            style={"margin-top": "12px"},
        )
        with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
            solara.FileDownload(
                charts,
                f"grafieken-{stamp}.zip",
                label=T("export_png"),
                mime_type="application/zip",
            )
            solara.FileDownload(
                data,
                f"gegevens-{stamp}.zip",
                label=T("export_csv"),
                mime_type="application/zip",
            )
            solara.FileDownload(
                summary,
                f"samenvatting-{stamp}.html",
                label=T("export_html"),
                mime_type="text/html",
            )


# ------------------------------------------------------------------ the page


def configure_server() -> None:
    """Settings of the Solara server that a workshop needs (unless set in the environment).

    * No "runs on Solara" banner over the charts.
    * A tab whose connection dropped (not closed: closing ends its session at
      once) keeps its session for 10 minutes instead of Solara's 24 hours, so
      that the server's memory comes back after a workshop
      (``SOLARA_KERNEL_CULL_TIMEOUT`` overrides).
    """
    import solara.server.settings as server

    if "SOLARA_THEME_SHOW_BANNER" not in os.environ:
        server.theme.show_banner = False
    if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
        server.kernel.cull_timeout = "10m"


def make_page(
    levers: Sequence[Lever], charts, comparison_charts, processes: bool = True
) -> Callable:
    """The page component for these levers and charts (``app.py`` calls this).

    Args:
        levers: The levers in the sidebar.
        charts: The live charts' builders.
        comparison_charts: The comparison charts' builders.
        processes: Each tab's model in a worker process (``workshop.worker``; needs
            ``os.fork``, so not on Windows); False: in a thread of the server.
    """
    configure_server()
    processes = processes and hasattr(os, "fork")
    run_class = RemoteRun if processes else LiveRun
    if processes:
        start_fork_server()

    @solara.component
    def Page():
        session = solara.use_memo(lambda: Session(levers, charts, comparison_charts, run_class), [])
        router = solara.use_router()

        def start():
            try:
                config, code = cfg.from_query(router.search, [lever.key for lever in levers])
            except cfg.ConfigError as err:
                config, code = cfg.Config(), None
                session.notice.value = t("recall_failed", language.value, why=str(err))
            session.recall(config, code)
            return session.close

        def address(config: cfg.Config) -> None:
            """The settings in the address bar: a reload or a bookmark brings them back."""
            query = config.to_query(language.value)
            if router.search != query:
                router.push(f"{router.path or '/'}?{query}")

        session.on_apply = address
        solara.use_effect(start, [])
        solara.Style(CSS)
        solara.Title(T("app_title"))
        with solara.AppBar():
            solara.Button(
                T("save_recall") + " · " + T("export"),
                icon_name="mdi-content-save",
                on_click=lambda: session.dialog.set(True),
                text=True,
            )
            solara.ToggleButtonsSingle(
                value=lang().upper(),
                values=["NL", "EN"],
                on_value=lambda v: language.set(v.lower()),
                dense=True,
            )
        with solara.Sidebar():
            Controls(session)
        SaveDialog(session)
        with solara.lab.Tabs(value=session.tab.value, on_value=session.show_tab):
            for key in TABS:
                solara.lab.Tab(T(key))
        tab = TABS[session.tab.value]
        if tab == "tab_model":
            ModelTab(session)
        elif tab == "tab_compare":
            CompareTab(session)
        elif tab == "tab_regions":
            RegionsTab(session)
        else:
            AssumptionsTab(session)

    return Page
