"""The workshop's downloads: charts (PNG), the data behind them (CSV for Dutch spreadsheets).

The data are written for the tools a room uses: CSV files with headers in
words, semicolons between columns and decimal commas (Dutch Excel opens them
as columns), counts as whole households or persons; beside them, the model's
own tables as it writes them, for whoever works with the model itself. The
one-page handout is ``workshop.handout``; the comparison's table as HTML is
here, because the page and the handout share it.
"""

from __future__ import annotations

import html
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from model.reporting.presentation import GROUP_COLORS
from workshop import comparison as cmp
from workshop.charts import Chart, png
from workshop.config import Config
from workshop.headers import header
from workshop.text import t


def charts_zip(charts: Iterable[Chart]) -> bytes:
    """A zip of PNG images, one per chart (``<key>.png``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for chart in charts:
            z.writestr(f"{chart.key}.png", png(chart))
    return buffer.getvalue()


WHOLE_UNITS = ("_households", "_persons", "_dwellings")  # counts: whole households or persons
README = {
    "nl": (
        "Gegevens uit de workshop-app 'Wie krijgt de sociale huurwoning?'.\n\n"
        "maanden.csv: de run per maand, landelijk. regio-maanden.csv: per provincie en groep.\n"
        "vergelijking.csv: de vergelijking (A, B, het verschil en de band over de herhalingen).\n"
        "Kolommen gescheiden door puntkomma's, decimalen met een komma (Nederlandse Excel "
        "opent ze als kolommen); aantallen in hele huishoudens, personen of woningen.\n"
        "instellingen.json: de instellingen, om de run terug te halen in de app.\n"
        "technisch/: dezelfde tabellen zoals het model ze schrijft (Engelse kolomnamen, "
        "punt als decimaalteken), voor wie het model zelf gebruikt.\n"
    ),
    "en": (
        "Data from the workshop app 'Who gets the social rental home?'.\n\n"
        "maanden.csv: the run by month, national. regio-maanden.csv: by province and group.\n"
        "vergelijking.csv: the comparison (A, B, the difference and its band over the seeds).\n"
        "These files are written for Dutch spreadsheets (semicolons, decimal commas) with "
        "headers in the language of the app; counts are whole households, persons or homes.\n"
        "instellingen.json: the settings, to recall the run in the app.\n"
        "technisch/: the same tables as the model writes them (English column names, "
        "decimal points), for users of the model itself.\n"
    ),
}


def dutch_csv(frame: pd.DataFrame, lang: str = "nl") -> bytes:
    """A table as a CSV that Dutch spreadsheets open as columns.

    Headers in words (``workshop.headers``); semicolons between columns and
    decimal commas in Dutch (commas and points in English); counts of
    households, persons and homes as whole numbers; UTF-8 with a byte-order
    mark, so that Excel reads the accents.
    """
    out = frame.copy()
    for name in out.columns:
        if name.endswith(WHOLE_UNITS) and pd.api.types.is_numeric_dtype(out[name]):
            out[name] = out[name].round().astype("Int64")
        elif pd.api.types.is_float_dtype(out[name]):
            out[name] = out[name].round(4)
    out.columns = [header(c, lang) for c in out.columns]
    if lang == "nl":
        text = out.to_csv(index=False, sep=";", decimal=",")
    else:
        text = out.to_csv(index=False)
    return ("\ufeff" + text).encode("utf-8")


def comparison_table(comparison: cmp.Comparison, lang: str) -> pd.DataFrame:
    """The comparison's table as the page shows it, one row per measure, in words."""
    en = lang == "en"
    names = (
        ("measure", "group", "A", "B", "difference B - A", "band low (5%)", "band high (95%)")
        if en
        else ("maatstaf", "groep", "A", "B", "verschil B - A", "band laag (5%)", "band hoog (95%)")
    )
    rows = [
        (
            row.measure.label[en],
            cmp.group_name(row.measure.group, lang),
            row.a,
            row.b,
            row.difference,
            row.low,
            row.high,
        )
        for row in cmp.rows(comparison)
    ]
    return pd.DataFrame(rows, columns=list(names))


def data_zip(
    live: Mapping[str, Any] | None,
    comparison: cmp.Comparison | None,
    config: Config,
    levers,
    lang: str,
) -> bytes:
    """A zip of CSV files for Dutch spreadsheets, the settings, and the model's own tables.

    Args:
        live: ``LiveRun.export_data()``: monthly, regions, settings.
        comparison: The last comparison, if any.
        config: The configuration on screen (saved as ``instellingen.json``).
        levers: The lever table (for the comparison's names).
        lang: The language of the headers.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("LEESMIJ.txt", README[lang])
        z.writestr("instellingen.json", config.to_json(lang))
        if live is not None:
            z.writestr("maanden.csv", dutch_csv(live["monthly"], lang))
            z.writestr("regio-maanden.csv", dutch_csv(live["regions"], lang))
            z.writestr("technisch/monthly.csv", live["monthly"].to_csv(index=False))
            z.writestr("technisch/monthly_by_region.csv", live["regions"].to_csv(index=False))
            z.writestr("technisch/run.json", json.dumps(live["settings"], indent=2, default=str))
        if comparison is not None:
            _comparison_files(z, comparison, lang)
    return buffer.getvalue()


def _comparison_files(z: zipfile.ZipFile, comparison: cmp.Comparison, lang: str) -> None:
    """The comparison: its table for spreadsheets, the maps' figures, the model's files."""
    table = comparison_table(comparison, lang)
    text = (
        table.to_csv(index=False, sep=";", decimal=",")
        if lang == "nl"
        else table.to_csv(index=False)
    )
    sides = f"A: {comparison.request.a.title[lang]}\nB: {comparison.request.b.title[lang]}\n"
    z.writestr("vergelijking.csv", ("\ufeff" + text).encode("utf-8"))
    z.writestr("vergelijking-zijden.txt", sides)
    for side, frame in comparison.regions.items():
        z.writestr(f"vergelijking-regio-{side}.csv", dutch_csv(frame, lang))
    result = dict(comparison.result)
    result["a"], result["b"] = (s.title["en"] for s in (comparison.request.a, comparison.request.b))
    with tempfile.TemporaryDirectory() as folder:
        from experiments.compare import write

        for path in write(result, Path(folder)):
            z.write(path, f"technisch/vergelijking/{path.name}")


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
            f"<tr class='{row.verdict}' data-verdict='{row.verdict}'"
            + (f" title='{e(m.description)}'>" if lang == "en" else ">")  # English only
            + f"<td><span style='color:{color}'>■</span> {e(m.label[lang == 'en'])}</td>"
            f"<td>{e(cmp.value_text(m.kind, row.a, lang))}</td>"
            f"<td>{e(cmp.value_text(m.kind, row.b, lang))}</td>"
            f"<td><b>{e(cmp.value_text(m.kind, row.difference, lang, True))}</b></td>"
            f"<td>{e(band)}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)
