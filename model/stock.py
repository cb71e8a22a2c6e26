"""The stock of corporation dwellings, by region and type, and its vacancies.

The stock is held as counts per (region, dwelling type) in agent units (one
unit stands for ``households_per_agent`` dwellings). A dwelling is occupied
by a *background* tenant (a household outside the market), by a *tracked*
household that is itself waiting for another home (a doorstromer, or a status
holder in a start-up home), or it is *vacant* and waiting in the vacancy
ledger to be let:

    total = background + tracked + vacant        (per region and type)

Vacancies arise from (model brief, "Stock and vacancies"):

* exogenous turnover: a background tenant leaves the social stock (moves out
  of it, dies, buys); calibrated so that the total lettings match CBS;
* vacancy chains: a tracked household that is housed or leaves the market
  frees the home it had (``release``), one month later;
* new construction and flex / start-up additions, let for the first time;

and the stock shrinks by demolition and by flex homes reaching end of life.
Every vacancy gets a unique dwelling id, so that no dwelling can be let twice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.calendar import Month
from model.columns import ColumnTable
from model.crn import Streams
from model.households import STATUS_HOLDER
from model.parameters import Parameters

SMALL, MEDIUM, LARGE, ROOM, FLEX, STARTUP = range(6)
DWELLING_TYPES = ("small", "medium", "large", "room", "flex", "startup")
DWELLING_LABELS_NL = (
    "klein zelfstandig",
    "middelgroot zelfstandig",
    "groot zelfstandig (6+)",
    "onzelfstandig",
    "flexwoning",
    "opstartwoning",
)
N_TYPES = len(DWELLING_TYPES)
REGULAR_TYPES = (SMALL, MEDIUM, LARGE)  # the permanent self-contained stock
# Self-contained: counted in CBS's "self-contained corporation homes let".
SELF_CONTAINED = np.array([True, True, True, False, True, False])
NOBODY = -1  # a vacancy reserved for no group


def monthly_probability(rate_per_year: np.ndarray | float) -> np.ndarray:
    """The monthly chance that gives ``rate_per_year`` over twelve months."""
    return 1.0 - (1.0 - np.asarray(rate_per_year, dtype=float)) ** (1.0 / 12.0)


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


# Where a vacancy came from (append new ones at the end).
ORIGINS = (
    "turnover",
    "chain",
    "new_construction",
    "flex_addition",
    "startup_addition",
    "shared_conversion",
    "reception_conversion",
)
(
    TURNOVER,
    CHAIN,
    NEW_CONSTRUCTION,
    FLEX_ADDITION,
    STARTUP_ADDITION,
    SHARED_CONVERSION,
    RECEPTION_CONVERSION,
) = range(len(ORIGINS))


@dataclass(frozen=True)
class VacancyFlows:
    """How the stock changed in a month (agent units).

    Attributes:
        by_origin: New vacancies per origin (``ORIGINS``), chains freed last month included.
        flex_reserved: New flex homes reserved for status holders (SFT).
        demolished: Occupied homes demolished.
        flex_end_of_life: Flex homes reaching the end of their life.
        converted_places: Reception places converted into homes this month.
    """

    by_origin: np.ndarray
    flex_reserved: int
    demolished: int
    flex_end_of_life: int
    converted_places: float


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
        real[:, SMALL] = sc * small
        real[:, MEDIUM] = sc * (1.0 - small - large)
        real[:, LARGE] = sc * large
        real[:, ROOM] = params["stock.non_self_contained_places"] * share
        real[:, FLEX] = params["stock.flex_homes"] * share
        real[:, STARTUP] = params["stock.startup_homes"] * share
        # Stochastic rounding: at a coarse scale a small cell (large homes in
        # Zeeland) is neither always rounded up nor always down.
        self.total = streams.round(real / scale, month=-1, salt=50)
        self.tracked = np.zeros((n, N_TYPES), np.int64)
        self.ledger = VacancyLedger()
        self.removed_occupied = np.zeros((n, N_TYPES), np.int64)  # demolished / end of life
        # Flex homes by build month, spread evenly over the past years.
        years = params["stock.flex_initial_age_years_max"]
        past_months = max(round(years * 12), 1)
        self.flex_cohorts: dict[int, np.ndarray] = {}
        for r in range(n):
            # Spread evenly over the past months (every k-th month gets one more).
            cum = (np.arange(past_months + 1) * self.total[r, FLEX]) // past_months
            per_month = np.diff(cum)
            for k, units in enumerate(per_month):
                month = -past_months + k
                self.flex_cohorts.setdefault(month, np.zeros(n, np.int64))[r] += units
        # Monthly exogenous turnover probabilities per (region, type).
        factor = regions.turnover_factor
        weights = self.total[:, list(REGULAR_TYPES)].sum(axis=1)
        factor = factor / (np.sum(factor * weights) / max(weights.sum(), 1))
        yearly = np.zeros((n, N_TYPES))
        for t in REGULAR_TYPES:
            yearly[:, t] = np.minimum(params["stock.exogenous_turnover_per_year"] * factor, 0.99)
        yearly[:, ROOM] = params["stock.non_self_contained_turnover_per_year"]
        yearly[:, FLEX] = params["stock.flex_turnover_per_year"]
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
        self.ledger.add(region.astype(np.int8), dtype.astype(np.int8), day, CHAIN)

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
            reserved_for[position < limit] = STATUS_HOLDER
        self.ledger.add(region, dtype, day, origin, reserved_for)

    def grow(self, per_cell: np.ndarray, month: int) -> None:
        """New dwellings join the stock (their first letting is a vacancy)."""
        self.total += per_cell
        if per_cell[:, FLEX].any():
            cohort = self.flex_cohorts.setdefault(month, np.zeros(len(self.total), np.int64))
            cohort += per_cell[:, FLEX]

    def convert_to_shared(self, per_region: np.ndarray, households: int, day: int) -> np.ndarray:
        """Turn vacant medium homes into shared homes: each gives ``households`` room places.

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
            (ledger.type == MEDIUM) & (ledger.reserved_for == NOBODY) & (ledger.since_day <= day)
        )
        keep = np.ones(len(ledger), bool)
        for r in np.flatnonzero(per_region):
            idx = np.flatnonzero(candidates & (ledger.region == r))[: per_region[r]]
            keep[idx] = False
            done[r] = len(idx)
        ledger.keep(keep)
        self.total[:, MEDIUM] -= done
        self.total[:, ROOM] += done * households
        places = np.zeros_like(self.total)
        places[:, ROOM] = done * households
        self.add_vacancies(places, day, SHARED_CONVERSION)
        return done

    def expected_turnover(self) -> np.ndarray:
        """Background tenants expected to leave the social stock this month, per (region, type)."""
        return np.maximum(self.background, 0) * self.turnover_probability

    def shrink(self, per_cell: np.ndarray) -> None:
        """Remove occupied background units (demolition, end of life)."""
        take = np.minimum(per_cell, np.maximum(self.background, 0))
        self.total -= take
        self.removed_occupied += take

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
        units = np.minimum(units, self.total[:, FLEX] - self.tracked[:, FLEX])
        keep = np.ones(len(self.ledger), bool)
        for r in np.flatnonzero(units):
            idx = np.flatnonzero((self.ledger.region == r) & (self.ledger.type == FLEX))
            drop = idx[: units[r]]
            keep[drop] = False
            self.total[r, FLEX] -= len(drop)
            rest = units[r] - len(drop)
            cell = np.zeros((n, N_TYPES), np.int64)
            cell[r, FLEX] = rest
            self.shrink(cell)
        self.ledger.keep(keep)
        return units

    # -- the month ---------------------------------------------------------------

    def step(self, month: Month, policy: dict, convert_reception: bool = True) -> VacancyFlows:
        """This month's new vacancies, additions, conversions and removals.

        Vacancies arise from tenants leaving the social stock, new construction,
        flex and start-up additions and reception places converted into homes
        (reserved for status holders); homes are turned into shared homes, and
        the stock shrinks by demolition and flex homes reaching end of life.
        Chains (homes freed by last month's movers) are already in the ledger.
        Reception places are converted only when ``convert_reception`` (reception
        decides: only while occupancy allows).
        """
        p, m, carry = policy, month.index, self.streams.carry
        share = self.params.regions.stock_share  # corporations build and convert where they own
        turnover = carry("turnover", self.expected_turnover())
        self.add_vacancies(turnover, month.day0, TURNOVER)

        def per_region(per_year: float, weights: np.ndarray, flow: str) -> np.ndarray:
            return carry(flow, per_year / 12 * weights / self.scale)

        n = len(self.total)
        new = np.zeros((n, N_TYPES), np.int64)
        small, large = self.params["stock.share_small"], self.params["stock.share_large"]
        for t, type_share in ((SMALL, small), (MEDIUM, 1 - small - large), (LARGE, large)):
            new[:, t] = per_region(
                p["stock.new_construction_per_year"] * type_share, share, f"construction:{t}"
            )
        new[:, FLEX] = per_region(p["stock.flex_additions_per_year"], share, "flex_addition")
        new[:, STARTUP] = per_region(p["stock.startup_additions_per_year"], share, "startup")
        reserved = np.zeros_like(new)
        reserved[:, FLEX] = np.minimum(
            carry("flex_reserved", new[:, FLEX] * p["stock.flex_reserved_share"]), new[:, FLEX]
        )
        # Reception places converted into homes, where the reception centres are,
        # reserved for status holders (omklapbare plekken).
        converted = np.zeros_like(new)
        places_per_year = p["policy.reception_places_converted_per_year"] * convert_reception
        converted[:, FLEX] = per_region(
            places_per_year / p["policy.places_per_converted_home"],
            self.params.regions.reception_share,
            "reception_conversion",
        )
        self.grow(new + converted, m)
        self.add_vacancies(only(new, REGULAR_TYPES), month.day0, NEW_CONSTRUCTION)
        self.add_vacancies(only(new, (FLEX,)), month.day0, FLEX_ADDITION, reserved)
        self.add_vacancies(only(new, (STARTUP,)), month.day0, STARTUP_ADDITION)
        self.add_vacancies(converted, month.day0, RECEPTION_CONVERSION, converted)
        converted_places = int(converted.sum()) * p["policy.places_per_converted_home"]
        # Homes turned into shared homes for singles (woningdelen).
        self.convert_to_shared(
            per_region(p["policy.shared_conversions_per_year"], share, "shared_conversion"),
            p["policy.shared_households_per_dwelling"],
            month.day0,
        )
        demolish = np.zeros_like(new)
        rate = monthly_probability(self.params["stock.demolition_per_year"])
        for t in REGULAR_TYPES:
            demolish[:, t] = carry(f"demolition:{t}", self.total[:, t] * rate)
        self.shrink(demolish)
        end_of_life = int(self.end_of_life(m).sum())
        new_here = self.ledger.since_day == month.day0
        by_origin = np.array(
            [np.sum(new_here & (self.ledger.origin == code)) for code in range(len(ORIGINS))]
        )
        return VacancyFlows(
            by_origin=by_origin,
            flex_reserved=int(reserved[:, FLEX].sum()),
            demolished=int(demolish.sum()),
            flex_end_of_life=end_of_life,
            converted_places=converted_places,
        )
