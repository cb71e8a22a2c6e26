"""The workshop app in a real browser: `solara run app.py` driven in Debian's Chromium.

One server for the module, a 1400 x 900 window as on the projector, nothing
fetched from the network. Skipped when /usr/bin/chromium or the playwright
package is missing. The screens at other sizes are tests/test_app_screens.py;
the room, presentation and a killed browser are tests/test_app_room_browser.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile

import pytest

from workshop.browser import CHROMIUM, VIEWPORT, Server, launch, month_text, start_text

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
    expect(tab.locator(".ws-month")).to_have_text(start_text(), timeout=30_000)
    yield tab
    assert failed == []
    log = server.log.read_text()
    assert "Could not load" not in log and "Traceback" not in log, log
    context.close()


def visible_text(tab) -> str:
    return tab.locator("body").inner_text()


def test_the_page_is_dutch_and_fits_the_projector(page):
    text = visible_text(page)
    for label in ("Model", "Vergelijken", "Regio's", "Zaal", "Aannames", "Hefbomen", "Start",
                  "Nieuwbouw sociale huur", "Toevalsgetal", "Toewijzingen per maand"):  # fmt: skip
        assert label in text, label
    for english in ENGLISH_CONTROLS:
        assert english not in text, english
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert (width, height) == (VIEWPORT["width"], VIEWPORT["height"])
    main = page.locator(".ws-main")
    assert main.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # the model tab fits


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
        for _ in range(50):  # a busy machine may take a few seconds for the next month
            page.wait_for_timeout(100)
            if reached() > before or reached() == 120:
                break
        assert reached() > before or reached() == 120, "the run stalled after a switch"
    expect(month).to_contain_text("Last month")
    english = page.locator(".ws-main").inner_text()
    for dutch in ("Hefbomen", "Toewijzingen", "Afgelopen", "woningen per jaar", "Vergelijken"):
        assert dutch not in english, dutch
    expect(month).to_have_text(month_text(120, lang="en"), timeout=60_000)
    seconds = time.monotonic() - began
    print(f"\none user, ten years at 1:20 in the browser: {seconds:.1f} s (target < 15 s)")
    page.wait_for_timeout(1500)
    expect(month).to_have_text(month_text(120, lang="en"))  # and not a month further
    assert page.get_by_role("button", name="+1 month").is_disabled()
    page.get_by_role("button", name="NL", exact=True).click()
    expect(month).to_have_text(month_text(120))
    assert page.locator("svg[data-chart=lettings] g.mark").count() == 1  # the end of the SFT


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Vuetify select by its label."""
    page.locator(".v-select").filter(has_text=label).first.click()
    page.locator(".menuable__content__active .v-list-item").get_by_text(option, exact=True).click()


def test_the_comparison_names_a_run_with_levers_and_shows_a_band_and_a_verdict(page):
    page.get_by_role("tab", name="Vergelijken").click()
    slider = (
        page.locator(".ws-lever").filter(has_text="Nieuwbouw sociale huur").locator(".v-slider")
    )
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.95, box["y"] + box["height"] / 2)
    expect(page.locator(".ws-lever.ws-own")).to_contain_text("woningen per jaar")
    choose(page, "Jaren", "2")
    choose(page, "Herhalingen", "3")
    page.get_by_role("button", name="Vergelijk", exact=True).click()
    expect(page.get_by_text("Wat verandert er van A naar B?")).to_be_visible(timeout=120_000)
    expect(page.locator(".ws-compare-top")).to_contain_text(
        re.compile(r"B: Huidig beleid, eigen keuze: nieuwbouw \d+\.\d{3}")
    )
    verdict = page.locator(".ws-verdicts li").filter(has_text="Reguliere woningzoekenden")
    expect(verdict).to_contain_text("meer woningen per jaar")
    expect(verdict.locator(".better").first).to_be_visible()
    assert page.locator("svg[data-chart=compare_lettings] polygon.band").count() == 3
    assert page.locator("table.compare tr[data-verdict=better]").count() >= 1
    page.get_by_role("tab", name="Regio's").click()
    expect(page.locator("svg[data-map=B] g.tile")).to_have_count(12)
    assert "t.o.v." not in page.locator(".ws-main").inner_text()  # no difference without margin


def test_the_scenario_text_follows_the_selection_before_start(page):
    choose(page, "Beleid (scenario)", "Afschaffen huisvestingstaakstelling")
    page.locator(".ws-about").click()
    about = page.locator(".ws-about-text")
    expect(about).to_contain_text("De taakstelling vervalt vanaf 1 juli 2026")
    kept = "‘Deel van hun bereidheid dat gemeenten zonder taakstelling houden’"
    expect(about).to_contain_text(kept)
    assert "policy." not in about.inner_text()
    expect(page.locator(".ws-run-title")).to_have_text("Huidig beleid")  # the run on screen
    expect(page.locator(".ws-changed")).to_be_visible()


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as done:
        page.get_by_role("button", name=label).click()
    return done.value.path().read_bytes()


def test_exports_open_in_dutch_tools_and_a_link_recalls_the_settings(page, server, browser):
    page.get_by_role("button", name="+1 jaar").click()
    expect(page.locator(".ws-month")).to_have_text(month_text(12), timeout=30_000)
    page.locator(".ws-save").click()
    files = {label: download(page, label) for label in (
        "Handout (A4)", "Grafieken (PNG)", "Gegevens (CSV)", "Instellingen (bestand)")}  # fmt: skip
    data = zipfile.ZipFile(io.BytesIO(files["Gegevens (CSV)"]))
    raw = data.read("maanden.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert len(rows) == 14 and len({len(r) for r in rows}) == 1 and rows[0][0] == "datum"
    median = rows[0].index(
        "inschrijfduur bij toewijzing, mediaan reguliere woningzoekenden (jaren)"
    )
    assert re.fullmatch(r"\d+,\d+", rows[-1][median])  # a Dutch decimal comma
    assert len(zipfile.ZipFile(io.BytesIO(files["Grafieken (PNG)"])).namelist()) == 4
    assert json.loads(files["Instellingen (bestand)"])["month"] == 12
    handout = files["Handout (A4)"].decode()
    assert "Huidig beleid" in handout and "(12/120)" in handout
    printed = browser.new_page()  # the handout prints to one A4 page
    printed.set_content(handout)
    pdf = printed.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    printed.close()
    link = page.get_by_label("Link naar deze instellingen").input_value()
    assert "scenario=current-policy" in link and "maand=12" in link

    other = page.context.new_page()  # a link opens its settings at its month
    other.goto(server.url + "?scenario=cabinet-package&seed=2&nieuwbouw=30000&maand=6",
               wait_until="networkidle")  # fmt: skip
    expect(other.locator(".ws-month")).to_have_text(month_text(6), timeout=30_000)
    expect(other.locator(".ws-lever.ws-own")).to_contain_text("30.000 woningen per jaar")
    expect(other.locator(".ws-run-title")).to_have_text(
        "Samenhangend pakket (kabinet), eigen keuze: nieuwbouw 30.000"
    )
    other.close()


def recall(page, name: str, content: bytes) -> None:
    page.locator(".ws-filepick input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/json", "buffer": content}
    )


def test_a_recalled_bad_file_shows_only_the_error_and_a_good_one_is_in_the_address(page):
    page.locator(".ws-save").click()
    expect(page.locator(".ws-filepick")).to_contain_text("Bestand kiezen")
    for content, line in (
        (b"not json at all", "Dit is geen instellingenbestand van deze app."),
        (json.dumps({"format": "woonruimteverdeling-workshop/1", "scenario": "../../pyproject",
                     "levers": {}}).encode(), "Een scenario kiest u uit de lijst"),
        (json.dumps({"format": "woonruimteverdeling-workshop/1", "scenario": "cabinet-package",
                     "levers": {"uitstel": 1e300}}).encode(), "‘Uitstel van de wet’"),
    ):  # fmt: skip
        recall(page, "slecht.json", content)
        refused = page.locator(".v-dialog--active .ws-refused")
        expect(refused).to_contain_text(line, timeout=15_000)
        dialog = page.locator(".v-dialog--active").inner_text()
        assert "teruggehaald" not in dialog and "slecht.json" not in dialog
        assert not re.search(r"\b(not|allowed|unknown|file)\b", refused.inner_text())
        expect(page.locator(".ws-run-title")).to_have_text("Huidig beleid")  # nothing changed
    good = json.dumps({"format": "woonruimteverdeling-workshop/1", "scenario": "mooiman",
                       "seed": 5, "levers": {"loting": 0.2}, "month": 3}).encode()  # fmt: skip
    recall(page, "goed.json", good)
    expect(page.locator(".ws-month")).to_have_text(month_text(3), timeout=60_000)
    expect(page.locator(".ws-run-title")).to_have_text(
        "Amendement Mooiman, eigen keuze: loting 20%"
    )
    assert "scenario=mooiman" in page.url and "seed=5" in page.url and "maand=3" in page.url


def test_a_bad_link_gives_one_dutch_line_and_every_tab_has_its_own_run(page, server):
    page.get_by_role("button", name="+1 maand").click()
    expect(page.locator(".ws-month")).to_have_text(month_text(1), timeout=30_000)
    other = page.context.new_page()
    for query, line in (
        ("?scenario=no-such-policy", "Het scenario ‘no-such-policy’ bestaat niet."),
        ("?scenario=../../../../pyproject", "een bestand of pad wordt niet gelezen"),
        ("?loting=5", "‘Loting’ = 500% kan niet: kies van 0% tot en met 50%."),
    ):
        other.goto(server.url + query, wait_until="networkidle")
        expect(other.locator(".ws-refused")).to_contain_text(line, timeout=30_000)
    other.close()
    expect(page.locator(".ws-month")).to_have_text(month_text(1))
