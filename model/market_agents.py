"""The market's households as Mesa agents: the table the queue owns, and agents made on
demand for those still waiting (``agents.households.HouseholdAgents``).

A mixin of :class:`model.market.HousingMarket`, kept apart so that the market reads as
the month's story; it expects ``queue`` (the households) and ``_agents`` (the registry).
"""

from __future__ import annotations

import mesa

from agents.households import Household
from model.households.table import HouseholdTable


class HouseholdAccess:
    """Mesa's ``agents`` and ``agents_by_type`` over the household table."""

    @property
    def households(self) -> HouseholdTable:
        """The household table (owned by the queue): one row per agent still waiting."""
        return self.queue.table

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Every agent (Mesa's AgentSet): the municipalities and the household agents,
        made on demand for those waiting."""
        self._make_agents()
        return super().agents

    @property
    def agents_by_type(self) -> dict:
        """Agents by class (RegularSeeker, UrgentSeeker, StatusHolder, Municipality)."""
        self._make_agents()
        return super().agents_by_type

    def _make_agents(self) -> None:
        if "queue" in self.__dict__:  # (Mesa's own set-up runs before the market exists)
            self._agents.make_waiting(self.households)

    def agent(self, household_id: int) -> Household:
        """The agent of a household still in the market (made if it did not exist yet).

        Raises:
            KeyError: No household with that id is waiting.
        """
        return self._agents.of(self.households, household_id)
