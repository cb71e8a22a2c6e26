"""The stock of corporation dwellings, by region and type, and its vacancies.

The stock is held as counts per (region, dwelling type) in agent units (one
unit stands for ``households_per_agent`` dwellings, or household places for
rooms and shared homes). A dwelling is occupied by a *background* tenant (a
household outside the market), by a *tracked* household that is itself
waiting for another home (a doorstromer, or a household in a start-up home),
or it is *vacant* and waiting in the vacancy ledger to be let:

    total = background + tracked + vacant        (per region and type)

Dwelling types, each with its own stock, turnover, eligibility and route
(docs/assumptions.md, C1-C9):

* ``small``, ``medium``, ``large``: the permanent self-contained stock;
* ``room``: student and campus rooms (non-self-contained, one single each),
  on short contracts: a high turnover, calibrated to the 38,000 households a
  year moving into non-self-contained corporation units;
* ``flex``: temporary self-contained homes with an end of life; while the
  SFT scheme runs (``stock.sft_end_date``) a share of new ones is reserved
  for status holders, after it ``stock.flex_additions_after_sft_per_year``
  says what is still built;
* ``startup``: start-up homes (opstartwoningen), a step with a maximum stay
  (``model.households.queue.Queue.end_contracts``);
* ``shared``: places in corporation homes converted for two to four singles
  (woningdelen), on multi-year contracts whose tenants are followed, let to the
  singles they were made for (``model.allocation.routes.shared_eligible``).

Vacancies arise from:

* exogenous turnover: a background tenant leaves the social stock (moves out
  of it, dies, buys); calibrated so that the total lettings match CBS, and
  lower where the queue has grown (``stock.turnover_tightness_elasticity``):
  in a tighter market fewer tenants move out;
* vacancy chains: a tracked household that is housed or leaves the market
  frees the home it had (``release``), one month later;
* new construction and flex / start-up additions, let for the first time;

and the stock shrinks by demolition, by sales and liberalisation (most at a
vacancy, which is then not let as a social home) and by flex homes reaching
end of life. Every vacancy gets a unique dwelling id, so that no dwelling can
be let twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.base import numerics
from model.base.calendar import Month
from model.base.codes import N_TYPES, NOBODY, ORIGINS, PERMANENT_TYPES, DwellingType, Group, Origin
from model.base.columns import ColumnTable
from model.base.streams import Streams
from model.inputs.parameters import Parameters


def monthly_probability(rate_per_year: np.ndarray | float) -> np.ndarray:
    """The monthly chance that gives ``rate_per_year`` over twelve months."""
    return 1.0 - numerics.power(1.0 - np.asarray(rate_per_year, dtype=float), 1.0 / 12.0)


def fit_table(params: Parameters, max_size: int = 40) -> np.ndarray:
    """Boolean table ``fits[type, size]``: may a household of ``size`` get the type."""
    lo = np.asarray(params["dwellings.min_persons"])
    hi = np.asarray(params["dwellings.max_persons"])
    sizes = np.arange(max_size + 1)
    return (sizes[None, :] >= lo[:, None]) & (sizes[None, :] <= hi[:, None])


class VacancyLedger(ColumnTable):
    """Vacant dwellings waiting to be let, each with a unique dwelling id."""

    FIELDS = (
        ("dwelling_id", np.int64, 0),
        ("region", np.int8, 0),
        ("type", np.int8, 0),
        ("reserved_for", np.int8, NOBODY),
        ("since_day", np.int32, 0),
        ("origin", np.int8, 0),
    )

    def __init__(self) -> None:
        super().__init__()
        self.next_id = 1

    def add(
        self,
        region: np.ndarray,
        dtype: np.ndarray,
        day: int,
        origin: int,
        reserved_for: np.ndarray | int = NOBODY,
    ) -> None:
        """Add vacancies (one per element of ``region``), each with a new dwelling id."""
        n = len(region)
        if n == 0:
            return
        ids = np.arange(self.next_id, self.next_id + n, dtype=np.int64)
        self.next_id += n
        self.append(
            n,
            dwelling_id=ids,
            region=region,
            type=dtype,
            reserved_for=reserved_for,
            since_day=day,
            origin=origin,
        )

    def counts(self, n_regions: int) -> np.ndarray:
        """Vacant units per (region, type)."""
        out = np.zeros((n_regions, N_TYPES), np.int64)
        np.add.at(out, (self.region, self.type), 1)
        return out


@dataclass(frozen=True)
class VacancyFlows:
    """How the stock changed in a month (agent units).

    Attributes:
        by_origin: New vacancies per origin (``ORIGINS``), chains freed last month included.
        flex_reserved: New flex homes reserved for status holders (SFT).
        demolished: Occupied homes demolished.
        flex_end_of_life: Flex homes reaching the end of their life.
        converted_places: Reception places converted into homes this month.
        added: Places added per dwelling type (new construction, flex and start-up
            additions, shared places converted, reception places turned into homes).
        sold: Homes sold (at a vacancy, or to the sitting tenant).
        liberalised: Homes let at a rent above the social limit at a vacancy, leaving
            the social stock.
        shared_converted: Homes turned into shared homes (each gives several places).
        turnover_factor: The national mean factor on tenants' moving out from the
            market's tightness (1 at the start), weighted by the regular stock.
    """

    by_origin: np.ndarray = field(default_factory=lambda: np.zeros(len(ORIGINS), np.int64))
    flex_reserved: int = 0
    demolished: int = 0
    flex_end_of_life: int = 0
    converted_places: float = 0.0
    added: np.ndarray = field(default_factory=lambda: np.zeros(N_TYPES, np.int64))
    sold: int = 0
    liberalised: int = 0
    shared_converted: int = 0
    turnover_factor: float = 1.0


def only(per_cell: np.ndarray, types) -> np.ndarray:
    """A copy of a (region, type) table with every other type set to zero."""
    out = np.zeros_like(per_cell)
    out[:, list(types)] = per_cell[:, list(types)]
    return out


class Stock:
    """Corporation dwellings per (region, type) and their vacancies.

    Args:
        params: The model parameters.
        scale: Households (dwellings) per agent.
        streams: The run's random streams (for rounding the stock to agent units).

    Attributes:
        total: Units per (region, type), agent units.
        tracked: Units occupied by households that are themselves waiting.
        ledger: The vacancies not yet let.
        flex_cohorts: Flex units by (region, month built), month index may be
            negative for homes built before the start.
        queue_at_start: Households waiting per region at the start (the reference
            of the market's tightness), set by ``set_reference_queue``.
    """

    def __init__(self, params: Parameters, scale: int, streams: Streams):
        self.params = params
        self.streams = streams
        self.scale = scale
        regions = params.regions
        n = len(regions)
        share = regions.stock_share  # CBS: corporation stock per region
        small, large = params["stock.share_small"], params["stock.share_large"]
        real = np.zeros((n, N_TYPES))
        sc = params["stock.self_contained_dwellings"] * share
        real[:, DwellingType.SMALL] = sc * small
        real[:, DwellingType.MEDIUM] = sc * (1.0 - small - large)
        real[:, DwellingType.LARGE] = sc * large
        real[:, DwellingType.ROOM] = params["stock.non_self_contained_places"] * share
        real[:, DwellingType.FLEX] = params["stock.flex_homes"] * share
        real[:, DwellingType.STARTUP] = params["stock.startup_homes"] * share
        # Shared homes: none at the start (the conversions of a scenario add them).
        # Stochastic rounding: at a coarse scale a small cell (large homes in
        # Zeeland) is neither always rounded up nor always down.
        self.total = streams.round(real / scale, month=-1, salt=50)
        self.tracked = np.zeros((n, N_TYPES), np.int64)
        self.ledger = VacancyLedger()
        self.removed_occupied = np.zeros((n, N_TYPES), np.int64)  # demolished / end of life
        self.queue_at_start: np.ndarray | None = None
        # Flex homes by build month, spread evenly over the past years.
        years = params["stock.flex_initial_age_years_max"]
        past_months = max(round(years * 12), 1)
        self.flex_cohorts: dict[int, np.ndarray] = {}
        for r in range(n):
            # Spread evenly over the past months (every k-th month gets one more).
            cum = (np.arange(past_months + 1) * self.total[r, DwellingType.FLEX]) // past_months
            per_month = np.diff(cum)
            for k, units in enumerate(per_month):
                month = -past_months + k
                self.flex_cohorts.setdefault(month, np.zeros(n, np.int64))[r] += units
        # Monthly exogenous turnover probabilities per (region, type), before tightness.
        factor = regions.turnover_factor
        weights = self.total[:, list(PERMANENT_TYPES)].sum(axis=1)
        if weights.sum() > 0:  # the national rate is the stock-weighted mean
            factor = factor / (np.sum(factor * weights) / weights.sum())
        yearly = np.zeros((n, N_TYPES))
        for t in PERMANENT_TYPES:
            yearly[:, t] = np.minimum(params["stock.exogenous_turnover_per_year"] * factor, 0.99)
        yearly[:, DwellingType.ROOM] = params["stock.non_self_contained_turnover_per_year"]
        # Flex homes let before the start have tenants outside the model; every tenant of a
        # place in a shared home (none at the start) or a start-up home is a household of the
        # model, followed to its next move (model.households.queue.Queue.house).
        yearly[:, DwellingType.FLEX] = params["stock.flex_turnover_per_year"]
        self.turnover_probability = monthly_probability(yearly)

    @property
    def vacant(self) -> np.ndarray:
        """Vacant units per (region, type)."""
        return self.ledger.counts(len(self.total))

    @property
    def background(self) -> np.ndarray:
        """Units let to households outside the market, per (region, type)."""
        return self.total - self.tracked - self.vacant

    def occupy_tracked(self, region: np.ndarray, dtype: np.ndarray) -> None:
        """Households that keep waiting live in these units (a doorstromer's home, a
        start-up home)."""
        np.add.at(self.tracked, (region, dtype), 1)

    def release(self, region: np.ndarray, dtype: np.ndarray, day: int) -> None:
        """Tracked households moved out: their homes become vacancies (chains)."""
        np.subtract.at(self.tracked, (region, dtype), 1)
        self.ledger.add(region.astype(np.int8), dtype.astype(np.int8), day, Origin.CHAIN)

    def add_vacancies(
        self, per_cell: np.ndarray, day: int, origin: int, reserved: np.ndarray | None = None
    ) -> None:
        """Add ``per_cell[r, t]`` vacancies of each region and type to the ledger.

        Args:
            per_cell: Counts per (region, type).
            day: Day number the vacancies arise.
            origin: One of the ORIGINS codes.
            reserved: Optional counts per (region, type) of those reserved for
                status holders (the rest are open to everybody).
        """
        regions, types = np.nonzero(per_cell)
        counts = per_cell[regions, types]
        region = np.repeat(regions, counts).astype(np.int8)
        dtype = np.repeat(types, counts).astype(np.int8)
        reserved_for = np.full(len(region), NOBODY, np.int8)
        if reserved is not None:
            # Within each cell, the first `reserved` vacancies are reserved.
            starts = np.repeat(np.cumsum(counts) - counts, counts)
            position = np.arange(len(region)) - starts
            limit = np.repeat(reserved[regions, types], counts)
            reserved_for[position < limit] = Group.STATUS_HOLDER
        self.ledger.add(region, dtype, day, origin, reserved_for)

    def grow(self, per_cell: np.ndarray, month: int) -> None:
        """New dwellings join the stock (their first letting is a vacancy)."""
        self.total += per_cell
        if per_cell[:, DwellingType.FLEX].any():
            cohort = self.flex_cohorts.setdefault(month, np.zeros(len(self.total), np.int64))
            cohort += per_cell[:, DwellingType.FLEX]

    def convert_to_shared(self, per_region: np.ndarray, households: int, day: int) -> np.ndarray:
        """Turn vacant medium homes into shared homes: each gives ``households`` places.

        Only homes vacant this month and open to everybody are converted; a
        region with fewer converts what it has.

        Returns:
            Homes converted per region.
        """
        done = np.zeros(len(self.total), np.int64)
        if not per_region.any():
            return done
        ledger = self.ledger
        candidates = (
            (ledger.type == DwellingType.MEDIUM)
            & (ledger.reserved_for == NOBODY)
            & (ledger.since_day <= day)
        )
        keep = np.ones(len(ledger), bool)
        for r in np.flatnonzero(per_region):
            idx = np.flatnonzero(candidates & (ledger.region == r))[: per_region[r]]
            keep[idx] = False
            done[r] = len(idx)
        ledger.keep(keep)
        self.total[:, DwellingType.MEDIUM] -= done
        self.total[:, DwellingType.SHARED] += done * households
        places = np.zeros_like(self.total)
        places[:, DwellingType.SHARED] = done * households
        self.add_vacancies(places, day, Origin.SHARED_CONVERSION)
        return done

    # -- tightness -----------------------------------------------------------------

    def set_reference_queue(self, waiting_per_region: np.ndarray) -> None:
        """The households waiting per region at the start: tightness is measured against it."""
        self.queue_at_start = np.maximum(np.asarray(waiting_per_region, float), 1.0)

    def tightness_factor(self, waiting_per_region: np.ndarray | None) -> np.ndarray:
        """Factor on tenants' moving out per region: (queue / queue at the start) ** elasticity.

        The elasticity (negative) is derived from CBS lettings against the ABF
        shortage (docs/assumptions.md C10): where more households wait, fewer
        tenants leave their social home.
        """
        n = len(self.total)
        if waiting_per_region is None or self.queue_at_start is None:
            return np.ones(n)
        ratio = np.maximum(np.asarray(waiting_per_region, float), 1.0) / self.queue_at_start
        return numerics.power(ratio, self.params["stock.turnover_tightness_elasticity"])

    def expected_turnover(self, factor: np.ndarray | None = None) -> np.ndarray:
        """Background tenants expected to leave this month, per (region, type).

        ``factor`` (per region) scales the permanent stock's rate with the market's
        tightness; temporary homes (rooms, flex, shared) turn over with their
        contracts.
        """
        probability = self.turnover_probability
        if factor is not None:
            probability = probability.copy()
            regular = list(PERMANENT_TYPES)
            probability[:, regular] = np.minimum(probability[:, regular] * factor[:, None], 0.99)
        return np.maximum(self.background, 0) * probability

    def shrink(self, per_cell: np.ndarray) -> np.ndarray:
        """Remove occupied background units (demolition, end of life, sale to the tenant).

        Returns:
            The units removed per (region, type).
        """
        take = np.minimum(per_cell, np.maximum(self.background, 0))
        self.total -= take
        self.removed_occupied += take
        return take

    def end_of_life(self, month: int) -> np.ndarray:
        """Flex homes reaching the end of their life this month, per region.

        Vacant ones leave the ledger first, then occupied ones (their tenants
        move on outside the model).
        """
        life = round(self.params["stock.flex_life_years"] * 12)
        units = self.flex_cohorts.pop(month - life, None)
        n = len(self.total)
        if units is None:
            return np.zeros(n, np.int64)
        units = np.minimum(
            units, self.total[:, DwellingType.FLEX] - self.tracked[:, DwellingType.FLEX]
        )
        keep = np.ones(len(self.ledger), bool)
        for r in np.flatnonzero(units):
            idx = np.flatnonzero(
                (self.ledger.region == r) & (self.ledger.type == DwellingType.FLEX)
            )
            drop = idx[: units[r]]
            keep[drop] = False
            self.total[r, DwellingType.FLEX] -= len(drop)
            rest = units[r] - len(drop)
            cell = np.zeros((n, N_TYPES), np.int64)
            cell[r, DwellingType.FLEX] = rest
            self.shrink(cell)
        self.ledger.keep(keep)
        return units

    # -- the month ---------------------------------------------------------------

    def _flex_building(self, month: Month, policy: dict) -> tuple[float, float]:
        """Flex homes built per year this month, and the share reserved for status holders.

        While the SFT scheme runs (until ``stock.sft_end_date``) the SFT levers
        apply; after it, ``stock.flex_additions_after_sft_per_year`` and no
        reservation (the reservation is an SFT condition).
        """
        if month.first < self.params["stock.sft_end_date"]:
            return policy["stock.flex_additions_per_year"], policy["stock.flex_reserved_share"]
        return policy["stock.flex_additions_after_sft_per_year"], 0.0

    def _leaving_the_social_stock(self, turnover: np.ndarray) -> tuple[np.ndarray, int, int]:
        """Sales and liberalisation this month; ``turnover`` loses the vacancies they take.

        A sale to the sitting tenant removes an occupied home; the other sales
        and every liberalisation happen at a vacancy (the rent may only rise
        above the social limit at a new letting), so that home is not let as a
        social home.

        Returns:
            (turnover vacancies left to let, homes sold, homes liberalised).
        """
        p, carry = self.params, self.streams.carry
        n = len(self.total)
        sold_rate = monthly_probability(p["stock.sales_per_year"])
        free_rate = monthly_probability(p["stock.liberalisation_per_year"])
        sitting = p["stock.sales_to_sitting_tenants_share"]
        at_vacancy = np.zeros((n, N_TYPES), np.int64)
        to_tenants = np.zeros((n, N_TYPES), np.int64)
        liberalised = np.zeros((n, N_TYPES), np.int64)
        for t in PERMANENT_TYPES:
            stock = self.total[:, t].astype(float)
            at_vacancy[:, t] = carry(f"sale_at_vacancy:{t}", stock * sold_rate * (1 - sitting))
            to_tenants[:, t] = carry(f"sale_to_tenant:{t}", stock * sold_rate * sitting)
            liberalised[:, t] = carry(f"liberalisation:{t}", stock * free_rate)
        # At a vacancy: no more than the month's turnover vacancies of the cell.
        at_vacancy = np.minimum(at_vacancy, turnover)
        liberalised = np.minimum(liberalised, turnover - at_vacancy)
        left = turnover - at_vacancy - liberalised
        self.total -= at_vacancy + liberalised
        sold = int(at_vacancy.sum()) + int(self.shrink(to_tenants).sum())
        return left, sold, int(liberalised.sum())

    def _additions(
        self, month: Month, p: dict, convert_reception: bool
    ) -> tuple[np.ndarray, int, float, int]:
        """New construction, flex and start-up additions, reception places converted into
        homes (reserved for status holders: omklapbare plekken; only when
        ``convert_reception``) and homes turned into shared homes for singles
        (woningdelen), with their first lettings as vacancies.

        Returns:
            (places added per type, new flex homes reserved for status holders,
            reception places converted, homes turned into shared homes).
        """
        carry, n = self.streams.carry, len(self.total)
        share = self.params.regions.stock_share  # corporations build and convert where they own

        def per_region(per_year: float, weights: np.ndarray, flow: str) -> np.ndarray:
            return carry(flow, per_year / 12 * weights / self.scale)

        new = np.zeros((n, N_TYPES), np.int64)
        small, large = self.params["stock.share_small"], self.params["stock.share_large"]
        for t, type_share in (
            (DwellingType.SMALL, small),
            (DwellingType.MEDIUM, 1 - small - large),
            (DwellingType.LARGE, large),
        ):
            new[:, t] = per_region(
                p["stock.new_construction_per_year"] * type_share, share, f"construction:{t}"
            )
        flex_per_year, reserved_share = self._flex_building(month, p)
        new[:, DwellingType.FLEX] = per_region(flex_per_year, share, "flex_addition")
        new[:, DwellingType.STARTUP] = per_region(
            p["stock.startup_additions_per_year"], share, "startup"
        )
        reserved = np.zeros_like(new)
        reserved[:, DwellingType.FLEX] = np.minimum(
            carry("flex_reserved", new[:, DwellingType.FLEX] * reserved_share),
            new[:, DwellingType.FLEX],
        )
        converted = np.zeros_like(new)
        places_per_year = p["policy.reception_places_converted_per_year"] * convert_reception
        converted[:, DwellingType.FLEX] = per_region(
            places_per_year / p["policy.places_per_converted_home"],
            self.params.regions.reception_share,
            "reception_conversion",
        )
        self.grow(new + converted, month.index)
        self.add_vacancies(only(new, PERMANENT_TYPES), month.day0, Origin.NEW_CONSTRUCTION)
        self.add_vacancies(
            only(new, (DwellingType.FLEX,)), month.day0, Origin.FLEX_ADDITION, reserved
        )
        self.add_vacancies(only(new, (DwellingType.STARTUP,)), month.day0, Origin.STARTUP_ADDITION)
        self.add_vacancies(converted, month.day0, Origin.RECEPTION_CONVERSION, converted)
        per_home = p["policy.shared_households_per_dwelling"]
        shared = self.convert_to_shared(
            per_region(p["policy.shared_conversions_per_year"], share, "shared_conversion"),
            per_home,
            month.day0,
        )
        added = (new + converted).sum(axis=0)
        added[DwellingType.SHARED] += int(shared.sum()) * per_home
        converted_places = int(converted.sum()) * p["policy.places_per_converted_home"]
        return added, int(reserved[:, DwellingType.FLEX].sum()), converted_places, int(shared.sum())

    def step(
        self,
        month: Month,
        policy: dict,
        convert_reception: bool = True,
        waiting_per_region: np.ndarray | None = None,
    ) -> VacancyFlows:
        """This month's new vacancies, additions, conversions and removals.

        Vacancies arise from tenants leaving the social stock (fewer where the
        queue has grown: ``waiting_per_region`` against the start), less the
        homes sold or liberalised at a vacancy; then the additions and
        conversions (``_additions``); the stock shrinks by demolition, sales to
        sitting tenants and flex homes reaching end of life. Chains (homes freed
        by last month's movers) are already in the ledger. Reception places are
        converted only when ``convert_reception`` (reception decides: only while
        occupancy allows).
        """
        carry = self.streams.carry
        factor = self.tightness_factor(waiting_per_region)
        turnover = carry("turnover", self.expected_turnover(factor))
        turnover, sold, liberalised = self._leaving_the_social_stock(turnover)
        self.add_vacancies(turnover, month.day0, Origin.TURNOVER)
        added, reserved, converted_places, shared = self._additions(
            month, policy, convert_reception
        )
        demolish = np.zeros_like(self.total)
        rate = monthly_probability(self.params["stock.demolition_per_year"])
        for t in PERMANENT_TYPES:
            demolish[:, t] = carry(f"demolition:{t}", self.total[:, t] * rate)
        demolished = self.shrink(demolish)
        end_of_life = int(self.end_of_life(month.index).sum())
        new_here = self.ledger.since_day == month.day0
        by_origin = np.array(
            [np.sum(new_here & (self.ledger.origin == code)) for code in range(len(ORIGINS))]
        )
        weights = np.maximum(self.total[:, list(PERMANENT_TYPES)].sum(axis=1), 0)
        return VacancyFlows(
            by_origin=by_origin,
            flex_reserved=reserved,
            demolished=int(demolished.sum()),
            flex_end_of_life=end_of_life,
            converted_places=converted_places,
            added=added,
            sold=sold,
            liberalised=liberalised,
            shared_converted=shared,
            turnover_factor=float(np.average(factor, weights=weights)) if weights.sum() else 1.0,
        )
