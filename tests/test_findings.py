"""``python -m experiments findings`` writes every table of docs/findings.md, with numbers,
skips a refused setting visibly, and stops with a clear error when an outcome it needs is
missing."""

from __future__ import annotations

import re

import pytest

from experiments import findings
from experiments.cli import main
from model.market import HousingMarket


@pytest.mark.slow  # about 40 s: 45 short runs
def test_a_quick_run_writes_every_table_with_numbers(tmp_path, capsys):
    out = tmp_path / "findings.md"
    status = main(["findings", "--quick", "--out", str(out)])
    assert status == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    assert "model results under the named assumptions" in text
    assert "version 0." in text and "seeds 1-1" in text and "1 agent = 200 households" in text
    sections = text.split("\n## ")[1:]
    titles = [f.title for f in findings.FINDINGS]
    assert [s.splitlines()[0] for s in sections] == [*titles, findings.QUOTA_YEARS]
    for finding, section in zip(findings.FINDINGS, sections[: len(titles)], strict=True):
        for effect in finding.effects:
            row = next(
                line for line in section.splitlines() if line.startswith(f"| {effect.label} |")
            )
            # A, B, the central difference and the band: numbers, with the effect's unit
            assert len(re.findall(r"[+-]?[\d,]+(?:\.\d)?", row)) >= 6, row
        assert "| central |" in section
        assert "carried most by" in section
    package = sections[0]
    assert "Where the change comes from" in package and "Temporary lettings" in package
    # A setting the package refuses (inert) is skipped in sight, with the model's reason.
    assert "skipped: refused for 'cabinet-package'" in package
    assert "priority_without_quota_share" in package
    # The quota year by year: the start and the next 1 January for the three scenarios; the
    # abolished quota has no backlog (said, not a zero), its reception is still counted.
    years = sections[-1]
    backlog = years.split("**Backlog on the quota (persons)**")[1].split("**")[0]
    rows = [line for line in backlog.splitlines() if line.startswith("| 20")]
    assert [r.split(" | ")[0] for r in rows] == ["| 2026", "| 2027"]
    assert rows[1].endswith("| no quota |") and re.search(r"\| [\d,]+ \(", rows[1])
    reception = years.split("**Status holders in COA reception (persons)**")[1]
    assert "no quota" not in reception and reception.count(" to ") == 6


def test_a_missing_outcome_stops_the_findings(monkeypatch, tmp_path, capsys):
    class WithoutReception(HousingMarket):
        def run(self, *args, **kwargs):
            results = super().run(*args, **kwargs)
            del results.monthly["status_holders_in_reception_persons"]
            return results

    monkeypatch.setattr(findings, "HousingMarket", WithoutReception)
    out = tmp_path / "findings.md"
    status = main(["findings", "--quick", "--workers", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 1
    assert "status_holders_in_reception_persons" in err and "findings needs" in err
    assert not out.exists()


def test_the_supply_is_scaled_on_the_scenarios_own_dates():
    high = next(v for v in findings.variants() if v.key.startswith("supply") and v.side == "high")
    settings = high.settings(findings.load_scenario("cabinet-package"))
    assert settings["stock.startup_additions_per_year"] == [
        {"from": "preparation", "value": 4500},
        {"from": "2028-01-01", "value": 0},
    ]
    assert "not applicable" in high.settings(findings.load_scenario("current-policy"))


def test_a_coarse_scale_needs_quick(capsys):
    assert main(["findings", "--households-per-agent", "100"]) == 2
    assert "--quick" in capsys.readouterr().err


@pytest.mark.parametrize(("months", "label"), [(120, "in 2035"), (12, "last months")])
def test_the_report_period(months, label):
    import datetime as dt

    assert label in findings.report_period(dt.date(2026, 1, 1), months)[2]
