"""The screenshots in docs/: the model tab, the comparison and the regional view.

``python -m workshop.screenshots [FOLDER]`` serves the app, drives it in
Chromium at 1400 x 900 (the projector) and writes ``app-model.png``,
``app-compare.png`` and ``app-regions.png`` into FOLDER (default ``docs``):
the cabinet package run for ten years, then compared with current policy over
five seeds.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from workshop.browser import ROOT, VIEWPORT, Server, launch


def choose(page, label: str, option: str) -> None:
    """Pick an option of a Vuetify select by its label."""
    page.locator(".v-select").filter(has_text=label).first.click()
    page.locator(".menuable__content__active .v-list-item").get_by_text(option, exact=True).click()


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    out = Path(argv[0]) if argv else ROOT / "docs"
    log = Path(tempfile.mkdtemp(prefix="workshop-shots-")) / "server.log"
    with Server(log) as server, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(server.url + "?scenario=cabinet-package&seed=1", wait_until="networkidle")
        page.get_by_text("Startsituatie").wait_for(timeout=60_000)
        page.get_by_role("button", name="▶ Start").click()
        page.locator(".ws-month", has_text="(120/120)").wait_for(timeout=120_000)
        page.wait_for_timeout(500)
        page.screenshot(path=out / "app-model.png")
        page.get_by_role("tab", name="Vergelijken").click()
        choose(page, "A (uitgangspunt)", "Huidig beleid")
        page.get_by_role("button", name="Vergelijk").click()
        page.get_by_text("Wat verandert er van A naar B?").wait_for(timeout=600_000)
        page.wait_for_timeout(500)
        page.screenshot(path=out / "app-compare.png")
        page.get_by_role("tab", name="Regio's").click()
        page.locator("svg[data-map=B]").wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.screenshot(path=out / "app-regions.png")
        browser.close()
    for name in ("app-model.png", "app-compare.png", "app-regions.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
