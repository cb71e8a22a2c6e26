"""The columns of the output tables, specified once: name, unit, kind and meaning.

Every other place reads this list: the month's figures are put in its order
and checked against it (``accounts.figures``), the yearly table sums the flows
it names, the outcome registry and the app read the names from it, and the
output-file reference (``docs/output-files.md``) is generated from it.

A column is one of four kinds:

* ``flow``: counted over the month that ends on ``date`` (summed over a year);
* ``stock``: at the month's end, ``date`` (a year's is its last month's);
* ``statistic``: a median, a percentile, a share or a ratio of the month (not
  summed);
* ``label``: the date and the period.

Names end in their unit (``_households``, ``_persons``, ``_dwellings``,
``_eur``, ``_years``, ``_weeks``, ``_share``, ``_ratio``, ``_per_year``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from model.asylum.reception import TIERS
from model.base.codes import DWELLING_TYPES, EXIT_REASONS, GROUPS, ORIGINS, ROUTES

KEYS = {
    "group": GROUPS,
    "type": DWELLING_TYPES,
    "route": ROUTES,
    "origin": ORIGINS,
    "reason": EXIT_REASONS,
    "tier": TIERS,
    "flow": ("lettings", "relettings"),
    "months": ("18", "24", "36", "60"),
    "measure": ("work_share", "benefit_share"),
}
KEY_MEANINGS = {
    "group": "a household group",
    "type": "a dwelling type (`room`: student and campus rooms; `shared`: places in shared homes)",
    "route": "an allocation route (`status_holder_priority`: status holders placed with "
    "priority without the quota)",
    "origin": "where a vacancy came from",
    "reason": "why a household left without a social home (`other`: a status holder's own "
    "home, or departure)",
    "tier": "a reception place tier (`regular`: azc; `emergency_locations`: COA noodopvang, "
    "municipal tgo and crisis places)",
    "flow": "all lettings, or re-lettings of places let before",
    "months": "months after the permit",
    "measure": "in paid work, or on benefits",
}
KINDS = ("label", "flow", "stock", "statistic")


@dataclass(frozen=True)
class Columns:
    """One column, or a family of columns that differ by a key (``{group}``, ``{type}``).

    Attributes:
        pattern: The name, with ``{key}`` for each key (keys in ``KEYS``).
        unit: What a value counts or measures.
        kind: ``flow``, ``stock``, ``statistic`` or ``label``.
        description: What it means (plain English, for the reference).
        keys: The keys, outermost first (the order the columns come in).
    """

    pattern: str
    unit: str
    kind: str
    description: str
    keys: tuple[str, ...] = ()

    def names(self) -> Iterator[str]:
        """The columns' names, in output order."""
        for values in itertools.product(*(KEYS[k] for k in self.keys)):
            yield self.pattern.format(**dict(zip(self.keys, values, strict=True)))


def _c(pattern: str, unit: str, kind: str, description: str, *keys: str) -> Columns:
    return Columns(pattern, unit, kind, description, keys)


H, P, D = "households", "persons", "dwellings"

MONTHLY: tuple[Columns, ...] = (
    _c("date", "date", "label", "the first day after the month (the snapshot date); the first "
       "row is the start"),
    _c("period", "month", "label", "the month the flows belong to (YYYY-MM; empty for the "
       "start row)"),
    _c("lettings_{group}_households", H, "flow", "homes let to the group in the month (every "
       "type; a start-up home counts)", "group"),
    _c("lettings_total_households", H, "flow", "all lettings"),
    _c("lettings_self_contained_households", H, "flow", "lettings of self-contained homes "
       "(small, medium, large, flex): the CBS figure"),
    _c("lettings_self_contained_{group}_households", H, "flow", "the same, to the group",
       "group"),
    _c("lettings_{type}_households", H, "flow", "lettings by dwelling type", "type"),
    _c("relettings_{type}_households", H, "flow", "of them, lettings of places let before "
       "(turnover and chains), not of places added", "type"),
    _c("housed_for_good_{group}_households", H, "flow", "households housed for good: every "
       "letting of a home without an end date (not a flex, start-up or shared home)", "group"),
    _c("lettings_temporary_{group}_households", H, "flow", "lettings of temporary homes (flex, "
       "start-up, shared: a contract with an end date; the tenant searches on)", "group"),
    _c("lettings_route_{route}_households", H, "flow", "lettings by allocation route", "route"),
    _c("lettings_doorstromer_households", H, "flow", "lettings to households that leave a "
       "corporation home behind"),
    _c("registration_years_at_letting_median_{group}", "years", "statistic", "registration "
       "time of the group's households housed in the month, median (status holders: since "
       "the permit)", "group"),
    _c("registration_years_at_letting_p90_{group}", "years", "statistic", "the same, 90th "
       "percentile", "group"),
    _c("entered_{group}_households", H, "flow", "households entering the market", "group"),
    _c("exits_{reason}_households", H, "flow", "households leaving without a social home",
       "reason"),
    _c("refusals_households", H, "flow", "offers refused"),
    _c("urgent_lapsed_unserved_households", H, "flow", "urgency declarations that ran out "
       "before a direct placement"),
    _c("status_holders_housed_persons", P, "flow", "status holders leaving reception for a "
       "home (a start-up home included)"),
    _c("vacancies_{origin}_dwellings", D, "flow", "new vacancies by origin", "origin"),
    _c("flex_additions_reserved_dwellings", D, "flow", "new flex homes reserved for status "
       "holders (SFT)"),
    _c("places_added_{type}_dwellings", D, "flow", "places added: new construction, flex and "
       "start-up additions, places in shared homes converted, reception places turned into "
       "homes", "type"),
    _c("shared_homes_converted_dwellings", D, "flow", "corporation homes turned into shared "
       "homes (each gives policy.shared_households_per_dwelling places)"),
    _c("demolished_dwellings", D, "flow", "occupied homes demolished"),
    _c("sold_dwellings", D, "flow", "homes sold (to the sitting tenant or at a vacancy)"),
    _c("liberalised_dwellings", D, "flow", "homes let above the social rent limit at a "
       "vacancy (leaving the social stock)"),
    _c("turnover_tightness_factor_ratio", "ratio", "statistic", "the factor on tenants' "
       "moving out of the permanent stock from the queue's growth since the start (national "
       "mean; 1 at the start)"),
    _c("temporary_contracts_ended_households", H, "flow", "households whose contract in a "
       "temporary home (flex, start-up, shared) ended: they search on from elsewhere"),
    _c("reception_places_converted_persons", P, "flow", "reception places turned into homes"),
    _c("asylum_applications_persons", P, "flow", "first asylum applications"),
    _c("asylum_repeat_applications_persons", P, "flow", "repeat asylum applications"),
    _c("asylum_decisions_persons", P, "flow", "first decisions by the IND (in the history: as "
       "many as keep the published stock awaiting a decision on its line)"),
    _c("asylum_permits_persons", P, "flow", "permits granted that need housing (expected "
       "persons; status_holders_entered_reception_persons are the whole households made of "
       "them)"),
    _c("asylum_pending_persons", P, "stock", "asylum seekers awaiting a first decision (in "
       "reception)"),
    _c("asylum_rejected_in_reception_persons", P, "stock", "rejected applicants not yet gone "
       "(in reception)"),
    _c("asylum_rejected_left_reception_persons", P, "flow", "rejected applicants leaving "
       "reception (departure, or moving on)"),
    _c("reception_occupancy_total_persons", P, "stock", "everyone in reception: pending, "
       "rejected and status holders"),
    _c("reception_occupancy_{tier}_persons", P, "stock", "occupancy by tier", "tier"),
    _c("reception_places_total_persons", P, "stock", "reception places, all tiers "
       "(contracted; regular places are filled to at most the occupancy norm)"),
    _c("reception_places_{tier}_persons", P, "stock", "places by tier", "tier"),
    _c("reception_conversion_allowed_share", "share", "statistic", "1 when occupancy allowed "
       "converting reception places into homes that month (nobody on emergency places, room "
       "at the norm), else 0"),
    _c("reception_places_opened_persons", P, "flow", "places opened (regular from the "
       "Spreidingswet plans or sought beyond them, emergency places)"),
    _c("reception_places_closed_persons", P, "flow", "places closed (cancelled regular places "
       "whose notice ran out, emergency places no longer needed)"),
    _c("reception_places_under_notice_persons", P, "stock", "regular places cancelled whose "
       "notice is still running (still paid)"),
    _c("reception_cost_{tier}_eur", "euro", "flow", "the month's reception cost by tier "
       "(2025 prices): places times the tier's price a place-year", "tier"),
    _c("reception_cost_total_eur", "euro", "flow", "the month's reception cost, all tiers"),
    _c("reunification_arrivals_in_market_persons", P, "flow", "family members arriving from "
       "abroad at households still waiting (in reception or a start-up home)"),
    _c("reunification_arrivals_in_reception_persons", P, "flow", "of them, those joining a "
       "household in reception"),
    _c("reunification_arrivals_at_home_persons", P, "flow", "family members arriving at "
       "housed households"),
    _c("reunification_reentries_households", H, "flow", "housed status holders whose home "
       "became too small when the family arrived, searching again as status holders in "
       "reception"),
    _c("reunification_reentries_in_reception_persons", P, "flow", "their family members, who "
       "wait in reception until the household is rehoused together (the sponsor keeps the "
       "home)"),
    _c("reunification_arrivals_passing_reception_persons", P, "flow", "of the family members "
       "arriving at housed households whose home fits, those received in reception first "
       "(the history to September 2025: the nareis procedure, then the move)"),
    _c("reunification_passed_through_reception_persons", P, "flow", "family members leaving "
       "reception to join their housed sponsor (they counted for the quota when they "
       "arrived)"),
    _c("status_holders_entered_reception_persons", P, "flow", "status holders entering "
       "reception with a permit (whole households): in reception at the end = at the start "
       "+ this + reunification_arrivals_in_reception_persons + "
       "reunification_reentries_in_reception_persons + "
       "reunification_arrivals_passing_reception_persons - status_holders_housed_persons "
       "- status_holders_left_reception_self_found_persons - "
       "reunification_passed_through_reception_persons"),
    _c("status_holders_left_reception_self_found_persons", P, "flow", "status holders leaving "
       "reception without a social home: a home found themselves, or departure"),
    _c("integration_start_assigned_persons", P, "flow", "status holders leaving reception with "
       "a municipality assigned before housing responsible for civic integration (the quota "
       "link, or the alternative coupling)"),
    _c("integration_start_brp_persons", P, "flow", "the same without one: the municipality of "
       "the BRP registration after housing is responsible"),
    _c("permit_to_housing_weeks_median", "weeks", "statistic", "weeks from permit to leaving "
       "reception for a home, of those who did in the month, median"),
    _c("permit_to_housing_weeks_p90", "weeks", "statistic", "the same, 90th percentile"),
    _c("housed_within_14_weeks_share", "share", "statistic", "of them, the share within the "
       "14-week norm"),
    _c("flex_end_of_life_dwellings", D, "flow", "flex homes reaching the end of their life"),
    _c("waiting_{group}_households", H, "stock", "households of the group in the market (the "
       "queue), not counting those who search on from a temporary home "
       "(in_temporary_homes_*)", "group"),
    _c("status_holders_in_reception_households", H, "stock", "status holders waiting in "
       "reception (COA)"),
    _c("status_holders_in_reception_persons", P, "stock", "the same, in persons, with the "
       "family members passing through reception on their way to a housed sponsor"),
    _c("reception_backlog_persons", P, "stock", "of them, those past the 14-week norm since "
       "the permit"),
    _c("quota_backlog_persons", P, "stock", "persons behind the quota target, pro rata "
       "within the half year (each region net of its municipalities' leads)"),
    _c("quota_behind_municipalities", "municipalities", "stock", "municipalities at least one "
       "person behind their quota, pro rata within the half year (at a half year's end: "
       "behind on it)"),
    _c("quota_behind_share", "share", "stock", "the same, as a share of the "
       "342 municipalities"),
    _c("integration_no_responsible_municipality_persons", P, "stock", "status holders in "
       "reception without a responsible municipality (after the quota is gone)"),
    _c("family_abroad_persons", P, "stock", "family members still abroad waiting to join"),
    _c("family_in_reception_persons", P, "stock", "family members (nareizigers) in reception: "
       "those who joined a status holder and wait with the household, and those passing "
       "through on their way to a housed sponsor"),
    _c("family_in_reception_sponsor_housed_persons", P, "stock", "of them, those whose "
       "sponsor has a home: too small for the family (the sponsor lives there), or passing "
       "through on their way to it"),
    _c("in_temporary_homes_{group}_households", H, "stock", "households living in a "
       "temporary home (flex, start-up, shared), still searching", "group"),
    _c("urgent_with_active_urgency_households", H, "stock", "urgent households whose "
       "declaration is in force"),
    _c("stock_{type}_dwellings", D, "stock", "corporation homes by type (places, for rooms "
       "and shared homes)", "type"),
    _c("vacant_unlet_dwellings", D, "stock", "vacancies carried over to the next month"),
    _c("{flow}_per_place_{type}_per_year", "per year", "statistic", "the month's lettings (all, "
       "or re-lettings) times 12 over the stock at the month's end", "type", "flow"),
)  # fmt: skip


BY_REGION: tuple[Columns, ...] = (
    _c("date", "date", "label", "the snapshot date, as in monthly.csv"),
    _c("region", "name", "label", "the region (province, or COROP area)"),
    _c("group", "name", "label", "the household group of the row"),
    _c("lettings_households", H, "flow", "homes let to the group in the region in the month"),
    _c("waiting_households", H, "stock", "the group's households waiting in the region"),
    _c("registration_years_at_letting_median", "years", "statistic", "median registration "
       "time of the group's households housed in the region in the month"),
    _c("stock_dwellings", D, "stock", "self-contained corporation dwellings in the region (the "
       "same in each group's row)"),
    _c("status_holders_in_reception_persons", P, "stock", "status holders waiting in a "
       "reception centre in the region, with family members passing through on their way to "
       "a housed sponsor there (the same in each group's row)"),
    _c("reception_places_persons", P, "stock", "reception places of all tiers in the region: "
       "the Spreidingswet key, or after its withdrawal moving to the pre-law distribution"),
    _c("quota_backlog_persons", P, "stock", "persons the region's municipalities are behind "
       "the quota, pro rata, net of leads (the same in each group's row)"),
    _c("quota_behind_municipalities", "municipalities", "stock", "the region's municipalities "
       "at least one person behind the quota, pro rata (the same in each group's row)"),
    _c("quota_all_municipalities", "municipalities", "stock", "the region's municipalities (the "
       "same in each group's row)"),
)  # fmt: skip

LETTINGS: tuple[Columns, ...] = (
    _c("month", "date", "label", "the first day of the month let"),
    _c("region", "name", "label", "the region of the home"),
    _c("dwelling_type", "name", "label", "the home's dwelling type"),
    _c("dwelling_id", "id", "label", "the home's id (unique in the run: no home is let twice "
       "at once)"),
    _c("vacancy_origin", "name", "label", "where the vacancy came from"),
    _c("group", "name", "label", "the household's group"),
    _c("household_id", "id", "label", "the household's id"),
    _c("household_size_persons", P, "statistic", "persons in the household"),
    _c("family_abroad_persons", P, "statistic", "family members still abroad, for whom a "
       "status holder's home was chosen too (status_holders.sponsors_wait_for_family)"),
    _c("route", "name", "label", "the allocation route that let the home"),
    _c("registration_time_years", "years", "statistic", "registration time at letting "
       "(status holders: since the permit)"),
    _c("time_since_entry_years", "years", "statistic", "time since the search started, the "
       "urgency was granted or the permit"),
    _c("leaves_social_home", "true/false", "label", "the household leaves a corporation home "
       "behind (a vacancy chain)"),
    _c("situation_before", "name", "label", "where the household lived"),
    _c("residence_permit", "true/false", "label", "a foreign national with a residence permit"),
    _c("passed_over_household_id", "id", "label", "who pure registration order would have "
       "housed (-1: nobody was passed over); only with the per-letting attribution"),
    _c("passed_over_group", "name", "label", "that household's group (empty: nobody)"),
    _c("responsible_region", "name", "label", "for a status holder: the region responsible "
       "for civic integration (the quota link, the alternative coupling, or the BRP "
       "registration where housed); empty for others"),
    _c("households", H, "flow", "real households the row stands for (households per agent)"),
)  # fmt: skip

HALF_YEARS: tuple[Columns, ...] = (
    _c("half_year", "YYYY-H1/H2", "label", "the completed half year"),
    _c("region", "name", "label", "the region"),
    _c("target_persons", P, "flow", "the half year's quota target"),
    _c("housed_persons", P, "flow", "status holders housed for the quota in the half year"),
    _c("backlog_after_persons", P, "stock", "persons behind everything due at its end"),
    _c("lead_after_persons", P, "stock", "persons housed beyond everything due at its end"),
)  # fmt: skip

BY_MUNICIPALITY: tuple[Columns, ...] = (
    _c("half_year", "YYYY-H1/H2", "label", "the completed half year"),
    _c("municipality_code", "id", "label", "the municipality's CBS code (GMxxxx)"),
    _c("municipality", "name", "label", "the municipality"),
    _c("province", "name", "label", "its province"),
    _c("region", "name", "label", "the housing-market region it lies in (province or COROP "
       "area)"),
    _c("target_persons", P, "flow", "its share of the half year's national quota target (by "
       "population)"),
    _c("housed_persons", P, "flow", "status holders housed for its quota in the half year (its "
       "share of its region's, by the placements it offered)"),
    _c("backlog_after_persons", P, "stock", "persons behind everything due at the half year's "
       "end"),
    _c("lead_after_persons", P, "stock", "persons housed beyond everything due at its end"),
    _c("behind", "true/false", "label", "at least one person behind at the half year's end"),
    _c("effort_share", "share", "statistic", "the share of its possible placements it gave "
       "status holders in the half year (its willingness after the province's warnings and "
       "instructions)"),
)  # fmt: skip

INTEGRATION: tuple[Columns, ...] = (
    _c("date", "date", "label", "the snapshot date"),
    _c("cohort_{months}_months_persons", P, "stock", "status holders whose permit was that "
       "many months before the date", "months"),
    _c("{measure}_{months}_months_share", "share", "statistic", "the share of that cohort in "
       "paid work (18 and 36 months) or on benefits (24 and 60 months); empty until such a "
       "cohort exists in the run", "measure", "months"),
)  # fmt: skip

# The tables of a run, by the name of their file (``python -m experiments run``).
TABLES: dict[str, tuple[Columns, ...]] = {
    "monthly.csv": MONTHLY,
    "monthly_by_region.csv": BY_REGION,
    "lettings.csv": LETTINGS,
    "quota_half_years.csv": HALF_YEARS,
    "quota_by_municipality.csv": BY_MUNICIPALITY,
    "integration.csv": INTEGRATION,
}


@cache
def names(columns: tuple[Columns, ...] = MONTHLY) -> tuple[str, ...]:
    """Every column's name, in output order."""
    return tuple(n for c in columns for n in c.names())


@cache
def by_name(columns: tuple[Columns, ...] = MONTHLY) -> dict[str, Columns]:
    """Each column's specification, by name (do not change the dict: it is shared)."""
    return {n: c for c in columns for n in c.names()}


def of_kind(kind: str, columns: tuple[Columns, ...] = MONTHLY) -> list[str]:
    """The names of the columns of one kind, in output order."""
    return [n for c in columns if c.kind == kind for n in c.names()]


def ordered(values: dict, columns: tuple[Columns, ...] = MONTHLY) -> dict:
    """``values`` in the specification's order.

    Raises:
        KeyError: A specified column has no value, or a value has no specification.
    """
    spec = names(columns)
    if len(values) != len(spec) or not values.keys() >= set(spec):
        missing, extra = set(spec) - set(values), set(values) - set(spec)
        raise KeyError(f"monthly figures missing {sorted(missing)}, unspecified {sorted(extra)}")
    return {n: values[n] for n in spec}
