"""The workshop app in a real browser: `solara run app.py` driven in Debian's Chromium.

Skipped when /usr/bin/chromium or the playwright package is missing
(shared/notes/solara-offline-and-browser-tests.md says how to get both).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`solara run app.py` on a free port; yields (url, log file); stops it afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path_factory.mktemp("solara") / "server.log"
    solara = Path(sys.executable).with_name("solara")
    command = [
        str(solara),
        "run",
        "app.py",
        "--no-open",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 45
        while True:
            if proc.poll() is not None:
                pytest.fail(f"solara run stopped:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"solara run did not answer within 45 s:\n{log.read_text()}")
            time.sleep(0.5)
        yield url, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and its children: the group we started
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_the_app_renders_offline_steps_and_shows_bad_input(server, browser):
    url, log = server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    failed, broken = [], []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: broken.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle", timeout=60_000)

    step = page.get_by_role("button", name="Step")
    step.wait_for(timeout=30_000)
    chart = page.locator("main img").first  # the lettings chart, a PNG from matplotlib
    chart.wait_for(timeout=30_000)
    sync_api.expect(page.get_by_text("Start: jul 2025")).to_be_visible()
    sync_api.expect(page.locator("main img")).to_have_count(4)  # the four live charts
    box = chart.bounding_box()
    before = page.screenshot(clip=box)

    step.click()
    sync_api.expect(page.get_by_text("Afgelopen maand: jul 2025 (1/120)")).to_be_visible(
        timeout=20_000
    )
    deadline = time.monotonic() + 15
    while page.screenshot(clip=box) == before:  # the chart's pixels, redrawn after the step
        assert time.monotonic() < deadline, "the lettings chart did not change after Step"
        page.wait_for_timeout(250)

    other_tab = browser.new_page()  # a second participant: a model of its own
    other_tab.goto(url, wait_until="networkidle", timeout=60_000)
    sync_api.expect(other_tab.get_by_text("Start: jul 2025")).to_be_visible(timeout=30_000)
    other_tab.close()

    page.get_by_role("button", name="en", exact=True).click()
    sync_api.expect(page.get_by_text("Last month: jul 2025 (1/120)")).to_be_visible()

    seed = page.get_by_label("Toevalsgetal / seed")
    seed.fill("abc")
    seed.press("Enter")
    page.get_by_role("button", name="Reset").click()
    sync_api.expect(
        page.get_by_text("parameter 'seed' = 'abc'; allowed: a whole number >= 0")
    ).to_be_visible(timeout=20_000)

    page.get_by_role("tab", name="Page 2").click()
    sync_api.expect(page.get_by_text("allocation.lottery_share")).to_be_visible()
    page.wait_for_timeout(2_000)  # for any late front-end file the tab asks for

    server_log = log.read_text()
    assert "Could not load" not in server_log, server_log
    assert "Traceback" not in server_log, server_log
    assert failed == [] and broken == []
    page.close()
