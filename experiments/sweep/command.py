"""``python -m experiments sweep SPEC``: the command (its options are in experiments/cli.py)."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

import pandas as pd

from experiments.sweep.backends import ClusterLost, probe
from experiments.sweep.design import prepare
from experiments.sweep.session import run_sweep
from experiments.sweep.spec import SpecError, load_spec
from experiments.sweep.store import finished_runs


def command_sweep(args: argparse.Namespace) -> int:
    """Run (or continue) a sweep from a spec file; everything is checked before anything is
    written. Returns the exit status: 0 done, 1 runs failed or the cluster was lost,
    128 + N interrupted by signal N."""
    spec = load_spec(args.spec)
    out = args.out or Path("output/sweeps") / args.spec.stem
    args.out = out
    if args.resume and args.overwrite:
        raise SpecError("--resume and --overwrite together; allowed: one of the two")
    probe(args.scheduler, args.workers)
    if args.dry_run:
        return _dry_run(spec)
    try:
        result = run_sweep(
            spec,
            out,
            resume=args.resume,
            overwrite=args.overwrite,
            workers=args.workers,
            scheduler=args.scheduler,
            limit=args.limit,
        )
    except KeyboardInterrupt as err:
        signum = getattr(err, "signum", signal.SIGINT)
        how = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        print(f"\ninterrupted ({how}): {_kept(out)}; continue with {_again(args)}", file=sys.stderr)
        return 128 + signum
    except ClusterLost as err:
        print(f"error: {err} ({_kept(out)}): {_again(args)}", file=sys.stderr)
        return 1
    left = result.total - result.skipped - result.ran
    print(
        f"{result.ran} runs in {result.seconds:.0f} s ({result.failed} failed), "
        f"{result.skipped} done before; {left} left"
    )
    if result.failed:
        print(f"failed runs: {out}/errors/ ({_again(args)} tries them again)")
    if left == 0 and not result.failed:
        print(f"wrote {out}/: manifest.json, design.parquet, runs/, summary.csv, sweep.png")
    return 1 if result.failed else 0


def _kept(out: Path) -> str:
    done = len(finished_runs(Path(out))) if Path(out).is_dir() else 0
    return f"{done} finished runs are in '{out}'"


def _again(args: argparse.Namespace) -> str:
    return f"python -m experiments sweep {args.spec} --out {args.out} --resume"


def _dry_run(spec) -> int:
    _, applied, notes, run_tasks, warnings = prepare(spec)
    print(
        f"{spec.title}: {len(run_tasks)} runs = {len(applied)} points x "
        f"{len(spec.scenarios)} scenarios x {len(spec.seeds)} seeds; "
        f"{spec.months} months at 1:{spec.households_per_agent}"
    )
    for line in notes + [f"warning: {w}" for w in warnings]:
        print(f"  {line}")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_rows", 20):
        print(applied)
    print("nothing was run (--dry-run)")
    return 0
