"""Calendar arithmetic for monthly steps on real dates.

Dates inside the model are *day numbers*: whole days since 1970-01-01, held in
numpy ``int32`` columns so that ageing and the 14-week norm are array
operations. A simulated month runs from its first day up to the first day of
the next month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

EPOCH = dt.date(1970, 1, 1)
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
NEVER = np.iinfo(np.int32).max  # a day number that is never reached


def as_date(value) -> dt.date | None:
    """A calendar date from a date or ISO text (YYYY-MM-DD); None for anything else."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def add_months(date: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later (the day must exist)."""
    index = date.year * 12 + (date.month - 1) + months
    return dt.date(index // 12, index % 12 + 1, date.day)


def day_number(date: dt.date) -> int:
    """Days since 1970-01-01."""
    return (date - EPOCH).days


def date_of(day: int) -> dt.date:
    """The date of a day number."""
    return EPOCH + dt.timedelta(days=int(day))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (both first of a month)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


def half_year_of(date: dt.date) -> tuple[int, int]:
    """(year, 1 or 2): the half year a date falls in, as the quota counts it."""
    return date.year, 1 if date.month <= 6 else 2


@dataclass(frozen=True)
class Month:
    """One simulated month: its index and its days.

    Attributes:
        index: 0 for the first simulated month (-1: the start state).
        first: Its first day (a date).
        day0: Its first day (a day number).
        day_end: The first day of the next month (a day number).
    """

    index: int
    first: dt.date
    day0: int
    day_end: int

    @classmethod
    def of(cls, start: dt.date, index: int) -> Month:
        """The ``index``-th month from ``start``; index -1 is the start state (0 days)."""
        first = add_months(start, max(index, 0))
        day0 = day_number(first)
        day_end = day_number(add_months(first, 1)) if index >= 0 else day0
        return cls(index, first, day0, day_end)

    @property
    def last_day(self) -> int:
        """The month's last day (lettings are stamped with it)."""
        return self.day_end - 1
