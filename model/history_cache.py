"""The state the history leaves, kept for the next run that needs the same one.

Every run starts on 1 January 2022 and runs the history up to its start date
(``HousingMarket``). That history does not depend on the scenario (every lever
is at its default until the start date) but only on the seed, the scale, the
start date and the parameters that are not levers; so a comparison of two
scenarios, a sweep over levers and the test suite would run the same history
again and again. The state it leaves (households, stock, vacancies, reception,
the quota, families abroad, the random streams' carried remainders) is kept
here, pickled, for the runs in the same process, and a run restores it instead
of running the history again: the results are the same bytes either way
(``tests/test_history.py``).

The cache holds at most :data:`MAX_BYTES` of pickled states, the most recently
used first.
"""

from __future__ import annotations

import pickle
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from model.allocation.log import LettingLog
from model.base.calendar import Month
from model.inputs.history import HISTORY_START
from model.inputs.parameters import Parameters, parameter_specs

MAX_BYTES = 400_000_000  # a 1:1 state is about 60 MB pickled, a 1:10 state about 6 MB

# The sub-models a history leaves, by the market's attribute names.
PARTS = ("stock", "asylum", "reception", "reunification", "queue", "quota", "streams", "history")


def history_key(seed: int, params: Parameters) -> tuple:
    """What the history depends on: the seed, the start date and every parameter that is
    not a lever (the levers are at their defaults until the start date)."""
    specs = parameter_specs()
    values = tuple(
        sorted(
            (name, repr(value))
            for name, value in params.values.items()
            if not specs[name].lever and name != "calendar.months"
        )
    )
    return seed, values


class HistoryCache:
    """Pickled states the history left, by :func:`history_key`."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._states: OrderedDict[tuple, bytes] = OrderedDict()

    def store(self, key: tuple, market: Any) -> None:
        """Keep the state ``market`` is in (its sub-models and the allocation's budgets)."""
        state = {name: getattr(market, name) for name in PARTS}
        state["budgets"] = market.allocation.budgets
        data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) > self.max_bytes:
            return
        self._states[key] = data
        self._states.move_to_end(key)
        while sum(len(v) for v in self._states.values()) > self.max_bytes:
            self._states.popitem(last=False)

    def restore(self, key: tuple, market: Any) -> bool:
        """Put a kept state into ``market``; False when there is none for ``key``."""
        data = self._states.get(key)
        if data is None:
            return False
        self._states.move_to_end(key)
        state = pickle.loads(data)
        market.allocation.budgets = state.pop("budgets")
        for name, part in state.items():
            setattr(market, name, part)
        return True

    def clear(self) -> None:
        """Forget every kept state."""
        self._states.clear()


history_cache = HistoryCache()


def run_history(market: Any, advance: Callable[[Month], Any]) -> None:
    """Run (or restore) the months from HISTORY_START to ``market``'s start date with
    ``advance`` (the market's month under the rules then), then make the end of the
    history the start: the clock on the month before the start date, the letting log and
    the quota's half-year table empty (the months are not reported), and the agents of the
    households gone forgotten. Attribution is off while the history runs."""
    key = history_key(market.seed, market.params)
    months = market._offset
    if not history_cache.restore(key, market):
        attribution, market.allocation.attribution = market.allocation.attribution, False
        for index in range(months):
            advance(Month.of(HISTORY_START, index))
        market.allocation.attribution = attribution
        history_cache.store(key, market)
    market.clock = Month.of(HISTORY_START, months - 1)
    market.lettings_log = LettingLog(market.allocation.attribution)
    market.quota.forget_half_years()  # half years from the start date on
    market.queue.take_gone_ids()
