"""The results folder: atomic Parquet parts, the manifest, loading, the summary."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.naming import column_of
from experiments.output import OutputError
from experiments.sweep.design import RunTask, scenario_key
from experiments.sweep.fields import with_metadata
from experiments.sweep.spec import SweepSpec

MANIFEST = "manifest.json"
CHECKOUT = Path(__file__).resolve().parents[2]  # the checkout holding model/ and experiments/

# ------------------------------------------------------------------ the folder


def write_parquet(
    frame: pd.DataFrame, path: Path, extra: Mapping[str, tuple[str, str]] | None = None
) -> None:
    """Write a Parquet file atomically (a hidden temporary file, flushed, then renamed), each
    field with its unit and description (:mod:`experiments.sweep.fields`; ``extra`` for
    columns it does not know)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import pyarrow.parquet as pq

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(with_metadata(frame, extra), tmp)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_text(text: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# The libraries whose versions can change what a sweep samples, runs or writes.
LIBRARIES = ("numpy", "pandas", "pyarrow", "SALib", "Mesa", "ema_workbench", "dask", "distributed")


def library_versions() -> dict[str, str]:
    """Python's version and each library's (``not installed`` where it is missing)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def new_manifest(
    spec: SweepSpec, points: int, runs: int, notes: list[str], warnings: list[str]
) -> dict:
    """The manifest of a new sweep: the spec as read, its identity, its size, the checks."""
    return {
        "title": spec.title,
        "description": spec.description,
        "identity": spec.identity(),
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
        "columns": {v.name: column_of(v.name) for v in spec.varied},
        "fixed": dict(spec.fixed),
        "points": points,
        "runs": runs,
        "coercions": notes,
        "warnings": warnings,
        "sessions": [],
    }


def new_session(commit: str, version: str, scheduler: str, workers: int, skipped: int) -> dict:
    """A session's record: what ran it (commit, libraries, the workers it really had)."""
    return {
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "git_commit": commit,
        "model_version": version,
        "libraries": library_versions(),
        "scheduler": scheduler,
        "workers": workers,
        "skipped": skipped,
        "ran": 0,
        "failed": 0,
        "finished": None,
    }


def model_version() -> str:
    """The installed project's version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("woonruimteverdeling")
    except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def git_commit() -> str:
    """The commit of the checkout the model is imported from, ``-dirty`` if it has changes."""
    root = CHECKOUT
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "status",
                "--porcelain",
                "--",
                "model",
                "agents",
                "experiments",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


@contextlib.contextmanager
def held(folder: Path, shown: str) -> Iterator[None]:
    """Hold the results folder's lock (the one experiments/output.py uses) while running."""
    from experiments import output

    lock_path = folder.with_name(f".{folder.name}.lock")
    fd = output._lock(lock_path, shown, "--out")
    try:
        yield
    finally:
        output._unlock(lock_path, fd)


def finished_runs(out: Path) -> set[str]:
    """The run ids with a result in ``out/runs``."""
    return {p.stem for p in (out / "runs").glob("*.parquet")}


def load_manifest(out: str | Path) -> dict:
    """The sweep's manifest (raises OutputError when ``out`` holds no sweep)."""
    out = Path(out)
    allowed = f"allowed: a sweep's results folder (it holds {MANIFEST})"
    if out.exists() and not out.is_dir():
        raise OutputError(f"'{out}' is not a folder; {allowed}")
    try:
        return json.loads((out / MANIFEST).read_text())
    except FileNotFoundError:
        raise OutputError(f"'{out}' holds no sweep ({MANIFEST} missing); {allowed}") from None
    except (OSError, ValueError) as err:
        raise OutputError(f"'{out}': {MANIFEST} cannot be read ({err}); {allowed}") from None


def _read_parts(folder: Path) -> pd.DataFrame:
    files = sorted(folder.glob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


def load_sweep(out: str | Path, errors: bool = False) -> pd.DataFrame:
    """A sweep's runs as one DataFrame: a row per (point, scenario, seed), sorted.

    Args:
        out: The sweep's results folder.
        errors: Return the errors table instead (a row per run that raised).
    """
    out = Path(out)
    load_manifest(out)
    frame = _read_parts(out / ("errors" if errors else "runs"))
    if len(frame):
        frame = frame.sort_values(["point", "scenario", "seed"], ignore_index=True)
    return frame


def load_series(out: str | Path) -> pd.DataFrame:
    """A sweep's monthly series in long format: run, point, scenario, seed, date, outcome, value."""
    return _read_parts(Path(out) / "series")


def load_design(out: str | Path) -> pd.DataFrame:
    """The design: per point, each varied parameter as applied and as sampled."""
    return pd.read_parquet(Path(out) / "design.parquet")


def store_run(
    out: Path, task: RunTask, result: dict, spec: SweepSpec, commit: str, version: str
) -> bool:
    """Write one run's row (or its error) atomically; True when the run succeeded."""
    row: dict[str, Any] = {
        "run_id": task.run_id,
        "point": task.point,
        "scenario": scenario_key(task.scenario),
        "seed": task.seed,
        "households_per_agent": task.households_per_agent,
        "months": task.months,
    }
    for v in spec.varied:
        row[column_of(v.name)] = task.parameters[v.name]
    tail = {
        "seconds": result["seconds"],
        "worker": result["worker"],
        "model_version": version,
        "git_commit": commit,
        "finished_at": pd.Timestamp.now().floor("s"),
    }
    error_file = out / "errors" / f"{task.run_id}.parquet"
    if not result["ok"]:
        row.update(
            error=result["error"], message=result["message"], traceback=result["traceback"], **tail
        )
        write_parquet(pd.DataFrame([row]), error_file)
        return False
    if result.get("series") is not None:
        series = result["series"]
        for k, key in enumerate(("run_id", "point", "scenario", "seed")):
            series.insert(k, key, row[key])
        series.insert(series.columns.get_loc("outcome") + 1, "unit", series["outcome"].map(_unit))
        write_parquet(series, out / "series" / f"{task.run_id}.parquet")
    row.update(result["values"])
    row.update(tail)
    write_parquet(pd.DataFrame([row]), out / "runs" / f"{task.run_id}.parquet")
    error_file.unlink(missing_ok=True)  # an earlier failure of this run, now done
    return True


def _unit(outcome: str) -> str:
    from experiments.outcomes import OUTCOMES

    return OUTCOMES[outcome].unit


# ------------------------------------------------------------------ summary and figure


def summarise(runs: pd.DataFrame, outcomes: list[str]) -> pd.DataFrame:
    """Per scenario and outcome: runs, mean, 5th, 50th and 95th percentile over every run."""
    rows = []
    for scenario, mine in runs.groupby("scenario", sort=False):
        for name in outcomes:
            x = mine[name].dropna()
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": name,
                    "runs": len(x),
                    "mean": x.mean(),
                    "p5": x.quantile(0.05) if len(x) else np.nan,
                    "p50": x.quantile(0.5) if len(x) else np.nan,
                    "p95": x.quantile(0.95) if len(x) else np.nan,
                }
            )
    return pd.DataFrame(rows)


def write_summary(out: Path) -> list[Path]:
    """``summary.csv`` and ``sweep.png`` of a finished sweep (written atomically)."""
    from experiments.outcomes import OUTCOMES
    from experiments.sweep_figures import sweep_figure

    manifest = load_manifest(out)
    runs = load_sweep(out)
    table = summarise(runs, manifest["outcomes"])
    table.insert(2, "unit", table["outcome"].map(lambda n: OUTCOMES[n].unit))
    write_text(table.to_csv(index=False), out / "summary.csv")
    tmp = out / f".sweep.png.tmp-{os.getpid()}.png"
    sweep_figure(out, tmp)
    os.replace(tmp, out / "sweep.png")
    return [out / "summary.csv", out / "sweep.png"]
