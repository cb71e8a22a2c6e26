"""The sidebar: scenario, levers, seed, speed and the run's buttons."""

from __future__ import annotations

import html

import solara
import solara.lab

from model import ParameterError, scenario_names
from model.inputs.policy import load_scenario
from workshop import config as cfg
from workshop.levers import DelayLever, Lever, value_text
from workshop.live import Frame
from workshop.names import plain
from workshop.session import Session
from workshop.text import t
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
def ScenarioPicker(session: Session):
    """The scenario, and what it sets and why: the text of the scenario selected."""
    config = session.draft.value
    about = solara.use_reactive(False)
    titles = {scenario_title(n, lang()): n for n in scenario_names()}

    def pick(title: str) -> None:
        name = titles[title]
        session.draft.value = cfg.Config(name, session.draft.value.seed)

    solara.Select(
        T("scenario"), values=list(titles), value=scenario_title(config.scenario, lang()),
        on_value=pick,
    )  # fmt: skip
    solara.Button(
        ("▾ " if about.value else "▸ ") + T("about_scenario"),
        text=True,
        small=True,
        on_click=lambda: about.set(not about.value),
        classes=["ws-about"],
        style={"margin-top": "-14px", "padding": "0 2px", "align-self": "flex-start"},
    )
    if about.value:
        text = plain(load_scenario(config.scenario).description[lang()], lang())
        solara.HTML(
            tag="div", unsafe_innerHTML=html.escape(text), classes=["ws-small", "ws-about-text"]
        )


@solara.component
def NameInput(session: Session):
    """The group's name for its run: named runs show in the room."""
    solara.InputText(
        T("run_name"),
        value=session.name.value,
        on_value=session.set_name,
        continuous_update=False,
        dense=True,
        classes=["ws-name"],
    )
    solara.HTML(tag="div", unsafe_innerHTML=html.escape(T("run_name_help")), classes=["ws-small"])


@solara.component
def SeedInput(session: Session):
    """The seed, checked here so that a wrong entry reads in the room's language."""
    config = session.draft.value
    wrong = solara.use_reactive("")

    def take(text: str) -> None:
        try:
            seed = cfg.check_seed(text)
        except cfg.ConfigError as err:
            wrong.set(err.text(lang()))
            return
        wrong.set("")
        draft = session.draft.value
        session.draft.value = cfg.Config(draft.scenario, seed, draft.levers)

    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputText(
            T("seed"),
            value=str(config.seed),
            on_value=take,
            continuous_update=False,
            dense=True,
            style={"max-width": "110px"},
            classes=["ws-seed"],
        )
        speeds = {T("speed_fast"): "fast", T("speed_slow"): "slow"}
        names = {v: k for k, v in speeds.items()}
        solara.ToggleButtonsSingle(
            value=names[session.speed.value],
            values=list(speeds),
            on_value=lambda s: session.speed.set(speeds[s]),
            dense=True,
        )
    text = wrong.value or T("seed_help")
    solara.HTML(
        tag="div",
        unsafe_innerHTML=html.escape(text),
        classes=["ws-small"],
        style={"color": "#c62828"} if wrong.value else None,
    )


@solara.component
def Controls(session: Session):
    """The sidebar's settings: scenario, name, levers, seed and speed.

    The run's buttons are in :func:`RunControls`, at the sidebar's foot. Only
    that reads the run's frames, so that a new frame redraws the buttons and
    the month, not every lever.
    """
    config = session.draft.value
    ScenarioPicker(session)
    NameInput(session)
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<b>{html.escape(T('levers'))}</b> <span class='ws-small'>"
        f"{html.escape(T('levers_legend'))}</span>",
        style={"margin-top": "6px"},
    )
    with solara.Column(gap="0px"):
        for lever in session.levers:
            try:
                acts = lever.acts_in(config.scenario)
            except ParameterError:
                acts = False
            if acts:
                LeverControl(session, lever)
    SeedInput(session)


@solara.component
def RunControls(session: Session):
    """Start, pause, a month, a year, restart; the month reached; "settings changed"."""
    session.draft.value  # noqa: B018 (redrawn when the settings change: "changed" and the labels)
    frame = session.frame.value
    dirty = session.dirty and frame is not None
    if dirty:
        solara.Warning(T("changed"), dense=True, icon=True, classes=["ws-changed"])
    busy = frame is not None and frame.busy
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        if busy:
            solara.Button("❚❚ " + T("pause"), on_click=session.pause, color="primary")
        elif dirty:
            solara.Button("▶ " + T("restart_new"), on_click=session.play, color="primary")
        else:
            label = T("start") if frame is None or frame.month == 0 or frame.done else T("continue")
            solara.Button("▶ " + label, on_click=session.play, color="primary")
        done = frame is not None and frame.done and not dirty
        solara.Button(T("one_month"), on_click=session.step, disabled=busy or done, outlined=True)
        solara.Button(
            T("one_year"), on_click=lambda: session.play(12), disabled=busy or done, outlined=True
        )
        solara.Button("↺ " + T("restart"), on_click=session.restart, disabled=busy, outlined=True)
    if frame is not None and not frame.error:
        Live(session, lambda f: month_html(f, lang()), style={"margin-top": "6px"})
    if session.notice.value:
        solara.Info(session.notice.value, dense=True)


def month_html(frame: Frame, language_code: str) -> str:
    """The month reached and a progress bar (or that the run waits for its turn)."""
    share = 100 * frame.month / max(frame.horizon, 1)
    note = ""
    if frame.state == "queued":
        note = t("queued", language_code)
    elif frame.done:
        note = t("finished", language_code)
    return (
        f"<div class='ws-month'><b>{html.escape(frame.month_text(language_code))}</b></div>"
        "<div style='height:5px;background:#d6e4f5;margin-top:4px'>"
        f"<div style='height:5px;width:{share:.1f}%;background:#1976d2'></div></div>"
        + (f"<div class='ws-small'>{html.escape(note)}</div>" if note else "")
    )
