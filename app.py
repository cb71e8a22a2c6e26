"""Workshop app: who gets the social rental homes, month by month (Solara, Mesa 3.5).

``make app`` starts it on http://localhost:8765; docs/app.md explains every
control and chart. It works offline: the front-end files come from the
``solara-assets`` package (and the page uses no Markdown, whose maths renderer
is not among them). Three tabs:

* PAGE 0: a named scenario, a seed, a scale and six levers in the sidebar; the
  scenario, the levers in force, last month's figures and four charts per group;
* PAGE 1: two policies side by side, same seed, coarse scale;
* PAGE 2: every parameter with its value, unit and source.

Every figure is in real households or persons, never agents. Labels are Dutch,
with English one click away (NL | EN in the top bar). An invalid setting shows
the model's ParameterError message on the page.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import html
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import solara
import solara.lab
from matplotlib.dates import MonthLocator, YearLocator, num2date
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter
from mesa.visualization import Slider, SolaraViz

from model.households import GROUPS
from model.market import HousingMarket
from model.parameters import ParameterError, default_regions, parameter_specs
from model.policy import Scenario, load_scenario, scenario_names
from model.presentation import GROUP_COLORS, GROUP_LABELS

SPECS = parameter_specs()
DEFAULT_SCENARIO = "current-policy"
LIVE_SCALE = 20  # households per agent on PAGE 0: the coarsest validated scale
COMPARE_SCALE = 20  # households per agent on PAGE 1
SCALES = (10, 20)
ASSUMPTIONS_DOC = "docs/assumptions.md"


# ------------------------------------------------------------------ the levers


@dataclasses.dataclass(frozen=True)
class Lever:
    """A policy lever in the sidebar: its parameter, short name and meaning (nl, en), step."""

    parameter: str
    name: tuple[str, str]
    meaning: tuple[str, str]
    step: float

    @property
    def default(self) -> Any:
        return SPECS[self.parameter].value

    def is_set(self, value: Any) -> bool:
        """Whether the slider left its starting position (the default, within half a step)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return True  # not a number: the model's check says why
        return abs(value - self.default) > self.step / 2


LEVERS = {
    "lottery_share": Lever(
        "allocation.lottery_share",
        ("Loting", "lottery"),
        ("aandeel advertenties verloot", "share of advertised homes let by lottery"),
        0.01,
    ),
    "urgent_share_cap": Lever(
        "allocation.urgent_share_cap",
        ("Urgenten", "urgent"),
        ("max. aandeel vrijkomende woningen voor urgenten", "cap on their share of vacancies"),
        0.01,
    ),
    "quota_placement_share": Lever(
        "status_holders.quota_placement_max_share",
        ("Taakstelling", "quota"),
        ("max. aandeel vrijkomende woningen voor statushouders", "cap on their share of vacancies"),
        0.005,
    ),
    "new_construction_per_year": Lever(
        "stock.new_construction_per_year",
        ("Nieuwbouw", "new build"),
        ("corporatiewoningen per jaar", "corporation homes per year"),
        500,
    ),
    "flex_additions_per_year": Lever(
        "stock.flex_additions_per_year",
        ("Flexwoningen", "flex homes"),
        ("nieuwe flexwoningen per jaar", "new flex homes per year"),
        500,
    ),
    "recognition_rate": Lever(
        "asylum.recognition_rate",
        ("Erkenningen", "recognitions"),
        ("aandeel asielbesluiten met vergunning", "share of asylum decisions granting a permit"),
        0.01,
    ),
}
assert all(SPECS[lever.parameter].lever for lever in LEVERS.values())


def without_levers(scenario: Scenario, names: Iterable[str]) -> Scenario:
    """The scenario without its values and dated changes for the given levers."""
    levers = {name: steps for name, steps in scenario.levers.items() if name not in names}
    return dataclasses.replace(scenario, levers=levers)


def seed_of(value: Any) -> int:
    """The seed as typed on the page (text or a number).

    Raises:
        ParameterError: It is not a whole number >= 0.
    """
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= 0:
        return int(value)
    raise ParameterError(f"parameter 'seed' = {value!r}; allowed: a whole number >= 0")


DEFAULTS_ONLY = Scenario("defaults", {"nl": "", "en": ""}, {"nl": "", "en": ""}, {}, {})


class WorkshopMarket(HousingMarket):
    """The housing market as the app builds it from the sidebar.

    SolaraViz rebuilds the model as ``WorkshopMarket(**sidebar values)`` on
    Reset. (The scenario keyword is ``scenario_name``: Mesa 3.5 replaces a
    keyword called ``scenario`` with its own Scenario object.)

    Args:
        scenario_name: A named scenario (``model.policy.scenario_names()``).
        rng: The seed, a whole number (or its text as typed on the page).
        households_per_agent: Real households one agent stands for.
        lottery_share, urgent_share_cap, quota_placement_share,
        new_construction_per_year, flex_additions_per_year,
        recognition_rate: The levers (``LEVERS``). A lever at its
            default (within half a slider step) leaves the scenario's value and
            dated changes in force; any other value holds for the whole run.

    Attributes:
        error: The ParameterError message when a setting is invalid, else None.
            The model is then built from the defaults and does not step; the
            page shows the message.
        scenario_name: The scenario asked for.
        lever_settings: The lever keywords as given.
        levers_set: The levers that override the scenario, by parameter name.
    """

    def __init__(
        self,
        scenario_name: str = DEFAULT_SCENARIO,
        *,
        rng: int | str = 1,
        households_per_agent: int = LIVE_SCALE,
        lottery_share: float = LEVERS["lottery_share"].default,
        urgent_share_cap: float = LEVERS["urgent_share_cap"].default,
        quota_placement_share: float = LEVERS["quota_placement_share"].default,
        new_construction_per_year: int = LEVERS["new_construction_per_year"].default,
        flex_additions_per_year: int = LEVERS["flex_additions_per_year"].default,
        recognition_rate: float = LEVERS["recognition_rate"].default,
    ):
        given = locals()  # the keyword arguments, read before anything else is assigned
        self.scenario_name = scenario_name
        self.lever_settings = {kw: given[kw] for kw in LEVERS}
        self.levers_set = {
            lever.parameter: given[kw] for kw, lever in LEVERS.items() if lever.is_set(given[kw])
        }
        settings = {"households_per_agent": households_per_agent, "parameters": self.levers_set}
        try:  # check the settings before Mesa's Model is set up
            scenario = without_levers(load_scenario(scenario_name), self.levers_set)
            seed = seed_of(rng)
            HousingMarket.check_settings(scenario, households_per_agent, None, self.levers_set)
            self.error = None
        except ParameterError as err:
            self.error = str(err)
            scenario, seed, settings = DEFAULTS_ONLY, 1, {"households_per_agent": LIVE_SCALE}
        super().__init__(scenario, rng=seed, **settings)

    def step(self) -> None:
        """One month (none when a setting is invalid); stops at the scenario's horizon."""
        if self.error is None:
            super().step()
        self.running = self.error is None and self.time < self.params["calendar.months"]


def scenario_title(name: str, lang: str = "nl") -> str:
    """A scenario's title, or its name when the file cannot be read."""
    try:
        return load_scenario(name).title[lang]
    except ParameterError:
        return f"{name} (?)"


model_params = {
    "scenario_name": {
        "type": "Select",
        "label": "Scenario",
        "value": DEFAULT_SCENARIO,
        "values": [{"text": scenario_title(n), "value": n} for n in scenario_names()],
    },
    "rng": {"type": "InputText", "label": "Toevalsgetal / seed", "value": "1"},
    "households_per_agent": {
        "type": "Select",
        "label": "Schaal / scale",
        "value": LIVE_SCALE,
        "values": [{"text": f"1 agent = {k} huishoudens", "value": k} for k in SCALES],
    },
    **{
        kw: Slider(
            " / ".join(lever.name),
            value=lever.default,
            min=SPECS[lever.parameter].minimum,
            max=SPECS[lever.parameter].maximum,
            step=lever.step,
        )
        for kw, lever in LEVERS.items()
    },
}


# ------------------------------------------------------------- words and numbers

language = solara.reactive("nl")
MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": tuple(calendar.month_abbr)[1:],
}
DUTCH = str.maketrans(",.", ".,")
CELL = "height: 380px; overflow-y: auto; padding: 0 8px"  # one cell of Mesa's grid


def tr(nl: str, en: str) -> str:
    """The text in the language chosen in the top bar."""
    return nl if language.value == "nl" else en


def number(x: float, decimals: int = 0, sign: bool = False, lang: str | None = None) -> str:
    """A number written the Dutch (1.234,5) or English (1,234.5) way; a dash when missing."""
    if x is None or not np.isfinite(x):
        return "–"
    text = f"{x:{'+' if sign else ''},.{decimals}f}"
    return text.translate(DUTCH) if (lang or language.value) == "nl" else text


def value_text(value: Any) -> str:
    """A parameter value as text: numbers the Dutch or English way, lists joined."""
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, bool):
        return tr("ja", "yes") if value else tr("nee", "no")
    if isinstance(value, float):
        return f"{value:.6g}".translate(DUTCH) if language.value == "nl" else f"{value:.6g}"
    if isinstance(value, int):
        return number(value)
    return html.escape(str(value))


def month_name(date: dt.date, lang: str | None = None, year_only: bool = False) -> str:
    month = "" if year_only else MONTHS[lang or language.value][date.month - 1] + " "
    return f"{month}{date.year}"


def group_name(group: str) -> str:
    return GROUP_LABELS[language.value][group]


def swatch(group: str) -> str:
    """The group's name after a square in its colour (HTML)."""
    square = f"display:inline-block;width:.8em;height:.8em;background:{GROUP_COLORS[group]}"
    return f'<span style="{square}"></span> {group_name(group)}'


def language_toggle() -> None:
    """NL | EN in the top bar."""
    with solara.AppBar():
        solara.ToggleButtonsSingle(value=language, values=["nl", "en"])


def Cell(text: str):
    """A grid cell of HTML that scrolls (no Markdown: its maths renderer is not offline)."""
    return solara.HTML(tag="div", unsafe_innerHTML=text, style=CELL)


def table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An HTML table: text in the first column, numbers right-aligned in the others."""
    cells = "".join(f"<th>{h}</th>" for h in head)
    for row in rows:
        cells += "<tr>" + "".join(
            f"<td{' align=right' * (i > 0)}>{c}</td>" for i, c in enumerate(row)
        )
    return f'<table style="font-size:.9em;border-spacing:8px 2px">{cells}</table>'


# ------------------------------------------------------------------- charts


@dataclasses.dataclass(frozen=True)
class Line:
    """A line of a chart: a column of the monthly figures in its group's colour."""

    column: str
    group: str
    label: tuple[str, str] | None = None  # (nl, en), "{norm}" = the 14-week norm; None: group
    style: str = "-"


@dataclasses.dataclass(frozen=True)
class Chart:
    """A chart: title and unit (nl, en), lines, flow or stock, log scale, 12-month window."""

    title: tuple[str, str]
    unit: tuple[str, str]
    lines: tuple[Line, ...]
    flow: bool = True  # a monthly flow (the start row has none) or a stock at month end
    log: bool = False
    rolling: str = ""  # "sum" or "mean" over 12 months


def per_group(column: str) -> tuple[Line, ...]:
    return tuple(Line(column.format(g=g), g) for g in GROUPS)


LETTINGS = "lettings_{g}_households"
REGISTRATION = "registration_years_at_letting_median_{g}"
RECEPTION = ("Statushouders in de COA-opvang", "Status holders in reception (COA)")
IN_RECEPTION = Line(
    "status_holders_in_reception_persons", "status_holder", ("in opvang", "in reception")
)
CHARTS = (
    Chart(
        ("Toewijzingen per maand", "Lettings per month"),
        ("huishoudens per maand", "households per month"),
        per_group(LETTINGS),
    ),
    Chart(
        ("Mediane inschrijfduur bij toewijzing", "Median registration time at letting"),
        ("jaren (statushouders: sinds vergunning)", "years (status holders: since permit)"),
        per_group(REGISTRATION),
    ),
    Chart(
        ("Wachtende huishoudens", "Households waiting"),
        ("huishoudens (logaritmische schaal)", "households (log scale)"),
        per_group("waiting_{g}_households"),
        flow=False,
        log=True,
    ),
    Chart(
        RECEPTION,
        ("personen", "persons"),
        (
            IN_RECEPTION,
            Line(
                "reception_backlog_persons",
                "status_holder",
                ("langer dan {norm} weken na vergunning", "over {norm} weeks after the permit"),
                "--",
            ),
        ),
        flow=False,
    ),
)
COMPARISON_CHARTS = (  # A solid, B dashed
    Chart(
        ("Toewijzingen per jaar", "Lettings a year"),
        ("huishoudens (som van 12 maanden)", "households (sum of 12 months)"),
        per_group(LETTINGS),
        rolling="sum",
    ),
    Chart(
        ("Mediane inschrijfduur bij toewijzing", "Median registration time at letting"),
        ("jaren (gemiddelde van 12 maanden)", "years (mean of 12 months)"),
        per_group(REGISTRATION),
        rolling="mean",
    ),
    Chart(RECEPTION, ("personen", "persons"), (IN_RECEPTION,), flow=False),
)


def draw(chart: Chart, runs: Iterable[pd.DataFrame], titles: Iterable[str] = (), norm: int = 14):
    """The chart of one run's monthly figures, or of two (A solid, B dashed, titled)."""
    lang = language.value
    fig = Figure(figsize=(6.4, 3.6), dpi=90)  # fixed margins: twice as fast as a layout engine
    fig.subplots_adjust(left=0.15, right=0.98, top=0.91, bottom=0.1)
    ax = fig.subplots()
    ax.set_title(tr(*chart.title), fontsize=11)
    ax.set_ylabel(tr(*chart.unit))
    ax.grid(alpha=0.3)
    if chart.log:
        ax.set_yscale("log")
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda y, _: number(y, 0 if abs(y) >= 10 or y == 0 else 1, lang=lang))
    )
    titles = list(titles)
    for run, dashes in zip(runs, (False, True), strict=False):
        monthly = run.iloc[1:] if chart.flow else run
        if monthly.empty:
            ax.text(0.5, 0.5, tr("druk op Step of ▶", "press Step or ▶"), ha="center")
            ax.set(xticks=[], yticks=[])
            return fig
        dates = pd.to_datetime(monthly["period" if chart.flow else "date"])
        for line in chart.lines:
            values = monthly[line.column].astype(float)
            if chart.rolling:
                values = getattr(values.rolling(12, min_periods=12), chart.rolling)()
            if chart.log:
                values = values.where(values > 0)
            label = tr(*line.label).format(norm=norm) if line.label else group_name(line.group)
            ax.plot(
                dates,
                values,
                "--" if dashes else line.style,
                lw=1.6,
                color=GROUP_COLORS[line.group],
                marker="o" if len(values) == 1 else None,  # the start alone
                label=None if dashes else label,
            )
    months = len(dates)
    ax.xaxis.set_major_locator(
        YearLocator() if months > 30 else MonthLocator(interval=math.ceil(months / 6))
    )
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _: month_name(num2date(x), lang, year_only=months > 30))
    )
    handles = ax.get_legend_handles_labels()[0] + [
        Line2D([], [], color="black", ls=ls, label=f"{side}: {title}")
        for side, ls, title in zip("AB", ("-", "--"), titles, strict=False)
    ]
    ax.legend(handles=handles, fontsize=8, loc="best")
    return fig


def chart_component(chart: Chart) -> Callable:
    """A SolaraViz component (a function of the model, redrawn each step) for one chart."""

    def LiveChart(model: WorkshopMarket):
        if model.error:
            return solara.Info(tr("Geen grafiek: zie de foutmelding.", "No chart: see the error."))
        norm = model.params["status_holders.outflow_norm_weeks"]
        figure = draw(chart, [model.datacollector.get_model_vars_dataframe()], norm=norm)
        return solara.FigureMatplotlib(figure, format="png")

    return LiveChart


# ------------------------------------------------------- PAGE 0: the overview


def schedule_text(model: HousingMarket, name: str) -> str:
    """The scenario's values for a lever: '2026-07-01: no, ...'."""
    steps = []
    for when, value in model.timeline.changes.get(name, ()):
        day = model.timeline.resolve(when)
        start = tr("vanaf de start", "from the start") if day == dt.date.min else day.isoformat()
        steps.append(f"{start}: {value_text(value)}")
    return ", ".join(steps)


def levers_html(model: WorkshopMarket) -> str:
    """The sidebar's levers in force and where they come from; the scenario's other levers."""
    items = ""
    for lever in LEVERS.values():
        source = schedule_text(model, lever.parameter) or tr("standaard", "default")
        if lever.parameter in model.levers_set:
            source = tr("schuif", "slider")
        items += f"<li>{tr(*lever.name)}: <b>{value_text(model.policy[lever.parameter])}</b> "
        items += f"<small>{tr(*lever.meaning)} ({source})</small></li>"
    text = f"<b>{tr('Hefbomen', 'Levers')}</b><ul>{items}</ul>"
    others = [n for n in model.timeline.changes if n not in {v.parameter for v in LEVERS.values()}]
    if others:
        items = "".join(f"<li><code>{n}</code>: {schedule_text(model, n)}</li>" for n in others)
        text += f"<b>{tr('Verder in dit scenario', 'Also in this scenario')}</b><ul>{items}</ul>"
    return text


def Overview(model: WorkshopMarket) -> None:
    """PAGE 0, first cell: the scenario, the month, the scale, the figures and the levers."""
    language_toggle()
    if model.error:
        solara.Error(tr("Ongeldige invoer: ", "Invalid input: ") + model.error)
        solara.Text(tr("Pas de instelling aan en druk op Reset.", "Fix the setting, then Reset."))
        return
    lang, stats, months = language.value, model.month_stats, round(model.time)
    when = f"Start: {month_name(model.date)}"
    if months:
        last = month_name(model.date - dt.timedelta(days=1))  # the month just simulated
        horizon = model.params["calendar.months"]
        when = f"{tr('Afgelopen maand', 'Last month')}: {last} ({months}/{horizon})"
    figures = table(
        [tr("huishoudens", "households"), tr("toegewezen", "housed"), tr("wachtend", "waiting")],
        [
            (
                swatch(g),
                number(stats[f"lettings_{g}_households"]),
                number(stats[f"waiting_{g}_households"]),
            )
            for g in GROUPS
        ],
    )
    in_reception, late = (
        number(stats[k])
        for k in ("status_holders_in_reception_persons", "reception_backlog_persons")
    )
    norm = model.params["status_holders.outflow_norm_weeks"]
    scale = tr(
        f"1 agent = {model.scale} huishoudens; alle cijfers: echte huishoudens of personen.",
        f"1 agent = {model.scale} households; all figures are real households or persons.",
    )
    reception = tr(
        f"in de opvang: <b>{in_reception}</b> personen, {late} langer dan {norm} weken.",
        f"in reception: <b>{in_reception}</b> persons, {late} over {norm} weeks.",
    )
    hint = tr(
        "Een schuif in de beginstand laat het scenario bepalen; Reset past de zijbalk toe. "
        "Vergelijken: tabblad PAGE 1. Aannames: PAGE 2.",
        "A slider at its starting position leaves the scenario in charge; Reset applies the "
        "sidebar. Compare: tab PAGE 1. Assumptions: PAGE 2.",
    )
    Cell(
        f"<h3>{html.escape(model.scenario_def.title[lang])}</h3><p><b>{when}</b>. {scale}</p>"
        f"{figures}<p>{swatch('status_holder')} {reception}</p>"
        f"<p>{html.escape(model.scenario_def.description[lang])}</p>"
        f"{levers_html(model)}<p><small>{hint}</small></p>"
    )


# ---------------------------------------------------------- PAGE 1: compare

ON_SCREEN = "on-screen"


@dataclasses.dataclass(frozen=True)
class Run:
    """One side of a comparison: a scenario and WorkshopMarket's lever keywords."""

    scenario_name: str
    levers: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def title(self, lang: str) -> str:
        n = sum(LEVERS[kw].is_set(value) for kw, value in self.levers.items())
        extra = {"nl": f" + eigen hefbomen ({n})", "en": f" + own levers ({n})"}[lang]
        return scenario_title(self.scenario_name, lang) + (extra if n else "")


MEASURES = (  # key, label (nl, en), decimals, groups
    (
        "lettings_per_year",
        ("Toewijzingen per jaar (huishoudens)", "Lettings a year (households)"),
        0,
        GROUPS,
    ),
    (
        "registration_years_last_year",
        (
            "Mediane inschrijfduur, laatste 12 maanden (jaren)",
            "Median registration time, last 12 months (years)",
        ),
        2,
        GROUPS,
    ),
    (
        "waiting_at_end",
        ("Wachtend aan het eind (huishoudens)", "Waiting at the end (households)"),
        0,
        GROUPS,
    ),
    (
        "reception_at_end",
        ("In opvang aan het eind (personen)", "In reception at the end (persons)"),
        0,
        ("status_holder",),
    ),
    (
        "backlog_at_end",
        ("Daarvan over de uitstroomnorm (personen)", "Of whom past the outflow norm (persons)"),
        0,
        ("status_holder",),
    ),
)


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Two runs with the same seed: their monthly figures and the table of differences."""

    runs: tuple[Run, Run]
    years: int
    seed: int
    monthly: tuple[pd.DataFrame, pd.DataFrame]
    table: pd.DataFrame  # index (measure, group); columns A, B, difference (B - A)


def summary(model: HousingMarket, years: int) -> dict[tuple[str, str], float]:
    """The comparison's measures for one run, by (measure, group)."""
    results = model.results()
    flows, end, lettings = results.monthly.iloc[1:], results.monthly.iloc[-1], results.lettings
    recent = lettings[lettings["month"] > lettings["month"].max() - pd.DateOffset(months=12)]
    out = {("reception_at_end", "status_holder"): end["status_holders_in_reception_persons"]}
    out["backlog_at_end", "status_holder"] = end["reception_backlog_persons"]
    for g in GROUPS:
        out["lettings_per_year", g] = flows[f"lettings_{g}_households"].sum() / years
        times = recent.loc[recent["group"] == g, "registration_time_years"]
        out["registration_years_last_year", g] = times.median() if len(times) else np.nan
        out["waiting_at_end", g] = end[f"waiting_{g}_households"]
    return out


def compare(a: Run, b: Run, years: int, seed: Any) -> Comparison:
    """Run both policies for ``years`` from the same start with the same seed, at COMPARE_SCALE.

    Raises:
        ParameterError: A setting is invalid (the message names it).
    """
    models = []
    for run in (a, b):
        m = WorkshopMarket(
            run.scenario_name, rng=seed, households_per_agent=COMPARE_SCALE, **run.levers
        )
        if m.error:
            raise ParameterError(m.error)
        m.run(months=12 * years)
        models.append(m)
    table = pd.DataFrame({side: summary(m, years) for side, m in zip("AB", models, strict=True)})
    table["difference"] = table["B"] - table["A"]
    monthly = tuple(m.datacollector.get_model_vars_dataframe() for m in models)
    return Comparison((a, b), years, models[0].seed, monthly, table)


@solara.lab.task
def comparison_task(a: Run, b: Run, years: int, seed: Any) -> Comparison:
    """The comparison, run in a thread so that the page stays responsive."""
    return compare(a, b, years, seed)


@solara.component
def ComparisonPanel(model: WorkshopMarket):
    """PAGE 1, first cell: choose A, B and the horizon, then compare."""
    language_toggle()
    side_a, side_b = solara.use_reactive(DEFAULT_SCENARIO), solara.use_reactive(ON_SCREEN)
    years = solara.use_reactive(SPECS["calendar.months"].value // 12)
    on_screen = Run(model.scenario_name, model.lever_settings)
    choices = [{"text": scenario_title(n, language.value), "value": n} for n in scenario_names()]
    choices.append(
        {
            "value": ON_SCREEN,
            "text": tr("In beeld: ", "On screen: ") + on_screen.title(language.value),
        }
    )

    def start() -> None:
        a, b = (on_screen if s.value == ON_SCREEN else Run(s.value) for s in (side_a, side_b))
        comparison_task(a, b, years.value, model.seed)

    with solara.Column(style=CELL):
        solara.HTML(
            tag="h3",
            unsafe_innerHTML=tr("Twee beleidsvarianten naast elkaar", "Two policies side by side"),
        )
        solara.Select("A", values=choices, value=side_a)
        solara.Select("B", values=choices, value=side_b)
        years_max = SPECS["calendar.months"].maximum // 12
        solara.SliderInt(
            f"{tr('Jaren', 'Years')}: {years.value}", value=years, min=1, max=years_max
        )
        solara.Button(
            tr("Vergelijk", "Compare"),
            color="primary",
            on_click=start,
            disabled=comparison_task.pending,
        )
        solara.ProgressLinear(comparison_task.pending)
        solara.Text(
            tr(
                f"Toevalsgetal uit de zijbalk ({model.seed}) voor A en B; "
                f"1 agent = {COMPARE_SCALE} "
                "huishoudens (grof, voor de snelheid); cijfers in echte huishoudens of personen.",
                f"The sidebar's seed ({model.seed}) for A and B; "
                f"1 agent = {COMPARE_SCALE} households "
                "(coarse, for speed); figures in real households or persons.",
            )
        )


def ComparisonTable(model: WorkshopMarket):
    """PAGE 1, second cell: the differences per measure and group, or the error."""
    if comparison_task.error:
        return solara.Error(str(comparison_task.exception))
    result = comparison_task.latest
    if result is None:
        return solara.Info(tr("Kies A en B en druk op Vergelijk.", "Pick A and B, then Compare."))
    rows = []
    for key, label, decimals, groups in MEASURES:
        rows.append((f"<b>{tr(*label)}</b>", "", "", ""))
        for g in groups:
            a, b, d = result.table.loc[(key, g)]
            rows.append(
                (swatch(g), number(a, decimals), number(b, decimals), number(d, decimals, True))
            )
    sides = "".join(
        f"{s}: {html.escape(r.title(language.value))}<br>"
        for s, r in zip("AB", result.runs, strict=True)
    )
    setup = tr(
        f"{result.years} jaar, toevalsgetal {result.seed}",
        f"{result.years} years, seed {result.seed}",
    )
    head = ["", "A", "B", tr("verschil B − A", "difference B − A")]
    return Cell(
        f"<p>{sides}<small>{setup}, 1 agent = {COMPARE_SCALE}</small></p>{table(head, rows)}"
    )


def comparison_component(chart: Chart) -> Callable:
    """A SolaraViz component for one comparison chart (empty until a comparison ran)."""

    def CompareChart(model: WorkshopMarket):
        result = comparison_task.latest
        if result is not None:
            titles = [run.title(language.value) for run in result.runs]
            return solara.FigureMatplotlib(draw(chart, result.monthly, titles), format="png")

    return CompareChart


# ------------------------------------------------------- PAGE 2: assumptions

KINDS = {
    "calibrated": ("#fff3bf", "gekalibreerd", "calibrated"),
    "assumption": ("#ffe3e3", "aanname", "assumption"),
}


def kind_of(name: str) -> str:
    """'calibrated', 'assumption' (the source starts with "assumption") or ''."""
    spec = SPECS[name]
    if spec.calibrated:
        return "calibrated"
    return "assumption" if spec.source.lower().startswith("assumption") else ""


def assumptions_html(model: HousingMarket) -> str:
    """Every parameter: value in this model, unit, source, year; kinds highlighted."""
    items = []
    for name, spec in SPECS.items():
        kind = kind_of(name)
        value, default = value_text(model.params[name]), value_text(spec.value)
        if value != default:
            value += f" ({tr('standaard', 'default')} {default})"
        background = KINDS[kind][0] if kind else "none"
        items.append(
            f'<div class="{kind or "sourced"}" style="background:{background};padding:4px">'
            f"<code>{name}</code>{' ⚙' * spec.lever} {tr(*KINDS[kind][1:]) if kind else ''}<br>"
            f"<b>{value}</b> {html.escape(spec.unit)}<br>"
            f"<small>{html.escape(spec.source)}{f' ({spec.year})' * bool(spec.year)}</small></div>"
        )
    return "".join(items)


def AssumptionsSummary(model: WorkshopMarket) -> None:
    """PAGE 2, first cell: what the list shows and how many are assumed or calibrated."""
    language_toggle()
    counts = {kind: sum(kind_of(name) == kind for name in SPECS) for kind in KINDS}
    legend = " ".join(
        f'<span style="background:{bg};padding:0 .4em">{tr(nl, en)}: {counts[kind]}</span>'
        for kind, (bg, nl, en) in KINDS.items()
    )
    regions = default_regions()
    Cell(
        f"<h3>{tr('Aannames achter de cijfers', 'Assumptions behind the numbers')}</h3><p>"
        + tr(
            f"Alle {len(SPECS)} parameters met hun waarde in het model in beeld, eenheid en bron "
            "(<code>model/data/defaults.toml</code>); ⚙ = hefboom. Geel: gekalibreerd op een "
            "gepubliceerd cijfer. Roze: aanname, geen publieke bron gevonden. Toelichting: ",
            f"All {len(SPECS)} parameters with their value in the model on screen, unit and "
            "source (<code>model/data/defaults.toml</code>); ⚙ = lever. Yellow: calibrated to a "
            "published figure. Pink: assumption, no public source found. Explained in ",
        )
        + f"<code>{ASSUMPTIONS_DOC}</code>.</p><p>{legend}</p><p>"
        + tr(f"Regio's: {len(regions)} provincies. ", f"Regions: {len(regions)} provinces. ")
        + f"<small>{html.escape(regions.source)} ({regions.year})</small></p>"
    )


def AssumptionsList(model: WorkshopMarket):
    """PAGE 2, second cell: the parameters (the cell scrolls)."""
    return Cell(assumptions_html(model))


# -------------------------------------------------------------------- the page

COMPONENTS = [
    (Overview, 0),
    *((chart_component(chart), 0) for chart in CHARTS),
    (ComparisonPanel, 1),
    (ComparisonTable, 1),
    *((comparison_component(chart), 1) for chart in COMPARISON_CHARTS),
    (AssumptionsSummary, 2),
    (AssumptionsList, 2),
]


@solara.component
def Page():
    """Mesa's SolaraViz, with a model of its own for every browser tab."""
    model = solara.use_memo(WorkshopMarket, dependencies=[])
    SolaraViz(
        model,
        components=COMPONENTS,
        model_params=model_params,
        name="Woonruimteverdeling sociale huur / Social rental allocation",
    )


page = Page()  # Solara serves Page; `page` as in Mesa's examples
