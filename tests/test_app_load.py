"""Load test of the workshop app (slow, browser): one user, 15 participants at once, memory.

The same measurement as ``make bench-app`` (workshop/bench.py), with the
targets as assertions: 15 participants, each with a seed of its own, their
browsers on this machine; each ten-year run under 60 s; the server's memory
back within 50 MB of its start once the tabs close. It prints the figures
(run pytest with -s to see them). The machine is shared: the time allowed
grows with the load average beyond the number of cores, and the printout says
whether the plain 60 s was met.
"""

from __future__ import annotations

import os

import pytest

from workshop import bench
from workshop.browser import CHROMIUM

pytestmark = [pytest.mark.slow, pytest.mark.browser]

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
pytest.importorskip("playwright.async_api")


def test_fifteen_participants_finish_ten_years_and_the_memory_comes_back(tmp_path):
    m = bench.measure(participants=15, log=tmp_path / "server.log")
    print("\n" + m.report())
    busy = max(1.0, m.load_during[0] / (os.cpu_count() or 1))
    assert m.one_user_s < bench.TARGET_ONE_S * busy
    assert len(m.room_s) == 15 and max(m.room_s) < bench.TARGET_ROOM_S * busy
    assert m.memory_back_mb < bench.TARGET_MEMORY_MB
