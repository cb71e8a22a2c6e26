"""Golden outputs: the model's results for a few seeds, byte for byte.

Restructuring the engine must not change what the model reports.
``tests/test_golden.py`` compares each run's ``monthly.csv`` and
``lettings.csv`` with the files in ``tests/golden/``. Regenerate them only
on purpose, in a commit that says why the outputs changed::

    .venv/bin/python tests/golden_runs.py --write
"""

from __future__ import annotations

import gzip
import io
import sys
from pathlib import Path

FOLDER = Path(__file__).parent / "golden"
# (scenario, seed): 24 months at 1:50 (coarse on purpose: small files; the
# scale opt-in is for exactly this kind of mechanism check).
RUNS = (("current-policy", 1), ("cabinet-package", 2), ("mooiman", 3))
MONTHS, SCALE = 24, 50


def outputs(scenario: str, seed: int) -> dict[str, bytes]:
    """The run's monthly.csv and lettings.csv, as the command line writes them."""
    from model.market import HousingMarket

    model = HousingMarket(
        scenario,
        rng=seed,
        households_per_agent=SCALE,
        parameters={"scale.allow_unvalidated": True},
        attribution=True,
    )
    results = model.run(MONTHS)
    out = {}
    for name, frame in (("monthly.csv", results.monthly), ("lettings.csv", results.lettings)):
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        out[name] = buffer.getvalue().encode()
    return out


def path(scenario: str, seed: int, name: str) -> Path:
    return FOLDER / f"{scenario}-seed{seed}-{name}.gz"


def write() -> None:
    FOLDER.mkdir(exist_ok=True)
    for scenario, seed in RUNS:
        for name, data in outputs(scenario, seed).items():
            # mtime=0: the same bytes give the same file
            with gzip.GzipFile(path(scenario, seed, name), "wb", mtime=0) as f:
                f.write(data)
            print(f"wrote {path(scenario, seed, name)} ({len(data):,} bytes)")


def read(scenario: str, seed: int, name: str) -> bytes:
    with gzip.open(path(scenario, seed, name), "rb") as f:
        return f.read()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/golden_runs.py --write")
    write()
