"""Scenario discovery with PRIM: under which uncertainties do too many status holders wait?

An example script (needs the ``ema`` extra: ``pip install -e '.[ema]'``).
PRIM (the Patient Rule Induction Method of the EMA workbench) finds a box in
the space of uncertainties where the cases of interest are concentrated:
here, runs whose status holders in reception at the end exceed ``--above``.

From a finished sweep (no new runs)::

    python -m experiments.prim_example --sweep output/sweeps/lhs-200 \\
        --scenario cabinet-package --above 30000

Or running the model through the workbench (Latin hypercube over the plausible
ranges, in worker processes)::

    python -m experiments.prim_example --runs 100 --scenario cabinet-package --above 30000

It prints the box (the ranges of the uncertainties that restrict it), its
coverage (the share of all cases of interest inside the box) and density
(the share of runs inside the box that are cases of interest), and writes
``prim.png`` (the peeling trajectory) next to ``--out``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.ema.model import DEFAULT_UNCERTAINTIES, ema_model
from experiments.naming import column_of

OUTCOME = "status_holders_in_reception_end_persons"
BOOKKEEPING = ("model", "scenario")  # the workbench's run labels: not causes


def from_sweep(sweep: Path, scenario: str, outcome: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The varied parameters (x) and the outcome (y) of one scenario's runs in a sweep."""
    from experiments.sweep import load_manifest, load_sweep

    manifest = load_manifest(sweep)
    runs = load_sweep(sweep)
    runs = runs[runs["scenario"] == scenario]
    if runs.empty:
        raise SystemExit(f"error: no runs of scenario '{scenario}' in {sweep}")
    names = [column_of(v["name"]) for v in manifest["varied"]]
    return runs[names].reset_index(drop=True), runs[outcome].to_numpy(float)


def from_workbench(runs: int, scenario: str, outcome: str, workers: int, months: int):
    """Run the model through the EMA workbench: ``runs`` Latin hypercube points."""
    from experiments.ema.evaluators import PoolEvaluator

    model = ema_model(DEFAULT_UNCERTAINTIES, (), [outcome], timeline=scenario, months=months)
    with PoolEvaluator(model, workers=workers) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=runs)
    x, legend = prim_inputs(experiments)
    return x, np.asarray(outcomes[outcome], float), legend


def prim_inputs(experiments: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list]]:
    """The workbench's experiments as PRIM's inputs: numbers only.

    The run labels (``model``, ``scenario``) go, and so does a column holding one value
    (no box can restrict it: the ``policy`` of a run without levers). A categorical column (the
    ``policy`` names, say) becomes its integer codes, and the legend maps each
    column back to its categories: ema_workbench 3.0's ``box.inspect()`` fails
    (TypeError under pandas 3) on a box that restricts a categorical column.

    Returns:
        (x, legend: column -> its categories in code order).
    """
    x = experiments.drop(columns=[c for c in BOOKKEEPING if c in experiments])
    x = x.drop(columns=[c for c in x.columns if x[c].nunique(dropna=False) < 2])
    legend = {}
    for column in x.columns:
        if not pd.api.types.is_numeric_dtype(x[column]) or x[column].dtype == bool:
            codes = x[column].astype("category")
            legend[column] = list(codes.cat.categories)
            x[column] = codes.cat.codes.astype(int)
    return x, legend


def discover(x: pd.DataFrame, y: np.ndarray, above: float, out: Path, legend: dict | None = None):
    """Run PRIM on ``y > above``, print the box (``box.inspect()`` and each restricted
    dimension in words) and plot its peeling trajectory; return the box."""
    from ema_workbench.analysis import prim

    legend = legend or {}
    interesting = y > above
    print(f"{interesting.sum()} of {len(y)} runs have the outcome above {above:,.0f}")
    if interesting.sum() < 5 or (~interesting).sum() < 5:
        raise SystemExit("error: too few runs on one side of --above for PRIM; change --above")
    box = prim.Prim(x.astype(float), interesting, peel_alpha=0.1).find_box()
    box.inspect()  # the workbench's own table: coverage, density, limits, quasi-p values
    limits = box.box_lims[box._cur_box]
    full = x.agg(["min", "max"])
    print(f"\nbox: coverage {box.coverage:.0%}, density {box.density:.0%}, "
          f"{box.mass:.0%} of all runs")  # fmt: skip
    for name in x.columns:
        lo, hi = limits[name].iloc[0], limits[name].iloc[1]
        restricted = lo > full.loc["min", name] or hi < full.loc["max", name]
        mark = "  <- restricts the box" if restricted else ""
        if name in legend:
            inside = legend[name][int(np.ceil(lo)) : int(np.floor(hi)) + 1]
            print(f"  {name:45s} {', '.join(map(str, inside))}{mark}")
        else:
            print(f"  {name:45s} {lo:12,.3f} to {hi:12,.3f}{mark}")
    _trajectory(box, above, out)
    return box


def _trajectory(box, above: float, out: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 4.5), constrained_layout=True)
    ax.plot(box.peeling_trajectory["coverage"], box.peeling_trajectory["density"], "o-")
    ax.set_xlabel("coverage (share of the cases of interest inside the box)")
    ax.set_ylabel("density (share of the box's runs that are cases)")
    ax.set_title(f"PRIM peeling trajectory: outcome > {above:,.0f}", fontsize=9)
    ax.grid(alpha=0.3)
    out.mkdir(parents=True, exist_ok=True)
    fig.savefig(out / "prim.png", dpi=100)
    plt.close(fig)
    print(f"\nwrote {out / 'prim.png'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sweep", type=Path, help="a finished sweep's folder")
    parser.add_argument("--runs", type=int, default=100, help="workbench runs (without --sweep)")
    parser.add_argument("--scenario", default="cabinet-package")
    parser.add_argument("--outcome", default=OUTCOME)
    parser.add_argument("--above", type=float, default=30000.0)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("output/prim"))
    args = parser.parse_args(argv)
    legend = {}
    if args.sweep:
        x, y = from_sweep(args.sweep, args.scenario, args.outcome)
    else:
        x, y, legend = from_workbench(
            args.runs, args.scenario, args.outcome, args.workers, args.months
        )
    discover(x, y, args.above, args.out, legend)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
