"""Household agents (Mesa): regular seekers, urgent seekers and status holders."""

from agents.households import Household, RegularSeeker, StatusHolder, UrgentSeeker

__all__ = ["Household", "RegularSeeker", "StatusHolder", "UrgentSeeker"]
