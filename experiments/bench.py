"""Benchmark: wall time and peak memory of ten-year current-policy runs.

Each scale runs in its own process, so that peak memory is the run's own.
The machines are shared and noisy: compare the ratios between scales
measured in one go, not single numbers between days.
"""

from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
from model.market import HousingMarket
scale, months = int(sys.argv[1]), int(sys.argv[2])
t0 = time.perf_counter()
model = HousingMarket("current-policy", rng=1, households_per_agent=scale)
t1 = time.perf_counter()
results = model.run(months)
t2 = time.perf_counter()
print(json.dumps({
    "scale": scale,
    "agents_at_start": int(results.monthly.iloc[0][[c for c in results.monthly.columns
        if c.startswith("waiting_")]].sum() // scale),
    "init_s": t1 - t0, "run_s": t2 - t1,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "lettings_records": len(results.lettings),
}))
"""


def bench(scales: list[int], months: int = 120) -> list[dict]:
    """Run each scale in a subprocess and print a table."""
    rows = []
    print(f"{months}-month current-policy run, seed 1")
    print(
        f"{'households/agent':>16} {'agents':>9} {'init s':>8} {'run s':>8} {'total s':>8} "
        f"{'peak MB':>8} {'lettings':>10}"
    )
    for scale in scales:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(scale), str(months)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        total = row["init_s"] + row["run_s"]
        print(
            f"{scale:>16} {row['agents_at_start']:>9,} {row['init_s']:>8.1f} {row['run_s']:>8.1f} "
            f"{total:>8.1f} {row['peak_mb']:>8.0f} {row['lettings_records']:>10,}",
            flush=True,
        )
    if len(rows) > 1:
        base = rows[0]["init_s"] + rows[0]["run_s"]
        print(
            "time ratio to the first scale: "
            + ", ".join(
                f"1:{r['scale']} x{(r['init_s'] + r['run_s']) / base:.1f}" for r in rows[1:]
            )
        )
    print("targets (2 cores): 1:10 under 10 s, 1:1 under 90 s, peak memory under 4,096 MB")
    return rows
