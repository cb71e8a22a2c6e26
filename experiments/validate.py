"""The model beside the published figures (model/data/targets.toml).

``python -m experiments validate`` runs current policy from the start date on
a few seeds and prints each published figure, the model's value (mean over
seeds, with the range), and whether it is within the stated tolerance: the
first year's figures, and the queue's growth over the ten years
(``months`` in targets.toml). tests/test_calibration.py checks the same figures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.market import HousingMarket
from model.parameters import published_targets


def integration_figures(params) -> dict[str, float]:
    """The integration curves at the published cohorts' time to housing."""
    from model.integration import benefit_share, clock, work_share

    alpha = params["integration.reception_time_value_linked"]
    recent = published_targets()["work_share_18_months"]["years_to_housing"]
    cohort = published_targets()["benefit_share_2_years"]["years_to_housing"]
    return {
        "work_share_18_months": float(work_share(clock(1.5, recent, alpha), params)),
        "work_share_3_years": float(work_share(clock(3.0, recent, alpha), params)),
        "benefit_share_2_years": float(benefit_share(clock(2.0, cohort, alpha), params)),
        "benefit_share_5_years": float(benefit_share(clock(5.0, cohort, alpha), params)),
    }


def first_year_figures(results, params) -> dict[str, float]:
    """The model's value of each published figure, from a run's first year."""
    year = results.monthly.iloc[1:13].sum(numeric_only=True)
    lettings = results.lettings
    lettings = lettings[lettings["month"] < results.monthly["date"].iloc[12]]  # the first year
    regular = lettings[(lettings["group"] == "regular") & (lettings["route"] == "registration")]
    medians = regular.groupby("region", observed=True)["registration_time_years"].median()
    return {
        "self_contained_lettings": year["lettings_self_contained_households"],
        "non_self_contained_lettings": year["lettings_room_households"],
        "status_holders_housed": year["status_holders_housed_persons"],
        "family_members_arriving": year["reunification_arrivals_in_market_persons"]
        + year["reunification_arrivals_at_home_persons"],
        "status_holder_share_of_self_contained_lettings": (
            year["lettings_self_contained_status_holder_households"]
            / year["lettings_self_contained_households"]
        ),
        "reception_backlog_at_start": results.monthly["reception_backlog_persons"].iloc[0],
        "registration_years_at_letting": (medians.min(), medians.max()),
        "queue_growth": queue_growth(results.monthly),
    } | integration_figures(params)


def queue_growth(monthly) -> float:
    """Mean growth per year of the households waiting (all groups) over the run."""
    waiting = monthly.filter(regex=r"^waiting_\w+_households$").sum(axis=1)
    months = len(monthly) - 1
    return float((waiting.iloc[-1] / waiting.iloc[0]) ** (12 / max(months, 1)) - 1)


def validate(seeds=(1, 2, 3), scale: int = 10) -> pd.DataFrame:
    """Published figure, model value and verdict per target (each on runs under its
    target's conditions, targets.toml, as long as the longest figure needs: the
    queue's growth, ten years)."""
    runs: dict[str, list[dict]] = {}
    months = max(int(t.get("months", 12)) for t in published_targets().values())
    rows = []
    for name, target in published_targets().items():
        conditions = target.get("conditions", {})
        key = repr(sorted(conditions.items()))
        if key not in runs:
            runs[key] = []
            for seed in seeds:
                model = HousingMarket("current-policy", rng=seed, households_per_agent=scale,
                                      parameters=conditions)  # fmt: skip
                runs[key].append(first_year_figures(model.run(months), model.params))
        values = [r[name] for r in runs[key]]
        published = target["value"]
        tol = target["tolerance"]
        if isinstance(published, list):
            lo, hi = published
            model_lo = (
                float(np.mean([v[0] for v in values])) if isinstance(values[0], tuple) else None
            )
            if model_lo is not None:
                model_hi = float(np.mean([v[1] for v in values]))
                model = f"{model_lo:.2f} to {model_hi:.2f}"
                ok = lo * (1 - tol) <= model_lo and model_hi <= hi * (1 + tol)
            else:
                mean = float(np.mean(values))
                model = f"{mean:.3f} ({min(values):.3f}-{max(values):.3f})"
                ok = lo * (1 - tol) <= mean <= hi * (1 + tol)
            shown = f"{lo:g} to {hi:g}"
        else:
            mean = float(np.mean(values))
            if published < 1:
                model = f"{mean:.3f} ({min(values):.3f}-{max(values):.3f})"
            else:
                model = f"{mean:,.0f} ({min(values):,.0f}-{max(values):,.0f})"
            ok = abs(mean - published) <= tol * published
            shown = f"{published:,}"
        rows.append(
            {
                "figure": name,
                "published": shown,
                "model (mean, range over seeds)": model,
                "tolerance": f"{tol:.0%}",
                "within": "yes" if ok else "NO",
                "unit": target["unit"],
                "source": f"{target['source']} ({target['year']})"
                + (f"; run with {conditions}" if conditions else ""),
            }
        )
    return pd.DataFrame(rows)
