"""Tables of named numpy columns: the one pattern behind every table of the model.

The household table, the vacancy ledger, the letting log, the log of
households that left and the housed sponsors of family reunification are
each a :class:`ColumnTable`: columns of equal length, appended in batches
(with amortised growth), read as whole-column views, and thinned by a mask.
A subclass declares its columns once, in ``FIELDS``, with a dtype and a
default for appends that do not give that column.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np


class ColumnTable:
    """Named columns of equal length.

    Subclasses set ``FIELDS``: ``(name, dtype, default)`` per column. Columns
    are read as views over the used rows, by item (``table["size"]``) or by
    attribute (``table.size``); writing into a view writes the table.

    Args:
        capacity: Rows to reserve at first.
    """

    FIELDS: ClassVar[tuple[tuple[str, Any, Any], ...]] = ()

    def __init__(self, capacity: int = 0):
        cap = max(int(capacity), 16)
        self._cols = {name: np.zeros(cap, dtype) for name, dtype, _ in self.FIELDS}
        self._defaults = {name: default for name, _, default in self.FIELDS}
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, column: str) -> np.ndarray:
        """A writable view of one column over the used rows."""
        return self._cols[column][: self._n]

    def __getattr__(self, column: str) -> np.ndarray:
        cols = self.__dict__.get("_cols")
        if cols is None or column not in cols:
            raise AttributeError(column)
        return cols[column][: self._n]

    def __getstate__(self) -> dict:
        # Pickle only the used rows.
        state = self.__dict__.copy()
        state["_cols"] = {name: col[: self._n].copy() for name, col in self._cols.items()}
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(name for name, _, _ in self.FIELDS)

    def append(self, n: int, **values: Any) -> slice:
        """Add ``n`` rows; columns not given take their default.

        Args:
            n: How many rows.
            **values: Column values (arrays of length n, or scalars).

        Returns:
            The slice of the new rows.
        """
        if not values.keys() <= self._cols.keys():
            unknown = set(values) - set(self._cols)
            raise KeyError(f"unknown {type(self).__name__} columns: {sorted(unknown)}")
        self._reserve(self._n + n)
        rows = slice(self._n, self._n + n)
        defaults = self._defaults
        for name, col in self._cols.items():
            col[rows] = values.get(name, defaults[name])
        self._n += n
        return rows

    def _reserve(self, needed: int) -> None:
        capacity = len(next(iter(self._cols.values())))
        if needed <= capacity:
            return
        new_capacity = max(needed, int(capacity * 1.5))
        for name, col in self._cols.items():
            grown = np.zeros(new_capacity, col.dtype)
            grown[: self._n] = col[: self._n]
            self._cols[name] = grown

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the rows where ``mask`` is True (in their order)."""
        rows = np.flatnonzero(mask)  # once: indexing by rows is several times faster
        for col in self._cols.values():
            col[: len(rows)] = col[rows]
        self._n = len(rows)

    def select(self, rows: np.ndarray | slice, names: tuple[str, ...] | None = None) -> dict:
        """Copies of some rows, column by column."""
        return {name: self[name][rows].copy() for name in names or self.columns}

    def frame_columns(self) -> Mapping[str, np.ndarray]:
        """Every column over the used rows (views)."""
        return {name: self[name] for name in self.columns}
