"""Family reunification: family members abroad (nareizigers) joining status holders.

A status holder household may have family abroad (drawn at the permit; at the
start 65,000 persons are waiting, letter). Each month a share of the families
abroad arrives, all of a family at once:

* to a household still in the market (in reception or a start-up home): the
  household grows there, so it needs a larger home, and reception holds more;
* to a household already housed: it grows in its home. If the home no longer
  fits (passend toewijzen on size), the household re-enters the market as a
  status holder who leaves a corporation home behind when rehoused.

Housed households with family abroad are kept in a small table of their own
(*sponsors*): they are no longer agents, but their families still come.
Under the two-status system, families of subsidiary-protection holders come
at a fraction of the rate (lever).

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

from model.base.calendar import Month
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
    """

    arrivals_in_market_persons: int = 0
    arrivals_in_reception_persons: int = 0
    arrivals_at_home_persons: int = 0
    reentries: int = 0


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
        self.ledger = {"abroad_start": 0.0, "arrived": 0.0}

    # -- set-up ------------------------------------------------------------------

    def seed_sponsors(self, abroad_in_market: float, permit_day: int) -> None:
        """Housed sponsors at the start: the 65,000 abroad minus those of households in reception.

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
        self.add(
            id=ids,
            region=region,
            linked_region=region,
            size=np.ones(len(ids), np.int16),
            home_type=home.astype(np.int8),
            abroad=abroad,
            subsidiary=u("subsidiary", ids, 0) < p["reunification.subsidiary_share"],
            permit_day=np.full(len(ids), permit_day, np.int32),
        )
        self.ledger["abroad_start"] = float(abroad.sum()) + abroad_in_market

    def add(self, **columns: np.ndarray) -> None:
        """Housed households whose family is still abroad join the sponsor table."""
        self.sponsors.append(len(columns["id"]), **columns)

    # -- arrivals --------------------------------------------------------------------

    def arrives(
        self, ids: np.ndarray, subsidiary: np.ndarray, month: int, policy: dict
    ) -> np.ndarray:
        """Which families (by household id) arrive this month under the policy in force."""
        rate = policy["reunification.arrival_per_year"] * np.ones(len(ids))
        if policy["reunification.two_status_system"]:
            rate = np.where(
                subsidiary, rate * policy["reunification.subsidiary_arrival_factor"], rate
            )
        chance = 1.0 - np.exp(-rate / 12.0)
        return self.streams.uniform("reunify", ids, month) < chance

    def step_sponsors(self, month: int, policy: dict) -> dict[str, np.ndarray]:
        """Families arriving at housed sponsors; those no longer fitting their home leave the table.

        Returns:
            The arrivals (persons, linked region) and the rows of households that
            re-enter the market (their columns).
        """
        s = self.sponsors
        came = self.arrives(s["id"], s["subsidiary"], month, policy)
        persons = s["abroad"][came].astype(np.int64)
        self.ledger["arrived"] += float(persons.sum())
        s["size"][came] += s["abroad"][came]
        s["abroad"][came] = 0
        too_small = came & (s["size"] > self.fits_max[s["home_type"]])
        out = s.select(too_small)
        arrived = {"persons": persons, "linked_region": s["linked_region"][came].copy()}
        s.keep(s["abroad"] > 0)  # sponsors whose family is complete are no longer followed
        return {"arrived": arrived, "reenter": out}

    def step(self, month: Month, policy: dict, queue: Queue, quota: Quota) -> Reunified:
        """Families arrive from abroad: at households still waiting, and at housed ones.

        A family joining a household in the market makes it larger there; one
        joining a housed household counts for the linked municipality's quota,
        and a home grown too small sends the household back to the queue.
        """
        table = queue.table
        waiting = table.waiting()
        rows = waiting[table["family_abroad"][waiting] > 0]
        came = rows[self.arrives(table["id"][rows], table["subsidiary"][rows], month.index, policy)]
        persons = table["family_abroad"][came].astype(np.int64)
        table["size"][came] += table["family_abroad"][came]
        table["family_abroad"][came] = 0
        large = is_large_family(table["size"][came])
        table["sh_type"][came] = np.where(
            large, StatusHolderType.LARGE_FAMILY, StatusHolderType.FAMILY_WITH_CHILDREN
        )
        table["children"][came] = True
        self.ledger["arrived"] += float(persons.sum())
        queue.sh_persons["arrived_in_market"] += int(persons.sum())
        in_reception = table["situation"][came] == Situation.RECEPTION
        result = Reunified(
            arrivals_in_market_persons=int(persons.sum()),
            arrivals_in_reception_persons=int(persons[in_reception].sum()),
        )

        step = self.step_sponsors(month.index, policy)
        arrived = step["arrived"]
        result.arrivals_at_home_persons = int(arrived["persons"].sum())
        if policy["policy.quota_in_force"]:  # family joining at home counts for the quota
            linked = arrived["linked_region"]
            mine = linked >= 0
            quota.record(linked[mine], arrived["persons"][mine].astype(float))
        out = step["reenter"]
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
        return result

    @property
    def abroad_of_sponsors(self) -> int:
        """Persons abroad waiting to join housed households (agent units)."""
        return int(self.sponsors["abroad"].sum())
