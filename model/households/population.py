"""Who enters the market, and the queue at the start date.

Every attribute of a household (size, registration date, situation, search
activity, exit budget, urgency ground, ...) is drawn when it is created, as a
pure function of its id (``Streams.uniform``). Ids are built from the month,
the group, the region and a counter, so the j-th household entering a region
in a month is the same household, with the same luck, under every policy
(common random numbers).

Registration time at letting ("registration time is not search time"): a
household registers, and starts searching some time later (its
*lag*). Ranked by registration date, a household whose lag is long is housed
soon after it starts searching; one whose lag is short searches for years.
The initial queue is the steady state of that process in each region, given
the published registration time at letting ``T``, the expected lettings to
regular seekers, the exit hazard and a mean lag proportional to ``T``; the
proportion is solved so that the national queue holds the letter's 400,000
searching households. New registrants then keep arriving with the same lag
distribution, their number growing (``regular.registration_growth_per_year``,
calibrated) so that the queue grows as the ABF shortage did.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from model.base import numerics
from model.base.calendar import DAYS_PER_MONTH, DAYS_PER_YEAR, NEVER
from model.base.codes import DwellingType, ExitReason, Group, Situation, StatusHolderType
from model.base.streams import Streams
from model.inputs.parameters import Parameters

INITIAL_MONTH = -1  # the month index in the ids of households present at the start
# The least time from a permit to the family's arrival: the sponsor applies for family
# reunification, and the IND decides within its 90-day term (assumption).
FAMILY_DELAY_MIN_MONTHS = 3.0
REENTRY_ID_GROUP = 4  # id namespace of housed status holders re-entering after reunification
_COUNTER_BITS, _REGION_BITS, _GROUP_BITS = 30, 6, 4


def household_ids(month: int, group: int, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ids (increasing) and regions of new households, ``counts[r]`` in region r.

    An id is (month, group, region, counter) packed in 64 bits, so ids sort by
    month, then group, then region, and never depend on other groups' flows.
    """
    counts = np.asarray(counts, np.int64)
    if np.any(counts >= 1 << _COUNTER_BITS):
        raise ValueError("too many households in one region in one month")
    region = np.repeat(np.arange(len(counts)), counts)
    counter = np.arange(len(region)) - np.repeat(np.cumsum(counts) - counts, counts)
    high = (month + 1000) << (_GROUP_BITS + _REGION_BITS + _COUNTER_BITS)
    ids = high | (group << (_REGION_BITS + _COUNTER_BITS)) | (region << _COUNTER_BITS) | counter
    return ids.astype(np.int64), region.astype(np.int8)


def id_namespace(ids: np.ndarray) -> np.ndarray:
    """The group (or other namespace) packed into household ids."""
    ids = np.asarray(ids, np.int64)
    return (ids >> (_REGION_BITS + _COUNTER_BITS)) & ((1 << _GROUP_BITS) - 1)


def _pick(u: np.ndarray, shares) -> np.ndarray:
    """Inverse-CDF draw of category indices from uniforms."""
    cdf = np.cumsum(shares)
    return np.minimum(np.searchsorted(cdf / cdf[-1], u, side="right"), len(cdf) - 1)


def geometric_pmf(mean: float, n: int) -> np.ndarray:
    """P(lag = 0..n-1 months) for a geometric lag with the given mean."""
    p = 1.0 / (mean + 1.0)
    return p * numerics.power(1.0 - p, np.arange(n))


@dataclass(frozen=True)
class QueueSteadyState:
    """The steady-state queue of one region (agent units, months).

    Attributes:
        registration_months: T, the registration time at letting.
        lag_mean_months: Mean time from registration to the start of the search.
        registrations_per_month: R, registrants per month (all start searching in time).
        age_weights: Queue households by registration age 0..T-1 months (sums to the queue).
        lettings_per_month: Lettings to regular seekers the state assumes.
    """

    registration_months: int
    lag_mean_months: float
    registrations_per_month: float
    age_weights: np.ndarray
    lettings_per_month: float

    @property
    def queue(self) -> float:
        """Households in the queue."""
        return float(self.age_weights.sum())


def steady_state(
    registration_months: int, lettings: float, exit_hazard: float, lag_mean: float
) -> QueueSteadyState:
    """Steady-state queue for one region.

    With registrations R a month, lag pmf f and monthly survival s = 1 - h,
    the active households of registration age a number
    n(a) = s n(a-1) + R f(a); those reaching age T are housed, as are those
    who start searching later than T, so lettings L = n(T) + R P(lag > T).
    """
    t = max(int(registration_months), 1)
    f = geometric_pmf(lag_mean, t + 1)
    s = 1.0 - exit_hazard
    n = np.zeros(t + 1)
    acc = 0.0
    for a in range(t + 1):
        acc = acc * s + f[a]
        n[a] = acc
    per_registrant = n[t] + (1.0 - f.sum())
    rate = lettings / per_registrant if per_registrant > 0 else 0.0
    return QueueSteadyState(t, lag_mean, rate, rate * n[:t], lettings)


def solve_lag_scale(
    registration_months: np.ndarray, lettings: np.ndarray, exit_hazard: float, queue_total: float
) -> float:
    """The m with lag mean = m * T in every region so the queues add up to ``queue_total``."""

    def total(m: float) -> float:
        return sum(
            steady_state(t, lt, exit_hazard, m * t).queue
            for t, lt in zip(registration_months, lettings, strict=True)
        )

    lo, hi = 1e-4, 50.0
    if total(lo) < queue_total:
        return lo  # even with no lag the queue is smaller: take the longest queue possible
    if total(hi) > queue_total:
        return hi
    for _ in range(60):
        mid = np.sqrt(lo * hi)
        if total(mid) > queue_total:
            lo = mid
        else:
            hi = mid
    return float(np.sqrt(lo * hi))


# The draws each kind of entrant needs on its own ids (``Population.drawing``).
REGULAR_DRAWS = ("day", "lag", "lag_day", "size", "situation", "elsewhere", "elsewhere_to",
                 "exit", "exit_reason", "activity", "children")  # fmt: skip
URGENT_DRAWS = ("day", "ground", "residence_permit", "lag", "size", "children", "exit",
                "activity")  # fmt: skip
STATUS_HOLDER_DRAWS = ("day", "size_order", "elsewhere", "elsewhere_to", "alleengaand",
                       "exit", "activity", "children", "subsidiary")  # fmt: skip


class Population:
    """Draws the households that enter the market, and the initial queue.

    Args:
        params: Model parameters.
        streams: The run's random streams.
        scale: Households per agent.
    """

    def __init__(self, params: Parameters, streams: Streams, scale: int):
        self.params = params
        self.streams = streams
        self.scale = scale
        self.n_regions = len(params.regions)
        self.steady: list[QueueSteadyState] = []
        self.lag_scale = float("nan")
        self._ready: tuple[np.ndarray, dict] | None = None  # draws made together (drawing)
        self._cdf: np.ndarray | None = None  # where movers search (_elsewhere_cdf)

    # -- shared attribute draws ----------------------------------------------

    def _u(self, purpose: str, ids: np.ndarray) -> np.ndarray:
        ready = self._ready
        if ready is not None and ids is ready[0] and purpose in ready[1]:
            return ready[1][purpose]
        return self.streams.uniform(purpose, ids, 0)

    @contextmanager
    def drawing(self, ids: np.ndarray, purposes: tuple[str, ...]):
        """Within this block, the draws for ``purposes`` on this very ``ids`` array are
        made together, in one pass (``Streams.uniforms``: the same numbers; a draw not
        listed, or on other ids, is made on its own as usual)."""
        self._ready = (ids, self.streams.uniforms(purposes, ids, 0))
        try:
            yield
        finally:
            self._ready = None

    def search_region(self, ids: np.ndarray, region: np.ndarray, share: float) -> np.ndarray:
        """Where households search: their own region, or (``share`` of them) another region
        drawn in proportion to population x exp(-sensitivity x published registration years),
        so that those who move look where waits are shorter (geography.*)."""
        out = np.asarray(region).copy()
        moves = self._u("elsewhere", ids) < share
        if not moves.any():
            return out
        u = self._u("elsewhere_to", ids)[moves]
        cdf = self._elsewhere_cdf()
        pick = np.sum(u[:, None] >= cdf[out[moves]], axis=1)  # searchsorted, side right
        out[moves] = np.minimum(pick, len(cdf) - 1).astype(out.dtype)
        return out

    def _elsewhere_cdf(self) -> np.ndarray:
        """Per home region, the inverse CDF (as ``_pick`` builds it) of the other regions,
        weighted by population x exp(-sensitivity x published registration years): fixed
        for a run, so made once."""
        if self._cdf is None:
            regions = self.params.regions
            sensitivity = self.params["geography.wait_sensitivity_per_year"]
            years = regions.registration_years_at_letting
            weight = regions.population * numerics.exp(-sensitivity * years)
            self._cdf = np.empty((len(weight), len(weight)))
            for r in range(len(weight)):
                w = weight.copy()
                w[r] = 0.0
                c = np.cumsum(w / w.sum())
                self._cdf[r] = c / c[-1]
        return self._cdf

    def sizes(self, ids: np.ndarray, shares) -> np.ndarray:
        """Household sizes (persons) drawn from ``shares`` of 1..5 and 6+ persons."""
        size = _pick(self._u("size", ids), shares) + 1
        large = np.asarray(self.params["regular.large_household_persons"])
        big = size >= 6
        size[big] = large[_pick(self._u("size6", ids[big]), np.ones(len(large)))]
        return size.astype(np.int16)

    def days_in_month(self, ids: np.ndarray, day0: int, day1: int) -> np.ndarray:
        """Each household's day of entry, spread evenly over [day0, day1)."""
        return (day0 + np.floor(self._u("day", ids) * (day1 - day0))).astype(np.int32)

    def _activity(self, ids: np.ndarray) -> np.ndarray:
        mean = self.params["regular.search_activity_mean"]
        half = min(mean, 1.0 - mean)
        return (mean + half * (2.0 * self._u("activity", ids) - 1.0)).astype(np.float32)

    def _exit_budget(self, ids: np.ndarray) -> np.ndarray:
        return (-np.log1p(-self._u("exit", ids))).astype(np.float32)

    def _home_types(
        self, ids: np.ndarray, region: np.ndarray, background: np.ndarray
    ) -> np.ndarray:
        """The social home a doorstromer leaves behind, in proportion to the occupied stock."""

        types = np.array(
            [DwellingType.SMALL, DwellingType.MEDIUM, DwellingType.LARGE, DwellingType.ROOM]
        )
        weights = np.maximum(background[:, types], 0).astype(float)
        cdf = np.cumsum(weights, axis=1)
        cdf = cdf / np.maximum(cdf[:, -1:], 1)
        u = self._u("home_type", ids)
        pick = (u[:, None] >= cdf[region]).sum(axis=1)
        return types[np.minimum(pick, len(types) - 1)].astype(np.int8)

    # -- regular seekers -------------------------------------------------------

    def set_queue_steady_state(
        self, lettings_per_month: np.ndarray, exit_hazard: float, queue_total: float
    ) -> None:
        """Solve the steady state of every region (see module docstring)."""
        years = self.params.regions.registration_years_at_letting
        months = np.maximum(np.rint(years * 12).astype(int), 1)
        self.lag_scale = solve_lag_scale(months, lettings_per_month, exit_hazard, queue_total)
        self.steady = [
            steady_state(t, lt, exit_hazard, self.lag_scale * t)
            for t, lt in zip(months, lettings_per_month, strict=True)
        ]

    def regular_registrants(self, month: int) -> np.ndarray:
        """Regular seekers expected to start searching in each region this month (agent units)."""
        growth = math.pow(1.0 + self.params["regular.registration_growth_per_year"], month / 12.0)
        return np.array([s.registrations_per_month for s in self.steady]) * growth

    def regular(
        self,
        ids: np.ndarray,
        region: np.ndarray,
        entry_day: np.ndarray,
        registration_day: np.ndarray,
        background: np.ndarray,
        mobile: bool = False,
    ) -> dict[str, np.ndarray]:
        """Columns for new regular seekers.

        With ``mobile``, a share of those without a corporation home to leave search in
        another region (``search_region``); tenants search where their home is.
        """
        p = self.params
        size = self.sizes(ids, p["regular.size_shares"])
        situation_codes = np.array(
            [
                Situation.WITH_PARENTS,
                Situation.PRIVATE_RENT,
                Situation.DOUBLED_UP,
                Situation.SOCIAL_TENANT,
            ]
        )
        situation = situation_codes[_pick(self._u("situation", ids), p["regular.situation_shares"])]
        home = np.full(len(ids), -1, np.int8)
        tenant = situation == Situation.SOCIAL_TENANT
        if mobile:
            elsewhere = self.search_region(ids, region, p["geography.search_elsewhere_share"])
            region = np.where(tenant, region, elsewhere).astype(np.asarray(region).dtype)
        home[tenant] = self._home_types(ids[tenant], region[tenant], background)
        exit_rates = [p[f"regular.exit_{k}_per_year"] for k in ("private_rent", "buy", "move_away")]
        reasons = np.array([ExitReason.PRIVATE_RENT, ExitReason.BUY, ExitReason.MOVE_AWAY])
        return {
            "id": ids,
            "group": np.zeros(len(ids), np.int8),
            "region": region,
            "size": size,
            "registration_day": registration_day,
            "entry_day": entry_day,
            "situation": situation.astype(np.int8),
            "home_type": home,
            "exit_budget": self._exit_budget(ids),
            "exit_reason": reasons[_pick(self._u("exit_reason", ids), exit_rates)],
            "activity": self._activity(ids),
            "refusal": np.full(len(ids), p["regular.refusal_probability"], np.float32),
            "children": self._children(ids, size),
        }

    def _children(self, ids: np.ndarray, size: np.ndarray) -> np.ndarray:
        """Whether a household has minor children, by its size."""
        shares = np.asarray(self.params["regular.children_share_by_size"])
        return self._u("children", ids) < shares[np.minimum(size, 6) - 1]

    def regular_lag_days(self, ids: np.ndarray, region: np.ndarray) -> np.ndarray:
        """Days from registration to the start of the search (geometric lag in months)."""
        mean = np.array([s.lag_mean_months for s in self.steady])[region]
        p = 1.0 / (mean + 1.0)
        u = self._u("lag", ids)
        months = np.floor(np.log1p(-u) / np.log1p(-p))
        return (months * DAYS_PER_MONTH + self._u("lag_day", ids) * DAYS_PER_MONTH).astype(np.int32)

    def initial_regular_ages(self, ids: np.ndarray, region: np.ndarray) -> tuple[np.ndarray, ...]:
        """Registration age and search time (days) of the initial queue, by steady state.

        Returns:
            (registration age in days, days since the search started).
        """
        age = np.zeros(len(ids))
        searched = np.zeros(len(ids))
        u_age, u_lag, u_day = (self._u(k, ids) for k in ("init_age", "init_lag", "init_day"))
        for r in range(self.n_regions):
            here = region == r
            if not here.any():
                continue
            st = self.steady[r]
            a = _pick(u_age[here], st.age_weights)
            # Lag given age a: weight f(l) s^(a-l), l = 0..a; approximated with the
            # lag pmf truncated at a (the exit factor changes little within a).
            f = geometric_pmf(st.lag_mean_months, st.registration_months + 1)
            cdf = np.cumsum(f)
            lag = np.minimum(np.searchsorted(cdf, u_lag[here] * cdf[a], side="right"), a)
            age[here] = a + u_day[here]
            searched[here] = a - lag + u_day[here]
        return (age * DAYS_PER_MONTH).astype(np.int32), (searched * DAYS_PER_MONTH).astype(np.int32)

    # -- urgent seekers ----------------------------------------------------------

    def urgent(
        self, ids: np.ndarray, region: np.ndarray, granted_day: np.ndarray, urgency_allowed
    ) -> dict[str, np.ndarray]:
        """Columns for new urgent seekers (urgency applicants).

        Args:
            ids, region: From ``household_ids``.
            granted_day: Day the declaration is granted (the household enters).
            urgency_allowed: Function (residence_permit array) -> whether the
                policy in force grants urgency (the Mooiman amendment says no
                to foreign nationals holding a residence permit).
        """
        p = self.params
        n = len(ids)
        ground = _pick(self._u("ground", ids), p["urgent.ground_shares"]).astype(np.int8)
        permit = self._u("residence_permit", ids) < p["urgent.residence_permit_share"]
        granted = urgency_allowed(permit)
        validity = p["urgent.validity_months"] * DAYS_PER_MONTH
        lag = -np.log1p(-self._u("lag", ids)) * p["urgent.registration_years_before_mean"]
        situation = np.where(ground == 2, Situation.SHELTER, Situation.DOUBLED_UP).astype(np.int8)
        size = self.sizes(ids, p["urgent.size_shares"])
        divorce = ground == 3  # divorce with children
        return {
            "id": ids,
            "group": np.full(n, Group.URGENT, np.int8),
            "region": region,
            "size": size,
            "children": self._children(ids, size) | (divorce & (size >= 2)),
            "registration_day": (granted_day - lag * DAYS_PER_YEAR).astype(np.int32),
            "entry_day": granted_day,
            "situation": situation,
            "exit_budget": self._exit_budget(ids),
            "exit_reason": np.full(n, ExitReason.PRIVATE_RENT, np.int8),
            "activity": self._activity(ids),
            "refusal": np.full(n, p["urgent.refusal_probability"], np.float32),
            "urgency_ground": ground,
            "urgency_day": np.where(granted, granted_day, np.iinfo(np.int32).max).astype(np.int32),
            "urgency_expiry_day": (granted_day + validity).astype(np.int32),
            "urgency_active": granted,
            "residence_permit": permit,
        }

    # -- status holders ------------------------------------------------------------

    def status_holder_size_classes(self) -> tuple[np.ndarray, np.ndarray]:
        """Status-holder household sizes (persons) and their shares of households.

        Sizes 1 to 5, then each size of a 6+ household (equally likely).
        """
        shares = np.asarray(self.params["status_holders.size_shares"], float)
        large = np.asarray(self.params["regular.large_household_persons"])
        sizes = np.concatenate([np.arange(1, 6), large])
        return sizes, np.concatenate([shares[:5], np.full(len(large), shares[5] / len(large))])

    def status_holder_composition(self, persons: float, reception: np.ndarray) -> np.ndarray:
        """New status-holder households by (reception region, size, linked region).

        Counts per cell with carried remainders, so that the persons who enter,
        and the persons linked to each region, track the persons given a permit
        at every scale. Drawing each household's size and municipality at
        random would let them drift apart by the sum of the draws' noise, which
        piles up in reception: the quota follows the permits and each region's
        population share, not the draws.

        Args:
            persons: Real persons granted a permit this month.
            reception: Each region's share of them (where their reception centre is).

        Returns:
            Households (agent units) per (reception region, size class of
            ``status_holder_size_classes``, region linked in proportion to
            population).
        """
        sizes, shares = self.status_holder_size_classes()
        households = persons / float(np.sum(shares * sizes)) / self.scale
        population = self.params.regions.population_share
        cells = households * reception[:, None, None] * shares[None, :, None] * population
        return self.streams.carry("permit_inflow", cells)

    def status_holder_cells(
        self, ids: np.ndarray, counts: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Size and population-spread region of the households of ``status_holder_composition``.

        ``ids`` come in reception-region order; within a region the cells are
        given out in an order drawn per household.

        Returns:
            (persons per household, region in proportion to population).
        """
        sizes, _ = self.status_holder_size_classes()
        n_regions = counts.shape[0]
        cell_size = np.broadcast_to(sizes[None, :, None], counts.shape).ravel()
        cell_spread = np.broadcast_to(np.arange(n_regions)[None, None, :], counts.shape).ravel()
        size = np.repeat(cell_size, counts.ravel()).astype(np.int16)
        spread = np.repeat(cell_spread, counts.ravel()).astype(np.int8)
        region = np.repeat(np.arange(n_regions), counts.sum(axis=(1, 2)))
        order = np.lexsort((self._u("size_order", ids), region))
        return size[np.argsort(order)], spread[np.argsort(order)]

    def status_holders(
        self,
        ids: np.ndarray,
        reception_region: np.ndarray,
        permit_day: np.ndarray,
        quota_in_force: bool,
        coupling: str,
        cells: tuple[np.ndarray, np.ndarray] | None = None,
        priority: bool = True,
        elsewhere_share: float | None = None,
    ) -> dict[str, np.ndarray]:
        """Columns for new status holders in reception.

        Where they search: while the quota holds and municipalities may give them
        priority, where they are linked; with an alternative coupling by population, where
        it puts them; otherwise (priority banned, or the quota gone) they search
        themselves, near their reception centre or (a share) elsewhere, drawn to shorter
        waits (``search_region``).

        Args:
            ids: From ``household_ids`` (counted by reception region).
            reception_region: Region of their reception centre.
            permit_day: Day of the permit.
            cells: Persons per household and the region each is linked to in
                proportion to population (``status_holder_cells``); None: drawn
                per household (the households at the start).
            quota_in_force: Whether COA links them to a municipality for the quota
                (in proportion to population); they then search there.
            coupling: Where they search without the quota: ``reception_region``,
                or ``population_share`` (spread like the quota did).
            priority: Whether municipalities may place status holders with priority.
            elsewhere_share: The share searching outside their reception region when they
                search themselves (the lever in force; default: the parameter).
        """
        p = self.params
        n = len(ids)
        share = self.params.regions.population_share
        if cells is None:
            size = self.sizes(ids, p["status_holders.size_shares"])
            spread = _pick(self._u("link", ids), share).astype(np.int8)
        else:
            size, spread = cells
        linked = spread if quota_in_force else np.full(n, -1, np.int8)
        coupled = not quota_in_force and coupling == "population_share"
        if (quota_in_force and priority) or coupled:
            region = spread
        else:  # they search themselves
            share = p["status_holders.search_elsewhere_share"]
            share = share if elsewhere_share is None else elsewhere_share
            region = self.search_region(ids, reception_region, share).astype(np.int8)
        # Responsible for civic integration from the permit: the quota municipality, or
        # the region the alternative coupling links them to; without either, the
        # municipality of the BRP registration once housed (the letting log records it).
        responsible = spread if (quota_in_force or coupled) else np.full(n, -1, np.int8)
        sh_type = np.full(n, StatusHolderType.FAMILY_WITH_CHILDREN, np.int8)
        single = size == 1
        waits = (
            self._u("alleengaand", ids) < p["status_holders.waiting_for_family_share_of_singles"]
        )
        sh_type[single] = np.where(
            waits[single], StatusHolderType.SINGLE_WAITING_FOR_FAMILY, StatusHolderType.SINGLE
        )
        sh_type[size >= 6] = StatusHolderType.LARGE_FAMILY
        abroad = np.zeros(n, np.int16)
        w = sh_type == StatusHolderType.SINGLE_WAITING_FOR_FAMILY
        abroad[w] = self.family_sizes(ids[w])
        due = np.full(n, NEVER, np.int32)
        due[w] = permit_day[w] + self.family_delay_days(ids[w])
        return {
            "id": ids,
            "group": np.full(n, Group.STATUS_HOLDER, np.int8),
            "region": region,
            "size": size,
            "registration_day": permit_day,
            "entry_day": permit_day,
            "situation": np.full(n, Situation.RECEPTION, np.int8),
            "exit_budget": self._exit_budget(ids),
            "exit_reason": np.full(n, ExitReason.OTHER, np.int8),
            "activity": self._activity(ids),
            "refusal": np.zeros(n, np.float32),
            "permit_day": permit_day,
            "linked_region": linked,
            "responsible_region": responsible,
            "reception_region": reception_region,
            "sh_type": sh_type,
            "family_abroad": abroad,
            "family_due_day": due,
            "residence_permit": np.ones(n, bool),
            "children": self._children(ids, size),
            "subsidiary": self._u("subsidiary", ids) < p["reunification.subsidiary_share"],
        }

    def reentering_status_holders(
        self, ids: np.ndarray, region: np.ndarray, sponsors: dict, entry_day: np.ndarray
    ) -> dict[str, np.ndarray]:
        """Housed status holders whose family joined and whose home is now too small.

        The family waits in reception while the status holder keeps the home
        (``persons_at_home``); the household searches again as a status holder in
        reception, with the registration time of the permit and, while the quota is
        in force, the sponsor's quota link: the municipality rehouses the family
        together (it freed the old home). The family counted for the quota when it
        arrived.
        """
        n = len(ids)
        size = sponsors["size"]
        return {
            "id": ids,
            "group": np.full(n, Group.STATUS_HOLDER, np.int8),
            "region": region,
            "size": size,
            "registration_day": sponsors["permit_day"],
            "entry_day": entry_day,
            "situation": np.full(n, Situation.RECEPTION, np.int8),
            "persons_at_home": sponsors["at_home"],
            "family_joined": size - sponsors["at_home"],
            "home_type": sponsors["home_type"],
            "exit_budget": self._exit_budget(ids),
            "exit_reason": np.full(n, ExitReason.PRIVATE_RENT, np.int8),
            "activity": self._activity(ids),
            "refusal": np.full(n, self.params["regular.refusal_probability"], np.float32),
            "permit_day": sponsors["permit_day"],
            "linked_region": sponsors["linked_region"],
            "responsible_region": region,  # registered (BRP) where they live
            "reception_region": region,
            "sh_type": np.where(
                size >= 6, StatusHolderType.LARGE_FAMILY, StatusHolderType.FAMILY_WITH_CHILDREN
            ).astype(np.int8),
            "residence_permit": np.ones(n, bool),
            "children": np.ones(n, bool),
            "subsidiary": sponsors["subsidiary"],
        }

    def family_sizes(self, ids: np.ndarray) -> np.ndarray:
        """Persons abroad per waiting household: 1 + geometric, with the data file's mean."""
        mean = max(self.params["status_holders.family_abroad_mean_persons"], 1.0)
        q = 1.0 / mean
        u = self._u("abroad", ids)
        return (1 + np.floor(np.log1p(-u) / np.log1p(-q + 1e-12))).astype(np.int16)

    def family_delay_days(self, ids: np.ndarray) -> np.ndarray:
        """Days from the sponsor's permit to the family's arrival: at least
        :data:`FAMILY_DELAY_MIN_MONTHS` (the nareis application and its decision), then
        exponential, with the mean ``reunification.arrival_delay_months``."""
        mean = self.params["reunification.arrival_delay_months"]
        extra = max(mean - FAMILY_DELAY_MIN_MONTHS, 0.0)
        months = FAMILY_DELAY_MIN_MONTHS - np.log1p(-self._u("family_delay", ids)) * extra
        return (months * DAYS_PER_MONTH).astype(np.int32)

    def prefers_room(self, ids: np.ndarray, share: float) -> np.ndarray:
        """Which single status holders are placed in a room when one is free.

        Each household's draw is fixed, so raising ``share`` adds households.
        """
        return self._u("room", ids) < share
