"""The household table: per-household state as numpy columns.

Every household in the market is one row; each Mesa agent (``agents/``) is a
thin view on its row, found by household id. The monthly market runs on whole
columns at once, so that 400,000 households take array operations and not a
Python loop.

Rows are appended as households enter and kept while they wait. When a
household is housed or leaves the market its row is marked and, once enough
rows are marked, the table is compacted. Household ids are given by the
caller (``model.population.household_ids``) and must be appended in
increasing order, so the id column stays sorted and ``row_of`` is a binary
search.

With ``households_per_agent`` K > 1 a row stands for K identical households;
the model multiplies by K whenever it reports a figure.
"""

from __future__ import annotations

import numpy as np

from model.calendar import NEVER

# Groups (the agent class a household entered as; it never changes).
REGULAR, URGENT, STATUS_HOLDER = 0, 1, 2
GROUPS = ("regular", "urgent", "status_holder")

# Where a household lives while it waits ("current situation").
WITH_PARENTS, PRIVATE_RENT, DOUBLED_UP, SOCIAL_TENANT, RECEPTION, STARTUP_HOME, SHELTER = range(7)
SITUATIONS = (
    "with_parents",
    "private_rent",
    "doubled_up",
    "social_tenant",
    "reception",
    "startup_home",
    "shelter",
)

# Life-cycle state of a row.
WAITING, HOUSED, LEFT = 0, 1, 2

# Why a household left the market without a social home.
EXIT_PRIVATE_RENT, EXIT_BUY, EXIT_MOVE_AWAY, EXIT_OTHER = range(4)
EXIT_REASONS = ("private_rent", "buy", "move_away", "other")

# Urgency grounds.
URGENCY_GROUNDS = (
    "medical",
    "social",
    "leaving_shelter",
    "divorce_with_children",
    "urban_renewal",
    "other",
)
NO_GROUND = -1

# Status-holder household types.
SH_SINGLE, SH_WAITING_FOR_FAMILY, SH_FAMILY, SH_LARGE_FAMILY = range(4)
SH_TYPES = ("single", "single_waiting_for_family", "family_with_children", "large_family")
NO_SH_TYPE = -1

COLUMNS: dict[str, np.dtype] = {
    "id": np.dtype(np.int64),
    "group": np.dtype(np.int8),
    "state": np.dtype(np.int8),
    "region": np.dtype(np.int8),
    "size": np.dtype(np.int16),
    "registration_day": np.dtype(np.int32),
    "entry_day": np.dtype(np.int32),
    "situation": np.dtype(np.int8),
    "home_type": np.dtype(np.int8),  # dwelling type the household leaves behind, -1 none
    "exit_budget": np.dtype(
        np.float32
    ),  # exponential draw; leaves when the hazard spent exceeds it
    "exit_spent": np.dtype(np.float32),  # cumulative exit hazard spent while waiting
    "exit_reason": np.dtype(np.int8),
    "activity": np.dtype(np.float32),  # chance of reacting to adverts in a month
    "refusal": np.dtype(np.float32),  # chance of refusing an offer
    "urgency_ground": np.dtype(np.int8),
    "urgency_day": np.dtype(np.int32),  # day the declaration was granted (NEVER: none)
    "urgency_expiry_day": np.dtype(np.int32),
    "urgency_active": np.dtype(bool),
    "residence_permit": np.dtype(bool),  # foreign national holding a residence permit
    "children": np.dtype(bool),  # minor children in the household
    "subsidiary": np.dtype(bool),  # status holders: subsidiary protection (two-status system)
    "permit_day": np.dtype(np.int32),  # status holders: day of the asylum permit
    "linked_region": np.dtype(np.int8),  # status holders: quota municipality's region, -1 none
    "reception_region": np.dtype(np.int8),  # status holders: region of the reception centre
    "sh_type": np.dtype(np.int8),
    "family_abroad": np.dtype(np.int16),  # persons waiting abroad to join (nareizigers)
    "startup_day": np.dtype(np.int32),  # day moved into a start-up home (NEVER: not)
    "out_day": np.dtype(np.int32),  # day housed or left
}

DEFAULTS: dict[str, int | float | bool] = {
    "state": WAITING,
    "home_type": -1,
    "exit_budget": np.inf,
    "exit_reason": EXIT_OTHER,
    "urgency_ground": NO_GROUND,
    "urgency_day": NEVER,
    "urgency_expiry_day": NEVER,
    "urgency_active": False,
    "residence_permit": False,
    "children": False,
    "subsidiary": False,
    "permit_day": NEVER,
    "linked_region": -1,
    "reception_region": -1,
    "sh_type": NO_SH_TYPE,
    "family_abroad": 0,
    "startup_day": NEVER,
    "out_day": NEVER,
}


class HouseholdTable:
    """Columns of per-household state, with append, lookup and compaction."""

    def __init__(self, capacity: int = 1024):
        self._cols = {name: np.zeros(max(capacity, 16), dtype) for name, dtype in COLUMNS.items()}
        self._n = 0
        self._dead = 0

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, column: str) -> np.ndarray:
        """A writable view of one column over the used rows."""
        return self._cols[column][: self._n]

    def append(self, n: int, **values: np.ndarray | int | float | bool) -> slice:
        """Add ``n`` waiting households; columns not given take their defaults.

        Args:
            n: How many rows.
            **values: Column values (arrays of length n, or scalars).

        Returns:
            The slice of the new rows.
        """
        unknown = set(values) - set(COLUMNS)
        if unknown:
            raise KeyError(f"unknown household columns: {sorted(unknown)}")
        ids = np.asarray(values["id"], np.int64)
        if n and (np.any(np.diff(ids) <= 0) or (self._n and ids[0] <= self["id"][-1])):
            raise ValueError("household ids must be appended in increasing order")
        self._reserve(self._n + n)
        rows = slice(self._n, self._n + n)
        for name, col in self._cols.items():
            if name in values:
                col[rows] = values[name]
            else:
                col[rows] = DEFAULTS.get(name, 0)
        self._n += n
        return rows

    def _reserve(self, needed: int) -> None:
        capacity = len(self._cols["id"])
        if needed <= capacity:
            return
        new_capacity = max(needed, int(capacity * 1.5))
        for name, col in self._cols.items():
            grown = np.zeros(new_capacity, col.dtype)
            grown[: self._n] = col[: self._n]
            self._cols[name] = grown

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

    def waiting(self) -> np.ndarray:
        """Row indices of households still waiting."""
        return np.flatnonzero(self["state"] == WAITING)

    def mark_out(self, rows: np.ndarray, state: int, day: int) -> None:
        """Mark rows housed or left; compaction drops them later."""
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
        keep = self["state"] == WAITING
        m = int(keep.sum())
        for _name, col in self._cols.items():
            col[:m] = col[: self._n][keep]
        self._n = m
        self._dead = 0
        return True
