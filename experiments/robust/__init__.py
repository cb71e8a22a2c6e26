"""Many-objective robust search over the levers: ``python -m experiments robust SPEC``.

Modules in reading order: :mod:`~experiments.robust.spec` (the spec file,
checked), :mod:`~experiments.robust.store` (finished experiments on disk, for
resuming), :mod:`~experiments.robust.search` (the search and its folder),
:mod:`~experiments.robust.report` (the HTML report),
:mod:`~experiments.robust.command` (the command). docs/robust-search.md is
the guide; experiments/specs/robust-example.toml an example.
"""

from experiments.robust.search import SearchOutcome, build, run_search
from experiments.robust.spec import Objective, RobustSpec, RobustSpecError, load_robust_spec

__all__ = [
    "Objective",
    "RobustSpec",
    "RobustSpecError",
    "SearchOutcome",
    "build",
    "load_robust_spec",
    "run_search",
]
