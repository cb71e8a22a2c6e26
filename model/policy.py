"""Policy levers over time, and named scenarios.

A *lever* is a parameter that policy can change on a date (``lever = true`` in
``model/data/defaults.toml``). A scenario gives each lever a value from the
start, or a list of dated values::

    [levers]
    "allocation.lottery_share" = 0.2
    "allocation.urgent_share_cap" = [
        { from = "2025-07-01", value = 0.17 },
        { from = "2026-07-01", value = 0.10 },
    ]

Each month the model asks the :class:`Timeline` for the levers in force on
the month's first day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from model.parameters import ParameterError, Parameters, check_value, parameter_specs


def lever_names() -> list[str]:
    """Dotted names of every parameter a timeline may change on a date."""
    return [name for name, spec in parameter_specs().items() if spec.lever]


@dataclass(frozen=True)
class Timeline:
    """Each lever's value from its start date on.

    Attributes:
        changes: Per lever, (date, value) pairs sorted by date; before the
            first date the parameter's own value applies.
    """

    params: Parameters
    changes: Mapping[str, tuple[tuple[dt.date, Any], ...]] = field(default_factory=dict)

    def at(self, date: dt.date) -> dict[str, Any]:
        """The value of every lever in force on ``date``."""
        values = {name: self.params[name] for name in lever_names()}
        for name, steps in self.changes.items():
            dates = [d for d, _ in steps]
            k = bisect.bisect_right(dates, date)
            if k:
                values[name] = steps[k - 1][1]
        return values

    def change_dates(self) -> list[dt.date]:
        """Every date on which some lever changes."""
        return sorted({d for steps in self.changes.values() for d, _ in steps})


@dataclass(frozen=True)
class Scenario:
    """A named scenario: a title, a description, parameter values and dated levers.

    Attributes:
        name: The scenario's file name without ``.toml``.
        title: Short title, by language (``nl``, ``en``).
        description: What the scenario sets and why, by language.
        parameters: Parameter values (dotted names) that hold for the whole run.
        levers: Dated lever values: per lever, (date, value) pairs.
        source: The file it was read from.
    """

    name: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    parameters: Mapping[str, Any]
    levers: Mapping[str, tuple[tuple[dt.date, Any], ...]]
    source: str = ""


def scenario_dir() -> Path:
    """The folder holding the named scenario files."""
    return Path(str(resources.files("experiments").joinpath("scenarios")))


def scenario_names() -> list[str]:
    """Names of the scenarios shipped with the model."""
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Read and check a scenario by name (shipped) or path (a TOML file).

    Raises:
        ParameterError: The name is unknown, or the file is malformed: the
            message names the file, the lever and what is allowed.
    """
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = scenario_dir() / f"{name_or_path}.toml"
        if not path.exists():
            raise ParameterError(
                f"unknown scenario '{name_or_path}'; allowed: {', '.join(scenario_names())} "
                "or the path of a .toml scenario file"
            )
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"scenario file '{where}' does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise ParameterError(f"{where}: not valid TOML ({err})") from None
    allowed_keys = {"title", "description", "parameters", "levers"}
    unknown = set(raw) - allowed_keys
    if unknown:
        raise ParameterError(
            f"{where}: unknown section(s) {sorted(unknown)}; allowed: {sorted(allowed_keys)}"
        )
    for key in ("title", "description"):
        text = raw.get(key)
        if not isinstance(text, dict) or not all(
            isinstance(text.get(lang), str) and text[lang] for lang in ("nl", "en")
        ):
            raise ParameterError(
                f"{where}: '{key}' must be a table with non-empty texts 'nl' and 'en'"
            )
    specs = parameter_specs()
    parameters = dict(raw.get("parameters", {}))
    for name, value in parameters.items():
        if name not in specs:
            raise ParameterError(
                f"{where}: unknown parameter '{name}'; allowed: {', '.join(sorted(specs))}"
            )
        check_value(specs[name], value, where)
    levers: dict[str, tuple[tuple[dt.date, Any], ...]] = {}
    for name, value in raw.get("levers", {}).items():
        if name not in specs or not specs[name].lever:
            raise ParameterError(
                f"{where}: unknown lever '{name}'; allowed: {', '.join(lever_names())}"
            )
        levers[name] = _parse_schedule(name, value, where)
    return Scenario(
        name=path.stem,
        title=raw["title"],
        description=raw["description"],
        parameters=parameters,
        levers=levers,
        source=where,
    )


def _parse_schedule(name: str, value: Any, where: str) -> tuple[tuple[dt.date, Any], ...]:
    spec = parameter_specs()[name]
    is_schedule = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
    if not is_schedule:
        return ((dt.date.min, check_value(spec, value, where)),)
    steps = []
    for step in value:
        if set(step) != {"from", "value"}:
            raise ParameterError(
                f"{where}: lever '{name}' has a dated entry with keys {sorted(step)}; "
                "allowed: exactly 'from' (a date YYYY-MM-DD) and 'value'"
            )
        start = step["from"]
        if isinstance(start, str):
            try:
                start = dt.date.fromisoformat(start)
            except ValueError:
                start = None
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            raise ParameterError(
                f"{where}: lever '{name}' has 'from' = {step['from']!r}; "
                "allowed: a date written YYYY-MM-DD"
            )
        steps.append((start, check_value(spec, step["value"], where)))
    dates = [d for d, _ in steps]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise ParameterError(
            f"{where}: lever '{name}' has dates {[d.isoformat() for d in dates]}; "
            "allowed: dates in increasing order, each once"
        )
    return tuple(steps)
