"""The room: the runs that groups named, side by side for the facilitator.

A group (``gemeente``, ``corporatie``, ``COA``) that names its run appears
in the room; the facilitator's *Zaal* tab shows every named run's settings
and headline figures, live, and sends any two to the comparison. A run
without a name stays private to its tab.

The room lives in the server's memory only: nothing is written anywhere (a
group that wants to keep its run saves it, as a link or a file). A tab that
closes leaves the room; a server restart empties it.
"""

from __future__ import annotations

import dataclasses
import itertools
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from workshop import columns as col
from workshop.config import Config
from workshop.text import money, number, rounded, t


@dataclasses.dataclass(frozen=True)
class Entry:
    """A named run as the room sees it.

    Attributes:
        key: The tab's own key (stable while the tab is open).
        name: The name the group gave.
        config: The settings of the run on screen.
        frame: Its newest frame (``workshop.live.Frame``), or None before the first.
        comparison: The group's last finished comparison, if any.
        regions: Fetches the run's regional figures (for a handout), or None.
        changed: The group has moved settings it has not started yet.
    """

    key: str
    name: str
    config: Config
    frame: Any = None
    comparison: Any = None
    regions: Callable[[], Any] | None = None
    changed: bool = False


class Room:
    """The named runs of every tab on this server, in memory."""

    def __init__(self):
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Condition()
        self.version = 0
        self._keys = itertools.count(1)

    def new_key(self) -> str:
        """A key for a new tab."""
        return f"t{next(self._keys)}"

    def put(self, entry: Entry) -> None:
        """Add or update a tab's run (an empty name takes it out of the room)."""
        with self._lock:
            if entry.name:
                self._entries[entry.key] = entry
            elif self._entries.pop(entry.key, None) is None:
                return
            self.version += 1
            self._lock.notify_all()

    def remove(self, key: str) -> None:
        """The tab closed: its run leaves the room."""
        with self._lock:
            if self._entries.pop(key, None) is not None:
                self.version += 1
                self._lock.notify_all()

    def get(self, key: str) -> Entry | None:
        with self._lock:
            return self._entries.get(key)

    def entries(self) -> list[Entry]:
        """The named runs, by name."""
        with self._lock:
            return sorted(self._entries.values(), key=lambda e: (e.name.lower(), e.key))

    def wait(self, version: int, timeout: float) -> int:
        """Until the room changes from ``version`` (or the timeout); the version now."""
        with self._lock:
            self._lock.wait_for(lambda: self.version != version, timeout)
            return self.version


ROOM = Room()  # the server's one room


def _last_year(frame, name: str) -> float:
    """A flow over the last twelve months (or the months so far), a year's worth."""
    flows = np.asarray(frame.series.get(name, np.zeros(1)), float)[1:]
    recent = flows[-12:]
    return float(np.nansum(recent) * 12 / len(recent)) if len(recent) else float("nan")


def headline(frame, lang: str, short: bool = False) -> list[tuple[str, str, str]]:
    """The figures a room compares runs by: (label, value, unit), in real households or persons.

    Homes a year over the last twelve months (or scaled up from the months so
    far), the regular seekers' median registration time at letting over the
    last twelve months, status holders in reception now, and the state's cost
    of COA reception (all residents) a year at this month's rate.
    """
    if frame is None or frame.error or frame.month == 0:
        return []
    end = "_short" if short else ""
    year = t("per_year", lang)
    rows = [
        (t(f"head_homes_{g}{end}", lang), rounded(_last_year(frame, col.lettings(g)), lang),
         year if short else f"{t('households', lang)} {year}")
        for g in col.GROUPS
    ]  # fmt: skip
    rolling = np.asarray(frame.series.get(col.registration_rolling("regular"), [np.nan]), float)
    rows.append(
        (t(f"head_registration{end}", lang), number(rolling[-1], lang, 1), t("years_unit", lang))
    )
    persons = rounded(frame.stats.get(col.IN_RECEPTION, np.nan), lang)
    rows.append((t(f"head_reception{end}", lang), persons, t("persons", lang)))
    cost = frame.stats.get(col.RECEPTION_COST, np.nan) * 12
    rows.append((t(f"head_cost{end}", lang), money(cost, lang), year))
    return rows
