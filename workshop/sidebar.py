"""The sidebar: scenario, levers, seed, speed and the run's buttons."""

from __future__ import annotations

import html

import solara
import solara.lab

from model import ParameterError, scenario_names
from workshop import config as cfg
from workshop.levers import DelayLever, Lever, value_text
from workshop.live import Frame
from workshop.session import Session
from workshop.ui import Live, T, lang, scenario_title


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
