"""The one place where the app names the model's output columns.

The model's monthly columns grow (per dwelling type, per reception tier) and
some will be renamed (the emergency reception place types, now ``ship`` and
``hotel``, become tiers with ``emergency`` in their names). Everything the app
reads from ``month_stats``, the DataCollector or ``monthly_by_region`` is
named here, so that a rename touches one line.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.presentation import GROUP_COLORS, GROUP_LABELS

GROUPS: tuple[str, ...] = tuple(GROUP_LABELS["en"])  # regular, urgent, status_holder
assert set(GROUPS) == set(GROUP_COLORS)

DATE = "date"


def lettings(group: str) -> str:
    """Homes let to the group in the month (households)."""
    return f"lettings_{group}_households"


def waiting(group: str) -> str:
    """Households of the group in the queue at the month's end."""
    return f"waiting_{group}_households"


def registration_median(group: str) -> str:
    """Median registration time of the group's households housed in the month (years)."""
    return f"registration_years_at_letting_median_{group}"


IN_RECEPTION = "status_holders_in_reception_persons"
OVER_NORM = "reception_backlog_persons"
RECEPTION_COST = "reception_cost_total_eur"
RECEPTION_OCCUPANCY_PREFIX = "reception_occupancy_"
EMERGENCY_PLACE_TYPES = ("ship", "hotel")  # today's names; tomorrow "...emergency..."

# The monthly series the live charts and the figures above them read.
LIVE_SERIES: tuple[str, ...] = (
    *(lettings(g) for g in GROUPS),
    *(waiting(g) for g in GROUPS),
    *(registration_median(g) for g in GROUPS),
    IN_RECEPTION,
    OVER_NORM,
    RECEPTION_COST,
)


def emergency_columns(columns) -> list[str]:
    """The occupancy columns of emergency reception places (persons), old names or new."""
    out = []
    for c in columns:
        if not (c.startswith(RECEPTION_OCCUPANCY_PREFIX) and c.endswith("_persons")):
            continue
        kind = c.removeprefix(RECEPTION_OCCUPANCY_PREFIX).removesuffix("_persons")
        if "emergency" in kind or kind in EMERGENCY_PLACE_TYPES:
            out.append(c)
    return out


def emergency_persons(stats: Mapping[str, float]) -> float:
    """Persons in emergency reception places (hotels, ships, ...) in a month's figures."""
    return float(sum(stats[c] for c in emergency_columns(stats)))


# Per region (``monthly_by_region``): one row per date, region and group.
REGION = "region"
GROUP = "group"
REGION_LETTINGS = "lettings_households"
REGION_WAITING = "waiting_households"
REGION_REGISTRATION_MEDIAN = "registration_years_at_letting_median"


def series(rows: list[Mapping[str, float]], names) -> dict[str, np.ndarray]:
    """Columns of a list of month figures as arrays (NaN where a month lacks one)."""
    return {n: np.array([r.get(n, np.nan) for r in rows], dtype=float) for n in names}


def monthly_frame(model) -> pd.DataFrame:
    """Every monthly figure of a model so far (the first row is the start)."""
    return model.datacollector.get_model_vars_dataframe().reset_index(drop=True)


def region_frame(model) -> pd.DataFrame:
    """The model's figures per month, region and group so far (``monthly_by_region``).

    Through ``results()``, the public way (about 50 ms after ten years at 1:20:
    it also builds the lettings table); a cheaper accessor for the regional
    figures alone would do (asked of the model).
    """
    return model.results().monthly_by_region
