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

The package in reading order, each importing only those before it:
``spec`` (the file, checked), ``design`` (points and runs), ``store`` (the
folder), ``backends`` (worker processes or a Dask cluster), ``runner`` (a run,
the run loop, progress), ``session`` (:func:`run_sweep`).
"""

from experiments.sweep.backends import Backend, ClusterLost, connect
from experiments.sweep.design import (
    RunTask,
    check_runs,
    coerce,
    prepare,
    sample,
    scenario_key,
    tasks,
)
from experiments.sweep.runner import Progress, execute, run_all
from experiments.sweep.session import SweepOutcome, run_sweep
from experiments.sweep.spec import SpecError, SweepSpec, Varied, load_spec
from experiments.sweep.store import (
    MANIFEST,
    finished_runs,
    git_commit,
    load_design,
    load_manifest,
    load_series,
    load_sweep,
    model_version,
    summarise,
    write_summary,
)

__all__ = [
    "MANIFEST",
    "Backend",
    "ClusterLost",
    "Progress",
    "RunTask",
    "SpecError",
    "SweepOutcome",
    "SweepSpec",
    "Varied",
    "check_runs",
    "coerce",
    "connect",
    "execute",
    "finished_runs",
    "git_commit",
    "load_design",
    "load_manifest",
    "load_series",
    "load_spec",
    "load_sweep",
    "model_version",
    "prepare",
    "run_all",
    "run_sweep",
    "sample",
    "scenario_key",
    "summarise",
    "tasks",
    "write_summary",
]
