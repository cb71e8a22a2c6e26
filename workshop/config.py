"""A configuration of the app: saved as a link or a file, recalled later.

A :class:`Config` is what the room chose: the scenario, the seed, the levers
moved away from the scenario (by key, in the model's units), and the month
the run had reached. The same seed and settings give the same run, so a
configuration reproduces a result; recalling one with a month runs the model
up to that month again.

As a link: ``?scenario=cabinet-package&seed=3&nieuwbouw=25000&maand=36``.
As a file: JSON with the same fields, plus the app's version for the record.

A link or a file is checked field by field before anything runs: the scenario
must be one of the project's own (``model.inputs.policy.scenario_names()``; a path is
never read), every number finite and on its slider's range, a lever must act
in the scenario. What is refused says so in one line, in Dutch or English.
"""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import urllib.parse
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_SCENARIO = "current-policy"
FORMAT = "woonruimteverdeling-workshop/1"
RESERVED = {"scenario", "seed", "maand", "lang", "naam"}
MAX_SEED = 2**31 - 1
MAX_FILE_BYTES = 100_000  # a settings file is a few hundred bytes
MAX_NAME = 40  # characters in a run's name


class ConfigError(ValueError):
    """A saved configuration cannot be used; one line in Dutch and one in English.

    Args:
        nl: What is wrong, in Dutch (the page shows the line of its language only).
        en: The same in English.
    """

    def __init__(self, nl: str, en: str):
        super().__init__(nl)
        self.lines = {"nl": nl, "en": en}

    def text(self, lang: str) -> str:
        return self.lines[lang]


@dataclasses.dataclass(frozen=True)
class Config:
    """What the room chose.

    Attributes:
        scenario: A named scenario (one of ``model.inputs.policy.scenario_names()``).
        seed: The random seed (a whole number >= 0).
        levers: The levers moved away from the scenario: (key, value) pairs,
            sorted by key, values in the model's units.
        month: The month the run had reached when saved (0: not run).
        name: The name a group gave its run (empty: not shown in the room).
    """

    scenario: str = DEFAULT_SCENARIO
    seed: int = 1
    levers: tuple[tuple[str, Any], ...] = ()
    month: int = 0
    name: str = ""

    @property
    def overrides(self) -> dict[str, Any]:
        return dict(self.levers)

    def with_lever(self, key: str, value: Any | None) -> Config:
        """This configuration with a lever set (or handed back to the scenario: None)."""
        levers = {k: v for k, v in self.levers if k != key}
        if value is not None:
            levers[key] = value
        return dataclasses.replace(self, levers=tuple(sorted(levers.items())))

    def settings(self) -> Config:
        """What decides the run: the configuration without the month and the name."""
        return dataclasses.replace(self, month=0, name="")

    def to_query(self, lang: str | None = None) -> str:
        """The link's query string (without ``?``)."""
        fields: dict[str, Any] = {"scenario": self.scenario, "seed": self.seed}
        fields.update(self.levers)
        if self.month:
            fields["maand"] = self.month
        if self.name:
            fields["naam"] = self.name
        if lang:
            fields["lang"] = lang
        return urllib.parse.urlencode({k: _plain(v) for k, v in fields.items()})

    def to_json(self, lang: str = "nl") -> str:
        """The settings file's text."""
        record = {
            "format": FORMAT,
            "scenario": self.scenario,
            "seed": self.seed,
            "levers": {k: _plain(v) for k, v in self.levers},
            "month": self.month,
            "name": self.name,
            "language": lang,
            "app_version": version(),
        }
        return json.dumps(record, indent=2, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _shown(value: Any) -> str:
    """A value as the user gave it, shortened: never a page of text in a message."""
    text = str(value)
    return text if len(text) <= 30 else text[:27] + "…"


def _number(text: Any) -> float | None:
    """A finite number from a link's text or a file's value; None if it is not one."""
    if isinstance(text, bool) or not isinstance(text, int | float | str):
        return None
    if isinstance(text, str):
        text = text.strip().replace(",", ".")
        if len(text) > 30:
            return None
    try:
        value = float(text)
    except (ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _whole(text: Any, highest: int, name: tuple[str, str]) -> int:
    value = _number(text)
    if value is None or not value.is_integer() or not 0 <= value <= highest:
        limit_nl = f"{highest:,}".replace(",", ".")
        raise ConfigError(
            f"{name[0]} = {_shown(text)} kan niet: kies een geheel getal van 0 tot en met "
            f"{limit_nl}.",
            f"{name[1]} = {_shown(text)} is not possible: pick a whole number from 0 to "
            f"{highest:,}.",
        )
    return int(value)


def check_seed(text: Any) -> int:
    """A seed typed or given: a whole number from 0 to ``MAX_SEED``.

    Raises:
        ConfigError: It is not.
    """
    return _whole(text, MAX_SEED, ("Toevalsgetal", "Seed"))


def check_scenario(name: Any) -> str:
    """A scenario name from the project's own list; nothing else is ever read.

    A link or a file names a scenario; the app never takes a path from one
    (the model would read any ``.toml`` file the server can read).

    Raises:
        ConfigError: The name is not one of ``scenario_names()``.
    """
    from model.inputs.policy import scenario_names

    if isinstance(name, str) and name in scenario_names():
        return name
    text = name if isinstance(name, str) else repr(name)
    if any(c in text for c in "/\\") or text.endswith(".toml") or ".." in text:
        raise ConfigError(
            "Een scenario kiest u uit de lijst; een bestand of pad wordt niet gelezen.",
            "Pick a scenario from the list; a file or path is never read.",
        )
    raise ConfigError(
        f"Het scenario ‘{_shown(text)}’ bestaat niet. Kies een scenario uit de lijst.",
        f"The scenario ‘{_shown(text)}’ does not exist. Pick one from the list.",
    )


def check_lever(lever, value: Any, scenario: str):
    """A lever's value from a link or a file: a number on the slider's range, acting here.

    The message gives the limits in the slider's own units (``0% tot en met 50%``).

    Raises:
        ConfigError: The value is not a number, lies outside the slider, or the
            lever has no effect in the scenario (it would be silently ignored).
    """
    number = _number(value)
    label = {lang: lever.label(lang) for lang in ("nl", "en")}
    positions = lever.positions_for(scenario)
    low, high = min(positions), max(positions)
    if number is None or not low <= number <= high:
        given = _shown(value) if number is None else lever.text(number, "nl")
        given_en = _shown(value) if number is None else lever.text(number, "en")
        raise ConfigError(
            f"‘{label['nl']}’ = {given} kan niet: kies van {lever.text(low, 'nl')} tot en met "
            f"{lever.text(high, 'nl')}.",
            f"‘{label['en']}’ = {given_en} is not possible: pick from {lever.text(low, 'en')} "
            f"to {lever.text(high, 'en')}.",
        )
    if not lever.acts_in(scenario):
        raise ConfigError(
            f"‘{label['nl']}’ heeft in dit scenario geen effect; zet de hefboom terug of kies "
            "een ander scenario.",
            f"‘{label['en']}’ has no effect in this scenario; hand it back or pick another "
            "scenario.",
        )
    return int(number) if number.is_integer() else number


def from_fields(fields: Mapping[str, Any], levers) -> tuple[Config, str | None]:
    """A configuration from a link's or a file's fields, and the language if given.

    Args:
        fields: The fields by name (``scenario``, ``seed``, ``maand``, ``naam``,
            ``lang`` and lever keys).
        levers: The lever table (each field's value is checked against its lever).

    Raises:
        ConfigError: A field is unknown, not a number, out of range, or has no effect.
    """
    from workshop.levers import settings_of

    by_key = {lever.key: lever for lever in levers}
    unknown = [k for k in fields if k not in RESERVED and k not in by_key]
    if unknown:
        raise ConfigError(
            f"Onbekende instelling ‘{_shown(unknown[0])}’.",
            f"Unknown setting ‘{_shown(unknown[0])}’.",
        )
    scenario = check_scenario(fields.get("scenario", DEFAULT_SCENARIO))
    moved = {
        key: check_lever(by_key[key], value, scenario)
        for key, value in fields.items()
        if key in by_key
    }
    horizon = int(settings_of(scenario)[1]["calendar.months"])
    name = fields.get("naam", "")
    config = Config(
        scenario=scenario,
        seed=check_seed(fields.get("seed", 1)),
        levers=tuple(sorted(moved.items())),
        month=_whole(fields.get("maand", 0), horizon, ("Maand", "Month")),
        name=clean_name(name if isinstance(name, str) else ""),
    )
    lang = fields.get("lang")
    return config, lang if lang in ("nl", "en") else None


def clean_name(name: str) -> str:
    """A run's name as the room sees it: one line, at most ``MAX_NAME`` characters."""
    return " ".join(str(name).split())[:MAX_NAME]


def from_query(query: str | None, levers) -> tuple[Config, str | None]:
    """A configuration from a link's query string (empty: the defaults).

    Raises:
        ConfigError: As :func:`from_fields`.
    """
    fields = dict(urllib.parse.parse_qsl((query or "").lstrip("?"), keep_blank_values=True))
    return from_fields(fields, levers)


def from_json(text: str | bytes, levers) -> tuple[Config, str | None]:
    """A configuration from a settings file's text.

    Raises:
        ConfigError: The text is not such a file, or a field as in :func:`from_fields`.
    """
    not_ours = ConfigError(
        "Dit is geen instellingenbestand van deze app.",
        "This is not a settings file of this app.",
    )
    if len(text) > MAX_FILE_BYTES:
        raise not_ours
    try:
        record = json.loads(text)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise not_ours from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise not_ours
    levers_moved = record.get("levers", {})
    if not isinstance(levers_moved, dict):
        raise not_ours
    fields = {
        "scenario": record.get("scenario", DEFAULT_SCENARIO),
        "seed": record.get("seed", 1),
        "maand": record.get("month", 0),
        "naam": record.get("name", ""),
        "lang": record.get("language"),
        **levers_moved,
    }
    return from_fields(fields, levers)


@cache
def version() -> str:
    """The app's version: the git commit when run from a checkout, else the package version."""
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as package_version

        try:
            return package_version("woonruimteverdeling")
        except PackageNotFoundError:
            return "unknown"
