"""A finished sweep as one HTML page: the policies' paired differences, point by point.

``python -m experiments report SWEEP_FOLDER --out report.html``. In a sweep
every design point runs under every scenario (policy) on the same seeds
(common random numbers), so at each point the difference B - A on the same
seed is the policy's effect there, without the noise between seeds. For each
scenario B after the first (A) and each outcome, the page shows:

* over all points: the median of the per-point differences, their 5-95% range
  across points, and at how many points B is better, worse or equal (where
  the registry gives the outcome a direction);
* per point: the parameters' values, A's and B's mean over the seeds and the
  mean paired difference (and its range over the seeds when there are
  several), as a table and as a figure.

All figures are in the outcomes' units (real persons, households, years,
euros: the runs are scaled up from their ``households_per_agent``).
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

from experiments.output import OutputError
from experiments.report import CSS, _number, _signed
from experiments.sweep import SpecError, load_manifest, load_sweep, scenario_key

MAX_OUTCOMES = 8  # outcomes on the page (the spec's first); summary.csv has them all


def command_sweep_report(args) -> int:
    """``report SWEEP_FOLDER --out FILE``: the options that set runs do not apply (refused)."""
    import time

    from model.base.errors import ParameterError

    for flag, value in (
        ("--seeds", args.seeds),
        ("--months", args.months),
        ("--households-per-agent", args.households_per_agent),
        ("--workers", args.workers),
    ):
        if value is not None:
            raise ParameterError(
                f"{flag} with a sweep's folder: the report reads the sweep's runs, it runs "
                "nothing; allowed: leave it out"
            )
    started = time.perf_counter()
    path = build_sweep_report(args.scenarios[0], args.out, lang=args.lang)
    print(f"wrote {path} ({time.perf_counter() - started:.0f} s)")
    return 0


def paired_differences(runs: pd.DataFrame, a: str, b: str, outcome: str) -> pd.DataFrame:
    """Per point: A's and B's mean over the seeds, and B - A paired by seed (mean, min, max)."""
    wide = runs.pivot_table(index=["point", "seed"], columns="scenario", values=outcome)
    diff = (wide[b] - wide[a]).groupby(level="point")
    table = pd.DataFrame(
        {
            "a_mean": wide[a].groupby(level="point").mean(),
            "b_mean": wide[b].groupby(level="point").mean(),
            "difference": diff.mean(),
            "difference_min": diff.min(),
            "difference_max": diff.max(),
            "seeds": diff.size(),
        }
    )
    return table.reset_index()


def verdicts(differences: pd.Series, higher_is: str) -> dict[str, int]:
    """At how many points B is better, worse or equal (empty for a neutral outcome)."""
    if higher_is == "neutral":
        return {}
    worse = differences > 0 if higher_is == "worse" else differences < 0
    better = differences < 0 if higher_is == "worse" else differences > 0
    return {
        "better": int(better.sum()),
        "worse": int(worse.sum()),
        "equal": int((differences == 0).sum()),
    }


def build_sweep_report(sweep: str | Path, out: str | Path, lang: str = "en") -> Path:
    """Write the page for a finished sweep (atomically) and return its path.

    Raises:
        OutputError: ``sweep`` holds no sweep, or ``out`` is a folder.
        SpecError: The sweep is unfinished, or has one scenario (nothing to pair).
    """
    sweep, out = Path(sweep), Path(out)
    manifest = load_manifest(sweep)
    if out.is_dir():
        raise OutputError(f"--out '{out}' is a folder; allowed: an .html file name")
    runs = load_sweep(sweep)
    if len(runs) < manifest["runs"]:
        raise SpecError(
            f"sweep '{sweep}' has {len(runs)} of its {manifest['runs']} runs; allowed: a finished "
            "sweep (python -m experiments sweep SPEC --resume)"
        )
    scenarios = [scenario_key(s) for s in manifest["scenarios"]]
    if len(scenarios) < 2:
        raise SpecError(f"sweep '{sweep}' has one scenario; allowed: a sweep of two or more")
    parts = [_head(manifest, sweep)]
    for b in scenarios[1:]:
        parts.append(_pair(runs, manifest, scenarios[0], b, lang))
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>'
        f"{html.escape(manifest['title'])}</title><style>{CSS}</style></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    return out


def _head(manifest: dict, sweep: Path) -> str:
    varied = ", ".join(
        f"<code>{html.escape(v['name'])}</code> "
        + (f"{v['low']:g} to {v['high']:g}" if v["values"] is None else f"in {list(v['values'])}")
        for v in manifest["varied"]
    )
    return (
        f"<h1>{html.escape(manifest['title'])}</h1><p>{html.escape(manifest['description'])}</p>"
        f"<p>Sweep <code>{html.escape(str(sweep))}</code>: a {manifest['design']['kind']} design "
        f"of {manifest['points']} points over {varied or 'nothing'}; each point under "
        f"{len(manifest['scenarios'])} scenarios on seeds {manifest['seeds']} (the same seeds "
        f"for every scenario: common random numbers), {manifest['months']} months at 1 agent = "
        f"{manifest['households_per_agent']} households, scaled up to real numbers. A paired "
        "difference is B - A at the same point on the same seed.</p>"
    )


def _pair(runs: pd.DataFrame, manifest: dict, a: str, b: str, lang: str) -> str:
    from experiments.naming import column_of
    from experiments.outcomes import OUTCOMES

    outcomes = manifest["outcomes"][:MAX_OUTCOMES]
    columns = [column_of(v["name"]) for v in manifest["varied"]]
    points = runs.groupby("point")[columns].first() if columns else None
    rows, details = [], []
    tables = {o: paired_differences(runs, a, b, o) for o in outcomes}
    for o in outcomes:
        rows.append(_summary_row(tables[o], OUTCOMES[o], lang))
        details.append(_point_table(tables[o], OUTCOMES[o], points, lang))
    return (
        f"<h2>{html.escape(b)} − {html.escape(a)}</h2>"
        "<table><tr><th>outcome</th><th>median over points</th><th>5–95% over points</th>"
        "<th>points where B is better / worse / equal</th></tr>"
        + "".join(rows)
        + "</table>"
        + _figure(tables, a, b, lang)
        + "<h3>Per point</h3>"
        + "".join(details)
    )


def _summary_row(table: pd.DataFrame, outcome, lang: str) -> str:
    d = table["difference"]
    counts = verdicts(d, outcome.higher_is)
    tally = (
        " / ".join(str(counts[k]) for k in ("better", "worse", "equal"))
        if counts
        else "– (neither better nor worse when higher)"
    )
    return (
        f"<tr><td>{html.escape(outcome.label[lang])}<br><small>{html.escape(outcome.unit)}"
        f"</small></td><td>{_signed(d.median(), outcome.unit)}</td><td>"
        f"{_signed(d.quantile(0.05), outcome.unit)} … {_signed(d.quantile(0.95), outcome.unit)}"
        f"</td><td>{tally}</td></tr>"
    )


def _point_table(table: pd.DataFrame, outcome, points: pd.DataFrame | None, lang: str) -> str:
    head = "".join(
        f"<th>{html.escape(c)}</th>" for c in (points.columns if points is not None else [])
    )
    rows = []
    for _, r in table.iterrows():
        values = (
            "".join(f"<td>{v:,.4g}</td>" for v in points.loc[r["point"]])
            if points is not None
            else ""
        )
        spread = ""
        if r["seeds"] > 1:
            spread = (
                f" <small>({_signed(r['difference_min'], outcome.unit)} … "
                f"{_signed(r['difference_max'], outcome.unit)})</small>"
            )
        rows.append(
            f"<tr><td>{int(r['point'])}</td>{values}<td>{_number(r['a_mean'], outcome.unit)}</td>"
            f"<td>{_number(r['b_mean'], outcome.unit)}</td><td><b>"
            f"{_signed(r['difference'], outcome.unit)}</b>{spread}</td></tr>"
        )
    return (
        f"<p><b>{html.escape(outcome.label[lang])}</b> <small>({html.escape(outcome.unit)}; "
        "the range over the seeds in brackets)</small></p><table><tr><th>point</th>"
        f"{head}<th>A</th><th>B</th><th>B − A</th></tr>{''.join(rows)}</table>"
    )


def _figure(tables: dict[str, pd.DataFrame], a: str, b: str, lang: str) -> str:
    from experiments.outcomes import OUTCOMES

    cols = min(3, len(tables))
    rows = -(-len(tables) // cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(4.3 * cols, 3.2 * rows), squeeze=False, constrained_layout=True
    )
    for ax, (name, table) in zip(axes.ravel(), tables.items(), strict=False):
        d = table.sort_values("difference")
        x = np.arange(len(d))
        ax.vlines(x, d["difference_min"], d["difference_max"], color="#bbb")
        ax.plot(x, d["difference"], "o", ms=3, color="#4c72b0")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(OUTCOMES[name].label[lang], fontsize=9)
        ax.set_ylabel(f"{b} − {a} ({OUTCOMES[name].unit})", fontsize=8)
        ax.set_xlabel("design points, sorted by the difference", fontsize=8)
    for ax in axes.ravel()[len(tables) :]:
        ax.set_visible(False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    return f'<img alt="figure" src="data:image/png;base64,{data}">'
