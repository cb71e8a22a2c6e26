"""The model's messages (``ParameterError``, in English) in one plain line for the room.

The model's message names the parameter by its code name, the value and what
is allowed. :func:`explain` gives one line in Dutch or English with the
parameter's plain name (``workshop.names``) and the value and its limits in
the unit the room reads (a share as a percentage, like its slider). The
original goes to the server's log, never onto the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from workshop.names import name_of

_VALUE = re.compile(
    r"^(?:(?P<where>.*?): )?parameter '(?P<name>[\w.]+)' = (?P<value>.+?)"
    r"(?: (?P<why>is [^;]+|has [^;]+|sums [^;]+))?; allowed: (?P<allowed>.+)$"
)
_INERT = re.compile(r"parameter '(?P<name>[\w.]+)' has no effect in this run")
_UNKNOWN_SCENARIO = re.compile(r"unknown scenario '(?P<name>[^']+)'")

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
LINES = {
    "lost": (
        "De berekening is onverwacht gestopt. Druk op Opnieuw om de run opnieuw te maken.",
        "The computation stopped unexpectedly. Press Restart to build the run again.",
    ),
    "inert": (
        "‘{name}’ heeft in dit scenario geen effect: het model negeert niets stilletjes. "
        "Zet de hefboom terug naar het scenario of kies een ander scenario.",
        "‘{name}’ has no effect in this scenario: the model ignores nothing silently. "
        "Hand the lever back to the scenario or pick another scenario.",
    ),
    "unknown": (
        "Het scenario ‘{name}’ bestaat niet (meer). Kies een scenario uit de lijst.",
        "The scenario ‘{name}’ does not exist (any more). Pick one from the list.",
    ),
    "other": (
        "Deze combinatie van instellingen kan het model niet doorrekenen; kies andere waarden.",
        "The model cannot run this combination of settings; pick other values.",
    ),
}


def _share_like(name: str) -> bool:
    """Whether the parameter is a share (the room reads it, and its slider, in %)."""
    from model.inputs.parameters import parameter_specs

    spec = parameter_specs().get(name)
    return spec is not None and spec.unit.lower().startswith(("share", "probability"))


def _reader(name: str, lang: str) -> Callable[[str], str]:
    """How a number of this parameter reads: as a percentage for a share, else as written."""
    from workshop.text import number, percent

    def read(text: str) -> str:
        try:
            value = float(text)
        except ValueError:
            return text
        if _share_like(name):
            return percent(value, lang)
        decimals = 0 if value.is_integer() else len(text.rsplit(".", 1)[-1])
        return number(value, lang, min(decimals, 3))

    return read


def _allowed(text: str, read: Callable[[str], str], lang: str) -> str:
    m = _ALLOWED.match(text)
    if m:
        whole = m["kind"] == "whole number" and "%" not in read(m["lo"])
        lo, hi = read(m["lo"]), read(m["hi"])
        if lang == "nl":
            return f"{'een geheel getal van' if whole else 'van'} {lo} tot en met {hi}"
        return f"{'a whole number from' if whole else 'from'} {lo} to {hi}"
    if text.startswith("a whole number >= 0"):
        return "een geheel getal vanaf 0" if lang == "nl" else "a whole number from 0"
    return ""


def _value_line(m: re.Match, lang: str) -> str:
    if m["name"] == "seed":
        name = "Toevalsgetal" if lang == "nl" else "Random seed"
    else:
        name = name_of(m["name"], lang)
    read = _reader(m["name"], lang)
    why = WHY.get(m["why"] or "", ("is niet toegestaan", "is not allowed"))[lang == "en"]
    allowed = _allowed(m["allowed"], read, lang)
    text = f"‘{name}’ = {read(m['value'])} {why}."
    if allowed:
        text += (" Toegestaan: " if lang == "nl" else " Allowed: ") + allowed + "."
    return text


def explain(message: str, lang: str) -> str:
    """The model's message in one plain line: which setting, what is wrong, what is allowed."""
    en = lang == "en"
    if message.startswith("worker process ended"):
        return LINES["lost"][en]
    m = _INERT.search(message)
    if m:
        return LINES["inert"][en].format(name=name_of(m["name"], lang))
    m = _UNKNOWN_SCENARIO.search(message)
    if m:
        return LINES["unknown"][en].format(name=m["name"])
    m = _VALUE.match(message)
    if m:
        return _value_line(m, lang)
    return LINES["other"][en]
