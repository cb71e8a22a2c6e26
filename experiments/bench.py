"""Benchmark: wall time and peak memory of ten-year current-policy runs.

``python -m experiments bench`` runs each scale in its own process (so that
peak memory is the run's own) and prints, per scale: agents at the start,
set-up and run time, peak memory and lettings recorded; then the time of one
month at the app's scale (1:20) and how the time grows from 1:100 to 1:1
(it should stay about linear in the number of households).

``--against REV`` times a git revision (a commit, a branch) the same way,
on the same machine, and prints the speed-up: the machines are shared and
noisy, so compare ratios measured in one go, never single numbers between
days. ``make bench BASELINE=REV`` does the same. Runs of the revision and of
the working tree alternate, and a scale of 10 households per agent or more
runs ``--repeat`` times (default 3) for each, the fastest counting (as
``timeit`` does: other work on the machine only ever adds time); every time
measured is printed. The 1:1 runs, about a minute for the baseline, run once.

The sweep part (:func:`bench_sweep`) times the same runs (60 months at 1:20,
the coarsest validated scale) three ways: one command-line ``run`` (a new
process: imports, CSV files and PNG figures included), a sweep in one
process, and a sweep in two worker processes; it prints the time per run
inside a sweep against the command-line run, and the two-process speed-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from model.market import HousingMarket
scale, months = int(sys.argv[1]), int(sys.argv[2])
params = {"scale.allow_unvalidated": True} if scale > 20 else {}
t0 = time.perf_counter()
model = HousingMarket("current-policy", rng=1, households_per_agent=scale, parameters=params)
t1 = time.perf_counter()
steps = []
for _ in range(months):
    s = time.perf_counter()
    model.step()
    steps.append(time.perf_counter() - s)
t2 = time.perf_counter()
results = model.results()
t3 = time.perf_counter()
first = results.monthly.iloc[0]
print(json.dumps({
    "scale": scale,
    "households_at_start": int(sum(first[c] for c in results.monthly.columns
                                   if c.startswith("waiting_"))),
    "init_s": t1 - t0, "run_s": t2 - t1, "results_s": t3 - t2,
    "month_ms": 1000 * sorted(steps)[len(steps) // 2],
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "lettings_records": len(results.lettings),
}))
"""


def _measure(scale: int, months: int, cwd: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(scale), str(months)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark at 1:{scale} failed in {cwd}:\n{proc.stderr[-2000:]}")
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["total_s"] = row["init_s"] + row["run_s"] + row["results_s"]
    return row


def _table(rows: list[dict], label: str, every: dict[int, list[dict]] | None = None) -> None:
    """The fastest run of each scale, and (``every``) all totals measured."""
    print(f"\n{label}")
    print(
        f"{'households/agent':>16} {'households':>11} {'set-up s':>9} {'run s':>8} "
        f"{'results s':>9} {'total s':>8} {'month ms':>9} {'peak MB':>8} {'lettings':>10}"
    )
    for r in rows:
        print(
            f"{r['scale']:>16} {r['households_at_start']:>11,} {r['init_s']:>9.2f} "
            f"{r['run_s']:>8.2f} {r['results_s']:>9.2f} {r['total_s']:>8.2f} "
            f"{r['month_ms']:>9.1f} {r['peak_mb']:>8.0f} {r['lettings_records']:>10,}",
            flush=True,
        )
    for scale, measured in (every or {}).items():
        if len(measured) > 1:
            totals = ", ".join(f"{m['total_s']:.2f}" for m in measured)
            print(f"  1:{scale}: fastest of {len(measured)} runs (total s: {totals})")


def _scaling(rows: list[dict]) -> None:
    by_scale = {r["scale"]: r for r in rows}
    if 100 in by_scale and 1 in by_scale:
        coarse, fine = by_scale[100], by_scale[1]
        ratio = fine["run_s"] / max(coarse["run_s"], 1e-9)
        print(
            f"scaling 1:100 -> 1:1: 100x the households, {ratio:.0f}x the run time "
            "(linear would be 100x; below it, fixed costs per month dominate at 1:100)"
        )
    if 20 in by_scale:
        print(f"one app month at 1:20: {by_scale[20]['month_ms']:.0f} ms (median of the months)")


def _worktree(rev: str) -> tempfile.TemporaryDirectory:
    tmp = tempfile.TemporaryDirectory(prefix="bench-")
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", tmp.name, rev],
        check=True,
    )
    return tmp


def bench(
    scales: list[int],
    months: int = 120,
    against: str | None = None,
    sweep: bool = True,
    sweep_runs: int = 8,
    repeat: int = 3,
) -> list[dict]:
    """Time each scale (and each scale of ``against``, a git revision) and print tables.

    Then, unless ``sweep`` is False, time sweeps (:func:`bench_sweep`).
    """
    print(f"{months}-month current-policy run, seed 1, one process per run")
    tmp = _worktree(against) if against else None
    runs: dict[str, dict[int, list[dict]]] = {"base": {}, "now": {}}
    try:
        for s in scales:
            for _ in range(repeat if s >= 10 else 1):  # alternate, so both see the same load
                if tmp is not None:
                    runs["base"].setdefault(s, []).append(_measure(s, months, Path(tmp.name)))
                runs["now"].setdefault(s, []).append(_measure(s, months, ROOT))
    finally:
        if tmp is not None:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", tmp.name], check=False
            )
            tmp.cleanup()

    def fastest(which: str) -> list[dict]:
        return [min(runs[which][s], key=lambda r: r["total_s"]) for s in scales]

    baseline = fastest("base") if tmp is not None else []
    rows = fastest("now")
    if baseline:
        _table(baseline, f"baseline {against}", runs["base"])
    _table(rows, "this working tree", runs["now"])
    _scaling(rows)
    if baseline:
        print("\nspeed-up against the baseline (total time; memory as a ratio):")
        for b, r in zip(baseline, rows, strict=True):
            print(
                f"  1:{r['scale']}: x{b['total_s'] / r['total_s']:.1f} faster, "
                f"peak memory x{r['peak_mb'] / b['peak_mb']:.2f}"
            )
    print(
        "targets (2 cores): 1:10 at least 3x faster than before the engine work (4a52ccd), "
        "1:1 under 20 s, peak memory at 1:1 under 1,024 MB"
    )
    if sweep:
        bench_sweep(sweep_runs)
    return rows


SWEEP_SPEC = """
title = "bench"
scenarios = ["current-policy"]
seeds = {runs}
months = {months}
households_per_agent = {scale}
outcomes = ["status_holders_in_reception_end_persons", "reception_cost_eur_per_year"]
[design]
kind = "full_factorial"
"""


def bench_sweep(runs: int = 8, months: int = 60, scale: int = 20) -> dict:
    """Time per run inside a sweep against one CLI run, and the 2-process speed-up.

    Args:
        runs: Runs per sweep (seeds 1..runs of current policy).
        months: Length of each run.
        scale: Households per agent (1:20 is the coarsest scale whose figures
            are validated; 1:50 needs ``scale.allow_unvalidated``).
    """
    from experiments.sweep import load_spec, run_sweep
    from model.market import HousingMarket

    HousingMarket("current-policy", rng=1, households_per_agent=scale).run(1)  # warm imports
    timings = {}
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "experiments", "run", "--months", str(months),
             "--households-per-agent", str(scale), "--out", str(tmp / "cli")],
            check=True,
            capture_output=True,
        )  # fmt: skip
        timings["cli_run_s"] = time.perf_counter() - started
        spec_path = tmp / "bench-sweep.toml"
        spec_path.write_text(SWEEP_SPEC.format(runs=runs, months=months, scale=scale))
        spec = load_spec(spec_path)
        for workers in (1, 2):
            started = time.perf_counter()
            outcome = run_sweep(
                spec, tmp / f"sweep-{workers}", workers=workers, progress=False, log=lambda s: None
            )
            assert outcome.ran == runs and not outcome.failed, outcome
            timings[f"sweep_{workers}_s"] = time.perf_counter() - started
    per_run = timings["sweep_1_s"] / runs
    speedup = timings["sweep_1_s"] / timings["sweep_2_s"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nsweep: {runs} runs of {months} months at 1:{scale} (current policy, seeds 1-{runs});"
          f" load average {load:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print(f"  one CLI run (new process, CSVs, figures): {timings['cli_run_s']:6.2f} s")
    print(f"  per run inside a 1-process sweep:         {per_run:6.2f} s"
          f"  ({timings['cli_run_s'] / per_run:.1f}x faster than the CLI run)")  # fmt: skip
    print(f"  sweep, 1 process: {timings['sweep_1_s']:6.1f} s; 2 processes: "
          f"{timings['sweep_2_s']:6.1f} s; speed-up x{speedup:.2f} (target x1.8)")  # fmt: skip
    return {**timings, "per_run_s": per_run, "speedup": speedup, "load": load}
