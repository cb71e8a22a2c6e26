"""The columns of the model's output that the app reads, named in one place.

The model's monthly columns grow and some will be renamed (the emergency
reception place types become tiers). The project's outcome registry
(``experiments/outcomes.py``) names the monthly columns by role, in one place;
the app asks it, so a rename there reaches the app too. The regional columns
(``monthly_by_region``), which the registry does not read, are named here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.outcomes import column
from model.presentation import GROUP_COLORS, GROUP_LABELS

GROUPS: tuple[str, ...] = tuple(GROUP_LABELS["en"])  # regular, urgent, status_holder
assert set(GROUPS) == set(GROUP_COLORS)

DATE = "date"


def lettings(group: str) -> str:
    """Homes let to the group in the month (households)."""
    return column("lettings_group", group)


def waiting(group: str) -> str:
    """Households of the group in the queue at the month's end."""
    return column("waiting_group", group)


def registration_median(group: str) -> str:
    """Median registration time of the group's households housed in the month (years)."""
    return column("registration_median_group", group)


IN_RECEPTION = column("in_reception_persons")
OVER_NORM = column("backlog_persons")
RECEPTION_COST = column("cost_total_eur")

# The monthly series the live charts and the figures above them read.
LIVE_SERIES: tuple[str, ...] = (
    *(lettings(g) for g in GROUPS),
    *(waiting(g) for g in GROUPS),
    *(registration_median(g) for g in GROUPS),
    IN_RECEPTION,
    OVER_NORM,
    RECEPTION_COST,
)


def registration_rolling(group: str) -> str:
    """The app's own series: median registration time at letting over the last 12 months."""
    return f"app_registration_years_12_months_median_{group}"


# What a frame carries: the model's monthly series and the app's rolling medians.
FRAME_SERIES: tuple[str, ...] = (*LIVE_SERIES, *(registration_rolling(g) for g in GROUPS))

# Per region (``monthly_by_region``): one row per date, region and group.
REGION = "region"
GROUP = "group"
REGION_LETTINGS = "lettings_households"
REGION_WAITING = "waiting_households"
REGION_REGISTRATION_MEDIAN = "registration_years_at_letting_median"


def series(rows: list[dict[str, float]], names) -> dict[str, np.ndarray]:
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
