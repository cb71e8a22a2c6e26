"""The 342 municipalities: their data, their quota shares, their rule and their backlog."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from scales import COARSE

from agents.municipalities import Municipality, MunicipalRules, MunicipalTable
from model.asylum.quota import Quota
from model.inputs.municipalities import municipalities_for
from model.inputs.parameters import Parameters
from model.market import HousingMarket

RULES = MunicipalRules(
    quota_in_force=True, warning_after=2, warning_step=0.1, instruction_after=4,
    instruction_effort=0.8, kept_without_quota=0.5,
)  # fmt: skip


def _table(willingness, vacancy_share, region=None) -> MunicipalTable:
    n = len(willingness)
    region = np.zeros(n, np.int64) if region is None else np.asarray(region)
    return MunicipalTable(
        code=tuple(str(i) for i in range(n)), name=tuple(f"m{i}" for i in range(n)),
        province=("P",) * n, region=region, target_share=np.full(n, 1.0 / n),
        vacancy_share=np.asarray(vacancy_share, float), willingness=np.asarray(willingness, float),
        effort=np.asarray(willingness, float).copy(), due=np.zeros(n), housed=np.zeros(n),
        missed=np.zeros(n, np.int64),
    )  # fmt: skip


def _quota(table, **params) -> Quota:
    p = Parameters.from_overrides({"scale.households_per_agent": 1, **params})
    return Quota(table, p)


@pytest.mark.parametrize("level", ["province", "corop"])
def test_every_municipality_lies_in_one_region_and_the_shares_add_up(level):
    regions = Parameters.from_overrides({"geography.level": level}).regions
    data = municipalities_for(regions.names, level)
    assert len(data) == 342
    assert set(np.unique(data.region)) == set(range(len(regions)))
    for share in (data.share_within_region(data.population),
                  data.share_within_region(data.corporation_dwellings)):  # fmt: skip
        per_region = np.bincount(data.region, weights=share, minlength=len(regions))
        assert np.allclose(per_region, 1.0)


def test_the_municipal_targets_add_up_to_the_national_target():
    model = HousingMarket(households_per_agent=100, parameters=COARSE)
    table = model.quota.table
    assert len(table) == 342
    assert table.target_share.sum() == pytest.approx(1.0)
    # within a region the split follows inhabitants
    data = municipalities_for(model.params.regions.names, model.params.regions.level)
    r = data.region == 0
    assert np.allclose(table.target_share[r] / table.target_share[r].sum(),
                       data.population[r] / data.population[r].sum())  # fmt: skip


def test_a_backlog_carries_over_and_a_lead_counts_against_the_next_target():
    table = _table([0.5, 0.5], [0.5, 0.5])
    quota = _quota(table)
    quota.start_month(dt.date(2026, 1, 1), 200.0, RULES)  # 50 persons each this half year
    assert np.allclose(table.due, [50, 50])
    quota.table.housed = np.array([20.0, 70.0])  # one 30 behind, one 20 ahead
    quota.start_month(dt.date(2026, 7, 1), 200.0, RULES)
    assert np.allclose(table.due, [100, 100])  # the backlog is still due
    assert list(table.missed) == [1, 0]
    # aims: the target less a lead, plus the catch-up share of a backlog
    catch_up = quota.catch_up
    assert np.allclose(quota._aim, [50 + catch_up * 30, 50 - 20])
    assert quota.by_municipality[-1]["behind"].tolist() == [True, False]


def test_the_rule_warnings_instructions_and_abolition():
    table = _table([0.3, 0.3, 0.3, 0.9], [0.25] * 4)
    table.missed = np.array([0, 2, 4, 4])
    effort = Municipality.effort(RULES, table)
    assert np.allclose(effort, [0.3, 0.4, 0.8, 1.0])  # willing, warned, instructed, capped at 1
    no_quota = MunicipalRules(**{**RULES.__dict__, "quota_in_force": False})
    assert np.allclose(Municipality.effort(no_quota, table), [0.15, 0.15, 0.15, 0.45])


def test_a_municipality_with_more_of_the_vacancies_realises_more():
    """Persons housed in a region count for its municipalities in proportion to the
    placements each offers (effort times its share of the vacancies)."""
    table = _table([0.5, 0.5, 0.5], [0.2, 0.3, 0.5])
    quota = _quota(table)
    quota.start_month(dt.date(2026, 1, 1), 3000.0, RULES)
    quota.record(np.array([0]), np.array([100.0]))
    assert np.allclose(table.housed, [20, 30, 50])
    assert quota.placement_shares(0.1)[0] == pytest.approx(0.1 * 0.5)


def test_the_agents_are_the_municipalities_and_report_real_persons():
    model = HousingMarket(households_per_agent=100, parameters=COARSE)
    model.run(7)
    agents = model.agents_by_type[Municipality]
    assert len(agents) == 342 == len(model.municipalities)
    provinces = {a.province for a in agents}
    assert len(provinces) == 12
    behind = sum(a.backlog > 0 for a in agents)
    assert 0 < behind <= 342
    row = model.results().monthly.iloc[-1]
    assert row["quota_behind_municipalities"] <= 342
    by_m = model.results().quota_by_municipality
    # the half year the history ended in closes in the run's first month
    assert set(by_m["half_year"]) == {"2025-H2", "2026-H1"}
    assert len(by_m) == 2 * 342 and by_m["housed_persons"].sum() > 0


@pytest.mark.slow
def test_abolition_stops_supervision_and_each_keeps_a_share_of_its_willingness():
    """After abolition no municipality is behind (there is no quota), the priority route
    houses status holders only as far as the kept willingness gives, and keeping none
    of it ends the route."""
    runs = {}
    for keep in (0.0, 0.5):
        m = HousingMarket(
            "abolish-quota", households_per_agent=50, rng=1,
            parameters={**COARSE, "policy.priority_without_quota_share": keep},
        )  # fmt: skip
        runs[keep] = m.run(24)
    late = slice(12, None)
    for r in runs.values():
        assert (r.monthly["quota_behind_municipalities"].iloc[late] == 0).all()
    route = "lettings_route_status_holder_priority_households"
    assert runs[0.0].monthly[route].iloc[late].sum() == 0
    assert runs[0.5].monthly[route].iloc[late].sum() > 0


def test_the_forecast_target_counts_no_more_family_than_can_arrive_in_half_a_year():
    """The government's target is the permits expected plus the families expected to join
    in the coming half year: those due, but no more than the IND and travel let arrive
    (reunification.arrivals_per_year), however many are long overdue."""
    from model.base.calendar import Month

    class Due:
        def __init__(self, persons):
            self.persons = persons

        def due_persons(self, queue, before_day):
            return self.persons

    month = Month.of(dt.date(2026, 1, 1), 0)
    assert Quota.forecast_per_year(10_000, Due(40_000), None, month, 16_000) == 26_000
    assert Quota.forecast_per_year(10_000, Due(3_000), None, month, 16_000) == 16_000


def test_the_first_forecast_target_follows_on_the_last_observed_one():
    """From the default start the first half-year target the model sets itself is of the
    size of the last observed one (13,000 for 2025-H2), not a jump from families overdue."""
    model = HousingMarket(rng=2, households_per_agent=20)
    half = model.run(months=7).quota_by_municipality.groupby("half_year")["target_persons"].sum()
    assert half["2025-H2"] == pytest.approx(13_000)
    assert 0.6 * 13_000 < half["2026-H1"] < 1.5 * 13_000


def test_the_2022_asylum_agreement_raises_the_aim_and_the_share_but_not_the_legal_target():
    """From September to December 2022 the municipalities agreed to house 20,000 in the
    half year and could give status holders half as many vacancies again (8% to 12%): both
    observed inputs. Each aims at its population share of the 20,000; what is due by law,
    and so the backlog, stays the legal target; before and after it nothing changes."""
    from model.inputs.history import History

    history = History()
    policy = {"status_holders.quota_placement_max_share": 0.06}
    for day, aim, share in (
        (dt.date(2022, 8, 1), None, 0.06),
        (dt.date(2022, 9, 1), 20_000, 0.09),
        (dt.date(2022, 12, 1), 20_000, 0.09),
        (dt.date(2023, 1, 1), None, 0.06),
    ):
        levers, observed = history.apply(policy, day)
        assert observed.agreed_aim == aim, day
        assert levers["status_holders.quota_placement_max_share"] == pytest.approx(share), day
    t = _table([0.3, 0.5, 0.9], [0.3, 0.3, 0.4])
    q = _quota(t)
    q.start_month(dt.date(2022, 7, 1), 2 * 1500.0, RULES)
    q.start_month(dt.date(2022, 9, 1), 2 * 1500.0, RULES)
    assert q._short().sum() == pytest.approx(1500.0)  # the legal target, before it
    q.agree(6000.0)
    np.testing.assert_allclose(t.due, 500.0)  # due by law: 1,500 persons spread over three
    assert q._short().sum() == pytest.approx(6000.0)  # each aims at its share of 6,000
    q.agree(6000.0)  # agreeing again each month changes nothing
    assert q._short().sum() == pytest.approx(6000.0)


def test_the_agreement_raises_what_municipalities_house_in_2022_h2(monkeypatch):
    """The same history run with and without the August 2022 agreement: with it the
    municipalities house more in 2022-H2 (both its aim and the raised share act), and the
    legal target of the half year is the same."""
    from model.inputs import history

    def housed(with_agreement: bool) -> pd.Series:
        data = dict(history._read())
        if not with_agreement:
            data.pop("asylum_agreement")
        monkeypatch.setattr(history, "_read", lambda: data)
        model = HousingMarket(households_per_agent=20, start_date="2022-01-01")
        q = model.run(until="2023-02-01").quota_by_municipality  # 2022-H2 closes in January
        return q.groupby("half_year")[["target_persons", "housed_persons"]].sum()

    with_it, without = housed(True), housed(False)
    assert with_it.loc["2022-H2", "target_persons"] == pytest.approx(
        without.loc["2022-H2", "target_persons"]
    )
    assert with_it.loc["2022-H1", "housed_persons"] == pytest.approx(
        without.loc["2022-H1", "housed_persons"]
    )
    assert with_it.loc["2022-H2", "housed_persons"] > 1.1 * without.loc["2022-H2", "housed_persons"]
