"""Family reunification: family members abroad (nareizigers) joining status holders.

A status holder may have family abroad (drawn at the permit: single status
holders waiting for their family, *alleengaand*). The family is due a number
of months after the permit (``reunification.arrival_delay_months``: the nareis
application, the IND's decision and the journey), and arrives, all of it at
once:

* at a household still in the market (in reception, or a start-up home): the
  household grows there and leaves with it when it is housed, so it needs a
  larger home, and reception holds more;
* at a household already housed: it joins it at home (counting for the linked
  municipality's quota). If the home no longer fits (passend toewijzen on
  size), the household re-enters the market as a status holder who leaves a
  corporation home behind when rehoused.

In the history, until September 2025, a family joining a housed sponsor whose home fits
first passes through COA reception (the nareis procedure, then the move;
``reunification.reception_stay_months``; :class:`Passing`); from October 2025 it joins
the sponsor at once, as COA no longer takes such families in. It counts for the quota
when it arrives, as a family joining at home does (for one passing through reception a
month or so before it moves in: counted at the move, 20 more municipalities end 2022-H1
just behind, measured at 1:10 on seeds 1-3, a timing the half-year count is sensitive
to and the published figures do not settle).

Families come in the order they are due, as many a month as can: in the
history (2022-2025) as many as arrived (observed), from 2026 the families due,
up to ``reunification.arrivals_per_year`` (the IND deciding nareis applications
in turn, and the visas used). Under the two-status system a
subsidiary-protection holder's family may come only with a chance when it is
due (``reunification.subsidiary_arrival_factor``), else it waits another year.

Housed households with family abroad are kept in a small table of their own
(*sponsors*): they are no longer agents, but their families still come. The
families abroad on 1 January 2022 (``reunification.abroad_at_start``) belong to
the single status holders then in reception, whose families are due after
their permits, and to housed sponsors, whose families are due over the next
three years (:data:`START_STOCK_YEARS`, an assumption).

Persons are conserved: abroad at the start + abroad added with new permits =
abroad now + arrived + dropped (``ledger`` here, the added and dropped in the
queue's ``sh_persons``); *dropped* are the families of status holders who left
the market without a corporation home (a home of their own, or departure): the
model no longer follows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from model.base.calendar import DAYS_PER_YEAR, NEVER, Month
from model.base.codes import DwellingType, Situation, StatusHolderType
from model.base.columns import ColumnTable
from model.base.streams import Streams
from model.households.population import REENTRY_ID_GROUP, Population, _pick, household_ids
from model.households.table import is_large_family
from model.inputs.parameters import Parameters

if TYPE_CHECKING:
    from model.asylum.quota import Quota
    from model.households.queue import Queue

# Id namespace for sponsors present at the start (not a household group).
SPONSOR_ID_GROUP = 3
# The families of housed sponsors waiting abroad on 1 January 2022 are due over this many
# years (assumption: the 40,000 abroad then and about 10,500 arriving a year in 2022-2023).
START_STOCK_YEARS = 3.0


@dataclass
class Reunified:
    """Families arriving in a month (agent units).

    Attributes:
        arrivals_in_market_persons: Persons joining households still in the
            market (in reception or a start-up home).
        arrivals_in_reception_persons: Of those, the persons joining households in
            reception.
        arrivals_at_home_persons: Persons joining housed households.
        reentries: Housed households whose home grew too small, searching again.
        reentries_in_reception_persons: Their family members, who wait in reception
            until the household is rehoused together.
        arrivals_passing_reception_persons: Of the persons joining housed households,
            those received in reception first (in the history, until September 2025).
        passed_through_reception_persons: Family members leaving reception this month to
            join their housed sponsor.
    """

    arrivals_in_market_persons: int = 0
    arrivals_in_reception_persons: int = 0
    arrivals_at_home_persons: int = 0
    reentries: int = 0
    reentries_in_reception_persons: int = 0
    arrivals_passing_reception_persons: int = 0
    passed_through_reception_persons: int = 0


class Sponsors(ColumnTable):
    """Housed status holders whose family is still abroad (no longer agents)."""

    FIELDS = (
        ("id", np.int64, 0),
        ("region", np.int8, 0),
        ("linked_region", np.int8, -1),
        ("size", np.int16, 0),
        ("home_type", np.int8, -1),
        ("abroad", np.int16, 0),
        ("subsidiary", bool, False),
        ("permit_day", np.int32, 0),
        ("due_day", np.int32, NEVER),
    )


class Passing(ColumnTable):
    """Families of housed sponsors passing through reception on their way home."""

    FIELDS = (
        ("leave_month", np.int32, 0),
        ("region", np.int8, 0),
        ("persons", np.int32, 0),
    )


class Reunification:
    """Families abroad of housed status holders, and arrivals each month.

    Args:
        params: Model parameters.
        streams: The run's random streams.
        population: Draws family sizes (the same draw as for new permits).
        scale: Households per agent.
        fits_max: Maximum persons per dwelling type.
    """

    def __init__(
        self,
        params: Parameters,
        streams: Streams,
        population: Population,
        scale: int,
        fits_max: np.ndarray,
    ):
        self.params = params
        self.streams = streams
        self.population = population
        self.scale = scale
        self.fits_max = np.asarray(fits_max)
        self.sponsors = Sponsors()
        self.passing = Passing()
        self.ledger = {"abroad_start": 0.0, "arrived": 0.0}
        self._owed = 0.0  # persons the arrivals so far fall short of the budget (agent units)

    # -- set-up ------------------------------------------------------------------

    def seed_sponsors(self, abroad_in_market: float, permit_day: int, day0: int) -> None:
        """Housed sponsors at the start: the families abroad less those of the households in
        reception, due over the next :data:`START_STOCK_YEARS` years from ``day0``.

        Assumption: each is a single status holder housed in a small home (50%),
        a medium home (30%) or a room (20%), spread by population, whose family
        abroad has the same size distribution as new permits'.
        """
        p, k = self.params, self.scale
        abroad_total = p["reunification.abroad_at_start"] / k
        rest = max(abroad_total - abroad_in_market, 0.0)
        mean = max(p["status_holders.family_abroad_mean_persons"], 1.0)
        share = p.regions.population_share
        counts = self.streams.round(rest / mean * share, -1, salt=40)
        ids, region = household_ids(-1, SPONSOR_ID_GROUP, counts)
        u = self.streams.uniform
        home = np.array([DwellingType.SMALL, DwellingType.MEDIUM, DwellingType.ROOM])[
            _pick(u("sponsor_home", ids, 0), [0.5, 0.3, 0.2])
        ]
        abroad = self.population.family_sizes(ids)
        spread = u("sponsor_due", ids, 0) * START_STOCK_YEARS * DAYS_PER_YEAR
        self.add(
            id=ids,
            region=region,
            linked_region=region,
            size=np.ones(len(ids), np.int16),
            home_type=home.astype(np.int8),
            abroad=abroad,
            subsidiary=u("subsidiary", ids, 0) < p["reunification.subsidiary_share"],
            permit_day=np.full(len(ids), permit_day, np.int32),
            due_day=(day0 + spread).astype(np.int32),
        )
        self.ledger["abroad_start"] = float(abroad.sum()) + abroad_in_market

    def add(self, **columns: np.ndarray) -> None:
        """Housed households whose family is still abroad join the sponsor table."""
        self.sponsors.append(len(columns["id"]), **columns)

    # -- arrivals --------------------------------------------------------------------

    def _held(self, ids: np.ndarray, due: np.ndarray, subsidiary: np.ndarray, month: Month,
              policy) -> None:  # fmt: skip
        """Under the two-status system a subsidiary holder's family due this month may come
        only with a chance (``reunification.subsidiary_arrival_factor``), else it waits a
        year (``due`` moves on, in place)."""
        if not policy["reunification.two_status_system"]:
            return
        now = due < month.day_end
        u = self.streams.uniform("reunify", ids, month.index)
        held = now & subsidiary & (u >= policy["reunification.subsidiary_arrival_factor"])
        due[held] += round(DAYS_PER_YEAR)

    def _in_due_order(
        self, due: np.ndarray, ids: np.ndarray, persons: np.ndarray, budget: float,
        before_day: int | None,
    ) -> np.ndarray:  # fmt: skip
        """The families that come in a month: those due first, as many persons as the
        month's budget and what earlier months left (a family comes whole, so a month may
        overshoot; the next takes it back). ``before_day``: only families due before it
        may come (None: any, as observed)."""
        self._owed += budget
        order = np.lexsort((ids, due))
        if before_day is not None:
            order = order[due[order] < before_day]
        counts = persons[order].astype(np.int64)
        middle = np.cumsum(counts) - counts / 2.0  # a family comes if its middle fits
        taken = int(np.searchsorted(middle, self._owed, side="left"))
        come = np.zeros(len(due), bool)
        come[order[:taken]] = True
        self._owed -= float(counts[:taken].sum())
        if taken == len(order):  # nobody left who may come: capacity unused is not saved
            self._owed = min(self._owed, 0.0)
        return come

    def step(
        self, month: Month, policy: dict, queue: Queue, quota: Quota, observed: float | None,
        via_reception: bool = False,
    ) -> Reunified:  # fmt: skip
        """Families arrive from abroad: at households still waiting, and at housed ones.

        A family joining a household in the market makes it larger there; one
        joining a housed household counts for the linked municipality's quota,
        and a home grown too small sends the household back to the queue.

        Args:
            month: The month.
            policy: The levers in force.
            queue: The households in the market.
            quota: The municipalities' quota.
            observed: Family members observed arriving this month (persons; None after
                the history: those due, up to ``reunification.arrivals_per_year``).
            via_reception: Whether a family joining a housed sponsor whose home fits passes
                through reception first (observed: until September 2025).
        """
        table, s = queue.table, self.sponsors
        waiting = table.waiting()
        rows = waiting[table["family_abroad"][waiting] > 0]
        ids = np.concatenate([table["id"][rows], s["id"]])
        due = np.concatenate([table["family_due_day"][rows], s["due_day"]])
        persons = np.concatenate([table["family_abroad"][rows], s["abroad"]])
        if observed is None:  # from 2026: those due, as many as the IND and travel allow
            subsidiary = np.concatenate([table["subsidiary"][rows], s["subsidiary"]])
            self._held(ids, due, subsidiary, month, policy)
            table["family_due_day"][rows] = due[: len(rows)]
            s["due_day"][:] = due[len(rows) :]
            budget = policy["reunification.arrivals_per_year"] / 12 / self.scale
            comes = self._in_due_order(due, ids, persons, budget, month.day_end)
        else:  # the history: as many as arrived, those due first
            comes = self._in_due_order(due, ids, persons, observed / self.scale, None)
        result = self._join_in_market(table, rows[comes[: len(rows)]], queue)
        self._join_at_home(comes[len(rows) :], month, policy, queue, quota, result, via_reception)
        self._move_in(month, result)
        return result

    def _join_in_market(self, table, came: np.ndarray, queue: Queue) -> Reunified:
        """Families joining households still in the market (in reception, or a start-up home)."""
        persons = table["family_abroad"][came].astype(np.int64)
        in_reception = table["situation"][came] == Situation.RECEPTION
        table["size"][came] += table["family_abroad"][came]
        table["family_joined"][came] += table["family_abroad"][came]
        table["family_abroad"][came] = 0
        table["family_due_day"][came] = NEVER
        large = is_large_family(table["size"][came])
        table["sh_type"][came] = np.where(
            large, StatusHolderType.LARGE_FAMILY, StatusHolderType.FAMILY_WITH_CHILDREN
        )
        table["children"][came] = True
        self.ledger["arrived"] += float(persons.sum())
        queue.sh_persons["arrived_in_market"] += int(persons.sum())
        return Reunified(
            arrivals_in_market_persons=int(persons.sum()),
            arrivals_in_reception_persons=int(persons[in_reception].sum()),
        )

    def _join_at_home(
        self, came: np.ndarray, month: Month, policy: dict, queue: Queue, quota: Quota,
        result: Reunified, via_reception: bool,
    ) -> None:  # fmt: skip
        """Families joining housed sponsors (through reception first while ``via_reception``);
        those whose home grew too small re-enter the market; sponsors whose family is
        complete are no longer followed."""
        s = self.sponsors
        persons = s["abroad"][came].astype(np.int64)
        self.ledger["arrived"] += float(persons.sum())
        at_home = s["size"].copy()
        s["size"][came] += s["abroad"][came]
        s["abroad"][came] = 0
        too_small = came & (s["size"] > self.fits_max[s["home_type"]])
        out = s.select(too_small) | {"at_home": at_home[too_small]}
        if not policy["policy.quota_in_force"]:
            out["linked_region"] = np.full(len(out["id"]), -1, np.int8)
        linked = s["linked_region"][came].copy()
        passing = (~too_small[came]) if via_reception else np.zeros(len(persons), bool)
        if passing.any():
            self._pass(s["id"][came][passing], s["region"][came][passing], persons[passing], month)
        s.keep(s["abroad"] > 0)
        result.arrivals_at_home_persons = int(persons.sum())
        result.arrivals_passing_reception_persons = int(persons[passing].sum())
        if policy["policy.quota_in_force"]:  # family joining at home counts for the quota
            mine = linked >= 0
            quota.record(linked[mine], persons[mine].astype(float))
        if len(out["id"]):
            counts = np.bincount(out["region"], minlength=len(self.params.regions))
            order = np.argsort(out["region"], kind="stable")
            ids, region = household_ids(month.index, REENTRY_ID_GROUP, counts)
            entry = self.population.days_in_month(ids, month.day0, month.day_end)
            sponsors = {name: col[order] for name, col in out.items()}
            cols = self.population.reentering_status_holders(ids, region, sponsors, entry)
            queue.add(cols, month)
            queue.sh_persons["reentered"] += int(cols["size"].sum())
            result.reentries = len(ids)
            result.reentries_in_reception_persons = int(cols["family_joined"].sum())

    def _pass(self, ids: np.ndarray, region: np.ndarray, persons: np.ndarray, month: Month) -> None:
        """Families (by sponsor id) received in reception on their way to a housed sponsor:
        each stays ``reunification.reception_stay_months`` on average (whole months, the
        fraction drawn per family) and moves in at the end of the month it leaves."""
        stay = max(self.params["reunification.reception_stay_months"], 0.0)
        u = self.streams.uniform("family_stay", ids, month.index)
        months = np.floor(stay) + (u < stay - np.floor(stay))
        self.passing.append(
            len(ids),
            leave_month=(month.index + months).astype(np.int32),
            region=region,
            persons=persons.astype(np.int32),
        )

    def _move_in(self, month: Month, result: Reunified) -> None:
        """Families passing through reception whose stay is over move in with their sponsor."""
        p = self.passing
        leaving = p["leave_month"] <= month.index
        if not leaving.any():
            return
        result.passed_through_reception_persons = int(p["persons"][leaving].sum())
        p.keep(~leaving)

    def passing_by_region(self, n_regions: int) -> np.ndarray:
        """Family members in reception on their way to a housed sponsor, per region of the
        sponsor's home (agent units)."""
        p = self.passing
        return np.bincount(p["region"], weights=p["persons"], minlength=n_regions).astype(np.int64)

    def due_persons(self, queue: Queue, before_day: int) -> int:
        """Family members abroad due before ``before_day`` (agent units): the families the
        government expects to arrive (for the quota's target)."""
        table = queue.table
        waiting = table.waiting()
        mine = table["family_due_day"][waiting] < before_day
        housed = self.sponsors["due_day"] < before_day
        return int(table["family_abroad"][waiting][mine].sum()) + int(
            self.sponsors["abroad"][housed].sum()
        )

    @property
    def passing_persons(self) -> int:
        """Family members in reception on their way to a housed sponsor (agent units)."""
        return int(self.passing["persons"].sum())

    @property
    def abroad_of_sponsors(self) -> int:
        """Persons abroad waiting to join housed households (agent units)."""
        return int(self.sponsors["abroad"].sum())
