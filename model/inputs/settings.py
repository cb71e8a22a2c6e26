"""A run's settings: scenario, parameters, lever schedules and seed, checked once.

Rules (README, "Settings"):

* A value given for a lever replaces the scenario's whole schedule for it: a
  plain value holds for the whole run; a list of dated values
  (``[{"from": "2027-01-01", "value": 0}, ...]``, or pairs) is the new
  schedule, with the default before its first date.
* A setting that has no effect under the others is refused, naming the
  setting that makes it inert (``needs`` in defaults.toml); so is the scale or
  start date given twice, and a start date outside the history (2022-01-01 to
  2026-01-01).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.base.errors import ParameterError
from model.inputs.history import HISTORY_END, HISTORY_START
from model.inputs.parameters import Parameters, parameter_specs
from model.inputs.policy import (
    Scenario,
    Timeline,
    inert_settings,
    is_schedule,
    load_scenario,
    parse_schedule,
)


@dataclass(frozen=True)
class Settings:
    """What a run was asked to do, checked.

    Attributes:
        scenario: The scenario (its own and inherited parameters and levers).
        params: Every parameter's value (a lever's value before its first change).
        timeline: Every lever's schedule.
        seed: The run's seed.
        user: The names the caller set (parameters, scale, start date).
    """

    scenario: Scenario
    params: Parameters
    timeline: Timeline
    seed: int
    user: frozenset[str]

    @classmethod
    def check(
        cls,
        scenario: str | Scenario,
        rng: int | None,
        households_per_agent: int | None = None,
        start_date: str | dt.date | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> Settings:
        """Read and check a run's settings.

        Raises:
            ParameterError: A setting is invalid; the message names it, the value
                and what is allowed.
        """
        seed = check_seed(rng)
        scenario_def, params, timeline = check_settings(
            scenario, households_per_agent, start_date, parameters
        )
        given = (
            ("scale.households_per_agent", households_per_agent),
            ("calendar.start_date", start_date),
        )
        user = frozenset(parameters or {}) | {n for n, v in given if v is not None}
        return cls(scenario_def, params, timeline, seed, frozenset(user))

    @property
    def start_params(self) -> Parameters:
        """The parameters of the situation on the start date: levers at their defaults.

        The start reproduces the situation before any lever acts.
        """
        specs = parameter_specs()
        return Parameters.from_overrides(
            {k: v for k, v in self.params.values.items() if not specs[k].lever}
        )

    def record(self) -> dict[str, Any]:
        """The settings a run applies, as plain JSON-able values.

        ``parameters``: every non-lever parameter's value; ``levers``: every
        lever's schedule as applied (``Timeline.schedule``); ``set_by_scenario``
        and ``set_by_user``: which names the scenario and the caller set.
        """

        def plain(v: Any) -> Any:
            if isinstance(v, dt.date):
                return v.isoformat()
            if isinstance(v, list | tuple):
                return [plain(x) for x in v]
            return v

        specs = parameter_specs()
        return {
            "scenario": self.scenario.name,
            "seed": self.seed,
            "parameters": {
                k: plain(v) for k, v in self.params.values.items() if not specs[k].lever
            },
            "levers": {
                k: [
                    {"from": step["from"], "value": plain(step["value"])}
                    for step in self.timeline.schedule(k)
                ]
                for k in specs
                if specs[k].lever
            },
            "set_by_scenario": sorted({*self.scenario.parameters, *self.scenario.levers}),
            "set_by_user": sorted(self.user),
        }


def check_seed(rng: Any) -> int:
    """The seed as a whole number >= 0 (None: a fresh one from the operating system)."""
    if rng is None:
        return int(np.random.SeedSequence().generate_state(1)[0] >> 1)
    if isinstance(rng, bool) or not isinstance(rng, int | np.integer) or rng < 0:
        raise ParameterError(f"parameter 'seed' = {rng!r}; allowed: a whole number >= 0")
    return int(rng)


def _user_values(
    households_per_agent: int | None,
    start_date: str | dt.date | None,
    parameters: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The caller's values by dotted name, the scale and start date among them."""
    if parameters is not None and not isinstance(parameters, Mapping):
        raise ParameterError(
            f"parameters = {parameters!r}; allowed: a mapping of dotted names "
            '("section.name") to values, e.g. {"allocation.lottery_share": 0.2}'
        )
    user = dict(parameters or {})
    for name, given in (
        ("scale.households_per_agent", households_per_agent),
        ("calendar.start_date", start_date),
    ):
        if given is not None and name in user:
            raise ParameterError(
                f"parameter '{name}' is given twice ({given!r} as an argument and "
                f"{user[name]!r} in the parameters); allowed: one of the two"
            )
    if households_per_agent is not None:
        user["scale.households_per_agent"] = households_per_agent
    if start_date is not None:
        user["calendar.start_date"] = (
            start_date.isoformat() if isinstance(start_date, dt.date) else start_date
        )
    return user


def check_settings(
    scenario: str | Scenario = "current-policy",
    households_per_agent: int | None = None,
    start_date: str | dt.date | None = None,
    parameters: Mapping[str, Any] | None = None,
) -> tuple[Scenario, Parameters, Timeline]:
    """Read and check a model's settings without building it (see the module docstring).

    Returns:
        The scenario, the parameters in force and the lever timeline.

    Raises:
        ParameterError: A setting is invalid; the message names it, the value
            and what is allowed.
    """
    scenario_def = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    user = _user_values(households_per_agent, start_date, parameters)
    specs = parameter_specs()
    values = dict(scenario_def.parameters)
    levers = dict(scenario_def.levers)
    for name, value in user.items():
        if name in specs and specs[name].lever:
            levers.pop(name, None)  # the user's value replaces the scenario's schedule
            steps = parse_schedule(name, value)
            if len(steps) == 1 and steps[0][0] == dt.date.min:
                values[name] = value  # one value for the whole run
            else:
                levers[name] = steps
        elif name in specs and is_schedule(value) and not isinstance(specs[name].value, list):
            parse_schedule(name, value)  # raises: not a lever, holds for the whole run
        else:
            values[name] = value
    params = Parameters.from_overrides(values)
    start = params.start_date
    if not HISTORY_START <= start <= HISTORY_END:
        raise ParameterError(
            f"parameter 'calendar.start_date' = '{start}'; allowed: the first of a month from "
            f"{HISTORY_START} (every run starts there, in its documented state, and runs on "
            f"observed inputs) to {HISTORY_END} (the last month observed is the one before)"
        )
    timeline = Timeline(params, levers)
    timeline.check(scenario_def.source)
    # Nothing silently ignored: the scenario's own settings (under the scenario
    # alone) and the user's (under everything) must each take effect.
    own = Timeline(Parameters.from_overrides(dict(scenario_def.parameters)), scenario_def.levers)
    problems = inert_settings(
        own, [*scenario_def.parameters, *scenario_def.levers], own.params.start_date
    )
    problems = [f"{scenario_def.source}: {p}" for p in problems]
    # A user value for something the scenario sets does act: it replaces the scenario's.
    scenario_set = {*scenario_def.parameters, *scenario_def.levers}
    problems += inert_settings(
        timeline, [n for n in user if n not in scenario_set], params.start_date
    )
    if problems:
        raise ParameterError(problems[0])
    return scenario_def, params, timeline
