"""The robust search's report: one self-contained HTML file a policy analyst can read.

It says what was searched (levers and their ranges, the uncertainties and
theirs, each with its source), how robustness was measured, which lever
combinations are robust (the Pareto set: none is better on every objective
than another), what each trades off (rank correlations over the Pareto set),
and how each policy's outcomes spread over the ensemble beside the reference
(the timeline with its levers as they are). Every number is in real persons,
households, years or euros; a run at 1 agent = N households is scaled up.
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.robust.spec import RobustSpec

CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
th,td{border-bottom:1px solid #e4e4e4;padding:.3em .6em;text-align:right;vertical-align:top}
th:first-child,td:first-child,td.l{text-align:left}tr.ref td{background:#f4f4f4;font-style:italic}
img{max-width:100%}small,.note{color:#555}code{font-size:.9em}li{margin:.3em 0}
"""
STRONG = 0.6  # |Spearman rank correlation| called a clear relation in the text


def _img(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    return f'<img alt="figure" src="data:image/png;base64,{data}">'


def _fmt(value: float, unit: str) -> str:
    if pd.isna(value):
        return "–"
    if unit == "share" or unit.startswith("share"):
        return f"{value:.1%}" if abs(value) <= 1.5 else f"{value:,.3g}"
    if unit.startswith("euro"):
        return f"€ {value / 1e6:,.0f} mln"
    if unit == "years":
        return f"{value:.2f}"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.3g}"


def _esc(text) -> str:
    return html.escape(str(text))


def write_report(
    path: Path, spec: RobustSpec, pareto: pd.DataFrame, convergence: pd.DataFrame, manifest: dict
) -> Path:
    """Write ``report.html`` (atomically) and return its path."""
    parts = [
        f"<h1>{_esc(spec.title)}</h1>",
        f"<p>{_esc(spec.description)}</p>" if spec.description else "",
        _setup(spec, manifest),
        _findings(spec, pareto),
        _pareto_table(spec, pareto),
        "<h2>The objectives side by side</h2>",
        _img(_parallel(spec, pareto)),
        "<p class=note>Each line is a policy of the Pareto set; up is better on every axis, "
        "each axis from the worst to the best value in the set (its unit and range under "
        "it). The dashed black line is the reference. Lines that cross between two axes "
        "show a trade-off.</p>",
        "<h2>How each policy's outcomes spread over the ensemble</h2>",
        _img(_spread(spec, pareto)),
        "<p class=note>Per policy: the median over the ensemble (dot), 10th to 90th percentile "
        "(bar) and the extremes (whiskers); each scenario's value is the mean over the seeds. "
        "The grey band is the reference's 10th to 90th percentile.</p>",
        "<h2>The levers of the Pareto set</h2>",
        _img(_levers(spec, pareto)),
        _convergence(spec, convergence),
        _ranges_table(spec),
    ]
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_esc(spec.title)}</title><style>{CSS}</style></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _setup(spec: RobustSpec, manifest: dict) -> str:
    from experiments.robust.search import describe_objective

    sessions = manifest.get("sessions", [])
    seconds = sum(s.get("seconds", 0) for s in sessions)
    ran = sum(s.get("ran", 0) for s in sessions)
    objectives = "".join(
        f"<li>{_esc(describe_objective(o))}; resolution {o.epsilon:g}</li>" for o in spec.objectives
    )
    return (
        "<h2>What was searched</h2>"
        f"<p>The policy timeline <code>{_esc(spec.timeline)}</code> (its dated steps held "
        f"fixed), with {len(spec.levers)} levers set by the search for the whole run, over "
        f"an ensemble of {spec.ensemble_size} scenarios (a Latin hypercube over "
        f"{len(spec.uncertainties)} uncertainties, seed {spec.ensemble_seed}). Every policy "
        f"ran on every scenario on seeds {', '.join(map(str, spec.seeds))} (the same for all: "
        f"common random numbers), {spec.months} months from {_start()}, at 1 agent "
        f"= {spec.households_per_agent} households; all figures are scaled up to real "
        f"households, persons and euros. Search: epsilon-NSGA-II (EMA workbench), "
        f"{spec.nfe} policies in populations of {spec.population}, seed {spec.search_seed}; "
        f"{ran} experiments run in {seconds / 60:.1f} minutes over {len(sessions)} "
        f"session(s).</p><p>Objectives (each over the whole ensemble):</p><ul>{objectives}</ul>"
    )


def _start() -> str:
    from model.inputs.parameters import parameter_specs

    return str(parameter_specs()["calendar.start_date"].value)


def _goodness(spec: RobustSpec, pareto: pd.DataFrame) -> pd.DataFrame:
    """The objectives signed so that higher is better (for correlations and the plot)."""
    from experiments.outcomes import OUTCOMES

    out = {}
    for o in spec.objectives:
        better_high = o.metric == "percentile" and OUTCOMES[o.outcome].higher_is == "better"
        out[o.name] = pareto[o.name] * (1 if better_high else -1)
    return pd.DataFrame(out)


def _findings(spec: RobustSpec, pareto: pd.DataFrame) -> str:
    """What the Pareto set says, in sentences derived from it."""
    from experiments.naming import column_of

    front = pareto[pareto["policy"] != "reference"]
    items = [
        f"{len(front)} policies are on the Pareto set: none of them is better than "
        "another on every objective."
    ]
    if len(front) >= 4:
        good = _goodness(spec, front)
        for name, (low, high) in spec.levers.items():
            items.extend(_lever_sentences(name, front[column_of(name)], low, high, good))
        items.extend(_trade_offs(spec, good))
    else:
        items.append(
            "Too few policies on the Pareto set to read relations from (four or more "
            "are needed); read the table."
        )
    items.append(_against_reference(spec, pareto))
    items.append(
        "Levers that cost nothing in the model (building more, say) go to the end of "
        "their range that helps; what they cost outside the model is for the analyst "
        "to weigh."
    )
    return "<h2>What the search says</h2><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _lever_sentences(
    name: str, values: pd.Series, low: float, high: float, good: pd.DataFrame
) -> list[str]:
    out = []
    span = high - low
    at_high = (values >= high - 0.02 * span).mean()
    at_low = (values <= low + 0.02 * span).mean()
    where = f"from {values.min():,.4g} to {values.max():,.4g} (searched: {low:,.4g} to {high:,.4g})"
    if max(at_high, at_low) >= 0.8:
        end = "upper" if at_high >= at_low else "lower"
        out.append(
            f"<b>{_esc(name)}</b> sits at the {end} end of its range in "
            f"{max(at_high, at_low):.0%} of the set: robust policies agree on it."
        )
    else:
        out.append(f"<b>{_esc(name)}</b> ranges {where} across the set.")
    for objective in good.columns:
        rho = values.rank().corr(good[objective].rank())
        if pd.notna(rho) and abs(rho) >= STRONG:
            better = "better" if rho > 0 else "worse"
            out.append(
                f"&nbsp;&nbsp;A higher {_esc(name)} goes with a {better} "
                f"<code>{_esc(objective)}</code> (rank correlation {rho:+.2f})."
            )
    return out


def _trade_offs(spec: RobustSpec, good: pd.DataFrame) -> list[str]:
    out = []
    names = list(good.columns)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            rho = good[a].rank().corr(good[b].rank())
            if pd.notna(rho) and rho <= -STRONG:
                out.append(
                    f"Trade-off: a better <code>{_esc(a)}</code> comes with a worse "
                    f"<code>{_esc(b)}</code> (rank correlation {rho:+.2f})."
                )
    if not out:
        out.append(
            "No pair of objectives is in clear conflict over the Pareto set "
            f"(no rank correlation below {-STRONG:+.1f})."
        )
    return out


def _against_reference(spec: RobustSpec, pareto: pd.DataFrame) -> str:
    front = pareto[pareto["policy"] != "reference"]
    good = _goodness(spec, pareto)
    beats = (good.iloc[:-1] >= good.iloc[-1]).all(axis=1)  # the reference is the last row
    named = ", ".join(front["policy"][beats.to_numpy()]) or "none"
    return (
        f"Policies at least as good as the reference on every objective: {_esc(named)} "
        f"({int(beats.sum())} of {len(front)})."
    )


def _pareto_table(spec: RobustSpec, pareto: pd.DataFrame) -> str:
    from experiments.naming import column_of
    from experiments.outcomes import OUTCOMES
    from model.inputs.parameters import parameter_specs

    specs = parameter_specs()
    head = "".join(
        f"<th>{_esc(n)}<br><small>{_esc(specs[n].unit)}</small></th>" for n in spec.levers
    )
    head += "".join(
        f"<th>{_esc(o.name)}<br><small>{_esc(OUTCOMES[o.outcome].unit)}</small></th>"
        for o in spec.objectives
    )
    rows = []
    for _, r in pareto.iterrows():
        cells = "".join(
            f"<td>{_lever(n, r[column_of(n)], spec.timeline)}</td>" for n in spec.levers
        )
        cells += "".join(
            f"<td>{_fmt(r[o.name], OUTCOMES[o.outcome].unit)}</td>" for o in spec.objectives
        )
        cls = ' class="ref"' if r["policy"] == "reference" else ""
        rows.append(f"<tr{cls}><td>{_esc(r['policy'])}</td>{cells}</tr>")
    return (
        "<h2>The Pareto set</h2><p>Each row a policy: its levers and its robustness per "
        "objective. The last row is the reference: the timeline with its levers as they are "
        "(their defaults, or the timeline's schedule). pareto.csv has the outcome ranges.</p>"
        f"<table><tr><th>policy</th>{head}</tr>{''.join(rows)}</table>"
    )


def _lever(name: str, value: float, timeline: str) -> str:
    """A lever's value; for the reference (no value): what the timeline runs with."""
    from model.inputs.parameters import parameter_specs
    from model.inputs.policy import load_scenario

    spec = parameter_specs()[name]
    if pd.isna(value):
        scenario = load_scenario(timeline)
        if name in scenario.levers or name in scenario.parameters:
            return "the timeline's"
        value = spec.value
    whole = isinstance(spec.value, int) and not isinstance(spec.value, bool)
    return f"{value:,.0f}" if whole else f"{value:.3g}"


def _parallel(spec: RobustSpec, pareto: pd.DataFrame):
    from experiments.outcomes import OUTCOMES

    good = _goodness(spec, pareto)
    low, high = good.min(), good.max()
    scaled = (good - low) / (high - low).replace(0, 1)
    fig, ax = plt.subplots(figsize=(10, 4.5), constrained_layout=True)
    x = np.arange(len(good.columns))
    for k, (_, row) in enumerate(scaled.iterrows()):
        ref = pareto["policy"].iloc[k] == "reference"
        ax.plot(
            x,
            row.to_numpy(),
            color="black" if ref else plt.cm.viridis(k / len(scaled)),
            ls="--" if ref else "-",
            lw=2 if ref else 1.2,
            alpha=0.9,
        )
    labels = []
    for o in spec.objectives:
        unit = OUTCOMES[o.outcome].unit
        raw = pareto[o.name]
        labels.append(f"{o.name}\n({unit})\n{_fmt(raw.min(), unit)} – {_fmt(raw.max(), unit)}")
    ax.set_xticks(x, labels, fontsize=7)
    ax.set_yticks([0, 1], ["worst shown", "best shown"])
    ax.grid(alpha=0.3, axis="x")
    return fig


def _spread(spec: RobustSpec, pareto: pd.DataFrame):
    from experiments.outcomes import OUTCOMES

    outcomes = sorted({o.outcome for o in spec.objectives})
    fig, axes = plt.subplots(
        1,
        len(outcomes),
        figsize=(4.2 * len(outcomes), 0.35 * len(pareto) + 1.5),
        constrained_layout=True,
        squeeze=False,
    )
    y = np.arange(len(pareto))[::-1]
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        p = {q: pareto[f"{outcome}_{q}"].to_numpy() for q in ("min", "p10", "median", "p90", "max")}
        ref = pareto.iloc[-1]
        ax.axvspan(ref[f"{outcome}_p10"], ref[f"{outcome}_p90"], color="#ddd", zorder=0)
        ax.hlines(y, p["min"], p["max"], color="#888", lw=1)
        ax.hlines(y, p["p10"], p["p90"], color="#4c72b0", lw=5)
        ax.plot(p["median"], y, "o", color="black", ms=4)
        ax.set_yticks(y, pareto["policy"], fontsize=7)
        ax.set_title(OUTCOMES[outcome].label["en"], fontsize=9)
        unit = OUTCOMES[outcome].unit
        if unit.startswith("euro"):
            ax.xaxis.set_major_formatter(lambda v, _: f"{v / 1e6:,.0f}")
            unit = f"million {unit}"
        ax.set_xlabel(unit)
        ax.grid(alpha=0.3, axis="x")
    return fig


def _levers(spec: RobustSpec, pareto: pd.DataFrame):
    from experiments.naming import column_of
    from model.inputs.parameters import parameter_specs

    specs = parameter_specs()
    front = pareto[pareto["policy"] != "reference"]
    fig, axes = plt.subplots(
        1,
        len(spec.levers),
        figsize=(3.3 * len(spec.levers), 3),
        constrained_layout=True,
        squeeze=False,
    )
    for ax, (name, (low, high)) in zip(axes[0], spec.levers.items(), strict=True):
        values = front[column_of(name)]
        ax.plot(values, np.arange(len(values)), "o", color="#4c72b0")
        ax.axvline(specs[name].value, color="black", ls="--", lw=1, label="default")
        ax.set_xlim(low - 0.02 * (high - low), high + 0.02 * (high - low))
        ax.set_yticks(range(len(values)), front["policy"], fontsize=6)
        ax.set_title(name, fontsize=8)
        ax.set_xlabel(specs[name].unit, fontsize=7, wrap=True)
        ax.tick_params(axis="x", labelsize=7)
    axes[0][0].legend(fontsize=7)
    return fig


def _convergence(spec: RobustSpec, convergence: pd.DataFrame) -> str:
    if convergence is None or "epsilon_progress" not in convergence:
        return ""
    last = convergence.iloc[-1]
    return (
        "<h2>Has the search settled?</h2><p>Epsilon progress (improvements to the archive of "
        f"non-dominated policies): {int(last['epsilon_progress'])} after {int(last['nfe'])} "
        "policies (convergence.csv has it per generation). A count still rising steeply at "
        "the end means more policies (<code>search.nfe</code>) could find better ones; with "
        "a small ensemble and few seeds read the set as a first map, not a final answer.</p>"
    )


def _ranges_table(spec: RobustSpec) -> str:
    from model.inputs.parameters import parameter_specs

    specs = parameter_specs()
    rows = []
    for role, table in (("lever", spec.levers), ("uncertainty", spec.uncertainties)):
        for name, (low, high) in table.items():
            p = specs[name]
            source = p.range_source if (low, high) == (p.low, p.high) else "this spec"
            rows.append(
                f"<tr><td class=l><code>{_esc(name)}</code></td><td class=l>{role}</td>"
                f"<td>{low:,.4g} – {high:,.4g}</td><td class=l><small>{_esc(p.unit)}"
                f"</small></td><td class=l><small>{_esc(source)}</small></td></tr>"
            )
    return (
        "<h2>Ranges and their sources</h2><table><tr><th>parameter</th><th>role</th>"
        "<th>range</th><th>unit</th><th>source of the range</th></tr>"
        + "".join(rows)
        + "</table><p class=note>Parameters not listed keep their defaults "
        "(docs/parameters.md) or the timeline's values.</p>"
    )
