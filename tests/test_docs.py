"""The documentation says what the code does: the generated documents are current, every
output column is explained in docs/output-files.md, and the README is a short guide that
starts with its two commands."""

from __future__ import annotations

import re
from pathlib import Path

from experiments.docs import GENERATED
from model.market import HousingMarket

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_generated_docs_are_current():
    """`make docs` has been run after the data files, the column specification or the
    outcome definitions last changed."""
    for name, make in GENERATED.items():
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == make(), name


def test_the_readme_is_a_short_guide():
    """Under 250 lines; no commit hashes or issue numbers; every local link resolves."""
    assert len(README.splitlines()) < 250
    assert not re.search(r"\b[0-9a-f]{7,40}\b", README)
    assert not re.search(r"\b[Ii]ssues? \d", README)
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (ROOT / target).exists(), target


def test_readme_starts_with_the_two_commands():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    assert README.index("```sh") < README.index("\n## ")


def _documented_patterns() -> list[re.Pattern]:
    names = re.findall(r"`([a-z0-9_{}]+)`", (ROOT / "docs" / "output-files.md").read_text())
    return [
        re.compile("^" + re.sub(r"\\\{\w+\\\}", r"[a-z0-9_]+", re.escape(n)) + "$") for n in names
    ]


def test_every_output_column_is_documented(small_run):
    _, results = small_run
    patterns = _documented_patterns()
    frames = {
        "monthly": results.monthly,
        "monthly_by_region": results.monthly_by_region,
        "lettings": results.lettings,
        "quota_half_years": results.half_years,
        "integration": results.integration,
    }
    for name, frame in frames.items():
        for column in frame.columns:
            assert any(p.match(column) for p in patterns), f"{name}.csv column {column!r}"


def test_assumptions_document_exists_and_is_linked():
    text = (ROOT / "docs" / "assumptions.md").read_text(encoding="utf-8")
    assert "docs/assumptions.md" in README
    assert len(re.findall(r"^\| [A-G]\d+ \|", text, re.M)) >= 40


def test_parameter_names_in_docs_exist():
    """Every dotted parameter name the README or the assumptions mention is a real one."""
    from model.inputs.parameters import parameter_specs

    known = set(parameter_specs())
    text = README + (ROOT / "docs" / "assumptions.md").read_text(encoding="utf-8")
    for name in set(
        re.findall(
            r"`((?:stock|policy|allocation|regular|urgent|status_holders|phases|scale|calendar|dwellings)\.[a-z_]+)",
            text,
        )
    ):
        if not name.endswith(".py"):
            assert name in known, name
    HousingMarket(households_per_agent=20)  # the README's example scale range is valid
