"""The 342 municipalities (the list in force on 1 January 2025) and where each lies.

``model/inputs/data/municipalities.csv`` gives each municipality's CBS code, name,
province, COROP area, inhabitants and dwellings (1 January 2024) and the share of its
dwellings that housing corporations own (CBS, 2022; sources in ``municipalities.md``
beside it). The model's housing markets are regions (the 12 provinces or the 40 COROP
areas, ``geography.level``); each municipality lies in one, and its share of its
region's corporation stock (its dwellings times that share) is its share of the region's
vacancies.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from model.base.errors import ParameterError

MUNICIPALITIES_FILE = "data/municipalities.csv"
# The CSV copies CBS's list, which spells this province in Dutch as the region set does.
_PROVINCE_NAMES = {"Friesland": "Fryslân"}


@dataclass(frozen=True)
class MunicipalityData:
    """The municipalities, one entry each, in the file's order.

    Attributes:
        code: CBS code (GMxxxx).
        name: Name.
        province: Province name (as the region set spells it).
        corop: COROP area name.
        population: Inhabitants on 1 January 2024 (persons).
        dwellings: Dwellings of all tenures on 1 January 2024.
        corporation_dwellings: Of them, owned by housing corporations (the 2022 share).
        region: Index of the run's region each lies in.
    """

    code: tuple[str, ...]
    name: tuple[str, ...]
    province: tuple[str, ...]
    corop: tuple[str, ...]
    population: np.ndarray
    dwellings: np.ndarray
    corporation_dwellings: np.ndarray
    region: np.ndarray

    def __len__(self) -> int:
        return len(self.code)

    def share_within_region(self, values: np.ndarray) -> np.ndarray:
        """Each municipality's share of its region's total of ``values``."""
        totals = np.bincount(self.region, weights=values)
        return values / totals[self.region]


@cache
def _rows() -> tuple[dict[str, str], ...]:
    text = resources.files("model.inputs").joinpath(MUNICIPALITIES_FILE).read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def municipalities_for(region_names: tuple[str, ...], level: str) -> MunicipalityData:
    """The municipalities with the index of their region in ``region_names`` (provinces
    for ``level = "province"``, COROP areas for ``"corop"``).

    Raises:
        ParameterError: A municipality's region is not in ``region_names``.
    """
    rows = _rows()
    province = tuple(_PROVINCE_NAMES.get(r["province"], r["province"]) for r in rows)
    corop = tuple(r["corop"] for r in rows)
    keys = province if level == "province" else corop
    index = {name: k for k, name in enumerate(region_names)}
    missing = sorted({k for k in keys if k not in index})
    if missing:
        raise ParameterError(
            f"{MUNICIPALITIES_FILE}: municipalities lie in {missing}, which the region set "
            f"({level}) does not have; allowed: {list(region_names)}"
        )
    return MunicipalityData(
        code=tuple(r["code"] for r in rows),
        name=tuple(r["name"] for r in rows),
        province=province,
        corop=corop,
        population=np.array([float(r["population"]) for r in rows]),
        dwellings=np.array([float(r["dwellings_total"]) for r in rows]),
        corporation_dwellings=np.array(
            [
                float(r["dwellings_total"]) * float(r["corporation_share_percent"]) / 100
                for r in rows
            ]
        ),
        region=np.array([index[k] for k in keys], dtype=np.int64),
    )
