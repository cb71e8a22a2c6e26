"""The robust search on the command line: a tiny search end to end, resuming it, and bad
specs refused with one line before anything is written.

Runs here are 1 agent = 200 households for four months on three scenarios:
the machinery, not figures (experiments/specs/robust-example.toml is the
real example).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli import main
from experiments.robust import load_robust_spec
from experiments.sweep.fields import field_table
from model.inputs.parameters import parameter_specs

ROOT = Path(__file__).resolve().parents[1]
TINY = """
title = "tiny robust"
timeline = "current-policy"
seeds = [1]
months = 4
households_per_agent = 200

[ensemble]
size = 3
seed = 2

[uncertainties]
"asylum.applications_factor" = {}

[levers]
"allocation.lottery_share" = {}
"reception.regular_places_target" = {}

[fixed]
"scale.allow_unvalidated" = true

[search]
population = 4
seed = 1
nfe = 12

[[objectives]]
outcome = "reception_cost_eur_per_year"
metric = "percentile"
percentile = 90
epsilon = 5e6

[[objectives]]
outcome = "registration_years_median_regular"
metric = "regret"
epsilon = 0.01
"""


def write(tmp_path: Path, text: str = TINY) -> Path:
    path = tmp_path / "tiny.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def tiny_search(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robust")
    spec = write(tmp)
    assert main(["robust", str(spec), "--out", str(tmp / "out"), "--workers", "2"]) == 0
    return spec, tmp / "out"


def test_a_search_writes_the_pareto_set_with_levers_scores_and_ranges(tiny_search):
    _, out = tiny_search
    pareto = pd.read_parquet(out / "pareto.parquet")
    assert pareto["policy"].iloc[-1] == "reference" and len(pareto) >= 2
    front = pareto.iloc[:-1]
    assert front["allocation_lottery_share"].between(0, 0.2).all()
    places = parameter_specs()["reception.regular_places_target"]  # its plausible range
    assert front["reception_regular_places_target"].between(places.low, places.high).all()
    # Each score is its own policy's robustness over the ensemble (read back from its runs).
    p90 = "reception_cost_eur_per_year_p90"
    runs = _evaluations(out)
    for _, row in front.iterrows():
        mine = runs[
            (runs["allocation_lottery_share"] == row["allocation_lottery_share"])
            & (runs["reception_regular_places_target"] == row["reception_regular_places_target"])
        ]
        assert len(mine) == 3
        assert row[p90] == pytest.approx(np.percentile(mine["reception_cost_eur_per_year"], 90))
        assert row["reception_cost_eur_per_year_min"] == mine["reception_cost_eur_per_year"].min()
    assert pareto["registration_years_median_regular_regret_p100"].iloc[-1] == 0  # its own
    fields = field_table(out / "pareto.parquet")
    assert (fields["unit"] != "").all() and (fields["description"] != "").all()
    assert not fields["column"].str.contains(r"\.|__").any()
    assert (out / "pareto.csv").exists() and (out / "convergence.csv").exists()


def _evaluations(out: Path) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in (out / "evaluations").glob("*.parquet")])


def test_the_report_is_one_readable_self_contained_page(tiny_search):
    _, out = tiny_search
    page = (out / "report.html").read_text()
    assert "http://" not in page and "https://" not in page  # opens offline
    for words in (
        "What was searched",
        "The Pareto set",
        "What the search says",
        "Ranges and their sources",
        "euro per year",
        "years",
        "reference",
    ):
        assert words in page, words
    assert page.count("data:image/png;base64,") == 3


def test_the_manifest_records_the_session(tiny_search):
    _, out = tiny_search
    manifest = json.loads((out / "manifest.json").read_text())
    session = manifest["sessions"][-1]
    assert session["ran"] == (12 + 1) * 3 and session["reused"] == 0 and session["workers"] == 2
    assert session["libraries"]["ema_workbench"] == "3.0.0"
    assert manifest["columns"]["allocation.lottery_share"] == "allocation_lottery_share"


def test_an_interrupted_search_resumes_to_the_same_pareto_set(tiny_search, tmp_path, capsys):
    spec, whole = tiny_search
    out = tmp_path / "out"
    assert main(["robust", str(spec), "--out", str(out), "--limit", "17", "--workers", "1"]) == 0
    assert "not finished; continue with" in capsys.readouterr().out
    assert not (out / "pareto.csv").exists() and len(list((out / "evaluations").iterdir())) == 17
    assert main(["robust", str(spec), "--out", str(out)]) == 2  # not without --resume
    assert main(["robust", str(spec), "--out", str(out), "--resume"]) == 0
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert [(s["ran"], s["reused"]) for s in sessions] == [(17, 0), (22, 17)]
    assert (out / "pareto.csv").read_text() == (whole / "pareto.csv").read_text()
    other = write(tmp_path, TINY.replace("seed = 2", "seed = 3"))
    assert main(["robust", str(other), "--out", str(out), "--resume"]) == 2
    assert "another spec" in capsys.readouterr().err


BAD = {
    "unknown key": (("[search]", "[serch]"), "unknown key 'serch'"),
    "a neutral outcome": (
        (
            'outcome = "reception_cost_eur_per_year"',
            'outcome = "lettings_regular_households_per_year"',
        ),
        "it has no direction",
    ),
    "no epsilon": (("epsilon = 0.01\n", ""), "epsilon None"),
    "a zero epsilon": (("epsilon = 0.01", "epsilon = 0"), "epsilon 0"),
    "an unknown metric": (('metric = "regret"', 'metric = "minimax"'), "metric 'minimax'"),
    "a lever that is an uncertainty too": (
        ('"reception.regular_places_target" = {}', '"asylum.applications_factor" = {}'),
        "both a uncertainty and a lever",
    ),
    "an unknown lever": (
        ('"allocation.lottery_share" = {}', '"allocation.lotery_share" = {}'),
        "did you mean 'allocation_lottery_share'",
    ),
    "a lever the timeline makes inert": (
        (
            '"allocation.lottery_share" = {}',
            '"reunification.subsidiary_arrival_factor" = { low = 0.1, high = 0.3 }',
        ),
        "two_status_system",
    ),
    "a range outside what is allowed": (
        (
            '"allocation.lottery_share" = {}',
            '"allocation.lottery_share" = { low = -1, high = 0.2 }',
        ),
        "allowed: low < high within",
    ),
    "nfe below the population": (("nfe = 12", "nfe = 3"), "'nfe' = 3"),
    "too many runs": (
        (("size = 3", "size = 10"), ("nfe = 12", "nfe = 100000")),
        "runs; allowed: at most 1,000,000",
    ),
    "a timeline that does not exist": (
        ('timeline = "current-policy"', 'timeline = "nope"'),
        "unknown scenario 'nope'",
    ),
    "deep nesting": (("seeds = [1]", "seeds = " + "[" * 5000 + "]" * 5000), "nested too deeply"),
}


@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "run"])
@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_spec_is_one_line_and_exit_2_before_anything_is_written(tmp_path, capsys, case, dry):
    changes, message = BAD[case]
    text = TINY
    for old, new in changes if isinstance(changes[0], tuple) else [changes]:
        assert old in text, case
        text = text.replace(old, new)
    out = tmp_path / "out"
    argv = ["robust", str(write(tmp_path, text)), "--out", str(out)]
    assert main(argv + ["--dry-run"] * dry) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert not out.exists()


def test_the_example_spec_is_valid_and_small_enough_for_two_cores(capsys):
    path = ROOT / "experiments" / "specs" / "robust-example.toml"
    spec = load_robust_spec(path)
    assert spec.households_per_agent <= 20  # figures at a validated scale
    assert spec.runs <= 330  # about ten minutes on 2 cores (docs/robust-search.md has the time)
    assert main(["robust", str(path), "--dry-run"]) == 0
    assert "nothing was run" in capsys.readouterr().out


def test_a_lever_the_timeline_schedules_is_named_in_a_warning(tmp_path, capsys):
    text = TINY.replace('timeline = "current-policy"', 'timeline = "cabinet-package"').replace(
        '"allocation.lottery_share" = {}', '"stock.flex_additions_per_year" = {}'
    )
    assert main(["robust", str(write(tmp_path, text)), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "warning: 'stock.flex_additions_per_year' replaces the timeline's schedule" in out
