"""Municipality agents: each of the 342 municipalities meets or misses its quota.

A municipality has a duty (its share of the national half-year quota, with its
backlog), a capacity (its share of its region's vacancies), and a willingness of its
own: how much of the share of vacancies it could give status holders it does give them.
Its rule, decided at the start of every half year, fits in a sentence for a workshop:

    *A municipality aims at everything due, its target and its backlog, and gives status
    holders as much of it as it is willing to; a province that
    sees it behind half year after half year warns it (and it does a little more), and
    after four misses in a row instructs it (and it does what it can). Once the quota is
    abolished no one is obliged or supervised, and a municipality keeps a share of its
    willingness.*

The municipalities' state lives in a :class:`MunicipalTable` (arrays, one entry per
municipality, owned by the market's quota, ``model/asylum/quota.py``); an agent is a
view on its entry, and the rule acts on all of them at once (:meth:`Municipality.effort`), as the
household agents' rules do. This package imports nothing of the model but its base.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np


@dataclass
class MunicipalTable:
    """Every municipality's state (one entry each; persons in agent units).

    Attributes:
        code, name, province: Who and where (CBS code, name, province).
        region: Index of the housing-market region it lies in.
        target_share: Its share of the national quota (its population share).
        vacancy_share: Its share of its region's vacancies (its dwellings' share).
        willingness: Share of its possible placements it gives status holders by choice.
        effort: That share this half year, after supervision (0 to 1).
        due: Persons due by the end of the current half year, cumulative (with the
            backlog at the start).
        housed: Persons housed for the quota, cumulative.
        missed: Completed half years in a row it ended behind.
    """

    code: tuple[str, ...]
    name: tuple[str, ...]
    province: tuple[str, ...]
    region: np.ndarray
    target_share: np.ndarray
    vacancy_share: np.ndarray
    willingness: np.ndarray
    effort: np.ndarray
    due: np.ndarray
    housed: np.ndarray
    missed: np.ndarray

    def __len__(self) -> int:
        return len(self.code)


@dataclass(frozen=True)
class MunicipalRules:
    """What the municipalities' rule reads (``status_holders.*`` and ``policy.*`` values).

    Attributes:
        quota_in_force: Whether the quota (and the province's supervision) applies.
        warning_after: Half years behind in a row after which the province warns.
        warning_step: Effort a warning adds.
        instruction_after: Half years behind in a row after which it instructs.
        instruction_effort: Effort under an instruction (at least).
        kept_without_quota: Share of its willingness a municipality keeps once the
            quota is abolished (while priority is legal).
    """

    quota_in_force: bool
    warning_after: int
    warning_step: float
    instruction_after: int
    instruction_effort: float
    kept_without_quota: float


class Municipality(mesa.Agent):
    """A municipality with its quota, its willingness and its province's supervision.

    Args:
        model: The housing market (its ``quota.table`` holds the municipalities' state).
        index: This municipality's entry in that table.
    """

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = int(index)

    @property
    def table(self) -> MunicipalTable:
        """The municipalities' state, as the market's quota holds it now."""
        return self.model.quota.table

    @staticmethod
    def effort(rules: MunicipalRules, table: MunicipalTable) -> np.ndarray:
        """Every municipality's effort for the half year starting (0 to 1): its
        willingness, plus a warning's step after ``warning_after`` misses in a row, at
        least the instruction's effort after ``instruction_after``; without the quota,
        the share of its willingness it keeps."""
        if not rules.quota_in_force:
            return table.willingness * rules.kept_without_quota
        effort = table.willingness + rules.warning_step * (table.missed >= rules.warning_after)
        instructed = table.missed >= rules.instruction_after
        effort = np.where(instructed, np.maximum(effort, rules.instruction_effort), effort)
        return np.clip(effort, 0.0, 1.0)

    # -- one municipality --------------------------------------------------------

    @property
    def code(self) -> str:
        return self.table.code[self.index]

    @property
    def name(self) -> str:
        return self.table.name[self.index]

    @property
    def province(self) -> str:
        return self.table.province[self.index]

    @property
    def willingness(self) -> float:
        return float(self.table.willingness[self.index])

    @property
    def current_effort(self) -> float:
        """Its effort this half year (share of its possible placements)."""
        return float(self.table.effort[self.index])

    @property
    def backlog(self) -> float:
        """Persons behind everything due by the end of the half year, agent units (the
        market reports real persons); none once the quota is abolished."""
        if not self.model.quota.in_force:
            return 0.0
        t = self.table
        return float(max(t.due[self.index] - t.housed[self.index], 0.0))

    @property
    def half_years_missed(self) -> int:
        """Completed half years in a row it ended behind."""
        return int(self.table.missed[self.index])

    def __repr__(self) -> str:
        return f"Municipality({self.code} {self.name}, effort {self.current_effort:.2f})"
