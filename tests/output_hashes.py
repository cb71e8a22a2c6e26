"""Fingerprints of six long runs: every output table, hashed.

The golden files (``tests/golden_runs.py``) hold three short runs byte for
byte. A restructuring that must not change outputs is also checked on longer
runs of more scenarios: this script runs them and prints the sha256 of each
output table as CSV. Run it before and after the change and compare::

    .venv/bin/python tests/output_hashes.py > before.txt
    # ... change ...
    .venv/bin/python tests/output_hashes.py | diff before.txt -

It takes a few minutes on two cores (the runs go in parallel).
"""

from __future__ import annotations

import hashlib
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# (scenario, seed, households per agent, months)
RUNS = (
    ("current-policy", 1, 10, 120),
    ("cabinet-package", 1, 10, 120),
    ("abolish-quota", 2, 20, 120),
    ("mooiman", 3, 20, 60),
    ("spreidingswet-withdrawal", 4, 20, 120),
    ("family-priority", 5, 20, 84),
)
TABLES = ("monthly", "monthly_by_region", "lettings", "half_years", "households", "integration")


def fingerprint(run: tuple[str, int, int, int]) -> list[str]:
    """One line per output table: run, table, rows and sha256 of its CSV."""
    from model.market import HousingMarket

    scenario, seed, scale, months = run
    model = HousingMarket(
        scenario,
        rng=seed,
        households_per_agent=scale,
    )
    results = model.run(months)
    lines = []
    for table in TABLES:
        frame = getattr(results, table)
        digest = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
        lines.append(f"{scenario} seed {seed} 1:{scale} {months} months  {table:<18} "
                     f"{len(frame):>8} rows  {digest}")  # fmt: skip
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    with ProcessPoolExecutor(2) as pool:
        for lines in pool.map(fingerprint, RUNS):
            print("\n".join(lines), flush=True)
