"""The history data and the validation report.

The observed inputs in model/inputs/data/history.toml each carry a source; the
validation report keeps calibration and validation apart and shows a failure
as a failure.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from importlib import resources

import pandas as pd
import pytest

from experiments import validation_report as vr
from model.base.calendar import NEVER, day_number

PERIOD_KEY = {
    "quarter": re.compile(r"^\d{4}-Q[1-4]$"),
    "half_year": re.compile(r"^\d{4}-H[12]$"),
    "year": re.compile(r"^\d{4}$"),
    "date": re.compile(r"^\d{4}-\d{2}-01$"),
}


def history() -> dict:
    text = resources.files("model.inputs").joinpath("data/history.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


SERIES = [name for name, table in history().items() if "values" in table]


@pytest.mark.parametrize("name", SERIES)
def test_every_observed_value_has_a_source_a_unit_and_a_valid_period(name):
    table = history()[name]
    assert table["unit"].strip(), f"{name}: no unit"
    pattern = PERIOD_KEY[table["period"]]
    assert table["values"], f"{name}: no values"
    for period, value in table["values"].items():
        assert pattern.match(period), f"{name}: {period!r} is not a {table['period']} key"
        assert isinstance(value, int | float) and value >= 0, f"{name} {period}: {value!r}"
        source = table["sources"].get(period, "")
        assert len(source) > 20, f"{name} {period}: no source"
        assert "http" in source or "derived:" in source, f"{name} {period}: source names no page"
    assert set(table["sources"]) == set(table["values"]), f"{name}: a source without a value"


def test_the_schema_the_model_reads_is_there():
    data = history()
    for name in ("first_applications", "family_arrivals"):
        assert data[name]["period"] == "quarter"
        assert data[name]["unit"] == "persons per quarter"
        assert "2022-Q1" in data[name]["values"]
    assert data["recognition_rate"]["unit"] == "share"
    assert all(0 < v < 1 for v in data["recognition_rate"]["values"].values())
    assert data["quota_targets"]["period"] == "half_year"
    assert data["quota_targets"]["values"]["2022-H2"] == 13500
    assert data["new_construction"]["unit"] == "dwellings per year"
    pending = data["pending_first_decision"]["values"]
    assert {"2022-01-01", "2026-01-01"} <= set(pending), "the stock awaiting a decision"
    assert data["permits_first"]["values"]["2022"] == 18710
    decision = data["reception_capacity_decision"]
    assert decision["regular_places"] == 50000 and decision["places_target"] == 88000
    assert data["not_found"]["items"], "what could not be found is written down"


def test_derived_values_show_their_arithmetic():
    """A value marked derived carries the numbers it came from."""
    for name in SERIES:
        for period, source in history()[name]["sources"].items():
            if source.startswith("derived:"):
                assert re.search(r"[=x/+-] ?\d", source), f"{name} {period}: no arithmetic"


# ------------------------------------------------------------------ comparison logic


def _monthly(values, start="2022-01-01", column="x"):
    """A monthly frame like Results.monthly: a start row, then one row per month."""
    dates = pd.date_range(start, periods=len(values), freq="MS")
    periods = [""] + [(d - pd.DateOffset(months=1)).strftime("%Y-%m") for d in dates[1:]]
    return pd.DataFrame({"date": dates, "period": periods, column: values})


def test_a_point_is_interpolated_between_snapshots_and_missing_outside_the_run():
    monthly = _monthly([0.0, 310.0, 590.0])  # 1 Jan, 1 Feb (31 days on), 1 Mar
    assert vr.point(monthly, ["x"], "2022-01-01") == 0
    assert vr.point(monthly, ["x"], "2022-01-11") == pytest.approx(100)
    assert vr.point(monthly, ["x"], "2022-02-15") == pytest.approx(310 + 280 * 14 / 28)
    assert math.isnan(vr.point(monthly, ["x"], "2021-12-31"))
    assert math.isnan(vr.point(monthly, ["x"], "2022-03-02"))


def test_a_year_is_the_sum_of_its_twelve_months_or_not_covered():
    monthly = _monthly([0.0] + [10.0] * 18)  # flows Jan 2022 .. Jun 2023
    monthly["y"] = [0.0] + [40.0] * 18
    assert vr.year_sum(monthly, ["x"], "2022") == 120
    assert vr.year_sum(monthly, ["x", "y"], "2022") == 600
    assert math.isnan(vr.year_sum(monthly, ["x"], "2023")), "half a year is not a year"
    assert vr.share(monthly, ["x"], ["x", "y"], "2022") == pytest.approx(0.2)
    assert math.isnan(vr.share(monthly, ["x"], ["y"], "2023"))


def test_the_half_year_backlog_is_net_of_leads_over_regions():
    half_years = pd.DataFrame(
        {
            "half_year": ["2022-H1", "2022-H1", "2022-H2", "2022-H2"],
            "backlog_after_persons": [300.0, 0.0, 0.0, 50.0],
            "lead_after_persons": [0.0, 100.0, 400.0, 0.0],
        }
    )
    assert vr.half_year_net_backlog(half_years, "2022-H1") == 200
    assert vr.half_year_net_backlog(half_years, "2022-H2") == -350
    assert math.isnan(vr.half_year_net_backlog(half_years, "2023-H1"))


def test_the_14_week_norm_of_a_permit_cohort():
    permit = day_number(dt.date(2025, 2, 1))
    rows = [  # group, entry_day, out_day, temporary_day, size, state
        (2, permit, permit + 50, NEVER, 1, 1),  # housed in 50 days: met
        (2, permit, NEVER, permit + 90, 2, 0),  # start-up home after 90 days: met
        (2, permit, permit + 200, NEVER, 3, 1),  # housed after 200 days: missed
        (2, permit, NEVER, NEVER, 4, 0),  # still in reception: missed
        (2, permit, permit + 30, NEVER, 5, 2),  # left on its own in 30 days: left out
        (2, permit, permit + 120, NEVER, 6, 2),  # left after the norm ran out: missed
        (0, permit, NEVER, NEVER, 100, 0),  # a regular seeker: not in the cohort
        (2, permit - 400, NEVER, NEVER, 100, 0),  # permit before the cohort
        # (and below: a housed status holder searching again, not from reception)
    ]
    households = pd.DataFrame(
        rows, columns=["group", "entry_day", "out_day", "temporary_day", "size", "state"]
    )
    households["registration_day"] = households["entry_day"]
    reentry = {"group": 2, "entry_day": permit, "out_day": NEVER, "temporary_day": NEVER,
               "size": 100, "state": 0, "registration_day": permit - 300}  # fmt: skip
    households = pd.concat([households, pd.DataFrame([reentry])], ignore_index=True)
    end = day_number(dt.date(2026, 1, 1))
    missed = vr.permit_cohort_missed_norm(households, end, "2025-01-01", "2025-07-01", 14)
    assert missed == pytest.approx((3 + 4 + 6) / (1 + 2 + 3 + 4 + 6))
    too_early = day_number(dt.date(2025, 9, 1))
    assert math.isnan(
        vr.permit_cohort_missed_norm(households, too_early, "2025-01-01", "2025-07-01", 14)
    )


def _target(value, tolerance, kind="relative", unit="persons"):
    return {
        "value": value,
        "tolerance": tolerance,
        "tolerance_kind": kind,
        "unit": unit,
        "date": "2022",
        "source": "a source",
        "compared_with": "a column",
        "tolerance_reason": "a reason",
    }


def test_a_known_series_gives_known_deviations_and_verdicts():
    t = _target(1000, 0.10)
    v = vr.judge(t, [1050.0, 1150.0])  # mean 1100: exactly at the edge
    assert (v.mean, v.low, v.high) == (1100, 1050, 1150)
    assert v.deviation == 100 and v.relative == pytest.approx(0.10)
    assert v.status == vr.PASS
    assert vr.judge(t, [1120.0, 1100.0]).status == vr.FAIL
    assert vr.judge(t, [880.0, 900.0]).status == vr.FAIL
    absolute = _target(-1793, 2500, "absolute")
    assert vr.judge(absolute, [600.0]).status == vr.PASS
    assert vr.judge(absolute, [800.0]).status == vr.FAIL
    assert vr.judge(absolute, [800.0]).deviation == 2593
    assert vr.judge(t, [1000.0, math.nan]).status == vr.NOT_COVERED
    shares = _target(0.07, 0.02, "absolute", unit="share of lettings")
    assert vr.judge(shares, [0.049]).status == vr.FAIL
    assert vr.judge(shares, [0.051]).status == vr.PASS


def test_a_published_range_is_met_by_a_value_or_a_range_inside_it():
    t = _target([2.5, 9.0], 0.15, unit="years")
    assert vr.judge(t, [5.0]).status == vr.PASS and vr.judge(t, [5.0]).deviation == 0
    assert vr.judge(t, [11.0]).status == vr.FAIL
    assert vr.judge(t, [11.0]).deviation == pytest.approx(2.0)
    inside = vr.judge(t, [(2.2, 9.5), (2.4, 10.0)])
    assert inside.is_range and (inside.low, inside.high) == (2.3, 9.75)
    assert inside.status == vr.PASS
    assert vr.judge(t, [(1.0, 9.0)]).status == vr.FAIL


def test_a_failing_row_shows_its_failure_and_its_cause_or_that_none_is_known():
    t = _target(1000, 0.10)
    failing = vr.judge(t, [2000.0])
    r = vr.row("figure", t, failing, None)
    assert r["verdict"] == "FAIL" and r["likely cause"] == "not known yet"
    assert r["deviation"] == "+1,000 (+100%)" and r["tolerance"] == "± 10%"
    assert vr.row("figure", t, failing, "a mechanism")["likely cause"] == "a mechanism"
    passing = vr.row("figure", t, vr.judge(t, [1000.0]), "a mechanism")
    assert passing["verdict"] == "pass" and passing["likely cause"] == ""


def test_every_validation_figure_says_how_it_is_compared():
    from model.inputs.parameters import published_targets

    kinds = {"point", "year_sum", "share", "half_year_housed", "half_year_net_backlog",
             "permit_cohort_missed_norm", "regional_registration"}  # fmt: skip
    for name, t in published_targets().items():
        assert t["use"] in ("calibration", "validation"), name
        assert t["compared_with"] and t["tolerance_reason"], name
        if t["use"] == "validation":
            assert t["compare"]["kind"] in kinds, name
        else:
            assert t["basis"] and t["run"] in ("first_year", "long_run", "formula", "history"), name
            if t["run"] == "history":
                assert t["compare"]["kind"] in kinds, name
        if "fits" in t:  # a fitted figure names a calibrated parameter
            from model.inputs.parameters import parameter_specs

            assert t["use"] == "calibration" and parameter_specs()[t["fits"]].calibrated, name


# ------------------------------------------------------------------ the report

SHORT = {"scale.allow_unvalidated": True}


@pytest.fixture(scope="module")
def short_history(tmp_path_factory):
    """A short history (2022-01 to 2023-06) at 1:50 with one figure made to fail."""
    from experiments import validate as validate_module
    from model.inputs.parameters import published_targets

    targets = {name: dict(t) for name, t in published_targets().items()}
    targets["lettings_2022"]["value"] = 1  # no run lets one home a year: must fail
    patch = pytest.MonkeyPatch()
    patch.setattr(validate_module, "published_targets", lambda: targets)
    try:
        report = validate_module.validate((1, 2), 50, "2022-01-01", "2023-07-01", parameters=SHORT)
    finally:
        patch.undo()
    folder = tmp_path_factory.mktemp("validation")
    files = vr.write_report(folder, report)
    return report, folder, files, targets


def test_the_report_has_its_files_and_both_tables(short_history):
    _, folder, files, _ = short_history
    for name in ("report.md", "report.html", "calibration.csv", "validation.csv"):
        assert name in files and (folder / name).stat().st_size > 0, name
    pngs = list((folder / "figures").glob("*.png"))
    assert len(pngs) == 5
    md = (folder / "report.md").read_text(encoding="utf-8")
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "## Validation: figures never used in fitting" in md
    assert "## Calibration: fitted figures and inputs shown back" in md
    assert md.count("![") == 5 and page.count("data:image/png;base64,") == 5
    assert "<h2>Validation" in page and "<h2>Calibration" in page


def test_every_row_has_a_source_and_a_tolerance_and_the_tables_are_disjoint(short_history):
    report, _, _, targets = short_history
    for table in (report.calibration, report.validation):
        assert (table["source"].str.len() > 10).all()
        assert table["tolerance"].str.startswith("±").all()
        assert table["verdict"].isin([vr.PASS, vr.FAIL, vr.NOT_COVERED]).all()
    cal, val = set(report.calibration["figure"]), set(report.validation["figure"])
    assert not cal & val
    assert cal == {n for n, t in targets.items() if t["use"] == "calibration"}
    assert val == {n for n, t in targets.items() if t["use"] == "validation"}


def test_a_failing_row_is_shown_as_failing(short_history):
    report, folder, _, _ = short_history
    rows = report.validation.set_index("figure")
    assert rows.loc["lettings_2022", "verdict"] == "FAIL"
    assert rows.loc["lettings_2022", "likely cause"]
    md = (folder / "report.md").read_text(encoding="utf-8")
    line = next(x for x in md.splitlines() if x.startswith("| lettings_2022 |"))
    assert "| FAIL |" in line
    assert '<td class="FAIL">FAIL</td>' in (folder / "report.html").read_text(encoding="utf-8")


def test_figures_after_the_run_are_not_covered_rather_than_passed(short_history):
    report, *_ = short_history
    rows = report.validation.set_index("figure")
    for name in ("quota_backlog_2024_h2", "status_holders_left_reception_2024",
                 "norm_14_weeks_missed_2025", "status_holder_lettings_2023"):  # fmt: skip
        assert rows.loc[name, "verdict"] == vr.NOT_COVERED, name
    assert rows.loc["reception_residents_2022_12", "verdict"] != vr.NOT_COVERED


def test_bad_dates_are_refused_with_the_parameter_named():
    from experiments.validate import validate
    from model.base.errors import ParameterError

    with pytest.raises(ParameterError, match="'until' = '2022-01-01' is not after"):
        validate((1,), 50, "2022-01-01", "2022-01-01", parameters=SHORT)
    with pytest.raises(ParameterError, match="'start'"):
        validate((1,), 50, "2022-13-01", "2023-01-01", parameters=SHORT)
    with pytest.raises(ParameterError, match="'seeds'"):
        validate((), 50, parameters=SHORT)


def test_the_results_go_into_the_docs_between_their_markers(short_history, tmp_path):
    report, *_ = short_history
    page = tmp_path / "validation.md"
    page.write_text(f"# Method\n\nkept\n\n{vr.DOCS_BEGIN}\nSTALE TABLE\n{vr.DOCS_END}\n\nafter\n")
    vr.write_docs_section(page, vr.docs_section(report, "Made today."))
    text = page.read_text()
    assert text.startswith("# Method\n\nkept\n") and text.endswith("\n\nafter\n")
    assert "STALE TABLE" not in text and "Made today." in text
    assert "**Validation: figures never used in fitting:" in text
    assert "| lettings_2022 |" in text and "Likely causes" in text  # lettings_2022 fails here
    bare = tmp_path / "bare.md"
    bare.write_text("no markers\n")
    with pytest.raises(ValueError, match="no results markers"):
        vr.write_docs_section(bare, "x")
    assert bare.read_text() == "no markers\n"
