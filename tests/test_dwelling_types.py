"""Dwelling types with their own access rules, and a market that tightens.

Start-up homes have a maximum stay and the household is followed after it;
places in shared homes go to the singles they were made for; the SFT levers
act only while the scheme runs; tenants move out less as the queue grows; the
stock shrinks by sales and liberalisation; abolishing the quota is not a ban:
some municipalities keep priority; every status holder housed has a
municipality responsible for civic integration.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from scales import COARSE

from model.base.calendar import NEVER, day_number
from model.base.codes import DWELLING_TYPES, GROUPS, DwellingType, Situation, State
from model.base.errors import ParameterError
from model.inputs.parameters import Parameters, parameter_specs
from model.market import HousingMarket
from model.supply.stock import Stock

SPECS = parameter_specs()


@pytest.fixture(scope="module")
def cabinet():
    """The cabinet package at 1:20 for five years (shared homes, start-up homes, abolition)."""
    model = HousingMarket("cabinet-package", rng=2, households_per_agent=20)
    return model, model.run(60)


# ------------------------------------------------------------------ start-up homes


def test_startup_stay_never_exceeds_its_maximum(stepped):
    """Nobody lives in a start-up home longer than stock.startup_max_stay_months: not
    those there at any month's end, not those housed from it; and the maximum binds."""
    model, snapshots = stepped
    limit = SPECS["stock.startup_max_stay_months"].value
    longest = max(s["longest_startup_stay_months"] for s in snapshots)
    assert 0 < longest <= limit
    let = model.results().lettings
    moved_in = let[let["dwelling_type"] == "startup"].set_index("household_id")["month"]
    let = let.sort_values("month", kind="stable")
    before = let.groupby("household_id", observed=True)["dwelling_type"].shift()
    from_startup = let[(let["situation_before"] == "temporary_home") & (before == "startup")]
    assert len(from_startup) > 0
    since = moved_in.reindex(from_startup["household_id"]).to_numpy()
    months = (from_startup["month"].dt.year - since.astype("datetime64[Y]").astype(int) - 1970) * 12
    months += from_startup["month"].dt.month - (since.astype("datetime64[M]").astype(int) % 12 + 1)
    assert months.max() < limit  # housed in a month of the stay
    ended = model.results().monthly["temporary_contracts_ended_households"].sum()
    assert ended > 0  # some stays reached the maximum: the rule acted


def test_after_a_startup_home_the_household_searches_on_with_its_registration(stepped):
    """Whose stay ended waits, doubled up, with the registration time it had, no home of
    its own, and never gets a second start-up home; the others were housed from it."""
    model, _ = stepped
    table = model.households
    waiting = table["state"] == State.WAITING
    moved_out = (
        waiting
        & (table["temporary_day"] != NEVER)
        & (table["situation"] != Situation.TEMPORARY_HOME)
    )
    assert moved_out.sum() > 0
    assert (table["situation"][moved_out] == Situation.DOUBLED_UP).all()
    assert (table["home_type"][moved_out] == -1).all()
    status_holder = table["group"][moved_out] == 2
    np.testing.assert_array_equal(  # status holders registered on their permit
        table["registration_day"][moved_out][status_holder],
        table["permit_day"][moved_out][status_holder],
    )
    log = model.lettings_log
    startup = log.column("dwelling_type") == DWELLING_TYPES.index("startup")
    ids = log.column("household_id")[startup]
    assert len(np.unique(ids)) == len(ids)  # one start-up home per household at most
    housed_after = np.isin(log.column("household_id")[~startup], ids)
    assert housed_after.sum() > 0  # followed after the start-up home: to a home


# -------------------------------------------------------------------- shared homes


def test_shared_homes_go_to_their_intended_group_while_that_rule_holds(cabinet):
    """Cabinet package: places in shared homes go to single status holders until the
    singles exception lapses (normalisation, July 2027), then to singles from the queue."""
    model, results = cabinet
    let = results.lettings
    shared = let[let["dwelling_type"] == "shared"]
    assert (shared["household_size_persons"] == 1).all()
    lapse = pd.Timestamp(model.params["phases.normalisation_start"])
    during, after = shared[shared["month"] < lapse], shared[shared["month"] >= lapse]
    assert len(during) > 50 and len(after) > 50
    assert (during["group"] == "status_holder").all()
    assert (after["group"] != "status_holder").mean() > 0.5  # singles from the queue
    # While priority is legal (preparation), municipalities place singles in them with
    # priority (the quota route); single status holders also find shared places through
    # their own registration, and those waiting for a family only so (a municipality
    # houses them in a home for the family, status_holders.sponsors_wait_for_family).
    implementation = pd.Timestamp(model.params["phases.implementation_start"])
    legal = during[during["month"] < implementation]
    assert len(legal) > 50
    quota = legal["route"] == "quota"
    assert quota.mean() > 0.25
    assert (legal.loc[quota, "family_abroad_persons"] == 0).all()
    assert (legal.loc[~quota, "family_abroad_persons"] > 0).any()


def test_shared_places_are_let_again_as_their_tenants_move_on(cabinet):
    """Every tenant of a place in a shared home is a household of the model: a place is
    let again when its tenant is housed for good, leaves the market or reaches the end of
    the contract (stock.shared_contract_months), so per place and year at least about one
    in the contract's years once places have stood that long, and below the student rooms'
    turnover (measured 0.29 against 0.40, seed 2). The monthly column is each month's
    own rate and lies within the same bounds."""
    _, results = cabinet
    m = results.monthly.iloc[13:]  # from the second year: places exist to be re-let
    per_place = m["relettings_shared_households"].sum() / m["stock_shared_dwellings"].mean()
    per_place *= 12 / len(m)
    years = SPECS["stock.shared_contract_months"].value / 12
    assert 0.5 / years < per_place
    rooms = -math.log(1 - SPECS["stock.non_self_contained_turnover_per_year"].value)
    assert per_place < rooms
    column = m["relettings_per_place_shared_per_year"]
    monthly = 12 * m["relettings_shared_households"] / m["stock_shared_dwellings"]
    np.testing.assert_allclose(column, monthly)  # each month's own rate
    assert 0.5 / years < column.mean() < rooms


def test_reporting_separates_places_added_housed_for_good_and_lettings(cabinet):
    """Lettings = homes for good + temporary homes; places added in shared homes are the
    homes converted times the households each; places are not households housed."""
    model, results = cabinet
    m = results.monthly.iloc[1:]
    let = results.lettings
    startup = let[let["dwelling_type"].isin(["flex", "startup", "shared"])]
    for group in ("regular", "urgent", "status_holder"):
        steps = startup.loc[startup["group"] == group, "households"].sum()
        assert (
            m[f"lettings_{group}_households"].sum()
            == m[f"housed_for_good_{group}_households"].sum() + steps
        )
    per_home = model.params["policy.shared_households_per_dwelling"]
    assert m["places_added_shared_dwellings"].sum() == per_home * (
        m["shared_homes_converted_dwellings"].sum()
    )
    assert m["places_added_startup_dwellings"].sum() > 0
    assert m["lettings_startup_households"].sum() > m["places_added_startup_dwellings"].sum()


# ------------------------------------------------------------------------ flex homes


def test_flex_building_follows_the_sft_scheme_then_the_lever_after_it():
    """Before the SFT scheme ends its levers apply, a share reserved for status holders;
    from stock.sft_end_date flex_additions_after_sft_per_year, none reserved."""
    end = dt.date(2026, 7, 1)
    params = {
        **COARSE,
        "stock.sft_end_date": end.isoformat(),
        "stock.flex_additions_after_sft_per_year": 12000,
    }
    results = HousingMarket(households_per_agent=50, rng=1, parameters=params).run(12)
    m = results.monthly.iloc[1:]
    before, after = m[m["date"] <= pd.Timestamp(end)], m[m["date"] > pd.Timestamp(end)]
    sft = SPECS["stock.flex_additions_per_year"].value
    assert before["places_added_flex_dwellings"].sum() == pytest.approx(sft / 2, rel=0.05)
    assert before["flex_additions_reserved_dwellings"].sum() > 0
    assert after["places_added_flex_dwellings"].sum() == pytest.approx(6000, rel=0.05)
    assert after["flex_additions_reserved_dwellings"].sum() == 0


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"stock.flex_additions_per_year": [("2028-01-01", 100)]}, "SFT scheme ends"),
        ({"stock.flex_reserved_share": [("2029-01-01", 0.5)]}, "SFT scheme ends"),
        (
            {"stock.flex_additions_after_sft_per_year": 100, "calendar.months": 24},
            "after the run ends",
        ),
    ],
)
def test_sft_settings_that_cannot_act_are_refused(params, fragment):
    with pytest.raises(ParameterError, match=fragment):
        HousingMarket(parameters=params)


# ------------------------------------------------------------- a market that tightens


def test_tenants_move_out_less_where_the_queue_has_grown():
    """The factor on tenants' moving out is (queue / queue at the start) ** elasticity."""
    params = Parameters.from_overrides()
    stock = Stock(params, 200, HousingMarket(households_per_agent=200, parameters=COARSE).streams)
    stock.set_reference_queue(np.full(12, 1000.0))
    elasticity = params["stock.turnover_tightness_elasticity"]
    factor = stock.tightness_factor(np.r_[np.full(6, 1000.0), np.full(6, 1500.0)])
    np.testing.assert_allclose(factor[:6], 1.0)
    np.testing.assert_allclose(factor[6:], 1.5**elasticity)
    assert (factor[6:] < 1).all()
    base = stock.expected_turnover()
    tight = stock.expected_turnover(factor)
    regular = [DWELLING_TYPES.index(t) for t in ("small", "medium", "large")]
    np.testing.assert_allclose(tight[6:, regular], base[6:, regular] * factor[6:, None])
    temporary = [DWELLING_TYPES.index(t) for t in ("room", "flex", "shared")]
    np.testing.assert_allclose(tight[:, temporary], base[:, temporary])  # contracts


def test_sales_and_liberalisation_shrink_the_stock_and_the_lettings():
    """Homes sold or liberalised leave the social stock; those at a vacancy are not let."""
    none = {"stock.sales_per_year": 0.0, "stock.liberalisation_per_year": 0.0}
    runs = {}
    for name, extra in (("default", {}), ("none", none)):
        model = HousingMarket(households_per_agent=20, rng=3, parameters=extra)
        runs[name] = model.run(24).monthly
    a, b = runs["default"], runs["none"]
    stock = [f"stock_{t}_dwellings" for t in ("small", "medium", "large")]
    # (the parameters hold in the history before the start too: the runs start apart)
    gap = b[stock].sum(axis=1) - a[stock].sum(axis=1)
    lost = gap.iloc[-1] - gap.iloc[0]
    removed = a["sold_dwellings"].sum() + a["liberalised_dwellings"].sum()
    assert removed > 0 and b["sold_dwellings"].sum() == 0
    assert lost == pytest.approx(removed, rel=0.05)
    yearly = removed / 2
    expected = 2.3e6 * (
        SPECS["stock.sales_per_year"].value + SPECS["stock.liberalisation_per_year"].value
    )
    assert yearly == pytest.approx(expected, rel=0.05)
    let = "lettings_self_contained_households"
    assert a[let].sum() < b[let].sum()


# ---------------------------------------------------- abolishing the quota, not a ban


def _stepped_abolition(share: float, months: int = 30):
    """abolish-quota stepped month by month: the status-holder priority route's lettings
    and budget earned, per month after the abolition (agent units)."""
    params = {} if share is None else {"policy.priority_without_quota_share": share}
    model = HousingMarket("abolish-quota", rng=4, households_per_agent=20, parameters=params)
    abolition = model.params["phases.implementation_start"]
    placed, earned = 0, 0.0
    for _ in range(months):
        model.step()
        if model.clock.first < abolition:
            continue
        log = model.lettings_log
        mine = (log.column("month") == model.clock.index) & (log.column("route") == 6)
        placed += int(mine.sum())
        budget = model.allocation.budgets.get("status_holder_priority")
        if budget is not None:
            earned += float(budget.earned.sum())
            # each region: the cap times its municipalities' vacancy-weighted kept willingness
            table = model.quota.table
            kept = table.willingness * share * table.vacancy_share
            expected = model.policy["status_holders.quota_placement_max_share"] * np.bincount(
                table.region, weights=kept, minlength=len(model.params.regions)
            )
            assert np.allclose(budget.share, expected)
    return model, placed, earned


def test_abolishing_the_quota_alone_keeps_priority_at_the_documented_share():
    """In abolish-quota priority stays legal: each municipality keeps a share of its
    willingness (policy.priority_without_quota_share) and places status holders with
    priority, as many as that share of its possible placements earns; with a share of
    zero, nobody."""
    default = SPECS["policy.priority_without_quota_share"].value
    _, placed, earned = _stepped_abolition(default)
    assert placed > 100
    assert placed == pytest.approx(earned, rel=0.05)
    _, placed_all, earned_all = _stepped_abolition(1.0)
    assert earned_all == pytest.approx(earned / default, rel=0.15)
    assert placed_all > 1.5 * placed
    _, none, _ = _stepped_abolition(0.0)
    assert none == 0


def test_every_status_holder_housed_after_abolition_has_a_responsible_region(cabinet):
    """With the alternative coupling (cabinet package) every status holder, in reception or
    housed, has a responsible region; without one (abolish-quota) the BRP registration
    decides: the region housed."""
    _, results = cabinet
    abolition = pd.Timestamp("2028-07-01")
    let = results.lettings
    housed = let[(let["group"] == "status_holder") & (let["month"] >= abolition)]
    assert len(housed) > 100
    assert housed["responsible_region"].notna().all()
    m = results.monthly
    after = m["date"] > abolition
    assert (m.loc[after, "integration_no_responsible_municipality_persons"] == 0).all()
    assert (let.loc[let["group"] != "status_holder", "responsible_region"].isna()).all()

    alone = HousingMarket("abolish-quota", rng=2, households_per_agent=20).run(36)
    let = alone.lettings
    housed = let[(let["group"] == "status_holder") & (let["month"] >= pd.Timestamp("2026-07-01"))]
    assert len(housed) > 100 and housed["responsible_region"].notna().all()
    new = housed[housed["time_since_entry_years"] < 0.5]  # permits after the abolition
    assert (new["responsible_region"].astype(str) == new["region"].astype(str)).all()
    assert alone.monthly["integration_no_responsible_municipality_persons"].iloc[-1] > 0


def test_every_dwelling_type_reports_stock_lettings_and_lettings_per_place(cabinet):
    """monthly.csv carries, per dwelling type, its stock, lettings and lettings per place."""
    _, results = cabinet
    m = results.monthly
    for t in DWELLING_TYPES:
        for col in (
            f"stock_{t}_dwellings",
            f"lettings_{t}_households",
            f"relettings_{t}_households",
            f"lettings_per_place_{t}_per_year",
            f"relettings_per_place_{t}_per_year",
            f"places_added_{t}_dwellings",
        ):
            assert col in m.columns, col
    row = m.iloc[30]
    assert row["lettings_per_place_small_per_year"] == pytest.approx(
        12 * row["lettings_small_households"] / row["stock_small_dwellings"]
    )
    assert DWELLING_TYPES.index("shared") == DwellingType.SHARED


# ------------------------------------------------------------------ temporary homes


def test_no_tenant_stays_in_a_temporary_home_past_its_contract(stepped):
    """At every month's end nobody lives in a flex, start-up or shared home whose contract
    ended on or before the month's first day, and flex contracts did end in the run."""
    model, snapshots = stepped
    assert all(s["temporary_overdue"] == 0 for s in snapshots)
    table = model.households
    w = table.waiting()
    in_flex = w[
        (table["situation"][w] == Situation.TEMPORARY_HOME)
        & (table["home_type"][w] == DwellingType.FLEX)
    ]
    assert len(in_flex) > 0, "the run should house households in flex homes"


def test_a_temporary_tenant_returns_to_the_queue_at_the_latest_at_the_contract_end():
    """With three-month flex contracts every flex tenant is housed for good, leaves the
    market or is back in the queue (doubled up, with the registration time it had, no home)
    within three months; the flex home is let again."""
    short = {"stock.flex_contract_months": 3}
    model = HousingMarket(households_per_agent=20, rng=6, parameters=short)
    ended = 0
    for _ in range(9):
        model.step()
        table = model.households
        w = table.waiting()
        in_flex = w[
            (table["situation"][w] == Situation.TEMPORARY_HOME)
            & (table["home_type"][w] == DwellingType.FLEX)
        ]
        first = model.date  # the next month: this month's end is the day before
        latest = day_number(first) + 3 * 31  # three months from this month's first day
        assert (table["contract_end_day"][in_flex] > model.clock.day0).all()
        assert (table["contract_end_day"][in_flex] <= latest).all()
        ended += model.results().monthly["temporary_contracts_ended_households"].iloc[-1]
    assert ended > 0
    back = w[(table["situation"][w] == Situation.DOUBLED_UP) & (table["temporary_day"][w] != NEVER)]
    assert len(back) > 0
    assert (table["home_type"][back] == -1).all()
    # they keep the registration time they had: registered by the end of the month they
    # were let the home (stamped on its first day), not anew when the contract ended
    assert (table["registration_day"][back] < table["temporary_day"][back] + 31).all()
    m = model.results().monthly
    assert m["relettings_flex_households"].iloc[-3:].sum() > 0


def test_housed_for_good_counts_no_temporary_letting(cabinet):
    """Per group and month, housed for good plus temporary lettings are the lettings, and
    the temporary lettings are exactly the flex, start-up and shared ones."""
    _, results = cabinet
    m = results.monthly.iloc[1:]
    for g in GROUPS:
        np.testing.assert_array_equal(
            m[f"housed_for_good_{g}_households"] + m[f"lettings_temporary_{g}_households"],
            m[f"lettings_{g}_households"],
        )
    temporary = sum(m[f"lettings_temporary_{g}_households"] for g in GROUPS)
    by_type = sum(m[f"lettings_{t}_households"] for t in ("flex", "startup", "shared"))
    np.testing.assert_array_equal(temporary, by_type)
    assert m["lettings_shared_households"].sum() > 0 and m["lettings_flex_households"].sum() > 0
    # tenants of temporary homes are still in the market, searching
    assert m[[f"in_temporary_homes_{g}_households" for g in GROUPS]].iloc[-1].sum() > 0


def test_a_tenant_of_a_temporary_home_gets_no_second_one_while_there():
    """Whoever is let a temporary home is not in one already (the letting log's situation
    before the letting)."""
    model = HousingMarket("cabinet-package", households_per_agent=20, rng=3)
    let = model.run(36).lettings
    temporary = let[let["dwelling_type"].isin(["flex", "startup", "shared"])]
    assert len(temporary) > 0
    assert (temporary["situation_before"] != "temporary_home").all()
    # and tenants of temporary homes do move on to homes for good
    assert (let["situation_before"] == "temporary_home").sum() > 0


def test_a_home_left_at_the_maximum_stay_is_let_again():
    """The start-up home a household leaves at its maximum stay is a vacancy again, let
    to the next status holder; without a binding maximum no stay ends."""
    short = {"stock.startup_additions_per_year": 6000, "stock.startup_max_stay_months": 2}
    m = HousingMarket(households_per_agent=20, rng=6, parameters=short).run(12).monthly
    assert m["temporary_contracts_ended_households"].sum() > 0
    assert m["relettings_startup_households"].sum() > 0
    long = {**short, "stock.startup_max_stay_months": 120}
    m = HousingMarket(households_per_agent=20, rng=6, parameters=long).run(12).monthly
    assert m["temporary_contracts_ended_households"].sum() == 0


def test_compare_decomposes_lettings_by_dwelling_type_and_route(cabinet):
    """The decomposition adds up: its lettings are the run's lettings per group, its
    housed for good leaves temporary homes out, its places added are the monthly ones."""
    from experiments.compare import decomposition

    _, results = cabinet
    d = decomposition(results)
    years = (len(results.monthly) - 1) / 12
    let = results.lettings
    for group in ("regular", "urgent", "status_holder"):
        total = let.loc[let["group"] == group, "households"].sum() / years
        assert d.loc["lettings", group].sum() == pytest.approx(total)
        final = let[
            (let["group"] == group) & ~let["dwelling_type"].isin(["flex", "startup", "shared"])
        ]
        assert d.loc[("housed_for_good", group, "", "")] == pytest.approx(
            final["households"].sum() / years
        )
    added = results.monthly["places_added_shared_dwellings"].iloc[1:].sum() / years
    assert d.loc[("places_added", "", "shared", "")] == pytest.approx(added)
    assert d.loc[("lettings", "regular", "shared")].sum() > 0
