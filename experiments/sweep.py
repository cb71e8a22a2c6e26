"""Parameter sweeps: many runs from one spec file, streamed to Parquet, resumable.

``python -m experiments sweep SPEC.toml`` reads a spec (see
``experiments/sweeps/example-sweep.toml``), checks every run's settings before
any run starts, and runs each (design point, scenario, seed) once, in worker
processes (or on a Dask cluster), writing one Parquet part file per run as it
finishes. ``--resume`` skips the runs already written, so an interrupted sweep
loses nothing done.

The spec::

    title = "..."
    scenarios = ["current-policy", "cabinet-package"]   # the policies
    seeds = 2                      # seeds 1..2, or a list [1, 7, 9]
    months = 60
    households_per_agent = 20      # 1:20 is the coarsest validated scale
    outcomes = ["status_holders_in_reception_end_persons", ...]  # default: every scalar
    series = ["status_holders_in_reception_persons"]    # optional monthly series (long format)

    [design]
    kind = "latin_hypercube"       # full_factorial, latin_hypercube, sobol, morris
    points = 20                    # LHS points; sobol: base samples N; morris: trajectories
    seed = 1                       # the sampling seed (the design is reproducible)

    [parameters]                   # what varies
    "asylum.applications_factor" = {}                        # its plausible range (defaults.toml)
    "stock.new_construction_per_year" = { low = 12000, high = 30000 }
    "allocation.lottery_share" = { values = [0.0, 0.1, 0.2] }  # full_factorial levels

    [fixed]                        # held for every run
    "reception.regular_places_target" = 75000

Every sampled value is coerced to its parameter's type (whole numbers are
rounded) and both the sampled and the applied value are kept in
``design.parquet``. The results folder holds:

* ``manifest.json``: the spec as read, its identity, the design, the model
  version and git commit of each session, warnings and coercions;
* ``spec.toml``: the spec file as given; ``design.parquet``: the design points;
* ``runs/<run_id>.parquet``: one row per run (point, scenario, seed): the
  swept parameters as applied, the outcomes, seconds, model version, commit;
* ``errors/<run_id>.parquet``: a run that raised (type, message, traceback);
  the sweep goes on, and ``--resume`` tries it again;
* ``series/<run_id>.parquet``: the monthly series in long format, if asked;
* ``summary.csv`` and ``sweep.png``: per scenario and outcome, the median and
  the 5-95% band over every run (seeds and uncertainties together).

Load a sweep with :func:`load_sweep` (one DataFrame, a row per run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import itertools
import json
import logging
import math
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
import traceback
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.output import OutputError, check_target, replacing
from model.base.errors import ParameterError
from model.inputs.parameters import COARSEST_VALIDATED_SCALE, parameter_specs
from model.inputs.policy import load_scenario

DESIGNS = ("full_factorial", "latin_hypercube", "sobol", "morris")
SPEC_KEYS = {
    "title",
    "description",
    "scenarios",
    "seeds",
    "months",
    "households_per_agent",
    "outcomes",
    "series",
    "design",
    "parameters",
    "fixed",
}
DESIGN_KEYS = {"kind", "points", "seed", "second_order", "levels"}
# Set with the spec's own keys, not swept: the run's length and scale.
NOT_SWEPT = {
    "calendar.months": "months",
    "scale.households_per_agent": "households_per_agent",
}
MANIFEST = "manifest.json"


class SpecError(ParameterError):
    """A sweep spec that cannot run; the message names the key and what is allowed."""


# ------------------------------------------------------------------ the spec


@dataclass(frozen=True)
class Varied:
    """One parameter the design varies.

    Attributes:
        name: Dotted parameter name.
        kind: ``float``, ``int``, ``bool`` or ``choice`` (the parameter's type).
        low: Lower end of a continuous range (None for listed values).
        high: Upper end.
        values: Listed values (full factorial), or None for a range.
        levels: Full factorial over a range: this many evenly spaced values.
        range_from: Where the range comes from: ``spec`` or ``plausible`` (defaults.toml).
    """

    name: str
    kind: str
    low: float | None = None
    high: float | None = None
    values: tuple | None = None
    levels: int | None = None
    range_from: str = "spec"

    def factorial_values(self) -> list:
        """The values a full factorial design takes."""
        if self.values is not None:
            return list(self.values)
        return list(np.linspace(self.low, self.high, self.levels))


@dataclass(frozen=True)
class SweepSpec:
    """A checked sweep spec (see the module docstring for the file).

    Attributes:
        title: What the sweep is for.
        scenarios: Scenario names (the policies), each run under every point.
        seeds: The seeds, each run under every point and scenario.
        months: Length of every run.
        households_per_agent: Scale of every run.
        outcomes: Scalar outcomes (experiments/outcomes.py) stored per run.
        series: Monthly outcomes stored in long format (may be empty).
        design: ``kind``, ``points``, ``seed`` and the kind's options.
        varied: The parameters varied, in the spec's order.
        fixed: Parameters held at a value for every run.
        source: The spec file.
        text: The spec file's text.
    """

    title: str
    scenarios: tuple[str, ...]
    seeds: tuple[int, ...]
    months: int
    households_per_agent: int
    outcomes: tuple[str, ...]
    series: tuple[str, ...]
    design: Mapping[str, Any]
    varied: tuple[Varied, ...]
    fixed: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    text: str = ""

    def identity(self) -> str:
        """A hash of everything that decides which runs the sweep holds and what they give."""
        defining = {
            "scenarios": self.scenarios,
            "seeds": self.seeds,
            "months": self.months,
            "households_per_agent": self.households_per_agent,
            "outcomes": self.outcomes,
            "series": self.series,
            "design": dict(self.design),
            "varied": [asdict(v) for v in self.varied],
            "fixed": dict(self.fixed),
        }
        text = json.dumps(defining, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def problem(self) -> dict:
        """The SALib problem: names, and bounds for the continuous parameters."""
        return {
            "num_vars": len(self.varied),
            "names": [v.name for v in self.varied],
            "bounds": [[v.low, v.high] for v in self.varied],
        }


def _fail(where: str, message: str) -> SpecError:
    return SpecError(f"{where}: {message}")


def _closest(name: str, allowed) -> str:
    near = difflib.get_close_matches(name, list(allowed), n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""


def _kind_of(default: Any) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    if isinstance(default, str):
        return "choice"
    return "list"


def load_spec(path: str | Path) -> SweepSpec:
    """Read and check a sweep spec; every problem raises :class:`SpecError` with one line.

    Checks the keys, the scenarios, the seeds, the outcomes, the design, each
    varied parameter (known, sweepable, a non-empty range within what is
    allowed) and the fixed values. Whether every run's settings take effect
    is checked afterwards by :func:`check_runs`, over the whole design.
    """
    path = Path(path)
    where = str(path)
    raw, text = _read_spec(path)
    specs = parameter_specs()
    months = raw.get("months", specs["calendar.months"].value)
    scale = raw.get("households_per_agent", COARSEST_VALIDATED_SCALE)
    for key, value, spec in (
        ("months", months, specs["calendar.months"]),
        ("households_per_agent", scale, specs["scale.households_per_agent"]),
    ):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(where, f"'{key}' = {value!r}; allowed: {spec.allowed()}")
    outcomes, series = _spec_outcomes(raw, where)
    design = _spec_design(raw, where)
    varied, fixed = _spec_parameters(raw, design["kind"], where)
    return SweepSpec(
        title=str(raw.get("title", path.stem)),
        description=str(raw.get("description", "")),
        scenarios=_spec_scenarios(raw, where, path.parent),
        seeds=_spec_seeds(raw, where),
        months=months,
        households_per_agent=scale,
        outcomes=outcomes,
        series=series,
        design=design,
        varied=varied,
        fixed=fixed,
        source=str(path),
        text=text,
    )


def _read_spec(path: Path) -> tuple[dict, str]:
    """The spec's TOML and text, with only known keys."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SpecError(
            f"sweep spec '{path}' cannot be read ({err.strerror}); allowed: a TOML file"
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _fail(where, f"not valid TOML ({err}); allowed: a TOML file") from None
    unknown = set(raw) - SPEC_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise _fail(
            where,
            f"unknown key '{key}'{_closest(key, SPEC_KEYS)}; "
            f"allowed: {', '.join(sorted(SPEC_KEYS))}",
        )
    return raw, text


def _spec_scenarios(raw: dict, where: str, base: Path) -> tuple[str, ...]:
    """The scenarios: names, or files relative to the spec."""
    scenarios = raw.get("scenarios", ["current-policy"])
    if isinstance(scenarios, str):
        scenarios = [scenarios]
    if not isinstance(scenarios, list) or not scenarios:
        raise _fail(where, "'scenarios' is empty; allowed: a list of one or more scenario names")
    resolved = []
    for s in scenarios:
        if not isinstance(s, str):
            raise _fail(where, f"scenario {s!r} is not a name; allowed: scenario names or files")
        if s.endswith(".toml") and not Path(s).is_absolute() and (base / s).exists():
            s = str(base / s)
        try:
            resolved.append(load_scenario(s).name if not s.endswith(".toml") else s)
        except ParameterError as err:
            raise _fail(where, str(err)) from None
    if len(set(resolved)) != len(resolved):
        raise _fail(where, f"'scenarios' {resolved} repeats one; allowed: each scenario once")
    return tuple(resolved)


def _spec_seeds(raw: dict, where: str) -> tuple[int, ...]:
    """The seeds: N (seeds 1..N) or a list."""
    seeds = raw.get("seeds", 1)
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if seeds < 1:
            raise _fail(where, f"'seeds' = {seeds}; allowed: a whole number >= 1 or a list")
        seeds = list(range(1, seeds + 1))
    if (
        not isinstance(seeds, list)
        or not seeds
        or any(isinstance(s, bool) or not isinstance(s, int) or s < 0 for s in seeds)
        or len(set(seeds)) != len(seeds)
    ):
        raise _fail(
            where,
            f"'seeds' = {seeds!r}; allowed: a whole number N (seeds 1..N) or a list of "
            "distinct whole numbers >= 0",
        )
    return tuple(seeds)


def _spec_outcomes(raw: dict, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The scalar outcomes and the monthly series, each a known, unrepeated name."""
    from experiments.outcomes import check_names, scalar_names

    outcomes = raw.get("outcomes", scalar_names())
    series = raw.get("series", [])
    for key, names, kind in (("outcomes", outcomes, "scalar"), ("series", series, "monthly")):
        if not isinstance(names, list) or (key == "outcomes" and not names):
            raise _fail(where, f"'{key}' = {names!r}; allowed: a list of {kind} outcome names")
        try:
            check_names(names, kind, where=f"'{key}'")
        except KeyError as err:
            raise _fail(where, err.args[0]) from None
        if len(set(names)) != len(names):
            raise _fail(where, f"'{key}' repeats a name; allowed: each outcome once")
    return tuple(outcomes), tuple(series)


def _spec_design(raw: dict, where: str) -> dict:
    """The design: its kind, seed and size (checked per kind)."""
    design = dict(raw.get("design", {}))
    bad = set(design) - DESIGN_KEYS
    if bad:
        key = sorted(bad)[0]
        raise _fail(
            where,
            f"unknown key 'design.{key}'{_closest(key, DESIGN_KEYS)}; "
            f"allowed: {', '.join(sorted(DESIGN_KEYS))}",
        )
    kind = design.get("kind", "full_factorial")
    if kind not in DESIGNS:
        raise _fail(
            where,
            f"design kind {kind!r}{_closest(str(kind), DESIGNS)}; allowed: {', '.join(DESIGNS)}",
        )
    design["kind"] = kind
    design.setdefault("seed", 1)
    if isinstance(design["seed"], bool) or not isinstance(design["seed"], int):
        raise _fail(where, f"'design.seed' = {design['seed']!r}; allowed: a whole number")
    if kind == "full_factorial":
        if "points" in design:
            raise _fail(
                where,
                "'design.points' with a full_factorial design; allowed: values or levels per "
                "parameter (the points are every combination)",
            )
        return design
    _check_sampled_design(design, kind, where)
    return design


def _check_sampled_design(design: dict, kind: str, where: str) -> None:
    """Points (and levels, second order) of a Latin hypercube, Sobol or Morris design."""
    points = design.get("points")
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        what = {
            "latin_hypercube": "the number of points",
            "sobol": "the base sample size N (a power of 2; runs = N x (D + 2))",
            "morris": "the number of trajectories (runs = trajectories x (D + 1))",
        }[kind]
        raise _fail(where, f"'design.points' = {points!r}; allowed: a whole number >= 1, {what}")
    if kind == "sobol" and points & (points - 1):
        raise _fail(
            where,
            f"'design.points' = {points} for a Sobol design; allowed: a power of 2 "
            "(Saltelli's sequence converges only then), e.g. 64, 128, 256",
        )
    if kind == "morris":
        levels = design.setdefault("levels", 4)
        if isinstance(levels, bool) or not isinstance(levels, int) or levels < 2 or levels % 2:
            raise _fail(where, f"'design.levels' = {levels!r}; allowed: an even number >= 2")
    if kind == "sobol":
        design.setdefault("second_order", False)
        if not isinstance(design["second_order"], bool):
            raise _fail(where, "'design.second_order'; allowed: true or false")


def _spec_parameters(raw: dict, kind: str, where: str) -> tuple[tuple[Varied, ...], dict]:
    """The varied parameters and the fixed values."""
    specs = parameter_specs()
    params = raw.get("parameters", {})
    if not isinstance(params, dict):
        raise _fail(where, "'parameters' is not a table; allowed: [parameters] with entries")
    fixed = raw.get("fixed", {})
    if not isinstance(fixed, dict):
        raise _fail(where, "'fixed' is not a table; allowed: [fixed] name = value")
    varied = [_varied(name, entry, kind, where) for name, entry in params.items()]
    if kind != "full_factorial" and not varied:
        raise _fail(where, f"a {kind} design varies nothing; allowed: one or more [parameters]")
    if kind in ("sobol", "morris") and len(varied) < 2:
        raise _fail(where, f"a {kind} design needs two or more varied parameters")
    for name in fixed:
        if name not in specs:
            raise _fail(
                where,
                f"unknown parameter 'fixed.{name}'{_closest(name, specs)}; "
                "allowed: a parameter of docs/parameters.md",
            )
        if name in NOT_SWEPT:
            raise _fail(where, f"'fixed.{name}'; allowed: the spec's '{NOT_SWEPT[name]}' instead")
        if name in params:
            raise _fail(where, f"parameter '{name}' is both varied and fixed; allowed: one")
    return tuple(varied), dict(fixed)


def _varied(name: str, entry: Any, design: str, where: str) -> Varied:
    """One ``[parameters]`` entry, checked."""
    specs = parameter_specs()
    if name not in specs:
        raise _fail(
            where,
            f"unknown parameter '{name}'{_closest(name, specs)}; allowed: a parameter of "
            "docs/parameters.md",
        )
    if name in NOT_SWEPT:
        raise _fail(
            where,
            f"parameter '{name}' cannot be varied; allowed: the spec's '{NOT_SWEPT[name]}'",
        )
    spec = specs[name]
    kind = _kind_of(spec.value)
    if spec.unit == "date" or kind == "list":
        raise _fail(
            where,
            f"parameter '{name}' is a {'date' if spec.unit == 'date' else 'list'}; allowed: "
            "numbers, true/false and named choices (fix it in [fixed] instead)",
        )
    if entry == "plausible":
        entry = {}
    if not isinstance(entry, dict):
        raise _fail(
            where,
            f"parameter '{name}' = {entry!r}; allowed: {{}} (its plausible range), "
            "{ low = .., high = .. } or { values = [..] }",
        )
    bad = set(entry) - {"low", "high", "values", "levels"}
    if bad:
        raise _fail(
            where,
            f"parameter '{name}': unknown key '{sorted(bad)[0]}'; "
            "allowed: low, high, values, levels",
        )
    if "values" in entry:
        return _varied_values(spec, kind, entry, design, where)
    if kind in ("bool", "choice"):
        raise _fail(
            where,
            f"parameter '{name}' is {'true or false' if kind == 'bool' else 'a named choice'}; "
            "allowed: a full_factorial design with { values = [..] }",
        )
    return _varied_range(spec, kind, entry, design, where)


def _varied_values(spec, kind: str, entry: dict, design: str, where: str) -> Varied:
    """A varied parameter given as a list of values (full factorial designs only)."""
    from model.inputs.parameters import check_value

    name, values = spec.name, entry["values"]
    if set(entry) - {"values"}:
        raise _fail(where, f"parameter '{name}': values with low/high; allowed: one of the two")
    if design != "full_factorial":
        raise _fail(
            where,
            f"parameter '{name}' lists values in a {design} design; allowed: low and high "
            "(listed values only in a full_factorial design)",
        )
    if not isinstance(values, list) or not values:
        raise _fail(where, f"parameter '{name}' has an empty list of values; allowed: one or more")
    try:
        checked = [check_value(spec, v) for v in values]
    except ParameterError as err:
        raise _fail(where, str(err)) from None
    if len(set(map(repr, checked))) != len(checked):
        raise _fail(where, f"parameter '{name}' repeats a value in {values!r}")
    return Varied(name, kind, values=tuple(checked))


def _varied_range(spec, kind: str, entry: dict, design: str, where: str) -> Varied:
    """A varied parameter given as a range (its plausible one by default)."""
    name = spec.name
    low, high = entry.get("low"), entry.get("high")
    range_from = "spec"
    if low is None and high is None:
        if spec.low is None:
            raise _fail(
                where,
                f"parameter '{name}' has no plausible range in defaults.toml; allowed: give "
                "{ low = .., high = .. }",
            )
        low, high, range_from = spec.low, spec.high, "plausible"
    elif low is None or high is None:
        raise _fail(
            where, f"parameter '{name}' has only one end of its range; allowed: low and high"
        )
    for end in (low, high):
        if isinstance(end, bool) or not isinstance(end, int | float) or not math.isfinite(end):
            raise _fail(where, f"parameter '{name}': range end {end!r}; allowed: finite numbers")
    if not low < high:
        raise _fail(
            where, f"parameter '{name}' has an empty range {low} to {high}; allowed: low < high"
        )
    lo = -math.inf if spec.minimum is None else spec.minimum
    hi = math.inf if spec.maximum is None else spec.maximum
    if low < lo or high > hi:
        raise _fail(
            where, f"parameter '{name}': range {low} to {high}; allowed: within {spec.allowed()}"
        )
    if kind == "int" and math.floor(high) < math.ceil(low):
        raise _fail(where, f"parameter '{name}': range {low} to {high} holds no whole number")
    levels = entry.get("levels")
    if design == "full_factorial":
        if isinstance(levels, bool) or not isinstance(levels, int) or levels < 2:
            raise _fail(
                where,
                f"parameter '{name}': a full_factorial range needs 'levels' (a whole number >= 2)"
                f", got {levels!r}; or list its values",
            )
    elif levels is not None:
        raise _fail(where, f"parameter '{name}': 'levels' in a {design} design; allowed: none")
    return Varied(name, kind, float(low), float(high), levels=levels, range_from=range_from)


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


def _scenario_key(scenario: str) -> str:
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
                        run_id=f"p{point:05d}_{_scenario_key(scenario)}_s{seed}",
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
            raise _fail(spec.source, f"point {t.point}, scenario '{t.scenario}': {err}") from None
    warnings = []
    for scenario in spec.scenarios:
        s = load_scenario(scenario)
        for v in spec.varied:
            if v.name in s.levers:
                warnings.append(
                    f"'{v.name}' replaces the schedule scenario '{_scenario_key(scenario)}' sets "
                    "for it (a swept value holds for the whole run)"
                )
            elif v.name in s.parameters:
                warnings.append(f"'{v.name}' replaces scenario '{_scenario_key(scenario)}''s value")
    specs = parameter_specs()
    for v in spec.varied:
        p = specs[v.name]
        if v.low is not None and p.low is not None and (v.low < p.low or v.high > p.high):
            warnings.append(
                f"'{v.name}': range {v.low:g} to {v.high:g} goes beyond its plausible range "
                f"{p.low:g} to {p.high:g} (defaults.toml)"
            )
    return warnings


# ------------------------------------------------------------------ running one


def execute(task: RunTask) -> dict:
    """Run one task in this process and return its outcomes, or the error it raised.

    This is what a worker runs. It never raises for a failing run: the error
    comes back as data, so that the sweep records it and goes on.
    """
    from experiments.outcomes import OUTCOMES, RunView, monthly_long, needs_attribution
    from model.market import HousingMarket

    started = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    try:
        model = HousingMarket(
            task.scenario,
            rng=task.seed,
            households_per_agent=task.households_per_agent,
            parameters={**task.parameters, "calendar.months": task.months},
            attribution=needs_attribution(task.outcomes),
        )
        view = RunView(model.run())
        values = {name: float(OUTCOMES[name](view)) for name in task.outcomes}
        series = monthly_long(view, task.series) if task.series else None
    except Exception as err:
        return {
            "ok": False,
            "error": type(err).__name__,
            "message": str(err),
            "traceback": traceback.format_exc(),
            "seconds": time.perf_counter() - started,
            "worker": worker,
        }
    return {
        "ok": True,
        "values": values,
        "series": series,
        "seconds": time.perf_counter() - started,
        "worker": worker,
    }


# ------------------------------------------------------------------ the folder


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a Parquet file atomically: a hidden temporary file, flushed, then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _write_text(text: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def model_version() -> str:
    """The installed project's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("woonruimteverdeling")
    except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def git_commit() -> str:
    """The commit of the checkout the model is imported from, ``-dirty`` if it has changes."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "status",
                "--porcelain",
                "--",
                "model",
                "agents",
                "experiments",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


@contextlib.contextmanager
def _held(folder: Path, shown: str) -> Iterator[None]:
    """Hold the results folder's lock (the one experiments/output.py uses) while running."""
    from experiments import output

    lock_path = folder.with_name(f".{folder.name}.lock")
    fd = output._lock(lock_path, shown, "--out")
    try:
        yield
    finally:
        output._unlock(lock_path, fd)


def finished_runs(out: Path) -> set[str]:
    """The run ids with a result in ``out/runs``."""
    return {p.stem for p in (out / "runs").glob("*.parquet")}


def load_manifest(out: Path) -> dict:
    """The sweep's manifest (raises OutputError when ``out`` holds no sweep)."""
    try:
        return json.loads((Path(out) / MANIFEST).read_text())
    except FileNotFoundError:
        raise OutputError(f"'{out}' holds no sweep ({MANIFEST} missing)") from None


def _read_parts(folder: Path) -> pd.DataFrame:
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def load_sweep(out: str | Path, errors: bool = False) -> pd.DataFrame:
    """A sweep's runs as one DataFrame: a row per (point, scenario, seed), sorted.

    Args:
        out: The sweep's results folder.
        errors: Return the errors table instead (a row per run that raised).
    """
    out = Path(out)
    load_manifest(out)
    frame = _read_parts(out / ("errors" if errors else "runs"))
    if len(frame):
        frame = frame.sort_values(["point", "scenario", "seed"], ignore_index=True)
    return frame


def load_series(out: str | Path) -> pd.DataFrame:
    """A sweep's monthly series in long format: run, point, scenario, seed, date, outcome, value."""
    return _read_parts(Path(out) / "series")


def load_design(out: str | Path) -> pd.DataFrame:
    """The design: per point, each varied parameter as applied and as sampled."""
    return pd.read_parquet(Path(out) / "design.parquet")


# ------------------------------------------------------------------ executors


def _fork_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle, SIGTERM ends the worker at once.

    A forked worker inherits the command line's handlers (experiments/output.py),
    which turn SIGTERM into an exception; the sweep ends its workers with SIGTERM.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _Serial(Executor):
    """Runs each task in this process as it is submitted (one worker)."""

    def submit(self, fn, /, *args, **kwargs):
        f = Future()
        try:
            f.set_result(fn(*args, **kwargs))
        except BaseException as err:
            if isinstance(err, KeyboardInterrupt | SystemExit):
                raise
            f.set_exception(err)
        return f


@contextlib.contextmanager
def executor(workers: int, scheduler: str | None = None) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor for the runs.

    Args:
        workers: Worker processes on this machine (for ``local`` and ``dask``).
        scheduler: None or ``local``: a process pool (one worker: this process);
            ``dask``: a local Dask cluster of ``workers`` processes;
            ``tcp://HOST:PORT``: an existing Dask scheduler (its workers need
            this project installed).
    """
    if scheduler in (None, "local"):
        if workers <= 1:
            yield _Serial()
            return
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=_fork_context(), initializer=_worker_signals
        )
        try:
            yield pool
        except BaseException:
            # Interrupted (or the caller stopped): end the runs in flight now rather
            # than wait for them; what they would give is not stored anyway.
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SpecError(
            f"--scheduler {scheduler} needs Dask; allowed: pip install -e '.[dask]', "
            "or --scheduler local"
        ) from None
    if scheduler == "dask":
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: the machine may be shared
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    elif scheduler.startswith("tcp://"):
        cluster = None
        client = Client(scheduler, timeout=30)
    else:
        raise SpecError(
            f"--scheduler {scheduler!r}; allowed: local, dask (a local Dask cluster) or "
            "tcp://HOST:PORT (an existing Dask scheduler)"
        )
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ------------------------------------------------------------------ progress


class Progress:
    """A progress line on stderr: runs done, errors, elapsed, and the time left."""

    def __init__(self, total: int, done_before: int, stream=None):
        self.total, self.done, self.errors = total, done_before, 0
        self.before = done_before
        self.started = time.perf_counter()
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    @staticmethod
    def _clock(seconds: float) -> str:
        seconds = round(seconds)
        h, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s" if m else f"{s}s"

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        new = self.done - self.before
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        left = "?"
        if new:
            left = self._clock(elapsed / new * (self.total - self.done))
        errors = f", {self.errors} failed" if self.errors else ""
        return (
            f"[{bar}] {self.done}/{self.total} runs{errors}, "
            f"{self._clock(elapsed)} elapsed, about {left} left"
        )

    def update(self, ok: bool) -> None:
        self.done += 1
        self.errors += not ok
        now = time.perf_counter()
        if self.tty:
            print("\r" + self.line(), end="", file=self.stream, flush=True)
        elif now - self._last > 30 or self.done == self.total:
            print(self.line(), file=self.stream, flush=True)
            self._last = now

    def close(self) -> None:
        if self.tty:
            print(file=self.stream, flush=True)


# ------------------------------------------------------------------ the sweep


@dataclass
class SweepOutcome:
    """What a call of :func:`run_sweep` did."""

    out: Path
    total: int
    skipped: int
    ran: int
    failed: int
    seconds: float
    warnings: list[str]
    notes: list[str]


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


def _design_frame(spec: SweepSpec, sampled: pd.DataFrame, applied: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame({"point": np.arange(len(applied))})
    for v in spec.varied:
        frame[v.name] = applied[v.name].to_numpy()
        if v.kind in ("int", "float"):
            frame[f"{v.name}__sampled"] = sampled[v.name].astype(float).to_numpy()
    return frame


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    resume: bool = False,
    overwrite: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    limit: int | None = None,
    runner: Callable[[RunTask], dict] = execute,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> SweepOutcome:
    """Run a sweep into ``out``: every run not yet there, one Parquet part each.

    Args:
        spec: The checked spec (:func:`load_spec`).
        out: The results folder.
        resume: Continue the sweep in ``out`` (the same spec), skipping the
            runs already written and trying failed ones again. Without an
            earlier sweep there, start one.
        overwrite: Replace an earlier sweep in ``out`` (without this, and
            without ``resume``, a folder holding a sweep is refused).
        workers: Worker processes (default: up to 2).
        scheduler: See :func:`executor`.
        limit: Run at most this many runs now (the rest with ``--resume``).
        runner: The function each worker runs (a top-level function of a task).
        progress: Show the progress line.
        log: Where messages go.

    Raises:
        SpecError: A run's settings are invalid (nothing has run).
        OutputError: ``out`` cannot be written, holds something else, or holds
            a sweep of another spec.
    """
    # Long on purpose: the sweep's run loop (resume, dispatch, record, progress, errors) in one
    # place, so that what happens on an interrupt is visible at once.
    started = time.perf_counter()
    sampled, applied, notes, run_tasks, warnings = prepare(spec)
    shown = str(out)
    target = check_target(Path(out), "--out", marks=(MANIFEST,))
    commit, version = git_commit(), model_version()
    identity = spec.identity()
    existing = (target / MANIFEST).exists()
    if existing and not resume and not overwrite:
        n = len(finished_runs(target))
        raise OutputError(
            f"--out '{shown}' holds a sweep ({n} runs done); allowed: --resume to continue it, "
            "--overwrite to start again, or another folder"
        )
    if existing and resume:
        manifest = load_manifest(target)
        if manifest.get("identity") != identity:
            raise OutputError(
                f"--out '{shown}' holds a sweep of another spec (identity "
                f"{manifest.get('identity')}, this spec {identity}); allowed: the same spec with "
                "--resume, or --overwrite, or another folder"
            )
        if manifest["sessions"] and manifest["sessions"][-1]["git_commit"] != commit:
            warnings.append(
                f"the model's commit changed since the sweep started "
                f"({manifest['sessions'][-1]['git_commit'][:12]} -> {commit[:12]}): its runs "
                "mix two versions (each row records its commit)"
            )
    else:
        manifest = {
            "title": spec.title,
            "description": spec.description,
            "identity": identity,
            "spec_file": spec.source,
            "created": dt.datetime.now().isoformat(timespec="seconds"),
            "scenarios": list(spec.scenarios),
            "seeds": list(spec.seeds),
            "months": spec.months,
            "households_per_agent": spec.households_per_agent,
            "outcomes": list(spec.outcomes),
            "series": list(spec.series),
            "design": dict(spec.design),
            "varied": [asdict(v) for v in spec.varied],
            "fixed": dict(spec.fixed),
            "points": len(applied),
            "runs": len(run_tasks),
            "coercions": notes,
            "warnings": warnings,
            "sessions": [],
        }
        with replacing(target, "--out", marks=(MANIFEST,)) as tmp:
            (tmp / "spec.toml").write_text(spec.text, encoding="utf-8")
            _design_frame(spec, sampled, applied).to_parquet(tmp / "design.parquet", index=False)
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    for w in warnings:
        log(f"warning: {w}")

    with _held(target, shown):
        done = finished_runs(target)
        todo = [t for t in run_tasks if t.run_id not in done]
        skipped = len(run_tasks) - len(todo)
        if limit is not None:
            todo = todo[:limit]
        session = {
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "git_commit": commit,
            "model_version": version,
            "scheduler": scheduler or "local",
            "workers": workers,
            "skipped": skipped,
            "ran": 0,
            "failed": 0,
            "finished": None,
        }
        manifest["sessions"].append(session)
        _write_text(json.dumps(manifest, indent=2, default=str) + "\n", target / MANIFEST)
        log(
            f"{spec.title}: {len(run_tasks)} runs ({len(applied)} points x "
            f"{len(spec.scenarios)} scenarios x {len(spec.seeds)} seeds), "
            f"{skipped} already done, {len(todo)} to run"
        )
        meter = Progress(len(run_tasks), skipped) if progress and todo else None
        workers = workers or min(2, os.cpu_count() or 1)
        ran = failed = 0
        results = _run_all(todo, workers, scheduler, runner)
        try:
            for task, result in results:
                ok = _store(target, task, result, spec, commit, version)
                ran += 1
                failed += not ok
                if meter:
                    meter.update(ok)
        finally:
            results.close()  # on an interrupt: stop the workers now
            if meter:
                meter.close()
            session.update(ran=ran, failed=failed)
            session["finished"] = dt.datetime.now().isoformat(timespec="seconds")
            _write_text(json.dumps(manifest, indent=2, default=str) + "\n", target / MANIFEST)
        if len(finished_runs(target)) == len(run_tasks):
            write_summary(target)
    return SweepOutcome(
        target, len(run_tasks), skipped, ran, failed, time.perf_counter() - started, warnings, notes
    )


def _run_all(
    todo: list[RunTask], workers: int, scheduler: str | None, runner
) -> Iterator[tuple[RunTask, dict]]:
    """Yield (task, result) as runs finish, keeping a few per worker in flight.

    A worker process that dies (killed, out of memory) takes only the runs it
    had with it: they come back as errors and the pool is started again.
    """
    queue = list(reversed(todo))
    window = max(2 * workers, 1)
    while queue:
        with executor(workers, scheduler) as pool:
            flying: dict[Future, RunTask] = {}
            broken = False
            while (queue or flying) and not broken:
                while queue and len(flying) < window:
                    task = queue.pop()
                    flying[pool.submit(runner, task)] = task
                finished, _ = wait(list(flying), return_when=FIRST_COMPLETED)
                for f in finished:
                    task = flying.pop(f)
                    try:
                        result = f.result()
                    except BrokenProcessPool:
                        broken = True
                        result = _lost(task, "the worker process died (killed, or out of memory)")
                    except Exception as err:  # a runner that raised, or a lost Dask worker
                        result = _lost(task, str(err), err)
                    yield task, result
            if broken:
                for task in flying.values():  # ran on the broken pool: try them again
                    queue.append(task)


def _lost(task: RunTask, message: str, err: BaseException | None = None) -> dict:
    """The result of a run whose worker raised or died (no result came back)."""
    return {
        "ok": False,
        "error": type(err).__name__ if err is not None else "WorkerError",
        "message": message,
        "traceback": "".join(traceback.format_exception(err)) if err is not None else "",
        "seconds": float("nan"),
        "worker": "",
    }


def _store(
    out: Path, task: RunTask, result: dict, spec: SweepSpec, commit: str, version: str
) -> bool:
    """Write one run's row (or its error) atomically; True when the run succeeded."""
    row: dict[str, Any] = {
        "run_id": task.run_id,
        "point": task.point,
        "scenario": _scenario_key(task.scenario),
        "seed": task.seed,
        "households_per_agent": task.households_per_agent,
        "months": task.months,
    }
    for v in spec.varied:
        row[v.name] = task.parameters[v.name]
    tail = {
        "seconds": result["seconds"],
        "worker": result["worker"],
        "model_version": version,
        "git_commit": commit,
        "finished_at": pd.Timestamp.now().floor("s"),
    }
    error_file = out / "errors" / f"{task.run_id}.parquet"
    if not result["ok"]:
        row.update(
            error=result["error"], message=result["message"], traceback=result["traceback"], **tail
        )
        _write_parquet(pd.DataFrame([row]), error_file)
        return False
    if result.get("series") is not None:
        series = result["series"]
        for k, key in enumerate(("run_id", "point", "scenario", "seed")):
            series.insert(k, key, row[key])
        _write_parquet(series, out / "series" / f"{task.run_id}.parquet")
    row.update(result["values"])
    row.update(tail)
    _write_parquet(pd.DataFrame([row]), out / "runs" / f"{task.run_id}.parquet")
    error_file.unlink(missing_ok=True)  # an earlier failure of this run, now done
    return True


# ------------------------------------------------------------------ summary and figure


def summarise(runs: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Per scenario and outcome: runs, mean, 5th, 50th and 95th percentile over every run."""
    rows = []
    for scenario, mine in runs.groupby("scenario", sort=False):
        for name in outcomes:
            x = mine[name].dropna()
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": name,
                    "runs": len(x),
                    "mean": x.mean(),
                    "p5": x.quantile(0.05) if len(x) else np.nan,
                    "p50": x.quantile(0.5) if len(x) else np.nan,
                    "p95": x.quantile(0.95) if len(x) else np.nan,
                }
            )
    return pd.DataFrame(rows)


def write_summary(out: Path) -> list[Path]:
    """``summary.csv`` and ``sweep.png`` of a finished sweep (written atomically)."""
    from experiments.outcomes import OUTCOMES
    from experiments.sweep_figures import sweep_figure

    manifest = load_manifest(out)
    runs = load_sweep(out)
    table = summarise(runs, manifest["outcomes"])
    table.insert(2, "unit", table["outcome"].map(lambda n: OUTCOMES[n].unit))
    _write_text(table.to_csv(index=False), out / "summary.csv")
    tmp = out / f".sweep.png.tmp-{os.getpid()}.png"
    sweep_figure(out, tmp)
    os.replace(tmp, out / "sweep.png")
    return [out / "summary.csv", out / "sweep.png"]
