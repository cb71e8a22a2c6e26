"""Shared fixtures: small runs reused by several tests (each is built once)."""

from __future__ import annotations

import numpy as np
import pytest

from model.base.codes import GROUPS, DwellingType, Situation
from model.market import HousingMarket


@pytest.fixture(scope="session")
def small_run():
    """Current policy, 1 agent = 50 households, 24 months, seed 3, with its results."""
    model = HousingMarket("current-policy", rng=3, households_per_agent=20, attribution=True)
    return model, model.run(24)


@pytest.fixture(scope="session")
def year_runs():
    """First-year results of current policy from the start date at 1:10 for three seeds."""
    out = []
    for seed in (11, 12, 13):
        model = HousingMarket("current-policy", rng=seed, households_per_agent=10)
        out.append(model.run(12))
    return out


@pytest.fixture(scope="session")
def stepped():
    """Current policy (with start-up homes) stepped month by month for 30 months, with a
    snapshot each month of what the invariant and ledger tests check.

    Returns:
        (the model, one dict per month).
    """
    import numpy as np

    from agents.households import RegularSeeker, StatusHolder, UrgentSeeker

    model = HousingMarket(
        "current-policy",
        rng=5,
        households_per_agent=20,
        parameters={"stock.startup_additions_per_year": 6000},
    )
    snapshots = []
    housed_before = model.queue.housed.copy()  # the history's, before the start date
    for _ in range(30):
        model.step()
        table = model.households
        w = table.waiting()
        tracked = np.zeros_like(model.stock.tracked)
        has_home = table["home_type"][w] >= 0
        np.add.at(tracked, (table["region"][w][has_home], table["home_type"][w][has_home]), 1)
        sh = table["group"][w] == 2
        snapshots.append(
            {
                "housed_before": housed_before,
                "entered": model.queue.entered.copy(),
                "housed": model.queue.housed.copy(),
                "left": model.queue.left.copy(),
                "waiting": np.bincount(table["group"][w], minlength=len(GROUPS)),
                "tracked_table": tracked,
                "tracked_stock": model.stock.tracked.copy(),
                "background": model.stock.background.copy(),
                "agents": {
                    cls: len(model.agents_by_type.get(cls, []))
                    for cls in (RegularSeeker, UrgentSeeker, StatusHolder)
                },
                "sh": dict(model.queue.sh_persons),
                "in_market": int(table["size"][w][sh].sum()),
                "reunification": dict(model.reunification.ledger)
                | {
                    "abroad_added": model.queue.sh_persons["abroad_added"],
                    "dropped": model.queue.sh_persons["abroad_dropped"],
                },
                "abroad_now": model.reunification.abroad_of_sponsors
                + int(table["family_abroad"][w].sum()),
                "asylum": dict(model.asylum.ledger),
                "pending": model.asylum.pending,
                "rejected": model.asylum.rejected,
                "longest_startup_stay_months": _longest_startup_stay(model),
                "temporary_overdue": _temporary_overdue(model),
                "reception": model.reception.last,
                "sh_in_reception_persons": int(
                    table.reception_persons(model.queue.in_reception(w)).sum()
                ),
            }
        )
    return model, snapshots


def _temporary_overdue(model) -> int:
    """Households still in a temporary home whose contract ended on or before this month's
    first day (the queue ends contracts at the start of the month: none should be left)."""
    table = model.households
    w = table.waiting()
    there = w[table["situation"][w] == Situation.TEMPORARY_HOME]
    return int(np.count_nonzero(table["contract_end_day"][there] <= model.clock.day0))


def _longest_startup_stay(model) -> int:
    """Months the longest-staying household in a start-up home has lived there by the
    month's end (0 if nobody lives in one)."""
    from model.base.calendar import date_of

    table = model.households
    w = table.waiting()
    startup = (table["situation"][w] == Situation.TEMPORARY_HOME) & (
        table["home_type"][w] == DwellingType.STARTUP
    )
    days = table["temporary_day"][w][startup]  # (a start-up home is always the first step)
    if len(days) == 0:
        return 0
    first, end = date_of(int(days.min())), date_of(model.clock.day_end)
    return (end.year - first.year) * 12 + end.month - first.month
