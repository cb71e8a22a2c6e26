"""Regions from published data: stock per province, registration times,
search across regions, the spread of status holders, and the COROP level."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from model.base.calendar import day_number
from model.base.codes import SELF_CONTAINED, Group
from model.base.streams import Streams
from model.households.population import Population
from model.inputs.parameters import Parameters, default_regions
from model.market import HousingMarket
from model.reporting.displacement import spread

RANDSTAD = ("Utrecht", "Noord-Holland", "Zuid-Holland")
PERIPHERY = ("Groningen", "Fryslân", "Drenthe", "Overijssel", "Zeeland", "Limburg")


def test_each_province_holds_its_cbs_share_of_the_corporation_stock():
    """CBS 82900NED, 1 January 2023: each province's share within 2% (relative)."""
    model = HousingMarket(rng=1, households_per_agent=10)
    stock = model.stock.total[:, SELF_CONTAINED].sum(axis=1)
    cbs = default_regions().stock_share
    assert stock / stock.sum() == pytest.approx(cbs, rel=0.02)
    assert cbs.sum() == pytest.approx(1.0)
    assert default_regions().corporation_stock.sum() == 2_312_981


def test_the_corop_areas_add_up_to_their_provinces():
    provinces, corop = default_regions(), default_regions("corop")
    assert len(corop) == 40
    for p, name in enumerate(provinces.names):
        mine = np.array([prov == name for prov in corop.province])
        assert corop.corporation_stock[mine].sum() == pytest.approx(provinces.corporation_stock[p])
        assert corop.population[mine].sum() == pytest.approx(provinces.population[p])
        assert corop.reception_places[mine].sum() == pytest.approx(provinces.reception_places[p])
    # The areas CBS gives are CBS's.
    names = list(corop.names)
    assert corop.corporation_stock[names.index("Oost-Groningen")] == 16603
    assert corop.corporation_stock[names.index("Utrecht")] == 163310


def test_spread_is_zero_when_housed_like_the_population_and_known_otherwise():
    """The dissimilarity index on a constructed run: housed exactly by population share
    gives 0; everyone in one region gives 1 minus that region's share."""
    regions = default_regions()
    names = list(regions.names)
    months = pd.to_datetime(["2025-07-01"] * len(names))
    persons = np.round(regions.population_share * 1e6)

    class Run:
        monthly = pd.DataFrame({"date": pd.to_datetime(["2025-07-01"])})
        lettings = pd.DataFrame(
            {
                "month": months,
                "region": names,
                "group": "status_holder",
                "dwelling_type": "medium",
                "household_size_persons": 1,
                "households": persons,
            }
        )

    _, index = spread(Run, regions)
    assert index["dissimilarity_population_share"].iloc[0] == pytest.approx(0.0, abs=1e-5)
    Run.lettings = Run.lettings.assign(households=np.where(np.arange(len(names)) == 0, 10, 0))
    _, index = spread(Run, regions)
    assert index["dissimilarity_population_share"].iloc[0] == pytest.approx(
        1 - regions.population_share[0]
    )


def test_status_holders_who_search_themselves_mostly_stay_near_their_reception_centre():
    """After the ban (the quota still holds) new status holders no longer search where
    they are linked but near their reception centre; the documented share elsewhere."""
    model = HousingMarket("ban-without-extra-supply", rng=2, households_per_agent=20)
    model.run(36)
    t = model.households
    after = day_number(dt.date(2026, 7, 1))
    new = (  # (with a permit: not a family re-entering from a home grown too small)
        (t["group"] == Group.STATUS_HOLDER)
        & (t["entry_day"] >= after)
        & (t["reception_region"] >= 0)
        & (t["home_type"] < 0)
    )
    elsewhere = np.mean(t["region"][new] != t["reception_region"][new])
    share = Parameters.from_overrides()["status_holders.search_elsewhere_share"]
    assert new.sum() > 100
    assert elsewhere == pytest.approx(share, abs=0.08)
    before = (
        (t["group"] == Group.STATUS_HOLDER) & (t["entry_day"] < after) & (t["linked_region"] >= 0)
    )
    assert np.array_equal(t["region"][before], t["linked_region"][before])


@pytest.mark.slow
def test_registration_time_is_longest_in_the_randstad_and_shortest_in_the_periphery():
    """Current policy, registration time at letting (regular seekers, registration route),
    the second and third year: Utrecht and Noord-Holland longest, Zuid-Holland above every
    peripheral province."""
    for seed in (1, 2):
        results = HousingMarket(rng=seed, households_per_agent=20).run(36)
        let = results.lettings
        regular = let[(let["group"] == "regular") & (let["route"] == "registration")]
        regular = regular[regular["month"] >= "2026-07-01"]
        median = regular.groupby("region", observed=True)["registration_time_years"].median()
        top = set(median.sort_values().index[-2:])
        assert top == {"Utrecht", "Noord-Holland"}
        assert median["Zuid-Holland"] > median[list(PERIPHERY)].max()


@pytest.mark.slow
def test_a_corop_run_agrees_with_the_province_run_nationally():
    """The 40 COROP areas at 1:10 (at 1:20 an area's status holders are too few agents for
    the quota's matching: status-holder lettings come out about 3% lower): national figures
    within 3%, or within two standard errors of the seed-to-seed difference, of the
    province run."""
    figures = {
        "lettings_regular_households": "sum",
        "lettings_urgent_households": "sum",
        "lettings_status_holder_households": "sum",
        "status_holders_housed_persons": "sum",
        "waiting_regular_households": "max",
    }
    diffs = {f: [] for f in figures}
    for seed in (1, 2, 3):
        runs = {}
        for level in ("province", "corop"):
            params = {"geography.level": level}
            m = HousingMarket(rng=seed, households_per_agent=10, parameters=params).run(24)
            m = m.monthly.iloc[1:]
            runs[level] = {f: getattr(m[f], how)() for f, how in figures.items()}
        for f in figures:
            diffs[f].append(runs["corop"][f] / runs["province"][f] - 1)
    for f, d in diffs.items():
        mean, se = np.mean(d), np.std(d, ddof=1) / np.sqrt(len(d))
        assert abs(mean) <= max(TOLERANCE.get(f, 0.03), 2 * se), (f, d)


# A difference the level makes by mechanism: in the smaller COROP areas a status holder's
# home is too small for the family that follows more often (re-entries about +14%, seed 2),
# so the persons housed (re-housed families counted again) are higher with the same number
# of lettings: +2%, +9%, +4% on seeds 1-3 (province: 34,010 persons, COROP: 37,120 on seed 2).
TOLERANCE = {"status_holders_housed_persons": 0.08}


@pytest.mark.slow
def test_seekers_who_search_elsewhere_are_drawn_to_shorter_waits():
    """Mechanism: with more seekers searching outside their region (drawn to shorter
    waits), the peripheral provinces' waits lengthen against the Randstad's."""

    def gap(share):
        out = []
        for seed in (1, 2):
            params = {"geography.search_elsewhere_share": share}
            let = HousingMarket(rng=seed, households_per_agent=20, parameters=params).run(48)
            let = let.lettings
            reg = let[(let["group"] == "regular") & (let["route"] == "registration")]
            reg = reg[reg["month"] >= "2027-07-01"]
            median = reg.groupby("region", observed=True)["registration_time_years"].median()
            out.append(median[list(PERIPHERY)].mean() - median[list(RANDSTAD)].mean())
        return np.mean(out)

    assert gap(0.3) > gap(0.0) + 0.1


def test_everyone_who_searches_elsewhere_searches_outside_their_region_as_weighted():
    """A seeker who searches elsewhere gets one draw among the other regions, weighted by
    population x exp(-sensitivity x waiting years): never their own region, and the
    destinations follow those weights (an earlier loop over home regions drew again
    for seekers just sent to a region later in the loop)."""
    params = Parameters.from_overrides()
    population = Population(params, Streams(7), scale=1)
    n_regions = len(params.regions)
    ids = np.arange(200_000, dtype=np.int64)
    home = (ids % n_regions).astype(np.int8)
    dest = population.search_region(ids, home, share=1.0)
    assert not np.any(dest == home)
    regions = params.regions
    weight = regions.population * np.exp(
        -params["geography.wait_sensitivity_per_year"] * regions.registration_years_at_letting
    )
    for r in range(n_regions):
        w = weight.copy()
        w[r] = 0.0
        seen = np.bincount(dest[home == r], minlength=n_regions) / np.sum(home == r)
        np.testing.assert_allclose(seen, w / w.sum(), atol=0.01)
