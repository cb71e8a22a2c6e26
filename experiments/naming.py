"""One naming scheme for a parameter wherever it is a column or a keyword.

A parameter's name is dotted, ``section.name`` (``stock.new_construction_per_year``),
as in model/inputs/data/defaults.toml, scenario files and ``--set``. Where it becomes
a column (the sweeps' Parquet files, the EMA workbench's experiments) or a
keyword argument (the EMA model function, ``mesa.batch_run``), the dot becomes
an underscore: ``stock_new_construction_per_year``. Outcome names
(experiments/outcomes.py) are already of that form. No dots and no double
underscores anywhere, so that every tool (Parquet readers, pandas' attribute
access, the workbench's formula-based analyses) takes the names as they are.

The mapping is one to one over the parameters of docs/parameters.md
(tests/test_sweep.py checks it), so :func:`parameter_of` finds the dotted name.
"""

from __future__ import annotations

import difflib
from functools import cache

from model.base.errors import ParameterError
from model.inputs.parameters import parameter_specs


def column_of(name: str) -> str:
    """A dotted parameter name as a column or keyword: ``stock.x_y`` -> ``stock_x_y``."""
    return name.replace(".", "_")


@cache
def _columns() -> dict[str, str]:
    """Every parameter's column name -> its dotted name."""
    table = {column_of(name): name for name in parameter_specs()}
    if len(table) != len(parameter_specs()):  # pragma: no cover - a test guards this
        raise AssertionError("two parameters share a column name")
    return table


def parameter_columns() -> dict[str, str]:
    """Every parameter's column name -> its dotted name (a copy)."""
    return dict(_columns())


def parameter_of(column: str) -> str:
    """The dotted name of a parameter's column name (a dotted name is returned as is).

    Raises:
        ParameterError: No parameter has that name; the message suggests the closest.
    """
    if column in parameter_specs():
        return column
    table = _columns()
    if column in table:
        return table[column]
    near = difflib.get_close_matches(column.replace("__", "_"), list(table), n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    raise ParameterError(
        f"unknown parameter '{column}'{hint}; allowed: a parameter of docs/parameters.md, "
        "dotted or with its dot as an underscore, e.g. stock_new_construction_per_year"
    )
