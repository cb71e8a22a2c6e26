"""Generate the reference documents from their one source (a test fails when they are stale).

``python -m experiments docs`` rewrites:

* ``docs/parameters.md``: every parameter (``model/inputs/data/defaults.toml``)
  and the published figures the model is checked against (``targets.toml``);
* ``docs/scenarios.md``: the named scenarios and the levers;
* ``docs/output-files.md``: the files a run writes and every column of its
  tables (``model/reporting/columns.py``);
* ``docs/outcomes.md``: the outcome registry (``experiments/outcomes.toml``).
"""

from __future__ import annotations

from pathlib import Path

from model.inputs.parameters import default_regions, parameter_specs, published_targets
from model.inputs.policy import load_scenario, scenario_names

ROOT = Path(__file__).resolve().parent.parent


def _value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _when(when) -> str:
    """' from <date or phase>' for a schedule step ('' for a value from the start)."""
    if isinstance(when, str):
        return f" from {when}"
    return "" if when.year < 1900 else f" from {when.isoformat()}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def parameters_markdown() -> str:
    """docs/parameters.md: every parameter with value, unit, range and source."""
    lines = [
        "# Parameters",
        "",
        "Generated from `model/inputs/data/defaults.toml` by `python -m experiments docs`; "
        "do not edit.",
        "Names are `section.name`; set them with `--set NAME=VALUE` on the command line, the",
        "`parameters={...}` argument of `HousingMarket`, or a scenario file. **lever**: a policy",
        "timeline may change it on a date. **calibrated**: tuned to reproduce a published figure",
        "(`python -m experiments calibrate`).",
    ]
    section = None
    for name, spec in parameter_specs().items():
        sec = name.split(".")[0]
        if sec != section:
            section = sec
            lines += [
                "",
                f"## {sec}",
                "",
                "| name | default | unit | allowed | source (year) | |",
                "|---|---|---|---|---|---|",
            ]
        flags = " ".join(
            f for f, on in (("lever", spec.lever), ("calibrated", spec.calibrated)) if on
        )
        year = f" ({spec.year})" if spec.year else ""
        lines.append(
            f"| `{name}` | {_value(spec.value)} | {_cell(spec.unit)} | {_cell(spec.allowed())} "
            f"| {_cell(spec.source)}{year} | {flags} |"
        )
    lines += ["", "## regions", "", default_regions().source, ""]
    regions = default_regions()
    lines += [
        "| region | population (persons) | registration time at letting (years) "
        "| turnover factor |",
        "|---|---|---|---|",
    ]
    for k, name in enumerate(regions.names):
        lines.append(
            f"| {name} | {int(regions.population[k]):,} | "
            f"{regions.registration_years_at_letting[k]:g} | {regions.turnover_factor[k]:g} |"
        )
    lines += [
        "",
        "## Published figures the model is checked against",
        "",
        "From `model/inputs/data/targets.toml`. Calibration figures were fitted or are inputs "
        "shown back (`tests/test_calibration.py` checks them); validation figures were never used "
        "in fitting and are compared with a run from 2022 (`python -m experiments validate`, "
        "docs/validation.md).",
        "",
        "| figure | value | unit | tolerance | use | source (year) |",
        "|---|---|---|---|---|---|",
    ]
    for name, t in published_targets().items():
        lines.append(
            f"| {name} | {_value(t['value'])} | {_cell(t['unit'])} | {_tolerance(t)} "
            f"| {t['use']} | {_cell(t['source'])} ({t['date']}) |"
        )
    return "\n".join(lines) + "\n"


def _tolerance(target: dict) -> str:
    """A target's tolerance: a share of its value, or absolute in its unit."""
    if target.get("tolerance_kind") == "absolute":
        return f"{target['tolerance']:,g} (absolute)"
    return f"{target['tolerance']:.0%}"


def levers_table() -> str:
    """Every lever: name, meaning (unit), default, source."""
    lines = ["| lever | meaning and unit | default | source |", "|---|---|---|---|"]
    for name, spec in parameter_specs().items():
        if spec.lever:
            lines.append(
                f"| `{name}` | {_cell(spec.unit)} | {_value(spec.value)} | {_cell(spec.source)} |"
            )
    return "\n".join(lines)


def scenarios_table() -> str:
    """Every named scenario: what it sets and why."""
    lines = ["| scenario | title | what it sets and why |", "|---|---|---|"]
    for name in scenario_names():
        s = load_scenario(name)
        sets = []
        if s.inherits:
            sets.append(f"inherits `{s.inherits}`")
        if s.own_reset:
            names = ", ".join(f"`{n}`" for n in s.own_reset)
            sets.append(f"resets {names} to the default")
        for lever, steps in s.own_levers.items():
            parts = [_value(v) + _when(d) for d, v in steps]
            sets.append(f"`{lever}` = {', '.join(parts)}")
        for param, value in s.own_parameters.items():
            sets.append(f"`{param}` = {_value(value)}")
        what = "; ".join(sets) or "the defaults"
        lines.append(
            f"| `{name}` | {_cell(s.title['en'])} / {_cell(s.title['nl'])} | "
            f"{_cell(s.description['en'])} Sets: {what}. |"
        )
    return "\n".join(lines)


RUN_FILES = (
    ("monthly.csv", "one row per month, national; the first row is the state at the start"),
    ("monthly_by_region.csv", "one row per month, region and group"),
    ("lettings.csv", "one row per letting (with K households per agent a row stands for K "
     "lettings: column `households`)"),
    ("quota_half_years.csv", "the quota per completed half year and region"),
    ("integration.csv", "per month, the share in paid work and on benefits of the status-"
     "holder cohorts 18, 24, 36 and 60 months after their permit"),
    ("overview.png", "lettings per group, registration time at letting, queues, reception"),
    ("reception.png", "reception by tier, its cost, time from permit to housing, integration"),
    ("run.json", "scenario, seed, scale, the parameters set, and `in_force`: every parameter "
     "and lever schedule the run applied (the same bytes for the same run)"),
    ("timing.json", "how long the run took"),
)  # fmt: skip

KIND_WORDS = {
    "label": "label",
    "flow": "flow over the month",
    "stock": "stock at the month's end",
    "statistic": "statistic of the month",
}


def _columns_table(columns) -> list[str]:
    lines = ["| column | unit | kind | meaning |", "|---|---|---|---|"]
    for c in columns:
        kind = KIND_WORDS[c.kind]
        lines.append(f"| `{c.pattern}` | {c.unit} | {kind} | {_cell(c.description)} |")
    return lines


def output_files_markdown() -> str:
    """docs/output-files.md: the files a run writes and every column of its tables."""
    from model.reporting.columns import KEY_MEANINGS, KEYS, TABLES

    lines = [
        "# Output files and columns",
        "",
        "Generated from `model/reporting/columns.py` by `python -m experiments docs`; do not "
        "edit. Every figure is in real households, persons, dwellings or euro, never in "
        "agents; names end in their unit.",
        "",
        "## What `python -m experiments run` writes",
        "",
        "| file | contents |",
        "|---|---|",
        *(f"| `{name}` | {text} |" for name, text in RUN_FILES),
        "",
        "In a column name, `{key}` stands for each of its values:",
        "",
        "| key | values | meaning |",
        "|---|---|---|",
        *(
            f"| `{{{k}}}` | {', '.join(f'`{v}`' for v in values)} | {KEY_MEANINGS[k]} |"
            for k, values in KEYS.items()
        ),
    ]
    for name, columns in TABLES.items():
        lines += ["", f"## `{name}`", "", *_columns_table(columns)]
    lines += [
        "",
        "`python -m experiments compare` writes `compare.csv` (per measure, group and "
        "period: the means of A and B, the mean difference B - A with its 5-95% band over "
        "seeds, the unit), `compare_by_type.csv` (per group, dwelling type and route: "
        "lettings a year under A and B and the difference with its band; per group the "
        "households housed for good; per type the places added), `compare_monthly.csv`, "
        "`passed_over.csv` and `equal_playing_field.csv` (both with a `side` column, A or "
        "B), and `compare.png`. The outcomes behind compare.csv are in "
        "[outcomes.md](outcomes.md).",
    ]
    return "\n".join(lines) + "\n"


def scenarios_markdown() -> str:
    """docs/scenarios.md: the named scenarios and every lever."""
    return "\n".join([
        "# Scenarios and levers",
        "",
        "Generated from `experiments/scenarios/*.toml` and `model/inputs/data/defaults.toml` "
        "by `python -m experiments docs`; do not edit.",
        "",
        "## Scenarios",
        "",
        scenarios_table(),
        "",
        "## Levers",
        "",
        "A lever may change on a date: in a scenario file "
        "(`[{ from = \"2027-01-01\", value = 0 }]`, or a phase of the letter: "
        "`preparation`, `implementation`, `normalisation`), or with "
        "`--set NAME=VALUE@YYYY-MM-01`.",
        "",
        levers_table(),
    ]) + "\n"  # fmt: skip


def outcomes_markdown() -> str:
    """docs/outcomes.md: every outcome of the registry."""
    from experiments.outcomes import OUTCOMES

    lines = [
        "# Outcomes",
        "",
        "Generated from `experiments/outcomes.toml` by `python -m experiments docs`; do not "
        "edit. Compare, the sweeps, the EMA workbench model, the reports and the app read "
        "these definitions. *Direction*: whether a higher value is worse or better.",
        "",
        "| outcome | kind | unit | direction | meaning |",
        "|---|---|---|---|---|",
    ]
    for o in OUTCOMES.values():
        lines.append(
            f"| `{o.name}` | {o.kind} | {o.unit} | {o.higher_is} | {_cell(o.description)} |"
        )
    return "\n".join(lines) + "\n"


GENERATED = {
    "parameters.md": parameters_markdown,
    "scenarios.md": scenarios_markdown,
    "output-files.md": output_files_markdown,
    "outcomes.md": outcomes_markdown,
}


def write_docs() -> list[Path]:
    """Rewrite the generated documents; return the paths written."""
    paths = []
    for name, make in GENERATED.items():
        path = ROOT / "docs" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(make(), encoding="utf-8")
        paths.append(path)
    return paths
