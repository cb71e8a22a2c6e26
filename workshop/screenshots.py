"""The screenshots in docs/: the four screens on the projector, the room, and other screens.

``python -m workshop.screenshots [FOLDER]`` serves the app, drives it in
Chromium and writes into FOLDER (default ``docs``):

* ``app-model.png``, ``app-compare.png``, ``app-regions.png``, ``app-room.png``
  at 1400 x 900 (the projector): the cabinet package run for ten years,
  compared with current policy over five seeds, while three groups have named
  their runs for the room;
* ``app-1280x720.png``, ``app-1024x768.png``, ``app-390x844.png`` and
  ``app-390x844-settings.png``: the model tab of a group's run on a small
  laptop, a tablet and a phone (with its settings panel open).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from workshop.browser import ROOT, VIEWPORT, Server, launch

GROUPS = {
    "gemeente": "?scenario=cabinet-package&seed=1&nieuwbouw=31000&maand=120&naam=gemeente",
    "corporatie": "?scenario=current-policy&seed=1&loting=0.25&maand=120&naam=corporatie",
    "COA": "?scenario=ban-without-extra-supply&seed=1&maand=120&naam=COA",
}
SIZES = ((1280, 720), (1024, 768), (390, 844))


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Vuetify select by its label."""
    page.locator(".v-select").filter(has_text=label).first.click()
    page.locator(".menuable__content__active .v-list-item").get_by_text(option, exact=True).click()


def opened(browser, url: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    page.goto(url, wait_until="networkidle")
    page.locator("svg.chart path").first.wait_for(timeout=120_000)
    page.wait_for_timeout(800)
    return page


def projector(browser, server, out: Path) -> None:
    """The four screens at 1400 x 900, the room with the groups' runs."""
    page = opened(browser, server.url + "?scenario=cabinet-package&seed=1&maand=120", VIEWPORT)
    page.locator(".ws-story-button").click()
    page.wait_for_timeout(500)
    page.screenshot(path=out / "app-model.png")
    page.get_by_role("tab", name="Zaal").click()
    page.locator(".ws-room-card").nth(len(GROUPS) - 1).wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=out / "app-room.png")
    page.get_by_role("tab", name="Vergelijken").click()
    choose(page, "A (uitgangspunt)", "Huidig beleid")
    page.get_by_role("button", name="Vergelijk", exact=True).click()
    page.get_by_text("Wat verandert er van A naar B?").wait_for(timeout=600_000)
    page.wait_for_timeout(500)
    page.screenshot(path=out / "app-compare.png")
    page.get_by_role("tab", name="Regio's").click()
    page.locator("svg[data-map=B]").wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    page.screenshot(path=out / "app-regions.png")
    page.close()


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    out = Path(argv[0]) if argv else ROOT / "docs"
    log = Path(tempfile.mkdtemp(prefix="workshop-shots-")) / "server.log"
    with Server(log) as server, sync_playwright() as p:
        browser = launch(p)
        groups = [opened(browser, server.url + q, VIEWPORT) for q in GROUPS.values()]
        projector(browser, server, out)
        for width, height in SIZES:
            size = {"width": width, "height": height}
            page = opened(browser, server.url + GROUPS["gemeente"], size)
            page.screenshot(path=out / f"app-{width}x{height}.png")
            if width < 900:
                page.locator(".ws-open-settings").click()
                page.wait_for_timeout(500)
                page.screenshot(path=out / f"app-{width}x{height}-settings.png")
            page.close()
        for page in groups:
            page.close()
        browser.close()
    for path in sorted(out.glob("app-*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
