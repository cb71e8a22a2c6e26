"""Asylum reception (COA): who is in it, on which places, at what cost.

Occupancy is asylum seekers awaiting a first decision, rejected applicants
not yet gone, and status holders waiting for a home (model brief,
"Reception"). The asylum side is a pipeline of persons, not agents:

    applications -> pending -> decision (after a mean lag)
                                -> permit (recognition rate): a status holder household
                                -> rejection: stays in reception for a while, then leaves

Places: regular places under (cancellable) contracts, growing along a path to
the target of the letter; when they are full, emergency places fill, cruise
ships first, then hotels. Regular places cost what they cost whether used or
not; emergency places cost per occupied place (calibration-figures: 29,400,
66,000 and 91,000 euro a place-year in 2024).

Persons are conserved: applications = pending + permitted + rejected; rejected
= in reception + departed (``ledger``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from model.calendar import months_between
from model.parameters import Parameters

PLACE_TYPES = ("regular", "ship", "hotel")


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


class Reception:
    """Reception places, how they fill, and what they cost.

    Args:
        params: Model parameters.
        scale: Households per agent.
        start: The start date.
    """

    def __init__(self, params: Parameters, scale: int, start: dt.date):
        self.params = params
        self.scale = scale
        self.start = start
        self.regular_places = params["reception.regular_places_start"] / scale
        self.converted = 0.0  # places turned into homes so far (agent units)

    def path_places(self, date: dt.date, target: float) -> float:
        """Regular places the contracts provide on ``date`` (linear to the target)."""
        p = self.params
        start = p["reception.regular_places_start"] / self.scale
        end_date = p["reception.regular_places_target_date"]
        total = max(months_between(self.start, end_date), 1)
        done = min(max(months_between(self.start, date), 0), total)
        return start + (target / self.scale - start) * done / total

    def step(
        self, date: dt.date, occupancy: float, target: float, cancel_unused: bool, converted: float
    ) -> dict[str, float]:
        """Set this month's places and fill them.

        Args:
            date: The month.
            occupancy: Persons in reception (agent units).
            target: The regular-place target in force (persons).
            cancel_unused: Whether unused contracted places are cancelled.
            converted: Places converted into homes this month (agent units).

        Returns:
            Occupancy by place type, regular places, and the month's cost by
            type (euro), all in real persons and euro.
        """
        p, k = self.params, self.scale
        self.converted += converted
        path = self.path_places(date, target) - self.converted
        places = max(path, 0.0)
        if cancel_unused:
            floor = p["reception.minimum_regular_places"] / k
            # Cancel what stands empty, at most 5% of the places a month; never below the floor.
            wanted = max(occupancy, floor)
            places = min(places, max(wanted, self.regular_places * 0.95))
        self.regular_places = places
        regular = min(occupancy, places)
        ship = min(occupancy - regular, p["reception.ship_places"] / k)
        hotel = occupancy - regular - ship
        cost = {
            "regular": places * p["reception.cost_regular_eur_per_place_year"] / 12,
            "ship": ship * p["reception.cost_ship_eur_per_place_year"] / 12,
            "hotel": hotel * p["reception.cost_hotel_eur_per_place_year"] / 12,
        }
        return {
            "reception_regular_places_persons": places * k,
            "reception_occupancy_regular_persons": regular * k,
            "reception_occupancy_ship_persons": ship * k,
            "reception_occupancy_hotel_persons": hotel * k,
            "reception_cost_regular_eur": cost["regular"] * k,
            "reception_cost_ship_eur": cost["ship"] * k,
            "reception_cost_hotel_eur": cost["hotel"] * k,
            "reception_cost_total_eur": sum(cost.values()) * k,
        }
