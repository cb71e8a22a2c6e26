"""The design: points sampled (SALib) and coerced to their types, and the runs they make."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.naming import column_of
from experiments.sweep.fields import SAMPLED
from experiments.sweep.spec import SpecError, SweepSpec, fail
from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs
from model.inputs.policy import load_scenario

# ------------------------------------------------------------------ the design


def sample(spec: SweepSpec) -> pd.DataFrame:
    """The design's points as sampled (floats for continuous parameters), one row per point."""
    kind, seed = spec.design["kind"], spec.design["seed"]
    names = [v.name for v in spec.varied]
    if kind == "full_factorial":
        combos = list(itertools.product(*[v.factorial_values() for v in spec.varied]))
        frame = pd.DataFrame(combos, columns=names) if names else pd.DataFrame(index=[0])
        return frame
    problem = spec.problem()
    n = spec.design["points"]
    salib = _salib()
    if kind == "latin_hypercube":
        x = salib.sample.latin.sample(problem, n, seed=seed)
    elif kind == "sobol":
        x = salib.sample.sobol.sample(
            problem, n, calc_second_order=spec.design["second_order"], seed=seed
        )
    else:
        x = salib.sample.morris.sample(problem, n, num_levels=spec.design["levels"], seed=seed)
    return pd.DataFrame(x, columns=names)


def _salib():
    try:
        import SALib.sample.latin
        import SALib.sample.morris
        import SALib.sample.sobol
    except ImportError:  # pragma: no cover - the sweeps extra is missing
        raise SpecError(
            "the latin_hypercube, sobol and morris designs need SALib; allowed: "
            "pip install -e '.[sweeps]', or a full_factorial design"
        ) from None
    return SALib


def coerce(spec: SweepSpec, sampled: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Each sampled value as its parameter's type: whole numbers rounded, the rest as is.

    Returns:
        The applied values (one column per varied parameter) and one line per
        parameter saying what was done ("rounded to whole numbers: largest
        change 0.5", say).
    """
    applied = pd.DataFrame(index=sampled.index)
    notes = []
    for v in spec.varied:
        x = sampled[v.name]
        if v.kind == "int":
            rounded = np.rint(x.astype(float)).astype(np.int64)
            change = float(np.max(np.abs(rounded - x.astype(float)))) if len(x) else 0.0
            applied[v.name] = rounded
            notes.append(
                f"{v.name}: a whole number; sampled values rounded (largest change {change:g})"
            )
        elif v.kind == "float":
            applied[v.name] = x.astype(float)
            notes.append(f"{v.name}: a number; applied as sampled")
        else:
            applied[v.name] = x
            notes.append(f"{v.name}: {'true or false' if v.kind == 'bool' else 'a choice'}")
    return applied, notes


@dataclass(frozen=True)
class RunTask:
    """One run of a sweep: everything a worker needs (plain, picklable data)."""

    run_id: str
    point: int
    scenario: str
    seed: int
    months: int
    households_per_agent: int
    parameters: Mapping[str, Any]
    outcomes: tuple[str, ...]
    series: tuple[str, ...]


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def scenario_key(scenario: str) -> str:
    return Path(scenario).stem if scenario.endswith(".toml") else scenario


def tasks(spec: SweepSpec, applied: pd.DataFrame) -> list[RunTask]:
    """Every run: each point under each scenario and seed (seeds innermost)."""
    out = []
    names = [v.name for v in spec.varied]
    for point, row in enumerate(applied[names].itertuples(index=False, name=None)):
        params = {**spec.fixed, **{n: _plain(x) for n, x in zip(names, row, strict=True)}}
        for scenario in spec.scenarios:
            for seed in spec.seeds:
                out.append(
                    RunTask(
                        run_id=f"p{point:05d}_{scenario_key(scenario)}_s{seed}",
                        point=point,
                        scenario=scenario,
                        seed=seed,
                        months=spec.months,
                        households_per_agent=spec.households_per_agent,
                        parameters=params,
                        outcomes=spec.outcomes,
                        series=spec.series,
                    )
                )
    return out


def check_runs(spec: SweepSpec, run_tasks: list[RunTask]) -> list[str]:
    """Check every distinct run setting before anything runs; return warnings.

    Raises:
        SpecError: A run's settings are invalid or would not take effect (the
            message names the point, the scenario and the setting).
    """
    from model.market import HousingMarket

    seen = set()
    for t in run_tasks:
        key = (t.scenario, tuple(sorted((k, repr(v)) for k, v in t.parameters.items())))
        if key in seen:
            continue
        seen.add(key)
        try:
            HousingMarket.check_settings(
                t.scenario,
                t.households_per_agent,
                None,
                {**t.parameters, "calendar.months": t.months},
            )
        except ParameterError as err:
            raise fail(spec.source, f"point {t.point}, scenario '{t.scenario}': {err}") from None
    warnings = []
    for scenario in spec.scenarios:
        s = load_scenario(scenario)
        for v in spec.varied:
            if v.name in s.levers:
                warnings.append(
                    f"'{v.name}' replaces the schedule scenario '{scenario_key(scenario)}' sets "
                    "for it (a swept value holds for the whole run)"
                )
            elif v.name in s.parameters:
                warnings.append(f"'{v.name}' replaces scenario '{scenario_key(scenario)}''s value")
    specs = parameter_specs()
    for v in spec.varied:
        p = specs[v.name]
        if v.low is not None and p.low is not None and (v.low < p.low or v.high > p.high):
            warnings.append(
                f"'{v.name}': range {v.low:g} to {v.high:g} goes beyond its plausible range "
                f"{p.low:g} to {p.high:g} (defaults.toml)"
            )
    return warnings


def prepare(
    spec: SweepSpec,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[RunTask], list[str]]:
    """Sample, coerce and check the whole design; nothing runs.

    Returns:
        sampled, applied, coercion notes, the tasks, warnings.
    """
    sampled = sample(spec)
    applied, notes = coerce(spec, sampled)
    run_tasks = tasks(spec, applied)
    warnings = check_runs(spec, run_tasks)
    return sampled, applied, notes, run_tasks, warnings


def design_frame(spec: SweepSpec, sampled: pd.DataFrame, applied: pd.DataFrame) -> pd.DataFrame:
    """The design as ``design.parquet`` holds it: per point, each value as applied and sampled."""
    frame = pd.DataFrame({"point": np.arange(len(applied))})
    for v in spec.varied:
        frame[column_of(v.name)] = applied[v.name].to_numpy()
        if v.kind in ("int", "float"):
            frame[column_of(v.name) + SAMPLED] = sampled[v.name].astype(float).to_numpy()
    return frame


def design_difference(stored: pd.DataFrame, now: pd.DataFrame) -> str:
    """Where two designs differ, in words ("" when they are the same, value for value)."""
    if list(stored.columns) != list(now.columns):
        return f"columns {list(stored.columns)} stored, {list(now.columns)} now"
    if len(stored) != len(now):
        return f"{len(stored)} points stored, {len(now)} now"
    for column in now.columns:
        a, b = stored[column].to_numpy(), now[column].to_numpy()
        same = a == b
        if a.dtype.kind == "f" and b.dtype.kind == "f":
            same = same | (np.isnan(a) & np.isnan(b))
        if not np.all(same):
            k = int(np.argmin(same))
            return f"point {k}, '{column}': {a[k]!r} stored, {b[k]!r} now"
    return ""
