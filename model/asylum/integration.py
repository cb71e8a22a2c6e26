"""Integration outcomes of status holders: paid work and benefits over time.

Civic integration starts at housing; in reception only pre-integration (14
weeks) and, while a municipality is responsible through the quota link, an
early start can run (letter). The model keeps an *integration clock* per
status holder: a year housed counts as a year, a year in reception counts as
``reception_time_value`` of a year (linked: a municipality is responsible;
unlinked: none is, after the quota is abolished). How much a longer stay in
reception costs is that parameter: an assumption, documented in
docs/assumptions.md.

On the clock, the share in paid work rises and the share on benefits falls:

    work(tau)     = w_max * (1 - exp(-lambda * (tau - d_w)+))
    benefits(tau) = b_max * exp(-mu * (tau - d_b)+)

``calibrated_rates`` solves lambda, mu and d_b in closed form so that the
published cohort figures come out (13% in work 18 months after the permit;
91% and 46% on benefits after 2 and 5 years), given the time to housing of
those cohorts. The data file holds the result; a test checks they agree.

Which municipality is responsible for civic integration: the quota link
while it exists; once it is abolished, the region the alternative coupling
links each status holder to (``policy.coupling_without_quota`` =
``population_share``), or else the BRP registration after housing (letter).
The household column ``responsible_region`` holds the one assigned before
housing (a status holder with one counts reception time at the linked value);
the letting log records who is responsible for each status holder housed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from model.base import numerics
from model.base.calendar import DAYS_PER_MONTH, DAYS_PER_YEAR, add_months, day_number
from model.base.codes import GROUPS
from model.households.population import REENTRY_ID_GROUP, id_namespace
from model.inputs.parameters import Parameters, published_targets

_STATUS_HOLDER = GROUPS.index("status_holder")
# Months after the permit, and what is measured then.
COHORTS = ((18, ("work",)), (24, ("benefit",)), (36, ("work",)), (60, ("benefit",)))


def clock(years_since_permit, years_in_reception, reception_value):
    """Integration time (years): housed time plus reception time at its value."""
    t = np.asarray(years_since_permit, float)
    r = np.minimum(np.asarray(years_in_reception, float), t)
    return (t - r) + reception_value * r


def work_share(tau, params: Parameters):
    """Share in paid work after ``tau`` years of integration time."""
    p = params
    tau = np.asarray(tau, float)
    active = np.maximum(tau - p["integration.work_delay_years"], 0.0)
    return p["integration.work_share_max"] * (
        1.0 - numerics.exp(-p["integration.work_hazard_per_year"] * active)
    )


def benefit_share(tau, params: Parameters):
    """Share on benefits after ``tau`` years of integration time."""
    p = params
    tau = np.asarray(tau, float)
    falling = np.maximum(tau - p["integration.benefit_plateau_years"], 0.0)
    return p["integration.benefit_share_max"] * numerics.exp(
        -p["integration.benefit_exit_per_year"] * falling
    )


def calibrated_rates(params: Parameters) -> dict[str, float]:
    """The three calibrated rates, solved from the published cohort figures."""
    p, targets = params, published_targets()
    alpha = p["integration.reception_time_value_linked"]
    recent = targets["work_share_18_months"]["years_to_housing"]
    tau18 = float(clock(1.5, recent, alpha))
    w = targets["work_share_18_months"]["value"] / p["integration.work_share_max"]
    hazard = -math.log1p(-w) / (tau18 - p["integration.work_delay_years"])
    cohort = targets["benefit_share_2_years"]["years_to_housing"]
    tau2, tau5 = (float(clock(t, cohort, alpha)) for t in (2.0, 5.0))
    b2, b5 = targets["benefit_share_2_years"]["value"], targets["benefit_share_5_years"]["value"]
    exit_rate = math.log(b2 / b5) / (tau5 - tau2)
    plateau = tau2 - math.log(p["integration.benefit_share_max"] / b2) / exit_rate
    return {
        "integration.work_hazard_per_year": float(hazard),
        "integration.benefit_plateau_years": float(plateau),
        "integration.benefit_exit_per_year": float(exit_rate),
    }


def left_reception_day(households: pd.DataFrame, end_day: int) -> np.ndarray:
    """The day each status holder left reception (a home, a temporary home, or away), or end_day."""
    left = np.minimum(households["out_day"].to_numpy(), households["temporary_day"].to_numpy())
    return np.minimum(left, end_day)


def cohort_indicators(
    households: pd.DataFrame,
    params: Parameters,
    start,
    months: int,
    end_day: int,
    scale: int,
    data_from=None,
) -> pd.DataFrame:
    """Work and benefit shares of the cohorts 18, 24, 36 and 60 months after their permit.

    For each month of the run, the status holders whose permit fell in the
    month 18 (24, 36, 60) months earlier, weighted by persons, with their
    actual time in reception (those still there count it up to the month's
    end). Cohorts with a permit before ``data_from`` (default: ``start``), when the
    run's households begin, are left out (NaN): only those still in reception
    then are in the model, a biased part.

    Returns:
        One row per month: ``date`` and the shares (``..._share``), with the
        persons in each cohort.
    """
    reentry = id_namespace(households["id"].to_numpy()) == REENTRY_ID_GROUP
    sh = households[(households["group"] == _STATUS_HOLDER) & ~reentry]  # not a new permit
    permit = sh["registration_day"].to_numpy()  # status holders register on their permit
    left = left_reception_day(sh, end_day)
    persons = sh["size"].to_numpy().astype(float)
    value = np.where(
        sh["responsible_region"].to_numpy() >= 0,
        params["integration.reception_time_value_linked"],
        params["integration.reception_time_value_unlinked"],
    )
    start_day = day_number(start if data_from is None else data_from)
    rows = []
    for m in range(months + 1):
        day = day_number(add_months(start, m))
        row = {"date": pd.Timestamp(add_months(start, m))}
        for lag, measures in COHORTS:
            first = day - (lag + 1) * DAYS_PER_MONTH
            mine = (permit >= first) & (permit < day - lag * DAYS_PER_MONTH)
            w = persons[mine]
            row[f"cohort_{lag}_months_persons"] = float(w.sum()) * scale
            if w.sum() == 0 or first < start_day:
                for measure in measures:
                    row[f"{measure}_share_{lag}_months_share"] = float("nan")
                continue
            t = (day - permit[mine]) / DAYS_PER_YEAR
            in_reception = (np.minimum(left[mine], day) - permit[mine]) / DAYS_PER_YEAR
            tau = clock(t, in_reception, value[mine])
            for measure in measures:
                share = work_share(tau, params) if measure == "work" else benefit_share(tau, params)
                row[f"{measure}_share_{lag}_months_share"] = float(np.average(share, weights=w))
        rows.append(row)
    return pd.DataFrame(rows)
