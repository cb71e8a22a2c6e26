"""Calibrate the rates marked ``calibrated = true`` in model/inputs/data/defaults.toml.

The history run (current policy from 2022-01-01 on the observed inputs of
model/inputs/data/history.toml) should reproduce the published 2022-2024 figures
of model/inputs/data/targets.toml marked ``use = "calibration"`` whose ``fits``
names the rate:

* self-contained corporation lettings 2023 (CBS)  <- stock.exogenous_turnover_per_year
* households moving into rooms (stadszaken)       <- stock.non_self_contained_turnover_per_year
* status holders in COA reception 2022-2024 and
  persons housed for the quota per half year
  2022-H1 to 2024-H1, both together                <- status_holders.quota_placement_max_share
* municipalities behind on the quota, mid 2022
  and end 2023, with the figures above             <- municipalities.willingness_concentration
                                                      and municipalities.backlog_catch_up_share

then, over the ten years from the start date (targets.toml ``months``),

* the queue growing as the ABF shortage did       <- regular.registration_growth_per_year

and solves the integration rates in closed form from the cohort figures.

The two turnover rates are updated by a damped fixed-point step on the mean of a
few seeds; the quota cap by a golden-section search on the root mean square of
the relative misses of its figures (one cap cannot move the stock of status
holders in reception and the persons housed independently: the search weighs
both, so that neither is fitted at the other's expense), once for each pair of the
spread of the municipalities' willingness and the share of its backlog a municipality
aims to clear in a half year on a grid, keeping the three with the smallest miss over
the figures of the cap and the spread (the spread sets how many municipalities are
behind at a given national realisation, and the catch-up how many of those behind at
the start of 2022 are still behind in its middle); the registration growth
by secant steps on the mean queue growth. ``--write`` puts the result in
defaults.toml. 2025's figures are never used: they are the validation.
"""

from __future__ import annotations

import itertools
import math
import re
from importlib import resources

import numpy as np

from model.inputs.parameters import parameter_specs, published_targets
from model.market import HousingMarket

# The fixed-point rates and the quota cap (fitted to every figure whose `fits` names it).
TURNOVER = ("stock.exogenous_turnover_per_year", "stock.non_self_contained_turnover_per_year")
QUOTA_CAP = "status_holders.quota_placement_max_share"
SPREAD = "municipalities.willingness_concentration"
SPREAD_GRID = (4.0, 8.0, 16.0, 32.0)
CATCH_UP = "municipalities.backlog_catch_up_share"
CATCH_UP_GRID = (0.25, 0.5, 0.75, 1.0)
HISTORY_UNTIL = "2025-01-01"  # the calibration years 2022-2024


def fitted_to(name: str) -> dict[str, dict]:
    """The calibration figures fitted by ``name`` (targets.toml ``fits``)."""
    return {n: t for n, t in published_targets().items() if t.get("fits") == name}


def history_figures(values: dict, seeds, scale: int) -> dict[str, float]:
    """Mean over ``seeds`` of every fitted figure, on history runs under ``values``."""
    from experiments.validation_report import measure

    targets = {n: t for n, t in published_targets().items() if "fits" in t}
    runs = [
        HousingMarket("current-policy", rng=seed, households_per_agent=scale,
                      start_date="2022-01-01", parameters=values).run(until=HISTORY_UNTIL)
        for seed in seeds
    ]  # fmt: skip
    return {n: float(np.mean([measure(r, t["compare"]) for r in runs])) for n, t in targets.items()}


def cap_miss(got: dict[str, float]) -> float:
    """The mean, over the quota cap and the municipalities' spread, of the root mean square
    of the relative misses of each one's own figures (weighed alike: the spread is seen
    only in its two counts of municipalities behind, which would count for little among
    the cap's fourteen figures)."""
    out = []
    for name in (QUOTA_CAP, SPREAD):
        misses = [got[n] / t["value"] - 1.0 for n, t in fitted_to(name).items()]
        out.append(float(np.sqrt(np.mean(np.square(misses)))))
    return float(np.mean(out))


def _report(label: str, got: dict[str, float], verbose: bool) -> None:
    if verbose:
        targets = published_targets()
        print(f"{label}: " + ", ".join(
            f"{n} {got[n]:,.0f} ({targets[n]['value']:,})" for n in got
        ) + f"; quota cap miss {cap_miss(got):.3f}")  # fmt: skip


def calibrate(
    seeds=(1, 2, 3, 4, 5, 6), scale: int = 10, rounds: int = 3, verbose: bool = True
) -> dict:
    """Return calibrated values of the turnover rates, the quota cap and the registration
    growth."""
    specs = parameter_specs()
    values = {name: specs[name].value for name in (*TURNOVER, QUOTA_CAP, SPREAD, CATCH_UP)}
    for k in range(rounds):
        got = history_figures(values, seeds, scale)
        _report(f"round {k}", got, verbose)
        for name in TURNOVER:
            ((target, spec),) = fitted_to(name).items()
            # Lettings respond less than one for one (chains, new construction).
            values[name] = float(values[name] * (spec["value"] / got[target]) ** 1.25)
        values |= _search_municipal_behaviour(values, seeds, scale, verbose)
    _report("final", history_figures(values, seeds, scale), verbose)
    growth = calibrate_registration_growth(values, seeds, scale, verbose=verbose)
    return values | {"regular.registration_growth_per_year": growth}


def _search_municipal_behaviour(values: dict, seeds, scale: int, verbose: bool) -> dict:
    """The quota cap searched for each (spread, catch-up) on the grid; the cap, spread and
    catch-up that miss least."""
    best = None
    for spread, catch_up in itertools.product(SPREAD_GRID, CATCH_UP_GRID):
        trial = {**values, SPREAD: spread, CATCH_UP: catch_up}
        cap = _search_cap(trial, seeds, scale, verbose)
        miss = cap_miss(history_figures({**trial, QUOTA_CAP: cap}, seeds, scale))
        if verbose:
            print(f" spread {spread}, catch-up {catch_up}: cap {cap:.4f}, miss {miss:.3f}")
        if best is None or miss < best[0]:
            best = (miss, {QUOTA_CAP: cap, SPREAD: spread, CATCH_UP: catch_up})
    return best[1]


def _search_cap(values: dict, seeds, scale: int, verbose: bool, steps: int = 5) -> float:
    """Golden-section search of the quota cap around its value (a factor 2 either way)."""
    x = values[QUOTA_CAP]
    lo, hi = math.log(x / 2), math.log(x * 2)
    g = (math.sqrt(5) - 1) / 2

    def miss(log_cap: float) -> float:
        m = cap_miss(history_figures({**values, QUOTA_CAP: math.exp(log_cap)}, seeds, scale))
        if verbose:
            print(f"  quota cap {math.exp(log_cap):.4f}: miss {m:.3f}")
        return m

    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = miss(a), miss(b)
    for _ in range(steps):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = miss(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = miss(b)
    return float(math.exp(a if fa < fb else b))


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
