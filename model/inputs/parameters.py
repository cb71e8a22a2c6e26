"""Model parameters: defaults with their sources, overrides, and validation.

Every default number lives in ``model/inputs/data/defaults.toml`` with its unit,
allowed range, source and year. This module reads that file once, applies a
caller's overrides, and checks every value: an out-of-range, wrong-type or
inconsistent value raises :class:`ParameterError`, whose message names the
parameter, the value and what is allowed.

Parameters are addressed by dotted names, ``section.name`` (for example
``regular.exit_buy_per_year``).
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from model.base.errors import ParameterError

DEFAULTS_FILE = "data/defaults.toml"
COROP_FILE = "data/corop.toml"

# The coarsest scale (households per agent) at which the headline figures agree
# with 1:10 within 3% (means over 8 seeds; ``python -m experiments scale-check``
# and tests/test_scale.py). Coarser runs need ``scale.allow_unvalidated``.
COARSEST_VALIDATED_SCALE = 20


@dataclass(frozen=True)
class ParameterSpec:
    """One documented parameter as read from the defaults file.

    Attributes:
        name: Dotted name, ``section.name``.
        value: The default value.
        unit: What the number counts.
        source: Where the default comes from (or why it is assumed).
        year: The year the figure refers to (0 when undated).
        minimum: Inclusive lower bound, or None.
        maximum: Inclusive upper bound, or None.
        choices: The allowed values (for strings and lists of strings), or None.
        calibrated: True when tuned to reproduce a published figure.
        lever: True when a policy timeline may change it on a date.
        low: Lower end of the plausible range of an uncertain parameter (for
            sweeps and sensitivity analysis), or None when it has none.
        high: Upper end of the plausible range, or None.
        range_source: Where the plausible range comes from, or why it is assumed.
        needs: When the parameter has an effect at all: alternatives, each a
            mapping of other settings to a condition (a value, or "> 0") that
            must hold at some date of the run. Empty: always in effect. A
            setting given while none of its alternatives holds is refused
            (``model.inputs.policy.inert_settings``), so that nothing is silently ignored.
    """

    name: str
    value: Any
    unit: str
    source: str
    year: int = 0
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple | None = None
    calibrated: bool = False
    lever: bool = False
    needs: tuple[Mapping[str, Any], ...] = ()
    low: float | None = None
    high: float | None = None
    range_source: str = ""

    def allowed(self) -> str:
        """Say in words what values are allowed."""
        if isinstance(self.value, bool):
            return "true or false"
        if self.choices is not None:
            kind = "a list drawn from" if isinstance(self.value, list) else "one of"
            return f"{kind} {list(self.choices)}"
        if isinstance(self.value, str) and self.unit == "date":
            return "a date written YYYY-MM-DD"
        if isinstance(self.value, list):
            bounds = ""
            if self.minimum is not None or self.maximum is not None:
                lo = "-inf" if self.minimum is None else _fmt(self.minimum)
                hi = "inf" if self.maximum is None else _fmt(self.maximum)
                bounds = f", each from {lo} to {hi}"
            return f"a list of {len(self.value)} numbers{bounds} ({self.unit})"
        kind = "a whole number" if isinstance(self.value, int) else "a number"
        lo = "-inf" if self.minimum is None else _fmt(self.minimum)
        hi = "inf" if self.maximum is None else _fmt(self.maximum)
        return f"{kind} from {lo} to {hi} ({self.unit})"


def _fmt(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


@dataclass(frozen=True)
class Regions:
    """The region set: one entry per region, in a fixed order.

    Attributes:
        names: Region names.
        population: Residents per region (persons).
        corporation_stock: Dwellings owned by housing corporations per region (CBS);
            the model's stock is spread over the regions in these shares.
        registration_years_at_letting: Published (or interpolated) registration
            time of the household that gets a home, in years.
        turnover_factor: Re-letting rate relative to the national rate.
        reception_places: Reception places per region under the Spreidingswet key
            (persons); where status holders wait, and where they search once the
            quota is gone.
        reception_places_pre_law: COA's distribution of places before the law
            (persons), where places go back to if the law is withdrawn.
        source: Where the figures come from.
        year: The year the figures refer to.
    """

    names: tuple[str, ...]
    population: np.ndarray
    corporation_stock: np.ndarray
    registration_years_at_letting: np.ndarray
    turnover_factor: np.ndarray
    reception_places: np.ndarray
    reception_places_pre_law: np.ndarray
    source: str = ""
    year: int = 0
    level: str = "province"
    province: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.names)

    @property
    def population_share(self) -> np.ndarray:
        """Each region's share of the national population."""
        return self.population / self.population.sum()

    @property
    def stock_share(self) -> np.ndarray:
        """Each region's share of the corporation stock."""
        return self.corporation_stock / self.corporation_stock.sum()

    @property
    def reception_share(self) -> np.ndarray:
        """Each region's share of the national reception places."""
        return self.reception_places / self.reception_places.sum()

    @property
    def reception_pre_law_share(self) -> np.ndarray:
        """Each region's share of the reception places before the Spreidingswet."""
        return self.reception_places_pre_law / self.reception_places_pre_law.sum()


@cache
def _read_defaults() -> dict[str, Any]:
    text = resources.files("model.inputs").joinpath(DEFAULTS_FILE).read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def parameter_specs() -> dict[str, ParameterSpec]:
    """All documented parameters by dotted name, in file order."""
    specs: dict[str, ParameterSpec] = {}
    for section, entries in _read_defaults().items():
        if section == "regions":
            continue
        for name, entry in entries.items():
            choices = entry.get("choices")
            needs = entry.get("needs", ())
            if isinstance(needs, dict):
                needs = (needs,)
            specs[f"{section}.{name}"] = ParameterSpec(
                name=f"{section}.{name}",
                value=entry["value"],
                unit=entry["unit"],
                source=entry["source"],
                year=int(entry.get("year", 0)),
                minimum=entry.get("min"),
                maximum=entry.get("max"),
                choices=tuple(choices) if choices is not None else None,
                calibrated=bool(entry.get("calibrated", False)),
                lever=bool(entry.get("lever", False)),
                needs=tuple(needs),
                low=entry.get("low"),
                high=entry.get("high"),
                range_source=entry.get("range_source", ""),
            )
            _check_plausible_range(specs[f"{section}.{name}"])
    return specs


def _check_plausible_range(spec: ParameterSpec) -> None:
    """A plausible range is complete, sourced, ordered and within the allowed range."""
    given = [spec.low is not None, spec.high is not None, bool(spec.range_source)]
    if not any(given):
        return
    if not all(given):
        raise ParameterError(
            f"{DEFAULTS_FILE}: parameter '{spec.name}' has part of a plausible range; "
            "allowed: low, high and range_source together"
        )
    if isinstance(spec.value, bool) or not isinstance(spec.value, int | float):
        raise ParameterError(
            f"{DEFAULTS_FILE}: parameter '{spec.name}' has a plausible range but is not a "
            "number; allowed: low and high on numeric parameters only"
        )
    lo = -math.inf if spec.minimum is None else spec.minimum
    hi = math.inf if spec.maximum is None else spec.maximum
    if not lo <= spec.low < spec.high <= hi:
        raise ParameterError(
            f"{DEFAULTS_FILE}: parameter '{spec.name}' has plausible range {spec.low} to "
            f"{spec.high}; allowed: low < high, both within {spec.allowed()}"
        )


def default_regions(level: str = "province") -> Regions:
    """The region set: the 12 provinces, or (``level = "corop"``) the 40 COROP areas."""
    raw = _read_defaults()["regions"]
    provinces = Regions(
        names=tuple(raw["names"]),
        population=np.asarray(raw["population"], dtype=float),
        corporation_stock=np.asarray(raw["corporation_stock"], dtype=float),
        registration_years_at_letting=np.asarray(raw["registration_years_at_letting"], float),
        turnover_factor=np.asarray(raw["turnover_factor"], dtype=float),
        reception_places=np.asarray(raw["reception_places"], dtype=float),
        reception_places_pre_law=np.asarray(raw["reception_places_pre_law"], dtype=float),
        source=raw["source"],
        year=int(raw["year"]),
        province=tuple(raw["names"]),
    )
    if level == "province":
        return provinces
    if level == "corop":
        return corop_regions(provinces)
    raise ParameterError(f"region level {level!r}; allowed: 'province' or 'corop'")


def corop_regions(provinces: Regions) -> Regions:
    """The 40 COROP areas (model/inputs/data/corop.toml), each input from its province by the file's
    rule: the province's corporation stock where CBS gives none split equally, population and
    reception places in proportion to the stock within the province, the rest as the province."""
    text = resources.files("model.inputs").joinpath(COROP_FILE).read_text(encoding="utf-8")
    areas = tomllib.loads(text)["area"]
    index = {name: k for k, name in enumerate(provinces.names)}
    prov = np.array([index[a["province"]] for a in areas])
    stock = np.array([float(a.get("corporation_stock", np.nan)) for a in areas])
    for p in range(len(provinces)):
        mine = prov == p
        unknown = mine & np.isnan(stock)
        if unknown.any():
            rest = provinces.corporation_stock[p] - np.nansum(stock[mine])
            stock[unknown] = max(rest, 0.0) / unknown.sum()
    within = stock / np.bincount(prov, weights=stock)[prov]
    return Regions(
        names=tuple(a["name"] for a in areas),
        population=provinces.population[prov] * within,
        corporation_stock=stock,
        registration_years_at_letting=provinces.registration_years_at_letting[prov],
        turnover_factor=provinces.turnover_factor[prov],
        reception_places=provinces.reception_places[prov] * within,
        reception_places_pre_law=provinces.reception_places_pre_law[prov] * within,
        source=f"{COROP_FILE}; the rest from the provinces: {provinces.source}",
        year=provinces.year,
        level="corop",
        province=tuple(provinces.names[p] for p in prov),
    )


def check_value(spec: ParameterSpec, value: Any, where: str = "") -> Any:
    """Check one value against its spec and return it normalised.

    Args:
        spec: The parameter's documented spec.
        value: The value to check.
        where: Optional context for the message (a file name, say).

    Returns:
        The value, with ints widened to float where the default is a float and
        dates parsed to ``datetime.date``.

    Raises:
        ParameterError: The value is of the wrong type or outside what is allowed.
    """
    prefix = f"{where}: " if where else ""

    def fail(why: str) -> ParameterError:
        return ParameterError(
            f"{prefix}parameter '{spec.name}' = {value!r} {why}; allowed: {spec.allowed()}"
        )

    default, plain = spec.value, _plain(value)
    if spec.unit == "date":
        return _check_date(plain, fail)
    if isinstance(default, bool) or isinstance(plain, bool):
        if not isinstance(plain, bool) or not isinstance(default, bool):
            raise fail("is not true or false" if isinstance(default, bool) else "is true or false")
        return plain
    if isinstance(default, list):
        return _check_list(spec, plain, fail)
    if isinstance(default, str):
        if not isinstance(plain, str):
            raise fail("is not text")
        if spec.choices is not None and plain not in spec.choices:
            raise fail("is not a known value")
        return plain
    number = _check_number(isinstance(default, int), plain, fail)
    if spec.minimum is not None and number < spec.minimum:
        raise fail("is below the minimum")
    if spec.maximum is not None and number > spec.maximum:
        raise fail("is above the maximum")
    return number


def _check_date(value: Any, fail) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise fail("is not a date")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail("is not a valid date") from None


def _check_list(spec: ParameterSpec, value: Any, fail) -> list:
    if not isinstance(value, list | tuple):
        raise fail("is not a list")
    value = [_plain(v) for v in value]
    if spec.choices is not None:
        bad = [v for v in value if v not in spec.choices]
        if bad or len(set(value)) != len(value):
            raise fail("has unknown or repeated entries")
        return value
    if len(value) != len(spec.value):
        raise fail(f"has {len(value)} entries, not {len(spec.value)}")
    lo = 0 if spec.minimum is None else spec.minimum
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise fail("has an entry that is not a finite number")
        if v < lo:
            raise fail("has an entry below the minimum" if lo else "has a negative entry")
        if spec.maximum is not None and v > spec.maximum:
            raise fail("has an entry above the maximum")
    return value


def _check_number(whole: bool, value: Any, fail) -> int | float:
    if whole:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise fail("is not a whole number")
        return value
    if not isinstance(value, int | float):
        raise fail("is not a number")
    value = float(value)
    if not math.isfinite(value):
        raise fail("is not finite")
    return value


def _plain(value: Any) -> Any:
    """numpy scalars and 0-d arrays as plain Python values; arrays as lists."""
    if isinstance(value, np.ndarray):
        return value.item() if value.ndim == 0 else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


@dataclass(frozen=True)
class Parameters:
    """A complete, validated set of model parameters.

    Use :meth:`from_overrides` to build one; read values with ``params[name]``
    (dotted name) or through the section helpers.

    Attributes:
        values: Every parameter's value by dotted name.
        regions: The region set.
        overridden: The names whose value differs from the default.
    """

    values: Mapping[str, Any]
    regions: Regions
    overridden: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_overrides(
        cls, overrides: Mapping[str, Any] | None = None, where: str = ""
    ) -> Parameters:
        """Defaults with ``overrides`` applied, every value checked.

        Args:
            overrides: Values by dotted name (``section.name``).
            where: Context for error messages (a file name, say).

        Raises:
            ParameterError: An unknown name, a bad value, or an inconsistent set.
        """
        specs = parameter_specs()
        values = {name: check_value(spec, spec.value) for name, spec in specs.items()}
        overrides = dict(overrides or {})
        for name, value in overrides.items():
            if name not in specs:
                raise ParameterError(
                    f"{where + ': ' if where else ''}unknown parameter '{name}'; "
                    f"allowed: {', '.join(sorted(specs))}"
                )
            values[name] = check_value(specs[name], value, where)
        regions = default_regions(values["geography.level"])
        params = cls(values=values, regions=regions, overridden=frozenset(overrides))
        params._check_consistency(where)
        return params

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def _check_consistency(self, where: str) -> None:
        # Long on purpose: a flat list of independent checks across parameters, each with its own
        # message; split, they would only be harder to scan.
        prefix = f"{where}: " if where else ""
        for name in (
            "regular.size_shares",
            "regular.situation_shares",
            "urgent.size_shares",
            "urgent.ground_shares",
            "status_holders.size_shares",
            "reception.emergency_opening_shares",
        ):
            total = sum(self[name])
            if not math.isclose(total, 1.0, abs_tol=1e-6):
                raise ParameterError(
                    f"{prefix}parameter '{name}' = {self[name]!r} sums to {total:.6g}; "
                    "allowed: shares that sum to 1"
                )
        small, large = self["stock.share_small"], self["stock.share_large"]
        if small + large > 1.0:
            raise ParameterError(
                f"{prefix}parameters 'stock.share_small' = {small} and 'stock.share_large' = "
                f"{large} add up to more than 1; allowed: a sum of at most 1 (the rest is medium)"
            )
        exits = sum(
            self[f"regular.exit_{k}_per_year"] for k in ("private_rent", "buy", "move_away")
        )
        if exits >= 1.0:
            raise ParameterError(
                f"{prefix}the exit rates 'regular.exit_*_per_year' add up to {exits:g}; "
                "allowed: a total below 1 per year"
            )
        order = self["allocation.route_order"]
        routes = parameter_specs()["allocation.route_order"].choices
        if sorted(order) != sorted(routes) or order[-1] != "advertised":
            raise ParameterError(
                f"{prefix}parameter 'allocation.route_order' = {order!r}; allowed: every route "
                f"of {list(routes)} once, with 'advertised' last (it lets every remaining "
                "vacancy); switch a route off with its own lever"
            )
        phases = [
            self[f"phases.{k}_start"] for k in ("preparation", "implementation", "normalisation")
        ]
        if phases != sorted(phases):
            raise ParameterError(
                f"{prefix}the phase dates 'phases.*_start' = {[d.isoformat() for d in phases]} "
                "are not in order; allowed: preparation <= implementation <= normalisation"
            )
        if self.start_date.day != 1:
            raise ParameterError(
                f"{prefix}parameter 'calendar.start_date' = '{self.start_date}' is not the first "
                "day of a month; allowed: a date YYYY-MM-01 (the model steps by calendar month)"
            )
        lo, hi = self["dwellings.min_persons"], self["dwellings.max_persons"]
        if any(a > b or a < 1 for a, b in zip(lo, hi, strict=True)):
            raise ParameterError(
                f"{prefix}parameters 'dwellings.min_persons' = {lo!r} and 'dwellings.max_persons' "
                f"= {hi!r}; allowed: per type 1 <= min <= max"
            )
        scale = self["scale.households_per_agent"]
        if scale > COARSEST_VALIDATED_SCALE and not self["scale.allow_unvalidated"]:
            raise ParameterError(
                f"{prefix}parameter 'scale.households_per_agent' = {scale} is coarser than "
                f"1:{COARSEST_VALIDATED_SCALE}, the coarsest scale at which the model's figures "
                "agree with 1:10 within 3% (python -m experiments scale-check); allowed: 1 to "
                f"{COARSEST_VALIDATED_SCALE}, or also set scale.allow_unvalidated = true for a "
                "quick look whose figures may be biased"
            )
        age, life = self["stock.flex_initial_age_years_max"], self["stock.flex_life_years"]
        if age > life:
            raise ParameterError(
                f"{prefix}parameter 'stock.flex_initial_age_years_max' = {age} is more than "
                f"'stock.flex_life_years' = {life}; allowed: at most the life (older flex homes "
                "would already be gone)"
            )
        sizes = self["regular.large_household_persons"]
        if any(int(s) != s or s < 6 for s in sizes):
            raise ParameterError(
                f"{prefix}parameter 'regular.large_household_persons' = {sizes!r}; "
                "allowed: whole numbers of 6 or more"
            )

    @property
    def start_date(self) -> dt.date:
        """The first simulated month (its first day)."""
        return self["calendar.start_date"]

    @property
    def households_per_agent(self) -> int:
        """How many real households one agent stands for."""
        return self["scale.households_per_agent"]


@cache
def published_targets() -> dict[str, dict[str, Any]]:
    """The published figures the model is calibrated and validated against (targets.toml)."""
    text = resources.files("model.inputs").joinpath("data/targets.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
