"""Benchmark: wall time and peak memory of ten-year current-policy runs.

``python -m experiments bench`` runs each scale in its own process (so that
peak memory is the run's own) and prints, per scale: agents at the start,
set-up and run time, peak memory and lettings recorded; then the time of one
month at the app's scale (1:20) and how the time grows from 1:100 to 1:1
(it should stay about linear in the number of households).

``--against REV`` times a git revision (a commit, a branch) the same way,
one after the other on the same machine, and prints the speed-up: the
machines are shared and noisy, so compare ratios measured in one go, never
single numbers between days. ``make bench BASELINE=REV`` does the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
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


def _table(rows: list[dict], label: str) -> None:
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


def bench(scales: list[int], months: int = 120, against: str | None = None) -> list[dict]:
    """Time each scale (and each scale of ``against``, a git revision) and print tables."""
    print(f"{months}-month current-policy run, seed 1, one process per scale")
    baseline: list[dict] = []
    if against:
        tmp = _worktree(against)
        try:
            baseline = [_measure(s, months, Path(tmp.name)) for s in scales]
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", tmp.name], check=False
            )
            tmp.cleanup()
        _table(baseline, f"baseline {against}")
    rows = [_measure(s, months, ROOT) for s in scales]
    _table(rows, "this working tree")
    _scaling(rows)
    if baseline:
        print("\nspeed-up against the baseline (total time; memory as a ratio):")
        for b, r in zip(baseline, rows, strict=True):
            print(
                f"  1:{r['scale']}: x{b['total_s'] / r['total_s']:.1f} faster, "
                f"peak memory x{r['peak_mb'] / b['peak_mb']:.2f}"
            )
    print(
        "targets (2 cores): 1:10 at least 3x faster than before the engine work (issue 8), "
        "1:1 under 20 s, peak memory at 1:1 under 1,024 MB"
    )
    return rows
