"""The workshop page (Solara): the shell every screen shares, from a phone to a projector.

One :class:`workshop.session.Session` per browser tab holds what that tab
chose and shows; the components read it. The live model runs in a worker
process of its own (:class:`workshop.worker.RemoteRun` around a
:class:`workshop.live.LiveRun`) and is never read while it steps: the page
draws the frames the run hands over. Solara's reactive values are per
browser tab, so participants never see each other's runs, except the runs
a group names for the room (``workshop.room``).

The shell is the app's own (``workshop.style`` says how it adapts): a top bar
(settings, save and download, presentation mode, language), the sidebar
(``workshop.sidebar``) and five tabs, one module each: Model, Vergelijken,
Regio's, Zaal and Aannames.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence

import solara
import solara.lab

from workshop import config as cfg
from workshop.dialogs import RefusedLine, SaveDialog
from workshop.levers import Lever
from workshop.live import LiveRun
from workshop.session import TABS, Session
from workshop.sidebar import Controls, RunControls
from workshop.style import CSS
from workshop.tab_assumptions import AssumptionsTab
from workshop.tab_compare import CompareTab
from workshop.tab_model import ModelTab
from workshop.tab_regions import RegionsTab
from workshop.tab_room import RoomTab
from workshop.ui import T, lang, language
from workshop.worker import RemoteRun, start_fork_server

SCREENS = {
    "tab_model": ModelTab,
    "tab_compare": CompareTab,
    "tab_regions": RegionsTab,
    "tab_room": RoomTab,
    "tab_assumptions": AssumptionsTab,
}
UNLOCK_WINDOW_S = 5.0  # the second click that unlocks must come within this time


def configure_server() -> None:
    """Settings of the Solara server that a workshop needs (unless set in the environment).

    * No "runs on Solara" banner over the charts.
    * A tab whose connection dropped (not closed: closing ends its session at
      once) keeps its session for 10 minutes instead of Solara's 24 hours
      (``SOLARA_KERNEL_CULL_TIMEOUT`` overrides); its model's worker goes much
      sooner (``workshop.session.DISCONNECT_GRACE_S``).
    """
    import solara.server.settings as server

    if "SOLARA_THEME_SHOW_BANNER" not in os.environ:
        server.theme.show_banner = False
    if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
        server.kernel.cull_timeout = "10m"


def connection_probe() -> Callable[[], bool] | None:
    """Whether a page of the current session is connected (None outside a served page)."""
    try:
        from solara.server import kernel_context

        context = kernel_context.get_current_context()
    except Exception:  # rendered without a server (the tests)
        return None
    status = getattr(context, "page_status", None)
    if status is None:
        return None
    connected = kernel_context.PageStatus.CONNECTED
    return lambda: connected in list(status.values())


@solara.component
def LockButton(session: Session):
    """Lock the presentation against stray clicks; unlocking takes two clicks."""
    armed = solara.use_reactive(False)

    def unlock() -> None:
        if armed.value:
            armed.set(False)
            session.locked.set(False)
            return
        armed.set(True)
        timer = threading.Timer(UNLOCK_WINDOW_S, lambda: armed.set(False))
        timer.daemon = True
        timer.start()

    if session.locked.value:
        label = T("unlock_again") if armed.value else "🔒 " + T("unlock")
        on_click, classes = unlock, ["ws-unlock"]
    else:
        label = "🔓 " + T("lock")
        on_click, classes = (lambda: session.locked.set(True)), ["ws-lock-button"]
    solara.Button(label, on_click=on_click, text=True, classes=classes,
                  attributes={"title": T("lock_help")})  # fmt: skip


def labelled(icon: str, label: str, on_click: Callable, css: str) -> None:
    """A top-bar button: its icon (Material Design, served with the page), and its label
    where the screen is wide enough."""
    solara.Button(
        icon_name=icon,
        children=[solara.HTML(tag="span", unsafe_innerHTML=" " + label, classes=["ws-label"])],
        text=True,
        on_click=on_click,
        classes=[css],
        attributes={"title": label, "aria-label": label},
    )


@solara.component
def TopBar(session: Session):
    """The top bar: the sidebar's button, the title, save and download, presenting, language."""
    present, locked = session.present.value, session.locked.value
    side = session.sidebar.value

    def toggle(shown: str) -> Callable[[], None]:
        return lambda: session.sidebar.set("auto" if side == shown else shown)

    with solara.Div(classes=["ws-top"]):
        if not present:
            solara.Button(
                "☰",
                text=True,
                classes=["ws-wide-only", "ws-toggle"],
                attributes={"title": T("hide_settings")},
                on_click=toggle("hidden"),
            )
            solara.Button("☰ " + T("settings_button"), text=True, on_click=toggle("shown"),
                          classes=["ws-narrow-only", "ws-open-settings"])  # fmt: skip
        solara.HTML(tag="div", unsafe_innerHTML=T("app_title"), classes=["ws-title"])
        if present:
            LockButton(session)
        if locked:
            return
        labelled("mdi-content-save", T("save_recall") + " · " + T("export"),
                 lambda: session.dialog.set(True), "ws-save")  # fmt: skip
        labelled("mdi-presentation", T("present_stop") if present else T("present"),
                 lambda: (session.present.set(not present), session.locked.set(False)),
                 "ws-present-button")  # fmt: skip
        solara.ToggleButtonsSingle(
            value=lang().upper(),
            values=["NL", "EN"],
            on_value=lambda v: language.set(v.lower()),
            dense=True,
        )


@solara.component
def Sidebar(session: Session):
    """The settings above, the run's buttons at the foot (always in view)."""
    with solara.Div(classes=["ws-side"]):
        with solara.Div(classes=["ws-side-scroll"]):
            with solara.Div(classes=["ws-side-close"]):
                solara.Button("✕ " + T("close"), text=True, small=True,
                              on_click=lambda: session.sidebar.set("auto"),
                              classes=["ws-close-settings"])  # fmt: skip
            Controls(session)
        with solara.Div(classes=["ws-side-foot"]):
            RunControls(session)


@solara.component
def Main(session: Session):
    """The tabs and the screen chosen."""
    with solara.Div(classes=["ws-main"]):
        RefusedLine(session)
        with (
            solara.Div(classes=["ws-tabs"]),
            solara.lab.Tabs(value=session.tab.value, on_value=session.show_tab),
        ):
            for key in TABS:
                solara.lab.Tab(T(key))
        SCREENS[TABS[session.tab.value]](session)


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
            refused = None
            try:
                config, code = cfg.from_query(router.search, levers)
            except cfg.ConfigError as err:  # the link is refused: its line, and the default run
                config, code, refused = cfg.Config(), None, err
            session.recall(config, code)
            if refused is not None:
                session.refuse(refused)
            probe = connection_probe()
            if probe is not None:
                session.watch(probe)
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
        shell = ["ws-shell", f"ws-{session.sidebar.value}"]
        if session.present.value:
            shell.append("ws-present")
        with solara.Div(classes=shell):
            TopBar(session)
            Sidebar(session)
            Main(session)
            if session.present.value and session.locked.value:
                solara.Div(classes=["ws-lock"])
        SaveDialog(session)

    return Page
