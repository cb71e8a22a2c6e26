"""A sweep session: prepare, write the folder, run what is missing, record it."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from experiments.output import OutputError, check_target, replacing
from experiments.sweep.backends import Backend, connect
from experiments.sweep.design import RunTask, design_difference, design_frame, prepare
from experiments.sweep.runner import Progress, execute, run_all
from experiments.sweep.spec import SpecError, SweepSpec
from experiments.sweep.store import (
    MANIFEST,
    finished_runs,
    git_commit,
    held,
    load_design,
    load_manifest,
    model_version,
    new_manifest,
    new_session,
    store_run,
    write_parquet,
    write_summary,
    write_text,
)

# ------------------------------------------------------------------ the sweep


@dataclass
class SweepOutcome:
    """What a call of :func:`run_sweep` did."""

    out: Path
    total: int
    skipped: int
    ran: int
    failed: int
    seconds: float
    warnings: list[str]
    notes: list[str]


def run_sweep(
    spec: SweepSpec,
    out: str | Path,
    *,
    resume: bool = False,
    overwrite: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
    limit: int | None = None,
    runner: Callable[[RunTask], dict] = execute,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> SweepOutcome:
    """Run a sweep into ``out``: every run not yet there, one Parquet part each.

    Everything is checked before anything is written: the spec's runs, the
    folder, an earlier sweep there (on ``resume``: the same spec and the same
    design as its ``design.parquet``), and the scheduler.

    Args:
        spec: The checked spec (:func:`load_spec`).
        out: The results folder.
        resume: Continue the sweep in ``out`` (the same spec), skipping the
            runs already written and trying failed ones again. Without an
            earlier sweep there, start one.
        overwrite: Replace an earlier sweep in ``out`` (without this, and
            without ``resume``, a folder holding a sweep is refused).
        workers: Worker processes (default: up to 2).
        scheduler: See :func:`~experiments.sweep.backends.connect`.
        limit: Run at most this many runs now (the rest with ``--resume``).
        runner: The function each worker runs (a top-level function of a task).
        progress: Show the progress line.
        log: Where messages go.

    Raises:
        SpecError: A run's settings are invalid, or the scheduler is (nothing
            has run or been written).
        OutputError: ``out`` cannot be written, holds something else, or holds
            a sweep of another spec or design.
        ClusterLost: A Dask cluster lost all its workers (the finished runs stay).
    """
    if resume and overwrite:
        raise SpecError("--resume and --overwrite together; allowed: one of the two")
    started = time.perf_counter()
    sampled, applied, notes, run_tasks, warnings = prepare(spec)
    design = design_frame(spec, sampled, applied)
    target = check_target(Path(out), "--out", marks=(MANIFEST,))
    manifest = _earlier(spec, target, str(out), design, resume, overwrite, warnings)
    with connect(workers, scheduler) as backend:
        if manifest is None:
            manifest = new_manifest(spec, len(applied), len(run_tasks), notes, warnings)
            with replacing(target, "--out", marks=(MANIFEST,)) as tmp:
                (tmp / "spec.toml").write_text(spec.text, encoding="utf-8")
                write_parquet(design, tmp / "design.parquet")
                (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        for w in warnings:
            log(f"warning: {w}")
        with held(target, str(out)):
            skipped, ran, failed = _run_session(
                spec, target, manifest, run_tasks, backend, limit, runner, progress, log
            )
    seconds = time.perf_counter() - started
    return SweepOutcome(target, len(run_tasks), skipped, ran, failed, seconds, warnings, notes)


def _earlier(
    spec: SweepSpec,
    target: Path,
    shown: str,
    design: pd.DataFrame,
    resume: bool,
    overwrite: bool,
    warnings: list[str],
) -> dict | None:
    """The manifest of the sweep to continue, or None to start one (after the checks)."""
    if not (target / MANIFEST).exists() or overwrite:
        return None
    if not resume:
        n = len(finished_runs(target))
        raise OutputError(
            f"--out '{shown}' holds a sweep ({n} runs done); allowed: --resume to continue it, "
            "--overwrite to start again, or another folder"
        )
    manifest = load_manifest(target)
    identity = spec.identity()
    if manifest.get("identity") != identity:
        raise OutputError(
            f"--out '{shown}' holds a sweep of another spec (identity "
            f"{manifest.get('identity')}, this spec {identity}); allowed: the same spec with "
            "--resume, or --overwrite, or another folder"
        )
    difference = design_difference(load_design(target), design)
    if difference:
        raise OutputError(
            f"--out '{shown}': its design.parquet differs from the design this spec gives now "
            f"({difference}); allowed: --overwrite to start again, or another folder"
        )
    commit = git_commit()
    last = manifest["sessions"][-1]["git_commit"] if manifest["sessions"] else commit
    if last != commit:
        warnings.append(
            f"the model's commit changed since the sweep started ({last[:12]} -> "
            f"{commit[:12]}): its runs mix two versions (each row records its commit)"
        )
    return manifest


def _run_session(
    spec: SweepSpec,
    target: Path,
    manifest: dict,
    run_tasks: list[RunTask],
    backend: Backend,
    limit: int | None,
    runner,
    progress: bool,
    log,
) -> tuple[int, int, int]:
    """Run what is missing, recording the session in the manifest; (skipped, ran, failed)."""
    commit, version = git_commit(), model_version()
    done = finished_runs(target)
    todo = [t for t in run_tasks if t.run_id not in done]
    skipped = len(run_tasks) - len(todo)
    todo = todo if limit is None else todo[:limit]
    session = new_session(commit, version, backend.scheduler, backend.workers, skipped)
    manifest["sessions"].append(session)
    write_text(json.dumps(manifest, indent=2, default=str) + "\n", target / MANIFEST)
    log(
        f"{spec.title}: {len(run_tasks)} runs ({manifest['points']} points x "
        f"{len(spec.scenarios)} scenarios x {len(spec.seeds)} seeds), "
        f"{skipped} already done, {len(todo)} to run"
    )
    meter = Progress(len(run_tasks), skipped) if progress and todo else None
    ran = failed = 0
    results = run_all(todo, backend, runner)
    try:
        for task, result in results:
            ok = store_run(target, task, result, spec, commit, version)
            ran += 1
            failed += not ok
            if meter:
                meter.update(ok)
    finally:
        results.close()  # on an interrupt: stop the workers now
        if meter:
            meter.close()
        session.update(ran=ran, failed=failed)
        session["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        write_text(json.dumps(manifest, indent=2, default=str) + "\n", target / MANIFEST)
    if len(finished_runs(target)) == len(run_tasks):
        write_summary(target)
    return skipped, ran, failed
