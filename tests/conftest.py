"""Shared fixtures: small runs reused by several tests (each is built once)."""

from __future__ import annotations

import pytest

from model.market import HousingMarket


@pytest.fixture(scope="session")
def small_run():
    """Current policy, 1 agent = 50 households, 24 months, seed 3, with its results."""
    model = HousingMarket("current-policy", rng=3, households_per_agent=20, attribution=True)
    return model, model.run(24)


@pytest.fixture(scope="session")
def year_runs():
    """First-year results of current policy at 1:10 for three seeds (calibration checks)."""
    out = []
    for seed in (11, 12, 13):
        model = HousingMarket("current-policy", rng=seed, households_per_agent=10)
        out.append(model.run(12))
    return out
