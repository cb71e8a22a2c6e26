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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from model.base.calendar import DAYS_PER_YEAR
from model.base.codes import DWELLING_TYPES, GROUPS, ORIGINS, ROUTES, SITUATIONS
from model.base.columns import ColumnTable


class LettingLog(ColumnTable):
    """Every letting, in the order made.

    Args:
        attribution: Whether the lettings carry who pure registration order would
            have housed instead; without it the frame leaves those columns out.
    """

    FIELDS = (
        ("month", np.int16, 0),
        ("day", np.int32, 0),
        ("region", np.int8, 0),
        ("dwelling_type", np.int8, 0),
        ("dwelling_id", np.int64, 0),
        ("origin", np.int8, 0),
        ("group", np.int8, 0),
        ("household_id", np.int64, 0),
        ("persons", np.int16, 0),
        ("route", np.int8, 0),
        ("registration_days", np.int32, 0),
        ("days_since_entry", np.int32, 0),
        ("leaves_social_home", bool, False),
        ("situation", np.int8, 0),
        ("residence_permit", bool, False),
        ("passed_over_id", np.int64, -1),
        ("passed_over_group", np.int8, -1),
        ("responsible_region", np.int8, -1),
    )

    def __init__(self, attribution: bool = True):
        super().__init__()
        self.attribution = attribution

    def add(self, **columns: np.ndarray) -> None:
        """Append lettings (every field given is an array of the same length)."""
        n = len(columns["household_id"])
        if n:
            self.append(n, **columns)

    @property
    def count(self) -> int:
        return len(self)

    def column(self, name: str) -> np.ndarray:
        """One field over all lettings."""
        return self[name]

    def frame(self, region_names: tuple[str, ...], start: pd.Timestamp, scale: int) -> pd.DataFrame:
        """All lettings as a DataFrame with readable labels."""
        cols = self.frame_columns()
        month_dates = pd.DatetimeIndex(
            [start + pd.DateOffset(months=int(m)) for m in range(int(cols["month"].max()) + 1)]
            if self.count
            else []
        )
        passed = cols["passed_over_group"]
        frame = pd.DataFrame(
            {
                "month": month_dates[cols["month"]] if self.count else pd.DatetimeIndex([]),
                "region": pd.Categorical.from_codes(cols["region"], region_names),
                "dwelling_type": pd.Categorical.from_codes(cols["dwelling_type"], DWELLING_TYPES),
                "dwelling_id": cols["dwelling_id"],
                "vacancy_origin": pd.Categorical.from_codes(cols["origin"], ORIGINS),
                "group": pd.Categorical.from_codes(cols["group"], GROUPS),
                "household_id": cols["household_id"],
                "household_size_persons": cols["persons"],
                "route": pd.Categorical.from_codes(cols["route"], ROUTES),
                "registration_time_years": cols["registration_days"] / DAYS_PER_YEAR,
                "time_since_entry_years": cols["days_since_entry"] / DAYS_PER_YEAR,
                "leaves_social_home": cols["leaves_social_home"],
                "situation_before": pd.Categorical.from_codes(cols["situation"], SITUATIONS),
                "residence_permit": cols["residence_permit"],
                "passed_over_household_id": cols["passed_over_id"],
                "passed_over_group": pd.Categorical.from_codes(
                    np.where(passed >= 0, passed, -1), GROUPS
                ),
                "responsible_region": pd.Categorical.from_codes(
                    cols["responsible_region"], region_names
                ),
                "households": np.full(self.count, scale, np.int64),
            }
        )
        if not self.attribution:
            frame = frame.drop(columns=["passed_over_household_id", "passed_over_group"])
        return frame


class OutcomeLog(ColumnTable):
    """Every household that left the market: who it was, and when and how it left.

    With the households still waiting (censored), this is what the equal
    playing field measure needs: the chance of being housed within N years
    for comparable households of each group.
    """

    FIELDS = (
        ("id", np.int64, 0),
        ("group", np.int8, 0),
        ("region", np.int8, 0),
        ("size", np.int16, 0),
        ("children", bool, False),
        ("registration_day", np.int32, 0),
        ("entry_day", np.int32, 0),
        ("out_day", np.int32, 0),
        ("startup_day", np.int32, 0),
        ("linked_region", np.int8, -1),
        ("responsible_region", np.int8, -1),
        ("state", np.int8, 0),
    )

    def add(self, table, rows: np.ndarray, state: int) -> None:
        """Households in ``rows`` of the table leave with ``state`` (housed or left)."""
        if len(rows) == 0:
            return
        values = {name: table[name][rows] for name in self.columns if name != "state"}
        self.append(len(rows), state=state, **values)

    def frame(self, table) -> pd.DataFrame:
        """All households that entered: those gone, and those still waiting (state 0).

        Day columns are day numbers; ``out_day`` and ``startup_day`` are
        ``NEVER`` where the event did not happen.
        """
        waiting = table.waiting()
        cols = {
            name: np.concatenate([self[name], table[name][waiting].astype(dtype)])
            for name, dtype, _ in self.FIELDS
        }
        return pd.DataFrame(cols)


@dataclass
class Results:
    """A run's results.

    Attributes:
        monthly: National figures, one row per month (the first row is the start state).
        monthly_by_region: Per month, region and group.
        lettings: One row per letting.
        half_years: Quota realisation per completed half year, per region.
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
    scale: int = 1
    end_day: int = 0
    regions: Any = None

    @classmethod
    def of(cls, model) -> Results:
        """A model's results so far."""
        from model.asylum.integration import cohort_indicators

        monthly = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        monthly["date"] = pd.to_datetime(monthly["date"])
        months = model._region_rows
        by_region = pd.DataFrame(
            {
                name: np.concatenate([m[name] for m in months])
                if isinstance(months[0][name], np.ndarray)
                else [v for m in months for v in m[name]]
                for name in months[0]
            }
            if months
            else {}
        )
        if len(by_region):
            by_region["date"] = pd.to_datetime(by_region["date"])
        households = model.queue.outcomes.frame(model.households)
        names, k = model.params.regions.names, model.scale
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
                for rec in model.quota.realisation
                for r, region in enumerate(names)
            ]
        )
        day_end = model.clock.day_end
        return cls(
            monthly=monthly,
            monthly_by_region=by_region,
            lettings=model.lettings_log.frame(names, pd.Timestamp(model.start_date), k),
            half_years=half_years,
            households=households,
            integration=cohort_indicators(
                households, model.params, model.start_date, max(model.month + 1, 0), day_end, k
            ),
            scale=k,
            end_day=day_end,
            regions=model.params.regions,
        )

    def yearly(self) -> pd.DataFrame:
        """Flows summed per simulated year (12 months from the start), stocks at year end."""
        m = self.monthly.iloc[1:].copy()
        m["year"] = np.arange(len(m)) // 12 + 1
        flows = [
            c
            for c in m.columns
            if c.startswith(("lettings_", "entered_", "exits_", "reunification_", "asylum_app"))
            or c.startswith(("reception_cost_", "asylum_permits", "integration_start"))
        ]
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
