"""The many-objective robust search: levers that hold up across an ensemble of futures.

:func:`run_search` builds the workbench model from the spec (experiments/ema),
samples the ensemble (a Latin hypercube over the uncertainties), runs the
reference policy (the timeline with its levers as they are) on it, and lets
epsilon-NSGA-II search the levers, scoring each policy by a robustness
metric per objective over the whole ensemble (experiments/ema/robustness.py).
Every policy and the reference meet the same scenarios on the same seeds
(common random numbers), so their differences are the levers', not luck.

The folder (``--out``) holds ``manifest.json`` (the spec, its identity, every
session: commit, libraries, workers, runs made and reused, wall time),
``spec.toml``, ``ensemble.parquet``, ``evaluations/`` (every finished
experiment, experiments/robust/store.py), and once the search is done
``pareto.parquet`` and ``pareto.csv`` (each policy's levers, robustness
scores and outcome ranges over the ensemble, the reference last),
``convergence.csv`` and ``report.html``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from experiments.output import OutputError, check_target, replacing
from experiments.robust.spec import RobustSpec
from experiments.robust.store import MEMBER, EvaluationCache
from experiments.sweep.store import (
    git_commit,
    held,
    library_versions,
    load_manifest,
    model_version,
    write_parquet,
    write_text,
)

MANIFEST = "manifest.json"
REFERENCE = "reference"
RANGES = ("min", "p10", "median", "p90", "max")


@dataclass
class SearchOutcome:
    """What a call of :func:`run_search` did."""

    out: Path
    finished: bool
    ran: int
    reused: int
    seconds: float
    pareto: pd.DataFrame | None


def build(spec: RobustSpec):
    """The workbench model and the ensemble of scenarios (checked; nothing runs).

    Raises:
        ParameterError: A setting the model refuses (every varied parameter is
            checked at both ends of its range).
    """
    from ema_workbench import Sample
    from ema_workbench.em_framework.samplers import LHSSampler

    from experiments.ema import ema_model

    model = ema_model(
        list(spec.uncertainties),
        list(spec.levers),
        sorted({o.outcome for o in spec.objectives}),
        timeline=spec.timeline,
        seeds=spec.seeds,
        months=spec.months,
        households_per_agent=spec.households_per_agent,
        fixed=spec.fixed,
        ranges={**spec.uncertainties, **spec.levers},
        name="housing_market",
    )
    samples = LHSSampler().generate_samples(
        model.uncertainties, spec.ensemble_size, rng=spec.ensemble_seed
    )
    ensemble = [Sample(f"e{k:04d}", **dict(s)) for k, s in enumerate(samples)]
    return model, ensemble


def replaced_schedules(spec: RobustSpec) -> list[str]:
    """Warnings: levers and uncertainties whose schedule or value the timeline sets (the
    search's value replaces it for the whole run)."""
    from model.inputs.policy import load_scenario

    scenario = load_scenario(spec.timeline)
    return [
        f"'{name}' replaces the timeline's {'schedule' if name in scenario.levers else 'value'} "
        f"for it (a searched or sampled value holds for the whole run)"
        for name in [*spec.levers, *spec.uncertainties]
        if name in scenario.levers or name in scenario.parameters
    ]


def run_search(
    spec: RobustSpec,
    out: str | Path,
    *,
    resume: bool = False,
    overwrite: bool = False,
    workers: int | None = None,
    limit: int | None = None,
    log=print,
) -> SearchOutcome:
    """Run (or continue) a robust search into ``out``.

    Args:
        spec: The checked spec (:func:`~experiments.robust.spec.load_robust_spec`).
        out: The results folder.
        resume: Continue the search in ``out`` (the same spec): finished
            experiments are read back, not run again.
        overwrite: Start again in a folder that holds a search.
        workers: Worker processes (default: up to 2); they end with this process.
        limit: Run at most this many new experiments now (then stop; continue
            with ``resume``).
        log: Where messages go.

    Raises:
        ParameterError: The spec's settings are refused (nothing written).
        OutputError: ``out`` holds something else, or a search of another spec.
    """
    started = time.perf_counter()
    model, ensemble = build(spec)
    target = check_target(Path(out), "--out", marks=(MANIFEST,))
    manifest = _earlier(spec, target, str(out), resume, overwrite)
    workers = workers or min(2, os.cpu_count() or 1)
    if manifest is None:
        manifest = _new_folder(spec, target, ensemble)
    for warning in replaced_schedules(spec):
        log(f"warning: {warning}")
    with held(target, str(out)):
        return _session(spec, target, manifest, model, ensemble, workers, limit, log, started)


def _earlier(spec: RobustSpec, target: Path, shown: str, resume: bool, overwrite: bool):
    """The manifest of the search to continue, or None to start one."""
    if resume and overwrite:
        raise OutputError("--resume and --overwrite together; allowed: one of the two")
    if not (target / MANIFEST).exists() or overwrite:
        return None
    manifest = load_manifest(target)
    if not resume:
        raise OutputError(
            f"--out '{shown}' holds a robust search; allowed: --resume to continue it, "
            "--overwrite to start again, or another folder"
        )
    if manifest.get("identity") != spec.identity():
        raise OutputError(
            f"--out '{shown}' holds a search of another spec (identity {manifest.get('identity')}"
            f", this spec {spec.identity()}); allowed: the same spec with --resume, --overwrite, "
            "or another folder"
        )
    return manifest


def _new_folder(spec: RobustSpec, target: Path, ensemble: list) -> dict:
    from experiments.naming import column_of

    manifest = {
        "title": spec.title,
        "description": spec.description,
        "identity": spec.identity(),
        "spec_file": spec.source,
        "created": dt.datetime.now().isoformat(timespec="seconds"),
        "spec": {k: v for k, v in asdict(spec).items() if k != "text"},
        "columns": {n: column_of(n) for n in [*spec.uncertainties, *spec.levers]},
        "warnings": replaced_schedules(spec),
        "sessions": [],
    }
    frame = pd.DataFrame([{"ensemble_member": s.name, **dict(s)} for s in ensemble])
    with replacing(target, "--out", marks=(MANIFEST,)) as tmp:
        (tmp / "spec.toml").write_text(spec.text, encoding="utf-8")
        write_parquet(frame, tmp / "ensemble.parquet", {"ensemble_member": MEMBER})
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    return manifest


def _session(spec, target, manifest, model, ensemble, workers, limit, log, started):
    """Run the search in the held folder, recording the session; write the results if done."""
    from experiments.ema.evaluators import BudgetSpent, PoolEvaluator

    cache = EvaluationCache(target / "evaluations", [o.outcome for o in spec.objectives])
    session = {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "model_version": model_version(),
        "libraries": library_versions(),
        "workers": workers,
        "finished": None,
    }
    manifest["sessions"].append(session)
    write_text(json.dumps(manifest, indent=2, default=str) + "\n", target / MANIFEST)
    log(
        f"{spec.title}: {spec.nfe} policies (and the reference) x {spec.ensemble_size} "
        f"scenarios x {len(spec.seeds)} seeds, at most {spec.runs:,} runs; "
        f"{len(cache)} experiments already done"
    )
    evaluator = PoolEvaluator(model, workers=workers, cache=cache, budget=limit)
    front = convergence = None
    try:
        with evaluator:
            reference = _reference(evaluator, ensemble, spec)
            front, convergence = _optimise(evaluator, ensemble, spec, reference)
    except BudgetSpent:
        log(f"stopped after {evaluator.ran} new experiments (--limit); continue with --resume")
    finally:
        session.update(ran=evaluator.ran, reused=evaluator.reused)
        session["seconds"] = round(time.perf_counter() - started, 1)
        session["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        write_text(json.dumps(manifest, indent=2, default=str) + "\n", target / MANIFEST)
    pareto = None
    if front is not None:
        pareto = pareto_table(front, cache, ensemble, spec)
        _write_results(target, spec, pareto, convergence, manifest)
    return SearchOutcome(
        target,
        front is not None,
        evaluator.ran,
        evaluator.reused,
        time.perf_counter() - started,
        pareto,
    )


def _reference(evaluator, ensemble: list, spec: RobustSpec) -> dict:
    """The reference policy (the timeline, levers untouched) on the ensemble: per outcome,
    its values in the ensemble's order."""
    from ema_workbench import Sample

    experiments, outcomes = evaluator.perform_experiments(
        scenarios=ensemble, policies=[Sample(REFERENCE)]
    )
    assert list(experiments["scenario"].astype(str)) == [s.name for s in ensemble]
    return outcomes


def _optimise(evaluator, ensemble: list, spec: RobustSpec, reference: dict):
    from experiments.ema.robustness import robustness_outcome

    robustness = [
        robustness_outcome(o.outcome, o.metric, o.percentile, reference=reference[o.outcome])
        for o in spec.objectives
    ]
    with tempfile.TemporaryDirectory(prefix="robust-archives-") as archives:
        return evaluator.robust_optimize(
            robustness,
            ensemble,
            nfe=spec.nfe,
            epsilons=[o.epsilon for o in spec.objectives],
            population_size=spec.population,
            rng=spec.search_seed,
            convergence_freq=spec.population,
            filename="archives.tar.gz",
            directory=archives,
        )


def pareto_table(front: pd.DataFrame, cache, ensemble: list, spec: RobustSpec) -> pd.DataFrame:
    """Each Pareto policy (and the reference, last): levers, robustness scores, and each
    outcome's range over the ensemble (min, 10th, 50th, 90th percentile, max)."""
    from experiments.naming import column_of
    from model.inputs.parameters import parameter_specs

    whole = {column_of(n): isinstance(parameter_specs()[n].value, int) for n in spec.levers}
    outcomes = sorted({o.outcome for o in spec.objectives})
    rows = []
    front = front.sort_values(spec.objectives[0].name, ignore_index=True)
    for k, policy in front.iterrows():
        # As the runs had them: whole-number levers as ints (the front holds them as floats).
        values = {c: int(policy[c]) if w else float(policy[c]) for c, w in whole.items()}
        row = {
            "policy": f"P{k + 1:02d}",
            **values,
            **{o.name: policy[o.name] for o in spec.objectives},
        }
        rows.append(row | _ranges(cache, ensemble, values, outcomes))
    reference = {"policy": REFERENCE, **_reference_scores(cache, ensemble, spec)}
    return pd.DataFrame([*rows, reference | _ranges(cache, ensemble, {}, outcomes)])


def _reference_scores(cache, ensemble: list, spec: RobustSpec) -> dict[str, float]:
    """The reference policy's own robustness (its regret is 0 by definition)."""
    from experiments.ema.robustness import robustness_outcome

    scores = {}
    for o in spec.objectives:
        values = [cache.lookup(s.name, {})[o.outcome] for s in ensemble]
        scores[o.name] = robustness_outcome(
            o.outcome, o.metric, o.percentile, reference=values
        ).function(values)
    return scores


def _ranges(cache, ensemble: list, levers: dict, outcomes: list[str]) -> dict:
    import numpy as np

    out = {}
    for outcome in outcomes:
        x = np.array([cache.lookup(s.name, levers)[outcome] for s in ensemble], float)
        for name, q in zip(RANGES, (0, 10, 50, 90, 100), strict=True):
            out[f"{outcome}_{name}"] = float(np.percentile(x, q))
    return out


def _write_results(target: Path, spec: RobustSpec, pareto: pd.DataFrame, convergence, manifest):
    from experiments.robust.report import write_report

    docs = column_docs(spec)
    write_parquet(pareto, target / "pareto.parquet", docs)
    write_text(pareto.to_csv(index=False), target / "pareto.csv")
    write_text(convergence.to_csv(index=False), target / "convergence.csv")
    write_report(target / "report.html", spec, pareto, convergence, manifest)


def column_docs(spec: RobustSpec) -> dict[str, tuple[str, str]]:
    """(unit, description) of the Pareto table's columns that are not parameters."""
    from experiments.outcomes import OUTCOMES

    docs = {
        "policy": (
            "name",
            f"a policy of the Pareto set (P01, ...) or '{REFERENCE}': the "
            "timeline with its levers as they are",
        )
    }
    for o in spec.objectives:
        unit = OUTCOMES[o.outcome].unit
        docs[o.name] = (unit, describe_objective(o))
    for outcome in {o.outcome for o in spec.objectives}:
        for name in RANGES:
            docs[f"{outcome}_{name}"] = (
                OUTCOMES[outcome].unit,
                f"{OUTCOMES[outcome].description}: its {name} over the ensemble (each "
                "scenario's value the mean over the seeds)",
            )
    return docs


def describe_objective(o) -> str:
    """An objective in words."""
    from experiments.outcomes import OUTCOMES

    worse = OUTCOMES[o.outcome].higher_is == "worse"
    if o.metric == "percentile":
        q = o.percentile if worse else 100 - o.percentile
        return (
            f"{o.outcome}: its {q:g}th percentile over the ensemble (the bad tail; "
            f"{'lower' if worse else 'higher'} is better)"
        )
    return (
        f"{o.outcome}: regret, how much worse than the reference policy in the same "
        f"scenario and seeds; its {o.percentile:g}th percentile over the ensemble "
        "(lower is better; below 0: better than the reference nearly everywhere)"
    )
