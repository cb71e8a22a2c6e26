"""Asylum reception (COA): who is in it, on which places, at what cost.

Occupancy is asylum seekers awaiting a first decision, rejected applicants
not yet gone (``model.asylum``), and status holders waiting for a home
They live on places of four tiers:

* ``regular``: azc locations under multi-year contracts with municipalities;
* ``emergency_locations``: COA emergency locations (noodopvang: halls,
  offices, pavilions) and municipal temporary places (tgo, crisis places);
* ``emergency_ships``: cruise ships, accommodation ships and pontoons;
* ``emergency_hotels``: hotels.

COA's behaviour, month by month (assumptions documented in defaults.toml):

* it plans regular places so that they are ``reception.occupancy_norm`` (91%)
  occupied: the places needed are occupancy / 0.91;
* regular places come from the municipalities' Spreidingswet plans, which
  are realised along a path (start -> target by the target date): COA cannot
  open an azc faster than municipalities realise one; COA takes the realised
  places as they are needed. Only once the plans are used up does it seek new
  places, which open ``reception.opening_lead_months`` later (6 to 9 months of
  consultation before building, COA);
* after the law's withdrawal (``reception.spreidingswet_in_force`` false) the
  plans are no longer an obligation: the places realised by then stay, of the
  rest only ``reception.plans_realised_after_withdrawal_share`` is realised, and
  ``reception.plans_delay_after_withdrawal_months`` later than the law's date.
  COA no longer waits for the plans to be used up: it seeks at once, beyond the
  plans, the places the rest of them will not cover (open after the same lead
  time), and emergency places hold whoever does not fit meanwhile;
* regular places no longer needed are cancelled with
  ``reception.notice_months`` notice (contracts are cancellable, letter),
  never below the structurally funded minimum; a cancellation still pending
  is withdrawn first when places are needed again;
* whoever does not fit on the regular places (at the occupancy norm) is on
  emergency places, cheapest tier first: locations, ships, hotels; when those
  are full, new emergency places open at once (crisis places), as locations,
  ships and hotels in the shares ``reception.emergency_opening_shares``;
* emergency places no longer needed close: hotels at once (the letter: phase
  out hotels and cruise ships first), ships and locations as their contracts
  run out (``reception.ship_term_months``, ``reception.emergency_location_term_months``);
* reception places are converted into homes (omklapbare plekken) only while
  occupancy allows: no one on emergency places and the regular places after
  conversion still at or below the occupancy norm (letter: "wanneer dit
  verantwoord is met het oog op de bezettingsgraad");
* every tier costs its places (contracted, used or not) at its own price a
  place-year, in 2025 euros.

Where the places are: the Spreidingswet key per province, or after its
withdrawal moving to the pre-law distribution of COA's capacity as the law's
contracts run out (``reception.withdrawal_transition_years``).

Everything here is in agent-unit persons (persons / households_per_agent),
fractional: places are an aggregate, not agents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from model.base.calendar import months_between
from model.inputs.parameters import Parameters

TIERS = ("regular", "emergency_locations", "emergency_ships", "emergency_hotels")
EMERGENCY_TIERS = TIERS[1:]  # filled in this order, cheapest first


@dataclass(frozen=True)
class ReceptionMonth:
    """Reception at a month's end (agent units: persons, and euro per agent unit).

    Attributes:
        occupancy_total: Everyone in reception: asylum seekers and status holders.
        places: Places per tier (``TIERS``).
        occupancy: Persons per tier.
        cost: The month's cost per tier.
        opened: Places opened this month (regular from the plans or ordered, and
            emergency places).
        closed: Places closed this month (cancelled contracts and emergency
            places no longer needed).
        converted: Regular places converted into homes this month.
        under_notice: Regular places cancelled whose notice is still running (paid, and
            counted in ``places`` until they close).
        by_region: Places (all tiers) per region.
        conversion_allowed: Whether occupancy allowed converting places into homes this
            month (it converts only while the policy asks for it).
    """

    occupancy_total: float
    places: dict[str, float]
    occupancy: dict[str, float]
    cost: dict[str, float]
    opened: float
    closed: float
    converted: float
    under_notice: float
    by_region: np.ndarray
    conversion_allowed: bool = False

    @property
    def cost_total(self) -> float:
        """The month's cost over all tiers."""
        return sum(self.cost.values())

    @property
    def emergency_occupancy(self) -> float:
        """Persons on emergency places of any tier."""
        return sum(self.occupancy[t] for t in EMERGENCY_TIERS)


class Reception:
    """Reception places per tier, how they open, fill and close, and what they cost.

    Args:
        params: Model parameters.
        scale: Households per agent.
        start: The first month (month indices count from it).
        decision: COA's capacity decision observed in the history (``History.capacity_decision``:
            the month it takes effect, the regular places then, the places targeted).
    """

    def __init__(
        self,
        params: Parameters,
        scale: int,
        start: dt.date,
        decision: tuple[dt.date, float, float] | None = None,
    ):
        self.params = params
        self.scale = scale
        self.start = start
        p, k = params, scale
        self.places = {
            "regular": p["reception.regular_places_start"] / k,
            "emergency_locations": 0.0,  # set by the occupancy at the start (settle_start)
            "emergency_ships": 0.0,  # none on 1 January 2022, when every run starts
            "emergency_hotels": 0.0,
        }
        self.taken_from_plans = 0.0  # places of the plans' path taken so far
        # The plans' path: from (month, places) to an observed point (month, places), or,
        # without one, to the target lever on its date (agent units).
        self.path_from = (-1, self.places["regular"])
        # COA's capacity decision (history.toml): the places it had on multi-year terms, in
        # the month it takes effect, where the plans' path starts again (``decide``).
        self.path_to = (
            None if decision is None else (months_between(start, decision[0]), decision[1] / scale)
        )
        self.orders: list[tuple[int, float]] = []  # (month due, places) sought beyond the plans
        self.notices: list[tuple[int, float]] = []  # (month due, places) cancelled with notice
        self.withdrawn_month: int | None = None  # month the Spreidingswet was withdrawn
        self.plans_at_withdrawal = 0.0  # places the plans had realised by then (agent units)
        self.last: ReceptionMonth | None = None
        self.allowed = False  # whether this month's conversion was allowed

    # ------------------------------------------------------------------ where

    def region_share(self, month: int, policy: dict) -> np.ndarray:
        """Each region's share of the reception places in ``month`` (where status holders wait).

        The Spreidingswet key while the law is in force; after its withdrawal a
        linear move to the pre-law distribution over the transition years.
        """
        regions = self.params.regions
        key = regions.reception_share
        self._note_withdrawal(month, policy)
        if self.withdrawn_month is None:
            return key
        years = self.params["reception.withdrawal_transition_years"]
        done = 1.0 if years <= 0 else min((month - self.withdrawn_month + 1) / (12 * years), 1.0)
        return (1.0 - done) * key + done * regions.reception_pre_law_share

    def _note_withdrawal(self, month: int, policy: dict) -> None:
        """Note the month the law is withdrawn, and the places its plans had realised the
        month before (None again if it comes back into force: its plans are obligations
        again)."""
        if policy["reception.spreidingswet_in_force"]:
            self.withdrawn_month = None
        elif self.withdrawn_month is None:
            self.withdrawn_month = month
            self.plans_at_withdrawal = _line(month - 1, self.path_from, self._law_end(policy))

    # ------------------------------------------------------------------ conversion

    def conversion_allowed(self, policy: dict) -> bool:
        """Whether reception places may be converted into homes this month.

        Only while occupancy allows (letter): last month nobody was on an
        emergency place, and the regular places less a month's conversion would
        still hold last month's occupancy at the occupancy norm.
        """
        self.allowed = False
        if self.last is not None:
            per_month = policy["policy.reception_places_converted_per_year"] / 12 / self.scale
            room = self.params["reception.occupancy_norm"] * (self.places["regular"] - per_month)
            self.allowed = (
                self.last.emergency_occupancy <= 0.0 and self.last.occupancy_total <= room
            )
        return self.allowed

    # ------------------------------------------------------------------ the month

    def _law_end(self, policy: dict) -> tuple[int, float]:
        """Where the plans' path goes under the law: the observed point, or the target on
        its date."""
        if self.path_to is not None:
            return self.path_to
        p = self.params
        when = months_between(self.start, p["reception.regular_places_target_date"])
        return when, policy["reception.regular_places_target"] / self.scale

    def _path_end(self, policy: dict) -> tuple[int, float]:
        """Where the plans' path goes: under the law, :meth:`_law_end`; after its withdrawal,
        the places realised by then and a share of the rest, a delay after the law's date."""
        when, end = self._law_end(policy)
        if self.withdrawn_month is None:
            return when, end
        p, done = self.params, self.plans_at_withdrawal
        when = max(when, self.withdrawn_month - 1)
        when += int(p["reception.plans_delay_after_withdrawal_months"])
        share = p["reception.plans_realised_after_withdrawal_share"]
        return when, done + share * max(end - done, 0.0)

    def plans_path(self, month: int, policy: dict) -> float:
        """Regular places the plans have realised by ``month`` (agent units): a straight line
        from the path's start to its end (in the history, up to COA's capacity decision of
        September 2025; from it, to ``reception.regular_places_target`` on its date). After
        the law's withdrawal a second line, from the places realised the month before it to
        the lower, later end (:meth:`_path_end`)."""
        if self.withdrawn_month is not None and month >= self.withdrawn_month:
            start = (self.withdrawn_month - 1, self.plans_at_withdrawal)
            return _line(month, start, self._path_end(policy))
        return _line(month, self.path_from, self._law_end(policy))

    def decide(self, month: int, regular_places: float, target: float) -> None:
        """COA's capacity decision: from ``month`` the regular places are ``regular_places``
        (persons; the multi-year ones), and the plans aim at the target lever on its date
        (``target``, the decision's, is its default)."""
        self.places["regular"] = regular_places / self.scale
        self.path_from = (month, self.places["regular"])
        self.path_to = None
        self.taken_from_plans = 0.0

    def settle_start(self, occupancy: float) -> None:
        """At the start, emergency locations hold whoever the other places do not."""
        norm = self.params["reception.occupancy_norm"]
        rest = occupancy - norm * self.places["regular"]
        rest -= self.places["emergency_ships"] + self.places["emergency_hotels"]
        self.places["emergency_locations"] = max(rest, 0.0)

    def step(self, month: int, occupancy: float, policy: dict, converted: float) -> ReceptionMonth:
        """Set this month's places, fill them, and cost them.

        Args:
            month: Index of the month (-1: the start state).
            occupancy: Persons in reception at the month's end (agent units).
            policy: The levers in force.
            converted: Regular places converted into homes this month (agent units).
        """
        p = self.params
        norm = p["reception.occupancy_norm"]
        places = self.places
        if month < 0:
            self.settle_start(occupancy)
        self._note_withdrawal(month, policy)
        opened = closed = 0.0
        places["regular"] -= converted
        leaving = _take_due(self.notices, month)  # notices run out
        places["regular"] -= leaving
        closed += leaving
        arriving = _take_due(self.orders, month)  # places sought beyond the plans open
        places["regular"] += arriving
        opened += arriving
        if month >= 0:
            opened += self._plan_regular(month, occupancy / norm, policy)
            closed += self._cancel_regular(month, occupancy / norm, policy)

        occupied = {"regular": min(occupancy, norm * places["regular"])}
        rest = occupancy - occupied["regular"]
        for tier in EMERGENCY_TIERS:
            occupied[tier] = min(rest, places[tier])
            rest -= occupied[tier]
        if rest > 0:  # crisis: new emergency places open at once
            shares = p["reception.emergency_opening_shares"]
            for tier, share in zip(EMERGENCY_TIERS, shares, strict=True):
                places[tier] += rest * share
                occupied[tier] += rest * share
            opened += rest
        if month >= 0:
            closed += self._close_emergency(occupied)

        cost = {t: places[t] * p[f"reception.cost_{t}_eur_per_place_year"] / 12 for t in TIERS}
        share = self.region_share(month, policy)
        self.last = ReceptionMonth(
            occupancy_total=occupancy,
            places=dict(places),
            occupancy=occupied,
            cost=cost,
            opened=opened,
            closed=closed,
            converted=converted,
            under_notice=sum(a for _, a in self.notices),
            by_region=sum(places.values()) * share,
            conversion_allowed=self.allowed,
        )
        return self.last

    # ------------------------------------------------------------------ regular places

    def _plan_regular(self, month: int, needed: float, policy: dict) -> float:
        """Open regular places when more are needed; returns the places opened now.

        A cancellation still pending is withdrawn first, then places the
        Spreidingswet plans have realised are taken; once the plans are used
        up, new places are sought, to open after the lead time. After the law's
        withdrawal COA does not wait for the plans to be used up: it seeks at once
        the places the rest of the plans will not cover.
        """
        places = self.places
        gap = needed - places["regular"] - sum(a for _, a in self.orders)
        gap += sum(a for _, a in self.notices)  # places under notice are leaving
        if gap <= 0:
            return 0.0
        while self.notices and gap > 0:  # withdraw the latest cancellations first
            when, amount = self.notices.pop()
            back = min(amount, gap)
            if amount > back:
                self.notices.append((when, amount - back))
            gap -= back
        available = self.plans_path(month, policy) - self.path_from[1] - self.taken_from_plans
        take = min(max(available, 0.0), gap)
        self.taken_from_plans += take
        places["regular"] += take
        p = self.params
        plans_left = self._path_end(policy)[1] - self.path_from[1] - self.taken_from_plans
        if self.withdrawn_month is None:  # the law's plans are obligations: wait for them
            beyond = gap - take if plans_left <= 0 else 0.0
        else:  # voluntary plans: seek now what they will not cover
            beyond = gap - take - max(plans_left, 0.0)
        if beyond > 0:
            self.orders.append((month + int(p["reception.opening_lead_months"]), beyond))
        return take

    def _cancel_regular(self, month: int, needed: float, policy: dict) -> float:
        """Give notice on regular places no longer needed; returns nothing closed now (the
        places leave when the notice runs out)."""
        if not policy["reception.cancel_unused_places"]:
            return 0.0
        p, k = self.params, self.scale
        keep = max(needed, p["reception.minimum_regular_places"] / k)
        leaving = sum(a for _, a in self.notices)
        excess = self.places["regular"] + sum(a for _, a in self.orders) - leaving - keep
        if excess > 0 and self.emergency_empty():
            self.notices.append((month + int(p["reception.notice_months"]), excess))
        return 0.0

    def emergency_empty(self) -> bool:
        """Whether last month nobody was on an emergency place."""
        return self.last is None or self.last.emergency_occupancy <= 0.0

    # ------------------------------------------------------------------ emergency places

    def _close_emergency(self, occupied: dict[str, float]) -> float:
        """Close emergency places nobody needs: hotels at once, ships and locations as
        their contracts run out. Returns the places closed."""
        p = self.params
        terms = {
            "emergency_hotels": 1.0,
            "emergency_ships": p["reception.ship_term_months"],
            "emergency_locations": p["reception.emergency_location_term_months"],
        }
        closed = 0.0
        for tier, term in terms.items():
            idle = self.places[tier] - occupied[tier]
            if idle > 0:
                gone = idle / max(term, 1.0)
                self.places[tier] -= gone
                closed += gone
        return closed


def _line(month: int, start: tuple[int, float], end: tuple[int, float]) -> float:
    """A straight line's value in ``month``, from ``start`` (month, places) to ``end``, held
    at either end outside them and never below the start."""
    (m0, v0), (m1, v1) = start, end
    done = min(max(month - m0, 0), max(m1 - m0, 1)) / max(m1 - m0, 1)
    return max(v0 + (v1 - v0) * done, v0)


def _take_due(book: list[tuple[int, float]], month: int) -> float:
    """Remove the entries of ``book`` due by ``month``; their places."""
    due = sum(amount for when, amount in book if when <= month)
    book[:] = [(when, amount) for when, amount in book if when > month]
    return due
