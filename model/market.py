"""The Dutch social rental market as a Mesa model.

Status holders, urgent seekers and regular seekers compete for the same
scarce corporation vacancies, region by region, month by month on real
dates, so that a change in allocation policy shows who gets the vacancies,
who waits longer, where status holders end up and what it costs. Source of
the policies: the cabinet letter on the "samenhangend pakket" (summer 2025,
``docs/reference``); source of the numbers: ``model/inputs/data/defaults.toml``.

One month (:meth:`HousingMarket.step`) reads as the process it models; each
stage is a sub-model that owns its state and returns a record of what it did:

* ``asylum`` (model/asylum/pipeline.py): applications, decisions, permits;
* ``quota`` (model/asylum/quota.py): half-year targets per municipality, the backlog;
* ``queue`` (model/households/queue.py): the households in the market, who enters, whose
  urgency lapses, who leaves;
* ``reunification`` (model/asylum/reunification.py): families arriving from abroad;
* ``stock`` (model/supply/stock.py): dwellings and vacancies;
* ``allocation`` (model/allocation/routes.py): the routes in force let the vacancies;
* ``reception`` (model/asylum/reception.py): places, occupancy, cost;
* ``reporting`` (model/reporting/accounts.py): the month's figures in real households
  and persons.

The start state is built in model/start.py, the settings are checked in
model/inputs/settings.py.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from functools import partial
from typing import Any

import mesa
import numpy as np

from agents.households import HouseholdAgents, Rules
from agents.municipalities import Municipality
from model.allocation.log import LettingLog
from model.allocation.routes import Allocation, AllocationInputs
from model.asylum.pipeline import AsylumPipeline
from model.asylum.reception import Reception
from model.asylum.reunification import Reunification
from model.base.calendar import Month, add_months, as_date, months_between
from model.base.codes import GROUPS
from model.base.errors import ParameterError
from model.base.streams import Streams
from model.history_cache import run_history
from model.households.population import Population
from model.households.queue import Queue
from model.inputs.history import HISTORY_START, History
from model.inputs.parameters import Parameters, parameter_specs
from model.inputs.policy import Scenario, Timeline
from model.inputs.settings import Settings, check_settings
from model.market_agents import HouseholdAccess
from model.reporting.accounts import MonthEnd, MonthRecord, figures, region_rows
from model.reporting.results import Results
from model.start import StartParts, build_start
from model.supply.stock import Stock, fit_table


class HousingMarket(HouseholdAccess, mesa.Model):
    """Households competing for social rental vacancies, month by month.

    Args:
        scenario: A scenario name (``experiments/scenarios/NAME.toml``), a path
            to a scenario file, or a loaded :class:`Scenario`.
        rng: Seed of the run (a non-negative integer); the same seed gives
            the same results.
        households_per_agent: Real households one agent stands for (1 = one
            agent per household). Every reported figure is in real households.
        start_date: First simulated month (a date YYYY-MM-01).
        parameters: Further parameter values by dotted name (``section.name``):
            a lever's value replaces the scenario's schedule for it
            (``model.inputs.settings``).
        attribution: Also work out, for each letting, who pure registration
            order would have housed instead (displacement measure 2, the
            ``passed_over_*`` columns of the lettings): about a tenth of a
            run's time, so only when asked for. It changes nothing else.

    Attributes:
        params: The validated parameters in force.
        timeline: Lever values by date.
        policy: The levers in force this month.
        households: The household table (one row per agent still waiting).
        month_stats: The figures of the last month simulated (real units).
    """

    def __init__(
        self,
        scenario: str | Scenario = "current-policy",
        *,
        rng: int | None = 1,
        households_per_agent: int | None = None,
        start_date: str | dt.date | None = None,
        parameters: Mapping[str, Any] | None = None,
        attribution: bool = False,
    ):
        self.settings = Settings.check(scenario, rng, households_per_agent, start_date, parameters)
        super().__init__(rng=self.settings.seed)
        self.seed = self.settings.seed
        self.scenario_def, self.params = self.settings.scenario, self.settings.params
        self.timeline = self.settings.timeline
        self.scale = self.params.households_per_agent
        self.start_date = self.params.start_date
        # Every run starts in the documented state of HISTORY_START; the months up to the
        # start date are the history (model/inputs/history.py). Month indices count from it.
        self._offset = months_between(HISTORY_START, self.start_date)
        self.n_regions = len(self.params.regions)
        self.fits = fit_table(self.params)
        self.clock = Month.of(HISTORY_START, -1)
        self.streams = Streams(self.seed)

        self.stock = Stock(self.params, self.scale, self.streams)
        self.asylum = AsylumPipeline(self.params, self.scale, HISTORY_START)
        self.history = History()  # observed inputs, 2022-2025
        self.reception = Reception(
            self.params, self.scale, HISTORY_START, self.history.capacity_decision()
        )
        population = Population(self.params, self.streams, self.scale)
        self.reunification = Reunification(
            self.params, self.streams, population, self.scale, self.params["dwellings.max_persons"]
        )
        self.queue = Queue(population, self.stock)
        if not isinstance(attribution, bool | np.bool_):
            raise ParameterError(f"attribution = {attribution!r}; allowed: true or false")
        self.allocation = Allocation(bool(attribution))
        self.lettings_log = LettingLog(bool(attribution))
        self._agents = HouseholdAgents(self)  # made on demand
        self._region_rows: list[dict] = []  # per month, its rows by region as columns

        # The documented state of HISTORY_START under the rules then (every lever at its
        # default), and the history up to the start date under the same rules.
        start_params = self.settings.start_params
        as_it_was = Timeline(start_params)
        self.policy = as_it_was.at(HISTORY_START)
        parts = StartParts(self.params, self.streams, self.queue, self.stock, self.reunification)
        self.quota = build_start(parts, start_params, self.policy)
        if self._offset:
            self._run_history(as_it_was)
        # The municipalities as Mesa agents, views on the quota's table (which the history
        # may have replaced): each decides its effort at the start of a half year.
        n = len(self.quota.table)
        self.municipalities = Municipality.create_agents(self, n, list(range(n)))
        self.policy = self.history.apply(self.timeline.at(self.start_date), self.start_date)[0]
        start = MonthRecord(Month.of(self.start_date, -1))  # the start row: stocks, no flows
        # (at HISTORY_START the reception settles its emergency places to the occupancy)
        start.reception = self.reception.last if self._offset else self._fill_reception(0.0)
        self._close(start)
        self.datacollector = mesa.DataCollector(
            model_reporters={k: partial(month_figure, name=k) for k in self.month_stats}
        )
        self.datacollector.collect(self)

    # ---------------------------------------------------------------- settings

    check_settings = staticmethod(check_settings)

    def settings_record(self) -> dict[str, Any]:
        """The settings this run applies (``Settings.record``) and, for a start in the past,
        the observed periods it used (``History.record``): for run.json."""
        return self.settings.record() | self.history.record()

    @property
    def user_settings(self) -> frozenset[str]:
        """The names the caller set."""
        return self.settings.user

    # -------------------------------------------------------------------- time

    @property
    def month(self) -> int:
        """Index of the month being (or last) simulated from the start date; -1 before the
        first step."""
        return self.clock.index - self._offset

    @property
    def date(self) -> dt.date:
        """The model's clock: the start date plus the months simulated so far."""
        return add_months(self.start_date, round(self.time))

    def run(self, months: int | None = None, until: dt.date | str | None = None) -> Results:
        """Run ``months`` months, or until a date (default: ``calendar.months``).

        Args:
            months: Whole months to simulate from where the model stands.
            until: Or a date (the first of a month, on or after the model's date)
                to run up to.

        Returns:
            The results so far.

        Raises:
            ParameterError: ``months`` is not a whole number >= 0, ``until`` is
                not such a date, both are given, or the run would pass the longest
                horizon (``calendar.months``'s maximum).
        """
        months = _months_to_run(self.params, self.month + 1, months, until)
        if months:
            self.run_for(months)
        return self.results()

    # ---------------------------------------------------------------- the step

    def step(self) -> None:
        """One month of the market, stage by stage (docs/architecture.md)."""
        month = Month.of(HISTORY_START, self._offset + round(self.time) - 1)
        record = self._advance(month, self.timeline)
        self._close(record)
        self.datacollector.collect(self)

    def _advance(self, month: Month, levers: Timeline) -> MonthRecord:
        """One month: the levers in force (``levers``, with what was observed put in), then
        every sub-model in the order of the brief; returns the month's record."""
        self.clock = month
        self.policy, observed = self.history.apply(levers.at(month.first), month.first)
        policy = self.policy
        record = MonthRecord(month)
        record.asylum = self.asylum.month(month.index, policy, observed)
        in_force = policy["policy.quota_in_force"]
        target = self._expected_to_house_per_year(observed) if in_force else None
        self.quota.start_month(month.first, target, self.quota.rules(policy))
        if in_force and observed.agreed_aim is not None:
            self.quota.agree(observed.agreed_aim / self.scale)
        entered_before = self.queue.entered.copy()
        persons_before = self.queue.sh_persons["entered"]
        waits_where = self.reception.region_share(month.index, policy)
        self.queue.enter(month, policy, record.asylum.permits, waits_where)
        record.reunified = self.reunification.step(
            month, policy, self.queue, self.quota, observed.family_arrivals,
            observed.family_via_reception,
        )  # fmt: skip
        record.entered = self.queue.entered - entered_before
        record.entered_reception_persons = self.queue.sh_persons["entered"] - persons_before
        rules = self.rules()
        record.lapsed = self.queue.lapse_urgency(rules, month)
        record.exits = self.queue.leave(rules, month)
        self.quota.record(record.exits.quota_region, record.exits.quota_persons)
        record.contracts_ended = self.queue.end_contracts(month)
        convert = self.reception.conversion_allowed(policy)
        record.vacancies = self.stock.step(month, policy, convert, self.queue.waiting_per_region())
        record.lettings = self.allocation.let(month, self._allocation_inputs())
        if observed.capacity_decision is not None:
            self.reception.decide(month.index, *observed.capacity_decision)
        record.reception = self._fill_reception(record.vacancies.converted_places)
        self.households.compact()  # agents find their rows by id, so nothing else moves
        return record

    def _run_history(self, as_it_was: Timeline) -> None:
        """The months from HISTORY_START to the start date, on observed inputs under the
        rules then (``model.history_cache.run_history``); what they leave is the start."""
        run_history(self, lambda month: self._advance(month, as_it_was))

    def rules(self) -> Rules:
        """What the household classes' rules read this month (``agents``)."""
        return self.queue.rules(self.clock.index, self.policy)

    def _allocation_inputs(self) -> AllocationInputs:
        return AllocationInputs(
            self.policy, self.queue, self.stock, self.quota, self.reunification,
            self.lettings_log, self.fits,
        )  # fmt: skip

    def _expected_to_house_per_year(self, observed) -> float:
        """The quota target's yearly rate (agent-unit persons): the observed target in the
        history, else the government's forecast (``Quota.forecast_per_year``)."""
        if observed.quota_target_per_year is not None:
            return observed.quota_target_per_year / self.scale
        permits = self.asylum.permits_expected_per_year(self.clock.index, self.policy)
        arrivals = self.policy["reunification.arrivals_per_year"] / self.scale
        return self.quota.forecast_per_year(
            permits, self.reunification, self.queue, self.clock, arrivals
        )

    def _fill_reception(self, converted_places: float):
        """Reception at the month's end: asylum seekers and status holders on the places."""
        in_reception = self.queue.in_reception()
        persons = self.households.reception_persons(in_reception)
        passing = self.reunification.passing_persons  # families on their way to a sponsor
        occupancy = self.asylum.in_reception + float(persons.sum()) + passing
        return self.reception.step(self.clock.index, occupancy, self.policy, converted_places)

    def _close(self, record: MonthRecord) -> None:
        """The month's figures (real units), its regional rows, and the agents of those gone."""
        end = MonthEnd(
            self.date, self.households, self.quota.backlog_at(self.clock),
            self.quota.behind_at(self.clock), self.quota.municipalities_per_region,
            self.reunification.abroad_of_sponsors, self.stock.total, len(self.stock.ledger),
            self.asylum.pending, self.asylum.rejected,
            self.params.regions.names, self.params["status_holders.outflow_norm_weeks"],
            self.scale, self.reunification.passing_by_region(len(self.params.regions)),
        )  # fmt: skip
        self.month_stats = figures(end, record)
        self._region_rows.append(region_rows(end, record))
        self._agents.remove(self.queue.take_gone_ids())

    # ----------------------------------------------------------------- results

    def results(self) -> Results:
        """All results so far as tidy DataFrames (see ``model.reporting.results``)."""
        return Results.of(
            monthly=self.datacollector.get_model_vars_dataframe(),
            region_months=self._region_rows,
            households=self.queue.outcomes.frame(self.households),
            realisation=self.quota.realisation,
            municipal=(self.quota.by_municipality, self.quota.table),
            lettings=self.lettings_log,
            params=self.params,
            months_run=max(self.month + 1, 0),
            day_end=self.clock.day_end,
        )


def month_figure(model: HousingMarket, name: str) -> Any:
    """One of the month's figures (a DataCollector reporter, used through ``functools.partial``
    of this module-level function rather than a lambda, so that the model pickles)."""
    return model.month_stats[name]


def _months_to_run(params: Parameters, months_run: int, months: Any, until: Any) -> int:
    """The months ``run(months, until)`` asks for, checked (see ``HousingMarket.run``)."""
    if months is not None and until is not None:
        raise ParameterError(f"run(months={months!r}, until={until!r}); allowed: one of the two")
    start = params.start_date
    if until is not None:
        end, now = _first_of_month(until, "until"), add_months(start, months_run)
        months = months_between(now, end)
        if months < 0:
            raise ParameterError(
                f"parameter 'until' = '{end}' is before the model's date {now}; "
                "allowed: a date on or after it"
            )
    months = _whole_months(params["calendar.months"] if months is None else months)
    _check_horizon(start, months_run, months)
    return months


def _whole_months(months: Any) -> int:
    """``months`` as an int, or a ParameterError that says what is allowed."""
    ok = not isinstance(months, bool) and (
        isinstance(months, int | np.integer)
        or (
            isinstance(months, float | np.floating)
            and math.isfinite(months)
            and months == int(months)
        )
    )
    if not ok or months < 0:
        raise ParameterError(f"parameter 'months' = {months!r}; allowed: a whole number >= 0")
    return int(months)


def _check_horizon(start: dt.date, months_run: int, months: int) -> None:
    """A run may not pass the longest horizon (``calendar.months``'s maximum) in all."""
    longest = int(parameter_specs()["calendar.months"].maximum)
    if months_run + months > longest:
        raise ParameterError(
            f"parameter 'months' = {months} from {add_months(start, months_run)} makes a run "
            f"of {months_run + months} months; allowed: at most {longest} months in all "
            f"(until {add_months(start, longest)})"
        )


def _first_of_month(value: Any, name: str) -> dt.date:
    """A date that is the first of a month, from a date or ISO text."""
    date = as_date(value)
    if date is None or date.day != 1:
        raise ParameterError(
            f"parameter '{name}' = {value!r}; allowed: a date written YYYY-MM-01 "
            "(the model steps by calendar month)"
        )
    return date


__all__ = ["GROUPS", "HousingMarket"]
