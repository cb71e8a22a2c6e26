"""The outcome registry: every named result of a run, defined once.

An outcome is a function of a run's :class:`~model.reporting.results.Results`
with a name, a unit, a description, labels in Dutch and English and a
direction (``higher_is``). ``compare``, the sweeps, the EMA workbench model,
the workshop report and the app read the same definitions, so "status holders
in reception at the end" means one thing everywhere.

The definitions are data, in ``experiments/outcomes.toml``: each names a
*recipe* (below: at the end of the run, a mean, a series, lettings per year,
...) and its arguments, such as the ``monthly.csv`` column it reads (checked
against the column specification, ``model/reporting/columns.py``). Three
kinds:

* ``scalar``: one number per run (``status_holders_in_reception_end_persons``);
* ``yearly``: one number per simulated year, a Series indexed by year 1, 2, ...
  (``lettings_status_holder_households_by_year``);
* ``monthly``: one number per month, a Series indexed by date, the start row
  included (``status_holders_in_reception_persons``).

Each outcome also carries the key it has in the tidy tables of ``compare``
(``measure``, ``group``, ``period``), so that compare.csv keeps its rows.

Use::

    from experiments.outcomes import OUTCOMES, evaluate, scalar_names

    values = evaluate(results, ["status_holders_in_reception_end_persons"])
    OUTCOMES["reception_cost_eur_per_year"].unit  # "euro per year"
"""

from __future__ import annotations

import datetime as dt
import inspect
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from model.asylum.reception import EMERGENCY_TIERS
from model.base.codes import GROUPS
from model.inputs.parameters import default_regions
from model.reporting.columns import by_name
from model.reporting.displacement import (
    EPF_YEARS,
    equal_playing_field,
    kaplan_meier,
    passed_over,
    reception_stays,
    spread,
)
from model.reporting.presentation import GROUP_LABELS
from model.reporting.results import Results

DEFINITIONS = "outcomes.toml"
EMERGENCY_COLUMNS = [f"reception_occupancy_{tier}_persons" for tier in EMERGENCY_TIERS]

# ------------------------------------------------------------------ the run's view


class RunView:
    """A run's results with the intermediate tables several outcomes share, computed once."""

    EPF_YEARS = EPF_YEARS  # the N of "housed within N years" in the outcome names

    def __init__(self, results: Results):
        self.results = results

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """The monthly table indexed by date (the start row included)."""
        return self.results.monthly.set_index("date")

    @cached_property
    def flows(self) -> pd.DataFrame:
        """The months simulated (the start row left out)."""
        return self.monthly.iloc[1:]

    @cached_property
    def years_run(self) -> float:
        """Simulated years (months / 12; at least one month)."""
        return max(len(self.flows), 1) / 12

    @cached_property
    def final_lettings(self) -> pd.DataFrame:
        """Lettings for good: a start-up home is a stop on the way, not a home."""
        lettings = self.results.lettings
        return lettings[lettings["dwelling_type"] != "startup"]

    @cached_property
    def letting_year(self) -> pd.Series:
        """Simulated year (1 = the first twelve months) of each final letting."""
        final = self.final_lettings
        start = self.monthly.index[0]
        months = (final["month"].dt.year - start.year) * 12 + final["month"].dt.month - start.month
        return months // 12 + 1

    @cached_property
    def reception_stays(self) -> pd.DataFrame:
        return reception_stays(self.results)

    @cached_property
    def time_in_reception(self) -> tuple[float, float]:
        stays = self.reception_stays
        median, after_year = kaplan_meier(stays["years"], stays["left"], (None, 1.0))
        return median, after_year

    @cached_property
    def spread(self) -> pd.DataFrame:
        """Per simulated year: where status holders were housed against population and stock."""
        return spread(self.results, self.results.regions or default_regions())[1]

    @cached_property
    def passed_over(self) -> pd.DataFrame:
        return passed_over(self.results.lettings)

    @cached_property
    def equal_playing_field(self) -> pd.DataFrame:
        names = tuple(self.results.lettings["region"].cat.categories) or default_regions().names
        return equal_playing_field(self.results, names, years=self.EPF_YEARS)[1]


# ------------------------------------------------------------------ outcomes


@dataclass(frozen=True)
class Outcome:
    """One named outcome of a run.

    Attributes:
        name: Snake-case name ending in its unit, as the model's columns do.
        unit: What the number counts ("persons", "households per year", ...).
        description: What it is, in English, precise enough to reproduce.
        label: Short labels for figures and the app, ``{"nl": ..., "en": ...}``.
        kind: ``scalar``, ``yearly`` or ``monthly``.
        compute: The definition: a function of a :class:`RunView`.
        group: The group it is about (``regular``, ``urgent``, ``status_holder``)
            or ``all``.
        measure: Its measure name in compare's tidy table.
        period: Its period there (``run``, ``end``, ``run mean``; yearly
            outcomes give ``year k``, monthly ones a date).
        headline: Position in compare's printed headline (None: not shown).
        higher_is: ``worse``, ``better`` or ``neutral`` (for colouring a report, and
            the direction an optimisation seeks).
    """

    name: str
    unit: str
    description: str
    label: dict[str, str]
    kind: str
    compute: Callable[[RunView], Any] = field(repr=False)
    group: str = "all"
    measure: str = ""
    period: str = "run"
    headline: int | None = None
    higher_is: str = "neutral"

    def __call__(self, results: Results | RunView) -> Any:
        """The outcome of one run."""
        view = results if isinstance(results, RunView) else RunView(results)
        return self.compute(view)


# ------------------------------------------------------------------ recipes

RECIPES: dict[str, Callable[..., Any]] = {}


def recipe(function: Callable[..., Any]) -> Callable[..., Any]:
    """Make ``function(view, **arguments)`` a recipe the definitions may name."""
    RECIPES[function.__name__] = function
    return function


def _median(values: pd.Series) -> float:
    return float(values.median()) if len(values) else float("nan")


@recipe
def at_end(v: RunView, column: str) -> float:
    """The column on the last snapshot date."""
    return float(v.monthly[column].iloc[-1])


@recipe
def mean(v: RunView, column: str) -> float:
    """The column's mean over the month-end snapshots (the start left out)."""
    return float(v.flows[column].mean())


@recipe
def peak(v: RunView, column: str) -> float:
    """The column's highest month-end snapshot (the start left out)."""
    return float(v.flows[column].max())


@recipe
def series(v: RunView, column: str) -> pd.Series:
    """The column at every snapshot (the start included)."""
    return v.monthly[column].astype(float)


@recipe
def mean_per_year(v: RunView, column: str) -> float:
    """A monthly flow's mean, times 12."""
    return float(v.flows[column].mean() * 12)


@recipe
def sum_per_year(v: RunView, column: str) -> float:
    """A monthly flow summed over the run, per year."""
    return float(v.flows[column].sum() / v.years_run)


@recipe
def ratio_of_sums(v: RunView, column: str, denominator: str) -> float:
    """One flow's sum over another's, over the run."""
    return float(v.flows[column].sum() / v.flows[denominator].sum())


@recipe
def weighted_share(v: RunView, column: str, weight: str) -> float:
    """A monthly share's mean weighted by a monthly count (months without it left out)."""
    share, w = v.flows[column], v.flows[weight]
    ok = share.notna() & (w > 0)
    return float(np.average(share[ok], weights=w[ok])) if ok.any() else float("nan")


@recipe
def emergency_series(v: RunView) -> pd.Series:
    """Persons on emergency reception places of every tier, at every snapshot."""
    return v.monthly[EMERGENCY_COLUMNS].sum(axis=1).astype(float)


@recipe
def emergency_mean(v: RunView) -> float:
    """Persons on emergency places, mean over the month-end snapshots."""
    return float(emergency_series(v).iloc[1:].mean())


@recipe
def emergency_at_end(v: RunView) -> float:
    """Persons on emergency places on the last snapshot date."""
    return float(emergency_series(v).iloc[-1])


@recipe
def time_in_reception_median(v: RunView) -> float:
    """Median time from the permit to leaving reception (Kaplan-Meier), years."""
    return v.time_in_reception[0]


@recipe
def still_in_reception_after_a_year(v: RunView) -> float:
    """Share still in reception a year after the permit (Kaplan-Meier)."""
    return v.time_in_reception[1]


@recipe
def lettings_per_year(v: RunView, group: str) -> float:
    """The group's lettings for good, per year over the run."""
    final = v.final_lettings
    return float(final.loc[final["group"] == group, "households"].sum() / v.years_run)


@recipe
def lettings_by_year(v: RunView, group: str) -> pd.Series:
    """The group's lettings for good, per simulated year."""
    final = v.final_lettings
    mine = final["group"] == group
    return final.loc[mine, "households"].groupby(v.letting_year[mine]).sum().astype(float)


@recipe
def median_at_letting(v: RunView, group: str, column: str) -> float:
    """The median of a lettings.csv column over the group's lettings for good."""
    final = v.final_lettings
    return _median(final.loc[final["group"] == group, column])


@recipe
def median_at_letting_by_year(v: RunView, group: str, column: str) -> pd.Series:
    """The same per simulated year."""
    final = v.final_lettings
    mine = final["group"] == group
    return final.loc[mine, column].groupby(v.letting_year[mine]).median().astype(float)


@recipe
def median_at_letting_last_year(v: RunView, group: str, column: str) -> float:
    """The same over the run's last 12 months."""
    final = v.final_lettings
    recent = final["month"] > final["month"].max() - pd.DateOffset(months=12)
    return _median(final.loc[recent & (final["group"] == group), column])


@recipe
def passed_over_per_year(v: RunView, group: str) -> float:
    """Lettings that passed over a household of the group, per year."""
    table = v.passed_over
    hit = table.loc[table["passed_over_group"] == group, "households_passed_over"]
    return float(hit.sum() / v.years_run)


@recipe
def housed_within_years(v: RunView, group: str) -> float:
    """The group's standardised chance of being housed within N years."""
    row = v.equal_playing_field.set_index("group").loc[group]
    return float(row["share_housed_standardised"])


@recipe
def spread_by_year(v: RunView, base: str) -> pd.Series:
    """The dissimilarity index of where status holders were housed, per simulated year."""
    return v.spread[f"dissimilarity_{base}_share"]


@recipe
def spread_from_year_2(v: RunView, base: str) -> float:
    """The dissimilarity index over all status holders housed from year 2 on."""
    results = v.results
    regions = results.regions or default_regions()
    long, _ = spread(results, regions)
    later = long[long["year"] >= 2].groupby("region")["status_holders_housed_persons"].sum()
    if later.sum() <= 0:
        return float("nan")
    share = later / later.sum()
    ref = pd.Series(getattr(regions, f"{base}_share"), index=list(regions.names))
    return float(0.5 * (share.reindex(ref.index, fill_value=0.0) - ref).abs().sum())


# ------------------------------------------------------------------ the registry

OUTCOMES: dict[str, Outcome] = {}
_ARGUMENTS = ("column", "weight", "denominator", "base")
LETTINGS_COLUMNS = ("registration_time_years", "time_since_entry_years")


def register(outcome: Outcome) -> Outcome:
    """Add an outcome to the registry (a name may be registered once)."""
    if outcome.name in OUTCOMES:
        raise ValueError(f"outcome '{outcome.name}' is registered twice")
    if outcome.kind not in ("scalar", "yearly", "monthly"):
        raise ValueError(f"outcome '{outcome.name}': unknown kind {outcome.kind!r}")
    if outcome.higher_is not in ("worse", "better", "neutral"):
        raise ValueError(f"outcome '{outcome.name}': higher_is {outcome.higher_is!r}")
    OUTCOMES[outcome.name] = outcome
    return outcome


def _define(entry: dict, group: str | None = None) -> Outcome:
    """An outcome from its definition (for one group, for a per-group entry)."""
    words = {}
    if group is not None:
        en, nl = GROUP_LABELS["en"][group], GROUP_LABELS["nl"][group]
        words = {"group": group, "en": en, "nl": nl, "one": en[:-1], "En": en.capitalize()}
    text = {k: v.format(**words) if isinstance(v, str) else v for k, v in entry.items()}
    arguments = {k: text[k] for k in _ARGUMENTS if k in text}
    column = arguments.get("column")
    if column is not None and column not in by_name() and column not in LETTINGS_COLUMNS:
        raise KeyError(f"outcome '{text['name']}' reads an unknown column '{column}'")
    compute = RECIPES[entry["compute"]]
    if group is not None and "group" in inspect.signature(compute).parameters:
        arguments["group"] = group
    headline = entry.get("headline")
    if isinstance(headline, dict):
        headline = headline.get(group)
    return Outcome(
        name=text["name"],
        unit=text["unit"],
        description=text["about"],
        label={"nl": text["nl"], "en": text["en"]},
        kind=text["kind"],
        compute=lambda v, f=compute, a=arguments: f(v, **a),
        group=group or entry.get("group", "all"),
        measure=text["measure"],
        period=entry.get("period", "run"),
        headline=headline,
        higher_is=entry.get("higher_is", "neutral"),
    )


def _load() -> None:
    """Register every definition of ``outcomes.toml``, in its order (a run of per-group
    entries group by group)."""
    text = resources.files("experiments").joinpath(DEFINITIONS).read_text(encoding="utf-8")
    entries = tomllib.loads(text)["outcome"]
    k = 0
    while k < len(entries):
        if entries[k].get("for_each") != "group":
            register(_define(entries[k]))
            k += 1
            continue
        run = k
        while run < len(entries) and entries[run].get("for_each") == "group":
            run += 1
        for group in GROUPS:
            for entry in entries[k:run]:
                register(_define(entry, group))
        k = run


_load()


# ------------------------------------------------------------------ using it


def names(kind: str | None = None) -> list[str]:
    """Registered outcome names, of one kind or all, in registration order."""
    return [n for n, o in OUTCOMES.items() if kind is None or o.kind == kind]


def scalar_names() -> list[str]:
    """The scalar outcomes: one number per run (the columns of a sweep)."""
    return names("scalar")


def check_names(wanted: Iterable[str], kind: str | None = None, where: str = "outcomes") -> None:
    """Raise KeyError naming an unknown outcome (or one of another kind) and what is allowed."""
    allowed = names(kind)
    for name in wanted:
        if name not in allowed:
            hint = ""
            if name in OUTCOMES:
                hint = f" (it is a {OUTCOMES[name].kind} outcome)"
            raise KeyError(
                f"{where}: unknown {kind + ' ' if kind else ''}outcome '{name}'{hint}; "
                f"allowed: {', '.join(allowed)}"
            )


def evaluate(results: Results | RunView, wanted: Iterable[str] | None = None) -> dict[str, Any]:
    """The outcomes of one run by name (all scalar outcomes when ``wanted`` is None).

    Scalars are floats; yearly and monthly outcomes are Series.
    """
    view = results if isinstance(results, RunView) else RunView(results)
    wanted = scalar_names() if wanted is None else list(wanted)
    check_names(wanted)
    return {name: OUTCOMES[name].compute(view) for name in wanted}


def monthly_long(results: Results | RunView, wanted: Iterable[str]) -> pd.DataFrame:
    """Monthly outcomes in long format: one row per (date, outcome) with the value."""
    view = results if isinstance(results, RunView) else RunView(results)
    wanted = list(wanted)
    check_names(wanted, "monthly")
    frames = []
    for name in wanted:
        s = OUTCOMES[name].compute(view)
        frames.append(pd.DataFrame({"date": s.index, "outcome": name, "value": s.to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def needs_attribution(outcome_names) -> bool:
    """Whether any of these outcomes counts households passed over: the run must then work
    out the per-letting attribution (``HousingMarket(attribution=True)``)."""
    return any(name.startswith("passed_over_") for name in outcome_names)


COMPARE_SCALARS = [
    n for n, o in OUTCOMES.items() if o.kind == "scalar" and not n.startswith("passed_over_")
]
COMPARE_YEARLY = names("yearly")


def tidy(
    results: Results | RunView,
    dates: Iterable[dt.date] = (),
    scalars: Iterable[str] = COMPARE_SCALARS,
    yearly: Iterable[str] = COMPARE_YEARLY,
    stocks_at_dates: Iterable[str] = (
        "status_holders_in_reception_persons",
        "reception_backlog_persons",
    ),
) -> pd.DataFrame:
    """One run's outcomes as a tidy table: (measure, group, period, value, unit).

    This is the table ``compare`` pairs over seeds. Scalars give one row each
    under their (measure, group, period); yearly outcomes one row per simulated
    year (``year k``); the monthly stocks in ``stocks_at_dates`` one row per
    date of ``dates`` (the last snapshot on or before it, ISO date as period).
    """
    view = results if isinstance(results, RunView) else RunView(results)
    rows = []
    for name in yearly:
        o = OUTCOMES[name]
        for year, value in o.compute(view).items():
            rows.append((o.measure, o.group, f"year {year}", float(value), o.unit))
    for name in scalars:
        o = OUTCOMES[name]
        rows.append((o.measure, o.group, o.period, float(o.compute(view)), o.unit))
    index = view.monthly.index
    for when in [pd.Timestamp(d) for d in dates]:
        if when < index[0] or when >= index[-1]:
            continue  # the end is a scalar of its own
        for name in stocks_at_dates:
            o = OUTCOMES[name]
            value = o.compute(view)[index[index <= when][-1]]
            rows.append((o.measure, o.group, when.date().isoformat(), float(value), o.unit))
    return pd.DataFrame(rows, columns=["measure", "group", "period", "value", "unit"])


def headline_outcomes() -> list[Outcome]:
    """The scalar outcomes compare prints, in order."""
    shown = [o for o in OUTCOMES.values() if o.kind == "scalar" and o.headline is not None]
    return sorted(shown, key=lambda o: o.headline)


def describe(lang: str = "en") -> pd.DataFrame:
    """The registry as a table: name, kind, unit, label and description."""
    return pd.DataFrame(
        [
            {
                "name": o.name,
                "kind": o.kind,
                "unit": o.unit,
                "label": o.label[lang],
                "description": o.description,
            }
            for o in OUTCOMES.values()
        ]
    )
