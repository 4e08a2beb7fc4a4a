"""The optional checks hook: tables a check returns are validated and added; a broken check is reported."""
from __future__ import annotations

import pytest

from mrs_etl.pipeline import checks as pipeline_checks
from mrs_etl.pipeline.checks import configured_checks, run_checks
from mrs_etl.tables import frame
from test_validate import _tables

ROW = {"system": "PH", "rule_id": "R1", "step": "4", "question": "q?", "verdict": "evidenced", "score": 1.0,
       "n_citations": 0, "n_documents": 1, "rulebook_version": "1", "checked_at": "2026-01-01T00:00:00Z"}


def adds_a_verdict(tables):
    return {"compliance_verdicts": frame("compliance_verdicts", [ROW])}


def breaks_the_schema(tables):
    return {"compliance_verdicts": frame("compliance_verdicts", [{**ROW, "verdict": None}])}


def fails(tables):
    raise RuntimeError("boom")


@pytest.mark.parametrize("function, outcome, added", [
    ("adds_a_verdict", "ok: compliance_verdicts 1 rows", 1),
    ("breaks_the_schema", "left out, its tables break the schema", 0),
    ("fails", "failed: RuntimeError: boom", 0),
    ("no_such_function", "not available in this build", 0),
])
def test_check_outcomes(monkeypatch, function, outcome, added):
    monkeypatch.setitem(pipeline_checks.CHECKS, "compliance", f"{__name__}:{function}")
    tables, outcomes = run_checks(["compliance"], _tables())
    assert outcomes["compliance"].startswith(outcome)
    assert sum(len(df) for df in tables.values()) == added


def test_checks_run_only_when_named_and_typos_are_refused(monkeypatch):
    monkeypatch.delenv("MRS_ETL_CHECKS", raising=False)
    assert configured_checks(None) == []
    monkeypatch.setenv("MRS_ETL_CHECKS", "comparability, compliance")
    assert configured_checks(None) == ["comparability", "compliance"]
    with pytest.raises(ValueError, match="unknown check"):
        configured_checks(["complaince"])
