"""Asylum: applications, decisions and permits, in persons (not agents).

    first and repeat applications -> pending at the IND -> first decision
        -> permit (recognition rate): status holders enter reception, then the market
        -> rejection: stays in reception for a while, then leaves

**History (2022-2025).** Applications are observed (first applications per
quarter, repeat applications per year); the IND decides each month as many as
keep the published stock awaiting a first decision on the straight line
between two published dates, so that the decisions are bounded by what the
pending stock allows; permits are the published count where there is one (CBS
2022 and 2023, the IND's 2025 count), else the decisions times the year's
recognition rate in the IND's own definition (``model/inputs/data/history.toml``).

**From 2026.** First applications follow a named path per calendar year
(``asylum.inflow_path``, from the MPP forecast of September 2025), repeat
applications a share of them (``asylum.repeat_share_of_first``). The IND
decides at most its capacity a month, and no faster than the legal term
allows (``asylum.decision_months_min``); its capacity starts at
``asylum.decisions_per_year`` and follows the inflow with a lag
(``asylum.capacity_follows_inflow_years``): the IND hires when more apply and
shrinks when fewer do, but does not clear its backlog.

Permits come from this pipeline, or (``asylum.permit_source = "exogenous"``)
from a fixed yearly number after the history, ``status_holders.permits_persons_per_year``;
the pipeline still fills reception with those awaiting a decision either way.

Persons are conserved: applications = pending + permitted + rejected;
rejected = in reception + departed (``AsylumPipeline.ledger``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

from model.base.calendar import add_months
from model.inputs.history import Observed
from model.inputs.parameters import Parameters

# The first calendar year of the application paths (their first value).
PATH_FIRST_YEAR = 2026


@dataclass(frozen=True)
class AsylumMonth:
    """What the asylum side did in a month.

    Attributes:
        applications_persons: First applications (real persons).
        repeat_persons: Repeat applications (real persons).
        decisions: First decisions (agent units).
        permits: Persons granted a permit who need housing (agent units).
        departed: Rejected applicants leaving reception (agent units).
    """

    applications_persons: float = 0.0
    decisions: float = 0.0
    permits: float = 0.0
    departed: float = 0.0
    repeat_persons: float = 0.0


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

    def follow_inflow(self, capacity: float, inflow_per_year: float) -> float:
        """Next month's capacity (real persons a year): a step towards this month's inflow
        of first and repeat applications."""
        lag = self.params["asylum.capacity_follows_inflow_years"] * 12
        step = 1.0 if lag <= 1 else 1.0 / lag
        return capacity + (inflow_per_year - capacity) * step

    def step(self, month: int, policy: dict, observed: Observed) -> AsylumMonth:
        """One month: applications arrive, decisions are taken, rejected applicants leave.

        In the history the IND decides as many as keep the published stock awaiting a
        decision on its line, and the permits are the published count where there is
        one; after it, the IND decides what its capacity allows (``decisions``), a
        recognition rate of them permits.

        Args:
            month: Months from the history's start.
            policy: The levers in force.
            observed: What was observed this month (``History.month``).
        """
        first = observed.applications_per_year
        first = self.applications_per_year(month) if first is None else first
        repeat = observed.repeat_per_year
        repeat = first * self.params["asylum.repeat_share_of_first"] if repeat is None else repeat
        applications = (first + repeat) / 12 / self.scale
        if policy["asylum.decisions_per_year"] != self._set_to:  # the start, or a new value
            self._set_to = self.capacity = policy["asylum.decisions_per_year"]
        if observed.pending_target is None:
            decided = self.decisions(self.pending, self.capacity)
            self.capacity = self.follow_inflow(self.capacity, first + repeat)
        else:  # as many as keep the published stock awaiting a decision; the capacity
            # waits at its set value (the pace the history ends on) until the history ends
            most = self.pending + applications
            decided = min(max(most - observed.pending_target / self.scale, 0.0), most)
        if observed.permits_per_year is None:
            permits = decided * policy["asylum.recognition_rate"]
        else:  # the published count at the year's pace; each permit is a decision
            permits = min(observed.permits_per_year / 12 / self.scale, self.pending + applications)
            decided = max(decided, permits)
        stay = self.params["asylum.rejected_departure_months"]
        departing = self.rejected * (1.0 - math.exp(-1.0 / stay))
        self.pending += applications - decided
        self.rejected += decided - permits - departing
        self.ledger["applications"] += applications
        self.ledger["permitted"] += permits
        self.ledger["rejected"] += decided - permits
        self.ledger["departed"] += departing
        return AsylumMonth(
            first / 12, decided, permits, departing,
            repeat_persons=repeat / 12,
        )  # fmt: skip

    def expected_permits(self, months: int, month: int, policy: dict) -> float:
        """Permits expected over the next ``months`` (a projection, as the MPP forecast is)."""
        pending, total = self.pending, 0.0
        lever = policy["asylum.decisions_per_year"]
        capacity = self.capacity if lever == self._set_to else lever
        for k in range(months):
            decided = self.decisions(pending, capacity)
            inflow = self.applications_per_year(month + k) * (
                1.0 + self.params["asylum.repeat_share_of_first"]
            )
            capacity = self.follow_inflow(capacity, inflow)
            total += decided * policy["asylum.recognition_rate"]
            pending += inflow / 12 / self.scale - decided
        return total

    @property
    def in_reception(self) -> float:
        """Asylum seekers and rejected applicants in reception (agent-unit persons)."""
        return self.pending + self.rejected

    def month(self, month: int, policy: dict, observed: Observed) -> AsylumMonth:
        """One month of the pipeline, and the permits in force (pipeline or fixed number);
        ``observed``: what was observed in the month (``History.month``)."""
        done = self.step(month, policy, observed)
        if self.params["asylum.permit_source"] == "exogenous" and observed.permits_per_year is None:
            permits = policy["status_holders.permits_persons_per_year"] / 12 / self.scale
            done = dataclasses.replace(done, permits=permits)
        return done

    def permits_expected_per_year(self, month: int, policy: dict) -> float:
        """Permits a year over the coming half year, as the government forecasts them
        (agent-unit persons): the pipeline's projection, or the fixed number."""
        if self.params["asylum.permit_source"] == "exogenous":
            return policy["status_holders.permits_persons_per_year"] / self.scale
        return 2 * self.expected_permits(6, month, policy)
