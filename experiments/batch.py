"""Mesa's own ``batch_run`` with this model.

``mesa.batch_run`` builds each model as ``model_cls(**kwargs)`` and reads its
DataCollector. :class:`BatchMarket` makes that work here:

* parameters are keyword arguments under their column names
  (``stock_new_construction_per_year``; experiments/naming.py);
* the seed is a model reporter (``seed``), so that a row says which seed it
  came from even when ``batch_run`` is given ``rng=[None] * n`` (fresh seeds);
* the run stops after ``months`` (``model.running`` turns False), so
  ``max_steps`` may be anything at least that;
* the registry's scalar outcomes (experiments/outcomes.py) are model
  reporters too, filled in on the last month (NaN before).

Example::

    import mesa
    from experiments.batch import BatchMarket

    rows = mesa.batch_run(
        BatchMarket,
        parameters={
            "scenario": ["current-policy", "cabinet-package"],
            "months": 60,
            "asylum_applications_factor": [0.75, 1.0, 1.25],
        },
        rng=[1, 2],                # seeds; or [None] * 2 for fresh ones (then read 'seed')
        max_steps=60,
        number_processes=1,
        data_collection_period=-1,  # the last month only
        display_progress=False,
    )

Mind that ``batch_run`` keeps every row in memory and switches the whole
process to the spawn start method; for hundreds of runs use
``python -m experiments sweep`` (streams to Parquet, resumes).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from experiments.ema.model import DEFAULT_OUTCOMES
from experiments.naming import parameter_of
from model.inputs.parameters import COARSEST_VALIDATED_SCALE
from model.market import HousingMarket


def _final(model: BatchMarket, name: str) -> float:
    return model.final_outcomes.get(name, np.nan)


class BatchMarket(HousingMarket):
    """:class:`~model.market.HousingMarket` shaped for ``mesa.batch_run``.

    Args:
        scenario: Scenario name or file.
        rng: The seed (None: a fresh one, recorded in the ``seed`` reporter).
        months: Months to run; then ``running`` is False.
        households_per_agent: Scale.
        outcomes: Registry outcomes reported on the last month.
        **parameters: Model parameters as ``section_name=value`` (column names).
    """

    def __init__(
        self,
        scenario: str = "current-policy",
        *,
        rng: int | None = None,
        months: int = 120,
        households_per_agent: int = COARSEST_VALIDATED_SCALE,
        outcomes: tuple[str, ...] = DEFAULT_OUTCOMES,
        **parameters: Any,
    ):
        settings = {parameter_of(k): v for k, v in parameters.items()}
        settings["calendar.months"] = int(months)
        super().__init__(
            scenario, rng=rng, households_per_agent=households_per_agent, parameters=settings
        )
        self.months = int(months)
        self.outcome_names = tuple(outcomes)
        self.final_outcomes: dict[str, float] = {}
        reporters = dict(self.datacollector.model_reporters)
        reporters["seed"] = lambda m: m.seed
        reporters["scenario"] = lambda m: m.scenario_def.name
        for name in self.outcome_names:
            reporters[name] = partial(_final, name=name)
        # Rebuilt with the extra reporters; the start state is collected again.
        self.datacollector = type(self.datacollector)(model_reporters=reporters)
        self.datacollector.collect(self)

    def step(self) -> None:
        """One month; after the last, the registry's outcomes, and stop."""
        if not self.running:
            return
        super().step()
        if round(self.time) >= self.months:
            self.running = False
            from experiments.outcomes import evaluate

            self.final_outcomes = evaluate(self.results(), self.outcome_names)
            # The last collection ran before the outcomes existed: refresh its row.
            for name in self.outcome_names:
                self.datacollector.model_vars[name][-1] = self.final_outcomes[name]
