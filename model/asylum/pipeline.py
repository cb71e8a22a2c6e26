"""Asylum: applications, decisions and permits, in persons (not agents).

    applications -> pending at the IND -> first decision
                   -> permit (recognition rate): status holders enter the market
                   -> rejection: stays in reception for a while, then leaves

First applications follow a named path per calendar year (``asylum.inflow_path``;
the 2025 level, about 22,000, is CBS's). The IND decides at most its capacity
a month, and no faster than the legal term allows (``asylum.decision_months_min``).
Its capacity starts at the 2025 pace (``asylum.decisions_per_year``, about
20,000 first decisions a year against about 48,000 waiting: a wait of over
two years, as in 2025) and follows the inflow of first applications with a
lag (``asylum.capacity_follows_inflow_years``): the IND hires when more apply
and shrinks when fewer do, but does not clear its backlog.

Permits come from this pipeline, or (``asylum.permit_source = "exogenous"``)
from a fixed yearly number, ``status_holders.permits_persons_per_year``; the
pipeline still fills reception with those awaiting a decision either way.

Persons are conserved: applications = pending + permitted + rejected;
rejected = in reception + departed (``AsylumPipeline.ledger``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from model.base.calendar import add_months
from model.inputs.parameters import Parameters

# The first calendar year of the application paths (their first value).
PATH_FIRST_YEAR = 2025


@dataclass(frozen=True)
class AsylumMonth:
    """What the asylum side did in a month.

    Attributes:
        applications_persons: First applications (real persons).
        decisions: First decisions (agent units).
        permits: Persons granted a permit who need housing (agent units).
        departed: Rejected applicants leaving reception (agent units).
    """

    applications_persons: float = 0.0
    decisions: float = 0.0
    permits: float = 0.0
    departed: float = 0.0


class AsylumPipeline:
    """Asylum applications to decisions, in persons (agent units, fractional).

    Args:
        params: Model parameters.
        scale: Households per agent (persons are held per agent unit).
        start: The first simulated month.
    """

    def __init__(self, params: Parameters, scale: int, start: dt.date):
        self.params = params
        self.scale = scale
        self.start = start
        self.pending = params["asylum.pending_at_start"] / scale
        self.capacity = 0.0  # first decisions a year (real persons)
        self._set_to: float | None = None  # the lever value the capacity was last set to
        self.rejected = params["asylum.rejected_at_start"] / scale
        self.ledger = {
            "applications": self.pending + self.rejected,  # those at the start applied earlier
            "permitted": 0.0,
            "rejected": self.rejected,
            "departed": 0.0,
        }

    def applications_per_year(self, month: int) -> float:
        """First applications a year on the named path, in the calendar year of ``month``
        (months counted from the start)."""
        p = self.params
        path = p[f"asylum.applications_{p['asylum.inflow_path']}"]
        year = add_months(self.start, month).year
        index = min(max(year - PATH_FIRST_YEAR, 0), len(path) - 1)
        return p["asylum.applications_factor"] * float(path[index])

    def decisions(self, pending: float, capacity_per_year: float) -> float:
        """First decisions in a month (agent units): the IND's capacity, or fewer when
        little is pending (a decision takes at least the legal term, on average)."""
        quickest = pending * (1.0 - math.exp(-1.0 / self.params["asylum.decision_months_min"]))
        return min(capacity_per_year / 12 / self.scale, quickest)

    def follow_inflow(self, capacity: float, month: int) -> float:
        """Next month's capacity (real persons a year): a step towards this month's inflow."""
        lag = self.params["asylum.capacity_follows_inflow_years"] * 12
        step = 1.0 if lag <= 1 else 1.0 / lag
        return capacity + (self.applications_per_year(month) - capacity) * step

    def step(self, month: int, policy: dict, observed: float | None = None) -> AsylumMonth:
        """One month: applications arrive, decisions are taken, rejected applicants leave.

        Args:
            month: Months from the start.
            policy: The levers in force.
            observed: First applications a year observed for this month (history mode),
                instead of the path's.
        """
        per_year = self.applications_per_year(month) if observed is None else observed
        applications = per_year / 12 / self.scale
        if policy["asylum.decisions_per_year"] != self._set_to:  # the start, or a new value
            self._set_to = self.capacity = policy["asylum.decisions_per_year"]
        decided = self.decisions(self.pending, self.capacity)
        self.capacity = self.follow_inflow(self.capacity, month)
        permits = decided * policy["asylum.recognition_rate"]
        stay = self.params["asylum.rejected_departure_months"]
        departing = self.rejected * (1.0 - math.exp(-1.0 / stay))
        self.pending += applications - decided
        self.rejected += decided - permits - departing
        self.ledger["applications"] += applications
        self.ledger["permitted"] += permits
        self.ledger["rejected"] += decided - permits
        self.ledger["departed"] += departing
        return AsylumMonth(applications * self.scale, decided, permits, departing)

    def expected_permits(self, months: int, month: int, policy: dict) -> float:
        """Permits expected over the next ``months`` (a projection, as the MPP forecast is)."""
        pending, total = self.pending, 0.0
        lever = policy["asylum.decisions_per_year"]
        capacity = self.capacity if lever == self._set_to else lever
        for k in range(months):
            decided = self.decisions(pending, capacity)
            capacity = self.follow_inflow(capacity, month + k)
            total += decided * policy["asylum.recognition_rate"]
            pending += self.applications_per_year(month + k) / 12 / self.scale - decided
        return total

    @property
    def in_reception(self) -> float:
        """Asylum seekers and rejected applicants in reception (agent-unit persons)."""
        return self.pending + self.rejected

    def month(self, month: int, policy: dict, observed: float | None = None) -> AsylumMonth:
        """One month of the pipeline, and the permits in force (pipeline or fixed number);
        ``observed``: first applications a year observed for the month (history mode)."""
        done = self.step(month, policy, observed)
        if self.params["asylum.permit_source"] == "exogenous":
            permits = policy["status_holders.permits_persons_per_year"] / 12 / self.scale
            done = AsylumMonth(done.applications_persons, done.decisions, permits, done.departed)
        return done

    def permits_expected_per_year(self, month: int, policy: dict) -> float:
        """Permits a year over the coming half year, as the government forecasts them
        (agent-unit persons): the pipeline's projection, or the fixed number."""
        if self.params["asylum.permit_source"] == "exogenous":
            return policy["status_holders.permits_persons_per_year"] / self.scale
        return 2 * self.expected_permits(6, month, policy)
