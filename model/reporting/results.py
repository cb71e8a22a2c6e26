"""Results as tidy pandas DataFrames, every figure in real households or persons.

* ``monthly``: one row per month (plus the start), national totals;
* ``monthly_by_region``: one row per (month, region, group);
* ``lettings``: one row per letting (per agent: ``households`` says how many
  real households the row stands for);
* ``half_years``: the quota's realisation per completed half year.

Column names end in their unit: ``_households``, ``_persons``, ``_dwellings``,
``_years``, ``_share``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from model.allocation.log import LettingLog
from model.base.codes import GROUPS
from model.inputs.history import HISTORY_START  # month indices count from it
from model.inputs.parameters import Parameters
from model.reporting.columns import of_kind


@dataclass
class Results:
    """A run's results.

    Attributes:
        monthly: National figures, one row per month (the first row is the start state).
        monthly_by_region: Per month, region and group.
        lettings: One row per letting.
        half_years: Quota realisation per completed half year, per region.
        quota_by_municipality: The same per municipality, with whether it ended behind.
        households: One row per agent that ever entered (``OutcomeLog.frame``):
            who it is, when it entered, and when and how it left (state 0:
            still waiting, 1: housed, 2: left the market); day numbers.
        integration: Per month, the work and benefit shares of the status-holder
            cohorts 18, 24, 36 and 60 months after their permit (model/asylum/integration.py).
        scale: Households per agent.
        end_day: Day number of the end of the last simulated month.
        regions: The run's region set (population and stock shares, names).
    """

    monthly: pd.DataFrame
    monthly_by_region: pd.DataFrame
    lettings: pd.DataFrame
    half_years: pd.DataFrame
    households: pd.DataFrame
    integration: pd.DataFrame
    quota_by_municipality: pd.DataFrame = field(default_factory=pd.DataFrame)
    scale: int = 1
    end_day: int = 0
    regions: Any = None

    @classmethod
    def of(
        cls,
        *,
        monthly: pd.DataFrame,
        region_months: list[dict],
        households: pd.DataFrame,
        realisation: list[dict],
        municipal: tuple[list[dict], Any],
        lettings: LettingLog,
        params: Parameters,
        months_run: int,
        day_end: int,
    ) -> Results:
        """A run's results so far, from what its parts recorded.

        Args:
            monthly: The month's figures, one row per month (the DataCollector's frame).
            region_months: Per month, its rows by region as columns (``region_rows``).
            households: Every household that entered (``OutcomeLog.frame``).
            realisation: The quota's record per completed half year.
            municipal: The quota's record per municipality and half year, and the
                municipalities (``Quota.by_municipality``, ``Quota.table``).
            lettings: The letting log.
            params: The run's parameters (scale, start date, regions).
            months_run: Months simulated.
            day_end: Day number of the end of the last simulated month.
        """
        from model.asylum.integration import cohort_indicators

        monthly = monthly.reset_index(drop=True)
        monthly["date"] = pd.to_datetime(monthly["date"])
        by_region = pd.DataFrame(
            {
                name: np.concatenate([m[name] for m in region_months])
                if isinstance(region_months[0][name], np.ndarray)
                else [v for m in region_months for v in m[name]]
                for name in region_months[0]
            }
            if region_months
            else {}
        )
        if len(by_region):
            by_region["date"] = pd.to_datetime(by_region["date"])
        names, k, start = params.regions.names, params.households_per_agent, params.start_date

        half_years = pd.DataFrame(
            [
                {
                    "half_year": rec["half_year"],
                    "region": region,
                    "target_persons": rec["target"][r] * k,
                    "housed_persons": rec["housed"][r] * k,
                    "backlog_after_persons": rec["backlog_after"][r] * k,
                    "lead_after_persons": rec["lead_after"][r] * k,
                }
                for rec in realisation
                for r, region in enumerate(names)
            ]
        )
        return cls(
            quota_by_municipality=_by_municipality(*municipal, names, k),
            monthly=monthly,
            monthly_by_region=by_region,
            lettings=lettings.frame(names, pd.Timestamp(HISTORY_START), k),
            half_years=half_years,
            households=households,
            integration=cohort_indicators(
                households, params, start, months_run, day_end, k, data_from=HISTORY_START
            ),
            scale=k,
            end_day=day_end,
            regions=params.regions,
        )

    def yearly(self) -> pd.DataFrame:
        """Flows summed per simulated year (12 months from the start), stocks at year end."""
        m = self.monthly.iloc[1:].copy()
        m["year"] = np.arange(len(m)) // 12 + 1
        flows = [c for c in of_kind("flow") if c in m.columns]
        out = m.groupby("year")[flows].sum()
        out["status_holder_share_of_self_contained_lettings"] = (
            out["lettings_self_contained_status_holder_households"]
            / out["lettings_self_contained_households"]
        )
        ends = m.groupby("year").last()
        for c in (
            "reception_backlog_persons",
            "status_holders_in_reception_persons",
            "reception_occupancy_total_persons",
        ):
            out[f"{c}_at_year_end"] = ends[c]
        emergency = [c for c in ends.columns if c.startswith("reception_occupancy_emergency_")]
        out["reception_emergency_persons_at_year_end"] = ends[emergency].sum(axis=1)
        return out


def _by_municipality(records: list[dict], table: Any, region_names, k: int) -> pd.DataFrame:
    """Every municipality's quota per completed half year (``quota_by_municipality.csv``)."""
    rows = []
    for rec in records:
        rows.append(
            pd.DataFrame(
                {
                    "half_year": rec["half_year"],
                    "municipality_code": table.code,
                    "municipality": table.name,
                    "province": table.province,
                    "region": [region_names[r] for r in table.region],
                    "target_persons": rec["target"] * k,
                    "housed_persons": rec["housed"] * k,
                    "backlog_after_persons": rec["backlog_after"] * k,
                    "lead_after_persons": rec["lead_after"] * k,
                    "behind": rec["behind"],
                    "effort_share": rec["effort"],
                }
            )
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def quantiles_by_group(
    values: np.ndarray, groups: np.ndarray, qs: tuple[float, ...], n_groups: int = len(GROUPS)
) -> list[list[float]]:
    """Per quantile of ``qs``, the quantile of ``values`` in each group (NaN where a group
    has none), from one sort: the same numbers as ``np.quantile`` (linear), bit for bit."""
    order = np.lexsort((values, groups))
    ranked, sorted_groups = values[order], groups[order]
    bounds = np.searchsorted(sorted_groups, np.arange(n_groups + 1))
    return [
        [sorted_quantile(ranked[bounds[g] : bounds[g + 1]], q) for g in range(n_groups)] for q in qs
    ]


def sorted_quantile(ranked: np.ndarray, q: float) -> float:
    """The q-quantile of sorted values (NaN if none), exactly as ``np.quantile`` computes
    it with its default (linear) method, without its overhead of a call."""
    n = len(ranked)
    if n == 0:
        return float("nan")
    virtual = (n - 1) * q
    if virtual >= n - 1:
        return float(ranked[-1])
    low = int(virtual)  # floor: virtual >= 0
    a, b = float(ranked[low]), float(ranked[low + 1])
    t = virtual - low
    diff = b - a
    return b - diff * (1 - t) if t >= 0.5 else a + diff * t


def sorted_median(ranked: np.ndarray) -> float:
    """The median of sorted values (NaN if none), exactly as ``np.median`` computes it."""
    n = len(ranked)
    if n == 0:
        return float("nan")
    if n % 2:
        return float(ranked[n // 2])
    return (float(ranked[n // 2 - 1]) + float(ranked[n // 2])) / 2.0
