"""The model beside published figures: measures, verdicts and the report.

Every published figure in model/inputs/data/targets.toml is either a calibration
figure (fitted, or an input shown back) or a validation figure (never used in
fitting). A validation figure carries a ``compare`` table that says which
model output it is compared with and how; :func:`measure` evaluates it on one
run's :class:`~model.results.Results`:

* ``point``: the columns (summed) at a date, interpolated linearly between the
  two monthly snapshots around it;
* ``year_sum``: monthly flows summed over a calendar year (all 12 months must
  be in the run);
* ``share``: a ratio of sums over a calendar year;
* ``half_year_net_backlog``: the quota's national backlog net of leads at the
  end of a half year (``Results.half_years``);
* ``permit_cohort_missed_norm``: of the status holders whose permit fell in a
  period, the share (persons) not out of reception within N weeks;
* ``regional_registration``: each province's median registration time at
  letting, against a published range (:func:`regional_registration`).

A figure the run does not cover (a date before its start or after its end)
gives NaN, and its verdict is "not covered", never a pass.

:func:`judge` turns the model's values over seeds into a row: the mean and
range, the deviation from the published figure and the verdict against the
tolerance written down in targets.toml. :func:`write_report` writes the
Markdown and HTML report with its figures.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib

from model.base.codes import GROUPS, State

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd

from model.base.calendar import NEVER, day_number

STATUS_HOLDER = GROUPS.index("status_holder")
PASS, FAIL, NOT_COVERED = "pass", "FAIL", "not covered"
NOT_KNOWN = "not known yet"


# ------------------------------------------------------------------ measures


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def point(monthly: pd.DataFrame, columns: Sequence[str], date: str) -> float:
    """The columns (summed) at ``date``, interpolated between the snapshots around it.

    NaN when the date is outside the run.
    """
    days = np.array([day_number(d.date()) for d in monthly["date"]])
    values = monthly[list(columns)].sum(axis=1).to_numpy(float)
    day = day_number(_date(date))
    if len(days) == 0 or day < days[0] or day > days[-1]:
        return math.nan
    return float(np.interp(day, days, values))


def _months_of(monthly: pd.DataFrame, period: str) -> pd.DataFrame:
    """The monthly rows whose flows belong to the calendar year ``period`` (all 12, or none)."""
    rows = monthly[monthly["period"].astype(str).str.startswith(f"{period}-")]
    return rows if len(rows) == 12 else rows.iloc[0:0]


def year_sum(monthly: pd.DataFrame, columns: Sequence[str], period: str) -> float:
    """Monthly flows summed over a calendar year; NaN unless all 12 months are in the run."""
    rows = _months_of(monthly, period)
    return float(rows[list(columns)].to_numpy(float).sum()) if len(rows) else math.nan


def share(
    monthly: pd.DataFrame, numerator: Sequence[str], denominator: Sequence[str], period: str
) -> float:
    """The ratio of sums over a calendar year; NaN unless the year is in the run."""
    top, bottom = year_sum(monthly, numerator, period), year_sum(monthly, denominator, period)
    return top / bottom if bottom > 0 else math.nan


def _half_year_rows(half_years: pd.DataFrame, half_year: str) -> pd.DataFrame | None:
    if len(half_years) == 0:
        return None
    rows = half_years[half_years["half_year"] == half_year]
    return rows if len(rows) else None


def half_year_housed(half_years: pd.DataFrame, half_year: str) -> float:
    """National persons housed for the quota in a half year."""
    rows = _half_year_rows(half_years, half_year)
    return math.nan if rows is None else float(rows["housed_persons"].sum())


def half_year_net_backlog(half_years: pd.DataFrame, half_year: str) -> float:
    """National persons behind the quota at the end of a half year, net of leads."""
    rows = _half_year_rows(half_years, half_year)
    if rows is None:
        return math.nan
    return float((rows["backlog_after_persons"] - rows["lead_after_persons"]).sum())


def permit_cohort_missed_norm(
    households: pd.DataFrame, end_day: int, start: str, stop: str, weeks: float
) -> float:
    """Of the status holders whose permit fell in [start, stop), the share (persons) not
    out of reception (a corporation home or a start-up home) ``weeks`` after the permit.

    Households that left the market otherwise before the norm ran out are left out
    (they neither met nor missed it), and so are housed status holders searching again
    because their family joined (they are not in reception). NaN when the run ends before
    the norm ran out for the whole cohort, or when the cohort is empty.
    """
    first, last, norm = day_number(_date(start)), day_number(_date(stop)), int(weeks * 7)
    if end_day < last - 1 + norm:
        return math.nan
    h = households[(households["group"] == STATUS_HOLDER)]
    # New status holders enter on their permit day (registration = entry); housed ones whose
    # family made the home too small re-enter later, from that home, not from reception.
    h = h[(h["entry_day"] >= first) & (h["entry_day"] < last)]
    h = h[h["registration_day"] == h["entry_day"]]
    out = np.where(h["state"] == State.HOUSED, h["out_day"], NEVER).astype(np.int64)
    out = np.minimum(out, h["temporary_day"].to_numpy(np.int64))
    deadline = h["entry_day"].to_numpy(np.int64) + norm
    left_early = (h["state"].to_numpy() == State.LEFT) & (
        h["out_day"].to_numpy(np.int64) <= deadline
    )
    left_early &= out > deadline
    persons = h["size"].to_numpy(float)[~left_early]
    missed = (out > deadline)[~left_early]
    return float(persons[missed].sum() / persons.sum()) if persons.sum() > 0 else math.nan


@dataclass(frozen=True)
class Regional:
    """Registration time at letting by province, over seeds."""

    table: pd.DataFrame  # region, mean, low, high (years), input (years), rank
    lowest: float  # the mean of the lowest province
    highest: float
    longest: tuple[str, ...]  # the provinces with the longest times, as many as expected
    expected_longest: tuple[str, ...]

    @property
    def order_holds(self) -> bool:
        return set(self.longest) == set(self.expected_longest)


def registration_medians(lettings: pd.DataFrame, start: str, stop: str) -> pd.Series:
    """Each province's median registration time at letting (years) of regular seekers
    housed on registration, lettings in [start, stop)."""
    mask = (lettings["group"] == "regular") & (lettings["route"] == "registration")
    mask &= (lettings["month"] >= pd.Timestamp(start)) & (lettings["month"] < pd.Timestamp(stop))
    return lettings[mask].groupby("region", observed=True)["registration_time_years"].median()


def regional_registration(runs, compare: dict, inputs: dict[str, float]) -> Regional:
    """Province medians over seeds, against the expected order of the longest."""
    per_run = pd.DataFrame(
        [registration_medians(r.lettings, compare["from"], compare["to"]) for r in runs]
    )
    expected = tuple(compare["longest"])
    table = pd.DataFrame(
        {
            "region": per_run.columns.astype(str),
            "mean_years": per_run.mean().to_numpy(),
            "low_years": per_run.min().to_numpy(),
            "high_years": per_run.max().to_numpy(),
            "input_years": [inputs.get(str(r), math.nan) for r in per_run.columns],
        }
    ).sort_values("mean_years", ascending=False, ignore_index=True)
    table["rank"] = np.arange(1, len(table) + 1)
    return Regional(
        table=table,
        lowest=float(table["mean_years"].min()) if len(table) else math.nan,
        highest=float(table["mean_years"].max()) if len(table) else math.nan,
        longest=tuple(table["region"].iloc[: len(expected)]),
        expected_longest=expected,
    )


def measure(results, compare: dict) -> float:
    """One run's value of a figure, by its ``compare`` table (targets.toml)."""
    kind = compare["kind"]
    if kind == "point":
        return point(results.monthly, compare["columns"], compare["date"])
    if kind == "year_sum":
        return year_sum(results.monthly, compare["columns"], compare["period"])
    if kind == "share":
        return share(
            results.monthly, compare["numerator"], compare["denominator"], compare["period"]
        )
    if kind == "half_year_net_backlog":
        return half_year_net_backlog(results.half_years, compare["half_year"])
    if kind == "half_year_housed":
        return half_year_housed(results.half_years, compare["half_year"])
    if kind == "permit_cohort_missed_norm":
        return permit_cohort_missed_norm(
            results.households, results.end_day, compare["from"], compare["to"], compare["weeks"]
        )
    raise ValueError(
        f"compare kind {kind!r}; allowed: point, year_sum, share, half_year_housed, "
        "half_year_net_backlog, "
        "permit_cohort_missed_norm, regional_registration"
    )


# ------------------------------------------------------------------ verdicts


def acceptable(target: dict) -> tuple[float, float]:
    """The band of model values that pass: the published value or range widened by the
    tolerance (relative to the value, or absolute in its unit)."""
    value = target["value"]
    lo, hi = value if isinstance(value, list) else (value, value)
    tol = target["tolerance"]
    if target.get("tolerance_kind", "relative") == "absolute":
        return lo - tol, hi + tol
    return lo - tol * abs(lo), hi + tol * abs(hi)


@dataclass(frozen=True)
class Verdict:
    """The model's value beside a published figure.

    Attributes:
        mean, low, high: The model's mean and range over seeds; for a figure whose
            model value is itself a range (``is_range``), ``low`` and ``high`` are the
            mean low end and mean high end, and ``mean`` is ``low``.
        deviation: Model minus published (for a published range: how far outside it;
            0 inside), in the figure's unit; NaN when not covered.
        relative: ``deviation`` as a share of the published value (NaN for a range).
        status: "pass", "FAIL" or "not covered".
    """

    mean: float
    low: float
    high: float
    deviation: float
    relative: float
    status: str
    is_range: bool = False


def judge(target: dict, values: Sequence[float] | Sequence[tuple[float, float]]) -> Verdict:
    """The verdict on the mean over seeds.

    ``values`` holds one model value per seed; for a published range each value may be
    a (low end, high end) pair, which must lie inside the widened range.
    """
    lo_ok, hi_ok = acceptable(target)
    published = target["value"]
    if len(values) and isinstance(values[0], tuple):
        lows = np.array([v[0] for v in values], float)
        highs = np.array([v[1] for v in values], float)
        if np.isnan(lows).any() or np.isnan(highs).any():
            return Verdict(math.nan, math.nan, math.nan, math.nan, math.nan, NOT_COVERED)
        low, high = float(lows.mean()), float(highs.mean())
        dev = min(low - published[0], 0.0) + max(high - published[1], 0.0)
        ok = lo_ok <= low and high <= hi_ok
        return Verdict(low, low, high, dev, math.nan, PASS if ok else FAIL, is_range=True)
    arr = np.asarray(values, float)
    if len(arr) == 0 or np.isnan(arr).any():
        return Verdict(math.nan, math.nan, math.nan, math.nan, math.nan, NOT_COVERED)
    mean = float(arr.mean())
    if isinstance(published, list):
        dev = min(mean - published[0], 0.0) + max(mean - published[1], 0.0)
        rel = math.nan
    else:
        dev = mean - published
        rel = dev / abs(published) if published else math.nan
    ok = lo_ok <= mean <= hi_ok
    return Verdict(mean, float(arr.min()), float(arr.max()), dev, rel, PASS if ok else FAIL)


# ------------------------------------------------------------------ formatting


def kind_of(unit: str) -> str:
    """How a figure's numbers are shown: 'share', 'years' or 'count'."""
    u = unit.lower()
    if u.startswith(("share", "relative growth")):  # a rate per year is shown as a share
        return "share"
    if u.startswith("years"):
        return "years"
    return "count"


def fmt(value: float, unit: str, signed: bool = False) -> str:
    """A number in its unit's style: shares in per cent, years to one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "+" if signed else ""
    kind = kind_of(unit)
    if kind == "share":
        return f"{value * 100:{sign},.1f}" + (" points" if signed else "%")
    if kind == "years":
        return f"{value:{sign},.1f}"
    return f"{value:{sign},.0f}"


def published_text(target: dict) -> str:
    value, unit = target["value"], target["unit"]
    if isinstance(value, list):
        return f"{fmt(value[0], unit)} to {fmt(value[1], unit)}"
    return fmt(value, unit)


def tolerance_text(target: dict) -> str:
    tol, unit = target["tolerance"], target["unit"]
    if target.get("tolerance_kind", "relative") == "absolute":
        return "± " + fmt(tol, unit).replace("%", " points")
    return f"± {tol:.0%}"


def model_text(verdict: Verdict, target: dict) -> str:
    unit = target["unit"]
    if verdict.status == NOT_COVERED:
        return "not in the run"
    if verdict.is_range:
        return f"{fmt(verdict.low, unit)} to {fmt(verdict.high, unit)}"
    return f"{fmt(verdict.mean, unit)} ({fmt(verdict.low, unit)} to {fmt(verdict.high, unit)})"


def deviation_text(verdict: Verdict, target: dict) -> str:
    if verdict.status == NOT_COVERED:
        return "–"
    unit = target["unit"]
    text = fmt(verdict.deviation, unit, signed=True)
    relative = target.get("tolerance_kind", "relative") == "relative"
    if relative and not math.isnan(verdict.relative) and kind_of(unit) == "count":
        text += f" ({verdict.relative:+.0%})"
    return text


def row(name: str, target: dict, verdict: Verdict, cause: str | None) -> dict:
    """One table row of the report (every cell a string)."""
    return {
        "figure": name,
        "date": str(target["date"]),
        "published": published_text(target),
        "unit": target["unit"],
        "model (mean, range over seeds)": model_text(verdict, target),
        "deviation": deviation_text(verdict, target),
        "tolerance": tolerance_text(target),
        "verdict": verdict.status,
        "likely cause": (cause or NOT_KNOWN) if verdict.status == FAIL else "",
        "source": target["source"],
        "compared with": target["compared_with"],
        "basis or caveat": target.get("basis", target.get("caveat", "")),
        "tolerance reason": target["tolerance_reason"],
    }


def likely_causes() -> dict[str, str]:
    """What is thought to cause each failure (experiments/validation_causes.py)."""
    from experiments.validation_causes import CAUSES

    return dict(CAUSES)


# ------------------------------------------------------------------ figures


def band(runs, columns: Sequence[str]) -> pd.DataFrame:
    """Per snapshot date: the mean, 5% and 95% over seeds of the columns' sum."""
    stacked = pd.DataFrame(
        {i: r.monthly.set_index("date")[list(columns)].sum(axis=1) for i, r in enumerate(runs)}
    )
    return pd.DataFrame(
        {
            "mean": stacked.mean(axis=1),
            "p5": stacked.quantile(0.05, axis=1),
            "p95": stacked.quantile(0.95, axis=1),
        }
    )


def yearly(runs, compare_of_year) -> pd.DataFrame:
    """Per complete calendar year of the runs: mean, 5% and 95% over seeds of a yearly
    figure; ``compare_of_year(year)`` gives the measure's compare table."""
    years = sorted(
        {int(p[:4]) for r in runs for p in r.monthly["period"].dropna().astype(str) if p}
    )
    rows = []
    for year in years:
        values = np.array([measure(r, compare_of_year(str(year))) for r in runs], float)
        if np.isnan(values).any():
            continue
        rows.append(
            {
                "year": year,
                "mean": values.mean(),
                "p5": np.quantile(values, 0.05),
                "p95": np.quantile(values, 0.95),
            }
        )
    return pd.DataFrame(rows, columns=["year", "mean", "p5", "p95"])


@dataclass(frozen=True)
class Point:
    """A published point on a figure."""

    date: pd.Timestamp
    value: float
    label: str
    use: str  # calibration (an input: drawn hollow) or validation (drawn filled)


def _thousands(ax) -> None:
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def _points(ax, points: Sequence[Point], scale: float = 1.0) -> None:
    for p in points:
        filled = p.use == "validation"
        ax.plot(
            p.date,
            p.value * scale,
            "o",
            ms=7,
            color="black",
            mfc="black" if filled else "white",
            zorder=5,
        )
        ax.annotate(
            p.label,
            (p.date, p.value * scale),
            textcoords="offset points",
            xytext=(4, 6),
            fontsize=7,
        )


def path_figure(
    runs,
    columns: Sequence[str],
    title: str,
    ylabel: str,
    points: Sequence[Point],
    sources: str,
    extra=None,
):
    """The model's monthly path (mean and 5-95% band over seeds) with published points."""
    b = band(runs, columns)
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    ax.fill_between(
        b.index, b["p5"], b["p95"], color="tab:blue", alpha=0.25, label="model, 5-95% over seeds"
    )
    ax.plot(b.index, b["mean"], color="tab:blue", label="model, mean")
    if extra is not None:
        extra(ax)
    _points(ax, points)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
    _thousands(ax)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    fig.text(
        0.01,
        0.01,
        "Published (filled: validation; hollow: input or calibration): " + sources,
        fontsize=6,
        wrap=True,
    )
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def bar_figure(
    table: pd.DataFrame,
    title: str,
    ylabel: str,
    published: dict[int, tuple],
    sources: str,
    scale: float = 1.0,
):
    """Yearly model values (mean with 5-95% whiskers) beside published yearly figures."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    x = table["year"].to_numpy()
    err = np.vstack([table["mean"] - table["p5"], table["p95"] - table["mean"]]) * scale
    ax.bar(
        x - 0.2,
        table["mean"] * scale,
        width=0.4,
        color="tab:blue",
        yerr=err,
        capsize=3,
        label="model, mean (5-95% over seeds)",
    )
    years = sorted(published)
    ax.bar(
        [y + 0.2 for y in years],
        [published[y][0] * scale for y in years],
        width=0.4,
        color=["black" if published[y][1] == "validation" else "white" for y in years],
        edgecolor="black",
        label="published (filled: validation)",
    )
    ax.set_xticks(sorted(set(x) | set(years)))
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3, axis="y")
    _thousands(ax)
    ax.legend(fontsize=7, loc="lower left")
    fig.text(0.01, 0.01, "Published: " + sources, fontsize=6, wrap=True)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


def png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


# ------------------------------------------------------------------ the report

CSS = (
    "body{font-family:sans-serif;max-width:1200px;margin:auto;padding:1em;color:#222}"
    "table{border-collapse:collapse;font-size:12px;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}"
    "th{background:#eee}.FAIL{background:#f8d0d0;font-weight:bold}.pass{background:#d8f0d8}"
    "small{color:#555}img{max-width:100%}"
)

TABLE_COLUMNS = [
    "figure",
    "date",
    "published",
    "model (mean, range over seeds)",
    "deviation",
    "tolerance",
    "verdict",
    "likely cause",
    "source",
]


def markdown_table(frame: pd.DataFrame, columns: Sequence[str]) -> str:
    def cell(text) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r[c]) for c in columns) + " |" for _, r in frame.iterrows()]
    return "\n".join(lines)


def html_table(frame: pd.DataFrame, columns: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for _, r in frame.iterrows():
        cells = []
        for c in columns:
            text = html.escape(str(r[c]))
            if c == "figure":
                text = (
                    f"<b>{text}</b><br><small>{html.escape(r['unit'])}; "
                    f"compared with: {html.escape(r['compared with'])}"
                    + (f"; {html.escape(r['basis or caveat'])}" if r["basis or caveat"] else "")
                    + "</small>"
                )
            if c == "tolerance":
                text += f"<br><small>{html.escape(r['tolerance reason'])}</small>"
            cls = f' class="{r["verdict"]}"' if c == "verdict" else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def summary_line(frame: pd.DataFrame) -> str:
    counts = frame["verdict"].value_counts()
    return (
        f"{counts.get(PASS, 0)} pass, {counts.get(FAIL, 0)} fail, "
        f"{counts.get(NOT_COVERED, 0)} not covered by the run, of {len(frame)}"
    )


def _tables(report) -> list[tuple[str, pd.DataFrame, str]]:
    return [
        ("Validation: figures never used in fitting", report.validation, report.validation_intro),
        ("Calibration: fitted figures and inputs shown back", report.calibration,
         report.calibration_intro),
    ]  # fmt: skip


def report_markdown(report) -> str:
    """The report as Markdown (figures as files in figures/)."""
    md = [f"# {report.title}", ""]
    for note in report.notes:
        md += [note, ""]
    md += ["## The model's path beside the published points", ""]
    for name, caption in report.captions.items():
        md += [f"![{caption}](figures/{name}.png)", "", f"*{caption}*", ""]
    for title, frame, intro in _tables(report):
        md += [f"## {title}", "", intro, "", summary_line(frame), ""]
        md += [markdown_table(frame, TABLE_COLUMNS), ""]
    md += ["## Registration time at letting by province", "", report.regional_text, ""]
    md += [markdown_table(report.regional_rows, list(report.regional_rows.columns)), ""]
    md += ["## How this was made", ""]
    for line in report.method:
        md += [line, ""]
    return "\n".join(md) + "\n"


def report_html(report, images: dict[str, bytes]) -> str:
    """The report as one self-contained HTML page (figures embedded as base64 PNG)."""
    esc = html.escape
    parts = [f"<h1>{esc(report.title)}</h1>", *(f"<p>{esc(n)}</p>" for n in report.notes)]
    parts.append("<h2>The model's path beside the published points</h2>")
    for name, caption in report.captions.items():
        b64 = base64.b64encode(images[name]).decode()
        parts.append(
            f'<figure><img alt="{esc(caption)}" src="data:image/png;base64,{b64}">'
            f"<figcaption><small>{esc(caption)}</small></figcaption></figure>"
        )
    for title, frame, intro in _tables(report):
        parts += [f"<h2>{esc(title)}</h2>", f"<p>{esc(intro)}</p>"]
        parts += [f"<p><b>{esc(summary_line(frame))}</b></p>", html_table(frame, TABLE_COLUMNS)]
    parts += ["<h2>Registration time at letting by province</h2>"]
    parts += [f"<p>{esc(report.regional_text)}</p>", html_table_plain(report.regional_rows)]
    parts += ["<h2>How this was made</h2>", *(f"<p>{esc(m)}</p>" for m in report.method)]
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{esc(report.title)}'
        f"</title><style>{CSS}</style></head><body>{''.join(parts)}</body></html>\n"
    )


def write_report(folder: Path, report) -> list[str]:
    """Write report.md, report.html, the figures and the tables into ``folder``.

    ``report`` is an :class:`experiments.validate.Validation`. Returns the file names.
    """
    folder = Path(folder)
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    images = {name: png(fig) for name, fig in report.figures.items()}
    for name, data in images.items():
        (folder / "figures" / f"{name}.png").write_bytes(data)
    report.calibration.to_csv(folder / "calibration.csv", index=False)
    report.validation.to_csv(folder / "validation.csv", index=False)
    report.regional.table.to_csv(folder / "regional.csv", index=False)
    (folder / "report.md").write_text(report_markdown(report), encoding="utf-8")
    (folder / "report.html").write_text(report_html(report, images), encoding="utf-8")
    tables = ["calibration.csv", "validation.csv", "regional.csv"]
    return ["report.md", "report.html", *tables, *(f"figures/{n}.png" for n in images)]


def html_table_plain(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in r) + "</tr>"
        for r in frame.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


# ------------------------------------------------------------------ docs/validation.md

DOCS_BEGIN = "<!-- results: written by `python -m experiments validate --docs` -->"
DOCS_END = "<!-- end of results -->"
DOCS_COLUMNS = ["figure", "date", "published", "model (mean, range over seeds)", "tolerance",
                "verdict"]  # fmt: skip


def docs_section(report, made: str) -> str:
    """The results part of docs/validation.md: the tables and, for each failure, its likely
    cause; ``made`` says when and how the run was made."""
    md = [DOCS_BEGIN, "", made, ""]
    for title, frame, _ in _tables(report):
        md += [f"**{title}: {summary_line(frame)}.**", ""]
        md += [markdown_table(frame, DOCS_COLUMNS), ""]
    failures = report.validation[report.validation["verdict"] == FAIL]
    if len(failures):
        md += ["Likely causes of the validation failures "
               "(`experiments/validation_causes.py`):", ""]  # fmt: skip
        md += [f"* **{r['figure']}**: {r['likely cause']}" for _, r in failures.iterrows()]
        md += [""]
    md += [DOCS_END]
    return "\n".join(md)


def write_docs_section(path: Path, section: str) -> None:
    """Replace the results part of ``path`` (between its markers) with ``section``.

    Raises:
        ValueError: The file lacks the markers (nothing is written).
    """
    text = Path(path).read_text(encoding="utf-8")
    begin, end = text.find(DOCS_BEGIN), text.find(DOCS_END)
    if begin < 0 or end < begin:
        raise ValueError(f"{path}: no results markers ({DOCS_BEGIN} ... {DOCS_END})")
    new = text[:begin] + section + text[end + len(DOCS_END) :]
    Path(path).write_text(new, encoding="utf-8")
