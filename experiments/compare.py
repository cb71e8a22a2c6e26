"""Paired comparison of two scenarios over several seeds (displacement measures).

``python -m experiments compare A B --seeds S`` runs both scenarios on seeds
1..S. The same seed gives both runs the same households with the same luck
(common random numbers), so each seed's difference B - A is policy, not
noise; the bands are the 5th and 95th percentiles of those differences over
seeds. Writes, into ``--out``:

* ``compare.csv``: per measure, group and period: means of A and B, the mean
  difference and its 5-95% band (the outcomes of ``experiments/outcomes.py``,
  by the ``measure``, ``group`` and ``period`` each is registered under);
* ``compare_monthly.csv``: monthly differences of the main series, with bands;
* ``passed_over.csv``: lettings that passed over the head of the registration
  queue, by route, group housed and group passed over (mean over seeds);
* ``equal_playing_field.csv``: the chance of being housed within N years for
  comparable households, per group (mean over seeds);
* ``compare_by_type.csv``: where a change in lettings comes from: per group,
  dwelling type and route, lettings per year under A and B and the paired
  difference with its band; with, per group, the households housed for good
  (a temporary home: flex, start-up or shared, is a step, not a home) and, per
  dwelling type, the places added (``decomposition``, ``by_type_table``);

both with a ``side`` column (A or B) beside the scenario's name, so that a
scenario compared with itself keeps its two sides apart;
* ``compare.png``: the differences per group with their bands.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.outcomes import OUTCOMES, RunView, headline_outcomes, tidy
from model.base.codes import DWELLING_TYPES, GROUPS, TEMPORARY_NAMES
from model.market import HousingMarket
from model.reporting.displacement import (
    EPF_YEARS,
    epf_horizon,
    equal_playing_field,
    paired_differences,
)

# Monthly outcomes of the registry whose differences compare_monthly.csv holds.
MONTHLY_SERIES = [
    *[f"lettings_{g}_households" for g in GROUPS],
    "status_holders_in_reception_persons",
    "reception_backlog_persons",
    "registration_years_at_letting_median_regular",
]


def decomposition(results) -> pd.Series:
    """A run's flows per year by where they come from (real households and dwellings).

    Rows (a MultiIndex of measure, group, dwelling type, route): ``lettings`` per
    group, dwelling type and route; ``housed_for_good`` per group (every letting
    of a home without an end date: not a flex, start-up or shared home);
    ``places_added`` per dwelling type (new construction, additions, conversions).
    """
    years = (len(results.monthly) - 1) / 12
    let = results.lettings
    lettings = let.groupby(["group", "dwelling_type", "route"], observed=True)["households"].sum()
    lettings.index = pd.MultiIndex.from_tuples(
        [("lettings", g, t, r) for g, t, r in lettings.index]
    )
    final = let[~let["dwelling_type"].isin(TEMPORARY_NAMES)]
    housed = final.groupby("group", observed=True)["households"].sum()
    housed.index = pd.MultiIndex.from_tuples([("housed_for_good", g, "", "") for g in housed.index])
    flows = results.monthly.iloc[1:]
    added = {
        ("places_added", "", t, ""): float(flows[f"places_added_{t}_dwellings"].sum())
        for t in DWELLING_TYPES
    }
    out = pd.concat([lettings.astype(float), housed.astype(float), pd.Series(added)]) / years
    out.index.names = ["measure", "group", "dwelling_type", "route"]
    return out


def run_one(task: tuple) -> dict:
    """One scenario on one seed: its summary and the pieces the comparison needs."""
    scenario, seed, months, scale, dates, epf_years, parameters = task
    model = HousingMarket(
        scenario, rng=seed, households_per_agent=scale, parameters=parameters, attribution=True
    )
    view = RunView(model.run(months))
    monthly = pd.DataFrame({name: OUTCOMES[name](view) for name in MONTHLY_SERIES})
    epf = None
    if epf_years is not None:
        _, epf = equal_playing_field(view.results, model.params.regions.names, years=epf_years)
    summary = tidy(view, dates)
    if epf_years != EPF_YEARS:  # the registry's rows follow households for 2 years
        summary = summary[summary["measure"] != "housed_within_years_share"]
    return {
        "summary": summary,
        "monthly": monthly,
        "passed_over": view.passed_over,
        "equal_playing_field": epf,
        "by_type": decomposition(view.results),
    }


def paired_decomposition(runs_a: list[dict], runs_b: list[dict]) -> pd.DataFrame:
    """Per row of ``decomposition``: means of A and B per year, and the paired difference
    B - A with its 5-95% band over seeds (a row missing in a run is zero there)."""
    a = pd.concat([r["by_type"] for r in runs_a], axis=1).fillna(0.0)
    b = pd.concat([r["by_type"] for r in runs_b], axis=1).fillna(0.0)
    index = a.index.union(b.index)
    a, b = a.reindex(index, fill_value=0.0), b.reindex(index, fill_value=0.0)
    diff = b.to_numpy() - a.to_numpy()
    out = pd.DataFrame(
        {
            "a_mean": a.mean(axis=1),
            "b_mean": b.mean(axis=1),
            "difference_mean": diff.mean(axis=1),
            "difference_p5": np.quantile(diff, 0.05, axis=1),
            "difference_p95": np.quantile(diff, 0.95, axis=1),
        },
        index=index,
    ).reset_index()
    out["unit"] = np.where(
        out["measure"] == "places_added", "dwellings (places) per year", "households per year"
    )
    return out


def by_type_table(result: dict) -> pd.DataFrame:
    """The change in lettings per year (B - A, mean over seeds), group by dwelling type,
    with each group's total, its households housed for good, and the places added."""
    d = result["by_type"]
    let = d[d["measure"] == "lettings"]
    table = let.pivot_table(
        index="group", columns="dwelling_type", values="difference_mean", aggfunc="sum"
    ).reindex(columns=[t for t in DWELLING_TYPES if t in set(let["dwelling_type"])])
    table = table.fillna(0.0)
    table["all lettings"] = table.sum(axis=1)
    housed = d[d["measure"] == "housed_for_good"].set_index("group")["difference_mean"]
    table["housed for good"] = housed.reindex(table.index).fillna(0.0)
    added = d[d["measure"] == "places_added"].set_index("dwelling_type")["difference_mean"]
    row = added.reindex(table.columns[:-2]).rename("places added")
    return pd.concat([table, row.to_frame().T])


def _pool(workers: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def compare(
    a: str,
    b: str,
    seeds: int,
    months: int | None = None,
    scale: int | None = None,
    dates: list[dt.date] | None = None,
    epf_years: float | None = None,
    workers: int | None = None,
    parameters: dict | None = None,
) -> dict:
    """Run A and B on seeds 1..``seeds`` and return the paired results.

    Args:
        a, b: The scenarios (A is the reference).
        seeds: Seeds 1..seeds, the same for both.
        months: The run's length (None: the parameter ``calendar.months``).
        scale: Households per agent (None: the parameter ``scale.households_per_agent``).
        dates: Dates at which to report stocks (besides the end).
        epf_years: N of "housed within N years" (equal playing field); None: 2 years,
            or what fits a shorter run (``epf_horizon``; the note says so).
        workers: Worker processes (None: up to two).
        parameters: Further parameter values for both scenarios.

    Returns:
        A dict with ``differences`` (paired_differences), ``monthly`` (per
        date and series: mean difference and band), ``passed_over`` and
        ``equal_playing_field`` (both scenarios, mean over seeds; None when the run is
        too short for it), and ``notes`` (what was chosen or left out, and why).

    Raises:
        ParameterError: A scenario, a setting or ``epf_years`` is invalid.
    """
    _, params, _ = HousingMarket.check_settings(a, scale, None, parameters)
    HousingMarket.check_settings(b, scale, None, parameters)
    epf_years, note = epf_horizon(months or params["calendar.months"], epf_years)
    dates = dates or [dt.date(2027, 7, 1)]
    workers = workers or min(2, os.cpu_count() or 1)
    tasks = [
        (name, seed, months, scale, dates, epf_years, parameters or {})
        for seed in range(1, seeds + 1)
        for name in (a, b)
    ]
    if workers > 1 and len(tasks) > 1:
        with _pool(workers) as pool:
            runs = list(pool.map(run_one, tasks))
    else:
        runs = [run_one(t) for t in tasks]
    runs_a, runs_b = runs[0::2], runs[1::2]
    differences = paired_differences([r["summary"] for r in runs_a], [r["summary"] for r in runs_b])
    diffs = np.stack([rb["monthly"].to_numpy() - ra["monthly"].to_numpy()
                      for ra, rb in zip(runs_a, runs_b, strict=True)])  # fmt: skip
    index = runs_a[0]["monthly"].index
    monthly = pd.concat(
        {
            "difference_mean": pd.DataFrame(diffs.mean(axis=0), index, MONTHLY_SERIES),
            "difference_p5": pd.DataFrame(np.quantile(diffs, 0.05, axis=0), index, MONTHLY_SERIES),
            "difference_p95": pd.DataFrame(np.quantile(diffs, 0.95, axis=0), index, MONTHLY_SERIES),
        },
        axis=1,
    )

    def mean_over_seeds(key: str, by: list[str]) -> pd.DataFrame:
        # Keyed by side, not by name: A and B may be the same scenario.
        frames = []
        for side, name, rs in (("A", a, runs_a), ("B", b, runs_b)):
            both = pd.concat([r[key] for r in rs], ignore_index=True)
            numeric = both.select_dtypes("number").columns.difference(by)
            mean = both.groupby(by, observed=True)[list(numeric)].mean().reset_index()
            mean.insert(0, "scenario", name)
            mean.insert(0, "side", side)
            frames.append(mean)
        return pd.concat(frames, ignore_index=True)

    return {
        "a": a,
        "b": b,
        "seeds": seeds,
        "differences": differences,
        "by_type": paired_decomposition(runs_a, runs_b),
        "monthly": monthly,
        "passed_over": mean_over_seeds(
            "passed_over", ["route", "housed_group", "passed_over_group"]
        ),
        "equal_playing_field": (
            None if epf_years is None else mean_over_seeds("equal_playing_field", ["group"])
        ),
        "notes": [note] if note else [],
    }


def headline(result: dict) -> pd.DataFrame:
    """The table the command line prints: the main differences per group, with bands.

    The rows are the registry's headline outcomes (``headline`` in
    experiments/outcomes.py), then status holders in reception at each
    reporting date. The means of the two scenarios are in columns ``A`` and
    ``B`` (A and B may be the same scenario).
    """
    d = result["differences"]
    rows = []

    def pick(measure, group, period, label):
        hit = d[(d["measure"] == measure) & (d["group"] == group) & (d["period"] == period)]
        if len(hit):
            r = hit.iloc[0]
            rows.append(
                {
                    "measure": label,
                    "unit": r["unit"],
                    "A": r["a_mean"],
                    "B": r["b_mean"],
                    "difference": r["difference_mean"],
                    "5%": r["difference_p5"],
                    "95%": r["difference_p95"],
                }
            )

    for o in headline_outcomes():
        pick(o.measure, o.group, o.period, o.label["en"])
    stock = OUTCOMES["status_holders_in_reception_persons"]
    dated = d.loc[(d["measure"] == stock.measure) & d["period"].str.match(r"\d{4}-"), "period"]
    for period in sorted(set(dated)):
        pick(stock.measure, stock.group, period, f"{stock.label['en']} ({period})")
    return pd.DataFrame(rows)


def write(result: dict, out: Path) -> list[Path]:
    """Write the comparison's files and figure into ``out``."""
    from experiments.figures import compare_figure

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for key, name in (
        ("differences", "compare.csv"),
        ("by_type", "compare_by_type.csv"),
        ("passed_over", "passed_over.csv"),
        ("equal_playing_field", "equal_playing_field.csv"),
    ):
        if result[key] is None:  # left out (the note says why)
            continue
        path = out / name
        result[key].to_csv(path, index=False)
        paths.append(path)
    monthly = result["monthly"].copy()
    monthly.columns = [f"{series}__{stat}" for stat, series in monthly.columns]
    monthly.to_csv(out / "compare_monthly.csv")
    paths.append(out / "compare_monthly.csv")
    # The figure tells the sides apart by their labels: make them distinct.
    label = {"A": f"A: {result['a']}", "B": f"B: {result['b']}"}
    epf = result["equal_playing_field"]
    shown = {
        **result,
        "a": label["A"],
        "b": label["B"],
        "equal_playing_field": None if epf is None else epf.assign(scenario=epf["side"].map(label)),
    }
    paths.append(compare_figure(shown, out / "compare.png"))
    return paths
