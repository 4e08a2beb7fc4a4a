"""Inputs that change under a run, links that name no file, and text no reader should get: never cached as the
document's verdict, never silent, never published."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd

import mrs_etl.pipeline.extract as extract_mod
from mrs_etl.control_characters import FLAG
from mrs_etl.files import sha256_file
from mrs_etl.pipeline.isolation import ChildOutcome, Limits
from mrs_etl.models import Box, Criterion, DocumentInfo, Element, Extraction, Unit
from mrs_etl.pipeline.extract import ExtractionCache, extract_document
from mrs_etl.pipeline.ingest import ingest
from mrs_etl.pipeline.publish import publish
from mrs_etl.generated_documents.sample import SAMPLES
from mrs_etl.tables import extraction_frames, frame
from mrs_etl.pipeline.validate import table_problems

ROOT = Path(__file__).resolve().parents[1]
TR, SKKNI, QA = SAMPLES


def test_a_file_changed_or_removed_after_ingest_is_not_cached_and_is_read_again(tmp_path):
    pdf, cache_dir = tmp_path / SKKNI, tmp_path / "cache"
    original = (ROOT / "raw" / SKKNI).read_bytes()
    pdf.write_bytes(original)
    sha = sha256_file(pdf)
    cache = ExtractionCache(cache_dir)

    pdf.write_bytes(original[: len(original) // 2])  # rewritten between ingest and extraction
    changed = extract_document(str(pdf), sha, cache_dir)
    assert (changed["status"], changed["reason"]) == ("quarantined", "changed_during_run")
    assert not cache.path(sha).exists(), "a failure caused by the change must not be cached under the old hash"

    pdf.unlink()  # removed
    assert extract_document(str(pdf), sha, cache_dir)["reason"] == "changed_during_run"
    assert not cache.path(sha).exists()

    pdf.write_bytes(original)  # put back: the next run reads it as it is
    record = extract_document(str(pdf), sha, cache_dir)
    assert record["status"] == "ok" and not record["cached"] and record["rows"]["performance_criteria"]
    assert cache.get(sha)["status"] == "ok"


def test_a_limit_hit_while_the_file_changes_is_not_cached(tmp_path, monkeypatch):
    pdf, cache_dir = tmp_path / "doc.pdf", tmp_path / "cache"
    pdf.write_bytes((ROOT / "raw" / SKKNI).read_bytes())
    sha = sha256_file(pdf)

    def times_out_while_the_file_is_replaced(*args, **kwargs):
        pdf.write_bytes(b"%PDF-1.4 replaced")
        return ChildOutcome(-9, 3.0, 0, True, False, "")

    monkeypatch.setattr(extract_mod, "run_isolated", times_out_while_the_file_is_replaced)
    record = extract_document(str(pdf), sha, cache_dir, Limits(timeout_s=1))
    assert record["reason"] == "changed_during_run"
    assert not ExtractionCache(cache_dir).path(sha).exists()


def test_links_that_name_no_file_are_reported_not_skipped(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(ROOT / "raw" / SKKNI, raw / SKKNI)
    os.symlink(raw / SKKNI, raw / "z-linked.pdf")  # a link to a file is read like the file (a duplicate here)
    os.symlink("missing.pdf", raw / "dangling.pdf")
    os.symlink("loop-b.pdf", raw / "loop-a.pdf")
    os.symlink("loop-a.pdf", raw / "loop-b.pdf")
    os.symlink(tmp_path, raw / "sub" / "up")
    documents, problems = ingest(raw)
    assert [d.relpath for d in documents] == [SKKNI]
    reasons = {p.relpath: p.reason for p in problems}
    assert reasons == {"dangling.pdf": "broken_symlink", "loop-a.pdf": "symlink_loop", "loop-b.pdf": "symlink_loop",
                       "sub/up": "symlinked_directory", "z-linked.pdf": "duplicate"}
    assert all(p.detail for p in problems)


def _extraction_with(text: str) -> dict[str, pd.DataFrame]:
    doc = "b" * 64
    info = DocumentInfo("std.pdf", "std.pdf", doc, "tesda-tr", "PH", "en", 1, "v")
    unit = Unit(box=Box(1, 50, 60, 500, 80), code="U1", title="Lay\u202e tiles", category="core", elements=[
        Element(number="1", title="Plan", box=Box(1, 50, 100, 200, 120), criteria=[
            Criterion(number="1.1", text=text, box=Box(1, 200, 100, 500, 115)),
            Criterion(number="1.2", text="Clean text stays as it is", box=Box(1, 200, 120, 500, 135))])])
    tables = extraction_frames(Extraction(info, None, [unit]))
    tables["documents"] = frame("documents", [{"document_id": doc, "path": "std.pdf", "file_name": "std.pdf",
                                               "status": "ok"}])
    tables["rejections"] = frame("rejections", [])
    return tables


def test_control_characters_are_removed_flagged_and_never_published(tmp_path):
    tables = _extraction_with("Check\x00 the \uffffgrout\x1b and \u202eedges")
    pc = tables["performance_criteria"].set_index("number")
    assert pc.loc["1.1", "text"] == "Check the grout and edges"
    assert FLAG in pc.loc["1.1", "flags"] and pd.isna(pc.loc["1.2", "flags"])
    assert tables["units"]["title"].iloc[0] == "Lay tiles" and FLAG in tables["units"]["flags"].iloc[0]
    assert table_problems(tables) == []

    # whatever else put one in a table (a check, a hand-made frame) is refused before it reaches a file
    tables["performance_criteria"].loc[0, "text"] = "NUL\x00inside"
    problems = table_problems(tables)
    assert any("performance_criteria.text: control characters" in p for p in problems)
    published = publish(_extraction_with("Check\x00 the \uffffgrout\x1b and \u202eedges"), tmp_path / "p")
    csv = b"".join(p.read_bytes() for p in (published.path / "csv").glob("*.csv"))
    assert not any(ch in csv for ch in (b"\x00", b"\x1b", "\uffff".encode(), "\u202e".encode()))
