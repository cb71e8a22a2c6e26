"""A configuration of the app: saved as a link or a file, recalled later.

A :class:`Config` is what the room chose: the scenario, the seed, the levers
moved away from the scenario (by key, in the model's units), and the month
the run had reached. The same seed and settings give the same run, so a
configuration reproduces a result; recalling one with a month runs the model
up to that month again.

As a link: ``?scenario=cabinet-package&seed=3&nieuwbouw=25000&maand=36``.
As a file: JSON with the same fields, plus the app's version for the record.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import urllib.parse
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_SCENARIO = "current-policy"
FORMAT = "woonruimteverdeling-workshop/1"
RESERVED = {"scenario", "seed", "maand", "lang"}


class ConfigError(ValueError):
    """A saved configuration cannot be read; the message says why (in English and Dutch)."""


@dataclasses.dataclass(frozen=True)
class Config:
    """What the room chose.

    Attributes:
        scenario: A named scenario.
        seed: The random seed (a whole number >= 0).
        levers: The levers moved away from the scenario: (key, value) pairs,
            sorted by key, values in the model's units.
        month: The month the run had reached when saved (0: not run).
    """

    scenario: str = DEFAULT_SCENARIO
    seed: int = 1
    levers: tuple[tuple[str, Any], ...] = ()
    month: int = 0

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
        """The configuration without the month: what decides the run."""
        return dataclasses.replace(self, month=0)

    def to_query(self, lang: str | None = None) -> str:
        """The link's query string (without ``?``)."""
        fields: dict[str, Any] = {"scenario": self.scenario, "seed": self.seed}
        fields.update(self.levers)
        if self.month:
            fields["maand"] = self.month
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
            "language": lang,
            "app_version": version(),
        }
        return json.dumps(record, indent=2, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _number(key: str, text: Any) -> float | int:
    if isinstance(text, bool):
        raise ConfigError(f"'{key}' = {text!r} is not a number / is geen getal")
    if isinstance(text, int | float):
        return text
    try:
        value = float(str(text).replace(",", "."))
    except ValueError:
        raise ConfigError(f"'{key}' = {text!r} is not a number / is geen getal") from None
    return int(value) if value.is_integer() else value


def _whole(key: str, text: Any) -> int:
    value = _number(key, text)
    if not float(value).is_integer() or value < 0:
        raise ConfigError(
            f"'{key}' = {text!r} is not a whole number >= 0 / is geen geheel getal >= 0"
        )
    return int(value)


def from_fields(fields: Mapping[str, Any], lever_keys) -> tuple[Config, str | None]:
    """A configuration from a link's or a file's fields, and the language if given.

    Raises:
        ConfigError: A field is unknown or not a number.
    """
    levers = {}
    for key, value in fields.items():
        if key in RESERVED:
            continue
        if key not in lever_keys:
            raise ConfigError(
                f"unknown setting '{key}' / onbekende instelling; allowed: "
                f"{', '.join(sorted(lever_keys))}"
            )
        levers[key] = _number(key, value)
    config = Config(
        scenario=str(fields.get("scenario", DEFAULT_SCENARIO)),
        seed=_whole("seed", fields.get("seed", 1)),
        levers=tuple(sorted(levers.items())),
        month=_whole("maand", fields.get("maand", 0)),
    )
    lang = fields.get("lang")
    return config, lang if lang in ("nl", "en") else None


def from_query(query: str | None, lever_keys) -> tuple[Config, str | None]:
    """A configuration from a link's query string (empty: the defaults).

    Raises:
        ConfigError: As :func:`from_fields`.
    """
    fields = dict(urllib.parse.parse_qsl((query or "").lstrip("?")))
    return from_fields(fields, lever_keys)


def from_json(text: str | bytes, lever_keys) -> tuple[Config, str | None]:
    """A configuration from a settings file's text.

    Raises:
        ConfigError: The text is not such a file.
    """
    try:
        record = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise ConfigError("not a JSON file / geen JSON-bestand") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ConfigError(
            f"not a settings file of this app (format {FORMAT}) / "
            "geen instellingenbestand van deze app"
        )
    levers = record.get("levers", {})
    if not isinstance(levers, dict):
        raise ConfigError("'levers' is not a table / 'levers' is geen tabel")
    fields = {
        "scenario": record.get("scenario", DEFAULT_SCENARIO),
        "seed": record.get("seed", 1),
        "maand": record.get("month", 0),
        "lang": record.get("language"),
        **levers,
    }
    return from_fields(fields, lever_keys)


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
