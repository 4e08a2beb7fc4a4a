"""Hostile and broken input: every document read or quarantined with a reason, limits, crash safety."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from mrs_etl.pipeline.isolation import Limits, run_isolated
from mrs_etl.generated_documents.hostile import build_suite, outcome
from mrs_etl.pipeline.publish import current_version, read_published
from mrs_etl.generated_documents.sample import SAMPLES, write_sample
from pipelines.flows import run_pipeline

ROOT = Path(__file__).resolve().parents[1]
TR, SKKNI, QA = SAMPLES


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    cases = build_suite(root / "raw", bomb_mb=1024)
    summary = run_pipeline(root / "raw", root / "processed", timeout_s=60, memory_mb=768)
    return cases, summary, read_published(root / "processed")


def test_every_hostile_document_is_read_or_quarantined_with_its_reason(suite):
    cases, summary, tables = suite
    docs = tables["documents"].set_index("path")
    rejections = tables["rejections"].set_index("path")
    got = {c.name: outcome(docs.loc[c.name, "status"], rejections["reason"].get(c.name)) for c in cases}
    assert {name: got[name] for name in got if got[name] not in next(c.expect for c in cases if c.name == name)} == {}
    assert summary.documents == len(cases) == len(docs)
    assert got["decompression-bomb.pdf"] == "quarantined:memory_limit"
    assert "crashed" not in {r.split(":")[-1] for r in got.values()}


def test_readable_damaged_documents_lose_no_rows(suite):
    cases, _, tables = suite
    docs = tables["documents"].set_index("path")
    pc = tables["performance_criteria"]

    def criteria(name):
        return list(pc[pc.document_id == docs.loc[name, "document_id"]].text)

    for case in (c for c in cases if c.rows_like):
        assert criteria(case.name) == criteria(case.rows_like), case.what
    assert len(criteria(TR)) == 53 and len(criteria(SKKNI)) == 12


def test_child_over_its_time_limit_is_stopped():
    started = time.monotonic()
    result = run_isolated("time:sleep", [60], Limits(timeout_s=1.0))
    assert result.timed_out and time.monotonic() - started < 10
    assert result.failure()[0] == "timeout"


def test_child_over_its_memory_cap_is_stopped():
    result = run_isolated("builtins:exec", ["block = b'x' * (3 << 30)"], Limits(memory_mb=300))
    assert result.failure()[0] == "memory_limit" and not result.ok


def test_child_crash_is_reported_as_a_crash():
    result = run_isolated("os:abort", [], Limits())
    assert result.failure() == ("crashed", "the extraction process died with signal SIGABRT")


KILL_SCRIPT = """
import sys, time
from pathlib import Path
import mrs_etl.pipeline.extract as extract_mod
import mrs_etl.pipeline.publish as publish_mod
from pipelines.flows import run_pipeline

raw, processed, marker, point = sys.argv[1:5]

def stop_here(*args, **kwargs):
    Path(marker).write_text(point)
    time.sleep(600)

if point == "extract":
    real = extract_mod.run_isolated
    def after_first_child(*args, **kwargs):
        real(*args, **kwargs)
        stop_here()
    extract_mod.run_isolated = after_first_child
else:
    publish_mod._write_duckdb = stop_here
run_pipeline(raw, processed)
"""


def _killed_run(raw: Path, processed: Path, point: str, tmp: Path) -> None:
    """Run the flow in a separate process group and SIGKILL all of it at `point` (extract | publish)."""
    marker = tmp / f"reached-{point}"
    # one Prefect home for every killed run of a test: its database is migrated once
    env = {**os.environ, "PREFECT_HOME": str(tmp / "prefect-killed-runs"), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(raw), str(processed), str(marker), point],
                            env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600  # a fresh Prefect home on a loaded machine: over a minute to start
        while not marker.exists():
            assert proc.poll() is None, "the run ended before reaching the kill point"
            assert time.monotonic() < deadline, "the run never reached the kill point"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _comparable(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {name: df.drop(columns=["rejected_at"], errors="ignore").reset_index(drop=True)
            for name, df in tables.items()}


def test_sigkill_during_extract_or_publish_then_rerun_equals_a_clean_run(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_sample(raw)
    (raw / "bad.pdf").write_bytes(b"%PDF-1.4\n garbage")
    first_raw = tmp_path / "first"
    first_raw.mkdir()
    (first_raw / TR).write_bytes((raw / TR).read_bytes())
    run_pipeline(first_raw, processed)
    before = current_version(processed)
    published_before = read_published(processed)

    _killed_run(raw, processed, "extract", tmp_path)
    assert current_version(processed) == before  # the previous version is still what readers get
    pd.testing.assert_frame_equal(read_published(processed)["units"], published_before["units"])
    _killed_run(raw, processed, "publish", tmp_path)
    assert current_version(processed) == before
    assert list(processed.glob(".staging-*")), "the kill should have left a half-built version behind"

    rerun = run_pipeline(raw, processed)
    assert not list(processed.glob(".staging-*"))
    assert rerun.extracted < 4  # what the killed runs had finished came from the cache
    clean = tmp_path / "clean"
    run_pipeline(raw, clean)
    got, want = _comparable(read_published(processed)), _comparable(read_published(clean))
    assert set(got) == set(want)
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_stewards_overrides_survive_bad_files_and_a_killed_publish(tmp_path):
    from mrs_etl.review.overrides import OverrideStore, default_store_path

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_sample(raw)
    (raw / SKKNI).rename(tmp_path / SKKNI)  # held back: adding it later forces a new version
    (raw / "zero-byte.pdf").write_bytes(b"")
    (raw / "truncated.pdf").write_bytes((raw / TR).read_bytes()[:4000])
    run_pipeline(raw, processed)
    criterion = read_published(processed)["performance_criteria"].iloc[0].to_dict()
    OverrideStore(default_store_path(processed)).record(
        "steward", "performance_criteria", criterion["criterion_id"], "edit",
        changes={"text": "Corrected by the steward"}, row=criterion, reason="checked against the page")

    (tmp_path / SKKNI).rename(raw / SKKNI)
    _killed_run(raw, processed, "publish", tmp_path)
    summary = run_pipeline(raw, processed)
    assert summary.override_conflicts == []
    published = read_published(processed)["performance_criteria"].set_index("criterion_id")
    assert published.loc[criterion["criterion_id"], "text"] == "Corrected by the steward"
    assert published.loc[criterion["criterion_id"], "review_status"] == "edited"
    assert set(read_published(processed)["rejections"]["reason"]) >= {"empty_file", "unreadable_pdf"}
