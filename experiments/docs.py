"""Generate the documentation tables from the data files (one source of truth).

``python -m experiments docs`` rewrites docs/parameters.md and the tables
between the ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` markers in
README.md. A test fails when they are out of date.
"""

from __future__ import annotations

import re
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


TABLES = {"levers": levers_table, "scenarios": scenarios_table}


def render_readme(text: str) -> str:
    """README text with every generated table replaced."""
    for name, make in TABLES.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        if pattern.search(text):
            text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def write_docs() -> list[Path]:
    """Rewrite docs/parameters.md and README.md's tables; return the paths written."""
    params = ROOT / "docs" / "parameters.md"
    params.parent.mkdir(exist_ok=True)
    params.write_text(parameters_markdown(), encoding="utf-8")
    readme = ROOT / "README.md"
    readme.write_text(render_readme(readme.read_text(encoding="utf-8")), encoding="utf-8")
    return [params, readme]
