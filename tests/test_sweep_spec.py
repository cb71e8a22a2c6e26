"""Bad sweep specs and options: one line naming the problem, exit 2 (SpecError in the API),
before anything is written; and a fuzz test over spec shapes that never sees a traceback.

Every case runs through the command line with ``--dry-run`` too: a check that
only a real run would reach is no check.
"""

from __future__ import annotations

import math
import os
import re
import socket
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from experiments.cli import main
from experiments.sweep import SpecError, load_spec, prepare, run_sweep

# The documented maxima (docs/sweeps.md).
MAX_SEEDS, MAX_POINTS, MAX_RUNS = 1_000, 100_000, 1_000_000

BASE = """
title = "limits"
scenarios = ["current-policy"]
seeds = 1
months = 4
households_per_agent = 200
outcomes = ["status_holders_in_reception_end_persons"]

[design]
kind = "latin_hypercube"
points = 2
seed = 3

[parameters]
"asylum.applications_factor" = {}

[fixed]
"scale.allow_unvalidated" = true
"""

FACTORIAL = """
title = "factorial"
months = 4
households_per_agent = 200
outcomes = ["status_holders_in_reception_end_persons"]
[design]
kind = "full_factorial"
[parameters]
"asylum.applications_factor" = { low = 0.6, high = 1.3, levels = 1000 }
"asylum.recognition_rate" = { low = 0.25, high = 0.62, levels = 1000 }
"allocation.lottery_share" = { low = 0.0, high = 0.2, levels = 1000 }
[fixed]
"scale.allow_unvalidated" = true
"""

# case: (spec text, what the one line says)
BAD = {
    "design is a string": (
        BASE.replace('[design]\nkind = "latin_hypercube"\npoints = 2\nseed = 3\n', "").replace(
            "outcomes =", 'design = "latin_hypercube"\noutcomes ='
        ),
        "'design' = 'latin_hypercube'; allowed: a table",
    ),
    "design is a list": (
        BASE.replace('[design]\nkind = "latin_hypercube"\npoints = 2\nseed = 3\n', "").replace(
            "outcomes =", 'design = ["latin_hypercube", 2]\noutcomes ='
        ),
        "'design' = .*; allowed: a table",
    ),
    "a billion seeds": (BASE.replace("seeds = 1", "seeds = 1000000000"), "at most 1,000"),
    "a list of too many seeds": (
        BASE.replace("seeds = 1", f"seeds = {list(range(MAX_SEEDS + 1))}"),
        "at most 1,000",
    ),
    "a seed beyond 32 bits": (BASE.replace("seeds = 1", "seeds = [4294967296]"), "4,294,967,295"),
    "a hundred million points": (
        BASE.replace("points = 2", "points = 100000000"),
        f"at most {MAX_POINTS:,} points",
    ),
    "a 3 x 1000-level factorial": (
        FACTORIAL,
        f"1,000,000,000 points; allowed: at most {MAX_POINTS:,}",
    ),
    "too many runs": (
        BASE.replace("points = 2", "points = 100000").replace("seeds = 1", "seeds = 20"),
        f"2,000,000 runs; allowed: at most {MAX_RUNS:,}",
    ),
    "a negative design seed": (BASE.replace("seed = 3", "seed = -1"), "'design.seed' = -1"),
    "a whole-number range that rounds to one value": (
        BASE.replace(
            '"asylum.applications_factor" = {}',
            '"reception.opening_lead_months" = { low = 6, high = 6.4 }',
        ),
        "rounds to the one whole number 6",
    ),
    "factorial levels that repeat a whole number": (
        FACTORIAL.replace(
            '"asylum.applications_factor" = { low = 0.6, high = 1.3, levels = 1000 }\n'
            '"asylum.recognition_rate" = { low = 0.25, high = 0.62, levels = 1000 }\n'
            '"allocation.lottery_share" = { low = 0.0, high = 0.2, levels = 1000 }',
            '"reception.opening_lead_months" = { low = 6, high = 8, levels = 5 }',
        ),
        "5 levels from 6 to 8 repeat whole numbers once rounded; allowed: fewer levels "
        ".the range holds 3",
    ),
    "5,000 nested brackets": (
        BASE.replace("seeds = 1", "seeds = " + "[" * 5000 + "]" * 5000),
        "nested too deeply",
    ),
    "outcomes holding a list": (
        BASE.replace(
            'outcomes = ["status_holders_in_reception_end_persons"]', "outcomes = [[1], [1]]"
        ),
        "outcome",
    ),
}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_spec_is_a_spec_error_before_anything_runs(tmp_path, case):
    text, message = BAD[case]
    out = tmp_path / "out"
    started = time.monotonic()
    with pytest.raises(SpecError, match=message) as err:
        spec = load_spec(write(tmp_path, text))
        prepare(spec)
        run_sweep(spec, out, runner=pytest.fail, progress=False, log=lambda s: None)
    assert "\n" not in str(err.value)
    assert not out.exists()
    assert time.monotonic() - started < 30  # refused, not worked through


@pytest.mark.parametrize("dry", [True, False], ids=["dry-run", "run"])
@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_spec_on_the_command_line_is_one_line_and_exit_2(tmp_path, capsys, case, dry):
    text, message = BAD[case]
    out = tmp_path / "out"
    argv = ["sweep", str(write(tmp_path, text)), "--out", str(out)] + (["--dry-run"] * dry)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: "), captured.err
    assert re.search(message, captured.err), captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not out.exists()


def test_a_binary_spec_is_one_line(tmp_path, capsys):
    path = tmp_path / "spec.toml"
    path.write_bytes(bytes(range(256)) * 4)
    assert main(["sweep", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not UTF-8 text" in err


def test_a_spec_that_is_a_folder_or_a_pipe_is_one_line(tmp_path, capsys):
    assert main(["sweep", str(tmp_path), "--dry-run"]) == 2
    assert "is a folder" in capsys.readouterr().err
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    assert main(["sweep", str(fifo), "--dry-run"]) == 2  # returns at once: no writer needed
    assert "not a regular file" in capsys.readouterr().err


# ---------------------------------------------------------------- the scheduler


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.mark.parametrize(
    "scheduler, message",
    [
        ("bogus", "--scheduler 'bogus'; allowed: local, dask"),
        ("tcp://127.0.0.1:{port}", "cannot reach the Dask scheduler at tcp://127.0.0.1:"),
        ("tcp://no-such-host.invalid:8786", "cannot reach the Dask scheduler"),
        ("tcp://192.0.2.1:8786", "cannot reach the Dask scheduler at tcp://192.0.2.1:8786"),
        ("tcp://127.0.0.1:99999", "--scheduler 'tcp://127.0.0.1:99999'; allowed"),
    ],
    ids=["bogus", "closed port", "unknown host", "unroutable address", "bad port"],
)
def test_a_bad_scheduler_is_refused_before_anything_is_written(
    tmp_path, capsys, monkeypatch, scheduler, message
):
    from experiments.sweep import backends

    monkeypatch.setattr(backends, "CONNECT_SECONDS", 2)  # an address that never answers
    scheduler = scheduler.format(port=_closed_port())
    out = tmp_path / "out"
    spec = write(tmp_path, BASE)
    started = time.monotonic()
    assert main(["sweep", str(spec), "--out", str(out), "--scheduler", scheduler]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not out.exists()  # so that a plain rerun is not refused
    assert time.monotonic() - started < 30
    # The same with --dry-run, and through the API.
    assert main(["sweep", str(spec), "--out", str(out), "--scheduler", scheduler, "--dry-run"]) == 2
    assert message in capsys.readouterr().err
    with pytest.raises(SpecError, match=r"--scheduler|Dask scheduler"):
        run_sweep(load_spec(spec), out, scheduler=scheduler, progress=False, log=lambda s: None)
    assert not out.exists()


# ---------------------------------------------------------------- sensitivity of a file


def test_sensitivity_of_a_file_is_one_line(tmp_path, capsys):
    path = write(tmp_path, BASE)
    assert main(["sensitivity", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a folder" in err and "allowed:" in err
    assert main(["sensitivity", str(tmp_path / "missing")]) == 2
    assert "holds no sweep" in capsys.readouterr().err


# ---------------------------------------------------------------- fuzz

PARAMETERS = [
    "asylum.applications_factor",
    "stock.startup_max_stay_months",
    "policy.family_priority",
    "allocation.lottery_share",
    "calendar.start_date",
    "scale.households_per_agent",
    "no.such",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["latin_hypercube", "sobol", "current-policy", "", "x.toml"]),
)
anything = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["low", "high", "values", "levels", "x"]), inner, max_size=4
        ),
    ),
    max_leaves=8,
)


def either(good):
    """Mostly a plausible value (so that the fuzz gets past the first check), else anything."""
    return st.integers(0, 5).flatmap(lambda k: anything if k == 0 else good)


def names(*choices):
    return either(st.lists(st.sampled_from(choices), max_size=3))


small = st.one_of(st.integers(-2, 40), st.floats(-1, 40))
ranges = st.one_of(
    st.just({}),
    st.fixed_dictionaries({"low": small, "high": small}, optional={"levels": either(small)}),
    st.fixed_dictionaries({"values": st.lists(st.one_of(small, st.booleans()), max_size=4)}),
)
design = st.fixed_dictionaries(
    {"kind": either(st.sampled_from(["full_factorial", "latin_hypercube", "sobol", "morris"]))},
    optional={
        "points": either(st.integers(0, 9)),
        "seed": either(st.integers(-1, 5)),
        "levels": either(st.integers(1, 6)),
        "second_order": either(st.booleans()),
    },
)
specs = st.fixed_dictionaries(
    {
        "months": either(st.integers(0, 12)),
        "households_per_agent": either(st.sampled_from([200, 20, 0])),
        "fixed": either(st.just({"scale.allow_unvalidated": True})),
    },
    optional={
        "title": anything,
        "scenarios": names("current-policy", "cabinet-package", "nope", "x.toml"),
        "seeds": either(st.one_of(st.integers(0, 3), st.lists(st.integers(-1, 9), max_size=3))),
        "outcomes": names(
            "status_holders_in_reception_end_persons",
            "reception_cost_eur_per_year",
            "status_holders_in_reception_persons",
        ),
        "series": names("status_holders_in_reception_persons", "reception_cost_eur_per_year"),
        "design": either(design),
        "parameters": either(
            st.dictionaries(st.sampled_from(PARAMETERS), either(ranges), max_size=3)
        ),
        "bogus": st.integers(0, 9).flatmap(lambda k: anything if k == 0 else st.none()),
    },
)


def _toml(value) -> str:
    """A value as TOML (None leaves the key out; a non-finite float as TOML's inf/nan)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
        return repr(value)
    if isinstance(value, int | str):
        return str(value) if isinstance(value, int) else '"' + value + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value if v is not None) + "]"
    return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items() if v is not None) + "}"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(spec=specs)
def test_fuzzed_specs_give_exit_0_or_one_line_and_exit_2(tmp_path, capsys, spec):
    text = "\n".join(f"{k} = {_toml(v)}" for k, v in spec.items() if v is not None)
    path = tmp_path / "fuzz.toml"
    path.write_text(text)
    code = main(["sweep", str(path), "--out", str(tmp_path / "never"), "--dry-run"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    event(f"exit {code}")  # hypothesis --hypothesis-show-statistics shows how many of each
    if code == 0:
        assert "nothing was run (--dry-run)" in captured.out
    else:
        assert code == 2, (text, captured.err)
        assert captured.err.count("\n") == 1 and captured.err.startswith("error: "), (
            text,
            captured.err,
        )
    assert not (tmp_path / "never").exists()
