"""The workshop report: one self-contained HTML file, both languages, paired differences."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from experiments.cli import main
from experiments.report import TABLE, build_report, differences


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    build_report(["current-policy", "cabinet-package"], out, seeds=2, months=12, scale=20)
    return out.read_text(encoding="utf-8")


def test_the_report_is_one_self_contained_file(report):
    assert report.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", report)  # nothing fetched
    assert report.count("data:image/png;base64,") == 1


def test_the_report_has_both_languages_levers_and_differences(report):
    for text in ("Samenhangend pakket (kabinet)", "Cabinet package", "Huidig beleid",
                 "stock.flex_additions_per_year", "Statushouders in de opvang aan het eind",
                 "Status holders in reception at the end", "5–95% over seeds"):  # fmt: skip
        assert text in report, text


def test_a_scenario_against_itself_differs_by_zero():
    runs = pd.DataFrame(
        {
            "scenario": ["x", "x", "y", "y"],
            "seed": [1, 2, 1, 2],
            **{name: [1.0, 2.0, 1.0, 2.0] for name in TABLE},
        }
    )
    table = differences(runs, "x", "y")
    assert (table["difference_mean"] == 0).all() and (table["difference_p95"] == 0).all()


def test_a_bad_scenario_writes_nothing(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", "current-policy", "nope", "--out", str(out), "--seeds", "1"]) == 2
    assert "unknown scenario 'nope'" in capsys.readouterr().err
    assert not out.exists()
