"""Household agents: regular seekers, urgent seekers and status holders.

Each agent is a Mesa ``Agent`` and a thin view on its row of the model's
household table (``model.households``): reading ``agent.size`` reads the
table. The behaviour of a class lives in class-level methods that act on all
of its rows at once (who reacts to adverts this month, who refuses an offer,
who leaves the market, whose urgency declaration lapses), so the national
market runs as array operations; the instance methods apply the same rules
to the agent's own row, so that one household can be inspected on its own.

The class-level rules read only what a :class:`Rules` context gives them (the
table, the streams, the month, the exit hazards in force), so a rule can be
tested on a table of its own; this package imports nothing of the model but
its base.

With ``households_per_agent`` K > 1 an agent stands for K identical households.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import mesa
import numpy as np

from model.base.calendar import date_of
from model.base.codes import (
    EXIT_REASONS,
    GROUPS,
    SH_TYPES,
    SITUATIONS,
    URGENCY_GROUNDS,
    Group,
    Situation,
    State,
)

if TYPE_CHECKING:
    from model.base.streams import Streams


@dataclass(frozen=True)
class Rules:
    """What the household classes' rules read in a month.

    Attributes:
        table: The household table (numpy columns by name; rules may write a
            household's own columns: its exit hazard spent, its urgency).
        streams: The run's random streams (counter-based draws per household).
        month: The month's index.
        exit_hazard: Monthly chance a seeker leaves the market (private rent,
            buying, moving away).
        reception_exit_hazard: Monthly chance a status holder in reception
            leaves for a home found themselves, under the policy in force.
    """

    table: Any
    streams: Streams
    month: int
    exit_hazard: float
    reception_exit_hazard: float


def same_for_every_class(rule):
    """Mark a class-level rule that does not depend on the class it is called on, so
    ``by_class`` may apply it to the rows of several classes at once."""
    rule.same_for_every_class = True
    return rule


def by_class(rule: str, rules: Rules, rows: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Each household class's rule ``rule`` (a class-level method) on its own ``rows``
    (``group``: their groups), as one array in the order of ``rows``.

    Classes that share a rule marked ``same_for_every_class`` (not overridden)
    run it together, once: the result is the same, without splitting the rows.
    """
    classes = list(AGENT_CLASSES.items())
    functions = {getattr(cls, rule).__func__ for _, cls in classes}
    if len(functions) == 1 and getattr(next(iter(functions)), "same_for_every_class", False):
        return getattr(classes[0][1], rule)(rules, rows)
    out = None
    for g, cls in classes:
        mine = np.flatnonzero(group == g)  # indices: faster than a mask, used twice
        got = getattr(cls, rule)(rules, rows[mine])
        if out is None:
            out = np.zeros(len(rows), got.dtype)
        out[mine] = got
    return out


class Household(mesa.Agent):
    """A household in the social rental market (base class).

    Args:
        model: The housing market.
        household_id: The household's id in ``model.households``.

    Attributes:
        household_id: Stable id of the household (also in the letting records).
    """

    group: ClassVar[int]

    def __init__(self, model: mesa.Model, household_id: int):
        super().__init__(model)
        self.household_id = int(household_id)

    # -- behaviour of all households of a class at once ----------------------

    @classmethod
    @same_for_every_class
    def reacts(cls, rules: Rules, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` react to advertised homes this month.

        Each household has its own search activity (a chance per month); the
        draw is counter-based, so it is the same under every policy.
        """
        table = rules.table
        u = rules.streams.uniform("active", table["id"][rows], rules.month)
        return u < table["activity"][rows]

    @classmethod
    @same_for_every_class
    def refuses(cls, rules: Rules, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` would refuse an offer made this month."""
        table = rules.table
        u = rules.streams.uniform("refuse", table["id"][rows], rules.month)
        return u < table["refusal"][rows]

    @classmethod
    def monthly_exit_hazard(cls, rules: Rules, rows: np.ndarray) -> np.ndarray | float:
        """Chance per month of leaving the market (private rent, buying, moving away): one
        per row, or one number for all of them."""
        return float(rules.exit_hazard)

    @classmethod
    def leaves(cls, rules: Rules, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` leave the market this month.

        Each household drew an exit budget when it entered (an exponential
        number); the hazard in force each month is spent from it, and the
        household leaves when the budget is used up. That keeps each
        household's luck fixed while the hazard may change with policy.
        """
        table = rules.table
        hazard = np.asarray(cls.monthly_exit_hazard(rules, rows), np.float64)
        spent = table["exit_spent"][rows] - np.log1p(-hazard)  # (a float64 even if one number)
        table["exit_spent"][rows] = spent
        return spent >= table["exit_budget"][rows]

    # -- the same rules for one household -------------------------------------

    @property
    def _row(self) -> int:
        return int(self.model.households.row_of(self.household_id))

    def _get(self, column: str):
        return self.model.households[column][self._row]

    @property
    def group_name(self) -> str:
        """'regular', 'urgent' or 'status_holder'."""
        return GROUPS[self.group]

    @property
    def size(self) -> int:
        """Persons in the household."""
        return int(self._get("size"))

    @property
    def region(self) -> str:
        """Name of the region the household searches in."""
        return self.model.params.regions.names[int(self._get("region"))]

    @property
    def registration_date(self) -> dt.date:
        """Date of registration as a home seeker."""
        return date_of(int(self._get("registration_day")))

    @property
    def entry_date(self) -> dt.date:
        """Date the household entered the market (started searching, declaration, permit)."""
        return date_of(int(self._get("entry_day")))

    @property
    def situation(self) -> str:
        """Where the household lives while it waits."""
        return SITUATIONS[int(self._get("situation"))]

    @property
    def leaves_a_social_home(self) -> bool:
        """True when housing it frees a corporation home (a vacancy chain)."""
        return int(self._get("home_type")) >= 0

    @property
    def exit_reason(self) -> str:
        """Why it would leave the market without a social home."""
        return EXIT_REASONS[int(self._get("exit_reason"))]

    def reacts_this_month(self) -> bool:
        """Whether it reacts to advertised homes this month."""
        return bool(type(self).reacts(self.model.rules(), np.array([self._row]))[0])

    def refuses_offer_this_month(self) -> bool:
        """Whether it would refuse an offer made this month."""
        return bool(type(self).refuses(self.model.rules(), np.array([self._row]))[0])

    def describe(self) -> dict:
        """The household's state as a plain dict (for inspection and the app)."""
        return {
            "household_id": self.household_id,
            "group": self.group_name,
            "size_persons": self.size,
            "region": self.region,
            "registration_date": self.registration_date.isoformat(),
            "entry_date": self.entry_date.isoformat(),
            "situation": self.situation,
            "leaves_a_social_home": self.leaves_a_social_home,
        }


class RegularSeeker(Household):
    """A regular home seeker (reguliere woningzoekende), ranked by registration time."""

    group = Group.REGULAR


class UrgentSeeker(Household):
    """A household with an urgency declaration (urgent, spoedzoeker).

    The declaration gives priority for a limited time; when it lapses, or the
    household refuses a suitable direct offer, it falls back to the regular
    list with its registration time.
    """

    group = Group.URGENT

    @classmethod
    def lapse_expired(cls, rules: Rules, rows: np.ndarray, day: int) -> np.ndarray:
        """End the declarations of ``rows`` that expire on or before ``day``.

        Returns:
            The rows whose declaration lapsed unserved.
        """
        table = rules.table
        expired = rows[table["urgency_active"][rows] & (table["urgency_expiry_day"][rows] <= day)]
        table["urgency_active"][expired] = False
        return expired

    @property
    def urgency_ground(self) -> str | None:
        """The ground of the declaration (None if it was not granted)."""
        g = int(self._get("urgency_ground"))
        return URGENCY_GROUNDS[g] if g >= 0 else None

    @property
    def has_urgency(self) -> bool:
        """Whether the declaration is still in force."""
        return bool(self._get("urgency_active"))

    @property
    def urgency_expiry_date(self) -> dt.date:
        """The day the declaration lapses."""
        return date_of(int(self._get("urgency_expiry_day")))

    def describe(self) -> dict:
        return super().describe() | {
            "urgency_ground": self.urgency_ground,
            "has_urgency": self.has_urgency,
            "urgency_expiry_date": self.urgency_expiry_date.isoformat(),
        }


class StatusHolder(Household):
    """A refugee household with a residence permit (statushouder, vergunninghouder).

    It waits in reception (COA) until it is housed: placed by the municipality
    it is linked to for the quota while priority is allowed, or through the
    regular list, with a registration time that starts at the permit.
    """

    group = Group.STATUS_HOLDER

    @classmethod
    def monthly_exit_hazard(cls, rules: Rules, rows: np.ndarray) -> np.ndarray:
        """In reception: leaving for a home found themselves (or departure), at its own rate;
        elsewhere (a start-up home) like any seeker."""
        in_reception = rules.table["situation"][rows] == Situation.RECEPTION
        return np.where(in_reception, rules.reception_exit_hazard, rules.exit_hazard)

    @property
    def permit_date(self) -> dt.date:
        """Date of the residence permit."""
        return date_of(int(self._get("permit_day")))

    @property
    def household_type(self) -> str:
        """single, single_waiting_for_family, family_with_children or large_family."""
        return SH_TYPES[int(self._get("sh_type"))]

    @property
    def linked_region(self) -> str | None:
        """Region of the municipality it is linked to for the quota (None without a link)."""
        r = int(self._get("linked_region"))
        return self.model.params.regions.names[r] if r >= 0 else None

    @property
    def family_abroad(self) -> int:
        """Family members still abroad (nareizigers) who will join."""
        return int(self._get("family_abroad"))

    def weeks_since_permit(self) -> float:
        """Weeks from the permit to the end of the current month."""
        return (self.model.clock.day_end - int(self._get("permit_day"))) / 7.0

    def describe(self) -> dict:
        return super().describe() | {
            "permit_date": self.permit_date.isoformat(),
            "household_type": self.household_type,
            "linked_region": self.linked_region,
            "family_abroad_persons": self.family_abroad,
            "weeks_since_permit": round(self.weeks_since_permit(), 1),
        }


AGENT_CLASSES: dict[int, type[Household]] = {
    Group.REGULAR: RegularSeeker,
    Group.URGENT: UrgentSeeker,
    Group.STATUS_HOLDER: StatusHolder,
}


class HouseholdAgents:
    """The Mesa agents of waiting households, made on demand (through Mesa's own
    constructor) the first time somebody asks: a run that never looks at agents never
    pays for them. The household table stays the state; an agent is a view on its row.

    Args:
        model: The Mesa model the agents belong to.
    """

    def __init__(self, model: mesa.Model):
        self.model = model
        self._of: dict[int, Household] = {}

    def make_waiting(self, table: Any) -> None:
        """Make the agents of every waiting household that has none yet."""
        waiting = table.waiting()
        missing = [i for i in table["id"][waiting].tolist() if i not in self._of]
        if not missing:
            return
        groups = table["group"][table.row_of(np.asarray(missing, np.int64))]
        for hid, g in zip(missing, groups.tolist(), strict=True):
            self._of[hid] = AGENT_CLASSES[g](self.model, hid)

    def of(self, table: Any, household_id: int) -> Household:
        """The agent of a household still waiting (made if it did not exist yet).

        Raises:
            KeyError: No household with that id is waiting.
        """
        hid = int(household_id)
        if hid not in self._of:
            row = table.row_of(hid)
            if table["state"][row] != State.WAITING:
                raise KeyError(f"household {hid} is no longer in the market")
            self._of[hid] = AGENT_CLASSES[int(table["group"][row])](self.model, hid)
        return self._of[hid]

    def remove(self, gone_ids: np.ndarray) -> None:
        """Remove the agents of households that left the table (if they were made)."""
        if self._of:
            for hid in gone_ids.tolist():
                agent = self._of.pop(hid, None)
                if agent is not None:
                    agent.remove()
