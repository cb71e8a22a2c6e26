"""The assumptions page: every parameter with its plain name, value, kind and source.

Grouped by theme, each theme folded until opened, and filtered on request
(only the assumptions, only the calibrated numbers, only what the scenario
changes). Values read with Dutch or English units; the sources are quoted as
written in ``model/inputs/data/defaults.toml`` (mostly English, citing Dutch
documents). Above the list, the handful of assumptions a room should know.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
from collections.abc import Iterable, Mapping
from typing import Any

from model.inputs.parameters import ParameterSpec, default_regions, parameter_specs
from workshop.names import choice, name_of, plain, section_of
from workshop.text import date_label, number, percent, t

KINDS = ("calibrated", "assumption", "sourced")
KIND_COLORS = {"calibrated": "#fff3bf", "assumption": "#ffe3e3", "sourced": "#f1f3f5"}

KEY_POINTS: tuple[tuple[str, str], ...] = (
    (
        "Het model kijkt alleen naar sociale huurwoningen van corporaties; particuliere huur en "
        "koop zijn alleen manieren om de wachtrij te verlaten.",
        "The model covers corporation (social rental) homes only; private rent and buying are only "
        "ways to leave the queue.",
    ),
    (
        "De twaalf provincies zijn de regio's; een huishouden zoekt alleen in de eigen regio "
        "(behalve in de landelijke pool voor grote gezinnen).",
        "The twelve provinces are the regions; a household searches only in its own region "
        "(except in the national pool for large families).",
    ),
    (
        "Elke run begint op 1 januari 2022 (ruim 360.000 woningzoekenden, teruggerekend uit de "
        "400.000 van de Kamerbrief) en rekent de jaren tot de startdatum na met de gepubliceerde "
        "asielaanvragen, vergunningen en taakstellingen; de hefbomen werken vanaf de startdatum.",
        "Every run begins on 1 January 2022 (some 360,000 households searching, worked back from "
        "the letter's 400,000) and replays the years up to its start date on the published "
        "asylum applications, permits and quotas; the levers act from the start date.",
    ),
    (
        "Inschrijfduur is geen zoektijd: veel mensen schrijven zich jaren in voordat ze zoeken.",
        "Registration time is not search time: many register years before they search.",
    ),
    (
        "Na het verbod op voorrang schrijven statushouders zich in bij hun vergunning en beginnen "
        "ze met nul jaar inschrijfduur; flex-, start- en kamerwoningen houden hen uit de opvang.",
        "After the ban on priority status holders register at their permit with zero registration "
        "time; flex, start-up homes and rooms keep them out of reception.",
    ),
    (
        "Een paar getallen zijn gekalibreerd op gepubliceerde cijfers van 2022 tot 2024: de "
        "verhuurgraad, de verhuur van kamers, de groei van de wachtrij en het aandeel woningen "
        "voor statushouders (statushouders in de COA-opvang en gehuisvest per halfjaar); de "
        "cijfers van 2025 dienen als controle.",
        "A few rates are calibrated to published figures of 2022 to 2024: turnover, room "
        "lettings, the queue's growth and the share of homes for status holders (status holders "
        "in COA reception and housed per half year); the 2025 figures serve as a check.",
    ),
    (
        "Voor de maatregelen uit het pakket noemt de brief geen aantallen; de aantallen in de "
        "scenario's (flexwoningen, startwoningen, woningdelen) zijn aannames.",
        "The letter gives no numbers for the package's measures; the numbers in the scenarios "
        "(flex, start-up and shared homes) are assumptions.",
    ),
    (
        "Elke uitkomst is een gemiddelde van één run met één toevalsgetal; de vergelijking laat "
        "de ruis zien over meerdere toevalsgetallen.",
        "Every live figure is one run with one seed; the comparison shows the noise over several "
        "seeds.",
    ),
)


def kind_of(spec: ParameterSpec) -> str:
    """``calibrated``, ``assumption`` (the source starts with "assumption") or ``sourced``."""
    if spec.calibrated:
        return "calibrated"
    return "assumption" if spec.source.lower().startswith("assumption") else "sourced"


_UNITS = (  # (start of the English unit, Dutch, English) for counts
    ("euro", "euro", "euro"),
    ("months", "maanden", "months"),
    ("years", "jaar", "years"),
    ("weeks", "weken", "weeks"),
    ("persons", "personen", "persons"),
    ("households", "huishoudens", "households"),
    ("dwellings", "woningen", "dwellings"),
)


def value_text(spec: ParameterSpec, value: Any, lang: str) -> str:
    """A parameter's value with a unit the room reads (a share as a percentage)."""
    unit = spec.unit.lower()
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, dt.date):
        return date_label(value, lang)
    if isinstance(value, str):
        if unit == "date":
            return date_label(dt.date.fromisoformat(value), lang)
        return choice(value, lang)
    if isinstance(value, list | tuple):
        if all(isinstance(v, str) for v in value):
            return ", ".join(choice(v, lang) for v in value)
        if unit.startswith("shares"):
            return ", ".join(percent(v, lang) for v in value)
        return ", ".join(number(v, lang, 0 if float(v).is_integer() else 1) for v in value)
    if unit.startswith(("share", "probability")):
        text = percent(value, lang)
        return text + (f" {t('per_year', lang)}" if "per year" in unit else "")
    decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 10 else 3)
    text = number(value, lang, decimals)
    for start, nl, en in _UNITS:
        if unit.startswith(start):
            return f"{text} {nl if lang == 'nl' else en}"
    if "per year" in unit:
        return f"{text} {t('per_year', lang)}"
    return text


@dataclasses.dataclass(frozen=True)
class Item:
    """One parameter as the page lists it."""

    parameter: str
    name: str
    value: str
    default: str | None  # the default when the model on screen differs
    kind: str
    unit: str
    source: str
    year: int
    lever: bool
    changed: bool


def items(values: Mapping[str, Any], lang: str, show: str = "all") -> dict[str, list[Item]]:
    """The parameters by theme (in the data file's order), filtered.

    Args:
        values: The value of every parameter in the model on screen.
        lang: The language.
        show: ``all``, ``assumption``, ``calibrated`` or ``changed`` (differs from the default).
    """
    out: dict[str, list[Item]] = {}
    for name, spec in parameter_specs().items():
        value = values.get(name, spec.value)
        shown = value_text(spec, value, lang)
        default = value_text(spec, spec.value, lang)
        changed = shown != default
        kind = kind_of(spec)
        if (show in ("assumption", "calibrated") and kind != show) or (
            show == "changed" and not changed
        ):
            continue
        out.setdefault(section_of(name, lang), []).append(
            Item(
                name,
                name_of(name, lang),
                shown,
                default if changed else None,
                kind,
                spec.unit,
                spec.source,
                spec.year,
                spec.lever,
                changed,
            )
        )
    return out


def counts() -> dict[str, int]:
    """How many parameters are calibrated, assumed and sourced."""
    kinds = [kind_of(spec) for spec in parameter_specs().values()]
    return {k: kinds.count(k) for k in KINDS}


def section_html(section_items: Iterable[Item], lang: str) -> str:
    """One theme's parameters as a table (name, value, kind, source)."""
    e = html.escape
    rows = []
    for item in section_items:
        default = (
            f"<br><small>{e(t('default', lang))}: {e(item.default)}</small>" if item.default else ""
        )
        lever = f" <small>⚙ {e(t('lever_mark', lang))}</small>" if item.lever else ""
        year = f" ({item.year})" if item.year else ""
        source = e(plain(item.source, "en")) + year
        if lang == "nl":  # quoted as written in the model's data, in English: on request
            source = (
                f"<details lang='en'><summary lang='nl'>{e(t('source_en', lang))}</summary>"
                f"<small>{source}</small></details>"
            )
        else:
            source = f"<small>{source}</small>"
        rows.append(
            f"<tr class='{item.kind}' data-parameter='{e(item.parameter)}'>"
            f"<td style='width:30%'><b>{e(item.name)}</b>{lever}</td>"
            f"<td style='width:16%'>{e(item.value)}{default}</td>"
            f"<td style='width:10%'><span style='background:{KIND_COLORS[item.kind]};"
            f"padding:1px 6px;border-radius:8px'>{e(t('kind_' + item.kind, lang))}</span></td>"
            f"<td>{source}</td></tr>"
        )
    return (
        "<table style='width:100%;border-collapse:collapse;font-size:14px' "
        "class='assumptions'>" + "".join(rows) + "</table>"
    )


def regions_source(lang: str) -> str:
    """The regions and the source of their figures (HTML; the source in its own language)."""
    regions = default_regions()
    label = "Regio's" if lang == "nl" else "Regions"
    provinces = "provincies" if lang == "nl" else "provinces"
    source = html.escape(f"{plain(regions.source, 'en')} ({regions.year})")
    if lang == "nl":
        source = (
            f"<details lang='en' style='display:inline'><summary lang='nl'>"
            f"{html.escape(t('source_en', lang))}</summary>{source}</details>"
        )
    return f"{label}: {len(regions)} {provinces}. {source}"
