"""The sweep spec: the TOML file read and checked, every problem one line (SpecError)."""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from model.base.errors import ParameterError
from model.base.tomlfile import read_toml
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
# The largest sweep a spec may describe (docs/sweeps.md): checked by arithmetic before
# anything is sampled, so that a mistyped size is one line, not a MemoryError.
MAX_SEEDS = 1_000
MAX_SEED = 2**32 - 1  # numpy's legacy seeding (SALib) takes 32 bits
MAX_POINTS = 100_000
MAX_RUNS = 1_000_000
MAX_MORRIS_LEVELS = 1_000
# Set with the spec's own keys, not swept: the run's length and scale.
NOT_SWEPT = {
    "calendar.months": "months",
    "scale.households_per_agent": "households_per_agent",
}


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


def fail(where: str, message: str) -> SpecError:
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
            raise fail(where, f"'{key}' = {value!r}; allowed: {spec.allowed()}")
    outcomes, series = _spec_outcomes(raw, where)
    design = _spec_design(raw, where)
    varied, fixed = _spec_parameters(raw, design["kind"], where)
    spec = SweepSpec(
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
    _check_size(spec, where)
    return spec


def design_points(kind: str, design: Mapping[str, Any], varied: tuple[Varied, ...]) -> int:
    """How many points a design has, by arithmetic (nothing is sampled)."""
    d = len(varied)
    if kind == "full_factorial":
        return math.prod(len(v.values) if v.values is not None else v.levels for v in varied)
    n = design["points"]
    if kind == "sobol":
        return n * (2 * d + 2 if design["second_order"] else d + 2)
    if kind == "morris":
        return n * (d + 1)
    return n


def _check_size(spec: SweepSpec, where: str) -> None:
    """The design's points and the sweep's runs within the documented maxima."""
    points = design_points(spec.design["kind"], spec.design, spec.varied)
    if points > MAX_POINTS:
        raise fail(
            where,
            f"the {spec.design['kind']} design has {points:,} points; allowed: at most "
            f"{MAX_POINTS:,} points (fewer levels, points or parameters)",
        )
    runs = points * len(spec.scenarios) * len(spec.seeds)
    if runs > MAX_RUNS:
        raise fail(
            where,
            f"{points:,} points x {len(spec.scenarios)} scenarios x {len(spec.seeds)} seeds = "
            f"{runs:,} runs; allowed: at most {MAX_RUNS:,} runs (split the sweep)",
        )


def _read_spec(path: Path) -> tuple[dict, str]:
    """The spec's TOML and text, with only known keys."""
    where = str(path)
    try:
        raw = read_toml(path, "sweep spec")
    except ParameterError as err:
        raise SpecError(str(err)) from None
    text = path.read_text(encoding="utf-8")  # read_toml has checked it: a small text file
    unknown = set(raw) - SPEC_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise fail(
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
        raise fail(where, "'scenarios' is empty; allowed: a list of one or more scenario names")
    resolved = []
    for s in scenarios:
        if not isinstance(s, str):
            raise fail(where, f"scenario {s!r} is not a name; allowed: scenario names or files")
        if s.endswith(".toml") and not Path(s).is_absolute() and (base / s).exists():
            s = str(base / s)
        try:
            resolved.append(load_scenario(s).name if not s.endswith(".toml") else s)
        except ParameterError as err:
            raise fail(where, str(err)) from None
    if len(set(resolved)) != len(resolved):
        raise fail(where, f"'scenarios' {resolved} repeats one; allowed: each scenario once")
    return tuple(resolved)


def _spec_seeds(raw: dict, where: str) -> tuple[int, ...]:
    """The seeds: N (seeds 1..N) or a list."""
    seeds = raw.get("seeds", 1)
    allowed = (
        f"allowed: a whole number N from 1 to {MAX_SEEDS:,} (seeds 1..N), or a list of at most "
        f"{MAX_SEEDS:,} distinct whole numbers from 0 to {MAX_SEED:,}"
    )
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if not 1 <= seeds <= MAX_SEEDS:
            raise fail(where, f"'seeds' = {seeds}; {allowed}")
        seeds = list(range(1, seeds + 1))
    if not isinstance(seeds, list) or not seeds or len(seeds) > MAX_SEEDS:
        shown = f"a list of {len(seeds):,}" if isinstance(seeds, list) else repr(seeds)
        raise fail(where, f"'seeds' = {shown}; {allowed}")
    bad = [
        s for s in seeds if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= MAX_SEED
    ]
    if bad or len(set(seeds)) != len(seeds):
        what = f"seed {bad[0]!r}" if bad else "a repeated seed"
        raise fail(where, f"'seeds' holds {what}; {allowed}")
    return tuple(seeds)


def _spec_outcomes(raw: dict, where: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The scalar outcomes and the monthly series, each a known, unrepeated name."""
    from experiments.outcomes import check_names, scalar_names

    outcomes = raw.get("outcomes", scalar_names())
    series = raw.get("series", [])
    for key, names, kind in (("outcomes", outcomes, "scalar"), ("series", series, "monthly")):
        if not isinstance(names, list) or (key == "outcomes" and not names):
            raise fail(where, f"'{key}' = {names!r}; allowed: a list of {kind} outcome names")
        odd = [n for n in names if not isinstance(n, str)]
        if odd:
            raise fail(
                where,
                f"'{key}' holds {odd[0]!r}, not a name; allowed: {kind} outcome names "
                "(the scalar and monthly outcomes of experiments/outcomes.py)",
            )
        try:
            check_names(names, kind, where=f"'{key}'")
        except KeyError as err:
            raise fail(where, err.args[0]) from None
        if len(set(names)) != len(names):
            raise fail(where, f"'{key}' repeats a name; allowed: each outcome once")
    return tuple(outcomes), tuple(series)


def _spec_design(raw: dict, where: str) -> dict:
    """The design: its kind, seed and size (checked per kind)."""
    design = raw.get("design", {})
    if not isinstance(design, dict):
        raise fail(
            where,
            f"'design' = {design!r}; allowed: a table ([design] with kind, points, seed)",
        )
    design = dict(design)
    bad = set(design) - DESIGN_KEYS
    if bad:
        key = sorted(bad)[0]
        raise fail(
            where,
            f"unknown key 'design.{key}'{_closest(key, DESIGN_KEYS)}; "
            f"allowed: {', '.join(sorted(DESIGN_KEYS))}",
        )
    kind = design.get("kind", "full_factorial")
    if not isinstance(kind, str) or kind not in DESIGNS:
        raise fail(
            where,
            f"design kind {kind!r}{_closest(str(kind), DESIGNS)}; allowed: {', '.join(DESIGNS)}",
        )
    design["kind"] = kind
    if kind == "full_factorial" and "seed" in design:
        raise fail(
            where,
            "'design.seed' in a full_factorial design; allowed: none (it samples "
            "nothing: the points are every combination)",
        )
    for key, only in (("levels", "morris"), ("second_order", "sobol")):
        if key in design and kind != only:
            raise fail(where, f"'design.{key}' in a {kind} design; allowed: only in a {only} one")
    design.setdefault("seed", 1)
    seed = design["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise fail(
            where, f"'design.seed' = {seed!r}; allowed: a whole number from 0 to {MAX_SEED:,}"
        )
    if kind == "full_factorial":
        if "points" in design:
            raise fail(
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
        raise fail(where, f"'design.points' = {points!r}; allowed: a whole number >= 1, {what}")
    if kind == "sobol" and points & (points - 1):
        raise fail(
            where,
            f"'design.points' = {points} for a Sobol design; allowed: a power of 2 "
            "(Saltelli's sequence converges only then), e.g. 64, 128, 256",
        )
    if kind == "morris":
        levels = design.setdefault("levels", 4)
        if (
            isinstance(levels, bool)
            or not isinstance(levels, int)
            or not 2 <= levels <= MAX_MORRIS_LEVELS
            or levels % 2
        ):
            raise fail(
                where,
                f"'design.levels' = {levels!r}; allowed: an even number from 2 to "
                f"{MAX_MORRIS_LEVELS:,}",
            )
    if kind == "sobol":
        design.setdefault("second_order", False)
        if not isinstance(design["second_order"], bool):
            raise fail(where, "'design.second_order'; allowed: true or false")


def _spec_parameters(raw: dict, kind: str, where: str) -> tuple[tuple[Varied, ...], dict]:
    """The varied parameters and the fixed values."""
    specs = parameter_specs()
    params = raw.get("parameters", {})
    if not isinstance(params, dict):
        raise fail(where, "'parameters' is not a table; allowed: [parameters] with entries")
    fixed = raw.get("fixed", {})
    if not isinstance(fixed, dict):
        raise fail(where, "'fixed' is not a table; allowed: [fixed] name = value")
    varied = [_varied(name, entry, kind, where) for name, entry in params.items()]
    if kind != "full_factorial" and not varied:
        raise fail(where, f"a {kind} design varies nothing; allowed: one or more [parameters]")
    if kind in ("sobol", "morris") and len(varied) < 2:
        raise fail(where, f"a {kind} design needs two or more varied parameters")
    for name in fixed:
        if name not in specs:
            raise fail(
                where,
                f"unknown parameter 'fixed.{name}'{_closest(name, specs)}; "
                "allowed: a parameter of docs/parameters.md",
            )
        if name in NOT_SWEPT:
            raise fail(where, f"'fixed.{name}'; allowed: the spec's '{NOT_SWEPT[name]}' instead")
        if name in params:
            raise fail(where, f"parameter '{name}' is both varied and fixed; allowed: one")
    return tuple(varied), dict(fixed)


def _varied(name: str, entry: Any, design: str, where: str) -> Varied:
    """One ``[parameters]`` entry, checked."""
    specs = parameter_specs()
    if name not in specs:
        raise fail(
            where,
            f"unknown parameter '{name}'{_closest(name, specs)}; allowed: a parameter of "
            "docs/parameters.md",
        )
    if name in NOT_SWEPT:
        raise fail(
            where,
            f"parameter '{name}' cannot be varied; allowed: the spec's '{NOT_SWEPT[name]}'",
        )
    spec = specs[name]
    kind = _kind_of(spec.value)
    if spec.unit == "date" or kind == "list":
        raise fail(
            where,
            f"parameter '{name}' is a {'date' if spec.unit == 'date' else 'list'}; allowed: "
            "numbers, true/false and named choices (fix it in [fixed] instead)",
        )
    if entry == "plausible":
        entry = {}
    if not isinstance(entry, dict):
        raise fail(
            where,
            f"parameter '{name}' = {entry!r}; allowed: {{}} (its plausible range), "
            "{ low = .., high = .. } or { values = [..] }",
        )
    bad = set(entry) - {"low", "high", "values", "levels"}
    if bad:
        raise fail(
            where,
            f"parameter '{name}': unknown key '{sorted(bad)[0]}'; "
            "allowed: low, high, values, levels",
        )
    if "values" in entry:
        return _varied_values(spec, kind, entry, design, where)
    if kind in ("bool", "choice"):
        raise fail(
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
        raise fail(where, f"parameter '{name}': values with low/high; allowed: one of the two")
    if design != "full_factorial":
        raise fail(
            where,
            f"parameter '{name}' lists values in a {design} design; allowed: low and high "
            "(listed values only in a full_factorial design)",
        )
    if not isinstance(values, list) or not values:
        raise fail(where, f"parameter '{name}' has an empty list of values; allowed: one or more")
    try:
        checked = [check_value(spec, v) for v in values]
    except ParameterError as err:
        raise fail(where, str(err)) from None
    if len(set(map(repr, checked))) != len(checked):
        raise fail(where, f"parameter '{name}' repeats a value in {values!r}")
    return Varied(name, kind, values=tuple(checked))


def _varied_range(spec, kind: str, entry: dict, design: str, where: str) -> Varied:
    """A varied parameter given as a range (its plausible one by default)."""
    name = spec.name
    low, high = entry.get("low"), entry.get("high")
    range_from = "spec"
    if low is None and high is None:
        if spec.low is None:
            raise fail(
                where,
                f"parameter '{name}' has no plausible range in defaults.toml; allowed: give "
                "{ low = .., high = .. }",
            )
        low, high, range_from = spec.low, spec.high, "plausible"
    elif low is None or high is None:
        raise fail(
            where, f"parameter '{name}' has only one end of its range; allowed: low and high"
        )
    for end in (low, high):
        if isinstance(end, bool) or not isinstance(end, int | float) or not math.isfinite(end):
            raise fail(where, f"parameter '{name}': range end {end!r}; allowed: finite numbers")
    if not low < high:
        raise fail(
            where, f"parameter '{name}' has an empty range {low} to {high}; allowed: low < high"
        )
    lo = -math.inf if spec.minimum is None else spec.minimum
    hi = math.inf if spec.maximum is None else spec.maximum
    if low < lo or high > hi:
        raise fail(
            where, f"parameter '{name}': range {low} to {high}; allowed: within {spec.allowed()}"
        )
    if kind == "int":
        _check_whole_range(name, low, high, where)
    levels = entry.get("levels")
    if design == "full_factorial":
        _check_levels(name, kind, low, high, levels, where)
    elif levels is not None:
        raise fail(where, f"parameter '{name}': 'levels' in a {design} design; allowed: none")
    return Varied(name, kind, float(low), float(high), levels=levels, range_from=range_from)


def _check_whole_range(name: str, low: float, high: float, where: str) -> None:
    """A whole-number range must hold two or more whole numbers once sampled values are
    rounded (as :func:`~experiments.sweep.design.coerce` rounds them)."""
    if math.floor(high) < math.ceil(low):
        raise fail(where, f"parameter '{name}': range {low} to {high} holds no whole number")
    first, last = int(np.rint(low)), int(np.rint(high))
    if first == last:
        raise fail(
            where,
            f"parameter '{name}': range {low} to {high} rounds to the one whole number {first}; "
            "allowed: a range holding two or more whole numbers (or fix it in [fixed])",
        )


def _check_levels(name: str, kind: str, low: float, high: float, levels: Any, where: str) -> None:
    """The levels of a full factorial range: 2 or more, and distinct once rounded."""
    if isinstance(levels, bool) or not isinstance(levels, int) or not 2 <= levels <= MAX_POINTS:
        raise fail(
            where,
            f"parameter '{name}': a full_factorial range needs 'levels' (a whole number from 2 "
            f"to {MAX_POINTS:,}), got {levels!r}; or list its values",
        )
    if kind == "int":
        rounded = np.rint(np.linspace(low, high, levels)).astype(np.int64)
        if len(set(rounded)) < levels:
            whole = int(rounded[-1] - rounded[0]) + 1
            raise fail(
                where,
                f"parameter '{name}': {levels} levels from {low:g} to {high:g} repeat whole "
                f"numbers once rounded; allowed: fewer levels (the range holds {whole} whole "
                "numbers), or list its values",
            )
