"""Robustness metrics for ``robust_optimize``: an outcome over an ensemble of scenarios,
reduced to one number per policy, in the outcome's own unit.

* :class:`Percentile`: the outcome in the ensemble's bad tail (its 90th
  percentile when higher is worse, its 10th when higher is better, for
  ``q = 90``): what the policy gives in a bad but not the worst case;
* :class:`Regret`: how much worse the policy does than a reference policy in
  the same scenario and on the same seeds, scenario by scenario, and then the
  q-th percentile of that over the ensemble (``q = 100``: the largest regret).
  The reference is the policy timeline with its levers as they are, so a
  regret below zero means better than today's levers in (nearly) every
  scenario.

Both are picklable callables; :func:`robustness_outcome` wraps one as the
workbench's ``ScalarOutcome`` with its direction.
"""

from __future__ import annotations

import numpy as np

METRICS = ("percentile", "regret")


class Percentile:
    """The q-th percentile of an outcome over the ensemble."""

    def __init__(self, q: float):
        self.q = q

    def __call__(self, values) -> float:
        return float(np.percentile(np.asarray(values, float), self.q))


class Regret:
    """The q-th percentile over the ensemble of (policy - reference), signed so that
    positive is worse, scenario by scenario.

    Args:
        reference: The reference policy's outcome per scenario, in the order in
            which the evaluator hands over the policy's values (the order of the
            scenarios given to ``robust_optimize``).
        q: The percentile (100: the largest regret).
        higher_is_worse: The outcome's direction.
    """

    def __init__(self, reference, q: float = 100, higher_is_worse: bool = True):
        self.reference = np.asarray(reference, float)
        self.q, self.sign = q, 1.0 if higher_is_worse else -1.0

    def __call__(self, values) -> float:
        values = np.asarray(values, float)
        if values.shape != self.reference.shape:
            raise ValueError(
                f"{len(values)} values for a regret against {len(self.reference)} scenarios"
            )
        return float(np.percentile(self.sign * (values - self.reference), self.q))


def objective_name(outcome: str, metric: str, q: float) -> str:
    """``<outcome>_p90`` or ``<outcome>_regret_p100`` (one naming scheme, no dots)."""
    tail = f"p{q:g}".replace(".", "_")
    return f"{outcome}_{tail}" if metric == "percentile" else f"{outcome}_regret_{tail}"


def robustness_outcome(outcome: str, metric: str = "percentile", q: float = 90, reference=None):
    """A robustness function as the workbench's ``ScalarOutcome``.

    Args:
        outcome: A registry outcome with a direction (``higher_is`` worse or better).
        metric: ``percentile`` or ``regret``.
        q: For ``percentile``: the bad tail's percentile, counted from the bad
            side (90 means the 90th percentile of a higher-is-worse outcome and
            the 10th of a higher-is-better one). For ``regret``: the percentile
            of the regrets (100: the largest).
        reference: For ``regret``: the reference policy's values per scenario.

    Raises:
        ValueError: A neutral outcome, an unknown metric, or a regret without reference.
    """
    from ema_workbench import ScalarOutcome

    from experiments.outcomes import OUTCOMES

    higher_is = OUTCOMES[outcome].higher_is
    if higher_is == "neutral":
        raise ValueError(f"outcome '{outcome}' is neither better nor worse when higher")
    worse = higher_is == "worse"
    name = objective_name(outcome, metric, q)
    if metric == "percentile":
        kind = ScalarOutcome.MINIMIZE if worse else ScalarOutcome.MAXIMIZE
        function = Percentile(q if worse else 100 - q)
    elif metric == "regret":
        if reference is None:
            raise ValueError("a regret needs the reference policy's values per scenario")
        kind, function = ScalarOutcome.MINIMIZE, Regret(reference, q, worse)
    else:
        raise ValueError(f"metric {metric!r}; allowed: {', '.join(METRICS)}")
    return ScalarOutcome(name, kind=kind, variable_name=outcome, function=function)
