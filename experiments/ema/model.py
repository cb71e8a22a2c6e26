"""The housing market as an EMA workbench model: a function, and the model around it.

:func:`housing_market` is a plain top-level function (it pickles by
reference into any worker): keyword arguments in, outcomes out. Parameters
are keyword arguments under their column names (experiments/naming.py:
``stock_new_construction_per_year``). :func:`ema_model` builds the
``ema_workbench.ReplicatorModel`` an exploratory modeller expects:

* **uncertainties**: parameters outside policy's hands, each over its
  plausible range (``low``/``high`` in model/inputs/data/defaults.toml) or one given;
* **levers**: numeric policy levers over their plausible ranges: supply (new
  construction, flex homes), allocation (the urgent share cap, the lottery
  share) and reception (the regular places target) by default;
* **constants**: the policy timeline (a scenario name: the dated steps of the
  letter, which the levers' values then replace for the whole run), the run's
  length and scale, and any fixed parameters;
* **replications**: the seeds; every experiment runs on each (common random
  numbers: every policy meets the same luck), and scalar outcomes are the
  mean over seeds, series the monthly mean;
* **outcomes**: registry outcomes (experiments/outcomes.py) as
  ``ScalarOutcome`` with the direction the registry gives (``higher_is``
  worse: minimise; better: maximise; neutral: information only), monthly ones
  as ``TimeSeriesOutcome``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

import numpy as np

from experiments.naming import column_of, parameter_of
from model.base.errors import ParameterError
from model.inputs.parameters import COARSEST_VALIDATED_SCALE, parameter_specs

RESERVED = {"policy", "scenario", "model"}  # the workbench's own columns
DEFAULT_UNCERTAINTIES = (
    "asylum.applications_factor",
    "asylum.recognition_rate",
    "status_holders.exit_self_found_per_year",
    "regular.refusal_probability",
)
DEFAULT_LEVERS = (
    "stock.new_construction_per_year",  # supply
    "stock.flex_additions_per_year",  # supply
    "allocation.urgent_share_cap",  # allocation
    "allocation.lottery_share",  # allocation
    "reception.regular_places_target",  # reception
)
DEFAULT_OUTCOMES = (
    "status_holders_in_reception_mean_persons",
    "reception_backlog_end_persons",
    "reception_cost_eur_per_year",
    "registration_years_median_regular",
    "waiting_urgent_end_households",
    "time_in_reception_years_median",
)
MAX_SEED = 2**32 - 1


def housing_market(
    policy_timeline: str = "current-policy",
    seed: int = 1,
    months: int = 60,
    households_per_agent: int = COARSEST_VALIDATED_SCALE,
    outcomes: Iterable[str] = DEFAULT_OUTCOMES,
    series: Iterable[str] = (),
    **parameters: Any,
) -> dict[str, Any]:
    """Run the model once and return its outcomes (a picklable top-level function).

    Args:
        policy_timeline: The scenario whose dated steps the run follows (a name
            from ``python -m experiments scenarios``, or a file).
        seed: The run's seed; the same seed and settings give the same outcomes.
        months: Length of the run.
        households_per_agent: Scale (1:20 is the coarsest validated one).
        outcomes: Scalar outcomes of the registry (experiments/outcomes.py).
        series: Monthly outcomes of the registry: an array each, start included.
        **parameters: Model parameters under their column names
            (``stock_new_construction_per_year=20000``; numpy scalars are fine;
            whole-number parameters are rounded).

    Returns:
        Each outcome by name (floats; arrays for series), and ``seed``.

    Raises:
        ParameterError: An unknown parameter or outcome, or a setting refused.
    """
    from experiments.outcomes import OUTCOMES, RunView, check_names, needs_attribution
    from model.market import HousingMarket

    outcomes, series = list(outcomes), list(series)
    try:
        check_names(outcomes, "scalar")
        check_names(series, "monthly", where="series")
    except KeyError as err:
        raise ParameterError(err.args[0]) from None
    settings = {parameter_of(k): _plain(parameter_of(k), v) for k, v in parameters.items()}
    settings["calendar.months"] = int(months)
    model = HousingMarket(
        policy_timeline,
        rng=int(seed),
        households_per_agent=int(households_per_agent),
        parameters=settings,
        attribution=needs_attribution(outcomes),
    )
    view = RunView(model.run())
    out: dict[str, Any] = {name: float(OUTCOMES[name](view)) for name in outcomes}
    for name in series:
        out[name] = OUTCOMES[name](view).to_numpy(float)
    out["seed"] = model.seed
    return out


def _plain(name: str, value: Any) -> Any:
    """A value as the model takes it: numpy scalars as Python ones, whole numbers rounded."""
    value = value.item() if isinstance(value, np.generic) else value
    default = parameter_specs()[name].value
    if isinstance(default, int) and not isinstance(default, bool) and isinstance(value, float):
        return round(value)
    return value


def mean_over_seeds(values) -> float:
    """A scalar outcome's mean over the seeds (replications) of one experiment."""
    return float(np.mean(values))


def monthly_mean_over_seeds(values) -> np.ndarray:
    """A monthly outcome's mean over the seeds, month by month."""
    return np.mean(np.stack([np.asarray(v, float) for v in values]), axis=0)


def direction(outcome: str) -> int:
    """The workbench's kind of a registry outcome: MINIMIZE, MAXIMIZE or INFO."""
    from ema_workbench import ScalarOutcome

    from experiments.outcomes import OUTCOMES

    return {
        "worse": ScalarOutcome.MINIMIZE,
        "better": ScalarOutcome.MAXIMIZE,
        "neutral": ScalarOutcome.INFO,
    }[OUTCOMES[outcome].higher_is]


def ema_model(
    uncertainties: Iterable[str] = DEFAULT_UNCERTAINTIES,
    levers: Iterable[str] = DEFAULT_LEVERS,
    outcomes: Iterable[str] = DEFAULT_OUTCOMES,
    series: Iterable[str] = (),
    *,
    timeline: str = "current-policy",
    seeds: Iterable[int] = (1,),
    months: int = 60,
    households_per_agent: int = COARSEST_VALIDATED_SCALE,
    fixed: Mapping[str, Any] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    name: str = "housing_market",
):
    """An ``ema_workbench.ReplicatorModel`` of :func:`housing_market` (see the module).

    Args:
        uncertainties: Dotted parameter names varied as uncertainties.
        levers: Dotted parameter names varied as levers (numbers only).
        outcomes: Scalar outcomes of the registry.
        series: Monthly outcomes of the registry (``TimeSeriesOutcome``).
        timeline: The policy timeline (a scenario), a constant of every run.
        seeds: The replications: every experiment runs on each seed.
        months: Length of every run.
        households_per_agent: Scale of every run.
        fixed: Other parameters held at a value (constants).
        ranges: ``{name: (low, high)}`` instead of a parameter's plausible range.
        name: The workbench model's name (a Python identifier).

    Raises:
        ParameterError: An unknown or repeated name, a parameter without a
            range or that is not a number, a name the workbench reserves, bad
            seeds, or settings the model refuses (checked with every varied
            parameter at both ends of its range).
    """
    from ema_workbench import ReplicatorModel, ScalarOutcome, TimeSeriesOutcome

    uncertainties, levers, fixed = list(uncertainties), list(levers), dict(fixed or {})
    outcomes, series, seeds = list(outcomes), list(series), _check_seeds(seeds)
    _check_outcomes(outcomes, series)
    ranges = dict(ranges or {})
    _check_names(uncertainties, levers, fixed, ranges)
    _check_timeline(timeline)
    _check_settings(timeline, months, households_per_agent, fixed, uncertainties + levers, ranges)
    model = ReplicatorModel(
        name, function=partial(housing_market, outcomes=tuple(outcomes), series=tuple(series))
    )
    model.uncertainties = [_parameter(n, ranges) for n in uncertainties]
    model.levers = [_parameter(n, ranges) for n in levers]
    model.constants = _constants(timeline, months, households_per_agent, fixed)
    model.replications = [{"seed": s} for s in seeds]
    model.outcomes = [
        ScalarOutcome(o, kind=direction(o), function=mean_over_seeds) for o in outcomes
    ] + [TimeSeriesOutcome(s, function=monthly_mean_over_seeds) for s in series]
    return model


def parameter_range(name: str, ranges: Mapping[str, tuple[float, float]] | None = None):
    """A parameter's (low, high): the one given, else its plausible range.

    Raises:
        ParameterError: Neither is there, the parameter is not a number, or the
            range is empty or outside what the parameter allows.
    """
    spec = parameter_specs()[name]
    if isinstance(spec.value, bool) or not isinstance(spec.value, int | float):
        raise ParameterError(f"parameter '{name}' is not a number; allowed: numeric parameters")
    low, high = (ranges or {}).get(name, (spec.low, spec.high))
    if low is None:
        raise ParameterError(
            f"parameter '{name}' has no plausible range (low/high in "
            "model/inputs/data/defaults.toml); allowed: give its range"
        )
    lo = -np.inf if spec.minimum is None else spec.minimum
    hi = np.inf if spec.maximum is None else spec.maximum
    if not lo <= low < high <= hi:
        raise ParameterError(
            f"parameter '{name}': range {low} to {high}; allowed: low < high within "
            f"{spec.allowed()}"
        )
    return low, high


def _parameter(name: str, ranges: Mapping[str, tuple[float, float]]):
    from ema_workbench import IntegerParameter, RealParameter

    low, high = parameter_range(name, ranges)
    if isinstance(parameter_specs()[name].value, int):
        first, last = int(np.ceil(low)), int(np.floor(high))
        if first >= last:
            raise ParameterError(
                f"parameter '{name}': range {low} to {high} holds fewer than two whole numbers; "
                "allowed: a wider range, or fix it"
            )
        return IntegerParameter(column_of(name), first, last)
    return RealParameter(column_of(name), float(low), float(high))


def _constants(timeline: str, months: int, scale: int, fixed: Mapping[str, Any]) -> list:
    from ema_workbench import Constant

    constants = [
        Constant("policy_timeline", timeline),
        Constant("months", months),
        Constant("households_per_agent", scale),
    ]
    return constants + [Constant(column_of(n), v) for n, v in fixed.items()]


def _check_seeds(seeds: Iterable[int]) -> list[int]:
    seeds = list(seeds)
    if (
        not seeds
        or len(set(seeds)) != len(seeds)
        or any(
            isinstance(s, bool) or not isinstance(s, int) or not 0 <= s <= MAX_SEED for s in seeds
        )
    ):
        raise ParameterError(
            f"seeds {seeds!r}; allowed: one or more distinct whole numbers from 0 to {MAX_SEED:,}"
        )
    return seeds


def _check_outcomes(outcomes: list[str], series: list[str]) -> None:
    from experiments.outcomes import check_names

    if not outcomes and not series:
        raise ParameterError("no outcomes; allowed: one or more registry outcomes")
    try:
        check_names(outcomes, "scalar")
        check_names(series, "monthly", where="series")
    except KeyError as err:
        raise ParameterError(err.args[0]) from None


def _check_names(uncertainties, levers, fixed, ranges) -> None:
    """Known parameters, each in one role, none a name the workbench keeps for itself."""
    specs = parameter_specs()
    seen: dict[str, str] = {}
    for role, names in (("uncertainty", uncertainties), ("lever", levers), ("fixed", fixed)):
        for name in names:
            if name not in specs:
                parameter_of(name)  # raises, naming the closest
            if name in ("calendar.months", "scale.households_per_agent"):
                raise ParameterError(
                    f"'{name}' as a {role}; allowed: the model's months and "
                    "households_per_agent arguments"
                )
            if name in seen:
                raise ParameterError(
                    f"parameter '{name}' is both a {seen[name]} and a {role}; allowed: one role"
                )
            seen[name] = role
    unused = set(ranges) - set(uncertainties) - set(levers)
    if unused:
        raise ParameterError(
            f"a range for '{sorted(unused)[0]}', which is neither an uncertainty nor a lever; "
            "allowed: ranges of varied parameters"
        )
    clash = {column_of(n) for n in seen} & RESERVED
    if clash:  # pragma: no cover - no parameter is named so today
        raise ParameterError(f"'{sorted(clash)[0]}' is a name the workbench keeps for itself")


def _check_timeline(timeline: str) -> None:
    """A policy timeline sets levers only: a scenario that sets an uncertain parameter (the
    higher or lower inflow) describes a future, which belongs among the uncertainties."""
    from model.inputs.policy import load_scenario, scenario_names

    scenario = load_scenario(timeline)
    specs = parameter_specs()
    futures = [n for n in [*scenario.levers, *scenario.parameters] if not specs[n].lever]
    if futures:
        policies = [
            n
            for n in scenario_names()
            if all(specs[p].lever for s in [load_scenario(n)] for p in [*s.levers, *s.parameters])
        ]
        raise ParameterError(
            f"timeline '{timeline}' sets {futures[0]}, which is not a policy lever but an "
            f"uncertainty; allowed: a policy timeline ({', '.join(policies)}), with the future "
            "among the uncertainties (asylum.applications_factor, say)"
        )


def _check_settings(timeline, months, scale, fixed, varied, ranges) -> None:
    """The model takes the settings with every varied parameter at its low and at its high
    end (an inert lever or a refused value is one ParameterError, before anything runs)."""
    from model.market import HousingMarket

    for end in (0, 1):
        parameters = {**fixed, "calendar.months": months}
        for name in varied:
            parameters[name] = _plain(name, float(parameter_range(name, ranges)[end]))
        HousingMarket.check_settings(timeline, scale, None, parameters)
