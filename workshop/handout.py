"""A one-page A4 handout per group: settings, verdict, four charts, the province map.

One self-contained HTML document (charts inline as SVG, nothing to fetch),
one printed A4 page per group: the facilitator prints the room's handouts at
once, or a group its own, from the browser (or saves them as PDF). What a
page holds:

* the group's name, its run's name (the scenario and the levers it moved),
  the seed, the months run, the app's version and the link that rebuilds it;
* the verdict: the group's last comparison (what changes from A to B, only
  where the band over the seeds excludes zero), else what happens in its run
  (``workshop.story``);
* the headline figures (``room.headline``), the four live charts with the
  policy phases, and the tile map of status holders housed per province.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from workshop import comparison as cmp
from workshop import regions as reg
from workshop import story
from workshop.charts import svg
from workshop.config import version
from workshop.levers import run_title, value_text
from workshop.room import Entry, headline
from workshop.text import t

CSS = """
@page { size: A4; margin: 10mm; }
body { font-family: Roboto, Helvetica, Arial, sans-serif; color: #222; margin: 0;
       font-size: 10pt; }
.page { width: 190mm; height: 276mm; overflow: hidden; break-after: page;
        margin: 0 auto 8mm auto; }
.page:last-child { break-after: auto; }
h1 { font-size: 15pt; margin: 0 0 1mm; } h2 { font-size: 11pt; margin: 3mm 0 1mm; }
.small { font-size: 8pt; color: #555; }
ul { margin: 1mm 0; padding-left: 5mm; } li { margin: 0.5mm 0; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 2mm; }
.charts svg { max-height: 52mm; }
.bottom { display: grid; grid-template-columns: 1fr 72mm; gap: 4mm; align-items: start; }
table { border-collapse: collapse; font-size: 9pt; } td { padding: 0.6mm 2mm; }
td:nth-child(2) { text-align: right; font-weight: 600; }
.better { background: #d8f0d8; } .worse { background: #f8d7d4; } .noise { color: #777; }
@media screen { body { background: #eee; } .page { background: white; padding: 8mm;
                box-shadow: 0 0 4px #aaa; margin-top: 6mm; } }
"""
MAP_MEASURE = "status_holders_housed"


def _settings(entry: Entry, levers, lang: str) -> str:
    e = html.escape
    config = entry.config
    moved = [
        f"<li>{e(lever.label(lang))}: <b>{e(value_text(lever, value, config.scenario, lang))}"
        f"</b></li>"
        for lever in levers
        for key, value in config.levers
        if key == lever.key
    ]
    frame = entry.frame
    reached = frame.month_text(lang) if frame is not None else ""
    levers_html = (
        f"<ul>{''.join(moved)}</ul>" if moved else f"<p>{e(t('handout_no_levers', lang))}</p>"
    )
    return (
        f"<p><b>{e(run_title(config.scenario, config.overrides, levers, lang))}</b><br>"
        f"<span class='small'>{e(t('seed', lang))} {config.seed} · {e(reached)} · "
        f"{e(t('scale_note', lang, k=frame.scale if frame is not None else 20))}</span></p>"
        f"{levers_html}"
    )


def _verdict(entry: Entry, lang: str) -> str:
    e = html.escape
    comparison = entry.comparison
    if comparison is not None:
        request = comparison.request
        items = "".join(
            f"<li>{verdict_html(name, phrases, lang)}</li>"
            for _, name, phrases in cmp.verdicts(comparison, lang)
        )
        return (
            f"<h2>{e(t('verdicts', lang))}</h2><p class='small'>A: {e(request.a.title[lang])}"
            f"<br>B: {e(request.b.title[lang])}<br>{e(setup_text(comparison, lang))}</p>"
            f"<ul>{items}</ul>"
        )
    sentences = story.story(entry.frame, lang)
    if not sentences:
        return ""
    items = "".join(f"<li>{e(s)}</li>" for s in sentences)
    return f"<h2>{e(t('story_title', lang))}</h2><ul>{items}</ul>"


def _figures(entry: Entry, lang: str) -> str:
    e = html.escape
    rows = "".join(
        f"<tr><td>{e(label)}</td><td>{e(value)}</td><td class='small'>{e(unit)}</td></tr>"
        for label, value, unit in headline(entry.frame, lang)
    )
    return f"<h2>{e(t('handout_figures', lang))}</h2><table>{rows}</table>" if rows else ""


def _map(entry: Entry, lang: str) -> str:
    measure = next(m for m in reg.MEASURES if m.key == MAP_MEASURE)
    figures = entry.regions() if entry.regions is not None else None
    if figures is None or not measure.available(figures):
        return f"<p class='small'>{html.escape(t('handout_no_map', lang))}</p>"
    values = measure.values(figures)
    scale = reg.shared_scale([values])
    title = measure.label[lang == "en"]
    return (
        reg.tile_map(measure, values, title, lang, scale, key=entry.key)
        + f"<div class='small'>{html.escape(measure.unit[lang == 'en'])}</div>"
    )


def page(entry: Entry, levers, charts, lang: str, now: dt.datetime) -> str:
    """One group's page."""
    e = html.escape
    frame = entry.frame
    pictures = ""
    if frame is not None and not frame.error:
        pictures = "".join(svg(build(frame, lang), 480, 262) for build in charts)
    link = f"?{entry.config.to_query(lang)}"
    return (
        f"<section class='page' data-group='{e(entry.name)}'>"
        f"<h1>{e(entry.name)}</h1>"
        f"<div class='small'>{e(t('app_title', lang))} · {now:%d-%m-%Y %H:%M} · "
        f"{e(t('version', lang))} {e(version())}</div>"
        f"{_settings(entry, levers, lang)}{_verdict(entry, lang)}"
        f"<div class='charts'>{pictures}</div>"
        f"<div class='bottom'><div>{_figures(entry, lang)}"
        f"<p class='small'>{e(t('link', lang))}: {e(link)}</p>"
        f"<p class='small'>{e(t('handout_sources', lang))}</p></div>"
        f"<div>{_map(entry, lang)}</div></div></section>"
    )


def document(
    entries: Sequence[Entry], levers, charts, lang: str, now: dt.datetime | None = None
) -> str:
    """The handouts of ``entries``, one A4 page each, as one HTML document."""
    now = now or dt.datetime.now()
    pages = "".join(page(entry, levers, charts, lang, now) for entry in entries)
    return (
        f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
        f"<title>{html.escape(t('handout_title', lang))}</title><style>{CSS}</style></head>"
        f"<body>{pages}</body></html>"
    )


def setup_text(comparison: cmp.Comparison, lang: str) -> str:
    """How the comparison was run: seeds, scale, years."""
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
