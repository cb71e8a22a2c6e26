"""Sensitivity analysis of sweeps: the indices rank known effects, and small budgets warn.

The sweeps here use a runner with a known answer in place of the model
(y = 10 a - 2 b, c inert), through the real sweep machinery: spec, design,
storage and analysis.
"""

from __future__ import annotations

import pytest

from experiments.cli import main
from experiments.sensitivity import analyse, srrc
from experiments.sweep import SpecError, load_spec, run_sweep

pytest.importorskip("SALib")

OUTCOME = "status_holders_in_reception_end_persons"
SPEC = """
title = "known answer"
scenarios = ["current-policy"]
seeds = {seeds}
months = 12
outcomes = ["{outcome}"]
[design]
kind = "{kind}"
points = {points}
seed = 5
[parameters]
"asylum.applications_factor" = {{ low = 0.5, high = 1.5 }}
"allocation.lottery_share" = {{ low = 0.0, high = 0.2 }}
"asylum.recognition_rate" = {{ low = 0.25, high = 0.62 }}
"""


def known_answer(task):
    """y = 10 a - 2 (b / 0.2); c does nothing; a little noise per seed."""
    p = task.parameters
    a = p["asylum.applications_factor"]
    b = p["allocation.lottery_share"] / 0.2
    y = 10 * a - 2 * b + 0.01 * task.seed
    return {"ok": True, "values": {OUTCOME: y}, "series": None, "seconds": 0.0, "worker": "test"}


def sweep(tmp_path, kind, points, seeds=1):
    path = tmp_path / f"{kind}.toml"
    path.write_text(SPEC.format(kind=kind, points=points, seeds=seeds, outcome=OUTCOME))
    out = tmp_path / kind
    run_sweep(load_spec(path), out, runner=known_answer, workers=1, progress=False,
              log=lambda s: None)  # fmt: skip
    return out


def main_index(table, index):
    sel = table[table["index"] == index].set_index("parameter")["value"]
    return sel


@pytest.mark.slow
def test_sobol_ranks_the_known_effects_and_warns_on_a_small_budget(tmp_path):
    table, warnings = analyse(sweep(tmp_path, "sobol", 64))
    st = main_index(table, "ST")
    assert st["asylum.applications_factor"] > 0.8
    assert 0.01 < st["allocation.lottery_share"] < 0.2
    assert abs(st["asylum.recognition_rate"]) < 0.02
    assert {"conf_low", "conf_high"} <= set(table.columns)
    assert any("budget is too small" in w for w in warnings)


def test_morris_ranks_the_known_effects_and_warns_on_few_trajectories(tmp_path):
    table, warnings = analyse(sweep(tmp_path, "morris", 4))
    mu = main_index(table, "mu_star")
    assert mu["asylum.applications_factor"] == pytest.approx(10, rel=0.05)
    assert mu["allocation.lottery_share"] == pytest.approx(2, rel=0.05)
    assert mu["asylum.recognition_rate"] == pytest.approx(0, abs=0.01)
    assert any("trajectories" in w for w in warnings)


def test_rank_regression_on_a_latin_hypercube(tmp_path):
    out = sweep(tmp_path, "latin_hypercube", 40, seeds=2)
    table, warnings = analyse(out)
    coef = main_index(table, "SRRC")
    assert coef["asylum.applications_factor"] > 0.9
    assert coef["allocation.lottery_share"] < -0.1
    assert abs(coef["asylum.recognition_rate"]) < 0.1
    assert main_index(table, "R2")["(all)"] > 0.95
    row = table[table["parameter"] == "asylum.applications_factor"].iloc[0]
    assert row["conf_low"] <= row["value"] <= row["conf_high"]
    assert table["seed_noise_share"].iloc[0] < 0.01  # the noise is tiny here
    assert not warnings


def test_the_sensitivity_command_prints_and_plots(tmp_path, capsys):
    out = sweep(tmp_path, "latin_hypercube", 12)
    assert main(["sensitivity", str(out)]) == 0
    text = capsys.readouterr().out
    assert "SRRC" in text and "asylum.applications_factor" in text
    assert "fewer than 10 per parameter" in text  # 12 points for 3 parameters
    assert (out / "sensitivity" / "sensitivity.png").stat().st_size > 10_000
    assert main(["sensitivity", str(out), "--method", "sobol"]) == 2
    assert "needs a sobol design" in capsys.readouterr().err


def test_an_unfinished_sweep_is_refused(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(SPEC.format(kind="latin_hypercube", points=10, seeds=1, outcome=OUTCOME))
    run_sweep(load_spec(path), tmp_path / "o", runner=known_answer, workers=1, limit=4,
              progress=False, log=lambda s: None)  # fmt: skip
    with pytest.raises(SpecError, match="has 4 of its 10 runs"):
        analyse(tmp_path / "o")


def test_srrc_of_a_monotone_function_is_one():
    import numpy as np

    x = np.random.default_rng(1).uniform(size=(50, 2))
    coef, r2 = srrc(x, np.exp(3 * x[:, 0]))
    assert coef[0] == pytest.approx(1) and abs(coef[1]) < 1e-9 and r2 == pytest.approx(1)


def test_the_seed_noise_share_is_within_over_total_sum_of_squares():
    import numpy as np
    import pandas as pd

    from experiments.sensitivity import point_means

    # Three points, two seeds each: point means 2, 6, 10; grand mean 6.
    # Within: 6 x 1² = 6. Total: 4² + 4² + 1² + 1² ... = 25 + 9 + 1 + 1 + 9 + 25 = 70.
    runs = pd.DataFrame({"point": [0, 0, 1, 1, 2, 2], "y": [1.0, 3, 5, 7, 9, 11]})
    means, noise = point_means(runs, "y")
    assert list(means) == [2, 6, 10]
    assert noise == pytest.approx(6 / 70)
    # All the spread between seeds: exactly 100% (a ratio of variances gave 150% here).
    same = pd.DataFrame({"point": [0, 0, 1, 1], "y": [0.0, 2, 0, 2]})
    assert point_means(same, "y")[1] == pytest.approx(1.0)
    # Unequal seeds per point, random values: within 0..1, and the ANOVA identity holds.
    rng = np.random.default_rng(3)
    many = pd.DataFrame({"point": rng.integers(0, 7, 200), "y": rng.normal(size=200)})
    many["y"] += many["point"] * 0.3
    share = point_means(many, "y")[1]
    between = many.groupby("point")["y"].agg(["size", "mean"])
    ss_between = (between["size"] * (between["mean"] - many["y"].mean()) ** 2).sum()
    ss_total = ((many["y"] - many["y"].mean()) ** 2).sum()
    assert 0 <= share <= 1 and share == pytest.approx(1 - ss_between / ss_total)
    assert np.isnan(point_means(runs.drop_duplicates("point"), "y")[1])  # one seed: no share
