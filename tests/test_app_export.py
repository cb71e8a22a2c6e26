"""What the room reads and takes home: axes, policy phases, the run's story, twelve-month
medians, Dutch column headers and CSV, the one-page handout, plain text without code."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import re
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from model.inputs.parameters import parameter_specs
from model.inputs.policy import load_scenario, scenario_names
from workshop import charts, export, handout, headers, live, phases, room, story
from workshop import columns as col
from workshop import config as cfg
from workshop.names import plain
from workshop.text import rounded

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
app = importlib.import_module("app")
DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]{3,}\b")
MONTHS = 40


@pytest.fixture(scope="module")
def package():
    """The cabinet package with 31,000 new homes a year, 40 months: past its four phases."""
    run = live.LiveRun(cfg.Config("cabinet-package", levers=(("nieuwbouw", 31000),)), app.LEVERS)
    run.want_regions = True
    run.run_to(MONTHS)
    return run, run.frame()


# ---------------------------------------------------------------- axes and phases


def test_tick_labels_have_the_decimals_their_step_needs():
    ticks = charts.nice_ticks(0, 9.6)
    assert ticks == [0.0, 2.5, 5.0, 7.5, 10.0]
    step = ticks[1] - ticks[0]
    assert [charts.tick_text(v, step, "nl") for v in ticks] == [
        "0,0", "2,5", "5,0", "7,5", "10,0",
    ]  # fmt: skip
    assert charts.tick_text(-0.25, 0.25, "nl") == "−0,25"
    assert charts.tick_text(20_000, 10_000, "nl") == "20.000"


def test_the_png_export_has_the_screens_axis_from_zero(package):
    from matplotlib.figure import Figure

    chart = live.lettings_chart(package[1], "nl")
    lo, hi, ticks = charts.axis(chart, chart.lines)
    assert lo == 0 and ticks[0] == 0
    ax = Figure().subplots()
    charts._png_panel(chart, ax, np.asarray(chart.x, float), list(chart.lines))
    assert ax.get_ylim() == (lo, hi)
    step = ticks[1] - ticks[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        charts.tick_text(v, step, "nl") for v in ticks
    ]
    assert charts.png(chart).startswith(b"\x89PNG")


def test_the_policy_phases_come_from_the_runs_own_timeline():
    package = phases.of_config(cfg.Config("cabinet-package"), app.LEVERS)
    assert [(m.key, m.date) for m in package] == [
        ("ban", dt.date(2026, 7, 1)),
        ("normalisation", dt.date(2027, 7, 1)),
        ("sft_end", dt.date(2028, 1, 1)),
        ("quota_end", dt.date(2028, 7, 1)),
    ]
    delayed = phases.of_config(cfg.Config("cabinet-package", levers=(("uitstel", 6),)), app.LEVERS)
    assert [m.date for m in delayed][:2] == [dt.date(2027, 1, 1), dt.date(2028, 1, 1)]
    assert [m.key for m in phases.of_config(cfg.Config(), app.LEVERS)] == ["sft_end"]
    assert [m.key for m in phases.of_config(cfg.Config("abolish-quota"), app.LEVERS)] == [
        "quota_end", "sft_end",
    ]  # fmt: skip
    merged = phases.merged(package, phases.of_config(cfg.Config(), app.LEVERS))
    assert [m.label("nl") for m in merged][:2] == ["A: verbod op voorrang", "A: normalisatie"]


def test_every_live_chart_shows_the_phases(package):
    frame = package[1]
    for build in live.LIVE_CHARTS:
        picture = charts.svg(build(frame, "nl"))
        assert picture.count('class="mark"') == 4
        for label in ("verbod op voorrang", "normalisatie", "einde SFT", "taakstelling vervalt"):
            assert label in picture


# ---------------------------------------------------------------- what the room reads


def test_the_run_is_named_with_its_levers_everywhere(package):
    run, frame = package
    name = "Samenhangend pakket (kabinet), eigen keuze: nieuwbouw 31.000"
    assert frame.title["nl"] == name
    assert frame.title["en"] == "Cabinet package, own choice: new homes 31,000"
    entry = room.Entry("k", "gemeente", run.config, frame, None, run.regions)
    page = handout.document([entry], app.LEVERS, live.LIVE_CHARTS, "nl")
    assert name in page


def test_registration_times_are_medians_over_the_last_twelve_months(package):
    run, frame = package
    lettings = run.model.results().lettings
    last = lettings[lettings["month"] > lettings["month"].max() - pd.DateOffset(months=12)]
    for group in col.GROUPS:
        expected = last.loc[last["group"] == group, "registration_time_years"].median()
        assert frame.series[col.registration_rolling(group)][-1] == pytest.approx(expected)
    monthly = frame.series[col.registration_median("status_holder")][-24:]
    rolling = frame.series[col.registration_rolling("status_holder")][-24:]
    assert np.nanstd(np.diff(rolling)) < np.nanstd(np.diff(monthly)) / 2  # far less noise


def test_what_happens_is_written_from_the_runs_own_figures(package):
    _, frame = package
    sentences = story.story(frame, "nl")
    homes = rounded(np.nansum(frame.series[col.lettings("status_holder")][-12:]), "nl")
    assert f"en {homes} statushouders (huishoudens) een woning" in sentences[0]
    assert any(s.startswith("Na het verbod op voorrang (jul 2026)") for s in sentences)
    persons = rounded(frame.series[col.IN_RECEPTION][-1], "nl")
    assert any(f"In de COA-opvang wonen nu {persons} statushouders" in s for s in sentences)
    assert all(not re.search(r"\bagent", s) for s in sentences)
    assert story.story(live.LiveRun(cfg.Config(), app.LEVERS).frame(), "nl") == []


def test_scenario_texts_and_sources_carry_no_code_or_file_names():
    for name in scenario_names():
        for lang in ("nl", "en"):
            text = plain(load_scenario(name).description[lang], lang)
            assert not DOTTED.search(text), (name, text)
    text = plain(load_scenario("abolish-quota").description["nl"], "nl")
    assert "‘Deel van hun bereidheid dat gemeenten zonder taakstelling houden’" in text
    for name, spec in parameter_specs().items():
        source = plain(spec.source, "en")
        assert "python -m" not in source and not re.search(r"\.py\b|\bagents?\b", source), name
        assert not [w for w in DOTTED.findall(source) if w in parameter_specs()], name


# ---------------------------------------------------------------- downloads


def test_every_column_has_a_dutch_header(package):
    run, _ = package
    data = run.export_data()
    for table in (data["monthly"], data["regions"]):
        names = [headers.header(c, "nl") for c in table.columns]
        assert len(set(names)) == len(names)
        for column, name in zip(table.columns, names, strict=True):
            assert "_" not in name and name != column, column
            # named in Dutch, not the fallback (the code name's English words)
            english = headers.header(column, "en")
            assert name.split(" (")[0] != english.split(" (")[0], column
    assert headers.header("lettings_status_holder_households") == (
        "toewijzingen statushouders (huishoudens)"
    )
    assert headers.header("registration_years_at_letting_median_regular") == (
        "inschrijfduur bij toewijzing, mediaan reguliere woningzoekenden (jaren)"
    )


def test_the_csv_opens_as_columns_with_dutch_decimal_commas_and_whole_persons(package):
    run, _ = package
    data = zipfile.ZipFile(io.BytesIO(export.data_zip(run.export_data(), None, cfg.Config(),
                                                      app.LEVERS, "nl")))  # fmt: skip
    raw = data.read("maanden.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert len(rows) == MONTHS + 2 and len({len(r) for r in rows}) == 1 and len(rows[0]) > 100
    head = rows[0]
    assert head[0] == "datum" and "toewijzingen statushouders (huishoudens)" in head
    median = head.index("inschrijfduur bij toewijzing, mediaan reguliere woningzoekenden (jaren)")
    assert re.fullmatch(r"\d+,\d+", rows[-1][median])  # a decimal comma
    persons = head.index("statushouders in de opvang (personen)")
    assert all(re.fullmatch(r"-?\d+", r[persons]) for r in rows[1:])  # whole persons
    frame = pd.read_csv(io.StringIO(raw), sep=";", decimal=",")
    assert frame.iloc[-1, median] == pytest.approx(
        run.export_data()["monthly"]["registration_years_at_letting_median_regular"].iloc[-1],
        abs=1e-4,
    )
    assert "LEESMIJ.txt" in data.namelist() and "technisch/monthly.csv" in data.namelist()


def test_the_handout_is_one_a4_page_per_group(package):
    run, frame = package
    entries = [
        room.Entry("a", "gemeente", run.config, frame, None, run.regions),
        room.Entry("b", "COA", cfg.Config(), None, None, None),
    ]
    page = handout.document(entries, app.LEVERS, live.LIVE_CHARTS, "nl")
    assert page.count("<section class='page'") == 2 and "size: A4" in page
    first = page.split("<section class='page'")[1]
    assert first.count('class="chart"') == 4 and 'class="tilemap"' in first
    assert "Wat er gebeurt" in first and "Kerncijfers" in first
    assert "Nieuwbouw sociale huur: <b>31.000 woningen per jaar</b>" in first
    assert not re.search(r"(src|href)=['\"]?https?:", page)  # nothing to fetch: works offline
    assert not re.search(r"\bagents?\b", page)
