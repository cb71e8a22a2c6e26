"""Policy levers over time, and named scenarios.

A *lever* is a parameter that policy can change on a date (``lever = true`` in
``model/data/defaults.toml``). A scenario gives each lever a value from the
start, or a list of dated values; a date may be written as the start of a
phase of the letter (``preparation``, ``implementation``, ``normalisation``,
whose dates are the parameters ``phases.*_start``)::

    title = { nl = "...", en = "..." }
    description = { nl = "...", en = "..." }
    inherits = "current-policy"          # optional: start from another scenario

    [levers]
    "allocation.lottery_share" = 0.2
    "policy.status_holder_priority" = [{ from = "implementation", value = false }]
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
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from model.parameters import ParameterError, Parameters, check_value, parameter_specs


def lever_names() -> list[str]:
    """Dotted names of every parameter a timeline may change on a date."""
    return [name for name, spec in parameter_specs().items() if spec.lever]


PHASES = ("preparation", "implementation", "normalisation")

# A schedule step starts on a date, or on the start of a phase of the letter.
When = dt.date | str


@dataclass(frozen=True)
class Timeline:
    """Each lever's value from its start date on.

    Attributes:
        params: The parameters (each lever's value before its first change,
            and the phase dates).
        changes: Per lever, (date or phase name, value) steps in order; before
            the first step the parameter's own value applies.
    """

    params: Parameters
    changes: Mapping[str, tuple[tuple[When, Any], ...]] = field(default_factory=dict)

    def resolve(self, when: When) -> dt.date:
        """The date of a step: itself, or the start of the named phase."""
        if isinstance(when, str):
            return self.params[f"phases.{when}_start"]
        return when

    @cached_property
    def _resolved(self) -> dict[str, tuple[list[dt.date], list[Any]]]:
        out = {}
        for name, steps in self.changes.items():
            dates = [self.resolve(w) for w, _ in steps]
            out[name] = (dates, [v for _, v in steps])
        return out

    def at(self, date: dt.date) -> dict[str, Any]:
        """The value of every lever in force on ``date``."""
        values = {name: self.params[name] for name in lever_names()}
        for name, (dates, vals) in self._resolved.items():
            k = bisect.bisect_right(dates, date)
            if k:
                values[name] = vals[k - 1]
        return values

    def change_dates(self) -> list[dt.date]:
        """Every date on which some lever changes."""
        return sorted({d for dates, _ in self._resolved.values() for d in dates})

    def check(self, where: str = "") -> None:
        """Reject schedules that contradict themselves or each other.

        Raises:
            ParameterError: Steps out of order once phases are resolved, or a
                combination of levers that cannot hold at the same time.
        """
        prefix = f"{where}: " if where else ""
        for name, (dates, _) in self._resolved.items():
            if dates != sorted(dates) or len(set(dates)) != len(dates):
                raise ParameterError(
                    f"{prefix}lever '{name}' changes on {[d.isoformat() for d in dates]}; "
                    "allowed: dates (and phase starts) in increasing order, each once"
                )
        for date in [dt.date.min, *self.change_dates()]:
            v = self.at(date)
            when = "from the start" if date == dt.date.min else f"from {date.isoformat()}"
            if v["policy.singles_exception"] and v["policy.status_holder_priority"]:
                raise ParameterError(
                    f"{prefix}'policy.singles_exception' is true {when} while "
                    "'policy.status_holder_priority' is also true; allowed: the exception only "
                    "while priority for status holders is banned (set priority to false)"
                )
            if v["policy.no_urgency_for_residence_permit"] and v["policy.status_holder_priority"]:
                raise ParameterError(
                    f"{prefix}'policy.no_urgency_for_residence_permit' (Mooiman) is true {when} "
                    "while 'policy.status_holder_priority' is true; allowed: Mooiman also bars "
                    "priority for status holders, so set that lever to false on the same date"
                )
            if v["policy.no_urgency_for_residence_permit"] and v["policy.singles_exception"]:
                raise ParameterError(
                    f"{prefix}'policy.no_urgency_for_residence_permit' (Mooiman) and "
                    f"'policy.singles_exception' are both true {when}; allowed: one of them "
                    "(Mooiman leaves no priority on any ground)"
                )
            order = v["allocation.route_order"]
            if sorted(order) != sorted(self.params["allocation.route_order"]) or (
                order[-1] != "advertised"
            ):
                raise ParameterError(
                    f"{prefix}'allocation.route_order' = {order} {when}; allowed: every route "
                    "once, with 'advertised' last (switch a route off with its own lever)"
                )


@dataclass(frozen=True)
class Scenario:
    """A named scenario: a title, a description, parameter values and dated levers.

    Attributes:
        name: The scenario's file name without ``.toml``.
        title: Short title, by language (``nl``, ``en``).
        description: What the scenario sets and why, by language.
        parameters: Non-lever parameter values for the whole run (with inherited ones).
        levers: Dated lever values (with inherited ones): per lever, steps of
            (date or phase name, value).
        inherits: The scenario this one builds on, or None.
        own_parameters: The parameters this file itself sets.
        own_levers: The levers this file itself sets.
        source: The file it was read from.
    """

    name: str
    title: Mapping[str, str]
    description: Mapping[str, str]
    parameters: Mapping[str, Any]
    levers: Mapping[str, tuple[tuple[When, Any], ...]]
    inherits: str | None = None
    own_parameters: Mapping[str, Any] = field(default_factory=dict)
    own_levers: Mapping[str, tuple[tuple[When, Any], ...]] = field(default_factory=dict)
    source: str = ""


def scenario_dir() -> Path:
    """The folder holding the named scenario files."""
    return Path(str(resources.files("experiments").joinpath("scenarios")))


def scenario_names() -> list[str]:
    """Names of the scenarios shipped with the model."""
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def _scenario_path(name_or_path: str | Path) -> Path:
    path = Path(name_or_path)
    if path.suffix == ".toml":
        return path
    path = scenario_dir() / f"{name_or_path}.toml"
    if not path.exists():
        raise ParameterError(
            f"unknown scenario '{name_or_path}'; allowed: {', '.join(scenario_names())} "
            "or the path of a .toml scenario file"
        )
    return path


def load_scenario(name_or_path: str | Path, _seen: tuple[str, ...] = ()) -> Scenario:
    """Read and check a scenario by name (shipped) or path (a TOML file).

    A scenario may say ``inherits = "other-name"`` and then sets only what
    differs: its parameters and levers replace the other's, lever by lever.

    Raises:
        ParameterError: The name is unknown, or the file is malformed: the
            message names the file, the lever and what is allowed.
    """
    path = _scenario_path(name_or_path)
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"scenario file '{where}' does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise ParameterError(f"{where}: not valid TOML ({err})") from None
    allowed_keys = {"title", "description", "inherits", "parameters", "levers"}
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
        if specs[name].lever:
            raise ParameterError(
                f"{where}: '{name}' is a lever; allowed: set it under [levers], "
                "where it may also change on a date"
            )
        check_value(specs[name], value, where)
    levers: dict[str, tuple[tuple[When, Any], ...]] = {}
    for name, value in raw.get("levers", {}).items():
        if name not in specs or not specs[name].lever:
            raise ParameterError(
                f"{where}: unknown lever '{name}'; allowed: {', '.join(lever_names())}"
            )
        levers[name] = _parse_schedule(name, value, where)
    inherits = raw.get("inherits")
    merged_parameters, merged_levers = dict(parameters), dict(levers)
    if inherits is not None:
        if not isinstance(inherits, str):
            raise ParameterError(f"{where}: 'inherits' must be a scenario name")
        if inherits in (*_seen, path.stem):
            raise ParameterError(
                f"{where}: 'inherits' = '{inherits}' makes a cycle "
                f"({' -> '.join((*_seen, path.stem, inherits))}); allowed: a scenario that "
                "does not inherit back"
            )
        parent_path = path.parent / f"{inherits}.toml"
        parent = load_scenario(
            parent_path if parent_path.exists() else inherits, (*_seen, path.stem)
        )
        merged_parameters = {**parent.parameters, **parameters}
        merged_levers = {**parent.levers, **levers}
    return Scenario(
        name=path.stem,
        title=raw["title"],
        description=raw["description"],
        parameters=merged_parameters,
        levers=merged_levers,
        inherits=inherits,
        own_parameters=parameters,
        own_levers=levers,
        source=where,
    )


def _parse_schedule(name: str, value: Any, where: str) -> tuple[tuple[When, Any], ...]:
    spec = parameter_specs()[name]
    is_schedule = isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
    if not is_schedule:
        return ((dt.date.min, check_value(spec, value, where)),)
    steps: list[tuple[When, Any]] = []
    for step in value:
        if set(step) != {"from", "value"}:
            raise ParameterError(
                f"{where}: lever '{name}' has a dated entry with keys {sorted(step)}; "
                "allowed: exactly 'from' (a date YYYY-MM-DD or a phase name) and 'value'"
            )
        start = step["from"]
        if isinstance(start, str) and start in PHASES:
            when: When = start
        else:
            when = None
            if isinstance(start, str):
                try:
                    when = dt.date.fromisoformat(start)
                except ValueError:
                    when = None
            elif isinstance(start, dt.date) and not isinstance(start, dt.datetime):
                when = start
            if when is None:
                raise ParameterError(
                    f"{where}: lever '{name}' has 'from' = {step['from']!r}; allowed: a date "
                    f"written YYYY-MM-DD or a phase: {', '.join(PHASES)}"
                )
        steps.append((when, check_value(spec, step["value"], where)))
    dates = [w for w in steps if not isinstance(w[0], str)]
    plain = [d for d, _ in dates]
    if plain != sorted(plain) or len(set(plain)) != len(plain):
        raise ParameterError(
            f"{where}: lever '{name}' has dates {[d.isoformat() for d in plain]}; "
            "allowed: dates in increasing order, each once"
        )
    return tuple(steps)
