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

import os
from collections.abc import Callable, Sequence

import solara
import solara.lab

from workshop import config as cfg
from workshop.dialogs import SaveDialog
from workshop.levers import Lever
from workshop.live import LiveRun
from workshop.session import TABS, Session
from workshop.sidebar import Controls
from workshop.style import CSS
from workshop.tab_assumptions import AssumptionsTab
from workshop.tab_compare import CompareTab
from workshop.tab_model import ModelTab
from workshop.tab_regions import RegionsTab
from workshop.text import t
from workshop.ui import T, lang, language
from workshop.worker import RemoteRun, start_fork_server


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
                config, code = cfg.from_query(router.search, levers)
            except cfg.ConfigError as err:
                config, code = cfg.Config(), None
                why = err.text(language.value)
                session.notice.value = t("recall_failed", language.value, why=why)
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
