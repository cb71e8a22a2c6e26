"""Calibrate the rates marked ``calibrated = true`` in model/inputs/data/defaults.toml.

A current-policy run from the start date should reproduce, over its first
year, the published figures in model/inputs/data/targets.toml marked
``use = "calibration"``:

* self-contained corporation lettings (CBS)   <- stock.exogenous_turnover_per_year
* households moving into rooms (stadszaken)   <- stock.non_self_contained_turnover_per_year
* status holders housed, persons (letter)     <- status_holders.quota_placement_max_share
* family members arriving, persons (CBS)      <- reunification.arrival_per_year

then, over the ten years from the start (targets.toml ``months``),

* the queue growing as the ABF shortage did   <- regular.registration_growth_per_year

and solves the integration rates in closed form from the cohort figures.

Each first-year rate is updated by a damped fixed-point step on the mean of a
few seeds, a few times over; the registration growth by secant steps on the
mean queue growth of the same seeds. ``--write`` puts the result in
defaults.toml.
"""

from __future__ import annotations

import re
from importlib import resources

import numpy as np

from model.inputs.parameters import parameter_specs, published_targets
from model.market import HousingMarket

PARAMS = {
    "stock.exogenous_turnover_per_year": "self_contained_lettings",
    "stock.non_self_contained_turnover_per_year": "non_self_contained_lettings",
    "status_holders.quota_placement_max_share": "status_holders_housed",
    "reunification.arrival_per_year": "family_members_arriving",
}


COLUMNS = {
    "self_contained_lettings": "lettings_self_contained_households",
    "non_self_contained_lettings": "lettings_room_households",
    "status_holders_housed": "status_holders_housed_persons",
    "family_members_arriving": (
        "reunification_arrivals_in_market_persons",
        "reunification_arrivals_at_home_persons",
    ),
}


def first_year(values: dict, seeds, scale: int) -> dict[str, float]:
    """Mean first-year figures over ``seeds`` for the given parameter values, each on runs
    under its target's conditions (targets.toml)."""
    targets = published_targets()
    out = {}
    for target, column in COLUMNS.items():
        conditions = targets[target].get("conditions", {})
        got = []
        for seed in seeds:
            model = HousingMarket("current-policy", rng=seed, households_per_agent=scale,
                                  parameters={**values, **conditions})  # fmt: skip
            year = model.run(12).monthly.iloc[1:13]
            got.append(
                sum(year[c].sum() for c in ((column,) if isinstance(column, str) else column))
            )
        out[target] = float(np.mean(got))
    return out


def calibrate(seeds=(1, 2, 3), scale: int = 10, rounds: int = 6, verbose: bool = True) -> dict:
    """Return calibrated values of the rates in ``PARAMS``."""
    targets = published_targets()
    specs = parameter_specs()
    values = {name: specs[name].value for name in PARAMS}
    for k in range(rounds):
        got = first_year(values, seeds, scale)
        if verbose:
            print(
                f"round {k}: "
                + ", ".join(
                    f"{t} {got[t]:,.0f} (target {targets[t]['value']:,})" for t in PARAMS.values()
                )
            )
        for name, target in PARAMS.items():
            ratio = targets[target]["value"] / got[target]
            # Lettings respond less than one for one (chains, new construction).
            values[name] = float(values[name] * ratio**1.25)
    got = first_year(values, seeds, scale)
    if verbose:
        print(
            "final:   "
            + ", ".join(
                f"{t} {got[t]:,.0f} (target {targets[t]['value']:,})" for t in PARAMS.values()
            )
        )
    growth = calibrate_registration_growth(values, seeds, scale, verbose=verbose)
    return values | {"regular.registration_growth_per_year": growth}


def queue_growth(values: dict, seeds, scale: int, months: int) -> float:
    """Mean growth per year of the households waiting (all groups) over ``months``."""
    from experiments.validate import queue_growth as growth

    out = []
    for seed in seeds:
        model = HousingMarket(
            "current-policy", rng=seed, households_per_agent=scale, parameters=values
        )
        out.append(growth(model.run(months).monthly))
    return float(np.mean(out))


def calibrate_registration_growth(
    values: dict, seeds=(1, 2, 3), scale: int = 10, rounds: int = 4, verbose: bool = True
) -> float:
    """The registration growth under which the current-policy queue grows as the shortage."""
    target = published_targets()["queue_growth"]
    name = "regular.registration_growth_per_year"
    months = int(target["months"])
    x0 = values.get(name, parameter_specs()[name].value)
    y0 = queue_growth({**values, name: x0}, seeds, scale, months) - target["value"]
    x1 = x0 + 0.005
    for _ in range(rounds):
        y1 = queue_growth({**values, name: x1}, seeds, scale, months) - target["value"]
        if verbose:
            print(f"registration growth {x1:.4f}: queue growth {y1 + target['value']:.4f} "
                  f"(target {target['value']})")  # fmt: skip
        if abs(y1) < 0.0005 or y1 == y0:
            break
        x0, y0, x1 = x1, y1, x1 - y1 * (x1 - x0) / (y1 - y0)
    return float(x1)


def integration_rates() -> dict:
    """The integration rates, solved in closed form (model/asylum/integration.py)."""
    from model.asylum.integration import calibrated_rates
    from model.inputs.parameters import Parameters

    return calibrated_rates(Parameters.from_overrides())


def write(values: dict) -> str:
    """Put calibrated values into defaults.toml; returns the file's path."""
    path = resources.files("model.inputs").joinpath("data/defaults.toml")
    text = path.read_text(encoding="utf-8")
    for name, value in values.items():
        key = name.split(".", 1)[1]
        text, n = re.subn(
            rf"(\n{re.escape(key)} = \{{ value = )[0-9.eE+-]+", rf"\g<1>{value:.4g}", text
        )
        if n != 1:
            raise RuntimeError(f"could not find {name} in {path}")
    path.write_text(text, encoding="utf-8")
    return str(path)
