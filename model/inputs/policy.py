"""Policy levers over time, and named scenarios.

A *lever* is a parameter that policy can change on a date (``lever = true`` in
``model/inputs/data/defaults.toml``). A scenario gives each lever a value from the
start, or a list of dated values; a date may be written as the start of a
phase of the letter (``preparation``, ``implementation``, ``normalisation``,
whose dates are the parameters ``phases.*_start``)::

    title = { nl = "...", en = "..." }
    description = { nl = "...", en = "..." }
    inherits = "current-policy"          # optional: start from another scenario
    reset = ["policy.quota_in_force"]    # optional: settings inherited, back to their defaults

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
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from model.base.calendar import add_months, as_date
from model.base.errors import ParameterError
from model.base.tomlfile import read_toml
from model.inputs.parameters import Parameters, check_value, parameter_specs


def lever_names() -> list[str]:
    """Dotted names of every parameter a timeline may change on a date."""
    return [name for name, spec in parameter_specs().items() if spec.lever]


PHASES = ("preparation", "implementation", "normalisation")

# A scenario's name: its file name without ``.toml`` (what ``inherits`` may name).
SCENARIO_NAME = r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}"
MAX_INHERITANCE = 20

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

    def schedule(self, name: str) -> list[dict[str, Any]]:
        """A lever's values as the run applies them: ``{"from", "value"}`` steps (JSON-able).

        The first step is ``"start"``: the value before any dated change.
        """
        out = [{"from": "start", "value": self.params[name]}]
        dates, values = self._resolved.get(name, ([], []))
        for date, value in zip(dates, values, strict=True):
            if date == dt.date.min:
                out = [{"from": "start", "value": value}]
            else:
                out.append({"from": date.isoformat(), "value": value})
        return out

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
        own_reset: The inherited settings this file puts back to their defaults.
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
    own_reset: tuple[str, ...] = ()
    source: str = ""


def scenario_dir() -> Path:
    """The folder holding the named scenario files."""
    return Path(str(resources.files("experiments").joinpath("scenarios")))


def scenario_names() -> list[str]:
    """Names of the scenarios shipped with the model."""
    return sorted(p.stem for p in scenario_dir().glob("*.toml"))


def _scenario_path(name_or_path: str | Path) -> Path:
    if not isinstance(name_or_path, str | Path) or not str(name_or_path):
        raise ParameterError(
            f"scenario = {name_or_path!r}; allowed: a scenario name "
            f"({', '.join(scenario_names())}), the path of a .toml file, or a loaded Scenario"
        )
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


def _read_scenario_file(path: Path) -> dict[str, Any]:
    """The TOML of a scenario file, or a ParameterError that says what is wrong with the file."""
    return read_toml(path, "scenario file")


def load_scenario(name_or_path: str | Path, _seen: tuple[Path, ...] = ()) -> Scenario:
    """Read and check a scenario by name (shipped) or path (a TOML file).

    A scenario may say ``inherits = "other-name"`` and then sets only what
    differs: its parameters and levers replace the other's, lever by lever.
    ``reset = [names]`` drops settings it inherits, so that they are back at
    their defaults: a lever's whole schedule, or a setting that would be inert
    (and refused) under the child's own levers.

    Raises:
        ParameterError: The name is unknown, or the file is malformed: the
            message names the file, the lever and what is allowed.
    """
    path = _scenario_path(name_or_path)
    where = str(path)
    raw = _read_scenario_file(path)
    _check_sections(raw, where)
    parameters, levers = _own_settings(raw, where)
    inherits = raw.get("inherits")
    merged_parameters, merged_levers = dict(parameters), dict(levers)
    reset: tuple[str, ...] = ()
    if inherits is not None:
        parent = _parent(inherits, path, _seen)
        reset = _reset(raw.get("reset", []), parent, {**parameters, **levers}, where)
        kept_parameters = {k: v for k, v in parent.parameters.items() if k not in reset}
        kept_levers = {k: v for k, v in parent.levers.items() if k not in reset}
        merged_parameters = {**kept_parameters, **parameters}
        merged_levers = {**kept_levers, **levers}
    elif "reset" in raw:
        raise ParameterError(
            f"{where}: 'reset' without 'inherits'; allowed: reset in a scenario that inherits "
            "the settings it resets"
        )
    return Scenario(
        name=path.stem,
        title=raw["title"],
        description=raw["description"],
        parameters=merged_parameters,
        levers=merged_levers,
        inherits=inherits,
        own_parameters=parameters,
        own_levers=levers,
        own_reset=reset,
        source=where,
    )


def _reset(names: Any, parent: Scenario, own: dict, where: str) -> tuple[str, ...]:
    """The inherited settings a scenario puts back to their defaults, checked: each one the
    parent sets, and not set again by the scenario itself."""
    inherited = {*parent.parameters, *parent.levers}
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ParameterError(
            f"{where}: 'reset' = {names!r}; allowed: a list of names the parent scenario "
            f"'{parent.name}' sets ({', '.join(sorted(inherited))})"
        )
    for name in names:
        if name not in inherited:
            raise ParameterError(
                f"{where}: 'reset' names '{name}', which '{parent.name}' does not set; "
                f"allowed: {', '.join(sorted(inherited))}"
            )
        if name in own:
            raise ParameterError(
                f"{where}: '{name}' is both reset and set; allowed: one of the two (a value "
                "of its own already replaces the inherited one)"
            )
    if len(set(names)) != len(names):
        raise ParameterError(f"{where}: 'reset' = {names!r} names a setting twice; allowed: once")
    return tuple(names)


def _check_sections(raw: dict, where: str) -> None:
    """Known sections only; a title and a description in Dutch and English; tables."""
    allowed_keys = {"title", "description", "inherits", "reset", "parameters", "levers"}
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
    for key in ("parameters", "levers"):
        if not isinstance(raw.get(key, {}), dict):
            raise ParameterError(
                f"{where}: '{key}' = {raw[key]!r} is not a table; allowed: a [{key}] table of "
                '"section.name" = value entries'
            )


def _own_settings(raw: dict, where: str) -> tuple[dict, dict]:
    """The scenario file's own parameters (not levers) and lever schedules, checked."""
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
        levers[name] = parse_schedule(name, value, where)
    return parameters, levers


def _parent(inherits: Any, path: Path, seen: tuple[Path, ...]) -> Scenario:
    """The scenario a file inherits from (a name: next to it, or shipped), without cycles.

    Cycles are found by the files' resolved paths, so that a link or another
    spelling of the same file is the same scenario.
    """
    where = str(path)
    if not isinstance(inherits, str) or not re.fullmatch(SCENARIO_NAME, inherits):
        raise ParameterError(
            f"{where}: 'inherits' = {inherits!r}; allowed: the name of a scenario (letters, "
            "digits, '-' and '_', no path or '.toml'), in the same folder or one of "
            f"{', '.join(scenario_names())}"
        )
    chain = (*seen, path.resolve())
    if len(chain) > MAX_INHERITANCE:
        raise ParameterError(
            f"{where}: inherits through more than {MAX_INHERITANCE} scenarios; allowed: "
            f"at most {MAX_INHERITANCE}"
        )
    parent_path = path.parent / f"{inherits}.toml"
    if not parent_path.exists():
        parent_path = _scenario_path(inherits)
    if parent_path.resolve() in chain:
        names = " -> ".join(p.stem for p in (*chain, parent_path))
        raise ParameterError(
            f"{where}: 'inherits' = '{inherits}' makes a cycle ({names}); allowed: a scenario "
            "that does not inherit back"
        )
    return load_scenario(parent_path, chain)


def is_schedule(value: Any) -> bool:
    """Whether a lever value is a schedule: a list of dated entries (dicts or pairs)."""
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(isinstance(v, dict) or (isinstance(v, tuple) and len(v) == 2) for v in value)
    )


def _when(name: str, start: Any, where: str) -> When:
    """A schedule step's start: a date (the first of a month), a phase name, or 'start'."""
    prefix = f"{where}: " if where else ""
    if isinstance(start, str) and start in PHASES:
        return start
    if isinstance(start, str) and start == "start":
        return dt.date.min
    when = as_date(start)
    if when is None:
        raise ParameterError(
            f"{prefix}lever '{name}' has 'from' = {start!r}; allowed: a date written "
            f"YYYY-MM-01, a phase ({', '.join(PHASES)}) or 'start'"
        )
    if when.day != 1:
        raise ParameterError(
            f"{prefix}lever '{name}' has 'from' = '{when.isoformat()}', not the first day of a "
            "month; allowed: a date YYYY-MM-01 (the model steps by calendar month)"
        )
    return when


def parse_schedule(name: str, value: Any, where: str = "") -> tuple[tuple[When, Any], ...]:
    """A lever's value as schedule steps: a value for the whole run, or dated values.

    Args:
        name: The lever's dotted name.
        value: A value (for the whole run), or a list of dated values, each a
            ``{"from": WHEN, "value": V}`` table or a ``(WHEN, V)`` pair. WHEN is
            a date YYYY-MM-01, a phase name, or ``"start"`` (from the start).
        where: Context for error messages (a file name, say).

    Raises:
        ParameterError: A malformed entry, a bad value, or dates out of order.
    """
    prefix = f"{where}: " if where else ""
    spec = parameter_specs()[name]
    if not spec.lever:
        raise ParameterError(
            f"{prefix}parameter '{name}' is not a lever: it holds for the whole run; allowed: "
            f"one value, {spec.allowed()}"
        )
    if not is_schedule(value):
        return ((dt.date.min, check_value(spec, value, where)),)
    steps: list[tuple[When, Any]] = []
    for step in value:
        if isinstance(step, dict):
            if set(step) != {"from", "value"}:
                raise ParameterError(
                    f"{prefix}lever '{name}' has a dated entry with keys {sorted(step)}; "
                    "allowed: exactly 'from' (a date YYYY-MM-01, a phase name or 'start') "
                    "and 'value'"
                )
            start, v = step["from"], step["value"]
        else:
            start, v = step
        steps.append((_when(name, start, where), check_value(spec, v, where)))
    plain = [d for d, _ in steps if not isinstance(d, str)]
    if plain != sorted(plain) or len(set(plain)) != len(plain):
        raise ParameterError(
            f"{prefix}lever '{name}' has dates {[_iso(d) for d in plain]}; "
            "allowed: dates in increasing order, each once"
        )
    return tuple(steps)


def _iso(when: When) -> str:
    if isinstance(when, str):
        return when
    return "start" if when == dt.date.min else when.isoformat()


def _holds(condition: Any, value: Any) -> bool:
    if isinstance(condition, str) and condition.startswith(">"):
        return isinstance(value, int | float) and value > float(condition[1:])
    return value == condition


def inert_settings(timeline: Timeline, names, start: dt.date) -> list[str]:
    """Why each of ``names`` would have no effect in a run from ``start`` (empty: all act).

    A parameter's ``needs`` (defaults.toml) lists alternatives; one alternative
    must hold on one date of the run (the start, or a date a lever changes).
    """
    specs = parameter_specs()
    end = add_months(start, timeline.params["calendar.months"])
    dates = [start, *(d for d in timeline.change_dates() if start < d < end)]
    states = [timeline.params.values | timeline.at(d) for d in dates]
    problems = [] if start >= end else _past_the_end(timeline, names, end)
    for name in names:
        if name.startswith("phases."):
            phase = name.removeprefix("phases.").removesuffix("_start")
            if not any(w == phase for steps in timeline.changes.values() for w, _ in steps):
                problems.append(
                    f"parameter '{name}' has no effect in this run: no lever changes on the "
                    f"'{phase}' phase in this scenario; allowed: leave it out, or tie a lever "
                    f'to the phase ({{ from = "{phase}", value = ... }})'
                )
            elif _before_start(timeline.params[name], specs[name].value, start):
                problems.append(
                    f"parameter '{name}' = {_iso(as_date(timeline.params[name]))} has no effect "
                    f"in this run: the run starts on {start.isoformat()}, the months before it "
                    "are the observed history, and a phase that begins on or before the start "
                    f"is in force from the start either way (as at its default, "
                    f"{specs[name].value}); allowed: a date after {start.isoformat()}"
                )
            continue
        needs = specs[name].needs
        if not needs:
            continue
        if any(
            all(_holds(c, state[k]) for k, c in alt.items()) for alt in needs for state in states
        ):
            continue
        why = " or ".join(
            " and ".join(f"'{k}' {_condition_text(c)}" for k, c in alt.items()) for alt in needs
        )
        now = ", ".join(
            sorted({f"'{k}' = {_value_text(states[0][k])}" for alt in needs for k in alt})
        )
        problems.append(
            f"parameter '{name}' has no effect in this run: it acts only when {why}, "
            f"and here {now}{' throughout' if len(states) > 1 else ''}; allowed: leave it out, "
            "or change that setting too"
        )
    # The SFT levers act before the scheme's end, flex building after it from it on.
    dated = {
        k: [d for d in dates if d != dt.date.min] for k, (dates, _) in timeline._resolved.items()
    }
    problems += sft_inert(timeline.params, dated, names, start)
    return problems


def _before_start(value: Any, default: Any, start: dt.date) -> bool:
    """Whether a phase date and its default both fall on or before the run's start (then
    the phase is in force from the start at either date)."""
    return as_date(value) <= start and as_date(default) <= start


def _past_the_end(timeline: Timeline, names, end: dt.date) -> list[str]:
    """A dated value of one of ``names`` from the run's end on never takes effect."""
    problems = []
    for name in names:
        dates, _ = timeline._resolved.get(name, ([], []))
        late = [d for d in dates if d >= end]
        if late:
            problems.append(
                f"lever '{name}' has a value from {late[0].isoformat()}, when the run has "
                f"ended (it runs to {end.isoformat()}, 'calendar.months' = "
                f"{timeline.params['calendar.months']}); allowed: dates before "
                f"{end.isoformat()}, or a longer run"
            )
    return problems


def _condition_text(condition: Any) -> str:
    if isinstance(condition, str) and condition.startswith(">"):
        return f"is {condition.strip()}"
    return f"= {_value_text(condition)}"


def _value_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"'{value}'"
    return f"{value:g}" if isinstance(value, float) else str(value)


def sft_inert(params: Parameters, changes: dict, names, start) -> list[str]:
    """Why SFT settings in ``names`` would have no effect (empty: all act).

    The SFT levers (``stock.flex_additions_per_year``, ``stock.flex_reserved_share``)
    act only before ``stock.sft_end_date``; ``stock.flex_additions_after_sft_per_year``
    only from it, within the run.

    Args:
        params: The run's parameters.
        changes: Per lever, its dated steps as dates (phases resolved).
        names: The settings to check.
        start: The run's start date.
    """
    end_of_sft = params["stock.sft_end_date"]
    end_of_run = add_months(start, params["calendar.months"])
    out = []
    for name in names:
        if name in ("stock.flex_additions_per_year", "stock.flex_reserved_share"):
            late = [d for d in changes.get(name, ()) if d >= end_of_sft]
            if start >= end_of_sft or late:
                when = late[0].isoformat() if late else start.isoformat()
                out.append(
                    f"parameter '{name}' has no effect from {when}: the SFT scheme ends on "
                    f"{end_of_sft.isoformat()} ('stock.sft_end_date'); allowed: dates before "
                    "it, or 'stock.flex_additions_after_sft_per_year' for flex building after it"
                )
        elif name == "stock.flex_additions_after_sft_per_year" and end_of_sft >= end_of_run:
            out.append(
                f"parameter '{name}' has no effect in this run: the SFT scheme ends on "
                f"{end_of_sft.isoformat()} ('stock.sft_end_date'), after the run ends "
                f"({end_of_run.isoformat()}); allowed: leave it out, or a longer run"
            )
    return out
