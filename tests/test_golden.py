"""The model reports exactly what the golden files hold (tests/golden_runs.py)."""

from __future__ import annotations

import difflib

import pytest
from golden_runs import RUNS, outputs, read


@pytest.mark.parametrize(("scenario", "seed"), RUNS)
def test_outputs_are_byte_identical_to_the_golden_files(scenario, seed):
    for name, data in outputs(scenario, seed).items():
        golden = read(scenario, seed, name)
        if data != golden:
            diff = difflib.unified_diff(
                golden.decode().splitlines(), data.decode().splitlines(), lineterm="", n=0
            )
            shown = "\n".join(list(diff)[:12])
            pytest.fail(f"{scenario} seed {seed}: {name} differs from the golden file:\n{shown}")
