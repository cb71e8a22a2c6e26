"""The room in a real browser: groups name their runs, the facilitator sees them side by side,
live, and compares two in one click; presentation mode and its lock; and a browser that is
killed rather than closed does not keep its worker."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import psutil
import pytest

from workshop.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, Server, launch

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
GRACE_S = 3  # the server below lets a disconnected tab's worker go after this


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("solara") / "server.log"
    with Server(log, env={"WORKSHOP_DISCONNECT_GRACE_S": str(GRACE_S)}) as running:
        yield running


@pytest.fixture(scope="module")
def playwright():
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    chromium = launch(playwright)
    yield chromium
    chromium.close()


def open_tab(browser, url: str):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = context.new_page()
    page.goto(url, wait_until="networkidle", timeout=60_000)
    expect(page.locator(".ws-month")).to_be_visible(timeout=60_000)
    return page


def choose(page, label: str, option: str) -> None:
    page.locator(".v-select").filter(has_text=label).first.click()
    page.locator(".menuable__content__active .v-list-item").get_by_text(option, exact=True).click()


def workers(server) -> set[int]:
    """The worker processes of the server's tabs (children of its fork server)."""
    out = set()
    for child in psutil.Process(server.proc.pid).children():
        if "workshop.worker" in " ".join(child.cmdline()):
            out |= {p.pid for p in child.children() if p.status() != psutil.STATUS_ZOMBIE}
    return out


def test_the_room_shows_two_groups_runs_live_and_opens_their_comparison(server, browser):
    gemeente = open_tab(browser, server.url + "?scenario=cabinet-package&nieuwbouw=31000"
                                              "&maand=12&naam=gemeente")  # fmt: skip
    corporatie = open_tab(browser, server.url + "?loting=0.25&maand=12&naam=corporatie")
    facilitator = open_tab(browser, server.url)
    facilitator.get_by_role("tab", name="Vergelijken").click()
    choose(facilitator, "Jaren", "2")
    choose(facilitator, "Herhalingen", "3")
    facilitator.get_by_role("tab", name="Zaal").click()
    cards = facilitator.locator(".ws-room-card")
    expect(cards).to_have_count(2, timeout=15_000)
    first = cards.filter(has_text="gemeente")
    expect(first).to_contain_text("Samenhangend pakket (kabinet), eigen keuze: nieuwbouw 31.000")
    expect(first).to_contain_text("(12/120)")
    expect(first).to_contain_text("Woningen statushouders")
    second = cards.filter(has_text="corporatie")
    expect(second).to_contain_text("Huidig beleid, eigen keuze: loting 25%")
    gemeente.get_by_role("button", name="+1 jaar").click()  # live: the room follows
    expect(first).to_contain_text("(24/120)", timeout=20_000)

    with facilitator.expect_download(timeout=60_000) as done:
        facilitator.get_by_role("button", name="Handouts van alle groepen (A4)").click()
    handouts = done.value.path().read_text()
    printed = browser.new_page()
    printed.set_content(handouts)
    pdf = printed.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2  # one A4 page per group
    printed.close()

    first.get_by_role("button", name="☐ kies").click()
    second.get_by_role("button", name="☐ kies").click()
    facilitator.get_by_role("button", name="Vergelijk de twee gekozen runs").click()
    expect(facilitator.get_by_role("tab", name="Vergelijken")).to_have_attribute(
        "aria-selected", "true"
    )
    top = facilitator.locator(".ws-compare-top")
    expect(top).to_contain_text(
        "A: gemeente: Samenhangend pakket (kabinet), eigen keuze: nieuwbouw 31.000",
        timeout=180_000,
    )
    expect(top).to_contain_text("B: corporatie: Huidig beleid, eigen keuze: loting 25%")
    expect(top).to_contain_text("Wat verandert er van A naar B?")
    corporatie.context.close()  # a tab that closes leaves the room
    facilitator.get_by_role("tab", name="Zaal").click()
    expect(facilitator.locator(".ws-room-card")).to_have_count(1, timeout=15_000)
    for page in (gemeente, facilitator):
        page.context.close()


def test_presentation_mode_hides_the_sidebar_enlarges_and_locks(server, browser):
    page = open_tab(browser, server.url)
    page.locator(".ws-present-button").click()
    expect(page.locator(".ws-side")).to_be_hidden()
    assert page.locator(".ws-main").evaluate("e => getComputedStyle(e).zoom") == "1.3"
    page.get_by_role("button", name="🔓 Vergrendelen").click()
    expect(page.locator(".ws-lock")).to_be_visible()
    tab = page.get_by_role("tab", name="Vergelijken")
    box = tab.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # a stray click
    page.wait_for_timeout(500)
    expect(tab).to_have_attribute("aria-selected", "false")
    assert page.locator(".ws-save").count() == 0  # nothing else in the top bar while locked
    page.get_by_role("button", name="🔒 Ontgrendelen").click()
    page.get_by_role("button", name="Nogmaals: ontgrendelen").click()
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    page.locator(".ws-present-button").click()
    expect(page.locator(".ws-side")).to_be_visible()
    page.context.close()


def test_a_killed_browser_does_not_keep_its_worker(server, playwright, tmp_path):
    before = workers(server)
    chromium = subprocess.Popen(
        [str(CHROMIUM), "--headless=new", "--remote-debugging-port=0",
         f"--user-data-dir={tmp_path}", *CHROMIUM_ARGS, "about:blank"],
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        line = ""
        while "DevTools listening on" not in line:
            line = chromium.stderr.readline()
            assert line or chromium.poll() is None, "chromium did not start"
        address = line.split("listening on ", 1)[1].strip()
        browser = playwright.chromium.connect_over_cdp(address)
        page = browser.contexts[0].new_page()
        page.goto(server.url, wait_until="networkidle", timeout=60_000)
        expect(page.locator(".ws-month")).to_be_attached(timeout=60_000)
        mine = workers(server) - before
        assert len(mine) == 1
        os.killpg(chromium.pid, signal.SIGKILL)  # the browser we started, and its children
        chromium.wait()
        deadline = time.monotonic() + GRACE_S + 30
        while mine & workers(server):
            assert time.monotonic() < deadline, "the worker of a killed browser stayed"
            time.sleep(0.5)
    finally:
        if chromium.poll() is None:
            os.killpg(chromium.pid, signal.SIGKILL)
