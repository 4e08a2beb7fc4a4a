"""Optional checks that add tables to a run's publication (comparability matrix, QA compliance).

A check is a function `pipeline_check(tables: dict[str, DataFrame]) -> dict[str, DataFrame]`: it reads
the validated tables of the run and returns tables of its own (declared in mrs_etl.schema), which are
validated and published in the same atomic version. Checks run only when named (CLI `--check NAME`,
or MRS_ETL_CHECKS="comparability,compliance"). A check that is not installed, fails, or returns
invalid tables is reported in the run summary and left out; it never costs the run its publication.
"""
from __future__ import annotations

import os
from importlib import import_module

import pandas as pd

from mrs_etl.pipeline.validate import table_problems

CHECKS = {
    "comparability": "mrs_etl.compare:pipeline_check",
    "compliance": "mrs_etl.qa:pipeline_check",
}


def configured_checks(names: list[str] | None = None) -> list[str]:
    """The checks to run: `names`, else MRS_ETL_CHECKS. Unknown names raise: a typo must not pass silently."""
    names = list(names) if names else [n.strip() for n in os.environ.get("MRS_ETL_CHECKS", "").split(",") if n.strip()]
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise ValueError(f"unknown check(s) {', '.join(unknown)}; known: {', '.join(CHECKS)}")
    return names


def run_checks(names: list[str], tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """(tables the checks added, name -> one-line outcome)."""
    added: dict[str, pd.DataFrame] = {}
    outcomes: dict[str, str] = {}
    for name in names:
        module, _, function = CHECKS[name].partition(":")
        try:
            check = getattr(import_module(module), function)
        except (ImportError, AttributeError) as exc:
            outcomes[name] = f"not available in this build ({exc})"
            continue
        try:
            produced = check(dict(tables))
        except Exception as exc:  # a check's bug must not cost the run its extraction results
            outcomes[name] = f"failed: {type(exc).__name__}: {exc}"
            continue
        problems = table_problems({**tables, **produced})
        if problems:
            outcomes[name] = f"left out, its tables break the schema: {'; '.join(problems[:3])}"
            continue
        added.update(produced)
        outcomes[name] = "ok: " + ", ".join(f"{t} {len(df)} rows" for t, df in produced.items())
    return added, outcomes
