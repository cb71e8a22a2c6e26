"""The room: named runs side by side for the facilitator, two of them compared in one click;
a tab whose browser is gone lets its worker go; presentation and the page's words."""

from __future__ import annotations

import importlib
import re
import sys
import threading
import time
from pathlib import Path

import ipyvuetify as v
import pytest
import solara

from workshop import comparison as cmp
from workshop import config as cfg
from workshop import live, room, session
from workshop.text import TEXTS

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
app = importlib.import_module("app")


def new_session(run_class=live.LiveRun) -> session.Session:
    return session.Session(app.LEVERS, live.LIVE_CHARTS, cmp.COMPARISON_CHARTS, run_class)


@pytest.fixture
def two_groups():
    """Two tabs whose groups named their runs, each a year into a different policy."""
    made = []
    for name, config in (
        ("gemeente", cfg.Config("cabinet-package", 2, (("nieuwbouw", 31000),), 12)),
        ("corporatie", cfg.Config("current-policy", 3, (("loting", 0.25),), 12)),
    ):
        tab = new_session()
        tab.recall(config)
        tab.set_name(name)
        made.append(tab)
    yield made
    for tab in made:
        tab.close()


def test_a_named_run_is_in_the_room_and_an_unnamed_one_is_not(two_groups):
    _, corporatie = two_groups
    private = new_session()
    try:
        private.recall(cfg.Config(seed=9))
        names = {e.name: e for e in room.ROOM.entries()}
        assert {"gemeente", "corporatie"} <= set(names) and private.key not in {
            e.key for e in names.values()
        }
        entry = names["gemeente"]
        assert entry.config == cfg.Config("cabinet-package", 2, (("nieuwbouw", 31000),))
        assert entry.frame.month == 12
        figures = dict((label, value) for label, value, _ in room.headline(entry.frame, "nl"))
        assert figures["Statushouders in de COA-opvang"] == room.rounded(
            entry.frame.stats["status_holders_in_reception_persons"], "nl"
        )
        assert all(not re.search(r"\bagent", label) for label in figures)
    finally:
        private.close()
    version = room.ROOM.version
    corporatie.set_name("")  # no name: out of the room
    assert "corporatie" not in {e.name for e in room.ROOM.entries()}
    assert room.ROOM.version > version


def test_the_room_follows_the_runs_live_and_forgets_a_closed_tab(two_groups):
    gemeente, _ = two_groups
    seen = room.ROOM.version
    waiter = threading.Thread(target=lambda: room.ROOM.wait(seen, 10))
    waiter.start()
    gemeente.step()
    waiter.join(timeout=10)
    entry = next(e for e in room.ROOM.entries() if e.name == "gemeente")
    assert entry.frame.month == 13 and room.ROOM.version > seen
    gemeente.close()
    assert "gemeente" not in {e.name for e in room.ROOM.entries()}


def test_two_runs_of_the_room_go_to_the_comparison_in_one_call(two_groups, monkeypatch):
    gemeente, corporatie = two_groups
    facilitator = new_session()
    asked = []

    class Job:
        def __init__(self, request, levers, done):
            asked.append(request)

        def cancel(self):
            pass

    monkeypatch.setattr(cmp, "Job", Job)
    try:
        facilitator.compare_room(gemeente.key, corporatie.key)
        assert session.TABS[facilitator.tab.value] == "tab_compare"
        [request] = asked
        assert request.a.config == cfg.Config("cabinet-package", 2, (("nieuwbouw", 31000),))
        assert request.a.title["nl"] == (
            "gemeente: Samenhangend pakket (kabinet), eigen keuze: nieuwbouw 31.000"
        )
        assert request.b.title["nl"] == "corporatie: Huidig beleid, eigen keuze: loting 25%"
        corporatie.close()  # the tab closed after it was picked: said so, nothing run
        facilitator.compare()
        assert facilitator.comparison.value == "room_gone" and len(asked) == 1
    finally:
        facilitator.close()


def texts_of(rc) -> str:
    out = []
    for kind in (v.Tab, v.Btn, v.Select, v.TextField, v.Alert, v.Html):
        for w in rc.find(kind).widgets:
            for attr in ("label", "v_model", "children"):
                value = getattr(w, attr, None)
                if isinstance(value, str):
                    out.append(value)
                elif isinstance(value, list):
                    out += [c for c in value if isinstance(c, str)]
    out += [w.unsafe_innerHTML or "" for w in rc.find(solara.widgets.HTML).widgets]
    return " | ".join(out)


def test_the_room_tab_shows_every_named_run_with_its_figures(two_groups):
    from workshop.tab_room import RoomTab

    facilitator = new_session()
    try:
        _, rc = solara.render(RoomTab(facilitator), handle_error=False)
        text = texts_of(rc)
        assert "gemeente" in text and "corporatie" in text
        assert "Samenhangend pakket (kabinet), eigen keuze: nieuwbouw 31.000" in text
        assert "Huidig beleid, eigen keuze: loting 25%" in text
        assert text.count("Woningen statushouders") >= 2
        compare = rc.find(v.Btn, children=["Vergelijk de twee gekozen runs"]).widget
        assert compare.disabled
        for pick in rc.find(v.Btn, children=["☐ kies"]).widgets[:2]:
            pick.click()
        assert not rc.find(v.Btn, children=["Vergelijk de twee gekozen runs"]).widget.disabled
        rc.close()
    finally:
        facilitator.close()


def test_a_tab_whose_browser_is_gone_lets_its_worker_go_and_builds_it_again(monkeypatch):
    import psutil

    from workshop.worker import RemoteRun

    monkeypatch.setattr(session, "DISCONNECT_GRACE_S", 0.3)
    tab = new_session(RemoteRun)
    connected = threading.Event()
    try:
        tab.recall(cfg.Config(seed=4, month=6))
        pid = tab.live.pid
        tab.watch(connected.is_set)  # the browser never answers again
        deadline = time.monotonic() + 20
        while psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie":
            assert time.monotonic() < deadline, "the worker stayed"
            time.sleep(0.1)
        assert tab.live is None and tab.latest.month == 6  # the last frame stays
        connected.set()  # the browser reconnects
        tab.step()  # the same run is built again up to month 6, then a month on
        deadline = time.monotonic() + 30
        while tab.latest.month < 7:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert tab.live.pid != pid
    finally:
        connected.set()
        tab.close()


def test_no_dutch_text_says_agent_or_names_a_parameter_by_its_code():
    for key, (nl, _) in TEXTS.items():
        assert not re.search(r"\bagents?\b", nl, re.I), key
        assert not re.search(r"\b[a-z_]+\.[a-z_]{3,}\b", nl), key
