"""Asylum: applications, decisions and permits, in persons (not agents).

    applications -> pending -> decision (after a mean lag)
                                -> permit (recognition rate): status holders enter the market
                                -> rejection: stays in reception for a while, then leaves

Permits come from this pipeline, or (``asylum.permit_source = "exogenous"``)
from a fixed yearly number, ``status_holders.permits_persons_per_year``; the
pipeline still fills reception with those awaiting a decision either way.

Persons are conserved: applications = pending + permitted + rejected;
rejected = in reception + departed (``AsylumPipeline.ledger``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.parameters import Parameters


@dataclass(frozen=True)
class AsylumMonth:
    """What the asylum side did in a month.

    Attributes:
        applications_persons: First applications (real persons).
        permits: Persons granted a permit who need housing (agent units).
    """

    applications_persons: float
    permits: float


class AsylumPipeline:
    """Asylum applications to decisions, in persons (agent units, fractional).

    Args:
        params: Model parameters.
        scale: Households per agent (persons are held per agent unit).
    """

    def __init__(self, params: Parameters, scale: int):
        self.params = params
        self.scale = scale
        self.pending = params["asylum.pending_at_start"] / scale
        self.rejected = params["asylum.rejected_at_start"] / scale
        self.ledger = {
            "applications": self.pending + self.rejected,  # those at the start applied earlier
            "permitted": 0.0,
            "rejected": self.rejected,
            "departed": 0.0,
        }

    def applications_per_year(self, month: int) -> float:
        """First applications a year on the named path, in the path's year of ``month``."""
        path = self.params[f"asylum.applications_{self.params['asylum.inflow_path']}"]
        factor = self.params["asylum.applications_factor"]
        return factor * float(path[min(month // 12, len(path) - 1)])

    def step(self, month: int, recognition_rate: float) -> float:
        """One month: applications arrive, decisions are taken, rejected leave.

        Returns:
            Persons granted a permit this month (agent units).
        """
        applications = self.applications_per_year(month) / 12 / self.scale
        rate = 1.0 - np.exp(-1.0 / self.params["asylum.decision_months_mean"])
        decisions = self.pending * rate
        permits = decisions * recognition_rate
        stay = self.params["asylum.rejected_departure_months"]
        departing = self.rejected * (1.0 - np.exp(-1.0 / stay))
        self.pending += applications - decisions
        self.rejected += decisions - permits - departing
        self.ledger["applications"] += applications
        self.ledger["permitted"] += permits
        self.ledger["rejected"] += decisions - permits
        self.ledger["departed"] += departing
        return permits

    def expected_permits(self, months: int, month: int, recognition_rate: float) -> float:
        """Permits expected over the next ``months`` (a projection, as the MPP forecast is)."""
        pending, total = self.pending, 0.0
        rate = 1.0 - np.exp(-1.0 / self.params["asylum.decision_months_mean"])
        for k in range(months):
            decisions = pending * rate
            total += decisions * recognition_rate
            pending += self.applications_per_year(month + k) / 12 / self.scale - decisions
        return total

    @property
    def in_reception(self) -> float:
        """Asylum seekers and rejected applicants in reception (agent-unit persons)."""
        return self.pending + self.rejected

    def month(self, month: int, policy: dict) -> AsylumMonth:
        """One month of the pipeline, and the permits in force (pipeline or fixed number)."""
        applications = self.applications_per_year(month) / 12
        permits = self.step(month, policy["asylum.recognition_rate"])
        if self.params["asylum.permit_source"] == "exogenous":
            permits = policy["status_holders.permits_persons_per_year"] / 12 / self.scale
        return AsylumMonth(applications, permits)

    def permits_expected_per_year(self, month: int, policy: dict) -> float:
        """Permits a year over the coming half year, as the government forecasts them
        (agent-unit persons): the pipeline's projection, or the fixed number."""
        if self.params["asylum.permit_source"] == "exogenous":
            return policy["status_holders.permits_persons_per_year"] / self.scale
        return 2 * self.expected_permits(6, month, policy["asylum.recognition_rate"])

    def permits_per_year_at_start(self, start_params: Parameters) -> float:
        """Persons a year granted a permit just before the start (real persons).

        The fixed yearly number, or the pipeline's first-month decisions on the
        applications pending at the start, at the start's recognition rate.
        """
        if start_params["asylum.permit_source"] == "exogenous":
            return start_params["status_holders.permits_persons_per_year"]
        first_month = self.expected_permits(1, 0, start_params["asylum.recognition_rate"])
        return first_month * 12 * self.scale
