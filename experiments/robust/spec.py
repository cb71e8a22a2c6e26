"""The robust search's spec: a TOML file, read and checked, every problem one line.

::

    title = "..."
    timeline = "current-policy"     # the policy timeline: dated steps, held as constants
    seeds = 1                       # replications: N (seeds 1..N) or a list; every run on each
    months = 48
    households_per_agent = 20

    [ensemble]                      # the scenarios: a Latin hypercube over the uncertainties
    size = 8
    seed = 11

    [uncertainties]                 # {} = the plausible range (defaults.toml), or {low, high}
    "asylum.applications_factor" = {}

    [levers]                        # numeric levers the search sets, over these ranges
    "allocation.lottery_share" = {}

    [fixed]                         # other parameters held at a value
    "reception.cost_regular_eur_per_place_year" = 30000

    [search]
    nfe = 48                        # policies evaluated (each on the whole ensemble)
    population = 12
    seed = 1

    [[objectives]]                  # one per objective
    outcome = "registration_years_median_regular"   # a registry outcome with a direction
    metric = "percentile"           # or "regret" (against the timeline's own levers)
    percentile = 90                 # percentile: 90 = the bad tail; regret: 100 = the largest
    epsilon = 0.05                  # resolution, in the outcome's unit

Maxima (checked before anything runs): 10 objectives, 1,000 seeds, an
ensemble of 2 to 10,000 scenarios, a population of 4 to 1,000, 100,000
policies (nfe), and 1,000,000 model runs in all.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from experiments.ema.robustness import METRICS, objective_name
from model.base.errors import ParameterError
from model.base.tomlfile import read_toml
from model.inputs.parameters import COARSEST_VALIDATED_SCALE

KEYS = {
    "title",
    "description",
    "timeline",
    "seeds",
    "months",
    "households_per_agent",
    "ensemble",
    "uncertainties",
    "levers",
    "fixed",
    "search",
    "objectives",
}
OBJECTIVE_KEYS = {"outcome", "metric", "percentile", "epsilon"}
MAX_OBJECTIVES = 10
MAX_SEEDS = 1_000
MAX_SEED = 2**32 - 1
MAX_ENSEMBLE = 10_000
MAX_POPULATION = 1_000
MAX_NFE = 100_000
MAX_RUNS = 1_000_000


class RobustSpecError(ParameterError):
    """A robust search spec that cannot run; the message names the key and what is allowed."""


@dataclass(frozen=True)
class Objective:
    """One objective: an outcome over the ensemble, reduced by a robustness metric."""

    outcome: str
    metric: str
    percentile: float
    epsilon: float

    @property
    def name(self) -> str:
        """The objective's column name (``<outcome>_p90``, ``<outcome>_regret_p100``)."""
        return objective_name(self.outcome, self.metric, self.percentile)


@dataclass(frozen=True)
class RobustSpec:
    """A checked robust search spec (see the module docstring for the file)."""

    title: str
    timeline: str
    seeds: tuple[int, ...]
    months: int
    households_per_agent: int
    ensemble_size: int
    ensemble_seed: int
    uncertainties: dict[str, tuple[float, float]]
    levers: dict[str, tuple[float, float]]
    objectives: tuple[Objective, ...]
    nfe: int
    population: int
    search_seed: int
    fixed: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    source: str = ""
    text: str = ""

    @property
    def runs(self) -> int:
        """Model runs at most: every policy evaluated (and the reference) on the whole
        ensemble and every seed."""
        return (self.nfe + 1) * self.ensemble_size * len(self.seeds)

    def identity(self) -> str:
        """A hash of everything that decides which runs the search makes and what they give."""
        defining = {
            k: v
            for k, v in asdict(self).items()
            if k not in ("source", "text", "title", "description")
        }
        text = json.dumps(defining, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def fail(where: str, message: str) -> RobustSpecError:
    return RobustSpecError(f"{where}: {message}")


def _whole(raw: dict, key: str, default: int, low: int, high: int, where: str) -> int:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise fail(where, f"'{key}' = {value!r}; allowed: a whole number from {low:,} to {high:,}")
    return value


def _table(raw: dict, key: str, where: str, required: bool = True) -> dict:
    value = raw.get(key, {} if not required else None)
    if not isinstance(value, dict) or (required and not value):
        raise fail(where, f"'{key}' = {value!r}; allowed: a table [{key}] with one or more entries")
    return value


def load_robust_spec(path: str | Path) -> RobustSpec:
    """Read and check a robust search spec; every problem is one :class:`RobustSpecError`.

    The parameters and outcomes are checked here; whether the model takes the
    settings is checked by :func:`experiments.ema.ema_model` (every varied
    parameter at both ends) before anything runs.
    """
    path = Path(path)
    where = str(path)
    try:
        raw = read_toml(path, "robust spec")
    except ParameterError as err:
        raise RobustSpecError(str(err)) from None
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        raise fail(where, f"unknown key '{unknown[0]}'; allowed: {', '.join(sorted(KEYS))}")
    ensemble, search = _table(raw, "ensemble", where), _table(raw, "search", where)
    _known(ensemble, {"size", "seed"}, "ensemble", where)
    _known(search, {"nfe", "population", "seed"}, "search", where)
    population = _whole(search, "population", 12, 4, MAX_POPULATION, where)
    spec = RobustSpec(
        title=str(raw.get("title", path.stem)),
        description=str(raw.get("description", "")),
        timeline=_timeline(raw, where),
        seeds=_seeds(raw, where),
        months=_whole(raw, "months", 60, 1, 600, where),
        households_per_agent=_whole(
            raw, "households_per_agent", COARSEST_VALIDATED_SCALE, 1, 100_000, where
        ),
        ensemble_size=_whole(ensemble, "size", 8, 2, MAX_ENSEMBLE, where),
        ensemble_seed=_whole(ensemble, "seed", 1, 0, MAX_SEED, where),
        uncertainties=_ranges(_table(raw, "uncertainties", where), "uncertainties", where),
        levers=_ranges(_table(raw, "levers", where), "levers", where),
        objectives=_objectives(raw, where),
        nfe=_whole(search, "nfe", 10 * population, population, MAX_NFE, where),
        population=population,
        search_seed=_whole(search, "seed", 1, 0, MAX_SEED, where),
        fixed=dict(_table(raw, "fixed", where, required=False)),
        source=str(path),
        text=path.read_text(encoding="utf-8"),  # read_toml checked it: a small text file
    )
    if spec.runs > MAX_RUNS:
        raise fail(
            where,
            f"({spec.nfe:,} policies + the reference) x {spec.ensemble_size:,} scenarios x "
            f"{len(spec.seeds)} seeds = {spec.runs:,} runs; allowed: at most {MAX_RUNS:,}",
        )
    return spec


def _known(table: dict, allowed: set[str], name: str, where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise fail(
            where, f"unknown key '{name}.{unknown[0]}'; allowed: {', '.join(sorted(allowed))}"
        )


def _timeline(raw: dict, where: str) -> str:
    from model.inputs.policy import load_scenario

    timeline = raw.get("timeline", "current-policy")
    if not isinstance(timeline, str):
        raise fail(where, f"'timeline' = {timeline!r}; allowed: a scenario name")
    try:
        load_scenario(timeline)
    except ParameterError as err:
        raise fail(where, str(err)) from None
    return timeline


def _seeds(raw: dict, where: str) -> tuple[int, ...]:
    seeds = raw.get("seeds", 1)
    allowed = (
        f"allowed: N from 1 to {MAX_SEEDS:,} (seeds 1..N), or a list of at most {MAX_SEEDS:,} "
        f"distinct whole numbers from 0 to {MAX_SEED:,}"
    )
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        if not 1 <= seeds <= MAX_SEEDS:
            raise fail(where, f"'seeds' = {seeds}; {allowed}")
        return tuple(range(1, seeds + 1))
    if (
        not isinstance(seeds, list)
        or not 1 <= len(seeds) <= MAX_SEEDS
        or any(
            isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= MAX_SEED for s in seeds
        )
        or len(set(seeds)) != len(seeds)
    ):
        raise fail(where, f"'seeds' = {seeds!r}; {allowed}")
    return tuple(seeds)


def _ranges(table: dict, key: str, where: str) -> dict[str, tuple[float, float]]:
    """Each entry: {} (the plausible range) or {low, high}; the ranges themselves are checked
    by the model (experiments/ema/model.py)."""
    from experiments.ema.model import parameter_range
    from experiments.naming import parameter_of

    out = {}
    for name, entry in table.items():
        if not isinstance(entry, dict) or set(entry) - {"low", "high"} or len(entry) == 1:
            raise fail(
                where,
                f"'{key}.{name}' = {entry!r}; allowed: {{}} (its plausible range) or "
                "{ low = .., high = .. }",
            )
        given = (entry["low"], entry["high"]) if entry else None
        if given and not all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in given
        ):
            raise fail(where, f"'{key}.{name}': range {given!r}; allowed: finite numbers")
        try:
            parameter_of(name)  # a known parameter (the closest named if not)
            out[name] = parameter_range(name, {name: given} if given else None)
        except ParameterError as err:
            raise fail(where, f"'{key}.{name}': {err}") from None
    return out


def _objectives(raw: dict, where: str) -> tuple[Objective, ...]:
    objectives = raw.get("objectives")
    if not isinstance(objectives, list) or not 1 <= len(objectives) <= MAX_OBJECTIVES:
        raise fail(
            where,
            f"'objectives' = {objectives!r}; allowed: 1 to {MAX_OBJECTIVES} [[objectives]] tables",
        )
    out = tuple(_objective(entry, where) for entry in objectives)
    names = [o.name for o in out]
    if len(set(names)) != len(names):
        raise fail(where, f"objectives {names} repeat one; allowed: each objective once")
    return out


def _objective(entry: Any, where: str) -> Objective:
    from experiments.outcomes import OUTCOMES, scalar_names

    if not isinstance(entry, dict):
        raise fail(where, f"objective {entry!r}; allowed: a table with outcome, metric, epsilon")
    _known(entry, OBJECTIVE_KEYS, "objectives", where)
    outcome = entry.get("outcome")
    directed = [n for n in scalar_names() if OUTCOMES[n].higher_is != "neutral"]
    if outcome not in directed:
        hint = (
            " (it has no direction: higher is neither better nor worse)"
            if outcome in OUTCOMES
            else ""
        )
        raise fail(
            where,
            f"objective outcome {outcome!r}{hint}; allowed: a scalar outcome whose higher_is is "
            f"worse or better: {', '.join(directed)}",
        )
    metric = entry.get("metric", "percentile")
    if metric not in METRICS:
        raise fail(where, f"objective metric {metric!r}; allowed: {', '.join(METRICS)}")
    q = entry.get("percentile", 90 if metric == "percentile" else 100)
    if isinstance(q, bool) or not isinstance(q, int | float) or not 0 <= q <= 100:
        raise fail(where, f"objective percentile {q!r}; allowed: a number from 0 to 100")
    epsilon = entry.get("epsilon")
    if (
        isinstance(epsilon, bool)
        or not isinstance(epsilon, int | float)
        or not (math.isfinite(epsilon) and epsilon > 0)
    ):
        raise fail(
            where,
            f"objective '{outcome}': epsilon {epsilon!r}; allowed: a number > 0 in "
            f"{OUTCOMES[outcome].unit} (the resolution below which two policies count as equal)",
        )
    return Objective(outcome, metric, float(q), float(epsilon))
