"""History: every run starts on 1 January 2022 and runs on what was observed.

``model/inputs/data/history.toml`` holds the observed inputs from 2022 to the end
of 2025, each number with its source: first and repeat asylum applications, the
stock awaiting a first decision, permits granted, recognition rates, family
members arriving, the national quota target per half year, corporation new
construction and COA's capacity decision of September 2025. The state of the
system on 1 January 2022 is in ``defaults.toml`` (the ``*_at_start`` and
``initial_*`` parameters).

* **Every run starts on** :data:`HISTORY_START` in that documented state. A run
  whose start date is later (by default :data:`HISTORY_END`, 1 January 2026,
  the latest state with published figures) first runs the history, under the
  policy as it was (every lever at its default) and on the observed inputs, up
  to its start date; the scenario acts from there (``HousingMarket``).
* **Observed inputs.** For every month whose period has an observed value, that
  value replaces the model's assumption (:meth:`History.month`). The IND decides
  each month as many first applications as keep the stock awaiting a decision on
  the straight line between two published dates; permits are the published
  count where there is one, else the decisions times the year's recognition
  rate. A yearly series with a gap between two published years is interpolated
  linearly between them, a half-year series (the quota target) takes the mean of
  the half years around the gap; anything not published takes the model's
  assumption.
  The run's record says which periods were observed and which interpolated
  (:meth:`History.record`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from model.base.calendar import day_number

HISTORY_FILE = "data/history.toml"
HISTORY_START = dt.date(2022, 1, 1)  # the documented state every run starts from
HISTORY_END = dt.date(2026, 1, 1)  # the first month without observed inputs


@cache
def _read() -> dict[str, Any]:
    text = resources.files("model.inputs").joinpath(HISTORY_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _period(date: dt.date, period: str) -> str:
    if period == "quarter":
        return f"{date.year}-Q{(date.month - 1) // 3 + 1}"
    if period == "half_year":
        return f"{date.year}-H{1 if date.month <= 6 else 2}"
    return str(date.year)


@dataclass(frozen=True)
class Observed:
    """What was observed in one month (None: not published, the model's assumption applies).

    Attributes:
        applications_per_year: First asylum applications, at the month's quarter's pace.
        repeat_per_year: Repeat asylum applications, at the year's pace.
        pending_target: Persons awaiting a first decision at the month's end, on the
            line between two published dates.
        permits_per_year: Permits on first and repeat applications, the year's count.
        recognition_rate: Share of first decisions granting a permit (the year's).
        family_arrivals: Family members arriving in the month (persons).
        quota_target_per_year: The half year's national quota target, as a yearly pace.
        agreed_aim: Persons the municipalities agreed nationally to house in the half
            year (the August 2022 asylum agreement), legal target and backlog included,
            or None.
        placement_share_factor: The factor by which that agreement raised the share of
            vacancies municipalities may give status holders (1.0 outside it).
        family_via_reception: Whether family members joining a housed sponsor pass
            through COA reception first (as they did until September 2025).
        new_construction_per_year: Corporation new-build homes a year (year or half year).
        capacity_decision: COA's capacity decision taking effect this month, as
            (regular places, places target), or None.
    """

    applications_per_year: float | None = None
    repeat_per_year: float | None = None
    pending_target: float | None = None
    permits_per_year: float | None = None
    recognition_rate: float | None = None
    family_arrivals: float | None = None
    quota_target_per_year: float | None = None
    agreed_aim: float | None = None
    placement_share_factor: float = 1.0
    family_via_reception: bool = False
    new_construction_per_year: float | None = None
    capacity_decision: tuple[float, float] | None = None


class History:
    """Observed inputs by month, from :data:`HISTORY_START` to :data:`HISTORY_END`."""

    def __init__(self) -> None:
        self.data = _read()
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

    def _half_year(self, table: str, date: dt.date) -> float | None:
        """A half-year series: the half year's value, or between two published half years
        the mean of the two around it (noted as interpolated), else None."""
        value = self._value(table, date)
        if value is not None:
            return value
        values = self.data[table]["values"]
        halves = sorted(values)  # "YYYY-Hn" sorts in time order
        key = _period(date, "half_year")
        before = [h for h in halves if h < key]
        after = [h for h in halves if h > key]
        if not before or not after:
            return None
        self._note(table, f"{key} (interpolated)")
        return (values[before[-1]] + values[after[0]]) / 2

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

    def _pending_target(self, month_end: dt.date) -> float | None:
        """The stock awaiting a first decision on ``month_end``: on the straight line
        between the published dates around it (None outside them)."""
        points = sorted(
            (dt.date.fromisoformat(k), float(v))
            for k, v in self.data["pending_first_decision"]["values"].items()
        )
        for (d0, v0), (d1, v1) in itertools.pairwise(points):
            if d0 < month_end <= d1:
                self._note("pending_first_decision", f"{d0.isoformat()} to {d1.isoformat()}")
                w = (day_number(month_end) - day_number(d0)) / (day_number(d1) - day_number(d0))
                return (1 - w) * v0 + w * v1
        return None

    def capacity_decision(self) -> tuple[dt.date, float, float] | None:
        """COA's capacity decision: (the month it takes effect, regular places, target)."""
        decision = self.data.get("reception_capacity_decision")
        if not decision:
            return None
        when = dt.date.fromisoformat(decision["date"])
        return when, float(decision["regular_places"]), float(decision["places_target"])

    def _capacity_decision(self, date: dt.date) -> tuple[float, float] | None:
        decision = self.data.get("reception_capacity_decision")
        if decision and dt.date.fromisoformat(decision["date"]) == date:
            self._note("reception_capacity_decision", decision["date"])
            return float(decision["regular_places"]), float(decision["places_target"])
        return None

    def _in_force(self, table: str, date: dt.date) -> dict[str, Any] | None:
        """A dated arrangement (``from``, default the history's start, up to ``until``) in
        force in the month starting on ``date``, or None."""
        entry = self.data.get(table)
        if not entry:
            return None
        start = dt.date.fromisoformat(entry.get("from", HISTORY_START.isoformat()))
        if not start <= date < dt.date.fromisoformat(entry["until"]):
            return None
        self._note(table, f"{start.isoformat()} to {entry['until']}")
        return entry

    def month(self, date: dt.date) -> Observed:
        """What was observed in the month starting on ``date``."""
        if not HISTORY_START <= date < HISTORY_END:
            return Observed()
        apps = self._value("first_applications", date)
        arrivals = self._value("family_arrivals", date)
        target = self._half_year("quota_targets", date)
        build = self._years("new_construction")
        for key, half in self.data.get("new_construction_half_year", {}).get("values", {}).items():
            build.setdefault(int(key[:4]), 2.0 * half)  # a half year's pace, as a year
        month_end = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        agreement = self._in_force("asylum_agreement", date) or {}
        return Observed(
            applications_per_year=None if apps is None else 4 * apps,
            repeat_per_year=self._value("repeat_applications", date),
            pending_target=self._pending_target(month_end),
            permits_per_year=self._value("permits_first", date),
            recognition_rate=self._yearly(
                "recognition_rate", date, self._years("recognition_rate")
            ),
            family_arrivals=None if arrivals is None else arrivals / 3,
            quota_target_per_year=None if target is None else 2 * target,
            agreed_aim=agreement.get("aim_persons"),
            placement_share_factor=float(agreement.get("placement_share_factor", 1.0)),
            family_via_reception=self._in_force("family_via_reception", date) is not None,
            new_construction_per_year=self._yearly("new_construction", date, build),
            capacity_decision=self._capacity_decision(date),
        )

    def apply(self, policy: dict[str, Any], date: dt.date) -> tuple[dict[str, Any], Observed]:
        """The levers in force for the month starting on ``date`` (``policy``: the
        scenario's, or the defaults while the history runs), with what was observed put
        in, and the observations."""
        observed = self.month(date)
        out = dict(policy)
        if observed.recognition_rate is not None:
            out["asylum.recognition_rate"] = observed.recognition_rate
        if observed.new_construction_per_year is not None:
            out["stock.new_construction_per_year"] = observed.new_construction_per_year
        if observed.placement_share_factor != 1.0:
            out["status_holders.quota_placement_max_share"] = min(
                policy["status_holders.quota_placement_max_share"]
                * observed.placement_share_factor,
                1.0,
            )
        return out, observed

    def record(self) -> dict[str, Any]:
        """Which observed periods the run used, per input (for run.json)."""
        return {
            "history": {
                "observed_periods": {k: list(v) for k, v in self.used.items()},
                "source": HISTORY_FILE,
            }
        }
