"""Validation of published tables against the schema declared in mrs_etl.schema."""
from __future__ import annotations

import pandas as pd
import pytest

from mrs_etl.models import Box, Criterion, DocumentInfo, Element, Extraction, Qualification, Unit
from mrs_etl.pipeline.assemble import PIPELINE_TABLES, with_catalogue
from mrs_etl.tables import extraction_frames, frame
from mrs_etl.pipeline.validate import TablesInvalid, table_problems, validate_tables


def _tables() -> dict[str, pd.DataFrame]:
    info = DocumentInfo("a.pdf", "a.pdf", "f" * 64, "tesda-tr", "PH", "en", 3, "v")
    unit = Unit(box=Box(2, 1, 2, 3, 4), code="U1", title="Unit", elements=[
        Element(number="1", title="El", criteria=[Criterion(number="1.1", text="Done"),
                                                  Criterion(number="1.2", text="Also done")])])
    tables = extraction_frames(Extraction(info, Qualification(title="Q"), [unit]))
    tables["documents"] = frame("documents", [{
        "document_id": "f" * 64, "path": "a.pdf", "file_name": "a.pdf", "status": "ok"}])
    tables["rejections"] = frame("rejections", [])
    return with_catalogue(tables)


def test_valid_tables_pass():
    tables = _tables()
    assert set(tables) == set(PIPELINE_TABLES)
    assert table_problems(tables) == []
    validate_tables(tables)


def test_duplicate_primary_key_and_missing_required_are_reported():
    tables = _tables()
    pc = tables["performance_criteria"]
    pc.loc[1, "criterion_id"] = pc.loc[0, "criterion_id"]
    pc.loc[0, "text"] = pd.NA
    problems = table_problems(tables)
    assert any(p.startswith("performance_criteria.criterion_id") and "unique" in p for p in problems)
    assert any(p.startswith("performance_criteria.text") and "not_nullable" in p for p in problems)


def test_orphan_child_row_is_reported():
    tables = _tables()
    tables["elements"].loc[0, "unit_id"] = "nope/u999"
    with pytest.raises(TablesInvalid) as err:
        validate_tables(tables)
    assert any("elements.unit_id" in p and "without a parent in units" in p for p in err.value.problems)
    # the criteria still point at an existing element, so only the broken link is reported
    assert not any(p.startswith("performance_criteria") for p in err.value.problems)


def test_composite_key_and_wrong_dtype_are_reported():
    tables = _tables()
    row = {"document_id": "x", "path": "x.pdf", "stage": "extract", "reason": "r", "rejected_at": "2026-01-01T00:00:00Z"}
    tables["rejections"] = frame("rejections", [row, row])
    tables["units"]["order"] = tables["units"]["order"].astype("float64")
    problems = table_problems(tables)
    assert any(p.startswith("rejections") and "unique" in p.lower() for p in problems), problems
    assert any(p.startswith("units.order") and "dtype" in p for p in problems), problems
