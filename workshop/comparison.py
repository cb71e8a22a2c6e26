"""Two policies side by side over several seeds, with the project's own comparison code.

The app does not compare by itself: it calls ``experiments.compare.compare``
(paired runs on seeds 1..S, common random numbers, 5-95% bands of the
differences) and shows what it returns. A side may be a named scenario or the
scenario on screen with the room's levers; the latter becomes a small scenario
file that inherits the named one and sets those levers for the whole run, so
that ``compare`` reads it like any other scenario.

The runs go to a separate process (``python -m workshop.comparison``): the
server stays responsive, its memory is not touched by them, the process can be
stopped, and ``compare`` may use its own worker processes (no fork from the
server's threads). The same process also runs each side once on the first
seed for the regional maps (``compare`` does not return regional figures).

Verdicts: a one-line summary per group, naming only the differences whose
band excludes zero.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import math
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.inputs.parameters import parameter_specs
from model.reporting.presentation import GROUP_COLORS, GROUP_LABELS
from workshop import columns as col
from workshop import phases
from workshop.charts import Chart, Line
from workshop.config import Config
from workshop.levers import model_parameters
from workshop.text import add_months, money, number, percent, rounded, t

SCALE = 20  # households per agent (the coarsest validated scale)
MAX_YEARS = 10  # what the data support: inflow paths and supply are sourced to about 2029
YEAR_CHOICES = (2, 5, 10)
SEED_CHOICES = (3, 5, 10)
DEFAULT_SEEDS = 5
SECONDS_PER_RUN_MONTH = 0.04  # a month of one run at 1:20 on the development machine (rough)


@dataclasses.dataclass(frozen=True)
class Side:
    """One side of a comparison: a scenario and the levers moved (by key).

    Attributes:
        config: The scenario and levers (the seed and month are not used).
        title: The side's name, by language, as the page shows it.
    """

    config: Config
    title: Mapping[str, str]


@dataclasses.dataclass(frozen=True)
class Request:
    """What to compare: two sides, years, seeds, scale, worker processes."""

    a: Side
    b: Side
    years: int = MAX_YEARS
    seeds: int = DEFAULT_SEEDS
    scale: int = SCALE
    workers: int = 2

    @property
    def months(self) -> int:
        return 12 * self.years

    def estimate_s(self) -> float:
        """A rough duration: the runs, spread over the workers, plus starting up."""
        runs = 2 * self.seeds + 2
        return 4 + runs * self.months * SECONDS_PER_RUN_MONTH * (20 / self.scale) / self.workers


@dataclasses.dataclass(frozen=True)
class Comparison:
    """What a comparison returned.

    Attributes:
        request: What was asked.
        result: ``experiments.compare.compare``'s dict (differences, monthly,
            passed_over, equal_playing_field).
        regions: Per side (``A``, ``B``): ``monthly_by_region`` of its run on seed 1.
        start: The start date.
        seconds: How long it took.
        marks: The policy phases of A and B (``phases.merged``).
    """

    request: Request
    result: Mapping[str, Any]
    regions: Mapping[str, pd.DataFrame]
    start: dt.date
    seconds: float
    marks: tuple[phases.Mark, ...] = ()

    def chart_marks(self, lang: str) -> tuple[tuple[float, str], ...]:
        return tuple((m.x, m.label(lang)) for m in self.marks)

    @property
    def differences(self) -> pd.DataFrame:
        return self.result["differences"]


# ---------------------------------------------------------------- the runs


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def scenario_source(side: Side, levers, folder: Path, name: str) -> str:
    """A scenario ``compare`` can read for the side: its name, or a file with its levers."""
    config = side.config
    parameters = model_parameters(levers, config.overrides, config.scenario)
    if not parameters:
        return config.scenario
    specs = parameter_specs()
    title = {lang: side.title[lang].replace('"', "'") for lang in ("nl", "en")}
    lines = [
        f'inherits = "{config.scenario}"',
        "[title]",
        f'nl = "{title["nl"]}"',
        f'en = "{title["en"]}"',
        "[description]",
        'nl = "Scenario met de hefbomen uit de workshop-app."',
        'en = "Scenario with the levers set in the workshop app."',
        "[parameters]",
        *(f'"{k}" = {_toml_value(v)}' for k, v in parameters.items() if not specs[k].lever),
        "[levers]",
        *(f'"{k}" = {_toml_value(v)}' for k, v in parameters.items() if specs[k].lever),
    ]
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _region_run(task: tuple) -> pd.DataFrame:
    from model import HousingMarket

    scenario, seed, months, scale = task
    model = HousingMarket(scenario, rng=seed, households_per_agent=scale)
    model.run(months)
    return col.region_frame(model)


def run(request: Request, levers) -> Comparison:
    """Compare the two sides (in this process; the page uses :class:`Job`).

    Raises:
        ParameterError: A side's settings are refused (the message names them).
    """
    from experiments.compare import _pool, compare
    from model import HousingMarket

    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="workshop-compare-") as folder:
        a = scenario_source(request.a, levers, Path(folder), "A")
        b = scenario_source(request.b, levers, Path(folder), "B")
        result = compare(
            a,
            b,
            request.seeds,
            months=request.months,
            scale=request.scale,
            workers=request.workers,
        )
        tasks = [(s, 1, request.months, request.scale) for s in (a, b)]
        if request.workers > 1:
            with _pool(2) as pool:
                regions = list(pool.map(_region_run, tasks))
        else:
            regions = [_region_run(task) for task in tasks]
        start = HousingMarket.check_settings(a)[1].start_date
    result = dict(result)
    marks = phases.merged(
        phases.of_config(request.a.config, levers), phases.of_config(request.b.config, levers)
    )
    return Comparison(
        request,
        result,
        dict(zip("AB", regions, strict=True)),
        start,
        time.monotonic() - began,
        marks,
    )


def main(argv: list[str]) -> int:
    """``python -m workshop.comparison REQUEST OUT``: run a pickled request, pickle the result.

    On a refused setting, the result is the ParameterError's message (text).
    """
    from model import ParameterError

    request_path, out_path = argv
    with open(request_path, "rb") as f:
        request, levers = pickle.load(f)
    try:
        outcome: Any = run(request, levers)
    except ParameterError as err:
        outcome = str(err)
    tmp = out_path + ".part"
    with open(tmp, "wb") as f:
        pickle.dump(outcome, f)
    os.replace(tmp, out_path)
    return 0


class Job:
    """A comparison running in a separate process; ``on_done`` gets its outcome.

    The outcome is a :class:`Comparison`, or the model's message (text) when
    a setting was refused, or an error text when the process failed.
    """

    def __init__(self, request: Request, levers, on_done: Callable[[Any], None]):
        self.request = request
        self.began = time.monotonic()
        self.on_done = on_done
        self.cancelled = False
        self._folder = tempfile.mkdtemp(prefix="workshop-job-")
        request_path = os.path.join(self._folder, "request.pickle")
        self._out = os.path.join(self._folder, "result.pickle")
        with open(request_path, "wb") as f:
            pickle.dump((request, tuple(levers)), f)
        root = Path(__file__).resolve().parent.parent
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "workshop.comparison", request_path, self._out],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its worker processes in a group of its own, to stop them all
        )
        self._thread = threading.Thread(target=self._wait, name="comparison", daemon=True)
        self._thread.start()

    @property
    def progress(self) -> float:
        """Elapsed time over the estimate, at most 0.95 until done."""
        return min(0.95, (time.monotonic() - self.began) / self.request.estimate_s())

    def _wait(self) -> None:
        _, stderr = self._proc.communicate()
        outcome: Any
        if self.cancelled:
            outcome = None
        elif self._proc.returncode == 0 and os.path.exists(self._out):
            with open(self._out, "rb") as f:
                outcome = pickle.load(f)
        else:
            last = (stderr or b"").decode(errors="replace").strip().splitlines()[-1:]
            outcome = RuntimeError(f"comparison failed: {' '.join(last) or self._proc.returncode}")
        for name in os.listdir(self._folder):
            os.unlink(os.path.join(self._folder, name))
        os.rmdir(self._folder)
        self.on_done(outcome)

    def cancel(self) -> None:
        """Stop the comparison process and its workers (the group it leads)."""
        self.cancelled = True
        if self._proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGTERM)


# ---------------------------------------------------------------- what it shows


@dataclasses.dataclass(frozen=True)
class Measure:
    """A row of the comparison table: an outcome of the registry (experiments/outcomes.py).

    Attributes:
        outcome: The outcome's name in the registry.
        measure, group, period: Its row in ``compare``'s differences.
        label: (Dutch, English), the registry's.
        description: What it is (English), the registry's.
        kind: How values read: ``count``, ``years``, ``share``, ``euro``.
        better: +1 when more is better for the group, -1 when less is, 0 when neither.
        verdict: (Dutch, English) phrase for the verdict line, e.g. ``{n} {more_less}
            woningen per jaar``; empty: not in the verdict.
    """

    outcome: str
    measure: str
    group: str
    period: str
    label: tuple[str, str]
    description: str
    kind: str
    better: int
    verdict: tuple[str, str] = ("", "")


# The table's rows, by outcome name; definitions, units and labels are the registry's.
TABLE_OUTCOMES = (
    "lettings_regular_households_per_year",
    "lettings_urgent_households_per_year",
    "lettings_status_holder_households_per_year",
    "registration_years_median_regular",
    "time_to_housing_years_median_regular",
    "time_to_housing_years_median_urgent",
    "time_in_reception_years_median",
    "still_in_reception_after_1_year_share",
    "status_holders_in_reception_end_persons",
    "reception_backlog_end_persons",
    "reception_emergency_mean_persons",
    "reception_cost_eur_per_year",
)
# The verdict's phrases, by the outcome's measure (the app's own words).
VERDICT_PHRASES = {
    "lettings_households": ("{n} {more_less} woningen per jaar", "{n} {more_less} homes a year"),
    "registration_years_median": (
        "{n} jaar {longer_shorter} ingeschreven bij toewijzing",
        "{n} years {longer_shorter} registered at letting",
    ),
    "time_to_housing_years_median": (
        "{n} jaar {longer_shorter} zoeken",
        "{n} years {longer_shorter} search",
    ),
    "time_in_reception_years_median": (
        "{n} jaar {longer_shorter} in de opvang",
        "{n} years {longer_shorter} in reception",
    ),
    "in_reception_persons": (
        "{n} personen {more_less} in de opvang aan het eind",
        "{n} {more_less} persons in reception at the end",
    ),
    "reception_cost_eur_per_year": ("{n} per jaar {more_less}", "{n} a year {more_less}"),
}


def _kind(unit: str) -> str:
    if unit.startswith("euro"):
        return "euro"
    if unit == "years":
        return "years"
    if unit == "share":
        return "share"
    return "count"


def measures() -> tuple[Measure, ...]:
    """The table's rows from the registry (an outcome it no longer has is left out)."""
    from experiments.outcomes import OUTCOMES

    out = []
    for name in TABLE_OUTCOMES:
        o = OUTCOMES.get(name)
        if o is None:
            continue
        # More homes for a group is better for that group (the registry calls it neutral:
        # it is neither good nor bad for the country).
        better = {"better": 1, "worse": -1}.get(o.higher_is, 0)
        if o.measure == "lettings_households":
            better = 1
        out.append(
            Measure(
                name, o.measure, o.group, o.period, (o.label["nl"], o.label["en"]),
                o.description, _kind(o.unit), better, VERDICT_PHRASES.get(o.measure, ("", "")),
            )
        )  # fmt: skip
    return tuple(out)


ALL_GROUP = {"nl": "opvang (alle bewoners)", "en": "reception (all residents)"}
SHORT_GROUP = {
    "regular": ("regulier", "regular"),
    "urgent": ("urgent", "urgent"),
    "status_holder": ("statushouders", "status holders"),
    "all": ("opvang", "reception"),
}


def group_name(group: str, lang: str) -> str:
    return ALL_GROUP[lang] if group == "all" else GROUP_LABELS[lang][group]


def short_group(group: str, lang: str) -> str:
    return SHORT_GROUP[group][lang == "en"]


def value_text(kind: str, value: float, lang: str, sign: bool = False) -> str:
    """A measure's value as the table writes it."""
    if value is None or not math.isfinite(value):
        return "–"
    if kind == "years":
        return number(value, lang, 2, sign)
    if kind == "share":
        return percent(value, lang, 0, sign)
    if kind == "euro":
        return money(value, lang, sign)
    return rounded(value, lang, sign)


@dataclasses.dataclass(frozen=True)
class Row:
    """A row of the table: A, B, the difference, its band, and what that means for the group."""

    measure: Measure
    a: float
    b: float
    difference: float
    low: float
    high: float

    @property
    def significant(self) -> bool:
        """The band excludes zero."""
        return bool(self.low > 0 or self.high < 0)

    @property
    def verdict(self) -> str:
        """``better``, ``worse`` (for the group), ``changed`` (neither) or ``noise``."""
        if not self.significant:
            return "noise"
        if not self.measure.better:
            return "changed"
        return "better" if self.difference * self.measure.better > 0 else "worse"


def rows(comparison: Comparison) -> list[Row]:
    """The table's rows, in the order of :data:`TABLE_OUTCOMES` (missing ones left out)."""
    d = comparison.differences.set_index(["measure", "group", "period"])
    out = []
    for m in measures():
        key = (m.measure, m.group, m.period)
        if key not in d.index:
            continue
        r = d.loc[key]
        out.append(
            Row(
                m,
                float(r["a_mean"]),
                float(r["b_mean"]),
                float(r["difference_mean"]),
                float(r["difference_p5"]),
                float(r["difference_p95"]),
            )
        )
    return out


def _phrase(row: Row, lang: str) -> str:
    m, d = row.measure, row.difference
    if m.kind == "years":
        amount = number(abs(d), lang, 1)
        if amount in ("0,0", "0.0"):
            return ""
    elif m.kind == "euro":
        amount = money(abs(d), lang)
    else:
        amount = rounded(abs(d), lang)
        if amount == "0":
            return ""
    fields = {
        "n": amount,
        "more_less": t("more" if d > 0 else "less", lang),
        "longer_shorter": t("longer" if d > 0 else "shorter", lang),
    }
    if m.kind == "euro":
        fields["more_less"] = {"nl": ("goedkoper", "duurder"), "en": ("cheaper", "dearer")}[lang][
            d > 0
        ]
    return m.verdict[lang == "en"].format(**fields)


def verdicts(comparison: Comparison, lang: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """One line per group: (group, its name, [(phrase, better/worse), ...]).

    Only differences whose band excludes zero make a phrase; a group with none
    has an empty list ("no difference beyond the noise").
    """
    by_group: dict[str, list[tuple[str, str]]] = {}
    for row in rows(comparison):
        if not row.measure.verdict[0]:
            continue
        phrases = by_group.setdefault(row.measure.group, [])
        if row.significant:
            phrase = _phrase(row, lang)
            if phrase:
                phrases.append((phrase, row.verdict))
    return [(g, group_name(g, lang), p) for g, p in by_group.items()]


def verdict_text(group_label: str, phrases: list[tuple[str, str]], lang: str) -> str:
    """``Statushouders: 910 minder woningen per jaar, 0,7 jaar korter in de opvang.``"""
    if not phrases:
        return t("verdict_none", lang, group=group_label[0].upper() + group_label[1:])
    return f"{group_label[0].upper() + group_label[1:]}: {', '.join(p for p, _ in phrases)}."


# ---------------------------------------------------------------- its charts


def _years_axis(comparison: Comparison, lang: str):
    start = comparison.start
    years = comparison.request.years
    x0 = start.year + (start.month - 1) / 12
    ticks = tuple((float(y), str(y)) for y in range(start.year + 1, start.year + years + 1))
    return x0, ticks


def _yearly(comparison: Comparison, measure: str, group: str) -> tuple[np.ndarray, ...]:
    d = comparison.differences
    d = d[(d["measure"] == measure) & (d["group"] == group) & d["period"].str.startswith("year ")]
    years = d["period"].str.removeprefix("year ").astype(int)
    order = np.argsort(years.to_numpy())
    pick = lambda c: d[c].to_numpy(float)[order]  # noqa: E731
    return (
        years.to_numpy()[order],
        pick("difference_mean"),
        pick("difference_p5"),
        pick("difference_p95"),
    )


def _per_year_chart(comparison, key, measure, title, unit, lang, groups=col.GROUPS) -> Chart:
    x0, ticks = _years_axis(comparison, lang)
    lines, xs = [], None
    for g in groups:
        years, mean, low, high = _yearly(comparison, measure, g)
        n = comparison.request.years
        full = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
        for i, y in enumerate(years):
            if 1 <= y <= n:
                full[0][y - 1], full[1][y - 1], full[2][y - 1] = mean[i], low[i], high[i]
        xs = x0 + np.arange(n) + 0.5  # the middle of each simulated year
        lines.append(Line(short_group(g, lang), GROUP_COLORS[g], full[0], band=full[1:]))
    return Chart(
        key,
        title,
        unit,
        xs,
        ticks,
        tuple(lines),
        zero=True,
        lang=lang,
        marks=comparison.chart_marks(lang),
    )


def lettings_difference_chart(comparison: Comparison, lang: str) -> Chart:
    """Difference in homes let per simulated year, per group, with bands."""
    return _per_year_chart(
        comparison,
        "compare_lettings",
        "lettings_households",
        t("chart_diff_lettings", lang),
        t("unit_households_year", lang),
        lang,
    )


def registration_difference_chart(comparison: Comparison, lang: str) -> Chart:
    """Difference in median registration time at letting per simulated year, with bands."""
    return _per_year_chart(
        comparison,
        "compare_registration",
        "registration_years_median",
        t("chart_diff_registration", lang),
        t("unit_years", lang),
        lang,
    )


def reception_difference_chart(comparison: Comparison, lang: str) -> Chart:
    """Difference in status holders in reception, month by month, with its band."""
    monthly = comparison.result["monthly"]
    x0, ticks = _years_axis(comparison, lang)
    x = x0 + np.arange(len(monthly)) / 12
    line = Line(
        short_group("status_holder", lang),
        GROUP_COLORS["status_holder"],
        monthly[("difference_mean", col.IN_RECEPTION)].to_numpy(float),
        band=(
            monthly[("difference_p5", col.IN_RECEPTION)].to_numpy(float),
            monthly[("difference_p95", col.IN_RECEPTION)].to_numpy(float),
        ),
    )
    return Chart(
        "compare_reception",
        t("chart_diff_reception", lang),
        t("unit_persons", lang),
        x,
        ticks,
        (line,),
        zero=True,
        lang=lang,
        marks=comparison.chart_marks(lang),
    )


COMPARISON_CHARTS = (
    lettings_difference_chart,
    reception_difference_chart,
    registration_difference_chart,
)


def end_date(comparison: Comparison) -> dt.date:
    return add_months(comparison.start, comparison.request.months)


if __name__ == "__main__":
    # Through the package, so that what is pickled back names workshop.comparison, not __main__.
    from workshop.comparison import main as package_main

    sys.exit(package_main(sys.argv[1:]))
