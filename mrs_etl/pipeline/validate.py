"""Table validation: pandera schemas built from `mrs_etl.schema.TABLES`, plus foreign keys.

pandera checks one frame at a time (columns, dtypes, nulls, primary-key uniqueness); foreign keys
span two frames, so they are checked here with plain pandas after the per-table schemas pass.
"""
from __future__ import annotations

from functools import cache

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from mrs_etl.control_characters import PATTERN as CONTROL_CHARACTERS
from mrs_etl.schema import TABLES, TYPES, Table


class TablesInvalid(ValueError):
    """Published tables that break their declared schema. `problems` lists every break found."""

    def __init__(self, problems: list[str]):
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} schema problem(s):\n  {shown}{more}")
        self.problems = problems


@cache
def table_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of one declared table."""
    spec: Table = TABLES[name]
    single_key = spec.primary_key[0] if len(spec.primary_key) == 1 else None
    columns = {
        f.name: pa.Column(TYPES[f.type][0], nullable=not f.required and f.name not in spec.primary_key,
                          unique=f.name == single_key, description=f.description)
        for f in spec.fields
    }
    return pa.DataFrameSchema(columns, name=name, strict=True, ordered=True,
                              unique=list(spec.primary_key) if single_key is None else None)


def _schema_problems(name: str, df: pd.DataFrame) -> list[str]:
    try:
        table_schema(name).validate(df, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        problems = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            examples = ", ".join(repr(v) for v in group["failure_case"].head(3))
            problems.append(f"{name}.{column if pd.notna(column) else '*'}: {check} failed "
                            f"({len(group)} case(s), e.g. {examples})")
        return problems
    return []


def _foreign_key_problems(name: str, tables: dict[str, pd.DataFrame]) -> list[str]:
    problems = []
    child = tables[name]
    for fk in TABLES[name].foreign_keys:
        if fk.table not in tables:
            problems.append(f"{name}: parent table {fk.table} is missing")
            continue
        keys = child[list(fk.fields)].dropna()
        parent = tables[fk.table][list(fk.reference)]
        parent_keys = set(map(tuple, parent.astype(object).itertuples(index=False)))
        orphans = [k for k in map(tuple, keys.astype(object).itertuples(index=False)) if k not in parent_keys]
        if orphans:
            problems.append(f"{name}.{','.join(fk.fields)}: {len(orphans)} row(s) without a parent in "
                            f"{fk.table}, e.g. {orphans[0]!r}")
    return problems


def _control_character_problems(name: str, df: pd.DataFrame) -> list[str]:
    problems = []
    for f in TABLES[name].fields:
        if f.type == "string" and f.name in df:
            bad = df[f.name].map(lambda v: isinstance(v, str) and CONTROL_CHARACTERS.search(v) is not None)
            bad = bad.astype(bool)
            if bad.any():
                problems.append(f"{name}.{f.name}: control characters in {int(bad.sum())} cell(s), e.g. "
                                f"{df.loc[bad, f.name].iloc[0]!r}")
    return problems


def table_problems(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Every schema, key and foreign-key problem in `tables` (declared tables only; unknown ones are problems)."""
    problems = [f"{name}: not a declared table" for name in tables if name not in TABLES]
    known = {n: df for n, df in tables.items() if n in TABLES}
    for name, df in known.items():
        problems += _schema_problems(name, df) + _control_character_problems(name, df)
    for name in known:
        problems += _foreign_key_problems(name, known)
    return problems


def validate_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Raise TablesInvalid listing every problem, or return quietly."""
    problems = table_problems(tables)
    if problems:
        raise TablesInvalid(problems)
