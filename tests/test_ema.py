"""The EMA workbench adapter, as an exploratory modeller uses it, and Mesa's batch_run.

Runs here are 1 agent = 200 households for four months
(``scale.allow_unvalidated``): they check the plumbing, not figures. The
workbench is pinned (pyproject.toml: ema_workbench 3.0.0) and installed by
``make test``; the tests fail rather than skip without it.
"""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor

import ema_workbench as ema
import mesa
import numpy as np
import pandas as pd
import pytest
from ema_workbench import Sample, ScalarOutcome
from ema_workbench.em_framework.evaluators import robust_optimize

from experiments.batch import BatchMarket
from experiments.ema import ema_model, housing_market
from experiments.ema.evaluators import PoolEvaluator
from experiments.ema.robustness import Percentile, Regret, robustness_outcome
from experiments.outcomes import OUTCOMES
from model.base.errors import ParameterError

TINY = dict(months=4, households_per_agent=200)
FIXED = {"scale.allow_unvalidated": True}
RUN = dict(TINY, scale_allow_unvalidated=True)
OUT = ("reception_cost_eur_per_year", "registration_years_median_regular")


def tiny_model(**kw):
    args = dict(TINY, fixed=FIXED, outcomes=OUT)
    args.update(kw)
    return ema_model(**args)


# ---------------------------------------------------------------- the function


def test_the_function_pickles_and_round_trips():
    kwargs = dict(
        RUN,
        policy_timeline="cabinet-package",
        seed=4,
        outcomes=OUT,
        asylum_applications_factor=1.2,
        stock_new_construction_per_year=20000.4,
    )
    again = pickle.loads(pickle.dumps(housing_market))
    assert again is housing_market  # by reference: any worker can import it
    direct = housing_market(**kwargs)
    assert set(direct) == {*OUT, "seed"} and direct["seed"] == 4
    with ProcessPoolExecutor(1) as pool:  # in another process, after pickling
        remote = pool.submit(again, **kwargs).result()
    assert remote == direct


def test_the_function_takes_numpy_values_and_refuses_unknown_names():
    out = housing_market(
        **RUN,
        outcomes=OUT,
        asylum_applications_factor=np.float64(0.9),
        stock_new_construction_per_year=np.int64(15000),
    )
    assert out["seed"] == 1
    with pytest.raises(ParameterError, match="did you mean 'stock_new_construction_per_year'"):
        housing_market(**RUN, stock__new_construction_per_year=1)  # the old double underscore
    with pytest.raises(ParameterError, match="unknown scalar outcome"):
        housing_market(**RUN, outcomes=["nope"])


# ---------------------------------------------------------------- the model


def test_the_model_is_what_an_exploratory_modeller_expects():
    model = ema_model(seeds=(3, 5), series=["status_holders_in_reception_persons"])
    levers = {p.name for p in model.levers}
    assert levers == {
        "stock_new_construction_per_year",
        "stock_flex_additions_per_year",
        "allocation_urgent_share_cap",
        "allocation_lottery_share",
        "reception_regular_places_target",
    }  # supply, allocation, reception
    assert all(isinstance(p, ema.IntegerParameter | ema.RealParameter) for p in model.levers)
    assert {"asylum_applications_factor", "asylum_recognition_rate"} <= {
        p.name for p in model.uncertainties
    }
    construction = next(p for p in model.levers if p.name == "stock_new_construction_per_year")
    assert (construction.lower_bound, construction.upper_bound) == (12000, 30000)  # plausible
    constants = {c.name: c.value for c in model.constants}
    assert constants["policy_timeline"] == "current-policy" and constants["months"] == 60
    assert [dict(r) for r in model.replications] == [{"seed": 3}, {"seed": 5}]
    for o in model.outcomes:
        if isinstance(o, ema.TimeSeriesOutcome):
            assert o.name == "status_holders_in_reception_persons"
            continue
        expected = {"worse": o.MINIMIZE, "better": o.MAXIMIZE, "neutral": o.INFO}
        assert o.kind == expected[OUTCOMES[o.name].higher_is], o.name
    names = [p.name for p in [*model.uncertainties, *model.levers]] + list(constants)
    assert not set(names) & {"policy", "scenario", "model"}
    assert not [n for n in names if "." in n or "__" in n]


@pytest.mark.parametrize(
    "kw, message",
    [
        (dict(levers=["asylum.applications_factor"]), "both a uncertainty and a lever"),
        (dict(levers=["stock.new_constructions"]), "did you mean"),
        (dict(levers=["policy.family_priority"]), "is not a number"),
        (dict(levers=["stock.demolition_per_year"]), "no plausible range"),
        (dict(levers=["calendar.months"]), "the model's months"),
        (dict(seeds=[]), "seeds"),
        (dict(seeds=[1, 1]), "distinct"),
        (dict(outcomes=["status_holders_in_reception_persons"]), "monthly outcome"),
        (dict(timeline="nope"), "unknown scenario 'nope'"),
        (dict(timeline="higher-inflow"), "not a policy lever but an uncertainty"),
        (
            dict(
                levers=["reunification.subsidiary_arrival_factor"],
                ranges={"reunification.subsidiary_arrival_factor": (0.1, 0.3)},
            ),
            "two_status_system",
        ),
        (dict(ranges={"allocation.lottery_share": (0.3, 0.1)}), "low < high"),
        (
            dict(
                levers=["reception.regular_places_target"],
                ranges={"reception.regular_places_target": (60000.2, 60000.9)},
            ),
            "fewer than two whole numbers",
        ),
        (dict(name="housing market"), "valid Python identifier"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_a_bad_model_is_one_error_before_anything_runs(kw, message):
    with pytest.raises((ParameterError, ema.EMAError), match=message) as err:
        tiny_model(**{"levers": ["allocation.lottery_share"], **kw})
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------- experiments and PRIM


@pytest.fixture(scope="module")
def experiments_and_outcomes():
    model = tiny_model(
        uncertainties=["asylum.applications_factor", "asylum.recognition_rate"],
        levers=["allocation.lottery_share", "reception.regular_places_target"],
        outcomes=[*OUT, "status_holders_in_reception_end_persons"],
        series=["status_holders_in_reception_persons"],
        seeds=(1, 2),
    )
    with PoolEvaluator(model, workers=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=10, policies=2)
    return model, experiments, outcomes


def test_perform_experiments_gives_the_mean_over_the_seeds(experiments_and_outcomes):
    model, experiments, outcomes = experiments_and_outcomes
    assert len(experiments) == 20 and experiments["policy"].nunique() == 2
    assert outcomes["status_holders_in_reception_persons"].shape == (20, 5)  # start + 4 months
    row = experiments.iloc[7]
    varied = {p.name: row[p.name] for p in [*model.uncertainties, *model.levers]}
    per_seed = [
        housing_market(
            **RUN, **varied, seed=s, outcomes=OUT, series=["status_holders_in_reception_persons"]
        )
        for s in (1, 2)
    ]
    for name in OUT:
        assert outcomes[name][7] == pytest.approx(np.mean([r[name] for r in per_seed]))
    series = np.mean([r["status_holders_in_reception_persons"] for r in per_seed], axis=0)
    assert np.allclose(outcomes["status_holders_in_reception_persons"][7], series)


def test_prim_on_the_workbench_experiments_and_box_inspect(
    experiments_and_outcomes, tmp_path, capsys
):
    from experiments.prim_example import discover, prim_inputs

    _, experiments, outcomes = experiments_and_outcomes
    y = outcomes["status_holders_in_reception_end_persons"]
    x, legend = prim_inputs(experiments)
    assert "policy" in legend and not {"model", "scenario"} & set(x.columns)
    box = discover(x, y, float(np.median(y)), tmp_path, legend)
    text = capsys.readouterr().out
    assert "coverage" in text and "qp value" in text  # box.inspect()'s table
    stats, limits = box.inspect(style="data")[0]
    assert 0 < stats["coverage"] <= 1 and len(limits) >= 1
    assert (tmp_path / "prim.png").exists()


def test_prim_names_the_policies_in_a_box_that_restricts_them(tmp_path, capsys):
    """A known answer: the cases are one policy's runs with a > 0.5; the box says so."""
    from ema_workbench.analysis import prim

    from experiments.prim_example import discover, prim_inputs

    rng = np.random.default_rng(0)
    n = 400
    experiments = pd.DataFrame(
        {
            "a": rng.uniform(0, 1, n),
            "b": rng.uniform(0, 1, n),
            "scenario": pd.Categorical(np.arange(n) % 200),
            "model": pd.Categorical(["m"] * n),
            "policy": pd.Categorical(np.where(np.arange(n) < 200, "build", "wait")),
        }
    )
    y = np.where((experiments["policy"] == "wait") & (experiments["a"] > 0.5), 50_000.0, 10.0)
    with pytest.raises(TypeError):  # the workbench alone: inspect fails on a categorical box
        prim.Prim(experiments.drop(columns=["model", "scenario"]), y > 30_000).find_box().inspect()
    x, legend = prim_inputs(experiments)
    discover(x, y, 30_000, tmp_path, legend)
    lines = capsys.readouterr().out.split("box: coverage")[1].splitlines()  # ours, not inspect's
    policy = next(line for line in lines if line.strip().startswith("policy "))
    a = next(line for line in lines if line.strip().startswith("a "))
    b = next(line for line in lines if line.strip().startswith("b "))
    assert "wait" in policy and "build" not in policy and "restricts the box" in policy
    assert "restricts the box" in a and "restricts" not in b


# ---------------------------------------------------------------- optimize


def test_optimize_searches_the_levers_for_the_registry_directions(tmp_path):
    model = tiny_model(
        uncertainties=["asylum.applications_factor"],
        levers=["allocation.lottery_share", "reception.regular_places_target"],
        outcomes=[*OUT, "lettings_regular_households_per_year"],  # the last is neutral: INFO
    )
    reference = Sample("reference", asylum_applications_factor=1.0)
    with PoolEvaluator(model, workers=2) as evaluator:
        front, convergence = evaluator.optimize(
            nfe=16,
            searchover="levers",
            reference=reference,
            epsilons=[5e6, 0.02],
            population_size=8,
            rng=1,
            filename="archive.tar.gz",
            directory=str(tmp_path),
        )
    assert list(front.columns) == [
        "allocation_lottery_share",
        "reception_regular_places_target",
        *OUT,
    ]
    assert len(front) >= 1 and convergence["nfe"].iloc[-1] >= 16
    assert front["allocation_lottery_share"].between(0, 0.2).all()
    row = front.iloc[0]
    again = housing_market(
        **RUN,
        outcomes=OUT,
        asylum_applications_factor=1.0,
        allocation_lottery_share=row["allocation_lottery_share"],
        reception_regular_places_target=row["reception_regular_places_target"],
    )
    for name in OUT:  # the front's values are what the model gives for its levers
        assert row[name] == pytest.approx(again[name])


# ---------------------------------------------------------------- robust_optimize


def _toy_model():
    def toy(x=0.5, u=0.0):
        return {"y": (x - u) ** 2}

    model = ema.Model("toy", function=toy)
    model.uncertainties = [ema.RealParameter("u", 0, 1)]
    model.levers = [ema.RealParameter("x", 0, 1)]
    model.outcomes = [ScalarOutcome("y")]
    return model


def test_the_workbench_alone_scores_every_policy_of_a_generation_alike(tmp_path):
    """Why experiments/ema/evaluators.py scores robust policies itself (ema_workbench 3.0.0):
    upstream, each robustness function sees every policy's runs at once."""
    model = _toy_model()
    scenarios = [Sample(f"s{k}", u=u) for k, u in enumerate([0.1, 0.5, 0.9])]
    mean_y = ScalarOutcome(
        "mean_y", kind=ScalarOutcome.MINIMIZE, variable_name="y", function=np.mean
    )
    front, _ = robust_optimize(
        model,
        [mean_y],
        scenarios,
        nfe=40,
        epsilons=[1e-6],
        population_size=10,
        rng=2,
        filename="u.tar.gz",
        directory=str(tmp_path),
    )
    true = [np.mean([(x - s["u"]) ** 2 for s in scenarios]) for x in front["x"]]
    assert not np.allclose(front["mean_y"], true)  # upstream: the generation's mean, not its own
    with PoolEvaluator(model, workers=1) as evaluator:
        front, _ = evaluator.robust_optimize(
            [mean_y],
            scenarios,
            nfe=40,
            epsilons=[1e-6],
            population_size=10,
            rng=2,
            filename="o.tar.gz",
            directory=str(tmp_path),
        )
    true = [np.mean([(x - s["u"]) ** 2 for s in scenarios]) for x in front["x"]]
    assert np.allclose(front["mean_y"], true)
    assert abs(front["x"].iloc[0] - 0.5) < 0.15  # the robust choice: the middle


def test_robust_optimize_with_percentile_and_regret_on_the_model(tmp_path):
    model = tiny_model(
        uncertainties=["asylum.applications_factor"],
        levers=["allocation.lottery_share", "reception.regular_places_target"],
    )
    scenarios = [Sample(f"s{k}", asylum_applications_factor=f) for k, f in enumerate([0.7, 1.2])]
    with PoolEvaluator(model, workers=2) as evaluator:
        _, base = evaluator.perform_experiments(
            scenarios=scenarios,
            policies=[
                Sample("today", allocation_lottery_share=0.1, reception_regular_places_target=70000)
            ],
        )
        robustness = [
            robustness_outcome(OUT[0], "percentile", 90),
            robustness_outcome(OUT[1], "regret", 100, reference=base[OUT[1]]),
        ]
        front, _ = evaluator.robust_optimize(
            robustness,
            scenarios,
            nfe=8,
            epsilons=[5e6, 0.01],
            population_size=4,
            rng=1,
            filename="r.tar.gz",
            directory=str(tmp_path),
        )
        policies = [
            Sample(
                f"p{k}",
                **row[["allocation_lottery_share", "reception_regular_places_target"]].to_dict(),
            )
            for k, row in front.iterrows()
        ]
        check, values = evaluator.perform_experiments(scenarios=scenarios, policies=policies)
    assert {r.name for r in robustness} == {f"{OUT[0]}_p90", f"{OUT[1]}_regret_p100"}
    for k, (_, row) in enumerate(front.iterrows()):  # each score is its own policy's
        mine = (check["policy"] == f"p{k}").to_numpy()
        order = np.argsort(check["scenario"][mine].astype(str).to_numpy())
        cost, years = values[OUT[0]][mine][order], values[OUT[1]][mine][order]
        assert row[f"{OUT[0]}_p90"] == pytest.approx(np.percentile(cost, 90))
        assert row[f"{OUT[1]}_regret_p100"] == pytest.approx(np.max(years - base[OUT[1]]))


def test_the_robustness_metrics_on_known_answers():
    assert Percentile(90)([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) == pytest.approx(10)
    assert Regret([1.0, 5.0], q=100)([2.0, 4.0]) == 1.0  # worse by 1 in the first scenario
    assert Regret([1.0, 5.0], q=100, higher_is_worse=False)([2.0, 4.0]) == 1.0  # lower: worse
    better = robustness_outcome("housed_within_14_weeks_share", "percentile", 90)
    assert better.kind == ScalarOutcome.MAXIMIZE and better.function.q == 10  # the bad tail
    with pytest.raises(ValueError, match="neither better nor worse"):
        robustness_outcome("lettings_regular_households_per_year")


# ---------------------------------------------------------------- Mesa's batch_run


def test_batch_run_records_the_seed_and_the_outcomes():
    rows = mesa.batch_run(
        BatchMarket,
        parameters={
            "scenario": ["current-policy"],
            "months": 4,
            "households_per_agent": 200,
            "scale_allow_unvalidated": True,
            "asylum_applications_factor": [0.8, 1.2],
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
            "current-policy",
            rng=int(row["seed"]),
            months=4,
            households_per_agent=200,
            scale_allow_unvalidated=True,
            asylum_applications_factor=row["asylum_applications_factor"],
            outcomes=OUT,
        )
        while again.running:
            again.step()
        assert again.final_outcomes[OUT[0]] == row[OUT[0]]  # the seed reproduces the row
