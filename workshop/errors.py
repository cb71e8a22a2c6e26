"""The model's messages (``ParameterError``, in English) in plain words for the room.

The model's message names the parameter by its code name, the value and what
is allowed. :func:`explain` gives the same in Dutch or English with the
parameter's plain name (``workshop.names``); the original stays available as
the "technical message" for whoever wants to look it up.
"""

from __future__ import annotations

import re

from workshop.names import name_of

_VALUE = re.compile(
    r"^(?:(?P<where>.*?): )?parameter '(?P<name>[\w.]+)' = (?P<value>.+?)"
    r"(?: (?P<why>is [^;]+|has [^;]+|sums [^;]+))?; allowed: (?P<allowed>.+)$"
)
_INERT = re.compile(r"parameter '(?P<name>[\w.]+)' has no effect in this run")
_UNKNOWN_SCENARIO = re.compile(r"unknown scenario '(?P<name>[^']+)'")
_FILE = re.compile(r"^(?P<where>[^:]+\.toml): ")

WHY = {
    "is below the minimum": ("is te laag", "is too low"),
    "is above the maximum": ("is te hoog", "is too high"),
    "is not a whole number": ("is geen geheel getal", "is not a whole number"),
    "is not a number": ("is geen getal", "is not a number"),
    "is not finite": ("is geen eindig getal", "is not finite"),
    "is not a date": ("is geen datum", "is not a date"),
    "is not a valid date": ("is geen geldige datum", "is not a valid date"),
    "is not true or false": ("is geen ja of nee", "is not yes or no"),
    "is not a known value": ("is geen bekende keuze", "is not a known choice"),
}
_ALLOWED = re.compile(r"^a (?P<kind>whole number|number) from (?P<lo>\S+) to (?P<hi>\S+)")


def _allowed(text: str, lang: str) -> str:
    m = _ALLOWED.match(text)
    if m:
        whole = m["kind"] == "whole number"
        lo, hi = m["lo"], m["hi"]
        if lang == "nl":
            kind = "een geheel getal" if whole else "een getal"
            return f"{kind} van {lo.replace('.', ',')} tot en met {hi.replace('.', ',')}"
        return f"{'a whole number' if whole else 'a number'} from {lo} to {hi}"
    if text.startswith("a whole number >= 0"):
        return "een geheel getal vanaf 0" if lang == "nl" else "a whole number from 0"
    return ""


def explain(message: str, lang: str) -> str:
    """The model's message in plain words: which setting, what is wrong, what is allowed."""
    m = _INERT.search(message)
    if m:
        name = name_of(m["name"], lang)
        if lang == "nl":
            return (
                f"‘{name}’ heeft in dit scenario geen effect: het model negeert niets stilletjes. "
                "Zet de hefboom terug naar het scenario of kies een ander scenario."
            )
        return (
            f"‘{name}’ has no effect in this scenario: the model ignores nothing silently. "
            "Hand the lever back to the scenario or pick another scenario."
        )
    m = _UNKNOWN_SCENARIO.search(message)
    if m:
        if lang == "nl":
            return (
                f"Het scenario ‘{m['name']}’ bestaat niet (meer). Kies een scenario uit de lijst."
            )
        return f"The scenario ‘{m['name']}’ does not exist (any more). Pick one from the list."
    m = _VALUE.match(message)
    if m:
        if m["name"] == "seed":
            name = "Toevalsgetal" if lang == "nl" else "Random seed"
        else:
            name = name_of(m["name"], lang)
        why = WHY.get(m["why"] or "", ("is niet toegestaan", "is not allowed"))[lang == "en"]
        allowed = _allowed(m["allowed"], lang)
        text = f"‘{name}’ = {m['value']} {why}."
        if allowed:
            text += (" Toegestaan: " if lang == "nl" else " Allowed: ") + allowed + "."
        return text
    m = _FILE.match(message)
    if m:
        if lang == "nl":
            return f"Het scenariobestand {m['where'].rsplit('/', 1)[-1]} kan niet worden gebruikt."
        return f"The scenario file {m['where'].rsplit('/', 1)[-1]} cannot be used."
    if lang == "nl":
        return "Deze combinatie van instellingen kan het model niet doorrekenen."
    return "The model cannot run this combination of settings."
