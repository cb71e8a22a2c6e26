"""Sweeps: specs checked before anything runs, runs streamed to Parquet, resumable.

The model runs here at 1 agent = 200 households for a few months
(``scale.allow_unvalidated``): these tests check the sweep machinery, not
figures.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
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
        "asylum_applications_factor",
        "stock_new_construction_per_year",
        *spec.outcomes,
        "seconds",
        "model_version",
        "git_commit",
        "run_id",
    ):
        assert col in runs.columns, col
    assert runs["stock_new_construction_per_year"].dtype == np.int64  # rounded, as applied
    design = load_design(out)
    assert (design["stock_new_construction_per_year"] == design[
        "stock_new_construction_per_year_sampled"].round()).all()  # fmt: skip
    # The same point runs under both scenarios with the same parameter values.
    by_point = runs.groupby("point")["asylum_applications_factor"].nunique()
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
            "asylum.applications_factor": row["asylum_applications_factor"],
            "stock.new_construction_per_year": row["stock_new_construction_per_year"],
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
    cols = ["run_id", *spec.outcomes, "asylum_applications_factor"]
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


# ---------------------------------------------------------------- workers end with the sweep


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux: /proc), its threads' children together."""
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(p) for p in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("scheduler", ["local", "dask"])
def test_sigkill_of_the_sweep_leaves_no_worker_after_10_seconds(tmp_path, scheduler):
    """The sweep's process killed outright (no handler runs): its workers end too."""
    if scheduler == "dask":
        pytest.importorskip("distributed")
    text = TINY.replace("points = 2", "points = 30").replace("months = 4", "months = 24")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "experiments", "sweep", str(write_spec(tmp_path, text)),
         "--out", str(out), "--workers", "2", "--scheduler", scheduler],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    workers: set[int] = set()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and proc.poll() is None:
        workers |= _children(proc.pid)
        if len(workers) >= 2 and (out / "runs").is_dir() and finished_runs(out):
            break  # the workers are busy with runs
        time.sleep(0.05)
    assert proc.poll() is None and len(workers) >= 2, "the sweep did not get going"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    left = sorted(p for p in workers if _alive(p))
    for p in left:  # do not leave them to the next test
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGKILL)
    assert not left, f"workers still running 10 s after SIGKILL of their parent: {left}"


# ---------------------------------------------------------------- resuming checks the design


def _snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.mark.parametrize("how", ["the sampler gives another design", "design.parquet edited"])
def test_resume_refuses_a_design_that_differs_from_the_stored_one(tmp_path, monkeypatch, how):
    from experiments.sweep import design as design_module

    spec = load_spec(write_spec(tmp_path))
    out = tmp_path / "out"
    run_sweep(spec, out, limit=2, workers=1, **quiet())
    if how == "design.parquet edited":
        stored = load_design(out)
        stored.loc[1, "asylum_applications_factor"] += 0.01
        stored.to_parquet(out / "design.parquet", index=False)
    else:  # as a new SALib or numpy might: the same spec, other points
        sample = design_module.sample
        monkeypatch.setattr(design_module, "sample", lambda s: sample(s).iloc[::-1].reset_index(
            drop=True))  # fmt: skip
    before = _snapshot(out)
    with pytest.raises(OutputError, match=r"design.parquet differs .*point [01], '"):
        run_sweep(spec, out, resume=True, runner=pytest.fail, **quiet())
    assert _snapshot(out) == before  # nothing written, nothing run
    assert main(["sweep", str(tmp_path / "spec.toml"), "--out", str(out), "--resume"]) == 2


# ---------------------------------------------------------------- the manifest


def test_the_manifest_records_library_versions_and_the_real_worker_count(tiny_sweep, tmp_path):
    from importlib.metadata import version

    _, out, _ = tiny_sweep
    session = load_manifest(out)["sessions"][0]
    assert session["workers"] == 2 and session["scheduler"] == "local"
    for name in ("numpy", "pandas", "pyarrow", "SALib", "Mesa"):
        assert session["libraries"][name] == version(name)
    assert set(session["libraries"]) >= {"python", "ema_workbench", "dask", "distributed"}
    spec = load_spec(write_spec(tmp_path, TINY.replace("seeds = 2", "seeds = 1")))
    run_sweep(spec, tmp_path / "one", workers=1, limit=1, **quiet())
    assert load_manifest(tmp_path / "one")["sessions"][0]["workers"] == 1  # not null


# ---------------------------------------------------------------- a Dask cluster that empties


def slow_runner(task):
    time.sleep(0.5)
    return execute(task)


@pytest.mark.slow
def test_a_dask_cluster_without_workers_is_reported_within_a_minute(tmp_path, monkeypatch,
                                                                    capsys):  # fmt: skip
    distributed = pytest.importorskip("distributed")
    from experiments.sweep import ClusterLost, backends

    monkeypatch.setattr(backends, "NO_WORKERS_SECONDS", 3)
    spec_path = write_spec(tmp_path, TINY.replace("points = 2", "points = 6"))
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp", dashboard_address=":0"
    ) as cluster:
        address = cluster.scheduler_address
        # No worker at the start: one line, nothing written.
        started = time.monotonic()
        assert main(["sweep", str(spec_path), "--out", str(out), "--scheduler", address]) == 2
        assert "has no workers (waited 3 s)" in capsys.readouterr().err
        assert not out.exists() and time.monotonic() - started < 60
        # The last worker goes in the middle of the sweep: reported, the finished runs kept.
        cluster.scale(1)
        cluster.wait_for_workers(1)

        def retire_after_a_run():
            while not ((out / "runs").is_dir() and finished_runs(out)):
                time.sleep(0.05)
            cluster.scale(0)

        threading.Thread(target=retire_after_a_run, daemon=True).start()
        started = time.monotonic()
        with pytest.raises(ClusterLost, match="has had no workers for"):
            run_sweep(load_spec(spec_path), out, scheduler=address, runner=slow_runner, **quiet())
        assert time.monotonic() - started < 60
    done = finished_runs(out)
    assert 1 <= len(done) < 24 and load_manifest(out)["sessions"][0]["ran"] == len(done)


# ---------------------------------------------------------------- one naming scheme, units


def test_parameter_columns_are_one_to_one_and_plain():
    from experiments.naming import column_of, parameter_columns, parameter_of
    from experiments.sweep.fields import SAMPLED
    from model.base.errors import ParameterError
    from model.inputs.parameters import parameter_specs

    names = list(parameter_specs())
    columns = parameter_columns()
    assert len(columns) == len(names)  # no two parameters share a column
    for name in names:
        c = column_of(name)
        assert parameter_of(c) == name and parameter_of(name) == name
        assert "." not in c and "__" not in c and c.isidentifier()
        assert c + SAMPLED not in columns  # a sampled column is never a parameter's
    with pytest.raises(ParameterError, match="did you mean 'stock_new_construction_per_year'"):
        parameter_of("stock__new_construction_per_year")


def test_every_parquet_field_has_a_unit_and_a_description(tiny_sweep):
    import pyarrow.parquet as pq

    from experiments.sweep.fields import field_table

    _, out, _ = tiny_sweep
    files = [out / "design.parquet", *(out / "runs").glob("*.parquet"),
             *(out / "series").glob("*.parquet")]  # fmt: skip
    assert len(files) == 1 + 8 + 8
    for path in files:
        fields = field_table(path)
        assert (fields["unit"] != "").all() and (fields["description"] != "").all(), path
        assert not fields["column"].str.contains(r"\.|__").any(), list(fields["column"])
    runs = field_table(files[1]).set_index("column")
    assert runs.loc["status_holders_in_reception_end_persons", "unit"] == "persons"
    construction = runs.loc["stock_new_construction_per_year"]
    assert construction["unit"] == "self-contained dwellings per year"
    assert "stock.new_construction_per_year" in construction["description"]
    series = pq.read_table(files[-1]).to_pandas()
    assert set(series["unit"]) == {"persons"}  # each row says what its value counts
    # pandas still reads the files as before (its own metadata is kept).
    assert load_sweep(out)["seed"].dtype == np.int64


def test_the_sweep_package_imports_one_way():
    """spec <- fields <- design <- store <- backends <- runner <- session <- command."""
    import ast

    order = ["spec", "fields", "design", "store", "backends", "runner", "session", "command"]
    folder = ROOT / "experiments" / "sweep"
    assert {p.stem for p in folder.glob("*.py")} == {*order, "__init__"}
    for k, name in enumerate(order):
        tree = ast.parse((folder / f"{name}.py").read_text())
        used = {
            node.module.rsplit(".", 1)[1]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("experiments.sweep.")
        }
        assert used <= set(order[:k]), f"{name} imports {used - set(order[:k])}"


# ---------------------------------------------------------------- report of a sweep's folder


def test_paired_differences_per_point_on_a_known_answer():
    from experiments.sweep_report import paired_differences, verdicts

    # Two points, two seeds; B - A on the same seed: point 0: +1 and +3; point 1: -2 and -2.
    runs = pd.DataFrame({
        "point": [0, 0, 0, 0, 1, 1, 1, 1],
        "seed": [1, 2, 1, 2, 1, 2, 1, 2],
        "scenario": ["a", "a", "b", "b"] * 2,
        "y": [10.0, 20, 11, 23, 5, 7, 3, 5],
    })  # fmt: skip
    table = paired_differences(runs, "a", "b", "y").set_index("point")
    assert table.loc[0, "difference"] == 2 and table.loc[1, "difference"] == -2
    assert (table.loc[0, "difference_min"], table.loc[0, "difference_max"]) == (1, 3)
    assert table.loc[0, "a_mean"] == 15 and table.loc[0, "b_mean"] == 17
    assert verdicts(table["difference"], "worse") == {"better": 1, "worse": 1, "equal": 0}
    assert verdicts(table["difference"], "neutral") == {}


def test_report_takes_a_sweep_folder(tiny_sweep, tmp_path, capsys):
    _, out, _ = tiny_sweep
    page = tmp_path / "sweep.html"
    assert main(["report", str(out), "--out", str(page), "--lang", "en"]) == 0
    text = page.read_text()
    assert "ban-without-extra-supply − current-policy" in text
    assert "Per point" in text and "asylum_applications_factor" in text
    assert "common random numbers" in text and text.count("data:image/png;base64,") == 1
    capsys.readouterr()
    assert main(["report", str(out), "--out", str(page), "--seeds", "3"]) == 2
    assert "--seeds with a sweep's folder" in capsys.readouterr().err
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "x.html")]) == 2
    assert "holds no sweep" in capsys.readouterr().err
    assert main(["report", str(page), "--out", str(tmp_path / "y.html")]) == 2
    assert "two or more scenarios" in capsys.readouterr().err


def test_the_commit_is_read_from_the_checkout_that_holds_the_model():
    from experiments.sweep.store import CHECKOUT, git_commit

    assert (CHECKOUT / "model").is_dir() and (CHECKOUT / "experiments" / "sweep").is_dir()
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    paths = ["--", "model", "agents", "experiments"]
    dirty = subprocess.run([*git, "status", "--porcelain", *paths], capture_output=True, text=True)
    assert git_commit() == head.strip() + ("-dirty" if dirty.stdout.strip() else "")
