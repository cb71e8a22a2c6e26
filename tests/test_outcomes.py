"""The outcome registry: one definition per outcome, in real households and persons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from experiments.outcomes import (
    EMERGENCY_COLUMNS,
    OUTCOMES,
    RunView,
    check_names,
    evaluate,
    monthly_long,
    scalar_names,
    tidy,
)
from model.base.codes import GROUPS
from model.base.errors import ParameterError
from model.inputs.parameters import ParameterSpec, _check_plausible_range


@pytest.fixture(scope="module")
def view(small_run):
    return RunView(small_run[1])


def test_every_outcome_is_documented():
    for name, o in OUTCOMES.items():
        assert o.name == name
        assert o.unit and len(o.description) > 30, name
        assert o.label["nl"] and o.label["en"], name
        assert o.kind in ("scalar", "yearly", "monthly")
        assert o.group in (*GROUPS, "all")
        assert o.measure, name


def test_scalars_are_finite_numbers_in_real_units(view, small_run):
    values = evaluate(view)
    assert set(values) == set(scalar_names())
    for name, value in values.items():
        assert isinstance(value, float), name
        if name.startswith("housed_within_2_years"):
            assert np.isnan(value), name  # a 24-month run follows no one for 2 years
        else:
            assert np.isfinite(value), name
    monthly = small_run[1].monthly
    assert values["status_holders_in_reception_end_persons"] == pytest.approx(
        monthly["status_holders_in_reception_persons"].iloc[-1]
    )
    # Lettings for good per year: every final letting counted once, in households.
    final = small_run[1].lettings.query("dwelling_type != 'startup'")
    years = (len(monthly) - 1) / 12
    total = sum(values[f"lettings_{g}_households_per_year"] for g in GROUPS)
    assert total == pytest.approx(final["households"].sum() / years)
    for name in scalar_names():
        if name.endswith("_share") and not np.isnan(values[name]):
            assert 0 <= values[name] <= 1, name


def test_emergency_places_are_every_place_type_but_regular(view):
    cols = EMERGENCY_COLUMNS
    assert cols and not any("regular" in c or "total" in c for c in cols)
    parts = view.monthly[[*cols, "reception_occupancy_regular_persons"]].sum(axis=1)
    assert np.allclose(parts, view.monthly["reception_occupancy_total_persons"])


def test_every_column_an_outcome_reads_is_specified():
    """A definition naming a column the model does not write is refused at load."""
    from experiments import outcomes

    bad = {"name": "x_persons", "kind": "scalar", "unit": "persons", "compute": "at_end",
           "column": "no_such_column_persons", "measure": "x", "nl": "x", "en": "x",
           "about": "x"}  # fmt: skip
    with pytest.raises(KeyError, match="no_such_column_persons"):
        outcomes._define(bad)


# The rows compare.csv had before the registry (measure, group, period), kept.
PER_GROUP = ("lettings_households", "registration_years_median", "time_to_housing_years_median")
COMPARE_ROWS = {
    ("in_reception_persons", "status_holder", "2026-07-01"),
    ("in_reception_persons", "status_holder", "end"),
    ("in_reception_persons", "status_holder", "run mean"),
    ("reception_backlog_persons", "status_holder", "2026-07-01"),
    ("reception_backlog_persons", "status_holder", "end"),
    ("reception_cost_eur_per_year", "all", "run"),
    ("reception_emergency_persons", "all", "end"),
    ("reception_emergency_persons", "all", "run mean"),
    ("reception_occupancy_persons", "all", "run mean"),
    ("still_in_reception_after_1_year_share", "status_holder", "run"),
    ("time_in_reception_years_median", "status_holder", "run"),
    *{
        (m, g, p)
        for m in (
            "lettings_households",
            "registration_years_median",
            "time_to_housing_years_median",
        )
        for g in ("regular", "urgent", "status_holder")
        for p in ("run", "year k")
    },
}


def test_tidy_keeps_every_row_compare_csv_had(small_run):
    """compare.csv keeps its rows (each once), and the lettings per year add up."""
    results = small_run[1]
    new = tidy(results, [dt.date(2026, 7, 1)])
    keys = {(m, g, "year k" if p.startswith("year") else p)
            for m, g, p in zip(new.measure, new.group, new.period, strict=True)}  # fmt: skip
    assert keys >= COMPARE_ROWS, COMPARE_ROWS - keys
    assert not new.duplicated(["measure", "group", "period"]).any()
    let = results.lettings
    let = let[let["dwelling_type"] != "startup"]
    years = (len(results.monthly) - 1) / 12
    for g in GROUPS:
        row = new[(new.measure == "lettings_households") & (new.group == g) & (new.period == "run")]
        expected = let.loc[let["group"] == g, "households"].sum() / years
        assert row["value"].iloc[0] == pytest.approx(expected)


def test_monthly_long_format(view):
    long = monthly_long(view, ["status_holders_in_reception_persons", "reception_cost_eur"])
    assert list(long.columns) == ["date", "outcome", "value"]
    assert len(long) == 2 * len(view.monthly)
    assert pd.api.types.is_datetime64_any_dtype(long["date"])


def test_unknown_or_wrong_kind_names_are_refused():
    with pytest.raises(KeyError, match=r"unknown outcome 'nope'.*allowed"):
        check_names(["nope"])
    with pytest.raises(KeyError, match="it is a monthly outcome"):
        check_names(["status_holders_in_reception_persons"], "scalar")


def test_plausible_ranges_are_checked():
    base = dict(name="x.y", value=0.5, unit="share", source="s", minimum=0.0, maximum=1.0)
    _check_plausible_range(ParameterSpec(**base, low=0.2, high=0.8, range_source="why"))
    for bad in (
        dict(low=0.2, high=0.8),  # no source
        dict(low=0.8, high=0.2, range_source="why"),  # reversed
        dict(low=-0.1, high=0.8, range_source="why"),  # outside min
    ):
        with pytest.raises(ParameterError, match=r"x\.y"):
            _check_plausible_range(ParameterSpec(**base, **bad))
