"""The model for the EMA workbench (exploratory modelling and analysis).

:func:`housing_market` is a plain top-level function, so it pickles (by
reference) into any worker process: keyword parameters in, a dict of outcomes
out, with the seed it used. Parameters are the model's dotted names written
as Python names, ``section__name`` (``stock__new_construction_per_year``), so
that they can be keyword arguments; :func:`alias` and :func:`dotted` convert.

:func:`ema_model` builds a ready ``ema_workbench.Model`` from the parameters'
plausible ranges (``low``/``high`` in model/inputs/data/defaults.toml) and the
outcome registry. Its names avoid ``policy``, ``scenario`` and ``model``, which
the workbench uses for its own columns: the policy lever is
``housing_policy``. Example (the PRIM script: ``experiments/prim_example.py``)::

    from ema_workbench import MultiprocessingEvaluator, perform_experiments
    from experiments.ema import ema_model, policies

    model = ema_model()
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=100, policies=policies(["current-policy", "cabinet-package"]),
            evaluator=evaluator,
        )

Needs the ``ema`` extra (``pip install -e '.[ema]'``) for :func:`ema_model`;
:func:`housing_market` needs only the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from model.base.errors import ParameterError
from model.inputs.parameters import COARSEST_VALIDATED_SCALE, parameter_specs

SEPARATOR = "__"
RESERVED = {"policy", "scenario", "model"}  # the workbench's own column names
DEFAULT_UNCERTAINTIES = (
    "asylum.applications_factor",
    "asylum.recognition_rate",
    "stock.new_construction_per_year",
    "allocation.lottery_share",
)
DEFAULT_OUTCOMES = (
    "status_holders_in_reception_end_persons",
    "status_holders_in_reception_mean_persons",
    "reception_backlog_end_persons",
    "reception_cost_eur_per_year",
    "registration_years_median_regular",
    "time_in_reception_years_median",
)


def alias(name: str) -> str:
    """A dotted parameter name as a Python name: ``stock.x`` -> ``stock__x``."""
    return name.replace(".", SEPARATOR)


def dotted(python_name: str) -> str:
    """The dotted parameter name of an alias (a dotted name is returned as is).

    Raises:
        ParameterError: No parameter has that name.
    """
    name = python_name if "." in python_name else python_name.replace(SEPARATOR, ".", 1)
    if name not in parameter_specs():
        raise ParameterError(
            f"unknown parameter '{python_name}'; allowed: section__name for a parameter of "
            f"docs/parameters.md, e.g. {alias('stock.new_construction_per_year')}"
        )
    return name


def housing_market(
    housing_policy: str = "current-policy",
    seed: int = 1,
    months: int = 60,
    households_per_agent: int = COARSEST_VALIDATED_SCALE,
    outcomes: Iterable[str] = DEFAULT_OUTCOMES,
    **parameters: Any,
) -> dict[str, float]:
    """Run the model once and return its outcomes (a picklable top-level function).

    Args:
        housing_policy: The scenario (a name from ``python -m experiments scenarios``).
        seed: The run's seed; the same seed and settings give the same outcomes.
        months: Length of the run.
        households_per_agent: Scale (1:20 is the coarsest validated one).
        outcomes: Scalar outcomes of the registry (experiments/outcomes.py).
        **parameters: Model parameters as ``section__name=value`` (numpy
            scalars are fine; whole-number parameters are rounded).

    Returns:
        The outcomes by name, and ``seed``: the seed used.
    """
    from experiments.outcomes import OUTCOMES, RunView, check_names, needs_attribution
    from model.market import HousingMarket

    outcomes = list(outcomes)
    check_names(outcomes, "scalar")
    specs = parameter_specs()
    settings = {}
    for key, value in parameters.items():
        name = dotted(key)
        if isinstance(specs[name].value, int) and not isinstance(specs[name].value, bool):
            value = round(float(value))  # a sampled whole number
        settings[name] = value
    settings["calendar.months"] = int(months)
    model = HousingMarket(
        housing_policy,
        rng=int(seed),
        households_per_agent=int(households_per_agent),
        parameters=settings,
        attribution=needs_attribution(outcomes),
    )
    view = RunView(model.run())
    out = {name: float(OUTCOMES[name](view)) for name in outcomes}
    out["seed"] = model.seed
    return out


def policies(names: Iterable[str]) -> list:
    """EMA workbench policies (``Sample``\\ s of the ``housing_policy`` lever), one per scenario."""
    from ema_workbench import Sample

    return [Sample(name, housing_policy=name) for name in names]


def ema_model(
    uncertainties: Iterable[str] = DEFAULT_UNCERTAINTIES,
    outcomes: Iterable[str] = DEFAULT_OUTCOMES,
    months: int = 60,
    households_per_agent: int = COARSEST_VALIDATED_SCALE,
    seed: int = 1,
    name: str = "housing_market",
):
    """An ``ema_workbench.Model`` of :func:`housing_market`.

    Args:
        uncertainties: Dotted parameter names; each is varied over its
            plausible range (whole-number parameters as integers).
        outcomes: Scalar outcomes of the registry.
        months, households_per_agent, seed: Constants of every run.
        name: The workbench model's name.

    Raises:
        ParameterError: A parameter without a plausible range, or an unknown name.
    """
    from ema_workbench import (
        CategoricalParameter,
        Constant,
        IntegerParameter,
        Model,
        RealParameter,
        ScalarOutcome,
    )

    from experiments.outcomes import check_names
    from model.inputs.policy import scenario_names

    outcomes = list(outcomes)
    check_names(outcomes, "scalar")
    specs = parameter_specs()
    model = Model(name, function=housing_market)
    params = []
    for dotted_name in uncertainties:
        spec = specs.get(dotted_name)
        if spec is None or spec.low is None:
            raise ParameterError(
                f"parameter '{dotted_name}' has no plausible range (low/high in "
                "model/inputs/data/defaults.toml); allowed: "
                + ", ".join(n for n, s in specs.items() if s.low is not None)
            )
        if isinstance(spec.value, int):
            params.append(IntegerParameter(alias(dotted_name), int(spec.low), int(spec.high)))
        else:
            params.append(RealParameter(alias(dotted_name), float(spec.low), float(spec.high)))
    model.uncertainties = params
    model.levers = [CategoricalParameter("housing_policy", list(scenario_names()))]
    model.constants = [
        Constant("months", months),
        Constant("households_per_agent", households_per_agent),
        Constant("seed", seed),
    ]
    model.outcomes = [ScalarOutcome(o) for o in outcomes] + [ScalarOutcome("seed")]
    names = [p.name for p in params] + ["housing_policy", "months", "households_per_agent"]
    assert not RESERVED & set(names)
    return model
