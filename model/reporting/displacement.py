"""Displacement between groups, measured three ways.

1. **Paired counterfactual** (:func:`paired_differences` of the outcomes of
   ``experiments.outcomes.tidy``):
   two scenarios on the same seed share every household and its luck
   (common random numbers), so the per-group differences in lettings,
   waiting time and time in reception come from policy, not noise.
2. **Per-letting attribution** (:func:`passed_over`): every letting that did
   not go to the head of the registration-time queue records who pure
   registration order would have housed (``model.allocation.routes.attribute``);
   counted here as "passed over, and by whom".
3. **Equal playing field** (:func:`equal_playing_field`): the chance of being
   housed within N years for comparable households (same region, household
   size and registration time at entry) across groups.

Every figure is in real households or persons.

Where status holders are housed (:func:`spread`) is measured against each
region's share of the population and of the corporation stock: the
dissimilarity index (half the sum of absolute share differences) is the share
of status holders who would have to be housed elsewhere for the two
distributions to match; 0 is a perfect match.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.base.calendar import DAYS_PER_YEAR, day_number
from model.base.codes import GROUPS, TEMPORARY_NAMES, State
from model.base.errors import ParameterError
from model.reporting.results import Results

# Household size classes and registration time at entry (years) for comparability.
SIZE_CLASSES = (1, 2, 3, 6, 99)  # 1, 2, 3-5, 6+
SIZE_LABELS = ("1", "2", "3-5", "6+")
REGISTRATION_BINS = (-1e9, 1.0, 3.0, 6.0, 1e9)
REGISTRATION_LABELS = ("<1", "1-3", "3-6", "6+")


def reception_stays(results: Results) -> pd.DataFrame:
    """Every status holder's stay in reception: years from the permit, and whether it ended.

    A stay ends with a home (a temporary one included) or leaving the market;
    one still running at the end of the run is censored there. Households
    already in reception at the start count from their permit too.
    """
    h = results.households
    sh = h[h["group"] == GROUPS.index("status_holder")]
    end = np.minimum(sh["out_day"].to_numpy(), sh["temporary_day"].to_numpy()).astype(np.int64)
    left = end <= results.end_day
    end = np.where(left, end, results.end_day)
    return pd.DataFrame({"years": (end - sh["entry_day"].to_numpy()) / DAYS_PER_YEAR, "left": left})


def kaplan_meier(years, ended, at: tuple) -> list[float]:
    """Kaplan-Meier median duration and survival at given times, with censoring.

    Args:
        years: Durations.
        ended: Whether each duration ended (False: censored at that time).
        at: ``None`` for the median, or a time at which to give the share still
            running.

    Returns:
        One value per entry of ``at`` (NaN for a median the data do not reach).
    """
    years = np.asarray(years, float)
    ended = np.asarray(ended, bool)
    order = np.argsort(years, kind="stable")
    t, e = years[order], ended[order]
    at_risk = len(t) - np.arange(len(t))
    survival = np.cumprod(np.where(e, 1.0 - 1.0 / at_risk, 1.0))
    out = []
    for point in at:
        if point is None:
            below = np.flatnonzero(survival <= 0.5)
            out.append(float(t[below[0]]) if len(below) else float("nan"))
        else:
            k = np.searchsorted(t, point, side="right")
            out.append(float(survival[k - 1]) if k else 1.0)
    return out


def paired_differences(a: list[pd.DataFrame], b: list[pd.DataFrame]) -> pd.DataFrame:
    """B minus A per seed (summaries in seed order), with the mean and a 5-95% band.

    Args:
        a: ``experiments.outcomes.tidy`` of scenario A, one per seed.
        b: The same of scenario B, the same seeds in the same order.

    Returns:
        One row per (measure, group, period): mean of A, mean of B, mean
        difference, its 5th and 95th percentile over seeds, and the seeds.
    """
    keys = ["measure", "group", "period", "unit"]
    frames = []
    for seed_index, (sa, sb) in enumerate(zip(a, b, strict=True)):
        merged = sa.merge(sb, on=keys, how="outer", suffixes=("_a", "_b"))
        merged["seed_index"] = seed_index
        frames.append(merged)
    both = pd.concat(frames, ignore_index=True)
    both["difference"] = both["value_b"] - both["value_a"]
    grouped = both.groupby(keys, sort=False)
    out = grouped.agg(
        a_mean=("value_a", "mean"),
        b_mean=("value_b", "mean"),
        difference_mean=("difference", "mean"),
        difference_p5=(
            "difference",
            lambda d: np.nanquantile(d, 0.05) if d.notna().any() else np.nan,
        ),
        difference_p95=(
            "difference",
            lambda d: np.nanquantile(d, 0.95) if d.notna().any() else np.nan,
        ),
        seeds=("difference", "size"),
    ).reset_index()
    return out


def passed_over(lettings: pd.DataFrame) -> pd.DataFrame:
    """Lettings that passed over the head of the registration queue: by whom, and whom.

    Returns:
        Households per (route, group housed, group passed over), with the share
        of all lettings of that route and group.
    """
    if "passed_over_household_id" not in lettings:
        raise ValueError(
            "these lettings carry no attribution: build the model with attribution=True"
        )
    final = lettings[~lettings["dwelling_type"].isin(TEMPORARY_NAMES)]
    total = final.groupby(["route", "group"], observed=True)["households"].sum()
    hit = final[final["passed_over_household_id"] >= 0]
    table = (
        hit.groupby(["route", "group", "passed_over_group"], observed=True)["households"]
        .sum()
        .rename("households_passed_over")
        .reset_index()
    )
    table["share_of_route_lettings"] = table["households_passed_over"] / [
        total.loc[(r, g)] for r, g in zip(table["route"], table["group"], strict=True)
    ]
    return table.rename(columns={"group": "housed_group"})


EPF_YEARS = 2.0  # the default N of "housed within N years"


def epf_horizon(months: int, years: float | None = None) -> tuple[float | None, str]:
    """The N of "housed within N years" that fits a run of ``months`` months.

    Households are followed for N years from their entry, so a run must be longer
    than N. Asked for no N, a run longer than two years takes 2; a run of one
    to two years takes half its length (whole months); a shorter run leaves the
    measure out.

    Args:
        months: The run's length.
        years: The N asked for (None: choose).

    Returns:
        (N, or None when the measure is left out; a note saying what was chosen, or "").

    Raises:
        ParameterError: ``years`` is given and does not fit the run.
    """
    run_years = months / 12
    if years is not None:
        if not (isinstance(years, int | float) and 0 < years < run_years):
            raise ParameterError(
                f"parameter 'years' = {years!r}; allowed: more than 0 and less than the run "
                f"({run_years:g} years)"
            )
        return float(years), ""
    if run_years > EPF_YEARS:
        return EPF_YEARS, ""
    if months >= 12:
        chosen = (months // 2) / 12
        unit = "year" if chosen == 1 else "years"
        return chosen, (
            f"the run is {run_years:g} years, too short to follow households for "
            f"{EPF_YEARS:g} years: the equal playing field uses N = {chosen:g} {unit} (half "
            f"the run), and compare.csv leaves out its housed-within-{EPF_YEARS:g}-years rows"
        )
    return None, (
        f"the run is {months} months, too short for the equal playing field (housed within N "
        "years needs a run of a year or more): it is left out"
    )


def equal_playing_field(
    results: Results,
    region_names: tuple[str, ...],
    years: float = 2.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The chance of being housed within ``years`` of entering, for comparable households.

    Households that entered during the run early enough to be followed for
    ``years`` are compared within strata of region, household size and
    registration time at entry. Leaving the market without a home counts as
    not housed; a temporary home (flex, start-up, shared) does not count as housed.

    Args:
        results: A run's results.
        region_names: Names for the region codes.
        years: The horizon N.

    Returns:
        (per stratum and group: households and share housed; per group: the
        raw share and the share standardised to the strata mix of regular
        seekers, over the strata where both are present).
    """
    outcomes, scale = results.households, results.scale
    horizon = years * DAYS_PER_YEAR
    first = day_number(results.monthly["date"].iloc[0].date())
    last = results.end_day - horizon
    cohort = outcomes[(outcomes["entry_day"] >= first) & (outcomes["entry_day"] <= last)].copy()
    housed_in_time = (cohort["state"] == State.HOUSED) & (
        cohort["out_day"] - cohort["entry_day"] <= horizon
    )
    cohort["housed"] = housed_in_time
    cohort["group"] = pd.Categorical.from_codes(cohort["group"], GROUPS)
    cohort["region"] = pd.Categorical.from_codes(cohort["region"], region_names)
    cohort["size_class"] = pd.cut(cohort["size"], SIZE_CLASSES, right=False, labels=SIZE_LABELS)
    reg_years = (cohort["entry_day"] - cohort["registration_day"]) / DAYS_PER_YEAR
    cohort["registration_at_entry"] = pd.cut(
        reg_years, REGISTRATION_BINS, right=False, labels=REGISTRATION_LABELS
    )
    strata = ["region", "size_class", "registration_at_entry"]
    per = (
        cohort.groupby([*strata, "group"], observed=True)["housed"]
        .agg(households="size", share_housed="mean")
        .reset_index()
    )
    per["households"] *= scale
    regular = per[per["group"] == "regular"].set_index(strata)
    summary = []
    for g in GROUPS:
        mine = per[per["group"] == g].set_index(strata)
        raw = float(cohort.loc[cohort["group"] == g, "housed"].mean())
        common = mine.index.intersection(regular.index)
        if len(common):
            w = regular.loc[common, "households"].astype(float)
            standardised = float(np.average(mine.loc[common, "share_housed"], weights=w))
            reference = float(np.average(regular.loc[common, "share_housed"], weights=w))
        else:
            standardised = reference = float("nan")
        summary.append(
            {
                "group": g,
                "households_in_cohort": int((cohort["group"] == g).sum()) * scale,
                "share_housed_raw": raw,
                "share_housed_standardised": standardised,
                "regular_share_housed_same_strata": reference,
                "strata_compared": len(common),
                "years": years,
            }
        )
    return per, pd.DataFrame(summary)


def spread(results: Results, regions) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Status holders housed per region and year against population and corporation stock.

    Status holders housed for good (a temporary home is a step, not counted) in persons,
    per simulated year (year 1 = the first twelve months) and region.

    Args:
        results: A run's results.
        regions: The run's region set (``params.regions``).

    Returns:
        (per year and region: persons housed, their share, the region's population and
        stock shares; per year: the dissimilarity index against population and against
        stock, and the persons housed).
    """
    let = results.lettings
    sh = let[(let["group"] == "status_holder") & ~let["dwelling_type"].isin(TEMPORARY_NAMES)]
    start = results.monthly["date"].iloc[0]
    months = (sh["month"].dt.year - start.year) * 12 + sh["month"].dt.month - start.month
    persons = (sh["household_size_persons"] * sh["households"]).to_numpy(float)
    table = pd.DataFrame(
        {"year": (months // 12 + 1).to_numpy(), "region": sh["region"].astype(str), "p": persons}
    )
    names = list(regions.names)
    grid = (
        table.groupby(["year", "region"])["p"]
        .sum()
        .unstack(fill_value=0.0)
        .reindex(columns=names, fill_value=0.0)
    )
    share = grid.div(grid.sum(axis=1).where(lambda x: x > 0), axis=0)
    pop = pd.Series(regions.population_share, index=names)
    stock = pd.Series(regions.stock_share, index=names)
    long = pd.DataFrame(
        {
            "status_holders_housed_persons": grid.stack(),
            "housed_share": share.stack(),
        }
    ).reset_index()
    long["population_share"] = long["region"].map(pop)
    long["stock_share"] = long["region"].map(stock)
    index = pd.DataFrame(
        {
            "dissimilarity_population_share": 0.5 * share.sub(pop, axis=1).abs().sum(axis=1),
            "dissimilarity_stock_share": 0.5 * share.sub(stock, axis=1).abs().sum(axis=1),
            "status_holders_housed_persons": grid.sum(axis=1),
        }
    )
    return long, index
