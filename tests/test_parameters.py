"""Every documented bad input raises an error naming the parameter, value and what is allowed."""

from __future__ import annotations

import re

import pytest
from scales import COARSE

from model.base.errors import ParameterError
from model.inputs.parameters import Parameters, parameter_specs, published_targets
from model.inputs.policy import load_scenario, scenario_names
from model.market import HousingMarket


def test_every_parameter_has_unit_source_and_range():
    for name, spec in parameter_specs().items():
        assert spec.unit, name
        assert len(spec.source) > 10, name
        if isinstance(spec.value, int | float) and not isinstance(spec.value, bool):
            assert spec.minimum is not None and spec.maximum is not None, name
        if spec.calibrated:
            assert spec.source.startswith("calibrated"), name


def test_defaults_are_valid():
    params = Parameters.from_overrides()
    assert params.households_per_agent >= 1
    assert len(params.regions) == 12
    assert params.regions.population.sum() == pytest.approx(17.8e6, rel=0.02)


def test_published_targets_have_sources():
    for name, target in published_targets().items():
        assert target["source"] and target["unit"] and target["date"], name
        assert target["use"] in ("calibration", "validation"), name
        assert target["tolerance"] > 0 and target["tolerance_reason"], name
        if target.get("tolerance_kind", "relative") == "relative":
            assert target["tolerance"] < 1, name


@pytest.mark.parametrize(
    "overrides, fragments",
    [
        ({"allocation.lottery_share": 1.5}, ["allocation.lottery_share", "1.5", "0 to 1"]),
        ({"allocation.lottery_share": "lots"}, ["allocation.lottery_share", "'lots'", "number"]),
        ({"regular.initial_seekers": 2.5}, ["regular.initial_seekers", "whole number"]),
        ({"scale.households_per_agent": 0}, ["scale.households_per_agent", "0", "1 to"]),
        ({"calendar.start_date": "2025-13-01"}, ["calendar.start_date", "2025-13-01", "YYYY"]),
        ({"calendar.start_date": "2025-07-15"}, ["calendar.start_date", "first day"]),
        ({"no.such_parameter": 1}, ["no.such_parameter", "allowed"]),
        ({"regular.size_shares": [0.5, 0.5, 0.5, 0, 0, 0]}, ["regular.size_shares", "sum"]),
        ({"regular.size_shares": [1.0]}, ["regular.size_shares", "6"]),
        ({"stock.share_small": 0.8, "stock.share_large": 0.3}, ["stock.share_small", "1"]),
        (
            {"regular.exit_buy_per_year": 0.6, "regular.exit_private_rent_per_year": 0.5},
            ["exit", "below 1"],
        ),
        (
            {"allocation.route_order": ["advertised", "urgent"]},
            ["allocation.route_order", "advertised", "last"],
        ),
        ({"allocation.route_order": ["urgent", "bribery"]}, ["allocation.route_order", "bribery"]),
        (
            {"dwellings.min_persons": [3, 1, 4, 1, 1, 1, 1]},
            ["dwellings.min_persons", "min <= max"],
        ),
    ],
)
def test_bad_parameter_is_named(overrides, fragments):
    with pytest.raises(ParameterError) as err:
        Parameters.from_overrides(overrides)
    message = str(err.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_bad_model_arguments():
    with pytest.raises(ParameterError, match="seed"):
        HousingMarket(rng=-1)
    with pytest.raises(ParameterError, match=r"scale\.households_per_agent"):
        HousingMarket(households_per_agent=0)
    with pytest.raises(ParameterError, match=r"unknown scenario 'nope'.*current-policy"):
        HousingMarket("nope")


def test_months_must_not_be_negative():
    model = HousingMarket(households_per_agent=500, parameters=COARSE)
    with pytest.raises(ParameterError, match="months"):
        model.run(-1)


def test_shipped_scenarios_load():
    names = scenario_names()
    assert "current-policy" in names
    for name in names:
        s = load_scenario(name)
        assert s.title["nl"] and s.title["en"] and s.description["nl"] and s.description["en"]


def _write(tmp_path, text):
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    return path


HEADER = '[title]\nnl = "x"\nen = "x"\n[description]\nnl = "y"\nen = "y"\n'


@pytest.mark.parametrize(
    "body, fragments",
    [
        ("[levers\n", ["not valid TOML"]),
        ('[levers]\n"allocation.no_such" = 1\n', ["unknown lever", "allocation.no_such"]),
        ('[levers]\n"stock.self_contained_dwellings" = 1\n', ["unknown lever"]),
        ('[levers]\n"allocation.lottery_share" = 2\n', ["allocation.lottery_share", "0 to 1"]),
        (
            '[levers]\n"allocation.lottery_share" = [{from = "2026-02-30", value = 0.1}]\n',
            ["allocation.lottery_share", "2026-02-30", "YYYY-MM-01"],
        ),
        (
            '[levers]\n"allocation.lottery_share" = [{from = "2027-01-01", value = 0.1},'
            ' {from = "2026-01-01", value = 0.2}]\n',
            ["increasing order"],
        ),
        (
            '[levers]\n"allocation.lottery_share" = [{start = "2027-01-01", value = 0.1}]\n',
            ["'from'"],
        ),
        ("[weather]\nsun = 1\n", ["unknown section", "weather"]),
    ],
)
def test_bad_scenario_file_is_named(tmp_path, body, fragments):
    path = _write(tmp_path, HEADER + body)
    with pytest.raises(ParameterError) as err:
        load_scenario(path)
    message = str(err.value)
    assert str(path) in message
    for fragment in fragments:
        assert re.search(re.escape(fragment), message), (fragment, message)


def test_scenario_needs_both_languages(tmp_path):
    path = _write(tmp_path, '[title]\nnl = "x"\n[description]\nnl = "y"\nen = "y"\n')
    with pytest.raises(ParameterError, match=r"'title'.*'nl' and 'en'"):
        load_scenario(path)
