"""The EMA workbench function and model, and Mesa's batch_run with this model.

Runs here are 1 agent = 200 households for a few months
(``scale__allow_unvalidated``): they check the plumbing, not figures. The
tests that build an ``ema_workbench`` model skip, saying so, when the ``ema``
extra is not installed.
"""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import mesa
import pandas as pd
import pytest

from experiments.batch import BatchMarket
from experiments.ema import DEFAULT_UNCERTAINTIES, alias, dotted, housing_market
from model.base.errors import ParameterError

TINY = dict(months=4, households_per_agent=200, scale__allow_unvalidated=True)
OUT = ("status_holders_in_reception_end_persons", "reception_cost_eur_per_year")


def test_aliases_round_trip_and_avoid_the_workbench_names():
    for name in DEFAULT_UNCERTAINTIES:
        assert dotted(alias(name)) == name and alias(name).isidentifier()
    assert dotted("asylum.applications_factor") == "asylum.applications_factor"
    with pytest.raises(ParameterError, match="unknown parameter 'stock__nope'"):
        dotted("stock__nope")


def test_the_function_pickles_and_round_trips():
    kwargs = dict(
        TINY,
        housing_policy="cabinet-package",
        seed=4,
        outcomes=OUT,
        asylum__applications_factor=1.2,
        stock__new_construction_per_year=20000.4,
    )
    again = pickle.loads(pickle.dumps(housing_market))
    assert again is housing_market  # by reference: any worker can import it
    direct = housing_market(**kwargs)
    assert set(direct) == {*OUT, "seed"} and direct["seed"] == 4
    assert all(isinstance(v, float | int) for v in direct.values())
    with ProcessPoolExecutor(1) as pool:  # in another process, after pickling
        remote = pool.submit(again, **kwargs).result()
    assert remote == direct
    assert pickle.loads(pickle.dumps(direct)) == direct


def test_the_function_takes_numpy_values_and_refuses_unknown_names():
    import numpy as np

    out = housing_market(**TINY, outcomes=OUT, asylum__applications_factor=np.float64(0.9),
                         stock__new_construction_per_year=np.int64(15000))  # fmt: skip
    assert out["seed"] == 1
    with pytest.raises(ParameterError, match="unknown parameter"):
        housing_market(**TINY, stock__new_constructions=1)


def test_the_workbench_model_runs_experiments():
    ema = pytest.importorskip("ema_workbench", reason="the 'ema' extra is not installed")
    from experiments.ema import ema_model, policies

    model = ema_model(months=4, households_per_agent=200, outcomes=OUT)
    model.constants = [*model.constants, ema.Constant("scale__allow_unvalidated", True)]
    names = {p.name for p in model.uncertainties} | {p.name for p in model.levers}
    assert not names & {"policy", "scenario", "model"}
    assert "asylum__applications_factor" in names and "housing_policy" in names
    experiments, outcomes = ema.perform_experiments(
        model, scenarios=2, policies=policies(["current-policy", "cabinet-package"]),
        evaluator=ema.SequentialEvaluator(model),
    )  # fmt: skip
    assert len(experiments) == 4
    assert set(outcomes) == {*OUT, "seed"} and (outcomes["seed"] == 1).all()
    assert set(experiments["housing_policy"]) == {"current-policy", "cabinet-package"}


def test_batch_run_records_the_seed_and_the_outcomes():
    rows = mesa.batch_run(
        BatchMarket,
        parameters={
            "scenario": ["current-policy"],
            "months": 4,
            "households_per_agent": 200,
            "scale__allow_unvalidated": True,
            "asylum__applications_factor": [0.8, 1.2],
            "outcomes": [OUT],
        },
        rng=[None],  # fresh seeds: only the reporter can tell which
        max_steps=100,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    df = pd.DataFrame(rows)
    assert len(df) == 2 and (df["Step"] == 4).all()
    for _, row in df.iterrows():
        again = BatchMarket(
            "current-policy", rng=int(row["seed"]), months=4, households_per_agent=200,
            scale__allow_unvalidated=True, asylum__applications_factor=row[
                "asylum__applications_factor"], outcomes=OUT,
        )  # fmt: skip
        while again.running:
            again.step()
        assert again.final_outcomes[OUT[0]] == row[OUT[0]]  # the seed reproduces the row


def test_prim_finds_the_box_of_a_known_answer(tmp_path, capsys):
    pytest.importorskip("ema_workbench", reason="the 'ema' extra is not installed")
    import numpy as np

    from experiments.prim_example import discover

    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 300), "b": rng.uniform(0, 1, 300)})
    y = np.where(x["a"] > 0.7, 50_000.0, 10_000.0)  # only a matters
    discover(x, y, 30_000, tmp_path)
    text = capsys.readouterr().out
    line_a = next(line for line in text.splitlines() if line.strip().startswith("a "))
    line_b = next(line for line in text.splitlines() if line.strip().startswith("b "))
    assert "restricts the box" in line_a and "restricts" not in line_b
    assert (tmp_path / "prim.png").exists()
