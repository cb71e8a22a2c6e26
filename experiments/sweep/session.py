"""A sweep session: prepare, write the folder, run what is missing, record it."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from experiments.output import OutputError, check_target, replacing
from experiments.sweep.design import RunTask, design_frame, prepare
from experiments.sweep.runner import Progress, execute, run_all
from experiments.sweep.spec import SweepSpec
from experiments.sweep.store import (
    MANIFEST,
    finished_runs,
    git_commit,
    held,
    load_manifest,
    model_version,
    store_run,
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

    Args:
        spec: The checked spec (:func:`load_spec`).
        out: The results folder.
        resume: Continue the sweep in ``out`` (the same spec), skipping the
            runs already written and trying failed ones again. Without an
            earlier sweep there, start one.
        overwrite: Replace an earlier sweep in ``out`` (without this, and
            without ``resume``, a folder holding a sweep is refused).
        workers: Worker processes (default: up to 2).
        scheduler: See :func:`executor`.
        limit: Run at most this many runs now (the rest with ``--resume``).
        runner: The function each worker runs (a top-level function of a task).
        progress: Show the progress line.
        log: Where messages go.

    Raises:
        SpecError: A run's settings are invalid (nothing has run).
        OutputError: ``out`` cannot be written, holds something else, or holds
            a sweep of another spec.
    """
    # Long on purpose: the sweep's run loop (resume, dispatch, record, progress, errors) in one
    # place, so that what happens on an interrupt is visible at once.
    started = time.perf_counter()
    sampled, applied, notes, run_tasks, warnings = prepare(spec)
    shown = str(out)
    target = check_target(Path(out), "--out", marks=(MANIFEST,))
    commit, version = git_commit(), model_version()
    identity = spec.identity()
    existing = (target / MANIFEST).exists()
    if existing and not resume and not overwrite:
        n = len(finished_runs(target))
        raise OutputError(
            f"--out '{shown}' holds a sweep ({n} runs done); allowed: --resume to continue it, "
            "--overwrite to start again, or another folder"
        )
    if existing and resume:
        manifest = load_manifest(target)
        if manifest.get("identity") != identity:
            raise OutputError(
                f"--out '{shown}' holds a sweep of another spec (identity "
                f"{manifest.get('identity')}, this spec {identity}); allowed: the same spec with "
                "--resume, or --overwrite, or another folder"
            )
        if manifest["sessions"] and manifest["sessions"][-1]["git_commit"] != commit:
            warnings.append(
                f"the model's commit changed since the sweep started "
                f"({manifest['sessions'][-1]['git_commit'][:12]} -> {commit[:12]}): its runs "
                "mix two versions (each row records its commit)"
            )
    else:
        manifest = {
            "title": spec.title,
            "description": spec.description,
            "identity": identity,
            "spec_file": spec.source,
            "created": dt.datetime.now().isoformat(timespec="seconds"),
            "scenarios": list(spec.scenarios),
            "seeds": list(spec.seeds),
            "months": spec.months,
            "households_per_agent": spec.households_per_agent,
            "outcomes": list(spec.outcomes),
            "series": list(spec.series),
            "design": dict(spec.design),
            "varied": [asdict(v) for v in spec.varied],
            "fixed": dict(spec.fixed),
            "points": len(applied),
            "runs": len(run_tasks),
            "coercions": notes,
            "warnings": warnings,
            "sessions": [],
        }
        with replacing(target, "--out", marks=(MANIFEST,)) as tmp:
            (tmp / "spec.toml").write_text(spec.text, encoding="utf-8")
            design_frame(spec, sampled, applied).to_parquet(tmp / "design.parquet", index=False)
            (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str) + "\n")
    for w in warnings:
        log(f"warning: {w}")

    with held(target, shown):
        done = finished_runs(target)
        todo = [t for t in run_tasks if t.run_id not in done]
        skipped = len(run_tasks) - len(todo)
        if limit is not None:
            todo = todo[:limit]
        session = {
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "git_commit": commit,
            "model_version": version,
            "scheduler": scheduler or "local",
            "workers": workers,
            "skipped": skipped,
            "ran": 0,
            "failed": 0,
            "finished": None,
        }
        manifest["sessions"].append(session)
        write_text(json.dumps(manifest, indent=2, default=str) + "\n", target / MANIFEST)
        log(
            f"{spec.title}: {len(run_tasks)} runs ({len(applied)} points x "
            f"{len(spec.scenarios)} scenarios x {len(spec.seeds)} seeds), "
            f"{skipped} already done, {len(todo)} to run"
        )
        meter = Progress(len(run_tasks), skipped) if progress and todo else None
        workers = workers or min(2, os.cpu_count() or 1)
        ran = failed = 0
        results = run_all(todo, workers, scheduler, runner)
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
    return SweepOutcome(
        target, len(run_tasks), skipped, ran, failed, time.perf_counter() - started, warnings, notes
    )
