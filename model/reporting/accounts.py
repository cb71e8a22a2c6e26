"""The month's figures: what the sub-models did, and the stocks at the month's end.

Every sub-model returns a record of its month in agent units (``AsylumMonth``,
``Exits``, ``Reunified``, ``VacancyFlows``, ``MonthLettings``,
``ReceptionMonth``); :class:`MonthRecord` holds them, and :func:`figures`
turns them, with the stocks at the month's end, into one row of
``Results.monthly``. That is the one place where agent units become real
households, persons, dwellings and euro (``households_per_agent`` times).
The columns and their order are specified in ``model/reporting/columns.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from model.allocation.routes import MonthLettings
from model.asylum.pipeline import AsylumMonth
from model.asylum.reception import TIERS, ReceptionMonth
from model.asylum.reunification import Reunified
from model.base.calendar import Month
from model.base.codes import (
    DWELLING_TYPES,
    EXIT_REASONS,
    GROUPS,
    N_TYPES,
    ORIGINS,
    ROUTES,
    SELF_CONTAINED,
    TEMPORARY,
    Group,
    Situation,
)
from model.households.queue import Exits
from model.reporting.columns import ordered
from model.reporting.results import quantiles_by_group, sorted_median, sorted_quantile
from model.supply.stock import VacancyFlows

if TYPE_CHECKING:
    from model.households.table import HouseholdTable

NAN = float("nan")


@dataclass
class MonthRecord:
    """What happened in one month, sub-model by sub-model (agent units).

    The start state (month -1) has only its reception; the other parts are
    empty records (no lettings, no vacancies, no applications).
    """

    month: Month
    asylum: AsylumMonth = field(default_factory=AsylumMonth)
    entered: np.ndarray = field(default_factory=lambda: np.zeros(len(GROUPS), np.int64))
    entered_reception_persons: int = 0
    reunified: Reunified = field(default_factory=Reunified)
    lapsed: int = 0
    exits: Exits = field(default_factory=Exits)
    contracts_ended: np.ndarray = field(default_factory=lambda: np.zeros(N_TYPES, np.int64))
    vacancies: VacancyFlows = field(default_factory=VacancyFlows)
    lettings: MonthLettings = field(default_factory=MonthLettings.none)
    reception: ReceptionMonth | None = None


@dataclass(frozen=True)
class MonthEnd:
    """The state at a month's end that the figures read (agent units).

    Attributes:
        date: The model's clock after the month (the start row: the start date).
        table: The household table.
        quota_backlog: Persons behind the quota per region.
        municipalities_behind: Per region, municipalities at least one person behind the
            quota.
        municipalities: Per region, municipalities in all.
        abroad_of_sponsors: Persons abroad waiting to join housed status holders.
        stock_total: Units per (region, dwelling type).
        vacant: Vacancies not let yet.
        asylum_pending: Persons awaiting a first decision.
        asylum_rejected: Rejected applicants still in reception.
        region_names: The regions' names.
        norm_weeks: The outflow norm (weeks from the permit to a home).
        scale: Households per agent.
        passing_reception: Per region, family members in reception on their way to a
            housed sponsor (``Reunification.passing``).
    """

    date: dt.date
    table: HouseholdTable
    quota_backlog: np.ndarray
    municipalities_behind: np.ndarray
    municipalities: np.ndarray
    abroad_of_sponsors: int
    stock_total: np.ndarray
    vacant: int
    asylum_pending: float
    asylum_rejected: float
    region_names: tuple[str, ...]
    norm_weeks: float
    scale: int
    passing_reception: np.ndarray


def figures(end: MonthEnd, record: MonthRecord) -> dict[str, Any]:
    """One row of ``Results.monthly``: the month's flows and the stocks at its end (real units),
    in the order of the column specification (``model/reporting/columns.py``).

    Flows are over the month (zero, or NaN for a median of nothing, in the
    start row); stocks are at the month's end.
    """
    k = end.scale
    month, let, vac, asylum = record.month, record.lettings, record.vacancies, record.asylum
    row: dict[str, Any] = {
        "date": end.date.isoformat(),
        "period": month.first.strftime("%Y-%m") if month.index >= 0 else "",
    }
    row.update(_lettings(let, k))
    for g, name in enumerate(GROUPS):
        row[f"entered_{name}_households"] = int(record.entered[g]) * k
    for reason, n in zip(EXIT_REASONS, record.exits.by_reason, strict=True):
        row[f"exits_{reason}_households"] = int(n) * k
    row["refusals_households"] = let.refusals * k
    row["urgent_lapsed_unserved_households"] = record.lapsed * k
    row["status_holders_housed_persons"] = let.housed_from_reception_persons * k
    row.update(_vacancies(vac, k))
    row["temporary_contracts_ended_households"] = int(record.contracts_ended.sum()) * k
    row["reception_places_converted_persons"] = round(vac.converted_places * k)
    row["asylum_applications_persons"] = asylum.applications_persons
    row["asylum_repeat_applications_persons"] = asylum.repeat_persons
    row["asylum_decisions_persons"] = asylum.decisions * k
    row["asylum_permits_persons"] = asylum.permits * k
    row["asylum_pending_persons"] = end.asylum_pending * k
    row["asylum_rejected_in_reception_persons"] = end.asylum_rejected * k
    row["asylum_rejected_left_reception_persons"] = asylum.departed * k
    row.update(_reception(record.reception, k))
    row.update(_status_holder_flows(record, k))
    row.update(_permit_to_home(let, end.norm_weeks))
    row["flex_end_of_life_dwellings"] = vac.flex_end_of_life * k
    row.update(_stocks(end, month))
    row.update(_per_place(row))
    return ordered(row)


def _vacancies(vac: VacancyFlows, k: int) -> dict[str, Any]:
    """New vacancies by origin, places added, and homes leaving the stock."""
    row: dict[str, Any] = {}
    for code, name in enumerate(ORIGINS):
        row[f"vacancies_{name}_dwellings"] = int(vac.by_origin[code]) * k
    row["flex_additions_reserved_dwellings"] = vac.flex_reserved * k
    for t, name in enumerate(DWELLING_TYPES):
        row[f"places_added_{name}_dwellings"] = int(vac.added[t]) * k
    row["shared_homes_converted_dwellings"] = vac.shared_converted * k
    row["demolished_dwellings"] = vac.demolished * k
    row["sold_dwellings"] = vac.sold * k
    row["liberalised_dwellings"] = vac.liberalised * k
    row["turnover_tightness_factor_ratio"] = vac.turnover_factor
    return row


def _status_holder_flows(record: MonthRecord, k: int) -> dict[str, Any]:
    """Family members arriving, and status holders' persons entering and leaving reception
    (in at the end = in at the start + entered + joined there + families of re-entering
    households - housed - self found)."""
    re, ex, let = record.reunified, record.exits, record.lettings
    return {
        "reunification_arrivals_in_market_persons": re.arrivals_in_market_persons * k,
        "reunification_arrivals_in_reception_persons": re.arrivals_in_reception_persons * k,
        "reunification_arrivals_at_home_persons": re.arrivals_at_home_persons * k,
        "reunification_reentries_households": re.reentries * k,
        "reunification_reentries_in_reception_persons": re.reentries_in_reception_persons * k,
        "reunification_arrivals_passing_reception_persons": (
            re.arrivals_passing_reception_persons * k
        ),
        "reunification_passed_through_reception_persons": re.passed_through_reception_persons * k,
        "status_holders_entered_reception_persons": record.entered_reception_persons * k,
        "status_holders_left_reception_self_found_persons": (
            ex.from_reception_linked_persons + ex.from_reception_unlinked_persons
        )
        * k,
        "integration_start_assigned_persons": (
            ex.from_reception_linked_persons + let.from_reception_linked_persons
        )
        * k,
        "integration_start_brp_persons": (
            ex.from_reception_unlinked_persons + let.from_reception_unlinked_persons
        )
        * k,
    }


def _lettings(let: MonthLettings, k: int) -> dict[str, Any]:
    """Lettings by group, dwelling type and route, and registration time at letting."""
    row: dict[str, Any] = {}
    n_groups, n_types = len(GROUPS), len(DWELLING_TYPES)
    group, dtype = let.group, let.dwelling_type
    # One count per (group, type) and per (type, let before) cell, read many ways.
    cell = group.astype(np.int64) * n_types + dtype
    by_cell = np.bincount(cell, minlength=n_groups * n_types).reshape(n_groups, n_types) * k
    self_contained = by_cell[:, SELF_CONTAINED].sum(axis=1)
    for g, name in enumerate(GROUPS):
        row[f"lettings_{name}_households"] = int(by_cell[g].sum())
    row["lettings_total_households"] = sum(row[f"lettings_{n}_households"] for n in GROUPS)
    row["lettings_self_contained_households"] = int(self_contained.sum())
    for g, name in enumerate(GROUPS):
        row[f"lettings_self_contained_{name}_households"] = int(self_contained[g])
    for t, name in enumerate(DWELLING_TYPES):
        row[f"lettings_{name}_households"] = int(by_cell[:, t].sum())
    relet = np.bincount(dtype[~let.first_letting], minlength=n_types) * k
    for t, name in enumerate(DWELLING_TYPES):
        row[f"relettings_{name}_households"] = int(relet[t])
    # a temporary home (flex, start-up, shared) is a step: the household searches on
    temporary = by_cell[:, TEMPORARY].sum(axis=1)
    for g, name in enumerate(GROUPS):
        row[f"housed_for_good_{name}_households"] = int(by_cell[g].sum() - temporary[g])
        row[f"lettings_temporary_{name}_households"] = int(temporary[g])
    by_route = np.bincount(let.route, minlength=len(ROUTES)) * k
    for r, name in enumerate(ROUTES):
        row[f"lettings_route_{name}_households"] = int(by_route[r])
    row["lettings_doorstromer_households"] = int(np.sum(let.leaves_social_home)) * k
    median, p90 = quantiles_by_group(let.registration_years, group, (0.5, 0.9))
    for label, values in (("median", median), ("p90", p90)):
        for g, name in enumerate(GROUPS):
            row[f"registration_years_at_letting_{label}_{name}"] = values[g]
    return row


def _reception(rec: ReceptionMonth | None, k: int) -> dict[str, Any]:
    """Reception occupancy and places by tier (persons), places opened, closed and
    converted (persons), and the month's cost by tier (euro)."""
    row: dict[str, Any] = {"reception_occupancy_total_persons": rec.occupancy_total * k}
    for tier in TIERS:
        row[f"reception_occupancy_{tier}_persons"] = rec.occupancy[tier] * k
    row["reception_places_total_persons"] = sum(rec.places.values()) * k
    for tier in TIERS:
        row[f"reception_places_{tier}_persons"] = rec.places[tier] * k
    row["reception_conversion_allowed_share"] = int(rec.conversion_allowed)
    row["reception_places_opened_persons"] = rec.opened * k
    row["reception_places_closed_persons"] = rec.closed * k
    row["reception_places_under_notice_persons"] = rec.under_notice * k
    for tier in TIERS:
        row[f"reception_cost_{tier}_eur"] = rec.cost[tier] * k
    row["reception_cost_total_eur"] = rec.cost_total * k
    return row


def _permit_to_home(let: MonthLettings, norm_weeks: float) -> dict[str, float]:
    """Weeks from permit to a home of the status holders housed from reception in the month."""
    weeks = let.weeks_permit_to_home
    if len(weeks) == 0:
        return {
            "permit_to_housing_weeks_median": NAN,
            "permit_to_housing_weeks_p90": NAN,
            "housed_within_14_weeks_share": NAN,
        }
    ranked = np.sort(weeks)
    return {
        "permit_to_housing_weeks_median": sorted_median(ranked),
        "permit_to_housing_weeks_p90": sorted_quantile(ranked, 0.9),
        "housed_within_14_weeks_share": np.count_nonzero(weeks <= norm_weeks) / len(weeks),
    }


def _stocks(end: MonthEnd, month: Month) -> dict[str, Any]:
    """Who waits where at the month's end, the quota backlog, and the stock."""
    table, k = end.table, end.scale
    waiting = table.waiting()
    group = table["group"][waiting]
    situation = table["situation"][waiting]
    row: dict[str, Any] = {}
    queue = np.bincount(table["group"][table.queue(waiting)], minlength=len(GROUPS))
    for g, name in enumerate(GROUPS):  # the queue: searching, without a temporary home
        row[f"waiting_{name}_households"] = int(queue[g]) * k
    status_holder = group == Group.STATUS_HOLDER
    sh = waiting[status_holder & (situation == Situation.RECEPTION)]
    sizes = table.reception_persons(sh)
    norm_days = end.norm_weeks * 7
    overdue = table["permit_day"][sh] < month.day_end - norm_days
    passing = int(end.passing_reception.sum())  # families on their way to a housed sponsor
    row["status_holders_in_reception_households"] = len(sh) * k
    row["status_holders_in_reception_persons"] = (int(sizes.sum()) + passing) * k
    row["reception_backlog_persons"] = int(sizes[overdue].sum()) * k
    row["quota_backlog_persons"] = float(end.quota_backlog.sum()) * k
    row["quota_behind_municipalities"] = int(end.municipalities_behind.sum())
    row["quota_behind_share"] = end.municipalities_behind.sum() / end.municipalities.sum()
    unlinked = table["responsible_region"][sh] < 0
    row["integration_no_responsible_municipality_persons"] = int(sizes[unlinked].sum()) * k
    joined = table["family_joined"][sh]
    row["family_in_reception_persons"] = (int(joined.sum()) + passing) * k
    housed_sponsor = table["persons_at_home"][sh] > 0
    row["family_in_reception_sponsor_housed_persons"] = (
        int(joined[housed_sponsor].sum()) + passing
    ) * k
    row["family_abroad_persons"] = (
        end.abroad_of_sponsors + int(table["family_abroad"][waiting].sum())
    ) * k
    in_temporary = np.bincount(group[situation == Situation.TEMPORARY_HOME], minlength=len(GROUPS))
    for g, name in enumerate(GROUPS):
        row[f"in_temporary_homes_{name}_households"] = int(in_temporary[g]) * k
    active = int(np.count_nonzero(table["urgency_active"][waiting]))
    row["urgent_with_active_urgency_households"] = active * k
    for t, name in enumerate(DWELLING_TYPES):
        row[f"stock_{name}_dwellings"] = int(end.stock_total[:, t].sum()) * k
    row["vacant_unlet_dwellings"] = end.vacant * k
    return row


def _per_place(row: dict[str, Any]) -> dict[str, float]:
    """Lettings per place per year, by dwelling type: the month's lettings (all, and
    re-lettings of places let before) times 12 over the stock at the month's end."""
    out = {}
    for name in DWELLING_TYPES:
        stock = row[f"stock_{name}_dwellings"]
        for kind in ("lettings", "relettings"):
            n = row[f"{kind}_{name}_households"]
            out[f"{kind}_per_place_{name}_per_year"] = 12.0 * n / stock if stock else NAN
    return out


def region_rows(end: MonthEnd, record: MonthRecord) -> dict[str, Any]:
    """The month's rows of ``Results.monthly_by_region``, as columns (real units).

    Per region and group: lettings in the month, the queue, registration time at
    letting; and per region (the same in each group's row): the stock of
    self-contained corporation dwellings, status holders in reception (persons)
    and reception places (persons, all tiers).
    """
    table, k = end.table, end.scale
    n_regions = len(end.region_names)
    lettings = record.lettings
    waiting = table.waiting()
    group, situation = table["group"][waiting], table["situation"][waiting]
    in_reception = waiting[(group == Group.STATUS_HOLDER) & (situation == Situation.RECEPTION)]
    sh_here = (
        np.bincount(
            table["region"][in_reception],
            weights=table.reception_persons(in_reception),
            minlength=n_regions,
        )
        + end.passing_reception
    )  # families on their way to a housed sponsor, by its region
    stock = end.stock_total[:, SELF_CONTAINED].sum(axis=1)  # dwellings, not room places
    places = record.reception.by_region if record.reception is not None else np.zeros(len(stock))
    n_groups = len(GROUPS)
    cells = n_regions * n_groups
    in_queue = table.queue(waiting)
    cell = table["region"][in_queue].astype(np.int64) * n_groups + table["group"][in_queue]
    queue = np.bincount(cell, minlength=cells)
    l_region, l_group, years = lettings.region, lettings.group, lettings.registration_years
    l_cell = l_region.astype(np.int64) * n_groups + l_group
    let = np.bincount(l_cell, minlength=cells)
    # Medians per cell from one sort: the middle of each cell's sorted run.
    ranked = years[np.lexsort((years, l_cell))]
    start = np.searchsorted(np.sort(l_cell), np.arange(cells))
    low = ranked[np.minimum(start + (let - 1) // 2, max(len(ranked) - 1, 0))] if len(ranked) else 0
    high = ranked[np.minimum(start + let // 2, max(len(ranked) - 1, 0))] if len(ranked) else 0
    median = np.where(let > 0, (low + high) / 2, NAN)
    regions = end.region_names
    n = len(regions) * n_groups  # one row per region and group, region by region
    region_of = np.repeat(np.arange(len(regions)), n_groups)
    return {
        "date": [end.date.isoformat()] * n,
        "region": [name for name in regions for _ in GROUPS],
        "group": list(GROUPS) * len(regions),
        "lettings_households": let.astype(np.int64) * k,
        "waiting_households": queue.astype(np.int64) * k,
        "registration_years_at_letting_median": median.astype(np.float64),
        "stock_dwellings": stock[region_of].astype(np.int64) * k,
        "status_holders_in_reception_persons": sh_here[region_of].astype(np.int64) * k,
        "reception_places_persons": places[region_of].astype(np.float64) * k,
        "quota_backlog_persons": end.quota_backlog[region_of].astype(np.float64) * k,
        "quota_behind_municipalities": end.municipalities_behind[region_of],
        "quota_all_municipalities": end.municipalities[region_of],
    }
