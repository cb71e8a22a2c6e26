"""Every setting takes effect or is refused; user values replace a lever's schedule.

A value given for a lever that a scenario schedules was once
overridden by the scenario's timeline without a word; a parameter inert
under the other settings was accepted. Here: the rule (a user value replaces
the lever's whole schedule; a dated form sets a schedule), the refusals, and
a sweep over every parameter checking that changing it changes the results.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle

import numpy as np
import pandas as pd
import pytest
from scales import COARSE

from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs
from model.inputs.policy import load_scenario, parse_schedule
from model.market import HousingMarket

HEADER = 'title = { nl = "x", en = "x" }\ndescription = { nl = "y", en = "y" }\n'


def digest(results) -> str:
    """A fingerprint of everything a run reports."""
    h = hashlib.sha1()
    for frame in (results.monthly, results.lettings, results.integration, results.half_years):
        h.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return h.hexdigest()


def run(scenario="current-policy", months=24, scale=200, **params):
    coarse = COARSE if scale > 20 else {}
    model = HousingMarket(
        scenario, rng=1, households_per_agent=scale, parameters={**coarse, **params}
    )
    return model, model.run(months)


# --------------------------------------------------------------- the rule


def test_a_user_value_replaces_the_scenarios_schedule():
    """cabinet-package schedules flex additions; a user value now holds for the whole run."""
    model, _ = run("cabinet-package", months=1, **{"stock.flex_additions_per_year": 0})
    for day in (dt.date(2025, 7, 1), dt.date(2027, 1, 1), dt.date(2030, 1, 1)):
        assert model.timeline.at(day)["stock.flex_additions_per_year"] == 0
    assert model.settings_record()["levers"]["stock.flex_additions_per_year"] == [
        {"from": "start", "value": 0}
    ]
    _, base = run("cabinet-package")
    _, zero = run("cabinet-package", **{"stock.flex_additions_per_year": 0})
    assert base.monthly["vacancies_flex_addition_dwellings"].sum() > 0
    assert zero.monthly["vacancies_flex_addition_dwellings"].sum() == 0


def test_a_user_value_for_a_banned_priority_takes_effect():
    """policy.status_holder_priority=true on ban-without-extra-supply keeps quota placements."""
    _, ban = run("ban-without-extra-supply", months=24)
    _, kept = run(
        "ban-without-extra-supply",
        months=24,
        **{"policy.status_holder_priority": True, "policy.singles_exception": False},
    )

    def regular_stock_by_quota(results):
        """Quota placements in the regular stock after the ban date (real households)."""
        let = results.lettings
        mine = (
            (let["route"] == "quota")
            & let["dwelling_type"].isin(["small", "medium", "large"])
            & (let["month"] >= "2026-07-01")
        )
        return let.loc[mine, "households"].sum()

    assert regular_stock_by_quota(ban) == 0
    assert regular_stock_by_quota(kept) > 1000


def test_a_dated_value_sets_a_schedule_with_the_default_before_it():
    model, _ = run(
        "cabinet-package",
        months=1,
        **{
            "stock.flex_additions_per_year": [{"from": "2027-01-01", "value": 100}],
            "allocation.lottery_share": [("start", 0.3), ("implementation", 0.5)],
        },
    )
    t = model.timeline
    default = parameter_specs()["stock.flex_additions_per_year"].value
    assert t.at(dt.date(2026, 12, 1))["stock.flex_additions_per_year"] == default
    assert t.at(dt.date(2027, 1, 1))["stock.flex_additions_per_year"] == 100
    assert t.at(dt.date(2025, 7, 1))["allocation.lottery_share"] == 0.3
    assert t.at(dt.date(2026, 7, 1))["allocation.lottery_share"] == 0.5
    assert model.settings_record()["levers"]["allocation.lottery_share"] == [
        {"from": "start", "value": 0.3},
        {"from": "2026-07-01", "value": 0.5},
    ]


@pytest.mark.parametrize(
    "value, fragments",
    [
        ([{"from": "2027-01-15", "value": 1}], ["first day of a month", "YYYY-MM-01"]),
        ([{"from": "someday", "value": 1}], ["'someday'", "phase"]),
        ([{"when": "2027-01-01", "value": 1}], ["'from'"]),
        ([("2028-01-01", 1), ("2027-01-01", 2)], ["increasing order"]),
        ([("2027-01-01", -5)], ["stock.new_construction_per_year", "-5"]),
    ],
)
def test_bad_schedules_are_named(value, fragments):
    with pytest.raises(ParameterError) as err:
        parse_schedule("stock.new_construction_per_year", value)
    for fragment in fragments:
        assert fragment in str(err.value)


def test_a_dated_value_for_a_parameter_that_is_not_a_lever_is_refused():
    with pytest.raises(ParameterError, match=r"not a lever.*whole run"):
        HousingMarket(parameters={"regular.refusal_probability": [("2027-01-01", 0.2)]})


# ------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "params, names",
    [
        (
            {"status_holders.permits_persons_per_year": 25000},
            ["status_holders.permits_persons_per_year", "asylum.permit_source", "'pipeline'"],
        ),
        ({"asylum.applications_high": [1, 2]}, ["asylum.inflow_path", "'central'"]),
        (
            {"reunification.subsidiary_arrival_factor": 0.5},
            ["reunification.two_status_system", "false"],
        ),
        ({"policy.family_priority_share_cap": 0.1}, ["policy.family_priority"]),
        ({"policy.coupling_without_quota": "population_share"}, ["policy.quota_in_force"]),
        (
            {"policy.places_per_converted_home": 3.0},
            ["policy.reception_places_converted_per_year", "is > 0"],
        ),
    ],
)
def test_a_setting_without_effect_is_refused_naming_what_makes_it_inert(params, names):
    with pytest.raises(ParameterError) as err:
        HousingMarket(parameters=params)
    message = str(err.value)
    assert "no effect" in message
    for name in [*params, *names]:
        assert name in message, (name, message)


def test_a_setting_made_effective_by_another_is_accepted():
    HousingMarket(
        households_per_agent=500,
        parameters={
            **COARSE,
            "asylum.permit_source": "exogenous",
            "status_holders.permits_persons_per_year": 25000,
        },
    )
    # A lever that turns on during the run makes its companion effective.
    HousingMarket(
        "family-priority",
        households_per_agent=500,
        parameters={**COARSE, "policy.family_priority_share_cap": 0.1},
    )


def test_scale_or_start_given_twice_is_refused():
    with pytest.raises(ParameterError, match=r"scale\.households_per_agent.*twice"):
        HousingMarket(households_per_agent=20, parameters={"scale.households_per_agent": 50})
    with pytest.raises(ParameterError, match=r"calendar\.start_date.*twice"):
        HousingMarket(start_date="2026-01-01", parameters={"calendar.start_date": "2026-01-01"})


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"months": float("inf")}, "months"),
        ({"months": float("nan")}, "months"),
        ({"months": 2.5}, "months"),
        ({"months": "3"}, "months"),
        ({"months": True}, "months"),
        ({"months": -1}, "months"),
        ({"until": "garbage"}, "until"),
        ({"until": "2030-01-15"}, "YYYY-MM-01"),
        ({"until": "2020-01-01"}, "before"),
        ({"months": 3, "until": "2030-01-01"}, "one of the two"),
        ({"months": 12 * 9000}, "at most 600 months"),
    ],
)
def test_run_refuses_bad_horizons(kwargs, fragment):
    model = HousingMarket(households_per_agent=2000, parameters=COARSE)
    with pytest.raises(ParameterError, match=fragment):
        model.run(**kwargs)
    assert model.time == 0  # nothing was simulated


def test_run_accepts_whole_numbers_of_any_kind():
    model = HousingMarket(households_per_agent=2000, parameters=COARSE)
    model.run(np.int64(1))
    model.run(1.0)
    model.run(until="2026-04-01")
    assert model.date == dt.date(2026, 4, 1)


def test_scenario_none_is_refused():
    with pytest.raises(ParameterError, match="scenario = None"):
        HousingMarket(None)


def test_boolean_messages_say_true_or_false():
    with pytest.raises(ParameterError, match="true or false") as err:
        HousingMarket(parameters={"policy.large_family_pool": "yes"})
    assert "policy.large_family_pool" in str(err.value)


def test_numpy_values_are_accepted():
    model = HousingMarket(
        households_per_agent=np.int64(20),
        parameters={
            "allocation.lottery_share": np.float64(0.2),
            "policy.large_family_pool": np.bool_(True),
            "stock.new_construction_per_year": np.float64(20000.0),
            "regular.size_shares": np.array([0.5, 0.25, 0.12, 0.08, 0.035, 0.015]),
        },
    )
    assert model.params["allocation.lottery_share"] == 0.2
    assert model.params["stock.new_construction_per_year"] == 20000


def test_list_shares_above_one_are_refused():
    with pytest.raises(ParameterError, match="above the maximum"):
        HousingMarket(parameters={"regular.children_share_by_size": [0, 0.3, 1.2, 0.9, 0.9, 0.9]})


# ----------------------------------------------------- bad scenario files


def _scenario(tmp_path, body: str | bytes):
    path = tmp_path / "s.toml"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(HEADER + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("levers = 5\n", "'levers' = 5 is not a table"),
        ('parameters = ["a", "b"]\n', "'parameters' = ['a', 'b'] is not a table"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not UTF-8"),
        (b"title2 = 1\n\x00\n", "binary"),
        (
            '[levers]\n"allocation.lottery_share" = [{from = "2027-03-15", value = 0.1}]\n',
            "first day of a month",
        ),
    ],
)
def test_malformed_scenario_files_give_one_clear_error(tmp_path, body, fragment):
    path = _scenario(tmp_path, body)
    with pytest.raises(ParameterError) as err:
        load_scenario(path)
    assert fragment in str(err.value)
    assert str(path) in str(err.value)


def test_a_folder_or_unreadable_scenario_file_is_refused(tmp_path):
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(ParameterError, match="is a folder"):
        load_scenario(folder)
    under_file = tmp_path / "plain" / "x.toml"
    (tmp_path / "plain").write_text("")
    with pytest.raises(ParameterError, match=r"cannot be read|does not exist"):
        load_scenario(under_file)


def test_a_phase_date_no_lever_uses_is_refused():
    with pytest.raises(ParameterError, match=r"phases\.preparation_start.*no lever"):
        HousingMarket(parameters={"phases.preparation_start": "2026-03-01"})
    HousingMarket(
        "cabinet-package",
        households_per_agent=500,
        parameters={**COARSE, "phases.preparation_start": "2026-03-01"},
    )


def test_a_phase_date_before_the_start_is_refused():
    """The months before the start are history: a phase that begins by then is in force
    from the start at any such date."""
    with pytest.raises(ParameterError, match=r"phases\.preparation_start.*after 2026-01-01"):
        HousingMarket(
            "cabinet-package",
            households_per_agent=500,
            parameters={**COARSE, "phases.preparation_start": "2025-09-01"},
        )
    HousingMarket(
        "cabinet-package",
        households_per_agent=500,
        parameters={
            **COARSE,
            "calendar.start_date": "2025-07-01",
            "phases.preparation_start": "2025-09-01",
        },
    )


def test_a_scenario_file_with_an_inert_setting_is_refused(tmp_path):
    path = _scenario(tmp_path, '[levers]\n"policy.family_priority_share_cap" = 0.2\n')
    with pytest.raises(ParameterError, match=r"s\.toml.*no effect"):
        HousingMarket(path)


# ----------------------------------------------------------- pickling


def test_a_model_pickles_and_continues_identically():
    model = HousingMarket("cabinet-package", households_per_agent=200, rng=4, parameters=COARSE)
    model.run(6)
    copy = pickle.loads(pickle.dumps(model))
    a, b = model.run(6), copy.run(6)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)
    pd.testing.assert_frame_equal(a.lettings, b.lettings)


# ------------------------------------------- every parameter takes effect

# Perturbations that act within the short test run (the automatic one may not).
PERTURB = {
    "stock.flex_life_years": 6,
    "stock.flex_initial_age_years_max": 14,
    "stock.startup_homes": 20000,
    "stock.sft_end_date": "2027-01-01",
    "dwellings.min_persons": [1, 1, 5, 1, 1, 1, 1],
    "dwellings.max_persons": [2, 4, 12, 1, 2, 4, 1],
    "urgent.ground_shares": [0.1, 0.1, 0.3, 0.4, 0.05, 0.05],
    "regular.large_household_persons": [6, 9, 10],
    "asylum.applications_central": [10000, 10000],
    "reception.regular_places_target_date": "2025-10-01",
    "phases.preparation_start": "2026-03-01",
    "phases.implementation_start": "2026-01-01",
    "phases.normalisation_start": "2027-01-01",
    "allocation.route_order": ["large_pool", "quota", "urgent", "family", "advertised"],
    "stock.startup_additions_per_year": 3000,
    "policy.shared_conversions_per_year": 3000,
    "policy.reception_places_converted_per_year": 4000,
    "policy.shared_households_per_dwelling": 2,
    "stock.shared_contract_months": 12,  # a contract that ends within the run
    "stock.flex_contract_months": 12,
    "reception.occupancy_norm": 0.96,
    "asylum.decision_months_min": 40,  # slower than the IND's capacity allows: it binds
}
# Parameters tried on another scenario (name: scenario, settings, value).
SPECIAL = {
    "policy.singles_exception": ("ban-without-extra-supply", {}, False),
    "policy.no_urgency_for_residence_permit": ("mooiman", {}, False),
    # New regular places are sought only once the plans are used up: with a high inflow.
    "reception.opening_lead_months": ("higher-inflow", {}, 2),
    # Places are cancelled only when some are to spare: with a low inflow.
    "reception.notice_months": ("lower-inflow", {}, 3),
    "reception.minimum_regular_places": ("lower-inflow", {}, 70000),
    # Hotels are opened in a crisis and closed first: with a high inflow.
    "reception.cost_emergency_hotels_eur_per_place_year": ("higher-inflow", {}, 136501),
}
NOT_A_MODEL_SETTING = {
    "scale.households_per_agent",
    "scale.allow_unvalidated",  # tested in tests/test_scale.py
    "calendar.months",
    "calendar.start_date",
}


def perturbed(spec):
    if spec.name in PERTURB:
        return PERTURB[spec.name]
    v = spec.value
    if isinstance(v, bool):
        return not v
    if isinstance(v, str) and spec.choices is not None:
        return next(c for c in spec.choices if c != v)
    if isinstance(v, list):
        if abs(sum(v) - 1) < 1e-6:  # shares: move weight from the first to the last
            return [v[0] - 0.1, *v[1:-1], v[-1] + 0.1]
        if spec.maximum is not None:
            return [x * 0.5 for x in v]
        return [x * 1.5 + 1 for x in v]
    new = v * 1.5 + (1 if isinstance(v, int) else 0.05)
    if spec.maximum is not None and new > spec.maximum:
        new = v * 0.5
    return type(v)(new)


def enabling(spec) -> dict:
    """Settings under which the parameter's ``needs`` hold (its first alternative)."""
    if not spec.needs:
        return {}
    out = {}
    specs = parameter_specs()
    for name, condition in spec.needs[0].items():
        if isinstance(condition, str) and condition.startswith(">"):
            default = specs[name].value
            # already holds by default (a share, say): keep it; else a clear flow
            if default <= float(condition[1:]):
                out[name] = 5000
        else:
            out[name] = condition
    return out


def scenario_for(spec, enable) -> str:
    if spec.name.startswith("phases."):
        return "cabinet-package"  # levers tied to every phase
    if "policy.status_holder_priority" in enable and not enable["policy.status_holder_priority"]:
        return "ban-without-extra-supply"
    return "current-policy"


@pytest.mark.slow
def test_every_parameter_changes_the_results():
    """Changing any parameter (where its needs hold) changes what the model reports."""
    cache: dict = {}
    silent = []
    for spec in parameter_specs().values():
        if spec.name in NOT_A_MODEL_SETTING:
            continue
        if spec.name in SPECIAL:
            scenario, enable, value = SPECIAL[spec.name]
        else:
            enable = enabling(spec)
            scenario, value = scenario_for(spec, enable), perturbed(spec)
        key = (scenario, tuple(sorted((k, str(v)) for k, v in enable.items())))
        if key not in cache:
            cache[key] = digest(run(scenario, months=48, scale=100, **enable)[1])
        try:
            changed = digest(run(scenario, months=48, scale=100, **enable, **{spec.name: value})[1])
        except ParameterError as err:
            silent.append(f"{spec.name}: {value!r} refused: {err}")
            continue
        if changed == cache[key]:
            silent.append(f"{spec.name}: {spec.value!r} -> {value!r} on {scenario} {enable}")
    assert not silent, "settings without effect:\n" + "\n".join(silent)
