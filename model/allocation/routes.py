"""The allocation routes of one month, under the policy in force.

Each route chooses its candidates and options from the household table and
the levers in force, then lets homes through the matching functions of
``model.allocation``. The routes run in the order of
``allocation.route_order``; a route whose lever is off does nothing.

* ``large_pool``: vacated large homes go first, nationwide, to households of
  six or more (policy.large_family_pool);
* ``urgent``: direct placement of households with an urgency declaration, up
  to a share of the vacancies; under the Mooiman amendment not for foreign
  nationals holding a residence permit;
* ``quota``: municipalities place status holders with priority: while the
  quota is in force, those linked to them, to meet the half-year quota, as
  much as each municipality's effort gives (agents/municipalities.py); once it
  is abolished, each keeps a share of its willingness
  (policy.priority_without_quota_share) without the obligation, while priority is legal (route
  ``status_holder_priority``). In the regular stock only while priority for
  status holders is allowed, otherwise in start-up homes, flex homes reserved
  for them and, under the singles exception, rooms; single status holders
  take a place in a shared home made for them first (while that rule holds);
* ``family``: generic priority for families with minor children that have no
  home of their own (policy.family_priority), whatever their group;
* ``advertised``: every remaining vacancy, by registration time or lottery,
  each dwelling type to those it is for (``ELIGIBILITY``): start-up homes to
  status holders leaving reception (or all who never had one), places in
  shared homes to single status holders while the rule holds.

After the routes, :func:`attribute` works out who would have got each home
under pure registration-time order (displacement measure 2).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from agents.households import Rules, UrgentSeeker, by_class
from model.allocation.advertised import let_advertised
from model.allocation.matching import match_vacancies
from model.allocation.options import (
    FAMILY_OPTIONS,
    QUOTA_OPTIONS,
    QUOTA_OPTIONS_BANNED,
    SHARED_OPTION,
    URGENT_OPTIONS,
    preference_lists,
)
from model.allocation.priority import place_priority
from model.allocation.ranking import (
    DEPTH_PER_HOME,
    LOTTERY_DEPTH_MARGIN,
    REGISTRATION_DEPTH_MARGIN,
    Ranking,
)
from model.allocation.vacancies import Lettings, Vacancies
from model.base.calendar import DAYS_PER_YEAR, NEVER, Month
from model.base.codes import (
    FIRST_LETTING,
    N_TYPES,
    NOBODY,
    ROUTES,
    TEMPORARY,
    DwellingType,
    Group,
    Route,
    Situation,
)

if TYPE_CHECKING:
    from model.allocation.log import LettingLog
    from model.asylum.quota import Quota
    from model.asylum.reunification import Reunification
    from model.base.streams import Streams
    from model.households.queue import Queue
    from model.households.table import HouseholdTable
    from model.supply.stock import Stock, VacancyLedger


@dataclass
class RouteMonth:
    """What the routes of one month share.

    Attributes:
        period: The month.
        policy: The levers in force.
        table: The household table.
        ledger: The vacancy ledger (``model.supply.stock``).
        streams: The run's random streams.
        fits: ``fits[type, size]``: which households a dwelling type fits.
        n_regions: Number of regions.
        rules: What the household classes' rules read this month.
        budgets: Each priority route's running budget (kept across months).
        prefers_room: ``prefers_room(ids, share)``: which single status holders take
            a room when one is free.
        quota_need: Persons each region aims to house this month for the quota.
        quota_shares: Share of each region's open self-contained vacancies its
            municipalities give status holders with priority (``Quota.placement_shares``).
        available: Ledger indices of the vacancies on offer this month.
        vac: Those vacancies (``let`` marks the ones let so far).
        capped: Open self-contained vacancies per region at the month's start
            (the base of every priority route's cap).
        waiting: Household rows waiting at the month's start.
        housed_now: Per household row, housed (or placed) this month.
        reacting: Rows of the households reacting to adverts this month.
        refuses: Per reacting household (``reacting``), would refuse an offer this month.
        lettings: The lettings made so far.
        refusals: Offers refused this month (agent units).
    """

    period: Month
    policy: Mapping[str, Any]
    table: HouseholdTable
    ledger: VacancyLedger
    streams: Streams
    fits: np.ndarray
    n_regions: int
    rules: Rules
    budgets: dict[str, RouteBudget]
    prefers_room: Callable[[np.ndarray, float], np.ndarray]
    quota_need: np.ndarray
    quota_shares: np.ndarray
    available: np.ndarray
    vac: Vacancies
    capped: np.ndarray
    waiting: np.ndarray
    housed_now: np.ndarray
    reacting: np.ndarray
    refuses: np.ndarray
    lettings: Lettings = field(default_factory=Lettings)
    refusals: int = 0

    @classmethod
    def start(cls, month: Month, inputs: AllocationInputs, budgets: dict) -> RouteMonth:
        """The month's vacancies and candidates, before any route runs."""
        table, ledger = inputs.queue.table, inputs.stock.ledger
        rules = inputs.queue.rules(month.index, inputs.policy)
        available = np.flatnonzero(ledger.since_day <= month.day0)
        vac = Vacancies(
            ledger.region[available], ledger.type[available], ledger.reserved_for[available].copy()
        )
        waiting = table.waiting()
        group = table["group"][waiting]
        reacts = by_class("reacts", rules, waiting, group)
        # Only those who react can be offered a home (the draw is per household, so
        # drawing it for them alone changes nobody's luck).
        reacting = waiting[reacts]
        refuses = by_class("refuses", rules, reacting, group[reacts])
        n_regions = len(inputs.stock.total)
        return cls(
            period=month,
            policy=inputs.policy,
            table=table,
            ledger=ledger,
            streams=inputs.queue.streams,
            fits=inputs.fits,
            n_regions=n_regions,
            rules=rules,
            budgets=budgets,
            prefers_room=inputs.queue.population.prefers_room,
            quota_need=inputs.quota.monthly_need(month.first),
            quota_shares=inputs.quota.placement_shares(
                inputs.policy["status_holders.quota_placement_max_share"]
            ),
            available=available,
            vac=vac,
            capped=vac.capped_count(n_regions),
            waiting=waiting,
            housed_now=np.zeros(len(table), bool),
            reacting=reacting,
            refuses=refuses,
        )

    @property
    def index(self) -> int:
        """The month's index."""
        return self.period.index

    @cached_property
    def ticket(self) -> np.ndarray:
        """Each reacting household's lottery ticket this month (lower wins)."""
        return self.streams.uniform("ticket", self.table["id"][self.reacting], self.index)

    @cached_property
    def registration_key(self) -> np.ndarray:
        """Rank by registration date, ties broken by ticket (lower is better)."""
        return self.table["registration_day"][self.reacting] + self.ticket

    @cached_property
    def rankings(self) -> dict[int, Ranking]:
        """The reacting households ranked per region, by registration and by ticket: one
        ranking for the month, shared by the advertised route and its attribution."""
        region = self.table["region"][self.reacting].astype(np.int64)
        homes = np.bincount(self.vac.region, minlength=self.n_regions)
        share = self.policy["allocation.lottery_share"]
        # About as deep as each ranking's homes reach (refusers and misfits included).
        return {
            Route.REGISTRATION: Ranking.by_registration(
                region,
                self.table["registration_day"][self.reacting],
                self.registration_key,
                DEPTH_PER_HOME * homes + REGISTRATION_DEPTH_MARGIN,
                self.n_regions,
            ),
            Route.LOTTERY: Ranking.of(
                region,
                self.ticket,
                np.ceil(DEPTH_PER_HOME * share * homes).astype(np.int64) + LOTTERY_DEPTH_MARGIN,
                self.n_regions,
                uniform=True,  # tickets
            ),
        }

    def free(self, mask: np.ndarray) -> np.ndarray:
        """Waiting rows selected by ``mask`` (over ``waiting``) not housed yet this month."""
        rows = self.waiting[mask]
        return rows[~self.housed_now[rows]]

    def budget(self, share: float | np.ndarray, route: str) -> RouteBudget:
        """A route's budget this month: ``share`` of the open self-contained vacancies.

        The route earns ``share`` of each month's open self-contained vacancies
        and spends one per capped letting; the balance carries to the next month
        within one month's earnings (and at least one home), so that over time
        the route takes its share at every scale, and a month without need or
        without a fitting candidate does not lose it.
        """
        budget = self.budgets.setdefault(route, RouteBudget(np.zeros(len(self.capped))))
        budget.earn(share, self.capped)
        return budget

    def record(self, vacancies: np.ndarray, rows: np.ndarray, route: int) -> None:
        """Lettings of a route: mark the households housed."""
        self.lettings.add(vacancies, rows, route)
        self.housed_now[rows] = True


@dataclass
class RouteBudget:
    """A priority route's running budget of capped lettings per region (agent units).

    Attributes:
        balance: Lettings the route may still make, per region.
        earned: This month's earnings.
    """

    balance: np.ndarray
    earned: np.ndarray = field(default_factory=lambda: np.zeros(0))
    share: float | np.ndarray = 0.0

    def earn(self, share: float | np.ndarray, vacancies: np.ndarray) -> None:
        """This month's earnings: ``share`` (a number, or one per region) of the open
        self-contained vacancies."""
        self.share = share
        self.earned = share * np.asarray(vacancies, float)
        # What is carried is bounded by this month's share too: a route whose share fell
        # (to nothing, say) does not go on with what it earned before.
        self.balance = np.minimum(self.balance, self._at_least_one(self.earned)) + self.earned

    def _at_least_one(self, amount: np.ndarray) -> np.ndarray:
        """``amount``, but at least one home where the route has a share at all."""
        return np.where(np.asarray(self.share) > 0, np.maximum(amount, 1.0), 0.0)

    @property
    def cap(self) -> np.ndarray:
        """Whole lettings the route may make this month."""
        return np.floor(self.balance + 1e-9).astype(np.int64)

    def spend(self, cap_left: np.ndarray) -> None:
        """After the route: keep the balance, within a month's earnings (one home at least)."""
        bound = self._at_least_one(self.earned)
        self.balance = np.minimum(self.balance - (self.cap - cap_left), bound)


def _column(month: RouteMonth, name: str) -> np.ndarray:
    return month.table[name][month.waiting]


def _ranked(table: HouseholdTable, rows: np.ndarray, key: str) -> np.ndarray:
    return rows[np.lexsort((table["id"][rows], table[key][rows]))]


def large_pool(month: RouteMonth) -> None:
    """Vacated large homes, nationwide, to households of six or more (registration order)."""
    if not month.policy["policy.large_family_pool"]:
        return
    vac = month.vac
    homes = np.flatnonzero(
        ~vac.let & (vac.type == DwellingType.LARGE) & (vac.reserved_for == NOBODY)
    )
    if len(homes) == 0:
        return
    size = _column(month, "size")
    fits = month.fits[DwellingType.LARGE][np.minimum(size, month.fits.shape[1] - 1)]
    ranked = _ranked(month.table, month.free((size >= 6) & fits), "registration_day")
    refusing = UrgentSeeker.refuses(month.rules, ranked)  # the same draw for every class
    rows = ranked[~refusing]
    n = min(len(homes), len(rows))
    vac.let[homes[:n]] = True
    month.record(homes[:n], rows[:n], Route.LARGE_POOL)
    # Refusers ranked ahead of the last household housed were offered a home.
    reached = np.searchsorted(np.cumsum(~refusing), n) + 1 if n else 0
    month.refusals += int(refusing[:reached].sum())


def _place(
    month: RouteMonth,
    route: int,
    rows: np.ndarray,
    options: tuple,
    room_ok: np.ndarray,
    refuses: np.ndarray,
    share: float,
    *,
    region: np.ndarray | None = None,
    persons_limit: np.ndarray | None = None,
    reserved_group: int = NOBODY,
) -> np.ndarray:
    """A priority route's placements: the skeleton every priority route shares.

    The ranked candidates ``rows`` take, one by one, the first fitting option
    with a free home (``place_priority``), within the route's budget of
    ``share`` of the region's open self-contained vacancies (a running
    balance, ``RouteBudget``) and, for the quota, a persons limit.

    Args:
        month: The month's allocation state.
        route: The route code recorded with the lettings.
        rows: Candidates (household rows), in rank order.
        options: The route's (dwelling type, reserved?) options, in order.
        room_ok: Per candidate, whether a room is an option.
        refuses: Per candidate, whether it refuses an offer this month.
        share: The route's cap on the region's open self-contained vacancies.
        region: Per candidate, the region it is placed in (default: where it searches).
        persons_limit: Per region, the persons to house this month (None: no limit).
        reserved_group: Whose reserved homes these candidates may take.

    Returns:
        The rows that refused a home offered.
    """
    table = month.table
    sizes = table["size"][rows]
    budget = month.budget(share, ROUTES[route])
    v, housed, refused, left = place_priority(
        month.vac,
        region_of_candidate=table["region"][rows] if region is None else region,
        candidates=rows,
        preferences=preference_lists(options, sizes, room_ok, month.fits),
        persons=sizes,
        refuses=refuses,
        cap=budget.cap,
        persons_limit=persons_limit,
        reserved_group=reserved_group,
    )
    budget.spend(left)
    month.record(v, housed, route)
    month.refusals += len(refused)
    return refused


def urgent(month: RouteMonth) -> None:
    """Direct placement of urgent households, oldest declaration first, up to the cap."""
    mask = (_column(month, "group") == Group.URGENT) & _column(month, "urgency_active")
    if month.policy["policy.no_urgency_for_residence_permit"]:
        mask &= ~_column(month, "residence_permit")
    rows = _ranked(month.table, month.free(mask), "urgency_day")
    share = month.policy["allocation.urgent_share_cap"]
    refused = _place(month, Route.URGENT, rows, URGENT_OPTIONS, np.zeros(len(rows), bool),
                     UrgentSeeker.refuses(month.rules, rows), share,
                     reserved_group=Group.URGENT)  # fmt: skip
    month.table["urgency_active"][refused] = False  # refusing a suitable offer ends it


def quota(month: RouteMonth) -> None:
    """Status holders in reception placed with priority by municipalities.

    While the quota is in force, the municipalities of a region place the status
    holders linked to it, up to what they aim at this month (``Quota.monthly_need``)
    and within the share of the region's vacancies they give (``Quota.placement_shares``:
    each municipality's effort, agents/municipalities.py). Vacancy first
    (``match_vacancies``): each home taken, as it comes free, goes to the linked
    household that fits it best, the longest since the permit first; so families are
    matched to family homes quickly while single status holders wait for a place in a
    shared home made for them, a small home, a room or a flex home. A status holder
    waiting for family abroad (*alleengaand*) is housed in a home for the whole family
    (``status_holders.sponsors_wait_for_family``): it waits for a family home, and its
    family, if it comes meanwhile, joins it in reception.

    Once the quota is abolished and priority is still legal, each municipality keeps
    a share of its willingness (``policy.priority_without_quota_share``) and does the
    same for the status holders searching in its region, every home counted and no
    persons target (route ``status_holder_priority``).
    """
    policy = month.policy
    in_force = policy["policy.quota_in_force"]
    allowed = policy["policy.status_holder_priority"] or policy["policy.singles_exception"]
    if not in_force and not (allowed and policy["policy.priority_without_quota_share"] > 0):
        return
    table = month.table
    mask = (_column(month, "group") == Group.STATUS_HOLDER) & (
        _column(month, "situation") == Situation.RECEPTION
    )
    if in_force:
        mask &= _column(month, "linked_region") >= 0
    rows = month.free(mask)
    rows = rows[np.lexsort((table["id"][rows], table["permit_day"][rows]))]
    sizes = table["size"][rows]
    fit = sizes  # the household a home must fit
    if in_force and policy["status_holders.sponsors_wait_for_family"]:
        fit = sizes + table["family_abroad"][rows]  # a home for the whole family
    single = fit == 1
    if policy["policy.status_holder_priority"]:
        options = QUOTA_OPTIONS
        share = policy["status_holders.non_self_contained_share_of_singles"]
        room_ok = single & month.prefers_room(table["id"][rows], share)
    else:
        options = QUOTA_OPTIONS_BANNED
        room_ok = single & policy["policy.singles_exception"]
    if policy["policy.shared_homes_for_status_holders"]:
        options = SHARED_OPTION + options
    route = Route.QUOTA if in_force else Route.STATUS_HOLDER_PRIORITY
    budget = month.budget(month.quota_shares, ROUTES[route])
    if in_force:
        need = month.streams.round(month.quota_need, month.index, salt=3)
        region, capped_types = table["linked_region"][rows], None
    else:  # every home counts against the budget; reserved ones go by advert
        options = tuple(o for o in options if not o[1])
        need, region, capped_types = None, table["region"][rows], np.ones(N_TYPES, bool)
    ledger = month.ledger
    # The order homes come free in this month (a draw per dwelling, the same at every scale).
    came = month.streams.uniform("quota_order", ledger.dwelling_id[month.available], month.index)
    # Status holders placed with priority accept (refusing ends the reception entitlement).
    v, housed, left = match_vacancies(
        month.vac,
        order=np.argsort(came, kind="stable"),
        region_of_candidate=region,
        candidates=rows,
        persons=sizes,
        room_ok=room_ok,
        fits=month.fits,
        options=options,
        cap=budget.cap,
        persons_limit=need,
        reserved_group=Group.STATUS_HOLDER,
        capped_types=capped_types,
        fit_persons=fit,
    )
    budget.spend(left)
    month.record(v, housed, route)


def family(month: RouteMonth) -> None:
    """Generic priority for families with minor children without a home of their own."""
    policy = month.policy
    if not policy["policy.family_priority"]:
        return
    situation = _column(month, "situation")
    homeless = (
        (situation == Situation.RECEPTION)
        | (situation == Situation.DOUBLED_UP)
        | (situation == Situation.SHELTER)
    )
    mask = _column(month, "children") & homeless
    if policy["policy.no_urgency_for_residence_permit"]:  # Mooiman: no priority on any ground
        mask &= ~_column(month, "residence_permit")
    rows = _ranked(month.table, month.free(mask), "entry_day")
    share = policy["policy.family_priority_share_cap"]
    _place(month, Route.FAMILY, rows, FAMILY_OPTIONS, np.zeros(len(rows), bool),
           UrgentSeeker.refuses(month.rules, rows), share)  # fmt: skip


def startup_eligible(table: HouseholdTable, policy: Mapping, rows: np.ndarray) -> np.ndarray:
    """Who may get a start-up home: status holders leaving reception; once open to other
    groups (lever), anyone without a home of their own (in reception, doubled up, leaving
    a shelter) who never had a temporary home (a start-up home is the first step)."""
    situation = table["situation"][rows]
    if policy["policy.startup_open_to_all"]:
        homeless = (
            (situation == Situation.RECEPTION)
            | (situation == Situation.DOUBLED_UP)
            | (situation == Situation.SHELTER)
        )
        return homeless & (table["temporary_day"][rows] == NEVER)
    return (table["group"][rows] == Group.STATUS_HOLDER) & (situation == Situation.RECEPTION)


def shared_eligible(table: HouseholdTable, policy: Mapping, rows: np.ndarray) -> np.ndarray | None:
    """Who may get a place in a shared home besides fitting it (a single): while the
    rule holds, single status holders only; else any single (None: no restriction)."""
    if not policy["policy.shared_homes_for_status_holders"]:
        return None
    return table["group"][rows] == Group.STATUS_HOLDER


def eligibility(table: HouseholdTable, policy: Mapping, rows: np.ndarray) -> dict[int, np.ndarray]:
    """Per dwelling type with an access rule beyond its size: who of ``rows`` may get it.

    Only households without a corporation home get a temporary one: a tenant of a
    temporary home searches for a home for good and gets no second temporary home while
    it lives in one, and nobody leaves a home of their own (a doorstromer's, a sponsor's
    grown too small) for a temporary one."""
    no_home = table["home_type"][rows] < 0
    shared = shared_eligible(table, policy, rows)
    return {
        DwellingType.STARTUP: startup_eligible(table, policy, rows) & no_home,
        DwellingType.FLEX: no_home,
        DwellingType.SHARED: no_home if shared is None else shared & no_home,
    }


def _advertise(
    month: RouteMonth,
    vac: Vacancies,
    lottery_share: float,
    excluded: np.ndarray | None,
):
    """Let ``vac`` to the households reacting this month (all of them: those in ``excluded``
    take no part), by registration time and, for a share, by lottery."""
    table, ledger = month.table, month.ledger
    cand = month.reacting
    available = month.available
    draw = month.streams.uniform("vacancy_lottery", ledger.dwelling_id[available], month.index)
    # temporary homes have their own lottery share (allocation.temporary_lottery_share)
    share = np.where(
        TEMPORARY[ledger.type[available]], month.policy["allocation.temporary_lottery_share"],
        lottery_share,
    )  # fmt: skip
    lottery = draw < share
    return let_advertised(
        vac,
        n_regions=month.n_regions,
        cand_region=table["region"][cand],
        cand_size=table["size"][cand],
        cand_group=table["group"][cand],
        registration_key=month.registration_key,
        ticket=month.ticket,
        refuses=month.refuses,
        lottery_vacancy=lottery,
        fits=month.fits,
        eligible=eligibility(month.table, month.policy, cand),
        excluded=excluded,
        rankings=month.rankings,
    )


def advertised(month: RouteMonth) -> None:
    """Every remaining vacancy to the households reacting this month."""
    cand = month.reacting
    v, pos, routes, refusals = _advertise(
        month,
        month.vac,
        month.policy["allocation.lottery_share"],
        excluded=month.housed_now[cand],
    )
    for route in np.unique(routes):
        mine = routes == route
        month.record(v[mine], cand[pos[mine]], int(route))
    month.refusals += int(refusals.sum())


ROUTE_FUNCTIONS = {
    "large_pool": large_pool,
    "urgent": urgent,
    "quota": quota,
    "family": family,
    "advertised": advertised,
}


def _nth_in_group(sorted_groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal values of a sorted array."""
    n = len(sorted_groups)
    if n == 0:
        return np.zeros(0, np.int64)
    starts = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    first = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    return np.arange(n) - first


def attribute(month: RouteMonth, vacancies: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Who was passed over for each letting, compared with pure registration-time order.

    The month's vacancies are let once more, on a copy, to the same reacting
    households with the same refusals, by registration time alone (no
    priority routes, no reservations, no lottery). Homes of one type in one
    region are interchangeable, so the comparison is per (region, type): the
    households that order would have housed there head the queue. A letting
    to one of them passed nobody over; every other letting of that cell
    passed over one of the heads who did not get such a home, best-ranked first.

    Args:
        month: The month, after its routes have run.
        vacancies: Indices (into ``month.vac``) of the homes let.
        rows: The households that actually got them.

    Returns:
        Per letting, the row of the household passed over, or -1.
    """
    vac = month.vac
    no_reservation = np.full(len(vac.region), NOBODY, np.int8)
    clean = Vacancies(vac.region, vac.type, no_reservation)
    cand = month.reacting
    v_cf, pos, _, _ = _advertise(month, clean, lottery_share=0.0, excluded=None)
    heads_rows = cand[pos]
    n_rows = len(month.table)
    rank = month.table["registration_day"][heads_rows]
    cell_cf = vac.region[v_cf].astype(np.int64) * 16 + vac.type[v_cf]
    cell = vac.region[vacancies].astype(np.int64) * 16 + vac.type[vacancies]
    # Heads of each cell in rank order (ties: the order pure registration let them).
    by_rank = np.lexsort((np.arange(len(heads_rows)), rank, cell_cf))
    heads, head_cell = heads_rows[by_rank], cell_cf[by_rank]
    cell_of_head = np.full(n_rows, -1, np.int64)
    cell_of_head[heads] = head_cell
    cell_of_letting = np.full(n_rows, -1, np.int64)
    cell_of_letting[rows] = cell
    got = cell_of_head[rows] == cell  # housed in a cell where pure order housed it too
    passed = heads[cell_of_letting[heads] != head_cell]  # heads of a cell that got none of it
    passed_cell = head_cell[cell_of_letting[heads] != head_cell]
    others = np.flatnonzero(~got)  # lettings, in the order made
    others = others[np.argsort(cell[others], kind="stable")]
    # Pair the i-th other letting of a cell with the i-th passed head of that cell.
    nth_other = _nth_in_group(cell[others])
    nth_passed = _nth_in_group(passed_cell)
    key_passed = passed_cell * (len(heads) + 1) + nth_passed
    key_other = cell[others] * (len(heads) + 1) + nth_other
    out = np.full(len(rows), -1, np.int64)
    if len(key_passed):
        j = np.searchsorted(key_passed, key_other)
        hit = (j < len(key_passed)) & (key_passed[np.minimum(j, len(key_passed) - 1)] == key_other)
        out[others[hit]] = passed[j[hit]]
    return out


@dataclass(frozen=True)
class MonthLettings:
    """The month's lettings, for the month's figures (agent units).

    Attributes:
        region, dwelling_type, group, route: Per letting.
        registration_years: Per letting, the household's registration time.
        first_letting: Per letting, whether the place is let for the first time (a
            place added: new construction, an addition or a conversion).
        leaves_social_home: Per letting, whether the household leaves a corporation
            home behind (a doorstromer; a start-up home it lived in counts).
        housed_from_reception_persons: Status holders leaving reception for a home.
        weeks_permit_to_home: Of those, the weeks from the permit.
        from_reception_linked_persons, from_reception_unlinked_persons: The same
            persons, by whether a quota municipality is responsible for them.
        refusals: Offers refused.
    """

    region: np.ndarray
    dwelling_type: np.ndarray
    group: np.ndarray
    route: np.ndarray
    registration_years: np.ndarray
    first_letting: np.ndarray
    leaves_social_home: np.ndarray
    housed_from_reception_persons: int
    weeks_permit_to_home: np.ndarray
    from_reception_linked_persons: int
    from_reception_unlinked_persons: int
    refusals: int

    @classmethod
    def none(cls) -> MonthLettings:
        """No lettings (the start row)."""
        empty = np.zeros(0, np.int8)
        return cls(empty, empty, empty, empty, np.zeros(0), np.zeros(0, bool),
                   np.zeros(0, bool), 0, np.zeros(0), 0, 0, 0)  # fmt: skip


def _follow_families(
    table: HouseholdTable, reunification: Reunification, out: np.ndarray, home_type: np.ndarray
) -> None:
    """Status holders housed for good (``out``, in homes of ``home_type``) whose family
    still comes from abroad: followed at home (``Reunification.add``)."""
    waits = (table["group"][out] == Group.STATUS_HOLDER) & (table["family_abroad"][out] > 0)
    if waits.any():
        r = out[waits]
        reunification.add(
            id=table["id"][r],
            region=table["region"][r],
            linked_region=table["linked_region"][r],
            size=table["size"][r],
            home_type=home_type[waits],
            abroad=table["family_abroad"][r],
            subsidiary=table["subsidiary"][r],
            permit_day=table["permit_day"][r],
            due_day=table["family_due_day"][r],
        )


def _who(table, rows: np.ndarray, day: int, region: np.ndarray) -> dict[str, np.ndarray]:
    """What the letting log records of the households let a home (on ``day``, in ``region``).

    Who is responsible for a status holder's civic integration: the municipality
    assigned before housing (quota link, alternative coupling), else the one of the
    BRP registration, where the household is housed.
    """
    group = table["group"][rows]
    assigned = table["responsible_region"][rows]
    responsible = np.where(
        group == Group.STATUS_HOLDER, np.where(assigned >= 0, assigned, region), -1
    )
    return {
        "responsible_region": responsible.astype(np.int8),
        "group": group,
        "household_id": table["id"][rows],
        "persons": table["size"][rows],
        "family_abroad": table["family_abroad"][rows],
        "registration_days": day - table["registration_day"][rows],
        "days_since_entry": day - table["entry_day"][rows],
        "leaves_social_home": table["home_type"][rows] >= 0,
        "situation": table["situation"][rows],
        "residence_permit": table["residence_permit"][rows],
    }


@dataclass(frozen=True)
class AllocationInputs:
    """What the allocation reads and changes in a month.

    Attributes:
        policy: The levers in force.
        queue: The households (their table, their rules, and who is housed).
        stock: The dwellings (the vacancy ledger the homes are taken from).
        quota: The municipalities' quota (its monthly need; lettings count for it).
        reunification: Families abroad (followed once their sponsor is housed).
        log: The letting log every letting is written to.
        fits: ``fits[type, size]``: which households a dwelling type fits.
    """

    policy: Mapping[str, Any]
    queue: Queue
    stock: Stock
    quota: Quota
    reunification: Reunification
    log: LettingLog
    fits: np.ndarray


class Allocation:
    """Lets the month's vacancies route by route, and settles the lettings.

    Args:
        attribution: Whether to work out, for each letting, who pure registration
            order would have housed instead (``attribute``): a second letting
            of the month's homes, so about a tenth of a run's time.

    Attributes:
        budgets: Each priority route's running budget (``RouteBudget``).
    """

    def __init__(self, attribution: bool = True) -> None:
        self.budgets: dict[str, RouteBudget] = {}
        self.attribution = attribution

    def let(self, month: Month, inputs: AllocationInputs) -> MonthLettings:
        """Run the routes in the order in force, attribute, and apply the lettings."""
        offer = RouteMonth.start(month, inputs, self.budgets)
        for route in inputs.policy["allocation.route_order"]:
            ROUTE_FUNCTIONS[route](offer)
        v, rows, routes = offer.lettings.arrays()
        passed_over = (
            attribute(offer, v, rows) if self.attribution else np.full(len(rows), -1, np.int64)
        )
        return self._settle(inputs, month, offer.available[v], rows, routes, passed_over,
                            offer.refusals)  # fmt: skip

    def _settle(
        self,
        inputs: AllocationInputs,
        month: Month,
        ledger_idx: np.ndarray,
        rows: np.ndarray,
        routes: np.ndarray,
        passed_over: np.ndarray,
        refusals: int,
    ) -> MonthLettings:
        """Log the lettings, take the homes off the ledger, count them for the quota,
        and move the households: into a start-up home, or out of the market."""
        table, ledger = inputs.queue.table, inputs.stock.ledger
        passed = passed_over >= 0
        passed_row = np.maximum(passed_over, 0)
        dtype = ledger.type[ledger_idx].astype(np.int8)
        region = ledger.region[ledger_idx]
        first_letting = FIRST_LETTING[ledger.origin[ledger_idx]]
        group = table["group"][rows]
        size = table["size"][rows]
        from_reception = (group == Group.STATUS_HOLDER) & (
            table["situation"][rows] == Situation.RECEPTION
        )
        leaves_social_home = table["home_type"][rows] >= 0  # (before any moves in)
        day = month.last_day  # lettings are stamped with the month's last day
        inputs.log.add(
            month=month.index,
            day=day,
            region=region,
            dwelling_type=dtype,
            dwelling_id=ledger.dwelling_id[ledger_idx],
            origin=ledger.origin[ledger_idx],
            route=routes,
            passed_over_id=np.where(passed, table["id"][passed_row], -1),
            passed_over_group=np.where(passed, table["group"][passed_row], -1),
            **_who(table, rows, day, region),
        )
        keep = np.ones(len(ledger), bool)
        keep[ledger_idx] = False
        ledger.keep(keep)

        # Status holders leaving reception count for their linked region's quota (a family
        # rehoused with its sponsor counted when it arrived).
        linked = table["linked_region"][rows]
        counts = from_reception & (linked >= 0) & ~leaves_social_home
        inputs.quota.record(linked[counts], size[counts].astype(float))
        linked_persons, unlinked_persons = inputs.queue.responsibility(rows[from_reception])
        weeks = (day - table["permit_day"][rows][from_reception]) / 7.0
        housed_persons = int(table.reception_persons(rows[from_reception]).sum())

        out = inputs.queue.house(rows, dtype, region, month)
        _follow_families(table, inputs.reunification, out, dtype[~TEMPORARY[dtype]])
        return MonthLettings(
            region=region,
            dwelling_type=dtype,
            group=group,
            route=routes,
            registration_years=(day - table["registration_day"][rows]) / DAYS_PER_YEAR,
            first_letting=first_letting,
            leaves_social_home=leaves_social_home,
            housed_from_reception_persons=housed_persons,
            weeks_permit_to_home=weeks,
            from_reception_linked_persons=linked_persons,
            from_reception_unlinked_persons=unlinked_persons,
            refusals=refusals,
        )
