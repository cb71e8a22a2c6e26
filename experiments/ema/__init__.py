"""The model for the EMA workbench (exploratory modelling and analysis).

Needs the ``ema`` extra (``pip install -e '.[ema]'``, which ``make`` installs;
ema_workbench 3.0.0) for the model and the evaluator; :func:`housing_market`
needs only the model. Names follow experiments/naming.py (a parameter's dot
as an underscore). A session as an exploratory modeller would run it::

    from ema_workbench import perform_experiments
    from ema_workbench.analysis import prim
    from experiments.ema import ema_model
    from experiments.ema.evaluators import PoolEvaluator

    model = ema_model(seeds=(1, 2), months=60)   # uncertainties, levers, constants, seeds
    with PoolEvaluator(model, workers=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=100, policies=8)
        front, convergence = evaluator.optimize(nfe=500, epsilons=[...], filename=...,
                                                directory=...)

Modules: :mod:`~experiments.ema.model` (the function and the model),
:mod:`~experiments.ema.evaluators` (worker processes that die with their
parent, robust optimisation scored per policy),
:mod:`~experiments.ema.robustness` (percentile and regret metrics). The
many-objective robust search on the command line is ``python -m experiments
robust SPEC`` (experiments/robust/); scenario discovery with PRIM is
experiments/prim_example.py.
"""

import contextlib
import warnings

# The workbench warns at import about an evaluator not used here; without the 'ema' extra,
# housing_market still works.
with warnings.catch_warnings(), contextlib.suppress(ImportError):
    warnings.filterwarnings("ignore", "ipyparallel not installed", UserWarning)
    import ema_workbench  # noqa: F401

from experiments.ema.model import (
    DEFAULT_LEVERS,
    DEFAULT_OUTCOMES,
    DEFAULT_UNCERTAINTIES,
    direction,
    ema_model,
    housing_market,
    parameter_range,
)

__all__ = [
    "DEFAULT_LEVERS",
    "DEFAULT_OUTCOMES",
    "DEFAULT_UNCERTAINTIES",
    "direction",
    "ema_model",
    "housing_market",
    "parameter_range",
]
