"""The letting log: every letting of a run, in the order made (``Results.lettings``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.base.calendar import DAYS_PER_YEAR
from model.base.codes import DWELLING_TYPES, GROUPS, ORIGINS, ROUTES, SITUATIONS
from model.base.columns import ColumnTable


class LettingLog(ColumnTable):
    """Every letting, in the order made. ``month`` counts from the history's start
    (1 January 2022, ``model.inputs.history.HISTORY_START``), as the market's clock does;
    ``frame`` turns it into dates.

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
        ("family_abroad", np.int16, 0),
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
                "family_abroad_persons": cols["family_abroad"],
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
