"""The command line: output files and columns, bad input, and earlier output kept."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from scales import COARSE

from experiments.cli import main

# Command-line runs coarser than 1:20 opt in (these tests check mechanisms, not figures).
COARSE_ARGS = ["--set", "scale.allow_unvalidated=true"]

REQUIRED_MONTHLY = [
    "date",
    "lettings_regular_households",
    "lettings_urgent_households",
    "lettings_status_holder_households",
    "status_holders_in_reception_persons",
    "reception_backlog_persons",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "run"
    status = main(
        ["run", "--scenario", "current-policy", "--seed", "4", "--months", "6",
         "--households-per-agent", "200", *COARSE_ARGS, "--out", str(out)]
    )  # fmt: skip
    assert status == 0
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_run_writes_its_files(run_dir):
    assert os.listdir(run_dir.parent) == ["run"]  # no temporary folder or lock file left
    for name in (
        "monthly.csv",
        "monthly_by_region.csv",
        "lettings.csv",
        "quota_half_years.csv",
        "overview.png",
        "run.json",
    ):
        assert (run_dir / name).stat().st_size > 0, name
    monthly = pd.read_csv(run_dir / "monthly.csv")
    assert len(monthly) == 7  # the start and six months
    for col in REQUIRED_MONTHLY:
        assert col in monthly.columns
    units = (
        "_households",
        "_persons",
        "_dwellings",
        "_share",
        "_eur",
        "_weeks_median",
        "_weeks_p90",
        "_per_year",  # lettings per place per year
        "_ratio",  # a factor (turnover from the market's tightness)
        "_municipalities",  # municipalities behind on the quota
    )
    for col in monthly.columns:
        if col not in ("date", "period"):
            assert col.endswith(units) or "_years_" in col, col
    lettings = pd.read_csv(run_dir / "lettings.csv")
    expected = {"month", "region", "dwelling_type", "group", "household_id", "route"}
    assert expected <= set(lettings.columns)
    assert {"registration_time_years", "time_since_entry_years", "households"} <= set(lettings)
    assert set(lettings["route"]) <= {"urgent", "quota", "registration", "lottery"}


BAD_INPUT = [
    (["--scenario", "no-such-scenario"], "unknown scenario 'no-such-scenario'"),
    (["--months", "0"], "parameter 'months' = 0"),
    (["--households-per-agent", "x"], "parameter 'households-per-agent' = 'x'"),
    (["--seed", "-3"], "parameter 'seed' = -3"),
    (["--set", "allocation.lottery_share=3"], "parameter 'allocation.lottery_share' = 3"),
    (["--set", "stock.nonsense=3"], "unknown parameter 'stock.nonsense'"),
]


def one_line_error(err: str) -> str:
    """The single line printed for bad input (no usage, no traceback)."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    return lines[0]


@pytest.mark.parametrize("args, fragment", BAD_INPUT)
def test_bad_input_is_named_and_earlier_output_kept(run_dir, capsys, args, fragment):
    before = snapshot(run_dir)
    status = main(["run", "--out", str(run_dir), "--months", "3",
                   "--households-per-agent", "500", *COARSE_ARGS, *args])  # fmt: skip
    assert status == 2
    assert fragment in one_line_error(capsys.readouterr().err)
    assert snapshot(run_dir) == before


def test_python_m_experiments_prints_one_line_not_a_traceback(run_dir):
    args, fragment = BAD_INPUT[-1]
    cmd = [sys.executable, "-m", "experiments", "run", "--out", str(run_dir), *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert fragment in one_line_error(proc.stderr)


def test_scenarios_are_listed(capsys):
    assert main(["scenarios"]) == 0
    assert "current-policy" in capsys.readouterr().out


def test_every_group_route_and_dwelling_type_has_labels_and_a_colour():
    from model.reporting.presentation import (
        DWELLING_LABELS,
        GROUP_COLORS,
        GROUP_LABELS,
        LABEL_SETS,
        ROUTE_LABELS,
    )

    assert set(GROUP_COLORS) == set(LABEL_SETS["groups"])
    for lang in ("nl", "en"):
        assert set(GROUP_LABELS[lang]) == set(LABEL_SETS["groups"])
        assert set(ROUTE_LABELS[lang]) == set(LABEL_SETS["routes"])
        assert set(DWELLING_LABELS[lang]) == set(LABEL_SETS["dwelling types"])


def test_validate_prints_every_published_figure(capsys, tmp_path):
    """Every figure is printed with its verdict, in the table of its use; the report is
    written; a failing figure does not fail the command unless --strict."""
    from model.inputs.parameters import published_targets

    argv = ["validate", "--seeds", "1", "--households-per-agent", "50", *COARSE_ARGS,
            "--until", "2022-07-01", "--out", str(tmp_path / "v")]  # fmt: skip
    status = main(argv)
    out = capsys.readouterr().out
    validation, calibration = out.split("\ncalibration: ")
    for name, target in published_targets().items():
        table = validation if target["use"] == "validation" else calibration
        assert re.search(rf"^\s*{name}\s.*\s(pass|FAIL|not covered)$", table, re.M), name
    assert status == 0, out
    assert (tmp_path / "v" / "report.html").exists()
    assert "not covered" in validation  # figures after mid-2022 are not in this run
    strict = main([*argv, "--strict"])
    assert strict == (1 if " FAIL" in out else 0)


def test_validate_refuses_a_start_that_is_not_the_first_of_a_month(capsys):
    assert main(["validate", "--start", "2022-01-15", "--out", "x"]) == 2
    assert "parameter 'start' = '2022-01-15'; allowed: the first day of a month" in (
        capsys.readouterr().err
    )


# ------------------------------------------------------------ one-line errors

SMALL = ["--households-per-agent", "200", "--months", "6", *COARSE_ARGS]


@pytest.mark.parametrize(
    "argv, fragment",
    [
        ([], "arguments are required: command"),
        (["frobnicate"], "invalid choice: 'frobnicate' (choose from 'run', 'compare'"),
        (["run"], "arguments are required: --out"),
        (["run", "--out"], "argument --out: expected one argument"),
        (["run", "--bogus", "3", "--out", "x"],
         "unrecognized arguments: --bogus 3; allowed: the options listed by "
         "'python -m experiments run --help'"),
        (["run", "--months", "2.5", "--out", "x"], "parameter 'months' = '2.5' is not a whole"),
        (["run", "--months", "601", "--out", "x"],
         "parameter 'months' = 601; allowed: a whole number from 1 to 600"),
        (["run", "--lang", "fr", "--out", "x"], "argument --lang: invalid choice: 'fr'"),
        (["compare", "current-policy"], "arguments are required: b, --out"),
        (["compare", "a", "b", "--seeds", "x", "--out", "x"], "parameter 'seeds' = 'x'"),
        (["compare", "a", "b", "--years", "soon", "--out", "x"], "parameter 'years' = 'soon'"),
        (["bench", "--scales", "10,x"], "parameter 'scales' = 'x' is not a whole number"),
    ],
)  # fmt: skip
def test_bad_arguments_give_one_line_and_status_2(tmp_path, monkeypatch, capsys, argv, fragment):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    line = one_line_error(captured.err)
    assert fragment in line
    assert "usage" not in line and captured.out == ""
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------ flags and --set


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize(
    "flag, setting",
    [
        (["--months", "12"], "calendar.months=24"),
        (["--households-per-agent", "200"], "scale.households_per_agent=200"),
    ],
)
def test_a_flag_and_set_of_the_same_parameter_are_an_error(tmp_path, capsys, command, flag,
                                                           setting):  # fmt: skip
    out = tmp_path / "out"
    scenarios = ["current-policy", "current-policy"] if command == "compare" else []
    status = main([command, *scenarios, *flag, "--set", setting, "--out", str(out)])
    assert status == 2
    line = one_line_error(capsys.readouterr().err)
    name = setting.split("=")[0]
    assert f"{flag[0]} {flag[1]} and --set {setting} both set parameter '{name}'" in line
    assert "allowed: one of the two" in line
    assert not out.exists()


def test_set_alone_gives_the_run_its_length_and_scale(tmp_path):
    out = tmp_path / "out"
    argv = ["run", "--set", "calendar.months=3", "--set", "scale.households_per_agent=500",
            *COARSE_ARGS]  # fmt: skip
    assert main([*argv, "--out", str(out)]) == 0
    record = json.loads((out / "run.json").read_text())
    assert (record["months"], record["households_per_agent"]) == (3, 500)
    assert len(pd.read_csv(out / "monthly.csv")) == 4


@pytest.mark.slow
def test_without_flag_or_set_the_parameter_defaults_apply(tmp_path):
    from model.inputs.parameters import parameter_specs

    specs = parameter_specs()
    assert main(["run", "--households-per-agent", "2000", *COARSE_ARGS,
                 "--out", str(tmp_path / "a")]) == 0  # fmt: skip
    record = json.loads((tmp_path / "a" / "run.json").read_text())
    assert record["months"] == specs["calendar.months"].value
    assert main(["run", "--months", "2", "--out", str(tmp_path / "b")]) == 0
    record = json.loads((tmp_path / "b" / "run.json").read_text())
    assert record["households_per_agent"] == specs["scale.households_per_agent"].value


def test_compare_takes_length_and_scale_from_set(tmp_path, capsys):
    argv = ["compare", "current-policy", "lower-inflow", "--seeds", "1", "--years", "0.5",
            "--set", "calendar.months=12", "--set", "scale.households_per_agent=500",
            *COARSE_ARGS]  # fmt: skip
    assert main([*argv, "--out", str(tmp_path / "cmp")]) == 0
    assert "1 seeds, 12 months, 1 agent = 500 households" in capsys.readouterr().out


# ------------------------------------------------------------ --out


def bad_outs(tmp_path: Path) -> list[tuple[Path, str]]:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    return [
        (a_file, f"--out '{a_file}' is a file; allowed: a folder"),
        (a_file / "run", f"--out '{a_file / 'run'}' is under '{a_file}', which is a file"),
        (a_file / "deeper" / "run", f"is under '{a_file}', which is a file"),
        (Path("/proc/no-such-folder/run"), "--out '/proc/no-such-folder/run': cannot create"),
        (Path("/proc/run"), "--out '/proc/run': cannot create files in '/proc'"),
        (mine, f"--out '{mine}' holds other files (none of run.json), which would be deleted"),
    ]


def test_out_is_checked_before_anything_is_simulated(tmp_path, capsys, monkeypatch):
    from model.market import HousingMarket

    def no_simulation(*args, **kwargs):
        raise AssertionError("simulated despite a bad --out")

    monkeypatch.setattr(HousingMarket, "__init__", no_simulation)
    for out, fragment in bad_outs(tmp_path):
        status = main(["run", "--out", str(out)])
        line = one_line_error(capsys.readouterr().err)
        assert status == 2, out
        assert fragment in line and "allowed:" in line, line
    assert (tmp_path / "my-documents" / "thesis.tex").exists()
    assert sorted(os.listdir(tmp_path)) == ["a-file", "my-documents"]


def test_compare_checks_out_too(tmp_path, capsys):
    out, fragment = bad_outs(tmp_path)[1]
    status = main(["compare", "current-policy", "current-policy", "--out", str(out)])
    assert status == 2
    assert fragment in one_line_error(capsys.readouterr().err)


# ------------------------------------------------------------ kills, signals, two runs

SLOW_WRITE = """
import runpy, sys, time
import experiments.figures as figures

real = figures.reception_figure

def slow(*args, **kwargs):
    path = real(*args, **kwargs)
    print("writing", flush=True)
    time.sleep(60)
    return path

figures.reception_figure = slow
sys.argv = ["python -m experiments", *sys.argv[1:]]
runpy.run_module("experiments", run_name="__main__")
"""


@pytest.fixture()
def earlier(tmp_path):
    """An earlier complete run in tmp_path/run and its bytes."""
    out = tmp_path / "run"
    assert main(["run", "--seed", "4", *SMALL, "--out", str(out)]) == 0
    return out, snapshot(out)


def start_slow_run(out: Path) -> subprocess.Popen:
    """``python -m experiments run`` on ``out``, stopped while it writes its files."""
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, "run", "--seed", "5", *SMALL, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    while (line := proc.stdout.readline()) != "writing\n":
        assert line, proc.stderr.read()
    return proc


@pytest.mark.slow
def test_a_killed_run_leaves_the_earlier_result_and_blocks_no_one(earlier, capsys):
    out, before = earlier
    proc = start_slow_run(out)
    try:
        # A second run on the same folder meanwhile fails at once.
        started = time.perf_counter()
        assert main(["run", *SMALL, "--out", str(out)]) == 2
        assert time.perf_counter() - started < 5
        assert one_line_error(capsys.readouterr().err) == (
            f"error: output folder '{out}' is being written by another run (pid {proc.pid}); "
            "allowed: one run per output folder at a time"
        )
        (tmp,) = (p for p in out.parent.iterdir() if p.name.startswith(".run-tmp-"))
        assert {"monthly.csv", "overview.png"} <= set(os.listdir(tmp))  # killed mid-write
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert snapshot(out) == before
    # The next run is not blocked, replaces the folder and removes the killed run's leftovers.
    assert main(["run", "--seed", "6", *SMALL, "--out", str(out)]) == 0
    assert os.listdir(out.parent) == ["run"]
    assert json.loads((out / "run.json").read_text())["seed"] == 6


@pytest.mark.slow
def test_sigterm_stops_a_run_like_ctrl_c_and_writes_nothing(earlier):
    out, before = earlier
    proc = start_slow_run(out)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 143
    assert err == f"interrupted (SIGTERM): nothing was written, '{out}' is as it was\n"
    assert snapshot(out) == before
    assert os.listdir(out.parent) == ["run"]


def test_ctrl_c_stops_a_run_with_status_130_and_writes_nothing(earlier, monkeypatch, capsys):
    import experiments.figures

    out, before = earlier

    def interrupt(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)

    monkeypatch.setattr(experiments.figures, "reception_figure", interrupt)
    assert main(["run", *SMALL, "--out", str(out)]) == 130
    assert capsys.readouterr().err == (
        f"interrupted (Ctrl-C): nothing was written, '{out}' is as it was\n"
    )
    assert snapshot(out) == before
    assert os.listdir(out.parent) == ["run"]


def test_an_interrupt_after_the_swap_says_the_results_were_written(tmp_path, monkeypatch,
                                                                   capsys):  # fmt: skip
    import experiments.cli

    def interrupt(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)

    monkeypatch.setattr(experiments.cli, "format_table", interrupt)
    out = tmp_path / "run"
    assert main(["run", *SMALL, "--out", str(out)]) == 143
    assert capsys.readouterr().err == (
        f"interrupted (SIGTERM) after the results were written to '{out}'\n"
    )
    assert (out / "run.json").exists()


# ------------------------------------------------------------ compare A A, summary


def test_compare_a_scenario_with_itself_gives_zero_everywhere(tmp_path):
    out = tmp_path / "cmp"
    argv = ["compare", "current-policy", "current-policy", "--seeds", "2", "--years", "0.5",
            "--households-per-agent", "200", "--months", "12", *COARSE_ARGS,
            "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    d = pd.read_csv(out / "compare.csv")
    assert len(d) > 20
    both_missing = d["a_mean"].isna() & d["b_mean"].isna()
    assert (d["a_mean"].eq(d["b_mean"]) | both_missing).all()
    for col in ("difference_mean", "difference_p5", "difference_p95"):
        assert (d[col].eq(0) | both_missing).all(), col
    monthly = pd.read_csv(out / "compare_monthly.csv", index_col=0)
    assert monthly.fillna(0).eq(0).all().all()
    by_type = pd.read_csv(out / "compare_by_type.csv")
    assert set(by_type["measure"]) == {"lettings", "housed_for_good", "places_added"}
    assert (by_type["a_mean"] == by_type["b_mean"]).all()
    assert (by_type[["difference_mean", "difference_p5", "difference_p95"]] == 0).all().all()
    for name in ("passed_over.csv", "equal_playing_field.csv"):
        table = pd.read_csv(out / name)
        a = table[table["side"] == "A"].drop(columns="side").reset_index(drop=True)
        b = table[table["side"] == "B"].drop(columns="side").reset_index(drop=True)
        assert len(a) > 0
        pd.testing.assert_frame_equal(a, b)
    assert (out / "compare.png").stat().st_size > 0


def test_the_summary_labels_a_partial_last_year():
    from experiments.cli import summary_table
    from model.market import HousingMarket

    model = HousingMarket("current-policy", rng=1, households_per_agent=500, parameters=COARSE)
    results = model.run(18)
    table = summary_table(results, 500)
    assert list(table.columns) == ["year 1", "year 2 (6 months)"]
    assert not any("/yr" in label or "year end" in label for label in table.index)
    assert "self-contained lettings (households)" in table.index
    whole = summary_table(model.run(6), 500)  # now 24 months: two whole years
    assert list(whole.columns) == ["year 1", "year 2"]
    assert "self-contained lettings (households/yr)" in whole.index
    assert "status holders in reception at year end (persons)" in whole.index
    first_half = table.loc["self-contained lettings (households)", "year 2 (6 months)"]
    assert first_half < whole.loc["self-contained lettings (households/yr)", "year 2"]


# ------------------------------------------------------------ dated --set


def test_dated_set_values_make_a_schedule_recorded_in_run_json(tmp_path):
    out = tmp_path / "dated"
    # 19 months: the run reaches both dates (a date after its end is refused)
    argv = ["run", "--scenario", "cabinet-package", *SMALL, "--months", "19",
            "--set", "stock.flex_additions_per_year=1000",
            "--set", "stock.flex_additions_per_year=0@2027-01-01",
            "--set", "allocation.lottery_share=0.3@implementation"]  # fmt: skip
    argv.remove("6")
    argv.remove("--months")
    assert main([*argv, "--out", str(out)]) == 0
    record = json.loads((out / "run.json").read_text())
    levers = record["in_force"]["levers"]
    assert levers["stock.flex_additions_per_year"] == [
        {"from": "start", "value": 1000},
        {"from": "2027-01-01", "value": 0},
    ]
    assert levers["allocation.lottery_share"] == [
        {"from": "start", "value": 0.1},
        {"from": "2026-07-01", "value": 0.3},
    ]
    assert "stock.flex_additions_per_year" in record["in_force"]["set_by_user"]


@pytest.mark.parametrize(
    "sets, fragment",
    [
        (["allocation.lottery_share=0.2", "allocation.lottery_share=0.3"], "given twice"),
        (["allocation.lottery_share=0.2@2027-01-15"], "first day of a month"),
        (["regular.refusal_probability=0.2@2027-01-01"], "not a lever"),
        (["status_holders.permits_persons_per_year=20000"], "no effect"),
    ],
)
def test_bad_set_values_are_named(tmp_path, capsys, sets, fragment):
    argv = ["run", *SMALL]
    for item in sets:
        argv += ["--set", item]
    assert main([*argv, "--out", str(tmp_path / "x")]) == 2
    assert fragment in one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "x").exists()
