"""What every screen of the page shares: the language, texts, live HTML, the error box."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import solara
import solara.lab

from model import ParameterError
from model.policy import load_scenario
from workshop import config as cfg
from workshop.errors import explain
from workshop.live import Frame
from workshop.text import t

if TYPE_CHECKING:
    from workshop.session import Session

language = solara.reactive("nl")  # per browser tab, like every solara.reactive


def lang() -> str:
    return language.value


def T(key: str, **fields: Any) -> str:
    return t(key, lang(), **fields)


def same(a: Any, b: Any) -> bool:
    return a is b


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


@solara.component
def ErrorBox(message: str):
    with solara.Column(gap="2px"):
        solara.Error(f"{T('invalid')}: {explain(message, lang())}", classes=["ws-error"])
        solara.Text(T("fix_and_start"))
        with solara.Details(T("technical")):
            solara.Text(message)
