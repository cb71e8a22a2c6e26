"""The household table: per-household state as numpy columns.

Every household in the market is one row; each Mesa agent (``agents/``) is a
thin view on its row, found by household id. The monthly market runs on whole
columns at once, so that 400,000 households take array operations and not a
Python loop.

Rows are appended as households enter and kept while they wait. When a
household is housed or leaves the market its row is marked and, once enough
rows are marked, the table is compacted. Household ids are given by the
caller (``model.households.population.household_ids``) and must be appended in
increasing order, so the id column stays sorted and ``row_of`` is a binary
search.

With ``households_per_agent`` K > 1 a row stands for K identical households;
the model multiplies by K whenever it reports a figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.base.calendar import NEVER
from model.base.codes import NO_GROUND, NO_SH_TYPE, ExitReason, Situation, State
from model.base.columns import ColumnTable

# Households of this many persons or more are large families: they fit only a
# large home, and the national pool for large families serves them (letter:
# regeling Huisvesting Grote Gezinnen Vergunninghouders, 6 or more persons).
LARGE_FAMILY_PERSONS = 6


def is_large_family(size: np.ndarray | int) -> np.ndarray | bool:
    """Whether households of ``size`` persons are large families (6 or more)."""
    return np.asarray(size) >= LARGE_FAMILY_PERSONS


class HouseholdTable(ColumnTable):
    """Per-household state: append, lookup by id, and compaction.

    Household ids are given by the caller (``model.households.population.household_ids``)
    and must be appended in increasing order, so the id column stays sorted and
    ``row_of`` is a binary search.
    """

    FIELDS = (
        ("id", np.int64, 0),
        ("group", np.int8, 0),
        ("state", np.int8, State.WAITING),
        ("region", np.int8, 0),
        ("size", np.int16, 0),
        ("registration_day", np.int32, 0),
        ("entry_day", np.int32, 0),
        ("situation", np.int8, 0),
        ("home_type", np.int8, -1),  # dwelling type the household leaves behind, -1 none
        ("exit_budget", np.float32, np.inf),  # exponential draw; leaves when spent exceeds it
        ("exit_spent", np.float32, 0.0),  # cumulative exit hazard spent while waiting
        ("exit_reason", np.int8, ExitReason.OTHER),
        ("activity", np.float32, 0.0),  # chance of reacting to adverts in a month
        ("refusal", np.float32, 0.0),  # chance of refusing an offer
        ("urgency_ground", np.int8, NO_GROUND),
        ("urgency_day", np.int32, NEVER),  # day the declaration was granted (NEVER: none)
        ("urgency_expiry_day", np.int32, NEVER),
        ("urgency_active", bool, False),
        ("residence_permit", bool, False),  # foreign national holding a residence permit
        ("children", bool, False),  # minor children in the household
        ("subsidiary", bool, False),  # status holders: subsidiary protection (two-status system)
        ("permit_day", np.int32, NEVER),  # status holders: day of the asylum permit
        ("linked_region", np.int8, -1),  # status holders: quota municipality's region, -1 none
        # status holders: region responsible for civic integration assigned before
        # housing (the quota link or the alternative coupling); -1: none, the BRP
        # registration where they are housed decides (the letting log records it)
        ("responsible_region", np.int8, -1),
        ("reception_region", np.int8, -1),  # status holders: region of the reception centre
        ("sh_type", np.int8, NO_SH_TYPE),
        ("family_abroad", np.int16, 0),  # persons waiting abroad to join (nareizigers)
        ("family_due_day", np.int32, NEVER),  # day the family abroad is due to arrive
        # status holders whose family joined them in a home too small: the persons living
        # there, while the family waits in reception (0: the whole household is where
        # its situation says)
        ("persons_at_home", np.int16, 0),
        ("family_joined", np.int16, 0),  # persons who joined from abroad while in the market
        # day first moved into a temporary home (flex, start-up, shared; NEVER: not), and
        # the day its contract ends while the household lives there
        ("temporary_day", np.int32, NEVER),
        ("contract_end_day", np.int32, NEVER),
        ("out_day", np.int32, NEVER),  # day housed or left
    )

    def __init__(self, capacity: int = 1024):
        super().__init__(capacity)
        self._dead = 0
        self._waiting: np.ndarray | None = None  # rows still waiting, until a state changes

    def append(self, n: int, **values) -> slice:
        """Add ``n`` waiting households (ids increasing); columns not given take their defaults."""
        ids = np.asarray(values["id"], np.int64)
        if n and (np.any(np.diff(ids) <= 0) or (self._n and ids[0] <= self["id"][-1])):
            raise ValueError("household ids must be appended in increasing order")
        self._waiting = None
        return super().append(n, **values)

    def row_of(self, ids: np.ndarray | int) -> np.ndarray | int:
        """Row index of household id(s) still in the table.

        Raises:
            KeyError: An id is not in the table (never existed, or compacted away).
        """
        ids_col = self["id"]
        rows = np.searchsorted(ids_col, ids)
        ok = (rows < self._n) & (ids_col[np.minimum(rows, max(self._n - 1, 0))] == ids)
        if not np.all(ok):
            raise KeyError(f"household id(s) not in the table: {np.asarray(ids)[~np.asarray(ok)]}")
        return rows

    def reception_persons(self, rows: np.ndarray) -> np.ndarray:
        """Persons of each household in ``rows`` who are in reception (those of a status
        holder in reception less any living in its home, ``persons_at_home``)."""
        return self["size"][rows].astype(np.int64) - self["persons_at_home"][rows]

    def waiting(self) -> np.ndarray:
        """Row indices of households still waiting (read-only: kept until a row is
        appended, marked out or dropped; ``mark_out`` is the one way to change a state)."""
        if self._waiting is None:
            self._waiting = np.flatnonzero(self["state"] == State.WAITING)
            self._waiting.flags.writeable = False
        return self._waiting

    def queue(self, waiting: np.ndarray | None = None) -> np.ndarray:
        """Rows of the queue: households still waiting without a temporary home (those in
        one search on, but have a home for now: like the flex tenants of the start state,
        who are not in the queue)."""
        waiting = self.waiting() if waiting is None else waiting
        return waiting[self["situation"][waiting] != Situation.TEMPORARY_HOME]

    def mark_out(self, rows: np.ndarray, state: int, day: int) -> None:
        """Mark rows housed or left; compaction drops them later."""
        self._waiting = None
        self["state"][rows] = state
        self["out_day"][rows] = day
        self._dead += len(rows)

    def compact(self, min_dead_share: float = 0.25) -> bool:
        """Drop rows no longer waiting once they are at least ``min_dead_share``.

        Returns:
            True if the table was compacted (row indices changed).
        """
        if self._n == 0 or self._dead < min_dead_share * self._n:
            return False
        self.keep(self["state"] == State.WAITING)
        self._dead = 0
        return True

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where ``mask`` is True (in their order)."""
        self._waiting = None
        super().keep(mask)


class OutcomeLog(ColumnTable):
    """Every household that left the market: who it was, and when and how it left.

    With the households still waiting (censored), this is what the equal
    playing field measure needs: the chance of being housed within N years
    for comparable households of each group.
    """

    FIELDS = (
        ("id", np.int64, 0),
        ("group", np.int8, 0),
        ("region", np.int8, 0),
        ("size", np.int16, 0),
        ("children", bool, False),
        ("registration_day", np.int32, 0),
        ("entry_day", np.int32, 0),
        ("out_day", np.int32, 0),
        ("temporary_day", np.int32, 0),
        ("linked_region", np.int8, -1),
        ("responsible_region", np.int8, -1),
        ("state", np.int8, 0),
    )

    def add(self, table, rows: np.ndarray, state: int) -> None:
        """Households in ``rows`` of the table leave with ``state`` (housed or left)."""
        if len(rows) == 0:
            return
        values = {name: table[name][rows] for name in self.columns if name != "state"}
        self.append(len(rows), state=state, **values)

    def frame(self, table) -> pd.DataFrame:
        """All households that entered: those gone, and those still waiting (state 0).

        Day columns are day numbers; ``out_day`` and ``temporary_day`` are
        ``NEVER`` where the event did not happen.
        """
        waiting = table.waiting()
        cols = {
            name: np.concatenate([self[name], table[name][waiting].astype(dtype)])
            for name, dtype, _ in self.FIELDS
        }
        return pd.DataFrame(cols)
