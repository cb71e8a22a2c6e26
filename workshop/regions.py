"""The regional view: a tile map of the twelve provinces.

No map geometry needs to ship (the app works offline): each province is a
tile in roughly its place, coloured by the chosen measure on a scale shared
by every map on screen, with the value written on it.

A measure (:data:`MEASURES`) reads one column of ``monthly_by_region``. The
model will add regional columns (the housing stock, status holders in
reception, reception places): a measure whose column is not there yet is not
offered, so adding one is one entry here.
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from model.inputs.parameters import default_regions
from model.reporting.presentation import GROUP_COLORS
from workshop import columns as col
from workshop.text import number

# (column, row) of each province on the tile map: north at the top, the sea to the left.
TILES: dict[str, tuple[int, int]] = {
    "Fryslân": (1, 0),
    "Groningen": (2, 0),
    "Noord-Holland": (0, 1),
    "Flevoland": (1, 1),
    "Drenthe": (2, 1),
    "Zuid-Holland": (0, 2),
    "Utrecht": (1, 2),
    "Overijssel": (2, 2),
    "Zeeland": (0, 3),
    "Noord-Brabant": (1, 3),
    "Gelderland": (2, 3),
    "Limburg": (2, 4),
}
NEUTRAL = "#5c6bc0"  # for measures that belong to no group


@dataclasses.dataclass(frozen=True)
class Measure:
    """What a map can show.

    Attributes:
        key: Short name.
        label: (Dutch, English).
        unit: (Dutch, English).
        column: The column of ``monthly_by_region``.
        group: The group's rows to read, or None for a column that is the same
            in every group's row (a region's stock, say).
        how: ``year`` (the sum of the last twelve months, a year's flow),
            ``end`` (the value at the last date) or ``median`` (the mean over
            the last twelve months of the monthly medians, weighted by lettings).
        per_capita: Per 10,000 residents.
        decimals: Decimals shown.
        percent_of: A column (the same in every group's row) the value is a percentage
            of (the municipalities behind of all the region's municipalities, say).
    """

    key: str
    label: tuple[str, str]
    unit: tuple[str, str]
    column: str
    group: str | None
    how: str
    per_capita: bool = False
    decimals: int = 0
    percent_of: str | None = None

    def available(self, frame: pd.DataFrame | None) -> bool:
        return frame is not None and len(frame) > 0 and self.column in frame.columns

    @property
    def color(self) -> str:
        return GROUP_COLORS.get(self.group, NEUTRAL)

    def values(self, frame: pd.DataFrame) -> pd.Series:
        """One value per province (NaN where there is none yet)."""
        names = list(TILES)
        if not self.available(frame):
            return pd.Series(np.nan, index=names)
        rows = frame if self.group is None else frame[frame[col.GROUP] == self.group]
        dates = sorted(rows[col.DATE].unique())
        recent = rows[rows[col.DATE].isin(dates[-12:])]
        if self.how == "end":
            last = rows[rows[col.DATE] == dates[-1]]
            values = last.groupby(col.REGION)[self.column].first()
            if self.percent_of is not None:
                values = 100 * values / last.groupby(col.REGION)[self.percent_of].first()
        elif self.how == "year":
            values = recent.groupby(col.REGION)[self.column].sum() * 12 / max(len(dates[-12:]), 1)
        else:  # median: weighted by lettings
            w = recent[col.REGION_LETTINGS].where(recent[self.column].notna(), 0)
            v = recent[self.column].fillna(0) * w
            values = v.groupby(recent[col.REGION]).sum() / w.groupby(recent[col.REGION]).sum()
        values = values.reindex(names).astype(float)
        if self.per_capita:
            regions = default_regions()
            population = pd.Series(regions.population, index=list(regions.names))
            values = values / population.reindex(names) * 10_000
        return values


MEASURES: tuple[Measure, ...] = (
    Measure(
        "status_holders_housed",
        ("Statushouders gehuisvest", "Status holders housed"),
        ("huishoudens per jaar (laatste 12 maanden)", "households a year (last 12 months)"),
        col.REGION_LETTINGS,
        "status_holder",
        "year",
    ),
    Measure(
        "status_holders_housed_per_10k",
        (
            "Statushouders gehuisvest per 10.000 inwoners",
            "Status holders housed per 10,000 residents",
        ),
        ("huishoudens per jaar per 10.000 inwoners", "households a year per 10,000 residents"),
        col.REGION_LETTINGS,
        "status_holder",
        "year",
        per_capita=True,
        decimals=1,
    ),
    Measure(
        "status_holders_waiting",
        ("Statushouders wachtend", "Status holders waiting"),
        (
            "huishoudens in opvang of startwoning, aan het eind",
            "households in reception or a start-up home, at the end",
        ),
        col.REGION_WAITING,
        "status_holder",
        "end",
    ),
    Measure(
        "registration_regular",
        (
            "Inschrijfduur bij toewijzing, reguliere woningzoekenden",
            "Registration time at letting, regular seekers",
        ),
        ("jaren, mediaan (laatste 12 maanden)", "years, median (last 12 months)"),
        col.REGION_REGISTRATION_MEDIAN,
        "regular",
        "median",
        decimals=1,
    ),
    Measure(
        "regular_waiting",
        ("Reguliere woningzoekenden wachtend", "Regular seekers waiting"),
        ("huishoudens, aan het eind", "households, at the end"),
        col.REGION_WAITING,
        "regular",
        "end",
    ),
    Measure(
        "urgent_housed",
        ("Urgenten gehuisvest", "Urgent seekers housed"),
        ("huishoudens per jaar (laatste 12 maanden)", "households a year (last 12 months)"),
        col.REGION_LETTINGS,
        "urgent",
        "year",
    ),
    # Shown once the model reports them per region (issue 14).
    Measure(
        "stock",
        ("Sociale huurwoningen", "Social rental homes"),
        ("woningen, aan het eind", "dwellings, at the end"),
        "stock_dwellings",
        None,
        "end",
    ),
    Measure(
        "in_reception",
        ("Statushouders in de opvang", "Status holders in reception"),
        ("personen, aan het eind", "persons, at the end"),
        "status_holders_in_reception_persons",
        None,
        "end",
    ),
    Measure(
        "quota_behind",
        ("Gemeenten achter op de taakstelling", "Municipalities behind on the quota"),
        (
            "procent van de gemeenten in de provincie, aan het eind",
            "per cent of the province's municipalities, at the end",
        ),
        "quota_behind_municipalities",
        None,
        "end",
        percent_of="quota_all_municipalities",
    ),
    Measure(
        "quota_backlog",
        ("Achterstand taakstelling", "Quota backlog"),
        ("personen, aan het eind", "persons, at the end"),
        "quota_backlog_persons",
        None,
        "end",
    ),
    Measure(
        "reception_places",
        ("Opvangplekken", "Reception places"),
        ("plekken, aan het eind", "places, at the end"),
        "reception_places_persons",
        None,
        "end",
    ),
)


def available(frames) -> list[Measure]:
    """The measures that some frame on screen can show."""
    return [m for m in MEASURES if any(m.available(f) for f in frames)]


def _mix(color: str, share: float) -> str:
    """``color`` mixed with white: share 0 is white, 1 the colour itself."""
    share = min(max(share, 0.0), 1.0)
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 + (c - 255) * (0.12 + 0.88 * share)) for c in rgb]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def _ink(color: str) -> str:
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#111" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#fff"


def tile_map(
    measure: Measure,
    values: pd.Series,
    title: str,
    lang: str,
    scale: tuple[float, float],
    key: str = "",
) -> str:
    """One tile map as SVG.

    Args:
        measure: What is shown.
        values: One value per province.
        title: Above the map.
        lang: Language of the numbers.
        scale: (low, high) of the colour scale, shared by the maps side by side.
        key: A name for the SVG (``data-map``).

    A map shows one run's values. It writes no difference between two maps:
    per province, a difference between single runs is mostly noise (a few
    modelled households), and the regional figures have no margin over seeds.
    """
    w, h, gap, top = 108, 62, 5, 26
    cols = 1 + max(c for c, _ in TILES.values())
    rows = 1 + max(r for _, r in TILES.values())
    width, height = cols * (w + gap), top + rows * (h + gap)
    lo, hi = scale
    out = [
        f"<div class='ws-map-title' style='font-weight:600;font-size:14px'>"
        f"{html.escape(title)}</div>"
        f'<svg class="tilemap" data-map="{key}" viewBox="0 {top} {width} {height - top}" '
        f'width="100%" style="font-family:Roboto,Helvetica,Arial,sans-serif;max-width:{width}px" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{html.escape(title)}</title>'
    ]
    for name, (c, r) in TILES.items():
        value = float(values.get(name, np.nan))
        x, y = c * (w + gap), top + r * (h + gap)
        if math.isfinite(value):
            share = (value - lo) / (hi - lo) if hi > lo else 0.5
            fill = _mix(measure.color, share)
            text = number(value, lang, measure.decimals)
        else:
            fill, text = "#eeeeee", "–"
        ink = _ink(fill)
        out.append(
            f'<g class="tile" data-region="{html.escape(name)}">'
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}"/>'
            f'<text x="{x + 7}" y="{y + 17}" font-size="12" fill="{ink}">{html.escape(name)}</text>'
            f'<text x="{x + 7}" y="{y + 41}" font-size="17" font-weight="600" fill="{ink}">'
            f"{text}</text>"
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


def shared_scale(all_values: list[pd.Series]) -> tuple[float, float]:
    """(low, high) over every map on screen, so that a colour means the same everywhere."""
    data = pd.concat(all_values) if all_values else pd.Series(dtype=float)
    data = data[np.isfinite(data)]
    if not len(data):
        return 0.0, 1.0
    return float(min(0.0, data.min())), float(data.max())


def legend(measure: Measure, scale: tuple[float, float], lang: str) -> str:
    """A colour bar from low to high, with the unit."""
    lo, hi = scale
    stops = "".join(
        f'<stop offset="{k / 4:.2f}" stop-color="{_mix(measure.color, k / 4)}"/>' for k in range(5)
    )
    return (
        '<svg viewBox="0 0 300 34" width="300" xmlns="http://www.w3.org/2000/svg" '
        'style="font-family:Roboto,Helvetica,Arial,sans-serif">'
        f'<defs><linearGradient id="lg-{measure.key}">{stops}</linearGradient></defs>'
        f'<rect x="0" y="2" width="300" height="12" fill="url(#lg-{measure.key})"/>'
        f'<text x="0" y="30" font-size="11">{number(lo, lang, measure.decimals)}</text>'
        f'<text x="300" y="30" font-size="11" text-anchor="end">'
        f"{number(hi, lang, measure.decimals)}</text></svg>"
    )


def values_by_map(measure: Measure, frames: Mapping[str, pd.DataFrame | None]):
    """Each map's values (None where that frame cannot show the measure)."""
    return {k: (measure.values(f) if measure.available(f) else None) for k, f in frames.items()}
