"""Policy levers switch on their dates; scenarios inherit and reject contradictions."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pytest
from scales import COARSE

from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs
from model.inputs.policy import Scenario, Timeline, load_scenario, scenario_names
from model.market import HousingMarket

SWITCH = dt.date(2026, 7, 1)
MONTHS_BEFORE = 6  # January - June 2026 (the default start is 2026-01-01)


def _scenario(levers: dict, parameters: dict | None = None) -> Scenario:
    steps = {
        name: tuple(v) if isinstance(v, list) else ((dt.date.min, v),) for name, v in levers.items()
    }
    return Scenario("test", {"nl": "t", "en": "t"}, {"nl": "t", "en": "t"}, parameters or {}, steps)


# For each lever: what must hold from the start for it to matter, and the value it switches to.
LEVER_CASES = {
    "stock.new_construction_per_year": ({}, 60000),
    "stock.flex_additions_per_year": ({}, 40000),
    "stock.startup_additions_per_year": ({}, 20000),
    "stock.flex_reserved_share": ({"stock.flex_additions_per_year": 20000}, 1.0),
    "stock.flex_additions_after_sft_per_year": ({}, 40000),
    "status_holders.permits_persons_per_year": ({}, 90000),
    "status_holders.exit_self_found_per_year": ({}, 0.8),
    "status_holders.exit_self_found_per_year_without_priority": (
        {"policy.status_holder_priority": False},
        0.8,
    ),
    "status_holders.search_elsewhere_share": (
        {"policy.status_holder_priority": False, "status_holders.permits_persons_per_year": 90000},
        0.9,
    ),
    "status_holders.quota_placement_max_share": ({}, 0.3),
    "status_holders.non_self_contained_share_of_singles": ({}, 1.0),
    "allocation.urgent_share_cap": ({}, 0.6),
    "allocation.lottery_share": ({}, 0.8),
    "allocation.temporary_lottery_share": ({}, 0.1),
    "allocation.route_order": ({}, ["large_pool", "quota", "urgent", "family", "advertised"]),
    "policy.status_holder_priority": ({}, False),
    "policy.singles_exception": ({"policy.status_holder_priority": False}, True),
    "policy.no_urgency_for_residence_permit": ({"policy.status_holder_priority": False}, True),
    "policy.quota_in_force": ({}, False),
    "policy.coupling_without_quota": ({"policy.quota_in_force": False}, "population_share"),
    "policy.priority_without_quota_share": ({"policy.quota_in_force": False}, 1.0),
    "policy.family_priority": ({}, True),
    "policy.family_priority_share_cap": ({"policy.family_priority": True}, 0.5),
    "policy.large_family_pool": ({}, True),
    "policy.shared_conversions_per_year": ({}, 30000),
    "policy.shared_households_per_dwelling": ({"policy.shared_conversions_per_year": 30000}, 4),
    "policy.shared_homes_for_status_holders": (
        {"policy.shared_conversions_per_year": 30000},
        True,
    ),
    "policy.reception_places_converted_per_year": ({}, 30000),
    "policy.places_per_converted_home": (
        {"policy.reception_places_converted_per_year": 30000},
        1.0,
    ),
    "policy.startup_open_to_all": ({"stock.startup_additions_per_year": 20000}, True),
    "asylum.recognition_rate": ({}, 0.2),
    "asylum.decisions_per_year": ({}, 60000),
    "reception.spreidingswet_in_force": ({}, False),
    "reception.regular_places_target": ({"reception.cancel_unused_places": False}, 120000),
    "reception.cancel_unused_places": ({}, False),
    "reunification.arrivals_per_year": ({}, 40000),
    "status_holders.sponsors_wait_for_family": ({}, False),
    "reunification.two_status_system": ({}, True),
    "reunification.subsidiary_arrival_factor": ({"reunification.two_status_system": True}, 1.0),
}
# Parameters (not levers) a case needs for the lever to matter.
# Reception places are converted only while occupancy allows: with a low inflow, from 2026.
LOW_OCCUPANCY = {"asylum.inflow_path": "low", "asylum.applications_factor": 0.3}
CASE_PARAMETERS = {
    "status_holders.permits_persons_per_year": {"asylum.permit_source": "exogenous"},
    "policy.reception_places_converted_per_year": LOW_OCCUPANCY,
    "policy.places_per_converted_home": LOW_OCCUPANCY,
    "reception.cancel_unused_places": LOW_OCCUPANCY,  # places to spare, so some are cancelled
    "status_holders.search_elsewhere_share": {"asylum.permit_source": "exogenous"},  # enough
    # Flex building after the SFT scheme acts once the scheme has ended.
    "stock.flex_additions_after_sft_per_year": {"stock.sft_end_date": "2026-01-01"},
}


# Months after the switch a case runs (default 6): conversion waits until occupancy falls
# below the places, which under the low inflow takes into 2028 from the 2026 state.
MONTHS_AFTER = {
    "policy.reception_places_converted_per_year": 30,
    "policy.places_per_converted_home": 30,
    "reception.cancel_unused_places": 30,
}


def test_every_lever_has_a_case():
    levers = {n for n, s in parameter_specs().items() if s.lever}
    assert levers <= set(LEVER_CASES), levers - set(LEVER_CASES)


def _run(scenario: Scenario, months: int):
    """Monthly figures and, per month, the ids of the households housed."""
    results = HousingMarket(scenario, rng=4, households_per_agent=200, parameters=COARSE).run(
        months
    )
    monthly = results.monthly.drop(columns=["date", "period"]).to_numpy(float)
    # Where households wait and where the reception places are, per region (a lever may
    # move them without housing anyone).
    by_region = results.monthly_by_region.pivot_table(
        index="date",
        columns=["region", "group"],
        values=["waiting_households", "reception_places_persons"],
        observed=True,
    ).to_numpy(float)
    monthly = np.hstack([monthly, by_region])
    lettings = results.lettings
    housed = [lettings.loc[lettings["month"] == m, "household_id"].to_numpy()
              for m in sorted(lettings["month"].unique())]  # fmt: skip
    return monthly, housed


@functools.cache
def _base_run(levers: str, parameters: str, months: int):
    """The run without the switch, shared by the cases with the same starting levers."""
    base = next(b for b, _ in LEVER_CASES.values() if repr(sorted(b.items())) == levers)
    params = next((p for p in CASE_PARAMETERS.values() if repr(p) == parameters), {})
    return _run(_scenario(base, params), months)


@pytest.mark.parametrize("lever", sorted(LEVER_CASES))
def test_lever_switches_on_its_date_and_not_before(lever):
    """Every monthly figure, and who is housed, is identical up to June 2026; from July
    2026, when the lever changes, some figure or some letting differs."""
    base_levers, value = LEVER_CASES[lever]
    parameters = CASE_PARAMETERS.get(lever, {})
    switched = {**base_levers, lever: [(SWITCH, value)]}
    months = MONTHS_BEFORE + MONTHS_AFTER.get(lever, 6)
    a, housed_a = _base_run(repr(sorted(base_levers.items())), repr(parameters), months)
    b, housed_b = _run(_scenario(switched, parameters), months)
    rows_before = MONTHS_BEFORE + 1  # the start row and the months to June 2026
    np.testing.assert_array_equal(a[:rows_before], b[:rows_before])
    for m in range(MONTHS_BEFORE):
        np.testing.assert_array_equal(housed_a[m], housed_b[m])
    figures_differ = not np.array_equal(a[rows_before:], b[rows_before:], equal_nan=True)
    who_differs = any(
        not np.array_equal(x, y)
        for x, y in zip(housed_a[MONTHS_BEFORE:], housed_b[MONTHS_BEFORE:], strict=True)
    )
    assert figures_differ or who_differs, lever


def test_ban_changes_the_routes_in_its_month_and_not_before():
    """Quota placements in the regular stock stop in July 2026, not in June."""
    model = HousingMarket("ban-without-extra-supply", rng=2, households_per_agent=20)
    lettings = model.run(MONTHS_BEFORE + 3).lettings
    quota = lettings[lettings["route"] == "quota"]
    regular_stock = quota["dwelling_type"].isin(["small", "medium", "large"])
    june = quota["month"] == "2026-06-01"
    july_on = quota["month"] >= "2026-07-01"
    assert (june & regular_stock).sum() > 0
    assert (july_on & regular_stock).sum() == 0
    # the singles exception: rooms for singles with priority, from the same month
    rooms = july_on & (quota["dwelling_type"] == "room")
    assert rooms.sum() > 0 and (quota.loc[rooms, "household_size_persons"] == 1).all()


def test_phase_names_move_with_the_phase_dates():
    """A lever tied to 'implementation' moves when the phase date does."""
    scenario = load_scenario("ban-without-extra-supply")
    later = HousingMarket(
        scenario,
        households_per_agent=500,
        parameters={**COARSE, "phases.implementation_start": "2027-01-01"},
    )
    assert later.timeline.at(dt.date(2026, 8, 1))["policy.status_holder_priority"] is True
    assert later.timeline.at(dt.date(2027, 1, 1))["policy.status_holder_priority"] is False


@pytest.mark.slow
def test_every_scenario_runs_and_differs_from_current_policy():
    base = HousingMarket("current-policy", rng=1, households_per_agent=400, parameters=COARSE)
    base_lettings = base.run(36).lettings["household_id"].to_numpy()
    for name in scenario_names():
        if name == "current-policy":
            continue
        lettings = (
            HousingMarket(name, rng=1, households_per_agent=400, parameters=COARSE).run(36).lettings
        )
        ids = lettings["household_id"].to_numpy()
        assert len(ids) != len(base_lettings) or not np.array_equal(ids, base_lettings), name


def test_scenario_inheritance_overrides_lever_by_lever():
    mooiman = load_scenario("mooiman")
    ban = load_scenario("ban-without-extra-supply")
    assert mooiman.inherits == "ban-without-extra-supply"
    assert (
        mooiman.levers["policy.status_holder_priority"]
        == ban.levers["policy.status_holder_priority"]
    )
    assert mooiman.levers["policy.singles_exception"] == ((dt.date.min, False),)


def _quota_in_force_by_month(name: str) -> dict[dt.date, bool]:
    """Whether the quota is in force in each month of a run to 2036 (the levers the model
    applies as it steps)."""
    model = HousingMarket(name, rng=1, households_per_agent=2000, parameters=COARSE)
    end = dt.date(2036, 1, 1)
    months = {}
    while (when := model.date) < end:
        model.step()  # the levers in force in the month that starts on ``when``
        months[when] = model.policy["policy.quota_in_force"]
    return months


def test_the_package_keeping_the_quota_never_abolishes_it():
    """cabinet-package-keep-quota is the package without the abolition of July 2028: the quota
    is in force in every month of a run to 2036; the package abolishes it from July 2028."""
    keep = _quota_in_force_by_month("cabinet-package-keep-quota")
    package = _quota_in_force_by_month("cabinet-package")
    assert len(keep) == len(package) == 120
    assert all(keep.values())
    assert all(v == (when < dt.date(2028, 7, 1)) for when, v in package.items())
    # Everything else is the package's: the two differ only by the reset settings.
    a, b = load_scenario("cabinet-package-keep-quota"), load_scenario("cabinet-package")
    assert set(b.levers) - set(a.levers) == {
        "policy.quota_in_force",
        "policy.coupling_without_quota",
    }
    assert all(a.levers[k] == b.levers[k] for k in a.levers)


@pytest.mark.parametrize(
    ("reset", "inherits", "levers", "match"),
    [
        ('["allocation.lottery_share"]', "cabinet-package", "", "does not set"),
        ('["policy.quota_in_force"]', None, "", "without 'inherits'"),
        ('["policy.quota_in_force"]', "cabinet-package", '"policy.quota_in_force" = true',
         "both reset and set"),
        ('"policy.quota_in_force"', "cabinet-package", "", "a list of names"),
    ],
)  # fmt: skip
def test_a_reset_must_name_what_the_parent_sets(tmp_path, reset, inherits, levers, match):
    head = f"reset = {reset}\n" + (f'inherits = "{inherits}"\n' if inherits else "")
    path = tmp_path / "child.toml"
    path.write_text(
        head + 'title = { nl = "x", en = "x" }\ndescription = { nl = "y", en = "y" }\n'
        f"[levers]\n{levers}\n"
    )
    with pytest.raises(ParameterError, match=match):
        load_scenario(path)


def test_inheritance_reaches_two_levels_up(tmp_path):
    """A lever set two levels up (here by a scenario that mooiman-like files inherit from)."""
    (tmp_path / "base.toml").write_text(
        'title = { nl = "b", en = "b" }\ndescription = { nl = "b", en = "b" }\n'
        '[levers]\n"allocation.lottery_share" = 0.2\n'
    )
    (tmp_path / "middle.toml").write_text(
        'inherits = "base"\ntitle = { nl = "m", en = "m" }\n'
        'description = { nl = "m", en = "m" }\n'
        '[levers]\n"policy.status_holder_priority" = [{ from = "implementation", value = false }]\n'
    )
    (tmp_path / "top.toml").write_text(
        'inherits = "middle"\ntitle = { nl = "t", en = "t" }\n'
        'description = { nl = "t", en = "t" }\n'
    )
    top = load_scenario(tmp_path / "top.toml")
    assert top.levers["allocation.lottery_share"] == ((dt.date.min, 0.2),)
    assert "policy.status_holder_priority" in top.levers


@pytest.mark.parametrize(
    "body, fragments",
    [
        ('inherits = "mooiman"\n', ["cycle"]),
        ('inherits = "no-such"\n', ["unknown scenario 'no-such'"]),
        ('[parameters]\n"allocation.lottery_share" = 0.2\n', ["is a lever", "[levers]"]),
        (
            '[levers]\n"policy.status_holder_priority" = [{from = "someday", value = false}]\n',
            ["someday", "implementation"],
        ),
    ],
)
def test_bad_scenarios_are_named(tmp_path, body, fragments):
    header = '[title]\nnl = "x"\nen = "x"\n[description]\nnl = "y"\nen = "y"\n'
    if "cycle" in fragments:  # a file that inherits from a scenario inheriting from it
        (tmp_path / "mooiman.toml").write_text('inherits = "loop"\n' + header)
        path = tmp_path / "loop.toml"
    else:
        path = tmp_path / "bad.toml"
    path.write_text(body + header if body.startswith("inherits") else header + body)
    with pytest.raises(ParameterError) as err:
        load_scenario(path)
    for fragment in fragments:
        assert fragment in str(err.value), str(err.value)


@pytest.mark.parametrize(
    "levers, fragment",
    [
        ({"policy.singles_exception": True}, "only while priority for status holders is banned"),
        ({"policy.no_urgency_for_residence_permit": True}, "Mooiman also bars priority"),
        (
            {
                "policy.status_holder_priority": False,
                "policy.singles_exception": True,
                "policy.no_urgency_for_residence_permit": [(SWITCH, True)],
            },
            "no priority on any ground",
        ),
    ],
)
def test_contradictory_levers_are_rejected(levers, fragment):
    with pytest.raises(ParameterError, match=fragment):
        HousingMarket(_scenario(levers), households_per_agent=500, parameters=COARSE)


def test_timeline_resolves_phases():
    from model.inputs.parameters import Parameters

    params = Parameters.from_overrides()
    timeline = Timeline(params, {"allocation.lottery_share": (("implementation", 0.3),)})
    assert timeline.at(dt.date(2026, 6, 1))["allocation.lottery_share"] == 0.1
    assert timeline.at(dt.date(2026, 7, 1))["allocation.lottery_share"] == 0.3
    assert timeline.change_dates() == [dt.date(2026, 7, 1)]
