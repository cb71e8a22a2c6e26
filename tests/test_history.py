"""History mode: a run from 2022-01-01 starts in that date's documented state
and runs on the observed inputs of model/inputs/data/history.toml up to the last published
period."""

from __future__ import annotations

import datetime as dt

import pytest

from model.base.errors import ParameterError
from model.inputs.history import History, documented_starts
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


def test_after_the_last_published_period_the_scenario_applies():
    history = History(dt.date(2022, 1, 1))
    assert history.month(dt.date(2025, 7, 1)).applications_per_year == 4 * 6800  # 2025-Q3
    later = history.month(dt.date(2025, 10, 1))
    assert later.applications_per_year is None and later.family_arrivals is None
    assert History(dt.date(2025, 7, 1)).month(dt.date(2025, 7, 1)).applications_per_year is None


def test_a_start_without_a_documented_state_is_refused_naming_the_dates():
    with pytest.raises(ParameterError) as err:
        HousingMarket(start_date="2023-01-01", households_per_agent=50, parameters=COARSE)
    message = str(err.value)
    assert "calendar.start_date" in message and "2022-01-01" in message
    assert dt.date(2022, 1, 1) in documented_starts()
