"""``python -m experiments robust SPEC``: the command (its options are in experiments/cli.py)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

import pandas as pd


def command_robust(args: argparse.Namespace) -> int:
    """Run (or continue) a robust search; 0 when done or stopped by --limit, 128 + N when
    interrupted by signal N (finished experiments stay for --resume)."""
    from experiments.robust.search import build, replaced_schedules, run_search
    from experiments.robust.spec import load_robust_spec

    spec = load_robust_spec(args.spec)
    args.out = out = args.out or Path("output/robust") / args.spec.stem
    if args.dry_run:
        model, ensemble = build(spec)  # every setting checked: the model takes them all
        print(
            f"{spec.title}: {len(model.levers)} levers, {len(model.uncertainties)} "
            f"uncertainties, {len(spec.objectives)} objectives; at most {spec.runs:,} model runs "
            f"({spec.nfe} policies and the reference x {len(ensemble)} scenarios x "
            f"{len(spec.seeds)} seeds) of {spec.months} months at 1:{spec.households_per_agent}"
        )
        for warning in replaced_schedules(spec):
            print(f"  warning: {warning}")
        print("every setting checked (each varied parameter at both ends); nothing was run")
        return 0
    try:
        result = run_search(
            spec,
            out,
            resume=args.resume,
            overwrite=args.overwrite,
            workers=args.workers,
            limit=args.limit,
        )
    except KeyboardInterrupt as err:
        signum = getattr(err, "signum", signal.SIGINT)
        how = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        print(
            f"\ninterrupted ({how}): the finished experiments are in '{out}/evaluations'; "
            f"continue with {_again(args)}",
            file=sys.stderr,
        )
        return 128 + signum
    print(f"{result.ran} experiments run, {result.reused} read back, {result.seconds:.0f} s")
    if not result.finished:
        print(f"not finished; continue with {_again(args)}")
        return 0
    shown = result.pareto.drop(columns=[c for c in result.pareto if c.endswith(("_min", "_max"))])
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(shown.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    print(f"wrote {out}/: pareto.parquet, pareto.csv, convergence.csv, report.html")
    return 0


def _again(args: argparse.Namespace) -> str:
    return f"python -m experiments robust {args.spec} --out {args.out} --resume"
