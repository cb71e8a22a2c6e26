"""Invariants of every run: households conserved, no dwelling let or household housed twice.

The month-by-month run is the session fixture ``stepped`` (tests/conftest.py),
shared with the ledger tests of tests/test_reception.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from agents.households import RegularSeeker, StatusHolder, UrgentSeeker
from model.base.calendar import day_number
from model.base.codes import N_TYPES, TEMPORARY, DwellingType, Situation, State
from model.market import HousingMarket


def test_households_are_conserved_every_month(stepped):
    """entered = housed + waiting + left, per group, every month."""
    _, snapshots = stepped
    for s in snapshots:
        np.testing.assert_array_equal(s["entered"], s["housed"] + s["waiting"] + s["left"])
        assert s["housed"].sum() > 0 and s["left"].sum() > 0


def test_one_agent_per_waiting_household(stepped):
    _, snapshots = stepped
    for s in snapshots:
        assert [s["agents"][c] for c in (RegularSeeker, UrgentSeeker, StatusHolder)] == list(
            s["waiting"]
        )


def test_stock_accounting_holds(stepped):
    """total = background + tracked + vacant, and tracked homes are those of waiting households."""
    model, snapshots = stepped
    for s in snapshots:
        np.testing.assert_array_equal(s["tracked_table"], s["tracked_stock"])
        assert (s["background"] >= 0).all()
    stock = model.stock
    assert stock.total.shape == (12, N_TYPES)
    np.testing.assert_array_equal(stock.total, stock.background + stock.tracked + stock.vacant)


def test_no_dwelling_let_twice(stepped):
    model, _ = stepped
    ids = model.lettings_log.column("dwelling_id")
    assert len(ids) > 1000
    assert len(np.unique(ids)) == len(ids)
    assert ids.max() < model.stock.ledger.next_id  # every letting was a recorded vacancy
    # nothing let is still on offer
    assert not np.isin(model.stock.ledger.dwelling_id, ids).any()


def test_no_household_housed_twice(stepped):
    """A household gets at most one home for good and at most one start-up home; temporary
    homes (flex, start-up, shared) may come before the home for good."""
    model, _ = stepped
    log = model.lettings_log
    hid = log.column("household_id")
    dtype = log.column("dwelling_type")
    final = ~TEMPORARY[dtype]
    assert len(np.unique(hid[final])) == final.sum()
    startup = dtype == DwellingType.STARTUP
    assert len(np.unique(hid[startup])) == startup.sum()
    assert startup.sum() > 0, "the run should use start-up homes"
    # a household still waiting has no final letting; one housed has exactly one
    table = model.households
    waiting_ids = table["id"][table["state"] == State.WAITING]
    assert not np.isin(waiting_ids, hid[final]).any()
    since_start = table["temporary_day"] >= day_number(model.start_date)
    in_temporary = table["id"][
        (table["state"] == State.WAITING)
        & (table["situation"] == Situation.TEMPORARY_HOME)
        & since_start
    ]
    assert len(in_temporary) > 0
    assert np.isin(in_temporary, hid[~final]).all()


def test_housed_count_matches_letting_records(stepped):
    """The lettings since the start date are the households housed since then (the queue's
    counts run from the history's start)."""
    model, snapshots = stepped
    log = model.lettings_log
    final = ~TEMPORARY[log.column("dwelling_type")]
    housed = model.queue.housed - snapshots[0]["housed_before"]
    assert final.sum() == housed.sum()
    groups = np.bincount(log.column("group")[final], minlength=3)
    np.testing.assert_array_equal(groups, housed)


def test_every_letting_fits_the_household(stepped):
    """Every home fits the household let it, or (a status holder's home chosen for the
    family still to come) the household with its family abroad."""
    model, _ = stepped
    log = model.lettings_log
    types, persons = log.column("dwelling_type"), log.column("persons")
    top = model.fits.shape[1] - 1
    with_family = np.minimum(persons + log.column("family_abroad"), top)
    assert (model.fits[types, persons] | model.fits[types, with_family]).all()
    assert model.fits[types, persons].mean() > 0.99


def test_monthly_figures_are_real_households(small_run):
    """Flows are multiples of the scale: figures are real households, not agents."""
    model, results = small_run
    m = results.monthly
    k = model.scale
    for col in [c for c in m.columns if c.endswith("_households")]:
        assert (m[col] % k == 0).all(), col
    lettings = results.lettings
    assert (lettings["households"] == k).all()
    assert m["lettings_total_households"].iloc[1:].sum() == len(lettings) * k


def test_rows_marked_out_are_not_waiting(stepped):
    model, _ = stepped
    table = model.households
    out = table["state"] != State.WAITING
    assert (table["out_day"][out] < np.iinfo(np.int32).max).all()
    assert ((table["state"] == State.HOUSED) | (table["state"] == State.WAITING) | out).all()


@pytest.mark.parametrize("scenario", ["family-priority", "cabinet-package"])
def test_tracked_homes_stay_with_households_housed_in_another_region(scenario):
    """The national pool for large families houses a household in another region: its old
    home is freed where it is, and the stock's tracked homes stay those of the households
    still waiting."""
    model = HousingMarket(
        scenario,
        rng=6,
        households_per_agent=20,
        parameters={"policy.large_family_pool": True},
    )
    for _ in range(24):
        model.step()
        table = model.households
        w = table.waiting()
        has = table["home_type"][w] >= 0
        counted = np.zeros_like(model.stock.tracked)
        np.add.at(counted, (table["region"][w][has], table["home_type"][w][has]), 1)
        np.testing.assert_array_equal(counted, model.stock.tracked)
    let = model.results().lettings
    moved = int((let["route"] == "large_pool").sum())
    assert moved > 0


def test_a_status_holder_leaving_a_startup_home_counts_for_the_quota_once():
    """Counted for the quota when they moved from reception into the start-up home, not
    again when they leave the market from it."""
    model = HousingMarket("cabinet-package", rng=2, households_per_agent=20)
    model.run(15)
    table = model.households
    w = table.waiting()
    in_startup = w[
        (table["situation"][w] == Situation.TEMPORARY_HOME)
        & (table["home_type"][w] == DwellingType.STARTUP)
        & (table["linked_region"][w] >= 0)
    ]
    in_reception = w[  # (not a family waiting there for a sponsor who has a home)
        (table["situation"][w] == Situation.RECEPTION)
        & (table["linked_region"][w] >= 0)
        & (table["home_type"][w] < 0)
    ]
    assert len(in_startup) and len(in_reception)
    table["exit_budget"][in_startup] = 0.0  # they leave this month
    table["exit_budget"][in_reception[:5]] = 0.0
    forced = table["size"][in_reception[:5]].sum()
    exits = model.queue.leave(model.rules(), model.clock)
    assert not np.isin(in_startup, table.waiting()).any()  # the start-up tenants left
    # What counts is exactly the linked status holders leaving reception (the five made to,
    # and any whose own exit fell this month): the start-up tenants add nothing.
    assert exits.quota_persons.sum() == exits.from_reception_linked_persons
    assert exits.from_reception_linked_persons >= forced
