"""Sweeps: specs checked before anything runs, runs streamed to Parquet, resumable.

The model runs here at 1 agent = 200 households for a few months
(``scale.allow_unvalidated``): these tests check the sweep machinery, not
figures.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.output import OutputError
from experiments.sweep import (
    SpecError,
    execute,
    finished_runs,
    load_design,
    load_manifest,
    load_series,
    load_spec,
    load_sweep,
    prepare,
    run_sweep,
)

ROOT = Path(__file__).resolve().parents[1]

TINY = """
title = "tiny"
scenarios = ["current-policy", "ban-without-extra-supply"]
seeds = 2
months = 4
households_per_agent = 200
outcomes = ["status_holders_in_reception_end_persons", "lettings_regular_households_per_year"]
series = ["status_holders_in_reception_persons"]

[design]
kind = "latin_hypercube"
points = 2
seed = 3

[parameters]
"asylum.applications_factor" = {}
"stock.new_construction_per_year" = { low = 10000, high = 20000 }

[fixed]
"scale.allow_unvalidated" = true
"""


def write_spec(tmp_path: Path, text: str = TINY, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def quiet(**kw):
    return {"progress": False, "log": lambda s: None, **kw}


# ---------------------------------------------------------------- bad specs

BAD_SPECS = {
    "unknown parameter": (
        ('"stock.new_construction_per_year" = { low', '"stock.new_constructions" = { low'),
        "unknown parameter 'stock.new_constructions'.*did you mean",
    ),
    "empty range": (("low = 10000, high = 20000", "low = 20000, high = 20000"), "empty range"),
    "reversed range": (("low = 10000, high = 20000", "low = 30000, high = 20000"), "empty range"),
    "range outside what is allowed": (
        ("low = 10000, high = 20000", "low = -5, high = 20000"),
        "allowed: within",
    ),
    "bad design": (('kind = "latin_hypercube"', 'kind = "latin"'), "design kind 'latin'"),
    "unknown outcome": (
        ('"lettings_regular_households_per_year"]', '"lettings_regular"]'),
        "unknown scalar outcome 'lettings_regular'",
    ),
    "monthly outcome as a scalar": (
        ('"lettings_regular_households_per_year"]', '"status_holders_in_reception_persons"]'),
        "it is a monthly outcome",
    ),
    "unknown key": (("seeds = 2", "seed = 2"), "unknown key 'seed'.*did you mean 'seeds'"),
    "no points": (("points = 2", "points = 0"), "design.points"),
    "unknown scenario": (('"ban-without-extra-supply"]', '"ban"]'), "unknown scenario 'ban'"),
    "listed values in a hypercube": (
        ("low = 10000, high = 20000", "values = [10000, 20000]"),
        "listed values only in a full_factorial",
    ),
    "true/false in a hypercube": (
        ('"asylum.applications_factor" = {}', '"policy.family_priority" = {}'),
        "full_factorial design with",
    ),
    "no plausible range": (
        ('"asylum.applications_factor" = {}', '"stock.demolition_per_year" = {}'),
        "no plausible range",
    ),
    "varied and fixed": (
        (
            '"scale.allow_unvalidated" = true',
            '"scale.allow_unvalidated" = true\n"asylum.applications_factor" = 1.0',
        ),
        "both varied and fixed",
    ),
    "scale as a parameter": (
        ('"asylum.applications_factor" = {}', '"scale.households_per_agent" = {}'),
        "cannot be varied",
    ),
    "coarse scale without the opt-in": (
        ('"scale.allow_unvalidated" = true', ""),
        "coarser than 1:20",
    ),
    "a setting without effect": (
        (
            '"asylum.applications_factor" = {}',
            '"reunification.subsidiary_arrival_factor" = { low = 0.1, high = 0.3 }',
        ),
        "point 0, scenario 'current-policy'.*two_status_system",
    ),
    "sobol size": (
        ('kind = "latin_hypercube"\npoints = 2', 'kind = "sobol"\npoints = 12'),
        "power of 2",
    ),
    "not TOML": (("[design]", "[design"), "not valid TOML"),
}


@pytest.mark.parametrize("case", list(BAD_SPECS))
def test_bad_specs_are_rejected_before_anything_runs(tmp_path, case):
    (old, new), message = BAD_SPECS[case]
    assert old in TINY, case
    spec_path = write_spec(tmp_path, TINY.replace(old, new))
    out = tmp_path / "out"
    calls = []
    with pytest.raises(SpecError, match=message) as err:
        run_sweep(load_spec(spec_path), out, runner=calls.append, **quiet())
    assert "\n" not in str(err.value)
    assert not calls and not out.exists()


def test_bad_spec_on_the_command_line_is_one_line_and_status_2(tmp_path, capsys):
    spec_path = write_spec(tmp_path, TINY.replace('kind = "latin_hypercube"', 'kind = "latn"'))
    out = tmp_path / "out"
    assert main(["sweep", str(spec_path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "allowed:" in err
    assert not out.exists()


def test_dry_run_runs_nothing(tmp_path, capsys):
    spec_path = write_spec(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(spec_path), "--out", str(out), "--dry-run"]) == 0
    assert "8 runs = 2 points x 2 scenarios x 2 seeds" in capsys.readouterr().out
    assert not out.exists()


@pytest.mark.parametrize("name", ["example-sweep.toml", "lhs-200.toml"])
def test_shipped_specs_are_valid(name):
    spec = load_spec(ROOT / "experiments" / "sweeps" / name)
    _, applied, _, tasks, _ = prepare(spec)
    assert len(tasks) == len(applied) * len(spec.scenarios) * len(spec.seeds)
    assert spec.households_per_agent <= 20  # figures only at validated scales
    if name == "lhs-200.toml":
        assert len(tasks) == 200
        assert set(spec.scenarios) == {"current-policy", "cabinet-package"}


# ---------------------------------------------------------------- a sweep


@pytest.fixture(scope="module")
def tiny_sweep(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sweep")
    spec = load_spec(write_spec(tmp))
    outcome = run_sweep(spec, tmp / "out", workers=2, **quiet())
    return spec, tmp / "out", outcome


def test_a_sweep_writes_one_row_per_point_scenario_and_seed(tiny_sweep):
    spec, out, outcome = tiny_sweep
    assert (outcome.total, outcome.ran, outcome.failed) == (8, 8, 0)
    runs = load_sweep(out)
    assert len(runs) == 8
    assert not runs.duplicated(["point", "scenario", "seed"]).any()
    for col in (
        "asylum.applications_factor",
        "stock.new_construction_per_year",
        *spec.outcomes,
        "seconds",
        "model_version",
        "git_commit",
        "run_id",
    ):
        assert col in runs.columns, col
    assert runs["stock.new_construction_per_year"].dtype == np.int64  # rounded, as applied
    design = load_design(out)
    assert (design["stock.new_construction_per_year"] == design[
        "stock.new_construction_per_year__sampled"].round()).all()  # fmt: skip
    # The same point runs under both scenarios with the same parameter values.
    by_point = runs.groupby("point")["asylum.applications_factor"].nunique()
    assert (by_point == 1).all()
    manifest = load_manifest(out)
    assert manifest["runs"] == 8 and manifest["identity"] == spec.identity()
    assert any("rounded" in line for line in manifest["coercions"])
    series = load_series(out)
    assert len(series) == 8 * 5  # the start and 4 months
    assert {"summary.csv", "sweep.png", "spec.toml"} <= {p.name for p in out.iterdir()}
    assert not [p for p in out.rglob(".*") if p.is_file()]  # no temporary files left


def test_a_run_of_the_sweep_is_the_model_run(tiny_sweep):
    """A row holds what running the model with its settings gives (seed and values kept)."""
    from experiments.outcomes import evaluate
    from model import HousingMarket

    spec, out, _ = tiny_sweep
    row = load_sweep(out).iloc[-1]
    model = HousingMarket(
        row["scenario"],
        rng=int(row["seed"]),
        households_per_agent=200,
        parameters={
            "scale.allow_unvalidated": True,
            "asylum.applications_factor": row["asylum.applications_factor"],
            "stock.new_construction_per_year": row["stock.new_construction_per_year"],
        },
    )
    values = evaluate(model.run(4), spec.outcomes)
    for name, value in values.items():
        assert row[name] == value, name


def test_an_earlier_sweep_is_not_replaced_silently(tiny_sweep, tmp_path):
    spec, out, _ = tiny_sweep
    with pytest.raises(OutputError, match=r"holds a sweep.*--resume"):
        run_sweep(spec, out, **quiet())
    other = load_spec(write_spec(tmp_path, TINY.replace("seed = 3", "seed = 4")))
    with pytest.raises(OutputError, match="another spec"):
        run_sweep(other, out, resume=True, **quiet())
    again = run_sweep(spec, out, resume=True, **quiet())  # all done: nothing runs
    assert (again.skipped, again.ran) == (8, 0)


# ---------------------------------------------------------------- failures and resuming


def fail_on_seed_2(task):
    """A runner for the tests: seed 2 raises, the rest run the model."""
    if task.seed == 2:
        raise RuntimeError(f"injected failure in {task.run_id}")
    return execute(task)


def test_a_failing_run_is_recorded_and_the_others_finish(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    out = tmp_path / "out"
    outcome = run_sweep(spec, out, runner=fail_on_seed_2, **quiet())
    assert (outcome.ran, outcome.failed) == (8, 4)
    runs, errors = load_sweep(out), load_sweep(out, errors=True)
    assert set(runs["seed"]) == {1} and len(runs) == 4
    assert set(errors["seed"]) == {2} and len(errors) == 4
    assert errors["message"].str.contains("injected failure").all()
    assert errors["traceback"].str.contains("RuntimeError").all()
    assert not (out / "summary.csv").exists()  # not finished
    # --resume tries the failed runs again; once they succeed their errors go.
    again = run_sweep(spec, out, resume=True, **quiet())
    assert (again.skipped, again.ran, again.failed) == (4, 4, 0)
    assert len(load_sweep(out)) == 8 and load_sweep(out, errors=True).empty
    assert (out / "summary.csv").exists()


def test_an_exception_inside_the_model_is_recorded(tmp_path, monkeypatch):
    """A run that raises inside a worker process is an errors row, not a crash."""
    spec = load_spec(write_spec(tmp_path, TINY.replace("seeds = 2", "seeds = 1")))

    def boom(self, *a, **k):
        raise ZeroDivisionError("inside the model")

    monkeypatch.setattr("model.market.HousingMarket.run", boom)
    outcome = run_sweep(spec, tmp_path / "out", workers=2, **quiet())  # forked: patched too
    assert outcome.failed == 4
    errors = load_sweep(tmp_path / "out", errors=True)
    assert (errors["error"] == "ZeroDivisionError").all()


def test_resume_skips_finished_runs(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    out = tmp_path / "out"
    first = run_sweep(spec, out, limit=3, **quiet())
    assert first.ran == 3 and len(finished_runs(out)) == 3
    stamps = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
    seen = []

    def counting(task):
        seen.append(task.run_id)
        return execute(task)

    # One worker: this process (the counting closure need not be pickled).
    second = run_sweep(spec, out, resume=True, runner=counting, workers=1, **quiet())
    assert (second.skipped, second.ran, second.failed) == (3, 5, 0)
    assert not set(seen) & {name.removesuffix(".parquet") for name in stamps}
    assert {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir() if p.name in stamps} \
        == stamps  # fmt: skip
    assert len(load_sweep(out)) == 8
    assert len(load_manifest(out)["sessions"]) == 2


@pytest.mark.slow
def test_an_interrupted_sweep_resumes_where_it_stopped(tmp_path):
    """Ctrl-C in the middle: the finished runs stay; --resume runs only the rest."""
    spec_path = write_spec(tmp_path, TINY.replace("points = 2", "points = 6"))
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "experiments", "sweep", str(spec_path), "--out", str(out),
           "--workers", "1"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while len(finished_runs(out)) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "--resume" in err
    done = finished_runs(out)
    assert 2 <= len(done) < 24
    assert not [p for p in out.rglob(".*") if p.is_file()]  # no half-written part
    resumed = subprocess.run([*cmd, "--resume"], cwd=ROOT, capture_output=True, text=True,
                             timeout=300)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(done)} already done, {24 - len(done)} to run" in resumed.stdout
    assert len(load_sweep(out)) == 24


# ---------------------------------------------------------------- executors


@pytest.mark.slow
def test_local_and_dask_executors_give_identical_results(tiny_sweep, tmp_path):
    pytest.importorskip("distributed")
    spec, out, _ = tiny_sweep
    dask = run_sweep(spec, tmp_path / "dask", workers=2, scheduler="dask", **quiet())
    assert (dask.ran, dask.failed) == (8, 0)
    cols = ["run_id", *spec.outcomes, "asylum.applications_factor"]
    local = load_sweep(out)[cols]
    remote = load_sweep(tmp_path / "dask")
    pd.testing.assert_frame_equal(local, remote[cols])
    pd.testing.assert_frame_equal(load_series(out).sort_values(["run_id", "date"],
                                  ignore_index=True), load_series(tmp_path / "dask").sort_values(
                                  ["run_id", "date"], ignore_index=True))  # fmt: skip
    workers = set(remote["worker"].str.split(":").str[1])
    assert str(os.getpid()) not in workers  # ran in Dask's worker processes


def test_a_bad_scheduler_is_refused(tiny_sweep, tmp_path):
    spec, _, _ = tiny_sweep
    with pytest.raises(SpecError, match="--scheduler"):
        run_sweep(spec, tmp_path / "x", scheduler="udp://nowhere", **quiet())


def test_manifest_is_json_with_every_session(tiny_sweep):
    _, out, _ = tiny_sweep
    manifest = json.loads((out / "manifest.json").read_text())
    session = manifest["sessions"][0]
    assert session["ran"] == 8 and session["finished"]
    assert len(session["git_commit"]) >= 7


def test_sweeping_a_lever_a_scenario_schedules_warns(tmp_path):
    text = TINY.replace('"ban-without-extra-supply"', '"cabinet-package"').replace(
        '"stock.new_construction_per_year" = { low = 10000, high = 20000 }',
        '"stock.flex_additions_per_year" = { low = 1000, high = 9000 }',
    )
    *_, warnings = prepare(load_spec(write_spec(tmp_path, text)))
    assert any(
        "stock.flex_additions_per_year" in w and "cabinet-package" in w and "replaces" in w
        for w in warnings
    )
    assert any("beyond its plausible range" in w for w in warnings)  # 1000-9000 vs 2000-7500
