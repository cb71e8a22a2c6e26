"""The robust search's folder: finished experiments kept on disk, so that a search resumes.

Every experiment (one policy on one scenario of the ensemble, on every seed)
is written as it finishes: ``evaluations/<hash>.parquet``, one row holding its
key (the levers' values and the scenario), the levers and the outcomes (means
over the seeds). A resumed search replays the optimisation from its seed:
the same policies come up in the same order, their runs are read back
instead of run again, and the search goes on where it stopped.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.sweep.store import write_parquet

KEY = ("identifier", "the experiment: the levers' values and the scenario, as JSON")
MEMBER = ("name", "the scenario of the ensemble (a row of ensemble.parquet)")


def plain(value: Any) -> Any:
    """A lever's value as JSON writes it exactly: numpy scalars as Python ones."""
    return value.item() if isinstance(value, np.generic) else value


def experiment_key(member: str, levers: dict[str, Any]) -> str:
    """The key of one policy (its levers' values) on one scenario of the ensemble."""
    values = {k: plain(v) for k, v in sorted(levers.items())}
    return json.dumps({"scenario": member, "levers": values}, sort_keys=True)


class EvaluationCache:
    """Finished experiments, on disk and in memory (see the module).

    Args:
        folder: ``evaluations/`` of the search's folder.
        outcomes: The outcomes each experiment gives.
    """

    def __init__(self, folder: Path, outcomes: list[str]):
        self.folder, self.outcomes = folder, list(outcomes)
        self.table: dict[str, dict[str, float]] = {}
        for path in sorted(folder.glob("*.parquet")):
            row = pd.read_parquet(path).iloc[0]
            self.table[row["key"]] = {o: row[o] for o in self.outcomes}

    def __len__(self) -> int:
        return len(self.table)

    def get(self, experiment) -> dict[str, float] | None:
        """The outcomes of a finished experiment, or None."""
        return self.table.get(experiment_key(experiment.scenario.name, dict(experiment.policy)))

    def lookup(self, member: str, levers: dict[str, Any]) -> dict[str, float]:
        """The outcomes of a policy on a scenario (KeyError if it never ran)."""
        return self.table[experiment_key(member, levers)]

    def put(self, experiment, outcomes: dict[str, Any]) -> None:
        """Keep an experiment's outcomes (written atomically before it counts as done)."""
        levers = dict(experiment.policy)
        key = experiment_key(experiment.scenario.name, levers)
        values = {o: float(outcomes[o]) for o in self.outcomes}
        row = {
            "key": key,
            "ensemble_member": experiment.scenario.name,
            **{k: plain(v) for k, v in levers.items()},
            **values,
        }
        name = hashlib.sha256(key.encode()).hexdigest()[:24]
        write_parquet(
            pd.DataFrame([row]),
            self.folder / f"{name}.parquet",
            {"key": KEY, "ensemble_member": MEMBER},
        )
        self.table[key] = values
