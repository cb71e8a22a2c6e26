"""The Spreidingswet tied to capacity: after its withdrawal the municipalities' plans
are no longer an obligation, so fewer regular places come, later, and emergency
places fill the gap (``model/asylum/reception.py``, assumption H5b).

The plan's path is tested on ``Reception`` itself (exact, fast); its effect on a run
on paired runs of the same seed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from model.asylum.reception import EMERGENCY_TIERS, Reception
from model.base.calendar import months_between
from model.base.errors import ParameterError
from model.inputs.history import HISTORY_START
from model.inputs.parameters import Parameters
from model.market import HousingMarket

SHARE = "reception.plans_realised_after_withdrawal_share"
DELAY = "reception.plans_delay_after_withdrawal_months"
DECISION = months_between(HISTORY_START, dt.date(2025, 10, 1))  # COA's capacity decision
WITHDRAWN = months_between(HISTORY_START, dt.date(2026, 7, 1))  # the implementation phase
LAW_END = months_between(HISTORY_START, dt.date(2027, 7, 1))  # the plans' target date
REGULAR = "reception_places_regular_persons"
EMERGENCY_PLACES = [f"reception_places_{t}_persons" for t in EMERGENCY_TIERS]
EMERGENCY_OCCUPANCY = [f"reception_occupancy_{t}_persons" for t in EMERGENCY_TIERS]


def _reception(overrides=None) -> tuple[Reception, dict]:
    """Reception after COA's decision (50,000 places, 88,000 planned), at scale 1, with
    the levers at their defaults."""
    params = Parameters.from_overrides(overrides or {})
    reception = Reception(params, 1, HISTORY_START)
    reception.decide(DECISION, 50000, 88000)
    return reception, dict(params.values)


def _withdraw(reception: Reception, policy: dict) -> dict:
    withdrawn = {**policy, "reception.spreidingswet_in_force": False}
    reception.region_share(WITHDRAWN, withdrawn)
    return withdrawn


def test_after_withdrawal_the_plans_keep_what_is_realised_and_bring_a_share_of_the_rest_later():
    law, policy = _reception({SHARE: 0.5, DELAY: 12})
    gone, _ = _reception({SHARE: 0.5, DELAY: 12})
    withdrawn = _withdraw(gone, policy)
    before = law.plans_path(WITHDRAWN - 1, policy)
    assert 50000 < before < 88000
    assert gone.plans_at_withdrawal == pytest.approx(before)
    assert law.plans_path(LAW_END, policy) == pytest.approx(88000)
    # The rest (88,000 less what was realised) comes at half, twelve months later.
    end = before + 0.5 * (88000 - before)
    assert gone.plans_path(LAW_END + 12, withdrawn) == pytest.approx(end)
    assert gone.plans_path(LAW_END + 60, withdrawn) == pytest.approx(end)
    months = range(WITHDRAWN, LAW_END + 13)
    path = np.array([gone.plans_path(m, withdrawn) for m in months])
    assert path[0] >= before and (np.diff(path) >= 0).all()
    assert all(gone.plans_path(m, withdrawn) < law.plans_path(m, policy) for m in months)


def test_all_of_the_rest_without_delay_is_the_laws_path():
    law, policy = _reception({SHARE: 1.0, DELAY: 0})
    gone, _ = _reception({SHARE: 1.0, DELAY: 0})
    withdrawn = _withdraw(gone, policy)
    for month in range(WITHDRAWN - 3, LAW_END + 6):
        assert gone.plans_path(month, withdrawn) == pytest.approx(law.plans_path(month, policy))


def test_after_withdrawal_coa_seeks_at_once_what_the_rest_of_the_plans_will_not_cover():
    """With 80,000 places needed: under the law COA waits for the plans (88,000 by July
    2027) and seeks nothing beyond them; after the withdrawal the plans end at about
    76,000, and COA orders the rest at once, to open after the lead time."""
    occupancy = 0.91 * 80000
    law, policy = _reception({SHARE: 0.5, DELAY: 12})
    gone, _ = _reception({SHARE: 0.5, DELAY: 12})
    withdrawn = {**policy, "reception.spreidingswet_in_force": False}
    for month in range(DECISION, WITHDRAWN + 1):
        law.step(month, occupancy, policy, 0.0)
        gone.step(month, occupancy, withdrawn if month >= WITHDRAWN else policy, 0.0)
    assert law.orders == []
    lead = int(gone.params["reception.opening_lead_months"])
    end = gone.plans_at_withdrawal + 0.5 * (88000 - gone.plans_at_withdrawal)
    assert [when for when, _ in gone.orders] == [WITHDRAWN + lead]
    assert sum(a for _, a in gone.orders) == pytest.approx(80000 - end)


@pytest.mark.parametrize("name", [SHARE, DELAY])
def test_the_withdrawal_parameters_are_refused_while_the_law_stays_in_force(name):
    with pytest.raises(ParameterError, match=name):
        HousingMarket("current-policy", rng=1, households_per_agent=20, parameters={name: 0.3})


def _run(scenario: str, seed: int, months: int, **params):
    market = HousingMarket(scenario, rng=seed, households_per_agent=20, parameters=params)
    return market.run(months).monthly


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_withdrawal_means_fewer_regular_places_and_more_emergency_cost(seed):
    """Mechanism: from July 2026 the plans bring half the places still to come, a year
    later; in 2027 COA has fewer regular places than under current policy, more people
    on emergency places and more emergency places, which cost more; before the
    withdrawal reception is the same. (The total cost moves little either way: regular
    places never built are never paid for.)"""
    now = _run("current-policy", seed, 24)
    gone = _run("spreidingswet-withdrawal", seed, 24)
    before = now["date"] < "2026-07-01"
    reception = [REGULAR, *EMERGENCY_PLACES, "reception_cost_total_eur"]
    assert now.loc[before, reception].equals(gone.loc[before, reception])
    year = now["date"] >= "2027-01-01"
    assert gone.loc[year, REGULAR].mean() < now.loc[year, REGULAR].mean() - 2000
    emergency_now = now.loc[year, EMERGENCY_PLACES].sum(axis=1).mean()
    emergency_gone = gone.loc[year, EMERGENCY_PLACES].sum(axis=1).mean()
    assert emergency_gone > emergency_now + 1000
    occupied_now = now.loc[year, EMERGENCY_OCCUPANCY].to_numpy().sum()
    occupied_gone = gone.loc[year, EMERGENCY_OCCUPANCY].to_numpy().sum()
    assert occupied_gone > occupied_now + 12 * 1000

    def emergency_cost(m):
        return (m["reception_cost_total_eur"] - m["reception_cost_regular_eur"])[year].sum()

    assert emergency_cost(gone) > emergency_cost(now)


@pytest.mark.slow
def test_more_of_the_plans_sooner_means_at_least_as_many_regular_places():
    """Until places sought beyond the plans can open (the lead time after the
    withdrawal), the regular places are the plans' places COA took: a higher share
    realised, or a shorter delay, gives at least as many in every month."""
    runs = {
        (share, delay): _run("spreidingswet-withdrawal", 1, 24, **{SHARE: share, DELAY: delay})
        for share, delay in [(0.25, 12), (0.75, 12), (0.5, 6), (0.5, 24)]
    }
    for fewer, more in [((0.25, 12), (0.75, 12)), ((0.5, 24), (0.5, 6))]:
        low, high = runs[fewer][REGULAR].to_numpy(), runs[more][REGULAR].to_numpy()
        assert (high >= low - 1e-6).all()
        assert (high > low + 1000).any()
