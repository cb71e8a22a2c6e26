"""The state on the start date, before any lever acts.

Who waits (regular seekers in each region's steady-state queue, urgent
households within their declaration's window, status holders in reception
within the 14-week norm and the backlog past it), the quota backlog, the
housed status holders whose family is still abroad, and one month of chain
vacancies. It is built with the start's parameters: every lever at its
default, so that the start reproduces the situation on the start date and a
scenario acts only from there on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.asylum.quota import Quota, municipal_table
from model.base.calendar import DAYS_PER_MONTH, DAYS_PER_YEAR, Month, day_number
from model.base.codes import DwellingType, Group, Origin
from model.base.errors import ParameterError
from model.households.population import FAMILY_DELAY_MIN_MONTHS, INITIAL_MONTH, household_ids
from model.households.queue import urgency_allowed
from model.inputs.history import HISTORY_START
from model.inputs.parameters import Parameters

if TYPE_CHECKING:
    from model.asylum.reunification import Reunification
    from model.base.streams import Streams
    from model.households.queue import Queue
    from model.supply.stock import Stock


@dataclass(frozen=True)
class StartParts:
    """The sub-models the start state is put into, built and empty, and what they share.

    Attributes:
        params: The run's parameters.
        streams: The run's random streams.
        queue: The households (and who draws them).
        stock: The dwellings.
        reunification: Families abroad of housed status holders.
    """

    params: Parameters
    streams: Streams
    queue: Queue
    stock: Stock
    reunification: Reunification

    @property
    def scale(self) -> int:
        return self.params.households_per_agent

    @property
    def n_regions(self) -> int:
        return len(self.params.regions)

    @property
    def day0(self) -> int:
        """The day number of the date the start state describes: every run starts in the
        documented state of HISTORY_START and runs the history up to its start date."""
        return day_number(HISTORY_START)


def build_start(parts: StartParts, start_params: Parameters, policy: dict) -> Quota:
    """Put the start state into the model's queue, stock and reunification.

    Args:
        parts: The sub-models, built and empty.
        start_params: The parameters with every lever at its default.
        policy: The levers in force at the start under those parameters.

    Returns:
        The quota, with the backlog of the status holders past the norm.
    """
    p, k = start_params, parts.scale
    queue, pop, streams = parts.queue, parts.queue.population, parts.streams
    share = parts.params.regions.population_share
    day0 = parts.day0
    start = Month.of(HISTORY_START, INITIAL_MONTH)

    sh_rows = _status_holders_in_reception(parts, p, policy)
    # The quota backlog: spread like the persons past the norm over the municipalities they
    # are linked to, scaled to the published backlog (the two differ: 7,000 past three
    # months against a quota backlog of 3,728 on 1 January 2022).
    backlog = np.zeros(parts.n_regions)
    linked = sh_rows[1]["linked_region"]
    np.add.at(backlog, linked[linked >= 0], sh_rows[1]["size"][linked >= 0])
    past_norm = backlog.sum()
    if past_norm > 0:
        backlog *= p["status_holders.initial_quota_backlog_persons"] / k / past_norm
    table = municipal_table(parts.params, streams, backlog)
    quota = Quota(table, parts.params)

    # Urgent seekers waiting, granted within the validity window.
    n_urgent = streams.round(p["urgent.initial_waiting"] * share / k, INITIAL_MONTH, salt=7)
    ids, region = household_ids(INITIAL_MONTH, Group.URGENT, n_urgent)
    validity = p["urgent.validity_months"] * DAYS_PER_MONTH
    granted = day0 - streams.uniform("initial_granted", ids, 0) * validity
    urgent_cols = pop.urgent(ids, region, granted.astype(np.int32), urgency_allowed(policy))

    # Regular seekers: the steady-state queue of each region.
    sh_households = sum(len(c["id"]) for c in sh_rows)
    waiting = p["regular.initial_seekers"] / k - sh_households - len(ids)
    if waiting <= 0:
        raise ParameterError(
            f"parameter 'regular.initial_seekers' = {p['regular.initial_seekers']} is smaller "
            "than the urgent and status-holder households waiting at the start; allowed: more"
        )
    _, regular_lettings, chains = _expected_lettings(parts, p, waiting)
    pop.set_queue_steady_state(regular_lettings, queue.regular_exit_hazard, waiting)
    n_regular = np.rint([s.queue for s in pop.steady]).astype(np.int64)
    rids, rregion = household_ids(INITIAL_MONTH, Group.REGULAR, n_regular)
    age, searched = pop.initial_regular_ages(rids, rregion)
    regular_cols = pop.regular(rids, rregion, day0 - searched, day0 - age, parts.stock.background)
    # Append in id order: regular, urgent, status holders (both cohorts merged).
    sh_cols = {name: np.concatenate([c[name] for c in sh_rows]) for name in sh_rows[0]}
    order = np.argsort(sh_cols["id"])
    sh_cols = {name: col[order] for name, col in sh_cols.items()}
    _families_not_yet_due(sh_cols, parts, day0)
    for cols in (regular_cols, urgent_cols, sh_cols):
        queue.add(cols, start)
    # Housed status holders whose family is still abroad (with those above: the families
    # abroad at the start, reunification.abroad_at_start).
    parts.reunification.seed_sponsors(
        float(sh_cols["family_abroad"].sum()), day0 - round(2 * DAYS_PER_YEAR), day0
    )
    # Homes vacated by last month's doorstromers are let this month (chains
    # run with a month's lag): seed one month of them.
    chain_cells = _expected_chain_vacancies(parts, chains)
    parts.stock.add_vacancies(streams.round(chain_cells, INITIAL_MONTH, salt=8), day0, Origin.CHAIN)
    # The queue at the start: the market's tightness is measured against it.
    parts.stock.set_reference_queue(queue.waiting_per_region())
    return quota


def _families_not_yet_due(cols: dict, parts: StartParts, day0: int) -> None:
    """Families abroad of the status holders in reception at the start are due after it: a
    due day that has passed is drawn again beyond the start (the delay is memoryless after
    its minimum)."""
    due = cols["family_due_day"]
    late = (cols["family_abroad"] > 0) & (due <= day0)
    extra = max(parts.params["reunification.arrival_delay_months"] - FAMILY_DELAY_MIN_MONTHS, 0.0)
    u = parts.streams.uniform("family_delay_start", cols["id"][late], 0)
    due[late] = day0 + (-np.log1p(-u) * extra * DAYS_PER_MONTH).astype(np.int32)


def _status_holders_in_reception(parts: StartParts, p: Parameters, policy: dict) -> list[dict]:
    """Status holders in reception at the start (by where the reception centres are): the
    backlog past the 14-week norm, and the rest within it (columns of each)."""
    streams, day0, k = parts.streams, parts.day0, parts.scale
    norm_days = p["status_holders.outflow_norm_weeks"] * 7
    backlog = p["status_holders.initial_backlog_persons"]
    within = p["status_holders.in_reception_at_start_persons"] - backlog
    if within < 0:
        raise ParameterError(
            f"parameter 'status_holders.in_reception_at_start_persons' = "
            f"{p['status_holders.in_reception_at_start_persons']} is below the backlog past the "
            f"norm ('status_holders.initial_backlog_persons' = {backlog}); allowed: at least it"
        )
    out = []
    for part, persons in enumerate((within, backlog)):
        target = persons * parts.params.regions.reception_share / k
        ids, region = _ids_for_persons(parts, target, salt=part)
        u = streams.uniform("initial_permit", ids, part)
        if part == 0:
            permit = day0 - u * norm_days
        else:
            overstay = -np.log1p(-u) * p["status_holders.backlog_mean_overstay_months"]
            permit = day0 - norm_days - overstay * DAYS_PER_MONTH
        out.append(
            parts.queue.population.status_holders(
                ids,
                region,
                permit.astype(np.int32),
                policy["policy.quota_in_force"],
                policy["policy.coupling_without_quota"],
            )
        )
    return out


def _ids_for_persons(
    parts: StartParts, persons: np.ndarray, salt: int
) -> tuple[np.ndarray, np.ndarray]:
    """Ids of status-holder households whose persons add up to ``persons`` (agent units) per
    region."""
    shares = parts.params["status_holders.size_shares"]
    counts = np.ceil(persons + 10).astype(np.int64)  # enough: every household has a person
    ids, region = household_ids(INITIAL_MONTH, Group.STATUS_HOLDER, counts)
    ids = ids + (salt << 29)  # keep the two initial cohorts apart
    size = parts.queue.population.sizes(ids, shares)
    keep = np.zeros(len(ids), bool)
    for r in range(parts.n_regions):
        here = np.flatnonzero(region == r)
        cum = np.concatenate([[0], np.cumsum(size[here])])
        take = int(np.argmin(np.abs(cum - persons[r])))  # the count closest to the target
        keep[here[:take]] = True
    return ids[keep], region[keep]


def _expected_lettings(
    parts: StartParts, p: Parameters, regular_waiting: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Expected monthly flows per region at the start (agent units): all lettings,
    lettings to regular seekers, and vacancies freed by doorstromers (chains).

    Used only to set up the start. Exogenous vacancies E (tenants leaving, less
    the homes sold or liberalised at a vacancy; new construction and flex
    additions) and chains: the doorstromers among regular seekers (a share d)
    free a home when housed and when they leave the market (exit hazard h,
    queue Q). The priority routes take a share c (their caps, added) of the
    lettings other than rooms (E_room), so regular lettings are
    R = (1 - c) L + c E_room, and L = E + d (R + h Q) gives
    L = (E + d (c E_room + h Q)) / (1 - d (1 - c)).
    """
    share = parts.params.regions.population_share
    stock = parts.stock
    d = p["regular.situation_shares"][3]
    h = parts.queue.regular_exit_hazard
    queue = regular_waiting * share
    # The doorstromers' homes are tracked, not background: their tenants' moves are
    # chains, not turnover (the queue is not in the table yet when this runs).
    occupied = np.maximum(stock.background, 0).astype(float)
    weights = occupied.copy()
    weights[:, [DwellingType.FLEX, DwellingType.STARTUP, DwellingType.SHARED]] = 0.0
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1.0)
    untracked = np.maximum(d * queue - stock.tracked.sum(axis=1), 0.0)
    occupied = np.maximum(occupied - untracked[:, None] * weights, 0.0)
    turnover = occupied * stock.turnover_probability
    at_vacancy = p["stock.sales_per_year"] * (1 - p["stock.sales_to_sitting_tenants_share"])
    at_vacancy += p["stock.liberalisation_per_year"]
    regular_stock = stock.total[
        :, [DwellingType.SMALL, DwellingType.MEDIUM, DwellingType.LARGE]
    ].sum(axis=1)
    new = (p["stock.new_construction_per_year"] + p["stock.flex_additions_per_year"]) / 12
    rooms = turnover[:, DwellingType.ROOM]
    exogenous = (
        turnover[
            :,
            [
                DwellingType.SMALL,
                DwellingType.MEDIUM,
                DwellingType.LARGE,
                DwellingType.ROOM,
                DwellingType.FLEX,
            ],
        ].sum(axis=1)
        - regular_stock * at_vacancy / 12
        + new * share / parts.scale
    )
    # The quota route takes its cap times the municipalities' effort (their willingness
    # on average, agents/municipalities.py).
    quota_share = (
        p["status_holders.quota_placement_max_share"] * p["municipalities.willingness_mean"]
    )
    caps = min(p["allocation.urgent_share_cap"] + quota_share, 0.95)
    lettings = (exogenous + d * (caps * rooms + h * queue)) / (1.0 - d * (1.0 - caps))
    regular = (1.0 - caps) * lettings + caps * rooms
    return lettings, regular, lettings - exogenous


def _expected_chain_vacancies(parts: StartParts, chains: np.ndarray) -> np.ndarray:
    """Expected vacancies per (region, type) freed by doorstromers in a month: ``chains``
    per region, in proportion to the occupied stock they leave."""
    stock = parts.stock
    weights = np.maximum(stock.background, 0).astype(float)
    weights[:, [DwellingType.FLEX, DwellingType.STARTUP, DwellingType.SHARED]] = 0.0
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1.0)
    return chains[:, None] * weights
