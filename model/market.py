"""The Dutch social rental market as a Mesa model.

Status holders, urgent seekers and regular seekers compete for the same
scarce corporation vacancies, region by region, month by month on real
dates, so that a change in allocation policy shows who gets the vacancies,
who waits longer, where status holders end up and what it costs. Source of
the policies: the cabinet letter on the "samenhangend pakket" (summer 2025,
``shared/reference``); source of the numbers: ``model/data/defaults.toml``.

One month (:meth:`HousingMarket.step`) reads as the process it models:

1. the levers in force on the month's first day;
2. households enter: regular registrants start searching, urgency
   declarations are granted, status holders receive a permit;
3. urgency declarations past their window lapse;
4. households leave the market (private rent, buying, moving away);
5. vacancies arise: turnover, vacancy chains, new construction and flex
   additions, minus demolition and flex homes at end of life;
6. the vacancies are let route by route (urgent placements, quota
   placements, advertised homes by registration time or lottery);
7. the month's figures are collected.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from functools import partial
from typing import Any

import mesa
import numpy as np
import pandas as pd

from agents.households import AGENT_CLASSES, Household, UrgentSeeker
from agents.registry import create_agents, remove_agents
from model.allocation import ROUTES
from model.calendar import DAYS_PER_MONTH, DAYS_PER_YEAR, add_months, day_number
from model.crn import Streams
from model.households import (
    EXIT_REASONS,
    GROUPS,
    HOUSED,
    LEFT,
    RECEPTION,
    REGULAR,
    SH_FAMILY,
    SH_LARGE_FAMILY,
    STARTUP_HOME,
    STATUS_HOLDER,
    URGENT,
    WAITING,
    HouseholdTable,
)
from model.integration import cohort_indicators
from model.parameters import ParameterError, Parameters, parameter_specs
from model.policy import (
    Scenario,
    Timeline,
    inert_settings,
    is_schedule,
    load_scenario,
    parse_schedule,
)
from model.population import INITIAL_MONTH, REENTRY_ID_GROUP, Population, household_ids
from model.quota import Quota
from model.reception import AsylumPipeline, Reception
from model.results import LettingLog, OutcomeLog, Results, quantile_by_group
from model.reunification import Reunification
from model.routes import ROUTE_FUNCTIONS, Month, attribute
from model.stock import (
    CHAIN,
    DWELLING_TYPES,
    FLEX,
    FLEX_ADDITION,
    LARGE,
    MEDIUM,
    N_TYPES,
    NEW_CONSTRUCTION,
    ORIGINS,
    RECEPTION_CONVERSION,
    REGULAR_TYPES,
    SELF_CONTAINED,
    SMALL,
    STARTUP,
    STARTUP_ADDITION,
    TURNOVER,
    Stock,
    fit_table,
    monthly_probability,
    only,
)


class HousingMarket(mesa.Model):
    """Households competing for social rental vacancies, month by month.

    Args:
        scenario: A scenario name (``experiments/scenarios/NAME.toml``), a path
            to a scenario file, or a loaded :class:`Scenario`.
        rng: Seed of the run (a non-negative integer); the same seed gives
            the same results.
        households_per_agent: Real households one agent stands for (1 = one
            agent per household). Every reported figure is in real households.
        start_date: First simulated month (a date YYYY-MM-01).
        parameters: Further parameter values by dotted name
            (``section.name``), applied over the scenario's.

    Attributes:
        params: The validated parameters in force.
        timeline: Lever values by date.
        households: The household table (one row per agent still waiting).
        stock: Dwellings and vacancies per region and type.
        quota: Half-year quota targets and the backlog.
        lettings_log: Every letting made so far.
        month_stats: The figures of the last month simulated.
    """

    def __init__(
        self,
        scenario: str | Scenario = "current-policy",
        *,
        rng: int | None = 1,
        households_per_agent: int | None = None,
        start_date: str | dt.date | None = None,
        parameters: Mapping[str, Any] | None = None,
    ):
        if rng is None:
            rng = int(np.random.SeedSequence().generate_state(1)[0] >> 1)
        if isinstance(rng, bool) or not isinstance(rng, int | np.integer) or rng < 0:
            raise ParameterError(f"parameter 'seed' = {rng!r}; allowed: a whole number >= 0")
        self.scenario_def, self.params, self.timeline = self.check_settings(
            scenario, households_per_agent, start_date, parameters
        )
        self.user_settings = frozenset(parameters or {}) | frozenset(
            name
            for name, given in (
                ("scale.households_per_agent", households_per_agent),
                ("calendar.start_date", start_date),
            )
            if given is not None
        )
        super().__init__(rng=int(rng))
        self.seed = int(rng)
        # The start reproduces the situation on the start date, before any lever acts:
        # lever values for it are the defaults.
        specs = parameter_specs()
        self.start_params = Parameters.from_overrides(
            {k: v for k, v in self.params.values.items() if not specs[k].lever}
        )
        self.scale = self.params.households_per_agent
        self.start_date = self.params.start_date
        self.streams = Streams(self.seed)
        self.n_regions = len(self.params.regions)
        self.fits = fit_table(self.params)

        self.households = HouseholdTable(capacity=1024)
        self.stock = Stock(self.params, self.scale, self.streams)
        self.population = Population(self.params, self.streams, self.scale)
        self.lettings_log = LettingLog()
        self.outcomes = OutcomeLog()
        self.asylum = AsylumPipeline(self.params, self.scale)
        self.reception = Reception(self.params, self.scale, self.start_date)
        self.reunification = Reunification(
            self.params,
            self.streams,
            self.population,
            self.scale,
            np.asarray(self.params["dwellings.max_persons"]),
        )
        # Status holders' persons (agent units): in = out, every month (tests/test_reception.py).
        self.sh_persons = dict.fromkeys(
            ("entered", "arrived_in_market", "reentered", "housed", "left"), 0
        )
        self._converted_places = 0.0
        # This month's lettings (region, group, registration years) for the regional figures.
        self._month_lettings = (np.zeros(0, np.int8), np.zeros(0, np.int8), np.zeros(0))
        self._agent_of: dict[int, Household] = {}
        self.route_budgets: dict = {}  # the priority routes' running budgets (model.routes)
        self.entered = np.zeros(len(GROUPS), np.int64)
        self.housed = np.zeros(len(GROUPS), np.int64)
        self.left = np.zeros(len(GROUPS), np.int64)
        self._region_rows: list[dict] = []

        self.current_month = INITIAL_MONTH
        self.day0 = day_number(self.start_date)
        self.day_end = self.day0
        # The situation at the start date, under the rules that led to it (the defaults).
        self.policy = Timeline(self.start_params).at(self.start_date)
        self._build_initial_state()
        self.policy = self.timeline.at(self.start_date)

        start_flows = self._empty_flows()
        self._fill_reception(start_flows, self.start_date)
        self.month_stats = self._measure(start_flows)
        self.datacollector = mesa.DataCollector(
            model_reporters={k: partial(month_figure, name=k) for k in self.month_stats}
        )
        self.datacollector.collect(self)
        self._collect_regions()

    @staticmethod
    def check_settings(
        scenario: str | Scenario = "current-policy",
        households_per_agent: int | None = None,
        start_date: str | dt.date | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> tuple[Scenario, Parameters, Timeline]:
        """Read and check a model's settings without building it.

        A value in ``parameters`` for a lever replaces the scenario's whole
        schedule for it: a plain value holds for the whole run, a list of dated
        values (``[{"from": "2027-01-01", "value": 0}, ...]``, or pairs) is the
        new schedule, with the default before its first date. A setting that has
        no effect under the other settings is refused (``needs`` in
        defaults.toml), and so is the scale or start date given twice.

        Returns:
            The scenario, the parameters in force and the lever timeline.

        Raises:
            ParameterError: A setting is invalid; the message names it, the value
                and what is allowed.
        """
        scenario_def = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        user = dict(parameters or {})
        for name, given in (
            ("scale.households_per_agent", households_per_agent),
            ("calendar.start_date", start_date),
        ):
            if given is not None and name in user:
                raise ParameterError(
                    f"parameter '{name}' is given twice ({given!r} as an argument and "
                    f"{user[name]!r} in the parameters); allowed: one of the two"
                )
        if households_per_agent is not None:
            user["scale.households_per_agent"] = households_per_agent
        if start_date is not None:
            user["calendar.start_date"] = (
                start_date.isoformat() if isinstance(start_date, dt.date) else start_date
            )
        specs = parameter_specs()
        values = dict(scenario_def.parameters)
        levers = dict(scenario_def.levers)
        for name, value in user.items():
            if name in specs and specs[name].lever:
                levers.pop(name, None)  # the user's value replaces the scenario's schedule
                steps = parse_schedule(name, value)
                if len(steps) == 1 and steps[0][0] == dt.date.min:
                    values[name] = value  # one value for the whole run
                else:
                    levers[name] = steps
            elif name in specs and is_schedule(value) and not isinstance(specs[name].value, list):
                parse_schedule(name, value)  # raises: not a lever, holds for the whole run
            else:
                values[name] = value
        params = Parameters.from_overrides(values)
        timeline = Timeline(params, levers)
        timeline.check(scenario_def.source)
        start = params.start_date
        if start.year * 12 + start.month - 1 + params["calendar.months"] >= 10000 * 12:
            raise ParameterError(
                f"parameter 'calendar.start_date' = '{params.start_date}' with "
                f"'calendar.months' = {params['calendar.months']} runs past the year 9999; "
                "allowed: a horizon that ends by December 9999"
            )
        # Nothing silently ignored: the scenario's own settings (under the scenario
        # alone) and the user's (under everything) must each take effect.
        own = Timeline(
            Parameters.from_overrides(dict(scenario_def.parameters)), scenario_def.levers
        )
        problems = inert_settings(
            own, [*scenario_def.parameters, *scenario_def.levers], own.params.start_date
        )
        problems = [f"{scenario_def.source}: {p}" for p in problems]
        # A user value for something the scenario sets does act: it replaces the scenario's.
        scenario_set = {*scenario_def.parameters, *scenario_def.levers}
        problems += inert_settings(
            timeline, [n for n in user if n not in scenario_set], params.start_date
        )
        if problems:
            raise ParameterError(problems[0])
        return scenario_def, params, timeline

    def settings_record(self) -> dict[str, Any]:
        """The settings this run actually applies, as plain JSON-able values.

        ``parameters``: every non-lever parameter's value; ``levers``: every
        lever's schedule as applied (``Timeline.schedule``); ``set_by_scenario``
        and ``set_by_user``: which names the scenario and the caller set.
        """

        def plain(v: Any) -> Any:
            if isinstance(v, dt.date):
                return v.isoformat()
            if isinstance(v, list | tuple):
                return [plain(x) for x in v]
            return v

        specs = parameter_specs()
        return {
            "scenario": self.scenario_def.name,
            "seed": self.seed,
            "parameters": {
                k: plain(v) for k, v in self.params.values.items() if not specs[k].lever
            },
            "levers": {
                k: [
                    {"from": s["from"], "value": plain(s["value"])}
                    for s in self.timeline.schedule(k)
                ]
                for k in specs
                if specs[k].lever
            },
            "set_by_scenario": sorted({*self.scenario_def.parameters, *self.scenario_def.levers}),
            "set_by_user": sorted(self.user_settings),
        }

    # ------------------------------------------------------------------ time

    @property
    def month(self) -> int:
        """Index of the month being (or last) simulated; -1 before the first step."""
        return self.current_month

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
                not such a date, both are given, or the run would pass the year 9999.
        """
        if months is not None and until is not None:
            raise ParameterError(
                f"run(months={months!r}, until={until!r}); allowed: one of the two"
            )
        if until is not None:
            end = _first_of_month(until, "until")
            months = (end.year - self.date.year) * 12 + end.month - self.date.month
            if months < 0:
                raise ParameterError(
                    f"parameter 'until' = '{end}' is before the model's date {self.date}; "
                    "allowed: a date on or after it"
                )
        if months is None:
            months = self.params["calendar.months"]
        months = _whole_months(months)
        if (self.date.year * 12 + self.date.month - 1 + months) >= 10000 * 12:
            raise ParameterError(
                f"parameter 'months' = {months} from {self.date} runs past the year 9999; "
                "allowed: a horizon that ends by December 9999"
            )
        if months:
            self.run_for(months)
        return self.results()

    # --------------------------------------------------------------- rates

    @property
    def regular_exit_hazard(self) -> float:
        """Monthly chance a regular or urgent seeker leaves the market."""
        total = sum(
            self.params[f"regular.exit_{k}_per_year"] for k in ("private_rent", "buy", "move_away")
        )
        return float(monthly_probability(total))

    @property
    def status_holder_exit_hazard(self) -> float:
        """Monthly chance a status holder leaves reception for a home found themselves."""
        return float(monthly_probability(self.policy["status_holders.exit_other_per_year"]))

    # ------------------------------------------------------------ the step

    def step(self) -> None:
        """One month of the market (see the module docstring)."""
        self.current_month = round(self.time) - 1
        month_start = add_months(self.start_date, self.current_month)
        self.day0 = day_number(month_start)
        self.day_end = day_number(add_months(month_start, 1))
        self.policy = self.timeline.at(month_start)
        flows = self._empty_flows()
        self._month_lettings = (np.zeros(0, np.int8), np.zeros(0, np.int8), np.zeros(0))
        permits = self._permits(flows)
        if self.policy["policy.quota_in_force"]:
            self.quota.start_month(month_start, self._expected_to_house_per_year())

        self._enter_households(flows, permits)
        self._reunify(flows)
        self._lapse_urgency(flows)
        self._leave_market(flows)
        self._new_vacancies(flows)
        self._allocate(flows)
        self._fill_reception(flows, month_start)

        self.month_stats = self._measure(flows)
        self.datacollector.collect(self)
        self._collect_regions()
        self.households.compact()  # agents find their rows by id, so nothing else moves

    # ------------------------------------------------------------- asylum

    def _permits(self, flows: dict) -> float:
        """Persons granted a permit this month (agent units): the pipeline, or a fixed number."""
        applications = self.asylum.applications_per_year(self.month) / 12
        permits = self.asylum.step(self.month, self.policy["asylum.recognition_rate"])
        flows["asylum_applications_persons"] = applications
        if self.params["asylum.permit_source"] == "exogenous":
            permits = self.policy["status_holders.permits_persons_per_year"] / 12 / self.scale
        flows["asylum_permits_persons"] = permits * self.scale
        return permits

    def _expected_to_house_per_year(self) -> float:
        """The quota target's yearly rate (agent-unit persons), as the government forecasts it.

        Expected permits over the coming half year (the pipeline's projection, or
        the fixed number) plus the families expected to join from abroad.
        """
        p = self.policy
        if self.params["asylum.permit_source"] == "exogenous":
            permits = p["status_holders.permits_persons_per_year"] / self.scale
        else:
            permits = 2 * self.asylum.expected_permits(6, self.month, p["asylum.recognition_rate"])
        abroad = self.reunification.abroad_of_sponsors + self._abroad_in_market()
        arrivals = abroad * (1.0 - np.exp(-p["reunification.arrival_per_year"]))
        return permits + arrivals

    def _abroad_in_market(self) -> int:
        table = self.households
        waiting = table.waiting()
        return int(table["family_abroad"][waiting].sum())

    def _reunify(self, flows: dict) -> None:
        """Families arrive from abroad: at households still waiting, and at housed ones."""
        table, k = self.households, self.scale
        waiting = table.waiting()
        rows = waiting[table["family_abroad"][waiting] > 0]
        came = rows[
            self.reunification.arrives(
                table["id"][rows], table["subsidiary"][rows], self.month, self.policy
            )
        ]
        persons = table["family_abroad"][came].astype(np.int64)
        table["size"][came] += table["family_abroad"][came]
        table["family_abroad"][came] = 0
        table["sh_type"][came] = np.where(table["size"][came] >= 6, SH_LARGE_FAMILY, SH_FAMILY)
        table["children"][came] = True
        self.reunification.ledger["arrived"] += float(persons.sum())
        self.sh_persons["arrived_in_market"] += int(persons.sum())
        flows["reunification_arrivals_in_market_persons"] += int(persons.sum()) * k

        step = self.reunification.step_sponsors(self.month, self.policy)
        arrived = step["arrived"]
        flows["reunification_arrivals_at_home_persons"] += int(arrived["persons"].sum()) * k
        if self.policy["policy.quota_in_force"]:  # family joining at home counts for the quota
            linked = arrived["linked_region"]
            mine = linked >= 0
            self.quota.record(linked[mine], arrived["persons"][mine].astype(float))
        out = step["reenter"]
        if len(out["id"]):
            counts = np.bincount(out["region"], minlength=self.n_regions)
            order = np.argsort(out["region"], kind="stable")
            ids, region = household_ids(self.month, REENTRY_ID_GROUP, counts)
            entry = self.population.days_in_month(ids, self.day0, self.day_end)
            sponsors = {name: col[order] for name, col in out.items()}
            cols = self.population.reentering_status_holders(ids, region, sponsors, entry)
            self._add_households(cols)
            self.sh_persons["reentered"] += int(cols["size"].sum())
            flows["reunification_reentries_households"] += len(ids) * k

    def _count_responsibility(self, rows: np.ndarray, flows: dict) -> None:
        """Status holders leaving reception start civic integration: who is responsible.

        The municipality of the quota link while there is one; otherwise the
        one of the BRP registration after housing (letter).
        """
        table = self.households
        linked = table["linked_region"][rows] >= 0
        persons = table["size"][rows].astype(np.int64)
        flows["integration_start_quota_link_persons"] += int(persons[linked].sum()) * self.scale
        flows["integration_start_brp_persons"] += int(persons[~linked].sum()) * self.scale

    def _fill_reception(self, flows: dict, date: dt.date) -> None:
        """Reception at the month's end: asylum seekers and status holders on the places."""
        table = self.households
        waiting = table.waiting()
        in_reception = (table["group"][waiting] == STATUS_HOLDER) & (
            table["situation"][waiting] == RECEPTION
        )
        sh_persons = float(table["size"][waiting][in_reception].sum())
        occupancy = self.asylum.in_reception + sh_persons
        converted, self._converted_places = self._converted_places, 0.0
        figures = self.reception.step(
            date,
            occupancy,
            self.policy["reception.regular_places_target"],
            self.policy["reception.cancel_unused_places"],
            converted,
        )
        flows.update(figures)
        flows["reception_occupancy_total_persons"] = occupancy * self.scale
        flows["asylum_pending_persons"] = self.asylum.pending * self.scale
        flows["asylum_rejected_in_reception_persons"] = self.asylum.rejected * self.scale

    # ------------------------------------------------------- initial state

    def _build_initial_state(self) -> None:
        p, pop, k = self.start_params, self.population, self.scale
        share = self.params.regions.population_share
        reception = self.params.regions.reception_share
        rounding = self.streams.round
        quota_on = self.policy["policy.quota_in_force"]
        coupling = self.policy["policy.coupling_without_quota"]

        # Status holders in reception (by where the reception centres are): those
        # within the 14-week norm, and the backlog past it.
        norm_days = p["status_holders.outflow_norm_weeks"] * 7
        within_persons = self._permits_per_year_at_start() * norm_days / DAYS_PER_YEAR
        backlog_persons = p["status_holders.initial_backlog_persons"]
        sh_rows = []
        for part, persons in enumerate((within_persons, backlog_persons)):
            target = persons * reception / k
            ids, region = self._ids_for_persons(STATUS_HOLDER, target, salt=part)
            u = self.streams.uniform("initial_permit", ids, part)
            if part == 0:
                permit = self.day0 - u * norm_days
            else:
                overstay = -np.log1p(-u) * p["status_holders.backlog_mean_overstay_months"]
                permit = self.day0 - norm_days - overstay * DAYS_PER_MONTH
            cols = pop.status_holders(ids, region, permit.astype(np.int32), quota_on, coupling)
            sh_rows.append(cols)
        # The quota backlog: the persons past the norm, by the municipality they are linked to.
        backlog = np.zeros(self.n_regions)
        linked = sh_rows[1]["linked_region"]
        np.add.at(backlog, linked[linked >= 0], sh_rows[1]["size"][linked >= 0])
        self.quota = Quota(share, backlog)

        # Urgent seekers waiting, granted within the validity window.
        n_urgent = rounding(p["urgent.initial_waiting"] * share / k, INITIAL_MONTH, salt=7)
        ids, region = household_ids(INITIAL_MONTH, URGENT, n_urgent)
        validity = p["urgent.validity_months"] * DAYS_PER_MONTH
        granted = self.day0 - self.streams.uniform("initial_granted", ids, 0) * validity
        urgent_cols = pop.urgent(ids, region, granted.astype(np.int32), self._urgency_allowed)

        # Regular seekers: the steady-state queue of each region.
        sh_households = sum(len(c["id"]) for c in sh_rows)
        queue = p["regular.initial_seekers"] / k - sh_households - len(ids)
        if queue <= 0:
            raise ParameterError(
                f"parameter 'regular.initial_seekers' = {p['regular.initial_seekers']} is smaller "
                "than the urgent and status-holder households waiting at the start; allowed: more"
            )
        pop.set_queue_steady_state(
            self._expected_regular_lettings(), self.regular_exit_hazard, queue
        )
        n_regular = np.rint([s.queue for s in pop.steady]).astype(np.int64)
        rids, rregion = household_ids(INITIAL_MONTH, REGULAR, n_regular)
        age, searched = pop.initial_regular_ages(rids, rregion)
        regular_cols = pop.regular(
            rids, rregion, self.day0 - searched, self.day0 - age, self.stock.background
        )
        # Append in id order: regular, urgent, status holders (both cohorts merged).
        sh_cols = {name: np.concatenate([c[name] for c in sh_rows]) for name in sh_rows[0]}
        order = np.argsort(sh_cols["id"])
        sh_cols = {name: col[order] for name, col in sh_cols.items()}
        for cols in (regular_cols, urgent_cols, sh_cols):
            self._add_households(cols)
        # Housed status holders whose family is still abroad (65,000 persons with those above).
        self.reunification.seed_sponsors(
            float(sh_cols["family_abroad"].sum()), self.day0 - round(2 * DAYS_PER_YEAR)
        )
        # Homes vacated by last month's doorstromers are let this month (chains
        # run with a month's lag): seed one month of them.
        chains = self._expected_chain_vacancies()
        self.stock.add_vacancies(rounding(chains, INITIAL_MONTH, salt=8), self.day0, CHAIN)

    def _permits_per_year_at_start(self) -> float:
        """Persons a year granted a permit just before the start (real persons).

        The fixed yearly number, or the pipeline's first-month decisions on the
        applications pending at the start, at the start's recognition rate.
        """
        p = self.start_params
        if p["asylum.permit_source"] == "exogenous":
            return p["status_holders.permits_persons_per_year"]
        first_month = self.asylum.expected_permits(1, 0, p["asylum.recognition_rate"])
        return first_month * 12 * self.scale

    def _ids_for_persons(
        self, group: int, persons: np.ndarray, salt: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ids of households whose sizes add up to ``persons`` (agent units) per region."""
        shares = self.params["status_holders.size_shares"]
        counts = np.ceil(persons + 10).astype(np.int64)  # enough: every household has a person
        ids, region = household_ids(INITIAL_MONTH, group, counts)
        ids = ids + (salt << 29)  # keep the two initial cohorts apart
        size = self.population.sizes(ids, shares)
        keep = np.zeros(len(ids), bool)
        for r in range(self.n_regions):
            here = np.flatnonzero(region == r)
            cum = np.concatenate([[0], np.cumsum(size[here])])
            take = int(np.argmin(np.abs(cum - persons[r])))  # the count closest to the target
            keep[here[:take]] = True
        return ids[keep], region[keep]

    def _expected_shares(self) -> tuple[float, float]:
        """Rough shares of lettings to regular seekers, and to doorstromers (vacancy chains).

        Used only to set up the start: the caps of the priority routes apply one
        after the other and may add up to more than 1, so the regular share is
        kept at 5% or more.
        """
        p = self.start_params
        caps = p["allocation.urgent_share_cap"] + p["status_holders.quota_placement_max_share"]
        regular_share = max(1.0 - caps, 0.05)
        return regular_share, p["regular.situation_shares"][3] * regular_share

    def _expected_chain_vacancies(self) -> np.ndarray:
        """Expected vacancies per (region, type) freed by doorstromers in a month."""
        turnover = self.stock.background * self.stock.turnover_probability
        _, chain_share = self._expected_shares()
        lettings = turnover.sum(axis=1, keepdims=True) / (1.0 - chain_share)
        # Doorstromers leave homes in proportion to the occupied stock.
        weights = np.maximum(self.stock.background, 0).astype(float)
        weights[:, [FLEX, STARTUP]] = 0.0
        weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1.0)
        return lettings * chain_share * weights

    def _expected_regular_lettings(self) -> np.ndarray:
        """Expected monthly lettings to regular seekers per region (for the initial queue)."""
        p, share = self.start_params, self.params.regions.population_share
        turnover = (self.stock.background * self.stock.turnover_probability)[
            :, [SMALL, MEDIUM, LARGE, 3, FLEX]
        ].sum(axis=1)
        new = (p["stock.new_construction_per_year"] + p["stock.flex_additions_per_year"]) / 12
        exogenous = turnover + new * share / self.scale
        regular_share, chain_share = self._expected_shares()
        return exogenous / (1.0 - chain_share) * regular_share

    # ------------------------------------------------------------- entering

    def _urgency_allowed(self, residence_permit: np.ndarray) -> np.ndarray:
        """Whether urgency may be granted: not to permit holders under the Mooiman amendment."""
        if self.policy["policy.no_urgency_for_residence_permit"]:
            return ~residence_permit
        return np.ones(len(residence_permit), bool)

    def _add_households(self, cols: dict[str, np.ndarray]) -> None:
        """Append households to the table, occupy their homes, and create their agents."""
        rows = self.households.append(len(cols["id"]), **cols)
        sh = cols["group"] == STATUS_HOLDER
        if sh.any() and cols["situation"][sh][0] == RECEPTION:  # permits (and the start)
            self.sh_persons["entered"] += int(cols["size"][sh].sum())
            if self.current_month >= 0:
                self.reunification.ledger["abroad_added"] += float(cols["family_abroad"][sh].sum())
        home = self.households["home_type"][rows]
        has = home >= 0
        if has.any():
            self.stock.occupy_tracked(self.households["region"][rows][has], home[has])
        group = cols["group"]
        np.add.at(self.entered, group, 1)
        for g, cls in AGENT_CLASSES.items():
            ids = cols["id"][group == g].tolist()
            self._agent_of.update(zip(ids, create_agents(self, cls, ids), strict=True))

    def _enter_households(self, flows: dict, permits: float) -> None:
        m, pop, p = self.current_month, self.population, self.policy
        share = self.params.regions.population_share
        days = (self.day0, self.day_end)

        counts = self.streams.carry("regular_inflow", pop.regular_registrants(m))
        ids, region = household_ids(m, REGULAR, counts)
        entry = pop.days_in_month(ids, *days)
        registration = entry - pop.regular_lag_days(ids, region)
        self._add_households(pop.regular(ids, region, entry, registration, self.stock.background))

        mean = self.params["urgent.declarations_per_year"] / 12 * share / self.scale
        ids, region = household_ids(m, URGENT, self.streams.carry("urgent_inflow", mean))
        self._add_households(
            pop.urgent(ids, region, pop.days_in_month(ids, *days), self._urgency_allowed)
        )

        reception = self.params.regions.reception_share
        counts = pop.status_holder_composition(permits * self.scale, reception)
        ids, region = household_ids(m, STATUS_HOLDER, counts.sum(axis=(1, 2)))
        self._add_households(
            pop.status_holders(
                ids,
                region,
                pop.days_in_month(ids, *days),
                p["policy.quota_in_force"],
                p["policy.coupling_without_quota"],
                pop.status_holder_cells(ids, counts),
            )
        )

    # -------------------------------------------------------- lapse and exit

    def _lapse_urgency(self, flows: dict) -> None:
        table = self.households
        rows = np.flatnonzero((table["state"] == WAITING) & (table["group"] == URGENT))
        lapsed = UrgentSeeker.lapse_expired(self, rows, self.day0)
        flows["urgent_lapsed_unserved_households"] += len(lapsed) * self.scale

    def _leave_market(self, flows: dict) -> None:
        table = self.households
        waiting = table.waiting()
        group = table["group"][waiting]
        for g, cls in AGENT_CLASSES.items():
            rows = waiting[group == g]
            out = rows[cls.leaves(self, rows)]
            if len(out) == 0:
                continue
            if g == STATUS_HOLDER:  # settling on their own counts for the linked municipality
                self.sh_persons["left"] += int(table["size"][out].sum())
                self.reunification.ledger["dropped"] += float(table["family_abroad"][out].sum())
                self._count_responsibility(out[table["situation"][out] == RECEPTION], flows)
                linked = table["linked_region"][out]
                mine = linked >= 0
                self.quota.record(linked[mine], table["size"][out][mine].astype(float))
            reasons = np.bincount(table["exit_reason"][out], minlength=len(EXIT_REASONS))
            for reason, n in zip(EXIT_REASONS, reasons, strict=True):
                flows[f"exits_{reason}_households"] += int(n) * self.scale
            self._move_out(out, LEFT)
            self.left[g] += len(out)

    def _move_out(self, rows: np.ndarray, state: int) -> None:
        """Households housed for good or gone: free their old homes, drop their agents."""
        table = self.households
        home = table["home_type"][rows]
        has = home >= 0
        if has.any():
            self.stock.release(table["region"][rows][has], home[has], self.day_end)
        table.mark_out(rows, state, self.day0)
        self.outcomes.add(table, rows, state)
        pop = self._agent_of.pop
        remove_agents(self, [pop(hid) for hid in table["id"][rows].tolist()])

    # ------------------------------------------------------------ vacancies

    def _new_vacancies(self, flows: dict) -> None:
        stock, p, m = self.stock, self.policy, self.current_month
        share = self.params.regions.population_share
        carry = self.streams.carry
        turnover = carry("turnover", stock.expected_turnover())
        stock.add_vacancies(turnover, self.day0, TURNOVER)

        def per_region(per_year: float, weights: np.ndarray, flow: str) -> np.ndarray:
            return carry(flow, per_year / 12 * weights / self.scale)

        new = np.zeros((self.n_regions, N_TYPES), np.int64)
        small, large = self.params["stock.share_small"], self.params["stock.share_large"]
        for t, type_share in ((SMALL, small), (MEDIUM, 1 - small - large), (LARGE, large)):
            new[:, t] = per_region(
                p["stock.new_construction_per_year"] * type_share, share, f"construction:{t}"
            )
        new[:, FLEX] = per_region(p["stock.flex_additions_per_year"], share, "flex_addition")
        new[:, STARTUP] = per_region(p["stock.startup_additions_per_year"], share, "startup")
        reserved = np.zeros_like(new)
        reserved[:, FLEX] = np.minimum(
            carry("flex_reserved", new[:, FLEX] * p["stock.flex_reserved_share"]), new[:, FLEX]
        )
        # Reception places converted into homes, where the reception centres are,
        # reserved for status holders (omklapbare plekken).
        converted = np.zeros_like(new)
        converted[:, FLEX] = per_region(
            p["policy.reception_places_converted_per_year"] / p["policy.places_per_converted_home"],
            self.params.regions.reception_share,
            "reception_conversion",
        )
        stock.grow(new + converted, m)
        stock.add_vacancies(only(new, REGULAR_TYPES), self.day0, NEW_CONSTRUCTION)
        stock.add_vacancies(only(new, (FLEX,)), self.day0, FLEX_ADDITION, reserved)
        stock.add_vacancies(only(new, (STARTUP,)), self.day0, STARTUP_ADDITION)
        stock.add_vacancies(converted, self.day0, RECEPTION_CONVERSION, converted)
        flows["flex_additions_reserved_dwellings"] += int(reserved[:, FLEX].sum()) * self.scale
        self._converted_places = int(converted.sum()) * p["policy.places_per_converted_home"]
        flows["reception_places_converted_persons"] += round(self._converted_places * self.scale)
        # Homes turned into shared homes for singles (woningdelen).
        stock.convert_to_shared(
            per_region(p["policy.shared_conversions_per_year"], share, "shared_conversion"),
            p["policy.shared_households_per_dwelling"],
            self.day0,
        )

        demolish = np.zeros_like(new)
        rate = monthly_probability(self.params["stock.demolition_per_year"])
        for t in REGULAR_TYPES:
            demolish[:, t] = carry(f"demolition:{t}", stock.total[:, t] * rate)
        stock.shrink(demolish)
        flows["demolished_dwellings"] += int(demolish.sum()) * self.scale
        flows["flex_end_of_life_dwellings"] += int(stock.end_of_life(m).sum()) * self.scale

        ledger = stock.ledger
        new_here = ledger.since_day == self.day0
        for code, name in enumerate(ORIGINS):
            n = int(np.sum(new_here & (ledger.origin == code)))
            flows[f"vacancies_{name}_dwellings"] += n * self.scale

    # ----------------------------------------------------------- allocation

    def _allocate(self, flows: dict) -> None:
        """Let this month's vacancies route by route, in the order in force, and apply them."""
        month = Month.start(self)
        for route in self.policy["allocation.route_order"]:
            ROUTE_FUNCTIONS[route](month)
        v, rows, route_codes = month.lettings.arrays()
        passed_over = attribute(month, v, rows)
        flows["refusals_households"] += month.refusals * self.scale
        self._apply_lettings(month.available[v], rows, route_codes, passed_over, flows)

    def _apply_lettings(self, ledger_idx, rows, routes, passed_over, flows) -> None:
        table, stock, ledger = self.households, self.stock, self.stock.ledger
        passed = passed_over >= 0
        passed_row = np.maximum(passed_over, 0)
        dtype = ledger.type[ledger_idx].astype(np.int8)
        region = ledger.region[ledger_idx]
        group = table["group"][rows]
        size = table["size"][rows]
        was_in_reception = (group == STATUS_HOLDER) & (table["situation"][rows] == RECEPTION)
        day = self.day_end - 1  # lettings are stamped with the month's last day
        self.lettings_log.add(
            month=self.month,
            day=day,
            region=region,
            dwelling_type=dtype,
            dwelling_id=ledger.dwelling_id[ledger_idx],
            origin=ledger.origin[ledger_idx],
            group=group,
            household_id=table["id"][rows],
            persons=size,
            route=routes,
            registration_days=day - table["registration_day"][rows],
            days_since_entry=day - table["entry_day"][rows],
            leaves_social_home=table["home_type"][rows] >= 0,
            situation=table["situation"][rows],
            residence_permit=table["residence_permit"][rows],
            passed_over_id=np.where(passed, table["id"][passed_row], -1),
            passed_over_group=np.where(passed, table["group"][passed_row], -1),
        )
        keep = np.ones(len(ledger), bool)
        keep[ledger_idx] = False
        ledger.keep(keep)

        # Status holders leaving reception count for their linked region's quota.
        linked = table["linked_region"][rows]
        counts = was_in_reception & (linked >= 0)
        self.quota.record(linked[counts], size[counts].astype(float))
        flows["status_holders_housed_persons"] += int(size[was_in_reception].sum()) * self.scale
        self._count_responsibility(rows[was_in_reception], flows)
        if was_in_reception.any():
            weeks = (day - table["permit_day"][rows][was_in_reception]) / 7.0
            norm = self.params["status_holders.outflow_norm_weeks"]
            flows["permit_to_housing_weeks_median"] = float(np.median(weeks))
            flows["permit_to_housing_weeks_p90"] = float(np.quantile(weeks, 0.9))
            flows["housed_within_14_weeks_share"] = float(np.mean(weeks <= norm))

        startup = dtype == STARTUP
        movers = rows[startup]
        if len(movers):  # a start-up home is a step: the household keeps searching
            home = table["home_type"][movers]
            has = home >= 0
            if has.any():
                stock.release(table["region"][movers][has], home[has], self.day_end)
            table["situation"][movers] = STARTUP_HOME
            table["home_type"][movers] = STARTUP
            table["startup_day"][movers] = self.day0
            stock.occupy_tracked(region[startup], dtype[startup])
        out = rows[~startup]
        self._move_out(out, HOUSED)
        np.add.at(self.housed, table["group"][out], 1)
        sh_out = table["group"][out] == STATUS_HOLDER
        self.sh_persons["housed"] += int(table["size"][out][sh_out].sum())
        waits = sh_out & (table["family_abroad"][out] > 0)
        if waits.any():  # their family still comes: follow them at home
            r = out[waits]
            self.reunification.add(
                id=table["id"][r],
                region=table["region"][r],
                linked_region=table["linked_region"][r],
                size=table["size"][r],
                home_type=dtype[~startup][waits],
                abroad=table["family_abroad"][r],
                subsidiary=table["subsidiary"][r],
                permit_day=table["permit_day"][r],
            )

        k = self.scale
        sc = SELF_CONTAINED[dtype]
        for g, name in enumerate(GROUPS):
            mine = group == g
            flows[f"lettings_{name}_households"] += int(mine.sum()) * k
            flows[f"lettings_self_contained_{name}_households"] += int((mine & sc).sum()) * k
        for t, name in enumerate(DWELLING_TYPES):
            flows[f"lettings_{name}_households"] += int((dtype == t).sum()) * k
        for r, name in enumerate(ROUTES):
            flows[f"lettings_route_{name}_households"] += int((routes == r).sum()) * k
        flows["lettings_doorstromer_households"] += int((table["home_type"][rows] >= 0).sum()) * k
        years = (day - table["registration_day"][rows]) / DAYS_PER_YEAR
        for q, label in ((0.5, "median"), (0.9, "p90")):
            by_group = quantile_by_group(years, group, q)
            for g, name in enumerate(GROUPS):
                flows[f"registration_years_at_letting_{label}_{name}"] = by_group[g]
        self._month_lettings = (region, group, years)

    # ----------------------------------------------------------- measurement

    def _empty_flows(self) -> dict[str, float]:
        flows: dict[str, float] = {}
        for name in GROUPS:
            flows[f"lettings_{name}_households"] = 0
        flows["lettings_total_households"] = 0
        flows["lettings_self_contained_households"] = 0
        for name in GROUPS:
            flows[f"lettings_self_contained_{name}_households"] = 0
        for name in DWELLING_TYPES:
            flows[f"lettings_{name}_households"] = 0
        for name in ROUTES:
            flows[f"lettings_route_{name}_households"] = 0
        flows["lettings_doorstromer_households"] = 0
        for label in ("median", "p90"):
            for name in GROUPS:
                flows[f"registration_years_at_letting_{label}_{name}"] = float("nan")
        for name in GROUPS:
            flows[f"entered_{name}_households"] = 0
        for reason in EXIT_REASONS:
            flows[f"exits_{reason}_households"] = 0
        flows["refusals_households"] = 0
        flows["urgent_lapsed_unserved_households"] = 0
        flows["status_holders_housed_persons"] = 0
        for name in ORIGINS:
            flows[f"vacancies_{name}_dwellings"] = 0
        flows["flex_additions_reserved_dwellings"] = 0
        flows["demolished_dwellings"] = 0
        flows["reception_places_converted_persons"] = 0
        for name in (
            "asylum_applications_persons",
            "asylum_permits_persons",
            "asylum_pending_persons",
            "asylum_rejected_in_reception_persons",
            "reception_occupancy_total_persons",
            "reception_regular_places_persons",
            "reception_occupancy_regular_persons",
            "reception_occupancy_ship_persons",
            "reception_occupancy_hotel_persons",
            "reception_cost_regular_eur",
            "reception_cost_ship_eur",
            "reception_cost_hotel_eur",
            "reception_cost_total_eur",
            "reunification_arrivals_in_market_persons",
            "reunification_arrivals_at_home_persons",
            "reunification_reentries_households",
            "integration_start_quota_link_persons",
            "integration_start_brp_persons",
        ):
            flows[name] = 0.0
        for label in ("median", "p90"):
            flows[f"permit_to_housing_weeks_{label}"] = float("nan")
        flows["housed_within_14_weeks_share"] = float("nan")
        flows["flex_end_of_life_dwellings"] = 0
        return flows

    def _measure(self, flows: dict) -> dict[str, Any]:
        """The month's figures: its flows and the stocks at its end, in real units."""
        table, k = self.households, self.scale
        stats: dict[str, Any] = {
            "date": self.date.isoformat(),
            "period": (
                add_months(self.start_date, self.current_month).strftime("%Y-%m")
                if self.current_month >= 0
                else ""
            ),
        }
        flows["lettings_total_households"] = sum(
            flows[f"lettings_{name}_households"] for name in GROUPS
        )
        flows["lettings_self_contained_households"] = sum(
            flows[f"lettings_self_contained_{name}_households"] for name in GROUPS
        )
        entered = self.entered - getattr(self, "_entered_before", np.zeros_like(self.entered))
        self._entered_before = self.entered.copy()
        for g, name in enumerate(GROUPS):
            flows[f"entered_{name}_households"] = int(entered[g]) * k
        stats.update(flows)
        waiting = table.waiting()
        group = table["group"][waiting]
        for g, name in enumerate(GROUPS):
            stats[f"waiting_{name}_households"] = int(np.sum(group == g)) * k
        sh = waiting[(group == STATUS_HOLDER) & (table["situation"][waiting] == RECEPTION)]
        sizes = table["size"][sh]
        overdue = (
            table["permit_day"][sh]
            < self.day_end - self.params["status_holders.outflow_norm_weeks"] * 7
        )
        stats["status_holders_in_reception_households"] = len(sh) * k
        stats["status_holders_in_reception_persons"] = int(sizes.sum()) * k
        stats["reception_backlog_persons"] = int(sizes[overdue].sum()) * k
        if self.current_month >= 0:
            backlog = self.quota.backlog(add_months(self.start_date, self.current_month))
        else:
            backlog = self.quota.backlog_before()
        stats["quota_backlog_persons"] = float(backlog.sum()) * k
        unlinked = table["linked_region"][sh] < 0
        stats["integration_no_responsible_municipality_persons"] = int(sizes[unlinked].sum()) * k
        stats["family_abroad_persons"] = (
            self.reunification.abroad_of_sponsors + int(table["family_abroad"][waiting].sum())
        ) * k
        in_startup = (group == STATUS_HOLDER) & (table["situation"][waiting] == STARTUP_HOME)
        stats["status_holders_in_startup_homes_households"] = int(in_startup.sum()) * k
        stats["urgent_with_active_urgency_households"] = (
            int(np.sum(table["urgency_active"][waiting])) * k
        )
        for t, name in enumerate(DWELLING_TYPES):
            stats[f"stock_{name}_dwellings"] = int(self.stock.total[:, t].sum()) * k
        stats["vacant_unlet_dwellings"] = len(self.stock.ledger) * k
        return stats

    def _collect_regions(self) -> None:
        """Per region and group: lettings, queue and registration time at letting."""
        table, k = self.households, self.scale
        waiting = table.waiting()
        n_groups = len(GROUPS)
        cells = self.n_regions * n_groups
        cell = table["region"][waiting].astype(np.int64) * n_groups + table["group"][waiting]
        queue = np.bincount(cell, minlength=cells)
        l_region, l_group, years = self._month_lettings
        l_cell = l_region.astype(np.int64) * n_groups + l_group
        let = np.bincount(l_cell, minlength=cells)
        order = np.lexsort((years, l_cell))
        bounds = np.searchsorted(l_cell[order], np.arange(cells + 1))
        names = self.params.regions.names
        for r, region in enumerate(names):
            for g, name in enumerate(GROUPS):
                c = r * n_groups + g
                mine = years[order[bounds[c] : bounds[c + 1]]]
                self._region_rows.append(
                    {
                        "date": self.date.isoformat(),
                        "region": region,
                        "group": name,
                        "lettings_households": int(let[c]) * k,
                        "waiting_households": int(queue[c]) * k,
                        "registration_years_at_letting_median": (
                            float(np.median(mine)) if len(mine) else float("nan")
                        ),
                    }
                )

    # --------------------------------------------------------------- results

    def agent(self, household_id: int) -> Household:
        """The agent of a household still in the market."""
        return self._agent_of[int(household_id)]

    def results(self) -> Results:
        """All results so far as tidy DataFrames (see ``model.results``)."""
        monthly = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        monthly["date"] = pd.to_datetime(monthly["date"])
        by_region = pd.DataFrame(self._region_rows)
        if len(by_region):
            by_region["date"] = pd.to_datetime(by_region["date"])
        households = self.outcomes.frame(self.households)
        rows = []
        for rec in self.quota.realisation:
            for r, region in enumerate(self.params.regions.names):
                rows.append(
                    {
                        "half_year": rec["half_year"],
                        "region": region,
                        "target_persons": rec["target"][r] * self.scale,
                        "housed_persons": rec["housed"][r] * self.scale,
                        "backlog_after_persons": rec["backlog_after"][r] * self.scale,
                        "lead_after_persons": rec["lead_after"][r] * self.scale,
                    }
                )
        return Results(
            monthly=monthly,
            monthly_by_region=by_region,
            lettings=self.lettings_log.frame(
                self.params.regions.names, pd.Timestamp(self.start_date), self.scale
            ),
            half_years=pd.DataFrame(rows),
            households=households,
            integration=cohort_indicators(
                households,
                self.params,
                self.start_date,
                max(self.current_month + 1, 0),
                self.day_end,
                self.scale,
            ),
            scale=self.scale,
            end_day=self.day_end,
        )


def month_figure(model: HousingMarket, name: str) -> Any:
    """One of the month's figures (a DataCollector reporter, used through ``functools.partial``
    of this module-level function rather than a lambda, so that the model pickles)."""
    return model.month_stats[name]


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


def _first_of_month(value: Any, name: str) -> dt.date:
    """A date that is the first of a month, from a date or ISO text."""
    date = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        date = value
    elif isinstance(value, str):
        try:
            date = dt.date.fromisoformat(value)
        except ValueError:
            date = None
    if date is None or date.day != 1:
        raise ParameterError(
            f"parameter '{name}' = {value!r}; allowed: a date written YYYY-MM-01 "
            "(the model steps by calendar month)"
        )
    return date
