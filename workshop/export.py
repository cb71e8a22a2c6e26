"""The workshop's output: charts (PNG), the data behind them (CSV), a one-page summary (HTML).

The summary is one self-contained HTML file (charts inline as SVG, no links
to fetch): it opens offline, prints to one or two A4 pages (or PDF from the
browser's print dialog), and records the configuration, the app's version
and the seed, so that the result can be reproduced.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from model.presentation import GROUP_COLORS, GROUP_LABELS
from workshop import columns as col
from workshop import comparison as cmp
from workshop.charts import Chart, png, svg
from workshop.config import Config, version
from workshop.levers import value_text
from workshop.live import Frame
from workshop.text import money, number, t


def charts_zip(charts: Iterable[Chart]) -> bytes:
    """A zip of PNG images, one per chart (``<key>.png``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for chart in charts:
            z.writestr(f"{chart.key}.png", png(chart))
    return buffer.getvalue()


def data_zip(
    live: Mapping[str, Any] | None,
    comparison: cmp.Comparison | None,
    config: Config,
    lang: str,
) -> bytes:
    """A zip of CSV files: the live run's months (national, per region) and the comparison's.

    Args:
        live: ``LiveRun.export_data()``: monthly, regions, settings.
        comparison: The last comparison, if any.
        config: The configuration on screen (saved beside the data as ``settings.json``).
        lang: The language of the settings file.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("settings.json", config.to_json(lang))
        if live is not None:
            z.writestr("monthly.csv", live["monthly"].to_csv(index=False))
            z.writestr("monthly_by_region.csv", live["regions"].to_csv(index=False))
            z.writestr("run.json", json.dumps(live["settings"], indent=2, default=str))
        if comparison is not None:
            result = dict(comparison.result)
            result["a"], result["b"] = (
                s.title["en"] for s in (comparison.request.a, comparison.request.b)
            )
            with tempfile.TemporaryDirectory() as folder:
                from experiments.compare import write

                for path in write(result, Path(folder)):
                    z.write(path, f"comparison/{path.name}")
            for side, frame in comparison.regions.items():
                z.writestr(f"comparison/monthly_by_region_{side}.csv", frame.to_csv(index=False))
    return buffer.getvalue()


def _last_year_sum(series: np.ndarray) -> float:
    flows = np.asarray(series, float)[1:]
    recent = flows[-12:]
    return float(np.nansum(recent) * 12 / len(recent)) if len(recent) else float("nan")


def key_figures(frame: Frame, lang: str) -> list[tuple[str, str, str, str]]:
    """Per group: lettings over the last 12 months (a year), waiting now, registration time."""
    rows = []
    for g in col.GROUPS:
        lettings = _last_year_sum(frame.series.get(col.lettings(g), np.zeros(1)))
        waiting = frame.stats.get(col.waiting(g), float("nan"))
        regs = np.asarray(frame.series.get(col.registration_median(g), np.zeros(1)), float)[1:]
        reg = float(np.nanmean(regs[-12:])) if np.isfinite(regs[-12:]).any() else float("nan")
        rows.append(
            (
                GROUP_LABELS[lang][g],
                number(lettings, lang),
                number(waiting, lang),
                number(reg, lang, 1),
            )
        )
    return rows


CSS = """
body{font-family:Roboto,Helvetica,Arial,sans-serif;max-width:1000px;margin:24px auto;color:#222}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:13px} td,th{padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left} .small{font-size:12px;color:#555}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.better{background:#d8f0d8} .worse{background:#f8d7d4} .noise{color:#888}
.changed{background:#e8eaf6}
@media print{body{margin:0} h2{break-after:avoid} .grid{break-inside:avoid}}
"""


def summary_html(
    frame: Frame,
    charts: Iterable[Chart],
    config: Config,
    levers,
    lang: str,
    comparison: cmp.Comparison | None = None,
    comparison_charts: Iterable[Chart] = (),
    now: dt.datetime | None = None,
) -> str:
    """The one-page summary: configuration, key figures, charts, and the comparison if any."""
    now = now or dt.datetime.now()
    e = html.escape
    en = lang == "en"
    title = frame.title.get(lang, config.scenario)
    moved = [
        f"<li>{e(lever.label(lang))}: <b>{e(value_text(lever, value, config.scenario, lang))}</b>"
        f" ({e(t('lever_own', lang))})</li>"
        for lever in levers
        for key, value in config.levers
        if key == lever.key
    ]
    parts = [
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{e(t('app_title', lang))}: {e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(t('app_title', lang))}</h1>",
        f"<div class='small'>{'Summary' if en else 'Samenvatting'} · "
        f"{now:%Y-%m-%d %H:%M} · {'app version' if en else 'versie app'} {e(version())}</div>",
        f"<h2>{'Settings' if en else 'Instellingen'}</h2>",
        f"<p><b>{e(title)}</b>. {e(frame.description.get(lang, ''))}</p>",
        f"<p>{e(t('seed', lang))}: {config.seed} · {e(t('scale_note', lang, k=frame.scale))} · "
        f"{e(frame.month_text(lang))}</p>",
    ]
    if moved:
        parts.append(f"<p>{e(t('levers', lang))}:</p><ul>{''.join(moved)}</ul>")
    link = f"?{config.to_query(lang)}"
    parts.append(
        f"<p class='small'>{e(t('link', lang))}: <code>{e(link)}</code> "
        f"({'add to the app address' if en else 'achter het adres van de app'})</p>"
    )
    if frame.error:
        parts.append(f"<p><b>{e(t('invalid', lang))}</b>: {e(frame.error)}</p>")
    else:
        parts.append(_key_figures_html(frame, lang))
        parts.append("<div class='grid'>" + "".join(svg(c) for c in charts) + "</div>")
    if comparison is not None:
        parts.append(comparison_html(comparison, lang))
        parts.append("<div class='grid'>" + "".join(svg(c) for c in comparison_charts) + "</div>")
    parts.append(
        f"<p class='small'>{e(t('scale_note', lang, k=frame.scale))} "
        + (
            "Every parameter, its source and whether it is calibrated or assumed: "
            "docs/parameters.md and docs/assumptions.md in the model's repository."
            if en
            else "Alle parameters met bron, en of ze gekalibreerd of aangenomen zijn: "
            "docs/parameters.md en docs/assumptions.md in de repository van het model."
        )
        + "</p></body></html>"
    )
    return "".join(parts)


def comparison_html(comparison: cmp.Comparison, lang: str) -> str:
    """The comparison's sides, verdicts and table (also used on the page)."""
    e = html.escape
    request = comparison.request
    parts = [
        f"<h2>{e(t('compare_title', lang))}</h2>",
        f"<p>A: <b>{e(request.a.title[lang])}</b><br>B: <b>{e(request.b.title[lang])}</b></p>",
        f"<p class='small'>{e(setup_text(comparison, lang))}</p>",
        f"<h3>{e(t('verdicts', lang))}</h3><ul>",
    ]
    for _, name, phrases in cmp.verdicts(comparison, lang):
        parts.append(f"<li>{verdict_html(name, phrases, lang)}</li>")
    parts.append("</ul>")
    parts.append(table_html(comparison, lang))
    parts.append(f"<p class='small'>{e(t('band_note', lang))}</p>")
    return "".join(parts)


def setup_text(comparison: cmp.Comparison, lang: str) -> str:
    request = comparison.request
    return t(
        "compare_setup",
        lang,
        seeds=request.seeds,
        first=1,
        last=request.seeds,
        k=request.scale,
        years=request.years,
    )


def verdict_html(name: str, phrases: list[tuple[str, str]], lang: str) -> str:
    """A verdict line with its phrases coloured (green better, red worse for the group)."""
    e = html.escape
    if not phrases:
        return f"<span class='noise'>{e(cmp.verdict_text(name, phrases, lang))}</span>"
    spans = ", ".join(f"<span class='{kind}'>{e(p)}</span>" for p, kind in phrases)
    return f"<b>{e(name[0].upper() + name[1:])}</b>: {spans}."


def table_html(comparison: cmp.Comparison, lang: str) -> str:
    """The table of outcomes: A, B, the difference and its band, coloured by what it means."""
    e = html.escape
    head = (t("measure", lang), "A", "B", t("difference", lang), t("band", lang))
    out = ["<table class='compare'><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"]
    for row in cmp.rows(comparison):
        m = row.measure
        color = GROUP_COLORS.get(m.group, "#666")
        band = (
            f"{cmp.value_text(m.kind, row.low, lang, True)} … "
            f"{cmp.value_text(m.kind, row.high, lang, True)}"
        )
        out.append(
            f"<tr class='{row.verdict}' data-verdict='{row.verdict}' title='{e(m.description)}'>"
            f"<td><span style='color:{color}'>■</span> {e(m.label[lang == 'en'])}</td>"
            f"<td>{e(cmp.value_text(m.kind, row.a, lang))}</td>"
            f"<td>{e(cmp.value_text(m.kind, row.b, lang))}</td>"
            f"<td><b>{e(cmp.value_text(m.kind, row.difference, lang, True))}</b></td>"
            f"<td>{e(band)}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def frame_table(frame: Frame) -> pd.DataFrame:
    """The live charts' monthly figures as a table (for tests and quick looks)."""
    return pd.DataFrame({k: np.asarray(v, float) for k, v in frame.series.items()})


def _key_figures_html(frame: Frame, lang: str) -> str:
    """The key figures per group as a table, and reception in a sentence."""
    e = html.escape
    en = lang == "en"
    parts = []
    head = (
        (
            "group",
            "homes a year (last 12 months)",
            "waiting now",
            "registration years at letting",
        )
        if en
        else (
            "groep",
            "woningen per jaar (laatste 12 mnd)",
            "nu wachtend",
            "inschrijfduur bij toewijzing (jaren)",
        )
    )
    rows = "".join(
        "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in key_figures(frame, lang)
    )
    parts.append(
        f"<h2>{'Key figures' if en else 'Kerncijfers'}</h2><table><tr>"
        + "".join(f"<th>{e(h)}</th>" for h in head)
        + f"</tr>{rows}</table>"
    )
    reception = frame.stats.get(col.IN_RECEPTION, float("nan"))
    over = frame.stats.get(col.OVER_NORM, float("nan"))
    cost = frame.stats.get(col.RECEPTION_COST, float("nan")) * 12
    parts.append(
        f"<p>{e(t('in_reception', lang))}: <b>{number(reception, lang)}</b> "
        f"{e(t('persons', lang))}, {number(over, lang)} "
        f"{e(t('over_norm', lang, norm=frame.norm_weeks))}. {e(t('reception_cost', lang))}: "
        f"{e(money(cost, lang))} {e(t('per_year_now', lang))}.</p>"
    )
    return "".join(parts)
