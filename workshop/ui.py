"""What every screen of the page shares: the language, texts, live HTML, the error box."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import solara
import solara.lab

from model import ParameterError
from model.inputs.policy import load_scenario
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
        return name


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
    """A refused setting: one line in the room's language (the model's own message goes to
    the server's log, for whoever looks into it)."""

    def log():
        print(f"workshop: refused: {message}", file=sys.stderr, flush=True)

    solara.use_effect(log, [message])
    solara.Error(
        f"{T('invalid')}: {explain(message, lang())} {T('fix_and_start')}", classes=["ws-error"]
    )
