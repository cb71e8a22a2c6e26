"""The columns of the model's output that the app reads.

The monthly columns are specified once, in ``model/reporting/columns.py``;
the names below are checked against that specification when the app starts,
so a renamed column fails at once, not on screen. The regional columns
(``monthly_by_region``) are named here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.reporting.columns import by_name
from model.reporting.presentation import GROUP_COLORS, GROUP_LABELS

GROUPS: tuple[str, ...] = tuple(GROUP_LABELS["en"])  # regular, urgent, status_holder
assert set(GROUPS) == set(GROUP_COLORS)

DATE = "date"


def _checked(name: str) -> str:
    if name not in by_name():
        raise KeyError(f"the app reads monthly column '{name}', which the model does not write")
    return name


def lettings(group: str) -> str:
    """Homes let to the group in the month (households)."""
    return _checked(f"lettings_{group}_households")


def waiting(group: str) -> str:
    """Households of the group in the queue at the month's end."""
    return _checked(f"waiting_{group}_households")


def registration_median(group: str) -> str:
    """Median registration time of the group's households housed in the month (years)."""
    return _checked(f"registration_years_at_letting_median_{group}")


IN_RECEPTION = _checked("status_holders_in_reception_persons")
OVER_NORM = _checked("reception_backlog_persons")
RECEPTION_COST = _checked("reception_cost_total_eur")

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
