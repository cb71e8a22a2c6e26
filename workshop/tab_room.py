"""The Zaal tab: every group's named run side by side, live, for the facilitator.

Each card shows a group's settings (the run's name says the scenario and the
levers moved) and its headline figures (``room.headline``), redrawn as the
runs step. Pick two cards and one click compares them on the Vergelijken tab
(A: the first picked). The handouts of every group print from here.
"""

from __future__ import annotations

import datetime as dt
import html
import threading

import solara

from workshop import handout
from workshop.room import ROOM, Entry, headline
from workshop.session import Session
from workshop.ui import T, lang


def use_room_version() -> int:
    """The room's version, and a redraw whenever it changes (checked once a second)."""
    version, set_version = solara.use_state(ROOM.version)

    def follow():
        stop = threading.Event()

        def loop():
            seen = ROOM.version
            while not stop.is_set():
                now = ROOM.wait(seen, 1.0)
                if now != seen and not stop.is_set():
                    seen = now
                    set_version(now)
                stop.wait(0.5)  # at most two redraws a second, however busy the room

        threading.Thread(target=loop, name="room-view", daemon=True).start()
        return stop.set

    solara.use_effect(follow, [])
    return version


def card_html(entry: Entry, session: Session, lc: str) -> str:
    """One group's card below its name: the run, its state, the headline figures."""
    e = html.escape
    frame = entry.frame
    state = frame.month_text(lc) if frame is not None and not frame.error else ""
    changed = f"<div class='ws-small' style='color:#b26a00'>{e(T('room_changed'))}</div>"
    rows = "".join(
        f"<tr><td>{e(label)} <span class='ws-small'>{e(unit)}</span></td><td>{e(value)}</td></tr>"
        for label, value, unit in headline(frame, lc, short=True)
    )
    return (
        f"<div class='ws-room-run' data-group='{e(entry.name)}'>"
        f"{e(session.title(entry.config, lc))}</div>"
        f"<div class='ws-small'>{e(T('seed'))} {entry.config.seed} · {e(state)}</div>"
        + (changed if entry.changed else "")
        + f"<table>{rows}</table>"
    )


@solara.component
def RoomCard(entry: Entry, session: Session, picked: solara.Reactive[list]):
    order = picked.value.index(entry.key) if entry.key in picked.value else None

    def toggle() -> None:
        keys = [k for k in picked.value if k != entry.key]
        picked.set(keys if order is not None else [*keys, entry.key][-2:])

    classes = ["ws-room-card"] + (["ws-picked"] if order is not None else [])
    with solara.Div(classes=classes):
        with solara.Row(gap="6px", style={"align-items": "center"}):
            solara.Button(
                f"☑ {'AB'[order]}" if order is not None else "☐ " + T("room_pick"),
                on_click=toggle,
                small=True,
                outlined=order is None,
                color="primary",
                classes=["ws-room-pick"],
            )
            solara.HTML(tag="b", unsafe_innerHTML=html.escape(entry.name),
                        style={"font-size": "16px"})  # fmt: skip
        solara.HTML(tag="div", unsafe_innerHTML=card_html(entry, session, lang()))


@solara.component
def RoomTab(session: Session):
    use_room_version()
    picked = solara.use_reactive([])
    entries = ROOM.entries()
    present = {e.key for e in entries}
    chosen = [k for k in picked.value if k in present]
    solara.HTML(
        tag="div",
        unsafe_innerHTML=f"<b style='font-size:17px'>{html.escape(T('room_title'))}</b> "
        f"<span class='ws-small'>{html.escape(T('room_note'))}</span>",
    )
    with solara.Div(classes=["ws-row"], style={"margin": "4px 0"}):
        solara.Button(
            T("room_compare"),
            color="primary",
            disabled=len(chosen) != 2,
            on_click=lambda: session.compare_room(*chosen),
            classes=["ws-room-compare"],
        )
        if len(chosen) != 2:
            solara.Text(T("room_pick_two"), classes=["ws-small"])
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        solara.FileDownload(
            lambda: handout.document(ROOM.entries(), session.levers, session.charts, lang()).encode(
                "utf-8"
            ),
            f"handouts-{stamp}.html",
            label=T("room_handouts"),
            mime_type="text/html",
        )
    if not entries:
        solara.Info(T("room_empty"))
        return
    with solara.Div(classes=["ws-room"]):
        for entry in entries:
            RoomCard(entry, session, picked).key(entry.key)
