"""Do results depend on ``households_per_agent``? Headline figures per scale, over seeds.

``python -m experiments scale-check`` runs a scenario at several scales
(default 1:10, 1:20, 1:50) on the same seeds and prints, per headline figure,
the mean over seeds at each scale, its difference from the first (reference)
scale, and the noise of that difference (two standard errors over seeds).
Every figure is in real households or persons.

Up to 1:20 (``model.inputs.parameters.COARSEST_VALIDATED_SCALE``) the means over 8
seeds agree with 1:10 within ``TOLERANCE`` (``tests/test_scale.py``, a slow
test); coarser scales are refused unless ``scale.allow_unvalidated`` is set,
which this check does to show what goes wrong there.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from model.inputs.parameters import COARSEST_VALIDATED_SCALE

TOLERANCE = 0.03  # relative difference of the means over seeds from 1:10

# (key, label, unit)
FIGURES = (
    ("lettings_regular", "lettings to regular seekers", "households a year"),
    ("lettings_urgent", "lettings to urgent seekers", "households a year"),
    ("lettings_status_holder", "lettings to status holders", "households a year"),
    ("status_holders_housed", "status holders housed", "persons a year"),
    ("in_reception_mean", "status holders in reception, run mean", "persons"),
    ("in_reception_end", "status holders in reception, at the end", "persons"),
    ("backlog_mean", "reception backlog (past 14 weeks), run mean", "persons"),
    ("backlog_end", "reception backlog (past 14 weeks), at the end", "persons"),
    ("urgent_waiting_mean", "urgent seekers waiting, run mean", "households"),
    ("urgent_waiting_end", "urgent seekers waiting, at the end", "households"),
    ("permit_to_home_weeks", "weeks from permit to a home, median", "weeks"),
    ("flex_reserved_share", "share of new flex homes reserved for status holders", "share"),
    ("quota_behind_mean", "municipalities behind on the quota, run mean", "municipalities"),
)


def headline_figures(results) -> dict[str, float]:
    """The scale-check figures of one run (real households and persons)."""
    m = results.monthly.iloc[1:]
    years = len(m) / 12
    out = {
        f"lettings_{g}": m[f"lettings_{g}_households"].sum() / years
        for g in ("regular", "urgent", "status_holder")
    }
    out["status_holders_housed"] = m["status_holders_housed_persons"].sum() / years
    for key, col in (
        ("in_reception", "status_holders_in_reception_persons"),
        ("backlog", "reception_backlog_persons"),
        ("urgent_waiting", "waiting_urgent_households"),
    ):
        out[f"{key}_mean"] = float(m[col].mean())
        out[f"{key}_end"] = float(m[col].iloc[-1])
    lettings = results.lettings
    from_reception = (lettings["group"] == "status_holder") & (
        lettings["situation_before"] == "reception"
    )
    weeks = lettings.loc[from_reception, "time_since_entry_years"] * 365.25 / 7
    out["permit_to_home_weeks"] = float(weeks.median()) if len(weeks) else float("nan")
    added = m["vacancies_flex_addition_dwellings"].sum()
    reserved = m["flex_additions_reserved_dwellings"].sum()
    out["flex_reserved_share"] = float(reserved / added) if added else float("nan")
    out["quota_behind_mean"] = float(m["quota_behind_municipalities"].mean())
    return out


def _one(task: tuple) -> dict:
    scenario, seed, scale, months = task
    from model.market import HousingMarket

    coarse = {"scale.allow_unvalidated": True} if scale > COARSEST_VALIDATED_SCALE else {}
    model = HousingMarket(scenario, rng=seed, households_per_agent=scale, parameters=coarse)
    return {"scale": scale, "seed": seed, **headline_figures(model.run(months))}


def _pool(workers: int) -> ProcessPoolExecutor:
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def scale_runs(
    scales=(10, 20, 50),
    seeds=tuple(range(1, 9)),
    months: int = 120,
    scenario: str = "current-policy",
    workers: int | None = None,
) -> pd.DataFrame:
    """One row per (scale, seed) with the headline figures."""
    tasks = [(scenario, seed, scale, months) for scale in scales for seed in seeds]
    workers = workers or min(2, os.cpu_count() or 1)
    if workers > 1:
        with _pool(workers) as pool:
            rows = list(pool.map(_one, tasks))
    else:
        rows = [_one(t) for t in tasks]
    return pd.DataFrame(rows)


def scale_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per figure: the mean over seeds at each scale and the relative difference from the first."""
    scales = list(dict.fromkeys(runs["scale"]))
    means = runs.groupby("scale")[[k for k, _, _ in FIGURES]].mean()
    sems = runs.groupby("scale")[[k for k, _, _ in FIGURES]].sem()
    rows = []
    for key, label, unit in FIGURES:
        ref = means.loc[scales[0], key]
        row = {"figure": label, "unit": unit}
        for s in scales:
            row[f"1:{s}"] = means.loc[s, key]
        for s in scales[1:]:
            row[f"1:{s} vs 1:{scales[0]}"] = means.loc[s, key] / ref - 1.0 if ref else float("nan")
        # Standard error of the difference of means (seeds are independent across scales).
        row["noise (2 s.e.)"] = max(
            2 * np.hypot(sems.loc[s, key], sems.loc[scales[0], key]) / abs(ref) if ref else 0
            for s in scales[1:]
        )
        worst = max(abs(row[f"1:{s} vs 1:{scales[0]}"]) for s in scales[1:])
        row["verdict"] = (
            "within 3%"
            if worst <= TOLERANCE
            else "within noise"
            if worst <= row["noise (2 s.e.)"]
            else "DIFFERS"
        )
        rows.append(row)
    return pd.DataFrame(rows)


def format_scale_table(table: pd.DataFrame) -> str:
    """The table with counts rounded and differences as signed percentages."""
    shown = table.copy()
    for c in shown.columns:
        if c == "verdict":
            continue
        if c.endswith(")") or " vs " in c:
            shown[c] = [f"{v:+.1%}" if " vs " in c else f"{v:.1%}" for v in shown[c]]
        elif c.startswith("1:"):
            shown[c] = [
                f"{v:.1%}" if u == "share" else f"{v:,.1f}" if u == "weeks" else f"{v:,.0f}"
                for v, u in zip(shown[c], table["unit"], strict=True)
            ]
    return shown.to_string(index=False)
