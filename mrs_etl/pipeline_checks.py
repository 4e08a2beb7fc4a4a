"""Optional checks run on a freshly published version (comparability matrix, QA compliance).

A check is a function `pipeline_check(version_dir: Path, processed_dir: Path) -> str | None` that
reads the published tables and returns a short markdown summary for the run's artifacts. Checks
run only when named (CLI `--check NAME`, or MRS_ETL_CHECKS="comparability,compliance"); a check
whose module is not installed yet is reported as unavailable, never fatal to the run.
"""
from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

CHECKS = {
    "comparability": "mrs_etl.compare:pipeline_check",
    "compliance": "mrs_etl.qa:pipeline_check",
}


def configured_checks(names: list[str] | None = None) -> list[str]:
    if names:
        return list(names)
    return [n.strip() for n in os.environ.get("MRS_ETL_CHECKS", "").split(",") if n.strip()]


def run_checks(names: list[str], version_dir: Path, processed_dir: Path) -> dict[str, str]:
    """name -> markdown summary (or why it did not run). Unknown names raise: a typo must not pass silently."""
    results = {}
    for name in names:
        if name not in CHECKS:
            raise ValueError(f"unknown check {name!r}; known: {', '.join(CHECKS)}")
        module, _, function = CHECKS[name].partition(":")
        try:
            check = getattr(import_module(module), function)
        except (ImportError, AttributeError) as exc:
            results[name] = f"not available in this build ({exc})"
            continue
        results[name] = check(version_dir, processed_dir) or "done"
    return results
