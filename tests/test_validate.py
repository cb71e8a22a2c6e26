"""The history data and the validation report (issue 11).

The observed inputs in model/data/history.toml each carry a source; the
validation report keeps calibration and validation apart and shows a failure
as a failure.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

PERIOD_KEY = {
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "half_year": re.compile(r"^\d{4}-H[12]$"),
    "year": re.compile(r"^\d{4}$"),
}


def history() -> dict:
    text = resources.files("model").joinpath("data/history.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


SERIES = [name for name, table in history().items() if "values" in table]


@pytest.mark.parametrize("name", SERIES)
def test_every_observed_value_has_a_source_a_unit_and_a_valid_period(name):
    table = history()[name]
    assert table["unit"].strip(), f"{name}: no unit"
    pattern = PERIOD_KEY[table["period"]]
    assert table["values"], f"{name}: no values"
    for period, value in table["values"].items():
        assert pattern.match(period), f"{name}: {period!r} is not a {table['period']} key"
        assert isinstance(value, int | float) and value >= 0, f"{name} {period}: {value!r}"
        source = table["sources"].get(period, "")
        assert len(source) > 20, f"{name} {period}: no source"
        assert "http" in source or "derived:" in source, f"{name} {period}: source names no page"
    assert set(table["sources"]) == set(table["values"]), f"{name}: a source without a value"


def test_the_schema_the_model_reads_is_there():
    data = history()
    for name in ("first_applications", "family_arrivals"):
        assert data[name]["period"] == "quarter"
        assert data[name]["unit"] == "persons per quarter"
        assert "2022-Q1" in data[name]["values"]
    assert data["recognition_rate"]["unit"] == "share"
    assert all(0 < v < 1 for v in data["recognition_rate"]["values"].values())
    assert data["quota_targets"]["period"] == "half_year"
    assert data["quota_targets"]["values"]["2022-H2"] == 13500
    assert data["new_construction"]["unit"] == "dwellings per year"
    start = data["start"]["2022-01-01"]
    for key in ("reception_residents", "status_holders_in_reception", "quota_backlog"):
        assert {"value", "unit", "source"} <= set(start[key]), key
    for key, figure in start.items():
        assert figure["unit"].strip() and len(figure["source"]) > 20, key
    assert data["not_found"]["items"], "what could not be found is written down"


def test_derived_values_show_their_arithmetic():
    """A value marked derived carries the numbers it came from."""
    for name in SERIES:
        for period, source in history()[name]["sources"].items():
            if source.startswith("derived:"):
                assert re.search(r"[=x/+-] ?\d", source), f"{name} {period}: no arithmetic"
