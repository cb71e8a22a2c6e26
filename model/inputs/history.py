"""History mode: a run that starts in the past runs on what was observed.

``model/inputs/data/history.toml`` holds observed inputs from 2022 on (first asylum
applications and family arrivals per quarter, recognition rates and IND first
decisions per year, the national quota target per half year, corporation new
construction) and the documented state of the system on a start date, each
number with its source.

* **Start state.** A start date before the default one (2025-07-01) needs a
  documented state: today only 2022-01-01 has one. Its values become the
  defaults of that run's start parameters (below the scenario's and the user's
  own values); the few that have no published figure are derived here, each
  with its rule (:data:`DERIVED`).
* **Observed inputs.** For every month whose period has an observed value, that
  value replaces the scenario's assumption (:meth:`History.month`); from the
  last published period on, the scenario applies. A yearly series with a gap
  between two published years (the recognition rate of 2024, new construction
  in 2022-2023) is interpolated linearly between them; a missing quarter or half
  year, and anything after the last published period, takes the scenario's
  value. The run's record says which periods were observed and which
  interpolated (:meth:`History.record`).
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from model.base.errors import ParameterError
from model.inputs.parameters import published_targets

HISTORY_FILE = "data/history.toml"
DEFAULT_START = dt.date(2025, 7, 1)  # the state of defaults.toml

# Start-state figures of history.toml and the parameter each one sets.
STATE_PARAMETERS = {
    "status_holders_in_reception": "status_holders.in_reception_at_start_persons",
    "status_holders_in_reception_over_3_months": "status_holders.initial_backlog_persons",
    "quota_backlog": "status_holders.initial_quota_backlog_persons",
    "pending_first_decision": "asylum.pending_at_start",
    "regular_reception_places": "reception.regular_places_start",
}

# Start-state values without a published figure: the rule, as (parameter, how).
DERIVED = {
    "asylum.rejected_at_start": "reception residents - pending first decision - status "
    "holders in reception (history.toml)",
    "reception.ship_places_start": "0: the cruise ships came from August 2022 (NRC); emergency "
    "places on the date are emergency locations (halls, river boats)",
    "reception.hotel_places_start": "0: hotels were used from 2023-2024 (NH Nieuws 2024)",
    "regular.initial_seekers": "the 2025 queue (400,000, letter) shrunk back with the queue's "
    "growth (2.7% a year, the ABF shortage 2023-2024: targets.toml queue_growth) over the "
    "years between",
    "reunification.abroad_at_start": "assumption: 40,000, between the 18,000 nareis "
    "applications pending at the end of 2022 (IND) and the 65,000 waiting abroad in 2025 "
    "(letter); not published for the date (history.toml, not_found)",
}


@cache
def _read() -> dict[str, Any]:
    text = resources.files("model.inputs").joinpath(HISTORY_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def documented_starts() -> list[dt.date]:
    """The past dates with a documented state, and the default start date."""
    past = [dt.date.fromisoformat(d) for d in _read().get("start", {})]
    return sorted({*past, DEFAULT_START})


def start_state(start: dt.date, defaults: dict[str, Any]) -> dict[str, Any]:
    """Parameter values of the documented state on ``start`` (empty from the default start on).

    Args:
        start: The run's start date.
        defaults: The default parameter values (for the derived ones).

    Raises:
        ParameterError: ``start`` is before the default start and has no documented state.
    """
    if start >= DEFAULT_START:
        return {}
    state = _read().get("start", {}).get(start.isoformat())
    if state is None:
        allowed = ", ".join(d.isoformat() for d in documented_starts())
        raise ParameterError(
            f"parameter 'calendar.start_date' = '{start}' has no documented state of the "
            f"system (model/inputs/data/history.toml); allowed: {allowed}, or any later first of a "
            "month (from the default state)"
        )
    out = {param: state[key]["value"] for key, param in STATE_PARAMETERS.items() if key in state}
    residents = state["reception_residents"]["value"]
    pending = state["pending_first_decision"]["value"]
    out["asylum.rejected_at_start"] = max(
        residents - pending - state["status_holders_in_reception"]["value"], 0
    )
    out["reception.ship_places_start"] = 0
    out["reception.hotel_places_start"] = 0
    years = (DEFAULT_START - start).days / 365.25
    growth = published_targets()["queue_growth"]["value"]  # the queue's own growth (ABF)
    out["regular.initial_seekers"] = round(
        defaults["regular.initial_seekers"] / math.pow(1 + growth, years)
    )
    out["reunification.abroad_at_start"] = 40000
    return out


def _period(date: dt.date, period: str) -> str:
    if period == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    if period == "half_year":
        return f"{date.year}-H{1 if date.month <= 6 else 2}"
    return str(date.year)


@dataclass(frozen=True)
class Observed:
    """What was observed in one month (None: not published, the scenario applies).

    Attributes:
        applications_per_year: First asylum applications, at the month's quarter's pace.
        family_arrivals: Family members arriving in the month (persons).
        recognition_rate: Share of first decisions granting a permit (the year's).
        decisions_per_year: IND first decisions a year (the year's).
        quota_target_per_year: The half year's national quota target, as a yearly pace.
        new_construction_per_year: Corporation new-build homes a year (year or half year).
    """

    applications_per_year: float | None = None
    family_arrivals: float | None = None
    recognition_rate: float | None = None
    decisions_per_year: float | None = None
    quota_target_per_year: float | None = None
    new_construction_per_year: float | None = None


class History:
    """Observed inputs by month, for a run that starts before the default start date.

    Args:
        start: The run's start date; from the default start on nothing is observed.
    """

    def __init__(self, start: dt.date):
        self.active = start < DEFAULT_START
        self.data = _read() if self.active else {}
        self.used: dict[str, list[str]] = {}

    def _note(self, table: str, key: str) -> None:
        seen = self.used.setdefault(table, [])
        if key not in seen:
            seen.append(key)

    def _value(self, table: str, date: dt.date) -> float | None:
        entry = self.data.get(table)
        if not entry:
            return None
        key = _period(date, entry["period"])
        value = entry["values"].get(key)
        if value is not None:
            self._note(table, key)
        return value

    def _yearly(self, table: str, date: dt.date, years: dict[int, float]) -> float | None:
        """A yearly series: the year's value, or between two published years the linear
        interpolation (noted as such), else None."""
        if date.year in years:
            self._note(table, str(date.year))
            return years[date.year]
        before = [y for y in years if y < date.year]
        after = [y for y in years if y > date.year]
        if not before or not after:
            return None
        y0, y1 = max(before), min(after)
        self._note(table, f"{date.year} (interpolated)")
        w = (date.year - y0) / (y1 - y0)
        return (1 - w) * years[y0] + w * years[y1]

    def _years(self, table: str) -> dict[int, float]:
        entry = self.data.get(table, {})
        return {int(k): float(v) for k, v in entry.get("values", {}).items()}

    def month(self, date: dt.date) -> Observed:
        """What was observed in the month starting on ``date``."""
        if not self.active:
            return Observed()
        apps = self._value("first_applications", date)
        arrivals = self._value("family_arrivals", date)
        target = self._value("quota_targets", date)
        build = self._years("new_construction")
        for key, half in self.data.get("new_construction_half_year", {}).get("values", {}).items():
            build.setdefault(int(key[:4]), 2.0 * half)  # a half year's pace, as a year
        return Observed(
            applications_per_year=None if apps is None else 4 * apps,
            family_arrivals=None if arrivals is None else arrivals / 3,
            recognition_rate=self._yearly(
                "recognition_rate", date, self._years("recognition_rate")
            ),
            decisions_per_year=self._yearly(
                "first_decisions", date, self._years("first_decisions")
            ),
            quota_target_per_year=None if target is None else 2 * target,
            new_construction_per_year=self._yearly("new_construction", date, build),
        )

    def apply(
        self, policy: dict[str, Any], date: dt.date, abroad: Callable[[], float]
    ) -> tuple[dict[str, Any], Observed]:
        """The levers in force for the month starting on ``date`` (``policy``: the
        scenario's), with what was observed put in (the scenario's own values from the
        default start on), and the observations.

        Args:
            policy: The scenario's levers in force.
            date: The month's first day.
            abroad: Family members abroad now (real persons), asked for only when an
                observed number of arrivals must become a rate.
        """
        if not self.active:
            return policy, Observed()
        observed = self.month(date)
        return self.policy(policy, observed, abroad()), observed

    def policy(self, policy: dict[str, Any], observed: Observed, abroad: float) -> dict:
        """The levers in force with the observed values put in for this month.

        Args:
            policy: The scenario's levers in force.
            observed: This month's observations.
            abroad: Family members abroad now (real persons), to turn observed
                arrivals into the month's arrival rate.
        """
        out = dict(policy)
        if observed.recognition_rate is not None:
            out["asylum.recognition_rate"] = observed.recognition_rate
        if observed.decisions_per_year is not None:
            out["asylum.decisions_per_year"] = observed.decisions_per_year
        if observed.new_construction_per_year is not None:
            out["stock.new_construction_per_year"] = observed.new_construction_per_year
        if observed.family_arrivals is not None and abroad > 0:
            share = min(observed.family_arrivals / abroad, 0.99)
            out["reunification.arrival_per_year"] = -12.0 * math.log1p(-share)
        return out

    def record(self) -> dict[str, Any]:
        """Which observed periods the run used, per input (for run.json)."""
        if not self.active:
            return {}
        return {
            "history": {
                "observed_periods": {k: list(v) for k, v in self.used.items()},
                "derived_start_values": DERIVED,
                "source": HISTORY_FILE,
            }
        }
