"""Assembling per-document records into validated tables."""
from __future__ import annotations

from mrs_etl.pipeline.extract import rejected_record
from mrs_etl.pipeline.ingest import IngestProblem, RawDocument
from mrs_etl.pipeline.assemble import assemble


def _ok_record(sha: str, criterion_text: str | None) -> dict:
    unit_id, element_id = f"{sha}/u001", f"{sha}/u001/e01"
    prov = {"confidence": 1.0}
    return {"document_id": sha, "status": "ok", "family": "tesda-tr", "pages": 2, "extracted_at": "2026-01-01T00:00:00Z",
            "rows": {"units": [{"unit_id": unit_id, "document_id": sha, "order": 1, "code": "U1", **prov}],
                     "elements": [{"element_id": element_id, "unit_id": unit_id, "document_id": sha, "order": 1, **prov}],
                     "performance_criteria": [{"criterion_id": f"{element_id}/c01", "element_id": element_id,
                                               "unit_id": unit_id, "document_id": sha, "order": 1,
                                               "text": criterion_text, **prov}]}}


def test_document_breaking_the_schema_is_quarantined_and_the_others_are_kept():
    good, bad, locked = RawDocument("/r/a.pdf", "a.pdf", "a" * 64), RawDocument("/r/b.pdf", "b.pdf", "b" * 64), \
        RawDocument("/r/c.pdf", "c.pdf", "c" * 64)
    records = {good.sha256: _ok_record(good.sha256, "Done"), bad.sha256: _ok_record(bad.sha256, None),
               locked.sha256: rejected_record(locked.sha256, "encrypted", "needs a password")}
    problems = [IngestProblem("d" * 64, "copy.pdf", "duplicate", "same content as a.pdf")]
    tables = assemble([good, bad, locked], records, problems)
    assert list(tables["performance_criteria"].document_id) == [good.sha256]
    status = dict(zip(tables["documents"].path, tables["documents"].status))
    assert status == {"a.pdf": "ok", "b.pdf": "quarantined", "c.pdf": "quarantined"}
    rejections = tables["rejections"].set_index("path")
    assert rejections.loc["b.pdf", "stage"] == "validate" and rejections.loc["b.pdf", "reason"] == "schema_violation"
    assert "performance_criteria.text" in rejections.loc["b.pdf", "detail"]
    assert rejections.loc["c.pdf", "reason"] == "encrypted" and rejections.loc["copy.pdf", "stage"] == "ingest"


def test_a_rejection_keeps_its_first_time_so_unchanged_input_gives_unchanged_tables():
    doc = RawDocument("/r/c.pdf", "c.pdf", "c" * 64)
    problems = [IngestProblem("d" * 64, "copy.pdf", "duplicate", "same content as c.pdf")]
    records = {doc.sha256: rejected_record(doc.sha256, "encrypted", "")}
    published = assemble([doc], records, problems)["rejections"]
    published["rejected_at"] = "2000-01-01T00:00:00Z"  # as a run long ago recorded them
    later = assemble([doc], records, problems, published)
    assert list(later["rejections"].rejected_at) == ["2000-01-01T00:00:00Z"] * 2
