"""The levers a room can move: what each one sets in the model, and how it reads.

A lever starts *from the scenario*: its slider shows the scenario's value and
the model gets nothing from it. Once moved, it holds its value for the whole
run and replaces the scenario's schedule for that parameter (the model's
settings rule); "back to the scenario" undoes that. A lever that would have no
effect in the chosen scenario (the model refuses such a setting) is not shown.

Values are kept in the model's own units (a share as 0.17, homes a year, a
number of months); the slider moves over a list of *positions*, and
:meth:`Lever.text` writes a value with its unit, in Dutch or English.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

from model import HousingMarket, ParameterError
from model.inputs.parameters import parameter_specs
from workshop.text import add_months, month_label, number, percent, t


@dataclasses.dataclass(frozen=True)
class Lever:
    """A lever on one model parameter.

    Attributes:
        key: Short name in links and files (``nieuwbouw``).
        parameter: The model parameter it sets (``stock.new_construction_per_year``).
        name: (Dutch, English) label.
        help: (Dutch, English) one line on what it does.
        kind: How the value reads: ``count`` (with ``unit``), ``share`` (a
            percentage) or ``factor`` (a percentage of the expected path).
        positions: The values the slider can take, in the model's units.
        unit: (Dutch, English) unit after a count.
        short: (Dutch, English) word for the lever in a run's name
            (``nieuwbouw`` in "Huidig beleid, eigen keuze: nieuwbouw 31.000").
    """

    key: str
    parameter: str
    name: tuple[str, str]
    help: tuple[str, str]
    kind: str
    positions: tuple[Any, ...]
    unit: tuple[str, str] = ("", "")
    short: tuple[str, str] = ("", "")

    def label(self, lang: str) -> str:
        return self.name[lang == "en"]

    def short_label(self, lang: str) -> str:
        return self.short[lang == "en"] or self.key

    def short_text(self, value: Any, lang: str) -> str:
        """The value in a run's name: ``31.000``, ``25%``, ``+6 mnd``."""
        if self.kind in ("share", "factor"):
            return percent(value, lang)
        return number(value, lang)

    def explanation(self, lang: str) -> str:
        return self.help[lang == "en"]

    def positions_for(self, scenario: str) -> tuple[Any, ...]:
        """The slider's positions in a scenario (the same for every scenario here)."""
        return self.positions

    def parameters(self, value: Any, scenario: str) -> dict[str, Any]:
        """What the model gets when the lever is set to ``value``."""
        return {self.parameter: value}

    def text(self, value: Any, lang: str) -> str:
        """The value with its unit: ``25.000 woningen per jaar``, ``17%``."""
        if isinstance(value, bool):
            return t("yes" if value else "no", lang)
        if self.kind == "share":
            return percent(value, lang)
        if self.kind == "factor":
            return f"{percent(value, lang)} {t('of_path', lang)}"
        return f"{number(value, lang)} {self.unit[lang == 'en']}".strip()

    def scenario_steps(self, scenario: str) -> list[tuple[dt.date | None, Any]]:
        """The scenario's values for this lever: (date or None for the start, value)."""
        _, params, timeline = settings_of(scenario)
        steps: list[tuple[dt.date | None, Any]] = []
        for step in timeline.schedule(self.parameter):
            when = None if step["from"] == "start" else dt.date.fromisoformat(step["from"])
            if when is not None and when <= params.start_date:
                steps = []  # a change on the start date replaces the value before it
                when = None
            steps.append((when, step["value"]))
        return steps

    def scenario_value(self, scenario: str) -> Any:
        """The value the scenario gives the lever at the start."""
        return self.scenario_steps(scenario)[0][1]

    def scenario_text(self, scenario: str, lang: str) -> str:
        """The scenario's values in words: ``7.500 per jaar; vanaf jan 2028: 4.511 per jaar``."""
        parts = []
        for when, value in self.scenario_steps(scenario):
            text = self.text(value, lang)
            if when is not None:
                text = f"{t('from_date', lang, date=month_label(when, lang))}: {text}"
            parts.append(text)
        return "; ".join(parts)

    def nearest(self, value: Any, scenario: str) -> int:
        """The slider position closest to ``value``."""
        positions = self.positions_for(scenario)
        return min(range(len(positions)), key=lambda i: abs(positions[i] - value))

    def acts_in(self, scenario: str) -> bool:
        """Whether setting the lever changes anything in ``scenario`` (the model's own check)."""
        return _acts(self, scenario)


@dataclasses.dataclass(frozen=True)
class DelayLever(Lever):
    """Moves the start of the letter's implementation phase (and the normalisation after it).

    The value is a number of months. Every lever the scenario ties to a phase
    moves with it; a scenario that ties nothing to a phase does not show this lever.
    """

    phases: tuple[str, ...] = ("implementation", "normalisation")

    def _used_phases(self, scenario: str) -> list[str]:
        scenario_def, _, _ = settings_of(scenario)
        used = {w for steps in scenario_def.levers.values() for w, _ in steps if isinstance(w, str)}
        return [p for p in self.phases if p in used]

    def positions_for(self, scenario: str) -> tuple[Any, ...]:
        """Up to a year when only the implementation phase is used: it may not pass the next."""
        used = self._used_phases(scenario)
        if used == [self.phases[0]]:
            _, params, _ = settings_of(scenario)
            first, then = (params[f"phases.{p}_start"] for p in self.phases)
            room = (then.year - first.year) * 12 + then.month - first.month
            return tuple(p for p in self.positions if p <= room)
        return self.positions

    def parameters(self, value: Any, scenario: str) -> dict[str, Any]:
        _, params, _ = settings_of(scenario)
        return {
            f"phases.{p}_start": add_months(params[f"phases.{p}_start"], int(value)).isoformat()
            for p in self._used_phases(scenario)
        }

    def start_of(self, value: Any, scenario: str) -> dt.date:
        _, params, _ = settings_of(scenario)
        return add_months(params[f"phases.{self.phases[0]}_start"], int(value))

    def text(self, value: Any, lang: str) -> str:
        return f"+{number(value, lang)} {t('months', lang)}"

    def short_text(self, value: Any, lang: str) -> str:
        return f"+{number(value, lang)} {t('months_short', lang)}"

    def scenario_steps(self, scenario: str) -> list[tuple[dt.date | None, Any]]:
        return [(None, 0)]

    def scenario_text(self, scenario: str, lang: str) -> str:
        return self.value_text(0, scenario, lang)

    def value_text(self, value: Any, scenario: str, lang: str) -> str:
        start = month_label(self.start_of(value, scenario), lang)
        return f"{self.text(value, lang)}: {start}"


def run_title(scenario: str, moved: Mapping[str, Any], levers, lang: str) -> str:
    """A run's name: the scenario's title and, if the room moved levers, which and to what.

    ``Samenhangend pakket (kabinet), eigen keuze: nieuwbouw 31.000, loting 25%``. A run
    with levers moved never carries the plain scenario's name.
    """
    try:
        title = settings_of(scenario)[0].title[lang]
    except ParameterError:
        title = scenario
    own = [
        f"{lever.short_label(lang)} {lever.short_text(moved[lever.key], lang)}"
        for lever in levers
        if lever.key in moved
    ]
    return f"{title}, {t('own_choice', lang)}: {', '.join(own)}" if own else title


def value_text(lever: Lever, value: Any, scenario: str, lang: str) -> str:
    """A lever's value in words, in the context of a scenario (dates for the delay)."""
    if isinstance(lever, DelayLever):
        return lever.value_text(value, scenario, lang)
    return lever.text(value, lang)


@cache
def settings_of(scenario: str):
    """The scenario's settings as the model reads them (scenario, parameters, timeline).

    Raises:
        ParameterError: The scenario cannot be read.
    """
    return HousingMarket.check_settings(scenario)


@cache
def _acts(lever: Lever, scenario: str) -> bool:
    try:
        positions = lever.positions_for(scenario)
        current = lever.scenario_value(scenario)
    except ParameterError:
        return False
    probe = max(positions, key=lambda p: abs(p - current))
    parameters = lever.parameters(probe, scenario)
    if not parameters:
        return False
    try:
        HousingMarket.check_settings(scenario, parameters=parameters)
    except ParameterError as err:
        return "has no effect" not in str(err)
    return True


def clear_caches() -> None:
    """Forget what was read from the scenario files (after a file changed)."""
    settings_of.cache_clear()
    _acts.cache_clear()


def steps(start: float, stop: float, step: float) -> tuple[float, ...]:
    """``start, start + step, ..., stop`` without floating-point drift."""
    n = round((stop - start) / step)
    values = [start + i * step for i in range(n + 1)]
    if isinstance(step, float) or isinstance(start, float):
        return tuple(round(v, 6) for v in values)
    return tuple(int(v) for v in values)


def count(key, parameter, name, help, upto, step, unit, short=("", "")) -> Lever:
    """A lever on a number of homes (or places) a year."""
    return Lever(key, parameter, name, help, "count", steps(0, upto, step), unit, short)


def share(key, parameter, name, help, upto, step, short=("", "")) -> Lever:
    """A lever on a share, shown as a percentage."""
    return Lever(key, parameter, name, help, "share", steps(0.0, upto, step), short=short)


def factor(key, parameter, name, help, lowest, highest, step, short=("", "")) -> Lever:
    """A lever on a multiplier, shown as a percentage of the expected path."""
    return Lever(key, parameter, name, help, "factor", steps(lowest, highest, step), short=short)


def delay(key, name, help, upto, step, short=("", "")) -> DelayLever:
    """The lever that moves the letter's phases by a number of months."""
    return DelayLever(key, "phases", name, help, "delay", steps(0, upto, step), short=short)


def check_levers(levers) -> None:
    """Each lever names a model parameter and stays inside its allowed range.

    Raises:
        ValueError: A lever does not.
    """
    specs = parameter_specs()
    keys = [lever.key for lever in levers]
    if len(set(keys)) != len(keys):
        raise ValueError(f"lever keys {keys} repeat")
    for lever in levers:
        if isinstance(lever, DelayLever):
            continue
        spec = specs[lever.parameter]
        lo = spec.minimum if spec.minimum is not None else float("-inf")
        hi = spec.maximum if spec.maximum is not None else float("inf")
        if not all(lo <= p <= hi for p in lever.positions):
            raise ValueError(f"lever {lever.key}: positions outside {spec.allowed()}")


def model_parameters(levers, overrides: Mapping[str, Any], scenario: str) -> dict[str, Any]:
    """The model's ``parameters`` for the levers the room moved (``overrides`` by key)."""
    out: dict[str, Any] = {}
    for lever in levers:
        if lever.key in overrides:
            out.update(lever.parameters(overrides[lever.key], scenario))
    return out
