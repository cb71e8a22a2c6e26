"""Agent-based model of the Dutch social rental market (Mesa).

Status holders, urgent seekers and regular seekers compete for the same
scarce corporation vacancies; see ``model.market.HousingMarket``.
"""

from model.market import HousingMarket
from model.parameters import ParameterError, Parameters
from model.policy import Scenario, load_scenario, scenario_names
from model.results import Results

__all__ = [
    "HousingMarket",
    "ParameterError",
    "Parameters",
    "Results",
    "Scenario",
    "load_scenario",
    "scenario_names",
]
