"""The policy phases a room should see on every chart, read from a run's own settings.

Four moments change the picture: the ban on priority for status holders, the
normalisation phase of the letter, the end of the SFT scheme (flex homes
reserved for status holders) and the end of the housing quota. Their dates
come from the run's lever timeline and parameters (``model.inputs.policy.Timeline``),
so a lever that moves a phase (the delay) moves its mark too, and a scenario
without a ban shows no ban. A mark is drawn only inside the run's horizon.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from workshop.text import add_months, month_label

LABELS: dict[str, tuple[str, str]] = {
    "ban": ("verbod op voorrang", "ban on priority"),
    "normalisation": ("normalisatie", "normalisation"),
    "sft_end": ("einde SFT", "SFT ends"),
    "quota_end": ("taakstelling vervalt", "quota ends"),
}

# The same moments inside a sentence ("after the ban on priority (Jul 2026)").
IN_A_SENTENCE: dict[str, tuple[str, str]] = {
    "ban": ("het verbod op voorrang", "the ban on priority"),
    "normalisation": ("het begin van de normalisatie", "the start of normalisation"),
    "sft_end": ("het einde van de SFT-regeling", "the end of the SFT scheme"),
    "quota_end": ("het vervallen van de taakstelling", "the end of the quota"),
}


@dataclasses.dataclass(frozen=True)
class Mark:
    """A policy moment on the time axis.

    Attributes:
        date: The first day it applies.
        key: ``ban``, ``normalisation``, ``sft_end`` or ``quota_end``.
        side: ``A`` or ``B`` when only one side of a comparison has it, else empty.
    """

    date: dt.date
    key: str
    side: str = ""

    def label(self, lang: str) -> str:
        text = LABELS[self.key][lang == "en"]
        return f"{self.side}: {text}" if self.side else text

    def sentence(self, lang: str) -> str:
        """``verbod op voorrang (jul 2026)``."""
        return f"{IN_A_SENTENCE[self.key][lang == 'en']} ({month_label(self.date, lang)})"

    @property
    def x(self) -> float:
        """Its position on the charts' axis (years as decimals)."""
        return self.date.year + (self.date.month - 1) / 12 + (self.date.day - 1) / 365.25


def _switched_off(timeline, name: str) -> dt.date | None:
    """The first date on which a true/false lever turns false (None: never, or from the start)."""
    for step in timeline.schedule(name):
        if step["from"] != "start" and step["value"] is False:
            return dt.date.fromisoformat(step["from"])
    return None


def of_timeline(timeline, params, months: int) -> tuple[Mark, ...]:
    """The marks of a run's timeline and parameters within its ``months``.

    Args:
        timeline: The run's ``model.inputs.policy.Timeline``.
        params: The run's parameters.
        months: The run's horizon.
    """
    start = params["calendar.start_date"]
    end = add_months(start, months)
    uses_normalisation = any(
        when == "normalisation" for steps in timeline.changes.values() for when, _ in steps
    )
    found = [
        ("ban", _switched_off(timeline, "policy.status_holder_priority")),
        ("normalisation", params["phases.normalisation_start"] if uses_normalisation else None),
        ("sft_end", params["stock.sft_end_date"]),
        ("quota_end", _switched_off(timeline, "policy.quota_in_force")),
    ]
    marks = [Mark(date, key) for key, date in found if date is not None and start < date < end]
    return tuple(sorted(marks, key=lambda m: m.date))


@lru_cache(maxsize=256)
def of_settings(scenario: str, parameters: tuple[tuple[str, object], ...]) -> tuple[Mark, ...]:
    """The marks of a scenario with the model parameters a room's levers set.

    Raises:
        ParameterError: The settings are refused.
    """
    from model import HousingMarket

    _, params, timeline = HousingMarket.check_settings(scenario, parameters=dict(parameters))
    return of_timeline(timeline, params, int(params["calendar.months"]))


def of_config(config, levers) -> tuple[Mark, ...]:
    """The marks of an app configuration (scenario and moved levers); none if refused."""
    from model import ParameterError
    from workshop.levers import model_parameters

    parameters = model_parameters(levers, config.overrides, config.scenario)
    try:
        return of_settings(config.scenario, tuple(sorted(parameters.items())))
    except ParameterError:
        return ()


def merged(a: Iterable[Mark], b: Iterable[Mark]) -> tuple[Mark, ...]:
    """The marks of two sides: shared ones once, the others named by their side."""
    a, b = tuple(a), tuple(b)
    both = [m for m in a if m in b]
    only = [dataclasses.replace(m, side="A") for m in a if m not in b]
    only += [dataclasses.replace(m, side="B") for m in b if m not in a]
    return tuple(sorted(both + only, key=lambda m: (m.date, m.side)))
