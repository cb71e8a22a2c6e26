"""The outcome registry: every named result of a run, defined once.

An outcome is a function of a run's :class:`~model.results.Results` with a
name, a unit, a description and labels in Dutch and English. ``compare``, the
sweeps, the EMA workbench model, the workshop report and the app read the
same definitions, so "status holders in reception at the end" means one thing
everywhere.

Three kinds:

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

Column names of ``Results.monthly`` are read through :data:`COLUMNS` and
:func:`emergency_columns` only: when the model renames a column (the reception
place types becoming tiers, say), this module changes in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from model.base.codes import GROUPS
from model.inputs.parameters import default_regions
from model.reporting.displacement import (
    equal_playing_field,
    kaplan_meier,
    passed_over,
    reception_stays,
    spread,
)
from model.reporting.presentation import GROUP_LABELS
from model.reporting.results import Results

# ------------------------------------------------------------------ columns

# The monthly columns the registry reads, by role. A renamed column changes here.
COLUMNS = {
    "in_reception_persons": "status_holders_in_reception_persons",
    "in_reception_households": "status_holders_in_reception_households",
    "backlog_persons": "reception_backlog_persons",
    "quota_backlog_persons": "quota_backlog_persons",
    "occupancy_total_persons": "reception_occupancy_total_persons",
    "occupancy_regular_persons": "reception_occupancy_regular_persons",
    "cost_total_eur": "reception_cost_total_eur",
    "housed_persons": "status_holders_housed_persons",
    "housed_within_norm_share": "housed_within_14_weeks_share",
    "urgent_lapsed_households": "urgent_lapsed_unserved_households",
    "self_contained_households": "lettings_self_contained_households",
    "self_contained_status_holder_households": "lettings_self_contained_status_holder_households",
    "lettings_group": "lettings_{group}_households",
    "waiting_group": "waiting_{group}_households",
    "registration_median_group": "registration_years_at_letting_median_{group}",
}

# Reception occupancy by place type: every ``reception_occupancy_<type>_persons``
# column other than the total and the regular places is an emergency place
# (today ``ship`` and ``hotel``; emergency tiers later).
_OCCUPANCY = re.compile(r"reception_occupancy_(\w+?)_persons")
_NOT_EMERGENCY = {"total", "regular"}


def emergency_columns(monthly: pd.DataFrame) -> list[str]:
    """The monthly columns counting persons in emergency reception places."""
    out = []
    for c in monthly.columns:
        m = _OCCUPANCY.fullmatch(c)
        if m and m.group(1) not in _NOT_EMERGENCY:
            out.append(c)
    if not out:
        raise KeyError("no emergency reception columns (reception_occupancy_*_persons) in monthly")
    return out


def column(role: str, group: str | None = None) -> str:
    """The monthly column that plays ``role`` (for a group, where it has one)."""
    name = COLUMNS[role]
    return name.format(group=group) if group is not None else name


# ------------------------------------------------------------------ the run's view


class RunView:
    """A run's results with the intermediate tables several outcomes share, computed once."""

    EPF_YEARS = 2.0  # the N of "housed within N years" in the outcome names

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
        higher_is: ``worse``, ``better`` or ``neutral`` (for colouring a report).
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


OUTCOMES: dict[str, Outcome] = {}


def register(outcome: Outcome) -> Outcome:
    """Add an outcome to the registry (a name may be registered once)."""
    if outcome.name in OUTCOMES:
        raise ValueError(f"outcome '{outcome.name}' is registered twice")
    if outcome.kind not in ("scalar", "yearly", "monthly"):
        raise ValueError(f"outcome '{outcome.name}': unknown kind {outcome.kind!r}")
    OUTCOMES[outcome.name] = outcome
    return outcome


def _median(values: pd.Series) -> float:
    return float(values.median()) if len(values) else float("nan")


def _g(group: str, lang: str) -> str:
    return GROUP_LABELS[lang][group]


# ---- status holders in reception (persons), the backlog, reception as a whole


def _at_end(role: str) -> Callable[[RunView], float]:
    return lambda v: float(v.monthly[column(role)].iloc[-1])


def _mean(role: str) -> Callable[[RunView], float]:
    return lambda v: float(v.flows[column(role)].mean())


def _series(role: str, group: str | None = None) -> Callable[[RunView], pd.Series]:
    return lambda v: v.monthly[column(role, group)].astype(float)


def _emergency(v: RunView) -> pd.Series:
    return v.monthly[emergency_columns(v.monthly)].sum(axis=1).astype(float)


register(
    Outcome(
        "status_holders_in_reception_end_persons",
        "persons",
        "Status holders (permit granted) still living in asylum reception (COA) on the last "
        "snapshot date of the run.",
        {
            "nl": "Statushouders in de opvang aan het eind",
            "en": "Status holders in reception at the end",
        },
        "scalar",
        _at_end("in_reception_persons"),
        group="status_holder",
        measure="in_reception_persons",
        period="end",
        headline=90,
        higher_is="worse",
    )
)
register(
    Outcome(
        "status_holders_in_reception_mean_persons",
        "persons",
        "Status holders in asylum reception, mean over the month-end snapshots of the run "
        "(the start left out).",
        {"nl": "Statushouders in de opvang, gemiddeld", "en": "Status holders in reception, mean"},
        "scalar",
        _mean("in_reception_persons"),
        group="status_holder",
        measure="in_reception_persons",
        period="run mean",
        higher_is="worse",
    )
)
register(
    Outcome(
        "status_holders_in_reception_peak_persons",
        "persons",
        "Status holders in asylum reception, the highest month-end snapshot of the run.",
        {
            "nl": "Statushouders in de opvang, hoogste stand",
            "en": "Status holders in reception, peak",
        },
        "scalar",
        lambda v: float(v.flows[column("in_reception_persons")].max()),
        group="status_holder",
        measure="in_reception_persons",
        period="run max",
        higher_is="worse",
    )
)
register(
    Outcome(
        "status_holders_in_reception_persons",
        "persons",
        "Status holders in asylum reception at each month-end snapshot (the start included).",
        {"nl": "Statushouders in de opvang", "en": "Status holders in reception"},
        "monthly",
        _series("in_reception_persons"),
        group="status_holder",
        measure="in_reception_persons",
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_backlog_end_persons",
        "persons",
        "Status holders in reception longer than the norm (14 weeks after the permit) on the "
        "last snapshot date: the letter's backlog.",
        {
            "nl": "Achterstand: langer dan 14 weken in de opvang, aan het eind",
            "en": "Backlog past 14 weeks, at the end",
        },
        "scalar",
        _at_end("backlog_persons"),
        group="status_holder",
        measure="reception_backlog_persons",
        period="end",
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_backlog_mean_persons",
        "persons",
        "Status holders in reception past the 14-week norm, mean over the month-end snapshots.",
        {"nl": "Achterstand (langer dan 14 weken), gemiddeld", "en": "Backlog past 14 weeks, mean"},
        "scalar",
        _mean("backlog_persons"),
        group="status_holder",
        measure="reception_backlog_persons",
        period="run mean",
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_backlog_persons",
        "persons",
        "Status holders in reception past the 14-week norm at each month-end snapshot.",
        {"nl": "Achterstand (langer dan 14 weken in de opvang)", "en": "Backlog past 14 weeks"},
        "monthly",
        _series("backlog_persons"),
        group="status_holder",
        measure="reception_backlog_persons",
        higher_is="worse",
    )
)
register(
    Outcome(
        "quota_backlog_end_persons",
        "persons",
        "Persons behind the municipalities' quota target (pro rata within the half year) on the "
        "last snapshot date (the model's quota_backlog_persons column).",
        {"nl": "Achterstand taakstelling aan het eind", "en": "Quota backlog at the end"},
        "scalar",
        _at_end("quota_backlog_persons"),
        group="status_holder",
        measure="quota_backlog_persons",
        period="end",
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_occupancy_mean_persons",
        "persons",
        "Everyone in asylum reception (asylum seekers awaiting a decision, rejected applicants, "
        "status holders), mean over the month-end snapshots.",
        {"nl": "Bezetting van de opvang, gemiddeld", "en": "Reception occupancy, mean"},
        "scalar",
        _mean("occupancy_total_persons"),
        measure="reception_occupancy_persons",
        period="run mean",
        headline=70,
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_emergency_mean_persons",
        "persons",
        "Persons in emergency reception places (cruise ships, hotels: used when the regular "
        "places are full), mean over the month-end snapshots.",
        {"nl": "In noodopvang, gemiddeld", "en": "In emergency places, mean"},
        "scalar",
        lambda v: float(_emergency(v).iloc[1:].mean()),
        measure="reception_emergency_persons",
        period="run mean",
        headline=71,
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_emergency_end_persons",
        "persons",
        "Persons in emergency reception places on the last snapshot date.",
        {"nl": "In noodopvang aan het eind", "en": "In emergency places at the end"},
        "scalar",
        lambda v: float(_emergency(v).iloc[-1]),
        measure="reception_emergency_persons",
        period="end",
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_emergency_persons",
        "persons",
        "Persons in emergency reception places at each month-end snapshot.",
        {"nl": "In noodopvang", "en": "In emergency places"},
        "monthly",
        _emergency,
        measure="reception_emergency_persons",
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_cost_eur_per_year",
        "euro per year",
        "Cost of asylum reception (regular places contracted, emergency places occupied), "
        "mean per year over the run: the monthly cost times 12.",
        {"nl": "Kosten van de opvang per jaar", "en": "Reception cost per year"},
        "scalar",
        lambda v: float(v.flows[column("cost_total_eur")].mean() * 12),
        measure="reception_cost_eur_per_year",
        period="run",
        headline=72,
        higher_is="worse",
    )
)
register(
    Outcome(
        "reception_cost_eur",
        "euro",
        "Cost of asylum reception in each month.",
        {"nl": "Kosten van de opvang per maand", "en": "Reception cost per month"},
        "monthly",
        lambda v: v.monthly[column("cost_total_eur")].astype(float),
        measure="reception_cost_eur",
        higher_is="worse",
    )
)
register(
    Outcome(
        "time_in_reception_years_median",
        "years",
        "Status holders' median time from the permit to leaving reception for a home (a start-up "
        "home included) or the market: Kaplan-Meier over every stay, those still waiting "
        "censored at the end, so long waits are not left out.",
        {
            "nl": "Mediane verblijfsduur in de opvang na de vergunning",
            "en": "Median time in reception after the permit",
        },
        "scalar",
        lambda v: v.time_in_reception[0],
        group="status_holder",
        measure="time_in_reception_years_median",
        period="run",
        headline=50,
        higher_is="worse",
    )
)
register(
    Outcome(
        "still_in_reception_after_1_year_share",
        "share",
        "Share of status holders still in reception one year after the permit (Kaplan-Meier, "
        "every stay of the run).",
        {"nl": "Na een jaar nog in de opvang", "en": "Still in reception a year after the permit"},
        "scalar",
        lambda v: v.time_in_reception[1],
        group="status_holder",
        measure="still_in_reception_after_1_year_share",
        period="run",
        headline=51,
        higher_is="worse",
    )
)
register(
    Outcome(
        "housed_within_14_weeks_share",
        "share",
        "Of the status holders who left reception for a home during the run, the share within "
        "the 14-week norm (monthly shares weighted by the persons housed).",
        {"nl": "Binnen 14 weken gehuisvest", "en": "Housed within 14 weeks"},
        "scalar",
        lambda v: _weighted_share(v.flows, "housed_within_norm_share", "housed_persons"),
        group="status_holder",
        measure="housed_within_14_weeks_share",
        period="run",
        higher_is="better",
    )
)
register(
    Outcome(
        "status_holder_share_of_self_contained_lettings_share",
        "share",
        "Status holders' share of all self-contained corporation lettings over the run (the CBS "
        "figure: 6-8% in 2021-2023).",
        {
            "nl": "Aandeel statushouders in de zelfstandige toewijzingen",
            "en": "Status holders' share of self-contained lettings",
        },
        "scalar",
        lambda v: float(
            v.flows[column("self_contained_status_holder_households")].sum()
            / v.flows[column("self_contained_households")].sum()
        ),
        group="status_holder",
        measure="share_of_self_contained_lettings",
        period="run",
    )
)
register(
    Outcome(
        "urgent_lapsed_unserved_households_per_year",
        "households per year",
        "Urgency declarations that ran out before a direct placement, per year over the run.",
        {
            "nl": "Verlopen urgenties zonder woning per jaar",
            "en": "Urgency lapsed unserved, a year",
        },
        "scalar",
        lambda v: float(v.flows[column("urgent_lapsed_households")].sum() / v.years_run),
        group="urgent",
        measure="urgent_lapsed_unserved_households",
        period="run",
        higher_is="worse",
    )
)


def _weighted_share(flows: pd.DataFrame, share_role: str, weight_role: str) -> float:
    share, weight = flows[column(share_role)], flows[column(weight_role)]
    ok = share.notna() & (weight > 0)
    return float(np.average(share[ok], weights=weight[ok])) if ok.any() else float("nan")


# ---- per group: lettings, registration time, time to a home, queues, displacement


def _lettings_per_year(group: str) -> Callable[[RunView], float]:
    def f(v: RunView) -> float:
        final = v.final_lettings
        return float(final.loc[final["group"] == group, "households"].sum() / v.years_run)

    return f


def _lettings_by_year(group: str) -> Callable[[RunView], pd.Series]:
    def f(v: RunView) -> pd.Series:
        final = v.final_lettings
        mine = final["group"] == group
        return final.loc[mine, "households"].groupby(v.letting_year[mine]).sum().astype(float)

    return f


def _median_at_letting(group: str, col: str, by_year: bool) -> Callable[[RunView], Any]:
    def f(v: RunView):
        final = v.final_lettings
        mine = final["group"] == group
        if by_year:
            return final.loc[mine, col].groupby(v.letting_year[mine]).median().astype(float)
        return _median(final.loc[mine, col])

    return f


def _last_year_median(group: str) -> Callable[[RunView], float]:
    def f(v: RunView) -> float:
        final = v.final_lettings
        recent = final["month"] > final["month"].max() - pd.DateOffset(months=12)
        return _median(final.loc[recent & (final["group"] == group), "registration_time_years"])

    return f


def _passed_over_per_year(group: str) -> Callable[[RunView], float]:
    def f(v: RunView) -> float:
        table = v.passed_over
        hit = table.loc[table["passed_over_group"] == group, "households_passed_over"]
        return float(hit.sum() / v.years_run)

    return f


def _epf(group: str) -> Callable[[RunView], float]:
    def f(v: RunView) -> float:
        row = v.equal_playing_field.set_index("group").loc[group]
        return float(row["share_housed_standardised"])

    return f


_HEADLINE_GROUP = {"regular": 0, "urgent": 1, "status_holder": 2}

for _group in GROUPS:
    _nl, _en = _g(_group, "nl"), _g(_group, "en")
    register(
        Outcome(
            f"lettings_{_group}_households_per_year",
            "households per year",
            f"Homes let for good to {_en} (every dwelling type; a start-up home is not a home "
            "for good), per year over the run.",
            {
                "nl": f"Definitief gehuisvest: {_nl} per jaar",
                "en": f"Housed for good: {_en} a year",
            },
            "scalar",
            _lettings_per_year(_group),
            group=_group,
            measure="lettings_households",
            period="run",
            headline=_HEADLINE_GROUP[_group],
        )
    )
    register(
        Outcome(
            f"lettings_{_group}_households_by_year",
            "households per year",
            f"Homes let for good to {_en}, per simulated year (year 1 = the first 12 months).",
            {
                "nl": f"Definitief gehuisvest: {_nl} per jaar",
                "en": f"Housed for good: {_en} per year",
            },
            "yearly",
            _lettings_by_year(_group),
            group=_group,
            measure="lettings_households",
        )
    )
    register(
        Outcome(
            f"lettings_{_group}_households",
            "households",
            f"Homes let to {_en} in each month (every type, a start-up home included).",
            {"nl": f"Toewijzingen aan {_nl} per maand", "en": f"Lettings to {_en} a month"},
            "monthly",
            _series("lettings_group", _group),
            group=_group,
            measure="lettings_households",
        )
    )
    register(
        Outcome(
            f"registration_years_median_{_group}",
            "years",
            f"Median registration time of the {_en} housed for good during the run, at letting "
            "(status holders: time since the permit).",
            {
                "nl": f"Mediane inschrijfduur bij toewijzing, {_nl}",
                "en": f"Median registration time at letting, {_en}",
            },
            "scalar",
            _median_at_letting(_group, "registration_time_years", by_year=False),
            group=_group,
            measure="registration_years_median",
            period="run",
            headline=10 if _group == "regular" else None,
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"registration_years_median_{_group}_by_year",
            "years",
            f"Median registration time at letting of the {_en} housed for good, per simulated "
            "year.",
            {
                "nl": f"Mediane inschrijfduur bij toewijzing, {_nl}",
                "en": f"Median registration time at letting, {_en}",
            },
            "yearly",
            _median_at_letting(_group, "registration_time_years", by_year=True),
            group=_group,
            measure="registration_years_median",
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"registration_years_median_last_year_{_group}",
            "years",
            f"Median registration time at letting of the {_en} housed for good in the last 12 "
            "months of the run.",
            {
                "nl": f"Mediane inschrijfduur, laatste 12 maanden, {_nl}",
                "en": f"Median registration time, last 12 months, {_en}",
            },
            "scalar",
            _last_year_median(_group),
            group=_group,
            measure="registration_years_median",
            period="last 12 months",
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"registration_years_at_letting_median_{_group}",
            "years",
            f"Median registration time of the {_en} housed in each month.",
            {
                "nl": f"Mediane inschrijfduur bij toewijzing, {_nl}",
                "en": f"Median registration time at letting, {_en}",
            },
            "monthly",
            _series("registration_median_group", _group),
            group=_group,
            measure="registration_years_median",
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"time_to_housing_years_median_{_group}",
            "years",
            f"Median time of the {_en} housed for good during the run from entry (start of the "
            "search, urgency declaration, permit) to the home.",
            {
                "nl": f"Mediane zoektijd tot een woning, {_nl}",
                "en": f"Median search time to a home, {_en}",
            },
            "scalar",
            _median_at_letting(_group, "time_since_entry_years", by_year=False),
            group=_group,
            measure="time_to_housing_years_median",
            period="run",
            headline=11 if _group == "regular" else None,
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"time_to_housing_years_median_{_group}_by_year",
            "years",
            f"Median time from entry to a home of the {_en} housed for good, per simulated year.",
            {
                "nl": f"Mediane zoektijd tot een woning, {_nl}",
                "en": f"Median search time to a home, {_en}",
            },
            "yearly",
            _median_at_letting(_group, "time_since_entry_years", by_year=True),
            group=_group,
            measure="time_to_housing_years_median",
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"waiting_{_group}_end_households",
            "households",
            f"{_en.capitalize()} in the market (the queue) on the last snapshot date.",
            {"nl": f"Wachtend aan het eind, {_nl}", "en": f"Waiting at the end, {_en}"},
            "scalar",
            lambda v, g=_group: float(v.monthly[column("waiting_group", g)].iloc[-1]),
            group=_group,
            measure="waiting_households",
            period="end",
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"passed_over_{_group}_households_per_year",
            "households per year",
            f"Lettings that went to someone other than the {_en[:-1]} at the head of the "
            "registration-time queue, who pure registration order would have housed (per-letting "
            "attribution), per year over the run.",
            {"nl": f"Gepasseerd: {_nl} per jaar", "en": f"Passed over: {_en} a year"},
            "scalar",
            _passed_over_per_year(_group),
            group=_group,
            measure="passed_over_households",
            period="run",
            higher_is="worse",
        )
    )
    register(
        Outcome(
            f"housed_within_2_years_{_group}_share",
            "share",
            f"Equal playing field: the chance that {_en} who entered during the run were housed "
            "for good within 2 years, standardised to the mix of region, household size and "
            "registration time at entry of regular seekers (comparable households). Not a "
            "number (NaN) in a run of 2 years or less.",
            {
                "nl": f"Binnen 2 jaar gehuisvest (vergelijkbare huishoudens), {_nl}",
                "en": f"Housed within 2 years (comparable households), {_en}",
            },
            "scalar",
            _epf(_group),
            group=_group,
            measure="housed_within_years_share",
            period="run",
            higher_is="better",
        )
    )


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


# ---- where status holders are housed (spread over the regions)

for _base, _nl, _en in (
    ("population", "bevolking", "population"),
    ("stock", "corporatievoorraad", "corporation stock"),
):
    register(
        Outcome(
            f"status_holders_spread_vs_{_base}_share",
            "share",
            "Dissimilarity index of where status holders were housed for good (persons; a "
            f"start-up home not counted) against each region's share of the {_en}, per "
            "simulated year: half the sum over regions of the absolute difference in shares, "
            "the share that would have to be housed elsewhere for the two to match (0: they "
            "match).",
            {
                "nl": f"Spreiding statushouders t.o.v. {_nl} (ongelijkheidsindex)",
                "en": f"Spread of status holders against {_en} (dissimilarity)",
            },
            "yearly",
            lambda v, b=_base: v.spread[f"dissimilarity_{b}_share"],
            group="status_holder",
            measure=f"spread_vs_{_base}_share",
        )
    )
    register(
        Outcome(
            f"status_holders_spread_vs_{_base}_share_mean",
            "share",
            f"The same against the {_en}, for all status holders housed from the second "
            "simulated year to the end together (the first year mostly reflects the start).",
            {
                "nl": f"Spreiding statushouders t.o.v. {_nl}, vanaf jaar 2",
                "en": f"Spread of status holders against {_en}, from year 2",
            },
            "scalar",
            lambda v, b=_base: _spread_from_year_2(v, b),
            group="status_holder",
            measure=f"spread_vs_{_base}_share",
            period="run",
        )
    )


def _spread_from_year_2(view: RunView, base: str) -> float:
    """The dissimilarity index over all status holders housed from year 2 on."""
    results = view.results
    regions = results.regions or default_regions()
    long, _ = spread(results, regions)
    later = long[long["year"] >= 2].groupby("region")["status_holders_housed_persons"].sum()
    if later.sum() <= 0:
        return float("nan")
    share = later / later.sum()
    ref = pd.Series(getattr(regions, f"{base}_share"), index=list(regions.names))
    return float(0.5 * (share.reindex(ref.index, fill_value=0.0) - ref).abs().sum())


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
