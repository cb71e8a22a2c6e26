"""The municipal quota for housing status holders (huisvestingstaakstelling).

The national government sets a target per half year from the expected number
of permits; each region's share follows its population. Status holders
linked to a region and housed there count towards its target, in persons.
Shortfalls carry over as backlog, surpluses as a lead. Municipalities spread
the remaining need of the half year over its
remaining months; how many they can actually place is capped by the
allocation route (``status_holders.quota_placement_max_share``).

All figures here are in agent-unit persons (persons / households_per_agent).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from model.base.calendar import Month, add_months, day_number, half_year_of

if TYPE_CHECKING:
    from model.asylum.reunification import Reunification
    from model.households.queue import Queue


class Quota:
    """Half-year targets, persons housed, and the backlog per region.

    Args:
        population_share: Each region's share of the population.
        initial_backlog: Persons per region already overdue at the start.

    Attributes:
        due_before: Persons due by the end of the previous half year (cumulative,
            including the initial backlog).
        due: Persons due by the end of the current half year (cumulative).
        housed: Persons housed (cumulative since the start).
        half_year: The (year, half) the targets were last set for.
        realisation: One record per completed half year: target, housed, backlog.
    """

    def __init__(self, population_share: np.ndarray, initial_backlog: np.ndarray):
        self.share = np.asarray(population_share, float)
        self.due_before = np.asarray(initial_backlog, float).copy()
        self.due = self.due_before.copy()
        self.housed = np.zeros(len(self.share))
        self.half_year: tuple[int, int] | None = None
        self._housed_at_half_start = self.housed.copy()
        self._target_this_half = np.zeros(len(self.share))
        self.realisation: list[dict] = []

    def start_month(self, date: dt.date, permits_persons_per_year: float) -> None:
        """At the first month of a half year, close the last one and set its target."""
        half = half_year_of(date)
        if half == self.half_year:
            return
        if self.half_year is not None:
            year, h = self.half_year
            self.realisation.append(
                {
                    "half_year": f"{year}-H{h}",
                    "target": self._target_this_half.copy(),
                    "housed": self.housed - self._housed_at_half_start,
                    "backlog_after": np.maximum(self.due - self.housed, 0.0),
                    "lead_after": self.lead,
                }
            )
        self.half_year = half
        self.due_before = self.due.copy()
        self._target_this_half = permits_persons_per_year / 2.0 * self.share
        self.due = self.due + self._target_this_half
        self._housed_at_half_start = self.housed.copy()

    @staticmethod
    def forecast_per_year(
        permits_per_year: float, reunification: Reunification, queue: Queue, month: Month
    ) -> float:
        """The national target's yearly rate as the government forecasts it (agent-unit
        persons): the permits expected over the coming half year plus the families
        expected to join from abroad in it."""
        half_year = day_number(add_months(month.first, 6))
        return permits_per_year + 2 * reunification.due_persons(queue, half_year)

    def monthly_need(self, date: dt.date) -> np.ndarray:
        """Persons each region aims to house this month to meet the half-year target."""
        months_left = 6 - (date.month - 1) % 6
        return np.maximum(self.due - self.housed, 0.0) / months_left

    def record(self, region: np.ndarray, persons: np.ndarray) -> None:
        """Status holders housed in their linked region, or settled there on their own."""
        np.add.at(self.housed, region, persons)

    def backlog(self, date: dt.date) -> np.ndarray:
        """Persons behind the target pro rata, per region (never negative).

        The target of the current half year is due in six equal monthly
        parts, so the series is smooth; the official figure at the end of a
        half year is in ``realisation``.
        """
        elapsed = (date.month - 1) % 6 + 1  # months of this half year simulated by `date`'s end
        due = self.due_before + self._target_this_half * elapsed / 6
        return np.maximum(due - self.housed, 0.0)

    def backlog_at(self, month: Month) -> np.ndarray:
        """Persons behind at the end of ``month`` (the start state: before the first half
        year), per region."""
        return self.backlog_before() if month.index < 0 else self.backlog(month.first)

    def backlog_before(self) -> np.ndarray:
        """Persons overdue from completed half years, per region (never negative)."""
        return np.maximum(self.due_before - self.housed, 0.0)

    @property
    def lead(self) -> np.ndarray:
        """Persons housed beyond everything due so far, per region."""
        return np.maximum(self.housed - self.due, 0.0)
