"""The households in the market: who enters, whose urgency lapses, who leaves.

The queue owns the household table (``model.households.table``: one row per agent
still waiting, numpy columns), the draws of new households
(``model.households.population``), the log of those who left the market or were housed,
and the ledger of status holders' persons. Each month it takes in regular
registrants, urgency declarations and new permits, ends lapsed urgency, and
lets households leave the market (private rent, buying, moving away, or a
status holder's own home); the allocation houses the rest
(``Queue.house``). Every figure here is in agent units.

The Mesa agents of the households are made on demand
(``HousingMarket.agents``): the table is the state, an agent a view on its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from agents.households import AGENT_CLASSES, Rules, UrgentSeeker
from model.base.calendar import NEVER, Month, add_months, day_number
from model.base.codes import (
    EXIT_REASONS,
    GROUPS,
    N_TYPES,
    TEMPORARY,
    DwellingType,
    Group,
    Situation,
    State,
)
from model.households.population import (
    REGULAR_DRAWS,
    STATUS_HOLDER_DRAWS,
    URGENT_DRAWS,
    Population,
    household_ids,
)
from model.households.table import HouseholdTable, OutcomeLog
from model.supply.stock import Stock, monthly_probability


@dataclass
class Exits:
    """Households that left the market in a month (agent units).

    Attributes:
        by_reason: Households per exit reason (``EXIT_REASONS``).
        from_reception_linked_persons: Status holders who left reception on
            their own, persons, with a quota municipality (it is responsible
            for their civic integration).
        from_reception_unlinked_persons: The same without one (the BRP
            registration decides).
        quota_region, quota_persons: Status holders with a quota link who left
            reception on their own: the region they are linked to and their persons
            (they count for its quota).
    """

    by_reason: np.ndarray = field(default_factory=lambda: np.zeros(len(EXIT_REASONS), np.int64))
    from_reception_linked_persons: int = 0
    from_reception_unlinked_persons: int = 0
    quota_region: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    quota_persons: np.ndarray = field(default_factory=lambda: np.zeros(0))


class Queue:
    """Households entering, waiting and leaving.

    Args:
        population: Draws new households (and holds the parameters, streams and scale).
        stock: The dwellings (doorstromers occupy and free homes).

    Attributes:
        table: The household table (agents still waiting, and some just gone).
        population: Draws new households' attributes.
        outcomes: Every household that left the table: how and when.
        entered, housed, left: Households per group since the start (agent units).
        sh_persons: Status holders' persons in and out of the market (agent units):
            entered, arrived_in_market, reentered, housed, left; and their family
            members abroad: abroad_added (with new permits), abroad_dropped (of
            those who left the market without a corporation home: no longer
            followed).
    """

    def __init__(self, population: Population, stock: Stock):
        self.population = population
        self.params = population.params
        self.streams = population.streams
        self.scale = population.scale
        self.stock = stock
        self.table = HouseholdTable(capacity=1024)
        self.outcomes = OutcomeLog()
        self.entered = np.zeros(len(GROUPS), np.int64)
        self.housed = np.zeros(len(GROUPS), np.int64)
        self.left = np.zeros(len(GROUPS), np.int64)
        self.sh_persons = dict.fromkeys(
            ("entered", "arrived_in_market", "reentered", "housed", "left", "abroad_added",
             "abroad_dropped"),
            0,
        )  # fmt: skip
        # Households gone this month whose Mesa agent must be removed (HousingMarket).
        self.gone_ids: list[np.ndarray] = []

    # -- rates ---------------------------------------------------------------------

    @property
    def regular_exit_hazard(self) -> float:
        """Monthly chance a regular or urgent seeker leaves the market."""
        total = sum(
            self.params[f"regular.exit_{k}_per_year"] for k in ("private_rent", "buy", "move_away")
        )
        return float(monthly_probability(total))

    @staticmethod
    def status_holder_exit_hazard(policy: dict) -> float:
        """Monthly chance a status holder leaves reception for a home found themselves:
        rare while municipalities house them with priority, more often once priority is
        banned and they are responsible for finding a home (letter)."""
        if policy["policy.status_holder_priority"]:
            rate = policy["status_holders.exit_self_found_per_year"]
        else:
            rate = policy["status_holders.exit_self_found_per_year_without_priority"]
        return float(monthly_probability(rate))

    # -- who is where --------------------------------------------------------------

    def waiting(self) -> np.ndarray:
        """Rows of the households waiting."""
        return self.table.waiting()

    def in_reception(self, waiting: np.ndarray | None = None) -> np.ndarray:
        """Rows of the status holders waiting in reception."""
        t = self.table
        rows = t.waiting() if waiting is None else waiting
        return rows[
            (t["group"][rows] == Group.STATUS_HOLDER)
            & (t["situation"][rows] == Situation.RECEPTION)
        ]

    def abroad_in_market(self) -> int:
        """Persons abroad waiting to join households still in the market (agent units)."""
        return int(self.table["family_abroad"][self.table.waiting()].sum())

    # -- entering --------------------------------------------------------------------

    def add(self, cols: dict[str, np.ndarray], month: Month) -> None:
        """Append households to the table and occupy the homes they leave behind."""
        table = self.table
        rows = table.append(len(cols["id"]), **cols)
        home = table["home_type"][rows]
        # permits (and the start): status holders entering reception without a home
        sh = (cols["group"] == Group.STATUS_HOLDER) & (home < 0)
        sh &= table["situation"][rows] == Situation.RECEPTION
        if sh.any():
            self.sh_persons["entered"] += int(cols["size"][sh].sum())
            if month.index >= 0:
                self.sh_persons["abroad_added"] += int(cols["family_abroad"][sh].sum())
        has = home >= 0
        if has.any():
            self.stock.occupy_tracked(table["region"][rows][has], home[has])
        np.add.at(self.entered, cols["group"], 1)

    def enter(
        self, month: Month, policy: dict, permits: float, reception_share: np.ndarray
    ) -> None:
        """This month's regular registrants, urgency declarations and new status holders.

        Args:
            month: The month.
            policy: The levers in force.
            permits: Persons granted a permit this month (agent units).
            reception_share: Each region's share of the reception places, where the
                new status holders wait.
        """
        m, pop = month.index, self.population
        share = self.params.regions.population_share
        days = (month.day0, month.day_end)

        counts = self.streams.carry("regular_inflow", pop.regular_registrants(m))
        ids, region = household_ids(m, Group.REGULAR, counts)
        with pop.drawing(ids, REGULAR_DRAWS):
            entry = pop.days_in_month(ids, *days)
            registration = entry - pop.regular_lag_days(ids, region)
            cols = pop.regular(ids, region, entry, registration, self.stock.background, True)
        self.add(cols, month)

        mean = self.params["urgent.declarations_per_year"] / 12 * share / self.scale
        ids, region = household_ids(m, Group.URGENT, self.streams.carry("urgent_inflow", mean))
        allowed = urgency_allowed(policy)
        with pop.drawing(ids, URGENT_DRAWS):
            cols = pop.urgent(ids, region, pop.days_in_month(ids, *days), allowed)
        self.add(cols, month)

        counts = pop.status_holder_composition(permits * self.scale, reception_share)
        ids, region = household_ids(m, Group.STATUS_HOLDER, counts.sum(axis=(1, 2)))
        with pop.drawing(ids, STATUS_HOLDER_DRAWS):
            cols = pop.status_holders(
                ids,
                region,
                pop.days_in_month(ids, *days),
                policy["policy.quota_in_force"],
                policy["policy.coupling_without_quota"],
                pop.status_holder_cells(ids, counts),
                priority=policy["policy.status_holder_priority"],
                elsewhere_share=policy["status_holders.search_elsewhere_share"],
            )
        self.add(cols, month)

    # -- lapses and exits -------------------------------------------------------------

    def rules(self, month: int, policy: dict) -> Rules:
        """What the household classes' rules read this month."""
        return Rules(
            table=self.table,
            streams=self.streams,
            month=month,
            exit_hazard=self.regular_exit_hazard,
            reception_exit_hazard=self.status_holder_exit_hazard(policy),
        )

    def lapse_urgency(self, rules: Rules, month: Month) -> int:
        """End the urgency declarations past their window; returns how many ran out unserved."""
        table = self.table
        rows = np.flatnonzero((table["state"] == State.WAITING) & (table["group"] == Group.URGENT))
        return len(UrgentSeeker.lapse_expired(rules, rows, month.day0))

    def leave(self, rules: Rules, month: Month) -> Exits:
        """Households leaving the market this month, each class by its own rule.

        A status holder who settles on their own counts for the linked
        municipality's quota (``Exits.quota_region``); their family abroad is no
        longer followed.
        """
        table = self.table
        exits = Exits()
        waiting = table.waiting()
        group = table["group"][waiting]
        for g, cls in AGENT_CLASSES.items():
            rows = waiting[group == g]
            out = rows[cls.leaves(rules, rows)]
            if len(out) == 0:
                continue
            if g == Group.STATUS_HOLDER:
                self.sh_persons["left"] += int(table["size"][out].sum())
                self.sh_persons["abroad_dropped"] += int(table["family_abroad"][out].sum())
                linked, unlinked = self.responsibility(
                    out[table["situation"][out] == Situation.RECEPTION]
                )
                exits.from_reception_linked_persons += linked
                exits.from_reception_unlinked_persons += unlinked
                region = table["linked_region"][out]
                # Those leaving reception count once; from a temporary home they counted
                # when they moved into it.
                # (a family that joined its sponsor's home counted when it arrived)
                mine = (
                    (region >= 0)
                    & (table["situation"][out] == Situation.RECEPTION)
                    & (table["home_type"][out] < 0)
                )
                exits.quota_region = region[mine]
                exits.quota_persons = table["size"][out][mine].astype(float)
            exits.by_reason += np.bincount(table["exit_reason"][out], minlength=len(EXIT_REASONS))
            self.move_out(out, State.LEFT, month)
            self.left[g] += len(out)
        return exits

    def responsibility(self, rows: np.ndarray) -> tuple[int, int]:
        """Persons of status holders leaving reception: (with a responsible municipality
        assigned before housing, without one).

        The municipality of the quota link is responsible for their civic
        integration while there is one, or, once it is abolished, the one the
        alternative coupling links them to; otherwise the one of the BRP
        registration after housing (letter).
        """
        assigned = self.table["responsible_region"][rows] >= 0
        persons = self.table.reception_persons(rows)
        return int(persons[assigned].sum()), int(persons[~assigned].sum())

    def move_out(
        self, rows: np.ndarray, state: int, month: Month, new_region: np.ndarray | None = None
    ) -> None:
        """Households housed for good or gone: free their old homes and log them.

        ``new_region``: where the housed households now live (the home's region), once
        their old home is freed where it is.
        """
        table = self.table
        home = table["home_type"][rows]
        has = home >= 0
        if has.any():
            self.stock.release(table["region"][rows][has], home[has], month.day_end)
        if new_region is not None:
            table["region"][rows] = new_region
        table.mark_out(rows, state, month.day0)
        self.outcomes.add(table, rows, state)
        self.gone_ids.append(table["id"][rows].copy())

    # -- housed ------------------------------------------------------------------------

    def house(
        self, rows: np.ndarray, dtype: np.ndarray, region: np.ndarray, month: Month
    ) -> np.ndarray:
        """Households let a home this month: a temporary home (flex, start-up, shared) is a
        step, the rest is for good.

        A tenant of a temporary home holds a contract with an end date
        (:func:`contract_months`): it lives there, keeps searching with its
        registration time, and frees the home when it is housed for good, leaves
        the market or its contract ends (``end_contracts``). An urgency
        declaration is served by the offer (assumption: a suitable home, even
        a temporary one, ends it).

        Returns:
            The rows housed for good (not in a temporary home).
        """
        table = self.table
        temporary = TEMPORARY[dtype]
        movers = rows[temporary]
        if len(movers):
            home = table["home_type"][movers]
            has = home >= 0
            if has.any():  # (from reception or doubled up: no home to free)
                self.stock.release(table["region"][movers][has], home[has], month.day_end)
            table["region"][movers] = region[temporary]  # they live where the home is
            table["situation"][movers] = Situation.TEMPORARY_HOME
            table["home_type"][movers] = dtype[temporary]
            first = table["temporary_day"][movers] == NEVER
            table["temporary_day"][movers[first]] = month.day0
            terms, which = np.unique(self.contract_months[dtype[temporary]], return_inverse=True)
            ends = [day_number(add_months(month.first, int(m))) for m in terms]
            table["contract_end_day"][movers] = np.asarray(ends, np.int32)[which]
            table["urgency_active"][movers] = False
            table["persons_at_home"][movers] = 0  # a family that waited in reception moves too
            self.stock.occupy_tracked(region[temporary], dtype[temporary])
        out = rows[~temporary]
        self.move_out(out, State.HOUSED, month, new_region=region[~temporary])
        np.add.at(self.housed, table["group"][out], 1)
        sh_out = table["group"][out] == Group.STATUS_HOLDER
        self.sh_persons["housed"] += int(table["size"][out][sh_out].sum())
        return out

    @property
    def contract_months(self) -> np.ndarray:
        """Per dwelling type, months a tenant may live in it (0: a home for good)."""
        return contract_months(self.params)

    def end_contracts(self, month: Month) -> np.ndarray:
        """Households whose contract in a temporary home ends this month move out.

        They keep searching, with their registration time, from elsewhere (doubled
        up: with family or friends, or in temporary lodging: an assumption); a
        household never gets a second start-up home. The home they leave is let
        again this month.

        Returns:
            Contracts ended per dwelling type (agent units).
        """
        table = self.table
        rows = np.flatnonzero(
            (table["state"] == State.WAITING) & (table["situation"] == Situation.TEMPORARY_HOME)
        )
        due = rows[table["contract_end_day"][rows] <= month.day0]
        home = table["home_type"][due]
        if len(due):
            self.stock.release(table["region"][due], home, month.day0)
            table["situation"][due] = Situation.DOUBLED_UP
            table["home_type"][due] = -1
            table["contract_end_day"][due] = NEVER
        return np.bincount(home, minlength=N_TYPES)

    def waiting_per_region(self) -> np.ndarray:
        """Households in the queue per region (agent units, ``HouseholdTable.queue``): the
        market's tightness."""
        table = self.table
        return np.bincount(table["region"][table.queue()], minlength=self.population.n_regions)

    def take_gone_ids(self) -> np.ndarray:
        """Ids of the households gone since the last call (for their agents)."""
        gone = np.concatenate(self.gone_ids) if self.gone_ids else np.zeros(0, np.int64)
        self.gone_ids = []
        return gone


def contract_months(params) -> np.ndarray:
    """Per dwelling type, the months a tenant may live in it: the contract of a temporary
    home (``stock.{flex,shared}_contract_months``, ``stock.startup_max_stay_months``);
    0 for a home for good."""
    months = np.zeros(N_TYPES, np.int64)
    months[DwellingType.FLEX] = params["stock.flex_contract_months"]
    months[DwellingType.SHARED] = params["stock.shared_contract_months"]
    months[DwellingType.STARTUP] = params["stock.startup_max_stay_months"]
    return months


def urgency_allowed(policy: dict) -> Callable[[np.ndarray], np.ndarray]:
    """Whether urgency may be granted: not to permit holders under the Mooiman amendment."""

    def allowed(residence_permit: np.ndarray) -> np.ndarray:
        if policy["policy.no_urgency_for_residence_permit"]:
            return ~residence_permit
        return np.ones(len(residence_permit), bool)

    return allowed
