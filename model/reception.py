"""Asylum reception (COA): who is in it, on which places, at what cost.

Occupancy is asylum seekers awaiting a first decision, rejected applicants
not yet gone (``model.asylum``), and status holders waiting for a home
(model brief, "Reception").

Places: regular places under (cancellable) contracts, growing along a path to
the target of the letter; when they are full, emergency places fill, cruise
ships first, then hotels. Regular places cost what they cost whether used or
not; emergency places cost per occupied place (calibration-figures: 29,400,
66,000 and 91,000 euro a place-year in 2024).

"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from model.calendar import months_between
from model.parameters import Parameters

PLACE_TYPES = ("regular", "ship", "hotel")


@dataclass(frozen=True)
class ReceptionMonth:
    """Reception in a month (agent units: persons, and euro per agent unit).

    Attributes:
        occupancy_total: Everyone in reception: asylum seekers and status holders.
        regular_places: Regular places contracted (paid whether used or not).
        occupancy: Persons per place type (``PLACE_TYPES``).
        cost: The month's cost per place type.
        cost_total: Their sum.
    """

    occupancy_total: float
    regular_places: float
    occupancy: dict[str, float]
    cost: dict[str, float]
    cost_total: float


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
    ) -> ReceptionMonth:
        """Set this month's places and fill them.

        Args:
            date: The month.
            occupancy: Persons in reception (agent units).
            target: The regular-place target in force (persons).
            cancel_unused: Whether unused contracted places are cancelled.
            converted: Places converted into homes this month (agent units).

        Returns:
            Places, occupancy by place type and the month's cost (agent units).
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
        return ReceptionMonth(
            occupancy_total=occupancy,
            regular_places=places,
            occupancy={"regular": regular, "ship": ship, "hotel": hotel},
            cost=cost,
            cost_total=sum(cost.values()),
        )
