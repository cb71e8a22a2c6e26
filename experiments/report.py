"""A workshop report: one self-contained HTML file comparing scenarios.

``python -m experiments report A B [C ...] --out report.html`` runs each
scenario on seeds 1..S (the same seeds for all: common random numbers) and
writes one HTML file, with no outside links, that opens in any browser
offline:

* figures: status holders in reception, the backlog, emergency places and
  reception cost per month, each scenario's median with its 5-95% band over
  seeds;
* per scenario B after the first (A): the registry's headline outcomes, A and
  B means and the paired difference B - A with its 5-95% band over seeds;
* each scenario's title, description and levers (the schedule the run
  applied and where each number comes from), in Dutch and English.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.output import OutputError
from experiments.sweep import RunTask, git_commit, model_version, run_all, scenario_key
from experiments.sweep_figures import scenario_colors
from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs

SERIES = (
    "status_holders_in_reception_persons",
    "reception_backlog_persons",
    "reception_emergency_persons",
    "reception_cost_eur",
)
TABLE = (
    "lettings_regular_households_per_year",
    "lettings_urgent_households_per_year",
    "lettings_status_holder_households_per_year",
    "registration_years_median_regular",
    "time_to_housing_years_median_regular",
    "time_in_reception_years_median",
    "still_in_reception_after_1_year_share",
    "status_holders_in_reception_end_persons",
    "reception_backlog_end_persons",
    "reception_emergency_mean_persons",
    "reception_cost_eur_per_year",
    "passed_over_regular_households_per_year",
    "housed_within_2_years_status_holder_share",
)
CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border-bottom:1px solid #e4e4e4;padding:.3em .6em;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}td.l{text-align:left}
.en{color:#666;font-size:.9em}.worse{color:#b22}.better{color:#272}
img{max-width:100%}small{color:#666}code{font-size:.9em}
"""


def _img(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return f'<img alt="" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}">'


def _both(nl: str, en: str) -> str:
    return f'{html.escape(nl)}<br><span class="en">{html.escape(en)}</span>'


def _number(value: float, unit: str) -> str:
    if pd.isna(value):
        return "–"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "years":
        return f"{value:.2f}"
    if unit.startswith("euro"):
        return f"€ {value / 1e6:,.0f} mln"
    return f"{value:,.0f}"


def _signed(value: float, unit: str) -> str:
    if pd.isna(value):
        return "–"
    if unit == "share":
        return f"{value * 100:+.1f} pp"
    if unit == "years":
        return f"{value:+.2f}"
    if unit.startswith("euro"):
        return f"€ {value / 1e6:+,.0f} mln"
    return f"{value:+,.0f}"


def run_scenarios(
    scenarios: list[str], seeds: int, months: int, scale: int, workers: int | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every scenario on seeds 1..S: (scalars, one row per run; monthly series, long)."""
    from experiments.outcomes import scalar_names

    tasks = [
        RunTask(
            f"{scenario_key(s)}_s{seed}",
            0,
            s,
            seed,
            months,
            scale,
            {},
            tuple(scalar_names()),
            SERIES,
        )
        for s in scenarios
        for seed in range(1, seeds + 1)
    ]
    from experiments.sweep import connect, execute

    rows, series = [], []
    with connect(workers, None) as backend:
        results = list(run_all(tasks, backend, execute))
    for task, result in results:
        if not result["ok"]:
            raise ParameterError(f"{task.scenario}, seed {task.seed}: {result['message']}")
        rows.append({"scenario": scenario_key(task.scenario), "seed": task.seed,
                     **result["values"]})  # fmt: skip
        s = result["series"]
        s.insert(0, "scenario", scenario_key(task.scenario))
        s.insert(1, "seed", task.seed)
        series.append(s)
    return pd.DataFrame(rows), pd.concat(series, ignore_index=True)


def differences(runs: pd.DataFrame, a: str, b: str, outcomes=TABLE) -> pd.DataFrame:
    """B - A per outcome, paired by seed: means, mean difference and its 5-95% band."""
    from experiments.outcomes import OUTCOMES

    ra = runs[runs["scenario"] == a].set_index("seed").sort_index()
    rb = runs[runs["scenario"] == b].set_index("seed").reindex(ra.index)
    rows = []
    for name in outcomes:
        d = (rb[name] - ra[name]).dropna()
        rows.append(
            {
                "outcome": name,
                "unit": OUTCOMES[name].unit,
                "a_mean": ra[name].mean(),
                "b_mean": rb[name].mean(),
                "difference_mean": d.mean() if len(d) else np.nan,
                "difference_p5": d.quantile(0.05) if len(d) else np.nan,
                "difference_p95": d.quantile(0.95) if len(d) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _figure(series: pd.DataFrame, scenarios: list[str], lang: str) -> str:
    from experiments.outcomes import OUTCOMES

    colors = scenario_colors(scenarios)
    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), constrained_layout=True)
    for ax, name in zip(axes.ravel(), SERIES, strict=True):
        mine = series[series["outcome"] == name]
        band = mine.groupby(["scenario", "date"])["value"].quantile([0.05, 0.5, 0.95]).unstack()
        for s, color in colors.items():
            b = band.loc[s]
            ax.plot(b.index, b[0.5], color=color, label=s)
            ax.fill_between(b.index, b[0.05], b[0.95], color=color, alpha=0.2, lw=0)
        ax.set_title(OUTCOMES[name].label[lang], fontsize=10)
        ax.set_ylabel(OUTCOMES[name].unit)
        ax.grid(alpha=0.3)
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[0, 0].legend(fontsize=8)
    return _img(fig)


def _levers_html(scenario: str, months: int, scale: int) -> str:
    """A scenario's title, description and levers, in Dutch and English."""
    from model.market import HousingMarket

    sdef, _, timeline = HousingMarket.check_settings(scenario, scale, None,
                                                     {"calendar.months": months})  # fmt: skip
    specs = parameter_specs()
    out = [f"<h3>{_both(sdef.title['nl'], sdef.title['en'])}</h3>"]
    out.append(f"<p>{html.escape(sdef.description['nl'])}</p>")
    out.append(f'<p class="en">{html.escape(sdef.description["en"])}</p>')
    names = [*sdef.parameters, *sdef.levers]
    if not names:
        out.append("<p><small>Geen hefbomen gezet / no levers set</small></p>")
        return "".join(out)
    rows = []
    for name in names:
        steps = timeline.schedule(name)
        text = "; ".join(
            f"{s['value']} {'vanaf / from ' + str(s['from']) if k else '(start)'}"
            for k, s in enumerate(steps)
        )
        spec = specs[name]
        rows.append(
            f"<tr><td class=l><code>{html.escape(name)}</code><br><small>{html.escape(spec.unit)}"
            f"</small></td><td class=l>{html.escape(text)}</td><td class=l><small>"
            f"{html.escape(spec.source)}</small></td></tr>"
        )
    out.append(
        "<table><tr><th>hefboom / lever</th><th>waarde / value</th>"
        "<th>bron of aanname / source or assumption</th></tr>" + "".join(rows) + "</table>"
    )
    return "".join(out)


def build_report(
    scenarios: list[str],
    out: str | Path,
    seeds: int = 5,
    months: int | None = None,
    scale: int | None = None,
    workers: int | None = None,
    lang: str = "nl",
) -> Path:
    """Run the scenarios and write the report (atomically: a hidden file, then renamed).

    Raises:
        ParameterError: A scenario or setting is invalid (nothing has run).
        OutputError: ``out`` is a folder or cannot be written.
    """
    # Long on purpose: one HTML page written section by section, in reading order.
    from experiments.outcomes import OUTCOMES
    from model.market import HousingMarket

    out = Path(out)
    if out.is_dir():
        raise OutputError(f"--out '{out}' is a folder; allowed: an .html file name")
    specs = parameter_specs()
    months = months or specs["calendar.months"].value
    scale = scale or specs["scale.households_per_agent"].value
    for s in scenarios:
        HousingMarket.check_settings(s, scale, None, {"calendar.months": months})
    keys = [scenario_key(s) for s in scenarios]
    if len(set(keys)) != len(keys):
        raise ParameterError(f"scenarios {keys} repeat one; allowed: each scenario once")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"--out '{out}': cannot create its folder ({err.strerror})") from None
    runs, series = run_scenarios(scenarios, seeds, months, scale, workers)

    parts = [
        f"<h1>{_both('Wie krijgt de sociale huurwoningen?', 'Who gets the social rental homes?')}"
        "</h1>",
        f"<p>{len(scenarios)} scenario's, {seeds} seeds (dezelfde voor elk scenario / the same "
        f"for every scenario), {months} maanden / months vanaf / from "
        f"{specs['calendar.start_date'].value}, 1 agent = {scale} huishoudens / households. "
        "Alle cijfers in echte huishoudens of personen / all figures in real households or "
        "persons. Banden: 5-95% over seeds / bands: 5-95% over seeds.</p>",
        "<h2>Opvang / Reception</h2>",
        _figure(series, keys, lang),
    ]
    a = keys[0]
    for b in keys[1:]:
        table = differences(runs, a, b)
        rows = []
        for _, r in table.iterrows():
            o = OUTCOMES[r["outcome"]]
            d = r["difference_mean"]
            tone = ""
            if o.higher_is != "neutral" and pd.notna(d) and d != 0:
                worse = (d > 0) == (o.higher_is == "worse")
                tone = ' class="worse"' if worse else ' class="better"'
            rows.append(
                f"<tr><td>{_both(o.label['nl'], o.label['en'])}<br><small>{o.unit}</small></td>"
                f"<td>{_number(r['a_mean'], o.unit)}</td><td>{_number(r['b_mean'], o.unit)}</td>"
                f"<td{tone}><b>{_signed(d, o.unit)}</b></td>"
                f"<td>{_signed(r['difference_p5'], o.unit)} … "
                f"{_signed(r['difference_p95'], o.unit)}</td></tr>"
            )
        parts.append(f"<h2>{html.escape(b)} − {html.escape(a)}</h2>")
        parts.append(
            "<table><tr><th>uitkomst / outcome</th><th>A</th><th>B</th>"
            "<th>verschil / difference B − A</th><th>5–95% over seeds</th></tr>"
            + "".join(rows)
            + "</table><p><small>Rood: slechter, groen: beter, waar dat eenduidig is / red: "
            "worse, green: better, where that is unambiguous.</small></p>"
        )
    parts.append("<h2>Scenario's en hefbomen / Scenarios and levers</h2>")
    for s in scenarios:
        parts.append(_levers_html(s, months, scale))
    parts.append(
        "<h2>Definities / Definitions</h2><table><tr><th>uitkomst / outcome</th>"
        "<th>definitie / definition</th></tr>"
        + "".join(
            f"<tr><td class=l>{_both(OUTCOMES[n].label['nl'], OUTCOMES[n].label['en'])}</td>"
            f"<td class=l><small>{html.escape(OUTCOMES[n].description)}</small></td></tr>"
            for n in TABLE
        )
        + "</table>"
    )
    parts.append(
        f"<p><small>Model {model_version()}, commit {git_commit()[:12]}, "
        f"{dt.datetime.now():%Y-%m-%d %H:%M}. python -m experiments report "
        f"{' '.join(scenarios)} --seeds {seeds} --months {months} "
        f"--households-per-agent {scale}</small></p>"
    )
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>Woonruimteverdeling: {html.escape(' / '.join(keys))}</title>"
        f"<style>{CSS}</style></head><body>{''.join(parts)}</body></html>\n"
    )
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return out
