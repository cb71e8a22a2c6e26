"""The municipal quota for housing status holders (huisvestingstaakstelling).

The national government sets a target per half year from the expected number of
permits; each of the 342 municipalities gets its share by population, as the law
does (within each region the region's share, the one status holders are linked
by, is split by the municipalities' inhabitants). A municipality that houses fewer
than is due carries the backlog forward; one that houses more carries a lead.

The municipalities are agents (``agents/municipalities.py``): at the start of each
half year each decides its *effort*, the share of its possible placements it gives
status holders (its willingness, raised by the province's warnings and instructions
when it has been behind half year after half year). Its possible placements are
``status_holders.quota_placement_max_share`` of its own part of its region's
vacancies (its share of the region's corporation dwellings). So a region's quota route may take
the vacancies-weighted effort of its municipalities times that share
(:meth:`Quota.placement_shares`), and aims at what its municipalities aim at: each
its target (less a lead) plus ``municipalities.backlog_catch_up_share`` of its
backlog (:meth:`Quota.monthly_need`). Lettings are made per region; the persons a
region houses count for its municipalities in proportion to the placements each
offered among those still short this half year (:meth:`Quota.record`), so that
every municipality's realisation is a continuous figure that does not depend on
the number of households an agent stands for.

All figures here are in agent-unit persons (persons / households_per_agent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from agents.municipalities import Municipality, MunicipalRules, MunicipalTable
from model.base.calendar import Month, add_months, day_number, half_year_of
from model.inputs.parameters import Parameters

if TYPE_CHECKING:
    from model.asylum.reunification import Reunification
    from model.households.queue import Queue


class Quota:
    """Half-year targets, persons housed and the backlog, per municipality.

    Args:
        table: The municipalities (their shares, willingness and state).
        params: The run's parameters (``municipalities.*``: the supervision and the
            catch-up; the scale: a municipality is behind when it is at least one real
            person behind).

    Attributes:
        table: The municipalities' state (``MunicipalTable``).
        realisation: Per completed half year, the regions' target, housed, backlog
            and lead (arrays by region).
        by_municipality: Per completed half year, every municipality's target,
            housed, backlog, lead, effort and whether it ended behind.
    """

    def __init__(self, table: MunicipalTable, params: Parameters):
        self.table = table
        self.n_regions = len(params.regions)
        self.catch_up = params["municipalities.backlog_catch_up_share"]
        self.one_person = 1.0 / params.households_per_agent
        self._supervision = {
            name: params[f"municipalities.{name}"]
            for name in ("warning_after_half_years", "warning_effort_step",
                         "instruction_after_half_years", "instruction_effort")
        }  # fmt: skip
        self.due_before = table.due.copy()
        self.in_force = True  # False once the quota is abolished: nobody is due anything
        self.half_year: tuple[int, int] | None = None
        self._target = np.zeros(len(table))
        self._aim = np.zeros(len(table))
        self._housed_at_half_start = table.housed.copy()
        self.realisation: list[dict] = []
        self.by_municipality: list[dict] = []

    # -- the half year ---------------------------------------------------------------

    def rules(self, policy: Mapping) -> MunicipalRules:
        """The municipalities' rule under the levers in force."""
        s = self._supervision
        return MunicipalRules(
            quota_in_force=bool(policy["policy.quota_in_force"]),
            warning_after=int(s["warning_after_half_years"]),
            warning_step=float(s["warning_effort_step"]),
            instruction_after=int(s["instruction_after_half_years"]),
            instruction_effort=float(s["instruction_effort"]),
            kept_without_quota=float(policy["policy.priority_without_quota_share"]),
        )

    def start_month(self, date: dt.date, per_year: float | None, rules: MunicipalRules) -> None:
        """At the first month of a half year: close the last one, set each municipality's
        target (``per_year``: the national target's yearly rate; None: no quota) and let
        each decide its effort."""
        half = half_year_of(date)
        self.in_force = per_year is not None
        if half == self.half_year:
            return
        t = self.table
        if self.half_year is not None and self._target.any():
            self._close()
        self.half_year = half
        self.due_before = t.due.copy()
        lead = np.maximum(t.housed - t.due, 0.0)
        backlog = np.maximum(t.due - t.housed, 0.0)
        self._target = (0.0 if per_year is None else per_year / 2.0) * t.target_share
        t.due = t.due + self._target
        self._aim = np.maximum(self._target - lead, 0.0) + self.catch_up * backlog
        self._housed_at_half_start = t.housed.copy()
        t.effort[:] = Municipality.effort(rules, t)

    def agree(self, persons: float) -> None:
        """A national agreement to house ``persons`` in this half year (agent units, legal
        target and backlog included; the August 2022 asylum agreement): each
        municipality aims at its share of it by population, as the law spreads the
        target, if that is more than it aimed at. What is due by law, and so the backlog,
        does not change."""
        self._aim = np.maximum(self._aim, persons * self.table.target_share)

    def _close(self) -> None:
        """Record the half year that ended, per municipality and per region."""
        t = self.table
        backlog = np.maximum(t.due - t.housed, 0.0)
        lead = np.maximum(t.housed - t.due, 0.0)
        behind = backlog >= self.one_person
        t.missed = np.where(behind, t.missed + 1, 0)
        year, h = self.half_year
        housed = t.housed - self._housed_at_half_start
        self.by_municipality.append({
            "half_year": f"{year}-H{h}", "target": self._target.copy(), "housed": housed,
            "backlog_after": backlog, "lead_after": lead, "behind": behind,
            "effort": t.effort.copy(),
        })  # fmt: skip
        by_region = {k: self._by_region(v) for k, v in
                     (("target", self._target), ("housed", housed),
                      ("backlog_after", backlog), ("lead_after", lead))}  # fmt: skip
        self.realisation.append({"half_year": f"{year}-H{h}", **by_region})

    def _by_region(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.table.region, weights=values, minlength=self.n_regions)

    def forget_half_years(self) -> None:
        """Forget the half years recorded so far (the history's, which are not reported)."""
        self.realisation.clear()
        self.by_municipality.clear()

    # -- the month ------------------------------------------------------------------------

    def _months_left(self, date: dt.date) -> int:
        return 6 - (date.month - 1) % 6

    def _short(self) -> np.ndarray:
        """Persons each municipality still aims to house this half year."""
        return np.maximum(self._aim - (self.table.housed - self._housed_at_half_start), 0.0)

    def monthly_need(self, date: dt.date) -> np.ndarray:
        """Persons each region aims to house this month: its municipalities' aims for the
        half year, spread over the months left."""
        return self._by_region(self._short()) / self._months_left(date)

    def placements(self) -> np.ndarray:
        """Each municipality's possible placements this half year relative to its region's
        vacancies: its effort times its share of them."""
        return self.table.effort * self.table.vacancy_share

    def placement_shares(self, max_share: float) -> np.ndarray:
        """Per region, the share of its vacancies its municipalities give status holders:
        ``max_share`` times their vacancies-weighted effort."""
        return max_share * self._by_region(self.placements())

    def record(self, region: np.ndarray, persons: np.ndarray) -> None:
        """Persons housed (or settled) in their linked regions count for its municipalities:
        in proportion to the placements each offers, among those still short this half
        year (else among all that offer placements, else by population)."""
        region = np.asarray(region, np.int64)
        if len(region) == 0:
            return
        t = self.table
        per_region = np.bincount(region, weights=persons, minlength=self.n_regions)
        weights = self.placements() * (self._short() > 0)
        for fallback in (self.placements(), t.target_share):
            empty = self._by_region(weights)[t.region] <= 0
            weights = np.where(empty, fallback, weights)
        share = weights / self._by_region(weights)[t.region]
        t.housed = t.housed + per_region[t.region] * share

    # -- the backlog -----------------------------------------------------------------------

    def _due_pro_rata(self, date: dt.date) -> np.ndarray:
        elapsed = (date.month - 1) % 6 + 1  # months of this half year simulated by `date`'s end
        return self.due_before + self._target * elapsed / 6

    def backlog(self, date: dt.date) -> np.ndarray:
        """Persons behind the target pro rata, per region, net of the leads of its
        municipalities (never negative).

        The target of the current half year is due in six equal monthly parts, so the
        series is smooth; the official figures at the end of a half year are in
        ``realisation``.
        """
        if not self.in_force:
            return np.zeros(self.n_regions)
        net = self._by_region(self._due_pro_rata(date) - self.table.housed)
        return np.maximum(net, 0.0)

    def backlog_at(self, month: Month) -> np.ndarray:
        """Persons behind at the end of ``month`` (the start state: before the first half
        year), per region."""
        return self.backlog_before() if month.index < 0 else self.backlog(month.first)

    def backlog_before(self) -> np.ndarray:
        """Persons overdue from completed half years, per region (net, never negative)."""
        if not self.in_force:
            return np.zeros(self.n_regions)
        return np.maximum(self._by_region(self.due_before - self.table.housed), 0.0)

    def behind_at(self, month: Month) -> np.ndarray:
        """Per region, its municipalities at least one person behind the target pro rata
        at the end of ``month`` (at a half year's end: behind on the half year); none once
        the quota is abolished."""
        if not self.in_force:
            return np.zeros(self.n_regions, np.int64)
        if month.index < 0 or self.half_year is None:
            due = self.due_before
        else:
            due = self._due_pro_rata(month.first)
        behind = due - self.table.housed >= self.one_person
        return self._by_region(behind.astype(float)).astype(np.int64)

    @property
    def municipalities_per_region(self) -> np.ndarray:
        """The number of municipalities in each region."""
        return np.bincount(self.table.region, minlength=self.n_regions)

    @property
    def lead(self) -> np.ndarray:
        """Persons housed beyond everything due so far, per region (net)."""
        return np.maximum(self._by_region(self.table.housed - self.table.due), 0.0)

    @staticmethod
    def forecast_per_year(
        permits_per_year: float,
        reunification: Reunification,
        queue: Queue,
        month: Month,
        arrivals_per_year: float,
    ) -> float:
        """The national target's yearly rate as the government forecasts it (agent-unit
        persons): the permits expected over the coming half year plus the families
        expected to join from abroad in it: those due, at most as many as arrive in half a
        year (``arrivals_per_year``: the IND and travel let no more come, so families long
        overdue do not all count at once)."""
        half_year = day_number(add_months(month.first, 6))
        due = reunification.due_persons(queue, half_year)
        return permits_per_year + 2 * min(due, arrivals_per_year / 2)


def municipal_table(params, streams, initial_backlog: np.ndarray) -> MunicipalTable:
    """The 342 municipalities of the run's region set, with their willingness drawn and the
    backlog at the start.

    Each municipality's share of the quota: its region's population share (the one status
    holders are linked by) split by the municipalities' inhabitants. Its willingness: a
    draw from a beta distribution with mean ``municipalities.willingness_mean`` and
    concentration ``municipalities.willingness_concentration`` (counter-based, the same in
    every run of a seed). The backlog of its region at the start
    (``initial_backlog``, agent-unit persons) falls on its municipalities in proportion to
    inhabitants times unwillingness (an assumption: those less willing were the ones
    behind).
    """
    from scipy.special import betaincinv

    from model.inputs.municipalities import municipalities_for

    regions = params.regions
    data = municipalities_for(regions.names, regions.level)
    mean = params["municipalities.willingness_mean"]
    concentration = params["municipalities.willingness_concentration"]
    u = streams.uniform("willingness", np.arange(len(data), dtype=np.uint64), 0)
    willingness = betaincinv(mean * concentration, (1 - mean) * concentration, u)
    target_share = regions.population_share[data.region] * data.share_within_region(data.population)
    weight = data.population * (1.0 - willingness) + 1e-12
    backlog = initial_backlog[data.region] * data.share_within_region(weight)
    n = len(data)
    return MunicipalTable(
        code=data.code, name=data.name, province=data.province, region=data.region,
        target_share=target_share,
        vacancy_share=data.share_within_region(data.corporation_dwellings),
        willingness=willingness, effort=willingness.copy(), due=backlog,
        housed=np.zeros(n), missed=np.zeros(n, np.int64),
    )  # fmt: skip
