"""The workshop app in a real browser: `solara run app.py` driven in Debian's Chromium.

One server for the module, a 1400 x 900 window as on the projector, nothing
fetched from the network. Skipped when /usr/bin/chromium or the playwright
package is missing (shared/notes/solara-offline-and-browser-tests.md).
"""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from workshop.browser import CHROMIUM, VIEWPORT, Server, launch

pytestmark = pytest.mark.browser

if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

ENGLISH_CONTROLS = (
    "Play Interval",
    "Render Interval",
    "Use Threads",
    "Model Parameters",
    "Reset",
    "Step",
    "Page 0",
    "PAGE",
    "Time:",
)
CODE_NAME = re.compile(r"\b(allocation|policy|stock|asylum|status_holders|reception)\.[a-z_]+")


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


@pytest.fixture
def page(server, browser):
    """A fresh tab; fails the test if anything was fetched that did not load."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    tab = context.new_page()
    failed = []
    tab.on("requestfailed", lambda r: failed.append(r.url))
    tab.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.goto(server.url, wait_until="networkidle", timeout=60_000)
    expect(tab.get_by_text("Startsituatie jul 2025")).to_be_visible(timeout=30_000)
    yield tab
    assert failed == []
    log = server.log.read_text()
    assert "Could not load" not in log and "Traceback" not in log, log
    context.close()


def visible_text(tab) -> str:
    return tab.locator("body").inner_text()


def test_the_page_is_dutch_and_fits_the_projector(page):
    text = visible_text(page)
    for label in (
        "Model",
        "Vergelijken",
        "Regio's",
        "Aannames",
        "Hefbomen",
        "Start",
        "Nieuwbouw sociale huur",
        "Toevalsgetal",
        "Toewijzingen per maand",
    ):
        assert label in text, label
    for english in ENGLISH_CONTROLS:
        assert english not in text, english
    assert not CODE_NAME.search(text)
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert (width, height) == (VIEWPORT["width"], VIEWPORT["height"])  # nothing to scroll


def test_a_ten_year_run_ends_exactly_at_the_horizon_and_a_language_switch_does_not_stall_it(page):
    began = time.monotonic()
    page.get_by_role("button", name="▶ Start").click()
    expect(page.get_by_text(re.compile(r"Afgelopen maand: .* \((\d+)/120\)"))).to_be_visible()
    assert "scenario=current-policy" in page.url and "seed=1" in page.url  # reload brings it back
    month = page.locator(".ws-month")

    def reached() -> int:
        return int(re.search(r"\((\d+)/120\)", month.inner_text())[1])

    for switch in (
        lambda: page.get_by_role("button", name="EN", exact=True).click(),
        lambda: page.get_by_role("tab", name="Regions").click(),
        lambda: page.get_by_role("tab", name="Model").click(),
    ):
        before = reached()
        switch()  # while running
        page.wait_for_timeout(700)
        assert reached() > before or reached() == 120, "the run stalled after a switch"
    expect(month).to_contain_text("Last month")
    english = visible_text(page)
    for dutch in ("Hefbomen", "Toewijzingen", "Afgelopen", "woningen per jaar", "Vergelijken"):
        assert dutch not in english, dutch
    expect(month).to_have_text("Last month: Jun 2035 (120/120)", timeout=60_000)
    seconds = time.monotonic() - began
    print(f"\none user, ten years at 1:20 in the browser: {seconds:.1f} s (target < 15 s)")
    page.wait_for_timeout(1500)
    expect(month).to_have_text("Last month: Jun 2035 (120/120)")  # and not a month further
    assert page.get_by_role("button", name="+1 month").is_disabled()
    page.get_by_role("button", name="NL", exact=True).click()
    expect(month).to_have_text("Afgelopen maand: jun 2035 (120/120)")


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Vuetify select by its label."""
    page.locator(".v-select").filter(has_text=label).first.click()
    page.locator(".menuable__content__active .v-list-item").get_by_text(option, exact=True).click()


def test_the_comparison_shows_a_band_and_a_verdict(page):
    page.get_by_role("tab", name="Vergelijken").click()
    page.get_by_text("Nieuwbouw sociale huur").first.wait_for()
    slider = (
        page.locator(".ws-lever").filter(has_text="Nieuwbouw sociale huur").locator(".v-slider")
    )
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.95, box["y"] + box["height"] / 2)
    expect(page.locator(".ws-lever.ws-own")).to_contain_text("woningen per jaar")
    choose(page, "Jaren", "2")
    choose(page, "Herhalingen", "3")
    page.get_by_role("button", name="Vergelijk").click()
    expect(page.get_by_text("Wat verandert er van A naar B?")).to_be_visible(timeout=120_000)
    verdict = page.locator(".ws-verdicts li").filter(has_text="Reguliere woningzoekenden")
    expect(verdict).to_contain_text("meer woningen per jaar")
    expect(verdict.locator(".better").first).to_be_visible()
    assert page.locator("svg[data-chart=compare_lettings] polygon.band").count() == 3
    assert page.locator("table.compare tr[data-verdict=better]").count() >= 1
    page.get_by_role("tab", name="Regio's").click()
    expect(page.locator("svg[data-map=B] g.tile")).to_have_count(12)


def test_export_produces_files_and_a_link_recalls_the_settings(page, server):
    page.get_by_role("button", name="+1 jaar").click()
    expect(page.locator(".ws-month")).to_have_text("Afgelopen maand: jun 2026 (12/120)")
    page.get_by_role("button", name=re.compile("Bewaren en terughalen")).click()
    files = {}
    for label in (
        "Handout (A4)",
        "Grafieken (PNG)",
        "Gegevens (CSV)",
        "Instellingen (bestand)",
    ):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        files[label] = download.value.path().read_bytes()
    summary = files["Handout (A4)"].decode()
    assert "Huidig beleid" in summary and "(12/120)" in summary and summary.count("<svg") == 4
    assert len(zipfile.ZipFile(io.BytesIO(files["Grafieken (PNG)"])).namelist()) == 4
    assert "monthly.csv" in zipfile.ZipFile(io.BytesIO(files["Gegevens (CSV)"])).namelist()
    assert b'"month": 12' in files["Instellingen (bestand)"]
    link = page.get_by_label("Link naar deze instellingen").input_value()
    assert "scenario=current-policy" in link and "maand=12" in link

    other = page.context.new_page()  # a link opens its settings at its month
    other.goto(
        server.url + "?scenario=cabinet-package&seed=2&nieuwbouw=30000&maand=6",
        wait_until="networkidle",
    )
    expect(other.locator(".ws-month")).to_have_text(
        "Afgelopen maand: dec 2025 (6/120)", timeout=30_000
    )
    expect(other.locator(".ws-lever.ws-own")).to_contain_text("30.000 woningen per jaar")
    assert "Samenhangend pakket" in visible_text(other)
    other.close()


def test_a_bad_link_gives_a_dutch_message_and_every_tab_has_its_own_run(page, server):
    page.get_by_role("button", name="+1 maand").click()
    expect(page.locator(".ws-month")).to_have_text("Afgelopen maand: jul 2025 (1/120)")
    other = page.context.new_page()
    other.goto(server.url + "?scenario=no-such-policy", wait_until="networkidle")
    expect(other.get_by_text("Het scenario ‘no-such-policy’ bestaat niet.", exact=False)).to_be_visible(
        timeout=30_000
    )
    other.close()
    expect(page.locator(".ws-month")).to_have_text("Afgelopen maand: jul 2025 (1/120)")
