"""The command line: ``python -m experiments COMMAND``.

Commands:
    run        one scenario, one seed: monthly.csv, lettings.csv, figures, a summary
    compare    two scenarios on the same seeds: per-group differences with bands
    scenarios  list the named scenarios
    validate   a run from 2022 beside the published figures: the validation report
    scale-check  headline figures per scale (households per agent), means over seeds
    docs       regenerate docs/parameters.md and the README's tables
    calibrate  re-derive the calibrated rates (``--write`` stores them)
    bench      wall time and peak memory of ten-year runs at several scales, sweep speed
    sweep      many runs from a spec file into Parquet (``--resume`` continues one)
    sensitivity  Sobol, Morris or rank-regression indices of a finished sweep
    robust     many-objective robust search over the levers (EMA workbench), resumable
    report     one self-contained HTML file comparing scenarios (or a sweep's policies)
    findings   regenerate docs/findings.md: every headline effect with its band

Bad input (an unknown scenario, a parameter out of range, an unknown option,
an ``--out`` that cannot be written) prints one line naming the parameter and
what is allowed and exits with status 2, before anything is simulated.

A results folder (``--out``) is replaced whole or not at all, and one run at
a time writes it (experiments/output.py). Ctrl-C and SIGTERM stop a run with
one line and exit status 130 and 143; the earlier result stays.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pandas as pd

from experiments.output import OutputError, interrupts_raise, replacing
from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs
from model.inputs.policy import load_scenario, scenario_names
from model.market import HousingMarket
from model.reporting.displacement import epf_horizon

EXIT_BAD_INPUT = 2

# Flags that are shorthands for a parameter: (attribute, flag, parameter).
FLAG_PARAMETERS = (
    ("months", "--months", "calendar.months"),
    ("households_per_agent", "--households-per-agent", "scale.households_per_agent"),
)


class StoreOnce(argparse.Action):
    """An option's value, given at most once (a second value is an error, not the last one)."""

    def __call__(self, parser, namespace, values, option_string=None):
        seen = namespace.__dict__.setdefault("_given_once", set())
        if self.dest in seen:
            parser.error(f"{option_string} is given twice; allowed: once")
        seen.add(self.dest)
        setattr(namespace, self.dest, values)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit status 2, without the usage;
    an option that takes one value may be given once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register("action", None, StoreOnce)
        self.register("action", "store", StoreOnce)

    def error(self, message: str) -> NoReturn:
        message = " ".join(message.split())
        if "allowed" not in message and "choose from" not in message:
            message += f"; allowed: the options listed by '{self.prog} --help'"
        self.exit(EXIT_BAD_INPUT, f"error: {message}\n")


def _int_arg(name: str, minimum: int, maximum: int | None = None):
    def parse(text: str) -> int:
        if not re.fullmatch(r"\s*[+-]?[0-9]+\s*", text):  # int() also takes other scripts' digits
            raise argparse.ArgumentTypeError(
                f"parameter '{name}' = {text!r} is not a whole number; "
                f"allowed: {minimum} to {maximum if maximum is not None else 'any'}"
            )
        value = int(text)
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(
                f"parameter '{name}' = {value}; allowed: a whole number from {minimum}"
                + (f" to {maximum}" if maximum is not None else " up")
            )
        return value

    return parse


@dataclass(frozen=True)
class Dated:
    """A ``--set NAME=VALUE@WHEN`` value: from WHEN (a date YYYY-MM-01 or a phase) on."""

    when: str
    value: object


def _parameter_arg(text: str) -> tuple[str, object]:
    """``section.name=value`` or ``section.name=value@when``; the value is read as TOML.

    ``@when`` (a date YYYY-MM-01 or a phase: preparation, implementation,
    normalisation) makes the value a dated step of the lever's schedule.
    """
    import tomllib

    if "=" not in text:
        raise argparse.ArgumentTypeError(
            f"--set {text!r}: allowed form is section.name=value or section.name=value@YYYY-MM-01,"
            " e.g. allocation.lottery_share=0.2"
        )
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise argparse.ArgumentTypeError(
            f"--set {text!r} holds a line break or another control character; allowed: one "
            "setting per --set, section.name=value"
        )
    name, raw = text.split("=", 1)
    when = None
    if "@" in raw:
        head, tail = raw.rsplit("@", 1)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}|[a-z]+", tail.strip()):
            raw, when = head, tail.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    except RecursionError:
        raise argparse.ArgumentTypeError(
            f"--set {name.strip()}: the value is nested too deeply; allowed: a number, a "
            "true/false, a text or a list of those"
        ) from None
    return name.strip(), value if when is None else Dated(when, value)


def _positive_float_arg(name: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(
                f"parameter '{name}' = {text!r}; allowed: a number more than 0"
            )
        return value

    return parse


def _first_of_month_arg(name: str):
    def parse(text: str) -> str:
        from model.base.calendar import as_date

        day = as_date(text)
        if day is None or day.day != 1:
            raise argparse.ArgumentTypeError(
                f"parameter '{name}' = {text!r}; allowed: the first day of a month, YYYY-MM-01"
            )
        return text

    return parse


def _scales_arg(text: str) -> list[int]:
    parse = _int_arg("scales", 1, 100000)
    return [parse(part) for part in text.split(",")]


def _add_length_and_scale(parser: argparse.ArgumentParser) -> None:
    """``--months`` and ``--households-per-agent``: shorthands for two parameters."""
    specs = parameter_specs()
    for _, flag, name in FLAG_PARAMETERS:
        spec = specs[name]
        parser.add_argument(
            flag,
            type=_int_arg(flag[2:], int(spec.minimum), int(spec.maximum)),
            default=None,
            help=f"same as --set {name}=N (default {spec.value})",
        )


def build_parser() -> Parser:
    """The argument parser of ``python -m experiments``.

    Its ``commands`` attribute holds the parser of each command.
    """
    # Long on purpose: the declarative list of every command and option, in one place.
    parser = Parser(
        prog="python -m experiments",
        description="Dutch social rental housing market: scenarios, sweeps and figures.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one scenario and write its results")
    run.add_argument("--scenario", default="current-policy", help="name or path of a .toml file")
    run.add_argument("--seed", type=_int_arg("seed", 0), default=1)
    _add_length_and_scale(run)
    run.add_argument("--out", type=Path, required=True, help="output folder (replaced whole)")
    run.add_argument(
        "--set",
        type=_parameter_arg,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter, e.g. --set allocation.lottery_share=0.2 (repeatable)",
    )
    run.add_argument("--lang", choices=("en", "nl"), default="en", help="figure labels")

    cmp = sub.add_parser("compare", help="paired comparison of two scenarios over seeds")
    cmp.add_argument("a", help="scenario A (the reference)")
    cmp.add_argument("b", help="scenario B")
    cmp.add_argument("--seeds", type=_int_arg("seeds", 1, 1000), default=10)
    _add_length_and_scale(cmp)
    cmp.add_argument("--out", type=Path, required=True, help="output folder (replaced whole)")
    cmp.add_argument("--workers", type=_int_arg("workers", 1, 64), default=None)
    cmp.add_argument(
        "--years",
        type=_positive_float_arg("years"),
        default=None,
        help="N of 'housed within N years' (equal playing field; default 2, or what fits a "
        "run of two years or less)",
    )
    cmp.add_argument("--set", type=_parameter_arg, action="append", default=[],
                     metavar="NAME=VALUE", help="a parameter for both scenarios")  # fmt: skip

    sub.add_parser("scenarios", help="list the named scenarios")
    val = sub.add_parser(
        "validate", help="a run from 2022 beside the published figures: the validation report"
    )
    val.add_argument("--seeds", type=_int_arg("seeds", 1, 50), default=10)
    val.add_argument(
        "--households-per-agent", type=_int_arg("households-per-agent", 1, 100000), default=10
    )
    val.add_argument("--start", type=_first_of_month_arg("start"), default="2022-01-01",
                     help="the history run's start date (YYYY-MM-01)")  # fmt: skip
    val.add_argument("--until", type=_first_of_month_arg("until"), default="2026-01-01",
                     help="the date the history run runs up to (YYYY-MM-01)")  # fmt: skip
    val.add_argument("--out", type=Path, default=Path("output/validation"),
                     help="report folder (replaced whole; default output/validation)")  # fmt: skip
    val.add_argument("--set", type=_parameter_arg, action="append", default=[],
                     metavar="NAME=VALUE", help="a parameter for every run")  # fmt: skip
    val.add_argument("--docs", action="store_true",
                     help="also write the results into docs/validation.md")  # fmt: skip
    val.add_argument("--strict", action="store_true",
                     help="exit with status 1 when a figure fails")  # fmt: skip
    sc = sub.add_parser("scale-check", help="headline figures per scale, means over seeds")
    sc.add_argument(
        "--scales",
        type=_scales_arg,
        default=[10, 20, 50],
        help="households per agent, comma separated; the first is the reference",
    )
    sc.add_argument("--seeds", type=_int_arg("seeds", 1, 100), default=8)
    sc.add_argument("--months", type=_int_arg("months", 1, 600), default=120)
    sc.add_argument("--scenario", default="current-policy")  # fmt: skip
    sub.add_parser("docs", help="regenerate docs/parameters.md and the README's tables")

    fnd = sub.add_parser(
        "findings", help="regenerate docs/findings.md: every headline effect with its band"
    )
    fnd.add_argument("--seeds", type=_int_arg("seeds", 1, 100), default=None,
                     help="seeds 1..N, the same for each pair (default 3)")  # fmt: skip
    fnd.add_argument(
        "--households-per-agent", type=_int_arg("households-per-agent", 1, 100000),
        default=None, help="the scale (default 20; coarser only with --quick)",
    )  # fmt: skip
    fnd.add_argument("--months", type=_int_arg("months", 1, 600), default=None,
                     help="the run's length (default calendar.months, to 2036)")  # fmt: skip
    fnd.add_argument("--workers", type=_int_arg("workers", 1, 64), default=None)
    fnd.add_argument("--quick", action="store_true",
                     help="a smoke run (1 seed, 1:200, 12 months): the page's form")  # fmt: skip
    fnd.add_argument("--out", type=Path, default=None,
                     help="the page to write (default docs/findings.md)")  # fmt: skip

    cal = sub.add_parser("calibrate", help="re-derive the calibrated rates")
    cal.add_argument("--write", action="store_true", help="store them in defaults.toml")
    cal.add_argument("--seeds", type=_int_arg("seeds", 1, 50), default=6,
                     help="seeds 1 to this (default 6: on three the quota cap's objective "
                     "is flat within the seeds' noise)")  # fmt: skip

    bench = sub.add_parser("bench", help="time and memory of ten-year runs")
    bench.add_argument("--scales", type=_scales_arg, default=[100, 20, 10, 1],
                       help="households per agent, comma separated")  # fmt: skip
    bench.add_argument("--months", type=_int_arg("months", 1, 600), default=120)
    bench.add_argument("--against", metavar="REV", default=None,
                       help="also time this git revision, then compare")  # fmt: skip
    bench.add_argument("--no-sweep", action="store_true", help="skip the sweep timings")
    bench.add_argument("--sweep-runs", type=_int_arg("sweep-runs", 2, 1000), default=8,
                       help="runs per sweep timing (default 8)")  # fmt: skip
    bench.add_argument("--repeat", type=_int_arg("repeat", 1, 20), default=3,
                       help="runs of each revision at 1:10 and coarser, alternating; the "
                            "fastest counts (default 3; 1:1 runs once)")  # fmt: skip

    sw = sub.add_parser("sweep", help="many runs from a spec file (experiments/sweeps/*.toml)")
    sw.add_argument("spec", type=Path, help="the sweep spec (TOML)")
    sw.add_argument(
        "--out", type=Path, default=None, help="results folder (default output/sweeps/SPEC-NAME)"
    )
    sw.add_argument(
        "--resume",
        action="store_true",
        help="continue the sweep in --out: skip finished runs, retry failed ones",
    )
    sw.add_argument("--overwrite", action="store_true", help="replace an earlier sweep in --out")
    sw.add_argument(
        "--workers",
        type=_int_arg("workers", 1, 256),
        default=None,
        help="worker processes (default: up to 2)",
    )
    sw.add_argument(
        "--scheduler",
        default="local",
        help="local (process pool), dask (a local Dask cluster) or tcp://HOST:PORT",
    )
    sw.add_argument(
        "--limit",
        type=_int_arg("limit", 1),
        default=None,
        help="run at most N runs now (continue with --resume)",
    )
    sw.add_argument(
        "--dry-run", action="store_true", help="check the spec and print the design; run nothing"
    )

    sens = sub.add_parser("sensitivity", help="sensitivity indices of a finished sweep")
    sens.add_argument("sweep", type=Path, help="the sweep's results folder")
    sens.add_argument(
        "--outcome",
        action="append",
        default=None,
        help="an outcome to analyse (repeatable; default: all of the sweep's)",
    )
    sens.add_argument(
        "--method",
        choices=("auto", "sobol", "morris", "regression"),
        default="auto",
        help="default: the design's own method",
    )
    sens.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for sensitivity.csv and sensitivity.png (default: SWEEP/sensitivity)",
    )

    rob = sub.add_parser("robust", help="robust search over the levers (experiments/specs/)")
    rob.add_argument("spec", type=Path, help="the robust search spec (TOML)")
    rob.add_argument("--out", type=Path, default=None,
                     help="results folder (default output/robust/SPEC-NAME)")  # fmt: skip
    rob.add_argument("--resume", action="store_true",
                     help="continue the search in --out: finished runs are read back")  # fmt: skip
    rob.add_argument("--overwrite", action="store_true", help="replace an earlier search")
    rob.add_argument("--workers", type=_int_arg("workers", 1, 256), default=None,
                     help="worker processes (default: up to 2)")  # fmt: skip
    rob.add_argument("--limit", type=_int_arg("limit", 1), default=None,
                     help="run at most N new experiments now (continue with --resume)")  # fmt: skip
    rob.add_argument("--dry-run", action="store_true",
                     help="check the spec and the model's settings; run nothing")  # fmt: skip

    rep = sub.add_parser("report", help="one HTML file comparing scenarios (for a workshop)")
    rep.add_argument(
        "scenarios", nargs="+", help="two or more scenarios (the first is A), or a sweep's folder"
    )
    rep.add_argument("--out", type=Path, required=True, help="the HTML file to write")
    rep.add_argument("--seeds", type=_int_arg("seeds", 1, 1000), default=None, help="default 5")
    _add_length_and_scale(rep)
    rep.add_argument("--workers", type=_int_arg("workers", 1, 64), default=None)
    rep.add_argument(
        "--lang",
        choices=("nl", "en"),
        default="nl",
        help="language of the text (both appear for levers and scenarios)",
    )
    parser.commands = sub.choices
    return parser


def summary_table(results, scale: int) -> pd.DataFrame:
    """First and last simulated year side by side, in real households and persons.

    A last year shorter than twelve months is labelled with its length
    ("year 3 (6 months)"); its flows are then totals over the months run, not
    per year, and its stocks are at its end.
    """
    y = results.yearly()
    months_run = len(results.monthly) - 1
    years = sorted({int(y.index.min()), int(y.index.max())})
    length = {k: min(12, months_run - (k - 1) * 12) for k in years}
    part = any(n < 12 for n in length.values())
    per = "" if part else "/yr"
    end = "at the end" if part else "at year end"
    rows = {
        f"self-contained lettings (households{per})": "lettings_self_contained_households",
        "  to regular seekers": "lettings_self_contained_regular_households",
        "  to urgent seekers": "lettings_self_contained_urgent_households",
        "  to status holders": "lettings_self_contained_status_holder_households",
        "status holders' share of self-contained lettings": (
            "status_holder_share_of_self_contained_lettings"
        ),
        f"room lettings (households{per})": "lettings_room_households",
        f"status holders in reception {end} (persons)": (
            "status_holders_in_reception_persons_at_year_end"
        ),
        "  of whom past the 14-week norm (persons)": "reception_backlog_persons_at_year_end",
        f"reception occupancy {end} (persons)": "reception_occupancy_total_persons_at_year_end",
        "  of whom in emergency places (persons)": "reception_emergency_persons_at_year_end",
        f"reception cost (euro{per})": "reception_cost_total_eur",
    }

    def label(k: int) -> str:
        return f"year {k}" if length[k] == 12 else f"year {k} ({length[k]} months)"

    table = pd.DataFrame(
        {label(k): [y.loc[k, c] for c in rows.values()] for k in years}, index=list(rows)
    )
    median = results.monthly.iloc[1:]["registration_years_at_letting_median_regular"]
    table.loc["regular seekers' median registration time at letting (years)"] = [
        median.iloc[(k - 1) * 12 : k * 12].median() for k in years
    ]
    return table


def format_table(table: pd.DataFrame) -> str:
    """Counts with thousands separators, shares as percentages, years with one decimal."""

    def fmt(label: str, v: float) -> str:
        if pd.isna(v):
            return "-"
        if "share" in label:
            return f"{v:.1%}"
        if "(years)" in label:
            return f"{v:.1f}"
        return f"{v:,.0f}"

    shown = pd.DataFrame(
        {c: [fmt(i, v) for i, v in table[c].items()] for c in table.columns}, index=table.index
    )
    return shown.to_string()


def check_flags_against_set(args: argparse.Namespace) -> None:
    """A flag and ``--set`` of the same parameter together are an error, not one or the other."""
    given = dict(args.set)
    for attr, flag, name in FLAG_PARAMETERS:
        value = getattr(args, attr, None)
        if value is not None and name in given:
            raise ParameterError(
                f"{flag} {value} and --set {name}={given[name]} both set parameter '{name}'; "
                "allowed: one of the two"
            )


def model_parameters(args: argparse.Namespace) -> dict:
    """The parameters a run is given: ``--set`` values and ``--months``.

    A name given once without a date is one value for the whole run; dated
    values of one name (``NAME=VALUE@WHEN``, repeatable) make a schedule, with
    an undated value of that name, if any, in force from the start.
    ``--households-per-agent`` goes to the model as its own argument.

    Raises:
        ParameterError: A name given twice without a date, or at the same date.
    """
    plain: dict[str, object] = {}
    dated: dict[str, list[dict]] = {}
    for name, value in args.set:
        if isinstance(value, Dated):
            dated.setdefault(name, []).append({"from": value.when, "value": value.value})
        elif name in plain:
            raise ParameterError(
                f"--set {name} is given twice ({plain[name]!r} and {value!r}); allowed: once, "
                f"or dated values ({name}=VALUE@YYYY-MM-01) for a schedule"
            )
        else:
            plain[name] = value
    parameters = dict(plain)
    for name, steps in dated.items():
        start = [{"from": "start", "value": plain[name]}] if name in plain else []
        parameters[name] = start + steps
    if args.months is not None:
        parameters["calendar.months"] = args.months
    return parameters


def run_record(model: HousingMarket, seed: int, parameters_set: list) -> dict:
    """What ``run.json`` says about a run: its settings (the same bytes for the same run;
    how long it took goes to ``timing.json``)."""
    return {
        "scenario": model.scenario_def.name,
        "scenario_file": model.scenario_def.source,
        "seed": seed,
        "months": model.params["calendar.months"],
        "households_per_agent": model.scale,
        "start_date": model.start_date.isoformat(),
        "parameters_set": {
            name: ({"from": v.when, "value": v.value} if isinstance(v, Dated) else v)
            for name, v in parameters_set
        },
        # What the run applied: every parameter, and every lever's schedule.
        "in_force": model.settings_record(),
    }


RUN_FILES = (
    "monthly.csv",
    "monthly_by_region.csv",
    "lettings.csv",
    "quota_half_years.csv",
    "quota_by_municipality.csv",
    "integration.csv",
    "overview.png",
    "reception.png",
    "run.json",
    "timing.json",
)


def command_run(args: argparse.Namespace) -> int:
    """Run a scenario and write its results into ``args.out``."""
    from experiments.figures import reception_figure, run_figure

    check_flags_against_set(args)
    parameters = model_parameters(args)
    HousingMarket.check_settings(args.scenario, args.households_per_agent, None, parameters)
    with replacing(args.out, "--out", marks=("run.json",)) as tmp:
        model = HousingMarket(
            args.scenario,
            rng=args.seed,
            households_per_agent=args.households_per_agent,
            parameters=parameters,
            attribution=True,  # lettings.csv says who was passed over
        )
        started = time.perf_counter()
        results = model.run()
        elapsed = time.perf_counter() - started

        results.monthly.to_csv(tmp / "monthly.csv", index=False)
        results.monthly_by_region.to_csv(tmp / "monthly_by_region.csv", index=False)
        results.lettings.to_csv(tmp / "lettings.csv", index=False)
        results.half_years.to_csv(tmp / "quota_half_years.csv", index=False)
        results.quota_by_municipality.to_csv(tmp / "quota_by_municipality.csv", index=False)
        results.integration.to_csv(tmp / "integration.csv", index=False)
        scenario = model.scenario_def
        title = f"{scenario.title['en']} / {scenario.title['nl']} (seed {args.seed})"
        run_figure(results.monthly, title, tmp / "overview.png", lang=args.lang)
        reception_figure(results, title, tmp / "reception.png")
        record = run_record(model, args.seed, args.set)
        (tmp / "run.json").write_text(json.dumps(record, indent=2, default=str) + "\n")
        timing = {"run_seconds": round(elapsed, 2)}
        (tmp / "timing.json").write_text(json.dumps(timing, indent=2) + "\n")
    args.written = args.out  # for the message if interrupted from here on
    table = summary_table(results, model.scale)
    print(
        f"{scenario.title['en']} — seed {args.seed}, 1 agent = {model.scale} households, "
        f"{record['months']} months from {model.start_date} ({elapsed:.1f} s)"
    )
    print(format_table(table))
    print(f"\nwrote {args.out}/: {', '.join(RUN_FILES)}")
    return 0


def command_compare(args: argparse.Namespace) -> int:
    """Paired comparison of two scenarios."""
    from experiments.compare import by_type_table, compare, headline, write

    check_flags_against_set(args)
    parameters = model_parameters(args)
    # Check both before running anything; the scale and length in force come from A's.
    _, params, _ = HousingMarket.check_settings(args.a, args.households_per_agent, None, parameters)
    HousingMarket.check_settings(args.b, args.households_per_agent, None, parameters)
    months, scale = params["calendar.months"], params.households_per_agent
    epf_horizon(months, args.years)  # a --years that does not fit: refused before any run
    parameters.pop("scale.households_per_agent", None)  # given as the scale below
    started = time.perf_counter()
    with replacing(args.out, "--out", marks=("compare.csv",)) as tmp:
        result = compare(
            args.a,
            args.b,
            args.seeds,
            months=months,
            scale=scale,
            epf_years=args.years,
            workers=args.workers,
            parameters=parameters,
        )
        written = [p.name for p in write(result, tmp)]
    args.written = args.out
    table = headline(result)
    print(
        f"B ({args.b}) minus A ({args.a}): {args.seeds} seeds, {months} months, 1 agent = "
        f"{scale} households ({time.perf_counter() - started:.0f} s)"
    )
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print(table.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    print(
        "\nWhere the change comes from: lettings B - A by group and dwelling type, households "
        "a year (a flex, start-up or shared home is a letting, not a home for good); places "
        "added in dwellings (places) a year (compare_by_type.csv has the routes and the bands)"
    )
    with pd.option_context("display.width", 160):
        print(by_type_table(result).to_string(float_format=lambda v: f"{v:,.0f}", na_rep=""))
    for note in result["notes"]:
        print(f"\nnote: {note}")
    print(f"\nwrote {args.out}/: {', '.join(written)}")
    return 0


def command_validate(args: argparse.Namespace) -> int:
    """Run the history and write the validation report into ``args.out``."""
    from experiments.validate import validate
    from experiments.validation_report import FAIL, summary_line, write_report

    parameters = model_parameters(argparse.Namespace(set=args.set, months=None))
    HousingMarket.check_settings("current-policy", args.households_per_agent, args.start,
                                 parameters)  # fmt: skip
    started = time.perf_counter()
    with replacing(args.out, "--out", marks=("report.md",)) as tmp:
        report = validate(tuple(range(1, args.seeds + 1)), args.households_per_agent,
                          args.start, args.until, parameters)  # fmt: skip
        files = write_report(tmp, report)
    args.written = args.out
    for line in report.notes[:1] + report.notes[2:]:
        print(line)
    shown = ["figure", "date", "published", "model (mean, range over seeds)", "deviation",
             "tolerance", "verdict"]  # fmt: skip
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        for title, table in (("validation", report.validation),
                             ("calibration", report.calibration)):  # fmt: skip
            print(f"\n{title}: {summary_line(table)}")
            print(table[shown].to_string(index=False))
    print(f"\n{report.regional_text}")
    seconds = time.perf_counter() - started
    print(f"\nwrote {args.out}/: {', '.join(files)} ({seconds:.0f} s)")
    if args.docs:
        _validation_docs(args, report, seconds)
    failed = (report.validation["verdict"] == FAIL).any() or (
        report.calibration["verdict"] == FAIL
    ).any()
    return 1 if args.strict and failed else 0


def _validation_docs(args: argparse.Namespace, report, seconds: float) -> None:
    """Write the report's tables into docs/validation.md (between its markers)."""
    from experiments.validation_report import docs_section, write_docs_section

    made = (
        f"Made on {dt.date.today().isoformat()} by `python -m experiments validate --docs` "
        f"(current policy from {args.start} to {args.until}, {args.seeds} seeds at 1 agent = "
        f"{args.households_per_agent} households, {seconds:.0f} s on 2 cores). The verdict is "
        "on the mean over seeds; the range over seeds is in brackets."
    )
    path = Path(__file__).resolve().parents[1] / "docs" / "validation.md"
    write_docs_section(path, docs_section(report, made))
    print(f"wrote {path}")


def command_scale_check(args: argparse.Namespace) -> int:
    """Headline figures per scale: do results depend on households_per_agent?"""
    from experiments.scale_check import TOLERANCE, format_scale_table, scale_runs, scale_table

    load_scenario(args.scenario)
    started = time.perf_counter()
    runs = scale_runs(tuple(args.scales), tuple(range(1, args.seeds + 1)), args.months,
                      args.scenario)  # fmt: skip
    table = scale_table(runs)
    print(f"{args.scenario}: means over seeds 1-{args.seeds}, {args.months} months "
          f"({time.perf_counter() - started:.0f} s); difference from 1:{args.scales[0]}, "
          f"tolerance {TOLERANCE:.0%}; noise = two standard errors of the difference")  # fmt: skip
    with pd.option_context("display.width", 250):
        print(format_scale_table(table))
    return 0


def command_docs(args: argparse.Namespace) -> int:
    """Regenerate the documentation tables."""
    from experiments.docs import write_docs

    for path in write_docs():
        print(f"wrote {path}")
    return 0


def command_findings(args: argparse.Namespace) -> int:
    """Regenerate docs/findings.md (experiments/findings.py)."""
    from experiments.findings import (
        DEFAULT_SCALE,
        DEFAULT_SEEDS,
        PAGE,
        QUICK,
        MissingOutcome,
        make_page,
    )

    quick = QUICK if args.quick else {}
    seeds = args.seeds or quick.get("seeds", DEFAULT_SEEDS)
    scale = args.households_per_agent or quick.get("scale", DEFAULT_SCALE)
    if scale > DEFAULT_SCALE and not args.quick:
        raise ParameterError(
            f"parameter 'households-per-agent' = {scale}; allowed: 1 to {DEFAULT_SCALE} "
            "(the validated scales), or a coarser scale with --quick, whose page says it is "
            "not for findings"
        )
    months = args.months or quick.get("months")
    try:
        path, seconds = make_page(seeds, scale, months, args.workers, args.quick,
                                  args.out or PAGE)  # fmt: skip
    except MissingOutcome as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {path} ({seconds:.0f} s)")
    return 0


def command_scenarios(args: argparse.Namespace) -> int:
    """List the named scenarios with their titles."""
    for name in scenario_names():
        s = load_scenario(name)
        print(f"{name:28s} {s.title['en']} / {s.title['nl']}")
    return 0


def command_calibrate(args: argparse.Namespace) -> int:
    """Re-derive the calibrated rates."""
    from experiments.calibrate import calibrate, integration_rates, write

    values = calibrate(seeds=tuple(range(1, args.seeds + 1))) | integration_rates()
    for name, value in values.items():
        print(f"{name} = {value:.4g}")
    if args.write:
        print(f"wrote {write(values)}")
    return 0


def command_bench(args: argparse.Namespace) -> int:
    """Time and memory per scale."""
    from experiments.bench import bench

    bench(
        args.scales,
        args.months,
        args.against,
        sweep=not args.no_sweep,
        sweep_runs=args.sweep_runs,
        repeat=args.repeat,
    )
    return 0


def command_sweep(args: argparse.Namespace) -> int:
    """Run (or continue) a sweep from a spec file (experiments/sweep/command.py)."""
    from experiments.sweep.command import command_sweep as sweep

    return sweep(args)


def command_sensitivity(args: argparse.Namespace) -> int:
    """Sensitivity indices of a finished sweep, printed and plotted."""
    from experiments.sensitivity import analyse, format_indices, write

    table, notes = analyse(args.sweep, args.outcome, args.method)
    out = args.out or args.sweep / "sensitivity"
    with replacing(out, "--out", marks=("sensitivity.csv",)) as tmp:
        write(table, args.sweep, tmp)
    for line in notes:
        print(f"warning: {line}")
    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(format_indices(table))
    print(f"\nwrote {out}/: sensitivity.csv, sensitivity.png")
    return 0


def command_robust(args: argparse.Namespace) -> int:
    """A robust search over the levers (experiments/robust/command.py)."""
    from experiments.robust.command import command_robust as robust

    return robust(args)


def command_report(args: argparse.Namespace) -> int:
    """A self-contained HTML report comparing scenarios, or the policies of a finished sweep."""
    from experiments.report import build_report

    if len(args.scenarios) == 1 and Path(args.scenarios[0]).is_dir():
        from experiments.sweep_report import command_sweep_report

        return command_sweep_report(args)
    if len(args.scenarios) < 2:
        raise ParameterError(
            "report needs two or more scenarios; allowed: A B [C ...], or a finished sweep's folder"
        )
    started = time.perf_counter()
    path = build_report(
        args.scenarios,
        args.out,
        seeds=args.seeds or 5,
        months=args.months,
        scale=args.households_per_agent,
        workers=args.workers,
        lang=args.lang,
    )
    print(f"wrote {path} ({time.perf_counter() - started:.0f} s)")
    return 0


def interrupted(err: KeyboardInterrupt, args: argparse.Namespace) -> int:
    """Say that a run was stopped (one line) and return 128 + the signal number."""
    signum = getattr(err, "signum", signal.SIGINT)
    how = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
    out = getattr(args, "out", None)
    if getattr(err, "written", None) or getattr(args, "written", None):
        print(f"interrupted ({how}) after the results were written to '{out}'", file=sys.stderr)
    elif out is not None:
        print(f"interrupted ({how}): nothing was written, '{out}' is as it was", file=sys.stderr)
    else:
        print(f"interrupted ({how})", file=sys.stderr)
    return 128 + signum


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            parser.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as stop:  # a bad argument (one line printed), or --help
        return int(stop.code or 0)
    commands = {
        "run": command_run,
        "compare": command_compare,
        "scenarios": command_scenarios,
        "validate": command_validate,
        "docs": command_docs,
        "scale-check": command_scale_check,
        "calibrate": command_calibrate,
        "bench": command_bench,
        "sweep": command_sweep,
        "sensitivity": command_sensitivity,
        "robust": command_robust,
        "report": command_report,
        "findings": command_findings,
    }
    with interrupts_raise():
        try:
            return commands[args.command](args)
        except (ParameterError, OutputError) as err:
            print(f"error: {err}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except KeyboardInterrupt as err:
            return interrupted(err, args)
