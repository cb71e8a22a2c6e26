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
* ``quota``: municipalities place status holders linked to them to meet the
  half-year quota, while it is in force; in the regular stock only while
  priority for status holders is allowed, otherwise in start-up homes, flex
  homes reserved for them and, under the singles exception, rooms;
* ``family``: generic priority for families with minor children that have no
  home of their own (policy.family_priority), whatever their group;
* ``advertised``: every remaining vacancy, by registration time or lottery.

After the routes, :func:`attribute` works out who would have got each home
under pure registration-time order (displacement measure 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from agents.households import AGENT_CLASSES, UrgentSeeker
from model.allocation import (
    FAMILY_OPTIONS,
    FAMILY_ROUTE,
    LARGE_POOL_ROUTE,
    QUOTA_OPTIONS,
    QUOTA_OPTIONS_BANNED,
    QUOTA_ROUTE,
    URGENT_OPTIONS,
    URGENT_ROUTE,
    Lettings,
    Vacancies,
    let_advertised,
    place_priority,
    preference_lists,
)
from model.calendar import add_months
from model.households import (
    DOUBLED_UP,
    RECEPTION,
    SHELTER,
    STARTUP_HOME,
    STATUS_HOLDER,
    URGENT,
)
from model.stock import LARGE, NOBODY, STARTUP

if TYPE_CHECKING:
    from model.market import HousingMarket


@dataclass
class Month:
    """What the routes of one month share.

    Attributes:
        model: The market.
        available: Ledger indices of the vacancies on offer this month.
        vac: Those vacancies (``let`` marks the ones let so far).
        capped: Open self-contained vacancies per region at the month's start
            (the base of every priority route's cap).
        waiting: Household rows waiting at the month's start.
        housed_now: Per household row, housed (or placed) this month.
        reacts: Per waiting row, reacts to adverts this month.
        refuses: Per waiting row, would refuse an offer this month.
        lettings: The lettings made so far.
        refusals: Offers refused this month (agent units).
    """

    model: HousingMarket
    available: np.ndarray
    vac: Vacancies
    capped: np.ndarray
    waiting: np.ndarray
    housed_now: np.ndarray
    reacts: np.ndarray
    refuses: np.ndarray
    lettings: Lettings = field(default_factory=Lettings)
    refusals: int = 0

    @classmethod
    def start(cls, model: HousingMarket) -> Month:
        """The month's vacancies and candidates, before any route runs."""
        table, ledger = model.households, model.stock.ledger
        available = np.flatnonzero(ledger.since_day <= model.day0)
        vac = Vacancies(
            ledger.region[available], ledger.type[available], ledger.reserved_for[available].copy()
        )
        waiting = table.waiting()
        group = table["group"][waiting]
        reacts = np.zeros(len(waiting), bool)
        refuses = np.zeros(len(waiting), bool)
        for g, agent_class in AGENT_CLASSES.items():
            mine = group == g
            reacts[mine] = agent_class.reacts(model, waiting[mine])
            refuses[mine] = agent_class.refuses(model, waiting[mine])
        return cls(
            model=model,
            available=available,
            vac=vac,
            capped=vac.capped_count(model.n_regions),
            waiting=waiting,
            housed_now=np.zeros(len(table), bool),
            reacts=reacts,
            refuses=refuses,
        )

    def free(self, mask: np.ndarray) -> np.ndarray:
        """Waiting rows selected by ``mask`` (over ``waiting``) not housed yet this month."""
        rows = self.waiting[mask]
        return rows[~self.housed_now[rows]]

    def budget(self, share: float, route: str) -> RouteBudget:
        """A route's budget this month: ``share`` of the open self-contained vacancies.

        The route earns ``share`` of each month's open self-contained vacancies
        and spends one per capped letting; the balance carries to the next month
        within one month's earnings (and at least one home), so that over time
        the route takes its share at every scale, and a month without need or
        without a fitting candidate does not lose it.
        """
        budgets = self.model.route_budgets
        budget = budgets.setdefault(route, RouteBudget(np.zeros(len(self.capped))))
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
    share: float = 0.0

    def earn(self, share: float, vacancies: np.ndarray) -> None:
        """This month's earnings: ``share`` of the open self-contained vacancies."""
        self.share = share
        self.earned = share * np.asarray(vacancies, float)
        self.balance = self.balance + self.earned

    def _at_least_one(self, amount: np.ndarray) -> np.ndarray:
        """``amount``, but at least one home while the route has a share at all."""
        return np.maximum(amount, 1.0) if self.share > 0 else np.zeros_like(amount)

    @property
    def cap(self) -> np.ndarray:
        """Whole lettings the route may make this month."""
        return np.floor(self.balance + 1e-9).astype(np.int64)

    def spend(self, cap_left: np.ndarray) -> None:
        """After the route: keep the balance, within a month's earnings (one home at least)."""
        bound = self._at_least_one(self.earned)
        self.balance = np.minimum(self.balance - (self.cap - cap_left), bound)


def _column(month: Month, name: str) -> np.ndarray:
    return month.model.households[name][month.waiting]


def _ranked(model: HousingMarket, rows: np.ndarray, key: str) -> np.ndarray:
    table = model.households
    return rows[np.lexsort((table["id"][rows], table[key][rows]))]


def large_pool(month: Month) -> None:
    """Vacated large homes, nationwide, to households of six or more (registration order)."""
    model = month.model
    if not model.policy["policy.large_family_pool"]:
        return
    vac = month.vac
    homes = np.flatnonzero(~vac.let & (vac.type == LARGE) & (vac.reserved_for == NOBODY))
    if len(homes) == 0:
        return
    table = model.households
    rows = _ranked(model, month.free(_column(month, "size") >= 6), "registration_day")
    refusing = UrgentSeeker.refuses(model, rows)  # the same counter-based draw for every class
    rows = rows[~refusing]
    n = min(len(homes), len(rows))
    vac.let[homes[:n]] = True
    month.record(homes[:n], rows[:n], LARGE_POOL_ROUTE)
    # Households housed in another region move there; the letting keeps the home's region.
    table["region"][rows[:n]] = vac.region[homes[:n]]


def urgent(month: Month) -> None:
    """Direct placement of urgent households, oldest declaration first, up to the cap."""
    model = month.model
    table = model.households
    mask = (_column(month, "group") == URGENT) & _column(month, "urgency_active")
    if model.policy["policy.no_urgency_for_residence_permit"]:
        mask &= ~_column(month, "residence_permit")
    rows = _ranked(model, month.free(mask), "urgency_day")
    sizes = table["size"][rows]
    prefs = preference_lists(URGENT_OPTIONS, sizes, np.zeros(len(rows), bool), model.fits)
    refuses = UrgentSeeker.refuses(model, rows)
    budget = month.budget(model.policy["allocation.urgent_share_cap"], "urgent")
    v, housed, refused, left = place_priority(
        month.vac,
        table["region"][rows],
        rows,
        prefs,
        sizes,
        refuses,
        budget.cap,
        None,
        URGENT,
    )
    budget.spend(left)
    month.record(v, housed, URGENT_ROUTE)
    table["urgency_active"][refused] = False  # refusing a suitable offer ends the urgency
    month.refusals += len(refused)


def quota(month: Month) -> None:
    """Municipalities place status holders linked to them, to meet the half-year quota."""
    model = month.model
    policy = model.policy
    if not policy["policy.quota_in_force"]:
        return
    table = model.households
    mask = (
        (_column(month, "group") == STATUS_HOLDER)
        & (_column(month, "situation") == RECEPTION)
        & (_column(month, "linked_region") >= 0)
    )
    rows = _ranked(model, month.free(mask), "permit_day")
    sizes = table["size"][rows]
    single = sizes == 1
    prefers_room = model.population.prefers_room(
        table["id"][rows], policy["status_holders.non_self_contained_share_of_singles"]
    )
    if policy["policy.status_holder_priority"]:
        options, room_ok = QUOTA_OPTIONS, single & prefers_room
    else:
        options = QUOTA_OPTIONS_BANNED
        room_ok = single & policy["policy.singles_exception"]
    prefs = preference_lists(options, sizes, room_ok, model.fits)
    need = model.streams.round(
        model.quota.monthly_need(add_months(model.start_date, model.month)), model.month, salt=3
    )
    budget = month.budget(policy["status_holders.quota_placement_max_share"], "quota")
    v, housed, _, left = place_priority(
        month.vac,
        table["linked_region"][rows],
        rows,
        prefs,
        sizes,
        np.zeros(len(rows), bool),
        budget.cap,
        need,
        STATUS_HOLDER,
    )
    budget.spend(left)
    month.record(v, housed, QUOTA_ROUTE)


def family(month: Month) -> None:
    """Generic priority for families with minor children without a home of their own."""
    model = month.model
    policy = model.policy
    if not policy["policy.family_priority"]:
        return
    table = model.households
    situation = _column(month, "situation")
    homeless = (situation == RECEPTION) | (situation == DOUBLED_UP) | (situation == SHELTER)
    mask = _column(month, "children") & homeless
    if policy["policy.no_urgency_for_residence_permit"]:  # Mooiman: no priority on any ground
        mask &= ~_column(month, "residence_permit")
    rows = _ranked(model, month.free(mask), "entry_day")
    sizes = table["size"][rows]
    prefs = preference_lists(FAMILY_OPTIONS, sizes, np.zeros(len(rows), bool), model.fits)
    refuses = UrgentSeeker.refuses(model, rows)
    budget = month.budget(policy["policy.family_priority_share_cap"], "family")
    v, housed, refused, left = place_priority(
        month.vac,
        table["region"][rows],
        rows,
        prefs,
        sizes,
        refuses,
        budget.cap,
        None,
        NOBODY,
    )
    budget.spend(left)
    month.record(v, housed, FAMILY_ROUTE)
    month.refusals += len(refused)


def startup_eligible(model: HousingMarket, rows: np.ndarray) -> np.ndarray:
    """Who may get a start-up home: status holders leaving reception, or all (lever)."""
    table = model.households
    if model.policy["policy.startup_open_to_all"]:
        return table["situation"][rows] != STARTUP_HOME
    return (table["group"][rows] == STATUS_HOLDER) & (table["situation"][rows] == RECEPTION)


def _advertise(
    model: HousingMarket,
    vac: Vacancies,
    available: np.ndarray,
    cand: np.ndarray,
    refuses: np.ndarray,
    lottery_share: float,
):
    table, ledger = model.households, model.stock.ledger
    ticket = model.streams.uniform("ticket", table["id"][cand], model.month)
    key = table["registration_day"][cand] + ticket  # ties broken by ticket
    lottery = (
        model.streams.uniform("vacancy_lottery", ledger.dwelling_id[available], model.month)
        < lottery_share
    )
    return let_advertised(
        vac,
        model.n_regions,
        table["region"][cand],
        table["size"][cand],
        table["group"][cand],
        key,
        ticket,
        refuses,
        lottery,
        model.fits,
        {STARTUP: startup_eligible(model, cand)},
    )


def advertised(month: Month) -> None:
    """Every remaining vacancy to the households reacting this month."""
    model = month.model
    free = ~month.housed_now[month.waiting] & month.reacts
    cand = month.waiting[free]
    v, pos, routes, refusals = _advertise(
        model,
        month.vac,
        month.available,
        cand,
        month.refuses[free],
        model.policy["allocation.lottery_share"],
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


def attribute(month: Month, vacancies: np.ndarray, rows: np.ndarray) -> np.ndarray:
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
    model = month.model
    vac = month.vac
    no_reservation = np.full(len(vac.region), NOBODY, np.int8)
    clean = Vacancies(vac.region, vac.type, no_reservation)
    cand = month.waiting[month.reacts]
    v_cf, pos, _, _ = _advertise(
        model, clean, month.available, cand, month.refuses[month.reacts], lottery_share=0.0
    )
    heads_rows = cand[pos]
    table = model.households
    rank = table["registration_day"][heads_rows]
    out = np.full(len(rows), -1, np.int64)
    cell_cf = vac.region[v_cf].astype(np.int64) * 16 + vac.type[v_cf]
    cell = vac.region[vacancies].astype(np.int64) * 16 + vac.type[vacancies]
    for c in np.unique(cell):
        mine = np.flatnonzero(cell == c)
        heads = heads_rows[cell_cf == c]
        heads = heads[np.argsort(rank[cell_cf == c], kind="stable")]
        got = np.isin(rows[mine], heads)
        passed = heads[~np.isin(heads, rows[mine])]
        others = mine[~got]
        n = min(len(others), len(passed))
        out[others[:n]] = passed[:n]
    return out
