"""The workshop app on every screen: 1280 x 720, a 1024 x 768 tablet and a 390 x 844 phone.

On each, every tab is opened: the Dutch page text has no "agent", no code name
of a parameter and no English word, and every control can be reached (on
screen and not covered, the phone's sidebar opened first). At 1280 x 720 and
up nothing scrolls sideways. The screenshots go to the test's folder.
"""

from __future__ import annotations

import pytest

from workshop.browser import (
    CHROMIUM,
    CODE_NAME,
    ENGLISH_WORDS,
    REACHABLE,
    SIDEWAYS,
    Server,
    launch,
)

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

LINK = "?scenario=cabinet-package&seed=1&nieuwbouw=31000&maand=24&naam=gemeente"
TABS = ("Model", "Vergelijken", "Regio's", "Zaal", "Aannames")
SIDEBAR = (
    ".ws-side .v-select",  # the scenario
    ".ws-about",
    ".ws-name input",
    ".ws-seed input",
    ".ws-side-foot button.primary",  # Start, Verder or Pauze
    ".ws-side-foot button:has-text('+1 maand')",
    ".ws-side-foot button:has-text('+1 jaar')",
    ".ws-side-foot button:has-text('Opnieuw')",
)
TOP = (".ws-save", ".ws-present-button", ".ws-top .v-btn-toggle button:has-text('EN')")
TAB_CONTROLS = {  # the controls of the tabs, each reachable on its tab
    "Vergelijken": (
        ".ws-compare-controls .v-select >> nth=0",
        ".ws-compare-controls .v-select >> nth=1",
        ".ws-compare-controls .v-select >> nth=2",
        ".ws-compare-controls .v-select >> nth=3",
        ".ws-compare-controls button:has-text('Vergelijk')",
    ),
    "Regio's": (".ws-main .v-select",),
    "Zaal": (".ws-room-compare", ".ws-main button:has-text('Handouts')", ".ws-room-pick"),
    "Aannames": (".ws-main .v-btn-toggle", ".ws-main .v-expansion-panel-header >> nth=0"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Server(tmp_path_factory.mktemp("solara") / "server.log") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


TAB_READY = {  # an element each tab shows once it is drawn
    "Model": "svg.chart",
    "Vergelijken": ".ws-compare-controls",
    "Regio's": ".ws-main .v-select",
    "Zaal": ".ws-room-compare",
    "Aannames": ".ws-main .v-expansion-panel",
}


def reachable(page, locator) -> str:
    locator.wait_for(state="visible", timeout=30_000)
    locator.scroll_into_view_if_needed(timeout=10_000)
    return locator.evaluate(REACHABLE)


def dutch_problems(text: str) -> list[str]:
    found = [m.group(0) for m in ENGLISH_WORDS.finditer(text)]
    found += [m.group(0) for m in CODE_NAME.finditer(text)]
    return found


@pytest.mark.parametrize("size", [(1280, 720), (1024, 768), (390, 844)], ids=str)
def test_every_screen_reads_dutch_and_reaches_every_control(server, browser, size, tmp_path):
    width, height = size
    narrow = width < 900
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(server.url + LINK, wait_until="networkidle", timeout=60_000)
    expect(page.locator("svg.chart path").first).to_be_attached(timeout=60_000)
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        expect(page.locator(TAB_READY[tab]).first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(300)
        text = page.locator(".ws-main").inner_text()
        assert dutch_problems(text) == [], (tab, dutch_problems(text))
        if width >= 1280:
            assert page.evaluate(SIDEWAYS) == [], tab
        for selector in TAB_CONTROLS.get(tab, ()):
            assert reachable(page, page.locator(selector).first) == "ok", (tab, selector)
        page.screenshot(path=tmp_path / f"{width}x{height}-{tab.strip(chr(39))}.png")
    page.get_by_role("tab", name="Model").click()
    for selector in TOP:
        assert reachable(page, page.locator(selector).first) == "ok", selector
    if narrow:
        expect(page.locator(".ws-side")).to_be_hidden()  # a phone sees the page, not the panel
        page.locator(".ws-open-settings").click()
    side = page.locator(".ws-side").inner_text()
    assert dutch_problems(side) == [], dutch_problems(side)
    for selector in SIDEBAR:
        assert reachable(page, page.locator(selector).first) == "ok", selector
    sliders = page.locator(".ws-lever .v-slider")
    assert sliders.count() == 9  # every lever acts in the cabinet package
    for i in range(sliders.count()):
        assert reachable(page, sliders.nth(i)) == "ok", f"slider {i}"
    if narrow:
        page.locator(".ws-close-settings").click()
        expect(page.locator(".ws-side")).to_be_hidden()
    page.screenshot(path=tmp_path / f"{width}x{height}-end.png")
    print(f"\nscreenshots: {tmp_path}")
    page.close()
