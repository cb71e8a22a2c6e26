"""The history: every run starts on 2022-01-01 in its documented state and runs on the
observed inputs of model/inputs/data/history.toml up to its start date (by default
2026-01-01); the scenario acts from there."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from model.asylum.pipeline import AsylumPipeline
from model.base.codes import Situation, State
from model.base.errors import ParameterError
from model.history_cache import history_cache
from model.inputs.history import HISTORY_END, HISTORY_START, History
from model.inputs.parameters import Parameters
from model.market import HousingMarket
from tests.scales import COARSE


@pytest.fixture(scope="module")
def history_run():
    model = HousingMarket(
        rng=1, households_per_agent=50, start_date="2022-01-01", parameters=COARSE
    )
    return model, model.run(until="2023-01-01")


def test_a_history_run_starts_in_the_documented_state(history_run):
    _, results = history_run
    start = results.monthly.iloc[0]
    assert start["status_holders_in_reception_persons"] == pytest.approx(11_500, rel=0.05)
    assert start["quota_backlog_persons"] == pytest.approx(3_728, rel=0.01)
    assert start["asylum_pending_persons"] == pytest.approx(20_400)
    assert start["reception_occupancy_total_persons"] == pytest.approx(36_000, rel=0.03)
    assert start["reception_places_regular_persons"] == pytest.approx(29_000)


def test_observed_applications_replace_the_path_and_the_record_says_which(history_run):
    model, results = history_run
    monthly = results.monthly.set_index("date")["asylum_applications_persons"]
    # 2022-Q1: 6,450 first applications (CBS), a third a month.
    assert monthly.loc["2022-02-01"] == pytest.approx(6450 / 3)
    assert monthly.loc["2022-10-01"] == pytest.approx(11015 / 3)
    used = model.settings_record()["history"]["observed_periods"]
    assert used["first_applications"][:4] == ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"]
    assert "2022" in used["recognition_rate"]


def test_observations_end_with_2025_and_a_gap_is_said_to_be_interpolated():
    history = History()
    assert history.month(dt.date(2025, 7, 1)).applications_per_year == 4 * 6800  # 2025-Q3
    later = history.month(HISTORY_END)
    assert later.applications_per_year is None and later.family_arrivals is None
    # The quota target of 2024-H2 was not found: the mean of the half years around it.
    target = history.month(dt.date(2024, 9, 1)).quota_target_per_year
    assert target == pytest.approx(2 * (18_750 + 15_000) / 2)
    assert (
        "2024-H2 (interpolated)" in history.record()["history"]["observed_periods"]["quota_targets"]
    )


@pytest.mark.parametrize("start", ["2021-12-01", "2026-02-01", "2030-01-01"])
def test_a_start_outside_the_history_is_refused_naming_the_dates(start):
    with pytest.raises(ParameterError) as err:
        HousingMarket(start_date=start, households_per_agent=50, parameters=COARSE)
    message = str(err.value)
    assert "calendar.start_date" in message
    assert str(HISTORY_START) in message and str(HISTORY_END) in message


# ------------------------------------------------------------ the IND's decisions


def _pipeline_months(params: Parameters, months: int, policy: dict):
    """The asylum pipeline alone from 2022-01-01 on the observed inputs, month by month:
    (pending before, applications, decisions, permits, pending after)."""
    history = History()
    pipeline = AsylumPipeline(params, 1, HISTORY_START)
    out = []
    for m in range(months):
        date = dt.date(2022 + m // 12, m % 12 + 1, 1)
        levers, observed = history.apply(policy, date)
        before = pipeline.pending
        done = pipeline.month(m, levers, observed)
        applications = done.applications_persons + done.repeat_persons
        out.append((before, applications, done.decisions, done.permits, pipeline.pending))
    return out


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"asylum.decisions_per_year": 500_000, "asylum.decision_months_min": 0.5},
        {"asylum.inflow_path": "low", "asylum.applications_factor": 0.0},
    ],
    ids=["defaults", "a fast IND", "no applications after 2025"],
)
def test_decisions_never_exceed_what_is_pending_and_the_stock_stays_non_negative(overrides):
    params = Parameters.from_overrides(overrides)
    policy = {name: params[name] for name in params.values}
    months = _pipeline_months(params, 120, policy)
    for before, applications, decided, permits, after in months:
        assert 0.0 <= decided <= before + applications + 1e-9
        assert 0.0 <= permits <= decided + 1e-9
        assert after >= -1e-9
        assert after == pytest.approx(before + applications - decided)


def test_the_history_follows_the_published_stock_awaiting_a_decision():
    """On the published dates the stock awaiting a first decision is the published one, and
    the permits are the published counts (2022: 18,710)."""
    params = Parameters.from_overrides()
    policy = {name: params[name] for name in params.values}
    months = _pipeline_months(params, 48, policy)
    assert months[11][4] == pytest.approx(35_790)  # 1 January 2023
    assert months[47][4] == pytest.approx(50_000)  # 1 January 2026
    assert sum(m[3] for m in months[:12]) == pytest.approx(18_710)


def test_the_ind_starts_deciding_at_its_set_pace_when_the_history_ends():
    """The capacity (asylum.decisions_per_year, the 2025 pace) does not drift while the
    history's published stock sets the decisions: the first month after it decides at that
    pace (the stock allows far more), and the capacity follows the inflow from then on."""
    params = Parameters.from_overrides({"asylum.decision_months_min": 0.5})
    policy = {name: params[name] for name in params.values}
    history = History()
    pipeline = AsylumPipeline(params, 1, HISTORY_START)
    for m in range(49):
        date = dt.date(2022 + m // 12, m % 12 + 1, 1)
        levers, observed = history.apply(policy, date)
        if m == 48:  # January 2026, the first month after the history
            assert observed.pending_target is None
            assert pipeline.capacity == pytest.approx(params["asylum.decisions_per_year"])
        done = pipeline.month(m, levers, observed)
    assert done.decisions == pytest.approx(params["asylum.decisions_per_year"] / 12)
    assert pipeline.capacity != pytest.approx(params["asylum.decisions_per_year"])


# ------------------------------------------------------------ families and persons


@pytest.fixture(scope="module")
def stepped_history():
    """The history from 2022-01-01, stepped month by month for 24 months at 1:20, with
    the ledgers and what happened to the families that joined in reception."""
    model = HousingMarket(rng=4, households_per_agent=20, start_date="2022-01-01")
    snapshots, joined = [], {}
    for _ in range(24):
        model.step()
        table = model.households
        w = table.waiting()
        sh = table["group"][w] == 2
        in_reception = model.queue.in_reception(w)
        joined_now = in_reception[table["family_joined"][in_reception] > 0]
        for row in joined_now:
            joined[int(table["id"][row])] = int(table["size"][row])
        snapshots.append(
            {
                "sh": dict(model.queue.sh_persons),
                "in_market": int(table["size"][w][sh].sum()),
                "reunification": dict(model.reunification.ledger),
                "abroad_now": model.reunification.abroad_of_sponsors
                + int(table["family_abroad"][w].sum()),
                "asylum": dict(model.asylum.ledger),
                "pending": model.asylum.pending,
                "rejected": model.asylum.rejected,
                "stats": dict(model.month_stats),
            }
        )
    return model, snapshots, joined


def test_persons_are_conserved_with_the_new_flows(stepped_history):
    """Status holders: permits + family joining in the market + families re-entering with
    a home too small = in the market + housed + left; families abroad: at the start +
    added = abroad + arrived + dropped; asylum: applications (first and repeat) = pending +
    permitted + rejected."""
    _, snapshots, _ = stepped_history
    for c in snapshots:
        s = c["sh"]
        assert s["entered"] + s["arrived_in_market"] + s["reentered"] == (
            c["in_market"] + s["housed"] + s["left"]
        )
        r = c["reunification"]
        assert r["abroad_start"] + s["abroad_added"] == pytest.approx(
            c["abroad_now"] + r["arrived"] + s["abroad_dropped"]
        )
        a = c["asylum"]
        assert a["applications"] == pytest.approx(c["pending"] + a["permitted"] + a["rejected"])
    assert snapshots[-1]["sh"]["reentered"] > 0 and snapshots[-1]["sh"]["arrived_in_market"] > 0


def test_family_members_in_reception_leave_with_their_household(stepped_history):
    """A family that joined a status holder in reception is housed with the household, the
    whole household in one letting, and is then no longer in reception."""
    model, snapshots, joined = stepped_history
    log = model.results().lettings
    housed = log[log["household_id"].isin(list(joined))]
    assert len(housed) > 0
    for hid, persons in zip(housed["household_id"], housed["household_size_persons"],
                            strict=True):  # fmt: skip
        assert persons == joined[int(hid)]
    table = model.households
    in_reception = model.queue.in_reception()
    assert not np.isin(housed["household_id"], table["id"][in_reception]).any()
    for c in snapshots:  # the families in reception are part of the status holders there
        stats = c["stats"]
        in_reception = stats["status_holders_in_reception_persons"]
        assert stats["family_in_reception_persons"] <= in_reception
        assert (
            stats["family_in_reception_sponsor_housed_persons"]
            <= stats["family_in_reception_persons"]
        )


def test_a_family_whose_sponsors_home_is_too_small_waits_in_reception(stepped_history):
    """The sponsor keeps the home; the family counts in reception, the sponsor does not."""
    model, _, _ = stepped_history
    table = model.households
    w = table.waiting()
    rows = w[(table["persons_at_home"][w] > 0) & (table["state"][w] == State.WAITING)]
    assert len(rows) > 0
    assert (table["situation"][rows] == Situation.RECEPTION).all()
    assert (table["home_type"][rows] >= 0).all()
    at_home = table["persons_at_home"][rows]
    assert (table.reception_persons(rows) == table["size"][rows] - at_home).all()


# ------------------------------------------------------------ the start date


def test_a_scenario_dated_before_the_start_is_applied_from_its_date(tmp_path):
    """A lever change dated 2024-07-01 acts from that date in a run from 2022, and is in
    force from the first month of a run from 2026; the history before a later start runs
    under the policy as it was (the lever's default)."""
    spec = tmp_path / "dated.toml"
    spec.write_text(
        'inherits = "current-policy"\n'
        'title = { nl = "Gedateerd", en = "Dated" }\n'
        'description = { nl = "Een hefboom vanaf 2024", en = "A lever from 2024" }\n[levers]\n'
        '"allocation.urgent_share_cap" = [{ from = "2024-07-01", value = 0.3 }]\n'
    )
    early = HousingMarket(str(spec), households_per_agent=50, start_date="2022-01-01",
                          parameters=COARSE)  # fmt: skip
    seen = {}
    for _ in range(36):
        early.step()
        seen[early.clock.first] = early.policy["allocation.urgent_share_cap"]
    assert seen[dt.date(2024, 6, 1)] == pytest.approx(0.17)
    assert seen[dt.date(2024, 7, 1)] == pytest.approx(0.3)
    late = HousingMarket(str(spec), households_per_agent=50, parameters=COARSE)
    assert late.start_date == dt.date(2026, 1, 1)
    assert late.policy["allocation.urgent_share_cap"] == pytest.approx(0.3)
    late.step()
    assert late.policy["allocation.urgent_share_cap"] == pytest.approx(0.3)


def test_the_cached_history_gives_the_same_bytes_as_running_it():
    """A run restoring the kept history and a run computing it produce identical results."""

    def run():
        model = HousingMarket(rng=7, households_per_agent=50, start_date="2023-01-01",
                              parameters=COARSE)  # fmt: skip
        return model.run(6)

    history_cache.clear()
    computed = run()
    restored = run()  # from the cache
    for name in ("monthly", "monthly_by_region", "lettings", "half_years", "households"):
        a, b = getattr(computed, name), getattr(restored, name)
        assert a.to_csv(index=False) == b.to_csv(index=False), name


def test_the_default_start_is_the_last_observed_state():
    model = HousingMarket(households_per_agent=50, parameters=COARSE)
    assert model.start_date == HISTORY_END
    row = model.month_stats
    # The history ran: the start is what it reached, not the 2022 state.
    assert row["asylum_pending_persons"] == pytest.approx(50_000, rel=0.01)
    assert row["reception_places_regular_persons"] > 29_000


def test_a_later_start_is_the_state_a_run_from_the_history_start_reaches_then():
    """A run from the default start begins exactly where a run from 1 January 2022 stands
    on that date: the start state is dated on the history's start (registration, permit
    and urgency days), not on the run's own start date."""
    start = dt.date(2024, 1, 1)
    model = HousingMarket(rng=4, households_per_agent=20, start_date=start)
    later = model.results().monthly
    early = HousingMarket(rng=4, households_per_agent=20, start_date=HISTORY_START)
    stepped = early.run(months=24).monthly
    for name in (
        "waiting_regular_households",
        "status_holders_in_reception_persons",
        "quota_backlog_persons",
        "quota_behind_municipalities",
    ):
        assert later[name].iloc[0] == stepped[name].iloc[-1], name
    table = model.households  # nobody registered after the start
    assert table["registration_day"][table.waiting()].max() <= model.clock.day_end


def test_families_of_housed_sponsors_pass_through_reception_until_september_2025():
    """Until September 2025 a family joining a housed sponsor whose home fits is received
    in reception first and counts for the quota when it moves in, about
    ``reunification.reception_stay_months`` later; from October 2025 COA no longer takes
    them in, and nobody is left passing through once the last stays are over. A longer
    stay holds more of them in reception."""

    def run(stay: float):
        model = HousingMarket(
            rng=3, households_per_agent=20, start_date="2025-06-01",
            parameters={"reunification.reception_stay_months": stay},
        )  # fmt: skip
        return model, model.run(7).monthly.iloc[1:]

    model, m = run(1.0)
    arriving = m["reunification_arrivals_passing_reception_persons"]
    assert arriving.iloc[:4].min() > 0 and arriving.iloc[4:].sum() == 0  # Jun-Sep, then none
    assert m["reunification_passed_through_reception_persons"].iloc[4] > 0  # in October
    assert len(model.reunification.passing) == 0
    at_home = m["reunification_arrivals_at_home_persons"]
    assert (arriving <= at_home).all()
    _, longer = run(3.0)
    held = "family_in_reception_sponsor_housed_persons"
    assert longer[held].iloc[3] > m[held].iloc[3]
