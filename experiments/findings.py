"""The findings page: every headline effect of the letter's policies, with its band.

``python -m experiments findings`` regenerates ``docs/findings.md`` from the
current code. Each table sets a policy scenario (B) beside its reference (A)
on the same seeds (common random numbers: each seed's B - A is policy, not
noise), with compare's pairing (``paired_differences``,
``paired_decomposition``, ``by_type_table``). Each effect has:

* a **central value**: the mean over seeds of B - A at the central
  assumptions (the defaults), with the 5-95% range over seeds;
* a **band**: the lowest and highest central value over a one-at-a-time
  sweep of the assumptions that carry it, each at its documented low and high
  value (``low``/``high`` in defaults.toml; the inflow at the named low and
  high paths; the supply the letter does not quantify scaled, below), and the
  assumption whose own range is widest.

A setting that would have no effect in a scenario is refused by the model
(``inert_settings``); the page shows such a row as skipped, with the reason.
When only the reference refuses it (it has no effect there), the reference's
central runs stand for it: its results are the same.

The supply the letter does not quantify (flex homes, places in shared homes
and start-up homes) is a set of lever schedules in the package. A value given
in ``parameters=`` replaces a schedule for the whole run, so the sweep scales
each step of the scenario's own schedule instead (``SUPPLY_FACTORS``): the
dates stay the package's.
"""

from __future__ import annotations

import datetime as dt
import os
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.compare import (
    _pool,
    by_type_table,
    decomposition,
    paired_decomposition,
)
from model.asylum.reception import EMERGENCY_TIERS
from model.base.calendar import add_months
from model.base.codes import GROUPS, TEMPORARY_NAMES
from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs
from model.inputs.policy import Scenario, load_scenario
from model.market import HousingMarket
from model.reporting.displacement import paired_differences
from model.reporting.presentation import DWELLING_LABELS, GROUP_LABELS

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "findings.md"

DEFAULT_SEEDS = 3
DEFAULT_SCALE = 20  # the coarsest validated scale (tests/test_scale.py)
QUICK = {"seeds": 1, "scale": 200, "months": 12}  # for tests: a smoke run, not findings
REPORT_YEAR = 2035

# The supply the letter does not quantify: the package's lever schedules, scaled.
SUPPLY_LEVERS = (
    "stock.flex_additions_per_year",
    "policy.shared_conversions_per_year",
    "stock.startup_additions_per_year",
)
SUPPLY_FACTORS = {"low": 0.5, "high": 1.5}
SUPPLY_SOURCE = (
    "assumption: the letter gives no numbers for flex homes, shared homes and start-up homes; "
    "half and one and a half times the package's assumed numbers (7,500, 1,500 and 3,000 a "
    "year), on the package's dates"
)


class MissingOutcome(Exception):
    """A result the findings need is not in the run's results."""


# ------------------------------------------------------------------ assumptions


@dataclass(frozen=True)
class Variant:
    """One value of one assumption.

    Attributes:
        assumption: The assumption's name as the page shows it ("" for the central run).
        side: ``low``, ``high`` or ``central``.
        text: The value in words.
        settings: The parameters of a scenario under it, or the reason it does not apply.
    """

    assumption: str
    side: str
    text: str
    settings: Callable[[Scenario], dict | str]

    @property
    def key(self) -> str:
        return f"{self.assumption}:{self.side}" if self.assumption else "central"


def _parameter(assumption: str, name: str, side: str, value=None) -> Variant:
    spec = parameter_specs()[name]
    value = getattr(spec, side) if value is None else value
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return Variant(assumption, side, f"`{name}` = {shown}", lambda s: {name: value})


def _supply(side: str) -> Variant:
    factor = SUPPLY_FACTORS[side]

    def settings(scenario: Scenario) -> dict | str:
        out = {}
        for name in SUPPLY_LEVERS:
            if name in scenario.levers:
                out[name] = [
                    {"from": _when(w), "value": round(v * factor)} for w, v in scenario.levers[name]
                ]
        return out or f"not applicable: '{scenario.name}' sets none of {', '.join(SUPPLY_LEVERS)}"

    return Variant(
        "supply the letter does not quantify",
        side,
        f"{factor:g} times the scenario's {', '.join(f'`{n}`' for n in SUPPLY_LEVERS)}",
        settings,
    )


def _when(when) -> str:
    if isinstance(when, str):
        return when
    return "start" if when == dt.date.min else when.isoformat()


# The assumptions swept at their documented low and high values, besides the inflow path
# and the supply the letter does not quantify: (as the page names it, the parameter).
PARAMETER_ASSUMPTIONS = (
    ("recognition rate", "asylum.recognition_rate"),
    ("municipal willingness", "municipalities.willingness_mean"),
    ("priority kept without the quota", "policy.priority_without_quota_share"),
    ("reception plans realised after a withdrawal",
     "reception.plans_realised_after_withdrawal_share"),
    ("delay of those plans after a withdrawal", "reception.plans_delay_after_withdrawal_months"),
)  # fmt: skip


def variants() -> list[Variant]:
    """The central run, then each assumption at its low and high value."""
    out = [Variant("", "central", "every assumption at its default", lambda s: {})]
    for side in ("low", "high"):
        out.append(_parameter("asylum inflow path", "asylum.inflow_path", side, side))
    for side in ("low", "high"):
        out.append(_supply(side))
    for assumption, name in PARAMETER_ASSUMPTIONS:
        for side in ("low", "high"):
            out.append(_parameter(assumption, name, side))
    return out


# ------------------------------------------------------------------ what each run gives


def report_period(start: dt.date, months: int) -> tuple[dt.date, dt.date, str]:
    """The snapshots a stock "in 2035" is the mean of: the month-ends of 2035 if the run
    covers them, else the run's last twelve (or all) months; and its label."""
    end = add_months(start, months)
    first, last = dt.date(REPORT_YEAR, 2, 1), dt.date(REPORT_YEAR + 1, 1, 1)
    if end >= last and start < first:
        return first, last, f"in {REPORT_YEAR}"
    first = max(add_months(end, -11), add_months(start, 1))
    label = f"in the run's last months ({first:%Y-%m} to {end:%Y-%m})"
    return first, end, label


def needed_columns() -> list[str]:
    """The monthly columns the findings read (``lettings_temporary_*`` is optional)."""
    return [
        *(f"housed_for_good_{g}_households" for g in GROUPS),
        *(f"lettings_{t}_households" for t in TEMPORARY_NAMES),
        "status_holders_in_reception_persons",
        "reception_backlog_persons",
        "asylum_permits_persons",
        "reception_places_total_persons",
        *(f"reception_places_{t}_persons" for t in EMERGENCY_TIERS),
        *(f"reception_occupancy_{t}_persons" for t in EMERGENCY_TIERS),
        "reception_cost_total_eur",
    ]


def summary(monthly: pd.DataFrame, period: tuple[dt.date, dt.date, str]) -> pd.DataFrame:
    """One run's figures as a tidy table (measure, group, period, value, unit), as compare's.

    Raises:
        MissingOutcome: A column the findings need is not in the results.
    """
    missing = [c for c in needed_columns() if c not in monthly.columns]
    if missing:
        raise MissingOutcome(
            f"findings needs the column '{missing[0]}' of the run's monthly results, and the "
            f"results do not have it (missing: {', '.join(missing)}); allowed: a model whose "
            "monthly table has every column of experiments.findings.needed_columns()"
        )
    table = monthly.set_index(pd.to_datetime(monthly["date"]))
    flows = table.iloc[1:]
    years = max(len(flows), 1) / 12
    first, last, label = period
    in_period = table.loc[pd.Timestamp(first) : pd.Timestamp(last)]
    rows = []

    def add(measure, group, value, unit, when="run"):
        rows.append((measure, group, when, float(value), unit))

    hh_year = "households per year"
    for g in GROUPS:
        add("housed_for_good", g, flows[f"housed_for_good_{g}_households"].sum() / years, hh_year)
        temporary = f"lettings_temporary_{g}_households"
        if temporary in flows:  # tenancies with an end date, once the model counts them
            add("lettings_temporary", g, flows[temporary].sum() / years, hh_year)
    for t in TEMPORARY_NAMES:
        add("lettings_by_type", t, flows[f"lettings_{t}_households"].sum() / years, hh_year)
    in_reception = in_period["status_holders_in_reception_persons"].mean()
    permits = flows["asylum_permits_persons"].sum()
    add("in_reception", "status_holder", in_reception, "persons", label)
    add("backlog", "status_holder", in_period["reception_backlog_persons"].mean(), "persons", label)
    add("permits", "status_holder", permits, "persons over the run")
    per = 1000 * in_reception / permits if permits > 0 else np.nan
    add("in_reception_per_1000_permits", "status_holder", per, "persons per 1,000 permits", label)
    emergency = [f"reception_places_{t}_persons" for t in EMERGENCY_TIERS]
    add("places", "all", in_period["reception_places_total_persons"].mean(), "places", label)
    add("emergency_places", "all", in_period[emergency].sum(axis=1).mean(), "places", label)
    # over the whole run: a withdrawal's shortfall of places comes in its first years
    add("emergency_place_years", "all", flows[emergency].to_numpy().sum() / 12,
        "place-years over the run")  # fmt: skip
    on_emergency = [f"reception_occupancy_{t}_persons" for t in EMERGENCY_TIERS]
    add("emergency_person_years", "all", flows[on_emergency].to_numpy().sum() / 12,
        "person-years over the run")  # fmt: skip
    add("reception_cost", "all", flows["reception_cost_total_eur"].sum() / years, "euro per year")
    return pd.DataFrame(rows, columns=["measure", "group", "period", "value", "unit"])


# The quota's year-by-year path is shown for these scenarios' central runs: (scenario, as the
# page names it).
QUOTA_YEAR_SCENARIOS = (
    ("current-policy", "current policy"),
    ("ban-without-extra-supply", "ban on priority"),
    ("abolish-quota", "quota abolished"),
)
QUOTA_YEAR_COLUMNS = (
    "quota_backlog_persons",
    "quota_behind_municipalities",
    "quota_behind_share",
    "status_holders_in_reception_persons",
)


def quota_years(monthly: pd.DataFrame, timeline) -> pd.DataFrame:
    """The quota's state on 1 January of each year of a run (indexed by year): its backlog,
    the municipalities behind and their share, the status holders in reception, and
    whether the quota is in force on that date (``timeline``: the run's levers)."""
    table = monthly.set_index(pd.to_datetime(monthly["date"]))
    january = table[table.index.month == 1]
    out = january[list(QUOTA_YEAR_COLUMNS)].copy()
    out["quota_in_force"] = [bool(timeline.at(d.date())["policy.quota_in_force"])
                             for d in january.index]  # fmt: skip
    out.index = january.index.year
    return out


def run_one(task: tuple) -> dict:
    """One scenario under one variant on one seed: its tidy figures, its decomposition and
    the quota's state on each 1 January."""
    scenario, seed, scale, parameters, period = task
    model = HousingMarket(scenario, rng=seed, households_per_agent=scale, parameters=parameters)
    results = model.run()
    return {
        "summary": summary(results.monthly, period),
        "by_type": decomposition(results),
        "years": quota_years(results.monthly, model.timeline),
    }


# ------------------------------------------------------------------ the tables


@dataclass(frozen=True)
class Effect:
    """One headline effect: a row of compare's tidy table, with its label."""

    label: str
    measure: str
    group: str
    period: str = "run"  # "report": the report period's label


@dataclass(frozen=True)
class Finding:
    """One table: a policy against its reference, and the effects it reports."""

    title: str
    reference: str
    policy: str
    about: str
    effects: tuple[Effect, ...]
    decompose: bool = False


IN_RECEPTION = Effect("status holders in reception", "in_reception", "status_holder", "report")
HOUSED_REGULAR = Effect("regular seekers housed for good", "housed_for_good", "regular")
HOUSED_STATUS_HOLDERS = Effect("status holders housed for good", "housed_for_good", "status_holder")
BACKLOG = Effect(
    "of them, past the 14-week norm since the permit", "backlog", "status_holder", "report"
)

FINDINGS = (
    Finding(
        "The cabinet package against current policy",
        "current-policy",
        "cabinet-package",
        "Who is housed for good (a home without an end date; flex, start-up and shared homes "
        "are steps, reported apart as temporary lettings) and "
        "where the change comes from, by dwelling type.",
        (
            HOUSED_REGULAR,
            Effect("urgent seekers housed for good", "housed_for_good", "urgent"),
            HOUSED_STATUS_HOLDERS,
            IN_RECEPTION,
        ),
        decompose=True,
    ),
    Finding(
        "The quota's abolition in July 2028, within the package",
        "cabinet-package-keep-quota",
        "cabinet-package",
        "The package with its abolition of the quota against the same package with the quota "
        "kept: the effect of the abolition apart.",
        (IN_RECEPTION, BACKLOG),
    ),
    Finding(
        "The ban on priority, and reception",
        "current-policy",
        "ban-without-extra-supply",
        "The ban on priority for status holders without the package's extra homes; per 1,000 "
        "permits granted over the run, so that paths with more or fewer permits compare; "
        "and where the change comes from, by dwelling type.",
        (
            IN_RECEPTION,
            Effect(
                "status holders in reception per 1,000 permits",
                "in_reception_per_1000_permits",
                "status_holder",
                "report",
            ),
            HOUSED_STATUS_HOLDERS,
            HOUSED_REGULAR,
        ),
        decompose=True,
    ),
    Finding(
        "Abolishing the quota",
        "current-policy",
        "abolish-quota",
        "The quota ends in July 2026 without an alternative coupling (priority stays legal); "
        "where the change comes from, by dwelling type.",
        (
            IN_RECEPTION,
            BACKLOG,
            HOUSED_STATUS_HOLDERS,
            HOUSED_REGULAR,
        ),
        decompose=True,
    ),
    Finding(
        "Withdrawing the Spreidingswet",
        "current-policy",
        "spreidingswet-withdrawal",
        "Reception places, emergency places and the cost of reception. The withdrawal acts "
        "in its first years (the plans municipalities no longer have to realise), so the "
        "emergency places are counted over the whole run.",
        (
            Effect("emergency places", "emergency_place_years", "all"),
            Effect("persons on emergency places", "emergency_person_years", "all"),
            Effect("reception cost", "reception_cost", "all"),
            Effect("reception places", "places", "all", "report"),
            IN_RECEPTION,
        ),
    ),
)


@dataclass(frozen=True)
class Settings:
    """The run settings every table shares."""

    seeds: int
    scale: int
    months: int
    start: dt.date
    workers: int

    @property
    def parameters(self) -> dict:
        out = {"calendar.months": self.months}
        if self.scale > DEFAULT_SCALE:
            out["scale.allow_unvalidated"] = True  # quick runs only; the page says the scale
        return out

    @property
    def period(self) -> tuple[dt.date, dt.date, str]:
        return report_period(self.start, self.months)


def _settings_for(scenario: str, variant: Variant, settings: Settings) -> dict | str:
    """The parameters of a scenario's runs under a variant, or why it cannot run under it
    (the setting does not apply, or the model refuses it as inert)."""
    extra = variant.settings(load_scenario(scenario))
    if isinstance(extra, str):
        return extra
    parameters = settings.parameters | extra
    try:
        HousingMarket.check_settings(scenario, settings.scale, None, parameters)
    except ParameterError as err:
        return f"refused for '{scenario}': {err}"
    return parameters


@dataclass
class Row:
    """One variant of one finding: which runs it pairs, or why it was skipped."""

    variant: Variant
    reference: str | None = None  # run keys
    policy: str | None = None
    skipped: str = ""
    note: str = ""


def plan(settings: Settings) -> tuple[dict[tuple[str, str], dict], dict[str, list[Row]]]:
    """The runs to make (per scenario and variant: its parameters), and each finding's rows."""
    runs: dict[tuple[str, str], dict] = {}
    rows: dict[str, list[Row]] = {}
    for finding in FINDINGS:
        rows[finding.title] = []
        for variant in variants():
            row = Row(variant)
            rows[finding.title].append(row)
            policy = _settings_for(finding.policy, variant, settings)
            if isinstance(policy, str):
                row.skipped = policy
                continue
            reference = _settings_for(finding.reference, variant, settings)
            ref_key = variant.key
            if isinstance(reference, str):  # no effect on the reference: its central runs
                ref_key, reference = "central", settings.parameters
                row.note = "A at its central runs: the setting has no effect there"
            runs[(finding.policy, variant.key)] = policy
            runs[(finding.reference, ref_key)] = reference
            row.reference, row.policy = ref_key, variant.key
    return runs, rows


def simulate(runs: dict, settings: Settings) -> dict[tuple[str, str], list[dict]]:
    """Every run on seeds 1..S (in a process pool), grouped by (scenario, variant)."""
    keys = list(runs)
    tasks = [
        (scenario, seed, settings.scale, runs[(scenario, key)], settings.period)
        for scenario, key in keys
        for seed in range(1, settings.seeds + 1)
    ]
    if settings.workers > 1 and len(tasks) > 1:
        with _pool(settings.workers) as pool:
            try:
                done = list(pool.map(run_one, tasks))
            except BaseException:
                pool.shutdown(cancel_futures=True)  # a failed run stops the sweep at once
                raise
    else:
        done = [run_one(t) for t in tasks]
    s = settings.seeds
    return {key: done[k * s : (k + 1) * s] for k, key in enumerate(keys)}


def _pick(differences: pd.DataFrame, effect: Effect, period_label: str) -> pd.Series:
    period = period_label if effect.period == "report" else effect.period
    hit = differences[
        (differences["measure"] == effect.measure)
        & (differences["group"] == effect.group)
        & (differences["period"] == period)
    ]
    if hit.empty:
        raise MissingOutcome(
            f"findings needs the outcome '{effect.measure}' ({effect.group}, {period}), and "
            "the paired results do not have it"
        )
    return hit.iloc[0]


QUOTA_YEARS = "The quota year by year"


def findings(settings: Settings) -> dict:
    """Run the sweep and pair it: per finding, the central comparison and each variant's."""
    runs, rows = plan(settings)
    done = simulate(runs, settings)
    label = settings.period[2]
    out = {}
    for finding in FINDINGS:
        per_row = []
        for row in rows[finding.title]:
            if row.skipped:
                per_row.append((row, None))
                continue
            a = done[(finding.reference, row.reference)]
            b = done[(finding.policy, row.policy)]
            diff = paired_differences([r["summary"] for r in a], [r["summary"] for r in b])
            picked = {e.label: _pick(diff, e, label) for e in finding.effects}
            per_row.append((row, picked))
        central_a = done[(finding.reference, "central")]
        central_b = done[(finding.policy, "central")]
        extra = {}
        if finding.decompose:
            extra["by_type"] = paired_decomposition(central_a, central_b)
            extra["differences"] = paired_differences(
                [r["summary"] for r in central_a], [r["summary"] for r in central_b]
            )
        out[finding.title] = {"rows": per_row, **extra}
    out[QUOTA_YEARS] = {  # these scenarios are among the findings', so their central runs ran
        name: [r["years"] for r in done[(name, "central")]] for name, _ in QUOTA_YEAR_SCENARIOS
    }
    return out


# ------------------------------------------------------------------ the page


def _unit(unit: str) -> str:
    return "million euro per year" if unit == "euro per year" else unit


def _number(value: float, unit: str, sign: bool = False) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    if unit == "euro per year":
        value = value / 1e6
    digits = 1 if "per 1,000" in unit else 0
    value = round(value, digits) + 0.0  # no "-0": a difference that rounds to nothing is 0
    return f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def finding_markdown(finding: Finding, result: dict, label: str) -> list[str]:
    """One finding's section: the central effects with their bands, then the sweep."""
    rows = result["rows"]
    central = next(picked for row, picked in rows if row.variant.key == "central")
    lines = [
        f"## {finding.title}",
        "",
        f"B = `{finding.policy}` minus A = `{finding.reference}`, the same seeds. "
        f"{finding.about} Stocks are the mean of the month-end figures {label}.",
        "",
        "| effect | unit | A | B | B - A, central | 5-95% over seeds | band over the "
        "assumptions | carried most by |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for effect in finding.effects:
        c = central[effect.label]
        unit = c["unit"]
        values = [p[effect.label]["difference_mean"] for _, p in rows if p is not None]
        by_assumption: dict[str, list[float]] = {}
        for row, p in rows:
            if p is not None and row.variant.assumption:
                by_assumption.setdefault(row.variant.assumption, [c["difference_mean"]]).append(
                    p[effect.label]["difference_mean"]
                )
        widest = max(by_assumption, key=lambda k: np.ptp(by_assumption[k]), default="")
        if not widest or np.ptp(by_assumption[widest]) == 0:
            widest = "none: no assumption moves it"
        lines.append(
            f"| {effect.label} | {_unit(unit)} | {_number(c['a_mean'], unit)} | "
            f"{_number(c['b_mean'], unit)} | {_number(c['difference_mean'], unit, True)} | "
            f"{_number(c['difference_p5'], unit, True)} to "
            f"{_number(c['difference_p95'], unit, True)} | "
            f"{_number(min(values), unit, True)} to {_number(max(values), unit, True)} | "
            f"{widest} |"
        )
    lines += [
        "",
        "The sweep, one assumption at a time (B - A, mean over seeds):",
        "",
        "| assumption | value | " + " | ".join(e.label for e in finding.effects) + " |",
        "|---|---|" + "---|" * len(finding.effects),
    ]
    for row, picked in rows:
        name = (
            f"{row.variant.assumption} ({row.variant.side})"
            if row.variant.assumption
            else "central"
        )
        head = f"| {name} | {row.variant.text} |"
        if picked is None:
            lines.append(
                f"{head} skipped: {_cell(row.skipped)} |" + " |" * (len(finding.effects) - 1)
            )
            continue
        cells = [
            _number(picked[e.label]["difference_mean"], picked[e.label]["unit"], True)
            for e in finding.effects
        ]
        note = f" ({row.note})" if row.note else ""
        lines.append(f"| {name}{note} | {row.variant.text} | "
                     + " | ".join(cells) + " |")  # fmt: skip
    if finding.decompose:
        lines += decomposition_markdown(result)
    return [*lines, ""]


def decomposition_markdown(result: dict) -> list[str]:
    """Where the change comes from (central assumptions): lettings B - A per group and
    dwelling type, households housed for good, places added; then the temporary lettings."""
    table = by_type_table(result)
    groups = {g: GROUP_LABELS["en"][g] for g in GROUPS}
    lines = [
        "",
        "Where the change comes from, at the central assumptions: lettings B - A per group and "
        "dwelling type in households per year (mean over seeds; a flex, start-up or shared "
        "home is a letting, not a home for good); the last row, places added in dwellings "
        "(places) per year.",
        "",
        "| | " + " | ".join(DWELLING_LABELS["en"].get(c, c) for c in table.columns) + " |",
        "|---|" + "---|" * len(table.columns),
    ]
    for index, values in table.iterrows():
        name = groups.get(index, index)
        cells = ["" if pd.isna(v) else f"{v:+,.0f}" for v in values]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    diff = result["differences"]
    lines += [
        "",
        "Temporary lettings, reported apart (tenancies with an end date: places in shared "
        "homes, flex homes, start-up homes), households per year:",
        "",
        "| lettings of | A | B | B - A | 5-95% over seeds |",
        "|---|---|---|---|---|",
    ]
    temporary = diff[diff["measure"].isin(["lettings_by_type", "lettings_temporary"])]
    for _, r in temporary.iterrows():
        what = (
            f"{DWELLING_LABELS['en'].get(r['group'], r['group'])}, all groups"
            if r["measure"] == "lettings_by_type"
            else f"with an end date, {GROUP_LABELS['en'][r['group']]}"
        )
        u = r["unit"]
        lines.append(
            f"| {what} | {_number(r['a_mean'], u)} | {_number(r['b_mean'], u)} | "
            f"{_number(r['difference_mean'], u, True)} | {_number(r['difference_p5'], u, True)}"
            f" to {_number(r['difference_p95'], u, True)} |"
        )
    return lines


def version() -> str:
    """The package version (pyproject.toml)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def page(result: dict, settings: Settings, seconds: float, quick: bool) -> str:
    """docs/findings.md."""
    end = add_months(settings.start, settings.months)
    specs = parameter_specs()
    lines = [
        "# Findings",
        "",
        f"Made on {dt.date.today().isoformat()} by `python -m experiments findings` "
        f"(`make findings`) from version {version()} of the model, in {seconds / 60:.1f} "
        f"minutes on {settings.workers} processes. Settings: seeds 1-{settings.seeds}, "
        f"1 agent = {settings.scale} households, {settings.months} months from "
        f"{settings.start.isoformat()} to {end.isoformat()}. Do not edit: the command "
        "rewrites this page.",
        "",
        "These numbers are **model results under the named assumptions below**, not "
        "forecasts. Each table sets a policy (B) beside its reference (A) on the same seeds, "
        "so that each seed's difference is the policy's and not luck (common random "
        "numbers). The central value is the mean over seeds of B - A with every assumption at "
        "its default; the band is the lowest and highest central value when each assumption "
        "below is moved alone to its low and its high value; *carried most by* names the "
        "assumption whose own range is widest. Every figure is in real households, persons, "
        "places or euro. A setting the model refuses for a scenario, because it would have no "
        "effect there, is shown as skipped with the reason.",
        "",
    ]
    if quick:
        lines += [
            "**Quick settings**: a smoke run at a coarse scale, short and on one seed; the "
            "numbers show the page's form, not the findings. Run `make findings` for them.",
            "",
        ]
    lines += [
        "The assumptions swept (low and high values from `model/inputs/data/defaults.toml`):",
        "",
        "| assumption | setting | low | high | source of the range |",
        "|---|---|---|---|---|",
        "| asylum inflow path | `asylum.inflow_path` | low | high | "
        f"{_cell(specs['asylum.inflow_path'].source)} |",
    ]
    for assumption, name in PARAMETER_ASSUMPTIONS:
        s = specs[name]
        lines.append(
            f"| {assumption} | `{name}` | {s.low:g} | {s.high:g} | {_cell(s.range_source)} |"
        )
    lines += [
        "| supply the letter does not quantify | the scenario's schedules of "
        + ", ".join(f"`{n}`" for n in SUPPLY_LEVERS)
        + f", each step times | {SUPPLY_FACTORS['low']:g} | {SUPPLY_FACTORS['high']:g} | "
        f"{SUPPLY_SOURCE} |",
        "",
    ]
    label = settings.period[2]
    for finding in FINDINGS:
        lines += finding_markdown(finding, result[finding.title], label)
    lines += quota_years_markdown(result[QUOTA_YEARS])
    return "\n".join(lines).rstrip() + "\n"


def quota_years_markdown(runs: dict[str, list[pd.DataFrame]]) -> list[str]:
    """The quota's backlog, the municipalities behind and the status holders in reception on
    each 1 January, under current policy, the ban and abolition (central runs, mean over
    seeds with their range)."""
    names = QUOTA_YEAR_SCENARIOS
    lines = [
        f"## {QUOTA_YEARS}",
        "",
        "On 1 January of each year (the state after December; the first row is the start): "
        "the backlog on the quota (persons the municipalities are behind the targets due, "
        "net of leads), the municipalities behind (at least one person; of 342) and the "
        "status holders in COA reception (persons), with every assumption at its default. "
        "Mean over seeds, with the lowest and highest seed in brackets. Once the quota is "
        "abolished nobody is due anything, so there is no backlog and no municipality "
        "behind: the cell says *no quota*.",
        "",
    ]
    header = "| 1 January | " + " | ".join(label for _, label in names) + " |"
    rule = "|---|" + "---|" * len(names)

    def cell(frames: list[pd.DataFrame], year: int, column: str) -> str:
        quota = all(f.loc[year, "quota_in_force"] for f in frames)
        if not quota and column != "status_holders_in_reception_persons":
            return "no quota"
        v = np.array([f.loc[year, column] for f in frames], float)
        if column == "quota_behind_municipalities":
            share = np.mean([f.loc[year, "quota_behind_share"] for f in frames])
            return f"{v.mean():.0f} = {share:.0%} ({v.min():.0f} to {v.max():.0f})"
        return f"{v.mean():,.0f} ({v.min():,.0f} to {v.max():,.0f})"

    years = sorted(set.intersection(*(set(f.index) for name, _ in names for f in runs[name])))
    for title, column in (
        ("Backlog on the quota (persons)", "quota_backlog_persons"),
        ("Municipalities behind on the quota (of 342, and their share)",
         "quota_behind_municipalities"),
        ("Status holders in COA reception (persons)", "status_holders_in_reception_persons"),
    ):  # fmt: skip
        lines += [f"**{title}**", "", header, rule]
        for year in years:
            cells = [cell(runs[name], year, column) for name, _ in names]
            lines.append(f"| {year} | " + " | ".join(cells) + " |")
        lines.append("")
    return lines


def make_page(
    seeds: int = DEFAULT_SEEDS,
    scale: int = DEFAULT_SCALE,
    months: int | None = None,
    workers: int | None = None,
    quick: bool = False,
    out: Path = PAGE,
) -> tuple[Path, float]:
    """Run the sweep and write the page; return its path and the seconds it took.

    Raises:
        ParameterError: A scenario or setting is invalid.
        MissingOutcome: A result the findings need is not in the runs' results.
    """
    coarse = {"scale.allow_unvalidated": True} if scale > DEFAULT_SCALE else {}
    _, params, _ = HousingMarket.check_settings("current-policy", scale, None, coarse)
    settings = Settings(
        seeds=seeds,
        scale=scale,
        months=months or params["calendar.months"],
        start=params.start_date,
        workers=workers or min(2, os.cpu_count() or 1),
    )
    started = time.perf_counter()
    result = findings(settings)
    seconds = time.perf_counter() - started
    out.write_text(page(result, settings, seconds, quick), encoding="utf-8")
    return out, seconds
