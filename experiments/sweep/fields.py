"""What each column of a sweep's Parquet files is: its unit and description, kept in the file.

Every field of ``runs/``, ``errors/``, ``series/`` and ``design.parquet``
carries Parquet field metadata ``unit`` and ``description``, so that a file
read on its own (by pyarrow, DuckDB, R's arrow) says what its numbers count.
:func:`field_table` reads them back. Column names follow one scheme
(experiments/naming.py): parameters with their dot as an underscore, outcomes
as the registry names them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from experiments.naming import parameter_columns

SAMPLED = "_sampled"  # design.parquet: a parameter's value as sampled, before rounding

# Bookkeeping columns: (unit, description).
BOOKKEEPING = {
    "run_id": ("identifier", "the run: p<point>_<scenario>_s<seed>"),
    "point": ("index", "the design point (a row of design.parquet), from 0"),
    "scenario": ("name", "the scenario (the policy timeline) the run applied"),
    "seed": ("seed", "the run's random seed; the same seed at every point and scenario"),
    "households_per_agent": ("households per agent", "the run's scale (1 agent = this many)"),
    "months": ("months", "the months the run simulated"),
    "seconds": ("seconds", "wall time of the run in its worker"),
    "worker": ("host:process id", "the worker process that ran it"),
    "model_version": ("version", "the installed project's version"),
    "git_commit": ("git commit", "the model's commit (-dirty: with uncommitted changes)"),
    "finished_at": ("local time", "when the row was written"),
    "error": ("exception class", "what the run raised"),
    "message": ("text", "the exception's message"),
    "traceback": ("text", "where it was raised"),
    "date": ("date", "the month (its first day); the first row is the start"),
    "outcome": ("name", "the monthly outcome (experiments/outcomes.py)"),
    "unit": ("text", "the unit of this row's value"),
    "value": ("the row's unit (column 'unit')", "the outcome's value in that month"),
}


def describe(column: str) -> tuple[str, str]:
    """(unit, description) of a sweep column.

    Raises:
        KeyError: A column no sweep file has (so that none goes undescribed).
    """
    from experiments.outcomes import OUTCOMES
    from model.inputs.parameters import parameter_specs

    if column in BOOKKEEPING:
        return BOOKKEEPING[column]
    if column in OUTCOMES:
        o = OUTCOMES[column]
        return o.unit, o.description
    parameters = parameter_columns()
    sampled = column.endswith(SAMPLED) and column.removesuffix(SAMPLED) in parameters
    name = parameters.get(column.removesuffix(SAMPLED) if sampled else column)
    if name is None:
        raise KeyError(f"no description for column '{column}'")
    spec = parameter_specs()[name]
    how = "as sampled by the design, before rounding" if sampled else "as the run applied it"
    return spec.unit, f"parameter {name}, {how} (source of its default: {spec.source})"


def with_metadata(frame: pd.DataFrame, extra: Mapping[str, tuple[str, str]] | None = None):
    """The frame as a pyarrow Table whose every field carries its unit and description
    (``extra``: (unit, description) of columns :func:`describe` does not know)."""
    import pyarrow as pa

    extra = extra or {}
    table = pa.Table.from_pandas(frame, preserve_index=False)
    fields = []
    for f in table.schema:
        unit, description = extra[f.name] if f.name in extra else describe(f.name)
        fields.append(f.with_metadata({"unit": unit, "description": description}))
    schema = pa.schema(fields, metadata=table.schema.metadata)  # pandas' own metadata kept
    return pa.Table.from_arrays(table.columns, schema=schema)


def field_table(path: str | Path) -> pd.DataFrame:
    """A Parquet file's columns with their unit and description, as stored in the file."""
    import pyarrow.parquet as pq

    rows = []
    for f in pq.read_schema(path):
        meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
        rows.append({"column": f.name, "type": str(f.type), "unit": meta.get("unit", ""),
                     "description": meta.get("description", "")})  # fmt: skip
    return pd.DataFrame(rows)
