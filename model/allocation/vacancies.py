"""The month's vacancies on offer, and the lettings made of them (plain records)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.base.codes import NOBODY, SELF_CONTAINED


@dataclass
class Vacancies:
    """The vacancies on offer in one month (all regions).

    Attributes:
        region: Region of each vacancy.
        type: Dwelling type of each vacancy.
        reserved_for: Group the vacancy is reserved for, or NOBODY.
        let: True once the vacancy has been let this month.
    """

    region: np.ndarray
    type: np.ndarray
    reserved_for: np.ndarray
    let: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.let = np.zeros(len(self.region), bool)

    def capped_count(self, n_regions: int) -> np.ndarray:
        """Open self-contained vacancies per region: the base of the priority routes' caps."""
        capped = SELF_CONTAINED[self.type] & (self.reserved_for == NOBODY)
        return np.bincount(self.region[capped], minlength=n_regions)


@dataclass
class Lettings:
    """Lettings made this month: parallel arrays."""

    vacancy: list[np.ndarray] = field(default_factory=list)
    household: list[np.ndarray] = field(default_factory=list)
    route: list[np.ndarray] = field(default_factory=list)

    def add(self, vacancy: np.ndarray, household: np.ndarray, route: int) -> None:
        """Record lettings of ``vacancy[i]`` to ``household[i]`` by ``route``."""
        if len(vacancy):
            self.vacancy.append(np.asarray(vacancy, np.int64))
            self.household.append(np.asarray(household, np.int64))
            self.route.append(np.full(len(vacancy), route, np.int8))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(vacancy indices, household rows, route codes)."""
        if not self.vacancy:
            empty = np.zeros(0, np.int64)
            return empty, empty, np.zeros(0, np.int8)
        return (
            np.concatenate(self.vacancy),
            np.concatenate(self.household),
            np.concatenate(self.route),
        )
