"""An evaluator for the workbench: worker processes that die with their parent, robust
optimisation scored per policy, and (for the robust search) a cache of finished runs.

Use :class:`PoolEvaluator` where the workbench takes an evaluator::

    with PoolEvaluator(model, workers=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=50, policies=4)
        pareto, convergence = evaluator.robust_optimize(robustness, scenarios, nfe=200,
                                                        epsilons=[...], filename=..., directory=...)

Why not the workbench's own:

* its ``MultiprocessingEvaluator`` leaves its workers running when the
  parent is killed; these end with it (experiments/sweep/backends.py);
* in ema_workbench 3.0.0, ``robust_optimize`` applies each robustness
  function to the outcomes of every policy of a generation together, so that
  all policies of a generation get the same scores (tests/test_ema.py shows
  it). Here each policy is scored on its own runs, and the values reach the
  robustness function in the order of the scenarios given to
  ``robust_optimize`` (so a regret can pair them with a reference).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, wait
from typing import Any

import numpy as np
import pandas as pd
from ema_workbench.em_framework import optimization
from ema_workbench.em_framework.evaluators import BaseEvaluator, perform_experiments
from ema_workbench.em_framework.experiment_runner import ExperimentRunner

from experiments.sweep.backends import process_pool


class BudgetSpent(Exception):
    """The evaluator ran as many new runs as it was allowed (the rest with a resume)."""


def run_experiment(models: list, experiment) -> dict[str, Any]:
    """Run one workbench experiment in this process (what a worker does).

    A copy of the outcomes: the workbench's model hands out one dict that its
    next run overwrites (``reset_model`` clears another attribute in 3.0.0).
    """
    runner = ExperimentRunner(models)
    try:
        return dict(runner.run_experiment(experiment))
    finally:
        runner.cleanup()


class PoolEvaluator(BaseEvaluator):
    """Runs experiments in worker processes that end with this process.

    Args:
        msis: The model (or models).
        workers: Worker processes (1: in this process).
        cache: Optional store of finished experiments: an object with
            ``get(experiment) -> outcomes | None`` and ``put(experiment,
            outcomes)`` (the robust search keeps one on disk, to resume).
        budget: At most this many new (uncached) experiments; then
            :class:`BudgetSpent` is raised, after every finished one is stored.
    """

    def __init__(self, msis, workers: int = 1, cache=None, budget: int | None = None):
        super().__init__(msis)
        self.workers, self.cache, self.budget = workers, cache, budget
        self.ran = self.reused = 0
        self._stack: contextlib.ExitStack | None = None
        self._pool = None

    def initialize(self) -> None:
        self._stack = contextlib.ExitStack()
        self._pool = self._stack.enter_context(process_pool(self.workers))

    def finalize(self) -> None:
        if self._stack is not None:
            self._stack.close()
        self._stack = self._pool = None

    def evaluate_experiments(self, experiments: Iterable, callback: Callable, **kwargs) -> None:
        """Run each experiment not in the cache; hand every result to ``callback``."""
        if self._pool is None:
            raise RuntimeError("use the evaluator in a with block (it starts the workers)")
        flying = {}
        for experiment in experiments:
            cached = self.cache.get(experiment) if self.cache is not None else None
            if cached is not None:
                self.reused += 1
                callback(experiment, cached)
                continue
            if self.budget is not None and self.ran + len(flying) >= self.budget:
                self._finish(flying, callback)
                raise BudgetSpent(f"{self.ran} new runs: the budget for this session")
            flying[self._pool.submit(run_experiment, self._msis, experiment)] = experiment
            if len(flying) >= 2 * max(self.workers, 1):
                self._finish(flying, callback, until=len(flying) - 1)
        self._finish(flying, callback)

    def _finish(self, flying: dict, callback: Callable, until: int = 0) -> None:
        """Wait until at most ``until`` experiments are in flight, storing each result."""
        while len(flying) > until:
            done, _ = wait(list(flying), return_when=FIRST_COMPLETED)
            for future in done:
                experiment = flying.pop(future)
                outcomes = future.result()
                self.ran += 1
                if self.cache is not None:
                    self.cache.put(experiment, outcomes)
                callback(experiment, outcomes)

    def evaluate_all(self, jobs: list, **kwargs) -> list:
        """Evaluate a generation for platypus; robust scores per policy (see the module)."""
        if not jobs:
            return jobs
        problem = jobs[0].solution.problem
        if problem.searchover != "robust":
            return super().evaluate_all(jobs, **kwargs)
        scenarios, policies = optimization.process_jobs(jobs)
        callback = perform_experiments(
            self._msis, scenarios=scenarios, policies=policies, evaluator=self, return_callback=True
        )
        experiments, outcomes = callback.get_results()
        order = {s.name: k for k, s in enumerate(scenarios)}
        for policy, job in zip(policies, jobs, strict=True):
            rows = np.flatnonzero((experiments["policy"] == policy.name).to_numpy())
            rows = rows[np.argsort(experiments["scenario"].iloc[rows].map(order).to_numpy())]
            _score(job, problem, experiments.iloc[rows], {k: v[rows] for k, v in outcomes.items()})
        return jobs


def _score(job, problem, experiments: pd.DataFrame, outcomes: dict[str, np.ndarray]) -> None:
    """Give a platypus job its policy's robustness scores (and constraints)."""
    scores = {
        objective.name: objective.function(*[outcomes[v] for v in objective.variable_name])
        for objective in problem.objectives
    }
    values = [scores[name] for name in problem.outcome_names]
    constraints = optimization._evaluate_constraints(
        experiments.iloc[0], scores, problem.ema_constraints
    )
    if constraints:
        job.solution.problem.function = lambda _, v=values, c=constraints: (v, c)
    else:
        job.solution.problem.function = lambda _, v=values: v
    job.solution.evaluate()
