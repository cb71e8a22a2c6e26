"""Bad or edge input gets one clear line (exit 2, or ParameterError in the API), before
anything is run or written; settings that would never take effect are refused.

Each case here once gave a traceback, a hang, a silent no-op or a misleading
result. The command-line cases run ``experiments.cli.main`` in-process and
read what it printed; a case must exit 2 with exactly one line on stderr.
"""

from __future__ import annotations

import json
import math
import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.cli import main
from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs
from model.inputs.policy import load_scenario
from model.market import HousingMarket
from model.reporting.displacement import epf_horizon

QUICK = ["--months", "1", "--households-per-agent", "20"]
HEADER = 'title = { nl = "t", en = "t" }\ndescription = { nl = "d", en = "d" }\n'


def refused(args: list[str], capsys) -> str:
    """Run the command line; assert it exits 2 with one line; return that line."""
    status = main(args)
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert status == 2, err
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ------------------------------------------------------------- inert settings


@pytest.mark.parametrize(
    "setting",
    [
        "allocation.lottery_share=0.2@2200-01-01",
        "allocation.lottery_share=0.2@9999-12-01",
        "allocation.lottery_share=0.2@2026-02-01",  # the run below ends on that day
    ],
)
def test_a_dated_value_from_the_runs_end_on_is_refused(setting, tmp_path, capsys):
    line = refused(["run", *QUICK, "--out", str(tmp_path / "o"), "--set", setting], capsys)
    assert "when the run has ended" in line and "allocation.lottery_share" in line
    assert not (tmp_path / "o").exists()


def test_a_scenario_file_dated_after_its_end_is_refused(tmp_path):
    path = tmp_path / "late.toml"
    path.write_text(
        HEADER + '[levers]\n"allocation.lottery_share" = [{ from = "9999-12-01", value = 0.2 }]\n'
    )
    with pytest.raises(ParameterError, match="when the run has ended"):
        HousingMarket.check_settings(str(path))


def test_a_setting_inert_for_the_whole_short_run_is_refused(tmp_path, capsys):
    """The ban comes after a one-month run, so the rate without priority never applies."""
    line = refused(
        ["run", *QUICK, "--out", str(tmp_path / "o"),
         "--set", "status_holders.exit_self_found_per_year_without_priority=0.05"],
        capsys,
    )  # fmt: skip
    assert "has no effect in this run" in line


def test_the_same_setting_acts_in_a_run_that_reaches_the_ban():
    HousingMarket.check_settings(
        "cabinet-package",
        20,
        None,
        {"calendar.months": 24, "status_holders.exit_self_found_per_year_without_priority": 0.05},
    )


@pytest.mark.parametrize(
    "value",
    [
        "allocation.lottery_share=0.1\nstock.new_construction_per_year=5",
        "allocation.lottery_share=0.1\r",
        "allocation.lottery_share=\t0.1",
    ],
)
def test_a_set_value_with_a_line_break_or_control_character_is_refused(value, tmp_path, capsys):
    line = refused(["run", *QUICK, "--out", str(tmp_path / "o"), "--set", value], capsys)
    assert "control character" in line


# ------------------------------------------------------------- scenario files


@pytest.mark.parametrize("inherits", ["./self", "self.toml", "../x/self", "/tmp/self", "a b"])
def test_inherits_takes_a_scenario_name_not_a_path(inherits, tmp_path):
    path = tmp_path / "self.toml"
    path.write_text(HEADER + f"inherits = {json.dumps(inherits)}\n")
    with pytest.raises(ParameterError, match="the name of a scenario"):
        load_scenario(path)


def test_an_inheritance_cycle_is_found_through_a_link(tmp_path):
    (tmp_path / "self.toml").write_text(HEADER + 'inherits = "other"\n')
    (tmp_path / "other.toml").symlink_to(tmp_path / "self.toml")
    with pytest.raises(ParameterError, match="makes a cycle"):
        load_scenario(tmp_path / "self.toml")


def _deep(depth: int = 5000) -> str:
    return HEADER + '[levers]\n"allocation.lottery_share" = ' + "[" * depth + "]" * depth + "\n"


@pytest.mark.parametrize("command", ["run", "scale-check"])
def test_a_scenario_nested_too_deeply_is_refused(command, tmp_path, capsys):
    path = tmp_path / "deep.toml"
    path.write_text(_deep())
    extra = ["--out", str(tmp_path / "o")] if command == "run" else ["--seeds", "1"]
    line = refused([command, "--scenario", str(path), "--months", "1", *extra], capsys)
    assert "nested too deeply" in line


def test_a_set_value_nested_too_deeply_is_refused(tmp_path, capsys):
    deep = "[" * 5000 + "]" * 5000
    line = refused(
        ["run", *QUICK, "--out", str(tmp_path / "o"), "--set", f"allocation.lottery_share={deep}"],
        capsys,
    )
    assert "nested too deeply" in line


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "folder", "too-large", "binary"])
def test_a_scenario_file_that_is_not_a_small_text_file_is_refused_at_once(kind, tmp_path):
    path = tmp_path / "s.toml"
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer forever
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")  # reading it would never end
    elif kind == "folder":
        path.mkdir()
    elif kind == "too-large":
        path.write_text(HEADER + "# " + "x" * 2_000_000 + "\n")
    else:
        path.write_bytes(b"\x00\x01" * 100)
    with pytest.raises(ParameterError, match=r"s\.toml"):
        load_scenario(path)


# ------------------------------------------------------------- maxima


@pytest.mark.parametrize("value", [1e12, 1e300, math.inf])
def test_inflows_have_a_maximum(value):
    with pytest.raises(ParameterError, match=r"asylum\.applications_central"):
        HousingMarket.check_settings(
            "current-policy", None, None, {"asylum.applications_central": [value, 1, 1, 1]}
        )


def test_every_number_has_a_range():
    """No inflow or other number is unbounded: each has a minimum and a maximum."""
    open_ended = [
        name
        for name, spec in parameter_specs().items()
        if isinstance(spec.value, int | float | list)
        and not isinstance(spec.value, bool)
        and not (isinstance(spec.value, list) and spec.value and isinstance(spec.value[0], str))
        and (spec.minimum is None or spec.maximum is None)
    ]
    assert not open_ended


def test_a_documented_fractional_minimum_is_accepted():
    """A parameter whose allowed range starts at 0.5 takes 0.5, not only whole numbers."""
    fractional = {
        name: spec.minimum
        for name, spec in parameter_specs().items()
        if isinstance(spec.minimum, float) and not spec.minimum.is_integer()
    }
    assert "asylum.decision_months_min" in fractional
    for name, minimum in fractional.items():
        HousingMarket.check_settings("current-policy", None, None, {name: minimum})


def test_run_until_a_far_date_is_refused():
    model = HousingMarket(households_per_agent=100, parameters={"scale.allow_unvalidated": True})
    with pytest.raises(ParameterError, match="at most 600 months"):
        model.run(until="9999-12-01")
    assert model.month == -1  # nothing was simulated


# ------------------------------------------------------------- compare


@pytest.mark.parametrize(
    ("months", "years"), [(120, 2.0), (25, 2.0), (24, 1.0), (18, 0.75), (12, 0.5), (11, None)]
)
def test_the_equal_playing_field_horizon_fits_the_run(months, years):
    chosen, note = epf_horizon(months)
    assert chosen == years
    assert bool(note) == (months <= 24)


def test_compare_of_a_two_year_run_chooses_a_fitting_horizon(tmp_path, capsys):
    out = tmp_path / "cmp"
    status = main(
        ["compare", "current-policy", "current-policy", "--seeds", "1", "--months", "24",
         "--households-per-agent", "20", "--workers", "1", "--out", str(out)]
    )  # fmt: skip
    assert status == 0, capsys.readouterr().err
    assert "N = 1 year" in capsys.readouterr().out
    epf = (out / "equal_playing_field.csv").read_text()
    assert "nan" not in epf.lower()
    compared = (out / "compare.csv").read_text()
    assert "housed_within_years_share" not in compared  # no empty rows


def test_compare_refuses_a_horizon_that_does_not_fit(tmp_path, capsys):
    line = refused(
        ["compare", "current-policy", "abolish-quota", "--months", "24", "--years", "3",
         "--out", str(tmp_path / "o")],
        capsys,
    )  # fmt: skip
    assert "'years'" in line
    with pytest.raises(ParameterError, match="'years'"):
        epf_horizon(24, 3.0)


# ------------------------------------------------------------- smaller cases


@pytest.mark.parametrize(
    ("out", "expected"),
    [("", "current folder"), (".", "current folder"), ("..", "current folder"),
     ("x" * 250, "at most 200")],
)  # fmt: skip
def test_an_out_folder_that_cannot_be_replaced_safely_is_refused(out, expected, capsys):
    line = refused(["run", *QUICK, "--out", out], capsys)
    assert expected in line


def test_a_repeated_flag_is_refused(tmp_path, capsys):
    line = refused(["run", *QUICK, "--seed", "1", "--seed", "2", "--out", str(tmp_path)], capsys)
    assert "--seed is given twice" in line


@pytest.mark.parametrize("digit", ["٥", "５", "5.0", "1e3"])
def test_only_ascii_whole_numbers_are_seeds(digit, tmp_path, capsys):
    line = refused(["run", *QUICK, "--seed", digit, "--out", str(tmp_path / "o")], capsys)
    assert "whole number" in line


@pytest.mark.parametrize("parameters", ["abc", ["allocation.lottery_share"], 3])
def test_parameters_that_are_not_a_mapping_are_a_parameter_error(parameters):
    with pytest.raises(ParameterError, match="a mapping"):
        HousingMarket(parameters=parameters)


def test_no_corporation_stock_runs_without_a_warning(recwarn):
    model = HousingMarket(
        households_per_agent=100,
        parameters={"stock.self_contained_dwellings": 0, "scale.allow_unvalidated": True},
    )
    model.run(2)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_run_json_is_the_same_bytes_for_the_same_run(tmp_path, capsys):
    args = ["run", *QUICK, "--seed", "3"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    a, b = (tmp_path / x / "run.json" for x in "ab")
    assert a.read_bytes() == b.read_bytes()
    assert "run_seconds" in (tmp_path / "a" / "timing.json").read_text()


# ------------------------------------------------------------- reporting


@pytest.mark.parametrize(
    ("scenario", "start", "months"),
    [("current-policy", None, 30), ("cabinet-package", None, 30), ("mooiman", None, 30),
     ("current-policy", "2025-04-01", 9)],
)  # fmt: skip
def test_status_holders_in_reception_reconcile_month_by_month(scenario, start, months):
    """In at the end = in at the start + entered with a permit + family joining there +
    families whose sponsor's home is too small + families passing through on their way to
    a housed sponsor - housed - left on their own - passed through, in persons, every
    month, from monthly.csv alone (from 2025-04-01: the last months in which families
    passed through reception, to September 2025)."""
    kwargs = {} if start is None else {"start_date": start}
    m = HousingMarket(scenario, rng=4, households_per_agent=20, **kwargs).run(months).monthly
    change = m["status_holders_in_reception_persons"].diff().iloc[1:]
    flows = (
        m["status_holders_entered_reception_persons"]
        + m["reunification_arrivals_in_reception_persons"]
        + m["reunification_reentries_in_reception_persons"]
        + m["reunification_arrivals_passing_reception_persons"]
        - m["status_holders_housed_persons"]
        - m["status_holders_left_reception_self_found_persons"]
        - m["reunification_passed_through_reception_persons"]
    ).iloc[1:]
    assert (change - flows).abs().max() == 0
    assert m["reunification_arrivals_in_reception_persons"].sum() > 0
    assert m["reunification_reentries_in_reception_persons"].sum() > 0
    passing = m["reunification_arrivals_passing_reception_persons"].iloc[1:]
    if start is None:  # from 2026 families of housed sponsors join them at once
        assert passing.sum() == 0
    else:
        assert passing.iloc[:6].sum() > 0 and passing.iloc[6:].sum() == 0
        assert m["reunification_passed_through_reception_persons"].iloc[1:].sum() > 0


# ------------------------------------------------------------- fuzz

_SPECS = parameter_specs()
_values = st.one_of(
    st.integers(-(10**15), 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["true", "false", '"text"', "[1, 2]", "[]", "{}", "nan", "inf", "-0"]),
    st.text(string.printable, max_size=12),
)
_whens = st.sampled_from(["", "@2026-01-01", "@2030-07-01", "@2200-01-01", "@implementation"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from([*sorted(_SPECS), "nope.nothing"]), value=_values, when=_whens)
def test_fuzz_set_gives_a_run_or_one_line(name, value, when, tmp_path_factory, capsys):
    out = tmp_path_factory.mktemp("fuzz") / "o"
    status = main(["run", *QUICK, "--out", str(out), "--set", f"{name}={value}{when}"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if status == 0:
        applied = json.loads((out / "run.json").read_text())
        assert name in applied["parameters_set"]
    else:
        assert status == 2 and len(err.strip().splitlines()) == 1, err


_tomls = st.recursive(
    st.one_of(st.integers(), st.floats(), st.booleans(), st.text(max_size=8)),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=30, deadline=None)
@given(
    levers=st.dictionaries(st.sampled_from([*sorted(_SPECS)[:30], "x"]), _tomls, max_size=3),
    extra=st.sampled_from(["", 'inherits = "current-policy"\n', 'inherits = "nope"\n', "[x]\n"]),
)
def test_fuzz_scenario_files_load_or_raise_one_parameter_error(levers, extra):
    import tempfile

    body = HEADER + extra + "[levers]\n"
    for name, value in levers.items():
        body += f"{json.dumps(name)} = {json.dumps(value)}\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_text(body)
        try:
            HousingMarket.check_settings(str(path), 20, None, {"calendar.months": 1})
        except ParameterError as err:
            assert "\n" not in str(err)
