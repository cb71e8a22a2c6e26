"""Agent-based model of the Dutch social rental market (Mesa).

Status holders, urgent seekers and regular seekers compete for the same
scarce corporation vacancies; see ``model.market.HousingMarket``.

The names below are loaded on first use, so that importing one module of the
package (``model.base.calendar``, say) does not import the whole model: the
household agents (``agents``) build on the model's base, and the model on the
agents, without an import circle (docs/architecture.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "HousingMarket": "model.market",
    "ParameterError": "model.base.errors",
    "Parameters": "model.inputs.parameters",
    "Results": "model.reporting.results",
    "Scenario": "model.inputs.policy",
    "load_scenario": "model.inputs.policy",
    "scenario_names": "model.inputs.policy",
}

__all__ = [
    "HousingMarket",
    "ParameterError",
    "Parameters",
    "Results",
    "Scenario",
    "load_scenario",
    "scenario_names",
]

if TYPE_CHECKING:
    from model.base.errors import ParameterError
    from model.inputs.parameters import Parameters
    from model.inputs.policy import Scenario, load_scenario, scenario_names
    from model.market import HousingMarket
    from model.reporting.results import Results


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
